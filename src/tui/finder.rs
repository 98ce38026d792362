//! The resonance finder in the full-screen app (docs/resonance.md). It
//! walks the same pure protocol as plain mode ([`crate::hr::protocol`]):
//! each piece (the settle-in, a step, a rest) is an ordinary session
//! screen; without heart-rate input each step is followed by the 0-10
//! question ([`Screen::FinderRate`]); at the end the result is saved to
//! the journal and shown ([`Screen::FinderDone`]).
//!
//! With heart-rate input, `h` shows a one-line braille trace of the heart
//! rate under the ring ([`trace_line`]), off by default. It takes the
//! screen's empty row, so nothing else moves when it shows, and it changes
//! once per beat.
//!
//! Beats and steps are timed in seconds from the start of the settle-in,
//! which is when the app was made.

use std::time::{Duration, Instant};

use crossbeam_channel::Receiver;
use ratatui::crossterm::event::{KeyCode, KeyEvent};

use crate::clock::{self, WallClock};
use crate::engine::Timeline;
use crate::engine::finder::Plan;
use crate::engine::player::{Ending, Player};
use crate::hr::protocol::{Now, Outcome, Piece, Protocol, Tell};
use crate::hr::score::Beat;
use crate::journal::Journal;
use crate::journal::assessment::Assessment;
use crate::journal::id::Id;
use crate::text::rate as words;

use super::app::{App, NOTICE_FOR, Running, SUMMARY_GRACE, Screen};
use super::journaling::Saved;
use super::keys::{self, SessionKey};

/// The key that shows and hides the heart-rate trace.
pub const TRACE: KeyCode = KeyCode::Char('h');

/// The finder's state beside the screen on show.
pub struct Finder {
    protocol: Protocol,
    plan: Plan,
    /// When the settle-in began.
    start: Instant,
    /// When the piece on screen began.
    piece_start: Instant,
    /// Whether the heart-rate trace shows (`h`).
    pub trace: bool,
    /// What the protocol said between pieces, for the result screen.
    said: Vec<String>,
    journal: Option<Box<dyn Journal>>,
    wall: WallClock,
    /// Beats arriving live, until the loop takes them over.
    feed: Option<Receiver<Beat>>,
    /// The voice from the config and the command line, for every piece.
    pub voicing: crate::engine::model::Voicing,
    /// The pacing sound: `--pacing`, and the config's `[sound] pacing`.
    pub pacing: (
        Option<crate::engine::model::Pacing>,
        crate::engine::model::Pacing,
    ),
}

impl Finder {
    /// A finder that asks the 0-10 question after each step, starting at
    /// `start`, with steps of `plan`.
    pub fn new(plan: Plan, start: Instant) -> Self {
        Self {
            protocol: Protocol::new(true),
            plan,
            start,
            piece_start: start,
            trace: false,
            said: Vec::new(),
            journal: None,
            wall: clock::wall_now,
            feed: None,
            voicing: crate::engine::model::Voicing::default(),
            pacing: (None, crate::engine::model::Pacing::None),
        }
    }

    /// Score the steps from a recording, its beats timed from the start;
    /// they show on the trace as their time comes.
    #[must_use]
    pub fn with_recording(mut self, beats: Vec<Beat>) -> Self {
        self.protocol = Protocol::new(false);
        self.protocol.beats(beats);
        self
    }

    /// Score the steps from beats that arrive on `feed` as they are felt
    /// (a strap, or `--hr-input -`).
    #[must_use]
    pub fn with_feed(mut self, feed: Receiver<Beat>) -> Self {
        self.protocol = Protocol::new(false);
        self.feed = Some(feed);
        self
    }

    /// Save the result in `journal`.
    #[must_use]
    pub fn with_journal(mut self, journal: Box<dyn Journal>) -> Self {
        self.journal = Some(journal);
        self
    }

    /// Date the result with `wall` instead of the local clock.
    #[must_use]
    pub fn with_wall_clock(mut self, wall: WallClock) -> Self {
        self.wall = wall;
        self
    }

    /// The live beats, for the loop to forward as [`super::Msg::Heart`].
    pub fn take_feed(&mut self) -> Option<Receiver<Beat>> {
        self.feed.take()
    }

    /// Whether there is heart-rate input.
    pub fn has_heart(&self) -> bool {
        !self.protocol.is_rated()
    }

