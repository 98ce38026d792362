//! A check-in with no session (`exhale checkin`): a diary entry, a record
//! of its own kind (`"kind": "checkin"`) with the 0-10 feeling, the
//! measures and a note, the moment it is about (`at`) and when it was
//! written. One written more than [`LATER`] after the moment it is about is
//! marked as written later wherever it is shown.

use chrono::{DateTime, FixedOffset, TimeDelta, Timelike as _};
use serde::{Deserialize, Serialize};

use super::entry::{Checkin, FORMAT_VERSION, MAX_SCORE, check_measures, rfc3339_seconds};
use super::id::Id;
use super::record::CheckinTag;

/// How long after the moment it is about an entry may be written and
/// still not be marked as written later.
pub const LATER: TimeDelta = TimeDelta::minutes(30);

/// One check-in without a session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diary {
    /// Format version.
    pub v: u32,
    /// Always `"checkin"`.
    pub kind: CheckinTag,
    /// Its id (a UUID v7).
    pub id: Id,
    /// The machine that wrote it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub machine: Option<String>,
    /// The moment it is about (local time with its offset, to the second).
    #[serde(serialize_with = "rfc3339_seconds")]
    pub at: DateTime<FixedOffset>,
    /// When it was written.
    #[serde(serialize_with = "rfc3339_seconds")]
    pub written: DateTime<FixedOffset>,
    /// The feeling (0-10) and the measures' answers.
    #[serde(default)]
    pub checkin: Checkin,
    /// A note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Diary {
    /// A check-in written at `written` about `at`.
    pub fn new(
        id: Id,
        at: DateTime<FixedOffset>,
        written: DateTime<FixedOffset>,
        checkin: Checkin,
        note: Option<String>,
    ) -> Self {
        let whole = |t: DateTime<FixedOffset>| t.with_nanosecond(0).unwrap_or(t);
        Self {
            v: FORMAT_VERSION,
            kind: CheckinTag,
            id,
            machine: None,
            at: whole(at),
            written: whole(written),
            checkin,
            note: note.filter(|n| !n.trim().is_empty()),
        }
    }

    /// Whether it was written more than [`LATER`] after the moment it is
    /// about.
    pub fn written_later(&self) -> bool {
        self.written - self.at > LATER
    }

    /// Whether the line holds values exhale could have written; `Err`
    /// says which does not, for the warning that skips it.
    pub fn check(&self) -> Result<(), String> {
        if let Some(s) = self.checkin.score.filter(|s| *s > MAX_SCORE) {
            return Err(format!(
                "`checkin` has a score of {s}; scores go from 0 to {MAX_SCORE}"
            ));
        }
        if self.at > self.written + TimeDelta::days(1) {
            return Err("`at` is more than a day after `written`".into());
        }
        check_measures("checkin", &self.checkin.measures)
    }

    /// Whether anything was answered (an empty check-in is not written).
    pub fn is_empty(&self) -> bool {
        self.checkin.score.is_none()
            && self.checkin.words.is_none()
            && self.checkin.measures.is_empty()
            && self.note.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).expect("time")
    }

    #[test]
    fn one_written_the_next_morning_is_marked_as_written_later() {
        let id = Id::v7_from_parts(1_764_000_000_000, [1; 10]);
        let now = Diary::new(
            id,
            t("2026-12-02T21:00:00+01:00"),
            t("2026-12-02T21:10:00+01:00"),
            Checkin::answered(4, None),
            None,
        );
        assert!(!now.written_later());
        let later = Diary::new(
            id,
            t("2026-12-02T21:00:00+01:00"),
            t("2026-12-03T08:00:00+01:00"),
            Checkin::answered(4, None),
            Some("  ".into()),
        );
        assert!(later.written_later());
        assert_eq!(later.note, None);
        let line = serde_json::to_string(&later).expect("json");
        assert!(
            line.starts_with(r#"{"v":2,"kind":"checkin","id":""#)
                && line.contains(
                    r#""at":"2026-12-02T21:00:00+01:00","written":"2026-12-03T08:00:00+01:00""#
                ),
            "{line}"
        );
        let back: Diary = serde_json::from_str(&line).expect("reads");
        assert_eq!(back, later);
    }
}
