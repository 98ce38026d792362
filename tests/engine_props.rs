//! Property tests of the engine on random valid sessions (generated as
//! session files and read through the real validator):
//!
//! - the segments tile the session: no gaps, no overlaps, lengths sum to
//!   the total;
//! - the events of the whole session come once, in order, at
//!   non-decreasing times, with one `SegmentStart` per segment at its start,
//!   however the time is cut into polling windows;
//! - through a `Player` driven by random pause, resume, skip and end-hold
//!   sequences with injected instants, events still come once and in order,
//!   and the practised time equals the sum of the segments' actual lengths.

use std::collections::HashSet;
use std::fmt::Write as _;
use std::time::{Duration, Instant};

use exhale::engine::player::{Ending, Player};
use exhale::engine::{Event, EventKind, Schedule, Timeline};
use exhale::format::{BuiltinSoundNames, check_str};
use proptest::prelude::*;

/// A length in tenths of a second, written as seconds.
fn tenths(lo: u32, hi: u32) -> impl Strategy<Value = String> {
    (lo..=hi).prop_map(|t| format!("{}", f64::from(t) / 10.0))
}

fn phase() -> impl Strategy<Value = String> {
    (
        prop::sample::select(&["in", "out", "hold"][..]),
        tenths(7, 80),
        prop::option::of(tenths(7, 80)),
        prop::option::of((tenths(1, 20), 1..4_u32)),
    )
        .prop_map(|(k, len, to, step)| match (to, step) {
            (Some(to), Some((step, every))) => {
                format!("{{ {k} = {len}, to = {to}, step = {step}, every = {every} }}")
            }
            (Some(to), None) => format!("{{ {k} = {len}, to = {to} }}"),
            _ => format!("{{ {k} = {len} }}"),
        })
}

fn breathe() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(phase(), 1..6),
        prop::option::of(1..12_u32),
        10..90_u32,
    )
        .prop_map(|(phases, cycles, secs)| {
            // A ramp with only `to` needs a length in cycles.
            let length = match cycles {
                Some(c) => format!("cycles = {c}"),
                None if phases
                    .iter()
                    .any(|p| p.contains("to =") && !p.contains("step")) =>
                {
                    "cycles = 3".to_owned()
                }
                None => format!("duration = {secs}"),
            };
            format!(
                "[[block]]\nkind = \"breathe\"\nphases = [{}]\n{length}\n",
                phases.join(", ")
            )
        })
}

fn plain_phase() -> impl Strategy<Value = String> {
    (
        prop::sample::select(&["in", "out", "hold"][..]),
        tenths(5, 40),
    )
        .prop_map(|(k, len)| format!("{{ {k} = {len} }}"))
}

fn retention() -> impl Strategy<Value = String> {
    (
        1..3_u32,
        0..4_u32,
        prop::collection::vec(plain_phase(), 1..3),
        5..40_u32,
        prop::collection::vec(plain_phase(), 0..3),
    )
        .prop_map(|(rounds, breaths, phases, cap, recovery)| {
            format!(
                "[[block]]\nkind = \"retention\"\nrounds = {rounds}\nbreaths = {breaths}\nphases = [{}]\nretention = {{ cap = {cap} }}\nrecovery = [{}]\n",
                phases.join(", "),
                recovery.join(", ")
            )
        })
}

fn meditate() -> impl Strategy<Value = String> {
    (
        any::<bool>(),
        10..120_u32,
        any::<(bool, bool)>(),
        prop::option::of(1..40_u32),
        prop::collection::vec(0..1000_u32, 0..4),
        prop::collection::vec(0..1000_u32, 0..4),
    )
        .prop_map(|(open, len, (start, end), every, at, prompts)| {
            let mut s = String::from("[[block]]\nkind = \"meditate\"\n");
            if open {
                let _ = writeln!(s, "open = true\ncap = {len}");
            } else {
                let _ = writeln!(s, "duration = {len}");
            }
            let at: Vec<String> = at.iter().map(|a| (a % len).to_string()).collect();
            let every = every.map(|e| format!(", every = {e}")).unwrap_or_default();
            let _ = writeln!(
                s,
                "bells = {{ start = {start}, end = {end}, at = [{}]{every} }}",
                at.join(", ")
            );
            let prompts: Vec<String> = prompts
                .iter()
                .enumerate()
                .map(|(i, p)| format!("{{ at = {}, text = \"p{i}\" }}", p % len))
                .collect();
            let _ = writeln!(s, "prompts = [{}]", prompts.join(", "));
            s
        })
}

