//! The journal in the full-screen app: what the check-in before a session
//! said, one entry written for every session that ran (completed,
//! stopped or interrupted), and the stats screen opened from the picker.
//! [`JournalHook`] answers with plain values (a [`Saved`], a
//! [`StatsView`]); `App::update` decides what the screens show.
//!
//! The journal sits behind the [`Journal`] trait, so app-level tests use a
//! `RecordingJournal` or a `FailingJournal`. The summary says "Saved to
//! your journal" only once `append` has returned `Ok` (the file store
//! syncs to disk first); when it fails, the summary says so with the
//! place and the reason, and the app carries on.

use chrono::{DateTime, FixedOffset};

use crate::clock::{self, WallClock};
use crate::engine::player::{Ending, Outcome};
use crate::journal::diary::Diary;
use crate::journal::entry::SessionInfo;
use crate::journal::figures::Seen;
use crate::journal::measure::{self, Asks, InTheWay, Question};
use crate::journal::stats::{self, Stats};
use crate::journal::{Checkin, Entry, Journal, JournalError, JournalSettings, SkipReason};

use super::app::{Prepared, Summary};
use super::checkin::{CheckinState, Stage};

/// The journal as the app uses it.
pub struct JournalHook {
    journal: Box<dyn Journal>,
    settings: JournalSettings,
    wall: WallClock,
    /// The session being practised: what it is, when it began, and the
    /// check-in before it.
    current: Option<(SessionInfo, DateTime<FixedOffset>, Checkin)>,
    /// What the check-ins ask beyond the 0-10 feeling: the measures, and
    /// the planned days without practice not yet asked about.
    asks: Asks,
    /// The answer to "What got in the way?" for the session begun.
    in_the_way: Option<InTheWay>,
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
            asks: Asks::default(),
            in_the_way: None,
        }
    }

    /// Ask `measures` in the check-ins, and before the next session "What
    /// got in the way?" about the planned days `missed`.
    #[must_use]
    pub fn with_questions(mut self, asks: Asks) -> Self {
        self.asks = asks;
        self
    }

    /// The questions after the 0-10 feeling, before or after a session.
    pub fn questions(&self, moment: measure::Moment) -> Vec<Question> {
        self.asks.questions(moment)
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

/// A check-in with no session (`exhale checkin`), about the moment `at`
/// (now when `None`).
#[derive(Debug, Clone)]
pub struct DiaryCheckin {
    /// The check-in being answered.
    pub state: CheckinState,
    /// The moment it is about, when not now.
    pub at: Option<DateTime<FixedOffset>>,
}

/// What the check-in after a session holds when it is cut short: the
/// score if Enter has taken it (a number still being typed may not be
/// the one meant: "1" on the way to "10"), and the note as far as it was
/// typed.
pub fn answers_so_far(state: &CheckinState) -> (Checkin, Option<String>) {
    let mut after = state
        .checkin
        .clone()
        .unwrap_or_else(|| Checkin::skipped(SkipReason::Interrupted));
    after.measures.clone_from(&state.replies.measures);
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

impl JournalHook {
    /// Whether the check-ins are asked.
    pub fn asks(&self) -> bool {
        self.settings.checkins
    }

    /// A session is about to begin without its check-in being asked:
    /// forget any answer kept from an earlier one.
    pub fn not_asked(&mut self) {
        self.current = None;
    }

    /// The check-in before the session `info` was answered (or skipped)
    /// with `before`: the session begins now.
    pub fn answered(&mut self, info: &SessionInfo, before: Checkin) {
        self.current = Some((info.clone(), (self.wall)(), before));
    }

    /// The answer to "What got in the way?" given before this session: it
    /// goes with its entry, and is not asked again.
    pub fn in_the_way(&mut self, answer: Option<InTheWay>) {
        if answer.is_some() {
            self.asks.missed.clear();
        }
        self.in_the_way = answer;
    }

    /// The session `info` begins now: keep when, with the check-in
    /// before it if one was answered, or why there was none.
    pub fn begins(&mut self, info: &SessionInfo) {
        let before = match self.current.take() {
            Some((_, _, before)) => before,
            None if self.settings.checkins => Checkin::skipped(SkipReason::Skipped),
            None => Checkin::skipped(SkipReason::Disabled),
        };
        self.current = Some((info.clone(), (self.wall)(), before));
    }

    /// The check-in after a session that ended as `ending`, when it is
    /// not asked: why not.
    pub fn unasked_after(&self, ending: Ending) -> Checkin {
        match (ending, self.settings.checkins) {
            (Ending::Interrupted, _) => Checkin::skipped(SkipReason::Interrupted),
            (_, true) => Checkin::skipped(SkipReason::Skipped),
            (_, false) => Checkin::skipped(SkipReason::Disabled),
        }
    }

    /// Write the entry for the session that just ended; `None` when no
    /// session was begun.
    pub fn record(
        &mut self,
        outcome: &Outcome,
        after: Checkin,
        note: Option<String>,
    ) -> Option<Saved> {
        let (info, started, before) = self.current.take()?;
        let entry = Entry::new(&info, started, outcome, before, after, note)
            .written_at((self.wall)(), self.in_the_way.take());
        Some(self.saved(self.journal.append(&entry)))
    }

    /// The questions of a check-in with no session: every measure, as a
    /// diary card asks them.
    pub fn diary_questions(&self) -> Vec<Question> {
        self.asks
            .measures
            .iter()
            .cloned()
            .map(Question::Measure)
            .collect()
    }

    /// Write a check-in with no session about `at` (now when `None`);
    /// `None` when nothing was answered, so nothing is written.
    pub fn record_diary(
        &mut self,
        checkin: Checkin,
        note: Option<String>,
        at: Option<DateTime<FixedOffset>>,
    ) -> Option<Saved> {
        let now = (self.wall)();
        let d = Diary::new(
            crate::journal::Id::new_v7(now),
            at.unwrap_or(now),
            now,
            checkin,
            note,
        );
        if d.is_empty() {
            return None;
        }
        Some(self.saved(self.journal.append_diary(&d)))
    }

    /// What a write came to, with the place and the reason when it failed.
    fn saved(&self, written: Result<(), JournalError>) -> Saved {
        match written {
            Ok(()) => Saved::Saved,
            Err(JournalError::Io { path, source }) => Saved::Failed {
                location: path.display().to_string(),
                reason: source.to_string(),
            },
            Err(e) => Saved::Failed {
                location: self.journal.location(),
                reason: e.to_string(),
            },
        }
    }

    /// The stats screen's content, from the journal as it is now: folded
    /// as it is read, as `exhale stats` does, so a long journal is never
    /// held in memory whole.
    pub fn stats(&self) -> StatsView {
        let now = (self.wall)();
        let mut fold = stats::Fold::new(now, &self.settings);
        let mut skipped = 0;
        let read = self.journal.read_figures(&mut |line| match line {
            Seen::Entry(f, _) => fold.add_figures(f),
            Seen::Restart => fold = stats::Fold::new(now, &self.settings),
            Seen::Skipped(_) => skipped += 1,
        });
        match read {
            Ok(()) => StatsView {
                stats: Ok(fold.finish()),
                skipped,
            },
            Err(e) => StatsView {
                stats: Err(e.to_string()),
                skipped: 0,
            },
        }
    }
}
