//! Helpers shared by the TUI tests: sessions from text, an app at a fixed
//! instant, and drawing a frame into a test buffer.

#![allow(dead_code)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use exhale::audio::Recorder;
use exhale::format::{BuiltinSoundNames, check_str};
use exhale::journal::assessment::Assessment;
use exhale::journal::store::{Loaded, RecordingJournal};
use exhale::journal::{Entry, Journal, JournalError};
use exhale::tui::render;
use exhale::tui::theme::Theme;
use exhale::tui::{App, Msg, Options, Prepared, Screen};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub const BOX: &str = "name = \"Box\"\n[[block]]\nkind = \"breathe\"\nname = \"Box\"\nphases = [{ in = 4, cue = \"Breathe in through the nose\" }, { hold = 4, cue = \"Hold gently\" }, { out = 4, cue = \"Breathe out slowly\" }, { hold = 4 }]\ncycles = 2\n";

pub const RETENTION: &str = "name = \"Rounds\"\n[[block]]\nkind = \"retention\"\nrounds = 2\nbreaths = 2\nphases = [{ in = 1 }, { out = 1 }]\nretention = { cap = 60 }\nrecovery = [{ in = 2, cue = \"Recovery breath\" }, { hold = 15, cue = \"Hold, full\" }]\n";

pub const SIT: &str = "name = \"Scan\"\n[[block]]\nkind = \"meditate\"\nname = \"Body scan\"\nduration = \"2m\"\nbells = { start = true, end = true, every = \"1m\" }\nprompts = [{ at = \"0:00\", text = \"Settle in.\" }, { at = \"0:30\", text = \"Bring attention to the feet: the soles, the toes, any warmth or pressure.\" }]\n";

pub const OPEN_SIT: &str = "name = \"Open\"\n[[block]]\nkind = \"meditate\"\nopen = true\ncap = \"1h\"\nbells = { start = true, end = true }\n";

/// The options tests use: colour on, no settle-in, no closing moment
/// (the tests of the closing moment set one).
pub fn opts() -> Options {
    Options {
        theme: Theme::new(true),
        settle: Duration::ZERO,
        closing: Duration::ZERO,
        ..Options::default()
    }
}

pub fn prepared(src: &str, opts: &Options) -> Prepared {
    let s = check_str(src, &BuiltinSoundNames)
        .session
        .expect("test session is valid");
    Prepared::new("test", s, opts)
}

/// An app running `src` (`exhale run`) from `t0`, past its cautions if it
/// has any, with a recorder for its sounds.
pub fn app(src: &str, opts: Options, t0: Instant) -> (App, Recorder) {
    let rec = Recorder::default();
    let p = prepared(src, &opts);
    let mut app = App::with_session(p, Box::new(rec.clone()), opts, t0);
    if matches!(app.screen, Screen::Caution(_)) {
        app.update(key(KeyCode::Enter), t0);
    }
    app.update(Msg::Tick, t0);
    (app, rec)
}

pub fn secs(s: f64) -> Duration {
    Duration::from_secs_f64(s)
}

pub fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub fn ch(c: char) -> Msg {
    key(KeyCode::Char(c))
}

pub fn ctrl_c() -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL))
}

/// Draw `app` at `now` on a `w` x `h` test terminal.
pub fn draw(app: &App, now: Instant, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).expect("test terminal");
    t.draw(|f| render::draw(app, f, now)).expect("draw");
    t
}

pub fn buffer(app: &App, now: Instant) -> Buffer {
    draw(app, now, 80, 24).backend().buffer().clone()
}

/// The screen as text, one line per row, trailing spaces removed.
pub fn text(b: &Buffer) -> String {
    let w = usize::from(b.area.width);
    b.content
        .chunks(w)
        .map(|row| {
            row.iter()
                .map(ratatui::buffer::Cell::symbol)
                .collect::<String>()
                .trim_end()
                .to_owned()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// A test terminal that counts the frames drawn on it: ratatui flushes
/// the backend once at the end of every `Terminal::draw`, and at no
/// other time for a full-screen terminal.
pub struct CountingBackend {
    /// Where the frames go.
    pub inner: TestBackend,
    /// Frames drawn so far.
    pub frames: usize,
}

impl CountingBackend {
    pub fn new(w: u16, h: u16) -> Self {
        Self {
            inner: TestBackend::new(w, h),
            frames: 0,
        }
    }
}

impl ratatui::backend::Backend for CountingBackend {
    type Error = <TestBackend as ratatui::backend::Backend>::Error;

    fn draw<'a, I>(&mut self, content: I) -> Result<(), Self::Error>
    where
        I: Iterator<Item = (u16, u16, &'a ratatui::buffer::Cell)>,
    {
        self.inner.draw(content)
    }
    fn hide_cursor(&mut self) -> Result<(), Self::Error> {
        self.inner.hide_cursor()
    }
    fn show_cursor(&mut self) -> Result<(), Self::Error> {
        self.inner.show_cursor()
    }
    fn get_cursor_position(&mut self) -> Result<ratatui::layout::Position, Self::Error> {
        self.inner.get_cursor_position()
    }
    fn set_cursor_position<P: Into<ratatui::layout::Position>>(
        &mut self,
        position: P,
    ) -> Result<(), Self::Error> {
        self.inner.set_cursor_position(position)
    }
    fn clear(&mut self) -> Result<(), Self::Error> {
        self.inner.clear()
    }
    fn clear_region(&mut self, clear_type: ratatui::backend::ClearType) -> Result<(), Self::Error> {
        self.inner.clear_region(clear_type)
    }
    fn size(&self) -> Result<ratatui::layout::Size, Self::Error> {
        self.inner.size()
    }
    fn window_size(&mut self) -> Result<ratatui::backend::WindowSize, Self::Error> {
        self.inner.window_size()
    }
    fn flush(&mut self) -> Result<(), Self::Error> {
        self.frames += 1;
        self.inner.flush()
    }
}

/// A recording journal the test keeps a handle on.
#[derive(Clone, Default)]
pub struct Shared(pub Arc<RecordingJournal>);

impl Journal for Shared {
    fn append(&self, entry: &Entry) -> Result<(), JournalError> {
        self.0.append(entry)
    }
    fn load(&self) -> Result<Loaded, JournalError> {
        self.0.load()
    }
    fn location(&self) -> String {
        self.0.location()
    }
    fn append_assessment(&self, a: &Assessment) -> Result<(), JournalError> {
        self.0.append_assessment(a)
    }
}

impl Shared {
    /// The session entries appended so far.
    pub fn entries(&self) -> Vec<Entry> {
        self.0.entries.lock().expect("lock").clone()
    }
    /// The resonance assessments appended so far.
    pub fn assessments(&self) -> Vec<Assessment> {
        self.0.assessments.lock().expect("lock").clone()
    }
}
