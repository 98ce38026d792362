//! The session file format (v1): reading a TOML file into a validated
//! [`Session`](crate::model::Session), or into a list of diagnostics that
//! say exactly what is wrong and where.
//!
//! Parsing happens in three steps: TOML syntax (all syntax errors are
//! reported), structure (each part of the file is deserialized on its own,
//! so an unknown key in one block does not hide a mistake in another), and
//! meaning (validation into the model).

pub mod diagnostic;
pub mod length;
pub mod raw;
pub mod schema;
pub mod validate;

use std::path::Path;

use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

pub use diagnostic::{Diagnostic, Severity};

use crate::model::Session;
use raw::{RawBlock, RawHeader};

/// Largest session file accepted.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// The sound names a session may use, so validation can reject unknown ones.
pub trait SoundCatalog {
    /// Whether `name` is a sound that can be played.
    fn contains(&self, name: &str) -> bool;
    /// Every known name, for suggestions.
    fn names(&self) -> Vec<String>;
}

/// The result of reading one session file.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The session, when there were no errors.
    pub session: Option<Session>,
    /// Errors and warnings, in file order.
    pub diagnostics: Vec<Diagnostic>,
}

impl Checked {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

/// Read and check a session file from disk. The bytes are returned as text
/// (lossily, for display) alongside the result so errors can be rendered.
pub fn check_file(path: &Path, sounds: &dyn SoundCatalog) -> (String, Checked) {
    use std::io::Read as _;
    let fail = |msg: String, help: &str| Checked {
        session: None,
        diagnostics: vec![Diagnostic::error(msg, None).with_help(help)],
    };
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => {
            return (
                String::new(),
                fail(format!("cannot open the file: {e}"), "check the path"),
            );
        }
    };
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        return (
            String::new(),
            fail(
                "this is a folder, not a session file".into(),
                "give the path of a .toml file",
            ),
        );
    }
    let mut bytes = Vec::new();
    if let Err(e) = file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes) {
        return (
            String::new(),
            fail(
                format!("cannot read the file: {e}"),
                "check its permissions",
            ),
        );
    }
    check_bytes(&bytes, sounds)
}

/// Check a session given as bytes (from a file or embedded in the binary).
pub fn check_bytes(bytes: &[u8], sounds: &dyn SoundCatalog) -> (String, Checked) {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        let d = Diagnostic::error("the file is larger than 1 MiB", None)
            .with_help("a session file is a few kilobytes; is this the right file?");
        return (
            String::new(),
            Checked {
                session: None,
                diagnostics: vec![d],
            },
        );
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            let checked = check_str(text, sounds);
            (text.to_owned(), checked)
        }
        Err(e) => {
            let lossy = String::from_utf8_lossy(bytes).into_owned();
            let valid = e.valid_up_to();
            // Offsets in the lossy text match the bytes up to the first bad one.
            let d = Diagnostic::error("the file is not valid UTF-8 text", Some(valid..valid + 1))
                .with_help("save the file as UTF-8");
            (
                lossy,
                Checked {
                    session: None,
                    diagnostics: vec![d],
                },
            )
        }
    }
}

