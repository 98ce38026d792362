//! `exhale history`, `exhale stats` and `exhale export`: reading the
//! journal. None of them ever writes to the journal file; lines that
//! cannot be read are skipped with a warning naming the file and line.

use std::collections::VecDeque;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDate;
use clap::Args;

use crate::clock;
use crate::commands::output::Out;
use crate::exit::{Failure, Outcome};
use crate::journal::export::{self, Format};
use crate::journal::stats::{self, Stats, checkin_line, days_line};
use crate::journal::store::Line;
use crate::journal::{Entry, FileJournal, Journal as _, JournalSettings};
use crate::paths::Paths;
use crate::text::{count, human};

/// Options of `exhale history`.
#[derive(Debug, Clone, Args)]
pub struct HistoryArgs {
    /// Print JSON (an array of entries, newest first) instead of text.
    #[arg(long)]
    pub json: bool,
    /// Show at most this many sessions, newest first (0 shows all).
    #[arg(long, value_name = "N", default_value_t = 20)]
    pub limit: usize,
}

/// Options of `exhale stats`.
#[derive(Debug, Clone, Args)]
pub struct StatsArgs {
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Options of `exhale export`.
#[derive(Debug, Clone, Args)]
pub struct ExportArgs {
    /// csv: one row per session; json: an array; markdown: a one-page
    /// summary to bring to a therapist or to keep.
    #[arg(long, value_enum, default_value_t = Format::Markdown)]
    pub format: Format,
    /// Only sessions on or after this day (YYYY-MM-DD).
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
    pub since: Option<NaiveDate>,
    /// Write to FILE (replacing it) instead of printing.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

fn parse_day(s: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .map_err(|_| format!("`{s}` is not a date; write it as YYYY-MM-DD, e.g. 2026-01-31"))
}

/// Warnings shown one by one for skipped lines; past these, one line
/// says how many more there were.
const MAX_WARNINGS: usize = 20;

/// Read the journal entry by entry, handing each to `each` as it is read
/// and printing a warning for each skipped line (the first
/// [`MAX_WARNINGS`], then how many more).
fn read(paths: &Paths, mut each: impl FnMut(Entry)) -> Outcome {
    let journal = FileJournal::new(paths.journal_file());
    let mut skipped = 0usize;
    let mut err = std::io::stderr().lock();
    let result = journal.read(&mut |line| match line {
        Line::Entry(e) => each(*e),
        Line::Skipped(s) => {
            skipped += 1;
            if skipped <= MAX_WARNINGS {
                let _ = writeln!(err, "{}", s.warning(journal.path()));
            }
        }
    });
    if skipped > MAX_WARNINGS {
        let _ = writeln!(
            err,
            "warning: {}: {} more lines could not be read and were skipped; the file is left as it is",
            journal.path().display(),
            skipped - MAX_WARNINGS
        );
    }
    result.map_err(|e| Failure::invalid(format_args!("cannot read the journal: {e}")))
}

/// Read the whole journal (for exports, which need every entry).
fn load(paths: &Paths) -> Result<Vec<Entry>, Failure> {
    let mut entries = Vec::new();
    read(paths, |e| entries.push(e))?;
    Ok(entries)
}

fn empty_message(paths: &Paths) -> String {
    format!(
        "No sessions in the journal yet. Each session you run is recorded in {}.",
        paths.journal_file().display()
    )
}

fn checkin_short(e: &Entry) -> String {
    let show = |c: &crate::journal::Checkin| {
        c.score.map(|s| match &c.words {
            Some(w) => format!("{s} ({w})"),
            None => s.to_string(),
        })
    };
    match (show(&e.before), show(&e.after)) {
        (Some(b), Some(a)) => format!("{b} → {a}"),
        (Some(b), None) => format!("{b} → –"),
        (None, Some(a)) => format!("– → {a}"),
        (None, None) => String::new(),
    }
}

/// One line of `exhale history`.
pub fn history_line(e: &Entry) -> String {
    let mut line = format!(
        "{}  {:<24}  {:>7}  {:<11}",
        e.started.format("%Y-%m-%d %H:%M"),
        e.title,
        human(Duration::from_secs(e.practised_s)),
        e.ending_word()
    );
    let c = checkin_short(e);
    if !c.is_empty() {
        line.push_str("  ");
        line.push_str(&c);
    }
    if !e.holds_s.is_empty() {
        let holds: Vec<String> = e.holds_s.iter().map(|h| format!("{h:.1}s")).collect();
        line.push_str(&format!("  holds {}", holds.join(", ")));
    }
    if let Some(n) = &e.note {
        line.push_str(&format!("  “{n}”"));
    }
    line.trim_end().to_owned()
}

/// `exhale history`. Only the latest `--limit` entries are kept while the
/// journal is read.
pub fn history(paths: &Paths, args: &HistoryArgs) -> Outcome {
    let take = if args.limit == 0 {
        usize::MAX
    } else {
        args.limit
    };
    let mut latest: VecDeque<Entry> = VecDeque::with_capacity(take.min(1024));
    let mut total = 0usize;
    read(paths, |e| {
        total += 1;
        if latest.len() == take {
            latest.pop_front();
        }
        latest.push_back(e);
    })?;
    let mut out = Out::stdout();
    if args.json {
        let newest_first: Vec<&Entry> = latest.iter().rev().collect();
        out.json(&newest_first);
        return out.finish();
    }
    if latest.is_empty() {
        writeln!(out, "{}", empty_message(paths));
        return out.finish();
    }
    for e in latest.iter().rev() {
        if out.is_closed() {
            break;
        }
        writeln!(out, "{}", history_line(e));
    }
    if latest.len() < total {
        writeln!(
            out,
            "({} of {} sessions; --limit 0 shows all)",
            latest.len(),
            total
        );
    }
    out.finish()
}

fn bar(minutes: f64, max: f64, width: usize) -> String {
    if max <= 0.0 || minutes <= 0.0 {
        return String::new();
    }
    let n = ((minutes / max) * width as f64).round().max(1.0) as usize;
    "█".repeat(n)
}

/// The text of `exhale stats`.
pub fn stats_text(s: &Stats) -> String {
    let mut out = String::new();
    out.push_str(&days_line(s));
    out.push_str("\n\n");
    out.push_str("Minutes per week\n");
    let max = s.weeks.iter().map(|w| w.minutes).fold(0.0, f64::max);
    for w in &s.weeks {
        out.push_str(&format!(
            "  week of {}  {:>5}  {}\n",
            w.starts,
            w.minutes.round(),
            bar(w.minutes, max, 30)
        ));
    }
    out.push('\n');
    out.push_str(&checkin_line(s));
    out.push('\n');
    if let Some(n) = s.streak {
        out.push_str(&format!("{} in a row\n", count(n, "day")));
    }
    if !s.per_session.is_empty() {
        out.push_str("\nSessions\n");
        for p in &s.per_session {
            let mut line = format!(
                "  {:<24}  {:>4} time{}  {:>6} min",
                p.title,
                p.count,
                if p.count == 1 { " " } else { "s" },
                p.minutes.round()
            );
            if let Some(c) = &p.checkins {
                line.push_str(&format!("  check-ins {}", stats::signed_change(c.change)));
            }
            if let Some(h) = &p.holds {
                line.push_str(&format!(
                    "  holds: first {:.1}s, recent {:.1}s, longest {:.1}s",
                    h.first, h.recent, h.longest
                ));
            }
            out.push_str(&line);
            out.push('\n');
        }
    }
    out.push_str(&format!(
        "\nIn all: {}, {}. Partial sessions count too.\n",
        count(s.sessions as u64, "session"),
        count(s.total_minutes.round() as u64, "minute")
    ));
    out
}

/// `exhale stats`. The journal is folded into the figures as it is read.
pub fn stats(paths: &Paths, args: &StatsArgs, settings: &JournalSettings) -> Outcome {
    let mut fold = stats::Fold::new(clock::wall_now(), settings);
    read(paths, |e| fold.add(&e))?;
    let empty = fold.sessions() == 0;
    let s = fold.finish();
    let mut out = Out::stdout();
    if args.json {
        out.json(&s);
    } else if empty {
        writeln!(out, "{}", empty_message(paths));
    } else {
        write!(out, "{}", stats_text(&s));
    }
    out.finish()
}

/// `p` with its folder resolved (symlinks, `..`), for comparing paths to
/// files that may not exist yet.
fn resolved(p: &Path) -> Option<PathBuf> {
    let name = p.file_name()?;
    let dir = match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.canonicalize().ok()?,
        _ => std::env::current_dir().ok()?,
    };
    Some(dir.join(name))
}

/// Whether `a` and `b` are the same file: the same inode when both exist,
/// otherwise the same resolved path.
fn same_file(a: &Path, b: &Path) -> bool {
    if a == b {
        return true;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt as _;
        if let (Ok(x), Ok(y)) = (std::fs::metadata(a), std::fs::metadata(b)) {
            return x.dev() == y.dev() && x.ino() == y.ino();
        }
    }
    match (resolved(a), resolved(b)) {
        (Some(x), Some(y)) => x == y,
        _ => false,
    }
}

/// `exhale export`.
pub fn export(paths: &Paths, args: &ExportArgs, settings: &JournalSettings) -> Outcome {
    let journal_file = paths.journal_file();
    if let Some(out) = &args.output {
        if same_file(out, &journal_file) {
            return Err(Failure::usage(format_args!(
                "{} is the journal itself; choose another file to export to",
                out.display()
            )));
        }
    }
    let entries = load(paths)?;
    let h = settings.day_starts_at;
    let picked = export::since(&entries, args.since, h);
    let text = match args.format {
        Format::Csv => export::csv(&picked, h),
        Format::Json => export::json(&picked).map_err(Failure::invalid)?,
        Format::Markdown => {
            let today = crate::journal::day::journal_day(clock::wall_now(), h);
            export::markdown(&picked, today, h)
        }
    };
    match &args.output {
        None => {
            let mut out = Out::stdout();
            write!(out, "{text}");
            out.finish()
        }
        Some(path) => match std::fs::write(path, text) {
            Ok(()) => {
                eprintln!(
                    "exported {} to {}",
                    count(picked.len(), "session"),
                    path.display()
                );
                Ok(())
            }
            Err(e) => Err(Failure::invalid(format_args!(
                "cannot write {}: {e}",
                path.display()
            ))),
        },
    }
}
