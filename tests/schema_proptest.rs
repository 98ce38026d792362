//! Random valid sessions, written as TOML the way people write them (lengths
//! as numbers, unit strings and clock strings; ramps; all three block
//! kinds), must pass both the validator and the JSON Schema, and compile
//! into a timeline. `PROPTEST_CASES=20000 cargo test --test schema_proptest`
//! runs a long search, and `SHOW_SAMPLE=1` prints each generated session
//! (see docs/fuzzing.md).

use std::fmt::Write as _;
use std::time::Duration;

use exhale::format::{self, BuiltinSoundNames, schema};
use proptest::prelude::*;

fn quoted(s: &str) -> String {
    toml::Value::String(s.to_owned()).to_string()
}

/// A length of `ms` milliseconds, in one of the spellings people use.
fn spell(ms: u64, style: u8) -> String {
    let secs = ms as f64 / 1000.0;
    let number = if ms % 1000 == 0 {
        format!("{}", ms / 1000)
    } else {
        format!("{secs}")
    };
    match style % 6 {
        0 => number,
        1 => format!("\"{number}s\""),
        2 => format!("\"{ms}ms\""),
        3 if ms % 1000 == 0 => format!("\"{}:{:02}\"", ms / 60_000, ms / 1000 % 60),
        4 if ms % 1000 == 0 && ms >= 60_000 => {
            format!("\"{}m {}S\"", ms / 60_000, ms / 1000 % 60)
        }
        5 => format!("\"{number} seconds\""),
        _ => number,
    }
}

const CUES: &[&str] = &[
    "Breathe in",
    "Out, slowly",
    "Hold \"gently\"",
    "Ruhig atmen — ça va",
    "  padded  ",
    "呼吸 slowly",
];
/// Descriptions may run over several lines; one-line texts (the cues,
/// titles, tags and prompts above) may not.
const DESCRIPTIONS: &[&str] = &[
    "One line.",
    "two\nlines",
    "saved on Windows\r\nsecond line",
    "\n  padded paragraphs\n\n",
];
const SOUNDS: &[&str] = &["bell", "bowl", "wood", "gong", "rise", "fall", "none"];

/// A ramp: target ms, then maybe (step ms, maybe every N cycles).
type Ramp = (u64, Option<(u64, Option<u32>)>);

#[derive(Debug, Clone)]
struct Phase {
    kind: usize,
    ms: u64,
    style: u8,
    ramp: Option<Ramp>,
    cue: Option<usize>,
    sound: Option<usize>,
}

impl Phase {
    fn toml(&self, ramps: bool) -> String {
        let kind = ["in", "out", "hold"][self.kind];
        let mut s = format!("{{ {kind} = {}", spell(self.ms, self.style));
        if let (true, Some((to, step))) = (ramps, &self.ramp) {
            let _ = write!(s, ", to = {}", spell(*to, self.style.wrapping_add(1)));
            if let Some((step, every)) = step {
                let _ = write!(s, ", step = {}", spell(*step, 0));
                if let Some(e) = every {
                    let _ = write!(s, ", every = {e}");
                }
            }
        }
        if let Some(c) = self.cue {
            let _ = write!(s, ", cue = {}", quoted(CUES[c]));
        }
        if let Some(c) = self.sound {
            let _ = write!(s, ", sound = {}", quoted(SOUNDS[c]));
        }
        s.push_str(" }");
        s
    }
}

fn phase() -> impl Strategy<Value = Phase> {
    (
        0..3_usize,
        1_u64..=200,
        any::<u8>(),
        proptest::option::of((
            1_u64..=200,
            proptest::option::of((1_u64..=20, proptest::option::of(1_u32..=5))),
        )),
        proptest::option::of(0..CUES.len()),
        proptest::option::of(0..SOUNDS.len()),
    )
        .prop_map(|(kind, tenths, style, ramp, cue, sound)| Phase {
            kind,
            ms: tenths * 100,
            style,
            ramp: ramp.map(|(to, step)| (to * 100, step.map(|(s, e)| (s * 100, e)))),
            cue,
            sound,
        })
}

