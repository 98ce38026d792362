//! Reading a plan file: TOML syntax (worded as for a session file), then
//! each part on its own (the top of the file, each `[[practice]]`, the
//! `[avoid]` table), so an unknown key in one practice does not hide a
//! mistake in another, then meaning (dates in order, known sessions and
//! weekdays, nothing both planned and avoided). Every problem is a
//! [`Diagnostic`] with the place it is about.

use std::path::Path;

use chrono::{Days as DayCount, NaiveDate, Weekday};
use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::{Avoid, Days, Length, Plan, Practice};
use crate::format::diagnostic::{Diagnostic, did_you_mean};
use crate::format::read::{self, Cap};
use crate::format::text::{Lines, forbidden, name_of};
use crate::format::{self, syntax};
use crate::library::Library;

/// A plan file: a few dozen lines, 256 KiB at most.
pub const PLAN_FILE: Cap = Cap {
    bytes: 256 * 1024,
    what: "a plan file",
    usual: "a plan file is a few dozen lines",
};

/// Longest title.
pub const MAX_TITLE: usize = 80;
/// Longest note or reason.
pub const MAX_NOTE: usize = 1000;
/// Most practices in one plan.
pub const MAX_PRACTICES: usize = 20;
/// Most names and tags in `avoid.sessions`.
pub const MAX_AVOID: usize = 32;
/// Longest plan given in `weeks`.
pub const MAX_WEEKS: i64 = 104;
/// Most minutes a practice may ask for (a day).
pub const MAX_MINUTES: f64 = 1440.0;

/// Syntax-error wording for plan files.
pub const WORDING: syntax::Wording = syntax::Wording {
    text_example: "title = \"Evening practice\"",
    setting_example: "session = \"extended-exhale\"",
    key_examples: "`title` or `days`",
    nesting: "a plan nests one level deep (each [[practice]], the [avoid] table)",
    guide: "see docs/plans.md for the shape of a plan file",
};

/// The sessions a plan may name, with their tags (for `avoid`).
#[derive(Debug, Clone, Default)]
pub struct Known {
    /// Each session's name and tags.
    pub sessions: Vec<(String, Vec<String>)>,
}

impl Known {
    /// Every session of the library, built-in and the user's own, with
    /// the tags its file gives (read without checking the rest of it, so
    /// a session with an error elsewhere can still be named).
    pub fn from_library(lib: &Library) -> Self {
        let sessions = lib
            .entries
            .iter()
            .map(|e| (e.name.clone(), tags_of(&e.bytes)))
            .collect();
        Self { sessions }
    }

    fn names(&self) -> Vec<&str> {
        self.sessions.iter().map(|(n, _)| n.as_str()).collect()
    }

    fn tags(&self) -> Vec<&str> {
        let mut t: Vec<&str> = self
            .sessions
            .iter()
            .flat_map(|(_, tags)| tags.iter().map(String::as_str))
            .collect();
        t.sort_unstable();
        t.dedup();
        t
    }

    /// The tags of `name`, if it is known.
    pub fn tags_of(&self, name: &str) -> Option<&[String]> {
        self.sessions
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.as_slice())
    }
}

