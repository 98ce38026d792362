//! The loop: block on the app's channel (fed by the key reader, the
//! signal thread and the hang-up watch) and, while previewing a file, on
//! the watcher's changes, with a deadline taken from the app (the next
//! frame while the cue moves, the next shown second, the next session
//! event). On a static screen or while paused there is no deadline and
//! the loop sleeps until something arrives. Queued messages are applied
//! together and drawn once.

use std::io;
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

/// The thread reading keys from the terminal. It blocks in crossterm's
/// `read`, which sleeps until a key comes or the window changes size
/// (crossterm's own SIGWINCH handler wakes it), with no timeout: no
/// polling while nothing happens. To stop it, [`Input::stop`] raises
/// SIGWINCH in this process, which wakes the read; the thread then sees
/// its stop flag and ends without reporting the resize. It is stopped
/// and joined before the terminal is given back: a reader left blocked
/// would take the next keystroke meant for the shell.
pub struct Input {
    stop: Arc<AtomicBool>,
    handle: Option<JoinHandle<()>>,
    done: Receiver<()>,
}

/// How long to wait for the input thread to notice it should stop. It
/// wakes at once when told; when the terminal has gone away (the window
/// was closed), crossterm's read can spin inside one call and never
/// return, so the thread is left behind rather than waited on for ever.
const INPUT_STOP_WAIT: Duration = Duration::from_millis(300);

/// How often the stop signal is raised again while waiting: the thread
/// may not have reached its read (where the signal wakes it) the first
/// time.
const INPUT_STOP_NUDGE: Duration = Duration::from_millis(20);

impl Input {
    /// Stop reading and wait (briefly) for the thread to end. Safe to call
    /// twice.
    pub fn stop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        let Some(h) = self.handle.take() else {
            return;
        };
        // Nudged again and again: the thread may not have reached its
        // read (where the signal wakes it) the first time.
        let tries = INPUT_STOP_WAIT.as_millis() / INPUT_STOP_NUDGE.as_millis();
        for _ in 0..tries {
            let _ = signal_hook::low_level::raise(signal_hook::consts::SIGWINCH);
            match self.done.recv_timeout(INPUT_STOP_NUDGE) {
                Ok(()) | Err(crossbeam_channel::RecvTimeoutError::Disconnected) => {
                    let _ = h.join();
                    return;
                }
                Err(crossbeam_channel::RecvTimeoutError::Timeout) => {}
            }
        }
        // Still inside a read on a terminal that has gone: the process is
        // about to exit, which ends the thread too.
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
    let handle = std::thread::spawn(move || {
        // Dropped when the thread ends, however it ends.
        let _done = done_tx;
        while !flag.load(Ordering::SeqCst) {
            let event = event::read();
            if flag.load(Ordering::SeqCst) {
                break;
            }
            let msg = match event {
                Ok(Event::Key(k)) if k.kind == KeyEventKind::Press => Msg::Key(k),
                Ok(Event::Resize(w, h)) => Msg::Resize(w, h),
                Ok(_) => continue,
                // A terminal that cannot be read has gone: as SIGHUP.
                Err(_) => {
                    let _ = itx.send(Msg::Signal(Signal::HUP));
                    break;
                }
            };
            if itx.send(msg).is_err() {
                break;
            }
        }
    });
    (
        tx,
        rx,
        Input {
            stop,
            handle: Some(handle),
            done,
        },
    )
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
            // The sound player waits for this (audio::for_the_screen).
            crate::audio::deferred::first_frame_shown();
            last_key = key;
        }
        let area = Rect::new(0, 0, size.width, size.height);
        // The real clock leaves the waiting to `next`; a manual one
        // (tests) jumps to the deadline, which is then due at once.
        let deadline = wake_at(app, now, area).map(|at| {
            let d = at.saturating_duration_since(now);
            if clock.wait(d) < d {
                // Its instants run ahead of the real ones: due now.
                crate::clock::now()
            } else {
                at
            }
        });
        let waiting_since = crate::clock::now();
        let msg = next(rx, &mut files, deadline);
        if deadline.is_none() {
            // A manual clock skips the waits the app asks for, but the
            // time spent waiting on the person passes on it too (so a
            // key is not "too soon" after a screen came up).
            let _ = clock.wait(crate::clock::now().saturating_duration_since(waiting_since));
        }
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
