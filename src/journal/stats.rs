//! Numbers about the practice: minutes per week and per day, days
//! practised, how check-in scores changed from before to after, and how
//! retention holds changed over time. Partial sessions count: every minute
//! practised is practice.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, Datelike as _, FixedOffset, NaiveDate, TimeDelta};
use serde::Serialize;

use super::JournalSettings;
use super::day::journal_day;
use super::entry::Entry;

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
    fn add(&mut self, e: &Entry) {
        if let (Some(b), Some(a)) = (e.before.score, e.after.score) {
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

#[derive(Default)]
struct Acc<'a> {
    title: &'a str,
    latest: Option<DateTime<FixedOffset>>,
    count: usize,
    seconds: u64,
    change: ChangeSum,
    holds: Vec<(DateTime<FixedOffset>, &'a [f64])>,
}

fn mean_holds(items: &[(DateTime<FixedOffset>, &[f64])]) -> f64 {
    let (sum, n) = items
        .iter()
        .flat_map(|(_, h)| h.iter())
        .fold((0.0, 0usize), |(s, n), h| (s + h, n + 1));
    if n == 0 { 0.0 } else { sum / n as f64 }
}

/// The trend of the holds of one session's entries (start time, holds),
/// in any order; `None` when there are none.
pub fn hold_trend(mut holds: Vec<(DateTime<FixedOffset>, &[f64])>) -> Option<HoldTrend> {
    if holds.is_empty() {
        return None;
    }
    holds.sort_by_key(|(t, _)| *t);
    let w = TREND_WINDOW.min(holds.len());
    let longest = holds
        .iter()
        .flat_map(|(_, h)| h.iter().copied())
        .fold(0.0, f64::max);
    Some(HoldTrend {
        sessions: holds.len(),
        first: mean_holds(&holds[..w]),
        recent: mean_holds(&holds[holds.len() - w..]),
        longest,
    })
}

/// Compute the stats at `now` (the user's local time).
pub fn compute(entries: &[Entry], now: DateTime<FixedOffset>, settings: &JournalSettings) -> Stats {
    let h = settings.day_starts_at;
    let today = journal_day(now, h);
    let first_day = today - TimeDelta::days(i64::from(DAYS as u32) - 1);
    let this_monday = today - TimeDelta::days(i64::from(today.weekday().num_days_from_monday()));
    let first_monday = this_monday - TimeDelta::weeks(i64::from(WEEKS as u32) - 1);

    let mut days = vec![0u64; DAYS];
    let mut weeks = [(0u64, 0usize); WEEKS];
    let mut practised_days: HashSet<NaiveDate> = HashSet::new();
    let mut total_seconds = 0u64;
    let mut overall = ChangeSum::default();
    let mut per: BTreeMap<&str, Acc<'_>> = BTreeMap::new();

    for e in entries {
        let day = journal_day(e.started, h);
        total_seconds += e.practised_s;
        overall.add(e);
        if e.practised_s > 0 {
            practised_days.insert(day);
        }
        if day >= first_day && day <= today {
            days[(day - first_day).num_days() as usize] += e.practised_s;
        }
        if day >= first_monday && day <= today {
            let w = (day - first_monday).num_days() as usize / 7;
            weeks[w].0 += e.practised_s;
            weeks[w].1 += 1;
        }
        let acc = per.entry(e.session.as_str()).or_default();
        if acc.latest.is_none_or(|t| e.started >= t) {
            acc.latest = Some(e.started);
            acc.title = &e.title;
        }
        acc.count += 1;
        acc.seconds += e.practised_s;
        acc.change.add(e);
        if !e.holds_s.is_empty() {
            acc.holds.push((e.started, &e.holds_s));
        }
    }

    let mut per_session: Vec<PerSession> = per
        .into_iter()
        .map(|(name, acc)| PerSession {
            session: name.to_owned(),
            title: acc.title.to_owned(),
            count: acc.count,
            minutes: acc.seconds as f64 / 60.0,
            checkins: acc.change.finish(),
            holds: hold_trend(acc.holds),
        })
        .collect();
    per_session.sort_by(|a, b| b.count.cmp(&a.count).then(a.session.cmp(&b.session)));

    let streak = settings.streaks.then(|| {
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
        sessions: entries.len(),
        total_minutes: total_seconds as f64 / 60.0,
        weeks: weeks
            .iter()
            .enumerate()
            .map(|(i, (s, n))| Week {
                starts: first_monday + TimeDelta::weeks(i64::from(i as u32)),
                minutes: *s as f64 / 60.0,
                sessions: *n,
            })
            .collect(),
        days: days
            .iter()
            .enumerate()
            .map(|(i, s)| Day {
                day: first_day + TimeDelta::days(i64::from(i as u32)),
                minutes: *s as f64 / 60.0,
            })
            .collect(),
        days_practised: days.iter().filter(|s| **s > 0).count(),
        checkins: overall.finish(),
        per_session,
        streak,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
