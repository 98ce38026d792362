//! The application state: which screen is showing, the session being
//! practised, and the view options. The app changes only in `update.rs`,
//! the one `impl App`; the session screen's own state answers its keys
//! here ([`Running::key`]) with what the app should do next. The render
//! modules only read.

use std::time::{Duration, Instant};

use crate::audio::Chime;
use crate::audio::pacing::Pacer;
use crate::config::{Animation, Config, DEFAULT_CLOSING, DEFAULT_SETTLE, ThemeName};
use crate::engine::model::{Bed, Pacing, Rate};
use crate::engine::model::{PhaseKind, Session};
use crate::engine::player::{Outcome, Player};
use crate::engine::{LengthOverride, PhaseBounds, SegmentKind, Timeline, apply_override};
use crate::journal::entry::SessionInfo;
use crate::signals::Signal;

use super::journaling::{AfterCheckin, BeforeCheckin, JournalHook, Saved, StatsView};
use super::keys::SessionKey;
use super::picker::Picker;
use super::theme::Theme;

/// How the screens look, from the config and the command line.
#[derive(Debug, Clone)]
pub struct Options {
    /// Colours or none.
    pub theme: Theme,
    /// Replace the animation with a calm progress bar updated once a second.
    pub reduced_motion: bool,
    /// The animated cue's shape.
    pub animation: Animation,
    /// Show the seconds counting down within each phase.
    pub show_timings: bool,
    /// Settle-in countdown for sessions that do not set their own.
    pub settle: Duration,
    /// The closing moment after the last phase (zero for none).
    pub closing: Duration,
    /// Length override from the command line (applies to `run` only).
    pub length: Option<LengthOverride>,
    /// `--rate` from the command line (applies to `run` only).
    pub rate: Option<Rate>,
    /// The person's resonance rate from the journal, for blocks with
    /// `rate = "resonance"` (which breathe at 5.5 without it).
    pub resonance: Option<f64>,
    /// The voice from the config and the command line.
    pub voicing: crate::engine::model::Voicing,
    /// Panic on the first frame of a session (end-to-end test of terminal
    /// restoration; set by `EXHALE_TEST_PANIC=1`).
    pub test_panic: bool,
    /// The sound bed for a session that does not choose one (the config's
    /// `[sound] bed`).
    pub bed: Bed,
    /// `--bed` from the command line, over the session's choice.
    pub forced_bed: Option<Bed>,
    /// The pacing sound for a session or block that does not choose one
    /// (the config's `[sound] pacing`).
    pub pacing: Pacing,
    /// `--pacing` from the command line, over the session's choice.
    pub forced_pacing: Option<Pacing>,
}

impl Options {
    /// The options from the config, the environment (`NO_COLOR`, and
    /// `EXHALE_TEST_PANIC` for the end-to-end test of a panic) and the
    /// command line's `--reduced-motion`.
    pub fn from_config(config: &Config, reduced_motion: bool) -> Self {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Self {
            theme: Theme::new(!no_color && config.theme == ThemeName::Default),
            reduced_motion: reduced_motion || config.reduced_motion,
            animation: config.animation,
            show_timings: config.show_timings,
            settle: config.settle_in,
            closing: config.closing,
            voicing: crate::engine::model::Voicing {
                default: config.voice.voice.clone(),
                default_count: config.voice.count,
                default_speak: config.voice.speak,
                ..Default::default()
            },
            test_panic: std::env::var_os("EXHALE_TEST_PANIC").is_some_and(|v| v == "1"),
            bed: config.sound.bed,
            pacing: config.sound.pacing,
            ..Self::default()
        }
    }
}

impl Default for Options {
    fn default() -> Self {
        Self {
            theme: Theme::new(true),
            reduced_motion: false,
            animation: Animation::Circle,
            show_timings: true,
            settle: DEFAULT_SETTLE,
            closing: DEFAULT_CLOSING,
            length: None,
            rate: None,
            resonance: None,
            voicing: crate::engine::model::Voicing::default(),
            test_panic: false,
            bed: Bed::None,
            forced_bed: None,
            pacing: Pacing::None,
            forced_pacing: None,
        }
    }
}

/// A session chosen and compiled, not yet started.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The name it was chosen by.
    pub name: String,
    /// The validated session.
    pub session: Session,
    /// Its timeline, settle-in included.
    pub timeline: Timeline,
    /// What the journal records about it (name, title, fingerprint of
    /// the file); see [`Prepared::with_source`].
    pub info: SessionInfo,
}

