//! A journal shared through a folder: two computers (two data folders,
//! named `laptop` and `desk`) sharing one sync folder record sessions, and
//! reading from either gives the same history with nothing lost or
//! doubled, also with a Syncthing conflict copy present, a torn last line
//! in one machine's file, and one machine's clock an hour wrong. The
//! library is driven directly, with fixed wall clocks; the last test goes
//! through the real binary.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use chrono::{DateTime, FixedOffset, TimeDelta};
use exhale::engine::player::{Ending, Outcome};
use exhale::journal::entry::SessionInfo;
use exhale::journal::record::{Amend, Record, Remove};
use exhale::journal::transfer;
use exhale::journal::{Checkin, Entry, Journal as _, Layout, SkipReason, Store};
use tempfile::TempDir;

fn laptop_clock() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-12-01T08:00:00+01:00").expect("date")
}

/// The desk's clock is an hour fast.
fn desk_clock() -> DateTime<FixedOffset> {
    laptop_clock() + TimeDelta::hours(1)
}

struct Folders {
    dir: TempDir,
}

impl Folders {
    fn new() -> Self {
        Self {
            dir: TempDir::new().expect("tempdir"),
        }
    }

    fn sync(&self) -> PathBuf {
        self.dir.path().join("Sync/exhale")
    }

    fn machine_file(&self, machine: &str) -> PathBuf {
        self.sync().join(format!("journal/{machine}.jsonl"))
    }

    /// The journal as seen from one computer: its own data folder, the
    /// shared sync folder.
    fn store(&self, machine: &str) -> Store {
        let data = self.dir.path().join(format!("{machine}-data/exhale"));
        let layout = Layout::new(&data, Some(&self.sync()), machine);
        let clock = if machine == "desk" {
            desk_clock
        } else {
            laptop_clock
        };
        Store::new(layout).with_wall_clock(clock)
    }
}

/// A session of `minutes` that started at `at`, noted `note`.
fn session(at: DateTime<FixedOffset>, minutes: u64, note: &str) -> Entry {
    let outcome = Outcome {
        practised: std::time::Duration::from_secs(minutes * 60),
        planned: std::time::Duration::from_secs(minutes * 60),
        ending: Ending::Completed,
        cycles: 10,
        rounds: 0,
        holds: Vec::new(),
        capped: Vec::new(),
        skipped: 0,
        cut_cycles: 0,
        pace: Vec::new(),
    };
    Entry::new(
        &SessionInfo::new("box", "Box breathing", b"box"),
        at,
        &outcome,
        Checkin::answered(4, None),
        Checkin::skipped(SkipReason::Skipped),
        Some(note.to_owned()),
    )
}

/// What history shows: (id, start, note), oldest first.
fn view(store: &Store) -> Vec<(String, String, Option<String>)> {
    let loaded = store.load().expect("load");
    loaded
        .entries
        .iter()
        .map(|e| (e.id.to_string(), e.started.to_rfc3339(), e.note.clone()))
        .collect()
}

fn notes(store: &Store) -> Vec<String> {
    view(store)
        .into_iter()
        .map(|(_, _, n)| n.unwrap_or_default())
        .collect()
}

/// Sessions on both machines, alternating: laptop, desk, laptop...
fn record_alternating(f: &Folders, n: usize) {
    let (laptop, desk) = (f.store("laptop"), f.store("desk"));
    for i in 0..n {
        let at = laptop_clock() + TimeDelta::days(i64::from(i as u32));
        let (store, who) = if i % 2 == 0 {
            (&laptop, "laptop")
        } else {
            (&desk, "desk")
        };
        store
            .append(&session(at, 5 + i as u64, &format!("{who} {i}")))
            .expect("append");
    }
}

#[test]
fn sessions_from_two_machines_read_the_same_from_either() {
    let f = Folders::new();
    record_alternating(&f, 6);
    let (laptop, desk) = (f.store("laptop"), f.store("desk"));
    let seen = view(&laptop);
    assert_eq!(seen, view(&desk));
    assert_eq!(
        notes(&laptop),
        [
            "laptop 0", "desk 1", "laptop 2", "desk 3", "laptop 4", "desk 5"
        ]
    );
    // Each machine wrote only its own file.
    for (machine, mine) in [("laptop", "laptop"), ("desk", "desk")] {
        let text = std::fs::read_to_string(f.machine_file(machine)).expect("file");
        assert_eq!(text.lines().count(), 3, "{text}");
        assert!(
            text.lines()
                .all(|l| l.contains(&format!("\"machine\":\"{mine}\""))),
            "{text}"
        );
    }
}

