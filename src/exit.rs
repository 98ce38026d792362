//! Exit codes, and writing to stderr on the paths that can run after the
//! terminal has gone.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | done |
//! | 1 | invalid input (a session, config or journal file with errors) |
//! | 2 | bad usage |
//! | 3 | the session ran but could not be saved to the journal |
//! | 128 + n | signal n ended exhale (130 for Ctrl-C), after recording the session |

use std::io::Write as _;

/// The session ran, but its journal entry could not be written.
pub const NOT_SAVED: u8 = 3;

// Not 1 or 2 (input, usage), and below the signals' 128 + n.
const _: () = assert!(NOT_SAVED > 2 && NOT_SAVED < 128);

/// Write `args` and a newline to stderr. Unlike `eprintln!`, a stderr
/// that cannot be written (a closed terminal: "Input/output error") is
/// not a panic; there is no one left to tell.
pub fn eprintln(args: std::fmt::Arguments<'_>) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_fmt(args).and_then(|()| err.write_all(b"\n"));
}
