//! `exhale run`: resolve the session, apply the command line's overrides,
//! and hand it to the terminal UI or to plain mode.

use std::io::{IsTerminal as _, Write as _};
use std::time::{Duration, Instant};

use clap::Args;

use crate::audio::{Chime, Silent};
use crate::clock::SystemClock;
use crate::commands::catalog::open_session;
use crate::config::{self, Config, ThemeName};
use crate::engine::{LengthOverride, Timeline, apply_override};
use crate::paths::Paths;
use crate::plain::{self, Input};
use crate::tui::{self, App, Options, Picker, Prepared, theme::Theme};

/// Options of `exhale run`.
#[derive(Debug, Clone, Args)]
pub struct RunArgs {
    /// A session name (see `exhale list`) or a path to a .toml file.
    pub session: String,
    /// One line per event instead of the full-screen UI (automatic when
    /// stdout is not a terminal or TERM=dumb).
    #[arg(long)]
    pub plain: bool,
    /// Replace the animation with a calm progress bar.
    #[arg(long)]
    pub reduced_motion: bool,
    /// Play no sound.
    #[arg(long)]
    pub no_sound: bool,
    /// Run every breathing block for this many cycles.
    #[arg(long, value_name = "N", conflicts_with = "minutes", value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub cycles: Option<u32>,
    /// Run every breathing block for about this many minutes.
    #[arg(long, value_name = "M", value_parser = parse_minutes)]
    pub minutes: Option<f64>,
}

fn parse_minutes(s: &str) -> Result<f64, String> {
    let v: f64 = s
        .parse()
        .map_err(|_| format!("`{s}` is not a number of minutes"))?;
    if !v.is_finite() || v <= 0.0 || v > 24.0 * 60.0 {
        return Err("give a number of minutes above 0 and at most 1440".into());
    }
    Ok(v)
}

impl RunArgs {
    /// The length override the flags ask for.
    pub fn length_override(&self) -> Option<LengthOverride> {
        match (self.cycles, self.minutes) {
            (Some(n), _) => Some(LengthOverride::Cycles(n)),
            (None, Some(m)) => Some(LengthOverride::Time(Duration::from_secs_f64(m * 60.0))),
            (None, None) => None,
        }
    }

    /// Whether plain mode applies: asked for, or no terminal to draw on.
    pub fn wants_plain(&self) -> bool {
        self.plain
            || !std::io::stdout().is_terminal()
            || std::env::var("TERM").is_ok_and(|t| t == "dumb")
    }
}

/// Turn SIGINT, SIGTERM and SIGHUP into a message on a channel, so the main
/// thread can stop cleanly (restore the terminal, record the session).
pub fn signal_channel<T: Send + Clone + 'static>(msg: T) -> crossbeam_channel::Receiver<T> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let (tx, rx) = crossbeam_channel::unbounded();
    if let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) {
        std::thread::spawn(move || {
            for _ in signals.forever() {
                if tx.send(msg.clone()).is_err() {
                    break;
                }
            }
        });
    }
    rx
}

/// `exhale run`.
pub fn run(paths: &Paths, args: &RunArgs) -> u8 {
    let config = match load_config(paths) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let (entry, mut session) = match open_session(paths, &args.session) {
        Ok(v) => v,
        Err(code) => return code,
    };
    let mut opts = tui_options(&config, args.reduced_motion);
    opts.length = args.length_override();
    let chime = make_chime(&config, args.no_sound);
    if !args.wants_plain() {
        let prepared = Prepared::new(&entry.name, session, &opts);
        let mut app = App::with_session(prepared, chime, opts, Instant::now());
        return run_app(&mut app);
    }
    if let Some(o) = opts.length {
        apply_override(&mut session, o);
    }
    let settle = session.settle.unwrap_or(opts.settle);
    let timeline = Timeline::compile(&session, settle);
    run_plain(&session, timeline, chime.as_ref())
}

/// `exhale` with no command: the picker.
pub fn picker(paths: &Paths) -> u8 {
    if !std::io::stdout().is_terminal() || std::env::var("TERM").is_ok_and(|t| t == "dumb") {
        eprintln!("exhale: the session picker needs a terminal");
        eprintln!(
            "  = help: `exhale list` shows every session; `exhale run <SESSION> --plain` runs one"
        );
        return 2;
    }
    let config = match load_config(paths) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let opts = tui_options(&config, false);
    let picker = Picker::load(paths, config.default_session.as_deref());
    let chime = make_chime(&config, false);
    let mut app = App::with_picker(picker, chime, opts);
    run_app(&mut app)
}

/// Read the config file, printing what is wrong with it. `Err` carries the
/// exit code.
pub fn load_config(paths: &Paths) -> Result<Config, u8> {
    config::load(&paths.config_file()).map_err(|e| {
        eprint!("{e}");
        1
    })
}

/// The sound player: silent with `--no-sound` or `[sound] enabled = false`.
/// (The audio backend plugs in here.)
fn make_chime(config: &Config, no_sound: bool) -> Box<dyn Chime> {
    let chime: Box<dyn Chime> = Box::new(Silent);
    if no_sound || !config.sound.enabled {
        return chime;
    }
    chime.set_volume(config.sound.volume);
    chime
}

/// The UI options from the config, the environment (`NO_COLOR`) and the
/// command line.
fn tui_options(config: &Config, reduced_motion: bool) -> Options {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    Options {
        theme: Theme::new(!no_color && config.theme == ThemeName::Default),
        reduced_motion: reduced_motion || config.reduced_motion,
        animation: config.animation,
        show_timings: config.show_timings,
        settle: config.settle_in,
        test_panic: std::env::var_os("EXHALE_TEST_PANIC").is_some_and(|v| v == "1"),
        ..Options::default()
    }
}

/// Run the full-screen app and turn how it ended into an exit code.
fn run_app(app: &mut App) -> u8 {
    // The journal will record each outcome here.
    let mut on_session_end = |_outcome: &crate::player::Outcome| {};
    match tui::run_app(app, &mut on_session_end) {
        Ok(()) if app.interrupted => 130,
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: the terminal could not be used: {e}");
            1
        }
    }
}

fn run_plain(session: &crate::model::Session, timeline: Timeline, chime: &dyn Chime) -> u8 {
    let inputs = signal_channel(Input::Quit);
    let interactive = std::io::stdin().is_terminal();
    let (tx, rx) = crossbeam_channel::unbounded();
    {
        let signals = inputs.clone();
        let tx = tx.clone();
        std::thread::spawn(move || {
            for m in signals {
                if tx.send(m).is_err() {
                    break;
                }
            }
        });
    }
    if interactive {
        std::thread::spawn(move || {
            let mut line = String::new();
            while std::io::stdin().read_line(&mut line).is_ok_and(|n| n > 0) {
                line.clear();
                if tx.send(Input::Enter).is_err() {
                    break;
                }
            }
        });
    }
    let mut out = std::io::stdout().lock();
    for c in &session.cautions {
        let _ = writeln!(out, "caution: {}", c.text);
    }
    if !session.cautions.is_empty() && interactive {
        let _ = writeln!(out, "Press Enter to begin, or Ctrl-C to cancel.");
        let _ = out.flush();
        if rx.recv() != Ok(Input::Enter) {
            let _ = writeln!(out, "cancelled");
            return 0;
        }
    }
    match plain::run(timeline, &session.title, &SystemClock, chime, &rx, &mut out) {
        Ok(_) => 0,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            eprintln!("error: {e}");
            1
        }
    }
}
