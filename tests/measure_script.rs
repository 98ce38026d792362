//! `scripts/measure`, the outside measurement of the real program, works:
//! its help, its analysis unit tests, a plain-mode drift measurement and a
//! screen measurement of phase changes in tmux; and `scripts/first-frame`,
//! which launches it over and over, explains itself and refuses bad usage.
//!
//! The script is a developer's tool, written in Python, and its screen
//! mode runs the program in tmux; neither is part of the README's setup
//! line. So each test here runs when what it needs is on `PATH` and
//! otherwise says on stderr that it was skipped and why: without python3
//! all four are skipped; without tmux (as in CI), only the screen
//! measurement is. Nothing the program itself does is tested only here:
//! plain-mode timing is checked in `plain_timing.rs`, the screen in the
//! pseudo-terminal tests.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

/// Box breathing with 1 s phases: both holds look the same on screen.
const BOX: &str = r#"
name = "Measured"
settle = 0
[[block]]
kind = "breathe"
phases = [{ in = 1 }, { hold = 1 }, { out = 1 }, { hold = 1 }]
cycles = 1
"#;

/// Two seconds: in, out.
const SHORT: &str = r#"
name = "Short"
settle = 0
[[block]]
kind = "breathe"
phases = [{ in = 1 }, { out = 1 }]
cycles = 1
"#;

fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/measure")
}

/// Whether `tool` is an executable file in a folder of `PATH`.
fn on_path(tool: &str) -> bool {
    use std::os::unix::fs::PermissionsExt as _;
    std::env::var_os("PATH").is_some_and(|path| {
        std::env::split_paths(&path).any(|dir| {
            std::fs::metadata(dir.join(tool))
                .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
        })
    })
}

/// Whether every tool in `tools` is installed; if not, says which test
/// is skipped and why.
fn have(test: &str, tools: &[&str]) -> bool {
    let missing: Vec<&str> = tools.iter().copied().filter(|t| !on_path(t)).collect();
    if !missing.is_empty() {
        // Straight to stderr, past the test harness's capture, so the
        // skip shows in `cargo test`'s output.
        let _ = writeln!(
            std::io::stderr(),
            "skipped {test}: scripts/measure needs {} (not on PATH; Debian: apt-get install {})",
            missing.join(" and "),
            missing.join(" ")
        );
    }
    missing.is_empty()
}

/// Run the script with python3 and return its output.
fn measure(args: &[&str], home: &Path) -> Output {
    Command::new("python3")
        .arg(script())
        .args(args)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .output()
        .expect("run python3")
}

fn json_of(out: &Output) -> Value {
    assert!(
        out.status.success(),
        "scripts/measure failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        String::from_utf8_lossy(&out.stdout)
    );
    serde_json::from_slice(&out.stdout).expect("scripts/measure --json prints JSON")
}

fn session_file(dir: &Path, text: &str) -> String {
    let file = dir.join("measured.toml");
    std::fs::write(&file, text).expect("write session");
    file.to_string_lossy().into_owned()
}

