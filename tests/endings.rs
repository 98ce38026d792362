//! What survives each way exhale can end, through the real binary on a
//! pseudo-terminal (see `pty/mod.rs`): the entry in the journal, the
//! terminal's modes, the exit code. Quit, Ctrl-C, every signal that can
//! be caught, the window closed with and without a SIGHUP reaching
//! exhale, a journal that cannot be written, output sent to a file.
//!
//! The rule: a signal (Ctrl-C is SIGINT) ends exhale at once, recording
//! the session with every answer given so far, giving the terminal back,
//! and exiting with 128 + the signal's number; Ctrl-C records the session
//! as stopped, the others as interrupted. A closed window counts as
//! SIGHUP whether or not the signal arrives.

mod pty;

use std::process::Command;

use pty::{EXE, Pty, Setup, WAIT, keys};
use serde_json::Value;

/// A 4-second session, no settle-in, no cautions.
const SHORT: &str = "name = \"Short test\"\nsettle = 0\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 2, cue = \"Breathe in\" }, { out = 2 }]\ncycles = 1\n";
/// Long enough to be ended by hand.
const LONG: &str = "name = \"Long test\"\nsettle = 0\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 4, cue = \"Breathe in\" }, { out = 4 }]\ncycles = 30\n";

const SIGHUP: i32 = libc::SIGHUP;
const SIGINT: i32 = libc::SIGINT;
const SIGTERM: i32 = libc::SIGTERM;

/// Every signal exhale handles like SIGTERM.
const SIGNALS: &[(i32, &str)] = &[
    (libc::SIGHUP, "HUP"),
    (libc::SIGINT, "INT"),
    (libc::SIGQUIT, "QUIT"),
    (libc::SIGTERM, "TERM"),
    (libc::SIGUSR1, "USR1"),
    (libc::SIGUSR2, "USR2"),
    (libc::SIGALRM, "ALRM"),
    (libc::SIGVTALRM, "VTALRM"),
    (libc::SIGPROF, "PROF"),
    (libc::SIGXCPU, "XCPU"),
    (libc::SIGXFSZ, "XFSZ"),
    (libc::SIGIO, "IO"),
    (libc::SIGSYS, "SYS"),
    (libc::SIGPWR, "PWR"),
    (libc::SIGSTKFLT, "STKFLT"),
];

/// A home with the test sessions installed (see [`pty::Home`]), and
/// what these tests read back.
struct Home(pty::Home);

impl std::ops::Deref for Home {
    type Target = pty::Home;
    fn deref(&self) -> &pty::Home {
        &self.0
    }
}

impl Home {
    fn new() -> Self {
        let home = pty::Home::new();
        home.add_session("e2e-short", SHORT);
        home.add_session("e2e-long", LONG);
        Self(home)
    }

    /// exhale started by a shell that ignores SIGHUP and leads the
    /// terminal's session, as some launchers do: when the window closes,
    /// the kernel sends SIGHUP to the shell only, and exhale sees the
    /// terminal go without one. The shell writes exhale's exit code to
    /// `exit-code`.
    fn exhale_without_sighup(&self, args: &[&str]) -> Command {
        let mut c = self.command("sh");
        c.arg("-c")
            .arg("trap '' HUP; \"$0\" \"$@\"; echo $? > \"$HOME/exit-code\"")
            .arg(EXE)
            .args(args);
        c
    }

    /// The exit code the shell of [`Home::exhale_without_sighup`] wrote.
    fn exit_code_written(&self) -> i32 {
        let text = std::fs::read_to_string(self.path().join("exit-code")).expect("exit code");
        text.trim().parse().expect("a number")
    }

    fn entries(&self) -> Vec<Value> {
        let text = std::fs::read_to_string(self.journal()).unwrap_or_default();
        text.lines()
            .map(|l| serde_json::from_str(l).expect("a journal line"))
            .collect()
    }

    fn only_entry(&self) -> Value {
        let mut e = self.entries();
        assert_eq!(e.len(), 1, "{e:?}");
        e.remove(0)
    }
}

fn score(e: &Value, which: &str) -> Value {
    e[which].clone()
}

