//! The session file format (v1): reading a TOML file into a validated
//! [`Session`](crate::engine::model::Session), or into a list of diagnostics that
//! say exactly what is wrong and where.
//! - [`measure`], [`measures`]: check-in measures and how `[[measure]]`
//!   tables are read (in plans and config.toml).
//!
//! Parsing happens in three steps: TOML syntax (all syntax errors are
//! reported), structure (each part of the file is deserialized on its own,
//! so an unknown key in one block does not hide a mistake in another), and
//! meaning (validation into the model).

pub mod diagnostic;
pub mod length;
pub mod limits;
pub mod measure;
pub mod measures;
pub mod raw;
pub mod read;
pub mod schema;
pub mod syntax;
pub mod text;
pub mod validate;

use std::path::Path;

use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

pub use diagnostic::{Diagnostic, Severity};

use crate::engine::model::Session;
use raw::{RawBlock, RawHeader};

/// Largest session file accepted.
pub const MAX_FILE_BYTES: u64 = read::SESSION_FILE.bytes;

/// The sound names a session may use, so validation can reject unknown ones.
pub trait SoundCatalog {
    /// Whether `name` is a sound that can be played.
    fn contains(&self, name: &str) -> bool;
    /// Every known name, for suggestions.
    fn names(&self) -> Vec<String>;
    /// Why a known `name` cannot be played (not a regular file, out of
    /// range, does not decode), naming the file; `None` when it can be.
    fn unusable(&self, _name: &str) -> Option<Unusable> {
        None
    }
    /// Memory the sound `name` takes once decoded, if known.
    fn decoded_bytes(&self, _name: &str) -> Option<u64> {
        None
    }
    /// Most memory the sounds of one session may take together, decoded.
    fn bytes_cap(&self) -> Option<u64> {
        None
    }
    /// The voice packs a session may name; the built-in `default` always.
    fn voices(&self) -> Vec<String> {
        vec![DEFAULT_VOICE_NAME.to_owned()]
    }
    /// The clips (file stems) the voice pack `voice` lacks.
    fn missing_clips(&self, _voice: &str) -> Vec<String> {
        Vec::new()
    }
}

/// The name of the voice pack built into the binary.
pub const DEFAULT_VOICE_NAME: &str = "default";

/// Why a sound cannot be played: what is wrong, as a sentence naming the
/// sound and its file, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unusable {
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub help: String,
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

/// Read and check a session file from disk: only a regular file (never a
/// pipe or a device), of at most [`MAX_FILE_BYTES`]. The bytes are
/// returned as text (lossily, for display) alongside the result so errors
/// can be rendered.
pub fn check_file(path: &Path, sounds: &dyn SoundCatalog) -> (String, Checked) {
    match read::read_capped(path, read::SESSION_FILE) {
        Ok(bytes) => check_bytes(&bytes, sounds),
        Err(e) => (
            String::new(),
            Checked {
                session: None,
                diagnostics: vec![e.diagnostic()],
            },
        ),
    }
}

/// Check a session given as bytes (from a file or embedded in the binary).
pub fn check_bytes(bytes: &[u8], sounds: &dyn SoundCatalog) -> (String, Checked) {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        let d = read::ReadError::TooLarge {
            cap: read::SESSION_FILE,
        }
        .diagnostic();
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
        return Checked {
            session: None,
            diagnostics: syntax::errors(&errors, source, &syntax::SESSION),
        };
    }
    check_table(root, source, sounds)
}

