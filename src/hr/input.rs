//! The `--hr-input` format: JSON lines of RR intervals, so that any
//! device, phone bridge or recording can feed exhale.
//!
//! ```text
//! {"rr_ms": 850.5}
//! {"rr_ms": 862, "t": 1.71}
//! {"rr_ms": [840, 851.5], "hr": 71}
//! ```
//!
//! Each line is an object with `rr_ms`: one interval in milliseconds, or a
//! list of them (a strap's notification can carry several). `t`, when
//! given, is the time of the line's last beat in seconds from the start of
//! the session; without it, a beat follows the one before by its interval
//! (the first ends one interval after the start). Other keys are passed
//! over, so a bridge may send what it likes beside. Blank lines and lines
//! starting with `#` are skipped. Intervals outside what a heart can do
//! are not errors here: the outlier rule ([`super::score::clean`]) leaves
//! them out, as a recording may well hold a glitch or two.

use std::fmt;
use std::io::BufRead;
use std::path::Path;

use super::score::Beat;

/// The longest interval a line may give: a minute. Anything longer is not
/// a heartbeat interval at all (seconds written as milliseconds, or the
/// wrong field).
pub const MAX_INTERVAL_MS: f64 = 60_000.0;

/// The shortest: anything under 20 ms is seconds written where
/// milliseconds belong (0.85 for 850).
pub const MIN_INTERVAL_MS: f64 = 20.0;

/// Most intervals one line may carry.
pub const MAX_PER_LINE: usize = 64;

/// A line that cannot be read: where, what, and what to do.
#[derive(Debug, Clone, PartialEq)]
pub struct InputError {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub help: String,
}

impl InputError {
    /// The error with the name of its file (`-` for standard input):
    /// `beats.jsonl:3:10: ...`.
    pub fn at(&self, path: &str) -> String {
        format!(
            "{path}:{}:{}: {}\n  = help: {}",
            self.line, self.column, self.message, self.help
        )
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.at("-"))
    }
}

/// One line's intervals and its time, if it gave one.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// The intervals, in milliseconds, in order.
    pub rr_ms: Vec<f64>,
    /// Seconds from the start of the session to the last of them.
    pub t: Option<f64>,
}

const HELP: &str =
    "write one JSON object a line, like {\"rr_ms\": 850.5} or {\"rr_ms\": 850.5, \"t\": 12.3}";

/// Read one line (1-based `line`); `Ok(None)` for a blank or `#` line.
pub fn parse_line(text: &str, line: usize) -> Result<Option<Sample>, InputError> {
    let trimmed = text.trim();
    if trimmed.is_empty() || trimmed.starts_with('#') {
        return Ok(None);
    }
    let err = |column: usize, message: String, help: &str| InputError {
        line,
        column,
        message,
        help: help.to_owned(),
    };
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        let byte = text
            .char_indices()
            .nth(e.column().saturating_sub(1))
            .map_or(text.len(), |(b, _)| b);
        err(
            column_of(text, byte.min(text.len())),
            format!("not JSON: {e}"),
            HELP,
        )
    })?;
    let first = column_of(text, text.len() - text.trim_start().len());
    let serde_json::Value::Object(map) = value else {
        return Err(err(
            first,
            "a line must be a JSON object with `rr_ms`".into(),
            HELP,
        ));
    };
    let at_key = |key: &str| value_column(text, key).unwrap_or(first);
    let Some(rr) = map.get("rr_ms") else {
        return Err(err(
            first,
            "this line has no `rr_ms`".into(),
            "give the interval between two beats in milliseconds: {\"rr_ms\": 850.5}",
        ));
    };
    let list: Vec<&serde_json::Value> = match rr {
        serde_json::Value::Array(xs) => xs.iter().collect(),
        one => vec![one],
    };
    if list.is_empty() || list.len() > MAX_PER_LINE {
        return Err(err(
            at_key("rr_ms"),
            format!(
                "`rr_ms` holds {} intervals; a line holds 1 to {MAX_PER_LINE}",
                list.len()
            ),
            "give one interval, or the few of one notification",
        ));
    }
    let mut rr_ms = Vec::with_capacity(list.len());
    for v in list {
        let Some(ms) = v.as_f64() else {
            return Err(err(
                at_key("rr_ms"),
                format!("`rr_ms` is {v}, not a number of milliseconds"),
                "write the interval as a number: {\"rr_ms\": 850.5}",
            ));
        };
        if !(MIN_INTERVAL_MS..=MAX_INTERVAL_MS).contains(&ms) {
            return Err(err(
                at_key("rr_ms"),
                format!(
                    "`rr_ms` is {ms}; an interval is {MIN_INTERVAL_MS} to {MAX_INTERVAL_MS} ms"
                ),
                "give milliseconds (850.5), not seconds (0.85)",
            ));
        }
        rr_ms.push(ms);
    }
    let t = match map.get("t") {
        None | Some(serde_json::Value::Null) => None,
        Some(v) => match v.as_f64() {
            Some(t) if t >= 0.0 => Some(t),
            _ => {
                return Err(err(
                    at_key("t"),
                    format!("`t` is {v}; it is seconds from the start, 0 or more"),
                    "write the time as a number of seconds, or leave `t` out",
                ));
            }
        },
    };
    Ok(Some(Sample { rr_ms, t }))
}

