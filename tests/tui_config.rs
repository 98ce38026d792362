//! The config file through the real binary: its settings reach the session,
//! and a bad file stops exhale with a pointed error and exit code 1.

use assert_cmd::Command;
use predicates::str::contains;

fn exhale(root: &std::path::Path) -> Command {
    let mut c = Command::cargo_bin("exhale").expect("binary");
    // The whole session at once: what is checked here is the wiring of the
    // config, not timing (plain_timing.rs times a real run).
    c.env("XDG_CONFIG_HOME", root.join("config"))
        .env("XDG_DATA_HOME", root.join("data"))
        .env("EXHALE_MACHINE", "test")
        .env("EXHALE_TEST_CLOCK", "manual");
    c
}

fn write_config(root: &std::path::Path, text: &str) {
    let dir = root.join("config/exhale");
    std::fs::create_dir_all(&dir).expect("mkdir");
    std::fs::write(dir.join("config.toml"), text).expect("write");
}

const SESSION: &str =
    "name = \"S\"\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 1 }, { out = 1 }]\ncycles = 1\n";

#[test]
fn settle_in_from_the_config_is_used_when_the_session_sets_none() {
    let dir = tempfile::tempdir().expect("tempdir");
    let session = dir.path().join("s.toml");
    std::fs::write(&session, SESSION).expect("write");
    write_config(dir.path(), "settle_in = 0\n");
    exhale(dir.path())
        .args(["run", "--plain"])
        .arg(&session)
        .assert()
        .success()
        .stdout(contains("00:00.000  inhale  1s"));
    write_config(dir.path(), "settle_in = 1.5\n");
    exhale(dir.path())
        .args(["run", "--plain"])
        .arg(&session)
        .assert()
        .success()
        .stdout(contains("00:00.000  settle  1.5s"))
        .stdout(contains("00:01.500  inhale  1s"));
}

#[test]
fn a_bad_config_is_reported_with_its_place_and_exit_1() {
    let dir = tempfile::tempdir().expect("tempdir");
    write_config(dir.path(), "[sound]\nvolume = 3\n");
    exhale(dir.path())
        .args(["run", "box", "--plain"])
        .assert()
        .code(1)
        .stderr(contains("`volume` must be between 0 and 1, not 3"))
        .stderr(contains("config.toml:2:10"))
        .stderr(contains("2 | volume = 3"));
}

#[test]
fn a_folder_in_place_of_the_config_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join("config/exhale/config.toml")).expect("mkdir");
    exhale(dir.path())
        .args(["run", "box", "--plain"])
        .assert()
        .code(1)
        .stderr(contains("the config path is a folder, not a file"));
}

#[test]
fn the_picker_needs_a_terminal() {
    let dir = tempfile::tempdir().expect("tempdir");
    exhale(dir.path())
        .assert()
        .code(2)
        .stderr(contains("the session picker needs a terminal"));
}
