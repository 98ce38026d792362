//! End-to-end tests of the real binary on a pseudo-terminal of fixed size
//! (the harness in `pty/mod.rs`): pick a session by typing, watch the
//! phases change, pause, resume, skip and stop; follow resizes; and after
//! quitting, a signal, a closed window or a panic, check the terminal is
//! back to normal (line editing, echo, cursor shown, main screen).
//!
//! Each test has its own XDG folders. What each signal leaves in the
//! journal is checked one by one in `endings.rs`; what the sound keys do
//! to what is heard, through a capture device, in `audio_capture.rs`.

mod pty;

use pty::{EXE, Home, Pty, WAIT, keys};

/// Short sessions so the tests take seconds.
const PAUSE_SKIP: &str = "name = \"Quick test\"\nsettle = 0\ntags = [\"e2etest\"]\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 1 }, { hold = 9 }, { out = 9 }]\ncycles = 2\n";
const SHORT: &str = "name = \"Short test\"\nsettle = 0\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 2 }, { out = 2 }]\ncycles = 5\n";

/// A home with the two test sessions installed.
fn home() -> Home {
    let home = Home::new();
    home.add_session("quick", PAUSE_SKIP);
    home.add_session("short", SHORT);
    home
}

/// Wait for the check-in before the session and skip it with Esc.
fn skip_checkin(t: &Pty) {
    t.wait_for("How are you feeling?", WAIT);
    t.send(keys::ESC);
}

#[test]
fn pick_by_typing_then_pause_resume_skip_and_stop() {
    let home = home();
    // Silent, so a late "no audio device" notice cannot cover the stats
    // line read below.
    home.write_config("[sound]\nenabled = false\n");
    let mut t = Pty::spawn(home.exhale(&[]));
    t.wait_for("type to filter", WAIT);
    t.send("quick");
    t.wait_for("filter: quick", WAIT);
    t.send(keys::ENTER);
    skip_checkin(&t);
    t.wait_for("Breathe in", WAIT);
    // The phases change on their own.
    t.wait_for("■  Hold", WAIT);
    t.send(" ");
    t.wait_for("⏸ paused", WAIT);
    t.send(" ");
    t.wait_until(
        |s| !s.contains("⏸ paused") && s.contains("■  Hold"),
        "resumed",
        WAIT,
    );
    // Skip: the 9 s hold gives way to the exhale at once.
    t.send("n");
    t.wait_for("▼  Breathe out", WAIT);
    // Stop asks first.
    t.send("q");
    t.wait_for("Stop here?", WAIT);
    t.send(keys::ENTER);
    // Asked how it went, then the summary.
    t.wait_for("How are you feeling now?", WAIT);
    t.send("6");
    t.send(keys::ENTER);
    t.wait_for("What did you notice?", WAIT);
    t.send(keys::ENTER);
    let s = t.wait_for("Saved to your journal", WAIT);
    assert!(s.contains("Time practised"), "{s}");
    assert!(s.contains("Session stopped"), "{s}");
    // A key goes back to the picker, the filter cleared; Tab shows the
    // practice so far. (Space, which the picker does not take: a second
    // Enter pressed as the picker appears would start a session.)
    t.press_until(" ", "type to filter");
    t.send(keys::TAB);
    // Wait for the whole frame: a screen is read as it is being drawn.
    let s = t.wait_for("Check-ins:", WAIT);
    assert!(s.contains("Your practice"), "{s}");
    assert!(s.contains("Practised on 1 of the last 30 days"), "{s}");
    assert!(s.contains("Check-ins: none yet"), "{s}");
    t.send(keys::ESC);
    // The picker's whole frame, not its old footer under a stats frame
    // still being drawn.
    t.wait_until(
        |s| s.contains("type to filter") && !s.contains("Your practice"),
        "the picker again",
        WAIT,
    );
    // With no filter, Esc quits.
    t.send(keys::ESC);
    assert_eq!(t.exit_code(WAIT), 0);
    t.assert_restored();
    // One entry: stopped, the check-in before skipped, 6 after.
    let text = home.journal_text();
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.contains("\"session\":\"quick\""), "{text}");
    assert!(text.contains("\"ending\":\"stopped\""), "{text}");
    assert!(
        text.contains("\"before\":{\"skipped\":\"skipped\"}"),
        "{text}"
    );
    assert!(text.contains("\"after\":{\"score\":6}"), "{text}");
}

#[test]
fn run_to_the_end_then_close() {
    let home = home();
    let mut t = Pty::spawn(home.exhale(&["run", "short", "--cycles", "1"]));
    skip_checkin(&t);
    t.wait_for("Breathe in", WAIT);
    // The closing moment, then any key goes on to the check-in.
    t.wait_for("Take a moment.", WAIT);
    t.press_until("x", "How are you feeling now?");
    t.send(keys::ESC);
    t.wait_for("Time practised", WAIT);
    assert_eq!(t.press_until_exit(keys::ENTER), 0);
    t.assert_restored();
}

