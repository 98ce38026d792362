//! The practice journal: one record per session practised, kept in
//! append-only JSON Lines files, one per machine, in the data folder or in
//! a folder a sync tool shares between computers.
//!
//! - [`entry`]: a session's record and its on-disk format.
//! - [`record`]: the kinds of record (session, amendment, tombstone) and
//!   how a line is read.
//! - [`id`]: record ids (UUID v7, or derived from a version 1 line).
//! - [`machine`]: which machine is writing.
//! - [`store`]: the [`Journal`] trait, one file's store and test fakes.
//! - [`view`]: the union of every file, as the journal shows it.
//! - [`layout`]: where the files are (data folder, sync folder), and the
//!   [`Store`] made of them.
//! - [`day`]: which day a session counts for (days start at a set hour).
//! - [`figures`]: what the stats, `history` and a plan use of a session
//!   line, read without building the whole entry.
//! - [`stats`]: weekly minutes, days practised, check-in changes, hold trends.
//! - [`export`]: CSV, JSON and a one-page Markdown summary.
//! - [`assessment`]: the result of a resonance assessment (a record of
//!   its own kind) and the rate sessions follow.
//! - [`diary`]: a check-in with no session (a record of its own kind).
//! - [`measure`]: check-in measures (SUDS, named scales, yes/no,
//!   skills) and "What got in the way?".
//! - [`answer`]: the check-in's questions and how an answer reads, for
//!   both front ends (which ask it their own way).
//!
//! No UI lives here: the front ends draw and ask.

pub mod answer;
pub mod assessment;
pub mod day;
pub mod diary;
pub mod entry;
pub mod export;
pub mod figures;
pub mod id;
pub mod layout;
pub mod machine;
pub use crate::format::measure;
pub mod record;
pub mod stats;
pub mod status;
pub mod store;
pub mod transfer;
pub mod view;

pub use entry::{Checkin, Entry, SkipReason};
pub use id::Id;
pub use layout::{Layout, Store};
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

impl From<&crate::config::JournalConfig> for JournalSettings {
    /// The `[journal]` table of `config.toml`.
    fn from(c: &crate::config::JournalConfig) -> Self {
        Self {
            checkins: c.checkins,
            day_starts_at: c.day_starts_at,
            streaks: c.streaks,
        }
    }
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
