//! The full-screen app decodes a session's sounds only when that session
//! is about to start, and only that session's: the picker opens without
//! decoding any sound, choosing a session asks the player for exactly the
//! sounds its timeline plays (before its cautions and check-ins, so they
//! are decoded in the background meanwhile), and `exhale run X` asks for
//! X's sounds alone. What the player does with the request is tested with
//! the speaker itself (`audio::speaker`).

mod tui_common;

use std::time::Instant;

use exhale::audio::{Recorder, timeline_sounds};
use exhale::tui::{App, Picker, Screen};
use ratatui::crossterm::event::KeyCode;
use tui_common::*;

fn prepared(rec: &Recorder) -> Vec<Vec<String>> {
    rec.prepared.lock().expect("lock").clone()
}

/// A session with three sounds of its own: rise, fall and a gong at the
/// end, and silence for the rest.
const SOUNDED: &str = "name = \"Sounded\"\n[sounds]\ninhale = \"rise\"\nexhale = \"fall\"\nhold = \"none\"\nbell = \"none\"\nprompt = \"none\"\nstart = \"none\"\nend = \"gong\"\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 4 }, { out = 4 }]\ncycles = 1\n";

#[test]
fn the_picker_decodes_nothing_until_a_session_is_chosen_and_then_only_its_sounds() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sessions = dir.path().join("config/exhale/sessions");
    std::fs::create_dir_all(&sessions).expect("folder");
    std::fs::write(sessions.join("sounded.toml"), SOUNDED).expect("write");
    let picker = Picker::load(&exhale::paths::Paths::under(dir.path()), Some("sounded"));
    let rec = Recorder::default();
    let mut app = App::with_picker(picker, Box::new(rec.clone()), opts());
    let now = Instant::now();
    app.update(key(KeyCode::Down), now);
    app.update(key(KeyCode::Up), now);
    assert!(prepared(&rec).is_empty(), "nothing decoded for the list");
    app.update(key(KeyCode::Enter), now);
    assert!(
        matches!(app.screen, Screen::Session(_)),
        "{:?}",
        app.picker
            .as_ref()
            .and_then(|p| p.current())
            .map(|i| &i.session)
    );
    assert_eq!(prepared(&rec), vec![vec!["fall", "gong", "rise"]]);
}

#[test]
fn a_session_run_directly_asks_for_its_own_sounds_once() {
    let t0 = Instant::now();
    let (_app, rec) = app(SOUNDED, opts(), t0);
    let want = timeline_sounds(&tui_common::prepared(SOUNDED, &opts()).timeline);
    assert_eq!(want, vec!["fall", "gong", "rise"]);
    assert_eq!(prepared(&rec), vec![want]);
}

#[test]
fn sounds_are_asked_for_before_the_cautions_are_read() {
    // 4-7-8 opens on its caution; its sounds are on their way already.
    let t0 = Instant::now();
    let rec = Recorder::default();
    let session = exhale::format::check_str(
        exhale::library::BUILTIN
            .iter()
            .find(|(n, _)| *n == "478")
            .map(|(_, s)| *s)
            .expect("478"),
        &exhale::format::BuiltinSoundNames,
    )
    .session
    .expect("valid");
    let p = exhale::tui::Prepared::new("478", session, &opts());
    let want = timeline_sounds(&p.timeline);
    let app = App::with_session(p, Box::new(rec.clone()), opts(), t0);
    assert!(matches!(app.screen, Screen::Caution(_)));
    assert_eq!(prepared(&rec), vec![want]);
}
