//! Turning sound files into sample buffers, once, so that playing a sound
//! later is only a copy into the mixer and never touches a decoder.

use std::io::{Read, Seek};
use std::num::NonZero;
use std::sync::Arc;
use std::time::Duration;

use rodio::Source as _;

/// Longest sound accepted: cues are short, and a long file would be held
/// in memory for the whole session.
pub const MAX_LENGTH: Duration = Duration::from_secs(60);

/// A sound decoded into interleaved samples.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// Channel count (1 mono, 2 stereo).
    pub channels: NonZero<u16>,
    /// Frames per second.
    pub rate: NonZero<u32>,
    /// Interleaved samples in -1.0..=1.0, shared between plays.
    pub samples: Arc<[f32]>,
}

impl Decoded {
    /// How long the sound lasts.
    pub fn length(&self) -> Duration {
        let frames = self.samples.len() / usize::from(self.channels.get());
        Duration::from_secs_f64(frames as f64 / f64::from(self.rate.get()))
    }

    /// The loudest sample, as a fraction of full scale.
    pub fn peak(&self) -> f32 {
        self.samples.iter().fold(0.0_f32, |m, s| m.max(s.abs()))
    }
}

/// Decode a whole WAV, Ogg Vorbis or FLAC stream. The error says why, in
/// words a user can act on.
pub fn decode<R>(data: R) -> Result<Decoded, String>
where
    R: Read + Seek + Send + Sync + 'static,
{
    let decoder = rodio::Decoder::new(data).map_err(|e| why(&e))?;
    let channels = decoder.channels();
    let rate = decoder.sample_rate();
    let limit = MAX_LENGTH.as_secs() as usize * rate.get() as usize * usize::from(channels.get());
    let samples: Vec<f32> = decoder.take(limit + 1).collect();
    if samples.len() > limit {
        return Err(format!(
            "it is longer than {} s; cues should be short",
            MAX_LENGTH.as_secs()
        ));
    }
    if samples.is_empty() {
        return Err("it holds no audio".into());
    }
    Ok(Decoded {
        channels,
        rate,
        samples: samples.into(),
    })
}

/// The decoder's error in words that say what to do about it.
fn why(e: &rodio::decoder::DecoderError) -> String {
    use rodio::decoder::DecoderError as E;
    match e {
        E::UnrecognizedFormat => "it is not a WAV, Ogg Vorbis or FLAC file".into(),
        E::IoError(detail) if detail.is_empty() => "it is cut short or is not really audio".into(),
        E::IoError(detail) => format!("it is cut short or is not really audio ({detail})"),
        E::NoStreams => "it holds no audio".into(),
        E::DecodeError(detail) => format!("its data is damaged ({detail})"),
        other => other.to_string(),
    }
}
