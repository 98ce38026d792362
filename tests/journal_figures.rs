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

/// Lines as this build writes them, with every field the quickest read
/// knows.
const WRITTEN: [&str; 3] = [
    r#"{"v":2,"kind":"session","id":"0052f099-ab68-7c9f-a136-d4413fa61736","machine":"desk","started":"1981-04-16T00:00:00+01:00","session":"control-pause","title":"Control pause","source_sha256":"2972f9afb85ba78fdc5aa4970eef30ddecc4ed690bdef28dcfdb494543b6f401","planned_s":600,"practised_s":301,"ending":"completed","cycles":40,"rounds":3,"holds_s":[20.1,21.0,1e1,0],"before":{"score":1,"skipped":"skipped"},"after":{"score":3,"words":"calmer"},"note":"noticed the breath slow down","written":"1981-04-16T00:05:21+01:00"}"#,
    r#"{"v":2,"kind":"session","id":"0052f32c-e520-70a0-a78e-4372459cca61","machine":"phone","started":"2026-12-02T23:59:59-05:30","session":"sigh","title":"Cyclic sighing — é","source_sha256":"00","planned_s":0,"practised_s":0,"ending":"interrupted","holds_s":[],"before":{},"after":{"skipped":"not-a-terminal"},"written":"2026-12-03T00:05:21-05:30"}"#,
    r#"{"v":2,"id":"0052f32c-e520-70a0-a78e-4372459cca62","started":"2026-02-28T04:00:00+00:00","session":"box","title":"Box","source_sha256":"x","planned_s":172800,"practised_s":172800,"ending":"stopped"}"#,
];

