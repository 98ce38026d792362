//! The pacing sound: a tone (or soft noise) that lasts the whole breath,
//! its pitch (or brightness) rising through an inhale, resting on a hold
//! and falling through an exhale, along the same eased curve as the ring.
//!
//! Nothing drifts: at each segment's start the runner says where the
//! breath goes and how long it takes ([`PaceCue`]); the sound then glides
//! by counting its own samples until the next cue re-anchors it. A pause
//! or an unpaced moment (a sit, a retention hold, natural breathing) fades
//! it out; resuming starts it again where the segment stands.
//! [`Pacer`] is the part both runners share: it watches the player and
//! says when something changed.
//!
//! The sound is stereo so that a phase can be heard in one ear only
//! (`pan = "left"`, for alternate-nostril breathing): the cue carries the
//! segment's [`Pan`], and the two channels' gains glide to it over
//! [`PAN_FADE`] so that moving from one ear to the other never clicks.

use std::num::NonZero;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::Chime;
use super::voice::Level;
use crate::engine::Player;
use crate::engine::breath::{Glide, glide};
use crate::engine::model::{Pacing, Pan};

/// The rate the pacing sound is made at.
pub const PACE_RATE: u32 = 48_000;

/// The tone's pitch with empty lungs; full lungs are an octave higher.
pub const LOW_HZ: f64 = 196.0;

/// The tone's peak amplitude before the volumes.
const TONE_PEAK: f32 = 0.25;

/// How long the sound takes to come in or go out (a pause, a sit).
pub const PACE_FADE: Duration = Duration::from_millis(120);

/// How long the sound takes to move from one ear to the other at a
/// phase change: short enough to belong to the new phase, long enough
/// not to click.
pub const PAN_FADE: Duration = Duration::from_millis(20);

/// What the pacing sound does from now on: play `sound` along `glide`,
/// heard where `pan` says.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PaceCue {
    /// Tone or noise.
    pub sound: Pacing,
    /// The segment's course, anchored at the moment the cue is given.
    pub glide: Glide,
    /// Which ear the segment is heard in.
    pub pan: Pan,
}

/// Where the runner leaves the next cue for a playing [`PaceVoice`].
#[derive(Debug, Default)]
pub struct PaceControl {
    generation: AtomicU64,
    cue: Mutex<Option<(Glide, Pan)>>,
}

impl PaceControl {
    /// Follow `glide` from now in both ears, or fade out with `None`.
    pub fn set(&self, glide: Option<Glide>) {
        self.set_panned(glide.map(|g| (g, Pan::Center)));
    }

    /// Follow a glide from now, heard where its pan says, or fade out
    /// with `None`.
    pub fn set_panned(&self, cue: Option<(Glide, Pan)>) {
        if let Ok(mut c) = self.cue.lock() {
            *c = cue;
        }
        self.generation.fetch_add(1, Ordering::Release);
    }
}

/// One kind of pacing sound playing, for as long as the speaker lives:
/// silent until a cue comes.
pub struct PaceVoice {
    sound: Pacing,
    control: Arc<PaceControl>,
    seen: u64,
    level: Arc<Level>,
    /// `pacing_volume` squared.
    channel: f32,
    gain: f32,
    glide: Option<Glide>,
    /// Samples since the glide's anchor, plus its `into`.
    pos: u64,
    /// The breath level as heard (0 to 1): follows the glide, smoothed so
    /// that a new anchor never jumps.
    heard: f64,
    /// Loudness envelope, 0 to 1.
    amp: f32,
    phase: f64,
    noise: NoiseState,
    /// Two channels (left, right) or one (a mono device: no pan).
    stereo: bool,
    /// Where the current segment is heard.
    pan: Pan,
    /// The left and right gains as heard: they glide to `pan`'s.
    pan_gain: [f32; 2],
    /// The right sample of the frame whose left was just given.
    right: Option<f32>,
}

#[derive(Debug, Default)]
struct NoiseState {
    rng: u64,
    pink: [f32; 3],
    lp: f32,
    lp2: f32,
}

impl NoiseState {
    fn white(&mut self) -> f32 {
        let mut x = self.rng;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.rng = x;
        (x >> 40) as f32 / (1_u64 << 23) as f32 - 1.0
    }

