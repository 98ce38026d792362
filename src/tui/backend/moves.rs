//! The shortest way to move the terminal's cursor from one cell to
//! another.
//!
//! "Go to row, column" (`\e[row;colH`) always works but costs six to
//! eight bytes. Between the cells of a ring that changes round its edge,
//! most moves are a row down and a few columns back, which a line feed
//! and a few backspaces say in two to five bytes. This module weighs every
//! way it knows and returns the shortest; all of them are understood by
//! every terminal ratatui draws on (VT100 and later).

use ratatui::layout::Position;

/// Whether a line feed moves the cursor straight down, keeping its
/// column. In raw mode on Unix the terminal's output processing is off
/// (crossterm's raw mode clears `OPOST`), so `\n` is not turned into
/// `\r\n`; the Windows console may return to the first column.
pub(super) const LINE_FEED_GOES_DOWN: bool = cfg!(unix);

/// The most line feeds written for one move (beyond, `\e[nB` is shorter).
const MAX_LINE_FEEDS: u16 = 3;

/// The most backspaces written for one move (beyond, `\e[nD` is shorter).
const MAX_BACKSPACES: u16 = 4;

/// A move up or down, keeping the column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Vertical {
    Stay,
    /// `\n` n times (only where [`LINE_FEED_GOES_DOWN`]).
    LineFeeds(u16),
    /// `\eM`, reverse index: up one row (the cursor is never on the top
    /// row when this is chosen, so it never scrolls).
    UpOne,
    /// `\e[nB`.
    Down(u16),
    /// `\e[nA`.
    Up(u16),
}

/// A move along the row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Horizontal {
    Stay,
    /// `\e[nC`.
    Forward(u16),
    /// `\x08` n times.
    Backspaces(u16),
    /// `\e[nD`.
    Back(u16),
    /// `\r`: to the first column (going there and forward again is
    /// never shorter than [`Horizontal::Column`]).
    Return,
    /// `\e[nG`: to column n (counted from 1).
    Column(u16),
}

/// One way from a cell to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Move {
    /// Relative: up or down, then along the row.
    By(Vertical, Horizontal),
    /// `\e[row;colH`, from anywhere (counted from 0 here).
    To(Position),
}

/// How many decimal digits `n` has.
fn digits(n: u16) -> usize {
    match n {
        0..=9 => 1,
        10..=99 => 2,
        100..=999 => 3,
        1000..=9999 => 4,
        _ => 5,
    }
}

/// The length of `\e[nX`, where n = 1 is left out.
fn csi_len(n: u16) -> usize {
    if n == 1 { 3 } else { 3 + digits(n) }
}

impl Vertical {
    fn len(self) -> usize {
        match self {
            Vertical::Stay => 0,
            Vertical::LineFeeds(n) => usize::from(n),
            Vertical::UpOne => 2,
            Vertical::Down(n) | Vertical::Up(n) => csi_len(n),
        }
    }

    fn write(self, out: &mut Vec<u8>) {
        match self {
            Vertical::Stay => {}
            Vertical::LineFeeds(n) => out.extend(std::iter::repeat_n(b'\n', usize::from(n))),
            Vertical::UpOne => out.extend_from_slice(b"\x1bM"),
            Vertical::Down(n) => csi(out, n, b'B'),
            Vertical::Up(n) => csi(out, n, b'A'),
        }
    }

    /// The shortest move from row `from` to row `to`.
    fn shortest(from: u16, to: u16) -> Self {
        use std::cmp::Ordering::{Equal, Greater, Less};
        match to.cmp(&from) {
            Equal => Vertical::Stay,
            Greater if LINE_FEED_GOES_DOWN && to - from <= MAX_LINE_FEEDS => {
                Vertical::LineFeeds(to - from)
            }
            Greater => Vertical::Down(to - from),
            Less if from - to == 1 => Vertical::UpOne,
            Less => Vertical::Up(from - to),
        }
    }
}

impl Horizontal {
    fn len(self) -> usize {
        match self {
            Horizontal::Stay => 0,
            Horizontal::Backspaces(n) => usize::from(n),
            Horizontal::Forward(n) | Horizontal::Back(n) => csi_len(n),
            Horizontal::Return => 1,
            Horizontal::Column(c) => csi_len(c),
        }
    }

    fn write(self, out: &mut Vec<u8>) {
        match self {
            Horizontal::Stay => {}
            Horizontal::Forward(n) => csi(out, n, b'C'),
            Horizontal::Backspaces(n) => out.extend(std::iter::repeat_n(b'\x08', usize::from(n))),
            Horizontal::Back(n) => csi(out, n, b'D'),
            Horizontal::Return => out.push(b'\r'),
            Horizontal::Column(c) => csi(out, c, b'G'),
        }
    }

