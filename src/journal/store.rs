//! Where entries are kept: the [`Journal`] trait, the real append-only
//! file store, and fakes for tests.
//!
//! The file store never rewrites, truncates or repairs the file. Each entry
//! is one line written with a single `write` on a file opened with
//! `O_APPEND`, then `sync_data`, so a caller only says "saved" once the
//! line is on disk. Two processes appending at once interleave whole lines
//! (an `O_APPEND` write of a few hundred bytes is atomic on local
//! filesystems). A line that cannot be read is skipped with a warning.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read as _, Seek as _, SeekFrom, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::entry::Entry;

/// Why the journal could not be written or read.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    /// The file or its folder could not be created, written or read.
    #[error("{path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What went wrong.
        source: io::Error,
    },
    /// The entry could not be turned into JSON (should not happen).
    #[error("could not encode the entry: {0}")]
    Encode(#[from] serde_json::Error),
    /// A fake journal's failure (tests).
    #[error("{0}")]
    Other(String),
}

/// A line that was skipped while reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedLine {
    /// 1-based line number.
    pub line: usize,
    /// Why it could not be read.
    pub reason: String,
}

/// What reading the journal found.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    /// The entries that could be read, in file order.
    pub entries: Vec<Entry>,
    /// Lines skipped, with their numbers.
    pub skipped: Vec<SkippedLine>,
}

impl Loaded {
    /// One warning per skipped line, naming the file and line.
    pub fn warnings(&self, path: &Path) -> Vec<String> {
        self.skipped
            .iter()
            .map(|s| {
                format!(
                    "warning: {}:{}: skipped a line that could not be read ({}); the file is left as it is",
                    path.display(),
                    s.line,
                    s.reason
                )
            })
            .collect()
    }
}

/// Something entries can be appended to and read from.
pub trait Journal {
    /// Append one entry; returns once it is durably stored.
    fn append(&self, entry: &Entry) -> Result<(), JournalError>;
    /// Read every entry that can be read.
    fn load(&self) -> Result<Loaded, JournalError>;
    /// Where it lives, for messages.
    fn location(&self) -> String;
}

/// The real journal: a JSON Lines file.
#[derive(Debug, Clone)]
pub struct FileJournal {
    path: PathBuf,
}

impl FileJournal {
    /// A journal at `path` (normally [`crate::paths::Paths::journal_file`]).
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn io(&self, path: &Path, source: io::Error) -> JournalError {
        let _ = self;
        JournalError::Io {
            path: path.to_owned(),
            source,
        }
    }

    /// Create the journal's folder, owner-only (0700). Folders above it are
    /// created with the usual permissions.
    fn ensure_dir(&self) -> Result<(), JournalError> {
        let Some(dir) = self.path.parent() else {
            return Ok(());
        };
        if dir.as_os_str().is_empty() || dir.is_dir() {
            return Ok(());
        }
        if let Some(up) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(up).map_err(|e| self.io(up, e))?;
        }
        let mut b = fs::DirBuilder::new();
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt as _;
            b.mode(0o700);
        }
        match b.create(dir) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
            Err(e) => Err(self.io(dir, e)),
        }
    }

    fn open_append(&self) -> Result<File, JournalError> {
        let mut o = OpenOptions::new();
        o.read(true).append(true).create(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt as _;
            o.mode(0o600);
        }
        o.open(&self.path).map_err(|e| self.io(&self.path, e))
    }
}

/// Whether the file's last byte is a newline (or the file is empty).
fn ends_with_newline(f: &mut File) -> io::Result<bool> {
    let len = f.metadata()?.len();
    if len == 0 {
        return Ok(true);
    }
    f.seek(SeekFrom::Start(len - 1))?;
    let mut b = [0u8; 1];
    f.read_exact(&mut b)?;
    Ok(b[0] == b'\n')
}

impl Journal for FileJournal {
    fn append(&self, entry: &Entry) -> Result<(), JournalError> {
        let line = entry.to_line()?;
        self.ensure_dir()?;
        let mut f = self.open_append()?;
        // A torn last line (a crash mid-write, a hand edit) must not swallow
        // this entry: start on a fresh line. The torn line stays as it was.
        let mut buf = Vec::with_capacity(line.len() + 1);
        if !ends_with_newline(&mut f).map_err(|e| self.io(&self.path, e))? {
            buf.push(b'\n');
        }
        buf.extend_from_slice(line.as_bytes());
        // One write call, so concurrent appenders interleave whole lines.
        let n = f.write(&buf).map_err(|e| self.io(&self.path, e))?;
        if n < buf.len() {
            // A short write (disk full, a signal): finish it rather than
            // leave half a line, and report any error.
            f.write_all(&buf[n..]).map_err(|e| self.io(&self.path, e))?;
        }
        f.sync_data().map_err(|e| self.io(&self.path, e))?;
        Ok(())
    }

    fn load(&self) -> Result<Loaded, JournalError> {
        match fs::read(&self.path) {
            Ok(bytes) => Ok(parse(&bytes)),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Loaded::default()),
            Err(e) => Err(self.io(&self.path, e)),
        }
    }

    fn location(&self) -> String {
        self.path.display().to_string()
    }
}

/// Read entries from the bytes of a journal file, skipping what cannot be
/// read (blank lines are passed over silently).
pub fn parse(bytes: &[u8]) -> Loaded {
    let mut loaded = Loaded::default();
    for (i, raw) in bytes.split(|b| *b == b'\n').enumerate() {
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match serde_json::from_slice::<Entry>(raw) {
            Ok(e) => loaded.entries.push(e),
            Err(err) => loaded.skipped.push(SkippedLine {
                line: i + 1,
                reason: err.to_string(),
            }),
        }
    }
    loaded
}

/// A journal in memory that records what is appended (tests).
#[derive(Debug, Default)]
pub struct RecordingJournal {
    /// Entries appended so far.
    pub entries: Mutex<Vec<Entry>>,
}

impl Journal for RecordingJournal {
    fn append(&self, entry: &Entry) -> Result<(), JournalError> {
        self.entries
            .lock()
            .map_err(|_| JournalError::Other("poisoned".into()))?
            .push(entry.clone());
        Ok(())
    }

    fn load(&self) -> Result<Loaded, JournalError> {
        Ok(Loaded {
            entries: self
                .entries
                .lock()
                .map_err(|_| JournalError::Other("poisoned".into()))?
                .clone(),
            skipped: Vec::new(),
        })
    }

    fn location(&self) -> String {
        "memory".into()
    }
}

/// A journal whose every call fails (tests of the error path).
#[derive(Debug, Default)]
pub struct FailingJournal;

impl Journal for FailingJournal {
    fn append(&self, _entry: &Entry) -> Result<(), JournalError> {
        Err(JournalError::Other("the disk is full".into()))
    }

    fn load(&self) -> Result<Loaded, JournalError> {
        Err(JournalError::Other("the disk is full".into()))
    }

    fn location(&self) -> String {
        "nowhere".into()
    }
}
