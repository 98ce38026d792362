//! The picker's state: every session with what the preview shows, the
//! filter the user typed, and which one is selected, and what its keys do
//! to them. Drawing lives in `render::picker`.

use std::time::Duration;

use crate::audio::SoundBank;
use crate::describe;
use crate::engine::model::Session;
use crate::engine::model::{Caution, CautionKind};
use crate::engine::{LengthOverride, Timeline};
use crate::library::{Library, Origin};
use crate::paths::Paths;
use crate::plan::{Length, Plan};

use super::keys::PickerKey;

/// One session as the picker lists it.
#[derive(Debug, Clone)]
pub struct Item {
    /// The name `exhale run` takes.
    pub name: String,
    /// Title (the name again if the file is invalid).
    pub title: String,
    /// Length for the list: `5m`, `8m + holds`, `open`.
    pub length: String,
    /// Tags.
    pub tags: Vec<String>,
    /// `built-in` or `user`.
    pub origin: &'static str,
    /// Description for the preview.
    pub description: String,
    /// Each block's title and its lines of timeline.
    pub blocks: Vec<(String, Vec<String>)>,
    /// Caution texts.
    pub cautions: Vec<String>,
    /// The session file's bytes (for the journal's fingerprint).
    pub source: Vec<u8>,
    /// The session, or the first error (rendered with file, line, column
    /// and caret) if it is invalid.
    pub session: Result<Session, String>,
    /// What the practice plan says of it, if anything.
    pub plan: Option<PlanMark>,
}

/// What the practice plan says of a session in the picker.
#[derive(Debug, Clone, PartialEq)]
pub enum PlanMark {
    /// Planned today and not done yet: at the top, selected, started at
    /// the plan's length.
    Today {
        /// The plan's length, if it sets one.
        length: Option<LengthOverride>,
        /// "planned today · 5 min".
        words: String,
        /// The note from whoever wrote the plan.
        note: Option<String>,
    },
    /// The plan leaves it alone for now, for this reason: asked about
    /// before it starts.
    Avoid {
        /// Why, from the plan.
        reason: String,
    },
}

impl PlanMark {
    /// The mark in a few words, for the list.
    pub fn words(&self) -> &str {
        match self {
            PlanMark::Today { words, .. } => words,
            PlanMark::Avoid { .. } => "your plan leaves this for now",
        }
    }
}

/// A plan's length as the engine's override.
pub fn length_override(length: Length) -> Option<LengthOverride> {
    match length {
        Length::AsWritten => None,
        Length::Minutes(m) => Some(LengthOverride::Time(Duration::from_secs_f64(m * 60.0))),
        Length::Cycles(n) => Some(LengthOverride::Cycles(n)),
    }
}

/// The caution an avoided session gets before it starts: the plan's
/// reason, and that Enter starts it anyway.
pub fn avoid_caution(reason: &str) -> Caution {
    Caution {
        kind: CautionKind::Declared,
        text: format!(
            "Your practice plan leaves this session for now: {}\nEnter starts it anyway; Esc goes back.",
            reason.trim()
        ),
        why: vec!["the practice plan's `avoid`".into()],
    }
}

impl Item {
    /// An item for a valid session.
    pub fn valid(name: &str, origin: &'static str, session: Session) -> Self {
        let tl = Timeline::compile(&session, Duration::ZERO);
        Self {
            name: name.to_owned(),
            title: session.title.clone(),
            length: describe::length_text(&tl),
            tags: session.tags.clone(),
            origin,
            description: session.description.clone(),
            blocks: describe::blocks(&session)
                .iter()
                .map(|b| (b.title.clone(), describe::block_lines(b)))
                .collect(),
            cautions: session.cautions.iter().map(|c| c.text.clone()).collect(),
            source: Vec::new(),
            session: Ok(session),
            plan: None,
        }
    }

    /// An item for a session that cannot be run.
    pub fn invalid(name: &str, origin: &'static str, error: String) -> Self {
        Self {
            name: name.to_owned(),
            title: name.to_owned(),
            length: "invalid".into(),
            tags: Vec::new(),
            origin,
            description: String::new(),
            blocks: Vec::new(),
            cautions: Vec::new(),
            source: Vec::new(),
            session: Err(error),
            plan: None,
        }
    }

    /// Whether the item matches every word of `query` (case-insensitive
    /// substring of its name, title or tags).
    pub fn matches(&self, query: &str) -> bool {
        let hay = format!("{} {} {}", self.name, self.title, self.tags.join(" ")).to_lowercase();
        query
            .to_lowercase()
            .split_whitespace()
            .all(|w| hay.contains(w))
    }
}

/// What a key in the picker asks of the app, beyond moving and filtering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickerEffect {
    /// Nothing more.
    None,
    /// Start the selected session.
    Start,
    /// Quit.
    Quit,
    /// Show the keys overlay.
    Help,
    /// Open the stats.
    Stats,
    /// Scroll the preview a page down (up when negative); the app knows
    /// how tall a page is and keeps it within what there is to see.
    Scroll(i32),
}

/// The picker: items, filter and selection.
#[derive(Debug, Clone, Default)]
pub struct Picker {
    /// Every session, in library order.
    pub items: Vec<Item>,
    /// What the user typed.
    pub query: String,
    /// Index into `items` of the selected one.
    selected: usize,
    /// How many lines the preview is scrolled down (back to the top
    /// whenever the selection or the filter changes).
    pub preview_scroll: u16,
}

