//! `exhale run`: resolve the session, apply the command line's overrides,
//! and hand it to the terminal UI or to plain mode.

use std::io::Write as _;
use std::time::Duration;

use clap::Args;

use crate::audio::{self, Chime};
use crate::clock;
use crate::commands::catalog::{AvailableSounds, open_session_with};
use crate::config::{self, Config};
use crate::engine::model::{Bed, MAX_RATE, MIN_RATE, Pacing, RESONANCE_FALLBACK, Rate, Voicing};
use crate::engine::{LengthOverride, Timeline, apply_override};
use crate::exit::{self, Failure, Outcome};
use crate::journal::entry::SessionInfo;
use crate::journal::measure::Asks;
use crate::journal::{Journal, JournalSettings};
use crate::library::{FindError, Library, Origin};
use crate::paths::Paths;
use crate::plain;
use crate::signals::Signal;
use crate::tty;
use crate::tui::journaling::JournalHook;
use crate::tui::{self, App, Options, Picker, Prepared, watch::Watch};

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
    /// The sound bed under the session, whatever the session or the config
    /// choose: brown, pink, white, rain, ocean, or none.
    #[arg(long, value_name = "NAME", value_parser = parse_bed)]
    pub bed: Option<Bed>,
    /// A sound that lasts the whole breath, whatever the session or the
    /// config choose: `tone` (its pitch rises through each inhale and falls
    /// through each exhale), `noise`, or `none`.
    #[arg(long, value_name = "SOUND", value_parser = parse_pacing)]
    pub pacing: Option<Pacing>,
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
    /// Breathe every breathing block at this many breaths a minute, the
    /// phases' proportions kept; `resonance` for your own rate (found by
    /// `exhale run resonance-finder`; 5.5 until then). Blocks that ramp
    /// keep their own pace.
    #[arg(long, value_name = "RATE", value_parser = parse_rate)]
    pub rate: Option<Rate>,
    /// Speak the cues with this voice pack: `default` (built in), a
    /// folder of your voices folder, or `none` for the chimes alone
    /// (docs/sound.md).
    #[arg(long, value_name = "NAME")]
    pub voice: Option<String>,
    /// Have the voice count the seconds of each phase: "in, 2, 3, 4".
    /// Speaks with the default voice unless another is chosen.
    #[arg(long)]
    pub count: bool,
    /// With --plain: one plain sentence per change of phase, without
    /// times, for a screen reader or a braille display to read.
    #[arg(long)]
    pub announce: bool,
    /// Say meditation prompts aloud, and the summary of a completed
    /// session (needs the espeak-ng program; without it the prompts are
    /// shown with their chime).
    #[arg(long)]
    pub speak: bool,
    /// Do not record this session in the journal (and ask no check-ins).
    #[arg(long)]
    pub no_journal: bool,
    /// resonance-finder: score each step by heart rate from FILE, JSON
    /// lines of RR intervals (`{"rr_ms": 850.5}`), or `-` for standard
    /// input as it comes (docs/resonance.md).
    #[arg(long, value_name = "FILE|-")]
    pub hr_input: Option<std::path::PathBuf>,
    /// resonance-finder: make each step this long instead of 2 minutes
    /// (settle-in half a step, rests a quarter), e.g. `30s`.
    #[arg(long, value_name = "LENGTH", value_parser = parse_step)]
    pub step: Option<Duration>,
    /// resonance-finder: score each step from a heart-rate strap over
    /// Bluetooth: `ble`, or `ble:NAME` for the strap whose name holds NAME
    /// (`exhale devices` lists them).
    #[cfg(feature = "hrv")]
    #[arg(long, value_name = "ble[:NAME]", conflicts_with = "hr_input")]
    pub hr: Option<String>,
    /// Ask no check-in before or after (`exhale now`; not an option of
    /// `run`): the entry says `disabled`.
    #[arg(skip)]
    pub no_checkins: bool,
}

/// `exhale devices` (the `hrv` feature): the straps in reach.
#[cfg(feature = "hrv")]
pub fn devices() -> Outcome {
    let straps = crate::hr::strap::list().map_err(Failure::invalid)?;
    let mut out = crate::commands::output::Out::stdout();
    if straps.is_empty() {
        writeln!(
            out,
            "no heart-rate strap in reach (wear it: most wake on skin contact)"
        );
    }
    for s in &straps {
        let name = if s.name.is_empty() {
            "(no name)"
        } else {
            &s.name
        };
        writeln!(out, "{name}  {}", s.address);
    }
    out.finish()
}

