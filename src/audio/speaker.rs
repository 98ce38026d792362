//! The real sound output: rodio's mixer on the default device, on a
//! stream of exhale's own (`output`) that starts each sound handed ahead
//! ([`Chime::play_at`]) on its sample.
//!
//! The device is opened on a background thread, so starting a session
//! never waits for it; a chime asked for before it is open is played as
//! soon as it is (or dropped if it would come too late to mean anything).
//! Sounds are decoded before they play, so playing one is only a mixer
//! add: either all of a session's sounds up front ([`Speaker::open`]), or,
//! for the picker, each session's own sounds in the background when it is
//! about to start ([`Speaker::with_bank`] and [`Chime::prepare`]), letting
//! go of the previous session's. A missing device, or one that fails
//! later, turns into one short notice; nothing is ever printed.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::num::NonZero;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

use rodio::CpalError;
use rodio::cpal::ErrorKind;
use rodio::mixer::Mixer;

use super::Chime;
use super::bank::SoundBank;
use super::bed::{BED_FADE, BedVoice, Texture};
use super::decode::{Decoded, MAX_BANK_BYTES};
use super::output::{Output, Queue};
use super::pacing::{PACE_FADE, PaceControl, PaceCue, PaceVoice};
use super::speech::Synth;
use super::voice::{Level, Voice};
use crate::config::Channels;
use crate::engine::model::{Bed, Pacing};
use crate::engine::timeline::{SPEECH_PREFIX, VOICE_PREFIX};
use crate::format::SoundCatalog;

/// Notice when no output device can be opened.
pub const NO_DEVICE: &str = "no audio device: running silently";

/// How much sound the output path may still hold when it has been made:
/// a few device periods, and what the system buffers behind them.
const HELD: Duration = Duration::from_millis(5 * PERIOD.as_millis() as u64);

/// How late a chime asked for before the device opened may still start.
const STALE: Duration = Duration::from_millis(300);

/// How long before its moment a sound is handed to the speaker
/// ([`Chime::play_at`]): more than the output path holds (a few device
/// periods, 60 to 80 ms through ALSA), with room for a runner that wakes
/// late. The stream then starts it on its sample.
pub const LEAD: Duration = Duration::from_millis(250);

/// Device period: small, so a chime starts within a few tens of
/// milliseconds of its phase boundary (ALSA keeps two periods queued).
const PERIOD: Duration = Duration::from_millis(20);

#[derive(Default)]
struct Device {
    mixer: Option<Mixer>,
    /// The open stream's sounds waiting for their moment.
    queue: Option<Arc<Queue>>,
    /// Chimes asked for before the device opened, with their gain and, if
    /// handed ahead, their moment.
    early: Vec<(Instant, Decoded, f32, Option<Instant>)>,
    /// The device attempt has finished (opened or failed).
    settled: bool,
    notice: Option<String>,
    /// When the last sound started so far ends.
    quiet_at: Option<Instant>,
    /// The bed asked for, and the stop flag of the one playing.
    bed: Bed,
    bed_stop: Option<Arc<AtomicBool>>,
    /// The last pacing cue (and when it came), for a device still
    /// opening; and the controls of the two pacing voices once playing.
    pace_cue: Option<(Instant, PaceCue)>,
    pacers: Option<Pacers>,
    /// The open device has one channel: nothing can be panned.
    mono: bool,
}

/// The playing pacing voices, one of each kind.
struct Pacers {
    tone: Arc<PaceControl>,
    noise: Arc<PaceControl>,
}

impl Pacers {
    /// Start both voices on `mixer`, in stereo unless the device is
    /// `mono`.
    fn start(mixer: &Mixer, shared: &Shared, mono: bool) -> Self {
        let voice = |sound| {
            let control = Arc::new(PaceControl::default());
            let v = PaceVoice::new(
                sound,
                Arc::clone(&control),
                Arc::clone(&shared.level),
                shared.pacing,
            );
            if mono {
                mixer.add(v.mono());
            } else {
                mixer.add(v);
            }
            control
        };
        Self {
            tone: voice(Pacing::Tone),
            noise: voice(Pacing::Noise),
        }
    }

