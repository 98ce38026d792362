//! What plain mode prints: one line per event, each starting with the
//! session time as a stopwatch shows it, and the closing summary. Pure
//! functions of the schedule and the outcome, so every line is tested
//! without running a session.

use std::time::Duration;

use crate::engine::player::Outcome;
use crate::engine::{Event, EventKind, Schedule, SegmentKind, Timeline};
use crate::text::{self, human};

/// `00:04.000`, or `1:02:03.000` past an hour.
pub fn stamp(t: Duration) -> String {
    let ms = t.as_millis();
    let (h, m, s, frac) = (ms / 3_600_000, ms / 60_000 % 60, ms / 1000 % 60, ms % 1000);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}.{frac:03}")
    } else {
        format!("{m:02}:{s:02}.{frac:03}")
    }
}

/// The line printed for an event, if it gets one.
pub fn event_line(schedule: &Schedule, event: &Event, title: &str) -> Option<String> {
    let tl = schedule.timeline();
    let at = stamp(event.at);
    let line = match &event.kind {
        EventKind::SessionStart => format!("{at}  start  {title}"),
        EventKind::SegmentStart(i) => {
            let seg = &tl.segments[*i];
            let cue = seg
                .cue
                .as_deref()
                .map(|c| format!("  {c}"))
                .unwrap_or_default();
            let mut counters = String::new();
            if let Some(r) = seg.round {
                counters.push_str(&format!("  round {}/{}", r.n, r.of));
            }
            if let (Some(c), SegmentKind::Breath(_), false) = (seg.cycle, seg.kind, seg.recovery) {
                if matches!(tl.segments.get(i.wrapping_sub(1)), Some(p) if p.cycle == seg.cycle && p.block == seg.block && p.round == seg.round)
                {
                    // Only the first phase of a cycle carries the counter.
                } else {
                    counters.push_str(&format!("  cycle {}/{}", c.n, c.of));
                }
            }
            let held = match i.checked_sub(1).map(|p| (p, &tl.segments[p])) {
                Some((p, prev)) if prev.kind == SegmentKind::Retention => {
                    format!("{at}  held  {}\n", text::tenths(schedule.length_of(p)))
                }
                _ => String::new(),
            };
            let body = match seg.kind {
                SegmentKind::Settle => format!("settle  {}{cue}", human(seg.length)),
                SegmentKind::Breath(k) => {
                    format!("{}  {}{cue}{counters}", k.word(), human(seg.length))
                }
                SegmentKind::Retention => {
                    format!("retention  up to {}{cue}{counters}", human(seg.length))
                }
                SegmentKind::Sit if seg.open => {
                    format!(
                        "sit  open (up to {})  {}",
                        human(seg.length),
                        block_title(tl, seg.block)
                    )
                }
                SegmentKind::Sit => {
                    format!("sit  {}  {}", human(seg.length), block_title(tl, seg.block))
                }
            };
            format!("{held}{at}  {body}")
        }
        EventKind::Bell { .. } => format!("{at}  bell"),
        EventKind::Prompt { block, index } => {
            let text = tl
                .prompts
                .get(*block)
                .and_then(|p| p.get(*index))
                .map_or("", |p| p.1.as_str());
            format!("{at}  prompt  {text}")
        }
        EventKind::SessionEnd => format!("{at}  end"),
        // Counts are for the ear; a line a second would bury the phases.
        EventKind::Count { .. } => return None,
    };
    Some(line)
}

/// How plain mode words its lines: stamped with the session time, one
/// per event (the default), or announced: a sentence per change of phase
/// without times, for a screen reader or a braille display to read out
/// (`--announce`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Form<'a> {
    /// The session's title, for the first line.
    pub title: &'a str,
    /// Sentences without times.
    pub announce: bool,
}

impl<'a> Form<'a> {
    /// Lines stamped with the session time.
    pub fn timed(title: &'a str) -> Self {
        Self {
            title,
            announce: false,
        }
    }

    /// The line for `event`, if it gets one.
    pub fn event(&self, schedule: &Schedule, event: &Event) -> Option<String> {
        if self.announce {
            announce_line(schedule, event, self.title)
        } else {
            event_line(schedule, event, self.title)
        }
    }

    /// A line about something that happened at session time `at`
    /// ("muted", "stopped").
    pub fn note(&self, at: Duration, text: &str) -> String {
        if self.announce {
            sentence(text)
        } else {
            format!("{}  {text}", stamp(at))
        }
    }
}

/// `text` as a sentence: a capital first letter and a full stop.
fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    let mut out: String = chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default();
    if !out.ends_with(['.', '!', '?', ')']) {
        out.push('.');
    }
    out
}

