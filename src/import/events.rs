//! `import events`: events from an iCalendar file (Outlook, Google Calendar, Thunderbird, an
//! event platform, or a clusterpress site's own `events.ics`) into `content/events/`.
//!
//! Each VEVENT becomes one event file: its title, start and end in the event's zone (TZID as
//! an IANA name, a Windows name mapped through CLDR, or UTC shown in the site's zone), all-day
//! events as dates with the inclusive end, the location, the description as the body, the
//! URL as the registration link, a category that names a kind as the kind, `STATUS:CANCELLED`
//! as cancelled. The UID is kept (`extra.ical_uid`), so importing the calendar again updates
//! the same files; a clusterpress site's own UIDs (`event-<slug>@host`) name their file.
//!
//! The rules are the member import's: only fields that differ from what the site says are
//! written, into the front matter as text (comments and other fields kept), files replaced
//! atomically, nothing written with `dry_run`, a bad event reported with its number and the
//! others imported. The body is replaced only if nobody edited it since the last import
//! (`extra.ical_body` holds a hash of the body as imported).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use icalendar::parser::{Component, Property};
use jiff::ToSpan;
use jiff::civil::{Date, DateTime};
use jiff::tz::{AmbiguousOffset, TimeZone};

use super::merge::{FrontMatter, quote};
use super::{Change, Failure, Report, check_yaml, spelled_out, write_all};
use crate::model::event::{Event, EventKind, EventStatus};
use crate::model::time::When;
use crate::model::{Entry, Site};

/// What to import, from where, into which site.
#[derive(Debug, Clone)]
pub struct Request {
    pub file: PathBuf,
    pub site: PathBuf,
    pub dry_run: bool,
    /// The kind of events whose categories name none.
    pub kind: EventKind,
    /// How many occurrences of a recurring event are imported, from `now` on.
    pub occurrences: usize,
    pub now: Date,
}

/// Where an event is, as far as the calendar says.
#[derive(Debug, Clone, Default, PartialEq)]
struct Where {
    venue: Option<String>,
    address: Option<String>,
    postcode: Option<String>,
    city: Option<String>,
    /// ISO code.
    country: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
}

/// One event as the calendar has it, in the site's terms.
#[derive(Debug, Clone, PartialEq)]
struct Imported {
    uid: String,
    /// One occurrence of a recurring event: its file is named with its date.
    occurrence: bool,
    title: String,
    start: When,
    end: Option<When>,
    /// The zone to write times in, when not the site's.
    zone: Option<String>,
    status: EventStatus,
    /// The kind its categories name.
    kind: Option<EventKind>,
    /// The kind of a new event: its categories', its title's, or the default.
    new_kind: EventKind,
    place: Where,
    online: Option<String>,
    url: Option<String>,
    body: String,
}

