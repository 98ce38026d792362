//! The keys of the picker and of a session, in one table each. The same
//! table maps a key press to what it means, lists the keys in the `?`
//! overlay and names them in the hints line under the screen, so the
//! three cannot disagree.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// What a key means on the session screen. What it then does depends on
/// the moment (Enter stops at "Stop here?" and ends a hold otherwise).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionKey {
    /// Space: pause and resume; end a hold or an open sit.
    Space,
    /// Enter: end a hold or an open sit; confirm a stop.
    Enter,
    /// Skip to the next phase.
    Skip,
    /// Ask "Stop here?" (and confirm it).
    AskStop,
    /// Esc: ask "Stop here?", or cancel a question.
    Cancel,
    /// The keys overlay.
    Help,
    /// Sound on or off.
    Mute,
    /// Louder.
    Louder,
    /// Softer.
    Softer,
    /// The next sound bed.
    Bed,
    /// A slower pace for the breathing block, from the next phase.
    Slower,
    /// A faster pace for the breathing block, from the next phase.
    Faster,
    /// Anything else.
    Other,
}

/// What a key means in the picker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickerKey {
    /// Move up.
    Up,
    /// Move down.
    Down,
    /// Scroll the preview up.
    PageUp,
    /// Scroll the preview down.
    PageDown,
    /// Start the selected session.
    Start,
    /// Remove a letter of the filter.
    Backspace,
    /// Open the stats.
    Stats,
    /// Clear the filter, then quit.
    Escape,
    /// The keys overlay (when nothing is typed: `?` may be part of a
    /// filter).
    Help,
    /// A letter for the filter.
    Type(char),
    /// Anything else.
    Other,
}

/// One action and the keys that do it. The first `shown` keys are named
/// in the overlay and the hints; the rest are quiet aliases (`N` for `n`,
/// `=` for `+`, a key people reach for by habit).
pub struct Binding<A: 'static> {
    /// What the keys mean.
    pub action: A,
    /// The keys, the named ones first.
    pub keys: &'static [KeyCode],
    /// How many of `keys` are named.
    pub shown: usize,
}

/// The session screen's keys (Ctrl-C, handled on every screen, is
/// [`CTRL_C`]).
pub const SESSION: &[Binding<SessionKey>] = &[
    Binding {
        action: SessionKey::Space,
        keys: &[KeyCode::Char(' ')],
        shown: 1,
    },
    Binding {
        action: SessionKey::Enter,
        keys: &[KeyCode::Enter],
        shown: 1,
    },
    Binding {
        action: SessionKey::Skip,
        keys: &[KeyCode::Char('n'), KeyCode::Right, KeyCode::Char('N')],
        shown: 2,
    },
    Binding {
        action: SessionKey::AskStop,
        keys: &[KeyCode::Char('q'), KeyCode::Char('Q')],
        shown: 1,
    },
    Binding {
        action: SessionKey::Cancel,
        keys: &[KeyCode::Esc],
        shown: 1,
    },
    Binding {
        action: SessionKey::Help,
        keys: &[KeyCode::Char('?')],
        shown: 1,
    },
    Binding {
        action: SessionKey::Mute,
        keys: &[KeyCode::Char('m'), KeyCode::Char('M')],
        shown: 1,
    },
    Binding {
        action: SessionKey::Louder,
        keys: &[KeyCode::Char('+'), KeyCode::Char('=')],
        shown: 1,
    },
    Binding {
        action: SessionKey::Softer,
        keys: &[KeyCode::Char('-'), KeyCode::Char('_')],
        shown: 1,
    },
    Binding {
        action: SessionKey::Bed,
        keys: &[KeyCode::Char('b'), KeyCode::Char('B')],
        shown: 1,
    },
    Binding {
        action: SessionKey::Slower,
        keys: &[KeyCode::Char('['), KeyCode::Char('{')],
        shown: 1,
    },
    Binding {
        action: SessionKey::Faster,
        keys: &[KeyCode::Char(']'), KeyCode::Char('}')],
        shown: 1,
    },
];

