//! From raw structs to the model: every rule a session must follow, each
//! broken rule reported at the span of the value it is about. Validation
//! goes on after an error so that `check` can report them all at once.
//!
//! By job: [`values`] (texts, lengths, counts), [`sounds`], one module per
//! kind of block ([`breathe`], [`retention`], [`meditate`]), and
//! [`cautions`] (warnings and the cautions a session's shape calls for).
//! The limits are [`super::limits`].

mod breathe;
mod cautions;
mod meditate;
mod retention;
mod sounds;
mod values;

pub use cautions::{FAST_BPM, LONG_HOLD, QUICK_BPM, derived_cautions};
pub use sounds::{bed_help, pacing_help};

use std::ops::Range;
use std::time::Duration;

use toml::Spanned;

use super::SoundCatalog;
use super::diagnostic::{Diagnostic, did_you_mean};
use super::limits::{
    MAX_LINE, MAX_SEGMENTS, MAX_SESSION, MAX_SETTLE, MAX_TAG, MAX_TAGS, MAX_TEXT, MAX_TITLE,
};
use super::raw::{RawBlock, RawHeader, RawSettle};
use super::text::Lines;
use crate::engine::model::{Block, BlockBody, Caution, CautionKind, Session, SitLength};
use crate::text::human;

/// Keys a breathe block accepts.
pub(super) const BREATHE_KEYS: &[&str] = &[
    "kind", "name", "phases", "cycles", "minutes", "duration", "cues", "rate", "bells", "sounds",
    "pacing",
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
    "bells",
    "sounds",
    "pacing",
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
}

impl Validator<'_> {
    /// Validate the whole session. `blocks` holds the blocks that parsed;
    /// `any_block_written` says whether the file has a `block` key at all.
    /// `header` is `None` when the top of the file could not be read: its
    /// error is already reported, and the blocks are still checked so that
    /// one mistake does not hide the others.
    pub(super) fn session(
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
            .filter_map(|t| self.text(t, "a tag", MAX_TAG, Lines::One))
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
        let (settle_length, settle_text) = match header.settle.as_ref().map(|s| (s, s.get_ref())) {
            None => (None, None),
            Some((s, RawSettle::Length(len))) => (Some(Spanned::new(s.span(), len.clone())), None),
            Some((s, RawSettle::Table(t))) => {
                let text =
                    self.opt_text(t.text.as_ref(), "the settle-in text", MAX_LINE, Lines::One);
                if t.length.is_none() && t.text.is_none() {
                    self.error(
                        "the settle-in table is empty",
                        span_of(s),
                        "give its length and what to show, e.g. settle = { length = \"20s\", text = \"Sit comfortably.\" }",
                    );
                }
                if text.as_deref() == Some("") {
                    self.error(
                        "the settle-in text is empty",
                        t.text.as_ref().and_then(span_of),
                        "write what to show, or remove `text`",
                    );
                }
                (t.length.clone(), text.filter(|t| !t.is_empty()))
            }
        };
        let settle = settle_length.as_ref().and_then(|s| {
            let d = self.offset(s, "the settle-in time")?;
            if d > MAX_SETTLE {
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
        let bed = header.bed.as_ref().and_then(|b| self.bed(b));
        let pacing = header.pacing.as_ref().and_then(|p| self.pacing(p));
        // No block's length bounds the session's own bells.
        let bells = header
            .bells
            .as_ref()
            .and_then(|b| self.bells(b.get_ref(), None));

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
                why: Vec::new(),
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
            settle_text,
            sounds,
            bed,
            pacing,
            bells,
            blocks,
        })
    }

    pub(super) fn block(&mut self, raw: &Spanned<RawBlock>) -> Option<Block> {
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
        let pacing = b.pacing.as_ref().and_then(|p| self.pacing(p));
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
            pacing,
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
        duration => "duration", cues => "cues", rate => "rate", sounds => "sounds", rounds => "rounds",
        breaths => "breaths", retention => "retention", recovery => "recovery", open => "open",
        cap => "cap", bells => "bells", prompts => "prompts", pacing => "pacing");
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
