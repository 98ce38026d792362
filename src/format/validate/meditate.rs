//! Meditate blocks: a fixed or open-ended sit, its bells and its timed
//! prompts, each within the block's length.

use std::time::Duration;

use toml::Spanned;

use super::super::length;
use super::super::limits::{DEFAULT_OPEN_CAP, MAX_LINE, MAX_PROMPTS, MIN_BELL_EVERY};
use super::super::raw::{RawBells, RawBlock, RawPrompt};
use super::super::text::Lines;
use super::{Validator, span_of};
use crate::engine::model::{Bells, MAX_STRIKES, Meditate, Prompt, SitLength};
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
        let random = raw.random.as_ref().and_then(|r| self.random_bells(r));
        if raw.random.is_some() && random.is_none() {
            ok = false;
        }
        let strikes = match &raw.strikes {
            None => 1,
            Some(n) => match u32::try_from(*n.get_ref()) {
                Ok(n @ 1..=MAX_STRIKES) => n,
                _ => {
                    self.error(
                        format!("`strikes` must be a whole number from 1 to {MAX_STRIKES}"),
                        span_of(n),
                        "e.g. strikes = 3: each bell struck three times, 3 seconds apart",
                    );
                    ok = false;
                    1
                }
            },
        };
        let seed = match &raw.seed {
            None => 0,
            Some(n) => u64::try_from(*n.get_ref()).unwrap_or_else(|_| {
                self.error(
                    "`seed` must be a whole number, 0 or more",
                    span_of(n),
                    "e.g. seed = 7; another seed rings the random bells at other times",
                );
                ok = false;
                0
            }),
        };
        if raw.seed.is_some() && raw.random.is_none() {
            self.warn(
                "`seed` does nothing without `random`",
                raw.seed.as_ref().and_then(span_of),
                "add random = \"3m..7m\", or remove the seed",
            );
        }
        ok.then(|| Bells {
            start: raw.start.as_ref().is_some_and(|s| *s.get_ref()),
            end: raw.end.as_ref().is_some_and(|s| *s.get_ref()),
            every,
            at,
            random,
            seed,
            strikes,
        })
    }

    /// `random = "3m..7m"`: the shortest and the longest gap between two
    /// random bells.
    fn random_bells(&mut self, raw: &Spanned<String>) -> Option<(Duration, Duration)> {
        const HELP: &str = "write the shortest and the longest gap, e.g. random = \"3m..7m\"";
        let Some((a, b)) = raw.get_ref().split_once("..") else {
            self.error(
                format!(
                    "`random` should be a range of lengths, not \"{}\"",
                    raw.get_ref()
                ),
                span_of(raw),
                HELP,
            );
            return None;
        };
        let (Ok(lo), Ok(hi)) = (length::parse(a.trim()), length::parse(b.trim())) else {
            self.error(
                format!(
                    "`random` has a length that cannot be read: \"{}\"",
                    raw.get_ref()
                ),
                span_of(raw),
                HELP,
            );
            return None;
        };
        if lo < MIN_BELL_EVERY || hi < lo {
            self.error(
                "the random gaps must be at least a second, the shortest first",
                span_of(raw),
                HELP,
            );
            return None;
        }
        Some((lo, hi))
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

#[cfg(test)]
mod tests {
    use crate::format::{BuiltinSoundNames, check_str};

    fn first_error(bells: &str) -> String {
        let src = format!(
            "name = \"S\"\n[[block]]\nkind = \"meditate\"\nduration = \"10m\"\nbells = {bells}\n"
        );
        let checked = check_str(&src, &BuiltinSoundNames);
        assert!(checked.session.is_none(), "{bells} should be refused");
        checked.diagnostics[0].render("s.toml", &src)
    }

    #[test]
    fn strikes_and_random_bells_are_checked_where_written() {
        let e = first_error("{ every = \"2m\", strikes = 0 }");
        assert!(e.contains("s.toml:5:35"), "{e}");
        assert!(
            e.contains("`strikes` must be a whole number from 1 to 10"),
            "{e}"
        );
        let e = first_error("{ random = \"7m..3m\" }");
        assert!(e.contains("s.toml:5:20"), "{e}");
        assert!(e.contains("the shortest first"), "{e}");
        let e = first_error("{ random = \"often\" }");
        assert!(e.contains("a range of lengths"), "{e}");
        assert!(e.contains("e.g. random = \"3m..7m\""), "{e}");
        let e = first_error("{ random = \"3m..soon\" }");
        assert!(e.contains("cannot be read"), "{e}");
        let e = first_error("{ random = \"1m..2m\", seed = -1 }");
        assert!(e.contains("`seed` must be a whole number"), "{e}");
    }
}
