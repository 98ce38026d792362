//! The resonance finder in the full-screen app: the app walked on an
//! injected clock (ratings typed, a heart-rate recording, stopping, the
//! keys it refuses, the heart-rate trace), and the whole program on a
//! pseudo-terminal with `--hr-input` and shortened steps.

mod finder_common;
mod pty;
mod tui_common;

use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset};
use exhale::audio::Recorder;
use exhale::engine::finder::{self, Plan};
use exhale::journal::assessment::Method;
use exhale::tui::finder::{Finder, FinderDone};
use exhale::tui::{App, Msg, Screen};
use ratatui::crossterm::event::KeyCode;

use finder_common::recording;
use pty::{Home, Pty, WAIT};
use tui_common::{Shared, buffer, ch, key, opts};

fn wall() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-12-03T07:30:00+01:00").expect("date")
}

fn app(finder: Finder, journal: &Shared, t0: Instant) -> App {
    let finder = finder
        .with_journal(Box::new(journal.clone()))
        .with_wall_clock(wall);
    let mut app = App::finding(finder, Box::new(Recorder::default()), opts(), t0);
    app.update(Msg::Resize(80, 24), t0);
    app
}

/// Let time pass as the loop would, wake-up by wake-up, until `done`
/// holds of the app or it has nothing more to wait for; the time then.
fn run_until(app: &mut App, mut now: Instant, done: impl Fn(&App) -> bool) -> Instant {
    for _ in 0..1_000_000 {
        if done(app) {
            return now;
        }
        let Some(next) = app.next_deadline(now) else {
            return now;
        };
        now = next.max(now + Duration::from_millis(1));
        app.update(Msg::Tick, now);
    }
    panic!("the finder never got there");
}

/// A finder asking after each 30-second step.
fn rated(journal: &Shared, t0: Instant) -> App {
    app(
        Finder::new(Plan::new(Duration::from_secs(30)), t0),
        journal,
        t0,
    )
}

/// Run until the first step is on screen; the time then.
fn to_step_one(app: &mut App, t0: Instant) -> Instant {
    run_until(
        app,
        t0,
        |a| matches!(&a.screen, Screen::Session(r) if r.title.contains("step 1")),
    )
}

fn text(app: &App, now: Instant) -> String {
    tui_common::text(&buffer(app, now))
}

fn asking(app: &App) -> Option<f64> {
    match &app.screen {
        Screen::FinderRate(a) => Some(a.rate),
        _ => None,
    }
}

fn done(app: &App) -> Option<&FinderDone> {
    match &app.screen {
        Screen::FinderDone(d) => Some(d),
        _ => None,
    }
}

fn type_in(app: &mut App, s: &str, now: Instant) {
    for c in s.chars() {
        app.update(ch(c), now);
    }
}

#[test]
fn ratings_typed_after_each_step_find_the_favourite_and_save_it() {
    let t0 = Instant::now();
    let journal = Shared::default();
    let mut app = rated(&journal, t0);
    assert!(text(&app, t0).contains("Resonance finder · settle in"));
    let mut now = to_step_one(&mut app, t0);
    assert!(
        text(&app, now).contains("step 1 of 7 · 6.5 breaths a minute"),
        "{}",
        text(&app, now)
    );
    // Its last breath out says what comes next in the finder, not "end".
    let last_out = now + Duration::from_secs(25);
    assert!(
        text(&app, last_out).contains("next: how easy it was, 0-10"),
        "{}",
        text(&app, last_out)
    );
    // 5 is the most comfortable of the five, 4.75 more so.
    let mut asked = Vec::new();
    loop {
        now = run_until(&mut app, now, |a| asking(a).is_some() || done(a).is_some());
        let Some(rate) = asking(&app) else { break };
        asked.push(rate);
        let screen = text(&app, now);
        assert!(
            screen.contains(&format!(
                "How easy and comfortable was {} breaths a minute?",
                exhale::text::rate(rate)
            )),
            "{screen}"
        );
        // A number above 10 is refused, and Backspace takes a digit back.
        type_in(&mut app, "1", now);
        type_in(&mut app, "1", now);
        assert!(app.notice.as_ref().is_some_and(|n| n.0.contains("0 to 10")));
        app.update(key(KeyCode::Backspace), now);
        let answer = match rate {
            r if (r - 5.0).abs() < 1e-9 => "8",
            r if (r - 4.75).abs() < 1e-9 => "9",
            _ => "3",
        };
        type_in(&mut app, answer, now);
        app.update(key(KeyCode::Enter), now);
    }
    assert_eq!(asked, [6.5, 6.0, 5.5, 5.0, 4.5, 4.75, 5.25]);
    let d = done(&app).expect("the result");
    assert_eq!(d.found, Some(Ok(4.75)));
    assert!(text(&app, now).contains("Your resonance rate: 4.75 breaths a minute"));
    assert!(text(&app, now).contains("Saved to your journal."));
    let saved = journal.assessments();
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].method, Method::Rating);
    assert_eq!(saved[0].resonance_rate, Some(4.75));
    assert_eq!(saved[0].steps.len(), 7);
    assert_eq!(saved[0].steps[3].rating, Some(8));
    assert_eq!(saved[0].date, wall());
    // Its pieces are not practice sessions of their own.
    assert!(journal.entries().is_empty());
    // A key closes it, once the result has been seen a moment.
    app.update(ch('x'), now + Duration::from_secs(2));
    assert!(app.quit);
}

