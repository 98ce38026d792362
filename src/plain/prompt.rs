//! Check-ins as line prompts, for plain mode: the question on the
//! terminal ([`Asker`] says which), the answer as one line from stdin,
//! read as [`journal::answer`](crate::journal::answer) says.

use std::io::{self, Write};

use crate::journal::answer::{
    HOW_TO_ANSWER, MAX_NOTE_CHARS, NOTE_QUESTION, SCALE, clip, parse_answer,
};
use crate::journal::measure::{Question, Replies};
use crate::journal::{Checkin, SkipReason};

/// One reply from the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    /// A line, without its newline.
    Line(String),
    /// stdin closed.
    Closed,
    /// A signal arrived (Ctrl-C, SIGTERM, SIGHUP).
    Interrupted,
}

/// What a prompt came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Asked<T> {
    /// An answer or a skip.
    Answer(T),
    /// A signal arrived while asking.
    Interrupted,
}

/// The text printed before reading the score.
pub fn score_prompt(question: &str) -> String {
    format!("{question} {SCALE}.\n{HOW_TO_ANSWER}\n> ")
}

/// Ask for a score until the answer reads or the user skips.
pub fn ask_score(
    question: &str,
    out: &mut dyn Write,
    read: &mut dyn FnMut() -> Reply,
) -> io::Result<Asked<Checkin>> {
    write!(out, "{}", score_prompt(question))?;
    out.flush()?;
    loop {
        match read() {
            Reply::Line(l) => match parse_answer(&l) {
                Ok(Some((score, words))) => {
                    return Ok(Asked::Answer(Checkin::answered(score, words)));
                }
                Ok(None) => return Ok(Asked::Answer(Checkin::skipped(SkipReason::Skipped))),
                Err(msg) => {
                    write!(out, "{msg}\n> ")?;
                    out.flush()?;
                }
            },
            Reply::Closed => {
                writeln!(out)?;
                return Ok(Asked::Answer(Checkin::skipped(SkipReason::Skipped)));
            }
            Reply::Interrupted => {
                writeln!(out)?;
                return Ok(Asked::Interrupted);
            }
        }
    }
}

/// Ask "What did you notice?": `None` when skipped.
pub fn ask_note(
    out: &mut dyn Write,
    read: &mut dyn FnMut() -> Reply,
) -> io::Result<Asked<Option<String>>> {
    write!(out, "{NOTE_QUESTION} One line; Enter alone skips.\n> ")?;
    out.flush()?;
    Ok(match read() {
        Reply::Line(l) => {
            let t = l.trim();
            if t.is_empty() || t.starts_with('\u{1b}') {
                Asked::Answer(None)
            } else {
                Asked::Answer(Some(clip(t, MAX_NOTE_CHARS)))
            }
        }
        Reply::Closed => {
            writeln!(out)?;
            Asked::Answer(None)
        }
        Reply::Interrupted => {
            writeln!(out)?;
            Asked::Interrupted
        }
    })
}

/// Ask the questions after the 0-10 feeling (measures, "What got in the
/// way?"), one line each, each asked again until its answer reads; Enter
/// alone skips one. A closed stdin skips the rest; a signal returns what
/// was answered with [`Asked::Interrupted`]'s meaning left to the caller
/// (the replies so far are kept either way).
pub fn ask_questions(
    questions: &[Question],
    out: &mut dyn Write,
    read: &mut dyn FnMut() -> Reply,
) -> io::Result<(Replies, bool)> {
    let mut replies = Replies::default();
    for (i, q) in questions.iter().enumerate() {
        write!(out, "{}\n{}\n> ", q.text(), q.hint())?;
        out.flush()?;
        loop {
            match read() {
                Reply::Line(l) => match replies.take(q, &l) {
                    Ok(()) => break,
                    Err(msg) => {
                        write!(out, "{msg}\n> ")?;
                        out.flush()?;
                    }
                },
                Reply::Closed => {
                    writeln!(out)?;
                    replies.skip_rest(&questions[i..]);
                    return Ok((replies, false));
                }
                Reply::Interrupted => {
                    writeln!(out)?;
                    replies.skip_rest(&questions[i..]);
                    return Ok((replies, true));
                }
            }
        }
    }
    Ok((replies, false))
}

