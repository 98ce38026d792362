//! The stats screen's chart: minutes per day over the last 30 days as a
//! bar chart, with the days practised and the average check-in change
//! around it. A pure function of computed [`Stats`]: no clock, no terminal.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Paragraph, Widget as _};

use crate::journal::stats::{Stats, checkin_line, days_line};

/// Draw the stats screen into `area`.
pub fn render(stats: &Stats, area: Rect, buf: &mut Buffer) {
    let block = Block::bordered().title(" Your practice ");
    let inner = block.inner(area);
    block.render(area, buf);
    if stats.sessions == 0 {
        // Nothing to chart yet: say what will be here, not a row of zeros.
        let dim = Style::default().add_modifier(Modifier::DIM);
        let lines = vec![
            Line::from("Your practice will show here."),
            Line::default(),
            Line::from("After each session: the minutes a day, the days you").style(dim),
            Line::from("practised, and how you felt before and after.").style(dim),
        ];
        let box_area = super::centered(inner, 56, lines.len() as u16);
        Paragraph::new(lines)
            .alignment(ratatui::layout::Alignment::Center)
            .render(box_area, buf);
        return;
    }
    let [head, chart, axis, foot] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(3),
        Constraint::Length(1),
        Constraint::Length(2),
    ])
    .areas(inner);

    let most = stats.days.iter().map(|d| d.minutes).fold(0.0, f64::max);
    Paragraph::new(vec![
        Line::from(days_line(stats)),
        Line::from(format!(
            "Time a day (most: {})",
            crate::text::length_secs(most * 60.0)
        ))
        .style(Style::default().add_modifier(Modifier::DIM)),
    ])
    .render(head, buf);

    // One column per day, as wide as fits (at most 3 cells with a gap).
    let n = stats.days.len().max(1) as u16;
    let width = (chart.width / n).clamp(1, 3);
    let gap = u16::from(width > 1);
    let bar_width = width.saturating_sub(gap).max(1);
    let bars: Vec<Bar<'_>> = stats
        .days
        .iter()
        .map(|d| {
            Bar::new(d.minutes.round() as u64)
                .label(Line::default())
                .text_value(String::new())
        })
        .collect();
    BarChart::default()
        .data(BarGroup::default().bars(&bars))
        .bar_width(bar_width)
        .bar_gap(gap)
        .render(chart, buf);

    // The first and last day under the ends of the chart.
    if let (Some(first), Some(last)) = (stats.days.first(), stats.days.last()) {
        let used = (width * n).saturating_sub(gap).min(axis.width);
        let left = first.day.format("%-d %b").to_string();
        let right = last.day.format("%-d %b").to_string();
        let pad = (used as usize).saturating_sub(left.len() + right.len());
        Paragraph::new(Line::from(format!("{left}{}{right}", " ".repeat(pad))))
            .style(Style::default().add_modifier(Modifier::DIM))
            .render(axis, buf);
    }

    let mut foot_lines = vec![Line::from(checkin_line(stats))];
    if let Some(s) = stats.streak {
        foot_lines.push(Line::from(format!(
            "{} in a row",
            crate::text::count(s, "day")
        )));
    }
    Paragraph::new(foot_lines).render(foot, buf);
}
