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
fn journal_help() {
    insta::assert_snapshot!(stdout_of(&["journal", "--help"]));
}

#[test]
fn short_help_is_the_summary() {
    insta::assert_snapshot!(stdout_of(&["-h"]));
}

/// Every command a user can type, as the completions and the manual must
/// offer them.
const COMMANDS: &[&str] = &[
    "run",
    "list",
    "show",
    "check",
    "history",
    "stats",
    "export",
    "new",
    "schema",
    "plan",
    "today",
    "now",
    "due",
    "remind",
    "completions",
    "man",
];

#[test]
fn completions_for_bash_zsh_and_fish_offer_every_command_and_option() {
    for shell in ["bash", "zsh", "fish"] {
        let script = stdout_of(&["completions", shell]);
        for command in COMMANDS {
            assert!(
                script.contains(command),
                "{shell} completions lack `{command}`:\n{script}"
            );
        }
        for option in ["plain", "no-journal", "reduced-motion", "since"] {
            assert!(
                script.contains(option),
                "{shell} completions lack --{option}"
            );
        }
    }
    // Each is a script for its own shell.
    assert!(stdout_of(&["completions", "bash"]).contains("complete -F _exhale"));
    assert!(stdout_of(&["completions", "zsh"]).starts_with("#compdef exhale"));
    assert!(stdout_of(&["completions", "fish"]).contains("complete -c exhale"));
}

/// What bash offers after `words` (the last one being completed), with
/// the completion script loaded: bash is part of every base system.
fn bash_offers(words: &[&str]) -> Vec<String> {
    let script = stdout_of(&["completions", "bash"]);
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("exhale.bash");
    std::fs::write(&file, script).expect("write");
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let line = format!(
        "source '{}'; COMP_WORDS=({}); COMP_CWORD={}; _exhale exhale '{}' '{}'; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        file.display(),
        quoted.join(" "),
        words.len() - 1,
        words[words.len() - 1],
        words[words.len().saturating_sub(2)],
    );
    let out = std::process::Command::new("bash")
        .args(["--norc", "--noprofile", "-c", &line])
        .output()
        .expect("bash runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(ToOwned::to_owned)
        .collect()
}

#[test]
fn bash_completes_commands_and_options() {
    assert_eq!(bash_offers(&["exhale", "st"]), ["stats"]);
    let run = bash_offers(&["exhale", "run", "--no-"]);
    for option in ["--no-sound", "--no-journal"] {
        assert!(run.iter().any(|o| o == option), "{run:?}");
    }
    let shells = bash_offers(&["exhale", "completions", ""]);
    for shell in ["bash", "zsh", "fish"] {
        assert!(shells.iter().any(|s| s == shell), "{shells:?}");
    }
}

#[test]
fn an_unknown_shell_is_bad_usage() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = exhale(dir.path(), &["completions", "tcsh"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("possible values: bash"), "{err}");
    assert!(out.stdout.is_empty());
}

#[test]
fn the_manual_page_has_every_command_option_and_exit_code() {
    let page = stdout_of(&["man"]);
    assert!(page.contains("\n.TH EXHALE 1 "), "{page}");
    assert_eq!(page.matches(".ds Aq").count(), 2, "one preamble:\n{page}");
    for section in [
        "NAME",
        "SYNOPSIS",
        "DESCRIPTION",
        "COMMANDS",
        "EXAMPLES",
        "FILES",
        "ENVIRONMENT",
        "EXIT STATUS",
    ] {
        // roff quotes a heading of more than one word.
        let heading = if section.contains(' ') {
            format!("\n.SH \"{section}\"\n")
        } else {
            format!("\n.SH {section}\n")
        };
        assert!(page.contains(&heading), "no {section}:\n{page}");
    }
    for command in COMMANDS {
        assert!(
            page.contains(&format!(".SS \"exhale {command}\"")),
            "no section for `exhale {command}`:\n{page}"
        );
    }
    // Options of the commands, with roff's escaped hyphens.
    for option in [
        r"\-\-plain",
        r"\-\-no\-journal",
        r"\-\-cycles",
        r"\-\-since",
    ] {
        assert!(page.contains(option), "no {option}:\n{page}");
    }
    let exit = &page[page
        .find(".SH \"EXIT STATUS\"")
        .or_else(|| page.find(".SH EXIT STATUS"))
        .expect("exit status")..];
    for (code, meaning) in [
        ("0", "done"),
        ("1", "invalid input"),
        ("2", "bad usage"),
        ("3", "could not be saved to the journal"),
        ("128+n", "a signal ended exhale"),
    ] {
        assert!(
            exit.contains(&format!(".TP\n\\fB{code}\\fR\n")) && exit.contains(meaning),
            "exit code {code} ({meaning}) missing:\n{exit}"
        );
    }
    for var in [
        "NO_COLOR",
        "XDG_CONFIG_HOME",
        "XDG_DATA_HOME",
        "EXHALE_JOURNAL_DIR",
        "EXHALE_MACHINE",
    ] {
        assert!(page.contains(var), "{var}");
    }
}

#[test]
fn help_format_config_and_journal_are_the_guides_an_installed_exhale_can_show() {
    let format = stdout_of(&["help", "format"]);
    assert!(format.starts_with("# The session file format"), "{format}");
    assert!(format.contains("| `phases` |"));
    assert!(stdout_of(&["help", "config"]).contains("config.toml"));
    assert!(stdout_of(&["help", "journal"]).contains("journal"));
    // Other help still works as clap's.
    assert!(stdout_of(&["help", "run"]).contains("Usage: exhale run"));
    // The top-level help names them.
    assert!(stdout_of(&["--help"]).contains("exhale help format"));
}

#[test]
fn hints_point_to_the_guides_not_to_a_source_tree() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("s.toml");
    // Mistakes whose hint is the general one: a TOML syntax error the
    // wording has no special case for, and a value of an odd shape.
    for text in [
        "name = \"x\"\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 4 }, { out = 4 }]\ncycles = 3\n= 4\n",
        "name = \"x\"\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 4 }, { out = 4 }]\ncycles = 3\nsounds = { inhale = [1] }\n",
    ] {
        std::fs::write(&file, text).expect("write");
        let out = exhale(dir.path(), &["check", file.to_str().expect("utf-8")]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("docs/"), "{stderr}");
    }
    let template = {
        let out = exhale(dir.path(), &["new", "evening"]);
        assert!(out.status.success());
        std::fs::read_to_string(dir.path().join("config/exhale/sessions/evening.toml"))
            .expect("read")
    };
    assert!(template.contains("exhale help format"), "{template}");
    assert!(!template.contains("docs/"), "{template}");
}