/// The strap `--hr ble[:NAME]` names, streaming on a thread of its own.
#[cfg(feature = "hrv")]
fn strap_heart(spec: &str) -> Result<crate::plain::finder::Heart, Failure> {
    let name = match spec.split_once(':') {
        None if spec == "ble" => None,
        Some(("ble", n)) if !n.is_empty() => Some(n.to_owned()),
        _ => {
            return Err(Failure::usage(format_args!(
                "`--hr {spec}`: write `--hr ble` or `--hr ble:NAME`"
            )));
        }
    };
    let (tx, rx) = crossbeam_channel::unbounded();
    std::thread::spawn(move || {
        if let Err(e) = crate::hr::strap::stream(name.as_deref(), &tx) {
            crate::exit::eprintln(format_args!("warning: {e}"));
        }
    });
    Ok(crate::plain::finder::Heart::Stream(rx))
}

fn parse_step(s: &str) -> Result<Duration, String> {
    let d = crate::format::length::parse(s)
        .map_err(|_| format!("`{s}` is not a length; write e.g. 30s, 1m or 1m30s"))?;
    if d < Duration::from_secs(1) || d > Duration::from_secs(600) {
        return Err("give a step of 1 second to 10 minutes, e.g. 30s or 2m".into());
    }
    Ok(d)
}

fn parse_bed(s: &str) -> Result<Bed, String> {
    Bed::from_name(s).ok_or_else(|| {
        format!(
            "unknown bed `{s}`; {}",
            crate::format::validate::bed_help(s)
        )
    })
}

fn parse_pacing(s: &str) -> Result<Pacing, String> {
    Pacing::from_name(s).ok_or_else(|| {
        format!(
            "unknown pacing `{s}`; {}",
            crate::format::validate::pacing_help(s)
        )
    })
}

fn parse_rate(s: &str) -> Result<Rate, String> {
    if s == "resonance" {
        return Ok(Rate::Resonance);
    }
    let v: f64 = s.parse().map_err(|_| {
        format!("`{s}` is not a rate; give breaths a minute (6, 5.5) or `resonance`")
    })?;
    if !v.is_finite() || !(MIN_RATE..=MAX_RATE).contains(&v) {
        return Err(format!(
            "give a rate of {MIN_RATE} to {MAX_RATE} breaths a minute, or `resonance`"
        ));
    }
    Ok(Rate::PerMinute(v))
}

/// The person's resonance rate for a session that follows it, from the
/// journal's newest assessment; a note on standard error says which rate
/// is used (or that 5.5 is, until an assessment exists).
pub fn resonance_rate(
    store: Option<&crate::journal::Store>,
    session: &crate::engine::model::Session,
    rate: Option<Rate>,
) -> Option<f64> {
    let follows = match rate {
        // A number on the command line paces every block that could.
        Some(Rate::PerMinute(_)) => false,
        Some(Rate::Resonance) => true,
        None => crate::engine::pace::uses_resonance(session),
    };
    if !follows {
        return None;
    }
    let list = store.and_then(|s| s.assessments().ok()).unwrap_or_default();
    let found = crate::journal::assessment::current(&list);
    let mut err = std::io::stderr().lock();
    match found.and_then(|a| a.resonance_rate.map(|r| (r, a.date))) {
        Some((r, date)) => {
            let _ = writeln!(
                err,
                "note: breathing at your resonance rate, {} breaths a minute (found {})",
                crate::hr::score::rate_words(r),
                date.format("%Y-%m-%d")
            );
            Some(r)
        }
        None => {
            let _ = writeln!(
                err,
                "note: no resonance assessment yet, so breathing at {} breaths a minute; \
                 `exhale run resonance-finder` finds your own rate",
                crate::hr::score::rate_words(RESONANCE_FALLBACK)
            );
            None
        }
    }
}

