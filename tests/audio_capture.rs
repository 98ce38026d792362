//! End to end through the real audio path, without a sound card.
//!
//! ALSA is pointed (with `ALSA_CONFIG_PATH`) at `tests/alsa/capture.conf`,
//! whose default device writes everything the app plays, as 48 kHz stereo
//! `S16_LE`, into a named pipe. The test drains that pipe at exactly 48000
//! frames a second against a monotonic clock, which paces playback in real
//! time, then checks from the samples what a listener would hear: a chime
//! at every phase boundary, on time; an inhale that rises and an exhale
//! that falls; silence with `--no-sound`; silence after `m`, in plain mode
//! and in the full-screen view, where `-` also turns the chimes down; the
//! sound bed at its volume, fading in and out, silent with `none` and
//! after `m`; the pacing tone through every phase, rising through inhales
//! and falling through exhales (and the pacing noise brightening and
//! darkening); a phase panned right silent on the left and one panned
//! left heard there (the reader returns both channels for that).
//!
//! Why it runs alone: the timing checks allow 60 ms, which holds with both
//! cores of a CI machine busy, but not with a dozen other test processes
//! competing. `cargo test` runs one test binary at a time, and this file is
//! its own binary; inside it, every test takes `SERIAL` so only one
//! session plays at once.
//!
//! The pipe is shrunk to one page (about 21 ms of audio) so that what the
//! app has written but the test has not yet read stays as small as a real
//! device's buffer. Sample index maps to session time through the median
//! offset of all the chimes, so one chime that starts late cannot hide by
//! moving the reference.
//!
//! No program is needed besides exhale: the pipe is made with `mknod`,
//! and the tests that type into a terminal use the pseudo-terminal
//! harness of `pty/mod.rs`. While a run goes on, the reader says how much
//! it has heard, which places a key press on the capture to within the
//! device's buffer.

mod pty;
#[path = "audio_capture/rig.rs"]
mod rig;

use std::path::Path;
use std::process::Stdio;
use std::sync::Mutex;
use std::time::Duration;

use pty::{Pty, WAIT, keys};
use rig::Rig;

static SERIAL: Mutex<()> = Mutex::new(());

const RATE: usize = 48_000;
/// Bytes per frame: two channels of 16 bits.
const FRAME: usize = 4;
/// Analysis block: 2 ms.
const BLOCK: usize = RATE / 500;
/// How far a chime may start from the time printed for its event.
const TOLERANCE: Duration = Duration::from_millis(60);
/// What the output path still holds when a live control (a mute) is
/// pressed, and plays before the control can be heard: two 20 ms device
/// periods and the rig's pipe of one page, about 80 ms. Scheduled sounds
/// are handed out ahead of it, so they are heard on their moment; a key
/// press cannot be.
const HELD: Duration = Duration::from_millis(100);
/// Block loudness (RMS, of 32767) that counts as sound.
const FLOOR: f64 = 150.0;

/// Six 1-second phases: boundaries at 0..=5 s, end at 6 s. The start and
/// end play the short wood tick so that nothing still rings when the next
/// chime starts.
const SESSION: &str = r#"name = "Capture"
settle = 0
sounds = { start = "wood", end = "wood" }

[[block]]
kind = "breathe"
phases = [{ in = 1 }, { hold = 1 }, { out = 1 }]
cycles = 2
"#;

fn lock() -> std::sync::MutexGuard<'static, ()> {
    SERIAL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Loudness of each 2 ms block.
fn blocks(left: &[i16]) -> Vec<f64> {
    left.chunks(BLOCK)
        .map(|c| {
            let sum: f64 = c.iter().map(|s| f64::from(*s).powi(2)).sum();
            (sum / c.len() as f64).sqrt()
        })
        .collect()
}

fn block_of(d: Duration) -> usize {
    (d.as_secs_f64() * RATE as f64) as usize / BLOCK
}

fn ms(blocks: f64) -> f64 {
    blocks * BLOCK as f64 * 1000.0 / RATE as f64
}

/// The first block in `range` where a new sound starts: above the floor
/// and at least three times louder than anything 10 to 50 ms before it.
fn onset_in(rms: &[f64], range: std::ops::Range<usize>) -> Option<usize> {
    range.into_iter().find(|&b| {
        if b >= rms.len() || rms[b] < FLOOR {
            return false;
        }
        let before = rms[b.saturating_sub(25)..b.saturating_sub(5)]
            .iter()
            .fold(0.0_f64, |m, v| m.max(*v));
        rms[b] > 3.0 * before
    })
}

/// For each event, the block where a chime starts, looked for in order
/// from where the previous one started: the first one anywhere, each next
/// one from 200 ms before its time after the previous.
fn chimes_at(rms: &[f64], evs: &[(Duration, String)], stdout: &str) -> Vec<usize> {
    let mut found: Vec<usize> = Vec::new();
    for (i, (t, word)) in evs.iter().enumerate() {
        let from = match (i, found.last()) {
            (0, _) | (_, None) => 0,
            (_, Some(&prev)) if *t == evs[i - 1].0 => prev,
            (_, Some(&prev)) => (prev + block_of(t.saturating_sub(evs[i - 1].0)))
                .saturating_sub(block_of(Duration::from_millis(200))),
        };
        if i > 0 && *t == evs[i - 1].0 {
            // Two events at the same moment share one chime.
            found.push(from);
            continue;
        }
        let to = from + block_of(Duration::from_millis(if i == 0 { 2000 } else { 400 }));
        let Some(b) = onset_in(rms, from..to) else {
            panic!("no chime for {word} at {t:?}\n{stdout}");
        };
        found.push(b);
    }
    found
}

/// The median of (chime block minus event time in blocks).
fn median_offset(onsets: &[usize], evs: &[(Duration, String)]) -> f64 {
    let mut d: Vec<f64> = onsets
        .iter()
        .zip(evs)
        .map(|(b, (t, _))| *b as f64 - block_of(*t) as f64)
        .collect();
    d.sort_by(f64::total_cmp);
    let n = d.len();
    if n % 2 == 1 {
        d[n / 2]
    } else {
        f64::midpoint(d[n / 2 - 1], d[n / 2])
    }
}

