//! Errors and warnings about a file, pointed at the exact place: the file,
//! line and column, the offending line with a caret under the value, and a
//! hint at what would be right.

use std::fmt::Write as _;
use std::ops::Range;

use crate::text::count;

/// How serious a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The file cannot be used.
    Error,
    /// The file works, but something looks unintended.
    Warning,
}

/// One message about a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong, in one sentence.
    pub message: String,
    /// Byte range in the file the message is about, if any.
    pub span: Option<Range<usize>>,
    /// What would be right, or how to fix it.
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error at `span`.
    pub fn error(message: impl Into<String>, span: Option<Range<usize>>) -> Self {
        Self {
            severity: Severity::Error,
            message: message.into(),
            span,
            help: None,
        }
    }

    /// A warning at `span`.
    pub fn warning(message: impl Into<String>, span: Option<Range<usize>>) -> Self {
        Self {
            severity: Severity::Warning,
            message: message.into(),
            span,
            help: None,
        }
    }

    /// Attach a hint.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// 1-based line and column (in characters) of the span's start.
    pub fn line_col(&self, source: &str) -> Option<(usize, usize)> {
        self.span.as_ref().map(|s| line_col(source, s.start))
    }

    /// Render for a terminal:
    ///
    /// ```text
    /// error: unknown key `cycels`
    ///  --> my.toml:12:1
    ///    |
    /// 12 | cycels = 4
    ///    | ^^^^^^
    ///    = help: did you mean `cycles`?
    /// ```
    pub fn render(&self, path: &str, source: &str) -> String {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut out = format!("{label}: {}\n", one_line(&self.message));
        let Some(span) = &self.span else {
            let _ = writeln!(out, " --> {path}");
            if let Some(help) = &self.help {
                let _ = writeln!(out, "  = help: {}", one_line(help));
            }
            return out;
        };
        let (line, col) = line_col(source, span.start);
        let text = source.lines().nth(line - 1).unwrap_or("");
        let gutter = line.to_string().len();
        let pad = " ".repeat(gutter);
        let _ = writeln!(out, "{pad}--> {path}:{line}:{col}");
        let _ = writeln!(out, "{pad} |");
        // The caret covers the span, clipped to the end of this line.
        let span_chars = source
            .get(span.clone())
            .map_or(1, |s| s.lines().next().unwrap_or("").chars().count())
            .max(1);
        let shown = clip_line(text, col - 1, span_chars, MAX_SHOWN_COLUMNS);
        let _ = writeln!(out, "{line} | {}", shown.text);
        let _ = writeln!(
            out,
            "{pad} | {}{}",
            " ".repeat(shown.before_caret),
            "^".repeat(shown.caret)
        );
        if let Some(help) = &self.help {
            let _ = writeln!(out, "{pad} = help: {}", one_line(help));
        }
        out
    }
}

/// Most diagnostics shown for one file. A file can hold a hundred thousand
/// mistakes (a list of bad references); past the first ones, each only
/// repeats what is already on screen, and showing them all would take
/// minutes.
pub const MAX_SHOWN: usize = 50;

/// Render `diags` for a terminal, each followed by a blank line: at most
/// [`MAX_SHOWN`] of them, then one line saying how many more there are.
pub fn render_all(diags: &[Diagnostic], path: &str, source: &str) -> String {
    let mut out = String::new();
    for d in diags.iter().take(MAX_SHOWN) {
        out.push_str(&d.render(path, source));
        out.push('\n');
    }
    if let Some(hidden) = diags.len().checked_sub(MAX_SHOWN).filter(|n| *n > 0) {
        let errors = diags[MAX_SHOWN..].iter().filter(|d| d.is_error()).count();
        let what = match (errors, hidden - errors) {
            (e, 0) => count(e, "more error"),
            (0, w) => count(w, "more warning"),
            (e, w) => format!("{} and {}", count(e, "more error"), count(w, "warning")),
        };
        let _ = writeln!(
            out,
            "… and {what} in {path}, not shown: fix the ones above and check again\n"
        );
    }
    out
}

/// Widest source line shown under a diagnostic, in terminal columns: a
/// file with one very long line must not fill the screen (or the log)
/// with it.
pub const MAX_SHOWN_COLUMNS: usize = 120;

