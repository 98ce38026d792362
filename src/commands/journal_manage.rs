//! `exhale journal ...`: looking after the journal. `note` and `remove`
//! change what an entry shows by appending an amendment or a tombstone;
//! `status` shows the machines and files the journal is made of; `import`,
//! `backup`, `restore` and `upgrade` copy records in and out. None of them
//! changes or removes a line already written.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};

use crate::clock;
use crate::commands::journal::{history_line, is_journal_file, open};
use crate::commands::output::Out;
use crate::exit::{Failure, Outcome};
use crate::journal::answer::MAX_NOTE_CHARS;
use crate::journal::record::{Amend, Record, Remove};
use crate::journal::status::{FileKind, Status};
use crate::journal::store::SkippedLine;
use crate::journal::transfer::{self, Copied};
use crate::journal::{Entry, Journal as _, Store, id};
use crate::paths::Paths;
use crate::text::count;

/// Options of `exhale journal`.
#[derive(Debug, Clone, Args)]
pub struct JournalArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: JournalCommand,
}

/// The subcommands of `exhale journal`.
#[derive(Debug, Clone, Subcommand)]
pub enum JournalCommand {
    /// The machines and files the journal is made of, and the copies and conflicts found.
    Status {
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Change an entry's note (ID from `exhale history`); "" takes the note away.
    #[command(
        after_help = "The entry's line is never changed: the new note is a record of its own, \
            and every machine sharing the journal shows it.\n\nExample:\n  exhale journal note 3fa9c2d1 \"calmer after the long exhales\""
    )]
    Note {
        /// The entry's id: the 8 characters `exhale history` shows, or the whole id.
        id: String,
        /// The new note (at most 300 characters).
        text: String,
    },
    /// Leave an entry out of history, stats and exports (ID from `exhale history`).
    #[command(
        after_help = "The entry's line stays in its file; a removal is a record of its own, and \
            every machine sharing the journal leaves the entry out."
    )]
    Remove {
        /// The entry's id: the 8 characters `exhale history` shows, or the whole id.
        id: String,
    },
    /// Add the entries of a journal file, a backup or an `exhale export --format json` file.
    #[command(
        after_help = "Only what the journal does not have yet is added (by id), so importing the same \
            file twice adds nothing."
    )]
    Import {
        /// The file to import.
        file: PathBuf,
    },
    /// Write the whole journal into a new file in DIR, which `restore` reads back.
    Backup {
        /// The folder to write the backup in (created if needed).
        dir: PathBuf,
    },
    /// Bring back from a backup every entry the journal lacks; nothing it has is dropped.
    Restore {
        /// The backup file (or any journal file).
        file: PathBuf,
    },
    /// Copy the version 1 journal (and with a sync folder, this computer's entries) into the journal's folder.
    #[command(after_help = "The old file is kept as it was; reading takes both, each entry once.")]
    Upgrade,
}

/// `exhale journal ...`.
pub fn journal(paths: &Paths, args: &JournalArgs) -> Outcome {
    let (store, _) = open(paths)?;
    match &args.command {
        JournalCommand::Status { json } => status(&store, *json),
        JournalCommand::Note { id, text } => note(&store, id, text),
        JournalCommand::Remove { id } => remove(&store, id),
        JournalCommand::Import { file } => import(&store, file, "imported"),
        JournalCommand::Restore { file } => import(&store, file, "restored"),
        JournalCommand::Backup { dir } => backup(&store, dir),
        JournalCommand::Upgrade => upgrade(&store),
    }
}

/// The one entry of the journal that `typed` names.
fn find(store: &Store, typed: &str) -> Result<Entry, Failure> {
    let mut found: Vec<Entry> = Vec::new();
    let result = store.read(&mut |l| {
        if let crate::journal::store::Line::Entry(e) = l {
            if id::matches(&e.id, typed) {
                found.push(*e);
            }
        }
    });
    result.map_err(|e| Failure::invalid(format_args!("cannot read the journal: {e}")))?;
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => Err(Failure::invalid(format_args!(
            "no entry of the journal has the id `{typed}`"
        ))
        .help("`exhale history` shows each entry's id first (8 characters); removed entries are not shown")),
        n => {
            let mut f = Failure::usage(format_args!(
                "{n} entries have ids ending in `{typed}`; give more of the id"
            ));
            for e in found.iter().take(10) {
                f = f.note(format_args!("{}  {}", e.id, history_line(e)));
            }
            Err(f)
        }
    }
}

fn what(e: &Entry) -> String {
    format!(
        "{} ({}, {})",
        e.id.short(),
        e.started.format("%Y-%m-%d %H:%M"),
        e.title
    )
}

