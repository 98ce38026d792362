//! The `"kind": "resonance"` record: the result of a resonance assessment
//! (the `resonance-finder` session), kept in the journal beside the
//! sessions so that it follows the person across computers, and so that a
//! `rate = "resonance"` breathing block can use it.
//!
//! ```json
//! {"v":2,"kind":"resonance","id":"…","machine":"laptop","date":"2026-12-02T08:00:00+01:00","resonance_rate":5.5,"method":"heart-rate","steps":[{"rate":6.5,"swing_bpm":6.1,"rmssd_ms":41.2,"fit":0.82}, …]}
//! ```
//!
//! An assessment whose result was unclear has no `resonance_rate` and says
//! why in `unclear`. Older copies of exhale pass over the kind without a
//! warning (docs/journal.md, "The rule for what comes later").

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use super::entry::FORMAT_VERSION;
use super::id::Id;
use super::record::ResonanceTag;

/// How the steps were judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// By the heart-rate swing per breath.
    HeartRate,
    /// By the person's rating of each step, 0-10.
    Rating,
}

impl Method {
    /// How it reads in stats and exports.
    pub fn words(self) -> &'static str {
        match self {
            Self::HeartRate => "by heart rate",
            Self::Rating => "by how each rate felt",
        }
    }
}

/// One step of the assessment, as recorded.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct StepResult {
    /// Breaths a minute.
    pub rate: f64,
    /// The 0-10 rating of how easy and comfortable it was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<u8>,
    /// Heart-rate swing per breath, peak to trough, beats a minute.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub swing_bpm: Option<f64>,
    /// RMSSD, milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rmssd_ms: Option<f64>,
    /// How closely the heart rate followed the pacer, 0 to 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fit: Option<f64>,
    /// A fine-tuning step (±0.25 around the best).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub fine_tuning: bool,
}

/// A resonance assessment's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    /// Format version.
    pub v: u32,
    /// Always `"resonance"`.
    pub kind: ResonanceTag,
    /// This record's id.
    pub id: Id,
    /// The machine that wrote it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub machine: Option<String>,
    /// When the assessment was made (local time with its offset, to the
    /// second).
    #[serde(serialize_with = "to_the_second")]
    pub date: DateTime<FixedOffset>,
    /// The rate found, breaths a minute; absent when the result was unclear.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resonance_rate: Option<f64>,
    /// How the steps were judged.
    pub method: Method,
    /// Every step, in the order breathed.
    #[serde(default)]
    pub steps: Vec<StepResult>,
    /// Why no rate was found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unclear: Option<String>,
}

fn to_the_second<S: serde::Serializer>(d: &DateTime<FixedOffset>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&d.to_rfc3339_opts(chrono::SecondsFormat::Secs, false))
}

/// The slowest and fastest rate an assessment can record, breaths a minute.
pub const RATES: std::ops::RangeInclusive<f64> = 3.0..=8.0;
/// Most steps one assessment records.
pub const MAX_STEPS: usize = 32;

impl Assessment {
    /// A new record dated `date`.
    pub fn new(
        id: Id,
        machine: Option<String>,
        date: DateTime<FixedOffset>,
        method: Method,
        steps: Vec<StepResult>,
        result: Result<f64, String>,
    ) -> Self {
        let (resonance_rate, unclear) = match result {
            Ok(r) => (Some(r), None),
            Err(why) => (None, Some(why)),
        };
        Self {
            v: FORMAT_VERSION,
            kind: ResonanceTag,
            id,
            machine,
            date,
            resonance_rate,
            method,
            steps,
            unclear,
        }
    }

    /// The record of a finished assessment (`outcome`), dated `date`.
    pub fn of(
        id: Id,
        machine: Option<String>,
        date: DateTime<FixedOffset>,
        outcome: &crate::hr::protocol::Outcome,
    ) -> Self {
        let method = if outcome.by_heart {
            Method::HeartRate
        } else {
            Method::Rating
        };
        let steps = outcome
            .steps
            .iter()
            .map(|s| StepResult {
                rate: s.rate,
                rating: s.rating,
                swing_bpm: s.score.and_then(|x| x.swing_bpm),
                rmssd_ms: s.score.and_then(|x| x.rmssd_ms),
                fit: s.score.and_then(|x| x.fit),
                fine_tuning: s.tuning,
            })
            .collect();
        Self::new(id, machine, date, method, steps, outcome.found.clone())
    }

