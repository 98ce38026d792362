//! Keys fed to the app through `update` at injected instants, asserted on
//! the state a user would notice: where the session is, what was recorded,
//! what is on screen next. No clock is read and nothing sleeps.

mod tui_common;

use std::time::Instant;

use exhale::engine::SegmentKind;
use exhale::engine::model::PhaseKind;
use exhale::engine::player::Ending;
use exhale::signals::Signal;
use exhale::tui::app::FRAME;
use exhale::tui::{App, Msg, Picker, Screen};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use tui_common::*;

fn running(app: &App) -> &exhale::tui::app::Running {
    match &app.screen {
        Screen::Session(r) => r,
        other => panic!("expected a session, found {other:?}"),
    }
}

fn kind_at(app: &App, now: Instant) -> SegmentKind {
    running(app).player.state(now).segment.kind
}

#[test]
fn pause_and_resume_shift_the_schedule() {
    let t0 = Instant::now();
    let (mut app, _) = app(BOX, opts(), t0);
    app.update(ch(' '), t0 + secs(1.0));
    assert!(running(&app).player.is_paused());
    // A minute later nothing has moved.
    app.update(Msg::Tick, t0 + secs(61.0));
    assert_eq!(
        running(&app).player.state(t0 + secs(61.0)).elapsed,
        secs(1.0)
    );
    app.update(ch(' '), t0 + secs(61.0));
    assert!(!running(&app).player.is_paused());
    // The inhale still has 3 s to go after the pause.
    assert_eq!(
        kind_at(&app, t0 + secs(63.9)),
        SegmentKind::Breath(PhaseKind::Inhale)
    );
    assert_eq!(
        kind_at(&app, t0 + secs(64.1)),
        SegmentKind::Breath(PhaseKind::Hold)
    );
}

#[test]
fn skip_starts_the_next_phase_now() {
    let t0 = Instant::now();
    let (mut app, _) = app(BOX, opts(), t0);
    app.update(ch('n'), t0 + secs(1.0));
    let s = running(&app).player.state(t0 + secs(1.0));
    assert_eq!(s.segment.kind, SegmentKind::Breath(PhaseKind::Hold));
    assert_eq!(s.into, secs(0.0));
    app.update(key(KeyCode::Right), t0 + secs(2.0));
    assert_eq!(
        kind_at(&app, t0 + secs(2.0)),
        SegmentKind::Breath(PhaseKind::Exhale)
    );
}

#[test]
fn stopping_asks_once_then_shows_a_partial_summary() {
    let t0 = Instant::now();
    let (mut app, _) = app(BOX, opts(), t0);
    app.update(ch('q'), t0 + secs(20.0));
    assert!(running(&app).confirm_stop, "asks first");
    assert!(running(&app).player.is_paused(), "and waits while asking");
    assert!(app.take_ended().is_none());
    app.update(ch('q'), t0 + secs(25.0));
    let Screen::Summary(s) = &app.screen else {
        panic!("summary expected");
    };
    assert_eq!(s.outcome.ending, Ending::Stopped);
    assert_eq!(
        s.outcome.practised,
        secs(20.0),
        "the question's wait is not practice"
    );
    assert_eq!(s.outcome.cycles, 1);
    let ended = app.take_ended().expect("the end hook gets the outcome");
    assert_eq!(ended.ending, Ending::Stopped);
    assert!(app.take_ended().is_none(), "once");
    // A key closes the summary; launched by `run`, that quits. A key in
    // the first moment (meant for the session) does not.
    app.update(ch(' '), t0 + secs(25.3));
    assert!(matches!(app.screen, Screen::Summary(_)) && !app.quit);
    app.update(key(KeyCode::Enter), t0 + secs(30.0));
    assert!(app.quit);
}

#[test]
fn esc_on_the_question_carries_on() {
    let t0 = Instant::now();
    let (mut app, _) = app(BOX, opts(), t0);
    app.update(key(KeyCode::Esc), t0 + secs(1.0));
    assert!(running(&app).confirm_stop);
    app.update(key(KeyCode::Esc), t0 + secs(11.0));
    assert!(!running(&app).confirm_stop);
    assert!(!running(&app).player.is_paused());
    assert_eq!(
        running(&app).player.state(t0 + secs(12.0)).elapsed,
        secs(2.0)
    );
}

#[test]
fn space_ends_a_retention_hold_and_the_hold_is_kept() {
    let t0 = Instant::now();
    let (mut app, _) = app(RETENTION, opts(), t0);
    let at = t0 + secs(4.0 + 12.3);
    app.update(Msg::Tick, at);
    assert_eq!(kind_at(&app, at), SegmentKind::Retention);
    app.update(ch(' '), at);
    let s = running(&app).player.state(at);
    assert!(s.segment.recovery, "the recovery breath starts at once");
    assert!(
        !running(&app).player.is_paused(),
        "Space ended the hold, not paused"
    );
    let o = running(&app)
        .player
        .outcome(at + secs(17.0), Ending::Completed);
    assert_eq!(o.holds, vec![secs(12.3)]);
}

#[test]
fn space_or_enter_ends_an_open_sit() {
    let t0 = Instant::now();
    let (mut app, rec) = app(OPEN_SIT, opts(), t0);
    app.update(key(KeyCode::Enter), t0 + secs(300.0));
    let Screen::Summary(s) = &app.screen else {
        panic!("summary expected");
    };
    assert_eq!(s.outcome.ending, Ending::Completed);
    assert_eq!(s.outcome.practised, secs(300.0));
    assert_eq!(
        *rec.played.lock().expect("lock"),
        vec!["bowl", "bell", "bell", "gong"],
        "start, start bell, end bell, end"
    );
}

