//! What reaches plain mode from outside, on one channel: lines typed on
//! stdin (from a thread that reads them), signals, and a terminal that
//! hangs up. The session loop and the check-in questions both read it;
//! nothing copies it into another channel.

use std::cell::Cell;

use crossbeam_channel::{Receiver, TryRecvError};

use crate::signals::{self, Signal};

use super::prompt::Reply;

/// One thing from outside.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Msg {
    /// A line from stdin (a terminal), without its line break.
    Line(String),
    /// stdin closed (Ctrl-D, or the end of what was piped in).
    Closed,
    /// A signal arrived, or the terminal went away (as SIGHUP).
    Signal(Signal),
}

/// The channel, and a second one that disconnects once stdin has closed
/// (so a question asked after Ctrl-D does not wait for ever).
pub struct Inputs {
    /// Lines, the end of stdin, signals.
    pub rx: Receiver<Msg>,
    stdin_open: Receiver<()>,
    /// The signal that ended plain mode, once one has (Ctrl-C counts as
    /// SIGINT, a closed terminal as SIGHUP).
    ended_by: Cell<Option<Signal>>,
}

impl Inputs {
    /// Start listening: for every signal of [`signals::ENDING`] and for
    /// the terminal hanging up at once, and for lines on stdin when it is
    /// a terminal (`interactive`). From here on those signals no longer
    /// end the process by themselves.
    pub fn start(interactive: bool) -> Self {
        let (tx, rx) = crossbeam_channel::unbounded();
        let (open_tx, stdin_open) = crossbeam_channel::bounded::<()>(0);
        signals::forward(tx.clone(), Msg::Signal);
        signals::watch_hangup(tx.clone(), Msg::Signal(Signal::HUP));
        if interactive {
            std::thread::spawn(move || {
                let _open = open_tx;
                let mut line = String::new();
                loop {
                    line.clear();
                    match std::io::stdin().read_line(&mut line) {
                        Ok(n) if n > 0 => {
                            let l = line.trim_end_matches(['\n', '\r']).to_owned();
                            if tx.send(Msg::Line(l)).is_err() {
                                break;
                            }
                        }
                        _ => {
                            // End of input: Ctrl-D, or a window that closed
                            // (which reads the same, but has hung up).
                            let m = if signals::stdin_hung_up() {
                                Msg::Signal(Signal::HUP)
                            } else {
                                Msg::Closed
                            };
                            let _ = tx.send(m);
                            break;
                        }
                    }
                }
            });
        } else {
            drop(open_tx);
        }
        Self::over(rx, stdin_open)
    }

    /// Inputs read from `rx`; `stdin_open` disconnects when stdin closes
    /// (tests pass their own channels).
    pub fn over(rx: Receiver<Msg>, stdin_open: Receiver<()>) -> Self {
        Self {
            rx,
            stdin_open,
            ended_by: Cell::new(None),
        }
    }

    /// The signal that ended plain mode, if one has.
    pub fn ended_by(&self) -> Option<Signal> {
        self.ended_by.get()
    }

    /// Note that `signal` came (the first one counts).
    pub fn signalled(&self, signal: Signal) {
        if self.ended_by.get().is_none() {
            self.ended_by.set(Some(signal));
        }
    }

    fn to_reply(&self, m: Result<Msg, TryRecvError>) -> Reply {
        match m {
            Ok(Msg::Line(l)) => Reply::Line(l),
            Ok(Msg::Signal(s)) => {
                self.signalled(s);
                Reply::Interrupted
            }
            Ok(Msg::Closed) | Err(_) => Reply::Closed,
        }
    }

    /// The next line, signal, or the end of stdin.
    pub fn reply(&self) -> Reply {
        if let Ok(m) = self.rx.try_recv() {
            return self.to_reply(Ok(m));
        }
        crossbeam_channel::select! {
            recv(self.rx) -> m => self.to_reply(m.map_err(|_| TryRecvError::Disconnected)),
            // stdin has closed; take a line that raced in, if any.
            recv(self.stdin_open) -> _ => self.to_reply(self.rx.try_recv()),
        }
    }

    /// After the session: note a signal that came while nothing was
    /// reading (the closing sound ringing out). Lines typed then are not
    /// answers to a question that had not been asked, and are dropped.
    pub fn catch_up(&self) {
        while let Ok(m) = self.rx.try_recv() {
            if let Msg::Signal(s) = m {
                self.signalled(s);
            }
        }
    }

    /// A question could not be written: the terminal it is asked on has
    /// gone. As SIGHUP, unless a signal came first.
    pub fn terminal_gone(&self) {
        self.signalled(Signal::HUP);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signal_while_asking_interrupts_and_is_kept() {
        let (tx, rx) = crossbeam_channel::unbounded();
        let (_open, open_rx) = crossbeam_channel::bounded(0);
        let inputs = Inputs::over(rx, open_rx);
        tx.send(Msg::Line("7".into())).expect("send");
        tx.send(Msg::Signal(Signal::TERM)).expect("send");
        tx.send(Msg::Signal(Signal::INT)).expect("send");
        assert_eq!(inputs.reply(), Reply::Line("7".into()));
        assert_eq!(inputs.reply(), Reply::Interrupted);
        inputs.catch_up();
        // The first signal is the one that ended it.
        assert_eq!(inputs.ended_by(), Some(Signal::TERM));
    }

    #[test]
    fn a_question_after_stdin_closed_does_not_wait() {
        let (_tx, rx) = crossbeam_channel::unbounded();
        let (open, open_rx) = crossbeam_channel::bounded::<()>(0);
        drop(open);
        let inputs = Inputs::over(rx, open_rx);
        assert_eq!(inputs.reply(), Reply::Closed);
        assert_eq!(inputs.ended_by(), None);
    }
}
