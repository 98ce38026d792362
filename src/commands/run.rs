//! `exhale run`: resolve the session, apply the command line's overrides,
//! and hand it to the terminal UI or to plain mode.

use std::io::{IsTerminal as _, Write as _};
use std::time::{Duration, Instant};

use clap::Args;

use crate::audio::{self, Chime};
use crate::clock::SystemClock;
use crate::commands::catalog::{AvailableSounds, open_session_with};
use crate::config::{self, Config, ThemeName};
use crate::engine::{LengthOverride, Timeline, apply_override};
use crate::journal::entry::SessionInfo;
use crate::journal::prompt::{self, Asked, Reply};
use crate::journal::{Checkin, Entry, FileJournal, Journal, JournalSettings, SkipReason};
use crate::library::{Library, Origin};
use crate::paths::Paths;
use crate::plain::{self, Input};
use crate::tui::journaling::JournalHook;
use crate::tui::{self, App, Options, Picker, Prepared, theme::Theme, watch::Watch};

/// Options of `exhale run`.
#[derive(Debug, Clone, Args)]
#[allow(clippy::struct_excessive_bools)] // command-line switches
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
    #[arg(long, value_name = "N", conflicts_with = "minutes", value_parser = clap::value_parser!(u32).range(1..=i64::from(crate::format::validate::MAX_CYCLES)))]
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
            App::with_session(prepared, chime, opts, Instant::now())
        } else {
            let hook = JournalHook::new(Box::new(FileJournal::new(paths.journal_file())), settings);
            App::with_session_journal(prepared, chime, opts, hook, Instant::now())
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
    run_plain(&session, timeline, chime.as_ref(), journal, &info, settings)
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
    let mut app = App::watching(watch, chime, opts, Instant::now());
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

/// Run the full-screen app and turn how it ended into an exit code.
fn run_app(app: &mut App) -> u8 {
    // The app records each session in the journal itself.
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

/// What reaches plain mode's main thread from outside.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Msg {
    /// A line from stdin (a terminal).
    Line(String),
    /// stdin closed.
    Closed,
    /// SIGINT, SIGTERM or SIGHUP.
    Signal(i32),
}

/// Signals and stdin lines on one channel, each from its own thread, and
/// a second channel that disconnects once stdin has closed (so a question
/// asked after Ctrl-D does not wait for ever).
struct Inputs {
    rx: crossbeam_channel::Receiver<Msg>,
    stdin_open: crossbeam_channel::Receiver<()>,
}

fn plain_inputs(interactive: bool) -> Inputs {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let (tx, rx) = crossbeam_channel::unbounded();
    let (open_tx, stdin_open) = crossbeam_channel::bounded::<()>(0);
    if let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) {
        let tx = tx.clone();
        std::thread::spawn(move || {
            for sig in signals.forever() {
                if tx.send(Msg::Signal(sig)).is_err() {
                    break;
                }
            }
        });
    }
    if interactive {
        std::thread::spawn(move || {
            let _open = open_tx;
            let mut line = String::new();
            loop {
                line.clear();
                match std::io::stdin().read_line(&mut line) {
                    Ok(n) if n > 0 => {
                        let l = line.trim_end_matches(['\n', '\r']).to_owned();
                        if tx.send(Msg::Line(l)).is_err() {
                            break;
                        }
                    }
                    _ => {
                        let _ = tx.send(Msg::Closed);
                        break;
                    }
                }
            }
        });
    } else {
        drop(open_tx);
    }
    Inputs { rx, stdin_open }
}

fn to_reply(m: Result<Msg, crossbeam_channel::TryRecvError>) -> Reply {
    match m {
        Ok(Msg::Line(l)) => Reply::Line(l),
        Ok(Msg::Signal(_)) => Reply::Interrupted,
        Ok(Msg::Closed) | Err(_) => Reply::Closed,
    }
}

/// The next line, signal, or the end of stdin.
fn reply(inputs: &Inputs) -> Reply {
    if let Ok(m) = inputs.rx.try_recv() {
        return to_reply(Ok(m));
    }
    crossbeam_channel::select! {
        recv(inputs.rx) -> m => to_reply(m.map_err(|_| crossbeam_channel::TryRecvError::Disconnected)),
        // stdin has closed; take a line that raced in, if any.
        recv(inputs.stdin_open) -> _ => to_reply(inputs.rx.try_recv()),
    }
}

