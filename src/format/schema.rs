//! The JSON Schema (draft 2020-12) of the session format, for editors: with
//! it, Taplo / Even Better TOML complete keys, show a line of help for each
//! and underline mistakes while a session is being written.
//!
//! The schema mirrors [`super::raw`] (every table refuses unknown keys, like
//! `deny_unknown_fields`) and as many of the rules of [`super::validate`] as
//! a schema can express: which keys belong to which block kind, exactly one
//! of `in`/`out`/`hold` per phase, exactly one length per block, and the
//! numeric limits. What it cannot check (the size of a length written as a
//! string, whether a bell falls inside its block, the length of the whole
//! session) is left to `exhale check`, which is always the final word.
//! A copy is kept in `docs/session.schema.json`; a test keeps it current.

use serde_json::{Value, json};

use super::BUILTIN_SOUNDS;
use super::limits::{
    MAX_BLOCKS, MAX_BREATHS, MAX_CYCLES, MAX_LINE, MAX_MINUTES, MAX_PHASE, MAX_PHASES, MAX_PROMPTS,
    MAX_RAMP_EVERY, MAX_ROUNDS, MAX_SESSION, MAX_SETTLE, MAX_TAG, MAX_TAGS, MAX_TEXT, MAX_TITLE,
    MIN_BELL_EVERY, MIN_PHASE,
};
use crate::engine::model::{Bed, MAX_RATE, MAX_STRIKES, MIN_RATE, Pacing, Pan};

/// The `$schema` URI of draft 2020-12.
pub const DRAFT: &str = "https://json-schema.org/draft/2020-12/schema";

/// A regular expression (ECMA-262 and Rust `regex` compatible) for the
/// string forms of a length that `length::parse` reads: a plain number
/// (`"4"`, `"5.5"`), units (`"90s"`, `"1m30s"`, `"1 h"`, units in any case),
/// or a clock (`"0:30"`, `"1:02:03"`).
pub fn length_pattern() -> String {
    // Longer spellings first so the alternation reads naturally; anchoring
    // makes the order irrelevant for matching.
    let units = [
        "hours", "hour", "hrs", "hr", "h", "minutes", "minute", "mins", "min", "ms", "m",
        "seconds", "second", "secs", "sec", "s",
    ]
    .iter()
    .map(|u| any_case(u))
    .collect::<Vec<_>>()
    .join("|");
    let number = r"(?:\d+\.?\d*|\.\d+)";
    let plain = format!(r"\+?{number}(?:[eE][+-]?\d+)?");
    let with_units = format!(r"(?:{number}\s*(?:{units})\s*)+");
    // Every part after the first must be below 60; only the last may have
    // a fraction.
    let sixty = r"\+?0*[0-5]?\d";
    let clock = format!(r"\+?\d+(?::{sixty}){{0,1}}:{sixty}(?:\.\d*)?");
    format!(r"^\s*(?:{plain}|{with_units}|{clock})\s*$")
}

/// `min` -> `[mM][iI][nN]`: JSON Schema patterns have no flags.
fn any_case(word: &str) -> String {
    let mut out = String::new();
    for c in word.chars() {
        out.push('[');
        out.push(c.to_ascii_lowercase());
        out.push(c.to_ascii_uppercase());
        out.push(']');
    }
    out
}

/// A length with a numeric range for its number form.
fn length(description: &str, min: f64, exclusive_min: bool, max: f64) -> Value {
    let mut number = json!({ "type": "number", "maximum": max });
    let key = if exclusive_min {
        "exclusiveMinimum"
    } else {
        "minimum"
    };
    number[key] = json!(min);
    json!({
        "description": description,
        "anyOf": [
            number,
            { "$ref": "#/$defs/lengthText" }
        ]
    })
}

/// One line of text of at most `max` characters: no control characters
/// at all, not even a line break or a tab (see `format::text`).
fn text(description: &str, max: usize) -> Value {
    json!({
        "description": description,
        "type": "string",
        "maxLength": max,
        "pattern": r"^[^\u0000-\u001F\u007F-\u009F]*$"
    })
}

