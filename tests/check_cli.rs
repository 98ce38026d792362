//! `exhale check` through the real binary: every file of the invalid corpus
//! fails with exit code 1 and an error at the right `file:line:column` with
//! the right wording; files with several mistakes report all of them; the
//! valid corpus and the built-in sessions pass; warnings do not fail.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use serde::Deserialize;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The binary, with every user folder pointed into `home` so the tester's
/// own sessions and sounds never leak in.
fn exhale(home: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_exhale"));
    cmd.current_dir(root())
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env("NO_COLOR", "1");
    cmd
}

fn check(files: &[PathBuf]) -> Output {
    let home = tempfile::tempdir().expect("temp dir");
    exhale(home.path())
        .arg("check")
        .args(files)
        .output()
        .expect("run exhale")
}

#[derive(Debug, Deserialize)]
struct Manifest {
    case: Vec<Case>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    file: String,
    line: usize,
    column: usize,
    message: String,
    help: Option<String>,
    category: String,
}

fn manifest() -> Manifest {
    let text = std::fs::read_to_string(root().join("tests/corpus/invalid.toml"))
        .expect("read the manifest");
    toml::from_str(&text).expect("the manifest parses")
}

/// The rendered diagnostics of `stderr`, one string per diagnostic.
fn diagnostics(stderr: &str) -> Vec<&str> {
    stderr
        .split("\n\n")
        .map(str::trim)
        .filter(|d| d.starts_with("error:") || d.starts_with("warning:"))
        .collect()
}

/// The character of the shown source line that the first `^` of the
/// caret line stands under, counting columns as a terminal does.
fn char_over_caret(diagnostic: &str) -> Option<char> {
    use unicode_width::UnicodeWidthChar as _;
    let lines: Vec<&str> = diagnostic.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.trim_start_matches(' ').starts_with("| ") && l.contains('^'))?;
    let caret = lines[at];
    let col = caret[caret.find('|')? + 2..].find('^')?;
    let shown = lines.get(at.checked_sub(1)?)?;
    let text = &shown[shown.find(" | ")? + 3..];
    let mut width = 0;
    for c in text.chars() {
        if width == col {
            return Some(c);
        }
        width += c.width().unwrap_or(0);
    }
    // Past the end of the line (an error at its end).
    Some(' ')
}

/// The error located at `path:line:column`, if any.
fn error_at<'a>(stderr: &'a str, path: &str, line: usize, column: usize) -> Option<&'a str> {
    let loc = format!("--> {path}:{line}:{column}\n");
    diagnostics(stderr)
        .into_iter()
        .find(|d| d.starts_with("error:") && d.contains(&loc))
}

#[test]
fn the_manifest_lists_every_invalid_file_once() {
    let m = manifest();
    let mut listed: Vec<&str> = m.case.iter().map(|c| c.file.as_str()).collect();
    listed.sort_unstable();
    let before = listed.len();
    listed.dedup();
    assert_eq!(before, listed.len(), "a file is listed twice");
    let mut on_disk: Vec<String> = std::fs::read_dir(root().join("tests/corpus/invalid"))
        .expect("read the corpus")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort_unstable();
    assert_eq!(listed, on_disk);
    assert!(listed.len() >= 35, "only {} invalid files", listed.len());
    for c in &m.case {
        assert!(
            ["syntax", "structure", "meaning"].contains(&c.category.as_str()),
            "{}: unknown category {}",
            c.file,
            c.category
        );
    }
    for cat in ["syntax", "structure", "meaning"] {
        assert!(
            m.case.iter().filter(|c| c.category == cat).count() >= 5,
            "too few {cat} cases"
        );
    }
}