#[derive(Debug, Clone)]
enum Block {
    Breathe {
        phases: Vec<Phase>,
        length: (u8, u32),
        cues: bool,
    },
    Retention {
        rounds: u32,
        breaths: u32,
        phases: Vec<Phase>,
        cap_s: u64,
        recovery: Vec<Phase>,
    },
    Meditate {
        secs: u64,
        form: u8,
        bells: (bool, bool, Option<u64>, Vec<u64>),
        prompts: Vec<(u64, usize)>,
    },
}

fn block() -> impl Strategy<Value = Block> {
    let breathe = (
        proptest::collection::vec(phase(), 1..6),
        (0..3_u8, 1_u32..40),
        any::<bool>(),
    )
        .prop_map(|(phases, length, cues)| Block::Breathe {
            phases,
            length,
            cues,
        });
    let retention = (
        1_u32..=3,
        0_u32..=40,
        proptest::collection::vec(phase(), 1..3),
        1_u64..=600,
        proptest::collection::vec(phase(), 0..3),
    )
        .prop_map(
            |(rounds, breaths, phases, cap_s, recovery)| Block::Retention {
                rounds,
                breaths,
                phases,
                cap_s,
                recovery,
            },
        );
    let meditate = (1_u64..=1800, 0..4_u8).prop_flat_map(|(secs, form)| {
        (
            Just(secs),
            Just(form),
            (
                any::<bool>(),
                any::<bool>(),
                proptest::option::of(1_u64..=600),
                proptest::collection::vec(0..secs, 0..4),
            ),
            proptest::collection::vec((0..secs, 0..CUES.len()), 0..5),
        )
            .prop_map(|(secs, form, bells, prompts)| Block::Meditate {
                secs,
                form,
                bells,
                prompts,
            })
    });
    prop_oneof![breathe, retention, meditate]
}

fn phases_toml(key: &str, phases: &[Phase], ramps: bool) -> String {
    let items: Vec<String> = phases.iter().map(|p| p.toml(ramps)).collect();
    format!("{key} = [{}]\n", items.join(", "))
}

fn block_toml(b: &Block) -> String {
    let mut s = String::from("\n[[block]]\n");
    match b {
        Block::Breathe {
            phases,
            length: (form, n),
            cues,
        } => {
            s.push_str("kind = \"breathe\"\n");
            let by_cycles = *form == 0;
            // A ramp with only `to` needs cycles: give a timed block steps.
            let mut phases = phases.clone();
            if !by_cycles {
                for p in &mut phases {
                    if let Some((_, step @ None)) = &mut p.ramp {
                        *step = Some((500, None));
                    }
                }
            }
            s.push_str(&phases_toml("phases", &phases, true));
            match form {
                0 => {
                    let _ = writeln!(s, "cycles = {n}");
                }
                1 => {
                    let _ = writeln!(s, "minutes = {}", f64::from(*n) / 4.0);
                }
                _ => {
                    let _ = writeln!(s, "duration = {}", spell(u64::from(*n) * 15_000, 4));
                }
            }
            if *cues {
                s.push_str("cues = { in = \"In\", out = \"Out\", hold = \"Hold\" }\n");
            }
        }
        Block::Retention {
            rounds,
            breaths,
            phases,
            cap_s,
            recovery,
        } => {
            s.push_str("kind = \"retention\"\n");
            let _ = writeln!(s, "rounds = {rounds}\nbreaths = {breaths}");
            s.push_str(&phases_toml("phases", phases, false));
            let _ = writeln!(s, "retention = {{ cap = {} }}", spell(cap_s * 1000, 3));
            s.push_str(&phases_toml("recovery", recovery, false));
        }
        Block::Meditate {
            secs,
            form,
            bells: (start, end, every, at),
            prompts,
        } => {
            s.push_str("kind = \"meditate\"\n");
            match form {
                0 => {
                    let _ = writeln!(s, "minutes = {}", *secs as f64 / 60.0);
                }
                1 => {
                    let _ = writeln!(s, "duration = {}", spell(secs * 1000, 3));
                }
                2 => {
                    let _ = writeln!(s, "open = true\ncap = {}", spell(secs * 1000, 1));
                }
                _ => s.push_str("open = false\nduration = \"1h\"\n"),
            }
            let at: Vec<String> = at.iter().map(|t| spell(t * 1000, 3)).collect();
            let _ = write!(
                s,
                "bells = {{ start = {start}, end = {end}, at = [{}]",
                at.join(", ")
            );
            if let Some(e) = every {
                let _ = write!(s, ", every = {}", spell(e * 1000, 1));
            }
            s.push_str(" }\n");
            let items: Vec<String> = prompts
                .iter()
                .map(|(t, c)| {
                    format!(
                        "{{ at = {}, text = {} }}",
                        spell(t * 1000, 3),
                        quoted(CUES[*c].trim())
                    )
                })
                .collect();
            let _ = writeln!(s, "prompts = [{}]", items.join(", "));
        }
    }
    s
}

