//! The check-in and stats components, drawn on a test terminal and
//! driven with key events, as the full-screen app will mount them.

use chrono::{DateTime, FixedOffset, TimeDelta};
use exhale::engine::player::Ending;
use exhale::journal::entry::sha256_hex;
use exhale::journal::stats::compute;
use exhale::journal::{Checkin, Entry, JournalSettings, SkipReason};
use exhale::tui::checkin::{CheckinAction, CheckinResult, CheckinState, Moment, Stage};
use exhale::tui::render::checkin::render;
use exhale::tui::render::stats;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::style::Modifier;

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn type_str(state: &mut CheckinState, s: &str) -> CheckinAction {
    let mut last = CheckinAction::Continue;
    for c in s.chars() {
        last = state.handle_key(key(KeyCode::Char(c)));
    }
    last
}

fn draw(state: &CheckinState) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(64, 14)).expect("terminal");
    t.draw(|f| render(state, f.area(), f.buffer_mut()))
        .expect("draw");
    t
}

#[test]
fn before_a_digit_and_enter_is_enough() {
    let mut s = CheckinState::new(Moment::Before);
    insta::assert_snapshot!("checkin_before_empty", draw(&s).backend());
    assert_eq!(type_str(&mut s, "4 tense"), CheckinAction::Continue);
    let t = draw(&s);
    insta::assert_snapshot!("checkin_before_typed", t.backend());
    // The chosen number is shown reversed on the scale.
    let buf = t.backend().buffer();
    let pos = (0..buf.area.width)
        .flat_map(|x| (0..buf.area.height).map(move |y| (x, y)))
        .find(|(x, y)| buf[(*x, *y)].symbol() == "4" && *y == 3)
        .expect("4 on the scale");
    assert!(buf[pos].modifier.contains(Modifier::REVERSED));
    assert_eq!(
        s.handle_key(key(KeyCode::Enter)),
        CheckinAction::Done(CheckinResult {
            checkin: Checkin::answered(4, Some("tense".into())),
            note: None,
            in_the_way: None,
        })
    );
}

#[test]
fn ten_is_two_keys() {
    let mut s = CheckinState::new(Moment::Before);
    type_str(&mut s, "10");
    assert_eq!(s.typed_score(), Some(10));
    assert_eq!(
        s.handle_key(key(KeyCode::Enter)),
        CheckinAction::Done(CheckinResult {
            checkin: Checkin::answered(10, None),
            note: None,
            in_the_way: None,
        })
    );
}

#[test]
fn esc_or_enter_on_empty_skips() {
    for k in [KeyCode::Esc, KeyCode::Enter] {
        let mut s = CheckinState::new(Moment::Before);
        assert_eq!(
            s.handle_key(key(k)),
            CheckinAction::Done(CheckinResult {
                checkin: Checkin::skipped(SkipReason::Skipped),
                note: None,
                in_the_way: None,
            })
        );
    }
}

#[test]
fn a_score_out_of_range_asks_again() {
    let mut s = CheckinState::new(Moment::Before);
    type_str(&mut s, "12");
    assert_eq!(s.handle_key(key(KeyCode::Enter)), CheckinAction::Continue);
    insta::assert_snapshot!("checkin_out_of_range", draw(&s).backend());
    s.handle_key(key(KeyCode::Backspace));
    assert_eq!(s.error, None);
    assert!(matches!(
        s.handle_key(key(KeyCode::Enter)),
        CheckinAction::Done(_)
    ));
}

