//! Breathe blocks and the phases every breathing block is made of: one
//! kind and one length a phase, ramps, and the block's length in cycles
//! or in time.

use std::ops::Range;
use std::time::Duration;

use toml::Spanned;

use super::super::limits::{
    MAX_CYCLES, MAX_LINE, MAX_PHASE, MAX_PHASES, MAX_RAMP_EVERY, MIN_PHASE,
};
use super::super::raw::{RawBlock, RawCues, RawLength, RawPhase, RawRate};
use super::super::text::Lines;
use super::{Validator, span_of};
use crate::engine::model::{
    Bells, BlockLength, Breathe, MAX_RATE, MIN_RATE, Phase, PhaseKind, RESONANCE_FALLBACK, Ramp,
    Rate,
};
use crate::engine::pace;
use crate::text::human;

impl Validator<'_> {
    pub(super) fn phases(
        &mut self,
        list: Option<&Spanned<Vec<Spanned<RawPhase>>>>,
        cues: Option<&Spanned<RawCues>>,
        block_span: Range<usize>,
        what: &str,
    ) -> Option<Vec<Phase>> {
        let Some(list) = list else {
            self.error(
                format!("this block has no `{what}`"),
                Some(block_span),
                &format!("add e.g. {what} = [{{ in = 4 }}, {{ out = 6 }}]"),
            );
            return None;
        };
        if list.get_ref().is_empty() {
            self.error(
                format!("`{what}` is empty"),
                span_of(list),
                "add at least one phase, e.g. { in = 4 }",
            );
            return None;
        }
        if list.get_ref().len() > MAX_PHASES {
            self.error(
                format!(
                    "{} phases in one cycle; at most {MAX_PHASES} are allowed",
                    list.get_ref().len()
                ),
                span_of(list),
                "",
            );
            return None;
        }
        let defaults = cues.map(|c| {
            let c = c.get_ref();
            [
                self.opt_text(c.inhale.as_ref(), "a cue", MAX_LINE, Lines::One),
                self.opt_text(c.exhale.as_ref(), "a cue", MAX_LINE, Lines::One),
                self.opt_text(c.hold.as_ref(), "a cue", MAX_LINE, Lines::One),
            ]
        });
        let mut out = Vec::new();
        let mut ok = true;
        for p in list.get_ref() {
            match self.phase(p) {
                Some(mut phase) => {
                    if phase.cue.is_none() {
                        if let Some(d) = &defaults {
                            let slot = match phase.kind {
                                PhaseKind::Inhale => Some(0),
                                PhaseKind::Exhale => Some(1),
                                PhaseKind::Hold => Some(2),
                                PhaseKind::Natural => None,
                            };
                            phase.cue = slot.and_then(|i| d[i].clone());
                        }
                    }
                    out.push(phase);
                }
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    pub(super) fn phase(&mut self, raw: &Spanned<RawPhase>) -> Option<Phase> {
        let p = raw.get_ref();
        let given: Vec<(PhaseKind, &Spanned<RawLength>)> = [
            (PhaseKind::Inhale, p.inhale.as_ref()),
            (PhaseKind::Exhale, p.exhale.as_ref()),
            (PhaseKind::Hold, p.hold.as_ref()),
            (PhaseKind::Natural, p.natural.as_ref()),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v)))
        .collect();
        let (kind, len) = match given.as_slice() {
            [one] => *one,
            [] => {
                self.error(
                    "this phase says neither `in`, `out`, `hold` nor `natural`",
                    span_of(raw),
                    "write one of { in = 4 }, { out = 6 }, { hold = 4 } or { natural = \"1m\" }",
                );
                return None;
            }
            [_, _, ..] => {
                // The user's own kinds and lengths, one phase each, in the
                // order they wrote them.
                let mut written_order = given.clone();
                written_order.sort_by_key(|(_, v)| v.span().start);
                let parts: Vec<String> = written_order
                    .iter()
                    .map(|(k, v)| format!("{{ {} = {} }}", phase_key(*k), written(v.get_ref())))
                    .collect();
                let count = match parts.len() {
                    2 => "two",
                    3 => "three",
                    _ => "four",
                };
                self.error(
                    "a phase has one kind, but this one has several",
                    span_of(written_order[1].1),
                    &format!("split it into {count} phases: {}", parts.join(", ")),
                );
                return None;
            }
        };
        if kind == PhaseKind::Natural {
            if let Some(to) = p.to.as_ref().or(p.over.as_ref()) {
                self.error(
                    "natural breathing has no pace to ramp",
                    span_of(to),
                    "remove the ramp, or ramp a paced phase ({ in = 4, to = 6 })",
                );
                return None;
            }
        }
        let length = self.phase_length(len)?;
        let cue = self.opt_text(p.cue.as_ref(), "a cue", MAX_LINE, Lines::One);
        let sound = p.sound.as_ref().and_then(|s| self.sound(s));
        // An unknown pan is reported; the phase is still checked further.
        let pan = p.pan.as_ref().and_then(|s| self.pan(s)).unwrap_or_default();
        if let Some(o) = &p.over {
            if p.to.is_none() {
                self.error(
                    "`over` needs `to`: the length to ramp to",
                    span_of(o),
                    "add e.g. to = 8",
                );
                return None;
            }
            if p.step.is_some() || p.every.is_some() {
                self.error(
                    "`over` is for a ramp in equal steps; with `step` the ramp takes as long as its steps do",
                    span_of(o),
                    "remove `over`, or remove `step` and `every`",
                );
                return None;
            }
        }
        let ramp = match (&p.to, &p.step, &p.every) {
            (None, None, None) => None,
            (None, Some(s), _) => {
                self.error(
                    "`step` needs `to`: the length to ramp to",
                    span_of(s),
                    "add e.g. to = 8",
                );
                return None;
            }
            (None, None, Some(e)) => {
                self.error(
                    "`every` needs `step` and `to`",
                    span_of(e),
                    "add e.g. to = 8, step = 0.5",
                );
                return None;
            }
            (Some(to), step, every) => {
                let to = self.phase_length(to)?;
                match step {
                    None => {
                        if let Some(e) = every {
                            self.error("`every` needs `step`", span_of(e), "add e.g. step = 0.5");
                            return None;
                        }
                        match &p.over {
                            // The cycles are filled in once the block's
                            // other phases are known.
                            Some(o) => Some(Ramp::Over {
                                to,
                                over: self.length(o, "the ramp's length `over`")?,
                                cycles: 0,
                            }),
                            None => Some(Ramp::Linear { to }),
                        }
                    }
                    Some(s) => {
                        let step = self.length(s, "the ramp step")?;
                        let every = match every {
                            Some(e) => self.count(e, "`every`", 1, MAX_RAMP_EVERY.into())?,
                            None => 1,
                        };
                        Some(Ramp::Stepped { to, step, every })
                    }
                }
            }
        };
        Some(Phase {
            kind,
            length,
            ramp,
            cue,
            sound,
            pan,
        })
    }

    pub(super) fn phase_length(&mut self, raw: &Spanned<RawLength>) -> Option<Duration> {
        let d = self.length(raw, "a phase length")?;
        if d < MIN_PHASE {
            self.error("a phase must last at least 0.1 s", span_of(raw), "");
            return None;
        }
        if d > MAX_PHASE {
            self.error(
                format!(
                    "this phase lasts {}; a phase may last at most 10 minutes",
                    human(d)
                ),
                span_of(raw),
                "for a long silent stretch, use a meditate block",
            );
            return None;
        }
        Some(d)
    }

    pub(super) fn breathe(&mut self, b: &RawBlock, raw: &Spanned<RawBlock>) -> Option<Breathe> {
        let span = raw.span();
        let rate = b.rate.as_ref().map(|r| self.rate(r));
        let phases = match (&rate, &b.phases) {
            // A rate alone: in for 40% of each breath, out for 60%, with
            // the block's cues.
            (Some(_), None) => {
                let cues = b.cues.as_ref().map(|c| {
                    let c = c.get_ref();
                    [
                        self.opt_text(c.inhale.as_ref(), "a cue", MAX_LINE, Lines::One),
                        self.opt_text(c.exhale.as_ref(), "a cue", MAX_LINE, Lines::One),
                    ]
                });
                let mut phases = pace::default_phases(RESONANCE_FALLBACK);
                if let Some([inhale, exhale]) = cues {
                    phases[0].cue = inhale;
                    phases[1].cue = exhale;
                }
                Some(phases)
            }
            _ => self.phases(b.phases.as_ref(), b.cues.as_ref(), span.clone(), "phases"),
        };
        let (phases, rate) = match rate {
            None => (phases, None),
            Some(None) => return None,
            Some(Some(rate)) => (Some(self.at_rate(&phases?, rate, b)?), Some(rate)),
        };
        let length = match (&b.cycles, b.minutes.is_some() || b.duration.is_some()) {
            (Some(c), false) => self
                .count(c, "`cycles`", 1, i64::from(MAX_CYCLES))
                .map(BlockLength::Cycles),
            (None, true) => self.time_length(b, &span).map(BlockLength::Time),
            (Some(c), true) => {
                self.error(
                    "give the length as `cycles` or as `minutes`/`duration`, not both",
                    span_of(c),
                    "remove one of them",
                );
                None
            }
            (None, false) => {
                self.error(
                    "this breathe block has no length",
                    Some(span.clone()),
                    "add cycles = 10, minutes = 5 or duration = \"5m\"",
                );
                None
            }
        };
        let (mut phases, length) = (phases?, length?);
        // A ramp with only `to` in a block timed in minutes ramps over the
        // block's length; `over` gives its own. Either way, the cycles
        // that fill that length.
        for i in 0..phases.len() {
            let ramp = match (phases[i].ramp, length) {
                (Some(Ramp::Linear { to }), BlockLength::Time(target)) => Some((to, target)),
                (Some(Ramp::Over { to, over, .. }), _) => Some((to, over)),
                _ => None,
            };
            if let Some((to, over)) = ramp {
                let cycles = crate::engine::ramp_cycles(&phases, i, to, over);
                phases[i].ramp = Some(Ramp::Over { to, over, cycles });
            }
        }
        let mut breathe = Breathe {
            phases,
            length,
            bells: Bells::default(),
            rate,
        };
        if let Some(raw_bells) = &b.bells {
            let cycles = crate::engine::breathe_cycle_count(&breathe);
            let end = (0..cycles)
                .map(|c| crate::engine::cycle_length(&breathe, c, cycles))
                .sum();
            breathe.bells = self.bells(raw_bells.get_ref(), Some(end))?;
        }
        Some(breathe)
    }

    /// A breathe block's `rate`.
    fn rate(&mut self, raw: &Spanned<RawRate>) -> Option<Rate> {
        let help = "write breaths a minute (rate = 6), or rate = \"resonance\" for your own rate";
        match raw.get_ref() {
            RawRate::PerMinute(r) if r.is_finite() && (MIN_RATE..=MAX_RATE).contains(r) => {
                Some(Rate::PerMinute(*r))
            }
            RawRate::PerMinute(r) => {
                self.error(
                    format!("a rate of {r} breaths a minute; a rate is {MIN_RATE} to {MAX_RATE}"),
                    span_of(raw),
                    help,
                );
                None
            }
            RawRate::Word(w) if w == "resonance" => Some(Rate::Resonance),
            RawRate::Word(w) => {
                let help = match crate::format::diagnostic::did_you_mean(w, &["resonance"]) {
                    Some(m) => format!("did you mean \"{m}\"?"),
                    None => help.to_owned(),
                };
                self.error(format!("unknown rate \"{w}\""), span_of(raw), &help);
                None
            }
        }
    }

    /// The phases paced at `rate` (a resonance block at the fallback rate
    /// until a run passes in the person's own): no ramps, and no phase
    /// shorter than the shortest a phase may be.
    fn at_rate(&mut self, phases: &[Phase], rate: Rate, b: &RawBlock) -> Option<Vec<Phase>> {
        let raw_phases = b.phases.iter().flat_map(toml::Spanned::get_ref);
        for (p, rawp) in phases.iter().zip(raw_phases) {
            if p.ramp.is_some() {
                self.error(
                    "a block with a `rate` cannot ramp: its pace is the rate",
                    rawp.get_ref().to.as_ref().map(Spanned::span),
                    "remove `to` (and `step`, `every`), or remove `rate`",
                );
                return None;
            }
        }
        let per_minute = match rate {
            Rate::PerMinute(r) => r,
            Rate::Resonance => RESONANCE_FALLBACK,
        };
        let paced = pace::scaled(phases, per_minute);
        // A resonance block is checked at the fastest rate an assessment
        // can find, so that no phase is too short whatever it finds.
        let shortest = match rate {
            Rate::PerMinute(_) => paced.clone(),
            Rate::Resonance => pace::scaled(phases, crate::engine::model::MAX_RESONANCE_RATE),
        };
        if shortest.iter().any(|p| p.length < MIN_PHASE) {
            self.error(
                "at this rate a phase would last under 0.1 s",
                b.rate.as_ref().and_then(span_of),
                "give fewer phases, or a slower rate",
            );
            return None;
        }
        Some(paced)
    }
}

/// The key that names a phase kind in a session file.
fn phase_key(kind: PhaseKind) -> &'static str {
    match kind {
        PhaseKind::Inhale => "in",
        PhaseKind::Exhale => "out",
        PhaseKind::Hold => "hold",
        PhaseKind::Natural => "natural",
    }
}

/// A length as the user wrote it: `4`, `1.5` or `"4s"`.
fn written(raw: &RawLength) -> String {
    match raw {
        RawLength::Secs(s) => s.to_string(),
        RawLength::Text(t) => format!("{t:?}"),
    }
}
