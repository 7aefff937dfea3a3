//! Dates and times as content authors write them.
//!
//! `2027-03-15` is an all-day date; `2027-03-15 09:30` (or `2027-03-15T09:30`) is a local time
//! in the item's `timezone`, else the site's. Local times that do not exist (the hour skipped
//! when clocks go forward) or exist twice (the hour repeated when they go back) are refused
//! with a message, rather than silently moved: an event at a wrong hour is worse than an
//! error. The time-zone database is compiled into the binary so that every machine agrees.

use jiff::civil::{Date, DateTime};
use jiff::tz::{AmbiguousOffset, TimeZone};
use jiff::{Timestamp, ZonedDateTime};

use crate::text::Refusal;

/// A point in time as written: a whole day, or a moment in a time zone.
#[derive(Debug, Clone, PartialEq)]
pub enum When {
    Day(Date),
    At(ZonedDateTime),
}

impl When {
    /// The calendar date, in the zone the time was written in.
    pub fn date(&self) -> Date {
        match self {
            When::Day(d) => *d,
            When::At(z) => z.date(),
        }
    }

    /// An instant for ordering: a day counts from its start in `tz`.
    pub fn instant(&self, tz: &TimeZone) -> Timestamp {
        match self {
            When::Day(d) => d
                .to_zoned_datetime(tz.clone())
                .map(|z| z.timestamp())
                .unwrap_or(Timestamp::UNIX_EPOCH),
            When::At(z) => z.timestamp(),
        }
    }

    pub fn is_all_day(&self) -> bool {
        matches!(self, When::Day(_))
    }
}

/// A start and an optional end of the same kind (both days or both moments), end not before
/// start.
#[derive(Debug, Clone, PartialEq)]
pub struct Period {
    pub start: When,
    pub end: Option<When>,
}

impl Period {
    /// The last date the period touches, for "upcoming or past".
    pub fn last_date(&self) -> Date {
        self.end.as_ref().unwrap_or(&self.start).date()
    }
}

/// Parses `YYYY-MM-DD`.
///
/// The year must have four digits, 1000 to 9999: a cluster's events, courses and deadlines
/// are never earlier, so `0202-03-15` or `202-03-15` is a typo for 2027 or 2020, and the
/// signed six-digit years the parser also knows (`+012027-03-15`) are not dates a person
/// writes. (Calendars and file names also rely on four-digit years.)
pub fn parse_date(value: &str) -> Result<Date, Refusal> {
    let value = value.trim();
    let date = value.parse::<Date>().map_err(|_| {
        if let Some(why) = impossible_day(value) {
            return (
                format!("`{value}` is not a date: {why}"),
                "write a day that the month has, as year-month-day".to_string(),
            );
        }
        let help = if value.contains('.') || value.contains('/') {
            "write dates as year-month-day, e.g. `2027-03-15`".to_string()
        } else {
            "write a real date as year-month-day, e.g. `2027-03-15`".to_string()
        };
        (format!("`{value}` is not a date"), help)
    })?;
    check_year(value, date)?;
    Ok(date)
}

/// Why a value written as year-month-day (`2027-02-31`) is no date: the month has fewer
/// days ("February 2027 has 28 days"), or there is no such month or day. `None` when the value
/// is not of that shape.
fn impossible_day(value: &str) -> Option<String> {
    let mut parts = value.splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if !(digits(y, 4) && digits(m, 2) && digits(d, 2)) {
        return None;
    }
    let (year, month, day): (i16, i8, i8) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    if !(1..=12).contains(&month) {
        return Some(format!(
            "there is no month {month}; months run from 01 to 12"
        ));
    }
    let days = Date::new(year, month, 1).ok()?.days_in_month();
    if day == 0 || day > days {
        let name = MONTHS[usize::try_from(month - 1).ok()?];
        return Some(format!("{name} {year} has {days} days"));
    }
    None
}

fn check_year(value: &str, date: Date) -> Result<(), Refusal> {
    if (1000..=9999).contains(&date.year()) && !value.starts_with(['+', '-']) {
        return Ok(());
    }
    Err((
        format!("`{value}` is in the year {}", date.year()),
        "write the year with four digits, e.g. `2027-03-15`: years before 1000 and after 9999 are not accepted".to_string(),
    ))
}

