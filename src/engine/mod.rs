//! The pure engine: compiles a validated session into a timeline and answers
//! questions about it at a given time. It never reads a clock, draws or
//! plays anything; time is always an argument, so every timing rule can be
//! tested exactly.

pub mod breath;
pub mod finder;
pub mod model;
pub mod pace;
pub mod play_clock;
pub mod player;
pub mod schedule;
pub mod timeline;

use std::time::Duration;

use crate::engine::model::{
    BlockBody, BlockLength, Breathe, Phase, PhaseKind, Ramp, Session, SitLength,
};

pub use play_clock::PlayClock;
pub use player::{Ahead, Ending, Outcome, Player};
pub use schedule::{Event, EventKind, PACE_STEP, PhaseBounds, Schedule, State};
pub use timeline::{Counter, Mark, MarkKind, Segment, SegmentKind, Timeline};

/// A change to the length of every breathing block, from the command line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LengthOverride {
    /// Run this many cycles.
    Cycles(u32),
    /// Run for about this long.
    Time(Duration),
}

/// Apply a command-line length override to every breathing block. Linear
/// ramps keep working with a time override by becoming cycle counts.
///
/// A session with no breathing block (a meditation) takes a time override
/// as the length of each fixed-length sit: prompts and bells from the new
/// end on are dropped. Open-ended sits keep their own cap, and a cycle
/// count means nothing to a sit.
pub fn apply_override(session: &mut Session, o: LengthOverride) {
    let breathes = session
        .blocks
        .iter()
        .any(|b| matches!(b.body, BlockBody::Breathe(_)));
    if let (false, LengthOverride::Time(d)) = (breathes, o) {
        for block in &mut session.blocks {
            if let BlockBody::Meditate(m) = &mut block.body {
                if let SitLength::Fixed(_) = m.length {
                    m.length = SitLength::Fixed(d);
                    m.prompts.retain(|p| p.at < d);
                    m.bells.at.retain(|at| *at < d);
                }
            }
        }
        return;
    }
    for block in &mut session.blocks {
        if let BlockBody::Breathe(b) = &mut block.body {
            b.length = match o {
                LengthOverride::Cycles(n) => BlockLength::Cycles(n.max(1)),
                LengthOverride::Time(d) => {
                    if b.phases
                        .iter()
                        .any(|p| matches!(p.ramp, Some(Ramp::Linear { .. })))
                    {
                        let cycle: Duration = b.phases.iter().map(|p| p.length).sum();
                        let n = (d.as_secs_f64() / cycle.as_secs_f64()).round().max(1.0);
                        BlockLength::Cycles(n.min(f64::from(u32::MAX)) as u32)
                    } else {
                        BlockLength::Time(d)
                    }
                }
            };
        }
    }
}

/// The length of phase `p` on cycle `cycle` (0-based) of `cycles`.
pub fn phase_length(p: &Phase, cycle: u32, cycles: u32) -> Duration {
    let from = p.length.as_millis() as f64;
    let ms = match p.ramp {
        None => return p.length,
        Some(Ramp::Linear { to }) => {
            if cycles <= 1 {
                return p.length;
            }
            let to = to.as_millis() as f64;
            from + (to - from) * f64::from(cycle) / f64::from(cycles - 1)
        }
        Some(Ramp::Over { to, cycles: n, .. }) => {
            let to = to.as_millis() as f64;
            let ratio = (f64::from(cycle) / f64::from(n.saturating_sub(1).max(1))).min(1.0);
            from + (to - from) * ratio
        }
        Some(Ramp::Stepped { to, step, every }) => {
            let to = to.as_millis() as f64;
            let delta = step.as_millis() as f64 * f64::from(cycle / every.max(1));
            if to >= from {
                (from + delta).min(to)
            } else {
                (from - delta).max(to)
            }
        }
    };
    Duration::from_millis(ms.round().max(1.0) as u64)
}

/// How many cycles of `phases` come nearest to filling `over` while the
/// phase `ramping` goes from its length to `to` in equal steps (the
/// other phases at their first length): the cycles of a ramp over a
/// length of time. At least one.
pub fn ramp_cycles(phases: &[Phase], ramping: usize, to: Duration, over: Duration) -> u32 {
    let first: Duration = phases.iter().map(|p| p.length).sum();
    let from = phases.get(ramping).map_or(Duration::ZERO, |p| p.length);
    let last = first.saturating_sub(from) + to;
    let mean = (first + last).as_secs_f64() / 2.0;
    if mean <= 0.0 {
        return 1;
    }
    (over.as_secs_f64() / mean).round().clamp(1.0, 10_000_000.0) as u32
}