    /// The shortest move from column `from` to column `to`.
    fn shortest(from: u16, to: u16) -> Self {
        let relative = match to.cmp(&from) {
            std::cmp::Ordering::Equal => return Horizontal::Stay,
            _ if to == 0 => return Horizontal::Return,
            std::cmp::Ordering::Greater => Horizontal::Forward(to - from),
            std::cmp::Ordering::Less if from - to <= MAX_BACKSPACES => {
                Horizontal::Backspaces(from - to)
            }
            std::cmp::Ordering::Less => Horizontal::Back(from - to),
        };
        let column = Horizontal::Column(to + 1);
        if relative.len() <= column.len() {
            relative
        } else {
            column
        }
    }
}

fn csi(out: &mut Vec<u8>, n: u16, code: u8) {
    out.extend_from_slice(b"\x1b[");
    if n != 1 {
        out.extend_from_slice(n.to_string().as_bytes());
    }
    out.push(code);
}

impl Move {
    /// The shortest way from `from` (`None`: unknown) to `to`.
    pub(super) fn shortest(from: Option<Position>, to: Position) -> Self {
        let absolute = Move::To(to);
        let Some(at) = from else {
            return absolute;
        };
        let relative = Move::By(
            Vertical::shortest(at.y, to.y),
            Horizontal::shortest(at.x, to.x),
        );
        if relative.len() <= absolute.len() {
            relative
        } else {
            absolute
        }
    }

    /// How many bytes the move writes.
    pub(super) fn len(self) -> usize {
        match self {
            Move::By(v, h) => v.len() + h.len(),
            Move::To(p) if p.x == 0 && p.y == 0 => 3,
            Move::To(p) if p.x == 0 => 3 + digits(p.y + 1),
            Move::To(p) => 4 + digits(p.y + 1) + digits(p.x + 1),
        }
    }

    /// Write the move's bytes.
    pub(super) fn write(self, out: &mut Vec<u8>) {
        match self {
            Move::By(v, h) => {
                v.write(out);
                h.write(out);
            }
            Move::To(p) if p.x == 0 && p.y == 0 => out.extend_from_slice(b"\x1b[H"),
            Move::To(p) if p.x == 0 => {
                out.extend_from_slice(format!("\x1b[{}H", p.y + 1).as_bytes());
            }
            Move::To(p) => {
                out.extend_from_slice(format!("\x1b[{};{}H", p.y + 1, p.x + 1).as_bytes());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bytes(from: Option<(u16, u16)>, to: (u16, u16)) -> String {
        let mut out = Vec::new();
        let m = Move::shortest(from.map(Position::from), Position::from(to));
        m.write(&mut out);
        assert_eq!(
            out.len(),
            m.len(),
            "the length it reports is what it writes"
        );
        String::from_utf8(out).expect("ascii")
    }

    #[test]
    fn the_cursor_takes_the_shortest_way() {
        // Unknown: go to the cell.
        assert_eq!(bytes(None, (4, 6)), "\x1b[7;5H");
        assert_eq!(bytes(None, (0, 6)), "\x1b[7H");
        assert_eq!(bytes(None, (0, 0)), "\x1b[H");
        // Along the row.
        assert_eq!(bytes(Some((4, 6)), (5, 6)), "\x1b[C");
        assert_eq!(bytes(Some((4, 6)), (14, 6)), "\x1b[10C");
        assert_eq!(bytes(Some((9, 6)), (7, 6)), "\x08\x08");
        assert_eq!(bytes(Some((30, 6)), (20, 6)), "\x1b[10D");
        assert_eq!(bytes(Some((30, 6)), (0, 6)), "\r");
        assert_eq!(bytes(Some((30, 6)), (2, 6)), "\x1b[3G");
        assert_eq!(bytes(Some((300, 6)), (9, 6)), "\x1b[10G");
        // Up one row: reverse index; further: "up n".
        assert_eq!(bytes(Some((4, 6)), (4, 5)), "\x1bM");
        assert_eq!(bytes(Some((4, 6)), (3, 2)), "\x1b[4A\x08");
        // Far away: straight there.
        assert_eq!(bytes(Some((70, 20)), (3, 2)), "\x1b[3;4H");
        if LINE_FEED_GOES_DOWN {
            // A row or two down and a little back: line feeds and
            // backspaces.
            assert_eq!(bytes(Some((40, 6)), (38, 7)), "\n\x08\x08");
            assert_eq!(bytes(Some((40, 6)), (0, 8)), "\n\n\r");
        } else {
            assert_eq!(bytes(Some((40, 6)), (38, 7)), "\x1b[B\x08\x08");
        }
        assert_eq!(bytes(Some((4, 2)), (4, 12)), "\x1b[10B");
    }
}
