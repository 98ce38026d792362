//! Whether exhale's standard streams are a terminal, asked the same way
//! by every part that decides how to run: the full-screen app needs one
//! to draw on, plain mode asks its questions only on one.

use std::io::IsTerminal as _;

/// Whether standard output is a terminal that can show the full-screen
/// app: not a file or a pipe, and not a terminal that says it cannot
/// move the cursor (`TERM=dumb`).
pub fn can_draw() -> bool {
    std::io::stdout().is_terminal() && !std::env::var("TERM").is_ok_and(|t| t == "dumb")
}

/// Whether standard input is a terminal: someone can type answers.
pub fn keyboard() -> bool {
    std::io::stdin().is_terminal()
}

/// Whether standard output is a terminal (even a dumb one).
pub fn stdout_is_terminal() -> bool {
    std::io::stdout().is_terminal()
}