/// The picker's keys; any other character types into the filter.
pub const PICKER: &[Binding<PickerKey>] = &[
    Binding {
        action: PickerKey::Up,
        keys: &[KeyCode::Up],
        shown: 1,
    },
    Binding {
        action: PickerKey::Down,
        keys: &[KeyCode::Down],
        shown: 1,
    },
    Binding {
        action: PickerKey::PageUp,
        keys: &[KeyCode::PageUp],
        shown: 1,
    },
    Binding {
        action: PickerKey::PageDown,
        keys: &[KeyCode::PageDown],
        shown: 1,
    },
    Binding {
        action: PickerKey::Start,
        keys: &[KeyCode::Enter],
        shown: 1,
    },
    Binding {
        action: PickerKey::Backspace,
        keys: &[KeyCode::Backspace],
        shown: 1,
    },
    Binding {
        action: PickerKey::Stats,
        keys: &[KeyCode::Tab],
        shown: 1,
    },
    Binding {
        action: PickerKey::Escape,
        keys: &[KeyCode::Esc],
        shown: 1,
    },
    Binding {
        action: PickerKey::Help,
        keys: &[KeyCode::Char('?')],
        shown: 1,
    },
];

/// Ctrl-C, on every screen: what SIGINT means (raw mode turns it into a
/// key).
pub const CTRL_C: &str = "Ctrl-C";

/// The `r` key of a file preview (`--watch`): read the file again and
/// start from the top.
pub const RESTART: KeyCode = KeyCode::Char('r');

/// One row of the overlay: the actions whose keys it names, and what
/// they do.
pub struct Row<A: 'static> {
    /// The actions, whose named keys make the row's first column.
    pub actions: &'static [A],
    /// What they do.
    pub says: &'static str,
}

/// The overlay during a session.
pub const SESSION_HELP: &[Row<SessionKey>] = &[
    Row {
        actions: &[SessionKey::Space],
        says: "pause / resume; end a hold or an open sit",
    },
    Row {
        actions: &[SessionKey::Enter],
        says: "end a hold or an open sit",
    },
    Row {
        actions: &[SessionKey::Skip],
        says: "next phase, or next prompt in a meditation",
    },
    Row {
        actions: &[SessionKey::AskStop, SessionKey::Cancel],
        says: "stop (asks first)",
    },
    Row {
        actions: &[SessionKey::Slower, SessionKey::Faster],
        says: "slower / faster breathing, 5% a step",
    },
    Row {
        actions: &[SessionKey::Mute],
        says: "sound on / off",
    },
    Row {
        actions: &[SessionKey::Louder, SessionKey::Softer],
        says: "volume",
    },
    Row {
        actions: &[SessionKey::Bed],
        says: "next sound bed (rain, ocean, noise, none)",
    },
    Row {
        actions: &[SessionKey::Help],
        says: "this help",
    },
];

/// The overlay in the picker (after "letters", which filter).
pub const PICKER_HELP: &[Row<PickerKey>] = &[
    Row {
        actions: &[PickerKey::Up, PickerKey::Down],
        says: "move",
    },
    Row {
        actions: &[PickerKey::PageUp, PickerKey::PageDown],
        says: "scroll the preview",
    },
    Row {
        actions: &[PickerKey::Start],
        says: "start the selected session",
    },
    Row {
        actions: &[PickerKey::Backspace],
        says: "remove a letter of the filter",
    },
    Row {
        actions: &[PickerKey::Stats],
        says: "your practice: minutes, days, check-ins",
    },
    Row {
        actions: &[PickerKey::Escape],
        says: "clear the filter, then quit",
    },
];

/// Whether `k` is Ctrl-C.
pub fn is_ctrl_c(k: &KeyEvent) -> bool {
    k.modifiers.contains(KeyModifiers::CONTROL) && matches!(k.code, KeyCode::Char('c' | 'C'))
}

fn lookup<A: Copy>(table: &[Binding<A>], code: KeyCode) -> Option<A> {
    table
        .iter()
        .find(|b| b.keys.contains(&code))
        .map(|b| b.action)
}

