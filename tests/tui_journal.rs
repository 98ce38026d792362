//! The journal in the full-screen app, driven through `update` at injected
//! instants: the check-ins before and after a session, one entry for every
//! session (completed, stopped, interrupted by a signal), what the summary
//! says when saving works or fails, and the stats screen from the picker.

mod tui_common;

use std::time::Instant;

use chrono::{DateTime, FixedOffset, TimeDelta};
use exhale::audio::Recorder;
use exhale::engine::player::{Ending, Outcome};
use exhale::journal::entry::{SessionInfo, sha256_hex};
use exhale::journal::store::FailingJournal;
use exhale::journal::{Checkin, Entry, FileJournal, Journal, JournalSettings, SkipReason};
use exhale::signals::Signal;
use exhale::tui::app::SUMMARY_GRACE;
use exhale::tui::journaling::{JournalHook, Saved};
use exhale::tui::picker::Item;
use exhale::tui::{App, Msg, Picker, Screen};
use ratatui::crossterm::event::KeyCode;
use tui_common::*;

fn wall() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-28T07:30:00+01:00").expect("date")
}

fn settings(checkins: bool) -> JournalSettings {
    JournalSettings {
        checkins,
        ..JournalSettings::default()
    }
}

const SOURCE: &[u8] = b"the session file";

/// `exhale run` of a 2-cycle box (32 s) recording into `journal`.
fn app_with(journal: Box<dyn Journal>, checkins: bool, t0: Instant) -> App {
    let p = prepared(BOX, &opts()).with_source(SOURCE);
    let hook = JournalHook::new(journal, settings(checkins)).with_wall_clock(wall);
    App::with_session_journal(p, Box::new(Recorder::default()), opts(), hook, t0)
}

fn typed(app: &mut App, s: &str, now: Instant) {
    for c in s.chars() {
        app.update(ch(c), now);
    }
}

fn screen_text(app: &App, now: Instant) -> String {
    text(&buffer(app, now))
}

#[test]
fn check_in_before_then_after_with_a_note_and_one_entry() {
    let t0 = Instant::now();
    let journal = Shared::default();
    let mut app = app_with(Box::new(journal.clone()), true, t0);
    assert!(matches!(app.screen, Screen::CheckinBefore(_)));
    insta::assert_snapshot!(
        "before_checkin_in_the_app",
        draw(&app, t0, 80, 24).backend()
    );

    // A digit, a word and Enter: the session begins.
    typed(&mut app, "4 tense", t0);
    app.update(key(KeyCode::Enter), t0 + secs(1.0));
    assert!(matches!(app.screen, Screen::Session(_)));
    assert!(journal.entries().is_empty(), "nothing written mid-session");

    // To the end: the check-in after, with how it went.
    let end = t0 + secs(33.5);
    app.update(Msg::Tick, end);
    assert!(matches!(app.screen, Screen::CheckinAfter(_)));
    typed(&mut app, "7", end);
    app.update(key(KeyCode::Enter), end);
    typed(&mut app, "slower breath", end);
    insta::assert_snapshot!(
        "after_checkin_in_the_app",
        draw(&app, end, 80, 24).backend()
    );
    app.update(key(KeyCode::Enter), end);

    let Screen::Summary(s) = &app.screen else {
        panic!("expected the summary, found {:?}", app.screen);
    };
    assert_eq!(s.saved, Some(Saved::Saved));
    assert!(screen_text(&app, end).contains("Saved to your journal"));

    let entries = journal.entries();
    assert_eq!(entries.len(), 1);
    let e = &entries[0];
    assert_eq!(e.ending, Ending::Completed);
    assert_eq!(e.before, Checkin::answered(4, Some("tense".into())));
    assert_eq!(e.after, Checkin::answered(7, None));
    assert_eq!(e.note.as_deref(), Some("slower breath"));
    assert_eq!((e.session.as_str(), e.title.as_str()), ("test", "Box"));
    assert_eq!(e.source_sha256, sha256_hex(SOURCE));
    assert_eq!((e.planned_s, e.practised_s, e.cycles), (32, 32, 2));
    assert_eq!(e.started, wall());
}

