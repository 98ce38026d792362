//! The output stream, with sounds that start on their sample.
//!
//! rodio's own stream asks the mixer for samples without saying when they
//! will be heard, so a sound could only start "now", a device buffer late.
//! Here the stream is built on cpal directly, around rodio's mixer: every
//! time the device asks for a buffer, [`AudioClock`] works out when the
//! buffer's first frame will be heard, and each sound handed ahead
//! ([`Queue::push`]) whose moment falls in that buffer goes into the mixer
//! with exactly the silence before it that puts its first sample on its
//! moment. The runners hand sounds out a little ahead
//! ([`super::speaker::LEAD`]), so the latency of the output path is not
//! heard as lateness.

use std::collections::VecDeque;
use std::num::NonZero;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use rodio::cpal::traits::{DeviceTrait as _, StreamTrait as _};
use rodio::cpal::{self, BufferSize, FromSample, SizedSample, StreamConfig};
use rodio::mixer::{Mixer, MixerSource};

use super::voice::Voice;

/// When the frames a device plays will be heard.
///
/// A device that reports its delay (a sound card, or a sound server)
/// says it with each buffer: the first frame is heard that long after the
/// callback. One that reports none (ALSA's `file` and `null` plugins)
/// plays at its rate from the first buffer on, so each frame is heard its
/// place in the stream after that; the reported delay re-anchors that
/// count whenever there is one, so a device clock a little off from the
/// system's, or a gap after an underrun, never adds up.
#[derive(Debug, Clone)]
pub struct AudioClock {
    rate: NonZero<u32>,
    /// Frames handed to the device so far.
    frames: u64,
    /// When frame 0 is (or would have been) heard.
    anchor: Option<Instant>,
}

impl AudioClock {
    /// A clock for a stream of `rate` frames a second, nothing played yet.
    pub fn new(rate: NonZero<u32>) -> Self {
        Self {
            rate,
            frames: 0,
            anchor: None,
        }
    }

    fn played(&self) -> Duration {
        Duration::from_secs_f64(self.frames as f64 / f64::from(self.rate.get()))
    }

    /// When the first frame of the buffer asked for at `now` will be heard,
    /// the device reporting `delay` (zero when it reports none).
    pub fn first_heard(&mut self, now: Instant, delay: Duration) -> Instant {
        let played = self.played();
        let reported = (now + delay).checked_sub(played).unwrap_or(now);
        let anchor = match self.anchor {
            // A frame is never heard before the buffer holding it is
            // asked for: a device that started late (or fell behind)
            // moves the count on.
            Some(a) if delay.is_zero() => a.max(reported),
            _ => reported,
        };
        self.anchor = Some(anchor);
        anchor + played
    }

    /// `frames` more have been handed to the device.
    pub fn advance(&mut self, frames: usize) {
        self.frames += frames as u64;
    }
}

/// Sounds handed ahead, each with the moment it is to be heard.
#[derive(Default)]
pub struct Queue {
    items: Mutex<Vec<Timed>>,
    /// How long after the device asked for the last buffer its first frame
    /// is heard, in nanoseconds: what a sound that follows a cue as it is
    /// told (the pacing sound) is heard behind it.
    latency: std::sync::atomic::AtomicU64,
}

/// A sound and its moment.
struct Timed {
    at: Instant,
    /// Which sound it is (its samples), so the same sound handed again
    /// for the same moment (after a change that revoked it, when it had
    /// already begun) is not heard twice.
    id: usize,
    voice: Voice,
}

impl Queue {
    /// Have `voice` heard at `at`; `id` says which sound it is.
    pub fn push(&self, at: Instant, id: usize, voice: Voice) {
        self.lock().push(Timed { at, id, voice });
    }

    /// How long what is mixed now takes to be heard.
    pub fn latency(&self) -> Duration {
        Duration::from_nanos(self.latency.load(std::sync::atomic::Ordering::Relaxed))
    }