/// Longest message or help shown, in characters; a value quoted in a
/// message (a key, a sound name) may be as long as the file.
const MAX_MESSAGE_CHARS: usize = 300;

/// A source line as shown: at most the given width, `…` where it was cut,
/// and where the caret goes under it (in columns, wide characters counted
/// as two).
#[derive(Debug, PartialEq, Eq)]
struct Shown {
    text: String,
    before_caret: usize,
    caret: usize,
}

/// How a character of a source line is drawn, and how many columns it
/// takes: tabs become a space, other control characters their visible
/// picture (`␛`), so nothing in a file can move the cursor or change the
/// terminal.
fn drawn(c: char) -> (char, usize) {
    use unicode_width::UnicodeWidthChar as _;
    match c {
        '\t' => (' ', 1),
        '\u{0}'..='\u{1f}' => (char::from_u32(0x2400 + c as u32).unwrap_or('?'), 1),
        '\u{7f}' => ('\u{2421}', 1),
        c if c.is_control() => ('\u{fffd}', 1),
        c => (c, c.width().unwrap_or(0)),
    }
}

/// `line` clipped to `max` columns around the caret, which starts at
/// character `caret_at` and covers `caret_chars` characters.
fn clip_line(line: &str, caret_at: usize, caret_chars: usize, max: usize) -> Shown {
    // Columns before the caret, under it, and in all.
    let (mut before, mut under, mut total) = (0, 0, 0);
    for (i, c) in line.chars().enumerate() {
        let w = drawn(c).1;
        if i < caret_at {
            before += w;
        } else if i < caret_at + caret_chars {
            under += w;
        }
        total += w;
    }
    let under = under.max(1);
    if total.max(before + under) <= max {
        return Shown {
            text: line.chars().map(|c| drawn(c).0).collect(),
            before_caret: before,
            caret: under,
        };
    }
    // A window of `room` columns with the caret a third of the way in,
    // moved left if that would run past the end of the line.
    let room = max.saturating_sub(2).max(1);
    let end = total.max(before + 1);
    let lo = before
        .saturating_sub(room / 3)
        .min(end.saturating_sub(room));
    let hi = lo + room;
    let mut text = String::new();
    let (mut at, mut first_shown, mut cut_right) = (0, None, false);
    for c in line.chars() {
        let (shown, w) = drawn(c);
        if at >= lo && at + w <= hi {
            first_shown.get_or_insert(at);
            text.push(shown);
        } else if at + w > hi {
            cut_right = true;
            break;
        }
        at += w;
    }
    let start = first_shown.unwrap_or(at);
    let cut_left = start > 0;
    let mut out = String::new();
    if cut_left {
        out.push('…');
    }
    out.push_str(&text);
    if cut_right {
        out.push('…');
    }
    let shown_end = start + text.chars().map(|c| drawn(c).1).sum::<usize>();
    let caret_end = (before + under).min(shown_end.max(before + 1));
    Shown {
        text: out,
        before_caret: usize::from(cut_left) + before.saturating_sub(start),
        caret: caret_end.saturating_sub(before).max(1),
    }
}

