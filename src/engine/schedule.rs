//! A timeline being played: the planned timeline plus what the user did to
//! it (holds they ended, phases they skipped). It answers `state_at(t)` and
//! `events_between(t0, t1)` for session time `t`; pausing is the clock's
//! business, so nothing here moves unless asked.
//!
//! Events are reported for the half-open window `[t0, t1)`: a caller that
//! asks for consecutive windows sees every event exactly once, in order,
//! even when a hold is ended or a phase skipped in between, because those
//! only move events that lie after the moment they happen.

use std::time::Duration;

use super::timeline::{Mark, MarkAt, MarkKind, Segment, Timeline};

/// Something that happens at a moment of the session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EventKind {
    /// The session begins.
    SessionStart,
    /// Segment `n` begins.
    SegmentStart(usize),
    /// A bell rings in block `block`.
    Bell {
        /// Block index.
        block: usize,
    },
    /// Prompt `index` of block `block` appears.
    Prompt {
        /// Block index.
        block: usize,
        /// Prompt index within the block.
        index: usize,
    },
    /// The voice counts second `n` of a paced phase in block `block`.
    Count {
        /// Block index.
        block: usize,
        /// The number spoken, 2 to 10.
        n: u32,
    },
    /// The session is over.
    SessionEnd,
}

/// An event and its session time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Session time.
    pub at: Duration,
    /// What happens.
    pub kind: EventKind,
}

impl EventKind {
    /// The sound this event plays in `tl`, if any: both front ends play
    /// exactly these.
    pub fn sound<'a>(&self, tl: &'a Timeline) -> Option<&'a str> {
        match self {
            EventKind::SessionStart => tl.start_sound.as_deref(),
            EventKind::SegmentStart(i) => tl.segments.get(*i).and_then(|s| s.sound.as_deref()),
            EventKind::Bell { block } => tl.bell_sounds.get(*block).and_then(Option::as_deref),
            EventKind::Prompt { block, .. } => {
                tl.prompt_sounds.get(*block).and_then(Option::as_deref)
            }
            EventKind::SessionEnd => tl.end_sound.as_deref(),
            EventKind::Count { .. } => None,
        }
    }

    /// The voice clip that speaks this event in `tl`, if it is spoken:
    /// played in place of [`EventKind::sound`], which stays the fallback
    /// for a pack without that clip.
    pub fn voice(&self, tl: &Timeline) -> Option<String> {
        match self {
            EventKind::SessionStart => tl.start_voice.clone(),
            EventKind::SegmentStart(i) => tl.segments.get(*i).and_then(|s| s.voice.clone()),
            EventKind::Count { block, n } => tl
                .count_voices
                .get(*block)
                .and_then(Option::as_deref)
                .map(|v| super::timeline::voice_sound(v, &n.to_string())),
            EventKind::SessionEnd => tl.end_voice.clone(),
            EventKind::Prompt { block, index } => tl
                .spoken_prompts
                .get(*block)
                .copied()
                .unwrap_or(false)
                .then(|| tl.prompts.get(*block)?.get(*index))
                .flatten()
                .map(|(_, text)| super::timeline::speech_sound(text)),
            EventKind::Bell { .. } => None,
        }
    }
}

/// Where the session is at a moment.
#[derive(Debug, Clone, PartialEq)]
pub struct State<'a> {
    /// Index of the current segment (the last one once finished).
    pub index: usize,
    /// The current segment.
    pub segment: &'a Segment,
    /// Time into the current segment.
    pub into: Duration,
    /// Length of the current segment as it stands (its cap if open and not
    /// yet ended).
    pub length: Duration,
    /// `into / length`, from 0 to 1.
    pub progress: f64,
    /// Session time.
    pub elapsed: Duration,
    /// Session length as it stands (open segments at their cap).
    pub total: Duration,
    /// Whether an open segment that the user has not ended lies ahead
    /// (or is current), so `total` is only an upper bound.
    pub open_ahead: bool,
    /// The prompt showing now, in a meditation block.
    pub prompt: Option<&'a str>,
    /// Whether the session is over.
    pub finished: bool,
}

