//! The journal in the full-screen app: the check-ins before and after a
//! session, one entry written for every session that ran (completed,
//! stopped or interrupted), and the stats screen opened from the picker.
//!
//! The journal sits behind the [`Journal`] trait, so app-level tests use a
//! `RecordingJournal` or a `FailingJournal`. The summary says "Saved to
//! your journal" only once `append` has returned `Ok` (the file store
//! syncs to disk first); when it fails, the summary says so with the
//! place and the reason, and the app carries on.

use std::time::Instant;

use chrono::{DateTime, FixedOffset};
use ratatui::crossterm::event::{KeyCode, KeyEvent};

use crate::clock::{self, WallClock};
use crate::engine::player::{Ending, Outcome};
use crate::journal::entry::SessionInfo;
use crate::journal::stats::{self, Stats};
use crate::journal::{Checkin, Entry, Journal, JournalError, JournalSettings, SkipReason};
use crate::signals::Signal;

use super::app::{App, Options, Prepared, Screen, Summary};
use super::checkin::{CheckinAction, CheckinResult, CheckinState, Moment, Stage};
use super::picker::Picker;

/// The journal as the app uses it.
pub struct JournalHook {
    journal: Box<dyn Journal>,
    settings: JournalSettings,
    wall: WallClock,
    /// The session being practised: what it is, when it began, and the
    /// check-in before it.
    current: Option<(SessionInfo, DateTime<FixedOffset>, Checkin)>,
}

impl JournalHook {
    /// Record into `journal` with `settings` (check-ins on or off, the
    /// hour days start at, streaks), dating entries by the local clock.
    pub fn new(journal: Box<dyn Journal>, settings: JournalSettings) -> Self {
        Self {
            journal,
            settings,
            wall: clock::wall_now,
            current: None,
        }
    }

    /// Date entries and stats with `wall` instead of the local clock.
    #[must_use]
    pub fn with_wall_clock(mut self, wall: WallClock) -> Self {
        self.wall = wall;
        self
    }
}

/// Whether the journal kept a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    /// `append` returned `Ok`: the entry is on disk.
    Saved,
    /// It could not be written.
    Failed {
        /// Where the journal is (the file, for the real one).
        location: String,
        /// Why.
        reason: String,
    },
}

/// The check-in before a session, with the session waiting for it.
#[derive(Debug, Clone)]
pub struct BeforeCheckin {
    /// The check-in being answered.
    pub state: CheckinState,
    /// The session that starts once it is answered or skipped.
    pub prepared: Prepared,
}

/// The check-in after a session, with the summary that follows it.
#[derive(Debug, Clone)]
pub struct AfterCheckin {
    /// The check-in being answered.
    pub state: CheckinState,
    /// The summary shown next (its `saved` is filled in then).
    pub summary: Summary,
}

/// What the check-in after a session holds when it is cut short: the
/// score if Enter has taken it (a number still being typed may not be
/// the one meant: "1" on the way to "10"), and the note as far as it was
/// typed.
fn answers_so_far(state: &CheckinState) -> (Checkin, Option<String>) {
    let after = state
        .checkin
        .clone()
        .unwrap_or_else(|| Checkin::skipped(SkipReason::Interrupted));
    let note = state.note.trim();
    let note = (state.stage == Stage::Note && !note.is_empty()).then(|| note.to_owned());
    (after, note)
}

/// The stats screen's content, computed when it opens.
#[derive(Debug, Clone)]
pub struct StatsView {
    /// The stats, or why the journal could not be read.
    pub stats: Result<Stats, String>,
    /// Lines of the journal that could not be read and were skipped.
    pub skipped: usize,
}

impl App {
    /// An app that runs one session (`exhale run`) and records it in
    /// `hook`'s journal, asking the check-ins if they are on.
    pub fn with_session_journal(
        prepared: Prepared,
        chime: Box<dyn super::super::audio::Chime>,
        opts: Options,
        hook: JournalHook,
        now: Instant,
    ) -> Self {
        let mut app = Self::with_picker(Picker::default(), chime, opts);
        app.picker = None;
        app.journal = Some(hook);
        app.prepare(prepared, now);
        app
    }

