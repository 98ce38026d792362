//! Plain-language summaries of a session, shared by `list`, `show` and the
//! picker's preview: how long it is, what kind it is, and what each block
//! does.

use std::time::Duration;

use serde::Serialize;

use crate::engine::model::{Bells, BlockBody, PhaseKind, Ramp, Session, SitLength, Sounds};
use crate::engine::{self, Timeline, phases_per_minute};
use crate::text::{count, human};

/// What kind of practice a session is, for listings.
pub fn kind_of(session: &Session) -> &'static str {
    let mut kinds = session.blocks.iter().map(|b| match b.body {
        BlockBody::Breathe(_) => "breathe",
        BlockBody::Retention(_) => "retention",
        BlockBody::Meditate(_) => "meditate",
    });
    let first = kinds.next().unwrap_or("empty");
    if kinds.all(|k| k == first) {
        first
    } else {
        "mixed"
    }
}

/// Length for listings: `5m04s`, `8m + holds`, `open`.
pub fn length_text(tl: &Timeline) -> String {
    let fixed = tl.fixed_length();
    let open_sit = tl
        .segments
        .iter()
        .any(|s| s.open && s.kind == engine::SegmentKind::Sit);
    let holds = tl
        .segments
        .iter()
        .any(|s| s.open && s.kind == engine::SegmentKind::Retention);
    match (fixed.is_zero(), open_sit, holds) {
        (true, true, _) => "open".into(),
        (_, true, _) => format!("{} + open", human(fixed)),
        (_, false, true) => format!("{} + holds", human(fixed)),
        _ => human(fixed),
    }
}

/// The parts of a session the user ends: how many breath holds and how
/// many open-ended sits.
pub fn open_parts(tl: &Timeline) -> (usize, usize) {
    let of = |kind| {
        tl.segments
            .iter()
            .filter(|s| s.open && s.kind == kind)
            .count()
    };
    (
        of(engine::SegmentKind::Retention),
        of(engine::SegmentKind::Sit),
    )
}

/// When the user ends part of a session: the most it can last, worded for
/// what is open (`at most 5m09s, if every hold runs to its cap`).
pub fn at_most_text(tl: &Timeline) -> Option<String> {
    let most = human(tl.planned());
    match open_parts(tl) {
        (0, 0) => None,
        (1, 0) => Some(format!("at most {most}, if the hold runs to its cap")),
        (_, 0) => Some(format!("at most {most}, if every hold runs to its cap")),
        (0, 1) => Some(format!(
            "at most {most}, if the open-ended sit runs to its cap"
        )),
        (0, _) => Some(format!(
            "at most {most}, if every open-ended sit runs to its cap"
        )),
        _ => Some(format!(
            "at most {most}, if every hold and open-ended sit runs to its cap"
        )),
    }
}

/// One phase, as `show` prints it.
#[derive(Debug, Clone, Serialize)]
pub struct PhaseInfo {
    /// `inhale`, `exhale` or `hold`.
    pub kind: PhaseKind,
    /// Length on the first cycle, in seconds.
    pub secs: f64,
    /// Length on the last cycle, for ramps.
    pub to_secs: Option<f64>,
    /// For a ramp in steps: seconds added (or taken away, when negative)
    /// at each step.
    pub step_secs: Option<f64>,
    /// For a ramp in steps: cycles between steps.
    pub step_every: Option<u32>,
    /// For a ramp over a length of time: that length, in seconds.
    pub over_secs: Option<f64>,
    /// For a ramp over a length of time: the cycles it takes.
    pub over_cycles: Option<u32>,
    /// Cue text.
    pub cue: Option<String>,
    /// The sound played when it starts, resolved through the block's and
    /// the session's `sounds` to the default (`"none"` for silence).
    pub sound: String,
}

/// One block, as `show` prints it.
#[derive(Debug, Clone, Serialize)]
pub struct BlockInfo {
    /// Title.
    pub title: String,
    /// `breathe`, `retention` or `meditate`.
    pub kind: &'static str,
    /// Planned length in seconds (open parts at their cap).
    pub secs: f64,
    /// Whether part of the block is ended by the user.
    pub open: bool,
    /// Cycles (breathe) or paced breaths per round (retention).
    pub cycles: Option<u32>,
    /// Rounds (retention).
    pub rounds: Option<u32>,
    /// Breaths a minute on the first cycle (and the last, for ramps).
    pub breaths_per_minute: Option<(f64, f64)>,
    /// The phases of one cycle.
    pub phases: Vec<PhaseInfo>,
    /// Cap of the user-timed hold or open sit, in seconds.
    pub cap_secs: Option<f64>,
    /// The recovery phases (retention).
    pub recovery: Vec<PhaseInfo>,
    /// Bell times in seconds from the block's start (in any kind of block).
    pub bells: Vec<f64>,
    /// Whether a bell rings at the end.
    pub end_bell: bool,
    /// Prompts: seconds from the block's start and text.
    pub prompts: Vec<(f64, String)>,
    /// The cue of the hold you end (retention).
    pub hold_cue: Option<String>,
    /// The sound that starts the hold you end (retention; "none" for
    /// silence).
    pub hold_sound: Option<String>,
}

