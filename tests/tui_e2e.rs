//! End-to-end tests of the real binary in a tmux pane of fixed size: pick
//! a session by typing, watch the phases change, pause, resume, skip and
//! stop; and after a signal or a panic, check the terminal is back to
//! normal (cooked mode, echo, cursor shown, main screen).
//!
//! Each test uses its own tmux server (a private socket in its temp dir) and its own
//! XDG folders, polls the screen with a deadline, and kills the server
//! when it ends, even on failure.

use std::process::{Command, Output};
use std::time::{Duration, Instant};

const EXE: &str = env!("CARGO_BIN_EXE_exhale");

/// Short sessions so the tests take seconds.
const PAUSE_SKIP: &str = "name = \"Quick test\"\nsettle = 0\ntags = [\"e2etest\"]\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 1 }, { hold = 9 }, { out = 9 }]\ncycles = 2\n";
const SHORT: &str = "name = \"Short test\"\nsettle = 0\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 2 }, { out = 2 }]\ncycles = 5\n";

struct Tmux {
    socket: String,
    dir: tempfile::TempDir,
}

impl Tmux {
    /// A shell in an 80x24 pane, with exhale's folders in a temp dir and
    /// the test sessions installed.
    fn start() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        // The server's socket lives in the test's own folder, so it is
        // private and goes away with the folder.
        let socket = dir.path().join("tmux.sock").display().to_string();
        let sessions = dir.path().join("config/exhale/sessions");
        std::fs::create_dir_all(&sessions).expect("mkdir");
        std::fs::write(sessions.join("quick.toml"), PAUSE_SKIP).expect("write");
        std::fs::write(sessions.join("short.toml"), SHORT).expect("write");
        let t = Self { socket, dir };
        let dirp = t.dir.path();
        let status = Command::new("tmux")
            .args(["-S", &t.socket, "-f", "/dev/null", "new-session", "-d"])
            .args(["-x", "80", "-y", "24", "sh"])
            .env("XDG_CONFIG_HOME", dirp.join("config"))
            .env("XDG_DATA_HOME", dirp.join("data"))
            .env("EXHALE", EXE)
            .env_remove("NO_COLOR")
            .env_remove("RUST_BACKTRACE")
            .env_remove("TMUX")
            .status()
            .expect("tmux must be installed for the end-to-end tests");
        assert!(status.success(), "tmux did not start");
        // The shell's prompt ($ or #) shows it is ready.
        t.wait_until(|s| !s.trim().is_empty(), "a prompt", Duration::from_secs(5));
        t
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

    /// Type a shell command line and press Enter.
    fn shell(&self, line: &str) {
        self.tmux(&["send-keys", "-t", "0", "-l", line]);
        self.keys(&["Enter"]);
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-t", "0"]).stdout).into_owned()
    }

    /// Poll the screen until it contains `needle`, or fail with the screen.
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

