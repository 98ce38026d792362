//! The validated session model: what a session file means once every rule
//! has been checked. The engine compiles this into a timeline; nothing here
//! knows about TOML, spans or the terminal.

use std::time::Duration;

/// A validated session, ready to be compiled into a timeline.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    /// Title shown to the user.
    pub title: String,
    /// A sentence or two a newcomer understands.
    pub description: String,
    /// Free-form tags used by the picker's filter.
    pub tags: Vec<String>,
    /// Who wrote the session.
    pub author: Option<String>,
    /// Published sources for the practice.
    pub references: Vec<String>,
    /// Cautions shown before the session starts: declared ones first, then
    /// those derived from the session's shape.
    pub cautions: Vec<Caution>,
    /// Settle-in countdown before the first block; `None` means "use the
    /// user's configured default".
    pub settle: Option<Duration>,
    /// What the settle-in says (`settle = { text = "..." }`); `None` for
    /// the usual words.
    pub settle_text: Option<String>,
    /// Session-wide sound choices; blocks may override them.
    pub sounds: Sounds,
    /// Bells for the session's sits that have none of their own
    /// (`bells = { ... }` at the top of the file).
    pub bells: Option<Bells>,
    /// The background sound bed the session asks for (`bed = "rain"`);
    /// `None` leaves it to the user's config.
    pub bed: Option<Bed>,
    /// The pacing sound the session asks for (`pacing = "tone"`); blocks
    /// may choose their own; `None` leaves it to the config.
    pub pacing: Option<Pacing>,
    /// The blocks, run in order.
    pub blocks: Vec<Block>,
}

/// Why a caution is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CautionKind {
    /// Written by the session's author.
    Declared,
    /// The session breathes at 20 breaths a minute or faster.
    FastBreathing,
    /// Fast breathing, or a long hold on empty lungs after quick
    /// breathing, can make a person faint: never in water or driving.
    Fainting,
    /// The session has holds the user ends (retention).
    UserTimedHold,
    /// The session holds the breath for more than 10 seconds.
    LongHold,
}

/// A caution shown before the session starts.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Caution {
    /// Where the caution comes from.
    pub kind: CautionKind,
    /// The text shown to the user.
    pub text: String,
    /// For a caution exhale adds: each rule that called for it, in words
    /// (`block 1 "Rounds" breathes at 20.0 breaths a minute; 20 or more is
    /// fast`). Several rules that call for the same caution share it.
    pub why: Vec<String>,
}

/// A background sound bed: noise or a texture made while it plays, under
/// the whole session.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Bed {
    /// No bed.
    #[default]
    None,
    /// Brown noise: deep and soft, most of its energy low.
    Brown,
    /// Pink noise: even across the octaves, like steady wind.
    Pink,
    /// White noise: bright hiss.
    White,
    /// Rain: a soft hiss with scattered drops.
    Rain,
    /// Ocean: deep noise that swells and ebbs like waves.
    Ocean,
}

impl Bed {
    /// Every bed, in the order the bed key cycles through them.
    pub const ALL: [Bed; 6] = [
        Bed::None,
        Bed::Brown,
        Bed::Pink,
        Bed::White,
        Bed::Rain,
        Bed::Ocean,
    ];

    /// The name written in files and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Bed::None => "none",
            Bed::Brown => "brown",
            Bed::Pink => "pink",
            Bed::White => "white",
            Bed::Rain => "rain",
            Bed::Ocean => "ocean",
        }
    }

    /// The bed called `name`, if there is one.
    pub fn from_name(name: &str) -> Option<Bed> {
        Bed::ALL.into_iter().find(|b| b.name() == name)
    }

    /// Every name, for help texts and did-you-mean.
    pub fn names() -> Vec<&'static str> {
        Bed::ALL.iter().map(|b| b.name()).collect()
    }

    /// The bed after this one, round to `none` again.
    #[must_use]
    pub fn next(self) -> Bed {
        let i = Bed::ALL.iter().position(|b| *b == self).unwrap_or(0);
        Bed::ALL[(i + 1) % Bed::ALL.len()]
    }
}

/// A sound that lasts the whole breath and follows it: rising through an
/// inhale, resting on a hold, falling through an exhale.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Pacing {
    /// No pacing sound.
    #[default]
    None,
    /// A soft tone whose pitch follows the breath.
    Tone,
    /// Soft noise that brightens as the lungs fill and darkens as they
    /// empty.
    Noise,
}

