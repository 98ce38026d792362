//! The bundled sounds, synthesised. Every sound in `sounds/` is rendered
//! here by deterministic additive synthesis (sine partials under
//! envelopes, no randomness), so the files can be rebuilt exactly with
//! `cargo run --example gen_sounds` and a test can check that the
//! committed files still match this code byte for byte.

use std::f64::consts::TAU;

/// Sample rate of the bundled sounds: plenty for chimes, and half the size
/// of 48 kHz.
pub const RATE: u32 = 24_000;

/// One sine partial: frequency ratio to the sound's base pitch, amplitude,
/// decay time constant in seconds, and a beat frequency in Hz (a second,
/// slightly detuned copy of the partial, for the slow shimmer of metal).
#[derive(Debug, Clone, Copy)]
struct Partial {
    ratio: f64,
    amp: f64,
    decay: f64,
    beat: f64,
}

const fn p(ratio: f64, amp: f64, decay: f64, beat: f64) -> Partial {
    Partial {
        ratio,
        amp,
        decay,
        beat,
    }
}

/// A struck sound: partials over a base pitch, a short attack, a length.
struct Struck<'a> {
    base: f64,
    partials: &'a [Partial],
    attack: f64,
    length: f64,
    peak: f64,
}

/// A gliding tone: starts at `from` Hz and glides to `to` Hz over
/// `sweep`.
struct Glide {
    from: f64,
    to: f64,
    sweep: f64,
    length: f64,
    peak: f64,
}

/// Every bundled sound by name, in the order of `format::BUILTIN_SOUNDS`.
pub const NAMES: [&str; 6] = ["bell", "bowl", "wood", "gong", "rise", "fall"];

/// Render the sound called `name` as mono samples in -1.0..=1.0 at
/// [`RATE`], or `None` for a name that is not bundled.
pub fn render(name: &str) -> Option<Vec<f64>> {
    let samples = match name {
        // A small clear bell: the partials of a tuned hand bell.
        "bell" => struck(&Struck {
            base: 660.0,
            partials: &[
                p(1.0, 1.0, 0.9, 0.0),
                p(2.0, 0.45, 0.55, 0.7),
                p(2.76, 0.3, 0.4, 0.0),
                p(5.4, 0.12, 0.2, 0.0),
                p(8.93, 0.06, 0.12, 0.0),
            ],
            attack: 0.003,
            length: 2.2,
            peak: 0.5,
        }),
        // A singing bowl: low, long, with the slow beating of its
        // detuned partial pairs.
        "bowl" => struck(&Struck {
            base: 196.0,
            partials: &[
                p(1.0, 1.0, 1.6, 0.6),
                p(2.81, 0.55, 1.1, 1.1),
                p(5.15, 0.22, 0.6, 1.7),
                p(8.2, 0.08, 0.3, 0.0),
            ],
            attack: 0.012,
            length: 3.5,
            peak: 0.5,
        }),
        // A soft wood tick: two quickly damped resonances and a low body.
        "wood" => struck(&Struck {
            base: 420.0,
            partials: &[
                p(1.0, 0.5, 0.045, 0.0),
                p(2.62, 1.0, 0.025, 0.0),
                p(6.3, 0.35, 0.012, 0.0),
            ],
            attack: 0.001,
            length: 0.3,
            peak: 0.4,
        }),
        // A gong: many inharmonic partials over a low base.
        "gong" => struck(&Struck {
            base: 110.0,
            partials: &[
                p(1.0, 1.0, 1.5, 0.4),
                p(1.52, 0.7, 1.2, 0.9),
                p(2.03, 0.55, 1.0, 0.0),
                p(2.61, 0.45, 0.8, 1.3),
                p(3.25, 0.3, 0.6, 0.0),
                p(4.1, 0.2, 0.45, 0.0),
                p(5.4, 0.12, 0.3, 0.0),
            ],
            attack: 0.02,
            length: 3.5,
            peak: 0.55,
        }),
        // Inhale: a soft tone gliding up a fourth.
        "rise" => glide(&Glide {
            from: 330.0,
            to: 440.0,
            sweep: 0.6,
            length: 0.8,
            peak: 0.5,
        }),
        // Exhale: the same tone gliding down a fourth.
        "fall" => glide(&Glide {
            from: 440.0,
            to: 330.0,
            sweep: 0.6,
            length: 0.8,
            peak: 0.5,
        }),
        _ => return None,
    };
    Some(samples)
}

fn frames(length: f64) -> usize {
    (length * f64::from(RATE)).round() as usize
}

