//! The layers of `src/` (docs/architecture.md): each top-level module
//! imports only modules of the layers below it, no two top-level modules
//! import each other (directly or round a longer cycle), the two front
//! ends do not import each other, and the engine and the session format
//! stay pure: no terminal, no audio, no clock.
//!
//! Every `src/**/*.rs` is read as text: comments and string literals are
//! blanked out, then every `crate::` path (`use crate::a::b`,
//! `use crate::{a, b}`, `crate::a::f()` in an expression) and every
//! `super::` path that climbs out of a top-level folder is resolved to the
//! top-level module it names. Code inside a `#[cfg(test)]` module is left
//! out: a unit test may build its fixtures with a layer above (the engine's
//! tests write sessions in the session format).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The layers, from the top down. A module may import the modules of the
/// layers below its own; `sideways` says whether the modules of one layer
/// may also import each other (never in a cycle).
const LAYERS: &[Layer] = &[
    Layer {
        name: "command line",
        modules: &["cli"],
        sideways: false,
    },
    Layer {
        name: "commands",
        modules: &["commands"],
        sideways: false,
    },
    Layer {
        name: "front ends",
        modules: &["tui", "plain"],
        sideways: false,
    },
    Layer {
        name: "services",
        modules: &[
            "audio", "journal", "library", "config", "describe", "signals", "hr", "plan", "remind",
        ],
        sideways: true,
    },
    Layer {
        name: "format",
        modules: &["format"],
        sideways: false,
    },
    Layer {
        name: "engine",
        modules: &["engine"],
        sideways: false,
    },
    Layer {
        name: "leaves",
        modules: &["clock", "paths", "text", "exit", "tty"],
        sideways: true,
    },
];

/// Crates that draw on the terminal, play sound or watch files: never in
/// the engine or the session format.
const IMPURE_CRATES: &[&str] = &[
    "ratatui",
    "crossterm",
    "rodio",
    "symphonia",
    "notify",
    "notify_debouncer_mini",
    "signal_hook",
];

/// The modules that must stay pure.
const PURE: &[&str] = &["engine", "format"];

/// Reading the time. Only `clock` does it: everything else is given the
/// time, or asks `clock`.
const CLOCK_READS: &[&str] = &[
    "Instant::now",
    "SystemTime::now",
    "Local::now",
    "Utc::now",
    "Local::today",
];

/// The module that reads the clock.
const CLOCK: &str = "clock";

struct Layer {
    name: &'static str,
    modules: &'static [&'static str],
    sideways: bool,
}

/// One reference from a file to a top-level module.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Import {
    /// The top-level module the file belongs to.
    from: String,
    /// The top-level module it names.
    to: String,
    /// Where, as `src/a/b.rs:12`.
    at: String,
}