impl Pacing {
    /// Every choice.
    pub const ALL: [Pacing; 3] = [Pacing::None, Pacing::Tone, Pacing::Noise];

    /// The name written in files and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Pacing::None => "none",
            Pacing::Tone => "tone",
            Pacing::Noise => "noise",
        }
    }

    /// The choice called `name`, if there is one.
    pub fn from_name(name: &str) -> Option<Pacing> {
        Pacing::ALL.into_iter().find(|p| p.name() == name)
    }

    /// Every name, for help texts and did-you-mean.
    pub fn names() -> Vec<&'static str> {
        Pacing::ALL.iter().map(|p| p.name()).collect()
    }
}

/// Where a phase's sound is heard: in both ears, or in one only (a
/// session that breathes through one nostril at a time can say which).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Pan {
    /// Both channels alike.
    #[default]
    Center,
    /// The left channel only.
    Left,
    /// The right channel only.
    Right,
}

impl Pan {
    /// Every choice.
    pub const ALL: [Pan; 3] = [Pan::Center, Pan::Left, Pan::Right];

    /// The name written in files.
    pub fn name(self) -> &'static str {
        match self {
            Pan::Center => "center",
            Pan::Left => "left",
            Pan::Right => "right",
        }
    }

    /// The choice called `name`, if there is one.
    pub fn from_name(name: &str) -> Option<Pan> {
        Pan::ALL.into_iter().find(|p| p.name() == name)
    }

    /// Every name, for help texts and did-you-mean.
    pub fn names() -> Vec<&'static str> {
        Pan::ALL.iter().map(|p| p.name()).collect()
    }

    /// The gains of the left and right channels.
    pub fn gains(self) -> [f32; 2] {
        match self {
            Pan::Center => [1.0, 1.0],
            Pan::Left => [1.0, 0.0],
            Pan::Right => [0.0, 1.0],
        }
    }
}

/// Sound names chosen per event kind. `None` means "inherit"; the name
/// `"none"` means silence.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Sounds {
    /// Played when an inhale starts.
    pub inhale: Option<String>,
    /// Played when an exhale starts.
    pub exhale: Option<String>,
    /// Played when a hold starts.
    pub hold: Option<String>,
    /// Interval, start and end bells of meditation blocks.
    pub bell: Option<String>,
    /// Played when a meditation prompt appears.
    pub prompt: Option<String>,
    /// Played when the session starts.
    pub start: Option<String>,
    /// Played when the session ends.
    pub end: Option<String>,
    /// The voice pack that speaks the cues (`voice = "default"`); the
    /// name `"none"` means the chimes alone.
    pub voice: Option<String>,
    /// Whether the voice counts the seconds of each phase ("in, 2, 3, 4").
    pub count: Option<bool>,
    /// Whether meditation prompts are said aloud by the speech
    /// synthesiser.
    pub speak: Option<bool>,
}

impl Sounds {
    /// Fill every unset entry of `self` from `outer`.
    #[must_use]
    pub fn or(&self, outer: &Sounds) -> Sounds {
        let pick = |a: &Option<String>, b: &Option<String>| a.clone().or_else(|| b.clone());
        Sounds {
            inhale: pick(&self.inhale, &outer.inhale),
            exhale: pick(&self.exhale, &outer.exhale),
            hold: pick(&self.hold, &outer.hold),
            bell: pick(&self.bell, &outer.bell),
            prompt: pick(&self.prompt, &outer.prompt),
            start: pick(&self.start, &outer.start),
            end: pick(&self.end, &outer.end),
            voice: pick(&self.voice, &outer.voice),
            count: self.count.or(outer.count),
            speak: self.speak.or(outer.speak),
        }
    }

    /// The voice pack these choices speak with, if any (`"none"` is none).
    pub fn spoken_by(&self) -> Option<&str> {
        self.voice.as_deref().filter(|v| *v != "none")
    }

    /// Every sound name set here, with the event kind it is set for.
    pub fn named(&self) -> impl Iterator<Item = (&'static str, &str)> {
        [
            ("inhale", &self.inhale),
            ("exhale", &self.exhale),
            ("hold", &self.hold),
            ("bell", &self.bell),
            ("prompt", &self.prompt),
            ("start", &self.start),
            ("end", &self.end),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.as_deref().map(|v| (k, v)))
    }
}

