//! Compiling a session into a flat timeline: every phase of every cycle as
//! a segment with its planned length, the bells and prompts inside
//! meditation blocks as marks, and the bells of breathing blocks on their
//! block's own clock.

use std::time::Duration;

use crate::engine::model::{
    Bed, Bells, BlockBody, Pacing, Pan, PhaseKind, Session, SitLength, Sounds,
};

use super::{breathe_cycle_count, phase_length};

/// What a segment of the timeline is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SegmentKind {
    /// The settle-in countdown before the first block.
    Settle,
    /// A paced phase.
    Breath(PhaseKind),
    /// A hold on empty lungs that the user ends (capped).
    Retention,
    /// A meditation block.
    Sit,
}

impl SegmentKind {
    /// The word shown for this segment.
    pub fn word(self) -> &'static str {
        match self {
            SegmentKind::Settle => "settle",
            SegmentKind::Breath(k) => k.word(),
            SegmentKind::Retention => "retention",
            SegmentKind::Sit => "sit",
        }
    }

    /// The words that name this segment to a person ("Breathe in"), on
    /// screen and read aloud.
    pub fn label(self) -> &'static str {
        match self {
            SegmentKind::Settle => "Settle in",
            SegmentKind::Breath(PhaseKind::Inhale) => "Breathe in",
            SegmentKind::Breath(PhaseKind::Hold) => "Hold",
            SegmentKind::Breath(PhaseKind::Exhale) => "Breathe out",
            SegmentKind::Breath(PhaseKind::Natural) => "Breathe normally",
            SegmentKind::Retention => "Hold on empty",
            SegmentKind::Sit => "Sit",
        }
    }
}

/// A "3 of 16" counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Counter {
    /// 1-based position.
    pub n: u32,
    /// Total.
    pub of: u32,
}

/// One stretch of the timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    /// What it is.
    pub kind: SegmentKind,
    /// Index of its block; `None` for the settle-in countdown.
    pub block: Option<usize>,
    /// Planned length; for an open segment, its cap.
    pub length: Duration,
    /// Whether the user ends it (retention holds, open-ended sits).
    pub open: bool,
    /// Cue text.
    pub cue: Option<String>,
    /// Cycle or breath counter within the block or round.
    pub cycle: Option<Counter>,
    /// Round counter (retention).
    pub round: Option<Counter>,
    /// Whether this is part of a retention block's recovery.
    pub recovery: bool,
    /// Sound to play when it starts (resolved; `None` for silence).
    pub sound: Option<String>,
    /// The voice clip that speaks its start ([`voice_sound`]), played in
    /// place of `sound` when the pack has it.
    pub voice: Option<String>,
    /// Which ear its sounds are heard in: its phase's `pan`, centre for
    /// anything that is not a phase.
    pub pan: Pan,
}

/// What a mark inside a segment is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MarkKind {
    /// An interval, start or end bell.
    Bell,
    /// A text prompt (the index of the prompt in its block).
    Prompt(usize),
    /// The voice counts second `n` (2 to 10) of a breathing phase.
    Count(u32),
}

/// When a mark happens within its segment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MarkAt {
    /// This far into the segment.
    Offset(Duration),
    /// At the segment's actual end.
    End,
}

/// A bell or prompt inside a segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    /// Index of the segment.
    pub segment: usize,
    /// When within it.
    pub at: MarkAt,
    /// What.
    pub kind: MarkKind,
}

/// The bells of a breathing (breathe or retention) block, rung on the
/// block's own clock, from its actual start: they never change the
/// breathing, and a hold ended early brings the later ones forward with
/// the rest of the block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockBells {
    /// Index of the block.
    pub block: usize,
    /// Its first segment.
    pub first: usize,
    /// One past its last segment.
    pub end: usize,
    /// Times from the block's start, in order, each once (zero for a
    /// start bell). A bell whose time falls past the block's actual end
    /// does not ring.
    pub times: Vec<Duration>,
    /// Whether a bell rings at the block's actual end.
    pub at_end: bool,
}

