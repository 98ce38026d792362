//! The full-screen terminal UI: the picker, the cautions, the breathing
//! and meditation screens, and the summary.
//!
//! It follows The Elm Architecture: keys, ticks and signals become one
//! [`Msg`] type; [`App::update`] is the only place state changes, always
//! given `now`; the render modules only read the app at a given `now`. All
//! timing comes from [`crate::engine::player::Player`]; the loop only decides when
//! to wake up.
//!
//! The journal is part of the app ([`journaling`]): check-ins before and
//! after, one entry per session, the stats screen.

pub mod app;
pub mod backend;
pub mod checkin;
pub mod cue;
pub mod event_loop;
pub mod finder;
pub mod journaling;
pub mod keys;
pub mod picker;
pub mod render;
pub mod terminal;
pub mod theme;
mod update;
pub mod watch;

pub use app::{App, Msg, Options, Prepared, Screen};
pub use picker::Picker;

use std::panic::AssertUnwindSafe;

use crate::clock::SystemClock;
use crate::signals::Signal;

/// Take over the terminal, run `app` until it quits, and give the
/// terminal back on every path. `app.ended_by` then says whether a signal
/// (or Ctrl-C) ended the app, and `app.not_saved` whether a session could
/// not be saved.
///
/// The journal is written before the terminal is given back, whatever
/// the ending: a terminal that has gone (a failed draw) counts as SIGHUP,
/// and after a panic the session is still recorded, as interrupted,
/// before the panic goes on (its message already printed, readably, by
/// the panic hook). `Err` only when the terminal could not be taken over.
pub fn run_app(app: &mut App) -> std::io::Result<()> {
    run_app_on(app, &SystemClock)
}

/// [`run_app`], timed by `clock` (the resonance finder is given the
/// manual clock of `EXHALE_TEST_CLOCK=manual`, so a test of the whole
/// program runs it at once). Live heart beats the app's finder is fed
/// reach it as [`Msg::Heart`].
pub fn run_app_on(app: &mut App, clock: &dyn crate::clock::Clock) -> std::io::Result<()> {
    let (tx, rx, mut input) = event_loop::channel();
    if let Some(feed) = app.finder.as_mut().and_then(|f| f.take_feed()) {
        let tx = tx.clone();
        std::thread::spawn(move || {
            for beat in feed {
                if tx.send(Msg::Heart(beat)).is_err() {
                    return;
                }
            }
        });
    }
    let mut guard = terminal::Guard::enter()?;
    let ran = std::panic::catch_unwind(AssertUnwindSafe(|| {
        event_loop::run(app, &mut guard.terminal, &rx, clock)
    }));
    // Kept until here: a channel without senders reads as a hang-up.
    drop(tx);
    match ran {
        Ok(Ok(())) => {}
        Ok(Err(_)) => {
            if !app.quit {
                app.update(Msg::Signal(Signal::HUP), clock.now());
            }
        }
        Err(panic) => {
            // Whatever state the panic left, try to keep the session; a
            // second panic must not stop the terminal being given back.
            let _ = std::panic::catch_unwind(AssertUnwindSafe(|| {
                app.record_after_panic(clock.now());
            }));
            input.stop();
            drop(guard);
            std::panic::resume_unwind(panic);
        }
    }
    // No reader may be left waiting on the terminal once it is given
    // back: it would take the next keystroke meant for the shell.
    input.stop();
    drop(guard);
    if app.rings_out() {
        // Let the closing sound of a completed session finish, briefly;
        // a signal never waits for it.
        app.chime().wait_quiet(RING_OUT);
    }
    Ok(())
}

/// How long quitting after a completed session waits for its end sound.
pub const RING_OUT: std::time::Duration = std::time::Duration::from_secs(2);
