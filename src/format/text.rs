//! Which characters a text value of a session may hold, and where in the
//! file a character that is not allowed was written.
//!
//! One-line texts (titles, tags, cues, prompts, references) are shown on
//! one line: in `exhale list`, in `show`, and one line per event in plain
//! mode. They may hold no control character at all: a line break would
//! split the line, a tab would break the columns, and an escape could
//! drive the terminal. Multi-line texts (the description, the caution)
//! may hold line breaks (`\n`, or `\r\n` from a file saved on Windows),
//! and nothing else of the kind.

use std::ops::Range;

/// Whether a text is shown on one line or may run over several.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    /// Titles, tags, cues, prompts, references: no control characters.
    One,
    /// The description and the caution: line breaks allowed.
    Many,
}

/// The first character of `value` that a text of this kind may not hold,
/// and its index among the value's characters.
pub fn forbidden(value: &str, lines: Lines) -> Option<(usize, char)> {
    let mut chars = value.chars().enumerate().peekable();
    while let Some((i, c)) = chars.next() {
        let allowed = match (lines, c) {
            (_, c) if !c.is_control() => true,
            (Lines::Many, '\n') => true,
            (Lines::Many, '\r') => chars.peek().is_some_and(|(_, n)| *n == '\n'),
            _ => false,
        };
        if !allowed {
            return Some((i, c));
        }
    }
    None
}

/// What the character is, in words: "a line break", "a tab", "the
/// control character U+001B".
pub fn name_of(c: char) -> String {
    match c {
        '\n' | '\r' => "a line break".into(),
        '\t' => "a tab".into(),
        c => format!("the control character U+{:04X}", u32::from(c)),
    }
}

/// Where in `source` the `index`-th character of the string value written
/// at `span` is written (a literal character, or an escape such as `\n`
/// or `\u001b`). `None` when the value cannot be followed back into the
/// source; the caller then points at the whole value.
pub fn locate(source: &str, span: Range<usize>, index: usize) -> Option<Range<usize>> {
    let raw = source.get(span.clone())?;
    let (open, basic) = if raw.starts_with("\"\"\"") {
        (3, true)
    } else if raw.starts_with("'''") {
        (3, false)
    } else if raw.starts_with('"') {
        (1, true)
    } else if raw.starts_with('\'') {
        (1, false)
    } else {
        return None;
    };
    let multi = open == 3;
    let body = &raw[open..];
    let mut at = 0;
    // A line break right after the opening quotes is not part of a
    // multi-line string.
    if multi {
        if body.starts_with("\r\n") {
            at = 2;
        } else if body.starts_with('\n') {
            at = 1;
        }
    }
    let mut n = 0;
    while at < body.len() {
        let rest = &body[at..];
        let c = rest.chars().next()?;
        let len = if basic && c == '\\' {
            match escape_len(rest, multi) {
                Escape::Char(len) => len,
                Escape::Continuation(len) => {
                    // A backslash at the end of a line joins the lines:
                    // nothing of it is in the value.
                    at += len;
                    continue;
                }
                Escape::Unknown => return None,
            }
        } else {
            c.len_utf8()
        };
        if n == index {
            let start = span.start + open + at;
            return Some(start..start + len);
        }
        n += 1;
        at += len;
    }
    None
}

enum Escape {
    /// One character of the value, written in this many bytes.
    Char(usize),
    /// A line-ending backslash and the whitespace it swallows.
    Continuation(usize),
    /// Something this reader does not know (the parser accepted it, so
    /// only a newer TOML could write it).
    Unknown,
}

