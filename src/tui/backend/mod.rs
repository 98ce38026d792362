//! What the app writes to the terminal: ratatui's [`Backend`] over a
//! writer, sending as few bytes as the changed cells need.
//!
//! ratatui hands the backend only the cells that differ from the last
//! frame. Crossterm's backend then starts every frame from scratch: it
//! moves the cursor to the first cell even when it is already there, sets
//! the colours again, resets every attribute at the end of each frame, and
//! hides the cursor again on every frame. On a breathing screen, where a
//! frame changes a few dozen braille cells, that is most of what is
//! written. This backend remembers what the terminal was left with (where
//! the cursor is, the style of the last cell written, whether the cursor
//! is shown), because nothing else writes to the terminal while the app
//! owns it, and sends only:
//!
//! - a cell's text, and a cursor move only when the cell is not where the
//!   cursor already is, by the shortest way there ([`moves`]: a line
//!   feed and two backspaces are three bytes where "go to row, column" is
//!   eight), or the few cells in between written again when that is
//!   shorter;
//! - the changed cells in the order that needs the fewest bytes: ratatui
//!   lists them row by row, which on a ring means jumping from its left
//!   edge to its right and back on every row; when going round the ring
//!   (always to the nearest run of changed cells) writes less, that order
//!   is taken;
//! - nothing for a blank whose only change is one that does not show (a
//!   blank's foreground colour, boldness and the like);
//! - the attributes and colours that differ from the previous cell's, in
//!   one SGR sequence, with the same colour codes crossterm uses (so the
//!   screen looks the same);
//! - a cursor hide or show only when it changes;
//! - nothing at all for a frame with no changed cell.
//!
//! A frame is written with one `write` when it is flushed. Underline
//! colours are not written (the app uses none).

use std::fmt::Write as _;
use std::io::{self, Write};

use ratatui::backend::{Backend, ClearType, WindowSize};
use ratatui::buffer::Cell;
use ratatui::crossterm::terminal;
use ratatui::layout::{Position, Size};
use ratatui::style::{Color, Modifier};
use unicode_width::UnicodeWidthStr as _;

mod moves;

use moves::Move;

/// The style the terminal writes new text in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Pen {
    fg: Color,
    bg: Color,
    modifier: Modifier,
}

impl Pen {
    const RESET: Pen = Pen {
        fg: Color::Reset,
        bg: Color::Reset,
        modifier: Modifier::empty(),
    };

    /// Whether writing `cell` in this pen looks as the cell should. A
    /// blank shows only its background and the attributes that draw on
    /// empty space, so its foreground, boldness and the like do not
    /// matter.
    fn draws(&self, cell: &Cell) -> bool {
        if cell.symbol() == " " {
            self.bg == cell.bg && self.modifier & SHOWN_ON_BLANK == cell.modifier & SHOWN_ON_BLANK
        } else {
            self.fg == cell.fg && self.bg == cell.bg && self.modifier == cell.modifier
        }
    }
}

/// The attributes that show on a blank cell.
const SHOWN_ON_BLANK: Modifier = Modifier::REVERSED
    .union(Modifier::UNDERLINED)
    .union(Modifier::CROSSED_OUT)
    .union(Modifier::SLOW_BLINK)
    .union(Modifier::RAPID_BLINK);

/// The most cells written again to save a cursor move.
const MAX_BRIDGE: u16 = 6;

/// The most runs of changed cells put in the nearest-first order; beyond,
/// the frame is mostly new (a new screen, a resize) and written row by row
/// (choosing the order costs the square of the runs).
const MAX_ORDERED_RUNS: usize = 200;

/// Where the cursor was left and in what style.
type Left = (Option<Position>, Option<Pen>);

/// A stretch of changed cells side by side on one row: written with no
/// move between them.
#[derive(Debug, Clone, Copy)]
struct Run {
    /// The cells' range in the frame's list.
    start: usize,
    end: usize,
    /// Its first cell.
    first: Position,
    /// Where the cursor is after it (`None` past the last column).
    after: Option<Position>,
}