/// Parses a date (all day) or a local date-time in `tz`.
pub fn parse_when(value: &str, tz: &TimeZone) -> Result<When, Refusal> {
    let value = value.trim();
    if value.len() <= 10 {
        return parse_date(value).map(When::Day);
    }
    let Some(time_part) = value.get(10..) else {
        return Err((
            format!("`{value}` is not a date or a date and time"),
            "write `2027-03-15` for a whole day or `2027-03-15 09:30` for a time (24-hour clock)"
                .to_string(),
        ));
    };
    if time_part.ends_with(['Z', 'z'])
        || time_part.contains('+')
        || time_part.trim_start().contains('-')
    {
        return Err((
            format!("`{value}` has a UTC offset"),
            "write the local time without an offset (`2027-03-15 09:30`) and set the place's zone with `timezone:`".to_string(),
        ));
    }
    let normalised = value.replacen(' ', "T", 1);
    let dt: DateTime = normalised.parse().map_err(|_| {
        if let Some(why) = value.get(..10).and_then(impossible_day) {
            return (
                format!("`{value}` is not a date and time: {why}"),
                "write a day that the month has, e.g. `2027-03-15 09:30`".to_string(),
            );
        }
        (
            format!("`{value}` is not a date or a date and time"),
            "write `2027-03-15` for a whole day or `2027-03-15 09:30` for a time (24-hour clock)"
                .to_string(),
        )
    })?;
    check_year(value, dt.date())?;
    // The parser reads the leap second `23:59:60` as 23:59:59: a different time than the one
    // written, so it is refused rather than moved (calendars cannot hold it either).
    if time_part
        .split(':')
        .nth(2)
        .is_some_and(|s| s.starts_with("60"))
    {
        return Err((
            format!("`{value}` has the second 60 (a leap second)"),
            "write `23:59:59`, or the time without seconds (`23:59`)".to_string(),
        ));
    }
    let zone_name = tz.iana_name().unwrap_or("the time zone").to_string();
    let ambiguous = tz.to_ambiguous_zoned_datetime(dt);
    match ambiguous.offset() {
        AmbiguousOffset::Unambiguous { .. } => ambiguous.compatible().map(When::At).map_err(|e| {
            (
                format!("`{value}` cannot be placed in {zone_name}: {e}"),
                "check the date".to_string(),
            )
        }),
        AmbiguousOffset::Gap { .. } => Err((
            format!("{value} does not exist in {zone_name}: the clocks go forward at that hour"),
            "choose a time outside the skipped hour".to_string(),
        )),
        AmbiguousOffset::Fold { .. } => Err((
            format!("{value} happens twice in {zone_name}: the clocks go back at that hour"),
            "choose a time outside the repeated hour".to_string(),
        )),
    }
}