/// Full screen, `exhale run e2e-short`: Esc at the first check-in, the
/// session to its end, `7` Enter at "How are you feeling now?", and part
/// of a note typed.
fn at_the_note(t: &Pty) {
    t.wait_for("How are you feeling?", WAIT);
    t.send(keys::ESC);
    t.wait_for("How are you feeling now?", WAIT);
    t.send("7");
    t.send(keys::ENTER);
    t.wait_for("What did you notice?", WAIT);
    t.send("shoulders dro");
    t.wait_for("shoulders dro", WAIT);
}

fn assert_kept_the_answers(home: &Home) {
    let e = home.only_entry();
    assert_eq!(e["ending"], "completed", "{e}");
    assert_eq!(score(&e, "after"), serde_json::json!({"score": 7}), "{e}");
    assert_eq!(e["note"], "shoulders dro", "{e}");
}

#[test]
fn ctrl_c_at_the_note_keeps_the_answer_and_the_note_typed_so_far() {
    let home = Home::new();
    let mut t = Pty::spawn(home.exhale(&["run", "e2e-short", "--no-sound"]));
    at_the_note(&t);
    t.send(keys::CTRL_C);
    assert_eq!(t.exit_code(WAIT), 130);
    t.assert_restored();
    assert_kept_the_answers(&home);
}

#[test]
fn sigterm_at_the_note_keeps_the_answer_and_the_note_typed_so_far() {
    let home = Home::new();
    let mut t = Pty::spawn(home.exhale(&["run", "e2e-short", "--no-sound"]));
    at_the_note(&t);
    t.signal(SIGTERM);
    assert_eq!(t.exit_code(WAIT), 143);
    t.assert_restored();
    assert_kept_the_answers(&home);
}

#[test]
fn sighup_at_the_note_keeps_the_answer_and_the_note_typed_so_far() {
    let home = Home::new();
    let mut t = Pty::spawn(home.exhale(&["run", "e2e-short", "--no-sound"]));
    at_the_note(&t);
    t.signal(SIGHUP);
    assert_eq!(t.exit_code(WAIT), 129);
    t.assert_restored();
    assert_kept_the_answers(&home);
}

#[test]
fn a_window_closed_at_the_note_without_sighup_keeps_the_answers() {
    let home = Home::new();
    let mut t = Pty::spawn(home.exhale_without_sighup(&["run", "e2e-short", "--no-sound"]));
    at_the_note(&t);
    t.hang_up();
    // The shell exits after exhale has: exhale neither spun nor hung.
    t.wait_exit(WAIT);
    assert_eq!(home.exit_code_written(), 129, "as SIGHUP, and no panic");
    assert_kept_the_answers(&home);
}

#[test]
fn a_window_closed_mid_session_without_sighup_records_it_and_exits() {
    let home = Home::new();
    let mut t = Pty::spawn(home.exhale_without_sighup(&["run", "e2e-long", "--no-sound"]));
    t.wait_for("How are you feeling?", WAIT);
    t.send("3");
    t.send(keys::ENTER);
    t.wait_for("Breathe in", WAIT);
    t.hang_up();
    t.wait_exit(WAIT);
    assert_eq!(home.exit_code_written(), 129, "as SIGHUP, and no panic");
    let e = home.only_entry();
    assert_eq!(e["ending"], "interrupted", "{e}");
    assert_eq!(e["before"], serde_json::json!({"score": 3}), "{e}");
    assert_eq!(
        e["after"],
        serde_json::json!({"skipped": "interrupted"}),
        "{e}"
    );
}

#[test]
fn a_window_closed_on_the_picker_or_the_summary_without_sighup_exits() {
    // The picker: nothing to record; exhale must not spin on end-of-file.
    let home = Home::new();
    let mut t = Pty::spawn(home.exhale_without_sighup(&["--"]));
    t.wait_for("type to filter", WAIT);
    t.hang_up();
    t.wait_exit(WAIT);
    assert_eq!(home.exit_code_written(), 129);
    assert!(home.entries().is_empty());

    // The summary: the entry was written before it showed.
    let home = Home::new();
    let mut t = Pty::spawn(home.exhale_without_sighup(&["run", "e2e-short", "--no-sound"]));
    t.wait_for("How are you feeling?", WAIT);
    t.send(keys::ESC);
    t.wait_for("How are you feeling now?", WAIT);
    t.send(keys::ESC);
    t.wait_for("Time practised", WAIT);
    t.hang_up();
    t.wait_exit(WAIT);
    assert_eq!(home.exit_code_written(), 129);
    assert_eq!(home.only_entry()["ending"], "completed");
}

