//! The JSON Schema and the validator must agree: every session the
//! validator accepts (built-in, the valid corpus, the schema cases) passes
//! the schema, and every file rejected for its structure is rejected by the
//! schema too. Otherwise an editor would underline a good file, or stay
//! quiet about a bad one.

use std::path::{Path, PathBuf};

use exhale::format::{self, BuiltinSoundNames, schema};
use serde_json::Value;

struct Validator {
    schemas: boon::Schemas,
    index: boon::SchemaIndex,
}

impl Validator {
    fn new(schema: Value) -> Self {
        let mut schemas = boon::Schemas::new();
        let mut compiler = boon::Compiler::new();
        let url = "file:///session.schema.json";
        compiler
            .add_resource(url, schema)
            .unwrap_or_else(|e| panic!("schema not accepted: {e}"));
        let index = compiler
            .compile(url, &mut schemas)
            .unwrap_or_else(|e| panic!("schema does not compile: {e:#}"));
        Self { schemas, index }
    }

    fn session() -> Self {
        Self::new(schema::schema())
    }

    /// `Ok` or the schema's error text.
    fn check(&self, doc: &Value) -> Result<(), String> {
        self.schemas
            .validate(doc, self.index)
            .map_err(|e| format!("{e}"))
    }
}

/// TOML text as the JSON document an editor's schema check sees.
fn to_json(text: &str) -> Result<Value, String> {
    let table: toml::Table = toml::from_str(text).map_err(|e| e.to_string())?;
    serde_json::to_value(table).map_err(|e| e.to_string())
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn toml_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(read) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut v: Vec<PathBuf> = read
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    v.sort();
    v
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Assert that the validator and the schema both accept `text`.
fn assert_both_accept(v: &Validator, what: &str, text: &str) {
    let checked = format::check_str(text, &BuiltinSoundNames);
    assert!(
        !checked.has_errors(),
        "{what}: the validator rejects it: {:?}",
        checked.diagnostics
    );
    let doc = to_json(text).unwrap_or_else(|e| panic!("{what}: {e}"));
    if let Err(e) = v.check(&doc) {
        panic!("{what}: valid for `exhale check`, but the schema rejects it:\n{e}");
    }
}

#[test]
fn the_committed_schema_is_current() {
    let committed = read(&root().join("docs/session.schema.json"));
    assert!(
        committed == schema::schema_text(),
        "docs/session.schema.json is out of date: run `cargo run -- schema > docs/session.schema.json`"
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_exhale"))
        .arg("schema")
        .output()
        .unwrap_or_else(|e| panic!("cannot run exhale: {e}"));
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout), committed);
}

#[test]
fn the_schema_declares_draft_2020_12() {
    let s = schema::schema();
    assert_eq!(s["$schema"], "https://json-schema.org/draft/2020-12/schema");
}

#[test]
fn every_builtin_session_passes_the_schema_and_points_at_it() {
    let v = Validator::session();
    for (name, text) in exhale::library::BUILTIN {
        assert_both_accept(&v, name, text);
        let first = text.lines().next().unwrap_or_default();
        let target = first
            .strip_prefix("#:schema ")
            .unwrap_or_else(|| panic!("{name}: first line is not a #:schema directive"));
        let resolved = root().join("sessions").join(target);
        assert!(
            resolved.is_file(),
            "{name}: {target} does not lead to the schema from sessions/"
        );
    }
    assert!(exhale::library::BUILTIN.len() >= 10);
}

#[test]
fn valid_cases_pass_both() {
    let v = Validator::session();
    let mut files = toml_files(&root().join("tests/schema_cases/valid"));
    let own = files.len();
    files.extend(toml_files(&root().join("tests/corpus/valid")));
    assert!(own >= 5, "the schema cases are missing");
    for f in files {
        assert_both_accept(&v, &f.display().to_string(), &read(&f));
    }
}

#[test]
fn invalid_cases_are_rejected_by_both() {
    let v = Validator::session();
    let files = toml_files(&root().join("tests/schema_cases/invalid"));
    assert!(files.len() >= 10, "the schema cases are missing");
    for f in files {
        let text = read(&f);
        let checked = format::check_str(&text, &BuiltinSoundNames);
        assert!(
            checked.has_errors(),
            "{}: the validator accepts it",
            f.display()
        );
        let doc = to_json(&text).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        assert!(
            v.check(&doc).is_err(),
            "{}: rejected by `exhale check` ({}), but the schema accepts it",
            f.display(),
            checked.diagnostics[0].message
        );
    }
}