#[test]
fn every_invalid_file_fails_at_the_right_place_with_the_right_words() {
    let m = manifest();
    let files: Vec<PathBuf> = m
        .case
        .iter()
        .map(|c| PathBuf::from(format!("tests/corpus/invalid/{}", c.file)))
        .collect();
    // One run for all files, then one run per file: both must agree that
    // each file is invalid.
    let all = check(&files);
    assert_eq!(all.status.code(), Some(1));
    let all_out = String::from_utf8_lossy(&all.stdout);
    assert!(
        all_out.contains(&format!("{} with errors", files.len())),
        "{all_out}"
    );
    let mut failures = Vec::new();
    for (case, path) in m.case.iter().zip(&files) {
        let out = check(std::slice::from_ref(path));
        let stderr = String::from_utf8_lossy(&out.stderr);
        let shown = path.display().to_string();
        if out.status.code() != Some(1) {
            failures.push(format!("{shown}: exit {:?}, not 1", out.status.code()));
            continue;
        }
        let Some(d) = error_at(&stderr, &shown, case.line, case.column) else {
            failures.push(format!(
                "{shown}: no error at {}:{}; got:\n{stderr}",
                case.line, case.column
            ));
            continue;
        };
        let first_line = d.lines().next().unwrap_or("");
        if !first_line.contains(&case.message) {
            failures.push(format!(
                "{shown}: wording {first_line:?} lacks {:?}",
                case.message
            ));
        }
        if let Some(help) = &case.help {
            let help_line = d.lines().find(|l| l.contains("= help:")).unwrap_or("");
            if !help_line.contains(help.as_str()) {
                failures.push(format!("{shown}: help {help_line:?} lacks {help:?}"));
            }
        }
        // The caret sits under the character at the reported column (the
        // shown line may be clipped, so look at what it stands under).
        let source = std::fs::read_to_string(root().join(path)).unwrap_or_default();
        let expected = source
            .lines()
            .nth(case.line - 1)
            .and_then(|l| l.chars().nth(case.column - 1))
            // A tab is shown as a space; past the end of the line, nothing.
            .map_or(' ', |c| if c == '\t' { ' ' } else { c });
        match char_over_caret(d) {
            Some(found) if found == expected => {}
            Some(found) => failures.push(format!(
                "{shown}: caret under {found:?}, not {expected:?} at column {}",
                case.column
            )),
            None => failures.push(format!("{shown}: no caret under the value")),
        }
        if !String::from_utf8_lossy(&out.stdout).contains(&format!("{shown}: ")) {
            failures.push(format!("{shown}: no summary line on stdout"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Where an error is expected: line, column, words.
type Expected = (usize, usize, &'static str);

/// Files with mistakes in several places: every one is reported.
const SEVERAL: &[(&str, &[Expected])] = &[
    (
        "multi-two-blocks.toml",
        &[
            (5, 31, "a phase length must be longer than zero"),
            (10, 12, "has no unit"),
        ],
    ),
    (
        "multi-header-and-block.toml",
        &[
            (2, 1, "unknown key `setle`"),
            (6, 31, "`x` is not a unit of time"),
        ],
    ),
    (
        "multi-three-places.toml",
        &[
            (2, 20, "unknown sound `gongg`"),
            (7, 10, "`cycles` must be at least 1"),
            (12, 19, "past the block's end"),
        ],
    ),
    (
        "multi-one-block.toml",
        &[
            (5, 1, "unknown key `cycels`"),
            (7, 11, "`minutes` should be a number, not the string \"5\""),
        ],
    ),
    (
        "multi-syntax.toml",
        &[(7, 1, "duplicate key"), (12, 1, "duplicate key")],
    ),
    (
        "multi-type-errors.toml",
        &[
            (5, 18, "`in` should be a length"),
            (5, 43, "`cue` should be a string"),
            (6, 10, "`cycles` should be a whole number"),
            (10, 11, "`minutes` should be a number"),
            (11, 19, "`start` should be true or false"),
        ],
    ),
];

#[test]
fn a_text_without_its_closing_quote_is_one_error_not_a_cascade() {
    let path = PathBuf::from("tests/corpus/invalid/syntax-unclosed-string-in-block.toml");
    let out = check(std::slice::from_ref(&path));
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let d = error_at(&stderr, &path.display().to_string(), 5, 54)
        .unwrap_or_else(|| panic!("nothing at 5:54:\n{stderr}"));
    assert!(d.contains("close the text with a double quote"), "{d}");
    assert_eq!(diagnostics(&stderr).len(), 1, "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 error\n"));
}

#[test]
fn files_with_several_mistakes_report_every_one() {
    for (file, expected) in SEVERAL {
        let path = PathBuf::from(format!("tests/corpus/invalid/{file}"));
        let out = check(std::slice::from_ref(&path));
        assert_eq!(out.status.code(), Some(1), "{file}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        let shown = path.display().to_string();
        for (line, col, words) in *expected {
            let d = error_at(&stderr, &shown, *line, *col)
                .unwrap_or_else(|| panic!("{file}: nothing at {line}:{col}:\n{stderr}"));
            assert!(d.contains(words), "{file}:{line}:{col}: {d}");
        }
        let n = expected.len();
        assert_eq!(
            diagnostics(&stderr).len(),
            n,
            "{file}: expected exactly {n} errors:\n{stderr}"
        );
        assert!(
            String::from_utf8_lossy(&out.stdout).contains(&format!("{n} errors")),
            "{file}"
        );
    }
}

#[test]
fn a_file_over_one_mebibyte_is_refused_without_reading_it_all() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("huge.toml");
    let mut text = String::from("name = \"Huge\"\n");
    while text.len() <= 1024 * 1024 {
        text.push_str("# padding padding padding padding padding padding padding\n");
    }
    text.push_str("[[block]]\nkind = \"meditate\"\nminutes = 1\n");
    std::fs::write(&path, text).expect("write");
    let out = check(std::slice::from_ref(&path));
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("larger than 1 MiB"), "{stderr}");
    assert!(stderr.contains(&path.display().to_string()), "{stderr}");
}

#[test]
fn bytes_that_are_not_utf8_are_pointed_at() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("latin1.toml");
    let mut bytes = b"name = \"Caf".to_vec();
    bytes.push(0xE9); // "é" in Latin-1
    bytes.extend_from_slice(b"\"\n[[block]]\nkind = \"meditate\"\nminutes = 1\n");
    std::fs::write(&path, bytes).expect("write");
    let out = check(std::slice::from_ref(&path));
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("not valid UTF-8"), "{stderr}");
    assert!(
        stderr.contains(&format!("{}:1:12", path.display())),
        "{stderr}"
    );
    assert!(stderr.contains("save the file as UTF-8"), "{stderr}");
}

#[test]
fn a_missing_file_and_a_folder_are_errors_not_panics() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = check(&[dir.path().join("nope.toml"), dir.path().to_path_buf()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("cannot open the file"), "{stderr}");
    assert!(stderr.contains("folder"), "{stderr}");
}

fn toml_files(dir: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .expect("read dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| p.strip_prefix(root()).expect("under root").to_path_buf())
        .collect();
    v.sort();
    v
}

#[test]
fn the_valid_corpus_passes_without_warnings() {
    let files = toml_files("tests/corpus/valid");
    assert!(files.len() >= 8);
    let out = check(&files);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(&format!("{} valid, 0 with errors", files.len())),
        "{stdout}"
    );
}

#[test]
fn the_built_in_sessions_pass_without_warnings() {
    let files = toml_files("sessions");
    assert_eq!(files.len(), 16);
    let out = check(&files);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
}

#[test]
fn warnings_are_printed_but_do_not_fail() {
    let path = PathBuf::from("tests/corpus/warnings/long-holds.toml");
    let out = check(std::slice::from_ref(&path));
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let warning = diagnostics(&stderr)
        .into_iter()
        .find(|d| d.starts_with("warning:"))
        .unwrap_or_else(|| panic!("no warning:\n{stderr}"));
    assert!(warning.contains("5m20s of its 9m20s"), "{warning}");
    assert!(
        warning.contains("tests/corpus/warnings/long-holds.toml:6:8"),
        "{warning}"
    );
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("ok (1 warning)"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn a_user_sound_is_accepted_by_name() {
    let home = tempfile::tempdir().expect("temp dir");
    let sounds = home.path().join("config/exhale/sounds");
    std::fs::create_dir_all(&sounds).expect("mkdir");
    // Any real WAV will do; a bundled one is at hand.
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/sounds/bell.wav"),
        sounds.join("rain.wav"),
    )
    .expect("copy");
    let session = home.path().join("rain.toml");
    std::fs::write(
        &session,
        "name = \"Rain\"\nsounds = { bell = \"rain\" }\n[[block]]\nkind = \"meditate\"\nminutes = 1\nbells = { start = true }\n",
    )
    .expect("write");
    let out = exhale(home.path())
        .arg("check")
        .arg(&session)
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Without the file, the same name is unknown.
    std::fs::remove_file(sounds.join("rain.wav")).expect("rm");
    let out = exhale(home.path())
        .arg("check")
        .arg(&session)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown sound `rain`"));
}

#[test]
fn check_without_files_is_bad_usage() {
    let home = tempfile::tempdir().expect("temp dir");
    let out = exhale(home.path()).arg("check").output().expect("run");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_prompt_out_of_time_order_is_pointed_at() {
    let path = PathBuf::from("tests/corpus/warnings/prompts-out-of-order.toml");
    let out = check(std::slice::from_ref(&path));
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let warnings: Vec<&str> = diagnostics(&stderr)
        .into_iter()
        .filter(|d| d.starts_with("warning:"))
        .collect();
    assert_eq!(warnings.len(), 1, "{stderr}");
    let warning = warnings[0];
    assert!(
        warning.contains("this prompt at 2m is listed after a prompt at 5m"),
        "{warning}"
    );
    assert!(
        warning.contains("tests/corpus/warnings/prompts-out-of-order.toml:11:10"),
        "{warning}"
    );
}
