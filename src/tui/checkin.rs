//! The check-in in the full-screen app: its state, and
//! [`CheckinState::handle_key`] turning a key into a [`CheckinAction`].
//! It reads no clock and no terminal, so it is tested with plain key
//! events; `render::checkin` draws it.
//!
//! The answer is one line, the same as in plain mode: a number from 0 to
//! 10 ("7", "10"), optionally followed by a word or two ("4 tense"). Enter
//! on an empty line or Esc skips. After a session a second line asks
//! "What did you notice?". Words without a number ("calm") are asked
//! about once; a second Enter keeps them, as the check-in's words before
//! a session and as the note after one.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::journal::answer::{MAX_NOTE_CHARS, MAX_WORDS_CHARS, clip, parse_answer, words_only};
use crate::journal::measure::{InTheWay, MAX_IN_THE_WAY, Question, Replies};
use crate::journal::{Checkin, SkipReason};

/// Before or after the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moment {
    /// Before: score and words.
    Before,
    /// After: score and words, then the note.
    After,
    /// A check-in with no session (`exhale checkin`): as after a session,
    /// asked as "How are you feeling?".
    Diary,
}

impl Moment {
    /// Whether the note is asked at the end.
    pub fn asks_note(self) -> bool {
        matches!(self, Self::After | Self::Diary)
    }
}

/// Which line is being typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// The score (and words).
    Score,
    /// One of the questions after it (a measure, "What got in the way?"),
    /// by its place in [`CheckinState::questions`].
    Question(usize),
    /// The note (after a session only).
    Note,
}

/// The finished check-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckinResult {
    /// Score and words, or skipped.
    pub checkin: Checkin,
    /// The note (after a session only).
    pub note: Option<String>,
    /// The answer to "What got in the way?", when it was asked.
    pub in_the_way: Option<InTheWay>,
}

/// What the host should do after a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckinAction {
    /// Keep showing the check-in (redraw).
    Continue,
    /// The check-in is finished.
    Done(CheckinResult),
    /// Ctrl-C: the host decides (normally: record what there is and quit).
    Quit,
}

/// The check-in being answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckinState {
    /// Before or after.
    pub moment: Moment,
    /// Which line is being typed.
    pub stage: Stage,
    /// The score line as typed.
    pub answer: String,
    /// The note as typed.
    pub note: String,
    /// The check-in once the score line is done.
    pub checkin: Option<Checkin>,
    /// Shown when the score line does not read.
    pub error: Option<&'static str>,
    /// Whether Enter was pressed once on words without a number: a
    /// second Enter keeps them (as the check-in's words before a session,
    /// as the note after one).
    pub words_asked: bool,
    /// The questions after the score line: the plan's or the config's
    /// measures, and "What got in the way?".
    pub questions: Vec<Question>,
    /// The answer to the current question as typed.
    pub line: String,
    /// The questions' answers so far.
    pub replies: Replies,
    /// Shown when the current question's answer does not read.
    pub question_error: Option<String>,
    /// Whether the note was given already (words without a number after
    /// a session), so it is not asked for again.
    pub note_given: bool,
}

/// What Enter does on the score line as it stands, for the hint under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EnterWill {
    /// Nothing typed: skip.
    Skip,
    /// A number: take it (and the words after it).
    Answer,
    /// Words without a number, asked about once: ask once more.
    AskAgain,
    /// Words without a number, asked about already: keep them.
    KeepWords,
    /// Something that does not read (a number out of range): ask again.
    Retry,
}

impl CheckinState {
    /// A fresh check-in.
    pub fn new(moment: Moment) -> Self {
        Self {
            moment,
            stage: Stage::Score,
            answer: String::new(),
            note: String::new(),
            checkin: None,
            error: None,
            words_asked: false,
            questions: Vec::new(),
            line: String::new(),
            replies: Replies::default(),
            question_error: None,
            note_given: false,
        }
    }

