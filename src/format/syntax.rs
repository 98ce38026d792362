//! TOML syntax errors in words a person writing the file can act on, for
//! session files and the config file alike: what is wrong, exactly where
//! (every error has a line and column, even those the parser gives
//! without one), and what to write instead, with examples from the kind
//! of file being read.

use std::ops::Range;

use toml_parser::parser::{Event, EventKind, RecursionGuard};

use super::diagnostic::Diagnostic;

/// How deep tables and lists may nest, and how many dotted parts a key may
/// have, before the TOML parser stops (its own limit, which keeps a hostile
/// file from exhausting the stack).
pub const MAX_NESTING: usize = 80;

/// The examples and the guide a syntax error's hint points to, for one
/// kind of file.
#[derive(Debug, Clone, Copy)]
pub struct Wording {
    /// A setting written as text, e.g. `name = "Box breathing"`.
    pub text_example: &'static str,
    /// A setting of any kind, e.g. `kind = "breathe"`.
    pub setting_example: &'static str,
    /// Keys of this kind of file, e.g. "`name` or `cycles`".
    pub key_examples: &'static str,
    /// How deep this kind of file nests, for an error about nesting.
    pub nesting: &'static str,
    /// Where the format is described, as a hint when nothing better fits.
    pub guide: &'static str,
}

/// Wording for session files.
pub const SESSION: Wording = Wording {
    text_example: "name = \"Box breathing\"",
    setting_example: "kind = \"breathe\"",
    key_examples: "`name` or `cycles`",
    nesting: "a session nests only a few levels deep (a block, its phases, a phase's keys)",
    guide: "`exhale help format` shows the shape of a session file",
};

/// Wording for the config file.
pub const CONFIG: Wording = Wording {
    text_example: "theme = \"mono\"",
    setting_example: "animation = \"bar\"",
    key_examples: "`theme` or `volume`",
    nesting: "the config file has one level of sections ([sound], [journal])",
    guide: "`exhale help config` shows the format",
};

/// The start of the hint for a text left without its closing quote.
const UNCLOSED_TEXT: &str = "close the text with a double quote";

/// Most syntax errors reported for one file: after a missing bracket or
/// quote the parser reports one error per following line, all caused by
/// the first, so a long list would only bury it.
const MAX_SYNTAX_ERRORS: usize = 4;

/// The parser's errors for `source` as diagnostics, first first, without
/// the cascade one early mistake causes.
pub fn errors(errors: &[toml::de::Error], source: &str, words: &Wording) -> Vec<Diagnostic> {
    let mut diags: Vec<Diagnostic> = errors.iter().map(|e| error(e, source, words)).collect();
    diags.sort_by_key(|d| d.span.as_ref().map_or(0, |s| s.start));
    // A text without its closing quote swallows the rest of its line, and
    // everything the parser says after it follows from that: report it
    // alone.
    if let Some(i) = diags.iter().position(|d| {
        d.help
            .as_deref()
            .is_some_and(|h| h.starts_with(UNCLOSED_TEXT))
    }) {
        diags.truncate(i + 1);
    }
    // One error per line, and no run of the same error on line after line
    // (the cascade of a missing bracket): the first is the one to fix.
    let mut lines = std::collections::HashSet::new();
    let mut last_line_of: std::collections::HashMap<String, usize> =
        std::collections::HashMap::new();
    diags.retain(|d| {
        let line = d.line_col(source).map_or(0, |(l, _)| l);
        let cascade = last_line_of
            .insert(d.message.clone(), line)
            .is_some_and(|prev| line <= prev + 1);
        !cascade && lines.insert(line)
    });
    if diags.len() > MAX_SYNTAX_ERRORS {
        diags.truncate(MAX_SYNTAX_ERRORS);
        if let Some(last) = diags.last_mut() {
            let help = last.help.take().unwrap_or_default();
            last.help = Some(format!(
                "{help}; later errors may follow from the ones above: fix those and check again"
            ));
        }
    }
    diags
}

/// One syntax error in words.
pub fn error(e: &toml::de::Error, source: &str, words: &Wording) -> Diagnostic {
    let msg = e.message().trim().to_owned();
    let (message, span, help) = if msg == "recursion limit" {
        // The parser gives no place for a key with too many dotted parts:
        // find the part where it went too deep.
        (
            format!("TOML syntax: this key has more than {MAX_NESTING} dotted parts"),
            e.span().or_else(|| deep_key(source)),
            format!(
                "{}: write the key with fewer parts, e.g. sounds.bell",
                words.nesting
            ),
        )
    } else if msg.contains("cannot recurse further") {
        (
            format!("TOML syntax: lists and tables nest more than {MAX_NESTING} deep here"),
            e.span(),
            format!("{}: remove the extra [ or {{", words.nesting),
        )
    } else {
        (
            format!("TOML syntax: {msg}"),
            e.span(),
            help_for(&msg, words),
        )
    };
    let mut d = Diagnostic::error(message, span).with_help(help);
    if let Some(span) = &d.span {
        if span.start >= source.len() && !source.is_empty() {
            d.span = Some(source.len().saturating_sub(1)..source.len());
        }
    }
    d
}

