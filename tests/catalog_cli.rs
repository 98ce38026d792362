//! `exhale list` and `exhale show` through the real binary, with the
//! user's folders pointed at a temporary home.

use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

const BUILT_INS: &[&str] = &[
    "box",
    "478",
    "resonance",
    "resonance-finder",
    "sigh",
    "extended-exhale",
    "retention",
    "alternate-nostril",
    "humming",
    "mindful-breathing",
    "silent-sit",
    "body-scan",
    "grounding",
    "loving-kindness",
    "control-pause",
    "open-sit",
];

fn exhale(home: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_exhale"));
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env("NO_COLOR", "1");
    cmd
}

fn run(home: &Path, args: &[&str]) -> Output {
    exhale(home).args(args).output().expect("run exhale")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn user_sessions(home: &Path) -> PathBuf {
    let dir = home.join("config/exhale/sessions");
    std::fs::create_dir_all(&dir).expect("mkdir");
    dir
}

#[test]
fn list_shows_every_built_in() {
    let home = tempfile::tempdir().expect("temp dir");
    let out = run(home.path(), &["list"]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = text(&out.stdout);
    let names: Vec<&str> = stdout
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(names, BUILT_INS);
    assert!(stdout.lines().skip(1).all(|l| l.contains("built-in")));
    assert!(stdout.contains("Box breathing"));
}

#[test]
fn list_json_has_the_documented_fields() {
    let home = tempfile::tempdir().expect("temp dir");
    let out = run(home.path(), &["list", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let rows: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    let rows = rows.as_array().expect("an array");
    assert_eq!(rows.len(), BUILT_INS.len());
    for (row, name) in rows.iter().zip(BUILT_INS) {
        assert_eq!(row["name"], *name);
        assert!(row["title"].as_str().is_some_and(|t| !t.is_empty()));
        assert!(row["length"].as_str().is_some_and(|t| !t.is_empty()));
        assert!(
            ["breathe", "retention", "meditate", "mixed"]
                .contains(&row["kind"].as_str().unwrap_or("")),
            "{row}"
        );
        assert!(row["tags"].is_array());
        assert_eq!(row["source"], "built-in");
        assert_eq!(row["valid"], true);
    }
}

#[test]
fn user_sessions_appear_and_replace_built_ins_of_the_same_name() {
    let home = tempfile::tempdir().expect("temp dir");
    let dir = user_sessions(home.path());
    std::fs::write(
        dir.join("evening.toml"),
        "name = \"Evening wind-down\"\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 4 }, { out = 8 }]\ncycles = 10\n",
    )
    .expect("write");
    std::fs::write(
        dir.join("box.toml"),
        "name = \"My box\"\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 3 }, { hold = 3 }, { out = 3 }, { hold = 3 }]\ncycles = 5\n",
    )
    .expect("write");
    let out = run(home.path(), &["list"]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = text(&out.stdout);
    let line = |name: &str| {
        stdout
            .lines()
            .find(|l| l.split_whitespace().next() == Some(name))
            .unwrap_or_else(|| panic!("no {name} in:\n{stdout}"))
            .to_owned()
    };
    assert!(line("evening").contains("Evening wind-down"));
    assert!(line("evening").contains("user"));
    let boxed = line("box");
    assert!(
        boxed.contains("My box") && boxed.contains("user*"),
        "{boxed}"
    );
    assert!(stdout.contains("replaces the built-in"), "{stdout}");
    assert_eq!(
        stdout.lines().filter(|l| l.starts_with("box ")).count(),
        1,
        "the built-in box is hidden"
    );

    let json: serde_json::Value =
        serde_json::from_slice(&run(home.path(), &["list", "--json"]).stdout).expect("JSON");
    let rows = json.as_array().expect("array");
    let boxed = rows.iter().find(|r| r["name"] == "box").expect("box row");
    assert_eq!(boxed["source"], "user");
    assert_eq!(boxed["overrides_builtin"], true);
    assert_eq!(rows.len(), BUILT_INS.len() + 1);

    // `show box` now shows the user's file.
    let out = run(home.path(), &["show", "box"]);
    assert!(text(&out.stdout).contains("My box"));
}

#[test]
fn a_broken_user_session_is_listed_as_such_and_check_finds_it() {
    let home = tempfile::tempdir().expect("temp dir");
    let dir = user_sessions(home.path());
    std::fs::write(
        dir.join("broken.toml"),
        "name = \"Broken\"\n[[block]]\nkind = \"breath\"\n",
    )
    .expect("write");
    let out = run(home.path(), &["list"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("has errors"));
    let out = run(home.path(), &["show", "broken"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("unknown block kind"));
}

#[test]
fn check_of_the_built_in_files_exits_zero() {
    let home = tempfile::tempdir().expect("temp dir");
    let mut args = vec!["check".to_owned()];
    args.extend(BUILT_INS.iter().map(|n| format!("sessions/{n}.toml")));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = run(home.path(), &args);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("16 files checked: 16 valid"));
}

#[test]
fn show_prints_blocks_length_cautions_and_references_of_every_built_in() {
    let home = tempfile::tempdir().expect("temp dir");
    for name in BUILT_INS {
        let out = run(home.path(), &["show", name]);
        assert_eq!(out.status.code(), Some(0), "{name}: {}", text(&out.stderr));
        let stdout = text(&out.stdout);
        assert!(stdout.contains(&format!("({name}, built-in)")), "{stdout}");
        assert!(stdout.contains(" 1. "), "{name}: no blocks:\n{stdout}");
        assert!(stdout.contains("\ntotal: "), "{name}: no total:\n{stdout}");

        let json: serde_json::Value =
            serde_json::from_slice(&run(home.path(), &["show", name, "--json"]).stdout)
                .expect("JSON");
        assert_eq!(json["name"], *name);
        let blocks = json["blocks"].as_array().expect("blocks");
        assert!(!blocks.is_empty());
        assert!(json["total_secs"].as_f64().is_some_and(|t| t > 0.0));
        for r in json["references"].as_array().expect("references") {
            let r = r.as_str().expect("text");
            assert!(stdout.contains(r), "{name}: reference not shown");
        }
        let cautions = json["cautions"].as_array().expect("cautions");
        for c in cautions {
            let words = c["text"].as_str().expect("text");
            assert!(stdout.contains(&format!("Caution: {words}")), "{name}");
        }
        // Sessions with breath holds the user ends always carry a caution
        // (an open-ended sit is user-timed too, but holds nothing).
        if blocks.iter().any(|b| b["kind"] == "retention") {
            assert!(!cautions.is_empty(), "{name} has no caution");
        }
    }
}

#[test]
fn the_study_sessions_last_about_five_minutes() {
    let home = tempfile::tempdir().expect("temp dir");
    for name in ["sigh", "box", "retention", "mindful-breathing"] {
        let json: serde_json::Value =
            serde_json::from_slice(&run(home.path(), &["show", name, "--json"]).stdout)
                .expect("JSON");
        let settle = json["settle_secs"].as_f64().expect("settle");
        let planned = json["total_secs"].as_f64().expect("total") - settle;
        // Retention holds count at their cap: the most it can last.
        assert!(
            (270.0..=330.0).contains(&planned),
            "{name} lasts {planned} s"
        );
    }
}

#[test]
fn show_json_of_retention_marks_it_user_timed_with_cautions() {
    let home = tempfile::tempdir().expect("temp dir");
    let json: serde_json::Value =
        serde_json::from_slice(&run(home.path(), &["show", "retention", "--json"]).stdout)
            .expect("JSON");
    assert_eq!(json["user_timed"], true);
    let kinds: Vec<&str> = json["cautions"]
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|c| c["kind"].as_str())
        .collect();
    assert_eq!(
        kinds,
        [
            "declared",
            "fast-breathing",
            "fainting",
            "user-timed-hold",
            "long-hold"
        ]
    );
}

fn show_json(home: &Path, arg: &str) -> serde_json::Value {
    let out = run(home, &["show", arg, "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn caution_kinds(json: &serde_json::Value) -> Vec<String> {
    json["cautions"]
        .as_array()
        .expect("cautions")
        .iter()
        .filter_map(|c| c["kind"].as_str().map(str::to_owned))
        .collect()
}

#[test]
fn twenty_breaths_a_minute_is_fast_and_a_hold_after_quick_breathing_gets_the_water_caution() {
    let home = tempfile::tempdir().expect("temp dir");
    let dir = user_sessions(home.path());
    // The common 30-breath pace: 1.5 s in, 1.5 s out, 20 a minute.
    std::fs::write(
        dir.join("twenty.toml"),
        "name = \"Twenty\"\n[[block]]\nkind = \"retention\"\nrounds = 3\nbreaths = 30\n\
         phases = [{ in = 1.5 }, { out = 1.5 }]\nretention = { cap = \"90s\" }\n",
    )
    .expect("write");
    let kinds = caution_kinds(&show_json(home.path(), "twenty"));
    assert_eq!(kinds, ["fast-breathing", "fainting", "user-timed-hold"]);
    // 2 s in, 2 s out is not fast, but a long hold on empty lungs after it
    // is the fainting case.
    std::fs::write(
        dir.join("fifteen.toml"),
        "name = \"Fifteen\"\n[[block]]\nkind = \"breathe\"\ncycles = 20\n\
         phases = [{ in = 2 }, { out = 2 }]\n\
         [[block]]\nkind = \"retention\"\nrounds = 1\nbreaths = 0\n\
         phases = [{ in = 2 }, { out = 2 }]\nretention = { cap = \"1m\" }\n",
    )
    .expect("write");
    let json = show_json(home.path(), "fifteen");
    assert_eq!(caution_kinds(&json), ["fainting", "user-timed-hold"]);
    let why = json["cautions"][0]["why"][0].as_str().expect("why");
    assert!(
        why.contains("block 2") && why.contains("empty lungs"),
        "{why}"
    );
    // A control pause (slow breathing, then a hold) is not fast.
    let kinds = caution_kinds(&show_json(home.path(), "control-pause"));
    assert_eq!(kinds, ["declared", "user-timed-hold"]);
    // Nor is a breathe block's hold after a slow breath out.
    std::fs::write(
        dir.join("slow.toml"),
        "name = \"Slow\"\n[[block]]\nkind = \"breathe\"\ncycles = 5\n\
         phases = [{ in = 4 }, { out = 4 }, { hold = 12 }]\n",
    )
    .expect("write");
    assert_eq!(
        caution_kinds(&show_json(home.path(), "slow")),
        ["long-hold"]
    );
}

#[test]
fn each_caution_is_said_once_and_check_names_the_rules_behind_it() {
    let home = tempfile::tempdir().expect("temp dir");
    let out = run(home.path(), &["show", "retention"]);
    let stdout = text(&out.stdout);
    assert_eq!(stdout.matches("in or near water").count(), 1, "{stdout}");
    assert_eq!(
        stdout.to_lowercase().matches("sit or lie down").count(),
        1,
        "{stdout}"
    );

    let out = run(home.path(), &["check", "sessions/retention.toml"]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains(
            "caution (fast breathing): block 1 \"Retention rounds\" breathes at 24.0 breaths a minute; 20 or more is fast"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("caution (never in water or driving): block 1 \"Retention rounds\" holds on empty lungs for up to 1m"),
        "{stdout}"
    );
    assert!(stdout.contains("caution (holds you end): "), "{stdout}");
    assert!(stdout.contains("caution (long holds): "), "{stdout}");
    // A session with nothing risky has no such lines.
    let out = run(home.path(), &["check", "sessions/box.toml"]);
    assert!(
        !text(&out.stdout).contains("caution"),
        "{}",
        text(&out.stdout)
    );
}

fn bpm(json: &serde_json::Value, block: usize) -> (f64, f64) {
    let b = &json["blocks"][block]["breaths_per_minute"];
    (b[0].as_f64().expect("first"), b[1].as_f64().expect("last"))
}

#[test]
fn breaths_a_minute_count_breaths_not_cycles() {
    let home = tempfile::tempdir().expect("temp dir");
    let dir = user_sessions(home.path());
    std::fs::write(
        dir.join("nostrils.toml"),
        "name = \"Nostrils\"\n[[block]]\nkind = \"breathe\"\ncycles = 4\n\
         phases = [{ in = 4 }, { hold = 4 }, { out = 4 }, { in = 4 }, { hold = 4 }, { out = 4 }]\n",
    )
    .expect("write");
    let (first, _) = bpm(&show_json(home.path(), "nostrils"), 0);
    assert!((first - 5.0).abs() < 1e-9, "{first}");
    let stdout = text(&run(home.path(), &["show", "nostrils"]).stdout);
    assert!(stdout.contains("5.0 breaths/min"), "{stdout}");
    // The built-in: 28 s a cycle, two breaths.
    let (first, _) = bpm(&show_json(home.path(), "alternate-nostril"), 0);
    assert!((first - 120.0 / 28.0).abs() < 1e-9, "{first}");
    // A sigh's two inhales are one breath: 9 s a breath.
    let (first, _) = bpm(&show_json(home.path(), "sigh"), 0);
    assert!((first - 60.0 / 9.0).abs() < 1e-9, "{first}");
}

#[test]
fn bells_in_breathing_blocks_are_shown_with_the_block() {
    let home = tempfile::tempdir().expect("temp dir");
    let dir = user_sessions(home.path());
    std::fs::write(
        dir.join("belled.toml"),
        "name = \"Belled\"\n[[block]]\nkind = \"breathe\"\nminutes = 10\n\
         phases = [{ in = 5 }, { out = 5 }]\nbells = { every = \"5m\", end = true }\n\
         [[block]]\nkind = \"retention\"\nrounds = 2\nbreaths = 10\n\
         phases = [{ in = 2 }, { out = 2 }]\nretention = { cap = \"1m\" }\nbells = { at = [\"1m\"] }\n",
    )
    .expect("write");
    let json = show_json(home.path(), "belled");
    assert_eq!(json["blocks"][0]["bells"], serde_json::json!([300.0]));
    assert_eq!(json["blocks"][0]["end_bell"], true);
    assert_eq!(json["blocks"][0]["cycles"], 60);
    assert_eq!(json["blocks"][1]["bells"], serde_json::json!([60.0]));
    let stdout = text(&run(home.path(), &["show", "belled"]).stdout);
    assert!(stdout.contains("bells: 5m, end"), "{stdout}");
    assert!(stdout.contains("bells: 1m"), "{stdout}");
}

#[test]
fn an_unknown_name_gets_a_suggestion_and_exit_one() {
    let home = tempfile::tempdir().expect("temp dir");
    let out = run(home.path(), &["show", "bxo"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("no session named `bxo`"), "{stderr}");
    assert!(stderr.contains("did you mean `box`?"), "{stderr}");
    let out = run(home.path(), &["show", "resonanse"]);
    assert!(text(&out.stderr).contains("did you mean `resonance`?"));
}

#[test]
fn bad_usage_exits_two() {
    let home = tempfile::tempdir().expect("temp dir");
    for args in [
        &["show"][..],
        &["list", "--nope"],
        &["frobnicate"],
        &["show", "box", "--jsn"],
    ] {
        let out = run(home.path(), args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(text(&out.stderr).contains("Usage"), "{args:?}");
    }
}

#[test]
fn list_prints_no_warnings_while_show_and_run_print_them_once() {
    let home = tempfile::tempdir().expect("temp dir");
    let dir = user_sessions(home.path());
    // Valid, with one warning: a 0.5 s phase is hard to follow.
    std::fs::write(
        dir.join("quick.toml"),
        "name = \"Quick\"\nsettle = 0\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 0.5 }, { out = 1 }]\ncycles = 1\n",
    )
    .expect("write");
    std::fs::write(
        dir.join("broken.toml"),
        "name = \"Broken\"\n[[block]]\nkind = \"breath\"\n",
    )
    .expect("write");
    let warning = "warning: an inhale phase of 0.5s is hard to follow";

    let out = run(home.path(), &["list"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stderr), "", "a listing is not a check");
    let stdout = text(&out.stdout);
    let broken = stdout
        .lines()
        .find(|l| l.starts_with("broken "))
        .unwrap_or_else(|| panic!("{stdout}"));
    assert!(broken.contains("(has errors"), "{broken}");

    let out = run(home.path(), &["show", "quick"]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        text(&out.stderr).matches(warning).count(),
        1,
        "{}",
        text(&out.stderr)
    );

    let out = exhale(home.path())
        .args(["run", "quick", "--plain", "--no-journal", "--no-sound"])
        .write_stdin("")
        .output()
        .expect("run exhale");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stderr).matches(warning).count(),
        1,
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn run_accepts_as_many_cycles_as_a_session_file_may_have() {
    use clap::Parser as _;
    use exhale::cli::{Cli, Command};
    let max = exhale::format::limits::MAX_CYCLES;
    let parsed = Cli::try_parse_from(["exhale", "run", "box", "--cycles", &max.to_string()])
        .expect("the session file limit is accepted");
    let Some(Command::Run(args)) = parsed.command else {
        panic!("not a run");
    };
    assert_eq!(args.cycles, Some(max));
    assert!(
        Cli::try_parse_from(["exhale", "run", "box", "--cycles", &(max + 1).to_string()]).is_err()
    );

    // And a file with that many cycles is accepted by `check`.
    let home = tempfile::tempdir().expect("temp dir");
    let file = home.path().join("many.toml");
    std::fs::write(
        &file,
        format!("name = \"Many\"\n[[block]]\nkind = \"breathe\"\nphases = [{{ in = 0.2 }}, {{ out = 0.2 }}]\ncycles = {max}\n"),
    )
    .expect("write");
    let out = run(home.path(), &["check", file.to_str().expect("utf-8 path")]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
}

#[test]
fn show_words_counts_ramps_and_open_parts_as_they_are() {
    let home = tempfile::tempdir().expect("temp dir");
    let dir = user_sessions(home.path());
    std::fs::write(
        dir.join("ones.toml"),
        "name = \"Ones\"\n\
         [[block]]\nkind = \"breathe\"\nphases = [{ in = 4 }, { out = 4 }]\ncycles = 1\n\
         [[block]]\nkind = \"retention\"\nrounds = 1\nbreaths = 1\nphases = [{ in = 2 }, { out = 2 }]\nretention = { cap = \"1m\" }\n\
         [[block]]\nkind = \"meditate\"\nminutes = 2\nprompts = [{ at = \"1m\", text = \"Rest\" }]\n",
    )
    .expect("write");
    let stdout = text(&run(home.path(), &["show", "ones"]).stdout);
    assert!(stdout.contains("8s · 1 cycle · "), "{stdout}");
    assert!(stdout.contains("1 round · 1 breath (15/min)"), "{stdout}");
    assert!(stdout.contains("2m · 1 prompt\n"), "{stdout}");
    assert!(
        stdout.contains("at most 3m17s, if the hold runs to its cap"),
        "{stdout}"
    );

    let stdout = text(
        &run(
            home.path(),
            &["show", "tests/corpus/valid/ramp-stepped.toml"],
        )
        .stdout,
    );
    assert!(
        stdout.contains("out 4s→8s (+0.5s every 3 cycles)"),
        "{stdout}"
    );
    assert!(stdout.contains("hold 6s→2s (−1s every cycle)"), "{stdout}");

    // An open-ended sit has no holds: the most it can last is worded for it.
    let stdout = text(&run(home.path(), &["show", "open-sit"]).stdout);
    assert!(
        stdout.contains("at most 2h00m, if the open-ended sit runs to its cap"),
        "{stdout}"
    );
    assert!(!stdout.contains("hold"), "{stdout}");
}

/// The screen says which key ends a hold (Space or Enter in the guide,
/// Enter in plain mode), so the words shown during a session must not
/// name one: they would be wrong in one of the two.
#[test]
fn no_built_in_cue_names_a_key() {
    use exhale::engine::Timeline;
    use exhale::format::{BuiltinSoundNames, check_bytes};
    let lib = exhale::library::Library::load(None);
    // The default cue of a hold that has none of its own, too.
    let default_hold = "name = \"x\"\n[[block]]\nkind = \"retention\"\nrounds = 1\nbreaths = 1\nphases = [{ in = 2 }, { out = 2 }]\nretention = { cap = \"1m\" }\n";
    let sources = lib
        .entries
        .iter()
        .map(|e| (e.name.clone(), e.bytes.clone()))
        .chain([("default hold".to_owned(), default_hold.as_bytes().to_vec())]);
    let mut cues = 0;
    for (name, bytes) in sources {
        let (_, checked) = check_bytes(&bytes, &BuiltinSoundNames);
        let session = checked
            .session
            .unwrap_or_else(|| panic!("{name} is invalid"));
        let tl = Timeline::compile(&session, std::time::Duration::ZERO);
        for cue in tl.segments.iter().filter_map(|s| s.cue.as_deref()) {
            cues += 1;
            let lower = cue.to_lowercase();
            for key in ["space", "enter", "press"] {
                assert!(!lower.contains(key), "{name}: cue names a key: {cue}");
            }
        }
    }
    assert!(cues > 0);
}

#[test]
fn show_says_with_settle_in_only_when_there_is_one() {
    let home = tempfile::tempdir().expect("tempdir");
    let dir = user_sessions(home.path());
    std::fs::write(
        dir.join("nosettle.toml"),
        "name = \"No settle\"\nsettle = 0\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 4 }, { out = 6 }]\ncycles = 6\n",
    )
    .expect("write");
    let out = text(&run(home.path(), &["show", "nosettle"]).stdout);
    assert!(out.contains("\ntotal: "), "{out}");
    assert!(!out.contains("settle-in"), "{out}");
    let out = text(&run(home.path(), &["show", "box"]).stdout);
    assert!(out.contains("(with settle-in)"), "{out}");
}

#[test]
fn show_takes_minutes_and_cycles_as_run_does_and_says_what_they_leave_out() {
    let home = tempfile::tempdir().expect("temp dir");
    let out = run(home.path(), &["show", "box", "--cycles", "2", "--json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json["blocks"][0]["cycles"], 2);
    assert_eq!(json["length_override"]["cycles"], 2);

    // A 10-minute body scan shown at 2 minutes: the prompts from 2:00 on
    // are left out, and it says so.
    let out = run(
        home.path(),
        &["show", "body-scan", "--minutes", "2", "--json"],
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json["blocks"][0]["secs"], 120.0);
    assert_eq!(json["length_override"]["dropped_prompts"], 12);
    assert_eq!(json["length_override"]["dropped_bells"], 0);
    let stdout = text(&run(home.path(), &["show", "body-scan", "--minutes", "2"]).stdout);
    assert!(
        stdout.contains(
            "with --minutes 2: every fixed-length sit 2m; left out past the new end: 12 prompts"
        ),
        "{stdout}"
    );
    let stdout = text(&run(home.path(), &["show", "silent-sit", "--minutes", "6"]).stdout);
    assert!(
        stdout.contains("left out past the new end: 1 bell\n"),
        "{stdout}"
    );
    // Without them, show says nothing of the kind; both at once is bad usage.
    assert!(!text(&run(home.path(), &["show", "box"]).stdout).contains("with --"));
    let out = run(
        home.path(),
        &["show", "box", "--cycles", "2", "--minutes", "1"],
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn show_prints_each_phase_with_its_sound_and_cue() {
    let home = tempfile::tempdir().expect("temp dir");
    let stdout = text(&run(home.path(), &["show", "box"]).stdout);
    assert!(
        stdout.contains("in 4s · rise · Breathe in through the nose"),
        "{stdout}"
    );
    assert!(
        stdout.contains("hold 4s · wood · Hold gently, full"),
        "{stdout}"
    );
    let dir = user_sessions(home.path());
    std::fs::write(
        dir.join("quiet.toml"),
        "name = \"Quiet\"\nsounds = { exhale = \"none\" }\n[[block]]\nkind = \"breathe\"\ncycles = 2\n\
         sounds = { inhale = \"bowl\" }\nphases = [{ in = 4, cue = \"In\" }, { out = 6 }, { hold = 2, sound = \"gong\" }]\n",
    )
    .expect("write");
    let stdout = text(&run(home.path(), &["show", "quiet"]).stdout);
    assert!(stdout.contains("in 4s · bowl · In\n"), "{stdout}");
    assert!(stdout.contains("out 6s · none\n"), "{stdout}");
    assert!(stdout.contains("hold 2s · gong\n"), "{stdout}");
    let json = show_json(home.path(), "quiet");
    assert_eq!(json["blocks"][0]["phases"][1]["sound"], "none");
    // The retention hold has its cue and sound too.
    let stdout = text(&run(home.path(), &["show", "control-pause"]).stdout);
    assert!(
        stdout.contains("hold you end, up to 1m30s · wood · After this normal exhale"),
        "{stdout}"
    );
}

#[test]
fn a_settle_in_can_say_its_own_words() {
    let home = tempfile::tempdir().expect("temp dir");
    let path = "tests/corpus/valid/settle-table.toml";
    let json = show_json(home.path(), path);
    assert_eq!(json["settle_secs"], 20.0);
    assert_eq!(json["settle_text"], "Lie down and let the floor hold you.");
    let stdout = text(&run(home.path(), &["show", path]).stdout);
    assert!(
        stdout.contains("settle-in 20s · Lie down and let the floor hold you."),
        "{stdout}"
    );
    // The short form stays, with the usual words.
    let json = show_json(home.path(), "box");
    assert_eq!(
        json["settle_text"],
        "Settle in. Sit comfortably and let the breath be easy."
    );
}

#[test]
fn a_ramp_over_a_length_of_time_works_out_its_cycles() {
    let home = tempfile::tempdir().expect("temp dir");
    let dir = user_sessions(home.path());
    std::fs::write(
        dir.join("over.toml"),
        "name = \"Over\"\n[[block]]\nkind = \"breathe\"\nminutes = 5\n\
         phases = [{ in = 4 }, { out = 4, to = 8, over = \"2m\" }]\n",
    )
    .expect("write");
    let json = show_json(home.path(), "over");
    // 4 + 4 s growing to 4 + 8 s: 10 s a cycle on average, 12 cycles in
    // the 2 minutes; then 12 s cycles for the other 3 minutes, 15 more.
    let b = &json["blocks"][0];
    assert_eq!(b["phases"][1]["over_cycles"], 12);
    assert_eq!(b["phases"][1]["over_secs"], 120.0);
    assert_eq!(b["cycles"], 27);
    assert_eq!(b["secs"], 300.0);
    let stdout = text(&run(home.path(), &["show", "over"]).stdout);
    assert!(stdout.contains("out 4s→8s over 2m (12 cycles)"), "{stdout}");
    // With only `to`, a block timed in minutes ramps over its length.
    let json = show_json(home.path(), "tests/corpus/valid/ramp-over-the-block.toml");
    assert_eq!(json["blocks"][0]["phases"][1]["over_cycles"], 30);
    assert_eq!(json["blocks"][0]["cycles"], 30);
}

#[test]
fn natural_breathing_is_unpaced_and_counts_no_breaths() {
    let home = tempfile::tempdir().expect("temp dir");
    let path = "tests/corpus/valid/natural-breathing.toml";
    let json = show_json(home.path(), path);
    assert_eq!(json["blocks"][0]["phases"][0]["kind"], "natural");
    assert_eq!(json["blocks"][0]["phases"][0]["sound"], "none");
    assert_eq!(json["blocks"][0]["breaths_per_minute"][0], 0.0);
    // 4 s in, 6 s out: six a minute, whatever the natural breathing before.
    assert_eq!(json["blocks"][1]["breaths_per_minute"][0], 6.0);
    let stdout = text(&run(home.path(), &["show", path]).stdout);
    assert!(stdout.contains("1m · 1 cycle · unpaced"), "{stdout}");
    assert!(stdout.contains("natural 30s · in 4s · out 6s"), "{stdout}");
}
