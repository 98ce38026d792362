//! `exhale new` and `exhale schema`: help for people writing their own
//! sessions. `new` starts a commented file in the user's sessions folder
//! (never replacing one), `schema` prints the JSON Schema editors use.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use crate::commands::catalog::{AvailableSounds, find_failure};
use crate::exit::{self, Failure, Outcome};
use crate::format::{self, read, schema};
use crate::library::Library;
use crate::paths::Paths;

/// The editor directive at the top of files `new` writes. The schema copy
/// sits in the config folder, one level above the sessions folder, so the
/// relative path works wherever that folder is.
pub const SCHEMA_DIRECTIVE: &str = "#:schema ../session.schema.json";

/// File name of the schema copy kept in the config folder.
pub const SCHEMA_FILE: &str = "session.schema.json";

/// Longest session name `new` accepts.
const MAX_NAME: usize = 64;

/// Check a name given to `exhale new`: it becomes a file name, so it must
/// be a plain file stem. A trailing `.toml` is dropped. Used as a clap value
/// parser, so a bad name is a usage error (exit 2).
pub fn parse_session_name(raw: &str) -> Result<String, String> {
    let name = raw.strip_suffix(".toml").unwrap_or(raw);
    if name.is_empty() {
        return Err("the name is empty; give a short name like `evening`".into());
    }
    if name.trim() != name {
        return Err("the name starts or ends with a space".into());
    }
    if let Some(c) = name.chars().find(|c| {
        matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') || c.is_control()
    }) {
        return Err(format!(
            "the name cannot contain {c:?}: it is a file name, not a path; use letters, digits, - and _"
        ));
    }
    if name.starts_with('.') {
        return Err(
            "the name starts with a dot, which would make a hidden file; give a name like `evening`"
                .into(),
        );
    }
    if name.chars().count() > MAX_NAME {
        return Err(format!("the name is longer than {MAX_NAME} characters"));
    }
    Ok(name.to_owned())
}

/// The commented starting file `new` writes when no `--from` is given.
pub fn template(name: &str) -> String {
    let title = toml::Value::String(name.to_owned()).to_string();
    TEMPLATE
        .replace("{directive}", SCHEMA_DIRECTIVE)
        .replace("{title}", &title)
}

const TEMPLATE: &str = r#"{directive}
# An exhale session. Lines starting with # are comments: remove the # to use
# an option. After a change, `exhale check` this file; `exhale show` and the
# session's name (the file name) preview its timeline without running it.
# The whole format, every key: `exhale help format` (or `man exhale`).

name = {title}
description = "What this session is for, in a sentence or two."
tags = ["calm"]
# author = "Your name"
# references = ["Where the practice comes from"]
# caution = "Shown before the session starts: who should not practise it, what to expect."
# settle = 5    # seconds to settle in before the first phase; 0 for none
# settle = { length = "20s", text = "Lie down and let the floor hold you." }

# Sounds for the whole session; a block may set its own with
# sounds = { inhale = "wood" } inside the block.
# Bundled: bell, bowl, wood, gong, rise, fall. Your own .wav/.ogg/.flac files
# in the sounds folder are named by their file name without the extension.
# "none" is silence.
# [sounds]
# inhale = "rise"
# exhale = "fall"
# hold = "none"
# bell = "bell"

[[block]]
kind = "breathe"    # or "retention", or "meditate"
name = "Slow breathing"
# One cycle. Each phase is exactly one of in, out or hold, with a length in
# seconds (4, 5.5) or as text ("4s", "1m30s", "0:30"), and an optional cue.
phases = [
  { in = 4, cue = "Breathe in through the nose" },
  # { hold = 2, cue = "Hold gently" },
  # { natural = "1m", cue = "Just breathe" },    # unpaced: breathe normally
  { out = 6, cue = "Breathe out slowly" },
  # A ramp: this exhale grows from 6 to 8 seconds over the block's cycles
  # (add over = "3m" to reach 8 after three minutes and stay there).
  # { out = 6, to = 8, cue = "Breathe out, a little longer each time" },
]
# How long: give exactly one of cycles, minutes or duration.
cycles = 30
# minutes = 5
# duration = "5m"
# Cue text for phases without a cue of their own:
# cues = { in = "In", out = "Out", hold = "Hold" }
# Bells while you breathe, on the block's own clock (the breathing goes on):
# bells = { every = "5m", end = true }    # or at = ["2m", "7m"]