/// Imports the events of `req.file` into the site `req.site`.
pub fn import_events(req: &Request) -> Result<Report, Failure> {
    let bytes = std::fs::read(&req.file)
        .map_err(|e| Failure::Usage(format!("cannot read `{}`: {e}", req.file.display())))?;
    let text = super::sheet::decode(&bytes);
    let unfolded = icalendar::parser::unfold(&text.replace("\r\n", "\n"));
    let calendar = icalendar::parser::read_calendar(&unfolded).map_err(|e| {
        Failure::Usage(format!(
            "`{}` is not an iCalendar file ({})",
            req.file.display(),
            e.lines()
                .next()
                .unwrap_or_default()
                .trim_start_matches("error: ")
        ))
    })?;
    let events: Vec<&Component> = (calendar.components.iter())
        .filter(|c| c.name == "VEVENT")
        .collect();
    if events.is_empty() {
        return Err(Failure::Usage(format!(
            "`{}` has no events (VEVENT)",
            req.file.display()
        )));
    }
    let prop = |name: &str| {
        (calendar.properties.iter())
            .find(|p| p.name == name)
            .map(|p| p.val.as_str().to_string())
    };
    let ours = prop("PRODID").is_some_and(|p| p.contains("//clusterpress//"));
    // Google names the calendar's zone, for times written without one.
    let calendar_zone = prop("X-WR-TIMEZONE").and_then(|z| zone_named(&z));

    let loaded = super::load_site(&req.site, req.now)?;
    let site = &loaded.site;
    let mut run = Run::new(site, req);
    let mut sessions = 0;
    for (i, component) in events.iter().enumerate() {
        let number = i + 1;
        run.report.rows += 1;
        let uid = text_prop(component, "UID").unwrap_or_default();
        if ours && uid.starts_with("course-") {
            // A training session of a clusterpress site: training, not an event.
            sessions += 1;
            run.report.rows -= 1;
            continue;
        }
        // A changed occurrence of a recurring event is imported with that event.
        if component.find_prop("RECURRENCE-ID").is_some()
            && events.iter().any(|e| {
                e.find_prop("RRULE").is_some()
                    && text_prop(e, "UID").as_deref() == Some(uid.as_str())
            })
        {
            run.report.rows -= 1;
            continue;
        }
        let read = |c: &Component| read_event(c, site, ours, calendar_zone.as_ref(), req.kind);
        match read(component).and_then(|event| {
            match component.find_prop("RRULE") {
                None => match component.find_prop("RECURRENCE-ID") {
                    // An occurrence whose series is not in the file: an event of its own.
                    Some(id) => {
                        let (when, _) = read_time(id, calendar_zone.as_ref(), &site.config.zone)?;
                        Ok(vec![Imported {
                            uid: format!("{}#{}", event.uid, compact_date(when.date())),
                            occurrence: true,
                            ..event
                        }])
                    }
                    None => Ok(vec![event]),
                },
                Some(rule) => {
                    let changed: Vec<&Component> = (events.iter().copied())
                        .filter(|e| {
                            e.find_prop("RECURRENCE-ID").is_some()
                                && text_prop(e, "UID").as_deref() == Some(uid.as_str())
                        })
                        .collect();
                    occurrences(
                        component,
                        rule,
                        event,
                        &changed,
                        &read,
                        calendar_zone.as_ref(),
                        req,
                    )
                }
            }
        }) {
            Ok(list) => {
                for event in list {
                    run.event(number, event);
                }
            }
            Err(why) => run.reject(number, why),
        }
    }
    if sessions > 0 {
        let s = if sessions == 1 { "" } else { "s" };
        run.report.warnings.push(format!(
            "{sessions} course session{s} left out: they are the site's training, not events"
        ));
    }
    if !req.dry_run {
        write_all(&run.writes).map_err(Failure::Usage)?;
    }
    Ok(run.report)
}

/// A time zone by IANA name, Windows name (`W. Europe Standard Time`), or the path some
/// programs put before an IANA name (`/mozilla.org/20050126_1/Europe/Berlin`).
fn zone_named(name: &str) -> Option<TimeZone> {
    let name = name.trim().trim_matches('"');
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

/// A TEXT property, unescaped, without the control characters a site refuses (a calendar
/// may hold them; a content file may not).
fn text_prop(c: &Component, name: &str) -> Option<String> {
    let p = c.find_prop(name)?;
    let text: String = (p.val.clone().unescape_text().as_str().chars())
        .map(|ch| if ch == '\t' { ' ' } else { ch })
        .filter(|ch| !crate::diag::is_refused_char(*ch))
        .collect();
    let text = text.trim().to_string();
    (!text.is_empty()).then_some(text)
}

fn param<'a>(p: &'a Property, key: &str) -> Option<&'a str> {
    (p.params.iter())
        .find(|x| x.key.as_str().eq_ignore_ascii_case(key))
        .and_then(|x| x.val.as_ref().map(|v| v.as_str()))
}

