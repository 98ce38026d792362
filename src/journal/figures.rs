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

/// A cursor over a line's bytes, for [`scan`].
struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl<'a> Cursor<'a> {
    /// The next byte, taken.
    fn next(&mut self) -> Option<u8> {
        let c = *self.b.get(self.i)?;
        self.i += 1;
        Some(c)
    }

    /// Take `c`, or give `None`.
    fn eat(&mut self, c: u8) -> Option<()> {
        (self.next()? == c).then_some(())
    }

    /// Whether the next byte is `c`; taken when it is.
    fn eat_if(&mut self, c: u8) -> bool {
        let is = self.b.get(self.i) == Some(&c);
        if is {
            self.i += 1;
        }
        is
    }

    /// A string without escapes: its bytes, checked to be UTF-8. A
    /// control character makes it bad JSON; an escape is left to serde.
    fn text(&mut self) -> Option<&'a [u8]> {
        self.eat(b'"')?;
        let rest = &self.b[self.i..];
        let (end, ascii) = string_end(rest)?;
        let span = &rest[..end];
        self.i += end + 1;
        // ASCII is UTF-8; anything else is checked.
        (ascii || std::str::from_utf8(span).is_ok()).then_some(span)
    }

    /// A string without escapes, as text.
    fn str(&mut self) -> Option<&'a str> {
        std::str::from_utf8(self.text()?).ok()
    }

    /// A whole number of at most `max`, as JSON writes it (no sign, no
    /// leading zero, no fraction: the byte after it must end the value).
    fn whole(&mut self, max: u64) -> Option<u64> {
        let start = self.i;
        let mut n: u64 = 0;
        while let Some(d) = self.b.get(self.i).filter(|d| d.is_ascii_digit()) {
            n = n.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
            self.i += 1;
        }
        let len = self.i - start;
        if len == 0 || (len > 1 && self.b[start] == b'0') || n > max {
            return None;
        }
        Some(n)
    }

    /// The text of a JSON number (checked against JSON's grammar), for
    /// serde to read into an `f64` exactly as it reads any other.
    fn number(&mut self) -> Option<&'a [u8]> {
        let start = self.i;
        self.eat_if(b'-');
        let digits = |c: &mut Self| {
            let from = c.i;
            while c.b.get(c.i).is_some_and(u8::is_ascii_digit) {
                c.i += 1;
            }
            c.i - from
        };
        let first = self.i;
        let n = digits(self);
        if n == 0 || (n > 1 && self.b[first] == b'0') {
            return None;
        }
        if self.eat_if(b'.') && digits(self) == 0 {
            return None;
        }
        if self.eat_if(b'e') || self.eat_if(b'E') {
            if !self.eat_if(b'+') {
                self.eat_if(b'-');
            }
            if digits(self) == 0 {
                return None;
            }
        }
        Some(&self.b[start..self.i])
    }

    /// A check-in (`{"score":4,"words":"calm"}`): its score. Measures and
    /// anything else unusual are left to serde (the outer `None`).
    #[allow(clippy::option_option)] // not read, or read without a score
    fn checkin(&mut self) -> Option<Option<u8>> {
        self.eat(b'{')?;
        let mut score = None;
        let mut seen = 0u8;
        if self.eat_if(b'}') {
            return Some(None);
        }
        loop {
            let bit = match self.text()? {
                b"score" => 1,
                b"words" => 2,
                b"skipped" => 4,
                _ => return None,
            };
            if seen & bit != 0 {
                return None;
            }
            seen |= bit;
            self.eat(b':')?;
            match bit {
                1 => score = Some(u8::try_from(self.whole(u64::from(u8::MAX))?).ok()?),
                2 => {
                    self.text()?;
                }
                _ => match self.text()? {
                    b"skipped" | b"not-a-terminal" | b"disabled" | b"interrupted" => {}
                    _ => return None,
                },
            }
            match self.next()? {
                b',' => {}
                b'}' => return Some(score),
                _ => return None,
            }
        }
    }
}

/// Where the string that `rest` starts inside ends (the index of its
/// closing quote), and whether it is all ASCII; `None` when it has an
/// escape or a control character before its end, or has no end. Eight
/// bytes at a time: the strings of a line are most of its bytes.
fn string_end(rest: &[u8]) -> Option<(usize, bool)> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let has_zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH;
    let mut ascii = true;
    let mut i = 0;
    while let Some(chunk) = rest.get(i..i + 8) {
        let Ok(bytes) = <[u8; 8]>::try_from(chunk) else {
            break;
        };
        let w = u64::from_le_bytes(bytes);
        // A quote, a backslash, a byte under 0x20, or one over 0x7f.
        let special = has_zero(w ^ (ONES * u64::from(b'"')))
            | has_zero(w ^ (ONES * u64::from(b'\\')))
            | (w.wrapping_sub(ONES * 0x20) & !w & HIGH)
            | (w & HIGH);
        if special != 0 {
            break;
        }
        i += 8;
    }
    for (k, &b) in rest.iter().enumerate().skip(i) {
        match b {
            b'"' => return Some((k, ascii)),
            b'\\' | 0..0x20 => return None,
            0x80.. => ascii = false,
            _ => {}
        }
    }
    None
}

