//! The capture rig for `tests/audio_capture.rs`: a temporary home with a
//! session, an ALSA config whose default device writes into a named pipe
//! (made with `mknod`, no program needed), and a reader that drains the
//! pipe in real time and can say, while the app runs, how much it has
//! heard so far. Runs that need a terminal use the pseudo-terminal
//! harness in `pty/mod.rs`.

use std::fs::File;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::pty::Home;
use super::{FRAME, RATE, SESSION};

/// A temporary home with the session, an ALSA config and a FIFO.
pub struct Rig {
    pub home: Home,
}

impl Rig {
    pub fn new() -> Self {
        let home = Home::new();
        std::fs::write(home.path().join("session.toml"), SESSION).expect("session");
        let fifo = home.path().join("pcm.fifo");
        rustix::fs::mknodat(
            rustix::fs::CWD,
            &fifo,
            rustix::fs::FileType::Fifo,
            rustix::fs::Mode::from_raw_mode(0o600),
            0,
        )
        .expect("make the named pipe");
        let template = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/alsa/capture.conf"),
        )
        .expect("capture.conf");
        let conf = template.replace("@FIFO@", &fifo.display().to_string());
        std::fs::write(home.path().join("asound.conf"), conf).expect("conf");
        Self { home }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.home.path().join(name)
    }

    /// `exhale args...` with ALSA's default device writing into the pipe.
    pub fn exhale(&self, args: &[&str]) -> Command {
        let mut c = self.home.exhale(args);
        c.env("ALSA_CONFIG_PATH", self.path("asound.conf"));
        c
    }

    /// `exhale run --plain --no-journal session.toml extra...`, colourless.
    pub fn command(&self, extra: &[&str]) -> Command {
        let mut c = self.exhale(&["run", "--plain", "--no-journal", "session.toml"]);
        c.args(extra).env("NO_COLOR", "1");
        c
    }

    /// Start draining the FIFO in real time.
    pub fn capture(&self) -> Capture {
        let done = Arc::new(AtomicBool::new(false));
        let heard = Arc::new(Heard::default());
        let fifo = self.path("pcm.fifo");
        let reader = {
            let (done, heard) = (Arc::clone(&done), Arc::clone(&heard));
            std::thread::spawn(move || drain_paced(&fifo, &done, &heard))
        };
        Capture {
            fifo: self.path("pcm.fifo"),
            done,
            heard,
            reader: Some(reader),
        }
    }
}

/// What the reader has taken from the pipe so far.
#[derive(Default)]
pub struct Heard {
    bytes: Mutex<Vec<u8>>,
    more: Condvar,
}

impl Heard {
    fn lock(&self) -> MutexGuard<'_, Vec<u8>> {
        self.bytes.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

pub struct Capture {
    fifo: PathBuf,
    done: Arc<AtomicBool>,
    heard: Arc<Heard>,
    reader: Option<JoinHandle<()>>,
}

impl Capture {
    /// Frames heard so far: since the reader paces itself at 48 kHz from
    /// the first byte, also where "now" falls in the capture.
    pub fn frames(&self) -> usize {
        self.heard.lock().len() / FRAME
    }

    /// Wait until `n` frames have been heard; fails after `within`.
    pub fn wait_frames(&self, n: usize, within: Duration) {
        let deadline = Instant::now() + within;
        let mut bytes = self.heard.lock();
        while bytes.len() / FRAME < n {
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(
                !left.is_zero(),
                "heard {} of {n} frames in {within:?}",
                bytes.len() / FRAME
            );
            bytes = self
                .heard
                .more
                .wait_timeout(bytes, left)
                .unwrap_or_else(PoisonError::into_inner)
                .0;
        }
    }

    /// After the app has exited: stop reading and return the left channel.
    pub fn finish(self) -> Vec<i16> {
        self.finish_stereo().0
    }

    /// After the app has exited: stop reading and return the left and the
    /// right channel.
    pub fn finish_stereo(mut self) -> (Vec<i16>, Vec<i16>) {
        self.done.store(true, Ordering::SeqCst);
        // The reader may be waiting in open() for a writer that will never
        // come; opening the write end releases it, and closing it at once
        // gives it end-of-file.
        let fifo = self.fifo.clone();
        std::thread::spawn(move || drop(std::fs::OpenOptions::new().write(true).open(fifo)));
        self.reader
            .take()
            .expect("reader")
            .join()
            .expect("reader thread");
        let bytes = std::mem::take(&mut *self.heard.lock());
        if let Some(dump) = std::env::var_os("EXHALE_CAPTURE_DUMP") {
            // For looking at a failure by ear or in an editor: raw S16_LE
            // 48 kHz stereo.
            let _ = std::fs::write(dump, &bytes);
        }
        bytes
            .chunks_exact(FRAME)
            .map(|f| {
                (
                    i16::from_le_bytes([f[0], f[1]]),
                    i16::from_le_bytes([f[2], f[3]]),
                )
            })
            .unzip()
    }
}

/// Read the FIFO at 48000 frames a second from the first byte on, across
/// reopenings (ALSA may open the file more than once), until `done` and
/// end-of-file.
fn drain_paced(fifo: &Path, done: &AtomicBool, heard: &Heard) {
    let mut start: Option<Instant> = None;
    let mut buf = vec![0_u8; 16 * 1024];
    loop {
        let Ok(mut f) = File::open(fifo) else {
            return;
        };
        shrink(&f);
        loop {
            let have = heard.lock().len();
            let want = match start {
                None => FRAME,
                Some(s) => {
                    let due = (s.elapsed().as_secs_f64() * RATE as f64) as usize * FRAME;
                    due.saturating_sub(have).min(buf.len())
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
                    heard.lock().extend_from_slice(&buf[..n]);
                    heard.more.notify_all();
                }
            }
        }
        if done.load(Ordering::SeqCst) {
            return;
        }
    }
}

/// Make the pipe hold one page instead of 64 KiB, so the app cannot run
/// far ahead of real time.
fn shrink(f: &File) {
    // F_SETPIPE_SZ; failure (the pipe already holds more) only leaves
    // the pipe larger.
    let _ = rustix::pipe::fcntl_setpipe_size(f, 4096);
}
