//! The format reference cannot drift from the code: every TOML code block in
//! docs/session-format.md is a valid session without warnings (blocks
//! marked `# fragment` are wrapped in a minimal session first), the worked
//! examples are exactly the shipped built-in sessions, and every key the
//! parser accepts is documented.

use std::path::PathBuf;

use exhale::format::{BuiltinSoundNames, check_str};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn doc() -> String {
    std::fs::read_to_string(root().join("docs/session-format.md")).expect("read the docs")
}

/// Every TOML code block: (line of the opening fence, contents).
fn toml_blocks(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (i, line) in text.lines().enumerate() {
        match &mut current {
            None if line.trim() == "```toml" => current = Some((i + 1, String::new())),
            None => {}
            Some(_) if line.trim() == "```" => out.extend(current.take()),
            Some((_, body)) => {
                body.push_str(line);
                body.push('\n');
            }
        }
    }
    assert!(current.is_none(), "an unclosed ```toml block");
    out
}

/// A fragment becomes a session: a name on top, and a block if it has none.
fn wrap(fragment: &str) -> String {
    let mut s = format!("name = \"Example\"\n{fragment}");
    if !fragment.contains("[[block]]") {
        s.push_str("\n[[block]]\nkind = \"meditate\"\nminutes = 1\n");
    }
    s
}

#[test]
fn every_toml_example_is_a_clean_session() {
    let text = doc();
    let blocks = toml_blocks(&text);
    assert!(blocks.len() >= 20, "only {} examples", blocks.len());
    let mut failures = Vec::new();
    for (line, body) in &blocks {
        let fragment = body
            .lines()
            .any(|l| l.trim_start().starts_with("# fragment"));
        let source = if fragment { wrap(body) } else { body.clone() };
        let checked = check_str(&source, &BuiltinSoundNames);
        if !checked.diagnostics.is_empty() {
            let msgs: Vec<String> = checked
                .diagnostics
                .iter()
                .map(|d| d.render("example", &source))
                .collect();
            failures.push(format!(
                "docs/session-format.md:{line}:\n{}",
                msgs.join("\n")
            ));
        }
        if !fragment {
            assert!(checked.session.is_some(), "line {line}");
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_worked_examples_are_the_shipped_sessions() {
    let text = doc();
    let blocks = toml_blocks(&text);
    let mut names = Vec::new();
    for entry in std::fs::read_dir(root().join("sessions")).expect("read sessions") {
        let path = entry.expect("entry").path();
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("name")
            .to_owned();
        let shipped: String = std::fs::read_to_string(&path)
            .expect("read")
            .lines()
            .filter(|l| !l.starts_with("#:schema"))
            .fold(String::new(), |mut acc, l| {
                acc.push_str(l);
                acc.push('\n');
                acc
            });
        let heading = format!("(`{name}`)\n");
        let at = text
            .find(&heading)
            .unwrap_or_else(|| panic!("no worked example for `{name}`"));
        let line = text[..at].lines().count();
        let (_, body) = blocks
            .iter()
            .find(|(l, _)| *l > line)
            .unwrap_or_else(|| panic!("no toml block after the `{name}` heading"));
        assert_eq!(
            body, &shipped,
            "the example for `{name}` differs from sessions/{name}.toml"
        );
        names.push(name);
    }
    assert_eq!(names.len(), 16);
}

/// The keys the parser accepts at one place, read from its own error help
/// for an unknown key ("expected one of: a, b, c").
fn accepted_keys(source: &str) -> Vec<String> {
    let checked = check_str(source, &BuiltinSoundNames);
    let help = checked
        .diagnostics
        .iter()
        .filter_map(|d| d.help.clone())
        .find(|h| h.contains("expected one of: "))
        .unwrap_or_else(|| panic!("no key list for {source}"));
    let list = help
        .split("expected one of: ")
        .nth(1)
        .unwrap_or_else(|| panic!("no key list in {help:?}"));
    list.split(", ").map(str::to_owned).collect()
}

#[test]
fn every_key_the_parser_accepts_is_documented() {
    let text = doc();
    let block = "[[block]]\nkind = \"meditate\"\nminutes = 1\n";
    let places = [
        format!("zzzz = 1\nname = \"x\"\n{block}"),
        "name = \"x\"\n[[block]]\nzzzz = 1\n".to_owned(),
        "name = \"x\"\n[[block]]\nkind = \"breathe\"\ncycles = 1\nphases = [{ zzzz = 1 }]\n"
            .to_owned(),
        format!("name = \"x\"\n{block}bells = {{ zzzz = 1 }}\n"),
        format!("name = \"x\"\n{block}prompts = [{{ zzzz = 1 }}]\n"),
        format!("name = \"x\"\nsounds = {{ zzzz = \"bell\" }}\n{block}"),
        "name = \"x\"\n[[block]]\nkind = \"retention\"\nrounds = 1\nbreaths = 1\nphases = [{ in = 1 }]\nretention = { zzzz = 1 }\n".to_owned(),
        "name = \"x\"\n[[block]]\nkind = \"breathe\"\ncycles = 1\nphases = [{ in = 1 }]\ncues = { zzzz = \"x\" }\n".to_owned(),
    ];
    let mut missing = Vec::new();
    for source in &places {
        let keys = accepted_keys(source);
        assert!(keys.len() >= 2, "{keys:?}");
        for key in keys {
            if !text.contains(&format!("| `{key}` |")) {
                missing.push(key);
            }
        }
    }
    assert!(
        missing.is_empty(),
        "keys without a row in the docs: {missing:?}"
    );
}

#[test]
fn every_bundled_sound_is_documented() {
    let text = doc();
    for name in exhale::format::BUILTIN_SOUNDS {
        assert!(text.contains(&format!("`{name}`")), "{name}");
    }
}
