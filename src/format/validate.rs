//! From raw structs to the model: every rule a session must follow, each
//! broken rule reported at the span of the value it is about. Validation
//! goes on after an error so that `check` can report them all at once.

use std::ops::Range;
use std::time::Duration;

use toml::Spanned;

use super::SoundCatalog;
use super::diagnostic::{Diagnostic, did_you_mean};
use super::length::{self, LENGTH_HELP};
use super::raw::{
    RawBells, RawBlock, RawCues, RawHeader, RawLength, RawPhase, RawPrompt, RawSounds,
};
use super::text::{self, Lines};
use crate::engine::model::{
    Bells, Block, BlockBody, BlockLength, Breathe, Caution, CautionKind, Meditate, Phase,
    PhaseKind, Prompt, Ramp, Retention, Session, SitLength, Sounds,
};
use crate::text::{count, human};

/// Longest a whole session may last.
pub const MAX_SESSION: Duration = Duration::from_secs(24 * 3600);
/// Longest a single phase may last.
pub const MAX_PHASE: Duration = Duration::from_secs(10 * 60);
/// Shortest a phase may last: anything shorter cannot be followed.
pub const MIN_PHASE: Duration = Duration::from_millis(100);
/// Most cycles a breathe block may have (and `exhale run --cycles` may ask for).
pub const MAX_CYCLES: u32 = 100_000;
/// Most phases one session may expand to once cycles are unrolled.
pub const MAX_SEGMENTS: u64 = 200_000;
/// Default cap of an open-ended meditation block.
pub const DEFAULT_OPEN_CAP: Duration = Duration::from_secs(2 * 3600);
/// Holds longer than this get a caution.
pub const LONG_HOLD: Duration = Duration::from_secs(10);
/// Breathing faster than this many breaths a minute gets a caution.
pub const FAST_BPM: f64 = 20.0;

const MAX_TITLE: usize = 80;
const MAX_TEXT: usize = 2000;
const MAX_LINE: usize = 300;
const MAX_TAGS: usize = 16;
/// Most blocks a session may have (counted as written, in `check_table`).
pub(super) const MAX_BLOCKS: usize = 100;
const MAX_PHASES: usize = 32;
const MAX_PROMPTS: usize = 500;

/// Keys a breathe block accepts.
pub(super) const BREATHE_KEYS: &[&str] = &[
    "kind", "name", "phases", "cycles", "minutes", "duration", "cues", "sounds",
];
/// Keys a retention block accepts.
pub(super) const RETENTION_KEYS: &[&str] = &[
    "kind",
    "name",
    "rounds",
    "breaths",
    "phases",
    "retention",
    "recovery",
    "cues",
    "sounds",
];
/// Keys a meditate block accepts.
pub(super) const MEDITATE_KEYS: &[&str] = &[
    "kind", "name", "minutes", "duration", "open", "cap", "bells", "prompts", "sounds",
];
const KINDS: &[&str] = &["breathe", "retention", "meditate"];

/// Collects diagnostics while validating.
pub(super) struct Validator<'a> {
    pub diags: Vec<Diagnostic>,
    sounds: &'a dyn SoundCatalog,
    /// The file's text, to point inside a value (at the escape that wrote
    /// a control character).
    source: &'a str,
    /// Phases the valid blocks so far unroll into, and the block where
    /// they first went over [`MAX_SEGMENTS`]: past that, nothing is
    /// unrolled again, so a huge file is refused quickly.
    segments: u64,
    too_many_at: Option<Range<usize>>,
    /// The sounds named so far, each once, and the memory they take
    /// decoded.
    sound_names: Vec<String>,
    sound_bytes: u64,
}

fn span_of<T>(s: &Spanned<T>) -> Option<Range<usize>> {
    Some(s.span())
}

impl<'a> Validator<'a> {
    pub fn new(sounds: &'a dyn SoundCatalog, source: &'a str) -> Self {
        Self {
            diags: Vec::new(),
            sounds,
            source,
            segments: 0,
            too_many_at: None,
            sound_names: Vec::new(),
            sound_bytes: 0,
        }
    }

    fn error(&mut self, msg: impl Into<String>, span: Option<Range<usize>>, help: &str) {
        let mut d = Diagnostic::error(msg, span);
        if !help.is_empty() {
            d = d.with_help(help);
        }
        self.diags.push(d);
    }

