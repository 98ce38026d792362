//! The breathing cue: how full the lungs should feel at a moment (eased,
//! never linear) and the shapes that show it: a ring drawn in braille dots
//! or a horizontal bar. Sizes are quantised to whole dots (or eighths of a
//! cell), so successive frames change only the few cells at the edge of
//! the shape and most frames change nothing at all.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::Widget;

pub use crate::engine::breath::{ease, fullness};

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
