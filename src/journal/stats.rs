//! Numbers about the practice: minutes per week and per day, days
//! practised, how check-in scores changed from before to after, and how
//! retention holds changed over time. Partial sessions count: every minute
//! practised is practice.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike as _, FixedOffset, NaiveDate, TimeDelta};
use serde::Serialize;

use super::JournalSettings;
use super::day::journal_day;
use super::entry::Entry;
use super::figures::Figures;

/// Weeks shown in the weekly minutes.
pub const WEEKS: usize = 8;
/// Days shown in the daily minutes and counted in `days_practised`.
pub const DAYS: usize = 30;
/// How many sessions make up "first" and "recent" in a hold trend.
pub const TREND_WINDOW: usize = 5;

/// Minutes practised in one week (Monday to Sunday).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Week {
    /// The Monday the week starts on.
    pub starts: NaiveDate,
    /// Minutes practised.
    pub minutes: f64,
    /// Sessions practised (partial ones included).
    pub sessions: usize,
}

/// Minutes practised on one day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Day {
    /// The journal day.
    pub day: NaiveDate,
    /// Minutes practised.
    pub minutes: f64,
}

/// Before and after check-in scores over the sessions that have both.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScoreChange {
    /// Sessions with both scores.
    pub sessions: usize,
    /// Average score before.
    pub before: f64,
    /// Average score after.
    pub after: f64,
    /// Average of after minus before.
    pub change: f64,
}

/// Retention or control-pause holds, early against recent.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HoldTrend {
    /// Sessions with at least one hold.
    pub sessions: usize,
    /// Average hold (seconds) over the first [`TREND_WINDOW`] sessions.
    pub first: f64,
    /// Average hold (seconds) over the latest [`TREND_WINDOW`] sessions.
    pub recent: f64,
    /// Longest hold (seconds).
    pub longest: f64,
}

/// One session's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PerSession {
    /// File stem.
    pub session: String,
    /// Latest title seen.
    pub title: String,
    /// Times practised.
    pub count: usize,
    /// Minutes practised.
    pub minutes: f64,
    /// Check-in change, when any session has both scores.
    pub checkins: Option<ScoreChange>,
    /// Hold trend, when the session has holds.
    pub holds: Option<HoldTrend>,
}

/// Everything `exhale stats` shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stats {
    /// The journal day stats were computed for.
    pub today: NaiveDate,
    /// Sessions in the journal.
    pub sessions: usize,
    /// Minutes in the journal.
    pub total_minutes: f64,
    /// The last [`WEEKS`] weeks, oldest first, this week last.
    pub weeks: Vec<Week>,
    /// The last [`DAYS`] days, oldest first, today last.
    pub days: Vec<Day>,
    /// Days with any practice among the last [`DAYS`].
    pub days_practised: usize,
    /// Check-in change over every session.
    pub checkins: Option<ScoreChange>,
    /// Per session, most practised first.
    pub per_session: Vec<PerSession>,
    /// Consecutive days practised up to today (or yesterday, when today
    /// has no practice yet); only when streaks are turned on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub streak: Option<u32>,
}

#[derive(Default)]
struct ChangeSum {
    n: usize,
    before: u64,
    after: u64,
}

impl ChangeSum {
    fn add(&mut self, e: &Figures<'_>) {
        if let (Some(b), Some(a)) = (e.before, e.after) {
            self.n += 1;
            self.before += u64::from(b);
            self.after += u64::from(a);
        }
    }

    fn finish(&self) -> Option<ScoreChange> {
        if self.n == 0 {
            return None;
        }
        let n = self.n as f64;
        let (before, after) = (self.before as f64 / n, self.after as f64 / n);
        Some(ScoreChange {
            sessions: self.n,
            before,
            after,
            change: after - before,
        })
    }
}

/// A session's holds, ordered by start time and then by when they were
/// read (so equal times keep file order).
type Holds = ((DateTime<FixedOffset>, u64), Vec<f64>);