impl Picker {
    /// Every session in the library, checked, with `preselect` (the
    /// configured default session) selected if it exists.
    pub fn load(paths: &Paths, preselect: Option<&str>) -> Self {
        let lib = Library::load(Some(&paths.sessions_dir()));
        let sounds = SoundBank::load(&paths.sounds_dir());
        let mut items = Vec::new();
        for e in &lib.entries {
            let origin = e.origin.label();
            let (source, checked) = e.check(&sounds);
            match checked.session {
                Some(s) => {
                    let mut item = Item::valid(&e.name, origin, s);
                    item.source.clone_from(&e.bytes);
                    items.push(item);
                }
                None => {
                    let first = checked
                        .diagnostics
                        .iter()
                        .find(|d| d.is_error())
                        .map_or_else(
                            || "this session cannot be read".into(),
                            |d| d.render(&e.display_path(), &source),
                        );
                    items.push(Item::invalid(&e.name, origin, first));
                }
            }
        }
        for (path, err) in &lib.unreadable {
            let name = path
                .file_stem()
                .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
            let origin = Origin::User(path.clone()).label();
            items.push(Item::invalid(
                &name,
                origin,
                format!("cannot read {}: {err}", path.display()),
            ));
        }
        Self::new(items, preselect)
    }

    /// A picker over `items`.
    pub fn new(items: Vec<Item>, preselect: Option<&str>) -> Self {
        let selected = preselect
            .and_then(|n| items.iter().position(|i| i.name == n))
            .unwrap_or(0);
        Self {
            items,
            query: String::new(),
            selected,
            preview_scroll: 0,
        }
    }

    /// Mark what `plan` says: the practices `due` today (their places in
    /// the plan) move to the top, in the plan's order, and the first is
    /// selected; sessions the plan avoids (by name or tag) are marked.
    pub fn apply_plan(&mut self, plan: &Plan, due: &[usize]) {
        for item in &mut self.items {
            if let Some(a) = &plan.avoid
                && a.covers(&item.name, &item.tags)
            {
                item.plan = Some(PlanMark::Avoid {
                    reason: a.reason.clone(),
                });
            }
        }
        let mut top = Vec::new();
        for &i in due {
            let Some(p) = plan.practices.get(i) else {
                continue;
            };
            let Some(at) = self.items.iter().position(|it| it.name == p.session) else {
                continue;
            };
            let mut item = self.items.remove(at);
            let words = match p.length.words() {
                Some(l) => format!("planned today · {l}"),
                None => "planned today".to_owned(),
            };
            item.plan = Some(PlanMark::Today {
                length: length_override(p.length),
                words,
                note: p.note.clone(),
            });
            top.push(item);
        }
        if top.is_empty() {
            return;
        }
        let n = top.len();
        top.append(&mut self.items);
        self.items = top;
        self.selected = 0;
        debug_assert!(n <= self.items.len());
    }

    /// Indices of the items the filter lets through, in order.
    pub fn visible(&self) -> Vec<usize> {
        (0..self.items.len())
            .filter(|&i| self.items[i].matches(&self.query))
            .collect()
    }

    /// The selected item, if any passes the filter.
    pub fn current(&self) -> Option<&Item> {
        self.visible()
            .contains(&self.selected)
            .then(|| &self.items[self.selected])
    }

    /// Index in `items` of the selected item.
    pub fn selected(&self) -> usize {
        self.selected
    }

    fn keep_selection_visible(&mut self) {
        self.preview_scroll = 0;
        let v = self.visible();
        if !v.contains(&self.selected) {
            if let Some(first) = v.first() {
                self.selected = *first;
            }
        }
    }

    /// Add a character to the filter.
    pub fn push(&mut self, c: char) {
        self.query.push(c);
        self.keep_selection_visible();
    }

    /// Remove the last character of the filter.
    pub fn pop(&mut self) {
        self.query.pop();
        self.keep_selection_visible();
    }

    /// Clear the filter.
    pub fn clear(&mut self) {
        self.query.clear();
        self.keep_selection_visible();
    }

    /// Move the selection by `by` among the visible items (wrapping).
    pub fn step(&mut self, by: isize) {
        let v = self.visible();
        if v.is_empty() {
            return;
        }
        self.preview_scroll = 0;
        let pos = v.iter().position(|&i| i == self.selected).unwrap_or(0);
        let n = v.len();
        let by = by.rem_euclid(n.try_into().unwrap_or(isize::MAX));
        self.selected = v[(pos + by.unsigned_abs()) % n];
    }

    /// A key: move, type into the filter or clear it; what it asks of
    /// the app otherwise.
    pub fn key(&mut self, key: PickerKey) -> PickerEffect {
        match key {
            PickerKey::Up => self.step(-1),
            PickerKey::Down => self.step(1),
            PickerKey::PageUp => return PickerEffect::Scroll(-1),
            PickerKey::PageDown => return PickerEffect::Scroll(1),
            PickerKey::Backspace => self.pop(),
            PickerKey::Escape if !self.query.is_empty() => self.clear(),
            PickerKey::Escape => return PickerEffect::Quit,
            PickerKey::Start => return PickerEffect::Start,
            PickerKey::Help => return PickerEffect::Help,
            PickerKey::Stats => return PickerEffect::Stats,
            PickerKey::Type(c) => self.push(c),
            PickerKey::Other => {}
        }
        PickerEffect::None
    }
}
