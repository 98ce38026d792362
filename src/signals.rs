//! What ends exhale from outside: signals, and the terminal going away.
//!
//! Every signal that would otherwise end the process and can be caught
//! ([`ENDING`]) is turned into a message for the front end's main loop,
//! which then does what it does for SIGTERM: record the session, give the
//! terminal back, and exit with 128 + the signal's number. A terminal that
//! has gone (the window closed) without a SIGHUP reaching exhale, because
//! something between them ignores it, counts as SIGHUP: [`watch_hangup`]
//! notices it.
//!
//! Not caught: the signals that report a crash (SIGABRT, SIGBUS, SIGFPE,
//! SIGILL, SIGSEGV, SIGTRAP), SIGKILL and SIGSTOP, which cannot be, and
//! the real-time signals, which no one sends a program that did not ask
//! for them. SIGPIPE is ignored, as in every Rust program: a closed
//! output shows up as a failed write, which each front end handles.

use std::os::fd::{AsFd, BorrowedFd};

use crossbeam_channel::Sender;
use signal_hook::consts::{
    SIGALRM, SIGHUP, SIGINT, SIGIO, SIGPROF, SIGQUIT, SIGSYS, SIGTERM, SIGUSR1, SIGUSR2, SIGVTALRM,
    SIGXCPU, SIGXFSZ,
};

use crate::engine::player::Ending;

/// A signal, by number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Signal(pub i32);

impl Signal {
    /// SIGINT: Ctrl-C.
    pub const INT: Signal = Signal(SIGINT);
    /// SIGHUP: the terminal went away.
    pub const HUP: Signal = Signal(SIGHUP);
    /// SIGTERM: asked to end (a shutdown, `kill`).
    pub const TERM: Signal = Signal(SIGTERM);

    /// The exit code that says this signal ended exhale: 128 + its number.
    pub fn exit_code(self) -> u8 {
        u8::try_from(128 + self.0).unwrap_or(u8::MAX)
    }

    /// How a session it ends is recorded: Ctrl-C is the person stopping
    /// (`stopped`); anything else ended it for them (`interrupted`).
    pub fn ending(self) -> Ending {
        if self == Signal::INT {
            Ending::Stopped
        } else {
            Ending::Interrupted
        }
    }
}

/// The signals handled like SIGTERM: each would end the process without
/// a word if left alone.
pub const ENDING: &[i32] = &[
    SIGHUP,
    SIGINT,
    SIGQUIT,
    SIGTERM,
    SIGUSR1,
    SIGUSR2,
    SIGALRM,
    SIGVTALRM,
    SIGPROF,
    SIGXCPU,
    SIGXFSZ,
    SIGIO,
    SIGSYS,
    #[cfg(target_os = "linux")]
    SIGPWR,
    #[cfg(target_os = "linux")]
    SIGSTKFLT,
];

/// SIGPWR (power failure), which `signal_hook` does not name.
#[cfg(target_os = "linux")]
const SIGPWR: i32 = rustix::process::Signal::POWER.as_raw();
/// SIGSTKFLT (unused by Linux itself; ends a process by default).
#[cfg(target_os = "linux")]
const SIGSTKFLT: i32 = rustix::process::Signal::STKFLT.as_raw();

/// Send `wrap(signal)` into `tx` for every signal of [`ENDING`] that
/// arrives, from a thread of its own, for as long as `tx` has a receiver.
/// From the moment this returns, those signals no longer end the process
/// by themselves.
pub fn forward<T: Send + 'static>(tx: Sender<T>, wrap: fn(Signal) -> T) {
    let Ok(mut signals) = signal_hook::iterator::Signals::new(ENDING) else {
        return;
    };
    std::thread::spawn(move || {
        for sig in signals.forever() {
            if tx.send(wrap(Signal(sig))).is_err() {
                break;
            }
        }
    });
}

/// Whether the terminal behind `fd` has hung up (its window closed).
/// Answers at once.
pub fn hung_up(fd: BorrowedFd<'_>) -> bool {
    use rustix::event::{PollFd, PollFlags};
    let mut fds = [PollFd::new(&fd, PollFlags::empty())];
    let zero = rustix::event::Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    rustix::event::poll(&mut fds, Some(&zero)).is_ok_and(|n| n > 0)
        && fds[0]
            .revents()
            .intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL)
}

/// Send `msg` into `tx` once, when one of the terminals exhale uses
/// (standard input, standard output, whichever are terminals) hangs up,
/// from a thread that sleeps in the kernel until then. This is how a
/// closed window is noticed when no SIGHUP comes: reads from a hung-up
/// terminal only ever return end-of-file, and its writes fail.
pub fn watch_hangup<T: Send + 'static>(tx: Sender<T>, msg: T) {
    let stdin = crate::tty::keyboard();
    let stdout = crate::tty::stdout_is_terminal();
    if !stdin && !stdout {
        return;
    }
    std::thread::spawn(move || {
        use rustix::event::{PollFd, PollFlags};
        let (i, o) = (std::io::stdin(), std::io::stdout());
        loop {
            // No events asked for: poll still reports a hang-up, and
            // nothing else wakes it (input is for the key reader).
            let mut fds = Vec::with_capacity(2);
            if stdin {
                fds.push(PollFd::new(&i, PollFlags::empty()));
            }
            if stdout {
                fds.push(PollFd::new(&o, PollFlags::empty()));
            }
            match rustix::event::poll(&mut fds, None) {
                Ok(n) if n > 0 => {
                    let _ = tx.send(msg);
                    return;
                }
                Ok(_) | Err(rustix::io::Errno::INTR) => {}
                Err(_) => return,
            }
        }
    });
}

/// Whether standard input is a terminal that has hung up: for telling
/// the end of input from a closed window (both read as end-of-file).
pub fn stdin_hung_up() -> bool {
    crate::tty::keyboard() && hung_up(std::io::stdin().as_fd())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exit_code_is_128_and_the_number() {
        assert_eq!(Signal::INT.exit_code(), 130);
        assert_eq!(Signal::HUP.exit_code(), 129);
        assert_eq!(Signal::TERM.exit_code(), 143);
    }

    #[test]
    fn only_ctrl_c_counts_as_stopping() {
        assert_eq!(Signal::INT.ending(), Ending::Stopped);
        for &s in ENDING.iter().filter(|&&s| s != Signal::INT.0) {
            assert_eq!(Signal(s).ending(), Ending::Interrupted, "signal {s}");
        }
    }

    #[test]
    fn none_of_the_handled_signals_is_forbidden() {
        for s in ENDING {
            assert!(!signal_hook::consts::FORBIDDEN.contains(s), "{s}");
        }
    }
}