    /// The keys line of the finder's pieces, which have no skip and no
    /// pace keys: `Space pause · h heart trace · q stop · ? keys`.
    pub fn hint(&self) -> String {
        use keys::{SESSION, hint};
        let mut parts = vec![hint(SESSION, &[SessionKey::Space], "pause")];
        if self.has_heart() {
            parts.push("h heart trace".to_owned());
        }
        parts.push(hint(SESSION, &[SessionKey::AskStop], "stop"));
        parts.push(hint(SESSION, &[SessionKey::Help], "keys"));
        parts.join(" · ")
    }

    /// What follows the piece on screen, for the line that would say
    /// "next: end" at the end of the piece's own session.
    pub fn after_piece(&self) -> &'static str {
        let (done, all) = self.protocol.progress();
        match self.protocol.now() {
            Now::Play(Piece::Settle) => "next: the first step",
            Now::Play(Piece::Step { .. }) if self.protocol.is_rated() => {
                "next: how easy it was, 0-10"
            }
            Now::Play(Piece::Step { .. }) if done + 1 == all => "next: the result",
            Now::Play(Piece::Step { .. }) => "next: a rest",
            Now::Play(Piece::Rest) => "next: the next step",
            Now::Rate(_) | Now::Done => "next: end",
        }
    }

    /// A beat felt.
    pub fn heard(&mut self, beat: Beat) {
        self.protocol.beats([beat]);
    }

    fn secs(&self, at: Instant) -> f64 {
        at.saturating_duration_since(self.start).as_secs_f64()
    }

    /// The beats felt by `now` (a recording's later beats are not yet).
    pub fn shown(&self, now: Instant) -> &[Beat] {
        let t = self.secs(now);
        let beats = self.protocol.heartbeats();
        &beats[..beats.partition_point(|b| b.at <= t)]
    }

    /// When the trace next changes by itself: a recording's next beat.
    pub fn next_beat(&self, now: Instant) -> Option<Instant> {
        if !self.trace {
            return None;
        }
        let beats = self.protocol.heartbeats();
        let next = beats.get(self.shown(now).len())?;
        Some(self.start + Duration::from_secs_f64(next.at.max(0.0)))
    }

    /// What the trace shows at `now`, for the frame key: whether it shows
    /// and how many beats it has.
    pub fn trace_key(&self, now: Instant) -> Option<usize> {
        self.trace.then(|| self.shown(now).len())
    }

    /// What the protocol has said so far.
    pub fn said(&self) -> &[String] {
        &self.said
    }

    fn tell(&mut self, tells: Vec<Tell>) {
        for t in tells {
            self.said.push(match t {
                Tell::Scored(s) => s.words(),
                Tell::Best(b) => format!(
                    "Best of the five steps: {} breaths a minute; then a quarter of a breath either side.",
                    words(b)
                ),
            });
        }
    }

    /// The session screen for the piece to play now, starting at `now`.
    fn running(&mut self, piece: Piece, now: Instant, lead: Duration) -> Running {
        self.piece_start = now;
        let (done, all) = self.protocol.progress();
        let title = match piece {
            Piece::Settle => "Resonance finder · settle in".to_owned(),
            Piece::Rest => "Resonance finder · rest".to_owned(),
            Piece::Step { rate, .. } => format!(
                "Resonance finder · step {} of {all} · {} breaths a minute",
                done + 1,
                words(rate)
            ),
        };
        let mut session = piece.session(self.plan);
        self.voicing.apply(&mut session);
        let timeline =
            Timeline::compile(&session, Duration::ZERO).with_pacing(self.pacing.0, self.pacing.1);
        Running {
            title,
            player: Player::new(timeline, now).with_lead(lead),
            confirm_stop: false,
            paused_by_confirm: false,
            paused_by_size: false,
            confirm_skip: false,
            bed: crate::engine::model::Bed::None,
            pacer: crate::audio::pacing::Pacer::default(),
        }
    }

    /// Keep the result in the journal, if there is one.
    fn save(&self, outcome: &Outcome) -> Option<Saved> {
        let journal = self.journal.as_ref()?;
        let a = Assessment::of(Id::NIL, None, (self.wall)(), outcome);
        Some(match journal.append_assessment(&a) {
            Ok(()) => Saved::Saved,
            Err(e) => Saved::Failed {
                location: journal.location(),
                reason: e.to_string(),
            },
        })
    }
}

/// The 0-10 question after a step.
#[derive(Debug, Clone, PartialEq)]
pub struct RateAsk {
    /// The step's rate, breaths a minute.
    pub rate: f64,
    /// The digits typed so far.
    pub typed: String,
    /// Steps breathed, of all.
    pub step: (usize, usize),
}

