//! Where the journal's files are, and the journal made of them.
//!
//! Each machine appends only to its own file, `journal/<machine>.jsonl`,
//! in the journal's folder: the sync folder when one is set
//! (`[journal] folder`, or `EXHALE_JOURNAL_DIR`), otherwise the data folder
//! (`$XDG_DATA_HOME/exhale`). Reading takes the union of every
//! `*.jsonl` file in the `journal/` folders of both (copies a sync tool
//! left behind included), and the version 1 journal, `journal.jsonl` in
//! the data folder, when there is one: it is read as it is and never
//! written again. Nothing here deletes, renames or rewrites a journal
//! file. Beside the `journal/` folder of the data folder, a read keeps
//! one small file of its own, [`REMOVAL_HINT_FILE`]: the ids of the
//! removed entries it found, so that the next read knows them before it
//! meets their tombstones (see [`view::read_figures_hinted`]).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use super::entry::Entry;
use super::figures::Seen;
use super::id::Id;
use super::machine;
use super::record::Record;
use super::store::{self, FileLine, Journal, JournalError, Line, Loaded, stamped};
use super::view::{self, Found, Report};
use crate::clock::{self, WallClock};

/// The name of the version 1 journal in the data folder.
pub const LEGACY_FILE: &str = "journal.jsonl";
/// The folder, in the data folder or the sync folder, that holds one file
/// per machine.
pub const JOURNAL_DIR: &str = "journal";
/// The file in the data folder that keeps the ids of the removed entries
/// the last read found: a hint that spares the next read a second pass
/// ([`Store::removal_hint_file`]). Safe to delete.
pub const REMOVAL_HINT_FILE: &str = "removed-entries.hint";

/// Where the journal is: resolved once from the settings and the
/// environment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// `$XDG_DATA_HOME/exhale`.
    pub data_dir: PathBuf,
    /// The sync folder, when one is set.
    pub folder: Option<PathBuf>,
    /// This machine's name.
    pub machine: String,
}

/// The environment variable that sets the sync folder.
pub const FOLDER_VAR: &str = "EXHALE_JOURNAL_DIR";
/// The environment variable that names this machine.
pub const MACHINE_VAR: &str = "EXHALE_MACHINE";

pub use crate::config::check_folder;

/// `written` with a leading `~` replaced by `home`.
fn expand(written: &str, home: Option<&Path>) -> Result<PathBuf, String> {
    let t = written.trim();
    check_folder(t)?;
    match (t.strip_prefix('~'), home) {
        (Some(rest), Some(h)) => Ok(h.join(rest.trim_start_matches('/'))),
        (Some(_), None) => Err(format!(
            "cannot find your home folder to resolve `{t}`; write the folder's full path"
        )),
        (None, _) => Ok(PathBuf::from(t)),
    }
}

/// What the settings say about the journal's place, before the
/// environment: `[journal] folder` and `[journal] machine`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Wanted {
    /// The sync folder as written.
    pub folder: Option<String>,
    /// The machine's name.
    pub machine: Option<String>,
}

impl Layout {
    /// Resolve the layout: the environment (`EXHALE_JOURNAL_DIR`,
    /// `EXHALE_MACHINE`, read through `env`) over the settings, and the
    /// machine's name derived when none is given. `Err` is a message for
    /// the user (a bad variable, a machine id that cannot be kept).
    pub fn resolve(
        data_dir: &Path,
        wanted: &Wanted,
        env: &dyn Fn(&str) -> Option<String>,
        home: Option<&Path>,
    ) -> Result<Self, String> {
        let folder = match env(FOLDER_VAR).filter(|v| !v.is_empty()) {
            Some(v) => Some(expand(&v, home).map_err(|e| format!("{FOLDER_VAR}: {e}"))?),
            None => match &wanted.folder {
                Some(f) => Some(expand(f, home)?),
                None => None,
            },
        };
        let machine = match env(MACHINE_VAR).filter(|v| !v.is_empty()) {
            Some(v) => {
                machine::check(&v).map_err(|e| format!("{MACHINE_VAR}: {e}"))?;
                v
            }
            None => match &wanted.machine {
                Some(m) => m.clone(),
                None => machine::derive(
                    data_dir,
                    &machine::read_system_file,
                    &super::id::random_bytes,
                )
                .map_err(|e| {
                    format!(
                        "cannot keep this machine's journal id in {}: {e}",
                        data_dir.join(machine::FALLBACK_FILE).display()
                    )
                })?,
            },
        };
        Ok(Self {
            data_dir: data_dir.to_owned(),
            folder,
            machine,
        })
    }

