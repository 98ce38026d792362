//! Text fits the window: titles are cut with "…" rather than mid-word,
//! cue text wraps onto a second line, the picker's keys line drops the
//! least needed hints first, and the header names a block only when that
//! says something the title does not.

mod tui_common;

use std::time::Instant;

use exhale::paths::Paths;
use exhale::tui::{App, Msg, Picker};
use tui_common::*;

fn picker_app(select: &str) -> App {
    let dir = tempfile::tempdir().expect("tempdir");
    let picker = Picker::load(&Paths::under(dir.path()), Some(select));
    App::with_picker(picker, Box::new(exhale::audio::Silent), opts())
}

#[test]
fn picker_titles_are_whole_at_80x24_and_the_keys_shorten_at_40x12() {
    let app = picker_app("box");
    let screen = text(draw(&app, Instant::now(), 80, 24).backend().buffer());
    for title in ["Alternate-nostril breathing", "Cyclic breathing with"] {
        assert!(screen.contains(title), "{title} whole:\n{screen}");
    }
    let screen = text(draw(&app, Instant::now(), 40, 12).backend().buffer());
    let keys = screen.lines().last().unwrap_or_default();
    assert!(
        keys.contains("Enter start") && keys.contains("Esc quit"),
        "{keys}"
    );
    assert!(
        !keys.contains("type to filter"),
        "least needed goes first: {keys}"
    );
}

#[test]
fn the_header_names_a_block_only_when_it_adds_something() {
    const TWO: &str = "name = \"Evening\"\n[[block]]\nkind = \"breathe\"\nname = \"Warm up\"\nphases = [{ in = 2 }, { out = 2 }]\ncycles = 1\n[[block]]\nkind = \"breathe\"\nname = \"Evening\"\nphases = [{ in = 4 }, { out = 6 }]\ncycles = 2\n";
    let t0 = Instant::now();
    let (app, _) = app(BOX, opts(), t0);
    let head = text(&buffer(&app, t0));
    let head = head.lines().next().unwrap_or_default();
    assert!(
        head.starts_with("Box ") && !head.contains("Box · Box"),
        "{head}"
    );
    let (two, _) = tui_common::app(TWO, opts(), t0);
    let app = two;
    let head = text(&buffer(&app, t0));
    assert!(head.starts_with("Evening · Warm up"), "{head}");
}

#[test]
fn a_long_title_and_cue_fit_at_40x12() {
    const LONG: &str = "name = \"Cyclic sighing for a calmer evening\"\nsettle = 0\n[[block]]\nkind = \"breathe\"\nname = \"Cyclic sighing\"\nphases = [{ in = 4, cue = \"Breathe in through the nose, then a short second sip to fill the lungs completely\" }, { out = 8 }]\ncycles = 2\n";
    let t0 = Instant::now();
    let (mut app, _) = app(LONG, opts(), t0);
    app.update(Msg::Resize(40, 12), t0);
    let screen = text(draw(&app, t0, 40, 12).backend().buffer());
    let head = screen.lines().next().unwrap_or_default();
    assert!(head.contains('…'), "the title is cut with …: {head}");
    assert!(screen.contains("Breathe in through the nose,"), "{screen}");
    assert!(
        screen
            .lines()
            .any(|l| l.trim_end().ends_with('…') && l.contains("sip")),
        "the cue goes on to a second line, then …:\n{screen}"
    );
}

#[test]
fn in_a_tall_window_the_ring_and_its_words_stay_together() {
    let t0 = Instant::now();
    let (app, _) = app(BOX, opts(), t0);
    // At the end of the inhale the ring is at its fullest.
    let screen = text(draw(&app, t0 + secs(3.95), 200, 60).backend().buffer());
    let rows: Vec<&str> = screen.lines().collect();
    let braille = |l: &str| l.chars().any(|c| ('\u{2801}'..='\u{28ff}').contains(&c));
    let ring_top = rows.iter().position(|l| braille(l)).expect("a ring");
    let ring_bottom = rows.iter().rposition(|l| braille(l)).expect("a ring");
    let word = rows
        .iter()
        .position(|l| l.contains("Breathe in"))
        .expect("the phase word");
    assert!(word > ring_bottom && word - ring_bottom <= 3, "{screen}");
    // The group sits about in the middle: as much room above as below.
    let below = rows.len() - word;
    assert!(
        ring_top.abs_diff(below) <= 6,
        "top {ring_top}, below {below}:\n{screen}"
    );
}
