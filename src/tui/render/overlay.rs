//! What is drawn over or instead of a screen: the cautions before a
//! session, the keys overlay, the stop question, a short notice, and the
//! "window too small" message.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::super::app::Prepared;
use super::super::theme::Theme;
use super::{MIN_SIZE, centered};

/// The message shown when the window is below 40x12.
pub fn too_small(frame: &mut Frame<'_>, area: Rect) {
    let text = format!(
        "Make the window at least {}x{} (now {}x{})",
        MIN_SIZE.0, MIN_SIZE.1, area.width, area.height
    );
    let lines = if area.height >= 2 { 2 } else { 1 };
    frame.render_widget(
        Paragraph::new(text)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        centered(area, area.width, lines),
    );
}

/// The cautions before the first breath.
pub fn caution(p: &Prepared, theme: Theme, frame: &mut Frame<'_>, area: Rect) {
    let width = area.width.saturating_sub(4).min(72);
    let mut lines = vec![
        Line::styled(p.session.title.clone(), theme.strong()),
        Line::raw(""),
        Line::styled("Before you begin", theme.warn()),
        Line::raw(""),
    ];
    for c in &p.session.cautions {
        lines.push(Line::raw(format!("! {}", c.text)));
        lines.push(Line::raw(""));
    }
    lines.push(Line::styled("Enter to begin · Esc to go back", theme.dim()));
    let height: usize = lines
        .iter()
        .map(|l| l.width().div_ceil(usize::from(width.max(1))).max(1))
        .sum();
    let height = (height as u16).min(area.height);
    let para = Paragraph::new(lines).wrap(Wrap { trim: true });
    frame.render_widget(para, centered(area, width, height));
}

/// The keys overlay: the picker's keys or the session's.
pub fn help(in_picker: bool, theme: Theme, frame: &mut Frame<'_>, area: Rect) {
    let picker_keys = [
        ("letters", "filter by name, title or tag"),
        ("↑  ↓", "move"),
        ("Enter", "start the selected session"),
        ("Bksp", "remove a letter of the filter"),
        ("Tab", "your practice: minutes, days, check-ins"),
        ("Esc", "clear the filter, then quit"),
        ("Ctrl-C", "quit"),
    ];
    let session_keys = [
        ("Space", "pause / resume; end a hold or an open sit"),
        ("Enter", "end a hold or an open sit"),
        ("n  →", "skip to the next phase"),
        ("q  Esc", "stop (asks first)"),
        ("m", "sound on / off"),
        ("+  -", "volume"),
        ("?", "this help"),
        ("Ctrl-C", "stop now"),
    ];
    let keys: &[(&str, &str)] = if in_picker {
        &picker_keys
    } else {
        &session_keys
    };
    let mut lines: Vec<Line<'_>> = keys
        .iter()
        .map(|(k, what)| Line::raw(format!(" {k:<8} {what}")))
        .collect();
    lines.push(Line::raw(""));
    lines.push(Line::styled(" any key to close", theme.dim()));
    let h = lines.len() as u16 + 2;
    let r = centered(area, 58, h);
    frame.render_widget(Clear, r);
    frame.render_widget(
        Paragraph::new(lines)
            .block(Block::bordered().title(" Keys "))
            .wrap(Wrap { trim: false }),
        r,
    );
}

/// "Stop here?"
pub fn confirm_stop(theme: Theme, frame: &mut Frame<'_>, area: Rect) {
    let lines = vec![
        Line::styled("Stop here?", theme.strong()),
        Line::raw(""),
        Line::raw("Enter or q to stop · Esc to continue"),
    ];
    let r = centered(area, 40, 5);
    frame.render_widget(Clear, r);
    frame.render_widget(
        Paragraph::new(lines)
            .alignment(Alignment::Center)
            .block(Block::bordered()),
        r,
    );
}

/// A short notice in the top right corner ("volume 60%").
pub fn notice(text: &str, theme: Theme, frame: &mut Frame<'_>, area: Rect) {
    let w = (text.chars().count() as u16 + 2).min(area.width);
    let r = Rect::new(area.right() - w, area.y + 1, w, 1);
    frame.render_widget(Clear, r);
    frame.render_widget(
        Paragraph::new(text)
            .style(theme.strong())
            .alignment(Alignment::Center),
        r,
    );
}