    /// Resolve the layout for this user: the `[journal]` settings, the
    /// real environment and home folder.
    pub fn from_config(
        data_dir: &Path,
        config: &crate::config::JournalConfig,
    ) -> Result<Self, String> {
        let wanted = Wanted {
            folder: config.folder.clone(),
            machine: config.machine.clone(),
        };
        let home = etcetera::home_dir().ok();
        Self::resolve(
            data_dir,
            &wanted,
            &|k| std::env::var(k).ok(),
            home.as_deref(),
        )
    }

    /// A layout with everything given (tests).
    pub fn new(data_dir: &Path, folder: Option<&Path>, machine: &str) -> Self {
        Self {
            data_dir: data_dir.to_owned(),
            folder: folder.map(Path::to_owned),
            machine: machine.to_owned(),
        }
    }

    /// The folder this machine writes in: the sync folder's `journal/`,
    /// or the data folder's.
    pub fn write_dir(&self) -> PathBuf {
        self.folder
            .as_deref()
            .unwrap_or(&self.data_dir)
            .join(JOURNAL_DIR)
    }

    /// This machine's own file, the only one it appends to.
    pub fn own_file(&self) -> PathBuf {
        self.write_dir().join(format!("{}.jsonl", self.machine))
    }

    /// The version 1 journal.
    pub fn legacy_file(&self) -> PathBuf {
        self.data_dir.join(LEGACY_FILE)
    }

    /// The `journal/` folders read: the data folder's, and the sync
    /// folder's when there is one (once, if they are the same).
    pub fn read_dirs(&self) -> Vec<PathBuf> {
        let mut dirs = vec![self.data_dir.join(JOURNAL_DIR)];
        if let Some(f) = &self.folder {
            let d = f.join(JOURNAL_DIR);
            let same = match (d.canonicalize(), dirs[0].canonicalize()) {
                (Ok(a), Ok(b)) => a == b,
                _ => d == dirs[0],
            };
            if !same {
                dirs.push(d);
            }
        }
        dirs
    }

    /// Every file read, in the order read: the version 1 journal (if it
    /// exists), then each `journal/` folder's files by name.
    pub fn files(&self) -> Result<Vec<PathBuf>, JournalError> {
        let mut files = Vec::new();
        let legacy = self.legacy_file();
        if legacy.symlink_metadata().is_ok() {
            files.push(legacy);
        }
        for dir in self.read_dirs() {
            files.extend(journal_files_in(&dir)?);
        }
        Ok(files)
    }
}

/// Whether a file in a `journal/` folder is one of the journal's: any
/// `*.jsonl` that is not hidden (a sync tool's temporary files are), and a
/// conflict copy whose name lost its ending (`laptop.jsonl (conflicted
/// copy)`).
pub fn is_journal_name(name: &str) -> bool {
    !name.starts_with('.')
        && !name.starts_with('~')
        && (name.ends_with(".jsonl") || (name.contains(".jsonl") && is_conflict_name(name)))
}

/// Whether a name is one a sync tool gives a conflicting copy: Syncthing's
/// `*.sync-conflict-*`, a cloud drive's "(conflicted copy ...)" or
/// "(... conflict ...)".
pub fn is_conflict_name(name: &str) -> bool {
    let lower = name.to_lowercase();
    lower.contains(".sync-conflict-")
        || lower.contains("conflicted copy")
        || lower.contains("(conflict")
}

/// The journal files in `dir`, sorted by name; none when it does not exist.
pub fn journal_files_in(dir: &Path) -> Result<Vec<PathBuf>, JournalError> {
    let rd = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => {
            return Err(JournalError::Io {
                path: dir.to_owned(),
                source: e,
            });
        }
    };
    let mut files: Vec<PathBuf> = rd
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_str().is_some_and(is_journal_name))
        .map(|e| e.path())
        .collect();
    files.sort();
    Ok(files)
}

/// The journal: this machine's file to append to, every file to read.
#[derive(Debug, Clone)]
pub struct Store {
    layout: Layout,
    wall: WallClock,
}

impl Store {
    /// The journal laid out as `layout` says, dated by the local clock.
    pub fn new(layout: Layout) -> Self {
        Self {
            layout,
            wall: clock::wall_now,
        }
    }

    /// Make ids from `wall` instead of the local clock (tests).
    #[must_use]
    pub fn with_wall_clock(mut self, wall: WallClock) -> Self {
        self.wall = wall;
        self
    }

