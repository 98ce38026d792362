//! `exhale checkin`: a check-in with no session, in plain mode with the
//! answers piped in, in the full-screen app on a pseudo-terminal, dated
//! earlier with `--at` (and then marked as written later), and a bad
//! `--at` refused as bad usage.

mod pty;

use std::io::Write as _;
use std::process::Stdio;

use exhale::journal::measure::Value;
use exhale::journal::record::{Record, parse};
use pty::{Home, Pty, WAIT};

const MEASURES: &str = "[[measure]]\nname = \"distress\"\nscale = \"suds\"\n";

fn diaries(home: &Home) -> Vec<exhale::journal::diary::Diary> {
    home.journal_text()
        .lines()
        .filter_map(
            |l| match parse(l.as_bytes(), |_| exhale::journal::Id::NIL) {
                Ok(Record::Diary(d)) => Some(*d),
                _ => None,
            },
        )
        .collect()
}

fn piped(home: &Home, args: &[&str], input: &str) -> (i32, String) {
    let mut cmd = home.exhale(args);
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write");
    let out = child.wait_with_output().expect("wait");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn plain_check_in_with_piped_answers_is_kept_and_listed() {
    let home = Home::new();
    home.write_config(MEASURES);
    let (code, out) = piped(
        &home,
        &["checkin", "--plain"],
        "4 tense\n170\n70\nlong day\n",
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Type a number from 0 to 100"), "{out}");
    assert!(out.contains("saved to journal"), "{out}");
    let d = diaries(&home);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].checkin.score, Some(4));
    assert_eq!(
        d[0].checkin.measures.get("distress"),
        Some(&Value::Number(70))
    );
    assert_eq!(d[0].note.as_deref(), Some("long day"));
    assert!(!d[0].written_later());

    let history = home.exhale(&["history"]).output().expect("history");
    let text = String::from_utf8_lossy(&history.stdout);
    assert!(text.contains("Check-in"), "{text}");
    assert!(text.contains("4 (tense), distress 70"), "{text}");
    assert!(!text.contains("written later"), "{text}");
}

#[test]
fn a_check_in_about_last_night_is_marked_as_written_later() {
    let home = Home::new();
    let (code, out) = piped(
        &home,
        &["checkin", "--plain", "--at", "yesterday 21:30"],
        "6\n\n",
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("A check-in about"), "{out}");
    let d = diaries(&home);
    assert_eq!(d[0].at.format("%H:%M").to_string(), "21:30");
    assert!(d[0].written_later());
    let history = home.exhale(&["history"]).output().expect("history");
    let text = String::from_utf8_lossy(&history.stdout);
    assert!(text.contains("(written later, "), "{text}");
}

#[test]
fn nothing_answered_writes_nothing_and_a_bad_at_is_bad_usage() {
    let home = Home::new();
    let (code, out) = piped(&home, &["checkin", "--plain"], "\n\n");
    assert_eq!(code, 0);
    assert!(out.contains("nothing answered, nothing written"), "{out}");
    assert!(!home.journal().exists());
    let bad = home
        .exhale(&["checkin", "--at", "25:99"])
        .output()
        .expect("run");
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("is not a time of day"), "{err}");
}

#[test]
fn the_full_screen_check_in_asks_the_measures_and_saves() {
    let home = Home::new();
    home.write_config(MEASURES);
    let mut t = Pty::spawn(home.exhale(&["checkin"]));
    t.wait_for("How are you feeling?", WAIT);
    t.send("5\r");
    t.wait_for("Distress, 0 (none) to 100", WAIT);
    t.send("40\r");
    t.wait_for("What did you notice?", WAIT);
    t.send("a walk helped\r");
    t.wait_for("Saved to your journal.", WAIT);
    assert_eq!(t.exit_code(WAIT), 0);
    let d = diaries(&home);
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].checkin.score, Some(5));
    assert_eq!(
        d[0].checkin.measures.get("distress"),
        Some(&Value::Number(40))
    );
    assert_eq!(d[0].note.as_deref(), Some("a walk helped"));
}
