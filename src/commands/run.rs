//! `exhale run`: resolve the session, apply the command line's overrides,
//! and hand it to the terminal UI or to plain mode.

use std::io::{IsTerminal as _, Write as _};
use std::time::Duration;

use clap::Args;

use crate::audio::{self, Chime};
use crate::clock::SystemClock;
use crate::commands::catalog::{AvailableSounds, DEFAULT_SETTLE, open_session_with};
use crate::engine::{LengthOverride, Timeline, apply_override};
use crate::paths::Paths;
use crate::plain::{self, Input};

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
    let sounds = AvailableSounds::load(&paths.sounds_dir());
    let (_entry, mut session) = match open_session_with(paths, &args.session, &sounds) {
        Ok(v) => v,
        Err(code) => return code,
    };
    if let Some(o) = args.length_override() {
        apply_override(&mut session, o);
    }
    let settle = session.settle.unwrap_or(DEFAULT_SETTLE);
    let timeline = Timeline::compile(&session, settle);
    // The config's `[sound] enabled` and `volume` belong here too:
    // enabled = !args.no_sound && config enabled; volume from the config.
    let chime: Box<dyn Chime> =
        audio::chime_for(&sounds, &timeline, !args.no_sound, audio::DEFAULT_VOLUME);
    if !args.wants_plain() {
        eprintln!("exhale: the full-screen UI is not available in this build yet; use --plain");
        return 2;
    }
    run_plain(&session, timeline, chime.as_ref())
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
                let input = Input::from_line(&line);
                line.clear();
                if tx.send(input).is_err() {
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
        // Mute and volume lines may come first; only Enter begins.
        loop {
            match rx.recv() {
                Ok(Input::Enter) => break,
                Ok(Input::Quit) | Err(_) => {
                    let _ = writeln!(out, "cancelled");
                    return 0;
                }
                Ok(Input::ToggleMute | Input::VolumeUp | Input::VolumeDown) => {}
            }
        }
    }
    // Plain mode starts the clock at once, so give the audio device a
    // moment to open: the first chime then sounds with the first line.
    chime.ready(Duration::from_secs(1));
    match plain::run(timeline, &session.title, &SystemClock, chime, &rx, &mut out) {
        Ok(_) => 0,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            eprintln!("error: {e}");
            1
        }
    }
}