    /// Values no assessment could have written: the reason the line is
    /// skipped.
    pub fn check(&self) -> Result<(), String> {
        if self.id.is_nil() {
            return Err("a resonance record needs its `id`".into());
        }
        let rate_ok = |r: f64| RATES.contains(&r);
        if let Some(r) = self.resonance_rate.filter(|r| !rate_ok(*r)) {
            return Err(format!(
                "`resonance_rate` is {r}; a rate is {} to {} breaths a minute",
                RATES.start(),
                RATES.end()
            ));
        }
        if self.steps.len() > MAX_STEPS {
            return Err(format!(
                "{} steps; an assessment records at most {MAX_STEPS}",
                self.steps.len()
            ));
        }
        for s in &self.steps {
            let bad = !rate_ok(s.rate)
                || s.rating.is_some_and(|r| r > 10)
                || s.swing_bpm.is_some_and(|w| !(0.0..=250.0).contains(&w))
                || s.rmssd_ms.is_some_and(|w| !(0.0..=5000.0).contains(&w))
                || s.fit.is_some_and(|f| !(0.0..=1.0).contains(&f));
            if bad {
                return Err(format!(
                    "a step at {} breaths a minute holds a value out of range",
                    s.rate
                ));
            }
        }
        Ok(())
    }
}

/// The rate sessions follow: the newest assessment (by date, then id) that
/// found one. `assessments` in any order.
pub fn current(assessments: &[Assessment]) -> Option<&Assessment> {
    assessments
        .iter()
        .filter(|a| a.resonance_rate.is_some())
        .max_by_key(|a| (a.date, a.id))
}

/// The line `exhale stats` and the export show for the latest assessment.
pub fn summary(assessments: &[Assessment]) -> Option<String> {
    let latest = assessments.iter().max_by_key(|a| (a.date, a.id))?;
    let day = latest.date.format("%Y-%m-%d");
    Some(match (latest.resonance_rate, current(assessments)) {
        (Some(r), _) => format!(
            "Resonance rate: {} breaths a minute (found {day}, {})",
            crate::hr::score::rate_words(r),
            latest.method.words()
        ),
        (None, Some(c)) => format!(
            "Resonance rate: {} breaths a minute (found {}); the assessment of {day} was unclear",
            crate::hr::score::rate_words(c.resonance_rate.unwrap_or(5.5)),
            c.date.format("%Y-%m-%d")
        ),
        (None, None) => format!(
            "Resonance rate: not found yet; the assessment of {day} was unclear ({})",
            latest.unclear.as_deref().unwrap_or("no clear best rate")
        ),
    })
}

