//! Recurring events: the occurrences of a series.

use std::collections::{HashMap, HashSet};

use icalendar::parser::{Component, Property};
use jiff::ToSpan;
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;

use super::read::{compact_date, read_time};
use super::zones::Zones;
use super::{Imported, Request};
use crate::model::time::When;

/// A recurring event's occurrences as this import takes them.
pub(super) struct Series {
    /// The next `req.occurrences` occurrences from `req.now` on.
    pub taken: Vec<Imported>,
    /// Every day the series has an occurrence on from `req.now` to `until` (at least those
    /// of `taken`): an occurrence the site has on another day is no longer in the series.
    pub days: HashSet<Date>,
}

/// The next `req.occurrences` occurrences (from `req.now` on) of the recurring `event`, each
/// an event of its own (UID `<UID>#<date>`): the days of its RRULE and RDATEs, EXDATEs left
/// out, the occurrences changed by `changed` (VEVENTs with a RECURRENCE-ID) taken from those.
/// The days of the series are looked at up to `until` as well.
///
/// The rule is expanded by the `rrule` crate on the local times of the event's zone (as RFC
/// 5545 asks: a weekly 09:00 stays 09:00 across summer time); each local time is then placed
/// in the zone.
pub(super) fn occurrences(
    c: &Component,
    event: Imported,
    changed: &[&Component],
    read: &dyn Fn(&Component) -> Result<Imported, String>,
    zones: &Zones,
    req: &Request,
    until: Option<Date>,
) -> Result<Series, String> {
    let title = event.title.clone();
    let bad = |why: String| format!("`{title}` repeats by a rule that cannot be read ({why})");
    let (start_local, tz) = match &event.start {
        When::Day(d) => (d.to_datetime(jiff::civil::Time::midnight()), None),
        When::At(z) => (z.datetime(), Some(z.time_zone().clone())),
    };
    let length = match (&event.start, &event.end) {
        (When::At(s), Some(When::At(e))) => {
            Some(e.timestamp().as_second() - s.timestamp().as_second())
        }
        (When::Day(s), Some(When::Day(e))) => Some(i64::from((*e - *s).get_days())),
        _ => None,
    };
    // Times of the series' other properties, read in its zone.
    let floating = tz.clone().unwrap_or(TimeZone::UTC);
    let times = |name: &str| -> Vec<When> {
        (c.properties.iter())
            .filter(|p| p.name == name)
            .flat_map(|p| {
                (p.val.as_str().split(','))
                    .filter_map(|v| {
                        let one = Property {
                            name: p.name.clone(),
                            val: v.trim().into(),
                            params: p.params.clone(),
                        };
                        read_time(&one, zones, Some(&floating)).ok().map(|(w, _)| w)
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    let stamp = |local: DateTime| format!("{}Z", local.strftime("%Y%m%dT%H%M%S"));
    let mut text = format!("DTSTART:{}", stamp(start_local));
    match c.find_prop("RRULE") {
        Some(rule) => {
            text.push_str("\nRRULE:");
            text.push_str(&local_until(rule.val.as_str(), tz.as_ref()));
        }
        // Dates alone: the first occurrence is the event's start.
        None => text.push_str(&format!("\nRDATE:{}", stamp(start_local))),
    }
    let extra: Vec<String> = (times("RDATE").iter())
        .map(|w| match w {
            When::Day(d) => stamp(d.to_datetime(start_local.time())),
            When::At(_) => stamp(local_in(w, tz.as_ref())),
        })
        .collect();
    if !extra.is_empty() {
        text.push_str(&format!("\nRDATE:{}", extra.join(",")));
    }
    let set: rrule::RRuleSet = text
        .parse()
        .map_err(|e: rrule::RRuleError| bad(e.to_string()))?;
    let excluded: HashSet<Date> = (times("EXDATE").iter())
        .map(|w| day_in(w, tz.as_ref()))
        .collect();
    let by_date: HashMap<Date, &Component> = (changed.iter())
        .filter_map(|o| {
            let id = o.find_prop("RECURRENCE-ID")?;
            let (when, _) = read_time(id, zones, Some(&floating)).ok()?;
            Some((day_in(&when, tz.as_ref()), *o))
        })
        .collect();
    let mut series = Series {
        taken: Vec::new(),
        days: HashSet::new(),
    };
    // At most this many steps of the rule are looked at: a daily rule from long ago.
    for (step, at) in set.into_iter().enumerate() {
        let enough = series.taken.len() >= req.occurrences;
        if step > 20_000 {
            break;
        }
        let n = at.naive_local();
        let Ok(local) = jiff::civil::DateTime::new(
            i16::try_from(chrono::Datelike::year(&n)).unwrap_or(9999),
            chrono::Datelike::month(&n) as i8,
            chrono::Datelike::day(&n) as i8,
            chrono::Timelike::hour(&n) as i8,
            chrono::Timelike::minute(&n) as i8,
            chrono::Timelike::second(&n) as i8,
            0,
        ) else {
            continue;
        };
        let date = local.date();
        if enough && until.is_none_or(|u| date > u) {
            break;
        }
        if date < req.now || excluded.contains(&date) {
            continue;
        }
        series.days.insert(date);
        if enough {
            continue;
        }
        let uid = format!("{}#{}", event.uid, compact_date(date));
        if let Some(o) = by_date.get(&date) {
            let mut one = read(o)?;
            one.uid = uid;
            one.occurrence = true;
            series.taken.push(one);
            continue;
        }
        let (start, end) = match &tz {
            None => (
                When::Day(date),
                length
                    .and_then(|days| date.checked_add(days.days()).ok())
                    .map(When::Day),
            ),
            Some(tz) => {
                let start = tz
                    .to_ambiguous_zoned_datetime(local)
                    .compatible()
                    .map_err(|e| bad(e.to_string()))?;
                let end = length.and_then(|secs| start.checked_add(secs.seconds()).ok());
                (When::At(start), end.map(When::At))
            }
        };
        series.taken.push(Imported {
            uid,
            occurrence: true,
            start,
            end,
            ..event.clone()
        });
    }
    Ok(series)
}

/// The day a time is on in the series' zone (all-day series: its own day).
fn day_in(when: &When, tz: Option<&TimeZone>) -> Date {
    match (when, tz) {
        (When::At(z), Some(tz)) => z.with_time_zone(tz.clone()).date(),
        _ => when.date(),
    }
}

/// The local time of a time in the series' zone.
fn local_in(when: &When, tz: Option<&TimeZone>) -> DateTime {
    match (when, tz) {
        (When::At(z), Some(tz)) => z.with_time_zone(tz.clone()).datetime(),
        (When::At(z), None) => z.datetime(),
        (When::Day(d), _) => d.to_datetime(jiff::civil::Time::midnight()),
    }
}

/// An RRULE with its UNTIL, when in UTC, as the local time of the zone (the rule is expanded
/// in local time).
fn local_until(rule: &str, tz: Option<&TimeZone>) -> String {
    let parts: Vec<String> = (rule.split(';'))
        .map(|part| match part.split_once('=') {
            Some((key, value)) if key.eq_ignore_ascii_case("UNTIL") => {
                let value = value.trim();
                let local = match (value.strip_suffix('Z'), tz) {
                    (Some(utc), Some(tz)) => DateTime::strptime("%Y%m%dT%H%M%S", utc)
                        .ok()
                        .and_then(|dt| dt.to_zoned_datetime(TimeZone::UTC).ok())
                        .map(|z| z.with_time_zone(tz.clone()).datetime()),
                    (Some(utc), None) => DateTime::strptime("%Y%m%dT%H%M%S", utc).ok(),
                    (None, _) if value.len() == 8 => Date::strptime("%Y%m%d", value)
                        .ok()
                        .map(|d| d.to_datetime(jiff::civil::time(23, 59, 59, 0))),
                    (None, _) => DateTime::strptime("%Y%m%dT%H%M%S", value).ok(),
                };
                match local {
                    Some(dt) => format!("UNTIL={}Z", dt.strftime("%Y%m%dT%H%M%S")),
                    None => part.to_string(),
                }
            }
            _ => part.to_string(),
        })
        .collect();
    parts.join(";")
}
