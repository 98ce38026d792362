//! `exhale journal status`: what the journal is made of. The machines seen
//! with their entries and latest entry, each file read (this machine's,
//! the other machines', conflict copies a sync tool left, the version 1
//! journal), and how many copies of an entry, removals and amendments
//! were found.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use serde::Serialize;

use super::layout::{self, Store};
use super::record::Record;
use super::store::{self, FileLine, JournalError};
use super::view::Report;

/// What a file is, to the journal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileKind {
    /// This machine's own file, the one it appends to.
    Own,
    /// Another machine's file.
    Machine,
    /// A copy a sync tool made when two versions of a file met.
    ConflictCopy,
    /// The version 1 journal (`journal.jsonl` in the data folder).
    Version1,
    /// A file in the data folder while a sync folder is set: entries kept
    /// on this computer only (until `exhale journal upgrade`).
    Local,
    /// Any other `*.jsonl` in a journal folder.
    Other,
}

/// One file read.
#[derive(Debug, Clone, Serialize)]
pub struct FileStatus {
    /// Where it is.
    pub path: PathBuf,
    /// What it is.
    pub kind: FileKind,
    /// Records read from it.
    pub records: usize,
    /// Lines that could not be read.
    pub skipped: usize,
}

/// One machine seen in the records.
#[derive(Debug, Clone, Default, Serialize)]
pub struct MachineStatus {
    /// Distinct entries it recorded.
    pub entries: usize,
    /// When its latest entry started.
    pub last: Option<DateTime<FixedOffset>>,
}

/// Everything `exhale journal status` shows.
#[derive(Debug, Clone, Serialize)]
pub struct Status {
    /// This machine's name.
    pub machine: String,
    /// The file it appends to.
    pub own_file: PathBuf,
    /// The sync folder, when one is set.
    pub folder: Option<PathBuf>,
    /// Per machine (`""` for version 1 entries, which name none).
    pub machines: BTreeMap<String, MachineStatus>,
    /// Every file read, in the order read.
    pub files: Vec<FileStatus>,
    /// Entries shown (in history, stats, exports).
    pub entries: usize,
    /// Copies of an entry already read, left out.
    pub duplicates: usize,
    /// Entries removed.
    pub removed: usize,
    /// Amendments read.
    pub amendments: usize,
    /// Records of kinds this version does not know (from a later one).
    pub later_kinds: usize,
    /// Records that `exhale journal upgrade` would copy: the version 1
    /// journal's, and with a sync folder, those only in the data folder.
    pub to_upgrade: usize,
}

impl Status {
    /// Conflict copies found.
    pub fn conflict_copies(&self) -> usize {
        self.files
            .iter()
            .filter(|f| f.kind == FileKind::ConflictCopy)
            .count()
    }
}

fn kind_of(path: &Path, own: &Path, legacy: &Path, local: Option<&Path>) -> FileKind {
    if path == legacy {
        return FileKind::Version1;
    }
    if path == own {
        return FileKind::Own;
    }
    if local.is_some_and(|d| path.parent() == Some(d)) {
        return FileKind::Local;
    }
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    if layout::is_conflict_name(name) {
        FileKind::ConflictCopy
    } else if name
        .strip_suffix(".jsonl")
        .is_some_and(crate::config::valid_machine)
    {
        FileKind::Machine
    } else {
        FileKind::Other
    }
}

/// Gather the status of the journal.
pub fn status(store: &Store) -> Result<Status, JournalError> {
    let lay = store.layout();
    let own = lay.own_file();
    let legacy = lay.legacy_file();
    let mut s = Status {
        machine: lay.machine.clone(),
        own_file: own.clone(),
        folder: lay.folder.clone(),
        machines: BTreeMap::new(),
        files: Vec::new(),
        entries: 0,
        duplicates: 0,
        removed: 0,
        amendments: 0,
        later_kinds: 0,
        to_upgrade: 0,
    };
    let local_dir = lay.data_dir.join(layout::JOURNAL_DIR);
    let local = (lay.write_dir() != local_dir).then_some(local_dir.as_path());
    let upgrade_from: HashSet<PathBuf> = super::transfer::upgrade_sources(store)?
        .into_iter()
        .collect();
    let mut seen = HashSet::new();
    let mut upgradable = HashSet::new();
    let mut elsewhere = HashSet::new();
    for path in lay.files()? {
        let mut file = FileStatus {
            kind: kind_of(&path, &own, &legacy, local),
            path,
            records: 0,
            skipped: 0,
        };
        let from_here = upgrade_from.contains(&file.path);
        store::read_file(&file.path, false, &mut |line| match line {
            FileLine::Record(r) => {
                file.records += 1;
                let Some(id) = r.id().map(|i| i.as_u128()) else {
                    return;
                };
                if from_here {
                    upgradable.insert(id);
                } else {
                    elsewhere.insert(id);
                }
                match &r {
                    Record::Session(e) if seen.insert(id) => {
                        let mach = s
                            .machines
                            .entry(e.machine.clone().unwrap_or_default())
                            .or_default();
                        mach.entries += 1;
                        if mach.last.is_none_or(|t| e.started > t) {
                            mach.last = Some(e.started);
                        }
                    }
                    Record::Amend(_) if seen.insert(id) => s.amendments += 1,
                    Record::Other { .. } if seen.insert(id) => s.later_kinds += 1,
                    _ => {}
                }
            }
            FileLine::Skipped(_) => file.skipped += 1,
        })?;
        s.files.push(file);
    }
    s.to_upgrade = upgradable.difference(&elsewhere).count();
    let report: Report = store.read_report(&mut |_| {})?;
    s.entries = report.entries;
    s.duplicates = report.duplicates;
    s.removed = report.removed;
    Ok(s)
}