/// Who speaks a session, from outside it: the config's voice and counting
/// stand in where the session and its blocks say nothing, and the command
/// line's (`--voice`, `--count`) override them all.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Voicing {
    /// `[sound] voice`: for sessions that name none.
    pub default: Option<String>,
    /// `[sound] count`: for sessions that do not say.
    pub default_count: Option<bool>,
    /// `--voice NAME`: for every block, whatever it says.
    pub forced: Option<String>,
    /// `--count`: every block counts.
    pub forced_count: bool,
    /// `[sound] speak`: for sessions that do not say.
    pub default_speak: Option<bool>,
    /// `--speak`: every block's prompts are spoken.
    pub forced_speak: bool,
}

impl Voicing {
    /// Apply these choices to `session`.
    pub fn apply(&self, session: &mut Session) {
        if let Some(v) = &self.forced {
            session.sounds.voice = Some(v.clone());
            for b in &mut session.blocks {
                b.sounds.voice = None;
            }
        } else if session.sounds.voice.is_none() {
            session.sounds.voice.clone_from(&self.default);
        }
        if self.forced_count {
            session.sounds.count = Some(true);
            for b in &mut session.blocks {
                b.sounds.count = None;
            }
        } else if session.sounds.count.is_none() {
            session.sounds.count = self.default_count;
        }
        if self.forced_speak {
            session.sounds.speak = Some(true);
            for b in &mut session.blocks {
                b.sounds.speak = None;
            }
        } else if session.sounds.speak.is_none() {
            session.sounds.speak = self.default_speak;
        }
    }
}

/// One block of a session.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// Optional title ("Warm-up"); the kind's name is shown otherwise.
    pub name: Option<String>,
    /// Block-level sound choices.
    pub sounds: Sounds,
    /// The block's own pacing sound, over the session's.
    pub pacing: Option<Pacing>,
    /// What the block does.
    pub body: BlockBody,
}

impl Block {
    /// The title to show for this block.
    pub fn title(&self) -> &str {
        self.name.as_deref().unwrap_or(match self.body {
            BlockBody::Breathe(_) => "Breathing",
            BlockBody::Retention(_) => "Retention",
            BlockBody::Meditate(_) => "Meditation",
        })
    }
}

/// The three kinds of block.
#[derive(Debug, Clone, PartialEq)]
pub enum BlockBody {
    /// Paced breathing: a cycle of phases repeated.
    Breathe(Breathe),
    /// Rounds of paced breaths, a user-timed hold, and a recovery.
    Retention(Retention),
    /// Sitting, with bells and prompts.
    Meditate(Meditate),
}

/// The kind of a breathing phase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum PhaseKind {
    /// Breathe in.
    Inhale,
    /// Breathe out.
    Exhale,
    /// Hold the breath.
    Hold,
    /// Breathe naturally, unpaced: no count to follow.
    Natural,
}

impl PhaseKind {
    /// The word used in plain mode and on screen.
    pub fn word(self) -> &'static str {
        match self {
            PhaseKind::Inhale => "inhale",
            PhaseKind::Exhale => "exhale",
            PhaseKind::Hold => "hold",
            PhaseKind::Natural => "natural",
        }
    }
}

/// How a phase's length changes across the cycles of its block.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Ramp {
    /// From the phase's length on the first cycle to `to` on the last,
    /// in equal steps.
    Linear {
        /// Length on the last cycle.
        to: Duration,
    },
    /// From the phase's length to `to` in equal steps over the first
    /// `cycles` cycles (the ones that fill `over`), then `to` from there
    /// on: a ramp over a length of time.
    Over {
        /// Length once the ramp is done.
        to: Duration,
        /// The length of time written (`over = "8m"`, or the block's).
        over: Duration,
        /// The cycles that come nearest to filling `over`.
        cycles: u32,
    },
    /// Change by `step` every `every` cycles until `to` is reached.
    Stepped {
        /// Final length.
        to: Duration,
        /// Change per step (always positive; the direction follows `to`).
        step: Duration,
        /// Cycles between steps.
        every: u32,
    },
}

