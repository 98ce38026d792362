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

/// How long after the end of a session its summary is said: once the end
/// sound has struck, and "well done" has been said.
pub const SUMMARY_AFTER: std::time::Duration = std::time::Duration::from_millis(1500);

/// The summary of a completed session as it is said aloud: "Session
/// complete. You practised for 8 minutes and 30 seconds: 19 cycles."
pub fn summary(o: &crate::engine::Outcome) -> String {
    let mut parts = Vec::new();
    let counted = |n: u32, one: &str| crate::text::count(n, one);
    if o.cycles > 0 {
        parts.push(counted(o.cycles, "cycle"));
    }
    if o.rounds > 0 {
        parts.push(counted(o.rounds, "round"));
    }
    if let Some(longest) = o.holds.iter().max() {
        parts.push(format!("your longest hold, {}", spoken_length(*longest)));
    }
    let mut text = format!(
        "Session complete. You practised for {}",
        spoken_length(o.practised)
    );
    if !parts.is_empty() {
        text.push_str(": ");
        text.push_str(&parts.join(", "));
    }
    text.push('.');
    text
}

/// A length in words, to the second: "1 hour and 5 minutes", "8 minutes
/// and 30 seconds", "45 seconds".
fn spoken_length(d: std::time::Duration) -> String {
    let secs = d.as_secs_f64().round() as u32;
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    let units: Vec<String> = [(h, "hour"), (m, "minute"), (s, "second")]
        .into_iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, unit)| crate::text::count(n, unit))
        .collect();
    match units.as_slice() {
        [] => "0 seconds".to_owned(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

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

    #[test]
    fn the_summary_says_how_long_and_what_was_practised_in_words() {
        use crate::engine::{Ending, Outcome};
        let o = Outcome {
            practised: Duration::from_secs(510),
            planned: Duration::from_secs(510),
            ending: Ending::Completed,
            cycles: 19,
            rounds: 0,
            holds: Vec::new(),
            capped: Vec::new(),
            skipped: 0,
            cut_cycles: 0,
            pace: Vec::new(),
        };
        assert_eq!(
            summary(&o),
            "Session complete. You practised for 8 minutes and 30 seconds: 19 cycles."
        );
        let held = Outcome {
            practised: Duration::from_secs(3905),
            cycles: 1,
            rounds: 3,
            holds: vec![Duration::from_secs(61), Duration::from_millis(95_400)],
            ..o.clone()
        };
        assert_eq!(
            summary(&held),
            "Session complete. You practised for 1 hour, 5 minutes and 5 seconds: 1 cycle, 3 rounds, your longest hold, 1 minute and 35 seconds."
        );
        let sit = Outcome {
            practised: Duration::from_secs(600),
            cycles: 0,
            ..o
        };
        assert_eq!(
            summary(&sit),
            "Session complete. You practised for 10 minutes."
        );
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
