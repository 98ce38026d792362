//! The user's settings: `$XDG_CONFIG_HOME/exhale/config.toml`.
//!
//! Read like a session file: the raw TOML with spans and no unknown keys,
//! then checked value by value, with errors rendered the same way (file,
//! line, column, caret, a hint). A missing file means the defaults; an
//! invalid one is an error, never silently ignored. Every key is documented
//! in `docs/config.md`.

use std::path::Path;
use std::time::Duration;

use serde::Deserialize;
use toml::Spanned;
use toml::de::{DeTable, DeValue, ValueDeserializer};

use crate::engine::model::{Bed, Pacing};
use crate::format::diagnostic::{Diagnostic, did_you_mean};
use crate::format::length::{self, LENGTH_HELP};
use crate::format::limits::MAX_SETTLE;
use crate::format::raw::RawLength;
use crate::format::read::{self, ReadError};
use crate::format::syntax;
use crate::text::human;

/// Settle-in countdown when neither the session nor the config sets one.
pub const DEFAULT_SETTLE: Duration = Duration::from_secs(5);

/// The closing moment after the last phase of a session, unless set.
pub const DEFAULT_CLOSING: Duration = Duration::from_secs(8);

/// The longest closing moment (`closing`).
pub const MAX_CLOSING: Duration = Duration::from_secs(60);

/// How the breathing cue is drawn (`animation`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Animation {
    /// A ring that grows and shrinks.
    #[default]
    Circle,
    /// A bar that fills and empties.
    Bar,
}

/// The colour theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ThemeName {
    /// Colours that carry the phase.
    #[default]
    Default,
    /// No colours: shapes and words only.
    Mono,
}

/// `[sound]`: read here; the audio backend uses it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SoundConfig {
    /// Whether sounds play at all.
    pub enabled: bool,
    /// Starting volume, 0.0 to 1.0: the master volume that `+` and `-`
    /// change and `m` mutes.
    pub volume: f32,
    /// Each channel's own volume under the master volume.
    pub channels: Channels,
    /// The sound bed for a session that does not choose one (`bed`).
    pub bed: Bed,
    /// The pacing sound for a session that does not choose one
    /// (`pacing`).
    pub pacing: Pacing,
}

/// The volume of each kind of sound (`cue_volume`, `voice_volume`,
/// `pacing_volume`, `bed_volume`), 0.0 to 1.0, applied under the master
/// `volume`: a channel at 0.5 plays at half the master volume, mixed with
/// the others rather than cutting them off.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Channels {
    /// Chimes and bells at phase changes, prompts, start and end.
    pub cue: f32,
    /// Spoken cues and prompts.
    pub voice: f32,
    /// The pacing sound that lasts the whole breath.
    pub pacing: f32,
    /// The background sound bed.
    pub bed: f32,
}

impl Default for Channels {
    fn default() -> Self {
        Self {
            cue: 1.0,
            voice: 1.0,
            pacing: 0.6,
            bed: 0.3,
        }
    }
}

/// `[sound] voice` and `count`: the voice pack for sessions that choose
/// none, and whether it counts the seconds. Kept apart from
/// [`SoundConfig`], which is all numbers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VoiceConfig {
    /// The voice pack's name (`"default"`, a user pack, or `"none"`);
    /// `None` when unset: the chimes alone.
    pub voice: Option<String>,
    /// Counting on (`Some(true)`) or off, or unset.
    pub count: Option<bool>,
    /// Prompts said aloud (`Some(true)`) or not, or unset.
    pub speak: Option<bool>,
}

/// `[journal]`: read here; the journal uses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalConfig {
    /// Ask how you feel before and after a session.
    pub checkins: bool,
    /// The hour (0-23) at which a new day starts for the journal.
    pub day_starts_at: u8,
    /// Show a run of consecutive days in `exhale stats` (off unless asked).
    pub streaks: bool,
    /// The folder a sync tool shares between computers, as written (a
    /// full path or one starting with `~/`); `None` keeps the journal in
    /// the data folder.
    pub folder: Option<String>,
    /// This machine's name in the journal (a file-name-safe word); `None`
    /// derives one from the system's machine id.
    pub machine: Option<String>,
}

