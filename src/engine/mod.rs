//! The pure engine: compiles a validated session into a timeline and answers
//! questions about it at a given time. It never reads a clock, draws or
//! plays anything; time is always an argument, so every timing rule can be
//! tested exactly.

pub mod model;
pub mod play_clock;
pub mod player;
pub mod schedule;
pub mod timeline;

use std::time::Duration;

use crate::engine::model::{BlockBody, BlockLength, Breathe, Phase, Ramp, Session, SitLength};

pub use play_clock::PlayClock;
pub use player::{Ending, Outcome, Player};
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

/// Breaths a minute of one cycle of `phases` (one cycle is one breath).
pub fn breaths_per_minute(cycle: Duration) -> f64 {
    if cycle.is_zero() {
        0.0
    } else {
        60.0 / cycle.as_secs_f64()
    }
}
