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

mod read;
mod recur;
mod write;
mod zones;

use std::path::PathBuf;

use icalendar::parser::Component;
use jiff::civil::Date;

use super::{Failure, Report, write_all};
use crate::model::event::{EventKind, EventStatus};
use crate::model::time::When;
use read::{compact_date, read_event, read_time, text_prop};
use recur::occurrences;
use write::Run;
use zones::Zones;

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
    /// Mark the site's occurrences a series no longer has as cancelled.
    pub mark_cancelled: bool,
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
    let ours = (calendar.properties.iter())
        .any(|p| p.name == "PRODID" && p.val.as_str().contains("//clusterpress//"));

    let loaded = super::load_site(&req.site, req.now)?;
    let site = &loaded.site;
    let zones = Zones::new(&calendar, &site.config.zone, req.now);
    let mut run = Run::new(site, req);
    run.report.warnings.extend(zones.notes.iter().cloned());
    let mut sessions = 0;
    let repeats = |c: &Component| c.find_prop("RRULE").is_some() || c.find_prop("RDATE").is_some();
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
        let of_uid = |e: &&&Component| text_prop(e, "UID").as_deref() == Some(uid.as_str());
        if component.find_prop("RECURRENCE-ID").is_some()
            && events.iter().filter(of_uid).any(|e| repeats(e))
        {
            run.report.rows -= 1;
            continue;
        }
        let read = |c: &Component| read_event(c, site, ours, &zones, req.kind);
        let event = match read(component) {
            Ok(event) => event,
            Err(why) => {
                run.reject(number, why);
                continue;
            }
        };
        if !repeats(component) {
            let event = match component.find_prop("RECURRENCE-ID") {
                // An occurrence whose series is not in the file: an event of its own.
                Some(id) => match read_time(id, &zones, None) {
                    Ok((when, _)) => Imported {
                        uid: format!("{}#{}", event.uid, compact_date(when.date())),
                        occurrence: true,
                        ..event
                    },
                    Err(why) => {
                        run.reject(number, why);
                        continue;
                    }
                },
                None => event,
            };
            run.event(number, event);
            continue;
        }
        // The series' occurrences the site has from today on, by day.
        let on_site = run.occurrences_on_site(&event.uid, req.now);
        let changed: Vec<&Component> = (events.iter().filter(of_uid).copied())
            .filter(|e| e.find_prop("RECURRENCE-ID").is_some())
            .collect();
        let until = on_site.iter().map(|(day, _)| *day).max();
        match occurrences(component, event, &changed, &read, &zones, req, until) {
            Ok(series) => {
                for event in series.taken {
                    run.event(number, event);
                }
                for (day, slug) in on_site {
                    if !series.days.contains(&day) {
                        run.dropped(&slug);
                    }
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
