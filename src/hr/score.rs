//! Which breathing rate gives the largest heart-rate swing: the scoring of
//! the stepped resonance assessment (Lehrer, Vaschillo & Vaschillo 2000;
//! Shaffer & Meehan 2020), as a pure function of RR intervals.
//!
//! Heart rate rises as you breathe in and falls as you breathe out; at a
//! person's resonance rate that swing is largest. Each step is scored by
//! the swing per breath (peak-to-trough of the heart rate within each
//! breath, averaged over the breaths), with RMSSD shown beside it and a
//! check that the heart rate followed the pacer.
//!
//! **The outlier rule** ([`clean`]): a beat is left out when its interval
//! is below [`MIN_RR_MS`] or above [`MAX_RR_MS`] (a dropout, a missed
//! beat, a sensor glitch), or when it differs by more than [`JUMP`] (20%)
//! from the median of the in-range intervals around it (up to
//! [`NEIGHBOURS`] on each side): an ectopic beat and the long pause after
//! it. The time still passes: later beats keep their times.

/// Intervals shorter than this (a heart rate over 200 a minute) are left out.
pub const MIN_RR_MS: f64 = 300.0;
/// Intervals longer than this (under 30 a minute) are left out.
pub const MAX_RR_MS: f64 = 2000.0;
/// A beat whose interval differs from the median around it by more than
/// this share is left out.
pub const JUMP: f64 = 0.20;
/// How many in-range beats on each side make the median a beat is judged by.
///
/// Two, not more: at a low heart rate and a large swing (52 a minute,
/// swinging by 20, at 6.5 breaths a minute: 8 beats a breath) a window of
/// four on each side spans a whole breath, so its median sits near the
/// middle of the swing and the true peaks and troughs were cut off as
/// outliers, which favoured the rates with the smaller swing.
pub const NEIGHBOURS: usize = 2;
/// A breath is scored only when at least this many of its beats are kept.
pub const MIN_BEATS_PER_BREATH: usize = 3;
/// Breathing followed the pacer when at least this share of the heart
/// rate's variation (after removing its drift) is a wave at the pacer's
/// rate. A pure wave at the rate gives 1; noise gives about 2 / beats.
pub const FOLLOW_FIT: f64 = 0.5;
/// The best step must beat every step not next to it by this share, or the
/// result is unclear.
pub const MARGIN: f64 = 0.10;
/// A fine-tuning step replaces the best rate only with this share more swing.
pub const TUNE_MARGIN: f64 = 0.05;

/// One heartbeat.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Beat {
    /// Seconds from the start of the session to this beat.
    pub at: f64,
    /// The interval from the beat before, in milliseconds.
    pub rr_ms: f64,
}

impl Beat {
    /// The heart rate this interval stands for, in beats a minute.
    pub fn bpm(self) -> f64 {
        60_000.0 / self.rr_ms
    }
}

/// Beats turned into times from their intervals alone, the first ending
/// `rr_ms[0]` after `start` (for input without times).
pub fn beats_from_intervals(start: f64, rr_ms: &[f64]) -> Vec<Beat> {
    let mut at = start;
    rr_ms
        .iter()
        .map(|&rr| {
            at += rr / 1000.0;
            Beat { at, rr_ms: rr }
        })
        .collect()
}

/// Which beats the outlier rule keeps: `keep[i]` for `beats[i]`.
pub fn clean(beats: &[Beat]) -> Vec<bool> {
    let in_range: Vec<usize> = (0..beats.len())
        .filter(|&i| (MIN_RR_MS..=MAX_RR_MS).contains(&beats[i].rr_ms))
        .collect();
    let mut keep = vec![false; beats.len()];
    for (k, &i) in in_range.iter().enumerate() {
        let mut around: Vec<f64> = in_range[k.saturating_sub(NEIGHBOURS)..k]
            .iter()
            .chain(&in_range[k + 1..(k + 1 + NEIGHBOURS).min(in_range.len())])
            .map(|&j| beats[j].rr_ms)
            .collect();
        keep[i] = match median(&mut around) {
            // Too few beats to judge by: keep it.
            None => true,
            Some(m) => (beats[i].rr_ms - m).abs() <= JUMP * m,
        };
    }
    keep
}