impl Prepared {
    /// Compile `session` with the options' settle-in and length override.
    pub fn new(name: &str, mut session: Session, opts: &Options) -> Self {
        if let Some(o) = opts.length {
            apply_override(&mut session, o);
        }
        crate::engine::pace::prepare(&mut session, opts.rate, opts.resonance);
        opts.voicing.apply(&mut session);
        let settle = session.settle.unwrap_or(opts.settle);
        let timeline = Timeline::compile(&session, settle)
            .with_bed(session.bed, opts.forced_bed, opts.bed)
            .with_pacing(opts.forced_pacing, opts.pacing);
        // Without the file's bytes the fingerprint is of nothing; callers
        // that have the file say so with `with_source`.
        let info = SessionInfo::new(name, &session.title, b"");
        Self {
            name: name.to_owned(),
            session,
            timeline,
            info,
        }
    }

    /// The session file's bytes, so the journal entry carries their
    /// fingerprint.
    #[must_use]
    pub fn with_source(mut self, source: &[u8]) -> Self {
        self.info = SessionInfo::new(&self.name, &self.session.title, source);
        self
    }
}

/// A session being practised.
#[derive(Debug, Clone)]
// Independent facts about the moment (two questions, two reasons for a
// pause), not a state machine in disguise.
#[allow(clippy::struct_excessive_bools)]
pub struct Running {
    /// Title shown at the top.
    pub title: String,
    /// The schedule and its clock.
    pub player: Player,
    /// Whether the "Stop here?" question is showing.
    pub confirm_stop: bool,
    /// Whether the question paused the session (so Esc resumes it).
    pub paused_by_confirm: bool,
    /// Whether the window became too small to see the session and paused
    /// it (so it resumes by itself when the window is big enough again).
    pub paused_by_size: bool,
    /// Whether the question before `n` moves on in a meditation is
    /// showing ("Go on to the next prompt?", or "Skip the rest of this
    /// meditation?" when no prompt is left).
    pub confirm_skip: bool,
    /// The sound bed playing now: the session's to begin with, then
    /// whichever the bed key chose.
    pub bed: Bed,
    /// What the pacing sound was last told.
    pub pacer: Pacer,
}

/// What a key on the session screen asks of the app, beyond what it
/// did to the session itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionEffect {
    /// Nothing more.
    None,
    /// Stop here ("Stop here?" was answered).
    Stop,
    /// Show the keys overlay.
    Help,
    /// Sound on or off.
    Mute,
    /// One step louder (`true`) or softer.
    Volume(bool),
    /// The next sound bed.
    Bed,
    /// The pace was changed (`Ok`, the new pace in percent) or could not
    /// go further (`Err`, the pace that stands); `faster` says which way
    /// was asked. `None` when no paced breathing is running.
    Pace {
        /// The pace after the key.
        result: Result<u32, u32>,
        /// Which way the key asked.
        faster: bool,
        /// Whether a paced breath is running (a pace means nothing in
        /// a sit, a hold or a settle-in).
        breathing: bool,
    },
}

/// The phase lengths a change of pace keeps to: the session format's.
pub const PACE_BOUNDS: PhaseBounds = PhaseBounds {
    min: crate::format::limits::MIN_PHASE,
    max: crate::format::limits::MAX_PHASE,
};