    /// Record the sessions this app runs in `hook`'s journal (the picker).
    #[must_use]
    pub fn with_journal(mut self, hook: JournalHook) -> Self {
        self.journal = Some(hook);
        self
    }

    /// Mount the check-in before `prepared` when check-ins are on; give
    /// `prepared` back when the session should begin at once.
    pub(super) fn ask_before(&mut self, prepared: Prepared) -> Option<Prepared> {
        let Some(hook) = self.journal.as_mut() else {
            return Some(prepared);
        };
        if !hook.settings.checkins {
            hook.current = None;
            return Some(prepared);
        }
        self.screen = Screen::CheckinBefore(Box::new(BeforeCheckin {
            state: CheckinState::new(Moment::Before),
            prepared,
        }));
        None
    }

    /// Note the session that is beginning, with the check-in before it.
    pub(super) fn note_start(&mut self, info: &SessionInfo) {
        let Some(hook) = self.journal.as_mut() else {
            return;
        };
        let before = match hook.current.take() {
            Some((_, _, before)) => before,
            None if hook.settings.checkins => Checkin::skipped(SkipReason::Skipped),
            None => Checkin::skipped(SkipReason::Disabled),
        };
        hook.current = Some((info.clone(), (hook.wall)(), before));
    }

    /// After a session: the check-in when it is asked, otherwise the entry
    /// is written at once and the summary shown. A signal writes at once
    /// without asking.
    pub(super) fn after_session(&mut self, mut summary: Summary) {
        let asking = self.journal.as_ref().is_some_and(|h| h.settings.checkins);
        if asking && summary.outcome.ending != Ending::Interrupted {
            self.screen = Screen::CheckinAfter(Box::new(AfterCheckin {
                state: CheckinState::new(Moment::After),
                summary,
            }));
            return;
        }
        let after = match (summary.outcome.ending, asking) {
            (Ending::Interrupted, _) => Checkin::skipped(SkipReason::Interrupted),
            (_, true) => Checkin::skipped(SkipReason::Skipped),
            (_, false) => Checkin::skipped(SkipReason::Disabled),
        };
        summary.saved = self.record(&summary.outcome, after, None);
        self.screen = Screen::Summary(Box::new(summary));
    }

    /// Leave at once, for a signal (Ctrl-C counts as SIGINT): a session
    /// in progress ends there and is recorded, as `signal` says (stopped
    /// for Ctrl-C, interrupted otherwise); on the check-in after a
    /// session, the entry keeps every answer given so far: the score once
    /// Enter took it, the note as far as it was typed. Nothing more is
    /// asked. Before a session nothing has been practised, so nothing is
    /// recorded.
    pub(super) fn leave_now(&mut self, signal: Signal, now: Instant) {
        self.ended_by = Some(signal);
        self.cut_short(signal.ending(), now);
    }

    /// Record what there is after a panic, as an interrupted session
    /// (the terminal is then given back and the panic goes on).
    pub fn record_after_panic(&mut self, now: Instant) {
        self.cut_short(Ending::Interrupted, now);
    }

    /// Quit now, recording what there is (see [`App::leave_now`]); a
    /// session in progress ends as `ending`.
    fn cut_short(&mut self, ending: Ending, now: Instant) {
        self.quit = true;
        match &mut self.screen {
            Screen::Session(r) => {
                r.player.stop(now);
                let outcome = r.player.outcome(now, ending);
                let title = r.title.clone();
                self.ended = Some(outcome.clone());
                let saved = self.record(&outcome, Checkin::skipped(SkipReason::Interrupted), None);
                // The session is over: nothing of it may play on.
                self.screen = Screen::Summary(Box::new(Summary {
                    title,
                    outcome,
                    shown_at: now,
                    saved,
                }));
            }
            Screen::CheckinAfter(a) => {
                let outcome = a.summary.outcome.clone();
                let (after, note) = answers_so_far(&a.state);
                let saved = self.record(&outcome, after, note);
                if let Screen::CheckinAfter(a) = std::mem::replace(&mut self.screen, Screen::Picker)
                {
                    let mut summary = a.summary;
                    summary.saved = saved;
                    self.screen = Screen::Summary(Box::new(summary));
                }
            }
            _ => {}
        }
    }

