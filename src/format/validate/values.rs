//! Checks of single values shared by every kind of block: texts (length
//! and the characters they may hold), lengths of time, counts, and the
//! length of a block given as `minutes` or `duration`.

use std::ops::Range;
use std::time::Duration;

use toml::Spanned;

use super::super::length::{self, LENGTH_HELP};
use super::super::limits::{MAX_MINUTES, MAX_SESSION};
use super::super::raw::{RawBlock, RawLength};
use super::super::text::{self, Lines};
use super::{Validator, span_of};
use crate::text::human;

impl Validator<'_> {
    /// A text value, trimmed: at most `max` characters, and no control
    /// character a text of its kind may not hold (pointed at where it is
    /// written). A multi-line text's Windows line breaks become `\n`.
    pub(super) fn text(
        &mut self,
        s: &Spanned<String>,
        what: &str,
        max: usize,
        lines: Lines,
    ) -> Option<String> {
        let raw = s.get_ref();
        let t = raw.trim();
        let n = t.chars().count();
        if n > max {
            self.error(
                format!("{what} is {n} characters long; at most {max} are allowed"),
                span_of(s),
                "shorten it",
            );
            return None;
        }
        // A one-line text is checked whole (a line break at its end is
        // still a line break); a multi-line one as trimmed.
        let (checked, skipped) = match lines {
            Lines::One => (raw.as_str(), 0),
            Lines::Many => {
                let start = raw.trim_start();
                (t, raw.chars().count() - start.chars().count())
            }
        };
        if let Some((i, c)) = text::forbidden(checked, lines) {
            let at = text::locate(self.source, s.span(), skipped + i).or_else(|| span_of(s));
            let help = match (c, lines) {
                ('\n' | '\r', Lines::One) if what == "the name" => {
                    "the name is shown on one line: remove the line break (a longer text belongs in `description`)".to_owned()
                }
                ('\n' | '\r', Lines::One) => {
                    format!("{what} is shown on one line: remove the line break")
                }
                ('\t', _) => "write a space instead of the tab".to_owned(),
                _ => "remove it: control characters are not shown, and could garble the terminal"
                    .to_owned(),
            };
            self.error(format!("{what} contains {}", text::name_of(c)), at, &help);
            return None;
        }
        Some(match lines {
            Lines::One => t.to_owned(),
            Lines::Many => t.replace("\r\n", "\n"),
        })
    }

    pub(super) fn opt_text(
        &mut self,
        s: Option<&Spanned<String>>,
        what: &str,
        max: usize,
        lines: Lines,
    ) -> Option<String> {
        s.and_then(|s| self.text(s, what, max, lines))
            .filter(|t| !t.is_empty())
    }

    /// A length that must be above zero.
    pub(super) fn length(&mut self, raw: &Spanned<RawLength>, what: &str) -> Option<Duration> {
        let parsed = match raw.get_ref() {
            RawLength::Secs(s) => length::from_secs(*s),
            RawLength::Text(t) => length::parse(t),
        };
        match parsed {
            Ok(d) if d.is_zero() => {
                self.error(
                    format!("{what} must be longer than zero"),
                    span_of(raw),
                    LENGTH_HELP,
                );
                None
            }
            Ok(d) if d > MAX_SESSION => {
                self.error(
                    format!("{what} of {} is over 24 hours", human(d)),
                    span_of(raw),
                    "a session may last at most 24 hours; use a shorter length",
                );
                None
            }
            Ok(d) => Some(d),
            Err(e) => {
                self.error(format!("{what}: {}", e.0), span_of(raw), LENGTH_HELP);
                None
            }
        }
    }

    /// An offset that may be zero (prompt and bell times).
    pub(super) fn offset(&mut self, raw: &Spanned<RawLength>, what: &str) -> Option<Duration> {
        let parsed = match raw.get_ref() {
            RawLength::Secs(s) => length::from_secs(*s),
            RawLength::Text(t) => length::parse(t),
        };
        parsed
            .map_err(|e| self.error(format!("{what}: {}", e.0), span_of(raw), LENGTH_HELP))
            .ok()
    }

    pub(super) fn count(
        &mut self,
        raw: &Spanned<i64>,
        what: &str,
        min: i64,
        max: i64,
    ) -> Option<u32> {
        let v = *raw.get_ref();
        if v < min || v > max {
            let help = format!("use a whole number from {min} to {max}");
            self.error(
                format!("{what} must be at least {min} (found {v})"),
                span_of(raw),
                &help,
            );
            if v > max {
                self.diags.pop();
                self.error(format!("{what} of {v} is too many"), span_of(raw), &help);
            }
            return None;
        }
        u32::try_from(v).ok()
    }

    /// Exactly one of `cycles`, `minutes`, `duration` (breathe) or also
    /// `open` (meditate).
    pub(super) fn time_length(
        &mut self,
        b: &RawBlock,
        block_span: &Range<usize>,
    ) -> Option<Duration> {
        match (&b.minutes, &b.duration) {
            (Some(m), None) => {
                let v = *m.get_ref();
                if !v.is_finite() || v <= 0.0 {
                    self.error(
                        "`minutes` must be more than zero",
                        span_of(m),
                        "e.g. minutes = 5",
                    );
                    return None;
                }
                if v > f64::from(MAX_MINUTES) {
                    self.error(format!("{v} minutes is over 24 hours"), span_of(m), "");
                    return None;
                }
                length::from_secs(v * 60.0).ok()
            }
            (None, Some(d)) => self.length(d, "the duration"),
            (Some(_), Some(d)) => {
                self.error(
                    "give either `minutes` or `duration`, not both",
                    span_of(d),
                    "remove one of them",
                );
                None
            }
            (None, None) => {
                let _ = block_span;
                None
            }
        }
    }
}
