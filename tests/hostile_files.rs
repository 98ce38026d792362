//! Files that are not what they seem, through the real binary: a session,
//! `new --from`'s source, `config.toml` or a sound that is a named pipe
//! (FIFO), a link to `/dev/zero`, or far too large. Each is refused at once
//! with an error that names the file and says what to do (exit code 1); none
//! may block. A hang must fail the test, not stall it, so every run has a
//! deadline after which the program is killed (and the exit code checks
//! then fail).

#![allow(unsafe_code)] // one libc call to make a FIFO

use std::ffi::CString;
use std::os::unix::ffi::OsStrExt as _;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::Duration;

use assert_cmd::Command;

/// Far longer than any of these runs takes; only a hang reaches it.
const DEADLINE: Duration = Duration::from_secs(30);

const SESSION: &str = "name = \"Short\"\nsettle = 0\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 1 }, { out = 1 }]\ncycles = 1\n";

struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn new() -> Self {
        let home = Self {
            dir: tempfile::tempdir().expect("temp dir"),
        };
        std::fs::create_dir_all(home.sessions()).expect("sessions folder");
        std::fs::create_dir_all(home.sounds()).expect("sounds folder");
        home
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn config_dir(&self) -> PathBuf {
        self.path("config/exhale")
    }

    fn sessions(&self) -> PathBuf {
        self.config_dir().join("sessions")
    }

    fn sounds(&self) -> PathBuf {
        self.config_dir().join("sounds")
    }

    /// Run exhale with every user folder in the temporary home, stdin
    /// closed, and the deadline.
    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_exhale"))
            .current_dir(self.dir.path())
            .env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.path("config"))
            .env("XDG_DATA_HOME", self.path("data"))
            .env("NO_COLOR", "1")
            .args(args)
            .timeout(DEADLINE)
            .output()
            .expect("run exhale")
    }
}

