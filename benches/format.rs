//! Benchmarks of the session format and the timeline compiler:
//! `cargo bench --bench format`. They show that checking a session and
//! compiling it take well under a frame, so `list`, `check`, the picker
//! and a live preview can re-read files freely.
//!
//! Groups: `check_builtin` parses and validates each built-in session;
//! `compile_generated` compiles 1,000 generated sessions (deterministic, so
//! runs compare) into timelines.

use std::fmt::Write as _;
use std::time::Duration;

use divan::Bencher;
use divan::counter::{BytesCount, ItemsCount};
use exhale::engine::Timeline;
use exhale::engine::model::Session;
use exhale::format::{self, BuiltinSoundNames};
use exhale::library::BUILTIN;

fn main() {
    divan::main();
}

fn builtin_names() -> Vec<&'static str> {
    BUILTIN.iter().map(|(n, _)| *n).collect()
}

fn source_of(name: &str) -> &'static str {
    BUILTIN
        .iter()
        .find(|(n, _)| *n == name)
        .map_or("", |(_, s)| s)
}

/// Parse and validate one built-in session.
#[divan::bench(args = builtin_names())]
fn check_builtin(bencher: Bencher, name: &str) {
    let source = source_of(name);
    bencher
        .counter(BytesCount::of_str(source))
        .bench(|| format::check_str(divan::black_box(source), &BuiltinSoundNames));
}

/// All built-in sessions, one after another (what `exhale list` does).
#[divan::bench]
fn check_all_builtins(bencher: Bencher) {
    bencher.counter(ItemsCount::new(BUILTIN.len())).bench(|| {
        BUILTIN
            .iter()
            .map(|(_, s)| format::check_str(divan::black_box(s), &BuiltinSoundNames))
            .filter(|c| c.session.is_some())
            .count()
    });
}

/// A small deterministic generator (a linear congruential generator):
/// the same sessions on every run and every machine.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % below
    }
}

/// Session `i` of the generated set, as TOML: one to four blocks of every
/// kind, ramps included.
fn generated_source(rng: &mut Lcg) -> String {
    let mut s = String::from("name = \"Generated\"\n");
    for _ in 0..=rng.next(4) {
        match rng.next(3) {
            0 => {
                s.push_str("[[block]]\nkind = \"breathe\"\nphases = [");
                for k in 0..=rng.next(4) {
                    let kind = ["in", "out", "hold"][(k % 3) as usize];
                    let len = 1 + rng.next(8);
                    if rng.next(3) == 0 {
                        let _ = write!(s, "{{ {kind} = {len}, to = {} }}, ", len + 2);
                    } else {
                        let _ = write!(s, "{{ {kind} = {len} }}, ");
                    }
                }
                let _ = writeln!(s, "]\ncycles = {}", 1 + rng.next(60));
            }
            1 => {
                let _ = writeln!(
                    s,
                    "[[block]]\nkind = \"retention\"\nrounds = {}\nbreaths = {}\n\
                     phases = [{{ in = 1.5 }}, {{ out = 1 }}]\nretention = {{ cap = \"90s\" }}\n\
                     recovery = [{{ in = 2 }}, {{ hold = 15 }}]",
                    1 + rng.next(4),
                    rng.next(40)
                );
            }
            _ => {
                let minutes = 1 + rng.next(20);
                let _ = writeln!(
                    s,
                    "[[block]]\nkind = \"meditate\"\nminutes = {minutes}\n\
                     bells = {{ start = true, end = true, every = \"1m\" }}\n\
                     prompts = [{{ at = \"0:30\", text = \"Settle.\" }}]"
                );
            }
        }
    }
    s
}

fn generated_sessions(n: usize) -> Vec<Session> {
    let mut rng = Lcg(0x5eed);
    (0..n)
        .filter_map(|_| {
            let source = generated_source(&mut rng);
            format::check_str(&source, &BuiltinSoundNames).session
        })
        .collect()
}

/// Compile 1,000 generated sessions into timelines.
#[divan::bench(sample_count = 20)]
fn compile_generated(bencher: Bencher) {
    let sessions = generated_sessions(1000);
    assert_eq!(sessions.len(), 1000, "the generator made invalid sessions");
    bencher.counter(ItemsCount::new(sessions.len())).bench(|| {
        sessions
            .iter()
            .map(|s| Timeline::compile(divan::black_box(s), Duration::from_secs(5)))
            .map(|t| t.planned())
            .sum::<Duration>()
    });
}
