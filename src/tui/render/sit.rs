//! The meditation screen: quiet, with the current prompt, elapsed and
//! remaining time, and the bells marked on a progress line.

use std::time::{Duration, Instant};

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::engine::MarkKind;
use crate::engine::timeline::MarkAt;
use crate::text::{clock, human};

use super::super::app::{App, Running};
use super::super::keys::hints;

/// The cell of a progress line `width` wide that stands for `d` into a sit
/// of `len`.
fn line_cell(d: Duration, len: Duration, width: u16) -> usize {
    let len = len.as_secs_f64().max(0.001);
    ((d.as_secs_f64() / len) * f64::from(width.saturating_sub(1))).round() as usize
}

/// How far the progress line is filled at `s` in a screen `area` wide: the
/// part of the meditation screen that changes between whole seconds.
pub fn frame_parts(
    sched: &crate::engine::Schedule,
    s: &crate::engine::State<'_>,
    area: Rect,
) -> usize {
    line_cell(
        sched.as_written(s.index, s.into),
        sched.written_length(s.index),
        area.width.saturating_sub(4),
    )
}

/// Draw the meditation screen.
pub fn draw(app: &App, r: &Running, frame: &mut Frame<'_>, area: Rect, now: Instant) {
    let theme = app.opts.theme;
    let p = &r.player;
    let s = p.state(now);
    let tl = p.schedule().timeline();
    let block = s
        .segment
        .block
        .and_then(|b| tl.block_titles.get(b))
        .map(String::as_str);
    let shown = super::header_title(
        &r.title,
        block,
        tl.block_titles.len(),
        usize::from(area.width),
    );
    let (head_title, head_block) = match shown.strip_prefix(r.title.as_str()) {
        Some(rest) => (r.title.clone(), rest.to_owned()),
        None => (shown, String::new()),
    };
    let [head, _, prompt, time, _, line, hint] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(head_title, theme.strong()),
            Span::styled(head_block, theme.dim()),
        ])),
        head,
    );
    if let Some(text) = s.prompt {
        let width = prompt.width.saturating_sub(4).min(64);
        // As many lines as there is room for; "…" when even that is short.
        let lines: Vec<Line<'_>> =
            super::text::wrap_lines(text, usize::from(width), usize::from(prompt.height.max(1)))
                .into_iter()
                .map(Line::raw)
                .collect();
        let box_area = super::centered(prompt, width, lines.len() as u16);
        frame.render_widget(Paragraph::new(lines).alignment(Alignment::Center), box_area);
    }
    let open = s.segment.open;
    let time_text = if open {
        format!("{}  ·  open, up to {}", clock(s.into), human(s.length))
    } else {
        format!(
            "{} elapsed  ·  {} left",
            clock(s.into),
            clock(Duration::from_secs(super::ceil_secs(s.left_in_segment())))
        )
    };
    let word = if p.is_paused() {
        format!("{time_text}  ⏸ paused")
    } else {
        time_text
    };
    frame.render_widget(
        Paragraph::new(word)
            .style(theme.kind(s.segment.kind).patch(theme.strong()))
            .alignment(Alignment::Center),
        time,
    );

    // Progress through the sit as written, with the bells marked on it:
    // after going on to a later prompt, the line jumps there too, and
    // what it leaves unfilled is the time left.
    let width = line.width.saturating_sub(4);
    let sched = p.schedule();
    let written_len = sched.written_length(s.index);
    let at = |d: Duration| line_cell(d, written_len, width);
    let here = at(sched.as_written(s.index, s.into));
    let mut cells: Vec<char> = (0..usize::from(width))
        .map(|i| if i < here { '━' } else { '─' })
        .collect();
    for m in tl
        .marks
        .iter()
        .filter(|m| m.segment == s.index && m.kind == MarkKind::Bell)
    {
        let pos = match m.at {
            MarkAt::Offset(o) => at(o),
            MarkAt::End => usize::from(width.saturating_sub(1)),
        };
        if let Some(c) = cells.get_mut(pos) {
            *c = '◆';
        }
    }
    let bar: String = cells.into_iter().collect();
    frame.render_widget(
        Paragraph::new(bar)
            .style(theme.dim())
            .alignment(Alignment::Center),
        line,
    );
    let hint_text = if p.is_paused() {
        hints::paused()
    } else if let Some(f) = &app.finder {
        f.hint()
    } else if open {
        hints::open_sit()
    } else {
        hints::running()
    };
    frame.render_widget(
        Paragraph::new(hint_text)
            .style(theme.dim())
            .alignment(Alignment::Center),
        hint,
    );
}
