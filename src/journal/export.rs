//! Exports: CSV (one row per entry), JSON (an array of entries) and a
//! one-page Markdown summary a person can bring to a therapist.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::NaiveDate;

use super::day::journal_day;
use super::entry::{Checkin, Entry, SkipReason};
use crate::engine::player::Ending;

/// The export formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One row per entry.
    Csv,
    /// An array of entries, as stored.
    Json,
    /// A one-page summary: period, days practised, sessions, check-ins, notes.
    Markdown,
}

/// The entries whose journal day is on or after `since`.
pub fn since(entries: &[Entry], since: Option<NaiveDate>, day_starts_at: u8) -> Vec<&Entry> {
    entries
        .iter()
        .filter(|e| since.is_none_or(|s| journal_day(e.started, day_starts_at) >= s))
        .collect()
}

/// One row of the CSV export; its fields, in order, are the columns.
#[derive(serde::Serialize, Default)]
struct CsvRow<'a> {
    started: String,
    day: String,
    session: String,
    title: String,
    ending: &'a str,
    planned_s: u64,
    practised_s: u64,
    cycles: u32,
    rounds: u32,
    holds_s: String,
    holds_capped: String,
    before_score: Option<u8>,
    before_words: String,
    before_skipped: Option<&'a str>,
    after_score: Option<u8>,
    after_words: String,
    after_skipped: Option<&'a str>,
    note: String,
    source_sha256: &'a str,
    before_measures: String,
    after_measures: String,
    in_the_way: String,
    written: String,
}

/// A text cell a spreadsheet will not take for a formula: a leading
/// `=`, `+`, `-` or `@` gets a `'` before it. (Quoting is the csv
/// writer's.)
pub fn cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_owned()
    }
}

impl<'a> CsvRow<'a> {
    fn new(e: &'a Entry, day_starts_at: u8) -> Self {
        let holds: Vec<String> = e.holds_s.iter().map(|h| format!("{h:.1}")).collect();
        let words = |c: &Checkin| cell(c.words.as_deref().unwrap_or(""));
        Self {
            started: e
                .started
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
            day: journal_day(e.started, day_starts_at).to_string(),
            session: cell(&e.session),
            title: cell(&e.title),
            ending: e.ending_word(),
            planned_s: e.planned_s,
            practised_s: e.practised_s,
            cycles: e.cycles,
            rounds: e.rounds,
            holds_s: holds.join(";"),
            holds_capped: (0..e.holds_s.len())
                .map(|i| if e.hold_capped(i) { "yes" } else { "no" })
                .collect::<Vec<_>>()
                .join(";"),
            before_score: e.before.score,
            before_words: words(&e.before),
            before_skipped: e.before.skipped.map(SkipReason::as_str),
            after_score: e.after.score,
            after_words: words(&e.after),
            after_skipped: e.after.skipped.map(SkipReason::as_str),
            note: cell(e.note.as_deref().unwrap_or("")),
            source_sha256: &e.source_sha256,
            before_measures: cell(&super::measure::answers_cell(&e.before.measures)),
            after_measures: cell(&super::measure::answers_cell(&e.after.measures)),
            in_the_way: cell(
                e.in_the_way
                    .as_ref()
                    .and_then(|w| w.answer.as_deref())
                    .unwrap_or(""),
            ),
            written: e
                .written
                .map(|w| w.to_rfc3339_opts(chrono::SecondsFormat::Secs, false))
                .unwrap_or_default(),
        }
    }
}

/// CSV with a header row, one row per entry.
pub fn csv(entries: &[&Entry], day_starts_at: u8) -> String {
    let mut w = writer();
    for e in entries {
        // Writing into memory cannot fail, and every row has the same
        // columns.
        let _ = w.serialize(CsvRow::new(e, day_starts_at));
    }
    if entries.is_empty() {
        // The header alone, so an empty export still names its columns:
        // the writer writes it with the first row, so write a blank row
        // aside and keep its header.
        let mut h = writer();
        let _ = h.serialize(CsvRow::default());
        let text = String::from_utf8(h.into_inner().unwrap_or_default()).unwrap_or_default();
        return text
            .lines()
            .next()
            .map_or_else(String::new, |l| format!("{l}\n"));
    }
    let bytes = w.into_inner().unwrap_or_default();
    String::from_utf8(bytes).unwrap_or_default()
}

/// A CSV writer into memory, with a header row and `\n` line ends.
fn writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new())
}

