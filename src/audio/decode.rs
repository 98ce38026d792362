//! Turning sound files into sample buffers, within stated bounds, so that
//! playing a sound later is only a copy into the mixer and no file can
//! make exhale use unbounded memory or time.
//!
//! A header is never trusted: the sample rate and channel count it claims
//! are checked against a sane range before anything is decoded, and the
//! samples are counted as they are decoded, stopping as soon as the sound
//! is longer than [`MAX_LENGTH`] or larger than [`MAX_SOUND_BYTES`]. A WAV
//! file's parts (chunks) must fit in the file. The file itself must be a
//! regular file of at most [`MAX_FILE_BYTES`]. The limits are documented in
//! `docs/sound.md`.

use std::io::{Read, Seek, SeekFrom};
use std::num::NonZero;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use symphonia::core::audio::SampleBuffer;
use symphonia::core::codecs::{CODEC_TYPE_NULL, DecoderOptions};
use symphonia::core::errors::Error as SymError;
use symphonia::core::formats::FormatOptions;
use symphonia::core::io::{MediaSource, MediaSourceStream};
use symphonia::core::meta::MetadataOptions;
use symphonia::core::probe::Hint;

use crate::format::read::{self, ReadError};

/// Longest sound accepted: cues are short, and a long file would be held
/// in memory for the whole session.
pub const MAX_LENGTH: Duration = Duration::from_secs(60);

/// Lowest sample rate accepted, in frames per second.
pub const MIN_RATE: u32 = 8_000;

/// Highest sample rate accepted: twice what any ear needs, and four
/// times a CD's.
pub const MAX_RATE: u32 = 192_000;

/// Most channels accepted. Mono and stereo are kept as they are; three to
/// eight channels (surround) are mixed down to one.
pub const MAX_CHANNELS: usize = 8;

/// Largest sound file read, in bytes. A minute of 48 kHz stereo at 32 bits
/// is 23 MB.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Most memory one decoded sound may take (samples are 32-bit): 60 s of
/// 48 kHz stereo is 22 MiB.
pub const MAX_SOUND_BYTES: u64 = 32 * 1024 * 1024;

/// Most memory the sounds one session uses may take together, decoded.
pub const MAX_BANK_BYTES: u64 = 64 * 1024 * 1024;

/// Bytes of one decoded sample.
const SAMPLE_BYTES: u64 = 4;

const MIB: u64 = 1024 * 1024;

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

    /// Memory the samples take.
    pub fn bytes(&self) -> u64 {
        self.samples.len() as u64 * SAMPLE_BYTES
    }
}

/// What decoding a sound found, without keeping its samples.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Info {
    /// Channels kept (1 or 2).
    pub channels: u16,
    /// Frames per second.
    pub rate: u32,
    /// Frames decoded.
    pub frames: u64,
}

impl Info {
    /// Memory the decoded samples take.
    pub fn bytes(&self) -> u64 {
        self.frames * u64::from(self.channels) * SAMPLE_BYTES
    }
}

/// Why a sound cannot be played.
#[derive(Debug, thiserror::Error)]
pub enum SoundError {
    /// Not a regular file, unreadable, gone.
    #[error("{}", .0.predicate())]
    File(ReadError),
    /// The file is larger than [`MAX_FILE_BYTES`].
    #[error("is {} MiB, more than the {} MiB a sound file may be", .0.div_ceil(MIB), MAX_FILE_BYTES / MIB)]
    FileTooLarge(u64),
    /// A sample rate outside [`MIN_RATE`]..=[`MAX_RATE`].
    #[error("has a sample rate of {} Hz; exhale plays sounds of {} to {} Hz", thousands(*.0), thousands(MIN_RATE.into()), thousands(MAX_RATE.into()))]
    Rate(u64),
    /// More than [`MAX_CHANNELS`] channels, or none.
    #[error(
        "has {0} channels; exhale plays sounds of 1 to {MAX_CHANNELS} channels (more than 2 are mixed down to one)"
    )]
    Channels(usize),
    /// Longer than [`MAX_LENGTH`].
    #[error("is longer than {} s; cues should be short", MAX_LENGTH.as_secs())]
    TooLong,
    /// Larger than [`MAX_SOUND_BYTES`] once decoded.
    #[error("is larger than {} MiB once decoded", MAX_SOUND_BYTES / MIB)]
    TooLarge,
    /// No samples at all.
    #[error("holds no audio")]
    Empty,
    /// Not a format exhale reads.
    #[error("cannot be decoded: it is not a WAV, Ogg Vorbis or FLAC file")]
    NotAudio,
    /// A format exhale reads, but broken.
    #[error("cannot be decoded: {0}")]
    Damaged(String),
}

