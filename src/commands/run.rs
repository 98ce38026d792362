//! `exhale run`: resolve the session, apply the command line's overrides,
//! and hand it to the terminal UI or to plain mode.

use std::time::Duration;

use clap::Args;

use crate::audio::{self, Chime};
use crate::clock;
use crate::commands::catalog::{AvailableSounds, open_session_with};
use crate::config::{self, Config, ThemeName};
use crate::engine::{LengthOverride, Timeline, apply_override};
use crate::exit;
use crate::journal::entry::SessionInfo;
use crate::journal::{FileJournal, Journal, JournalSettings};
use crate::library::{Library, Origin};
use crate::paths::Paths;
use crate::plain;
use crate::signals::Signal;
use crate::tty;
use crate::tui::journaling::JournalHook;
use crate::tui::{self, App, Options, Picker, Prepared, theme::Theme, watch::Watch};

/// Options of `exhale run`.
#[derive(Debug, Clone, Args)]
#[allow(clippy::struct_excessive_bools)] // command-line switches
pub struct RunArgs {
    /// A session name (see `exhale list`) or a path to a .toml file.
    pub session: String,
    /// One line per event instead of the full-screen UI (automatic when
    /// stdout is not a terminal or TERM=dumb; the check-ins are then asked
    /// on the terminal). Type q and Enter to stop.
    #[arg(long)]
    pub plain: bool,
    /// Replace the animation with a calm progress bar.
    #[arg(long)]
    pub reduced_motion: bool,
    /// Play no sound.
    #[arg(long)]
    pub no_sound: bool,
    /// Live preview while writing a session: reload the file on every
    /// save and start again from the top, or show its errors in place.
    #[arg(
        long,
        long_help = "Live preview while writing a session: watch the file and, on every save, \
            check it again. A valid file starts again from the top (with a short \"reloaded\" note); \
            a file with errors shows them in place, with line, column and caret, until it is fixed; \
            a removed file is waited for. Cautions you have accepted are not asked again while \
            watching unless they change. Press r to start again from the top without saving.\n\n\
            Needs a session file: a path, or the name of one of your own sessions \
            (which watches its file in your sessions folder). Built-in sessions cannot be \
            watched; `exhale new NAME --from SESSION` makes a copy you can edit. \
            Not available with --plain."
    )]
    pub watch: bool,
    /// Run every breathing block for this many cycles.
    #[arg(long, value_name = "N", conflicts_with = "minutes", value_parser = clap::value_parser!(u32).range(1..=i64::from(crate::format::limits::MAX_CYCLES)))]
    pub cycles: Option<u32>,
    /// Run every breathing block for about this many minutes; in a session
    /// without breathing blocks (a meditation), make each fixed-length sit
    /// this long, dropping prompts and bells past the new end.
    #[arg(long, value_name = "M", value_parser = parse_minutes)]
    pub minutes: Option<f64>,
    /// Do not record this session in the journal (and ask no check-ins).
    #[arg(long)]
    pub no_journal: bool,
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
        self.plain || !tty::can_draw()
    }
}

/// `exhale run`.
pub fn run(paths: &Paths, args: &RunArgs) -> u8 {
    let config = match load_config(paths) {
        Ok(c) => c,
        Err(code) => return code,
    };
    let settings = journal_settings(&config);
    let sounds = AvailableSounds::load(&paths.sounds_dir());
    if args.watch {
        return run_watching(paths, args, &config, sounds);
    }
    let (entry, mut session) = match open_session_with(paths, &args.session, &sounds) {
        Ok(v) => v,
        Err(code) => return code,
    };
    let mut opts = tui_options(&config, args.reduced_motion);
    opts.length = args.length_override();
    if !args.wants_plain() {
        let chime = make_chime(paths, &config, args.no_sound);
        let prepared = Prepared::new(&entry.name, session, &opts).with_source(&entry.bytes);
        let mut app = if args.no_journal {
            App::with_session(prepared, chime, opts, clock::now())
        } else {
            let hook = JournalHook::new(Box::new(FileJournal::new(paths.journal_file())), settings);
            App::with_session_journal(prepared, chime, opts, hook, clock::now())
        };
        return run_app(&mut app);
    }
    if let Some(o) = opts.length {
        apply_override(&mut session, o);
    }
    let settle = session.settle.unwrap_or(opts.settle);
    let timeline = Timeline::compile(&session, settle);
    let chime = audio::chime_for(
        &sounds,
        &timeline,
        sound_on(&config, args.no_sound),
        config.sound.volume,
    );
    let info = SessionInfo::new(&entry.name, &session.title, &entry.bytes);
    let file = FileJournal::new(paths.journal_file());
    let journal: Option<&dyn Journal> = if args.no_journal { None } else { Some(&file) };
    let ended = plain::run(&session, timeline, chime.as_ref(), journal, &info, settings);
    if let Some(reason) = &ended.not_saved {
        exit::eprintln(format_args!(
            "error: this session could not be saved to the journal: {reason}\n  = the session itself ran; `exhale run --no-journal` runs without recording"
        ));
    }
    exit_code(ended.signal, ended.not_saved.is_some())
}

