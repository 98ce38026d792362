//! Where entries are kept: the [`Journal`] trait, the real append-only
//! file store, and fakes for tests.
//!
//! The file store never rewrites or repairs the file, and never removes a
//! byte that was there before an append. Each entry is one line, newline
//! included, written under an exclusive lock on the file (`flock`), then
//! `sync_data`, so a caller only says "saved" once the line is on disk. An
//! append is all or nothing: if the write comes up short or fails (a full
//! disk, a file size limit) or the sync fails, the bytes this append added
//! are cut off again, so the file is exactly as it was. The lock makes
//! appends from several copies of exhale take turns, so a writer never sees
//! another's half-written line (which is what once put a blank line in
//! the file: the check for a torn last line ran while another line was
//! being written).
//!
//! Reading is a stream: one line at a time through a buffer, at most
//! [`MAX_LINE_BYTES`] of a line kept in memory; a longer line is skipped
//! without being read into memory. A line that cannot be read, or whose
//! values are out of range ([`Entry::check`]), is skipped with a warning.
//! Only regular files are read or appended to: a FIFO, a device or a
//! folder at the journal's path is a clear error, never a hang.

use std::collections::HashMap;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufRead, BufReader, Read as _, Seek as _, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::entry::{Entry, FORMAT_VERSION};
use super::figures::{self, Figures, Seen, Source};
use super::id::Id;
use super::record::{self, Record};
use super::view;
use crate::clock::{self, WallClock};
use crate::format::read;

/// The longest line read, in bytes (64 KiB). An entry is well under 4 KiB;
/// a longer line is skipped with a warning, and never written.
pub const MAX_LINE_BYTES: usize = 64 * 1024;

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
    /// Something other than a regular file is at the journal's path.
    #[error(
        "{path}: this is {what}, not a regular file; the journal must be a plain file (move it away, and exhale starts a new journal there)"
    )]
    NotAFile {
        /// The journal's path.
        path: PathBuf,
        /// What is there instead ("a FIFO", "a device", "a folder", ...).
        what: &'static str,
    },
    /// The entry would be a line longer than readers accept.
    #[error("the entry is {0} bytes, more than the {MAX_LINE_BYTES} a journal line may have")]
    TooLong(usize),
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
    /// The file it is in (empty when read from memory).
    pub file: PathBuf,
    /// 1-based line number.
    pub line: usize,
    /// Why it could not be read.
    pub reason: String,
}

impl SkippedLine {
    /// The warning for this line, naming the file and line.
    pub fn warning(&self) -> String {
        format!(
            "warning: {}:{}: skipped a line that could not be read ({}); the file is left as it is",
            self.file.display(),
            self.line,
            self.reason
        )
    }
}

/// What one line of a file gave: a record, or a line skipped and why
/// (blank lines give nothing).
#[derive(Debug, Clone, PartialEq)]
pub enum FileLine {
    /// A record that could be read.
    Record(Record),
    /// A line that could not.
    Skipped(SkippedLine),
}

/// What reading the journal gives, one item at a time: an entry as the
/// journal shows it (amended, not removed, once), or a skipped line.
#[derive(Debug, Clone, PartialEq)]
pub enum Line {
    /// An entry of the journal.
    Entry(Box<Entry>),
    /// A line that could not be read.
    Skipped(SkippedLine),
}

/// What reading the journal found.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    /// The entries, oldest first.
    pub entries: Vec<Entry>,
    /// Lines skipped, with their files and numbers.
    pub skipped: Vec<SkippedLine>,
}

impl Loaded {
    /// One warning per skipped line, naming the file and line.
    pub fn warnings(&self) -> Vec<String> {
        self.skipped.iter().map(SkippedLine::warning).collect()
    }

    fn add(&mut self, line: Line) {
        match line {
            Line::Entry(e) => self.entries.push(*e),
            Line::Skipped(s) => self.skipped.push(s),
        }
    }

    /// Everything a view read gives, entries sorted.
    pub fn collect(
        read: impl FnOnce(&mut dyn FnMut(Line)) -> Result<(), JournalError>,
    ) -> Result<Self, JournalError> {
        let mut loaded = Self::default();
        read(&mut |l| loaded.add(l))?;
        view::sort(&mut loaded.entries);
        Ok(loaded)
    }
}

