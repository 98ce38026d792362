//! The plain-mode check-ins on a real terminal: `exhale run --plain` under
//! `script`, which gives it a pseudo-terminal, answering the questions as
//! a person would, then reading the entry back.

use std::io::{Read as _, Write as _};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use exhale::journal::store::parse;
use exhale::journal::{Checkin, SkipReason};
use exhale::player::Ending;
use tempfile::TempDir;

struct Screen {
    rx: mpsc::Receiver<Vec<u8>>,
    text: String,
}

impl Screen {
    /// Wait, with a deadline, until `marker` has appeared `nth` times.
    fn wait_for(&mut self, marker: &str, nth: usize) {
        let deadline = Instant::now() + Duration::from_secs(15);
        while self.text.matches(marker).count() < nth {
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(!left.is_zero(), "no {marker:?} in:\n{}", self.text);
            if let Ok(chunk) = self.rx.recv_timeout(left) {
                self.text.push_str(&String::from_utf8_lossy(&chunk));
            }
        }
    }
}

fn have_script() -> bool {
    Command::new("script")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// `exhale run --plain` of a 2-second session on a pseudo-terminal.
fn start(dir: &TempDir) -> (std::process::Child, Screen, std::process::ChildStdin) {
    let session = dir.path().join("short.toml");
    std::fs::write(
        &session,
        "name = \"Short\"\nsettle = 0\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 1 }, { out = 1 }]\ncycles = 1\n",
    )
    .expect("write");
    let cmd = format!(
        "{} run {} --plain",
        env!("CARGO_BIN_EXE_exhale"),
        session.display()
    );
    let mut child = Command::new("script")
        .args(["-qefc", &cmd, "/dev/null"])
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .env("HOME", dir.path())
        .env("TERM", "xterm")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn script");
    let mut stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = stdout.read(&mut buf) {
            if n == 0 || tx.send(buf[..n].to_vec()).is_err() {
                break;
            }
        }
    });
    let stdin = child.stdin.take().expect("stdin");
    (
        child,
        Screen {
            rx,
            text: String::new(),
        },
        stdin,
    )
}

fn say(stdin: &mut std::process::ChildStdin, s: &str) {
    stdin.write_all(s.as_bytes()).expect("type");
    stdin.flush().expect("flush");
}

fn only_entry(dir: &TempDir) -> exhale::journal::Entry {
    let bytes = std::fs::read(dir.path().join("data/exhale/journal.jsonl")).expect("journal");
    let mut loaded = parse(&bytes);
    assert_eq!(loaded.entries.len(), 1);
    loaded.entries.remove(0)
}

#[test]
fn check_ins_before_and_after_with_a_note() {
    if !have_script() {
        eprintln!("skipped: `script` (util-linux) is not installed");
        return;
    }
    let dir = TempDir::new().expect("tempdir");
    let (mut child, mut screen, mut stdin) = start(&dir);
    screen.wait_for(
        "How are you feeling? 0 = very unsettled, 10 = calm and at ease.",
        1,
    );
    say(&mut stdin, "11\r");
    screen.wait_for("Type a number from 0 to 10", 1);
    say(&mut stdin, "4 tense\r");
    screen.wait_for("How are you feeling now?", 1);
    say(&mut stdin, "7\r");
    screen.wait_for("What did you notice?", 1);
    say(&mut stdin, "slower breath\r");
    screen.wait_for("saved to journal", 1);
    assert!(child.wait().expect("wait").success());

    let e = only_entry(&dir);
    assert_eq!(e.ending, Ending::Completed);
    assert_eq!(e.before, Checkin::answered(4, Some("tense".into())));
    assert_eq!(e.after, Checkin::answered(7, None));
    assert_eq!(e.note.as_deref(), Some("slower breath"));
}

#[test]
fn enter_alone_skips_each_check_in() {
    if !have_script() {
        eprintln!("skipped: `script` (util-linux) is not installed");
        return;
    }
    let dir = TempDir::new().expect("tempdir");
    let (mut child, mut screen, mut stdin) = start(&dir);
    screen.wait_for("How are you feeling?", 1);
    say(&mut stdin, "\r");
    screen.wait_for("How are you feeling now?", 1);
    say(&mut stdin, "\r");
    screen.wait_for("saved to journal", 1);
    assert!(child.wait().expect("wait").success());
    assert!(!screen.text.contains("What did you notice?"));

    let e = only_entry(&dir);
    assert_eq!(e.before, Checkin::skipped(SkipReason::Skipped));
    assert_eq!(e.after, Checkin::skipped(SkipReason::Skipped));
    assert_eq!(e.note, None);
}

#[test]
fn closing_the_input_skips_the_check_ins_and_still_records() {
    if !have_script() {
        eprintln!("skipped: `script` (util-linux) is not installed");
        return;
    }
    let dir = TempDir::new().expect("tempdir");
    let (mut child, mut screen, mut stdin) = start(&dir);
    screen.wait_for("How are you feeling?", 1);
    // Ctrl-D: end of input.
    say(&mut stdin, "\u{4}");
    screen.wait_for("saved to journal", 1);
    assert!(child.wait().expect("wait").success());
    let e = only_entry(&dir);
    assert_eq!(e.ending, Ending::Completed);
    assert_eq!(e.before, Checkin::skipped(SkipReason::Skipped));
    assert_eq!(e.after, Checkin::skipped(SkipReason::Skipped));
}
