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
            .env("EXHALE_MACHINE", "test")
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

/// A session that plays the sound `chime` at its first breath in; the
/// name is at line 5, column 29.
const WITH_CHIME: &str = "name = \"Chime\"\nsettle = 0\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 1, sound = \"chime\" }, { out = 1 }]\ncycles = 1\n";

/// The 44-byte header of a 16-bit PCM WAV file holding `data_len` bytes of
/// samples.
fn wav_header(rate: u32, channels: u16, data_len: u32) -> Vec<u8> {
    let block = channels * 2;
    let mut h = Vec::new();
    h.extend_from_slice(b"RIFF");
    h.extend_from_slice(&data_len.saturating_add(36).to_le_bytes());
    h.extend_from_slice(b"WAVEfmt ");
    h.extend_from_slice(&16_u32.to_le_bytes());
    h.extend_from_slice(&1_u16.to_le_bytes());
    h.extend_from_slice(&channels.to_le_bytes());
    h.extend_from_slice(&rate.to_le_bytes());
    h.extend_from_slice(&rate.wrapping_mul(u32::from(block)).to_le_bytes());
    h.extend_from_slice(&block.to_le_bytes());
    h.extend_from_slice(&16_u16.to_le_bytes());
    h.extend_from_slice(b"data");
    h.extend_from_slice(&data_len.to_le_bytes());
    h
}

/// A WAV file of `secs` seconds of silence, written sparsely (the samples
/// take no room on disk).
fn silent_wav(path: &Path, rate: u32, channels: u16, secs: u32) {
    let data = rate * u32::from(channels) * 2 * secs;
    std::fs::write(path, wav_header(rate, channels, data)).expect("write");
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .expect("open");
    f.set_len(44 + u64::from(data)).expect("extend");
}

fn check_chime(home: &Home) -> Output {
    std::fs::write(home.path("chime.toml"), WITH_CHIME).expect("write");
    home.run(&["check", "chime.toml"])
}

#[test]
fn a_wav_whose_header_claims_four_gigahertz_is_refused_by_check() {
    let home = Home::new();
    // A megabyte of samples, said to be played four billion times a
    // second: the old length limit (60 s at the claimed rate) let through
    // a file of any size.
    let path = home.sounds().join("chime.wav");
    let mut wav = wav_header(4_000_000_000, 2, 1024 * 1024);
    wav.resize(44 + 1024 * 1024, 7);
    std::fs::write(&path, wav).expect("write");
    let o = check_chime(&home);
    assert_refused(
        &o,
        &[
            "chime.toml:5:29",
            "sound `chime` (",
            "chime.wav) has a sample rate of 4,000,000,000 Hz",
            "8,000 to 192,000 Hz",
            "save it at 44.1 or 48 kHz",
        ],
    );
    assert!(!stderr(&o).contains("convert"), "{}", stderr(&o));
}

#[test]
fn a_sound_that_is_a_fifo_or_a_device_is_named_for_what_it_is() {
    let home = Home::new();
    mkfifo(&home.sounds().join("chime.wav"));
    let o = check_chime(&home);
    assert_refused(
        &o,
        &[
            "chime.toml:5:29",
            "chime.wav) is a named pipe (FIFO), not a regular file",
        ],
    );
    let err = stderr(&o);
    assert!(
        !err.contains("unknown sound") && !err.contains("convert"),
        "{err}"
    );
    std::fs::remove_file(home.sounds().join("chime.wav")).expect("remove");
    std::os::unix::fs::symlink("/dev/zero", home.sounds().join("chime.wav")).expect("symlink");
    let o = check_chime(&home);
    assert_refused(
        &o,
        &["chime.wav) is a link to /dev/zero, which is a character device, not a regular file"],
    );
}

#[test]
fn a_sound_too_long_too_large_or_not_audio_says_which() {
    let home = Home::new();
    let path = home.sounds().join("chime.wav");
    // Longer than a minute.
    silent_wav(&path, 8_000, 1, 61);
    let o = check_chime(&home);
    assert_refused(&o, &["chime.wav) is longer than 60 s", "shorten it"]);
    // 192 kHz stereo for 40 s: under a minute, but 59 MiB of samples.
    silent_wav(&path, 192_000, 2, 40);
    let o = check_chime(&home);
    assert_refused(&o, &["chime.wav) is larger than 32 MiB once decoded"]);
    // A file far larger than any sound.
    std::fs::write(&path, wav_header(48_000, 1, 80 * 1024 * 1024)).expect("write");
    let f = std::fs::OpenOptions::new()
        .write(true)
        .open(&path)
        .expect("open");
    f.set_len(80 * 1024 * 1024).expect("extend");
    let o = check_chime(&home);
    assert_refused(
        &o,
        &["chime.wav) is 80 MiB, more than the 64 MiB a sound file may be"],
    );
    // Not audio at all: only now is converting the advice.
    std::fs::write(&path, b"RIFF but not really").expect("write");
    let o = check_chime(&home);
    assert_refused(&o, &["chime.wav) cannot be decoded", "convert it to WAV"]);
}

#[test]
fn the_sounds_of_one_session_together_stay_under_the_bank_cap() {
    let home = Home::new();
    // Three sounds of 23 MB each once decoded (96 kHz mono, 60 s).
    for name in ["a", "b", "c"] {
        silent_wav(&home.sounds().join(format!("{name}.wav")), 96_000, 1, 60);
    }
    let session = "name = \"Heavy\"\nsettle = 0\n[sounds]\ninhale = \"a\"\nexhale = \"b\"\nhold = \"c\"\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 1 }, { out = 1 }]\ncycles = 1\n";
    std::fs::write(home.path("heavy.toml"), session).expect("write");
    let o = home.run(&["check", "heavy.toml"]);
    assert_refused(
        &o,
        &[
            "heavy.toml:6:8",
            "with sound `c`, the sounds this session uses take 66 MiB decoded, more than the 64 MiB",
        ],
    );
    // Two of them are fine.
    let two = session.replace("hold = \"c\"\n", "");
    std::fs::write(home.path("heavy.toml"), two).expect("write");
    let o = home.run(&["check", "heavy.toml"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
}

#[test]
fn a_file_with_a_hundred_thousand_mistakes_shows_the_first_fifty_at_once() {
    let home = Home::new();
    let refs = vec!["\"\\t\""; 100_000].join(",");
    let text = format!(
        "name = \"Many\"\nreferences = [{refs}]\n[[block]]\nkind = \"meditate\"\nminutes = 1\n"
    );
    std::fs::write(home.path("many.toml"), text).expect("write");
    let o = home.run(&["check", "many.toml"]);
    let err = stderr(&o);
    assert_eq!(
        o.status.code(),
        Some(1),
        "killed at the deadline? {:?}",
        o.status
    );
    assert_eq!(err.matches("error: a reference contains a tab").count(), 50);
    assert!(
        err.contains("… and 99950 more errors in many.toml, not shown"),
        "{}",
        &err[err.len().saturating_sub(300)..]
    );
    assert!(String::from_utf8_lossy(&o.stdout).contains("many.toml: 100000 errors"));
}
