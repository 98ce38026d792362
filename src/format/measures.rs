//! Reading `[[measure]]` tables, the same in a plan file and in
//! `config.toml`: each names one check-in measure beyond the 0-10 feeling
//! ([`crate::journal::measure`]), with the place of every mistake.
//!
//! ```toml
//! [[measure]]
//! name = "distress"
//! scale = "suds"          # 0-100; or "0-10", "yes-no", "skills"
//! ask = "before-after"    # or "before", "after"
//!
//! [[measure]]
//! name = "skills used"
//! scale = "skills"
//! skills = ["paced breathing", "grounding", "opposite action"]
//! ask = "after"
//! ```

use serde::Deserialize;
use toml::Spanned;

use crate::format::diagnostic::{Diagnostic, did_you_mean};
use crate::format::measure::{
    ASK_WORDS, Ask, MAX_MEASURES, MAX_NAME, MAX_SKILLS, Measure, SCALE_WORDS, Scale,
};
use crate::format::text::{Lines, forbidden, name_of};

/// One `[[measure]]` table as written.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMeasure {
    name: Option<Spanned<String>>,
    scale: Option<Spanned<String>>,
    ask: Option<Spanned<String>>,
    skills: Option<Spanned<Vec<Spanned<String>>>>,
}

/// The keys of a `[[measure]]`.
pub const MEASURE_KEYS: &[&str] = &["name", "scale", "ask", "skills"];

/// A short example, for hints.
pub const EXAMPLE: &str =
    "[[measure]] with name = \"distress\", scale = \"suds\" and ask = \"before-after\"";

type Span = std::ops::Range<usize>;

/// Check the `[[measure]]` tables read (each with the span of its table):
/// the measures, or the diagnostics of what is wrong. `whole` is the span
/// of the list, for a list that is too long.
pub fn check(raw: &[(Span, RawMeasure)], diags: &mut Vec<Diagnostic>) -> Vec<Measure> {
    let mut out: Vec<Measure> = Vec::new();
    if let Some((span, _)) = raw.get(MAX_MEASURES) {
        diags.push(
            Diagnostic::error(
                format!(
                    "{} measures; a check-in asks at most {MAX_MEASURES}",
                    raw.len()
                ),
                Some(span.clone()),
            )
            .with_help("keep the few measures that matter now: each one is a question every time"),
        );
        return out;
    }
    for (span, m) in raw {
        if let Some(m) = one(span.clone(), m, &out, diags) {
            out.push(m);
        }
    }
    out
}

