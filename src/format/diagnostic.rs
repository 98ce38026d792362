//! Errors and warnings about a file, pointed at the exact place: the file,
//! line and column, the offending line with a caret under the value, and a
//! hint at what would be right.

use std::fmt::Write as _;
use std::ops::Range;

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
        let mut out = format!("{label}: {}\n", self.message);
        let Some(span) = &self.span else {
            let _ = writeln!(out, " --> {path}");
            if let Some(help) = &self.help {
                let _ = writeln!(out, "  = help: {help}");
            }
            return out;
        };
        let (line, col) = line_col(source, span.start);
        let text = source.lines().nth(line - 1).unwrap_or("");
        let gutter = line.to_string().len();
        let pad = " ".repeat(gutter);
        let _ = writeln!(out, "{pad}--> {path}:{line}:{col}");
        let _ = writeln!(out, "{pad} |");
        let shown: String = text
            .chars()
            .map(|c| if c == '\t' { ' ' } else { c })
            .collect();
        let _ = writeln!(out, "{line} | {shown}");
        // The caret covers the span, clipped to the end of this line.
        let line_chars = text.chars().count();
        let span_chars = source
            .get(span.clone())
            .map_or(1, |s| s.lines().next().unwrap_or("").chars().count())
            .max(1);
        let width = span_chars.min(line_chars.saturating_sub(col - 1).max(1));
        let _ = writeln!(out, "{pad} | {}{}", " ".repeat(col - 1), "^".repeat(width));
        if let Some(help) = &self.help {
            let _ = writeln!(out, "{pad} = help: {help}");
        }
        out
    }
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
