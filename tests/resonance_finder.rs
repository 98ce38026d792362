//! `exhale run resonance-finder` end to end, in plain mode on the manual
//! clock (the whole assessment runs at once): ratings piped in order,
//! and a heart-rate recording with a known peak, each saving the expected
//! rate, which a later `rate = "resonance"` session then breathes at.

use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;
use exhale::engine::finder::{self, Plan};
use predicates::prelude::*;

mod finder_common;
use finder_common::recording;
use predicates::str::contains;

fn exhale(home: &Path) -> Command {
    let mut c = Command::cargo_bin("exhale").expect("binary");
    c.env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("EXHALE_MACHINE", "test")
        .env("EXHALE_TEST_CLOCK", "manual")
        .env_remove("EXHALE_JOURNAL_DIR")
        .timeout(Duration::from_secs(60));
    c
}

fn journal(home: &Path) -> Vec<serde_json::Value> {
    let text =
        std::fs::read_to_string(home.join("data/exhale/journal/test.jsonl")).unwrap_or_default();
    text.lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect()
}

const MINE: &str = "name = \"Mine\"\nsettle = 0\n[[block]]\nkind = \"breathe\"\nrate = \"resonance\"\ncycles = 1\n";

fn breathes_at_my_rate(home: &Path, inhale: &str) {
    std::fs::write(home.join("mine.toml"), MINE).expect("write");
    exhale(home)
        .args(["run", "--plain", "--no-journal", "--no-sound"])
        .arg(home.join("mine.toml"))
        .write_stdin("")
        .assert()
        .success()
        .stdout(contains(format!("inhale  {inhale}")));
}

