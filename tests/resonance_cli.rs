//! `rate = "resonance"` and `--rate` through the real binary: a session
//! breathes at the rate of the journal's newest resonance assessment, at
//! 5.5 with a note until there is one, and `exhale stats` and the export
//! show the assessment. Plain mode on the manual clock runs at once.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use predicates::str::contains;

const SESSION: &str = "name = \"Mine\"\nsettle = 0\n[[block]]\nkind = \"breathe\"\nrate = \"resonance\"\ncycles = 1\n\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 1 }, { out = 3 }]\ncycles = 1\n";

fn exhale(home: &Path) -> Command {
    let mut c = Command::cargo_bin("exhale").expect("binary");
    c.env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("EXHALE_MACHINE", "test")
        .env("EXHALE_TEST_CLOCK", "manual")
        .env_remove("EXHALE_JOURNAL_DIR")
        .timeout(std::time::Duration::from_secs(30));
    c
}

fn assessment(rate: &str, date: &str, n: u8) -> String {
    format!(
        "{{\"v\":2,\"kind\":\"resonance\",\"id\":\"0192fa10-2b3c-7d4e-8f50-6a7b8c9d0e{n:02x}\",\"machine\":\"desk\",\"date\":\"{date}\",{rate}\"method\":\"rating\",\"steps\":[{{\"rate\":6.0,\"rating\":4}},{{\"rate\":5.0,\"rating\":8}}]}}\n"
    )
}

fn setup(lines: &[String]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("mine.toml"), SESSION).expect("write");
    let journal = dir.path().join("data/exhale/journal");
    std::fs::create_dir_all(&journal).expect("mkdir");
    std::fs::write(journal.join("desk.jsonl"), lines.concat()).expect("write");
    dir
}

fn run(dir: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    exhale(dir)
        .args(["run", "--plain", "--no-journal", "--no-sound"])
        .args(extra)
        .arg(dir.join("mine.toml"))
        .write_stdin("")
        .assert()
        .success()
}

#[test]
fn without_an_assessment_a_resonance_block_breathes_at_5_5_and_says_so() {
    let dir = setup(&[]);
    run(dir.path(), &[])
        .stdout(contains("inhale  4.364s"))
        .stdout(contains("exhale  6.545s"))
        .stderr(contains(
            "no resonance assessment yet, so breathing at 5.5 breaths a minute",
        ));
}

#[test]
fn the_newest_assessment_with_a_rate_sets_the_pace() {
    let dir = setup(&[
        assessment("\"resonance_rate\":6.0,", "2026-11-01T08:00:00+01:00", 1),
        assessment("\"resonance_rate\":5.0,", "2026-11-20T08:00:00+01:00", 2),
        // Newer, but unclear: the rate found before it stands.
        assessment(
            "\"unclear\":\"every step was rated the same\",",
            "2026-11-25T08:00:00+01:00",
            3,
        ),
    ]);
    // 5 a minute: a breath of 12 s, in for 40% and out for 60%; the block
    // without a rate keeps its own pace.
    run(dir.path(), &[])
        .stdout(contains("inhale  4.8s"))
        .stdout(contains("exhale  7.2s"))
        .stdout(contains("inhale  1s"))
        .stderr(contains(
            "breathing at your resonance rate, 5 breaths a minute (found 2026-11-20)",
        ));
    // --rate resonance paces every block at it, proportions kept.
    run(dir.path(), &["--rate", "resonance"])
        .stdout(contains("inhale  3s"))
        .stdout(contains("exhale  9s"));
    // A number wins over the journal, and no note speaks of resonance.
    run(dir.path(), &["--rate", "10"])
        .stdout(contains("inhale  2.4s"))
        .stdout(contains("inhale  1.5s"))
        .stderr(contains("resonance").not());

    exhale(dir.path())
        .arg("stats")
        .assert()
        .success()
        .stdout(contains(
            "Resonance rate: 5 breaths a minute (found 2026-11-20); the assessment of 2026-11-25 was unclear",
        ));
    let out = exhale(dir.path())
        .args(["stats", "--json"])
        .output()
        .expect("runs");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["resonance"]["rate"], 5.0, "{v}");
    assert_eq!(
        v["resonance"]["assessments"].as_array().map(Vec::len),
        Some(3)
    );
    exhale(dir.path())
        .args(["export", "--since", "2026-11-15"])
        .assert()
        .success()
        .stdout(contains(
            "### 2026-11-20 08:00: 5 breaths a minute, by how each rate felt",
        ))
        .stdout(contains("| 5 | 8 |"))
        .stdout(contains("2026-11-01").not());
}

#[test]
fn a_bad_rate_on_the_command_line_is_a_usage_error() {
    let dir = setup(&[]);
    exhale(dir.path())
        .args(["run", "--plain", "--rate", "fast"])
        .arg(dir.path().join("mine.toml"))
        .assert()
        .code(2)
        .stderr(contains("`fast` is not a rate"));
}