fn phase_info(p: &crate::engine::model::Phase, sounds: &Sounds) -> PhaseInfo {
    let (step_secs, step_every) = match p.ramp {
        Some(Ramp::Stepped { to, step, every }) => {
            // The step is stored positive; its direction follows `to`.
            let sign = if to < p.length { -1.0 } else { 1.0 };
            (Some(sign * step.as_secs_f64()), Some(every))
        }
        _ => (None, None),
    };
    PhaseInfo {
        kind: p.kind,
        secs: p.length.as_secs_f64(),
        to_secs: p.ramp.map(|r| match r {
            Ramp::Linear { to } | Ramp::Stepped { to, .. } | Ramp::Over { to, .. } => {
                to.as_secs_f64()
            }
        }),
        over_secs: match p.ramp {
            Some(Ramp::Over { over, .. }) => Some(over.as_secs_f64()),
            _ => None,
        },
        over_cycles: match p.ramp {
            Some(Ramp::Over { cycles, .. }) => Some(cycles),
            _ => None,
        },
        step_secs,
        step_every,
        cue: p.cue.clone(),
        sound: phase_sound(p.kind, p.sound.as_ref(), sounds),
    }
}

/// The sound a phase of `kind` plays: its own, else its kind's in
/// `sounds` (already resolved to the defaults); "none" for silence.
fn phase_sound(kind: PhaseKind, own: Option<&String>, sounds: &Sounds) -> String {
    own.or(match kind {
        PhaseKind::Inhale => sounds.inhale.as_ref(),
        PhaseKind::Exhale => sounds.exhale.as_ref(),
        PhaseKind::Hold => sounds.hold.as_ref(),
        PhaseKind::Natural => None,
    })
    .cloned()
    .unwrap_or_else(|| "none".into())
}

/// Describe each block of a session.
pub fn blocks(session: &Session) -> Vec<BlockInfo> {
    let session_sounds = session.sounds.or(&engine::timeline::default_sounds());
    session
        .blocks
        .iter()
        .map(|b| {
            let sounds = b.sounds.or(&session_sounds);
            let phase_info = |p| phase_info(p, &sounds);
            let mut info = BlockInfo {
                title: b.title().to_owned(),
                kind: "breathe",
                secs: 0.0,
                open: false,
                cycles: None,
                rounds: None,
                breaths_per_minute: None,
                phases: Vec::new(),
                cap_secs: None,
                recovery: Vec::new(),
                bells: Vec::new(),
                end_bell: false,
                prompts: Vec::new(),
                hold_cue: None,
                hold_sound: None,
            };
            match &b.body {
                BlockBody::Breathe(br) => {
                    let n = engine::breathe_cycle_count(br);
                    info.secs = (0..n)
                        .map(|c| engine::cycle_length(br, c, n))
                        .sum::<Duration>()
                        .as_secs_f64();
                    info.cycles = Some(n);
                    info.breaths_per_minute = Some((
                        phases_per_minute(&br.phases, 0, n),
                        phases_per_minute(&br.phases, n.saturating_sub(1), n),
                    ));
                    info.phases = br.phases.iter().map(phase_info).collect();
                    (info.bells, info.end_bell) =
                        bell_times(&br.bells, Duration::from_secs_f64(info.secs));
                }
                BlockBody::Retention(r) => {
                    info.kind = "retention";
                    info.open = true;
                    let breath: Duration = r.phases.iter().map(|p| p.length).sum();
                    let rec: Duration = r.recovery.iter().map(|p| p.length).sum();
                    info.secs = ((breath * r.breaths + r.cap + rec) * r.rounds).as_secs_f64();
                    info.cycles = Some(r.breaths);
                    info.rounds = Some(r.rounds);
                    let bpm = phases_per_minute(&r.phases, 0, 1);
                    info.breaths_per_minute = Some((bpm, bpm));
                    info.phases = r.phases.iter().map(phase_info).collect();
                    info.cap_secs = Some(r.cap.as_secs_f64());
                    info.recovery = r.recovery.iter().map(phase_info).collect();
                    info.hold_cue = Some(
                        r.hold_cue
                            .clone()
                            .unwrap_or_else(|| engine::timeline::DEFAULT_HOLD_CUE.to_owned()),
                    );
                    info.hold_sound = Some(phase_sound(PhaseKind::Hold, None, &sounds));
                    (info.bells, info.end_bell) =
                        bell_times(&r.bells, Duration::from_secs_f64(info.secs));
                }
                BlockBody::Meditate(m) => {
                    info.kind = "meditate";
                    let len = match m.length {
                        SitLength::Fixed(d) => d,
                        SitLength::Open { cap } => {
                            info.open = true;
                            info.cap_secs = Some(cap.as_secs_f64());
                            cap
                        }
                    };
                    info.secs = len.as_secs_f64();
                    (info.bells, info.end_bell) = bell_times(&m.bells, len);
                    info.prompts = m
                        .prompts
                        .iter()
                        .map(|p| (p.at.as_secs_f64(), p.text.clone()))
                        .collect();
                }
            }
            info
        })
        .collect()
}

