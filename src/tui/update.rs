//! `App::update`: the one place the state changes. Every message comes with
//! `now`, so a test drives the app through a whole session without a
//! clock.

use std::time::Instant;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::layout::Rect;

use crate::engine::player::{Ending, Player};
use crate::engine::{Event, SegmentKind};
use crate::signals::Signal;

use super::app::{App, Msg, NOTICE_FOR, Prepared, Running, SUMMARY_GRACE, Screen, Summary};

/// What a key means on the session screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SessionKey {
    Space,
    Enter,
    Skip,
    AskStop,
    Cancel,
    Help,
    Mute,
    Louder,
    Softer,
    Other,
}

fn session_key(k: &KeyEvent) -> SessionKey {
    if k.modifiers.contains(KeyModifiers::CONTROL) {
        return SessionKey::Other;
    }
    match k.code {
        KeyCode::Char(' ') => SessionKey::Space,
        KeyCode::Enter => SessionKey::Enter,
        KeyCode::Char('n' | 'N') | KeyCode::Right => SessionKey::Skip,
        KeyCode::Char('q' | 'Q') => SessionKey::AskStop,
        KeyCode::Esc => SessionKey::Cancel,
        KeyCode::Char('?') => SessionKey::Help,
        KeyCode::Char('m' | 'M') => SessionKey::Mute,
        KeyCode::Char('+' | '=') => SessionKey::Louder,
        KeyCode::Char('-' | '_') => SessionKey::Softer,
        _ => SessionKey::Other,
    }
}

/// Keys that type into or move in the picker (not Enter, Space or Esc,
/// which only close the summary).
fn is_picker_typing(k: &KeyEvent) -> bool {
    if k.modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
    {
        return false;
    }
    match k.code {
        KeyCode::Char(c) => c != ' ',
        KeyCode::Up | KeyCode::Down | KeyCode::PageUp | KeyCode::PageDown | KeyCode::Backspace => {
            true
        }
        _ => false,
    }
}

fn is_ctrl_c(k: &KeyEvent) -> bool {
    k.modifiers.contains(KeyModifiers::CONTROL) && matches!(k.code, KeyCode::Char('c' | 'C'))
}

impl App {
    /// Apply one message at `now`, then let the session catch up with the
    /// time (play what came due, move to the summary at the end).
    pub fn update(&mut self, msg: Msg, now: Instant) {
        // The sound player opens in the background; say once, briefly, if
        // it cannot play ("no audio device"), whenever that becomes known.
        if !self.sound_notice_seen && matches!(self.screen, Screen::Session(_)) {
            if let Some(n) = self.chime.notice() {
                self.sound_notice_seen = true;
                self.notice = Some((n, now + NOTICE_FOR * 2));
            }
        }
        match msg {
            Msg::Key(k) if k.kind == KeyEventKind::Press => self.key(&k, now),
            Msg::Key(_) | Msg::Tick => {}
            Msg::Resize(w, h) => self.size = Some((w, h)),
            Msg::SessionFileChanged => self.file_changed(now, true),
            Msg::Signal(signal) => self.leave_now(signal, now),
        }
        if self.notice.as_ref().is_some_and(|(_, until)| *until <= now) {
            self.notice = None;
        }
        self.follow_size(now);
        self.advance(now);
    }

    /// Start `prepared`: straight away, or after its cautions.
    pub(super) fn prepare(&mut self, prepared: Prepared, now: Instant) {
        // Its sounds, and only those, start decoding in the background
        // now, while cautions and check-ins are on screen.
        self.chime
            .prepare(&crate::audio::timeline_sounds(&prepared.timeline));
        let seen = self
            .watch
            .as_ref()
            .is_some_and(|w| w.accepted(&prepared.session));
        if prepared.session.cautions.is_empty() || seen {
            self.start(prepared, now);
        } else {
            self.caution_scroll = 0;
            self.screen = Screen::Caution(Box::new(prepared));
        }
    }

    fn start(&mut self, prepared: Prepared, now: Instant) {
        if let Some(prepared) = self.ask_before(prepared) {
            self.begin(prepared, now);
        }
    }

