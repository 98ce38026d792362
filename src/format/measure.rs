//! Check-in measures beyond the 0-10 feeling, shaped like the ones
//! therapists use: a 0-100 distress scale (SUDS), named 0-10 scales
//! ("chest tightness"), yes/no targets and "skills used" tags, each asked
//! before a session, after it, or both, as a plan or the config says
//! (`[[measure]]`, docs/plans.md). Also the question asked once after a
//! planned day passed without practice, "What got in the way?".
//!
//! Here are the definitions, how an answer typed on one line reads (the
//! same in both front ends), and how answers are kept in an entry. The
//! front ends ask; the plan and config readers read the
//! definitions from their files.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Longest measure name.
pub const MAX_NAME: usize = 40;
/// Most measures a plan or the config may name.
pub const MAX_MEASURES: usize = 8;
/// Most skills a "skills used" measure may offer.
pub const MAX_SKILLS: usize = 12;
/// Longest answer to "What got in the way?".
pub const MAX_IN_THE_WAY: usize = 200;

/// What kind of answer a measure takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scale {
    /// Subjective units of distress: 0 (none) to 100 (the most imaginable).
    Suds,
    /// A named scale from 0 to 10.
    Rating,
    /// Yes or no.
    YesNo,
    /// Which of these skills were used (any number of them).
    Skills(Vec<String>),
}

impl Scale {
    /// The word used in plan and config files.
    pub fn word(&self) -> &'static str {
        match self {
            Self::Suds => "suds",
            Self::Rating => "0-10",
            Self::YesNo => "yes-no",
            Self::Skills(_) => "skills",
        }
    }

    /// Whether answers are numbers whose change before → after means
    /// something.
    pub fn is_number(&self) -> bool {
        matches!(self, Self::Suds | Self::Rating)
    }
}

/// The words a plan may give `scale`.
pub const SCALE_WORDS: &[&str] = &["suds", "0-10", "yes-no", "skills"];

/// When a measure is asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ask {
    /// Before the session only.
    Before,
    /// After the session only.
    After,
    /// Before and after.
    Both,
}

/// The words a plan may give `ask`.
pub const ASK_WORDS: &[&str] = &["before", "after", "before-after"];

impl Ask {
    /// Read the word of a file.
    pub fn from_word(w: &str) -> Option<Self> {
        match w {
            "before" => Some(Self::Before),
            "after" => Some(Self::After),
            "before-after" | "both" => Some(Self::Both),
            _ => None,
        }
    }

    /// Whether it is asked at `moment`.
    pub fn at(self, moment: Moment) -> bool {
        matches!(
            (self, moment),
            (Self::Both, _) | (Self::Before, Moment::Before) | (Self::After, Moment::After)
        )
    }
}

/// Before or after a session (a check-in without a session counts as
/// "before": how things are now).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moment {
    /// Before.
    Before,
    /// After.
    After,
}

/// One measure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Measure {
    /// Its name, shown and used as its key in the journal ("distress",
    /// "chest tightness").
    pub name: String,
    /// What kind of answer.
    pub scale: Scale,
    /// When it is asked.
    pub ask: Ask,
}

/// One answer to a measure, as the journal keeps it: a number, yes or
/// no, or the skills named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Value {
    /// Yes (true) or no.
    Yes(bool),
    /// 0-10 or 0-100.
    Number(u8),
    /// The skills used.
    Tags(Vec<String>),
}

impl Value {
    /// The answer in words, for history and exports.
    pub fn words(&self) -> String {
        match self {
            Self::Yes(true) => "yes".into(),
            Self::Yes(false) => "no".into(),
            Self::Number(n) => n.to_string(),
            Self::Tags(t) if t.is_empty() => "none".into(),
            Self::Tags(t) => t.join(", "),
        }
    }
}

/// The answers of one check-in, by measure name.
pub type Answers = BTreeMap<String, Value>;