/// Checks that an end comes after its start and is written the same way.
pub fn check_period(start: &When, end: &When) -> Result<(), Refusal> {
    match (start, end) {
        (When::Day(s), When::Day(e)) if e < s => Err((
            format!("the end {e} is before the start {s}"),
            "the end of an all-day period is its last day, on or after the start".into(),
        )),
        (When::At(s), When::At(e)) if e.timestamp() < s.timestamp() => Err((
            format!(
                "the end {} is before the start {}",
                e.datetime(),
                s.datetime()
            ),
            "check the dates and times; for an event over midnight, give the next day's date"
                .into(),
        )),
        (When::Day(_), When::At(_)) | (When::At(_), When::Day(_)) => Err((
            "start and end must both be dates or both be dates with times".into(),
            "write both like `2027-03-15`, or both like `2027-03-15 09:30`".into(),
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_impossible_day_says_how_many_days_the_month_has() {
        let (message, _) = parse_date("2027-02-31").unwrap_err();
        assert_eq!(
            message,
            "`2027-02-31` is not a date: February 2027 has 28 days"
        );
        let (message, _) = parse_date("2028-02-30").unwrap_err();
        assert!(message.ends_with("February 2028 has 29 days"), "{message}");
        let (message, _) = parse_date("2027-13-01").unwrap_err();
        assert!(
            message.ends_with("there is no month 13; months run from 01 to 12"),
            "{message}"
        );
        let (message, _) = parse_date("2027-04-00").unwrap_err();
        assert!(message.ends_with("April 2027 has 30 days"), "{message}");
        let (message, _) = parse_when("2027-02-29 09:30", &TimeZone::UTC).unwrap_err();
        assert!(message.ends_with("February 2027 has 28 days"), "{message}");
        let (message, _) = parse_date("15.03.2027").unwrap_err();
        assert_eq!(message, "`15.03.2027` is not a date");
    }

    use super::*;
    use crate::text::parse_zone;

    fn berlin() -> TimeZone {
        parse_zone("Europe/Berlin").unwrap()
    }

    #[test]
    fn dates_are_all_day_and_times_are_zoned() {
        assert_eq!(
            parse_when("2027-03-15", &berlin()).unwrap(),
            When::Day(jiff::civil::date(2027, 3, 15))
        );
        let When::At(z) = parse_when("2027-03-15 09:30", &berlin()).unwrap() else {
            panic!()
        };
        assert_eq!(
            z.timestamp().to_string(),
            "2027-03-15T08:30:00Z",
            "CET is UTC+1"
        );
        let When::At(z) = parse_when("2027-07-15T09:30", &berlin()).unwrap() else {
            panic!()
        };
        assert_eq!(
            z.timestamp().to_string(),
            "2027-07-15T07:30:00Z",
            "CEST is UTC+2"
        );
    }

    #[test]
    fn times_around_daylight_saving_changes() {
        // 2027-03-28: clocks go from 02:00 to 03:00 in Berlin.
        assert_eq!(
            match parse_when("2027-03-28 01:30", &berlin()).unwrap() {
                When::At(z) => z.timestamp().to_string(),
                _ => unreachable!(),
            },
            "2027-03-28T00:30:00Z"
        );
        assert!(
            parse_when("2027-03-28 02:30", &berlin())
                .unwrap_err()
                .0
                .contains("does not exist")
        );
        assert_eq!(
            match parse_when("2027-03-28 03:30", &berlin()).unwrap() {
                When::At(z) => z.timestamp().to_string(),
                _ => unreachable!(),
            },
            "2027-03-28T01:30:00Z"
        );
        // 2026-10-25: clocks go from 03:00 back to 02:00.
        assert!(
            parse_when("2026-10-25 02:30", &berlin())
                .unwrap_err()
                .0
                .contains("twice")
        );
        // Chicago changes on another day (2027-03-14).
        let chicago = parse_zone("America/Chicago").unwrap();
        assert!(parse_when("2027-03-14 02:30", &chicago).is_err());
        assert_eq!(
            match parse_when("2027-03-20 09:00", &chicago).unwrap() {
                When::At(z) => z.timestamp().to_string(),
                _ => unreachable!(),
            },
            "2027-03-20T14:00:00Z",
            "CDT is UTC-5"
        );
    }

    #[test]
    fn impossible_dates_and_bad_zones_are_refused() {
        assert!(parse_when("2027-02-30", &berlin()).is_err());
        assert!(
            parse_when("15.03.2027", &berlin())
                .unwrap_err()
                .1
                .contains("year-month-day")
        );
        assert!(parse_when("2027-03-15 25:00", &berlin()).is_err());
        assert!(
            parse_when("2027-03-15T09:30+02:00", &berlin())
                .unwrap_err()
                .0
                .contains("offset")
        );
        assert!(
            parse_when("2027-03-15T09:30Z", &berlin())
                .unwrap_err()
                .0
                .contains("offset")
        );
        assert_eq!(
            parse_zone("Europe/Berln").unwrap_err().1,
            "did you mean `Europe/Berlin`?"
        );
    }

    #[test]
    fn leap_seconds_early_years_and_odd_text_are_refused_not_moved() {
        let tz = berlin();
        assert!(
            parse_when("2027-06-30 23:59:60", &tz)
                .unwrap_err()
                .0
                .contains("leap second")
        );
        assert!(parse_when("2027-06-30 23:59:59", &tz).is_ok());
        for early in [
            "0999-03-15",
            "0202-03-15 10:00",
            "-002027-03-15",
            "+012027-03-15",
        ] {
            assert!(parse_when(early, &tz).is_err(), "{early}");
        }
        assert!(parse_date("0999-03-15").unwrap_err().0.contains("year 999"));
        assert!(parse_when("1000-01-01", &tz).is_ok());
        // A multi-byte character where the time would start is an error, not a panic.
        assert!(parse_when("2027-03-1é 09:00", &tz).is_err());
    }

    #[test]
    fn periods_end_after_they_start() {
        let tz = berlin();
        let p = |a: &str, b: &str| {
            check_period(&parse_when(a, &tz).unwrap(), &parse_when(b, &tz).unwrap())
        };
        assert!(p("2027-03-15", "2027-03-15").is_ok());
        assert!(p("2027-03-15", "2027-03-14").is_err());
        assert!(p("2027-03-15 10:00", "2027-03-15 09:00").is_err());
        assert!(p("2027-03-15", "2027-03-15 09:00").is_err());
    }
}
