//! Stats and exports over a generated journal of five years of daily
//! practice. The generator is deterministic; every expected number is
//! worked out here from the generator's own day numbers, not from the
//! stats code and not copied from its output.

use std::collections::{BTreeMap, BTreeSet};
use std::process::{Command, Stdio};

use chrono::{DateTime, Datelike as _, FixedOffset, NaiveDate, TimeDelta, TimeZone as _};
use exhale::engine::player::Ending;
use exhale::journal::entry::sha256_hex;
use exhale::journal::stats::compute;
use exhale::journal::{Checkin, Entry, JournalSettings, SkipReason};
use tempfile::TempDir;

const DAYS: u32 = 5 * 365 + 1;

/// One generated entry and the journal day (index) it belongs to.
struct Gen {
    day: u32,
    entry: Entry,
}

fn offset(i: u32) -> FixedOffset {
    if (i / 30) % 2 == 0 {
        FixedOffset::east_opt(3600).expect("offset")
    } else {
        FixedOffset::west_opt(5 * 3600).expect("offset")
    }
}

fn at(date: NaiveDate, h: u32, m: u32, off: FixedOffset) -> DateTime<FixedOffset> {
    off.from_local_datetime(&date.and_hms_opt(h, m, 0).expect("time"))
        .single()
        .expect("fixed offset")
}

fn practises(i: u32) -> bool {
    i % 11 != 3
}

/// Five years of practice ending on `last` (a journal day).
fn generate(last: NaiveDate) -> Vec<Gen> {
    let mut out = Vec::new();
    let mut holds_k = 0u32;
    for i in 0..DAYS {
        if !practises(i) {
            continue;
        }
        let date = last - TimeDelta::days(i64::from(DAYS - 1 - i));
        let off = offset(i);
        // Every tenth day the session is at 1:30 the next morning, which
        // still counts for this day (days start at 4 a.m.).
        let started = if i % 10 == 0 {
            at(date + TimeDelta::days(1), 1, 30, off)
        } else {
            at(date, 7 + i % 5, 15, off)
        };
        let (session, title) = match i % 3 {
            0 => ("box", "Box breathing"),
            1 => ("resonance", "Resonance breathing"),
            _ => ("control-pause", "Control pause"),
        };
        let stopped = i % 5 == 0;
        let practised = if stopped {
            120 + (i % 3) * 30
        } else {
            300 + (i % 7) * 45
        };
        let holds = if session == "control-pause" {
            let k = holds_k;
            holds_k += 1;
            vec![f64::from(150 + k) / 10.0, f64::from(160 + k) / 10.0]
        } else {
            vec![]
        };
        let (before, after) = if i % 9 == 0 {
            (
                Checkin::skipped(SkipReason::Skipped),
                Checkin::skipped(SkipReason::Skipped),
            )
        } else {
            let b = (i % 6 + 2) as u8;
            let a = if i % 13 == 0 {
                Checkin::skipped(SkipReason::Skipped)
            } else {
                Checkin::answered((b + (i % 4) as u8).min(10), Some("lighter".into()))
            };
            (Checkin::answered(b, Some("tense".into())), a)
        };
        out.push(Gen {
            day: i,
            entry: Entry {
                v: 1,
                kind: exhale::journal::entry::SessionKind,
                id: exhale::journal::Id::NIL,
                machine: None,
                started,
                session: session.into(),
                title: title.into(),
                source_sha256: sha256_hex(session.as_bytes()),
                planned_s: 600,
                practised_s: u64::from(practised),
                ending: if stopped {
                    Ending::Stopped
                } else {
                    Ending::Completed
                },
                cycles: practised / 10,
                rounds: if holds.is_empty() { 0 } else { 2 },
                holds_s: holds,
                holds_capped: Vec::new(),
                skipped: 0,
                pace: Vec::new(),
                before,
                after,
                note: (i % 17 == 0).then(|| format!("day {i}: noticed the breath slow")),
                written: None,
                in_the_way: None,
            },
        });
        // Some evenings a short second session, check-ins turned off.
        if i % 4 == 1 {
            out.push(Gen {
                day: i,
                entry: Entry {
                    v: 1,
                    kind: exhale::journal::entry::SessionKind,
                    id: exhale::journal::Id::NIL,
                    machine: None,
                    started: at(date, 21, 0, off),
                    session: "sigh".into(),
                    title: "Physiological sigh".into(),
                    source_sha256: sha256_hex(b"sigh"),
                    planned_s: 120,
                    practised_s: 120,
                    ending: Ending::Completed,
                    cycles: 12,
                    rounds: 0,
                    holds_s: vec![],
                    holds_capped: Vec::new(),
                    skipped: 0,
                    pace: Vec::new(),
                    before: Checkin::skipped(SkipReason::Disabled),
                    after: Checkin::skipped(SkipReason::Disabled),
                    note: None,
                    written: None,
                    in_the_way: None,
                },
            });
        }
    }
    out
}

