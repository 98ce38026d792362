//! The picker: the list of sessions (title, length, tags), the filter being
//! typed, and a preview of the selected session.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, List, ListItem, ListState, Paragraph, Wrap};

use super::super::picker::{Item, Picker};
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
        draw_preview(item, theme, frame, inner);
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
                ("  ", ratatui::style::Style::new())
            };
            let tags = it.tags.join(" ");
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

fn draw_preview(item: &Item, theme: Theme, frame: &mut Frame<'_>, area: Rect) {
    let area = Rect::new(
        area.x + 1,
        area.y,
        area.width.saturating_sub(1),
        area.height,
    );
    let mut lines = vec![Line::styled(item.title.clone(), theme.strong())];
    lines.push(Line::styled(
        format!("{} · {} · {}", item.name, item.length, item.origin),
        theme.dim(),
    ));
    if !item.cautions.is_empty() && area.height < 8 {
        // Too little room for the cautions themselves: say they exist.
        lines.push(Line::styled(
            "! has cautions, shown before it starts",
            theme.warn(),
        ));
    }
    lines.push(Line::raw(""));
    match &item.session {
        Err(e) => {
            lines.push(Line::styled("This session has an error:", theme.error()));
            for l in e.lines() {
                lines.push(Line::raw(l.to_owned()));
            }
        }
        Ok(_) => {
            lines.push(Line::raw(item.description.clone()));
            // Cautions before the timeline, so a short window still shows
            // them.
            for c in &item.cautions {
                lines.push(Line::raw(""));
                lines.push(Line::styled(format!("! {c}"), theme.warn()));
            }
            lines.push(Line::raw(""));
            for (title, text) in &item.blocks {
                lines.push(Line::styled(title.clone(), theme.strong()));
                for t in text {
                    lines.push(Line::raw(format!("  {t}")));
                }
            }
        }
    }
    let wrap = item.session.is_ok();
    let para = Paragraph::new(lines);
    let para = if wrap {
        para.wrap(Wrap { trim: true })
    } else {
        para
    };
    frame.render_widget(para, area);
}
