//! The resonance assessment as a pure state machine, so that both front
//! ends (plain mode and the full-screen app) walk the same protocol
//! (docs/resonance.md): the settle-in, the five steps of
//! [`finder::RATES`] each followed by a rest, the choice of the best rate
//! (or the finding that the result is unclear), then two fine-tuning steps
//! a quarter of a breath either side of it, with a rest between them.
//!
//! A front end asks [`Protocol::now`] what to do, plays the piece's
//! session ([`Piece::session`]) with the ordinary player, and reports
//! back when it ended ([`Protocol::played`]); without heart-rate input it
//! then asks the 0-10 question and reports the answer
//! ([`Protocol::rated`]). Heart beats are handed in as they come
//! ([`Protocol::beats`]). Time is seconds from the start of the settle-in,
//! passed in, never read here; what the protocol has to say (each step's
//! score, the best so far, the result) comes back as [`Tell`]s.

use crate::engine::finder::{self, Plan};
use crate::engine::model::Session;

use super::score::{self, Beat, Finding, Step, StepScore};

/// The settle-in's line.
pub const SETTLE_TEXT: &str = "Settle in and breathe normally. Each step will guide a slower pace.";
/// The rest's line.
pub const REST_TEXT: &str = "Rest: breathe normally.";

/// One stretch of the assessment, played as a session of its own.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Piece {
    /// Breathing normally before the first step.
    Settle,
    /// Breathing at `rate` breaths a minute; `tuning` for the fine-tuning
    /// steps.
    Step {
        /// Breaths a minute.
        rate: f64,
        /// Whether it is one of the two fine-tuning steps.
        tuning: bool,
    },
    /// Breathing normally between steps.
    Rest,
}

impl Piece {
    /// The session that plays this piece, its lengths from `plan`.
    pub fn session(self, plan: Plan) -> Session {
        match self {
            Self::Settle => finder::sit("Settle in", plan.settle, SETTLE_TEXT),
            Self::Step { rate, .. } => finder::step(rate, plan.step),
            Self::Rest => finder::sit("Rest", plan.rest, REST_TEXT),
        }
    }
}

/// What the front end should do now.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Now {
    /// Play this piece, then call [`Protocol::played`].
    Play(Piece),
    /// Ask how easy and comfortable the step at this rate was (0-10), then
    /// call [`Protocol::rated`].
    Rate(f64),
    /// The assessment is over: [`Protocol::outcome`] has the result.
    Done,
}

/// Something the protocol has to say between pieces.
#[derive(Debug, Clone, PartialEq)]
pub enum Tell {
    /// A step scored from heart rate.
    Scored(StepScore),
    /// The best of the five main steps; the fine-tuning steps sit either
    /// side of it.
    Best(f64),
}

/// One step as the result keeps it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StepOutcome {
    /// Breaths a minute.
    pub rate: f64,
    /// The 0-10 rating, without heart-rate input.
    pub rating: Option<u8>,
    /// The heart-rate score, with heart-rate input.
    pub score: Option<StepScore>,
    /// Whether it was a fine-tuning step.
    pub tuning: bool,
}

/// The assessment's result.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// Whether the steps were scored from heart rate (rated otherwise).
    pub by_heart: bool,
    /// Every step breathed, in order.
    pub steps: Vec<StepOutcome>,
    /// The rate found, or why none was.
    pub found: Result<f64, String>,
}

/// The assessment in progress.
#[derive(Debug, Clone)]
pub struct Protocol {
    rated: bool,
    now: Now,
    beats: Vec<Beat>,
    /// Steps breathed, with their ratings once given.
    main: Vec<(Step, Option<u8>)>,
    tuned: Vec<(Step, Option<u8>)>,
    /// The main steps' scores, once the best is chosen (heart rate only).
    scores: Vec<StepScore>,
    best: Option<f64>,
    outcome: Option<Outcome>,
}

impl Protocol {
    /// A new assessment, starting with the settle-in; `rated` when there
    /// is no heart-rate input, so each step is followed by the question.
    pub fn new(rated: bool) -> Self {
        Self {
            rated,
            now: Now::Play(Piece::Settle),
            beats: Vec::new(),
            main: Vec::new(),
            tuned: Vec::new(),
            scores: Vec::new(),
            best: None,
            outcome: None,
        }
    }