/// `exhale run FILE --watch`: the live preview. Usage errors (plain mode,
/// a built-in session) exit with 2; a file that cannot be found or
/// watched with 1. A file with errors is not refused: the preview opens on
/// its errors, since fixing them is what the author is doing.
fn run_watching(paths: &Paths, args: &RunArgs, config: &Config, sounds: AvailableSounds) -> u8 {
    let lib = Library::load(Some(&paths.sessions_dir()));
    let entry = match lib.resolve(&args.session) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("error: {e}");
            if matches!(e, crate::library::FindError::Unknown { .. }) {
                eprintln!("  = help: `exhale list` shows every session");
            }
            return 1;
        }
    };
    let path = match &entry.origin {
        Origin::User(p) | Origin::File(p) => p.clone(),
        Origin::BuiltIn => {
            let name = &entry.name;
            eprintln!("error: --watch needs a session file, and `{name}` is built in");
            eprintln!(
                "  = help: `exhale new my-{name} --from {name}` makes a copy you can edit; then `exhale run my-{name} --watch`"
            );
            return 2;
        }
    };
    if args.wants_plain() {
        eprintln!(
            "error: --watch needs the full-screen view; it cannot be used with --plain or without a terminal"
        );
        eprintln!("  = help: `exhale check FILE` checks a file without running it");
        return 2;
    }
    let mut opts = tui_options(config, args.reduced_motion);
    opts.length = args.length_override();
    let mut watch = Watch::new(&path, &entry.display_path(), &entry.name, Box::new(sounds));
    if let Err(e) = watch.start() {
        eprintln!("error: cannot watch {} for changes: {e}", path.display());
        return 1;
    }
    let chime = make_chime(paths, config, args.no_sound);
    let mut app = App::watching(watch, chime, opts, clock::now());
    run_app(&mut app)
}

/// The journal settings from the config file.
pub fn journal_settings(config: &Config) -> JournalSettings {
    JournalSettings {
        checkins: config.journal.checkins,
        day_starts_at: config.journal.day_starts_at,
        streaks: config.journal.streaks,
    }
}

fn sound_on(config: &Config, no_sound: bool) -> bool {
    !no_sound && config.sound.enabled
}

/// `exhale` with no command: the picker.
pub fn picker(paths: &Paths) -> u8 {
    if !tty::can_draw() {
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
    let chime = make_chime(paths, &config, false);
    let hook = JournalHook::new(
        Box::new(FileJournal::new(paths.journal_file())),
        journal_settings(&config),
    );
    let mut app = App::with_picker(picker, chime, opts).with_journal(hook);
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

/// The sound player for the full-screen app, which may run any session:
/// each session's own sounds are decoded when it is about to start, in the
/// background; silent with `--no-sound` or `[sound] enabled = false`.
fn make_chime(paths: &Paths, config: &Config, no_sound: bool) -> Box<dyn Chime> {
    if !sound_on(config, no_sound) {
        return Box::new(audio::Silent);
    }
    // Finding the sounds and opening the device happen on their own
    // thread, and decoding on another: the first frame never waits.
    let dir = paths.sounds_dir();
    let volume = config.sound.volume;
    Box::new(audio::Deferred::spawn(volume, move || {
        audio::chime_lazy(
            std::sync::Arc::new(AvailableSounds::load(&dir)),
            true,
            volume,
        )
    }))
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

/// Run the full-screen app and turn how it ended into an exit code: 128 +
/// the signal's number when one ended it (Ctrl-C: 130), 3 when a session
/// could not be saved, 0 otherwise.
fn run_app(app: &mut App) -> u8 {
    if let Err(e) = tui::run_app(app) {
        exit::eprintln(format_args!("error: the terminal could not be used: {e}"));
        return 1;
    }
    if let Some((location, reason)) = &app.not_saved {
        // The summary said so; say it again where it stays readable.
        exit::eprintln(format_args!(
            "error: a session could not be saved to the journal ({location}): {reason}"
        ));
    }
    exit_code(app.ended_by, app.not_saved.is_some())
}

/// The exit code of a run: a signal's code first (a shell loop must stop
/// on Ctrl-C), then whether the entry could not be saved.
fn exit_code(ended_by: Option<Signal>, not_saved: bool) -> u8 {
    match ended_by {
        Some(sig) => sig.exit_code(),
        None if not_saved => exit::NOT_SAVED,
        None => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signal_decides_the_exit_code_then_a_failed_save() {
        assert_eq!(exit_code(None, false), 0);
        assert_eq!(exit_code(None, true), exit::NOT_SAVED);
        assert_eq!(exit_code(Some(Signal::INT), false), 130);
        // A shell loop must still stop on Ctrl-C.
        assert_eq!(exit_code(Some(Signal::INT), true), 130);
        assert_eq!(exit_code(Some(Signal::TERM), true), 143);
    }
}
