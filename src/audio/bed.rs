//! The sound bed: brown, pink and white noise, rain and ocean, made
//! sample by sample while they play from a seeded random generator. There
//! is no recording and so no loop point to click at: the bed goes on as
//! long as the session does, in a few hundred bytes of state.
//!
//! [`Texture`] makes the raw sound at a steady loudness ([`BED_RMS`]);
//! [`BedVoice`] is the rodio source that plays it under the shared volume
//! and mute, fading in when it starts and out when it is told to stop.

use std::num::NonZero;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use super::voice::Level;
use crate::engine::model::Bed;

/// The rate every bed is made at (rodio converts it for another device).
pub const BED_RATE: u32 = 48_000;

/// How long a bed takes to fade in at the start and out at the end.
pub const BED_FADE: Duration = Duration::from_secs(3);

/// The loudness (RMS, of full scale) every texture is made at, before
/// the volumes: the same for each, so cycling through them keeps the
/// level; low enough that the deepest swell of the ocean peaks well
/// under full scale.
pub const BED_RMS: f32 = 0.12;

/// A small fast generator (xorshift64*): good enough for noise, and the
/// same seed gives the same sound, which the tests rely on.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        // Never zero, or xorshift stays at zero.
        Self(seed ^ 0x9E37_79B9_7F4A_7C15 | 1)
    }

    fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f32 {
        (self.next_u64() >> 40) as f32 / (1_u64 << 24) as f32
    }

    /// Uniform in [-1, 1).
    fn signed(&mut self) -> f32 {
        self.unit() * 2.0 - 1.0
    }
}

/// Pink noise by Paul Kellet's filter of white noise: within a fraction
/// of a decibel of 1/f across the audible range.
#[derive(Debug, Clone, Default)]
struct Pink([f32; 7]);

impl Pink {
    fn next(&mut self, w: f32) -> f32 {
        let b = &mut self.0;
        b[0] = 0.998_86 * b[0] + w * 0.055_517_9;
        b[1] = 0.993_32 * b[1] + w * 0.075_075_9;
        b[2] = 0.969_00 * b[2] + w * 0.153_852;
        b[3] = 0.866_50 * b[3] + w * 0.310_485_6;
        b[4] = 0.550_00 * b[4] + w * 0.532_952_2;
        b[5] = -0.761_6 * b[5] - w * 0.016_898;
        let out = b[0] + b[1] + b[2] + b[3] + b[4] + b[5] + b[6] + w * 0.536_2;
        b[6] = w * 0.115_926;
        out
    }
}

/// Brown (red) noise: white noise integrated with a leak, so it wanders
/// but never drifts off; 1/f² above about 150 Hz.
#[derive(Debug, Clone, Default)]
struct Brown(f32);

impl Brown {
    fn next(&mut self, w: f32) -> f32 {
        self.0 = (self.0 + 0.02 * w) / 1.02;
        self.0
    }
}

/// A one-pole low-pass: `a` near 0 is dark, 1 passes everything.
fn low_pass(state: &mut f32, x: f32, a: f32) -> f32 {
    *state += a * (x - *state);
    *state
}

/// Rising then falling, with no corner at either end: 0 at 0, 1 at 1.
fn smooth(x: f32) -> f32 {
    let x = x.clamp(0.0, 1.0);
    x * x * (3.0 - 2.0 * x)
}

/// Drops falling at once, at most.
const DROPS: usize = 12;
/// Drops a second, on average.
const DROP_RATE: f32 = 35.0;
/// A drop's attack, in samples (1 ms): it swells rather than clicks.
const DROP_ATTACK: f32 = 48.0;

/// One raindrop: a tiny damped ring, its phase turned by a rotation.
#[derive(Debug, Clone, Copy, Default)]
struct Drop {
    /// The ring's sine and cosine.
    s: f32,
    c: f32,
    /// Its rotation each sample.
    sin_w: f32,
    cos_w: f32,
    amp: f32,
    decay: f32,
    age: f32,
}

impl Drop {
    fn next(&mut self) -> f32 {
        let (s, c) = (
            self.s * self.cos_w + self.c * self.sin_w,
            self.c * self.cos_w - self.s * self.sin_w,
        );
        (self.s, self.c) = (s, c);
        self.age += 1.0;
        self.amp *= self.decay;
        s * self.amp * (self.age / DROP_ATTACK).min(1.0)
    }
}

/// The state of the ocean's waves.
#[derive(Debug, Clone, Default)]
struct Swell {
    /// Where in the current wave, 0 to 1.
    phase: f32,
    /// How far one sample moves the phase.
    step: f32,
    /// Where the crest falls in the wave.
    crest: f32,
}