/// A ratatui backend that writes only what changed (see the module docs).
pub struct LeanBackend<W: Write> {
    writer: W,
    /// The bytes of the frame being drawn, written out on `flush`.
    out: Vec<u8>,
    /// Where the terminal's cursor is, when known.
    cursor: Option<Position>,
    /// The style the terminal will write the next cell in, when known.
    pen: Option<Pen>,
    /// Whether the cursor is shown, when known.
    shown: Option<bool>,
    /// The window's size as last asked (ratatui asks before each frame),
    /// for knowing when a write reaches the last column (after which the
    /// cursor's place is left to the terminal).
    size: std::cell::Cell<Size>,
    /// A size given instead of asking the terminal (tests).
    fixed: bool,
    /// What the terminal shows, as far as this backend wrote it: for
    /// bridging a short gap between changed cells by writing the cells in
    /// between again when that is shorter than a cursor move.
    shadow: Vec<Option<Cell>>,
    /// The width `shadow` was laid out for.
    shadow_width: u16,
}

impl<W: Write> LeanBackend<W> {
    /// Draw on `writer`, knowing nothing yet of the terminal's state.
    pub fn new(writer: W) -> Self {
        let size = terminal::size().map_or(Size::new(80, 24), |(w, h)| Size::new(w, h));
        let mut b = Self::with_size(writer, size);
        b.fixed = false;
        b
    }

    /// Draw on `writer` for a window of `size` that never changes (tests).
    pub fn with_size(writer: W, size: Size) -> Self {
        Self {
            writer,
            out: Vec::with_capacity(4096),
            cursor: None,
            pen: None,
            shown: None,
            size: std::cell::Cell::new(size),
            fixed: true,
            shadow: Vec::new(),
            shadow_width: 0,
        }
    }

    /// The writer (tests read what was written).
    pub fn writer(&self) -> &W {
        &self.writer
    }

    /// Forget what the terminal was left with: the next frame sets its
    /// cursor and style from scratch. For when something else may have
    /// written to it.
    pub fn forget(&mut self) {
        self.cursor = None;
        self.pen = None;
        self.shown = None;
        self.shadow.clear();
        self.shadow_width = 0;
    }

    /// The shadow's cell at `(x, y)`, when it is known.
    fn known(&self, x: u16, y: u16) -> Option<&Cell> {
        if x >= self.shadow_width {
            return None;
        }
        self.shadow
            .get(usize::from(y) * usize::from(self.shadow_width) + usize::from(x))?
            .as_ref()
    }

    /// Lay the shadow out for the window's size, every cell `fill`.
    fn reset_shadow(&mut self, fill: Option<Cell>) {
        let size = self.size.get();
        self.shadow_width = size.width;
        self.shadow.clear();
        self.shadow
            .resize(usize::from(size.width) * usize::from(size.height), fill);
    }

    fn remember(&mut self, x: u16, y: u16, cell: &Cell) {
        let size = self.size.get();
        if self.shadow_width != size.width
            || self.shadow.len() != usize::from(size.width) * usize::from(size.height)
        {
            // A new size: what is on screen is unknown until written.
            self.reset_shadow(None);
        }
        let row = usize::from(y) * usize::from(size.width);
        let (x, w) = (usize::from(x), cell.symbol().width());
        // Writing over half of a wide character blanks its other half on
        // most terminals, but not all: forget both.
        if x > 0
            && self.shadow[row + x - 1]
                .as_ref()
                .is_some_and(|c| c.symbol().width() > 1)
        {
            self.shadow[row + x - 1] = None;
        }
        if let Some(c) = self.shadow.get_mut(row + x) {
            *c = Some(cell.clone());
        }
        for k in 1..w {
            if x + k < usize::from(size.width) {
                self.shadow[row + x + k] = None;
            }
        }
    }

    /// The bytes that write again the cells from the cursor up to `to`
    /// on the same row, when they are known, one column wide each, and
    /// need no change of style; `None` otherwise.
    fn bridge(&self, to: Position) -> Option<Vec<u8>> {
        let at = self.cursor?;
        let pen = self.pen?;
        if at.y != to.y || to.x <= at.x || to.x - at.x > MAX_BRIDGE {
            return None;
        }
        let mut bytes = Vec::new();
        for x in at.x..to.x {
            let c = self.known(x, at.y)?;
            let sym = c.symbol();
            if sym.width() != 1 || !pen.draws(c) {
                return None;
            }
            bytes.extend_from_slice(sym.as_bytes());
        }
        Some(bytes)
    }

    fn move_to(&mut self, to: Position) {
        if self.cursor == Some(to) {
            return;
        }
        let mv = Move::shortest(self.cursor, to);
        match self.bridge(to) {
            Some(b) if b.len() < mv.len() => self.out.extend_from_slice(&b),
            _ => mv.write(&mut self.out),
        }
        self.cursor = Some(to);
    }

