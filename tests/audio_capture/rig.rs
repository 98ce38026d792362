//! The capture rig for `tests/audio_capture.rs`: a temporary folder with a
//! session, an ALSA config whose default device writes into a FIFO, a
//! reader that drains the FIFO in real time, and a tmux wrapper for runs
//! that need a terminal on stdin.

use std::fs::File;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::{FRAME, RATE, SESSION};

pub fn exhale() -> &'static str {
    env!("CARGO_BIN_EXE_exhale")
}

pub fn have(tool: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {tool}")])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// A temporary folder with the session, an ALSA config and a FIFO.
pub struct Rig {
    pub dir: tempfile::TempDir,
}

impl Rig {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("session.toml"), SESSION).expect("session");
        let fifo = dir.path().join("pcm.fifo");
        let ok = Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "mkfifo failed (coreutils is needed for this test)");
        let template = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/alsa/capture.conf"),
        )
        .expect("capture.conf");
        let conf = template.replace("@FIFO@", &fifo.display().to_string());
        std::fs::write(dir.path().join("asound.conf"), conf).expect("conf");
        std::fs::create_dir_all(dir.path().join("config")).expect("config");
        Self { dir }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn command(&self, extra: &[&str]) -> Command {
        let mut c = Command::new(exhale());
        c.args(["run", "--plain", "--no-journal"])
            .arg(self.path("session.toml"))
            .args(extra)
            .env("ALSA_CONFIG_PATH", self.path("asound.conf"))
            .env("XDG_CONFIG_HOME", self.path("config"))
            .env("XDG_DATA_HOME", self.path("data"))
            .env("NO_COLOR", "1");
        c
    }

    /// Start draining the FIFO in real time.
    pub fn capture(&self) -> Capture {
        let done = Arc::new(AtomicBool::new(false));
        let fifo = self.path("pcm.fifo");
        let flag = Arc::clone(&done);
        let reader = std::thread::spawn(move || drain_paced(&fifo, &flag));
        Capture {
            fifo: self.path("pcm.fifo"),
            done,
            reader: Some(reader),
        }
    }
}

pub struct Capture {
    fifo: PathBuf,
    done: Arc<AtomicBool>,
    reader: Option<JoinHandle<Vec<u8>>>,
}

impl Capture {
    /// After the app has exited: stop reading and return the left channel.
    pub fn finish(mut self) -> Vec<i16> {
        self.done.store(true, Ordering::SeqCst);
        // The reader may be waiting in open() for a writer that will never
        // come; opening the write end releases it, and closing it at once
        // gives it end-of-file.
        let fifo = self.fifo.clone();
        std::thread::spawn(move || drop(std::fs::OpenOptions::new().write(true).open(fifo)));
        let bytes = self
            .reader
            .take()
            .expect("reader")
            .join()
            .expect("reader thread");
        if let Some(dump) = std::env::var_os("EXHALE_CAPTURE_DUMP") {
            // For looking at a failure by ear or in an editor: raw S16_LE
            // 48 kHz stereo.
            let _ = std::fs::write(dump, &bytes);
        }
        bytes
            .chunks_exact(FRAME)
            .map(|f| i16::from_le_bytes([f[0], f[1]]))
            .collect()
    }
}

/// Read the FIFO at 48000 frames a second from the first byte on, across
/// reopenings (ALSA may open the file more than once), until `done` and
/// end-of-file.
pub fn drain_paced(fifo: &Path, done: &AtomicBool) -> Vec<u8> {
    let mut data: Vec<u8> = Vec::new();
    let mut start: Option<Instant> = None;
    let mut buf = vec![0_u8; 16 * 1024];
    loop {
        let Ok(mut f) = File::open(fifo) else {
            return data;
        };
        shrink(&f);
        loop {
            let want = match start {
                None => FRAME,
                Some(s) => {
                    let due = (s.elapsed().as_secs_f64() * RATE as f64) as usize * FRAME;
                    due.saturating_sub(data.len()).min(buf.len())
                }
            };
            if want == 0 {
                std::thread::sleep(Duration::from_millis(1));
                continue;
            }
            match f.read(&mut buf[..want]) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    start.get_or_insert_with(Instant::now);
                    data.extend_from_slice(&buf[..n]);
                }
            }
        }
        if done.load(Ordering::SeqCst) {
            return data;
        }
    }
}

/// Make the pipe hold one page instead of 64 KiB, so the app cannot run
/// far ahead of real time.
pub fn shrink(f: &File) {
    use std::os::fd::AsRawFd as _;
    // SAFETY: F_SETPIPE_SZ on a descriptor we own; failure (the pipe
    // already holds more) only leaves the pipe larger.
    unsafe {
        libc::fcntl(f.as_raw_fd(), libc::F_SETPIPE_SZ, 4096);
    }
}

/// Runs `exhale` in a detached tmux session on its own server, so stdin is
/// a terminal, with stdout and stderr going to files (or to the pane).
pub struct Tmux {
    socket: String,
}

impl Tmux {
    pub fn start(rig: &Rig, shell: &str) -> Self {
        let socket = format!("exhale-audio-{}", std::process::id());
        let ok = Command::new("tmux")
            .args([
                "-L",
                &socket,
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-s",
                "t",
            ])
            .args(["-x", "100", "-y", "30", "sh", "-c", shell])
            .current_dir(rig.dir.path())
            .status()
            .is_ok_and(|s| s.success());
        assert!(ok, "tmux did not start");
        Self { socket }
    }

    pub fn send(&self, keys: &[&str]) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "send-keys", "-t", "t"])
            .args(keys)
            .status();
    }

    pub fn screen(&self) -> String {
        Command::new("tmux")
            .args(["-L", &self.socket, "capture-pane", "-p", "-t", "t"])
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
            .unwrap_or_default()
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .stderr(Stdio::null())
            .status();
    }
}

/// Poll `check` every 20 ms until it holds or `limit` passes.
pub fn wait_for(limit: Duration, mut check: impl FnMut() -> bool) -> bool {
    let end = Instant::now() + limit;
    while Instant::now() < end {
        if check() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

pub fn shell_quote(p: &Path) -> String {
    format!("'{}'", p.display().to_string().replace('\'', r"'\''"))
}
