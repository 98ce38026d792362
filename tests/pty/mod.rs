//! A pseudo-terminal harness for end-to-end tests of the real binary,
//! with no program outside the test (no tmux, no `script`).
//!
//! [`Pty::spawn`] starts a command on a new pseudo-terminal of a fixed
//! size, as the leader of its own session with the terminal as its
//! controlling terminal (so Ctrl-C, SIGWINCH and hang-ups behave as in a
//! real window). A thread reads everything the program writes into a
//! `vt100` parser, so a test reads the screen as a person would see it,
//! and knows whether the alternate screen is on and the cursor hidden.
//!
//! Waiting is always for something, with a deadline: text on the screen
//! ([`Pty::wait_for`]), the program's exit ([`Pty::wait_exit`]). Each
//! wait blocks on a condition variable the reader thread signals, so no
//! test sleeps a fixed time. Deadlines are generous (CI runs the suites
//! side by side on two cores); a test that passes takes only as long as
//! the program does.
//!
//! [`Pty::hang_up`] closes the master side, as closing a terminal window
//! does, without sending anything first. [`Pty::termios`] reads the
//! terminal's modes after the program has gone, to check it was given
//! back (line editing and echo on).
//!
//! [`Home`] gives each run its own config and data folders, so tests
//! that run side by side never share a journal or a session.

#![allow(dead_code)]

use std::fs::File;
use std::num::NonZeroU16;
use std::os::fd::OwnedFd;
use std::os::unix::fs::OpenOptionsExt as _;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use rustix::event::{PollFd, PollFlags};
use rustix::termios::{LocalModes, OutputModes, Termios, Winsize};

/// Keys as a terminal sends them.
pub mod keys {
    /// Enter (carriage return, as a terminal sends it).
    pub const ENTER: &str = "\r";
    /// Escape on its own.
    pub const ESC: &str = "\x1b";
    /// Ctrl-C.
    pub const CTRL_C: &str = "\x03";
    /// Ctrl-D.
    pub const CTRL_D: &str = "\x04";
    /// Tab.
    pub const TAB: &str = "\t";
    /// The right arrow.
    pub const RIGHT: &str = "\x1b[C";
    /// Backspace (DEL, as most terminals send it).
    pub const BACKSPACE: &str = "\x7f";
}

/// The binary under test.
pub const EXE: &str = env!("CARGO_BIN_EXE_exhale");

/// A temporary home for one run of exhale: its own config folder (with
/// a sessions folder) and data folder, under a temp dir removed at the
/// end of the test.
pub struct Home {
    /// The temp dir; `config/` and `data/` are under it.
    pub dir: tempfile::TempDir,
}

impl Home {
    /// An empty home, with the sessions folder made.
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("config/exhale/sessions")).expect("mkdir");
        Self { dir }
    }

    /// The temp dir.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Install a session as `name` in the sessions folder; its path.
    pub fn add_session(&self, name: &str, text: &str) -> PathBuf {
        let file = self.sessions_dir().join(format!("{name}.toml"));
        std::fs::write(&file, text).expect("write session");
        file
    }

    /// Write `config.toml`.
    pub fn write_config(&self, text: &str) {
        std::fs::write(self.path().join("config/exhale/config.toml"), text).expect("write");
    }

    /// The user's sessions folder.
    pub fn sessions_dir(&self) -> PathBuf {
        self.path().join("config/exhale/sessions")
    }

    /// The journal's path.
    pub fn journal(&self) -> PathBuf {
        self.path().join("data/exhale/journal/test.jsonl")
    }

    /// The journal's text; fails if it was not written.
    pub fn journal_text(&self) -> String {
        std::fs::read_to_string(self.journal()).expect("the journal was written")
    }

    /// `program` with this home's folders and a usual terminal type, and
    /// nothing from the test's own environment that changes exhale.
    pub fn command(&self, program: &str) -> Command {
        let mut c = Command::new(program);
        c.current_dir(self.path())
            .env("XDG_CONFIG_HOME", self.path().join("config"))
            .env("XDG_DATA_HOME", self.path().join("data"))
            .env("EXHALE_MACHINE", "test")
            .env("HOME", self.path())
            .env("TERM", "xterm-256color")
            .env_remove("NO_COLOR")
            .env_remove("RUST_BACKTRACE")
            .env_remove("EXHALE_TEST_PANIC")
            .env_remove("ALSA_CONFIG_PATH");
        c
    }

    /// exhale with `args`.
    pub fn exhale(&self, args: &[&str]) -> Command {
        let mut c = self.command(EXE);
        c.args(args);
        c
    }
}

impl Default for Home {
    fn default() -> Self {
        Self::new()
    }
}

