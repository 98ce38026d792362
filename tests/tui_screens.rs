//! Screen snapshots of the full-screen UI, each drawn at an injected
//! instant (no clock is read), plus style checks where colour carries
//! meaning and a check that the mono theme (`NO_COLOR`) draws no colour.

mod tui_common;

use std::time::Instant;

use exhale::paths::Paths;
use exhale::tui::theme::Theme;
use exhale::tui::{App, Msg, Options, Picker};
use insta::assert_snapshot;
use ratatui::crossterm::event::KeyCode;
use ratatui::style::Color;
use tui_common::*;

fn picker_app(root: &std::path::Path) -> App {
    let picker = Picker::load(&Paths::under(root), Some("box"));
    App::with_picker(
        picker,
        Box::new(exhale::audio::Silent),
        Options {
            theme: Theme::new(true),
            ..Options::default()
        },
    )
}

#[test]
fn picker() {
    let dir = tempfile::tempdir().expect("tempdir");
    let app = picker_app(dir.path());
    assert_snapshot!(draw(&app, Instant::now(), 80, 24).backend());
}

#[test]
fn picker_filtered() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut app = picker_app(dir.path());
    let now = Instant::now();
    for c in "sleep".chars() {
        app.update(ch(c), now);
    }
    assert_snapshot!(draw(&app, now, 80, 24).backend());
}

#[test]
fn picker_shows_an_invalid_session_with_its_first_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sessions = Paths::under(dir.path()).sessions_dir();
    std::fs::create_dir_all(&sessions).expect("mkdir");
    std::fs::write(
        sessions.join("broken.toml"),
        "name = \"Broken\"\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 4 }]\ncycels = 3\n",
    )
    .expect("write");
    let mut app = picker_app(dir.path());
    let now = Instant::now();
    for c in "broken".chars() {
        app.update(ch(c), now);
    }
    let t = draw(&app, now, 80, 24);
    let screen = text(t.backend().buffer());
    assert!(screen.contains("✗ broken"), "{screen}");
    assert!(screen.contains("error: unknown key `cycels`"), "{screen}");
    assert!(screen.contains("5 | cycels = 3"), "{screen}");
    assert!(screen.contains("did you mean `cycles`?"), "{screen}");
    // Enter on an invalid session does nothing.
    app.update(key(KeyCode::Enter), now);
    assert!(matches!(app.screen, exhale::tui::Screen::Picker));
}

#[test]
fn caution_before_the_first_breath() {
    let t0 = Instant::now();
    let src = "name = \"Fast\"\ncaution = \"Sit down before you begin.\"\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 1 }, { out = 1 }]\ncycles = 3\n";
    let o = opts();
    let app = App::with_session(prepared(src, &o), Box::new(exhale::audio::Silent), o, t0);
    assert_snapshot!(draw(&app, t0, 80, 24).backend());
}

#[test]
fn settle_in_countdown() {
    let t0 = Instant::now();
    let mut o = opts();
    o.settle = secs(5.0);
    let (app, _) = app(BOX, o, t0);
    assert_snapshot!(draw(&app, t0 + secs(1.5), 80, 24).backend());
}

#[test]
fn inhale_midway() {
    let t0 = Instant::now();
    let (app, _) = app(BOX, opts(), t0);
    assert_snapshot!(draw(&app, t0 + secs(2.0), 80, 24).backend());
}