impl SoundError {
    /// What to do about it.
    pub fn help(&self) -> String {
        const OTHER: &str = "or name another sound (\"none\" means silence)";
        match self {
            SoundError::File(ReadError::Io(_)) => {
                format!("make the file readable for your user (chmod u+r), {OTHER}")
            }
            SoundError::File(ReadError::BrokenLink { .. }) => {
                format!("point the link at a sound file, {OTHER}")
            }
            SoundError::File(_) => {
                format!("put a WAV, Ogg Vorbis or FLAC file there, {OTHER}")
            }
            SoundError::FileTooLarge(_) | SoundError::TooLarge => {
                format!("use a shorter sound, or save it as mono or at 48 kHz, {OTHER}")
            }
            SoundError::Rate(_) => format!("save it at 44.1 or 48 kHz, {OTHER}"),
            SoundError::Channels(_) => format!("save it as mono or stereo, {OTHER}"),
            SoundError::TooLong => format!("shorten it to under a minute, {OTHER}"),
            SoundError::Empty => format!("record or export it again, {OTHER}"),
            SoundError::NotAudio | SoundError::Damaged(_) => {
                format!("convert it to WAV, Ogg Vorbis or FLAC, {OTHER}")
            }
        }
    }
}

/// `4000000000` as `4,000,000,000`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Decode a sound file, keeping its samples.
pub fn decode_file(path: &Path) -> Result<Decoded, SoundError> {
    let (file, len) = open(path)?;
    decode_source(Box::new(file), Some(len))
}

/// Decode a sound file only to see that it can be played, and what it
/// would take: nothing is kept.
pub fn probe_file(path: &Path) -> Result<Info, SoundError> {
    let (file, len) = open(path)?;
    run(Box::new(file), Some(len), false).map(|(info, _)| info)
}

/// Decode a sound held in memory (a bundled one).
pub fn decode_bytes(bytes: &'static [u8]) -> Result<Decoded, SoundError> {
    let len = bytes.len() as u64;
    decode_source(Box::new(std::io::Cursor::new(bytes)), Some(len))
}

/// Decode a sound made at run time (a spoken prompt), within the same
/// bounds as a file.
pub fn decode_owned(bytes: Vec<u8>) -> Result<Decoded, SoundError> {
    let len = bytes.len() as u64;
    decode_source(Box::new(std::io::Cursor::new(bytes)), Some(len))
}

/// Check a sound held in memory without keeping its samples.
pub fn probe_bytes(bytes: &'static [u8]) -> Result<Info, SoundError> {
    let len = bytes.len() as u64;
    run(Box::new(std::io::Cursor::new(bytes)), Some(len), false).map(|(info, _)| info)
}

/// Decode from any reader of unknown length (a stream that may never end
/// is still read only as far as the limits allow).
pub fn decode<R>(data: R) -> Result<Decoded, SoundError>
where
    R: Read + Seek + Send + Sync + 'static,
{
    decode_source(Box::new(Unsized(data)), None)
}