/// The end of the finder.
#[derive(Debug, Clone, PartialEq)]
pub struct FinderDone {
    /// The rate found or why none was; `None` when it was stopped.
    pub found: Option<Result<f64, String>>,
    /// What was said on the way (each step's score, the best).
    pub said: Vec<String>,
    /// Whether the result was saved (`None` without a journal).
    pub saved: Option<Saved>,
    /// When it was shown (a key pressed for the last step does not close
    /// it).
    pub shown_at: Instant,
}

impl App {
    /// An app that runs the resonance finder and quits after its result.
    pub fn finding(
        finder: Finder,
        chime: Box<dyn crate::audio::Chime>,
        opts: super::Options,
        now: Instant,
    ) -> Self {
        let mut finder = finder;
        finder.voicing = opts.voicing.clone();
        finder.pacing = (opts.forced_pacing, opts.pacing);
        let mut app = Self::with_picker(super::Picker::default(), chime, opts);
        app.picker = None;
        app.finder = Some(Box::new(finder));
        app.finder_next(now);
        app
    }

    /// The screen for what the protocol asks now.
    fn finder_next(&mut self, now: Instant) {
        let Some(f) = self.finder.as_mut() else {
            return;
        };
        match f.protocol.now() {
            Now::Play(piece) => {
                let r = f.running(piece, now, self.chime.lead());
                // Each piece is a session of its own: its sounds are
                // decoded as it starts, as a picked session's are.
                self.chime.prepare(&crate::audio::timeline_sounds(
                    r.player.schedule().timeline(),
                ));
                self.screen = Screen::Session(Box::new(r));
            }
            Now::Rate(rate) => {
                self.screen = Screen::FinderRate(Box::new(RateAsk {
                    rate,
                    typed: String::new(),
                    step: f.protocol.progress(),
                }));
            }
            Now::Done => {
                let outcome = f.protocol.outcome().cloned();
                for s in f.protocol.tuned_scores() {
                    f.said.push(s.words());
                }
                let saved = outcome.as_ref().and_then(|o| f.save(o));
                if let Some(Saved::Failed { location, reason }) = &saved {
                    self.not_saved = Some((location.clone(), reason.clone()));
                }
                self.screen = Screen::FinderDone(Box::new(FinderDone {
                    found: outcome.map(|o| o.found),
                    said: f.said.clone(),
                    saved,
                    shown_at: now,
                }));
            }
        }
    }

    /// A piece of the finder ended at `now`: the next one, the question,
    /// or the result; stopped, the finder ends without a result.
    pub(super) fn finder_piece_ended(&mut self, now: Instant, ending: Ending) {
        let Some(f) = self.finder.as_mut() else {
            return;
        };
        if ending != Ending::Completed {
            self.screen = Screen::FinderDone(Box::new(FinderDone {
                found: None,
                said: f.said.clone(),
                saved: None,
                shown_at: now,
            }));
            return;
        }
        let tells = f.protocol.played(f.secs(f.piece_start), f.secs(now));
        f.tell(tells);
        self.finder_next(now);
    }

    /// A key on a finder screen. Returns whether it was the finder's (on
    /// the session screen, the keys that would change the pace or skip a
    /// step, and `h`).
    pub(super) fn finder_key(&mut self, k: &KeyEvent, now: Instant) -> bool {
        let Some(f) = self.finder.as_mut() else {
            return false;
        };
        match &mut self.screen {
            Screen::Session(r) if !r.confirm_stop => {
                if k.code == TRACE {
                    let text = if f.has_heart() {
                        f.trace = !f.trace;
                        if f.trace {
                            "heart-rate trace on"
                        } else {
                            "heart-rate trace off"
                        }
                    } else {
                        "no heart-rate input: give --hr-input FILE for a trace"
                    };
                    self.notice = Some((text.to_owned(), now + NOTICE_FOR));
                    return true;
                }
                if matches!(
                    keys::session(k),
                    SessionKey::Skip | SessionKey::Slower | SessionKey::Faster
                ) {
                    self.notice = Some((
                        "the finder keeps its own pace and steps".to_owned(),
                        now + NOTICE_FOR,
                    ));
                    return true;
                }
                false
            }
            Screen::FinderRate(ask) => {
                match k.code {
                    KeyCode::Char(c) if c.is_ascii_digit() => {
                        let typed = format!("{}{c}", ask.typed);
                        if typed.parse::<u8>().is_ok_and(|n| n <= 10) {
                            ask.typed = typed;
                        } else {
                            self.notice =
                                Some(("a number from 0 to 10".to_owned(), now + NOTICE_FOR));
                        }
                    }
                    KeyCode::Backspace => {
                        ask.typed.pop();
                    }
                    KeyCode::Enter => {
                        if let Ok(n) = ask.typed.parse::<u8>() {
                            let tells = f.protocol.rated(n);
                            f.tell(tells);
                            self.finder_next(now);
                        } else {
                            self.notice = Some((
                                "type a number from 0 to 10, then Enter".to_owned(),
                                now + NOTICE_FOR,
                            ));
                        }
                    }
                    KeyCode::Esc | KeyCode::Char('q' | 'Q') => {
                        self.screen = Screen::FinderDone(Box::new(FinderDone {
                            found: None,
                            said: f.said.clone(),
                            saved: None,
                            shown_at: now,
                        }));
                    }
                    _ => {}
                }
                true
            }
            Screen::FinderDone(d) => {
                if now >= d.shown_at + SUMMARY_GRACE {
                    self.quit = true;
                }
                true
            }
            _ => false,
        }
    }