/// The `tags` of a session file, or none when it cannot be read.
fn tags_of(bytes: &[u8]) -> Vec<String> {
    let Some(table) = std::str::from_utf8(bytes)
        .ok()
        .and_then(|t| toml::from_str::<toml::Table>(t).ok())
    else {
        return Vec::new();
    };
    match table.get("tags") {
        Some(toml::Value::Array(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

/// The result of reading one plan file.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The plan, when there were no errors.
    pub plan: Option<Plan>,
    /// Errors and warnings, in file order.
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    fn only(d: Diagnostic) -> Self {
        Self {
            plan: None,
            diagnostics: vec![d],
        }
    }
}

/// Read and check a plan file from disk (only a regular file, of at most
/// 256 KiB). The text comes back too, to render the diagnostics.
pub fn check_file(path: &Path, known: &Known) -> (String, Checked) {
    match read::read_capped(path, PLAN_FILE) {
        Ok(bytes) => check_bytes(&bytes, known),
        Err(e) => (String::new(), Checked::only(e.diagnostic())),
    }
}

/// Check a plan given as bytes.
pub fn check_bytes(bytes: &[u8], known: &Known) -> (String, Checked) {
    if bytes.len() as u64 > PLAN_FILE.bytes {
        let d = read::ReadError::TooLarge { cap: PLAN_FILE }.diagnostic();
        return (String::new(), Checked::only(d));
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_owned(), check_str(text, known)),
        Err(e) => {
            let valid = e.valid_up_to();
            let d = Diagnostic::error("the file is not valid UTF-8 text", Some(valid..valid + 1))
                .with_help("save the file as UTF-8");
            (
                String::from_utf8_lossy(bytes).into_owned(),
                Checked::only(d),
            )
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHeader {
    title: Option<Spanned<String>>,
    from: Option<Spanned<toml::Value>>,
    until: Option<Spanned<toml::Value>>,
    weeks: Option<Spanned<i64>>,
    review: Option<Spanned<toml::Value>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPractice {
    session: Option<Spanned<String>>,
    days: Option<Spanned<toml::Value>>,
    minutes: Option<Spanned<f64>>,
    cycles: Option<Spanned<i64>>,
    note: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAvoid {
    sessions: Option<Spanned<Vec<Spanned<String>>>>,
    reason: Option<Spanned<String>>,
}

/// The keys at the top of a plan.
pub const HEADER_KEYS: &[&str] = &[
    "title", "from", "until", "weeks", "review", "practice", "avoid", "measure",
];
/// The keys of a `[[practice]]`.
pub const PRACTICE_KEYS: &[&str] = &["session", "days", "minutes", "cycles", "note"];
/// The keys of `[avoid]`.
pub const AVOID_KEYS: &[&str] = &["sessions", "reason"];

use super::WEEKDAYS;

const DAYS_HELP: &str = "write days = \"daily\", a number of days a week (days = 3), or weekdays (days = [\"mon\", \"wed\", \"fri\"])";
const DATE_HELP: &str = "write a date as YYYY-MM-DD, e.g. from = 2026-12-01";

/// Check a plan given as text.
pub fn check_str(source: &str, known: &Known) -> Checked {
    let (root, errors) = DeTable::parse_recoverable(source);
    if !errors.is_empty() {
        return Checked {
            plan: None,
            diagnostics: syntax::errors(&errors, source, &WORDING),
        };
    }
    let root_span = root.span();
    let mut table = root.into_inner();
    let mut diags = Vec::new();

    // Each practice and the avoid table are read on their own.
    let mut practice_values: Vec<Spanned<DeValue<'_>>> = Vec::new();
    let mut any_practice = false;
    if let Some(key) = table.keys().find(|k| k.get_ref() == "practice").cloned()
        && let Some(v) = table.remove(&key)
    {
        any_practice = true;
        let span = v.span();
        match v.into_inner() {
            DeValue::Array(items) => practice_values.extend(items),
            other => diags.push(
                Diagnostic::error(
                    format!(
                        "`practice` must be a list of tables, found {}",
                        other.type_str()
                    ),
                    Some(span),
                )
                .with_help("write each practice as a [[practice]] table"),
            ),
        }
    }
    let mut measure_values: Vec<Spanned<DeValue<'_>>> = Vec::new();
    if let Some(key) = table.keys().find(|k| k.get_ref() == "measure").cloned()
        && let Some(v) = table.remove(&key)
    {
        let span = v.span();
        match v.into_inner() {
            DeValue::Array(items) => measure_values.extend(items),
            other => diags.push(
                Diagnostic::error(
                    format!(
                        "`measure` must be a list of tables, found {}",
                        other.type_str()
                    ),
                    Some(span),
                )
                .with_help(format!(
                    "write each measure as a {}",
                    super::measures::EXAMPLE
                )),
            ),
        }
    }
    let mut raw_measures = Vec::new();
    for value in measure_values {
        let span = value.span();
        if !matches!(value.get_ref(), DeValue::Table(_)) {
            diags.push(
                Diagnostic::error(
                    format!(
                        "a measure must be a table, found {}",
                        value.get_ref().type_str()
                    ),
                    Some(span),
                )
                .with_help(format!(
                    "write each measure as a {}",
                    super::measures::EXAMPLE
                )),
            );
            continue;
        }
        if let Some(m) = read::<super::measures::RawMeasure>(
            value,
            source,
            super::measures::MEASURE_KEYS,
            "in a measure",
            &mut diags,
        ) {
            raw_measures.push((span, m));
        }
    }
    let measures = super::measures::check(&raw_measures, &mut diags);
    let avoid_value = table
        .keys()
        .find(|k| k.get_ref() == "avoid")
        .cloned()
        .and_then(|k| table.remove(&k));

    let header_value = Spanned::new(root_span.clone(), DeValue::Table(table));
    let header: Option<RawHeader> = read(
        header_value,
        source,
        HEADER_KEYS,
        "at the top of the plan",
        &mut diags,
    );

    let mut practices = Vec::new();
    if let Some(extra) = practice_values.get(MAX_PRACTICES) {
        diags.push(
            Diagnostic::error(
                format!(
                    "{} practices; a plan has at most {MAX_PRACTICES}",
                    practice_values.len()
                ),
                Some(extra.span()),
            )
            .with_help("keep the plan to the few practices that matter this week"),
        );
        practice_values.clear();
    }
    for value in practice_values {
        let span = value.span();
        if !matches!(value.get_ref(), DeValue::Table(_)) {
            diags.push(
                Diagnostic::error(
                    format!(
                        "a practice must be a table, found {}",
                        value.get_ref().type_str()
                    ),
                    Some(span),
                )
                .with_help("write each practice as a [[practice]] table"),
            );
            continue;
        }
        if let Some(p) =
            read::<RawPractice>(value, source, PRACTICE_KEYS, "in a practice", &mut diags)
        {
            practices.push((span, p));
        }
    }
    let avoid = avoid_value.and_then(|v| {
        let span = v.span();
        if matches!(v.get_ref(), DeValue::Table(_)) {
            read::<RawAvoid>(v, source, AVOID_KEYS, "in `avoid`", &mut diags).map(|a| (span, a))
        } else {
            diags.push(
                Diagnostic::error(
                    format!("`avoid` must be a table, found {}", v.get_ref().type_str()),
                    Some(span),
                )
                .with_help("write [avoid] with sessions = [\"retention\"] and reason = \"...\""),
            );
            None
        }
    });

    let mut v = Validator {
        source,
        known,
        diags,
    };
    let plan = v.plan(
        header.as_ref(),
        &practices,
        any_practice,
        avoid.as_ref(),
        root_span,
    );
    let mut diags = v.diags;
    let plan = plan.map(|p| Plan { measures, ..p });
    diags.sort_by_key(|d| d.span.as_ref().map_or(0, |s| s.start));
    let plan = if diags.iter().any(Diagnostic::is_error) {
        None
    } else {
        plan
    };
    Checked {
        plan,
        diagnostics: diags,
    }
}

/// One table through the session format's reader; its hints point at the
/// plan's guide.
fn read<T: serde::de::DeserializeOwned>(
    value: Spanned<DeValue<'_>>,
    source: &str,
    keys: &[&str],
    place: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<T> {
    match format::read_table::<T>(value, source, keys, place) {
        Ok(t) => Some(t),
        Err(errors) => {
            diags.extend(errors.into_iter().map(|mut d| {
                if let Some(h) = &mut d.help {
                    *h = h.replace("docs/session-format.md", "docs/plans.md");
                }
                d
            }));
            None
        }
    }
}

struct Validator<'a> {
    source: &'a str,
    known: &'a Known,
    diags: Vec<Diagnostic>,
}

type Span = std::ops::Range<usize>;

impl Validator<'_> {
    fn error(&mut self, message: impl Into<String>, span: Span, help: impl Into<String>) {
        self.diags
            .push(Diagnostic::error(message, Some(span)).with_help(help));
    }

    fn plan(
        &mut self,
        header: Option<&RawHeader>,
        practices: &[(Span, RawPractice)],
        any_practice: bool,
        avoid: Option<&(Span, RawAvoid)>,
        root: Span,
    ) -> Option<Plan> {
        let start = root.start..root.start;
        let avoid = avoid.and_then(|(span, a)| self.avoid(span.clone(), a));
        let mut out = Vec::new();
        let mut seen: Vec<String> = Vec::new();
        for (span, p) in practices {
            if let Some(p) = self.practice(span.clone(), p, avoid.as_ref(), &mut seen) {
                out.push(p);
            }
        }
        if !any_practice {
            self.error(
                "the plan has no practice",
                start.clone(),
                "add a [[practice]] with session = \"extended-exhale\" and days = \"daily\"",
            );
        }
        let header = header?;
        let title = match &header.title {
            Some(t) => self.one_line("title", t, MAX_TITLE, Lines::One),
            None => {
                self.error(
                    "missing key `title` at the top of the plan",
                    start.clone(),
                    "add title = \"...\" (what the plan is called)",
                );
                None
            }
        };
        let from = match &header.from {
            Some(f) => self.date("from", f),
            None => {
                self.error(
                    "missing key `from` at the top of the plan",
                    start,
                    "add from = 2026-12-01 (the plan's first day)",
                );
                None
            }
        };
        let until = header.until.as_ref().and_then(|u| self.date("until", u));
        if let (Some(_), Some(w)) = (&header.until, &header.weeks) {
            self.error(
                "give `until` or `weeks`, not both",
                w.span(),
                "keep one: until = 2026-12-28, or weeks = 4",
            );
        }
        let mut end = until;
        if let Some(w) = &header.weeks {
            let n = *w.get_ref();
            if (1..=MAX_WEEKS).contains(&n) {
                end = from.and_then(|f| f.checked_add_days(DayCount::new(n as u64 * 7 - 1)));
            } else {
                self.error(
                    format!("`weeks` is {n}; a plan runs 1 to {MAX_WEEKS} weeks"),
                    w.span(),
                    "write the number of weeks until the plan is looked at again, e.g. weeks = 4",
                );
            }
        }
        if let (Some(f), Some(u), Some(span)) =
            (from, until, header.until.as_ref().map(Spanned::span))
            && u < f
        {
            self.error(
                format!("`until` ({u}) is before `from` ({f})"),
                span,
                "the plan's last day comes on or after its first",
            );
        }
        let review = header.review.as_ref().and_then(|r| self.date("review", r));
        Some(Plan {
            title: title?,
            from: from?,
            until: end,
            review,
            practices: out,
            avoid,
            measures: Vec::new(),
        })
    }

    fn one_line(
        &mut self,
        key: &str,
        value: &Spanned<String>,
        max: usize,
        lines: Lines,
    ) -> Option<String> {
        let text = value.get_ref().trim();
        if text.is_empty() {
            self.error(
                format!("`{key}` is empty"),
                value.span(),
                format!("write a few words in {key} = \"...\""),
            );
            return None;
        }
        if text.chars().count() > max {
            self.error(
                format!(
                    "`{key}` is {} characters long; at most {max}",
                    text.chars().count()
                ),
                value.span(),
                "shorten it",
            );
            return None;
        }
        if let Some((index, c)) = forbidden(value.get_ref(), lines) {
            let span = format::text::locate(self.source, value.span(), index)
                .unwrap_or_else(|| value.span());
            let what = if lines == Lines::One {
                "is shown on one line"
            } else {
                "may run over lines, but"
            };
            self.error(
                format!("`{key}` contains {}", name_of(c)),
                span,
                format!("`{key}` {what} and may hold no control character; take it out"),
            );
            return None;
        }
        Some(text.to_owned())
    }

    fn date(&mut self, key: &str, value: &Spanned<toml::Value>) -> Option<NaiveDate> {
        let parsed = match value.get_ref() {
            toml::Value::Datetime(dt) if dt.time.is_none() && dt.offset.is_none() => dt
                .date
                .and_then(|d| NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into())),
            toml::Value::String(s) => NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").ok(),
            _ => None,
        };
        if parsed.is_none() {
            let found = match value.get_ref() {
                toml::Value::Datetime(_) => "a date with a time".to_owned(),
                toml::Value::String(s) => format!("\"{s}\""),
                other => format!("the {}", other.type_str()),
            };
            self.error(
                format!("`{key}` should be a date such as 2026-12-01, not {found}"),
                value.span(),
                DATE_HELP,
            );
        }
        parsed
    }

    fn session_name(&mut self, value: &Spanned<String>) -> Option<String> {
        let name = value.get_ref().trim();
        if self.known.tags_of(name).is_some() {
            return Some(name.to_owned());
        }
        let names = self.known.names();
        let help = match did_you_mean(name, &names) {
            Some(m) => format!("did you mean `{m}`?"),
            None => "`exhale list` shows every session".to_owned(),
        };
        self.error(format!("no session named `{name}`"), value.span(), help);
        None
    }

    fn practice(
        &mut self,
        span: Span,
        p: &RawPractice,
        avoid: Option<&Avoid>,
        seen: &mut Vec<String>,
    ) -> Option<Practice> {
        let start = span.start..span.start;
        let session = match &p.session {
            Some(s) => self.session_name(s),
            None => {
                self.error(
                    "missing key `session` in a practice",
                    start.clone(),
                    "add session = \"extended-exhale\" (a name from `exhale list`)",
                );
                None
            }
        };
        if let (Some(name), Some(s)) = (&session, &p.session) {
            if seen.contains(name) {
                self.error(
                    format!("`{name}` is planned twice"),
                    s.span(),
                    "give each session one [[practice]]; `days` can say every day it is planned",
                );
            }
            seen.push(name.clone());
            if let Some(a) = avoid {
                let tags = self.known.tags_of(name).unwrap_or_default();
                if a.covers(name, tags) {
                    self.error(
                        format!("`{name}` is planned, and `avoid` leaves it alone"),
                        s.span(),
                        "take it out of `avoid.sessions`, or plan another session",
                    );
                }
            }
        }
        let days = match &p.days {
            Some(d) => self.days(d),
            None => {
                self.error("missing key `days` in a practice", start, DAYS_HELP);
                None
            }
        };
        let length = match (&p.minutes, &p.cycles) {
            (Some(_), Some(c)) => {
                self.error(
                    "give `minutes` or `cycles`, not both",
                    c.span(),
                    "keep one: minutes = 5, or cycles = 10",
                );
                None
            }
            (Some(m), None) => {
                let v = *m.get_ref();
                if v > 0.0 && v <= MAX_MINUTES {
                    Some(Length::Minutes(v))
                } else {
                    self.error(
                        format!("`minutes` is {v}; a practice lasts above 0 and at most {MAX_MINUTES} minutes"),
                        m.span(),
                        "e.g. minutes = 5",
                    );
                    None
                }
            }
            (None, Some(c)) => {
                let v = *c.get_ref();
                let max = i64::from(format::limits::MAX_CYCLES);
                if (1..=max).contains(&v) {
                    Some(Length::Cycles(v as u32))
                } else {
                    self.error(
                        format!("`cycles` is {v}; a practice runs 1 to {max} cycles"),
                        c.span(),
                        "e.g. cycles = 10",
                    );
                    None
                }
            }
            (None, None) => Some(Length::AsWritten),
        };
        let note = match &p.note {
            Some(n) => Some(self.one_line("note", n, MAX_NOTE, Lines::Many)?),
            None => None,
        };
        Some(Practice {
            session: session?,
            days: days?,
            length: length?,
            note,
        })
    }

    fn days(&mut self, value: &Spanned<toml::Value>) -> Option<Days> {
        let span = value.span();
        match value.get_ref() {
            toml::Value::String(s) if s.trim().eq_ignore_ascii_case("daily") => Some(Days::Daily),
            toml::Value::String(s) => {
                let word = s.trim().to_ascii_lowercase();
                let help = if weekday(&word).is_some() {
                    format!("weekdays go in a list: days = [\"{word}\"]")
                } else if did_you_mean(&word, &["daily"]).is_some() {
                    "did you mean `daily`?".to_owned()
                } else {
                    DAYS_HELP.to_owned()
                };
                self.error(
                    format!(
                        "`days` is \"{s}\"; expected \"daily\", a number or a list of weekdays"
                    ),
                    span,
                    help,
                );
                None
            }
            toml::Value::Integer(n) if (1..=7).contains(n) => Some(Days::PerWeek(*n as u8)),
            toml::Value::Integer(n) => {
                self.error(
                    format!("`days` is {n}; a number of days a week is 1 to 7"),
                    span,
                    DAYS_HELP,
                );
                None
            }
            toml::Value::Array(items) if items.is_empty() => {
                self.error("`days` is an empty list", span, DAYS_HELP);
                None
            }
            toml::Value::Array(items) => {
                let mut days: Vec<Weekday> = Vec::new();
                let mut ok = true;
                let mut after = span.start;
                for item in items {
                    let at = self.item_span(after..span.end, item);
                    after = at.end.min(span.end);
                    let Some(text) = item.as_str() else {
                        self.error(
                            format!(
                                "a weekday should be text such as \"mon\", not the {}",
                                item.type_str()
                            ),
                            at,
                            DAYS_HELP,
                        );
                        ok = false;
                        continue;
                    };
                    let word = text.trim().to_ascii_lowercase();
                    match weekday(&word) {
                        Some(d) if days.contains(&d) => {
                            self.error(
                                format!("`{text}` is in `days` twice"),
                                at,
                                "name each weekday once",
                            );
                            ok = false;
                        }
                        Some(d) => days.push(d),
                        None => {
                            let all: Vec<&str> =
                                WEEKDAYS.iter().flat_map(|(s, l, _)| [*s, *l]).collect();
                            let help = match did_you_mean(&word, &all) {
                                Some(m) => format!("did you mean `{m}`?"),
                                None => "weekdays are mon, tue, wed, thu, fri, sat and sun (or written in full)".to_owned(),
                            };
                            self.error(format!("`{text}` is not a weekday"), at, help);
                            ok = false;
                        }
                    }
                }
                days.sort_by_key(Weekday::num_days_from_monday);
                ok.then_some(Days::On(days))
            }
            other => {
                self.error(
                    format!(
                        "`days` should be \"daily\", a number or a list of weekdays, not the {}",
                        other.type_str()
                    ),
                    span,
                    DAYS_HELP,
                );
                None
            }
        }
    }

    /// Where a string item of a list is written, found by its text in
    /// the rest of the list (a plain `toml::Value` keeps no spans).
    fn item_span(&self, list: Span, item: &toml::Value) -> Span {
        let Some(text) = item.as_str() else {
            return list;
        };
        let within = self.source.get(list.clone()).unwrap_or("");
        for quoted in [format!("\"{text}\""), format!("'{text}'")] {
            if let Some(i) = within.find(&quoted) {
                return list.start + i..list.start + i + quoted.len();
            }
        }
        list
    }

    fn avoid(&mut self, span: Span, a: &RawAvoid) -> Option<Avoid> {
        let start = span.start..span.start;
        let reason = match &a.reason {
            Some(r) => self.one_line("reason", r, MAX_NOTE, Lines::Many),
            None => {
                self.error(
                    "missing key `reason` in `avoid`",
                    start.clone(),
                    "add reason = \"...\": it is shown before one of these sessions starts",
                );
                None
            }
        };
        let Some(list) = &a.sessions else {
            self.error(
                "missing key `sessions` in `avoid`",
                start,
                "add sessions = [\"retention\"]: session names or tags",
            );
            return None;
        };
        if list.get_ref().is_empty() {
            self.error(
                "`avoid.sessions` is an empty list",
                list.span(),
                "name sessions or tags, e.g. sessions = [\"retention\"], or take [avoid] out",
            );
            return None;
        }
        if list.get_ref().len() > MAX_AVOID {
            self.error(
                format!(
                    "`avoid.sessions` names {}; at most {MAX_AVOID}",
                    list.get_ref().len()
                ),
                list.span(),
                "name tags rather than every session",
            );
            return None;
        }
        let names = self.known.names();
        let tags = self.known.tags();
        let mut out = Vec::new();
        let mut ok = true;
        for item in list.get_ref() {
            let word = item.get_ref().trim();
            if names.contains(&word) || tags.contains(&word) {
                out.push(word.to_owned());
                continue;
            }
            ok = false;
            let all: Vec<&str> = names.iter().chain(tags.iter()).copied().collect();
            let help = match did_you_mean(word, &all) {
                Some(m) => format!("did you mean `{m}`?"),
                None => "name a session (`exhale list`) or one of its tags".to_owned(),
            };
            self.error(
                format!("`{word}` is neither a session nor a tag"),
                item.span(),
                help,
            );
        }
        Some(Avoid {
            sessions: ok.then_some(out)?,
            reason: reason?,
        })
    }
}

/// The weekday a word names: "mon" or "monday".
fn weekday(word: &str) -> Option<Weekday> {
    WEEKDAYS
        .iter()
        .find(|(s, l, _)| *s == word || *l == word)
        .map(|(_, _, d)| *d)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> Known {
        Known::from_library(&Library::load(None))
    }

    #[test]
    fn a_plan_with_weeks_ends_on_the_last_day_of_its_last_week() {
        let c = check_str(
            "title = \"T\"\nfrom = 2026-12-01\nweeks = 2\n[[practice]]\nsession = \"box\"\ndays = [\"Mon\", \"fri\"]\n",
            &known(),
        );
        let plan = c.plan.expect("valid");
        assert_eq!(plan.until, NaiveDate::from_ymd_opt(2026, 12, 14));
        assert_eq!(
            plan.practices[0].days,
            Days::On(vec![Weekday::Mon, Weekday::Fri])
        );
    }

    #[test]
    fn an_avoided_tag_covers_the_sessions_that_carry_it() {
        let k = known();
        let c = check_str(
            "title = \"T\"\nfrom = \"2026-12-01\"\n[[practice]]\nsession = \"sigh\"\ndays = 3\n[avoid]\nsessions = [\"retention\"]\nreason = \"not yet\"\n",
            &k,
        );
        let plan = c.plan.expect("valid");
        let a = plan.avoid.expect("avoid");
        assert!(a.covers("retention", k.tags_of("retention").unwrap_or_default()));
        assert!(!a.covers("sigh", k.tags_of("sigh").unwrap_or_default()));
    }
}
