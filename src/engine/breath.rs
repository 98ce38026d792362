//! How full the lungs should feel at each moment of a breathing session:
//! eased, never linear, slow at the turns like a breath. The ring and the
//! bar draw it; the pacing sound follows it, so what is seen and what is
//! heard move together. Pure: the schedule and the state are given.

use std::f64::consts::PI;
use std::time::Duration;

use crate::engine::model::PhaseKind;
use crate::engine::{Schedule, SegmentKind, State};

/// Sine ease-in-out: slow at both ends, like a breath.
pub fn ease(p: f64) -> f64 {
    let p = p.clamp(0.0, 1.0);
    (1.0 - (PI * p).cos()) / 2.0
}

/// Where the cue rests during natural, unpaced breathing.
const NATURAL_LEVEL: f64 = 0.5;

/// How full the lungs are, from 0 (empty) to 1 (full), at `state`.
/// Holds keep the level the previous phase ended on; a retention hold is on
/// empty lungs. Consecutive inhales (cyclic sighing's full breath and its
/// top-up) share one rise: each continues from where the last one ended,
/// in proportion to its length, instead of starting again from empty.
pub fn fullness(schedule: &Schedule, state: &State<'_>) -> f64 {
    match state.segment.kind {
        SegmentKind::Breath(PhaseKind::Inhale | PhaseKind::Exhale) => {
            let from = start_level(schedule, state.index);
            let to = end_level(schedule, state.index);
            from + (to - from) * ease(state.progress)
        }
        SegmentKind::Breath(PhaseKind::Hold) => start_level(schedule, state.index),
        // Unpaced: the cue rests half full and does not move.
        SegmentKind::Breath(PhaseKind::Natural) => NATURAL_LEVEL,
        SegmentKind::Retention | SegmentKind::Settle | SegmentKind::Sit => 0.0,
    }
}

/// The level at the start of segment `i`: where the one before it ended.
fn start_level(schedule: &Schedule, i: usize) -> f64 {
    let segs = &schedule.timeline().segments;
    // Walk back over holds to the breath that set the level.
    segs[..i]
        .iter()
        .enumerate()
        .rev()
        .find_map(|(j, s)| match s.kind {
            SegmentKind::Breath(PhaseKind::Hold) => None,
            SegmentKind::Breath(PhaseKind::Natural) => Some(NATURAL_LEVEL),
            SegmentKind::Breath(_) => Some(end_level(schedule, j)),
            SegmentKind::Retention | SegmentKind::Settle | SegmentKind::Sit => Some(0.0),
        })
        .unwrap_or(0.0)
}

/// The level at the end of inhale or exhale `i`: full (or empty) at the end
/// of a run of same-direction breaths, and in between, the share of the run
/// done so far.
fn end_level(schedule: &Schedule, i: usize) -> f64 {
    let segs = &schedule.timeline().segments;
    let kind = segs[i].kind;
    let target = if kind == SegmentKind::Breath(PhaseKind::Inhale) {
        1.0
    } else {
        0.0
    };
    let same = |j: usize| segs[j].kind == kind && segs[j].block == segs[i].block;
    let mut first = i;
    while first > 0 && same(first - 1) {
        first -= 1;
    }
    let mut last = i;
    while last + 1 < segs.len() && same(last + 1) {
        last += 1;
    }
    if last == i {
        return target;
    }
    let run: f64 = (first..=last)
        .map(|j| schedule.length_of(j).as_secs_f64())
        .sum();
    let done: f64 = (first..=i)
        .map(|j| schedule.length_of(j).as_secs_f64())
        .sum();
    let from = start_level(schedule, first);
    if run <= 0.0 {
        target
    } else {
        from + (target - from) * done / run
    }
}

/// One segment's course for a sound that follows the breath: from level
/// `from` to level `to` (0 empty, 1 full) over `length`, eased as
/// [`fullness`] is, `into` of it already gone. A hold has `from == to`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Glide {
    /// The level at the segment's start.
    pub from: f64,
    /// The level at its end.
    pub to: f64,
    /// The segment's length as it stands (pace changes included).
    pub length: Duration,
    /// How far into the segment this moment is.
    pub into: Duration,
}

impl Glide {
    /// The level `t` into the segment, eased; the end level past its end.
    pub fn level_at(&self, t: Duration) -> f64 {
        let p = if self.length.is_zero() {
            1.0
        } else {
            t.as_secs_f64() / self.length.as_secs_f64()
        };
        self.from + (self.to - self.from) * ease(p)
    }
}

