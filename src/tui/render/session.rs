//! The breathing screen (settle-in, paced phases, retention holds): the
//! animated cue, the phase word and cue text, the countdown, counters, what
//! comes next and the overall progress.

use std::time::{Duration, Instant};

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::engine::{SegmentKind, State};
use crate::format::length::human;
use crate::player::Player;

use super::super::app::{Animation, App, Running};
use super::super::cue::{self, Bar, Ring};
use super::super::theme::{Theme, phase_mark, phase_word};
use super::{ceil_secs, clock};

/// Draw the breathing screen.
pub fn draw(app: &App, r: &Running, frame: &mut Frame<'_>, area: Rect, now: Instant) {
    let theme = app.opts.theme;
    let p = &r.player;
    let s = p.state(now);
    let kind = s.segment.kind;
    let [
        head,
        _,
        cue_area,
        word,
        cue_text,
        count,
        _,
        next,
        progress,
        hint,
    ] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);

    header(p, &s, &r.title, theme, frame, head);
    draw_cue(app, p, &s, frame, cue_area);

    let style = theme.kind(kind).patch(theme.strong());
    let mut word_text = format!("{}  {}", phase_mark(kind), phase_word(kind));
    if p.is_paused() && !r.confirm_stop {
        word_text = format!("{word_text}  (paused)");
    }
    frame.render_widget(
        Paragraph::new(word_text)
            .style(style)
            .alignment(Alignment::Center),
        word,
    );
    if let Some(c) = &s.segment.cue {
        frame.render_widget(
            Paragraph::new(c.as_str()).alignment(Alignment::Center),
            cue_text,
        );
    }
    let count_text = if kind == SegmentKind::Retention {
        format!("{}  ·  up to {}", clock(s.into), human(s.length))
    } else if app.opts.show_timings {
        ceil_secs(s.left_in_segment()).to_string()
    } else {
        String::new()
    };
    frame.render_widget(
        Paragraph::new(count_text)
            .style(theme.strong())
            .alignment(Alignment::Center),
        count,
    );
    frame.render_widget(
        Paragraph::new(next_text(p, &s))
            .style(theme.dim())
            .alignment(Alignment::Center),
        next,
    );
    progress_line(&s, theme, frame, progress);
    frame.render_widget(
        Paragraph::new(hint_text(p, &s, now))
            .style(theme.dim())
            .alignment(Alignment::Center),
        hint,
    );
}

fn header(p: &Player, s: &State<'_>, title: &str, theme: Theme, frame: &mut Frame<'_>, area: Rect) {
    let tl = p.schedule().timeline();
    let block = s
        .segment
        .block
        .and_then(|b| tl.block_titles.get(b))
        .map_or("Settling in", String::as_str);
    let mut counters = Vec::new();
    if let Some(r) = s.segment.round {
        counters.push(format!("round {}/{}", r.n, r.of));
    }
    if s.segment.recovery {
        counters.push("recovery".to_owned());
    } else if let Some(c) = s.segment.cycle {
        let word = if s.segment.round.is_some() {
            "breath"
        } else {
            "cycle"
        };
        counters.push(format!("{word} {}/{}", c.n, c.of));
    }
    let left = Line::from(vec![
        Span::styled(title, theme.strong()),
        Span::styled(format!(" · {block}"), theme.dim()),
    ]);
    frame.render_widget(Paragraph::new(left), area);
    frame.render_widget(
        Paragraph::new(counters.join("  ")).alignment(Alignment::Right),
        area,
    );
}

fn draw_cue(app: &App, p: &Player, s: &State<'_>, frame: &mut Frame<'_>, area: Rect) {
    let theme = app.opts.theme;
    let style = theme.kind(s.segment.kind);
    if app.opts.reduced_motion {
        // Calm: the share of the phase gone by, in whole seconds.
        let len = s.length.as_secs_f64().max(0.001);
        let level = if s.segment.open {
            0.0
        } else {
            (s.into.as_secs() as f64 / len).min(1.0)
        };
        let width = area.width.saturating_sub(8).min(48);
        let bar = Rect::new(
            area.x + (area.width - width) / 2,
            area.y + area.height / 2,
            width,
            1,
        );
        frame.render_widget(
            Bar {
                level,
                style,
                track: theme.dim(),
            },
            bar,
        );
        return;
    }
    let level = cue::fullness(p.schedule(), s);
    match app.opts.animation {
        Animation::Circle => {
            // Dots are about square: twice as many columns as rows.
            let h = area.height.min(area.width / 2).max(1);
            let w = (h * 2).min(area.width);
            let ring = Rect::new(area.x + (area.width - w) / 2, area.y, w, h);
            frame.render_widget(Ring { level, style }, ring);
        }
        Animation::Bar => {
            let width = area.width.saturating_sub(8).min(60);
            let bar = Rect::new(
                area.x + (area.width - width) / 2,
                area.y + area.height / 2,
                width,
                1,
            );
            frame.render_widget(
                Bar {
                    level,
                    style,
                    track: theme.dim(),
                },
                bar,
            );
        }
    }
}

/// "next: hold 4s", "next: hold up to 1m", "next: end".
pub fn next_text(p: &Player, s: &State<'_>) -> String {
    let sched = p.schedule();
    let segs = &sched.timeline().segments;
    match segs.get(s.index + 1) {
        None => "next: end".to_owned(),
        Some(n) => {
            let len = sched.length_of(s.index + 1);
            let what = match n.kind {
                SegmentKind::Breath(k) => format!("{} {}", k.word(), human(len)),
                SegmentKind::Retention => format!("hold on empty, up to {}", human(len)),
                SegmentKind::Sit if n.open => "sit, open-ended".to_owned(),
                SegmentKind::Sit => format!("sit {}", human(len)),
                SegmentKind::Settle => format!("settle {}", human(len)),
            };
            format!("next: {what}")
        }
    }
}

/// The session's progress: a line that fills, and the time left.
pub fn progress_line(s: &State<'_>, theme: Theme, frame: &mut Frame<'_>, area: Rect) {
    let left = if s.open_ahead {
        format!("up to {} left", clock(round_up(s.left())))
    } else {
        format!("{} left", clock(round_up(s.left())))
    };
    let label_w = left.chars().count() as u16 + 2;
    let bar_w = area.width.saturating_sub(label_w);
    let total = s.total.as_secs_f64().max(0.001);
    let done = ((s.elapsed.as_secs_f64() / total) * f64::from(bar_w)).floor() as u16;
    let done = done.min(bar_w);
    let line = Line::from(vec![
        Span::styled("━".repeat(usize::from(done)), theme.strong()),
        Span::styled("─".repeat(usize::from(bar_w - done)), theme.dim()),
        Span::raw("  "),
        Span::raw(left),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}

fn round_up(d: Duration) -> Duration {
    Duration::from_secs(ceil_secs(d))
}

/// The keys that matter right now.
fn hint_text(p: &Player, s: &State<'_>, now: Instant) -> String {
    if p.is_paused() {
        "Paused · Space to resume · q stop".to_owned()
    } else if p.in_open_segment(now) && s.segment.kind == SegmentKind::Retention {
        "Space when you need to breathe · q stop · ? keys".to_owned()
    } else {
        "Space pause · n skip · q stop · ? keys".to_owned()
    }
}