/// The figures of a hold trend gathered one session at a time, keeping
/// only the [`TREND_WINDOW`] earliest and latest sessions' holds.
#[derive(Default)]
struct HoldFold {
    sessions: usize,
    longest: f64,
    earliest: Vec<Holds>,
    latest: Vec<Holds>,
}

impl HoldFold {
    fn add(&mut self, started: DateTime<FixedOffset>, holds: &[f64]) {
        let key = (started, self.sessions as u64);
        self.sessions += 1;
        self.longest = holds.iter().copied().fold(self.longest, f64::max);
        // Sorted ascending; keep the smallest keys in `earliest`, the
        // largest in `latest`.
        let at = self.earliest.partition_point(|(k, _)| *k <= key);
        if at < TREND_WINDOW {
            self.earliest.insert(at, (key, holds.to_vec()));
            self.earliest.truncate(TREND_WINDOW);
        }
        let at = self.latest.partition_point(|(k, _)| *k <= key);
        if self.latest.len() < TREND_WINDOW || at > 0 {
            self.latest.insert(at, (key, holds.to_vec()));
            if self.latest.len() > TREND_WINDOW {
                self.latest.remove(0);
            }
        }
    }

    fn finish(&self) -> Option<HoldTrend> {
        let mean = |items: &[Holds]| {
            let (sum, n) = items
                .iter()
                .flat_map(|(_, h)| h.iter())
                .fold((0.0, 0usize), |(s, n), h| (s + h, n + 1));
            if n == 0 { 0.0 } else { sum / n as f64 }
        };
        (self.sessions > 0).then(|| HoldTrend {
            sessions: self.sessions,
            first: mean(&self.earliest),
            recent: mean(&self.latest),
            longest: self.longest,
        })
    }
}

/// The trend of the holds of one session's entries (start time, holds),
/// in any order; `None` when there are none.
pub fn hold_trend(holds: Vec<(DateTime<FixedOffset>, &[f64])>) -> Option<HoldTrend> {
    let mut fold = HoldFold::default();
    for (t, h) in holds {
        fold.add(t, h);
    }
    fold.finish()
}

#[derive(Default)]
struct Acc {
    title: String,
    latest: Option<DateTime<FixedOffset>>,
    count: usize,
    seconds: u64,
    change: ChangeSum,
    holds: HoldFold,
}

/// The stats gathered one entry at a time, as the journal is read, so
/// memory does not grow with the number of entries (beyond one small
/// record per session name and per day practised).
pub struct Fold {
    settings: JournalSettings,
    today: NaiveDate,
    first_day: NaiveDate,
    first_monday: NaiveDate,
    sessions: usize,
    days: [u64; DAYS],
    weeks: [(u64, usize); WEEKS],
    /// Days with practice (foldhash: one insert per entry).
    practised_days: foldhash::HashSet<NaiveDate>,
    total_seconds: u64,
    overall: ChangeSum,
    per: BTreeMap<String, Acc>,
}

impl Fold {
    /// Start gathering the stats for `now` (the user's local time).
    pub fn new(now: DateTime<FixedOffset>, settings: &JournalSettings) -> Self {
        let today = journal_day(now, settings.day_starts_at);
        let this_monday =
            today - TimeDelta::days(i64::from(today.weekday().num_days_from_monday()));
        Self {
            settings: *settings,
            today,
            first_day: today - TimeDelta::days(i64::from(DAYS as u32) - 1),
            first_monday: this_monday - TimeDelta::weeks(i64::from(WEEKS as u32) - 1),
            sessions: 0,
            days: [0; DAYS],
            weeks: [(0, 0); WEEKS],
            practised_days: foldhash::HashSet::default(),
            total_seconds: 0,
            overall: ChangeSum::default(),
            per: BTreeMap::new(),
        }
    }

    /// Count one entry.
    pub fn add(&mut self, e: &Entry) {
        self.add_figures(&Figures::of(e));
    }