fn check_table(root: Spanned<DeTable<'_>>, source: &str, sounds: &dyn SoundCatalog) -> Checked {
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
                DeValue::Array(items) if items.is_empty() => diags.push(
                    Diagnostic::error("`block` is empty: the session has no blocks", Some(span))
                        .with_help(
                            "add at least one [[block]] with kind = \"breathe\", \"retention\" or \"meditate\"",
                        ),
                ),
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

    // Too many blocks: say so at the first one past the limit, and read
    // none of them (a file of thousands would bury that error).
    if let Some(extra) = block_values.get(limits::MAX_BLOCKS) {
        diags.push(
            Diagnostic::error(
                format!(
                    "{} blocks; at most {} are allowed",
                    block_values.len(),
                    limits::MAX_BLOCKS
                ),
                Some(extra.span()),
            )
            .with_help(format!(
                "this is block {}: split the session into shorter ones, or use `cycles` and longer blocks instead of repeating a block",
                limits::MAX_BLOCKS + 1
            )),
        );
        block_values.clear();
    }

    let header_value = Spanned::new(root_span, DeValue::Table(table));
    let header: Option<RawHeader> = match read_table(
        header_value,
        source,
        HEADER_KEYS,
        "at the top of the session",
    ) {
        Ok(h) => Some(h),
        Err(errors) => {
            diags.extend(errors);
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
        // Suggestions for a misspelt key come from the keys this block's
        // kind accepts: suggesting `cycles` in a retention block would
        // only lead to the next error.
        let (keys, place) = match block_kind(value.get_ref()) {
            Some("breathe") => (validate::BREATHE_KEYS, "in a breathe block"),
            Some("retention") => (validate::RETENTION_KEYS, "in a retention block"),
            Some("meditate") => (validate::MEDITATE_KEYS, "in a meditate block"),
            _ => (BLOCK_KEYS, "in a block"),
        };
        match read_table::<RawBlock>(value, source, keys, place) {
            Ok(b) => blocks.push(Spanned::new(span, b)),
            Err(errors) => diags.extend(errors),
        }
    }

    let mut v = validate::Validator::new(sounds, source);
    let session = v.session(header.as_ref(), &blocks, any_block);
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

/// The `kind` a block's raw table gives, if it is a string.
fn block_kind<'a>(value: &'a DeValue<'_>) -> Option<&'a str> {
    let DeValue::Table(table) = value else {
        return None;
    };
    table.iter().find_map(|(k, v)| match v.get_ref() {
        DeValue::String(s) if k.get_ref() == "kind" => Some(s.as_ref()),
        _ => None,
    })
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
    "bed",
    "pacing",
    "bells",
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
    "rate",
    "sounds",
    "rounds",
    "breaths",
    "retention",
    "recovery",
    "open",
    "cap",
    "bells",
    "prompts",
    "pacing",
];
const NESTED_KEYS: &[&str] = &[
    "in", "out", "hold", "natural", "to", "step", "every", "cue", "sound", "inhale", "exhale",
    "bell", "prompt", "start", "end", "at", "text", "cap", "length", "over", "voice", "count",
    "random", "seed", "strikes", "pan",
];

/// Most structure errors reported for one table.
const MAX_STRUCTURE_ERRORS: usize = 8;

/// Deserialize one table. On an unknown or mistyped key, of the table
/// itself or of a table or list inside it, the key is taken out and the
/// table read again, so that every such key is reported, not only the
/// first. A table with any error is not
/// validated further: its missing key would only cause more errors.
/// `keys` are the table's own keys, for a did-you-mean; `place` says
/// where it is ("at the top of the session"). The plan file is read
/// with it too.
pub fn read_table<T: serde::de::DeserializeOwned>(
    value: Spanned<DeValue<'_>>,
    source: &str,
    keys: &[&str],
    place: &str,
) -> Result<T, Vec<Diagnostic>> {
    let span = value.span();
    let mut value = value;
    let mut diags: Vec<Diagnostic> = Vec::new();
    let mut removed: Vec<String> = Vec::new();
    for _ in 0..MAX_STRUCTURE_ERRORS {
        let err = match T::deserialize(ValueDeserializer::from(value.clone())) {
            Ok(t) if diags.is_empty() => return Ok(t),
            Ok(_) => break,
            Err(e) => e,
        };
        let mut d = structure_error(&err, source, keys, place);
        if removed
            .iter()
            .any(|k| d.message.starts_with(&format!("missing key `{k}`")))
        {
            // Only missing because a mistyped value was taken out.
            break;
        }
        if d.span.is_none() {
            d.span = Some(span.clone());
        }
        diags.push(d);
        let Some(at) = err.span() else { break };
        match take_out(value.get_mut(), &at) {
            Some(k) => removed.push(k),
            None => break,
        }
    }
    Err(diags)
}

/// Take out of `value` the key (or list item) that the error at `at` is
/// about, however deep (a phase's `in` inside `phases`), so that the next
/// reading goes on to the next mistake; the key's name (empty for a list
/// item), or `None` when nothing there matches.
fn take_out(value: &mut DeValue<'_>, at: &std::ops::Range<usize>) -> Option<String> {
    let within = |span: std::ops::Range<usize>| span.start <= at.start && at.end <= span.end;
    match value {
        DeValue::Table(table) => {
            if let Some(k) = table
                .iter()
                .find(|(k, v)| k.span() == *at || v.span() == *at)
                .map(|(k, _)| k.clone())
            {
                table.remove(&k);
                return Some(k.get_ref().to_string());
            }
            let k = table
                .iter()
                .find(|(_, v)| within(v.span()))
                .map(|(k, _)| k.clone())?;
            take_out(table.get_mut(&k)?.get_mut(), at)
        }
        DeValue::Array(items) => {
            if let Some(i) = items.iter().position(|v| v.span() == *at) {
                let mut rest = toml::de::DeArray::new();
                for (j, v) in items.iter().enumerate() {
                    if j != i {
                        rest.push(v.clone());
                    }
                }
                *items = rest;
                return Some(String::new());
            }
            let i = items.iter().position(|v| within(v.span()))?;
            take_out(items.get_mut(i)?.get_mut(), at)
        }
        _ => None,
    }
}

/// Turn a serde message into one a person writing a session understands.
fn structure_error(e: &toml::de::Error, source: &str, keys: &[&str], place: &str) -> Diagnostic {
    let msg = e.message().trim();
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let field = rest.split('`').next().unwrap_or("");
        let expected: Vec<&str> = rest
            .split('`')
            // "evry`, expected one of `start`, `end`": names sit between
            // every other pair of backticks, after the field itself.
            .skip(2)
            .step_by(2)
            .filter(|s| !s.is_empty())
            .collect();
        // The key is one of this table's own when serde expected the
        // table's keys (a block's are narrowed to its kind's); otherwise it
        // is in a nested table, whose keys serde lists.
        let own = expected.is_empty() || is_block_keys(&expected);
        let candidates: Vec<&str> = if own { keys.to_vec() } else { expected.clone() };
        let mut all = candidates.clone();
        if !own {
            all.extend(keys.iter().chain(NESTED_KEYS));
        }
        let help = match diagnostic::did_you_mean(field, &candidates)
            .or_else(|| diagnostic::did_you_mean(field, &all))
        {
            Some(m) => format!("did you mean `{m}`?"),
            None => format!("expected one of: {}", candidates.join(", ")),
        };
        let place = if own {
            place.to_owned()
        } else {
            place_for(&expected, place)
        };
        return Diagnostic::error(format!("unknown key `{field}` {place}"), e.span())
            .with_help(help);
    }
    if let Some(rest) = msg.strip_prefix("missing field `") {
        let field = rest.split('`').next().unwrap_or("");
        let place = match field {
            "cap" => "in `retention`",
            "at" | "text" => "in a prompt",
            _ => place,
        };
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
        .replace(
            "struct RawBells",
            "a table such as { start = true, every = \"5m\" }",
        )
        .replace(
            "struct RawRetentionHold",
            "a table such as { cap = \"2m\", cue = \"...\" }",
        )
        .replace("struct RawSounds", "a table such as { bell = \"bowl\" }")
        .replace(
            "struct RawSettleTable",
            "a table such as { length = \"20s\", text = \"...\" }",
        )
        .replace("struct RawCues", "a table such as { in = \"Breathe in\" }")
        .replace("struct RawPhase", "a phase such as { in = 4 }")
        .replace(
            "struct RawPrompt",
            "a prompt such as { at = \"1m\", text = \"...\" }",
        )
        .replace("struct Raw", "a table ");
    let help = if friendly.contains("expected a length") {
        length::LENGTH_HELP
    } else if friendly.contains("whole number") {
        "write a whole number without quotes, e.g. cycles = 10"
    } else if friendly.contains("expected a number") {
        "write a number without quotes, e.g. minutes = 5"
    } else if friendly.contains("expected a string") {
        "write text in double quotes"
    } else if friendly.contains("expected true or false") {
        "write true or false without quotes"
    } else if friendly.contains("expected a list") {
        "write a list in square brackets, items separated by commas: [ ..., ... ]"
    } else if friendly.contains("such as") {
        "write it in curly braces as shown, or as its own table"
    } else {
        "`exhale help format` shows the shape of each key"
    };
    // "invalid type: string \"ten\", expected a whole number" says neither
    // which key nor what to write; name the key when the value has one.
    let key = e.span().and_then(|s| key_of_value(source, s.start));
    let message = match (friendly.strip_prefix("invalid type: "), key) {
        (Some(rest), Some(key)) => match rest.split_once(", expected ") {
            Some((found, expected)) => {
                let found = found
                    .replace("integer", "number")
                    .replace("floating point", "number")
                    .replace("boolean", "value");
                format!("`{key}` should be {expected}, not the {found}")
            }
            None => friendly,
        },
        _ => friendly,
    };
    Diagnostic::error(message, e.span()).with_help(help)
}

/// The key a value at byte `offset` is assigned to (`cycles` in
/// `cycles = "ten"`, `in` in `{ in = true }`), if it directly follows one.
pub(crate) fn key_of_value(source: &str, offset: usize) -> Option<&str> {
    let before = source.get(..offset)?;
    let line = before.rsplit('\n').next()?;
    let key = line.trim_end().strip_suffix('=')?.trim_end();
    let start = key
        .rfind(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .map_or(0, |i| i + 1);
    let key = &key[start..];
    (!key.is_empty()).then_some(key)
}

/// Whether serde's list of expected keys is that of a whole block.
fn is_block_keys(expected: &[&str]) -> bool {
    expected.len() == BLOCK_KEYS.len() && BLOCK_KEYS.iter().all(|k| expected.contains(k))
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
    } else if expected == ["length", "text"] {
        "in `settle`".into()
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