fn lines() -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = WRITTEN.iter().map(|l| l.as_bytes().to_vec()).collect();
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
    let mut holds = Vec::new();
    if let Some(quick) = figures::scan(raw, &mut holds) {
        let light = figures::read(raw).unwrap_or_else(|| {
            panic!(
                "scanned but not read for figures: {}",
                String::from_utf8_lossy(raw)
            )
        });
        assert_eq!(quick, light.figures(), "{}", String::from_utf8_lossy(raw));
        // The same offset too (times compare as instants).
        assert_eq!(
            quick.started.offset(),
            light.figures().started.offset(),
            "{}",
            String::from_utf8_lossy(raw)
        );
    }
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
    // Nearly all of them by the quickest read.
    let scanned = all
        .iter()
        .filter(|l| figures::scan(l, &mut Vec::new()).is_some())
        .count();
    assert!(scanned > 60 && scanned <= read, "{scanned} of {read}");
    for l in WRITTEN {
        assert!(
            figures::scan(l.as_bytes(), &mut Vec::new()).is_some(),
            "{l}"
        );
    }
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
        assert!(
            figures::scan(bad.as_bytes(), &mut Vec::new()).is_none(),
            "{bad}"
        );
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
        which in 0usize..90,
        at in 0usize..500,
        len in 0usize..4,
        with in proptest::sample::select(vec![
            "", "\"", "\\", ",", ":", "{", "}", "[", "]", "0", "-1", "1e3", "null",
            "true", " ", "\"x\"", "\u{e9}", "\\u00e9", "99999999999999999999", "\t", "\u{1}",
            "-00:00", "60", "24", "Z", ".5", "\"v\":2,", "\"kind\":\"session\",", "\"note\":\"n\",",
            "\"measures\":{\"x\":1},", "\"score\":10,", "\"holds_s\":[1],",
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

/// The stats and the latest 10 of the view read in full (as `exhale
/// export` reads it) and read for figures (as `exhale stats` and `exhale
/// history` read it) are the same; gives what the read for figures found.
fn both_reads_agree(store: &Store) -> exhale::journal::view::Found {
    let now = DateTime::parse_from_rfc3339("2026-11-28T12:00:00+01:00").expect("date");
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
    let mut light = Fold::new(now, &settings());
    let mut light_latest = Latest::new(10);
    let mut light_skipped = Vec::new();
    let found = store
        .read_figures_where(None, &mut |l| match l {
            Seen::Entry(f, source) => {
                light.add_figures(f);
                light_latest.offer(f, source);
            }
            Seen::Restart => {
                light = Fold::new(now, &settings());
                light_latest = Latest::new(10);
            }
            Seen::Skipped(s) => light_skipped.push(s),
        })
        .expect("read");
    pretty_assertions::assert_eq!(light.finish(), full.finish());
    assert_eq!(light_skipped, full_skipped);
    let latest = light_latest.newest_first(&found.marks);
    pretty_assertions::assert_eq!(latest, full_latest.newest_first(&found.marks));
    assert_eq!(latest.len(), 10);
    assert_eq!(found.report, store.read_report(&mut |_| {}).expect("read"));
    // The assessments and check-ins of the same read are those of their
    // own passes.
    assert_eq!(found.assessments, store.assessments().expect("read"));
    assert_eq!(found.diaries, store.diaries().expect("read"));
    found
}

#[test]
fn the_view_read_for_figures_is_the_view_read_in_full() {
    let (_data, store) = store();
    let found = both_reads_agree(&store);
    assert_eq!((found.report.duplicates, found.report.removed), (1, 1));
    // The corpus's tombstone is read before its entry: one pass.
    assert!(!found.read_twice);
}

#[test]
fn a_tombstone_after_its_entry_needs_no_second_pass_once_the_hint_knows_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sync = dir.path().join("sync");
    std::fs::create_dir_all(sync.join("journal")).expect("mkdir");
    for name in ["laptop.jsonl", "desk.jsonl"] {
        std::fs::copy(
            corpus().join("journal").join(name),
            sync.join("journal").join(name),
        )
        .expect("copy");
    }
    let store = Store::new(Layout::new(&dir.path().join("data"), Some(&sync), "laptop"));
    let before = both_reads_agree(&store);
    // Remove the latest entry shown, and one of the first file read
    // (desk.jsonl) from the second (laptop.jsonl): both tombstones come
    // after their entries.
    let mut latest = Latest::new(1);
    let mut first_of_desk = None;
    store
        .read(&mut |l| {
            if let Line::Entry(e) = l {
                if e.machine.as_deref() == Some("desk") && first_of_desk.is_none() {
                    first_of_desk = Some(e.id);
                }
                latest.add(*e);
            }
        })
        .expect("read");
    let newest = latest.newest_first(&before.marks)[0].id;
    for of in [newest, first_of_desk.expect("a desk entry")] {
        let tombstone = exhale::journal::record::Remove::new(store.new_id(), None, of);
        store
            .append_record(&Record::Remove(tombstone))
            .expect("append");
    }
    // Writing the removals told the hint: the next read knows them before
    // it meets their tombstones and reads once.
    let after = both_reads_agree(&store);
    assert!(!after.read_twice);
    assert_eq!(after.report.removed, before.report.removed + 2);
    assert_eq!(after.report.entries, before.report.entries - 2);
    // Without the hint (deleted, or written by another computer's
    // removal) the files are read again, with the same result.
    std::fs::remove_file(store.removal_hint_file()).expect("delete hint");
    let twice = both_reads_agree(&store);
    assert!(twice.read_twice);
    assert_eq!(twice.report, after.report);
    // That read kept the removals it found: the next one reads once.
    let hint = std::fs::read_to_string(store.removal_hint_file()).expect("hint kept");
    assert!(hint.contains(&newest.hex()), "{hint}");
    #[cfg(unix)]
    {
        // Like the journal's own files, readable only by its owner.
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(store.removal_hint_file())
            .expect("hint")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "{mode:o}");
    }
    let again = both_reads_agree(&store);
    assert!(!again.read_twice);
    assert_eq!(again.report, after.report);
}

#[test]
fn a_stale_removal_hint_never_hides_an_entry() {
    let (_data, store) = store();
    let before = both_reads_agree(&store);
    // A hint naming an entry no tombstone removes (a journal folder
    // changed, the hint copied from elsewhere) and one that is no id.
    let mut shown = None;
    store
        .read(&mut |l| {
            if let Line::Entry(e) = l {
                shown.get_or_insert(e.id);
            }
        })
        .expect("read");
    let shown = shown.expect("an entry");
    std::fs::write(
        store.removal_hint_file(),
        format!("{}\nnot an id\n", shown.hex()),
    )
    .expect("write hint");
    let after = both_reads_agree(&store);
    assert!(
        after.read_twice,
        "the stale hint is found out and the read done again"
    );
    assert_eq!(after.report, before.report);
    // And the hint is put right.
    let hint = std::fs::read_to_string(store.removal_hint_file()).expect("hint");
    assert!(!hint.contains(&shown.hex()), "{hint}");
}

#[test]
fn lines_a_filter_passes_over_still_give_their_tombstones() {
    let (_data, store) = store();
    let mut entries = 0;
    let found = store
        .read_figures_where(Some(&|_: &[u8]| false), &mut |l| {
            if let Seen::Entry(..) = l {
                entries += 1;
            }
        })
        .expect("read");
    assert_eq!(entries, 0);
    assert_eq!(found.marks.removals(), 1);
}
