//! The journal file is never lost or rewritten: a corrupt line is skipped
//! with a warning naming the file and line while the file's bytes stay as
//! they were, a new entry leaves every earlier byte in place, and many
//! writers at once produce only whole lines.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use chrono::DateTime;
use exhale::engine::player::Ending;
use exhale::journal::entry::sha256_hex;
use exhale::journal::store::parse;
use exhale::journal::{Checkin, Entry, FileJournal, Journal as _};
use tempfile::TempDir;

fn entry(n: usize, note_len: usize) -> Entry {
    Entry {
        v: 1,
        kind: exhale::journal::entry::SessionKind,
        id: exhale::journal::Id::NIL,
        machine: None,
        started: DateTime::parse_from_rfc3339("2026-03-01T08:00:00+01:00").expect("date")
            + chrono::TimeDelta::minutes(i64::from(n as u32)),
        session: "box".into(),
        title: "Box breathing".into(),
        source_sha256: sha256_hex(b"box"),
        planned_s: 300,
        practised_s: 300,
        ending: Ending::Completed,
        skipped: 0,
        pace: Vec::new(),
        cycles: 18,
        rounds: 0,
        holds_s: vec![],
        holds_capped: Vec::new(),
        before: Checkin::answered(4, Some("tense".into())),
        after: Checkin::answered(6, None),
        note: Some(format!("{n:06} {}", "x".repeat(note_len))),
        written: None,
        in_the_way: None,
    }
}

struct Home {
    dir: TempDir,
}

impl Home {
    fn new() -> Self {
        Self {
            dir: TempDir::new().expect("tempdir"),
        }
    }

    fn journal(&self) -> PathBuf {
        self.dir.path().join("data/exhale/journal/test.jsonl")
    }

    fn exhale(&self, args: &[&str]) -> std::process::Output {
        Command::new(env!("CARGO_BIN_EXE_exhale"))
            .args(args)
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env("EXHALE_MACHINE", "test")
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env("HOME", self.dir.path())
            .stdin(Stdio::null())
            .output()
            .expect("run exhale")
    }

    fn write_raw(&self, bytes: &[u8]) {
        std::fs::create_dir_all(self.journal().parent().expect("dir")).expect("mkdir");
        std::fs::write(self.journal(), bytes).expect("write");
    }

    fn session(&self) -> PathBuf {
        let p = self.dir.path().join("tiny.toml");
        std::fs::write(
            &p,
            "name = \"Tiny\"\nsettle = 0\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 1 }]\ncycles = 1\n",
        )
        .expect("write");
        p
    }
}

fn corrupt_journal() -> Vec<u8> {
    let mut bytes = Vec::new();
    bytes.extend_from_slice(entry(1, 5).to_line().expect("json").as_bytes());
    bytes.extend_from_slice(entry(2, 5).to_line().expect("json").as_bytes());
    // A torn write: half a record, then the next record on its own line.
    let torn = entry(3, 5).to_line().expect("json");
    bytes.extend_from_slice(&torn.as_bytes()[..torn.len() / 2]);
    bytes.push(b'\n');
    bytes.extend_from_slice(entry(4, 5).to_line().expect("json").as_bytes());
    bytes
}

fn assert_warns_line_3(out: &std::process::Output, journal: &Path) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    let want = format!("{}:3:", journal.display());
    assert!(stderr.contains(&want), "want {want} in: {stderr}");
    assert_eq!(stderr.matches("warning:").count(), 1, "{stderr}");
}

#[test]
fn a_corrupt_line_is_skipped_with_a_warning_and_the_file_is_never_changed() {
    let home = Home::new();
    let original = corrupt_journal();
    home.write_raw(&original);
    let export_file = home.dir.path().join("out.md");
    let export_arg = export_file.display().to_string();

    let runs: Vec<Vec<&str>> = vec![
        vec!["history"],
        vec!["history", "--json"],
        vec!["stats"],
        vec!["stats", "--json"],
        vec!["export", "--format", "csv"],
        vec!["export", "--format", "json"],
        vec!["export", "--format", "markdown", "-o", &export_arg],
    ];
    for args in runs {
        let out = home.exhale(&args);
        assert!(out.status.success(), "{args:?}: {out:?}");
        assert_warns_line_3(&out, &home.journal());
        assert_eq!(
            std::fs::read(home.journal()).expect("read"),
            original,
            "{args:?} changed the journal"
        );
    }

    // The three good entries are all there.
    let out = home.exhale(&["history", "--json"]);
    let listed: Vec<Entry> = serde_json::from_slice(&out.stdout).expect("json");
    let notes: Vec<String> = listed.iter().filter_map(|e| e.note.clone()).collect();
    assert_eq!(notes, ["000004 xxxxx", "000002 xxxxx", "000001 xxxxx"]);

    // A new session appends; every earlier byte stays in place.
    let session = home.session();
    let out = home.exhale(&["run", session.to_str().expect("utf8"), "--plain"]);
    assert!(out.status.success());
    let after = std::fs::read(home.journal()).expect("read");
    assert!(after.starts_with(&original));
    let loaded = parse(&after);
    assert_eq!(loaded.entries.len(), 4);
    assert_eq!(loaded.skipped.len(), 1);
    assert_eq!(loaded.entries[3].session, "tiny");
}

