//! Standard output for the commands that print. A reader that goes away
//! early (`exhale history | head -1`) is not an error: the command stops
//! writing and exits quietly with the code it would have had, since the
//! reader has what it wanted. Any other write error (a full disk behind
//! `> file`) is the command's failure, with exit 1.

use std::fmt;
use std::io::{self, Write as _};

use serde::Serialize;

use crate::exit::{Failure, Outcome};

/// Standard output, remembering the first write that failed.
pub struct Out {
    w: io::StdoutLock<'static>,
    error: Option<io::Error>,
}

impl Out {
    /// Standard output, locked for this command.
    pub fn stdout() -> Self {
        Self {
            w: io::stdout().lock(),
            error: None,
        }
    }

    /// Write formatted text, so `write!(out, ...)` and `writeln!(out, ...)`
    /// work. After a failed write nothing more is written.
    pub fn write_fmt(&mut self, args: fmt::Arguments<'_>) {
        if self.error.is_none() {
            if let Err(e) = self.w.write_fmt(args) {
                self.error = Some(e);
            }
        }
    }

    /// Write `value` as pretty-printed JSON and a newline.
    pub fn json<T: Serialize + ?Sized>(&mut self, value: &T) {
        if self.error.is_some() {
            return;
        }
        match serde_json::to_writer_pretty(&mut self.w, value) {
            Ok(()) => writeln!(self),
            Err(e) => {
                self.error = Some(match e.io_error_kind() {
                    Some(kind) => io::Error::from(kind),
                    None => io::Error::other(e),
                });
            }
        }
    }

    /// Whether a write has failed, so a long listing can stop early.
    pub fn is_closed(&self) -> bool {
        self.error.is_some()
    }

    /// Flush: `Ok` when everything was written or the reader went away,
    /// a failure (exit code 1) after any other write error.
    pub fn finish(mut self) -> Outcome {
        if self.error.is_none() {
            if let Err(e) = self.w.flush() {
                self.error = Some(e);
            }
        }
        match self.error {
            None => Ok(()),
            Some(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
            Some(e) => Err(Failure::invalid(format_args!(
                "cannot write the output: {e}"
            ))),
        }
    }
}
