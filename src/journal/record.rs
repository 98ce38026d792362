//! The records of the journal: one JSON object per line, tagged by its
//! `kind`. Lines are only ever appended; a later change to an entry is a
//! new record that refers to the entry's id:
//!
//! - `"session"` ([`Entry`]): a practised session;
//! - `"amend"` ([`Amend`]): a new text for an entry's note;
//! - `"remove"` ([`Remove`]): the entry is no longer shown (a tombstone);
//! - `"resonance"` ([`Assessment`]): the result of a resonance assessment;
//! - `"checkin"` ([`Diary`]): a check-in with no session (`exhale checkin`).
//!
//! A kind this version does not know (written by a later one) is passed
//! over without a warning ([`Record::Other`]), as are fields it does not
//! know. A version 1 line has no kind: it is a session, whose id is derived
//! from its bytes ([`Id::derived`]).

use serde::{Deserialize, Serialize};

use super::assessment::Assessment;
use super::diary::Diary;
use super::entry::{Entry, FORMAT_VERSION};
use super::id::Id;

/// A `"kind": "amend"` record: it changes what readers show of the entry
/// `of`; the entry's own line never changes. Each field it carries
/// replaces the entry's; of two amendments setting the same field, the one
/// with the greater id (the later written) wins.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Amend {
    /// Format version.
    pub v: u32,
    /// Always `"amend"`.
    pub kind: AmendTag,
    /// This record's own id.
    pub id: Id,
    /// The machine that wrote it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub machine: Option<String>,
    /// The id of the entry it changes.
    pub of: Id,
    /// The new note; an empty text takes the note away.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A `"kind": "remove"` record (a tombstone): the entry `of` is left out
/// of history, stats and exports. Its line stays in the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Remove {
    /// Format version.
    pub v: u32,
    /// Always `"remove"`.
    pub kind: RemoveTag,
    /// This record's own id.
    pub id: Id,
    /// The machine that wrote it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub machine: Option<String>,
    /// The id of the entry it removes.
    pub of: Id,
}

macro_rules! tag {
    ($name:ident, $word:literal) => {
        #[doc = concat!("The `\"kind\": \"", $word, "\"` tag.")]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
        pub struct $name;

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str($word)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = std::borrow::Cow::<str>::deserialize(d)?;
                if s == $word {
                    Ok($name)
                } else {
                    Err(serde::de::Error::custom(format_args!(
                        "not an {} but a `{s}` record",
                        $word
                    )))
                }
            }
        }
    };
}

tag!(AmendTag, "amend");
tag!(RemoveTag, "remove");
tag!(ResonanceTag, "resonance");
tag!(CheckinTag, "checkin");

impl Amend {
    /// An amendment of `of`'s note, with a new id.
    pub fn note(id: Id, machine: Option<String>, of: Id, note: &str) -> Self {
        Self {
            v: FORMAT_VERSION,
            kind: AmendTag,
            id,
            machine,
            of,
            note: Some(note.trim().to_owned()),
        }
    }
}

impl Remove {
    /// A tombstone for `of`, with a new id.
    pub fn new(id: Id, machine: Option<String>, of: Id) -> Self {
        Self {
            v: FORMAT_VERSION,
            kind: RemoveTag,
            id,
            machine,
            of,
        }
    }
}

/// One line of the journal, read.
#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    /// A practised session.
    Session(Box<Entry>),
    /// A change to an entry.
    Amend(Amend),
    /// An entry removed.
    Remove(Remove),
    /// A resonance assessment's result.
    Assessment(Box<Assessment>),
    /// A check-in with no session.
    Diary(Box<Diary>),
    /// A kind of record this version does not know: passed over by
    /// readers, copied as it is by imports and backups.
    Other {
        /// Its kind.
        kind: String,
        /// Its id, when it has one.
        id: Option<Id>,
    },
}

impl Record {
    /// The record's own id.
    pub fn id(&self) -> Option<Id> {
        match self {
            Self::Session(e) => Some(e.id),
            Self::Amend(a) => Some(a.id),
            Self::Remove(r) => Some(r.id),
            Self::Assessment(a) => Some(a.id),
            Self::Diary(d) => Some(d.id),
            Self::Other { id, .. } => *id,
        }
    }