/// A source file's text with comments, strings and character literals
/// blanked out (newlines kept, so offsets and lines still match).
fn code_only(src: &str) -> String {
    let chars: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                out.push(' ');
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
        } else if c == 'r'
            && (next == Some('"') || next == Some('#'))
            && !chars
                .get(i.wrapping_sub(1))
                .is_some_and(|p| p.is_alphanumeric() || *p == '_')
        {
            // A raw string: r"..." or r#"..."#.
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            loop {
                if j >= chars.len() {
                    break;
                }
                if chars[j] == '"' && (0..hashes).all(|h| chars.get(j + 1 + h) == Some(&'#')) {
                    j += 1 + hashes;
                    break;
                }
                j += 1;
            }
            out.extend(chars[i..j.min(chars.len())].iter().map(|c| blank(*c)));
            i = j;
        } else if c == '"' {
            out.push(' ');
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    out.push(' ');
                    i += 1;
                }
                if i < chars.len() {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
            out.push(' ');
            i += 1;
        } else if c == '\'' {
            // A character literal ('a', '\n', '\u{1F600}'), or a lifetime.
            if next == Some('\\') {
                let mut j = i + 2;
                while j < chars.len() && chars[j] != '\'' {
                    j += 1;
                }
                for _ in i..=j.min(chars.len() - 1) {
                    out.push(' ');
                }
                i = j + 1;
            } else if chars.get(i + 2) == Some(&'\'') {
                out.push_str("   ");
                i += 3;
            } else {
                out.push(c);
                i += 1;
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// The module path of a file under `src/`: `src/tui/render/mod.rs` is
/// `tui::render`, `src/tui/app.rs` is `tui::app`.
fn module_path(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap_or_default();
    let stem = last.trim_end_matches(".rs");
    if stem != "mod" && stem != "lib" && stem != "main" {
        parts.push(stem.to_owned());
    }
    parts
}

fn is_ident(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The identifier starting at `i` (after spaces), and the index after it.
fn ident_at(chars: &[char], mut i: usize) -> (String, usize) {
    while i < chars.len() && chars[i].is_whitespace() {
        i += 1;
    }
    let start = i;
    while i < chars.len() && is_ident(chars[i]) {
        i += 1;
    }
    (chars[start..i].iter().collect(), i)
}

/// The first names of a `{a, b::c, self}` group starting at `i` (`{`).
fn group_at(chars: &[char], i: usize) -> Vec<String> {
    let mut names = Vec::new();
    let mut depth = 0;
    let mut expect = true;
    let mut j = i;
    while j < chars.len() {
        match chars[j] {
            '{' => {
                depth += 1;
                if depth == 1 {
                    expect = true;
                }
            }
            '}' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            ',' if depth == 1 => expect = true,
            c if depth == 1 && expect && is_ident(c) => {
                let (name, end) = ident_at(chars, j);
                names.push(name);
                expect = false;
                j = end;
                continue;
            }
            _ => {}
        }
        j += 1;
    }
    names
}

/// What follows `crate::` or a chain of `super::` at `i`: one name, or the
/// first names of a group.
fn names_at(chars: &[char], mut i: usize) -> Vec<String> {
    while i < chars.len() && chars[i].is_whitespace() {
        i += 1;
    }
    if chars.get(i) == Some(&'{') {
        group_at(chars, i)
    } else {
        let (name, _) = ident_at(chars, i);
        if name.is_empty() {
            Vec::new()
        } else {
            vec![name]
        }
    }
}

fn starts_with(chars: &[char], i: usize, word: &str) -> bool {
    let w: Vec<char> = word.chars().collect();
    chars.len() >= i + w.len() && chars[i..i + w.len()] == w[..]
}

/// A file read for the checks: its imports of other top-level modules
/// (outside test modules), and the code outside test modules, for the
/// purity checks.
struct Scanned {
    imports: Vec<Import>,
    /// (line, text) of every line of code outside `#[cfg(test)]` modules.
    lines: Vec<(usize, String)>,
}

fn scan(root: &Path, file: &Path) -> Scanned {
    let rel = file.strip_prefix(root).expect("under src");
    let shown = format!("src/{}", rel.display());
    let text = std::fs::read_to_string(file).expect("readable source");
    let code = code_only(&text);
    let chars: Vec<char> = code.chars().collect();
    let path = module_path(rel);
    let top = path.first().cloned().unwrap_or_default();
    let mut imports = Vec::new();
    // Inline modules: (name, brace depth inside it, is a test module).
    let mut inline: Vec<(String, usize, bool)> = Vec::new();
    let mut depth = 0usize;
    let mut line = 1usize;
    let mut test_attr = false;
    let mut kept = String::new();
    let mut kept_lines = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        let in_test = inline.iter().any(|m| m.2);
        if c == '\n' {
            kept_lines.push((line, std::mem::take(&mut kept)));
            line += 1;
            i += 1;
            continue;
        }
        if !in_test {
            kept.push(c);
        }
        let boundary = i == 0 || !is_ident(chars[i - 1]);
        if c == '{' {
            depth += 1;
        } else if c == '}' {
            if inline.last().is_some_and(|m| m.1 == depth) {
                inline.pop();
            }
            depth = depth.saturating_sub(1);
        } else if c == '#' && starts_with(&chars, i, "#[cfg(test)]") {
            test_attr = true;
        } else if boundary
            && starts_with(&chars, i, "mod")
            && chars.get(i + 3).is_some_and(|c| c.is_whitespace())
        {
            let (name, end) = ident_at(&chars, i + 3);
            let mut j = end;
            while j < chars.len() && chars[j].is_whitespace() {
                j += 1;
            }
            if chars.get(j) == Some(&'{') {
                inline.push((name, depth + 1, test_attr || in_test));
            }
            test_attr = false;
        } else if c == ';'
            || (boundary && (starts_with(&chars, i, "fn ") || starts_with(&chars, i, "use ")))
        {
            test_attr = false;
        }
        if in_test || !boundary {
            i += 1;
            continue;
        }
        let mut found: Vec<String> = Vec::new();
        if starts_with(&chars, i, "crate::") {
            found = names_at(&chars, i + "crate::".len());
        } else if starts_with(&chars, i, "super::") {
            let mut k = 0;
            let mut j = i;
            while starts_with(&chars, j, "super::") {
                k += 1;
                j += "super::".len();
                while j < chars.len() && chars[j].is_whitespace() {
                    j += 1;
                }
            }
            let here = path.len() + inline.len();
            assert!(
                k <= here,
                "{shown}:{line}: `super::` climbs above the crate root"
            );
            if k == here {
                found = names_at(&chars, j);
            }
        }
        for name in found {
            if !name.is_empty() && name != "self" && name != top {
                imports.push(Import {
                    from: top.clone(),
                    to: name,
                    at: format!("{shown}:{line}"),
                });
            }
        }
        i += 1;
    }
    kept_lines.push((line, kept));
    Scanned {
        imports,
        lines: kept_lines,
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("readable folder")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every file but the crate root (`lib.rs` declares the modules and sits
/// above them all) and `main.rs`, which only calls `cli`.
fn scanned() -> Vec<(PathBuf, Scanned)> {
    let root = src();
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    files
        .into_iter()
        .filter(|f| f != &root.join("lib.rs") && f != &root.join("main.rs"))
        .map(|f| {
            let s = scan(&root, &f);
            (f, s)
        })
        .collect()
}

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.modules.contains(&module))
}

/// What is wrong with these imports: modules in no layer, imports that go
/// up (or sideways where the layer does not allow it), and cycles.
fn problems(imports: &[Import], modules: &BTreeSet<String>) -> Vec<String> {
    let mut out = Vec::new();
    for m in modules {
        if layer_of(m).is_none() {
            out.push(format!(
                "`{m}` is in no layer: add it to LAYERS here and to docs/architecture.md"
            ));
        }
    }
    for imp in imports {
        let (Some(from), Some(to)) = (layer_of(&imp.from), layer_of(&imp.to)) else {
            continue;
        };
        if to < from {
            out.push(format!(
                "{}: `{}` ({}) imports `{}` ({}), a layer above it",
                imp.at, imp.from, LAYERS[from].name, imp.to, LAYERS[to].name
            ));
        } else if to == from && !LAYERS[from].sideways {
            out.push(format!(
                "{}: `{}` imports `{}`; the {} do not import each other (a rule both use goes in a layer below)",
                imp.at, imp.from, imp.to, LAYERS[from].name
            ));
        }
    }
    out.extend(cycles(imports));
    out
}

/// Every cycle between top-level modules, each with one place per edge.
fn cycles(imports: &[Import]) -> Vec<String> {
    let mut edges: BTreeMap<&str, BTreeMap<&str, &str>> = BTreeMap::new();
    for imp in imports {
        edges
            .entry(imp.from.as_str())
            .or_default()
            .entry(imp.to.as_str())
            .or_insert(imp.at.as_str());
    }
    let reaches = |from: &str, to: &str| -> bool {
        let mut seen = BTreeSet::new();
        let mut stack = vec![from];
        while let Some(m) = stack.pop() {
            if m == to {
                return true;
            }
            if seen.insert(m) {
                if let Some(next) = edges.get(m) {
                    stack.extend(next.keys().copied());
                }
            }
        }
        false
    };
    let mut out = Vec::new();
    for (from, tos) in &edges {
        for (to, at) in tos {
            // Each edge that closes a cycle, reported once from its smaller end.
            if from < to && reaches(to, from) {
                let back = edges
                    .get(to)
                    .and_then(|t| t.get(from))
                    .map_or_else(|| "a longer way round".to_owned(), |a| (*a).to_owned());
                out.push(format!(
                    "cycle: `{from}` imports `{to}` ({at}) and `{to}` leads back to `{from}` ({back})"
                ));
            }
        }
    }
    out
}

fn report(problems: &[String]) -> String {
    let mut s = String::new();
    for p in problems {
        let _ = writeln!(s, "  {p}");
    }
    s
}

#[test]
fn no_module_imports_a_layer_above_it_and_there_are_no_cycles() {
    let files = scanned();
    let modules: BTreeSet<String> = files
        .iter()
        .filter_map(|(f, _)| {
            module_path(f.strip_prefix(src()).expect("under src"))
                .first()
                .cloned()
        })
        .collect();
    let imports: Vec<Import> = files.iter().flat_map(|(_, s)| s.imports.clone()).collect();
    let found = problems(&imports, &modules);
    assert!(
        found.is_empty(),
        "the layers of docs/architecture.md are broken:\n{}",
        report(&found)
    );
}

#[test]
fn the_engine_and_the_format_use_no_terminal_audio_or_clock() {
    let mut found = Vec::new();
    for (file, s) in scanned() {
        let rel = file.strip_prefix(src()).expect("under src");
        let top = module_path(rel).first().cloned().unwrap_or_default();
        for (line, code) in &s.lines {
            let at = format!("src/{}:{line}", rel.display());
            if PURE.contains(&top.as_str()) {
                for krate in IMPURE_CRATES {
                    if mentions_path(code, krate) {
                        found.push(format!("{at}: `{top}` uses `{krate}`"));
                    }
                }
            }
            if top != CLOCK {
                for read in CLOCK_READS {
                    if code.contains(read) {
                        found.push(format!(
                            "{at}: `{top}` reads the clock (`{read}`); take `now` as an argument or ask `clock`"
                        ));
                    }
                }
            }
        }
    }
    assert!(found.is_empty(), "impure code:\n{}", report(&found));
}

/// Whether `code` names the crate `krate` as the start of a path.
fn mentions_path(code: &str, krate: &str) -> bool {
    let chars: Vec<char> = code.chars().collect();
    let pat = format!("{krate}::");
    code.match_indices(&pat).any(|(i, _)| {
        let ci = code[..i].chars().count();
        ci == 0 || !(is_ident(chars[ci - 1]) || chars[ci - 1] == ':')
    })
}

// The checker itself, on small made-up trees.

fn imports_of(files: &[(&str, &str)]) -> Vec<Import> {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(&p, text).expect("write");
    }
    let mut out = Vec::new();
    for (path, _) in files {
        out.extend(scan(dir.path(), &dir.path().join(path)).imports);
    }
    out
}

fn edges(imports: &[Import]) -> Vec<(String, String)> {
    let mut e: Vec<(String, String)> = imports
        .iter()
        .map(|i| (i.from.clone(), i.to.clone()))
        .collect();
    e.sort();
    e.dedup();
    e
}

fn pair(a: &str, b: &str) -> (String, String) {
    (a.to_owned(), b.to_owned())
}

#[test]
fn the_checker_reads_groups_expressions_and_super_out_of_a_folder() {
    let imports = imports_of(&[
        (
            "tui/render/summary.rs",
            "use crate::{engine::State, text::{count, human}};\n\
             use super::super::super::audio::Chime;\n\
             use super::clock;\n\
             fn f() { let x = crate::journal::stats::compute(); }\n",
        ),
        (
            "engine/mod.rs",
            "// use crate::tui::App;\n\
             /// [`crate::tui::App`]\n\
             const S: &str = \"crate::plain::run\";\n\
             #[cfg(test)]\nmod tests {\n    use crate::format::check_str;\n    use super::*;\n}\n\
             fn g<'a>(c: char) -> bool { c == '{' }\n\
             use crate::clock::Clock;\n",
        ),
    ]);
    assert_eq!(
        edges(&imports),
        vec![
            pair("engine", "clock"),
            pair("tui", "audio"),
            pair("tui", "engine"),
            pair("tui", "journal"),
            pair("tui", "text"),
        ]
    );
    let at: Vec<&str> = imports.iter().map(|i| i.at.as_str()).collect();
    assert!(at.contains(&"src/engine/mod.rs:10"), "{at:?}");
}

#[test]
fn the_checker_fails_on_an_upward_import_sideways_between_front_ends_and_a_cycle() {
    let modules: BTreeSet<String> = ["engine", "tui", "plain", "journal", "audio"]
        .map(String::from)
        .into();
    let up = imports_of(&[("engine/player.rs", "use crate::tui::App;\n")]);
    let found = problems(&up, &modules);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0]
            .starts_with("src/engine/player.rs:1: `engine` (engine) imports `tui` (front ends)"),
        "{found:?}"
    );
    let sideways = imports_of(&[("tui/update.rs", "use crate::plain::stamp;\n")]);
    assert_eq!(problems(&sideways, &modules).len(), 1);
    let cycle = imports_of(&[
        ("journal/entry.rs", "use crate::audio::Chime;\n"),
        ("audio/mod.rs", "fn f() { crate::journal::x(); }\n"),
    ]);
    let found = problems(&cycle, &modules);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].starts_with("cycle: `audio` imports `journal`"),
        "{found:?}"
    );
    let unknown: BTreeSet<String> = ["helpers".to_owned()].into();
    assert_eq!(problems(&[], &unknown).len(), 1);
}