/// Length of cycle `cycle` of a breathing block.
pub fn cycle_length(b: &Breathe, cycle: u32, cycles: u32) -> Duration {
    b.phases
        .iter()
        .map(|p| phase_length(p, cycle, cycles))
        .sum()
}

/// How many cycles a breathing block runs. A length in time becomes the
/// whole number of cycles whose total comes nearest to it, at least one.
pub fn breathe_cycle_count(b: &Breathe) -> u32 {
    match b.length {
        BlockLength::Cycles(n) => n,
        BlockLength::Time(target) => {
            let ramps = b.phases.iter().any(|p| p.ramp.is_some());
            if !ramps {
                let cycle = cycle_length(b, 0, 1).as_secs_f64();
                let n = (target.as_secs_f64() / cycle).round().max(1.0);
                return n.min(10_000_000.0) as u32;
            }
            // Stepped ramps: add cycles while the next one ends nearer the
            // target than stopping here would.
            let mut total = Duration::ZERO;
            let mut n = 0_u32;
            while n < 10_000_000 {
                let next = cycle_length(b, n, u32::MAX);
                if n > 0 && total + next / 2 > target {
                    break;
                }
                total += next;
                n += 1;
            }
            n
        }
    }
}

/// How many breaths one cycle of `kinds` holds: each breath in that is
/// followed, after any holds and top-up inhales, by a breath out. Two
/// inhales in a row (a sigh) are one breath; alternate-nostril breathing's
/// in, hold, out, in, hold, out is two. A cycle with no such turn (no
/// exhale, or no inhale) counts as one breath, so that it still has a pace.
pub fn breaths_in_cycle(kinds: &[PhaseKind]) -> u32 {
    let paced: Vec<PhaseKind> = kinds
        .iter()
        .copied()
        .filter(|k| !matches!(k, PhaseKind::Hold | PhaseKind::Natural))
        .collect();
    let n = paced.len();
    let turns = (0..n)
        .filter(|&i| paced[i] == PhaseKind::Exhale && paced[(i + n - 1) % n] == PhaseKind::Inhale)
        .count();
    u32::try_from(turns).unwrap_or(u32::MAX).max(1)
}

/// Breaths a minute of `breaths` breaths taking `cycle` in all.
pub fn breaths_per_minute(breaths: u32, cycle: Duration) -> f64 {
    if cycle.is_zero() {
        0.0
    } else {
        f64::from(breaths) * 60.0 / cycle.as_secs_f64()
    }
}

/// Breaths a minute of one cycle of `phases`, each at the length it has on
/// cycle `cycle` of `cycles`: breaths are counted by [`breaths_in_cycle`].
///
/// Natural breathing is unpaced: it counts neither breaths nor time, and
/// a cycle with nothing paced but holds has no pace (0).
pub fn phases_per_minute(phases: &[Phase], cycle: u32, cycles: u32) -> f64 {
    let paced: Vec<&Phase> = phases
        .iter()
        .filter(|p| p.kind != PhaseKind::Natural)
        .collect();
    if paced.iter().all(|p| p.kind == PhaseKind::Hold) {
        return 0.0;
    }
    let kinds: Vec<PhaseKind> = paced.iter().map(|p| p.kind).collect();
    let len: Duration = paced.iter().map(|p| phase_length(p, cycle, cycles)).sum();
    breaths_per_minute(breaths_in_cycle(&kinds), len)
}

#[cfg(test)]
mod breath_tests {
    use super::*;
    use PhaseKind::{Exhale as O, Hold as H, Inhale as I};

    #[test]
    fn a_breath_is_an_inhale_then_an_exhale() {
        assert_eq!(breaths_in_cycle(&[I, O]), 1);
        assert_eq!(breaths_in_cycle(&[I, H, O, H]), 1);
        // A sigh's top-up is part of the same breath.
        assert_eq!(breaths_in_cycle(&[I, I, O]), 1);
        // Alternate-nostril: two breaths a cycle.
        assert_eq!(breaths_in_cycle(&[I, H, O, I, H, O]), 2);
        // A cycle that starts on the exhale still turns once.
        assert_eq!(breaths_in_cycle(&[O, I]), 1);
        assert_eq!(breaths_in_cycle(&[H]), 1);
        assert_eq!(breaths_in_cycle(&[I, I]), 1);
    }

    #[test]
    fn alternate_nostril_at_four_seconds_is_five_a_minute() {
        let kinds = [I, H, O, I, H, O];
        let bpm = breaths_per_minute(breaths_in_cycle(&kinds), Duration::from_secs(24));
        assert!((bpm - 5.0).abs() < 1e-9, "{bpm}");
    }
}