    /// The machine that wrote it.
    pub fn machine(&self) -> Option<&str> {
        match self {
            Self::Session(e) => e.machine.as_deref(),
            Self::Amend(a) => a.machine.as_deref(),
            Self::Remove(r) => r.machine.as_deref(),
            Self::Assessment(a) => a.machine.as_deref(),
            Self::Diary(d) => d.machine.as_deref(),
            Self::Other { .. } => None,
        }
    }

    /// The record as one line of JSON, newline included.
    pub fn to_line(&self) -> Result<String, serde_json::Error> {
        let mut s = match self {
            Self::Session(e) => serde_json::to_string(e)?,
            Self::Amend(a) => serde_json::to_string(a)?,
            Self::Remove(r) => serde_json::to_string(r)?,
            Self::Assessment(a) => serde_json::to_string(a)?,
            Self::Diary(d) => serde_json::to_string(d)?,
            Self::Other { .. } => {
                return Err(serde::ser::Error::custom(
                    "a record of an unknown kind is never written",
                ));
            }
        };
        s.push('\n');
        Ok(s)
    }
}

/// Just enough of a line to know its kind.
#[derive(Deserialize)]
struct Head {
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    id: Option<Id>,
}

/// Read one line's bytes (without its line ending). `derive` gives the id
/// of a version 1 entry, which has none of its own, from its canonical
/// bytes ([`canonical_v1`]). `Err` says why the line cannot be read, for
/// the warning that skips it.
pub fn parse(raw: &[u8], derive: impl FnOnce(&[u8]) -> Id) -> Result<Record, String> {
    // Nearly every line is a session: read it as one straight away.
    let session_error = match serde_json::from_slice::<Entry>(raw) {
        Ok(mut e) => {
            if e.id.is_nil() {
                if e.v >= 2 {
                    return Err(format!(
                        "a version {} entry needs its `id`; this one has none",
                        e.v
                    ));
                }
                e.id = derive(&canonical_v1(&e));
            }
            e.check()?;
            return Ok(Record::Session(Box::new(e)));
        }
        Err(e) => e,
    };
    let Ok(head) = serde_json::from_slice::<Head>(raw) else {
        return Err(session_error.to_string());
    };
    let of_kind = |r: Result<Record, serde_json::Error>| r.map_err(|e| e.to_string());
    match head.kind.as_deref() {
        None | Some("session") => Err(session_error.to_string()),
        Some("amend") => {
            let a = of_kind(serde_json::from_slice::<Amend>(raw).map(Record::Amend))?;
            check_refers(&a)?;
            Ok(a)
        }
        Some("remove") => {
            let r = of_kind(serde_json::from_slice::<Remove>(raw).map(Record::Remove))?;
            check_refers(&r)?;
            Ok(r)
        }
        Some("resonance") => {
            let a = serde_json::from_slice::<Assessment>(raw).map_err(|e| e.to_string())?;
            a.check()?;
            Ok(Record::Assessment(Box::new(a)))
        }
        Some("checkin") => {
            let d = serde_json::from_slice::<Diary>(raw).map_err(|e| e.to_string())?;
            d.check()?;
            Ok(Record::Diary(Box::new(d)))
        }
        Some(other) => Ok(Record::Other {
            kind: other.to_owned(),
            id: head.id,
        }),
    }
}

/// The canonical bytes of a version 1 entry, which its derived id is
/// made from: its version 1 fields as compact JSON, in the order version 1
/// wrote them. The same entry gives the same bytes however its line was
/// spaced, and whether it comes from the old file or from an export of it.
pub fn canonical_v1(e: &Entry) -> Vec<u8> {
    use super::entry::Checkin;
    use crate::engine::player::Ending;
    /// Version 1's fields, fixed for ever: a later field never changes an
    /// old entry's id.
    #[derive(Serialize)]
    struct V1<'a> {
        v: u32,
        started: String,
        session: &'a str,
        title: &'a str,
        source_sha256: &'a str,
        planned_s: u64,
        practised_s: u64,
        ending: Ending,
        cycles: u32,
        rounds: u32,
        holds_s: &'a [f64],
        #[serde(skip_serializing_if = "is_zero")]
        skipped: u32,
        before: &'a Checkin,
        after: &'a Checkin,
        #[serde(skip_serializing_if = "Option::is_none")]
        note: Option<&'a str>,
    }
    #[allow(clippy::trivially_copy_pass_by_ref)] // serde passes a reference
    fn is_zero(n: &u32) -> bool {
        *n == 0
    }
    let canon = V1 {
        v: e.v,
        started: e
            .started
            .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false),
        session: &e.session,
        title: &e.title,
        source_sha256: &e.source_sha256,
        planned_s: e.planned_s,
        practised_s: e.practised_s,
        ending: e.ending,
        cycles: e.cycles,
        rounds: e.rounds,
        holds_s: &e.holds_s,
        skipped: e.skipped,
        before: &e.before,
        after: &e.after,
        note: e.note.as_deref(),
    };
    serde_json::to_vec(&canon).unwrap_or_default()
}