/// A time as this build writes it, `2026-11-28T07:30:00+01:00` exactly:
/// the moment and the offset that reading it as JSON gives. Any other
/// spelling (fractions, `Z`, a leap second) is left to serde.
fn time(b: &[u8]) -> Option<DateTime<FixedOffset>> {
    use chrono::{NaiveDate, TimeZone as _};
    if b.len() != 25 {
        return None;
    }
    let num = |from: usize, len: usize| -> Option<u32> {
        b[from..from + len].iter().try_fold(0u32, |n, d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    let punct = [
        (4, b'-'),
        (7, b'-'),
        (10, b'T'),
        (13, b':'),
        (16, b':'),
        (22, b':'),
    ];
    if punct.iter().any(|(at, c)| b[*at] != *c) {
        return None;
    }
    let sign = match b[19] {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let (year, month, day) = (num(0, 4)?, num(5, 2)?, num(8, 2)?);
    let (hour, minute, second) = (num(11, 2)?, num(14, 2)?, num(17, 2)?);
    let (oh, om) = (num(20, 2)?, num(23, 2)?);
    // `-00:00` (an unknown offset, to RFC 3339) is left to serde.
    if year < 1000 || second > 59 || oh > 23 || om > 59 || (sign < 0 && oh + om == 0) {
        return None;
    }
    let local = NaiveDate::from_ymd_opt(i32::try_from(year).ok()?, month, day)?
        .and_hms_opt(hour, minute, second)?;
    let offset = FixedOffset::east_opt(sign * i32::try_from(oh * 3600 + om * 60).ok()?)?;
    offset.from_local_datetime(&local).single()
}

/// The keys [`scan`] reads at the top of a session line, each at most once.
const KEYS: [&[u8]; 18] = [
    b"v",
    b"kind",
    b"id",
    b"machine",
    b"started",
    b"session",
    b"title",
    b"source_sha256",
    b"planned_s",
    b"practised_s",
    b"ending",
    b"cycles",
    b"rounds",
    b"holds_s",
    b"before",
    b"after",
    b"note",
    b"written",
];

/// [`KEYS`] as a line spells them, with their quotes and colon.
const QUOTED: [&[u8]; 18] = [
    b"\"v\":",
    b"\"kind\":",
    b"\"id\":",
    b"\"machine\":",
    b"\"started\":",
    b"\"session\":",
    b"\"title\":",
    b"\"source_sha256\":",
    b"\"planned_s\":",
    b"\"practised_s\":",
    b"\"ending\":",
    b"\"cycles\":",
    b"\"rounds\":",
    b"\"holds_s\":",
    b"\"before\":",
    b"\"after\":",
    b"\"note\":",
    b"\"written\":",
];

/// The keys an entry cannot be without.
const REQUIRED: u32 = 1 << 0 | 1 << 4 | 1 << 5 | 1 << 6 | 1 << 7 | 1 << 8 | 1 << 9 | 1 << 10;

/// The quickest read of a session line: the figures of a line written as
/// this build writes it (compact JSON, its usual fields, no escapes), read
/// straight from its bytes, with the holds put in `holds`. A line in any
/// other shape gives `None` and is left to [`read`]. What it reads is what
/// [`read`] and the full parse read: the same fields of the same types,
/// each at most once, the same numbers (a hold is read by serde itself),
/// the same bounds ([`Entry::check`]).
pub fn scan<'a>(raw: &'a [u8], holds: &'a mut Vec<f64>) -> Option<Figures<'a>> {
    holds.clear();
    let mut c = Cursor { b: raw, i: 0 };
    c.eat(b'{')?;
    let mut seen = 0u32;
    let mut id = Id::NIL;
    let mut started = None;
    let (mut session, mut title) = ("", "");
    let (mut planned_s, mut practised_s, mut cycles, mut rounds) = (0, 0, 0, 0);
    let (mut before, mut after) = (None, None);
    // Lines are written with their keys in this order, some left out:
    // try the next two as they are written (`"key":`) before reading the
    // key as a string.
    let mut from = 0;
    loop {
        let rest = &raw[c.i..];
        let bit = if let Some(k) = QUOTED.get(from).filter(|k| rest.starts_with(k)) {
            c.i += k.len();
            from
        } else if let Some(k) = QUOTED.get(from + 1).filter(|k| rest.starts_with(k)) {
            c.i += k.len();
            from + 1
        } else {
            let key = c.text()?;
            c.eat(b':')?;
            KEYS.iter().position(|k| *k == key)?
        };
        from = bit + 1;
        if seen & (1 << bit) != 0 {
            return None;
        }
        seen |= 1 << bit;
        match bit {
            0 => {
                c.whole(u64::from(u32::MAX))?;
            }
            1 => {
                if c.text()? != b"session" {
                    return None;
                }
            }
            2 => id = Id::parse_exact(c.str()?)?,
            4 => started = Some(time(c.text()?)?),
            5 => session = c.str()?,
            6 => title = c.str()?,
            3 | 7 | 16 => {
                c.text()?;
            }
            8 => planned_s = c.whole(u64::MAX)?,
            9 => practised_s = c.whole(u64::MAX)?,
            10 => match c.text()? {
                b"completed" | b"stopped" | b"interrupted" => {}
                _ => return None,
            },
            11 => cycles = u32::try_from(c.whole(u64::from(u32::MAX))?).ok()?,
            12 => rounds = u32::try_from(c.whole(u64::from(u32::MAX))?).ok()?,
            13 => {
                c.eat(b'[')?;
                if !c.eat_if(b']') {
                    loop {
                        holds.push(serde_json::from_slice::<f64>(c.number()?).ok()?);
                        match c.next()? {
                            b',' => {}
                            b']' => break,
                            _ => return None,
                        }
                    }
                }
            }
            14 => before = c.checkin()?,
            15 => after = c.checkin()?,
            _ => {
                time(c.text()?)?;
            }
        }
        match c.next()? {
            b',' => {}
            b'}' => break,
            _ => return None,
        }
    }
    if c.i != raw.len() || seen & REQUIRED != REQUIRED || id.is_nil() {
        return None;
    }
    let holds: &'a [f64] = holds;
    let no_answers = Answers::new();
    Checked {
        planned_s,
        practised_s,
        cycles,
        rounds,
        skipped: 0,
        holds_s: holds,
        holds_capped: 0,
        pace: 0,
        before: (before, &no_answers),
        after: (after, &no_answers),
        in_the_way: None,
    }
    .check()
    .ok()?;
    Some(Figures {
        id,
        started: started?,
        session,
        title,
        practised_s,
        before,
        after,
        holds_s: holds,
    })
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
    /// Forget every entry given so far: a tombstone came after its entry,
    /// and every entry the journal shows is given again (the skipped lines
    /// are not given twice).
    Restart,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_keys_as_spelled_are_the_keys() {
        for (k, q) in KEYS.iter().zip(QUOTED) {
            assert_eq!(q, [b"\"", *k, b"\":"].concat());
        }
    }

    #[test]
    fn a_time_is_read_as_serde_reads_it_or_left_to_serde() {
        for t in [
            "2026-11-28T07:30:00+01:00",
            "1981-04-16T23:59:59-05:30",
            "2024-02-29T00:00:00+00:00",
            "9999-12-31T23:59:59+23:59",
        ] {
            let want: DateTime<FixedOffset> = t.parse().expect("a time");
            let got = time(t.as_bytes()).expect("read");
            assert_eq!((got, got.offset()), (want, want.offset()), "{t}");
        }
        for t in [
            "2026-11-28T07:30:00Z",
            "2026-11-28T07:30:00.5+01:00",
            "2026-11-28 07:30:00+01:00",
            "2026-11-28T07:30:60+01:00",
            "2026-02-29T07:30:00+01:00",
            "2026-11-28T24:00:00+01:00",
            "2026-11-28T07:30:00-00:00",
            "0999-11-28T07:30:00+01:00",
            "2026-11-28T07:30:00+1:00",
        ] {
            assert!(time(t.as_bytes()).is_none(), "{t}");
        }
    }

    #[test]
    fn the_end_of_a_string_is_found_eight_bytes_at_a_time_and_byte_by_byte() {
        let end = |s: &[u8]| string_end(s);
        assert_eq!(end(b"abc\""), Some((3, true)));
        assert_eq!(end(b"abcdefghijklmnopq\",\"x\""), Some((17, true)));
        assert_eq!(end("abcdefgh\u{e9}\"".as_bytes()), Some((10, false)));
        assert_eq!(end(b"abcdefghij\\\"\""), None);
        assert_eq!(end(b"abcdefghij\tk\""), None);
        assert_eq!(end(b"abcdefghijklmnop"), None);
        assert_eq!(end(b"\""), Some((0, true)));
    }
}
