//! Exit codes, the error every command returns instead of printing it,
//! and writing to stderr on the paths that can run after the terminal
//! has gone.
//!
//! | code | meaning |
//! |---|---|
//! | 0 | done |
//! | 1 | invalid input (a session, config or journal file with errors) |
//! | 2 | bad usage |
//! | 3 | the session ran but could not be saved to the journal |
//! | 128 + n | signal n ended exhale (130 for Ctrl-C), after recording the session |
//!
//! A command returns [`Outcome`]: `Ok(())`, or a [`Failure`] with its code
//! and what to say. `cli::main` prints it, once, and exits with its code.

use std::fmt::Display;
use std::io::Write as _;

/// Invalid input: a session, config or journal file with errors.
pub const INVALID: u8 = 1;
/// Bad usage.
pub const USAGE: u8 = 2;
/// The session ran, but its journal entry could not be written.
pub const NOT_SAVED: u8 = 3;

// Not 1 or 2 (input, usage), and below the signals' 128 + n.
const _: () = assert!(NOT_SAVED > USAGE && NOT_SAVED < 128);

/// How a command ends when it does not succeed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    /// The exit code.
    pub code: u8,
    /// What to print on stderr, already worded (`error: …` and its
    /// `= help:` lines); empty when there is nothing more to say.
    pub message: String,
}

/// What a command returns.
pub type Outcome = Result<(), Failure>;

impl Failure {
    /// `error: {what}`, with `code`.
    pub fn error(code: u8, what: impl Display) -> Self {
        Self {
            code,
            message: format!("error: {what}"),
        }
    }

    /// `error: {what}` for invalid input (exit code 1).
    pub fn invalid(what: impl Display) -> Self {
        Self::error(INVALID, what)
    }

    /// `error: {what}` for bad usage (exit code 2).
    pub fn usage(what: impl Display) -> Self {
        Self::error(USAGE, what)
    }

    /// Text worded elsewhere (rendered diagnostics), printed as it is.
    pub fn text(code: u8, text: impl Into<String>) -> Self {
        Self {
            code,
            message: text.into(),
        }
    }

    /// An exit code with nothing more to say: what went wrong has been
    /// printed already (each file's diagnostics, as `check` goes), or
    /// the code says it all (a signal's 128 + n).
    pub fn quiet(code: u8) -> Self {
        Self::text(code, "")
    }

    /// Add a `= help:` line saying what to do.
    #[must_use]
    pub fn help(self, help: impl Display) -> Self {
        self.note(format_args!("help: {help}"))
    }

    /// Add a `= …` line.
    #[must_use]
    pub fn note(mut self, note: impl Display) -> Self {
        self.message = format!("{}\n  = {note}", self.message);
        self
    }

    /// The same message with another exit code (a signal's, which wins).
    #[must_use]
    pub fn with_code(mut self, code: u8) -> Self {
        self.code = code;
        self
    }
}

/// Print what `outcome` has to say on stderr and give its exit code.
pub fn report(outcome: Outcome) -> u8 {
    match outcome {
        Ok(()) => 0,
        Err(f) => {
            // Rendered diagnostics end with their own line break.
            match f.message.as_str() {
                "" => {}
                m if m.ends_with('\n') => eprint(format_args!("{m}")),
                m => eprintln(format_args!("{m}")),
            }
            f.code
        }
    }
}

/// Write `args` to stderr, quietly if it has gone (see [`eprintln`]).
pub fn eprint(args: std::fmt::Arguments<'_>) {
    let _ = std::io::stderr().lock().write_fmt(args);
}

/// Write `args` and a newline to stderr. Unlike `eprintln!`, a stderr
/// that cannot be written (a closed terminal: "Input/output error") is
/// not a panic; there is no one left to tell.
pub fn eprintln(args: std::fmt::Arguments<'_>) {
    let mut err = std::io::stderr().lock();
    let _ = err.write_fmt(args).and_then(|()| err.write_all(b"\n"));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_says_what_went_wrong_and_what_to_do() {
        let f =
            Failure::invalid("`nope` is not a session").help("`exhale list` shows every session");
        assert_eq!(f.code, 1);
        assert_eq!(
            f.message,
            "error: `nope` is not a session\n  = help: `exhale list` shows every session"
        );
        assert_eq!(Failure::usage("x").code, 2);
        assert_eq!(Failure::quiet(130).message, "");
        assert_eq!(report(Err(Failure::quiet(143))), 143);
        assert_eq!(report(Ok(())), 0);
    }
}