    /// Begin the session now (after the check-in, if one was asked).
    pub(super) fn begin(&mut self, prepared: Prepared, now: Instant) {
        self.note_start(&prepared.info);
        if let Some(w) = self.watch.as_mut() {
            w.accept(&prepared.session);
        }
        // Say once, briefly, if sound cannot play ("no audio device").
        if let Some(n) = self.chime.notice().filter(|_| !self.sound_notice_seen) {
            self.sound_notice_seen = true;
            self.notice = Some((n, now + NOTICE_FOR * 2));
        }
        self.screen = Screen::Session(Box::new(Running {
            title: prepared.session.title.clone(),
            player: Player::new(prepared.timeline, now),
            confirm_stop: false,
            paused_by_confirm: false,
            paused_by_size: false,
            confirm_skip: false,
        }));
    }

    /// Back to the picker, or quit if there is none.
    fn leave(&mut self) {
        if self.picker.is_some() {
            self.screen = Screen::Picker;
        } else {
            self.quit = true;
        }
    }

    fn key(&mut self, k: &KeyEvent, now: Instant) {
        if is_ctrl_c(k) {
            // Raw mode turns Ctrl-C into a key; it means what SIGINT
            // means, on every screen.
            self.leave_now(Signal::INT, now);
            return;
        }
        if self.help {
            // Any key closes the keys overlay.
            self.help = false;
            return;
        }
        if self.watch_key(k, now) {
            return;
        }
        match &mut self.screen {
            Screen::Picker => self.picker_key(k, now),
            Screen::FileProblem(_) => self.file_problem_key(k),
            Screen::Caution(_) => match k.code {
                KeyCode::Enter => {
                    let Screen::Caution(p) = std::mem::replace(&mut self.screen, Screen::Picker)
                    else {
                        return;
                    };
                    self.start(*p, now);
                }
                KeyCode::Esc | KeyCode::Char('q' | 'Q') => self.leave(),
                KeyCode::Up => self.scroll_caution(-1),
                KeyCode::Down => self.scroll_caution(1),
                KeyCode::PageUp => self.scroll_caution(-8),
                KeyCode::PageDown => self.scroll_caution(8),
                _ => {}
            },
            Screen::Session(_) => self.session_key(k, now),
            Screen::CheckinBefore(_) | Screen::CheckinAfter(_) => self.checkin_key(k, now),
            Screen::Stats(_) => self.stats_key(k),
            Screen::Summary(s) => {
                if now >= s.shown_at + SUMMARY_GRACE {
                    self.leave();
                    // A key typed for the picker is not lost on the way
                    // back: letters filter, arrows move.
                    if matches!(self.screen, Screen::Picker) && is_picker_typing(k) {
                        self.picker_key(k, now);
                    }
                }
            }
        }
    }

    fn scroll_caution(&mut self, by: i32) {
        let Screen::Caution(p) = &self.screen else {
            return;
        };
        let (w, h) = self.size.unwrap_or((80, 24));
        let max = super::render::overlay::caution_max_scroll(p, Rect::new(0, 0, w, h));
        let to = (i32::from(self.caution_scroll) + by).clamp(0, i32::from(max));
        self.caution_scroll = u16::try_from(to).unwrap_or(0);
    }

    /// Whether the window is too small to show the screens.
    pub fn too_small(&self) -> bool {
        self.size
            .is_some_and(|(w, h)| w < super::render::MIN_SIZE.0 || h < super::render::MIN_SIZE.1)
    }

    /// A session nobody can see does not run on: pause it while the window
    /// is too small, and resume it when it is big enough again, if this
    /// was what paused it.
    fn follow_size(&mut self, now: Instant) {
        let small = self.too_small();
        let Screen::Session(r) = &mut self.screen else {
            return;
        };
        if small && !r.player.is_paused() && !r.player.finished(now) {
            r.player.pause(now);
            r.paused_by_size = true;
        } else if !small && r.paused_by_size {
            r.paused_by_size = false;
            if r.player.is_paused() && !r.confirm_stop {
                r.player.resume(now);
            }
        }
    }

    fn picker_key(&mut self, k: &KeyEvent, now: Instant) {
        let Some(picker) = self.picker.as_mut() else {
            return;
        };
        match k.code {
            KeyCode::Up => picker.step(-1),
            KeyCode::Down => picker.step(1),
            KeyCode::PageUp => picker.step(-10),
            KeyCode::PageDown => picker.step(10),
            KeyCode::Backspace => picker.pop(),
            KeyCode::Esc if !picker.query.is_empty() => picker.clear(),
            KeyCode::Esc => self.quit = true,
            KeyCode::Enter => {
                if let Some(Ok(session)) = picker.current().map(|i| i.session.clone()) {
                    let name = picker.current().map(|i| i.name.clone()).unwrap_or_default();
                    let source = picker
                        .current()
                        .map(|i| i.source.clone())
                        .unwrap_or_default();
                    let prepared = Prepared::new(&name, session, &self.opts).with_source(&source);
                    self.prepare(prepared, now);
                }
            }
            KeyCode::Char('?') if picker.query.is_empty() => self.help = true,
            KeyCode::Tab => self.open_stats(),
            KeyCode::Char(c)
                if !k
                    .modifiers
                    .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
            {
                picker.push(c);
            }
            _ => {}
        }
    }

