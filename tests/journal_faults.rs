//! What the journal survives, through the real binary: a full disk (a file
//! size limit makes the kernel cut the write short, as a full disk does)
//! leaves the file exactly as it was; a FIFO, a device or a folder where
//! the journal should be is refused with a clear error instead of hanging
//! or eating memory; a huge line and absurd values are skipped with a
//! warning naming the file, the line and what is wrong; `kill -9` during a
//! session leaves every earlier entry as it was; and a reader that goes
//! away early (`exhale history | head -1`) ends the command quietly.
//!
//! Every command that could hang runs under a watchdog that kills it after
//! a minute and fails the test: a guard against hangs, not a timing check.

#![allow(unsafe_code)] // setrlimit, signal, mkfifo and kill, each a single libc call

use std::ffi::CString;
use std::io::{BufRead as _, BufReader, Read as _};
use std::os::fd::{FromRawFd as _, OwnedFd};
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

use chrono::DateTime;
use exhale::engine::player::Ending;
use exhale::journal::entry::sha256_hex;
use exhale::journal::store::parse;
use exhale::journal::{Checkin, Entry};
use tempfile::TempDir;

/// How long a command may take before the watchdog calls it hung.
const HANG: Duration = Duration::from_secs(60);

fn entry(n: usize) -> Entry {
    Entry {
        v: 1,
        kind: exhale::journal::entry::SessionKind,
        id: exhale::journal::Id::NIL,
        machine: None,
        started: DateTime::parse_from_rfc3339("2026-03-01T08:00:00+01:00").expect("date")
            + chrono::TimeDelta::hours(i64::from(n as u32)),
        session: format!("session-{}", n % 7),
        title: format!("Session {}", n % 7),
        source_sha256: sha256_hex(b"box"),
        planned_s: 300,
        practised_s: 240,
        ending: Ending::Completed,
        skipped: 0,
        pace: Vec::new(),
        cycles: 18,
        rounds: 1,
        holds_s: vec![21.5],
        holds_capped: Vec::new(),
        before: Checkin::answered(4, Some("tense".into())),
        after: Checkin::answered(6, None),
        note: Some(format!("note {n}")),
        written: None,
        in_the_way: None,
    }
}

fn journal_bytes(n: usize) -> Vec<u8> {
    (0..n)
        .flat_map(|i| entry(i).to_line().expect("json").into_bytes())
        .collect()
}

struct Home {
    dir: TempDir,
}

impl Home {
    fn new() -> Self {
        Self {
            dir: TempDir::new().expect("tempdir"),
        }
    }

    fn journal(&self) -> PathBuf {
        self.dir.path().join("data/exhale/journal/test.jsonl")
    }

    fn write_journal(&self, bytes: &[u8]) {
        std::fs::create_dir_all(self.journal().parent().expect("dir")).expect("mkdir");
        std::fs::write(self.journal(), bytes).expect("write");
    }

    /// A session of `cycles` breaths of 1 s in and 1 s out.
    fn session(&self, cycles: u32) -> PathBuf {
        let p = self.dir.path().join("tiny.toml");
        std::fs::write(
            &p,
            format!(
                "name = \"Tiny\"\nsettle = 0\n[[block]]\nkind = \"breathe\"\nphases = [{{ in = 1 }}, {{ out = 1 }}]\ncycles = {cycles}\n"
            ),
        )
        .expect("write");
        p
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_exhale"));
        c.args(args)
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env("EXHALE_MACHINE", "test")
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env("HOME", self.dir.path())
            // Sessions run at once (a test that needs one under way
            // removes this): what is tested is the journal, not time.
            .env("EXHALE_TEST_CLOCK", "manual")
            .stdin(Stdio::null());
        c
    }

    fn exhale(&self, args: &[&str]) -> Output {
        output_within(self.command(args))
    }
}