/// Something entries can be appended to and read from.
pub trait Journal {
    /// Append one session's entry; returns once it is durably stored. An
    /// entry without an id is given one (a UUID v7) and this machine's name.
    fn append(&self, entry: &Entry) -> Result<(), JournalError>;
    /// Read every entry that can be read, oldest first.
    fn load(&self) -> Result<Loaded, JournalError>;
    /// Hand each entry and each skipped line to `each` as it is read (not
    /// sorted), so a caller can fold the journal into figures without
    /// holding every entry. The default goes through [`Journal::load`].
    fn read(&self, each: &mut dyn FnMut(Line)) -> Result<(), JournalError> {
        let loaded = self.load()?;
        for e in loaded.entries {
            each(Line::Entry(Box::new(e)));
        }
        for s in loaded.skipped {
            each(Line::Skipped(s));
        }
        Ok(())
    }
    /// Hand each entry's figures, with where to get the whole entry from,
    /// and each skipped line to `each` as they are read (not sorted): what
    /// the stats need, read without building every entry where the
    /// journal can ([`super::figures`]). The default goes through
    /// [`Journal::read`].
    fn read_figures(&self, each: &mut dyn FnMut(Seen<'_>)) -> Result<(), JournalError> {
        self.read(&mut |line| match line {
            Line::Entry(e) => each(Seen::Entry(&Figures::of(&e), Source::Entry(&e))),
            Line::Skipped(s) => each(Seen::Skipped(s)),
        })
    }
    /// Where it lives, for messages.
    fn location(&self) -> String;
    /// Append a check-in with no session; it is given this machine's name
    /// when it names none. A journal that keeps only sessions says so.
    fn append_diary(&self, diary: &super::diary::Diary) -> Result<(), JournalError> {
        let _ = diary;
        Err(JournalError::Other(
            "this journal keeps only sessions".into(),
        ))
    }
    /// Append a resonance assessment's result; it is given an id and this
    /// machine's name when it has none. A journal that keeps only
    /// sessions says so.
    fn append_assessment(
        &self,
        assessment: &super::assessment::Assessment,
    ) -> Result<(), JournalError> {
        let _ = assessment;
        Err(JournalError::Other(
            "this journal keeps only sessions".into(),
        ))
    }
}

/// `entry` as it is written: with an id (a new UUID v7 at `now` when it
/// has none), this machine's name when it names none, and this version.
pub fn stamped(
    entry: &Entry,
    now: impl FnOnce() -> chrono::DateTime<chrono::FixedOffset>,
    machine: Option<&str>,
) -> Entry {
    let mut e = entry.clone();
    if e.id.is_nil() {
        e.id = Id::new_v7(now());
        e.v = FORMAT_VERSION;
    }
    if e.machine.is_none() {
        e.machine = machine.map(str::to_owned);
    }
    e
}

/// A journal that is one JSON Lines file: the file a machine appends to,
/// or any single journal file read on its own.
#[derive(Debug, Clone)]
pub struct FileJournal {
    path: PathBuf,
    machine: Option<String>,
    wall: WallClock,
}

impl FileJournal {
    /// A journal at `path`; entries appended get no machine name.
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            machine: None,
            wall: clock::wall_now,
        }
    }

    /// Name the machine that appends.
    #[must_use]
    pub fn with_machine(mut self, machine: Option<String>) -> Self {
        self.machine = machine;
        self
    }

    /// Make ids from `wall` instead of the local clock.
    #[must_use]
    pub fn with_wall_clock(mut self, wall: WallClock) -> Self {
        self.wall = wall;
        self
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Append one record (a session, an amendment, a tombstone), all or
    /// nothing, under the file's lock.
    pub fn append_record(&self, r: &Record) -> Result<(), JournalError> {
        append_to(&self.path, r)
    }

    /// Read the file's records, one line at a time (see [`read_file`]).
    pub fn records(
        &self,
        refs_only: bool,
        each: &mut dyn FnMut(FileLine),
    ) -> Result<(), JournalError> {
        read_file(&self.path, refs_only, each)
    }
}

fn io_error(path: &Path, source: io::Error) -> JournalError {
    JournalError::Io {
        path: path.to_owned(),
        source,
    }
}

/// `Err` unless `m` is a regular file's, worded as for any file exhale
/// reads ([`read::Kind`]).
fn regular(path: &Path, m: &fs::Metadata) -> Result<(), JournalError> {
    match read::Kind::of(m) {
        None => Ok(()),
        Some(kind) => Err(JournalError::NotAFile {
            path: path.to_owned(),
            what: kind.words(),
        }),
    }
}

/// Whether a journal file exists, after making sure it is a regular file
/// (following symlinks). Checked before opening, because opening a FIFO
/// blocks until someone opens its other end.
pub fn regular_file_exists(path: &Path) -> Result<bool, JournalError> {
    match fs::metadata(path) {
        Ok(m) => regular(path, &m).map(|()| true),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
        Err(e) => Err(io_error(path, e)),
    }
}

