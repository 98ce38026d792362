//! `App`'s one `impl`: how the app is made, what it is doing, and
//! [`App::update`], the one place its state changes. Every message comes
//! with `now`, so a test drives the app through a whole session without a
//! clock. The screens' own state (the picker, a running session, a
//! check-in, a file problem) answers its keys with a plain value that is
//! applied here; the journal hook and the file watch answer the same way.

use std::time::Instant;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use ratatui::layout::Rect;

use crate::audio::Chime;
use crate::audio::pacing::Pacer;
use crate::engine::SegmentKind;
use crate::engine::model::Bed;
use crate::engine::player::{Ending, Outcome, Player};
use crate::journal::{Checkin, SkipReason};
use crate::signals::Signal;

use super::app::{
    App, Closing, Msg, NOTICE_FOR, Options, Prepared, Running, SUMMARY_GRACE, Screen,
    SessionEffect, Summary,
};
use super::checkin::{CheckinAction, CheckinState, Moment};
use super::journaling::{
    AfterCheckin, BeforeCheckin, DiaryCheckin, JournalHook, Saved, answers_so_far,
};
use super::keys::{self, PickerKey};
use super::picker::{Picker, PickerEffect, PlanMark};
use super::watch::{self, Change, FileProblem, ProblemKind, Watch};

/// Keys that type into or move in the picker (not Enter, Space or Esc,
/// which only close the summary).
fn is_picker_typing(k: &KeyEvent) -> bool {
    match keys::picker(k, false) {
        PickerKey::Type(c) => c != ' ',
        PickerKey::Up
        | PickerKey::Down
        | PickerKey::PageUp
        | PickerKey::PageDown
        | PickerKey::Backspace => true,
        // `?` types into the filter on the way back (it opens the
        // overlay only in an empty picker, and the summary is not one).
        PickerKey::Help => true,
        _ => false,
    }
}

/// What the notice says after `[` or `]`.
fn pace_notice(result: Result<u32, u32>, faster: bool, breathing: bool) -> String {
    match result {
        _ if !breathing => "pace: only while breathing".to_owned(),
        Ok(p) => format!("pace {p}% from the next phase"),
        Err(p) if faster => format!("pace {p}%: the fastest this session allows"),
        Err(p) => format!("pace {p}%: the slowest this session allows"),
    }
}

impl App {
    /// An app opened on the picker.
    pub fn with_picker(picker: Picker, chime: Box<dyn Chime>, opts: Options) -> Self {
        Self {
            screen: Screen::Picker,
            picker: Some(picker),
            watch: None,
            help: false,
            caution_scroll: 0,
            size: None,
            notice: None,
            opts,
            quit: false,
            ended_by: None,
            not_saved: None,
            chime,
            ended: None,
            journal: None,
            sound_notice_seen: false,
            diary_saved: None,
            finder: None,
        }
    }

    /// An app that asks one check-in with no session (`exhale checkin`),
    /// about `at` (now when `None`), writes it to `hook`'s journal and
    /// quits.
    pub fn with_diary(
        hook: JournalHook,
        opts: Options,
        at: Option<chrono::DateTime<chrono::FixedOffset>>,
    ) -> Self {
        let mut app = Self::with_picker(Picker::default(), Box::new(crate::audio::Silent), opts);
        app.picker = None;
        let state = CheckinState::with_questions(Moment::Diary, hook.diary_questions());
        app.screen = Screen::Diary(Box::new(DiaryCheckin { state, at }));
        app.journal = Some(hook);
        app
    }

    /// An app that runs one session (`exhale run`), starting with its
    /// cautions if it has any, and quits after the summary.
    pub fn with_session(
        prepared: Prepared,
        chime: Box<dyn Chime>,
        opts: Options,
        now: Instant,
    ) -> Self {
        // The same start as the picker's, without a picker to return to.
        let mut app = Self::with_picker(Picker::default(), chime, opts);
        app.picker = None;
        app.prepare(prepared, now);
        app
    }

