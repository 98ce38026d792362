//! The live preview (`exhale run FILE --watch`) at app level: the file is
//! written in a temp dir and `Msg::SessionFileChanged` is fed through
//! `update` at injected instants, as the watcher would send it. Asserted:
//! a valid save starts again from the top with a new player, an invalid
//! one shows its errors in place, a fix brings the session back, a removed
//! file is waited for, and cautions are not asked twice. One test runs the
//! real watcher on a real folder.

mod tui_common;

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use exhale::audio::Recorder;
use exhale::engine::SegmentKind;
use exhale::engine::model::PhaseKind;
use exhale::format::BuiltinSoundNames;
use exhale::tui::watch::{FileProblem, ProblemKind, Watch};
use exhale::tui::{App, Msg, Screen};
use insta::assert_snapshot;
use ratatui::crossterm::event::KeyCode;
use tui_common::*;

const GOOD: &str = "name = \"Evening\"\nsettle = 0\nsounds = { start = \"bowl\", inhale = \"none\", exhale = \"none\" }\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 4 }, { out = 6 }]\ncycles = 5\n";
const EDITED: &str = "name = \"Evening, slower\"\nsettle = 0\nsounds = { start = \"bell\", inhale = \"none\", exhale = \"none\" }\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 5 }, { out = 7 }]\ncycles = 5\n";
/// GOOD with `cycles = 0` on line 7, column 10.
const BROKEN: &str = "name = \"Evening\"\nsettle = 0\nsounds = { start = \"bowl\", inhale = \"none\", exhale = \"none\" }\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 4 }, { out = 6 }]\ncycles = 0\n";
const CAUTIOUS: &str = "name = \"Careful\"\nsettle = 0\ncaution = \"Sit down before you begin.\"\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 4 }, { out = 6 }]\ncycles = 5\n";
const CAUTIOUS_EDITED: &str = "name = \"Careful\"\nsettle = 0\ncaution = \"Sit down before you begin.\"\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 3 }, { out = 6 }]\ncycles = 5\n";
const CAUTIOUS_NEW_TEXT: &str = "name = \"Careful\"\nsettle = 0\ncaution = \"Sit or lie down; stop if you feel dizzy.\"\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 3 }, { out = 6 }]\ncycles = 5\n";

/// A session file in a temp dir, and an app watching it from `t0`.
struct Fixture {
    _dir: tempfile::TempDir,
    file: std::path::PathBuf,
    app: App,
    rec: Recorder,
}

fn watching(src: &str, t0: Instant) -> Fixture {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("evening.toml");
    std::fs::write(&file, src).expect("write");
    let rec = Recorder::default();
    let watch = Watch::new(
        &file,
        "evening.toml",
        "evening",
        Box::new(BuiltinSoundNames),
    );
    let mut app = App::watching(watch, Box::new(rec.clone()), opts(), t0);
    app.update(Msg::Tick, t0);
    Fixture {
        _dir: dir,
        file,
        app,
        rec,
    }
}

impl Fixture {
    /// Save `src` (by writing a new file and renaming it over the old one,
    /// as many editors do) and deliver the change at `now`.
    fn save(&mut self, src: &str, now: Instant) {
        save(&self.file, src);
        self.app.update(Msg::SessionFileChanged, now);
    }

    fn played(&self) -> Vec<String> {
        self.rec.played.lock().expect("lock").clone()
    }
}

fn save(file: &Path, src: &str) {
    let tmp = file.with_extension("toml.tmp");
    std::fs::write(&tmp, src).expect("write");
    std::fs::rename(&tmp, file).expect("rename");
}

fn running(app: &App) -> &exhale::tui::app::Running {
    match &app.screen {
        Screen::Session(r) => r,
        other => panic!("expected a session, found {other:?}"),
    }
}

fn problem(app: &App) -> &FileProblem {
    match &app.screen {
        Screen::FileProblem(p) => p,
        other => panic!("expected the file problem screen, found {other:?}"),
    }
}

fn screen(app: &App, now: Instant) -> String {
    text(&buffer(app, now))
}