/// A compiled session.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    /// The segments in order.
    pub segments: Vec<Segment>,
    /// Marks, ordered by segment and then time.
    pub marks: Vec<Mark>,
    /// Bells of breathing blocks, in block order.
    pub block_bells: Vec<BlockBells>,
    /// Title of each block.
    pub block_titles: Vec<String>,
    /// Prompts of each block (empty for non-meditation blocks).
    pub prompts: Vec<Vec<(Duration, String)>>,
    /// Bell sound for each block (resolved).
    pub bell_sounds: Vec<Option<String>>,
    /// Prompt sound for each block (resolved).
    pub prompt_sounds: Vec<Option<String>>,
    /// Sound at the session's start and end (resolved).
    pub start_sound: Option<String>,
    /// Sound at the session's end.
    pub end_sound: Option<String>,
    /// The sound bed under the whole session: the session's own choice
    /// here; a front end replaces it with the command line's or, when the
    /// session has none, the config's ([`Timeline::with_bed`]).
    pub bed: Bed,
    /// The pacing sound of each block: its own, or the session's; `None`
    /// leaves it to the config ([`Timeline::with_pacing`]).
    pub pacing: Vec<Option<Pacing>>,
    /// The voice clip at the session's start ("begin"), in place of
    /// `start_sound`.
    pub start_voice: Option<String>,
    /// The voice clip at the session's end ("well done").
    pub end_voice: Option<String>,
    /// The voice pack of each block, for the counts (`Some` only where
    /// the block counts).
    pub count_voices: Vec<Option<String>>,
    /// Whether each block's prompts are spoken aloud (`speak = true`).
    pub spoken_prompts: Vec<bool>,
    /// Whether the summary is said aloud when the session completes: the
    /// session speaks (`speak = true` at its top, `[sound] speak`,
    /// `--speak`) and has an end sound.
    pub speak_summary: bool,
}

/// Sound names of voice clips begin with this, so that they never meet a
/// user's own sound of the same name.
pub const VOICE_PREFIX: &str = "voice:";

/// The sound name of `clip` (a file stem: "in", "4", "done") of the voice
/// pack `voice`.
pub fn voice_sound(voice: &str, clip: &str) -> String {
    format!("{VOICE_PREFIX}{voice}:{clip}")
}

/// Sound names of spoken prompts begin with this; the rest is the text,
/// which the audio side renders with a speech synthesiser.
pub const SPEECH_PREFIX: &str = "say:";

/// The sound name that says `text` aloud.
pub fn speech_sound(text: &str) -> String {
    format!("{SPEECH_PREFIX}{text}")
}

/// The clip that speaks the start of a segment of kind `kind`.
fn phase_clip(kind: SegmentKind) -> Option<&'static str> {
    match kind {
        SegmentKind::Breath(PhaseKind::Inhale) => Some("in"),
        SegmentKind::Breath(PhaseKind::Exhale) => Some("out"),
        SegmentKind::Breath(PhaseKind::Hold) | SegmentKind::Retention => Some("hold"),
        SegmentKind::Breath(PhaseKind::Natural) => Some("rest"),
        SegmentKind::Settle | SegmentKind::Sit => None,
    }
}

/// The voice's counts inside a paced phase of `length`: "2" a second in,
/// "3" at two seconds, up to "10" (the pack's last number), each only if
/// its whole second is inside the phase, so a 4-second inhale is "in, 2,
/// 3, 4" and a 3.5-second one "in, 2, 3".
fn count_marks(segment: usize, length: Duration) -> impl Iterator<Item = Mark> {
    (2..=10u32)
        .take_while(move |n| Duration::from_secs(u64::from(*n)) <= length)
        .map(move |n| (n, Duration::from_secs(u64::from(n - 1))))
        .map(move |(n, at)| Mark {
            segment,
            at: MarkAt::Offset(at),
            kind: MarkKind::Count(n),
        })
}

/// What a natural-breathing phase says when it has no cue of its own.
pub const NATURAL_CUE: &str = "At your own pace; nothing to follow.";

