//! The loop: block on the app's channel (fed by the key reader, the
//! signal thread and the hang-up watch) and, while previewing a file, on
//! the watcher's changes, with a deadline taken from the app (the next
//! frame while the cue moves, the next shown second, the next session
//! event). On a static screen or while paused there is no deadline and
//! the loop sleeps until something arrives. Queued messages are applied
//! together and drawn once.

use std::io::{self, Read as _, Write as _};
use std::os::fd::{AsFd as _, BorrowedFd};
use std::os::unix::net::UnixStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crossbeam_channel::{Receiver, Select, Sender};
use ratatui::Terminal;
use ratatui::backend::Backend;
use ratatui::crossterm::event::{self, Event, KeyEventKind};
use ratatui::layout::Rect;

use crate::clock::Clock;
use crate::signals::{self, Signal};

use super::app::{App, FRAME, Msg, Screen};
use super::render;

/// How often the input thread looks at its stop flag while no key comes,
/// when it cannot wait on the terminal itself (no terminal to poll).
const INPUT_POLL: Duration = Duration::from_millis(50);

/// The thread reading keys from the terminal. It sleeps in `poll(2)` on
/// the terminal, a stop pipe and a window-size pipe (fed by a SIGWINCH
/// handler), with no timeout: it wakes only when a key comes, the window
/// changes size, or it is told to stop. It is stopped and joined before
/// the terminal is given back: a reader left blocked would take the next
/// keystroke meant for the shell.
pub struct Input {
    stop: Arc<AtomicBool>,
    /// Written to wake the thread so it sees `stop`.
    waker: Option<UnixStream>,
    handle: Option<JoinHandle<()>>,
    done: Receiver<()>,
}

/// How long to wait for the input thread to notice it should stop. It
/// wakes at once when told; when the terminal has gone away (the window
/// was closed), crossterm's read can spin inside one call and never
/// return, so the thread is left behind rather than waited on for ever.
const INPUT_STOP_WAIT: Duration = Duration::from_millis(300);

impl Input {
    /// Stop reading and wait (briefly) for the thread to end. Safe to call
    /// twice.
    pub fn stop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(mut w) = self.waker.take() {
            let _ = w.write_all(b"x");
        }
        if let Some(h) = self.handle.take() {
            match self.done.recv_timeout(INPUT_STOP_WAIT) {
                Ok(()) | Err(crossbeam_channel::RecvTimeoutError::Disconnected) => {
                    let _ = h.join();
                }
                // Still inside a read on a terminal that has gone: the
                // process is about to exit, which ends the thread too.
                Err(crossbeam_channel::RecvTimeoutError::Timeout) => {}
            }
        }
    }
}