#[test]
fn a_syncthing_conflict_copy_is_merged_not_doubled_and_kept() {
    let f = Folders::new();
    record_alternating(&f, 4);
    // Syncthing met two versions of the laptop's file and kept the older
    // one beside it; the laptop then records more.
    let conflict = f
        .sync()
        .join("journal/laptop.sync-conflict-20261201-101010-ABCDEF7.jsonl");
    std::fs::copy(f.machine_file("laptop"), &conflict).expect("copy");
    let laptop = f.store("laptop");
    laptop
        .append(&session(
            laptop_clock() + TimeDelta::days(9),
            20,
            "laptop 9",
        ))
        .expect("append");
    // The conflict copy also holds a session the main file lost.
    let lost = exhale::journal::store::stamped(
        &session(laptop_clock() + TimeDelta::days(8), 7, "only in the copy"),
        laptop_clock,
        Some("laptop"),
    );
    exhale::journal::store::append_to(&conflict, &Record::Session(Box::new(lost)))
        .expect("append to the copy");

    let (laptop, desk) = (f.store("laptop"), f.store("desk"));
    assert_eq!(view(&laptop), view(&desk));
    assert_eq!(
        notes(&desk),
        [
            "laptop 0",
            "desk 1",
            "laptop 2",
            "desk 3",
            "only in the copy",
            "laptop 9"
        ]
    );
    let report = desk.read_report(&mut |_| {}).expect("read");
    assert_eq!(report.duplicates, 2, "the copy's two old entries");
    assert!(conflict.exists(), "never deleted");
    let status = exhale::journal::status::status(&desk).expect("status");
    assert_eq!(status.conflict_copies(), 1);
    assert_eq!(status.duplicates, 2);
    assert_eq!(status.machines["laptop"].entries, 4);
    assert_eq!(status.machines["desk"].entries, 2);
}

#[test]
fn a_torn_last_line_in_one_file_loses_nothing_else() {
    let f = Folders::new();
    record_alternating(&f, 4);
    let desk_file = f.machine_file("desk");
    let before = std::fs::read(&desk_file).expect("read");
    // The desk lost power in the middle of a write.
    let mut torn = before.clone();
    torn.extend_from_slice(b"{\"v\":2,\"kind\":\"session\",\"id\":\"0192");
    std::fs::write(&desk_file, &torn).expect("write");
    let (laptop, desk) = (f.store("laptop"), f.store("desk"));
    let loaded = laptop.load().expect("load");
    assert_eq!(loaded.entries.len(), 4);
    assert_eq!(loaded.skipped.len(), 1);
    assert_eq!(loaded.skipped[0].file, desk_file);
    assert_eq!(loaded.skipped[0].line, 3);
    // The desk's next session starts on a line of its own.
    desk.append(&session(laptop_clock() + TimeDelta::days(5), 9, "desk 5"))
        .expect("append");
    let after = std::fs::read(&desk_file).expect("read");
    assert!(after.starts_with(&torn), "earlier bytes unchanged");
    assert_eq!(view(&laptop), view(&desk));
    assert_eq!(
        notes(&laptop),
        ["laptop 0", "desk 1", "laptop 2", "desk 3", "desk 5"]
    );
}

#[test]
fn a_clock_an_hour_wrong_still_gives_one_history_and_one_winner() {
    let f = Folders::new();
    let (laptop, desk) = (f.store("laptop"), f.store("desk"));
    // Both practise "at 8:00" by their own clocks, on the same morning.
    laptop
        .append(&session(laptop_clock(), 10, "laptop"))
        .expect("append");
    desk.append(&session(desk_clock(), 10, "desk"))
        .expect("append");
    assert_eq!(view(&laptop), view(&desk));
    assert_eq!(
        notes(&laptop),
        ["laptop", "desk"],
        "sorted by recorded time"
    );
    // Both change the laptop's note; the desk writes "later" by its fast
    // clock, so its change wins on both machines alike.
    let target = laptop.load().expect("load").entries[0].id;
    for (store, text) in [(&desk, "from the desk"), (&laptop, "from the laptop")] {
        let a = Amend::note(store.new_id(), None, target, text);
        store.append_record(&Record::Amend(a)).expect("amend");
    }
    assert_eq!(view(&laptop), view(&desk));
    assert_eq!(notes(&laptop), ["from the desk", "desk"]);
    // The laptop removes the desk's entry: gone from both.
    let desk_entry = desk.load().expect("load").entries[1].id;
    let r = Remove::new(laptop.new_id(), None, desk_entry);
    laptop.append_record(&Record::Remove(r)).expect("remove");
    assert_eq!(view(&laptop), view(&desk));
    assert_eq!(notes(&desk), ["from the desk"]);
}