fn saved_in(store: &Store) -> String {
    store.layout().own_file().display().to_string()
}

/// `exhale journal note ID TEXT`.
fn note(store: &Store, typed: &str, text: &str) -> Outcome {
    let chars = text.trim().chars().count();
    if chars > MAX_NOTE_CHARS {
        return Err(Failure::usage(format_args!(
            "a note is at most {MAX_NOTE_CHARS} characters; this one has {chars}"
        )));
    }
    if text.contains(['\n', '\r']) {
        return Err(Failure::usage(
            "a note is one line; write it without line breaks",
        ));
    }
    let e = find(store, typed)?;
    let amend = Amend::note(
        store.new_id(),
        Some(store.layout().machine.clone()),
        e.id,
        text,
    );
    store
        .append_record(&Record::Amend(amend))
        .map_err(|err| Failure::invalid(format_args!("the note could not be saved: {err}")))?;
    let mut out = Out::stdout();
    if text.trim().is_empty() {
        writeln!(out, "Took away the note of {}.", what(&e));
    } else {
        writeln!(out, "Changed the note of {}: “{}”", what(&e), text.trim());
    }
    writeln!(
        out,
        "Its own line is unchanged; the change is recorded in {}.",
        saved_in(store)
    );
    out.finish()
}

/// `exhale journal remove ID`.
fn remove(store: &Store, typed: &str) -> Outcome {
    let e = find(store, typed)?;
    let r = Remove::new(store.new_id(), Some(store.layout().machine.clone()), e.id);
    store
        .append_record(&Record::Remove(r))
        .map_err(|err| Failure::invalid(format_args!("the removal could not be saved: {err}")))?;
    let mut out = Out::stdout();
    writeln!(out, "Removed {} from history, stats and exports.", what(&e));
    writeln!(
        out,
        "Its line stays in its file; the removal is recorded in {}.",
        saved_in(store)
    );
    out.finish()
}

fn warn_skipped(skipped: &[SkippedLine]) {
    let mut err = std::io::stderr().lock();
    for s in skipped.iter().take(20) {
        let _ = writeln!(err, "{}", s.warning());
    }
    if skipped.len() > 20 {
        let _ = writeln!(
            err,
            "warning: {} more lines could not be read and were skipped",
            skipped.len() - 20
        );
    }
}

fn report_copy(out: &mut Out, c: &Copied, verb: &str, store: &Store) {
    if c.added == 0 {
        writeln!(
            out,
            "Nothing {verb}: the journal already has every entry ({} read).",
            count(c.already, "record")
        );
    } else {
        writeln!(
            out,
            "{} {} ({}) into {}; {} already there.",
            capitalised(verb),
            count(c.added, "record"),
            count(c.sessions, "session"),
            saved_in(store),
            count(c.already, "record")
        );
    }
    if c.without_id > 0 {
        writeln!(
            out,
            "{} of a later kind without an id left out.",
            count(c.without_id, "record")
        );
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// `exhale journal import FILE` and `restore FILE`.
fn import(store: &Store, file: &Path, verb: &str) -> Outcome {
    let mut source = transfer::import_source(file);
    let copied = transfer::record_ids(store, &[])
        .and_then(|have| transfer::copy_missing(store, have, &mut source))
        .map_err(|e| {
            Failure::invalid(format_args!(
                "cannot {} {}: {e}",
                &verb[..verb.len() - 1],
                file.display()
            ))
        })?;
    warn_skipped(&copied.skipped);
    let mut out = Out::stdout();
    report_copy(&mut out, &copied, verb, store);
    out.finish()
}

/// `exhale journal backup DIR`.
fn backup(store: &Store, dir: &Path) -> Outcome {
    let inside = store
        .layout()
        .read_dirs()
        .iter()
        .chain(std::iter::once(&store.layout().write_dir()))
        .any(|d| same_dir(d, dir));
    if inside || is_journal_file(store, dir) {
        return Err(Failure::usage(format_args!(
            "{} is the journal's own folder; a backup there would be read as part of the journal",
            dir.display()
        ))
        .help("choose another folder, e.g. a USB stick or ~/backups"));
    }
    let b = transfer::backup(store, dir, clock::wall_now())
        .map_err(|e| Failure::invalid(format_args!("the backup could not be written: {e}")))?;
    let mut out = Out::stdout();
    writeln!(
        out,
        "Wrote {} ({}) to {}",
        count(b.records, "record"),
        count(b.sessions, "session"),
        b.path.display()
    );
    if b.skipped > 0 {
        writeln!(
            out,
            "{} could not be read and {} left out; they stay in their files.",
            count(b.skipped, "line"),
            if b.skipped == 1 { "was" } else { "were" }
        );
    }
    writeln!(
        out,
        "`exhale journal restore {}` brings back what a journal lacks.",
        b.path.display()
    );
    out.finish()
}

fn same_dir(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

/// `exhale journal upgrade`.
fn upgrade(store: &Store) -> Outcome {
    let files = transfer::upgrade_sources(store)
        .map_err(|e| Failure::invalid(format_args!("cannot read the journal: {e}")))?;
    let mut out = Out::stdout();
    if files.is_empty() {
        writeln!(
            out,
            "Nothing to upgrade: there is no version 1 journal{}.",
            if store.layout().folder.is_some() {
                " and no entry kept only on this computer"
            } else {
                ""
            }
        );
        return out.finish();
    }
    // What the journal's folder has, leaving out the files copied from.
    let mut source = transfer::files_source(files.clone());
    let copied = transfer::record_ids(store, &files)
        .and_then(|have| transfer::copy_missing(store, have, &mut source))
        .map_err(|e| Failure::invalid(format_args!("the upgrade could not be written: {e}")))?;
    warn_skipped(&copied.skipped);
    report_copy(&mut out, &copied, "copied", store);
    for f in &files {
        writeln!(out, "Kept {} as it was.", f.display());
    }
    out.finish()
}

fn kind_words(k: FileKind) -> &'static str {
    match k {
        FileKind::Own => "this machine's file",
        FileKind::Machine => "another machine's file",
        FileKind::ConflictCopy => "a sync conflict copy, read and merged (safe to keep or delete)",
        FileKind::Version1 => "the version 1 journal, read as it is",
        FileKind::Local => "kept on this computer only, in the data folder",
        FileKind::Other => "read as part of the journal",
    }
}

fn entries(n: usize) -> String {
    if n == 1 {
        "1 entry".into()
    } else {
        format!("{n} entries")
    }
}

fn copies(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what} copy")
    } else {
        format!("{n} {what} copies")
    }
}