/// The course of the segment `state` is in, for a paced breath (an
/// inhale, a hold or an exhale); `None` for anything unpaced (natural
/// breathing, a retention hold, a settle-in, a sit), where a pacing sound
/// falls silent.
pub fn glide(schedule: &Schedule, state: &State<'_>) -> Option<Glide> {
    let (from, to) = match state.segment.kind {
        SegmentKind::Breath(PhaseKind::Inhale | PhaseKind::Exhale) => (
            start_level(schedule, state.index),
            end_level(schedule, state.index),
        ),
        SegmentKind::Breath(PhaseKind::Hold) => {
            let l = start_level(schedule, state.index);
            (l, l)
        }
        SegmentKind::Breath(PhaseKind::Natural)
        | SegmentKind::Retention
        | SegmentKind::Settle
        | SegmentKind::Sit => return None,
    };
    Some(Glide {
        from,
        to,
        length: state.length,
        into: state.into,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schedule(src: &str) -> Schedule {
        let session = crate::format::check_str(src, &crate::format::BuiltinSoundNames)
            .session
            .expect("valid session");
        Schedule::new(crate::engine::Timeline::compile(
            &session,
            std::time::Duration::ZERO,
        ))
    }

    fn level_at(s: &Schedule, ms: u64) -> f64 {
        fullness(s, &s.state_at(std::time::Duration::from_millis(ms)))
    }

    #[test]
    fn a_top_up_inhale_keeps_rising_from_where_the_first_ended() {
        // Cyclic sighing: in 2 s, in 1 s more, out 6 s.
        let s = schedule(
            "name = \"s\"\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 2 }, { in = 1 }, { out = 6 }]\ncycles = 2\n",
        );
        let mut last = -1.0;
        for ms in (0..=3000).step_by(50) {
            let l = level_at(&s, ms);
            assert!(
                l >= last - 1e-9,
                "the lungs never empty during the inhales: {l} after {last} at {ms} ms"
            );
            last = l;
        }
        let at_top_up = level_at(&s, 2000);
        assert!(
            (at_top_up - 2.0 / 3.0).abs() < 0.01,
            "the first inhale fills two thirds: {at_top_up}"
        );
        assert!((level_at(&s, 2999) - 1.0).abs() < 0.01);
        assert!(level_at(&s, 8999) < 0.01, "the exhale empties");
    }

    #[test]
    fn holds_keep_the_level_they_follow() {
        let s = schedule(
            "name = \"b\"\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 4 }, { hold = 4 }, { out = 4 }, { hold = 4 }]\ncycles = 1\n",
        );
        assert!((level_at(&s, 5000) - 1.0).abs() < 1e-9);
        assert!(level_at(&s, 13_000).abs() < 1e-9);
    }

    #[test]
    fn easing_is_slow_at_the_ends_and_fast_in_the_middle() {
        assert!(ease(0.0).abs() < 1e-9);
        assert!((ease(1.0) - 1.0).abs() < 1e-9);
        assert!((ease(0.5) - 0.5).abs() < 1e-9);
        // Not linear: the first tenth moves much less than a tenth.
        assert!(ease(0.1) < 0.05);
        assert!(ease(0.6) - ease(0.4) > 0.25);
    }

    #[test]
    fn a_glide_follows_the_ring_through_each_phase() {
        let s = schedule(
            "name = \"b\"\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 4 }, { hold = 2 }, { out = 4 }]\ncycles = 1\n",
        );
        for ms in [0_u64, 500, 1000, 2000, 3900, 4000, 5000, 6000, 7500, 9900] {
            let st = s.state_at(Duration::from_millis(ms));
            let g = glide(&s, &st).expect("paced");
            // Anchored at the segment's start: its level now is the ring's.
            let heard = g.level_at(g.into);
            assert!(
                (heard - fullness(&s, &st)).abs() < 1e-9,
                "{ms} ms: {heard} against {}",
                fullness(&s, &st)
            );
        }
        let hold = glide(&s, &s.state_at(Duration::from_millis(5000))).expect("hold");
        assert!((hold.from - 1.0).abs() < 1e-9 && (hold.to - 1.0).abs() < 1e-9);
        assert_eq!(hold.length, Duration::from_secs(2));
        assert_eq!(hold.into, Duration::from_secs(1));
    }

    #[test]
    fn unpaced_moments_have_no_glide() {
        let s = schedule("name = \"m\"\nsettle = 3\n[[block]]\nkind = \"meditate\"\nminutes = 1\n");
        assert!(glide(&s, &s.state_at(Duration::from_secs(1))).is_none());
        assert!(glide(&s, &s.state_at(Duration::from_secs(30))).is_none());
    }
}
