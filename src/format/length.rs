//! Lengths of time as people write them in session files: a number of
//! seconds (`4`, `5.5`), a unit string (`"90s"`, `"1m30s"`, `"5m"`, `"1h"`),
//! or a clock string (`"0:30"`, `"1:02:03"`).

use std::time::Duration;

/// Why a length string could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LengthError(pub String);

/// The help text shown with every length error.
pub const LENGTH_HELP: &str = "write a length as seconds (4, 5.5) or as a string like \"90s\", \"1m30s\", \"5m\", \"1h\" or \"0:30\"";

/// Turn a number of seconds into a duration, rejecting zero, negative and
/// non-finite values. Precision is kept to the millisecond.
pub fn from_secs(secs: f64) -> Result<Duration, LengthError> {
    if !secs.is_finite() {
        return Err(LengthError(
            "a length must be a finite number of seconds".into(),
        ));
    }
    if secs < 0.0 {
        return Err(LengthError(format!(
            "a length cannot be negative (found {secs})"
        )));
    }
    if secs > 1e9 {
        return Err(LengthError(format!("{secs} seconds is far too long")));
    }
    let ms = (secs * 1000.0).round();
    Ok(Duration::from_millis(ms as u64))
}

/// Parse a length string such as `"1m30s"`, `"5.5s"`, `"2m"`, `"0:30"`.
pub fn parse(text: &str) -> Result<Duration, LengthError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(LengthError("the length is empty".into()));
    }
    if t.contains(':') {
        return parse_clock(t);
    }
    if let Ok(n) = t.parse::<f64>() {
        return from_secs(n);
    }
    if let Some(rest) = t.strip_prefix('-') {
        if parse(rest).is_ok_and(|d| !d.is_zero()) {
            return Err(LengthError(format!(
                "a length cannot be negative (found {text:?})"
            )));
        }
    }
    let mut total = 0.0_f64;
    let mut number = String::new();
    let mut seen_unit = false;
    let mut chars = t.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() || c == '.' {
            number.push(c);
            continue;
        }
        if c.is_whitespace() {
            continue;
        }
        let mut unit = String::from(c);
        while let Some(&n) = chars.peek() {
            if n.is_ascii_alphabetic() {
                unit.push(n);
                chars.next();
            } else {
                break;
            }
        }
        let scale = match unit.to_ascii_lowercase().as_str() {
            "h" | "hr" | "hrs" | "hour" | "hours" => 3600.0,
            "m" | "min" | "mins" | "minute" | "minutes" => 60.0,
            "s" | "sec" | "secs" | "second" | "seconds" => 1.0,
            "ms" => 0.001,
            _ => {
                return Err(LengthError(format!(
                    "`{unit}` is not a unit of time in {text:?}"
                )));
            }
        };
        let value: f64 = number
            .parse()
            .map_err(|_| LengthError(format!("a number is missing before `{unit}` in {text:?}")))?;
        total += value * scale;
        number.clear();
        seen_unit = true;
    }
    if !number.is_empty() {
        return Err(LengthError(format!(
            "`{number}` at the end of {text:?} has no unit (s, m or h)"
        )));
    }
    if !seen_unit {
        return Err(LengthError(format!("{text:?} is not a length")));
    }
    from_secs(total)
}

fn parse_clock(text: &str) -> Result<Duration, LengthError> {
    let parts: Vec<&str> = text.split(':').collect();
    let bad = || {
        LengthError(format!(
            "{text:?} is not a clock time like \"0:30\" or \"1:02:03\""
        ))
    };
    if parts.len() > 3 || parts.iter().any(|p| p.is_empty()) {
        return Err(bad());
    }
    let mut total = 0.0;
    for (i, part) in parts.iter().enumerate() {
        let last = i == parts.len() - 1;
        let value: f64 = if last {
            part.parse().map_err(|_| bad())?
        } else {
            f64::from(part.parse::<u32>().map_err(|_| bad())?)
        };
        if i > 0 && value >= 60.0 {
            return Err(bad());
        }
        total = total * 60.0 + value;
    }
    from_secs(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn reads_the_forms_people_write() {
        assert_eq!(parse("90s"), Ok(ms(90_000)));
        assert_eq!(parse("1m30s"), Ok(ms(90_000)));
        assert_eq!(parse("5m"), Ok(ms(300_000)));
        assert_eq!(parse("1h"), Ok(ms(3_600_000)));
        assert_eq!(parse("5.5s"), Ok(ms(5_500)));
        assert_eq!(parse("0:30"), Ok(ms(30_000)));
        assert_eq!(parse("1:02:03"), Ok(ms(3_723_000)));
        assert_eq!(parse("12"), Ok(ms(12_000)));
        assert_eq!(parse("1m 30s"), Ok(ms(90_000)));
    }

    #[test]
    fn rejects_what_is_not_a_length() {
        assert!(parse("").is_err());
        assert!(parse("5x").is_err());
        assert!(parse("m").is_err());
        assert!(parse("1m30").is_err());
        assert!(parse("0:75").is_err());
        assert!(parse("-3s").is_err());
        assert!(from_secs(f64::NAN).is_err());
        assert!(from_secs(f64::INFINITY).is_err());
        assert!(from_secs(-1.0).is_err());
    }
}