/// The export's section on assessments, for a therapist: each one's date,
/// how it was judged, what it found, and every step. Empty without any.
pub fn markdown(assessments: &[Assessment]) -> String {
    use std::fmt::Write as _;
    if assessments.is_empty() {
        return String::new();
    }
    let rate = crate::hr::score::rate_words;
    let mut out = String::from(
        "\n## Resonance breathing rate\n\nThe breathing rate at which the heart rate swung most with each breath \
         (or that felt easiest), found by a stepped assessment. It is a breathing pace, not a medical measure.\n",
    );
    for a in assessments {
        let found = match a.resonance_rate {
            Some(r) => format!("{} breaths a minute", rate(r)),
            None => format!(
                "unclear ({})",
                a.unclear.as_deref().unwrap_or("no clear best rate")
            ),
        };
        let _ = write!(
            out,
            "\n### {}: {found}, {}\n\n",
            a.date.format("%Y-%m-%d %H:%M"),
            a.method.words()
        );
        match a.method {
            Method::Rating => {
                out.push_str("| Breaths a minute | Rating (0-10) |\n|---:|---:|\n");
                for s in &a.steps {
                    let r = s.rating.map_or("–".to_owned(), |r| r.to_string());
                    let tune = if s.fine_tuning { " (fine-tuning)" } else { "" };
                    let _ = writeln!(out, "| {}{tune} | {r} |", rate(s.rate));
                }
            }
            Method::HeartRate => {
                out.push_str(
                    "| Breaths a minute | Swing per breath (beats a minute) | RMSSD (ms) | Followed the pacer |\n|---:|---:|---:|---|\n",
                );
                for s in &a.steps {
                    let num = |v: Option<f64>| v.map_or("–".to_owned(), |v| format!("{v:.1}"));
                    let follows = match s.fit {
                        Some(f) if f >= crate::hr::score::FOLLOW_FIT => "yes",
                        Some(_) => "no",
                        None => "–",
                    };
                    let tune = if s.fine_tuning { " (fine-tuning)" } else { "" };
                    let _ = writeln!(
                        out,
                        "| {}{tune} | {} | {} | {follows} |",
                        rate(s.rate),
                        num(s.swing_bpm),
                        num(s.rmssd_ms)
                    );
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::record::{self, Record};

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).expect("date")
    }

    fn one(n: u8, date: &str, rate: Option<f64>) -> Assessment {
        Assessment::new(
            Id::v7_from_parts(1_764_000_000_000 + u64::from(n), [n; 10]),
            Some("laptop".into()),
            at(date),
            Method::HeartRate,
            vec![StepResult {
                rate: 5.5,
                rating: None,
                swing_bpm: Some(12.5),
                rmssd_ms: Some(48.0),
                fit: Some(0.9),
                fine_tuning: false,
            }],
            rate.ok_or_else(|| "every step was rated the same".to_owned()),
        )
    }

    #[test]
    fn an_assessment_reads_back_as_written() {
        let a = one(1, "2026-12-02T08:00:00+01:00", Some(5.25));
        let line = Record::Assessment(Box::new(a.clone()))
            .to_line()
            .expect("json");
        assert!(
            line.starts_with(r#"{"v":2,"kind":"resonance","id":""#),
            "{line}"
        );
        assert!(line.contains(r#""resonance_rate":5.25"#), "{line}");
        let back = record::parse(line.trim_end().as_bytes(), |_| panic!("has an id"));
        assert_eq!(back, Ok(Record::Assessment(Box::new(a))));
    }

    #[test]
    fn impossible_values_skip_the_line() {
        let mut a = one(1, "2026-12-02T08:00:00+01:00", Some(5.5));
        a.resonance_rate = Some(40.0);
        let line = serde_json::to_string(&a).expect("json");
        let e = record::parse(line.as_bytes(), |_| Id::NIL).expect_err("bad rate");
        assert!(e.contains("`resonance_rate` is 40"), "{e}");
        let mut a = one(1, "2026-12-02T08:00:00+01:00", Some(5.5));
        a.steps[0].rating = Some(11);
        assert!(a.check().is_err());
    }

    #[test]
    fn the_newest_assessment_with_a_rate_is_the_one_followed() {
        let list = [
            one(1, "2026-11-01T08:00:00+01:00", Some(6.0)),
            one(3, "2026-12-01T08:00:00+01:00", Some(5.0)),
            one(2, "2026-12-02T08:00:00+01:00", None),
        ];
        assert_eq!(current(&list).and_then(|a| a.resonance_rate), Some(5.0));
        assert_eq!(
            summary(&list).as_deref(),
            Some(
                "Resonance rate: 5 breaths a minute (found 2026-12-01); the assessment of 2026-12-02 was unclear"
            )
        );
        assert_eq!(
            summary(&list[..2]).as_deref(),
            Some("Resonance rate: 5 breaths a minute (found 2026-12-01, by heart rate)")
        );
        assert_eq!(
            summary(&list[2..]).as_deref(),
            Some(
                "Resonance rate: not found yet; the assessment of 2026-12-02 was unclear (every step was rated the same)"
            )
        );
        assert_eq!(summary(&[]), None);
    }

    #[test]
    fn the_export_lists_every_step_of_every_assessment() {
        let mut rated = one(5, "2026-12-03T09:30:00+01:00", Some(5.0));
        rated.method = Method::Rating;
        rated.steps = vec![
            StepResult {
                rate: 5.5,
                rating: Some(6),
                swing_bpm: None,
                rmssd_ms: None,
                fit: None,
                fine_tuning: false,
            },
            StepResult {
                rate: 5.25,
                rating: Some(8),
                swing_bpm: None,
                rmssd_ms: None,
                fit: None,
                fine_tuning: true,
            },
        ];
        let md = markdown(&[one(1, "2026-12-02T08:00:00+01:00", Some(5.5)), rated]);
        assert!(md.contains("## Resonance breathing rate"), "{md}");
        assert!(
            md.contains("### 2026-12-02 08:00: 5.5 breaths a minute, by heart rate"),
            "{md}"
        );
        assert!(md.contains("| 5.5 | 12.5 | 48.0 | yes |"), "{md}");
        assert!(md.contains("| 5.25 (fine-tuning) | 8 |"), "{md}");
        assert!(md.contains("not a medical measure"), "{md}");
        assert_eq!(markdown(&[]), "");
    }
}