    /// Soft noise whose brightness follows `level`: a low-pass from about
    /// 250 Hz (empty) to 2 kHz (full), twice over, so it is a wash and
    /// not a hiss.
    fn next(&mut self, level: f64) -> f32 {
        let w = self.white();
        // A cheap pink-ish base (three poles of Paul Kellet's economy
        // filter).
        let p = &mut self.pink;
        p[0] = 0.997_65 * p[0] + w * 0.099_046;
        p[1] = 0.963_00 * p[1] + w * 0.296_516_4;
        p[2] = 0.570_00 * p[2] + w * 1.052_691_3;
        let pink = (p[0] + p[1] + p[2] + w * 0.1848) * 0.05;
        let fc = 250.0 * 2f64.powf(3.0 * level.clamp(0.0, 1.0));
        let a = (1.0 - (-std::f64::consts::TAU * fc / f64::from(PACE_RATE)).exp()) as f32;
        self.lp += a * (pink - self.lp);
        self.lp2 += a * (self.lp - self.lp2);
        // Darker is quieter by nature; lift it back a little.
        self.lp2 * (2.2 - level as f32)
    }
}

impl PaceVoice {
    /// A silent `sound` under `level` at `channel` volume (0.0 to 1.0,
    /// squared like the others), following the cues left in `control`.
    pub fn new(sound: Pacing, control: Arc<PaceControl>, level: Arc<Level>, channel: f32) -> Self {
        let channel = super::voice::channel_gain(channel);
        let gain = level.gain();
        Self {
            sound,
            control,
            seen: 0,
            level,
            channel,
            gain,
            glide: None,
            pos: 0,
            heard: 0.0,
            amp: 0.0,
            phase: 0.0,
            noise: NoiseState {
                rng: 0x2545_F491_4F6C_DD1D,
                ..NoiseState::default()
            },
            stereo: true,
            pan: Pan::Center,
            pan_gain: Pan::Center.gains(),
            right: None,
        }
    }

    /// The same sound in one channel, for a mono device: heard whatever
    /// the pan (a mono device cannot place it, and rodio would keep
    /// only the left of two channels).
    #[must_use]
    pub fn mono(mut self) -> Self {
        self.stereo = false;
        self
    }

    fn take_cue(&mut self) {
        let generation = self.control.generation.load(Ordering::Acquire);
        if generation == self.seen {
            return;
        }
        // Never wait on the runner in the audio callback: try again on
        // the next sample.
        let Ok(cue) = self.control.cue.try_lock() else {
            return;
        };
        self.seen = generation;
        let was_silent = self.amp == 0.0;
        self.glide = cue.map(|(g, _)| g);
        if let Some((g, pan)) = *cue {
            self.pos = (g.into.as_secs_f64() * f64::from(PACE_RATE)) as u64;
            self.pan = pan;
            if was_silent {
                // Coming in from silence: start at the right pitch, in
                // the right ear.
                self.heard = g.level_at(g.into);
                self.pan_gain = pan.gains();
            }
        }
    }

    /// Move the channel gains one frame towards the pan's.
    fn glide_pan(&mut self) {
        let step = 1.0 / (PAN_FADE.as_secs_f32() * PACE_RATE as f32);
        for (g, t) in self.pan_gain.iter_mut().zip(self.pan.gains()) {
            *g = super::voice::ramp(*g, t, step);
        }
    }

    /// The next sample.
    fn sample(&mut self) -> f32 {
        self.take_cue();
        let rate = f64::from(PACE_RATE);
        let (target_amp, target_level) = match &self.glide {
            Some(g) => {
                let t = Duration::from_secs_f64(self.pos as f64 / rate);
                self.pos += 1;
                (1.0, g.level_at(t))
            }
            None => (0.0, self.heard),
        };
        // About 5 ms to reach a new anchor: smooth, and far quicker than
        // any breath.
        self.heard += (target_level - self.heard) * 0.004;
        let step = 1.0 / (PACE_FADE.as_secs_f32() * PACE_RATE as f32);
        self.amp = super::voice::ramp(self.amp, target_amp, step);
        let g_target = self.level.gain();
        let g_step = 1.0 / super::voice::RAMP_SAMPLES;
        self.gain = super::voice::ramp(self.gain, g_target, g_step);
        if self.amp == 0.0 {
            return 0.0;
        }
        let raw = match self.sound {
            Pacing::Tone => {
                let hz = LOW_HZ * 2f64.powf(self.heard);
                self.phase = (self.phase + hz / rate).fract();
                (self.phase * std::f64::consts::TAU).sin() as f32 * TONE_PEAK
            }
            Pacing::Noise => self.noise.next(self.heard),
            Pacing::None => 0.0,
        };
        // A smooth envelope shape over the linear ramp: no corner at
        // either end.
        let a = self.amp * self.amp * (3.0 - 2.0 * self.amp);
        raw * a * self.gain * self.channel
    }
}

