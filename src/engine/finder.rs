//! The resonance assessment's protocol (docs/resonance.md): a settle-in,
//! then a step at each of 6.5, 6.0, 5.5, 5.0 and 4.5 breaths a minute with
//! a short rest between steps, then two fine-tuning steps a quarter of a
//! breath either side of the best (Lehrer, Vaschillo & Vaschillo 2000;
//! Shaffer & Meehan 2020). Each step breathes in for 40% of the breath and
//! out for 60%. The pieces are sessions of their own, so a front end runs
//! each with the ordinary player and asks or scores between them.

use std::time::Duration;

use super::model::{
    Bells, Block, BlockBody, BlockLength, Breathe, Meditate, Prompt, Rate, Session, SitLength,
    Sounds,
};
use super::pace;

/// The main steps, breaths a minute, in the order breathed.
pub const RATES: [f64; 5] = [6.5, 6.0, 5.5, 5.0, 4.5];
/// How far the fine-tuning steps sit from the best rate.
pub const TUNE: f64 = 0.25;
/// A step's length by default.
pub const STEP: Duration = Duration::from_secs(120);

/// The lengths of the pieces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    /// Each step.
    pub step: Duration,
    /// The settle-in before the first step: half a step (a minute).
    pub settle: Duration,
    /// The rest between steps: a quarter of a step (30 seconds).
    pub rest: Duration,
}

impl Plan {
    /// The plan for steps of `step` (`--step`; [`STEP`] by default).
    pub fn new(step: Duration) -> Self {
        Self {
            step,
            settle: step / 2,
            rest: step / 4,
        }
    }
}

/// The rates of the fine-tuning steps around `best`.
pub fn tuning_rates(best: f64) -> [f64; 2] {
    [best - TUNE, best + TUNE]
}

fn quiet() -> Sounds {
    // No start and end sound for each piece: the pieces are one session.
    Sounds {
        start: Some("none".into()),
        end: Some("none".into()),
        ..Sounds::default()
    }
}

fn session(title: String, block: Block) -> Session {
    Session {
        title,
        description: String::new(),
        tags: Vec::new(),
        author: None,
        references: Vec::new(),
        cautions: Vec::new(),
        settle: Some(Duration::ZERO),
        settle_text: None,
        sounds: quiet(),
        bells: None,
        bed: None,
        pacing: None,
        blocks: vec![block],
    }
}

/// A still stretch with a line of text: the settle-in, or a rest.
pub fn sit(title: &str, length: Duration, text: &str) -> Session {
    session(
        title.to_owned(),
        Block {
            name: Some(title.to_owned()),
            sounds: Sounds::default(),
            pacing: None,
            body: BlockBody::Meditate(Meditate {
                length: SitLength::Fixed(length.max(Duration::from_millis(100))),
                bells: Bells::default(),
                prompts: vec![Prompt {
                    at: Duration::ZERO,
                    text: text.to_owned(),
                }],
            }),
        },
    )
}

/// One step: breathing at `rate` for `length`, in for 40%, out for 60%.
pub fn step(rate: f64, length: Duration) -> Session {
    let words = crate::text::rate(rate);
    let mut phases = pace::default_phases(rate);
    phases[0].cue = Some("Breathe in gently".into());
    phases[1].cue = Some("Breathe out slowly".into());
    let title = format!("{words} breaths a minute");
    session(
        format!("Resonance finder: {title}"),
        Block {
            name: Some(title),
            sounds: Sounds::default(),
            pacing: None,
            body: BlockBody::Breathe(Breathe {
                phases,
                length: BlockLength::Time(length),
                bells: Bells::default(),
                rate: Some(Rate::PerMinute(rate)),
            }),
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::Timeline;

    #[test]
    fn a_step_breathes_in_for_forty_percent_at_its_rate_for_about_its_length() {
        let s = step(6.0, Duration::from_secs(120));
        let tl = Timeline::compile(&s, Duration::ZERO);
        // 12 breaths of 10 s.
        assert_eq!(tl.planned(), Duration::from_secs(120));
        let BlockBody::Breathe(b) = &s.blocks[0].body else {
            panic!("a breathe block")
        };
        let ms: Vec<u128> = b.phases.iter().map(|p| p.length.as_millis()).collect();
        assert_eq!(ms, [4000, 6000]);
        assert_eq!(s.title, "Resonance finder: 6 breaths a minute");
    }

    #[test]
    fn the_plan_scales_with_the_step() {
        let p = Plan::new(Duration::from_secs(10));
        assert_eq!(
            (p.settle, p.rest),
            (Duration::from_secs(5), Duration::from_millis(2500))
        );
        assert_eq!(Plan::new(STEP).settle, Duration::from_secs(60));
        let [lower, upper] = tuning_rates(5.5);
        assert!((lower - 5.25).abs() < 1e-12 && (upper - 5.75).abs() < 1e-12);
    }
}