/// A pretty-printed JSON array of the entries.
pub fn json(entries: &[&Entry]) -> Result<String, serde_json::Error> {
    let mut s = serde_json::to_string_pretty(entries)?;
    s.push('\n');
    Ok(s)
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `s` on one line, with Markdown's special characters escaped, so a
/// note cannot break the page.
pub fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in one_line(s).chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn minutes(seconds: u64) -> String {
    crate::text::length(std::time::Duration::from_secs(seconds))
}

fn describe_checkin(c: &Checkin) -> Option<String> {
    let score = c.score?;
    Some(match c.words.as_deref() {
        Some(w) => format!("{score} ({})", md_escape(w)),
        None => score.to_string(),
    })
}

/// A one-page Markdown summary of `entries` (already filtered to the
/// period), ending on `today`.
pub fn markdown(entries: &[&Entry], today: NaiveDate, day_starts_at: u8) -> String {
    let mut out = String::from("# Breathing practice summary\n\n");
    out.push_str("From exhale, a breathwork and meditation app. Scores are the person's own check-ins, from 0 (very unsettled) to 10 (calm and at ease).\n\n");
    let days: Vec<NaiveDate> = entries
        .iter()
        .map(|e| journal_day(e.started, day_starts_at))
        .collect();
    let Some(first) = days.iter().min().copied() else {
        out.push_str("No sessions recorded in this period.\n");
        return out;
    };
    let last = days.iter().max().copied().unwrap_or(first).max(today);
    let span = (last - first).num_days() + 1;
    let mut practised: Vec<NaiveDate> = entries
        .iter()
        .zip(&days)
        .filter(|(e, _)| e.practised_s > 0)
        .map(|(_, d)| *d)
        .collect();
    practised.sort_unstable();
    practised.dedup();
    let total: u64 = entries.iter().map(|e| e.practised_s).sum();
    let partial = entries
        .iter()
        .filter(|e| e.ending != Ending::Completed)
        .count();

    let _ = writeln!(
        out,
        "- **Period:** {first} to {last} ({})",
        crate::text::count(span, "day")
    );
    let _ = writeln!(out, "- **Days practised:** {} of {span}", practised.len());
    let _ = writeln!(
        out,
        "- **Sessions:** {} ({} ended early), {} in all",
        entries.len(),
        partial,
        minutes(total)
    );

    let with_both: Vec<(u8, u8)> = entries
        .iter()
        .filter_map(|e| Some((e.before.score?, e.after.score?)))
        .collect();
    if with_both.is_empty() {
        out.push_str("- **Check-ins:** none with both a before and an after score\n");
    } else {
        let n = with_both.len() as f64;
        let b = with_both.iter().map(|(b, _)| f64::from(*b)).sum::<f64>() / n;
        let a = with_both.iter().map(|(_, a)| f64::from(*a)).sum::<f64>() / n;
        let _ = writeln!(
            out,
            "- **Check-ins:** on average {b:.1} before and {a:.1} after a session ({}), over {} with both",
            super::stats::signed_change(a - b),
            crate::text::count(with_both.len() as u64, "session")
        );
    }

    let mut per: BTreeMap<&str, (usize, u64)> = BTreeMap::new();
    for e in entries {
        let v = per.entry(e.title.as_str()).or_default();
        v.0 += 1;
        v.1 += e.practised_s;
    }
    let mut per: Vec<_> = per.into_iter().collect();
    per.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(b.0)));
    out.push_str("\n## Sessions\n\n| Session | Times | Time |\n|---|---:|---:|\n");
    for (title, (n, secs)) in per {
        let _ = writeln!(out, "| {} | {n} | {} |", md_escape(title), minutes(secs));
    }

    dated_list(&mut out, entries);

    holds_section(&mut out, entries, day_starts_at);

    // Only the entries with a note: the check-ins' words are in the list.
    let notes: Vec<(&NaiveDate, &&Entry)> = days
        .iter()
        .zip(entries)
        .filter(|(_, e)| e.note.is_some())
        .collect();
    out.push_str("\n## Notes\n\n");
    if notes.is_empty() {
        out.push_str("No notes in this period.\n");
    }
    for (day, e) in notes {
        let mut line = format!("- {day}, {}", md_escape(&e.title));
        let scores: Vec<String> = [("before", &e.before), ("after", &e.after)]
            .iter()
            .filter_map(|(w, c)| describe_checkin(c).map(|d| format!("{w} {d}")))
            .collect();
        if !scores.is_empty() {
            let _ = write!(line, " ({})", scores.join(", "));
        }
        if let Some(n) = &e.note {
            let _ = write!(line, ": {}", md_escape(n));
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// Most sessions listed one by one in the dated list: the latest ones.
const MAX_LIST_ROWS: usize = 60;

/// A check-in in the dated list: the score and its words, the words
/// alone, or a dash.
fn list_checkin(c: &Checkin) -> String {
    match (c.score, c.words.as_deref()) {
        (Some(_), _) => describe_checkin(c).unwrap_or_default(),
        (None, Some(w)) => format!("({})", md_escape(w)),
        (None, None) => "–".to_owned(),
    }
}

/// Every session in order, one line each, for a therapist reading along:
/// the date and time of day, the session, how long, how it ended (and
/// whether phases were skipped or the pace changed), the check-ins before
/// and after, and the note.
fn dated_list(out: &mut String, entries: &[&Entry]) {
    let mut list: Vec<&Entry> = entries.to_vec();
    list.sort_by_key(|e| e.started);
    out.push_str(
        "\n## Session by session\n\nDate and time, session, time practised, how it ended, check-in before → after, note.\n\n",
    );
    let skip = list.len().saturating_sub(MAX_LIST_ROWS);
    for e in &list[skip..] {
        let mut ended = e.ending_word().to_owned();
        if e.skipped > 0 {
            let _ = write!(
                ended,
                ", cut short: {} skipped",
                crate::text::count(e.skipped, "phase")
            );
        }
        for p in &e.pace {
            let _ = write!(ended, ", {}% pace in {}", p.percent, md_escape(&p.title));
        }
        let mut line = format!(
            "- {} · {} · {} · {}",
            e.started.format("%Y-%m-%d %H:%M"),
            md_escape(&e.title),
            minutes(e.practised_s),
            ended
        );
        if e.before.score.is_some()
            || e.after.score.is_some()
            || e.before.words.is_some()
            || e.after.words.is_some()
        {
            let _ = write!(
                line,
                " · {} → {}",
                list_checkin(&e.before),
                list_checkin(&e.after)
            );
        }
        let m = super::measure::short(&e.before.measures, &e.after.measures);
        if !m.is_empty() {
            let _ = write!(line, " · {}", md_escape(&m));
        }
        if let Some(n) = &e.note {
            let _ = write!(line, " · “{}”", md_escape(n));
        }
        out.push_str(&line);
        out.push('\n');
    }
    if skip > 0 {
        let _ = writeln!(
            out,
            "\n{} {} not listed here; the CSV export has every one.",
            crate::text::count(skip as u64, "earlier session"),
            if skip == 1 { "is" } else { "are" }
        );
    }
}

/// Most sessions whose holds are listed one by one, per session: the
/// latest ones; the averages above the table cover them all.
const MAX_HOLD_ROWS: usize = 20;

/// Retention and control-pause holds: for the control pause, the hold is
/// the measure itself. Per session with holds: the averages `stats`
/// shows, then each day's holds.
fn holds_section(out: &mut String, entries: &[&Entry], day_starts_at: u8) {
    let mut per: BTreeMap<&str, Vec<&Entry>> = BTreeMap::new();
    for e in entries.iter().filter(|e| !e.holds_s.is_empty()) {
        per.entry(e.title.as_str()).or_default().push(e);
    }
    if per.is_empty() {
        return;
    }
    out.push_str(
        "\n## Breath holds\n\nHow long each breath hold lasted, in seconds, in the order held.\n",
    );
    for (title, mut list) in per {
        list.sort_by_key(|e| e.started);
        let _ = write!(out, "\n### {}\n\n", md_escape(title));
        let trend = super::stats::hold_trend(
            list.iter()
                .map(|e| (e.started, e.holds_s.as_slice()))
                .collect(),
        );
        if let Some(t) = trend {
            let n = t.sessions;
            let w = super::stats::TREND_WINDOW;
            if n > w {
                let _ = writeln!(
                    out,
                    "Average hold: {:.1} s over the first {w} sessions, {:.1} s over the latest {w}. Longest: {:.1} s. {n} sessions in all.",
                    t.first, t.recent, t.longest
                );
            } else {
                let _ = writeln!(
                    out,
                    "Average hold: {:.1} s. Longest: {:.1} s. {} in all.",
                    t.first,
                    t.longest,
                    crate::text::count(n as u64, "session")
                );
            }
        }
        out.push_str("\n| Day | Holds (s) |\n|---|---|\n");
        let skip = list.len().saturating_sub(MAX_HOLD_ROWS);
        let mut any_capped = false;
        for e in &list[skip..] {
            let holds: Vec<String> = e
                .holds_s
                .iter()
                .enumerate()
                .map(|(i, h)| {
                    if e.hold_capped(i) {
                        any_capped = true;
                        format!("{h:.1} (cap)")
                    } else {
                        format!("{h:.1}")
                    }
                })
                .collect();
            let _ = writeln!(
                out,
                "| {} | {} |",
                journal_day(e.started, day_starts_at),
                holds.join(", ")
            );
        }
        if any_capped {
            out.push_str(
                "\n(cap): the hold reached its cap and ended by itself, rather than being ended when the urge to breathe came.\n",
            );
        }
        if skip > 0 {
            let _ = writeln!(
                out,
                "\n{} {} not listed here; the CSV export has every one.",
                crate::text::count(skip as u64, "earlier session"),
                if skip == 1 { "is" } else { "are" }
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_guards_cells() {
        assert_eq!(cell("plain"), "plain");
        assert_eq!(cell("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(cell("-3"), "'-3");
        let mut e = entry(3, "Box", &[23.44, 31.0]);
        e.title = "say \"hi\", =then".into();
        e.note = Some("=cmd|' /C calc'!A0\nsecond line".into());
        e.before = Checkin::answered(4, Some("a bit, tense".into()));
        e.after = Checkin::skipped(SkipReason::Skipped);
        let text = csv(&[&e], 4);
        let mut lines = text.lines();
        assert_eq!(
            lines.next(),
            Some(
                "started,day,session,title,ending,planned_s,practised_s,cycles,rounds,holds_s,holds_capped,before_score,before_words,before_skipped,after_score,after_words,after_skipped,note,source_sha256,before_measures,after_measures,in_the_way,written"
            )
        );
        assert_eq!(
            text.split_once('\n').map(|(_, rows)| rows),
            Some(
                "2026-10-03T07:30:00+01:00,2026-10-03,box,\"say \"\"hi\"\", =then\",completed,300,300,0,2,23.4;31.0,no;no,4,\"a bit, tense\",,,,skipped,\"'=cmd|' /C calc'!A0\nsecond line\",,,,,\n"
            )
        );
        // A spreadsheet reads the same cells back.
        let mut r = ::csv::Reader::from_reader(text.as_bytes());
        let row = r.records().next().expect("a row").expect("valid csv");
        assert_eq!(&row[3], "say \"hi\", =then");
        assert_eq!(&row[17], "'=cmd|' /C calc'!A0\nsecond line");
    }

    #[test]
    fn an_empty_export_still_names_its_columns() {
        let text = csv(&[], 4);
        assert!(text.starts_with("started,day,session,"), "{text}");
        assert!(
            text.ends_with(
                ",note,source_sha256,before_measures,after_measures,in_the_way,written\n"
            ),
            "{text}"
        );
        assert_eq!(text.lines().count(), 1);
    }

    fn entry(day: u32, title: &str, holds: &[f64]) -> Entry {
        Entry {
            v: 1,
            kind: super::super::entry::SessionKind,
            id: super::super::Id::NIL,
            machine: None,
            started: chrono::DateTime::parse_from_rfc3339(&format!(
                "2026-10-{day:02}T07:30:00+01:00"
            ))
            .expect("date"),
            session: title.to_lowercase().replace(' ', "-"),
            title: title.into(),
            source_sha256: String::new(),
            planned_s: 300,
            practised_s: 300,
            ending: Ending::Completed,
            cycles: 0,
            rounds: u32::try_from(holds.len()).unwrap_or_default(),
            holds_s: holds.to_vec(),
            holds_capped: Vec::new(),
            skipped: 0,
            pace: Vec::new(),
            before: Checkin::default(),
            after: Checkin::default(),
            note: None,
            written: None,
            in_the_way: None,
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 10, 31).expect("date")
    }

    #[test]
    fn a_hold_that_reached_its_cap_is_marked_in_the_export() {
        let mut e = entry(2, "Control pause", &[21.0, 90.0]);
        e.holds_capped = vec![false, true];
        let md = markdown(&[&e], today(), 4);
        assert!(md.contains("| 2026-10-02 | 21.0, 90.0 (cap) |"), "{md}");
        assert!(md.contains("reached its cap and ended by itself"), "{md}");
        let text = csv(&[&e], 4);
        assert!(text.contains(",21.0;90.0,no;yes,"), "{text}");
        // Without a capped hold, nothing is marked.
        let plain = entry(3, "Control pause", &[21.0]);
        assert!(!markdown(&[&plain], today(), 4).contains("(cap)"));
    }

    #[test]
    fn a_short_session_shows_its_seconds_not_zero_minutes() {
        let mut short = entry(2, "Box breathing", &[]);
        short.practised_s = 40;
        let md = markdown(&[&short], today(), 4);
        assert!(md.contains("40s in all"), "{md}");
        assert!(md.contains("| Box breathing | 1 | 40s |"), "{md}");
        assert!(!md.contains("0 minutes"), "{md}");
    }

    #[test]
    fn markdown_lists_the_hold_lengths_of_each_session_with_holds() {
        let entries = [
            entry(2, "Control pause", &[21.0, 23.5, 22.0]),
            entry(3, "Box breathing", &[]),
            entry(4, "Control pause", &[25.0, 26.0, 27.0]),
        ];
        let refs: Vec<&Entry> = entries.iter().collect();
        let md = markdown(&refs, today(), 4);
        let section = md
            .split("## Breath holds")
            .nth(1)
            .unwrap_or_else(|| panic!("no holds section:\n{md}"));
        assert!(section.contains("### Control pause\n"), "{md}");
        assert!(
            section.contains("Average hold: 24.1 s. Longest: 27.0 s. 2 sessions in all."),
            "{md}"
        );
        assert!(
            section
                .contains("| 2026-10-02 | 21.0, 23.5, 22.0 |\n| 2026-10-04 | 25.0, 26.0, 27.0 |"),
            "{md}"
        );
        assert!(!section.contains("Box breathing"), "{md}");
    }

    #[test]
    fn markdown_compares_first_and_latest_holds_and_lists_only_the_latest() {
        let entries: Vec<Entry> = (1..=30)
            .map(|d| entry(d, "Control pause", &[f64::from(d) + 10.0]))
            .collect();
        let refs: Vec<&Entry> = entries.iter().collect();
        let md = markdown(&refs, today(), 4);
        assert!(
            md.contains("Average hold: 13.0 s over the first 5 sessions, 38.0 s over the latest 5. Longest: 40.0 s. 30 sessions in all."),
            "{md}"
        );
        assert!(md.contains("| 2026-10-11 | 21.0 |"), "{md}");
        assert!(md.contains("| 2026-10-30 | 40.0 |"), "{md}");
        assert!(!md.contains("| 2026-10-10 |"), "{md}");
        assert!(
            md.contains("10 earlier sessions are not listed here"),
            "{md}"
        );
    }

    #[test]
    fn markdown_without_holds_has_no_holds_section() {
        let entries = [entry(3, "Box breathing", &[])];
        let refs: Vec<&Entry> = entries.iter().collect();
        assert!(!markdown(&refs, today(), 4).contains("Breath holds"));
    }

    #[test]
    fn markdown_lists_each_session_with_its_date_time_ending_check_ins_and_note() {
        let mut a = entry(3, "Box breathing", &[]);
        a.before = Checkin::answered(4, Some("tense".into()));
        a.after = Checkin::answered(7, None);
        a.note = Some("shoulders dropped".into());
        let mut b = entry(2, "Resonance", &[]);
        b.ending = Ending::Stopped;
        b.practised_s = 120;
        let mut c = entry(4, "Body scan", &[]);
        c.skipped = 2;
        c.after = Checkin {
            score: None,
            words: Some("sleepy".into()),
            skipped: None,
            measures: std::collections::BTreeMap::default(),
        };
        let entries = [a, b, c];
        let refs: Vec<&Entry> = entries.iter().collect();
        let md = markdown(&refs, today(), 4);
        let list = md
            .split("## Session by session")
            .nth(1)
            .and_then(|s| s.split("\n## ").next())
            .unwrap_or_else(|| panic!("no list:\n{md}"));
        let rows: Vec<&str> = list.lines().filter(|l| l.starts_with("- ")).collect();
        assert_eq!(rows.len(), 3, "{md}");
        assert!(
            rows[0].starts_with("- 2026-10-02 07:30 · Resonance · "),
            "{md}"
        );
        assert!(rows[0].ends_with(" · stopped"), "{md}");
        assert!(
            rows[1].starts_with("- 2026-10-03 07:30 · Box breathing · "),
            "{md}"
        );
        assert!(
            rows[1].ends_with(" · completed · 4 (tense) → 7 · “shoulders dropped”"),
            "{md}"
        );
        assert!(
            rows[2].ends_with(" · completed, cut short: 2 phases skipped · – → (sleepy)"),
            "{md}"
        );
        // The notes section lists only the entry with a note.
        let notes = md.split("## Notes").nth(1).expect("notes");
        assert_eq!(
            notes.lines().filter(|l| l.starts_with("- ")).count(),
            1,
            "{md}"
        );
        assert!(notes.contains("Box breathing"), "{md}");
    }

    #[test]
    fn markdown_text_cannot_break_the_page() {
        assert_eq!(md_escape("a | b\n# c"), "a \\| b \\# c");
    }
}