/// Run `cmd` to the end, killing it (and failing) if it takes over [`HANG`].
fn output_within(mut cmd: Command) -> Output {
    let child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn exhale");
    let pid = libc::pid_t::try_from(child.id()).expect("pid");
    let (done, wait) = mpsc::channel::<()>();
    let watchdog = std::thread::spawn(move || {
        let hung = matches!(wait.recv_timeout(HANG), Err(RecvTimeoutError::Timeout));
        if hung {
            // SAFETY: sending a signal to the child we spawned.
            unsafe { libc::kill(pid, libc::SIGKILL) };
        }
        hung
    });
    let out = child.wait_with_output().expect("wait");
    let _ = done.send(());
    assert!(!watchdog.join().expect("watchdog"), "exhale hung: {cmd:?}");
    out
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn mkfifo(path: &Path) {
    let c = CString::new(path.as_os_str().as_encoded_bytes()).expect("path");
    // SAFETY: a valid NUL-terminated path.
    let rc = unsafe { libc::mkfifo(c.as_ptr(), 0o600) };
    assert_eq!(rc, 0, "mkfifo: {}", std::io::Error::last_os_error());
}

/// Limit the files the child writes to `bytes` (`RLIMIT_FSIZE`): a write
/// past it comes up short and the next fails with "File too large", the
/// way a full disk cuts a write short. SIGXFSZ is ignored so the write
/// returns the error instead of killing the process.
fn limit_file_size(cmd: &mut Command, bytes: u64) {
    // SAFETY: only async-signal-safe calls between fork and exec.
    unsafe {
        cmd.pre_exec(move || {
            let lim = libc::rlimit {
                rlim_cur: bytes,
                rlim_max: bytes,
            };
            if libc::setrlimit(libc::RLIMIT_FSIZE, &raw const lim) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
            Ok(())
        });
    }
}

#[test]
fn a_full_disk_in_the_middle_of_an_entry_leaves_the_journal_exactly_as_it_was() {
    let home = Home::new();
    // About 4 KB of journal; room for only the first 100 bytes of the next entry.
    let mut original = journal_bytes(12);
    original.truncate(original.len() - 1);
    original.push(b'\n');
    home.write_journal(&original);
    let session = home.session(1);
    let mut cmd = home.command(&["run", session.to_str().expect("utf8"), "--plain"]);
    limit_file_size(&mut cmd, original.len() as u64 + 100);
    let out = output_within(cmd);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(stdout.contains("practised 2s"), "{stdout}");
    assert!(!stdout.contains("saved to journal"), "{stdout}");
    assert!(stderr.contains("could not be saved"), "{stderr}");
    assert!(stderr.contains("File too large"), "{stderr}");
    let now = std::fs::read(home.journal()).expect("read");
    assert!(
        now == original,
        "the journal changed from {} to {} bytes; it ends {:?}",
        original.len(),
        now.len(),
        text(&now[now.len().saturating_sub(120)..])
    );
    // The next session, with room, appends after the untouched entries.
    let out = home.exhale(&["run", session.to_str().expect("utf8"), "--plain"]);
    assert!(text(&out.stdout).contains("saved to journal"));
    let after = std::fs::read(home.journal()).expect("read");
    assert!(after.starts_with(&original));
    let loaded = parse(&after);
    assert!(loaded.skipped.is_empty(), "{:?}", loaded.skipped);
    assert_eq!(loaded.entries.len(), 13);
}

#[test]
fn a_fifo_at_the_journal_path_is_refused_by_every_command_without_hanging() {
    let home = Home::new();
    std::fs::create_dir_all(home.journal().parent().expect("dir")).expect("mkdir");
    mkfifo(&home.journal());
    let session = home.session(1);
    let session = session.to_str().expect("utf8");
    let shown = home.journal().display().to_string();
    for args in [
        vec!["history"],
        vec!["history", "--json"],
        vec!["stats"],
        vec!["stats", "--json"],
        vec!["export", "--format", "csv"],
        vec!["export", "--format", "json"],
        vec!["export", "--format", "markdown"],
    ] {
        let out = home.exhale(&args);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains(&format!(
                "{shown}: this is a named pipe (FIFO), not a regular file"
            )),
            "{args:?}: {stderr}"
        );
    }
    // `run` still runs the session and says plainly why it was not saved.
    let out = home.exhale(&["run", session, "--plain"]);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(stdout.contains("practised 2s"), "{stdout}");
    assert!(!stdout.contains("saved to journal"), "{stdout}");
    assert!(stderr.contains("could not be saved"), "{stderr}");
    assert!(stderr.contains("not a regular file"), "{stderr}");
}