    /// Where it is.
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// A new id for a record written now.
    pub fn new_id(&self) -> Id {
        Id::new_v7((self.wall)())
    }

    /// Append a record to this machine's file. A removal is also added to
    /// the removal hint ([`Store::removal_hint_file`]), so the next read
    /// knows it before it meets its tombstone.
    pub fn append_record(&self, r: &Record) -> Result<(), JournalError> {
        store::append_to(&self.layout.own_file(), r)?;
        if let Record::Remove(x) = r {
            let mut hint = self.removal_hint();
            if hint.insert(x.of) {
                self.keep_removal_hint(&hint);
            }
        }
        Ok(())
    }

    /// One pass over every file, in order.
    pub fn pass(
        &self,
        refs_only: bool,
        each: &mut dyn FnMut(FileLine),
    ) -> Result<(), JournalError> {
        for f in self.layout.files()? {
            store::read_file(&f, refs_only, each)?;
        }
        Ok(())
    }

    /// Every check-in without a session, oldest first ([`view::diaries`]).
    pub fn diaries(&self) -> Result<Vec<super::diary::Diary>, JournalError> {
        view::diaries(&mut |refs, f| self.pass(refs, f))
    }

    /// Every resonance assessment, oldest first ([`view::assessments`]).
    pub fn assessments(&self) -> Result<Vec<super::assessment::Assessment>, JournalError> {
        view::assessments(&mut |refs, f| self.pass(refs, f))
    }

    /// Read the view as [`Store::read_report`] does, parsing only the
    /// entries whose lines `keep` passes (amendments and removals are
    /// all read).
    pub fn read_where(
        &self,
        keep: &dyn Fn(&[u8]) -> bool,
        each: &mut dyn FnMut(Line),
    ) -> Result<Report, JournalError> {
        view::read(
            &mut |refs, f| {
                for file in self.layout.files()? {
                    store::read_file_where(&file, refs, Some(keep), f)?;
                }
                Ok(())
            },
            each,
        )
    }

    /// Read the view for figures ([`view::read_figures`]), parsing only
    /// the entries whose lines `keep` passes when given (amendments and
    /// removals are all read); gives what was left out, the marks, and
    /// the assessments and check-ins found on the way.
    pub fn read_figures_where(
        &self,
        keep: Option<store::Keep<'_>>,
        each: &mut dyn FnMut(Seen<'_>),
    ) -> Result<Found, JournalError> {
        let files = self.layout.files()?;
        let hint = self.removal_hint();
        let found = view::read_figures_hinted(
            &mut |f| {
                for file in &files {
                    store::read_file_figures(file, keep, f)?;
                }
                Ok(())
            },
            &hint,
            each,
        )?;
        // Every tombstone is read whatever `keep` says: `found` knows them
        // all.
        let removed: HashSet<Id> = found.marks.removed().copied().collect();
        if removed != hint {
            self.keep_removal_hint(&removed);
        }
        Ok(found)
    }

    /// Where the removals the last read found are kept, for the next read
    /// ([`view::read_figures_hinted`]): in the data folder, beside (not
    /// in) the `journal/` folder, so it is never read as the journal nor
    /// synced with it.
    pub fn removal_hint_file(&self) -> PathBuf {
        self.layout.data_dir.join(REMOVAL_HINT_FILE)
    }

    /// The removals the last read found: none when the file is missing or
    /// cannot be read (it only speeds a read up).
    fn removal_hint(&self) -> HashSet<Id> {
        std::fs::read_to_string(self.removal_hint_file())
            .map(|text| text.lines().filter_map(Id::parse).collect())
            .unwrap_or_default()
    }

    /// Keep `removed` for the next read: written whole to a temporary file
    /// (readable only by its owner, as the journal is) and renamed over
    /// the old one, so a reader never sees half of it.
    /// A failure is passed over (the next read is slower, not wrong).
    fn keep_removal_hint(&self, removed: &HashSet<Id>) {
        let file = self.removal_hint_file();
        if std::fs::create_dir_all(&self.layout.data_dir).is_err() {
            return;
        }
        let mut text = String::with_capacity(removed.len() * 33);
        for id in removed {
            text.push_str(&id.hex());
            text.push('\n');
        }
        let tmp = file.with_extension(format!("{}.tmp", std::process::id()));
        let written = store::owner_only()
            .write(true)
            .create(true)
            .truncate(true)
            .open(&tmp)
            .and_then(|mut f| std::io::Write::write_all(&mut f, text.as_bytes()));
        if written.and_then(|()| std::fs::rename(&tmp, &file)).is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }

    /// Read the view, with what was left out.
    pub fn read_report(&self, each: &mut dyn FnMut(Line)) -> Result<Report, JournalError> {
        view::read(&mut |refs, f| self.pass(refs, f), each)
    }
}

impl Journal for Store {
    fn append_assessment(
        &self,
        assessment: &super::assessment::Assessment,
    ) -> Result<(), JournalError> {
        let mut a = assessment.clone();
        if a.id.is_nil() {
            a.id = self.new_id();
        }
        if a.machine.is_none() {
            a.machine = Some(self.layout.machine.clone());
        }
        self.append_record(&Record::Assessment(Box::new(a)))
    }

