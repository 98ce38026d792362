//! Breathing at a rate: a breathe block with `rate` has its phases scaled
//! so that one cycle lasts a minute divided by the rate, their
//! proportions kept; a block with a rate and no phases breathes in for
//! 40% of each breath and out for 60% (the slightly longer breath out of
//! resonance breathing). `rate = "resonance"` is the person's own rate,
//! found by the `resonance-finder` session and passed in here, since the
//! engine reads no journal.

use std::time::Duration;

use super::model::{BlockBody, Pan, Phase, PhaseKind, RESONANCE_FALLBACK, Rate, Session};

/// The share of a breath spent breathing in when a block gives only a rate.
pub const INHALE_SHARE: f64 = 0.4;

/// The phases of one breath at `rate` when a block gives none: in 40%,
/// out 60%.
pub fn default_phases(rate: f64) -> Vec<Phase> {
    let phase = |kind, share: f64| Phase {
        kind,
        length: Duration::from_secs_f64(share),
        ramp: None,
        cue: None,
        sound: None,
        pan: Pan::Center,
    };
    scaled(
        &[
            phase(PhaseKind::Inhale, INHALE_SHARE),
            phase(PhaseKind::Exhale, 1.0 - INHALE_SHARE),
        ],
        rate,
    )
}

/// `phases` scaled so that one cycle lasts `60 / rate` seconds (to the
/// millisecond), their proportions kept. The last phase takes up the
/// rounding, so the cycle is exact.
pub fn scaled(phases: &[Phase], rate: f64) -> Vec<Phase> {
    let total: f64 = phases.iter().map(|p| p.length.as_secs_f64()).sum();
    if total <= 0.0 || rate <= 0.0 || phases.is_empty() {
        return phases.to_vec();
    }
    let cycle_ms = (60_000.0 / rate).round() as u64;
    let mut out: Vec<Phase> = phases.to_vec();
    let mut used = 0u64;
    let last = out.len() - 1;
    for (i, p) in out.iter_mut().enumerate() {
        let ms = if i == last {
            cycle_ms.saturating_sub(used)
        } else {
            (p.length.as_secs_f64() / total * cycle_ms as f64).round() as u64
        };
        used += ms;
        p.length = Duration::from_millis(ms.max(1));
    }
    out
}

/// Whether any block follows the person's resonance rate.
pub fn uses_resonance(session: &Session) -> bool {
    session
        .blocks
        .iter()
        .any(|b| matches!(&b.body, BlockBody::Breathe(br) if br.rate == Some(Rate::Resonance)))
}

/// Pace every `rate = "resonance"` block at `rate` (the person's, or
/// [`RESONANCE_FALLBACK`]).
pub fn follow_resonance(session: &mut Session, rate: f64) {
    for block in &mut session.blocks {
        if let BlockBody::Breathe(b) = &mut block.body {
            if b.rate == Some(Rate::Resonance) {
                b.phases = scaled(&b.phases, rate);
            }
        }
    }
}

/// Pace every breathing block at `rate` (`--rate` on the command line),
/// keeping each block's proportions. A block whose phases ramp keeps its
/// own pace: a ramp has no one rate. Returns how many blocks kept theirs.
pub fn set_rate(session: &mut Session, rate: Rate, resonance: Option<f64>) -> usize {
    let per_minute = match rate {
        Rate::PerMinute(r) => r,
        Rate::Resonance => resonance.unwrap_or(RESONANCE_FALLBACK),
    };
    let mut kept = 0;
    for block in &mut session.blocks {
        if let BlockBody::Breathe(b) = &mut block.body {
            if b.phases.iter().any(|p| p.ramp.is_some()) {
                kept += 1;
                continue;
            }
            b.phases = scaled(&b.phases, per_minute);
            b.rate = Some(rate);
        }
    }
    kept
}

/// A session made ready to run at the rates asked for: `--rate` (if
/// given) on every breathing block, then the person's `resonance` rate
/// (if known) on the blocks that follow it. Returns how many blocks kept
/// their own pace against `--rate` (they ramp).
pub fn prepare(session: &mut Session, rate: Option<Rate>, resonance: Option<f64>) -> usize {
    let kept = rate.map_or(0, |r| set_rate(session, r, resonance));
    if let Some(r) = resonance {
        follow_resonance(session, r);
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(phases: &[Phase]) -> Vec<u128> {
        phases.iter().map(|p| p.length.as_millis()).collect()
    }

    #[test]
    fn a_rate_alone_is_forty_percent_in_and_sixty_out() {
        assert_eq!(ms(&default_phases(6.0)), [4000, 6000]);
        // 5.5 a minute: a breath of 10.909 s, exactly.
        let p = default_phases(5.5);
        assert_eq!(ms(&p), [4364, 6545]);
        assert_eq!(
            p.iter().map(|p| p.kind).collect::<Vec<_>>(),
            [PhaseKind::Inhale, PhaseKind::Exhale]
        );
    }

    #[test]
    fn phases_keep_their_proportions_at_a_rate() {
        let phase = |kind, s| Phase {
            kind,
            length: Duration::from_secs(s),
            ramp: None,
            cue: Some("c".into()),
            sound: None,
            pan: Pan::Center,
        };
        let box_ = [
            phase(PhaseKind::Inhale, 4),
            phase(PhaseKind::Hold, 4),
            phase(PhaseKind::Exhale, 4),
            phase(PhaseKind::Hold, 4),
        ];
        assert_eq!(ms(&scaled(&box_, 5.0)), [3000, 3000, 3000, 3000]);
        let uneven = [phase(PhaseKind::Inhale, 1), phase(PhaseKind::Exhale, 2)];
        let at7 = scaled(&uneven, 7.0);
        assert_eq!(ms(&at7), [2857, 5714]);
        assert_eq!(at7.iter().map(|p| p.length.as_millis()).sum::<u128>(), 8571);
        assert_eq!(at7[0].cue.as_deref(), Some("c"));
    }
}