/// Text of at most `max` characters that may run over several lines: line
/// breaks (`\n` or `\r\n`) but no other control characters (surrounding
/// whitespace is ignored by the validator).
fn paragraphs(description: &str, max: usize) -> Value {
    json!({
        "description": description,
        "type": "string",
        "maxLength": max,
        "pattern": r"^\s*(?:[^\u0000-\u001F\u007F-\u009F]|\r?\n)*\s*$"
    })
}

/// Text that must not be blank.
fn required_text(description: &str, max: usize) -> Value {
    let mut v = text(description, max);
    v["allOf"] = json!([{ "pattern": r"\S" }]);
    v
}

fn count(description: &str, min: i64, max: i64) -> Value {
    json!({ "description": description, "type": "integer", "minimum": min, "maximum": max })
}

fn sound(description: &str) -> Value {
    let mut names: Vec<&str> = BUILTIN_SOUNDS.to_vec();
    names.push("none");
    json!({
        "description": description,
        "type": "string",
        "anyOf": [
            { "enum": names, "description": "a bundled sound, or \"none\" for silence" },
            { "pattern": r"\S", "description": "the file stem of a .wav, .ogg or .flac file in your sounds folder" }
        ]
    })
}

fn sounds(description: &str) -> Value {
    json!({
        "description": description,
        "type": "object",
        "additionalProperties": false,
        "properties": {
            "inhale": sound("Played when an inhale starts."),
            "exhale": sound("Played when an exhale starts."),
            "hold": sound("Played when a hold starts."),
            "bell": sound("Played for meditation bells."),
            "prompt": sound("Played when a meditation prompt appears."),
            "start": sound("Played when the session starts."),
            "end": sound("Played when the session ends."),
            "voice": {
                "description": "The voice pack that speaks the cues (\"in\", \"hold\", \"out\", \"begin\", \"well done\"), in place of the chimes: \"default\" (built in), the name of a folder in your voices folder, or \"none\" for the chimes alone.",
                "type": "string",
                "pattern": r"\S"
            },
            "count": {
                "description": "Whether the voice also counts the seconds of each phase: \"in, 2, 3, 4\". Needs a voice.",
                "type": "boolean"
            },
            "speak": {
                "description": "Whether meditation prompts are also said aloud, by the espeak-ng program when it is installed (their chime plays otherwise).",
                "type": "boolean"
            }
        }
    })
}

fn phase_list(description: &str, min_items: usize, phase: &str) -> Value {
    json!({
        "description": description,
        "type": "array",
        "minItems": min_items,
        "maxItems": MAX_PHASES,
        "items": { "$ref": phase }
    })
}

/// `a` implies `b`, written with `anyOf`/`not` rather than draft 2019-09's
/// `dependentRequired`/`dependentSchemas`, which Taplo's validator ignores.
fn implies(a: &Value, b: &Value) -> Value {
    json!({ "anyOf": [{ "not": a }, b] })
}

fn secs(d: std::time::Duration) -> f64 {
    d.as_secs_f64()
}

