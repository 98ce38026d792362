//! The journal through the real binary: `exhale run --plain` with stdin
//! not a terminal records one entry per session (completed, stopped by a
//! signal, with 128 + its number as the exit code), `--no-journal`
//! records none, and a failed write is reported without failing the
//! session (exit code 3).
//!
//! Sessions that run to their end do so at once, on a manual clock
//! (`EXHALE_TEST_CLOCK=manual`): what is tested is what reaches the
//! journal. One completed run, and every run ended by a signal or a
//! closed output, keep real time: those need a session under way, and the
//! first proves that the real clock's run records its entry too.

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use exhale::engine::player::Ending;
use exhale::journal::store::parse;
use exhale::journal::{Entry, SkipReason};
use tempfile::TempDir;

/// A temporary home with a short session file: `cycles` cycles of
/// 1 s in, 1 s out, no settling time.
struct Home {
    dir: TempDir,
    session: PathBuf,
}

impl Home {
    fn new(cycles: u32) -> Self {
        let dir = TempDir::new().expect("tempdir");
        let session = dir.path().join("short-test.toml");
        std::fs::write(
            &session,
            format!(
                "name = \"Short test\"\nsettle = 0\n[[block]]\nkind = \"breathe\"\nphases = [{{ in = 1 }}, {{ out = 1 }}]\ncycles = {cycles}\n"
            ),
        )
        .expect("write session");
        Self { dir, session }
    }

    fn journal(&self) -> PathBuf {
        self.dir.path().join("data/exhale/journal/test.jsonl")
    }

    fn command(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_exhale"));
        c.env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env("EXHALE_MACHINE", "test")
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env("HOME", self.dir.path())
            .env_remove("NO_COLOR")
            .stdin(Stdio::null());
        c
    }

    /// Run the session to its end at once, on the manual clock.
    fn run(&self, extra: &[&str]) -> std::process::Output {
        self.command()
            .env("EXHALE_TEST_CLOCK", "manual")
            .arg("run")
            .arg(&self.session)
            .arg("--plain")
            .args(extra)
            .output()
            .expect("run exhale")
    }

    /// Run the session to its end in real time.
    fn run_in_real_time(&self) -> std::process::Output {
        self.command()
            .arg("run")
            .arg(&self.session)
            .arg("--plain")
            .output()
            .expect("run exhale")
    }

    fn entries(&self) -> Vec<Entry> {
        let bytes = std::fs::read(self.journal()).expect("journal exists");
        let loaded = parse(&bytes);
        assert!(loaded.skipped.is_empty(), "{:?}", loaded.skipped);
        loaded.entries
    }
}

/// Start a run and wait (with a deadline) until it prints its first
/// breath, so the session is under way when the signal arrives.
fn start_and_wait(home: &Home) -> (Child, Vec<String>) {
    let mut child = home
        .command()
        .args(["run"])
        .arg(&home.session)
        .arg("--plain")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let stdout = child.stdout.take().expect("stdout");
    let mut reader = BufReader::new(stdout);
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut lines = Vec::new();
    loop {
        assert!(Instant::now() < deadline, "no breath line: {lines:?}");
        let mut line = String::new();
        let n = reader.read_line(&mut line).expect("read");
        assert!(n > 0, "exhale ended early: {lines:?}");
        let seen = line.contains("inhale");
        lines.push(line);
        if seen {
            break;
        }
    }
    // Keep draining stdout so the child never blocks on a full pipe.
    std::thread::spawn(move || for _ in reader.lines().map_while(Result::ok) {});
    (child, lines)
}

fn signal(child: &Child, sig: rustix::process::Signal) {
    rustix::process::kill_process(rustix::process::Pid::from_child(child), sig).expect("kill");
}

fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::metadata(p).expect("metadata").permissions().mode() & 0o777
}

#[test]
fn a_completed_session_is_recorded_with_owner_only_permissions() {
    let home = Home::new(1);
    let out = home.run_in_real_time();
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.trim_end().ends_with("saved to journal"), "{stdout}");

    let entries = home.entries();
    assert_eq!(entries.len(), 1);
    let e = &entries[0];
    assert_eq!(e.v, 2);
    assert!(!e.id.is_nil());
    assert_eq!(e.machine.as_deref(), Some("test"));
    assert_eq!(e.session, "short-test");
    assert_eq!(e.title, "Short test");
    assert_eq!(e.ending, Ending::Completed);
    assert_eq!((e.planned_s, e.practised_s, e.cycles), (2, 2, 1));
    assert_eq!(e.before.skipped, Some(SkipReason::NotATerminal));
    assert_eq!(e.after.skipped, Some(SkipReason::NotATerminal));
    let source = std::fs::read(&home.session).expect("session");
    assert_eq!(e.source_sha256, exhale::journal::entry::sha256_hex(&source));
    // Started a moment ago, in local time with its offset.
    let age = chrono::Local::now().fixed_offset() - e.started;
    assert!(age.num_seconds() >= 0 && age.num_seconds() < 60, "{age}");

    assert_eq!(mode(&home.journal()), 0o600);
    assert_eq!(mode(home.journal().parent().expect("dir")), 0o700);

    // A second session appends a second line.
    assert!(home.run(&[]).status.success());
    assert_eq!(home.entries().len(), 2);
}

