//! The time zones of one calendar: TZIDs that name a zone (IANA, Windows, or an IANA name
//! behind a path), zones the calendar defines only by the rules of its VTIMEZONE (Outlook's
//! "Customized Time Zone"), the calendar's own zone (`X-WR-TIMEZONE`) and the site's.
//!
//! A zone defined by rules is matched to the IANA zone that keeps the same offsets and
//! switches at the same instants over the coming years (the site's zone first, then the
//! common ones, then any), so events in it are written as in a named zone. A rule no IANA
//! zone follows still gives exact instants: its events are written in the site's zone.

use std::collections::HashMap;

use icalendar::parser::{Calendar, Component};
use jiff::civil::{Date, DateTime};
use jiff::tz::{Offset, TimeZone};
use jiff::{Timestamp, ToSpan};

use super::read::text_prop;

pub(super) struct Zones {
    /// The zones VTIMEZONEs define by their rules, by TZID, or why one cannot be used.
    defined: HashMap<String, Result<TimeZone, String>>,
    /// The zone of times written without one (Google's `X-WR-TIMEZONE`).
    pub calendar: Option<TimeZone>,
    pub site: TimeZone,
    /// How defined zones were read, for the report.
    pub notes: Vec<String>,
}

impl Zones {
    pub fn new(calendar: &Calendar, site: &TimeZone, now: Date) -> Zones {
        let mut zones = Zones {
            defined: HashMap::new(),
            calendar: (calendar.properties.iter())
                .find(|p| p.name == "X-WR-TIMEZONE")
                .and_then(|p| named(p.val.as_str())),
            site: site.clone(),
            notes: Vec::new(),
        };
        for vtz in calendar.components.iter().filter(|c| c.name == "VTIMEZONE") {
            let Some(tzid) = text_prop(vtz, "TZID") else {
                continue;
            };
            if named(&tzid).is_some() || zones.defined.contains_key(&tzid) {
                continue;
            }
            let zone = by_rules(vtz).map(|(rules, summary)| {
                match same_as(&rules, site, now) {
                    Some(iana) => {
                        let name = iana.iana_name().unwrap_or_default();
                        zones.notes.push(format!(
                            "the time zone `{tzid}` ({summary}) is read as {name}, whose clocks it follows"
                        ));
                        iana
                    }
                    None => {
                        let site_name = site.iana_name().unwrap_or("UTC");
                        zones.notes.push(format!(
                            "the time zone `{tzid}` ({summary}) is no IANA zone: its events keep their instants, written in the site's zone ({site_name})"
                        ));
                        rules
                    }
                }
            });
            zones.defined.insert(tzid, zone);
        }
        zones
    }

    /// The zone a TZID names or a VTIMEZONE of the calendar defines.
    pub fn tzid(&self, tzid: &str) -> Result<TimeZone, String> {
        if let Some(tz) = named(tzid) {
            return Ok(tz);
        }
        match self.defined.get(tzid.trim().trim_matches('"')) {
            Some(Ok(tz)) => Ok(tz.clone()),
            Some(Err(why)) => Err(format!("the time zone `{tzid}` {why}")),
            None => Err(format!(
                "the time zone `{tzid}` is neither an IANA nor a Windows zone name, and the calendar does not define it (VTIMEZONE)"
            )),
        }
    }
}

/// A time zone by IANA name, Windows name (`W. Europe Standard Time`), or the path some
/// programs put before an IANA name (`/mozilla.org/20050126_1/Europe/Berlin`).
pub(super) fn named(name: &str) -> Option<TimeZone> {
    let name = name.trim().trim_matches('"');
    // Exchange online: `tzone://Microsoft/Utc`, `tzone://Microsoft/W. Europe Standard Time`.
    let name = name.strip_prefix("tzone://Microsoft/").unwrap_or(name);
    if name.eq_ignore_ascii_case("utc") {
        return Some(TimeZone::UTC);
    }
    if let Ok(tz) = TimeZone::get(name) {
        return Some(tz);
    }
    if let Some(iana) = localzone::win_zone_to_iana(name, None) {
        return TimeZone::get(iana).ok();
    }
    let parts: Vec<&str> = name.split('/').filter(|p| !p.is_empty()).collect();
    (2..=3.min(parts.len()))
        .rev()
        .find_map(|n| TimeZone::get(&parts[parts.len() - n..].join("/")).ok())
}

/// One STANDARD or DAYLIGHT part of a VTIMEZONE.
struct Observance {
    daylight: bool,
    start: DateTime,
    offset: Offset,
    /// The yearly day it begins, as POSIX writes it (`M3.5.0`: the last Sunday of March).
    day: Option<String>,
    /// It has a rule that is not a yearly day (or dates of its own).
    other_rule: bool,
}