# A quiet sit after the breathing: remove the # at the start of these lines.
# [[block]]
# kind = "meditate"
# name = "Sitting quietly"
# minutes = 5    # or: open = true (you end it with Space; cap = "30m" limits it)
# bells = { start = true, end = true }    # every = "1m" rings each minute
# prompts = [
#   { at = "0:00", text = "Let the breath be as it is." },
#   { at = "2:30", text = "If the mind has wandered, gently come back." },
# ]
"#;

/// `exhale new NAME [--from SESSION]`.
pub fn new(paths: &Paths, name: &str, from: Option<&str>) -> Outcome {
    let dir = paths.sessions_dir();
    let target = dir.join(format!("{name}.toml"));
    if target.exists() {
        return Err(existing(&target));
    }
    let content = match from {
        None => template(name),
        Some(source) => copy_of(paths, source)?,
    };
    std::fs::create_dir_all(&dir).map_err(|e| {
        Failure::invalid(format_args!(
            "cannot create the folder {}: {e}",
            dir.display()
        ))
    })?;
    // create_new: if the file appeared since the check above, it is still
    // never replaced.
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&target);
    let mut file = match file {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(existing(&target));
        }
        Err(e) => {
            return Err(Failure::invalid(format_args!(
                "cannot create {}: {e}",
                target.display()
            )));
        }
    };
    file.write_all(content.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| Failure::invalid(format_args!("cannot write {}: {e}", target.display())))?;
    let schema_note = match write_schema_copy(&paths.config_dir) {
        Ok(()) => None,
        Err(e) => Some(format!(
            "note: could not write the editor schema to {}: {e}",
            paths.config_dir.join(SCHEMA_FILE).display()
        )),
    };
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "Created {}", target.display());
    if crate::library::BUILTIN.iter().any(|(n, _)| *n == name) {
        let _ = writeln!(
            out,
            "Note: `{name}` is also a built-in session; `exhale run {name}` now runs your file."
        );
    }
    let _ = writeln!(
        out,
        "Next: edit it, then `exhale check {}` and `exhale run {name}`.",
        shell_word(&target.display().to_string())
    );
    if let Some(note) = schema_note {
        eprintln!("{note}");
    }
    Ok(())
}

/// The file is there already: it is never replaced.
fn existing(target: &Path) -> Failure {
    Failure::invalid(format_args!(
        "{} already exists; nothing was changed",
        target.display()
    ))
    .help("choose another name, or edit that file")
}

/// The source of an existing session, made ready for the user's folder:
/// the text is kept as written, except that the `#:schema` line (if the
/// first line is one) points at the schema copy in the config folder, and
/// the title gets " (copy)" so the list tells the two apart. The session
/// must be valid; a copy of a broken file would not help.
fn copy_of(paths: &Paths, source: &str) -> Result<String, Failure> {
    let lib = Library::load(Some(&paths.sessions_dir()));
    let entry = lib.resolve(source).map_err(|e| find_failure(&e))?;
    let sounds = AvailableSounds::load(&paths.sounds_dir());
    let (text, checked) = format::check_bytes(&entry.bytes, &sounds);
    if checked.has_errors() {
        let diagnostics =
            format::diagnostic::render_all(&checked.diagnostics, &entry.display_path(), &text);
        return Err(Failure::text(
            exit::INVALID,
            format!(
                "{diagnostics}error: `{source}` has errors, so it was not copied; fix it first (see `exhale check`)"
            ),
        ));
    }
    let mut out = with_directive(&text);
    if let Some(renamed) = retitled(&out) {
        // Keep the new title only if the copy is still valid (a title near
        // the length limit could go over it).
        if !format::check_str(&renamed, &sounds).has_errors() {
            out = renamed;
        }
    }
    Ok(out)
}

/// Replace a first-line `#:schema` directive with ours, or add ours.
fn with_directive(text: &str) -> String {
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let (first, rest) = text.split_once('\n').unwrap_or((text, ""));
    if first.trim_start().starts_with("#:schema") {
        format!("{SCHEMA_DIRECTIVE}{newline}{rest}")
    } else {
        format!("{SCHEMA_DIRECTIVE}{newline}{text}")
    }
}

