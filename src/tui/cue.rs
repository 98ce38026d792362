//! The breathing cue: how full the lungs should feel at a moment (eased,
//! never linear) and the shapes that show it: a ring drawn in braille dots
//! or a horizontal bar. Sizes are quantised to whole dots (or eighths of a
//! cell), so successive frames change only the few cells at the edge of
//! the shape and most frames change nothing at all.

use std::f64::consts::PI;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::Widget;

use crate::engine::model::PhaseKind;
use crate::engine::{Schedule, SegmentKind, State};

/// Sine ease-in-out: slow at both ends, like a breath.
pub fn ease(p: f64) -> f64 {
    let p = p.clamp(0.0, 1.0);
    (1.0 - (PI * p).cos()) / 2.0
}

/// Where the cue rests during natural, unpaced breathing.
const NATURAL_LEVEL: f64 = 0.5;

/// How full the lungs are, from 0 (empty) to 1 (full), at `state`.
/// Holds keep the level the previous phase ended on; a retention hold is on
/// empty lungs. Consecutive inhales (cyclic sighing's full breath and its
/// top-up) share one rise: each continues from where the last one ended,
/// in proportion to its length, instead of starting again from empty.
pub fn fullness(schedule: &Schedule, state: &State<'_>) -> f64 {
    match state.segment.kind {
        SegmentKind::Breath(PhaseKind::Inhale | PhaseKind::Exhale) => {
            let from = start_level(schedule, state.index);
            let to = end_level(schedule, state.index);
            from + (to - from) * ease(state.progress)
        }
        SegmentKind::Breath(PhaseKind::Hold) => start_level(schedule, state.index),
        // Unpaced: the cue rests half full and does not move.
        SegmentKind::Breath(PhaseKind::Natural) => NATURAL_LEVEL,
        SegmentKind::Retention | SegmentKind::Settle | SegmentKind::Sit => 0.0,
    }
}

/// The level at the start of segment `i`: where the one before it ended.
fn start_level(schedule: &Schedule, i: usize) -> f64 {
    let segs = &schedule.timeline().segments;
    // Walk back over holds to the breath that set the level.
    segs[..i]
        .iter()
        .enumerate()
        .rev()
        .find_map(|(j, s)| match s.kind {
            SegmentKind::Breath(PhaseKind::Hold) => None,
            SegmentKind::Breath(PhaseKind::Natural) => Some(NATURAL_LEVEL),
            SegmentKind::Breath(_) => Some(end_level(schedule, j)),
            SegmentKind::Retention | SegmentKind::Settle | SegmentKind::Sit => Some(0.0),
        })
        .unwrap_or(0.0)
}

/// The level at the end of inhale or exhale `i`: full (or empty) at the end
/// of a run of same-direction breaths, and in between, the share of the run
/// done so far.
fn end_level(schedule: &Schedule, i: usize) -> f64 {
    let segs = &schedule.timeline().segments;
    let kind = segs[i].kind;
    let target = if kind == SegmentKind::Breath(PhaseKind::Inhale) {
        1.0
    } else {
        0.0
    };
    let same = |j: usize| segs[j].kind == kind && segs[j].block == segs[i].block;
    let mut first = i;
    while first > 0 && same(first - 1) {
        first -= 1;
    }
    let mut last = i;
    while last + 1 < segs.len() && same(last + 1) {
        last += 1;
    }
    if last == i {
        return target;
    }
    let run: f64 = (first..=last)
        .map(|j| schedule.length_of(j).as_secs_f64())
        .sum();
    let done: f64 = (first..=i)
        .map(|j| schedule.length_of(j).as_secs_f64())
        .sum();
    let from = start_level(schedule, first);
    if run <= 0.0 {
        target
    } else {
        from + (target - from) * done / run
    }
}

/// A ring of braille dots whose radius follows `level` (0 to 1).
#[derive(Debug, Clone, Copy)]
pub struct Ring {
    /// Fullness, 0 to 1.
    pub level: f64,
    /// Style of the dots.
    pub style: Style,
}

impl Ring {
    /// The radius in dots for an area, quantised to whole dots so that a
    /// frame only changes when the ring really moves.
    pub fn radius(area: Rect, level: f64) -> u32 {
        let (max, min) = Self::limits(area);
        min + ((f64::from(max - min)) * level.clamp(0.0, 1.0)).round() as u32
    }

    /// How many sizes the ring can take in `area`: too few in a small
    /// window for a breath to be seen moving.
    pub fn steps(area: Rect) -> u32 {
        let (max, min) = Self::limits(area);
        max - min + 1
    }

    fn limits(area: Rect) -> (u32, u32) {
        // Braille cells are 2 dots wide and 4 tall; dots are about square.
        let w = u32::from(area.width) * 2;
        let h = u32::from(area.height) * 4;
        let max = (w.min(h) / 2).saturating_sub(1).max(2);
        let min = (max / 4).max(1);
        (max, min)
    }
}

/// Braille dot bits, indexed by [row][column] within a cell.
const DOTS: [[u8; 2]; 4] = [[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]];