#[test]
fn help_explains_both_modes() {
    if !have("help_explains_both_modes", &["python3"]) {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let out = measure(&["--help"], dir.path());
    assert!(out.status.success());
    let help = String::from_utf8_lossy(&out.stdout);
    for needle in [
        "--plain-drift",
        "--phase SECONDS REGEX",
        "--skip",
        "--size",
        "VmHWM",
        "pipe-pane",
    ] {
        assert!(
            help.contains(needle),
            "--help should mention {needle}:\n{help}"
        );
    }
}

#[test]
fn first_frame_script_explains_itself_and_refuses_bad_usage() {
    if !have(
        "first_frame_script_explains_itself_and_refuses_bad_usage",
        &["python3"],
    ) {
        return;
    }
    let run = |args: &[&str]| {
        Command::new("python3")
            .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/first-frame"))
            .args(args)
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .output()
            .expect("run python3")
    };
    let help = run(&["--help"]);
    assert!(help.status.success());
    let text = String::from_utf8_lossy(&help.stdout);
    for needle in ["--launches", "95th percentile", "echo x", "interleaved"] {
        assert!(
            text.contains(needle),
            "--help should mention {needle}:\n{text}"
        );
    }
    let bad = run(&["--launches", "0"]);
    assert_eq!(bad.status.code(), Some(2), "bad usage exits 2");
    assert!(String::from_utf8_lossy(&bad.stderr).contains("at least 1"));
    let missing = run(&["--exhale", "/nonexistent/exhale", "--launches", "1"]);
    assert_eq!(
        missing.status.code(),
        Some(1),
        "a program that is not there exits 1"
    );
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cargo build --release"));
}

#[test]
fn analysis_unit_tests_pass() {
    if !have("analysis_unit_tests_pass", &["python3"]) {
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new("python3")
        .args([
            "-m",
            "unittest",
            "discover",
            "-s",
            "scripts/measurelib",
            "-t",
            "scripts",
        ])
        .current_dir(root)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .expect("run python3");
    assert!(
        out.status.success(),
        "python unit tests of scripts/measurelib failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn plain_drift_of_a_short_session_is_small() {
    if !have("plain_drift_of_a_short_session_is_small", &["python3"]) {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let file = session_file(dir.path(), SHORT);
    let exe = env!("CARGO_BIN_EXE_exhale");
    let out = measure(
        &[
            "--plain-drift",
            "--json",
            "--",
            exe,
            "run",
            "--plain",
            "--no-sound",
            // Nothing recorded and no check-in question first.
            "--no-journal",
            &file,
        ],
        dir.path(),
    );
    let r = json_of(&out);
    assert_eq!(r["exit_code"], 0, "{r:#}");
    // start (the anchor), inhale at 0, exhale at 1, end at 2.
    assert_eq!(
        r["count"], 3,
        "every event after the anchor is timed: {r:#}"
    );
    let max = r["max_abs_error_ms"].as_f64().expect("a max error");
    assert!(
        max < 50.0,
        "lines arrive within 50 ms of their printed time: {r:#}"
    );
    assert!(r["cpu_percent"].as_f64().is_some(), "{r:#}");
}

#[test]
fn screen_phase_changes_map_onto_the_cycle_in_tmux() {
    if !have(
        "screen_phase_changes_map_onto_the_cycle_in_tmux",
        &["python3", "tmux"],
    ) {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let file = session_file(dir.path(), BOX);
    let exe = env!("CARGO_BIN_EXE_exhale");
    let out = measure(
        &[
            "--json",
            "--duration",
            "3.3",
            "--phase",
            "1",
            r"inhale[^\n]*\Z",
            "--phase",
            "1",
            r"hold[^\n]*\Z",
            "--phase",
            "1",
            r"exhale[^\n]*\Z",
            "--phase",
            "1",
            r"hold[^\n]*\Z",
            "--",
            exe,
            "run",
            "--plain",
            "--no-sound",
            // Nothing recorded and no check-in question first.
            "--no-journal",
            &file,
        ],
        dir.path(),
    );
    let r = json_of(&out);
    let first = r["first_frame_ms"]["upper_ms"]
        .as_f64()
        .expect("a first frame");
    assert!(first < 1000.0, "{r:#}");
    let phases = &r["phases"];
    let seen: Vec<u64> = phases["transitions"]
        .as_array()
        .expect("transitions")
        .iter()
        .map(|t| t["phase"].as_u64().expect("phase index"))
        .collect();
    // in -> hold (anchor), hold -> out, out -> the second hold.
    assert_eq!(seen, [1, 2, 3], "{phases:#}");
    let max = phases["max_abs_error_ms"].as_f64().expect("a max error");
    assert!(
        max < 50.0,
        "changes seen within 50 ms of the schedule: {phases:#}"
    );
}