impl Measure {
    /// The question, one line: "Chest tightness, 0 to 10:".
    pub fn question(&self) -> String {
        let name = capitalised(&self.name);
        match &self.scale {
            Scale::Suds => format!("{name}, 0 (none) to 100 (the most you can imagine):"),
            Scale::Rating => format!("{name}, 0 to 10:"),
            Scale::YesNo => format!("{name}? y or n:"),
            Scale::Skills(list) => {
                let items: Vec<String> = list
                    .iter()
                    .enumerate()
                    .map(|(i, s)| format!("{} {s}", i + 1))
                    .collect();
                format!(
                    "{name}: type the numbers ({}), 0 for none:",
                    items.join(", ")
                )
            }
        }
    }

    /// Read an answer typed on one line: `Ok(None)` skips (Enter alone,
    /// "skip", "-"), `Err` says how to answer, to ask again.
    pub fn parse(&self, line: &str) -> Result<Option<Value>, String> {
        let t = line.trim();
        if t.is_empty() || t.eq_ignore_ascii_case("skip") || t == "-" {
            return Ok(None);
        }
        match &self.scale {
            Scale::Suds | Scale::Rating => {
                let max: u8 = if self.scale == Scale::Suds { 100 } else { 10 };
                match t.parse::<u8>() {
                    Ok(n) if n <= max => Ok(Some(Value::Number(n))),
                    _ => Err(format!(
                        "Type a number from 0 to {max}, or press Enter to skip."
                    )),
                }
            }
            Scale::YesNo => match t.to_ascii_lowercase().as_str() {
                "y" | "yes" => Ok(Some(Value::Yes(true))),
                "n" | "no" => Ok(Some(Value::Yes(false))),
                _ => Err("Type y or n, or press Enter to skip.".into()),
            },
            Scale::Skills(list) => {
                let how = || {
                    format!(
                        "Type the numbers of the skills used, from 1 to {}, or 0 for none.",
                        list.len()
                    )
                };
                let mut used: Vec<String> = Vec::new();
                for part in t.split(|c: char| c.is_whitespace() || c == ',') {
                    if part.is_empty() {
                        continue;
                    }
                    let n: usize = part.parse().map_err(|_| how())?;
                    if n == 0 {
                        continue;
                    }
                    let skill = list.get(n - 1).ok_or_else(how)?;
                    if !used.contains(skill) {
                        used.push(skill.clone());
                    }
                }
                Ok(Some(Value::Tags(used)))
            }
        }
    }

    /// The measures of `list` asked at `moment`, in order.
    pub fn asked_at(list: &[Measure], moment: Moment) -> Vec<Measure> {
        list.iter().filter(|m| m.ask.at(moment)).cloned().collect()
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The answers of a check-in before and after a session, short:
/// "distress 70 → 40, skills used: grounding".
pub fn short(before: &Answers, after: &Answers) -> String {
    let mut names: Vec<&String> = before.keys().chain(after.keys()).collect();
    names.sort();
    names.dedup();
    let parts: Vec<String> = names
        .into_iter()
        .map(|n| match (before.get(n), after.get(n)) {
            (Some(b), Some(a)) => format!("{n} {} → {}", b.words(), a.words()),
            (Some(b), None) => format!("{n} {}", b.words()),
            (None, Some(a)) => format!("{n}: {}", a.words()),
            (None, None) => String::new(),
        })
        .collect();
    parts.join(", ")
}

/// The question asked once after planned days passed without practice.
pub const IN_THE_WAY_QUESTION: &str = "What got in the way?";

/// Quick answers to "What got in the way?", by number.
pub const IN_THE_WAY_CHOICES: &[&str] = &[
    "I forgot",
    "no time",
    "not feeling well",
    "did not feel like it",
    "something else came up",
];

/// How to answer "What got in the way?", one line.
pub fn in_the_way_hint() -> String {
    let items: Vec<String> = IN_THE_WAY_CHOICES
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{} {c}", i + 1))
        .collect();
    format!(
        "A number ({}) or a few words. Enter alone skips.",
        items.join(", ")
    )
}

/// The answer to "What got in the way?" about some planned days, kept
/// with the next entry. Missed days are information, never a failure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InTheWay {
    /// The planned days it is about.
    pub days: Vec<NaiveDate>,
    /// The answer (a quick choice's words, or what was typed); absent when
    /// it was skipped.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<String>,
}

impl InTheWay {
    /// Read the answer typed about `days`: a choice's number gives its
    /// words, anything else is kept as typed (cut to [`MAX_IN_THE_WAY`]);
    /// Enter alone, Esc or "skip" gives no answer (and it is not asked
    /// again about those days).
    pub fn read(days: Vec<NaiveDate>, line: &str) -> Self {
        let t = line.trim();
        let answer = if t.is_empty() || t.starts_with('\u{1b}') || t.eq_ignore_ascii_case("skip") {
            None
        } else if let Some(choice) = t
            .parse::<usize>()
            .ok()
            .and_then(|n| n.checked_sub(1))
            .and_then(|i| IN_THE_WAY_CHOICES.get(i))
        {
            Some((*choice).to_owned())
        } else {
            Some(
                t.split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .chars()
                    .take(MAX_IN_THE_WAY)
                    .collect(),
            )
        };
        Self { days, answer }
    }
}

/// The days to ask "What got in the way?" about, in words: "Monday", or
/// "Monday and Tuesday".
pub fn days_words(days: &[NaiveDate]) -> String {
    let names: Vec<String> = days.iter().map(|d| d.format("%A").to_string()).collect();
    crate::text::and_list(&names)
}

/// One question of a check-in after the 0-10 feeling: a measure, or
/// "What got in the way?" about planned days without practice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Question {
    /// A measure of the plan or the config.
    Measure(Measure),
    /// What got in the way on these days.
    InTheWay(Vec<NaiveDate>),
}