    /// Forget every sound that has not begun.
    pub fn clear(&self) {
        self.lock().clear();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Timed>> {
        self.items.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Take the sounds due before `until`, in order of their moments.
    fn take_before(&self, until: Instant) -> Vec<Timed> {
        let mut items = self.lock();
        let (mut due, rest): (Vec<_>, Vec<_>) = items.drain(..).partition(|t| t.at < until);
        *items = rest;
        drop(items);
        due.sort_by_key(|t| t.at);
        due
    }
}

/// Sounds started lately, remembered so that one handed twice for the
/// same moment plays once.
const RECENT: usize = 32;

/// Two moments this close are the same moment.
const SAME_MOMENT: Duration = Duration::from_millis(2);

/// Everything the device's callback works with.
struct Feed {
    source: MixerSource,
    mixer: Mixer,
    clock: AudioClock,
    queue: Arc<Queue>,
    channels: usize,
    recent: VecDeque<(usize, Instant)>,
}

impl Feed {
    /// Fill `data`, asked for at `now` and `delay` ahead of being heard,
    /// starting what is due in it.
    fn fill<T: SizedSample + FromSample<f32>>(
        &mut self,
        data: &mut [T],
        now: Instant,
        delay: Duration,
    ) {
        let frames = data.len() / self.channels.max(1);
        let first = self.clock.first_heard(now, delay);
        let behind = u64::try_from(first.saturating_duration_since(now).as_nanos()).unwrap_or(0);
        self.queue
            .latency
            .store(behind, std::sync::atomic::Ordering::Relaxed);
        let span = Duration::from_secs_f64(frames as f64 / f64::from(self.clock.rate.get()));
        for t in self.queue.take_before(first + span) {
            let again = self.recent.iter().any(|(id, at)| {
                *id == t.id && at.max(&t.at).duration_since(*at.min(&t.at)) < SAME_MOMENT
            });
            if again {
                continue;
            }
            if self.recent.len() == RECENT {
                self.recent.pop_front();
            }
            self.recent.push_back((t.id, t.at));
            // Started with this buffer's first frame: the silence before
            // it puts its first sample on its moment.
            self.mixer
                .add(t.voice.after(t.at.saturating_duration_since(first)));
        }
        for d in data.iter_mut() {
            *d = self
                .source
                .next()
                .map_or(T::EQUILIBRIUM, <T as cpal::Sample>::from_sample);
        }
        self.clock.advance(frames);
    }
}

/// An open output stream: its mixer, and the queue of sounds handed ahead.
pub struct Output {
    _stream: cpal::Stream,
    /// Everything plays through this.
    pub mixer: Mixer,
    /// Channels the device plays (1 is mono: nothing can be panned).
    pub channels: u16,
    /// Sounds waiting for their moment.
    pub queue: Arc<Queue>,
}

/// Open `device` at its default format with buffers of `period` frames
/// (or the device's own choice, if it refuses that), `on_error` told of
/// any trouble while it plays.
pub fn open(
    device: &cpal::Device,
    period: u32,
    on_error: impl FnMut(cpal::Error) + Send + Clone + 'static,
) -> Option<Output> {
    let supported = device.default_output_config().ok()?;
    let format = supported.sample_format();
    let base: StreamConfig = supported.config();
    let channels = NonZero::new(base.channels)?;
    let rate = NonZero::new(base.sample_rate)?;
    let attempt = |buffer: BufferSize| -> Option<Output> {
        let (mixer, source) = rodio::mixer::mixer(channels, rate);
        let queue = Arc::new(Queue::default());
        let mut feed = Feed {
            source,
            mixer: mixer.clone(),
            clock: AudioClock::new(rate),
            queue: Arc::clone(&queue),
            channels: usize::from(channels.get()),
            recent: VecDeque::with_capacity(RECENT),
        };
        let config = StreamConfig {
            buffer_size: buffer,
            ..base
        };
        macro_rules! build {
            ($($format:ident => $t:ty),+) => {
                match format {
                    $(cpal::SampleFormat::$format => device.build_output_stream::<$t, _, _>(
                        config,
                        move |data, info| {
                            let ts = info.timestamp();
                            feed.fill(
                                data,
                                crate::clock::now(),
                                ts.playback.duration_since(ts.callback),
                            );
                        },
                        on_error.clone(),
                        None,
                    ),)+
                    _ => return None,
                }
            };
        }
        let stream = build!(
            F32 => f32, F64 => f64, I16 => i16, I32 => i32, I8 => i8,
            U8 => u8, U16 => u16, U32 => u32
        )
        .ok()?;
        stream.play().ok()?;
        Some(Output {
            _stream: stream,
            mixer,
            channels: channels.get(),
            queue,
        })
    };
    attempt(BufferSize::Fixed(period.max(64))).or_else(|| attempt(BufferSize::Default))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audio::decode::Decoded;
    use crate::audio::voice::Level;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    fn frames_of(d: Duration, rate: u32) -> usize {
        (d.as_secs_f64() * f64::from(rate)).round() as usize
    }

    const RATE: NonZero<u32> = NonZero::<u32>::new(1000).expect("nonzero");

    #[test]
    fn a_device_that_reports_no_delay_is_heard_at_its_rate_from_the_first_buffer() {
        let t0 = Instant::now();
        let mut c = AudioClock::new(RATE);
        assert_eq!(c.first_heard(t0, Duration::ZERO), t0);
        c.advance(100);
        // Called early or late, the second buffer is heard 100 frames on.
        assert_eq!(c.first_heard(t0 + ms(3), Duration::ZERO), t0 + ms(100));
        c.advance(100);
        assert_eq!(c.first_heard(t0 + ms(150), Duration::ZERO), t0 + ms(200));
    }

    #[test]
    fn a_reported_delay_wins_and_re_anchors_the_count() {
        let t0 = Instant::now();
        let mut c = AudioClock::new(RATE);
        assert_eq!(c.first_heard(t0, ms(40)), t0 + ms(40));
        c.advance(20);
        // The device ran a little slow: its delay says so, and is believed.
        assert_eq!(c.first_heard(t0 + ms(25), ms(40)), t0 + ms(65));
        c.advance(20);
        // A buffer with no delay reported goes on from there.
        assert_eq!(c.first_heard(t0 + ms(40), Duration::ZERO), t0 + ms(85));
        // Never in the past, after a gap (an underrun), and the frames
        // after it are counted on from there.
        c.advance(20);
        assert_eq!(c.first_heard(t0 + ms(500), Duration::ZERO), t0 + ms(500));
        c.advance(20);
        assert_eq!(c.first_heard(t0 + ms(505), Duration::ZERO), t0 + ms(520));
    }

    fn click() -> Decoded {
        Decoded {
            channels: NonZero::<u16>::MIN,
            rate: RATE,
            samples: vec![1.0_f32; 5].into(),
        }
    }

    /// A feed on a mono mixer at `RATE`, the clock started at `t0`.
    fn feed(t0: Instant) -> (Feed, Arc<Queue>) {
        let (mixer, source) = rodio::mixer::mixer(NonZero::<u16>::MIN, RATE);
        let queue = Arc::new(Queue::default());
        let mut clock = AudioClock::new(RATE);
        clock.first_heard(t0, Duration::ZERO);
        let feed = Feed {
            source,
            mixer,
            clock,
            queue: Arc::clone(&queue),
            channels: 1,
            recent: VecDeque::new(),
        };
        (feed, queue)
    }

    /// Where the sound starts in what the feed plays: the first loud sample.
    fn onset(data: &[f32]) -> Option<usize> {
        data.iter().position(|s| *s > 0.5)
    }

    #[test]
    fn a_sound_handed_ahead_starts_on_its_sample_in_the_buffer_that_holds_its_moment() {
        let t0 = Instant::now();
        let (mut f, queue) = feed(t0);
        let level = Arc::new(Level::new(1.0));
        let sound = click();
        // Heard 130 ms (frames) into the stream: in the second buffer of 100.
        let at = t0 + ms(130);
        queue.push(at, 1, Voice::new(&sound, Arc::clone(&level), 1.0));
        let mut first = vec![0.0_f32; 100];
        f.fill(&mut first, t0, Duration::ZERO);
        assert_eq!(onset(&first), None, "not before its moment");
        let mut second = vec![0.0_f32; 100];
        f.fill(&mut second, t0 + ms(80), Duration::ZERO);
        // Asked for at 80 ms, heard from 100 ms: 20 ms behind.
        assert_eq!(queue.latency(), ms(20));
        let at_frame = 100 + onset(&second).expect("heard in the second buffer");
        let wanted = frames_of(at.duration_since(t0), RATE.get());
        assert!(
            at_frame.abs_diff(wanted) <= 1,
            "heard at frame {at_frame}, due at {wanted}"
        );
    }

    #[test]
    fn the_same_sound_handed_again_for_its_moment_plays_once_and_cleared_ones_not_at_all() {
        let t0 = Instant::now();
        let (mut f, queue) = feed(t0);
        let level = Arc::new(Level::new(1.0));
        let sound = click();
        queue.push(t0 + ms(20), 7, Voice::new(&sound, Arc::clone(&level), 1.0));
        let mut buf = vec![0.0_f32; 100];
        f.fill(&mut buf, t0, Duration::ZERO);
        assert_eq!(buf.iter().filter(|s| **s > 0.5).count(), 5);
        // Handed again (a revoke came after it had begun): not twice.
        queue.push(t0 + ms(20), 7, Voice::new(&sound, Arc::clone(&level), 1.0));
        // A later one, then cleared before its moment: never heard.
        queue.push(t0 + ms(250), 8, Voice::new(&sound, Arc::clone(&level), 1.0));
        queue.clear();
        let mut rest = vec![0.0_f32; 300];
        f.fill(&mut rest, t0 + ms(60), Duration::ZERO);
        assert_eq!(onset(&rest), None);
    }
}