/// A phase's cue: its own, or for natural breathing, the usual words.
fn phase_cue(p: &crate::engine::model::Phase) -> Option<String> {
    p.cue
        .clone()
        .or_else(|| (p.kind == PhaseKind::Natural).then(|| NATURAL_CUE.to_owned()))
}

/// What the settle-in says when the session does not say.
pub const DEFAULT_SETTLE_CUE: &str = "Settle in. Sit comfortably and let the breath be easy.";

/// The cue of a retention hold whose block gives none.
pub const DEFAULT_HOLD_CUE: &str =
    "Let the breath go and hold on empty lungs until you need to breathe.";

/// Sound names used when neither session nor block chooses one; the audio
/// module maps them to bundled sounds.
pub fn default_sounds() -> Sounds {
    let s = |n: &str| Some(n.to_owned());
    Sounds {
        inhale: s("rise"),
        exhale: s("fall"),
        hold: s("wood"),
        bell: s("bell"),
        prompt: s("wood"),
        start: s("bowl"),
        end: s("gong"),
        voice: None,
        count: None,
        speak: None,
    }
}

/// The bells of a breathing block of planned `length` (holds at their
/// cap), made of segments `first..end`; `None` when it has none.
fn breathing_bells(
    block: usize,
    first: usize,
    end: usize,
    length: Duration,
    bells: &Bells,
) -> Option<BlockBells> {
    let (times, at_end) = bells.times(length);
    (!times.is_empty() || at_end).then_some(BlockBells {
        block,
        first,
        end,
        times,
        at_end,
    })
}

fn resolve(name: Option<&String>) -> Option<String> {
    name.filter(|n| n.as_str() != "none").cloned()
}