/// Read `--minutes`: above 0, at most a day.
pub fn parse_minutes(s: &str) -> Result<f64, String> {
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

    /// Put `--voice` and `--count` into `voicing`; an unknown voice is bad
    /// usage, named with the voices there are.
    pub fn voice_into(&self, paths: &Paths, voicing: &mut Voicing) -> Result<(), Failure> {
        if let Some(v) = &self.voice {
            let known = crate::config::voice_names(&paths.voices_dir());
            if v != "none" && !known.iter().any(|k| k == v) {
                return Err(Failure::usage(format_args!(
                    "--voice: there is no voice `{v}`; the voices are {}, or `none` for the chimes alone",
                    known.join(", ")
                ))
                .help(format_args!(
                    "a voice of your own is a folder of clips in {} (docs/sound.md)",
                    paths.voices_dir().display()
                )));
            }
            voicing.forced = Some(v.clone());
        }
        voicing.forced_speak = self.speak;
        if self.count {
            voicing.forced_count = true;
            // Counting needs someone to count.
            let silent = |v: &Option<String>| v.as_deref().is_none_or(|v| v == "none");
            if self.voice.is_none() && silent(&voicing.default) {
                voicing.default = Some(crate::format::DEFAULT_VOICE_NAME.to_owned());
            }
        }
        if self.announce && !self.wants_plain() {
            return Err(Failure::usage("--announce is for plain mode: add --plain")
                .help("`exhale run SESSION --plain --announce` prints one sentence per change of phase"));
        }
        Ok(())
    }

    /// Whether plain mode applies: asked for, or no terminal to draw on.
    pub fn wants_plain(&self) -> bool {
        self.plain || !tty::can_draw()
    }
}

/// `exhale run`.
pub fn run(paths: &Paths, args: &RunArgs) -> Outcome {
    let config = load_config(paths)?;
    let mut settings = JournalSettings::from(&config.journal);
    if args.no_checkins {
        settings.checkins = false;
    }
    // The journal's place is checked before anything runs.
    let store = if args.no_journal {
        None
    } else {
        Some(crate::commands::journal::open_store(paths, &config)?)
    };
    let sounds = AvailableSounds::load(&paths.sounds_dir());
    if args.watch {
        return run_watching(paths, args, &config, sounds);
    }
    let (entry, mut session) = open_session_with(paths, &args.session, &sounds)?;
    if entry.name == "resonance-finder" && entry.origin == Origin::BuiltIn {
        return run_finder(paths, args, &config, store.as_ref());
    }
    if args.hr_input.is_some() || args.step.is_some() {
        return Err(Failure::usage(
            "--hr-input and --step are for the resonance finder: `exhale run resonance-finder`",
        ));
    }
    let mut opts = Options::from_config(&config, args.reduced_motion);
    opts.length = args.length_override();
    opts.rate = args.rate;
    opts.forced_bed = args.bed;
    args.voice_into(paths, &mut opts.voicing)?;
    opts.forced_pacing = args.pacing;
    // The rate is read even with --no-journal: it only reads.
    let reader = store
        .clone()
        .or_else(|| crate::commands::journal::open_store(paths, &config).ok());
    opts.resonance = resonance_rate(reader.as_ref(), &session, args.rate);
    if !args.wants_plain() {
        let chime = app_chime(paths, &config, args.no_sound);
        let prepared = Prepared::new(&entry.name, session, &opts).with_source(&entry.bytes);
        let mut app = match store {
            None => App::with_session(prepared, chime, opts, clock::now()),
            Some(store) => {
                let asks = if settings.checkins {
                    crate::commands::plan::asks(paths, &config, &store)
                } else {
                    Asks::default()
                };
                let hook = JournalHook::new(Box::new(store), settings).with_questions(asks);
                App::with_session_journal(prepared, chime, opts, hook, clock::now())
            }
        };
        return run_app(&mut app);
    }
    if let Some(o) = opts.length {
        apply_override(&mut session, o);
    }
    let kept = crate::engine::pace::prepare(&mut session, opts.rate, opts.resonance);
    if kept > 0 {
        let _ = writeln!(
            std::io::stderr().lock(),
            "note: --rate does not change a block that ramps ({kept} here): a ramp has no one rate"
        );
    }
    opts.voicing.apply(&mut session);
    let settle = session.settle.unwrap_or(opts.settle);
    let timeline = Timeline::compile(&session, settle)
        .with_bed(session.bed, args.bed, config.sound.bed)
        .with_pacing(args.pacing, config.sound.pacing);
    let speaks = audio::timeline_sounds(&timeline)
        .iter()
        .any(|n| n.starts_with(audio::speech::SPEECH_PREFIX));
    if speaks && sound_on(&config, args.no_sound) && !sounds.can_speak() {
        crate::exit::eprintln(format_args!("exhale: {}", audio::speech::NO_SYNTH));
    }
    let chime = audio::chime_for(
        &sounds,
        &timeline,
        sound_on(&config, args.no_sound),
        config.sound.volume,
        &config.sound.channels,
    );
    let info = SessionInfo::new(&entry.name, &session.title, &entry.bytes);
    let journal = store.as_ref().map(|s| s as &dyn Journal);
    let asks = match (&store, settings.checkins) {
        (Some(store), true) => crate::commands::plan::asks(paths, &config, store),
        _ => Asks::default(),
    };
    let ended = plain::run(
        &session,
        plain::Guide {
            timeline,
            announce: args.announce,
        },
        chime.as_ref(),
        journal,
        &info,
        settings,
        &asks,
    );
    let not_saved = ended.not_saved.map(|reason| {
        Failure::error(
            exit::NOT_SAVED,
            format_args!("this session could not be saved to the journal: {reason}"),
        )
        .note("the session itself ran; `exhale run --no-journal` runs without recording")
    });
    how_it_ended(ended.signal, not_saved)
}

