//! What a plan asked for and what was practised, day by day and week by
//! week: pure functions of the plan, the sessions practised (each with
//! the journal day it counts for) and today's date, which is passed in.
//!
//! A practice is done on a day when its session was practised that day
//! for any time at all: every minute practised is practice, as the
//! journal's stats count it. Weeks run Monday to Sunday, as in
//! `exhale stats`. Days outside the plan's dates are not planned. Nothing
//! here counts a failure: a planned day without practice is only that.

use chrono::{Datelike as _, Days as DayCount, NaiveDate};

use super::{Days, Plan, Practice};
use crate::journal::Entry;
use crate::journal::day::journal_day;
use crate::journal::figures::Figures;

/// One session practised, as the plan sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Done {
    /// The journal day it counts for (days start at `day_starts_at`).
    pub day: NaiveDate,
    /// The session's name.
    pub session: String,
}

impl Done {
    /// The session an entry records, on its journal day; `None` when
    /// nothing was practised (a session stopped before its first second).
    pub fn of(e: &Entry, day_starts_at: u8) -> Option<Self> {
        Self::of_figures(&Figures::of(e), day_starts_at)
    }

    /// [`Done::of`] from an entry's figures alone.
    pub fn of_figures(e: &Figures<'_>, day_starts_at: u8) -> Option<Self> {
        (e.practised_s > 0).then(|| Self {
            day: journal_day(e.started, day_starts_at),
            session: e.session.to_owned(),
        })
    }
}

/// The days a reader of the journal wants entries for, to pass over the
/// other lines without parsing them (`exhale due` on a long journal).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    first: [u8; 10],
    last: [u8; 10],
}

impl Window {
    /// Entries that count for a day from `first` to `last`. A session
    /// before the hour days start at counts for the day before, so the
    /// calendar day after `last` is let through too.
    pub fn new(first: NaiveDate, last: NaiveDate) -> Self {
        let bytes = |d: NaiveDate| {
            let mut out = [0u8; 10];
            out.copy_from_slice(d.format("%Y-%m-%d").to_string().as_bytes());
            out
        };
        Self {
            first: bytes(first),
            last: bytes(last + DayCount::new(1)),
        }
    }

    /// Whether a journal line may be an entry within the window, judged
    /// from its bytes: a line whose `"started"` date is plainly outside is
    /// passed over. A line whose date this cannot read is kept, for the
    /// parser to judge.
    pub fn may_hold(&self, raw: &[u8]) -> bool {
        static KEY: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
            std::sync::LazyLock::new(|| memchr::memmem::Finder::new(b"\"started\":\""));
        let Some(at) = KEY.find(raw) else {
            return true;
        };
        let start = at + KEY.needle().len();
        let Some(date) = raw.get(start..start + 10) else {
            return true;
        };
        // YYYY-MM-DD compares as text the way the dates compare.
        let shaped = date.iter().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                *b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
        !shaped || (date >= &self.first[..] && date <= &self.last[..])
    }
}

/// The Monday of the week `day` is in.
pub fn monday_of(day: NaiveDate) -> NaiveDate {
    day - DayCount::new(u64::from(day.weekday().num_days_from_monday()))
}

/// One day of one practice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayMark {
    /// The date.
    pub date: NaiveDate,
    /// Whether the plan names this day for the practice (always false for
    /// a practice planned as a number of days a week, which names none).
    pub planned: bool,
    /// Whether the practice's session was practised that day.
    pub done: bool,
}

/// One practice over one week.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PracticeWeek {
    /// The practice's place in the plan, from 0.
    pub index: usize,
    /// Monday to Sunday.
    pub days: [DayMark; 7],
    /// Days planned this week: the named days within the plan's dates, or
    /// the number a week (no more than the plan's days this week).
    pub planned: u32,
    /// Days it was practised this week, within the plan's dates.
    pub done: u32,
}

impl PracticeWeek {
    /// Planned days before `today` with no practice.
    pub fn open_before(&self, today: NaiveDate) -> Vec<NaiveDate> {
        self.days
            .iter()
            .filter(|d| d.planned && !d.done && d.date < today)
            .map(|d| d.date)
            .collect()
    }
}

