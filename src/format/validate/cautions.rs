//! What the session's shape says beyond its errors: warnings about a
//! block that is probably not what its author meant, and the cautions
//! shown before a session whatever its author wrote (fast breathing,
//! holds the person ends, long holds).

use std::time::Duration;

use toml::Spanned;

use super::super::raw::RawBlock;
use super::{Validator, block_length};
use crate::engine::model::{Block, BlockBody, Caution, CautionKind, PhaseKind};
use crate::text::{count, human};

/// Holds longer than this get a caution.
pub const LONG_HOLD: Duration = Duration::from_secs(10);
/// Breathing faster than this many breaths a minute gets a caution.
pub const FAST_BPM: f64 = 20.0;

impl Validator<'_> {
    pub(super) fn block_warnings(&mut self, block: &Block, raw: &Spanned<RawBlock>) {
        let span = Some(raw.get_ref().kind.span());
        match &block.body {
            BlockBody::Breathe(b) => {
                let cycles = crate::engine::breathe_cycle_count(b);
                let held: Duration = (0..cycles)
                    .flat_map(|c| b.phases.iter().map(move |p| (c, p)))
                    .filter(|(_, p)| p.kind == PhaseKind::Hold)
                    .map(|(c, p)| crate::engine::phase_length(p, c, cycles))
                    .sum();
                let total = block_length(block);
                // Box breathing holds for half its time, and is a standard
                // practice; more than half, and over two and a half minutes
                // in all, is probably not what the author meant.
                if held > Duration::from_secs(150) && held * 2 > total {
                    self.warn(
                        format!(
                            "this block holds the breath for {} of its {} ({})",
                            human(held),
                            human(total),
                            count(cycles, "cycle")
                        ),
                        span.clone(),
                        "that is a lot of holding for one sitting; fewer cycles or shorter holds are gentler",
                    );
                }
                if !b.phases.iter().any(|p| p.kind == PhaseKind::Exhale) {
                    self.warn(
                        "this cycle has no exhale",
                        span.clone(),
                        "add e.g. { out = 6 }",
                    );
                }
                if !b.phases.iter().any(|p| p.kind == PhaseKind::Inhale) {
                    self.warn(
                        "this cycle has no inhale",
                        span.clone(),
                        "add e.g. { in = 4 }",
                    );
                }
                let raw_phases = raw.get_ref().phases.iter().flat_map(Spanned::get_ref);
                if let Some((p, rawp)) = b
                    .phases
                    .iter()
                    .zip(raw_phases)
                    .find(|(p, _)| p.length < Duration::from_millis(700))
                {
                    self.warn(
                        format!(
                            "{} {} phase of {} is hard to follow",
                            if p.kind == PhaseKind::Hold { "a" } else { "an" },
                            p.kind.word(),
                            human(p.length)
                        ),
                        Some(rawp.span()),
                        "phases of at least 0.7 s are easier to breathe with",
                    );
                }
            }
            BlockBody::Retention(_) | BlockBody::Meditate(_) => {}
        }
    }
}

/// Cautions that follow from the session's shape, whatever its author wrote.
pub fn derived_cautions(blocks: &[Block]) -> Vec<Caution> {
    let mut long_hold = false;
    let mut user_timed = false;
    let mut fast = false;
    for b in blocks {
        match &b.body {
            BlockBody::Breathe(br) => {
                let cycles = crate::engine::breathe_cycle_count(br);
                for p in &br.phases {
                    if p.kind == PhaseKind::Hold {
                        let max = (0..cycles.min(2))
                            .chain(std::iter::once(cycles.saturating_sub(1)))
                            .map(|c| crate::engine::phase_length(p, c, cycles))
                            .max()
                            .unwrap_or_default();
                        long_hold |= max > LONG_HOLD;
                    }
                }
                let cycle: Duration = br.phases.iter().map(|p| p.length).sum();
                fast |= 60.0 / cycle.as_secs_f64() > FAST_BPM;
            }
            BlockBody::Retention(r) => {
                user_timed = true;
                long_hold |= r
                    .recovery
                    .iter()
                    .any(|p| p.kind == PhaseKind::Hold && p.length > LONG_HOLD);
                let breath: Duration = r.phases.iter().map(|p| p.length).sum();
                fast |= r.breaths > 0 && 60.0 / breath.as_secs_f64() > FAST_BPM;
            }
            BlockBody::Meditate(_) => {}
        }
    }
    let mut out = Vec::new();
    if fast {
        out.push(Caution {
            kind: CautionKind::FastBreathing,
            text: "Fast, deep breathing (over 20 breaths a minute) can cause light-headedness, \
                   tingling or panic symptoms. Sit or lie down; never practise in or near water \
                   or while driving."
                .into(),
        });
    }
    if user_timed {
        out.push(Caution {
            kind: CautionKind::UserTimedHold,
            text: "You end the breath holds yourself: hold only as long as is comfortable, and \
                   breathe whenever you want."
                .into(),
        });
    }
    if long_hold {
        out.push(Caution {
            kind: CautionKind::LongHold,
            text: "Some holds last longer than 10 seconds. If you feel dizzy or uneasy, shorten \
                   them or stop and breathe normally."
                .into(),
        });
    }
    out
}
