//! What the journal's figures need of a session line, read without
//! building the whole [`Entry`]: `exhale stats`, `history`, `today`,
//! `due` and the picker's stats screen read every line of a journal that
//! may hold 100,000 entries, and most of a line (its session file's hash,
//! the machine, the words of the check-ins, the note) is never shown by
//! them.
//!
//! [`read`] parses a line into [`Light`]: the same fields, of the same
//! types, in the same order as [`Entry`], except that strings the figures
//! do not use are checked to be strings and not kept, and the ones they do
//! use are borrowed from the line. It then applies the very bounds
//! [`Entry::check`] applies. So a line [`read`] accepts is one the full
//! parse ([`super::record::parse`]) accepts too, as a session with the
//! same values: when [`read`] gives `None` (a version 1 line, which needs
//! its derived id; another kind of record; any damage), the caller parses
//! the line in full, which says why it is skipped with the very words it
//! always did. `tests/journal_figures.rs` checks the two agree.

use std::borrow::Cow;

use chrono::{DateTime, FixedOffset};
use serde::Deserialize;

use super::entry::{Checked, Entry, SessionKind, SkipReason, nil_id};
use super::id::Id;
use super::measure::{Answers, InTheWay};
use crate::engine::player::{Ending, PaceNote};

/// What the figures use of one session: the stats ([`super::stats::Fold`]),
/// the order `history` shows entries in, and what a plan counts as done.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Figures<'a> {
    /// The entry's id (to show each entry once, and leave out removed ones).
    pub id: Id,
    /// When it started.
    pub started: DateTime<FixedOffset>,
    /// The session's name.
    pub session: &'a str,
    /// The session's title.
    pub title: &'a str,
    /// Time practised in seconds.
    pub practised_s: u64,
    /// The check-in score before.
    pub before: Option<u8>,
    /// The check-in score after.
    pub after: Option<u8>,
    /// The retention holds, in seconds.
    pub holds_s: &'a [f64],
}

impl<'a> Figures<'a> {
    /// The figures of an entry read in full.
    pub fn of(e: &'a Entry) -> Self {
        Self {
            id: e.id,
            started: e.started,
            session: &e.session,
            title: &e.title,
            practised_s: e.practised_s,
            before: e.before.score,
            after: e.after.score,
            holds_s: &e.holds_s,
        }
    }
}

/// A JSON string the figures do not use: checked to be a string, not kept.
#[derive(Debug)]
struct Text;

impl<'de> Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Text;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<Text, E> {
                Ok(Text)
            }
        }
        d.deserialize_str(V)
    }
}

/// [`super::Checkin`] as the figures read it: the same fields and types,
/// the words not kept.
#[derive(Debug, Default, Deserialize)]
struct LightCheckin {
    #[serde(default)]
    score: Option<u8>,
    #[serde(default)]
    #[allow(dead_code)] // read only to be checked
    words: Option<Text>,
    #[serde(default)]
    #[allow(dead_code)] // read only to be checked
    skipped: Option<SkipReason>,
    #[serde(default)]
    measures: Answers,
}

/// A session line as the figures read it: [`Entry`]'s fields, of the same
/// types and in the same order (a JSON array is read by position, as for
/// [`Entry`]), with the strings the figures do not use checked, not kept.
#[derive(Debug, Deserialize)]
#[allow(dead_code)] // fields read only to be checked, as the full parse checks them
pub struct Light<'a> {
    v: u32,
    #[serde(default)]
    kind: SessionKind,
    #[serde(default = "nil_id")]
    id: Id,
    #[serde(default)]
    machine: Option<Text>,
    started: DateTime<FixedOffset>,
    #[serde(borrow)]
    session: Cow<'a, str>,
    #[serde(borrow)]
    title: Cow<'a, str>,
    source_sha256: Text,
    planned_s: u64,
    practised_s: u64,
    ending: Ending,
    #[serde(default)]
    cycles: u32,
    #[serde(default)]
    rounds: u32,
    #[serde(default)]
    holds_s: Vec<f64>,
    #[serde(default)]
    holds_capped: Vec<bool>,
    #[serde(default)]
    skipped: u32,
    #[serde(default)]
    pace: Vec<PaceNote>,
    #[serde(default)]
    before: LightCheckin,
    #[serde(default)]
    after: LightCheckin,
    #[serde(default)]
    note: Option<Text>,
    #[serde(default)]
    written: Option<DateTime<FixedOffset>>,
    #[serde(default)]
    in_the_way: Option<InTheWay>,
}

impl Light<'_> {
    /// Its figures.
    pub fn figures(&self) -> Figures<'_> {
        Figures {
            id: self.id,
            started: self.started,
            session: &self.session,
            title: &self.title,
            practised_s: self.practised_s,
            before: self.before.score,
            after: self.after.score,
            holds_s: &self.holds_s,
        }
    }
}

/// Read one line's bytes (without its line ending) as a session with an id
/// of its own whose values pass [`Entry::check`]; `None` for anything else,
/// which the caller then parses in full.
pub fn read(raw: &[u8]) -> Option<Light<'_>> {
    let l: Light<'_> = serde_json::from_slice(raw).ok()?;
    if l.id.is_nil() {
        // A version 1 line: its id is derived from the whole entry.
        return None;
    }
    Checked {
        planned_s: l.planned_s,
        practised_s: l.practised_s,
        cycles: l.cycles,
        rounds: l.rounds,
        skipped: l.skipped,
        holds_s: &l.holds_s,
        holds_capped: l.holds_capped.len(),
        pace: l.pace.len(),
        before: (l.before.score, &l.before.measures),
        after: (l.after.score, &l.after.measures),
        in_the_way: l.in_the_way.as_ref(),
    }
    .check()
    .ok()?;
    Some(l)
}

/// Where an entry's figures came from, to build the whole entry when a
/// reader needs it (`history` keeps the latest few).
#[derive(Debug, Clone, Copy)]
pub enum Source<'a> {
    /// The line's bytes, read only for the figures ([`read`]).
    Line(&'a [u8]),
    /// The entry, read in full.
    Entry(&'a Entry),
}

impl Source<'_> {
    /// The whole entry. A line [`read`] accepted is always a session the
    /// full parse accepts; `None` would mean the two disagree.
    pub fn entry(&self) -> Option<Entry> {
        match self {
            Self::Line(raw) => match super::record::parse(raw, |_| Id::NIL) {
                Ok(super::record::Record::Session(e)) => Some(*e),
                _ => None,
            },
            Self::Entry(e) => Some((*e).clone()),
        }
    }
}

/// What a read for figures gives, one item at a time: an entry of the
/// journal as it shows it (not removed, once), or a skipped line.
#[derive(Debug)]
pub enum Seen<'a> {
    /// An entry: its figures, and where to get the whole entry from.
    Entry(&'a Figures<'a>, Source<'a>),
    /// A line that could not be read.
    Skipped(super::store::SkippedLine),
}