fn open(path: &Path) -> Result<(std::fs::File, u64), SoundError> {
    let file = read::open_regular(path).map_err(SoundError::File)?;
    let len = file
        .metadata()
        .map_err(|e| SoundError::File(ReadError::Io(e)))?
        .len();
    if len > MAX_FILE_BYTES {
        return Err(SoundError::FileTooLarge(len));
    }
    Ok((file, len))
}

fn decode_source(source: Box<dyn MediaSource>, len: Option<u64>) -> Result<Decoded, SoundError> {
    let (info, samples) = run(source, len, true)?;
    Ok(Decoded {
        channels: NonZero::new(info.channels).unwrap_or(NonZero::<u16>::MIN),
        rate: NonZero::new(info.rate).unwrap_or(NonZero::<u32>::MIN),
        samples: samples.into(),
    })
}

/// A reader whose length is not known.
struct Unsized<R>(R);

impl<R: Read> Read for Unsized<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.0.read(buf)
    }
}

impl<R: Seek> Seek for Unsized<R> {
    fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
        self.0.seek(pos)
    }
}

impl<R: Read + Seek + Send + Sync> MediaSource for Unsized<R> {
    fn is_seekable(&self) -> bool {
        true
    }
    fn byte_len(&self) -> Option<u64> {
        None
    }
}

fn check_rate(rate: u64) -> Result<u32, SoundError> {
    match u32::try_from(rate) {
        Ok(r) if (MIN_RATE..=MAX_RATE).contains(&r) => Ok(r),
        _ => Err(SoundError::Rate(rate)),
    }
}

fn check_channels(channels: usize) -> Result<(), SoundError> {
    match channels {
        0 => Err(SoundError::Damaged("it says it has no channels".into())),
        n if n > MAX_CHANNELS => Err(SoundError::Channels(n)),
        _ => Ok(()),
    }
}

/// A WAV file's layout, read before any decoder sees it: its format's rate
/// and channel count must be in range, and every part before the samples
/// must fit in the file (a decoder would otherwise set aside as much
/// memory as a lying part claims).
fn check_riff(source: &mut dyn MediaSource, len: Option<u64>) -> Result<(), SoundError> {
    fn read_exact(source: &mut dyn MediaSource, buf: &mut [u8]) -> Option<()> {
        source.read_exact(buf).ok()
    }
    let mut head = [0_u8; 12];
    if read_exact(source, &mut head).is_none() || &head[0..4] != b"RIFF" || &head[8..12] != b"WAVE"
    {
        return Ok(());
    }
    let mut at: u64 = 12;
    loop {
        let mut chunk = [0_u8; 8];
        if read_exact(source, &mut chunk).is_none() {
            // No samples at all: the decoder says so in its own words.
            return Ok(());
        }
        at += 8;
        let size = u64::from(u32::from_le_bytes([chunk[4], chunk[5], chunk[6], chunk[7]]));
        let id = &chunk[0..4];
        if id == b"data" {
            // The samples: read as a stream, only as far as the limits allow.
            return Ok(());
        }
        if len.is_some_and(|len| at + size > len) {
            return Err(SoundError::Damaged(format!(
                "its `{}` part claims {} bytes, more than the file holds",
                String::from_utf8_lossy(id).trim(),
                thousands(size)
            )));
        }
        if id == b"fmt " && size >= 8 {
            let mut fmt = [0_u8; 8];
            read_exact(source, &mut fmt).ok_or(SoundError::Damaged("it is cut short".into()))?;
            check_channels(usize::from(u16::from_le_bytes([fmt[2], fmt[3]])))?;
            check_rate(u64::from(u32::from_le_bytes([
                fmt[4], fmt[5], fmt[6], fmt[7],
            ])))?;
            source
                .seek(SeekFrom::Current(
                    i64::try_from(size - 8).unwrap_or(i64::MAX),
                ))
                .map_err(|_| SoundError::Damaged("it is cut short".into()))?;
        } else {
            source
                .seek(SeekFrom::Current(i64::try_from(size).unwrap_or(i64::MAX)))
                .map_err(|_| SoundError::Damaged("it is cut short".into()))?;
        }
        // Parts are padded to an even length.
        at += size;
        if size % 2 == 1 {
            at += 1;
            source
                .seek(SeekFrom::Current(1))
                .map_err(|_| SoundError::Damaged("it is cut short".into()))?;
        }
    }
}

