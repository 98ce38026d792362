//! Plain mode: no alternate screen and no animation, one line per event,
//! printed and flushed the moment it happens, each starting with the
//! session time. It serves screen readers, logs and scripts, and it is how
//! timing is checked from outside.

use std::io::{self, Write};
use std::time::Duration;

use crossbeam_channel::{Receiver, RecvTimeoutError};

use crate::audio::Chime;
use crate::clock::Clock;
use crate::engine::{Event, EventKind, Schedule, SegmentKind, Timeline};
use crate::format::length::human;
use crate::player::{Ending, Outcome, Player};

/// Something from outside the session loop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// The user pressed Enter (only sent when stdin is a terminal).
    Enter,
    /// A signal asked to quit (Ctrl-C, SIGTERM, SIGHUP).
    Quit,
}

/// `00:04.000`, or `1:02:03.000` past an hour.
pub fn stamp(t: Duration) -> String {
    let ms = t.as_millis();
    let (h, m, s, frac) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}.{frac:03}")
    } else {
        format!("{m:02}:{s:02}.{frac:03}")
    }
}

/// The line printed for an event, if it gets one.
pub fn event_line(schedule: &Schedule, event: &Event, title: &str) -> Option<String> {
    let tl = schedule.timeline();
    let at = stamp(event.at);
    let line = match &event.kind {
        EventKind::SessionStart => format!("{at}  start  {title}"),
        EventKind::SegmentStart(i) => {
            let seg = &tl.segments[*i];
            let cue = seg
                .cue
                .as_deref()
                .map(|c| format!("  {c}"))
                .unwrap_or_default();
            let mut counters = String::new();
            if let Some(r) = seg.round {
                counters.push_str(&format!("  round {}/{}", r.n, r.of));
            }
            if let (Some(c), SegmentKind::Breath(_), false) = (seg.cycle, seg.kind, seg.recovery) {
                if matches!(tl.segments.get(i.wrapping_sub(1)), Some(p) if p.cycle == seg.cycle && p.block == seg.block && p.round == seg.round)
                {
                    // Only the first phase of a cycle carries the counter.
                } else {
                    counters.push_str(&format!("  cycle {}/{}", c.n, c.of));
                }
            }
            let held = match i.checked_sub(1).map(|p| (p, &tl.segments[p])) {
                Some((p, prev)) if prev.kind == SegmentKind::Retention => {
                    format!("{at}  held  {}\n", human_precise(schedule.length_of(p)))
                }
                _ => String::new(),
            };
            let body = match seg.kind {
                SegmentKind::Settle => format!("settle  {}{cue}", human(seg.length)),
                SegmentKind::Breath(k) => {
                    format!("{}  {}{cue}{counters}", k.word(), human(seg.length))
                }
                SegmentKind::Retention => {
                    format!("retention  up to {}{cue}{counters}", human(seg.length))
                }
                SegmentKind::Sit if seg.open => {
                    format!(
                        "sit  open (up to {})  {}",
                        human(seg.length),
                        block_title(tl, seg.block)
                    )
                }
                SegmentKind::Sit => {
                    format!("sit  {}  {}", human(seg.length), block_title(tl, seg.block))
                }
            };
            format!("{held}{at}  {body}")
        }
        EventKind::Bell { .. } => format!("{at}  bell"),
        EventKind::Prompt { block, index } => {
            let text = tl
                .prompts
                .get(*block)
                .and_then(|p| p.get(*index))
                .map_or("", |p| p.1.as_str());
            format!("{at}  prompt  {text}")
        }
        EventKind::SessionEnd => format!("{at}  end"),
    };
    Some(line)
}

fn block_title(tl: &Timeline, block: Option<usize>) -> &str {
    block
        .and_then(|b| tl.block_titles.get(b))
        .map_or("", String::as_str)
}

/// A hold length with a tenth of a second: `23.4s`, `1m05.2s`.
pub fn human_precise(d: Duration) -> String {
    let tenths = (d.as_millis() + 50) / 100;
    let (m, s, t) = (tenths / 600, tenths / 10 % 60, tenths % 10);
    if m > 0 {
        format!("{m}m{s:02}.{t}s")
    } else {
        format!("{s}.{t}s")
    }
}

/// The sound an event plays, if any.
pub fn event_sound<'a>(tl: &'a Timeline, event: &Event) -> Option<&'a str> {
    match &event.kind {
        EventKind::SessionStart => tl.start_sound.as_deref(),
        EventKind::SegmentStart(i) => tl.segments[*i].sound.as_deref(),
        EventKind::Bell { block } => tl.bell_sounds.get(*block).and_then(Option::as_deref),
        EventKind::Prompt { block, .. } => tl.prompt_sounds.get(*block).and_then(Option::as_deref),
        EventKind::SessionEnd => tl.end_sound.as_deref(),
    }
}

