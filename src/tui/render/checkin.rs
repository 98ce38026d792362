//! The check-in box: the question, the 0 to 10 scale with the typed
//! score picked out, and the line being typed (the score, then the note).

use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Widget as _, Wrap};

use crate::journal::answer::{AFTER_QUESTION, BEFORE_QUESTION, NOTE_QUESTION};

use super::super::checkin::{CheckinState, EnterWill, Moment, Stage};

/// Draw the check-in into `area`.
pub fn render(state: &CheckinState, area: Rect, buf: &mut Buffer) {
    if let (Stage::Question(i), Some(q)) = (state.stage, state.current_question()) {
        let dim = Style::default().add_modifier(Modifier::DIM);
        let mut lines = vec![
            Line::from(format!("Question {} of {}", i + 1, state.questions.len()))
                .alignment(Alignment::Center)
                .style(dim),
            Line::default(),
            Line::from(q.text()),
            Line::default(),
            Line::from(format!("> {}_", state.line)),
            Line::default(),
        ];
        lines.push(match &state.question_error {
            Some(e) => Line::from(e.as_str()),
            None => Line::from(q.hint()).style(dim),
        });
        lines.push(Line::from("Enter to go on · Esc to skip the rest").style(dim));
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .block(Block::bordered().title(" Check-in "))
            .render(area, buf);
        return;
    }
    let question = match state.moment {
        Moment::Before | Moment::Diary => BEFORE_QUESTION,
        Moment::After => AFTER_QUESTION,
    };
    let dim = Style::default().add_modifier(Modifier::DIM);
    let picked = state.typed_score();
    // In a narrow window (the smallest is 40 columns) the scale and its
    // ends are drawn closer together so each stays on one line.
    let narrow = area.width < 47;
    let mut scale = Vec::new();
    for n in 0..=10u8 {
        let style = if picked == Some(n) {
            Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD)
        } else {
            Style::default()
        };
        let cell = if narrow {
            format!("{n}")
        } else {
            format!(" {n} ")
        };
        scale.push(Span::styled(cell, style));
        if n < 10 {
            scale.push(Span::raw(" "));
        }
    }
    let mut lines = vec![
        Line::from(question).alignment(Alignment::Center),
        Line::default(),
        Line::from(scale).alignment(Alignment::Center),
        Line::from(vec![
            Span::raw("0 very unsettled"),
            Span::raw(if narrow { " · " } else { "          " }),
            Span::raw("10 calm and at ease"),
        ])
        .alignment(Alignment::Center)
        .style(dim),
        Line::default(),
    ];
    match state.stage {
        Stage::Score => {
            lines.push(Line::from(format!("> {}_", state.answer)));
            lines.push(Line::default());
            let keep = match state.moment {
                Moment::Before => "Enter again keeps the words without a number",
                Moment::After | Moment::Diary => "Enter again keeps the words as your note",
            };
            // The hint says what Enter will do with the line as it stands.
            let (say, enter) = match state.enter_will() {
                EnterWill::Skip => (None, "Enter or Esc to skip"),
                EnterWill::Answer => (None, "Enter to go on · Esc to skip"),
                EnterWill::AskAgain => (None, "No number: Enter asks once more · Esc to skip"),
                EnterWill::KeepWords => (Some("No number there. Type one if you like;"), keep),
                EnterWill::Retry => (state.error, "Enter: a number from 0 to 10 · Esc to skip"),
            };
            let said = match say {
                Some(e) => Line::from(e),
                None => Line::from("A number, then a word or two if you like.").style(dim),
            };
            lines.push(said);
            lines.push(Line::from(enter).style(dim));
        }
        Stage::Question(_) => {}
        Stage::Note => {
            lines.push(Line::from(format!("> {}", state.answer.trim())).style(dim));
            lines.push(Line::default());
            lines.push(Line::from(NOTE_QUESTION));
            lines.push(Line::from(format!("> {}_", state.note)));
            lines.push(Line::default());
            lines.push(Line::from("Enter to save · Esc to leave it out").style(dim));
        }
    }
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .block(Block::bordered().title(" Check-in "))
        .render(area, buf);
}