impl Question {
    /// The question, one line.
    pub fn text(&self) -> String {
        match self {
            Self::Measure(m) => m.question(),
            Self::InTheWay(days) => {
                format!(
                    "{IN_THE_WAY_QUESTION} (practice was planned on {})",
                    days_words(days)
                )
            }
        }
    }

    /// How to answer it, one line.
    pub fn hint(&self) -> String {
        match self {
            Self::Measure(_) => "Enter alone skips.".into(),
            Self::InTheWay(_) => in_the_way_hint(),
        }
    }

    /// The questions asked at `moment`: the measures asked then, and
    /// before a session "What got in the way?" when there are days to
    /// ask about.
    pub fn list(measures: &[Measure], moment: Moment, missed: &[NaiveDate]) -> Vec<Question> {
        let mut out: Vec<Question> = Measure::asked_at(measures, moment)
            .into_iter()
            .map(Question::Measure)
            .collect();
        if moment == Moment::Before && !missed.is_empty() {
            out.push(Question::InTheWay(missed.to_vec()));
        }
        out
    }
}

/// What a check-in asks beyond the 0-10 feeling: the measures of the plan
/// (or the config), and the planned days without practice not yet asked
/// about.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Asks {
    /// The measures.
    pub measures: Vec<Measure>,
    /// Planned days that passed without practice, to ask "What got in the
    /// way?" about before the next session; empty when there are none.
    pub missed: Vec<NaiveDate>,
}

impl Asks {
    /// The questions at `moment`.
    pub fn questions(&self, moment: Moment) -> Vec<Question> {
        Question::list(&self.measures, moment, &self.missed)
    }
}

/// What the questions after the 0-10 feeling came to.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Replies {
    /// The measures answered.
    pub measures: Answers,
    /// The answer to "What got in the way?", when it was asked (an
    /// answer of `None` is a skip: it is not asked again about those days).
    pub in_the_way: Option<InTheWay>,
}

impl Replies {
    /// Take the line typed for `q`: `Err` says how to answer, to ask again.
    pub fn take(&mut self, q: &Question, line: &str) -> Result<(), String> {
        match q {
            Question::Measure(m) => {
                if let Some(v) = m.parse(line)? {
                    self.measures.insert(m.name.clone(), v);
                }
            }
            Question::InTheWay(days) => {
                self.in_the_way = Some(InTheWay::read(days.clone(), line));
            }
        }
        Ok(())
    }