/// The same check on the opened file, in case the path changed between
/// the check and the open.
fn still_regular(path: &Path, f: &File) -> Result<(), JournalError> {
    let m = f.metadata().map_err(|e| io_error(path, e))?;
    regular(path, &m)
}

/// Create a journal file's folder, owner-only (0700). Folders above it
/// are created with the usual permissions.
pub fn ensure_dir(path: &Path) -> Result<(), JournalError> {
    let Some(dir) = path.parent() else {
        return Ok(());
    };
    if dir.as_os_str().is_empty() || dir.is_dir() {
        return Ok(());
    }
    if let Some(up) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(up).map_err(|e| io_error(up, e))?;
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
        Err(e) => Err(io_error(dir, e)),
    }
}

/// Options that create a file only its owner can read and write (on
/// Unix; elsewhere the system's default): every file of the journal, its
/// backups and the files kept beside it.
pub fn owner_only() -> OpenOptions {
    let mut o = OpenOptions::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        o.mode(0o600);
    }
    o
}

fn open_append(path: &Path) -> Result<File, JournalError> {
    regular_file_exists(path)?;
    let mut o = owner_only();
    o.read(true).append(true).create(true);
    let f = o.open(path).map_err(|e| io_error(path, e))?;
    still_regular(path, &f)?;
    Ok(f)
}

/// Append one record to the journal file at `path` (created owner-only,
/// in an owner-only folder): the whole line or nothing, under the file's
/// exclusive lock, synced to disk before it returns.
pub fn append_to(path: &Path, r: &Record) -> Result<(), JournalError> {
    let line = r.to_line()?;
    if line.len() > MAX_LINE_BYTES {
        return Err(JournalError::TooLong(line.len()));
    }
    ensure_dir(path)?;
    let mut f = open_append(path)?;
    // Copies of exhale take turns; where locks are not supported,
    // `append_line` still removes only its own bytes.
    lock(&f, true);
    append_line(&mut f, line.as_bytes()).map_err(|e| io_error(path, e))
}

/// Open a journal file for reading, under a shared lock; `None` when it
/// does not exist. Anything but a regular file is refused.
pub fn open_read(path: &Path) -> Result<Option<Lines<'static, BufReader<File>>>, JournalError> {
    if !regular_file_exists(path)? {
        return Ok(None);
    }
    let f = File::open(path).map_err(|e| io_error(path, e))?;
    still_regular(path, &f)?;
    // Wait for an append in progress to finish, so its line is read
    // whole. Where locks are not supported, read anyway.
    lock(&f, false);
    Ok(Some(
        Lines::new(BufReader::with_capacity(READ_BUFFER, f)).in_file(path),
    ))
}

/// Append whole lines (each one record, newline included) to the file at
/// `path`, in chunks of at most 1 MiB, each chunk all or nothing.
pub fn append_lines(path: &Path, lines: &[String]) -> Result<(), JournalError> {
    ensure_dir(path)?;
    let mut chunk = Vec::new();
    let flush = |chunk: &mut Vec<u8>| -> Result<(), JournalError> {
        if chunk.is_empty() {
            return Ok(());
        }
        let mut f = open_append(path)?;
        lock(&f, true);
        append_line(&mut f, chunk).map_err(|e| io_error(path, e))?;
        chunk.clear();
        Ok(())
    };
    for l in lines {
        if l.len() > MAX_LINE_BYTES {
            return Err(JournalError::TooLong(l.len()));
        }
        if chunk.len() + l.len() > 1 << 20 {
            flush(&mut chunk)?;
        }
        chunk.extend_from_slice(l.as_bytes());
    }
    flush(&mut chunk)
}

/// The buffer a journal file is read through: large, so a file of tens
/// of megabytes takes a few hundred reads, and at least a whole line.
const READ_BUFFER: usize = 4 * MAX_LINE_BYTES;