#[test]
fn a_save_starts_again_from_the_top_with_a_new_player() {
    let t0 = Instant::now();
    let mut f = watching(GOOD, t0);
    f.app.update(Msg::Tick, t0 + secs(0.1));
    assert_eq!(f.played(), ["bowl"], "the first start");
    // 25 s in: the third cycle's exhale.
    let t1 = t0 + secs(25.0);
    f.app.update(Msg::Tick, t1);
    let s = running(&f.app).player.state(t1);
    assert_eq!(s.segment.kind, SegmentKind::Breath(PhaseKind::Exhale));

    let cancels = Arc::clone(&f.rec.cancels);
    let cancels = move || *cancels.lock().expect("lock");
    let before = cancels();
    f.save(EDITED, t1);
    assert_eq!(
        cancels(),
        before + 1,
        "what the old session handed out ahead is taken back"
    );
    let r = running(&f.app);
    assert_eq!(r.title, "Evening, slower");
    assert_eq!(r.player.elapsed(t1), Duration::ZERO, "from the top");
    assert_eq!(
        r.player.state(t1 + secs(4.9)).segment.kind,
        SegmentKind::Breath(PhaseKind::Inhale),
        "the new 5 s inhale"
    );
    let notice = f.app.notice.as_ref().map(|(t, _)| t.as_str());
    assert_eq!(notice, Some("reloaded"));
    assert!(screen(&f.app, t1).contains("reloaded"));

    // Nothing of the old session is left: time goes on from the reload
    // and only the new session's events come.
    f.app.update(Msg::Tick, t1 + secs(30.0));
    let s = running(&f.app).player.state(t1 + secs(30.0));
    assert_eq!(s.elapsed, secs(30.0));
    assert_eq!(f.played(), ["bowl", "bell"], "the new session's start only");
    // The note goes away on its own.
    f.app.update(Msg::Tick, t1 + secs(31.0));
    assert!(f.app.notice.is_none());
}

#[test]
fn errors_are_shown_in_place_and_a_fix_brings_the_session_back() {
    let t0 = Instant::now();
    let mut f = watching(GOOD, t0);
    let t1 = t0 + secs(7.0);
    f.save(BROKEN, t1);

    let p = problem(&f.app);
    assert_eq!(
        p.kind,
        ProblemKind::Invalid {
            report: p.report().to_vec(),
            errors: 1
        }
    );
    let s = screen(&f.app, t1);
    assert!(s.contains("This session file has 1 error"), "{s}");
    assert!(s.contains("error: `cycles` must be at least 1"), "{s}");
    assert!(s.contains("--> evening.toml:7:10"), "{s}");
    assert!(s.contains("7 | cycles = 0"), "{s}");
    assert!(s.contains("  |          ^"), "{s}");
    // The old session is gone: no sound, nothing to wake up for.
    let before = f.played();
    f.app.update(Msg::Tick, t1 + secs(60.0));
    assert_eq!(f.played(), before);
    assert_eq!(f.app.next_deadline(t1 + secs(60.0)), None, "idle");
    assert!(!f.app.quit);

    // The fix starts the session again from the top.
    let t2 = t1 + secs(90.0);
    f.save(GOOD, t2);
    let r = running(&f.app);
    assert_eq!(r.title, "Evening");
    assert_eq!(r.player.elapsed(t2), Duration::ZERO);
    let s = screen(&f.app, t2);
    assert!(s.contains("Breathe in") && s.contains("reloaded"), "{s}");
}

#[test]
fn a_removed_file_is_waited_for() {
    let t0 = Instant::now();
    let mut f = watching(GOOD, t0);
    std::fs::remove_file(&f.file).expect("rm");
    let t1 = t0 + secs(3.0);
    f.app.update(Msg::SessionFileChanged, t1);
    assert_eq!(problem(&f.app).kind, ProblemKind::Removed);
    let s = screen(&f.app, t1);
    assert!(
        s.contains("The file was removed; waiting for it to come back."),
        "{s}"
    );
    // More events while it is gone change nothing.
    f.app.update(Msg::SessionFileChanged, t1 + secs(1.0));
    assert_eq!(problem(&f.app).kind, ProblemKind::Removed);

    // It comes back unchanged (an undo): the session starts again.
    let t2 = t1 + secs(5.0);
    f.save(GOOD, t2);
    assert_eq!(running(&f.app).player.elapsed(t2), Duration::ZERO);
}

#[test]
fn a_save_that_changes_nothing_does_not_restart() {
    let t0 = Instant::now();
    let mut f = watching(GOOD, t0);
    let t1 = t0 + secs(12.0);
    // Editors often write twice for one save, or touch the file.
    let before = *f.rec.cancels.lock().expect("lock");
    f.save(GOOD, t1);
    assert_eq!(running(&f.app).player.elapsed(t1), secs(12.0));
    assert_eq!(f.played(), ["bowl"]);
    assert_eq!(
        *f.rec.cancels.lock().expect("lock"),
        before,
        "nothing taken back"
    );
    // The same for a file with errors: the report stays where it was
    // scrolled to.
    f.save(BROKEN, t1);
    f.app.update(key(KeyCode::Down), t1);
    f.save(BROKEN, t1 + secs(1.0));
    assert_eq!(problem(&f.app).scroll, 1);
}

