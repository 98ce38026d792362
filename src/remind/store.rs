//! The reminders file, `$XDG_CONFIG_HOME/exhale/reminders.toml`: the
//! reminders the user added and the pause, if any. exhale owns it and
//! writes it whole, into a file beside it that is then renamed over it,
//! so a full disk or a crash never leaves half a list. A file that cannot
//! be read is an error naming its file, line and column (exit 1), never
//! a reason to start over silently: the timers it describes are real.

use std::io::Write as _;
use std::ops::Range;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};
use serde::Deserialize;
use toml::Spanned;

use super::{DaySet, Reminder, Via, parse_days, parse_time};
use crate::format::diagnostic::Diagnostic;
use crate::format::read::{self, Cap};

/// The file's name in the config folder.
pub const FILE_NAME: &str = "reminders.toml";

/// The most the file may hold: a few hundred bytes a reminder.
const CAP: Cap = Cap {
    bytes: 256 * 1024,
    what: "the reminders file",
    usual: "it holds a few lines for each reminder",
};

/// The most reminders there may be.
pub const MAX_REMINDERS: usize = 50;

/// What the file holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reminders {
    /// In the order they were added.
    pub list: Vec<Reminder>,
    /// Reminders say nothing until then.
    pub paused_until: Option<DateTime<FixedOffset>>,
}

impl Reminders {
    /// The number the next reminder gets: the smallest not in use.
    pub fn next_id(&self) -> u32 {
        // Among 1 to len + 1, one is always free.
        (1..=self.list.len() as u32 + 1)
            .find(|n| self.list.iter().all(|r| r.id != *n))
            .unwrap_or(1)
    }

    /// Whether reminders are paused at `now`.
    pub fn paused_at(&self, now: DateTime<FixedOffset>) -> bool {
        self.paused_until.is_some_and(|u| now < u)
    }
}

/// The reminders file in `config_dir`.
pub fn path(config_dir: &Path) -> PathBuf {
    config_dir.join(FILE_NAME)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    paused_until: Option<Spanned<String>>,
    #[serde(default)]
    reminder: Vec<RawReminder>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawReminder {
    id: Spanned<u32>,
    time: Spanned<String>,
    #[serde(default)]
    days: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    only_if_not_done: bool,
    via: Spanned<String>,
}

const HELP: &str = "this file is written by `exhale remind`: fix the line shown, or move the file away and add the reminders again";

/// Read the reminders; no file is no reminders. An error is already
/// rendered (`error: ...` and ` --> file:line:column`).
pub fn load(file: &Path) -> Result<Reminders, String> {
    let shown = file.display().to_string();
    let bytes = match read::read_capped(file, CAP) {
        Ok(b) => b,
        Err(e) if e.is_not_found() => return Ok(Reminders::default()),
        Err(e) => return Err(e.diagnostic().render(&shown, "")),
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return Err(
            Diagnostic::error("the reminders file is not UTF-8 text", None)
                .with_help(HELP)
                .render(&shown, ""),
        );
    };
    parse(&text).map_err(|d| d.render(&shown, &text))
}

fn error(message: impl Into<String>, span: Range<usize>) -> Diagnostic {
    Diagnostic::error(message, Some(span)).with_help(HELP)
}

/// Read the file's text.
pub fn parse(source: &str) -> Result<Reminders, Diagnostic> {
    let raw: Raw = toml::from_str(source)
        .map_err(|e| Diagnostic::error(e.message().trim().to_owned(), e.span()).with_help(HELP))?;
    let paused_until = match raw.paused_until {
        None => None,
        Some(p) => Some(DateTime::parse_from_rfc3339(p.get_ref()).map_err(|_| {
            error(
                format!(
                    "`{}` is not a date and time such as 2026-12-06T21:00:00+01:00",
                    p.get_ref()
                ),
                p.span(),
            )
        })?),
    };
    let mut list: Vec<Reminder> = Vec::new();
    for r in raw.reminder {
        let id = *r.id.get_ref();
        if id == 0 || list.iter().any(|o| o.id == id) {
            return Err(error(
                format!(
                    "reminder number {id} is zero or used twice; each reminder has its own number from 1"
                ),
                r.id.span(),
            ));
        }
        let at = parse_time(r.time.get_ref()).map_err(|m| error(m, r.time.span()))?;
        let days = match r.days {
            None => DaySet::every_day(),
            Some(d) if d.get_ref().is_empty() => DaySet::every_day(),
            Some(d) => parse_days(&d.get_ref().join(",")).map_err(|m| error(m, d.span()))?,
        };
        let via = match r.via.get_ref().as_str() {
            "systemd" => Via::Systemd,
            "cron" => Via::Cron,
            other => {
                return Err(error(
                    format!(
                        "`{other}` is not how a reminder goes off; write via = \"systemd\" or \"cron\""
                    ),
                    r.via.span(),
                ));
            }
        };
        list.push(Reminder {
            id,
            at,
            days,
            only_if_not_done: r.only_if_not_done,
            via,
        });
    }
    Ok(Reminders { list, paused_until })
}

/// The file's text for `reminders`.
pub fn text(reminders: &Reminders) -> String {
    let mut out = String::from(
        "# exhale's reminders, written by `exhale remind` (see docs/plans.md, \"Reminders\").\n\
         # Change them with `exhale remind add|remove|pause|resume`: the systemd timers\n\
         # are written from this list, and editing it by hand does not change them.\n",
    );
    if let Some(p) = reminders.paused_until {
        out.push_str(&format!("paused_until = \"{}\"\n", p.to_rfc3339()));
    }
    for r in &reminders.list {
        let days: Vec<String> = r.days.short().iter().map(|d| format!("\"{d}\"")).collect();
        out.push_str(&format!(
            "\n[[reminder]]\nid = {}\ntime = \"{}\"\ndays = [{}]\nonly_if_not_done = {}\nvia = \"{}\"\n",
            r.id,
            r.at,
            days.join(", "),
            r.only_if_not_done,
            r.via.word()
        ));
    }
    out
}

/// Write `content` to `target` whole: into a file beside it, then renamed
/// over it, so a failure leaves the old file as it was.
pub fn write_replacing(target: &Path, content: &str) -> Result<(), String> {
    let dir = target.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)
        .map_err(|e| format!("cannot create the folder {}: {e}", dir.display()))?;
    let name = target
        .file_name()
        .map_or_else(|| "file".into(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.{}.new", std::process::id()));
    let result = std::fs::File::create(&tmp)
        .and_then(|mut f| f.write_all(content.as_bytes()).and_then(|()| f.sync_all()))
        .and_then(|()| std::fs::rename(&tmp, target));
    result.map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        format!("cannot write {}: {e}", target.display())
    })
}