    /// When the heart-rate trace next changes by itself.
    pub(super) fn finder_deadline(&self, now: Instant) -> Option<Instant> {
        match &self.screen {
            Screen::Session(_) => self.finder.as_ref()?.next_beat(now),
            _ => None,
        }
    }
}

/// The newest heart rates as one line of braille, `width` cells wide:
/// each beat one column of dots (two to a cell), its height the beat's
/// rate between the lowest and highest shown, the newest at the right.
/// Empty when there are no beats.
pub fn trace_line(bpm: &[f64], width: usize) -> String {
    // Dots from the bottom row up: left column 7, 3, 2, 1; right 8, 6, 5, 4.
    const LEFT: [u32; 4] = [0x40, 0x04, 0x02, 0x01];
    const RIGHT: [u32; 4] = [0x80, 0x20, 0x10, 0x08];
    let shown = &bpm[bpm.len().saturating_sub(width * 2)..];
    if shown.is_empty() || width == 0 {
        return String::new();
    }
    let lo = shown.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = shown.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    // A flat trace sits in the middle rather than on the floor.
    let (lo, hi) = if hi - lo < 1.0 {
        let mid = f64::midpoint(lo, hi);
        (mid - 1.5, mid + 1.5)
    } else {
        (lo, hi)
    };
    let level = |v: f64| (((v - lo) / (hi - lo)) * 3.0).round().clamp(0.0, 3.0) as usize;
    // Pad on the left so the newest beat is in the last column.
    let mut columns: Vec<Option<usize>> = vec![None; width * 2 - shown.len()];
    columns.extend(shown.iter().map(|&v| Some(level(v))));
    columns
        .chunks(2)
        .map(|pair| {
            let bits = pair[0].map_or(0, |l| LEFT[l]) | pair[1].map_or(0, |l| RIGHT[l]);
            if bits == 0 {
                ' '
            } else {
                char::from_u32(0x2800 + bits).unwrap_or(' ')
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_trace_rises_and_falls_with_the_heart_rate_newest_on_the_right() {
        // Rising, then falling: 60, 70, 80, 70 bpm.
        let line = trace_line(&[60.0, 70.0, 80.0, 70.0], 4);
        assert_eq!(line.chars().count(), 4);
        // Two empty cells, then (bottom, middle-high) and (top, middle-high).
        // 70 sits at 1.5 of 3, rounding to level 2 (dot 2 / dot 5).
        assert_eq!(line, "  \u{2850}\u{2811}");
        // Only the newest fit: 3 cells hold 6 beats.
        let many: Vec<f64> = (0..20).map(|i| 60.0 + f64::from(i)).collect();
        let line = trace_line(&many, 3);
        assert_eq!(line.chars().count(), 3);
        // The last beat is the highest: the top right dot of the last cell.
        let last = line.chars().last().expect("a cell") as u32 - 0x2800;
        assert_eq!(last & 0x08, 0x08, "{line}");
        assert_eq!(trace_line(&[], 10), "");
    }

    #[test]
    fn a_steady_heart_rate_draws_a_level_line_in_the_middle() {
        let line = trace_line(&[65.0; 8], 4);
        let cells: Vec<u32> = line.chars().map(|c| c as u32 - 0x2800).collect();
        assert!(cells.iter().all(|&c| c == cells[0]), "{line}");
        // Neither the top row (dots 1, 4) nor the bottom (7, 8).
        assert_eq!(cells[0] & (0x01 | 0x08 | 0x40 | 0x80), 0, "{line}");
    }
}
