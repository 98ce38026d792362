//! One practised session and its format on disk: a JSON object on one
//! line. Version 2 (written by this build) tags it `"kind": "session"` and
//! gives it an `id` and the `machine` that wrote it; version 1 lines have
//! neither and are read as they are (see [`super::record`]). Readers
//! ignore fields they do not know, so a later version can add some without
//! breaking older copies of exhale.

use std::time::Duration;

use chrono::{DateTime, FixedOffset, SecondsFormat, Timelike as _};
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};

use super::id::Id;
use super::measure::{Answers, InTheWay};
use crate::engine::player::{Ending, Outcome, PaceNote};
use std::collections::BTreeMap;

/// The format version written by this build. Version 2 added the record's
/// `kind`, `id` and `machine`; what later versions add comes as new fields
/// and new kinds, which this version reads past (docs/journal.md).
pub const FORMAT_VERSION: u32 = 2;

/// The `"kind": "session"` tag of a session record. A version 1 line has
/// no kind and is a session; any other kind is not read as one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SessionKind;

impl Serialize for SessionKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str("session")
    }
}

impl<'de> Deserialize<'de> for SessionKind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = SessionKind;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("\"session\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<SessionKind, E> {
                if v == "session" {
                    Ok(SessionKind)
                } else {
                    Err(E::custom(format_args!("not a session but a `{v}` record")))
                }
            }
        }
        d.deserialize_str(V)
    }
}

/// Why a check-in has no answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SkipReason {
    /// The user chose to skip it.
    Skipped,
    /// There was no terminal to ask on (stdin redirected).
    NotATerminal,
    /// Check-ins are turned off (`[journal] checkins = false`).
    Disabled,
    /// The session was ended by a signal (SIGTERM, SIGHUP) and written
    /// straight away without asking.
    Interrupted,
}

impl SkipReason {
    /// The word used on disk and in exports.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Skipped => "skipped",
            Self::NotATerminal => "not-a-terminal",
            Self::Disabled => "disabled",
            Self::Interrupted => "interrupted",
        }
    }
}

/// A check-in: a score from 0 (very unsettled) to 10 (calm and at ease)
/// with an optional word or two, or the reason there is none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Checkin {
    /// 0-10.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<u8>,
    /// A word or two ("tense", "a bit lighter").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub words: Option<String>,
    /// Set when there is no answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skipped: Option<SkipReason>,
    /// The answers to the plan's or the config's measures
    /// ([`super::measure`]), by name; absent when none were asked or
    /// answered. Kept even when the 0-10 question was skipped.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub measures: Answers,
}

impl Checkin {
    /// An answer.
    pub fn answered(score: u8, words: Option<String>) -> Self {
        Self {
            score: Some(score.min(10)),
            words: words.filter(|w| !w.trim().is_empty()),
            skipped: None,
            measures: Answers::new(),
        }
    }

    /// No answer, and why.
    pub fn skipped(reason: SkipReason) -> Self {
        Self {
            score: None,
            words: None,
            skipped: Some(reason),
            measures: Answers::new(),
        }
    }
}

/// One practised session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// Format version ([`FORMAT_VERSION`] when written by this build).
    pub v: u32,
    /// Always `"session"` (absent in version 1 lines).
    #[serde(default)]
    pub kind: SessionKind,
    /// The entry's id: given when it is written (a UUID v7), or derived
    /// from the line for a version 1 entry. [`Id::NIL`] until the journal
    /// gives it one.
    #[serde(default = "nil_id", skip_serializing_if = "Id::is_nil")]
    pub id: Id,
    /// The machine that wrote it (`[journal] machine`, or derived from
    /// the system's machine id); absent in version 1 entries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub machine: Option<String>,
    /// When the session started: local time with its UTC offset (RFC 3339,
    /// to the second: `2026-11-28T07:30:00+01:00`).
    #[serde(serialize_with = "rfc3339_seconds")]
    pub started: DateTime<FixedOffset>,
    /// The session's name (its file stem, as `exhale list` shows it).
    pub session: String,
    /// The session's title.
    pub title: String,
    /// SHA-256 of the session file's bytes, in hex, so a later change to
    /// the file can be told apart.
    pub source_sha256: String,
    /// Planned length in seconds.
    pub planned_s: u64,
    /// Time practised in seconds (pauses excluded).
    pub practised_s: u64,
    /// How it ended.
    pub ending: Ending,
    /// Breathing cycles completed.
    #[serde(default)]
    pub cycles: u32,
    /// Retention rounds completed.
    #[serde(default)]
    pub rounds: u32,
    /// Each retention hold in seconds, to a tenth.
    #[serde(default)]
    pub holds_s: Vec<f64>,
    /// For each of `holds_s`, whether the hold ran to its cap and ended by
    /// itself rather than being ended by the person; absent when none did.
    #[serde(default, skip_serializing_if = "none_capped")]
    pub holds_capped: Vec<bool>,
    /// Phases the user skipped (absent when none were).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub skipped: u32,
    /// The blocks breathed at another pace than written (`[` and `]`
    /// during the session), with the pace each ended at; absent when the
    /// pace was not changed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pace: Vec<PaceNote>,
    /// The check-in before.
    #[serde(default)]
    pub before: Checkin,
    /// The check-in after.
    #[serde(default)]
    pub after: Checkin,
    /// "What did you notice?"
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// When the entry was written (local time, to the second); absent in
    /// entries written before this field was added.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        serialize_with = "rfc3339_seconds_opt"
    )]
    pub written: Option<DateTime<FixedOffset>>,
    /// The answer to "What got in the way?", asked before this session
    /// about planned days that passed without practice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_the_way: Option<InTheWay>,
}

