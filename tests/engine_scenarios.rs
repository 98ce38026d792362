//! Scenario tests as data: each `tests/scenarios/*.toml` holds a session,
//! optional length override and user actions, and the exact list of events
//! expected (phase boundaries with their kinds, bells, prompts, start and
//! end) with the sound each one plays. The session is run through the
//! engine and a `Player` driven with injected instants.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use exhale::engine::player::{Ending, Player};
use exhale::engine::{self, EventKind, LengthOverride, Timeline};
use exhale::format::{BuiltinSoundNames, check_str};
use pretty_assertions::assert_eq;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Scenario {
    description: String,
    session: String,
    #[serde(default)]
    settle: f64,
    #[serde(rename = "override")]
    length_override: Option<Override>,
    #[serde(default)]
    actions: Vec<Action>,
    expect: Vec<Expected>,
    practised: Option<f64>,
    holds: Option<Vec<f64>>,
    /// For each hold, whether it ran to its cap (not ended by the person).
    capped: Option<Vec<bool>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Override {
    cycles: Option<u32>,
    minutes: Option<f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Action {
    /// Wall-clock seconds since the start.
    at: f64,
    /// `pause`, `resume`, `skip` or `end-hold`.
    #[serde(rename = "do")]
    what: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    at: f64,
    event: String,
    /// The sound it plays ("none" for silence); not compared when absent.
    sound: Option<String>,
    /// Prompt text.
    text: Option<String>,
}

/// What happened, in the words of the scenario files.
#[derive(Debug, Clone, PartialEq)]
struct Seen {
    at_ms: u128,
    event: String,
    sound: String,
    text: Option<String>,
}

fn secs(s: f64) -> Duration {
    Duration::from_secs_f64(s)
}

fn run(path: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let sc: Scenario = toml::from_str(&text).map_err(|e| format!("scenario: {e}"))?;
    let checked = check_str(&sc.session, &BuiltinSoundNames);
    let mut session = checked
        .session
        .ok_or_else(|| format!("session invalid: {:?}", checked.diagnostics))?;
    if let Some(o) = &sc.length_override {
        let o = match (o.cycles, o.minutes) {
            (Some(n), None) => LengthOverride::Cycles(n),
            (None, Some(m)) => LengthOverride::Time(secs(m * 60.0)),
            _ => return Err("override takes cycles or minutes".into()),
        };
        engine::apply_override(&mut session, o);
    }
    let tl = Timeline::compile(&session, secs(sc.settle));
    let t0 = Instant::now();
    let mut player = Player::new(tl.clone(), t0);
    let mut events = Vec::new();
    for a in &sc.actions {
        let now = t0 + secs(a.at);
        events.extend(player.poll(now));
        let done = match a.what.as_str() {
            "pause" => {
                player.pause(now);
                true
            }
            "resume" => {
                player.resume(now);
                true
            }
            "skip" => player.skip(now),
            "end-hold" => player.end_open(now),
            other => return Err(format!("unknown action {other}")),
        };
        if !done {
            return Err(format!("action {} at {} had no effect", a.what, a.at));
        }
    }
    // Poll in small steps well past the end, as a runner would.
    let last = sc.actions.iter().map(|a| a.at).fold(0.0, f64::max);
    let horizon = last + tl.planned().as_secs_f64() + 1.0;
    let mut t = last;
    while t < horizon {
        t += 0.25;
        events.extend(player.poll(t0 + secs(t)));
    }
    let end_now = t0 + secs(horizon);
    if !player.finished(end_now) {
        return Err("the session did not finish".into());
    }
    let name = |s: Option<&String>| s.cloned().unwrap_or_else(|| "none".into());
    let seen: Vec<Seen> = events
        .iter()
        .map(|e| {
            let (event, sound, text) = match &e.kind {
                EventKind::SessionStart => {
                    ("start".to_owned(), name(tl.start_sound.as_ref()), None)
                }
                EventKind::SessionEnd => ("end".to_owned(), name(tl.end_sound.as_ref()), None),
                EventKind::SegmentStart(i) => {
                    let s = &tl.segments[*i];
                    (s.kind.word().to_owned(), name(s.sound.as_ref()), None)
                }
                EventKind::Bell { block } => (
                    "bell".to_owned(),
                    name(tl.bell_sounds[*block].as_ref()),
                    None,
                ),
                EventKind::Prompt { block, index } => (
                    "prompt".to_owned(),
                    name(tl.prompt_sounds[*block].as_ref()),
                    Some(tl.prompts[*block][*index].1.clone()),
                ),
                EventKind::Count { n, .. } => {
                    ("count".to_owned(), String::new(), Some(n.to_string()))
                }
            };
            // A spoken event sounds like its voice clip (the chime is only
            // the clip's stand-in).
            let sound = e.kind.voice(&tl).unwrap_or(sound);
            Seen {
                at_ms: e.at.as_millis(),
                event,
                sound,
                text,
            }
        })
        .collect();
    // Compare the whole list; where a scenario leaves out a sound or text,
    // take what was seen so only the written fields are compared.
    let expected: Vec<Seen> = sc
        .expect
        .iter()
        .zip(seen.iter().map(Some).chain(std::iter::repeat(None)))
        .map(|(x, s)| {
            let s = s.filter(|s| s.event == x.event && s.at_ms == secs(x.at).as_millis());
            (x, s)
        })
        .map(|(x, s)| Seen {
            at_ms: secs(x.at).as_millis(),
            event: x.event.clone(),
            sound: x
                .sound
                .clone()
                .or_else(|| s.map(|s| s.sound.clone()))
                .unwrap_or_default(),
            text: x.text.clone().or_else(|| s.and_then(|s| s.text.clone())),
        })
        .collect();
    if seen != expected {
        assert_eq!(seen, expected, "{}", sc.description);
    }
    let outcome = player.outcome(end_now, Ending::Completed);
    if let Some(p) = sc.practised {
        if outcome.practised != secs(p) {
            return Err(format!("practised {:?}, expected {p} s", outcome.practised));
        }
    }
    if let Some(h) = &sc.holds {
        let want: Vec<Duration> = h.iter().map(|s| secs(*s)).collect();
        if outcome.holds != want {
            return Err(format!("holds {:?}, expected {want:?}", outcome.holds));
        }
    }
    if let Some(c) = &sc.capped {
        if &outcome.capped != c {
            return Err(format!("capped {:?}, expected {c:?}", outcome.capped));
        }
    }
    Ok(())
}

#[test]
fn every_scenario_plays_as_written() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("read scenarios")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 10, "only {} scenarios", paths.len());
    let mut failures = Vec::new();
    for p in &paths {
        let result = std::panic::catch_unwind(|| run(p));
        match result {
            Ok(Ok(())) => {}
            Ok(Err(e)) => failures.push(format!("{}: {e}", p.display())),
            Err(_) => failures.push(format!("{}: events differ (see above)", p.display())),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