/// What `k` means on the session screen.
pub fn session(k: &KeyEvent) -> SessionKey {
    if k.modifiers.contains(KeyModifiers::CONTROL) {
        return SessionKey::Other;
    }
    lookup(SESSION, k.code).unwrap_or(SessionKey::Other)
}

/// What `k` means in the picker; `filtering` says whether something is
/// typed (then `?` is a letter of the filter).
pub fn picker(k: &KeyEvent, filtering: bool) -> PickerKey {
    let modified = k
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    match (lookup(PICKER, k.code), k.code) {
        (Some(PickerKey::Help), _) if filtering && !modified => PickerKey::Type('?'),
        (Some(PickerKey::Help), _) if filtering => PickerKey::Other,
        (Some(a), _) => a,
        (None, KeyCode::Char(c)) if !modified => PickerKey::Type(c),
        (None, _) => PickerKey::Other,
    }
}

/// A key's name as the screens show it.
pub fn name(code: KeyCode) -> String {
    match code {
        KeyCode::Char(' ') => "Space".into(),
        KeyCode::Char(c) => c.to_string(),
        KeyCode::Enter => "Enter".into(),
        KeyCode::Esc => "Esc".into(),
        KeyCode::Tab => "Tab".into(),
        KeyCode::Backspace => "Bksp".into(),
        KeyCode::Up => "↑".into(),
        KeyCode::Down => "↓".into(),
        KeyCode::Left => "←".into(),
        KeyCode::Right => "→".into(),
        KeyCode::PageUp => "PgUp".into(),
        KeyCode::PageDown => "PgDn".into(),
        other => other.to_string(),
    }
}

/// The named keys of `actions` in `table`, each once, in order.
pub fn names<A: Copy + PartialEq>(table: &[Binding<A>], actions: &[A]) -> Vec<String> {
    actions
        .iter()
        .filter_map(|a| table.iter().find(|b| b.action == *a))
        .flat_map(|b| b.keys[..b.shown].iter().map(|k| name(*k)))
        .collect()
}

/// The overlay's rows for `rows`: the keys, two spaces apart, and what
/// they do.
pub fn help_rows<A: Copy + PartialEq>(
    table: &[Binding<A>],
    rows: &[Row<A>],
) -> Vec<(String, &'static str)> {
    rows.iter()
        .map(|r| (names(table, r.actions).join("  "), r.says))
        .collect()
}

/// A hint for the line under the screen: the first named key of each of
/// `actions` joined with "or", then what they do (`Space pause`,
/// `Space or Enter to end`).
pub fn hint<A: Copy + PartialEq>(table: &[Binding<A>], actions: &[A], says: &str) -> String {
    let keys: Vec<String> = actions
        .iter()
        .filter_map(|a| names(table, &[*a]).into_iter().next())
        .collect();
    format!("{} {says}", keys.join(" or "))
}

/// The session's hints, by moment.
pub mod hints {
    use super::{SESSION, SessionKey, hint, names};

    /// While the session runs: `Space pause · n skip · q stop · ? keys`.
    pub fn running() -> String {
        [
            hint(SESSION, &[SessionKey::Space], "pause"),
            hint(SESSION, &[SessionKey::Skip], "skip"),
            hint(SESSION, &[SessionKey::AskStop], "stop"),
            hint(SESSION, &[SessionKey::Help], "keys"),
        ]
        .join(" · ")
    }

    /// While a paced breath runs, in a window wide enough for the pace
    /// keys: `Space pause · n skip · [ ] pace · q stop · ? keys`.
    pub fn breathing() -> String {
        [
            hint(SESSION, &[SessionKey::Space], "pause"),
            hint(SESSION, &[SessionKey::Skip], "skip"),
            format!(
                "{} pace",
                names(SESSION, &[SessionKey::Slower, SessionKey::Faster]).join(" ")
            ),
            hint(SESSION, &[SessionKey::AskStop], "stop"),
            hint(SESSION, &[SessionKey::Help], "keys"),
        ]
        .join(" · ")
    }