    /// What to do now.
    pub fn now(&self) -> Now {
        self.now
    }

    /// Whether each step is followed by the 0-10 question.
    pub fn is_rated(&self) -> bool {
        self.rated
    }

    /// How many of the seven steps have been breathed, and how many there
    /// are (five, then two fine-tuning).
    pub fn progress(&self) -> (usize, usize) {
        (
            self.main.len() + self.tuned.len(),
            finder::RATES.len() + finder::tuning_rates(0.0).len(),
        )
    }

    /// The best of the main steps, once chosen.
    pub fn best(&self) -> Option<f64> {
        self.best
    }

    /// The result, once [`Now::Done`] (`None` before, and when the
    /// assessment was stopped).
    pub fn outcome(&self) -> Option<&Outcome> {
        self.outcome.as_ref()
    }

    /// Every beat so far, in the order given.
    pub fn heartbeats(&self) -> &[Beat] {
        &self.beats
    }

    /// Heart beats, timed in seconds from the start.
    pub fn beats(&mut self, beats: impl IntoIterator<Item = Beat>) {
        self.beats.extend(beats);
    }

    /// The piece asked for by [`Now::Play`] ran from `start` to `end`
    /// (seconds from the start). Ignored at any other moment.
    pub fn played(&mut self, start: f64, end: f64) -> Vec<Tell> {
        let Now::Play(piece) = self.now else {
            return Vec::new();
        };
        match piece {
            Piece::Settle => {
                self.now = Now::Play(Self::main_step(0));
                Vec::new()
            }
            Piece::Step { rate, tuning } => {
                let step = Step {
                    rate,
                    start,
                    length: end - start,
                };
                if tuning {
                    self.tuned.push((step, None));
                } else {
                    self.main.push((step, None));
                }
                if self.rated {
                    self.now = Now::Rate(rate);
                    Vec::new()
                } else {
                    self.after_step()
                }
            }
            Piece::Rest => {
                if self.main.len() < finder::RATES.len() {
                    self.now = Now::Play(Self::main_step(self.main.len()));
                    Vec::new()
                } else if self.best.is_none() {
                    self.choose()
                } else {
                    self.now = Now::Play(self.tuning_step(self.tuned.len()));
                    Vec::new()
                }
            }
        }
    }

    /// The answer to the question asked by [`Now::Rate`], 0 to 10 (more
    /// counts as 10). Ignored at any other moment.
    pub fn rated(&mut self, rating: u8) -> Vec<Tell> {
        if !matches!(self.now, Now::Rate(_)) {
            return Vec::new();
        }
        let last = if self.best.is_none() {
            self.main.last_mut()
        } else {
            self.tuned.last_mut()
        };
        if let Some((_, r)) = last {
            *r = Some(rating.min(10));
        }
        self.after_step()
    }

    fn main_step(i: usize) -> Piece {
        Piece::Step {
            rate: finder::RATES[i.min(finder::RATES.len() - 1)],
            tuning: false,
        }
    }

    fn tuning_step(&self, i: usize) -> Piece {
        let rates = finder::tuning_rates(self.best.unwrap_or(finder::RATES[2]));
        Piece::Step {
            rate: rates[i.min(rates.len() - 1)],
            tuning: true,
        }
    }

    /// After a step (and its rating): a rest, or the end after the last
    /// fine-tuning step.
    fn after_step(&mut self) -> Vec<Tell> {
        if self.tuned.len() == finder::tuning_rates(0.0).len() {
            self.finish();
            return Vec::new();
        }
        // Every main step is followed by a rest; the best is chosen after
        // the last one, so beats still on their way have arrived.
        self.now = Now::Play(Piece::Rest);
        Vec::new()
    }

    fn ratings(steps: &[(Step, Option<u8>)]) -> Vec<(f64, u8)> {
        steps
            .iter()
            .map(|(s, r)| (s.rate, r.unwrap_or(0)))
            .collect()
    }

    fn scored(&self, steps: &[(Step, Option<u8>)]) -> Vec<StepScore> {
        let steps: Vec<Step> = steps.iter().map(|(s, _)| *s).collect();
        score::score_steps(&steps, &self.beats)
    }