/// The text of `exhale journal status`.
pub fn status_text(s: &Status) -> String {
    use std::fmt::Write as _;
    let mut t = String::new();
    let _ = writeln!(t, "This machine: {}", s.machine);
    let _ = writeln!(t, "Writes to: {}", s.own_file.display());
    match &s.folder {
        Some(f) => {
            let _ = writeln!(t, "Sync folder: {}", f.display());
        }
        None => t.push_str("Sync folder: none (set [journal] folder to share the journal)\n"),
    }
    t.push_str("\nMachines\n");
    if s.machines.is_empty() {
        t.push_str("  none yet\n");
    }
    for (name, m) in &s.machines {
        let shown = if name.is_empty() {
            "(version 1, no machine)".to_owned()
        } else if *name == s.machine {
            format!("{name} (this one)")
        } else {
            name.clone()
        };
        let last = m
            .last
            .map(|l| format!("last {}", l.format("%Y-%m-%d %H:%M")))
            .unwrap_or_default();
        let _ = writeln!(t, "  {shown:<28}  {:>14}  {last}", entries(m.entries));
    }
    t.push_str("\nFiles\n");
    if s.files.is_empty() {
        t.push_str("  none yet\n");
    }
    for f in &s.files {
        let mut line = format!(
            "  {}  {}, {}",
            f.path.display(),
            count(f.records, "record"),
            kind_words(f.kind)
        );
        if f.skipped > 0 {
            let _ = write!(line, "; {} could not be read", count(f.skipped, "line"));
        }
        t.push_str(&line);
        t.push('\n');
    }
    let _ = writeln!(
        t,
        "\n{} shown; {} of an entry left out; {} removed; {}; {} found.",
        entries(s.entries),
        copies(s.duplicates, "duplicate"),
        entries(s.removed),
        count(s.amendments, "amendment"),
        copies(s.conflict_copies(), "conflict"),
    );
    if s.later_kinds > 0 {
        let _ = writeln!(
            t,
            "{} of a kind a later version of exhale wrote, passed over.",
            count(s.later_kinds, "record")
        );
    }
    if s.to_upgrade > 0 {
        let _ = writeln!(
            t,
            "{} not yet in {}: `exhale journal upgrade` copies them there.",
            count(s.to_upgrade, "record"),
            s.own_file
                .parent()
                .map(|p| p.display().to_string())
                .unwrap_or_default()
        );
    }
    t
}

/// `exhale journal status`.
fn status(store: &Store, json: bool) -> Outcome {
    let s = crate::journal::status::status(store)
        .map_err(|e| Failure::invalid(format_args!("cannot read the journal: {e}")))?;
    let mut out = Out::stdout();
    if json {
        out.json(&s);
    } else {
        write!(out, "{}", status_text(&s));
    }
    out.finish()
}