/// Start `e2e-long` full screen for each signal at once, send it mid
/// session, and check each: the exit code, the terminal, the entry.
fn each_signal_mid_session(signals: &[(i32, &str)]) {
    let runs: Vec<(Home, Pty)> = signals
        .iter()
        .map(|_| {
            let home = Home::new();
            let t = Pty::spawn(home.exhale(&["run", "e2e-long", "--no-sound"]));
            (home, t)
        })
        .collect();
    for (_, t) in &runs {
        t.wait_for("How are you feeling?", WAIT);
        t.send(keys::ESC);
    }
    for ((_, t), (sig, _)) in runs.iter().zip(signals) {
        t.wait_for("Breathe in", WAIT);
        t.signal(*sig);
    }
    for ((home, mut t), (sig, name)) in runs.into_iter().zip(signals) {
        assert_eq!(t.exit_code(WAIT), 128 + sig, "SIG{name}");
        t.assert_restored();
        let e = home.only_entry();
        let ending = if *sig == SIGINT {
            "stopped"
        } else {
            "interrupted"
        };
        assert_eq!(e["ending"], ending, "SIG{name}: {e}");
        assert_eq!(
            e["after"],
            serde_json::json!({"skipped": "interrupted"}),
            "SIG{name}"
        );
    }
}

#[test]
fn hup_int_quit_term_usr1_mid_session_record_restore_and_exit_128_plus_n() {
    each_signal_mid_session(&SIGNALS[..5]);
}

#[test]
fn every_other_ending_signal_mid_session_records_restores_and_exits_128_plus_n() {
    each_signal_mid_session(&SIGNALS[5..]);
}

#[test]
fn ctrl_c_mid_session_stops_records_and_exits_130() {
    let home = Home::new();
    let mut t = Pty::spawn(home.exhale(&["run", "e2e-long", "--no-sound"]));
    t.wait_for("How are you feeling?", WAIT);
    t.send(keys::ESC);
    t.wait_for("Breathe in", WAIT);
    t.send(keys::CTRL_C);
    assert_eq!(t.exit_code(WAIT), 130);
    t.assert_restored();
    let e = home.only_entry();
    assert_eq!(e["ending"], "stopped", "{e}");
    assert_eq!(
        e["after"],
        serde_json::json!({"skipped": "interrupted"}),
        "{e}"
    );
}

#[test]
fn quitting_from_the_picker_exits_0_and_a_signal_there_exits_128_plus_n() {
    let home = Home::new();
    let mut t = Pty::spawn(home.exhale(&[]));
    t.wait_for("type to filter", WAIT);
    t.send(keys::ESC);
    assert_eq!(t.exit_code(WAIT), 0);
    t.assert_restored();
    for (sig, name) in [(libc::SIGQUIT, "QUIT"), (libc::SIGUSR1, "USR1")] {
        let mut t = Pty::spawn(home.exhale(&[]));
        t.wait_for("type to filter", WAIT);
        t.signal(sig);
        assert_eq!(t.exit_code(WAIT), 128 + sig, "SIG{name}");
        t.assert_restored();
    }
    assert!(
        home.entries().is_empty(),
        "nothing practised, nothing recorded"
    );
}

#[test]
fn a_journal_that_cannot_be_written_exits_3_after_the_summary_says_so() {
    let home = Home::new();
    // A regular file where the data folder should be: no folder can be
    // made under it, not even by root.
    std::fs::write(home.path().join("data"), "").expect("write");
    let mut t = Pty::spawn(home.exhale(&["run", "e2e-short", "--no-sound"]));
    t.wait_for("How are you feeling?", WAIT);
    t.send(keys::ESC);
    t.wait_for("How are you feeling now?", WAIT);
    t.send(keys::ESC);
    let s = t.wait_for("This session could not be saved to your journal", WAIT);
    assert!(s.contains("Time practised"), "{s}");
    // The summary ignores keys for its first moment: press until it goes.
    assert_eq!(
        t.press_until_exit(keys::ENTER),
        3,
        "the session ran but was not saved"
    );
    t.assert_restored();
    let s = t.screen();
    assert!(
        s.contains("error: a session could not be saved to the journal"),
        "said again on the main screen:\n{s}"
    );
}