/// `(time, word)` for each printed line that starts with a time stamp.
fn events(stdout: &str) -> Vec<(Duration, String)> {
    stdout
        .lines()
        .filter_map(|l| {
            let (stamp, rest) = l.split_once("  ")?;
            let (m, s) = stamp.split_once(':')?;
            let secs: f64 = s.parse().ok()?;
            let mins: u64 = m.parse().ok()?;
            let word = rest.split_whitespace().next()?.to_owned();
            Some((
                Duration::from_secs(mins * 60) + Duration::from_secs_f64(secs),
                word,
            ))
        })
        .collect()
}

/// Zero crossings a second of `left` from `at` for `len`: the pitch of a
/// nearly pure tone.
fn pitch(left: &[i16], at: usize, len: usize) -> f64 {
    let s = &left[at.min(left.len())..(at + len).min(left.len())];
    let n = s.windows(2).filter(|w| (w[0] < 0) != (w[1] < 0)).count();
    n as f64 * RATE as f64 / len as f64 / 2.0
}

#[test]
fn every_phase_boundary_sounds_on_time_and_inhale_rises_while_exhale_falls() {
    let _serial = lock();
    let rig = Rig::new();
    let cap = rig.capture();
    let out = rig.command(&[]).stdin(Stdio::null()).output().expect("run");
    let left = cap.finish();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert_eq!(stderr, "", "nothing may reach stderr with a working device");
    assert!(
        left.len() > 6 * RATE,
        "captured only {} frames; did playback reach the FIFO?\n{stdout}",
        left.len()
    );

    let rms = blocks(&left);
    let evs: Vec<(Duration, String)> = events(&stdout)
        .into_iter()
        .filter(|(_, w)| matches!(w.as_str(), "start" | "inhale" | "hold" | "exhale" | "end"))
        .collect();
    let words: Vec<&str> = evs.iter().map(|(_, w)| w.as_str()).collect();
    assert_eq!(
        words,
        [
            "start", "inhale", "hold", "exhale", "inhale", "hold", "exhale", "end"
        ],
        "{stdout}"
    );
    let onsets = chimes_at(&rms, &evs, &stdout);
    let offset = median_offset(&onsets, &evs);
    for ((t, word), found) in evs.iter().zip(&onsets) {
        let off = ms(*found as f64 - offset - block_of(*t) as f64);
        eprintln!("{word:>6} at {t:?}: {off:+.0} ms");
        assert!(
            off.abs() <= TOLERANCE.as_millis() as f64,
            "{word} at {t:?}: chime {off:+.0} ms from where the others put it\n{stdout}"
        );
    }
    let onsets: Vec<(String, usize)> = evs.iter().map(|(_, w)| w.clone()).zip(onsets).collect();

    // Inhale (second cycle, 3 s) and exhale (2 s): pitch from 50 to 250 ms
    // against 350 to 550 ms after the chime starts.
    let span = RATE / 5;
    let at = |b: usize, ms: usize| b * BLOCK + ms * RATE / 1000;
    let inhale = onsets[4].1;
    let exhale = onsets[3].1;
    let (r0, r1) = (
        pitch(&left, at(inhale, 50), span),
        pitch(&left, at(inhale, 350), span),
    );
    let (f0, f1) = (
        pitch(&left, at(exhale, 50), span),
        pitch(&left, at(exhale, 350), span),
    );
    assert!(
        r1 > r0 * 1.08,
        "the inhale sound should rise: {r0:.0} Hz then {r1:.0} Hz"
    );
    assert!(
        f1 < f0 / 1.08,
        "the exhale sound should fall: {f0:.0} Hz then {f1:.0} Hz"
    );
}

#[test]
fn no_sound_flag_plays_nothing() {
    let _serial = lock();
    let rig = Rig::new();
    let cap = rig.capture();
    let out = rig
        .command(&["--no-sound", "--cycles", "1"])
        .stdin(Stdio::null())
        .output()
        .expect("run");
    let left = cap.finish();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.contains("  end"), "{stdout}");
    assert!(
        left.iter().all(|s| *s == 0),
        "--no-sound still played {} non-zero samples",
        left.iter().filter(|s| **s != 0).count()
    );
}

#[test]
fn m_in_plain_mode_mutes_at_once() {
    let _serial = lock();
    let rig = Rig::new();
    let cap = rig.capture();
    // On a terminal, so typed lines reach exhale; everything it prints,
    // stderr too, is on the screen.
    let mut t = Pty::spawn(rig.command(&[]));
    // Twenty breaths a minute: the fast-breathing cautions come first.
    t.wait_for("Press Enter to begin", WAIT);
    t.send("\r");
    t.wait_for("  exhale", WAIT);
    t.send("m\r");
    assert_eq!(t.exit_code(pty::secs(20)), 0);
    let left = cap.finish();
    let stdout = t.screen();
    assert!(
        !stdout.contains("exhale: ") && !stdout.contains("ALSA"),
        "nothing on stderr:\n{stdout}"
    );
    let evs = events(&stdout);
    let muted_at = evs
        .iter()
        .find_map(|(t, w)| (w == "muted").then_some(*t))
        .unwrap_or_else(|| panic!("no `muted` line:\n{stdout}"));
    assert!(
        evs.iter()
            .any(|(t, w)| w == "end" && *t > muted_at + Duration::from_secs(1)),
        "the mute came too late to test anything:\n{stdout}"
    );

    let rms = blocks(&left);
    // Place the session on the capture with the chimes before the mute.
    let before: Vec<(Duration, String)> = evs
        .iter()
        .filter(|(t, w)| {
            *t < muted_at && matches!(w.as_str(), "start" | "inhale" | "hold" | "exhale")
        })
        .cloned()
        .collect();
    let onsets = chimes_at(&rms, &before, &stdout);
    let offset = median_offset(&onsets, &before);
    let silent_from = (offset + block_of(muted_at + TOLERANCE + HELD) as f64) as usize;
    assert!(silent_from < rms.len(), "capture too short:\n{stdout}");
    let loud = rms[silent_from..]
        .iter()
        .enumerate()
        .find(|(_, v)| **v > 1.0);
    if let Some((i, v)) = loud {
        panic!(
            "sound {:.0} ms after `muted` (level {v:.0}):\n{stdout}",
            ms(i as f64) + (TOLERANCE + HELD).as_millis() as f64
        );
    }
}