/// One phase of a breathing cycle.
#[derive(Debug, Clone, PartialEq)]
pub struct Phase {
    /// Inhale, exhale or hold.
    pub kind: PhaseKind,
    /// Length on the first cycle.
    pub length: Duration,
    /// Optional change across cycles.
    pub ramp: Option<Ramp>,
    /// Text shown during the phase.
    pub cue: Option<String>,
    /// Sound played when the phase starts, overriding the block's.
    pub sound: Option<String>,
    /// Which ear the phase's sounds are heard in (`pan = "left"`).
    pub pan: Pan,
}

/// How long a breathing block lasts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BlockLength {
    /// A fixed number of cycles.
    Cycles(u32),
    /// As many whole cycles as come nearest to this length (at least one).
    Time(Duration),
}

/// A paced-breathing block.
#[derive(Debug, Clone, PartialEq)]
pub struct Breathe {
    /// The phases of one cycle, in order (with a `rate`, already scaled
    /// to it: see [`super::pace`]).
    pub phases: Vec<Phase>,
    /// How long the block lasts.
    pub length: BlockLength,
    /// Bells rung on the block's own clock while the breathing goes on.
    pub bells: Bells,
    /// The pace the block was given with `rate`, if any.
    pub rate: Option<Rate>,
}

/// The pace of a breathing block given as a rate rather than by its
/// phases' lengths: one cycle is one breath.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Rate {
    /// This many breaths a minute.
    PerMinute(f64),
    /// The person's own resonance rate from their latest assessment;
    /// [`RESONANCE_FALLBACK`] until there is one.
    Resonance,
}

/// The rate a `rate = "resonance"` block breathes at until an assessment
/// has found the person's own: the middle of the usual range.
pub const RESONANCE_FALLBACK: f64 = 5.5;

/// The fastest rate an assessment finds, breaths a minute (the steps run
/// from 4.5 to 6.5, fine-tuned by a quarter).
pub const MAX_RESONANCE_RATE: f64 = 6.75;

/// The slowest rate a block may be given, breaths a minute.
pub const MIN_RATE: f64 = 1.0;
/// The fastest.
pub const MAX_RATE: f64 = 30.0;

/// A retention block: `rounds` times, `breaths` paced breaths, a hold the
/// user ends (capped), then the recovery phases.
#[derive(Debug, Clone, PartialEq)]
pub struct Retention {
    /// Number of rounds.
    pub rounds: u32,
    /// Paced breaths before each hold.
    pub breaths: u32,
    /// The phases of one paced breath.
    pub phases: Vec<Phase>,
    /// Longest a retention hold may last before it ends by itself.
    pub cap: Duration,
    /// Text shown during the retention hold.
    pub hold_cue: Option<String>,
    /// The recovery phases after each hold (e.g. inhale, hold 15 s).
    pub recovery: Vec<Phase>,
    /// Bells rung on the block's own clock while the rounds go on.
    pub bells: Bells,
}

/// How long a meditation block lasts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SitLength {
    /// A fixed length.
    Fixed(Duration),
    /// Until the user ends it, at most `cap`.
    Open {
        /// Longest the block may last.
        cap: Duration,
    },
}

/// Bells of a block: a meditation's, or those rung during breathing.
#[derive(Debug, Clone, PartialEq)]
pub struct Bells {
    /// Ring when the block starts.
    pub start: bool,
    /// Ring when the block ends.
    pub end: bool,
    /// Ring every so often from the block's start.
    pub every: Option<Duration>,
    /// Ring at these offsets from the block's start.
    pub at: Vec<Duration>,
    /// Ring at random gaps drawn from this range (`random = "3m..7m"`),
    /// from the block's start.
    pub random: Option<(Duration, Duration)>,
    /// The seed of the random gaps: the same seed, the same bells, so
    /// `exhale show` lists the bells a run will ring.
    pub seed: u64,
    /// How many times each bell is struck, [`STRIKE_GAP`] apart (1: once).
    pub strikes: u32,
}

/// The time between the strikes of one bell (`strikes = 3`).
pub const STRIKE_GAP: Duration = Duration::from_secs(3);

/// The most strikes a bell may have.
pub const MAX_STRIKES: u32 = 10;

impl Default for Bells {
    fn default() -> Self {
        Self {
            start: false,
            end: false,
            every: None,
            at: Vec::new(),
            random: None,
            seed: 0,
            strikes: 1,
        }
    }
}