#[test]
fn a_session_left_alone_runs_to_its_summary_with_every_sound() {
    let t0 = Instant::now();
    let (mut app, rec) = app(BOX, opts(), t0);
    for i in 1..=40 {
        app.update(Msg::Tick, t0 + secs(f64::from(i)));
    }
    let Screen::Summary(s) = &app.screen else {
        panic!("summary expected");
    };
    assert_eq!(s.outcome.ending, Ending::Completed);
    assert_eq!(s.outcome.cycles, 2);
    let played = rec.played.lock().expect("lock").clone();
    assert_eq!(played.first().map(String::as_str), Some("bowl"));
    assert_eq!(played.last().map(String::as_str), Some("gong"));
    assert_eq!(played.len(), 2 + 8, "start, eight phases, end");
}

#[test]
fn ctrl_c_is_sigint_stopped_and_leaves_at_once() {
    let t0 = Instant::now();
    let (mut app, _) = app(BOX, opts(), t0);
    app.update(ctrl_c(), t0 + secs(3.0));
    assert!(app.quit, "Ctrl-C leaves without a summary to close");
    assert_eq!(app.ended_by, Some(Signal::INT), "exit code 130");
    let o = app.take_ended().expect("the session ended");
    assert_eq!(o.ending, Ending::Stopped);
    assert_eq!(o.practised.as_secs(), 3);

    let (mut app, _) = tui_common::app(BOX, opts(), t0);
    app.update(Msg::Signal(Signal::INT), t0 + secs(3.0));
    assert!(app.quit);
    assert_eq!(app.ended_by, Some(Signal::INT));
    assert_eq!(app.take_ended().map(|o| o.ending), Some(Ending::Stopped));
}

#[test]
fn any_other_signal_interrupts_and_leaves_at_once() {
    let t0 = Instant::now();
    for sig in [
        Signal::TERM,
        Signal::HUP,
        Signal(signal_hook::consts::SIGQUIT),
    ] {
        let (mut app, _) = tui_common::app(BOX, opts(), t0);
        app.update(Msg::Signal(sig), t0 + secs(3.0));
        assert!(app.quit);
        assert_eq!(app.ended_by, Some(sig));
        assert!(!app.rings_out(), "a signal does not wait for sound");
        assert_eq!(
            app.take_ended().map(|o| o.ending),
            Some(Ending::Interrupted)
        );
    }
}

#[test]
fn ctrl_c_leaves_from_every_screen_with_the_same_code() {
    let t0 = Instant::now();
    // The picker.
    let dir = tempfile::tempdir().expect("tempdir");
    let picker = Picker::load(&exhale::paths::Paths::under(dir.path()), None);
    let mut app = App::with_picker(picker, Box::new(exhale::audio::Silent), opts());
    app.update(ctrl_c(), t0);
    assert!(app.quit);
    assert_eq!(app.ended_by, Some(Signal::INT));
    // The keys overlay over a session: Ctrl-C does not just close it.
    let (mut app, _) = tui_common::app(BOX, opts(), t0);
    app.update(ch('?'), t0);
    assert!(app.help);
    app.update(ctrl_c(), t0 + secs(1.0));
    assert!(app.quit);
    assert_eq!(app.ended_by, Some(Signal::INT));
    // The summary.
    let (mut app, _) = tui_common::app(BOX, opts(), t0);
    app.update(Msg::Tick, t0 + secs(40.0));
    assert!(matches!(app.screen, Screen::Summary(_)));
    app.update(ctrl_c(), t0 + secs(40.0));
    assert!(app.quit);
    assert_eq!(app.ended_by, Some(Signal::INT));
    // Quitting with a key is not a signal.
    let (mut app, _) = tui_common::app(BOX, opts(), t0);
    app.update(Msg::Tick, t0 + secs(40.0));
    app.update(key(KeyCode::Enter), t0 + secs(42.0));
    assert!(app.quit);
    assert_eq!(app.ended_by, None, "exit code 0");
}

#[test]
fn key_releases_are_ignored() {
    let t0 = Instant::now();
    let (mut app, _) = app(BOX, opts(), t0);
    let mut release = KeyEvent::new(KeyCode::Char(' '), KeyModifiers::NONE);
    release.kind = KeyEventKind::Release;
    app.update(Msg::Key(release), t0 + secs(1.0));
    assert!(!running(&app).player.is_paused());
}

#[test]
fn volume_and_mute_show_briefly() {
    let t0 = Instant::now();
    let (mut app, rec) = app(BOX, opts(), t0);
    app.update(ch('+'), t0 + secs(1.0));
    assert!((exhale::audio::Chime::volume(&rec) - 0.1).abs() < 1e-6);
    assert_eq!(
        app.notice.as_ref().map(|n| n.0.as_str()),
        Some("unmuted · volume 10%")
    );
    app.update(ch('m'), t0 + secs(1.2));
    assert_eq!(app.notice.as_ref().map(|n| n.0.as_str()), Some("muted"));
    app.update(ch('m'), t0 + secs(1.3));
    assert_eq!(
        app.notice.as_ref().map(|n| n.0.as_str()),
        Some("unmuted · volume 10%")
    );
    app.update(Msg::Tick, t0 + secs(3.0));
    assert!(app.notice.is_none(), "the notice goes away");
}

#[test]
fn while_muted_the_phase_changes_play_nothing_and_unmuting_brings_them_back() {
    let t0 = Instant::now();
    let (mut app, rec) = app(BOX, opts(), t0);
    let played = || rec.played.lock().expect("lock").clone();
    app.update(Msg::Tick, t0 + secs(0.5));
    let at_start = played();
    assert!(!at_start.is_empty(), "the start and the first inhale sound");
    app.update(ch('m'), t0 + secs(1.0));
    assert!(exhale::audio::Chime::is_muted(&rec));
    // The hold at 4 s and the exhale at 8 s pass in silence.
    app.update(Msg::Tick, t0 + secs(4.0));
    app.update(Msg::Tick, t0 + secs(8.0));
    assert_eq!(played(), at_start, "nothing plays while muted");
    app.update(ch('m'), t0 + secs(9.0));
    assert!(!exhale::audio::Chime::is_muted(&rec));
    // The hold at 12 s sounds again.
    app.update(Msg::Tick, t0 + secs(12.0));
    assert_eq!(played().len(), at_start.len() + 1, "{:?}", played());
}