#[test]
fn with_no_sound_card_plain_mode_shows_one_notice_and_nothing_else() {
    let _serial = lock();
    let rig = Rig::new();
    let conf = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/alsa/no-device.conf");
    // Everything on the terminal: any stray byte from ALSA or rodio would
    // show.
    let mut cmd = rig.command(&["--cycles", "1"]);
    cmd.env("ALSA_CONFIG_PATH", &conf);
    let mut t = Pty::spawn(cmd);
    // Twenty breaths a minute: the fast-breathing cautions come first.
    t.wait_for("Press Enter to begin", WAIT);
    t.send("\r");
    assert_eq!(t.exit_code(WAIT), 0);
    let screen = t.screen();
    let lines: Vec<&str> = screen
        .lines()
        .filter(|l| !l.trim().is_empty())
        .filter(|l| !l.starts_with("caution: ") && !l.starts_with("Press Enter to begin"))
        .collect();
    let notices: Vec<&&str> = lines.iter().filter(|l| l.starts_with("exhale: ")).collect();
    assert_eq!(
        notices,
        [&"exhale: no audio device: running silently"],
        "{screen}"
    );
    for l in &lines {
        let known = l.starts_with("exhale: ")
            || l.starts_with("practised ")
            || (l.len() > 11 && l.as_bytes()[2] == b':' && l.as_bytes()[5] == b'.');
        assert!(known, "stray line on screen: {l:?}\n{screen}");
    }
    assert!(
        lines.iter().any(|l| l.starts_with("practised ")),
        "{screen}"
    );
    let raw = String::from_utf8_lossy(&t.raw()).into_owned();
    assert!(!raw.contains("ALSA"), "{raw:?}");
}

/// A wood tick at every phase change, one a second, for half a minute:
/// the same short sound each time, so their loudness can be compared.
/// Fifteen breaths a minute, too slow for a caution to come first.
const TICKS: &str = r#"name = "Ticks"
settle = 0
sounds = { start = "none", inhale = "wood", hold = "wood", exhale = "wood", end = "none" }

[[block]]
kind = "breathe"
phases = [{ in = 1 }, { hold = 1 }, { out = 1 }, { hold = 1 }]
cycles = 8
"#;

/// Where each tick starts, in blocks: every onset, at least 300 ms apart.
fn ticks(rms: &[f64]) -> Vec<usize> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(b) = onset_in(rms, from..rms.len()) {
        found.push(b);
        from = b + block_of(Duration::from_millis(300));
    }
    found
}