/// `exhale run resonance-finder`: the assessment, full screen, or in plain
/// mode (its questions are then lines on standard input). The result goes
/// to the journal.
fn run_finder(
    paths: &Paths,
    args: &RunArgs,
    config: &Config,
    store: Option<&crate::journal::Store>,
) -> Outcome {
    use crate::engine::finder::{Plan, STEP};
    use crate::plain::finder::{self, Heart, Setup};
    if args.watch || args.rate.is_some() || args.cycles.is_some() || args.minutes.is_some() {
        return Err(Failure::usage(
            "the resonance finder sets its own rates and lengths; use --step to shorten its steps",
        ));
    }
    let heart = match &args.hr_input {
        None => Heart::None,
        Some(p) if p.as_os_str() == "-" => Heart::Live,
        Some(p) => Heart::Recording(crate::hr::input::read_file(p).map_err(Failure::invalid)?),
    };
    // `--hr ble[:NAME]` (the `hrv` feature; clap keeps it apart from
    // --hr-input).
    #[cfg(feature = "hrv")]
    let heart = match args.hr.as_deref() {
        Some(spec) => strap_heart(spec)?,
        None => heart,
    };
    let plan = Plan::new(args.step.unwrap_or(STEP));
    let mut voicing = Options::from_config(config, false).voicing;
    args.voice_into(paths, &mut voicing)?;
    if !args.wants_plain() {
        return finder_app(paths, args, config, store, plan, heart);
    }
    let chime: Box<dyn Chime> = if sound_on(config, args.no_sound) {
        audio::for_any_session(
            paths.sounds_dir(),
            config.sound.volume,
            config.sound.channels,
        )
    } else {
        Box::new(audio::Silent)
    };
    let clock = plain::session_clock();
    let ended = finder::run(
        Setup {
            plan,
            heart,
            chime: chime.as_ref(),
            journal: store,
            voicing,
            pacing: (args.pacing, config.sound.pacing),
        },
        clock.as_ref(),
    );
    let not_saved = ended.not_saved.map(|reason| {
        Failure::error(
            exit::NOT_SAVED,
            format_args!("the result could not be saved to the journal: {reason}"),
        )
    });
    how_it_ended(ended.signal, not_saved)
}