fn help_for(msg: &str, words: &Wording) -> String {
    if msg.contains("expected `\"`") {
        format!("{UNCLOSED_TEXT} \" on the same line")
    } else if msg.contains("inline table") {
        "write each inline table as { key = value, ... } and close it with }".into()
    } else if msg.contains("string") && msg.contains("expected") {
        format!("text must be in double quotes, e.g. {}", words.text_example)
    } else if msg.contains("duplicate key") {
        "each key may appear once per table; remove or rename one of them".into()
    } else if msg.contains("missing comma between array elements") {
        "items of a list [ ... ] are separated by commas; is a closing ] missing on an earlier line?"
            .into()
    } else if msg.contains("unclosed") {
        "something opened earlier is not closed: add the missing ], } or quote".into()
    } else if msg.contains("expected `=`") && !msg.contains("unexpected") {
        format!(
            "write each setting as key = value, e.g. {}",
            words.setting_example
        )
    } else if msg.contains("invalid key") {
        format!(
            "keys are words like {}, followed by = and a value",
            words.key_examples
        )
    } else {
        words.guide.into()
    }
}

/// Where the first key with more than [`MAX_NESTING`] dotted parts goes
/// too deep: the part past the limit.
fn deep_key(source: &str) -> Option<Range<usize>> {
    let src = toml_parser::Source::new(source);
    let tokens: Vec<_> = src.lex().collect();
    let mut found: Option<Range<usize>> = None;
    let mut dots = 0;
    let mut receiver = |event: Event| {
        if found.is_some() {
            return;
        }
        match event.kind() {
            EventKind::KeySep => dots += 1,
            EventKind::Whitespace => {}
            EventKind::SimpleKey if dots >= MAX_NESTING => {
                let span = event.span();
                found = Some(span.start()..span.end());
            }
            EventKind::SimpleKey => {}
            _ => dots = 0,
        }
    };
    // The guard keeps deep lists in the same file from deep recursion here.
    let mut guarded = RecursionGuard::new(&mut receiver, MAX_NESTING as u32);
    toml_parser::parser::parse_document(&tokens, &mut guarded, &mut ());
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use toml::de::DeTable;

    fn first(source: &str, words: &Wording) -> Diagnostic {
        let (_, errs) = DeTable::parse_recoverable(source);
        errors(&errs, source, words)
            .into_iter()
            .next()
            .expect("an error")
    }

    #[test]
    fn a_key_with_too_many_dotted_parts_is_pointed_at() {
        for (prefix, header) in [("", false), ("[", true)] {
            let key = (0..100).map(|i| format!("k{i}")).collect::<Vec<_>>();
            let line = format!(
                "{prefix}{}{}",
                key.join("."),
                if header { "]" } else { " = 1" }
            );
            let src = format!("name = \"x\"\n{line}\n");
            let d = first(&src, &SESSION);
            assert!(d.message.contains("more than 80 dotted parts"), "{d:?}");
            let at = src.find("k80").expect("k80");
            assert_eq!(d.span, Some(at..at + 3), "{header}");
            assert!(
                d.help
                    .as_deref()
                    .is_some_and(|h| h.contains("a session nests"))
            );
        }
    }

    #[test]
    fn lists_nested_too_deep_are_pointed_at() {
        let src = format!("tags = {}{}\n", "[".repeat(200), "]".repeat(200));
        let d = first(&src, &CONFIG);
        assert!(d.message.contains("nest more than 80 deep"), "{d:?}");
        assert_eq!(d.line_col(&src), Some((1, 88)));
        assert!(d.help.as_deref().is_some_and(|h| h.contains("[sound]")));
    }

    #[test]
    fn hints_use_examples_from_the_kind_of_file() {
        let d = first("theme = mono\n", &CONFIG);
        assert!(
            d.help
                .as_deref()
                .is_some_and(|h| h.contains("theme = \"mono\"")),
            "{d:?}"
        );
        let d = first("name = Box\n", &SESSION);
        assert!(
            d.help
                .as_deref()
                .is_some_and(|h| h.contains("name = \"Box")),
            "{d:?}"
        );
    }
}