/// What a plan asked for in one week, and what was done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Week {
    /// Its Monday.
    pub monday: NaiveDate,
    /// Each practice of the plan, in order.
    pub practices: Vec<PracticeWeek>,
}

/// The week `day` falls in, for `plan`, from what was `done` (in any
/// order; sessions on other days are passed over).
pub fn week(plan: &Plan, done: &[Done], day: NaiveDate) -> Week {
    let monday = monday_of(day);
    let dates: [NaiveDate; 7] = std::array::from_fn(|i| monday + DayCount::new(i as u64));
    let practices = plan
        .practices
        .iter()
        .enumerate()
        .map(|(index, p)| practice_week(plan, p, index, done, &dates))
        .collect();
    Week { monday, practices }
}

fn practice_week(
    plan: &Plan,
    p: &Practice,
    index: usize,
    done: &[Done],
    dates: &[NaiveDate; 7],
) -> PracticeWeek {
    let days: [DayMark; 7] = std::array::from_fn(|i| {
        let date = dates[i];
        let runs = plan.runs_on(date);
        let planned = runs
            && match &p.days {
                Days::Daily => true,
                Days::PerWeek(_) => false,
                Days::On(w) => w.contains(&date.weekday()),
            };
        let done = runs && done.iter().any(|d| d.day == date && d.session == p.session);
        DayMark {
            date,
            planned,
            done,
        }
    });
    let in_plan = dates.iter().filter(|d| plan.runs_on(**d)).count() as u32;
    let planned = match &p.days {
        Days::PerWeek(n) => u32::from(*n).min(in_plan),
        _ => days.iter().filter(|d| d.planned).count() as u32,
    };
    let done = days.iter().filter(|d| d.done).count() as u32;
    PracticeWeek {
        index,
        days,
        planned,
        done,
    }
}

/// Where a practice stands today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Today {
    /// Practised today.
    Done,
    /// Planned for today, not practised yet.
    Planned,
    /// Planned a number of days a week; `done` of `planned` so far this
    /// week, none of them today, and more to go.
    ThisWeek {
        /// Days practised this week.
        done: u32,
        /// Days a week planned.
        planned: u32,
    },
    /// Planned a number of days a week, and this week's are done.
    WeekDone,
    /// Not planned today (another weekday, or outside the plan's dates).
    NotToday,
}

impl Today {
    /// Whether the practice is one to offer today (planned and not done).
    pub fn is_due(self) -> bool {
        matches!(self, Today::Planned | Today::ThisWeek { .. })
    }
}

/// Each practice of the plan and where it stands on `today`.
pub fn today(plan: &Plan, done: &[Done], today: NaiveDate) -> Vec<(usize, Today)> {
    let w = week(plan, done, today);
    w.practices
        .iter()
        .map(|pw| {
            let mark = pw.days[today.weekday().num_days_from_monday() as usize];
            let p = &plan.practices[pw.index];
            let state = if !plan.runs_on(today) {
                Today::NotToday
            } else if mark.done {
                Today::Done
            } else if mark.planned {
                Today::Planned
            } else if let Days::PerWeek(_) = p.days {
                if pw.done < pw.planned {
                    Today::ThisWeek {
                        done: pw.done,
                        planned: pw.planned,
                    }
                } else {
                    Today::WeekDone
                }
            } else {
                Today::NotToday
            };
            (pw.index, state)
        })
        .collect()
}

/// Where the plan's dates put `day`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    /// Before the first day.
    NotYet,
    /// Within the plan: week `n` (from 1, seven days each from `from`),
    /// of `of` if the plan ends.
    Week {
        /// This week's number.
        n: u32,
        /// How many weeks the plan has, if it ends.
        of: Option<u32>,
    },
    /// After the last day.
    Ended,
}

/// Where `day` is in the plan.
pub fn span(plan: &Plan, day: NaiveDate) -> Span {
    if day < plan.from {
        return Span::NotYet;
    }
    if plan.until.is_some_and(|u| day > u) {
        return Span::Ended;
    }
    // Weeks of the plan count from its first day, seven days each, so a
    // plan of `weeks = 4` has four whatever weekday it starts on.
    let week_of = |d: NaiveDate| ((d - plan.from).num_days() / 7) as u32 + 1;
    Span::Week {
        n: week_of(day),
        of: plan.until.map(week_of),
    }
}