/// The 1-based character column of byte `at`.
fn column_of(text: &str, at: usize) -> usize {
    text[..at].chars().count() + 1
}

/// The column of the value of `"key"` (the first place it is written plainly).
fn value_column(text: &str, key: &str) -> Option<usize> {
    let quoted = format!("\"{key}\"");
    let after_key = text.find(&quoted)? + quoted.len();
    let rest = &text[after_key..];
    let colon = rest.find(':')?;
    let value = &rest[colon + 1..];
    let skip = value.len() - value.trim_start().len();
    Some(column_of(text, after_key + colon + 1 + skip))
}

/// Turns samples into beats with times, in order.
#[derive(Debug, Clone, Default)]
pub struct Timer {
    last: f64,
}

impl Timer {
    /// The beats of one sample. With `t`, the last beat is at `t` and the
    /// others before it by their intervals; without it, the beats follow
    /// the last one, or end at `arrived` (the moment a live line came in,
    /// in seconds from the start) when that is given.
    pub fn place(&mut self, sample: &Sample, arrived: Option<f64>) -> Vec<Beat> {
        let end = sample.t.or(arrived);
        let mut beats = Vec::with_capacity(sample.rr_ms.len());
        match end {
            Some(end) => {
                let mut at = end;
                for &rr in sample.rr_ms.iter().rev() {
                    beats.push(Beat { at, rr_ms: rr });
                    at -= rr / 1000.0;
                }
                beats.reverse();
            }
            None => {
                let mut at = self.last;
                for &rr in &sample.rr_ms {
                    at += rr / 1000.0;
                    beats.push(Beat { at, rr_ms: rr });
                }
            }
        }
        if let Some(b) = beats.last() {
            self.last = b.at;
        }
        beats
    }
}

/// Why a whole input could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// The file could not be opened or read.
    Io(std::io::Error),
    /// A line is wrong.
    Line(InputError),
}

/// Read every line of `input` into beats (a recording). A line whose time
/// goes back before the line above is an error.
pub fn read_all(input: impl BufRead) -> Result<Vec<Beat>, ReadError> {
    let mut timer = Timer::default();
    let mut beats: Vec<Beat> = Vec::new();
    let mut last_t: Option<f64> = None;
    for (i, line) in input.lines().enumerate() {
        let line = line.map_err(ReadError::Io)?;
        let Some(sample) = parse_line(&line, i + 1).map_err(ReadError::Line)? else {
            continue;
        };
        if let (Some(t), Some(before)) = (sample.t, last_t) {
            if t < before {
                return Err(ReadError::Line(InputError {
                    line: i + 1,
                    column: value_column(&line, "t").unwrap_or(1),
                    message: format!("`t` is {t}, before the line above ({before})"),
                    help: "times go forward: sort the lines by `t`".into(),
                }));
            }
        }
        last_t = sample.t.or(last_t);
        beats.extend(timer.place(&sample, None));
    }
    Ok(beats)
}