#[test]
fn stopping_a_step_or_the_question_ends_the_finder_and_saves_nothing() {
    let t0 = Instant::now();
    // Stopped during the first step: q, then q again to confirm.
    let journal = Shared::default();
    let mut a = rated(&journal, t0);
    let now = to_step_one(&mut a, t0) + Duration::from_secs(3);
    a.update(Msg::Tick, now);
    a.update(ch('q'), now);
    a.update(ch('q'), now);
    assert_eq!(done(&a).map(|d| d.found.clone()), Some(None));
    assert!(text(&a, now).contains("stopped before the end; nothing was saved"));
    assert!(journal.assessments().is_empty());

    // Stopped at the question: Esc.
    let journal = Shared::default();
    let mut a = rated(&journal, t0);
    let now = run_until(&mut a, t0, |a| asking(a).is_some());
    a.update(key(KeyCode::Esc), now);
    assert_eq!(done(&a).map(|d| d.found.clone()), Some(None));
    assert!(journal.assessments().is_empty());
}

#[test]
fn a_step_cannot_be_skipped_or_its_pace_changed() {
    let t0 = Instant::now();
    let journal = Shared::default();
    let mut a = rated(&journal, t0);
    let now = to_step_one(&mut a, t0) + Duration::from_secs(1);
    a.update(Msg::Tick, now);
    let before = text(&a, now);
    for c in ['n', ']', '['] {
        a.update(ch(c), now);
        assert!(
            a.notice
                .as_ref()
                .is_some_and(|n| n.0 == "the finder keeps its own pace and steps"),
            "{c}"
        );
    }
    a.update(key(KeyCode::Right), now);
    a.notice = None;
    let Screen::Session(r) = &a.screen else {
        panic!("still the step")
    };
    assert!(r.title.contains("step 1"));
    assert_eq!(text(&a, now), before);
    // The keys line names only what works here, and no trace without
    // heart-rate input.
    assert!(before.contains("Space pause · q stop · ? keys"), "{before}");
    a.update(ch('h'), now);
    assert!(
        a.notice
            .as_ref()
            .is_some_and(|n| n.0.contains("no heart-rate input"))
    );
}

/// The beats of [`recording`] for `plan`, timed from the start.
fn beats(plan: Plan, peak: f64) -> Vec<exhale::hr::score::Beat> {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("beats.jsonl");
    std::fs::write(&file, recording(plan, peak, finder::tuning_rates(peak))).expect("write");
    exhale::hr::input::read_file(&file).expect("a recording")
}

#[test]
fn a_heart_rate_recording_is_scored_without_questions_and_the_trace_follows_it() {
    let t0 = Instant::now();
    let plan = Plan::new(Duration::from_secs(60));
    let journal = Shared::default();
    let mut a = app(
        Finder::new(plan, t0).with_recording(beats(plan, 5.0)),
        &journal,
        t0,
    );
    let now = to_step_one(&mut a, t0) + Duration::from_secs(5);
    a.update(Msg::Tick, now);
    let off = text(&a, now);
    assert!(off.contains("h heart trace"), "{off}");
    assert!(!off.contains('♥'));
    a.update(ch('h'), now);
    a.notice = None;
    let on = text(&a, now);
    // One row gains the trace; every other row is as it was.
    let changed: Vec<(&str, &str)> = off
        .lines()
        .zip(on.lines())
        .filter(|(x, y)| x != y)
        .collect();
    assert_eq!(changed.len(), 1, "{on}");
    let row = changed[0].1;
    assert!(row.contains('♥'), "{row}");
    assert!(
        row.chars().any(|c| ('\u{2801}'..='\u{28ff}').contains(&c)),
        "{row}"
    );
    // It wakes for the next beat, and shows one more beat then.
    let next = a.next_deadline(now).expect("a deadline");
    assert!(next <= now + Duration::from_millis(1500));
    let shown = a.finder.as_ref().expect("finder").shown(now).len();
    let later = now + Duration::from_secs(3);
    assert!(a.finder.as_ref().expect("finder").shown(later).len() > shown);

    let now = run_until(&mut a, now, |a| asking(a).is_some() || done(a).is_some());
    let d = done(&a).expect("no question: straight to the result");
    assert_eq!(d.found, Some(Ok(5.0)));
    assert!(d.said.iter().any(|s| s.contains("followed the pacer")));
    assert!(text(&a, now).contains("Your resonance rate: 5 breaths a minute"));
    let saved = journal.assessments();
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].method, Method::HeartRate);
    assert!(saved[0].steps.iter().all(|s| s.swing_bpm.is_some()));
}

