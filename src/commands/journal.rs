//! `exhale history`, `exhale stats` and `exhale export`: reading the
//! journal, every machine's file at once. None of them ever writes to a
//! journal file; lines that cannot be read are skipped with a warning
//! naming the file and line.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::NaiveDate;
use clap::Args;

use crate::clock;
use crate::commands::output::Out;
use crate::config::Config;
use crate::exit::{Failure, Outcome};
use crate::journal::assessment;
use crate::journal::export::{self, Format};
use crate::journal::figures::{Figures, Seen, Source};
use crate::journal::stats::{self, Stats, checkin_line, days_line};
use crate::journal::store::{Line, SkippedLine};
use crate::journal::view::{self, Found, Latest};
use crate::journal::{Entry, Journal as _, JournalSettings, Layout, Store};
use crate::paths::Paths;
use crate::text::count;

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
    /// Only what is on or after this day (YYYY-MM-DD); with a plan, the
    /// default is the plan's first day (`from`), when it was last made or
    /// reviewed.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day, conflicts_with = "all")]
    pub since: Option<NaiveDate>,
    /// The whole journal, even with a plan.
    #[arg(long)]
    pub all: bool,
    /// With --format csv: which table (sessions, checkins, plan, changes,
    /// in-the-way).
    #[arg(long, value_enum, default_value_t = crate::plan::export::Table::Sessions)]
    pub table: crate::plan::export::Table,
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

/// The journal as the settings place it.
pub fn open_store(paths: &Paths, config: &Config) -> Result<Store, Failure> {
    Layout::from_config(&paths.data_dir, &config.journal)
        .map(Store::new)
        .map_err(Failure::invalid)
}

/// The config and the journal it places.
pub fn open(paths: &Paths) -> Result<(Store, JournalSettings), Failure> {
    let config = crate::commands::run::load_config(paths)?;
    let store = open_store(paths, &config)?;
    Ok((store, JournalSettings::from(&config.journal)))
}

/// The warnings for skipped lines: the first [`MAX_WARNINGS`] one by one,
/// then one line saying how many more there were.
struct Warnings {
    skipped: usize,
    last_file: PathBuf,
}

impl Warnings {
    fn new() -> Self {
        Self {
            skipped: 0,
            last_file: PathBuf::new(),
        }
    }

    fn add(&mut self, s: SkippedLine) {
        self.skipped += 1;
        if self.skipped <= MAX_WARNINGS {
            let _ = writeln!(std::io::stderr().lock(), "{}", s.warning());
        }
        self.last_file = s.file;
    }

    fn finish(self) {
        if self.skipped > MAX_WARNINGS {
            let _ = writeln!(
                std::io::stderr().lock(),
                "warning: {}: {} more lines could not be read and were skipped; the file is left as it is",
                self.last_file.display(),
                self.skipped - MAX_WARNINGS
            );
        }
    }
}

/// Read the journal entry by entry, handing each to `each` as it is read
/// (not in order) and printing a warning for each skipped line (the first
/// [`MAX_WARNINGS`], then how many more).
pub fn read(journal: &Store, mut each: impl FnMut(Entry)) -> Outcome {
    let mut warnings = Warnings::new();
    let result = journal.read(&mut |line| match line {
        Line::Entry(e) => each(*e),
        Line::Skipped(s) => warnings.add(s),
    });
    warnings.finish();
    result.map_err(|e| Failure::invalid(format_args!("cannot read the journal: {e}")))
}

/// Read the journal for figures ([`Store::read_figures_where`]): each
/// entry's figures go to `each` as read (not in order), or `None` to
/// forget those given so far ([`Seen::Restart`]), with a warning for each
/// skipped line as [`read`] gives them; returns what else the read found
/// (the amendments, assessments and check-ins without a session).
pub fn read_figures(
    journal: &Store,
    mut each: impl FnMut(Option<(&Figures<'_>, Source<'_>)>),
) -> Result<Found, Failure> {
    let mut warnings = Warnings::new();
    let result = journal.read_figures_where(None, &mut |line| match line {
        Seen::Entry(f, source) => each(Some((f, source))),
        Seen::Restart => each(None),
        Seen::Skipped(s) => warnings.add(s),
    });
    warnings.finish();
    result.map_err(|e| Failure::invalid(format_args!("cannot read the journal: {e}")))
}