impl State<'_> {
    /// Time left in the current segment.
    pub fn left_in_segment(&self) -> Duration {
        self.length.saturating_sub(self.into)
    }

    /// Time left in the session (an upper bound if `open_ahead`).
    pub fn left(&self) -> Duration {
        self.total.saturating_sub(self.elapsed)
    }
}

/// A timeline with the actual length of each segment.
#[derive(Debug, Clone)]
pub struct Schedule {
    timeline: Timeline,
    /// Actual length of each segment.
    actual: Vec<Duration>,
    /// Start of each segment, plus the end of the last (len = n + 1).
    starts: Vec<Duration>,
    /// Segments the user has ended or skipped.
    ended: Vec<bool>,
    /// The pace of each block, in percent of the written pace (100 as
    /// written, 95 a step slower): changed on the fly with `[` and `]`.
    pace: Vec<u32>,
    /// Stretches of sits passed over to reach the next prompt, in order.
    cuts: Vec<Cut>,
}

/// A stretch of a sit passed over to go on to its next prompt: at `at`
/// into segment `segment` (time as sat), `gap` of the sit as written was
/// left out, with the bells in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Cut {
    segment: usize,
    at: Duration,
    gap: Duration,
}

/// The shortest and longest a paced phase may become when the pace is
/// changed on the fly: the session format's limits, passed in by the
/// front end (the engine sits below the format).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PhaseBounds {
    /// Shortest.
    pub min: Duration,
    /// Longest.
    pub max: Duration,
}

/// How far one `[` or `]` changes the pace, in percent of the written pace.
pub const PACE_STEP: u32 = 5;

impl Schedule {
    /// A schedule that follows `timeline` as planned.
    pub fn new(timeline: Timeline) -> Self {
        let actual: Vec<Duration> = timeline.segments.iter().map(|s| s.length).collect();
        let n = actual.len();
        let blocks = timeline.block_titles.len();
        let mut s = Self {
            timeline,
            actual,
            starts: Vec::with_capacity(n + 1),
            ended: vec![false; n],
            pace: vec![100; blocks],
            cuts: Vec::new(),
        };
        s.recompute_from(0);
        s
    }

    fn recompute_from(&mut self, i: usize) {
        self.starts.truncate(i);
        let mut t = if i == 0 {
            Duration::ZERO
        } else {
            self.starts[i - 1] + self.actual[i - 1]
        };
        for d in &self.actual[i..] {
            self.starts.push(t);
            t += *d;
        }
        self.starts.push(t);
    }

    /// The compiled timeline.
    pub fn timeline(&self) -> &Timeline {
        &self.timeline
    }

    /// Session length as it stands.
    pub fn total(&self) -> Duration {
        self.starts.last().copied().unwrap_or_default()
    }

    /// Start time of segment `i`.
    pub fn start_of(&self, i: usize) -> Duration {
        self.starts[i.min(self.starts.len() - 1)]
    }

    /// Actual length of segment `i`.
    pub fn length_of(&self, i: usize) -> Duration {
        self.actual[i]
    }

    /// Whether the user ended or skipped segment `i`.
    pub fn was_ended(&self, i: usize) -> bool {
        self.ended[i]
    }

    /// Index of the segment running at `t` (the last one at or after the end).
    pub fn index_at(&self, t: Duration) -> usize {
        let n = self.actual.len();
        if n == 0 {
            return 0;
        }
        // First segment whose end is after t.
        let i = self.starts[1..].partition_point(|end| *end <= t);
        i.min(n - 1)
    }

    /// End the segment running at `t`, at `t`: the user ended a hold,
    /// ended an open sit, or skipped a phase. Everything after moves
    /// earlier; nothing is skipped or repeated. Returns the index ended.
    pub fn end_segment_at(&mut self, t: Duration) -> Option<usize> {
        if t >= self.total() || self.actual.is_empty() {
            return None;
        }
        let i = self.index_at(t);
        self.actual[i] = t.saturating_sub(self.starts[i]);
        self.ended[i] = true;
        self.recompute_from(i + 1);
        Some(i)
    }

    /// The pace of block `block` in percent of the written pace (100 when
    /// it has not been changed).
    pub fn pace_of(&self, block: usize) -> u32 {
        self.pace.get(block).copied().unwrap_or(100)
    }