/// The practices due on `today`, for `exhale due` and the picker's top.
pub fn due(plan: &Plan, done: &[Done], today: NaiveDate) -> Vec<usize> {
    self::today(plan, done, today)
        .into_iter()
        .filter(|(_, t)| t.is_due())
        .map(|(i, _)| i)
        .collect()
}

/// The practice `exhale now` starts: the first due today, or else the
/// plan's first (a plan has at least one).
pub fn now_practice<'p>(plan: &'p Plan, done: &[Done], today: NaiveDate) -> &'p Practice {
    let i = due(plan, done, today).first().copied().unwrap_or(0);
    &plan.practices[i.min(plan.practices.len().saturating_sub(1))]
}

/// How far back "What got in the way?" looks: a week.
pub const MISSED_LOOKBACK: u64 = 7;

/// The planned days to ask "What got in the way?" about before the next
/// session: days within the last week (before `today`) on which the plan
/// named a practice (daily, or that weekday) and nothing at all was
/// practised, after the last day anything was, and not asked about
/// already (`asked`: the days earlier answers were about, skipped ones
/// included). A practice planned as a number of days a week names no day,
/// so it is never asked about. Oldest first.
pub fn missed(plan: &Plan, done: &[Done], asked: &[NaiveDate], today: NaiveDate) -> Vec<NaiveDate> {
    let first = today - DayCount::new(MISSED_LOOKBACK);
    let last_practised = done.iter().map(|d| d.day).filter(|d| *d < today).max();
    let mut out = Vec::new();
    let mut day = first;
    while day < today {
        let named = plan.runs_on(day)
            && plan.practices.iter().any(|p| match &p.days {
                Days::Daily => true,
                Days::PerWeek(_) => false,
                Days::On(w) => w.contains(&day.weekday()),
            });
        let after_last = last_practised.is_none_or(|l| day > l);
        let practised = done.iter().any(|d| d.day == day);
        if named && after_last && !practised && !asked.contains(&day) {
            out.push(day);
        }
        day = day + DayCount::new(1);
    }
    out
}

/// "Mon 30 Nov".
pub fn day_words(d: NaiveDate) -> String {
    d.format("%a %-d %b").to_string()
}

/// A list of days in words: "Mon", "Mon and Tue", "Mon, Tue and Thu".
pub fn days_words(days: &[NaiveDate]) -> String {
    let names: Vec<String> = days.iter().map(|d| d.format("%a").to_string()).collect();
    crate::text::and_list(&names)
}