impl Timeline {
    /// Compile `session` with a settle-in countdown of `settle` (zero for
    /// none).
    pub fn compile(session: &Session, settle: Duration) -> Timeline {
        let session_sounds = session.sounds.or(&default_sounds());
        let mut segments = Vec::new();
        let mut marks = Vec::new();
        let mut block_bells = Vec::new();
        let mut prompts = Vec::new();
        let mut bell_sounds = Vec::new();
        let mut prompt_sounds = Vec::new();
        let mut count_voices = Vec::new();
        let mut spoken_prompts = Vec::new();
        if !settle.is_zero() {
            segments.push(Segment {
                kind: SegmentKind::Settle,
                block: None,
                length: settle,
                open: false,
                cue: Some(
                    session
                        .settle_text
                        .clone()
                        .unwrap_or_else(|| DEFAULT_SETTLE_CUE.into()),
                ),
                cycle: None,
                round: None,
                recovery: false,
                sound: None,
                voice: None,
                pan: Pan::Center,
            });
        }
        for (bi, block) in session.blocks.iter().enumerate() {
            let sounds = block.sounds.or(&session_sounds);
            bell_sounds.push(resolve(sounds.bell.as_ref()));
            prompt_sounds.push(resolve(sounds.prompt.as_ref()));
            let phase_sound = |kind: PhaseKind, own: Option<&String>| {
                resolve(own.or(match kind {
                    PhaseKind::Inhale => sounds.inhale.as_ref(),
                    PhaseKind::Exhale => sounds.exhale.as_ref(),
                    PhaseKind::Hold => sounds.hold.as_ref(),
                    // Natural breathing has no pace to sound.
                    PhaseKind::Natural => None,
                }))
            };
            let mut block_prompts = Vec::new();
            let first = segments.len();
            match &block.body {
                BlockBody::Breathe(b) => {
                    let cycles = breathe_cycle_count(b);
                    for c in 0..cycles {
                        for p in &b.phases {
                            segments.push(Segment {
                                kind: SegmentKind::Breath(p.kind),
                                block: Some(bi),
                                length: phase_length(p, c, cycles),
                                open: false,
                                cue: phase_cue(p),
                                cycle: Some(Counter {
                                    n: c + 1,
                                    of: cycles,
                                }),
                                round: None,
                                recovery: false,
                                sound: phase_sound(p.kind, p.sound.as_ref()),
                                voice: None,
                                pan: p.pan,
                            });
                        }
                    }
                }
                BlockBody::Retention(r) => {
                    for round in 0..r.rounds {
                        let rc = Some(Counter {
                            n: round + 1,
                            of: r.rounds,
                        });
                        for breath in 0..r.breaths {
                            for p in &r.phases {
                                segments.push(Segment {
                                    kind: SegmentKind::Breath(p.kind),
                                    block: Some(bi),
                                    length: p.length,
                                    open: false,
                                    cue: phase_cue(p),
                                    cycle: Some(Counter {
                                        n: breath + 1,
                                        of: r.breaths,
                                    }),
                                    round: rc,
                                    recovery: false,
                                    sound: phase_sound(p.kind, p.sound.as_ref()),
                                    voice: None,
                                    pan: p.pan,
                                });
                            }
                        }
                        segments.push(Segment {
                            kind: SegmentKind::Retention,
                            block: Some(bi),
                            length: r.cap,
                            open: true,
                            cue: r.hold_cue.clone().or_else(|| Some(DEFAULT_HOLD_CUE.into())),
                            cycle: None,
                            round: rc,
                            recovery: false,
                            sound: phase_sound(PhaseKind::Hold, None),
                            voice: None,
                            pan: Pan::Center,
                        });
                        for p in &r.recovery {
                            segments.push(Segment {
                                kind: SegmentKind::Breath(p.kind),
                                block: Some(bi),
                                length: p.length,
                                open: false,
                                cue: phase_cue(p),
                                cycle: None,
                                round: rc,
                                recovery: true,
                                sound: phase_sound(p.kind, p.sound.as_ref()),
                                voice: None,
                                pan: p.pan,
                            });
                        }
                    }
                }
                BlockBody::Meditate(m) => {
                    let (length, open) = match m.length {
                        SitLength::Fixed(d) => (d, false),
                        SitLength::Open { cap } => (cap, true),
                    };
                    let si = segments.len();
                    segments.push(Segment {
                        kind: SegmentKind::Sit,
                        block: Some(bi),
                        length,
                        open,
                        cue: None,
                        cycle: None,
                        round: None,
                        recovery: false,
                        sound: None,
                        voice: None,
                        pan: Pan::Center,
                    });
                    let bells = if m.bells.any() {
                        &m.bells
                    } else {
                        // A session's own bells ring in its sits that
                        // have none of their own.
                        session.bells.as_ref().unwrap_or(&m.bells)
                    };
                    let (bell_times, end_bell) = bells.times(length);
                    let mut times: Vec<(Duration, MarkKind)> = bell_times
                        .into_iter()
                        .map(|t| (t, MarkKind::Bell))
                        .collect();
                    for (i, p) in m.prompts.iter().enumerate() {
                        times.push((p.at, MarkKind::Prompt(i)));
                        block_prompts.push((p.at, p.text.clone()));
                    }
                    // Bells before prompts at the same moment; one bell per moment.
                    times.sort_by_key(|(t, k)| (*t, matches!(k, MarkKind::Prompt(_))));
                    times.dedup_by(|a, b| {
                        a.0 == b.0 && a.1 == MarkKind::Bell && b.1 == MarkKind::Bell
                    });

                    marks.extend(times.into_iter().map(|(t, kind)| Mark {
                        segment: si,
                        at: MarkAt::Offset(t),
                        kind,
                    }));
                    if end_bell {
                        marks.push(Mark {
                            segment: si,
                            at: MarkAt::End,
                            kind: MarkKind::Bell,
                        });
                    }
                }
            }
            let voice = sounds.spoken_by();
            if let Some(v) = voice {
                for seg in &mut segments[first..] {
                    seg.voice = phase_clip(seg.kind).map(|c| voice_sound(v, c));
                }
            }
            spoken_prompts.push(sounds.speak == Some(true));
            let counting = voice.filter(|_| sounds.count == Some(true));
            if let Some(v) = counting {
                for (i, seg) in segments.iter().enumerate().skip(first) {
                    if matches!(seg.kind, SegmentKind::Breath(k) if k != PhaseKind::Natural) {
                        marks.extend(count_marks(i, seg.length));
                    }
                }
                count_voices.push(Some(v.to_owned()));
            } else {
                count_voices.push(None);
            }
            if let BlockBody::Breathe(crate::engine::model::Breathe { bells, .. })
            | BlockBody::Retention(crate::engine::model::Retention { bells, .. }) = &block.body
            {
                let length: Duration = segments[first..].iter().map(|s| s.length).sum();
                if let Some(b) = breathing_bells(bi, first, segments.len(), length, bells) {
                    block_bells.push(b);
                }
            }
            prompts.push(block_prompts);
        }
        // The session's own voice, or else its first block's: a session
        // that is spoken at all begins and ends in that voice.
        let session_voice = session_sounds
            .spoken_by()
            .or_else(|| session.blocks.first().and_then(|b| b.sounds.spoken_by()));
        // Without a settle-in the first phase speaks at the same moment,
        // and two words at once are neither understood.
        let first_spoken = segments.first().is_some_and(|s| s.voice.is_some());
        let start_voice = session_voice
            .filter(|_| resolve(session_sounds.start.as_ref()).is_some())
            .filter(|_| !(settle.is_zero() && first_spoken))
            .map(|v| voice_sound(v, "begin"));
        Timeline {
            segments,
            marks,
            block_bells,
            block_titles: session
                .blocks
                .iter()
                .map(|b| b.title().to_owned())
                .collect(),
            prompts,
            bell_sounds,
            prompt_sounds,
            start_sound: resolve(session_sounds.start.as_ref()),
            end_sound: resolve(session_sounds.end.as_ref()),
            bed: session.bed.unwrap_or_default(),
            // "Begin" and "well done" speak where the session has a start
            // and end sound: the finder's pieces, which are one session
            // to the user, silence theirs, and so stay unspoken.
            start_voice,
            end_voice: session_voice
                .filter(|_| resolve(session_sounds.end.as_ref()).is_some())
                .map(|v| voice_sound(v, "done")),
            count_voices,
            pacing: session
                .blocks
                .iter()
                .map(|b| b.pacing.or(session.pacing))
                .collect(),
            spoken_prompts,
            speak_summary: session_sounds.speak == Some(true)
                && resolve(session_sounds.end.as_ref()).is_some(),
        }
    }

