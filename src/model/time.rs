//! Dates and times as content authors write them.
//!
//! `2027-03-15` is an all-day date; `2027-03-15 09:30` (or `2027-03-15T09:30`) is a local time
//! in the item's `timezone`, else the site's. Local times that do not exist (the hour skipped
//! when clocks go forward) or exist twice (the hour repeated when they go back) are refused
//! with a message, rather than silently moved: an event at a wrong hour is worse than an
//! error. The time-zone database is compiled into the binary so that every machine agrees.
//!
//! Other systems (Outlook, Google Calendar, event platforms, CRM exports) write instants with
//! a UTC offset (RFC 3339: `2027-05-12T09:00:00+02:00`, `2027-05-12T07:00:00Z`). Those are
//! exact and accepted: shown in the item's or the site's zone. An offset that zone does not
//! have at that instant is a warning (a time copied in winter for a summer event); `Z` and
//! `-00:00` say only that the local offset is unknown (RFC 9557), so they never disagree.
//! Without any zone set, an instant is shown at its own offset, and `check` suggests a zone.

use jiff::civil::{Date, DateTime};
use jiff::fmt::temporal::{Pieces, PiecesOffset};
use jiff::tz::{AmbiguousOffset, Offset, TimeZone};
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

/// The zone an item's times are in: its own `timezone`, else the site's; `chosen` when
/// either was set (else it is UTC by default).
#[derive(Debug, Clone, PartialEq)]
pub struct Zone {
    pub tz: TimeZone,
    pub chosen: bool,
}

impl Zone {
    pub fn chosen(tz: TimeZone) -> Zone {
        Zone { tz, chosen: true }
    }
}