impl Swell {
    fn new_wave(&mut self, rng: &mut Rng) {
        // Waves of 6 to 11 seconds, none quite like the last.
        let secs = 6.0 + 5.0 * rng.unit();
        self.step = 1.0 / (secs * BED_RATE as f32);
        self.crest = 0.35 + 0.2 * rng.unit();
        self.phase = 0.0;
    }

    /// The wave's height now, 0 (trough) to 1 (crest): a smooth rise to
    /// the crest and a longer smooth fall, zero at both ends so one wave
    /// runs into the next without a corner.
    fn height(&self) -> f32 {
        if self.phase < self.crest {
            smooth(self.phase / self.crest)
        } else {
            smooth(1.0 - (self.phase - self.crest) / (1.0 - self.crest))
        }
    }
}

/// How loud each texture's raw output is (measured over minutes), so
/// that all of them come out at [`BED_RMS`].
const WHITE_GAIN: f32 = BED_RMS * 1.732_050_8;
const PINK_GAIN: f32 = BED_RMS / 1.758;
const BROWN_GAIN: f32 = BED_RMS / 0.057;
const RAIN_HISS_GAIN: f32 = 0.55 * BED_RMS / 0.52;
const RAIN_DROP_GAIN: f32 = 0.62;
const OCEAN_GAIN: f32 = BED_RMS / 0.041_25;

/// One bed's raw sound, sample after sample, forever.
#[derive(Debug, Clone)]
pub struct Texture {
    bed: Bed,
    rng: Rng,
    pink: Pink,
    brown: Brown,
    /// Filter states: the rain's hiss, the ocean's body.
    lp: f32,
    lp2: f32,
    drops: [Drop; DROPS],
    swell: Swell,
}

impl Texture {
    /// The sound of `bed`, from the random sequence `seed` picks.
    pub fn new(bed: Bed, seed: u64) -> Self {
        let mut rng = Rng::new(seed);
        let mut swell = Swell::default();
        swell.new_wave(&mut rng);
        // Begin part-way into a wave, not in a trough.
        swell.phase = 0.2;
        Self {
            bed,
            rng,
            pink: Pink::default(),
            brown: Brown::default(),
            lp: 0.0,
            lp2: 0.0,
            drops: [Drop::default(); DROPS],
            swell,
        }
    }

    /// The next sample, at about [`BED_RMS`] over any few seconds.
    pub fn next_sample(&mut self) -> f32 {
        let w = self.rng.signed();
        match self.bed {
            Bed::None => 0.0,
            Bed::White => w * WHITE_GAIN,
            Bed::Pink => self.pink.next(w) * PINK_GAIN,
            Bed::Brown => self.brown.next(w) * BROWN_GAIN,
            Bed::Rain => self.rain(w),
            Bed::Ocean => self.ocean(w),
        }
    }

    /// A soft high hiss (pink noise with its lows taken out) and drops
    /// falling at random moments, each its own small ring.
    fn rain(&mut self, w: f32) -> f32 {
        let p = self.pink.next(w);
        // High-pass: the pink noise less its own low part (below ~600 Hz).
        let low = low_pass(&mut self.lp, p, 0.075);
        // And soften the very top (above ~8 kHz), which only hisses.
        let hiss = low_pass(&mut self.lp2, p - low, 0.65) * RAIN_HISS_GAIN;
        if self.rng.unit() < DROP_RATE / BED_RATE as f32 {
            self.spawn_drop();
        }
        let drops: f32 = self.drops.iter_mut().map(Drop::next).sum();
        hiss + drops * RAIN_DROP_GAIN * BED_RMS
    }

    fn spawn_drop(&mut self) {
        // The quietest drop makes room for the new one.
        let Some(slot) = self
            .drops
            .iter_mut()
            .min_by(|a, b| a.amp.abs().total_cmp(&b.amp.abs()))
        else {
            return;
        };
        let freq = 1_800.0 + 3_200.0 * self.rng.unit();
        let w = std::f32::consts::TAU * freq / BED_RATE as f32;
        // Decays of 2 to 8 ms: a tap, not a tone.
        let tau = (0.002 + 0.006 * self.rng.unit()) * BED_RATE as f32;
        // Most drops far, a few near.
        let amp = 0.3 + 1.7 * self.rng.unit().powi(3);
        *slot = Drop {
            s: 0.0,
            c: 1.0,
            sin_w: w.sin(),
            cos_w: w.cos(),
            amp,
            decay: (-1.0 / tau).exp(),
            age: 0.0,
        };
    }

