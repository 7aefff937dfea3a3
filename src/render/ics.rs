//! iCalendar (RFC 5545) files: one per event, one per course session, and `/events.ics` with
//! all of them for calendar subscriptions. Written with the `icalendar` crate, which folds
//! long lines and escapes text.
//!
//! Times are written in UTC, which every client understands without a VTIMEZONE; all-day
//! items use DATE values with the exclusive end the RFC asks for. UIDs are made from the
//! item's slug (and a session's start date), so they stay the same from build to build and a
//! subscribed calendar updates its entries instead of duplicating them. DTSTAMP is the build
//! date, so that the same input gives the same files.

use icalendar::{Calendar, Component, EventLike, Property};

use super::items;
use crate::model::course::Session;
use crate::model::event::{Event, EventStatus};
use crate::model::time::{Period, When};
use crate::model::{Entry, Site};
use crate::url::paths;

fn chrono_date(d: jiff::civil::Date) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(i32::from(d.year()), d.month() as u32, d.day() as u32)
        .unwrap_or_default()
}

fn chrono_utc(t: jiff::Timestamp) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_timestamp(t.as_second(), t.subsec_nanosecond().max(0) as u32)
        .unwrap_or_default()
}

/// The host name of the site, the domain part of every UID.
fn host(site: &Site) -> String {
    url::Url::parse(&site.config.base_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_else(|| "clusterpress.invalid".into())
}

/// A calendar named `name`; `zone` is the site's time zone, when it has set one (as Google
/// Calendar names its own: `X-WR-TIMEZONE`).
fn new_calendar(name: &str, zone: Option<&str>) -> Calendar {
    let mut cal = Calendar::empty();
    cal.append_property(Property::new("VERSION", "2.0"));
    cal.append_property(Property::new(
        "PRODID",
        concat!(
            "-//clusterpress//clusterpress ",
            env!("CARGO_PKG_VERSION"),
            "//EN"
        ),
    ));
    cal.append_property(Property::new("CALSCALE", "GREGORIAN"));
    cal.append_property(Property::new("METHOD", "PUBLISH"));
    // The crate writes these two as given (they are not among the properties it knows to be
    // text): escaped here, or a line break in the site's name would start a new property.
    let name = text_value(name);
    cal.append_property(Property::new("NAME", &name));
    cal.append_property(Property::new("X-WR-CALNAME", &name));
    if let Some(zone) = zone {
        cal.append_property(Property::new("X-WR-TIMEZONE", zone));
    }
    cal
}

/// A TEXT value (RFC 5545, 3.3.11): backslashes, semicolons, commas and line breaks escaped.
fn text_value(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' | '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

struct Entryish<'a> {
    uid: String,
    title: &'a str,
    period: &'a Period,
    description: String,
    location: String,
    url: String,
    status: EventStatus,
    categories: Vec<String>,
    /// Latitude and longitude of the place.
    geo: Option<(f64, f64)>,
}

fn vevent(site: &Site, e: Entryish<'_>) -> icalendar::Event {
    let mut ev = icalendar::Event::new();
    ev.uid(&e.uid);
    ev.timestamp(chrono_utc(
        site.now
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .map(|z| z.timestamp())
            .unwrap_or(jiff::Timestamp::UNIX_EPOCH),
    ));
    ev.summary(e.title);
    match (&e.period.start, &e.period.end) {
        (When::Day(start), end) => {
            let last = end.as_ref().map_or(*start, When::date);
            ev.starts(chrono_date(*start));
            ev.ends(chrono_date(last.tomorrow().unwrap_or(last)));
        }
        (When::At(start), end) => {
            ev.starts(chrono_utc(start.timestamp()));
            if let Some(end) = end {
                ev.ends(chrono_utc(end.instant(&site.config.zone)));
            }
        }
    }
    if !e.description.is_empty() {
        ev.description(&e.description);
    }
    if !e.location.is_empty() {
        ev.location(&e.location);
    }
    ev.url(&e.url);
    ev.status(match e.status {
        EventStatus::Scheduled => icalendar::EventStatus::Confirmed,
        EventStatus::Cancelled => icalendar::EventStatus::Cancelled,
        EventStatus::Postponed => icalendar::EventStatus::Tentative,
    });
    // The zone the event's times are in, where it is not the site's: times are written in
    // UTC, and `import events` reads them back in their own zone.
    if let When::At(start) = &e.period.start
        && let Some(zone) = start.time_zone().iana_name()
        && Some(zone) != site.config.zone.iana_name()
    {
        ev.add_property("X-CLUSTERPRESS-TZID", zone);
    }
    if let Some((lat, lon)) = e.geo {
        ev.add_property("GEO", format!("{lat};{lon}"));
    }
    if !e.categories.is_empty() {
        // A list of texts, which the crate writes as given.
        let list: Vec<String> = e.categories.iter().map(|c| text_value(c)).collect();
        ev.add_property("CATEGORIES", list.join(","));
    }
    ev.done()
}

fn event_entry<'a>(site: &'a Site, e: &'a Entry<Event>) -> Entryish<'a> {
    let ev = &e.item;
    let url = site.config.urls.permalink(&paths::item("events", &ev.slug));
    let summary = ev.summary.as_deref().unwrap_or(&e.summary);
    let location = match (&ev.location, &ev.online) {
        (Some(p), _) => p.one_line(),
        (None, Some(u)) => u.clone(),
        (None, None) => String::new(),
    };
    Entryish {
        uid: format!("event-{}@{}", ev.slug, host(site)),
        title: &ev.title,
        period: &ev.period,
        description: format!("{summary}\n\n{url}").trim().to_string(),
        location,
        url,
        status: ev.status,
        geo: ev.location.as_ref().and_then(|p| Some((p.lat?, p.lon?))),
        categories: vec![super::items::word(
            site,
            &format!("events.kinds.{}", ev.kind.key()),
        )],
    }
}

fn session_entry<'a>(
    site: &'a Site,
    c: &'a Entry<crate::model::course::Course>,
    s: &'a Session,
) -> Entryish<'a> {
    let course = &c.item;
    let url = site
        .config
        .urls
        .permalink(&paths::item("training", &course.slug));
    let summary = course.summary.as_deref().unwrap_or(&c.summary);
    let location = match (&s.location, &s.online) {
        (Some(p), _) => p.one_line(),
        (None, Some(u)) => u.clone(),
        (None, None) => String::new(),
    };
    Entryish {
        uid: format!(
            "course-{}-{}@{}",
            course.slug,
            s.period.start.date(),
            host(site)
        ),
        title: &course.title,
        period: &s.period,
        description: format!("{summary}\n\n{url}").trim().to_string(),
        location,
        url,
        status: EventStatus::Scheduled,
        geo: s.location.as_ref().and_then(|p| Some((p.lat?, p.lon?))),
        categories: vec![
            site.config
                .locale
                .collection("training", "title", "Training")
                .to_string(),
        ],
    }
}

/// Every calendar file of the site: output path → bytes.
pub fn calendars(site: &Site) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let zone = (site.config.zone_chosen)
        .then(|| site.config.zone.iana_name())
        .flatten();
    let mut all = new_calendar(&format!("{} – events and training", site.config.name), zone);
    for e in site.events.values() {
        let one = vevent(site, event_entry(site, e));
        let mut cal = new_calendar(&e.item.title, zone);
        cal.push(one.clone());
        all.push(one);
        out.push((
            format!("{}{}.ics", paths::item("events", &e.item.slug), e.item.slug),
            cal.to_string().into_bytes(),
        ));
    }
    for c in site.courses.values() {
        for s in &c.item.sessions {
            let one = vevent(site, session_entry(site, c, s));
            let mut cal = new_calendar(&c.item.title, zone);
            cal.push(one.clone());
            all.push(one);
            out.push((
                items::session_file(&c.item.slug, s),
                cal.to_string().into_bytes(),
            ));
        }
    }
    if !site.events.is_empty() || site.courses.values().any(|c| !c.item.sessions.is_empty()) {
        out.push(("events.ics".to_string(), all.to_string().into_bytes()));
    }
    out
}