    /// Press `key` every 300 ms until the screen shows `needle` (the
    /// summary ignores keys for its first moment).
    fn press_until(&self, key: &str, needle: &str, within: Duration) -> String {
        let deadline = Instant::now() + within;
        loop {
            self.keys(&[key]);
            let s = self.screen();
            if s.contains(needle) {
                return s;
            }
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
                "pressed {key} for {within:?} waiting for {needle:?}; the screen was:\n{s}"
            );
        }
    }

    /// Wait for the check-in before the session and skip it with Esc.
    fn skip_checkin(&self) {
        self.wait_for("How are you feeling?", secs(5));
        self.keys(&["Escape"]);
    }

    fn display(&self, format: &str) -> String {
        String::from_utf8_lossy(&self.tmux(&["display", "-p", "-t", "0", format]).stdout)
            .trim()
            .to_owned()
    }

    /// The terminal is usable again: line editing and echo on, cursor
    /// shown, main screen.
    fn assert_restored(&self) {
        self.shell("clear; f=$(stty -a | tr ' ;' '\\n\\n' | grep -xE -- '-?(icanon|echo)' | tr '\\n' ' '); echo \"MODE<$f>\"");
        let s = self.wait_until(
            |s| s.contains("MODE<i") || s.contains("MODE<-"),
            "the stty line",
            Duration::from_secs(5),
        );
        assert!(
            s.contains("MODE<icanon echo >"),
            "cooked mode with echo:\n{s}"
        );
        assert_eq!(
            self.display("#{cursor_flag} #{alternate_on}"),
            "1 0",
            "cursor shown, main screen"
        );
    }

    /// Wait for the shell to print `EXIT=<code>` and return the code.
    fn exit_code(&self, within: Duration) -> String {
        let s = self.wait_until(
            |s| s.lines().any(|l| l.starts_with("EXIT=")),
            "EXIT=",
            within,
        );
        s.lines()
            .find_map(|l| l.strip_prefix("EXIT="))
            .and_then(|c| c.split_whitespace().next())
            .unwrap_or_default()
            .to_owned()
    }

    /// The pid of the exhale process running in the pane.
    fn app_pid(&self) -> String {
        let shell = self.display("#{pane_pid}");
        let out = Command::new("pgrep")
            .args(["-P", &shell])
            .output()
            .expect("pgrep");
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .next()
            .expect("exhale is running")
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

#[test]
fn pick_by_typing_then_pause_resume_skip_and_stop() {
    let t = Tmux::start();
    t.shell("\"$EXHALE\"; echo EXIT=$?");
    t.wait_for("type to filter", secs(5));
    t.keys(&["-l", "quick"]);
    t.wait_for("filter: quick", secs(5));
    t.keys(&["Enter"]);
    t.skip_checkin();
    t.wait_for("Breathe in", secs(5));
    // The phases change on their own.
    t.wait_for("■  Hold", secs(5));
    t.keys(&["Space"]);
    t.wait_for("⏸ paused", secs(5));
    t.keys(&["Space"]);
    t.wait_until(
        |s| !s.contains("⏸ paused") && s.contains("■  Hold"),
        "resumed",
        secs(5),
    );
    // Skip: the 30 s hold gives way to the exhale at once.
    t.keys(&["n"]);
    t.wait_for("▼  Breathe out", secs(3));
    // Stop asks first.
    t.keys(&["q"]);
    t.wait_for("Stop here?", secs(3));
    t.keys(&["Enter"]);
    // Asked how it went, then the summary.
    t.wait_for("How are you feeling now?", secs(3));
    t.keys(&["-l", "6"]);
    t.keys(&["Enter"]);
    t.wait_for("What did you notice?", secs(3));
    t.keys(&["Enter"]);
    let s = t.wait_for("Time practised", secs(3));
    assert!(s.contains("Session stopped (partial)"), "{s}");
    assert!(s.contains("Saved to your journal"), "{s}");
    // A key goes back to the picker; Tab shows the practice so far.
    t.press_until("x", "filter: quick", secs(3));
    t.keys(&["Tab"]);
    let s = t.wait_for("Your practice", secs(3));
    assert!(s.contains("Practised on 1 of the last 30 days"), "{s}");
    assert!(s.contains("Check-ins: none yet"), "{s}");
    t.keys(&["Escape"]);
    t.wait_for("filter: quick", secs(3));
    // Esc clears the filter, then quits.
    t.keys(&["Escape"]);
    t.wait_for("type to filter", secs(3));
    t.keys(&["Escape"]);
    assert_eq!(t.exit_code(secs(3)), "0");
    t.assert_restored();
    // One entry: stopped, the check-in before skipped, 6 after.
    let text = std::fs::read_to_string(t.dir.path().join("data/exhale/journal.jsonl"))
        .expect("the journal was written");
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
    let t = Tmux::start();
    t.shell("\"$EXHALE\" run short --cycles 1; echo EXIT=$?");
    t.skip_checkin();
    t.wait_for("Breathe in", secs(5));
    t.wait_for("How are you feeling now?", secs(8));
    t.keys(&["Escape"]);
    t.wait_for("Time practised", secs(3));
    t.press_until("Enter", "EXIT=", secs(3));
    assert_eq!(t.exit_code(secs(3)), "0");
    t.assert_restored();
}

#[test]
fn sigterm_and_sighup_restore_the_terminal() {
    for sig in ["TERM", "HUP"] {
        let t = Tmux::start();
        t.shell("\"$EXHALE\" run quick; echo EXIT=$?");
        t.skip_checkin();
        t.wait_for("Breathe in", secs(5));
        let pid = t.app_pid();
        let ok = Command::new("kill")
            .args([&format!("-{sig}"), &pid])
            .status()
            .expect("kill");
        assert!(ok.success());
        assert_eq!(t.exit_code(secs(5)), "130");
        t.assert_restored();
        // The session was written before exhale exited, without asking.
        let journal = t.dir.path().join("data/exhale/journal.jsonl");
        let text = std::fs::read_to_string(&journal).expect("the journal was written");
        assert_eq!(text.lines().count(), 1, "{text}");
        assert!(text.contains("\"ending\":\"interrupted\""), "{text}");
        assert!(
            text.contains("\"after\":{\"skipped\":\"interrupted\"}"),
            "{text}"
        );
    }
}

#[test]
fn an_unwritable_data_folder_is_reported_on_the_summary() {
    let t = Tmux::start();
    // A regular file where the data folder should be: no folder can be
    // made under it, not even by root.
    t.shell(": > \"$XDG_DATA_HOME\"; \"$EXHALE\" run short --cycles 1; echo EXIT=$?");
    t.skip_checkin();
    t.wait_for("How are you feeling now?", secs(8));
    t.keys(&["Escape"]);
    let s = t.wait_for("Time practised", secs(3));
    assert!(
        s.contains("This session could not be saved to your journal"),
        "{s}"
    );
    assert!(!s.contains("Saved to your journal"), "{s}");
    t.press_until("Enter", "EXIT=", secs(3));
    assert_eq!(t.exit_code(secs(3)), "0");
}

#[test]
fn no_journal_asks_nothing_and_records_nothing() {
    let t = Tmux::start();
    t.shell("\"$EXHALE\" run short --cycles 1 --no-journal; echo EXIT=$?");
    let s = t.wait_for("Breathe in", secs(5));
    assert!(!s.contains("How are you feeling"), "{s}");
    let s = t.wait_for("Time practised", secs(8));
    assert!(!s.contains("journal"), "{s}");
    t.press_until("Enter", "EXIT=", secs(3));
    assert_eq!(t.exit_code(secs(3)), "0");
    assert!(!t.dir.path().join("data/exhale/journal.jsonl").exists());
}

#[test]
fn sound_keys_show_the_volume_or_why_there_is_none() {
    let t = Tmux::start();
    t.shell("\"$EXHALE\" run quick; echo EXIT=$?");
    t.skip_checkin();
    t.wait_for("Breathe in", secs(5));
    // Without an audio device the notice says so instead of a volume.
    t.keys(&["m"]);
    t.wait_until(
        |s| s.contains("sound off") || s.contains("no audio device"),
        "sound off",
        secs(3),
    );
    t.keys(&["+"]);
    t.wait_until(
        |s| s.contains("volume 90%") || s.contains("no audio device"),
        "volume 90%",
        secs(3),
    );
    t.keys(&["C-c"]);
    t.wait_for("How are you feeling now?", secs(3));
}

#[test]
fn a_panic_restores_the_terminal_and_is_reported() {
    let t = Tmux::start();
    t.shell("EXHALE_TEST_PANIC=1 \"$EXHALE\" run short; echo EXIT=$?");
    t.skip_checkin();
    assert_eq!(t.exit_code(secs(5)), "101");
    let s = t.screen();
    assert!(
        s.contains("test panic"),
        "the panic message is readable:\n{s}"
    );
    t.assert_restored();
}

#[test]
fn an_invalid_config_is_an_error_before_the_screen_opens() {
    let t = Tmux::start();
    t.shell("printf 'theme = \"mnoo\"\\n' > \"$XDG_CONFIG_HOME/exhale/config.toml\"; \"$EXHALE\" run short; echo EXIT=$?");
    assert_eq!(t.exit_code(secs(5)), "1");
    let s = t.screen();
    assert!(s.contains("config.toml:1:9"), "{s}");
    assert!(s.contains("did you mean \"mono\"?"), "{s}");
}

#[test]
fn follows_resizes_and_says_when_the_window_is_too_small() {
    let t = Tmux::start();
    t.shell("\"$EXHALE\" run quick; echo EXIT=$?");
    t.skip_checkin();
    t.wait_for("Breathe in", secs(5));
    t.tmux(&["resize-window", "-t", "0", "-x", "30", "-y", "10"]);
    // Nobody can see the session, so it waits.
    t.wait_for("Paused: make the window", secs(3));
    t.tmux(&["resize-window", "-t", "0", "-x", "80", "-y", "24"]);
    t.wait_until(
        |s| s.contains("next:") && !s.contains("make the window") && !s.contains("paused"),
        "the session again, running",
        secs(3),
    );
    t.keys(&["C-c"]);
    t.wait_for("How are you feeling now?", secs(3));
    t.keys(&["Escape"]);
    t.wait_for("Time practised", secs(3));
    t.press_until("Enter", "EXIT=", secs(3));
    assert_eq!(t.exit_code(secs(3)), "0");
}

/// Whether an SGR sequence in tmux's `capture-pane -e` output sets a
/// foreground or background colour.
fn has_colour(screen: &str) -> bool {
    screen.split("\x1b[").skip(1).any(|seq| {
        let Some(end) = seq.find('m') else {
            return false;
        };
        seq[..end].split(';').any(|p| {
            p.parse::<u32>()
                .is_ok_and(|n| matches!(n, 30..=38 | 40..=48 | 90..=97 | 100..=107))
        })
    })
}

#[test]
fn no_color_draws_without_colour() {
    for (no_color, expect_colour) in [("", true), ("1", false)] {
        let t = Tmux::start();
        t.shell(&format!(
            "NO_COLOR={no_color} \"$EXHALE\" run quick; echo EXIT=$?"
        ));
        t.skip_checkin();
        t.wait_for("Breathe in", secs(5));
        let screen =
            String::from_utf8_lossy(&t.tmux(&["capture-pane", "-p", "-e", "-t", "0"]).stdout)
                .into_owned();
        assert_eq!(
            has_colour(&screen),
            expect_colour,
            "NO_COLOR={no_color:?}:\n{screen:?}"
        );
    }
}

#[test]
fn text_typed_right_after_quitting_reaches_the_shell() {
    let t = Tmux::start();
    t.shell("\"$EXHALE\"; echo EXIT=$?");
    t.wait_for("type to filter", secs(5));
    t.keys(&["Escape"]);
    t.exit_code(secs(5));
    // Split so the echo of the typed line is not mistaken for its output.
    t.shell("echo TYP''ED-AFTER");
    let s = t.wait_for("TYPED-AFTER", secs(5));
    assert!(
        s.contains("echo TYP''ED-AFTER"),
        "every key reached the shell:\n{s}"
    );
}

#[test]
fn closing_the_window_ends_the_program() {
    let t = Tmux::start();
    // `exec`, so the pane's own process is exhale and closing the window
    // hangs up its terminal.
    t.shell("exec \"$EXHALE\" run quick --no-journal --no-sound");
    t.wait_for("Breathe", secs(5));
    let pid: i32 = t.display("#{pane_pid}").parse().expect("pane pid");
    t.tmux(&["kill-server"]);
    let deadline = Instant::now() + secs(5);
    while std::path::Path::new(&format!("/proc/{pid}")).exists() {
        let state = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        // A zombie has ended; only its parent has yet to collect it.
        if state.split_whitespace().nth(2) == Some("Z") {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "exhale (pid {pid}) was still running 5 s after its window closed"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}