impl Bells {
    /// Whether any bell is asked for.
    pub fn any(&self) -> bool {
        self.start
            || self.end
            || self.every.is_some()
            || !self.at.is_empty()
            || self.random.is_some()
    }

    /// When the bells of a block of planned length `length` ring, from
    /// its start, in order and each once, and whether one rings at its
    /// end. A bell written at the very end (or past it) is the end bell;
    /// each bell's later strikes follow it [`STRIKE_GAP`] apart while the
    /// block lasts. The end bell is struck once: the block is over with it.
    pub fn times(&self, length: Duration) -> (Vec<Duration>, bool) {
        let mut times: Vec<Duration> = self.at.clone();
        if self.start {
            times.push(Duration::ZERO);
        }
        if let Some(every) = self.every.filter(|e| !e.is_zero()) {
            let mut t = every;
            while t < length {
                times.push(t);
                t += every;
            }
        }
        if let Some((lo, hi)) = self.random {
            let mut rng = SplitMix(self.seed);
            let mut t = Duration::ZERO;
            loop {
                let span = hi.saturating_sub(lo).as_secs();
                // Whole seconds, so the times read plainly in `show`.
                let gap = lo.as_secs().max(1) + rng.next() % (span + 1);
                t += Duration::from_secs(gap);
                if t >= length {
                    break;
                }
                times.push(t);
            }
        }
        let at_end = self.end || times.iter().any(|t| *t >= length);
        times.retain(|t| *t < length);
        let struck: Vec<Duration> = times
            .iter()
            .flat_map(|t| (0..self.strikes.max(1)).map(move |k| *t + STRIKE_GAP * k))
            .filter(|t| *t < length)
            .collect();
        let mut times = struck;
        times.sort();
        times.dedup();
        (times, at_end)
    }
}

/// A small, well-known generator (SplitMix64): the random bells must be
/// the same on every machine and in every version for a given seed.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

/// A text prompt shown from `at` until the next prompt or the block's end.
#[derive(Debug, Clone, PartialEq)]
pub struct Prompt {
    /// Offset from the block's start.
    pub at: Duration,
    /// The text.
    pub text: String,
}

/// A meditation block.
#[derive(Debug, Clone, PartialEq)]
pub struct Meditate {
    /// Fixed or open-ended.
    pub length: SitLength,
    /// Bells.
    pub bells: Bells,
    /// Prompts in time order.
    pub prompts: Vec<Prompt>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(n: u64) -> Duration {
        Duration::from_secs(n)
    }

    #[test]
    fn random_bells_keep_to_their_range_and_their_seed() {
        let bells = Bells {
            random: Some((secs(180), secs(420))),
            seed: 7,
            ..Bells::default()
        };
        let hour = secs(3600);
        let (times, end) = bells.times(hour);
        assert!(!end);
        // An hour at 3 to 7 minutes a gap: 8 to 20 bells.
        assert!((8..=20).contains(&times.len()), "{times:?}");
        let mut last = Duration::ZERO;
        for t in &times {
            let gap = t.saturating_sub(last);
            assert!(
                gap >= secs(180) && gap <= secs(420),
                "gap {gap:?} in {times:?}"
            );
            assert_eq!(t.subsec_nanos(), 0, "whole seconds");
            last = *t;
        }
        // The same seed, the same bells; another seed, others.
        assert_eq!(bells.times(hour).0, times);
        let other = Bells {
            seed: 8,
            ..bells.clone()
        };
        assert_ne!(other.times(hour).0, times);
        // A range of one length is a steady interval.
        let steady = Bells {
            random: Some((secs(60), secs(60))),
            ..Bells::default()
        };
        assert_eq!(steady.times(secs(200)).0, [secs(60), secs(120), secs(180)]);
    }

    #[test]
    fn strikes_follow_each_bell_within_the_block_and_the_end_bell_rings_once() {
        let bells = Bells {
            at: vec![secs(10), secs(25)],
            end: true,
            strikes: 3,
            ..Bells::default()
        };
        let (times, end) = bells.times(secs(30));
        assert_eq!(times, [10, 13, 16, 25, 28].map(secs));
        assert!(end);
        assert!(!Bells::default().any());
    }
}