#[test]
fn a_torn_last_line_does_not_swallow_the_next_entry() {
    let home = Home::new();
    let mut original = entry(1, 3).to_line().expect("json").into_bytes();
    original.extend_from_slice(b"{\"v\":1,\"started\":\"2026-03-");
    home.write_raw(&original);
    let journal = FileJournal::new(home.journal());
    journal.append(&entry(2, 3)).expect("append");
    let after = std::fs::read(home.journal()).expect("read");
    assert!(after.starts_with(&original));
    let loaded = journal.load().expect("load");
    let plain = |e: &Entry| Entry {
        v: 1,
        id: exhale::journal::Id::NIL,
        ..e.clone()
    };
    let read: Vec<Entry> = loaded.entries.iter().map(plain).collect();
    assert_eq!(read, vec![entry(1, 3), entry(2, 3)]);
    assert_eq!(loaded.skipped.len(), 1);
    assert_eq!(loaded.skipped[0].line, 2);
}

#[test]
fn exporting_onto_the_journal_itself_is_refused() {
    let home = Home::new();
    let original = corrupt_journal();
    home.write_raw(&original);
    let out = home.exhale(&["export", "-o", home.journal().to_str().expect("utf8")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("is the journal itself"));
    assert_eq!(std::fs::read(home.journal()).expect("read"), original);
}

#[test]
fn many_writers_at_once_interleave_only_whole_lines() {
    let home = Home::new();
    let path = home.journal();
    let threads = 8;
    let per_thread = 400;
    // Notes of varying length give lines from about 400 bytes to 3.5 KiB,
    // under the size the kernel appends in one piece.
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let path = path.clone();
            std::thread::spawn(move || {
                // Each thread opens the file itself, as a separate process would.
                let journal = FileJournal::new(path);
                for i in 0..per_thread {
                    let n = t * per_thread + i;
                    journal.append(&entry(n, (n * 37) % 3000)).expect("append");
                }
            })
        })
        .collect();
    for h in handles {
        h.join().expect("thread");
    }
    let bytes = std::fs::read(&path).expect("read");
    assert_eq!(bytes.last(), Some(&b'\n'));
    let loaded = parse(&bytes);
    assert!(
        loaded.skipped.is_empty(),
        "torn lines: {:?}",
        loaded.skipped
    );
    let mut seen: Vec<usize> = loaded
        .entries
        .iter()
        .map(|e| e.note.as_deref().expect("note")[..6].parse().expect("n"))
        .collect();
    seen.sort_unstable();
    assert_eq!(seen, (0..threads * per_thread).collect::<Vec<_>>());
}

#[test]
fn the_fakes_record_and_fail() {
    use exhale::journal::store::{FailingJournal, RecordingJournal};
    let rec = RecordingJournal::default();
    rec.append(&entry(1, 0)).expect("append");
    assert_eq!(rec.load().expect("load").entries, vec![entry(1, 0)]);
    let err = FailingJournal.append(&entry(1, 0)).expect_err("fails");
    assert!(err.to_string().contains("disk is full"));
}

#[test]
fn exporting_onto_the_journal_path_is_refused_even_before_it_exists() {
    let home = Home::new();
    let dir = home.journal().parent().expect("dir").to_owned();
    std::fs::create_dir_all(&dir).expect("mkdir");
    let roundabout = dir.join("../journal/test.jsonl");
    let out = home.exhale(&["export", "-o", roundabout.to_str().expect("utf8")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(!home.journal().exists());
}

#[test]
fn many_writers_at_once_never_leave_a_blank_line() {
    let home = Home::new();
    let path = home.journal();
    let threads = 20;
    let per_thread = 200;
    let handles: Vec<_> = (0..threads)
        .map(|t| {
            let path = path.clone();
            std::thread::spawn(move || {
                let journal = FileJournal::new(path);
                for i in 0..per_thread {
                    let n = t * per_thread + i;
                    journal.append(&entry(n, (n * 37) % 3000)).expect("append");
                }
            })
        })
        .collect();
    for h in handles {
        h.join().expect("thread");
    }
    let bytes = std::fs::read(&path).expect("read");
    let blank = bytes
        .split(|b| *b == b'\n')
        .filter(|l| l.is_empty())
        .count();
    // The one empty piece is what follows the final newline.
    assert_eq!(blank, 1, "blank lines in the journal");
    assert_eq!(parse(&bytes).entries.len(), threads * per_thread);
}
