//! Spoken prompts: a meditation prompt's text said aloud by the system's
//! speech synthesiser, rendered to a sound before the moment it is needed
//! so it starts on time, and played through the same mixer as every other
//! sound (at the voice's volume, silenced by `m`).
//!
//! The synthesiser is the `espeak-ng` program (or the older `espeak`),
//! run offline with `--stdout`, which writes a WAV file: no network, no new
//! system library for the build. Without it, prompts are shown and their
//! chime plays, and a one-line notice says why. [`Synth`] is the seam
//! tests replace.

use std::io::Read as _;
use std::process::{Command, Stdio};

/// Makes speech: the WAV bytes of `text` said aloud.
pub trait Synth: Send + Sync + std::fmt::Debug {
    /// Whether this synthesiser can speak at all (its program is there).
    fn available(&self) -> bool;
    /// `text` spoken, as a WAV file's bytes; `None` if it could not be.
    fn render(&self, text: &str) -> Option<Vec<u8>>;
}

/// The most text rendered for one prompt (prompts are at most 300
/// characters; this bounds what a synthesiser is handed).
const MAX_TEXT: usize = 600;

/// `espeak-ng`, or `espeak`, found on `PATH` the first time it is asked
/// for.
#[derive(Debug, Default)]
pub struct Espeak {
    program: std::sync::OnceLock<Option<&'static str>>,
}

impl Espeak {
    fn program(&self) -> Option<&'static str> {
        *self.program.get_or_init(|| {
            ["espeak-ng", "espeak"].into_iter().find(|p| {
                Command::new(p)
                    .arg("--version")
                    .stdin(Stdio::null())
                    .stdout(Stdio::null())
                    .stderr(Stdio::null())
                    .status()
                    .is_ok_and(|s| s.success())
            })
        })
    }
}

impl Synth for Espeak {
    fn available(&self) -> bool {
        self.program().is_some()
    }

    fn render(&self, text: &str) -> Option<Vec<u8>> {
        let program = self.program()?;
        let text: String = text.chars().take(MAX_TEXT).collect();
        // The same voice as the built-in clips (examples/make_voice.rs),
        // a little slower for a sentence. `--` so a text starting with a
        // dash is read, not taken for an option.
        let mut child = Command::new(program)
            .args(["-v", "en-gb", "-s", "140", "-p", "40", "--stdout", "--"])
            .arg(&text)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .ok()?;
        let mut out = Vec::new();
        child.stdout.take()?.read_to_end(&mut out).ok()?;
        let ok = child.wait().ok()?.success();
        (ok && !out.is_empty()).then_some(out)
    }
}

pub use crate::engine::timeline::{SPEECH_PREFIX, speech_sound};

/// The notice shown when prompts are to be spoken and nothing can speak.
pub const NO_SYNTH: &str =
    "spoken prompts need the espeak-ng program; they are shown, with their chime";

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_missing_program_is_no_synthesiser_and_renders_nothing() {
        let none = Espeak {
            program: std::sync::OnceLock::from(None),
        };
        assert!(!none.available());
        assert_eq!(none.render("Notice the breath"), None);
        assert_eq!(speech_sound("Rest"), "say:Rest");
    }

    /// Only where espeak-ng is installed (it is not part of the setup).
    #[test]
    fn espeak_renders_a_wav_that_decodes_when_it_is_there() {
        let synth = Espeak::default();
        if !synth.available() {
            eprintln!("espeak-ng not installed: skipped");
            return;
        }
        let wav = synth.render("-- Notice the breath").expect("rendered");
        let d = crate::audio::decode::decode_owned(wav).expect("decodes");
        assert!(d.length() > Duration::from_millis(300), "{:?}", d.length());
    }
}