impl Iterator for PaceVoice {
    type Item = f32;

    fn next(&mut self) -> Option<f32> {
        if !self.stereo {
            return Some(self.sample());
        }
        if let Some(r) = self.right.take() {
            return Some(r);
        }
        let s = self.sample();
        self.glide_pan();
        self.right = Some(s * self.pan_gain[1]);
        Some(s * self.pan_gain[0])
    }
}

impl rodio::Source for PaceVoice {
    fn current_span_len(&self) -> Option<usize> {
        None
    }
    fn channels(&self) -> NonZero<u16> {
        if self.stereo {
            NonZero::<u16>::MIN.saturating_add(1)
        } else {
            NonZero::<u16>::MIN
        }
    }
    fn sample_rate(&self) -> NonZero<u32> {
        NonZero::new(PACE_RATE).unwrap_or(NonZero::<u32>::MIN)
    }
    fn total_duration(&self) -> Option<Duration> {
        None
    }
}

/// Watches a running session for the moments the pacing sound must
/// change (a new segment, a pause, a resume) and tells the player then,
/// and only then. Both front ends call [`Pacer::follow`] after each poll.
#[derive(Debug, Clone, Default)]
pub struct Pacer {
    /// The segment and pause state last told, and whether a sound was
    /// asked for.
    told: Option<(usize, bool)>,
    sounding: bool,
}

impl Pacer {
    /// Tell `chime` what the pacing sound does at `now`, if that changed.
    pub fn follow(&mut self, chime: &dyn Chime, player: &Player, now: Instant) {
        if !player.begun(now) {
            // Its glide is anchored on the session's own time, which has
            // not started.
            return;
        }
        let st = player.state(now);
        let quiet = player.is_paused() || st.finished;
        let key = (st.index, quiet);
        if self.told == Some(key) {
            return;
        }
        self.told = Some(key);
        let schedule = player.schedule();
        let sound = st
            .segment
            .block
            .map_or(Pacing::None, |b| schedule.timeline().pacing_of(b));
        let cue = if quiet || sound == Pacing::None {
            None
        } else {
            glide(schedule, &st).map(|glide| PaceCue {
                sound,
                glide,
                pan: st.segment.pan,
            })
        };
        if cue.is_some() || self.sounding {
            self.sounding = cue.is_some();
            chime.pace(cue);
        }
    }