/// The escape at the start of `rest` (which starts with a backslash).
fn escape_len(rest: &str, multi: bool) -> Escape {
    let Some(next) = rest[1..].chars().next() else {
        return Escape::Unknown;
    };
    match next {
        'b' | 't' | 'n' | 'f' | 'r' | 'e' | '"' | '\\' => Escape::Char(2),
        'x' => Escape::Char(4),
        'u' => Escape::Char(6),
        'U' => Escape::Char(10),
        ' ' | '\t' | '\r' | '\n' if multi => {
            let after = rest[1..].trim_start_matches([' ', '\t', '\r', '\n']);
            Escape::Continuation(rest.len() - after.len())
        }
        _ => Escape::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text of `source` at the place the `index`-th character of the
    /// value after `key = ` was written.
    fn written<'a>(source: &'a str, key: &str, index: usize) -> Option<&'a str> {
        let start = source.find(&format!("{key} = "))? + key.len() + 3;
        let end = source[start..]
            .find("\nend")
            .map_or(source.len(), |i| start + i);
        locate(source, start..end, index).map(|r| &source[r])
    }

    #[test]
    fn one_line_texts_take_no_control_character() {
        assert_eq!(forbidden("Box breathing", Lines::One), None);
        assert_eq!(forbidden("Box\nbreathing", Lines::One), Some((3, '\n')));
        assert_eq!(forbidden("a\tb", Lines::One), Some((1, '\t')));
        assert_eq!(forbidden("\u{1b}[2J", Lines::One), Some((0, '\u{1b}')));
        assert_eq!(forbidden("a\u{85}", Lines::One), Some((1, '\u{85}')));
    }

    #[test]
    fn multi_line_texts_take_line_breaks_of_either_kind_only() {
        assert_eq!(forbidden("a\nb\r\nc", Lines::Many), None);
        assert_eq!(forbidden("a\rb", Lines::Many), Some((1, '\r')));
        assert_eq!(forbidden("a\tb", Lines::Many), Some((1, '\t')));
    }

    #[test]
    fn escapes_and_literal_characters_are_found_where_written() {
        let src = "name = \"ab\\ncd\"\nend";
        assert_eq!(written(src, "name", 2), Some("\\n"));
        let src = "name = \"é\\u001Bx\"\nend";
        assert_eq!(written(src, "name", 1), Some("\\u001B"));
        assert_eq!(written(src, "name", 2), Some("x"));
        let src = "name = \"a\tb\"\nend";
        assert_eq!(written(src, "name", 1), Some("\t"));
        let src = "name = 'a\tb'\nend";
        assert_eq!(written(src, "name", 1), Some("\t"));
        let src = "name = \"\"\"\nfirst\nsecond\"\"\"\nend";
        assert_eq!(written(src, "name", 5), Some("\n"));
        let src = "name = \"\"\"one \\\n   two\\tx\"\"\"\nend";
        assert_eq!(written(src, "name", 7), Some("\\t"));
        let src = "name = '''\r\nab\r\nc'''\nend";
        assert_eq!(written(src, "name", 2), Some("\r"));
    }

    proptest::proptest! {
        /// However the TOML writer spells a text (escapes, literal or
        /// multi-line strings), the first forbidden character is found
        /// where it is written.
        #[test]
        fn the_forbidden_character_is_found_however_it_is_written(
            value in "[a-zé'\"\\\\ \n\t\r\u{1b}\u{7f}]{0,30}",
        ) {
            let written = toml::Value::String(value.clone()).to_string();
            let src = format!("name = {written}\n");
            let span = 7..7 + written.len();
            let parsed: toml::Table = toml::from_str(&src).expect("the writer writes TOML");
            proptest::prop_assert_eq!(parsed["name"].as_str(), Some(value.as_str()));
            if let Some((i, c)) = forbidden(&value, Lines::One) {
                let at = locate(&src, span, i);
                proptest::prop_assert!(at.is_some(), "{} not found in {}", i, written);
                let text = &src[at.expect("found")];
                let decoded = if text.chars().count() == 1 {
                    text.to_owned()
                } else {
                    let t: toml::Table = toml::from_str(&format!("x = \"{text}\""))
                        .expect("an escape");
                    t["x"].as_str().unwrap_or_default().to_owned()
                };
                proptest::prop_assert_eq!(decoded, c.to_string(), "in {}", written);
            }
        }
    }

    #[test]
    fn what_a_character_is_called() {
        assert_eq!(name_of('\n'), "a line break");
        assert_eq!(name_of('\t'), "a tab");
        assert_eq!(name_of('\u{1b}'), "the control character U+001B");
    }
}