impl Widget for Ring {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.width == 0 || area.height == 0 {
            return;
        }
        let r = f64::from(Self::radius(area, self.level));
        let cx = f64::from(area.width);
        let cy = f64::from(area.height) * 2.0;
        for row in 0..area.height {
            for col in 0..area.width {
                let mut bits = 0u8;
                for (dy, line) in DOTS.iter().enumerate() {
                    for (dx, bit) in line.iter().enumerate() {
                        let x = f64::from(col) * 2.0 + dx as f64 + 0.5 - cx;
                        let y = f64::from(row) * 4.0 + dy as f64 + 0.5 - cy;
                        let d = (x * x + y * y).sqrt();
                        if (d - r).abs() < 0.75 {
                            bits |= bit;
                        }
                    }
                }
                if bits != 0 {
                    let ch = char::from_u32(0x2800 + u32::from(bits)).unwrap_or(' ');
                    if let Some(cell) = buf.cell_mut((area.x + col, area.y + row)) {
                        cell.set_char(ch).set_style(self.style);
                    }
                }
            }
        }
    }
}

/// A horizontal bar whose length follows `level`, in eighths of a cell.
#[derive(Debug, Clone, Copy)]
pub struct Bar {
    /// How much of the bar is filled, 0 to 1.
    pub level: f64,
    /// Style of the filled part.
    pub style: Style,
    /// Style of the empty part.
    pub track: Style,
}

const EIGHTHS: [char; 8] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

impl Bar {
    /// How many eighths of a cell are filled in a bar `width` cells wide.
    pub fn eighths(width: u16, level: f64) -> usize {
        (level.clamp(0.0, 1.0) * f64::from(width) * 8.0).round() as usize
    }
}

impl Widget for Bar {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.width == 0 || area.height == 0 {
            return;
        }
        let width = usize::from(area.width);
        let eighths = Self::eighths(area.width, self.level);
        let (full, part) = (eighths / 8, eighths % 8);
        for i in 0..width {
            let (ch, style) = if i < full {
                ('█', self.style)
            } else if i == full && part > 0 {
                (EIGHTHS[part], self.style)
            } else {
                ('·', self.track)
            };
            if let Some(cell) = buf.cell_mut((area.x + i as u16, area.y)) {
                cell.set_char(ch).set_style(style);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schedule(src: &str) -> Schedule {
        let session = crate::format::check_str(src, &crate::format::BuiltinSoundNames)
            .session
            .expect("valid session");
        Schedule::new(crate::engine::Timeline::compile(
            &session,
            std::time::Duration::ZERO,
        ))
    }

    fn level_at(s: &Schedule, ms: u64) -> f64 {
        fullness(s, &s.state_at(std::time::Duration::from_millis(ms)))
    }

    #[test]
    fn a_top_up_inhale_keeps_rising_from_where_the_first_ended() {
        // Cyclic sighing: in 2 s, in 1 s more, out 6 s.
        let s = schedule(
            "name = \"s\"\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 2 }, { in = 1 }, { out = 6 }]\ncycles = 2\n",
        );
        let mut last = -1.0;
        for ms in (0..=3000).step_by(50) {
            let l = level_at(&s, ms);
            assert!(
                l >= last - 1e-9,
                "the lungs never empty during the inhales: {l} after {last} at {ms} ms"
            );
            last = l;
        }
        let at_top_up = level_at(&s, 2000);
        assert!(
            (at_top_up - 2.0 / 3.0).abs() < 0.01,
            "the first inhale fills two thirds: {at_top_up}"
        );
        assert!((level_at(&s, 2999) - 1.0).abs() < 0.01);
        assert!(level_at(&s, 8999) < 0.01, "the exhale empties");
    }

    #[test]
    fn holds_keep_the_level_they_follow() {
        let s = schedule(
            "name = \"b\"\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 4 }, { hold = 4 }, { out = 4 }, { hold = 4 }]\ncycles = 1\n",
        );
        assert!((level_at(&s, 5000) - 1.0).abs() < 1e-9);
        assert!(level_at(&s, 13_000).abs() < 1e-9);
    }

    #[test]
    fn easing_is_slow_at_the_ends_and_fast_in_the_middle() {
        assert!(ease(0.0).abs() < 1e-9);
        assert!((ease(1.0) - 1.0).abs() < 1e-9);
        assert!((ease(0.5) - 0.5).abs() < 1e-9);
        // Not linear: the first tenth moves much less than a tenth.
        assert!(ease(0.1) < 0.05);
        assert!(ease(0.6) - ease(0.4) > 0.25);
    }

    #[test]
    fn ring_radius_is_quantised_and_grows_with_the_breath() {
        let area = Rect::new(0, 0, 30, 12);
        let small = Ring::radius(area, 0.0);
        let big = Ring::radius(area, 1.0);
        assert!(small < big);
        assert_eq!(Ring::radius(area, 0.5), Ring::radius(area, 0.501));
    }

    #[test]
    fn a_small_change_of_level_changes_few_cells() {
        let area = Rect::new(0, 0, 30, 12);
        let draw = |level| {
            let mut b = Buffer::empty(area);
            Ring {
                level,
                style: Style::new(),
            }
            .render(area, &mut b);
            b
        };
        let a = draw(0.50);
        let b = draw(0.53);
        let changed = a.diff(&b).len();
        let total = usize::from(area.width * area.height);
        assert!(
            changed < total / 3,
            "{changed} of {total} cells changed for a 3% step"
        );
    }
}
