//! The JSON Schema of the plan file (`exhale schema --plan`), for editors
//! that check TOML against a schema. It says what the checker's structure
//! rules say (keys, types, ranges); which sessions exist and whether the
//! dates are in order only `exhale plan check` knows. Committed at
//! docs/plan.schema.json, which a test keeps equal to this.

use serde_json::{Value, json};

use super::check::{MAX_AVOID, MAX_NOTE, MAX_PRACTICES, MAX_TITLE, MAX_WEEKS};

/// A date: a TOML date (`2026-12-01`), which editors show as a string, or
/// the same written in quotes.
fn date(description: &str) -> Value {
    json!({
        "description": description,
        "type": "string",
        "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
    })
}

/// The schema as a JSON value.
pub fn schema() -> Value {
    let weekday = json!({
        "type": "string",
        "pattern": "^([Mm][Oo][Nn]([Dd][Aa][Yy])?|[Tt][Uu][Ee]([Ss][Dd][Aa][Yy])?|[Ww][Ee][Dd]([Nn][Ee][Ss][Dd][Aa][Yy])?|[Tt][Hh][Uu]([Rr][Ss][Dd][Aa][Yy])?|[Ff][Rr][Ii]([Dd][Aa][Yy])?|[Ss][Aa][Tt]([Uu][Rr][Dd][Aa][Yy])?|[Ss][Uu][Nn]([Dd][Aa][Yy])?)$"
    });
    json!({
        "$schema": crate::format::schema::DRAFT,
        "title": "exhale plan",
        "description": "A practice plan for exhale ($XDG_CONFIG_HOME/exhale/plan.toml). `exhale plan check FILE` gives the final word on a file.",
        "type": "object",
        "additionalProperties": false,
        "required": ["title", "from", "practice"],
        "not": { "required": ["until", "weeks"] },
        "properties": {
            "title": {
                "description": "What the plan is called.",
                "type": "string", "minLength": 1, "maxLength": MAX_TITLE,
                "pattern": "^[^\\u0000-\\u001f\\u007f-\\u009f]*$"
            },
            "from": date("The plan's first day, e.g. 2026-12-01."),
            "until": date("The plan's last day (or give `weeks`)."),
            "weeks": {
                "description": "How many weeks the plan runs from `from` (or give `until`).",
                "type": "integer", "minimum": 1, "maximum": MAX_WEEKS
            },
            "review": date("The next appointment, when the plan is looked at again."),
            "practice": {
                "description": "What to practise, each as a [[practice]] table.",
                "type": "array", "minItems": 1, "maxItems": MAX_PRACTICES,
                "items": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["session", "days"],
                    "not": { "required": ["minutes", "cycles"] },
                    "properties": {
                        "session": { "description": "A session's name, as `exhale list` shows it.", "type": "string", "minLength": 1 },
                        "days": {
                            "description": "\"daily\", a number of days a week (1-7), or weekdays such as [\"mon\", \"thu\"].",
                            "anyOf": [
                                { "const": "daily" },
                                { "type": "integer", "minimum": 1, "maximum": 7 },
                                { "type": "array", "minItems": 1, "maxItems": 7, "uniqueItems": true, "items": weekday }
                            ]
                        },
                        "minutes": { "description": "About how many minutes (instead of the session's own length).", "type": "number", "exclusiveMinimum": 0, "maximum": 1440 },
                        "cycles": { "description": "How many cycles (instead of the session's own length).", "type": "integer", "minimum": 1, "maximum": crate::format::limits::MAX_CYCLES },
                        "note": { "description": "A word from whoever wrote the plan, shown with the practice.", "type": "string", "minLength": 1, "maxLength": MAX_NOTE }
                    }
                }
            },
            "measure": measure_schema(),
            "avoid": {
                "description": "Sessions to leave alone for now, and why: the picker marks them and asks before one starts.",
                "type": "object",
                "additionalProperties": false,
                "required": ["sessions", "reason"],
                "properties": {
                    "sessions": {
                        "description": "Session names or tags, e.g. [\"retention\"].",
                        "type": "array", "minItems": 1, "maxItems": MAX_AVOID,
                        "items": { "type": "string", "minLength": 1 }
                    },
                    "reason": { "description": "Why, shown before one of them starts.", "type": "string", "minLength": 1, "maxLength": MAX_NOTE }
                }
            }
        }
    })
}

/// The `[[measure]]` list: the same in a plan and in config.toml.
pub fn measure_schema() -> Value {
    use crate::journal::measure::{MAX_MEASURES, MAX_NAME, MAX_SKILLS};
    json!({
        "description": "Check-in measures beyond the 0-10 feeling, each as a [[measure]] table.",
        "type": "array", "maxItems": MAX_MEASURES,
        "items": {
            "type": "object",
            "additionalProperties": false,
            "required": ["name", "scale"],
            "if": { "properties": { "scale": { "const": "skills" } } },
            "then": { "required": ["skills"] },
            "else": { "not": { "required": ["skills"] } },
            "properties": {
                "name": { "description": "What the question asks about (\"distress\", \"chest tightness\"); answers are kept by it.", "type": "string", "minLength": 1, "maxLength": MAX_NAME },
                "scale": { "description": "\"suds\" (0-100 distress), \"0-10\", \"yes-no\" or \"skills\" (which skills were used).", "enum": ["suds", "0-10", "yes-no", "skills"] },
                "ask": { "description": "When it is asked: \"before\", \"after\" or \"before-after\" (the default).", "enum": ["before", "after", "before-after", "both"] },
                "skills": { "description": "For scale = \"skills\": the skills to choose from.", "type": "array", "minItems": 1, "maxItems": MAX_SKILLS, "uniqueItems": true, "items": { "type": "string", "minLength": 1, "maxLength": MAX_NAME } }
            }
        }
    })
}

/// The schema as pretty-printed JSON, ending with a newline.
pub fn schema_text() -> String {
    let mut s = serde_json::to_string_pretty(&schema()).unwrap_or_default();
    s.push('\n');
    s
}