    /// Count one entry from its figures alone (a line read only for them,
    /// [`super::figures`]).
    pub fn add_figures(&mut self, e: &Figures<'_>) {
        let day = journal_day(e.started, self.settings.day_starts_at);
        let today = self.today;
        self.sessions += 1;
        // Entries are range-checked on read, so these sums cannot overflow;
        // saturating keeps a hand-made entry list from panicking.
        self.total_seconds = self.total_seconds.saturating_add(e.practised_s);
        self.overall.add(e);
        if e.practised_s > 0 {
            self.practised_days.insert(day);
        }
        if day >= self.first_day && day <= today {
            let d = &mut self.days[(day - self.first_day).num_days() as usize];
            *d = d.saturating_add(e.practised_s);
        }
        if day >= self.first_monday && day <= today {
            let w = &mut self.weeks[(day - self.first_monday).num_days() as usize / 7];
            w.0 = w.0.saturating_add(e.practised_s);
            w.1 += 1;
        }
        let acc = match self.per.get_mut(e.session) {
            Some(a) => a,
            None => self.per.entry(e.session.to_owned()).or_default(),
        };
        if acc.latest.is_none_or(|t| e.started >= t) {
            acc.latest = Some(e.started);
            if acc.title != e.title {
                e.title.clone_into(&mut acc.title);
            }
        }
        acc.count += 1;
        acc.seconds = acc.seconds.saturating_add(e.practised_s);
        acc.change.add(e);
        if !e.holds_s.is_empty() {
            acc.holds.add(e.started, e.holds_s);
        }
    }

    /// Sessions counted so far.
    pub fn sessions(&self) -> usize {
        self.sessions
    }

    /// The stats of every entry added.
    pub fn finish(self) -> Stats {
        let today = self.today;
        let mut per_session: Vec<PerSession> = self
            .per
            .into_iter()
            .map(|(name, acc)| PerSession {
                session: name,
                title: acc.title,
                count: acc.count,
                minutes: acc.seconds as f64 / 60.0,
                checkins: acc.change.finish(),
                holds: acc.holds.finish(),
            })
            .collect();
        per_session.sort_by(|a, b| b.count.cmp(&a.count).then(a.session.cmp(&b.session)));

        let practised_days = &self.practised_days;
        let streak = self.settings.streaks.then(|| {
            let mut d = today;
            if !practised_days.contains(&d) {
                d -= TimeDelta::days(1);
            }
            let mut n = 0;
            while practised_days.contains(&d) {
                n += 1;
                d -= TimeDelta::days(1);
            }
            n
        });

        Stats {
            today,
            sessions: self.sessions,
            total_minutes: self.total_seconds as f64 / 60.0,
            weeks: self
                .weeks
                .iter()
                .enumerate()
                .map(|(i, (s, n))| Week {
                    starts: self.first_monday + TimeDelta::weeks(i64::from(i as u32)),
                    minutes: *s as f64 / 60.0,
                    sessions: *n,
                })
                .collect(),
            days: self
                .days
                .iter()
                .enumerate()
                .map(|(i, s)| Day {
                    day: self.first_day + TimeDelta::days(i64::from(i as u32)),
                    minutes: *s as f64 / 60.0,
                })
                .collect(),
            days_practised: self.days.iter().filter(|s| **s > 0).count(),
            checkins: self.overall.finish(),
            per_session,
            streak,
        }
    }
}

/// Compute the stats at `now` (the user's local time).
pub fn compute(entries: &[Entry], now: DateTime<FixedOffset>, settings: &JournalSettings) -> Stats {
    let mut fold = Fold::new(now, settings);
    for e in entries {
        fold.add(e);
    }
    fold.finish()
}

