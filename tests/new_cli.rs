//! `exhale new` through the real binary, with `HOME` and `XDG_CONFIG_HOME` in a
//! temporary folder: the file it writes passes `check`, an existing file is
//! never replaced, `--from` copies a session, and bad names are refused.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn new() -> Self {
        Self {
            dir: tempfile::tempdir().unwrap_or_else(|e| panic!("temp dir: {e}")),
        }
    }

    fn exhale(&self) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_exhale"));
        c.env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.config())
            .env("XDG_DATA_HOME", self.dir.path().join("data"))
            .env("NO_COLOR", "1");
        c
    }

    fn config(&self) -> PathBuf {
        self.dir.path().join("config")
    }

    fn sessions(&self) -> PathBuf {
        self.config().join("exhale/sessions")
    }
}

fn read(p: &Path) -> String {
    std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn new_writes_a_file_that_passes_check_and_says_what_to_do_next() {
    let home = Home::new();
    let path = home.sessions().join("evening.toml");
    home.exhale()
        .args(["new", "evening"])
        .assert()
        .success()
        .stdout(predicate::str::contains(path.display().to_string()))
        .stdout(predicate::str::contains("exhale run evening"))
        .stdout(predicate::str::contains("exhale check"));
    let text = read(&path);
    assert!(text.starts_with("#:schema ../session.schema.json\n"));
    assert!(text.contains("name = \"evening\""));
    // The comments show the common options.
    for option in [
        "cycles",
        "minutes",
        "duration",
        "to = 8",
        "over = \"3m\"",
        "natural = \"1m\"",
        "kind = \"meditate\"",
        "bells",
        "bells = { every = \"5m\", end = true }",
        "settle = { length = \"20s\", text =",
        "prompts",
        "[sounds]",
    ] {
        assert!(
            text.contains(option),
            "the template does not mention {option}"
        );
    }
    home.exhale()
        .arg("check")
        .arg(&path)
        .assert()
        .success()
        .stdout(predicate::str::ends_with(": ok\n"));
    // The schema the directive points at was written next to the folder.
    let schema = read(&home.config().join("exhale/session.schema.json"));
    assert_eq!(schema, exhale::format::schema::schema_text());
    // And the new session is in the library under its name.
    home.exhale()
        .args(["show", "evening"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Slow breathing"));
}

#[test]
fn new_never_replaces_an_existing_file() {
    let home = Home::new();
    std::fs::create_dir_all(home.sessions()).unwrap_or_else(|e| panic!("{e}"));
    let path = home.sessions().join("mine.toml");
    let before = "# my own words, not a session yet\n";
    std::fs::write(&path, before).unwrap_or_else(|e| panic!("{e}"));
    home.exhale()
        .args(["new", "mine"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("already exists"))
        .stderr(predicate::str::contains("nothing was changed"));
    assert_eq!(read(&path), before);
    home.exhale()
        .args(["new", "mine", "--from", "box"])
        .assert()
        .code(1);
    assert_eq!(read(&path), before);
}

#[test]
fn from_copies_a_builtin_session() {
    let home = Home::new();
    home.exhale()
        .args(["new", "my-box", "--from", "box"])
        .assert()
        .success();
    let copy = read(&home.sessions().join("my-box.toml"));
    let original = exhale::library::BUILTIN
        .iter()
        .find(|(n, _)| *n == "box")
        .map(|(_, t)| *t)
        .unwrap_or_default();
    // Everything after the title line is the original, byte for byte.
    let tail = |t: &str| t.split_once("\ndescription").map(|(_, r)| r.to_owned());
    assert_eq!(tail(&copy), tail(original));
    assert!(copy.starts_with("#:schema ../session.schema.json\nname = \"Box breathing (copy)\"\n"));
    home.exhale()
        .args(["show", "my-box"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Box breathing (copy)"));
    home.exhale()
        .arg("check")
        .arg(home.sessions().join("my-box.toml"))
        .assert()
        .success();
}

#[test]
fn from_copies_a_user_session_and_a_path() {
    let home = Home::new();
    home.exhale().args(["new", "first"]).assert().success();
    home.exhale()
        .args(["new", "second", "--from", "first"])
        .assert()
        .success();
    let first = read(&home.sessions().join("first.toml"));
    let second = read(&home.sessions().join("second.toml"));
    assert_eq!(
        second,
        first.replace("name = \"first\"", "name = \"first (copy)\"")
    );

    let elsewhere = home.dir.path().join("shared.toml");
    std::fs::write(
        &elsewhere,
        "name = \"Shared\"\n\n[[block]]\nkind = \"meditate\"\nminutes = 3\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    home.exhale()
        .arg("new")
        .arg("third")
        .arg("--from")
        .arg(&elsewhere)
        .assert()
        .success();
    assert_eq!(
        read(&home.sessions().join("third.toml")),
        "#:schema ../session.schema.json\nname = \"Shared (copy)\"\n\n[[block]]\nkind = \"meditate\"\nminutes = 3\n"
    );
}

#[test]
fn from_refuses_unknown_and_broken_sessions() {
    let home = Home::new();
    home.exhale()
        .args(["new", "x", "--from", "boxx"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("did you mean `box`"));
    let broken = home.dir.path().join("broken.toml");
    std::fs::write(&broken, "name = \"Broken\"\n[[block]]\nkind = \"breath\"\n")
        .unwrap_or_else(|e| panic!("{e}"));
    home.exhale()
        .arg("new")
        .arg("y")
        .arg("--from")
        .arg(&broken)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("unknown block kind"))
        .stderr(predicate::str::contains("not copied"));
    assert!(!home.sessions().join("x.toml").exists());
    assert!(!home.sessions().join("y.toml").exists());
}

#[test]
fn bad_names_are_usage_errors() {
    let home = Home::new();
    for bad in ["", "a/b", "../escape", ".hidden", "tab\there"] {
        home.exhale()
            .args(["new", bad])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("invalid value"));
    }
    assert!(!home.sessions().exists(), "a bad name created the folder");
    assert!(!home.dir.path().join("escape.toml").exists());
    assert!(!home.config().join("exhale/escape.toml").exists());
}

#[test]
fn a_trailing_toml_is_dropped_from_the_name() {
    let home = Home::new();
    home.exhale().args(["new", "night.toml"]).assert().success();
    assert!(home.sessions().join("night.toml").is_file());
}

#[test]
fn a_new_file_with_a_builtin_name_says_it_replaces_the_builtin() {
    let home = Home::new();
    home.exhale()
        .args(["new", "box"])
        .assert()
        .success()
        .stdout(predicate::str::contains("also a built-in session"));
    home.exhale()
        .args(["show", "box"])
        .assert()
        .success()
        .stdout(predicate::str::contains("box, user"));
}
