//! Which day a session counts for. Days are the user's local days as
//! recorded with each entry (its UTC offset), starting at a set hour: with
//! the default 4 a.m., a session at 1 a.m. counts for the day before, which
//! is how people think of a late night.

use chrono::{DateTime, FixedOffset, NaiveDate, TimeDelta};

/// The journal day of a moment, for days starting at `day_starts_at`
/// o'clock (0-23; larger values are treated as 23).
pub fn journal_day(t: DateTime<FixedOffset>, day_starts_at: u8) -> NaiveDate {
    let shift = TimeDelta::hours(i64::from(day_starts_at.min(23)));
    (t.naive_local() - shift).date()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(s).expect("date")
    }

    fn date(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    #[test]
    fn one_in_the_morning_counts_for_the_day_before() {
        assert_eq!(
            journal_day(at("2026-03-10T01:00:00+01:00"), 4),
            date("2026-03-09")
        );
        assert_eq!(
            journal_day(at("2026-03-10T04:00:00+01:00"), 4),
            date("2026-03-10")
        );
        assert_eq!(
            journal_day(at("2026-03-10T03:59:59+01:00"), 4),
            date("2026-03-09")
        );
    }

    #[test]
    fn the_local_offset_not_utc_decides() {
        // 23:30 in New York is 04:30 UTC the next day; it is still the 9th.
        assert_eq!(
            journal_day(at("2026-03-09T23:30:00-05:00"), 4),
            date("2026-03-09")
        );
    }

    #[test]
    fn midnight_start_is_the_calendar_day() {
        assert_eq!(
            journal_day(at("2026-03-10T00:10:00+00:00"), 0),
            date("2026-03-10")
        );
    }
}