    /// While paused.
    pub fn paused() -> String {
        [
            "Paused".to_owned(),
            hint(SESSION, &[SessionKey::Space], "to resume"),
            hint(SESSION, &[SessionKey::AskStop], "stop"),
        ]
        .join(" · ")
    }

    /// During a breath hold the person ends.
    pub fn hold() -> String {
        [
            hint(SESSION, &[SessionKey::Space], "when you need to breathe"),
            hint(SESSION, &[SessionKey::AskStop], "stop"),
            hint(SESSION, &[SessionKey::Help], "keys"),
        ]
        .join(" · ")
    }

    /// The picker's keys line, each hint with how much it matters (higher
    /// is kept longer when the line is cut to fit).
    pub fn picker() -> Vec<(String, u8)> {
        use super::{PICKER, PickerKey, names};
        vec![
            (
                format!(
                    "{} move",
                    names(PICKER, &[PickerKey::Up, PickerKey::Down]).concat()
                ),
                3,
            ),
            (hint(PICKER, &[PickerKey::Start], "start"), 5),
            ("type to filter".to_owned(), 1),
            (hint(PICKER, &[PickerKey::Stats], "stats"), 0),
            (hint(PICKER, &[PickerKey::Help], "keys"), 2),
            (hint(PICKER, &[PickerKey::Escape], "quit"), 4),
        ]
    }

    /// During an open-ended sit.
    pub fn open_sit() -> String {
        [
            hint(SESSION, &[SessionKey::Space, SessionKey::Enter], "to end"),
            hint(SESSION, &[SessionKey::AskStop], "stop"),
            hint(SESSION, &[SessionKey::Help], "keys"),
        ]
        .join(" · ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn every_named_key_does_what_the_overlay_says() {
        for row in SESSION_HELP {
            for a in row.actions {
                let b = SESSION.iter().find(|b| b.action == *a).expect("bound");
                for k in b.keys {
                    assert_eq!(session(&press(*k)), *a, "{k:?}");
                }
            }
        }
        for row in PICKER_HELP {
            for a in row.actions {
                let b = PICKER.iter().find(|b| b.action == *a).expect("bound");
                for k in b.keys {
                    assert_eq!(picker(&press(*k), false), *a, "{k:?}");
                }
            }
        }
    }

    #[test]
    fn no_key_means_two_things_on_one_screen() {
        let mut seen = Vec::new();
        for b in SESSION {
            for k in b.keys {
                assert!(!seen.contains(k), "{k:?} is bound twice");
                seen.push(*k);
            }
        }
    }

    #[test]
    fn the_overlay_and_the_hints_name_the_keys_of_the_table() {
        let rows = help_rows(SESSION, SESSION_HELP);
        assert_eq!(rows[2].0, "n  →");
        assert_eq!(rows[3].0, "q  Esc");
        assert_eq!(rows[4].0, "[  ]");
        assert_eq!(rows[6].0, "+  -");
        assert_eq!(
            hints::breathing(),
            "Space pause · n skip · [ ] pace · q stop · ? keys"
        );
        assert_eq!(hints::running(), "Space pause · n skip · q stop · ? keys");
        assert_eq!(hints::paused(), "Paused · Space to resume · q stop");
        assert_eq!(hints::open_sit(), "Space or Enter to end · q stop · ? keys");
        assert_eq!(help_rows(PICKER, PICKER_HELP)[0].0, "↑  ↓");
    }

    #[test]
    fn a_question_mark_filters_once_something_is_typed() {
        assert_eq!(picker(&press(KeyCode::Char('?')), false), PickerKey::Help);
        assert_eq!(
            picker(&press(KeyCode::Char('?')), true),
            PickerKey::Type('?')
        );
        assert_eq!(
            picker(&press(KeyCode::Char('b')), false),
            PickerKey::Type('b')
        );
        let ctrl_b = KeyEvent::new(KeyCode::Char('b'), KeyModifiers::CONTROL);
        assert_eq!(picker(&ctrl_b, false), PickerKey::Other);
    }
}