/// Read the journal file at `path` for figures ([`Lines::each_figures`]),
/// parsing only the lines `keep` passes, when given. A missing file has
/// no lines; anything but a regular file is refused.
pub fn read_file_figures(
    path: &Path,
    keep: Option<Keep<'_>>,
    each: &mut dyn FnMut(FigLine<'_>),
) -> Result<(), JournalError> {
    let Some(mut lines) = open_read(path)? else {
        return Ok(());
    };
    lines.keep = keep;
    lines.each_figures(each).map_err(|e| io_error(path, e))
}

/// Read the journal file at `path` line by line, handing each line's
/// result to `each`; a missing file has no lines. With `refs_only`, only
/// amendments and tombstones are given (and only lines that may be one are
/// parsed). Anything but a regular file is refused.
pub fn read_file(
    path: &Path,
    refs_only: bool,
    each: &mut dyn FnMut(FileLine),
) -> Result<(), JournalError> {
    read_file_where(path, refs_only, None, each)
}

/// Which lines of a journal file to parse, judged from their bytes.
pub type Keep<'k> = &'k dyn Fn(&[u8]) -> bool;

/// [`read_file`], parsing only the lines `keep` passes (it sees the raw
/// bytes of each line): a reader that needs only some entries (`exhale
/// due`, this week's) passes over the rest unparsed.
pub fn read_file_where(
    path: &Path,
    refs_only: bool,
    keep: Option<Keep<'_>>,
    each: &mut dyn FnMut(FileLine),
) -> Result<(), JournalError> {
    let Some(mut lines) = open_read(path)? else {
        return Ok(());
    };
    if refs_only {
        lines = lines.refs_only();
    }
    lines.keep = keep;
    for line in lines {
        each(line.map_err(|e| io_error(path, e))?);
    }
    Ok(())
}

/// Take the file's lock (`flock`), exclusive or shared, waiting for it; it
/// is let go when the file is closed. A failure (a filesystem without
/// locks) is passed over: the lock only makes copies of exhale take turns.
fn lock(f: &File, exclusive: bool) {
    #[cfg(unix)]
    {
        use rustix::fs::{FlockOperation, flock};
        let op = if exclusive {
            FlockOperation::LockExclusive
        } else {
            FlockOperation::LockShared
        };
        while flock(f, op) == Err(rustix::io::Errno::INTR) {}
    }
    #[cfg(not(unix))]
    let _ = (f, exclusive);
}

/// The few file operations an append needs. The real one is [`File`]; a
/// test can put in one whose write comes up short, as on a full disk.
pub trait AppendFile {
    /// The file's length in bytes.
    fn size(&mut self) -> io::Result<u64>;
    /// The file's last byte (`None` when it is empty).
    fn last_byte(&mut self) -> io::Result<Option<u8>>;
    /// Append some of `buf`, returning how much was written.
    fn write(&mut self, buf: &[u8]) -> io::Result<usize>;
    /// Cut the file to `len` bytes.
    fn set_len(&mut self, len: u64) -> io::Result<()>;
    /// Make what was written durable.
    fn sync(&mut self) -> io::Result<()>;
}

impl AppendFile for File {
    fn size(&mut self) -> io::Result<u64> {
        Ok(self.metadata()?.len())
    }

    fn last_byte(&mut self) -> io::Result<Option<u8>> {
        let len = AppendFile::size(self)?;
        if len == 0 {
            return Ok(None);
        }
        self.seek(SeekFrom::Start(len - 1))?;
        let mut b = [0u8; 1];
        self.read_exact(&mut b)?;
        Ok(Some(b[0]))
    }

    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        io::Write::write(self, buf)
    }

    fn set_len(&mut self, len: u64) -> io::Result<()> {
        File::set_len(self, len)
    }

    fn sync(&mut self) -> io::Result<()> {
        self.sync_data()
    }
}

/// Append `line` (one entry, its newline included) to `f`: all of it, or
/// nothing. The caller holds the file's exclusive lock, so no other copy of
/// exhale appends in between.
///
/// A torn last line (a crash mid-write, a hand edit) must not swallow this
/// entry, so when the file does not end with a newline one is written
/// first, in the same write; the torn line stays as it was. When a write
/// comes up short or fails, or the sync fails, the file is cut back to its
/// length before this append, but only if nothing else has been appended
/// since (its length is still that plus what this append wrote).
pub fn append_line(f: &mut impl AppendFile, line: &[u8]) -> io::Result<()> {
    let start = f.size()?;
    let mut buf = Vec::with_capacity(line.len() + 1);
    if f.last_byte()?.is_some_and(|b| b != b'\n') {
        buf.push(b'\n');
    }
    buf.extend_from_slice(line);
    let mut written = 0;
    let mut result = Ok(());
    while written < buf.len() {
        match f.write(&buf[written..]) {
            Ok(0) => {
                result = Err(io::Error::from(io::ErrorKind::WriteZero));
                break;
            }
            Ok(n) => written += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => {
                result = Err(e);
                break;
            }
        }
    }
    let result = result.and_then(|()| f.sync());
    let Err(e) = result else {
        return Ok(());
    };
    if written > 0 && f.size().ok() == Some(start + written as u64) {
        if let Err(undo) = f.set_len(start).and_then(|()| f.sync()) {
            return Err(io::Error::new(
                e.kind(),
                format!(
                    "{e}; and the part of the entry already written could not be removed ({undo}), so the last line of the file is incomplete"
                ),
            ));
        }
    }
    Err(e)
}

