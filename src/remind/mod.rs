//! Reminders: a gentle word at a set time of day about what the plan has
//! for today (docs/plans.md, "Reminders"). They are off until the user
//! adds one with `exhale remind add`.
//!
//! - [`store`]: the list of reminders and the pause, in
//!   `$XDG_CONFIG_HOME/exhale/reminders.toml`, a file exhale owns and
//!   writes whole (to a file beside it, then renamed).
//! - [`unit`]: the text of a reminder's systemd user timer and service,
//!   and the crontab line for a computer without a systemd user manager:
//!   pure functions.
//! - [`service`]: systemd's user manager behind the [`service::ServiceManager`]
//!   trait (the real `systemctl --user`, and a fake that records calls),
//!   and installing or removing a reminder's units through it.
//! - [`notice`]: what a reminder says when it goes off, from the plan,
//!   the sessions practised and today's date: a pure function, which also
//!   decides when it says nothing (paused, or today's plan met).
//! - [`notifier`]: the desktop notification behind the
//!   [`notifier::Notifier`] trait (`notify-rust` over D-Bus, and a fake).
//!
//! A service: it reads the plan's rules from `plan` and files through
//! `format`'s reader; `commands::remind` puts it together and prints.

pub mod notice;
pub mod notifier;
pub mod service;
pub mod store;
pub mod unit;

use std::fmt;

use chrono::{TimeDelta, Weekday};

use crate::format::diagnostic::did_you_mean;
use crate::plan::WEEKDAYS;

/// A time of day, to the minute, in the computer's local time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct TimeOfDay {
    /// 0 to 23.
    pub hour: u8,
    /// 0 to 59.
    pub minute: u8,
}

impl fmt::Display for TimeOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.hour, self.minute)
    }
}

/// The weekdays a reminder goes off on, Monday first, each once; none
/// means every day.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DaySet(pub Vec<Weekday>);

impl DaySet {
    /// Every day.
    pub fn every_day() -> Self {
        Self(Vec::new())
    }

    /// Whether the reminder goes off every day.
    pub fn is_every_day(&self) -> bool {
        self.0.is_empty()
    }

    /// The days in words: "every day", "Mon, Wed and Fri".
    pub fn words(&self) -> String {
        let names: Vec<&str> = self.0.iter().map(|d| crate::plan::short_name(*d)).collect();
        if names.is_empty() {
            return "every day".into();
        }
        format!("on {}", crate::text::and_list(&names))
    }

    /// The days as the store and `--days` write them: "mon,wed,fri", or
    /// "daily".
    pub fn short(&self) -> Vec<&'static str> {
        self.0.iter().map(|d| WEEKDAYS[day_index(*d)].0).collect()
    }
}

fn day_index(d: Weekday) -> usize {
    d.num_days_from_monday() as usize
}

/// One reminder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reminder {
    /// Its number, from 1: what `exhale remind remove N` takes, and part
    /// of its units' names.
    pub id: u32,
    /// When it goes off.
    pub at: TimeOfDay,
    /// On which days.
    pub days: DaySet,
    /// Say nothing when today's plan is already met.
    pub only_if_not_done: bool,
    /// How it is set to go off.
    pub via: Via,
}

/// What makes a reminder go off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// A systemd user timer that exhale wrote and enabled.
    Systemd,
    /// A crontab line that exhale printed for the user to add.
    Cron,
}

impl Via {
    /// As the store writes it.
    pub fn word(self) -> &'static str {
        match self {
            Via::Systemd => "systemd",
            Via::Cron => "cron",
        }
    }
}

/// What `exhale remind pause` was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pause {
    /// Resume now.
    Off,
    /// Pause for this long from now.
    For(TimeDelta),
}

/// The longest pause: a year (longer is "remove it").
pub const MAX_PAUSE_DAYS: i64 = 366;

/// Parse a time of day: `21:00`, `7:30`, `07:05`.
pub fn parse_time(s: &str) -> Result<TimeOfDay, String> {
    let bad = || {
        format!(
            "`{s}` is not a time of day; write it as HH:MM on a 24-hour clock, e.g. 21:00 or 7:30"
        )
    };
    let (h, m) = s.trim().split_once(':').ok_or_else(bad)?;
    let digits = |t: &str, most: usize| {
        !t.is_empty() && t.len() <= most && t.bytes().all(|b| b.is_ascii_digit())
    };
    if !(digits(h, 2) && m.len() == 2 && digits(m, 2)) {
        return Err(bad());
    }
    let (hour, minute): (u8, u8) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if hour > 23 || minute > 59 {
        return Err(format!(
            "`{s}` is not a time of day: hours go from 0 to 23 and minutes from 0 to 59"
        ));
    }
    Ok(TimeOfDay { hour, minute })
}

