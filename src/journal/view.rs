//! What the journal shows: the union of the records of every file read,
//! each entry once (by id), without the removed ones, with the latest
//! amendment of each applied. The result does not depend on the order the
//! files are read in, nor on which machine wrote what:
//!
//! - two records with the same id are the same entry (a file copied by a
//!   sync tool, an import run twice): the first read is kept;
//! - a tombstone removes its entry whichever file it is in, before or
//!   after the entry;
//! - of two amendments of the same note, the one with the greater id (a
//!   UUID v7: the later written, by its machine's clock) wins.
//!
//! Reading is a stream in two passes over the files, so memory stays small
//! however long the journal: the first pass picks out amendments and
//! tombstones (only lines that [`may_refer`] are parsed), the second reads
//! every session, keeping one 16-byte id per entry to drop duplicates.

use std::collections::{HashMap, HashSet};

use super::assessment::Assessment;
use super::entry::Entry;
use super::id::Id;
use super::record::Record;
use super::store::{FileLine, JournalError, Line};

#[allow(unused_imports)] // named in the docs above
use super::record::may_refer;

/// One pass over every file: `refs_only` asks for amendments and
/// tombstones only (other lines need not be parsed, and no line is
/// reported skipped); each line's result goes to the callback.
pub type Pass<'a> = dyn FnMut(bool, &mut dyn FnMut(FileLine)) -> Result<(), JournalError> + 'a;

/// The amendments and tombstones found in the first pass.
#[derive(Debug, Default, Clone)]
pub struct Marks {
    /// Entries removed.
    removed: HashSet<Id>,
    /// Per entry, the winning amendment of its note: (its id, the note).
    notes: HashMap<Id, (Id, String)>,
}

impl Marks {
    /// Take in one record (sessions and unknown kinds change nothing).
    pub fn add(&mut self, r: &Record) {
        match r {
            Record::Remove(x) => {
                self.removed.insert(x.of);
            }
            Record::Amend(a) => {
                if let Some(note) = &a.note {
                    let slot = self
                        .notes
                        .entry(a.of)
                        .or_insert_with(|| (a.id, note.clone()));
                    if a.id > slot.0 {
                        *slot = (a.id, note.clone());
                    }
                }
            }
            Record::Session(_)
            | Record::Assessment(_)
            | Record::Diary(_)
            | Record::Other { .. } => {}
        }
    }

    /// Whether `id` was removed.
    pub fn is_removed(&self, id: &Id) -> bool {
        self.removed.contains(id)
    }

    /// The entry as readers show it: its note as last amended.
    pub fn apply(&self, e: &mut Entry) {
        if let Some((_, note)) = self.notes.get(&e.id) {
            e.note = (!note.trim().is_empty()).then(|| note.clone());
        }
    }

    /// Tombstones read.
    pub fn removals(&self) -> usize {
        self.removed.len()
    }
}

/// What a read found besides the entries.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Report {
    /// Entries in the view.
    pub entries: usize,
    /// Copies of an entry already read (same id), left out.
    pub duplicates: usize,
    /// Entries left out because a tombstone removed them.
    pub removed: usize,
}

/// Read the view through `pass`, handing each entry (in the order read,
/// not sorted) and each skipped line to `each`.
pub fn read(pass: &mut Pass<'_>, each: &mut dyn FnMut(Line)) -> Result<Report, JournalError> {
    let mut marks = Marks::default();
    pass(true, &mut |line| {
        if let FileLine::Record(r) = line {
            marks.add(&r);
        }
    })?;
    let mut seen: HashSet<u128> = HashSet::new();
    let mut report = Report::default();
    pass(false, &mut |line| match line {
        FileLine::Record(Record::Session(mut e)) => {
            if !seen.insert(e.id.as_u128()) {
                report.duplicates += 1;
            } else if marks.is_removed(&e.id) {
                report.removed += 1;
            } else {
                marks.apply(&mut e);
                report.entries += 1;
                each(Line::Entry(e));
            }
        }
        FileLine::Record(_) => {}
        FileLine::Skipped(s) => each(Line::Skipped(s)),
    })?;
    Ok(report)
}

/// The order entries are shown in: by start time (as an instant), then
/// by id, so equal times sort the same on every machine.
pub fn order_key(e: &Entry) -> (i64, u32, Id) {
    (
        e.started.timestamp(),
        e.started.timestamp_subsec_nanos(),
        e.id,
    )
}

/// Sort entries into the order they are shown in, oldest first.
pub fn sort(entries: &mut [Entry]) {
    entries.sort_by_key(order_key);
}

/// The latest `n` entries of a stream, kept as they go by, oldest first
/// at the end: for `exhale history`, which shows only the latest.
#[derive(Debug)]
pub struct Latest {
    n: usize,
    kept: std::collections::BTreeMap<(i64, u32, Id), Entry>,
    seen: usize,
}

impl Latest {
    /// Keep at most `n`.
    pub fn new(n: usize) -> Self {
        Self {
            n,
            kept: std::collections::BTreeMap::new(),
            seen: 0,
        }
    }

    /// Offer one entry.
    pub fn add(&mut self, e: Entry) {
        self.seen += 1;
        if self.n == 0 {
            return;
        }
        let key = order_key(&e);
        if self.kept.len() == self.n {
            match self.kept.first_key_value() {
                Some((first, _)) if *first < key => {
                    self.kept.pop_first();
                }
                _ => return,
            }
        }
        self.kept.insert(key, e);
    }

    /// Entries offered.
    pub fn seen(&self) -> usize {
        self.seen
    }

    /// The kept entries, newest first.
    pub fn newest_first(self) -> Vec<Entry> {
        self.kept.into_values().rev().collect()
    }
}

/// The records of one kind that `pick` takes (with their ids), once each
/// (by id), without the removed ones: one quick pass (only the lines that
/// [`may_refer`] are parsed), in no order.
fn of_kind<T>(
    pass: &mut Pass<'_>,
    pick: impl Fn(Record) -> Option<(Id, T)>,
) -> Result<Vec<T>, JournalError> {
    let mut marks = Marks::default();
    let mut found: HashMap<Id, T> = HashMap::new();
    pass(true, &mut |line| {
        if let FileLine::Record(r) = line {
            marks.add(&r);
            if let Some((id, t)) = pick(r) {
                found.entry(id).or_insert(t);
            }
        }
    })?;
    Ok(found
        .into_iter()
        .filter(|(id, _)| !marks.is_removed(id))
        .map(|(_, t)| t)
        .collect())
}

/// Every check-in without a session, oldest first (by the moment each
/// is about).
pub fn diaries(pass: &mut Pass<'_>) -> Result<Vec<super::diary::Diary>, JournalError> {
    let mut list = of_kind(pass, |r| match r {
        Record::Diary(d) => Some((d.id, *d)),
        _ => None,
    })?;
    list.sort_by_key(|d| (d.at, d.id));
    Ok(list)
}

/// Every resonance assessment, oldest first.
pub fn assessments(pass: &mut Pass<'_>) -> Result<Vec<Assessment>, JournalError> {
    let mut list = of_kind(pass, |r| match r {
        Record::Assessment(a) => Some((a.id, *a)),
        _ => None,
    })?;
    list.sort_by_key(|a| (a.date, a.id));
    Ok(list)
}