// Plain mode on a terminal.

/// `exhale run e2e-long --plain` past the first question to the session.
fn plain_in_session(home: &Home) -> Pty {
    let t = Pty::spawn(home.exhale(&["run", "e2e-long", "--plain", "--no-sound"]));
    t.wait_for("How are you feeling?", WAIT);
    t.send(keys::ENTER);
    t.wait_for("inhale", WAIT);
    t
}

#[test]
fn plain_every_ending_signal_records_and_exits_128_plus_n() {
    let runs: Vec<(Home, Pty)> = SIGNALS
        .iter()
        .map(|_| {
            let home = Home::new();
            let t = Pty::spawn(home.exhale(&["run", "e2e-long", "--plain", "--no-sound"]));
            (home, t)
        })
        .collect();
    for (_, t) in &runs {
        t.wait_for("How are you feeling?", WAIT);
        t.send(keys::ENTER);
    }
    for ((_, t), (sig, _)) in runs.iter().zip(SIGNALS) {
        t.wait_for("inhale", WAIT);
        t.signal(*sig);
    }
    for ((home, mut t), (sig, name)) in runs.into_iter().zip(SIGNALS) {
        assert_eq!(t.exit_code(WAIT), 128 + sig, "SIG{name}: {}", t.screen());
        let e = home.only_entry();
        let ending = if *sig == SIGINT {
            "stopped"
        } else {
            "interrupted"
        };
        assert_eq!(e["ending"], ending, "SIG{name}: {e}");
        assert!(
            !t.screen().contains("How are you feeling now?"),
            "SIG{name}: not asked"
        );
    }
}

#[test]
fn plain_ctrl_c_mid_session_is_sigint_stopped_and_130() {
    let home = Home::new();
    let mut t = plain_in_session(&home);
    t.send(keys::CTRL_C);
    assert_eq!(t.exit_code(WAIT), 130);
    t.assert_restored();
    assert_eq!(home.only_entry()["ending"], "stopped");
}

#[test]
fn plain_q_stops_the_session_asks_how_it_went_and_exits_0() {
    let home = Home::new();
    let mut t = plain_in_session(&home);
    t.send("q");
    t.send(keys::ENTER);
    t.wait_for("How are you feeling now?", WAIT);
    t.send("6");
    t.send(keys::ENTER);
    t.wait_for("What did you notice?", WAIT);
    t.send(keys::ENTER);
    assert_eq!(t.exit_code(WAIT), 0);
    let e = home.only_entry();
    assert_eq!(e["ending"], "stopped", "{e}");
    assert_eq!(e["after"], serde_json::json!({"score": 6}), "{e}");
}

#[test]
fn plain_a_signal_at_the_note_keeps_the_answer() {
    for (sig, code) in [(None, 130), (Some(SIGTERM), 143), (Some(SIGHUP), 129)] {
        let home = Home::new();
        let mut cmd = home.exhale(&["run", "e2e-short", "--plain", "--no-sound"]);
        // The session itself at once: what matters is after it.
        cmd.env("EXHALE_TEST_CLOCK", "manual");
        let mut t = Pty::spawn(cmd);
        t.wait_for("How are you feeling?", WAIT);
        t.send(keys::ENTER);
        t.wait_for("How are you feeling now?", WAIT);
        t.send("7");
        t.send(keys::ENTER);
        t.wait_for("What did you notice?", WAIT);
        match sig {
            None => t.send(keys::CTRL_C),
            Some(s) => t.signal(s),
        }
        assert_eq!(t.exit_code(WAIT), code, "{sig:?}");
        let e = home.only_entry();
        assert_eq!(e["after"], serde_json::json!({"score": 7}), "{sig:?}: {e}");
        assert_eq!(e["ending"], "completed", "{e}");
    }
}

