//! The stats are folded as the journal is read (`exhale stats` and the
//! picker's stats screen hold no list of entries); on a fixed journal
//! (`tests/corpus/journal-fold`: two machine files of a sync folder with
//! version 1 lines, a sync tool's copy of an entry, a tombstone, an
//! amendment, an unreadable line and a record of a later kind) the fold
//! gives exactly the figures of the whole-file way: every file read into
//! memory, parsed into one sorted list, and the stats computed from it.

use std::path::{Path, PathBuf};

use chrono::DateTime;
use exhale::journal::figures::Seen;
use exhale::journal::stats::{Fold, Stats, compute};
use exhale::journal::store::parse;
use exhale::journal::{JournalSettings, Layout, Store, view};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus/journal-fold")
}

fn settings() -> JournalSettings {
    JournalSettings {
        checkins: true,
        day_starts_at: 4,
        streaks: true,
    }
}

fn now() -> chrono::DateTime<chrono::FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-28T12:00:00+01:00").expect("date")
}

/// The streaming way, as `exhale stats` reads a sync folder: each line
/// read for its figures where it can be.
fn folded() -> (Stats, usize) {
    let data = tempfile::tempdir().expect("tempdir");
    let store = Store::new(Layout::new(data.path(), Some(&corpus()), "laptop"));
    let mut fold = Fold::new(now(), &settings());
    let mut skipped = 0;
    store
        .read_figures_where(None, &mut |l| match l {
            Seen::Entry(f, _) => fold.add_figures(f),
            Seen::Restart => fold = Fold::new(now(), &settings()),
            Seen::Skipped(_) => skipped += 1,
        })
        .expect("read");
    (fold.finish(), skipped)
}

/// The whole-file way: both files in memory, parsed into one sorted list.
fn whole() -> (Stats, usize) {
    let mut bytes = Vec::new();
    for name in ["laptop.jsonl", "desk.jsonl"] {
        bytes.extend(std::fs::read(corpus().join("journal").join(name)).expect("read"));
    }
    let mut loaded = parse(&bytes);
    view::sort(&mut loaded.entries);
    (
        compute(&loaded.entries, now(), &settings()),
        loaded.skipped.len(),
    )
}

#[test]
fn the_streaming_fold_gives_the_figures_of_the_whole_file_read() {
    let (w, w_skipped) = whole();
    let (f, f_skipped) = folded();
    pretty_assertions::assert_eq!(f, w);
    assert_eq!(f_skipped, w_skipped);
    // The journal exercises every part of the figures, so the comparison
    // is not of two empty results.
    assert_eq!(w_skipped, 1, "the unreadable line");
    // 70 entries, one removed, one copy left out, plus 4 version 1 lines.
    assert_eq!(w.sessions, 73);
    assert!(w.days_practised > 10, "{}", w.days_practised);
    assert!(w.weeks.iter().filter(|wk| wk.sessions > 0).count() >= 5);
    assert!(w.checkins.is_some());
    assert_eq!(w.per_session.len(), 4);
    let pause = w
        .per_session
        .iter()
        .find(|p| p.session == "control-pause")
        .expect("control pause");
    let holds = pause.holds.as_ref().expect("holds");
    assert!(
        holds.sessions >= 10 && (holds.first - holds.recent).abs() > 0.01,
        "{holds:?}"
    );
    assert!(w.streak.is_some_and(|n| n > 1), "{:?}", w.streak);
    // The latest title wins over the old one.
    assert!(w.per_session.iter().all(|p| !p.title.contains("old title")));
}