fn median(xs: &mut [f64]) -> Option<f64> {
    if xs.len() < 2 {
        return None;
    }
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    Some(if n % 2 == 1 {
        xs[n / 2]
    } else {
        f64::midpoint(xs[n / 2 - 1], xs[n / 2])
    })
}

/// One step of the assessment: breathing at `rate` from `start` for `length`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Step {
    /// Breaths a minute.
    pub rate: f64,
    /// Seconds from the start of the session.
    pub start: f64,
    /// Seconds.
    pub length: f64,
}

impl Step {
    /// Seconds a breath takes.
    pub fn breath(&self) -> f64 {
        60.0 / self.rate
    }
}

/// How one step went.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct StepScore {
    /// Breaths a minute.
    pub rate: f64,
    /// The heart-rate swing per breath, peak to trough, averaged over the
    /// breaths scored, in beats a minute; `None` when no breath had
    /// enough beats.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub swing_bpm: Option<f64>,
    /// RMSSD of the kept intervals, in milliseconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rmssd_ms: Option<f64>,
    /// The share of the heart rate's variation that is a wave at the
    /// pacer's rate (0 to 1); `None` when the step was shorter than a
    /// breath or had too few beats to tell.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fit: Option<f64>,
    /// How many breaths were scored.
    pub breaths: u32,
    /// Beats in the step.
    pub beats: u32,
    /// Beats the outlier rule left out.
    pub rejected: u32,
}

impl StepScore {
    /// Whether the heart rate followed the pacer: `None` when it could not
    /// be told (a step shorter than one breath).
    pub fn follows(&self) -> Option<bool> {
        self.fit.map(|f| f >= FOLLOW_FIT)
    }

    /// The score in words, as both front ends say it: "step 5 breaths a
    /// minute: swing 12.3 beats a minute per breath, RMSSD 48 ms, followed
    /// the pacer".
    pub fn words(&self) -> String {
        let swing = self
            .swing_bpm
            .map_or("no swing (too few beats)".to_owned(), |w| {
                format!("swing {w:.1} beats a minute per breath")
            });
        let rmssd = self
            .rmssd_ms
            .map_or(String::new(), |r| format!(", RMSSD {r:.0} ms"));
        let follows = match self.follows() {
            Some(true) => ", followed the pacer",
            Some(false) => ", did not follow the pacer",
            None => "",
        };
        let left_out = if self.rejected > 0 {
            format!(", {} left out", crate::text::count(self.rejected, "beat"))
        } else {
            String::new()
        };
        format!(
            "step {} breaths a minute: {swing}{rmssd}{follows}{left_out}",
            rate_words(self.rate)
        )
    }
}

/// Score every step on one recording.
pub fn score_steps(steps: &[Step], beats: &[Beat]) -> Vec<StepScore> {
    let keep = clean(beats);
    steps.iter().map(|s| score_step(s, beats, &keep)).collect()
}