/// Turn stdin lines into Enter and signals into Quit for the session loop,
/// until told to stop; returns the last signal seen (0 for none).
fn forward(
    rx: crossbeam_channel::Receiver<Msg>,
    to: crossbeam_channel::Sender<Input>,
    stop: crossbeam_channel::Receiver<()>,
) -> std::thread::JoinHandle<i32> {
    std::thread::spawn(move || {
        let mut last = 0;
        loop {
            crossbeam_channel::select! {
                recv(rx) -> m => match m {
                    Ok(Msg::Line(l)) => { let _ = to.send(Input::from_line(&l)); }
                    Ok(Msg::Signal(s)) => { last = s; let _ = to.send(Input::Quit); }
                    Ok(Msg::Closed) => {}
                    Err(_) => { let _ = stop.recv(); return last; }
                },
                recv(stop) -> _ => return last,
            }
        }
    })
}

fn run_plain(
    session: &crate::model::Session,
    timeline: Timeline,
    chime: &dyn Chime,
    journal: Option<&dyn Journal>,
    info: &SessionInfo,
    settings: JournalSettings,
) -> u8 {
    let interactive = std::io::stdin().is_terminal();
    let inputs = plain_inputs(interactive);
    let mut out = std::io::stdout().lock();
    // Check-ins are asked only when there is a journal to keep them, a
    // terminal to ask on, and the user has not turned them off.
    let not_asked = if !settings.checkins {
        Some(SkipReason::Disabled)
    } else if !interactive {
        Some(SkipReason::NotATerminal)
    } else {
        None
    };
    let asking = journal.is_some() && not_asked.is_none();
    for c in &session.cautions {
        let _ = writeln!(out, "caution: {}", c.text);
    }
    if !session.cautions.is_empty() && interactive {
        if asking {
            let _ = writeln!(out, "Answer below to begin, or press Ctrl-C to cancel.");
        } else {
            let _ = writeln!(out, "Press Enter to begin, or Ctrl-C to cancel.");
            let _ = out.flush();
            if !matches!(reply(&inputs), Reply::Line(_)) {
                let _ = writeln!(out, "cancelled");
                return 0;
            }
        }
    }
    let before = if asking {
        match prompt::ask_score(prompt::BEFORE_QUESTION, &mut out, &mut || reply(&inputs)) {
            Ok(Asked::Answer(c)) => c,
            Ok(Asked::Interrupted) | Err(_) => {
                let _ = writeln!(out, "cancelled");
                return 0;
            }
        }
    } else {
        Checkin::skipped(not_asked.unwrap_or(SkipReason::Skipped))
    };

    let started = chrono::Local::now().fixed_offset();
    let (to_session, session_rx) = crossbeam_channel::unbounded();
    let (stop_tx, stop_rx) = crossbeam_channel::bounded(1);
    let forwarder = forward(inputs.rx.clone(), to_session, stop_rx);
    // Plain mode starts the clock at once, so give the audio device a
    // moment to open: the first chime then sounds with the first line.
    chime.ready(Duration::from_secs(1));
    let mut outcome = plain::run(
        timeline,
        &session.title,
        &SystemClock,
        chime,
        &session_rx,
        &mut out,
    );
    let _ = stop_tx.send(());
    let signal = forwarder.join().unwrap_or(0);
    // Ctrl-C is the user choosing to stop: a partial session, like `q` in
    // the full-screen app. SIGTERM and SIGHUP stay "interrupted".
    if signal == signal_hook::consts::SIGINT && outcome.ending == crate::player::Ending::Interrupted
    {
        outcome.ending = crate::player::Ending::Stopped;
    }
    let Some(journal) = journal else {
        return 0;
    };

    // SIGTERM and SIGHUP mean the process is being shut down or the
    // terminal has gone: write at once, without asking.
    let shutting_down =
        signal == signal_hook::consts::SIGTERM || signal == signal_hook::consts::SIGHUP;
    let (after, note) = if shutting_down {
        (Checkin::skipped(SkipReason::Interrupted), None)
    } else if asking {
        match prompt::ask_score(prompt::AFTER_QUESTION, &mut out, &mut || reply(&inputs)) {
            Ok(Asked::Answer(c)) if c.skipped.is_none() => {
                match prompt::ask_note(&mut out, &mut || reply(&inputs)) {
                    Ok(Asked::Answer(n)) => (c, n),
                    Ok(Asked::Interrupted) | Err(_) => (c, None),
                }
            }
            Ok(Asked::Answer(c)) => (c, None),
            Ok(Asked::Interrupted) | Err(_) => (Checkin::skipped(SkipReason::Interrupted), None),
        }
    } else {
        (
            Checkin::skipped(not_asked.unwrap_or(SkipReason::Skipped)),
            None,
        )
    };

    let entry = Entry::new(info, started, &outcome, before, after, note);
    match journal.append(&entry) {
        Ok(()) => {
            let _ = writeln!(out, "saved to journal");
        }
        Err(e) => {
            let _ = out.flush();
            eprintln!(
                "error: this session could not be saved to the journal: {e}\n  = the session itself ran; `exhale run --no-journal` runs without recording"
            );
        }
    }
    let _ = out.flush();
    0
}