#[test]
fn the_loop_wakes_only_when_something_moves() {
    let t0 = Instant::now();
    let (mut app, _) = app(BOX, opts(), t0);
    // Inhale: the cue moves, 30 frames a second.
    assert_eq!(
        app.next_deadline(t0 + secs(1.0)),
        Some(t0 + secs(1.0) + FRAME)
    );
    // Hold: still; wake when the shown second changes.
    let d = app.next_deadline(t0 + secs(4.5)).expect("a deadline");
    assert!(d > t0 + secs(4.9) && d <= t0 + secs(5.01), "{:?}", d - t0);
    // Paused: nothing to do until a key.
    app.update(ch(' '), t0 + secs(5.0));
    assert_eq!(app.next_deadline(t0 + secs(5.0)), None);
    // Reduced motion: once a second even while breathing in.
    let mut o = opts();
    o.reduced_motion = true;
    let (calm, _) = tui_common::app(BOX, o, t0);
    let d = calm.next_deadline(t0 + secs(1.25)).expect("a deadline");
    assert!(d >= t0 + secs(1.75), "{:?}", d - t0);
}

#[test]
fn picker_typing_filters_and_enter_starts_after_the_cautions() {
    let dir = tempfile::tempdir().expect("tempdir");
    let picker = Picker::load(&exhale::paths::Paths::under(dir.path()), None);
    let mut app = App::with_picker(picker, Box::new(exhale::audio::Silent), opts());
    let now = Instant::now();
    assert_eq!(app.next_deadline(now), None, "the picker is static");
    for c in "478".chars() {
        app.update(ch(c), now);
    }
    let p = app.picker.as_ref().expect("picker");
    assert_eq!(p.current().map(|i| i.name.as_str()), Some("478"));
    app.update(key(KeyCode::Enter), now);
    assert!(
        matches!(app.screen, Screen::Caution(_)),
        "4-7-8 has a caution"
    );
    app.update(key(KeyCode::Esc), now);
    assert!(matches!(app.screen, Screen::Picker), "Esc goes back");
    app.update(key(KeyCode::Enter), now);
    app.update(key(KeyCode::Enter), now);
    assert_eq!(
        kind_at(&app, now),
        SegmentKind::Breath(PhaseKind::Inhale),
        "begins"
    );
    // Stopping returns to the picker after the summary.
    app.update(ch('q'), now + secs(2.0));
    app.update(key(KeyCode::Enter), now + secs(2.0));
    assert!(matches!(app.screen, Screen::Summary(_)));
    app.update(ch('x'), now + secs(3.0));
    assert!(matches!(app.screen, Screen::Picker));
    assert!(!app.quit);
}

#[test]
fn picker_arrows_move_and_wrap() {
    let dir = tempfile::tempdir().expect("tempdir");
    let picker = Picker::load(&exhale::paths::Paths::under(dir.path()), Some("478"));
    let mut app = App::with_picker(picker, Box::new(exhale::audio::Silent), opts());
    let now = Instant::now();
    let name = |app: &App| {
        app.picker
            .as_ref()
            .and_then(|p| p.current())
            .map(|i| i.name.clone())
    };
    assert_eq!(
        name(&app).as_deref(),
        Some("478"),
        "the default session is preselected"
    );
    app.update(key(KeyCode::Up), now);
    assert_eq!(name(&app).as_deref(), Some("box"));
    app.update(key(KeyCode::Up), now);
    let last = app
        .picker
        .as_ref()
        .map(|p| p.items.last().map(|i| i.name.clone()));
    assert_eq!(name(&app), last.flatten(), "wraps to the end");
    app.update(key(KeyCode::Esc), now);
    assert!(app.quit, "Esc with no filter quits");
}

/// A sound player that cannot play, as on a machine without audio.
struct NoDevice;

impl exhale::audio::Chime for NoDevice {
    fn play(&self, _name: &str) {}
    fn set_muted(&self, _muted: bool) {}
    fn is_muted(&self) -> bool {
        false
    }
    fn set_volume(&self, _volume: f32) {}
    fn volume(&self) -> f32 {
        0.7
    }
    fn notice(&self) -> Option<String> {
        Some("no audio device: running silently".into())
    }
}

#[test]
fn the_sound_players_notice_is_shown_at_the_start() {
    let t0 = Instant::now();
    let o = opts();
    let mut app = App::with_session(prepared(BOX, &o), Box::new(NoDevice), o, t0);
    app.update(Msg::Tick, t0);
    assert_eq!(
        app.notice.as_ref().map(|n| n.0.as_str()),
        Some("no audio device: running silently")
    );
    let screen = text(&buffer(&app, t0 + secs(1.0)));
    assert!(
        screen.contains("no audio device: running silently"),
        "{screen}"
    );
    app.update(Msg::Tick, t0 + secs(10.0));
    assert!(app.notice.is_none());
}

