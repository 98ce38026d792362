//! A [`Chime`] built on a background thread, so the first frame never
//! waits for sounds to be decoded or a device to be opened. Until the real
//! player is there, sounds asked for are kept (briefly) and played when it
//! arrives; mute and volume are remembered and handed on.

use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use super::Chime;
use super::pacing::PaceCue;
use crate::engine::model::Bed;

/// A sound asked for before the player was ready is still played if it is
/// at most this late; older ones would be out of step with the screen.
const STILL_ON_TIME: Duration = Duration::from_millis(300);

/// The longest a player built [`Deferred::after_first_frame`] waits for
/// the first frame: if drawing it fails or takes this long, the sounds are
/// prepared anyway.
pub const FIRST_FRAME_WAIT: Duration = Duration::from_millis(250);

/// Whether the full-screen app has drawn its first frame (set once).
static FIRST_FRAME: (Mutex<bool>, Condvar) = (Mutex::new(false), Condvar::new());

/// Say that the first frame is on the screen: players waiting in
/// [`Deferred::after_first_frame`] start being built.
pub fn first_frame_shown() {
    let (lock, shown) = &FIRST_FRAME;
    if let Ok(mut s) = lock.lock() {
        if !*s {
            *s = true;
            shown.notify_all();
        }
    }
}

/// Wait until [`first_frame_shown`], at most `max`.
fn wait_for_first_frame(max: Duration) {
    let (lock, shown) = &FIRST_FRAME;
    if let Ok(s) = lock.lock() {
        let _ = shown.wait_timeout_while(s, max, |shown| !*shown);
    }
}

struct Slot {
    chime: Option<Box<dyn Chime>>,
    /// Plays asked for early: when, the names in order of preference, and
    /// the moment it is to be heard if it was handed ahead.
    pending: Vec<(Instant, Vec<String>, Option<Instant>)>,
    /// The sounds the last [`Chime::prepare`] before the player came asked
    /// for.
    prepared: Option<Vec<String>>,
    muted: bool,
    volume: f32,
    /// The bed asked for before the player came.
    bed: Option<Bed>,
    /// The pacing sound asked for before the player came, and when.
    pace: Option<(Instant, Option<PaceCue>)>,
}

/// The stand-in handed to the app at once.
pub struct Deferred {
    slot: Arc<(Mutex<Slot>, Condvar)>,
}

impl Deferred {
    /// Build the real player with `make` on a new thread.
    pub fn spawn(volume: f32, make: impl FnOnce() -> Box<dyn Chime> + Send + 'static) -> Self {
        let slot = Arc::new((
            Mutex::new(Slot {
                chime: None,
                pending: Vec::new(),
                prepared: None,
                muted: false,
                volume,
                bed: None,
                pace: None,
            }),
            Condvar::new(),
        ));
        let shared = Arc::clone(&slot);
        std::thread::spawn(move || {
            let chime = make();
            let (lock, ready) = &*shared;
            let Ok(mut s) = lock.lock() else { return };
            chime.set_volume(s.volume);
            chime.set_muted(s.muted);
            // Before the early plays, so that they find their sounds on
            // the way.
            if let Some(names) = s.prepared.take() {
                chime.prepare(&names);
            }
            if let Some(bed) = s.bed.take() {
                chime.set_bed(bed);
            }
            if let Some((at, cue)) = s.pace.take() {
                // Anchored when it was asked for: moved on by the wait.
                let waited = crate::clock::now().saturating_duration_since(at);
                chime.pace(cue.map(|mut c| {
                    c.glide.into += waited;
                    c
                }));
            }
            let now = crate::clock::now();
            for (asked, names, due) in s.pending.drain(..) {
                let names: Vec<&str> = names.iter().map(String::as_str).collect();
                match due {
                    Some(due) if now.saturating_duration_since(due) <= STILL_ON_TIME => {
                        chime.play_at(&names, due);
                    }
                    None if now.saturating_duration_since(asked) <= STILL_ON_TIME => {
                        chime.play_first(&names);
                    }
                    _ => {}
                }
            }
            s.chime = Some(chime);
            ready.notify_all();
        });
        Self { slot }
    }

