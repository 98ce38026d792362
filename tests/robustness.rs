//! No input makes `check` panic, hang or take more than a second: random
//! bytes, random TOML-like text, and mutations of the valid corpus and the
//! built-in sessions go through `format::check_bytes`; whatever comes out
//! valid is compiled and played to its end through a `Player`, with skips.
//!
//! The default case count keeps this to a few seconds in a debug build.
//! For a longer hunt: `PROPTEST_CASES=20000 cargo test --release --test robustness`.
//! Failing seeds are kept in `tests/robustness.proptest-regressions`.

use std::time::{Duration, Instant};

use exhale::engine::Timeline;
use exhale::engine::player::{Ending, Player};
use exhale::format::{BuiltinSoundNames, check_bytes};
use proptest::prelude::*;

const LIMIT: Duration = Duration::from_secs(1);

/// CPU time this thread has used: what a check costs, whatever else the
/// machine is doing (wall time on a busy 2-core CI machine measures the
/// other jobs too).
#[allow(unsafe_code)] // one libc call with a valid out-pointer
fn thread_cpu() -> Duration {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `ts` is a valid, writable timespec for the call's duration.
    let rc = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &raw mut ts) };
    assert_eq!(rc, 0, "clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
    Duration::new(
        u64::try_from(ts.tv_sec).unwrap_or_default(),
        u32::try_from(ts.tv_nsec).unwrap_or_default(),
    )
}

/// Check `bytes`; when valid, compile and play the session to its end.
fn exercise(bytes: &[u8]) {
    let started = thread_cpu();
    let (_, checked) = check_bytes(bytes, &BuiltinSoundNames);
    let took = thread_cpu().saturating_sub(started);
    assert!(
        took < LIMIT,
        "check took {took:?} of CPU on:\n{}",
        String::from_utf8_lossy(bytes)
    );
    if checked.has_errors() {
        assert!(checked.session.is_none());
        for d in &checked.diagnostics {
            // Rendering must not panic either, whatever the span.
            let _ = d.render("x.toml", &String::from_utf8_lossy(bytes));
        }
        return;
    }
    let Some(session) = checked.session else {
        panic!("no errors but no session");
    };
    for settle in [Duration::ZERO, Duration::from_secs(5)] {
        let tl = Timeline::compile(&session, settle);
        let planned = tl.planned();
        let n = tl.segments.len();
        let t0 = Instant::now();
        let mut player = Player::new(tl, t0);
        // Poll in about 40 uneven steps, skipping now and then, then past
        // the end.
        let step = planned / 37 + Duration::from_millis(1);
        let mut now = t0;
        let mut events = 0_usize;
        for i in 0..40 {
            now += step;
            events += player.poll(now).len();
            if i % 7 == 3 {
                player.skip(now);
            }
            if i % 11 == 5 {
                player.end_open(now);
            }
        }
        now += planned + Duration::from_secs(1);
        events += player.poll(now).len();
        assert!(player.finished(now));
        let tl = player.schedule().timeline();
        let bells: usize = tl
            .block_bells
            .iter()
            .map(|b| b.times.len() + usize::from(b.at_end))
            .sum();
        assert!(events <= n + 2 + tl.marks.len() + bells);
        let o = player.outcome(now, Ending::Completed);
        assert!(o.practised <= planned);
    }
}

/// Pieces of session files, to build text that is nearly valid.
const PIECES: &[&str] = &[
    "name = \"x\"\n",
    "[[block]]\n",
    "kind = \"breathe\"\n",
    "kind = \"retention\"\n",
    "kind = \"meditate\"\n",
    "phases = [{ in = 4 }, { out = 6 }]\n",
    "phases = [{ in = 4, to = 8 }, { hold = 2, to = 1, step = 0.5, every = 2 }]\n",
    "cycles = 3\n",
    "cycles = 100000\n",
    "minutes = 5\n",
    "minutes = 1440\n",
    "duration = \"1h\"\n",
    "duration = \"0:0.1\"\n",
    "rounds = 2\nbreaths = 3\n",
    "retention = { cap = 30 }\n",
    "recovery = [{ in = 2 }, { hold = 15 }]\n",
    "open = true\n",
    "cap = \"2h\"\n",
    "bells = { start = true, end = true, every = 1, at = [0, \"1m\"] }\n",
    "prompts = [{ at = 0, text = \"a\" }, { at = \"59s\", text = \"b\" }]\n",
    "settle = 3\n",
    "sounds = { bell = \"gong\", inhale = \"none\" }\n",
    "{ in = 0.1 }",
    " = ",
    "[",
    "]",
    "{",
    "}",
    "\"",
    "'''",
    "\n",
    ",",
    "nan",
    "-inf",
    "1e308",
    "-0",
    "9223372036854775807",
    "\"99999h\"",
    "\"1:2:3:4\"",
    "\"é\u{0}\"",
    "#",
];

fn toml_ish() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..40).prop_map(|v| v.concat())
}