#[test]
fn keys_typed_on_the_summary_reach_the_picker() {
    let dir = tempfile::tempdir().expect("tempdir");
    let picker = Picker::load(&exhale::paths::Paths::under(dir.path()), Some("box"));
    let mut app = App::with_picker(picker, Box::new(exhale::audio::Silent), opts());
    let now = Instant::now();
    app.update(key(KeyCode::Enter), now);
    app.update(ch('q'), now + secs(1.0));
    app.update(key(KeyCode::Enter), now + secs(1.0));
    assert!(matches!(app.screen, Screen::Summary(_)));
    for c in "abc".chars() {
        app.update(ch(c), now + secs(3.0));
    }
    assert!(matches!(app.screen, Screen::Picker));
    let query = app.picker.as_ref().map(|p| p.query.clone());
    assert_eq!(query.as_deref(), Some("abc"), "no letter is lost");
}

#[test]
fn the_filter_is_cleared_after_a_session() {
    let dir = tempfile::tempdir().expect("tempdir");
    let picker = Picker::load(&exhale::paths::Paths::under(dir.path()), None);
    let mut app = App::with_picker(picker, Box::new(exhale::audio::Silent), opts());
    let now = Instant::now();
    for c in "box".chars() {
        app.update(ch(c), now);
    }
    app.update(key(KeyCode::Enter), now);
    app.update(ch('q'), now + secs(1.0));
    app.update(key(KeyCode::Enter), now + secs(1.0));
    assert!(matches!(app.screen, Screen::Summary(_)));
    app.update(key(KeyCode::Enter), now + secs(3.0));
    assert!(matches!(app.screen, Screen::Picker));
    let p = app.picker.as_ref().expect("picker");
    assert_eq!(p.query, "");
    assert_eq!(p.visible().len(), p.items.len(), "every session is listed");
    assert_eq!(
        p.current().map(|i| i.name.as_str()),
        Some("box"),
        "still selected"
    );
    let screen = text(&buffer(&app, now + secs(3.0)));
    assert!(screen.contains("type to filter"), "{screen}");
}

#[test]
fn every_queued_key_is_applied_before_one_redraw() {
    let dir = tempfile::tempdir().expect("tempdir");
    let picker = Picker::load(&exhale::paths::Paths::under(dir.path()), None);
    let n = picker.items.len();
    let mut app = App::with_picker(picker, Box::new(exhale::audio::Silent), opts());
    // 25 keys waiting when the loop starts; then the input closes, which
    // the loop takes as a closed terminal and quits.
    let (tx, rx) = crossbeam_channel::unbounded();
    for _ in 0..25 {
        tx.send(key(KeyCode::Down)).expect("send");
    }
    drop(tx);
    let clock = exhale::clock::ManualClock::new(Instant::now());
    let mut term = ratatui::Terminal::new(CountingBackend::new(80, 24)).expect("test terminal");
    exhale::tui::event_loop::run(&mut app, &mut term, &rx, &clock).expect("runs");
    assert_eq!(app.picker.as_ref().map(Picker::selected), Some(25 % n));
    // The first frame, then one frame for all 25 keys (one each would be 26).
    assert_eq!(term.backend().frames, 2, "frames drawn");
    // And that frame shows where the 25 keys led.
    let last = text(term.backend().inner.buffer());
    let expected = text(&buffer(&app, Instant::now()));
    assert_eq!(last, expected);
}

fn builtin(name: &str, o: &exhale::tui::Options) -> exhale::tui::Prepared {
    let dir = tempfile::tempdir().expect("tempdir");
    let picker = Picker::load(&exhale::paths::Paths::under(dir.path()), None);
    let item = picker.items.into_iter().find(|i| i.name == name);
    let session = item.and_then(|i| i.session.ok()).expect("built-in session");
    exhale::tui::Prepared::new(name, session, o)
}

#[test]
fn long_cautions_scroll_and_the_keys_stay_visible_at_40x12() {
    let t0 = Instant::now();
    let o = opts();
    let p = builtin("retention", &o);
    let cautions: Vec<String> = p.session.cautions.iter().map(|c| c.text.clone()).collect();
    assert!(cautions.len() > 1, "the test needs several cautions");
    let mut app = App::with_session(p, Box::new(exhale::audio::Silent), o, t0);
    app.update(Msg::Resize(40, 12), t0);
    let screen = text(draw(&app, t0, 40, 12).backend().buffer());
    assert!(
        screen.contains("Enter to begin · Esc to go back"),
        "{screen}"
    );
    assert!(screen.contains("more below"), "{screen}");
    for _ in 0..40 {
        app.update(key(KeyCode::Down), t0);
    }
    let screen = text(draw(&app, t0, 40, 12).backend().buffer());
    assert!(
        screen.contains("Enter to begin · Esc to go back"),
        "{screen}"
    );
    assert!(!screen.contains("more below"), "at the end:\n{screen}");
    let last_word = cautions
        .last()
        .and_then(|c| c.split_whitespace().last())
        .unwrap_or_default();
    assert!(
        screen.contains(last_word),
        "the last caution's end:\n{screen}"
    );
    // One step up shows more below again.
    app.update(key(KeyCode::PageUp), t0);
    let screen = text(draw(&app, t0, 40, 12).backend().buffer());
    assert!(screen.contains("more below"), "{screen}");
    app.update(key(KeyCode::Enter), t0);
    assert!(
        matches!(app.screen, Screen::Session(_)),
        "Enter still begins"
    );
}