    /// Play `cue` on its own kind, and silence the other.
    fn follow(&self, cue: Option<&PaceCue>) {
        let on = |sound| cue.filter(|c| c.sound == sound).map(|c| (c.glide, c.pan));
        self.tone.set_panned(on(Pacing::Tone));
        self.noise.set_panned(on(Pacing::Noise));
    }
}

struct Shared {
    level: Arc<Level>,
    /// `cue_volume`: the chimes' own volume under `level`.
    cue: f32,
    /// `bed_volume`: the bed's.
    bed: f32,
    /// `voice_volume`: the voice clips' own volume under `level`.
    voice: f32,
    /// `pacing_volume`: the pacing sound's.
    pacing: f32,
    device: Mutex<Device>,
    /// Signalled when the device attempt has finished.
    settled: Condvar,
}

impl Shared {
    fn device(&self) -> std::sync::MutexGuard<'_, Device> {
        self.device.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn stream_error(&self, e: &CpalError) {
        let text = match e.kind() {
            // Recovered by the backend; a glitch is not worth a notice.
            ErrorKind::Xrun | ErrorKind::DeviceChanged => return,
            ErrorKind::DeviceNotAvailable => "audio device lost: running silently".to_owned(),
            // One line, whatever the backend's message looks like.
            _ => format!("audio trouble: {e}")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" "),
        };
        let mut d = self.device();
        if d.notice.is_none() {
            d.notice = Some(text);
        }
    }
}

/// The decoded sounds a speaker can play, and those on their way.
#[derive(Default)]
struct Loaded {
    /// By name.
    ready: HashMap<String, Decoded>,
    /// Being decoded in the background for the session about to start.
    loading: HashSet<String>,
    /// Plays asked for a sound still being decoded: when, which, and the
    /// moment it is to be heard if it was handed ahead.
    waiting: Vec<(Instant, String, Option<Instant>)>,
    /// Bumped by each [`Chime::prepare`] that changes the set, so an older
    /// decode still running does not install its sounds.
    generation: u64,
}

impl Loaded {
    /// Make room for a session that plays `names`: let go of the other
    /// sounds, and say which must be decoded (with this prepare's
    /// generation and the bytes left for them). `None` when nothing is to
    /// be decoded.
    fn plan(&mut self, names: &[String]) -> Option<(u64, Vec<String>, u64)> {
        let wanted: BTreeSet<&String> = names.iter().collect();
        let current: BTreeSet<&String> = self.ready.keys().chain(self.loading.iter()).collect();
        if current == wanted {
            return None;
        }
        self.generation += 1;
        self.ready.retain(|n, _| wanted.contains(n));
        self.waiting.retain(|(_, n, _)| wanted.contains(n));
        let missing: Vec<String> = wanted
            .iter()
            .filter(|n| !self.ready.contains_key(n.as_str()))
            .map(|n| (*n).clone())
            .collect();
        self.loading = missing.iter().cloned().collect();
        let used: u64 = self.ready.values().map(Decoded::bytes).sum();
        (!missing.is_empty()).then(|| {
            (
                self.generation,
                missing,
                MAX_BANK_BYTES.saturating_sub(used),
            )
        })
    }
}

fn lock(sounds: &Mutex<Loaded>) -> std::sync::MutexGuard<'_, Loaded> {
    sounds.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Plays the session's sounds through the default output device.
pub struct Speaker {
    shared: Arc<Shared>,
    sounds: Arc<Mutex<Loaded>>,
    /// Where sounds are decoded from when a session is prepared; `None`
    /// when they were all given up front.
    bank: Option<Arc<SoundBank>>,
    /// What says a summary aloud ([`Chime::say`]).
    synth: Arc<dyn Synth>,
    /// One for each summary being rendered: closed when it is queued.
    renders: Mutex<Vec<crossbeam_channel::Receiver<()>>>,
    /// Dropped with the speaker, which tells the device thread to close
    /// the stream and end.
    _close: crossbeam_channel::Sender<()>,
}

