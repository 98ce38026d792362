//! One sound playing: a pre-decoded buffer read straight into the mixer,
//! with the shared volume and mute applied to every sample so that turning
//! sound down or off takes effect at once, even mid-chime.

use std::num::NonZero;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::Duration;

use super::decode::Decoded;

/// Volume and mute, shared by every voice and the controls.
#[derive(Debug)]
pub struct Level {
    volume: AtomicU32,
    muted: AtomicBool,
}

impl Level {
    /// Start at `volume` (0.0 to 1.0), unmuted.
    pub fn new(volume: f32) -> Self {
        let level = Self {
            volume: AtomicU32::new(0),
            muted: AtomicBool::new(false),
        };
        level.set_volume(volume);
        level
    }

    /// The volume, 0.0 to 1.0.
    pub fn volume(&self) -> f32 {
        f32::from_bits(self.volume.load(Ordering::Relaxed))
    }

    /// Set the volume; clamped to 0.0 to 1.0 (a NaN counts as 0).
    pub fn set_volume(&self, v: f32) {
        let v = if v.is_nan() { 0.0 } else { v.clamp(0.0, 1.0) };
        self.volume.store(v.to_bits(), Ordering::Relaxed);
    }

    /// Whether muted.
    pub fn muted(&self) -> bool {
        self.muted.load(Ordering::Relaxed)
    }

    /// Mute or unmute.
    pub fn set_muted(&self, m: bool) {
        self.muted.store(m, Ordering::Relaxed);
    }

    /// The amplitude factor now: the volume squared, so equal steps of
    /// the volume sound like roughly equal steps of loudness.
    pub fn gain(&self) -> f32 {
        if self.muted() {
            0.0
        } else {
            let v = self.volume();
            v * v
        }
    }
}

/// Samples a gain change takes to complete: short enough to be heard as
/// immediate, long enough not to click.
pub(super) const RAMP_SAMPLES: f32 = 256.0;

/// The amplitude factor of a channel's volume (`cue_volume`, `bed_volume`
/// ...): 0.0 to 1.0 squared, like the level, so equal steps are heard as
/// equal; a NaN counts as silence.
pub(super) fn channel_gain(volume: f32) -> f32 {
    if volume.is_nan() {
        0.0
    } else {
        volume.clamp(0.0, 1.0).powi(2)
    }
}

/// A sound being played.
pub struct Voice {
    samples: Arc<[f32]>,
    pos: usize,
    channels: NonZero<u16>,
    rate: NonZero<u32>,
    level: Arc<Level>,
    /// The amplitude factor of the sound's channel (`cue_volume` squared),
    /// under the shared level.
    channel: f32,
    gain: f32,
    /// Samples of silence still to come before the sound.
    lead_in: usize,
}

impl Voice {
    /// Play `sound` under `level`, its channel at `channel` volume (0.0 to
    /// 1.0; squared like the level, so it is heard in equal steps).
    pub fn new(sound: &Decoded, level: Arc<Level>, channel: f32) -> Self {
        let channel = channel_gain(channel);
        let gain = level.gain() * channel;
        Self {
            samples: Arc::clone(&sound.samples),
            pos: 0,
            channels: sound.channels,
            rate: sound.rate,
            level,
            channel,
            gain,
            lead_in: 0,
        }
    }

    /// The same sound after `silence`: how a sound handed ahead starts on
    /// its moment within a buffer.
    #[must_use]
    pub fn after(mut self, silence: Duration) -> Self {
        let frames = (silence.as_secs_f64() * f64::from(self.rate.get())).round() as usize;
        self.lead_in = frames * usize::from(self.channels.get());
        self
    }

    fn left(&self) -> usize {
        self.lead_in + self.samples.len().saturating_sub(self.pos)
    }
}

/// One step of `from` towards `to`, at most `step`: how every gain and
/// fade moves sample by sample, so a change of volume, a mute or a fade
/// never jumps (a jump is a click).
pub(super) fn ramp(from: f32, to: f32, step: f32) -> f32 {
    if (to - from).abs() <= step {
        to
    } else if to > from {
        from + step
    } else {
        from - step
    }
}

impl Iterator for Voice {
    type Item = f32;

    fn next(&mut self) -> Option<f32> {
        if self.lead_in > 0 {
            self.lead_in -= 1;
            return Some(0.0);
        }
        let s = *self.samples.get(self.pos)?;
        self.pos += 1;
        let target = self.level.gain() * self.channel;
        let step = 1.0 / RAMP_SAMPLES;
        self.gain = ramp(self.gain, target, step);
        Some(s * self.gain)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left(), Some(self.left()))
    }
}

impl rodio::Source for Voice {
    fn current_span_len(&self) -> Option<usize> {
        Some(self.left())
    }
    fn channels(&self) -> NonZero<u16> {
        self.channels
    }
    fn sample_rate(&self) -> NonZero<u32> {
        self.rate
    }
    fn total_duration(&self) -> Option<Duration> {
        let frames = (self.lead_in + self.samples.len()) / usize::from(self.channels.get());
        Some(Duration::from_secs_f64(
            frames as f64 / f64::from(self.rate.get()),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone() -> Decoded {
        Decoded {
            channels: NonZero::<u16>::MIN,
            rate: NonZero::new(1000).expect("nonzero"),
            samples: vec![0.5_f32; 2000].into(),
        }
    }

    #[test]
    fn mute_silences_a_sound_already_playing_within_a_few_ms() {
        let level = Arc::new(Level::new(1.0));
        let mut v = Voice::new(&tone(), Arc::clone(&level), 1.0);
        assert!((v.next().expect("sample") - 0.5).abs() < 1e-6);
        level.set_muted(true);
        let rest: Vec<f32> = v.by_ref().take(400).collect();
        assert!(rest[0] > 0.0, "fades rather than clicks");
        assert!(rest[300..].iter().all(|s| *s == 0.0));
    }

    #[test]
    fn volume_scales_loudness_and_is_clamped() {
        let level = Arc::new(Level::new(0.5));
        let v = Voice::new(&tone(), Arc::clone(&level), 1.0);
        let s: Vec<f32> = v.collect();
        assert_eq!(s.len(), 2000);
        assert!((s[10] - 0.5 * 0.25).abs() < 1e-6);
        level.set_volume(7.0);
        assert!((level.volume() - 1.0).abs() < f32::EPSILON);
        level.set_volume(f32::NAN);
        assert!(level.volume().abs() < f32::EPSILON);
    }

    #[test]
    fn a_channel_volume_plays_under_the_master_volume() {
        let level = Arc::new(Level::new(1.0));
        // cue_volume = 0.5: a quarter of the amplitude, from the first sample.
        let half: Vec<f32> = Voice::new(&tone(), Arc::clone(&level), 0.5).collect();
        assert!((half[0] - 0.5 * 0.25).abs() < 1e-6, "{}", half[0]);
        // Under a master volume of 0.5 too: both factors apply.
        level.set_volume(0.5);
        let both: Vec<f32> = Voice::new(&tone(), Arc::clone(&level), 0.5).collect();
        assert!((both[0] - 0.5 * 0.25 * 0.25).abs() < 1e-6, "{}", both[0]);
        // A channel at 0 is silent, and muting still silences the others.
        let off: Vec<f32> = Voice::new(&tone(), Arc::clone(&level), 0.0).collect();
        assert!(off.iter().all(|s| *s == 0.0));
        level.set_muted(true);
        let muted: Vec<f32> = Voice::new(&tone(), Arc::clone(&level), 1.0).collect();
        assert!(muted.iter().all(|s| *s == 0.0));
    }
}
