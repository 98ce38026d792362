//! How long `exhale stats` takes on a large journal: 100,000 entries (about
//! 90 years of daily practice), computing the stats, parsing the file, and
//! both at once as `exhale stats` does them (read line by line, folded
//! into the figures as it goes).

use chrono::{DateTime, FixedOffset, TimeDelta};
use exhale::engine::player::Ending;
use exhale::journal::entry::sha256_hex;
use exhale::journal::record::Record;
use exhale::journal::stats::Fold;
use exhale::journal::stats::compute;
use exhale::journal::store::{FileLine, Lines, parse};
use exhale::journal::{Checkin, Entry, JournalSettings};

fn main() {
    divan::main();
}

const N: u32 = 100_000;

fn entries() -> Vec<Entry> {
    let start = DateTime::parse_from_rfc3339("1940-01-01T07:30:00+01:00").expect("date");
    let names = ["box", "resonance", "control-pause", "sigh", "body-scan"];
    (0..N)
        .map(|i| {
            let name = names[(i % 5) as usize];
            Entry {
                v: 1,
                kind: exhale::journal::entry::SessionKind,
                id: exhale::journal::Id::NIL,
                machine: None,
                started: start + TimeDelta::hours(i64::from(i) * 8),
                session: name.into(),
                title: name.into(),
                source_sha256: sha256_hex(name.as_bytes()),
                planned_s: 600,
                practised_s: u64::from(300 + i % 300),
                skipped: 0,
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
                before: Checkin::answered((i % 8) as u8, None),
                after: Checkin::answered((i % 8 + 2) as u8, Some("calmer".into())),
                note: (i % 10 == 0).then(|| "noticed the breath slow down".into()),
            }
        })
        .collect()
}

fn now(e: &[Entry]) -> DateTime<FixedOffset> {
    e.last()
        .map_or_else(|| chrono::Local::now().fixed_offset(), |l| l.started)
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
        for line in Lines::new(divan::black_box(bytes.as_slice())).flatten() {
            if let FileLine::Record(Record::Session(e)) = line {
                fold.add(&e);
            }
        }
        fold.finish().sessions
    });
}