    /// The rest of the questions, from `q` on, were skipped (Esc, a
    /// signal): "What got in the way?" counts as asked, so it is not
    /// asked again.
    pub fn skip_rest(&mut self, rest: &[Question]) {
        for q in rest {
            if let Question::InTheWay(days) = q {
                self.in_the_way.get_or_insert_with(|| InTheWay {
                    days: days.clone(),
                    answer: None,
                });
            }
        }
    }
}

/// A check-in's measures in one cell: "distress=70; skills used=grounding|paced breathing".
pub fn answers_cell(a: &Answers) -> String {
    a.iter()
        .map(|(k, v)| {
            let v = match v {
                Value::Tags(t) => t.join("|"),
                other => other.words(),
            };
            format!("{k}={v}")
        })
        .collect::<Vec<_>>()
        .join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(scale: Scale) -> Measure {
        Measure {
            name: "chest tightness".into(),
            scale,
            ask: Ask::Both,
        }
    }

    #[test]
    fn numbers_read_within_their_scale() {
        let suds = m(Scale::Suds);
        assert_eq!(suds.parse("70"), Ok(Some(Value::Number(70))));
        assert_eq!(suds.parse("100"), Ok(Some(Value::Number(100))));
        assert!(suds.parse("101").is_err());
        let r = m(Scale::Rating);
        assert_eq!(r.parse(" 6 "), Ok(Some(Value::Number(6))));
        assert!(r.parse("11").is_err_and(|e| e.contains("0 to 10")));
        assert!(r.parse("six").is_err());
        assert_eq!(r.parse(""), Ok(None));
        assert_eq!(r.parse("skip"), Ok(None));
    }

    #[test]
    fn yes_no_and_skills() {
        let y = m(Scale::YesNo);
        assert_eq!(y.parse("Y"), Ok(Some(Value::Yes(true))));
        assert_eq!(y.parse("no"), Ok(Some(Value::Yes(false))));
        assert!(y.parse("maybe").is_err());
        let s = m(Scale::Skills(vec![
            "paced breathing".into(),
            "grounding".into(),
            "opposite action".into(),
        ]));
        assert_eq!(
            s.parse("3, 1 1"),
            Ok(Some(Value::Tags(vec![
                "opposite action".into(),
                "paced breathing".into()
            ])))
        );
        assert_eq!(s.parse("0"), Ok(Some(Value::Tags(vec![]))));
        assert!(s.parse("4").is_err_and(|e| e.contains("from 1 to 3")));
        assert!(
            s.question()
                .contains("1 paced breathing, 2 grounding, 3 opposite action")
        );
    }

    #[test]
    fn answers_keep_their_shape_in_json() {
        let mut a = Answers::new();
        a.insert("distress".into(), Value::Number(60));
        a.insert("used the skill".into(), Value::Yes(true));
        a.insert("skills".into(), Value::Tags(vec!["grounding".into()]));
        let text = serde_json::to_string(&a).expect("json");
        assert_eq!(
            text,
            r#"{"distress":60,"skills":["grounding"],"used the skill":true}"#
        );
        assert_eq!(serde_json::from_str::<Answers>(&text).ok(), Some(a));
    }

    #[test]
    fn what_got_in_the_way_takes_a_number_or_words() {
        let d = vec![NaiveDate::from_ymd_opt(2026, 12, 1).expect("date")];
        assert_eq!(
            InTheWay::read(d.clone(), "2").answer.as_deref(),
            Some("no time")
        );
        assert_eq!(
            InTheWay::read(d.clone(), "  a long   shift ")
                .answer
                .as_deref(),
            Some("a long shift")
        );
        assert_eq!(InTheWay::read(d.clone(), "9").answer.as_deref(), Some("9"));
        assert_eq!(InTheWay::read(d, "").answer, None);
    }

    #[test]
    fn ask_decides_the_moment() {
        assert!(Ask::Both.at(Moment::Before) && Ask::Both.at(Moment::After));
        assert!(Ask::Before.at(Moment::Before) && !Ask::Before.at(Moment::After));
        assert!(!Ask::After.at(Moment::Before));
    }
}