    fn warn(&mut self, msg: impl Into<String>, span: Option<Range<usize>>, help: &str) {
        let mut d = Diagnostic::warning(msg, span);
        if !help.is_empty() {
            d = d.with_help(help);
        }
        self.diags.push(d);
    }

    /// A text value, trimmed: at most `max` characters, and no control
    /// character a text of its kind may not hold (pointed at where it is
    /// written). A multi-line text's Windows line breaks become `\n`.
    fn text(
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

    fn opt_text(
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
    fn length(&mut self, raw: &Spanned<RawLength>, what: &str) -> Option<Duration> {
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
    fn offset(&mut self, raw: &Spanned<RawLength>, what: &str) -> Option<Duration> {
        let parsed = match raw.get_ref() {
            RawLength::Secs(s) => length::from_secs(*s),
            RawLength::Text(t) => length::parse(t),
        };
        parsed
            .map_err(|e| self.error(format!("{what}: {}", e.0), span_of(raw), LENGTH_HELP))
            .ok()
    }

    fn count(&mut self, raw: &Spanned<i64>, what: &str, min: i64, max: i64) -> Option<u32> {
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

    fn sound(&mut self, s: &Spanned<String>) -> Option<String> {
        let name = s.get_ref().trim();
        if let Some(why) = self.sounds.unusable(name) {
            self.error(why.message, span_of(s), &why.help);
            return None;
        }
        if name == "none" {
            return Some(name.to_owned());
        }
        if self.sounds.contains(name) {
            self.count_sound(name, s);
            return Some(name.to_owned());
        }
        let names = self.sounds.names();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let help = match did_you_mean(name, &refs) {
            Some(m) => format!("did you mean `{m}`? (\"none\" means silence)"),
            None => format!("known sounds: {}, or \"none\" for silence", refs.join(", ")),
        };
        self.error(format!("unknown sound `{name}`"), span_of(s), &help);
        None
    }

    /// Add `name` to the sounds this session keeps decoded, and say so
    /// where they first take more memory together than a session may.
    fn count_sound(&mut self, name: &str, at: &Spanned<String>) {
        if self.sound_names.iter().any(|n| n == name) {
            return;
        }
        self.sound_names.push(name.to_owned());
        let (Some(bytes), Some(cap)) = (self.sounds.decoded_bytes(name), self.sounds.bytes_cap())
        else {
            return;
        };
        let before = self.sound_bytes;
        self.sound_bytes += bytes;
        if before <= cap && self.sound_bytes > cap {
            const MIB: u64 = 1024 * 1024;
            self.error(
                format!(
                    "with sound `{name}`, the sounds this session uses take {} MiB decoded, more than the {} MiB a session may use",
                    self.sound_bytes.div_ceil(MIB),
                    cap / MIB
                ),
                span_of(at),
                "use fewer different sounds, or shorter ones, or save them as mono or at 48 kHz",
            );
        }
    }

    fn sounds(&mut self, raw: Option<&Spanned<RawSounds>>) -> Sounds {
        let Some(raw) = raw else {
            return Sounds::default();
        };
        let r = raw.get_ref();
        let mut one = |s: &Option<Spanned<String>>| s.as_ref().and_then(|s| self.sound(s));
        Sounds {
            inhale: one(&r.inhale),
            exhale: one(&r.exhale),
            hold: one(&r.hold),
            bell: one(&r.bell),
            prompt: one(&r.prompt),
            start: one(&r.start),
            end: one(&r.end),
        }
    }

    /// Validate the whole session. `blocks` holds the blocks that parsed;
    /// `any_block_written` says whether the file has a `block` key at all.
    /// `header` is `None` when the top of the file could not be read: its
    /// error is already reported, and the blocks are still checked so that
    /// one mistake does not hide the others.
    pub fn session(
        &mut self,
        header: Option<&RawHeader>,
        blocks: &[Spanned<RawBlock>],
        any_block_written: bool,
    ) -> Option<Session> {
        let fallback = RawHeader::default();
        let header_read = header.is_some();
        let header = header.unwrap_or(&fallback);
        let title = match &header.name {
            Some(n) => {
                let t = self.text(n, "the name", MAX_TITLE, Lines::One);
                if t.as_deref() == Some("") {
                    self.error(
                        "the name is empty",
                        span_of(n),
                        "give the session a short title",
                    );
                }
                t
            }
            None if !header_read => None,
            None => {
                self.error(
                    "the session has no `name`",
                    Some(0..0),
                    "add a title at the top, e.g. name = \"Evening wind-down\"",
                );
                None
            }
        };
        if !header_read {
            // Still check the blocks, but a session without its header is
            // not a session.
            for b in blocks {
                self.block(b);
            }
            return None;
        }
        let description = self
            .opt_text(
                header.description.as_ref(),
                "the description",
                MAX_TEXT,
                Lines::Many,
            )
            .unwrap_or_default();
        if let Some(extra) = header.tags.get(MAX_TAGS) {
            self.error(
                format!(
                    "{} tags; at most {MAX_TAGS} are allowed",
                    header.tags.len()
                ),
                span_of(extra),
                &format!(
                    "keep the {MAX_TAGS} words that best help you find the session, and remove the rest from here on"
                ),
            );
        }
        // Past the limit the tags are not looked at one by one: 200,000 of
        // them would bury the one error that matters.
        let tags: Vec<String> = header
            .tags
            .iter()
            .take(MAX_TAGS)
            .filter_map(|t| self.text(t, "a tag", 32, Lines::One))
            .filter(|t| !t.is_empty())
            .collect();
        let author = self.opt_text(header.author.as_ref(), "the author", MAX_TITLE, Lines::One);
        let references: Vec<String> = header
            .references
            .iter()
            .filter_map(|r| self.text(r, "a reference", MAX_LINE, Lines::One))
            .collect();
        let declared = self.opt_text(
            header.caution.as_ref(),
            "the caution",
            MAX_TEXT,
            Lines::Many,
        );
        let settle = header.settle.as_ref().and_then(|s| {
            let d = self.offset(s, "the settle-in time")?;
            if d > Duration::from_secs(300) {
                self.error(
                    "the settle-in time is over 5 minutes",
                    span_of(s),
                    "use up to \"5m\", or 0 for none",
                );
                return None;
            }
            Some(d)
        });
        let sounds = self.sounds(header.sounds.as_ref());

        if blocks.is_empty() && !any_block_written {
            self.error(
                "the session has no blocks",
                Some(0..0),
                "add at least one [[block]] with kind = \"breathe\", \"retention\" or \"meditate\"",
            );
        }
        let mut out = Vec::new();
        for b in blocks {
            if let Some(block) = self.block(b) {
                out.push((block, b.span()));
            }
        }
        // Size, then length, of the whole session.
        let segments = self.segments;
        if segments > MAX_SEGMENTS {
            self.error(
                format!(
                    "the session unrolls into {segments} phases; at most {MAX_SEGMENTS} are allowed"
                ),
                self.too_many_at.clone(),
                "use longer phases or fewer cycles",
            );
            return None;
        }
        let total: Duration = out.iter().map(|(b, _)| block_length(b)).sum();
        if total > MAX_SESSION {
            let span = out.last().map(|(_, s)| s.clone());
            self.error(
                format!(
                    "the session lasts {}; at most 24 hours is allowed",
                    human(total)
                ),
                span,
                "use fewer cycles or shorter blocks",
            );
        }
        if self.diags.iter().any(Diagnostic::is_error) {
            return None;
        }
        let blocks: Vec<Block> = out.into_iter().map(|(b, _)| b).collect();
        let mut cautions = Vec::new();
        if let Some(text) = declared {
            cautions.push(Caution {
                kind: CautionKind::Declared,
                text,
            });
        }
        cautions.extend(derived_cautions(&blocks));
        Some(Session {
            title: title.unwrap_or_default(),
            description,
            tags,
            author,
            references,
            cautions,
            settle,
            sounds,
            blocks,
        })
    }

    fn block(&mut self, raw: &Spanned<RawBlock>) -> Option<Block> {
        let b = raw.get_ref();
        let kind = b.kind.get_ref().as_str();
        let allowed = match kind {
            "breathe" => BREATHE_KEYS,
            "retention" => RETENTION_KEYS,
            "meditate" => MEDITATE_KEYS,
            other => {
                let help = match did_you_mean(other, KINDS) {
                    Some(m) => format!("did you mean \"{m}\"?"),
                    None => "use \"breathe\", \"retention\" or \"meditate\"".into(),
                };
                self.error(
                    format!("unknown block kind \"{other}\""),
                    span_of(&b.kind),
                    &help,
                );
                return None;
            }
        };
        let before = self.diags.iter().filter(|d| d.is_error()).count();
        for (key, span) in present_keys(b) {
            if !allowed.contains(&key) {
                self.error(
                    format!("`{key}` does not belong in a {kind} block"),
                    Some(span),
                    &format!("a {kind} block takes: {}", allowed[1..].join(", ")),
                );
            }
        }
        let name = self.opt_text(b.name.as_ref(), "the block name", MAX_TITLE, Lines::One);
        let sounds = self.sounds(b.sounds.as_ref());
        let body = match kind {
            "breathe" => self.breathe(b, raw).map(BlockBody::Breathe),
            "retention" => self.retention(b, raw).map(BlockBody::Retention),
            _ => self.meditate(b, raw).map(BlockBody::Meditate),
        };
        let after = self.diags.iter().filter(|d| d.is_error()).count();
        if after > before {
            return None;
        }
        let block = Block {
            name,
            sounds,
            body: body?,
        };
        self.segments = self.segments.saturating_add(block_segments(&block));
        if self.segments > MAX_SEGMENTS {
            self.too_many_at.get_or_insert_with(|| raw.span());
        } else {
            self.block_warnings(&block, raw);
        }
        Some(block)
    }

    fn phases(
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
                            phase.cue = d[match phase.kind {
                                PhaseKind::Inhale => 0,
                                PhaseKind::Exhale => 1,
                                PhaseKind::Hold => 2,
                            }]
                            .clone();
                        }
                    }
                    out.push(phase);
                }
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn phase(&mut self, raw: &Spanned<RawPhase>) -> Option<Phase> {
        let p = raw.get_ref();
        let given: Vec<(PhaseKind, &Spanned<RawLength>)> = [
            (PhaseKind::Inhale, p.inhale.as_ref()),
            (PhaseKind::Exhale, p.exhale.as_ref()),
            (PhaseKind::Hold, p.hold.as_ref()),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v)))
        .collect();
        let (kind, len) = match given.as_slice() {
            [one] => *one,
            [] => {
                self.error(
                    "this phase says neither `in`, `out` nor `hold`",
                    span_of(raw),
                    "write one of { in = 4 }, { out = 6 } or { hold = 4 }",
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
                let count = if parts.len() == 2 { "two" } else { "three" };
                self.error(
                    "a phase has one kind, but this one has several",
                    span_of(written_order[1].1),
                    &format!("split it into {count} phases: {}", parts.join(", ")),
                );
                return None;
            }
        };
        let length = self.phase_length(len)?;
        let cue = self.opt_text(p.cue.as_ref(), "a cue", MAX_LINE, Lines::One);
        let sound = p.sound.as_ref().and_then(|s| self.sound(s));
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
                        Some(Ramp::Linear { to })
                    }
                    Some(s) => {
                        let step = self.length(s, "the ramp step")?;
                        let every = match every {
                            Some(e) => self.count(e, "`every`", 1, 10_000)?,
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
        })
    }

