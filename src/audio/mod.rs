//! Sound: the [`Chime`] trait the runners play cues through, and its
//! implementations. The engine only names sounds; this module turns names
//! into sound.
//!
//! - [`bed`]: the sound bed (noise, rain, ocean), made while it plays;
//! - [`bank`]: the sounds a session may name (bundled and the user's own),
//!   probed when a session names them, decoded only for a session that runs;
//! - [`pacing`]: the pacing sound that follows the whole breath;
//! - [`decode`]: decoding within stated bounds (rate, channels, length,
//!   memory);
//! - [`speaker`]: the real output through rodio, opened in the background,
//!   on a stream (`output`) that starts each sound handed ahead on its sample;
//! - [`synth`]: how the bundled sounds are made (`examples/gen_sounds.rs`).

pub mod bank;
pub mod bed;
pub mod decode;
pub mod deferred;
mod output;
pub mod pacing;
mod quiet;
pub mod speaker;
pub mod speech;
pub mod synth;
mod voice;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub use bank::SoundBank;
pub use deferred::Deferred;
pub use speaker::Speaker;

use crate::config::Channels;
use crate::engine::model::Bed;
use crate::engine::{EventKind, Player, Timeline};
use pacing::PaceCue;

/// Something that can play named sounds. Implementations must never block
/// the caller and never print.
pub trait Chime: Send {
    /// Play the sound called `name` (e.g. `"bell"`). Unknown names are
    /// ignored.
    fn play(&self, name: &str);
    /// Play the first of `names` this player has (a voice clip, then the
    /// chime it stands in for), or nothing if it has none of them.
    fn play_first(&self, names: &[&str]) {
        if let Some(n) = names.first() {
            self.play(n);
        }
    }
    /// How long before its moment this player wants each sound handed to
    /// it ([`Chime::play_at`]): its output's latency, and some. Zero (the
    /// default) for a player that plays nothing or only records.
    fn lead(&self) -> Duration {
        Duration::ZERO
    }
    /// Play the first of `names` this player has so that it is heard at
    /// `at`, on its sample: an event handed ahead by [`hand_out`]. A moment
    /// already past plays as soon as it can. The default plays it now.
    fn play_at(&self, names: &[&str], _at: Instant) {
        match names {
            [] => {}
            [one] => self.play(one),
            more => self.play_first(more),
        }
    }
    /// Forget what [`Chime::play_at`] was handed that has not begun (the
    /// session paused, skipped, changed pace or stopped).
    fn cancel_ahead(&self) {}
    /// Say `text` aloud at `at` (the summary of a session), rendering it
    /// in the background meanwhile; nothing if nothing can speak. Never
    /// blocks; [`Chime::wait_quiet`] waits for it too.
    fn say(&self, _text: &str, _at: Instant) {}
    /// Mute or unmute.
    fn set_muted(&self, muted: bool);
    /// Whether sound is muted.
    fn is_muted(&self) -> bool;
    /// Set the volume, 0.0 to 1.0.
    fn set_volume(&self, volume: f32);
    /// The volume, 0.0 to 1.0.
    fn volume(&self) -> f32;
    /// A short notice for the status line ("no audio device: running
    /// silently"), if any.
    fn notice(&self) -> Option<String> {
        None
    }
    /// Wait up to `max` for the sound output to be ready, so the first
    /// chime is on time. Plain mode calls it before starting the clock;
    /// a full-screen UI has no need to (its first screen is not timed).
    fn ready(&self, _max: Duration) {}
    /// Block until the sounds already started have rung out, or `max` has
    /// passed, so the closing gong is not cut off when the program exits.
    /// Returns at once when nothing can be heard.
    fn wait_quiet(&self, _max: Duration) {}
    /// The session about to start plays these sounds (and no others): a
    /// player that decodes lazily starts decoding them now, in the
    /// background, and lets go of the sounds of an earlier session. Never
    /// blocks.
    fn prepare(&self, _names: &[String]) {}
    /// Play `bed` under everything from now on, fading in over
    /// [`bed::BED_FADE`] while the bed that played before fades out;
    /// [`Bed::None`] fades out whatever plays. The runners call it when a
    /// session starts (with its bed) and ends (with `None`). Never blocks.
    fn set_bed(&self, _bed: Bed) {}
    /// The pacing sound from now on: `Some` plays along the cue's glide
    /// (anchored at this moment), `None` fades it out (a pause, an
    /// unpaced moment, the end). [`pacing::Pacer`] calls it. Never blocks.
    fn pace(&self, _cue: Option<PaceCue>) {}
}

/// Steps from silence to full volume: `+` and `-` move by one, on every
/// front end, and the volume always lands on a whole step (10%, 20%...).
const VOLUME_STEPS: f32 = 10.0;

