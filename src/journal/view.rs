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
//! tombstones, assessments and check-ins without a session (only lines
//! that [`may_refer`] are parsed), the second reads every session, keeping
//! one 16-byte id per entry to drop duplicates. Readers of figures
//! ([`read_figures`]: stats, history, a plan's week) read every line once,
//! each session line for its figures alone where they can
//! ([`super::figures`]), taking tombstones, amendments, assessments and
//! check-ins as they come; only a tombstone read after its entry makes
//! them read the files a second time.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::assessment::Assessment;
use super::entry::Entry;
use super::figures::{Figures, Seen, Source};
use super::id::Id;
use super::record::Record;
use super::store::{FigLine, FileLine, JournalError, Line};

#[allow(unused_imports)] // named in the docs above
use super::record::may_refer;

/// The ids of the entries read so far, one per entry: hashed with
/// foldhash rather than the standard `SipHash` (an id is a UUID, and the
/// journal is the user's own: no one to guard against), which took a
/// fifth of a read.
type IdSet = foldhash::HashSet<u128>;

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

    /// Every entry removed, in no particular order.
    pub fn removed(&self) -> impl Iterator<Item = &Id> {
        self.removed.iter()
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

impl Report {
    /// Count the entry `id`, read now: a copy of one already `seen`, one
    /// `marks` removes, or one of the view. Whether it is in the view.
    fn admit(&mut self, id: &Id, seen: &mut IdSet, marks: &Marks) -> bool {
        if !seen.insert(id.as_u128()) {
            self.duplicates += 1;
            false
        } else if marks.is_removed(id) {
            self.removed += 1;
            false
        } else {
            self.entries += 1;
            true
        }
    }
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
    let mut seen = IdSet::default();
    let mut report = Report::default();
    pass(false, &mut |line| match line {
        FileLine::Record(Record::Session(mut e)) => {
            if report.admit(&e.id, &mut seen, &marks) {
                marks.apply(&mut e);
                each(Line::Entry(e));
            }
        }
        FileLine::Record(_) => {}
        FileLine::Skipped(s) => each(Line::Skipped(s)),
    })?;
    Ok(report)
}

/// A pass over every file for figures ([`super::store::Lines::each_figures`]).
pub type FigPass<'a> = dyn FnMut(&mut dyn FnMut(FigLine<'_>)) -> Result<(), JournalError> + 'a;

/// What a read for figures found besides the entries: what [`read`]
/// reports, the amendments and tombstones, and the records of the other
/// kinds, read on the way.
#[derive(Debug, Default)]
pub struct Found {
    /// Entries in the view, copies and removed ones left out.
    pub report: Report,
    /// The amendments and tombstones ([`Marks::apply`] gives an entry as
    /// shown).
    pub marks: Marks,
    /// Every resonance assessment, oldest first (as [`assessments`]).
    pub assessments: Vec<Assessment>,
    /// Every check-in without a session, oldest first (as [`diaries`]).
    pub diaries: Vec<super::diary::Diary>,
    /// Whether the files were read twice: a tombstone came after its entry
    /// had been given ([`Seen::Restart`]).
    pub read_twice: bool,
}

