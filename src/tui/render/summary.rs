//! The summary after a session: time practised, cycles or rounds, each
//! round's hold, and whether it ran to the end.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::plain::human_precise;
use crate::player::Ending;

use super::super::app::Summary;
use super::super::theme::Theme;
use super::clock;

/// Draw the summary. `to_picker` says where a key goes next.
pub fn draw(s: &Summary, to_picker: bool, theme: Theme, frame: &mut Frame<'_>, area: Rect) {
    let o = &s.outcome;
    let heading = match o.ending {
        Ending::Completed => "Session complete".to_owned(),
        Ending::Stopped | Ending::Interrupted => "Session stopped (partial)".to_owned(),
    };
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
        row("Time practised", clock(o.practised)),
    ];
    if o.cycles > 0 {
        lines.push(row("Breaths", format!("{} cycles", o.cycles)));
    }
    if o.rounds > 0 || !o.holds.is_empty() {
        lines.push(row("Rounds", o.rounds.to_string()));
    }
    for (i, h) in o.holds.iter().enumerate() {
        lines.push(row(&format!("Hold, round {}", i + 1), human_precise(*h)));
    }
    lines.push(Line::raw(""));
    let next = if to_picker {
        "Press any key to go back to the sessions"
    } else {
        "Press any key to close"
    };
    lines.push(Line::styled(next, theme.dim()));
    let height = lines.len() as u16;
    let width = 44;
    let inner = super::centered(area, width, height);
    frame.render_widget(Paragraph::new(lines).alignment(Alignment::Left), inner);
}