fn session() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(prop_oneof![breathe(), retention(), meditate()], 1..4),
        0..8_u32,
    )
        .prop_map(|(blocks, settle)| {
            format!("name = \"p\"\nsettle = {settle}\n\n{}", blocks.join("\n"))
        })
}

fn compile(src: &str) -> Timeline {
    let checked = check_str(src, &BuiltinSoundNames);
    let Some(s) = checked.session else {
        panic!(
            "generated session is invalid: {:?}\n{src}",
            checked.diagnostics
        );
    };
    Timeline::compile(&s, s.settle.unwrap_or_default())
}

/// Events of a whole run: start first, end last, times non-decreasing,
/// nothing twice, segment starts in index order at their start time, and
/// a start for every segment that was not skipped at the moment it began.
fn assert_well_formed(events: &[Event], schedule: &Schedule) {
    let n = schedule.timeline().segments.len();
    assert_eq!(
        events.first().map(|e| &e.kind),
        Some(&EventKind::SessionStart)
    );
    assert_eq!(events.last().map(|e| &e.kind), Some(&EventKind::SessionEnd));
    assert_eq!(events.last().map(|e| e.at), Some(schedule.total()));
    for w in events.windows(2) {
        assert!(
            w[0].at <= w[1].at,
            "out of order: {:?} then {:?}",
            w[0],
            w[1]
        );
    }
    let mut seen = HashSet::new();
    for e in events {
        assert!(seen.insert(format!("{e:?}")), "twice: {e:?}");
    }
    let starts: Vec<usize> = events
        .iter()
        .filter_map(|e| match e.kind {
            EventKind::SegmentStart(i) => {
                assert_eq!(
                    e.at,
                    schedule.start_of(i),
                    "segment {i} starts late or early"
                );
                Some(i)
            }
            _ => None,
        })
        .collect();
    let expected: Vec<usize> = (0..n)
        .filter(|&i| !(schedule.was_ended(i) && schedule.length_of(i).is_zero()))
        .collect();
    assert_eq!(starts, expected);
    let count = |k: &EventKind| events.iter().filter(|e| &e.kind == k).count();
    assert_eq!(count(&EventKind::SessionStart), 1);
    assert_eq!(count(&EventKind::SessionEnd), 1);
}

/// A user action at a wall-clock step.
#[derive(Debug, Clone, Copy)]
enum Act {
    Wait,
    Pause,
    Resume,
    Skip,
    EndHold,
}

