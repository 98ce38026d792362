//! Property: any interleaving of appends, amendments, tombstones and
//! imports across three machines gives the same view, whatever order the
//! files are read in, whatever order their lines come in, and with stale
//! copies a sync tool left behind; and that view is the one the rules say
//! (every session once, the removed ones left out, each note as its
//! latest amendment by id).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, TimeDelta};
use exhale::engine::player::Ending;
use exhale::journal::entry::SessionKind;
use exhale::journal::record::{Amend, Record, Remove};
use exhale::journal::store::{FileLine, JournalError, Line, Lines, read_file};
use exhale::journal::{Checkin, Entry, Id, Layout, Store, transfer, view};
use proptest::prelude::*;

const MACHINES: [&str; 3] = ["laptop", "desk", "phone"];

#[derive(Debug, Clone)]
enum Op {
    /// Machine m records a session.
    Append(usize),
    /// Machine m changes the note of the n-th session so far.
    Amend(usize, usize, u8),
    /// Machine m removes the n-th session so far.
    Remove(usize, usize),
    /// Machine m imports machine k's file as it is now.
    Import(usize, usize),
    /// A sync tool leaves a copy of machine m's file as it is now.
    Conflict(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0..3usize).prop_map(Op::Append),
        2 => (0..3usize, 0..40usize, any::<u8>()).prop_map(|(m, n, t)| Op::Amend(m, n, t)),
        1 => (0..3usize, 0..40usize).prop_map(|(m, n)| Op::Remove(m, n)),
        1 => (0..3usize, 0..3usize).prop_map(|(m, k)| Op::Import(m, k)),
        1 => (0..3usize).prop_map(Op::Conflict),
    ]
}

fn session(n: usize, id: Id, machine: &str) -> Entry {
    Entry {
        v: 2,
        kind: SessionKind,
        id,
        machine: Some(machine.into()),
        // Several sessions share a start time: the order must not depend
        // on which file they are in.
        started: DateTime::parse_from_rfc3339("2026-01-01T08:00:00+01:00").expect("date")
            + TimeDelta::hours(i64::from((n / 2) as u32)),
        session: "box".into(),
        title: "Box".into(),
        source_sha256: String::new(),
        planned_s: 60,
        practised_s: 60,
        ending: Ending::Completed,
        cycles: 1,
        rounds: 0,
        holds_s: vec![],
        holds_capped: Vec::new(),
        skipped: 0,
        pace: Vec::new(),
        before: Checkin::default(),
        after: Checkin::default(),
        note: Some(format!("session {n}")),
        written: None,
        in_the_way: None,
    }
}

/// What the rules say the view is: (id, note) in order.
#[derive(Default)]
struct Model {
    sessions: Vec<(Id, usize)>,
    removed: Vec<Id>,
    notes: BTreeMap<Id, (Id, String)>,
}

impl Model {
    fn view(&self) -> Vec<(Id, Option<String>)> {
        let mut kept: Vec<&(Id, usize)> = self
            .sessions
            .iter()
            .filter(|(id, _)| !self.removed.contains(id))
            .collect();
        kept.sort_by_key(|(id, n)| (n / 2, *id));
        kept.iter()
            .map(|(id, n)| {
                let note = match self.notes.get(id) {
                    Some((_, t)) if t.is_empty() => None,
                    Some((_, t)) => Some(t.clone()),
                    None => Some(format!("session {n}")),
                };
                (*id, note)
            })
            .collect()
    }
}

fn shown(entries: &[Entry]) -> Vec<(Id, Option<String>)> {
    entries.iter().map(|e| (e.id, e.note.clone())).collect()
}

/// Read the view from `files` in the order given, through the real reader.
fn read_in_order(files: &[PathBuf]) -> Vec<Entry> {
    let mut pass = |refs: bool, each: &mut dyn FnMut(FileLine)| -> Result<(), JournalError> {
        for f in files {
            read_file(f, refs, each)?;
        }
        Ok(())
    };
    collect(&mut pass)
}

fn collect(pass: &mut view::Pass<'_>) -> Vec<Entry> {
    let mut entries = Vec::new();
    view::read(pass, &mut |l| {
        if let Line::Entry(e) = l {
            entries.push(*e);
        }
    })
    .expect("read");
    view::sort(&mut entries);
    entries
}