    /// [`Deferred::spawn`], but `make` runs only once the first frame is
    /// drawn (or [`FIRST_FRAME_WAIT`] has passed): on a machine with few
    /// cores, opening the sound device and reading the sound library
    /// beside the first frame made the frame late by some milliseconds
    /// (docs/performance.md). The sessions' first sounds come seconds
    /// later, after the settle-in.
    pub fn after_first_frame(
        volume: f32,
        make: impl FnOnce() -> Box<dyn Chime> + Send + 'static,
    ) -> Self {
        Self::spawn(volume, move || {
            wait_for_first_frame(FIRST_FRAME_WAIT);
            make()
        })
    }

    fn with<R>(&self, f: impl FnOnce(&mut Slot) -> R) -> Option<R> {
        self.slot.0.lock().ok().map(|mut s| f(&mut s))
    }
}

impl Chime for Deferred {
    fn play(&self, name: &str) {
        self.with(|s| match &s.chime {
            Some(c) => c.play(name),
            None => s
                .pending
                .push((crate::clock::now(), vec![name.to_owned()], None)),
        });
    }

    fn lead(&self) -> Duration {
        // The real player is a speaker (a full-screen app plays sound).
        super::speaker::LEAD
    }

    fn play_at(&self, names: &[&str], at: Instant) {
        self.with(|s| match &s.chime {
            Some(c) => c.play_at(names, at),
            None => s.pending.push((
                crate::clock::now(),
                names.iter().map(|n| (*n).to_owned()).collect(),
                Some(at),
            )),
        });
    }

    fn say(&self, text: &str, at: Instant) {
        // At a session's end the player has long arrived; if it has not,
        // it could not have played the session either.
        self.with(|s| {
            if let Some(c) = &s.chime {
                c.say(text, at);
            }
        });
    }

    fn cancel_ahead(&self) {
        self.with(|s| match &s.chime {
            Some(c) => c.cancel_ahead(),
            None => s.pending.retain(|(_, _, due)| due.is_none()),
        });
    }

    fn play_first(&self, names: &[&str]) {
        self.with(|s| match &s.chime {
            Some(c) => c.play_first(names),
            None => s.pending.push((
                crate::clock::now(),
                names.iter().map(|n| (*n).to_owned()).collect(),
                None,
            )),
        });
    }

    fn set_muted(&self, muted: bool) {
        self.with(|s| {
            s.muted = muted;
            if let Some(c) = &s.chime {
                c.set_muted(muted);
            }
        });
    }

    fn is_muted(&self) -> bool {
        self.with(|s| s.chime.as_ref().map_or(s.muted, |c| c.is_muted()))
            .unwrap_or(true)
    }

    fn set_volume(&self, volume: f32) {
        self.with(|s| {
            s.volume = volume.clamp(0.0, 1.0);
            if let Some(c) = &s.chime {
                c.set_volume(volume);
            }
        });
    }

    fn volume(&self) -> f32 {
        self.with(|s| s.chime.as_ref().map_or(s.volume, |c| c.volume()))
            .unwrap_or(0.0)
    }

    fn prepare(&self, names: &[String]) {
        self.with(|s| match &s.chime {
            Some(c) => c.prepare(names),
            None => s.prepared = Some(names.to_vec()),
        });
    }

    fn set_bed(&self, bed: Bed) {
        self.with(|s| match &s.chime {
            Some(c) => c.set_bed(bed),
            None => s.bed = Some(bed),
        });
    }

    fn pace(&self, cue: Option<PaceCue>) {
        self.with(|s| match &s.chime {
            Some(c) => c.pace(cue),
            None => s.pace = Some((crate::clock::now(), cue)),
        });
    }

    fn notice(&self) -> Option<String> {
        self.with(|s| s.chime.as_ref().and_then(|c| c.notice()))
            .flatten()
    }

    fn ready(&self, max: Duration) {
        let (lock, ready) = &*self.slot;
        let Ok(guard) = lock.lock() else { return };
        let Ok((guard, _)) = ready.wait_timeout_while(guard, max, |s| s.chime.is_none()) else {
            return;
        };
        if let Some(c) = &guard.chime {
            c.ready(max);
        }
    }