    /// About how many bytes getting from `from` to `to` takes: the
    /// shortest move, or the gap written again when it is short (whether
    /// it can be is known only when writing).
    fn move_cost(from: Option<Position>, to: Position) -> usize {
        if from == Some(to) {
            return 0;
        }
        let mv = Move::shortest(from, to).len();
        match from {
            Some(at) if at.y == to.y && to.x > at.x && to.x - at.x <= MAX_BRIDGE => {
                mv.min(usize::from(to.x - at.x))
            }
            _ => mv,
        }
    }

    /// Where the cursor is after a cell at `(x, y)` as wide as `symbol`.
    fn after(&self, x: u16, y: u16, symbol: &str) -> Option<Position> {
        let next = x.saturating_add(symbol.width().max(1) as u16);
        // At the last column the terminal waits to wrap: its cursor's
        // place is no longer simply the next cell.
        (next < self.size.get().width).then_some(Position { x: next, y })
    }

    /// Whether the terminal already shows `cell` at `(x, y)`: a blank
    /// whose change does not show (see [`Pen::draws`]). Other cells are
    /// handed over only when they look different.
    fn already_shows(&self, x: u16, y: u16, cell: &Cell) -> bool {
        cell.symbol() == " "
            && self.known(x, y).is_some_and(|c| {
                c.symbol() == " "
                    && c.bg == cell.bg
                    && c.modifier & SHOWN_ON_BLANK == cell.modifier & SHOWN_ON_BLANK
            })
    }

    /// Write `cells` in the order given.
    fn write_cells<'a>(&mut self, cells: impl Iterator<Item = &'a (u16, u16, &'a Cell)>) {
        for &(x, y, cell) in cells {
            self.move_to(Position { x, y });
            if !self.pen.is_some_and(|p| p.draws(cell)) {
                self.set_pen(Pen {
                    fg: cell.fg,
                    bg: cell.bg,
                    modifier: cell.modifier,
                });
            }
            self.remember(x, y, cell);
            let symbol = cell.symbol();
            self.out.extend_from_slice(symbol.as_bytes());
            self.cursor = self.after(x, y, symbol);
        }
    }

    /// The frame's cells cut into runs of cells side by side.
    fn runs(&self, cells: &[(u16, u16, &Cell)]) -> Vec<Run> {
        let mut runs: Vec<Run> = Vec::new();
        for (i, &(x, y, cell)) in cells.iter().enumerate() {
            let here = Position { x, y };
            let after = self.after(x, y, cell.symbol());
            match runs.last_mut() {
                Some(run) if run.after == Some(here) => {
                    run.end = i + 1;
                    run.after = after;
                }
                _ => runs.push(Run {
                    start: i,
                    end: i + 1,
                    first: here,
                    after,
                }),
            }
        }
        runs
    }

    /// The runs in nearest-first order from where the cursor is: always
    /// on to the unwritten run that is cheapest to reach (the earliest on
    /// a tie).
    fn nearest_first(&self, runs: &[Run]) -> Vec<usize> {
        let mut left: Vec<usize> = (0..runs.len()).collect();
        let mut order = Vec::with_capacity(runs.len());
        let mut at = self.cursor;
        while !left.is_empty() {
            let mut best = 0;
            let mut best_cost = usize::MAX;
            for (k, &r) in left.iter().enumerate() {
                let cost = Self::move_cost(at, runs[r].first);
                if cost < best_cost {
                    (best, best_cost) = (k, cost);
                }
            }
            let r = left.remove(best);
            at = runs[r].after;
            order.push(r);
        }
        order
    }

    fn set_pen(&mut self, to: Pen) {
        let from = match self.pen {
            Some(p) if p == to => return,
            Some(p) => p,
            None => {
                // Unknown: start from a reset, in the same sequence.
                let mut codes = String::from("0");
                sgr_modifiers(&mut codes, Modifier::empty(), to.modifier);
                if to.fg != Color::Reset {
                    push_color(&mut codes, to.fg, true);
                }
                if to.bg != Color::Reset {
                    push_color(&mut codes, to.bg, false);
                }
                self.sgr(&codes);
                self.pen = Some(to);
                return;
            }
        };
        let mut codes = String::new();
        sgr_modifiers(&mut codes, from.modifier, to.modifier);
        if to.fg != from.fg {
            push_color(&mut codes, to.fg, true);
        }
        if to.bg != from.bg {
            push_color(&mut codes, to.bg, false);
        }
        self.sgr(&codes);
        self.pen = Some(to);
    }

