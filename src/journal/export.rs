//! Exports: CSV (one row per entry), JSON (an array of entries) and a
//! one-page Markdown summary a person can bring to a therapist.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use chrono::NaiveDate;

use super::day::journal_day;
use super::entry::{Checkin, Entry};
use crate::player::Ending;

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

const CSV_HEADER: &str = "started,day,session,title,ending,planned_s,practised_s,cycles,rounds,holds_s,before_score,before_words,before_skipped,after_score,after_words,after_skipped,note,source_sha256";

fn csv_field(s: &str) -> String {
    // A leading = + - @ would make a spreadsheet read the cell as a formula.
    let guarded = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

fn checkin_cells(c: &Checkin) -> [String; 3] {
    [
        c.score.map(|s| s.to_string()).unwrap_or_default(),
        csv_field(c.words.as_deref().unwrap_or("")),
        c.skipped.map(|r| r.as_str().to_owned()).unwrap_or_default(),
    ]
}

/// CSV with a header row, one row per entry.
pub fn csv(entries: &[&Entry], day_starts_at: u8) -> String {
    let mut out = String::from(CSV_HEADER);
    out.push('\n');
    for e in entries {
        let holds: Vec<String> = e.holds_s.iter().map(|h| format!("{h:.1}")).collect();
        let [bs, bw, bk] = checkin_cells(&e.before);
        let [a_s, aw, ak] = checkin_cells(&e.after);
        let row = [
            e.started
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, false),
            journal_day(e.started, day_starts_at).to_string(),
            csv_field(&e.session),
            csv_field(&e.title),
            e.ending_word().to_owned(),
            e.planned_s.to_string(),
            e.practised_s.to_string(),
            e.cycles.to_string(),
            e.rounds.to_string(),
            holds.join(";"),
            bs,
            bw,
            bk,
            a_s,
            aw,
            ak,
            csv_field(e.note.as_deref().unwrap_or("")),
            e.source_sha256.clone(),
        ];
        out.push_str(&row.join(","));
        out.push('\n');
    }
    out
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

fn md_escape(s: &str) -> String {
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
    let m = (seconds as f64 / 60.0).round() as u64;
    if m == 1 {
        "1 minute".into()
    } else {
        format!("{m} minutes")
    }
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
        "- **Period:** {first} to {last} ({span} day{})",
        if span == 1 { "" } else { "s" }
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
            "- **Check-ins:** on average {b:.1} before and {a:.1} after a session ({:+.1}), over {} sessions with both",
            a - b,
            with_both.len()
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
    out.push_str("\n## Sessions\n\n| Session | Times | Minutes |\n|---|---:|---:|\n");
    for (title, (n, secs)) in per {
        let _ = writeln!(
            out,
            "| {} | {n} | {} |",
            md_escape(title),
            (secs as f64 / 60.0).round()
        );
    }

    let notes: Vec<(&NaiveDate, &&Entry)> = days
        .iter()
        .zip(entries)
        .filter(|(_, e)| e.note.is_some() || e.before.words.is_some() || e.after.words.is_some())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quotes_and_guards_cells() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("=SUM(A1)"), "'=SUM(A1)");
    }

    #[test]
    fn markdown_text_cannot_break_the_page() {
        assert_eq!(md_escape("a | b\n# c"), "a \\| b \\# c");
    }
}