/// An amendment or a tombstone must have an id and name an entry.
fn check_refers(r: &Record) -> Result<(), String> {
    let (id, of) = match r {
        Record::Amend(a) => (a.id, a.of),
        Record::Remove(x) => (x.id, x.of),
        _ => return Ok(()),
    };
    if id.is_nil() || of.is_nil() {
        return Err("an amendment or removal needs its own `id` and the `of` it refers to".into());
    }
    Ok(())
}

/// Whether the line may be an amendment, a tombstone, an assessment or a
/// check-in without a session, judged from its bytes without parsing it:
/// the first two always have the key `"of"`, the others their kind
/// (`"kind": "resonance"`, `"kind": "checkin"`), which JSON can only spell
/// so, with blanks around the colon, or with `\u` escapes. A session line
/// passes only when some text in it is one of those or has an escape (a
/// session named `resonance` does not: its name follows `"session"`, not
/// `"kind"`), so this is a quick, never-wrong filter for the first of the
/// two passes a read makes. A line that opens as this build writes a
/// session (`{"v":2,"kind":"session",`) is passed over without a search.
pub fn may_refer(raw: &[u8]) -> bool {
    use memchr::memmem::Finder;
    use std::sync::LazyLock;
    // Built once: building a finder costs more than a search of a line.
    static OF: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"\"of\""));
    static ESCAPE: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"\\u"));
    static RESONANCE: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"\"resonance\""));
    static CHECKIN: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"\"checkin\""));
    // A line that opens as this build writes a session has the kind
    // "session" at its top: it is a session, or (with a second `kind`)
    // no record at all. Nearly every line is one; no search is needed.
    if raw.starts_with(br#"{"v":2,"kind":"session","#) {
        return false;
    }
    OF.find(raw).is_some()
        || ESCAPE.find(raw).is_some()
        || is_kind(raw, &RESONANCE)
        || is_kind(raw, &CHECKIN)
}

