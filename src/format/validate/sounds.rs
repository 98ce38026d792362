//! Sound names: each must be one the catalog knows (or "none"), and the
//! sounds a session names may not take more memory decoded than a
//! session may use.

use toml::Spanned;

use super::super::diagnostic::did_you_mean;
use super::super::raw::RawSounds;
use super::{Validator, span_of};
use crate::engine::model::{Bed, Pacing, Pan, Sounds};

/// What `pacing` may be, for the help of an unknown one.
pub fn pacing_help(name: &str) -> String {
    let names = Pacing::names();
    match did_you_mean(name, &names) {
        Some(m) => format!("did you mean `{m}`? (\"none\" means no pacing sound)"),
        None => format!("pacing is one of {}", names.join(", ")),
    }
}

/// What a phase's `pan` may be, for the help of an unknown one.
pub fn pan_help(name: &str) -> String {
    let names = Pan::names();
    match did_you_mean(name, &names) {
        Some(m) => format!("did you mean `{m}`? (\"center\" means both ears)"),
        None => format!("pan is one of {}", names.join(", ")),
    }
}

/// What a `bed` may be, for the help of an unknown one.
pub fn bed_help(name: &str) -> String {
    let names = Bed::names();
    match did_you_mean(name, &names) {
        Some(m) => format!("did you mean `{m}`? (\"none\" means no bed)"),
        None => format!("the beds are {}", names.join(", ")),
    }
}

impl Validator<'_> {
    pub(super) fn sound(&mut self, s: &Spanned<String>) -> Option<String> {
        let name = s.get_ref().trim();
        if let Some(why) = self.sounds.unusable(name) {
            self.error(why.message, span_of(s), &why.help);
            return None;
        }
        if name == "none" {
            return Some(name.to_owned());
        }
        if self.sounds.contains(name) {
            self.count_sound(name, s);
            return Some(name.to_owned());
        }
        let names = self.sounds.names();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let help = match did_you_mean(name, &refs) {
            Some(m) => format!("did you mean `{m}`? (\"none\" means silence)"),
            None => format!("known sounds: {}, or \"none\" for silence", refs.join(", ")),
        };
        self.error(format!("unknown sound `{name}`"), span_of(s), &help);
        None
    }

    /// The session's `bed`: one of the synthesised beds, or "none".
    pub(super) fn bed(&mut self, s: &Spanned<String>) -> Option<Bed> {
        // Not trimmed: the schema's list of names takes them exactly.
        let name = s.get_ref().as_str();
        let bed = Bed::from_name(name);
        if bed.is_none() {
            self.error(format!("unknown bed `{name}`"), span_of(s), &bed_help(name));
        }
        bed
    }

    /// A `pacing` key: tone, noise or none.
    pub(super) fn pacing(&mut self, s: &Spanned<String>) -> Option<Pacing> {
        let name = s.get_ref().as_str();
        let pacing = Pacing::from_name(name);
        if pacing.is_none() {
            self.error(
                format!("unknown pacing `{name}`"),
                span_of(s),
                &pacing_help(name),
            );
        }
        pacing
    }

    /// A phase's `pan` key: left, right or center.
    pub(super) fn pan(&mut self, s: &Spanned<String>) -> Option<Pan> {
        let name = s.get_ref().as_str();
        let pan = Pan::from_name(name);
        if pan.is_none() {
            self.error(format!("unknown pan `{name}`"), span_of(s), &pan_help(name));
        }
        pan
    }

    /// Add `name` to the sounds this session keeps decoded, and say so
    /// where they first take more memory together than a session may.
    pub(super) fn count_sound(&mut self, name: &str, at: &Spanned<String>) {
        if self.sound_names.iter().any(|n| n == name) {
            return;
        }
        self.sound_names.push(name.to_owned());
        let (Some(bytes), Some(cap)) = (self.sounds.decoded_bytes(name), self.sounds.bytes_cap())
        else {
            return;
        };
        let before = self.sound_bytes;
        self.sound_bytes += bytes;
        if before <= cap && self.sound_bytes > cap {
            const MIB: u64 = 1024 * 1024;
            self.error(
                format!(
                    "with sound `{name}`, the sounds this session uses take {} MiB decoded, more than the {} MiB a session may use",
                    self.sound_bytes.div_ceil(MIB),
                    cap / MIB
                ),
                span_of(at),
                "use fewer different sounds, or shorter ones, or save them as mono or at 48 kHz",
            );
        }
    }

    pub(super) fn sounds(&mut self, raw: Option<&Spanned<RawSounds>>) -> Sounds {
        let Some(raw) = raw else {
            return Sounds::default();
        };
        let r = raw.get_ref();
        let mut one = |s: &Option<Spanned<String>>| s.as_ref().and_then(|s| self.sound(s));
        Sounds {
            inhale: one(&r.inhale),
            exhale: one(&r.exhale),
            hold: one(&r.hold),
            bell: one(&r.bell),
            prompt: one(&r.prompt),
            start: one(&r.start),
            end: one(&r.end),
            voice: r.voice.as_ref().and_then(|v| self.voice(v)),
            count: r.count.as_ref().map(|c| *c.get_ref()),
            speak: r.speak.as_ref().map(|c| *c.get_ref()),
        }
    }

    /// A voice pack's name: one the catalog knows (or "none"). A known
    /// pack that lacks some clips is accepted with a warning naming them,
    /// since the chime plays in place of each missing word.
    pub(super) fn voice(&mut self, v: &Spanned<String>) -> Option<String> {
        let name = v.get_ref().trim();
        if name == "none" {
            return Some(name.to_owned());
        }
        let voices = self.sounds.voices();
        if voices.iter().any(|k| k == name) {
            let missing = self.sounds.missing_clips(name);
            if !missing.is_empty() {
                self.warn(
                    format!(
                        "voice `{name}` has no clip for {}",
                        missing
                            .iter()
                            .map(|c| format!("`{c}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    span_of(v),
                    "the chime plays in place of each missing word; add a .wav, .flac or .ogg file named after it to the voice's folder",
                );
            }
            return Some(name.to_owned());
        }
        let refs: Vec<&str> = voices.iter().map(String::as_str).collect();
        let help = match did_you_mean(name, &refs) {
            Some(m) => format!("did you mean `{m}`? (\"none\" means the chimes alone)"),
            None => format!(
                "known voices: {}, or \"none\" for the chimes alone; a voice of your own is a folder in your voices folder",
                refs.join(", ")
            ),
        };
        self.error(format!("unknown voice `{name}`"), span_of(v), &help);
        None
    }
}
