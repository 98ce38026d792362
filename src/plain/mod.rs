//! Plain mode: no alternate screen and no animation, one line per event,
//! printed and flushed the moment it happens, each starting with the
//! session time. It serves screen readers, logs and scripts, and it is how
//! timing is checked from outside.
//!
//! - [`input`]: lines typed, signals and a closed terminal, on one channel;
//! - [`session`]: the session loop;
//! - [`lines`]: what each line says;
//! - [`prompt`]: the check-ins, asked on the terminal;
//! - [`finder`]: the resonance finder, step by step;
//! - [`diary`]: a check-in with no session (`exhale checkin --plain`).

pub mod diary;
pub mod finder;
pub mod input;
pub mod lines;
pub mod prompt;
pub mod session;

pub use session::{Input, sound_control};

use std::io::Write as _;
use std::time::Duration;

use crate::audio::Chime;
use crate::clock::{self, Clock, ManualClock, SystemClock};
use crate::engine::Timeline;
use crate::engine::model::Session;
use crate::journal::answer::{AFTER_QUESTION, BEFORE_QUESTION};
use crate::journal::entry::SessionInfo;
use crate::journal::{Checkin, Entry, Journal, JournalSettings, SkipReason};
use crate::signals::Signal;

use input::Inputs;
use prompt::{Asked, Asker, Reply};

use crate::journal::measure::{Asks, Moment, Question};

/// How plain mode ended, for the exit code.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Ended {
    /// The signal that ended it (Ctrl-C counts as SIGINT, a closed
    /// terminal as SIGHUP).
    pub signal: Option<Signal>,
    /// Why the session's journal entry could not be written, if it could
    /// not.
    pub not_saved: Option<String>,
}

/// What plain mode guides through: the compiled session, and how its
/// lines are worded.
#[derive(Debug, Clone)]
pub struct Guide {
    /// The session's timeline.
    pub timeline: Timeline,
    /// `--announce`: a sentence per change of phase, without times.
    pub announce: bool,
}

/// Run `session` in plain mode. Check-ins are asked when there is a
/// journal to keep them, a keyboard (stdin) that is a terminal, a
/// terminal to show them on, and the user has not turned them off.
///
/// A signal (Ctrl-C is SIGINT here) or a closed terminal ends it at
/// once: the session so far is recorded with every answer already given,
/// and nothing more is asked. `q` and Enter stops the session and still
/// asks how it went.
pub fn run(
    session: &Session,
    guide: Guide,
    chime: &dyn Chime,
    journal: Option<&dyn Journal>,
    info: &SessionInfo,
    settings: JournalSettings,
    asks: &Asks,
) -> Ended {
    let interactive = crate::tty::keyboard();
    let inputs = Inputs::start(interactive);
    let mut out = std::io::stdout().lock();
    let mut asker = Asker::find(interactive);
    let not_asked = if !settings.checkins {
        Some(SkipReason::Disabled)
    } else if asker.is_none() {
        Some(SkipReason::NotATerminal)
    } else {
        None
    };
    let ended = |inputs: &Inputs| Ended {
        signal: inputs.ended_by(),
        not_saved: None,
    };
    let asking = journal.is_some() && not_asked.is_none();
    for c in &session.cautions {
        let line = format!("caution: {}", c.text);
        let _ = writeln!(out, "{line}");
        if let Some(a) = asker.as_mut() {
            a.echo(&line);
        }
    }
    if let (false, Some(a)) = (session.cautions.is_empty(), asker.as_mut()) {
        let ask = a.on(&mut out);
        if asking {
            let _ = writeln!(ask, "Answer below to begin, or press Ctrl-C to cancel.");
        } else {
            let _ = writeln!(ask, "Press Enter to begin, or Ctrl-C to cancel.");
            let _ = ask.flush();
            if !matches!(inputs.reply(), Reply::Line(_)) {
                let _ = writeln!(ask, "cancelled");
                return ended(&inputs);
            }
        }
    }
    let before = match asker.as_mut().filter(|_| asking) {
        Some(a) => {
            let reply = prompt::ask_score(BEFORE_QUESTION, a.on(&mut out), &mut || inputs.reply());
            match reply {
                Ok(Asked::Answer(c)) => c,
                // Nothing practised yet: nothing to record.
                Ok(Asked::Interrupted) | Err(_) => {
                    if reply.is_err() {
                        inputs.terminal_gone();
                    }
                    let _ = writeln!(a.on(&mut out), "cancelled");
                    return ended(&inputs);
                }
            }
        }
        None => Checkin::skipped(not_asked.unwrap_or(SkipReason::Skipped)),
    };
    let mut before = before;
    let mut in_the_way = None;
    if let Some(a) = asker.as_mut().filter(|_| asking) {
        let questions = asks.questions(Moment::Before);
        match prompt::ask_questions(&questions, a.on(&mut out), &mut || inputs.reply()) {
            Ok((replies, false)) => {
                before.measures = replies.measures;
                in_the_way = replies.in_the_way;
            }
            Ok((_, true)) | Err(_) => {
                let _ = writeln!(a.on(&mut out), "cancelled");
                return ended(&inputs);
            }
        }
    }

    let started = clock::wall_now();
    // Plain mode starts the clock at once, so give the audio device a
    // moment to open: the first chime then sounds with the first line.
    chime.ready(Duration::from_secs(1));
    let clock = session_clock();
    let outcome = session::run(
        guide.timeline,
        lines::Form {
            title: &session.title,
            announce: guide.announce,
        },
        clock.as_ref(),
        chime,
        &inputs.rx,
        &mut out,
    );
    // A signal that ended the session, or came while the end sound rang.
    if let Some(signal) = outcome.signal {
        inputs.signalled(signal);
    }
    inputs.catch_up();
    let outcome = outcome.outcome;
    let Some(journal) = journal else {
        return ended(&inputs);
    };

    let (after, note) = match asker.as_mut().filter(|_| asking) {
        // A signal: write at once, without asking.
        _ if inputs.ended_by().is_some() => (Checkin::skipped(SkipReason::Interrupted), None),
        Some(a) => ask_after(&inputs, a.on(&mut out), &asks.questions(Moment::After)),
        None => (
            Checkin::skipped(not_asked.unwrap_or(SkipReason::Skipped)),
            None,
        ),
    };

    let entry = Entry::new(info, started, &outcome, before, after, note)
        .written_at(clock::wall_now(), in_the_way);
    let saved = journal.append(&entry);
    if saved.is_ok() {
        let _ = writeln!(out, "saved to journal");
        if asking && inputs.ended_by().is_none() {
            if let Some(a) = asker.as_mut() {
                a.echo("saved to journal");
            }
        }
    }
    let _ = out.flush();
    Ended {
        signal: inputs.ended_by(),
        not_saved: saved.err().map(|e| e.to_string()),
    }
}