#[test]
fn sigterm_and_sighup_restore_the_terminal() {
    for (sig, code) in [(libc::SIGTERM, 143), (libc::SIGHUP, 129)] {
        let home = home();
        let mut t = Pty::spawn(home.exhale(&["run", "quick"]));
        skip_checkin(&t);
        t.wait_for("Breathe in", WAIT);
        t.signal(sig);
        assert_eq!(t.exit_code(WAIT), code, "128 + {sig}");
        t.assert_restored();
        // The session was written before exhale exited, without asking.
        let text = home.journal_text();
        assert_eq!(text.lines().count(), 1, "{text}");
        assert!(text.contains("\"ending\":\"interrupted\""), "{text}");
        assert!(
            text.contains("\"after\":{\"skipped\":\"interrupted\"}"),
            "{text}"
        );
    }
}

#[test]
fn no_journal_asks_nothing_and_records_nothing() {
    let home = home();
    let mut t = Pty::spawn(home.exhale(&["run", "short", "--cycles", "1", "--no-journal"]));
    let s = t.wait_for("Breathe in", WAIT);
    assert!(!s.contains("How are you feeling"), "{s}");
    let s = t.wait_for("Time practised", WAIT);
    assert!(!s.contains("journal"), "{s}");
    assert_eq!(t.press_until_exit(keys::ENTER), 0);
    assert!(!home.journal().exists());
}

#[test]
fn a_panic_restores_the_terminal_is_reported_and_keeps_the_session() {
    let home = home();
    let mut cmd = home.exhale(&["run", "short"]);
    cmd.env("EXHALE_TEST_PANIC", "1");
    let mut t = Pty::spawn(cmd);
    skip_checkin(&t);
    assert_eq!(t.exit_code(WAIT), 101);
    let s = t.screen();
    assert!(
        s.contains("test panic"),
        "the panic message is readable:\n{s}"
    );
    t.assert_restored();
    let text = home.journal_text();
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(text.contains("\"ending\":\"interrupted\""), "{text}");
}

#[test]
fn an_invalid_config_is_an_error_before_the_screen_opens() {
    let home = home();
    home.write_config("theme = \"mnoo\"\n");
    let mut t = Pty::spawn(home.exhale(&["run", "short"]));
    assert_eq!(t.exit_code(WAIT), 1);
    let s = t.screen();
    assert!(s.contains("config.toml:1:9"), "{s}");
    assert!(s.contains("did you mean \"mono\"?"), "{s}");
}

#[test]
fn follows_resizes_and_says_when_the_window_is_too_small() {
    let home = home();
    let mut t = Pty::spawn(home.exhale(&["run", "quick"]));
    skip_checkin(&t);
    t.wait_for("Breathe in", WAIT);
    t.resize(30, 10);
    // Nobody can see the session, so it waits.
    t.wait_for("Paused: make the window", WAIT);
    t.resize(80, 24);
    t.wait_until(
        |s| s.contains("next:") && !s.contains("make the window") && !s.contains("paused"),
        "the session again, running",
        WAIT,
    );
    t.send("q");
    t.wait_for("Stop here?", WAIT);
    t.send(keys::ENTER);
    t.wait_for("How are you feeling now?", WAIT);
    t.send(keys::ESC);
    t.wait_for("Time practised", WAIT);
    assert_eq!(t.press_until_exit(keys::ENTER), 0);
}

/// Whether the terminal output has an SGR sequence that sets a
/// foreground or background colour.
fn has_colour(output: &str) -> bool {
    output.split("\x1b[").skip(1).any(|seq| {
        let Some(end) = seq.find('m') else {
            return false;
        };
        let params = &seq[..end];
        params.len() < 40
            && params.chars().all(|c| c.is_ascii_digit() || c == ';')
            && params.split(';').any(|p| {
                p.parse::<u32>()
                    .is_ok_and(|n| matches!(n, 30..=38 | 40..=48 | 90..=97 | 100..=107))
            })
    })
}

#[test]
fn no_color_draws_without_colour() {
    for (no_color, expect_colour) in [("", true), ("1", false)] {
        let home = home();
        let mut cmd = home.exhale(&["run", "quick"]);
        cmd.env("NO_COLOR", no_color);
        let t = Pty::spawn(cmd);
        skip_checkin(&t);
        t.wait_for("Breathe in", WAIT);
        let out = String::from_utf8_lossy(&t.raw()).into_owned();
        assert_eq!(
            has_colour(&out),
            expect_colour,
            "NO_COLOR={no_color:?}:\n{out:?}"
        );
    }
}

#[test]
fn text_typed_right_after_quitting_reaches_the_shell() {
    let home = home();
    let mut cmd = home.command("sh");
    cmd.arg("-c")
        .arg("\"$0\"; echo EXIT=$?; read line; echo \"GOT<$line>\"")
        .arg(EXE);
    let mut t = Pty::spawn(cmd);
    t.wait_for("type to filter", WAIT);
    t.send(keys::ESC);
    t.wait_for("EXIT=0", WAIT);
    t.send("TYPED-AFTER");
    t.send(keys::ENTER);
    t.wait_for("GOT<TYPED-AFTER>", WAIT);
    t.wait_exit(WAIT);
}

#[test]
fn closing_the_window_ends_the_program() {
    let home = home();
    let mut t = Pty::spawn(home.exhale(&["run", "quick", "--no-journal", "--no-sound"]));
    t.wait_for("Breathe", WAIT);
    // exhale leads the terminal's session: closing the window sends it
    // SIGHUP.
    t.hang_up();
    assert_eq!(t.exit_code(WAIT), 129);
}