impl Drop for Input {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Start the input thread (crossterm events), the signal thread (every
/// signal of [`crate::signals::ENDING`]) and the hang-up watch (the
/// terminal gone without a SIGHUP), all sending into one channel. Stop
/// the returned [`Input`] before restoring the terminal.
pub fn channel() -> (Sender<Msg>, Receiver<Msg>, Input) {
    let (tx, rx) = crossbeam_channel::unbounded();
    signals::forward(tx.clone(), Msg::Signal);
    signals::watch_hangup(tx.clone(), Msg::Signal(Signal::HUP));
    let itx = tx.clone();
    let stop = Arc::new(AtomicBool::new(false));
    let flag = Arc::clone(&stop);
    let (done_tx, done) = crossbeam_channel::bounded(1);
    let (waker, woken) = match UnixStream::pair() {
        Ok((a, b)) => (Some(a), Some(b)),
        Err(_) => (None, None),
    };
    let handle = std::thread::spawn(move || {
        // Dropped when the thread ends, however it ends.
        let _done = done_tx;
        match (woken, Keyboard::open()) {
            (Some(woken), Some(keyboard)) => read_waiting(&itx, &flag, &woken, &keyboard),
            _ => read_polling(&itx, &flag),
        }
    });
    (
        tx,
        rx,
        Input {
            stop,
            waker,
            handle: Some(handle),
            done,
        },
    )
}

/// The terminal crossterm reads keys from (standard input when it is a
/// terminal, otherwise `/dev/tty`), opened here only to wait on it.
enum Keyboard {
    Stdin(io::Stdin),
    Tty(std::fs::File),
}

impl Keyboard {
    fn open() -> Option<Self> {
        if crate::tty::keyboard() {
            Some(Self::Stdin(io::stdin()))
        } else {
            std::fs::File::open("/dev/tty").ok().map(Self::Tty)
        }
    }

    fn fd(&self) -> BorrowedFd<'_> {
        match self {
            Self::Stdin(s) => s.as_fd(),
            Self::Tty(f) => f.as_fd(),
        }
    }
}

/// Hand on every event crossterm has or can read without waiting.
/// `Err(())` when the terminal cannot be read (it has gone) or the app
/// no longer listens.
fn drain_events(tx: &Sender<Msg>) -> Result<(), ()> {
    loop {
        let msg = match event::poll(Duration::ZERO) {
            Ok(false) => return Ok(()),
            Ok(true) => match event::read() {
                Ok(Event::Key(k)) if k.kind == KeyEventKind::Press => Msg::Key(k),
                Ok(Event::Resize(w, h)) => Msg::Resize(w, h),
                Ok(_) => continue,
                Err(_) => return Err(()),
            },
            Err(_) => return Err(()),
        };
        tx.send(msg).map_err(|_| ())?;
    }
}

/// Read keys, sleeping in `poll(2)` until the terminal has input, the
/// window changes size or `woken` is written to.
fn read_waiting(tx: &Sender<Msg>, stop: &AtomicBool, woken: &UnixStream, keyboard: &Keyboard) {
    use rustix::event::{PollFd, PollFlags};
    // A terminal that cannot be read has gone: as SIGHUP.
    let gone = || {
        let _ = tx.send(Msg::Signal(Signal::HUP));
    };
    let winch = UnixStream::pair().ok().and_then(|(r, w)| {
        signal_hook::low_level::pipe::register(signal_hook::consts::SIGWINCH, w)
            .ok()
            .map(|id| (r, id))
    });
    // crossterm sets up its own reader (and its own SIGWINCH handler) on
    // first use: before the first wait, so no resize is missed.
    if drain_events(tx).is_err() {
        gone();
    } else {
        let keys = keyboard.fd();
        while !stop.load(Ordering::SeqCst) {
            let mut fds = vec![
                PollFd::new(&keys, PollFlags::IN),
                PollFd::new(woken, PollFlags::IN),
            ];
            if let Some((r, _)) = &winch {
                fds.push(PollFd::new(r, PollFlags::IN));
            }
            match rustix::event::poll(&mut fds, None) {
                Ok(_) | Err(rustix::io::Errno::INTR) => {}
                Err(_) => {
                    gone();
                    break;
                }
            }
            let ended = fds[0]
                .revents()
                .intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL);
            let resized = fds.get(2).is_some_and(|f| !f.revents().is_empty());
            if stop.load(Ordering::SeqCst) {
                break;
            }
            if resized {
                if let Some((r, _)) = &winch {
                    drain_pipe(r);
                }
                if let Ok((w, h)) = ratatui::crossterm::terminal::size() {
                    if tx.send(Msg::Resize(w, h)).is_err() {
                        break;
                    }
                }
            }
            if drain_events(tx).is_err() {
                gone();
                break;
            }
            if ended {
                // Hung up with nothing left to read.
                gone();
                break;
            }
        }
    }
    if let Some((_, id)) = winch {
        signal_hook::low_level::unregister(id);
    }
}

/// Empty a pipe that only says "something happened".
fn drain_pipe(mut r: &UnixStream) {
    let _ = r.set_nonblocking(true);
    let mut buf = [0u8; 64];
    while matches!(r.read(&mut buf), Ok(n) if n > 0) {}
}

/// Read keys with crossterm's timed poll, looking at `stop` between
/// polls: for when there is no terminal to wait on.
fn read_polling(tx: &Sender<Msg>, stop: &AtomicBool) {
    while !stop.load(Ordering::SeqCst) {
        let gone = Msg::Signal(Signal::HUP);
        let msg = match event::poll(INPUT_POLL) {
            Ok(false) => continue,
            Ok(true) => match event::read() {
                Ok(Event::Key(k)) if k.kind == KeyEventKind::Press => Msg::Key(k),
                Ok(Event::Resize(w, h)) => Msg::Resize(w, h),
                Ok(_) => continue,
                Err(_) => gone,
            },
            Err(_) => gone,
        };
        let stop = msg == gone;
        if tx.send(msg).is_err() || stop {
            break;
        }
    }
}

/// Run the app until it quits.
pub fn run<B: Backend>(
    app: &mut App,
    terminal: &mut Terminal<B>,
    rx: &Receiver<Msg>,
    clock: &dyn Clock,
) -> io::Result<()> {
    // The watched file's changes, or a source that never delivers.
    let mut files = app
        .watch
        .as_ref()
        .map_or_else(crossbeam_channel::never, super::watch::Watch::changes);
    let mut now = clock.now();
    app.update(Msg::Tick, now);
    // What the last frame showed, and whether only time has passed since.
    let mut last_key: Option<u64> = None;
    let mut only_ticks = false;
    loop {
        if app.quit {
            return Ok(());
        }
        assert!(
            !(app.opts.test_panic && matches!(app.screen, Screen::Session(_))),
            "test panic (EXHALE_TEST_PANIC)"
        );
        let size = terminal.size().map_err(backend_error)?;
        if app.size != Some((size.width, size.height)) {
            // Also catches a change whose resize event has not come yet.
            app.update(Msg::Resize(size.width, size.height), now);
            continue;
        }
        let key = render::frame_key(app, now, Rect::new(0, 0, size.width, size.height));
        if !(only_ticks && key.is_some() && key == last_key) {
            terminal
                .draw(|f| render::draw(app, f, now))
                .map_err(backend_error)?;
            last_key = key;
        }
        let area = Rect::new(0, 0, size.width, size.height);
        let msg = next(rx, &mut files, wake_at(app, now, area));
        now = clock.now();
        only_ticks = msg == Msg::Tick;
        app.update(msg, now);
        // Coalesce: whatever else is queued is applied before one redraw.
        while let Ok(m) = rx.try_recv() {
            only_ticks &= m == Msg::Tick;
            app.update(m, now);
        }
    }
}