impl Journal for FileJournal {
    fn append(&self, entry: &Entry) -> Result<(), JournalError> {
        let e = stamped(entry, self.wall, self.machine.as_deref());
        self.append_record(&Record::Session(Box::new(e)))
    }

    fn load(&self) -> Result<Loaded, JournalError> {
        Loaded::collect(|each| self.read(each))
    }

    fn read(&self, each: &mut dyn FnMut(Line)) -> Result<(), JournalError> {
        view::read(&mut |refs, f| self.records(refs, f), each).map(|_| ())
    }

    fn read_figures(&self, each: &mut dyn FnMut(Seen<'_>)) -> Result<(), JournalError> {
        view::read_figures(&mut |f| read_file_figures(&self.path, None, f), each).map(|_| ())
    }

    fn location(&self) -> String {
        self.path.display().to_string()
    }
}

/// The lines of a journal read from `R`, one at a time: each gives a
/// record or a skipped line; blank lines are passed over silently. At most
/// [`MAX_LINE_BYTES`] of a line are held in memory. A version 1 line gets
/// its derived id ([`Id::derived`]), counting earlier identical lines of
/// the same stream.
pub struct Lines<'k, R> {
    inner: R,
    buf: Vec<u8>,
    line: usize,
    file: PathBuf,
    refs_only: bool,
    keep: Option<Keep<'k>>,
    repeats: Repeats,
    /// The holds of the line read last for its figures.
    holds: Vec<f64>,
}

/// The ids of version 1 entries read from one file or export: the
/// derived id, counting earlier identical entries ([`Id::derived`]).
#[derive(Debug, Default)]
pub struct Repeats(HashMap<u128, u32>);

impl Repeats {
    /// The id of the next version 1 entry with these canonical bytes.
    pub fn id(&mut self, canonical: &[u8]) -> Id {
        let first = Id::derived(canonical, 0);
        let seen = self.0.entry(first.as_u128()).or_insert(0);
        let id = if *seen == 0 {
            first
        } else {
            Id::derived(canonical, *seen)
        };
        *seen += 1;
        id
    }
}

impl<R: BufRead> Lines<'_, R> {
    /// Read lines from `inner`.
    pub fn new(inner: R) -> Self {
        Self {
            inner,
            buf: Vec::new(),
            line: 0,
            file: PathBuf::new(),
            refs_only: false,
            keep: None,
            repeats: Repeats::default(),
            holds: Vec::new(),
        }
    }

    /// Name the file the lines come from, for skipped lines.
    #[must_use]
    pub fn in_file(mut self, file: &Path) -> Self {
        self.file = file.to_owned();
        self
    }

    /// Give only amendments and tombstones, parsing only the lines that
    /// may be one ([`record::may_refer`]); nothing is reported skipped.
    #[must_use]
    pub fn refs_only(mut self) -> Self {
        self.refs_only = true;
        self
    }

    /// Pass over the rest of a line without keeping it; returns how many
    /// bytes were passed over.
    fn skip_rest(&mut self) -> io::Result<u64> {
        let mut n = 0u64;
        loop {
            let chunk = match self.inner.fill_buf() {
                Ok(c) => c,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if chunk.is_empty() {
                return Ok(n);
            }
            if let Some(i) = chunk.iter().position(|b| *b == b'\n') {
                self.inner.consume(i + 1);
                return Ok(n + i as u64);
            }
            let len = chunk.len();
            self.inner.consume(len);
            n += len as u64;
        }
    }

    fn skipped(&self, line: usize, reason: String) -> FileLine {
        FileLine::Skipped(SkippedLine {
            file: self.file.clone(),
            line,
            reason,
        })
    }
}

impl<R: BufRead> Lines<'_, R> {
    /// Hand each line's result to `each` with the line's own bytes
    /// (without its line ending), for copying records as they were
    /// written: fields and kinds this version does not know are kept.
    pub fn each_raw(mut self, each: &mut dyn FnMut(FileLine, &[u8])) -> io::Result<()> {
        while let Some(line) = self.next() {
            let line = line?;
            each(line, self.buf.trim_ascii());
        }
        Ok(())
    }
}

/// One line as [`Lines`] steps over it, before it is parsed.
enum Step {
    /// A line whose bytes are in the buffer (`Lines::raw`), with its number.
    Line(usize),
    /// A line over [`MAX_LINE_BYTES`], passed over: its number and length.
    TooLong(usize, u64),
}

