//! Recurring events: the occurrences of a series.

use std::collections::HashMap;

use icalendar::parser::{Component, Property};
use jiff::ToSpan;
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;

use super::read::{compact_date, param, read_time, zone_named};
use super::{Imported, Request};
use crate::model::time::When;

/// The next `req.occurrences` occurrences (from `req.now` on) of the recurring `event` whose
/// rule is `rule`, each an event of its own (UID `<UID>#<date>`); EXDATEs left out, the
/// occurrences changed by `changed` (VEVENTs with a RECURRENCE-ID) taken from those.
///
/// The rule is expanded by the `rrule` crate on the local times of the event's zone (as RFC
/// 5545 asks: a weekly 09:00 stays 09:00 across summer time); each local time is then placed
/// in the zone.
pub(super) fn occurrences(
    c: &Component,
    rule: &Property,
    event: Imported,
    changed: &[&Component],
    read: &dyn Fn(&Component) -> Result<Imported, String>,
    calendar_zone: Option<&TimeZone>,
    req: &Request,
) -> Result<Vec<Imported>, String> {
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
    // UNTIL, when in UTC, as the local time of the zone (the rule is expanded in local time).
    let parts: Vec<String> = (rule.val.as_str().split(';'))
        .map(|part| match part.split_once('=') {
            Some((key, value)) if key.eq_ignore_ascii_case("UNTIL") => {
                let value = value.trim();
                let local = match (value.strip_suffix('Z'), &tz) {
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
    let text = format!(
        "DTSTART:{}Z\nRRULE:{}",
        start_local.strftime("%Y%m%dT%H%M%S"),
        parts.join(";")
    );
    let set: rrule::RRuleSet = text
        .parse()
        .map_err(|e: rrule::RRuleError| bad(e.to_string()))?;
    let site_zone = tz.clone().unwrap_or(TimeZone::UTC);
    let excluded: Vec<Date> = (c.properties.iter())
        .filter(|p| p.name == "EXDATE")
        .flat_map(|p| {
            let tzid = param(p, "TZID").and_then(zone_named);
            (p.val.as_str().split(','))
                .filter_map(|v| {
                    let one = Property {
                        name: p.name.clone(),
                        val: v.trim().into(),
                        params: p.params.clone(),
                    };
                    let (when, _) =
                        read_time(&one, calendar_zone, tzid.as_ref().unwrap_or(&site_zone)).ok()?;
                    Some(match (&when, &tz) {
                        (When::At(z), Some(tz)) => z.with_time_zone(tz.clone()).date(),
                        _ => when.date(),
                    })
                })
                .collect::<Vec<_>>()
        })
        .collect();
    let by_date: HashMap<Date, &Component> = (changed.iter())
        .filter_map(|o| {
            let id = o.find_prop("RECURRENCE-ID")?;
            let (when, _) = read_time(id, calendar_zone, &site_zone).ok()?;
            let date = match (&when, &tz) {
                (When::At(z), Some(tz)) => z.with_time_zone(tz.clone()).date(),
                _ => when.date(),
            };
            Some((date, *o))
        })
        .collect();
    let mut out = Vec::new();
    // At most this many steps of the rule are looked at: a daily rule from long ago.
    for (step, at) in set.into_iter().enumerate() {
        if out.len() >= req.occurrences || step > 20_000 {
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
        if date < req.now || excluded.contains(&date) {
            continue;
        }
        let uid = format!("{}#{}", event.uid, compact_date(date));
        if let Some(o) = by_date.get(&date) {
            let mut one = read(o)?;
            one.uid = uid;
            one.occurrence = true;
            out.push(one);
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
        out.push(Imported {
            uid,
            occurrence: true,
            start,
            end,
            ..event.clone()
        });
    }
    Ok(out)
}
