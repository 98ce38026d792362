//! Colours and symbols for each kind of moment. Colour only reinforces
//! what the words and shapes already say, so the mono theme (and
//! `NO_COLOR`) loses nothing but the colour.

use ratatui::style::{Color, Modifier, Style};

use crate::engine::SegmentKind;
use crate::engine::model::PhaseKind;

/// The palette in use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    /// Whether colours are drawn at all.
    pub color: bool,
}

impl Theme {
    /// A theme with or without colour.
    pub fn new(color: bool) -> Self {
        Self { color }
    }

    fn fg(self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }

    /// The colour of a segment kind: calm blue in, warm amber on holds,
    /// green out, violet for a retention hold, grey while settling.
    pub fn kind(self, kind: SegmentKind) -> Style {
        self.fg(kind_color(kind))
    }

    /// Secondary text (hints, labels).
    pub fn dim(self) -> Style {
        if self.color {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new()
        }
    }

    /// Emphasised text (the phase word, titles). Bold reads without colour.
    pub fn strong(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    /// A marked item (the picker's selection): reversed video reads on any
    /// terminal, with or without colour.
    pub fn selected(self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    /// Errors and cautions.
    pub fn warn(self) -> Style {
        self.fg(Color::Yellow)
    }

    /// Invalid entries.
    pub fn error(self) -> Style {
        self.fg(Color::Red)
    }
}

/// The colour that carries a segment kind.
pub fn kind_color(kind: SegmentKind) -> Color {
    match kind {
        SegmentKind::Settle => Color::Gray,
        SegmentKind::Breath(PhaseKind::Inhale) => Color::Cyan,
        SegmentKind::Breath(PhaseKind::Hold) => Color::Yellow,
        SegmentKind::Breath(PhaseKind::Exhale) => Color::Green,
        SegmentKind::Breath(PhaseKind::Natural) => Color::Blue,
        SegmentKind::Retention => Color::Magenta,
        SegmentKind::Sit => Color::Blue,
    }
}

/// The word shown for a segment kind.
pub fn phase_word(kind: SegmentKind) -> &'static str {
    kind.label()
}

/// A shape beside the phase word, so the phase reads without colour:
/// up for in, a square for holds, down for out.
pub fn phase_mark(kind: SegmentKind) -> &'static str {
    match kind {
        SegmentKind::Settle => "·",
        SegmentKind::Breath(PhaseKind::Inhale) => "▲",
        SegmentKind::Breath(PhaseKind::Hold) | SegmentKind::Retention => "■",
        SegmentKind::Breath(PhaseKind::Exhale) => "▼",
        SegmentKind::Breath(PhaseKind::Natural) => "○",
        SegmentKind::Sit => "○",
    }
}
