//! The session file as written: serde structs that mirror the TOML exactly,
//! refuse unknown keys, and keep the span of every value so that validation
//! can point at it.

use serde::Deserialize;
use toml::Spanned;

/// A length as written: a number of seconds or a string such as `"1m30s"`.
/// It is read here and checked in validation, so that a bad length is one
/// error among many rather than the end of parsing.
#[derive(Debug, Clone, PartialEq)]
pub enum RawLength {
    /// A bare number of seconds.
    Secs(f64),
    /// A string to be parsed by [`super::length::parse`].
    Text(String),
}

impl<'de> Deserialize<'de> for RawLength {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = RawLength;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    "a length: seconds as a number (4, 5.5) or a string like \"90s\" or \"1m30s\"",
                )
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<RawLength, E> {
                Ok(RawLength::Secs(v as f64))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<RawLength, E> {
                Ok(RawLength::Secs(v as f64))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<RawLength, E> {
                Ok(RawLength::Secs(v))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RawLength, E> {
                Ok(RawLength::Text(v.to_owned()))
            }
        }
        d.deserialize_any(V)
    }
}

/// A breathe block's `rate` as written: breaths a minute, or a word
/// (`"resonance"`), checked in validation.
#[derive(Debug, Clone, PartialEq)]
pub enum RawRate {
    /// A number of breaths a minute.
    PerMinute(f64),
    /// A word.
    Word(String),
}

impl<'de> Deserialize<'de> for RawRate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = RawRate;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a rate: breaths a minute as a number (6, 5.5) or \"resonance\"")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<RawRate, E> {
                Ok(RawRate::PerMinute(v as f64))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<RawRate, E> {
                Ok(RawRate::PerMinute(v as f64))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<RawRate, E> {
                Ok(RawRate::PerMinute(v))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RawRate, E> {
                Ok(RawRate::Word(v.to_owned()))
            }
        }
        d.deserialize_any(V)
    }
}

/// The top of a session file, without its blocks (they are read one by one
/// so that an error in one block does not hide errors in the others).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawHeader {
    /// Title.
    pub name: Option<Spanned<String>>,
    /// Description.
    pub description: Option<Spanned<String>>,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<Spanned<String>>,
    /// Author.
    pub author: Option<Spanned<String>>,
    /// References.
    #[serde(default)]
    pub references: Vec<Spanned<String>>,
    /// Declared caution.
    pub caution: Option<Spanned<String>>,
    /// Settle-in countdown: a length, or a table with its words.
    pub settle: Option<Spanned<RawSettle>>,
    /// Session-level sounds.
    pub sounds: Option<Spanned<RawSounds>>,
    /// The background sound bed.
    pub bed: Option<Spanned<String>>,
    /// The pacing sound.
    pub pacing: Option<Spanned<String>>,
    /// Bells for the sits that have none of their own.
    pub bells: Option<Spanned<RawBells>>,
}

/// The settle-in as written: `settle = 20` (a length) or
/// `settle = { length = "20s", text = "..." }`.
#[derive(Debug)]
pub enum RawSettle {
    /// Only its length.
    Length(RawLength),
    /// Its length and the words shown during it.
    Table(RawSettleTable),
}

/// The table form of `settle`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSettleTable {
    /// How long.
    pub length: Option<Spanned<RawLength>>,
    /// What the screen says meanwhile.
    pub text: Option<Spanned<String>>,
}

impl<'de> Deserialize<'de> for RawSettle {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = RawSettle;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    "a length (20, \"20s\") or a table such as { length = \"20s\", text = \"...\" }",
                )
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<RawSettle, E> {
                Ok(RawSettle::Length(RawLength::Secs(v as f64)))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<RawSettle, E> {
                Ok(RawSettle::Length(RawLength::Secs(v as f64)))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<RawSettle, E> {
                Ok(RawSettle::Length(RawLength::Secs(v)))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<RawSettle, E> {
                Ok(RawSettle::Length(RawLength::Text(v.to_owned())))
            }
            fn visit_map<M: serde::de::MapAccess<'de>>(self, m: M) -> Result<RawSettle, M::Error> {
                RawSettleTable::deserialize(serde::de::value::MapAccessDeserializer::new(m))
                    .map(RawSettle::Table)
            }
        }
        d.deserialize_any(V)
    }
}

/// Sound names per event kind.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSounds {
    /// Inhale.
    pub inhale: Option<Spanned<String>>,
    /// Exhale.
    pub exhale: Option<Spanned<String>>,
    /// Hold.
    pub hold: Option<Spanned<String>>,
    /// Bells.
    pub bell: Option<Spanned<String>>,
    /// Prompts.
    pub prompt: Option<Spanned<String>>,
    /// Session start.
    pub start: Option<Spanned<String>>,
    /// Session end.
    pub end: Option<Spanned<String>>,
    /// Voice pack that speaks the cues, or `"none"`.
    pub voice: Option<Spanned<String>>,
    /// Whether the voice counts the seconds.
    pub count: Option<Spanned<bool>>,
    /// Whether prompts are said aloud.
    pub speak: Option<Spanned<bool>>,
}