/// Read the view for figures in one pass over every line (`lines`): each
/// entry's figures (once by id, not removed, in the order read) and each
/// skipped line go to `each`, and the amendments, tombstones, assessments
/// and check-ins without a session are taken in as they come.
///
/// A tombstone usually comes before the entry is read or not at all; when
/// one comes after its entry was given (later in the same file, or in a
/// file read later), figures already folded cannot be taken back, so
/// `each` is told to forget the entries ([`Seen::Restart`]) and is given
/// them again from a second pass, which now knows every tombstone (the
/// skipped lines are not given twice).
pub fn read_figures(
    lines: &mut FigPass<'_>,
    each: &mut dyn FnMut(Seen<'_>),
) -> Result<Found, JournalError> {
    read_figures_hinted(lines, &HashSet::<Id>::new(), each)
}

/// [`read_figures`], told beforehand which entries are likely removed
/// (`hint`: the removals a previous read found), so that a tombstone
/// written after its entry, as `journal remove` writes every one, costs no
/// second pass. The hint only speeds the read: an entry it leaves out
/// whose tombstone the files turn out not to have (the hint was stale)
/// makes the read start again as for a late tombstone, without the hint,
/// so what `each` is given is always what the files say.
pub fn read_figures_hinted<S: std::hash::BuildHasher>(
    lines: &mut FigPass<'_>,
    hint: &HashSet<Id, S>,
    each: &mut dyn FnMut(Seen<'_>),
) -> Result<Found, JournalError> {
    let mut marks = Marks::default();
    let mut kinds = Kinds::default();
    let mut seen = IdSet::default();
    let mut report = Report::default();
    let mut late = false;
    // Entries left out on the hint's word alone, not yet by a tombstone.
    let mut on_hint: Vec<Id> = Vec::new();
    lines(&mut |line| match line {
        FigLine::Entry(f, source) => {
            if !marks.is_removed(&f.id) && hint.contains(&f.id) {
                if seen.insert(f.id.as_u128()) {
                    report.removed += 1;
                    on_hint.push(f.id);
                } else {
                    report.duplicates += 1;
                }
            } else if report.admit(&f.id, &mut seen, &marks) {
                each(Seen::Entry(f, source));
            }
        }
        FigLine::Record(r) => {
            if let Record::Remove(x) = &r {
                // Seen, and neither removed before nor left out on the
                // hint: it was given.
                late |= !marks.is_removed(&x.of)
                    && !hint.contains(&x.of)
                    && seen.contains(&x.of.as_u128());
            }
            marks.add(&r);
            kinds.add(r);
        }
        FigLine::Skipped(s) => each(Seen::Skipped(s)),
    })?;
    // The hint was stale: an entry it left out is not removed after all.
    late |= on_hint.iter().any(|id| !marks.is_removed(id));
    if late {
        each(Seen::Restart);
        seen.clear();
        report = Report::default();
        lines(&mut |line| {
            if let FigLine::Entry(f, source) = line {
                if report.admit(&f.id, &mut seen, &marks) {
                    each(Seen::Entry(f, source));
                }
            }
        })?;
    }
    let (assessments, diaries) = kinds.finish(&marks);
    Ok(Found {
        report,
        marks,
        assessments,
        diaries,
        read_twice: late,
    })
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

/// The latest `n` entries of a stream, kept as they go by: for `exhale
/// history`, which shows only the latest. An entry offered by its figures
/// is kept as its line's bytes and read in full only if it is still among
/// the latest at the end (the bytes of the one it pushed out are reused).
#[derive(Debug)]
pub struct Latest {
    n: usize,
    kept: BTreeMap<(i64, u32, Id), Kept>,
    seen: usize,
    spare: Vec<u8>,
}

/// An entry [`Latest`] keeps.
#[derive(Debug)]
enum Kept {
    /// The bytes of a line [`super::figures::read`] accepted.
    Line(Vec<u8>),
    /// An entry read in full.
    Entry(Box<Entry>),
}

impl Latest {
    /// Keep at most `n`.
    pub fn new(n: usize) -> Self {
        Self {
            n,
            kept: BTreeMap::new(),
            seen: 0,
            spare: Vec::new(),
        }
    }

    /// Whether an entry with this key is kept; makes room for it.
    fn admit(&mut self, key: (i64, u32, Id)) -> bool {
        self.seen += 1;
        if self.n == 0 {
            return false;
        }
        if self.kept.len() == self.n {
            match self.kept.first_key_value() {
                Some((first, _)) if *first < key => {
                    if let Some((_, Kept::Line(bytes))) = self.kept.pop_first() {
                        self.spare = bytes;
                    }
                }
                _ => return false,
            }
        }
        true
    }

    /// Offer one entry.
    pub fn add(&mut self, e: Entry) {
        let key = order_key(&e);
        if self.admit(key) {
            self.kept.insert(key, Kept::Entry(Box::new(e)));
        }
    }

    /// Offer one entry by its figures.
    pub fn offer(&mut self, f: &Figures<'_>, source: Source<'_>) {
        let key = (
            f.started.timestamp(),
            f.started.timestamp_subsec_nanos(),
            f.id,
        );
        if !self.admit(key) {
            return;
        }
        let kept = match source {
            Source::Line(raw) => {
                let mut bytes = std::mem::take(&mut self.spare);
                bytes.clear();
                bytes.extend_from_slice(raw);
                Kept::Line(bytes)
            }
            Source::Entry(e) => Kept::Entry(Box::new(e.clone())),
        };
        self.kept.insert(key, kept);
    }

    /// Entries offered.
    pub fn seen(&self) -> usize {
        self.seen
    }

    /// The kept entries, newest first, as the journal shows them (`marks`
    /// applied).
    pub fn newest_first(self, marks: &Marks) -> Vec<Entry> {
        self.kept
            .into_values()
            .rev()
            .filter_map(|k| {
                let mut e = match k {
                    Kept::Entry(e) => *e,
                    Kept::Line(bytes) => {
                        let e = Source::Line(&bytes).entry();
                        debug_assert!(e.is_some(), "the light and full reads disagree");
                        e?
                    }
                };
                marks.apply(&mut e);
                Some(e)
            })
            .collect()
    }
}

/// The assessments and check-ins without a session read so far, each once
/// (the first read of an id).
#[derive(Debug, Default)]
struct Kinds {
    assessments: HashMap<Id, Assessment>,
    diaries: HashMap<Id, super::diary::Diary>,
}

impl Kinds {
    fn add(&mut self, r: Record) {
        match r {
            Record::Assessment(a) => {
                self.assessments.entry(a.id).or_insert(*a);
            }
            Record::Diary(d) => {
                self.diaries.entry(d.id).or_insert(*d);
            }
            _ => {}
        }
    }

    /// Without the removed ones, each oldest first (by the moment it is
    /// about, then by id).
    fn finish(self, marks: &Marks) -> (Vec<Assessment>, Vec<super::diary::Diary>) {
        let mut assessments: Vec<Assessment> = self
            .assessments
            .into_iter()
            .filter(|(id, _)| !marks.is_removed(id))
            .map(|(_, a)| a)
            .collect();
        assessments.sort_by_key(|a| (a.date, a.id));
        let mut diaries: Vec<super::diary::Diary> = self
            .diaries
            .into_iter()
            .filter(|(id, _)| !marks.is_removed(id))
            .map(|(_, d)| d)
            .collect();
        diaries.sort_by_key(|d| (d.at, d.id));
        (assessments, diaries)
    }
}

/// The first pass: amendments, tombstones, assessments and check-ins
/// without a session (only the lines that [`may_refer`] are parsed).
fn first_pass(pass: &mut Pass<'_>) -> Result<(Marks, Kinds), JournalError> {
    let mut marks = Marks::default();
    let mut kinds = Kinds::default();
    pass(true, &mut |line| {
        if let FileLine::Record(r) = line {
            marks.add(&r);
            kinds.add(r);
        }
    })?;
    Ok((marks, kinds))
}

/// Every check-in without a session, oldest first (by the moment each
/// is about): one quick pass, in which only the lines that [`may_refer`]
/// are parsed.
pub fn diaries(pass: &mut Pass<'_>) -> Result<Vec<super::diary::Diary>, JournalError> {
    let (marks, kinds) = first_pass(pass)?;
    Ok(kinds.finish(&marks).1)
}

/// Every resonance assessment, oldest first: one quick pass, as for
/// [`diaries`].
pub fn assessments(pass: &mut Pass<'_>) -> Result<Vec<Assessment>, JournalError> {
    let (marks, kinds) = first_pass(pass)?;
    Ok(kinds.finish(&marks).0)
}
