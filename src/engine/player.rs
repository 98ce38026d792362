//! A session being practised: the schedule, the pausable clock, and what
//! the user did (paused, skipped, ended a hold, stopped). Both the terminal
//! UI and plain mode drive one of these; it is given `now` on every call and
//! never reads a clock itself.

use std::time::{Duration, Instant};

use crate::engine::{
    Event, PACE_STEP, PhaseBounds, PlayClock, Schedule, SegmentKind, State, Timeline,
};

/// How a session ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Ending {
    /// It ran to the end.
    Completed,
    /// The user chose to stop.
    Stopped,
    /// A signal (Ctrl-C, SIGTERM, SIGHUP) or an error ended it.
    Interrupted,
}

impl Ending {
    /// The ending in one word, the same in the summary, plain mode, the
    /// journal on disk and its exports: `completed`, `stopped`,
    /// `interrupted`.
    pub fn word(self) -> &'static str {
        match self {
            Ending::Completed => "completed",
            Ending::Stopped => "stopped",
            Ending::Interrupted => "interrupted",
        }
    }
}

/// What was practised, for the summary and the journal.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// Session time practised (pauses excluded).
    pub practised: Duration,
    /// Planned length (open segments at their cap).
    pub planned: Duration,
    /// How it ended.
    pub ending: Ending,
    /// Breathing cycles completed (paced breaths of retention rounds
    /// included).
    pub cycles: u32,
    /// Retention rounds completed.
    pub rounds: u32,
    /// Length of each retention hold the user ended (or that reached its
    /// cap), in order.
    pub holds: Vec<Duration>,
    /// For each of `holds`, whether it ran to its cap and ended by itself
    /// rather than being ended by the person.
    pub capped: Vec<bool>,
    /// Phases (or sits) the user skipped with `n`; a cycle with a skipped
    /// phase does not count in `cycles`.
    pub skipped: u32,
    /// Cycles that ran but had a phase skipped (not in `cycles`).
    pub cut_cycles: u32,
    /// The blocks whose pace was changed with `[` or `]`, with the pace
    /// they ended at.
    pub pace: Vec<PaceNote>,
}

/// A block breathed at another pace than written.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PaceNote {
    /// The block's position in the session, from 1.
    pub block: usize,
    /// The block's title.
    pub title: String,
    /// The pace it ended at, in percent of the written pace (95 is 5%
    /// slower: each phase 100/95 of its length).
    pub percent: u32,
}

/// The sounds to hand the player now: see [`Player::sounds_ahead`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ahead {
    /// What was handed ahead before no longer stands (a pause, a skip, a
    /// change of pace or a stop came since): forget what has not begun.
    pub revoked: bool,
    /// Each event to sound, with the moment it is due: in the future by up
    /// to the lead, or now (or just past) for one that comes due at once.
    pub events: Vec<(Instant, Event)>,
}

/// A session in progress.
#[derive(Debug, Clone)]
pub struct Player {
    schedule: Schedule,
    clock: PlayClock,
    emitted_until: Duration,
    stopped_at: Option<Duration>,
    /// How far ahead of their moment sounds are handed out.
    lead: Duration,
    /// Sounds are handed out up to here (session time, exclusive).
    sounded_until: Duration,
    /// The schedule or the clock changed since sounds were last handed out.
    revoked: bool,
}

impl Player {
    /// Start `timeline` at `now`.
    pub fn new(timeline: Timeline, now: Instant) -> Self {
        Self {
            schedule: Schedule::new(timeline),
            clock: PlayClock::new(now),
            emitted_until: Duration::ZERO,
            stopped_at: None,
            lead: Duration::ZERO,
            sounded_until: Duration::ZERO,
            revoked: false,
        }
    }

    /// Hand out each sound `lead` before its moment (the sound output's
    /// latency and some): see [`Player::sounds_ahead`]. Zero, the default,
    /// hands each out when it comes due. The session then begins `lead`
    /// after the moment it was made for, so that its very first sounds can
    /// be handed out ahead too and start on time.
    #[must_use]
    pub fn with_lead(mut self, lead: Duration) -> Self {
        if let Some(start) = self.clock.instant_of(Duration::ZERO) {
            self.clock = PlayClock::new(start + lead.saturating_sub(self.lead));
        }
        self.lead = lead;
        self
    }