/// How much one press of `+` or `-` changes the volume.
pub const VOLUME_STEP: f32 = 1.0 / VOLUME_STEPS;

/// The volume one step louder (or softer) than `volume`, rounded to a
/// whole step and kept within 0 to 1.
pub fn step_volume(volume: f32, louder: bool) -> f32 {
    let step = if louder { VOLUME_STEP } else { -VOLUME_STEP };
    (((volume + step) * VOLUME_STEPS).round() / VOLUME_STEPS).clamp(0.0, 1.0)
}

/// The sound player for a front end that may run any session (the plain
/// resonance finder): finding the sounds in `sounds_dir` and opening the
/// device happen on their own thread, and each session's sounds are
/// decoded on another when it is about to start, so nothing waits.
pub fn for_any_session(
    sounds_dir: std::path::PathBuf,
    volume: f32,
    channels: Channels,
) -> Box<dyn Chime> {
    Box::new(Deferred::spawn(
        volume,
        any_session(sounds_dir, volume, channels),
    ))
}

/// [`for_any_session`] for the full-screen app: the player is built only
/// once the first frame is on the screen ([`Deferred::after_first_frame`]).
pub fn for_the_screen(
    sounds_dir: std::path::PathBuf,
    volume: f32,
    channels: Channels,
) -> Box<dyn Chime> {
    Box::new(Deferred::after_first_frame(
        volume,
        any_session(sounds_dir, volume, channels),
    ))
}

/// How both build their real player: the sounds of `sounds_dir`, decoded
/// as each session is prepared.
fn any_session(
    sounds_dir: std::path::PathBuf,
    volume: f32,
    channels: Channels,
) -> impl FnOnce() -> Box<dyn Chime> + Send + 'static {
    move || {
        chime_lazy(
            Arc::new(SoundBank::load(&sounds_dir)),
            true,
            volume,
            &channels,
        )
    }
}

/// Have `event` heard at `at` as it sounds in `tl`: its voice clip if it
/// is spoken and the player has the clip, otherwise its chime.
pub fn sound_event(chime: &dyn Chime, tl: &Timeline, event: &EventKind, at: Instant) {
    let voice = event.voice(tl);
    let names: Vec<&str> = voice
        .as_deref()
        .into_iter()
        .chain(event.sound(tl))
        .collect();
    if !names.is_empty() {
        chime.play_at(&names, at);
    }
}

/// Hand `chime` the sounds of `player`'s events that are due within its
/// lead of `now`, each with its moment, after forgetting what a pause, a
/// skip, a change of pace or a stop has revoked. Both front ends sound
/// every event through this, after each poll.
pub fn hand_out(chime: &dyn Chime, player: &mut Player, now: Instant) {
    let ahead = player.sounds_ahead(now);
    if ahead.revoked {
        chime.cancel_ahead();
    }
    let tl = player.schedule().timeline();
    for (at, e) in &ahead.events {
        sound_event(chime, tl, &e.kind, *at);
    }
}

/// Every sound name `timeline` can play, each once: voice clips and the
/// chimes they stand in for.
pub fn timeline_sounds(tl: &Timeline) -> Vec<String> {
    let counts = tl.count_voices.iter().flatten().flat_map(|v| {
        (2..=10).map(move |n| crate::engine::timeline::voice_sound(v, &n.to_string()))
    });
    let speech = tl
        .prompts
        .iter()
        .zip(&tl.spoken_prompts)
        .filter(|(_, spoken)| **spoken)
        .flat_map(|(prompts, _)| prompts.iter().map(|(_, text)| speech::speech_sound(text)));
    let mut names: Vec<String> = tl
        .segments
        .iter()
        .flat_map(|s| s.sound.iter().chain(&s.voice).cloned())
        .chain(tl.bell_sounds.iter().flatten().cloned())
        .chain(tl.prompt_sounds.iter().flatten().cloned())
        .chain(tl.start_sound.clone())
        .chain(tl.end_sound.clone())
        .chain(tl.start_voice.clone())
        .chain(tl.end_voice.clone())
        .chain(counts)
        .chain(speech)
        .collect();
    names.sort();
    names.dedup();
    names
}

/// The chime for a session: real sound through the default device when
/// `enabled`, at `volume` (0.0 to 1.0), otherwise [`Silent`]. The sounds
/// the timeline uses, and only those, are decoded here, before the session
/// starts; the device opens in the background.
///
/// `enabled` is `false` for `--no-sound` (and the config's
/// `[sound] enabled = false`); `volume` comes from the config's
/// `[sound] volume`, and each channel's own volume under it from
/// `channels` (`cue_volume` and the others).
pub fn chime_for(
    bank: &SoundBank,
    tl: &Timeline,
    enabled: bool,
    volume: f32,
    channels: &Channels,
) -> Box<dyn Chime> {
    if !enabled {
        return Box::new(Silent);
    }
    Box::new(Speaker::open(
        bank.decode_all(&timeline_sounds(tl)),
        bank.synth(),
        volume,
        channels,
    ))
}