    fn session_key(&mut self, k: &KeyEvent, now: Instant) {
        let key = session_key(k);
        let Screen::Session(r) = &mut self.screen else {
            return;
        };
        if r.confirm_stop {
            match key {
                SessionKey::Enter | SessionKey::AskStop => {
                    self.finish(now, Ending::Stopped);
                }
                SessionKey::Cancel | SessionKey::Space => {
                    r.confirm_stop = false;
                    if r.paused_by_confirm {
                        r.player.resume(now);
                        r.paused_by_confirm = false;
                    }
                }
                _ => {}
            }
            return;
        }
        if r.confirm_skip {
            r.confirm_skip = false;
            match key {
                SessionKey::Skip => {
                    r.player.skip(now);
                    return;
                }
                SessionKey::Cancel => return,
                _ => {}
            }
        }
        match key {
            SessionKey::Space => {
                if !r.player.is_paused() && r.player.in_open_segment(now) {
                    r.player.end_open(now);
                } else {
                    r.player.toggle_pause(now);
                }
            }
            SessionKey::Enter => {
                if !r.player.is_paused() {
                    r.player.end_open(now);
                }
            }
            SessionKey::Skip => {
                // One stray key must not end a whole meditation: ask once.
                let sitting = r.player.state(now).segment.kind == SegmentKind::Sit;
                if sitting && !r.player.finished(now) {
                    r.confirm_skip = true;
                } else {
                    r.player.skip(now);
                }
            }
            SessionKey::AskStop | SessionKey::Cancel => {
                r.confirm_stop = true;
                r.paused_by_confirm = !r.player.is_paused();
                r.player.pause(now);
            }
            SessionKey::Help => self.help = true,
            SessionKey::Mute => {
                let muted = !self.chime.is_muted();
                self.chime.set_muted(muted);
                self.show_volume(now);
            }
            SessionKey::Louder | SessionKey::Softer => {
                let louder = key == SessionKey::Louder;
                let v = crate::audio::step_volume(self.chime.volume(), louder);
                self.chime.set_volume(v);
                if self.chime.is_muted() && louder {
                    self.chime.set_muted(false);
                }
                self.show_volume(now);
            }
            SessionKey::Other => {}
        }
    }

    fn show_volume(&mut self, now: Instant) {
        let text = if let Some(n) = self.chime.notice() {
            n
        } else if self.chime.is_muted() {
            "sound off".to_owned()
        } else {
            format!("volume {:.0}%", self.chime.volume() * 100.0)
        };
        self.notice = Some((text, now + NOTICE_FOR));
    }

    /// End the session: record the outcome for the hook and show the
    /// summary.
    fn finish(&mut self, now: Instant, ending: Ending) {
        let Screen::Session(r) = &mut self.screen else {
            return;
        };
        if ending != Ending::Completed {
            r.player.stop(now);
        }
        // Sounds due up to the stop still play (the end gong on completion).
        let events = r.player.poll(now);
        let outcome = r.player.outcome(now, ending);
        let title = r.title.clone();
        self.play(&events, now);
        self.ended = Some(outcome.clone());
        self.after_session(Summary {
            title,
            outcome,
            shown_at: now,
            saved: None,
        });
    }

    /// Play what came due and notice the end of the session.
    fn advance(&mut self, now: Instant) {
        let Screen::Session(r) = &mut self.screen else {
            return;
        };
        let events = r.player.poll(now);
        let done = r.player.finished(now);
        if r.confirm_skip && r.player.state(now).segment.kind != SegmentKind::Sit {
            // The meditation ended by itself: the question is moot.
            r.confirm_skip = false;
        }
        self.play(&events, now);
        if done {
            self.finish(now, Ending::Completed);
        }
    }

    fn play(&self, events: &[Event], _now: Instant) {
        let Screen::Session(r) = &self.screen else {
            return;
        };
        let tl = r.player.schedule().timeline();
        for e in events {
            if let Some(s) = e.kind.sound(tl) {
                self.chime.play(s);
            }
        }
    }
}