/// A change in check-in score to one decimal with its sign: `+0.5`,
/// `-1.2`, and `0.0` for a change that rounds to nothing (never `-0.0`).
pub fn signed_change(change: f64) -> String {
    let tenths = (change * 10.0).round();
    if tenths == 0.0 {
        "0.0".into()
    } else {
        format!("{:+.1}", tenths / 10.0)
    }
}

/// The line about check-ins.
pub fn checkin_line(stats: &Stats) -> String {
    match &stats.checkins {
        Some(c) => format!(
            "Check-ins: {:.1} before, {:.1} after on average ({}) over {}",
            c.before,
            c.after,
            signed_change(c.change),
            crate::text::count(c.sessions, "session")
        ),
        None => "Check-ins: none yet with a score before and after".into(),
    }
}

/// The line about days practised.
pub fn days_line(stats: &Stats) -> String {
    let minutes: f64 = stats.days.iter().map(|d| d.minutes).sum();
    format!(
        "Practised on {} of the last {} days · {}",
        stats.days_practised,
        stats.days.len(),
        crate::text::length_secs(minutes * 60.0)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_that_rounds_to_nothing_has_no_sign() {
        assert_eq!(signed_change(-0.04), "0.0");
        assert_eq!(signed_change(0.0), "0.0");
        assert_eq!(signed_change(-0.0), "0.0");
        assert_eq!(signed_change(0.04), "0.0");
        assert_eq!(signed_change(-0.05), "-0.1");
        assert_eq!(signed_change(1.26), "+1.3");
    }

    #[test]
    #[allow(clippy::float_cmp)] // the same holds summed in the same order
    fn the_hold_fold_keeps_the_earliest_and_latest_five_in_any_order() {
        let t0 = DateTime::parse_from_rfc3339("2026-01-01T08:00:00+00:00").expect("date");
        // Times out of order with ties; each session's one hold is its index.
        let order = [7u32, 3, 9, 3, 0, 12, 5, 5, 1, 11, 2, 8, 3, 10, 6, 4];
        let holds: Vec<[f64; 1]> = (0..order.len()).map(|i| [i as f64]).collect();
        let items: Vec<(DateTime<FixedOffset>, &[f64])> = order
            .iter()
            .zip(&holds)
            .map(|(h, v)| (t0 + TimeDelta::hours(i64::from(*h)), v.as_slice()))
            .collect();
        for n in 1..=items.len() {
            let got = hold_trend(items[..n].to_vec()).expect("holds");
            // The whole-list way: a stable sort, then the two ends.
            let mut sorted = items[..n].to_vec();
            sorted.sort_by_key(|(t, _)| *t);
            let w = TREND_WINDOW.min(n);
            let mean = |s: &[(DateTime<FixedOffset>, &[f64])]| {
                s.iter().map(|(_, h)| h[0]).sum::<f64>() / s.len() as f64
            };
            assert_eq!(got.sessions, n);
            assert_eq!(got.first, mean(&sorted[..w]), "first of {n}");
            assert_eq!(got.recent, mean(&sorted[n - w..]), "recent of {n}");
            assert_eq!(got.longest, (n - 1) as f64);
        }
    }

    #[test]
    fn an_empty_journal_has_zeroes_and_no_averages() {
        let now = DateTime::parse_from_rfc3339("2026-11-28T02:00:00+01:00").expect("date");
        let s = compute(&[], now, &JournalSettings::default());
        // Before 4 a.m. it is still the day before.
        assert_eq!(
            s.today,
            NaiveDate::from_ymd_opt(2026, 11, 27).expect("date")
        );
        assert_eq!(s.days.len(), DAYS);
        assert_eq!(s.weeks.len(), WEEKS);
        assert_eq!(s.days_practised, 0);
        assert!(s.checkins.is_none());
        assert!(s.per_session.is_empty());
        assert_eq!(s.streak, None);
        // This week starts on the Monday on or before today.
        assert_eq!(
            s.weeks[WEEKS - 1].starts,
            NaiveDate::from_ymd_opt(2026, 11, 23).expect("date")
        );
    }
}
