//! Drawing: one module per screen, each a function of `&App` and `now`
//! that only reads. Nothing here reads a clock, so any frame can be drawn
//! at an injected time and snapshotted.

pub mod checkin;
pub mod finder;
pub mod journal;
pub mod overlay;
pub mod picker;
pub mod session;
pub mod sit;
pub mod stats;
pub mod summary;
pub mod text;
pub mod watch_error;

use std::time::{Duration, Instant};

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};

use super::app::{App, Screen};

/// The smallest window the screens are laid out for.
pub const MIN_SIZE: (u16, u16) = (40, 12);

/// Draw the whole app at `now`.
pub fn draw(app: &App, frame: &mut Frame<'_>, now: Instant) {
    let area = frame.area();
    if area.width < MIN_SIZE.0 || area.height < MIN_SIZE.1 {
        let paused = matches!(&app.screen, Screen::Session(r) if r.paused_by_size);
        overlay::too_small(paused, frame, area);
        return;
    }
    match &app.screen {
        Screen::Picker => {
            if let Some(p) = &app.picker {
                picker::draw(p, app.opts.theme, frame, area);
            }
        }
        Screen::FileProblem(p) => watch_error::draw(p, app.opts.theme, frame, area),
        Screen::Caution(p) => {
            overlay::caution(p, app.caution_scroll, app.opts.theme, frame, area);
        }
        Screen::Session(r) => {
            let state = r.player.state(now);
            if state.segment.kind == crate::engine::SegmentKind::Sit {
                sit::draw(app, r, frame, area, now);
            } else {
                session::draw(app, r, frame, area, now);
            }
            if r.confirm_stop {
                overlay::confirm_stop(app.opts.theme, frame, area);
            } else if r.confirm_skip {
                overlay::confirm_skip(r.player.prompt_ahead(now), app.opts.theme, frame, area);
            }
        }
        Screen::Closing(c) => summary::closing(c, app.opts.theme, frame, area),
        Screen::CheckinBefore(b) => journal::before(b, app.opts.theme, frame, area),
        Screen::CheckinAfter(a) => journal::after(a, app.opts.theme, frame, area),
        Screen::Summary(s) => summary::draw(s, app.picker.is_some(), app.opts.theme, frame, area),
        Screen::Stats(v) => journal::stats(v, app.opts.theme, frame, area),
        Screen::Diary(d) => journal::diary(d, app.opts.theme, frame, area),
        Screen::FinderRate(ask) => finder::rate(ask, app.opts.theme, frame, area),
        Screen::FinderDone(d) => finder::done(d, app.opts.theme, frame, area),
    }
    if app.help {
        let on = if matches!(app.screen, Screen::Picker) {
            overlay::HelpFor::Picker
        } else if app.finder.is_some() {
            overlay::HelpFor::Finder
        } else if app.watch.is_some() {
            overlay::HelpFor::Watching
        } else {
            overlay::HelpFor::Session
        };
        overlay::help(on, app.opts.theme, frame, area);
    }
    if let Some((text, _)) = &app.notice {
        overlay::notice(text, app.opts.theme, frame, area);
    }
}

/// A summary of what a session screen shows at `now`: two frames with the
/// same key look the same, so the loop can skip drawing the second (a
/// frame tick where the cue has not moved a dot). `None` for the other
/// screens, which are drawn whenever something happens.
pub fn frame_key(app: &App, now: Instant, area: Rect) -> Option<u64> {
    use std::hash::{Hash as _, Hasher as _};
    let Screen::Session(r) = &app.screen else {
        return None;
    };
    let s = r.player.state(now);
    let mut h = std::collections::hash_map::DefaultHasher::new();
    (area, app.help, app.notice.as_ref().map(|n| &n.0)).hash(&mut h);
    (
        r.confirm_stop,
        r.confirm_skip,
        r.player.is_paused(),
        s.index,
        s.prompt,
        s.segment.block.map(|b| r.player.schedule().pace_of(b)),
    )
        .hash(&mut h);
    (ceil_secs(s.left_in_segment()), s.into.as_secs()).hash(&mut h);
    (ceil_secs(s.left()), s.elapsed.as_secs(), s.open_ahead).hash(&mut h);
    app.finder
        .as_ref()
        .and_then(|f| f.trace_key(now))
        .hash(&mut h);
    if area.width >= MIN_SIZE.0 && area.height >= MIN_SIZE.1 {
        if s.segment.kind == crate::engine::SegmentKind::Sit {
            sit::frame_parts(r.player.schedule(), &s, area).hash(&mut h);
        } else {
            session::frame_parts(app, r, area, now).hash(&mut h);
        }
    }
    Some(h.finish())
}

/// The header's title: the session's, then the block's when it adds
/// something (the session has several blocks, or the block's name is not
/// already part of the session's), cut with "…" to `width` columns.
pub fn header_title(title: &str, block: Option<&str>, blocks: usize, width: usize) -> String {
    let full = match block {
        Some(b) if blocks > 1 || !title.to_lowercase().contains(b.to_lowercase().trim()) => {
            format!("{title} · {b}")
        }
        _ => title.to_owned(),
    };
    text::truncate(&full, width)
}

/// Whole seconds rounded up, as a countdown shows them (`3` until the
/// last second has passed).
pub fn ceil_secs(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

/// `lines` in the middle of `area`, as wide as the widest (at least
/// `min_width`, at most the window less a margin) and wrapped to it.
pub fn centered_lines(
    lines: Vec<ratatui::text::Line<'_>>,
    min_width: usize,
    align: ratatui::layout::Alignment,
    frame: &mut Frame<'_>,
    area: Rect,
) {
    let width = lines
        .iter()
        .map(ratatui::text::Line::width)
        .max()
        .unwrap_or(0)
        .clamp(
            min_width,
            usize::from(area.width.saturating_sub(4)).max(min_width),
        ) as u16;
    let height: usize = lines
        .iter()
        .map(|l| l.width().div_ceil(usize::from(width.max(1))).max(1))
        .sum();
    let inner = centered(area, width, height as u16);
    frame.render_widget(
        ratatui::widgets::Paragraph::new(lines)
            .alignment(align)
            .wrap(ratatui::widgets::Wrap { trim: false }),
        inner,
    );
}

/// A rectangle of `width` x `height` centred in `area` (clipped to it).
pub fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let [v] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [h] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(v);
    h
}
