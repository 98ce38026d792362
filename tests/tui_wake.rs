//! The loop wakes once per visible change while the cue moves, at the
//! moment of the change (to a millisecond), and never sleeps past one:
//! `event_loop::wake_at` walked through a whole box-breathing session at
//! 80x24, checked against the frame key sampled every millisecond.

mod tui_common;

use std::time::{Duration, Instant};

use exhale::tui::Msg;
use exhale::tui::event_loop::wake_at;
use exhale::tui::render::frame_key;
use ratatui::layout::Rect;
use tui_common::{BOX, app, opts, secs};

#[test]
fn the_loop_wakes_at_each_visible_change_and_only_then() {
    let t0 = Instant::now();
    let (mut app, _) = app(BOX, opts(), t0);
    let area = Rect::new(0, 0, 80, 24);
    app.update(Msg::Resize(80, 24), t0);
    let ms = Duration::from_millis(1);
    let mut t = t0;
    let mut wakes = 0;
    let mut changes = 0;
    let end = t0 + secs(32.0);
    while t < end {
        let Some(w) = wake_at(&app, t, area) else {
            break;
        };
        assert!(w > t, "the wake is ahead of now");
        let key = frame_key(&app, t, area);
        // Nothing visible changes before the wake, sampled every ms (short
        // of the last millisecond, which the search resolves, and in the
        // first 16 ms: two drawings are at least that far apart), unless
        // it changed in those first 16 ms.
        let gap = t + Duration::from_millis(16);
        let early = frame_key(&app, gap, area) != key;
        let mut s = gap;
        while !early && s + ms < w {
            assert_eq!(
                frame_key(&app, s, area),
                key,
                "a change at {:?} was slept past (now {:?}, wake {:?})",
                s - t0,
                t - t0,
                w - t0
            );
            s += ms;
        }
        assert!(
            !early || w <= gap + ms,
            "an early change waited {:?}",
            w - t
        );
        if frame_key(&app, w, area) != key {
            changes += 1;
        }
        app.update(Msg::Tick, w);
        wakes += 1;
        t = w;
    }
    assert!(
        t >= t0 + secs(31.9),
        "the session ran to its end: {:?}",
        t - t0
    );
    // Every wake is a visible change, or one of the session's own events
    // (at most one per segment: 16 in two cycles), never a bare frame
    // tick: about 6 a second, where drawing at 30 frames a second while
    // breathing in and out would wake over 500 times.
    assert!(changes > 150, "{changes} changes");
    assert!(wakes <= changes + 16, "{wakes} wakes for {changes} changes");
    assert!(wakes < 32 * 10, "{wakes} wakes in 32 s");
}