#[test]
fn n_in_a_meditation_asks_before_skipping_it() {
    let t0 = Instant::now();
    let (mut app, _) = app(SIT, opts(), t0);
    let at = t0 + secs(10.0);
    // A prompt lies ahead (at 0:30): n asks to go on to it.
    app.update(ch('n'), at);
    assert_eq!(kind_at(&app, at), SegmentKind::Sit, "one n does not move");
    let screen = text(&buffer(&app, at));
    assert!(screen.contains("Go on to the next prompt?"), "{screen}");
    assert!(screen.contains("Enter: skip the"), "{screen}");
    app.update(key(KeyCode::Esc), at);
    assert_eq!(kind_at(&app, at), SegmentKind::Sit);
    assert!(!running(&app).confirm_stop, "Esc only closes the question");
    assert!(!text(&buffer(&app, at)).contains("next prompt?"));
    app.update(ch('n'), at);
    app.update(ch('n'), at);
    let s = running(&app).player.state(at);
    assert!(
        s.prompt
            .is_some_and(|p| p.starts_with("Bring attention to the feet"))
    );
    // The 20 s passed over are gone from the time left, and the line
    // under the sit agrees: filled to 0:30 of 2:00.
    assert_eq!(s.left_in_segment(), secs(90.0));
    let screen = text(&buffer(&app, at));
    assert!(screen.contains("1:30 left"), "{screen}");
    let line = screen.lines().find(|l| l.contains('━')).expect("the line");
    let filled = line.matches('━').count();
    let all = filled + line.matches('─').count() + line.matches('◆').count();
    assert_eq!((filled * 4 + all / 2) / all, 1, "a quarter filled: {line}");
    // No prompt is left: the second step skips the rest of the sit.
    app.update(ch('n'), at);
    let screen = text(&buffer(&app, at));
    assert!(
        screen.contains("Skip the rest of this meditation?"),
        "{screen}"
    );
    app.update(ch('n'), at);
    let Screen::Summary(s) = &app.screen else {
        panic!("n twice skips the meditation");
    };
    assert_eq!(s.outcome.skipped, 1);
    let screen = text(&buffer(&app, at));
    assert!(screen.contains("Phases skipped  1"), "{screen}");
}

#[test]
fn enter_on_the_next_prompt_question_skips_the_whole_meditation() {
    let t0 = Instant::now();
    let (mut app, _) = app(SIT, opts(), t0);
    let at = t0 + secs(10.0);
    app.update(ch('n'), at);
    app.update(key(KeyCode::Enter), at);
    assert!(matches!(app.screen, Screen::Summary(_)), "{:?}", app.screen);
}

#[test]
fn a_window_too_small_pauses_and_growing_it_resumes() {
    let t0 = Instant::now();
    let (mut app, _) = app(BOX, opts(), t0);
    app.update(Msg::Resize(80, 24), t0);
    app.update(Msg::Resize(30, 10), t0 + secs(1.0));
    assert!(running(&app).player.is_paused(), "paused while unseen");
    assert_eq!(
        app.next_deadline(t0 + secs(1.0)),
        None,
        "nothing to wake for"
    );
    let screen = text(draw(&app, t0 + secs(1.0), 30, 10).backend().buffer());
    assert!(screen.contains("Paused: make the window"), "{screen}");
    app.update(Msg::Tick, t0 + secs(60.0));
    app.update(Msg::Resize(80, 24), t0 + secs(60.0));
    let p = &running(&app).player;
    assert!(!p.is_paused(), "resumes by itself");
    assert_eq!(
        p.elapsed(t0 + secs(60.0)),
        secs(1.0),
        "no time passed unseen"
    );
    // A pause the user chose stays after the window grows again.
    app.update(ch(' '), t0 + secs(61.0));
    app.update(Msg::Resize(30, 10), t0 + secs(62.0));
    app.update(Msg::Resize(80, 24), t0 + secs(63.0));
    assert!(running(&app).player.is_paused(), "the user's pause is kept");
}

#[test]
fn the_picker_preview_says_a_session_has_cautions_at_40x12() {
    let dir = tempfile::tempdir().expect("tempdir");
    let picker = Picker::load(&exhale::paths::Paths::under(dir.path()), Some("retention"));
    let app = App::with_picker(picker, Box::new(exhale::audio::Silent), opts());
    let screen = text(draw(&app, Instant::now(), 40, 12).backend().buffer());
    assert!(screen.contains("has cautions"), "{screen}");
}

#[test]
fn the_pickers_keys_overlay_lists_tab() {
    let dir = tempfile::tempdir().expect("tempdir");
    let picker = Picker::load(&exhale::paths::Paths::under(dir.path()), None);
    let mut app = App::with_picker(picker, Box::new(exhale::audio::Silent), opts());
    app.update(ch('?'), Instant::now());
    let s = text(&buffer(&app, Instant::now()));
    assert!(s.contains("Tab") && s.contains("your practice"), "{s}");
}

#[test]
fn brackets_change_the_pace_from_the_next_phase_and_say_so() {
    let t0 = Instant::now();
    let (mut app, _) = app(BOX, opts(), t0);
    // Two steps slower during the first inhale.
    app.update(ch('['), t0 + secs(1.0));
    app.update(ch('['), t0 + secs(1.5));
    let screen = text(&buffer(&app, t0 + secs(1.5)));
    assert!(screen.contains("pace 90% from the next phase"), "{screen}");
    assert!(screen.contains("pace 90%  cycle 1/2"), "{screen}");
    // The inhale still ends at 4 s; the hold after it lasts 4 s / 0.9.
    assert_eq!(
        kind_at(&app, t0 + secs(3.99)),
        SegmentKind::Breath(PhaseKind::Inhale)
    );
    let hold = running(&app).player.state(t0 + secs(4.0));
    assert_eq!(hold.segment.kind, SegmentKind::Breath(PhaseKind::Hold));
    assert_eq!(hold.length.as_millis(), 4444);
    // One step back faster, during the hold: the exhale gets 4 s / 0.95.
    app.update(ch(']'), t0 + secs(5.0));
    let exhale = running(&app).player.state(t0 + secs(8.5));
    assert_eq!(exhale.segment.kind, SegmentKind::Breath(PhaseKind::Exhale));
    assert_eq!(exhale.length.as_millis(), 4210);
    // The keys overlay names them.
    app.update(ch('?'), t0 + secs(5.0));
    let screen = text(&buffer(&app, t0 + secs(5.0)));
    assert!(
        screen.contains("[  ]     slower / faster breathing"),
        "{screen}"
    );
}

