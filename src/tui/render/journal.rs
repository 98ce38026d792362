//! The journal's screens in the app: the check-ins before and after a
//! session (the journal's own component, framed with the session's title)
//! and the stats screen with its notes.

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use crate::text::count;

use super::super::checkin::CheckinState;
use super::super::journaling::{AfterCheckin, BeforeCheckin, DiaryCheckin, StatsView};
use super::super::theme::Theme;
use super::{centered, checkin, stats};

/// The check-in component's size: the scale fits in 64 columns, the note
/// stage in 13 rows.
const CHECKIN_SIZE: (u16, u16) = (64, 13);

fn framed(heading: Vec<Line<'_>>, state: &CheckinState, frame: &mut Frame<'_>, area: Rect) {
    // On a short window the check-in itself matters more than the title.
    let h = if area.height > CHECKIN_SIZE.1 + heading.len() as u16 {
        heading.len() as u16
    } else {
        0
    };
    let outer = centered(area, CHECKIN_SIZE.0, CHECKIN_SIZE.1 + h + 1);
    let [head, _, body] = Layout::vertical([
        Constraint::Length(h),
        Constraint::Length(u16::from(h > 0)),
        Constraint::Min(1),
    ])
    .areas(outer);
    if h > 0 {
        frame.render_widget(Paragraph::new(heading).alignment(Alignment::Center), head);
    }
    checkin::render(state, body, frame.buffer_mut());
}

/// "How are you feeling?" before the session, under its title.
pub fn before(b: &BeforeCheckin, theme: Theme, frame: &mut Frame<'_>, area: Rect) {
    let heading = vec![Line::styled(
        b.prepared.session.title.clone(),
        theme.strong(),
    )];
    framed(heading, &b.state, frame, area);
}

/// A check-in with no session: under "Check-in", the moment it is about
/// when it is not now.
pub fn diary(d: &DiaryCheckin, theme: Theme, frame: &mut Frame<'_>, area: Rect) {
    let mut heading = vec![Line::styled("Check-in", theme.strong())];
    if let Some(at) = d.at {
        heading.push(Line::styled(
            format!("about {}, written now", at.format("%a %-d %b, %H:%M")),
            theme.dim(),
        ));
    }
    framed(heading, &d.state, frame, area);
}

/// "How are you feeling now?" after the session, under how it went.
pub fn after(a: &AfterCheckin, theme: Theme, frame: &mut Frame<'_>, area: Rect) {
    let o = &a.summary.outcome;
    let heading = vec![
        Line::styled(format!("Session {}", o.ending.word()), theme.strong()),
        Line::styled(
            format!(
                "{} · {} practised",
                a.summary.title,
                crate::text::length(o.practised)
            ),
            theme.dim(),
        ),
    ];
    framed(heading, &a.state, frame, area);
}

/// The stats screen: the journal's chart and numbers, a quiet note about
/// skipped lines, and the way back.
pub fn stats(v: &StatsView, theme: Theme, frame: &mut Frame<'_>, area: Rect) {
    let [body, foot] = Layout::vertical([Constraint::Min(3), Constraint::Length(2)]).areas(area);
    match &v.stats {
        Ok(s) => stats::render(s, body, frame.buffer_mut()),
        Err(e) => frame.render_widget(
            Paragraph::new(vec![
                Line::styled("The journal could not be read.", theme.error()),
                Line::raw(e.clone()),
            ])
            .wrap(Wrap { trim: true }),
            body,
        ),
    }
    let mut lines = Vec::new();
    if v.skipped > 0 {
        lines.push(Line::styled(
            format!(
                "{} of the journal could not be read and {} skipped; the file is left as it is.",
                count(v.skipped, "line"),
                if v.skipped == 1 { "was" } else { "were" },
            ),
            theme.dim(),
        ));
    }
    lines.push(Line::styled("Esc to go back", theme.dim()));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), foot);
}