#[test]
fn plain_a_window_closed_without_sighup_records_and_exits() {
    let home = Home::new();
    let mut t =
        Pty::spawn(home.exhale_without_sighup(&["run", "e2e-long", "--plain", "--no-sound"]));
    t.wait_for("How are you feeling?", WAIT);
    t.send("2");
    t.send(keys::ENTER);
    t.wait_for("inhale", WAIT);
    t.hang_up();
    t.wait_exit(WAIT);
    assert_eq!(home.exit_code_written(), 129);
    let e = home.only_entry();
    assert_eq!(e["ending"], "interrupted", "{e}");
    assert_eq!(e["before"], serde_json::json!({"score": 2}), "{e}");
}

#[test]
fn output_to_a_file_asks_on_the_terminal_and_keeps_the_file_to_the_session() {
    let home = Home::new();
    let log = home.path().join("out.txt");
    let file = std::fs::File::create(&log).expect("create");
    let mut cmd = home.exhale(&["run", "e2e-short", "--no-sound"]);
    // The session itself at once: what matters is where each line goes.
    cmd.env("EXHALE_TEST_CLOCK", "manual");
    let mut t = Pty::spawn_with(
        cmd,
        Setup {
            stdout: Some(file),
            ..Setup::default()
        },
    );
    // Not drawn full screen (the output is not a terminal): the plain
    // questions, on the terminal.
    t.wait_for("How are you feeling?", WAIT);
    t.send("4");
    t.send(keys::ENTER);
    t.wait_for("How are you feeling now?", WAIT);
    t.send("8 lighter");
    t.send(keys::ENTER);
    t.wait_for("What did you notice?", WAIT);
    t.send("warm hands");
    t.send(keys::ENTER);
    assert_eq!(t.exit_code(WAIT), 0);
    assert!(t.screen().contains("saved to journal"), "{}", t.screen());
    let text = std::fs::read_to_string(&log).expect("log");
    assert!(text.contains("start  Short test"), "{text}");
    assert!(text.contains("inhale"), "{text}");
    assert!(text.contains("saved to journal"), "{text}");
    assert!(
        !text.contains("How are you feeling"),
        "no question in the file:\n{text}"
    );
    assert!(!text.contains("What did you notice"), "{text}");
    let e = home.only_entry();
    assert_eq!(e["before"], serde_json::json!({"score": 4}), "{e}");
    assert_eq!(
        e["after"],
        serde_json::json!({"score": 8, "words": "lighter"}),
        "{e}"
    );
    assert_eq!(e["note"], "warm hands", "{e}");
}

#[test]
fn plain_a_signal_at_the_first_question_records_nothing() {
    let home = Home::new();
    let mut t = Pty::spawn(home.exhale(&["run", "e2e-long", "--plain", "--no-sound"]));
    t.wait_for("How are you feeling?", WAIT);
    t.signal(SIGTERM);
    assert_eq!(t.exit_code(WAIT), 143);
    assert!(t.screen().contains("cancelled"), "{}", t.screen());
    assert!(home.entries().is_empty(), "nothing was practised");
}

#[test]
fn sigpipe_is_ignored_and_the_session_goes_on() {
    let home = Home::new();
    let mut t = Pty::spawn(home.exhale(&["run", "e2e-long", "--no-sound"]));
    t.wait_for("How are you feeling?", WAIT);
    t.send(keys::ESC);
    t.wait_for("Breathe in", WAIT);
    t.signal(libc::SIGPIPE);
    // Still running: a key is still answered.
    t.send("?");
    t.wait_for("Keys", WAIT);
    t.signal(SIGTERM);
    assert_eq!(t.exit_code(WAIT), 143);
    assert_eq!(home.only_entry()["ending"], "interrupted");
}

#[test]
fn help_gives_every_exit_code() {
    let home = Home::new();
    for args in [&["--help"][..], &["run", "--help"]] {
        let out = home.exhale(args).output().expect("runs");
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{args:?}");
        for needle in [
            "1 invalid input",
            "2 bad usage",
            "3 the session ran but could not be saved",
            "128+n",
        ] {
            assert!(text.contains(needle), "{args:?} lacks {needle:?}:\n{text}");
        }
    }
}