    /// An app that runs one session (`exhale run`) and records it in
    /// `hook`'s journal, asking the check-ins if they are on.
    pub fn with_session_journal(
        prepared: Prepared,
        chime: Box<dyn Chime>,
        opts: Options,
        hook: JournalHook,
        now: Instant,
    ) -> Self {
        let mut app = Self::with_picker(Picker::default(), chime, opts);
        app.picker = None;
        app.journal = Some(hook);
        app.prepare(prepared, now);
        app
    }

    /// Record the sessions this app runs in `hook`'s journal (the picker).
    #[must_use]
    pub fn with_journal(mut self, hook: JournalHook) -> Self {
        self.journal = Some(hook);
        self
    }

    /// An app previewing a session file (`exhale run FILE --watch`): it
    /// reads the file at once (showing its errors if it has any) and again
    /// on every [`Msg::SessionFileChanged`]. It quits after the summary of
    /// a session, like [`App::with_session`].
    pub fn watching(watch: Watch, chime: Box<dyn Chime>, opts: Options, now: Instant) -> Self {
        let mut app = App::with_picker(Picker::default(), chime, opts);
        app.picker = None;
        app.watch = Some(watch);
        app.file_changed(now, false);
        app
    }

    /// The outcome of the session that has just ended, once, whatever
    /// screen follows it (the check-in, the summary, or none after a
    /// signal). The journal is written by the app itself; this is for
    /// whoever drives the app and wants to know what was practised.
    pub fn take_ended(&mut self) -> Option<Outcome> {
        self.ended.take()
    }

    /// The sound player.
    pub fn chime(&self) -> &dyn Chime {
        self.chime.as_ref()
    }

    /// Whether the cue is moving at `now` (so frames are drawn at 30 a
    /// second).
    pub fn animating(&self, now: Instant) -> bool {
        matches!(&self.screen, Screen::Session(r) if r.animating(self.opts.reduced_motion, now))
    }

    /// When the loop should next wake with a [`Msg::Tick`] if nothing else
    /// happens: the next frame while the cue moves, the next change of a
    /// shown second during a still phase, the next event of the session,
    /// a notice going away. `None` on a static screen or while paused.
    pub fn next_deadline(&self, now: Instant) -> Option<Instant> {
        let notice = self.notice.as_ref().map(|(_, until)| *until);
        let session = match &self.screen {
            Screen::Session(r) => r.next_deadline(self.opts.reduced_motion, now),
            Screen::Closing(c) => Some(c.until),
            _ => None,
        };
        [notice, session, self.finder_deadline(now)]
            .into_iter()
            .flatten()
            .min()
    }

    /// Whether the window is too small to show the screens.
    pub fn too_small(&self) -> bool {
        self.size
            .is_some_and(|(w, h)| w < super::render::MIN_SIZE.0 || h < super::render::MIN_SIZE.1)
    }

    /// Whether quitting now should let the end sound ring out: the app is
    /// closing on the summary of a completed session, not on a signal.
    pub fn rings_out(&self) -> bool {
        self.ended_by.is_none()
            && match &self.screen {
                Screen::Summary(s) => s.outcome.ending == Ending::Completed,
                Screen::Closing(_) => true,
                _ => false,
            }
    }

    /// Whether this app keeps a journal (so the picker offers the stats).
    pub fn has_journal(&self) -> bool {
        self.journal.is_some()
    }