fn last_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).expect("date") // a Thursday
}

fn day_date(last: NaiveDate, i: u32) -> NaiveDate {
    last - TimeDelta::days(i64::from(DAYS - 1 - i))
}

/// Expected minutes per journal day (by generator index).
fn seconds_by_day(g: &[Gen]) -> BTreeMap<u32, u64> {
    let mut m = BTreeMap::new();
    for x in g {
        *m.entry(x.day).or_insert(0) += x.entry.practised_s;
    }
    m
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn five_years_of_daily_practice() {
    let last = last_day();
    let g = generate(last);
    let entries: Vec<Entry> = g.iter().map(|x| x.entry.clone()).collect();
    let now = at(last, 23, 0, FixedOffset::east_opt(3600).expect("offset"));
    let s = compute(&entries, now, &JournalSettings::default());

    assert_eq!(s.today, last);
    assert_eq!(s.sessions, g.len());
    let by_day = seconds_by_day(&g);

    // The last 30 days.
    let window: Vec<u32> = (DAYS - 30..DAYS).collect();
    let practised_days = window.iter().filter(|i| practises(**i)).count();
    assert_eq!(s.days_practised, practised_days);
    assert_eq!(s.days.len(), 30);
    for (d, i) in s.days.iter().zip(&window) {
        assert_eq!(d.day, day_date(last, *i));
        let want = by_day.get(i).copied().unwrap_or(0) as f64 / 60.0;
        assert!(close(d.minutes, want), "{}: {} vs {want}", d.day, d.minutes);
    }

    // Eight weeks, Monday to Sunday, this week last.
    let this_monday = last - TimeDelta::days(i64::from(last.weekday().num_days_from_monday()));
    assert_eq!(this_monday.weekday(), chrono::Weekday::Mon);
    assert_eq!(s.weeks.len(), 8);
    for (k, w) in s.weeks.iter().enumerate() {
        let monday = this_monday - TimeDelta::weeks(7 - i64::from(k as u32));
        assert_eq!(w.starts, monday);
        let mut secs = 0;
        let mut n = 0;
        for x in &g {
            let d = day_date(last, x.day);
            if d >= monday && d < monday + TimeDelta::days(7) {
                secs += x.entry.practised_s;
                n += 1;
            }
        }
        assert!(close(w.minutes, secs as f64 / 60.0), "week {monday}");
        assert_eq!(w.sessions, n, "week {monday}");
    }

    // Check-ins: only sessions with both scores.
    let pairs: Vec<(f64, f64)> = (0..DAYS)
        .filter(|i| practises(*i) && i % 9 != 0 && i % 13 != 0)
        .map(|i| {
            let b = f64::from(i % 6 + 2);
            (b, (b + f64::from(i % 4)).min(10.0))
        })
        .collect();
    let c = s.checkins.as_ref().expect("check-ins");
    assert_eq!(c.sessions, pairs.len());
    let n = pairs.len() as f64;
    assert!(close(c.before, pairs.iter().map(|p| p.0).sum::<f64>() / n));
    assert!(close(c.after, pairs.iter().map(|p| p.1).sum::<f64>() / n));
    assert!(close(
        c.change,
        pairs.iter().map(|p| p.1 - p.0).sum::<f64>() / n
    ));

    // Per session.
    let count = |r: u32| (0..DAYS).filter(|i| practises(*i) && i % 3 == r).count();
    let sigh_count = (0..DAYS).filter(|i| practises(*i) && i % 4 == 1).count();
    let per: BTreeMap<&str, usize> = s
        .per_session
        .iter()
        .map(|p| (p.session.as_str(), p.count))
        .collect();
    assert_eq!(per["box"], count(0));
    assert_eq!(per["resonance"], count(1));
    assert_eq!(per["control-pause"], count(2));
    assert_eq!(per["sigh"], sigh_count);
    let sigh = s
        .per_session
        .iter()
        .find(|p| p.session == "sigh")
        .expect("sigh");
    assert!(sigh.checkins.is_none());
    assert!(close(sigh.minutes, sigh_count as f64 * 2.0));

    // Holds: control-pause hold k is 15.0+k/10 and 16.0+k/10.
    let cp = count(2) as u32;
    let mean = |ks: std::ops::Range<u32>| {
        let len = f64::from(ks.end - ks.start);
        ks.map(|k| (f64::from(150 + k) + f64::from(160 + k)) / 20.0)
            .sum::<f64>()
            / len
    };
    let holds = s
        .per_session
        .iter()
        .find(|p| p.session == "control-pause")
        .and_then(|p| p.holds.clone())
        .expect("holds");
    assert_eq!(holds.sessions, cp as usize);
    assert!(close(holds.first, mean(0..5)), "{}", holds.first);
    assert!(close(holds.recent, mean(cp - 5..cp)), "{}", holds.recent);
    assert!(close(holds.longest, f64::from(160 + cp - 1) / 10.0));
    assert!(
        s.per_session
            .iter()
            .filter(|p| p.session != "control-pause")
            .all(|p| p.holds.is_none())
    );

    // No streak unless asked for.
    assert_eq!(s.streak, None);
}

#[test]
fn streaks_only_when_turned_on_and_count_back_from_today() {
    let last = last_day();
    let g = generate(last);
    let entries: Vec<Entry> = g.iter().map(|x| x.entry.clone()).collect();
    let now = at(last, 23, 0, FixedOffset::east_opt(3600).expect("offset"));
    let settings = JournalSettings {
        streaks: true,
        ..JournalSettings::default()
    };
    let s = compute(&entries, now, &settings);
    let mut want = 0;
    let mut i = DAYS - 1;
    while practises(i) {
        want += 1;
        i -= 1;
    }
    assert_eq!(s.streak, Some(want));
}

#[test]
fn a_day_starting_at_midnight_moves_the_late_sessions() {
    let last = last_day();
    let g = generate(last);
    let entries: Vec<Entry> = g.iter().map(|x| x.entry.clone()).collect();
    let now = at(last, 23, 0, FixedOffset::east_opt(3600).expect("offset"));
    let midnight = JournalSettings {
        day_starts_at: 0,
        ..JournalSettings::default()
    };
    let s = compute(&entries, now, &midnight);
    // With calendar days, a 1:30 session belongs to the next date.
    let mut secs: BTreeMap<NaiveDate, u64> = BTreeMap::new();
    for x in &g {
        let d = day_date(last, x.day)
            + TimeDelta::days(i64::from(x.day % 10 == 0 && x.entry.session != "sigh"));
        *secs.entry(d).or_default() += x.entry.practised_s;
    }
    for d in &s.days {
        let want = secs.get(&d.day).copied().unwrap_or(0) as f64 / 60.0;
        assert!(close(d.minutes, want), "{}", d.day);
    }
}

/// The binary, on a journal ending today (UTC, days from 4 a.m.).
#[test]
fn stats_and_export_through_the_binary() {
    let dir = TempDir::new().expect("tempdir");
    let today = (chrono::Utc::now() - TimeDelta::hours(4)).date_naive();
    let g = generate(today);
    let journal = dir.path().join("data/exhale/journal/test.jsonl");
    std::fs::create_dir_all(journal.parent().expect("dir")).expect("mkdir");
    let mut text = String::new();
    for x in &g {
        text.push_str(&x.entry.to_line().expect("json"));
    }
    std::fs::write(&journal, &text).expect("write");
    let exhale = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_exhale"))
            .args(args)
            .env("XDG_DATA_HOME", dir.path().join("data"))
            .env("EXHALE_MACHINE", "test")
            .env("XDG_CONFIG_HOME", dir.path().join("config"))
            .env("HOME", dir.path())
            .env("TZ", "UTC")
            .stdin(Stdio::null())
            .output()
            .expect("run");
        assert!(out.status.success(), "{args:?}: {out:?}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("warning"), "{stderr}");
        String::from_utf8(out.stdout).expect("utf8")
    };

    let stats: serde_json::Value =
        serde_json::from_str(&exhale(&["stats", "--json"])).expect("json");
    let practised_days = (DAYS - 30..DAYS).filter(|i| practises(*i)).count();
    assert_eq!(stats["days_practised"], practised_days);
    assert_eq!(stats["sessions"], g.len());
    let total: u64 = g.iter().map(|x| x.entry.practised_s).sum();
    assert!(close(
        stats["total_minutes"].as_f64().expect("f64"),
        total as f64 / 60.0
    ));
    let text_stats = exhale(&["stats"]);
    assert!(
        text_stats.contains(&format!(
            "Practised on {practised_days} of the last 30 days"
        )),
        "{text_stats}"
    );
    assert!(!text_stats.to_lowercase().contains("streak"));

    // CSV from a date: one row per entry on or after it, plus the header.
    let since = today - TimeDelta::days(99);
    let want_rows = g.iter().filter(|x| day_date(today, x.day) >= since).count();
    let csv = exhale(&["export", "--format", "csv", "--since", &since.to_string()]);
    assert_eq!(csv.lines().count(), want_rows + 1);
    assert!(csv.starts_with("started,day,session,"));

    let json: serde_json::Value = serde_json::from_str(&exhale(&[
        "export",
        "--format",
        "json",
        "--since",
        &since.to_string(),
    ]))
    .expect("json");
    let sessions: Vec<Entry> =
        serde_json::from_value(json["sessions"].clone()).expect("the sessions");
    assert_eq!(sessions.len(), want_rows);

    // The summary for a therapist.
    let out_file = dir.path().join("summary.md");
    exhale(&[
        "export",
        "--since",
        &since.to_string(),
        "-o",
        out_file.to_str().expect("utf8"),
    ]);
    let md = std::fs::read_to_string(&out_file).expect("summary");
    let days: BTreeSet<u32> = g
        .iter()
        .filter(|x| day_date(today, x.day) >= since)
        .map(|x| x.day)
        .collect();
    assert!(
        md.contains(&format!("**Period:** {since} to {today} (100 days)")),
        "{md}"
    );
    assert!(
        md.contains(&format!("**Days practised:** {} of 100", days.len())),
        "{md}"
    );
    let box_n = g
        .iter()
        .filter(|x| day_date(today, x.day) >= since && x.entry.session == "box")
        .count();
    assert!(md.contains(&format!("| Box breathing | {box_n} |")), "{md}");
    for x in g.iter().filter(|x| day_date(today, x.day) >= since) {
        if let Some(n) = &x.entry.note {
            let line = format!("- {}, {}", day_date(today, x.day), x.entry.title);
            let noted = md
                .lines()
                .any(|l| l.starts_with(&line) && l.ends_with(&format!(": {n}")));
            assert!(noted, "no line {line}…: {n}\n{md}");
        }
    }
    // Overwriting an earlier export is normal.
    exhale(&[
        "export",
        "--format",
        "csv",
        "-o",
        out_file.to_str().expect("utf8"),
    ]);
    assert!(
        std::fs::read_to_string(&out_file)
            .expect("csv")
            .starts_with("started,")
    );
    // And the journal is untouched.
    assert_eq!(std::fs::read_to_string(&journal).expect("journal"), text);
}

/// A change that rounds to nothing reads `0.0`, never `-0.0`, in the
/// Markdown export, `exhale stats` and the stats screen.
#[test]
fn a_change_too_small_to_show_has_no_minus_sign() {
    let t0 = DateTime::parse_from_rfc3339("2026-03-01T08:00:00+01:00").expect("date");
    // 29 sessions from 5 to 5 and one from 5 to 4: a change of -0.03.
    let entries: Vec<Entry> = (0..30)
        .map(|i| Entry {
            v: 1,
            kind: exhale::journal::entry::SessionKind,
            id: exhale::journal::Id::NIL,
            machine: None,
            started: t0 + TimeDelta::days(i),
            session: "box".into(),
            title: "Box breathing".into(),
            source_sha256: sha256_hex(b"box"),
            planned_s: 300,
            practised_s: 300,
            ending: Ending::Completed,
            skipped: 0,
            pace: Vec::new(),
            cycles: 18,
            rounds: 0,
            holds_s: vec![],
            holds_capped: Vec::new(),
            before: Checkin::answered(5, None),
            after: Checkin::answered(if i == 0 { 4 } else { 5 }, None),
            note: None,
            written: None,
            in_the_way: None,
        })
        .collect();
    let refs: Vec<&Entry> = entries.iter().collect();
    let today = NaiveDate::from_ymd_opt(2026, 4, 1).expect("date");
    let md = exhale::journal::export::markdown(&refs, today, 4);
    assert!(
        md.contains("on average 5.0 before and 5.0 after a session (0.0), over 30 sessions"),
        "{md}"
    );
    let s = compute(
        &entries,
        t0 + TimeDelta::days(31),
        &JournalSettings::default(),
    );
    let text = exhale::commands::journal::stats_text(&s);
    assert!(text.contains("check-ins 0.0"), "{text}");
    let line = exhale::journal::stats::checkin_line(&s);
    assert!(line.contains("(0.0)"), "{line}");
    for shown in [&md, &text, &line] {
        assert!(!shown.contains("-0.0"), "{shown}");
    }
}

/// A long title is cut short in `history` and `stats`, so the columns
/// after it stay in line.
#[test]
fn history_and_stats_columns_stay_aligned_with_long_titles() {
    let t0 = DateTime::parse_from_rfc3339("2026-03-01T08:00:00+01:00").expect("date");
    let entries: Vec<Entry> = ["Box", "A very long title for an evening wind-down practice"]
        .iter()
        .enumerate()
        .map(|(i, title)| Entry {
            v: 1,
            kind: exhale::journal::entry::SessionKind,
            id: exhale::journal::Id::NIL,
            machine: None,
            started: t0 + TimeDelta::days(i64::try_from(i).unwrap_or_default()),
            session: format!("s{i}"),
            title: (*title).into(),
            source_sha256: sha256_hex(b"x"),
            planned_s: 300,
            practised_s: 300,
            ending: Ending::Completed,
            skipped: 0,
            pace: Vec::new(),
            cycles: 18,
            rounds: 0,
            holds_s: vec![],
            holds_capped: Vec::new(),
            before: Checkin::default(),
            after: Checkin::default(),
            note: None,
            written: None,
            in_the_way: None,
        })
        .collect();
    let lines: Vec<String> = entries
        .iter()
        .map(exhale::commands::journal::history_line)
        .collect();
    let col = |l: &str| l.find("completed").map(|b| l[..b].chars().count());
    assert_eq!(col(&lines[0]), col(&lines[1]), "{lines:#?}");
    assert!(lines[1].contains("A very long title for a…"), "{lines:#?}");
    let s = compute(
        &entries,
        t0 + TimeDelta::days(3),
        &JournalSettings::default(),
    );
    let text = exhale::commands::journal::stats_text(&s);
    let rows: Vec<&str> = text.lines().filter(|l| l.contains(" time")).collect();
    let col = |l: &str| l.find(" time").map(|b| l[..b].chars().count());
    assert_eq!(rows.len(), 2, "{text}");
    assert_eq!(col(rows[0]), col(rows[1]), "{text}");
}