impl<R: BufRead> Lines<'_, R> {
    /// Step to the next line (`None` at the end of the stream).
    fn step(&mut self) -> Option<io::Result<Step>> {
        self.buf.clear();
        let cap = MAX_LINE_BYTES as u64 + 1;
        let n = match (&mut self.inner).take(cap).read_until(b'\n', &mut self.buf) {
            Ok(n) => n,
            Err(e) => return Some(Err(e)),
        };
        if n == 0 {
            return None;
        }
        self.line += 1;
        if self.buf.last() != Some(&b'\n') && self.buf.len() > MAX_LINE_BYTES {
            return Some(match self.skip_rest() {
                Ok(rest) => Ok(Step::TooLong(self.line, self.buf.len() as u64 + rest)),
                Err(e) => Err(e),
            });
        }
        Some(Ok(Step::Line(self.line)))
    }

    fn too_long(&self, line: usize, bytes: u64) -> SkippedLine {
        SkippedLine {
            file: self.file.clone(),
            line,
            reason: format!(
                "the line is {bytes} bytes long; a journal line is at most {MAX_LINE_BYTES}"
            ),
        }
    }

    /// Parse the line in the buffer in full: a record, `None` for a line
    /// passed over (a blank one, or one `refs_only` or `keep` leaves out).
    /// With `refs_here`, this line is read as with `refs_only`.
    fn parse_line(&mut self, line: usize, refs_here: bool) -> Option<FileLine> {
        let refs_only = self.refs_only || refs_here;
        let raw = self.buf.trim_ascii();
        if raw.is_empty() || (refs_only && !record::may_refer(raw)) {
            return None;
        }
        if !refs_only && self.keep.is_some_and(|keep| !keep(raw)) {
            return None;
        }
        let repeats = &mut self.repeats;
        let parsed = record::parse(raw, |canonical| repeats.id(canonical));
        match parsed {
            Ok(
                r @ (Record::Amend(_)
                | Record::Remove(_)
                | Record::Assessment(_)
                | Record::Diary(_)),
            ) => Some(FileLine::Record(r)),
            Ok(_) | Err(_) if refs_only => None,
            Ok(r) => Some(FileLine::Record(r)),
            Err(reason) => Some(self.skipped(line, reason)),
        }
    }

    /// Hand each line to `each` as a reader of figures wants it: a session
    /// as its [`Figures`], read from the line's bytes alone when
    /// [`figures::read`] can (nearly every line), otherwise parsed in full;
    /// another record in full; a line that cannot be read as skipped, with
    /// the reason the full parse gives. The same lines are given, the same
    /// entries and the same skipped lines, as by iterating; a line `keep`
    /// passes over is still read as a tombstone or an amendment, since a
    /// reader of figures reads the files only once.
    pub fn each_figures(&mut self, each: &mut dyn FnMut(FigLine<'_>)) -> io::Result<()> {
        while let Some(step) = self.step() {
            let line = match step? {
                Step::Line(n) => n,
                Step::TooLong(n, bytes) => {
                    if !self.refs_only {
                        each(FigLine::Skipped(self.too_long(n, bytes)));
                    }
                    continue;
                }
            };
            let mut kept = true;
            if !self.refs_only {
                let raw = self.buf.trim_ascii();
                kept = self.keep.is_none_or(|keep| keep(raw));
                // A line `keep` passes over is still read when it may be a
                // tombstone or an amendment (and only as one): this one
                // pass takes them in.
                if raw.is_empty() || (!kept && !record::may_refer(raw)) {
                    continue;
                }
            }
            if !self.refs_only && kept {
                let raw = self.buf.trim_ascii();
                if let Some(f) = figures::scan(raw, &mut self.holds) {
                    each(FigLine::Entry(&f, Source::Line(raw)));
                    continue;
                }
                if let Some(light) = figures::read(raw) {
                    each(FigLine::Entry(&light.figures(), Source::Line(raw)));
                    continue;
                }
            }
            match self.parse_line(line, !kept) {
                None => {}
                Some(FileLine::Record(Record::Session(e))) => {
                    each(FigLine::Entry(&Figures::of(&e), Source::Entry(&e)));
                }
                Some(FileLine::Record(r)) => each(FigLine::Record(r)),
                Some(FileLine::Skipped(s)) => each(FigLine::Skipped(s)),
            }
        }
        Ok(())
    }
}

/// What one line of a file gave a reader of figures ([`Lines::each_figures`]).
#[derive(Debug)]
pub enum FigLine<'a> {
    /// A session: its figures, and where to get the whole entry from.
    Entry(&'a Figures<'a>, Source<'a>),
    /// A record of another kind.
    Record(Record),
    /// A line that could not be read.
    Skipped(SkippedLine),
}

impl<R: BufRead> Iterator for Lines<'_, R> {
    type Item = io::Result<FileLine>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let line = match self.step()? {
                Err(e) => return Some(Err(e)),
                Ok(Step::Line(n)) => n,
                Ok(Step::TooLong(_, _)) if self.refs_only => continue,
                Ok(Step::TooLong(n, bytes)) => {
                    return Some(Ok(FileLine::Skipped(self.too_long(n, bytes))));
                }
            };
            if let Some(l) = self.parse_line(line, false) {
                return Some(Ok(l));
            }
        }
    }
}