/// The resonance finder in the full-screen app: the result is saved by
/// the app, then said again on standard output where it stays readable.
fn finder_app(
    paths: &Paths,
    args: &RunArgs,
    config: &Config,
    store: Option<&crate::journal::Store>,
    plan: crate::engine::finder::Plan,
    heart: crate::plain::finder::Heart,
) -> Outcome {
    use crate::plain::finder::{Heart, stdin_samples, timed};
    use crate::tui::Screen;
    use crate::tui::finder::Finder;
    let clock = plain::session_clock();
    let start = clock.now();
    let mut finder = Finder::new(plan, start);
    finder = match heart {
        Heart::None => finder,
        Heart::Recording(beats) => finder.with_recording(beats),
        Heart::Live => finder.with_feed(timed(start, stdin_samples())),
        Heart::Stream(rx) => finder.with_feed(timed(start, rx)),
    };
    if let Some(s) = store {
        finder = finder.with_journal(Box::new(s.clone()));
    }
    let mut opts = Options::from_config(config, args.reduced_motion);
    args.voice_into(paths, &mut opts.voicing)?;
    opts.forced_pacing = args.pacing;
    let chime = app_chime(paths, config, args.no_sound);
    let mut app = App::finding(finder, chime, opts, start);
    tui::run_app_on(&mut app, clock.as_ref())
        .map_err(|e| Failure::invalid(format_args!("the terminal could not be used: {e}")))?;
    if let Screen::FinderDone(d) = &app.screen {
        let saved = if matches!(d.saved, Some(crate::tui::journaling::Saved::Saved)) {
            " (saved to your journal)"
        } else {
            ""
        };
        let line = match &d.found {
            Some(Ok(r)) => format!(
                "Your resonance rate: {} breaths a minute{saved}",
                crate::text::rate(*r)
            ),
            Some(Err(why)) => format!("The result is unclear: {why}; no rate is saved"),
            None => "The resonance finder stopped before the end; nothing was saved".to_owned(),
        };
        let _ = writeln!(std::io::stdout().lock(), "{line}");
    }
    let not_saved = app.not_saved.as_ref().map(|(location, reason)| {
        Failure::error(
            exit::NOT_SAVED,
            format_args!("the result could not be saved to the journal ({location}): {reason}"),
        )
    });
    how_it_ended(app.ended_by, not_saved)
}

/// `exhale run FILE --watch`: the live preview. Usage errors (plain mode,
/// a built-in session) exit with 2; a file that cannot be found or
/// watched with 1. A file with errors is not refused: the preview opens on
/// its errors, since fixing them is what the author is doing.
fn run_watching(
    paths: &Paths,
    args: &RunArgs,
    config: &Config,
    sounds: AvailableSounds,
) -> Outcome {
    let lib = Library::load(Some(&paths.sessions_dir()));
    let entry = lib.resolve(&args.session).map_err(|e| {
        let f = Failure::invalid(&e);
        if matches!(e, FindError::Unknown { .. }) {
            f.help("`exhale list` shows every session")
        } else {
            f
        }
    })?;
    let path = match &entry.origin {
        Origin::User(p) | Origin::File(p) => p.clone(),
        Origin::BuiltIn => {
            let name = &entry.name;
            return Err(Failure::usage(format_args!(
                "--watch needs a session file, and `{name}` is built in"
            ))
            .help(format_args!(
                "`exhale new my-{name} --from {name}` makes a copy you can edit; then `exhale run my-{name} --watch`"
            )));
        }
    };
    if args.wants_plain() {
        return Err(Failure::usage(
            "--watch needs the full-screen view; it cannot be used with --plain or without a terminal",
        )
        .help("`exhale check FILE` checks a file without running it"));
    }
    let mut opts = Options::from_config(config, args.reduced_motion);
    opts.length = args.length_override();
    opts.forced_bed = args.bed;
    args.voice_into(paths, &mut opts.voicing)?;
    opts.forced_pacing = args.pacing;
    let mut watch = Watch::new(&path, &entry.display_path(), &entry.name, Box::new(sounds));
    watch.start().map_err(|e| {
        Failure::invalid(format_args!(
            "cannot watch {} for changes: {e}",
            path.display()
        ))
    })?;
    let chime = app_chime(paths, config, args.no_sound);
    let mut app = App::watching(watch, chime, opts, clock::now());
    run_app(&mut app)
}

fn sound_on(config: &Config, no_sound: bool) -> bool {
    !no_sound && config.sound.enabled
}

/// `exhale` with no command: the picker.
pub fn picker(paths: &Paths) -> Outcome {
    if !tty::can_draw() {
        return Err(
            Failure::text(exit::USAGE, "exhale: the session picker needs a terminal")
                .help("`exhale list` shows every session; `exhale run <SESSION> --plain` runs one"),
        );
    }
    let config = load_config(paths)?;
    let store = crate::commands::journal::open_store(paths, &config)?;
    let mut opts = Options::from_config(&config, false);
    // Sessions picked that follow the person's resonance rate use it.
    opts.resonance = store
        .assessments()
        .ok()
        .and_then(|list| crate::journal::assessment::current(&list).and_then(|a| a.resonance_rate));
    let mut picker = Picker::load(paths, config.default_session.as_deref());
    // Today's planned practice at the top; what the plan avoids marked.
    let planned = crate::commands::plan::due_today(paths);
    if let Some((plan, due)) = &planned {
        picker.apply_plan(plan, due);
    }
    let chime = app_chime(paths, &config, false);
    // The plan read once, for the picker and the check-ins.
    let asks = crate::commands::plan::asks_for(planned.as_ref().map(|(p, _)| p), &config, &store);
    let hook = JournalHook::new(Box::new(store), JournalSettings::from(&config.journal))
        .with_questions(asks);
    let mut app = App::with_picker(picker, chime, opts).with_journal(hook);
    run_app(&mut app)
}