/// The session a record is about: what `exhale run` knows before it starts.
#[derive(Debug, Clone)]
pub struct SessionInfo {
    /// File stem.
    pub name: String,
    /// Title.
    pub title: String,
    /// SHA-256 of the source, hex.
    pub source_sha256: String,
}

impl SessionInfo {
    /// Describe a session from its name, title and file bytes.
    pub fn new(name: &str, title: &str, source: &[u8]) -> Self {
        Self {
            name: name.to_owned(),
            title: title.to_owned(),
            source_sha256: sha256_hex(source),
        }
    }
}

/// Hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in digest {
        s.push_str(&format!("{b:02x}"));
    }
    s
}

/// Serialize a time as RFC 3339 to the second, as every record writes it.
pub(super) fn rfc3339_seconds<S: serde::Serializer>(
    t: &DateTime<FixedOffset>,
    s: S,
) -> Result<S::Ok, S::Error> {
    s.serialize_str(&t.to_rfc3339_opts(SecondsFormat::Secs, false))
}

#[allow(clippy::ref_option)] // serde's serialize_with passes a reference
fn rfc3339_seconds_opt<S: serde::Serializer>(
    t: &Option<DateTime<FixedOffset>>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match t {
        Some(t) => rfc3339_seconds(t, s),
        None => s.serialize_none(),
    }
}

fn none_capped(capped: &[bool]) -> bool {
    !capped.contains(&true)
}

fn tenths(d: Duration) -> f64 {
    (d.as_secs_f64() * 10.0).round() / 10.0
}

impl Entry {
    /// Build a record from what was practised and the check-ins.
    pub fn new(
        info: &SessionInfo,
        started: DateTime<FixedOffset>,
        outcome: &Outcome,
        before: Checkin,
        after: Checkin,
        note: Option<String>,
    ) -> Self {
        Self {
            v: FORMAT_VERSION,
            kind: SessionKind,
            id: Id::NIL,
            machine: None,
            started: started.with_nanosecond(0).unwrap_or(started),
            session: info.name.clone(),
            title: info.title.clone(),
            source_sha256: info.source_sha256.clone(),
            planned_s: outcome.planned.as_secs_f64().round() as u64,
            practised_s: outcome.practised.as_secs_f64().round() as u64,
            ending: outcome.ending,
            cycles: outcome.cycles,
            rounds: outcome.rounds,
            holds_s: outcome.holds.iter().map(|h| tenths(*h)).collect(),
            holds_capped: outcome.capped.clone(),
            skipped: outcome.skipped,
            pace: outcome.pace.clone(),
            before,
            after,
            note: note.filter(|n| !n.trim().is_empty()),
            written: None,
            in_the_way: None,
        }
    }

    /// The entry as written at `now`, with the answer to "What got in the
    /// way?" when one was asked.
    #[must_use]
    pub fn written_at(mut self, now: DateTime<FixedOffset>, in_the_way: Option<InTheWay>) -> Self {
        self.written = Some(now.with_nanosecond(0).unwrap_or(now));
        self.in_the_way = in_the_way;
        self
    }

    /// Whether hold `i` (of `holds_s`) ran to its cap and ended by itself.
    pub fn hold_capped(&self, i: usize) -> bool {
        self.holds_capped.get(i).copied().unwrap_or(false)
    }