/// The settings, with defaults for everything not set.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The breathing cue's shape.
    pub animation: Animation,
    /// Colours or none.
    pub theme: ThemeName,
    /// A calm progress bar instead of the animation.
    pub reduced_motion: bool,
    /// Show the seconds counting down within each phase.
    pub show_timings: bool,
    /// Settle-in countdown for sessions that do not set one.
    pub settle_in: Duration,
    /// The still moment after the last phase, before the check-in
    /// ("Take a moment."); zero for none.
    pub closing: Duration,
    /// The session the picker selects first.
    pub default_session: Option<String>,
    /// Sound settings.
    pub sound: SoundConfig,
    /// The voice that speaks the cues, and whether it counts.
    pub voice: VoiceConfig,
    /// Journal settings.
    pub journal: JournalConfig,
    /// Check-in measures beyond the 0-10 feeling (`[[measure]]`); a
    /// plan's own measures take their place while it names any.
    pub measures: Vec<crate::format::measure::Measure>,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            animation: Animation::Circle,
            theme: ThemeName::Default,
            reduced_motion: false,
            show_timings: true,
            settle_in: DEFAULT_SETTLE,
            closing: DEFAULT_CLOSING,
            default_session: None,
            sound: SoundConfig {
                enabled: true,
                volume: 0.7,
                channels: Channels::default(),
                bed: Bed::None,
                pacing: Pacing::None,
            },
            voice: VoiceConfig::default(),
            journal: JournalConfig {
                checkins: true,
                day_starts_at: 4,
                streaks: false,
                folder: None,
                machine: None,
            },
            measures: Vec::new(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    animation: Option<Spanned<String>>,
    theme: Option<Spanned<String>>,
    reduced_motion: Option<bool>,
    show_timings: Option<bool>,
    settle_in: Option<Spanned<RawLength>>,
    closing: Option<Spanned<RawLength>>,
    default_session: Option<Spanned<String>>,
    sound: Option<RawSound>,
    journal: Option<RawJournal>,
    measure: Option<Vec<Spanned<crate::format::measures::RawMeasure>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSound {
    enabled: Option<bool>,
    volume: Option<Spanned<f64>>,
    cue_volume: Option<Spanned<f64>>,
    voice_volume: Option<Spanned<f64>>,
    pacing_volume: Option<Spanned<f64>>,
    bed_volume: Option<Spanned<f64>>,
    bed: Option<Spanned<String>>,
    voice: Option<Spanned<String>>,
    count: Option<bool>,
    pacing: Option<Spanned<String>>,
    speak: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawJournal {
    checkins: Option<bool>,
    day_starts_at: Option<Spanned<i64>>,
    streaks: Option<bool>,
    folder: Option<Spanned<String>>,
    machine: Option<Spanned<String>>,
}

const KEYS: &[&str] = &[
    "animation",
    "theme",
    "reduced_motion",
    "show_timings",
    "settle_in",
    "closing",
    "default_session",
    "sound",
    "journal",
    "enabled",
    "volume",
    "cue_volume",
    "voice_volume",
    "pacing_volume",
    "bed_volume",
    "bed",
    "voice",
    "count",
    "pacing",
    "speak",
    "checkins",
    "day_starts_at",
    "streaks",
    "folder",
    "machine",
    "measure",
    "name",
    "scale",
    "ask",
    "skills",
];

/// The longest machine name (`[journal] machine`).
pub const MAX_MACHINE_NAME: usize = 64;

/// What a machine name may be, for messages.
pub const MACHINE_RULE: &str = "a machine name is one word of letters, digits, `-` and `_` (at most 64), starting with a letter or digit";

/// Whether `name` can name a machine in the journal (`[journal] machine`,
/// `EXHALE_MACHINE`): it becomes a file name, so one word, safe on every
/// system a sync tool may carry it to.
pub fn valid_machine(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_MACHINE_NAME
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

/// Check a machine name; `Err` says what is wrong.
pub fn check_machine(name: &str) -> Result<(), String> {
    if valid_machine(name) {
        Ok(())
    } else {
        Err(format!("`{name}` is not a machine name; {MACHINE_RULE}"))
    }
}

/// Whether a journal folder as written (`[journal] folder`,
/// `EXHALE_JOURNAL_DIR`) can be used: a full path, or one starting at the
/// home folder (`~/`).
pub fn check_folder(written: &str) -> Result<(), String> {
    let t = written.trim();
    if t.is_empty() {
        return Err("the journal folder is empty".into());
    }
    if t == "~" || t.starts_with("~/") || Path::new(t).is_absolute() {
        Ok(())
    } else {
        Err(format!(
            "the journal folder must be a full path (starting with / or ~/), not `{t}`"
        ))
    }
}

/// Why the config could not be used, already rendered for the terminal.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

/// Read the config at `path`: the defaults if there is no file (with a
/// warning if it is a link to a file that does not exist). Only a regular
/// file of at most 256 KiB is read: a pipe, a device or a folder where the
/// file should be is an error, never a hang.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let shown = path.display().to_string();
    let bytes = match read::read_capped(path, read::CONFIG_FILE) {
        Ok(b) => b,
        Err(e) if e.is_not_found() => return Ok(Config::default()),
        // A link to a file that is gone is most likely a mistake (a
        // dotfiles folder that moved): the defaults, but say so.
        Err(ReadError::BrokenLink { target }) => {
            use std::io::Write as _;
            let _ = writeln!(
                std::io::stderr(),
                "warning: {shown} is a symbolic link to {}, which does not exist; using the default settings",
                target.display()
            );
            return Ok(Config::default());
        }
        Err(e) => {
            let mut d = e.diagnostic();
            if let ReadError::NotRegular {
                kind: read::Kind::Folder,
                link: None,
            } = e
            {
                d.message = "the config path is a folder, not a file".into();
                d.help = Some(
                    "remove the folder or put a config.toml file there (see `exhale help config`)"
                        .into(),
                );
            }
            return Err(ConfigError(d.render(&shown, "")));
        }
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return Err(ConfigError(
            Diagnostic::error("the config file is not valid UTF-8 text", None)
                .with_help("save it as UTF-8")
                .render(&shown, ""),
        ));
    };
    let voices = voice_names(&path.with_file_name("voices"));
    parse_with(&text, &voices).map_err(|diags| {
        ConfigError(
            diags
                .iter()
                .map(|d| d.render(&shown, &text))
                .collect::<Vec<_>>()
                .join("\n"),
        )
    })
}

/// The voice packs there are: the built-in one and each folder of
/// `voices_dir` (which need not exist), sorted.
pub fn voice_names(voices_dir: &Path) -> Vec<String> {
    let mut names = vec![crate::format::DEFAULT_VOICE_NAME.to_owned()];
    if let Ok(read) = std::fs::read_dir(voices_dir) {
        for e in read.filter_map(Result::ok) {
            let path = e.path();
            if let Some(n) = path.file_name().and_then(|s| s.to_str()) {
                if path.is_dir() && !n.starts_with('.') {
                    names.push(n.to_owned());
                }
            }
        }
    }
    names.sort();
    names.dedup();
    names
}

/// Check config text; every problem found is returned. Only the built-in
/// voice is known.
pub fn parse(source: &str) -> Result<Config, Vec<Diagnostic>> {
    parse_with(source, &[crate::format::DEFAULT_VOICE_NAME.to_owned()])
}

/// Check config text, knowing the voice packs `voices`.
pub fn parse_with(source: &str, voices: &[String]) -> Result<Config, Vec<Diagnostic>> {
    // Syntax first, worded as for a session file; then the keys.
    let (root, errors) = DeTable::parse_recoverable(source);
    if !errors.is_empty() {
        return Err(syntax::errors(&errors, source, &syntax::CONFIG));
    }
    let root = Spanned::new(root.span(), DeValue::Table(root.into_inner()));
    let raw = Raw::deserialize(ValueDeserializer::from(root))
        .map_err(|e| vec![toml_error(&e, source)])?;
    let mut c = Config::default();
    let mut diags = Vec::new();
    if let Some(list) = raw.measure {
        let raw: Vec<_> = list
            .into_iter()
            .map(|m| (m.span(), m.into_inner()))
            .collect();
        c.measures = crate::format::measures::check(&raw, &mut diags);
    }
    if let Some(a) = &raw.animation {
        // The README and the screen call the circle a ring: both words work.
        match a.get_ref().as_str() {
            "circle" | "ring" => c.animation = Animation::Circle,
            "bar" => c.animation = Animation::Bar,
            other => diags.push(choice_error(
                "animation",
                other,
                &["circle", "ring", "bar"],
                a,
            )),
        }
    }
    if let Some(t) = &raw.theme {
        match t.get_ref().as_str() {
            "default" => c.theme = ThemeName::Default,
            "mono" => c.theme = ThemeName::Mono,
            other => diags.push(choice_error("theme", other, &["default", "mono"], t)),
        }
    }
    if let Some(v) = raw.reduced_motion {
        c.reduced_motion = v;
    }
    if let Some(v) = raw.show_timings {
        c.show_timings = v;
    }
    if let Some(s) = &raw.settle_in {
        // Read like a session's `settle`: seconds, "5s", "0:15".
        let parsed = match s.get_ref() {
            RawLength::Secs(v) => length::from_secs(*v),
            RawLength::Text(t) => length::parse(t),
        };
        match parsed {
            Ok(d) if d <= MAX_SETTLE => c.settle_in = d,
            Ok(d) => diags.push(
                Diagnostic::error(
                    format!("`settle_in` may be at most 5 minutes, not {}", human(d)),
                    Some(s.span()),
                )
                .with_help("e.g. settle_in = 10 or settle_in = \"10s\" (0 for none)"),
            ),
            Err(e) => diags.push(
                Diagnostic::error(format!("`settle_in`: {}", e.0), Some(s.span()))
                    .with_help(LENGTH_HELP),
            ),
        }
    }
    if let Some(s) = &raw.closing {
        let parsed = match s.get_ref() {
            RawLength::Secs(v) => length::from_secs(*v),
            RawLength::Text(t) => length::parse(t),
        };
        match parsed {
            Ok(d) if d <= MAX_CLOSING => c.closing = d,
            Ok(d) => diags.push(
                Diagnostic::error(
                    format!("`closing` may be at most a minute, not {}", human(d)),
                    Some(s.span()),
                )
                .with_help("e.g. closing = 8 or closing = \"8s\" (0 for none)"),
            ),
            Err(e) => diags.push(
                Diagnostic::error(format!("`closing`: {}", e.0), Some(s.span()))
                    .with_help(LENGTH_HELP),
            ),
        }
    }
    if let Some(d) = &raw.default_session {
        if d.get_ref().trim().is_empty() {
            diags.push(
                Diagnostic::error("`default_session` is empty", Some(d.span()))
                    .with_help("give a session name from `exhale list`, or remove the line"),
            );
        } else {
            c.default_session = Some(d.get_ref().clone());
        }
    }
    if let Some(s) = &raw.sound {
        if let Some(e) = s.enabled {
            c.sound.enabled = e;
        }
        let mut volume = |key: &str, v: &Option<Spanned<f64>>, into: &mut f32| {
            let Some(v) = v else { return };
            let x = *v.get_ref();
            if (0.0..=1.0).contains(&x) {
                *into = x as f32;
            } else {
                diags.push(
                    Diagnostic::error(
                        format!("`{key}` must be between 0 and 1, not {x}"),
                        Some(v.span()),
                    )
                    .with_help(format!("e.g. {key} = 0.7 for 70%")),
                );
            }
        };
        volume("volume", &s.volume, &mut c.sound.volume);
        let ch = &mut c.sound.channels;
        volume("cue_volume", &s.cue_volume, &mut ch.cue);
        volume("voice_volume", &s.voice_volume, &mut ch.voice);
        volume("pacing_volume", &s.pacing_volume, &mut ch.pacing);
        volume("bed_volume", &s.bed_volume, &mut ch.bed);
        if let Some(b) = &s.bed {
            match Bed::from_name(b.get_ref()) {
                Some(bed) => c.sound.bed = bed,
                None => diags.push(
                    Diagnostic::error(format!("unknown bed `{}`", b.get_ref()), Some(b.span()))
                        .with_help(crate::format::validate::bed_help(b.get_ref())),
                ),
            }
        }
        c.voice.count = s.count;
        c.voice.speak = s.speak;
        if let Some(v) = &s.voice {
            let name = v.get_ref().trim();
            if name == "none" || voices.iter().any(|k| k == name) {
                c.voice.voice = Some(name.to_owned());
            } else {
                let refs: Vec<&str> = voices.iter().map(String::as_str).collect();
                let help = match crate::format::diagnostic::did_you_mean(name, &refs) {
                    Some(m) => format!("did you mean `{m}`? (\"none\" means the chimes alone)"),
                    None => format!(
                        "known voices: {}, or \"none\"; a voice of your own is a folder in the voices folder beside this file",
                        refs.join(", ")
                    ),
                };
                diags.push(
                    Diagnostic::error(format!("unknown voice `{name}`"), Some(v.span()))
                        .with_help(help),
                );
            }
        }
        if let Some(p) = &s.pacing {
            match Pacing::from_name(p.get_ref()) {
                Some(pacing) => c.sound.pacing = pacing,
                None => diags.push(
                    Diagnostic::error(format!("unknown pacing `{}`", p.get_ref()), Some(p.span()))
                        .with_help(crate::format::validate::pacing_help(p.get_ref())),
                ),
            }
        }
    }
    if let Some(j) = &raw.journal {
        if let Some(v) = j.checkins {
            c.journal.checkins = v;
        }
        if let Some(v) = j.streaks {
            c.journal.streaks = v;
        }
        if let Some(f) = &j.folder {
            match check_folder(f.get_ref()) {
                Ok(()) => c.journal.folder = Some(f.get_ref().trim().to_owned()),
                Err(e) => diags.push(
                    Diagnostic::error(format!("`folder`: {e}"), Some(f.span())).with_help(
                        "e.g. folder = \"~/Sync/exhale\", a folder your sync tool shares (see `exhale help journal`)",
                    ),
                ),
            }
        }
        if let Some(m) = &j.machine {
            match check_machine(m.get_ref()) {
                Ok(()) => c.journal.machine = Some(m.get_ref().clone()),
                Err(e) => diags.push(
                    Diagnostic::error(format!("`machine`: {e}"), Some(m.span()))
                        .with_help("e.g. machine = \"laptop\""),
                ),
            }
        }
        if let Some(h) = &j.day_starts_at {
            match u8::try_from(*h.get_ref()) {
                Ok(v) if v <= 23 => c.journal.day_starts_at = v,
                _ => diags.push(
                    Diagnostic::error(
                        format!(
                            "`day_starts_at` must be an hour from 0 to 23, not {}",
                            h.get_ref()
                        ),
                        Some(h.span()),
                    )
                    .with_help("e.g. day_starts_at = 4 so a late night counts as the day before"),
                ),
            }
        }
    }
    diags.sort_by_key(|d| d.span.as_ref().map_or(0, |s| s.start));
    if diags.is_empty() { Ok(c) } else { Err(diags) }
}

fn choice_error(key: &str, got: &str, choices: &[&str], at: &Spanned<String>) -> Diagnostic {
    let quoted: Vec<String> = choices.iter().map(|c| format!("\"{c}\"")).collect();
    let list = match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => quoted.join(""),
    };
    let help = match did_you_mean(got, choices) {
        Some(s) => format!("did you mean \"{s}\"?"),
        None => format!("use {list}"),
    };
    Diagnostic::error(
        format!("`{key}` must be {list}, not \"{got}\""),
        Some(at.span()),
    )
    .with_help(help)
}

fn toml_error(e: &toml::de::Error, source: &str) -> Diagnostic {
    let msg = e.message().trim().to_owned();
    let span = e.span();
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        let key = rest.split('`').next().unwrap_or("");
        // Point at the key itself where the span covers more.
        let span = span.map(|s| {
            source
                .get(s.clone())
                .and_then(|t| t.find(key).map(|i| s.start + i..s.start + i + key.len()))
                .unwrap_or(s)
        });
        let help = match did_you_mean(key, KEYS) {
            Some(k) => format!("did you mean `{k}`?"),
            None => "`exhale help config` lists the keys a config file may have".into(),
        };
        return Diagnostic::error(format!("unknown key `{key}`"), span).with_help(help);
    }
    if let Some(rest) = msg.strip_prefix("invalid type: ") {
        let key = span
            .as_ref()
            .and_then(|s| crate::format::key_of_value(source, s.start));
        if let (Some(key), Some((found, _))) = (key, rest.split_once(", expected ")) {
            let (wanted, help) = wanted(key);
            return Diagnostic::error(
                format!("`{key}` should be {wanted}, not the {}", found_words(found)),
                span,
            )
            .with_help(help);
        }
    }
    Diagnostic::error(format!("the config file cannot be read: {msg}"), span)
        .with_help("`exhale help config` shows the format")
}