fn damaged(e: &SymError) -> SoundError {
    match e {
        SymError::IoError(_) => SoundError::Damaged("it is cut short".into()),
        SymError::Unsupported(_) => SoundError::NotAudio,
        SymError::DecodeError(d) => SoundError::Damaged(format!("its data is damaged ({d})")),
        other => SoundError::Damaged(other.to_string()),
    }
}

/// Decode `source`, counting samples as they come and stopping at the
/// first limit passed; keep the samples only if `keep`.
fn run(
    mut source: Box<dyn MediaSource>,
    len: Option<u64>,
    keep: bool,
) -> Result<(Info, Vec<f32>), SoundError> {
    check_riff(source.as_mut(), len)?;
    source
        .seek(SeekFrom::Start(0))
        .map_err(|e| SoundError::File(ReadError::Io(e)))?;
    let stream = MediaSourceStream::new(
        source,
        symphonia::core::io::MediaSourceStreamOptions::default(),
    );
    let probed = symphonia::default::get_probe()
        .format(
            &Hint::new(),
            stream,
            &FormatOptions::default(),
            &MetadataOptions::default(),
        )
        .map_err(|e| match e {
            SymError::Unsupported(_) | SymError::IoError(_) => SoundError::NotAudio,
            other => damaged(&other),
        })?;
    let mut format = probed.format;
    let track = format
        .tracks()
        .iter()
        .find(|t| t.codec_params.codec != CODEC_TYPE_NULL)
        .ok_or(SoundError::Empty)?;
    let track_id = track.id;
    let params = track.codec_params.clone();
    // What the header claims, checked before a single sample is decoded.
    if let Some(rate) = params.sample_rate {
        check_rate(rate.into())?;
    }
    if let Some(ch) = params.channels {
        check_channels(ch.count())?;
    }
    let mut codec = symphonia::default::get_codecs()
        .make(&params, &DecoderOptions::default())
        .map_err(|e| damaged(&e))?;

    let mut samples: Vec<f32> = Vec::new();
    let mut buffer: Option<SampleBuffer<f32>> = None;
    let mut shape: Option<(u32, usize)> = None;
    let mut frames: u64 = 0;
    loop {
        let packet = match format.next_packet() {
            Ok(p) => p,
            // The end of the stream, however the format says it.
            Err(SymError::IoError(_) | SymError::ResetRequired) => break,
            Err(e) => return Err(damaged(&e)),
        };
        if packet.track_id() != track_id {
            continue;
        }
        let decoded = match codec.decode(&packet) {
            Ok(d) => d,
            // A damaged packet is skipped, as players do.
            Err(SymError::DecodeError(_)) => continue,
            Err(SymError::IoError(_)) => break,
            Err(e) => return Err(damaged(&e)),
        };
        let spec = *decoded.spec();
        let now = (check_rate(spec.rate.into())?, spec.channels.count());
        check_channels(now.1)?;
        let (rate, channels) = *shape.get_or_insert(now);
        if now != (rate, channels) {
            return Err(SoundError::Damaged(
                "its sample rate or channel count changes partway".into(),
            ));
        }
        let kept = if channels > 2 { 1 } else { channels };
        let n = decoded.frames() as u64;
        // Count before copying: past a limit nothing more is kept.
        if frames + n > MAX_LENGTH.as_secs() * u64::from(rate) {
            return Err(SoundError::TooLong);
        }
        if (frames + n) * kept as u64 * SAMPLE_BYTES > MAX_SOUND_BYTES {
            return Err(SoundError::TooLarge);
        }
        frames += n;
        if !keep {
            continue;
        }
        if samples.is_empty() {
            // Room for the whole sound as the header states it, within
            // the limits, so the buffer is not copied as it grows.
            let stated = params.n_frames.unwrap_or(0);
            let most = MAX_SOUND_BYTES / SAMPLE_BYTES / kept as u64;
            samples.reserve((stated.min(most) * kept as u64) as usize);
        }
        let capacity = decoded.capacity() as u64;
        let buf = match &mut buffer {
            Some(b) if b.capacity() as u64 >= capacity * channels as u64 => b,
            _ => buffer.insert(SampleBuffer::new(capacity, spec)),
        };
        buf.copy_interleaved_ref(decoded);
        if channels > 2 {
            let scale = 1.0 / channels as f32;
            samples.extend(
                buf.samples()
                    .chunks_exact(channels)
                    .map(|f| f.iter().sum::<f32>() * scale),
            );
        } else {
            samples.extend_from_slice(buf.samples());
        }
    }
    let Some((rate, channels)) = shape else {
        return Err(SoundError::Empty);
    };
    if frames == 0 {
        return Err(SoundError::Empty);
    }
    let info = Info {
        channels: if channels > 2 { 1 } else { channels as u16 },
        rate,
        frames,
    };
    Ok((info, samples))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The 44-byte header of a 16-bit PCM WAV file.
    fn header(rate: u32, channels: u16, data_len: u32) -> Vec<u8> {
        let block = channels * 2;
        let mut h = Vec::new();
        h.extend_from_slice(b"RIFF");
        h.extend_from_slice(&data_len.saturating_add(36).to_le_bytes());
        h.extend_from_slice(b"WAVEfmt ");
        h.extend_from_slice(&16_u32.to_le_bytes());
        h.extend_from_slice(&1_u16.to_le_bytes());
        h.extend_from_slice(&channels.to_le_bytes());
        h.extend_from_slice(&rate.to_le_bytes());
        h.extend_from_slice(&(rate.wrapping_mul(u32::from(block))).to_le_bytes());
        h.extend_from_slice(&block.to_le_bytes());
        h.extend_from_slice(&16_u16.to_le_bytes());
        h.extend_from_slice(b"data");
        h.extend_from_slice(&data_len.to_le_bytes());
        h
    }

    /// A WAV file whose header claims the most data a WAV may hold, then
    /// samples without end; counts how much of it has been read.
    struct Endless {
        header: Vec<u8>,
        at: u64,
        read: Arc<std::sync::atomic::AtomicU64>,
    }

    impl Endless {
        fn new(rate: u32, channels: u16) -> (Self, Arc<std::sync::atomic::AtomicU64>) {
            let read = Arc::new(std::sync::atomic::AtomicU64::new(0));
            let me = Self {
                header: header(rate, channels, u32::MAX - 36),
                at: 0,
                read: Arc::clone(&read),
            };
            (me, read)
        }
    }

    impl Read for Endless {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            for (i, b) in buf.iter_mut().enumerate() {
                let pos = self.at + i as u64;
                *b = self
                    .header
                    .get(pos as usize)
                    .copied()
                    .unwrap_or((pos % 251) as u8);
            }
            self.at += buf.len() as u64;
            self.read
                .fetch_add(buf.len() as u64, std::sync::atomic::Ordering::Relaxed);
            Ok(buf.len())
        }
    }

    impl Seek for Endless {
        fn seek(&mut self, pos: SeekFrom) -> std::io::Result<u64> {
            self.at = match pos {
                SeekFrom::Start(p) => p,
                SeekFrom::Current(d) => self.at.saturating_add_signed(d),
                SeekFrom::End(_) => return Err(std::io::Error::other("no end")),
            };
            Ok(self.at)
        }
    }

    #[test]
    fn an_endless_stream_is_decoded_only_up_to_the_length_limit() {
        // 48 kHz stereo: a minute is 11.5 MB of 16-bit samples.
        let (wav, read) = Endless::new(48_000, 2);
        let e = decode(wav).expect_err("endless");
        assert!(matches!(e, SoundError::TooLong), "{e}");
        let read = read.load(std::sync::atomic::Ordering::Relaxed);
        let minute = 60 * 48_000 * 4;
        assert!(
            read >= minute && read < minute + 1024 * 1024,
            "{read} bytes read"
        );
    }

    #[test]
    fn a_high_rate_stream_is_decoded_only_up_to_the_size_limit() {
        // 192 kHz stereo: 32 MiB of samples is reached after 21.8 s.
        let (wav, read) = Endless::new(192_000, 2);
        let e = decode(wav).expect_err("endless");
        assert!(matches!(e, SoundError::TooLarge), "{e}");
        let read = read.load(std::sync::atomic::Ordering::Relaxed);
        let cap = MAX_SOUND_BYTES / 2; // 16-bit samples become 32-bit ones
        assert!(
            read >= cap - 1024 * 1024 && read < cap + 1024 * 1024,
            "{read} bytes read"
        );
    }

    #[test]
    fn a_header_that_lies_about_its_rate_or_channels_is_refused_before_decoding() {
        for (rate, channels, want) in [
            (4_000_000_000, 2, "has a sample rate of 4,000,000,000 Hz"),
            (1_000, 1, "has a sample rate of 1,000 Hz"),
            (48_000, 64, "has 64 channels"),
            (48_000, 0, "says it has no channels"),
        ] {
            let (wav, read) = Endless::new(rate, channels);
            let e = decode(wav).expect_err("refused");
            assert!(e.to_string().contains(want), "{e}");
            assert!(
                read.load(std::sync::atomic::Ordering::Relaxed) < 64 * 1024,
                "read past the header"
            );
        }
    }

    #[test]
    fn a_part_longer_than_the_file_is_damage_not_an_allocation() {
        let mut wav = header(48_000, 1, 4);
        // A LIST part claiming 4 GB, before the samples.
        let list: Vec<u8> = [b"LIST".as_slice(), &u32::MAX.to_le_bytes()].concat();
        wav.splice(36..36, list);
        wav.extend_from_slice(&[0, 0, 0, 0]);
        let bytes: &'static [u8] = Box::leak(wav.into_boxed_slice());
        let e = decode_bytes(bytes).expect_err("damaged");
        assert!(
            e.to_string()
                .contains("`LIST` part claims 4,294,967,295 bytes"),
            "{e}"
        );
        assert!(e.help().starts_with("convert it"), "{}", e.help());
    }

    #[test]
    fn surround_is_mixed_down_to_one_channel() {
        let mut wav = header(48_000, 4, 16);
        for s in [1000_i16, 3000, -1000, 1000, 400, 400, 400, 400] {
            wav.extend_from_slice(&s.to_le_bytes());
        }
        let bytes: &'static [u8] = Box::leak(wav.into_boxed_slice());
        let d = decode_bytes(bytes).expect("decodes");
        assert_eq!(d.channels.get(), 1);
        assert_eq!(d.samples.len(), 2);
        assert!(
            (d.samples[0] - 1000.0 / 32768.0).abs() < 1e-4,
            "{}",
            d.samples[0]
        );
        let info = probe_bytes(bytes).expect("probes");
        assert_eq!((info.channels, info.frames, info.bytes()), (1, 2, 8));
    }

    #[test]
    fn numbers_are_written_with_thousands_separators() {
        assert_eq!(thousands(4_000_000_000), "4,000,000,000");
        assert_eq!(thousands(192_000), "192,000");
        assert_eq!(thousands(999), "999");
    }
}
