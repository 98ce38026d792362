//! `exhale checkin --plain`: a check-in with no session, one question a
//! line on standard output, the answers read one a line from standard
//! input, a terminal or a pipe (so a script can feed them). A signal ends
//! it at once and keeps what was answered.

use std::io::Write as _;

use chrono::{DateTime, FixedOffset};

use super::input::Inputs;
use super::prompt::{self, Asked, Reply};
use crate::journal::answer::BEFORE_QUESTION;
use crate::journal::measure::{Measure, Question};
use crate::journal::{Checkin, SkipReason};
use crate::signals::Signal;

/// What the check-in came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answered {
    /// The feeling and measures, and the note; `None` when a signal came
    /// before anything was answered.
    pub answers: Option<(Checkin, Option<String>)>,
    /// The signal that ended it, if one did.
    pub signal: Option<Signal>,
}

/// Ask the check-in: the feeling, every measure, the note.
pub fn ask(measures: &[Measure], at: Option<DateTime<FixedOffset>>) -> Answered {
    let inputs = Inputs::start(true);
    let mut out = std::io::stdout().lock();
    if let Some(at) = at {
        let _ = writeln!(
            out,
            "A check-in about {}, written now.",
            at.format("%a %-d %b, %H:%M")
        );
    }
    let questions: Vec<Question> = measures.iter().cloned().map(Question::Measure).collect();
    let got = answer(&questions, &mut out, &mut || inputs.reply());
    let _ = out.flush();
    Answered {
        answers: got,
        signal: inputs.ended_by(),
    }
}

/// The questions asked on `out`, each answer from `read`: `None` when
/// interrupted before any answer.
pub fn answer(
    questions: &[Question],
    out: &mut dyn std::io::Write,
    read: &mut dyn FnMut() -> Reply,
) -> Option<(Checkin, Option<String>)> {
    let mut c = match prompt::ask_score(BEFORE_QUESTION, out, read) {
        Ok(Asked::Answer(c)) => c,
        Ok(Asked::Interrupted) | Err(_) => return None,
    };
    if c.skipped == Some(SkipReason::Skipped) {
        c.skipped = None;
    }
    match prompt::ask_questions(questions, out, read) {
        Ok((replies, false)) => c.measures = replies.measures,
        Ok((replies, true)) => {
            c.measures = replies.measures;
            return Some((c, None));
        }
        Err(_) => return Some((c, None)),
    }
    match prompt::ask_note(out, read) {
        Ok(Asked::Answer(n)) => Some((c, n)),
        _ => Some((c, None)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::measure::{Ask, Scale, Value};

    #[test]
    fn the_feeling_every_measure_and_the_note_are_asked_in_order() {
        let qs = vec![Question::Measure(Measure {
            name: "distress".into(),
            scale: Scale::Suds,
            ask: Ask::After,
        })];
        let mut lines = vec!["3 restless", "85", "long day"].into_iter();
        let mut out = Vec::new();
        let got = answer(&qs, &mut out, &mut || {
            lines
                .next()
                .map_or(Reply::Closed, |l| Reply::Line(l.into()))
        })
        .expect("answered");
        assert_eq!(got.0.score, Some(3));
        assert_eq!(got.0.words.as_deref(), Some("restless"));
        assert_eq!(got.0.measures.get("distress"), Some(&Value::Number(85)));
        assert_eq!(got.1.as_deref(), Some("long day"));
        let text = String::from_utf8(out).expect("utf8");
        let order: Vec<usize> = ["How are you feeling?", "Distress", "What did you notice?"]
            .iter()
            .map(|q| text.find(q).unwrap_or(usize::MAX))
            .collect();
        assert!(order.windows(2).all(|w| w[0] < w[1]), "{text}");
    }
}
