//! The picker: the list of sessions (title, length, tags), the filter being
//! typed, and a preview of the selected session.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, List, ListItem, ListState, Paragraph, Wrap};

use super::super::picker::{Item, Picker, PlanMark};
use super::super::theme::Theme;
use super::text;

/// Draw the picker.
pub fn draw(p: &Picker, theme: Theme, frame: &mut Frame<'_>, area: Rect) {
    let [head, body, hint] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let filter = if p.query.is_empty() {
        Span::styled("type to filter", theme.dim())
    } else {
        Span::raw(format!("filter: {}▏", p.query))
    };
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled("exhale", theme.strong()),
            Span::raw("  ·  "),
            filter,
        ])),
        head,
    );
    let wide = body.width >= 70;
    let [list_area, preview_area] = if wide {
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(body)
    } else {
        Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(body)
    };
    draw_list(p, theme, frame, list_area);
    let preview_block = if wide {
        Block::new()
            .borders(Borders::LEFT)
            .border_style(theme.dim())
    } else {
        Block::new().borders(Borders::TOP).border_style(theme.dim())
    };
    let inner = preview_block.inner(preview_area);
    frame.render_widget(preview_block, preview_area);
    if let Some(item) = p.current() {
        draw_preview(item, p.preview_scroll, theme, frame, inner);
    } else {
        frame.render_widget(
            Paragraph::new(" No session matches; Backspace or Esc clears the filter.")
                .style(theme.dim())
                .wrap(Wrap { trim: true }),
            inner,
        );
    }
    frame.render_widget(
        Paragraph::new(footer(usize::from(hint.width))).style(theme.dim()),
        hint,
    );
}

fn draw_list(p: &Picker, theme: Theme, frame: &mut Frame<'_>, area: Rect) {
    let visible = p.visible();
    let width = usize::from(area.width.saturating_sub(2));
    let items: Vec<ListItem<'_>> = visible
        .iter()
        .map(|&i| {
            let it = &p.items[i];
            let (mark, style) = if it.session.is_err() {
                ("✗ ", theme.error())
            } else {
                match &it.plan {
                    Some(PlanMark::Today { .. }) => ("→ ", theme.strong()),
                    Some(PlanMark::Avoid { .. }) => ("– ", theme.dim()),
                    None => ("  ", ratatui::style::Style::new()),
                }
            };
            // What the plan says comes first on the second line.
            let tags = match &it.plan {
                Some(m) if it.tags.is_empty() => m.words().to_owned(),
                Some(m) => format!("{} · {}", m.words(), it.tags.join(" ")),
                None => it.tags.join(" "),
            };
            let room = width.saturating_sub(2);
            let len_w = text::width(&it.length);
            // The length sits at the end of the title's row when both fit;
            // otherwise the title takes the row and the length goes first
            // on the line below.
            let (title, first, second) = if text::width(&it.title) + 1 + len_w <= room {
                let pad = room - text::width(&it.title) - len_w;
                (
                    it.title.clone(),
                    format!("{}{}", " ".repeat(pad), it.length),
                    tags,
                )
            } else {
                let second = if tags.is_empty() {
                    it.length.clone()
                } else {
                    format!("{} · {tags}", it.length)
                };
                (text::truncate(&it.title, room), String::new(), second)
            };
            ListItem::new(vec![
                Line::from(vec![
                    Span::styled(mark, style),
                    Span::styled(title, style),
                    Span::styled(first, theme.dim()),
                ]),
                Line::styled(
                    format!("    {}", text::truncate(&second, width.saturating_sub(4))),
                    theme.dim(),
                ),
            ])
        })
        .collect();
    let mut state = ListState::default();
    state.select(visible.iter().position(|&i| i == p.selected()));
    frame.render_stateful_widget(
        List::new(items).highlight_style(theme.selected()),
        area,
        &mut state,
    );
}

/// The keys line, shortened to `width` by leaving out the least needed
/// hints first.
fn footer(width: usize) -> String {
    // In the order shown, with how much each matters (higher is kept longer).
    let hints = super::super::keys::hints::picker();
    for least in 0..=5 {
        let line = hints
            .iter()
            .filter(|(_, keep)| *keep >= least)
            .map(|(h, _)| h.as_str())
            .collect::<Vec<_>>()
            .join(" · ");
        if text::width(&line) <= width {
            return line;
        }
    }
    text::truncate("Enter start", width)
}

