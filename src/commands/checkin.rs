//! `exhale checkin`: a check-in with no session, a diary entry: the 0-10
//! feeling, the plan's (or the config's) measures, and a note, in the
//! full-screen app or, with `--plain` or without a terminal, one question
//! a line. `--at` dates it at an earlier moment; it is then marked as
//! written later wherever it is shown.

use std::io::Write as _;

use chrono::{DateTime, Days, FixedOffset, Local, NaiveDate, NaiveTime, TimeZone as _};
use clap::Args;

use crate::clock;
use crate::exit::{self, Failure, Outcome};
use crate::journal::diary::Diary;
use crate::journal::{Id, Journal as _, JournalSettings};
use crate::paths::Paths;
use crate::tty;
use crate::tui::journaling::{JournalHook, Saved};
use crate::tui::{self, App, Options};

/// Options of `exhale checkin`.
#[derive(Debug, Clone, Args)]
pub struct CheckinArgs {
    /// One question a line instead of the full-screen app (answers may be
    /// piped in, one a line).
    #[arg(long)]
    pub plain: bool,
    /// The moment it is about, when not now: HH:MM (today, or yesterday
    /// when that is still to come), "yesterday HH:MM" or "YYYY-MM-DD
    /// HH:MM". It is kept as written later.
    #[arg(long, value_name = "WHEN", value_parser = parse_at)]
    pub at: Option<At>,
}

/// A moment written on the command line, before it is put on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct At {
    /// The day: `None` for today (or yesterday if the time is to come).
    day: Option<Day>,
    time: NaiveTime,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Day {
    Yesterday,
    On(NaiveDate),
}

const AT_HELP: &str = "write --at 21:30, --at \"yesterday 21:30\" or --at \"2026-12-01 21:30\"";

/// Read `--at`.
pub fn parse_at(s: &str) -> Result<At, String> {
    let t = s.trim();
    let (day, time) = match t.rsplit_once([' ', 'T']) {
        Some((d, time)) => {
            let d = d.trim();
            let day = if d.eq_ignore_ascii_case("yesterday") {
                Day::Yesterday
            } else {
                Day::On(
                    NaiveDate::parse_from_str(d, "%Y-%m-%d")
                        .map_err(|_| format!("`{d}` is not a day; {AT_HELP}"))?,
                )
            };
            (Some(day), time)
        }
        None => (None, t),
    };
    let time = NaiveTime::parse_from_str(time.trim(), "%H:%M")
        .map_err(|_| format!("`{}` is not a time of day (HH:MM); {AT_HELP}", time.trim()))?;
    Ok(At { day, time })
}

impl At {
    /// The moment, given the time now: today's date (or yesterday's, when
    /// the time is still to come today). `Err` when it is in the future.
    pub fn resolve(self, now: DateTime<FixedOffset>) -> Result<DateTime<FixedOffset>, String> {
        let today = now.date_naive();
        let yesterday = today - Days::new(1);
        let date = match self.day {
            Some(Day::On(d)) => d,
            Some(Day::Yesterday) => yesterday,
            None if self.time <= now.time() => today,
            None => yesterday,
        };
        let naive = date.and_time(self.time);
        let at = Local
            .from_local_datetime(&naive)
            .earliest()
            .map(|t| t.fixed_offset())
            .or_else(|| now.offset().from_local_datetime(&naive).earliest())
            .ok_or_else(|| format!("{naive} is not a time that exists here"))?;
        if at > now {
            return Err(format!(
                "--at {} is still to come; a check-in is about now or an earlier moment",
                at.format("%Y-%m-%d %H:%M")
            ));
        }
        Ok(at)
    }
}

