//! The figures of a session line read on their own
//! (`exhale::journal::figures::read`, what `stats`, `history`, `today`,
//! `due` and the picker's stats screen use) are those of the entry the
//! full parse gives, and a line is read so only when the full parse
//! would take it as a session: on every line of the fixed journal
//! (`tests/corpus/journal-fold`), on damaged copies of its lines, and on
//! the view of its two machine files as `exhale stats` and `exhale
//! history` read it.

use std::path::{Path, PathBuf};

use chrono::DateTime;
use exhale::journal::figures::{self, Figures, Seen};
use exhale::journal::record::{self, Record};
use exhale::journal::stats::Fold;
use exhale::journal::store::Line;
use exhale::journal::view::Latest;
use exhale::journal::{Id, Journal as _, JournalSettings, Layout, Store};
use proptest::prelude::*;

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/journal-fold")
}

fn lines() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for name in ["laptop.jsonl", "desk.jsonl"] {
        let bytes = std::fs::read(corpus().join("journal").join(name)).expect("read");
        out.extend(
            bytes
                .split(|b| *b == b'\n')
                .map(|l| l.trim_ascii().to_vec()),
        );
    }
    out
}

/// Whether the light read of `raw` agrees with the full parse: when it
/// reads the line at all, the full parse gives a session with the same
/// figures. Returns whether it read the line.
fn agrees(raw: &[u8]) -> bool {
    let Some(light) = figures::read(raw) else {
        return false;
    };
    match record::parse(raw, |_| Id::NIL) {
        Ok(Record::Session(e)) => {
            assert_eq!(
                light.figures(),
                Figures::of(&e),
                "{}",
                String::from_utf8_lossy(raw)
            );
        }
        other => panic!(
            "read for figures but not as a session ({other:?}): {}",
            String::from_utf8_lossy(raw)
        ),
    }
    true
}

#[test]
fn every_line_of_the_corpus_gives_the_figures_of_its_entry() {
    let all = lines();
    let read = all.iter().filter(|l| agrees(l)).count();
    // Every version 2 session is read on its own; version 1 lines (whose
    // ids are derived from the whole entry), the other kinds and the
    // damaged line are left to the full parse.
    let v2_sessions = all
        .iter()
        .filter(|l| matches!(record::parse(l, |_| Id::NIL), Ok(Record::Session(e)) if e.v == 2))
        .count();
    assert_eq!(read, v2_sessions);
    assert!(read > 60, "{read}");
}

#[test]
fn damaged_or_odd_lines_are_left_to_the_full_parse() {
    let good = lines()
        .into_iter()
        .find(|l| figures::read(l).is_some() && l.windows(8).any(|w| w == b"holds_s\""))
        .expect("a session line");
    let text = String::from_utf8(good).expect("utf-8");
    for (from, to) in [
        ("\"practised_s\":", "\"practised_s\":-"),
        ("\"practised_s\":", "\"practised_s\":999999999"),
        ("\"ending\":\"", "\"ending\":\"x"),
        ("\"title\":", "\"title\":1,\"t\":"),
        ("\"source_sha256\":", "\"source_sha256\":null,\"x\":"),
        ("\"before\":{", "\"before\":{\"score\":11,\"s\":"),
        ("\"kind\":\"session\"", "\"kind\":\"amend\""),
        ("\"started\":\"", "\"started\":\"x"),
        ("\"id\":\"", "\"id\":\"x"),
        ("\"v\":2,", "\"v\":2,\"v\":2,"),
        ("\"holds_s\":[", "\"holds_s\":[-1,"),
    ] {
        assert!(text.contains(from), "{from}");
        let bad = text.replacen(from, to, 1);
        assert!(!agrees(bad.as_bytes()), "{bad}");
        assert!(record::parse(bad.as_bytes(), |_| Id::NIL).is_err(), "{bad}");
    }
    // Unknown fields and escapes are read as the full parse reads them.
    let later = text.replacen("\"v\":2,", "\"v\":2,\"later\":{\"a\":[1,2]},", 1);
    assert!(agrees(later.as_bytes()), "{later}");
    let escaped = text.replacen("\"title\":\"", "\"title\":\"\\u0041 \\\"quoted\\\" ", 1);
    assert!(agrees(escaped.as_bytes()), "{escaped}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Any small damage to a line: either the light read leaves it to the
    /// full parse, or both read the same session.
    #[test]
    fn a_damaged_line_is_never_read_differently(
        which in 0usize..80,
        at in 0usize..400,
        len in 0usize..4,
        with in proptest::sample::select(vec![
            "", "\"", "\\", ",", ":", "{", "}", "[", "]", "0", "-1", "1e3", "null",
            "true", " ", "\"x\"", "\u{e9}", "\\u00e9", "99999999999999999999",
        ]),
    ) {
        let all = lines();
        let line = &all[which % all.len()];
        let at = at.min(line.len());
        let end = (at + len).min(line.len());
        let mut bad = line[..at].to_vec();
        bad.extend_from_slice(with.as_bytes());
        bad.extend_from_slice(&line[end..]);
        agrees(&bad);
    }
}

fn settings() -> JournalSettings {
    JournalSettings {
        checkins: true,
        day_starts_at: 4,
        streaks: true,
    }
}

fn store() -> (tempfile::TempDir, Store) {
    let data = tempfile::tempdir().expect("tempdir");
    let store = Store::new(Layout::new(data.path(), Some(&corpus()), "laptop"));
    (data, store)
}

#[test]
fn the_view_read_for_figures_is_the_view_read_in_full() {
    let (_data, store) = store();
    let now = DateTime::parse_from_rfc3339("2026-11-28T12:00:00+01:00").expect("date");
    // In full, as `exhale export` reads it.
    let mut full = Fold::new(now, &settings());
    let mut full_latest = Latest::new(10);
    let mut full_skipped = Vec::new();
    store
        .read(&mut |l| match l {
            Line::Entry(e) => {
                full.add(&e);
                full_latest.add(*e);
            }
            Line::Skipped(s) => full_skipped.push(s),
        })
        .expect("read");
    // For figures, as `exhale stats` and `exhale history` read it.
    let mut light = Fold::new(now, &settings());
    let mut light_latest = Latest::new(10);
    let mut light_skipped = Vec::new();
    let found = store
        .read_figures_where(None, &mut |l| match l {
            Seen::Entry(f, source) => {
                light.add_figures(f);
                light_latest.offer(f, source);
            }
            Seen::Skipped(s) => light_skipped.push(s),
        })
        .expect("read");
    pretty_assertions::assert_eq!(light.finish(), full.finish());
    assert_eq!(light_skipped, full_skipped);
    assert_eq!(light_skipped.len(), 1, "the unreadable line");
    let latest = light_latest.newest_first(&found.marks);
    pretty_assertions::assert_eq!(latest, full_latest.newest_first(&found.marks));
    assert_eq!(latest.len(), 10);
    assert_eq!((found.report.duplicates, found.report.removed), (1, 1));
    // The assessments and check-ins of the same read are those of their
    // own passes.
    assert_eq!(found.assessments, store.assessments().expect("read"));
    assert_eq!(found.diaries, store.diaries().expect("read"));
}
