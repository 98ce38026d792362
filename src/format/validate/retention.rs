//! Retention blocks: rounds of paced breaths, a hold the person ends
//! (up to its cap), and the recovery breaths after it.

use toml::Spanned;

use super::super::limits::{MAX_BREATHS, MAX_LINE, MAX_PHASE, MAX_ROUNDS};
use super::super::raw::RawBlock;
use super::super::text::Lines;
use super::{Validator, span_of};
use std::time::Duration;

use crate::engine::model::{Bells, Retention};

impl Validator<'_> {
    pub(super) fn retention(&mut self, b: &RawBlock, raw: &Spanned<RawBlock>) -> Option<Retention> {
        let span = raw.span();
        let need = |v: &mut Self, key: &str, example: &str| {
            v.error(
                format!("this retention block has no `{key}`"),
                Some(span.clone()),
                &format!("add {example}"),
            );
        };
        let rounds = match &b.rounds {
            Some(r) => self.count(r, "`rounds`", 1, MAX_ROUNDS.into()),
            None => {
                need(self, "rounds", "rounds = 3");
                None
            }
        };
        let breaths = match &b.breaths {
            Some(r) => self.count(r, "`breaths`", 0, MAX_BREATHS.into()),
            None => {
                need(self, "breaths", "breaths = 30");
                None
            }
        };
        let phases = self.phases(b.phases.as_ref(), b.cues.as_ref(), span.clone(), "phases");
        let hold = match &b.retention {
            Some(h) => {
                let cap = self.length(&h.get_ref().cap, "the retention cap");
                let cue = self.opt_text(h.get_ref().cue.as_ref(), "a cue", MAX_LINE, Lines::One);
                if cap.is_some_and(|c| c > MAX_PHASE) {
                    self.error(
                        "the retention cap is over 10 minutes",
                        span_of(&h.get_ref().cap),
                        "",
                    );
                    None
                } else {
                    cap.map(|c| (c, cue))
                }
            }
            None => {
                need(self, "retention", "retention = { cap = \"2m\" }");
                None
            }
        };
        let recovery = match &b.recovery {
            Some(r) if r.get_ref().is_empty() => Some(Vec::new()),
            Some(_) => self.phases(
                b.recovery.as_ref(),
                b.cues.as_ref(),
                span.clone(),
                "recovery",
            ),
            None => Some(Vec::new()),
        };
        if let Some(list) = &b.recovery {
            for p in list.get_ref() {
                if p.get_ref().to.is_some() {
                    self.error(
                        "recovery phases cannot ramp",
                        p.get_ref().to.as_ref().map(Spanned::span),
                        "",
                    );
                }
            }
        }
        if let Some(list) = &b.phases {
            for p in list.get_ref() {
                if p.get_ref().to.is_some() {
                    self.error(
                        "the paced breaths of a retention block cannot ramp",
                        p.get_ref().to.as_ref().map(Spanned::span),
                        "",
                    );
                }
            }
        }
        let (cap, hold_cue) = hold?;
        let mut retention = Retention {
            rounds: rounds?,
            breaths: breaths?,
            phases: phases?,
            cap,
            hold_cue,
            recovery: recovery?,
            bells: Bells::default(),
        };
        if let Some(raw_bells) = &b.bells {
            // Bells may fall anywhere the block can reach, holds at their
            // cap; one past a hold ended early does not ring.
            let breath: Duration = retention.phases.iter().map(|p| p.length).sum();
            let rec: Duration = retention.recovery.iter().map(|p| p.length).sum();
            let most = (breath * retention.breaths + cap + rec) * retention.rounds;
            retention.bells = self.bells(raw_bells.get_ref(), Some(most))?;
        }
        Some(retention)
    }
}