fn one(
    span: Span,
    m: &RawMeasure,
    earlier: &[Measure],
    diags: &mut Vec<Diagnostic>,
) -> Option<Measure> {
    let start = span.start..span.start;
    let mut err = |message: String, span: Span, help: &str| {
        diags.push(Diagnostic::error(message, Some(span)).with_help(help.to_owned()));
    };
    let name = match &m.name {
        None => {
            err(
                "missing key `name` in a measure".into(),
                start.clone(),
                "add name = \"...\", the words the question asks about (\"distress\", \"chest tightness\")",
            );
            None
        }
        Some(n) => {
            let t = n.get_ref().trim();
            if t.is_empty() {
                err(
                    "`name` is empty".into(),
                    n.span(),
                    "write the words the question asks about, e.g. name = \"chest tightness\"",
                );
                None
            } else if t.chars().count() > MAX_NAME {
                err(
                    format!(
                        "`name` is {} characters long; at most {MAX_NAME}",
                        t.chars().count()
                    ),
                    n.span(),
                    "a word or two is enough: it is asked every time",
                );
                None
            } else if let Some((_, c)) = forbidden(t, Lines::One) {
                err(
                    format!("`name` contains {}", name_of(c)),
                    n.span(),
                    "a measure's name is shown on one line; take it out",
                );
                None
            } else if earlier.iter().any(|e| e.name.eq_ignore_ascii_case(t)) {
                err(
                    format!("a measure named `{t}` is given twice"),
                    n.span(),
                    "give each measure its own name: answers are kept by name",
                );
                None
            } else {
                Some(t.to_owned())
            }
        }
    };
    let skills = match &m.skills {
        None => None,
        Some(list) => {
            let mut out: Vec<String> = Vec::new();
            if list.get_ref().is_empty() || list.get_ref().len() > MAX_SKILLS {
                err(
                    format!(
                        "`skills` lists {}; give 1 to {MAX_SKILLS}",
                        list.get_ref().len()
                    ),
                    list.span(),
                    "e.g. skills = [\"paced breathing\", \"grounding\"]",
                );
            }
            for s in list.get_ref() {
                let t = s.get_ref().trim();
                if t.is_empty()
                    || t.chars().count() > MAX_NAME
                    || forbidden(t, Lines::One).is_some()
                {
                    err(
                        format!("`{t}` cannot be a skill's name"),
                        s.span(),
                        "a skill is a word or two on one line, at most 40 characters",
                    );
                } else if out.iter().any(|o| o.eq_ignore_ascii_case(t)) {
                    err(
                        format!("the skill `{t}` is listed twice"),
                        s.span(),
                        "list each skill once",
                    );
                } else {
                    out.push(t.to_owned());
                }
            }
            Some((list.span(), out))
        }
    };
    let scale = match &m.scale {
        None => {
            err(
                "missing key `scale` in a measure".into(),
                start.clone(),
                "add scale = \"suds\" (0-100), \"0-10\", \"yes-no\" or \"skills\"",
            );
            None
        }
        Some(s) => match s.get_ref().trim() {
            "suds" => Some(Scale::Suds),
            "0-10" => Some(Scale::Rating),
            "yes-no" => Some(Scale::YesNo),
            "skills" => match &skills {
                Some((_, list)) => Some(Scale::Skills(list.clone())),
                None => {
                    err(
                        "a `skills` measure needs the list of skills".into(),
                        s.span(),
                        "add skills = [\"paced breathing\", \"grounding\"]",
                    );
                    None
                }
            },
            other => {
                let hint = match did_you_mean(other, SCALE_WORDS) {
                    Some(s) => format!("did you mean `{s}`? "),
                    None => String::new(),
                };
                err(
                    format!("`{other}` is not a scale"),
                    s.span(),
                    &format!(
                        "{hint}a scale is \"suds\" (0-100), \"0-10\", \"yes-no\" or \"skills\""
                    ),
                );
                None
            }
        },
    };
    if let (Some((span, _)), Some(s)) = (&skills, &scale)
        && !matches!(s, Scale::Skills(_))
    {
        err(
            format!(
                "`skills` is only for scale = \"skills\", not \"{}\"",
                s.word()
            ),
            span.clone(),
            "take the list out, or write scale = \"skills\"",
        );
    }
    let ask = match &m.ask {
        None => Some(Ask::Both),
        Some(a) => match Ask::from_word(a.get_ref().trim()) {
            Some(x) => Some(x),
            None => {
                let hint = match did_you_mean(a.get_ref(), ASK_WORDS) {
                    Some(s) => format!("did you mean `{s}`? "),
                    None => String::new(),
                };
                err(
                    format!("`{}` is not when to ask", a.get_ref()),
                    a.span(),
                    &format!("{hint}write ask = \"before\", \"after\" or \"before-after\""),
                );
                None
            }
        },
    };
    Some(Measure {
        name: name?,
        scale: scale?,
        ask: ask?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (Vec<Measure>, Vec<Diagnostic>) {
        #[derive(Deserialize)]
        struct File {
            measure: Vec<Spanned<RawMeasure>>,
        }
        let f: File = toml::from_str(text).expect("toml");
        let raw: Vec<(Span, RawMeasure)> = f
            .measure
            .into_iter()
            .map(|m| (m.span(), m.into_inner()))
            .collect();
        let mut diags = Vec::new();
        let got = check(&raw, &mut diags);
        (got, diags)
    }

    #[test]
    fn each_scale_reads() {
        let (got, diags) = read(
            r#"
[[measure]]
name = "distress"
scale = "suds"
[[measure]]
name = "chest tightness"
scale = "0-10"
ask = "before"
[[measure]]
name = "skills used"
scale = "skills"
skills = ["grounding", "paced breathing"]
ask = "after"
"#,
        );
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(got.len(), 3);
        assert_eq!(got[0].ask, Ask::Both);
        assert_eq!(got[1].scale, Scale::Rating);
        assert_eq!(
            got[2].scale,
            Scale::Skills(vec!["grounding".into(), "paced breathing".into()])
        );
    }

    #[test]
    fn mistakes_are_named_with_a_suggestion() {
        let (_, diags) = read(
            r#"
[[measure]]
name = "distress"
scale = "sud"
[[measure]]
name = "tension"
scale = "0-10"
[[measure]]
name = "Tension"
scale = "0-10"
ask = "befor"
"#,
        );
        let text: Vec<String> = diags
            .iter()
            .map(|d| format!("{} / {}", d.message, d.help.clone().unwrap_or_default()))
            .collect();
        assert!(
            text[0].contains("`sud` is not a scale") && text[0].contains("did you mean `suds`"),
            "{text:?}"
        );
        assert!(text.iter().any(|t| t.contains("given twice")), "{text:?}");
        assert!(
            text.iter().any(|t| t.contains("did you mean `before`")),
            "{text:?}"
        );
    }
}