#[test]
fn a_file_with_errors_at_the_start_opens_on_its_errors() {
    let t0 = Instant::now();
    let mut f = watching(BROKEN, t0);
    assert!(screen(&f.app, t0).contains("evening.toml:7:10"));
    f.save(GOOD, t0 + secs(2.0));
    assert_eq!(running(&f.app).title, "Evening");
}

#[test]
fn cautions_are_asked_once_per_text() {
    let t0 = Instant::now();
    let mut f = watching(CAUTIOUS, t0);
    assert!(matches!(f.app.screen, Screen::Caution(_)), "asked first");
    f.app.update(key(KeyCode::Enter), t0 + secs(1.0));
    running(&f.app);

    // An edit to the breathing only: straight into the session.
    let t1 = t0 + secs(10.0);
    f.save(CAUTIOUS_EDITED, t1);
    assert_eq!(running(&f.app).player.elapsed(t1), Duration::ZERO);

    // Via a broken file and back: still accepted.
    f.save(BROKEN, t1 + secs(1.0));
    f.save(CAUTIOUS, t1 + secs(2.0));
    running(&f.app);

    // A new caution text is shown again.
    f.save(CAUTIOUS_NEW_TEXT, t1 + secs(3.0));
    assert!(matches!(f.app.screen, Screen::Caution(_)));
    let s = screen(&f.app, t1 + secs(3.0));
    assert!(
        s.contains("Sit or lie down; stop if you feel dizzy."),
        "{s}"
    );
}

#[test]
fn the_report_scrolls_and_q_quits() {
    let t0 = Instant::now();
    // Five errors, 30 lines of report: more than fits in 24 rows.
    let mut src = String::from("name = \"Many\"\nsettle = 0\n");
    for _ in 0..5 {
        src.push_str("[[block]]\nkind = \"breathe\"\nphases = [{ in = 4 }]\ncycles = 0\n");
    }
    let mut f = watching(&src, t0);
    let p = problem(&f.app);
    assert_eq!(
        p.kind,
        ProblemKind::Invalid {
            report: p.report().to_vec(),
            errors: 5
        }
    );
    let lines = p.report().len();
    let s = screen(&f.app, t0);
    assert!(s.contains(&format!("↑↓ scroll (line 1 of {lines})")), "{s}");
    assert!(!s.contains("22:10"), "the last error is below:\n{s}");
    f.app.update(key(KeyCode::End), t0);
    let s = screen(&f.app, t0);
    assert!(s.contains("22:10"), "{s}");
    // Down stops at the last line; Up moves at once.
    for _ in 0..10 {
        f.app.update(key(KeyCode::Down), t0);
    }
    assert_eq!(problem(&f.app).scroll, lines - 1);
    f.app.update(key(KeyCode::Up), t0);
    assert_eq!(problem(&f.app).scroll, lines - 2);
    f.app.update(key(KeyCode::Home), t0);
    assert_eq!(problem(&f.app).scroll, 0);
    f.app.update(ch('q'), t0);
    assert!(f.app.quit);
    assert!(f.app.take_ended().is_none(), "no session to record");
}

#[test]
fn a_length_from_the_command_line_applies_to_every_reload() {
    let t0 = Instant::now();
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("evening.toml");
    std::fs::write(&file, GOOD).expect("write");
    let mut o = opts();
    o.length = Some(exhale::engine::LengthOverride::Cycles(2));
    let watch = Watch::new(
        &file,
        "evening.toml",
        "evening",
        Box::new(BuiltinSoundNames),
    );
    let mut app = App::watching(watch, Box::new(exhale::audio::Silent), o, t0);
    save(&file, EDITED);
    app.update(Msg::SessionFileChanged, t0 + secs(1.0));
    // Two cycles of 5 + 7 s.
    let total = running(&app).player.schedule().total();
    assert_eq!(total, secs(24.0));
}

#[test]
fn error_in_place_screen() {
    let t0 = Instant::now();
    // Two errors, one on a line longer than the window (it wraps).
    let src = "name = \"Evening\"\nsettle = 0\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 4 }, { out = 6 }]\ncycels = 5\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 4, cue = \"Breathe in slowly through the nose, the belly first, then the chest\" }, { out = 0 }]\ncycles = 3\n";
    let f = watching(src, t0);
    assert_snapshot!(draw(&f.app, t0, 80, 24).backend());
}

