//! The plan's part of `exhale export`: planned and done, what got in the
//! way, what helps (each measure before → after per session), and the
//! check-ins with no session, as Markdown sections a person reads in two
//! minutes, as CSV tables (`--table`) and as fields of the JSON export.
//! The figures come from [`super::report`].

use std::fmt::Write as _;

use serde::Serialize;

use super::Plan;
use super::adherence::day_words;
use super::report::{Change, Obstacle, WeekRow, totals};
use crate::journal::diary::Diary;
use crate::journal::export::{cell, md_escape as esc};
use crate::journal::measure;

/// Everything the plan's part of the export holds, for one period.
#[derive(Debug, Clone, Serialize)]
pub struct Report<'a> {
    /// The plan, when there is one: its title and dates.
    pub plan: Option<PlanHead>,
    /// Planned and done, per week and practice.
    pub weeks: Vec<WeekRow>,
    /// The answers to "What got in the way?".
    pub in_the_way: Vec<Obstacle>,
    /// Each measure's average change per session.
    pub changes: Vec<Change>,
    /// Check-ins with no session.
    #[serde(skip)]
    pub checkins: Vec<&'a Diary>,
}

/// The plan as the report names it.
#[derive(Debug, Clone, Serialize)]
pub struct PlanHead {
    /// Its title.
    pub title: String,
    /// Its first day.
    pub from: chrono::NaiveDate,
    /// Its last day, if it ends.
    pub until: Option<chrono::NaiveDate>,
    /// The next review.
    pub review: Option<chrono::NaiveDate>,
}

impl PlanHead {
    /// The head of `plan`.
    pub fn of(plan: &Plan) -> Self {
        Self {
            title: plan.title.clone(),
            from: plan.from,
            until: plan.until,
            review: plan.review,
        }
    }
}

fn signed(v: f64) -> String {
    if v.abs() < 0.05 {
        "no change".into()
    } else {
        format!("{v:+.1}")
    }
}

/// The Markdown sections, to follow the journal's summary.
pub fn markdown(r: &Report<'_>) -> String {
    let mut out = String::new();
    if let Some(p) = &r.plan {
        out.push_str("\n## The plan: planned and done\n\n");
        let _ = write!(out, "{}, from {}", esc(&p.title), day_words(p.from));
        if let Some(u) = p.until {
            let _ = write!(out, " to {}", day_words(u));
        }
        out.push('.');
        if let Some(rv) = p.review {
            let _ = write!(out, " Next review: {}.", day_words(rv));
        }
        out.push_str(" A day counts as practised when the session was practised that day for any time at all.\n\n");
        if r.weeks.is_empty() {
            out.push_str("No planned days in this period.\n");
        } else {
            out.push_str("| Practice | Days planned | Days practised |\n|---|---:|---:|\n");
            for (s, planned, done) in totals(&r.weeks) {
                let _ = writeln!(out, "| {} | {planned} | {done} |", esc(&s));
            }
            out.push_str("\n| Week of | Practice | Planned | Practised |\n|---|---|---:|---:|\n");
            for w in &r.weeks {
                let _ = writeln!(
                    out,
                    "| {} | {} | {} | {} |",
                    day_words(w.week_of),
                    esc(&w.session),
                    w.planned,
                    w.done
                );
            }
        }
        out.push_str("\n## What got in the way\n\n");
        if r.in_the_way.is_empty() {
            out.push_str("Nothing was written about planned days without practice.\n");
        }
        for o in &r.in_the_way {
            let days: Vec<String> = o.days.iter().map(|d| day_words(*d)).collect();
            let _ = writeln!(out, "- {}: {}", days.join(", "), esc(&o.answer));
        }
    }
    if !r.changes.is_empty() {
        out.push_str("\n## What helps: before → after\n\nThe average of each check-in answer before and after sessions of each kind, over the sessions with both. For distress, lower is calmer; for the feeling, higher is.\n\n| Measure | Session | Sessions | Before | After | Change |\n|---|---|---:|---:|---:|---:|\n");
        for c in &r.changes {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {:.1} | {:.1} | {} |",
                esc(&c.measure),
                esc(&c.session),
                c.sessions,
                c.before,
                c.after,
                signed(c.change())
            );
        }
    }
    if !r.checkins.is_empty() {
        out.push_str("\n## Check-ins without a session\n\n");
        for d in &r.checkins {
            let _ = writeln!(out, "- {}", diary_line(d));
        }
    }
    out
}

/// One check-in with no session, on one line.
fn diary_line(d: &Diary) -> String {
    let mut parts = vec![d.at.format("%Y-%m-%d %H:%M").to_string()];
    match (d.checkin.score, d.checkin.words.as_deref()) {
        (Some(s), Some(w)) => parts.push(format!("{s} ({})", esc(w))),
        (Some(s), None) => parts.push(s.to_string()),
        (None, Some(w)) => parts.push(format!("({})", esc(w))),
        (None, None) => {}
    }
    let m = measure::short(&d.checkin.measures, &measure::Answers::new());
    if !m.is_empty() {
        parts.push(esc(&m));
    }
    if let Some(n) = &d.note {
        parts.push(format!("“{}”", esc(n)));
    }
    let mut line = parts.join(" · ");
    if d.written_later() {
        let _ = write!(
            line,
            " (written later, {})",
            d.written.format("%Y-%m-%d %H:%M")
        );
    }
    line
}