    fn append_diary(&self, diary: &super::diary::Diary) -> Result<(), JournalError> {
        let mut d = diary.clone();
        if d.machine.is_none() {
            d.machine = Some(self.layout.machine.clone());
        }
        self.append_record(&Record::Diary(Box::new(d)))
    }

    fn append(&self, entry: &Entry) -> Result<(), JournalError> {
        let e = stamped(entry, self.wall, Some(&self.layout.machine));
        self.append_record(&Record::Session(Box::new(e)))
    }

    fn load(&self) -> Result<Loaded, JournalError> {
        Loaded::collect(|each| self.read(each))
    }

    fn read(&self, each: &mut dyn FnMut(Line)) -> Result<(), JournalError> {
        self.read_report(each).map(|_| ())
    }

    fn read_figures(&self, each: &mut dyn FnMut(Seen<'_>)) -> Result<(), JournalError> {
        self.read_figures_where(None, each).map(|_| ())
    }

    fn location(&self) -> String {
        self.layout.own_file().display().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conflict_copies_and_machine_files_are_read_and_temporary_files_are_not() {
        for name in [
            "laptop.jsonl",
            "laptop.sync-conflict-20261201-101010-ABCDEF7.jsonl",
            "laptop (conflicted copy 2026-12-01).jsonl",
            "laptop.jsonl (Sam's conflicted copy)",
        ] {
            assert!(is_journal_name(name), "{name}");
        }
        for name in [
            ".syncthing.laptop.jsonl.tmp",
            "~syncthing~laptop.jsonl.tmp",
            "laptop.jsonl.tmp",
            "notes.txt",
        ] {
            assert!(!is_journal_name(name), "{name}");
        }
        assert!(is_conflict_name(
            "laptop.sync-conflict-20261201-101010-ABCDEF7.jsonl"
        ));
        assert!(!is_conflict_name("laptop.jsonl"));
    }

    #[test]
    fn the_environment_wins_over_the_settings_and_is_checked() {
        let data = Path::new("/d");
        let home = Path::new("/home/me");
        let wanted = Wanted {
            folder: Some("~/Sync/exhale".into()),
            machine: Some("laptop".into()),
        };
        let none = |_: &str| None;
        let l = Layout::resolve(data, &wanted, &none, Some(home)).expect("ok");
        assert_eq!(l.folder.as_deref(), Some(Path::new("/home/me/Sync/exhale")));
        assert_eq!(
            l.own_file(),
            Path::new("/home/me/Sync/exhale/journal/laptop.jsonl")
        );
        let env = |k: &str| match k {
            MACHINE_VAR => Some("desk".to_owned()),
            FOLDER_VAR => Some("/mnt/usb".to_owned()),
            _ => None,
        };
        let l = Layout::resolve(data, &wanted, &env, Some(home)).expect("ok");
        assert_eq!(l.own_file(), Path::new("/mnt/usb/journal/desk.jsonl"));
        let bad = |k: &str| (k == MACHINE_VAR).then(|| "my desk".to_owned());
        let e = Layout::resolve(data, &wanted, &bad, Some(home)).expect_err("bad");
        assert!(e.starts_with("EXHALE_MACHINE: `my desk` is not"), "{e}");
        let rel = |k: &str| (k == FOLDER_VAR).then(|| "Sync".to_owned());
        let e = Layout::resolve(data, &wanted, &rel, Some(home)).expect_err("relative");
        assert!(e.contains("must be a full path"), "{e}");
    }

    #[test]
    fn without_a_folder_the_data_folder_holds_the_files() {
        let l = Layout::new(Path::new("/d"), None, "m1");
        assert_eq!(l.own_file(), Path::new("/d/journal/m1.jsonl"));
        assert_eq!(l.read_dirs(), vec![PathBuf::from("/d/journal")]);
        assert_eq!(l.legacy_file(), Path::new("/d/journal.jsonl"));
    }
}
