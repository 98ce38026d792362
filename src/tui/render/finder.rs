//! The resonance finder's own screens: the 0-10 question after a step,
//! and the result. Its pieces are drawn by the session screens; the
//! heart-rate trace under the ring is [`trace`].

use std::time::Instant;

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use crate::text::rate as words;

use super::super::finder::{Finder, FinderDone, RateAsk, trace_line};
use super::super::journaling::Saved;
use super::super::theme::Theme;

/// The question after a step.
pub fn rate(ask: &RateAsk, theme: Theme, frame: &mut Frame<'_>, area: Rect) {
    let (done, all) = ask.step;
    let typed = if ask.typed.is_empty() {
        "_".to_owned()
    } else {
        ask.typed.clone()
    };
    let lines = vec![
        Line::styled(
            format!("Resonance finder · step {done} of {all}"),
            theme.dim(),
        ),
        Line::raw(""),
        Line::styled(
            format!(
                "How easy and comfortable was {} breaths a minute?",
                words(ask.rate)
            ),
            theme.strong(),
        ),
        Line::raw("0 (not at all) to 10 (very)"),
        Line::raw(""),
        Line::styled(typed, theme.strong()),
        Line::raw(""),
        Line::styled(
            "type a number, then Enter · Esc stops the finder",
            theme.dim(),
        ),
    ];
    super::centered_lines(lines, 20, Alignment::Center, frame, area);
}

/// The result, what the steps scored, and whether it was saved.
pub fn done(d: &FinderDone, theme: Theme, frame: &mut Frame<'_>, area: Rect) {
    let mut lines = vec![Line::styled("Resonance finder", theme.dim()), Line::raw("")];
    match &d.found {
        Some(Ok(rate)) => lines.push(Line::styled(
            format!("Your resonance rate: {} breaths a minute", words(*rate)),
            theme.strong(),
        )),
        Some(Err(why)) => {
            lines.push(Line::styled("The result is unclear", theme.strong()));
            lines.push(Line::raw(format!(
                "{why}; no rate is saved, so try again another day."
            )));
        }
        None => lines.push(Line::styled(
            "The finder stopped before the end; nothing was saved.",
            theme.strong(),
        )),
    }
    if !d.said.is_empty() {
        lines.push(Line::raw(""));
        lines.extend(d.said.iter().map(|s| Line::styled(s.clone(), theme.dim())));
    }
    match &d.saved {
        None => {}
        Some(Saved::Saved) => {
            lines.push(Line::raw(""));
            lines.push(Line::raw("Saved to your journal."));
            if matches!(d.found, Some(Ok(_))) {
                lines.push(Line::raw(
                    "Sessions with rate = \"resonance\", and --rate resonance, now breathe at it.",
                ));
            }
        }
        Some(Saved::Failed { location, reason }) => {
            lines.push(Line::raw(""));
            lines.push(Line::styled(
                "The result could not be saved to your journal:",
                theme.warn(),
            ));
            lines.push(Line::raw(format!("{location}: {reason}")));
        }
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled("Press any key to close", theme.dim()));
    super::centered_lines(lines, 20, Alignment::Left, frame, area);
}

/// The heart-rate trace in `row` when it is on: the newest beats as
/// braille and the last beat's rate.
pub fn trace(f: &Finder, theme: Theme, frame: &mut Frame<'_>, row: Rect, now: Instant) {
    if !f.trace {
        return;
    }
    let beats = f.shown(now);
    let bpm: Vec<f64> = beats.iter().map(|b| b.bpm()).collect();
    let text = match bpm.last() {
        Some(last) => {
            let cells = usize::from(row.width.saturating_sub(10)).min(40);
            format!("{}  ♥ {last:.0}", trace_line(&bpm, cells))
        }
        None => "♥ waiting for the first beat".to_owned(),
    };
    frame.render_widget(
        Paragraph::new(text)
            .style(theme.dim())
            .alignment(Alignment::Center),
        row,
    );
}
