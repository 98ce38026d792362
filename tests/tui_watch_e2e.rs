//! End-to-end test of the live preview (`exhale run FILE --watch`) with the
//! real binary in a tmux pane: break the file and see its error with line
//! and column, fix it and see the session again, delete it and see the
//! waiting message, restore it and see the session again, then stop and
//! check the terminal is back to normal. Plus the usage errors, run
//! without a terminal.
//!
//! The tmux server uses a private socket in the test's temp dir and its own
//! XDG folders; the screen is polled with a deadline; the server is killed
//! when the test ends, even on failure.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const EXE: &str = env!("CARGO_BIN_EXE_exhale");

const GOOD: &str = "name = \"Watched\"\nsettle = 0\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 3 }, { out = 3 }]\ncycles = 5\n";
/// GOOD with `cycles = 0`: line 6, column 10.
const BROKEN: &str = "name = \"Watched\"\nsettle = 0\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 3 }, { out = 3 }]\ncycles = 0\n";
const FIXED: &str = "name = \"Watched again\"\nsettle = 0\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 3 }, { out = 3 }]\ncycles = 4\n";

struct Tmux {
    socket: String,
    dir: tempfile::TempDir,
}

impl Tmux {
    /// A shell in an 80x24 pane, with exhale's folders in a temp dir.
    fn start() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let socket = dir.path().join("tmux.sock").display().to_string();
        let t = Self { socket, dir };
        let dirp = t.dir.path();
        let status = Command::new("tmux")
            .args(["-S", &t.socket, "-f", "/dev/null", "new-session", "-d"])
            .args(["-x", "80", "-y", "24", "sh"])
            .env("XDG_CONFIG_HOME", dirp.join("config"))
            .env("XDG_DATA_HOME", dirp.join("data"))
            .env("EXHALE", EXE)
            .env("WORK", dirp)
            .env_remove("NO_COLOR")
            .env_remove("TMUX")
            .status()
            .expect("tmux must be installed for the end-to-end tests");
        assert!(status.success(), "tmux did not start");
        t.wait_until(|s| !s.trim().is_empty(), "a prompt", secs(5));
        t
    }

    fn file(&self) -> PathBuf {
        self.dir.path().join("watched.toml")
    }

    fn tmux(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .args(["-S", &self.socket])
            .args(args)
            .output()
            .expect("tmux runs")
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "0"];
        args.extend_from_slice(keys);
        self.tmux(&args);
    }

    fn shell(&self, line: &str) {
        self.tmux(&["send-keys", "-t", "0", "-l", line]);
        self.keys(&["Enter"]);
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-t", "0"]).stdout).into_owned()
    }

    fn wait_for(&self, needle: &str, within: Duration) -> String {
        self.wait_until(|s| s.contains(needle), needle, within)
    }

    fn wait_until(&self, ok: impl Fn(&str) -> bool, what: &str, within: Duration) -> String {
        let deadline = Instant::now() + within;
        loop {
            let s = self.screen();
            if ok(&s) {
                return s;
            }
            assert!(
                Instant::now() < deadline,
                "waited {within:?} for {what:?}; the screen was:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Press `key` every 300 ms until the screen shows `needle`.
    fn press_until(&self, key: &str, needle: &str, within: Duration) -> String {
        let deadline = Instant::now() + within;
        loop {
            self.keys(&[key]);
            let next = Instant::now() + Duration::from_millis(300);
            while Instant::now() < next {
                let s = self.screen();
                if s.contains(needle) {
                    return s;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            assert!(
                Instant::now() < deadline,
                "pressed {key} for {within:?} waiting for {needle:?}; the screen was:\n{}",
                self.screen()
            );
        }
    }

    fn display(&self, format: &str) -> String {
        String::from_utf8_lossy(&self.tmux(&["display", "-p", "-t", "0", format]).stdout)
            .trim()
            .to_owned()
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}

fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

/// Save as editors that write a new file and rename it over the old one.
fn save(file: &Path, src: &str) {
    let tmp = file.with_extension("toml.swp");
    std::fs::write(&tmp, src).expect("write");
    std::fs::rename(&tmp, file).expect("rename");
}

#[test]
fn break_fix_delete_and_restore_the_watched_file() {
    let t = Tmux::start();
    let file = t.file();
    std::fs::write(&file, GOOD).expect("write");
    t.shell("cd \"$WORK\" && \"$EXHALE\" run watched.toml --watch --no-sound --no-journal; echo EXIT=$?");
    let s = t.wait_for("Breathe in", secs(5));
    assert!(
        s.contains("Watched · Breathing") && s.contains("cycle 1/5"),
        "{s}"
    );

    // Broken: the error in place, with its line and column and the caret.
    save(&file, BROKEN);
    let s = t.wait_for("watched.toml:6:10", secs(5));
    assert!(s.contains("error: `cycles` must be at least 1"), "{s}");
    assert!(s.contains("6 | cycles = 0"), "{s}");
    assert!(s.contains("  |          ^"), "{s}");
    assert!(!s.contains("Breathe"), "the session is gone:\n{s}");

    // Fixed (written in place this time): the session again, from the top.
    std::fs::write(&file, FIXED).expect("write");
    let s = t.wait_for("Watched again · Breathing", secs(5));
    assert!(s.contains("cycle 1/4"), "{s}");
    assert!(!s.contains("error"), "{s}");

    // Deleted: waiting for it.
    std::fs::remove_file(&file).expect("rm");
    t.wait_for(
        "The file was removed; waiting for it to come back.",
        secs(5),
    );

    // Restored: the session again.
    save(&file, GOOD);
    let s = t.wait_for("Watched · Breathing", secs(5));
    assert!(s.contains("cycle 1/5"), "{s}");

    // Stopping works as usual.
    t.keys(&["q"]);
    t.wait_for("Stop here?", secs(3));
    t.keys(&["Enter"]);
    t.wait_for("Session stopped (partial)", secs(3));
    t.press_until("Enter", "EXIT=", secs(3));
    let s = t.wait_for("EXIT=0", secs(3));
    assert!(!s.contains("rror"), "nothing printed over the screen:\n{s}");
    assert_eq!(
        t.display("#{cursor_flag} #{alternate_on}"),
        "1 0",
        "cursor shown, main screen"
    );
}

#[test]
fn one_of_your_own_sessions_is_watched_by_name() {
    let t = Tmux::start();
    let sessions = t.dir.path().join("config/exhale/sessions");
    std::fs::create_dir_all(&sessions).expect("mkdir");
    let file = sessions.join("mine.toml");
    std::fs::write(&file, GOOD).expect("write");
    t.shell("\"$EXHALE\" run mine --watch --no-sound --no-journal; echo EXIT=$?");
    t.wait_for("Watched · Breathing", secs(5));
    save(&file, FIXED);
    let s = t.wait_for("Watched again · Breathing", secs(5));
    assert!(s.contains("reloaded"), "{s}");
    t.keys(&["q"]);
    t.wait_for("Stop here?", secs(3));
    t.keys(&["Enter"]);
    t.wait_for("Session stopped (partial)", secs(3));
    t.press_until("Enter", "EXIT=0", secs(3));
}

#[test]
fn q_on_the_error_screen_quits() {
    let t = Tmux::start();
    std::fs::write(t.file(), BROKEN).expect("write");
    t.shell("cd \"$WORK\" && \"$EXHALE\" run watched.toml --watch --no-sound --no-journal; echo EXIT=$?");
    t.wait_for("watched.toml:6:10", secs(5));
    t.keys(&["q"]);
    t.wait_for("EXIT=0", secs(3));
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