/// The schema as a JSON value.
pub fn schema() -> Value {
    let day = secs(MAX_SESSION);
    let max_phase = secs(MAX_PHASE);
    let phase_len = |what: &str| length(what, secs(MIN_PHASE), false, max_phase);
    let name = text(
        "An optional title for this block, shown while it runs.",
        MAX_TITLE,
    );
    let block_sounds = sounds("Sounds for this block only, replacing the session's.");
    let pan = json!({
        "description": "Which ear this phase's pacing sound is heard in: left (the left channel only), right (the right channel only) or center (both, the default). For breathing through one nostril at a time.",
        "enum": Pan::names()
    });
    let pacing = json!({
        "description": "A sound that lasts the whole breath: tone (its pitch rises through the inhale, rests on a hold, falls through the exhale), noise (brightening and darkening the same way) or none. A block's own wins over the session's, and without either the config's [sound] pacing plays.",
        "enum": Pacing::names()
    });
    let minutes = json!({
        "description": "The block's length in minutes (may have a fraction).",
        "type": "number", "exclusiveMinimum": 0, "maximum": MAX_MINUTES
    });
    let duration = length(
        "The block's length: seconds, or text like \"5m\" or \"1m30s\".",
        0.0,
        true,
        day,
    );
    let cues = json!({
        "description": "Default cue text for phases that have no `cue` of their own.",
        "type": "object",
        "additionalProperties": false,
        "properties": {
            "in": text("Cue for inhales.", MAX_LINE),
            "out": text("Cue for exhales.", MAX_LINE),
            "hold": text("Cue for holds.", MAX_LINE)
        }
    });
    let settle_length = length(
        "How long the settle-in lasts, up to 5 minutes; 0 for none.",
        0.0,
        false,
        secs(MAX_SETTLE),
    );
    let settle = json!({
        "description": "Settling-in countdown before the first phase: a length up to 5 minutes (0 for none), or { length = \"20s\", text = \"...\" } with the words shown meanwhile. Without it, the user's default applies.",
        "anyOf": [
            settle_length.clone(),
            {
                "type": "object",
                "additionalProperties": false,
                "minProperties": 1,
                "properties": {
                    "length": settle_length,
                    "text": required_text("What the screen says during the settle-in.", MAX_LINE)
                }
            }
        ]
    });
    let bells = json!({
        "description": "When bells ring, e.g. { start = true, end = true, every = \"5m\" }.",
        "type": "object",
        "additionalProperties": false,
        "properties": {
            "start": { "description": "Ring when the block starts.", "type": "boolean" },
            "end": { "description": "Ring when the block ends.", "type": "boolean" },
            "every": length("Ring at this interval (at least 1 second).", secs(MIN_BELL_EVERY), false, day),
            "at": {
                "description": "Ring at these times from the block's start, e.g. [\"2m\", \"7m\"].",
                "type": "array",
                "items": { "$ref": "#/$defs/offset" }
            },
            "random": {
                "description": "Ring at random gaps between these two lengths, e.g. \"3m..7m\": the same times on every run (see `seed`), listed by `exhale show`.",
                "type": "string",
                "pattern": r"^\s*\S+\s*\.\.\s*\S+\s*$"
            },
            "seed": { "description": "Another seed rings the random bells at other times.", "type": "integer", "minimum": 0 },
            "strikes": { "description": "Strike each bell this many times, 3 seconds apart (the end bell once).", "type": "integer", "minimum": 1, "maximum": MAX_STRIKES }
        }
    });
    let breathe = json!({
        "description": "Paced breathing: a cycle of phases, repeated for a number of cycles or a length of time.",
        "type": "object",
        "additionalProperties": false,
        "required": ["kind"],
        "anyOf": [{ "required": ["phases"] }, { "required": ["rate"] }],
        "allOf": [{
            "if": { "required": ["rate"] },
            "then": { "properties": { "phases": { "items": { "not": { "required": ["to"] } } } } }
        }],
        "properties": {
            "kind": { "const": "breathe", "description": "Paced breathing." },
            "name": name,
            "phases": phase_list("The phases of one cycle, e.g. [{ in = 4 }, { out = 6 }].", 1, "#/$defs/phase"),
            "cycles": count("How many cycles to breathe.", 1, MAX_CYCLES.into()),
            "minutes": minutes,
            "duration": duration,
            "cues": cues,
            "bells": { "$ref": "#/$defs/bells", "description": "Bells on the block's own clock while the breathing goes on, e.g. { every = \"5m\" }." },
            "rate": {
                "description": "Breathe at this many breaths a minute, the phases' proportions kept (in 40%, out 60% without phases); \"resonance\" for your own rate from `exhale run resonance-finder` (5.5 until then). No ramps.",
                "anyOf": [
                    { "type": "number", "minimum": MIN_RATE, "maximum": MAX_RATE },
                    { "const": "resonance" }
                ]
            },
            "sounds": block_sounds,
            "pacing": pacing
        },
        "oneOf": [
            { "required": ["cycles"] },
            { "required": ["minutes"] },
            { "required": ["duration"] }
        ]
    });
    let retention = json!({
        "description": "Rounds of paced breaths, then a hold that you end yourself (Space), then optional recovery phases.",
        "type": "object",
        "additionalProperties": false,
        "required": ["kind", "rounds", "breaths", "phases", "retention"],
        "properties": {
            "kind": { "const": "retention", "description": "Breaths and a hold you end." },
            "name": name,
            "rounds": count("How many rounds.", 1, MAX_ROUNDS.into()),
            "breaths": count("Paced breaths in each round before the hold.", 0, MAX_BREATHS.into()),
            "phases": phase_list("The phases of one paced breath, e.g. [{ in = 1.5 }, { out = 1 }]; no ramps.", 1, "#/$defs/steadyPhase"),
            "retention": {
                "description": "The hold you end yourself.",
                "type": "object",
                "additionalProperties": false,
                "required": ["cap"],
                "properties": {
                    "cap": length("The longest the hold may last (up to 10 minutes).", 0.0, true, max_phase),
                    "cue": text("Cue text for the hold.", MAX_LINE)
                }
            },
            "recovery": phase_list("Phases after the hold, e.g. [{ in = 2 }, { hold = 15 }]; may be empty; no ramps.", 0, "#/$defs/steadyPhase"),
            "cues": cues,
            "bells": { "$ref": "#/$defs/bells", "description": "Bells on the block's own clock while the rounds go on, e.g. { at = [\"3m\"] }." },
            "sounds": block_sounds,
            "pacing": pacing
        }
    });
    json!({
        "$schema": DRAFT,
        "title": "exhale session",
        "description": "A breathwork or meditation session for exhale (format v1). `exhale check FILE` gives the final word on a file.",
        "type": "object",
        "additionalProperties": false,
        "required": ["name", "block"],
        "properties": {
            "name": required_text("The session's title, shown in the list and while it runs.", MAX_TITLE),
            "description": paragraphs("A sentence or two on what the session is and how long it lasts.", MAX_TEXT),
            "tags": {
                "description": "Short words for filtering, e.g. [\"calm\", \"sleep\"].",
                "type": "array", "maxItems": MAX_TAGS,
                "items": text("A tag.", MAX_TAG)
            },
            "author": text("Who wrote the session.", MAX_TITLE),
            "references": {
                "description": "Published sources for the practice.",
                "type": "array",
                "items": text("One reference.", MAX_LINE)
            },
            "caution": paragraphs("A caution shown before the session starts (who should not practise it, what to expect).", MAX_TEXT),
            "settle": settle,
            "sounds": sounds("Sounds for the whole session; blocks may replace them."),
            "pacing": pacing,
            "bed": {
                "description": "A background sound under the whole session, made while it plays: brown, pink or white noise, rain, ocean, or none; without it the config's [sound] bed plays.",
                "enum": Bed::names()
            },
            "bells": { "$ref": "#/$defs/bells", "description": "Bells for every meditation block that has none of its own, e.g. { end = true, strikes = 3 }." },
            "block": {
                "description": "The blocks, run in order: write each as a [[block]] table.",
                "type": "array", "minItems": 1, "maxItems": MAX_BLOCKS,
                "items": { "$ref": "#/$defs/block" }
            }
        },
        "$defs": {
            "lengthText": {
                "description": "A length as text: \"90s\", \"1m30s\", \"5m\", \"1h\", \"0:30\" or \"1:02:03\".",
                "type": "string",
                "pattern": length_pattern()
            },
            "bells": bells,
            "offset": length("A time from the block's start: seconds, or text like \"0:30\" or \"2m\".", 0.0, false, day),
            "block": {
                "description": "One block: kind = \"breathe\" (paced cycles), \"retention\" (rounds of breaths and a hold you end) or \"meditate\" (a timed or open sit).",
                "type": "object",
                "required": ["kind"],
                "properties": {
                    "kind": {
                        "description": "What this block is: breathe, retention or meditate.",
                        "enum": ["breathe", "retention", "meditate"]
                    }
                },
                "allOf": [
                    { "if": { "required": ["kind"], "properties": { "kind": { "const": "breathe" } } }, "then": { "$ref": "#/$defs/breathe" } },
                    { "if": { "required": ["kind"], "properties": { "kind": { "const": "retention" } } }, "then": { "$ref": "#/$defs/retention" } },
                    { "if": { "required": ["kind"], "properties": { "kind": { "const": "meditate" } } }, "then": { "$ref": "#/$defs/meditate" } }
                ]
            },
            "breathe": breathe,
            "retention": retention,
            "meditate": {
                "description": "A sit: timed (minutes or duration) or open-ended (open = true), with optional bells and prompts.",
                "type": "object",
                "additionalProperties": false,
                "required": ["kind"],
                "properties": {
                    "kind": { "const": "meditate", "description": "A timed or open sit." },
                    "name": name,
                    "minutes": minutes,
                    "duration": duration,
                    "open": { "description": "true: the sit lasts until you end it (Space), up to `cap`.", "type": "boolean" },
                    "cap": length("The longest an open sit may last (default 2 hours).", 0.0, true, day),
                    "bells": { "$ref": "#/$defs/bells", "description": "When bells ring, e.g. { start = true, end = true, every = \"5m\" }." },
                    "prompts": {
                        "description": "Text shown at set times, e.g. [{ at = \"1:30\", text = \"Come back to the breath.\" }].",
                        "type": "array", "maxItems": MAX_PROMPTS,
                        "items": {
                            "description": "One prompt: when (`at`) and what (`text`).",
                            "type": "object",
                            "additionalProperties": false,
                            "required": ["at", "text"],
                            "properties": {
                                "at": { "$ref": "#/$defs/offset", "description": "When to show it, from the block's start: \"0:30\", \"2m\" or seconds." },
                                "text": required_text("The text to show.", MAX_LINE)
                            }
                        }
                    },
                    "sounds": block_sounds
                },
                "oneOf": [
                    { "required": ["minutes"] },
                    { "required": ["duration"] },
                    { "required": ["open"], "properties": { "open": { "const": true } } }
                ],
                "allOf": [
                    implies(
                        &json!({ "required": ["cap"] }),
                        &json!({ "required": ["open"], "properties": { "open": { "const": true } } })
                    )
                ]
            },
            "phase": {
                "description": "One phase: exactly one of in, out, hold or natural, with its length; optionally a ramp (to, step, every), a cue, a sound and a pan.",
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "in": phase_len("Breathe in for this long: seconds (4, 5.5) or text (\"4s\")."),
                    "out": phase_len("Breathe out for this long: seconds (6) or text (\"6s\")."),
                    "hold": phase_len("Hold for this long: seconds (4) or text (\"4s\")."),
                    "natural": phase_len("Breathe naturally, unpaced, for this long: the cue says to breathe normally and nothing moves to a pace (e.g. \"1m\"). No ramp."),
                    "to": phase_len("Ramp: the length this phase grows or shrinks to by the block's last cycle (or by the end of `over`)."),
                    "step": length("Ramp in steps of this size (with `to`).", 0.0, true, day),
                    "every": count("Ramp one step every this many cycles (with `step`).", 1, MAX_RAMP_EVERY.into()),
                    "over": length("Ramp to `to` in equal steps over this length of time (e.g. \"8m\"), then stay there; without it, a ramp with only `to` spans the block.", 0.0, true, day),
                    "cue": text("Text shown during this phase.", MAX_LINE),
                    "sound": sound("Played when this phase starts, replacing the block's sound."),
                    "pan": pan
                },
                "oneOf": [
                    { "required": ["in"] },
                    { "required": ["out"] },
                    { "required": ["hold"] },
                    { "required": ["natural"] }
                ],
                "allOf": [
                    implies(&json!({ "required": ["step"] }), &json!({ "required": ["to"] })),
                    implies(&json!({ "required": ["every"] }), &json!({ "required": ["step", "to"] })),
                    implies(&json!({ "required": ["over"] }), &json!({ "required": ["to"], "not": { "anyOf": [{ "required": ["step"] }, { "required": ["every"] }] } })),
                    implies(&json!({ "required": ["natural"] }), &json!({ "not": { "anyOf": [{ "required": ["to"] }, { "required": ["over"] }] } }))
                ]
            },
            "steadyPhase": {
                "description": "One phase without a ramp: exactly one of in, out, hold or natural, with its length; optionally a cue, a sound and a pan.",
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "in": phase_len("Breathe in for this long."),
                    "out": phase_len("Breathe out for this long."),
                    "hold": phase_len("Hold for this long."),
                    "natural": phase_len("Breathe naturally, unpaced, for this long."),
                    "cue": text("Text shown during this phase.", MAX_LINE),
                    "sound": sound("Played when this phase starts."),
                    "pan": pan
                },
                "oneOf": [
                    { "required": ["in"] },
                    { "required": ["out"] },
                    { "required": ["hold"] },
                    { "required": ["natural"] }
                ]
            }
        }
    })
}

