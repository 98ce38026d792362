//! Check-ins as line prompts, for plain mode: the question on the
//! terminal ([`Asker`] says which), the answer as one line from stdin,
//! read as [`journal::answer`](crate::journal::answer) says.

use std::io::{self, Write};

use crate::journal::answer::{
    HOW_TO_ANSWER, MAX_NOTE_CHARS, NOTE_QUESTION, SCALE, clip, parse_answer,
};
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
    fn the_note_prompt() {
        let mut out = Vec::new();
        let got =
            ask_note(&mut out, &mut || Reply::Line("  shoulders dropped ".into())).expect("io");
        assert_eq!(got, Asked::Answer(Some("shoulders dropped".into())));
        insta::assert_snapshot!(String::from_utf8(out).expect("utf8"));
    }
}