/// The CSV tables `--table` picks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Table {
    /// One row per session (the default).
    #[default]
    Sessions,
    /// One row per check-in with no session.
    Checkins,
    /// Planned and done, per week and practice.
    Plan,
    /// Each measure's average before and after, per session.
    Changes,
    /// The answers to "What got in the way?".
    InTheWay,
}

#[derive(Serialize)]
struct CheckinRow<'a> {
    at: String,
    written: String,
    written_later: &'a str,
    score: Option<u8>,
    words: &'a str,
    measures: String,
    note: &'a str,
}

#[derive(Serialize)]
struct ChangeRow<'a> {
    measure: &'a str,
    session: &'a str,
    sessions: usize,
    before: String,
    after: String,
    change: String,
}

#[derive(Serialize)]
struct ObstacleRow<'a> {
    days: String,
    answer: &'a str,
}

/// One of the report's tables as CSV, with its header even when empty.
pub fn csv(r: &Report<'_>, table: Table) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .has_headers(false)
        .from_writer(Vec::new());
    let header: &[&str] = match table {
        Table::Sessions => &[],
        Table::Checkins => &[
            "at",
            "written",
            "written_later",
            "score",
            "words",
            "measures",
            "note",
        ],
        Table::Plan => &["week_of", "session", "planned", "done"],
        Table::Changes => &[
            "measure", "session", "sessions", "before", "after", "change",
        ],
        Table::InTheWay => &["days", "answer"],
    };
    let _ = w.write_record(header);
    match table {
        Table::Sessions => {}
        Table::Checkins => {
            for d in &r.checkins {
                let words = cell(d.checkin.words.as_deref().unwrap_or(""));
                let note = cell(d.note.as_deref().unwrap_or(""));
                let _ = w.serialize(CheckinRow {
                    at: d.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
                    written: d
                        .written
                        .to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
                    written_later: if d.written_later() { "yes" } else { "no" },
                    score: d.checkin.score,
                    words: &words,
                    measures: cell(&answers_cell(&d.checkin.measures)),
                    note: &note,
                });
            }
        }
        Table::Plan => {
            for row in &r.weeks {
                let _ = w.serialize(row);
            }
        }
        Table::Changes => {
            for c in &r.changes {
                let _ = w.serialize(ChangeRow {
                    measure: &c.measure,
                    session: &c.session,
                    sessions: c.sessions,
                    before: format!("{:.2}", c.before),
                    after: format!("{:.2}", c.after),
                    change: format!("{:.2}", c.change()),
                });
            }
        }
        Table::InTheWay => {
            for o in &r.in_the_way {
                let days: Vec<String> = o.days.iter().map(ToString::to_string).collect();
                let answer = cell(&o.answer);
                let _ = w.serialize(ObstacleRow {
                    days: days.join(";"),
                    answer: &answer,
                });
            }
        }
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

pub use crate::format::measure::answers_cell;

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn date(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    fn report() -> Report<'static> {
        Report {
            plan: Some(PlanHead {
                title: "Evenings".into(),
                from: date("2026-11-30"),
                until: Some(date("2026-12-13")),
                review: Some(date("2026-12-14")),
            }),
            weeks: vec![WeekRow {
                week_of: date("2026-11-30"),
                session: "extended-exhale".into(),
                planned: 7,
                done: 5,
            }],
            in_the_way: vec![Obstacle {
                days: vec![date("2026-12-02"), date("2026-12-03")],
                answer: "no time".into(),
            }],
            changes: vec![Change {
                measure: "distress".into(),
                session: "Extended exhale".into(),
                sessions: 5,
                before: 62.0,
                after: 38.0,
            }],
            checkins: Vec::new(),
        }
    }

    #[test]
    fn markdown_has_the_plan_the_obstacles_and_what_helps() {
        let md = markdown(&report());
        assert!(
            md.contains("Evenings, from Mon 30 Nov to Sun 13 Dec. Next review: Mon 14 Dec."),
            "{md}"
        );
        assert!(md.contains("| extended-exhale | 7 | 5 |"), "{md}");
        assert!(md.contains("- Wed 2 Dec, Thu 3 Dec: no time"), "{md}");
        assert!(
            md.contains("| distress | Extended exhale | 5 | 62.0 | 38.0 | -24.0 |"),
            "{md}"
        );
    }

    #[test]
    fn each_csv_table_has_its_header_and_rows() {
        let r = report();
        assert_eq!(
            csv(&r, Table::Plan),
            "week_of,session,planned,done\n2026-11-30,extended-exhale,7,5\n"
        );
        assert_eq!(
            csv(&r, Table::Changes),
            "measure,session,sessions,before,after,change\ndistress,Extended exhale,5,62.00,38.00,-24.00\n"
        );
        assert_eq!(
            csv(&r, Table::InTheWay),
            "days,answer\n2026-12-02;2026-12-03,no time\n"
        );
        assert!(csv(&r, Table::Checkins).starts_with("at,written,written_later,"));
    }
}