/// Whether the word `word` finds (a JSON string, quotes included) comes
/// somewhere in `raw` as the value of a key `"kind"`: after a colon after
/// `"kind"`, with only JSON blanks between.
fn is_kind(raw: &[u8], word: &memchr::memmem::Finder<'_>) -> bool {
    const KEY: &[u8] = b"\"kind\"";
    word.find_iter(raw).any(|at| {
        let before = raw[..at].trim_ascii_end();
        let Some(before) = before.strip_suffix(b":") else {
            return false;
        };
        // `trim_ascii_end` also takes form feeds, which JSON does not
        // allow as blanks: such a line fails to parse anyway, so taking
        // it as a candidate is harmless.
        before.trim_ascii_end().ends_with(KEY)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const V1: &str = r#"{"v":1,"started":"2026-03-01T08:00:00+01:00","session":"box","title":"Box","source_sha256":"x","planned_s":300,"practised_s":300,"ending":"completed"}"#;

    fn id(n: u8) -> Id {
        Id::v7_from_parts(1_764_000_000_000 + u64::from(n), [n; 10])
    }

    #[test]
    fn a_version_1_line_is_a_session_with_the_id_it_is_given() {
        let got = parse(V1.as_bytes(), |_| id(9)).expect("reads");
        let Record::Session(e) = got else {
            panic!("{got:?}")
        };
        assert_eq!((e.v, e.id, e.machine.as_deref()), (1, id(9), None));
    }

    #[test]
    fn amendments_and_tombstones_read_back_and_never_as_sessions() {
        for r in [
            Record::Amend(Amend::note(id(2), Some("desk".into()), id(1), "better")),
            Record::Remove(Remove::new(id(3), None, id(1))),
        ] {
            let line = r.to_line().expect("json");
            assert!(may_refer(line.as_bytes()), "{line}");
            let back = parse(line.trim_end().as_bytes(), |_| panic!("has an id")).expect("reads");
            assert_eq!(back, r);
        }
        let line = Record::Amend(Amend::note(id(2), None, id(1), "x"))
            .to_line()
            .expect("json");
        assert!(
            line.starts_with(r#"{"v":2,"kind":"amend","id":""#),
            "{line}"
        );
    }

    #[test]
    fn an_unknown_kind_and_unknown_fields_are_passed_over_quietly() {
        let later = r#"{"v":2,"kind":"plan","id":"0192f3a1-0000-7000-8000-000000000001","days":5}"#;
        assert_eq!(
            parse(later.as_bytes(), |_| panic!("not v1")),
            Ok(Record::Other {
                kind: "plan".into(),
                id: Id::parse("0192f3a1-0000-7000-8000-000000000001"),
            })
        );
        let mut v: serde_json::Value = serde_json::from_str(V1).expect("json");
        v["v"] = 2.into();
        v["kind"] = "session".into();
        v["id"] = id(4).to_string().into();
        v["suds"] = 40.into();
        let line = v.to_string();
        assert!(matches!(
            parse(line.as_bytes(), |_| panic!("has an id")),
            Ok(Record::Session(_))
        ));
    }

    #[test]
    fn damage_is_reported_as_for_a_session() {
        let torn = &V1[..40];
        let e = parse(torn.as_bytes(), |_| id(1)).expect_err("torn");
        assert!(e.contains("EOF while parsing"), "{e}");
        let no_id = V1.replace("\"v\":1", "\"v\":2");
        let e = parse(no_id.as_bytes(), |_| id(1)).expect_err("no id");
        assert!(e.contains("needs its `id`"), "{e}");
        let bad_amend = r#"{"v":2,"kind":"amend","id":"0192f3a1-0000-7000-8000-000000000001"}"#;
        let e = parse(bad_amend.as_bytes(), |_| id(1)).expect_err("no of");
        assert!(e.contains("missing field `of`"), "{e}");
    }

    #[test]
    fn a_version_1_entry_has_the_same_canonical_bytes_however_it_is_written() {
        let canon = |line: &str| {
            let mut got = Vec::new();
            parse(line.as_bytes(), |c| {
                got = c.to_vec();
                id(1)
            })
            .expect("reads");
            got
        };
        let spaced = V1
            .replace(',', ", ")
            .replace(':', ": ")
            .replace(": 00", ":00");
        let mut reordered: serde_json::Value = serde_json::from_str(V1).expect("json");
        reordered["cycles"] = 0.into();
        let pretty = serde_json::to_string_pretty(&reordered).expect("json");
        assert_eq!(canon(V1), canon(&spaced));
        assert_eq!(canon(V1), canon(&pretty.replace('\n', "")));
        assert_ne!(canon(V1), canon(&V1.replace("box", "sigh")));
    }

    #[test]
    fn the_quick_filter_never_misses_a_reference() {
        // The key spelled with escapes still passes the filter.
        assert!(may_refer(br#"{"kind":"remove","\u006ff":"x"}"#));
        assert!(!may_refer(V1.as_bytes()));
        // An assessment or a check-in, however spaced, passes.
        for kind in ["resonance", "checkin"] {
            for line in [
                format!(r#"{{"v":2,"kind":"{kind}","id":"x"}}"#),
                format!("{{\"v\":2, \"kind\" :\t \"{kind}\", \"id\":\"x\"}}"),
                format!(r#"{{"session":"{kind}","kind":"{kind}"}}"#),
            ] {
                assert!(may_refer(line.as_bytes()), "{line}");
            }
        }
        // A session named like a kind is not a candidate: the first pass
        // leaves every resonance session unparsed.
        let named = V1
            .replace("\"box\"", "\"resonance\"")
            .replace("Box", "checkin");
        assert!(named.contains(r#""session":"resonance""#), "{named}");
        assert!(!may_refer(named.as_bytes()), "{named}");
        let titled = V1.replace(r#""title":"Box""#, r#""title":"checkin""#);
        assert!(!may_refer(titled.as_bytes()), "{titled}");
        // A line that opens as a session is not searched: it is a session
        // or nothing (a second kind makes it unreadable).
        let twice = r#"{"v":2,"kind":"session","kind":"amend","id":"0192f3a1-0000-7000-8000-000000000001","of":"0192f3a1-0000-7000-8000-000000000002"}"#;
        assert!(!may_refer(twice.as_bytes()));
        assert!(parse(twice.as_bytes(), |_| id(1)).is_err());
    }
}
