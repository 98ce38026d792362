//! End-to-end test of the live preview (`exhale run FILE --watch`) with the
//! real binary on a pseudo-terminal (the harness in `pty/mod.rs`): break
//! the file and see its error with line and column, fix it and see the
//! session again, delete it and see the waiting message, restore it and
//! see the session again, then stop and check the terminal is back to
//! normal. Plus the usage errors, run without a terminal.

mod pty;

use std::path::Path;
use std::process::{Command, Output};

use pty::{EXE, Home, Pty, WAIT, keys};

const GOOD: &str = "name = \"Watched\"\nsettle = 0\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 3 }, { out = 3 }]\ncycles = 5\n";
/// GOOD with `cycles = 0`: line 6, column 10.
const BROKEN: &str = "name = \"Watched\"\nsettle = 0\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 3 }, { out = 3 }]\ncycles = 0\n";
const FIXED: &str = "name = \"Watched again\"\nsettle = 0\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 3 }, { out = 3 }]\ncycles = 4\n";

/// Save as editors that write a new file and rename it over the old one.
fn save(file: &Path, src: &str) {
    let tmp = file.with_extension("toml.swp");
    std::fs::write(&tmp, src).expect("write");
    std::fs::rename(&tmp, file).expect("rename");
}

/// `exhale run FILE --watch` on a pseudo-terminal, silent and recording
/// nothing.
fn watch(home: &Home, file: &str) -> Pty {
    Pty::spawn(home.exhale(&["run", file, "--watch", "--no-sound", "--no-journal"]))
}

/// Stop with q and Enter, leave the summary, and check exhale exits 0
/// with the terminal given back and nothing printed over it.
fn stop_and_exit(mut t: Pty) {
    t.send("q");
    t.wait_for("Stop here?", WAIT);
    t.send(keys::ENTER);
    t.wait_for("Session stopped", WAIT);
    assert_eq!(t.press_until_exit(keys::ENTER), 0);
    let s = t.screen();
    assert!(!s.contains("rror"), "nothing printed over the screen:\n{s}");
    t.assert_restored();
}

#[test]
fn break_fix_delete_and_restore_the_watched_file() {
    let home = Home::new();
    let file = home.path().join("watched.toml");
    std::fs::write(&file, GOOD).expect("write");
    // A path relative to the working folder, as typed in a shell.
    let t = watch(&home, "watched.toml");
    let s = t.wait_for("Breathe in", WAIT);
    assert!(
        s.contains("Watched · Breathing") && s.contains("cycle 1/5"),
        "{s}"
    );

    // Broken: the error in place, with its line and column and the caret.
    save(&file, BROKEN);
    let s = t.wait_for("watched.toml:6:10", WAIT);
    assert!(s.contains("error: `cycles` must be at least 1"), "{s}");
    assert!(s.contains("6 | cycles = 0"), "{s}");
    assert!(s.contains("  |          ^"), "{s}");
    assert!(!s.contains("Breathe"), "the session is gone:\n{s}");

    // Fixed (written in place this time): the session again, from the top.
    std::fs::write(&file, FIXED).expect("write");
    let s = t.wait_for("Watched again · Breathing", WAIT);
    assert!(s.contains("cycle 1/4"), "{s}");
    assert!(!s.contains("error"), "{s}");

    // Deleted: waiting for it.
    std::fs::remove_file(&file).expect("rm");
    t.wait_for("The file was removed; waiting for it to come back.", WAIT);

    // Restored: the session again.
    save(&file, GOOD);
    let s = t.wait_for("Watched · Breathing", WAIT);
    assert!(s.contains("cycle 1/5"), "{s}");

    // Stopping works as usual.
    stop_and_exit(t);
}

#[test]
fn one_of_your_own_sessions_is_watched_by_name() {
    let home = Home::new();
    let file = home.add_session("mine", GOOD);
    let t = watch(&home, "mine");
    t.wait_for("Watched · Breathing", WAIT);
    save(&file, FIXED);
    let s = t.wait_for("Watched again · Breathing", WAIT);
    assert!(s.contains("reloaded"), "{s}");
    stop_and_exit(t);
}

#[test]
fn q_on_the_error_screen_quits() {
    let home = Home::new();
    std::fs::write(home.path().join("watched.toml"), BROKEN).expect("write");
    let mut t = watch(&home, "watched.toml");
    t.wait_for("watched.toml:6:10", WAIT);
    t.send("q");
    assert_eq!(t.exit_code(WAIT), 0);
    t.assert_restored();
}

fn exhale(dir: &Path, args: &[&str]) -> Output {
    Command::new(EXE)
        .args(args)
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("XDG_DATA_HOME", dir.join("data"))
        .output()
        .expect("runs")
}

#[test]
fn watch_needs_a_file_and_the_full_screen() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = exhale(dir.path(), &["run", "box", "--watch"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--watch needs a session file, and `box` is built in"),
        "{err}"
    );
    assert!(err.contains("exhale new my-box --from box"), "{err}");

    let file = dir.path().join("mine.toml");
    std::fs::write(&file, GOOD).expect("write");
    let path = file.display().to_string();
    // Not a terminal (as here) or --plain: a usage error.
    let out = exhale(dir.path(), &["run", &path, "--watch", "--plain"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--watch needs the full-screen view"), "{err}");
    assert!(out.stdout.is_empty(), "nothing ran");
}
