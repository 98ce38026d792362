//! Fitting text into a width: word wrapping with a line limit and "…",
//! and cutting a title short with "…". Widths are terminal columns.

use ratatui::text::Span;

/// Columns `s` takes on screen.
pub fn width(s: &str) -> usize {
    Span::raw(s).width()
}

/// `s` cut to `max` columns, ending in "…" when something was cut.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_owned();
    }
    if max == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = width(c.encode_utf8(&mut [0; 4]));
        if used + w > max - 1 {
            break;
        }
        out.push(c);
        used += w;
    }
    out.truncate(out.trim_end().len());
    out.push('…');
    out
}

/// `text` wrapped at word boundaries into lines of at most `max` columns
/// (a word longer than a line is cut into pieces).
pub fn wrap(text: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let mut word = word.to_owned();
        loop {
            let sep = usize::from(!line.is_empty());
            if width(&line) + sep + width(&word) <= max {
                if sep == 1 {
                    line.push(' ');
                }
                line.push_str(&word);
                break;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                continue;
            }
            // A word wider than a whole line: cut it.
            let mut head = String::new();
            let mut rest = word.chars();
            for c in rest.by_ref() {
                if width(&head) + width(c.encode_utf8(&mut [0; 4])) > max {
                    lines.push(std::mem::take(&mut head));
                    head.push(c);
                    break;
                }
                head.push(c);
            }
            word = head + rest.as_str();
            if width(&word) <= max {
                line = word;
                break;
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// `text` wrapped into at most `max_lines` lines; the last ends in "…"
/// when the text goes on.
pub fn wrap_lines(text: &str, max: usize, max_lines: usize) -> Vec<String> {
    let mut lines = wrap(text, max);
    if lines.len() > max_lines && max_lines > 0 {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            let cut = truncate(&format!("{last} …"), max);
            *last = if cut.ends_with('…') {
                cut
            } else {
                format!("{last}…")
            };
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_at_words_and_marks_what_is_left_out() {
        assert_eq!(wrap("one two three four", 9), ["one two", "three", "four"]);
        assert_eq!(wrap("abcdefghij", 4), ["abcd", "efgh", "ij"]);
        assert_eq!(
            wrap_lines("one two three four", 9, 2),
            ["one two", "three …"]
        );
        assert_eq!(truncate("Cyclic breathing with holds", 12), "Cyclic brea…");
        assert_eq!(truncate("Short", 12), "Short");
    }
}
