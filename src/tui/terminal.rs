//! Taking over the terminal and giving it back. Restoring is idempotent and
//! happens on every path: a normal end, an error (the guard's `Drop`), and
//! a panic (the hook restores before the panic message is printed, so the
//! message is readable). Signals become a message handled by the main
//! loop, which then drops the guard.
//!
//! Giving back a terminal that has gone (the window was closed) is not an
//! error: every write of the restore may fail, and none is reported.

use std::io::{self, Stdout, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Once};

use ratatui::Terminal;
use ratatui::crossterm::style::{Attribute, SetAttribute};
use ratatui::crossterm::{cursor, execute, terminal};

use super::backend::LeanBackend;

/// The terminal the app draws on.
pub type Term = Terminal<LeanBackend<Screen>>;

/// Standard output as the app draws on it. Its writes fail as usual
/// while the app runs (a failed draw is how a closed window shows), and
/// succeed quietly once the terminal is being given back: ratatui shows
/// the cursor again when it is dropped, and prints to stderr if that
/// fails, which itself panics when stderr is the terminal that has gone.
pub struct Screen {
    out: Stdout,
    giving_back: Arc<AtomicBool>,
}

impl Screen {
    fn giving_back(&self) -> bool {
        self.giving_back.load(Ordering::Relaxed)
    }
}

impl Write for Screen {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self.out.write(buf) {
            Err(_) if self.giving_back() => Ok(buf.len()),
            r => r,
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self.out.flush() {
            Err(_) if self.giving_back() => Ok(()),
            r => r,
        }
    }
}

/// Owns the terminal while the app runs; restores it when dropped.
pub struct Guard {
    /// The terminal to draw on.
    pub terminal: Term,
    giving_back: Arc<AtomicBool>,
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
        let giving_back = Arc::new(AtomicBool::new(false));
        let screen = Screen {
            out: io::stdout(),
            giving_back: Arc::clone(&giving_back),
        };
        // Cleared once, so the backend knows every cell is blank.
        let terminal = match Terminal::new(LeanBackend::new(screen)).and_then(|mut t| {
            t.clear()?;
            Ok(t)
        }) {
            Ok(t) => t,
            Err(e) => {
                restore();
                return Err(e);
            }
        };
        Ok(Self {
            terminal,
            giving_back,
        })
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        self.giving_back.store(true, Ordering::Relaxed);
        restore();
    }
}

/// Give the terminal back: raw mode off, attributes reset (the lean
/// backend leaves the last cell's style set), main screen, cursor shown.
/// Safe to call more than once, and on a terminal that has gone.
pub fn restore() {
    let _ = terminal::disable_raw_mode();
    let mut out = io::stdout();
    let _ = execute!(
        out,
        SetAttribute(Attribute::Reset),
        terminal::LeaveAlternateScreen,
        cursor::Show
    );
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
