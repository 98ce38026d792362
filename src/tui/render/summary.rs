//! The summary after a session: time practised, cycles or rounds, each
//! round's hold, and whether it ran to the end.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::engine::player::Ending;
use crate::text::{clock, count, tenths};

use super::super::app::Summary;
use super::super::journaling::Saved;
use super::super::theme::Theme;

/// Draw the summary. `to_picker` says where a key goes next.
pub fn draw(s: &Summary, to_picker: bool, theme: Theme, frame: &mut Frame<'_>, area: Rect) {
    let o = &s.outcome;
    let heading = match o.ending {
        Ending::Completed if o.skipped > 0 => "Session finished early".to_owned(),
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
        lines.push(row("Breaths", count(o.cycles, "cycle")));
    }
    if o.skipped > 0 {
        lines.push(row("Skipped", count(o.skipped, "phase")));
    }
    if o.rounds > 0 || !o.holds.is_empty() {
        lines.push(row("Rounds", o.rounds.to_string()));
    }
    for (i, h) in o.holds.iter().enumerate() {
        lines.push(row(&format!("Hold, round {}", i + 1), tenths(*h)));
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
    let width = lines
        .iter()
        .map(Line::width)
        .max()
        .unwrap_or(0)
        .clamp(44, usize::from(area.width.saturating_sub(4)).max(44)) as u16;
    let height: usize = lines
        .iter()
        .map(|l| l.width().div_ceil(usize::from(width.max(1))).max(1))
        .sum();
    let inner = super::centered(area, width, height as u16);
    frame.render_widget(
        Paragraph::new(lines)
            .alignment(Alignment::Left)
            .wrap(ratatui::widgets::Wrap { trim: false }),
        inner,
    );
}