#[test]
fn the_program_runs_the_finder_full_screen_from_a_recording_and_later_sessions_follow_it() {
    let home = Home::new();
    let plan = Plan::new(Duration::from_secs(60));
    let file = home.path().join("beats.jsonl");
    std::fs::write(&file, recording(plan, 5.5, finder::tuning_rates(5.5))).expect("write");
    let mut cmd = home.exhale(&["run", "resonance-finder", "--no-sound", "--step", "1m"]);
    cmd.arg("--hr-input")
        .arg(&file)
        .env("EXHALE_TEST_CLOCK", "manual");
    let mut t = Pty::spawn(cmd);
    t.wait_for("Your resonance rate: 5.5 breaths a minute", WAIT * 2);
    t.wait_for("Saved to your journal.", WAIT);
    // Keys pressed the moment the result shows are not taken for it.
    assert_eq!(t.press_until_exit("x"), 0);
    t.assert_restored();
    let journal = home.journal_text();
    let record: serde_json::Value =
        serde_json::from_str(journal.lines().next().expect("a line")).expect("JSON");
    assert_eq!(record["kind"], "resonance");
    assert_eq!(record["method"], "heart-rate");
    assert_eq!(record["resonance_rate"], 5.5);
    // A later session at the person's rate: 5.5 a minute, in for 40%.
    home.add_session(
        "mine",
        "name = \"Mine\"\nsettle = 0\n[[block]]\nkind = \"breathe\"\nrate = \"resonance\"\ncycles = 1\n",
    );
    let out = home
        .exhale(&["run", "mine", "--plain", "--no-journal", "--no-sound"])
        .env("EXHALE_TEST_CLOCK", "manual")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("inhale  4.364s"), "{said}");
}

#[test]
fn each_piece_readies_its_sounds_speaks_with_the_chosen_voice_and_paces() {
    let journal = Shared::default();
    let t0 = Instant::now();
    let chime = Recorder::default();
    let finder = Finder::new(Plan::new(Duration::from_secs(30)), t0)
        .with_journal(Box::new(journal.clone()))
        .with_wall_clock(wall);
    let mut o = opts();
    o.voicing.forced = Some("default".into());
    o.forced_pacing = Some(exhale::engine::model::Pacing::Tone);
    let mut app = App::finding(finder, Box::new(chime.clone()), o, t0);
    app.update(Msg::Resize(80, 24), t0);
    let at = to_step_one(&mut app, t0);
    app.update(Msg::Tick, at + Duration::from_millis(50));
    let prepared = chime.prepared.lock().expect("lock").clone();
    // The settle-in, then step 1: each asked for its own sounds as it
    // began, so a player that decodes lazily has them in time.
    assert!(prepared.len() >= 2, "{prepared:?}");
    assert!(
        prepared
            .last()
            .is_some_and(|names| names.contains(&"voice:default:in".to_owned())),
        "{prepared:?}"
    );
    let played = chime.played.lock().expect("lock").clone();
    assert!(
        played.iter().any(|n| n == "voice:default:in"),
        "the voice speaks the step: {played:?}"
    );
    // And `--pacing tone` follows the step's breath.
    let paced = chime.paced.lock().expect("lock").clone();
    assert!(
        paced.iter().flatten().any(|c| c.glide.from < c.glide.to),
        "the pacing sound rises with the step's first inhale: {paced:?}"
    );
}

#[test]
fn the_keys_overlay_in_the_finder_lists_h_and_not_the_refused_keys() {
    let journal = Shared::default();
    let t0 = Instant::now();
    let mut app = rated(&journal, t0);
    let now = to_step_one(&mut app, t0);
    app.update(ch('?'), now);
    let screen = text(&app, now);
    assert!(screen.contains("heart-rate trace on / off"), "{screen}");
    assert!(!screen.contains("slower / faster"), "{screen}");
    assert!(!screen.contains("next phase"), "{screen}");
    assert!(screen.contains("pause / resume"), "{screen}");
}