/// Read the journal in the bytes of one file as the journal shows it,
/// skipping what cannot be read (blank lines are passed over silently).
pub fn parse(bytes: &[u8]) -> Loaded {
    // Reading from memory cannot fail.
    Loaded::collect(|each| {
        view::read(
            &mut |refs, f| {
                let mut lines = Lines::new(bytes);
                if refs {
                    lines = lines.refs_only();
                }
                for l in lines.flatten() {
                    f(l);
                }
                Ok(())
            },
            each,
        )
        .map(|_| ())
    })
    .unwrap_or_default()
}

/// A journal in memory that records what is appended (tests).
#[derive(Debug, Default)]
pub struct RecordingJournal {
    /// Entries appended so far.
    pub entries: Mutex<Vec<Entry>>,
    /// Check-ins without a session appended so far.
    pub diaries: Mutex<Vec<super::diary::Diary>>,
    /// Resonance assessments appended so far.
    pub assessments: Mutex<Vec<super::assessment::Assessment>>,
}

impl Journal for RecordingJournal {
    fn append_assessment(
        &self,
        assessment: &super::assessment::Assessment,
    ) -> Result<(), JournalError> {
        self.assessments
            .lock()
            .map_err(|_| JournalError::Other("poisoned".into()))?
            .push(assessment.clone());
        Ok(())
    }

    fn append_diary(&self, diary: &super::diary::Diary) -> Result<(), JournalError> {
        self.diaries
            .lock()
            .map_err(|_| JournalError::Other("poisoned".into()))?
            .push(diary.clone());
        Ok(())
    }

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

#[cfg(test)]
mod tests {
    use super::*;

    /// A file in memory on a disk with `room` bytes left: a write past it
    /// comes up short, and the next one fails with "no space left".
    struct SmallDisk {
        bytes: Vec<u8>,
        room: usize,
        sync_fails: bool,
        writes: usize,
    }

    impl SmallDisk {
        fn new(bytes: &[u8], room: usize) -> Self {
            Self {
                bytes: bytes.to_vec(),
                room,
                sync_fails: false,
                writes: 0,
            }
        }
    }

    impl AppendFile for SmallDisk {
        fn size(&mut self) -> io::Result<u64> {
            Ok(self.bytes.len() as u64)
        }
        fn last_byte(&mut self) -> io::Result<Option<u8>> {
            Ok(self.bytes.last().copied())
        }
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            self.writes += 1;
            if self.room == 0 {
                return Err(io::Error::from_raw_os_error(28));
            }
            let n = buf.len().min(self.room);
            self.bytes.extend_from_slice(&buf[..n]);
            self.room -= n;
            Ok(n)
        }
        fn set_len(&mut self, len: u64) -> io::Result<()> {
            self.room += self.bytes.len() - len as usize;
            self.bytes.truncate(len as usize);
            Ok(())
        }
        fn sync(&mut self) -> io::Result<()> {
            if self.sync_fails {
                Err(io::Error::from_raw_os_error(5))
            } else {
                Ok(())
            }
        }
    }

    const OLD: &[u8] = b"{\"v\":1}\n{\"v\":1}\n";
    const LINE: &[u8] =
        b"{\"v\":1,\"session\":\"box\",\"note\":\"a longer line than the room left\"}\n";

    #[test]
    fn a_write_cut_short_by_a_full_disk_leaves_the_file_as_it_was() {
        for room in [0, 1, 10, LINE.len() - 1] {
            let mut disk = SmallDisk::new(OLD, room);
            let err = append_line(&mut disk, LINE).expect_err("no room");
            assert_eq!(err.raw_os_error(), Some(28), "room {room}: {err}");
            assert_eq!(disk.bytes, OLD, "room {room}");
        }
    }

    #[test]
    fn a_short_write_with_room_for_the_rest_is_finished() {
        // Room for exactly the line: the first write may stop anywhere.
        let mut disk = SmallDisk::new(OLD, LINE.len());
        append_line(&mut disk, LINE).expect("fits");
        assert_eq!(disk.bytes, [OLD, LINE].concat());
    }

    #[test]
    fn a_failed_sync_takes_the_entry_back_off() {
        let mut disk = SmallDisk::new(OLD, 1 << 20);
        disk.sync_fails = true;
        append_line(&mut disk, LINE).expect_err("sync fails");
        assert_eq!(disk.bytes, OLD);
    }