impl Speaker {
    /// Start opening the default output device in the background and
    /// return at once. `sounds` are the decoded sounds the session uses,
    /// by name; `volume` is 0.0 to 1.0, and the chimes play at
    /// `channels.cue` under it.
    /// `synth` says a session's summary aloud, if asked to.
    pub fn open(
        sounds: HashMap<String, Decoded>,
        synth: Arc<dyn Synth>,
        volume: f32,
        channels: &Channels,
    ) -> Self {
        Self::start(sounds, None, synth, volume, channels)
    }

    /// Like [`Speaker::open`], with no sound decoded yet: each session's
    /// sounds are decoded from `bank` when [`Chime::prepare`] names them.
    pub fn with_bank(bank: Arc<SoundBank>, volume: f32, channels: &Channels) -> Self {
        let synth = bank.synth();
        Self::start(HashMap::new(), Some(bank), synth, volume, channels)
    }

    fn start(
        sounds: HashMap<String, Decoded>,
        bank: Option<Arc<SoundBank>>,
        synth: Arc<dyn Synth>,
        volume: f32,
        channels: &Channels,
    ) -> Self {
        super::quiet::silence_alsa();
        let shared = Arc::new(Shared {
            level: Arc::new(Level::new(volume)),
            cue: channels.cue,
            bed: channels.bed,
            voice: channels.voice,
            pacing: channels.pacing,
            device: Mutex::new(Device::default()),
            settled: Condvar::new(),
        });
        let (close, closed) = crossbeam_channel::bounded::<()>(0);
        let worker = Arc::clone(&shared);
        let spawned = std::thread::Builder::new()
            .name("exhale-audio".into())
            .spawn(move || {
                let sink = open_sink(&worker);
                if let Some(s) = &sink {
                    prime(&s.mixer);
                }
                {
                    let mut d = worker.device();
                    d.settled = true;
                    match &sink {
                        Some(s) => {
                            let mixer = s.mixer.clone();
                            d.mono = s.channels == 1;
                            d.queue = Some(Arc::clone(&s.queue));
                            let now = crate::clock::now();
                            for (asked, sound, gain, due) in std::mem::take(&mut d.early) {
                                if now.duration_since(due.unwrap_or(asked)) < STALE {
                                    start(&mut d, &mixer, &sound, &worker, gain, due);
                                }
                            }
                            if d.bed != Bed::None {
                                let bed = d.bed;
                                start_bed(&mut d, &mixer, bed, &worker);
                            }
                            if let Some((at, mut cue)) = d.pace_cue.take() {
                                cue.glide.into += now.saturating_duration_since(at);
                                let pacers = Pacers::start(&mixer, &worker, d.mono);
                                pacers.follow(Some(&cue));
                                d.pacers = Some(pacers);
                            }
                            d.mixer = Some(mixer);
                        }
                        None => {
                            d.early.clear();
                            d.notice.get_or_insert_with(|| NO_DEVICE.to_owned());
                        }
                    }
                }
                worker.settled.notify_all();
                // Hold the stream open until the speaker is dropped.
                let _ = closed.recv();
                drop(sink);
            });
        if spawned.is_err() {
            let mut d = shared.device();
            d.settled = true;
            d.notice = Some(NO_DEVICE.to_owned());
        }
        Self {
            shared,
            sounds: Arc::new(Mutex::new(Loaded {
                ready: sounds,
                ..Loaded::default()
            })),
            bank,
            synth,
            renders: Mutex::new(Vec::new()),
            _close: close,
        }
    }
}

/// Start `sound` now (or at `due`, if handed ahead), or as soon as the
/// device is open.
fn play_sound(shared: &Shared, name: &str, sound: &Decoded, due: Option<Instant>) {
    // A voice clip plays at the voice's volume, anything else at the cues'.
    let gain = if name.starts_with(VOICE_PREFIX) || name.starts_with(SPEECH_PREFIX) {
        shared.voice
    } else {
        shared.cue
    };
    let mut d = shared.device();
    match d.mixer.clone() {
        Some(mixer) => start(&mut d, &mixer, sound, shared, gain, due),
        None if !d.settled => d
            .early
            .push((crate::clock::now(), sound.clone(), gain, due)),
        None => {}
    }
}