    fn phase_length(&mut self, raw: &Spanned<RawLength>) -> Option<Duration> {
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

    /// Exactly one of `cycles`, `minutes`, `duration` (breathe) or also
    /// `open` (meditate).
    fn time_length(&mut self, b: &RawBlock, block_span: &Range<usize>) -> Option<Duration> {
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
                if v > 24.0 * 60.0 {
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

    fn breathe(&mut self, b: &RawBlock, raw: &Spanned<RawBlock>) -> Option<Breathe> {
        let span = raw.span();
        let phases = self.phases(b.phases.as_ref(), b.cues.as_ref(), span.clone(), "phases");
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
        let (phases, length) = (phases?, length?);
        if let BlockLength::Time(_) = length {
            for (p, rawp) in phases
                .iter()
                .zip(b.phases.iter().flat_map(toml::Spanned::get_ref))
            {
                if let Some(Ramp::Linear { .. }) = p.ramp {
                    self.error(
                        "a ramp with only `to` needs the block's length in `cycles`",
                        rawp.get_ref().to.as_ref().map(Spanned::span),
                        "give cycles = N, or ramp in steps: add step = 0.5 (and every = N)",
                    );
                    return None;
                }
            }
        }
        Some(Breathe { phases, length })
    }

    fn retention(&mut self, b: &RawBlock, raw: &Spanned<RawBlock>) -> Option<Retention> {
        let span = raw.span();
        let need = |v: &mut Self, key: &str, example: &str| {
            v.error(
                format!("this retention block has no `{key}`"),
                Some(span.clone()),
                &format!("add {example}"),
            );
        };
        let rounds = match &b.rounds {
            Some(r) => self.count(r, "`rounds`", 1, 100),
            None => {
                need(self, "rounds", "rounds = 3");
                None
            }
        };
        let breaths = match &b.breaths {
            Some(r) => self.count(r, "`breaths`", 0, 200),
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
        Some(Retention {
            rounds: rounds?,
            breaths: breaths?,
            phases: phases?,
            cap,
            hold_cue,
            recovery: recovery?,
        })
    }

    fn meditate(&mut self, b: &RawBlock, raw: &Spanned<RawBlock>) -> Option<Meditate> {
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

    fn bells(&mut self, raw: &RawBells, limit: Option<Duration>) -> Option<Bells> {
        let mut ok = true;
        let every = raw.every.as_ref().and_then(|e| {
            let d = self.length(e, "the bell interval")?;
            if d < Duration::from_secs(1) {
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
                Some(d) if limit.is_some_and(|l| d >= l) => {
                    self.error(
                        format!(
                            "a bell at {} is past the block's end at {}",
                            human(d),
                            human(limit.unwrap_or_default())
                        ),
                        span_of(t),
                        "ring it before the block ends, or use `end = true` for a closing bell",
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

    fn prompt(&mut self, raw: &Spanned<RawPrompt>, limit: Option<Duration>) -> Option<Prompt> {
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

    fn block_warnings(&mut self, block: &Block, raw: &Spanned<RawBlock>) {
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

/// The key that names a phase kind in a session file.
fn phase_key(kind: PhaseKind) -> &'static str {
    match kind {
        PhaseKind::Inhale => "in",
        PhaseKind::Exhale => "out",
        PhaseKind::Hold => "hold",
    }
}

/// A length as the user wrote it: `4`, `1.5` or `"4s"`.
fn written(raw: &RawLength) -> String {
    match raw {
        RawLength::Secs(s) => s.to_string(),
        RawLength::Text(t) => format!("{t:?}"),
    }
}

/// Keys present in a raw block, with the span of each value.
fn present_keys(b: &RawBlock) -> Vec<(&'static str, Range<usize>)> {
    let mut v = Vec::new();
    macro_rules! key {
        ($($f:ident => $n:literal),*) => {$(
            if let Some(x) = &b.$f { v.push(($n, x.span())); }
        )*};
    }
    key!(name => "name", phases => "phases", cycles => "cycles", minutes => "minutes",
        duration => "duration", cues => "cues", sounds => "sounds", rounds => "rounds",
        breaths => "breaths", retention => "retention", recovery => "recovery", open => "open",
        cap => "cap", bells => "bells", prompts => "prompts");
    v
}

/// Number of segments a block unrolls into, without unrolling it.
fn block_segments(block: &Block) -> u64 {
    match &block.body {
        BlockBody::Breathe(b) => {
            u64::from(crate::engine::breathe_cycle_count(b)) * b.phases.len() as u64
        }
        BlockBody::Retention(r) => {
            let round = u64::from(r.breaths) * r.phases.len() as u64 + 1 + r.recovery.len() as u64;
            round * u64::from(r.rounds)
        }
        BlockBody::Meditate(m) => {
            let len = match m.length {
                SitLength::Fixed(d) | SitLength::Open { cap: d } => d,
            };
            let bells = m
                .bells
                .every
                .map_or(0, |e| (len.as_secs_f64() / e.as_secs_f64()) as u64);
            1 + bells + m.prompts.len() as u64
        }
    }
}

/// Planned length of a block, open parts at their cap. (How many phases it
/// unrolls into is [`block_segments`].)
fn block_length(block: &Block) -> Duration {
    match &block.body {
        BlockBody::Breathe(b) => {
            let cycles = crate::engine::breathe_cycle_count(b);
            (0..cycles)
                .map(|c| crate::engine::cycle_length(b, c, cycles))
                .sum()
        }
        BlockBody::Retention(r) => {
            let breath: Duration = r.phases.iter().map(|p| p.length).sum();
            let rec: Duration = r.recovery.iter().map(|p| p.length).sum();
            (breath * r.breaths + r.cap + rec) * r.rounds
        }
        BlockBody::Meditate(m) => match m.length {
            SitLength::Fixed(d) | SitLength::Open { cap: d } => d,
        },
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
