//! What the therapist's report adds when there is a plan and measures:
//! planned against done per week and per practice, the answers to "What
//! got in the way?", and for each measure the average change before →
//! after per session ("what helps me"). Pure functions of the plan, the
//! entries and the dates; `journal::export` lays them out as Markdown, CSV
//! and JSON.

use std::collections::BTreeMap;

use chrono::{Days as DayCount, NaiveDate};
use serde::Serialize;

use super::Plan;
use super::adherence::{self, Done};
use crate::journal::Entry;
use crate::journal::measure::Value;

/// One practice in one week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WeekRow {
    /// The week's Monday.
    pub week_of: NaiveDate,
    /// The practice's session.
    pub session: String,
    /// Days planned that week (within the plan's dates and the period).
    pub planned: u32,
    /// Days practised that week.
    pub done: u32,
}

/// Planned and done for each week from the one `since` is in (or the
/// plan's first, if later) to the one `today` is in (or the plan's last,
/// if earlier), each practice in the plan's order.
pub fn weeks(plan: &Plan, done: &[Done], since: NaiveDate, today: NaiveDate) -> Vec<WeekRow> {
    let first = since.max(plan.from);
    let last = plan.until.map_or(today, |u| u.min(today));
    let mut out = Vec::new();
    if last < first {
        return out;
    }
    let mut monday = adherence::monday_of(first);
    while monday <= last {
        let w = adherence::week(plan, done, monday);
        for pw in &w.practices {
            // Only the days within the period count, so a week cut by
            // `since` or by today is not shown as short of practice.
            let inside = |d: NaiveDate| d >= first && d <= last;
            let planned_days = pw
                .days
                .iter()
                .filter(|d| d.planned && inside(d.date))
                .count();
            let done_days = pw.days.iter().filter(|d| d.done && inside(d.date)).count();
            let p = &plan.practices[pw.index];
            let planned = match p.days {
                super::Days::PerWeek(_) => pw.planned,
                _ => planned_days as u32,
            };
            out.push(WeekRow {
                week_of: w.monday,
                session: p.session.clone(),
                planned,
                done: done_days as u32,
            });
        }
        monday = monday + DayCount::new(7);
    }
    out
}

/// Planned and done over the whole period, per practice (the weeks
/// added up), in the plan's order.
pub fn totals(rows: &[WeekRow]) -> Vec<(String, u32, u32)> {
    let mut out: Vec<(String, u32, u32)> = Vec::new();
    for r in rows {
        match out.iter_mut().find(|(s, _, _)| *s == r.session) {
            Some(t) => {
                t.1 += r.planned;
                t.2 += r.done;
            }
            None => out.push((r.session.clone(), r.planned, r.done)),
        }
    }
    out
}

/// The name the 0-10 feeling goes by in the table of changes.
pub const FEELING: &str = "feeling (0-10)";

/// One measure's average change over the sessions of one kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// The measure ([`FEELING`] for the 0-10 question).
    pub measure: String,
    /// The session's title.
    pub session: String,
    /// Sessions with both a before and an after answer.
    pub sessions: usize,
    /// The average before.
    pub before: f64,
    /// The average after.
    pub after: f64,
}

impl Change {
    /// After minus before.
    pub fn change(&self) -> f64 {
        self.after - self.before
    }
}

/// For the 0-10 feeling and each number measure, per session, the
/// average before and after over the sessions that have both, sorted by
/// measure then session.
pub fn changes(entries: &[&Entry]) -> Vec<Change> {
    let mut sums: BTreeMap<(String, String), (usize, f64, f64)> = BTreeMap::new();
    let mut add = |measure: &str, title: &str, b: f64, a: f64| {
        let s = sums
            .entry((measure.to_owned(), title.to_owned()))
            .or_default();
        s.0 += 1;
        s.1 += b;
        s.2 += a;
    };
    for e in entries {
        if let (Some(b), Some(a)) = (e.before.score, e.after.score) {
            add(FEELING, &e.title, f64::from(b), f64::from(a));
        }
        for (name, b) in &e.before.measures {
            if let (Value::Number(b), Some(Value::Number(a))) = (b, e.after.measures.get(name)) {
                add(name, &e.title, f64::from(*b), f64::from(*a));
            }
        }
    }
    sums.into_iter()
        .map(|((measure, session), (n, b, a))| Change {
            measure,
            session,
            sessions: n,
            before: b / n as f64,
            after: a / n as f64,
        })
        .collect()
}

/// One answer to "What got in the way?".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Obstacle {
    /// The planned days it is about.
    pub days: Vec<NaiveDate>,
    /// The answer.
    pub answer: String,
}