/// Parse the days of `--days`: `mon,wed,fri` (short or long names, any
/// case), `daily`, `weekdays` or `weekends`.
pub fn parse_days(s: &str) -> Result<DaySet, String> {
    let all = s.trim().to_ascii_lowercase();
    match all.as_str() {
        "daily" | "every-day" | "everyday" => return Ok(DaySet::every_day()),
        "weekdays" => {
            return Ok(DaySet(vec![
                Weekday::Mon,
                Weekday::Tue,
                Weekday::Wed,
                Weekday::Thu,
                Weekday::Fri,
            ]));
        }
        "weekends" => return Ok(DaySet(vec![Weekday::Sat, Weekday::Sun])),
        _ => {}
    }
    let mut seen = [false; 7];
    for word in all.split(',').map(str::trim) {
        if word.is_empty() {
            return Err(format!(
                "`{s}` has an empty day; write days as mon,wed,fri (or daily, weekdays, weekends)"
            ));
        }
        let Some((_, _, d)) = WEEKDAYS.iter().find(|(a, b, _)| *a == word || *b == word) else {
            let names: Vec<&str> = WEEKDAYS.iter().flat_map(|(a, b, _)| [*a, *b]).collect();
            let hint = did_you_mean(word, &names)
                .map(|m| format!(" (did you mean `{m}`?)"))
                .unwrap_or_default();
            return Err(format!(
                "`{word}` is not a day{hint}; write days as mon,wed,fri (or daily, weekdays, weekends)"
            ));
        };
        if seen[day_index(*d)] {
            return Err(format!(
                "`{word}` is named twice in `{s}`; name each day once"
            ));
        }
        seen[day_index(*d)] = true;
    }
    if seen.iter().all(|s| *s) {
        return Ok(DaySet::every_day());
    }
    Ok(DaySet(
        WEEKDAYS
            .iter()
            .filter(|(_, _, d)| seen[day_index(*d)])
            .map(|(_, _, d)| *d)
            .collect(),
    ))
}

/// Parse how long to pause: `3d`, `12h`, `1w`, `90m`, `2d12h`; `off` to
/// resume.
pub fn parse_pause(s: &str) -> Result<Pause, String> {
    let text = s.trim().to_ascii_lowercase();
    if matches!(text.as_str(), "off" | "no" | "none" | "0") {
        return Ok(Pause::Off);
    }
    let bad = || {
        format!(
            "`{s}` is not a length of time; write it as a number and a unit: 3d (days), 12h (hours), 1w (weeks), 90m (minutes), or `off` to resume"
        )
    };
    let mut total = TimeDelta::zero();
    let mut number = String::new();
    let mut any = false;
    for c in text.chars() {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        if number.is_empty() || number.len() > 6 {
            return Err(bad());
        }
        let n: i64 = number.parse().map_err(|_| bad())?;
        number.clear();
        let part = match c {
            'm' => TimeDelta::minutes(n),
            'h' => TimeDelta::hours(n),
            'd' => TimeDelta::days(n),
            'w' => TimeDelta::weeks(n),
            _ => return Err(bad()),
        };
        total += part;
        any = true;
    }
    if !number.is_empty() || !any {
        return Err(bad());
    }
    if total <= TimeDelta::zero() {
        return Err(format!(
            "`{s}` is no time at all; give a pause longer than 0, or `off` to resume"
        ));
    }
    if total > TimeDelta::days(MAX_PAUSE_DAYS) {
        return Err(format!(
            "`{s}` is longer than a year; for longer, `exhale remind remove N` takes a reminder away"
        ));
    }
    Ok(Pause::For(total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_hh_mm_on_a_24_hour_clock() {
        assert_eq!(
            parse_time("21:00"),
            Ok(TimeOfDay {
                hour: 21,
                minute: 0
            })
        );
        assert_eq!(
            parse_time("7:05").map(|t| t.to_string()),
            Ok("07:05".into())
        );
        for bad in [
            "24:00", "21:60", "21", "9pm", "21:0", ":30", "-1:00", "021:00", "",
        ] {
            let e = parse_time(bad).expect_err(bad);
            assert!(e.contains("not a time of day"), "{bad}: {e}");
        }
    }

    #[test]
    fn days_are_named_once_with_a_suggestion_for_a_near_miss() {
        assert_eq!(
            parse_days("mon,WED, fri"),
            Ok(DaySet(vec![Weekday::Mon, Weekday::Wed, Weekday::Fri]))
        );
        assert_eq!(
            parse_days("sunday,saturday").map(|d| d.words()),
            Ok("on Sat and Sun".into())
        );
        assert_eq!(parse_days("daily"), Ok(DaySet::every_day()));
        assert_eq!(
            parse_days("mon,tue,wed,thu,fri,sat,sun"),
            Ok(DaySet::every_day())
        );
        assert_eq!(parse_days("weekdays").map(|d| d.0.len()), Ok(5));
        let e = parse_days("mon,wendesday").expect_err("typo");
        assert!(e.contains("did you mean `wednesday`"), "{e}");
        assert!(parse_days("mon,mon").expect_err("twice").contains("twice"));
        assert!(parse_days("mon,,fri").is_err());
    }

    #[test]
    fn pauses_are_a_number_and_a_unit_up_to_a_year() {
        assert_eq!(parse_pause("3d"), Ok(Pause::For(TimeDelta::days(3))));
        assert_eq!(parse_pause("2d12h"), Ok(Pause::For(TimeDelta::hours(60))));
        assert_eq!(parse_pause("1W"), Ok(Pause::For(TimeDelta::weeks(1))));
        assert_eq!(parse_pause("off"), Ok(Pause::Off));
        for bad in ["3", "d", "3x", "3 days", "", "999999999d", "-3d"] {
            assert!(parse_pause(bad).is_err(), "{bad}");
        }
        assert!(parse_pause("0d").expect_err("zero").contains("no time"));
        assert!(parse_pause("400d").expect_err("long").contains("a year"));
    }
}