/// Check a session given as text.
pub fn check_str(source: &str, sounds: &dyn SoundCatalog) -> Checked {
    let (root, errors) = DeTable::parse_recoverable(source);
    if !errors.is_empty() {
        let diagnostics = errors.iter().map(|e| syntax_error(e, source)).collect();
        return Checked {
            session: None,
            diagnostics,
        };
    }
    let root_span = root.span();
    let mut table = root.into_inner();
    let mut diags = Vec::new();

    // Take the blocks out so each is read on its own.
    let mut block_values: Vec<Spanned<DeValue<'_>>> = Vec::new();
    let mut any_block = false;
    let block_key = table.keys().find(|k| k.get_ref() == "block").cloned();
    if let Some(key) = block_key {
        any_block = true;
        if let Some(v) = table.remove(&key) {
            let span = v.span();
            match v.into_inner() {
                DeValue::Array(items) => block_values.extend(items),
                other => diags.push(
                    Diagnostic::error(
                        format!(
                            "`block` must be a list of tables, found {}",
                            other.type_str()
                        ),
                        Some(span),
                    )
                    .with_help("write each block as a [[block]] table"),
                ),
            }
        }
    } else if let Some(key) = table.keys().find(|k| k.get_ref() == "blocks").cloned() {
        diags.push(
            Diagnostic::error("unknown key `blocks`", Some(key.span()))
                .with_help("did you mean `block`? write each block as a [[block]] table"),
        );
        table.remove(&key);
        any_block = true;
    }

    let header_value = Spanned::new(root_span, DeValue::Table(table));
    let header: Option<RawHeader> =
        match serde::Deserialize::deserialize(ValueDeserializer::from(header_value)) {
            Ok(h) => Some(h),
            Err(e) => {
                diags.push(structure_error(
                    &e,
                    source,
                    HEADER_KEYS,
                    "at the top of the session",
                ));
                None
            }
        };
    let mut blocks = Vec::new();
    for value in block_values {
        let span = value.span();
        if !matches!(value.get_ref(), DeValue::Table(_)) {
            diags.push(
                Diagnostic::error(
                    format!(
                        "a block must be a table, found {}",
                        value.get_ref().type_str()
                    ),
                    Some(span),
                )
                .with_help("write each block as a [[block]] table"),
            );
            continue;
        }
        match <RawBlock as serde::Deserialize>::deserialize(ValueDeserializer::from(value)) {
            Ok(b) => blocks.push(Spanned::new(span, b)),
            Err(e) => {
                let mut d = structure_error(&e, source, BLOCK_KEYS, "in a block");
                if d.span.is_none() {
                    d.span = Some(span);
                }
                diags.push(d);
            }
        }
    }

    let mut v = validate::Validator::new(sounds);
    let session = header.and_then(|h| v.session(&h, &blocks, any_block));
    diags.extend(v.diags);
    diags.sort_by_key(|d| d.span.as_ref().map_or(0, |s| s.start));
    let session = if diags.iter().any(Diagnostic::is_error) {
        None
    } else {
        session
    };
    Checked {
        session,
        diagnostics: diags,
    }
}

const HEADER_KEYS: &[&str] = &[
    "name",
    "description",
    "tags",
    "author",
    "references",
    "caution",
    "settle",
    "sounds",
    "block",
];
const BLOCK_KEYS: &[&str] = &[
    "kind",
    "name",
    "phases",
    "cycles",
    "minutes",
    "duration",
    "cues",
    "sounds",
    "rounds",
    "breaths",
    "retention",
    "recovery",
    "open",
    "cap",
    "bells",
    "prompts",
];
const NESTED_KEYS: &[&str] = &[
    "in", "out", "hold", "to", "step", "every", "cue", "sound", "inhale", "exhale", "bell",
    "prompt", "start", "end", "at", "text", "cap",
];

fn syntax_error(e: &toml::de::Error, source: &str) -> Diagnostic {
    let msg = e.message().trim().to_owned();
    let mut d = Diagnostic::error(format!("TOML syntax: {msg}"), e.span());
    let help = if msg.contains("string") && msg.contains("expected") {
        "text must be in double quotes, e.g. name = \"Box breathing\""
    } else if msg.contains("duplicate key") {
        "each key may appear once per table; remove or rename one of them"
    } else if msg.contains("invalid key") {
        "keys are words like `name` or `cycles`, followed by = and a value"
    } else {
        "see docs/session-format.md for the shape of a session file"
    };
    d = d.with_help(help);
    if let Some(span) = &d.span {
        if span.start >= source.len() && !source.is_empty() {
            d.span = Some(source.len().saturating_sub(1)..source.len());
        }
    }
    d
}

