//! Meditate blocks: a fixed or open-ended sit, its bells and its timed
//! prompts, each within the block's length.

use std::time::Duration;

use toml::Spanned;

use super::super::limits::{DEFAULT_OPEN_CAP, MAX_LINE, MAX_PROMPTS, MIN_BELL_EVERY};
use super::super::raw::{RawBells, RawBlock, RawPrompt};
use super::super::text::Lines;
use super::{Validator, span_of};
use crate::engine::model::{Bells, Meditate, Prompt, SitLength};
use crate::text::human;

impl Validator<'_> {
    pub(super) fn meditate(&mut self, b: &RawBlock, raw: &Spanned<RawBlock>) -> Option<Meditate> {
        let span = raw.span();
        let open = b.open.as_ref().is_some_and(|o| *o.get_ref());
        let timed = b.minutes.is_some() || b.duration.is_some();
        let length = match (open, timed) {
            (true, true) => {
                self.error(
                    "an open-ended block has no fixed length",
                    b.open.as_ref().map(Spanned::span),
                    "remove `open`, or remove `minutes`/`duration` (use `cap` for a limit)",
                );
                None
            }
            (true, false) => {
                let cap = match &b.cap {
                    Some(c) => self.length(c, "the cap"),
                    None => Some(DEFAULT_OPEN_CAP),
                };
                cap.map(|cap| SitLength::Open { cap })
            }
            (false, true) => {
                if let Some(c) = &b.cap {
                    self.error(
                        "`cap` is only for open-ended blocks",
                        span_of(c),
                        "add open = true, or remove `cap`",
                    );
                }
                self.time_length(b, &span).map(SitLength::Fixed)
            }
            (false, false) => {
                self.error(
                    "this meditate block has no length",
                    Some(span.clone()),
                    "add minutes = 10, duration = \"10m\", or open = true",
                );
                None
            }
        };
        let limit = match length {
            Some(SitLength::Fixed(d) | SitLength::Open { cap: d }) => Some(d),
            None => None,
        };
        let bells = b
            .bells
            .as_ref()
            .map_or(Some(Bells::default()), |bl| self.bells(bl.get_ref(), limit));
        let mut prompts = Vec::new();
        if let Some(list) = &b.prompts {
            if list.get_ref().len() > MAX_PROMPTS {
                self.error(
                    format!("more than {MAX_PROMPTS} prompts"),
                    span_of(list),
                    "",
                );
            }
            let mut latest: Option<Duration> = None;
            let mut told = false;
            for raw in list.get_ref() {
                let Some(p) = self.prompt(raw, limit) else {
                    continue;
                };
                // Point at the first prompt that comes before the one
                // written above it, so the author can find it.
                if let Some(prev) = latest.filter(|prev| p.at < *prev && !told) {
                    told = true;
                    self.warn(
                        format!(
                            "this prompt at {} is listed after a prompt at {}",
                            human(p.at),
                            human(prev)
                        ),
                        span_of(&raw.get_ref().at),
                        "prompts are shown in time order, whatever their order in the file; \
                         list them in time order to keep the file easy to read",
                    );
                }
                latest = latest.max(Some(p.at));
                prompts.push(p);
            }
        }
        prompts.sort_by_key(|p| p.at);
        Some(Meditate {
            length: length?,
            bells: bells?,
            prompts,
        })
    }

    pub(super) fn bells(&mut self, raw: &RawBells, limit: Option<Duration>) -> Option<Bells> {
        let mut ok = true;
        let every = raw.every.as_ref().and_then(|e| {
            let d = self.length(e, "the bell interval")?;
            if d < MIN_BELL_EVERY {
                self.error(
                    "bells can ring at most once a second",
                    span_of(e),
                    "e.g. every = \"1m\"",
                );
                return None;
            }
            Some(d)
        });
        if raw.every.is_some() && every.is_none() {
            ok = false;
        }
        let mut at = Vec::new();
        for t in raw.at.iter().flat_map(toml::Spanned::get_ref) {
            match self.offset(t, "a bell time") {
                // A bell at the very end is the end bell.
                Some(d) if limit.is_some_and(|l| d > l) => {
                    self.error(
                        format!(
                            "a bell at {} is past the block's end at {}",
                            human(d),
                            human(limit.unwrap_or_default())
                        ),
                        span_of(t),
                        "ring it by the block's end; `end = true` also rings a closing bell",
                    );
                    ok = false;
                }
                Some(d) => at.push(d),
                None => ok = false,
            }
        }
        at.sort();
        ok.then(|| Bells {
            start: raw.start.as_ref().is_some_and(|s| *s.get_ref()),
            end: raw.end.as_ref().is_some_and(|s| *s.get_ref()),
            every,
            at,
        })
    }

    pub(super) fn prompt(
        &mut self,
        raw: &Spanned<RawPrompt>,
        limit: Option<Duration>,
    ) -> Option<Prompt> {
        let p = raw.get_ref();
        let at = self.offset(&p.at, "the prompt time")?;
        if let Some(l) = limit {
            if at >= l {
                self.error(
                    format!(
                        "this prompt at {} is past the block's end at {}",
                        human(at),
                        human(l)
                    ),
                    span_of(&p.at),
                    "move it earlier or make the block longer",
                );
                return None;
            }
        }
        let text = self.text(&p.text, "the prompt text", MAX_LINE, Lines::One)?;
        if text.is_empty() {
            self.error(
                "the prompt text is empty",
                span_of(&p.text),
                "write what to show, or remove the prompt",
            );
            return None;
        }
        Some(Prompt { at, text })
    }
}