fn score_step(step: &Step, beats: &[Beat], keep: &[bool]) -> StepScore {
    let end = step.start + step.length;
    let inside: Vec<usize> = (0..beats.len())
        .filter(|&i| beats[i].at >= step.start && beats[i].at < end)
        .collect();
    let kept: Vec<Beat> = inside
        .iter()
        .filter(|&&i| keep[i])
        .map(|&i| beats[i])
        .collect();

    // Breaths: whole ones from the step's start (each holds a peak and a
    // trough wherever the wave starts); a step shorter than one breath is
    // one window.
    let period = step.breath();
    // Rate times length, not length over period: 120 s at 4.5 a minute is
    // exactly 9 breaths, where 120 / (60 / 4.5) falls a hair short.
    let whole = (step.length * step.rate / 60.0 + 1e-9).floor() as usize;
    let windows: Vec<(f64, f64)> = if whole == 0 {
        vec![(step.start, end)]
    } else {
        (0..whole)
            .map(|k| {
                let a = step.start + k as f64 * period;
                (a, a + period)
            })
            .collect()
    };
    let swings: Vec<f64> = windows
        .iter()
        .filter_map(|&(a, b)| {
            let hr: Vec<f64> = kept
                .iter()
                .filter(|x| x.at >= a && x.at < b)
                .map(|x| x.bpm())
                .collect();
            (hr.len() >= MIN_BEATS_PER_BREATH).then(|| {
                let (lo, hi) = hr
                    .iter()
                    .fold((f64::MAX, f64::MIN), |(lo, hi), &h| (lo.min(h), hi.max(h)));
                hi - lo
            })
        })
        .collect();
    let swing_bpm = (!swings.is_empty()).then(|| swings.iter().sum::<f64>() / swings.len() as f64);

    // RMSSD over successive kept intervals with no left-out beat between.
    let diffs: Vec<f64> = inside
        .windows(2)
        .filter(|w| keep[w[0]] && keep[w[1]])
        .map(|w| beats[w[1]].rr_ms - beats[w[0]].rr_ms)
        .collect();
    let rmssd_ms = (!diffs.is_empty())
        .then(|| (diffs.iter().map(|d| d * d).sum::<f64>() / diffs.len() as f64).sqrt());

    let fit = if whole >= 1 && kept.len() >= 6 {
        pacer_fit(&kept, step.rate)
    } else {
        None
    };
    StepScore {
        rate: step.rate,
        swing_bpm,
        rmssd_ms,
        fit,
        breaths: swings.len() as u32,
        beats: inside.len() as u32,
        rejected: inside.iter().filter(|&&i| !keep[i]).count() as u32,
    }
}

/// The share of the heart rate's variance, once a straight-line drift is
/// taken out, explained by a wave at `rate` breaths a minute (a least-
/// squares fit of a cosine and a sine at that frequency to the beats'
/// uneven times).
fn pacer_fit(kept: &[Beat], rate: f64) -> Option<f64> {
    let count = kept.len() as f64;
    let t0 = kept[0].at;
    let ts: Vec<f64> = kept.iter().map(|b| b.at - t0).collect();
    let hr: Vec<f64> = kept.iter().map(|b| b.bpm()).collect();
    // Drift: a least-squares line.
    let mt = ts.iter().sum::<f64>() / count;
    let mh = hr.iter().sum::<f64>() / count;
    let stt: f64 = ts.iter().map(|t| (t - mt).powi(2)).sum();
    let sth: f64 = ts.iter().zip(&hr).map(|(t, h)| (t - mt) * (h - mh)).sum();
    let slope = if stt > 0.0 { sth / stt } else { 0.0 };
    let resid: Vec<f64> = ts
        .iter()
        .zip(&hr)
        .map(|(t, h)| h - mh - slope * (t - mt))
        .collect();
    let total: f64 = resid.iter().map(|x| x * x).sum();
    if total <= 1e-12 {
        return None;
    }
    let omega = std::f64::consts::TAU * rate / 60.0;
    let (mut cc, mut ss, mut cs, mut rc, mut rs) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for (t, x) in ts.iter().zip(&resid) {
        let (s, c) = (omega * t).sin_cos();
        cc += c * c;
        ss += s * s;
        cs += c * s;
        rc += x * c;
        rs += x * s;
    }
    let det = cc * ss - cs * cs;
    if det.abs() < 1e-9 {
        return None;
    }
    let a = (rc * ss - rs * cs) / det;
    let b = (rs * cc - rc * cs) / det;
    let explained = a * rc + b * rs;
    Some((explained / total).clamp(0.0, 1.0))
}

/// Why an assessment gives no rate.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case", tag = "why")]
pub enum Unclear {
    /// No step had enough beats (or ratings) to score.
    NoData,
    /// The heart rate followed the pacer in no step.
    NotFollowing,
    /// Two rates that are not next to each other came out about the same.
    TooClose {
        /// The best rate.
        best: f64,
        /// A rate about as good.
        other: f64,
    },
    /// Every step was rated the same.
    AllSame,
}