    /// The record as one line of JSON, newline included.
    pub fn to_line(&self) -> Result<String, serde_json::Error> {
        let mut s = serde_json::to_string(self)?;
        s.push('\n');
        Ok(s)
    }

    /// After minus before, when both were answered.
    pub fn change(&self) -> Option<i32> {
        Some(i32::from(self.after.score?) - i32::from(self.before.score?))
    }

    /// The ending as the word stored on disk.
    pub fn ending_word(&self) -> &'static str {
        self.ending.word()
    }
}

/// Longest planned or practised time an entry may record: 48 hours. The
/// format allows a session of at most 24 hours (plus a settle-in of at most
/// 5 minutes), so anything longer is damage, not practice.
pub const MAX_LENGTH_S: u64 = 48 * 3600;
/// Longest single breath hold an entry may record: one hour (a retention
/// hold is capped at 10 minutes by the format).
pub const MAX_HOLD_S: f64 = 3600.0;
/// Most cycles, rounds, skipped phases or holds an entry may record: a
/// session expands to at most 200,000 phases
/// ([`crate::format::limits::MAX_SEGMENTS`]).
pub const MAX_COUNT: u64 = 200_000;
/// Highest check-in score.
pub const MAX_SCORE: u8 = 10;

impl Entry {
    /// Whether every value is one a session could have produced; `Err`
    /// says which is not, for the warning that skips the line. The bounds
    /// are [`MAX_LENGTH_S`], [`MAX_HOLD_S`], [`MAX_COUNT`] and
    /// [`MAX_SCORE`].
    pub fn check(&self) -> Result<(), String> {
        Checked {
            planned_s: self.planned_s,
            practised_s: self.practised_s,
            cycles: self.cycles,
            rounds: self.rounds,
            skipped: self.skipped,
            holds_s: &self.holds_s,
            holds_capped: self.holds_capped.len(),
            pace: self.pace.len(),
            before: (self.before.score, &self.before.measures),
            after: (self.after.score, &self.after.measures),
            in_the_way: self.in_the_way.as_ref(),
        }
        .check()
    }
}

/// The values of a session that [`Entry::check`] judges, borrowed from an
/// entry or from a line read for its figures only
/// ([`super::figures`]), so both readers apply the very same bounds.
pub(crate) struct Checked<'a> {
    pub planned_s: u64,
    pub practised_s: u64,
    pub cycles: u32,
    pub rounds: u32,
    pub skipped: u32,
    pub holds_s: &'a [f64],
    /// How many `holds_capped` values there are.
    pub holds_capped: usize,
    /// How many `pace` notes there are.
    pub pace: usize,
    /// The check-in before: its score and measure answers.
    pub before: (Option<u8>, &'a Answers),
    /// The check-in after.
    pub after: (Option<u8>, &'a Answers),
    pub in_the_way: Option<&'a InTheWay>,
}

impl Checked<'_> {
    /// See [`Entry::check`].
    pub fn check(&self) -> Result<(), String> {
        for (name, v) in [
            ("planned_s", self.planned_s),
            ("practised_s", self.practised_s),
        ] {
            if v > MAX_LENGTH_S {
                return Err(format!(
                    "`{name}` is {v} seconds; an entry records at most {MAX_LENGTH_S} (48 hours)"
                ));
            }
        }
        for (name, v) in [
            ("cycles", u64::from(self.cycles)),
            ("rounds", u64::from(self.rounds)),
            ("skipped", u64::from(self.skipped)),
            ("holds_s", self.holds_s.len() as u64),
            ("pace", self.pace as u64),
        ] {
            if v > MAX_COUNT {
                let what = if name == "holds_s" { " holds" } else { "" };
                return Err(format!(
                    "`{name}` has {v}{what}; an entry records at most {MAX_COUNT}"
                ));
            }
        }
        if self.holds_capped > self.holds_s.len() {
            return Err(format!(
                "`holds_capped` has {} values for {} holds; it has one for each hold",
                self.holds_capped,
                self.holds_s.len()
            ));
        }
        if let Some(h) = self
            .holds_s
            .iter()
            .find(|h| !(0.0..=MAX_HOLD_S).contains(*h))
        {
            return Err(format!(
                "`holds_s` has a hold of {h} seconds; a hold is between 0 and {MAX_HOLD_S} (an hour)"
            ));
        }
        for (name, (score, measures)) in [("before", self.before), ("after", self.after)] {
            if let Some(s) = score.filter(|s| *s > MAX_SCORE) {
                return Err(format!(
                    "`{name}` has a score of {s}; scores go from 0 to {MAX_SCORE}"
                ));
            }
            check_measures(name, measures)?;
        }
        if let Some(w) = self.in_the_way
            && w.days.len() > 366
        {
            return Err(format!(
                "`in_the_way` is about {} days; at most 366",
                w.days.len()
            ));
        }
        Ok(())
    }
}