/// The sources to mutate: the valid corpus and the built-in sessions.
fn seeds() -> Vec<Vec<u8>> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    for dir in ["tests/corpus/valid", "sessions"] {
        let mut paths: Vec<_> = std::fs::read_dir(root.join(dir))
            .expect("read dir")
            .map(|e| e.expect("entry").path())
            .collect();
        paths.sort();
        for p in paths {
            out.push(std::fs::read(p).expect("read"));
        }
    }
    out
}

/// One edit to a file's bytes.
#[derive(Debug, Clone)]
enum Edit {
    Delete { at: usize, len: usize },
    Insert { at: usize, piece: &'static str },
    Byte { at: usize, byte: u8 },
    DuplicateLine { at: usize },
    Number { nth: usize, with: &'static str },
}

const NUMBERS: &[&str] = &[
    "0",
    "-1",
    "0.05",
    "1e9",
    "nan",
    "inf",
    "600.001",
    "100001",
    "\"\"",
    "\"5x\"",
    "4294967296",
];

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), 1..20_usize).prop_map(|(at, len)| Edit::Delete { at, len }),
        (any::<usize>(), prop::sample::select(PIECES))
            .prop_map(|(at, piece)| Edit::Insert { at, piece }),
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Edit::Byte { at, byte }),
        any::<usize>().prop_map(|at| Edit::DuplicateLine { at }),
        (any::<usize>(), prop::sample::select(NUMBERS))
            .prop_map(|(nth, with)| Edit::Number { nth, with }),
    ]
}

fn apply(bytes: &mut Vec<u8>, edit: &Edit) {
    let n = bytes.len().max(1);
    match edit {
        Edit::Delete { at, len } => {
            let at = at % n;
            let end = (at + len).min(bytes.len());
            if at < end {
                bytes.drain(at..end);
            }
        }
        Edit::Insert { at, piece } => {
            let at = at % (bytes.len() + 1);
            bytes.splice(at..at, piece.bytes());
        }
        Edit::Byte { at, byte } => {
            if !bytes.is_empty() {
                let at = at % bytes.len();
                bytes[at] = *byte;
            }
        }
        Edit::DuplicateLine { at } => {
            let at = at % n;
            let start = bytes[..at.min(bytes.len())]
                .iter()
                .rposition(|b| *b == b'\n')
                .map_or(0, |i| i + 1);
            let end = bytes[at.min(bytes.len())..]
                .iter()
                .position(|b| *b == b'\n')
                .map_or(bytes.len(), |i| at.min(bytes.len()) + i + 1);
            let line = bytes[start..end].to_vec();
            bytes.splice(end..end, line);
        }
        Edit::Number { nth, with } => {
            // Replace the nth run of digits with something odd.
            let runs: Vec<(usize, usize)> = {
                let mut found = Vec::new();
                let mut pos = 0;
                while pos < bytes.len() {
                    if bytes[pos].is_ascii_digit() {
                        let from = pos;
                        while pos < bytes.len()
                            && (bytes[pos].is_ascii_digit() || bytes[pos] == b'.')
                        {
                            pos += 1;
                        }
                        found.push((from, pos));
                    } else {
                        pos += 1;
                    }
                }
                found
            };
            if !runs.is_empty() {
                let (from, to) = runs[nth % runs.len()];
                bytes.splice(from..to, with.bytes());
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 512,
        ..ProptestConfig::default()
    })]

    #[test]
    fn random_bytes(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        exercise(&bytes);
    }

    #[test]
    fn toml_like_text(text in toml_ish()) {
        exercise(text.as_bytes());
    }

    #[test]
    fn mutated_sessions(which in any::<prop::sample::Index>(), edits in prop::collection::vec(edit(), 1..6)) {
        let seeds = seeds();
        let mut bytes = which.get(&seeds).clone();
        for e in &edits {
            apply(&mut bytes, e);
        }
        exercise(&bytes);
    }
}

/// Inputs built to be as expensive as the limits allow.
#[test]
fn the_largest_sessions_are_checked_quickly() {
    let cases = [
        // Most cycles of the most phases: rejected for size, quickly.
        format!(
            "name = \"x\"\n[[block]]\nkind = \"breathe\"\ncycles = 100000\nphases = [{}]\n",
            vec!["{ in = 0.1, to = 10 }"; 32].join(", ")
        ),
        // A day of the shortest phases with a stepped ramp, length in time.
        "name = \"x\"\n[[block]]\nkind = \"breathe\"\nminutes = 1440\nphases = [{ in = 0.1, to = 0.2, step = 0.001, every = 10000 }]\n".to_owned(),
        // A hundred blocks of a day each.
        format!(
            "name = \"x\"\n{}",
            "[[block]]\nkind = \"meditate\"\nminutes = 1440\nbells = { every = 1 }\n".repeat(100)
        ),
        // Many prompts.
        format!(
            "name = \"x\"\n[[block]]\nkind = \"meditate\"\nminutes = 600\nprompts = [{}]\n",
            (0..500)
                .map(|i| format!("{{ at = {i}, text = \"p\" }}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        // Deep nesting.
        format!("name = {}1{}\n", "[".repeat(5000), "]".repeat(5000)),
        format!("name = \"x\"\nx = {}\n", "{ a = ".repeat(3000)),
    ];
    for text in &cases {
        exercise(text.as_bytes());
    }
}