/// A date or date-time as read, and a doubt about it worth a warning (an offset the zone does
/// not have then; no zone to show it in).
#[derive(Debug, Clone, PartialEq)]
pub struct Read<T> {
    pub value: T,
    pub doubt: Option<Refusal>,
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

/// Parses a date (all day) or a local date-time in `tz`, or an instant with a UTC offset
/// (shown in `tz`); a doubt about an offset is dropped (see [`read_when`]).
#[cfg(test)]
pub fn parse_when(value: &str, tz: &TimeZone) -> Result<When, Refusal> {
    read_when(value, &Zone::chosen(tz.clone())).map(|r| r.value)
}

/// A date for a field that holds days (deadlines, news dates): `2027-03-15`, or an instant
/// with a UTC offset as other systems export a day (`2027-03-15T23:59:00+01:00`), which is
/// its day in `zone` when one is set, else the day as written.
pub fn read_date(value: &str, zone: &Zone) -> Result<Date, Refusal> {
    let value = value.trim();
    if value.len() <= 10 || !has_offset(&value[10.min(value.len())..]) {
        return parse_date(value);
    }
    let Instant {
        at: instant,
        written,
        ..
    } = parse_instant(value)?;
    match zone.chosen {
        true => Ok(instant.to_zoned_datetime(zone.tz.clone()).date()),
        false => Ok(written.date()),
    }
}

/// Whether the part after the date of a date-time ends in a UTC offset (`Z`, `+02:00`,
/// `-0500`), or a zone in brackets that follows one.
fn has_offset(time_part: &str) -> bool {
    let time_part = time_part.split('[').next().unwrap_or_default();
    time_part.ends_with(['Z', 'z'])
        || time_part.contains('+')
        || time_part.trim_start().contains('-')
}

/// Parses a date (all day), a local date-time in `zone`, or an instant with a UTC offset,
/// shown in `zone` when one is set, else at its own offset.
pub fn read_when(value: &str, zone: &Zone) -> Result<Read<When>, Refusal> {
    let value = value.trim();
    let sure = |when: When| Read {
        value: when,
        doubt: None,
    };
    if value.len() <= 10 {
        return parse_date(value).map(When::Day).map(sure);
    }
    let Some(time_part) = value.get(10..) else {
        return Err((
            format!("`{value}` is not a date or a date and time"),
            "write `2027-03-15` for a whole day or `2027-03-15 09:30` for a time (24-hour clock)"
                .to_string(),
        ));
    };
    if has_offset(time_part) {
        return read_instant(value, zone);
    }
    let tz = &zone.tz;
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
    check_leap_second(value, time_part)?;
    let zone_name = tz.iana_name().unwrap_or("the time zone").to_string();
    let ambiguous = tz.to_ambiguous_zoned_datetime(dt);
    let at = match ambiguous.offset() {
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
    };
    at.map(sure)
}

/// The leap second `23:59:60` is read as 23:59:59 by the parser: a different time than the
/// one written, so it is refused rather than moved (calendars cannot hold it either).
fn check_leap_second(value: &str, time_part: &str) -> Result<(), Refusal> {
    match time_part
        .split(':')
        .nth(2)
        .is_some_and(|s| s.starts_with("60"))
    {
        true => Err((
            format!("`{value}` has the second 60 (a leap second)"),
            "write `23:59:59`, or the time without seconds (`23:59`)".to_string(),
        )),
        false => Ok(()),
    }
}

/// An instant written with a UTC offset, as it was written.
struct Instant {
    at: Timestamp,
    /// The local date-time as written.
    written: DateTime,
    /// The offset, when it names one (`None` for `Z` and `-00:00`: local offset unknown).
    offset: Option<Offset>,
    /// The zone in brackets after it (`[Europe/Berlin]`, RFC 9557).
    zone: Option<TimeZone>,
}

fn parse_instant(value: &str) -> Result<Instant, Refusal> {
    let not_one = || {
        (
            format!("`{value}` is not a date and time with a UTC offset"),
            "write it as other systems do, `2027-05-12T09:00:00+02:00` or `2027-05-12T07:00:00Z`, or better the local time `2027-05-12 09:00` with the place's `timezone:`".to_string(),
        )
    };
    let pieces =
        Pieces::parse(value).map_err(|_| match value.get(..10).and_then(impossible_day) {
            Some(why) => (
                format!("`{value}` is not a date and time: {why}"),
                "write a day that the month has".to_string(),
            ),
            None => not_one(),
        })?;
    let (Some(offset), Some(time)) = (pieces.offset(), pieces.time()) else {
        return Err(not_one());
    };
    check_year(value, pieces.date())?;
    check_leap_second(value, value.get(10..).unwrap_or_default())?;
    let written = pieces.date().to_datetime(time);
    let numeric = offset.to_numeric_offset();
    let instant = numeric.to_timestamp(written).map_err(|_| not_one())?;
    let known = match offset {
        PiecesOffset::Numeric(n) if !(n.is_negative() && n.offset() == Offset::UTC) => {
            Some(numeric)
        }
        _ => None,
    };
    Ok(Instant {
        at: instant,
        written,
        offset: known,
        zone: pieces.to_time_zone().ok().flatten(),
    })
}

/// An offset as RFC 3339 writes it: `+02:00`, `-05:00`, `+05:30`.
fn offset_text(offset: Offset) -> String {
    let seconds = offset.seconds();
    let sign = if seconds < 0 { '-' } else { '+' };
    let minutes = seconds.unsigned_abs() / 60;
    format!("{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

/// Zones a cluster's times are often in, for suggesting one that has a given offset.
pub(crate) const COMMON_ZONES: &[&str] = &[
    "Europe/Berlin",
    "Europe/Paris",
    "Europe/Zurich",
    "Europe/Vienna",
    "Europe/London",
    "Europe/Lisbon",
    "Europe/Warsaw",
    "Europe/Helsinki",
    "Europe/Athens",
    "Europe/Istanbul",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Shanghai",
    "Asia/Tokyo",
    "Australia/Sydney",
];

/// An instant with a UTC offset (see the module's notes), shown in `zone` when one is set,
/// else in the zone in brackets after it (`[Europe/Berlin]`, RFC 9557), else at its offset.
fn read_instant(value: &str, zone: &Zone) -> Result<Read<When>, Refusal> {
    let Instant {
        at: instant,
        written,
        offset,
        zone: bracketed,
    } = parse_instant(value)?;
    let shown_in = match (zone.chosen, bracketed) {
        (true, _) => zone.tz.clone(),
        (false, Some(tz)) => {
            return Ok(Read {
                value: When::At(instant.to_zoned_datetime(tz)),
                doubt: None,
            });
        }
        (false, None) => TimeZone::fixed(offset.unwrap_or(Offset::UTC)),
    };
    let shown = instant.to_zoned_datetime(shown_in.clone());
    let written_text = |dt: DateTime| dt.strftime("%Y-%m-%d %H:%M").to_string();
    let doubt = match (zone.chosen, offset) {
        (true, Some(offset)) => {
            let actual = shown_in.to_offset(instant);
            let name = shown_in.iana_name().unwrap_or("the item's zone");
            (actual != offset).then(|| {
                (
                    format!(
                        "`{value}` has the offset {}, but {name} is at {} then: it is shown as {} {name}",
                        offset_text(offset),
                        offset_text(actual),
                        written_text(shown.datetime())
                    ),
                    format!(
                        "if {} local time was meant, write `{}` (without an offset: local time in {name}); if the instant is right, write `{}`",
                        written_text(written),
                        written_text(written),
                        written_text(shown.datetime()),
                    ),
                )
            })
        }
        (true, None) => None,
        (false, _) => {
            let at = offset.unwrap_or(Offset::UTC);
            let fitting: Vec<&str> = (COMMON_ZONES.iter().copied())
                .filter(|name| TimeZone::get(name).is_ok_and(|tz| tz.to_offset(instant) == at))
                .take(3)
                .collect();
            let example = match fitting.is_empty() {
                true => String::new(),
                false => format!(
                    " (at {} then: e.g. {})",
                    offset_text(at),
                    fitting.join(", ")
                ),
            };
            Some((
                format!(
                    "`{value}` is shown at the offset {}, as no time zone is set",
                    offset_text(at)
                ),
                format!(
                    "set `timezone:` in cluster.yaml to the zone the times are in{example}, so that they are shown in its local time, summer and winter"
                ),
            ))
        }
    };
    Ok(Read {
        value: When::At(shown),
        doubt,
    })
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
            parse_when("2027-03-15T09:30+2", &berlin())
                .unwrap_err()
                .0
                .contains("offset")
        );
        assert!(
            parse_when("2027-02-30T09:30Z", &berlin())
                .unwrap_err()
                .0
                .contains("28 days")
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

    /// The instant of `value` read in `zone`, its local time there, and the doubt, if any.
    fn instant(value: &str, zone: &Zone) -> (String, String, Option<String>) {
        let read = read_when(value, zone).unwrap();
        let When::At(z) = read.value else {
            panic!("{value} is not a moment")
        };
        let local = z.strftime("%Y-%m-%d %H:%M %:z").to_string();
        (
            z.timestamp().to_string(),
            local,
            read.doubt.map(|d| d.0 + " / " + &d.1),
        )
    }

    #[test]
    fn instants_with_an_offset_are_exact_and_shown_in_the_zone() {
        let berlin = Zone::chosen(berlin());
        // Summer and winter, written as Outlook, Google and JavaScript write them.
        for (value, utc, local) in [
            (
                "2027-05-12T09:00:00+02:00",
                "2027-05-12T07:00:00Z",
                "2027-05-12 09:00 +02:00",
            ),
            (
                "2027-05-12T07:00:00Z",
                "2027-05-12T07:00:00Z",
                "2027-05-12 09:00 +02:00",
            ),
            (
                "2027-05-12T07:00:00.000Z",
                "2027-05-12T07:00:00Z",
                "2027-05-12 09:00 +02:00",
            ),
            (
                "2027-05-12 07:00z",
                "2027-05-12T07:00:00Z",
                "2027-05-12 09:00 +02:00",
            ),
            (
                "2027-01-12T09:00:00+0100",
                "2027-01-12T08:00:00Z",
                "2027-01-12 09:00 +01:00",
            ),
            (
                "2027-01-12T08:00:00-00:00",
                "2027-01-12T08:00:00Z",
                "2027-01-12 09:00 +01:00",
            ),
        ] {
            let (t, l, doubt) = instant(value, &berlin);
            assert_eq!(
                (t.as_str(), l.as_str(), doubt),
                (utc, local, None),
                "{value}"
            );
        }
        // Across the switch to summer time (2027-03-28, 02:00 → 03:00): one hour apart.
        let (a, ..) = instant("2027-03-28T01:30:00+01:00", &berlin);
        let (b, l, doubt) = instant("2027-03-28T03:30:00+02:00", &berlin);
        assert_eq!(
            (a.as_str(), b.as_str()),
            ("2027-03-28T00:30:00Z", "2027-03-28T01:30:00Z")
        );
        assert_eq!((l.as_str(), doubt), ("2027-03-28 03:30 +02:00", None));
        // The repeated hour in October is told apart by its offset.
        let (a, la, _) = instant("2026-10-25T02:30:00+02:00", &berlin);
        let (b, lb, _) = instant("2026-10-25T02:30:00+01:00", &berlin);
        assert_eq!(
            (a.as_str(), b.as_str()),
            ("2026-10-25T00:30:00Z", "2026-10-25T01:30:00Z")
        );
        assert_eq!(
            (la.as_str(), lb.as_str()),
            ("2026-10-25 02:30 +02:00", "2026-10-25 02:30 +01:00")
        );
    }

    #[test]
    fn an_offset_the_zone_does_not_have_then_is_a_doubt_naming_both() {
        // Winter's +01:00 for a summer event in Berlin: the instant is kept, shown at 10:00.
        let (utc, local, doubt) = instant("2027-07-01T09:00:00+01:00", &Zone::chosen(berlin()));
        assert_eq!(
            (utc.as_str(), local.as_str()),
            ("2027-07-01T08:00:00Z", "2027-07-01 10:00 +02:00")
        );
        let doubt = doubt.expect("a doubt");
        assert!(doubt.contains("has the offset +01:00, but Europe/Berlin is at +02:00 then: it is shown as 2027-07-01 10:00 Europe/Berlin"), "{doubt}");
        assert!(
            doubt.contains("write `2027-07-01 09:00` (without an offset: local time in Europe/Berlin); if the instant is right, write `2027-07-01 10:00`"),
            "{doubt}"
        );
        // A site in UTC given a Berlin time: the same kind of doubt.
        let utc_zone = Zone::chosen(TimeZone::UTC);
        assert!(instant("2027-07-01T09:00:00+02:00", &utc_zone).2.is_some());
        assert!(instant("2027-07-01T09:00:00Z", &utc_zone).2.is_none());
        // A New York export of a Berlin event: the instant kept, the offset questioned.
        let (utc, local, doubt) = instant("2027-01-12T03:00:00-05:00", &Zone::chosen(berlin()));
        assert_eq!(
            (utc.as_str(), local.as_str()),
            ("2027-01-12T08:00:00Z", "2027-01-12 09:00 +01:00")
        );
        assert!(doubt.is_some_and(|d| d.contains("-05:00") && d.contains("+01:00")));
    }

    #[test]
    fn without_a_zone_an_instant_keeps_its_offset_and_a_zone_is_suggested() {
        let none = Zone {
            tz: TimeZone::UTC,
            chosen: false,
        };
        let (utc, local, doubt) = instant("2027-07-01T09:00:00+02:00", &none);
        assert_eq!(
            (utc.as_str(), local.as_str()),
            ("2027-07-01T07:00:00Z", "2027-07-01 09:00 +02:00")
        );
        let doubt = doubt.expect("a suggestion");
        assert!(
            doubt.contains("shown at the offset +02:00, as no time zone is set"),
            "{doubt}"
        );
        assert!(
            doubt.contains("e.g. Europe/Berlin, Europe/Paris, Europe/Zurich"),
            "{doubt}"
        );
        // In winter +02:00 is Helsinki's or Athens's, not Berlin's.
        let doubt = instant("2027-01-12T09:00:00+02:00", &none)
            .2
            .unwrap_or_default();
        assert!(
            doubt.contains("Europe/Helsinki") && !doubt.contains("Berlin"),
            "{doubt}"
        );
        // A zone in brackets (RFC 9557) is the zone to show it in.
        let (_, local, doubt) = instant("2027-01-12T09:00:00+01:00[Europe/Paris]", &none);
        assert_eq!((local.as_str(), doubt), ("2027-01-12 09:00 +01:00", None));
    }

    #[test]
    fn days_written_as_instants_are_their_day_in_the_zone() {
        let berlin = Zone::chosen(berlin());
        let none = Zone {
            tz: TimeZone::UTC,
            chosen: false,
        };
        let day = |v: &str, z: &Zone| read_date(v, z).map(|d| d.to_string());
        assert_eq!(day("2027-05-12", &berlin).unwrap(), "2027-05-12");
        // Midnight in Berlin, exported in UTC, is still the 12th there.
        assert_eq!(day("2027-05-11T22:00:00Z", &berlin).unwrap(), "2027-05-12");
        assert_eq!(day("2027-05-11T22:00:00Z", &none).unwrap(), "2027-05-11");
        assert_eq!(
            day("2027-05-12T23:59:00+02:00", &none).unwrap(),
            "2027-05-12"
        );
        assert!(
            day("2027-05-32T09:00Z", &berlin)
                .unwrap_err()
                .0
                .contains("31 days")
        );
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