    /// A fresh check-in that asks `questions` after the score line.
    pub fn with_questions(moment: Moment, questions: Vec<Question>) -> Self {
        Self {
            questions,
            ..Self::new(moment)
        }
    }

    /// The question being asked, on [`Stage::Question`].
    pub fn current_question(&self) -> Option<&Question> {
        match self.stage {
            Stage::Question(i) => self.questions.get(i),
            _ => None,
        }
    }

    /// What Enter would do now on the score line.
    pub fn enter_will(&self) -> EnterWill {
        match parse_answer(&self.answer) {
            Ok(None) => EnterWill::Skip,
            Ok(Some(_)) => EnterWill::Answer,
            Err(_) if words_only(&self.answer).is_none() => EnterWill::Retry,
            Err(_) if self.words_asked => EnterWill::KeepWords,
            Err(_) => EnterWill::AskAgain,
        }
    }

    /// Keep words typed without a number: before a session as the
    /// check-in's words (no score), after one as the note.
    fn keep_words(&mut self, words: String) -> CheckinAction {
        match self.moment {
            Moment::Before => self.done(Checkin {
                score: None,
                words: Some(words),
                ..Checkin::default()
            }),
            Moment::After | Moment::Diary => {
                self.note = clip(&words, MAX_NOTE_CHARS);
                self.note_given = true;
                self.checkin = Some(Checkin::skipped(SkipReason::Skipped));
                if self.questions.is_empty() {
                    return self.finish();
                }
                self.stage = Stage::Question(0);
                CheckinAction::Continue
            }
        }
    }

    /// The check-in as answered so far, finished: the score line, the
    /// questions' answers, the note when it was given.
    fn finish(&mut self) -> CheckinAction {
        let mut checkin = self
            .checkin
            .clone()
            .unwrap_or_else(|| Checkin::skipped(SkipReason::Skipped));
        checkin.measures = std::mem::take(&mut self.replies.measures);
        let note = self.note.trim();
        CheckinAction::Done(CheckinResult {
            checkin,
            note: (self.note_given && !note.is_empty()).then(|| note.to_owned()),
            in_the_way: self.replies.in_the_way.take(),
        })
    }

    /// Esc: the rest is skipped ("What got in the way?" counts as asked,
    /// so it is not asked again).
    fn skip_rest(&mut self, from: usize) -> CheckinAction {
        let rest = self.questions.get(from..).unwrap_or_default().to_vec();
        self.replies.skip_rest(&rest);
        self.finish()
    }

    /// After the last question: the note after a session when something
    /// was answered, otherwise the end.
    fn after_questions(&mut self) -> CheckinAction {
        let answered = self.checkin.as_ref().is_some_and(|c| c.skipped.is_none())
            || !self.replies.measures.is_empty();
        if self.moment.asks_note() && answered && !self.note_given {
            self.stage = Stage::Note;
            return CheckinAction::Continue;
        }
        self.finish()
    }

    /// The score typed so far, if the line starts with one.
    pub fn typed_score(&self) -> Option<u8> {
        parse_answer(&self.answer).ok().flatten().map(|(s, _)| s)
    }

    fn done(&mut self, checkin: Checkin) -> CheckinAction {
        if !self.questions.is_empty() {
            self.checkin = Some(checkin);
            self.stage = Stage::Question(0);
            return CheckinAction::Continue;
        }
        if self.moment.asks_note() && checkin.skipped.is_none() {
            self.checkin = Some(checkin);
            self.stage = Stage::Note;
            return CheckinAction::Continue;
        }
        self.checkin = Some(checkin);
        self.finish()
    }

    fn finish_note(&mut self, keep: bool) -> CheckinAction {
        self.note_given = keep;
        self.finish()
    }