    /// The paced phases that follow the one running at `t` in its block:
    /// the phases a change of pace applies to. `None` when the segment at
    /// `t` is not a paced breath (a settle-in, a hold the user ends, a
    /// recovery breath, a sit) or the session is over.
    fn paced_ahead(&self, t: Duration) -> Option<(usize, std::ops::Range<usize>)> {
        if t >= self.total() {
            return None;
        }
        let i = self.index_at(t);
        let seg = &self.timeline.segments[i];
        let block = seg.block?;
        if !matches!(seg.kind, super::SegmentKind::Breath(_)) || seg.recovery {
            return None;
        }
        let segs = &self.timeline.segments;
        let end = (i + 1..segs.len())
            .find(|&j| segs[j].block != Some(block))
            .unwrap_or(segs.len());
        Some((block, i + 1..end))
    }

    /// Breathe the block running at `t` at `percent` of its written pace
    /// from the next phase on: every paced phase after the current one is
    /// its planned length times 100 / `percent`. The current phase keeps
    /// its length, so nothing already due moves and the schedule stays
    /// anchored where it was: only later starts move, computed from the
    /// same segment boundaries as before (no drift). Recovery breaths and
    /// holds the user ends keep their lengths. `Err` with the pace that
    /// stands when `percent` would take a phase past `bounds` (or the
    /// segment at `t` is not a paced breath).
    pub fn set_pace(&mut self, t: Duration, percent: u32, bounds: PhaseBounds) -> Result<u32, u32> {
        let Some((block, ahead)) = self.paced_ahead(t) else {
            let i = self.index_at(t);
            let b = self.timeline.segments.get(i).and_then(|s| s.block);
            return Err(b.map_or(100, |b| self.pace_of(b)));
        };
        let now = self.pace_of(block);
        if percent == 0 {
            return Err(now);
        }
        let paced = |len: Duration| {
            Duration::from_nanos(
                (len.as_nanos() * 100 / u128::from(percent)).min(u128::from(u64::MAX)) as u64,
            )
        };
        let segs = &self.timeline.segments;
        let fits = ahead.clone().all(|j| {
            let s = &segs[j];
            s.open
                || s.recovery
                || !matches!(s.kind, super::SegmentKind::Breath(_))
                || (bounds.min..=bounds.max).contains(&paced(s.length))
        });
        if !fits {
            return Err(now);
        }
        for j in ahead.clone() {
            let s = &self.timeline.segments[j];
            if !s.open && !s.recovery && matches!(s.kind, super::SegmentKind::Breath(_)) {
                self.actual[j] = paced(s.length);
            }
        }
        self.pace[block] = percent;
        if ahead.start < self.actual.len() {
            self.recompute_from(ahead.start);
        }
        Ok(percent)
    }

