//! Every limit of the session format, in one place: the validator
//! enforces them, the JSON Schema states them, and `exhale run --cycles`
//! and the config's `settle_in` follow the same ones. They are documented
//! in docs/session-format.md.

use std::time::Duration;

/// Longest a whole session may last.
pub const MAX_SESSION: Duration = Duration::from_secs(24 * 3600);
/// Longest a block may last given in `minutes` (the same 24 hours).
pub const MAX_MINUTES: u32 = 24 * 60;
/// Longest a single phase (or a retention hold's cap) may last.
pub const MAX_PHASE: Duration = Duration::from_secs(10 * 60);
/// Shortest a phase may last: anything shorter cannot be followed.
pub const MIN_PHASE: Duration = Duration::from_millis(100);
/// Longest settle-in countdown, for a session's `settle` and the config's
/// `settle_in`.
pub const MAX_SETTLE: Duration = Duration::from_secs(5 * 60);
/// Shortest interval between bells.
pub const MIN_BELL_EVERY: Duration = Duration::from_secs(1);
/// The cap of an open-ended meditate block that sets none.
pub const DEFAULT_OPEN_CAP: Duration = Duration::from_secs(2 * 3600);

/// Most cycles a breathe block may have (and `exhale run --cycles` may
/// ask for).
pub const MAX_CYCLES: u32 = 100_000;
/// Most rounds a retention block may have.
pub const MAX_ROUNDS: u32 = 100;
/// Most paced breaths in one retention round.
pub const MAX_BREATHS: u32 = 200;
/// Most cycles a stepped ramp may wait between steps (`every`).
pub const MAX_RAMP_EVERY: u32 = 10_000;
/// Most phases one session may expand to once cycles are unrolled.
pub const MAX_SEGMENTS: u64 = 200_000;
/// Most blocks a session may have.
pub const MAX_BLOCKS: usize = 100;
/// Most phases in one cycle.
pub const MAX_PHASES: usize = 32;
/// Most prompts in one meditate block.
pub const MAX_PROMPTS: usize = 500;
/// Most tags a session may have.
pub const MAX_TAGS: usize = 16;

/// Longest title (a session's or a block's name, the author), in
/// characters.
pub const MAX_TITLE: usize = 80;
/// Longest tag, in characters.
pub const MAX_TAG: usize = 32;
/// Longest one-line text (a cue, a prompt, a reference), in characters.
pub const MAX_LINE: usize = 300;
/// Longest multi-line text (the description, the caution), in characters.
pub const MAX_TEXT: usize = 2000;