    fn sgr(&mut self, codes: &str) {
        if !codes.is_empty() {
            let _ = write!(Bytes(&mut self.out), "\x1b[{codes}m");
        }
    }
}

/// `fmt::Write` into a byte buffer.
struct Bytes<'a>(&'a mut Vec<u8>);

impl std::fmt::Write for Bytes<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

fn push_code(codes: &mut String, code: &str) {
    if !codes.is_empty() {
        codes.push(';');
    }
    codes.push_str(code);
}

/// The SGR codes that turn the attributes `from` into `to`, as crossterm
/// writes them: bold and dim share one "normal intensity" code, so
/// taking one away puts back the other if it stays.
fn sgr_modifiers(codes: &mut String, from: Modifier, to: Modifier) {
    let removed = from - to;
    let added = to - from;
    let mut add = added;
    if removed.intersects(Modifier::BOLD | Modifier::DIM) {
        push_code(codes, "22");
        add |= to & (Modifier::BOLD | Modifier::DIM);
    }
    for (m, off) in [
        (Modifier::ITALIC, "23"),
        (Modifier::UNDERLINED, "24"),
        (Modifier::REVERSED, "27"),
        (Modifier::HIDDEN, "28"),
        (Modifier::CROSSED_OUT, "29"),
    ] {
        if removed.contains(m) {
            push_code(codes, off);
        }
    }
    if removed.intersects(Modifier::SLOW_BLINK | Modifier::RAPID_BLINK) {
        push_code(codes, "25");
        add |= to & (Modifier::SLOW_BLINK | Modifier::RAPID_BLINK);
    }
    for (m, on) in [
        (Modifier::BOLD, "1"),
        (Modifier::DIM, "2"),
        (Modifier::ITALIC, "3"),
        (Modifier::UNDERLINED, "4"),
        (Modifier::SLOW_BLINK, "5"),
        (Modifier::RAPID_BLINK, "6"),
        (Modifier::REVERSED, "7"),
        (Modifier::HIDDEN, "8"),
        (Modifier::CROSSED_OUT, "9"),
    ] {
        if add.contains(m) {
            push_code(codes, on);
        }
    }
}

/// A colour's SGR code, as crossterm writes ratatui's colours: the 16
/// named ones as palette indexes (`38;5;n`), so the screen looks exactly
/// as it did through crossterm.
fn push_color(codes: &mut String, c: Color, fg: bool) {
    let base = if fg { "38" } else { "48" };
    let index = match c {
        Color::Reset => {
            push_code(codes, if fg { "39" } else { "49" });
            return;
        }
        Color::Rgb(r, g, b) => {
            push_code(codes, &format!("{base};2;{r};{g};{b}"));
            return;
        }
        Color::Indexed(i) => i,
        Color::Black => 0,
        Color::Red => 1,
        Color::Green => 2,
        Color::Yellow => 3,
        Color::Blue => 4,
        Color::Magenta => 5,
        Color::Cyan => 6,
        Color::Gray => 7,
        Color::DarkGray => 8,
        Color::LightRed => 9,
        Color::LightGreen => 10,
        Color::LightYellow => 11,
        Color::LightBlue => 12,
        Color::LightMagenta => 13,
        Color::LightCyan => 14,
        Color::White => 15,
    };
    push_code(codes, &format!("{base};5;{index}"));
}

impl<W: Write> Backend for LeanBackend<W> {
    type Error = io::Error;

