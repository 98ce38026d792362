//! Live preview while writing a session (`exhale run FILE --watch`).
//!
//! A watcher on the file's folder (so editors that save by writing a new
//! file and renaming it over the old one are seen too) turns each save,
//! debounced, into a message the event loop turns into
//! [`Msg::SessionFileChanged`](super::Msg::SessionFileChanged).
//! `App::update` then re-reads and re-checks the file ([`Watch::read`]): a valid session
//! starts again from the top with a new [`crate::engine::player::Player`]; an
//! invalid one is replaced by [`Screen::FileProblem`] showing its
//! diagnostics; a removed file shows that the app is waiting for it.
//!
//! Cautions are shown as usual, but once accepted, the same cautions are
//! not asked again during this watch: an author saving every few seconds
//! has read them. Changed cautions are shown again.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crossbeam_channel::Receiver;
use notify::event::{AccessKind, AccessMode, EventKind};
use notify::{RecommendedWatcher, RecursiveMode, Watcher, WatcherKind};
use notify_debouncer_mini::{DebounceEventResult, DebouncedEventKind, Debouncer};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::engine::model::Session;
use crate::format::{self, SoundCatalog};

/// How long the file must be quiet before it is read again: long enough
/// for an editor's write-rename-chmod to settle, short enough to feel
/// immediate.
pub const DEBOUNCE: Duration = Duration::from_millis(250);

/// The file being watched and what has been seen of it.
pub struct Watch {
    path: PathBuf,
    shown_as: String,
    name: String,
    sounds: Box<dyn SoundCatalog>,
    /// The bytes last read, so a save that changed nothing (or a second
    /// event for the same save) does not restart the session.
    last: Option<Vec<u8>>,
    removed: bool,
    /// The caution texts already accepted in this watch.
    accepted: HashSet<Vec<String>>,
    /// One `()` per debounced change, once [`Watch::start`] has run.
    events: Option<Receiver<()>>,
    /// Kept only to be kept alive: dropping it stops the watching.
    watcher: Option<Debouncer<WritesOnly>>,
}

/// Why the watched file cannot be run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProblemKind {
    /// It has errors: the rendered diagnostics (file, line, column, caret,
    /// help), errors and warnings, in file order.
    Invalid {
        /// The report, one entry per line.
        report: Vec<String>,
        /// How many of the diagnostics are errors.
        errors: usize,
    },
    /// It is gone (deleted, or moved away).
    Removed,
}

/// The screen shown instead of the session while the file cannot be run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileProblem {
    /// The file as the user named it.
    pub path: String,
    /// What is wrong.
    pub kind: ProblemKind,
    /// The first line of the report shown (the report scrolls).
    pub scroll: usize,
}

impl FileProblem {
    /// Lines of the report (none when the file is removed).
    pub fn report(&self) -> &[String] {
        match &self.kind {
            ProblemKind::Invalid { report, .. } => report,
            ProblemKind::Removed => &[],
        }
    }
}

impl FileProblem {
    /// A key on the problem screen: scroll the report; `true` when it
    /// means quit (q, Esc, Ctrl-C).
    pub fn key(&mut self, k: &KeyEvent) -> bool {
        let last = self.report().len().saturating_sub(1);
        let ctrl = k.modifiers.contains(KeyModifiers::CONTROL);
        match k.code {
            KeyCode::Char('c' | 'C') if ctrl => return true,
            KeyCode::Char('q' | 'Q') | KeyCode::Esc => return true,
            KeyCode::Up | KeyCode::Char('k') => self.scroll = self.scroll.saturating_sub(1),
            KeyCode::Down | KeyCode::Char('j') => self.scroll = (self.scroll + 1).min(last),
            KeyCode::PageUp => self.scroll = self.scroll.saturating_sub(10),
            KeyCode::PageDown | KeyCode::Char(' ') => self.scroll = (self.scroll + 10).min(last),
            KeyCode::Home => self.scroll = 0,
            // The last line alone at the top would show nothing useful:
            // End shows the last message whole.
            KeyCode::End => self.scroll = self.message_starts().last().copied().unwrap_or(0),
            _ => {}
        }
        false
    }

    /// The report lines where each message begins (`error: …`,
    /// `warning: …`).
    pub fn message_starts(&self) -> Vec<usize> {
        self.report()
            .iter()
            .enumerate()
            .filter(|(_, l)| l.starts_with("error") || l.starts_with("warning"))
            .map(|(i, _)| i)
            .collect()
    }
}

/// What reading the file again found.
pub enum Change {
    /// Nothing new.
    Same,
    /// It is gone.
    Removed,
    /// It has errors: the report and how many errors it has.
    Invalid(Vec<String>, usize),
    /// A valid session, with how many warnings it has.
    Valid(Box<Session>, usize),
}

impl Watch {
    /// Watch `path`, naming it `shown_as` in messages and `name` as the
    /// session; `sounds` are the names a session may use. Nothing is read
    /// or watched yet.
    pub fn new(path: &Path, shown_as: &str, name: &str, sounds: Box<dyn SoundCatalog>) -> Self {
        Self {
            path: path.to_owned(),
            shown_as: shown_as.to_owned(),
            name: name.to_owned(),
            sounds,
            last: None,
            removed: false,
            accepted: HashSet::new(),
            events: None,
            watcher: None,
        }
    }