/// The loudest 2 ms block of the tick that starts at block `b`.
fn peak(rms: &[f64], b: usize) -> f64 {
    rms[b..(b + block_of(Duration::from_millis(50))).min(rms.len())]
        .iter()
        .fold(0.0, |m, v| m.max(*v))
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

#[test]
fn in_the_full_screen_view_minus_turns_the_chimes_down_and_m_silences_them() {
    let _serial = lock();
    let rig = Rig::new();
    std::fs::write(rig.path("ticks.toml"), TICKS).expect("write");
    let cap = rig.capture();
    let mut t = Pty::spawn(rig.exhale(&["run", "ticks.toml", "--no-journal"]));
    t.wait_for("Breathe in", WAIT);
    let frames = |d: f64| (d * RATE as f64) as usize;
    let settle = frames(2.3);
    // Two ticks or more at the starting volume (70%: the default).
    cap.wait_frames(cap.frames() + settle, WAIT);
    let turned_down_from = cap.frames();
    for _ in 0..4 {
        t.send("-");
    }
    let s = t.wait_for("volume 30%", WAIT);
    assert!(!s.contains("no audio device"), "{s}");
    let turned_down = cap.frames();
    cap.wait_frames(turned_down + settle, WAIT);
    let muted_from = cap.frames();
    t.send("m");
    t.wait_for("muted", WAIT);
    let muted = cap.frames();
    cap.wait_frames(muted + settle, WAIT);
    t.send(keys::CTRL_C);
    assert_eq!(t.exit_code(WAIT), 130);
    let left = cap.finish();

    let rms = blocks(&left);
    let block = |frame: usize| frame / BLOCK;
    // What the device still held when the screen changed reaches the
    // capture up to a few tens of milliseconds later.
    let latency = block_of(Duration::from_millis(150));
    let tick_len = block_of(Duration::from_millis(50));
    let found = ticks(&rms);
    let loud: Vec<f64> = found
        .iter()
        .filter(|b| **b + tick_len < block(turned_down_from))
        .map(|b| peak(&rms, *b))
        .collect();
    let soft: Vec<f64> = found
        .iter()
        .filter(|b| **b > block(turned_down) + latency && **b + tick_len < block(muted_from))
        .map(|b| peak(&rms, *b))
        .collect();
    eprintln!("ticks at 70%: {loud:.0?}; at 30%: {soft:.0?}");
    assert!(
        loud.len() >= 2 && soft.len() >= 2,
        "too few ticks heard: {found:?} (down at block {}, muted at {})",
        block(turned_down),
        block(muted)
    );
    // The gain is the volume squared: (0.3 / 0.7)^2 = 0.18.
    let ratio = median(soft) / median(loud);
    assert!(
        (0.12..0.26).contains(&ratio),
        "at 30% the ticks should be about 0.18 as loud as at 70%, not {ratio:.2}"
    );
    let after_mute = block(muted) + latency;
    assert!(after_mute + block_of(Duration::from_secs(2)) < rms.len());
    if let Some((i, v)) = rms[after_mute..]
        .iter()
        .enumerate()
        .find(|(_, v)| **v > 1.0)
    {
        panic!(
            "sound {:.0} ms after the screen said `muted` (level {v:.0})",
            ms((i + latency) as f64)
        );
    }
}

/// Eight seconds of silence but for the bed: no chime at all.
const BED_SESSION: &str = r#"name = "Bed"
settle = 0
sounds = { start = "none", end = "none", bell = "none", prompt = "none" }

[[block]]
kind = "meditate"
duration = "8s"
"#;

/// Loudness (RMS, of 32767) of each 100 ms window.
fn windows(left: &[i16]) -> Vec<f64> {
    left.chunks(RATE / 10)
        .map(|c| {
            let sum: f64 = c.iter().map(|s| f64::from(*s).powi(2)).sum();
            (sum / c.len() as f64).sqrt()
        })
        .collect()
}

#[test]
fn the_bed_fades_in_plays_at_its_volume_and_fades_out_at_the_end() {
    let _serial = lock();
    let rig = Rig::new();
    std::fs::write(rig.path("bed.toml"), BED_SESSION).expect("write");
    rig.home
        .write_config("[sound]\nvolume = 1.0\nbed = \"pink\"\nbed_volume = 0.5\n");
    let cap = rig.capture();
    let out = rig
        .exhale(&["run", "--plain", "--no-journal", "bed.toml"])
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("run");
    let left = cap.finish();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert_eq!(stderr, "");
    let w = windows(&left);
    let onset = w
        .iter()
        .position(|v| *v > 20.0)
        .unwrap_or_else(|| panic!("no bed heard in {} windows\n{stdout}", w.len()));
    // The texture's level (0.12 of full scale) under a master volume of
    // 1 and bed_volume = 0.5, squared like every volume: 0.12 × 0.25.
    let want = 0.12 * 0.25 * 32767.0;
    let steady = median(w[onset + 40..onset + 70].to_vec());
    eprintln!(
        "bed: {steady:.0} (want about {want:.0}); windows from the onset: {:.0?}",
        &w[onset..]
    );
    assert!(
        (0.75..1.25).contains(&(steady / want)),
        "the bed plays at {steady:.0}, not about {want:.0}"
    );
    // Fading in over 3 s: quiet at first, about half way at 1.5 s.
    let first: f64 = w[onset..onset + 5].iter().sum::<f64>() / 5.0;
    assert!(first < 0.3 * steady, "starts at {first:.0} of {steady:.0}");
    let half = w[onset + 14..onset + 17].iter().sum::<f64>() / 3.0;
    assert!(
        (0.25..0.8).contains(&(half / steady)),
        "1.5 s in: {half:.0} of {steady:.0}"
    );
    // Fading out after the end at 8 s, to silence, not cut off.
    let last = w
        .iter()
        .rposition(|v| *v > 0.05 * steady)
        .expect("a last sound");
    let full_until = w[..last]
        .iter()
        .rposition(|v| *v > 0.8 * steady)
        .expect("the steady part");
    let fade = (last - full_until) as f64 / 10.0;
    assert!(
        (1.5..3.6).contains(&fade),
        "the fade-out took {fade:.1} s: {:.0?}",
        &w[full_until..]
    );
    assert!(
        w[last] < 0.15 * steady,
        "cut off at {:.0} of {steady:.0}",
        w[last]
    );
    let span = (last - onset) as f64 / 10.0;
    assert!(
        (9.5..11.8).contains(&span),
        "the bed lasted {span:.1} s: 8 s of session and the fade-out"
    );
}

#[test]
fn with_bed_none_nothing_plays_whatever_the_session_says() {
    let _serial = lock();
    let rig = Rig::new();
    let short = BED_SESSION.replace("8s", "3s");
    // The config's none, and a session's rain under --bed none.
    std::fs::write(rig.path("quiet.toml"), &short).expect("write");
    let rainy = short.replace("settle = 0\n", "settle = 0\nbed = \"rain\"\n");
    std::fs::write(rig.path("rainy.toml"), rainy).expect("write");
    rig.home.write_config("[sound]\nbed = \"none\"\n");
    for args in [
        &["run", "--plain", "--no-journal", "quiet.toml"][..],
        &[
            "run",
            "--plain",
            "--no-journal",
            "rainy.toml",
            "--bed",
            "none",
        ][..],
    ] {
        let cap = rig.capture();
        let out = rig.exhale(args).stdin(Stdio::null()).output().expect("run");
        let left = cap.finish();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{args:?}: {stdout}");
        assert!(stdout.contains("  end"), "{stdout}");
        assert!(
            left.len() > RATE,
            "{args:?}: captured only {} frames",
            left.len()
        );
        assert!(
            left.iter().all(|s| *s == 0),
            "{args:?}: {} non-zero samples",
            left.iter().filter(|s| **s != 0).count()
        );
    }
}

/// Two seconds a phase, so the voice counts "2" one second into each;
/// the end plays the short wood tick, which the voice's "well done"
/// replaces.
const VOICED: &str = r#"name = "Voiced"
settle = 0
sounds = { start = "wood", end = "wood", voice = "default", count = true }

[[block]]
kind = "breathe"
phases = [{ in = 2 }, { hold = 2 }, { out = 2 }]
cycles = 1
"#;

/// The clips of the default voice start speaking within this of their
/// start (`the_default_voice_pack_is_complete_small_and_speaks_at_once`).
const CLIP_LEAD: Duration = Duration::from_millis(50);

#[test]
fn the_voice_speaks_each_phase_and_counts_on_the_second_and_none_leaves_the_chimes() {
    let _serial = lock();
    let rig = Rig::new();
    std::fs::write(rig.path("voiced.toml"), VOICED).expect("session");
    let run = |extra: &[&str]| {
        let cap = rig.capture();
        let out = rig
            .exhale(&["run", "--plain", "--no-journal", "voiced.toml"])
            .args(extra)
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .output()
            .expect("run");
        let left = cap.finish();
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        assert!(out.status.success(), "{stdout}");
        (blocks(&left), stdout)
    };

    let (rms, stdout) = run(&[]);
    let phases: Vec<(Duration, String)> = events(&stdout)
        .into_iter()
        .filter(|(_, w)| matches!(w.as_str(), "inhale" | "hold" | "exhale" | "end"))
        .collect();
    let words: Vec<&str> = phases.iter().map(|(_, w)| w.as_str()).collect();
    assert_eq!(words, ["inhale", "hold", "exhale", "end"], "{stdout}");
    // Each phase word, then "2" a second later; then "well done".
    let mut spoken: Vec<(Duration, String)> = Vec::new();
    for (t, w) in &phases {
        spoken.push((*t, w.clone()));
        if w != "end" {
            spoken.push((*t + Duration::from_secs(1), format!("2 after {w}")));
        }
    }
    let onsets = chimes_at(&rms, &spoken, &stdout);
    let offset = median_offset(&onsets, &spoken);
    for ((t, word), found) in spoken.iter().zip(&onsets) {
        let off = ms(*found as f64 - offset - block_of(*t) as f64);
        eprintln!("{word:>12} at {t:?}: {off:+.0} ms");
        assert!(
            off.abs() <= (TOLERANCE + CLIP_LEAD).as_millis() as f64,
            "{word} at {t:?}: the voice starts {off:+.0} ms from where the others put it\n{stdout}"
        );
    }

    // `voice_volume = 0.5`: the count "2" a second in, where nothing else
    // sounds, at a quarter of the amplitude (the volume squared, like
    // every volume).
    let loudest = |rms: &[f64], from: usize| {
        rms[from..(from + block_of(Duration::from_millis(600))).min(rms.len())]
            .iter()
            .fold(0.0_f64, |m, v| m.max(*v))
    };
    let full = loudest(&rms, onsets[1]);
    rig.home.write_config("[sound]\nvoice_volume = 0.5\n");
    let (soft_rms, soft_out) = run(&[]);
    let soft_phases: Vec<(Duration, String)> = events(&soft_out)
        .into_iter()
        .filter(|(_, w)| matches!(w.as_str(), "inhale" | "hold" | "exhale" | "end"))
        .collect();
    let soft_onsets = chimes_at(&soft_rms, &soft_phases, &soft_out);
    let soft_offset = median_offset(&soft_onsets, &soft_phases);
    let two = (block_of(Duration::from_secs(1)) as f64 + soft_offset) as usize;
    let soft = loudest(
        &soft_rms,
        two.saturating_sub(block_of(Duration::from_millis(60))),
    );
    let ratio = soft / full;
    assert!(
        (0.18..0.33).contains(&ratio),
        "voice_volume = 0.5 should play the voice at a quarter of the amplitude: {soft:.0} against {full:.0} ({ratio:.2})"
    );
    rig.home.write_config("");

    // `--voice none`: the chimes at the phases, and nothing between them
    // where the counts were.
    let (rms, stdout) = run(&["--voice", "none"]);
    let phases: Vec<(Duration, String)> = events(&stdout)
        .into_iter()
        .filter(|(_, w)| matches!(w.as_str(), "start" | "inhale" | "hold" | "exhale" | "end"))
        .collect();
    let onsets = chimes_at(&rms, &phases, &stdout);
    let offset = median_offset(&onsets, &phases);
    for (t, w) in phases.iter().filter(|(_, w)| w != "start" && w != "end") {
        let count = block_of(*t + Duration::from_secs(1)) as f64 + offset;
        let window = count as usize..count as usize + block_of(Duration::from_millis(300));
        assert_eq!(
            onset_in(&rms, window),
            None,
            "something started where the count after {w} would be, with --voice none\n{stdout}"
        );
    }
}

/// Two breaths of 2 s in, 1 s hold, 2 s out, and no chime at all: only
/// the pacing sound.
const PACE_SESSION: &str = r#"name = "Pace"
settle = 0
sounds = { start = "none", end = "none", inhale = "none", exhale = "none", hold = "none" }

[[block]]
kind = "breathe"
phases = [{ in = 2 }, { hold = 1 }, { out = 2 }]
cycles = 2
"#;

/// Run the pacing session with `--pacing sound`; the left channel and
/// the block where the sound starts.
fn paced_run(sound: &str) -> (Vec<i16>, usize) {
    let rig = Rig::new();
    std::fs::write(rig.path("pace.toml"), PACE_SESSION).expect("write");
    rig.home
        .write_config("[sound]\nvolume = 1.0\npacing_volume = 1.0\n");
    let cap = rig.capture();
    let out = rig
        .exhale(&[
            "run",
            "--plain",
            "--no-journal",
            "pace.toml",
            "--pacing",
            sound,
        ])
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("run");
    let left = cap.finish();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert_eq!(stderr, "");
    let onset = blocks(&left)
        .iter()
        .position(|v| *v > FLOOR)
        .unwrap_or_else(|| panic!("no pacing sound heard\n{stdout}"));
    (left, onset * BLOCK)
}

#[test]
fn the_pacing_tone_lasts_each_phase_rising_through_inhales_and_falling_through_exhales() {
    let _serial = lock();
    let (left, start) = paced_run("tone");
    let at = |secs: f64| start + (secs * RATE as f64) as usize;
    let span = RATE / 5;
    let w = windows(&left[start..]);
    // The tone's peak is 0.25 of full scale: an RMS of about 5800.
    for (i, v) in w.iter().enumerate().take(99).skip(2) {
        assert!(
            *v > 2500.0,
            "the tone drops to {v:.0} at {:.1} s: {w:.0?}",
            i as f64 / 10.0
        );
    }
    for cycle in 0..2 {
        let c = f64::from(cycle) * 5.0;
        let (r0, r1) = (
            pitch(&left, at(c + 0.2), span),
            pitch(&left, at(c + 1.6), span),
        );
        let hold = pitch(&left, at(c + 2.3), 2 * span);
        let (f0, f1) = (
            pitch(&left, at(c + 3.2), span),
            pitch(&left, at(c + 4.6), span),
        );
        eprintln!(
            "cycle {cycle}: in {r0:.0} -> {r1:.0} Hz, hold {hold:.0} Hz, out {f0:.0} -> {f1:.0} Hz"
        );
        assert!(r1 > r0 * 1.4, "the inhale rises: {r0:.0} then {r1:.0} Hz");
        assert!(
            (hold / 392.0 - 1.0).abs() < 0.08,
            "the hold rests an octave up: {hold:.0} Hz"
        );
        assert!(f1 < f0 / 1.4, "the exhale falls: {f0:.0} then {f1:.0} Hz");
    }
    // And it ends with the session, fading rather than cut off.
    let last = left
        .iter()
        .rposition(|s| s.abs() > 8)
        .expect("a last sample");
    let ended = (last - start) as f64 / RATE as f64;
    assert!(
        (10.0..10.4).contains(&ended),
        "the tone ends {ended:.2} s after it began, not with the session"
    );
    let tail = left[last - RATE / 200..=last]
        .iter()
        .fold(0_i16, |m, s| m.max(s.abs()));
    assert!(tail < 400, "cut off at {tail} rather than faded");
}

#[test]
fn the_pacing_noise_brightens_through_inhales_and_darkens_through_exhales() {
    let _serial = lock();
    let (left, start) = paced_run("noise");
    let at = |secs: f64| start + (secs * RATE as f64) as usize;
    let span = RATE * 2 / 5;
    for cycle in 0..2 {
        let c = f64::from(cycle) * 5.0;
        let (r0, r1) = (
            pitch(&left, at(c + 0.1), span),
            pitch(&left, at(c + 1.5), span),
        );
        let (f0, f1) = (
            pitch(&left, at(c + 3.1), span),
            pitch(&left, at(c + 4.5), span),
        );
        eprintln!("cycle {cycle}: in {r0:.0} -> {r1:.0}, out {f0:.0} -> {f1:.0} crossings/s");
        assert!(r1 > r0 * 1.5, "the inhale brightens: {r0:.0} then {r1:.0}");
        assert!(f1 < f0 / 1.5, "the exhale darkens: {f0:.0} then {f1:.0}");
    }
}

/// A prompt two seconds in, said aloud; the start plays the short wood
/// tick, which places the session on the capture, and the end (at five
/// seconds) too, after which the summary is said.
const SPOKEN: &str = r#"name = "Spoken"
settle = 0
sounds = { start = "wood", end = "wood", prompt = "wood", speak = true }

[[block]]
kind = "meditate"
duration = 5
prompts = [{ at = 2, text = "Notice the breath, wherever you feel it." }]
"#;

/// How long sound lasts from block `from`: until 100 ms pass below the floor.
fn sounding(rms: &[f64], from: usize) -> Duration {
    let quiet = block_of(Duration::from_millis(100));
    let mut run = 0;
    for (i, v) in rms.iter().enumerate().skip(from) {
        run = if *v < FLOOR { run + 1 } else { 0 };
        if run >= quiet {
            return Duration::from_secs_f64(ms((i + 1 - quiet - from) as f64) / 1000.0);
        }
    }
    Duration::from_secs_f64(ms((rms.len() - from) as f64) / 1000.0)
}

#[test]
fn a_spoken_prompt_is_heard_on_time_and_without_a_synthesiser_its_chime_plays() {
    let _serial = lock();
    let rig = Rig::new();
    std::fs::write(rig.path("spoken.toml"), SPOKEN).expect("session");
    let run = |path: Option<&Path>| {
        let cap = rig.capture();
        let mut cmd = rig.exhale(&["run", "--plain", "--no-journal", "spoken.toml"]);
        if let Some(p) = path {
            cmd.env("PATH", p);
        }
        let out = cmd.stdin(Stdio::null()).output().expect("run");
        let left = cap.finish();
        assert!(out.status.success(), "{out:?}");
        (
            blocks(&left),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let at = |rms: &[f64], stdout: &str, what: &str| {
        let start = onset_in(rms, 0..block_of(Duration::from_secs(2))).expect("the start tick");
        let due = start + block_of(Duration::from_secs(2));
        let window = due.saturating_sub(block_of(TOLERANCE))..due + block_of(TOLERANCE + CLIP_LEAD);
        let found = onset_in(rms, window)
            .unwrap_or_else(|| panic!("{what}: nothing at the prompt\n{stdout}"));
        (found, ms(found as f64 - due as f64))
    };

    // No synthesiser to be found: the prompt's wood tick, and a notice.
    let empty = tempfile::tempdir().expect("tempdir");
    let (rms, stdout, stderr) = run(Some(empty.path()));
    assert!(
        stderr.contains("spoken prompts need the espeak-ng program"),
        "{stderr}"
    );
    let (found, _) = at(&rms, &stdout, "without a synthesiser");
    let tick = sounding(&rms, found);
    assert!(
        tick < Duration::from_millis(600),
        "the wood tick lasted {tick:?}"
    );
    // The summary is said 1.5 s after the end (five seconds in): where
    // nothing can speak, nothing is heard after the end's tick.
    let start = onset_in(&rms, 0..block_of(Duration::from_secs(2))).expect("the start tick");
    let summary_at = start + block_of(Duration::from_millis(6500));
    let after_end = |rms: &[f64]| {
        onset_in(
            rms,
            summary_at.saturating_sub(block_of(Duration::from_millis(300)))
                ..summary_at + block_of(Duration::from_secs(2)),
        )
    };
    assert_eq!(after_end(&rms), None, "silence after the end\n{stdout}");

    let has_espeak = std::process::Command::new("espeak-ng")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !has_espeak {
        eprintln!("espeak-ng not installed: the spoken half is skipped");
        return;
    }
    let (rms, stdout, stderr) = run(None);
    assert!(!stderr.contains("espeak-ng"), "{stderr}");
    let (found, off) = at(&rms, &stdout, "spoken");
    let said = sounding(&rms, found);
    eprintln!("prompt spoken {off:+.0} ms from its time, for {said:?}");
    assert!(
        said > tick * 2 && said > Duration::from_millis(500),
        "a sentence takes longer than the tick ({tick:?}): {said:?}"
    );
    // And the summary after the end: a sentence, on its moment.
    let summary = after_end(&rms).unwrap_or_else(|| panic!("no summary said\n{stdout}"));
    let long = sounding(&rms, summary);
    let start = onset_in(&rms, 0..block_of(Duration::from_secs(2))).expect("the start tick");
    let off = ms(summary as f64 - (start + block_of(Duration::from_millis(6500))) as f64);
    eprintln!("summary said {off:+.0} ms from its time, for {long:?}");
    assert!(
        long > Duration::from_secs(1),
        "the summary is a sentence: {long:?}"
    );
    assert!(
        off.abs() <= (TOLERANCE + CLIP_LEAD).as_millis() as f64,
        "the summary is said {off:+.0} ms from its moment\n{stdout}"
    );
}

#[test]
fn m_silences_the_bed_at_once() {
    let _serial = lock();
    let rig = Rig::new();
    std::fs::write(rig.path("bed.toml"), BED_SESSION).expect("write");
    rig.home
        .write_config("[sound]\nvolume = 1.0\nbed = \"pink\"\nbed_volume = 0.5\n");
    let cap = rig.capture();
    let mut t = Pty::spawn(rig.exhale(&["run", "--plain", "--no-journal", "bed.toml"]));
    t.wait_for("  start", WAIT);
    // Two seconds of the bed fading in, then `m`.
    cap.wait_frames(cap.frames() + 2 * RATE, WAIT);
    let before = cap.frames();
    t.send("m\r");
    t.wait_for("muted", WAIT);
    let muted = cap.frames();
    assert_eq!(t.exit_code(pty::secs(20)), 0);
    let left = cap.finish();
    let w = windows(&left);
    let heard = w[..before / (RATE / 10)]
        .iter()
        .fold(0.0_f64, |m, v| m.max(*v));
    assert!(
        heard > 200.0,
        "the bed was not heard before `m`: {heard:.0}"
    );
    // What the device held when the line showed reaches the capture up
    // to a few tens of milliseconds later.
    let from = (muted + RATE * 15 / 100) / (RATE / 10) + 1;
    assert!(
        from + 40 < w.len(),
        "the capture ends too soon: {}",
        w.len()
    );
    if let Some((i, v)) = w[from..].iter().enumerate().find(|(_, v)| **v > 1.0) {
        panic!(
            "the bed still sounds {:.1} s after `muted` (level {v:.0})",
            (i + from) as f64 / 10.0 - muted as f64 / RATE as f64
        );
    }
}

#[test]
fn in_the_full_screen_view_a_pause_silences_the_pacing_tone_and_resuming_picks_it_up_mid_breath() {
    let _serial = lock();
    let rig = Rig::new();
    std::fs::write(rig.path("pace.toml"), PACE_SESSION).expect("write");
    rig.home
        .write_config("[sound]\nvolume = 1.0\npacing_volume = 1.0\n");
    let cap = rig.capture();
    let mut t = Pty::spawn(rig.exhale(&["run", "pace.toml", "--no-journal", "--pacing", "tone"]));
    t.wait_for("Breathe in", WAIT);
    // About a second into the 2 s inhale, pause for a second and a half.
    cap.wait_frames(cap.frames() + RATE, WAIT);
    t.send(" ");
    t.wait_for("Paused", WAIT);
    let paused = cap.frames();
    cap.wait_frames(paused + RATE * 3 / 2, WAIT);
    let resumed_from = cap.frames();
    t.send(" ");
    t.wait_until(|s| !s.contains("Paused"), "the session resumes", WAIT);
    let resumed = cap.frames();
    cap.wait_frames(resumed + RATE, WAIT);
    t.send(keys::CTRL_C);
    assert_eq!(t.exit_code(WAIT), 130);
    let left = cap.finish();

    // Heard before the pause; silent through it (once what the device
    // held has played).
    let w = windows(&left);
    let tenth = RATE / 10;
    assert!(
        w[..paused / tenth].iter().any(|v| *v > 2500.0),
        "no tone before the pause: {:.0?}",
        &w[..paused / tenth]
    );
    let quiet = (paused + RATE * 3 / 10) / tenth..resumed_from / tenth;
    assert!(
        w[quiet.clone()].iter().all(|v| *v < 1.0),
        "the tone sounds while paused: {:.0?}",
        &w[quiet]
    );
    // Back where the inhale stood, part way up: not from its start
    // (196 Hz), not at its top (392 Hz).
    let sounding = (resumed_from..left.len())
        .step_by(tenth)
        .find(|i| {
            let c = &left[*i..(*i + tenth).min(left.len())];
            c.iter().map(|s| f64::from(*s).powi(2)).sum::<f64>() / c.len() as f64
                > 2500.0_f64.powi(2)
        })
        .expect("the tone comes back after the pause");
    let back = pitch(&left, sounding, RATE / 10);
    eprintln!(
        "paused at frame {paused}, resumed at {resumed}; the tone comes back at {back:.0} Hz"
    );
    assert!(
        (225.0..370.0).contains(&back),
        "the tone should come back mid-breath, not at {back:.0} Hz"
    );
}

/// How far from its moment a sound may be heard (issue 13's goal).
const ONSET: Duration = Duration::from_millis(20);

/// Each chime is heard on its moment, not an output buffer later: the
/// front end hands it to the player ahead, and the stream starts it on its
/// sample. The moment is when its line reaches this test (plain mode
/// prints each line when its event is due), and "heard" is where the
/// capture, read in real time, has got to then. A line the test reads
/// late (a busy machine) makes its chime look early, never late, so the
/// median of the events is checked against the goal, and each one against
/// the looser tolerance of the other tests.
///
/// This runs the capture session with `extra` arguments and returns, for
/// each line of an event (start, each phase, end), how long after the
/// line reaches the test its sound is heard, in ms, sorted.
fn heard_after_lines(rig: &Rig, extra: &[&str]) -> Vec<f64> {
    use std::io::BufRead as _;
    let cap = rig.capture();
    let mut child = rig
        .command(extra)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .expect("run");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = Vec::new();
    for line in std::io::BufReader::new(stdout).lines() {
        let line = line.expect("line");
        lines.push((cap.frames(), line));
    }
    assert!(child.wait().expect("wait").success());
    let left = cap.finish();
    let rms = blocks(&left);
    let text = lines
        .iter()
        .map(|(_, l)| l.as_str())
        .collect::<Vec<_>>()
        .join("\n");
    let mut from = 0;
    let mut offsets = Vec::new();
    for (frame, line) in &lines {
        let word = line.split_whitespace().nth(1).unwrap_or("");
        if !matches!(word, "start" | "inhale" | "hold" | "exhale" | "end") {
            continue;
        }
        let b = frame / BLOCK;
        // From 50 ms before the line: a sound heard early is found too.
        let on = onset_in(&rms, b.saturating_sub(25).max(from)..b + 500)
            .unwrap_or_else(|| panic!("{word}: nothing heard after its line\n{text}"));
        from = on + 1;
        let off = ms(on as f64 - b as f64);
        eprintln!("{word:>7}: heard {off:+.0} ms after its line");
        offsets.push(off);
    }
    assert_eq!(offsets.len(), 8, "start, six phases, end\n{text}");
    offsets.sort_by(f64::total_cmp);
    offsets
}

/// The median of [`heard_after_lines`] for `extra`, checked against the
/// goal, and each event against the looser tolerance of the other tests.
///
/// The rig's reader starts its clock at the first byte it reads, while
/// exhale counts from the first buffer it writes; now and then (two full
/// suites in eight here, never when the file runs alone) the reader's
/// first read came 130 ms late and every sound of that run measured late
/// by the same amount. So a run that misses is measured once more; a
/// player that is late is late in both.
fn check_onsets(rig: &Rig, extra: &[&str], what: &str) {
    let mut medians = Vec::new();
    for _ in 0..2 {
        let offsets = heard_after_lines(rig, extra);
        let median = f64::midpoint(offsets[3], offsets[4]);
        let within = offsets
            .iter()
            .all(|o| o.abs() <= (TOLERANCE + CLIP_LEAD).as_millis() as f64);
        if within && median.abs() <= ONSET.as_millis() as f64 {
            return;
        }
        eprintln!("{what}: median {median:+.0} ms, offsets {offsets:?}");
        medians.push(median);
    }
    panic!("{what} heard {medians:?} ms from their moments (median of each run)");
}

#[test]
fn every_chime_is_heard_within_20_ms_of_its_moment() {
    let _serial = lock();
    check_onsets(&Rig::new(), &[], "the chimes");
}

/// The same for the default voice: each phase word ("breathe in", "hold",
/// "breathe out") is heard on its moment, like a chime. What is heard
/// first of a clip is its first syllable, which the pack's trimming puts
/// within a few milliseconds of the clip's start.
#[test]
fn every_voice_clip_is_heard_within_20_ms_of_its_moment() {
    let _serial = lock();
    check_onsets(&Rig::new(), &["--voice", "default"], "the voice clips");
}

/// One breath in through the right, out through the left, with only the
/// pacing tone sounding (every chime is "none").
const PANNED: &str = r#"name = "Panned"
settle = 0
pacing = "tone"
sounds = { start = "none", end = "none", inhale = "none", exhale = "none", hold = "none" }

[[block]]
kind = "breathe"
phases = [{ in = 2, pan = "right" }, { out = 2, pan = "left" }]
cycles = 1
"#;

#[test]
fn a_right_panned_phase_is_silent_on_the_left_and_a_left_panned_one_is_heard_there() {
    let _serial = lock();
    let rig = Rig::new();
    std::fs::write(rig.path("panned.toml"), PANNED).expect("write");
    rig.home
        .write_config("[sound]\nvolume = 1.0\npacing_volume = 1.0\n");
    let cap = rig.capture();
    let out = rig
        .exhale(&["run", "--plain", "--no-journal", "panned.toml"])
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .output()
        .expect("run");
    let (left, right) = cap.finish_stereo();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    let start = blocks(&right)
        .iter()
        .position(|v| *v > FLOOR)
        .unwrap_or_else(|| panic!("no pacing tone on the right\n{stdout}"))
        * BLOCK;
    let at = |secs: f64| (start + (secs * RATE as f64) as usize).min(left.len());
    let loud = |s: &[i16]| {
        let sum: f64 = s.iter().map(|x| f64::from(*x).powi(2)).sum();
        (sum / s.len().max(1) as f64).sqrt()
    };
    let (in_l, in_r) = (
        loud(&left[at(0.2)..at(1.8)]),
        loud(&right[at(0.2)..at(1.8)]),
    );
    let (out_l, out_r) = (
        loud(&left[at(2.2)..at(3.8)]),
        loud(&right[at(2.2)..at(3.8)]),
    );
    eprintln!("in: left {in_l:.0}, right {in_r:.0}; out: left {out_l:.0}, right {out_r:.0}");
    assert!(in_r > 2500.0, "the inhale is heard on the right: {in_r:.0}");
    assert!(
        in_l < 20.0,
        "the right-panned inhale is silent on the left: {in_l:.0}"
    );
    assert!(
        out_l > 2500.0,
        "the left-panned exhale is heard on the left: {out_l:.0}"
    );
    assert!(out_r < 20.0, "and silent on the right: {out_r:.0}");
}