/// The zone a VTIMEZONE's current rules give, as a POSIX zone (or a fixed offset), with
/// words for it (`UTC+01:00, summer time UTC+02:00 from the last Sunday of March`).
fn by_rules(vtz: &Component) -> Result<(TimeZone, String), String> {
    let parts: Vec<Observance> = (vtz.components.iter())
        .filter(|c| c.name == "STANDARD" || c.name == "DAYLIGHT")
        .filter_map(|c| {
            let start = text_prop(c, "DTSTART")?;
            let start = DateTime::strptime("%Y%m%dT%H%M%S", start.trim_end_matches('Z')).ok()?;
            let offset = offset_of(&text_prop(c, "TZOFFSETTO")?)?;
            let rule = text_prop(c, "RRULE");
            let day = rule.as_deref().and_then(yearly_day);
            Some(Observance {
                daylight: c.name == "DAYLIGHT",
                start,
                offset,
                other_rule: (rule.is_some() && day.is_none()) || c.find_prop("RDATE").is_some(),
                day,
            })
        })
        .collect();
    let latest = |daylight: bool| {
        (parts.iter())
            .filter(|o| o.daylight == daylight)
            .max_by_key(|o| o.start)
    };
    let Some(standard) = latest(false).or_else(|| latest(true)) else {
        return Err("is defined without rules the calendar can be read by (no STANDARD part with TZOFFSETTO)".into());
    };
    let fixed = |o: &Observance| {
        let words = format!("UTC{}", offset_words(o.offset));
        Ok((TimeZone::fixed(o.offset), words))
    };
    let Some(daylight) = latest(true).filter(|d| d.offset != standard.offset) else {
        return fixed(standard);
    };
    match (&standard.day, &daylight.day) {
        (Some(back), Some(forward)) => {
            let posix = format!(
                "STD{}DST{},{forward}/{},{back}/{}",
                posix_offset(standard.offset),
                posix_offset(daylight.offset),
                daylight.start.time().strftime("%H:%M:%S"),
                standard.start.time().strftime("%H:%M:%S"),
            );
            let tz = TimeZone::posix(&posix)
                .map_err(|e| format!("has rules that make no zone ({posix}: {e})"))?;
            let words = format!(
                "UTC{}, summer time UTC{} from {}",
                offset_words(standard.offset),
                offset_words(daylight.offset),
                day_words(forward)
            );
            Ok((tz, words))
        }
        // Summer time that ended for good: the zone keeps its standard offset.
        _ if daylight.start < standard.start && daylight.day.is_none() && !daylight.other_rule => {
            fixed(standard)
        }
        _ => Err("is defined by rules other than a yearly day (such as a list of dates); give the event an IANA zone name instead".into()),
    }
}

/// `+0100`, `-0530`, `+010000` as an offset.
fn offset_of(text: &str) -> Option<Offset> {
    let text = text.trim();
    let (sign, digits) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => (1, text),
    };
    if !(digits.len() == 4 || digits.len() == 6) || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let number = |i: usize| digits.get(i..i + 2).and_then(|d| d.parse::<i32>().ok());
    let seconds = number(0)? * 3600 + number(2)? * 60 + number(4).unwrap_or(0);
    Offset::from_seconds(sign * seconds).ok()
}

/// An offset as POSIX writes it: hours west of UTC (`-1` for UTC+01:00).
fn posix_offset(o: Offset) -> String {
    let west = -o.seconds();
    let sign = if west < 0 { "-" } else { "" };
    let west = west.abs();
    format!(
        "{sign}{}:{:02}:{:02}",
        west / 3600,
        west / 60 % 60,
        west % 60
    )
}

fn offset_words(o: Offset) -> String {
    let s = o.seconds();
    let sign = if s < 0 { '-' } else { '+' };
    format!("{sign}{:02}:{:02}", s.abs() / 3600, s.abs() / 60 % 60)
}

