//! A heart-rate recording for the resonance finder's tests, shared by
//! the plain and the full-screen ones.

use std::time::Duration;

use exhale::engine::Timeline;
use exhale::engine::finder::{self, Plan};

/// `--hr-input` lines for a whole assessment of `plan` whose heart-rate
/// swing per breath is largest at `peak` breaths a minute (the fine-tuning
/// steps at `tuned`), each piece taking its planned length.
pub fn recording(plan: Plan, peak: f64, tuned: [f64; 2]) -> String {
    let secs = |s: &exhale::engine::model::Session| {
        Timeline::compile(s, Duration::ZERO).planned().as_secs_f64()
    };
    let mut steps = Vec::new();
    let mut t = plan.settle.as_secs_f64();
    let rest = plan.rest.as_secs_f64();
    for &rate in finder::RATES.iter().chain(&tuned) {
        let len = secs(&finder::step(rate, plan.step));
        steps.push((rate, t, len));
        t += len + rest;
    }
    let end = t;
    let mut out = String::from("# a recording with its peak at a known rate\n");
    let mut at = 0.0;
    while at < end {
        let hr = steps
            .iter()
            .find(|(_, s, l)| at >= *s && at < s + l)
            .map_or(66.0, |&(rate, s, _)| {
                let amp = 14.0 - 12.0 * f64::min((rate - peak).abs() * 2.0, 1.0);
                66.0 + amp / 2.0 * (std::f64::consts::TAU * rate / 60.0 * (at - s)).sin()
            });
        let rr = 60_000.0 / hr;
        at += rr / 1000.0;
        out.push_str(&format!("{{\"rr_ms\": {rr:.1}}}\n"));
    }
    out
}
