//! The fuzz seeds (`fuzz/seeds/check/`) on stable, in every `cargo test`:
//! each one is read without a panic, gives a session or an error, and each
//! valid one plays through to its end with a manual clock, the way the fuzz
//! target plays it. This keeps the seeds meaningful (valid ones stay valid)
//! and runs the fuzz target's checks where nightly is not available.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use exhale::engine::player::Player;
use exhale::engine::{EventKind, Timeline};
use exhale::format::{self, BuiltinSoundNames};

fn seeds() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/check");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    v.sort();
    v
}

#[test]
fn every_seed_gives_a_session_or_an_error_and_valid_ones_play_to_the_end() {
    let files = seeds();
    assert!(files.len() >= 20, "the fuzz seeds are missing");
    let mut valid = 0;
    for f in files {
        let bytes = std::fs::read(&f).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        let (source, checked) = format::check_bytes(&bytes, &BuiltinSoundNames);
        for d in &checked.diagnostics {
            assert!(!d.render("seed.toml", &source).is_empty());
        }
        let name = f.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let Some(session) = checked.session else {
            assert!(checked.has_errors());
            assert!(
                name.starts_with("invalid-"),
                "{name}: a seed that is not named invalid-* has errors"
            );
            continue;
        };
        assert!(!name.starts_with("invalid-"), "{name} is valid");
        valid += 1;
        let start = Instant::now();
        let mut now = start;
        let mut player = Player::new(Timeline::compile(&session, Duration::from_secs(1)), now);
        let mut last = Duration::ZERO;
        let mut ended = false;
        // Jump from event to event, ending each open hold or sit when it
        // comes, until the session ends.
        for _ in 0..100_000 {
            player.end_open(now);
            now = player
                .next_wake(now)
                .unwrap_or(now + Duration::from_secs(1));
            for e in player.poll(now) {
                assert!(e.at >= last, "{name}: events out of order");
                last = e.at;
                ended |= e.kind == EventKind::SessionEnd;
            }
            if player.finished(now) {
                break;
            }
        }
        assert!(ended, "{name}: the session never ended");
        assert!(now - start <= player.schedule().total() + Duration::from_secs(1));
    }
    assert!(valid >= 15, "only {valid} valid seeds");
}
