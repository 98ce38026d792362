//! What is drawn over or instead of a screen: the cautions before a
//! session, the keys overlay, the stop question, a short notice, and the
//! "window too small" message.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

use super::super::app::Prepared;
use super::super::keys;
use super::super::theme::Theme;
use super::{MIN_SIZE, centered, text};

/// The message shown when the window is below 40x12.
/// `paused` says the session was paused because of it.
pub fn too_small(paused: bool, frame: &mut Frame<'_>, area: Rect) {
    let text = if paused {
        format!(
            "Paused: make the window at least {}x{} (now {}x{})",
            MIN_SIZE.0, MIN_SIZE.1, area.width, area.height
        )
    } else {
        format!(
            "Make the window at least {}x{} (now {}x{})",
            MIN_SIZE.0, MIN_SIZE.1, area.width, area.height
        )
    };
    let lines = area.height.min(3);
    frame.render_widget(
        Paragraph::new(text)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        centered(area, area.width, lines),
    );
}

/// The cautions' text, wrapped to `width`: the title, the heading, and
/// each caution with a hanging indent.
fn caution_lines(p: &Prepared, theme: Theme, width: usize) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    for l in text::wrap(&p.session.title, width) {
        lines.push(Line::styled(l, theme.strong()));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled("Before you begin", theme.warn()));
    lines.push(Line::raw(""));
    for c in &p.session.cautions {
        for (i, l) in text::wrap(&c.text, width.saturating_sub(2))
            .into_iter()
            .enumerate()
        {
            let mark = if i == 0 { "! " } else { "  " };
            lines.push(Line::raw(format!("{mark}{l}")));
        }
        lines.push(Line::raw(""));
    }
    lines.pop();
    lines
}

/// Where the cautions go in `area`: the text's width, the rows it may
/// use (the last row always keeps the keys; when the text does not fit,
/// the row above says there is more).
fn caution_frame(area: Rect) -> (u16, u16) {
    let width = area.width.saturating_sub(4).min(72);
    (width, area.height.saturating_sub(3))
}

/// How far the cautions can scroll down in `area` (0 when they fit).
pub fn caution_max_scroll(p: &Prepared, area: Rect) -> u16 {
    let (width, rows) = caution_frame(area);
    let n = caution_lines(p, Theme::new(false), usize::from(width)).len();
    let n = u16::try_from(n).unwrap_or(u16::MAX);
    n.saturating_sub(rows)
}

/// The cautions before the first breath, scrolled down by `scroll`
/// lines. The keys stay on the last row whatever the size.
pub fn caution(p: &Prepared, scroll: u16, theme: Theme, frame: &mut Frame<'_>, area: Rect) {
    let (width, rows) = caution_frame(area);
    let lines = caution_lines(p, theme, usize::from(width));
    let total = u16::try_from(lines.len()).unwrap_or(u16::MAX);
    let hint = Line::styled("Enter to begin · Esc to go back", theme.dim());
    if total <= rows {
        // It all fits: centred, the keys two rows below the text.
        let block = centered(area, width, total + 2);
        frame.render_widget(
            Paragraph::new(lines),
            Rect {
                height: total,
                ..block
            },
        );
        let y = block.y + total + 1;
        frame.render_widget(
            Paragraph::new(hint),
            Rect::new(block.x, y.min(area.bottom().saturating_sub(1)), width, 1),
        );
        return;
    }
    let scroll = scroll.min(total - rows);
    let x = area.x + (area.width - width) / 2;
    let body = Rect::new(x, area.y + 1, width, rows);
    let shown: Vec<Line<'static>> = lines
        .into_iter()
        .skip(usize::from(scroll))
        .take(usize::from(rows))
        .collect();
    frame.render_widget(Paragraph::new(shown), body);
    let more = match (scroll > 0, scroll + rows < total) {
        (_, true) => "↓ more below · ↑↓ PgUp PgDn to scroll",
        (true, false) => "↑ more above",
        (false, false) => "",
    };
    let bottom = area.bottom().saturating_sub(1);
    frame.render_widget(
        Paragraph::new(Line::styled(
            text::truncate(more, usize::from(width)),
            theme.dim(),
        )),
        Rect::new(x, bottom.saturating_sub(1), width, 1),
    );
    frame.render_widget(Paragraph::new(hint), Rect::new(x, bottom, width, 1));
}

/// Where the keys overlay is shown, which decides the keys it lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HelpFor {
    /// The picker.
    Picker,
    /// A session.
    Session,
    /// A session previewing a file (`--watch`): `r` too.
    Watching,
    /// A piece of the resonance finder: no skipping or pacing, and `h`.
    Finder,
}

/// The keys overlay: the picker's keys or the session's.
pub fn help(on: HelpFor, theme: Theme, frame: &mut Frame<'_>, area: Rect) {
    let in_picker = on == HelpFor::Picker;
    let watching = on == HelpFor::Watching;
    let rows = if in_picker {
        let mut rows = vec![("letters".to_owned(), "filter by name, title or tag")];
        rows.extend(keys::help_rows(keys::PICKER, keys::PICKER_HELP));
        rows
    } else if on == HelpFor::Finder {
        // The finder keeps its own pace and steps (those keys are
        // refused), and has the heart-rate trace.
        let kept: Vec<keys::Row<keys::SessionKey>> = keys::SESSION_HELP
            .iter()
            .filter(|r| {
                !r.actions.iter().any(|a| {
                    matches!(
                        a,
                        keys::SessionKey::Skip
                            | keys::SessionKey::Slower
                            | keys::SessionKey::Faster
                    )
                })
            })
            .map(|r| keys::Row {
                actions: r.actions,
                says: r.says,
            })
            .collect();
        let mut rows = keys::help_rows(keys::SESSION, &kept);
        rows.push((
            keys::name(crate::tui::finder::TRACE),
            "heart-rate trace on / off (with heart-rate input)",
        ));
        rows
    } else {
        keys::help_rows(keys::SESSION, keys::SESSION_HELP)
    };
    let ctrl_c = if in_picker { "quit" } else { "stop now" };
    let mut lines: Vec<Line<'_>> = rows
        .iter()
        .map(|(k, what)| Line::raw(format!(" {k:<8} {what}")))
        .chain(std::iter::once(Line::raw(format!(
            " {:<8} {ctrl_c}",
            keys::CTRL_C
        ))))
        .collect();
    if watching && !in_picker {
        lines.push(Line::raw(format!(
            " {:<8} {}",
            keys::name(keys::RESTART),
            "read the file again and restart (--watch)"
        )));
    }
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

/// The question `n` asks in a meditation: "Go on to the next prompt?"
/// while one lies ahead (`prompt_ahead`), "Skip the rest of this
/// meditation?" otherwise.
pub fn confirm_skip(prompt_ahead: bool, theme: Theme, frame: &mut Frame<'_>, area: Rect) {
    let width = area.width.min(44);
    let inner = usize::from(width.saturating_sub(2));
    let (question, keys) = if prompt_ahead {
        (
            "Go on to the next prompt?",
            "n again: next prompt · Enter: skip the meditation · Esc: stay",
        )
    } else {
        (
            "Skip the rest of this meditation?",
            "n again to skip · Esc to stay",
        )
    };
    let mut lines = Vec::new();
    for l in text::wrap(question, inner) {
        lines.push(Line::styled(l, theme.strong()));
    }
    lines.push(Line::raw(""));
    for l in text::wrap(keys, inner) {
        lines.push(Line::raw(l));
    }
    let r = centered(area, width, lines.len() as u16 + 2);
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