#[test]
fn a_journal_that_is_a_device_a_socket_or_a_folder_is_refused() {
    let home = Home::new();
    let dir = home.journal().parent().expect("dir").to_owned();
    std::fs::create_dir_all(&dir).expect("mkdir");
    // A symlink to /dev/zero once read until memory ran out; the limit on
    // the address space keeps a regression from taking the machine down.
    std::os::unix::fs::symlink("/dev/zero", home.journal()).expect("symlink");
    let mut cmd = home.command(&["stats"]);
    // SAFETY: one async-signal-safe call between fork and exec.
    unsafe {
        cmd.pre_exec(|| {
            let lim = libc::rlimit {
                rlim_cur: 1 << 30,
                rlim_max: 1 << 30,
            };
            libc::setrlimit(libc::RLIMIT_AS, &raw const lim);
            Ok(())
        });
    }
    let out = output_within(cmd);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("this is a character device, not a regular file"),
        "{stderr}"
    );
    let session = home.session(1);
    let out = home.exhale(&["run", session.to_str().expect("utf8"), "--plain"]);
    assert!(
        text(&out.stderr).contains("this is a character device, not a regular file"),
        "{}",
        text(&out.stderr)
    );

    std::fs::remove_file(home.journal()).expect("rm");
    let socket = std::os::unix::net::UnixListener::bind(home.journal()).expect("socket");
    let out = home.exhale(&["export"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("this is a socket, not a regular file"),
        "{}",
        text(&out.stderr)
    );
    drop(socket);

    std::fs::remove_file(home.journal()).expect("rm");
    std::fs::create_dir(home.journal()).expect("mkdir");
    let out = home.exhale(&["history"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("this is a folder, not a regular file"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_huge_line_is_skipped_with_a_warning_and_the_rest_is_read() {
    let home = Home::new();
    let mut bytes = journal_bytes(2);
    // A megabyte of one line (no newline until the end), then more entries.
    bytes.extend(std::iter::repeat_n(b'{', 1 << 20));
    bytes.push(b'\n');
    bytes.extend(journal_bytes(3));
    home.write_journal(&bytes);
    let out = home.exhale(&["history", "--json"]);
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let want = format!(
        "warning: {}:3: skipped a line that could not be read (the line is 1048576 bytes long; a journal line is at most 65536)",
        home.journal().display()
    );
    assert!(stderr.contains(&want), "{stderr}");
    let listed: Vec<Entry> = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(listed.len(), 5);
    assert_eq!(std::fs::read(home.journal()).expect("read"), bytes);
}

#[test]
fn absurd_values_are_skipped_with_a_warning_saying_what_is_wrong() {
    let home = Home::new();
    let good = serde_json::to_value(entry(0)).expect("json");
    let with = |key: &str, value: serde_json::Value| {
        let mut v = good.clone();
        let mut at = &mut v;
        for k in key.split('.') {
            at = &mut at[k];
        }
        *at = value;
        format!("{v}\n")
    };
    let lines = [
        format!("{good}\n"),
        with("practised_s", 9_223_372_036_854_775_807u64.into()),
        with("planned_s", 200_000.into()),
        with("holds_s", serde_json::json!([20.0, -3.0])),
        with("holds_s", serde_json::json!([1e9])),
        with("before.score", 11.into()),
        with("after.score", 300.into()),
        with("cycles", 4_000_000_000u32.into()),
        with("practised_s", (-5).into()),
        format!("{good}\n"),
    ];
    home.write_journal(lines.concat().as_bytes());
    let out = home.exhale(&["stats"]);
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let at = |n: usize| format!("{}:{n}: skipped a line", home.journal().display());
    for (n, what) in [
        (
            2,
            "`practised_s` is 9223372036854775807 seconds; an entry records at most 172800 (48 hours)",
        ),
        (
            3,
            "`planned_s` is 200000 seconds; an entry records at most 172800 (48 hours)",
        ),
        (
            4,
            "`holds_s` has a hold of -3 seconds; a hold is between 0 and 3600 (an hour)",
        ),
        (
            5,
            "`holds_s` has a hold of 1000000000 seconds; a hold is between 0 and 3600 (an hour)",
        ),
        (6, "`before` has a score of 11; scores go from 0 to 10"),
        (7, "invalid value: integer `300`, expected u8"),
        (
            8,
            "`cycles` has 4000000000; an entry records at most 200000",
        ),
        (9, "invalid value: integer `-5`, expected u64"),
    ] {
        let line = stderr
            .lines()
            .find(|l| l.contains(&at(n)))
            .unwrap_or_else(|| panic!("no warning for line {n}: {stderr}"));
        assert!(line.contains(what), "line {n}: {line}");
    }
    assert_eq!(stderr.matches("warning:").count(), 8, "{stderr}");
    // The two good entries are counted; the absurd minutes are not.
    let stdout = text(&out.stdout);
    assert!(stdout.contains("In all: 2 sessions, 8m."), "{stdout}");
}

#[test]
fn many_bad_lines_give_twenty_warnings_and_a_count() {
    let home = Home::new();
    let mut bytes = journal_bytes(1);
    bytes.extend("not json\n".repeat(1000).as_bytes());
    home.write_journal(&bytes);
    let out = home.exhale(&["stats"]);
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(stderr.lines().count(), 21, "{stderr}");
    assert!(stderr.contains(&format!(
        "warning: {}: 980 more lines could not be read and were skipped; the file is left as it is",
        home.journal().display()
    )));
}

#[test]
fn kill_9_during_a_session_leaves_every_earlier_entry_as_it_was() {
    let home = Home::new();
    let original = journal_bytes(5);
    home.write_journal(&original);
    let session = home.session(100);
    let mut child = home
        .command(&["run", session.to_str().expect("utf8"), "--plain"])
        .env_remove("EXHALE_TEST_CLOCK")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let mut reader = BufReader::new(child.stdout.take().expect("stdout"));
    let mut line = String::new();
    while !line.contains("inhale") {
        line.clear();
        assert!(
            reader.read_line(&mut line).expect("read") > 0,
            "ended early"
        );
    }
    let pid = libc::pid_t::try_from(child.id()).expect("pid");
    // SAFETY: a signal to the child we spawned, still running (it has
    // 200 s of session left and we have not waited for it).
    unsafe { libc::kill(pid, libc::SIGKILL) };
    child.wait().expect("wait");
    assert_eq!(std::fs::read(home.journal()).expect("read"), original);
    // And the next session appends as usual.
    let short = home.session(1);
    let out = home.exhale(&["run", short.to_str().expect("utf8"), "--plain"]);
    assert!(text(&out.stdout).contains("saved to journal"));
    let loaded = parse(&std::fs::read(home.journal()).expect("read"));
    assert_eq!((loaded.entries.len(), loaded.skipped.len()), (6, 0));
}

/// Run exhale with stdout a pipe whose reading end is already closed, so
/// its first write fails with "broken pipe".
fn closed_pipe(home: &Home, args: &[&str]) -> Output {
    let mut fds = [0; 2];
    // SAFETY: `pipe2` fills in two new descriptors, each owned once below.
    let writer = unsafe {
        assert_eq!(libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC), 0);
        drop(OwnedFd::from_raw_fd(fds[0]));
        OwnedFd::from_raw_fd(fds[1])
    };
    let child = home
        .command(args)
        .stdout(writer)
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let out = child.wait_with_output().expect("wait");
    assert!(out.stdout.is_empty());
    out
}

#[test]
fn a_closed_pipe_ends_every_printing_command_quietly() {
    let home = Home::new();
    home.write_journal(&journal_bytes(30));
    let session = home.session(1);
    let session = session.to_str().expect("utf8");
    for args in [
        vec!["history"],
        vec!["history", "--json"],
        vec!["history", "--limit", "0"],
        vec!["stats"],
        vec!["stats", "--json"],
        vec!["export", "--format", "csv"],
        vec!["export", "--format", "json"],
        vec!["export", "--format", "markdown"],
        vec!["check", session],
        vec!["list"],
        vec!["list", "--json"],
        vec!["show", "box"],
        vec!["show", "box", "--json"],
    ] {
        let out = closed_pipe(&home, &args);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
        assert!(stderr.is_empty(), "{args:?}: {stderr}");
    }
    // `check` keeps its verdict: a broken file is still exit 1.
    let bad = home.dir.path().join("bad.toml");
    std::fs::write(&bad, "name = \"Bad\"\n").expect("write");
    let out = closed_pipe(&home, &["check", bad.to_str().expect("utf8")]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(!text(&out.stderr).contains("panicked"));
}

#[test]
fn history_piped_into_a_reader_that_stops_after_one_line_exits_quietly() {
    let home = Home::new();
    // Far more output than a pipe holds, so exhale is still writing when
    // the reader goes away.
    home.write_journal(&journal_bytes(3000));
    let mut child = home
        .command(&["history", "--limit", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut first = String::new();
    stdout.read_line(&mut first).expect("read");
    assert!(first.contains("Session"), "{first}");
    drop(stdout);
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut stderr)
        .expect("read");
    let status = child.wait().expect("wait");
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
}