/// Write the reminders to `file`.
pub fn save(file: &Path, reminders: &Reminders) -> Result<(), String> {
    write_replacing(file, &text(reminders))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::remind::TimeOfDay;
    use chrono::Weekday;

    #[test]
    fn what_is_written_reads_back_the_same() {
        let r = Reminders {
            list: vec![
                Reminder {
                    id: 1,
                    at: TimeOfDay {
                        hour: 21,
                        minute: 0,
                    },
                    days: DaySet(vec![Weekday::Mon, Weekday::Fri]),
                    only_if_not_done: true,
                    via: Via::Systemd,
                },
                Reminder {
                    id: 3,
                    at: TimeOfDay {
                        hour: 7,
                        minute: 30,
                    },
                    days: DaySet::every_day(),
                    only_if_not_done: false,
                    via: Via::Cron,
                },
            ],
            paused_until: DateTime::parse_from_rfc3339("2026-12-06T21:00:00+01:00").ok(),
        };
        assert_eq!(parse(&text(&r)), Ok(r.clone()));
        assert_eq!(r.next_id(), 2);
        assert_eq!(parse(""), Ok(Reminders::default()));
    }

    #[test]
    fn a_bad_value_is_reported_where_it_is() {
        let src = "[[reminder]]\nid = 1\ntime = \"25:00\"\nvia = \"systemd\"\n";
        let d = parse(src).expect_err("bad time");
        assert_eq!(d.line_col(src), Some((3, 8)));
        assert!(d.message.contains("not a time of day"), "{}", d.message);
        let src = "[[reminder]]\nid = 1\ntime = \"21:00\"\nvia = \"systemd\"\nsnooze = 3\n";
        let d = parse(src).expect_err("unknown key");
        assert_eq!(d.line_col(src), Some((5, 1)));
        assert!(d.message.contains("snooze"), "{}", d.message);
    }
}