    /// The schedule as it stands.
    pub fn schedule(&self) -> &Schedule {
        &self.schedule
    }

    /// Session time at `now`, never past the end or the stop.
    pub fn elapsed(&self, now: Instant) -> Duration {
        let t = self.clock.elapsed(now).min(self.schedule.total());
        self.stopped_at.map_or(t, |s| t.min(s))
    }

    /// Where the session is at `now`.
    pub fn state(&self, now: Instant) -> State<'_> {
        self.schedule.state_at(self.elapsed(now))
    }

    /// Events that have come due since the last poll, each exactly once.
    pub fn poll(&mut self, now: Instant) -> Vec<Event> {
        let raw = self.clock.elapsed(now);
        let total = self.schedule.total();
        // Past the end, include the end itself.
        let t = if raw >= total {
            total + Duration::from_nanos(1)
        } else {
            raw
        };
        let t = match self.stopped_at {
            Some(s) => t.min(s),
            None => t,
        };
        if t <= self.emitted_until {
            return Vec::new();
        }
        let events = self.schedule.events_between(self.emitted_until, t);
        self.emitted_until = t;
        events
    }

    /// The events to sound now, each exactly once: those due within the
    /// lead from `now`, with the moment each is due, so that a player can
    /// start each on its sample rather than when a poll finds it. Polling
    /// is for what is shown; this is for what is heard. After a pause, a
    /// skip, a change of pace or a stop, `revoked` says that what was
    /// handed before no longer stands, and the events still to come are
    /// handed again at their new moments. Nothing is handed while paused
    /// beyond the pause, nor past a stop.
    pub fn sounds_ahead(&mut self, now: Instant) -> Ahead {
        let revoked = std::mem::take(&mut self.revoked);
        let raw = self.clock.elapsed(now);
        let total = self.schedule.total();
        let horizon = if self.clock.is_paused() {
            raw
        } else {
            raw + self.lead
        };
        // Past the end, include the end itself, as `poll` does.
        let t = if horizon >= total {
            total + Duration::from_nanos(1)
        } else {
            horizon
        };
        let t = self.stopped_at.map_or(t, |s| t.min(s));
        let mut ahead = Ahead {
            revoked,
            events: Vec::new(),
        };
        if t <= self.sounded_until {
            return ahead;
        }
        ahead.events = self
            .schedule
            .events_between(self.sounded_until, t)
            .into_iter()
            .map(|e| (self.clock.instant_of(e.at).unwrap_or(now).max(now), e))
            .collect();
        self.sounded_until = t;
        ahead
    }

    /// What was handed ahead no longer stands: hand out again everything
    /// not yet due.
    fn revoke(&mut self) {
        self.revoked = true;
        self.sounded_until = self.sounded_until.min(self.emitted_until);
    }

    /// Whether the session has run to its end (or was stopped).
    pub fn finished(&self, now: Instant) -> bool {
        self.stopped_at.is_some() || self.clock.elapsed(now) >= self.schedule.total()
    }

    /// Whether the session has begun at `now`: it begins its lead after it
    /// was made (see [`Player::with_lead`]).
    pub fn begun(&self, now: Instant) -> bool {
        self.clock
            .instant_of(Duration::ZERO)
            .is_none_or(|s| s <= now)
    }

    /// Whether the clock is paused.
    pub fn is_paused(&self) -> bool {
        self.clock.is_paused()
    }

    /// Pause or resume.
    pub fn toggle_pause(&mut self, now: Instant) {
        if self.clock.is_paused() {
            self.clock.resume(now);
        } else {
            self.pause(now);
        }
    }

    /// Pause (no effect if paused).
    pub fn pause(&mut self, now: Instant) {
        if !self.clock.is_paused() {
            self.clock.pause(now);
            self.revoke();
        }
    }

    /// Resume (no effect if running).
    pub fn resume(&mut self, now: Instant) {
        self.clock.resume(now);
    }

    /// Skip to the next segment. Returns whether anything was skipped.
    /// (Skipping an open segment is the same as ending it.)
    pub fn skip(&mut self, now: Instant) -> bool {
        if self.finished(now) {
            return false;
        }
        let t = self.clock.elapsed(now);
        let skipped = self.schedule.end_segment_at(t).is_some();
        if skipped {
            self.revoke();
        }
        skipped
    }

    /// One step slower (`faster` false) or faster for the breathing block
    /// running at `now`, from its next phase on, within `bounds` (see
    /// [`Schedule::set_pace`]). `Ok` with the new pace in percent, `Err`
    /// with the pace that stands when the step would go past the bounds
    /// or nothing paced is running.
    pub fn step_pace(
        &mut self,
        now: Instant,
        faster: bool,
        bounds: PhaseBounds,
    ) -> Result<u32, u32> {
        let t = self.clock.elapsed(now);
        if self.finished(now) {
            return Err(100);
        }
        let block = self.state(now).segment.block;
        let current = block.map_or(100, |b| self.schedule.pace_of(b));
        let to = if faster {
            current + PACE_STEP
        } else {
            current.saturating_sub(PACE_STEP)
        };
        let paced = self.schedule.set_pace(t, to, bounds);
        if paced.is_ok() {
            self.revoke();
        }
        paced
    }

    /// Whether the sit running at `now` has a prompt still to come.
    pub fn prompt_ahead(&self, now: Instant) -> bool {
        !self.finished(now)
            && self
                .schedule
                .next_prompt_after(self.clock.elapsed(now))
                .is_some()
    }

    /// Go on to the next prompt of the sit running at `now` (see
    /// [`Schedule::to_next_prompt`]). Whether there was one.
    pub fn to_next_prompt(&mut self, now: Instant) -> bool {
        let moved = !self.finished(now) && self.schedule.to_next_prompt(self.clock.elapsed(now));
        if moved {
            self.revoke();
        }
        moved
    }

    /// Whether the current segment is one the user ends (a retention hold
    /// or an open-ended sit).
    pub fn in_open_segment(&self, now: Instant) -> bool {
        !self.finished(now) && self.state(now).segment.open
    }

    /// End the current open segment (a retention hold or an open sit).
    /// Returns false if the current segment is not open.
    pub fn end_open(&mut self, now: Instant) -> bool {
        if !self.in_open_segment(now) {
            return false;
        }
        self.skip(now)
    }

    /// Stop the session at `now`.
    pub fn stop(&mut self, now: Instant) {
        if self.stopped_at.is_none() {
            self.stopped_at = Some(self.clock.elapsed(now).min(self.schedule.total()));
            self.revoke();
        }
    }

    /// When the next event is due, if the clock is running: the moment a
    /// runner with nothing else to do should wake.
    pub fn next_wake(&self, now: Instant) -> Option<Instant> {
        if self.stopped_at.is_some() {
            return None;
        }
        let t = self.clock.elapsed(now);
        let next = if t < self.emitted_until {
            self.emitted_until
        } else {
            self.schedule.next_event_after(t)?
        };
        // One nanosecond past the event so the poll at that moment sees it.
        let due = self.clock.instant_of(next + Duration::from_nanos(1))?;
        // And the lead before the next event still to be sounded.
        let sound = self
            .schedule
            .next_event_after(self.sounded_until.max(t))
            .and_then(|at| self.clock.instant_of(at + Duration::from_nanos(1)))
            .map(|i| i.checked_sub(self.lead).unwrap_or(i));
        Some(sound.map_or(due, |s| s.min(due)))
    }

    /// What was practised so far.
    pub fn outcome(&self, now: Instant, ending: Ending) -> Outcome {
        let t = self.elapsed(now);
        let tl = self.schedule.timeline();
        let segs = &tl.segments;
        let mut cycles = 0;
        let mut rounds = 0;
        let mut holds = Vec::new();
        let mut capped = Vec::new();
        let mut skipped = 0;
        let mut cut_cycles = 0;
        // Whether every phase of the cycle in progress was breathed, not skipped.
        let mut cycle_whole = true;
        for (i, s) in segs.iter().enumerate() {
            let end = self.schedule.start_of(i) + self.schedule.length_of(i);
            if end > t {
                break;
            }
            let was_skipped = self.schedule.was_ended(i) && !s.open;
            if was_skipped {
                skipped += 1;
                cycle_whole = false;
            }
            let next = segs.get(i + 1);
            let same_cycle = next.is_some_and(|n| {
                n.block == s.block
                    && n.cycle == s.cycle
                    && n.round == s.round
                    && n.kind != SegmentKind::Retention
                    && !n.recovery
            });
            if let SegmentKind::Breath(_) = s.kind {
                if s.cycle.is_some() && !same_cycle {
                    cycles += u32::from(cycle_whole);
                    cut_cycles += u32::from(!cycle_whole);
                    cycle_whole = true;
                }
            }
            // A round counts once its hold is done: stopping during the
            // recovery breath does not undo it.
            if s.kind == SegmentKind::Retention {
                holds.push(self.schedule.length_of(i));
                capped.push(!self.schedule.was_ended(i));
                rounds += 1;
            }
        }
        let pace = tl
            .block_titles
            .iter()
            .enumerate()
            .filter(|(b, _)| self.schedule.pace_of(*b) != 100)
            .map(|(b, title)| PaceNote {
                block: b + 1,
                title: title.clone(),
                percent: self.schedule.pace_of(b),
            })
            .collect();
        Outcome {
            practised: t,
            planned: tl.planned(),
            ending,
            cycles,
            rounds,
            holds,
            capped,
            skipped,
            cut_cycles,
            pace,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::EventKind;
    use crate::format::{BuiltinSoundNames, check_str};

    fn timeline(src: &str) -> Timeline {
        let s = check_str(src, &BuiltinSoundNames).session.expect("valid");
        Timeline::compile(&s, Duration::ZERO)
    }

    const BOX: &str = "name = \"b\"\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 4 }, { hold = 4 }, { out = 4 }, { hold = 4 }]\ncycles = 2\n";
    const RET: &str = "name = \"r\"\n[[block]]\nkind = \"retention\"\nrounds = 2\nbreaths = 2\nphases = [{ in = 1 }, { out = 1 }]\nretention = { cap = 60 }\nrecovery = [{ in = 2 }, { hold = 15 }]\n";

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    /// What `sounds_ahead` hands out at `at` ms: (due ms, kind).
    fn handed(p: &mut Player, t0: Instant, at: u64) -> (bool, Vec<(u64, EventKind)>) {
        let a = p.sounds_ahead(t0 + ms(at));
        let events = a
            .events
            .into_iter()
            .map(|(due, e)| (due.duration_since(t0).as_millis() as u64, e.kind))
            .collect();
        (a.revoked, events)
    }

    #[test]
    fn sounds_are_handed_out_their_lead_early_with_their_moment_each_once() {
        let made = Instant::now();
        let t0 = made + ms(250);
        // Made 250 ms before it begins: its first sounds are handed out
        // ahead like the rest.
        let mut p = Player::new(timeline(BOX), made).with_lead(ms(250));
        assert_eq!(p.elapsed(made + ms(150)), Duration::ZERO);
        assert!(!p.begun(made + ms(249)) && p.begun(t0));
        assert_eq!(
            handed(&mut p, made, 0),
            (
                false,
                vec![
                    (250, EventKind::SessionStart),
                    (250, EventKind::SegmentStart(0))
                ]
            )
        );
        assert_eq!(handed(&mut p, t0, 0), (false, vec![]));
        assert_eq!(p.poll(t0 + ms(3700)).len(), 2);
        assert_eq!(handed(&mut p, t0, 3700), (false, vec![]));
        // The runner wakes at the lead before the next phase...
        let wake = p.next_wake(t0 + ms(3700)).expect("running");
        assert_eq!(wake.duration_since(t0).as_millis(), 3750);
        // ... and is handed it there, due at its own moment.
        assert_eq!(
            handed(&mut p, t0, 3751),
            (false, vec![(4000, EventKind::SegmentStart(1))])
        );
        // Polling it when due shows it; it is not handed out again.
        assert_eq!(p.poll(t0 + ms(4001)).len(), 1);
        assert_eq!(handed(&mut p, t0, 4001), (false, vec![]));
        // Whatever the rate of calls, every event is handed out once, in
        // order, exactly as polling finds them.
        let mut q = Player::new(timeline(BOX), made).with_lead(ms(250));
        let mut r = Player::new(timeline(BOX), t0);
        let (mut sounded, mut polled) = (Vec::new(), Vec::new());
        let mut t = 0;
        for step in [1, 700, 33, 3300, 5, 16_000, 1, 9_000, 40_000] {
            t += step;
            sounded.extend(
                q.sounds_ahead(t0 + ms(t))
                    .events
                    .into_iter()
                    .map(|(_, e)| e),
            );
            polled.extend(r.poll(t0 + ms(t)));
        }
        assert_eq!(sounded, polled);
    }

    #[test]
    fn a_pause_revokes_what_was_handed_out_and_resuming_hands_it_out_at_its_new_moment() {
        let made = Instant::now();
        let t0 = made + ms(250);
        let mut p = Player::new(timeline(BOX), made).with_lead(ms(250));
        handed(&mut p, t0, 0);
        p.poll(t0 + ms(3800));
        assert_eq!(
            handed(&mut p, t0, 3800).1,
            [(4000, EventKind::SegmentStart(1))]
        );
        p.pause(t0 + ms(3900));
        // The phase change 100 ms on will not come: forget it.
        assert_eq!(handed(&mut p, t0, 3900), (true, vec![]));
        assert_eq!(handed(&mut p, t0, 9000), (false, vec![]));
        assert_eq!(p.next_wake(t0 + ms(9000)), None, "nothing to wake for");
        // Seven seconds later it comes, 100 ms after the resume.
        p.resume(t0 + ms(10_900));
        assert_eq!(
            handed(&mut p, t0, 10_900),
            (false, vec![(11_000, EventKind::SegmentStart(1))])
        );
    }

    #[test]
    fn a_skip_or_a_stop_revokes_what_was_handed_out() {
        let made = Instant::now();
        let t0 = made + ms(250);
        let mut p = Player::new(timeline(BOX), made).with_lead(ms(250));
        handed(&mut p, t0, 0);
        p.poll(t0 + ms(3800));
        handed(&mut p, t0, 3800);
        // Skipped at 3850: the next phase begins now, not at 4000.
        assert!(p.skip(t0 + ms(3850)));
        assert_eq!(
            handed(&mut p, t0, 3850),
            (true, vec![(3850, EventKind::SegmentStart(1))])
        );
        // Stopped before the next phase change was due: none is handed out.
        p.poll(t0 + ms(7700));
        assert_eq!(
            handed(&mut p, t0, 7700).1,
            [(7850, EventKind::SegmentStart(2))]
        );
        p.stop(t0 + ms(7750));
        assert_eq!(handed(&mut p, t0, 7750), (true, vec![]));
        assert_eq!(handed(&mut p, t0, 60_000), (false, vec![]));
    }

    #[test]
    fn every_event_once_in_order_whatever_the_poll_rate() {
        let t0 = Instant::now();
        let mut p = Player::new(timeline(BOX), t0);
        let mut seen = Vec::new();
        // Irregular polling, some slow frames.
        let mut t = 0;
        for step in [1, 700, 33, 3300, 5, 16_000, 1, 9_000, 40_000] {
            t += step;
            seen.extend(p.poll(t0 + ms(t)));
        }
        let starts: Vec<Duration> = seen
            .iter()
            .filter(|e| matches!(e.kind, EventKind::SegmentStart(_)))
            .map(|e| e.at)
            .collect();
        assert_eq!(starts, (0..8).map(|i| ms(i * 4000)).collect::<Vec<_>>());
        assert_eq!(
            seen.first().map(|e| &e.kind),
            Some(&EventKind::SessionStart)
        );
        assert_eq!(
            seen.last().map(|e| (&e.kind, e.at)),
            Some((&EventKind::SessionEnd, ms(32_000)))
        );
    }

    #[test]
    fn pause_shifts_the_schedule_without_skipping() {
        let t0 = Instant::now();
        let mut p = Player::new(timeline(BOX), t0);
        p.poll(t0 + ms(2000));
        p.pause(t0 + ms(2000));
        assert!(
            p.poll(t0 + ms(60_000)).is_empty(),
            "nothing happens while paused"
        );
        assert_eq!(p.state(t0 + ms(60_000)).elapsed, ms(2000));
        p.resume(t0 + ms(60_000));
        let ev = p.poll(t0 + ms(62_001));
        assert_eq!(ev.len(), 1);
        assert_eq!(
            ev[0].at,
            ms(4000),
            "the hold starts 4 s of session time in, after the pause"
        );
        assert_eq!(
            p.next_wake(t0 + ms(62_001)),
            Some(t0 + ms(58_000) + ms(8000) + Duration::from_nanos(1))
        );
    }

    #[test]
    fn ending_a_hold_moves_the_rest_earlier_and_records_it() {
        let t0 = Instant::now();
        let mut p = Player::new(timeline(RET), t0);
        // Two breaths (4 s), then the hold; end it after 20 s.
        p.poll(t0 + ms(5000));
        assert!(p.in_open_segment(t0 + ms(5000)));
        assert!(p.end_open(t0 + ms(24_000)));
        let ev = p.poll(t0 + ms(24_001));
        assert_eq!(
            ev.iter().map(|e| e.at).collect::<Vec<_>>(),
            vec![ms(24_000)],
            "recovery starts at once"
        );
        let o = p.outcome(t0 + ms(24_000 + 17_000), Ending::Completed);
        assert_eq!(o.holds, vec![ms(20_000)]);
        assert_eq!(o.rounds, 1);
        assert_eq!(o.cycles, 2);
    }

    #[test]
    fn a_hold_left_alone_ends_at_its_cap() {
        let t0 = Instant::now();
        let mut p = Player::new(timeline(RET), t0);
        let s = p.state(t0 + ms(4000 + 60_000 + 1));
        assert_eq!(
            s.segment.kind,
            SegmentKind::Breath(crate::engine::model::PhaseKind::Inhale)
        );
        assert!(s.segment.recovery);
        p.poll(t0 + ms(200_000));
        let o = p.outcome(t0 + ms(200_000), Ending::Completed);
        assert_eq!(o.holds, vec![ms(60_000), ms(60_000)]);
        assert_eq!(o.rounds, 2);
    }

    #[test]
    fn stopping_keeps_what_was_done() {
        let t0 = Instant::now();
        let mut p = Player::new(timeline(BOX), t0);
        p.stop(t0 + ms(20_000));
        assert!(p.finished(t0 + ms(20_000)));
        let o = p.outcome(t0 + ms(99_000), Ending::Stopped);
        assert_eq!(o.practised, ms(20_000));
        assert_eq!(o.cycles, 1);
        assert_eq!(o.skipped, 0);
        assert_eq!(o.ending, Ending::Stopped);
    }

    #[test]
    fn skip_starts_the_next_phase_now() {
        let t0 = Instant::now();
        let mut p = Player::new(timeline(BOX), t0);
        p.poll(t0 + ms(1000));
        assert!(p.skip(t0 + ms(1000)));
        let ev = p.poll(t0 + ms(1001));
        assert_eq!(
            ev,
            vec![Event {
                at: ms(1000),
                kind: EventKind::SegmentStart(1)
            }]
        );
        assert_eq!(p.schedule().total(), ms(29_000));
    }

    #[test]
    fn skipped_phases_are_counted_and_their_cycles_are_not() {
        let t0 = Instant::now();
        let mut p = Player::new(timeline(BOX), t0);
        // Skip all four phases of the first cycle at once.
        for _ in 0..4 {
            assert!(p.skip(t0 + ms(500)));
        }
        let o = p.outcome(t0 + ms(500 + 16_000), Ending::Completed);
        assert_eq!(o.skipped, 4);
        assert_eq!(o.cycles, 1, "only the second cycle was breathed");
        assert_eq!(o.cut_cycles, 1, "the first had its phases skipped");
        assert_eq!(o.practised, ms(16_500));
    }

    const SIT: &str = "name = \"s\"\n[[block]]\nkind = \"meditate\"\nduration = \"3m\"\nbells = { every = \"1m\", end = true }\nprompts = [{ at = \"0:00\", text = \"One\" }, { at = \"2:00\", text = \"Two\" }]\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 4 }, { out = 4 }]\ncycles = 1\n";

    #[test]
    fn going_on_to_the_next_prompt_passes_over_the_stretch_before_it() {
        let t0 = Instant::now();
        let mut p = Player::new(timeline(SIT), t0);
        p.poll(t0 + ms(10_000));
        assert!(p.prompt_ahead(t0 + ms(10_000)));
        assert!(p.to_next_prompt(t0 + ms(10_000)));
        // The second prompt shows now, 1:50 of the sit passed over; its
        // bell at 1:00 is not rung, the one at 2:00 rings with the prompt.
        let s = p.state(t0 + ms(10_000));
        assert_eq!(s.prompt, Some("Two"));
        assert_eq!(s.left_in_segment(), ms(60_000));
        let ev = p.poll(t0 + ms(10_001));
        assert_eq!(
            ev.iter().map(|e| (&e.kind, e.at)).collect::<Vec<_>>(),
            vec![
                (&EventKind::Bell { block: 0 }, ms(10_000)),
                (&EventKind::Prompt { block: 0, index: 1 }, ms(10_000)),
            ]
        );
        assert!(!p.prompt_ahead(t0 + ms(20_000)), "no prompt after the last");
        assert!(!p.to_next_prompt(t0 + ms(20_000)));
        // The end bell and the breathing after it come 1:50 earlier.
        let ev = p.poll(t0 + ms(70_001));
        assert_eq!(
            ev.iter().map(|e| (&e.kind, e.at)).collect::<Vec<_>>(),
            vec![
                (&EventKind::Bell { block: 0 }, ms(70_000)),
                (&EventKind::SegmentStart(1), ms(70_000)),
            ]
        );
        let o = p.outcome(t0 + ms(70_001), Ending::Stopped);
        assert_eq!(
            o.practised,
            ms(70_001),
            "the time sat, not the time skipped"
        );
        assert_eq!(o.skipped, 0);
    }

    const BOUNDS: PhaseBounds = PhaseBounds {
        min: Duration::from_millis(100),
        max: Duration::from_secs(600),
    };

    #[test]
    fn a_slower_pace_starts_at_the_next_phase_and_nothing_drifts() {
        let t0 = Instant::now();
        let mut p = Player::new(timeline(BOX), t0);
        p.poll(t0 + ms(1000));
        assert_eq!(p.step_pace(t0 + ms(1000), false, BOUNDS), Ok(95));
        assert_eq!(p.step_pace(t0 + ms(1500), false, BOUNDS), Ok(90));
        // The inhale keeps its 4 s; every later phase is 4 s * 100 / 90.
        let starts: Vec<Duration> = p
            .poll(t0 + ms(60_000))
            .iter()
            .filter(|e| matches!(e.kind, EventKind::SegmentStart(_)))
            .map(|e| e.at)
            .collect();
        let phase = Duration::from_nanos(4_000_000_000 * 100 / 90);
        let expected: Vec<Duration> = (1..8).map(|i| ms(4000) + phase * (i - 1)).collect();
        assert_eq!(starts, expected);
        assert_eq!(p.schedule().total(), ms(4000) + phase * 7);
        let o = p.outcome(t0 + ms(60_000), Ending::Completed);
        assert_eq!(o.cycles, 2);
        assert_eq!(
            o.pace,
            vec![PaceNote {
                block: 1,
                title: "Breathing".into(),
                percent: 90
            }]
        );
    }

    #[test]
    fn the_pace_keeps_to_the_phase_limits_and_to_paced_breathing() {
        let t0 = Instant::now();
        let tight = PhaseBounds {
            min: ms(3900),
            max: ms(4300),
        };
        let mut p = Player::new(timeline(BOX), t0);
        assert_eq!(p.step_pace(t0, false, tight), Ok(95), "4.21 s fits");
        assert_eq!(p.step_pace(t0, false, tight), Err(95), "4.44 s does not");
        assert_eq!(p.step_pace(t0, true, tight), Ok(100));
        assert_eq!(p.step_pace(t0, true, tight), Err(100), "3.81 s does not");
        // A hold the person ends takes no pace.
        let mut r = Player::new(timeline(RET), t0);
        assert!(r.step_pace(t0 + ms(5000), false, BOUNDS).is_err());
        assert_eq!(r.outcome(t0 + ms(5000), Ending::Stopped).pace, vec![]);
    }

    #[test]
    fn a_round_counts_once_its_hold_is_done() {
        let t0 = Instant::now();
        let mut p = Player::new(timeline(RET), t0);
        assert!(p.end_open(t0 + ms(10_000)));
        // Stopped during the recovery breath.
        p.stop(t0 + ms(11_000));
        let o = p.outcome(t0 + ms(11_000), Ending::Stopped);
        assert_eq!(o.rounds, 1);
        assert_eq!(o.holds, vec![ms(6000)]);
        assert_eq!(o.skipped, 0, "ending a hold is not skipping it");
    }

    /// What the voice says over `secs` seconds of `src`, with when.
    fn spoken(src: &str, secs: u64) -> Vec<(Duration, String)> {
        let tl = timeline(src);
        let t0 = Instant::now();
        let mut p = Player::new(tl.clone(), t0);
        let mut out = Vec::new();
        // Polled every 250 ms: the counts come out on the second anyway.
        for q in 0..=secs * 4 {
            for e in p.poll(t0 + ms(q * 250)) {
                if let Some(v) = e.kind.voice(&tl) {
                    out.push((e.at, v));
                }
            }
        }
        out
    }

    const VOICED: &str = "name = \"v\"\nsounds = { voice = \"default\", count = true }\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 4 }, { hold = 2 }, { out = 3.5 }]\ncycles = 1\n";

    #[test]
    fn a_counting_voice_says_in_2_3_4_on_the_seconds_of_each_phase() {
        let said = spoken(VOICED, 12);
        let words: Vec<(u64, &str)> = said
            .iter()
            .map(|(t, v)| (t.as_millis() as u64, v.rsplit(':').next().unwrap_or("")))
            .collect();
        assert_eq!(
            words,
            [
                // No settle-in here: "begin" would speak over "in".
                (0, "in"),
                (1000, "2"),
                (2000, "3"),
                (3000, "4"),
                (4000, "hold"),
                (5000, "2"),
                (6000, "out"),
                (7000, "2"),
                (8000, "3"),
                // 3.5 s: a fourth second would not fit.
                (9500, "done"),
            ]
        );
        assert!(said.iter().all(|(_, v)| v.starts_with("voice:default:")));
    }

    #[test]
    fn without_count_the_voice_names_the_phases_only_and_none_silences_a_block() {
        let src = VOICED.replace(", count = true", "");
        let said: Vec<String> = spoken(&src, 12).into_iter().map(|(_, v)| v).collect();
        assert_eq!(
            said,
            [
                "voice:default:in",
                "voice:default:hold",
                "voice:default:out",
                "voice:default:done"
            ]
        );
        // A block that says `voice = "none"` is left to the chimes.
        let quiet = src.replace(
            "cycles = 1\n",
            "cycles = 1\nsounds = { voice = \"none\" }\n",
        );
        let said: Vec<String> = spoken(&quiet, 12).into_iter().map(|(_, v)| v).collect();
        assert_eq!(said, ["voice:default:begin", "voice:default:done"]);
        // And with no voice anywhere, nothing is spoken at all.
        let none = VOICED.replace("voice = \"default\", count = true", "inhale = \"bell\"");
        assert!(spoken(&none, 12).is_empty());
    }

    #[test]
    fn counts_follow_a_pause() {
        let tl = timeline(VOICED);
        let t0 = Instant::now();
        let mut p = Player::new(tl.clone(), t0);
        let counts = |evs: Vec<Event>| -> Vec<(u64, u32)> {
            evs.into_iter()
                .filter_map(|e| match e.kind {
                    EventKind::Count { n, .. } => Some((e.at.as_millis() as u64, n)),
                    _ => None,
                })
                .collect()
        };
        assert_eq!(counts(p.poll(t0 + ms(1500))), [(1000, 2)]);
        // Paused 10 s in the middle of the inhale: "3" comes 10 s later by
        // the wall clock, at 2 s of session time, once.
        p.pause(t0 + ms(1500));
        assert!(counts(p.poll(t0 + ms(9000))).is_empty());
        p.resume(t0 + ms(11_500));
        assert_eq!(counts(p.poll(t0 + ms(12_100))), [(2000, 3)]);
    }

    #[test]
    fn the_voicing_from_outside_fills_in_or_overrides() {
        use crate::engine::model::Voicing;
        let plain = "name = \"p\"\n[[block]]\nkind = \"breathe\"\nphases = [{ in = 2 }, { out = 2 }]\ncycles = 1\nsounds = { voice = \"none\" }\n";
        let mut s = check_str(plain, &BuiltinSoundNames).session.expect("valid");
        // The config's voice does not override a block's own "none".
        Voicing {
            default: Some("default".into()),
            ..Voicing::default()
        }
        .apply(&mut s);
        let tl = Timeline::compile(&s, Duration::ZERO);
        assert!(tl.segments.iter().all(|seg| seg.voice.is_none()));
        // --voice and --count do.
        Voicing {
            forced: Some("default".into()),
            forced_count: true,
            ..Voicing::default()
        }
        .apply(&mut s);
        let tl = Timeline::compile(&s, Duration::ZERO);
        assert_eq!(tl.segments[0].voice.as_deref(), Some("voice:default:in"));
        assert_eq!(tl.count_voices, [Some("default".to_owned())]);
    }
}