fn act() -> impl Strategy<Value = (u64, Act)> {
    (
        0..20_000_u64,
        prop_oneof![
            3 => Just(Act::Wait),
            1 => Just(Act::Pause),
            1 => Just(Act::Resume),
            1 => Just(Act::Skip),
            1 => Just(Act::EndHold),
        ],
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn segments_tile_the_session(src in session()) {
        let tl = compile(&src);
        let schedule = Schedule::new(tl.clone());
        let sum: Duration = tl.segments.iter().map(|s| s.length).sum();
        prop_assert_eq!(sum, schedule.total());
        prop_assert_eq!(sum, tl.planned());
        prop_assert_eq!(schedule.start_of(0), Duration::ZERO);
        for i in 1..tl.segments.len() {
            prop_assert_eq!(
                schedule.start_of(i),
                schedule.start_of(i - 1) + schedule.length_of(i - 1),
                "gap or overlap before segment {}", i
            );
            prop_assert!(!tl.segments[i].length.is_zero());
        }
    }

    #[test]
    fn events_come_once_in_order_however_time_is_cut(
        src in session(),
        cuts in prop::collection::vec(0..1_000_000_u64, 0..30),
    ) {
        let tl = compile(&src);
        let schedule = Schedule::new(tl);
        let end = schedule.total() + Duration::from_nanos(1);
        let whole = schedule.events_between(Duration::ZERO, end);
        assert_well_formed(&whole, &schedule);
        // The same events, cut into windows at random points, including
        // points exactly on segment boundaries.
        let mut points: Vec<Duration> = cuts
            .iter()
            .map(|c| {
                if c % 3 == 0 {
                    schedule.start_of((*c / 3) as usize % schedule.timeline().segments.len())
                } else {
                    Duration::from_nanos(
                        (schedule.total().as_nanos() as u64).saturating_mul(*c) / 1_000_000,
                    )
                }
            })
            .collect();
        points.push(Duration::ZERO);
        points.push(end);
        points.sort();
        points.dedup();
        let pieces: Vec<Event> = points
            .windows(2)
            .flat_map(|w| schedule.events_between(w[0], w[1]))
            .collect();
        prop_assert_eq!(pieces, whole);
    }

    #[test]
    fn a_player_driven_at_random_keeps_events_and_time_honest(
        src in session(),
        acts in prop::collection::vec(act(), 0..40),
    ) {
        let tl = compile(&src);
        let t0 = Instant::now();
        let mut player = Player::new(tl, t0);
        let mut now = t0;
        let mut events = Vec::new();
        for (dt, a) in &acts {
            now += Duration::from_millis(*dt);
            events.extend(player.poll(now));
            match a {
                Act::Wait => {}
                Act::Pause => player.pause(now),
                Act::Resume => player.resume(now),
                Act::Skip => { player.skip(now); }
                Act::EndHold => { player.end_open(now); }
            }
        }
        player.resume(now);
        let total = player.schedule().total();
        now += total + Duration::from_secs(1);
        events.extend(player.poll(now));
        prop_assert!(player.finished(now));
        assert_well_formed(&events, player.schedule());
        let n = player.schedule().timeline().segments.len();
        let actual: Duration = (0..n).map(|i| player.schedule().length_of(i)).sum();
        let outcome = player.outcome(now, Ending::Completed);
        prop_assert_eq!(outcome.practised, actual);
        prop_assert_eq!(outcome.practised, total);
        // Nothing more ever comes.
        prop_assert!(player.poll(now + Duration::from_secs(3600)).is_empty());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// A runner that sleeps until `next_wake` and polls then sees every
    /// event, each at the moment it wakes for it.
    #[test]
    fn waking_only_when_asked_misses_nothing(src in session()) {
        let tl = compile(&src);
        let t0 = Instant::now();
        let mut player = Player::new(tl, t0);
        let schedule = player.schedule().clone();
        let expected = schedule.events_between(Duration::ZERO, schedule.total() + Duration::from_nanos(1));
        let mut now = t0;
        let mut events = player.poll(now);
        let limit = expected.len() + 5;
        let mut wakes = 0;
        while let Some(wake) = player.next_wake(now) {
            prop_assert!(wake > now, "a wake-up in the past");
            now = wake;
            let got = player.poll(now);
            for e in &got {
                // Woken at most a nanosecond-step after the event.
                let late = (now - t0).checked_sub(e.at);
                prop_assert!(late.is_some_and(|l| l <= Duration::from_micros(1)), "{:?} at {:?}", e, now - t0);
            }
            events.extend(got);
            wakes += 1;
            prop_assert!(wakes <= limit, "more wake-ups than events");
        }
        prop_assert!(player.finished(now));
        prop_assert_eq!(events, expected);
    }
}

/// A poll that lands exactly on the end of a meditation block still rings
/// its end bell (it was once lost: the window began in the next segment).
#[test]
fn an_end_bell_on_a_window_boundary_rings() {
    let tl = compile(
        "name = \"x\"\n[[block]]\nkind = \"meditate\"\nduration = 10\nbells = { end = true }\n[[block]]\nkind = \"meditate\"\nduration = 5\n",
    );
    let schedule = Schedule::new(tl);
    let ten = Duration::from_secs(10);
    let before = schedule.events_between(Duration::ZERO, ten);
    let after = schedule.events_between(ten, Duration::from_secs(20));
    assert!(
        !before
            .iter()
            .any(|e| matches!(e.kind, EventKind::Bell { .. }))
    );
    assert_eq!(
        after.first(),
        Some(&Event {
            at: ten,
            kind: EventKind::Bell { block: 0 }
        })
    );
}