impl Unclear {
    /// The reason in words, for both front ends and the journal.
    pub fn words(&self) -> String {
        match self {
            Self::NoData => "no step had enough heart-rate data to score".into(),
            Self::NotFollowing => {
                "the heart rate did not follow the pacer in any step (breathe with the guide, \
                 and check the strap sits well)"
                    .into()
            }
            Self::TooClose { best, other } => format!(
                "{} and {} breaths a minute came out about the same",
                rate_words(*best),
                rate_words(*other)
            ),
            Self::AllSame => "every step was rated the same".into(),
        }
    }
}

/// A rate as shown: `5.5`, `6`, `5.25` ([`crate::text::rate`]).
pub fn rate_words(rate: f64) -> String {
    crate::text::rate(rate)
}

/// What the main steps say.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Finding {
    /// This rate gave the largest swing (or the best rating).
    Clear(f64),
    /// No rate can be picked, and why.
    Unclear(Unclear),
}

/// The best of the main steps by swing. A step counts when its heart rate
/// followed the pacer (or the step was too short to tell). The best must
/// beat every step that is not next to it (more than half a breath a
/// minute away) by [`MARGIN`]; a close neighbour is fine, since the
/// fine-tuning step looks between them.
pub fn best_by_swing(scores: &[StepScore]) -> Finding {
    let with_swing: Vec<&StepScore> = scores.iter().filter(|s| s.swing_bpm.is_some()).collect();
    if with_swing.is_empty() {
        return Finding::Unclear(Unclear::NoData);
    }
    let swing = |s: &StepScore| s.swing_bpm.unwrap_or(0.0);
    let Some(best) = with_swing
        .iter()
        .filter(|s| s.follows() != Some(false))
        .max_by(|a, b| swing(a).total_cmp(&swing(b)))
    else {
        return Finding::Unclear(Unclear::NotFollowing);
    };
    for other in &with_swing {
        let apart = (other.rate - best.rate).abs() > 0.5 + 1e-9;
        if apart && swing(best) < swing(other) * (1.0 + MARGIN) {
            return Finding::Unclear(Unclear::TooClose {
                best: best.rate,
                other: other.rate,
            });
        }
    }
    Finding::Clear(best.rate)
}

/// The rate after fine-tuning: a tuned step (following the pacer, or too
/// short to tell) replaces `best` only with [`TUNE_MARGIN`] more swing.
pub fn tune_by_swing(best: &StepScore, tuned: &[StepScore]) -> f64 {
    let base = best.swing_bpm.unwrap_or(0.0);
    tuned
        .iter()
        .filter(|s| s.follows() != Some(false))
        .filter_map(|s| s.swing_bpm.map(|w| (s.rate, w)))
        .filter(|&(_, w)| w > base * (1.0 + TUNE_MARGIN))
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map_or(best.rate, |(r, _)| r)
}

/// The rate a person would rather breathe at, from their 0-10 ratings of
/// how easy and comfortable each step was. The highest rating wins; of
/// steps rated the same, the one nearest 5.5 (the usual middle), then the
/// slower. When every step has the same rating there is nothing to choose.
pub fn best_by_rating(ratings: &[(f64, u8)]) -> Finding {
    let Some(top) = ratings.iter().map(|r| r.1).max() else {
        return Finding::Unclear(Unclear::NoData);
    };
    if ratings.len() > 1 && ratings.iter().all(|r| r.1 == top) {
        return Finding::Unclear(Unclear::AllSame);
    }
    let pick = ratings
        .iter()
        .filter(|r| r.1 == top)
        .min_by(|a, b| {
            (a.0 - 5.5)
                .abs()
                .total_cmp(&(b.0 - 5.5).abs())
                .then(a.0.total_cmp(&b.0))
        })
        .map_or(5.5, |r| r.0);
    Finding::Clear(pick)
}

/// The rate after fine-tuning by rating: a tuned step replaces `best` only
/// when rated higher.
pub fn tune_by_rating(best: (f64, u8), tuned: &[(f64, u8)]) -> f64 {
    tuned
        .iter()
        .filter(|t| t.1 > best.1)
        .max_by_key(|t| t.1)
        .map_or(best.0, |t| t.0)
}