#[test]
fn esc_skips_both_check_ins() {
    let t0 = Instant::now();
    let journal = Shared::default();
    let mut app = app_with(Box::new(journal.clone()), true, t0);
    app.update(key(KeyCode::Esc), t0);
    assert!(matches!(app.screen, Screen::Session(_)));
    // Stop after 5 s: asked, confirmed; still asked how it went.
    app.update(ch('q'), t0 + secs(5.0));
    app.update(key(KeyCode::Enter), t0 + secs(5.0));
    assert!(matches!(app.screen, Screen::CheckinAfter(_)));
    assert!(screen_text(&app, t0 + secs(5.0)).contains("Session stopped"));
    app.update(key(KeyCode::Esc), t0 + secs(6.0));
    assert!(matches!(app.screen, Screen::Summary(_)));
    let e = &journal.entries()[0];
    assert_eq!(e.ending, Ending::Stopped);
    assert_eq!(e.practised_s, 5);
    assert_eq!(e.before, Checkin::skipped(SkipReason::Skipped));
    assert_eq!(e.after, Checkin::skipped(SkipReason::Skipped));
    assert_eq!(e.note, None);
}

#[test]
fn a_signal_writes_at_once_without_asking() {
    let t0 = Instant::now();
    let journal = Shared::default();
    let mut app = app_with(Box::new(journal.clone()), true, t0);
    app.update(ch('6'), t0);
    app.update(key(KeyCode::Enter), t0);
    app.update(Msg::Signal(Signal::TERM), t0 + secs(10.0));
    assert!(app.quit);
    assert_eq!(app.ended_by, Some(Signal::TERM));
    assert!(!app.rings_out(), "a signal does not wait for sound");
    let entries = journal.entries();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].ending, Ending::Interrupted);
    assert_eq!(entries[0].practised_s, 10);
    assert_eq!(entries[0].before, Checkin::answered(6, None));
    assert_eq!(entries[0].after, Checkin::skipped(SkipReason::Interrupted));
}

/// `exhale run` to the end of the session, Esc at the first check-in:
/// the check-in after is showing.
fn at_the_check_in_after(journal: &Shared, t0: Instant) -> (App, Instant) {
    let mut app = app_with(Box::new(journal.clone()), true, t0);
    app.update(key(KeyCode::Esc), t0);
    let end = t0 + secs(40.0);
    app.update(Msg::Tick, end);
    assert!(matches!(app.screen, Screen::CheckinAfter(_)));
    (app, end)
}

#[test]
fn a_signal_during_the_check_in_after_still_writes_the_entry() {
    let t0 = Instant::now();
    let journal = Shared::default();
    let (mut app, end) = at_the_check_in_after(&journal, t0);
    // A number typed but not yet taken with Enter may not be the one
    // meant ("1" on the way to "10"): not recorded.
    typed(&mut app, "1", end);
    app.update(Msg::Signal(Signal::TERM), end);
    assert!(app.quit);
    let entries = journal.entries();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].ending, Ending::Completed);
    assert_eq!(entries[0].after, Checkin::skipped(SkipReason::Interrupted));
    assert_eq!(entries[0].note, None);
}

#[test]
fn ctrl_c_or_a_signal_at_the_note_keeps_the_score_and_the_note_so_far() {
    let t0 = Instant::now();
    for (how, msg) in [
        ("Ctrl-C", ctrl_c()),
        ("SIGINT", Msg::Signal(Signal::INT)),
        ("SIGTERM", Msg::Signal(Signal::TERM)),
        ("SIGHUP", Msg::Signal(Signal::HUP)),
    ] {
        let journal = Shared::default();
        let (mut app, end) = at_the_check_in_after(&journal, t0);
        typed(&mut app, "7", end);
        app.update(key(KeyCode::Enter), end);
        typed(&mut app, "shoulders  dropped ", end);
        app.update(msg, end + secs(5.0));
        assert!(app.quit, "{how}");
        let entries = journal.entries();
        assert_eq!(entries.len(), 1, "{how}");
        let e = &entries[0];
        assert_eq!(e.ending, Ending::Completed, "{how}: the session had ended");
        assert_eq!(e.after, Checkin::answered(7, None), "{how}");
        assert_eq!(e.note.as_deref(), Some("shoulders  dropped"), "{how}");
    }
}

