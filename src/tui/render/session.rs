//! The breathing screen (settle-in, paced phases, retention holds): the
//! animated cue, the phase word and cue text, the countdown, counters, what
//! comes next and the overall progress.

use std::time::{Duration, Instant};

use ratatui::Frame;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use crate::engine::player::Player;
use crate::engine::{SegmentKind, State};
use crate::text::{clock, human};

use crate::config::Animation;

use super::super::app::{App, Running};
use super::super::cue::{self, Bar, Ring};
use super::super::keys::hints;
use super::super::theme::{Theme, phase_mark, phase_word};
use super::{ceil_secs, text};

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
        spare,
        next,
        progress,
        hint,
    ] = layout(area, &s);

    header(p, &s, &r.title, theme, frame, head);
    draw_cue(app, p, &s, frame, cue_area);

    let style = theme.kind(kind).patch(theme.strong());
    let mut word_text = format!("{}  {}", phase_mark(kind), phase_word(kind));
    if p.is_paused() {
        word_text = format!("{word_text}  ⏸ paused");
    }
    frame.render_widget(
        Paragraph::new(word_text)
            .style(style)
            .alignment(Alignment::Center),
        word,
    );
    let cue_text_lines: Vec<Line<'_>> = cue_lines(&s, area.width)
        .into_iter()
        .map(Line::raw)
        .collect();
    frame.render_widget(
        Paragraph::new(cue_text_lines).alignment(Alignment::Center),
        cue_text,
    );
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
        Paragraph::new(match &app.finder {
            // The piece's session ends, the finder does not.
            Some(f) if s.index + 1 == p.schedule().timeline().segments.len() => {
                f.after_piece().to_owned()
            }
            _ => next_text(p, &s),
        })
        .style(theme.dim())
        .alignment(Alignment::Center),
        next,
    );
    if let Some(f) = &app.finder {
        // The empty row under the countdown: nothing else moves for it.
        super::finder::trace(f, theme, frame, spare, now);
    }
    progress_line(p, &s, theme, frame, progress);
    frame.render_widget(
        Paragraph::new(match &app.finder {
            Some(f) if !p.is_paused() => f.hint(),
            _ => hint_text(p, &s, area.width >= 60, now),
        })
        .style(theme.dim())
        .alignment(Alignment::Center),
        hint,
    );
}

/// The tallest the ring is drawn, in rows.
const MAX_RING_ROWS: u16 = 16;

/// The fewest sizes a ring must have to be drawn; below that the cue is
/// the bar.
const MIN_RING_STEPS: u32 = 8;

/// The cue text's lines at `width`: two at most, the second ending in
/// "…" when the text is longer.
fn cue_lines(s: &State<'_>, width: u16) -> Vec<String> {
    // A cue that only says the phase word again ("Hold" under "■ Hold")
    // is left out.
    let same = |c: &str| {
        let bare: String = c
            .chars()
            .filter(|ch| ch.is_alphanumeric() || ch.is_whitespace())
            .collect();
        bare.trim()
            .eq_ignore_ascii_case(phase_word(s.segment.kind).trim())
    };
    s.segment
        .cue
        .as_deref()
        .filter(|c| !same(c))
        .map(|c| text::wrap_lines(c, usize::from(width.saturating_sub(2)), 2))
        .unwrap_or_default()
}

fn layout(area: Rect, s: &State<'_>) -> [Rect; 10] {
    let cue_rows = cue_lines(s, area.width).len().clamp(1, 2) as u16;
    let rects: [Rect; 10] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(cue_rows),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area);
    // In a tall window the ring stays small (it is capped); centre the
    // ring and the text under it together, so no wide gap opens between
    // them. The progress line and the keys stay at the bottom.
    let mut rects = rects;
    let ring = rects[2].height.min(area.width / 2).clamp(1, MAX_RING_ROWS);
    let slack = rects[2].height - ring;
    if slack > 0 {
        let above = slack / 2;
        let up = slack - above;
        rects[2] = Rect {
            y: rects[2].y + above,
            height: ring,
            ..rects[2]
        };
        for r in &mut rects[3..8] {
            r.y -= up;
        }
    }
    rects
}

/// The shape of the cue at a moment: where it goes and how full it is.
enum Cue {
    Ring(Rect, f64),
    Bar(Rect, f64),
}

impl Cue {
    fn new(app: &App, p: &Player, s: &State<'_>, area: Rect) -> Self {
        let centred_bar = |max: u16| {
            let width = area.width.saturating_sub(8).min(max);
            Rect::new(
                area.x + (area.width - width) / 2,
                area.y + area.height / 2,
                width,
                1,
            )
        };
        if app.opts.reduced_motion {
            // Calm: the share of the phase gone by, in whole seconds.
            let len = s.length.as_secs_f64().max(0.001);
            let level = if s.segment.open {
                0.0
            } else {
                (s.into.as_secs() as f64 / len).min(1.0)
            };
            return Cue::Bar(centred_bar(48), level);
        }
        let level = cue::fullness(p.schedule(), s);
        match app.opts.animation {
            Animation::Circle => {
                // Dots are about square: twice as many columns as rows.
                // Capped in size: a calm cue need not fill a big window, and
                // a bigger ring changes more cells per step.
                let rows = area.height.min(area.width / 2).clamp(1, MAX_RING_ROWS);
                let cols = (rows * 2).min(area.width);
                let rect = Rect::new(
                    area.x + (area.width - cols) / 2,
                    area.y + (area.height - rows) / 2,
                    cols,
                    rows,
                );
                // In a small window a ring has only a few sizes: a breath
                // would move in jumps. The bar there fills by eighths of a
                // cell.
                if Ring::steps(rect) < MIN_RING_STEPS {
                    Cue::Bar(centred_bar(60), level)
                } else {
                    Cue::Ring(rect, level)
                }
            }
            Animation::Bar => Cue::Bar(centred_bar(60), level),
        }
    }