fn screen(state: &CheckinState) -> String {
    let t = draw(state);
    let b = t.backend().buffer();
    (0..b.area.height)
        .map(|y| {
            (0..b.area.width)
                .map(|x| b[(x, y)].symbol())
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn words_without_a_number_are_asked_about_once_then_kept() {
    // Before: the hint says what Enter will do at each step.
    let mut s = CheckinState::new(Moment::Before);
    assert!(screen(&s).contains("Enter or Esc to skip"));
    type_str(&mut s, "calm");
    assert!(
        screen(&s).contains("No number: Enter asks once more"),
        "{}",
        screen(&s)
    );
    assert_eq!(s.handle_key(key(KeyCode::Enter)), CheckinAction::Continue);
    let shown = screen(&s);
    assert!(
        shown.contains("Enter again keeps the words without a number"),
        "{shown}"
    );
    insta::assert_snapshot!("checkin_words_asked_once", draw(&s).backend());
    assert_eq!(
        s.handle_key(key(KeyCode::Enter)),
        CheckinAction::Done(CheckinResult {
            checkin: Checkin {
                score: None,
                words: Some("calm".into()),
                skipped: None,
                measures: std::collections::BTreeMap::default(),
            },
            note: None,
            in_the_way: None,
        })
    );
    // Typing a number after the question takes it as usual.
    let mut s = CheckinState::new(Moment::Before);
    type_str(&mut s, "calm");
    s.handle_key(key(KeyCode::Enter));
    for _ in 0..4 {
        s.handle_key(key(KeyCode::Backspace));
    }
    type_str(&mut s, "6 calm");
    assert!(screen(&s).contains("Enter to go on"));
    assert_eq!(
        s.handle_key(key(KeyCode::Enter)),
        CheckinAction::Done(CheckinResult {
            checkin: Checkin::answered(6, Some("calm".into())),
            note: None,
            in_the_way: None,
        })
    );
    // After: the words become the note.
    let mut s = CheckinState::new(Moment::After);
    type_str(&mut s, "lighter now");
    s.handle_key(key(KeyCode::Enter));
    assert!(screen(&s).contains("Enter again keeps the words as your note"));
    assert_eq!(
        s.handle_key(key(KeyCode::Enter)),
        CheckinAction::Done(CheckinResult {
            checkin: Checkin::skipped(SkipReason::Skipped),
            note: Some("lighter now".into()),
            in_the_way: None,
        })
    );
}

#[test]
fn arrows_move_the_score_and_releases_are_ignored() {
    let mut s = CheckinState::new(Moment::Before);
    s.handle_key(key(KeyCode::Up));
    assert_eq!(s.typed_score(), Some(5));
    s.handle_key(key(KeyCode::Right));
    s.handle_key(key(KeyCode::Right));
    assert_eq!(s.typed_score(), Some(7));
    let mut release = key(KeyCode::Char('1'));
    release.kind = KeyEventKind::Release;
    s.handle_key(release);
    assert_eq!(s.answer, "7");
    for _ in 0..20 {
        s.handle_key(key(KeyCode::Left));
    }
    assert_eq!(s.typed_score(), Some(0));
}

#[test]
fn after_asks_for_a_note() {
    let mut s = CheckinState::new(Moment::After);
    type_str(&mut s, "7");
    assert_eq!(s.handle_key(key(KeyCode::Enter)), CheckinAction::Continue);
    assert_eq!(s.stage, Stage::Note);
    type_str(&mut s, "shoulders dropped");
    insta::assert_snapshot!("checkin_after_note", draw(&s).backend());
    assert_eq!(
        s.handle_key(key(KeyCode::Enter)),
        CheckinAction::Done(CheckinResult {
            checkin: Checkin::answered(7, None),
            note: Some("shoulders dropped".into()),
            in_the_way: None,
        })
    );
}

#[test]
fn ctrl_c_is_left_to_the_host() {
    let mut s = CheckinState::new(Moment::After);
    assert_eq!(
        s.handle_key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)),
        CheckinAction::Quit
    );
}

fn entry(started: DateTime<FixedOffset>, minutes: u64, before: u8, after: u8) -> Entry {
    Entry {
        v: 1,
        kind: exhale::journal::entry::SessionKind,
        id: exhale::journal::Id::NIL,
        machine: None,
        started,
        session: "box".into(),
        title: "Box breathing".into(),
        source_sha256: sha256_hex(b"box"),
        planned_s: 600,
        practised_s: minutes * 60,
        ending: Ending::Completed,
        skipped: 0,
        pace: Vec::new(),
        cycles: 0,
        rounds: 0,
        holds_s: vec![],
        holds_capped: Vec::new(),
        before: Checkin::answered(before, None),
        after: Checkin::answered(after, None),
        note: None,
        written: None,
        in_the_way: None,
    }
}

#[test]
fn the_stats_screen() {
    let now = DateTime::parse_from_rfc3339("2026-11-28T20:00:00+01:00").expect("date");
    // Practice on 20 of the last 30 days, growing from 2 to 12 minutes.
    let entries: Vec<Entry> = (0..30u32)
        .filter(|d| d % 3 != 1)
        .map(|d| {
            entry(
                now - TimeDelta::days(i64::from(29 - d)) - TimeDelta::hours(10),
                2 + u64::from(d) / 3,
                3 + (d % 3) as u8,
                6,
            )
        })
        .collect();
    let stats = compute(&entries, now, &JournalSettings::default());
    assert_eq!(stats.days_practised, 20);
    let mut t = Terminal::new(TestBackend::new(80, 16)).expect("terminal");
    t.draw(|f| stats::render(&stats, f.area(), f.buffer_mut()))
        .expect("draw");
    insta::assert_snapshot!("stats_screen", t.backend());
}

#[test]
fn an_empty_stats_screen_says_practice_will_show_here() {
    let now = DateTime::parse_from_rfc3339("2026-11-28T20:00:00+01:00").expect("date");
    let stats = compute(&[], now, &JournalSettings::default());
    let mut t = Terminal::new(TestBackend::new(80, 16)).expect("terminal");
    t.draw(|f| stats::render(&stats, f.area(), f.buffer_mut()))
        .expect("draw");
    insta::assert_snapshot!("stats_screen_empty", t.backend());
    let b = t.backend().buffer();
    let shown: String = b
        .content
        .iter()
        .map(ratatui::buffer::Cell::symbol)
        .collect();
    assert!(shown.contains("Your practice will show here."), "{shown}");
    assert!(!shown.contains("Practised on 0"), "{shown}");
}

#[test]
fn stats_say_what_each_hold_average_is_over() {
    let now = DateTime::parse_from_rfc3339("2026-11-28T20:00:00+01:00").expect("date");
    let with_holds = |n: u32| -> Vec<Entry> {
        (0..n)
            .map(|d| {
                let mut e = entry(now - TimeDelta::days(i64::from(n - d)), 5, 4, 6);
                e.title = "Control pause".into();
                e.holds_s = vec![f64::from(20 + d)];
                e
            })
            .collect()
    };
    let s = compute(&with_holds(8), now, &JournalSettings::default());
    let text = exhale::commands::journal::stats_text(&s);
    assert!(
        text.contains(
            "holds: average 22.0s over the first 5 sessions, 25.0s over the last 5, longest 27.0s"
        ),
        "{text}"
    );
    assert!(!text.contains("recent"), "{text}");
    let s = compute(&with_holds(3), now, &JournalSettings::default());
    let text = exhale::commands::journal::stats_text(&s);
    assert!(
        text.contains("holds: average 21.0s over 3 sessions, longest 22.0s"),
        "{text}"
    );
}
