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
/// Breathing at this many breaths a minute or faster gets a caution.
pub const FAST_BPM: f64 = 20.0;
/// A long hold on empty lungs after breathing at this many breaths a
/// minute or faster (a deep breath every four seconds: more than a
/// person at rest needs) gets the fainting caution.
pub const QUICK_BPM: f64 = 15.0;

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
                let natural = b.phases.iter().any(|p| p.kind == PhaseKind::Natural);
                if !natural && !b.phases.iter().any(|p| p.kind == PhaseKind::Exhale) {
                    self.warn(
                        "this cycle has no exhale",
                        span.clone(),
                        "add e.g. { out = 6 }",
                    );
                }
                if !natural && !b.phases.iter().any(|p| p.kind == PhaseKind::Inhale) {
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

/// Cautions that follow from the session's shape, whatever its author
/// wrote. Each comes from what is risky, and says which rule called for
/// it (`why`):
///
/// - breathing at [`FAST_BPM`] or faster: fast breathing, and never in
///   water or while driving;
/// - a hold on empty lungs of over [`LONG_HOLD`] (a retention hold, or a
///   hold after a breath out) after breathing at [`QUICK_BPM`] or faster:
///   the fainting case, never in water or while driving;
/// - holds the person ends;
/// - holds of over [`LONG_HOLD`].
///
/// Rules that call for the same caution share one, so each thing is said
/// once.
pub fn derived_cautions(blocks: &[Block]) -> Vec<Caution> {
    let mut fast: Vec<String> = Vec::new();
    let mut fainting: Vec<String> = Vec::new();
    let mut user_timed: Vec<String> = Vec::new();
    let mut long_hold: Vec<String> = Vec::new();
    // The pace of the breathing just before, for a hold that follows it
    // in the next block; a sit in between lets the breath settle.
    let mut pace_before: Option<f64> = None;
    for (i, b) in blocks.iter().enumerate() {
        let name = format!("block {} \"{}\"", i + 1, b.title());
        match &b.body {
            BlockBody::Breathe(br) => {
                let cycles = crate::engine::breathe_cycle_count(br);
                let probe = probe_cycles(cycles);
                let pace = probe
                    .iter()
                    .map(|&c| crate::engine::phases_per_minute(&br.phases, c, cycles))
                    .fold(0.0, f64::max);
                if pace >= FAST_BPM - 1e-9 {
                    fast.push(format!(
                        "{name} breathes at {pace:.1} breaths a minute; {FAST_BPM:.0} or more is fast"
                    ));
                }
                let n = br.phases.len();
                for (pi, p) in br.phases.iter().enumerate() {
                    if p.kind != PhaseKind::Hold {
                        continue;
                    }
                    let max = probe
                        .iter()
                        .map(|&c| crate::engine::phase_length(p, c, cycles))
                        .max()
                        .unwrap_or_default();
                    if max <= LONG_HOLD {
                        continue;
                    }
                    long_hold.push(format!(
                        "{name} holds for {} (phase {}); over {} is long",
                        human(max),
                        pi + 1,
                        human(LONG_HOLD)
                    ));
                    // A hold after a breath out (holds in between count
                    // as the same hold) is on empty lungs.
                    let empty = (1..n)
                        .map(|back| br.phases[(pi + n - back) % n].kind)
                        .find(|k| *k != PhaseKind::Hold)
                        == Some(PhaseKind::Exhale);
                    if empty && pace >= QUICK_BPM - 1e-9 {
                        fainting.push(format!(
                            "{name} holds on empty lungs for {} after breathing at {pace:.1} breaths a minute",
                            human(max)
                        ));
                    }
                }
                pace_before = Some(pace);
            }
            BlockBody::Retention(r) => {
                user_timed.push(format!(
                    "{name} has holds you end yourself (up to {})",
                    human(r.cap)
                ));
                for p in &r.recovery {
                    if p.kind == PhaseKind::Hold && p.length > LONG_HOLD {
                        long_hold.push(format!(
                            "{name} holds for {} after each round; over {} is long",
                            human(p.length),
                            human(LONG_HOLD)
                        ));
                    }
                }
                let pace = if r.breaths > 0 {
                    let pace = crate::engine::phases_per_minute(&r.phases, 0, 1);
                    if pace >= FAST_BPM - 1e-9 {
                        fast.push(format!(
                            "{name} breathes at {pace:.1} breaths a minute; {FAST_BPM:.0} or more is fast"
                        ));
                    }
                    Some(pace)
                } else {
                    pace_before
                };
                if let Some(pace) = pace.filter(|p| *p >= QUICK_BPM - 1e-9) {
                    if r.cap > LONG_HOLD {
                        fainting.push(format!(
                            "{name} holds on empty lungs for up to {} after breathing at {pace:.1} breaths a minute",
                            human(r.cap)
                        ));
                    }
                }
                pace_before = r.recovery.is_empty().then_some(pace).flatten();
            }
            BlockBody::Meditate(_) => pace_before = None,
        }
    }
    let mut out = Vec::new();
    if !fast.is_empty() {
        out.push(Caution {
            kind: CautionKind::FastBreathing,
            text: "Fast, deep breathing can bring on light-headedness, tingling or panic \
                   symptoms. Sit or lie down, and breathe normally whenever you want."
                .into(),
            why: fast.clone(),
        });
    }
    if !fast.is_empty() || !fainting.is_empty() {
        out.push(Caution {
            kind: CautionKind::Fainting,
            text: "Never practise in or near water, while driving or standing: fast breathing, \
                   and holding the breath after it, can make you faint without warning."
                .into(),
            why: fast.into_iter().chain(fainting).collect(),
        });
    }
    if !user_timed.is_empty() {
        out.push(Caution {
            kind: CautionKind::UserTimedHold,
            text: "You end the breath holds yourself: hold only as long as is comfortable, and \
                   breathe whenever you want."
                .into(),
            why: user_timed,
        });
    }
    if !long_hold.is_empty() {
        out.push(Caution {
            kind: CautionKind::LongHold,
            text: "Some holds last longer than 10 seconds. If you feel dizzy or uneasy, shorten \
                   them or stop and breathe normally."
                .into(),
            why: long_hold,
        });
    }
    out
}

/// The cycles where a ramp is at its ends: the first two and the last.
fn probe_cycles(cycles: u32) -> Vec<u32> {
    let mut v: Vec<u32> = (0..cycles.min(2)).collect();
    v.push(cycles.saturating_sub(1));
    v
}