    fn draw<'a, I>(&mut self, content: I) -> io::Result<()>
    where
        I: Iterator<Item = (u16, u16, &'a Cell)>,
    {
        let cells: Vec<(u16, u16, &Cell)> = content
            .filter(|&(x, y, cell)| !self.already_shows(x, y, cell))
            .collect();
        let runs = self.runs(&cells);
        if runs.len() < 2 || runs.len() > MAX_ORDERED_RUNS {
            self.write_cells(cells.iter());
            return Ok(());
        }
        let mut orders = vec![
            (0..runs.len()).collect::<Vec<_>>(),
            self.nearest_first(&runs),
        ];
        orders.dedup();
        // Write it both ways and keep the shorter: the nearest-first
        // order is chosen on moves alone, and a change of colour or a
        // bridge can tip it. (Going round the ring's middle by angle was
        // tried as a third way: no shorter over a whole breath.) The
        // second try may bridge over a changed cell the first wrote (the
        // shadow has its new look): it then shows that look a little
        // early, which is as right.
        let start = self.out.len();
        let before = (self.cursor, self.pen);
        let mut best: Option<(Vec<u8>, Left)> = None;
        for order in orders {
            (self.cursor, self.pen) = before;
            for r in order {
                let run = runs[r];
                self.write_cells(cells[run.start..run.end].iter());
            }
            let bytes = self.out.split_off(start);
            if best.as_ref().is_none_or(|(b, _)| bytes.len() < b.len()) {
                best = Some((bytes, (self.cursor, self.pen)));
            }
        }
        if let Some((bytes, after)) = best {
            self.out.extend_from_slice(&bytes);
            (self.cursor, self.pen) = after;
        }
        Ok(())
    }

    fn hide_cursor(&mut self) -> io::Result<()> {
        if self.shown != Some(false) {
            self.out.extend_from_slice(b"\x1b[?25l");
            self.shown = Some(false);
        }
        Ok(())
    }

    fn show_cursor(&mut self) -> io::Result<()> {
        if self.shown != Some(true) {
            self.out.extend_from_slice(b"\x1b[?25h");
            self.shown = Some(true);
        }
        Ok(())
    }

    /// Where the cursor was left, as far as this backend knows; it never
    /// asks the terminal (the answer would arrive on the key reader's
    /// input).
    fn get_cursor_position(&mut self) -> io::Result<Position> {
        Ok(self.cursor.unwrap_or(Position::ORIGIN))
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> io::Result<()> {
        self.move_to(position.into());
        Ok(())
    }

    fn clear(&mut self) -> io::Result<()> {
        self.clear_region(ClearType::All)
    }

    fn clear_region(&mut self, clear_type: ClearType) -> io::Result<()> {
        // The terminal clears with the current background: the default.
        if self.pen.is_none_or(|p| p.bg != Color::Reset) {
            self.set_pen(Pen::RESET);
        }
        let code: &[u8] = match clear_type {
            ClearType::All => b"\x1b[2J",
            ClearType::AfterCursor => b"\x1b[J",
            ClearType::BeforeCursor => b"\x1b[1J",
            ClearType::CurrentLine => b"\x1b[2K",
            ClearType::UntilNewLine => b"\x1b[K",
        };
        self.out.extend_from_slice(code);
        // A whole clear leaves every cell blank in the default style; what
        // the others clear depends on the cursor: forget the screen.
        let blank = (clear_type == ClearType::All).then(Cell::default);
        self.reset_shadow(blank);
        Ok(())
    }

    fn size(&self) -> io::Result<Size> {
        if !self.fixed {
            let (width, height) = terminal::size()?;
            self.size.set(Size { width, height });
        }
        Ok(self.size.get())
    }

    fn window_size(&mut self) -> io::Result<WindowSize> {
        let terminal::WindowSize {
            columns,
            rows,
            width,
            height,
        } = terminal::window_size()?;
        Ok(WindowSize {
            columns_rows: Size {
                width: columns,
                height: rows,
            },
            pixels: Size { width, height },
        })
    }

    fn flush(&mut self) -> io::Result<()> {
        if !self.out.is_empty() {
            let written = self.writer.write_all(&self.out);
            self.out.clear();
            if let Err(e) = written {
                // Part of it may have gone out: the state is unknown.
                self.forget();
                return Err(e);
            }
        }
        self.writer.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::Terminal;
    use ratatui::style::Stylize as _;
    use ratatui::text::Line;

    /// A terminal on a cleared screen, as the app starts.
    fn term() -> Terminal<LeanBackend<Vec<u8>>> {
        let mut t =
            Terminal::new(LeanBackend::with_size(Vec::new(), Size::new(20, 4))).expect("terminal");
        t.clear().expect("clear");
        t
    }

    fn written(t: &mut Terminal<LeanBackend<Vec<u8>>>, from: usize) -> String {
        String::from_utf8_lossy(&t.backend().writer()[from..]).into_owned()
    }

    fn draw(t: &mut Terminal<LeanBackend<Vec<u8>>>, lines: &[(u16, Line<'static>)]) -> String {
        let from = t.backend().writer().len();
        t.draw(|f| {
            for (y, l) in lines {
                f.render_widget(l.clone(), ratatui::layout::Rect::new(0, *y, 20, 1));
            }
        })
        .expect("draw");
        written(t, from)
    }

    #[test]
    fn a_frame_with_nothing_changed_writes_nothing() {
        let mut t = term();
        let first = draw(&mut t, &[(1, Line::from("breathe in".cyan()))]);
        assert!(first.contains("breathe in"), "{first:?}");
        assert_eq!(draw(&mut t, &[(1, Line::from("breathe in".cyan()))]), "");
    }

    #[test]
    fn only_changed_cells_are_written_with_moves_only_between_gaps() {
        let mut t = term();
        draw(
            &mut t,
            &[(0, Line::from("4 left")), (2, Line::from("abcdef"))],
        );
        // One changed cell: one move, one character.
        assert_eq!(
            draw(
                &mut t,
                &[(0, Line::from("3 left")), (2, Line::from("abcdef"))]
            ),
            "\x1b[H3"
        );
        // Two rows down from there: two line feeds. Adjacent cells need no
        // move between them; a short gap on the same row is written again
        // (shorter than a move).
        assert_eq!(
            draw(
                &mut t,
                &[(0, Line::from("3 left")), (2, Line::from("aXYdeZ"))]
            ),
            "\n\nXYdeZ"
        );
    }

    #[test]
    fn the_style_is_set_once_for_a_run_and_kept_across_frames() {
        let mut t = term();
        let first = draw(&mut t, &[(0, Line::from("ab".green().bold()))]);
        assert!(first.contains("\x1b[1;38;5;2mab"), "{first:?}");
        // The same style a frame later: no codes at all.
        assert_eq!(
            draw(&mut t, &[(0, Line::from("aX".green().bold()))]),
            "\x08X"
        );
        // Only what differs: the colour.
        assert_eq!(
            draw(&mut t, &[(0, Line::from("aY".cyan().bold()))]),
            "\r\x1b[38;5;6maY"
        );
        // Bold taken away: normal intensity; a background added.
        assert_eq!(
            draw(&mut t, &[(0, Line::from("aZ".cyan().on_blue()))]),
            "\r\x1b[22;48;5;4maZ"
        );
    }

    #[test]
    fn a_short_gap_of_known_cells_is_written_again_instead_of_a_move() {
        let mut t = term();
        draw(&mut t, &[(0, Line::from("a  b      c"))]);
        // Two blanks between the changes: two spaces are shorter than a
        // move; six are not.
        assert_eq!(
            draw(&mut t, &[(0, Line::from("x  y      z"))]),
            "\rx  y\x1b[6Cz"
        );
    }

    #[test]
    fn blanks_keep_the_colour_of_the_cells_around_them() {
        let mut t = term();
        draw(&mut t, &[(0, Line::from("⣿⣿⣿".cyan()))]);
        // The middle cell becomes a default-style blank: a space is
        // written without changing the colour back and forth.
        let out = draw(
            &mut t,
            &[(0, Line::from(vec!["⡇".cyan(), " ".into(), "⢸".cyan()]))],
        );
        assert_eq!(out, "\r⡇ ⢸");
    }

    #[test]
    fn a_blank_whose_change_does_not_show_is_not_written() {
        let mut t = term();
        draw(
            &mut t,
            &[(
                0,
                Line::from(vec!["x".into(), "   ".cyan().bold(), "y".into()]),
            )],
        );
        // ratatui hands the blanks over (their style changed), but a
        // blank's colour and boldness do not show: nothing to write.
        assert_eq!(draw(&mut t, &[(0, Line::from("x   y"))]), "");
        // A background does show.
        assert_eq!(
            draw(
                &mut t,
                &[(0, Line::from(vec!["x ".into(), " ".on_blue(), " y".into()]))]
            ),
            "\x08\x08\x08\x1b[48;5;4m "
        );
    }

    #[test]
    fn the_cursor_is_hidden_once() {
        let mut t = term();
        let first = draw(&mut t, &[(0, Line::from("x"))]);
        assert_eq!(first.matches("\x1b[?25l").count(), 1, "{first:?}");
        let second = draw(&mut t, &[(0, Line::from("y"))]);
        assert!(!second.contains("\x1b[?25l"), "{second:?}");
    }

    #[test]
    fn after_the_last_column_the_next_cell_is_placed_again() {
        let mut t = term();
        draw(&mut t, &[(0, Line::from("                  a"))]);
        // The cursor is left at column 19, the last: the change there
        // needs no move, but after it the terminal waits to wrap, so the
        // cell below is reached by row and column, not by a line feed.
        let out = draw(
            &mut t,
            &[
                (0, Line::from("                  ab")),
                (1, Line::from("c")),
            ],
        );
        assert_eq!(out, "b\x1b[2Hc");
    }

    #[test]
    fn wide_characters_move_the_cursor_two_columns() {
        let mut t = term();
        draw(&mut t, &[(0, Line::from("界a"))]);
        // The cell after the wide one is column 2: right after it.
        assert_eq!(draw(&mut t, &[(0, Line::from("国b"))]), "\r国b");
    }

    /// The breathing cue's ring in every size it takes at 80x24 (the
    /// cue's area there: 28 columns by 14 rows in the middle), smallest
    /// first, on a cleared 80x24 screen.
    fn ring_sizes() -> Vec<ratatui::buffer::Buffer> {
        use ratatui::widgets::Widget as _;
        let screen = ratatui::layout::Rect::new(0, 0, 80, 24);
        let cue = ratatui::layout::Rect::new(26, 5, 28, 14);
        let mut sizes: Vec<ratatui::buffer::Buffer> = Vec::new();
        let mut last = None;
        for step in 0..=1000 {
            let level = f64::from(step) / 1000.0;
            let radius = crate::tui::cue::Ring::radius(cue, level);
            if last != Some(radius) {
                last = Some(radius);
                let mut buf = ratatui::buffer::Buffer::empty(screen);
                let style = ratatui::style::Style::new().fg(Color::Cyan);
                crate::tui::cue::Ring { level, style }.render(cue, &mut buf);
                sizes.push(buf);
            }
        }
        sizes
    }

    #[test]
    fn a_ring_step_is_written_round_the_ring_in_fewer_bytes() {
        let size = Size::new(80, 24);
        let sizes = ring_sizes();
        assert!(sizes.len() > 10, "{} sizes", sizes.len());
        // Every step of a whole breath in and out, written cell by cell
        // in ratatui's order (row by row, each cell on its own) and a
        // frame at a time.
        let mut by_rows = LeanBackend::with_size(Vec::new(), size);
        let mut round = LeanBackend::with_size(Vec::new(), size);
        let blank = ratatui::buffer::Buffer::empty(sizes[0].area);
        let mut steps: Vec<(&ratatui::buffer::Buffer, &ratatui::buffer::Buffer)> =
            vec![(&blank, &sizes[0])];
        steps.extend(sizes.windows(2).map(|w| (&w[0], &w[1])));
        steps.extend(sizes.windows(2).rev().map(|w| (&w[1], &w[0])));
        for b in [&mut by_rows, &mut round] {
            b.clear().expect("clear");
        }
        let (mut rows_bytes, mut round_bytes) = (0, 0);
        for (from, to) in &steps {
            let changed = from.diff(to);
            let n = by_rows.writer().len();
            for &cell in &changed {
                by_rows.draw(std::iter::once(cell)).expect("draw");
            }
            by_rows.flush().expect("flush");
            rows_bytes += by_rows.writer().len() - n;
            let n = round.writer().len();
            round.draw(changed.iter().copied()).expect("draw");
            round.flush().expect("flush");
            round_bytes += round.writer().len() - n;
        }
        assert!(
            round_bytes * 100 < rows_bytes * 95,
            "round the ring {round_bytes} bytes, row by row {rows_bytes}"
        );
        // And the screen shows the smallest ring again either way.
        for b in [&by_rows, &round] {
            let mut vt = vt_parser(size);
            vt.process(b.writer());
            for y in 0..size.height {
                for x in 0..size.width {
                    let want = sizes[0][(x, y)].symbol();
                    let got = vt.screen().cell(y, x).map_or("", |c| c.contents());
                    let got = if got.is_empty() { " " } else { got };
                    assert_eq!(got, want, "at ({x}, {y})");
                }
            }
        }
    }

    /// A terminal emulator of `size`, for reading what the bytes show.
    fn vt_parser(size: Size) -> vt100::Parser {
        let n = |v: u16| std::num::NonZeroU16::new(v).expect("not zero");
        vt100::Parser::new(n(size.height), n(size.width), 0)
    }

    /// A vt100 colour for a ratatui one, as the backend writes it.
    fn vt_color(c: Color) -> vt100::Color {
        match c {
            Color::Reset => vt100::Color::Default,
            Color::Blue => vt100::Color::Idx(4),
            Color::Cyan => vt100::Color::Idx(6),
            Color::Indexed(i) => vt100::Color::Idx(i),
            Color::Rgb(r, g, b) => vt100::Color::Rgb(r, g, b),
            other => panic!("not used here: {other:?}"),
        }
    }

    /// One cell of a random frame: symbol, foreground, background,
    /// attributes.
    fn any_cell() -> impl proptest::strategy::Strategy<Value = (usize, usize, usize, usize)> {
        use proptest::prelude::*;
        // Mostly blanks and braille, as on a breathing screen.
        (
            prop_oneof![4 => Just(0usize), 4 => Just(1usize), 1 => 2usize..5],
            0usize..3,
            prop_oneof![4 => Just(0usize), 1 => Just(1usize)],
            prop_oneof![6 => Just(0usize), 1 => 1usize..3],
        )
    }

    /// A frame of `size` filled with `cells` over and over. With `wide`,
    /// some are wide characters, and every background is the default and
    /// nothing reversed: when a cell is written over half of a wide
    /// character, the terminal blanks the other half in the background
    /// and reversal then in use, and ratatui
    /// does not hand that half over again (through any backend), so wide
    /// characters and coloured backgrounds are not mixed here (the app
    /// mixes them nowhere).
    fn frame(
        size: Size,
        wide: bool,
        cells: &[(usize, usize, usize, usize)],
    ) -> ratatui::buffer::Buffer {
        const SYMBOLS: [&str; 5] = [" ", "⣿", "a", "⡇", "界"];
        const FG: [Color; 3] = [Color::Reset, Color::Cyan, Color::Indexed(8)];
        const BG: [Color; 2] = [Color::Reset, Color::Blue];
        const MODS: [Modifier; 3] = [Modifier::empty(), Modifier::BOLD, Modifier::REVERSED];
        let area = ratatui::layout::Rect::new(0, 0, size.width, size.height);
        let mut buf = ratatui::buffer::Buffer::empty(area);
        let mut it = cells.iter().cycle();
        for y in 0..size.height {
            let mut x = 0;
            while x < size.width {
                let &(sym, fg, bg, md) = it.next().expect("cycle");
                let (sym, bg, md) = if wide {
                    (sym, 0, md.min(1))
                } else {
                    (sym.min(3), bg, md)
                };
                let style = ratatui::style::Style::new()
                    .fg(FG[fg])
                    .bg(BG[bg])
                    .add_modifier(MODS[md]);
                let (next, _) = buf.set_stringn(x, y, SYMBOLS[sym], 2, style);
                x = next.max(x + 1);
            }
        }
        buf
    }

    proptest::proptest! {
        /// Whatever the frames, a terminal fed what the backend writes
        /// shows each frame as ratatui drew it: the same characters,
        /// colours and attributes where they show.
        #[test]
        fn a_terminal_shows_every_frame_as_drawn(
            frames in proptest::collection::vec(
                proptest::collection::vec(any_cell(), 1..60), 1..5),
            wide: bool,
        ) {
            let size = Size::new(13, 5);
            let mut t = Terminal::new(LeanBackend::with_size(Vec::new(), size)).expect("terminal");
            t.clear().expect("clear");
            let mut vt = vt_parser(size);
            let mut from = 0;
            for cells in &frames {
                let want = frame(size, wide, cells);
                t.draw(|f| f.buffer_mut().clone_from(&want)).expect("draw");
                vt.process(&t.backend().writer()[from..]);
                from = t.backend().writer().len();
                for y in 0..size.height {
                    for x in 0..size.width {
                        let w = &want[(x, y)];
                        if x > 0 && want[(x - 1, y)].symbol().width() > 1 {
                            continue; // covered by a wide character
                        }
                        let c = vt.screen().cell(y, x).expect("cell");
                        let got = if c.contents().is_empty() { " " } else { c.contents() };
                        proptest::prop_assert_eq!(got, w.symbol(), "symbol at ({}, {})", x, y);
                        proptest::prop_assert_eq!(c.bgcolor(), vt_color(w.bg), "background at ({}, {})", x, y);
                        proptest::prop_assert_eq!(
                            c.inverse(), w.modifier.contains(Modifier::REVERSED), "reversed at ({}, {})", x, y);
                        if w.symbol() != " " {
                            proptest::prop_assert_eq!(c.fgcolor(), vt_color(w.fg), "colour at ({}, {})", x, y);
                            proptest::prop_assert_eq!(
                                c.bold(), w.modifier.contains(Modifier::BOLD), "bold at ({}, {})", x, y);
                        }
                    }
                }
            }
        }
    }
}