/// Every table in any array of tables of the manifest that names a `file`,
/// whatever the array is called (`case`, `file`, ...).
fn manifest_entries(value: &toml::Value, out: &mut Vec<toml::Table>) {
    match value {
        toml::Value::Table(t) => {
            if t.get("file").is_some_and(toml::Value::is_str) {
                out.push(t.clone());
            }
            for v in t.values() {
                manifest_entries(v, out);
            }
        }
        toml::Value::Array(a) => {
            for v in a {
                manifest_entries(v, out);
            }
        }
        _ => {}
    }
}

#[test]
fn structure_errors_of_the_invalid_corpus_are_rejected_by_the_schema() {
    let corpus = root().join("tests/corpus");
    let manifest = corpus.join("invalid.toml");
    let Ok(text) = std::fs::read_to_string(&manifest) else {
        // The corpus lives in its own change; the schema cases above cover
        // the same ground until it lands.
        return;
    };
    let table: toml::Value =
        toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", manifest.display()));
    let mut entries = Vec::new();
    manifest_entries(&table, &mut entries);
    let v = Validator::session();
    let mut checked = 0;
    for e in entries {
        if e.get("category").and_then(toml::Value::as_str) != Some("structure") {
            continue;
        }
        let file = e.get("file").and_then(toml::Value::as_str).unwrap_or("");
        let path = [
            corpus.join(file),
            corpus.join("invalid").join(file),
            root().join(file),
        ]
        .into_iter()
        .find(|p| p.is_file())
        .unwrap_or_else(|| panic!("manifest names {file}, which is not in tests/corpus"));
        let source = read(&path);
        let Ok(doc) = to_json(&source) else {
            continue; // not TOML at all: no editor schema check runs
        };
        let message = e.get("message").and_then(toml::Value::as_str).unwrap_or("");
        if v.check(&doc).is_ok() {
            // JSON has one kind of number, so `cycles = 4.0` looks like a
            // whole number to any JSON Schema; only `exhale check` sees it.
            let float_for_integer = message.contains("whole number");
            assert!(
                float_for_integer,
                "{}: a structure error ({message}) that the schema accepts",
                path.display()
            );
        }
        checked += 1;
    }
    eprintln!("{checked} structure cases of the invalid corpus checked against the schema");
}

/// The length pattern reads the same strings as `length::parse` (for
/// lengths in range: the pattern cannot see how long a length is).
#[test]
fn the_length_pattern_agrees_with_the_length_parser() {
    let v = Validator::new(serde_json::json!({
        "$schema": schema::DRAFT,
        "type": "string",
        "pattern": schema::length_pattern(),
    }));
    let good = [
        "4",
        "5.5",
        "90s",
        "1m30s",
        "5m",
        "1h",
        "0:30",
        "1:02:03",
        "1m 30s",
        " 5m ",
        "5M",
        "2 mins",
        "1.5h",
        "100ms",
        "+4",
        ".5s",
        "1.",
        "0:30.5",
        "2 hours 5 minutes",
        "10 sec",
        "1e1",
        "0:005",
        "25:00",
    ];
    let bad = [
        "",
        " ",
        "5x",
        "m",
        "1m30",
        "0:75",
        "-3s",
        "1:2:3:4",
        "abc",
        "5 m s",
        "0:",
        "1::2",
        "1:60",
        "s5",
        "1.2.3s",
        "5 minutes please",
        "0:-1",
        ":30",
    ];
    for s in good {
        assert!(format::length::parse(s).is_ok(), "the parser rejects {s:?}");
        assert!(
            v.check(&Value::String(s.into())).is_ok(),
            "the pattern rejects {s:?}"
        );
    }
    for s in bad {
        assert!(
            format::length::parse(s).is_err(),
            "the parser accepts {s:?}"
        );
        assert!(
            v.check(&Value::String(s.into())).is_err(),
            "the pattern accepts {s:?}"
        );
    }
}
