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

/// Today's journal day (days start at 4 a.m.).
fn journal_today() -> chrono::NaiveDate {
    exhale::journal::day::journal_day(chrono::Local::now().fixed_offset(), 4)
}

#[test]
fn a_plan_s_measures_and_what_got_in_the_way_are_asked_and_kept() {
    use exhale::journal::measure::Value;
    let home = Home::new();
    // A daily plan that began three days ago, with nothing practised.
    let from = journal_today() - chrono::Days::new(3);
    std::fs::write(
        home.path().join("config/exhale/plan.toml"),
        format!(
            "title = \"Daily\"\nfrom = {from}\n\n[[practice]]\nsession = \"short\"\ndays = \"daily\"\n\n\
             [[measure]]\nname = \"distress\"\nscale = \"suds\"\n\n\
             [[measure]]\nname = \"used it when anxious\"\nscale = \"yes-no\"\nask = \"after\"\n"
        ),
    )
    .expect("plan");
    let mut t = start(&home);
    t.wait_for("How are you feeling?", WAIT);
    t.send("5\r");
    t.wait_for("Distress, 0 (none) to 100", WAIT);
    t.send("80\r");
    t.wait_for("What got in the way?", WAIT);
    t.send("something else came up\r");
    t.wait_for("How are you feeling now?", WAIT);
    t.send("6\r");
    t.wait_until(
        |s| s.matches("Distress, 0 (none) to 100").count() == 2,
        "distress asked again after",
        WAIT,
    );
    t.send("45\r");
    t.wait_for("Used it when anxious? y or n", WAIT);
    t.send("maybe\r");
    t.wait_for("Type y or n", WAIT);
    t.send("y\r");
    t.wait_for("What did you notice?", WAIT);
    t.send("\r");
    t.wait_for("saved to journal", WAIT);
    assert_eq!(t.exit_code(WAIT), 0);

    let e = only_entry(&home);
    assert_eq!(e.before.measures.get("distress"), Some(&Value::Number(80)));
    assert_eq!(e.after.measures.get("distress"), Some(&Value::Number(45)));
    assert_eq!(
        e.after.measures.get("used it when anxious"),
        Some(&Value::Yes(true))
    );
    let w = e.in_the_way.expect("asked");
    assert_eq!(w.answer.as_deref(), Some("something else came up"));
    assert_eq!(
        w.days,
        vec![
            from,
            from + chrono::Days::new(1),
            from + chrono::Days::new(2)
        ]
    );
    assert!(e.written.is_some());
}