/// Decode `names` from `bank` into `sounds`, one by one, within `budget`
/// bytes; a play that waited for one of them starts when it is ready, if
/// it is still on time. Stops if a newer prepare came.
fn decode_in_background(
    bank: &SoundBank,
    names: Vec<String>,
    generation: u64,
    mut budget: u64,
    sounds: &Mutex<Loaded>,
    shared: &Shared,
) {
    for name in names {
        let decoded = bank
            .decode(&name)
            .and_then(Result::ok)
            .filter(|d| d.bytes() <= budget);
        let due = {
            let mut l = lock(sounds);
            if l.generation != generation {
                return;
            }
            l.loading.remove(&name);
            let now = crate::clock::now();
            let (waited, others): (Vec<_>, Vec<_>) =
                l.waiting.drain(..).partition(|(_, n, _)| *n == name);
            l.waiting = others;
            match decoded {
                Some(d) => {
                    budget -= d.bytes();
                    l.ready.insert(name.clone(), d.clone());
                    waited
                        .iter()
                        .filter(|(asked, _, due)| {
                            now.saturating_duration_since(due.unwrap_or(*asked)) < STALE
                        })
                        .map(|(_, _, due)| (d.clone(), *due))
                        .collect()
                }
                None => Vec::new(),
            }
        };
        for (d, at) in due {
            play_sound(shared, &name, &d, at);
        }
    }
}

/// Play a short silence and wait (briefly) until the device has taken it,
/// so that the output buffer is as full as it will stay: the first chime
/// then comes as soon after its moment as every later one, not earlier.
fn prime(mixer: &Mixer) {
    let done = Arc::new(AtomicBool::new(false));
    let frames = (u64::from(PRIME_RATE.get()) * 3 * PERIOD.as_millis() as u64 / 1000) as usize;
    mixer.add(Primer {
        left: frames,
        done: Arc::clone(&done),
    });
    let until = crate::clock::now() + Duration::from_millis(250);
    while !done.load(Ordering::Acquire) && crate::clock::now() < until {
        std::thread::sleep(Duration::from_millis(2));
    }
}

const PRIME_RATE: NonZero<u32> = NonZero::<u32>::new(48_000).expect("nonzero");

/// Silence that says when it has all been played.
struct Primer {
    left: usize,
    done: Arc<AtomicBool>,
}

impl Iterator for Primer {
    type Item = f32;
    fn next(&mut self) -> Option<f32> {
        if self.left == 0 {
            return None;
        }
        self.left -= 1;
        if self.left == 0 {
            // The mixer may drop a finished source without asking again.
            self.done.store(true, Ordering::Release);
        }
        Some(0.0)
    }
}

impl rodio::Source for Primer {
    fn current_span_len(&self) -> Option<usize> {
        Some(self.left)
    }
    fn channels(&self) -> NonZero<u16> {
        NonZero::<u16>::MIN
    }
    fn sample_rate(&self) -> NonZero<u32> {
        PRIME_RATE
    }
    fn total_duration(&self) -> Option<Duration> {
        None
    }
}

/// Start `sound` now, or at `due` on the stream's queue if it was handed
/// ahead.
fn start(
    d: &mut Device,
    mixer: &Mixer,
    sound: &Decoded,
    shared: &Shared,
    gain: f32,
    due: Option<Instant>,
) {
    let voice = Voice::new(sound, Arc::clone(&shared.level), gain);
    let now = crate::clock::now();
    let begins = match (due, &d.queue) {
        (Some(at), Some(queue)) => {
            // Which sound it is: its samples, shared by every play of it.
            let id = Arc::as_ptr(&sound.samples).cast::<f32>() as usize;
            queue.push(at, id, voice);
            at.max(now)
        }
        _ => {
            mixer.add(voice);
            now
        }
    };
    let ends = begins + sound.length();
    d.quiet_at = Some(d.quiet_at.map_or(ends, |q| q.max(ends)));
}

