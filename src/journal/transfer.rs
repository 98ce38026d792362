//! Copying records into the journal and out of it: `import` (a journal
//! file, or an export in JSON), `restore` (a backup), `upgrade` (the
//! version 1 journal, and this computer's entries into a sync folder) and
//! `backup`. Every copy appends only the records the journal does not
//! have yet (by id), so running one twice adds nothing, and none ever
//! removes or changes a line already written.

use std::collections::HashSet;
use std::fs;
use std::io::{self, BufWriter, Write as _};
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};

use super::entry::{Entry, FORMAT_VERSION};
use super::layout::{Store, journal_files_in};
use super::record::{self, Record};
use super::store::{self, FileLine, JournalError, Repeats, SkippedLine};

/// What a copy did.
#[derive(Debug, Default, Clone)]
pub struct Copied {
    /// Records appended (sessions, amendments, tombstones, later kinds).
    pub added: usize,
    /// Of those, sessions.
    pub sessions: usize,
    /// Records the journal already had, left alone.
    pub already: usize,
    /// Records of a later kind without an id, which cannot be copied
    /// without the risk of doubling them.
    pub without_id: usize,
    /// Lines that could not be read.
    pub skipped: Vec<SkippedLine>,
}

/// A source of records with their bytes: one pass, each line to `each`.
pub type Source<'a> = dyn FnMut(&mut dyn FnMut(FileLine, &[u8])) -> Result<(), JournalError> + 'a;

fn io_error(path: &Path, source: io::Error) -> JournalError {
    JournalError::Io {
        path: path.to_owned(),
        source,
    }
}

/// Every file of `files`, read with their bytes.
pub fn files_source(files: Vec<PathBuf>) -> Box<Source<'static>> {
    Box::new(move |each| {
        for f in &files {
            if let Some(lines) = store::open_read(f)? {
                lines.each_raw(each).map_err(|e| io_error(f, e))?;
            }
        }
        Ok(())
    })
}

/// The line a record is copied as: its own bytes, so fields and kinds this
/// version does not know are kept; a version 1 entry becomes a version 2
/// one with its derived id. `None` for what cannot be copied.
pub fn copy_line(r: &Record, raw: &[u8]) -> Option<String> {
    match r {
        Record::Session(e) if e.v < 2 => {
            let e = Entry {
                v: FORMAT_VERSION,
                ..(**e).clone()
            };
            Record::Session(Box::new(e)).to_line().ok()
        }
        Record::Other { id: None, .. } => None,
        _ => {
            let mut s = String::from_utf8_lossy(raw).into_owned();
            s.push('\n');
            Some(s)
        }
    }
}

/// The id of every record, of every kind, in the journal's files except
/// those in `leave_out`.
pub fn record_ids(store: &Store, leave_out: &[PathBuf]) -> Result<HashSet<u128>, JournalError> {
    let mut ids = HashSet::new();
    for f in store.layout().files()? {
        if leave_out.contains(&f) {
            continue;
        }
        store::read_file(&f, false, &mut |l| {
            if let FileLine::Record(r) = l {
                if let Some(id) = r.id() {
                    ids.insert(id.as_u128());
                }
            }
        })?;
    }
    Ok(ids)
}

/// Append to this machine's file every record of `source` whose id is not
/// in `have` (the ids the journal has: [`record_ids`]).
#[allow(clippy::implicit_hasher)] // always the set `record_ids` makes
pub fn copy_missing(
    store: &Store,
    mut have: HashSet<u128>,
    source: &mut Source<'_>,
) -> Result<Copied, JournalError> {
    let mut c = Copied::default();
    let mut lines = Vec::new();
    source(&mut |l, raw| match l {
        FileLine::Record(r) => {
            let Some(id) = r.id() else {
                c.without_id += 1;
                return;
            };
            if !have.insert(id.as_u128()) {
                c.already += 1;
                return;
            }
            match copy_line(&r, raw) {
                Some(line) => {
                    c.added += 1;
                    if matches!(r, Record::Session(_)) {
                        c.sessions += 1;
                    }
                    lines.push(line);
                }
                None => c.without_id += 1,
            }
        }
        FileLine::Skipped(s) => c.skipped.push(s),
    })?;
    store::append_lines(&store.layout().own_file(), &lines)?;
    Ok(c)
}

/// The largest file `import` reads whole (an export in JSON).
pub const MAX_IMPORT_JSON: u64 = 1 << 30;