/// Read a recording from a file, with errors that name it.
pub fn read_file(path: &Path) -> Result<Vec<Beat>, String> {
    let shown = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|e| format!("{shown}: cannot read it: {e}"))?;
    read_all(std::io::BufReader::new(file)).map_err(|e| match e {
        ReadError::Io(e) => format!("{shown}: cannot read it: {e}"),
        ReadError::Line(e) => e.at(&shown),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_of_one_or_several_intervals_with_or_without_times() {
        let text = "{\"rr_ms\": 850.5}\n\n# a comment\n{\"rr_ms\": [900, 1000], \"hr\": 64}\n{\"rr_ms\": 800, \"t\": 10}\n{\"rr_ms\": 750}\n";
        let beats = read_all(text.as_bytes()).expect("reads");
        let got: Vec<(f64, f64)> = beats.iter().map(|b| (b.at, b.rr_ms)).collect();
        let want = [
            (0.8505, 850.5),
            (1.7505, 900.0),
            (2.7505, 1000.0),
            (10.0, 800.0),
            (10.75, 750.0),
        ];
        for (g, w) in got.iter().zip(&want) {
            assert!(
                (g.0 - w.0).abs() < 1e-9 && (g.1 - w.1).abs() < 1e-9,
                "{got:?}"
            );
        }
        assert_eq!(got.len(), want.len());
    }

    #[test]
    fn a_live_line_without_a_time_ends_when_it_arrived() {
        let mut timer = Timer::default();
        let s = parse_line(r#"{"rr_ms": [500, 1000]}"#, 1)
            .expect("ok")
            .expect("sample");
        let beats = timer.place(&s, Some(30.0));
        assert_eq!(
            beats,
            [
                Beat {
                    at: 29.0,
                    rr_ms: 500.0
                },
                Beat {
                    at: 30.0,
                    rr_ms: 1000.0
                }
            ]
        );
    }

    fn error(text: &str) -> InputError {
        parse_line(text, 7).expect_err("an error")
    }

    #[test]
    fn every_mistake_names_its_line_and_column_and_what_to_do() {
        let e = error(r#"{"rr_ms": 850.5"#);
        assert_eq!((e.line, e.column), (7, 15), "{e:?}");
        assert!(e.message.starts_with("not JSON"), "{e:?}");

        let e = error(r#"  {"rr": 850}"#);
        assert_eq!(e.column, 3, "{e:?}");
        assert!(e.message.contains("no `rr_ms`"), "{e:?}");

        let e = error(r#"{"rr_ms": "850"}"#);
        assert_eq!(e.column, 11, "{e:?}");
        assert!(e.message.contains("not a number"), "{e:?}");

        let e = error(r#"{"rr_ms": 0.85}"#);
        assert!(e.message.contains("0.85"), "{e:?}");
        let e = error(r#"{"t": 3, "rr_ms": -1}"#);
        assert_eq!(e.column, 19, "{e:?}");
        assert!(e.help.contains("milliseconds"), "{e:?}");

        let e = error(r#"{"rr_ms": 800, "t": -2}"#);
        assert_eq!(e.column, 21, "{e:?}");
        let e = error(r#"{"rr_ms": []}"#);
        assert!(e.message.contains("holds 0 intervals"), "{e:?}");
        let e = error("[800]");
        assert!(e.message.contains("JSON object"), "{e:?}");

        // Columns count characters, not bytes.
        let e = error(r#"{"é": 1, "rr_ms": true}"#);
        assert_eq!(e.column, 19, "{e:?}");

        assert_eq!(
            error(r#"{"rr_ms": x}"#).at("beats.jsonl").lines().next(),
            Some("beats.jsonl:7:11: not JSON: expected value at line 1 column 11")
        );
    }

    #[test]
    fn times_that_go_back_are_an_error_at_the_line() {
        let text = "{\"rr_ms\": 800, \"t\": 5}\n{\"rr_ms\": 800, \"t\": 4}\n";
        let Err(ReadError::Line(e)) = read_all(text.as_bytes()) else {
            panic!("an error")
        };
        assert_eq!((e.line, e.column), (2, 21), "{e:?}");
    }
}