fn session() -> impl Strategy<Value = String> {
    (
        0..CUES.len(),
        proptest::collection::vec(0..CUES.len(), 0..4),
        proptest::option::of(0_u64..=300),
        proptest::option::of(0..SOUNDS.len()),
        proptest::collection::vec(block(), 1..4),
        proptest::option::of(0..DESCRIPTIONS.len()),
    )
        .prop_map(|(title, tags, settle, sound, blocks, description)| {
            let mut s = format!("name = {}\n", quoted(CUES[title].trim()));
            if let Some(d) = description {
                let _ = writeln!(s, "description = {}", quoted(DESCRIPTIONS[d]));
            }
            let tags: Vec<String> = tags.iter().map(|t| quoted(CUES[*t])).collect();
            let _ = writeln!(s, "tags = [{}]", tags.join(", "));
            if let Some(st) = settle {
                let _ = writeln!(s, "settle = {}", spell(st * 1000, 3));
            }
            if let Some(i) = sound {
                let _ = writeln!(s, "sounds = {{ bell = {} }}", quoted(SOUNDS[i]));
            }
            for b in &blocks {
                s.push_str(&block_toml(b));
            }
            s
        })
}

fn validator() -> (boon::Schemas, boon::SchemaIndex) {
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    let url = "file:///session.schema.json";
    compiler
        .add_resource(url, schema::schema())
        .unwrap_or_else(|e| panic!("{e}"));
    let index = compiler
        .compile(url, &mut schemas)
        .unwrap_or_else(|e| panic!("{e:#}"));
    (schemas, index)
}

proptest! {
    // Failures are printed with the session's text, which is the useful
    // part to keep; proptest's own persistence file is not needed.
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn generated_sessions_pass_the_validator_and_the_schema(text in session()) {
        thread_local! {
            static SCHEMA: (boon::Schemas, boon::SchemaIndex) = validator();
        }
        if std::env::var("SHOW_SAMPLE").is_ok() { eprintln!("-----\n{text}"); }
        let checked = format::check_str(&text, &BuiltinSoundNames);
        prop_assert!(
            !checked.has_errors(),
            "the validator rejects:\n{text}\n{:?}",
            checked.diagnostics
        );
        let table: toml::Table = toml::from_str(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let doc = serde_json::to_value(table).map_err(|e| TestCaseError::fail(e.to_string()))?;
        SCHEMA.with(|(schemas, index)| {
            if let Err(e) = schemas.validate(&doc, *index) {
                panic!("the schema rejects a valid session:\n{text}\n{e}");
            }
        });
        if let Some(session) = checked.session {
            let tl = exhale::engine::Timeline::compile(&session, Duration::ZERO);
            prop_assert!(tl.planned() > Duration::ZERO);
        }
    }
}