/// Turn a serde message into one a person writing a session understands.
fn structure_error(e: &toml::de::Error, _source: &str, keys: &[&str], place: &str) -> Diagnostic {
    let msg = e.message().trim();
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let field = rest.split('`').next().unwrap_or("");
        let expected: Vec<&str> = rest
            .split('`')
            .skip(1)
            .step_by(2)
            .filter(|s| !s.is_empty())
            .collect();
        let candidates: Vec<&str> = if expected.is_empty() {
            keys.to_vec()
        } else {
            expected.clone()
        };
        let mut all = candidates.clone();
        all.extend(keys.iter().chain(NESTED_KEYS));
        let help = match diagnostic::did_you_mean(field, &candidates)
            .or_else(|| diagnostic::did_you_mean(field, &all))
        {
            Some(m) => format!("did you mean `{m}`?"),
            None => format!("expected one of: {}", candidates.join(", ")),
        };
        return Diagnostic::error(
            format!("unknown key `{field}` {}", place_for(&expected, place)),
            e.span(),
        )
        .with_help(help);
    }
    if let Some(rest) = msg.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or("");
        let help = match field {
            "kind" => "add kind = \"breathe\", \"retention\" or \"meditate\"".to_owned(),
            "cap" => "add cap = \"2m\" (the longest the hold may last)".to_owned(),
            "at" => "add at = \"0:30\" (when it happens, from the block's start)".to_owned(),
            "text" => "add text = \"...\"".to_owned(),
            f => format!("add `{f}`"),
        };
        return Diagnostic::error(format!("missing key `{field}` {place}"), e.span())
            .with_help(help);
    }
    let friendly = msg
        .replace("expected i64", "expected a whole number")
        .replace("expected f64", "expected a number")
        .replace("expected a boolean", "expected true or false")
        .replace("a sequence", "a list [ ... ]")
        .replace("invalid type: sequence", "invalid type: list")
        .replace("invalid type: map", "invalid type: table")
        .replace("struct Raw", "table ");
    let help = if friendly.contains("whole number") {
        "write a whole number without quotes, e.g. cycles = 10"
    } else if friendly.contains("expected a number") {
        "write a number without quotes, e.g. minutes = 5"
    } else if friendly.contains("expected a string") {
        "write text in double quotes"
    } else if friendly.contains("expected true or false") {
        "write true or false without quotes"
    } else {
        "see docs/session-format.md for the shape of each key"
    };
    Diagnostic::error(friendly, e.span()).with_help(help)
}

fn place_for(expected: &[&str], fallback: &str) -> String {
    if expected.contains(&"breathe") || expected.contains(&"rounds") {
        "in a block".into()
    } else if expected.contains(&"in") && expected.contains(&"hold") && expected.contains(&"to") {
        "in a phase".into()
    } else if expected.contains(&"every") && expected.contains(&"at") {
        "in `bells`".into()
    } else if expected == ["at", "text"] {
        "in a prompt".into()
    } else if expected.contains(&"inhale") && expected.contains(&"bell") {
        "in `sounds`".into()
    } else if expected.contains(&"cap") && expected.len() == 2 {
        "in `retention`".into()
    } else if expected.contains(&"in") && expected.len() == 3 {
        "in `cues`".into()
    } else {
        fallback.into()
    }
}

/// The sounds every build knows, for validation where no audio catalog is
/// at hand. The audio module's catalog adds the user's own sounds.
pub struct BuiltinSoundNames;

/// Names of the bundled sounds.
pub const BUILTIN_SOUNDS: &[&str] = &["bell", "bowl", "wood", "gong", "rise", "fall"];

impl SoundCatalog for BuiltinSoundNames {
    fn contains(&self, name: &str) -> bool {
        BUILTIN_SOUNDS.contains(&name)
    }
    fn names(&self) -> Vec<String> {
        BUILTIN_SOUNDS.iter().map(|s| (*s).to_owned()).collect()
    }
}
