//! The session's own time: a monotonic anchor minus the time spent paused.
//! It is given the current [`Instant`] rather than reading it, so pause and
//! resume can be tested without waiting.

use std::time::{Duration, Instant};

/// Converts wall-monotonic instants to session time, with pause.
#[derive(Debug, Clone, Copy)]
pub struct PlayClock {
    start: Instant,
    paused_at: Option<Instant>,
    paused_total: Duration,
}

impl PlayClock {
    /// A clock whose session time is zero at `start`.
    pub fn new(start: Instant) -> Self {
        Self {
            start,
            paused_at: None,
            paused_total: Duration::ZERO,
        }
    }

    /// Session time at `now`: time since start, less time paused. While
    /// paused it stands still.
    pub fn elapsed(&self, now: Instant) -> Duration {
        let until = self.paused_at.unwrap_or(now);
        until
            .saturating_duration_since(self.start)
            .saturating_sub(self.paused_total)
    }

    /// Pause at `now` (no effect if already paused).
    pub fn pause(&mut self, now: Instant) {
        if self.paused_at.is_none() {
            self.paused_at = Some(now);
        }
    }

    /// Resume at `now`; the rest of the schedule shifts by the pause.
    pub fn resume(&mut self, now: Instant) {
        if let Some(at) = self.paused_at.take() {
            self.paused_total += now.saturating_duration_since(at);
        }
    }

    /// Whether the clock is paused.
    pub fn is_paused(&self) -> bool {
        self.paused_at.is_some()
    }

    /// The instant at which session time will reach `t`, if running.
    pub fn instant_of(&self, t: Duration) -> Option<Instant> {
        if self.paused_at.is_some() {
            return None;
        }
        Some(self.start + self.paused_total + t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pause_stops_time_and_resume_shifts_it() {
        let t0 = Instant::now();
        let s = Duration::from_secs;
        let mut c = PlayClock::new(t0);
        assert_eq!(c.elapsed(t0 + s(3)), s(3));
        c.pause(t0 + s(3));
        assert_eq!(c.elapsed(t0 + s(10)), s(3));
        c.resume(t0 + s(10));
        assert_eq!(c.elapsed(t0 + s(12)), s(5));
        assert_eq!(c.instant_of(s(6)), Some(t0 + s(13)));
    }
}