/// A DTSTART or DTEND: a day, or an instant with the zone it was written in (`None` for
/// UTC and floating times that had no zone).
fn read_time(
    p: &Property,
    calendar_zone: Option<&TimeZone>,
    site_zone: &TimeZone,
) -> Result<(When, Option<TimeZone>), String> {
    let value = p.val.as_str().trim();
    let name = p.name.as_str();
    if param(p, "VALUE").is_some_and(|v| v.eq_ignore_ascii_case("DATE")) || value.len() == 8 {
        return Date::strptime("%Y%m%d", value)
            .map(When::Day)
            .map(|d| (d, None))
            .map_err(|_| format!("{name} `{value}` is not a date"));
    }
    let (local, utc) = match value.strip_suffix(['Z', 'z']) {
        Some(v) => (v, true),
        None => (value, false),
    };
    let dt = DateTime::strptime("%Y%m%dT%H%M%S", local)
        .map_err(|_| format!("{name} `{value}` is not a date and time"))?;
    if utc {
        let instant = dt
            .to_zoned_datetime(TimeZone::UTC)
            .map_err(|e| format!("{name} `{value}`: {e}"))?;
        return Ok((When::At(instant), None));
    }
    let zone = match param(p, "TZID") {
        Some(tzid) => Some(zone_named(tzid).ok_or_else(|| {
            format!("{name} has the time zone `{tzid}`, which is neither an IANA nor a Windows zone name")
        })?),
        None => calendar_zone.cloned(),
    };
    let tz = zone.clone().unwrap_or_else(|| site_zone.clone());
    // A repeated hour (clocks going back) is taken at its first pass, as RFC 5545 says.
    let instant = tz
        .to_ambiguous_zoned_datetime(dt)
        .compatible()
        .map_err(|e| format!("{name} `{value}`: {e}"))?;
    Ok((When::At(instant), zone))
}

/// A DURATION (`PT1H30M`, `P1D`, `P1W`): the end it gives from `start`.
fn add_duration(start: &When, value: &str) -> Option<When> {
    let v = value.trim().strip_prefix('+').unwrap_or(value.trim());
    let v = v.strip_prefix('P')?;
    let (days_part, time_part) = v.split_once('T').unwrap_or((v, ""));
    let number = |s: &str, unit: char| -> Option<i64> {
        let i = s.find(unit)?;
        let digits = &s[..i];
        let start = digits
            .rfind(|c: char| !c.is_ascii_digit())
            .map_or(0, |k| k + 1);
        digits[start..].parse().ok()
    };
    let days = number(days_part, 'W').unwrap_or(0) * 7 + number(days_part, 'D').unwrap_or(0);
    let seconds = number(time_part, 'H').unwrap_or(0) * 3600
        + number(time_part, 'M').unwrap_or(0) * 60
        + number(time_part, 'S').unwrap_or(0);
    match start {
        When::Day(d) => d.checked_add((days - 1).max(0).days()).ok().map(When::Day),
        When::At(z) => z
            .checked_add(days.days())
            .and_then(|z| z.checked_add(seconds.seconds()))
            .ok()
            .map(When::At),
    }
}

/// The kind a category names: its key (`trade-show`), its English label, or the site's word.
fn kind_of(category: &str, site: &Site) -> Option<EventKind> {
    let key = super::values::key(category);
    EventKind::ALL.into_iter().find(|k| {
        let word = crate::render::items::word(site, &format!("events.kinds.{}", k.key()));
        [k.key(), k.label(), word.as_str()]
            .iter()
            .any(|name| super::values::key(name) == key)
    })
}

