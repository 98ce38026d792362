//! Plain mode prints each event when it happens: the time printed at the
//! start of a line must match when the line actually arrived, measured from
//! outside by the test, within 50 ms.

use std::io::{BufRead as _, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const SESSION: &str = r#"
name = "Timing"
settle = 0
[[block]]
kind = "breathe"
phases = [{ in = 1 }, { hold = 1 }, { out = 1 }, { hold = 1 }]
cycles = 2
[[block]]
kind = "meditate"
duration = "2s"
bells = { start = true, every = "1s", end = true }
prompts = [{ at = "0:01", text = "Notice the breath" }]
"#;

/// Parse `00:04.000` (or `1:02:03.000`) at the start of a line.
fn printed_time(line: &str) -> Option<Duration> {
    let stamp = line.split_whitespace().next()?;
    let (clock, frac) = stamp.split_once('.')?;
    let mut secs = 0u64;
    for part in clock.split(':') {
        secs = secs * 60 + part.parse::<u64>().ok()?;
    }
    Some(Duration::from_secs(secs) + Duration::from_millis(frac.parse().ok()?))
}

#[test]
fn every_printed_time_matches_its_arrival_within_50ms() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("timing.toml");
    std::fs::write(&file, SESSION).expect("write session");
    let mut child = Command::new(env!("CARGO_BIN_EXE_exhale"))
        .args(["run", "--plain", "--no-sound"])
        .arg(&file)
        .env("HOME", dir.path())
        .env("XDG_CONFIG_HOME", dir.path().join("config"))
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .env("EXHALE_MACHINE", "test")
        .env_remove("NO_COLOR")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start exhale");
    let stdout = child.stdout.take().expect("stdout");
    let mut arrivals = Vec::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("read line");
        arrivals.push((Instant::now(), line));
    }
    assert!(child.wait().expect("exit").success());

    let timed: Vec<(Instant, Duration, String)> = arrivals
        .into_iter()
        .filter_map(|(at, l)| printed_time(&l).map(|t| (at, t, l)))
        .collect();
    assert!(
        timed.len() >= 14,
        "expected every event on its own line, got {timed:#?}"
    );
    let (origin, zero, _) = &timed[0];
    assert_eq!(
        *zero,
        Duration::ZERO,
        "the first line is the start at 00:00.000"
    );
    let mut worst = Duration::ZERO;
    for (at, printed, line) in &timed {
        let observed = at.duration_since(*origin);
        let error = observed.abs_diff(*printed);
        worst = worst.max(error);
        assert!(
            error <= Duration::from_millis(50),
            "`{line}` arrived {observed:?} after the start, printed {printed:?}"
        );
    }
    // The schedule itself: phase changes every second, the sit's bells and
    // prompt at their offsets, the end at 10 s.
    let printed: Vec<(u128, &str)> = timed
        .iter()
        .map(|(_, t, l)| (t.as_millis(), l.split_whitespace().nth(1).unwrap_or("")))
        .collect();
    for (ms, word) in [
        (0, "inhale"),
        (1000, "hold"),
        (2000, "exhale"),
        (3000, "hold"),
        (4000, "inhale"),
        (8000, "sit"),
        (8000, "bell"),
        (9000, "bell"),
        (9000, "prompt"),
        (10_000, "bell"),
        (10_000, "end"),
    ] {
        assert!(
            printed.contains(&(ms, word)),
            "missing `{word}` at {ms} ms in {printed:?}"
        );
    }
    eprintln!("worst error: {worst:?}");
}