impl Running {
    /// A key on the session screen: pause, skip, end a hold, ask before
    /// stopping or skipping a meditation.
    pub fn key(&mut self, key: SessionKey, now: Instant) -> SessionEffect {
        if self.confirm_stop {
            match key {
                SessionKey::Enter | SessionKey::AskStop => return SessionEffect::Stop,
                SessionKey::Cancel | SessionKey::Space => {
                    self.confirm_stop = false;
                    if self.paused_by_confirm {
                        self.player.resume(now);
                        self.paused_by_confirm = false;
                    }
                }
                _ => {}
            }
            return SessionEffect::None;
        }
        if self.confirm_skip {
            self.confirm_skip = false;
            match key {
                // n again: on to the next prompt, or past the sit when
                // there is none.
                SessionKey::Skip => {
                    if !self.player.to_next_prompt(now) {
                        self.player.skip(now);
                    }
                    return SessionEffect::None;
                }
                // Enter: past the whole sit, prompts or not.
                SessionKey::Enter => {
                    self.player.skip(now);
                    return SessionEffect::None;
                }
                SessionKey::Cancel => return SessionEffect::None,
                _ => {}
            }
        }
        let p = &mut self.player;
        match key {
            SessionKey::Space => {
                if !p.is_paused() && p.in_open_segment(now) {
                    p.end_open(now);
                } else {
                    p.toggle_pause(now);
                }
            }
            SessionKey::Enter => {
                if !p.is_paused() {
                    p.end_open(now);
                }
            }
            SessionKey::Skip => {
                // One stray key must not end a whole meditation: ask once.
                let sitting = p.state(now).segment.kind == SegmentKind::Sit;
                if sitting && !p.finished(now) {
                    self.confirm_skip = true;
                } else {
                    p.skip(now);
                }
            }
            SessionKey::AskStop | SessionKey::Cancel => {
                self.confirm_stop = true;
                self.paused_by_confirm = !p.is_paused();
                p.pause(now);
            }
            SessionKey::Help => return SessionEffect::Help,
            SessionKey::Mute => return SessionEffect::Mute,
            SessionKey::Bed => return SessionEffect::Bed,
            SessionKey::Louder => return SessionEffect::Volume(true),
            SessionKey::Softer => return SessionEffect::Volume(false),
            SessionKey::Slower | SessionKey::Faster => {
                let faster = key == SessionKey::Faster;
                let s = p.state(now);
                let breathing = !p.finished(now)
                    && matches!(s.segment.kind, SegmentKind::Breath(_))
                    && !s.segment.recovery;
                let result = p.step_pace(now, faster, PACE_BOUNDS);
                return SessionEffect::Pace {
                    result,
                    faster,
                    breathing,
                };
            }
            SessionKey::Other => {}
        }
        SessionEffect::None
    }

    /// Whether the cue is moving at `now` (so frames are drawn at 30 a
    /// second): an inhale or an exhale, running, drawn with motion.
    pub fn animating(&self, reduced_motion: bool, now: Instant) -> bool {
        let p = &self.player;
        !reduced_motion
            && !p.is_paused()
            && !p.finished(now)
            && matches!(
                p.state(now).segment.kind,
                SegmentKind::Breath(PhaseKind::Inhale | PhaseKind::Exhale)
            )
    }

    /// When the screen must be drawn again if nothing else happens: the
    /// next frame while the cue moves, otherwise the next change of a
    /// shown second, and the next event of the session. `None` while
    /// paused or once finished.
    pub fn next_deadline(&self, reduced_motion: bool, now: Instant) -> Option<Instant> {
        let p = &self.player;
        if p.is_paused() || p.finished(now) {
            return None;
        }
        let redraw = if self.animating(reduced_motion, now) {
            now + FRAME
        } else {
            now + next_second_change(&p.state(now))
        };
        Some(p.next_wake(now).map_or(redraw, |w| w.min(redraw)))
    }

    /// A session nobody can see does not run on: pause it while the
    /// window is too `small`, and resume it when it is big enough again,
    /// if this was what paused it.
    pub fn follow_size(&mut self, small: bool, now: Instant) {
        if small && !self.player.is_paused() && !self.player.finished(now) {
            self.player.pause(now);
            self.paused_by_size = true;
        } else if !small && self.paused_by_size {
            self.paused_by_size = false;
            if self.player.is_paused() && !self.confirm_stop {
                self.player.resume(now);
            }
        }
    }
}

/// The summary after a session.
#[derive(Debug, Clone)]
pub struct Summary {
    /// The session's title.
    pub title: String,
    /// What was practised.
    pub outcome: Outcome,
    /// When it appeared: keys in the first moment are not taken as
    /// "close" (a Space meant for the last hold must not skip the summary).
    pub shown_at: Instant,
    /// Whether the journal kept it (`None` when nothing is recorded).
    pub saved: Option<Saved>,
}

/// The still moment after the last phase of a completed session, before
/// the check-in and the summary: the end sound rings, nothing moves.
#[derive(Debug, Clone)]
pub struct Closing {
    /// The summary that follows (after the check-in, if one is asked).
    pub summary: Summary,
    /// When it goes on by itself.
    pub until: Instant,
}

/// What the closing moment says.
pub const CLOSING_WORDS: [&str; 2] = ["Take a moment.", "Notice how you feel."];

/// How long the summary ignores keys after it appears.
pub const SUMMARY_GRACE: Duration = Duration::from_millis(800);