/// Fade out the bed playing, if any (the device stays busy until the fade
/// is over), and start `bed` fading in, unless it is [`Bed::None`].
fn start_bed(d: &mut Device, mixer: &Mixer, bed: Bed, shared: &Shared) {
    if let Some(stop) = d.bed_stop.take() {
        stop.store(true, Ordering::Relaxed);
        let ends = crate::clock::now() + BED_FADE;
        d.quiet_at = Some(d.quiet_at.map_or(ends, |q| q.max(ends)));
    }
    if bed == Bed::None {
        return;
    }
    let stop = Arc::new(AtomicBool::new(false));
    // Each bed its own random sequence, so that coming back to one does
    // not replay it.
    let seed = BED_SEEDS.fetch_add(1, Ordering::Relaxed);
    mixer.add(BedVoice::new(
        Texture::new(bed, seed),
        Arc::clone(&shared.level),
        shared.bed,
        Arc::clone(&stop),
    ));
    d.bed_stop = Some(stop);
}

static BED_SEEDS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

fn open_sink(shared: &Arc<Shared>) -> Option<Output> {
    use rodio::cpal::traits::{DeviceTrait as _, HostTrait as _};
    let device = rodio::cpal::default_host().default_output_device()?;
    let rate = device.default_output_config().ok()?.sample_rate();
    let period = (u64::from(rate) * PERIOD.as_millis() as u64 / 1000) as u32;
    let s = Arc::clone(shared);
    super::output::open(&device, period, move |e: CpalError| s.stream_error(&e))
}

impl Speaker {
    /// The first of `names` that is the player's: one its bank has (decoded,
    /// or on its way, for the session that plays it), or without a bank,
    /// one decoded up front.
    fn first_of<'a>(&self, names: &[&'a str]) -> Option<&'a str> {
        let has = |n: &str| match &self.bank {
            Some(bank) => bank.contains(n),
            None => lock(&self.sounds).ready.contains_key(n),
        };
        names.iter().copied().find(|n| has(n))
    }

    /// Play `name` now, or at `due` if it was handed ahead; a sound still
    /// being decoded plays when it is ready, if that is still in time.
    fn play_named(&self, name: &str, due: Option<Instant>) {
        let sound = {
            let mut l = lock(&self.sounds);
            match l.ready.get(name) {
                Some(s) => s.clone(),
                None => {
                    if l.loading.contains(name) {
                        l.waiting.push((crate::clock::now(), name.to_owned(), due));
                    }
                    return;
                }
            }
        };
        play_sound(&self.shared, name, &sound, due);
    }
}

impl Chime for Speaker {
    fn play(&self, name: &str) {
        self.play_named(name, None);
    }

    fn play_first(&self, names: &[&str]) {
        if let Some(n) = self.first_of(names) {
            self.play_named(n, None);
        }
    }

    fn lead(&self) -> Duration {
        LEAD
    }

    fn play_at(&self, names: &[&str], at: Instant) {
        if let Some(n) = self.first_of(names) {
            self.play_named(n, Some(at));
        }
    }

    fn say(&self, text: &str, at: Instant) {
        if !self.synth.available() {
            return;
        }
        let (done, rendered) = crossbeam_channel::bounded::<()>(0);
        let (synth, shared, text) = (
            Arc::clone(&self.synth),
            Arc::clone(&self.shared),
            text.to_owned(),
        );
        let spawned = std::thread::Builder::new()
            .name("exhale-say".into())
            .spawn(move || {
                let sound = synth
                    .render(&text)
                    .and_then(|wav| super::decode::decode_owned(wav).ok());
                if let Some(sound) = sound {
                    play_sound(
                        &shared,
                        &super::speech::speech_sound(&text),
                        &sound,
                        Some(at),
                    );
                }
                drop(done);
            });
        if spawned.is_ok() {
            self.renders
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(rendered);
        }
    }

