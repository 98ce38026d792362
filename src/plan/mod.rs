//! The practice plan: `$XDG_CONFIG_HOME/exhale/plan.toml`, one active plan
//! made with a therapist (or alone): which sessions to practise on which
//! days, for how long, with a note, and which to leave alone for now and
//! why (docs/plans.md).
//!
//! - [`check`]: reading a plan file into a [`Plan`], or into diagnostics
//!   worded like the session format's (the file, line and column, a hint, a
//!   did-you-mean for an unknown key, session or weekday).
//! - [`adherence`]: what was planned and what was done, day by day and
//!   week by week, from the journal and a date: pure functions.
//! - [`measures`]: reading `[[measure]]` tables (a plan's or the
//!   config's check-in measures).
//! - [`report`]: what the export adds with a plan: planned and done per
//!   week, what got in the way, each measure's change before → after.
//! - [`export`]: those figures as Markdown, CSV tables and JSON.
//! - [`schema`]: the JSON Schema of the plan file, for editors.
//!
//! A service: it reads files through `format`'s reader and days through
//! `journal`'s rule; the front ends and commands show what it works out.

pub mod adherence;
pub mod check;
pub mod export;
pub use crate::format::measures;
pub mod report;
pub mod schema;

use chrono::{NaiveDate, Weekday};

pub use check::{Checked, Known, check_bytes, check_file, check_str};

/// The plan file's name in the config folder.
pub const FILE_NAME: &str = "plan.toml";

/// The schema copy's name in the config folder, which the `#:schema` line
/// of a plan written by `exhale plan new` points at.
pub const SCHEMA_FILE: &str = "plan.schema.json";

/// One practice plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// What the plan is called ("Evening practice, December").
    pub title: String,
    /// The first day of the plan.
    pub from: NaiveDate,
    /// The last day of the plan (from `until`, or `from` plus `weeks`);
    /// `None` for a plan that runs until it is changed.
    pub until: Option<NaiveDate>,
    /// The next appointment, when the plan is looked at again.
    pub review: Option<NaiveDate>,
    /// What to practise, in the order written.
    pub practices: Vec<Practice>,
    /// Sessions to leave alone for now, and why.
    pub avoid: Option<Avoid>,
    /// The check-in's measures for this plan (`[[measure]]`), asked
    /// beyond the 0-10 feeling; empty for none.
    pub measures: Vec<crate::journal::measure::Measure>,
}

/// One practice of a plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Practice {
    /// The session's name, as `exhale list` shows it.
    pub session: String,
    /// On which days.
    pub days: Days,
    /// How long: the session's own length unless set.
    pub length: Length,
    /// A word from whoever wrote the plan ("after dinner, sitting up").
    pub note: Option<String>,
}

/// On which days a practice is planned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Days {
    /// Every day.
    Daily,
    /// This many days a week (1 to 7), any days.
    PerWeek(u8),
    /// These weekdays, Monday first, each once.
    On(Vec<Weekday>),
}

/// How long a practice is, when the plan says.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Length {
    /// As the session is written.
    AsWritten,
    /// About this many minutes (`exhale run --minutes`).
    Minutes(f64),
    /// This many cycles (`exhale run --cycles`).
    Cycles(u32),
}

/// Sessions a plan leaves alone, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Avoid {
    /// Session names or tags, as written.
    pub sessions: Vec<String>,
    /// Why, shown before one of them starts.
    pub reason: String,
}

impl Avoid {
    /// Whether the session `name` with `tags` is one to leave alone.
    pub fn covers(&self, name: &str, tags: &[String]) -> bool {
        self.sessions
            .iter()
            .any(|a| a == name || tags.iter().any(|t| t == a))
    }
}

impl Plan {
    /// Whether `day` is within the plan's dates.
    pub fn runs_on(&self, day: NaiveDate) -> bool {
        day >= self.from && self.until.is_none_or(|u| day <= u)
    }
}

impl Practice {
    /// The command that starts this practice as planned:
    /// `exhale run extended-exhale --minutes 5`.
    pub fn run_command(&self) -> String {
        let mut words = vec!["exhale".to_owned(), "run".to_owned(), self.session.clone()];
        words.extend(self.length.run_args());
        words.join(" ")
    }
}

impl Days {
    /// The days in words: "every day", "3 days a week", "Mon, Wed and Fri".
    pub fn words(&self) -> String {
        match self {
            Days::Daily => "every day".into(),
            Days::PerWeek(1) => "once a week".into(),
            Days::PerWeek(n) => format!("{n} days a week"),
            Days::On(days) => {
                let names: Vec<&str> = days.iter().map(|d| short_name(*d)).collect();
                if names.is_empty() {
                    return "on no day".into();
                }
                format!("on {}", crate::text::and_list(&names))
            }
        }
    }
}

impl Length {
    /// The length in words ("5 min", "10 cycles"), or `None` as written.
    pub fn words(&self) -> Option<String> {
        match self {
            Length::AsWritten => None,
            Length::Minutes(m) => Some(format!("{} min", trim_number(*m))),
            Length::Cycles(n) => Some(crate::text::count(u64::from(*n), "cycle")),
        }
    }

    /// The options of `exhale run` that give this length.
    pub fn run_args(&self) -> Vec<String> {
        match self {
            Length::AsWritten => Vec::new(),
            Length::Minutes(m) => vec!["--minutes".into(), trim_number(*m)],
            Length::Cycles(n) => vec!["--cycles".into(), n.to_string()],
        }
    }
}

/// A number without a trailing `.0`.
fn trim_number(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v}")
    }
}

/// The weekdays as a plan file and `exhale remind --days` write them:
/// short and long, Monday first.
pub const WEEKDAYS: [(&str, &str, Weekday); 7] = [
    ("mon", "monday", Weekday::Mon),
    ("tue", "tuesday", Weekday::Tue),
    ("wed", "wednesday", Weekday::Wed),
    ("thu", "thursday", Weekday::Thu),
    ("fri", "friday", Weekday::Fri),
    ("sat", "saturday", Weekday::Sat),
    ("sun", "sunday", Weekday::Sun),
];

/// "Mon", "Tue", ...
pub fn short_name(d: Weekday) -> &'static str {
    match d {
        Weekday::Mon => "Mon",
        Weekday::Tue => "Tue",
        Weekday::Wed => "Wed",
        Weekday::Thu => "Thu",
        Weekday::Fri => "Fri",
        Weekday::Sat => "Sat",
        Weekday::Sun => "Sun",
    }
}