    /// Apply one message at `now`, then let the session catch up with the
    /// time (play what came due, move to the summary at the end).
    pub fn update(&mut self, msg: Msg, now: Instant) {
        // The sound player opens in the background; say once, briefly, if
        // it cannot play ("no audio device"), whenever that becomes known.
        if !self.sound_notice_seen && matches!(self.screen, Screen::Session(_)) {
            if let Some(n) = self.chime.notice() {
                self.sound_notice_seen = true;
                // Beside a notice already showing (the `--watch` line
                // "reloaded"), not over it; gone after a few seconds.
                let text = match self.notice.take() {
                    Some((shown, until)) if until > now => format!("{shown} · {n}"),
                    _ => n,
                };
                self.notice = Some((text, now + NOTICE_FOR * 2));
            }
        }
        match msg {
            Msg::Key(k) if k.kind == KeyEventKind::Press => self.key(&k, now),
            Msg::Key(_) | Msg::Tick => {}
            Msg::Resize(w, h) => self.size = Some((w, h)),
            Msg::SessionFileChanged => self.file_changed(now, true),
            Msg::Signal(signal) => self.leave_now(signal, now),
            Msg::Heart(beat) => {
                if let Some(f) = self.finder.as_mut() {
                    f.heard(beat);
                }
            }
        }
        if self.notice.as_ref().is_some_and(|(_, until)| *until <= now) {
            self.notice = None;
        }
        let small = self.too_small();
        if let Screen::Session(r) = &mut self.screen {
            r.follow_size(small, now);
        }
        self.advance(now);
    }

