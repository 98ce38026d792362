//! The practice journal: one record per session practised, kept in an
//! append-only JSON Lines file on this machine only.
//!
//! - [`entry`]: the record and its on-disk format (versioned with `"v": 1`).
//! - [`store`]: the [`Journal`] trait, the file store and test fakes.
//! - [`day`]: which day a session counts for (days start at a set hour).
//! - [`stats`]: weekly minutes, days practised, check-in changes, hold trends.
//! - [`export`]: CSV, JSON and a one-page Markdown summary.
//! - [`prompt`]: the before/after check-in as line prompts (plain mode).
//! - [`checkin`]: the same check-in as a terminal UI component.
//! - [`stats_screen`]: the stats screen as a pure render function.

pub mod checkin;
pub mod day;
pub mod entry;
pub mod export;
pub mod prompt;
pub mod stats;
pub mod stats_screen;
pub mod store;

pub use entry::{Checkin, Entry, SkipReason};
pub use store::{FileJournal, Journal, JournalError, Loaded};

/// The journal's settings. The `[journal]` table of `config.toml` fills
/// these in; until the config reader passes them down, commands use
/// [`JournalSettings::default`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JournalSettings {
    /// Ask how the user feels before and after a session
    /// (`[journal] checkins`, default on).
    pub checkins: bool,
    /// The hour (0-23, local time) at which a new day starts for the
    /// journal (`[journal] day_starts_at`, default 4: a session at 1 a.m.
    /// counts for the day before).
    pub day_starts_at: u8,
    /// Show a run of consecutive days in `exhale stats`
    /// (`[journal] streaks`, default off).
    pub streaks: bool,
}

impl Default for JournalSettings {
    fn default() -> Self {
        Self {
            checkins: true,
            day_starts_at: 4,
            streaks: false,
        }
    }
}