/// A message on one line: control characters written as escapes (`\n`),
/// and cut with `…` past a few hundred characters.
fn one_line(text: &str) -> String {
    let mut out = String::new();
    for (i, c) in text.chars().enumerate() {
        if i == MAX_MESSAGE_CHARS {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// 1-based line and character column of byte `offset` in `source`.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}

/// The closest of `candidates` to `word`, if it is close enough to be what
/// the writer meant.
pub fn did_you_mean<'a>(word: &str, candidates: &[&'a str]) -> Option<&'a str> {
    let close = candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(word, c), *c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c);
    // Short words with swapped letters ("bxo" for "box") score low on
    // Jaro-Winkler; one edit (a swap counts as one) is still a near miss.
    close.or_else(|| {
        candidates
            .iter()
            .filter(|c| word.chars().count() >= 3 && strsim::osa_distance(word, c) == 1)
            .copied()
            .next()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn points_at_line_and_column() {
        let src = "name = \"x\"\ncycels = 4\n";
        let d = Diagnostic::error("unknown key `cycels`", Some(11..17))
            .with_help("did you mean `cycles`?");
        assert_eq!(d.line_col(src), Some((2, 1)));
        let text = d.render("my.toml", src);
        assert_eq!(
            text,
            "error: unknown key `cycels`\n --> my.toml:2:1\n  |\n2 | cycels = 4\n  | ^^^^^^\n  = help: did you mean `cycles`?\n"
        );
    }

    /// The shown source line of a rendered diagnostic and the character
    /// the caret's first `^` stands under (columns counted as a terminal
    /// does, wide characters as two).
    fn under_caret(rendered: &str) -> (String, Option<char>) {
        use unicode_width::UnicodeWidthChar as _;
        let lines: Vec<&str> = rendered.lines().collect();
        let at = lines
            .iter()
            .position(|l| l.trim_start().starts_with("| ") || l.contains(" | "))
            .expect("a source line");
        let shown = lines[at].split_once(" | ").expect("gutter").1.to_owned();
        let caret = lines[at + 1].split_once(" | ").expect("gutter").1;
        let col = caret.find('^').expect("a caret");
        let mut w = 0;
        let mut found = None;
        for c in shown.chars() {
            let cw = c.width().unwrap_or(0);
            // A combining mark takes no column: it is not what a caret
            // stands under.
            if w == col && cw > 0 {
                found = Some(c);
                break;
            }
            w += cw;
        }
        (shown, found)
    }

    fn width(s: &str) -> usize {
        unicode_width::UnicodeWidthStr::width(s)
    }

    #[test]
    fn a_long_line_is_clipped_around_the_caret() {
        // One line of a megabyte, with the mistake in the middle.
        let mut src = String::from("name = \"");
        src.push_str(&"a".repeat(500_000));
        let at = src.len();
        src.push_str("Z = 1");
        src.push_str(&"b".repeat(500_000));
        src.push_str("\"\n");
        let d = Diagnostic::error("here", Some(at..at + 1));
        let text = d.render("long.toml", &src);
        assert!(text.len() < 1000, "{} bytes of output", text.len());
        assert!(text.contains("--> long.toml:1:500009"), "{text}");
        let (shown, under) = under_caret(&text);
        assert!(width(&shown) <= MAX_SHOWN_COLUMNS, "{shown}");
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
        assert_eq!(under, Some('Z'));
    }

    #[test]
    fn a_caret_near_either_end_of_a_long_line_keeps_its_place() {
        let src = format!("Z{}\n", "x".repeat(5000));
        let (shown, under) = under_caret(&Diagnostic::error("a", Some(0..1)).render("f", &src));
        assert!(!shown.starts_with('…') && shown.ends_with('…'), "{shown}");
        assert_eq!(under, Some('Z'));
        let src = format!("{}Z\n", "x".repeat(5000));
        let (shown, under) =
            under_caret(&Diagnostic::error("a", Some(5000..5001)).render("f", &src));
        assert!(shown.starts_with('…') && !shown.ends_with('…'), "{shown}");
        assert!(width(&shown) <= MAX_SHOWN_COLUMNS);
        assert_eq!(under, Some('Z'));
    }

    #[test]
    fn wide_characters_count_as_two_columns() {
        // Short line: the caret sits under the right character even after
        // double-width ones.
        let src = "name = \"呼吸\" x\n";
        let at = src.find('x').expect("x");
        let (_, under) = under_caret(&Diagnostic::error("a", Some(at..at + 1)).render("f", src));
        assert_eq!(under, Some('x'));
        // Long line of wide characters: clipped by columns, not characters.
        let mut src = "吸".repeat(3000);
        let at = src.len();
        src.push('Z');
        src.push_str(&"呼".repeat(3000));
        let text = Diagnostic::error("a", Some(at..at + 1)).render("f", &src);
        let (shown, under) = under_caret(&text);
        assert!(width(&shown) <= MAX_SHOWN_COLUMNS, "{}", width(&shown));
        assert!(width(&shown) >= MAX_SHOWN_COLUMNS - 3, "{}", width(&shown));
        assert_eq!(under, Some('Z'));
    }

    #[test]
    fn a_caret_at_the_end_of_a_long_line_points_past_it() {
        let src = format!("name = \"{}", "x".repeat(3000));
        let d = Diagnostic::error("unclosed", Some(src.len()..src.len()));
        let text = d.render("f", &src);
        let (shown, under) = under_caret(&text);
        assert!(width(&shown) <= MAX_SHOWN_COLUMNS);
        assert_eq!(under, None, "the caret is one column past the text");
    }

    #[test]
    fn control_characters_never_reach_the_terminal() {
        let src = "name = \"a\u{1b}[2J\" # x\n";
        let d =
            Diagnostic::error("unknown sound `a\u{1b}[2J\nb`", Some(7..8)).with_help("try `\u{7}`");
        let text = d.render("f", src);
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "{text:?}"
        );
        assert!(text.contains("a\u{241b}[2J"), "{text}");
        assert!(text.contains("unknown sound `a\\u{1b}[2J\\nb`"), "{text}");
        assert_eq!(text.lines().count(), 6, "{text}");
    }

    #[test]
    fn a_very_long_message_is_cut() {
        let d = Diagnostic::error(format!("unknown key `{}`", "k".repeat(100_000)), None);
        let text = d.render("f", "");
        assert!(text.len() < 1000, "{}", text.len());
        assert!(text.contains("k…"), "{text}");
    }

    proptest::proptest! {
        /// Whatever the line and wherever the span, rendering never panics,
        /// the shown line fits in the width and the caret stands under the
        /// span's first character (or just past the line's end).
        #[test]
        fn any_line_and_span_render_within_the_width(
            line in "[a-zé呼\\t\\u{1b}\\u{301} ]{0,400}",
            at in 0_usize..420,
            len in 0_usize..50,
        ) {
            let src = format!("{line}\nnext\n");
            let mut start = at.min(line.len());
            while !src.is_char_boundary(start) {
                start -= 1;
            }
            let end = (start + len).min(src.len());
            let mut end = end.max(start);
            while !src.is_char_boundary(end) {
                end += 1;
            }
            let text = Diagnostic::error("m", Some(start..end)).render("f", &src);
            let (shown, under) = under_caret(&text);
            proptest::prop_assert!(width(&shown) <= MAX_SHOWN_COLUMNS, "{}", width(&shown));
            let first = src[start..].chars().next().filter(|c| *c != '\n');
            match first.map(drawn) {
                Some((c, w)) if w > 0 => proptest::prop_assert_eq!(under, Some(c)),
                // A combining mark has no column of its own to stand under.
                Some(_) => {}
                None => proptest::prop_assert!(under.is_none(), "{:?}", under),
            }
        }
    }

    #[test]
    fn a_file_with_thousands_of_mistakes_shows_the_first_fifty() {
        let src = "x\n".repeat(10_000);
        let diags: Vec<Diagnostic> = (0..10_000)
            .map(|i| Diagnostic::error("bad", Some(i * 2..i * 2 + 1)))
            .collect();
        let text = render_all(&diags, "f.toml", &src);
        assert_eq!(text.matches("error: bad").count(), MAX_SHOWN);
        assert!(text.contains("--> f.toml:50:1"), "{text}");
        assert!(!text.contains("--> f.toml:51:1"));
        assert!(
            text.ends_with(
                "… and 9950 more errors in f.toml, not shown: fix the ones above and check again\n\n"
            ),
            "{}",
            &text[text.len() - 200..]
        );
        // A few are all shown, with nothing added.
        assert!(!render_all(&diags[..3], "f.toml", &src).contains("not shown"));
    }

    #[test]
    fn columns_count_characters_not_bytes() {
        assert_eq!(
            line_col("é = 1", 3),
            (1, 3),
            "é is two bytes but one column"
        );
    }

    #[test]
    fn suggests_near_misses_only() {
        assert_eq!(
            did_you_mean("cycels", &["cycles", "phases"]),
            Some("cycles")
        );
        assert_eq!(did_you_mean("zzz", &["cycles", "phases"]), None);
        assert_eq!(did_you_mean("bxo", &["478", "box", "sigh"]), Some("box"));
        assert_eq!(did_you_mean("in", &["on", "out"]), None);
    }
}