    fn cancel_ahead(&self) {
        lock(&self.sounds)
            .waiting
            .retain(|(_, _, due)| due.is_none());
        let mut d = self.shared.device();
        d.early.retain(|(_, _, _, due)| due.is_none());
        if let Some(q) = &d.queue {
            q.clear();
        }
    }

    fn prepare(&self, names: &[String]) {
        let Some(bank) = self.bank.clone() else {
            return;
        };
        // Asked only when a prompt is to be spoken: finding the synthesiser
        // runs a program.
        if names.iter().any(|n| n.starts_with(SPEECH_PREFIX)) && !bank.can_speak() {
            self.shared
                .device()
                .notice
                .get_or_insert_with(|| super::speech::NO_SYNTH.to_owned());
        }
        let Some((generation, missing, budget)) = lock(&self.sounds).plan(names) else {
            return;
        };
        let sounds = Arc::clone(&self.sounds);
        let shared = Arc::clone(&self.shared);
        let spawned = std::thread::Builder::new()
            .name("exhale-decode".into())
            .spawn(move || {
                decode_in_background(&bank, missing, generation, budget, &sounds, &shared);
            });
        if spawned.is_err() {
            lock(&self.sounds).loading.clear();
        }
    }

    fn set_bed(&self, bed: Bed) {
        let mut d = self.shared.device();
        if d.bed == bed {
            return;
        }
        d.bed = bed;
        if let Some(mixer) = d.mixer.clone() {
            start_bed(&mut d, &mixer, bed, &self.shared);
        }
    }

    fn pace(&self, cue: Option<PaceCue>) {
        let mut d = self.shared.device();
        // The voice takes the cue with the next samples mixed, which are
        // heard the output's latency from now: start it that far along, so
        // that what is heard matches the ring at the moment it is heard.
        let latency = d.queue.as_ref().map_or(Duration::ZERO, |q| q.latency());
        let cue = cue.map(|mut c| {
            c.glide.into += latency;
            c
        });
        if let Some(p) = &d.pacers {
            p.follow(cue.as_ref());
            if cue.is_none() {
                // Let the fade be heard before the program exits.
                let ends = crate::clock::now() + PACE_FADE;
                d.quiet_at = Some(d.quiet_at.map_or(ends, |q| q.max(ends)));
            }
            return;
        }
        match (d.mixer.clone(), cue) {
            (Some(mixer), Some(cue)) => {
                let pacers = Pacers::start(&mixer, &self.shared, d.mono);
                pacers.follow(Some(&cue));
                d.pacers = Some(pacers);
            }
            (None, Some(cue)) if !d.settled => {
                d.pace_cue = Some((crate::clock::now(), cue));
            }
            (None, None) => d.pace_cue = None,
            _ => {}
        }
    }

    fn set_muted(&self, muted: bool) {
        self.shared.level.set_muted(muted);
    }

    fn is_muted(&self) -> bool {
        self.shared.level.muted()
    }

    fn set_volume(&self, volume: f32) {
        self.shared.level.set_volume(volume);
    }

    fn volume(&self) -> f32 {
        self.shared.level.volume()
    }

    fn notice(&self) -> Option<String> {
        self.shared.device().notice.clone()
    }

    fn ready(&self, max: Duration) {
        let d = self.shared.device();
        let _ = self
            .shared
            .settled
            .wait_timeout_while(d, max, |d| !d.settled)
            .unwrap_or_else(PoisonError::into_inner);
    }