#[test]
fn ctrl_c_at_the_note_before_typing_keeps_the_score() {
    let t0 = Instant::now();
    let journal = Shared::default();
    let (mut app, end) = at_the_check_in_after(&journal, t0);
    typed(&mut app, "4 heavy", end);
    app.update(key(KeyCode::Enter), end);
    app.update(ctrl_c(), end);
    assert_eq!(app.ended_by, Some(Signal::INT));
    let e = &journal.entries()[0];
    assert_eq!(e.after, Checkin::answered(4, Some("heavy".into())));
    assert_eq!(e.note, None);
}

#[test]
fn ctrl_c_mid_session_records_a_stopped_session_without_asking() {
    let t0 = Instant::now();
    let journal = Shared::default();
    let mut app = app_with(Box::new(journal.clone()), true, t0);
    typed(&mut app, "5", t0);
    app.update(key(KeyCode::Enter), t0);
    app.update(ctrl_c(), t0 + secs(7.0));
    assert!(app.quit);
    assert_eq!(app.ended_by, Some(Signal::INT));
    let e = &journal.entries()[0];
    assert_eq!(e.ending, Ending::Stopped);
    assert_eq!(e.practised_s, 7);
    assert_eq!(e.before, Checkin::answered(5, None));
    assert_eq!(e.after, Checkin::skipped(SkipReason::Interrupted));
}

#[test]
fn a_signal_before_the_session_records_nothing() {
    let t0 = Instant::now();
    let journal = Shared::default();
    let mut app = app_with(Box::new(journal.clone()), true, t0);
    typed(&mut app, "5", t0);
    app.update(Msg::Signal(Signal::TERM), t0);
    assert!(app.quit);
    assert_eq!(app.ended_by, Some(Signal::TERM));
    assert!(journal.entries().is_empty(), "nothing was practised");
}

#[test]
fn a_panic_mid_session_still_records_it_as_interrupted() {
    let t0 = Instant::now();
    let journal = Shared::default();
    let mut app = app_with(Box::new(journal.clone()), true, t0);
    app.update(key(KeyCode::Esc), t0);
    app.record_after_panic(t0 + secs(9.0));
    let e = &journal.entries()[0];
    assert_eq!(e.ending, Ending::Interrupted);
    assert_eq!(e.practised_s, 9);
    assert_eq!(app.ended_by, None, "a panic keeps its own exit code");
}

#[test]
fn with_check_ins_off_the_session_starts_at_once_and_is_recorded() {
    let t0 = Instant::now();
    let journal = Shared::default();
    let mut app = app_with(Box::new(journal.clone()), false, t0);
    assert!(matches!(app.screen, Screen::Session(_)));
    app.update(Msg::Tick, t0 + secs(40.0));
    assert!(matches!(app.screen, Screen::Summary(_)));
    let e = &journal.entries()[0];
    assert_eq!(e.ending, Ending::Completed);
    assert_eq!(e.before, Checkin::skipped(SkipReason::Disabled));
    assert_eq!(e.after, Checkin::skipped(SkipReason::Disabled));
    // Quitting on a completed session's summary lets the end sound ring.
    assert!(app.rings_out());
}