/// One `[[block]]` table, whatever its kind; validation checks which keys
/// belong to which kind.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBlock {
    /// `breathe`, `retention` or `meditate`.
    pub kind: Spanned<String>,
    /// Optional title.
    pub name: Option<Spanned<String>>,
    /// Phases of one cycle (breathe) or one paced breath (retention).
    pub phases: Option<Spanned<Vec<Spanned<RawPhase>>>>,
    /// Number of cycles (breathe).
    pub cycles: Option<Spanned<i64>>,
    /// Length in minutes.
    pub minutes: Option<Spanned<f64>>,
    /// Length as seconds or a string.
    pub duration: Option<Spanned<RawLength>>,
    /// Default cue text per phase kind.
    pub cues: Option<Spanned<RawCues>>,
    /// Breaths a minute, or `"resonance"` (breathe).
    pub rate: Option<Spanned<RawRate>>,
    /// Block-level sounds.
    pub sounds: Option<Spanned<RawSounds>>,
    /// Block-level pacing sound.
    pub pacing: Option<Spanned<String>>,
    /// Rounds (retention).
    pub rounds: Option<Spanned<i64>>,
    /// Paced breaths per round (retention).
    pub breaths: Option<Spanned<i64>>,
    /// The user-timed hold (retention).
    pub retention: Option<Spanned<RawRetentionHold>>,
    /// Phases after the hold (retention).
    pub recovery: Option<Spanned<Vec<Spanned<RawPhase>>>>,
    /// Open-ended (meditate).
    pub open: Option<Spanned<bool>>,
    /// Longest an open-ended block may run (meditate).
    pub cap: Option<Spanned<RawLength>>,
    /// Bells (any kind of block).
    pub bells: Option<Spanned<RawBells>>,
    /// Prompts (meditate).
    pub prompts: Option<Spanned<Vec<Spanned<RawPrompt>>>>,
}

/// One phase: exactly one of `in`, `out`, `hold` gives its kind and length.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPhase {
    /// Inhale length.
    #[serde(rename = "in")]
    pub inhale: Option<Spanned<RawLength>>,
    /// Exhale length.
    #[serde(rename = "out")]
    pub exhale: Option<Spanned<RawLength>>,
    /// Hold length.
    pub hold: Option<Spanned<RawLength>>,
    /// Natural, unpaced breathing, this long.
    pub natural: Option<Spanned<RawLength>>,
    /// Ramp target length.
    pub to: Option<Spanned<RawLength>>,
    /// Ramp step.
    pub step: Option<Spanned<RawLength>>,
    /// Cycles between ramp steps.
    pub every: Option<Spanned<i64>>,
    /// The length of time a ramp to `to` takes.
    pub over: Option<Spanned<RawLength>>,
    /// Cue text.
    pub cue: Option<Spanned<String>>,
    /// Sound at the start of the phase.
    pub sound: Option<Spanned<String>>,
    /// Which ear the phase is heard in: left, right or center.
    pub pan: Option<Spanned<String>>,
}

/// Default cue text per phase kind for a block.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCues {
    /// Inhale cue.
    #[serde(rename = "in")]
    pub inhale: Option<Spanned<String>>,
    /// Exhale cue.
    #[serde(rename = "out")]
    pub exhale: Option<Spanned<String>>,
    /// Hold cue.
    pub hold: Option<Spanned<String>>,
}

/// The user-timed hold of a retention block.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRetentionHold {
    /// Longest the hold may last.
    pub cap: Spanned<RawLength>,
    /// Cue text.
    pub cue: Option<Spanned<String>>,
}

/// Bells of a meditation block.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawBells {
    /// Ring at the start.
    pub start: Option<Spanned<bool>>,
    /// Ring at the end.
    pub end: Option<Spanned<bool>>,
    /// Interval.
    pub every: Option<Spanned<RawLength>>,
    /// Listed times.
    pub at: Option<Spanned<Vec<Spanned<RawLength>>>>,
    /// Random gaps: `"3m..7m"`.
    pub random: Option<Spanned<String>>,
    /// Seed of the random gaps.
    pub seed: Option<Spanned<i64>>,
    /// Strikes per bell.
    pub strikes: Option<Spanned<i64>>,
}

/// A timed text prompt.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPrompt {
    /// Offset from the block's start.
    pub at: Spanned<RawLength>,
    /// The text.
    pub text: Spanned<String>,
}
