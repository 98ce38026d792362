//! What one frame of the full-screen guide costs: `cargo bench --bench render`.
//!
//! The app is the one `exhale run` builds (the built-in `box` and
//! `silent-sit` sessions, no settle-in, no sound), drawn at a fixed
//! injected instant into a ratatui `TestBackend`, so every run draws the
//! same cells.
//!
//! - `breathing_first_frame`: box breathing 2 s into the first inhale (the
//!   ring half grown), drawn into an empty terminal: layout, every widget,
//!   the diff against a blank screen and every cell handed to the backend.
//! - `breathing_step`: the next animation frame in which the ring has
//!   moved, drawn over the previous one: what a frame costs while the cue
//!   moves (only the cells that changed are written).
//! - `meditation_first_frame`: the silent sit five minutes in.
//! - `unchanged_redraw`: `terminal.draw` of a frame identical to the one on
//!   screen: rendering plus a diff that finds nothing to write.
//! - `frame_key`: the summary of what the screen shows, computed on every
//!   tick to decide whether to draw at all (the loop skips the draw when it
//!   is unchanged, so this, not `unchanged_redraw`, is what an idle tick
//!   costs).

use std::time::{Duration, Instant};

use divan::Bencher;
use exhale::format::{BuiltinSoundNames, check_str};
use exhale::library::BUILTIN;
use exhale::tui::render;
use exhale::tui::theme::Theme;
use exhale::tui::{App, Msg, Options, Prepared, Screen};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;

fn main() {
    divan::main();
}

/// The two window sizes measured: the classic terminal and a large one.
const SIZES: [(u16, u16); 2] = [(80, 24), (200, 60)];

/// Half way through the first 4 s inhale of box breathing.
const MID_INHALE: Duration = Duration::from_secs(2);

/// Five minutes into the silent sit (between its bells).
const MID_SIT: Duration = Duration::from_secs(300);

/// One animation frame at 30 frames a second.
const FRAME: Duration = Duration::from_nanos(1_000_000_000 / 30);

/// The app `exhale run NAME --no-sound` builds, started at `t0` with no
/// settle-in, past any cautions, and brought up to `now`.
fn running(name: &str, t0: Instant, now: Instant) -> App {
    let source = BUILTIN
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, s)| *s)
        .expect("built-in session");
    let session = check_str(source, &BuiltinSoundNames)
        .session
        .expect("built-in session is valid");
    let opts = Options {
        theme: Theme::new(true),
        settle: Duration::ZERO,
        ..Options::default()
    };
    let prepared = Prepared::new(name, session, &opts);
    let mut app = App::with_session(prepared, Box::new(exhale::audio::Silent), opts, t0);
    if matches!(app.screen, Screen::Caution(_)) {
        let enter = KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE);
        app.update(Msg::Key(enter), t0);
    }
    app.update(Msg::Tick, t0);
    app.update(Msg::Tick, now);
    app
}

fn terminal((w, h): (u16, u16)) -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(w, h)).expect("test terminal")
}

fn draw(t: &mut Terminal<TestBackend>, app: &App, now: Instant) {
    t.draw(|f| render::draw(app, f, now)).expect("draw");
}

/// Box breathing mid-inhale, drawn into an empty terminal.
#[divan::bench(args = SIZES)]
fn breathing_first_frame(bencher: Bencher, size: (u16, u16)) {
    let t0 = Instant::now();
    let now = t0 + MID_INHALE;
    let app = running("box", t0, now);
    bencher
        .with_inputs(|| terminal(size))
        .bench_local_refs(|t| draw(t, &app, divan::black_box(now)));
}

/// The next animation frame in which the ring has moved, drawn over the
/// previous one: the two instants alternate, so every iteration changes the
/// cells the ring's edge moves through.
#[divan::bench(args = SIZES)]
fn breathing_step(bencher: Bencher, size: (u16, u16)) {
    let t0 = Instant::now();
    let now = t0 + MID_INHALE;
    let app = running("box", t0, now);
    let mut t = terminal(size);
    draw(&mut t, &app, now);
    let before = t.backend().buffer().clone();
    // Most ticks leave the ring where it was (it moves by whole dots), so
    // find the first frame that draws something different.
    let next = (1..=30)
        .map(|n| now + FRAME * n)
        .find(|&at| {
            let mut other = terminal(size);
            draw(&mut other, &app, at);
            *other.backend().buffer() != before
        })
        .expect("the ring moves within a second of the inhale");
    let mut odd = false;
    bencher.bench_local(|| {
        odd = !odd;
        let at = if odd { next } else { now };
        draw(&mut t, &app, divan::black_box(at));
    });
}

/// The silent sit five minutes in, drawn into an empty terminal.
#[divan::bench(args = SIZES)]
fn meditation_first_frame(bencher: Bencher, size: (u16, u16)) {
    let t0 = Instant::now();
    let now = t0 + MID_SIT;
    let app = running("silent-sit", t0, now);
    bencher
        .with_inputs(|| terminal(size))
        .bench_local_refs(|t| draw(t, &app, divan::black_box(now)));
}

/// A full `terminal.draw` of the frame already on screen: render, diff,
/// nothing written.
#[divan::bench(args = SIZES)]
fn unchanged_redraw(bencher: Bencher, size: (u16, u16)) {
    let t0 = Instant::now();
    let now = t0 + MID_INHALE;
    let app = running("box", t0, now);
    let mut t = terminal(size);
    draw(&mut t, &app, now);
    bencher.bench_local(|| draw(&mut t, &app, divan::black_box(now)));
}

/// The frame key of box breathing mid-inhale (computed on every tick).
#[divan::bench(args = SIZES)]
fn frame_key(bencher: Bencher, (w, h): (u16, u16)) {
    let t0 = Instant::now();
    let now = t0 + MID_INHALE;
    let app = running("box", t0, now);
    let area = Rect::new(0, 0, w, h);
    bencher.bench_local(|| render::frame_key(&app, divan::black_box(now), area));
}