/// `exhale plan show`: this week in plain words. Missed days are said
/// as what they are ("no practice on Mon"), never as a failure.
pub fn show(plan: &Plan, done: &[Done], today: NaiveDate) -> String {
    let mut out = format!("{}\n", plan.title);
    let review = plan
        .review
        .map(|r| format!(" Next review: {}.", day_words(r)))
        .unwrap_or_default();
    match span(plan, today) {
        Span::NotYet => {
            out.push_str(&format!(
                "The plan starts on {}.{review}\n",
                day_words(plan.from)
            ));
        }
        Span::Ended => {
            let until = plan.until.map(day_words).unwrap_or_default();
            out.push_str(&format!(
                "The plan ran until {until}.{review} A new plan can be made with `exhale plan new`, or taken from a file with `exhale plan use FILE`.\n"
            ));
            return out;
        }
        Span::Week { n, of } => {
            let of = of.map(|o| format!(" of {o}")).unwrap_or_default();
            out.push_str(&format!(
                "This week, from {}: week {n}{of}.{review}\n",
                day_words(monday_of(today))
            ));
        }
    }
    let w = week(plan, done, today);
    let states = self::today(plan, done, today);
    for (pw, (_, state)) in w.practices.iter().zip(states) {
        let p = &plan.practices[pw.index];
        let length = p
            .length
            .words()
            .map(|l| format!(", {l}"))
            .unwrap_or_default();
        out.push_str(&format!("\n{}{length}, {}\n", p.session, p.days.words()));
        let done_days: Vec<NaiveDate> = pw.days.iter().filter(|d| d.done).map(|d| d.date).collect();
        let mut parts: Vec<String> = Vec::new();
        match p.days {
            Days::PerWeek(_) => {
                parts.push(format!("{} of {} days so far", pw.done, pw.planned));
                if !done_days.is_empty() {
                    parts.push(format!("practised on {}", days_words(&done_days)));
                }
            }
            _ => {
                if !done_days.is_empty() {
                    parts.push(format!("practised on {}", days_words(&done_days)));
                }
                let open = pw.open_before(today);
                if !open.is_empty() {
                    parts.push(format!("no practice on {}", days_words(&open)));
                }
                let later: Vec<NaiveDate> = pw
                    .days
                    .iter()
                    .filter(|d| d.planned && d.date > today)
                    .map(|d| d.date)
                    .collect();
                if !later.is_empty() {
                    parts.push(format!("still to come: {}", days_words(&later)));
                }
            }
        }
        match state {
            Today::Done => parts.push("today: done".into()),
            Today::Planned => parts.push("today: planned".into()),
            Today::ThisWeek { .. } | Today::WeekDone | Today::NotToday => {}
        }
        if parts.is_empty() {
            parts.push("nothing planned this week".into());
        }
        out.push_str(&format!("  {}\n", parts.join("; ")));
        if let Some(note) = &p.note {
            for line in note.lines() {
                out.push_str(&format!("  {line}\n"));
            }
        }
    }
    if let Some(a) = &plan.avoid {
        out.push_str(&format!(
            "\nLeaving alone for now: {}.\n",
            a.sessions.join(", ")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::{Avoid, Length};
    use chrono::Weekday;

    fn date(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    fn practice(session: &str, days: Days) -> Practice {
        Practice {
            session: session.into(),
            days,
            length: Length::AsWritten,
            note: None,
        }
    }

    /// From Tue 1 Dec 2026 to Mon 14 Dec: two weeks, the first from a
    /// Tuesday.
    fn plan(practices: Vec<Practice>) -> Plan {
        Plan {
            title: "Two weeks".into(),
            from: date("2026-12-01"),
            until: Some(date("2026-12-14")),
            review: Some(date("2026-12-15")),
            practices,
            avoid: None,
            measures: Vec::new(),
        }
    }

    fn done(day: &str, session: &str) -> Done {
        Done {
            day: date(day),
            session: session.into(),
        }
    }

    #[test]
    fn what_got_in_the_way_is_asked_about_planned_days_after_the_last_practice() {
        // Mon, Wed, Fri from Tue 1 Dec; practised Wed 2; today Mon 7.
        let p = plan(vec![practice(
            "box",
            Days::On(vec![Weekday::Mon, Weekday::Wed, Weekday::Fri]),
        )]);
        let d = [done("2026-12-02", "box")];
        assert_eq!(
            missed(&p, &d, &[], date("2026-12-07")),
            vec![date("2026-12-04")]
        );
        // Asked once (even if skipped): not again.
        assert!(missed(&p, &d, &[date("2026-12-04")], date("2026-12-07")).is_empty());
        // Practised on the Saturday: Friday is behind the last practice.
        let d = [done("2026-12-02", "box"), done("2026-12-05", "sigh")];
        assert!(missed(&p, &d, &[], date("2026-12-07")).is_empty());
        // Nothing before the plan's first day, nothing today.
        assert!(missed(&p, &[], &[], date("2026-12-01")).is_empty());
        assert_eq!(
            missed(&p, &[], &[], date("2026-12-03")),
            vec![date("2026-12-02")]
        );
    }

    #[test]
    fn a_session_after_midnight_counts_for_the_day_before_when_asking() {
        let p = plan(vec![practice("box", Days::Daily)]);
        // 01:30 on Thu 3 Dec, days starting at 4: it counts for Wed 2.
        let started =
            chrono::DateTime::parse_from_rfc3339("2026-12-03T01:30:00+01:00").expect("time");
        let day = crate::journal::day::journal_day(started, 4);
        let d = [Done {
            day,
            session: "box".into(),
        }];
        // Today Fri 4: only Thursday went by without practice.
        assert_eq!(
            missed(&p, &d, &[], date("2026-12-04")),
            vec![date("2026-12-03")]
        );
    }

    #[test]
    fn a_plan_with_gaps_and_days_a_week_names_no_missed_day() {
        // Three days a week names no day to miss.
        let p = plan(vec![practice("box", Days::PerWeek(3))]);
        assert!(missed(&p, &[], &[], date("2026-12-07")).is_empty());
        // A plan that ended on the 14th: nothing after it is planned.
        let p = plan(vec![practice("box", Days::Daily)]);
        let got = missed(&p, &[done("2026-12-13", "box")], &[], date("2026-12-18"));
        assert_eq!(got, vec![date("2026-12-14")]);
    }

    #[test]
    fn a_daily_practice_counts_the_plan_s_days_of_the_week_and_the_days_done() {
        let p = plan(vec![practice("sigh", Days::Daily)]);
        let d = [
            done("2026-12-01", "sigh"),
            done("2026-12-03", "sigh"),
            done("2026-12-03", "box"),
        ];
        let w = week(&p, &d, date("2026-12-04"));
        assert_eq!(w.monday, date("2026-11-30"));
        let pw = &w.practices[0];
        // Monday 30 Nov is before the plan: not planned, so six days.
        assert!(!pw.days[0].planned);
        assert_eq!((pw.planned, pw.done), (6, 2));
        assert_eq!(pw.open_before(date("2026-12-04")), vec![date("2026-12-02")]);
    }

    #[test]
    fn named_weekdays_are_planned_and_others_are_not_even_when_practised() {
        let p = plan(vec![practice(
            "box",
            Days::On(vec![Weekday::Mon, Weekday::Thu]),
        )]);
        let d = [done("2026-12-07", "box"), done("2026-12-08", "box")];
        let w = week(&p, &d, date("2026-12-09"));
        let pw = &w.practices[0];
        assert_eq!((pw.planned, pw.done), (2, 2));
        assert!(pw.days[0].planned && pw.days[0].done);
        assert!(!pw.days[1].planned && pw.days[1].done);
        assert_eq!(
            today(&p, &d, date("2026-12-09")),
            vec![(0, Today::NotToday)]
        );
        assert_eq!(today(&p, &d, date("2026-12-10")), vec![(0, Today::Planned)]);
    }

    #[test]
    fn a_plan_with_gaps_plans_nothing_outside_its_dates() {
        // The plan ends on Monday 14 Dec: the rest of that week is a gap.
        let p = plan(vec![
            practice("sigh", Days::Daily),
            practice("box", Days::PerWeek(3)),
        ]);
        let w = week(&p, &[], date("2026-12-16"));
        assert_eq!(w.practices[0].planned, 1);
        // Three a week, but only one day of the plan is left that week.
        assert_eq!(w.practices[1].planned, 1);
        assert_eq!(
            today(&p, &[], date("2026-12-16")),
            vec![(0, Today::NotToday), (1, Today::NotToday)]
        );
        assert!(due(&p, &[], date("2026-12-16")).is_empty());
        assert_eq!(span(&p, date("2026-12-16")), Span::Ended);
        assert_eq!(span(&p, date("2026-11-30")), Span::NotYet);
        assert_eq!(
            span(&p, date("2026-12-14")),
            Span::Week { n: 2, of: Some(2) }
        );
        assert_eq!(
            span(&p, date("2026-12-07")),
            Span::Week { n: 1, of: Some(2) }
        );
    }

    #[test]
    fn a_number_a_week_is_due_until_it_is_met_and_not_again_on_a_day_done() {
        let p = plan(vec![practice("box", Days::PerWeek(2))]);
        let mut d = vec![done("2026-12-07", "box")];
        let t = date("2026-12-08");
        assert_eq!(
            today(&p, &d, t),
            vec![(
                0,
                Today::ThisWeek {
                    done: 1,
                    planned: 2
                }
            )]
        );
        assert_eq!(due(&p, &d, t), vec![0]);
        d.push(done("2026-12-08", "box"));
        assert_eq!(today(&p, &d, t), vec![(0, Today::Done)]);
        assert_eq!(
            today(&p, &d, date("2026-12-09")),
            vec![(0, Today::WeekDone)]
        );
        assert!(due(&p, &d, date("2026-12-09")).is_empty());
    }

    #[test]
    fn a_line_is_passed_over_unparsed_only_when_its_date_is_plainly_outside() {
        let line = |started: &str| {
            format!(r#"{{"v":2,"kind":"session","started":"{started}","session":"sigh"}}"#)
        };
        let w = Window::new(date("2026-12-07"), date("2026-12-13"));
        assert!(!w.may_hold(line("2026-12-06T23:00:00+01:00").as_bytes()));
        assert!(!w.may_hold(line("2025-12-10T08:00:00+01:00").as_bytes()));
        assert!(w.may_hold(line("2026-12-07T08:00:00+01:00").as_bytes()));
        // 1 a.m. on Monday the 14th still counts for Sunday.
        assert!(w.may_hold(line("2026-12-14T01:00:00+01:00").as_bytes()));
        assert!(!w.may_hold(line("2026-12-15T01:00:00+01:00").as_bytes()));
        // Anything it cannot read is kept, for the parser to judge.
        assert!(w.may_hold(br#"{"v":2,"kind":"remove","of":"x"}"#));
        assert!(w.may_hold(line("soon").as_bytes()));
        assert!(w.may_hold(line("2026-1").as_bytes()));
    }

    #[test]
    fn now_starts_the_first_practice_due_today_or_else_the_first() {
        let p = plan(vec![
            practice("body-scan", Days::On(vec![Weekday::Sat])),
            practice("sigh", Days::Daily),
        ]);
        // Wed 2 Dec: only sigh is due.
        assert_eq!(now_practice(&p, &[], date("2026-12-02")).session, "sigh");
        // Sigh done: nothing due, so the plan's first.
        let d = [done("2026-12-02", "sigh")];
        assert_eq!(
            now_practice(&p, &d, date("2026-12-02")).session,
            "body-scan"
        );
        // Saturday: body scan is due first.
        assert_eq!(
            now_practice(&p, &[], date("2026-12-05")).session,
            "body-scan"
        );
    }

    #[test]
    fn a_session_after_midnight_counts_for_the_day_before() {
        let line = r#"{"v":2,"kind":"session","id":"0192f3a1-7c4e-7d2a-9b1f-3e5c8a6d2f10","started":"2026-12-09T00:40:00+01:00","session":"sigh","title":"Sigh","source_sha256":"00","planned_s":300,"practised_s":300,"ending":"completed"}"#;
        let e: Entry = serde_json::from_str(line).expect("entry");
        let d = Done::of(&e, 4).expect("practised");
        assert_eq!(d.day, date("2026-12-08"));
        // With days starting at midnight, it is the 9th.
        assert_eq!(Done::of(&e, 0).map(|d| d.day), Some(date("2026-12-09")));
        let p = plan(vec![practice("sigh", Days::Daily)]);
        assert_eq!(
            today(&p, std::slice::from_ref(&d), date("2026-12-08")),
            vec![(0, Today::Done)]
        );
        assert_eq!(
            today(&p, &[d], date("2026-12-09")),
            vec![(0, Today::Planned)]
        );
    }

    #[test]
    fn show_says_what_was_done_and_what_was_not_without_judging() {
        let mut p = plan(vec![
            practice("sigh", Days::Daily),
            practice("box", Days::PerWeek(3)),
        ]);
        p.practices[0].length = Length::Minutes(5.0);
        p.practices[0].note = Some("After dinner.".into());
        p.avoid = Some(Avoid {
            sessions: vec!["retention".into()],
            reason: "later".into(),
        });
        let d = [
            done("2026-12-01", "sigh"),
            done("2026-12-03", "sigh"),
            done("2026-12-02", "box"),
        ];
        let text = show(&p, &d, date("2026-12-03"));
        assert_eq!(
            text,
            "Two weeks\n\
             This week, from Mon 30 Nov: week 1 of 2. Next review: Tue 15 Dec.\n\
             \n\
             sigh, 5 min, every day\n  \
             practised on Tue and Thu; no practice on Wed; still to come: Fri, Sat and Sun; today: done\n  \
             After dinner.\n\
             \n\
             box, 3 days a week\n  \
             1 of 3 days so far; practised on Wed\n\
             \n\
             Leaving alone for now: retention.\n"
        );
        for word in ["missed", "failed", "streak", "broke"] {
            assert!(!text.contains(word), "{word}");
        }
    }
}