fn struck(s: &Struck<'_>) -> Vec<f64> {
    let n = frames(s.length);
    let rate = f64::from(RATE);
    let mut out: Vec<f64> = (0..n)
        .map(|i| {
            let t = i as f64 / rate;
            let attack = (t / s.attack).min(1.0);
            let sum: f64 = s
                .partials
                .iter()
                .map(|q| {
                    let f = s.base * q.ratio;
                    let tone = (TAU * f * t).sin();
                    // A detuned twin makes the partial swell and fade
                    // slowly, as struck metal does.
                    let tone = if q.beat > 0.0 {
                        0.5 * (tone + (TAU * (f + q.beat) * t).sin())
                    } else {
                        tone
                    };
                    q.amp * tone * (-t / q.decay).exp()
                })
                .sum();
            sum * attack
        })
        .collect();
    finish(&mut out, s.peak);
    out
}

fn glide(g: &Glide) -> Vec<f64> {
    let count = frames(g.length);
    let rate = f64::from(RATE);
    let mut phase = 0.0_f64;
    let mut out = Vec::with_capacity(count);
    for i in 0..count {
        let t = i as f64 / rate;
        // Exponential glide, so the pitch moves evenly to the ear.
        let progress = (t / g.sweep).min(1.0);
        let freq = g.from * (g.to / g.from).powf(progress);
        phase = (phase + freq / rate).fract();
        let x = (TAU * phase).sin() + 0.22 * (2.0 * TAU * phase).sin()
            - 0.06 * (3.0 * TAU * phase).sin();
        let attack = (t / 0.02).min(1.0);
        // Swell a little, then fade: a breath-like shape.
        let body = (-(t - 0.15).max(0.0) / 0.32).exp();
        out.push(x * attack * body);
    }
    finish(&mut out, g.peak);
    out
}

/// Fade the last 40 ms to zero (no click at the end) and scale to `peak`.
fn finish(samples: &mut [f64], peak: f64) {
    let n = samples.len();
    let fade = frames(0.04).min(n);
    for (j, s) in samples[n - fade..].iter_mut().enumerate() {
        let k = 1.0 - (j + 1) as f64 / fade as f64;
        *s *= k * k;
    }
    let max = samples.iter().fold(0.0_f64, |m, s| m.max(s.abs()));
    if max > 0.0 {
        for s in samples.iter_mut() {
            *s *= peak / max;
        }
    }
}

/// Encode mono samples as a 16-bit PCM WAV file at [`RATE`].
pub fn wav(samples: &[f64]) -> Vec<u8> {
    wav_at(samples, RATE)
}

/// Encode mono samples as a 16-bit PCM WAV file at `rate` (the voice
/// pack's clips keep espeak-ng's rate: `examples/make_voice.rs`).
pub fn wav_at(samples: &[f64], rate: u32) -> Vec<u8> {
    let data_len = (samples.len() * 2) as u32;
    let mut b = Vec::with_capacity(44 + samples.len() * 2);
    b.extend_from_slice(b"RIFF");
    b.extend_from_slice(&(36 + data_len).to_le_bytes());
    b.extend_from_slice(b"WAVEfmt ");
    b.extend_from_slice(&16_u32.to_le_bytes());
    b.extend_from_slice(&1_u16.to_le_bytes()); // PCM
    b.extend_from_slice(&1_u16.to_le_bytes()); // mono
    b.extend_from_slice(&rate.to_le_bytes());
    b.extend_from_slice(&(rate * 2).to_le_bytes());
    b.extend_from_slice(&2_u16.to_le_bytes());
    b.extend_from_slice(&16_u16.to_le_bytes());
    b.extend_from_slice(b"data");
    b.extend_from_slice(&data_len.to_le_bytes());
    for s in samples {
        let v = (s.clamp(-1.0, 1.0) * 32767.0).round() as i16;
        b.extend_from_slice(&v.to_le_bytes());
    }
    b
}

/// Every bundled sound as `(name, WAV bytes)`.
pub fn render_all() -> Vec<(&'static str, Vec<u8>)> {
    NAMES
        .iter()
        .filter_map(|n| render(n).map(|s| (*n, wav(&s))))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn committed_sounds_are_exactly_what_the_generator_makes() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sounds");
        let all = render_all();
        assert_eq!(all.len(), NAMES.len());
        for (name, bytes) in all {
            let committed = std::fs::read(dir.join(format!("{name}.wav")))
                .unwrap_or_else(|e| panic!("sounds/{name}.wav: {e}"));
            assert!(
                committed == bytes,
                "sounds/{name}.wav differs from its generator; run `cargo run --example gen_sounds`"
            );
        }
    }

    #[test]
    fn names_match_the_session_format() {
        let mut ours: Vec<&str> = NAMES.to_vec();
        let mut format: Vec<&str> = crate::format::BUILTIN_SOUNDS.to_vec();
        ours.sort_unstable();
        format.sort_unstable();
        assert_eq!(ours, format);
    }
}
