//! The summary after a session: time practised, cycles or rounds, each
//! round's hold, and whether it ran to the end.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::text::tenths;

use super::super::app::{CLOSING_WORDS, Closing, Summary};
use super::super::journaling::Saved;
use super::super::theme::Theme;

/// The closing moment: two quiet lines in the middle, the session's
/// title above them, and the way on.
pub fn closing(c: &Closing, theme: Theme, frame: &mut Frame<'_>, area: Rect) {
    let mut lines = vec![
        Line::styled(c.summary.title.clone(), theme.dim()),
        Line::raw(""),
    ];
    lines.extend(
        CLOSING_WORDS
            .iter()
            .map(|w| Line::styled(*w, theme.strong())),
    );
    let body = super::centered(area, area.width, lines.len() as u16);
    frame.render_widget(Paragraph::new(lines).alignment(Alignment::Center), body);
    let foot = Rect::new(area.x, area.bottom().saturating_sub(1), area.width, 1);
    frame.render_widget(
        Paragraph::new("any key to go on")
            .style(theme.dim())
            .alignment(Alignment::Center),
        foot,
    );
}

/// Draw the summary. `to_picker` says where a key goes next.
pub fn draw(s: &Summary, to_picker: bool, theme: Theme, frame: &mut Frame<'_>, area: Rect) {
    let o = &s.outcome;
    // The ending in the word plain mode and the journal use.
    let heading = format!("Session {}", o.ending.word());
    let row = |label: &str, value: String| {
        Line::from(vec![
            Span::styled(format!("{label:<16}"), theme.dim()),
            Span::raw(value),
        ])
    };
    let mut lines = vec![
        Line::styled(heading, theme.strong()),
        Line::raw(s.title.clone()),
        Line::raw(""),
        row("Time practised", crate::text::length(o.practised)),
    ];
    if o.cycles > 0 || o.cut_cycles > 0 {
        let mut cycles = format!("{} completed", o.cycles);
        if o.cut_cycles > 0 {
            cycles.push_str(&format!(", {} with a phase skipped", o.cut_cycles));
        }
        lines.push(row("Cycles", cycles));
    }
    if o.skipped > 0 {
        lines.push(row("Phases skipped", o.skipped.to_string()));
    }
    for p in &o.pace {
        lines.push(row("Pace", format!("{}% in {}", p.percent, p.title)));
    }
    if o.rounds > 0 || !o.holds.is_empty() {
        lines.push(row("Rounds", o.rounds.to_string()));
    }
    for (i, h) in o.holds.iter().enumerate() {
        // A hold that ran to its cap ended by itself: say so, so it is
        // not read as the person's own measure.
        let capped = o.capped.get(i).copied().unwrap_or(false);
        let value = if capped {
            format!("{} (reached its cap)", tenths(*h))
        } else {
            tenths(*h)
        };
        lines.push(row(&format!("Hold, round {}", i + 1), value));
    }
    match &s.saved {
        None => {}
        Some(Saved::Saved) => {
            lines.push(Line::raw(""));
            lines.push(Line::styled("Saved to your journal", theme.dim()));
        }
        Some(Saved::Failed { location, reason }) => {
            lines.push(Line::raw(""));
            lines.push(Line::styled(
                "This session could not be saved to your journal:",
                theme.warn(),
            ));
            lines.push(Line::raw(format!("{location}: {reason}")));
        }
    }
    lines.push(Line::raw(""));
    let next = if to_picker {
        "Press any key to go back to the sessions"
    } else {
        "Press any key to close"
    };
    lines.push(Line::styled(next, theme.dim()));
    // Wide enough for a journal path in a failure message, wrapped.
    super::centered_lines(lines, 44, Alignment::Left, frame, area);
}