    /// After the five main steps: the best, or an unclear result.
    fn choose(&mut self) -> Vec<Tell> {
        let mut tells = Vec::new();
        let finding = if self.rated {
            score::best_by_rating(&Self::ratings(&self.main))
        } else {
            self.scores = self.scored(&self.main);
            tells.extend(self.scores.iter().copied().map(Tell::Scored));
            score::best_by_swing(&self.scores)
        };
        match finding {
            Finding::Clear(best) => {
                self.best = Some(best);
                tells.push(Tell::Best(best));
                self.now = Now::Play(self.tuning_step(0));
            }
            Finding::Unclear(why) => self.end(Err(why.words())),
        }
        tells
    }

    /// After the last fine-tuning step: the rate.
    fn finish(&mut self) {
        let best = self.best.unwrap_or(finder::RATES[2]);
        let rate = if self.rated {
            let best_rating = Self::ratings(&self.main)
                .iter()
                .find(|r| (r.0 - best).abs() < 1e-9)
                .map_or(0, |r| r.1);
            score::tune_by_rating((best, best_rating), &Self::ratings(&self.tuned))
        } else {
            let tuned = self.scored(&self.tuned);
            let best_score = self
                .scores
                .iter()
                .find(|s| (s.rate - best).abs() < 1e-9)
                .or(self.scores.first())
                .copied();
            match best_score {
                Some(b) => score::tune_by_swing(&b, &tuned),
                None => best,
            }
        };
        self.end(Ok(rate));
    }

    fn end(&mut self, found: Result<f64, String>) {
        let tuned_scores = if self.rated || found.is_err() {
            Vec::new()
        } else {
            self.scored(&self.tuned)
        };
        let mut steps: Vec<StepOutcome> = self
            .main
            .iter()
            .enumerate()
            .map(|(i, (s, r))| StepOutcome {
                rate: s.rate,
                rating: *r,
                score: self.scores.get(i).copied(),
                tuning: false,
            })
            .collect();
        steps.extend(
            self.tuned
                .iter()
                .enumerate()
                .map(|(i, (s, r))| StepOutcome {
                    rate: s.rate,
                    rating: *r,
                    score: tuned_scores.get(i).copied(),
                    tuning: true,
                }),
        );
        self.outcome = Some(Outcome {
            by_heart: !self.rated,
            steps,
            found,
        });
        self.now = Now::Done;
    }

