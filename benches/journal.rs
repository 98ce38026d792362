//! How long `exhale stats` and `exhale history` take on a large journal:
//! 100,000 entries (about 90 years of daily practice). The figures behind
//! them (computing the stats from entries, parsing lines), and the whole
//! read as the commands do it: 100,000 entries spread over three machine
//! files in a sync folder, read as one view (one pass, each line read for
//! its figures, each entry once by id) and folded into the stats, or into
//! the latest 20 for history; and, to compare, the read that parses every
//! line in full (two passes, then one more for the assessments).

use chrono::{DateTime, FixedOffset, TimeDelta};
use exhale::engine::player::Ending;
use exhale::journal::entry::{SessionKind, sha256_hex};
use exhale::journal::figures::Seen;
use exhale::journal::record::Record;
use exhale::journal::stats::{Fold, compute};
use exhale::journal::store::{FigLine, FileLine, Line, Lines, parse};
use exhale::journal::view::Latest;
use exhale::journal::{Checkin, Entry, Id, Journal as _, JournalSettings, Layout, Store};

fn main() {
    divan::main();
}

const N: u32 = 100_000;
const MACHINES: [&str; 3] = ["laptop", "desk", "phone"];

fn entries() -> Vec<Entry> {
    let start = DateTime::parse_from_rfc3339("1940-01-01T07:30:00+01:00").expect("date");
    let names = ["box", "resonance", "control-pause", "sigh", "body-scan"];
    (0..N)
        .map(|i| {
            let name = names[(i % 5) as usize];
            let started = start + TimeDelta::hours(i64::from(i) * 8);
            Entry {
                v: 2,
                kind: SessionKind,
                id: Id::v7_from_parts(started.timestamp_millis() as u64, [(i % 251) as u8; 10]),
                machine: Some(MACHINES[(i % 3) as usize].into()),
                started,
                session: name.into(),
                title: name.into(),
                source_sha256: sha256_hex(name.as_bytes()),
                planned_s: 600,
                practised_s: u64::from(300 + i % 300),
                skipped: 0,
                pace: Vec::new(),
                ending: if i % 7 == 0 {
                    Ending::Stopped
                } else {
                    Ending::Completed
                },
                cycles: 40,
                rounds: 0,
                holds_s: if name == "control-pause" {
                    vec![20.0 + f64::from(i % 50) / 10.0; 3]
                } else {
                    vec![]
                },
                holds_capped: Vec::new(),
                before: Checkin::answered((i % 8) as u8, None),
                after: Checkin::answered((i % 8 + 2) as u8, Some("calmer".into())),
                note: (i % 10 == 0).then(|| "noticed the breath slow down".into()),
                written: None,
                in_the_way: None,
            }
        })
        .collect()
}

fn now(e: &[Entry]) -> DateTime<FixedOffset> {
    e.last()
        .map_or_else(|| chrono::Local::now().fixed_offset(), |l| l.started)
}

/// A sync folder with the entries dealt round three machine files, as
/// `exhale stats` finds it; the folder is removed when dropped.
struct Folder {
    _dir: tempfile::TempDir,
    store: Store,
}

fn folder(e: &[Entry]) -> Folder {
    let dir = tempfile::tempdir().expect("tempdir");
    let sync = dir.path().join("sync");
    std::fs::create_dir_all(sync.join("journal")).expect("mkdir");
    for (m, machine) in MACHINES.iter().enumerate() {
        let mut text = String::new();
        for x in e.iter().skip(m).step_by(3) {
            text.push_str(&x.to_line().expect("json"));
        }
        std::fs::write(sync.join(format!("journal/{machine}.jsonl")), text).expect("write");
    }
    let store = Store::new(Layout::new(&dir.path().join("data"), Some(&sync), "laptop"));
    Folder { _dir: dir, store }
}

#[divan::bench]
fn stats_100k(bencher: divan::Bencher<'_, '_>) {
    let e = entries();
    let at = now(&e);
    let settings = JournalSettings::default();
    bencher.bench(|| compute(divan::black_box(&e), at, &settings));
}