#[test]
fn removed_screen() {
    let t0 = Instant::now();
    let mut f = watching(GOOD, t0);
    std::fs::remove_file(&f.file).expect("rm");
    f.app.update(Msg::SessionFileChanged, t0);
    assert_snapshot!(draw(&f.app, t0, 80, 24).backend());
}

/// The real watcher on a real folder: a save by rename (as editors do) is
/// seen; a change to another file in the same folder, or reading the file,
/// is not.
#[test]
fn the_watcher_sees_saves_by_rename_and_ignores_other_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("evening.toml");
    std::fs::write(&file, GOOD).expect("write");
    let mut watch = Watch::new(
        &file,
        "evening.toml",
        "evening",
        Box::new(BuiltinSoundNames),
    );
    watch.start().expect("watch");
    let rx = watch.changes();

    std::fs::write(dir.path().join("other.toml"), GOOD).expect("write");
    assert!(
        rx.recv_timeout(Duration::from_millis(800)).is_err(),
        "another file is not ours"
    );
    save(&file, EDITED);
    assert_eq!(rx.recv_timeout(Duration::from_secs(5)), Ok(()));
    // Reading the file, as the app does on each change, is not a change:
    // otherwise every read would set off the next one.
    let _ = std::fs::read(&file).expect("read");
    assert!(
        rx.recv_timeout(Duration::from_millis(800)).is_err(),
        "a read is not a change"
    );
    std::fs::remove_file(&file).expect("rm");
    assert_eq!(rx.recv_timeout(Duration::from_secs(5)), Ok(()));
}

#[test]
fn a_save_after_the_summary_starts_again_and_a_key_closes() {
    let t0 = Instant::now();
    let mut f = watching(GOOD, t0);
    // Five cycles of 10 s: over at 50 s.
    let t1 = t0 + secs(51.0);
    f.app.update(Msg::Tick, t1);
    assert!(matches!(f.app.screen, Screen::Summary(_)));
    assert!(
        f.app.take_ended().is_some(),
        "a finished session is reported"
    );
    f.save(EDITED, t1 + secs(2.0));
    assert_eq!(running(&f.app).title, "Evening, slower");

    // The reloaded session ends; a key on its summary closes the preview.
    let t2 = t1 + secs(2.0) + secs(61.0);
    f.app.update(Msg::Tick, t2);
    assert!(matches!(f.app.screen, Screen::Summary(_)));
    f.app.update(key(KeyCode::Enter), t2 + secs(2.0));
    assert!(f.app.quit);
}

#[test]
fn a_reload_is_not_recorded_as_a_session() {
    let t0 = Instant::now();
    let mut f = watching(GOOD, t0);
    f.save(EDITED, t0 + secs(20.0));
    f.save(BROKEN, t0 + secs(25.0));
    assert!(f.app.take_ended().is_none());
}

#[test]
fn r_starts_again_from_the_top_without_a_save() {
    let t0 = Instant::now();
    let mut f = watching(GOOD, t0);
    let t1 = t0 + secs(17.0);
    f.app.update(ch('r'), t1);
    assert_eq!(running(&f.app).player.elapsed(t1), Duration::ZERO);
    let notice = f.app.notice.as_ref().map(|(t, _)| t.as_str());
    assert_eq!(notice, Some("reloaded"));
    // From the summary too.
    let t2 = t1 + secs(51.0);
    f.app.update(Msg::Tick, t2);
    assert!(matches!(f.app.screen, Screen::Summary(_)));
    f.app.update(ch('r'), t2 + secs(1.0));
    assert_eq!(
        running(&f.app).player.elapsed(t2 + secs(1.0)),
        Duration::ZERO
    );
    // On the error screen it reads the file again: still broken.
    f.save(BROKEN, t2 + secs(2.0));
    f.app.update(ch('r'), t2 + secs(3.0));
    problem(&f.app);
    // Without --watch, r is not a key of the session screen.
    let (mut plain, _) = app(GOOD, opts(), t0);
    plain.update(ch('r'), t0 + secs(17.0));
    assert_eq!(running(&plain).player.elapsed(t0 + secs(17.0)), secs(17.0));
}

#[test]
fn the_keys_overlay_lists_r_only_while_watching() {
    let t0 = Instant::now();
    let mut f = watching(GOOD, t0);
    f.app.update(ch('?'), t0 + secs(1.0));
    let s = screen(&f.app, t0 + secs(1.0));
    assert!(s.contains("read the file again and restart"), "{s}");
    let (mut plain, _) = app(GOOD, opts(), t0);
    plain.update(ch('?'), t0 + secs(1.0));
    let s = text(&buffer(&plain, t0 + secs(1.0)));
    assert!(
        s.contains("Keys") && !s.contains("read the file again"),
        "{s}"
    );
}