/// The text with its top-level `name = "..."` line given " (copy)" at the
/// end of the title, when that line is a plain one-line string.
fn retitled(text: &str) -> Option<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut done = false;
    let mut in_header = true;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            in_header = false;
        }
        if in_header && !done && trimmed.starts_with("name") {
            let parsed: Option<toml::Table> = toml::from_str(line).ok();
            if let Some(toml::Value::String(title)) = parsed.as_ref().and_then(|t| t.get("name")) {
                let new = toml::Value::String(format!("{title} (copy)"));
                let ending = &line[line.trim_end_matches(['\r', '\n']).len()..];
                lines.push(format!("name = {new}{ending}"));
                done = true;
                continue;
            }
        }
        lines.push(line.to_owned());
    }
    done.then(|| lines.concat())
}

/// Write the schema next to the sessions folder, so the `#:schema` line in
/// the files `new` writes finds it offline. Rewritten only when it differs
/// (an older exhale wrote it, or it was edited by hand).
fn write_schema_copy(config_dir: &Path) -> Result<(), String> {
    let path: PathBuf = config_dir.join(SCHEMA_FILE);
    let text = schema::schema_text();
    // Only a regular file is read or replaced: writing to a pipe put there
    // would block, and a device is not ours to write to.
    let cap = read::Cap {
        bytes: read::SESSION_FILE.bytes,
        what: "the schema copy",
        usual: "the schema is a few dozen kilobytes",
    };
    match read::read_capped(&path, cap) {
        Ok(old) if old == text.as_bytes() => return Ok(()),
        Ok(_) | Err(read::ReadError::NotFound | read::ReadError::TooLarge { .. }) => {}
        Err(e) => return Err(e.to_string()),
    }
    std::fs::create_dir_all(config_dir).map_err(|e| e.to_string())?;
    std::fs::write(&path, text).map_err(|e| e.to_string())
}

/// Quote a path for a shell command line when it needs it.
fn shell_word(s: &str) -> String {
    if s.chars()
        .all(|c| c.is_ascii_alphanumeric() || "/._-+,@%=".contains(c))
    {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', r"'\''"))
    }
}

/// `exhale schema`.
pub fn print_schema() -> Outcome {
    let mut out = std::io::stdout().lock();
    out.write_all(schema::schema_text().as_bytes())
        .map_err(|_| Failure::quiet(exit::INVALID))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_are_paths_or_hidden_are_refused() {
        for bad in [
            "", "a/b", "../x", ".hidden", " x", "x ", "a\\b", "a\u{7}", ".toml",
        ] {
            assert!(parse_session_name(bad).is_err(), "{bad:?} was accepted");
        }
        assert_eq!(parse_session_name("evening"), Ok("evening".into()));
        assert_eq!(parse_session_name("evening.toml"), Ok("evening".into()));
        assert_eq!(parse_session_name("my calm 2"), Ok("my calm 2".into()));
    }

    #[test]
    fn the_template_is_a_valid_session_without_warnings() {
        let text = template("evening \"calm\"");
        let checked = format::check_str(&text, &format::BuiltinSoundNames);
        assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
        assert_eq!(
            checked.session.map(|s| s.title),
            Some("evening \"calm\"".to_owned())
        );
    }

    #[test]
    fn a_copy_points_at_the_local_schema_and_is_retitled() {
        let src = "#:schema ../docs/session.schema.json\nname = \"Box\" # the title\n[[block]]\nname = \"inner\"\n";
        let out = retitled(&with_directive(src)).unwrap_or_default();
        assert_eq!(
            out,
            "#:schema ../session.schema.json\nname = \"Box (copy)\"\n[[block]]\nname = \"inner\"\n"
        );
    }

    #[test]
    fn a_copy_keeps_windows_line_endings() {
        let src = "name = \"A\"\r\n[[block]]\r\n";
        let out = retitled(&with_directive(src)).unwrap_or_default();
        assert_eq!(
            out,
            "#:schema ../session.schema.json\r\nname = \"A (copy)\"\r\n[[block]]\r\n"
        );
    }
}