/// What is on screen.
#[derive(Debug, Clone)]
pub enum Screen {
    /// Choosing a session.
    Picker,
    /// The watched session file (`--watch`) has errors or is gone.
    FileProblem(Box<super::watch::FileProblem>),
    /// Cautions before the first breath; Enter begins.
    Caution(Box<Prepared>),
    /// "How are you feeling?" before the session.
    CheckinBefore(Box<BeforeCheckin>),
    /// A session in progress.
    Session(Box<Running>),
    /// The still moment after the last phase.
    Closing(Box<Closing>),
    /// "How are you feeling now?" and the note, after the session.
    CheckinAfter(Box<AfterCheckin>),
    /// After a session.
    Summary(Box<Summary>),
    /// The practice stats, opened from the picker.
    Stats(Box<StatsView>),
    /// A check-in with no session (`exhale checkin`).
    Diary(Box<super::journaling::DiaryCheckin>),
    /// The resonance finder's 0-10 question after a step.
    FinderRate(Box<super::finder::RateAsk>),
    /// The resonance finder's result.
    FinderDone(Box<super::finder::FinderDone>),
}

/// Everything that can happen to the app.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Msg {
    /// A key was pressed.
    Key(ratatui::crossterm::event::KeyEvent),
    /// Time passed (a frame, a second, or an event of the session is due).
    Tick,
    /// The window's size (columns, rows): when the app starts and when it
    /// changes.
    Resize(u16, u16),
    /// The watched session file changed on disk (`--watch`).
    SessionFileChanged,
    /// A signal arrived, or the terminal went away (as SIGHUP): record
    /// what there is and leave at once. Ctrl-C does the same as SIGINT.
    Signal(Signal),
    /// A heart beat felt (the resonance finder with live heart-rate
    /// input).
    Heart(crate::hr::score::Beat),
}

/// The whole app.
#[allow(clippy::struct_excessive_bools)] // independent flags of the one app state, not a mode
pub struct App {
    /// What is on screen.
    pub screen: Screen,
    /// The picker, when the app was opened on it (so the summary returns
    /// there).
    pub picker: Option<Picker>,
    /// The session file being previewed with `--watch`.
    pub watch: Option<super::watch::Watch>,
    /// Whether the keys overlay is showing.
    pub help: bool,
    /// How many lines the cautions are scrolled down.
    pub caution_scroll: u16,
    /// The window's size, once known (columns, rows).
    pub size: Option<(u16, u16)>,
    /// A short notice ("volume 60%") and when it disappears.
    pub notice: Option<(String, Instant)>,
    /// View options.
    pub opts: Options,
    /// Whether the app should end.
    pub quit: bool,
    /// The signal that ended it, Ctrl-C counting as SIGINT (the exit
    /// code says so: 128 + its number).
    pub ended_by: Option<Signal>,
    /// Where and why the last session that could not be saved was not
    /// (the exit code says so; the summary said it first).
    pub not_saved: Option<(String, String)>,
    pub(super) chime: Box<dyn Chime>,
    pub(super) ended: Option<Outcome>,
    pub(super) journal: Option<JournalHook>,
    /// Whether the sound player's notice ("no audio device") has been
    /// shown; the player is built in the background, so it may come late.
    pub(super) sound_notice_seen: bool,
    /// Whether the check-in with no session was saved, once it is
    /// finished (`exhale checkin`); `None` before, or when nothing was
    /// answered.
    pub diary_saved: Option<super::journaling::Saved>,
    /// The resonance finder, when this app runs it.
    pub finder: Option<Box<super::finder::Finder>>,
}

/// How long a notice such as the volume stays on screen.
pub const NOTICE_FOR: Duration = Duration::from_millis(1500);

/// Frame interval while the cue animates (30 frames a second).
pub const FRAME: Duration = Duration::from_nanos(1_000_000_000 / 30);

/// Time until a whole second shown on screen changes: the elapsed time
/// (counting up), the time left in the phase or the session (counting
/// down).
fn next_second_change(s: &crate::engine::State<'_>) -> Duration {
    let one = Duration::from_secs(1);
    let frac = |d: Duration| Duration::from_nanos(u64::from(d.subsec_nanos()));
    let down = |d: Duration| {
        let f = frac(d);
        if f.is_zero() { one } else { f }
    };
    let up = one.saturating_sub(frac(s.elapsed));
    // A millisecond late so the second has surely turned.
    up.min(down(s.left_in_segment())).min(down(s.left())) + Duration::from_millis(1)
}
