//! Sound: the [`Chime`] trait the runners play cues through, and its
//! implementations. The engine only names sounds; this module turns names
//! into sound.

use std::sync::{Arc, Mutex};

/// Something that can play named sounds. Implementations must never block
/// the caller and never print.
pub trait Chime: Send {
    /// Play the sound called `name` (e.g. `"bell"`). Unknown names are
    /// ignored.
    fn play(&self, name: &str);
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
    muted: Arc<Mutex<bool>>,
    vol: Arc<Mutex<f32>>,
}

impl Chime for Recorder {
    fn play(&self, name: &str) {
        if !self.is_muted() {
            if let Ok(mut p) = self.played.lock() {
                p.push(name.to_owned());
            }
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
}
