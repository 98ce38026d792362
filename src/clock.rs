//! The one place that reads the time: the monotonic clock that sessions
//! are timed by, behind a trait so tests can drive it by hand, and the
//! local wall clock that the journal dates entries by, behind a function
//! type so tests can fix it.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset};

/// The monotonic time now. Sessions are timed from it; nothing but this
/// module reads it.
pub fn now() -> Instant {
    Instant::now()
}

/// A source of local wall time, with its offset (tests pass a fixed one).
pub type WallClock = fn() -> DateTime<FixedOffset>;

/// The local time now, with its offset: what journal entries are dated by
/// and which day a session counts for.
pub fn wall_now() -> DateTime<FixedOffset> {
    chrono::Local::now().fixed_offset()
}

/// A source of monotonic time.
pub trait Clock {
    /// The current instant.
    fn now(&self) -> Instant;

    /// How long a runner should really block for when it wants to wait
    /// `d`. The real clock says `d`; a manual clock moves itself forward
    /// by `d` and says zero, so a test runs a whole session instantly.
    fn wait(&self, d: Duration) -> Duration {
        d
    }
}

/// The real monotonic clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Instant {
        now()
    }
}

/// A clock that moves only when told to (tests).
#[derive(Debug)]
pub struct ManualClock {
    now: Mutex<Instant>,
}

impl ManualClock {
    /// A clock standing at `start`.
    pub fn new(start: Instant) -> Self {
        Self {
            now: Mutex::new(start),
        }
    }

    /// Move time forward.
    pub fn advance(&self, by: Duration) {
        if let Ok(mut n) = self.now.lock() {
            *n += by;
        }
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Instant {
        self.now.lock().map_or_else(|_| now(), |n| *n)
    }
    fn wait(&self, d: Duration) -> Duration {
        self.advance(d);
        Duration::ZERO
    }
}