    /// Deep noise that swells to a brighter, louder crest and ebbs away,
    /// one wave after another.
    fn ocean(&mut self, w: f32) -> f32 {
        self.swell.phase += self.swell.step;
        if self.swell.phase >= 1.0 {
            let mut rng = self.rng.clone();
            self.swell.new_wave(&mut rng);
            self.rng = rng;
        }
        let h = self.swell.height();
        let body = self.brown.next(w) * 0.6 + self.pink.next(w) * 0.02;
        // Brighter at the crest (about 250 Hz to 1.6 kHz).
        let a = 0.03 + 0.17 * h;
        let wash = low_pass(&mut self.lp, body, a);
        wash * (0.25 + 0.75 * h) * OCEAN_GAIN
    }
}

/// A bed playing: its texture under the shared volume and mute and its
/// own channel volume, fading in from silence, and out when `stop` is
/// set; the source ends once the fade-out is over.
pub struct BedVoice {
    texture: Texture,
    level: Arc<Level>,
    /// `bed_volume` squared, as the other channels.
    channel: f32,
    /// The volume and mute as heard now: follows `level`, a step a
    /// sample, so a change never clicks.
    gain: f32,
    /// Samples since the start.
    age: u32,
    fade: u32,
    stop: Arc<AtomicBool>,
    /// The envelope when the fade-out began, and samples since.
    stopping: Option<(f32, u32)>,
}

impl BedVoice {
    /// Play `texture` under `level` at `channel` volume (0.0 to 1.0,
    /// squared like the others); it fades out and ends once `stop` is
    /// set.
    pub fn new(texture: Texture, level: Arc<Level>, channel: f32, stop: Arc<AtomicBool>) -> Self {
        let channel = super::voice::channel_gain(channel);
        let gain = level.gain();
        Self {
            texture,
            level,
            channel,
            gain,
            age: 0,
            fade: (BED_FADE.as_secs_f64() * f64::from(BED_RATE)) as u32,
            stop,
            stopping: None,
        }
    }

    /// The fade envelope now; `None` once the fade-out has ended.
    fn envelope(&mut self) -> Option<f32> {
        let fade = self.fade.max(1) as f32;
        let fading_in = smooth(self.age as f32 / fade);
        if self.stopping.is_none() && self.stop.load(Ordering::Relaxed) {
            self.stopping = Some((fading_in, 0));
        }
        match &mut self.stopping {
            None => Some(fading_in),
            Some((from, n)) => {
                *n += 1;
                (*n < self.fade).then(|| *from * smooth(1.0 - *n as f32 / fade))
            }
        }
    }
}

impl Iterator for BedVoice {
    type Item = f32;

    fn next(&mut self) -> Option<f32> {
        let env = self.envelope()?;
        self.age = self.age.saturating_add(1);
        let target = self.level.gain();
        let step = 1.0 / super::voice::RAMP_SAMPLES;
        self.gain = super::voice::ramp(self.gain, target, step);
        Some(self.texture.next_sample() * env * self.gain * self.channel)
    }
}

impl rodio::Source for BedVoice {
    fn current_span_len(&self) -> Option<usize> {
        None
    }
    fn channels(&self) -> NonZero<u16> {
        NonZero::<u16>::MIN
    }
    fn sample_rate(&self) -> NonZero<u32> {
        NonZero::new(BED_RATE).unwrap_or(NonZero::<u32>::MIN)
    }
    fn total_duration(&self) -> Option<Duration> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: usize = BED_RATE as usize;

    fn rms(s: &[f32]) -> f32 {
        (s.iter().map(|x| x * x).sum::<f32>() / s.len() as f32).sqrt()
    }

    fn max_step(s: &[f32]) -> f32 {
        s.windows(2)
            .map(|w| (w[1] - w[0]).abs())
            .fold(0.0, f32::max)
    }

    fn texture(bed: Bed, secs: usize) -> Vec<f32> {
        let mut t = Texture::new(bed, 7);
        (0..secs * SECOND).map(|_| t.next_sample()).collect()
    }

    const SOUNDING: [Bed; 5] = [Bed::Brown, Bed::Pink, Bed::White, Bed::Rain, Bed::Ocean];

    #[test]
    fn every_bed_plays_at_the_same_loudness() {
        for bed in SOUNDING {
            // Long enough for several of the ocean's waves.
            let s = texture(bed, 60);
            let level = rms(&s);
            assert!(
                (level / BED_RMS - 1.0).abs() < 0.2,
                "{bed:?}: RMS {level:.3}, not about {BED_RMS}"
            );
            assert!(
                s.iter().all(|x| x.abs() < 0.9),
                "{bed:?} comes near clipping"
            );
            assert!(
                (s.iter().sum::<f32>() / s.len() as f32).abs() < 0.02,
                "{bed:?} drifts off zero"
            );
        }
        assert!(texture(Bed::None, 1).iter().all(|x| *x == 0.0));
    }