/// `exhale checkin`.
pub fn checkin(paths: &Paths, args: &CheckinArgs) -> Outcome {
    let config = crate::commands::run::load_config(paths)?;
    let store = crate::commands::journal::open_store(paths, &config)?;
    let now = clock::wall_now();
    let at = args
        .at
        .map(|a| a.resolve(now))
        .transpose()
        .map_err(Failure::usage)?;
    let asks = crate::commands::plan::asks(paths, &config, &store);
    if args.plain || !tty::can_draw() {
        return plain(&store, &asks.measures, at);
    }
    let hook = JournalHook::new(Box::new(store), JournalSettings::from(&config.journal))
        .with_questions(crate::journal::measure::Asks {
            measures: asks.measures,
            missed: Vec::new(),
        });
    let mut app = App::with_diary(hook, Options::from_config(&config, false), at);
    tui::run_app(&mut app)
        .map_err(|e| Failure::invalid(format_args!("the terminal could not be used: {e}")))?;
    let said = match &app.diary_saved {
        Some(Saved::Saved) => "Saved to your journal.",
        Some(Saved::Failed { .. }) => "",
        None => "Nothing answered, nothing written.",
    };
    if !said.is_empty() {
        let _ = writeln!(std::io::stdout().lock(), "{said}");
    }
    if let Some((location, reason)) = &app.not_saved {
        return Err(Failure::error(
            exit::NOT_SAVED,
            format_args!("the check-in could not be saved to the journal ({location}): {reason}"),
        ));
    }
    match app.ended_by {
        Some(sig) => Err(Failure::quiet(sig.exit_code())),
        None => Ok(()),
    }
}

/// The check-in in plain mode: each question on a line of its own,
/// answers read from standard input (a terminal or a pipe).
fn plain(
    store: &crate::journal::Store,
    measures: &[crate::journal::measure::Measure],
    at: Option<DateTime<FixedOffset>>,
) -> Outcome {
    let asked = crate::plain::diary::ask(measures, at);
    let Some((checkin, note)) = asked.answers else {
        return match asked.signal {
            Some(sig) => Err(Failure::quiet(sig.exit_code())),
            None => Ok(()),
        };
    };
    let now = clock::wall_now();
    let d = Diary::new(Id::new_v7(now), at.unwrap_or(now), now, checkin, note);
    let mut out = std::io::stdout().lock();
    if d.is_empty() {
        let _ = writeln!(out, "nothing answered, nothing written");
    } else {
        store.append_diary(&d).map_err(|e| {
            Failure::error(
                exit::NOT_SAVED,
                format_args!("the check-in could not be saved to the journal: {e}"),
            )
        })?;
        let _ = writeln!(out, "saved to journal");
    }
    match asked.signal {
        Some(sig) => Err(Failure::quiet(sig.exit_code())),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339("2026-12-03T08:15:00+01:00").expect("time")
    }

    #[test]
    fn at_reads_a_time_a_day_and_a_date() {
        let at = parse_at("21:30").expect("reads");
        // 21:30 is still to come this morning: it means last night.
        let got = at.resolve(now()).expect("resolves");
        assert_eq!(got.format("%Y-%m-%d %H:%M").to_string(), "2026-12-02 21:30");
        let got = parse_at("07:00")
            .expect("reads")
            .resolve(now())
            .expect("ok");
        assert_eq!(got.format("%Y-%m-%d %H:%M").to_string(), "2026-12-03 07:00");
        let got = parse_at("yesterday 07:00")
            .expect("reads")
            .resolve(now())
            .expect("ok");
        assert_eq!(got.format("%Y-%m-%d %H:%M").to_string(), "2026-12-02 07:00");
        let got = parse_at("2026-11-30 22:00")
            .expect("reads")
            .resolve(now())
            .expect("ok");
        assert_eq!(got.format("%Y-%m-%d %H:%M").to_string(), "2026-11-30 22:00");
    }

    #[test]
    fn at_refuses_what_does_not_read_and_the_future() {
        assert!(parse_at("25:00").is_err_and(|e| e.contains("not a time of day")));
        assert!(parse_at("someday 10:00").is_err_and(|e| e.contains("not a day")));
        let later = parse_at("2026-12-04 10:00").expect("reads");
        assert!(
            later
                .resolve(now())
                .is_err_and(|e| e.contains("still to come"))
        );
    }
}