/// The answers to "What got in the way?" (skipped ones left out), in
/// order of the days they are about.
pub fn obstacles(entries: &[&Entry]) -> Vec<Obstacle> {
    let mut out: Vec<Obstacle> = entries
        .iter()
        .filter_map(|e| {
            let w = e.in_the_way.as_ref()?;
            Some(Obstacle {
                days: w.days.clone(),
                answer: w.answer.clone()?,
            })
        })
        .collect();
    out.sort_by_key(|o| o.days.first().copied());
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::player::Ending;
    use crate::journal::measure::InTheWay;
    use crate::journal::{Checkin, Id};
    use crate::plan::{Days, Length, Practice};
    use chrono::Weekday;

    fn date(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    fn plan() -> Plan {
        Plan {
            title: "Two weeks".into(),
            from: date("2026-12-01"),
            until: Some(date("2026-12-14")),
            review: Some(date("2026-12-15")),
            practices: vec![
                Practice {
                    session: "extended-exhale".into(),
                    days: Days::Daily,
                    length: Length::AsWritten,
                    note: None,
                },
                Practice {
                    session: "body-scan".into(),
                    days: Days::On(vec![Weekday::Sat, Weekday::Sun]),
                    length: Length::AsWritten,
                    note: None,
                },
            ],
            avoid: None,
            measures: Vec::new(),
        }
    }

    fn done(day: &str, s: &str) -> Done {
        Done {
            day: date(day),
            session: s.into(),
        }
    }

    #[test]
    fn weeks_count_planned_and_done_within_the_period() {
        let d = [
            done("2026-12-01", "extended-exhale"),
            done("2026-12-02", "extended-exhale"),
            done("2026-12-05", "body-scan"),
            done("2026-12-08", "extended-exhale"),
        ];
        // Today Wed 9 Dec: the second week counts Mon 7 to Wed 9 only.
        let rows = weeks(&plan(), &d, date("2026-11-01"), date("2026-12-09"));
        let got: Vec<(String, &str, u32, u32)> = rows
            .iter()
            .map(|r| (r.week_of.to_string(), r.session.as_str(), r.planned, r.done))
            .collect();
        assert_eq!(
            got,
            vec![
                ("2026-11-30".into(), "extended-exhale", 6, 2),
                ("2026-11-30".into(), "body-scan", 2, 1),
                ("2026-12-07".into(), "extended-exhale", 3, 1),
                ("2026-12-07".into(), "body-scan", 0, 0),
            ]
        );
        assert_eq!(
            totals(&rows),
            vec![("extended-exhale".into(), 9, 3), ("body-scan".into(), 2, 1)]
        );
        // Since the 8th: the first week is left out, the second starts then.
        let rows = weeks(&plan(), &d, date("2026-12-08"), date("2026-12-09"));
        assert_eq!(rows.len(), 2);
        assert_eq!((rows[0].planned, rows[0].done), (2, 1));
    }

    fn entry(title: &str, before: Checkin, after: Checkin) -> Entry {
        let mut e = Entry {
            v: 2,
            kind: crate::journal::entry::SessionKind,
            id: Id::NIL,
            machine: None,
            started: chrono::DateTime::parse_from_rfc3339("2026-12-02T21:00:00+01:00")
                .expect("time"),
            session: title.to_lowercase(),
            title: title.into(),
            source_sha256: String::new(),
            planned_s: 300,
            practised_s: 300,
            ending: Ending::Completed,
            cycles: 0,
            rounds: 0,
            holds_s: Vec::new(),
            holds_capped: Vec::new(),
            skipped: 0,
            pace: Vec::new(),
            before,
            after,
            note: None,
            written: None,
            in_the_way: None,
        };
        e.v = 2;
        e
    }

    fn with(score: u8, distress: Option<u8>) -> Checkin {
        let mut c = Checkin::answered(score, None);
        if let Some(d) = distress {
            c.measures.insert("distress".into(), Value::Number(d));
        }
        c
    }

    #[test]
    fn changes_average_each_measure_per_session_over_sessions_with_both() {
        let es = [
            entry("Box", with(4, Some(70)), with(6, Some(40))),
            entry("Box", with(5, Some(60)), with(7, Some(30))),
            // Distress only before: not counted for distress.
            entry("Box", with(5, Some(90)), with(5, None)),
            entry("Sigh", with(3, None), with(8, None)),
        ];
        let refs: Vec<&Entry> = es.iter().collect();
        let got = changes(&refs);
        let distress = got
            .iter()
            .find(|c| c.measure == "distress" && c.session == "Box")
            .expect("distress");
        assert_eq!(distress.sessions, 2);
        assert!((distress.before - 65.0).abs() < 1e-9);
        assert!((distress.change() + 30.0).abs() < 1e-9);
        let feeling = got
            .iter()
            .find(|c| c.measure == FEELING && c.session == "Sigh")
            .expect("feeling");
        assert!((feeling.change() - 5.0).abs() < 1e-9);
        assert_eq!(got.len(), 3);
    }

    #[test]
    fn obstacles_leave_out_skipped_answers() {
        let mut a = entry("Box", Checkin::default(), Checkin::default());
        a.in_the_way = Some(InTheWay {
            days: vec![date("2026-12-03")],
            answer: Some("no time".into()),
        });
        let mut b = a.clone();
        b.in_the_way = Some(InTheWay {
            days: vec![date("2026-12-01")],
            answer: None,
        });
        let got = obstacles(&[&a, &b]);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].answer, "no time");
    }
}