#[test]
fn no_journal_records_nothing() {
    let home = Home::new(1);
    let out = home.run(&["--no-journal"]);
    assert!(out.status.success());
    assert!(!String::from_utf8_lossy(&out.stdout).contains("saved"));
    assert!(!home.journal().exists());
}

#[test]
fn sigterm_mid_session_still_records_an_interrupted_entry() {
    let home = Home::new(30);
    let (mut child, _) = start_and_wait(&home);
    signal(&child, rustix::process::Signal::TERM);
    let status = child.wait().expect("wait");
    assert_eq!(status.code(), Some(143), "128 + SIGTERM: {status}");
    let entries = home.entries();
    assert_eq!(entries.len(), 1);
    let e = &entries[0];
    assert_eq!(e.ending, Ending::Interrupted);
    assert_eq!(e.planned_s, 60);
    assert!(e.practised_s < 30, "{}", e.practised_s);
    assert_eq!(e.after.skipped, Some(SkipReason::Interrupted));
}

#[test]
fn ctrl_c_stops_the_session_and_records_it_as_stopped() {
    let home = Home::new(30);
    let (mut child, _) = start_and_wait(&home);
    signal(&child, rustix::process::Signal::INT);
    assert_eq!(
        child.wait().expect("wait").code(),
        Some(130),
        "128 + SIGINT"
    );
    let entries = home.entries();
    assert_eq!(entries.len(), 1);
    // The user chose to stop: partial, not interrupted.
    assert_eq!(entries[0].ending, Ending::Stopped);
    assert!(entries[0].practised_s < 30);
}

#[test]
fn sighup_records_too() {
    let home = Home::new(30);
    let (mut child, _) = start_and_wait(&home);
    signal(&child, rustix::process::Signal::HUP);
    assert_eq!(
        child.wait().expect("wait").code(),
        Some(129),
        "128 + SIGHUP"
    );
    let entries = home.entries();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].ending, Ending::Interrupted);
    assert_eq!(entries[0].after.skipped, Some(SkipReason::Interrupted));
}

#[test]
fn a_closed_output_stops_the_session_and_still_records_it() {
    // `exhale run ... --plain | head -3`: the reader goes away after three
    // lines; the next line fails and the session ends there.
    let home = Home::new(30);
    let mut child = home
        .command()
        .arg("run")
        .arg(&home.session)
        .arg("--plain")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut reader = BufReader::new(child.stdout.take().expect("stdout"));
    for _ in 0..3 {
        let mut line = String::new();
        assert!(reader.read_line(&mut line).expect("read") > 0);
    }
    drop(reader);
    let out = child.wait_with_output().expect("wait");
    assert!(out.status.success(), "{out:?}");
    let entries = home.entries();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].ending, Ending::Interrupted);
    assert_eq!(entries[0].planned_s, 60);
    assert!(entries[0].practised_s < 30, "{}", entries[0].practised_s);
}

#[test]
fn a_failed_write_is_reported_and_the_session_still_counts_as_run() {
    let home = Home::new(1);
    // A folder where the journal file should be: the write must fail.
    std::fs::create_dir_all(home.journal()).expect("mkdir");
    let out = home.run(&[]);
    assert_eq!(out.status.code(), Some(3), "ran, but not saved");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stdout.contains("practised 2s"), "{stdout}");
    assert!(!stdout.contains("saved to journal"), "{stdout}");
    assert!(stderr.contains("could not be saved"), "{stderr}");
    assert!(
        stderr.contains(&home.journal().display().to_string()),
        "{stderr}"
    );
}

#[test]
fn concurrent_sessions_each_append_a_whole_line() {
    let home = Home::new(1);
    let children: Vec<Child> = (0..4)
        .map(|_| {
            home.command()
                .env("EXHALE_TEST_CLOCK", "manual")
                .arg("run")
                .arg(&home.session)
                .arg("--plain")
                .stdout(Stdio::null())
                .spawn()
                .expect("spawn")
        })
        .collect();
    for mut c in children {
        assert!(c.wait().expect("wait").success());
    }
    let text = std::fs::read_to_string(home.journal()).expect("journal");
    assert_eq!(text.lines().count(), 4);
    assert_eq!(home.entries().len(), 4);
}

#[test]
fn a_hold_that_runs_to_its_cap_is_recorded_as_capped() {
    let home = Home::new(1);
    std::fs::write(
        &home.session,
        "name = \"Capped\"\nsettle = 0\n[[block]]\nkind = \"retention\"\nrounds = 1\nbreaths = 1\n\
         phases = [{ in = 1 }, { out = 1 }]\nretention = { cap = 5 }\n",
    )
    .expect("write session");
    // Nobody presses Enter: the hold ends by itself at its cap.
    let out = home.run(&[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("holds 5.0s (reached its cap)"), "{stdout}");
    let entries = home.entries();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].holds_s, [5.0]);
    assert_eq!(entries[0].holds_capped, [true]);
    let line = std::fs::read_to_string(home.journal()).expect("journal");
    assert!(line.contains("\"holds_capped\":[true]"), "{line}");
}