/// The times bells ring in a block of length `len`, in seconds from its
/// start, and whether one rings at its end (a bell written at the very end
/// is the end bell).
fn bell_times(b: &Bells, len: Duration) -> (Vec<f64>, bool) {
    let (times, end) = b.times(len);
    (times.iter().map(Duration::as_secs_f64).collect(), end)
}

/// A block's bells as `bells: start, 5m, 10m, end`, if it has any.
fn bells_part(b: &BlockInfo) -> Option<String> {
    if b.bells.is_empty() && !b.end_bell {
        return None;
    }
    let mut times: Vec<String> = b.bells.iter().map(|t| secs(*t)).collect();
    if b.bells.first() == Some(&0.0) {
        times[0] = "start".into();
    }
    if b.end_bell {
        times.push("end".into());
    }
    Some(format!("bells: {}", times.join(", ")))
}

fn secs(s: f64) -> String {
    human(Duration::from_secs_f64(s))
}

/// A phase list as `in 4s · hold 7s · out 8s`.
pub fn phases_line(phases: &[PhaseInfo]) -> String {
    phases
        .iter()
        .map(|p| {
            let word = match p.kind {
                PhaseKind::Inhale => "in",
                PhaseKind::Exhale => "out",
                PhaseKind::Hold => "hold",
                PhaseKind::Natural => "natural",
            };
            match (p.to_secs, p.step_secs, p.step_every) {
                (Some(to), Some(step), Some(every)) => format!(
                    "{word} {}→{} ({}{} every {})",
                    secs(p.secs),
                    secs(to),
                    if step < 0.0 { "−" } else { "+" },
                    secs(step.abs()),
                    if every == 1 {
                        "cycle".to_owned()
                    } else {
                        count(every, "cycle")
                    }
                ),
                (Some(to), _, _) => match (p.over_secs, p.over_cycles) {
                    (Some(over), Some(n)) => format!(
                        "{word} {}→{} over {} ({})",
                        secs(p.secs),
                        secs(to),
                        secs(over),
                        count(n, "cycle")
                    ),
                    _ => format!("{word} {}→{}", secs(p.secs), secs(to)),
                },
                _ => format!("{word} {}", secs(p.secs)),
            }
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// Each phase of a block on a line of its own, with its sound and cue,
/// as `show` prints them: `in 4s · rise · Breathe in through the nose`.
pub fn phase_detail_lines(b: &BlockInfo) -> Vec<String> {
    let one = |p: &PhaseInfo| {
        let mut line = format!("{} · {}", phases_line(std::slice::from_ref(p)), p.sound);
        if let Some(cue) = &p.cue {
            line.push_str(&format!(" · {cue}"));
        }
        line
    };
    let mut out: Vec<String> = b.phases.iter().map(one).collect();
    if let (Some(cue), Some(sound)) = (&b.hold_cue, &b.hold_sound) {
        let cap = secs(b.cap_secs.unwrap_or(0.0));
        out.push(format!("hold you end, up to {cap} · {sound} · {cue}"));
    }
    out.extend(b.recovery.iter().map(|p| format!("recovery: {}", one(p))));
    out
}

/// A block in one or two lines of plain text, as `show` and the picker
/// preview print it.
pub fn block_lines(b: &BlockInfo) -> Vec<String> {
    let mut out = Vec::new();
    match b.kind {
        "breathe" => {
            let bpm = b.breaths_per_minute.unwrap_or_default();
            let rate = if bpm.0 == 0.0 && bpm.1 == 0.0 {
                "unpaced".to_owned()
            } else if (bpm.0 - bpm.1).abs() < 0.05 {
                format!("{:.1} breaths/min", bpm.0)
            } else {
                format!("{:.1}→{:.1} breaths/min", bpm.0, bpm.1)
            };
            out.push(format!(
                "{} · {} · {}",
                secs(b.secs),
                count(b.cycles.unwrap_or(0), "cycle"),
                rate
            ));
            out.push(phases_line(&b.phases));
            out.extend(bells_part(b));
        }
        "retention" => {
            out.push(format!(
                "{} · {} ({:.0}/min) · hold up to {} · {} at most",
                count(b.rounds.unwrap_or(0), "round"),
                count(b.cycles.unwrap_or(0), "breath"),
                b.breaths_per_minute.unwrap_or_default().0,
                secs(b.cap_secs.unwrap_or(0.0)),
                secs(b.secs),
            ));
            out.push(format!("breath: {}", phases_line(&b.phases)));
            if !b.recovery.is_empty() {
                out.push(format!("recovery: {}", phases_line(&b.recovery)));
            }
            out.extend(bells_part(b));
        }
        _ => {
            let len = if b.open {
                format!("open-ended (up to {})", secs(b.cap_secs.unwrap_or(0.0)))
            } else {
                secs(b.secs)
            };
            let mut parts = vec![len];
            parts.extend(bells_part(b));
            if !b.prompts.is_empty() {
                parts.push(count(b.prompts.len() as u64, "prompt"));
            }
            out.push(parts.join(" · "));
        }
    }
    out
}