/// `exhale now`: straight into a calming practice, for a hard moment: the
/// plan's practice for today (or its first), or extended exhale without a
/// plan; no picker, no check-in, the usual ways out.
pub fn now(paths: &Paths, plain: bool) -> Outcome {
    let (session, length) = crate::commands::plan::now_choice(paths);
    let (cycles, minutes) = match length {
        crate::plan::Length::AsWritten => (None, None),
        crate::plan::Length::Cycles(n) => (Some(n), None),
        crate::plan::Length::Minutes(m) => (None, Some(m)),
    };
    let args = RunArgs {
        session,
        plain,
        reduced_motion: false,
        no_sound: false,
        bed: None,
        pacing: None,
        watch: false,
        cycles,
        minutes,
        rate: None,
        voice: None,
        count: false,
        announce: false,
        speak: false,
        no_journal: false,
        hr_input: None,
        step: None,
        #[cfg(feature = "hrv")]
        hr: None,
        no_checkins: true,
    };
    run(paths, &args)
}

/// Read the config file; what is wrong with it is the failure.
pub fn load_config(paths: &Paths) -> Result<Config, Failure> {
    config::load(&paths.config_file()).map_err(|e| Failure::text(exit::INVALID, e.0))
}

/// The sound player for the full-screen app: silent with `--no-sound`
/// or `[sound] enabled = false`; built once the first frame is drawn.
fn app_chime(paths: &Paths, config: &Config, no_sound: bool) -> Box<dyn Chime> {
    if !sound_on(config, no_sound) {
        return Box::new(audio::Silent);
    }
    audio::for_the_screen(
        paths.sounds_dir(),
        config.sound.volume,
        config.sound.channels,
    )
}

/// Run the full-screen app and say how it ended.
fn run_app(app: &mut App) -> Outcome {
    tui::run_app(app)
        .map_err(|e| Failure::invalid(format_args!("the terminal could not be used: {e}")))?;
    // The summary said so; say it again where it stays readable.
    let not_saved = app.not_saved.as_ref().map(|(location, reason)| {
        Failure::error(
            exit::NOT_SAVED,
            format_args!("a session could not be saved to the journal ({location}): {reason}"),
        )
    });
    how_it_ended(app.ended_by, not_saved)
}

/// How a run ends: a signal's code first (128 + its number, so a shell
/// loop stops on Ctrl-C), then whether the entry could not be saved,
/// whose message is said either way.
fn how_it_ended(signal: Option<Signal>, not_saved: Option<Failure>) -> Outcome {
    match (signal, not_saved) {
        (Some(sig), Some(f)) => Err(f.with_code(sig.exit_code())),
        (Some(sig), None) => Err(Failure::quiet(sig.exit_code())),
        (None, Some(f)) => Err(f),
        (None, None) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(signal: Option<Signal>, not_saved: bool) -> u8 {
        let f = not_saved.then(|| Failure::error(exit::NOT_SAVED, "not saved"));
        match how_it_ended(signal, f) {
            Ok(()) => 0,
            Err(f) => f.code,
        }
    }

    #[test]
    fn a_signal_decides_the_exit_code_then_a_failed_save() {
        assert_eq!(code(None, false), 0);
        assert_eq!(code(None, true), exit::NOT_SAVED);
        assert_eq!(code(Some(Signal::INT), false), 130);
        // A shell loop must still stop on Ctrl-C.
        assert_eq!(code(Some(Signal::INT), true), 130);
        assert_eq!(code(Some(Signal::TERM), true), 143);
    }

    #[test]
    fn a_failed_save_is_said_even_when_a_signal_ended_the_run() {
        let f = Failure::error(exit::NOT_SAVED, "not saved");
        let Err(f) = how_it_ended(Some(Signal::HUP), Some(f)) else {
            panic!("a signal is a failure");
        };
        assert_eq!((f.code, f.message.as_str()), (129, "error: not saved"));
    }
}
