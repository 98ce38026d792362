//! The session library: the built-in sessions embedded in the binary, the
//! user's own sessions from their sessions folder, and resolving what the
//! user typed (`box`, `./mine.toml`) to one session's source text.

use std::path::{Path, PathBuf};

use crate::format::diagnostic::did_you_mean;
use crate::format::read::{self, ReadError};
use crate::format::{self, Checked, SoundCatalog};

/// The built-in sessions, embedded at build time: (name, TOML source).
pub const BUILTIN: &[(&str, &str)] = &[
    ("box", include_str!("../sessions/box.toml")),
    ("478", include_str!("../sessions/478.toml")),
    ("resonance", include_str!("../sessions/resonance.toml")),
    (
        "resonance-finder",
        include_str!("../sessions/resonance-finder.toml"),
    ),
    ("sigh", include_str!("../sessions/sigh.toml")),
    (
        "extended-exhale",
        include_str!("../sessions/extended-exhale.toml"),
    ),
    ("retention", include_str!("../sessions/retention.toml")),
    (
        "alternate-nostril",
        include_str!("../sessions/alternate-nostril.toml"),
    ),
    ("humming", include_str!("../sessions/humming.toml")),
    (
        "mindful-breathing",
        include_str!("../sessions/mindful-breathing.toml"),
    ),
    ("silent-sit", include_str!("../sessions/silent-sit.toml")),
    ("body-scan", include_str!("../sessions/body-scan.toml")),
    ("grounding", include_str!("../sessions/grounding.toml")),
    (
        "loving-kindness",
        include_str!("../sessions/loving-kindness.toml"),
    ),
    (
        "control-pause",
        include_str!("../sessions/control-pause.toml"),
    ),
    ("open-sit", include_str!("../sessions/open-sit.toml")),
];

/// Where a session comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Embedded in the binary.
    BuiltIn,
    /// The user's sessions folder.
    User(PathBuf),
    /// A path given on the command line.
    File(PathBuf),
}

impl Origin {
    /// A short word for listings.
    pub fn label(&self) -> &'static str {
        match self {
            Origin::BuiltIn => "built-in",
            Origin::User(_) => "user",
            Origin::File(_) => "file",
        }
    }

    /// The path to show in diagnostics.
    pub fn display_path(&self, name: &str) -> String {
        match self {
            Origin::BuiltIn => format!("sessions/{name}.toml (built-in)"),
            Origin::User(p) | Origin::File(p) => p.display().to_string(),
        }
    }
}

/// One session's source, not yet checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The name `run` takes (the file stem).
    pub name: String,
    /// Where it comes from.
    pub origin: Origin,
    /// Whether a user file of this name hides a built-in.
    pub shadows_builtin: bool,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

impl Entry {
    /// Check the session: its source text (decoded for diagnostics) and
    /// the session or what is wrong with it, sound names checked against
    /// `sounds`.
    pub fn check(&self, sounds: &dyn SoundCatalog) -> (String, Checked) {
        format::check_bytes(&self.bytes, sounds)
    }

    /// The path to show in diagnostics.
    pub fn display_path(&self) -> String {
        self.origin.display_path(&self.name)
    }
}

/// A problem finding a session.
#[derive(Debug, thiserror::Error)]
pub enum FindError {
    /// No session has that name.
    #[error("no session named `{name}`{}", suggestion.as_ref().map(|s| format!("; did you mean `{s}`?")).unwrap_or_default())]
    Unknown {
        /// What the user typed.
        name: String,
        /// The nearest name, if any.
        suggestion: Option<String>,
    },
    /// A path that could not be read (missing, not a regular file, too
    /// large).
    #[error("cannot read {path}: {source}")]
    Read {
        /// The path.
        path: PathBuf,
        /// Why.
        source: ReadError,
    },
}

impl FindError {
    /// What to do about it.
    pub fn help(&self) -> String {
        match self {
            FindError::Unknown { .. } => "`exhale list` shows every session".into(),
            FindError::Read { source, .. } => source.help(),
        }
    }
}

/// Every session a user can run.
#[derive(Debug, Clone, Default)]
pub struct Library {
    /// Sessions by name, user files replacing built-ins of the same name.
    pub entries: Vec<Entry>,
    /// Files in the user's folder that could not be read (a pipe or a
    /// device named `*.toml`, an unreadable or too large file), with why.
    pub unreadable: Vec<(PathBuf, String)>,
}

impl Library {
    /// The built-ins plus the `.toml` files in `user_dir` (if it exists).
    pub fn load(user_dir: Option<&Path>) -> Library {
        let mut lib = Library {
            entries: BUILTIN
                .iter()
                .map(|(name, src)| Entry {
                    name: (*name).to_owned(),
                    origin: Origin::BuiltIn,
                    shadows_builtin: false,
                    bytes: src.as_bytes().to_vec(),
                })
                .collect(),
            unreadable: Vec::new(),
        };
        let Some(dir) = user_dir else { return lib };
        let Ok(read) = std::fs::read_dir(dir) else {
            return lib;
        };
        let mut files: Vec<PathBuf> = read
            .filter_map(Result::ok)
            .map(|e| e.path())
            // Anything but a folder: a pipe or a device named `*.toml` is
            // reported as unreadable (without being opened), not skipped.
            .filter(|p| p.extension().is_some_and(|e| e == "toml") && !p.is_dir())
            .collect();
        files.sort();
        for path in files {
            let Some(name) = path.file_stem().and_then(|s| s.to_str()).map(str::to_owned) else {
                continue;
            };
            match read_capped(&path) {
                Ok(bytes) => {
                    let entry = Entry {
                        name: name.clone(),
                        origin: Origin::User(path),
                        shadows_builtin: false,
                        bytes,
                    };
                    if let Some(existing) = lib.entries.iter_mut().find(|e| e.name == name) {
                        *existing = Entry {
                            shadows_builtin: true,
                            ..entry
                        };
                    } else {
                        lib.entries.push(entry);
                    }
                }
                Err(e) => lib.unreadable.push((path, e.to_string())),
            }
        }
        lib
    }

    /// Find by name.
    pub fn get(&self, name: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.name == name)
    }

    /// Resolve what the user typed: a path to a `.toml` file (anything with
    /// a slash or ending in `.toml`), or a session name.
    pub fn resolve(&self, arg: &str) -> Result<Entry, FindError> {
        let looks_like_path =
            arg.contains('/') || arg.ends_with(".toml") || Path::new(arg).is_file();
        if looks_like_path {
            let path = PathBuf::from(arg);
            let bytes = read_capped(&path).map_err(|source| FindError::Read {
                path: path.clone(),
                source,
            })?;
            let name = path
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or(arg)
                .to_owned();
            return Ok(Entry {
                name,
                origin: Origin::File(path),
                shadows_builtin: false,
                bytes,
            });
        }
        self.get(arg).cloned().ok_or_else(|| {
            let names: Vec<&str> = self.entries.iter().map(|e| e.name.as_str()).collect();
            FindError::Unknown {
                name: arg.to_owned(),
                suggestion: did_you_mean(arg, &names).map(str::to_owned),
            }
        })
    }
}

/// Read a session file: a regular file only (never a pipe or a device),
/// and never more than the format allows.
pub fn read_capped(path: &Path) -> Result<Vec<u8>, ReadError> {
    read::read_capped(path, read::SESSION_FILE)
}
