//! A check-in's wording and how its answer reads, the same in both front
//! ends: the questions, the scale, the limits, and [`parse_answer`]. A
//! number and Enter is enough ("7", "10"); a word or two may follow
//! ("4 tense"); Enter alone skips. The full-screen app asks in a box
//! (`tui::checkin`), plain mode on lines (`plain::prompt`).

/// The scale, said the same way everywhere.
pub const SCALE: &str = "0 = very unsettled, 10 = calm and at ease";
/// Words kept at most (a word or two, or a short line for the note).
pub const MAX_WORDS_CHARS: usize = 80;
/// The note's limit.
pub const MAX_NOTE_CHARS: usize = 300;

/// The question before a session.
pub const BEFORE_QUESTION: &str = "How are you feeling?";
/// The question after a session.
pub const AFTER_QUESTION: &str = "How are you feeling now?";
/// The note's question.
pub const NOTE_QUESTION: &str = "What did you notice?";
/// How to answer.
pub const HOW_TO_ANSWER: &str = "Type a number, and a word or two if you like. Enter alone skips.";
/// Said when the answer is not a number from 0 to 10.
pub const NOT_A_SCORE: &str = "Type a number from 0 to 10, or press Enter to skip.";

/// The words of an answer that has no number at all ("calm", "a bit
/// tired"), so the front end can keep them rather than lose them: `None`
/// when the line is empty, a skip, or starts with a digit (a number out
/// of range is asked again).
pub fn words_only(line: &str) -> Option<String> {
    let t = line.trim();
    if parse_answer(t) != Err(NOT_A_SCORE) || t.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    Some(clip(
        &t.split_whitespace().collect::<Vec<_>>().join(" "),
        MAX_WORDS_CHARS,
    ))
}

/// `s` cut to `max` characters.
pub fn clip(s: &str, max: usize) -> String {
    s.chars().take(max).collect()
}

/// Read a check-in answer: `Ok(None)` means skip (empty, Esc, "skip"),
/// `Ok(Some((score, words)))` an answer, `Err` a message to ask again.
pub fn parse_answer(line: &str) -> Result<Option<(u8, Option<String>)>, &'static str> {
    let t = line.trim();
    if t.is_empty() || t.starts_with('\u{1b}') || t.eq_ignore_ascii_case("skip") || t == "-" {
        return Ok(None);
    }
    let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() || digits.len() > 2 {
        return Err(NOT_A_SCORE);
    }
    let score: u8 = digits.parse().map_err(|_| NOT_A_SCORE)?;
    if score > 10 {
        return Err(NOT_A_SCORE);
    }
    let rest =
        t[digits.len()..].trim_start_matches(|c: char| c.is_whitespace() || ",;:-/".contains(c));
    let rest = rest.trim();
    if rest.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(NOT_A_SCORE);
    }
    let words = (!rest.is_empty()).then(|| {
        clip(
            &rest.split_whitespace().collect::<Vec<_>>().join(" "),
            MAX_WORDS_CHARS,
        )
    });
    Ok(Some((score, words)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_digit_or_ten_and_optional_words() {
        assert_eq!(parse_answer("7"), Ok(Some((7, None))));
        assert_eq!(parse_answer("10\n"), Ok(Some((10, None))));
        assert_eq!(parse_answer("0"), Ok(Some((0, None))));
        assert_eq!(parse_answer("4 tense"), Ok(Some((4, Some("tense".into())))));
        assert_eq!(
            parse_answer("3, a bit  wired "),
            Ok(Some((3, Some("a bit wired".into()))))
        );
    }

    #[test]
    fn words_without_a_number_are_told_apart() {
        assert_eq!(words_only("calm"), Some("calm".into()));
        assert_eq!(words_only("  a bit   tired "), Some("a bit tired".into()));
        assert_eq!(words_only("11"), None);
        assert_eq!(words_only("7 8"), None);
        assert_eq!(words_only("7 calm"), None);
        assert_eq!(words_only(""), None);
        assert_eq!(words_only("skip"), None);
    }

    #[test]
    fn empty_or_escape_skips() {
        assert_eq!(parse_answer(""), Ok(None));
        assert_eq!(parse_answer("   "), Ok(None));
        assert_eq!(parse_answer("\u{1b}"), Ok(None));
        assert_eq!(parse_answer("skip"), Ok(None));
    }

    #[test]
    fn out_of_range_or_words_only_asks_again() {
        assert_eq!(parse_answer("11"), Err(NOT_A_SCORE));
        assert_eq!(parse_answer("100"), Err(NOT_A_SCORE));
        assert_eq!(parse_answer("calm"), Err(NOT_A_SCORE));
        assert_eq!(parse_answer("7 8"), Err(NOT_A_SCORE));
    }
}