fn read_event(
    c: &Component,
    site: &Site,
    ours: bool,
    calendar_zone: Option<&TimeZone>,
    default_kind: EventKind,
) -> Result<Imported, String> {
    let title = text_prop(c, "SUMMARY").ok_or("it has no title (SUMMARY)")?;
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    let uid = text_prop(c, "UID").ok_or_else(|| format!("`{title}` has no UID"))?;
    let site_zone = &site.config.zone;
    let start_prop = c
        .find_prop("DTSTART")
        .ok_or_else(|| format!("`{title}` has no start (DTSTART)"))?;
    let (start, zone) = read_time(start_prop, calendar_zone, site_zone)?;
    // clusterpress writes times in UTC and names the event's own zone beside them.
    // Google shows UTC times in the calendar's zone.
    let zone = zone
        .or_else(|| text_prop(c, "X-CLUSTERPRESS-TZID").and_then(|z| zone_named(&z)))
        .or_else(|| calendar_zone.filter(|_| !start.is_all_day()).cloned());
    let end = match (c.find_prop("DTEND"), c.find_prop("DURATION")) {
        (Some(p), _) => Some(read_time(p, calendar_zone, site_zone)?.0),
        (None, Some(d)) => Some(
            add_duration(&start, d.val.as_str())
                .ok_or_else(|| format!("DURATION `{}` is not a duration", d.val.as_str()))?,
        ),
        (None, None) => None,
    };
    // All-day ends are exclusive in iCalendar and inclusive in clusterpress.
    let end = match (&start, end) {
        (When::Day(s), Some(When::Day(e))) => {
            let last = e.yesterday().unwrap_or(e);
            (last > *s).then_some(When::Day(last))
        }
        (When::At(s), Some(When::At(e))) => (e.timestamp() > s.timestamp()).then_some(When::At(e)),
        (_, Some(_)) => {
            return Err(format!(
                "`{title}` starts on a day but ends at a time (or the other way round)"
            ));
        }
        (_, None) => None,
    };
    // Times are written in their own zone when it is not the site's; UTC times in the
    // site's.
    let zone = zone.filter(|z| z.iana_name() != site_zone.iana_name() || !site.config.zone_chosen);
    let zone_name = zone
        .as_ref()
        .and_then(|z| z.iana_name().map(str::to_string));
    let in_zone = |w: When| match (w, &zone) {
        (When::At(z), Some(tz)) => When::At(z.with_time_zone(tz.clone())),
        (When::At(z), None) => When::At(z.with_time_zone(site_zone.clone())),
        (day, _) => day,
    };
    let (start, end) = (in_zone(start), end.map(in_zone));

    let status = match text_prop(c, "STATUS")
        .as_deref()
        .map(str::to_ascii_uppercase)
    {
        Some(s) if s == "CANCELLED" => EventStatus::Cancelled,
        // clusterpress writes a postponed event as tentative.
        Some(s) if s == "TENTATIVE" && ours => EventStatus::Postponed,
        _ => EventStatus::Scheduled,
    };
    let kind = (c.properties.iter())
        .filter(|p| p.name == "CATEGORIES")
        .flat_map(|p| {
            let text = p.val.clone().unescape_text().as_str().to_string();
            split_list(&text)
        })
        .find_map(|category| kind_of(&category, site));
    // For a new event without one: a kind the title names (`Webinar on …`), else the default.
    // Neither changes the kind of an event already on the site.
    let new_kind = kind
        .or_else(|| {
            title
                .split_whitespace()
                .find_map(|word| kind_of(word, site))
        })
        .unwrap_or(default_kind);

    let url = text_prop(c, "URL").filter(|u| u.starts_with("https://") || u.starts_with("http://"));
    let mut body = text_prop(c, "DESCRIPTION").unwrap_or_default();
    // clusterpress (and others) end the description with the event's address on a line of
    // its own; one inside a sentence stays.
    if let Some(u) = &url
        && let Some(rest) = body.strip_suffix(u.as_str())
        && (rest.is_empty() || rest.ends_with('\n'))
    {
        body = rest.trim_end().to_string();
    }
    let mut imported = Imported {
        uid,
        occurrence: false,
        title,
        start,
        end,
        zone: zone_name,
        status,
        kind,
        new_kind,
        place: Where::default(),
        online: None,
        url: url.filter(|_| !ours),
        body: markdown_of(&body),
    };
    if let Some(location) = text_prop(c, "LOCATION") {
        match location.starts_with("https://") || location.starts_with("http://") {
            true => imported.online = Some(location),
            false => place(&location, &mut imported.place),
        }
    }
    if let Some(geo) = text_prop(c, "GEO")
        && let Some((lat, lon)) = geo.split_once([';', ','])
        && let (Ok(lat), Ok(lon)) = (lat.trim().parse::<f64>(), lon.trim().parse::<f64>())
    {
        imported.place.lat = Some(lat);
        imported.place.lon = Some(lon);
    }
    Ok(imported)
}

/// `20270105` for 5 January 2027, as UIDs of occurrences end.
fn compact_date(d: Date) -> String {
    d.strftime("%Y%m%d").to_string()
}