    fn wait_quiet(&self, max: Duration) {
        // A summary still being rendered is to be heard too.
        let started = crate::clock::now();
        let renders =
            std::mem::take(&mut *self.renders.lock().unwrap_or_else(PoisonError::into_inner));
        for r in renders {
            let left = max.saturating_sub(started.elapsed());
            let _ = r.recv_timeout(left);
        }
        let max = max.saturating_sub(started.elapsed());
        let until = {
            let d = self.shared.device();
            if d.mixer.is_none() || self.shared.level.gain() == 0.0 {
                return;
            }
            d.quiet_at
        };
        if let Some(until) = until {
            let now = crate::clock::now();
            // What was made last is still in the device's buffer: wait
            // for it to be heard too, or a fade is cut off half way.
            let until = until + HELD;
            std::thread::sleep(until.saturating_duration_since(now).min(max));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    /// A device that never opens: plays asked for wait in `early`.
    fn opening() -> Shared {
        Shared {
            level: Arc::new(Level::new(1.0)),
            cue: 1.0,
            bed: 1.0,
            voice: 1.0,
            pacing: 1.0,
            device: Mutex::new(Device::default()),
            settled: Condvar::new(),
        }
    }

    fn ready(sounds: &Mutex<Loaded>) -> Vec<String> {
        let mut v: Vec<String> = lock(sounds).ready.keys().cloned().collect();
        v.sort();
        v
    }

    #[test]
    fn a_prepared_session_decodes_its_own_sounds_only() {
        let bank = SoundBank::bundled();
        let sounds = Mutex::new(Loaded::default());
        let shared = opening();
        let (generation, missing, budget) = lock(&sounds)
            .plan(&names(&["gong", "bell"]))
            .expect("something to decode");
        assert_eq!(missing, names(&["bell", "gong"]));
        assert_eq!(budget, MAX_BANK_BYTES);
        decode_in_background(&bank, missing, generation, budget, &sounds, &shared);
        assert_eq!(ready(&sounds), names(&["bell", "gong"]));
        assert!(lock(&sounds).loading.is_empty());
        // The same session again: nothing to do.
        assert!(lock(&sounds).plan(&names(&["bell", "gong"])).is_none());
        // Another session: the sound it shares is kept, the other let go.
        let (generation, missing, budget) = lock(&sounds)
            .plan(&names(&["bell", "wood"]))
            .expect("wood to decode");
        assert_eq!(missing, names(&["wood"]));
        assert_eq!(ready(&sounds), names(&["bell"]));
        let bell = lock(&sounds).ready["bell"].bytes();
        assert_eq!(budget, MAX_BANK_BYTES - bell);
        decode_in_background(&bank, missing, generation, budget, &sounds, &shared);
        assert_eq!(ready(&sounds), names(&["bell", "wood"]));
    }

    #[test]
    fn a_decode_overtaken_by_a_newer_session_installs_nothing() {
        let bank = SoundBank::bundled();
        let sounds = Mutex::new(Loaded::default());
        let shared = opening();
        let (old, missing, budget) = lock(&sounds).plan(&names(&["gong"])).expect("plan");
        let _ = lock(&sounds).plan(&names(&["bell"])).expect("newer plan");
        decode_in_background(&bank, missing, old, budget, &sounds, &shared);
        assert!(ready(&sounds).is_empty());
    }

    #[test]
    fn the_decoded_sounds_stay_within_the_budget() {
        let bank = SoundBank::bundled();
        let sounds = Mutex::new(Loaded::default());
        let shared = opening();
        let bell = bank
            .decode("bell")
            .and_then(Result::ok)
            .expect("bell")
            .bytes();
        let (generation, missing, _) = lock(&sounds).plan(&names(&["bell", "gong"])).expect("plan");
        decode_in_background(&bank, missing, generation, bell, &sounds, &shared);
        assert_eq!(ready(&sounds), names(&["bell"]), "gong would go over");
    }

    #[test]
    fn a_play_asked_for_while_its_sound_decodes_starts_once_it_is_ready() {
        let bank = SoundBank::bundled();
        let sounds = Mutex::new(Loaded::default());
        let shared = opening();
        let (generation, missing, budget) = lock(&sounds).plan(&names(&["bell"])).expect("plan");
        lock(&sounds)
            .waiting
            .push((Instant::now(), "bell".into(), None));
        decode_in_background(&bank, missing, generation, budget, &sounds, &shared);
        assert!(lock(&sounds).waiting.is_empty());
        assert_eq!(shared.device().early.len(), 1, "handed to the device");
    }
}