    #[test]
    fn no_texture_jumps_more_than_its_own_grain() {
        // The bound of each: what the texture itself moves between two
        // samples. The smooth ones move little; white noise may move
        // across its whole range by nature; rain's drops ring at a few
        // kHz and swell in over a millisecond, so they stay under the
        // hiss's own steps.
        let bounds = [
            (Bed::Brown, 0.5 * BED_RMS),
            (Bed::Ocean, 0.6 * BED_RMS),
            (Bed::Pink, 2.0 * BED_RMS),
            (Bed::Rain, 2.5 * BED_RMS),
            (Bed::White, 2.0 * WHITE_GAIN),
        ];
        for (bed, bound) in bounds {
            let s = texture(bed, 60);
            let step = max_step(&s);
            assert!(
                step <= bound,
                "{bed:?}: a step of {step:.3} (bound {bound})"
            );
        }
    }

    #[test]
    fn one_seed_is_one_sound_and_the_sound_never_repeats() {
        let a = texture(Bed::Pink, 2);
        assert_eq!(a, texture(Bed::Pink, 2), "seeded");
        // No stretch of a second recurs a second later: no loop.
        assert_ne!(a[..SECOND], a[SECOND..]);
    }

    fn voice(bed: Bed, level: &Arc<Level>, channel: f32) -> (BedVoice, Arc<AtomicBool>) {
        let stop = Arc::new(AtomicBool::new(false));
        let v = BedVoice::new(
            Texture::new(bed, 3),
            Arc::clone(level),
            channel,
            Arc::clone(&stop),
        );
        (v, stop)
    }

    #[test]
    fn a_bed_fades_in_from_silence_and_out_to_silence_then_ends() {
        let level = Arc::new(Level::new(1.0));
        for bed in SOUNDING {
            let (mut v, stop) = voice(bed, &level, 1.0);
            let start: Vec<f32> = v.by_ref().take(4 * SECOND).collect();
            assert!(start[0].abs() < 1e-6, "{bed:?} starts at {}", start[0]);
            // Out of silence with no jump: the first 10 ms barely move.
            assert!(max_step(&start[..SECOND / 100]) < 1e-3, "{bed:?}");
            let first = rms(&start[..SECOND / 2]);
            let middle = rms(&start[SECOND..2 * SECOND]);
            let full = rms(&start[3 * SECOND..]);
            assert!(
                first < middle && middle < full,
                "{bed:?}: {first} {middle} {full}"
            );
            assert!(
                first < 0.1 * full,
                "{bed:?} starts too loud: {first} of {full}"
            );
            stop.store(true, Ordering::Relaxed);
            let end: Vec<f32> = v.by_ref().take(5 * SECOND).collect();
            let frames = end.len();
            assert!(
                frames < 3 * SECOND + 10,
                "{bed:?}: the fade-out lasts the fade ({frames} samples)"
            );
            assert!(frames > 3 * SECOND - 10, "{bed:?}: {frames}");
            assert!(v.next().is_none(), "and the source has ended");
            let last = end[end.len() - SECOND / 100..]
                .iter()
                .fold(0.0_f32, |m, x| m.max(x.abs()));
            assert!(last < 1e-3, "{bed:?} ends at {last}");
            assert!(
                rms(&end[..SECOND / 2]) > 2.0 * rms(&end[2 * SECOND..]),
                "{bed:?}"
            );
        }
    }

    #[test]
    fn a_bed_stopped_while_fading_in_fades_from_where_it_was() {
        let level = Arc::new(Level::new(1.0));
        let (mut v, stop) = voice(Bed::Brown, &level, 1.0);
        let before: Vec<f32> = v.by_ref().take(SECOND / 2).collect();
        stop.store(true, Ordering::Relaxed);
        let after: Vec<f32> = v.by_ref().take(SECOND / 10).collect();
        // No jump at the turn: the envelope carries on from its value.
        let turn = (after[0] - before[before.len() - 1]).abs();
        assert!(turn < 0.01, "{turn}");
    }

    #[test]
    fn the_bed_plays_under_its_own_volume_and_the_master_and_mute_silences_it() {
        let level = Arc::new(Level::new(0.5));
        let (mut v, _stop) = voice(Bed::White, &level, 0.5);
        let steady: Vec<f32> = v.by_ref().skip(4 * SECOND).take(SECOND).collect();
        // Each volume squared: 0.25 × 0.25 of the texture.
        let want = BED_RMS * 0.25 * 0.25;
        let got = rms(&steady);
        assert!((got / want - 1.0).abs() < 0.05, "{got} not about {want}");
        level.set_muted(true);
        let muted: Vec<f32> = v.by_ref().take(SECOND / 10).collect();
        assert!(muted[0] != 0.0, "fades rather than clicks");
        assert!(max_step(&muted) < 0.05);
        assert!(muted[SECOND / 20..].iter().all(|x| *x == 0.0));
    }
}
