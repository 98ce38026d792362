//! What happens when the places exhale keeps things in are broken, through
//! the real binary in plain mode: the session still runs and the user is
//! told plainly when it could not be saved (exit code 3); a missing config folder means
//! defaults; a config path that is a folder is a clear error (exit 1).
//!
//! The same failures in the full-screen app are covered by
//! `tui_journal.rs` (a failing journal behind the trait, a file journal
//! under a regular file) and `tui_e2e.rs` (an unwritable data folder).
//!
//! Tests may run as root, which ignores permission bits, so "unwritable"
//! is made with a regular file where a folder must be (no one can create
//! a folder inside a file), and a journal that cannot take a write with a
//! link to `/dev/full`, which is refused as not a regular file. A full
//! disk cutting a write short is in `journal_faults.rs`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use tempfile::TempDir;

const SESSION: &str = "name = \"Short test\"\nsettle = 0\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 1 }, { out = 1 }]\ncycles = 1\n";

struct Home {
    dir: TempDir,
    session: PathBuf,
}

impl Home {
    fn new() -> Self {
        let dir = TempDir::new().expect("tempdir");
        let session = dir.path().join("short-test.toml");
        std::fs::write(&session, SESSION).expect("write session");
        Self { dir, session }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    fn exhale(&self, data: &Path, config: &Path, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_exhale"))
            .env("XDG_DATA_HOME", data)
            .env("EXHALE_MACHINE", "test")
            .env("XDG_CONFIG_HOME", config)
            .env("HOME", self.dir.path())
            // The session at once: these tests are about where things are
            // kept, not about time.
            .env("EXHALE_TEST_CLOCK", "manual")
            .args(args)
            .stdin(Stdio::null())
            .output()
            .expect("run exhale")
    }

    fn run_plain(&self, data: &Path, config: &Path) -> Output {
        let session = self.session.display().to_string();
        self.exhale(data, config, &["run", &session, "--plain"])
    }
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn an_unwritable_data_folder_still_runs_the_session_and_says_it_was_not_saved() {
    let home = Home::new();
    // The data folder's parent is a regular file.
    std::fs::write(home.path("blocked"), "").expect("write");
    let data = home.path("blocked/data");
    let out = home.run_plain(&data, &home.path("config"));
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    // 3: the session ran, but could not be saved.
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(
        stdout.contains("00:01.000  exhale"),
        "the session ran:\n{stdout}"
    );
    assert!(stdout.contains("practised 2s"), "{stdout}");
    assert!(!stdout.contains("saved to journal"), "{stdout}");
    assert!(
        stderr.contains("this session could not be saved to the journal"),
        "{stderr}"
    );
    assert!(stderr.contains(&data.display().to_string()), "{stderr}");
    assert!(stderr.contains("Not a directory"), "{stderr}");
}

#[test]
fn a_journal_that_is_a_device_is_reported_and_the_session_still_counts_as_run() {
    if !Path::new("/dev/full").exists() {
        eprintln!("skipped: no /dev/full on this system");
        return;
    }
    let home = Home::new();
    let data = home.path("data");
    std::fs::create_dir_all(data.join("exhale/journal")).expect("mkdir");
    // A device is not a journal: it is refused before anything is written.
    std::os::unix::fs::symlink("/dev/full", data.join("exhale/journal/test.jsonl"))
        .expect("symlink");
    let out = home.run_plain(&data, &home.path("config"));
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    // 3: the session ran, but could not be saved.
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert!(stdout.contains("practised 2s"), "{stdout}");
    assert!(!stdout.contains("saved to journal"), "{stdout}");
    assert!(stderr.contains("could not be saved"), "{stderr}");
    assert!(
        stderr.contains("this is a character device, not a regular file"),
        "{stderr}"
    );
}

#[test]
fn a_missing_config_folder_means_the_defaults() {
    let home = Home::new();
    let config = home.path("no/such/folder");
    let data = home.path("data");
    let out = home.run_plain(&data, &config);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("saved to journal"));
    assert!(!config.exists(), "nothing is created in the config folder");
    // The stats read with the default settings too.
    let out = home.exhale(&data, &config, &["stats"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("Practised on 1 of the last 30 days"));
}

#[test]
fn a_config_file_that_is_a_folder_is_a_clear_error() {
    let home = Home::new();
    let config = home.path("config");
    std::fs::create_dir_all(config.join("exhale/config.toml")).expect("mkdir");
    let session = home.session.display().to_string();
    for args in [
        vec!["run", session.as_str(), "--plain"],
        vec!["run", session.as_str()],
        vec!["stats"],
    ] {
        let out = home.exhale(&home.path("data"), &config, &args);
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains("the config path is a folder, not a file"),
            "{args:?}: {stderr}"
        );
        assert!(out.stdout.is_empty(), "{args:?}: nothing ran");
    }
    assert!(!home.path("data").exists(), "nothing was recorded");
}

#[test]
fn a_config_link_to_a_missing_file_is_named_in_a_warning_and_the_defaults_apply() {
    let home = Home::new();
    let config = home.path("config");
    std::fs::create_dir_all(config.join("exhale")).expect("mkdir");
    let link = config.join("exhale/config.toml");
    let target = home.path("dotfiles/exhale.toml");
    std::os::unix::fs::symlink(&target, &link).expect("symlink");
    let out = home.exhale(&home.path("data"), &config, &["stats"]);
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert_eq!(
        stderr.trim_end(),
        format!(
            "warning: {} is a symbolic link to {}, which does not exist; using the default settings",
            link.display(),
            target.display()
        )
    );
}
