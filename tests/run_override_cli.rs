//! `exhale run --minutes` through the real binary on a meditation: the sit
//! takes the given length instead of silently running its own.

use assert_cmd::Command;
use predicates::prelude::*;
use predicates::str::contains;

const SIT: &str = "name = \"Sit\"\nsettle = 0\n[[block]]\nkind = \"meditate\"\nduration = \"5m\"\nbells = { start = true, end = true }\nprompts = [{ at = 0, text = \"Settle.\" }, { at = \"2m\", text = \"Later.\" }]\n";

#[test]
fn minutes_sets_the_length_of_a_meditation() {
    let dir = tempfile::tempdir().expect("tempdir");
    let session = dir.path().join("sit.toml");
    std::fs::write(&session, SIT).expect("write");
    Command::cargo_bin("exhale")
        .expect("binary")
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .env("EXHALE_MACHINE", "test")
        .env("EXHALE_TEST_CLOCK", "manual")
        .args(["run", "--plain", "--no-journal", "--minutes", "0.02"])
        .arg(&session)
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .success()
        .stdout(contains("Settle."))
        .stdout(contains("00:01.200  end"))
        .stdout(contains("Later.").not());
}

#[test]
fn the_help_says_minutes_also_sets_a_meditation() {
    Command::cargo_bin("exhale")
        .expect("binary")
        .args(["run", "--help"])
        .env("COLUMNS", "200")
        .assert()
        .success()
        .stdout(contains(
            "without breathing blocks (a meditation), make each fixed-length sit",
        ));
}