#[test]
fn the_closing_moment_comes_before_the_check_in_and_a_signal_there_keeps_the_session() {
    let t0 = Instant::now();
    let mut o = opts();
    o.closing = secs(8.0);
    let journal = Shared::default();
    let p = prepared(BOX, &o).with_source(SOURCE);
    let hook = JournalHook::new(Box::new(journal.clone()), settings(true)).with_wall_clock(wall);
    let mut app = App::with_session_journal(p, Box::new(Recorder::default()), o, hook, t0);
    app.update(key(KeyCode::Esc), t0);
    app.update(Msg::Tick, t0 + secs(32.0));
    assert!(matches!(app.screen, Screen::Closing(_)));
    app.update(Msg::Tick, t0 + secs(40.0));
    assert!(
        matches!(app.screen, Screen::CheckinAfter(_)),
        "{:?}",
        app.screen
    );

    let journal = Shared::default();
    let mut o = opts();
    o.closing = secs(8.0);
    let p = prepared(BOX, &o).with_source(SOURCE);
    let hook = JournalHook::new(Box::new(journal.clone()), settings(true)).with_wall_clock(wall);
    let mut app = App::with_session_journal(p, Box::new(Recorder::default()), o, hook, t0);
    app.update(key(KeyCode::Esc), t0);
    app.update(Msg::Tick, t0 + secs(33.0));
    app.update(Msg::Signal(Signal::TERM), t0 + secs(34.0));
    assert!(app.quit);
    let e = &journal.entries()[0];
    assert_eq!(e.ending, Ending::Completed);
    assert_eq!(e.after, Checkin::skipped(SkipReason::Interrupted));
}

#[test]
fn a_change_of_pace_is_noted_in_the_entry() {
    let t0 = Instant::now();
    let journal = Shared::default();
    let mut app = app_with(Box::new(journal.clone()), false, t0);
    app.update(ch('['), t0 + secs(1.0));
    app.update(Msg::Tick, t0 + secs(60.0));
    assert!(matches!(app.screen, Screen::Summary(_)));
    let e = &journal.entries()[0];
    assert_eq!(e.pace.len(), 1);
    assert_eq!((e.pace[0].block, e.pace[0].percent), (1, 95));
    let line = e.to_line().expect("json");
    assert!(
        line.contains("\"pace\":[{\"block\":1,\"title\":\"Box\",\"percent\":95}]"),
        "{line}"
    );
    // An entry without a change of pace says nothing about it.
    let journal = Shared::default();
    let mut app = app_with(Box::new(journal.clone()), false, t0);
    app.update(Msg::Tick, t0 + secs(60.0));
    assert!(
        !journal.entries()[0]
            .to_line()
            .expect("json")
            .contains("pace")
    );
}

#[test]
fn without_a_journal_nothing_is_asked_or_said() {
    let t0 = Instant::now();
    let (mut app, _) = app(BOX, opts(), t0);
    assert!(matches!(app.screen, Screen::Session(_)), "{:?}", app.screen);
    app.update(Msg::Tick, t0 + secs(40.0));
    let Screen::Summary(s) = &app.screen else {
        panic!("expected the summary");
    };
    assert_eq!(s.saved, None);
    assert!(!screen_text(&app, t0 + secs(40.0)).contains("journal"));
}

#[test]
fn a_failed_write_is_said_plainly_and_the_app_goes_on() {
    let t0 = Instant::now();
    let p = prepared(BOX, &opts());
    let hook = JournalHook::new(Box::new(FailingJournal), settings(false)).with_wall_clock(wall);
    let item = Item::valid("box", "built-in", p.session.clone());
    let mut app = App::with_picker(
        Picker::new(vec![item], None),
        Box::new(Recorder::default()),
        opts(),
    )
    .with_journal(hook);
    app.update(key(KeyCode::Enter), t0);
    let end = t0 + secs(40.0);
    app.update(Msg::Tick, end);
    let Screen::Summary(s) = &app.screen else {
        panic!("expected the summary, found {:?}", app.screen);
    };
    assert_eq!(
        s.saved,
        Some(Saved::Failed {
            location: "nowhere".into(),
            reason: "the disk is full".into()
        })
    );
    let shown = screen_text(&app, end);
    assert!(!shown.contains("Saved to your journal"), "{shown}");
    insta::assert_snapshot!("summary_when_saving_failed", shown);
    // Kept for the exit code (3) and the line printed after the app.
    assert_eq!(
        app.not_saved,
        Some(("nowhere".into(), "the disk is full".into()))
    );
    // The app carries on: back to the picker, and another session runs.
    app.update(ch('x'), end + SUMMARY_GRACE);
    assert!(matches!(app.screen, Screen::Picker));
    app.update(key(KeyCode::Enter), end + SUMMARY_GRACE);
    assert!(matches!(app.screen, Screen::Session(_)));
}