/// What a config key takes, in words, and a hint showing it.
fn wanted(key: &str) -> (&'static str, &'static str) {
    match key {
        "volume" => ("a number from 0 to 1", "e.g. volume = 0.7 for 70%"),
        "voice" => (
            "a voice's name in double quotes",
            "e.g. voice = \"default\", or \"none\" for the chimes alone",
        ),
        "count" | "speak" => ("true or false", "e.g. count = true, without quotes"),
        "cue_volume" | "voice_volume" | "pacing_volume" | "bed_volume" => (
            "a number from 0 to 1",
            "e.g. bed_volume = 0.3 for 30% of the volume",
        ),
        "day_starts_at" => (
            "a whole number from 0 to 23",
            "e.g. day_starts_at = 4, without quotes",
        ),
        "settle_in" | "closing" => ("a length", LENGTH_HELP),
        "animation" => (
            "\"circle\", \"ring\" or \"bar\"",
            "write the word in double quotes, e.g. animation = \"bar\"",
        ),
        "theme" => (
            "\"default\" or \"mono\"",
            "write the word in double quotes, e.g. theme = \"mono\"",
        ),
        "default_session" => (
            "a session name in double quotes",
            "e.g. default_session = \"box\"",
        ),
        "folder" => (
            "a folder in double quotes",
            "e.g. folder = \"~/Sync/exhale\"",
        ),
        "machine" => ("a name in double quotes", "e.g. machine = \"laptop\""),
        "sound" | "journal" => (
            "a table",
            "write it as its own [section] with one key per line (see `exhale help config`)",
        ),
        _ => ("true or false", "write true or false without quotes"),
    }
}