/// The clock plain mode is timed by: the system's monotonic clock, or,
/// with `EXHALE_TEST_CLOCK=manual`, a manual clock that jumps from event
/// to event instead of waiting, so that a test of the whole program (its
/// config, journal and exit codes) runs a session at once. Timing itself
/// is tested on the real clock.
pub fn session_clock() -> Box<dyn Clock> {
    if std::env::var_os("EXHALE_TEST_CLOCK").is_some_and(|v| v == "manual") {
        Box::new(ManualClock::new(clock::now()))
    } else {
        Box::new(SystemClock)
    }
}

/// The check-in after a session: the feeling, the measures asked after
/// a session, and the note (asked when something was answered). A signal
/// (or the terminal going) while asking keeps what was answered before it.
fn ask_after(
    inputs: &Inputs,
    ask: &mut dyn std::io::Write,
    questions: &[Question],
) -> (Checkin, Option<String>) {
    let mut c = match prompt::ask_score(AFTER_QUESTION, ask, &mut || inputs.reply()) {
        Ok(Asked::Answer(c)) => c,
        Ok(Asked::Interrupted) => return (Checkin::skipped(SkipReason::Interrupted), None),
        Err(_) => {
            inputs.terminal_gone();
            return (Checkin::skipped(SkipReason::Interrupted), None);
        }
    };
    match prompt::ask_questions(questions, ask, &mut || inputs.reply()) {
        Ok((replies, interrupted)) => {
            c.measures = replies.measures;
            if interrupted {
                return (c, None);
            }
        }
        Err(_) => {
            inputs.terminal_gone();
            return (c, None);
        }
    }
    if c.skipped.is_some() && c.measures.is_empty() {
        return (c, None);
    }
    match prompt::ask_note(ask, &mut || inputs.reply()) {
        Ok(Asked::Answer(n)) => (c, n),
        Ok(Asked::Interrupted) => (c, None),
        Err(_) => {
            inputs.terminal_gone();
            (c, None)
        }
    }
}