    fn wait_quiet(&self, max: Duration) {
        // Only the real player knows what is still ringing; if it never
        // arrived, nothing is.
        let started = crate::clock::now();
        self.ready(max);
        self.with(|s| {
            if let Some(c) = &s.chime {
                c.wait_quiet(max.saturating_sub(started.elapsed()));
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audio::Recorder;

    #[test]
    fn a_player_built_after_the_first_frame_still_plays_what_was_asked_before() {
        let rec = Recorder::default();
        let played = Arc::clone(&rec.played);
        let d = Deferred::after_first_frame(0.5, move || Box::new(rec));
        d.play("bowl");
        first_frame_shown();
        d.ready(Duration::from_secs(5));
        assert_eq!(*played.lock().expect("lock"), vec!["bowl"]);
    }

    #[test]
    fn sounds_asked_for_early_are_played_once_the_player_arrives() {
        let rec = Recorder::default();
        let played = Arc::clone(&rec.played);
        let (go_tx, go_rx) = std::sync::mpsc::channel::<()>();
        let d = Deferred::spawn(0.5, move || {
            // The player arrives only when the test says so.
            let _ = go_rx.recv();
            Box::new(rec)
        });
        d.play("bowl");
        d.set_volume(0.3);
        assert!(
            played.lock().expect("lock").is_empty(),
            "nothing plays before the player exists"
        );
        assert!((d.volume() - 0.3).abs() < 1e-6, "the volume is remembered");
        go_tx.send(()).expect("send");
        d.ready(Duration::from_secs(5));
        assert_eq!(*played.lock().expect("lock"), vec!["bowl"]);
        assert!((d.volume() - 0.3).abs() < 1e-6, "and handed on");
        d.play("gong");
        assert_eq!(*played.lock().expect("lock"), vec!["bowl", "gong"]);
    }

    #[test]
    fn a_bed_asked_for_early_starts_when_the_player_arrives() {
        let rec = Recorder::default();
        let beds = Arc::clone(&rec.beds);
        let (go_tx, go_rx) = std::sync::mpsc::channel::<()>();
        let d = Deferred::spawn(0.5, move || {
            let _ = go_rx.recv();
            Box::new(rec)
        });
        d.set_bed(Bed::Pink);
        d.set_bed(Bed::Rain);
        go_tx.send(()).expect("send");
        d.ready(Duration::from_secs(5));
        assert_eq!(*beds.lock().expect("lock"), vec![Bed::Rain], "the last one");
        d.set_bed(Bed::None);
        assert_eq!(*beds.lock().expect("lock"), vec![Bed::Rain, Bed::None]);
    }

    #[test]
    fn a_pacing_cue_given_early_is_moved_on_by_the_wait() {
        use crate::engine::breath::Glide;
        use crate::engine::model::{Pacing, Pan};
        let rec = Recorder::default();
        let paced = Arc::clone(&rec.paced);
        let (go_tx, go_rx) = std::sync::mpsc::channel::<()>();
        let d = Deferred::spawn(0.5, move || {
            let _ = go_rx.recv();
            Box::new(rec)
        });
        let glide = Glide {
            from: 0.0,
            to: 1.0,
            length: Duration::from_secs(4),
            into: Duration::ZERO,
        };
        d.pace(Some(PaceCue {
            sound: Pacing::Tone,
            glide,
            pan: Pan::Center,
        }));
        let asked = crate::clock::now();
        go_tx.send(()).expect("send");
        d.ready(Duration::from_secs(5));
        let waited = crate::clock::now().saturating_duration_since(asked);
        let got = paced.lock().expect("lock")[0].expect("a cue");
        // Anchored where the segment stands when the player arrives.
        assert!(got.glide.into > Duration::ZERO, "moved on");
        assert!(
            got.glide.into <= waited,
            "{:?} > {waited:?}",
            got.glide.into
        );
        assert_eq!(got.glide.length, glide.length);
    }

    #[test]
    fn mute_set_early_applies_to_the_player() {
        let rec = Recorder::default();
        let played = Arc::clone(&rec.played);
        let (go_tx, go_rx) = std::sync::mpsc::channel::<()>();
        let d = Deferred::spawn(0.5, move || {
            let _ = go_rx.recv();
            Box::new(rec)
        });
        d.set_muted(true);
        go_tx.send(()).expect("send");
        d.ready(Duration::from_secs(5));
        d.play("bell");
        assert!(d.is_muted());
        assert!(
            played.lock().expect("lock").is_empty(),
            "muted before it arrived, muted after"
        );
    }
}