/// serde's "string \"x\"", "integer `5`" as a person would say them.
fn found_words(found: &str) -> String {
    found
        .replace("integer", "number")
        .replace("floating point", "number")
        .replace("boolean", "value")
        .replace("sequence", "list")
        .replace("map", "table")
        .replace('`', "")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_missing_files_give_the_defaults() {
        assert_eq!(parse(""), Ok(Config::default()));
        let dir = tempfile::tempdir().expect("tempdir");
        assert_eq!(load(&dir.path().join("config.toml")), Ok(Config::default()));
    }

    #[test]
    fn every_key_is_read() {
        let src = "animation = \"bar\"\ntheme = \"mono\"\nreduced_motion = true\nshow_timings = false\nsettle_in = 10\ndefault_session = \"478\"\n[sound]\nenabled = false\nvolume = 0.5\n[journal]\ncheckins = true\nday_starts_at = 3\n";
        let c = parse(src).expect("valid");
        assert_eq!(c.animation, Animation::Bar);
        assert_eq!(c.theme, ThemeName::Mono);
        assert!(c.reduced_motion);
        assert!(!c.show_timings);
        assert_eq!(c.settle_in, Duration::from_secs(10));
        assert_eq!(c.default_session.as_deref(), Some("478"));
        assert!(!c.sound.enabled);
        assert!((c.sound.volume - 0.5).abs() < 1e-6);
        assert!(c.journal.checkins);
        assert_eq!(c.journal.day_starts_at, 3);
    }

    #[test]
    fn a_misspelt_key_is_pointed_at_with_a_suggestion() {
        let src = "theme = \"mono\"\nanimaton = \"bar\"\n";
        let d = parse(src).expect_err("invalid");
        let text = d[0].render("config.toml", src);
        assert_eq!(
            text,
            "error: unknown key `animaton`\n --> config.toml:2:1\n  |\n2 | animaton = \"bar\"\n  | ^^^^^^^^\n  = help: did you mean `animation`?\n"
        );
    }

    #[test]
    fn values_out_of_range_are_errors_with_their_place() {
        let src = "settle_in = 900\ntheme = \"mnoo\"\n[journal]\nday_starts_at = 24\n";
        let d = parse(src).expect_err("invalid");
        assert_eq!(d.len(), 3);
        assert_eq!(d[0].line_col(src), Some((1, 13)));
        assert!(d[1].message.contains("`theme`"));
        assert_eq!(d[1].help.as_deref(), Some("did you mean \"mono\"?"));
        assert_eq!(d[2].line_col(src), Some((4, 17)));
    }

    #[test]
    fn the_sync_folder_and_machine_name_are_checked_where_written() {
        let c = parse("[journal]\nfolder = \"~/Sync/exhale\"\nmachine = \"laptop\"\n").expect("ok");
        assert_eq!(c.journal.folder.as_deref(), Some("~/Sync/exhale"));
        assert_eq!(c.journal.machine.as_deref(), Some("laptop"));
        let src = "[journal]\nfolder = \"Sync\"\nmachine = \"my laptop\"\n";
        let d = parse(src).expect_err("invalid");
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].line_col(src), Some((2, 10)));
        assert!(
            d[0].message.contains("must be a full path"),
            "{}",
            d[0].message
        );
        assert_eq!(d[1].line_col(src), Some((3, 11)));
        assert!(
            d[1].message
                .starts_with("`machine`: `my laptop` is not a machine name"),
            "{}",
            d[1].message
        );
        let d = parse("[journal]\nmachine = 7\n").expect_err("type");
        assert_eq!(
            d[0].message,
            "`machine` should be a name in double quotes, not the number 7"
        );
    }

    #[test]
    fn a_wrong_type_is_an_error() {
        let d = parse("reduced_motion = \"yes\"\n").expect_err("invalid");
        assert_eq!(d[0].line_col("reduced_motion = \"yes\"\n"), Some((1, 18)));
    }

    #[test]
    fn the_closing_moment_is_a_length_up_to_a_minute() {
        assert_eq!(Config::default().closing, DEFAULT_CLOSING);
        let c = parse("closing = \"12s\"\n").expect("valid");
        assert_eq!(c.closing, Duration::from_secs(12));
        assert_eq!(
            parse("closing = 0\n").expect("valid").closing,
            Duration::ZERO
        );
        let d = parse("closing = \"2m\"\n").expect_err("too long");
        assert_eq!(d[0].message, "`closing` may be at most a minute, not 2m");
    }

    #[test]
    fn settle_in_is_a_length_as_in_a_session_file() {
        for (written, secs) in [
            ("5", 5.0),
            ("1.5", 1.5),
            ("\"5s\"", 5.0),
            ("\"0:15\"", 15.0),
            ("\"1m\"", 60.0),
        ] {
            let c = parse(&format!("settle_in = {written}\n")).expect(written);
            assert_eq!(c.settle_in, Duration::from_secs_f64(secs), "{written}");
        }
        let src = "settle_in = \"five\"\n";
        let d = parse(src).expect_err("not a length");
        assert!(
            d[0].message.starts_with("`settle_in`: "),
            "{}",
            d[0].message
        );
        assert_eq!(d[0].help.as_deref(), Some(LENGTH_HELP));
        assert_eq!(d[0].line_col(src), Some((1, 13)));
        let d = parse("settle_in = \"6m\"\n").expect_err("too long");
        assert_eq!(d[0].message, "`settle_in` may be at most 5 minutes, not 6m");
    }

    #[test]
    fn the_voice_is_one_there_is_and_counting_needs_no_quotes() {
        let c = parse("[sound]\nvoice = \"default\"\ncount = true\n").expect("valid");
        assert_eq!(c.voice.voice.as_deref(), Some("default"));
        assert_eq!(c.voice.count, Some(true));
        assert_eq!(Config::default().voice, VoiceConfig::default());
        // A user's pack is known once its folder is.
        let voices = ["default".to_owned(), "calm".to_owned()];
        let c = parse_with("[sound]\nvoice = \"calm\"\n", &voices).expect("valid");
        assert_eq!(c.voice.voice.as_deref(), Some("calm"));
        let src = "[sound]\nvoice = \"clam\"\n";
        let d = parse_with(src, &voices).expect_err("unknown voice");
        let text = d[0].render("config.toml", src);
        assert!(text.contains("config.toml:2:9"), "{text}");
        assert!(text.contains("unknown voice `clam`"), "{text}");
        assert!(text.contains("did you mean `calm`?"), "{text}");
        let d = parse("[sound]\ncount = \"yes\"\n").expect_err("not a bool");
        assert!(
            d[0].message.contains("`count` should be true or false"),
            "{}",
            d[0].message
        );
    }

    #[test]
    fn a_wrong_type_reads_like_a_session_file_error() {
        let cases = [
            (
                "[sound]\nvolume = \"x\"\n",
                "`volume` should be a number from 0 to 1, not the string \"x\"",
            ),
            (
                "reduced_motion = \"yes\"\n",
                "`reduced_motion` should be true or false, not the string \"yes\"",
            ),
            (
                "[journal]\nday_starts_at = 4.5\n",
                "`day_starts_at` should be a whole number from 0 to 23, not the number 4.5",
            ),
            (
                "theme = 1\n",
                "`theme` should be \"default\" or \"mono\", not the number 1",
            ),
            (
                "settle_in = true\n",
                "`settle_in` should be a length, not the value true",
            ),
        ];
        for (src, want) in cases {
            let d = parse(src).expect_err(src);
            assert_eq!(d[0].message, want, "{src}");
            assert!(!d[0].message.contains("f64"), "{src}");
        }
    }

    #[test]
    fn each_channel_has_its_own_volume_checked_like_the_master_volume() {
        let c = parse(
            "[sound]\ncue_volume = 0.5\nvoice_volume = 0.25\npacing_volume = 0\nbed_volume = 1.0\n",
        )
        .expect("valid");
        assert_eq!(
            c.sound.channels,
            Channels {
                cue: 0.5,
                voice: 0.25,
                pacing: 0.0,
                bed: 1.0
            }
        );
        assert!(
            (c.sound.volume - 0.7).abs() < 1e-6,
            "the master is untouched"
        );
        assert_eq!(Config::default().sound.channels, Channels::default());
        let src = "[sound]\nvolume = 0.5\nbed_volume = 1.5\n";
        let d = parse(src).expect_err("out of range");
        assert_eq!(
            d[0].message,
            "`bed_volume` must be between 0 and 1, not 1.5"
        );
        assert_eq!(d[0].line_col(src), Some((3, 14)));
        let d = parse("[sound]\npacing_volume = \"soft\"\n").expect_err("a string");
        assert_eq!(
            d[0].message,
            "`pacing_volume` should be a number from 0 to 1, not the string \"soft\""
        );
        let d = parse("[sound]\nbed_volme = 0.3\n").expect_err("misspelt");
        assert_eq!(d[0].message, "unknown key `bed_volme`");
        assert_eq!(d[0].help.as_deref(), Some("did you mean `bed_volume`?"));
    }

    #[test]
    fn the_bed_is_one_of_the_synthesised_ones_and_none_by_default() {
        assert_eq!(Config::default().sound.bed, Bed::None);
        let c = parse("[sound]\nbed = \"rain\"\n").expect("valid");
        assert_eq!(c.sound.bed, Bed::Rain);
        let src = "[sound]\nvolume = 0.5\nbed = \"ocaen\"\n";
        let d = parse(src).expect_err("misspelt");
        assert_eq!(d[0].message, "unknown bed `ocaen`");
        assert_eq!(d[0].line_col(src), Some((3, 7)));
        assert_eq!(
            d[0].help.as_deref(),
            Some("did you mean `ocean`? (\"none\" means no bed)")
        );
        let d = parse("[sound]\nbde = \"rain\"\n").expect_err("misspelt key");
        assert_eq!(d[0].help.as_deref(), Some("did you mean `bed`?"));
    }

    #[test]
    fn pacing_is_tone_noise_or_none_and_none_by_default() {
        assert_eq!(Config::default().sound.pacing, Pacing::None);
        let c = parse("[sound]\npacing = \"tone\"\n").expect("valid");
        assert_eq!(c.sound.pacing, Pacing::Tone);
        let src = "[sound]\npacing = \"tones\"\n";
        let d = parse(src).expect_err("misspelt");
        assert_eq!(d[0].message, "unknown pacing `tones`");
        assert_eq!(d[0].line_col(src), Some((2, 10)));
        assert_eq!(
            d[0].help.as_deref(),
            Some("did you mean `tone`? (\"none\" means no pacing sound)")
        );
    }

    #[test]
    fn ring_is_another_word_for_the_circle() {
        assert_eq!(
            parse("animation = \"ring\"\n").map(|c| c.animation),
            Ok(Animation::Circle)
        );
        let d = parse("animation = \"rign\"\n").expect_err("misspelt");
        assert_eq!(
            d[0].message,
            "`animation` must be \"circle\", \"ring\" or \"bar\", not \"rign\""
        );
        assert_eq!(d[0].help.as_deref(), Some("did you mean \"ring\"?"));
    }

    #[test]
    fn a_syntax_error_is_worded_as_in_a_session_file() {
        let src = "theme = mono\n";
        let d = parse(src).expect_err("not TOML");
        assert!(
            d[0].message.starts_with("TOML syntax: "),
            "{}",
            d[0].message
        );
        assert_eq!(d[0].line_col(src), Some((1, 9)));
        assert_eq!(
            d[0].help.as_deref(),
            Some("text must be in double quotes, e.g. theme = \"mono\"")
        );
    }

    #[test]
    fn nesting_past_the_parser_limit_has_a_place_and_a_hint() {
        // A key of 100 dotted parts: the parser itself gives no place.
        let parts: Vec<String> = (0..100).map(|i| format!("p{i}")).collect();
        let src = format!("theme = \"mono\"\n{} = 1\n", parts.join("."));
        let d = parse(&src).expect_err("too deep");
        assert_eq!(d.len(), 1);
        let col = src.lines().nth(1).and_then(|l| l.find("p80")).expect("p80") + 1;
        assert_eq!(d[0].line_col(&src), Some((2, col)));
        assert!(d[0].message.contains("more than 80 dotted parts"));
        assert!(d[0].help.as_deref().is_some_and(|h| h.contains("[sound]")));
        // Inline tables nested too deep.
        let src = format!("x = {}1{}\n", "{a=".repeat(100), "}".repeat(100));
        let d = parse(&src).expect_err("too deep");
        assert!(
            d[0].message.contains("nest more than 80 deep"),
            "{}",
            d[0].message
        );
        assert!(d[0].line_col(&src).is_some());
    }

    #[test]
    fn a_broken_link_in_place_of_the_file_means_the_defaults() {
        // The warning it prints is checked through the binary
        // (tests/failure_modes.rs).
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("config.toml");
        std::os::unix::fs::symlink(dir.path().join("dotfiles/exhale.toml"), &path)
            .expect("symlink");
        assert_eq!(load(&path), Ok(Config::default()));
    }

    #[test]
    fn a_folder_in_place_of_the_file_is_a_clear_error() {
        let dir = tempfile::tempdir().expect("tempdir");
        let e = load(dir.path()).expect_err("a folder");
        assert!(e.0.contains("is a folder, not a file"), "{e}");
    }
}