/// A named pipe at `path`; opening it to read blocks until a writer comes,
/// and none ever will.
fn mkfifo(path: &Path) {
    let c = CString::new(path.as_os_str().as_bytes()).expect("no NUL in path");
    // SAFETY: `c` is a valid NUL-terminated path that outlives the call.
    let rc = unsafe { libc::mkfifo(c.as_ptr(), 0o644) };
    assert_eq!(rc, 0, "mkfifo {}", path.display());
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Exit code 1 (not killed at the deadline), and stderr says each of `words`.
fn assert_refused(o: &Output, words: &[&str]) {
    let err = stderr(o);
    assert_eq!(
        o.status.code(),
        Some(1),
        "exit {:?} (None: killed at the deadline, it hung)\n{err}",
        o.status
    );
    for w in words {
        assert!(err.contains(w), "stderr does not say {w:?}:\n{err}");
    }
}

#[test]
fn a_session_that_is_a_fifo_is_refused_by_check_show_and_run() {
    let home = Home::new();
    let fifo = home.path("pipe.toml");
    mkfifo(&fifo);
    let shown = fifo.display().to_string();
    for args in [
        vec!["check", shown.as_str()],
        vec!["show", shown.as_str()],
        vec!["run", shown.as_str(), "--plain", "--no-journal"],
    ] {
        let o = home.run(&args);
        assert_refused(&o, &[&shown, "named pipe", "not a regular file"]);
    }
}

#[test]
fn a_session_linked_to_dev_zero_is_refused() {
    let home = Home::new();
    let link = home.path("zero.toml");
    std::os::unix::fs::symlink("/dev/zero", &link).expect("symlink");
    let shown = link.display().to_string();
    for args in [
        vec!["check", shown.as_str()],
        vec!["show", shown.as_str()],
        vec!["run", shown.as_str(), "--plain", "--no-journal"],
    ] {
        let o = home.run(&args);
        assert_refused(&o, &[&shown, "/dev/zero", "device", "not a regular file"]);
    }
}

#[test]
fn a_session_file_too_large_says_how_large_it_may_be() {
    let home = Home::new();
    let big = home.path("big.toml");
    let mut text = SESSION.to_owned();
    text.push_str(&"# padding\n".repeat(110_000));
    std::fs::write(&big, text).expect("write");
    let shown = big.display().to_string();
    for args in [vec!["check", shown.as_str()], vec!["show", shown.as_str()]] {
        let o = home.run(&args);
        assert_refused(&o, &[&shown, "larger than 1 MiB"]);
    }
}

#[test]
fn new_from_a_fifo_is_refused_and_writes_nothing() {
    let home = Home::new();
    let fifo = home.path("pipe.toml");
    mkfifo(&fifo);
    let shown = fifo.display().to_string();
    let o = home.run(&["new", "copy", "--from", &shown]);
    assert_refused(&o, &[&shown, "named pipe"]);
    assert!(!home.sessions().join("copy.toml").exists());
}

#[test]
fn a_fifo_in_the_sessions_folder_is_reported_and_the_rest_still_listed() {
    let home = Home::new();
    mkfifo(&home.sessions().join("stuck.toml"));
    std::fs::write(home.sessions().join("mine.toml"), SESSION).expect("write");
    let o = home.run(&["list"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("mine"), "{out}");
    let err = stderr(&o);
    assert!(
        err.contains("stuck.toml") && err.contains("named pipe"),
        "{err}"
    );
    // And running one of the others does not read the pipe either.
    let o = home.run(&["show", "mine"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn a_config_file_that_is_a_fifo_or_linked_to_dev_zero_is_refused() {
    let home = Home::new();
    let config = home.config_dir().join("config.toml");
    let shown = config.display().to_string();
    std::fs::write(home.path("s.toml"), SESSION).expect("write");
    mkfifo(&config);
    let o = home.run(&["run", "s.toml", "--plain", "--no-journal"]);
    assert_refused(&o, &[&shown, "named pipe", "not a regular file"]);
    std::fs::remove_file(&config).expect("remove");
    std::os::unix::fs::symlink("/dev/zero", &config).expect("symlink");
    let o = home.run(&["run", "s.toml", "--plain", "--no-journal"]);
    assert_refused(&o, &[&shown, "/dev/zero", "device"]);
}

#[test]
fn a_config_file_too_large_says_how_large_it_may_be() {
    let home = Home::new();
    let config = home.config_dir().join("config.toml");
    std::fs::write(&config, "# padding\n".repeat(30_000)).expect("write");
    std::fs::write(home.path("s.toml"), SESSION).expect("write");
    let o = home.run(&["run", "s.toml", "--plain", "--no-journal"]);
    assert_refused(&o, &[&config.display().to_string(), "larger than 256 KiB"]);
}

#[test]
fn new_with_a_fifo_where_the_schema_copy_goes_still_writes_the_session() {
    let home = Home::new();
    let schema = home.config_dir().join("session.schema.json");
    mkfifo(&schema);
    let o = home.run(&["new", "evening"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(home.sessions().join("evening.toml").is_file());
    let err = stderr(&o);
    assert!(
        err.contains(&schema.display().to_string()) && err.contains("named pipe"),
        "{err}"
    );
}

/// One line of `2 * half` characters (and a few) with a mistake in its
/// middle: a control character TOML does not allow in a string.
fn long_line(key: &str, half: usize) -> (String, usize) {
    let mut text = format!("{key} = \"");
    text.push_str(&"a".repeat(half));
    let column = text.chars().count() + 1;
    text.push('\u{7}');
    text.push_str(&"b".repeat(half));
    text.push_str("\"\n");
    (text, column)
}

#[test]
fn a_mistake_on_a_very_long_line_shows_only_the_part_around_it() {
    let home = Home::new();
    // A session: the name's control character is pointed at.
    let (mut text, column) = long_line("name", 500_000);
    text.push_str("[[block]]\nkind = \"meditate\"\nminutes = 1\n");
    let path = home.path("long.toml");
    std::fs::write(&path, text).expect("write");
    let o = home.run(&["check", "long.toml"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.len() < 2000, "{} bytes on stderr", err.len());
    assert!(err.contains(&format!("long.toml:1:{column}")), "{err}");
    assert!(err.contains('…'), "{err}");
    // The config file (at most 256 KiB): the same clipping.
    let (text, _) = long_line("default_session = 1\ntheme", 100_000);
    std::fs::write(home.config_dir().join("config.toml"), text).expect("write");
    std::fs::write(home.path("s.toml"), SESSION).expect("write");
    let o = home.run(&["run", "s.toml", "--plain", "--no-journal"]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.len() < 2000, "{} bytes on stderr", err.len());
    assert!(err.contains("config.toml:2:"), "{err}");
    assert!(err.contains('…'), "{err}");
}

#[test]
fn a_title_with_a_line_break_never_splits_a_line_of_list_show_or_plain_mode() {
    let home = Home::new();
    let text = SESSION.replace("\"Short\"", "\"Short\\nINJECTED\"");
    std::fs::write(home.sessions().join("broken.toml"), &text).expect("write");
    let o = home.run(&["list"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(!out.contains("INJECTED"), "{out}");
    let row = out
        .lines()
        .find(|l| l.starts_with("broken "))
        .unwrap_or_else(|| panic!("no row for the file:\n{out}"));
    assert!(row.contains("has errors"), "{row}");
    for args in [
        vec!["show", "broken"],
        vec!["run", "broken", "--plain", "--no-journal"],
    ] {
        let o = home.run(&args);
        assert_refused(&o, &["broken.toml:1:14", "the name contains a line break"]);
        assert!(!String::from_utf8_lossy(&o.stdout).contains("INJECTED"));
    }
}