#[test]
fn import_restore_and_upgrade_add_only_what_is_missing() {
    let f = Folders::new();
    record_alternating(&f, 4);
    let laptop = f.store("laptop");
    // A version 1 journal on the laptop, from before the sync folder.
    let legacy = laptop.layout().legacy_file();
    std::fs::create_dir_all(legacy.parent().expect("dir")).expect("mkdir");
    let old = session(
        laptop_clock() - TimeDelta::days(30),
        5,
        "from the old journal",
    );
    let mut v1 = serde_json::to_value(Entry { v: 1, ..old }).expect("json");
    v1.as_object_mut().expect("object").remove("kind");
    std::fs::write(&legacy, format!("{v1}\n")).expect("write");
    assert_eq!(view(&laptop).len(), 5, "read as it is");
    assert_eq!(view(&f.store("desk")).len(), 4, "not yet shared");

    let upgrade = |store: &Store| {
        let files = transfer::upgrade_sources(store).expect("sources");
        let have = transfer::record_ids(store, &files).expect("ids");
        transfer::copy_missing(store, have, &mut transfer::files_source(files)).expect("copy")
    };
    assert_eq!(upgrade(&laptop).added, 1);
    assert_eq!(upgrade(&laptop).added, 0, "twice adds nothing");
    assert_eq!(view(&laptop), view(&f.store("desk")));
    assert_eq!(
        std::fs::read(&legacy).expect("kept").len(),
        v1.to_string().len() + 1
    );

    // A backup, restored into a journal that lost a file, brings it back
    // and drops nothing the journal has.
    let backup_dir = f.dir.path().join("usb");
    let b = transfer::backup(&laptop, &backup_dir, laptop_clock()).expect("backup");
    assert_eq!(b.sessions, 5);
    let before = view(&laptop);
    std::fs::remove_file(f.machine_file("desk")).expect("lose the desk's file");
    let desk = f.store("desk");
    desk.append(&session(
        laptop_clock() + TimeDelta::days(20),
        3,
        "after the backup",
    ))
    .expect("append");
    let restore = |store: &Store, file: &Path| {
        let have = transfer::record_ids(store, &[]).expect("ids");
        transfer::copy_missing(store, have, &mut transfer::import_source(file)).expect("restore")
    };
    assert_eq!(
        restore(&desk, &b.path).sessions,
        2,
        "the desk's two lost sessions"
    );
    assert_eq!(restore(&desk, &b.path).added, 0, "twice adds nothing");
    let mut expected: Vec<_> = before.clone();
    expected.push(view(&desk).last().expect("newest").clone());
    assert_eq!(view(&desk), expected);
    assert_eq!(view(&laptop), view(&desk));
}

/// The real binary, with two homes sharing one sync folder.
struct Home {
    dir: PathBuf,
    machine: &'static str,
    sync: PathBuf,
}

impl Home {
    fn exhale(&self, args: &[&str]) -> std::process::Output {
        Command::new(env!("CARGO_BIN_EXE_exhale"))
            .args(args)
            .env("XDG_DATA_HOME", self.dir.join("data"))
            .env("XDG_CONFIG_HOME", self.dir.join("config"))
            .env("HOME", &self.dir)
            .env("EXHALE_MACHINE", self.machine)
            .env("EXHALE_JOURNAL_DIR", &self.sync)
            .env("EXHALE_TEST_CLOCK", "manual")
            .stdin(Stdio::null())
            .output()
            .expect("run exhale")
    }
}

#[test]
fn two_homes_through_the_binary_share_one_history() {
    let root = TempDir::new().expect("tempdir");
    let session = root.path().join("short-test.toml");
    std::fs::write(
        &session,
        "name = \"Short test\"\nsettle = 0\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 1 }, { out = 1 }]\ncycles = 1\n",
    )
    .expect("write session");
    let sync = root.path().join("Sync/exhale");
    let homes = ["laptop", "desk"].map(|m| Home {
        dir: root.path().join(m),
        machine: m,
        sync: sync.clone(),
    });
    for home in [&homes[0], &homes[1], &homes[0]] {
        let out = home.exhale(&["run", session.to_str().expect("utf8"), "--plain"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let histories: Vec<String> = homes
        .iter()
        .map(|h| {
            let out = h.exhale(&["history", "--json"]);
            assert!(out.status.success());
            String::from_utf8(out.stdout).expect("utf8")
        })
        .collect();
    assert_eq!(histories[0], histories[1]);
    let entries: Vec<serde_json::Value> = serde_json::from_str(&histories[0]).expect("json");
    let mut machines: Vec<&str> = entries
        .iter()
        .map(|e| e["machine"].as_str().expect("machine"))
        .collect();
    machines.sort_unstable();
    assert_eq!(machines, ["desk", "laptop", "laptop"]);
    // A note changed on the desk shows on the laptop.
    let id = entries[0]["id"].as_str().expect("id");
    let short = &id[id.len() - 8..];
    let out = homes[1].exhale(&["journal", "note", short, "changed on the desk"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = homes[0].exhale(&["history"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.lines().next().expect("a line").starts_with(short),
        "{text}"
    );
    assert!(text.contains("“changed on the desk”"), "{text}");
    let out = homes[0].exhale(&["journal", "status"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("laptop (this one)"), "{text}");
    assert!(text.contains("desk "), "{text}");
    assert!(text.contains("3 entries shown"), "{text}");
}