/// A yearly rule (`FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU`, or `BYDAY=SU;BYMONTHDAY=8,…,14`, or
/// `BYDAY=SU;BYSETPOS=-1`) as POSIX's day (`M3.5.0`), if it is one.
fn yearly_day(rule: &str) -> Option<String> {
    let mut month = None;
    let mut byday = None;
    let mut setpos = None;
    let mut monthday = None;
    for part in rule.split(';') {
        let (key, value) = part.split_once('=')?;
        match key.to_ascii_uppercase().as_str() {
            "FREQ" if value.eq_ignore_ascii_case("YEARLY") => {}
            "INTERVAL" if value == "1" => {}
            "UNTIL" | "WKST" => {}
            "BYMONTH" => month = value.parse::<u8>().ok().filter(|m| (1..=12).contains(m)),
            "BYDAY" => byday = Some(value.to_ascii_uppercase()),
            "BYSETPOS" => setpos = value.parse::<i8>().ok(),
            "BYMONTHDAY" => monthday = value.split(',').filter_map(|d| d.parse::<u8>().ok()).min(),
            _ => return None,
        }
    }
    let byday = byday?;
    let weekday = byday.trim_start_matches(['-', '+', '0', '1', '2', '3', '4', '5']);
    let number = &byday[..byday.len() - weekday.len()];
    let day = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"]
        .iter()
        .position(|d| *d == weekday)?;
    let week = match (number, setpos, monthday) {
        ("-1", None, None) | ("", Some(-1), None) => 5,
        ("", None, Some(first)) if (first - 1) % 7 == 0 && first <= 22 => (first - 1) / 7 + 1,
        (n, None, None) => n
            .trim_start_matches('+')
            .parse::<u8>()
            .ok()
            .filter(|w| (1..=4).contains(w))?,
        ("", Some(n), None) if (1..=4).contains(&n) => n as u8,
        _ => return None,
    };
    Some(format!("M{}.{week}.{day}", month?))
}

/// `M3.5.0` in words: `the last Sunday of March`.
fn day_words(day: &str) -> String {
    let mut parts = day.trim_start_matches('M').split('.');
    let mut number = || parts.next().and_then(|v| v.parse::<i8>().ok()).unwrap_or(0);
    let (month, week, weekday) = (number(), number(), number());
    let which = ["first", "second", "third", "fourth", "last"];
    // 2006-01-01 was a Sunday: its week gives the weekday's name.
    let named = |m: i8, d: i8, format: &str| {
        Date::new(2006, m, d).map_or("?".into(), |d| d.strftime(format).to_string())
    };
    format!(
        "the {} {} of {}",
        which.get((week as usize).wrapping_sub(1)).unwrap_or(&"?"),
        named(1, 1 + weekday, "%A"),
        named(month, 1, "%B")
    )
}