#[test]
fn a_file_journal_in_an_unwritable_place_names_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A regular file where a folder should be: fails even for root.
    std::fs::write(dir.path().join("data"), "").expect("write");
    let path = dir.path().join("data/exhale/journal.jsonl");
    let t0 = Instant::now();
    let mut app = app_with(Box::new(FileJournal::new(&path)), false, t0);
    app.update(Msg::Tick, t0 + secs(40.0));
    let Screen::Summary(s) = &app.screen else {
        panic!("expected the summary");
    };
    let Some(Saved::Failed { location, .. }) = &s.saved else {
        panic!("expected a failure, found {:?}", s.saved);
    };
    assert!(
        location.starts_with(&dir.path().display().to_string()),
        "{location}"
    );
    let shown = screen_text(&app, t0 + secs(40.0));
    assert!(shown.contains("could not be saved"), "{shown}");
}

fn entry_on(day_offset: i64, minutes: u64, before: u8, after: u8) -> Entry {
    let outcome = Outcome {
        practised: std::time::Duration::from_secs(minutes * 60),
        planned: std::time::Duration::from_secs(minutes * 60),
        ending: Ending::Completed,
        cycles: 10,
        rounds: 0,
        holds: Vec::new(),
        capped: Vec::new(),
        skipped: 0,
        cut_cycles: 0,
        pace: Vec::new(),
    };
    Entry::new(
        &SessionInfo::new("box", "Box breathing", b"x"),
        wall() - TimeDelta::days(day_offset),
        &outcome,
        Checkin::answered(before, None),
        Checkin::answered(after, None),
        None,
    )
}

fn picker_app(journal: Box<dyn Journal>, settings: JournalSettings) -> App {
    let p = prepared(BOX, &opts());
    let item = Item::valid("box", "built-in", p.session);
    App::with_picker(
        Picker::new(vec![item], None),
        Box::new(Recorder::default()),
        opts(),
    )
    .with_journal(JournalHook::new(journal, settings).with_wall_clock(wall))
}

#[test]
fn tab_in_the_picker_opens_the_stats_and_esc_goes_back() {
    let t0 = Instant::now();
    let journal = Shared::default();
    for (d, m, b, a) in [(0, 10, 4, 7), (1, 5, 5, 6), (2, 20, 3, 6), (9, 5, 6, 6)] {
        journal.append(&entry_on(d, m, b, a)).expect("append");
    }
    let streaks = JournalSettings {
        streaks: true,
        ..JournalSettings::default()
    };
    let mut app = picker_app(Box::new(journal), streaks);
    assert!(screen_text(&app, t0).contains("Tab stats"));
    app.update(key(KeyCode::Tab), t0);
    assert!(matches!(app.screen, Screen::Stats(_)));
    let shown = screen_text(&app, t0);
    assert!(
        shown.contains("Practised on 4 of the last 30 days"),
        "{shown}"
    );
    assert!(shown.contains("3 days in a row"), "{shown}");
    insta::assert_snapshot!("stats_from_the_picker", shown);
    app.update(key(KeyCode::Esc), t0);
    assert!(matches!(app.screen, Screen::Picker));
    assert!(!app.quit);
}

#[test]
fn the_stats_skip_damaged_lines_quietly_and_leave_the_file_alone() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("journal.jsonl");
    let line = |e: Entry| {
        exhale::journal::store::stamped(&e, wall, None)
            .to_line()
            .expect("json")
    };
    let mut text = line(entry_on(0, 10, 4, 7));
    text.push_str("{\"v\":1,\"started\":\n");
    text.push_str(&line(entry_on(1, 5, 5, 6)));
    std::fs::write(&path, &text).expect("write");
    let t0 = Instant::now();
    let mut app = picker_app(
        Box::new(FileJournal::new(&path)),
        JournalSettings::default(),
    );
    app.update(key(KeyCode::Tab), t0);
    let shown = screen_text(&app, t0);
    assert!(
        shown.contains("Practised on 2 of the last 30 days"),
        "{shown}"
    );
    assert!(
        shown.contains("1 line of the journal could not be read and was skipped"),
        "{shown}"
    );
    assert!(!shown.contains("in a row"), "streaks are off by default");
    assert_eq!(std::fs::read_to_string(&path).expect("read"), text);
}