/// Read the view with every line of every file in one stream, in the
/// order `seed` shuffles them into.
fn read_lines_shuffled(files: &[PathBuf], seed: u64) -> Vec<Entry> {
    let mut lines: Vec<Vec<u8>> = files
        .iter()
        .flat_map(|f| {
            std::fs::read(f)
                .unwrap_or_default()
                .split(|b| *b == b'\n')
                .map(<[u8]>::to_vec)
                .collect::<Vec<_>>()
        })
        .collect();
    // A small deterministic shuffle (xorshift), so a failure replays.
    let mut x = seed | 1;
    for i in (1..lines.len()).rev() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        lines.swap(i, (x % (i as u64 + 1)) as usize);
    }
    let bytes = lines.join(&b'\n');
    let mut pass = |refs: bool, each: &mut dyn FnMut(FileLine)| -> Result<(), JournalError> {
        let mut l = Lines::new(bytes.as_slice());
        if refs {
            l = l.refs_only();
        }
        for line in l.flatten() {
            each(line);
        }
        Ok(())
    };
    collect(&mut pass)
}

fn run(ops: &[Op], dir: &Path) -> (Model, Vec<Store>) {
    let sync = dir.join("sync");
    let stores: Vec<Store> = MACHINES
        .iter()
        .map(|m| Store::new(Layout::new(&dir.join(m), Some(&sync), m)))
        .collect();
    let mut model = Model::default();
    // A logical clock: every record gets a later millisecond, so a later
    // amendment has a greater id, as on machines with agreeing clocks.
    let mut tick = 1_764_000_000_000u64;
    let mut next_id = |m: usize| {
        tick += 1;
        let mut random = [0u8; 10];
        random[0] = m as u8;
        random[1..9].copy_from_slice(&tick.to_be_bytes());
        Id::v7_from_parts(tick, random)
    };
    let mut copies = 0;
    for op in ops {
        match *op {
            Op::Append(m) => {
                let id = next_id(m);
                let n = model.sessions.len();
                let e = session(n, id, MACHINES[m]);
                stores[m]
                    .append_record(&Record::Session(Box::new(e)))
                    .expect("append");
                model.sessions.push((id, n));
            }
            Op::Amend(m, n, t) if !model.sessions.is_empty() => {
                let target = model.sessions[n % model.sessions.len()].0;
                let text = if t % 5 == 0 {
                    String::new()
                } else {
                    format!("note {t}")
                };
                let id = next_id(m);
                let a = Amend::note(id, Some(MACHINES[m].into()), target, &text);
                stores[m].append_record(&Record::Amend(a)).expect("amend");
                let slot = model.notes.entry(target).or_insert((id, text.clone()));
                if id >= slot.0 {
                    *slot = (id, text);
                }
            }
            Op::Remove(m, n) if !model.sessions.is_empty() => {
                let target = model.sessions[n % model.sessions.len()].0;
                let r = Remove::new(next_id(m), None, target);
                stores[m].append_record(&Record::Remove(r)).expect("remove");
                model.removed.push(target);
            }
            Op::Import(m, k) => {
                // A copy of k's file, imported by m as a file from elsewhere.
                let from = stores[k].layout().own_file();
                if from.exists() {
                    let outside = dir.join(format!("import-{copies}.jsonl"));
                    copies += 1;
                    std::fs::copy(&from, &outside).expect("copy");
                    let have = transfer::record_ids(&stores[m], &[]).expect("ids");
                    transfer::copy_missing(
                        &stores[m],
                        have,
                        &mut transfer::import_source(&outside),
                    )
                    .expect("import");
                }
            }
            Op::Conflict(m) => {
                let from = stores[m].layout().own_file();
                if from.exists() {
                    let copy = sync.join(format!(
                        "journal/{}.sync-conflict-20260101-0000{copies:02}-ABCDEFG.jsonl",
                        MACHINES[m]
                    ));
                    copies += 1;
                    std::fs::copy(&from, &copy).expect("copy");
                }
            }
            Op::Amend(..) | Op::Remove(..) => {}
        }
    }
    (model, stores)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn any_interleaving_gives_one_view_in_any_merge_order(
        ops in proptest::collection::vec(op(), 1..30),
        order in any::<u64>(),
    ) {
        let dir = tempfile::tempdir().expect("tempdir");
        let (model, stores) = run(&ops, dir.path());
        let expected = model.view();
        // From every machine's side, through the store.
        for s in &stores {
            let loaded = exhale::journal::Journal::load(s).expect("load");
            prop_assert!(loaded.skipped.is_empty());
            prop_assert_eq!(shown(&loaded.entries), expected.clone());
        }
        // Files read in every order (reversed, rotated), and lines shuffled.
        let files = stores[0].layout().files().expect("files");
        let mut orders = vec![files.clone()];
        let mut rev = files.clone();
        rev.reverse();
        orders.push(rev);
        for r in 1..files.len() {
            let mut rot = files.clone();
            rot.rotate_left(r);
            orders.push(rot);
        }
        for o in &orders {
            prop_assert_eq!(shown(&read_in_order(o)), expected.clone());
        }
        prop_assert_eq!(shown(&read_lines_shuffled(&files, order)), expected.clone());
    }
}