#[test]
fn ratings_piped_in_order_find_the_most_comfortable_rate() {
    let home = tempfile::tempdir().expect("tempdir");
    // 6.5, 6, 5.5, 5, 4.5, then a word (asked again), then the fine-tuning
    // steps around 5: 4.75 and 5.25.
    exhale(home.path())
        .args([
            "run",
            "resonance-finder",
            "--plain",
            "--no-sound",
            "--step",
            "10s",
        ])
        .write_stdin("3\n6\n7\n8\n4\nlots\n9\n5\n")
        .assert()
        .success()
        .stdout(contains(
            "How easy and comfortable was 6.5 breaths a minute?",
        ))
        .stdout(contains("a whole number from 0 to 10, please:"))
        .stdout(contains("best so far: 5 breaths a minute"))
        .stdout(contains("rated 4.75 breaths a minute: 9"))
        .stdout(contains("your resonance rate: 4.75 breaths a minute"))
        .stdout(contains("saved to journal"));
    let records = journal(home.path());
    assert_eq!(records.len(), 1, "{records:?}");
    let a = &records[0];
    assert_eq!(a["kind"], "resonance");
    assert_eq!(a["resonance_rate"], 4.75);
    assert_eq!(a["method"], "rating");
    let rates: Vec<f64> = a["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .map(|s| s["rate"].as_f64().expect("rate"))
        .collect();
    assert_eq!(rates, [6.5, 6.0, 5.5, 5.0, 4.5, 4.75, 5.25]);
    // 4.75 a minute: a breath of 12.632 s, in for 40%.
    breathes_at_my_rate(home.path(), "5.053s");
}

#[test]
fn too_few_answers_stop_the_finder_without_saving() {
    let home = tempfile::tempdir().expect("tempdir");
    exhale(home.path())
        .args([
            "run",
            "resonance-finder",
            "--plain",
            "--no-sound",
            "--step",
            "10s",
        ])
        .write_stdin("5\n6\n")
        .assert()
        .success()
        .stdout(contains(
            "no more answers: the finder stops here, and nothing is saved",
        ));
    assert!(journal(home.path()).is_empty());
}

/// A recording in step with the finder's schedule (the same pieces the
/// finder runs), whose heart rate swings most at `peak`.
#[test]
fn a_heart_rate_recording_finds_its_peak_and_sessions_follow_it() {
    let home = tempfile::tempdir().expect("tempdir");
    let plan = Plan::new(Duration::from_secs(60));
    let file = home.path().join("beats.jsonl");
    std::fs::write(&file, recording(plan, 5.0, finder::tuning_rates(5.0))).expect("write");
    exhale(home.path())
        .args([
            "run",
            "resonance-finder",
            "--plain",
            "--no-sound",
            "--step",
            "1m",
        ])
        .arg("--hr-input")
        .arg(&file)
        .write_stdin("")
        .assert()
        .success()
        .stdout(contains("How easy").not())
        .stdout(contains("step 5 breaths a minute: swing 1"))
        .stdout(contains("followed the pacer"))
        .stdout(contains("best so far: 5 breaths a minute"))
        .stdout(contains("your resonance rate: 5 breaths a minute"));
    let records = journal(home.path());
    assert_eq!(records.len(), 1, "{records:?}");
    assert_eq!(records[0]["method"], "heart-rate");
    assert_eq!(records[0]["resonance_rate"], 5.0);
    let best = &records[0]["steps"][3];
    assert_eq!(best["rate"], 5.0);
    assert!(best["swing_bpm"].as_f64().expect("swing") > 12.0, "{best}");
    assert!(best["fit"].as_f64().expect("fit") > 0.9, "{best}");
    // 5 a minute: a breath of 12 s, in for 40%.
    breathes_at_my_rate(home.path(), "4.8s");
    exhale(home.path())
        .arg("stats")
        .assert()
        .success()
        .stdout(contains("Resonance rate: 5 breaths a minute (found "))
        .stdout(contains("by heart rate)"));
}

#[test]
fn a_recording_with_a_mistake_names_its_line_and_column_before_anything_runs() {
    let home = tempfile::tempdir().expect("tempdir");
    let file = home.path().join("beats.jsonl");
    std::fs::write(&file, "{\"rr_ms\": 850}\n{\"rr_ms\": 0.85}\n").expect("write");
    exhale(home.path())
        .args(["run", "resonance-finder", "--plain", "--hr-input"])
        .arg(&file)
        .assert()
        .code(1)
        .stdout(contains("Settle").not())
        .stderr(contains("beats.jsonl:2:11: `rr_ms` is 0.85"))
        .stderr(contains("give milliseconds (850.5), not seconds (0.85)"));
}

#[test]
fn the_finder_s_options_belong_to_it() {
    let home = tempfile::tempdir().expect("tempdir");
    exhale(home.path())
        .args(["run", "box", "--plain", "--step", "10s"])
        .assert()
        .code(2)
        .stderr(contains(
            "--hr-input and --step are for the resonance finder",
        ));
}

#[test]
fn noise_gives_an_unclear_result_and_sessions_keep_the_fallback() {
    let home = tempfile::tempdir().expect("tempdir");
    // Intervals that wander at random, following no breath.
    let mut state = 7u64;
    let mut lines = String::new();
    let mut at = 0.0;
    while at < 900.0 {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let rr = 850.0 + ((state >> 33) % 120) as f64 - 60.0;
        at += rr / 1000.0;
        lines.push_str(&format!("{{\"rr_ms\": {rr}}}\n"));
    }
    let file = home.path().join("noise.jsonl");
    std::fs::write(&file, lines).expect("write");
    exhale(home.path())
        .args([
            "run",
            "resonance-finder",
            "--plain",
            "--no-sound",
            "--step",
            "1m",
        ])
        .arg("--hr-input")
        .arg(&file)
        .assert()
        .success()
        .stdout(contains("did not follow the pacer"))
        .stdout(contains("the result is unclear"))
        .stdout(contains("best so far").not());
    let records = journal(home.path());
    assert_eq!(records.len(), 1, "{records:?}");
    assert!(records[0].get("resonance_rate").is_none(), "{records:?}");
    breathes_at_my_rate(home.path(), "4.364s");
}