/// Where the preview is drawn in a picker filling `area`.
fn preview_rect(area: Rect) -> Rect {
    let [_, body, _] = Layout::vertical([
        Constraint::Length(2),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let wide = body.width >= 70;
    let inner = if wide {
        let [_, right] =
            Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)])
                .areas(body);
        Block::new().borders(Borders::LEFT).inner(right)
    } else {
        let [_, below] =
            Layout::vertical([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(body);
        Block::new().borders(Borders::TOP).inner(below)
    };
    Rect::new(
        inner.x + 1,
        inner.y,
        inner.width.saturating_sub(1),
        inner.height,
    )
}

/// The preview's lines, wrapped to `width`: an error's lines too, so its
/// file, line and column stay in sight in a narrow window.
fn preview_lines(item: &Item, theme: Theme, width: usize, short: bool) -> Vec<Line<'static>> {
    let mut lines: Vec<Line<'static>> = Vec::new();
    // The title and what it is keep one line each, cut short if need be.
    lines.push(Line::styled(
        text::truncate(&item.title, width),
        theme.strong(),
    ));
    match &item.plan {
        Some(PlanMark::Today { words, note, .. }) => {
            let text = match note {
                Some(n) => format!("{words}: {}", n.lines().next().unwrap_or("")),
                None => words.clone(),
            };
            lines.push(Line::styled(text::truncate(&text, width), theme.strong()));
        }
        Some(PlanMark::Avoid { reason }) => {
            let text = format!(
                "Your plan leaves this for now: {}",
                reason.lines().next().unwrap_or("")
            );
            lines.push(Line::styled(text::truncate(&text, width), theme.warn()));
        }
        None => {}
    }
    if !item.cautions.is_empty() && short {
        // Too little room for the cautions themselves: say they exist,
        // first.
        lines.push(Line::styled(
            text::truncate("! has cautions, shown before it starts", width),
            theme.warn(),
        ));
    }
    lines.push(Line::styled(
        text::truncate(
            &format!("{} · {} · {}", item.name, item.length, item.origin),
            width,
        ),
        theme.dim(),
    ));
    let mut add = |text: &str, style: ratatui::style::Style| {
        if text.is_empty() {
            lines.push(Line::raw(""));
        } else if text::width(text) <= width {
            lines.push(Line::styled(text.to_owned(), style));
        } else {
            // Keep the indent of a wrapped line (a line of code under an
            // error).
            let indent = text.len() - text.trim_start().len();
            let pad = " ".repeat(indent.min(width / 2));
            for l in text::wrap(text, width.saturating_sub(pad.len())) {
                lines.push(Line::styled(format!("{pad}{l}"), style));
            }
        }
    };
    add("", theme.dim());
    match &item.session {
        Err(e) => {
            add("This session has an error:", theme.error());
            for l in e.lines() {
                add(l, ratatui::style::Style::new());
            }
        }
        Ok(_) => {
            for para in item.description.split('\n') {
                add(para, ratatui::style::Style::new());
            }
            // Cautions before the timeline, so a short window still shows
            // them.
            for c in &item.cautions {
                add("", theme.dim());
                add(&format!("! {c}"), theme.warn());
            }
            add("", theme.dim());
            for (title, text) in &item.blocks {
                add(title, theme.strong());
                for t in text {
                    add(t, ratatui::style::Style::new());
                }
            }
        }
    }
    lines
}

/// How far the preview of `item` can scroll in a picker filling `area`
/// (0 when it fits; the last row then says there is more), and how many
/// lines a page is.
pub fn preview_scroll_room(item: &Item, area: Rect) -> (u16, u16) {
    let r = preview_rect(area);
    let n = preview_lines(item, Theme::new(false), usize::from(r.width), r.height < 8).len();
    let n = u16::try_from(n).unwrap_or(u16::MAX);
    let rows = r.height.saturating_sub(1).max(1);
    if n <= r.height {
        (0, rows)
    } else {
        (n - rows, rows)
    }
}

fn draw_preview(item: &Item, scroll: u16, theme: Theme, frame: &mut Frame<'_>, area: Rect) {
    let area = Rect::new(
        area.x + 1,
        area.y,
        area.width.saturating_sub(1),
        area.height,
    );
    let lines = preview_lines(item, theme, usize::from(area.width), area.height < 8);
    let total = u16::try_from(lines.len()).unwrap_or(u16::MAX);
    if total <= area.height {
        frame.render_widget(Paragraph::new(lines), area);
        return;
    }
    // More than fits: the last row says so, and which key shows it.
    let rows = area.height.saturating_sub(1);
    let scroll = scroll.min(total - rows);
    let shown: Vec<Line<'static>> = lines
        .into_iter()
        .skip(usize::from(scroll))
        .take(usize::from(rows))
        .collect();
    frame.render_widget(
        Paragraph::new(shown),
        Rect {
            height: rows,
            ..area
        },
    );
    let below = total - rows - scroll;
    let more = if below > 0 {
        format!("↓ {below} more · PgDn")
    } else {
        "↑ PgUp for the top".to_owned()
    };
    frame.render_widget(
        Paragraph::new(Line::styled(
            text::truncate(&more, usize::from(area.width)),
            theme.dim(),
        )),
        Rect::new(area.x, area.bottom().saturating_sub(1), area.width, 1),
    );
}
