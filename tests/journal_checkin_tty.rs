//! The plain-mode check-ins on a real terminal: `exhale run --plain` on a
//! pseudo-terminal (the harness in `pty/mod.rs`), answering the questions
//! as a person would, then reading the entry back.

mod pty;

use exhale::engine::player::Ending;
use exhale::journal::store::parse;
use exhale::journal::{Checkin, SkipReason};
use pty::{Home, Pty, WAIT, keys};

/// `exhale run --plain` of a 2-second session on a pseudo-terminal.
fn start(home: &Home) -> Pty {
    let session = home.add_session(
        "short",
        "name = \"Short\"\nsettle = 0\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 1 }, { out = 1 }]\ncycles = 1\n",
    );
    let mut cmd = home.exhale(&["run"]);
    cmd.arg(&session)
        .args(["--plain", "--no-sound"])
        .env("TERM", "xterm")
        // The session between the questions runs at once: what is tested
        // is the asking and the entry.
        .env("EXHALE_TEST_CLOCK", "manual");
    Pty::spawn(cmd)
}

fn only_entry(home: &Home) -> exhale::journal::Entry {
    let bytes = std::fs::read(home.journal()).expect("journal");
    let mut loaded = parse(&bytes);
    assert_eq!(loaded.entries.len(), 1);
    loaded.entries.remove(0)
}

#[test]
fn check_ins_before_and_after_with_a_note() {
    let home = Home::new();
    let mut t = start(&home);
    t.wait_for(
        "How are you feeling? 0 = very unsettled, 10 = calm and at ease.",
        WAIT,
    );
    t.send("11\r");
    t.wait_for("Type a number from 0 to 10", WAIT);
    t.send("4 tense\r");
    t.wait_for("How are you feeling now?", WAIT);
    t.send("7\r");
    t.wait_for("What did you notice?", WAIT);
    t.send("slower breath\r");
    t.wait_for("saved to journal", WAIT);
    assert_eq!(t.exit_code(WAIT), 0);

    let e = only_entry(&home);
    assert_eq!(e.ending, Ending::Completed);
    assert_eq!(e.before, Checkin::answered(4, Some("tense".into())));
    assert_eq!(e.after, Checkin::answered(7, None));
    assert_eq!(e.note.as_deref(), Some("slower breath"));
}

#[test]
fn enter_alone_skips_each_check_in() {
    let home = Home::new();
    let mut t = start(&home);
    t.wait_for("How are you feeling?", WAIT);
    t.send(keys::ENTER);
    t.wait_for("How are you feeling now?", WAIT);
    t.send(keys::ENTER);
    t.wait_for("saved to journal", WAIT);
    assert_eq!(t.exit_code(WAIT), 0);
    assert!(!t.screen().contains("What did you notice?"));

    let e = only_entry(&home);
    assert_eq!(e.before, Checkin::skipped(SkipReason::Skipped));
    assert_eq!(e.after, Checkin::skipped(SkipReason::Skipped));
    assert_eq!(e.note, None);
}

#[test]
fn closing_the_input_skips_the_check_ins_and_still_records() {
    let home = Home::new();
    let mut t = start(&home);
    t.wait_for("How are you feeling?", WAIT);
    // Ctrl-D: end of input, not a closed terminal.
    t.send(keys::CTRL_D);
    t.wait_for("saved to journal", WAIT);
    assert_eq!(t.exit_code(WAIT), 0);
    let e = only_entry(&home);
    assert_eq!(e.ending, Ending::Completed);
    assert_eq!(e.before, Checkin::skipped(SkipReason::Skipped));
    assert_eq!(e.after, Checkin::skipped(SkipReason::Skipped));
}