/// Run a session in plain mode until it ends or a quit arrives. `enter`
/// says whether Enter from stdin ends retention holds (stdin is a
/// terminal); otherwise holds run to their cap.
pub fn run(
    timeline: Timeline,
    title: &str,
    clock: &dyn Clock,
    chime: &dyn Chime,
    inputs: &Receiver<Input>,
    out: &mut dyn Write,
) -> io::Result<Outcome> {
    let mut player = Player::new(timeline, clock.now());
    let mut ending = Ending::Completed;
    loop {
        let now = clock.now();
        for ev in player.poll(now) {
            if let Some(sound) = event_sound(player.schedule().timeline(), &ev) {
                chime.play(sound);
            }
            if let Some(line) = event_line(player.schedule(), &ev, title) {
                writeln!(out, "{line}")?;
            }
            if ev.kind == EventKind::SegmentStart(ev_index(&ev)) && player.in_open_segment(now) {
                writeln!(out, "{}  (press Enter to end the hold)", stamp(ev.at)).ok();
            }
        }
        out.flush()?;
        if player.finished(now) {
            break;
        }
        let timeout = player
            .next_wake(now)
            .map_or(Duration::from_secs(1), |w| w.saturating_duration_since(now));
        match inputs.recv_timeout(clock.wait(timeout)) {
            Ok(Input::Enter) => {
                let now = clock.now();
                // Deliver anything due first, so the hold ends where it was.
                for ev in player.poll(now) {
                    if let Some(sound) = event_sound(player.schedule().timeline(), &ev) {
                        chime.play(sound);
                    }
                    if let Some(line) = event_line(player.schedule(), &ev, title) {
                        writeln!(out, "{line}")?;
                    }
                }
                player.end_open(now);
            }
            Ok(Input::Quit) => {
                let now = clock.now();
                player.stop(now);
                ending = Ending::Interrupted;
                writeln!(out, "{}  stopped", stamp(player.elapsed(now)))?;
                break;
            }
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {}
        }
    }
    let outcome = player.outcome(clock.now(), ending);
    writeln!(out, "{}", summary_line(&outcome))?;
    out.flush()?;
    Ok(outcome)
}

fn ev_index(ev: &Event) -> usize {
    match ev.kind {
        EventKind::SegmentStart(i) => i,
        _ => usize::MAX,
    }
}

/// The closing line: `practised 5m04s · 19 cycles · holds 23.4s, 31.0s`.
pub fn summary_line(o: &Outcome) -> String {
    let mut parts = vec![format!(
        "practised {}",
        human(Duration::from_secs(o.practised.as_secs()))
    )];
    if o.cycles > 0 {
        parts.push(format!(
            "{} cycle{}",
            o.cycles,
            if o.cycles == 1 { "" } else { "s" }
        ));
    }
    if o.rounds > 0 {
        parts.push(format!(
            "{} round{}",
            o.rounds,
            if o.rounds == 1 { "" } else { "s" }
        ));
    }
    if !o.holds.is_empty() {
        let holds: Vec<String> = o.holds.iter().map(|h| human_precise(*h)).collect();
        parts.push(format!("holds {}", holds.join(", ")));
    }
    if o.ending != Ending::Completed {
        parts.push("partial".into());
    }
    parts.join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audio::Recorder;
    use crate::clock::ManualClock;
    use crate::format::{BuiltinSoundNames, check_str};
    use std::time::Instant;

    #[test]
    fn stamps_read_like_a_stopwatch() {
        assert_eq!(stamp(Duration::from_millis(4000)), "00:04.000");
        assert_eq!(stamp(Duration::from_millis(65_250)), "01:05.250");
        assert_eq!(stamp(Duration::from_millis(3_723_004)), "1:02:03.004");
    }

    #[test]
    fn prints_one_line_per_event_and_plays_its_sound() {
        let src = "name = \"Box\"\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 4, cue = \"Breathe in\" }, { hold = 4, cue = \"Hold gently\" }]\ncycles = 1\n";
        let session = check_str(src, &BuiltinSoundNames).session.expect("valid");
        let tl = Timeline::compile(&session, Duration::ZERO);
        let clock = ManualClock::new(Instant::now());
        let chime = Recorder::default();
        let (_tx, rx) = crossbeam_channel::unbounded();
        let mut out = Vec::new();
        let outcome = run(tl, "Box", &clock, &chime, &rx, &mut out).expect("runs");
        let text = String::from_utf8(out).expect("utf8");
        assert_eq!(
            text,
            "00:00.000  start  Box\n00:00.000  inhale  4s  Breathe in  cycle 1/1\n00:04.000  hold  4s  Hold gently\n00:08.000  end\npractised 8s · 1 cycle\n"
        );
        assert_eq!(
            *chime.played.lock().expect("lock"),
            vec!["bowl", "rise", "wood", "gong"]
        );
        assert_eq!(outcome.ending, Ending::Completed);
    }
}