/// The default wait for something to show: long, because CI shares two
/// cores between several test binaries; a passing test never waits it.
pub const WAIT: Duration = Duration::from_secs(15);

/// Shorthand for a number of seconds.
pub fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

/// The program's output as read so far.
struct Output {
    parser: vt100::Parser,
    /// Every byte, for failure messages and for checks on what was sent.
    raw: Vec<u8>,
    /// The reader has stopped: the program's side of the terminal is
    /// closed (it and everything it started have exited), or the master
    /// was closed by [`Pty::hang_up`].
    closed: bool,
}

struct Shared {
    out: Mutex<Output>,
    changed: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Output> {
        self.out
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// How to start the program: the size of the terminal, and where its
/// standard output goes (the terminal unless told otherwise).
pub struct Setup {
    /// Columns.
    pub cols: u16,
    /// Rows.
    pub rows: u16,
    /// A file for standard output instead of the terminal (`> out.txt`).
    pub stdout: Option<File>,
}

impl Default for Setup {
    fn default() -> Self {
        Self {
            cols: 80,
            rows: 24,
            stdout: None,
        }
    }
}

/// A program running on a pseudo-terminal.
pub struct Pty {
    master: Option<Arc<OwnedFd>>,
    shared: Arc<Shared>,
    stop: Arc<AtomicBool>,
    reader: Option<JoinHandle<()>>,
    pid: rustix::process::Pid,
    exited: crossbeam_channel::Receiver<ExitStatus>,
    status: Option<ExitStatus>,
}

fn size(cols: u16, rows: u16) -> Winsize {
    Winsize {
        ws_row: rows,
        ws_col: cols,
        ws_xpixel: 0,
        ws_ypixel: 0,
    }
}

fn nonzero(n: u16) -> NonZeroU16 {
    NonZeroU16::new(n).expect("a terminal has at least one row and column")
}

/// The new process's part of the set-up: lead a new session, with the
/// pseudo-terminal (already its standard input) as its controlling
/// terminal, as a terminal emulator does for its shell.
#[allow(unsafe_code)]
fn leads_a_session_on_its_terminal(cmd: &mut Command) {
    // SAFETY: the closure runs in the child between fork and exec, and
    // only makes two system calls (setsid, ioctl), both async-signal-safe;
    // it allocates nothing and takes no lock.
    unsafe {
        cmd.pre_exec(|| {
            rustix::process::setsid()?;
            rustix::process::ioctl_tiocsctty(rustix::stdio::stdin())?;
            Ok(())
        });
    }
}

impl Pty {
    /// Start `cmd` on an 80x24 terminal.
    pub fn spawn(cmd: Command) -> Self {
        Self::spawn_with(cmd, Setup::default())
    }

    /// Start `cmd` as `setup` says.
    pub fn spawn_with(mut cmd: Command, setup: Setup) -> Self {
        use rustix::pty::OpenptFlags;
        let master =
            rustix::pty::openpt(OpenptFlags::RDWR | OpenptFlags::NOCTTY | OpenptFlags::CLOEXEC)
                .expect("open a pseudo-terminal");
        rustix::pty::grantpt(&master).expect("grantpt");
        rustix::pty::unlockpt(&master).expect("unlockpt");
        let name = rustix::pty::ptsname(&master, Vec::new()).expect("ptsname");
        rustix::termios::tcsetwinsize(&master, size(setup.cols, setup.rows)).expect("set size");
        let slave = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .custom_flags(libc::O_NOCTTY)
            .open(std::ffi::OsStr::new(
                name.to_str().expect("the terminal's name is UTF-8"),
            ))
            .expect("open the terminal's program side");
        let stdio = || Stdio::from(slave.try_clone().expect("dup"));
        cmd.stdin(stdio()).stderr(stdio());
        match setup.stdout {
            Some(f) => cmd.stdout(Stdio::from(f)),
            None => cmd.stdout(stdio()),
        };
        leads_a_session_on_its_terminal(&mut cmd);
        let mut child = cmd.spawn().expect("start the program");
        // Only the program may hold its side open: then its exit closes
        // the terminal, and the reader sees the end.
        drop(cmd);
        drop(slave);
        let pid = rustix::process::Pid::from_child(&child);
        let (tx, exited) = crossbeam_channel::bounded(1);
        std::thread::spawn(move || {
            if let Ok(status) = child.wait() {
                let _ = tx.send(status);
            }
        });

        let master = Arc::new(master);
        let shared = Arc::new(Shared {
            out: Mutex::new(Output {
                parser: vt100::Parser::new(nonzero(setup.rows), nonzero(setup.cols), 0),
                raw: Vec::new(),
                closed: false,
            }),
            changed: Condvar::new(),
        });
        let stop = Arc::new(AtomicBool::new(false));
        let reader = {
            let (master, shared, stop) =
                (Arc::clone(&master), Arc::clone(&shared), Arc::clone(&stop));
            std::thread::spawn(move || read_all(&master, &shared, &stop))
        };
        Self {
            master: Some(master),
            shared,
            stop,
            reader: Some(reader),
            pid,
            exited,
            status: None,
        }
    }

    /// The program's process id.
    pub fn pid(&self) -> i32 {
        self.pid.as_raw_nonzero().get()
    }

    fn master(&self) -> &OwnedFd {
        self.master.as_deref().expect("the terminal is still open")
    }

    /// Type `text` (keys are bytes: see [`keys`]).
    pub fn send(&self, text: &str) {
        let mut left = text.as_bytes();
        while !left.is_empty() {
            match rustix::io::write(self.master(), left) {
                Ok(n) => left = &left[n..],
                Err(rustix::io::Errno::INTR | rustix::io::Errno::AGAIN) => {}
                Err(e) => panic!("typing {text:?}: {e}"),
            }
        }
    }

    /// The screen as text, one line per row, trailing blanks trimmed.
    pub fn screen(&self) -> String {
        self.shared.lock().parser.screen().contents()
    }

    /// Everything the program has written, escape sequences and all.
    pub fn raw(&self) -> Vec<u8> {
        self.shared.lock().raw.clone()
    }

    /// Wait until the screen shows `needle`; the screen then. Fails with
    /// the screen if it does not show within `within`.
    pub fn wait_for(&self, needle: &str, within: Duration) -> String {
        self.wait_until(|s| s.contains(needle), needle, within)
    }

    /// Wait until `ok` holds for the screen; the screen then.
    pub fn wait_until(&self, ok: impl Fn(&str) -> bool, what: &str, within: Duration) -> String {
        match self.seen(ok, within) {
            Ok(s) => s,
            Err((s, closed)) => panic!(
                "{} {what:?}; the screen was:\n{s}",
                if closed {
                    "the terminal closed before showing"
                } else {
                    "timed out waiting for"
                }
            ),
        }
    }

    /// Whether the screen shows `needle` within `within` (for a test that
    /// presses a key until something shows).
    pub fn shows_within(&self, needle: &str, within: Duration) -> bool {
        self.seen(|s| s.contains(needle), within).is_ok()
    }

    /// Wait until `ok` holds for the screen: the screen, or the screen
    /// and whether the terminal closed when it did not come.
    fn seen(&self, ok: impl Fn(&str) -> bool, within: Duration) -> Result<String, (String, bool)> {
        let deadline = Instant::now() + within;
        let mut out = self.shared.lock();
        loop {
            let s = out.parser.screen().contents();
            if ok(&s) {
                return Ok(s);
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() || out.closed {
                return Err((s, out.closed));
            }
            out = self
                .shared
                .changed
                .wait_timeout(out, left)
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .0;
        }
    }

    /// Press `key` every half second until the screen shows `needle`
    /// (for a screen that ignores keys for its first moment).
    pub fn press_until(&self, key: &str, needle: &str) -> String {
        for _ in 0..30 {
            self.send(key);
            if let Ok(s) = self.seen(|s| s.contains(needle), Duration::from_millis(500)) {
                return s;
            }
        }
        panic!(
            "pressing {key:?} never showed {needle:?}:\n{}",
            self.screen()
        );
    }

    /// Press `key` every second until the program exits; its exit code.
    pub fn press_until_exit(&mut self, key: &str) -> i32 {
        for _ in 0..30 {
            self.send(key);
            if let Some(status) = self.try_wait_exit(secs(1)) {
                return status.code().expect("an exit code");
            }
        }
        panic!("pressing {key:?} did not close it:\n{}", self.screen());
    }

    /// Change the window's size, as dragging a window's corner does (the
    /// program gets SIGWINCH).
    pub fn resize(&self, cols: u16, rows: u16) {
        self.shared
            .lock()
            .parser
            .screen_mut()
            .set_size(nonzero(rows), nonzero(cols));
        rustix::termios::tcsetwinsize(self.master(), size(cols, rows)).expect("resize");
    }

    /// Send signal number `sig` to the program.
    pub fn signal(&self, sig: i32) {
        let sig = rustix::process::Signal::from_named_raw(sig).expect("a known signal");
        rustix::process::kill_process(self.pid, sig).expect("send the signal");
    }

    /// Close the terminal as closing its window does: the master side
    /// goes away without a byte more. The kernel hangs up the terminal
    /// (SIGHUP to the session's leader; reads then see end-of-file).
    pub fn hang_up(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(r) = self.reader.take() {
            let _ = r.join();
        }
        let master = self.master.take().expect("not hung up twice");
        drop(Arc::into_inner(master).expect("the reader has let go of the terminal"));
    }

    /// Wait for the program to exit; its status. Once it has exited, what
    /// it wrote last is read too (until its side of the terminal closes,
    /// briefly), so the screen is complete.
    pub fn wait_exit(&mut self, within: Duration) -> ExitStatus {
        if let Some(s) = self.status {
            return s;
        }
        let Ok(status) = self.exited.recv_timeout(within) else {
            panic!(
                "the program (pid {}) did not exit within {within:?}; the screen was:\n{}",
                self.pid(),
                self.screen()
            );
        };
        self.status = Some(status);
        self.drain();
        status
    }

    /// The program's status if it exits within `within`.
    pub fn try_wait_exit(&mut self, within: Duration) -> Option<ExitStatus> {
        if self.status.is_none() {
            let s = self.exited.recv_timeout(within).ok()?;
            self.status = Some(s);
            self.drain();
        }
        self.status
    }

    /// Once the program has exited: read what it wrote last, until its
    /// side of the terminal closes (briefly: anything it started and
    /// left running may hold it open).
    fn drain(&self) {
        if self.master.is_none() {
            return;
        }
        let deadline = Instant::now() + secs(5);
        let mut out = self.shared.lock();
        while !out.closed && Instant::now() < deadline {
            let left = deadline.saturating_duration_since(Instant::now());
            out = self
                .shared
                .changed
                .wait_timeout(out, left)
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .0;
        }
    }

    /// Wait for the program to exit and return its exit code; fails if a
    /// signal killed it.
    pub fn exit_code(&mut self, within: Duration) -> i32 {
        let status = self.wait_exit(within);
        match status.code() {
            Some(c) => c,
            None => panic!(
                "the program was killed ({status}); the screen was:\n{}",
                self.screen()
            ),
        }
    }

    /// The terminal's modes now (the master and the program's side share
    /// them).
    pub fn termios(&self) -> Termios {
        rustix::termios::tcgetattr(self.master()).expect("tcgetattr")
    }

    /// The terminal is usable again: the main screen, the cursor shown,
    /// line editing, echo and Ctrl-C on, output processed.
    pub fn assert_restored(&self) {
        let (alternate, hidden) = {
            let out = self.shared.lock();
            (
                out.parser.screen().alternate_screen(),
                out.parser.screen().hide_cursor(),
            )
        };
        let screen = self.screen();
        assert!(!alternate, "still on the alternate screen:\n{screen}");
        assert!(!hidden, "the cursor is still hidden:\n{screen}");
        let t = self.termios();
        for (mode, name) in [
            (LocalModes::ICANON, "icanon"),
            (LocalModes::ECHO, "echo"),
            (LocalModes::ISIG, "isig"),
        ] {
            assert!(t.local_modes.contains(mode), "{name} is off:\n{screen}");
        }
        assert!(
            t.output_modes.contains(OutputModes::OPOST),
            "opost is off:\n{screen}"
        );
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        // A test that failed half way leaves nothing running.
        if self.status.is_none() && self.exited.try_recv().is_err() {
            // The program leads its own process group: end all of it.
            let _ = rustix::process::kill_process_group(self.pid, rustix::process::Signal::KILL);
        }
        self.stop.store(true, Ordering::SeqCst);
        if let Some(r) = self.reader.take() {
            let _ = r.join();
        }
    }
}

/// The reader thread: wait for output (looking at the stop flag every
/// 20 ms), feed it to the parser, and say something changed.
fn read_all(master: &OwnedFd, shared: &Shared, stop: &AtomicBool) {
    let mut buf = [0u8; 8192];
    let tick = rustix::event::Timespec {
        tv_sec: 0,
        tv_nsec: 20_000_000,
    };
    while !stop.load(Ordering::SeqCst) {
        let mut fds = [PollFd::new(master, PollFlags::IN)];
        match rustix::event::poll(&mut fds, Some(&tick)) {
            Ok(0) | Err(rustix::io::Errno::INTR) => continue,
            Ok(_) => {}
            Err(_) => break,
        }
        match rustix::io::read(master, &mut buf) {
            Ok(0) => break,
            Ok(n) => {
                let mut out = shared.lock();
                out.parser.process(&buf[..n]);
                out.raw.extend_from_slice(&buf[..n]);
                drop(out);
                shared.changed.notify_all();
            }
            Err(rustix::io::Errno::INTR | rustix::io::Errno::AGAIN) => {}
            // EIO: the program's side has closed.
            Err(_) => break,
        }
    }
    shared.lock().closed = true;
    shared.changed.notify_all();
}