/// The next `req.occurrences` occurrences (from `req.now` on) of the recurring `event` whose
/// rule is `rule`, each an event of its own (UID `<UID>#<date>`); EXDATEs left out, the
/// occurrences changed by `changed` (VEVENTs with a RECURRENCE-ID) taken from those.
///
/// The rule is expanded by the `rrule` crate on the local times of the event's zone (as RFC
/// 5545 asks: a weekly 09:00 stays 09:00 across summer time); each local time is then placed
/// in the zone.
fn occurrences(
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

/// A CATEGORIES value's entries (commas separate them; `\,` was one).
fn split_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// A LOCATION line as a place: `Venue, Street 1, 79100 Freiburg, Germany` → venue, address,
/// postcode, city and country, as far as the parts say.
fn place(line: &str, into: &mut Where) {
    let mut parts: Vec<&str> = line
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() > 1
        && let Some(last) = parts.last()
        && let Some(code) = country_code(last)
    {
        into.country = Some(code);
        parts.pop();
    }
    // `79100 Freiburg`, `F-68100 Mulhouse`, `CH-4051 Basel`: a postcode and a city.
    if parts.len() > 1
        && let Some(last) = parts.last()
        && let Some((code, city)) = last.split_once(' ')
        && code.chars().any(|c| c.is_ascii_digit())
        && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        into.postcode = Some(code.to_string());
        into.city = Some(city.trim().to_string());
        parts.pop();
    }
    // Without a postcode, a last part without digits after a venue is the city.
    if into.city.is_none()
        && parts.len() > 1
        && let Some(last) = parts.last()
        && !last.chars().any(|c| c.is_ascii_digit())
    {
        into.city = Some(last.to_string());
        parts.pop();
    }
    match parts.as_slice() {
        [] => {}
        // `Suwa, Japan`: a place in a country is its city.
        [city] if into.country.is_some() && into.city.is_none() => {
            into.city = Some(city.to_string())
        }
        [venue] => into.venue = Some(venue.to_string()),
        [venue, rest @ ..] => {
            into.venue = Some(venue.to_string());
            into.address = Some(rest.join(", "));
        }
    }
}

/// The ISO code of a country named in English, or given by its code.
fn country_code(name: &str) -> Option<String> {
    let by_code = (name.len() == 2)
        .then(|| celes::Country::from_alpha2(name).ok())
        .flatten();
    by_code
        .or_else(|| celes::Country::from_name(name).ok())
        .map(|c| c.alpha2.to_string())
}