#[divan::bench]
fn parse_100k(bencher: divan::Bencher<'_, '_>) {
    let mut bytes = Vec::new();
    for e in entries() {
        bytes.extend_from_slice(e.to_line().expect("json").as_bytes());
    }
    bencher.bench(|| parse(divan::black_box(&bytes)).entries.len());
}

/// One file read line by line and folded as `exhale stats` folds: each
/// line read for its figures alone ([`exhale::journal::figures`]).
#[divan::bench]
fn read_and_fold_100k(bencher: divan::Bencher<'_, '_>) {
    let e = entries();
    let at = now(&e);
    let settings = JournalSettings::default();
    let mut bytes = Vec::new();
    for x in &e {
        bytes.extend_from_slice(x.to_line().expect("json").as_bytes());
    }
    bencher.bench(|| {
        let mut fold = Fold::new(at, &settings);
        Lines::new(divan::black_box(bytes.as_slice()))
            .each_figures(&mut |line| {
                if let FigLine::Entry(f, _) = line {
                    fold.add_figures(f);
                }
            })
            .expect("read");
        fold.finish().sessions
    });
}

/// The same, each line parsed into a whole entry (as before the figures
/// were read on their own).
#[divan::bench]
fn read_and_fold_100k_full_parse(bencher: divan::Bencher<'_, '_>) {
    let e = entries();
    let at = now(&e);
    let settings = JournalSettings::default();
    let mut bytes = Vec::new();
    for x in &e {
        bytes.extend_from_slice(x.to_line().expect("json").as_bytes());
    }
    bencher.bench(|| {
        let mut fold = Fold::new(at, &settings);
        for line in Lines::new(divan::black_box(bytes.as_slice())).flatten() {
            if let FileLine::Record(Record::Session(e)) = line {
                fold.add(&e);
            }
        }
        fold.finish().sessions
    });
}

/// `exhale stats`: three machine files read as one view for figures, in
/// one pass, folded, with the assessments found on the way.
#[divan::bench(sample_count = 20)]
fn stats_100k_over_3_machine_files(bencher: divan::Bencher<'_, '_>) {
    let e = entries();
    let at = now(&e);
    let settings = JournalSettings::default();
    let f = folder(&e);
    bencher.bench(|| {
        let mut fold = Fold::new(at, &settings);
        let found = f
            .store
            .read_figures_where(None, &mut |l| match l {
                Seen::Entry(f, _) => fold.add_figures(f),
                Seen::Restart => fold = Fold::new(at, &settings),
                Seen::Skipped(_) => {}
            })
            .expect("read");
        (fold.finish().sessions, found.assessments.len())
    });
}

/// What `exhale stats` did before: the view read entry by entry, each
/// parsed in full, then the assessments in a pass of their own.
#[divan::bench(sample_count = 20)]
fn stats_100k_over_3_machine_files_full_parse(bencher: divan::Bencher<'_, '_>) {
    let e = entries();
    let at = now(&e);
    let settings = JournalSettings::default();
    let f = folder(&e);
    bencher.bench(|| {
        let mut fold = Fold::new(at, &settings);
        f.store
            .read(&mut |l| {
                if let Line::Entry(e) = l {
                    fold.add(&e);
                }
            })
            .expect("read");
        let assessments = f.store.assessments().expect("read");
        (fold.finish().sessions, assessments.len())
    });
}

/// `exhale history`: the same view, keeping the latest 20.
#[divan::bench(sample_count = 20)]
fn history_100k_over_3_machine_files(bencher: divan::Bencher<'_, '_>) {
    let e = entries();
    let f = folder(&e);
    bencher.bench(|| {
        let mut latest = Latest::new(20);
        let found = f
            .store
            .read_figures_where(None, &mut |l| match l {
                Seen::Entry(f, source) => latest.offer(f, source),
                Seen::Restart => latest = Latest::new(20),
                Seen::Skipped(_) => {}
            })
            .expect("read");
        latest.newest_first(&found.marks).len()
    });
}