    #[test]
    fn a_torn_last_line_gets_its_newline_in_the_same_write() {
        let torn = b"{\"v\":1}\n{\"v\":1,\"sess";
        let mut disk = SmallDisk::new(torn, 1 << 20);
        append_line(&mut disk, LINE).expect("append");
        assert_eq!(disk.writes, 1);
        assert_eq!(disk.bytes, [&torn[..], b"\n", LINE].concat());
        // And a full disk after a torn line leaves the torn line alone.
        let mut disk = SmallDisk::new(torn, 5);
        append_line(&mut disk, LINE).expect_err("no room");
        assert_eq!(disk.bytes, torn);
    }

    #[test]
    fn bytes_appended_by_someone_else_are_never_cut() {
        /// A disk where another writer appends right after this write.
        struct Busy(SmallDisk);
        impl AppendFile for Busy {
            fn size(&mut self) -> io::Result<u64> {
                self.0.size()
            }
            fn last_byte(&mut self) -> io::Result<Option<u8>> {
                self.0.last_byte()
            }
            fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
                let n = self.0.write(buf)?;
                self.0.bytes.extend_from_slice(b"{\"other\":1}\n");
                Ok(n)
            }
            fn set_len(&mut self, len: u64) -> io::Result<()> {
                self.0.set_len(len)
            }
            fn sync(&mut self) -> io::Result<()> {
                Err(io::Error::from_raw_os_error(5))
            }
        }
        let mut disk = Busy(SmallDisk::new(OLD, 1 << 20));
        append_line(&mut disk, LINE).expect_err("sync fails");
        assert!(disk.0.bytes.ends_with(b"{\"other\":1}\n"));
        assert!(disk.0.bytes.starts_with(OLD));
    }

    fn good_line() -> String {
        r#"{"v":1,"started":"2026-03-01T08:00:00+01:00","session":"box","title":"Box","source_sha256":"x","planned_s":300,"practised_s":300,"ending":"completed"}"#.to_owned()
    }

    #[test]
    fn a_line_over_the_cap_is_skipped_and_the_next_is_read() {
        let mut bytes = good_line().into_bytes();
        bytes.push(b'\n');
        bytes.extend(std::iter::repeat_n(b'x', MAX_LINE_BYTES * 3));
        bytes.push(b'\n');
        bytes.extend_from_slice(good_line().as_bytes());
        let loaded = parse(&bytes);
        assert_eq!(loaded.entries.len(), 2);
        assert_eq!(loaded.skipped.len(), 1);
        assert_eq!(loaded.skipped[0].line, 2);
        assert!(
            loaded.skipped[0].reason.contains("196608 bytes long"),
            "{:?}",
            loaded.skipped
        );
        // A line of exactly the cap is read (and here fails as JSON).
        let mut bytes = vec![b' '; MAX_LINE_BYTES - 1];
        bytes.push(b'x');
        let loaded = parse(&bytes);
        assert!(
            loaded.skipped[0].reason.contains("expected value"),
            "{loaded:?}"
        );
    }

    #[test]
    fn a_long_line_is_never_held_whole() {
        /// An endless line: reading it whole would never finish.
        struct Endless(usize);
        impl io::Read for Endless {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                if self.0 == 0 {
                    return Ok(0);
                }
                let n = buf.len().min(self.0);
                buf[..n].fill(b'7');
                self.0 -= n;
                Ok(n)
            }
        }
        let mut lines = Lines::new(BufReader::new(Endless(50 * MAX_LINE_BYTES)));
        match lines.next() {
            Some(Ok(FileLine::Skipped(s))) => assert_eq!(s.line, 1),
            other => panic!("{other:?}"),
        }
        assert!(lines.buf.capacity() <= 2 * MAX_LINE_BYTES + 2);
        assert!(lines.next().is_none());
    }

    #[test]
    fn an_entry_too_long_to_read_back_is_not_written() {
        let dir = tempfile::TempDir::new().expect("tempdir");
        let journal = FileJournal::new(dir.path().join("j.jsonl"));
        let Ok(Record::Session(mut e)) = record::parse(good_line().as_bytes(), |_| Id::NIL) else {
            panic!("a session")
        };
        e.note = Some("x".repeat(MAX_LINE_BYTES));
        let err = journal.append(&e).expect_err("too long");
        assert!(matches!(err, JournalError::TooLong(_)), "{err}");
        assert!(!journal.path().exists());
        // Without the long note it is written, with an id of its own.
        e.note = None;
        journal.append(&e).expect("fits");
        let back = journal.load().expect("load").entries;
        assert_eq!(back.len(), 1);
        assert_eq!(back[0].v, FORMAT_VERSION);
        assert!(!back[0].id.is_nil());
    }
}