    /// What distinguishes one drawing of the cue from another.
    fn quantum(&self) -> u32 {
        match self {
            Cue::Ring(r, level) => Ring::radius(*r, *level),
            Cue::Bar(r, level) => Bar::eighths(r.width, *level) as u32,
        }
    }
}

/// What the breathing screen shows at `now` beyond the whole seconds and
/// the segment: the cue's size and the progress line's filled cells. The
/// loop skips a frame when these have not changed.
pub fn frame_parts(app: &App, r: &Running, area: Rect, now: Instant) -> (u32, u16) {
    let s = r.player.state(now);
    let [_, _, cue_area, _, _, _, _, _, progress, _] = layout(area, &s);
    let cue = Cue::new(app, &r.player, &s, cue_area);
    (
        cue.quantum(),
        progress_cells(&r.player, &s, progress.width).0,
    )
}

fn header(p: &Player, s: &State<'_>, title: &str, theme: Theme, frame: &mut Frame<'_>, area: Rect) {
    let tl = p.schedule().timeline();
    let block = s
        .segment
        .block
        .and_then(|b| tl.block_titles.get(b))
        .map_or("Settling in", String::as_str);
    let blocks = tl.block_titles.len();
    let mut counters = Vec::new();
    let pace = s.segment.block.map_or(100, |b| p.schedule().pace_of(b));
    if pace != 100 {
        counters.push(format!("pace {pace}%"));
    }
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
    // The counters keep their room; a long title is cut short instead.
    let counters = counters.join("  ");
    let [left_area, right_area] = Layout::horizontal([
        Constraint::Min(0),
        Constraint::Length(counters.chars().count() as u16 + 1),
    ])
    .areas(area);
    let shown = super::header_title(title, Some(block), blocks, usize::from(left_area.width));
    // The session's title strong, the block's dim.
    let (t, b) = match shown.strip_prefix(title) {
        Some(rest) => (title.to_owned(), rest.to_owned()),
        None => (shown, String::new()),
    };
    let left = Line::from(vec![
        Span::styled(t, theme.strong()),
        Span::styled(b, theme.dim()),
    ]);
    frame.render_widget(Paragraph::new(left), left_area);
    frame.render_widget(
        Paragraph::new(counters).alignment(Alignment::Right),
        right_area,
    );
}

fn draw_cue(app: &App, p: &Player, s: &State<'_>, frame: &mut Frame<'_>, area: Rect) {
    let theme = app.opts.theme;
    let style = theme.kind(s.segment.kind);
    match Cue::new(app, p, s, area) {
        Cue::Ring(rect, level) => frame.render_widget(Ring { level, style }, rect),
        Cue::Bar(rect, level) => frame.render_widget(
            Bar {
                level,
                style,
                track: theme.dim(),
            },
            rect,
        ),
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
pub fn progress_line(p: &Player, s: &State<'_>, theme: Theme, frame: &mut Frame<'_>, area: Rect) {
    let left = left_words(p, s);
    let (done, bar_w) = progress_cells(p, s, area.width);
    let line = Line::from(vec![
        Span::styled("━".repeat(usize::from(done)), theme.strong()),
        Span::styled("─".repeat(usize::from(bar_w - done)), theme.dim()),
        Span::raw("  "),
        Span::raw(left),
    ]);
    frame.render_widget(Paragraph::new(line), area);
}

/// Whether an open-ended sit the person has not ended lies ahead: its
/// cap (hours) says nothing about how long is left.
fn open_sit_ahead(p: &Player, s: &State<'_>) -> bool {
    let sched = p.schedule();
    let segs = &sched.timeline().segments;
    (s.index..segs.len())
        .any(|i| segs[i].open && segs[i].kind == SegmentKind::Sit && !sched.was_ended(i))
}

/// What the progress line says is left: "1:23 left", "up to 3:20 left"
/// (a hold the person ends lies ahead), or "as long as you like" (an
/// open-ended sit does).
fn left_words(p: &Player, s: &State<'_>) -> String {
    if s.open_ahead && open_sit_ahead(p, s) {
        "as long as you like".to_owned()
    } else if s.open_ahead {
        format!("up to {} left", clock(round_up(s.left())))
    } else {
        format!("{} left", clock(round_up(s.left())))
    }
}

/// Filled cells and width of the progress line in a row `width` wide
/// (the rest holds "  up to 1:23 left").
fn progress_cells(p: &Player, s: &State<'_>, width: u16) -> (u16, u16) {
    let label_w = left_words(p, s).chars().count() as u16 + 2;
    let bar_w = width.saturating_sub(label_w);
    let total = s.total.as_secs_f64().max(0.001);
    let done = ((s.elapsed.as_secs_f64() / total) * f64::from(bar_w)).floor() as u16;
    (done.min(bar_w), bar_w)
}

fn round_up(d: Duration) -> Duration {
    Duration::from_secs(ceil_secs(d))
}

/// The keys that matter right now.
fn hint_text(p: &Player, s: &State<'_>, wide: bool, now: Instant) -> String {
    if p.is_paused() {
        hints::paused()
    } else if p.in_open_segment(now) && s.segment.kind == SegmentKind::Retention {
        hints::hold()
    } else if matches!(s.segment.kind, SegmentKind::Breath(_)) && !s.segment.recovery && wide {
        hints::breathing()
    } else {
        hints::running()
    }
}
