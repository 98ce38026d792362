//! `exhale run --plain` through the real binary: `--minutes` on a
//! meditation (the sit takes the given length instead of silently running
//! its own), and the bells of a breathe block, one line each.

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

#[test]
fn plain_mode_prints_the_bells_of_a_breathe_block_between_its_phases() {
    let dir = tempfile::tempdir().expect("tempdir");
    let session = dir.path().join("belled.toml");
    std::fs::write(
        &session,
        "name = \"Belled\"\nsettle = 0\n[[block]]\nkind = \"breathe\"\ncycles = 3\n\
         phases = [{ in = 2 }, { out = 2 }]\nbells = { every = 5, end = true }\n",
    )
    .expect("write");
    let out = Command::cargo_bin("exhale")
        .expect("binary")
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .env("EXHALE_MACHINE", "test")
        .env("EXHALE_TEST_CLOCK", "manual")
        .args(["run", "--plain", "--no-journal"])
        .arg(&session)
        .timeout(std::time::Duration::from_secs(20))
        .output()
        .expect("run");
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    // Each line's time and event word, for the inhales, bells and end.
    let lines: Vec<String> = stdout
        .lines()
        .map(|l| l.split("  ").take(2).collect::<Vec<_>>().join("  "))
        .filter(|l| l.ends_with("bell") || l.ends_with("inhale") || l.ends_with("end"))
        .collect();
    assert_eq!(
        lines,
        [
            "00:00.000  inhale",
            "00:04.000  inhale",
            "00:05.000  bell",
            "00:08.000  inhale",
            "00:10.000  bell",
            "00:12.000  bell",
            "00:12.000  end",
        ],
        "{stdout}"
    );
}