#[cfg(test)]
// The rates compared are the exact values of a fixed list.
#[allow(clippy::float_cmp)]
mod tests {
    use super::*;

    const RATES: [f64; 5] = [6.5, 6.0, 5.5, 5.0, 4.5];

    /// A small deterministic generator, so that the noise is the same on
    /// every run.
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self) -> f64 {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    fn steps(length: f64) -> Vec<Step> {
        RATES
            .iter()
            .enumerate()
            .map(|(k, &rate)| Step {
                rate,
                start: 30.0 + k as f64 * (length + 20.0),
                length,
            })
            .collect()
    }

    /// Beats from a heart rate that is `base` at rest and swings by
    /// `amp(rate)` (peak to trough) at the step's rate during each step,
    /// starting `phase` seconds into the wave.
    fn recording(
        steps: &[Step],
        base: f64,
        amp: impl Fn(f64) -> f64,
        phase: f64,
        end: f64,
    ) -> Vec<Beat> {
        let hr_at = |t: f64| {
            steps
                .iter()
                .find(|s| t >= s.start && t < s.start + s.length)
                .map_or(base, |s| {
                    let w = std::f64::consts::TAU * s.rate / 60.0;
                    base + amp(s.rate) / 2.0 * (w * (t - s.start + phase)).sin()
                })
        };
        let mut beats = Vec::new();
        let mut t = 0.0;
        while t < end {
            let rr = 60_000.0 / hr_at(t);
            t += rr / 1000.0;
            beats.push(Beat { at: t, rr_ms: rr });
        }
        beats
    }

    fn peak_at(peak: f64) -> impl Fn(f64) -> f64 {
        move |rate| 14.0 - 12.0 * (rate - peak).abs().min(1.0)
    }

    #[test]
    fn a_known_peak_at_a_known_rate_is_found() {
        let steps = steps(120.0);
        for peak in RATES {
            let beats = recording(&steps, 65.0, peak_at(peak), 0.7, 760.0);
            let scores = score_steps(&steps, &beats);
            assert_eq!(best_by_swing(&scores), Finding::Clear(peak), "{scores:?}");
            let best = scores.iter().find(|s| s.rate == peak).expect("step");
            // The swing per breath is the wave's peak to trough.
            let swing = best.swing_bpm.expect("scored");
            assert!((swing - 14.0).abs() < 1.5, "{swing}");
            assert!(best.follows() == Some(true), "{best:?}");
            assert!(best.rmssd_ms.expect("rmssd") > 20.0, "{best:?}");
            assert_eq!(best.rejected, 0);
            assert!(best.breaths >= 9, "{best:?}");
        }
    }

    #[test]
    fn noise_gives_an_unclear_result_instead_of_a_pick() {
        let steps = steps(120.0);
        let mut rng = Lcg(7);
        let mut beats = Vec::new();
        let mut t = 0.0;
        while t < 760.0 {
            let rr = 850.0 + (rng.next() - 0.5) * 120.0;
            t += rr / 1000.0;
            beats.push(Beat { at: t, rr_ms: rr });
        }
        let scores = score_steps(&steps, &beats);
        assert!(scores.iter().all(|s| s.swing_bpm.is_some()), "{scores:?}");
        assert!(
            scores.iter().all(|s| s.follows() == Some(false)),
            "{scores:?}"
        );
        assert_eq!(
            best_by_swing(&scores),
            Finding::Unclear(Unclear::NotFollowing)
        );
    }

    #[test]
    fn a_heart_rate_swinging_at_its_own_pace_does_not_follow_the_pacer() {
        // Breathing at 12 a minute whatever the guide says.
        let steps = steps(120.0);
        let mut beats = Vec::new();
        let mut t = 0.0;
        while t < 760.0 {
            let hr = 65.0 + 5.0 * (std::f64::consts::TAU * 12.0 / 60.0 * t).sin();
            let rr = 60_000.0 / hr;
            t += rr / 1000.0;
            beats.push(Beat { at: t, rr_ms: rr });
        }
        let scores = score_steps(&steps, &beats);
        assert!(
            scores.iter().all(|s| s.follows() == Some(false)),
            "{scores:?}"
        );
    }

    #[test]
    fn dropouts_and_ectopic_beats_are_left_out_and_the_peak_still_found() {
        let steps = steps(120.0);
        let clean_beats = recording(&steps, 65.0, peak_at(5.5), 0.0, 760.0);
        let mut beats = Vec::new();
        let mut i = 0;
        while i < clean_beats.len() {
            let b = clean_beats[i];
            if i % 23 == 11 && i + 1 < clean_beats.len() {
                // An ectopic beat: early, then a compensatory pause.
                let next = clean_beats[i + 1];
                let early = b.rr_ms * 0.6;
                beats.push(Beat {
                    at: b.at - b.rr_ms / 1000.0 + early / 1000.0,
                    rr_ms: early,
                });
                beats.push(Beat {
                    at: next.at,
                    rr_ms: b.rr_ms * 0.4 + next.rr_ms,
                });
                i += 2;
            } else if i % 37 == 20 && i + 1 < clean_beats.len() {
                // A missed beat: one interval twice as long.
                let next = clean_beats[i + 1];
                beats.push(Beat {
                    at: next.at,
                    rr_ms: b.rr_ms + next.rr_ms,
                });
                i += 2;
            } else if i % 101 == 50 {
                // A glitch the sensor sent.
                beats.push(Beat {
                    at: b.at,
                    rr_ms: 3500.0,
                });
                i += 1;
            } else {
                beats.push(b);
                i += 1;
            }
        }
        let scores = score_steps(&steps, &beats);
        assert_eq!(best_by_swing(&scores), Finding::Clear(5.5), "{scores:?}");
        let clean_scores = score_steps(&steps, &clean_beats);
        for (dirty, clean) in scores.iter().zip(&clean_scores) {
            assert!(dirty.rejected >= 6, "{dirty:?}");
            let (d, c) = (dirty.swing_bpm.expect("d"), clean.swing_bpm.expect("c"));
            assert!((d - c).abs() <= 0.15 * c, "{d} against {c}");
            // Without the rule the ectopic beats would dominate RMSSD.
            let (d, c) = (dirty.rmssd_ms.expect("d"), clean.rmssd_ms.expect("c"));
            assert!((d - c).abs() <= 0.25 * c, "{d} against {c}");
        }
    }

    #[test]
    fn the_outlier_rule_is_the_documented_one() {
        let b = |rr| Beat { at: 0.0, rr_ms: rr };
        let beats: Vec<Beat> = [
            800.0, 810.0, 790.0, 250.0, 800.0, 2100.0, 990.0, 805.0, 645.0, 800.0,
        ]
        .into_iter()
        .map(b)
        .collect();
        // 250 and 2100 are out of range; 990 is 24% over the median of its
        // two in-range neighbours a side (795); 645 is just under 20% below
        // the median of its own (805), and is kept.
        assert_eq!(
            clean(&beats),
            [
                true, true, true, false, true, false, false, true, true, true
            ]
        );
        let beats: Vec<Beat> = [800.0, 800.0, 800.0, 800.0, 639.0]
            .into_iter()
            .map(b)
            .collect();
        assert!(!clean(&beats)[4]);
    }

    #[test]
    fn a_step_shorter_than_a_breath_is_scored_on_its_swing_alone() {
        let steps = vec![Step {
            rate: 4.5,
            start: 0.0,
            length: 10.0,
        }];
        let beats = recording(&steps, 65.0, |_| 10.0, 0.0, 12.0);
        let s = score_steps(&steps, &beats)[0];
        assert_eq!((s.fit, s.breaths), (None, 1));
        assert!(s.swing_bpm.expect("swing") > 5.0, "{s:?}");
    }

    #[test]
    fn far_apart_rates_about_the_same_are_unclear_and_close_ones_are_not() {
        let score = |rate, swing| StepScore {
            rate,
            swing_bpm: Some(swing),
            rmssd_ms: Some(40.0),
            fit: Some(0.9),
            breaths: 10,
            beats: 150,
            rejected: 0,
        };
        let two_peaks = [score(6.5, 10.0), score(5.5, 4.0), score(4.5, 10.5)];
        assert_eq!(
            best_by_swing(&two_peaks),
            Finding::Unclear(Unclear::TooClose {
                best: 4.5,
                other: 6.5
            })
        );
        let neighbours = [score(6.0, 4.0), score(5.5, 10.0), score(5.0, 9.8)];
        assert_eq!(best_by_swing(&neighbours), Finding::Clear(5.5));
        // Fine-tuning moves only for a clearly larger swing.
        assert_eq!(
            tune_by_swing(&neighbours[1], &[score(5.25, 10.2), score(5.75, 9.0)]),
            5.5
        );
        assert_eq!(
            tune_by_swing(&neighbours[1], &[score(5.25, 11.0), score(5.75, 9.0)]),
            5.25
        );
        assert_eq!(best_by_swing(&[]), Finding::Unclear(Unclear::NoData));
    }

    #[test]
    fn ratings_pick_the_most_comfortable_rate() {
        let r = [(6.5, 3), (6.0, 6), (5.5, 7), (5.0, 8), (4.5, 4)];
        assert_eq!(best_by_rating(&r), Finding::Clear(5.0));
        let tied = [(6.5, 3), (6.0, 8), (5.5, 5), (5.0, 8), (4.5, 4)];
        // Two rated 8, equally near 5.5: the slower.
        assert_eq!(best_by_rating(&tied), Finding::Clear(5.0));
        let same = [(6.5, 5), (6.0, 5), (5.5, 5)];
        assert_eq!(best_by_rating(&same), Finding::Unclear(Unclear::AllSame));
        assert_eq!(best_by_rating(&[]), Finding::Unclear(Unclear::NoData));
        assert_eq!(tune_by_rating((5.0, 8), &[(4.75, 8), (5.25, 9)]), 5.25);
        assert_eq!(tune_by_rating((5.0, 8), &[(4.75, 8), (5.25, 7)]), 5.0);
    }

    #[test]
    fn rates_read_as_people_write_them() {
        assert_eq!(rate_words(5.5), "5.5");
        assert_eq!(rate_words(6.0), "6");
        assert_eq!(rate_words(5.25), "5.25");
    }

    mod props {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

            #[test]
            fn the_peak_is_found_whatever_the_heart_rate_and_the_wave_s_start(
                peak in 0usize..5,
                base in 52.0f64..90.0,
                phase in 0.0f64..15.0,
                height in 6.0f64..20.0,
            ) {
                let steps = steps(120.0);
                let peak = RATES[peak];
                let amp = move |rate: f64| height * (1.0 - 0.6 * (rate - peak).abs().min(1.0));
                let beats = recording(&steps, base, amp, phase, 760.0);
                let scores = score_steps(&steps, &beats);
                prop_assert_eq!(best_by_swing(&scores), Finding::Clear(peak));
            }

            #[test]
            fn the_outlier_rule_never_keeps_an_impossible_interval(
                rr in proptest::collection::vec(0.0f64..5000.0, 0..200),
            ) {
                let beats = beats_from_intervals(0.0, &rr);
                let keep = clean(&beats);
                for (b, k) in beats.iter().zip(&keep) {
                    if *k {
                        prop_assert!((MIN_RR_MS..=MAX_RR_MS).contains(&b.rr_ms));
                    }
                }
                let steps = [Step { rate: 6.0, start: 0.0, length: 60.0 }];
                for s in score_steps(&steps, &beats) {
                    prop_assert!(s.swing_bpm.is_none_or(f64::is_finite));
                    prop_assert!(s.rmssd_ms.is_none_or(f64::is_finite));
                    prop_assert!(s.fit.is_none_or(|f| (0.0..=1.0).contains(&f)));
                }
            }
        }
    }
}