/// The records of a file to import: a journal file (JSON Lines, any
/// version), or an export made with `exhale export --format json` (a JSON
/// array of entries).
pub fn import_source(path: &Path) -> Box<Source<'_>> {
    Box::new(move |each| {
        if !store::regular_file_exists(path)? {
            return Err(io_error(path, io::Error::from(io::ErrorKind::NotFound)));
        }
        if !starts_with_bracket(path)? {
            return files_source(vec![path.to_owned()])(each);
        }
        let len = fs::metadata(path).map_err(|e| io_error(path, e))?.len();
        if len > MAX_IMPORT_JSON {
            return Err(JournalError::Other(format!(
                "{}: {len} bytes is more than an export of any journal; import reads at most {MAX_IMPORT_JSON}",
                path.display()
            )));
        }
        let bytes = fs::read(path).map_err(|e| io_error(path, e))?;
        let items: Vec<serde_json::Value> = serde_json::from_slice(&bytes).map_err(|e| {
            JournalError::Other(format!(
                "{}: this looks like an export in JSON, but cannot be read: {e}",
                path.display()
            ))
        })?;
        let mut repeats = Repeats::default();
        for (i, item) in items.iter().enumerate() {
            let raw = serde_json::to_vec(item).unwrap_or_default();
            match record::parse(&raw, |c| repeats.id(c)) {
                Ok(r) => each(FileLine::Record(r), &raw),
                Err(reason) => each(
                    FileLine::Skipped(SkippedLine {
                        file: path.to_owned(),
                        line: i + 1,
                        reason: format!("entry {} of the export: {reason}", i + 1),
                    }),
                    &raw,
                ),
            }
        }
        Ok(())
    })
}

fn starts_with_bracket(path: &Path) -> Result<bool, JournalError> {
    use std::io::Read as _;
    let mut f = fs::File::open(path).map_err(|e| io_error(path, e))?;
    let mut buf = [0u8; 512];
    loop {
        let n = f.read(&mut buf).map_err(|e| io_error(path, e))?;
        if n == 0 {
            return Ok(false);
        }
        if let Some(b) = buf[..n].iter().find(|b| !b.is_ascii_whitespace()) {
            return Ok(*b == b'[');
        }
    }
}

/// The files `upgrade` copies from: the version 1 journal, and, when a
/// sync folder is set, the entries this computer kept in its data folder.
pub fn upgrade_sources(store: &Store) -> Result<Vec<PathBuf>, JournalError> {
    let layout = store.layout();
    let mut files = Vec::new();
    let legacy = layout.legacy_file();
    if store::regular_file_exists(&legacy)? {
        files.push(legacy);
    }
    let local = layout.data_dir.join(super::layout::JOURNAL_DIR);
    if layout.write_dir() != local {
        files.extend(journal_files_in(&local)?);
    }
    Ok(files)
}

/// A backup written.
#[derive(Debug, Clone)]
pub struct Backup {
    /// The file.
    pub path: PathBuf,
    /// Records in it.
    pub records: usize,
    /// Of those, sessions (the entries shown, before removals).
    pub sessions: usize,
    /// Lines of the journal that could not be read, left out.
    pub skipped: usize,
}

/// Write every record of the journal, once each, into a new file in
/// `dir`: `exhale-backup-YYYYMMDD-HHMMSS.jsonl`, owner-only. It is a
/// journal file itself: `exhale journal restore` (or `import`) reads it.
/// The file appears whole or not at all (written beside, then renamed),
/// and never replaces another.
pub fn backup(
    store: &Store,
    dir: &Path,
    now: DateTime<FixedOffset>,
) -> Result<Backup, JournalError> {
    fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
    let name = format!("exhale-backup-{}", now.format("%Y%m%d-%H%M%S"));
    let mut path = dir.join(format!("{name}.jsonl"));
    let mut n = 1;
    while path.symlink_metadata().is_ok() {
        n += 1;
        path = dir.join(format!("{name}-{n}.jsonl"));
    }
    let tmp = dir.join(format!(".{name}.jsonl.tmp"));
    let mut o = store::owner_only();
    o.write(true).create(true).truncate(true);
    let file = o.open(&tmp).map_err(|e| io_error(&tmp, e))?;
    let mut out = BufWriter::new(file);
    let mut seen = HashSet::new();
    let mut b = Backup {
        path: path.clone(),
        records: 0,
        sessions: 0,
        skipped: 0,
    };
    let mut write_err = None;
    let mut source = files_source(store.layout().files()?);
    let result = source(&mut |l, raw| match l {
        FileLine::Record(r) => {
            let Some(id) = r.id() else { return };
            if !seen.insert(id.as_u128()) {
                return;
            }
            if let Some(line) = copy_line(&r, raw) {
                if let Err(e) = out.write_all(line.as_bytes()) {
                    write_err.get_or_insert(e);
                }
                b.records += 1;
                if matches!(r, Record::Session(_)) {
                    b.sessions += 1;
                }
            }
        }
        FileLine::Skipped(_) => b.skipped += 1,
    });
    let finish = |out: BufWriter<fs::File>| -> io::Result<()> {
        let f = out.into_inner().map_err(io::IntoInnerError::into_error)?;
        f.sync_all()
    };
    let written = match (result, write_err) {
        (Err(e), _) => Err(e),
        (Ok(()), Some(e)) => Err(io_error(&tmp, e)),
        (Ok(()), None) => finish(out).map_err(|e| io_error(&tmp, e)),
    };
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(e);
    }
    // `link` then `unlink`, never `rename`: it fails rather than replace
    // a file that appeared meanwhile.
    fs::hard_link(&tmp, &path).map_err(|e| io_error(&path, e))?;
    let _ = fs::remove_file(&tmp);
    Ok(b)
}