#[test]
fn the_day_starts_at_the_configured_hour() {
    // 07:30 on the 28th and 02:00 on the 28th: with days starting at 4 the
    // second counts for the 27th (two days); at 0 both are the 28th.
    let journal = Shared::default();
    journal.append(&entry_on(0, 10, 4, 7)).expect("append");
    let mut early = entry_on(0, 10, 4, 7);
    early.started = DateTime::parse_from_rfc3339("2026-11-28T02:00:00+01:00").expect("date");
    journal.append(&early).expect("append");
    for (hour, days) in [(4, 2), (0, 1)] {
        let s = JournalSettings {
            day_starts_at: hour,
            ..JournalSettings::default()
        };
        let mut app = picker_app(Box::new(journal.clone()), s);
        let t0 = Instant::now();
        app.update(key(KeyCode::Tab), t0);
        let shown = screen_text(&app, t0);
        assert!(
            shown.contains(&format!("Practised on {days} of the last 30 days")),
            "day_starts_at = {hour}:\n{shown}"
        );
    }
}

#[test]
fn a_session_from_the_picker_is_recorded_under_its_name() {
    let t0 = Instant::now();
    let journal = Shared::default();
    let p = prepared(BOX, &opts());
    let mut item = Item::valid("box", "built-in", p.session);
    item.source = SOURCE.to_vec();
    let mut app = App::with_picker(
        Picker::new(vec![item], None),
        Box::new(Recorder::default()),
        opts(),
    )
    .with_journal(
        JournalHook::new(Box::new(journal.clone()), settings(true)).with_wall_clock(wall),
    );
    app.update(key(KeyCode::Enter), t0);
    assert!(matches!(app.screen, Screen::CheckinBefore(_)));
    // Ctrl-C before the session: nothing practised, nothing recorded.
    app.update(ctrl_c(), t0);
    assert!(app.quit);
    assert!(journal.entries().is_empty());

    let mut app = App::with_picker(
        Picker::new(
            vec![{
                let mut i = Item::valid("box", "built-in", prepared(BOX, &opts()).session);
                i.source = SOURCE.to_vec();
                i
            }],
            None,
        ),
        Box::new(Recorder::default()),
        opts(),
    )
    .with_journal(
        JournalHook::new(Box::new(journal.clone()), settings(true)).with_wall_clock(wall),
    );
    for round in 0..2 {
        let t = t0 + secs(100.0 * f64::from(round));
        app.update(key(KeyCode::Enter), t);
        app.update(key(KeyCode::Esc), t);
        app.update(Msg::Tick, t + secs(40.0));
        app.update(key(KeyCode::Esc), t + secs(40.0));
        app.update(ch('x'), t + secs(40.0) + SUMMARY_GRACE);
        assert!(matches!(app.screen, Screen::Picker));
    }
    let entries = journal.entries();
    assert_eq!(entries.len(), 2, "one entry per session run");
    for e in &entries {
        assert_eq!(e.session, "box");
        assert_eq!(e.source_sha256, sha256_hex(SOURCE));
    }
}

#[test]
fn the_check_in_fits_the_smallest_window() {
    let t0 = Instant::now();
    let mut app = app_with(Box::new(Shared::default()), true, t0);
    typed(&mut app, "4", t0);
    insta::assert_snapshot!("before_checkin_at_40x12", draw(&app, t0, 40, 12).backend());
}

/// The plan's measures (distress 0-100 before and after, skills after)
/// and one planned day that went by without practice.
fn asks() -> exhale::journal::measure::Asks {
    use exhale::journal::measure::{Ask, Asks, Measure, Scale};
    Asks {
        measures: vec![
            Measure {
                name: "distress".into(),
                scale: Scale::Suds,
                ask: Ask::Both,
            },
            Measure {
                name: "skills used".into(),
                scale: Scale::Skills(vec!["paced breathing".into(), "grounding".into()]),
                ask: Ask::After,
            },
        ],
        missed: vec![chrono::NaiveDate::from_ymd_opt(2026, 11, 26).expect("date")],
    }
}