#[test]
fn natural_breathing_says_breathe_normally_and_does_not_pace() {
    let t0 = Instant::now();
    let src = "name = \"Natural\"\n[[block]]\nkind = \"breathe\"\ncycles = 1\n\
               phases = [{ natural = 30 }, { in = 4 }, { out = 6 }]\n";
    let (app, _) = app(src, opts(), t0);
    let early = draw(&app, t0 + secs(5.0), 80, 24);
    let later = draw(&app, t0 + secs(12.0), 80, 24);
    let screen = text(early.backend().buffer());
    assert!(screen.contains("Breathe normally"), "{screen}");
    assert!(
        screen.contains("At your own pace; nothing to follow."),
        "{screen}"
    );
    // Nothing moves to a pace: no animation, and the cue looks the same
    // seven seconds on (only the seconds left change).
    assert!(!app.animating(t0 + secs(5.0)));
    let cue = |t: &ratatui::Terminal<ratatui::backend::TestBackend>| {
        text(t.backend().buffer())
            .lines()
            .filter(|l| !l.trim().chars().all(|c| c.is_ascii_digit()) && !l.ends_with(" left"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(cue(&early), cue(&later));
    assert!(app.animating(t0 + secs(31.0)));
    assert_snapshot!(early.backend());
}

#[test]
fn hold() {
    let t0 = Instant::now();
    let (app, _) = app(BOX, opts(), t0);
    assert_snapshot!(draw(&app, t0 + secs(5.5), 80, 24).backend());
}

#[test]
fn exhale() {
    let t0 = Instant::now();
    let (app, _) = app(BOX, opts(), t0);
    assert_snapshot!(draw(&app, t0 + secs(9.0), 80, 24).backend());
}

#[test]
fn reduced_motion_shows_a_calm_bar() {
    let t0 = Instant::now();
    let mut o = opts();
    o.reduced_motion = true;
    let (app, _) = app(BOX, o, t0);
    let t = draw(&app, t0 + secs(2.5), 80, 24);
    let screen = text(t.backend().buffer());
    assert!(
        !screen.contains('⣿') && !screen.contains('⠁'),
        "no braille ring"
    );
    assert_snapshot!(t.backend());
}

#[test]
fn retention_hold_counts_up() {
    let t0 = Instant::now();
    let (mut app, _) = app(RETENTION, opts(), t0);
    // Two breaths of 2 s, then the hold: 23 s into it.
    let now = t0 + secs(4.0 + 23.4);
    app.update(Msg::Tick, now);
    assert_snapshot!(draw(&app, now, 80, 24).backend());
}

#[test]
fn meditation_prompt() {
    let t0 = Instant::now();
    let (mut app, _) = app(SIT, opts(), t0);
    let now = t0 + secs(42.0);
    app.update(Msg::Tick, now);
    assert_snapshot!(draw(&app, now, 80, 24).backend());
}

#[test]
fn open_sit_counts_up() {
    let t0 = Instant::now();
    let (mut app, _) = app(OPEN_SIT, opts(), t0);
    let now = t0 + secs(125.0);
    app.update(Msg::Tick, now);
    let screen = text(&buffer(&app, now));
    assert!(screen.contains("2:05  ·  open, up to 1h"), "{screen}");
    assert!(screen.contains("Space or Enter to end"), "{screen}");
}

#[test]
fn help_overlay() {
    let t0 = Instant::now();
    let (mut app, _) = app(BOX, opts(), t0);
    app.update(ch('?'), t0 + secs(2.0));
    assert_snapshot!(draw(&app, t0 + secs(2.0), 80, 24).backend());
}

#[test]
fn stop_confirmation() {
    let t0 = Instant::now();
    let (mut app, _) = app(BOX, opts(), t0);
    app.update(ch('q'), t0 + secs(2.0));
    assert_snapshot!(draw(&app, t0 + secs(3.0), 80, 24).backend());
}

#[test]
fn summary_with_holds() {
    let t0 = Instant::now();
    let (mut app, _) = app(RETENTION, opts(), t0);
    // Round 1: hold ended after 20.5 s; round 2: hold ended after 31.2 s.
    app.update(ch(' '), t0 + secs(4.0 + 20.5));
    let round2 = 4.0 + 20.5 + 17.0 + 4.0;
    app.update(Msg::Tick, t0 + secs(round2 + 1.0));
    app.update(ch(' '), t0 + secs(round2 + 31.2));
    let end = t0 + secs(round2 + 31.2 + 17.0);
    app.update(Msg::Tick, end);
    assert_snapshot!(draw(&app, end, 80, 24).backend());
}

#[test]
fn the_summary_says_which_hold_reached_its_cap() {
    let t0 = Instant::now();
    let (mut app, _) = app(RETENTION, opts(), t0);
    // Round 1: hold ended after 20.5 s; round 2: the hold runs to its
    // 60 s cap.
    app.update(ch(' '), t0 + secs(4.0 + 20.5));
    let round2 = 4.0 + 20.5 + 17.0 + 4.0;
    for t in [round2 + 1.0, round2 + 30.0, round2 + 60.5] {
        app.update(Msg::Tick, t0 + secs(t));
    }
    let end = t0 + secs(round2 + 60.0 + 17.0);
    app.update(Msg::Tick, end);
    let screen = text(draw(&app, end, 80, 24).backend().buffer());
    assert!(screen.contains("Hold, round 1   20.5s\n"), "{screen}");
    assert!(
        screen.contains("Hold, round 2   1m00.0s (reached its cap)"),
        "{screen}"
    );
}

#[test]
fn too_small() {
    let t0 = Instant::now();
    let (app, _) = app(BOX, opts(), t0);
    let t = draw(&app, t0, 39, 11);
    assert!(text(t.backend().buffer()).contains("Make the window at least 40x12"));
    assert_snapshot!(t.backend());
}

#[test]
fn smallest_supported_size_still_shows_the_phase() {
    let t0 = Instant::now();
    let (app, _) = app(BOX, opts(), t0);
    let t = draw(&app, t0 + secs(1.0), 40, 12);
    let screen = text(t.backend().buffer());
    assert!(screen.contains("Breathe in"), "{screen}");
    assert!(screen.contains("next: hold 4s"), "{screen}");
    assert_snapshot!(t.backend());
}

/// Cells of the cue (braille dots) and their foreground colour.
fn cue_colors(b: &ratatui::buffer::Buffer) -> Vec<Color> {
    b.content
        .iter()
        .filter(|c| {
            c.symbol()
                .chars()
                .next()
                .is_some_and(|ch| ('\u{2801}'..='\u{28ff}').contains(&ch))
        })
        .map(|c| c.fg)
        .collect()
}

#[test]
fn each_phase_has_its_colour() {
    let t0 = Instant::now();
    let (app, _) = app(BOX, opts(), t0);
    for (at, colour) in [
        (2.0, Color::Cyan),
        (5.0, Color::Yellow),
        (9.0, Color::Green),
    ] {
        let b = buffer(&app, t0 + secs(at));
        let cue = cue_colors(&b);
        assert!(!cue.is_empty(), "a cue is drawn at {at}s");
        assert!(
            cue.iter().all(|c| *c == colour),
            "at {at}s the cue is {colour:?}"
        );
    }
}

#[test]
fn mono_theme_draws_no_colour_at_all() {
    let t0 = Instant::now();
    let mut o = opts();
    o.theme = Theme::new(false);
    let (mut app, _) = app(RETENTION, o, t0);
    for at in [0.5, 1.5, 10.0] {
        let b = buffer(&app, t0 + secs(at));
        assert!(
            b.content
                .iter()
                .all(|c| c.fg == Color::Reset && c.bg == Color::Reset),
            "no colour at {at}s"
        );
        // The words and shapes still say which phase it is.
        let screen = text(&b);
        assert!(
            ["▲  Breathe in", "▼  Breathe out", "■  Hold on empty"]
                .iter()
                .any(|w| screen.contains(w))
        );
    }
    app.update(ch('?'), t0 + secs(11.0));
    let b = buffer(&app, t0 + secs(11.0));
    assert!(
        b.content
            .iter()
            .all(|c| c.fg == Color::Reset && c.bg == Color::Reset)
    );
}

/// The loop skips a frame when its key has not changed; that must never
/// hide a visible change. Every frame at 30 a second through a breathing
/// session, a retention round and a sit is checked.
#[test]
fn a_frame_is_skipped_only_when_it_would_look_the_same() {
    use exhale::tui::render::frame_key;
    use ratatui::layout::Rect;
    let area = Rect::new(0, 0, 80, 24);
    for (src, seconds) in [(BOX, 33.0), (RETENTION, 30.0), (SIT, 70.0)] {
        let t0 = Instant::now();
        let (mut app, _) = app(src, opts(), t0);
        let mut last: Option<(Option<u64>, String)> = None;
        let (mut frames, mut drawn) = (0, 0);
        let mut t = 0.0;
        while t < seconds {
            let now = t0 + secs(t);
            app.update(Msg::Tick, now);
            let key = frame_key(&app, now, area);
            let screen = format!("{:?}", buffer(&app, now));
            if let Some((k, s)) = &last {
                if *k == key && key.is_some() {
                    assert_eq!(*s, screen, "a change at {t:.3}s would be skipped");
                } else {
                    drawn += 1;
                }
            }
            frames += 1;
            last = Some((key, screen));
            t += 1.0 / 30.0;
        }
        assert!(
            drawn * 3 < frames,
            "most frames are skipped: {drawn} of {frames} drawn"
        );
    }
}

#[test]
fn the_selected_session_is_marked_without_colour() {
    use ratatui::style::Modifier;
    let dir = tempfile::tempdir().expect("tempdir");
    let mut app = picker_app(dir.path());
    app.opts.theme = Theme::new(false);
    let now = Instant::now();
    app.update(key(KeyCode::Down), now);
    let b = buffer(&app, now);
    let reversed_rows: Vec<u16> = (0..b.area.height)
        .filter(|&y| {
            b.cell((4, y))
                .is_some_and(|c| c.modifier.contains(Modifier::REVERSED))
        })
        .collect();
    // The second session's two lines (title and tags), and nothing else.
    assert_eq!(reversed_rows, vec![4, 5]);
    assert!(text(&b).lines().nth(4).is_some_and(|l| l.contains("4-7-8")));
}

#[test]
fn closing_moment() {
    let t0 = Instant::now();
    let mut o = opts();
    o.closing = secs(8.0);
    let (mut app, _) = app(BOX, o, t0);
    app.update(Msg::Tick, t0 + secs(32.0));
    assert_snapshot!(draw(&app, t0 + secs(33.0), 80, 24).backend());
}

#[test]
fn a_long_preview_says_there_is_more_and_pgdn_scrolls_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sessions = Paths::under(dir.path()).sessions_dir();
    std::fs::create_dir_all(&sessions).expect("mkdir");
    let mut src =
        String::from("name = \"Long one\"\ndescription = \"A session with many blocks.\"\n");
    for i in 1..=12 {
        src.push_str(&format!(
            "[[block]]\nkind = \"breathe\"\nname = \"Part {i}\"\nphases = [{{ in = 4 }}, {{ out = 6 }}]\ncycles = 3\n"
        ));
    }
    std::fs::write(sessions.join("longone.toml"), src).expect("write");
    let mut app = picker_app(dir.path());
    let now = Instant::now();
    app.update(Msg::Resize(80, 24), now);
    for c in "longone".chars() {
        app.update(ch(c), now);
    }
    let screen = text(draw(&app, now, 80, 24).backend().buffer());
    assert!(screen.contains("more · PgDn"), "{screen}");
    assert!(!screen.contains("Part 12"), "{screen}");
    for _ in 0..10 {
        app.update(key(KeyCode::PageDown), now);
    }
    let screen = text(draw(&app, now, 80, 24).backend().buffer());
    assert!(screen.contains("Part 12"), "{screen}");
    assert!(screen.contains("↑ PgUp for the top"), "{screen}");
    // One PgUp is enough to move back up: the scroll stopped at the end.
    app.update(key(KeyCode::PageUp), now);
    let screen = text(draw(&app, now, 80, 24).backend().buffer());
    assert!(screen.contains("more · PgDn"), "{screen}");
    // The selection stays where it was.
    assert!(screen.contains("filter: longone"), "{screen}");
}

#[test]
fn a_broken_files_preview_wraps_so_its_place_is_visible() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sessions = Paths::under(dir.path()).sessions_dir();
    std::fs::create_dir_all(&sessions).expect("mkdir");
    std::fs::write(
        sessions.join("broken.toml"),
        "name = \"Broken\"\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 4 }]\ncycels = 3\n",
    )
    .expect("write");
    let mut app = picker_app(dir.path());
    let now = Instant::now();
    for c in "broken".chars() {
        app.update(ch(c), now);
    }
    // The preview is the right half; the path (longer than the half) is
    // wrapped onto the lines below, not cut at the window's edge.
    let t = draw(&app, now, 80, 24);
    let b = t.backend().buffer();
    let right: String = (0..b.area.height)
        .map(|y| {
            (41..b.area.width)
                .map(|x| b[(x, y)].symbol())
                .collect::<String>()
        })
        .collect::<String>()
        .split_whitespace()
        .collect();
    let path = sessions.join("broken.toml").display().to_string();
    assert!(
        path.len() > 40,
        "the path is longer than the preview is wide"
    );
    assert!(right.contains(&format!("{path}:5:1")), "{right}");
}