/// Read the whole journal, oldest first (for exports, which need every
/// entry).
pub fn load(journal: &Store) -> Result<Vec<Entry>, Failure> {
    let mut entries = Vec::new();
    read(journal, |e| entries.push(e))?;
    view::sort(&mut entries);
    Ok(entries)
}

fn empty_message(journal: &Store) -> String {
    format!(
        "No sessions in the journal yet. Each session you run is recorded in {}.",
        journal.layout().own_file().display()
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

/// The width of the title column of `history` and `stats`.
const TITLE_COLUMN: usize = 24;

/// `title` in exactly [`TITLE_COLUMN`] characters: cut with "…" when it
/// is longer, so the columns after it stay aligned.
pub fn title_cell(title: &str) -> String {
    let n = title.chars().count();
    if n <= TITLE_COLUMN {
        format!("{title:<TITLE_COLUMN$}")
    } else {
        let cut: String = title.chars().take(TITLE_COLUMN - 1).collect();
        format!("{}…", cut.trim_end())
            .chars()
            .chain(std::iter::repeat(' '))
            .take(TITLE_COLUMN)
            .collect()
    }
}

/// One line of `exhale history`, starting with the entry's short id
/// (what `exhale journal note` and `remove` take).
pub fn history_line(e: &Entry) -> String {
    let mut line = format!(
        "{}  {}  {}  {:>7}  {:<11}",
        e.id.short(),
        e.started.format("%Y-%m-%d %H:%M"),
        title_cell(&e.title),
        crate::text::length(Duration::from_secs(e.practised_s)),
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
    let m = crate::journal::measure::short(&e.before.measures, &e.after.measures);
    if !m.is_empty() {
        line.push_str("  ");
        line.push_str(&m);
    }
    if let Some(w) = e.in_the_way.as_ref().and_then(|w| w.answer.as_ref()) {
        line.push_str(&format!("  in the way: {w}"));
    }
    if let Some(n) = &e.note {
        line.push_str(&format!("  “{n}”"));
    }
    line.trim_end().to_owned()
}

/// A check-in with no session as `exhale history` lists it.
pub fn diary_line(d: &crate::journal::diary::Diary) -> String {
    let mut line = format!(
        "{}  {}  {}  {:>7}  {:<11}",
        d.id.short(),
        d.at.format("%Y-%m-%d %H:%M"),
        title_cell("Check-in"),
        "",
        ""
    );
    let c = &d.checkin;
    let mut said: Vec<String> = Vec::new();
    if let Some(s) = c.score {
        said.push(match &c.words {
            Some(w) => format!("{s} ({w})"),
            None => s.to_string(),
        });
    } else if let Some(w) = &c.words {
        said.push(format!("({w})"));
    }
    let m = crate::journal::measure::short(&c.measures, &crate::journal::measure::Answers::new());
    if !m.is_empty() {
        said.push(m);
    }
    line.push_str(&said.join(", "));
    if let Some(n) = &d.note {
        line.push_str(&format!("  “{n}”"));
    }
    if d.written_later() {
        line.push_str(&format!(
            "  (written later, {})",
            d.written.format("%Y-%m-%d %H:%M")
        ));
    }
    line.trim_end().to_owned()
}

/// One line of `exhale history`.
enum Row<'a> {
    Session(&'a Entry),
    Diary(&'a crate::journal::diary::Diary),
}

impl Row<'_> {
    fn at(&self) -> chrono::DateTime<chrono::FixedOffset> {
        match self {
            Row::Session(e) => e.started,
            Row::Diary(d) => d.at,
        }
    }
}

/// `exhale history`. Only the latest `--limit` entries are kept while the
/// journal is read.
pub fn history(paths: &Paths, args: &HistoryArgs) -> Outcome {
    let take = if args.limit == 0 {
        usize::MAX
    } else {
        args.limit
    };
    let (journal, _) = open(paths)?;
    let mut kept = Latest::new(take);
    let found = read_figures(&journal, |entry| match entry {
        Some((f, source)) => kept.offer(f, source),
        None => kept = Latest::new(take),
    })?;
    let total = kept.seen();
    let latest = kept.newest_first(&found.marks);
    // Check-ins with no session go among the sessions, by the moment
    // each is about.
    let diaries = found.diaries;
    let mut rows: Vec<Row<'_>> = latest.iter().map(Row::Session).collect();
    rows.extend(diaries.iter().map(Row::Diary));
    rows.sort_by_key(|r| std::cmp::Reverse(r.at()));
    rows.truncate(take);
    let mut out = Out::stdout();
    if args.json {
        let values: Vec<serde_json::Value> = rows
            .iter()
            .filter_map(|r| match r {
                Row::Session(e) => serde_json::to_value(e).ok(),
                Row::Diary(d) => serde_json::to_value(d).ok(),
            })
            .collect();
        out.json(&values);
        return out.finish();
    }
    if rows.is_empty() {
        writeln!(out, "{}", empty_message(&journal));
        return out.finish();
    }
    for r in &rows {
        if out.is_closed() {
            break;
        }
        match r {
            Row::Session(e) => writeln!(out, "{}", history_line(e)),
            Row::Diary(d) => writeln!(out, "{}", diary_line(d)),
        }
    }
    let shown = rows.iter().filter(|r| matches!(r, Row::Session(_))).count();
    if shown < total {
        writeln!(out, "({shown} of {total} sessions; --limit 0 shows all)");
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
    out.push_str("Time per week\n");
    let max = s.weeks.iter().map(|w| w.minutes).fold(0.0, f64::max);
    for w in &s.weeks {
        out.push_str(&format!(
            "  week of {}  {:>6}  {}\n",
            w.starts,
            crate::text::length_secs(w.minutes * 60.0),
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
                "  {}  {:>4} time{}  {:>6}",
                title_cell(&p.title),
                p.count,
                if p.count == 1 { " " } else { "s" },
                crate::text::length_secs(p.minutes * 60.0)
            );
            if let Some(c) = &p.checkins {
                line.push_str(&format!("  check-ins {}", stats::signed_change(c.change)));
            }
            if let Some(h) = &p.holds {
                line.push_str(&format!("  {}", holds_words(h)));
            }
            out.push_str(&line);
            out.push('\n');
        }
    }
    out.push_str(&format!(
        "\nIn all: {}, {}. Partial sessions count too.\n",
        count(s.sessions as u64, "session"),
        crate::text::length_secs(s.total_minutes * 60.0)
    ));
    out
}

/// A session's holds as `exhale stats` says them: what each average is
/// taken over, in words.
pub fn holds_words(h: &stats::HoldTrend) -> String {
    let w = stats::TREND_WINDOW;
    if h.sessions > w {
        format!(
            "holds: average {:.1}s over the first {w} sessions, {:.1}s over the last {w}, longest {:.1}s",
            h.first, h.recent, h.longest
        )
    } else {
        format!(
            "holds: average {:.1}s over {}, longest {:.1}s",
            h.first,
            count(h.sessions as u64, "session"),
            h.longest
        )
    }
}

/// `exhale stats`. The journal is folded into the figures as it is read.
pub fn stats(paths: &Paths, args: &StatsArgs) -> Outcome {
    let (journal, settings) = open(paths)?;
    let now = clock::wall_now();
    let mut fold = stats::Fold::new(now, &settings);
    // The assessments come with the same read.
    let found = read_figures(&journal, |entry| match entry {
        Some((f, _)) => fold.add_figures(f),
        None => fold = stats::Fold::new(now, &settings),
    })?;
    let empty = fold.sessions() == 0;
    let s = fold.finish();
    let assessments = found.assessments;
    let mut out = Out::stdout();
    if args.json {
        let mut v = serde_json::to_value(&s).map_err(Failure::invalid)?;
        v["resonance"] = serde_json::json!({
            "rate": assessment::current(&assessments).and_then(|a| a.resonance_rate),
            "assessments": assessments,
        });
        out.json(&v);
    } else if empty {
        writeln!(out, "{}", empty_message(&journal));
    } else {
        write!(out, "{}", stats_text(&s));
    }
    if !args.json {
        if let Some(line) = assessment::summary(&assessments) {
            writeln!(out, "\n{line}");
        }
    }
    out.finish()
}

/// Every resonance assessment, oldest first.
fn assessments(journal: &Store) -> Result<Vec<assessment::Assessment>, Failure> {
    journal
        .assessments()
        .map_err(|e| Failure::invalid(format_args!("cannot read the journal: {e}")))
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

/// Whether `p` is one of the journal's files (or would be, as this
/// machine's own), which no command may write over.
pub fn is_journal_file(journal: &Store, p: &Path) -> bool {
    let own = journal.layout().own_file();
    let files = journal.layout().files().unwrap_or_default();
    std::iter::once(own).chain(files).any(|f| same_file(p, &f))
}

/// The plan's part of the export for the period from `since` to `today`.
fn plan_report<'a>(
    plan: Option<&crate::plan::Plan>,
    entries: &[&Entry],
    checkins: Vec<&'a crate::journal::diary::Diary>,
    since: Option<NaiveDate>,
    today: NaiveDate,
    day_starts_at: u8,
) -> crate::plan::export::Report<'a> {
    use crate::plan::adherence::Done;
    use crate::plan::report;
    let done: Vec<Done> = entries
        .iter()
        .filter_map(|e| Done::of(e, day_starts_at))
        .collect();
    crate::plan::export::Report {
        plan: plan.map(crate::plan::export::PlanHead::of),
        weeks: plan.map_or_else(Vec::new, |p| {
            report::weeks(p, &done, since.unwrap_or(p.from), today)
        }),
        in_the_way: report::obstacles(entries),
        changes: report::changes(entries),
        checkins,
    }
}

/// `exhale export`.
pub fn export(paths: &Paths, args: &ExportArgs) -> Outcome {
    let (journal, settings) = open(paths)?;
    if let Some(out) = &args.output {
        if is_journal_file(&journal, out) {
            return Err(Failure::usage(format_args!(
                "{} is the journal itself (one of its files); choose another file to export to",
                out.display()
            )));
        }
    }
    if args.table != crate::plan::export::Table::Sessions && args.format != Format::Csv {
        return Err(Failure::usage(
            "--table picks one of the CSV tables; use it with --format csv",
        )
        .help("`exhale export --format csv --table plan`"));
    }
    let entries = load(&journal)?;
    let h = settings.day_starts_at;
    let plan = crate::commands::plan::load_active(paths).ok().flatten();
    // With a plan, the report starts where the plan does, unless asked.
    let since = match (args.since, args.all, &plan) {
        (Some(s), _, _) => Some(s),
        (None, false, Some(p)) => Some(p.from),
        _ => None,
    };
    let picked = export::since(&entries, since, h);
    let today = crate::journal::day::journal_day(clock::wall_now(), h);
    let diaries = journal.diaries().unwrap_or_default();
    let checkins: Vec<&crate::journal::diary::Diary> = diaries
        .iter()
        .filter(|d| since.is_none_or(|s| crate::journal::day::journal_day(d.at, h) >= s))
        .collect();
    let report = plan_report(plan.as_ref(), &picked, checkins, since, today, h);
    let text = match args.format {
        Format::Csv if args.table == crate::plan::export::Table::Sessions => {
            export::csv(&picked, h)
        }
        Format::Csv => crate::plan::export::csv(&report, args.table),
        Format::Json => {
            let value = serde_json::json!({
                "sessions": picked,
                "checkins": report.checkins,
                "plan": report.plan,
                "weeks": report.weeks,
                "in_the_way": report.in_the_way,
                "changes": report.changes,
            });
            let mut s = serde_json::to_string_pretty(&value).map_err(Failure::invalid)?;
            s.push('\n');
            s
        }
        Format::Markdown => {
            let mut list = assessments(&journal)?;
            if let Some(since) = since {
                list.retain(|a| crate::journal::day::journal_day(a.date, h) >= since);
            }
            export::markdown(&picked, today, h)
                + &assessment::markdown(&list)
                + &crate::plan::export::markdown(&report)
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