    /// Start `prepared`: straight away, or after its cautions.
    fn prepare(&mut self, prepared: Prepared, now: Instant) {
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

    /// After the cautions: the check-in before the session when it is
    /// asked, otherwise the session itself.
    fn start(&mut self, prepared: Prepared, now: Instant) {
        match self.journal.as_mut() {
            Some(hook) if hook.asks() => {
                let questions = hook.questions(crate::journal::measure::Moment::Before);
                self.screen = Screen::CheckinBefore(Box::new(BeforeCheckin {
                    state: CheckinState::with_questions(Moment::Before, questions),
                    prepared,
                }));
            }
            Some(hook) => {
                hook.not_asked();
                self.begin(prepared, now);
            }
            None => self.begin(prepared, now),
        }
    }

    /// Begin the session now (after the check-in, if one was asked).
    fn begin(&mut self, prepared: Prepared, now: Instant) {
        if let Some(hook) = self.journal.as_mut() {
            hook.begins(&prepared.info);
        }
        if let Some(w) = self.watch.as_mut() {
            w.accept(&prepared.session);
        }
        // Say once, briefly, if sound cannot play ("no audio device").
        if let Some(n) = self.chime.notice().filter(|_| !self.sound_notice_seen) {
            self.sound_notice_seen = true;
            self.notice = Some((n, now + NOTICE_FOR * 2));
        }
        // The bed fades in with the session (and the bed of one just
        // replaced, in a preview, fades out meanwhile).
        let bed = prepared.timeline.bed;
        self.chime.set_bed(bed);
        self.silence_pacing();
        self.screen = Screen::Session(Box::new(Running {
            title: prepared.session.title.clone(),
            player: Player::new(prepared.timeline, now).with_lead(self.chime.lead()),
            confirm_stop: false,
            paused_by_confirm: false,
            paused_by_size: false,
            confirm_skip: false,
            bed,
            pacer: Pacer::default(),
        }));
    }

    /// Fade out the pacing sound of the session on screen, if it plays:
    /// the session is ending or being replaced.
    fn silence_pacing(&mut self) {
        if let Screen::Session(r) = &mut self.screen {
            r.pacer.stop(self.chime.as_ref());
        }
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
        if keys::is_ctrl_c(k) {
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
        if self.watch_key(k, now) || self.finder_key(k, now) {
            return;
        }
        match &mut self.screen {
            Screen::Picker => self.picker_key(k, now),
            Screen::FileProblem(p) => {
                if p.key(k) {
                    self.quit = true;
                }
            }
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
            Screen::Session(r) => match r.key(keys::session(k), now) {
                SessionEffect::None => {}
                SessionEffect::Stop => self.finish(now, Ending::Stopped),
                SessionEffect::Help => self.help = true,
                SessionEffect::Mute => {
                    let muted = !self.chime.is_muted();
                    self.chime.set_muted(muted);
                    self.show_volume(now);
                }
                SessionEffect::Bed => {
                    r.bed = r.bed.next();
                    let bed = r.bed;
                    self.chime.set_bed(bed);
                    let text = match self.chime.notice() {
                        Some(n) => format!("bed: {} · {n}", bed.name()),
                        None => format!("bed: {}", bed.name()),
                    };
                    self.notice = Some((text, now + NOTICE_FOR));
                }
                SessionEffect::Volume(louder) => {
                    let v = crate::audio::step_volume(self.chime.volume(), louder);
                    self.chime.set_volume(v);
                    if self.chime.is_muted() && louder {
                        self.chime.set_muted(false);
                    }
                    self.show_volume(now);
                }
                SessionEffect::Pace {
                    result,
                    faster,
                    breathing,
                } => {
                    let text = pace_notice(result, faster, breathing);
                    self.notice = Some((text, now + NOTICE_FOR));
                }
            },
            Screen::Closing(c) => {
                // Any key goes on, but not one pressed for the last phase.
                if now >= c.summary.shown_at + SUMMARY_GRACE {
                    self.close(now);
                }
            }
            Screen::CheckinBefore(_) | Screen::CheckinAfter(_) | Screen::Diary(_) => {
                self.checkin_key(k, now);
            }
            // Their keys are the finder's (`finder_key`).
            Screen::FinderRate(_) | Screen::FinderDone(_) => {}
            Screen::Stats(_) => {
                // Esc (or q) goes back.
                if matches!(
                    k.code,
                    KeyCode::Esc | KeyCode::Char('q' | 'Q') | KeyCode::Tab | KeyCode::Enter
                ) {
                    self.screen = Screen::Picker;
                }
            }
            Screen::Summary(s) => {
                if now >= s.shown_at + SUMMARY_GRACE {
                    // Back in the picker with every session listed: the
                    // filter was for finding the one just practised.
                    if let Some(p) = self.picker.as_mut() {
                        p.clear();
                    }
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

    fn picker_key(&mut self, k: &KeyEvent, now: Instant) {
        let Some(picker) = self.picker.as_mut() else {
            return;
        };
        match picker.key(keys::picker(k, !picker.query.is_empty())) {
            PickerEffect::None => {}
            PickerEffect::Quit => self.quit = true,
            PickerEffect::Help => self.help = true,
            PickerEffect::Scroll(by) => {
                let (w, h) = self.size.unwrap_or((80, 24));
                let area = Rect::new(0, 0, w, h);
                let (max, page) = picker.current().map_or((0, 1), |item| {
                    super::render::picker::preview_scroll_room(item, area)
                });
                let to = (i32::from(picker.preview_scroll) + by * i32::from(page))
                    .clamp(0, i32::from(max));
                picker.preview_scroll = u16::try_from(to).unwrap_or(0);
            }
            PickerEffect::Stats => {
                if let Some(hook) = self.journal.as_ref() {
                    self.screen = Screen::Stats(Box::new(hook.stats()));
                }
            }
            PickerEffect::Start => {
                let Some(item) = picker.current() else {
                    return;
                };
                if let Ok(mut session) = item.session.clone() {
                    // The plan's length for today's practice; its reason
                    // before a session it leaves alone for now.
                    match &item.plan {
                        Some(PlanMark::Today {
                            length: Some(o), ..
                        }) if self.opts.length.is_none() => {
                            crate::engine::apply_override(&mut session, *o);
                        }
                        Some(PlanMark::Avoid { reason }) => {
                            session
                                .cautions
                                .insert(0, super::picker::avoid_caution(reason));
                        }
                        _ => {}
                    }
                    let prepared =
                        Prepared::new(&item.name, session, &self.opts).with_source(&item.source);
                    self.prepare(prepared, now);
                }
            }
        }
    }

    fn show_volume(&mut self, now: Instant) {
        let state = if self.chime.is_muted() {
            "muted".to_owned()
        } else {
            format!("unmuted · volume {:.0}%", self.chime.volume() * 100.0)
        };
        // Whether muted or not, said every time; a player that cannot
        // play says why beside it.
        let text = match self.chime.notice() {
            Some(n) => format!("{state} · {n}"),
            None => state,
        };
        self.notice = Some((text, now + NOTICE_FOR));
    }

    /// End the session: keep the outcome, then the check-in after it or
    /// the summary.
    fn finish(&mut self, now: Instant, ending: Ending) {
        let Screen::Session(r) = &mut self.screen else {
            return;
        };
        if ending != Ending::Completed {
            r.player.stop(now);
        }
        // Sounds due up to the stop still play (the end gong on completion),
        // and the bed fades out under them.
        self.chime.set_bed(Bed::None);
        r.pacer.stop(self.chime.as_ref());
        r.player.poll(now);
        let outcome = r.player.outcome(now, ending);
        let title = r.title.clone();
        let speaks = r.player.schedule().timeline().speak_summary;
        // Sounds due up to the stop (handed ahead already, or now), and
        // none after it.
        crate::audio::hand_out(self.chime.as_ref(), &mut r.player, now);
        if self.finder.is_some() {
            // A piece of the finder: the next piece, not a summary.
            self.finder_piece_ended(now, ending);
            return;
        }
        if ending == Ending::Completed && speaks {
            let at = now + crate::audio::speech::SUMMARY_AFTER;
            self.chime.say(&crate::audio::speech::summary(&outcome), at);
        }
        self.ended = Some(outcome.clone());
        let summary = Summary {
            title,
            outcome,
            shown_at: now,
            saved: None,
        };
        if ending == Ending::Completed && !self.opts.closing.is_zero() {
            // A still moment while the end sound rings, before any
            // question.
            self.screen = Screen::Closing(Box::new(Closing {
                summary,
                until: now + self.opts.closing,
            }));
        } else {
            self.after_session(summary);
        }
    }

    /// The closing moment is over (its time is up, or a key was pressed):
    /// the check-in, or the summary.
    fn close(&mut self, now: Instant) {
        if let Screen::Closing(c) = std::mem::replace(&mut self.screen, Screen::Picker) {
            let mut summary = c.summary;
            summary.shown_at = now;
            self.after_session(summary);
        }
    }

    /// After a session: the check-in when it is asked, otherwise the entry
    /// is written at once and the summary shown. A signal writes at once
    /// without asking.
    fn after_session(&mut self, mut summary: Summary) {
        let Some(hook) = self.journal.as_ref() else {
            self.screen = Screen::Summary(Box::new(summary));
            return;
        };
        if hook.asks() && summary.outcome.ending != Ending::Interrupted {
            let questions = hook.questions(crate::journal::measure::Moment::After);
            self.screen = Screen::CheckinAfter(Box::new(AfterCheckin {
                state: CheckinState::with_questions(Moment::After, questions),
                summary,
            }));
            return;
        }
        let after = hook.unasked_after(summary.outcome.ending);
        summary.saved = self.record(&summary.outcome, after, None);
        self.screen = Screen::Summary(Box::new(summary));
    }

    /// Leave at once, for a signal (Ctrl-C counts as SIGINT): a session
    /// in progress ends there and is recorded, as `signal` says (stopped
    /// for Ctrl-C, interrupted otherwise); on the check-in after a
    /// session, the entry keeps every answer given so far: the score once
    /// Enter took it, the note as far as it was typed. Nothing more is
    /// asked. Before a session nothing has been practised, so nothing is
    /// recorded.
    fn leave_now(&mut self, signal: Signal, now: Instant) {
        self.ended_by = Some(signal);
        self.cut_short(signal.ending(), now);
    }

    /// Record what there is after a panic, as an interrupted session
    /// (the terminal is then given back and the panic goes on).
    pub fn record_after_panic(&mut self, now: Instant) {
        self.cut_short(Ending::Interrupted, now);
    }

    /// Quit now, recording what there is (see [`App::leave_now`]); a
    /// session in progress ends as `ending`.
    fn cut_short(&mut self, ending: Ending, now: Instant) {
        self.quit = true;
        match &mut self.screen {
            Screen::Session(r) => {
                r.player.stop(now);
                self.chime.set_bed(Bed::None);
                r.pacer.stop(self.chime.as_ref());
                // Nothing handed ahead may play on either.
                self.chime.cancel_ahead();
                let outcome = r.player.outcome(now, ending);
                let title = r.title.clone();
                self.ended = Some(outcome.clone());
                let saved = self.record(&outcome, Checkin::skipped(SkipReason::Interrupted), None);
                // The session is over: nothing of it may play on.
                self.screen = Screen::Summary(Box::new(Summary {
                    title,
                    outcome,
                    shown_at: now,
                    saved,
                }));
            }
            Screen::Closing(c) => {
                let outcome = c.summary.outcome.clone();
                let saved = self.record(&outcome, Checkin::skipped(SkipReason::Interrupted), None);
                if let Screen::Closing(c) = std::mem::replace(&mut self.screen, Screen::Picker) {
                    let mut summary = c.summary;
                    summary.saved = saved;
                    self.screen = Screen::Summary(Box::new(summary));
                }
            }
            Screen::Diary(d) => {
                // Every answer given so far is kept; nothing is written
                // when there is none.
                let (mut checkin, note) = answers_so_far(&d.state);
                if checkin.skipped == Some(SkipReason::Interrupted) {
                    checkin.skipped = None;
                }
                let at = d.at;
                self.record_diary(checkin, note, at);
            }
            Screen::CheckinAfter(a) => {
                let outcome = a.summary.outcome.clone();
                let (after, note) = answers_so_far(&a.state);
                let saved = self.record(&outcome, after, note);
                if let Screen::CheckinAfter(a) = std::mem::replace(&mut self.screen, Screen::Picker)
                {
                    let mut summary = a.summary;
                    summary.saved = saved;
                    self.screen = Screen::Summary(Box::new(summary));
                }
            }
            _ => {}
        }
    }

    /// Write the entry for the session that just ended, noting a failure
    /// for the exit code.
    fn record(&mut self, outcome: &Outcome, after: Checkin, note: Option<String>) -> Option<Saved> {
        let saved = self.journal.as_mut()?.record(outcome, after, note)?;
        if let Saved::Failed { location, reason } = &saved {
            self.not_saved = Some((location.clone(), reason.clone()));
        }
        Some(saved)
    }

    /// Write the check-in with no session, noting a failure for the exit
    /// code.
    fn record_diary(
        &mut self,
        checkin: Checkin,
        note: Option<String>,
        at: Option<chrono::DateTime<chrono::FixedOffset>>,
    ) {
        let Some(hook) = self.journal.as_mut() else {
            return;
        };
        let saved = hook.record_diary(checkin, note, at);
        if let Some(Saved::Failed { location, reason }) = &saved {
            self.not_saved = Some((location.clone(), reason.clone()));
        }
        self.diary_saved = saved;
    }

    /// A key on either check-in screen.
    fn checkin_key(&mut self, k: &KeyEvent, now: Instant) {
        let action = match &mut self.screen {
            Screen::CheckinBefore(b) => b.state.handle_key(*k),
            Screen::CheckinAfter(a) => a.state.handle_key(*k),
            Screen::Diary(d) => d.state.handle_key(*k),
            _ => return,
        };
        let done = match action {
            CheckinAction::Continue => return,
            CheckinAction::Done(r) => r,
            CheckinAction::Quit => {
                self.leave_now(Signal::INT, now);
                return;
            }
        };
        match std::mem::replace(&mut self.screen, Screen::Picker) {
            Screen::CheckinBefore(b) => {
                if let Some(hook) = self.journal.as_mut() {
                    hook.answered(&b.prepared.info, done.checkin);
                    hook.in_the_way(done.in_the_way);
                }
                self.begin(b.prepared, now);
            }
            Screen::CheckinAfter(a) => {
                let mut summary = a.summary;
                summary.saved = self.record(&summary.outcome, done.checkin, done.note);
                summary.shown_at = now;
                self.screen = Screen::Summary(Box::new(summary));
            }
            Screen::Diary(d) => {
                self.record_diary(done.checkin, done.note, d.at);
                self.quit = true;
                self.screen = Screen::Diary(d);
            }
            other => self.screen = other,
        }
    }

    /// The file changed on disk: start again from the top, show its errors,
    /// or say it is gone. `reloaded` says whether to note the reload (not
    /// on the first read).
    fn file_changed(&mut self, now: Instant, reloaded: bool) {
        let Some(w) = self.watch.as_mut() else {
            return;
        };
        let problem = |w: &Watch, kind| {
            Screen::FileProblem(Box::new(FileProblem {
                path: w.shown_as().to_owned(),
                kind,
                scroll: 0,
            }))
        };
        // Replacing the screen drops the session in progress with its
        // player: nothing of it plays or is recorded after this, not even
        // the sounds it had handed out ahead.
        let change = w.read();
        if !matches!(change, Change::Same) {
            self.chime.cancel_ahead();
        }
        match change {
            Change::Same => {}
            Change::Removed => {
                // The session shown is gone, and its bed with it.
                self.chime.set_bed(Bed::None);
                if let Screen::Session(r) = &mut self.screen {
                    r.pacer.stop(self.chime.as_ref());
                }
                self.notice = None;
                self.screen = problem(w, ProblemKind::Removed);
            }
            Change::Invalid(report, errors) => {
                self.chime.set_bed(Bed::None);
                if let Screen::Session(r) = &mut self.screen {
                    r.pacer.stop(self.chime.as_ref());
                }
                self.notice = None;
                self.screen = problem(w, ProblemKind::Invalid { report, errors });
            }
            Change::Valid(session, warnings) => {
                let prepared = Prepared::new(w.name(), *session, &self.opts);
                self.notice = None;
                self.prepare(prepared, now);
                let mut text = watch::notice(reloaded, warnings);
                // Keep a notice the start gave ("no audio device").
                if let Some((n, _)) = self.notice.take() {
                    text = format!("{text} · {n}");
                }
                self.notice = Some((text, now + NOTICE_FOR * 2));
            }
        }
    }

    /// `r` while previewing: read the file again and start from the top,
    /// even if it has not changed. Whether the key was taken.
    fn watch_key(&mut self, k: &KeyEvent, now: Instant) -> bool {
        let Some(w) = self.watch.as_mut() else {
            return false;
        };
        let plain_r = matches!(k.code, KeyCode::Char('R')) || k.code == keys::RESTART;
        let plain_r = plain_r
            && !k
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        let confirming = matches!(&self.screen, Screen::Session(r) if r.confirm_stop);
        let here = matches!(
            self.screen,
            Screen::Session(_) | Screen::Closing(_) | Screen::Summary(_) | Screen::FileProblem(_)
        );
        if !plain_r || !here || confirming {
            return false;
        }
        w.forget();
        self.file_changed(now, true);
        true
    }

    /// Play what came due and notice the end of the session.
    fn advance(&mut self, now: Instant) {
        if matches!(&self.screen, Screen::Closing(c) if now >= c.until) {
            self.close(now);
        }
        let Screen::Session(r) = &mut self.screen else {
            return;
        };
        r.player.poll(now);
        crate::audio::hand_out(self.chime.as_ref(), &mut r.player, now);
        let done = r.player.finished(now);
        // A new segment, a pause or a resume: the pacing sound follows.
        r.pacer.follow(self.chime.as_ref(), &r.player, now);
        if r.confirm_skip && r.player.state(now).segment.kind != SegmentKind::Sit {
            // The meditation ended by itself: the question is moot.
            r.confirm_skip = false;
        }
        if done {
            self.finish(now, Ending::Completed);
        }
    }
}
