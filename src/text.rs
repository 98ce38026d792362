//! Wording shared by every part of exhale that prints or draws: counts
//! with their plural (`1 cycle`, `4 cycles`) and lengths of time as people
//! read them (`1m30s`, `4:05`, `23.4s`). No terminal, no layout: the
//! front ends fit these into lines and screens.

use std::time::Duration;

/// `n` and the word, in the plural unless `n` is one: `1 cycle`,
/// `4 cycles`. The plural adds an `s` to the last word (`2 more errors`).
pub fn count(n: impl TryInto<u64>, word: &str) -> String {
    let n = n.try_into().unwrap_or(u64::MAX);
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// A length for people: `45s`, `5m`, `1m30s`, `1h05m`, `5.5s`.
pub fn human(d: Duration) -> String {
    let ms = d.as_millis();
    if ms % 1000 != 0 && ms < 60_000 {
        let s = format!("{:.3}", d.as_secs_f64());
        let s = s.trim_end_matches('0').trim_end_matches('.');
        return format!("{s}s");
    }
    let secs = d.as_secs_f64().round() as u64;
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    match (h, m, s) {
        (0, 0, s) => format!("{s}s"),
        (0, m, 0) => format!("{m}m"),
        (0, m, s) => format!("{m}m{s:02}s"),
        (h, m, _) => format!("{h}h{m:02}m"),
    }
}

/// How long a practice lasted, written one way wherever it is shown (the
/// summary, history, stats, the export, plain mode): to the second,
/// `45s`, `5m04s`, `1h05m`, so a short session shows its seconds rather
/// than "0 minutes".
pub fn length(d: Duration) -> String {
    human(Duration::from_secs(d.as_secs_f64().round() as u64))
}

/// [`length`] of a number of seconds (a total, a weekly sum).
pub fn length_secs(secs: f64) -> String {
    length(Duration::from_secs_f64(secs.max(0.0)))
}

/// A length as a clock shows it, in whole seconds: `4:05`, `1:02:03`.
pub fn clock(d: Duration) -> String {
    let secs = d.as_secs();
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}

/// A length in words, for reading aloud: `4 seconds`, `5.5 seconds`,
/// `1 minute 30 seconds`, `1 hour 5 minutes`.
pub fn spoken(d: Duration) -> String {
    let ms = d.as_millis();
    if ms % 1000 != 0 && ms < 60_000 {
        let s = format!("{:.1}", d.as_secs_f64());
        let s = s.trim_end_matches('0').trim_end_matches('.');
        return format!("{s} seconds");
    }
    let secs = d.as_secs_f64().round() as u64;
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    let parts: Vec<String> = [(h, "hour"), (m, "minute"), (s, "second")]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, w)| count(n, w))
        .collect();
    if parts.is_empty() {
        "0 seconds".to_owned()
    } else {
        parts.join(" ")
    }
}

/// A hold's length to a tenth of a second: `23.4s`, `1m05.2s`.
pub fn tenths(d: Duration) -> String {
    let tenths = (d.as_millis() + 50) / 100;
    let (m, s, t) = (tenths / 600, tenths / 10 % 60, tenths % 10);
    if m > 0 {
        format!("{m}m{s:02}.{t}s")
    } else {
        format!("{s}.{t}s")
    }
}

/// Breaths a minute as people write them: `5.5`, `6`, `5.25`.
pub fn rate(per_minute: f64) -> String {
    let r = (per_minute * 100.0).round() / 100.0;
    let s = format!("{r:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_owned()
}

/// Words joined as a sentence lists them: "a", "a and b", "a, b and c";
/// empty for none.
pub fn and_list<S: AsRef<str>>(items: &[S]) -> String {
    match items.split_last() {
        None => String::new(),
        Some((last, [])) => last.as_ref().to_owned(),
        Some((last, rest)) => {
            let rest: Vec<&str> = rest.iter().map(AsRef::as_ref).collect();
            format!("{} and {}", rest.join(", "), last.as_ref())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(count(1u32, "cycle"), "1 cycle");
        assert_eq!(count(0u32, "cycle"), "0 cycles");
        assert_eq!(count(4u32, "cycle"), "4 cycles");
        assert_eq!(count(2u32, "more error"), "2 more errors");
    }

    #[test]
    fn lengths_read_as_people_write_them() {
        assert_eq!(human(ms(45_000)), "45s");
        assert_eq!(human(ms(300_000)), "5m");
        assert_eq!(human(ms(90_000)), "1m30s");
        assert_eq!(human(ms(5_500)), "5.5s");
        assert_eq!(human(ms(3_900_000)), "1h05m");
        assert_eq!(clock(ms(245_000)), "4:05");
        assert_eq!(clock(ms(3_723_000)), "1:02:03");
        assert_eq!(clock(ms(59_999)), "0:59");
    }

    #[test]
    fn a_practice_length_is_to_the_second_and_never_zero_minutes() {
        assert_eq!(length(ms(40_400)), "40s");
        assert_eq!(length(ms(304_600)), "5m05s");
        assert_eq!(length(ms(600_000)), "10m");
        assert_eq!(length_secs(25.0), "25s");
        assert_eq!(length_secs(3_900.0), "1h05m");
    }

    #[test]
    fn holds_keep_a_tenth_of_a_second() {
        assert_eq!(tenths(ms(23_449)), "23.4s");
        assert_eq!(tenths(ms(23_450)), "23.5s");
        assert_eq!(tenths(ms(65_200)), "1m05.2s");
        assert_eq!(tenths(ms(0)), "0.0s");
    }
}