/// The sentence announcing an event, if it gets one: the changes of phase
/// with their lengths in words, the bells and prompts; no times, no
/// counts, so a screen reader says only what changed.
pub fn announce_line(schedule: &Schedule, event: &Event, title: &str) -> Option<String> {
    let tl = schedule.timeline();
    let line = match &event.kind {
        EventKind::SessionStart => sentence(&format!("Starting {title}")),
        EventKind::SegmentStart(i) => {
            let seg = &tl.segments[*i];
            let prev = i.checked_sub(1).map(|p| (p, &tl.segments[p]));
            let mut parts = Vec::new();
            if let Some((p, _)) = prev.filter(|(_, s)| s.kind == SegmentKind::Retention) {
                parts.push(format!("Held {}.", text::spoken(schedule.length_of(p))));
            }
            let length = text::spoken(seg.length);
            parts.push(match seg.kind {
                SegmentKind::Retention => {
                    format!("Hold on empty, up to {length}. Press Enter to breathe.")
                }
                SegmentKind::Sit if seg.open => format!(
                    "Sit as long as you like, up to {length}: {}. Press Enter to end it.",
                    block_title(tl, seg.block)
                ),
                SegmentKind::Sit => format!("Sit for {length}: {}.", block_title(tl, seg.block)),
                kind => format!("{}, {length}.", kind.label()),
            });
            let same = |f: fn(
                &crate::engine::timeline::Segment,
            ) -> Option<crate::engine::timeline::Counter>| {
                prev.is_some_and(|(_, p)| p.block == seg.block && f(p) == f(seg))
            };
            if let Some(r) = seg.round.filter(|_| !same(|s| s.round)) {
                parts.push(format!("Round {} of {}.", r.n, r.of));
            }
            if let Some(c) = seg.cycle.filter(|_| !seg.recovery && !same(|s| s.cycle)) {
                parts.push(format!("Cycle {} of {}.", c.n, c.of));
            }
            if let Some(cue) = &seg.cue {
                // "Settle in. Sit comfortably...": the label was just said.
                let cue = cue
                    .strip_prefix(seg.kind.label())
                    .and_then(|rest| rest.strip_prefix('.'))
                    .map_or(cue.as_str(), str::trim_start);
                if !cue.is_empty() {
                    parts.push(sentence(cue));
                }
            }
            parts.join(" ")
        }
        EventKind::Bell { .. } => "Bell.".to_owned(),
        EventKind::Prompt { block, index } => sentence(
            tl.prompts
                .get(*block)
                .and_then(|p| p.get(*index))
                .map_or("", |p| p.1.as_str()),
        ),
        EventKind::SessionEnd => "Session complete.".to_owned(),
        EventKind::Count { .. } => return None,
    };
    Some(line)
}

fn block_title(tl: &Timeline, block: Option<usize>) -> &str {
    block
        .and_then(|b| tl.block_titles.get(b))
        .map_or("", String::as_str)
}

/// The closing line: `practised 5m05s · 19 cycles · holds 23.4s, 31.0s ·
/// completed`, ending with the word the journal stores.
pub fn summary_line(o: &Outcome) -> String {
    let mut parts = vec![format!("practised {}", text::length(o.practised))];
    if o.cycles > 0 {
        parts.push(text::count(o.cycles, "cycle"));
    }
    if o.cut_cycles > 0 {
        parts.push(format!(
            "{} with a phase skipped",
            text::count(o.cut_cycles, "cycle")
        ));
    }
    if o.skipped > 0 {
        parts.push(format!("{} skipped", text::count(o.skipped, "phase")));
    }
    if o.rounds > 0 {
        parts.push(text::count(o.rounds, "round"));
    }
    if !o.holds.is_empty() {
        let holds: Vec<String> = o
            .holds
            .iter()
            .zip(o.capped.iter().chain(std::iter::repeat(&false)))
            .map(|(h, capped)| {
                if *capped {
                    format!("{} (reached its cap)", text::tenths(*h))
                } else {
                    text::tenths(*h)
                }
            })
            .collect();
        parts.push(format!("holds {}", holds.join(", ")));
    }
    parts.push(o.ending.word().into());
    parts.join(" · ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::player::Ending;

    #[test]
    fn stamps_read_like_a_stopwatch() {
        assert_eq!(stamp(Duration::from_millis(4000)), "00:04.000");
        assert_eq!(stamp(Duration::from_millis(65_250)), "01:05.250");
        assert_eq!(stamp(Duration::from_millis(3_723_004)), "1:02:03.004");
    }

    #[test]
    fn the_summary_counts_cycles_rounds_and_holds() {
        let o = Outcome {
            practised: Duration::from_millis(304_600),
            planned: Duration::from_secs(320),
            ending: Ending::Stopped,
            cycles: 1,
            rounds: 2,
            holds: vec![Duration::from_millis(23_400), Duration::from_secs(31)],
            capped: vec![false, true],
            skipped: 0,
            cut_cycles: 0,
            pace: Vec::new(),
        };
        assert_eq!(
            summary_line(&o),
            "practised 5m05s · 1 cycle · 2 rounds · holds 23.4s, 31.0s (reached its cap) · stopped"
        );
        let skipped = Outcome {
            ending: Ending::Completed,
            skipped: 3,
            cut_cycles: 2,
            rounds: 0,
            holds: Vec::new(),
            capped: Vec::new(),
            ..o
        };
        assert_eq!(
            summary_line(&skipped),
            "practised 5m05s · 1 cycle · 2 cycles with a phase skipped · 3 phases skipped · completed"
        );
    }
}