    /// A key on question `i`.
    fn question_key(&mut self, i: usize, key: KeyEvent) -> CheckinAction {
        match key.code {
            KeyCode::Esc => self.skip_rest(i),
            KeyCode::Enter => {
                let Some(q) = self.questions.get(i).cloned() else {
                    return self.after_questions();
                };
                match self.replies.take(&q, &self.line) {
                    Ok(()) => {
                        self.line.clear();
                        self.question_error = None;
                        if i + 1 < self.questions.len() {
                            self.stage = Stage::Question(i + 1);
                            CheckinAction::Continue
                        } else {
                            self.after_questions()
                        }
                    }
                    Err(msg) => {
                        self.question_error = Some(msg);
                        CheckinAction::Continue
                    }
                }
            }
            KeyCode::Backspace => {
                self.line.pop();
                self.question_error = None;
                CheckinAction::Continue
            }
            KeyCode::Char(c) if self.line.chars().count() < MAX_IN_THE_WAY => {
                self.line.push(c);
                self.question_error = None;
                CheckinAction::Continue
            }
            _ => CheckinAction::Continue,
        }
    }

    /// Handle one key (presses only; releases and repeats of modifiers are
    /// ignored).
    pub fn handle_key(&mut self, key: KeyEvent) -> CheckinAction {
        if key.kind != KeyEventKind::Press {
            return CheckinAction::Continue;
        }
        if key.modifiers.contains(KeyModifiers::CONTROL) {
            return match key.code {
                KeyCode::Char('c') => CheckinAction::Quit,
                _ => CheckinAction::Continue,
            };
        }
        match self.stage {
            Stage::Question(i) => self.question_key(i, key),
            Stage::Score => match key.code {
                KeyCode::Esc => {
                    self.checkin = Some(Checkin::skipped(SkipReason::Skipped));
                    self.skip_rest(0)
                }
                KeyCode::Enter => match parse_answer(&self.answer) {
                    Ok(Some((score, words))) => self.done(Checkin::answered(score, words)),
                    Ok(None) => self.done(Checkin::skipped(SkipReason::Skipped)),
                    Err(msg) => match words_only(&self.answer) {
                        Some(words) if self.words_asked => self.keep_words(words),
                        Some(_) => {
                            // Asked once more: perhaps the number was
                            // forgotten; a second Enter keeps the words.
                            self.words_asked = true;
                            CheckinAction::Continue
                        }
                        None => {
                            self.error = Some(msg);
                            CheckinAction::Continue
                        }
                    },
                },
                KeyCode::Backspace => {
                    self.answer.pop();
                    self.error = None;
                    self.words_asked = false;
                    CheckinAction::Continue
                }
                KeyCode::Up | KeyCode::Right => {
                    self.nudge(1);
                    CheckinAction::Continue
                }
                KeyCode::Down | KeyCode::Left => {
                    self.nudge(-1);
                    CheckinAction::Continue
                }
                KeyCode::Char(c) if self.answer.chars().count() < MAX_WORDS_CHARS + 3 => {
                    self.answer.push(c);
                    self.error = None;
                    self.words_asked = false;
                    CheckinAction::Continue
                }
                _ => CheckinAction::Continue,
            },
            Stage::Note => match key.code {
                KeyCode::Esc => self.finish_note(false),
                KeyCode::Enter => self.finish_note(true),
                KeyCode::Backspace => {
                    self.note.pop();
                    CheckinAction::Continue
                }
                KeyCode::Char(c) if self.note.chars().count() < MAX_NOTE_CHARS => {
                    self.note.push(c);
                    CheckinAction::Continue
                }
                _ => CheckinAction::Continue,
            },
        }
    }

    /// Arrow keys move the score, keeping any words typed after it.
    fn nudge(&mut self, by: i8) {
        let rest: String = self
            .answer
            .trim_start()
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .to_owned();
        let score = self
            .typed_score()
            .map_or(5, |s| (i16::from(s) + i16::from(by)).clamp(0, 10));
        self.answer = format!("{score}{rest}");
        self.error = None;
    }
}