/// How far ahead the loop looks for the cue's next visible change; past
/// it, it wakes and looks again.
const LOOK_AHEAD: Duration = Duration::from_secs(1);
/// How closely the moment of that change is found.
const RESOLUTION: Duration = Duration::from_millis(1);
/// The least time between two drawings of a moving cue (60 a second at
/// most, however fast a large ring changes).
const MIN_GAP: Duration = Duration::from_millis(16);

/// When to wake if no message comes. The app asks for every frame while
/// the cue moves and for every shown second otherwise
/// ([`App::next_deadline`]), though most frames would look the same as
/// the last; so on a session's screen the loop looks ahead, frame by
/// frame, for the first moment whose key ([`render::frame_key`]) differs
/// from now's, and finds that moment to [`RESOLUTION`] by halving. It
/// wakes then, or at anything else the app must do sooner (a session
/// event, a notice going away): one wake-up per visible change, each
/// drawn when it happens rather than on the next 30 Hz tick, and a cell
/// of the progress line filled during a hold when it fills, not at the
/// next second.
///
/// Within a segment the key only moves forward (the ring grows or
/// shrinks, seconds count, the progress line fills), so "differs from
/// now's" holds from the first change on, which the halving needs.
pub fn wake_at(app: &App, now: Instant, area: Rect) -> Option<Instant> {
    let first = app.next_deadline(now)?;
    let Some(key) = render::frame_key(app, now, area) else {
        return Some(first);
    };
    let changed = |t: Instant| render::frame_key(app, t, area) != Some(key);
    let horizon = now + LOOK_AHEAD;
    let (mut lo, mut hi) = (now, first);
    loop {
        // `hi` is either the next frame, or something due sooner.
        let frame_step = app.animating(lo) && hi >= lo + FRAME;
        if !frame_step || hi >= horizon || changed(hi) {
            break;
        }
        lo = hi;
        match app.next_deadline(lo) {
            Some(d) => hi = d,
            None => return Some(lo),
        }
    }
    if !changed(hi) {
        // Nothing changes before `hi`, which is due for its own sake.
        return Some(hi);
    }
    let due = hi;
    while hi - lo > RESOLUTION {
        let mid = lo + (hi - lo) / 2;
        if changed(mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Some(hi.max(now + MIN_GAP).min(due))
}

/// The next message: from the app's channel, a change of the watched
/// file, or a tick at `deadline`. A channel that has lost every sender
/// means the terminal's reader has gone: as SIGHUP.
fn next(rx: &Receiver<Msg>, files: &mut Receiver<()>, deadline: Option<Instant>) -> Msg {
    let mut sel = Select::new();
    let from_app = sel.recv(rx);
    sel.recv(files);
    let op = match deadline {
        Some(at) => match sel.select_deadline(at) {
            Ok(op) => op,
            Err(_) => return Msg::Tick,
        },
        None => sel.select(),
    };
    if op.index() == from_app {
        return op.recv(rx).unwrap_or(Msg::Signal(Signal::HUP));
    }
    if op.recv(files).is_err() {
        // The watcher has stopped: nothing more will come from it.
        *files = crossbeam_channel::never();
    }
    Msg::SessionFileChanged
}

fn backend_error(e: impl std::error::Error) -> io::Error {
    io::Error::other(e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_loop_waits_on_the_app_the_watched_file_and_the_deadline() {
        let (tx, rx) = crossbeam_channel::unbounded();
        let (file_tx, file_rx) = crossbeam_channel::unbounded();
        let mut files = file_rx;
        let soon = Some(Instant::now() + Duration::from_millis(20));
        assert_eq!(next(&rx, &mut files, soon), Msg::Tick);
        file_tx.send(()).expect("send");
        assert_eq!(next(&rx, &mut files, None), Msg::SessionFileChanged);
        tx.send(Msg::Resize(80, 24)).expect("send");
        assert_eq!(next(&rx, &mut files, None), Msg::Resize(80, 24));
        // A watcher that stops is not waited on again.
        drop(file_tx);
        let _ = next(&rx, &mut files, soon);
        assert_eq!(next(&rx, &mut files, soon), Msg::Tick);
        // No preview at all: a source that never delivers.
        let mut none = crossbeam_channel::never();
        assert_eq!(next(&rx, &mut none, soon), Msg::Tick);
        drop(tx);
        assert_eq!(next(&rx, &mut none, None), Msg::Signal(Signal::HUP));
    }
}