/// Plain text as Markdown that shows it as written: paragraphs kept, single line breaks
/// kept as breaks, characters Markdown would read as markup escaped.
fn markdown_of(text: &str) -> String {
    let escaped: String = text
        .chars()
        .flat_map(|c| match c {
            '\\' | '`' | '*' | '_' | '<' | '>' | '#' | '[' | ']' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    (escaped.split("\n\n"))
        .map(|para| {
            para.trim()
                .lines()
                .map(str::trim_end)
                .collect::<Vec<_>>()
                .join("\\\n")
        })
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// A short hash of a body, to tell whether it was edited since it was imported.
fn body_hash(body: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(body.trim().as_bytes());
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// A time as the front matter writes it: local in `zone` (`2027-05-12 09:00`), or with its
/// offset where the local time is not unique (the repeated hour in autumn).
fn time_text(w: &When) -> String {
    match w {
        When::Day(d) => d.to_string(),
        When::At(z) => {
            let dt = z.datetime();
            let local = match dt.second() {
                0 => dt.strftime("%Y-%m-%d %H:%M").to_string(),
                _ => dt.strftime("%Y-%m-%d %H:%M:%S").to_string(),
            };
            match z.time_zone().to_ambiguous_zoned_datetime(dt).offset() {
                AmbiguousOffset::Unambiguous { .. } => local,
                _ => z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
            }
        }
    }
}

fn same_time(a: &When, b: &When) -> bool {
    match (a, b) {
        (When::Day(x), When::Day(y)) => x == y,
        (When::At(x), When::At(y)) => x.timestamp() == y.timestamp(),
        _ => false,
    }
}

/// The state of one import: the site's events, what will be written.
struct Run<'a> {
    site: &'a Site,
    dir: PathBuf,
    /// Events by the UID they were imported with, and clusterpress's own UIDs' slugs.
    by_uid: HashMap<String, &'a str>,
    /// Slug → the event (by number) that claimed it in this run.
    claimed: HashMap<String, usize>,
    writes: BTreeMap<PathBuf, String>,
    report: Report,
}

impl<'a> Run<'a> {
    fn new(site: &'a Site, req: &Request) -> Run<'a> {
        let mut by_uid = HashMap::new();
        for (slug, e) in &site.events {
            if let Some(uid) = e.item.extra.get("ical_uid").and_then(|v| v.as_str()) {
                by_uid.insert(uid.to_string(), slug.as_str());
            }
        }
        Run {
            site,
            dir: req.site.join("content").join("events"),
            by_uid,
            claimed: HashMap::new(),
            writes: BTreeMap::new(),
            report: Report::default(),
        }
    }

    fn reject(&mut self, number: usize, why: String) {
        self.report.rejected_rows += 1;
        self.report.rejected.push((number, why));
    }

    /// The slug of the event a UID names: imported before with it, or clusterpress's own.
    fn known(&self, uid: &str) -> Option<String> {
        if let Some(slug) = self.by_uid.get(uid) {
            return Some(slug.to_string());
        }
        let slug = uid.strip_prefix("event-")?.split('@').next()?;
        self.site
            .events
            .contains_key(slug)
            .then(|| slug.to_string())
    }

    fn event(&mut self, number: usize, event: Imported) {
        let existing = self.known(&event.uid);
        let slug = existing
            .clone()
            .or_else(|| own_slug(&event.uid).filter(|s| !self.dir.join(format!("{s}.md")).exists()))
            .unwrap_or_else(|| self.new_slug(&event));
        if let Some(first) = self.claimed.get(&slug) {
            let why =
                format!("the same event (`{slug}`) as event {first}; a calendar lists each once");
            self.reject(number, why);
            return;
        }
        self.claimed.insert(slug.clone(), number);
        let result = match existing.as_deref().and_then(|s| self.site.events.get(s)) {
            Some(entry) => self.update(&slug, entry, &event),
            None => self.create(&slug, &event).map(Some),
        };
        match result {
            Ok(None) => self.report.unchanged += 1,
            Ok(Some((fields, created))) => {
                let change = Change {
                    row: number,
                    slug,
                    fields,
                };
                match created {
                    true => self.report.created.push(change),
                    false => self.report.updated.push(change),
                }
            }
            Err(why) => self.reject(number, why),
        }
    }

    /// A new event's slug: its title, made unique with its date and then a number.
    fn new_slug(&self, event: &Imported) -> String {
        let base: String = slug::slugify(spelled_out(&event.title))
            .chars()
            .take(70)
            .collect();
        let base = match base.trim_end_matches('-') {
            "" => "event".to_string(),
            b => b.to_string(),
        };
        let taken = |s: &str| {
            self.site.events.contains_key(s)
                || self.claimed.contains_key(s)
                || self.dir.join(format!("{s}.md")).exists()
        };
        let dated = format!("{base}-{}", event.start.date());
        let mut slug = base.clone();
        if taken(&slug) || event.occurrence {
            slug = dated.clone();
        }
        let mut n = 2;
        while taken(&slug) {
            slug = format!("{dated}-{n}");
            n += 1;
        }
        slug
    }

    /// The fields of `event` as `(path, YAML value)`, in the order a file lists them.
    fn fields(&self, slug: &str, event: &Imported) -> Vec<(Vec<&'static str>, String)> {
        let mut fields: Vec<(Vec<&'static str>, String)> = vec![
            (vec!["title"], quote(&event.title)),
            (
                vec!["kind"],
                event.kind.unwrap_or(event.new_kind).key().to_string(),
            ),
            (vec!["start"], quote(&time_text(&event.start))),
        ];
        if let Some(end) = &event.end {
            fields.push((vec!["end"], quote(&time_text(end))));
        }
        if let Some(zone) = &event.zone {
            fields.push((vec!["timezone"], quote(zone)));
        }
        if event.status != EventStatus::Scheduled {
            fields.push((vec!["status"], event.status.key().to_string()));
        }
        for (key, value) in [
            ("venue", &event.place.venue),
            ("address", &event.place.address),
            ("postcode", &event.place.postcode),
            ("city", &event.place.city),
            ("country", &event.place.country),
        ] {
            if let Some(v) = value {
                fields.push((vec!["location", key], quote(v)));
            }
        }
        if let (Some(lat), Some(lon)) = (event.place.lat, event.place.lon) {
            fields.push((vec!["location", "lat"], lat.to_string()));
            fields.push((vec!["location", "lon"], lon.to_string()));
        }
        if let Some(online) = &event.online {
            fields.push((vec!["online"], quote(online)));
        }
        if let Some(url) = &event.url {
            fields.push((vec!["registration", "url"], quote(url)));
        }
        // A clusterpress site's own UID names the file already.
        if own_slug(&event.uid).as_deref() != Some(slug) {
            fields.push((vec!["extra", "ical_uid"], quote(&event.uid)));
        }
        fields
    }

    fn create(&mut self, slug: &str, event: &Imported) -> Result<(Vec<String>, bool), String> {
        let path = self.dir.join(format!("{slug}.md"));
        let mut fields = self.fields(slug, event);
        fields.push((vec!["extra", "ical_body"], quote(&body_hash(&event.body))));
        // Written in the order of the fields, each map's keys under it.
        let mut yaml = String::from("---\n");
        let mut open = "";
        let mut names = Vec::new();
        for (key, value) in &fields {
            match key.as_slice() {
                [one] => {
                    yaml.push_str(&format!("{one}: {value}\n"));
                    open = "";
                }
                [parent, child] => {
                    if *parent != open {
                        yaml.push_str(&format!("{parent}:\n"));
                        open = parent;
                    }
                    yaml.push_str(&format!("  {child}: {value}\n"));
                }
                _ => {}
            }
            if key.as_slice() != ["extra", "ical_body"] {
                names.push(key.join("."));
            }
        }
        yaml.push_str("---\n");
        let fm = FrontMatter::parse(&yaml).ok_or("a new event's front matter could not be made")?;
        check_yaml(&fm, &path)?;
        if !event.body.is_empty() {
            yaml.push_str(&event.body);
            yaml.push('\n');
        }
        self.writes.insert(path, yaml);
        Ok((names, true))
    }

    /// The fields that differ from what the site says, written into the event's file; `None`
    /// when nothing does.
    fn update(
        &mut self,
        slug: &str,
        entry: &Entry<Event>,
        event: &Imported,
    ) -> Result<Option<(Vec<String>, bool)>, String> {
        let have = &entry.item;
        let place = have.location.clone().unwrap_or_default();
        let text = |v: &Option<String>| v.clone();
        let changed = |key: &[&str]| -> bool {
            match key {
                ["title"] => have.title != event.title,
                ["kind"] => event.kind.is_some_and(|k| k != have.kind),
                ["start"] => !same_time(&have.period.start, &event.start),
                ["end"] => match (&have.period.end, &event.end) {
                    (Some(a), Some(b)) => !same_time(a, b),
                    (a, b) => a.is_some() != b.is_some(),
                },
                ["timezone"] => match &have.period.start {
                    When::At(z) => {
                        let own = z.time_zone().iana_name();
                        let site = self.site.config.zone.iana_name();
                        own.filter(|n| Some(*n) != site || !self.site.config.zone_chosen)
                            != event.zone.as_deref()
                    }
                    When::Day(_) => false,
                },
                ["status"] => have.status != event.status,
                ["location", "venue"] => text(&place.venue) != event.place.venue,
                ["location", "address"] => text(&place.address) != event.place.address,
                ["location", "postcode"] => text(&place.postcode) != event.place.postcode,
                ["location", "city"] => text(&place.city) != event.place.city,
                ["location", "country"] => {
                    place.country.as_ref().map(|c| c.code.clone()) != event.place.country
                }
                ["location", "lat"] => place.lat != event.place.lat,
                ["location", "lon"] => place.lon != event.place.lon,
                ["online"] => have.online != event.online,
                ["registration", "url"] => {
                    have.registration.as_ref().and_then(|r| r.url.clone()) != event.url
                }
                ["extra", "ical_uid"] => {
                    have.extra.get("ical_uid").and_then(|v| v.as_str()) != Some(event.uid.as_str())
                }
                _ => true,
            }
        };
        let doc = entry.doc.as_ref().ok_or("the event has no file")?;
        let path = match doc.path.is_absolute() {
            true => doc.path.clone(),
            false => self.site_root().join(&doc.path),
        };
        // The loader lets go of the texts it has read: the file is read again.
        let file = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read `{}`: {e}", doc.path.display()))?;
        let file = file.replace("\r\n", "\n");
        let mut fm = FrontMatter::parse(&file)
            .ok_or_else(|| format!("`{}` has no front matter to update", doc.path.display()))?;
        let mut names = Vec::new();
        // A status the calendar no longer has goes back to scheduled.
        let mut fields = self.fields(slug, event);
        if event.status == EventStatus::Scheduled && have.status != EventStatus::Scheduled {
            fields.push((vec!["status"], "scheduled".into()));
        }
        for (key, value) in fields {
            if changed(&key) {
                fm.set(&key, &value)?;
                names.push(key.join("."));
            }
        }
        // The body: replaced if it is as the last import wrote it (nobody edited it).
        let body = body_of(&file);
        let imported_as = have.extra.get("ical_body").and_then(|v| v.as_str());
        let untouched = imported_as.is_some_and(|h| h == body_hash(body));
        let mut new_body = None;
        if body.trim() != event.body.trim() {
            match untouched {
                true => {
                    new_body = Some(event.body.clone());
                    fm.set(&["extra", "ical_body"], &quote(&body_hash(&event.body)))?;
                    names.push("body".into());
                }
                false => self.report.warnings.push(format!(
                    "{slug}: its text was edited here and differs from the calendar's description: kept"
                )),
            }
        }
        if names.is_empty() {
            return Ok(None);
        }
        check_yaml(&fm, &path)?;
        let mut text = fm.to_text();
        if let Some(body) = new_body {
            let head_len = text.len() - body_of(&text).len();
            text.truncate(head_len);
            if !body.is_empty() {
                text.push_str(&body);
                text.push('\n');
            }
        }
        self.writes.insert(path, text);
        Ok(Some((names, false)))
    }

    fn site_root(&self) -> &Path {
        self.dir
            .parent()
            .and_then(Path::parent)
            .unwrap_or(Path::new("."))
    }
}

/// The slug in a clusterpress site's own UID of an event (`event-<slug>@host`).
fn own_slug(uid: &str) -> Option<String> {
    let (slug, _) = uid.strip_prefix("event-")?.split_once('@')?;
    (slug::slugify(slug) == slug).then(|| slug.to_string())
}

/// The body of a content file: what follows its front matter's closing line.
fn body_of(text: &str) -> &str {
    let mut offset = 0;
    let mut fences = 0;
    for line in text.split_inclusive('\n') {
        offset += line.len();
        if line.trim_end() == "---" {
            fences += 1;
            if fences == 2 {
                return &text[offset..];
            }
        }
    }
    ""
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zones_by_iana_windows_and_prefixed_names() {
        let name = |n: &str| zone_named(n).and_then(|z| z.iana_name().map(str::to_string));
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
        assert_eq!(name("Mars/Olympus"), None);
    }

    #[test]
    fn durations_and_places() {
        let start = When::Day(jiff::civil::date(2027, 6, 15));
        assert_eq!(
            add_duration(&start, "P3D"),
            Some(When::Day(jiff::civil::date(2027, 6, 17)))
        );
        let at = TimeZone::UTC
            .to_ambiguous_zoned_datetime(jiff::civil::datetime(2027, 6, 15, 9, 0, 0, 0));
        let at = When::At(at.compatible().unwrap());
        let When::At(end) = add_duration(&at, "PT1H30M").unwrap() else {
            panic!()
        };
        assert_eq!(end.datetime().to_string(), "2027-06-15T10:30:00");
        let mut e = Where::default();
        place(
            "Messe Stuttgart, Messepiazza 1, 70629 Stuttgart, Germany",
            &mut e,
        );
        assert_eq!(e.venue.as_deref(), Some("Messe Stuttgart"));
        assert_eq!(e.address.as_deref(), Some("Messepiazza 1"));
        assert_eq!(
            (e.postcode.as_deref(), e.city.as_deref()),
            (Some("70629"), Some("Stuttgart"))
        );
        assert_eq!(e.country.as_deref(), Some("DE"));
    }

    #[test]
    fn plain_text_reads_the_same_as_markdown() {
        assert_eq!(
            markdown_of("Agenda:\n* 9:00 coffee\n\n<b>Bring</b> your_badge"),
            "Agenda:\\\n\\* 9:00 coffee\n\n\\<b\\>Bring\\</b\\> your\\_badge"
        );
    }
}
