//! Taking over the terminal and giving it back. Restoring is idempotent and
//! happens on every path: a normal end, an error (the guard's `Drop`), and
//! a panic (the hook restores before the panic message is printed, so the
//! message is readable). Signals become a quit message handled by the main
//! loop, which then drops the guard.

use std::io::{self, Stdout, Write as _};
use std::sync::Once;

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::{cursor, execute, terminal};

/// The terminal the app draws on.
pub type Term = Terminal<CrosstermBackend<Stdout>>;

/// Owns the terminal while the app runs; restores it when dropped.
pub struct Guard {
    /// The terminal to draw on.
    pub terminal: Term,
}

impl Guard {
    /// Raw mode, the alternate screen, cursor hidden, and a panic hook that
    /// restores all of that first.
    pub fn enter() -> io::Result<Self> {
        install_panic_hook();
        terminal::enable_raw_mode()?;
        let mut out = io::stdout();
        if let Err(e) = execute!(out, terminal::EnterAlternateScreen, cursor::Hide) {
            restore();
            return Err(e);
        }
        let terminal = match Terminal::new(CrosstermBackend::new(io::stdout())) {
            Ok(t) => t,
            Err(e) => {
                restore();
                return Err(e);
            }
        };
        Ok(Self { terminal })
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

/// Give the terminal back: raw mode off, main screen, cursor shown.
/// Safe to call more than once.
pub fn restore() {
    let _ = terminal::disable_raw_mode();
    let mut out = io::stdout();
    let _ = execute!(out, terminal::LeaveAlternateScreen, cursor::Show);
    let _ = out.flush();
}

fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore();
            previous(info);
        }));
    });
}