/// The IANA zone whose offsets are `rules`' from the start of `now`'s year for three years:
/// the site's zone if it is one, else a common zone, else (for rules with summer time, which
/// tell zones apart) any zone of the database.
fn same_as(rules: &TimeZone, site: &TimeZone, now: Date) -> Option<TimeZone> {
    let from = (Date::new(now.year(), 1, 1).ok()?)
        .to_datetime(jiff::civil::Time::midnight())
        .to_zoned_datetime(TimeZone::UTC)
        .ok()?
        .timestamp();
    let to = from.checked_add((3 * 366 * 24).hours()).ok()?;
    let changes = |tz: &TimeZone| -> Vec<(Timestamp, Offset)> {
        (tz.following(from))
            .take_while(|t| t.timestamp() < to)
            .map(|t| (t.timestamp(), t.offset()))
            .take(16)
            .collect()
    };
    let want = (rules.to_offset(from), changes(rules));
    let same = |tz: &TimeZone| (tz.to_offset(from), changes(tz)) == want;
    if site.iana_name().is_some() && same(site) {
        return Some(site.clone());
    }
    let common = crate::model::time::COMMON_ZONES.iter().copied();
    if let Some(tz) = common
        .filter_map(|n| TimeZone::get(n).ok())
        .find(|tz| same(tz))
    {
        return Some(tz);
    }
    if want.1.is_empty() {
        return None;
    }
    let mut names: Vec<String> = (jiff::tz::db().available())
        .map(|n| n.as_str().to_string())
        .filter(|n| n.contains('/') && !n.starts_with("Etc/"))
        .collect();
    names.sort();
    names
        .iter()
        .filter_map(|n| TimeZone::get(n).ok())
        .find(|tz| same(tz))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vtimezone(text: &str) -> (TimeZone, String) {
        let text = format!("BEGIN:VCALENDAR\nVERSION:2.0\n{text}\nEND:VCALENDAR\n");
        let cal = icalendar::parser::read_calendar(&text).unwrap();
        by_rules(&cal.components[0]).unwrap()
    }

    #[test]
    fn names_iana_windows_and_prefixed() {
        let name = |n: &str| named(n).and_then(|z| z.iana_name().map(str::to_string));
        assert_eq!(name("Europe/Berlin").as_deref(), Some("Europe/Berlin"));
        assert_eq!(
            name("W. Europe Standard Time").as_deref(),
            Some("Europe/Berlin")
        );
        assert_eq!(
            name("Romance Standard Time").as_deref(),
            Some("Europe/Paris")
        );
        assert_eq!(
            name("\"Central Standard Time\"").as_deref(),
            Some("America/Chicago")
        );
        assert_eq!(
            name("/mozilla.org/20050126_1/Europe/Zurich").as_deref(),
            Some("Europe/Zurich")
        );
        assert_eq!(name("tzone://Microsoft/Utc").as_deref(), Some("UTC"));
        assert_eq!(
            name("tzone://Microsoft/Romance Standard Time").as_deref(),
            Some("Europe/Paris")
        );
        assert_eq!(name("Mars/Olympus"), None);
    }

    #[test]
    fn outlook_customized_zones_follow_their_rules() {
        let (tz, words) = vtimezone(
            "BEGIN:VTIMEZONE\nTZID:Customized Time Zone\nBEGIN:STANDARD\nDTSTART:16010101T030000\nTZOFFSETFROM:+0200\nTZOFFSETTO:+0100\nRRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10\nEND:STANDARD\nBEGIN:DAYLIGHT\nDTSTART:16010101T020000\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0200\nRRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3\nEND:DAYLIGHT\nEND:VTIMEZONE",
        );
        assert_eq!(
            words,
            "UTC+01:00, summer time UTC+02:00 from the last Sunday of March"
        );
        let berlin = TimeZone::get("Europe/Berlin").unwrap();
        for (y, m, d, h) in [
            (2027, 3, 28, 1),
            (2027, 3, 28, 3),
            (2027, 10, 31, 0),
            (2027, 10, 31, 2),
            (2027, 7, 1, 12),
        ] {
            let at = jiff::civil::date(y, m, d)
                .at(h, 0, 0, 0)
                .to_zoned_datetime(TimeZone::UTC)
                .unwrap();
            assert_eq!(
                tz.to_offset(at.timestamp()),
                berlin.to_offset(at.timestamp()),
                "{at}"
            );
        }
        let now = jiff::civil::date(2027, 1, 10);
        let paris = TimeZone::get("Europe/Paris").unwrap();
        assert_eq!(
            same_as(&tz, &paris, now).unwrap().iana_name(),
            Some("Europe/Paris")
        );
        let utc = TimeZone::UTC;
        assert_eq!(
            same_as(&tz, &utc, now).unwrap().iana_name(),
            Some("Europe/Berlin")
        );

        // Southern summer time on the first Sunday of October (Sydney).
        let (sydney, _) = vtimezone(
            "BEGIN:VTIMEZONE\nTZID:Custom\nBEGIN:STANDARD\nDTSTART:16010101T030000\nTZOFFSETFROM:+1100\nTZOFFSETTO:+1000\nRRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=4\nEND:STANDARD\nBEGIN:DAYLIGHT\nDTSTART:16010101T020000\nTZOFFSETFROM:+1000\nTZOFFSETTO:+1100\nRRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=10\nEND:DAYLIGHT\nEND:VTIMEZONE",
        );
        let found = same_as(&sydney, &utc, now).unwrap();
        assert!(
            found.iana_name().unwrap().starts_with("Australia/"),
            "{found:?}"
        );

        // No summer time: a fixed offset, matched only to a common zone.
        let (india, words) = vtimezone(
            "BEGIN:VTIMEZONE\nTZID:Custom\nBEGIN:STANDARD\nDTSTART:16010101T000000\nTZOFFSETFROM:+0530\nTZOFFSETTO:+0530\nEND:STANDARD\nEND:VTIMEZONE",
        );
        assert_eq!(words, "UTC+05:30");
        assert_eq!(india.to_offset(Timestamp::UNIX_EPOCH).seconds(), 19800);
    }

    #[test]
    fn yearly_days_as_posix() {
        assert_eq!(
            yearly_day("FREQ=YEARLY;BYMONTH=3;BYDAY=2SU").as_deref(),
            Some("M3.2.0")
        );
        assert_eq!(
            yearly_day("FREQ=YEARLY;BYDAY=SU;BYMONTH=11;BYSETPOS=1").as_deref(),
            Some("M11.1.0")
        );
        assert_eq!(
            yearly_day("FREQ=YEARLY;BYDAY=SU;BYMONTHDAY=8,9,10,11,12,13,14;BYMONTH=3").as_deref(),
            Some("M3.2.0")
        );
        assert_eq!(
            yearly_day("FREQ=YEARLY;BYMONTH=4;BYDAY=-1FR").as_deref(),
            Some("M4.5.5")
        );
        assert_eq!(yearly_day("FREQ=MONTHLY;BYDAY=1SU"), None);
        assert_eq!(yearly_day("FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=21"), None);
    }
}