    /// The watched file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Start watching the file's folder. Errors of the watcher later on are
    /// never printed (the screen belongs to the app); they only make the
    /// file be read again.
    pub fn start(&mut self) -> Result<(), String> {
        // Follow a symbolic link to the real file, whose folder is where
        // the editor writes.
        let real = std::fs::canonicalize(&self.path)
            .or_else(|_| std::path::absolute(&self.path))
            .map_err(|e| e.to_string())?;
        let Some(file_name) = real.file_name().map(std::ffi::OsStr::to_owned) else {
            return Err("it is not a file".into());
        };
        let dir = real
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        let (tx, rx) = crossbeam_channel::unbounded();
        let handler = move |res: DebounceEventResult| {
            let ours = match res {
                Ok(events) => events.iter().any(|e| {
                    e.kind == DebouncedEventKind::Any
                        && e.path.file_name() == Some(file_name.as_os_str())
                }),
                // Events may have been lost: look at the file again.
                Err(_) => true,
            };
            if ours {
                let _ = tx.send(());
            }
        };
        let config = notify_debouncer_mini::Config::default().with_timeout(DEBOUNCE);
        let mut watcher =
            notify_debouncer_mini::new_debouncer_opt::<_, WritesOnly>(config, handler)
                .map_err(|e| e.to_string())?;
        watcher
            .watcher()
            .watch(&dir, RecursiveMode::NonRecursive)
            .map_err(|e| format!("{}: {e}", dir.display()))?;
        self.events = Some(rx);
        self.watcher = Some(watcher);
        Ok(())
    }

    /// One `()` per debounced change of the file, for the event loop to
    /// select on beside its other sources; a channel that never delivers
    /// before [`Watch::start`].
    pub fn changes(&self) -> Receiver<()> {
        self.events.clone().unwrap_or_else(crossbeam_channel::never)
    }

    /// The file as the user named it.
    pub fn shown_as(&self) -> &str {
        &self.shown_as
    }

    /// The session's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Forget what was read, so the next [`Watch::read`] starts the
    /// session again even if the file has not changed (`r`).
    pub fn forget(&mut self) {
        self.last = None;
        self.removed = false;
    }

    /// Read and check the file again.
    pub fn read(&mut self) -> Change {
        let bytes = match crate::library::read_capped(&self.path) {
            Ok(b) => b,
            Err(e) if e.is_not_found() => {
                if self.removed {
                    return Change::Same;
                }
                self.removed = true;
                self.last = None;
                return Change::Removed;
            }
            Err(e) => {
                self.removed = false;
                self.last = None;
                return Change::Invalid(lines(&e.diagnostic().render(&self.shown_as, "")), 1);
            }
        };
        self.removed = false;
        if self.last.as_ref() == Some(&bytes) {
            return Change::Same;
        }
        let (source, checked) = format::check_bytes(&bytes, self.sounds.as_ref());
        self.last = Some(bytes);
        let errors = checked.diagnostics.iter().filter(|d| d.is_error()).count();
        match checked.session {
            Some(s) if errors == 0 => Change::Valid(Box::new(s), checked.diagnostics.len()),
            _ => {
                let report: Vec<String> =
                    format::diagnostic::render_all(&checked.diagnostics, &self.shown_as, &source)
                        .trim_end()
                        .lines()
                        .map(str::to_owned)
                        .collect();
                Change::Invalid(report, errors.max(1))
            }
        }
    }

    /// Whether these cautions were accepted earlier in this watch.
    pub fn accepted(&self, session: &Session) -> bool {
        self.accepted.contains(&caution_texts(session))
    }

    /// Remember that these cautions were accepted.
    pub fn accept(&mut self, session: &Session) {
        if !session.cautions.is_empty() {
            self.accepted.insert(caution_texts(session));
        }
    }
}

/// The platform's watcher without the events that only say a file was
/// opened or read: reading the session after a change would otherwise be
/// the next change, and the file would be read again and again.
struct WritesOnly(RecommendedWatcher);

impl Watcher for WritesOnly {
    fn new<F: notify::EventHandler>(
        mut handler: F,
        config: notify::Config,
    ) -> notify::Result<Self> {
        let only_writes = move |res: notify::Result<notify::Event>| {
            if res.as_ref().is_ok_and(|e| !is_write(e.kind)) {
                return;
            }
            handler.handle_event(res);
        };
        RecommendedWatcher::new(only_writes, config).map(Self)
    }

    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        self.0.watch(path, mode)
    }

    fn unwatch(&mut self, path: &Path) -> notify::Result<()> {
        self.0.unwatch(path)
    }

    fn kind() -> WatcherKind {
        RecommendedWatcher::kind()
    }
}

/// Whether an event can mean the file's content changed: anything but an
/// access, except the close after a write.
fn is_write(kind: EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

fn caution_texts(session: &Session) -> Vec<String> {
    session.cautions.iter().map(|c| c.text.clone()).collect()
}

fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::to_owned).collect()
}

/// The notice after the file was read and its session started:
/// `reloaded` on a save, what `r` does on the first read, and how many
/// warnings the file has.
pub fn notice(reloaded: bool, warnings: usize) -> String {
    let mut text = if reloaded {
        "reloaded".to_owned()
    } else {
        "watching for saves · r restarts".to_owned()
    };
    if warnings > 0 {
        let warnings = crate::text::count(warnings, "warning");
        text.push_str(&format!(" · {warnings} (exhale check)"));
    }
    text
}
