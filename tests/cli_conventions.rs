//! What users expect of a command-line tool: `--help` that reads the same
//! from one release to the next (snapshotted, at a fixed width), shell
//! completions for bash, zsh and fish, and a manual page.

use std::process::Output;

use assert_cmd::Command;

/// exhale with its folders in `dir`, and help wrapped at 100 columns
/// whatever the terminal running the tests (clap reads `COLUMNS` when
/// the output is not a terminal).
fn exhale(dir: &std::path::Path, args: &[&str]) -> Output {
    Command::cargo_bin("exhale")
        .expect("binary")
        .args(args)
        .env("COLUMNS", "100")
        .env("XDG_CONFIG_HOME", dir.join("config"))
        .env("XDG_DATA_HOME", dir.join("data"))
        .env_remove("NO_COLOR")
        .output()
        .expect("runs")
}

fn stdout_of(args: &[&str]) -> String {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = exhale(dir.path(), args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(out.stderr.is_empty(), "{args:?} printed on stderr");
    String::from_utf8(out.stdout).expect("UTF-8")
}

#[test]
fn top_level_help() {
    insta::assert_snapshot!(stdout_of(&["--help"]));
}

#[test]
fn run_help() {
    insta::assert_snapshot!(stdout_of(&["run", "--help"]));
}

#[test]
fn short_help_is_the_summary() {
    insta::assert_snapshot!(stdout_of(&["-h"]));
}