/// Where plain mode asks its questions. Standard output when it is the
/// terminal; the terminal itself (`/dev/tty`) when the output goes to a
/// file or a pipe but the keyboard is still a terminal
/// (`exhale run box > log.txt`), so the log holds only the session and
/// the person sees what they are asked.
pub enum Asker {
    /// Standard output is the terminal.
    Stdout,
    /// The terminal, opened apart from standard output.
    Tty(std::fs::File),
}

impl Asker {
    /// Where to ask, when someone can answer (`interactive`: stdin is a
    /// terminal); `None` when there is nowhere to show the questions.
    pub fn find(interactive: bool) -> Option<Self> {
        if !interactive {
            return None;
        }
        if crate::tty::stdout_is_terminal() {
            return Some(Asker::Stdout);
        }
        std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/tty")
            .ok()
            .map(Asker::Tty)
    }

    /// The writer to ask on, given standard output.
    pub fn on<'a>(&'a mut self, out: &'a mut dyn std::io::Write) -> &'a mut dyn std::io::Write {
        match self {
            Asker::Stdout => out,
            Asker::Tty(f) => f,
        }
    }

    /// Also say `line` on the terminal when the questions go there: the
    /// log on standard output has it already.
    pub fn echo(&mut self, line: &str) {
        if let Asker::Tty(f) = self {
            let _ = writeln!(f, "{line}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::answer::{AFTER_QUESTION, BEFORE_QUESTION};

    #[test]
    fn asks_again_then_records_the_answer() {
        let mut replies = vec![Reply::Line("12".into()), Reply::Line("6 ok".into())].into_iter();
        let mut out = Vec::new();
        let got = ask_score(BEFORE_QUESTION, &mut out, &mut || {
            replies.next().unwrap_or(Reply::Closed)
        })
        .expect("io");
        assert_eq!(got, Asked::Answer(Checkin::answered(6, Some("ok".into()))));
        let text = String::from_utf8(out).expect("utf8");
        insta::assert_snapshot!(text);
    }

    #[test]
    fn a_signal_while_asking_is_reported() {
        let mut out = Vec::new();
        let got = ask_score(AFTER_QUESTION, &mut out, &mut || Reply::Interrupted).expect("io");
        assert_eq!(got, Asked::Interrupted);
    }

    #[test]
    fn measures_are_asked_one_line_each_and_asked_again_until_they_read() {
        use crate::journal::measure::{Ask, Measure, Scale, Value};
        let qs = vec![
            Question::Measure(Measure {
                name: "distress".into(),
                scale: Scale::Suds,
                ask: Ask::Both,
            }),
            Question::Measure(Measure {
                name: "used a skill".into(),
                scale: Scale::YesNo,
                ask: Ask::Both,
            }),
            Question::InTheWay(vec![
                chrono::NaiveDate::from_ymd_opt(2026, 12, 1).expect("date"),
            ]),
        ];
        let mut replies = vec![
            Reply::Line("150".into()),
            Reply::Line("65".into()),
            Reply::Line(String::new()),
            Reply::Line("2".into()),
        ]
        .into_iter();
        let mut out = Vec::new();
        let (got, interrupted) = ask_questions(&qs, &mut out, &mut || {
            replies.next().unwrap_or(Reply::Closed)
        })
        .expect("io");
        assert!(!interrupted);
        assert_eq!(got.measures.get("distress"), Some(&Value::Number(65)));
        assert!(!got.measures.contains_key("used a skill"));
        assert_eq!(
            got.in_the_way.and_then(|w| w.answer).as_deref(),
            Some("no time")
        );
        let text = String::from_utf8(out).expect("utf8");
        assert!(text.contains("Distress, 0 (none) to 100"), "{text}");
        assert!(text.contains("Type a number from 0 to 100"), "{text}");
        assert!(
            text.contains("What got in the way? (practice was planned on Tuesday)"),
            "{text}"
        );
    }

    #[test]
    fn the_note_prompt() {
        let mut out = Vec::new();
        let got =
            ask_note(&mut out, &mut || Reply::Line("  shoulders dropped ".into())).expect("io");
        assert_eq!(got, Asked::Answer(Some("shoulders dropped".into())));
        insta::assert_snapshot!(String::from_utf8(out).expect("utf8"));
    }
}
