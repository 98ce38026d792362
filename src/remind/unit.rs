//! The text of a reminder's systemd user units (a timer and the service
//! it starts) and of the crontab line that stands in for them where
//! there is no systemd user manager. Pure: the reminder and the path of
//! the exhale binary in, text out.

use std::path::Path;

use chrono::Weekday;

use super::{DaySet, Reminder};

/// The timer's file name: `exhale-remind-N.timer`.
pub fn timer_name(id: u32) -> String {
    format!("exhale-remind-{id}.timer")
}

/// The service's file name: `exhale-remind-N.service`.
pub fn service_name(id: u32) -> String {
    format!("exhale-remind-{id}.service")
}

/// The arguments the reminder runs exhale with.
pub fn notify_args(r: &Reminder) -> Vec<&'static str> {
    let mut args = vec!["remind", "notify"];
    if r.only_if_not_done {
        args.push("--only-if-not-done");
    }
    args
}

/// systemd's `OnCalendar=` for the reminder: `Mon,Wed,Fri *-*-* 21:00:00`,
/// or `*-*-* 21:00:00` every day.
pub fn on_calendar(r: &Reminder) -> String {
    let time = format!("*-*-* {:02}:{:02}:00", r.at.hour, r.at.minute);
    if r.days.is_every_day() {
        return time;
    }
    let days: Vec<&str> = r
        .days
        .0
        .iter()
        .map(|d| crate::plan::short_name(*d))
        .collect();
    format!("{} {time}", days.join(","))
}

/// What the reminder is, in a few words, for the units' descriptions.
fn described(r: &Reminder) -> String {
    let only = if r.only_if_not_done {
        " (quiet once today's plan is met)"
    } else {
        ""
    };
    format!(
        "exhale reminder {} at {} {}{only}",
        r.id,
        r.at,
        r.days.words()
    )
}

const HEADER: &str = "# Written by exhale (`exhale remind add`). `exhale remind list` shows the\n# reminders; `exhale remind remove {id}` disables this one and deletes its files.\n";

/// The timer unit.
pub fn timer_text(r: &Reminder) -> String {
    format!(
        "{header}\n[Unit]\nDescription={desc}\n\n[Timer]\nOnCalendar={cal}\n# A reminder missed while the computer was off is not worth giving late.\nPersistent=false\nUnit={service}\n\n[Install]\nWantedBy=timers.target\n",
        header = HEADER.replace("{id}", &r.id.to_string()),
        desc = described(r),
        cal = on_calendar(r),
        service = service_name(r.id),
    )
}

/// The service unit, which runs `exe remind notify [--only-if-not-done]`.
pub fn service_text(r: &Reminder, exe: &Path) -> String {
    let mut command = vec![exec_quote(&exe.to_string_lossy())];
    command.extend(notify_args(r).iter().map(|a| (*a).to_owned()));
    format!(
        "{header}\n[Unit]\nDescription={desc}\n\n[Service]\nType=oneshot\nExecStart={exec}\n",
        header = HEADER.replace("{id}", &r.id.to_string()),
        desc = described(r),
        exec = command.join(" "),
    )
}

/// A word for `ExecStart=`: as it is when it is plain, else in double
/// quotes; `%` (a specifier) and `$` (a variable) are doubled either way,
/// so systemd passes them on as written.
fn exec_quote(word: &str) -> String {
    let escaped = word.replace('%', "%%").replace('$', "$$");
    let plain = !escaped.is_empty()
        && escaped
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+,:@%$=".contains(c));
    if plain {
        return escaped;
    }
    let mut out = String::from("\"");
    for c in escaped.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// cron's day-of-week numbers (0 is Sunday), or `*` every day.
fn cron_days(days: &DaySet) -> String {
    if days.is_every_day() {
        return "*".into();
    }
    let mut n: Vec<u32> = days
        .0
        .iter()
        .map(|d| match d {
            Weekday::Sun => 0,
            d => d.number_from_monday(),
        })
        .collect();
    n.sort_unstable();
    let n: Vec<String> = n.iter().map(ToString::to_string).collect();
    n.join(",")
}

/// The crontab line: `MM HH * * DOW /path/exhale remind notify ...`.
pub fn crontab_line(r: &Reminder, exe: &Path) -> String {
    let mut command = vec![shell_quote(&exe.to_string_lossy())];
    command.extend(notify_args(r).iter().map(|a| (*a).to_owned()));
    format!(
        "{} {} * * {} {}",
        r.at.minute,
        r.at.hour,
        cron_days(&r.days),
        command.join(" ")
    )
}

/// A word for a crontab command (run by `sh`): as it is when plain, else
/// in single quotes. cron itself turns `%` into a new line, so it is
/// escaped.
fn shell_quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._-+,:@=".contains(c));
    let quoted = if plain {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', "'\\''"))
    };
    quoted.replace('%', "\\%")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::remind::{TimeOfDay, Via};

    fn reminder(days: DaySet, only: bool) -> Reminder {
        Reminder {
            id: 2,
            at: TimeOfDay { hour: 7, minute: 5 },
            days,
            only_if_not_done: only,
            via: Via::Systemd,
        }
    }

    #[test]
    fn the_calendar_and_the_crontab_name_the_same_days() {
        let r = reminder(DaySet(vec![Weekday::Mon, Weekday::Wed, Weekday::Sun]), true);
        assert_eq!(on_calendar(&r), "Mon,Wed,Sun *-*-* 07:05:00");
        assert_eq!(
            crontab_line(&r, Path::new("/usr/bin/exhale")),
            "5 7 * * 0,1,3 /usr/bin/exhale remind notify --only-if-not-done"
        );
        let every = reminder(DaySet::every_day(), false);
        assert_eq!(on_calendar(&every), "*-*-* 07:05:00");
        assert_eq!(
            crontab_line(&every, Path::new("/opt/my apps/exhale%1")),
            "5 7 * * * '/opt/my apps/exhale\\%1' remind notify"
        );
    }

    #[test]
    fn an_unusual_binary_path_is_quoted_for_systemd() {
        assert_eq!(exec_quote("/usr/bin/exhale"), "/usr/bin/exhale");
        assert_eq!(exec_quote("/home/a b/exhale"), "\"/home/a b/exhale\"");
        assert_eq!(exec_quote("/x/100%/$HOME"), "/x/100%%/$$HOME");
        assert_eq!(exec_quote("/x/\"q\""), "\"/x/\\\"q\\\"\"");
    }
}
