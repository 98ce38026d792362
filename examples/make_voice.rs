//! Render the default voice pack, `sounds/voices/default/`, with the
//! `espeak-ng` program: `cargo run --example make_voice`.
//!
//! Only this needs espeak-ng; the tests and the build read the committed
//! WAV files. Each clip is spoken with fixed settings (voice `en-gb`,
//! speed, pitch), then trimmed of the silence espeak-ng puts around it,
//! faded in and out over 5 ms so it starts and ends without a click, and
//! brought to the same peak, so the pack sounds even and each word starts
//! the moment its clip does. espeak-ng is deterministic for the same
//! version and settings; the version used is printed.

use std::path::Path;
use std::process::Command;

/// What each clip says, by file stem (the stems are
/// `exhale::engine::model::VOICE_CLIPS`).
const WORDS: [(&str, &str); 16] = [
    ("in", "breathe in"),
    ("hold", "hold"),
    ("out", "breathe out"),
    ("rest", "rest"),
    ("1", "one"),
    ("2", "two"),
    ("3", "three"),
    ("4", "four"),
    ("5", "five"),
    ("6", "six"),
    ("7", "seven"),
    ("8", "eight"),
    ("9", "nine"),
    ("10", "ten"),
    ("begin", "begin"),
    ("done", "well done"),
];

/// A calm, slightly slow, slightly low voice.
const ARGS: [&str; 8] = ["-v", "en-gb", "-s", "140", "-p", "40", "-a", "120"];

/// Samples below this (of 1.0) count as silence when trimming.
const QUIET: f64 = 0.01;
/// Peak every clip is scaled to.
const PEAK: f64 = 0.7;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let version = Command::new("espeak-ng").arg("--version").output()?;
    println!("{}", String::from_utf8_lossy(&version.stdout).trim());
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("sounds/voices/default");
    std::fs::create_dir_all(&dir)?;
    let mut total = 0;
    for (stem, words) in WORDS {
        let out = Command::new("espeak-ng")
            .args(ARGS)
            .arg("--stdout")
            .arg(words)
            .output()?;
        if !out.status.success() {
            return Err(format!("espeak-ng failed for {words:?}").into());
        }
        let (rate, samples) = pcm(&out.stdout)?;
        let clip = shape(&samples, rate);
        let bytes = exhale::audio::synth::wav_at(&clip, rate);
        let path = dir.join(format!("{stem}.wav"));
        std::fs::write(&path, &bytes)?;
        total += bytes.len();
        println!("{}  {} bytes", path.display(), bytes.len());
    }
    println!("{total} bytes in all");
    Ok(())
}

/// The rate and the 16-bit mono samples of espeak-ng's WAV output (whose
/// lengths in the header are not filled in when written to a pipe).
fn pcm(bytes: &[u8]) -> Result<(u32, Vec<f64>), Box<dyn std::error::Error>> {
    if bytes.len() < 44 || &bytes[..4] != b"RIFF" || &bytes[8..12] != b"WAVE" {
        return Err("espeak-ng did not write a WAV file".into());
    }
    let channels = u16::from_le_bytes([bytes[22], bytes[23]]);
    let rate = u32::from_le_bytes([bytes[24], bytes[25], bytes[26], bytes[27]]);
    let bits = u16::from_le_bytes([bytes[34], bytes[35]]);
    if channels != 1 || bits != 16 {
        return Err(format!("expected 16-bit mono, got {bits}-bit x{channels}").into());
    }
    let data = bytes
        .windows(4)
        .position(|w| w == b"data")
        .ok_or("no data chunk")?
        + 8;
    let samples = bytes[data..]
        .chunks_exact(2)
        .map(|c| f64::from(i16::from_le_bytes([c[0], c[1]])) / 32768.0)
        .collect();
    Ok((rate, samples))
}

/// Trim silence, fade the edges, set the peak.
fn shape(samples: &[f64], rate: u32) -> Vec<f64> {
    let first = samples.iter().position(|s| s.abs() > QUIET).unwrap_or(0);
    let last = samples
        .iter()
        .rposition(|s| s.abs() > QUIET)
        .map_or(samples.len(), |i| i + 1);
    let mut clip = samples[first..last].to_vec();
    let peak = clip.iter().fold(0.0_f64, |m, s| m.max(s.abs()));
    let gain = if peak > 0.0 { PEAK / peak } else { 1.0 };
    let fade = (rate as usize / 200).min(clip.len() / 2).max(1);
    let n = clip.len();
    for (i, s) in clip.iter_mut().enumerate() {
        let edge = i.min(n - 1 - i);
        let ramp = if edge < fade {
            edge as f64 / fade as f64
        } else {
            1.0
        };
        *s *= gain * ramp;
    }
    clip
}