/// The box session of [`app_with`], asking [`asks`] in its check-ins.
fn app_asking(journal: &Shared, t0: Instant) -> App {
    let p = prepared(BOX, &opts()).with_source(SOURCE);
    let hook = JournalHook::new(Box::new(journal.clone()), settings(true))
        .with_wall_clock(wall)
        .with_questions(asks());
    App::with_session_journal(p, Box::new(Recorder::default()), opts(), hook, t0)
}

#[test]
fn measures_and_what_got_in_the_way_are_asked_in_the_check_ins() {
    use exhale::journal::measure::Value;
    let t0 = Instant::now();
    let journal = Shared::default();
    let mut app = app_asking(&journal, t0);

    // Before: the feeling, then distress (asked again when out of range),
    // then what got in the way, by a quick choice's number.
    typed(&mut app, "4", t0);
    app.update(key(KeyCode::Enter), t0);
    assert!(screen_text(&app, t0).contains("Distress, 0 (none) to 100"));
    assert!(screen_text(&app, t0).contains("Question 1 of 2"));
    typed(&mut app, "170", t0);
    app.update(key(KeyCode::Enter), t0);
    assert!(screen_text(&app, t0).contains("Type a number from 0 to 100"));
    for _ in 0..3 {
        app.update(key(KeyCode::Backspace), t0);
    }
    typed(&mut app, "70", t0);
    app.update(key(KeyCode::Enter), t0);
    let shown = screen_text(&app, t0);
    assert!(shown.contains("What got in the way?"), "{shown}");
    assert!(shown.contains("Thursday"), "{shown}");
    typed(&mut app, "2", t0);
    app.update(key(KeyCode::Enter), t0);
    assert!(matches!(app.screen, Screen::Session(_)));

    // After: the feeling, distress again, the skills, then the note.
    let end = t0 + secs(33.5);
    app.update(Msg::Tick, end);
    typed(&mut app, "7", end);
    app.update(key(KeyCode::Enter), end);
    typed(&mut app, "35", end);
    app.update(key(KeyCode::Enter), end);
    let shown = screen_text(&app, end);
    assert!(shown.contains("Skills used: type the numbers"), "{shown}");
    typed(&mut app, "2 1", end);
    app.update(key(KeyCode::Enter), end);
    assert!(screen_text(&app, end).contains("What did you notice?"));
    typed(&mut app, "lighter", end);
    app.update(key(KeyCode::Enter), end);
    assert!(matches!(app.screen, Screen::Summary(_)));

    let entries = journal.entries();
    assert_eq!(entries.len(), 1);
    let e = &entries[0];
    assert_eq!(e.before.score, Some(4));
    assert_eq!(e.before.measures.get("distress"), Some(&Value::Number(70)));
    assert_eq!(e.after.measures.get("distress"), Some(&Value::Number(35)));
    assert_eq!(
        e.after.measures.get("skills used"),
        Some(&Value::Tags(vec![
            "grounding".into(),
            "paced breathing".into()
        ]))
    );
    let w = e.in_the_way.as_ref().expect("asked");
    assert_eq!(w.answer.as_deref(), Some("no time"));
    assert_eq!(w.days.len(), 1);
    assert_eq!(e.note.as_deref(), Some("lighter"));
    assert_eq!(e.written, Some(wall()));
}

#[test]
fn esc_on_a_measure_skips_the_rest_and_what_got_in_the_way_is_not_asked_again() {
    let t0 = Instant::now();
    let journal = Shared::default();
    let mut app = app_asking(&journal, t0);
    typed(&mut app, "5", t0);
    app.update(key(KeyCode::Enter), t0);
    app.update(key(KeyCode::Esc), t0);
    assert!(matches!(app.screen, Screen::Session(_)));
    let end = t0 + secs(33.5);
    app.update(Msg::Tick, end);
    app.update(key(KeyCode::Esc), end);
    let e = &journal.entries()[0];
    assert!(e.before.measures.is_empty());
    // Counted as asked (skipped): it is not asked about those days again.
    let w = e.in_the_way.as_ref().expect("recorded as skipped");
    assert_eq!(w.answer, None);
    assert_eq!(e.before.score, Some(5));
}