/// The schema as pretty-printed JSON, ending with a newline: what
/// `exhale schema` prints and `docs/session.schema.json` holds.
pub fn schema_text() -> String {
    let mut s = serde_json::to_string_pretty(&schema()).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_case_matches_both_cases() {
        assert_eq!(any_case("ms"), "[mM][sS]");
    }

    #[test]
    fn every_table_refuses_unknown_keys() {
        // Mirrors deny_unknown_fields: any object schema with properties
        // must also say additionalProperties: false (except the block
        // dispatcher, whose branches each do).
        fn walk(v: &Value, path: &str, bad: &mut Vec<String>) {
            match v {
                Value::Object(m) => {
                    let is_table = m.get("type") == Some(&json!("object"));
                    let dispatcher = path.ends_with("/$defs/block");
                    if is_table
                        && !dispatcher
                        && m.get("additionalProperties") != Some(&json!(false))
                    {
                        bad.push(path.to_owned());
                    }
                    for (k, v) in m {
                        walk(v, &format!("{path}/{k}"), bad);
                    }
                }
                Value::Array(a) => {
                    for (i, v) in a.iter().enumerate() {
                        walk(v, &format!("{path}/{i}"), bad);
                    }
                }
                _ => {}
            }
        }
        let mut bad = Vec::new();
        walk(&schema(), "#", &mut bad);
        assert!(
            bad.is_empty(),
            "tables without additionalProperties: false: {bad:?}"
        );
    }

    #[test]
    fn only_keywords_that_taplo_understands() {
        // Taplo validates with draft-7 keywords and silently ignores the
        // newer ones, so a rule written with them would never show in an
        // editor. (`$defs` is fine: references resolve by JSON pointer.)
        const NEWER: &[&str] = &[
            "dependentRequired",
            "dependentSchemas",
            "unevaluatedProperties",
            "unevaluatedItems",
            "prefixItems",
            "$dynamicRef",
        ];
        let text = schema_text();
        for k in NEWER {
            assert!(!text.contains(&format!("\"{k}\"")), "the schema uses {k}");
        }
    }

    #[test]
    fn every_key_has_a_description() {
        // Editors show the description on hover and in completion lists.
        // Conditions (if/then, oneOf, ...) restate keys without one.
        fn walk(v: &Value, path: &str, missing: &mut Vec<String>) {
            let Value::Object(m) = v else { return };
            if let Some(Value::Object(props)) = m.get("properties") {
                for (k, p) in props {
                    if p.get("description").is_none() {
                        missing.push(format!("{path}/{k}"));
                    }
                    walk(p, &format!("{path}/{k}"), missing);
                }
            }
            for key in ["$defs", "items"] {
                match m.get(key) {
                    Some(Value::Object(d)) if key == "$defs" => {
                        for (k, v) in d {
                            walk(v, &format!("{path}/$defs/{k}"), missing);
                        }
                    }
                    Some(v) => walk(v, &format!("{path}/{key}"), missing),
                    None => {}
                }
            }
        }
        let mut missing = Vec::new();
        walk(&schema(), "#", &mut missing);
        assert!(
            missing.is_empty(),
            "keys without a description: {missing:?}"
        );
    }
}