    /// The fine-tuning steps' scores, once done (heart rate only), for a
    /// front end that says them.
    pub fn tuned_scores(&self) -> Vec<StepScore> {
        match &self.outcome {
            Some(o) => o
                .steps
                .iter()
                .filter(|s| s.tuning)
                .filter_map(|s| s.score)
                .collect(),
            None => Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::TAU;

    /// Walk the protocol to the end, each piece taking its planned length
    /// (a step of `step` seconds, rests of a quarter of it), answering
    /// every question with `rate_of`; returns every piece played and every
    /// question asked, in order.
    fn walk(p: &mut Protocol, step: f64, rate_of: impl Fn(f64) -> u8) -> Vec<Now> {
        let mut t = 0.0;
        let mut seen = Vec::new();
        for _ in 0..64 {
            let now = p.now();
            seen.push(now);
            match now {
                Now::Play(piece) => {
                    let len = match piece {
                        Piece::Settle => step / 2.0,
                        Piece::Step { .. } => step,
                        Piece::Rest => step / 4.0,
                    };
                    p.played(t, t + len);
                    t += len;
                }
                Now::Rate(r) => {
                    p.rated(rate_of(r));
                }
                Now::Done => return seen,
            }
        }
        panic!("the protocol never ended: {seen:?}");
    }

    fn rates_played(seen: &[Now]) -> Vec<f64> {
        seen.iter()
            .filter_map(|n| match n {
                Now::Play(Piece::Step { rate, .. }) => Some(*rate),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn rated_it_settles_then_asks_after_every_step_and_tunes_around_the_favourite() {
        let mut p = Protocol::new(true);
        // 5 is the most comfortable, 5.25 a little more so.
        let seen = walk(&mut p, 60.0, |r| match r {
            r if (r - 5.0).abs() < 1e-9 => 8,
            r if (r - 5.25).abs() < 1e-9 => 9,
            _ => 3,
        });
        assert_eq!(seen[0], Now::Play(Piece::Settle));
        assert_eq!(
            rates_played(&seen),
            [6.5, 6.0, 5.5, 5.0, 4.5, 4.75, 5.25],
            "{seen:?}"
        );
        let asked = seen.iter().filter(|n| matches!(n, Now::Rate(_))).count();
        assert_eq!(asked, 7);
        // A rest after each main step and between the tuning steps, none
        // after the last.
        let rests = seen
            .iter()
            .filter(|n| **n == Now::Play(Piece::Rest))
            .count();
        assert_eq!(rests, 6);
        assert_eq!(seen[seen.len() - 2], Now::Rate(5.25));
        let o = p.outcome().expect("an outcome");
        assert_eq!(o.found, Ok(5.25));
        assert!(!o.by_heart);
        assert_eq!(o.steps.len(), 7);
        assert_eq!(o.steps[3].rating, Some(8));
        assert!(o.steps[5].tuning && !o.steps[4].tuning);
        assert_eq!(p.progress(), (7, 7));
    }

    #[test]
    fn ratings_all_alike_end_unclear_after_the_main_steps() {
        let mut p = Protocol::new(true);
        let seen = walk(&mut p, 60.0, |_| 5);
        assert_eq!(rates_played(&seen).len(), 5);
        let o = p.outcome().expect("an outcome");
        assert!(o.found.is_err(), "{o:?}");
        assert_eq!(p.best(), None);
    }

    /// Beats whose heart rate swings most when breathing at `peak`.
    fn recording(step: f64, peak: f64) -> Vec<Beat> {
        let mut pieces = vec![(0.0, step / 2.0, None)];
        let mut t = step / 2.0;
        for &rate in finder::RATES.iter().chain(&finder::tuning_rates(peak)) {
            pieces.push((t, step, Some(rate)));
            t += step + step / 4.0;
        }
        let mut beats = Vec::new();
        let mut at = 0.0;
        while at < t {
            let hr = pieces
                .iter()
                .find(|(s, l, _)| at >= *s && at < s + l)
                .and_then(|&(s, _, rate)| rate.map(|r| (s, r)))
                .map_or(66.0, |(s, rate)| {
                    let amp = 14.0 - 12.0 * f64::min((rate - peak).abs() * 2.0, 1.0);
                    66.0 + amp / 2.0 * (TAU * rate / 60.0 * (at - s)).sin()
                });
            let rr = 60_000.0 / hr;
            at += rr / 1000.0;
            beats.push(Beat { at, rr_ms: rr });
        }
        beats
    }

    #[test]
    fn by_heart_rate_it_asks_nothing_scores_each_step_and_finds_the_peak() {
        let mut p = Protocol::new(false);
        p.beats(recording(60.0, 5.5));
        let mut tells = Vec::new();
        let mut t = 0.0;
        while let Now::Play(piece) = p.now() {
            let len = match piece {
                Piece::Settle => 30.0,
                Piece::Step { .. } => 60.0,
                Piece::Rest => 15.0,
            };
            tells.extend(p.played(t, t + len));
            t += len;
        }
        assert_eq!(p.now(), Now::Done);
        let scored = tells
            .iter()
            .filter(|t| matches!(t, Tell::Scored(_)))
            .count();
        assert_eq!(scored, 5, "{tells:?}");
        assert_eq!(tells.last(), Some(&Tell::Best(5.5)));
        let o = p.outcome().expect("an outcome");
        assert!(o.by_heart);
        assert_eq!(o.found, Ok(5.5));
        assert!(
            o.steps
                .iter()
                .all(|s| s.rating.is_none() && s.score.is_some())
        );
        assert_eq!(p.tuned_scores().len(), 2);
    }

    #[test]
    fn reports_out_of_turn_change_nothing() {
        let mut p = Protocol::new(true);
        assert!(p.rated(7).is_empty());
        assert_eq!(p.now(), Now::Play(Piece::Settle));
        p.played(0.0, 30.0);
        p.played(30.0, 90.0);
        assert_eq!(p.now(), Now::Rate(6.5));
        // A second report of the step while the question is asked.
        p.played(90.0, 100.0);
        assert_eq!(p.now(), Now::Rate(6.5));
        p.rated(42);
        assert_eq!(p.now(), Now::Play(Piece::Rest));
        assert_eq!(p.progress(), (1, 7));
    }
}
