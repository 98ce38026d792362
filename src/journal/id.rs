//! The ids of journal records: a UUID, written as its usual 36-character
//! text. A record written by this version gets a UUID v7 (the time of
//! writing to the millisecond, then random bits), so ids sort roughly by
//! when they were written and two machines never make the same one. A
//! version 1 line has no id: it gets a UUID v8 derived from its bytes, so
//! any machine that reads the same old file gives its entries the same ids.

use std::fmt;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};
use uuid::Uuid;

/// A record's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Id(Uuid);

/// How many hex digits of an id `exhale history` shows: the last eight,
/// the random part of a UUID v7 (its first digits are the time, alike for
/// entries written minutes apart).
pub const SHORT_LEN: usize = 8;

/// Salt of the ids derived from version 1 lines, so they cannot collide
/// with ids derived the same way by another program.
const V1_SALT: &[u8] = b"exhale journal v1 line\n";

impl Id {
    /// The nil id: "not given yet". An entry built by a front end has it
    /// until the journal gives it its id on append.
    pub const NIL: Self = Self(Uuid::nil());

    /// A new UUID v7 for a record written at `now`, with random bits from
    /// the system.
    pub fn new_v7(now: DateTime<FixedOffset>) -> Self {
        let secs = u64::try_from(now.timestamp()).unwrap_or(0);
        let ts = uuid::Timestamp::from_unix(uuid::NoContext, secs, now.timestamp_subsec_nanos());
        Self(Uuid::new_v7(ts))
    }

    /// A UUID v7 from a time in milliseconds and given "random" bits
    /// (tests, and anything that must be reproducible).
    pub fn v7_from_parts(unix_ms: u64, random: [u8; 10]) -> Self {
        Self(uuid::Builder::from_unix_timestamp_millis(unix_ms, &random).into_uuid())
    }

    /// The id of a version 1 line: a UUID v8 made of the first 16 bytes of
    /// SHA-256 over a salt and the line's canonical bytes (the line without
    /// its line ending and surrounding blanks). `occurrence` counts earlier
    /// lines of the same file with the very same bytes (0 for the first),
    /// so two identical sessions recorded in the same second stay two.
    pub fn derived(canonical: &[u8], occurrence: u32) -> Self {
        let mut h = Sha256::new();
        h.update(V1_SALT);
        h.update(canonical);
        if occurrence > 0 {
            h.update(format!("\n#{occurrence}").as_bytes());
        }
        let digest = h.finalize();
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(&digest[..16]);
        Self(uuid::Builder::from_custom_bytes(bytes).into_uuid())
    }

    /// Whether this is [`Id::NIL`].
    pub fn is_nil(&self) -> bool {
        self.0.is_nil()
    }

    /// The id as a 128-bit number (for compact sets).
    pub fn as_u128(&self) -> u128 {
        self.0.as_u128()
    }

    /// The short form shown by `exhale history`: the last [`SHORT_LEN`]
    /// hex digits.
    pub fn short(&self) -> String {
        let s = self.0.simple().to_string();
        s[s.len() - SHORT_LEN..].to_owned()
    }

    /// The id's 32 hex digits, without hyphens, for matching what a user
    /// typed.
    pub fn hex(&self) -> String {
        self.0.simple().to_string()
    }

    /// Parse a full id (with or without hyphens).
    pub fn parse(s: &str) -> Option<Self> {
        Self::parse_exact(s.trim())
    }

    /// Parse an id exactly as reading it from JSON does: the text as it
    /// is, blanks and all (so a blank around it is not an id).
    pub fn parse_exact(s: &str) -> Option<Self> {
        Uuid::parse_str(s).ok().map(Self)
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.hyphenated().fmt(f)
    }
}

/// Eight random bytes from the system (for a machine id made up when the
/// system has none).
pub fn random_bytes() -> [u8; 8] {
    let mut b = [0u8; 8];
    b.copy_from_slice(&Uuid::new_v4().as_bytes()[..8]);
    b
}

/// Whether `typed` (what a user gave on the command line) names `id`: the
/// whole id, with or without hyphens, or its ending of at least 6 hex
/// digits (the short id `exhale history` shows is the last 8).
pub fn matches(id: &Id, typed: &str) -> bool {
    let t: String = typed
        .trim()
        .chars()
        .filter(|c| *c != '-')
        .collect::<String>()
        .to_ascii_lowercase();
    t.len() >= 6 && id.hex().ends_with(&t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_v7_id_carries_the_time_it_was_written_and_sorts_by_it() {
        let at = DateTime::parse_from_rfc3339("2026-11-28T07:30:00+01:00").expect("date");
        let a = Id::new_v7(at);
        let b = Id::new_v7(at + chrono::TimeDelta::milliseconds(1));
        assert!(a < b);
        assert_ne!(Id::new_v7(at), Id::new_v7(at));
        let (secs, _) = a.0.get_timestamp().expect("v7").to_unix();
        assert_eq!(i64::try_from(secs).ok(), Some(at.timestamp()));
        assert_eq!(a.0.get_version_num(), 7);
    }

    #[test]
    fn a_derived_id_depends_only_on_the_bytes_and_the_occurrence() {
        let line = br#"{"v":1,"session":"box"}"#;
        assert_eq!(Id::derived(line, 0), Id::derived(line, 0));
        assert_ne!(Id::derived(line, 0), Id::derived(line, 1));
        assert_ne!(
            Id::derived(line, 0),
            Id::derived(br#"{"v":1,"session":"sigh"}"#, 0)
        );
        assert_eq!(Id::derived(line, 0).0.get_version_num(), 8);
        // Fixed for ever: two machines, or two versions of exhale, agree.
        assert_eq!(
            Id::derived(line, 0).to_string(),
            Id::derived(line, 0).to_string()
        );
    }

    #[test]
    fn a_short_id_is_the_random_ending_and_matches_its_id() {
        let id = Id::v7_from_parts(1_700_000_000_000, [1, 2, 3, 4, 5, 6, 7, 8, 0xab, 0xcd]);
        assert_eq!(id.short().len(), SHORT_LEN);
        assert!(id.to_string().ends_with(&id.short()));
        assert!(matches(&id, &id.short()));
        assert!(matches(&id, &id.short().to_uppercase()));
        assert!(matches(&id, &id.to_string()));
        assert!(!matches(&id, "abcd"), "too short to be safe");
        assert!(!matches(&id, "ffffffff"));
        assert_eq!(Id::parse(&id.to_string()), Some(id));
        assert_eq!(Id::parse(&id.hex()), Some(id));
        assert_eq!(Id::parse("laptop"), None);
    }
}