/// Most measure answers one check-in may hold.
pub const MAX_ANSWERS: usize = 64;

/// Whether a check-in's measure answers are ones exhale could have asked
/// for: a number is at most 100, and there are not more than
/// [`MAX_ANSWERS`].
pub fn check_measures(name: &str, answers: &Answers) -> Result<(), String> {
    use super::measure::Value;
    if answers.len() > MAX_ANSWERS {
        return Err(format!(
            "`{name}` answers {} measures; at most {MAX_ANSWERS}",
            answers.len()
        ));
    }
    for (m, v) in answers {
        if let Value::Number(n) = v
            && *n > 100
        {
            return Err(format!(
                "`{name}` answers `{m}` with {n}; a measure goes up to 100 at most"
            ));
        }
    }
    Ok(())
}

pub(super) fn nil_id() -> Id {
    Id::NIL
}

#[allow(clippy::trivially_copy_pass_by_ref)] // serde's skip_serializing_if passes a reference
fn is_zero(n: &u32) -> bool {
    *n == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Entry {
        Entry {
            v: 2,
            kind: SessionKind,
            id: Id::v7_from_parts(1_764_311_400_000, [7; 10]),
            machine: Some("laptop".into()),
            started: DateTime::parse_from_rfc3339("2026-11-28T07:30:00+01:00").expect("date"),
            session: "box".into(),
            title: "Box breathing".into(),
            source_sha256: sha256_hex(b"x"),
            planned_s: 300,
            practised_s: 240,
            ending: Ending::Stopped,
            cycles: 15,
            rounds: 0,
            holds_s: vec![23.4],
            holds_capped: Vec::new(),
            skipped: 0,
            pace: Vec::new(),
            before: Checkin::answered(4, Some("tense".into())),
            after: Checkin::skipped(SkipReason::Skipped),
            note: Some("shoulders dropped".into()),
            written: None,
            in_the_way: None,
        }
    }

    #[test]
    fn a_record_is_one_line_with_its_version_and_reads_back() {
        let e = sample();
        let line = e.to_line().expect("json");
        assert_eq!(line.matches('\n').count(), 1);
        assert!(
            line.starts_with(&format!(
                "{{\"v\":2,\"kind\":\"session\",\"id\":\"{}\",\"machine\":\"laptop\",",
                e.id
            )),
            "{line}"
        );
        assert!(line.contains("\"started\":\"2026-11-28T07:30:00+01:00\""));
        assert!(line.contains("\"after\":{\"skipped\":\"skipped\"}"));
        let back: Entry = serde_json::from_str(&line).expect("parse");
        assert_eq!(back, e);
    }

    #[test]
    fn unknown_fields_from_a_later_version_are_accepted() {
        let mut v: serde_json::Value = serde_json::to_value(sample()).expect("json");
        v["v"] = 3.into();
        v["heart_rate"] = serde_json::json!([61, 58]);
        let back: Entry = serde_json::from_value(v).expect("parse");
        assert_eq!(back.v, 3);
        assert_eq!(back.session, "box");
    }

    #[test]
    fn values_at_the_bounds_pass_and_one_past_them_do_not() {
        let mut e = sample();
        e.planned_s = MAX_LENGTH_S;
        e.practised_s = MAX_LENGTH_S;
        e.holds_s = vec![0.0, MAX_HOLD_S];
        e.cycles = MAX_COUNT as u32;
        e.before = Checkin::answered(10, None);
        assert_eq!(e.check(), Ok(()));
        let past: [fn(&mut Entry); 6] = [
            |e| e.planned_s += 1,
            |e| e.practised_s += 1,
            |e| e.holds_s.push(-0.1),
            |e| e.holds_s.push(MAX_HOLD_S + 0.1),
            |e| e.rounds = MAX_COUNT as u32 + 1,
            |e| e.after.score = Some(11),
        ];
        for (i, spoil) in past.iter().enumerate() {
            let mut bad = e.clone();
            spoil(&mut bad);
            assert!(bad.check().is_err(), "case {i}");
        }
    }

    #[test]
    fn hash_is_hex_sha256() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn change_needs_both_scores() {
        let mut e = sample();
        assert_eq!(e.change(), None);
        e.after = Checkin::answered(7, None);
        assert_eq!(e.change(), Some(3));
    }
}