#[test]
fn the_pace_stays_within_the_formats_phase_limits() {
    let t0 = Instant::now();
    // 0.2 s phases at 200% are 0.1 s, the shortest a phase may be; at
    // 205% they would be shorter.
    let src = "name = \"Quick\"\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 0.2 }, { out = 0.2 }]\ncycles = 200\n";
    let (mut app, _) = app(src, opts(), t0);
    for _ in 0..20 {
        app.update(ch(']'), t0);
    }
    let screen = text(&buffer(&app, t0));
    assert!(screen.contains("pace 200%  cycle 1/200"), "{screen}");
    app.update(ch(']'), t0);
    let screen = text(&buffer(&app, t0));
    assert!(
        screen.contains("pace 200%: the fastest this session allows"),
        "{screen}"
    );
}

#[test]
fn a_closing_moment_follows_the_last_phase_with_the_end_sound() {
    let t0 = Instant::now();
    let mut o = opts();
    o.closing = secs(6.0);
    let (mut app, rec) = app(BOX, o.clone(), t0);
    app.update(Msg::Tick, t0 + secs(32.0));
    assert!(matches!(app.screen, Screen::Closing(_)), "{:?}", app.screen);
    let played = rec.played.lock().expect("lock").clone();
    assert_eq!(
        played.last().map(String::as_str),
        Some("gong"),
        "the end sound rings here"
    );
    let screen = text(&buffer(&app, t0 + secs(33.0)));
    assert!(screen.contains("Take a moment."), "{screen}");
    assert!(screen.contains("Notice how you feel."), "{screen}");
    // It wakes the loop when it is over, and goes on by itself.
    assert_eq!(app.next_deadline(t0 + secs(33.0)), Some(t0 + secs(38.0)));
    app.update(Msg::Tick, t0 + secs(37.9));
    assert!(matches!(app.screen, Screen::Closing(_)));
    app.update(Msg::Tick, t0 + secs(38.0));
    assert!(matches!(app.screen, Screen::Summary(_)));

    // Any key goes on at once, but not one pressed in the first moment
    // (meant for the last phase).
    let (mut app, _) = tui_common::app(BOX, o.clone(), t0);
    app.update(Msg::Tick, t0 + secs(32.0));
    app.update(ch(' '), t0 + secs(32.1));
    assert!(matches!(app.screen, Screen::Closing(_)));
    app.update(ch('x'), t0 + secs(33.0));
    assert!(matches!(app.screen, Screen::Summary(_)));

    // A stopped session goes straight on.
    let (mut app, _) = tui_common::app(BOX, o, t0);
    app.update(ch('q'), t0 + secs(3.0));
    app.update(key(KeyCode::Enter), t0 + secs(3.0));
    assert!(matches!(app.screen, Screen::Summary(_)));
}

/// A sound player whose "no audio device" becomes known late, as when it
/// opens in the background.
struct LateNotice(std::sync::Arc<std::sync::atomic::AtomicBool>);

impl exhale::audio::Chime for LateNotice {
    fn play(&self, _name: &str) {}
    fn set_muted(&self, _muted: bool) {}
    fn is_muted(&self) -> bool {
        false
    }
    fn set_volume(&self, _volume: f32) {}
    fn volume(&self) -> f32 {
        0.7
    }
    fn notice(&self) -> Option<String> {
        self.0
            .load(std::sync::atomic::Ordering::SeqCst)
            .then(|| "no audio device".into())
    }
}

#[test]
fn a_late_sound_notice_goes_beside_the_one_showing_and_fades() {
    let t0 = Instant::now();
    let o = opts();
    let known = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut app = App::with_session(
        prepared(BOX, &o),
        Box::new(LateNotice(known.clone())),
        o,
        t0,
    );
    app.update(ch('m'), t0 + secs(0.5));
    assert_eq!(
        app.notice.as_ref().map(|n| n.0.as_str()),
        Some("unmuted · volume 70%")
    );
    known.store(true, std::sync::atomic::Ordering::SeqCst);
    app.update(Msg::Tick, t0 + secs(1.0));
    assert_eq!(
        app.notice.as_ref().map(|n| n.0.as_str()),
        Some("unmuted · volume 70% · no audio device")
    );
    app.update(Msg::Tick, t0 + secs(4.5));
    assert!(app.notice.is_none(), "gone after a few seconds");
}

#[test]
fn at_40x12_the_cue_moves_in_more_than_five_steps_over_an_inhale() {
    let t0 = Instant::now();
    let src = "name = \"Slow\"\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 5.5 }, { out = 5.5 }]\ncycles = 2\n";
    let (mut app, _) = app(src, opts(), t0);
    app.update(Msg::Resize(40, 12), t0);
    let area = ratatui::layout::Rect::new(0, 0, 40, 12);
    let mut seen = std::collections::BTreeSet::new();
    for i in 0..55 {
        let now = t0 + secs(f64::from(i) * 0.1);
        let parts = exhale::tui::render::session::frame_parts(&app, running(&app), area, now);
        seen.insert(parts.0);
    }
    assert!(seen.len() > 5, "only {} steps: {seen:?}", seen.len());
}

#[test]
fn the_cue_text_never_repeats_the_phase_word() {
    let t0 = Instant::now();
    let src = "name = \"Plain\"\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 4, cue = \"In through the nose\" }, { hold = 4, cue = \"Hold.\" }]\ncycles = 2\n";
    let (app, _) = app(src, opts(), t0);
    let screen = text(&buffer(&app, t0 + secs(5.0)));
    assert!(screen.contains("■  Hold"), "{screen}");
    assert_eq!(screen.matches("Hold").count(), 1, "{screen}");
    let screen = text(&buffer(&app, t0 + secs(1.0)));
    assert!(screen.contains("In through the nose"), "{screen}");
}

