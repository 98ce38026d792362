//! `exhale run` with a voice, through the real binary on a manual clock:
//! `--announce` prints one sentence per change of phase and nothing with a
//! time, `--voice` refuses a voice there is not (bad usage, exit 2), and
//! `check` names what a voice of one's own lacks.

mod cli_common;

use cli_common::exhale;
use predicates::str::contains;

const RET: &str = "name = \"Rounds\"\nsettle = 0\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 4, cue = \"Through the nose\" }, { hold = 2 }, { out = 5.5 }]\ncycles = 2\n[[block]]\nkind = \"meditate\"\nduration = \"1m\"\nbells = { end = true }\nprompts = [{ at = 30, text = \"Notice the breath\" }]\n";

#[test]
fn announce_says_each_change_of_phase_once_in_words_without_times() {
    let dir = tempfile::tempdir().expect("tempdir");
    let session = dir.path().join("rounds.toml");
    std::fs::write(&session, RET).expect("write");
    let out = exhale(dir.path())
        .args(["run", "--plain", "--announce", "--no-journal", "--no-sound"])
        .arg(&session)
        .write_stdin("")
        .output()
        .expect("run");
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[..9],
        [
            "Starting Rounds.",
            "Breathe in, 4 seconds. Cycle 1 of 2. Through the nose.",
            "Hold, 2 seconds.",
            "Breathe out, 5.5 seconds.",
            "Breathe in, 4 seconds. Cycle 2 of 2. Through the nose.",
            "Hold, 2 seconds.",
            "Breathe out, 5.5 seconds.",
            "Sit for 1 minute: Meditation.",
            "Notice the breath.",
        ],
        "{text}"
    );
    assert_eq!(lines[9..11], ["Bell.", "Session complete."], "{text}");
    // Nothing stamped with a time: the summary is the only other line.
    assert!(
        lines.iter().all(|l| !l.contains("00:")),
        "a time stamp in the announced form:\n{text}"
    );
}

#[test]
fn an_unknown_voice_is_bad_usage_and_names_the_voices_there_are() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join("config/exhale/voices/calm")).expect("mkdir");
    exhale(dir.path())
        .args(["run", "box", "--plain", "--no-journal", "--voice", "clam"])
        .assert()
        .code(2)
        .stderr(contains("there is no voice `clam`"))
        .stderr(contains("the voices are calm, default"));
}

#[test]
fn check_names_the_clips_a_voice_of_ones_own_lacks_and_it_still_runs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pack = dir.path().join("config/exhale/voices/calm");
    std::fs::create_dir_all(&pack).expect("mkdir");
    let clip = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sounds/voices/default/in.wav"),
    )
    .expect("clip");
    for name in ["in", "out", "hold"] {
        std::fs::write(pack.join(format!("{name}.wav")), &clip).expect("write");
    }
    let session = dir.path().join("calm.toml");
    std::fs::write(
        &session,
        "name = \"Calm\"\nsettle = 0\nsounds = { voice = \"calm\", count = true }\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 2 }, { out = 2 }]\ncycles = 1\n",
    )
    .expect("write");
    exhale(dir.path())
        .arg("check")
        .arg(&session)
        .assert()
        .success()
        .stdout(contains("ok (1 warning)"))
        .stderr(contains("calm.toml:3:20"))
        .stderr(contains("voice `calm` has no clip for `rest`, `1`, `2`"))
        .stderr(contains("the chime plays in place of each missing word"));
    exhale(dir.path())
        .args(["run", "--plain", "--no-journal", "--no-sound"])
        .arg(&session)
        .write_stdin("")
        .assert()
        .success()
        .stdout(contains("  end"));
}

#[test]
fn announce_does_not_say_the_phase_twice() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = exhale(dir.path())
        .args([
            "run",
            "box",
            "--plain",
            "--announce",
            "--no-journal",
            "--no-sound",
            "--cycles",
            "1",
        ])
        .write_stdin("")
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    let settle = text.lines().nth(1).unwrap_or("");
    assert_eq!(
        settle, "Settle in, 5 seconds. Sit comfortably and let the breath be easy.",
        "{text}"
    );
}