    /// The session is over (or gone): silence, if anything sounds.
    pub fn stop(&mut self, chime: &dyn Chime) {
        if self.sounding {
            chime.pace(None);
        }
        self.sounding = false;
        self.told = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECOND: usize = PACE_RATE as usize;

    fn glide(from: f64, to: f64, secs: u64) -> Glide {
        Glide {
            from,
            to,
            length: Duration::from_secs(secs),
            into: Duration::ZERO,
        }
    }

    /// A mono voice: what these tests hear is the sound itself.
    fn voice(sound: Pacing) -> (PaceVoice, Arc<PaceControl>) {
        let (v, control) = stereo(sound);
        (v.mono(), control)
    }

    /// A stereo voice, as a stereo device plays it.
    fn stereo(sound: Pacing) -> (PaceVoice, Arc<PaceControl>) {
        let control = Arc::new(PaceControl::default());
        let v = PaceVoice::new(sound, Arc::clone(&control), Arc::new(Level::new(1.0)), 1.0);
        (v, control)
    }

    /// `frames` frames of a stereo voice, as (left, right).
    fn frames(v: &mut PaceVoice, frames: usize) -> (Vec<f32>, Vec<f32>) {
        let s: Vec<f32> = v.by_ref().take(2 * frames).collect();
        (
            s.iter().step_by(2).copied().collect(),
            s.iter().skip(1).step_by(2).copied().collect(),
        )
    }

    fn rms(s: &[f32]) -> f32 {
        (s.iter().map(|x| x * x).sum::<f32>() / s.len() as f32).sqrt()
    }

    /// Zero crossings a second over `s`.
    fn hz(s: &[f32]) -> f64 {
        let n = s
            .windows(2)
            .filter(|w| (w[0] < 0.0) != (w[1] < 0.0))
            .count();
        n as f64 * f64::from(PACE_RATE) / s.len() as f64 / 2.0
    }

    fn max_step(s: &[f32]) -> f32 {
        s.windows(2)
            .map(|w| (w[1] - w[0]).abs())
            .fold(0.0, f32::max)
    }

    #[test]
    fn silent_until_told_then_the_pitch_follows_the_breath() {
        let (mut v, c) = voice(Pacing::Tone);
        assert!(v.by_ref().take(SECOND).all(|s| s == 0.0));
        c.set(Some(glide(0.0, 1.0, 4)));
        let inhale: Vec<f32> = v.by_ref().take(4 * SECOND).collect();
        c.set(Some(glide(1.0, 1.0, 2)));
        let hold: Vec<f32> = v.by_ref().take(2 * SECOND).collect();
        c.set(Some(glide(1.0, 0.0, 4)));
        let exhale: Vec<f32> = v.by_ref().take(4 * SECOND).collect();
        let tenth = SECOND / 10;
        let (r0, r1) = (
            hz(&inhale[tenth..3 * tenth]),
            hz(&inhale[37 * tenth..39 * tenth]),
        );
        assert!(
            (r0 - LOW_HZ).abs() < 15.0 && (r1 - 2.0 * LOW_HZ).abs() < 15.0,
            "{r0} {r1}"
        );
        // Eased: the middle of the inhale is about half way (in octaves).
        let mid = hz(&inhale[19 * tenth..21 * tenth]);
        assert!(
            (mid / LOW_HZ).log2() > 0.35 && (mid / LOW_HZ).log2() < 0.65,
            "{mid}"
        );
        let h = hz(&hold[5 * tenth..15 * tenth]);
        assert!((h - 2.0 * LOW_HZ).abs() < 10.0, "the hold rests: {h}");
        let (f0, f1) = (
            hz(&exhale[tenth..3 * tenth]),
            hz(&exhale[37 * tenth..39 * tenth]),
        );
        assert!(f0 > 1.8 * f1, "the exhale falls: {f0} then {f1}");
        // Continuous all the way, across every anchor.
        let all: Vec<f32> = [inhale, hold, exhale].concat();
        let bound =
            TONE_PEAK * (std::f32::consts::TAU * 2.0 * LOW_HZ as f32 / PACE_RATE as f32) * 1.1;
        assert!(max_step(&all) < bound, "{} over {bound}", max_step(&all));
    }

    #[test]
    fn a_cue_anchored_mid_segment_starts_where_the_segment_stands() {
        let (mut v, c) = voice(Pacing::Tone);
        // Resumed half way through a 4 s inhale: the pitch is half way.
        c.set(Some(Glide {
            into: Duration::from_secs(2),
            ..glide(0.0, 1.0, 4)
        }));
        let s: Vec<f32> = v.by_ref().take(SECOND / 5).collect();
        let f = hz(&s[SECOND / 20..]);
        let octaves = (f / LOW_HZ).log2();
        assert!((octaves - 0.5).abs() < 0.1, "{f} Hz");
    }

    #[test]
    fn none_fades_out_without_a_click_and_stays_silent() {
        for sound in [Pacing::Tone, Pacing::Noise] {
            let (mut v, c) = voice(sound);
            c.set(Some(glide(0.5, 0.5, 10)));
            let on: Vec<f32> = v.by_ref().take(SECOND).collect();
            assert!(on[0].abs() < 1e-3, "{sound:?} comes in from silence");
            c.set(None);
            let off: Vec<f32> = v.by_ref().take(SECOND).collect();
            let fade = (PACE_FADE.as_secs_f64() * f64::from(PACE_RATE)) as usize;
            assert!(off[..fade / 2].iter().any(|s| *s != 0.0), "{sound:?} fades");
            assert!(
                off[fade + 1..].iter().all(|s| *s == 0.0),
                "{sound:?} then silent"
            );
            let all = [on, off].concat();
            assert!(max_step(&all) < 0.1, "{sound:?}: {}", max_step(&all));
        }
    }

    #[test]
    fn the_noise_brightens_as_the_lungs_fill() {
        let (mut v, c) = voice(Pacing::Noise);
        c.set(Some(glide(0.0, 0.0, 2)));
        let dark: Vec<f32> = v.by_ref().skip(SECOND / 2).take(SECOND).collect();
        c.set(Some(glide(1.0, 1.0, 2)));
        let bright: Vec<f32> = v.by_ref().skip(SECOND / 2).take(SECOND).collect();
        assert!(
            hz(&bright) > 1.5 * hz(&dark),
            "{} then {}",
            hz(&dark),
            hz(&bright)
        );
    }

    #[test]
    fn a_panned_phase_is_heard_in_its_own_ear_only_and_centre_in_both() {
        for sound in [Pacing::Tone, Pacing::Noise] {
            let (mut v, c) = stereo(sound);
            c.set_panned(Some((glide(0.5, 0.5, 10), Pan::Left)));
            let (l, r) = frames(&mut v, SECOND);
            assert!(rms(&l) > 0.05, "{sound:?} left is heard: {}", rms(&l));
            assert!(
                r.iter().all(|s| *s == 0.0),
                "{sound:?} nothing on the right"
            );
            c.set_panned(Some((glide(0.5, 0.5, 10), Pan::Right)));
            let (l, r) = frames(&mut v, SECOND);
            let fade = (PAN_FADE.as_secs_f64() * f64::from(PACE_RATE)) as usize;
            assert!(
                l[fade + 1..].iter().all(|s| *s == 0.0),
                "{sound:?} the left is silent once the crossfade is over"
            );
            assert!(rms(&r[fade..]) > 0.05, "{sound:?} right is heard");
            c.set(Some(glide(0.5, 0.5, 10)));
            let (l, r) = frames(&mut v, SECOND);
            assert_eq!(l[fade..], r[fade..], "{sound:?} centre: both ears alike");
            assert!(rms(&l) > 0.05);
        }
    }

    #[test]
    fn moving_from_one_ear_to_the_other_crossfades_without_a_click() {
        let (mut v, c) = stereo(Pacing::Tone);
        c.set_panned(Some((glide(0.0, 0.0, 10), Pan::Left)));
        let (l0, r0) = frames(&mut v, SECOND / 2);
        c.set_panned(Some((glide(0.0, 0.0, 10), Pan::Right)));
        let (l1, r1) = frames(&mut v, SECOND / 2);
        let (l, r) = ([l0, l1.clone()].concat(), [r0, r1.clone()].concat());
        // A step no bigger than the tone's own from sample to sample (at
        // its pitch), plus what the 20 ms gain ramp adds: no jump.
        let bound = TONE_PEAK * (std::f32::consts::TAU * LOW_HZ as f32 / PACE_RATE as f32) * 1.1
            + TONE_PEAK / (PAN_FADE.as_secs_f32() * PACE_RATE as f32);
        assert!(max_step(&l) < bound, "left {} over {bound}", max_step(&l));
        assert!(max_step(&r) < bound, "right {} over {bound}", max_step(&r));
        // Over in about 20 ms: half way through, both ears hear some of it;
        // after it, only the right.
        let fade = (PAN_FADE.as_secs_f64() * f64::from(PACE_RATE)) as usize;
        let mid = fade / 2 - fade / 8..fade / 2 + fade / 8;
        assert!(rms(&l1[mid.clone()]) > 0.02 && rms(&r1[mid]) > 0.02);
        assert!(l1[fade + 1..].iter().all(|s| *s == 0.0));
        assert!(rms(&r1[fade..]) > 0.1);
    }

    #[test]
    fn coming_in_from_silence_starts_in_its_own_ear_at_once() {
        let (mut v, c) = stereo(Pacing::Tone);
        c.set_panned(Some((glide(0.5, 0.5, 10), Pan::Right)));
        let (l, r) = frames(&mut v, SECOND / 4);
        assert!(l.iter().all(|s| *s == 0.0), "no sweep in from the left");
        assert!(rms(&r) > 0.05);
    }

    #[test]
    fn a_mono_voice_ignores_the_pan() {
        let (mut v, c) = voice(Pacing::Tone);
        c.set_panned(Some((glide(0.5, 0.5, 10), Pan::Right)));
        let s: Vec<f32> = v.by_ref().take(SECOND).collect();
        assert!(rms(&s) > 0.05, "a mono device still hears a panned phase");
        assert_eq!(rodio::Source::channels(&v).get(), 1);
        let (v, _) = stereo(Pacing::Tone);
        assert_eq!(rodio::Source::channels(&v).get(), 2);
    }
}