#[test]
fn before_an_open_sit_the_time_left_is_as_long_as_you_like() {
    let t0 = Instant::now();
    let mut o = opts();
    o.settle = secs(5.0);
    let (app, _) = app(OPEN_SIT, o, t0);
    let screen = text(&buffer(&app, t0 + secs(1.0)));
    assert!(screen.contains("as long as you like"), "{screen}");
    assert!(!screen.contains("up to"), "{screen}");
    // A retention hold still says how long it may be.
    let (ret, _) = tui_common::app(RETENTION, opts(), t0);
    let screen = text(&buffer(&ret, t0 + secs(1.0)));
    assert!(screen.contains("up to "), "{screen}");
}

/// A plan: extended exhale today for 2 cycles, retention left alone.
fn plan() -> exhale::plan::Plan {
    use exhale::plan::{Avoid, Days, Length, Plan, Practice};
    Plan {
        title: "Between sessions".into(),
        from: chrono::NaiveDate::from_ymd_opt(2026, 12, 1).expect("date"),
        until: None,
        review: None,
        practices: vec![Practice {
            session: "extended-exhale".into(),
            days: Days::Daily,
            length: Length::Cycles(2),
            note: Some("After dinner.".into()),
        }],
        avoid: Some(Avoid {
            sessions: vec!["retention".into()],
            reason: "Breath holds are for later.".into(),
        }),
        measures: Vec::new(),
    }
}

#[test]
fn the_picker_puts_today_s_practice_on_top_and_asks_before_an_avoided_session() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut picker = Picker::load(&exhale::paths::Paths::under(dir.path()), Some("box"));
    picker.apply_plan(&plan(), &[0]);
    let mut app = App::with_picker(picker, Box::new(exhale::audio::Silent), opts());
    let now = Instant::now();
    let p = app.picker.as_ref().expect("picker");
    assert_eq!(p.items[0].name, "extended-exhale");
    assert_eq!(
        p.current().map(|i| i.name.as_str()),
        Some("extended-exhale")
    );
    let screen = text(&buffer(&app, now));
    assert!(screen.contains("planned today · 2 cycles"), "{screen}");
    assert!(
        screen.contains("planned today · 2 cycles: After dinne"),
        "{screen}"
    );

    // Retention: marked, and asked about with the plan's reason.
    for c in "retention".chars() {
        app.update(ch(c), now);
    }
    let screen = text(&buffer(&app, now));
    assert!(screen.contains("your plan leaves this for now"), "{screen}");
    app.update(key(KeyCode::Enter), now);
    let Screen::Caution(p) = &app.screen else {
        panic!("asked first");
    };
    assert!(
        p.session.cautions[0]
            .text
            .contains("Breath holds are for later."),
        "{:?}",
        p.session.cautions
    );
    app.update(key(KeyCode::Esc), now);
    assert!(matches!(app.screen, Screen::Picker), "Esc goes back");

    // Today's practice: one key starts it, at the plan's length.
    app.update(key(KeyCode::Esc), now);
    for c in "exhale".chars() {
        app.update(ch(c), now);
    }
    app.update(key(KeyCode::Enter), now);
    if matches!(app.screen, Screen::Caution(_)) {
        app.update(key(KeyCode::Enter), now);
    }
    let Screen::Session(r) = &app.screen else {
        panic!("begins");
    };
    // Two cycles of at most 12 seconds, not the session's six minutes.
    let total = r.player.schedule().total();
    assert!(total <= secs(24.0), "{total:?}");
}

#[test]
fn the_bed_plays_with_the_session_b_cycles_it_and_it_stops_at_the_end() {
    use exhale::engine::model::Bed;
    let t0 = Instant::now();
    let mut o = opts();
    // The config's bed, for a session that names none.
    o.bed = Bed::Pink;
    let (mut app, rec) = app(BOX, o, t0);
    assert_eq!(*rec.beds.lock().expect("lock"), vec![Bed::Pink]);
    app.update(ch('b'), t0 + secs(1.0));
    assert_eq!(running(&app).bed, Bed::White);
    assert_eq!(
        app.notice.as_ref().map(|n| n.0.as_str()),
        Some("bed: white")
    );
    for _ in 0..3 {
        app.update(ch('b'), t0 + secs(2.0));
    }
    assert_eq!(running(&app).bed, Bed::None, "round to none");
    app.update(ch('B'), t0 + secs(3.0));
    assert_eq!(running(&app).bed, Bed::Brown, "and on again");
    // The session ends: the bed fades out with it.
    app.update(Msg::Tick, t0 + secs(40.0));
    assert!(matches!(app.screen, Screen::Summary(_)), "{:?}", app.screen);
    assert_eq!(
        *rec.beds.lock().expect("lock"),
        vec![
            Bed::Pink,
            Bed::White,
            Bed::Rain,
            Bed::Ocean,
            Bed::None,
            Bed::Brown,
            Bed::None
        ]
    );
}

#[test]
fn a_session_bed_beats_the_config_and_the_command_line_beats_both() {
    use exhale::engine::model::Bed;
    let t0 = Instant::now();
    let rainy = BOX.replace(
        "name = \"Box\"\n[[block]]",
        "name = \"Box\"\nbed = \"rain\"\n[[block]]",
    );
    let mut o = opts();
    o.bed = Bed::Pink;
    let (_app, rec) = app(&rainy, o.clone(), t0);
    assert_eq!(*rec.beds.lock().expect("lock"), vec![Bed::Rain]);
    o.forced_bed = Some(Bed::None);
    let (_app, rec) = app(&rainy, o, t0);
    assert_eq!(*rec.beds.lock().expect("lock"), vec![Bed::None]);
}