    /// Write the entry for the session that just ended.
    fn record(&mut self, outcome: &Outcome, after: Checkin, note: Option<String>) -> Option<Saved> {
        let hook = self.journal.as_mut()?;
        let (info, started, before) = hook.current.take()?;
        let entry = Entry::new(&info, started, outcome, before, after, note);
        let saved = match hook.journal.append(&entry) {
            Ok(()) => Saved::Saved,
            Err(JournalError::Io { path, source }) => Saved::Failed {
                location: path.display().to_string(),
                reason: source.to_string(),
            },
            Err(e) => Saved::Failed {
                location: hook.journal.location(),
                reason: e.to_string(),
            },
        };
        if let Saved::Failed { location, reason } = &saved {
            self.not_saved = Some((location.clone(), reason.clone()));
        }
        Some(saved)
    }

    /// A key on either check-in screen.
    pub(super) fn checkin_key(&mut self, k: &KeyEvent, now: Instant) {
        let action = match &mut self.screen {
            Screen::CheckinBefore(b) => b.state.handle_key(*k),
            Screen::CheckinAfter(a) => a.state.handle_key(*k),
            _ => return,
        };
        let done = match action {
            CheckinAction::Continue => return,
            CheckinAction::Done(r) => r,
            CheckinAction::Quit => {
                self.leave_now(Signal::INT, now);
                return;
            }
        };
        match std::mem::replace(&mut self.screen, Screen::Picker) {
            Screen::CheckinBefore(b) => {
                let CheckinResult { checkin, .. } = done;
                if let Some(hook) = self.journal.as_mut() {
                    hook.current = Some((b.prepared.info.clone(), (hook.wall)(), checkin));
                }
                self.begin(b.prepared, now);
            }
            Screen::CheckinAfter(a) => {
                let mut summary = a.summary;
                summary.saved = self.record(&summary.outcome, done.checkin, done.note);
                summary.shown_at = now;
                self.screen = Screen::Summary(Box::new(summary));
            }
            other => self.screen = other,
        }
    }

    /// Open the stats screen over the journal (from the picker).
    pub(super) fn open_stats(&mut self) {
        let Some(hook) = self.journal.as_ref() else {
            return;
        };
        let view = match hook.journal.load() {
            Ok(loaded) => StatsView {
                stats: Ok(stats::compute(
                    &loaded.entries,
                    (hook.wall)(),
                    &hook.settings,
                )),
                skipped: loaded.skipped.len(),
            },
            Err(e) => StatsView {
                stats: Err(e.to_string()),
                skipped: 0,
            },
        };
        self.screen = Screen::Stats(Box::new(view));
    }

    /// A key on the stats screen: Esc (or q) goes back.
    pub(super) fn stats_key(&mut self, k: &KeyEvent) {
        if matches!(
            k.code,
            KeyCode::Esc | KeyCode::Char('q' | 'Q') | KeyCode::Tab | KeyCode::Enter
        ) {
            self.screen = Screen::Picker;
        }
    }

    /// Whether quitting now should let the end sound ring out: the app is
    /// closing on the summary of a completed session, not on a signal.
    pub fn rings_out(&self) -> bool {
        self.ended_by.is_none()
            && matches!(&self.screen, Screen::Summary(s) if s.outcome.ending == Ending::Completed)
    }

    /// Whether this app keeps a journal (so the picker offers the stats).
    pub fn has_journal(&self) -> bool {
        self.journal.is_some()
    }
}