    /// Where the session is at session time `t`.
    pub fn state_at(&self, t: Duration) -> State<'_> {
        let total = self.total();
        let finished = t >= total;
        let index = self.index_at(t);
        let segment = &self.timeline.segments[index];
        let length = self.actual[index];
        let into = if finished {
            length
        } else {
            t.saturating_sub(self.starts[index])
        };
        let progress = if length.is_zero() {
            1.0
        } else {
            (into.as_secs_f64() / length.as_secs_f64()).clamp(0.0, 1.0)
        };
        let open_ahead =
            (index..self.actual.len()).any(|i| self.timeline.segments[i].open && !self.ended[i]);
        let written = self.as_written(index, into);
        let written_len = self.written_length(index);
        let prompt = segment.block.and_then(|b| {
            self.timeline.prompts.get(b).and_then(|ps| {
                ps.iter()
                    .rev()
                    .find(|(at, _)| {
                        *at <= written && *at < written_len.max(Duration::from_nanos(1))
                    })
                    .map(|(_, p)| p.as_str())
            })
        });
        State {
            index,
            segment,
            into,
            length,
            progress,
            elapsed: t.min(total),
            total,
            open_ahead,
            prompt,
            finished,
        }
    }

    fn cuts_of(&self, i: usize) -> impl Iterator<Item = &Cut> {
        self.cuts.iter().filter(move |c| c.segment == i)
    }

    /// Where `into` (time as sat) into segment `i` is in the segment as
    /// written: later by every stretch passed over before it.
    pub fn as_written(&self, i: usize, into: Duration) -> Duration {
        into + self
            .cuts_of(i)
            .filter(|c| c.at <= into)
            .map(|c| c.gap)
            .sum::<Duration>()
    }

    /// Segment `i`'s length as written, stretches passed over included
    /// (its actual length otherwise).
    pub fn written_length(&self, i: usize) -> Duration {
        self.actual[i] + self.cuts_of(i).map(|c| c.gap).sum::<Duration>()
    }

    /// Where offset `o` of segment `i` as written falls in time as sat;
    /// `None` when it lies in a stretch passed over.
    fn as_sat(&self, i: usize, o: Duration) -> Option<Duration> {
        let mut gone = Duration::ZERO;
        for c in self.cuts_of(i) {
            if o < c.at + gone {
                break;
            }
            if o < c.at + gone + c.gap {
                return None;
            }
            gone += c.gap;
        }
        Some(o.saturating_sub(gone))
    }

    /// The next prompt after session time `t` in the sit running then, as
    /// written: its offset into the sit. `None` outside a sit or when no
    /// prompt lies ahead in it.
    pub fn next_prompt_after(&self, t: Duration) -> Option<Duration> {
        if t >= self.total() {
            return None;
        }
        let i = self.index_at(t);
        let seg = &self.timeline.segments[i];
        if seg.kind != super::SegmentKind::Sit {
            return None;
        }
        let here = self.as_written(i, t.saturating_sub(self.starts[i]));
        let end = self.written_length(i);
        self.timeline
            .prompts
            .get(seg.block?)?
            .iter()
            .map(|(at, _)| *at)
            .find(|at| *at > here && *at < end)
    }

    /// Go on at `t` to the next prompt of the sit running then: the
    /// stretch up to it is passed over (its bells are not rung), the rest
    /// of the sit and everything after it come earlier by as much.
    /// Whether there was a prompt to go to.
    pub fn to_next_prompt(&mut self, t: Duration) -> bool {
        let Some(to) = self.next_prompt_after(t) else {
            return false;
        };
        let i = self.index_at(t);
        let into = t.saturating_sub(self.starts[i]);
        let gap = to.saturating_sub(self.as_written(i, into));
        self.cuts.push(Cut {
            segment: i,
            at: into,
            gap,
        });
        self.actual[i] = self.actual[i].saturating_sub(gap);
        self.recompute_from(i + 1);
        true
    }

    fn mark_time(&self, m: &Mark) -> Option<Duration> {
        let len = self.actual[m.segment];
        let m_at = match m.at {
            MarkAt::Offset(o) => MarkAt::Offset(self.as_sat(m.segment, o)?),
            MarkAt::End => MarkAt::End,
        };
        match m_at {
            // A bell at the very end of a segment that ran its full
            // length rings (a bell written at a sit's end).
            MarkAt::Offset(o) if o < len || (o == len && !self.ended[m.segment]) => {
                Some(self.starts[m.segment] + o)
            }
            MarkAt::Offset(_) => None,
            // An end bell rings at the end, unless the user skipped the block.
            MarkAt::End if !self.ended[m.segment] || self.timeline.segments[m.segment].open => {
                Some(self.starts[m.segment] + len)
            }
            MarkAt::End => None,
        }
    }

    /// Every event with a time in `[t0, t1)`, in order.
    pub fn events_between(&self, t0: Duration, t1: Duration) -> Vec<Event> {
        if t1 <= t0 {
            return Vec::new();
        }
        // Each event with its time and its place among events at the same
        // time: the session's start, then each segment's start followed by
        // what happens inside it, then the session's end.
        let mut out: Vec<(Duration, u64, EventKind)> = Vec::new();
        let n = self.actual.len();
        if t0.is_zero() {
            out.push((Duration::ZERO, 0, EventKind::SessionStart));
        }
        // First segment that could hold an event at or after t0: the first
        // one that ends at or after t0, so a segment ending exactly at t0
        // still gives its end bell (`index_at` would already be past it).
        let first = self.starts[1..]
            .partition_point(|end| *end < t0)
            .min(n.saturating_sub(1));
        let first_mark = self.timeline.marks.partition_point(|m| m.segment < first);
        let mut mi = first_mark;
        for i in first..n {
            let start = self.starts[i];
            if start >= t1 {
                break;
            }
            let seq = 2 * i as u64;
            // A segment skipped at the very moment it began never started.
            if start >= t0 && !(self.ended[i] && self.actual[i].is_zero()) {
                out.push((start, seq + 1, EventKind::SegmentStart(i)));
            }
            while mi < self.timeline.marks.len() && self.timeline.marks[mi].segment == i {
                let m = &self.timeline.marks[mi];
                mi += 1;
                let Some(at) = self.mark_time(m) else {
                    continue;
                };
                if at < t0 || at >= t1 {
                    continue;
                }
                let block = self.timeline.segments[i].block.unwrap_or(0);
                let kind = match m.kind {
                    MarkKind::Bell => EventKind::Bell { block },
                    MarkKind::Prompt(index) => EventKind::Prompt { block, index },
                    MarkKind::Count(n) => EventKind::Count { block, n },
                };
                out.push((at, seq + 2, kind));
            }
        }
        let before = out.len();
        for (at, seg, block) in self.breathing_bells(t0, t1) {
            out.push((at, 2 * seg as u64 + 2, EventKind::Bell { block }));
        }
        if out.len() > before {
            out.sort_by_key(|(at, seq, _)| (*at, *seq));
        }
        let end = self.total();
        if end >= t0 && end < t1 {
            out.push((end, u64::MAX, EventKind::SessionEnd));
        }
        out.into_iter()
            .map(|(at, _, kind)| Event { at, kind })
            .collect()
    }

    /// The bells of breathing blocks in `[t0, t1)`: each bell's time, the
    /// segment it rings in, and its block.
    fn breathing_bells(&self, t0: Duration, t1: Duration) -> Vec<(Duration, usize, usize)> {
        let mut out = Vec::new();
        for b in &self.timeline.block_bells {
            let start = self.starts[b.first];
            let end = self.starts[b.end];
            if start >= t1 || end < t0 {
                continue;
            }
            let from = b.times.partition_point(|o| start + *o < t0);
            for o in &b.times[from..] {
                let at = start + *o;
                if at >= t1 || at >= end {
                    break;
                }
                let seg = self.index_at(at).clamp(b.first, b.end - 1);
                out.push((at, seg, b.block));
            }
            if b.at_end && end >= t0 && end < t1 {
                out.push((end, b.end - 1, b.block));
            }
        }
        out
    }

    /// The time of the first event at or after `t`, if any: when a runner
    /// that has nothing else to do should next wake. Events at `t` itself
    /// count, because event windows are half-open: a runner that polled
    /// up to `t` has not seen them yet (the session's start, when the first
    /// poll lands exactly on it).
    pub fn next_event_after(&self, t: Duration) -> Option<Duration> {
        let total = self.total();
        if t > total {
            return None;
        }
        if t == total {
            return Some(total);
        }
        let i = self.index_at(t);
        if self.starts[i] == t {
            return Some(t);
        }
        let mut best = self.starts[i + 1];
        for b in &self.timeline.block_bells {
            let (start, end) = (self.starts[b.first], self.starts[b.end]);
            if end < t || start >= best {
                continue;
            }
            let k = b.times.partition_point(|o| start + *o < t);
            if let Some(o) = b.times.get(k).filter(|o| start + **o < end) {
                best = best.min(start + *o);
            }
            if b.at_end {
                best = best.min(end);
            }
        }
        let lo = self.timeline.marks.partition_point(|m| m.segment < i);
        for m in self.timeline.marks[lo..]
            .iter()
            .take_while(|m| m.segment == i)
        {
            if let Some(at) = self.mark_time(m) {
                if at >= t && at < best {
                    best = at;
                }
            }
        }
        Some(best)
    }

    /// Actual lengths of the retention holds that have ended, in order.
    pub fn hold_times(&self, up_to: Duration) -> Vec<Duration> {
        self.timeline
            .segments
            .iter()
            .enumerate()
            .filter(|(i, s)| {
                s.kind == super::SegmentKind::Retention && self.starts[*i + 1] <= up_to
            })
            .map(|(i, _)| self.actual[i])
            .collect()
    }
}