    /// Settle each block's pacing sound: `forced` (the command line's
    /// `--pacing`) first, then the block's or the session's own, then
    /// `default` (the config's `[sound] pacing`).
    #[must_use]
    pub fn with_pacing(mut self, forced: Option<Pacing>, default: Pacing) -> Self {
        for p in &mut self.pacing {
            *p = Some(forced.or(*p).unwrap_or(default));
        }
        self
    }

    /// The pacing sound of block `block` (none for a block that has none,
    /// or past the last).
    pub fn pacing_of(&self, block: usize) -> Pacing {
        self.pacing
            .get(block)
            .copied()
            .flatten()
            .unwrap_or_default()
    }

    /// The bed that plays: `forced` (the command line's `--bed`) first,
    /// then the session's own, then `default` (the config's
    /// `[sound] bed`).
    #[must_use]
    pub fn with_bed(mut self, session: Option<Bed>, forced: Option<Bed>, default: Bed) -> Self {
        self.bed = forced.or(session).unwrap_or(default);
        self
    }

    /// Planned length with open segments at their cap.
    pub fn planned(&self) -> Duration {
        self.segments.iter().map(|s| s.length).sum()
    }

    /// Planned length of the fixed segments only.
    pub fn fixed_length(&self) -> Duration {
        self.segments
            .iter()
            .filter(|s| !s.open)
            .map(|s| s.length)
            .sum()
    }

    /// Whether any segment is ended by the user.
    pub fn has_open(&self) -> bool {
        self.segments.iter().any(|s| s.open)
    }
}