/// A player for whichever session the user picks: nothing is decoded up
/// front; each session's own sounds are decoded in the background when it
/// is about to start ([`Chime::prepare`]), and an earlier session's are let
/// go.
pub fn chime_lazy(
    bank: Arc<SoundBank>,
    enabled: bool,
    volume: f32,
    channels: &Channels,
) -> Box<dyn Chime> {
    if !enabled {
        return Box::new(Silent);
    }
    Box::new(Speaker::with_bank(bank, volume, channels))
}

/// Plays nothing (`--no-sound`, tests).
#[derive(Debug, Default)]
pub struct Silent;

impl Chime for Silent {
    fn play(&self, _name: &str) {}
    fn set_muted(&self, _muted: bool) {}
    fn is_muted(&self) -> bool {
        true
    }
    fn set_volume(&self, _volume: f32) {}
    fn volume(&self) -> f32 {
        0.0
    }
}

/// Records what would have been played, for tests.
#[derive(Debug, Clone, Default)]
pub struct Recorder {
    /// Names played, in order.
    pub played: Arc<Mutex<Vec<String>>>,
    /// The sounds each [`Chime::prepare`] asked for, in order.
    pub prepared: Arc<Mutex<Vec<Vec<String>>>>,
    /// Each [`Chime::set_bed`], in order.
    pub beds: Arc<Mutex<Vec<Bed>>>,
    /// Each [`Chime::pace`], in order.
    pub paced: Arc<Mutex<Vec<Option<PaceCue>>>>,
    /// Each [`Chime::play_at`]: the name played and its moment.
    pub timed: Arc<Mutex<Vec<(String, Instant)>>>,
    /// How many times [`Chime::cancel_ahead`] was called.
    pub cancels: Arc<Mutex<usize>>,
    /// Each [`Chime::say`]: the text and its moment.
    pub said: Arc<Mutex<Vec<(String, Instant)>>>,
    /// The lead it asks for (zero unless a test sets it).
    pub lead: Duration,
    muted: Arc<Mutex<bool>>,
    vol: Arc<Mutex<f32>>,
}

impl Recorder {
    /// A recorder that asks for sounds `lead` ahead, like a speaker.
    pub fn with_lead(lead: Duration) -> Self {
        Self {
            lead,
            ..Self::default()
        }
    }
}

impl Chime for Recorder {
    fn play(&self, name: &str) {
        if !self.is_muted() {
            if let Ok(mut p) = self.played.lock() {
                p.push(name.to_owned());
            }
        }
    }
    fn lead(&self) -> Duration {
        self.lead
    }
    fn play_at(&self, names: &[&str], at: Instant) {
        if let (Some(first), false) = (names.first(), self.is_muted()) {
            self.play(first);
            if let Ok(mut t) = self.timed.lock() {
                t.push(((*first).to_owned(), at));
            }
        }
    }
    fn cancel_ahead(&self) {
        if let Ok(mut c) = self.cancels.lock() {
            *c += 1;
        }
    }
    fn say(&self, text: &str, at: Instant) {
        if let Ok(mut s) = self.said.lock() {
            s.push((text.to_owned(), at));
        }
    }
    fn set_muted(&self, muted: bool) {
        if let Ok(mut m) = self.muted.lock() {
            *m = muted;
        }
    }
    fn is_muted(&self) -> bool {
        self.muted.lock().is_ok_and(|m| *m)
    }
    fn set_volume(&self, volume: f32) {
        if let Ok(mut v) = self.vol.lock() {
            *v = volume.clamp(0.0, 1.0);
        }
    }
    fn volume(&self) -> f32 {
        self.vol.lock().map_or(0.0, |v| *v)
    }
    fn prepare(&self, names: &[String]) {
        if let Ok(mut p) = self.prepared.lock() {
            p.push(names.to_vec());
        }
    }
    fn set_bed(&self, bed: Bed) {
        if let Ok(mut b) = self.beds.lock() {
            b.push(bed);
        }
    }
    fn pace(&self, cue: Option<PaceCue>) {
        if let Ok(mut p) = self.paced.lock() {
            p.push(cue);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_volume_moves_by_whole_steps_within_range() {
        assert!((step_volume(0.7, true) - 0.8).abs() < 1e-6);
        assert!((step_volume(0.7, false) - 0.6).abs() < 1e-6);
        // Off a step (a config's 0.75) it lands back on one.
        assert!((step_volume(0.75, true) - 0.9).abs() < 1e-6);
        assert!((step_volume(1.0, true) - 1.0).abs() < 1e-6);
        assert!(step_volume(0.05, false).abs() < 1e-6);
    }
}