#[test]
fn ctrl_c_fades_the_bed_out_too() {
    use exhale::engine::model::Bed;
    let t0 = Instant::now();
    let mut o = opts();
    o.bed = Bed::Ocean;
    let (mut app, rec) = app(BOX, o, t0);
    app.update(ctrl_c(), t0 + secs(5.0));
    assert_eq!(*rec.beds.lock().expect("lock"), vec![Bed::Ocean, Bed::None]);
}

#[test]
fn the_pacing_sound_follows_each_phase_and_rests_while_paused() {
    use exhale::engine::model::Pacing;
    use std::time::Duration;
    let t0 = Instant::now();
    let mut o = opts();
    o.pacing = Pacing::Tone;
    let (mut app, rec) = app(BOX, o, t0);
    let paced = || rec.paced.lock().expect("lock").clone();
    let first = paced()[0].expect("the inhale sounds");
    assert_eq!(first.sound, Pacing::Tone);
    assert_eq!((first.glide.from, first.glide.to), (0.0, 1.0));
    assert_eq!(first.glide.length, secs(4.0));
    assert_eq!(first.glide.into, Duration::ZERO);
    // Paused a second in: silent; resumed a minute later: on again where
    // the inhale stood, not from its start.
    app.update(ch(' '), t0 + secs(1.0));
    assert_eq!(paced().len(), 2);
    assert!(paced()[1].is_none());
    app.update(ch(' '), t0 + secs(61.0));
    let resumed = paced()[2].expect("resumed");
    assert_eq!(resumed.glide.into, secs(1.0));
    // The hold rests full, anchored at its own start.
    app.update(Msg::Tick, t0 + secs(64.0));
    let hold = paced()[3].expect("hold");
    assert_eq!((hold.glide.from, hold.glide.to), (1.0, 1.0));
    app.update(Msg::Tick, t0 + secs(68.0));
    let exhale = paced()[4].expect("exhale");
    assert_eq!((exhale.glide.from, exhale.glide.to), (1.0, 0.0));
    // The end: silent.
    app.update(Msg::Tick, t0 + secs(100.0));
    assert!(matches!(app.screen, Screen::Summary(_)));
    assert!(paced().last().expect("calls").is_none());
}

#[test]
fn no_pacing_sound_is_asked_for_without_pacing() {
    let t0 = Instant::now();
    let (mut app, rec) = app(BOX, opts(), t0);
    app.update(ch(' '), t0 + secs(1.0));
    app.update(ch(' '), t0 + secs(2.0));
    app.update(Msg::Tick, t0 + secs(100.0));
    assert!(rec.paced.lock().expect("lock").is_empty());
}

/// Each sound handed out as `(name, ms after t0 it is due)`.
fn timed(rec: &exhale::audio::Recorder, t0: Instant) -> Vec<(String, u128)> {
    rec.timed
        .lock()
        .expect("lock")
        .iter()
        .map(|(n, at)| (n.clone(), at.duration_since(t0).as_millis()))
        .collect()
}

#[test]
fn full_screen_sounds_are_handed_out_ahead_and_a_pause_takes_them_back() {
    let t0 = Instant::now();
    let rec = exhale::audio::Recorder::with_lead(secs(0.25));
    let p = prepared(BOX, &opts());
    let mut app = App::with_session(p, Box::new(rec.clone()), opts(), t0);
    app.update(Msg::Tick, t0);
    // The session begins a quarter second on, its first sounds due then.
    assert_eq!(
        timed(&rec, t0),
        [("bowl".to_owned(), 250), ("rise".to_owned(), 250)]
    );
    // 250 ms before the hold (due at 4.25 s), its sound is handed out for
    // its moment, not before.
    app.update(Msg::Tick, t0 + secs(3.99));
    assert_eq!(timed(&rec, t0).len(), 2);
    app.update(Msg::Tick, t0 + secs(4.01));
    assert_eq!(timed(&rec, t0).last(), Some(&("wood".to_owned(), 4250)));
    // Paused before it: taken back, and handed out again when resumed, six
    // seconds later.
    app.update(ch(' '), t0 + secs(4.1));
    assert_eq!(*rec.cancels.lock().expect("lock"), 1);
    app.update(ch(' '), t0 + secs(10.1));
    assert_eq!(timed(&rec, t0).last(), Some(&("wood".to_owned(), 10_250)));
}

#[test]
fn a_speaking_session_says_its_summary_when_it_completes_and_not_when_stopped() {
    let spoken = BOX.replace(
        "name = \"Box\"\n",
        "name = \"Box\"\nsounds = { speak = true }\n",
    );
    let t0 = Instant::now();
    let (mut done, rec) = app(&spoken, opts(), t0);
    for i in 1..=40 {
        done.update(Msg::Tick, t0 + secs(f64::from(i)));
    }
    assert!(matches!(done.screen, Screen::Summary(_)));
    let said: Vec<(String, u128)> = rec
        .said
        .lock()
        .expect("lock")
        .iter()
        .map(|(s, at)| (s.clone(), at.duration_since(t0).as_millis()))
        .collect();
    // The end (32 s) was noticed at the tick of 32 s; said 1.5 s on.
    assert_eq!(
        said,
        [(
            "Session complete. You practised for 32 seconds: 2 cycles.".to_owned(),
            33_500
        )]
    );
    let (mut stopped, rec) = app(&spoken, opts(), t0);
    stopped.update(ch('q'), t0 + secs(5.0));
    stopped.update(key(KeyCode::Enter), t0 + secs(5.5));
    assert!(matches!(stopped.screen, Screen::Summary(_)), "stopped");
    assert!(rec.said.lock().expect("lock").is_empty());
}
