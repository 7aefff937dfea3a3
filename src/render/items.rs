//! Template views of the collection items: events, courses, catalogues, resources,
//! procurement calls, projects, funding, news and partners.
//!
//! Dates are given twice: machine-readable (`start`, ISO 8601, for `<time datetime>` and the
//! script that ages "upcoming" in the browser) and as labels for people ("18–20 May 2027").
//! Field names are the theme API documented in `docs/themes.md`.

use jiff::civil::Date;
use serde::Serialize;
use tera::Value;

use crate::model::course::{Course, Provider, Session};
use crate::model::event::{Event, EventStatus, Organizer};
use crate::model::funding::Funding;
use crate::model::news::News;
use crate::model::partner::Partner;
use crate::model::parts::{Org, Person, Place};
use crate::model::procurement::{CallStatus, Procurement};
use crate::model::project::Project;
use crate::model::resource::Resource;
use crate::model::time::{Period, When};
use crate::model::types::Term;
use crate::model::{Entry, Site};
use crate::url::paths;

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

/// "18 May 2027".
pub fn date_label(d: Date) -> String {
    format!(
        "{} {} {}",
        d.day(),
        MONTHS[(d.month() - 1) as usize],
        d.year()
    )
}

/// "18 May".
fn day_month(d: Date) -> String {
    format!("{} {}", d.day(), MONTHS[(d.month() - 1) as usize])
}

/// "18–20 May 2027", "30 May – 2 June 2027", "18 May 2027".
pub fn range_label(start: Date, end: Date) -> String {
    if start == end {
        date_label(start)
    } else if start.year() == end.year() && start.month() == end.month() {
        format!(
            "{}–{} {} {}",
            start.day(),
            end.day(),
            MONTHS[(end.month() - 1) as usize],
            end.year()
        )
    } else if start.year() == end.year() {
        format!(
            "{} {} – {} {} {}",
            start.day(),
            MONTHS[(start.month() - 1) as usize],
            end.day(),
            MONTHS[(end.month() - 1) as usize],
            end.year()
        )
    } else {
        format!("{} – {}", date_label(start), date_label(end))
    }
}

/// The machine-readable form: `2027-05-18` or `2027-05-18T09:30:00+02:00`.
pub fn iso(w: &When) -> String {
    match w {
        When::Day(d) => d.to_string(),
        When::At(z) => z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
    }
}

/// Date and time labels of a period, in the zone it was written in.
#[derive(Serialize)]
pub struct Times {
    pub start: String,
    pub end: Option<String>,
    pub all_day: bool,
    pub date_label: String,
    /// "09:30–17:00 CEST", or none for all-day periods.
    pub time_label: Option<String>,
    /// The IANA zone of the times, or none for all-day periods.
    pub zone: Option<String>,
    /// The last day, for deciding "upcoming" (here and in the browser).
    pub last_date: String,
    pub upcoming: bool,
    /// The month it starts, `2027-04`, and as words, `April 2027`, for filters.
    pub month: String,
    pub month_label: String,
}

pub fn times(p: &Period, now: Date) -> Times {
    let end_date = p.last_date();
    let time_label = match (&p.start, &p.end) {
        (When::At(s), Some(When::At(e))) if s.date() == e.date() => Some(format!(
            "{}–{} {}",
            s.strftime("%H:%M"),
            e.strftime("%H:%M"),
            e.strftime("%Z")
        )),
        (When::At(s), Some(When::At(e))) => Some(format!(
            "from {} on {} to {} on {} {}",
            s.strftime("%H:%M"),
            day_month(s.date()),
            e.strftime("%H:%M"),
            day_month(e.date()),
            e.strftime("%Z")
        )),
        (When::At(s), _) => Some(format!("{} {}", s.strftime("%H:%M"), s.strftime("%Z"))),
        _ => None,
    };
    let zone = match &p.start {
        When::At(z) => z.time_zone().iana_name().map(str::to_string),
        When::Day(_) => None,
    };
    Times {
        start: iso(&p.start),
        end: p.end.as_ref().map(iso),
        all_day: p.start.is_all_day(),
        date_label: range_label(p.start.date(), end_date),
        time_label,
        zone,
        last_date: end_date.to_string(),
        upcoming: end_date >= now,
        month: p.start.date().strftime("%Y-%m").to_string(),
        month_label: format!(
            "{} {}",
            MONTHS[(p.start.date().month() - 1) as usize],
            p.start.date().year()
        ),
    }
}

/// A member named by another item: enough to link to it.
#[derive(Serialize, Clone)]
pub struct MemberRef {
    pub slug: String,
    pub name: String,
    pub url: String,
    pub logo: Option<String>,
    /// The letter shown when there is no logo.
    pub initial: String,
}

pub fn member_ref(site: &Site, slug: &str) -> Option<MemberRef> {
    let m = &site.members.get(slug)?.item;
    let urls = &site.config.urls;
    Some(MemberRef {
        slug: m.slug.clone(),
        name: m.name.clone(),
        url: urls.path(&paths::member(&m.slug)),
        logo: m.logo.as_deref().map(|l| urls.path(l)),
        initial: crate::model::initial(&m.name),
    })
}

fn member_refs(site: &Site, slugs: &[String]) -> Vec<MemberRef> {
    slugs.iter().filter_map(|s| member_ref(site, s)).collect()
}

/// Who runs something: a member (linked), the cluster itself, or an outside organisation.
#[derive(Serialize)]
pub struct Party {
    pub name: String,
    pub url: Option<String>,
    /// `member`, `cluster` or `external`.
    pub kind: &'static str,
}

fn cluster_party(site: &Site) -> Party {
    Party {
        name: site.config.name.clone(),
        url: Some(site.config.urls.path("")),
        kind: "cluster",
    }
}

fn member_party(site: &Site, slug: &str) -> Party {
    match member_ref(site, slug) {
        Some(m) => Party {
            name: m.name,
            url: Some(m.url),
            kind: "member",
        },
        None => cluster_party(site),
    }
}

#[derive(Serialize)]
pub struct PlaceView<'a> {
    #[serde(flatten)]
    pub place: &'a Place,
    pub one_line: String,
}

fn place_view(p: &Place) -> PlaceView<'_> {
    PlaceView {
        place: p,
        one_line: p.one_line(),
    }
}

fn term_names(terms: &[Term]) -> Vec<&str> {
    terms.iter().map(|t| t.name.as_str()).collect()
}

/// Links that add an event to Google Calendar or Outlook on the web.
#[derive(Serialize)]
pub struct CalendarLinks {
    /// The item's own `.ics` file; none when the site publishes no calendars.
    pub ics: Option<String>,
    pub google: String,
    pub outlook: String,
}

fn calendar_links(
    ics: Option<String>,
    title: &str,
    p: &Period,
    details: &str,
    location: &str,
) -> CalendarLinks {
    let enc = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    let utc = |w: &When| match w {
        When::At(z) => z.timestamp().strftime("%Y%m%dT%H%M%SZ").to_string(),
        When::Day(d) => d.strftime("%Y%m%d").to_string(),
    };
    let end_exclusive = |p: &Period| match (&p.start, &p.end) {
        (When::Day(_), end) => {
            let last = end.as_ref().unwrap_or(&p.start).date();
            When::Day(last.tomorrow().unwrap_or(last))
        }
        (_, Some(e)) => e.clone(),
        (s, None) => s.clone(),
    };
    let end = end_exclusive(p);
    let google = format!(
        "https://calendar.google.com/calendar/render?action=TEMPLATE&text={}&dates={}/{}&details={}&location={}",
        enc(title),
        utc(&p.start),
        utc(&end),
        enc(details),
        enc(location)
    );
    let iso_utc = |w: &When| match w {
        When::At(z) => z.timestamp().strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
        When::Day(d) => d.to_string(),
    };
    let outlook = format!(
        "https://outlook.office.com/calendar/deeplink/compose?subject={}&startdt={}&enddt={}&body={}&location={}{}",
        enc(title),
        enc(&iso_utc(&p.start)),
        enc(&iso_utc(&end)),
        enc(details),
        enc(location),
        if p.start.is_all_day() {
            "&allday=true"
        } else {
            ""
        }
    );
    CalendarLinks {
        ics,
        google,
        outlook,
    }
}

// ---------------------------------------------------------------- events

#[derive(Serialize)]
pub struct EventView<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub url: String,
    pub permalink: String,
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub summary: &'a str,
    pub status: &'static str,
    #[serde(flatten)]
    pub times: Times,
    pub location: Option<PlaceView<'a>>,
    pub online: Option<&'a str>,
    /// `offline`, `online` or `mixed`, as schema.org's attendance modes.
    pub attendance: &'static str,
    pub organizer: Party,
    pub participants: Vec<MemberRef>,
    pub registration: Option<RegistrationView<'a>>,
    pub language: Option<&'a str>,
    pub topics: Vec<&'a str>,
    pub image: Option<String>,
    pub calendar: CalendarLinks,
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
}

#[derive(Serialize)]
pub struct RegistrationView<'a> {
    pub url: Option<&'a str>,
    pub deadline: Option<String>,
    pub deadline_label: Option<String>,
    /// Registration is possible: not past its deadline, event not cancelled or over.
    pub open: bool,
    pub fee: Option<&'a str>,
    pub seats: Option<u32>,
}

pub fn event_view<'a>(site: &'a Site, e: &'a Entry<Event>) -> EventView<'a> {
    let ev = &e.item;
    let urls = &site.config.urls;
    let times = times(&ev.period, site.now);
    let attendance = match (&ev.location, &ev.online) {
        (Some(_), Some(_)) => "mixed",
        (None, Some(_)) => "online",
        _ => "offline",
    };
    let summary = ev.summary.as_deref().unwrap_or(&e.summary);
    let location_line = ev
        .location
        .as_ref()
        .map(Place::one_line)
        .or_else(|| ev.online.clone())
        .unwrap_or_default();
    let path = paths::item("events", &ev.slug);
    let calendar = calendar_links(
        site.config
            .calendars
            .then(|| urls.path(&format!("{path}{}.ics", ev.slug))),
        &ev.title,
        &ev.period,
        &format!("{summary}\n{}", urls.permalink(&path)),
        &location_line,
    );
    let registration = ev.registration.as_ref().map(|r| RegistrationView {
        url: r.url.as_deref(),
        deadline: r.deadline.map(|d| d.to_string()),
        deadline_label: r.deadline.map(date_label),
        open: times.upcoming
            && ev.status == EventStatus::Scheduled
            && r.deadline.is_none_or(|d| d >= site.now),
        fee: r.fee.as_deref(),
        seats: r.seats,
    });
    EventView {
        slug: &ev.slug,
        title: &ev.title,
        url: urls.path(&path),
        permalink: urls.permalink(&path),
        kind: ev.kind.key(),
        kind_label: ev.kind.label(),
        summary,
        status: ev.status.key(),
        times,
        location: ev.location.as_ref().map(place_view),
        online: ev.online.as_deref(),
        attendance,
        organizer: match &ev.organizer {
            Organizer::Cluster => cluster_party(site),
            Organizer::Member(m) => member_party(site, m),
        },
        participants: member_refs(site, &ev.participants),
        registration,
        language: ev.language.as_deref(),
        topics: term_names(&ev.topics),
        image: ev.image.as_deref().map(|i| urls.path(i)),
        calendar,
        extra: &ev.extra,
    }
}

/// Events: upcoming soonest first, then past most recent first.
pub fn events_in_order(site: &Site) -> (Vec<&Entry<Event>>, Vec<&Entry<Event>>) {
    let zone = &site.config.zone;
    let (mut upcoming, mut past): (Vec<&Entry<Event>>, Vec<&Entry<Event>>) = site
        .events
        .values()
        .partition(|e| e.item.period.last_date() >= site.now);
    upcoming.sort_by_key(|e| (e.item.period.start.instant(zone), e.item.slug.clone()));
    past.sort_by_key(|e| {
        (
            std::cmp::Reverse(e.item.period.start.instant(zone)),
            e.item.slug.clone(),
        )
    });
    (upcoming, past)
}

// ---------------------------------------------------------------- training

#[derive(Serialize)]
pub struct SessionView<'a> {
    pub index: usize,
    #[serde(flatten)]
    pub times: Times,
    pub location: Option<PlaceView<'a>>,
    pub online: Option<&'a str>,
    pub seats: Option<u32>,
    pub deadline: Option<String>,
    pub deadline_label: Option<String>,
    pub calendar: CalendarLinks,
}

#[derive(Serialize)]
pub struct CourseView<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub url: String,
    pub permalink: String,
    pub summary: &'a str,
    pub provider: Option<Party>,
    pub topics: Vec<&'a str>,
    pub level: Option<crate::model::course::Level>,
    pub format: Option<crate::model::course::Format>,
    pub format_label: Option<&'static str>,
    pub language: Option<&'a str>,
    pub duration: Option<&'a str>,
    pub fee: Option<&'a str>,
    pub certificate: Option<&'a str>,
    pub sessions: Vec<SessionView<'a>>,
    /// The first session that is not over, if any.
    pub next_session: Option<usize>,
    pub upcoming: bool,
    pub image: Option<String>,
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
}

/// The `.ics` file of a course session, named by its start date so that it stays the same
/// when other sessions are added.
pub fn session_file(course: &str, s: &Session) -> String {
    format!(
        "{}{course}-{}.ics",
        paths::item("training", course),
        s.period.start.date()
    )
}

pub fn course_view<'a>(site: &'a Site, e: &'a Entry<Course>) -> CourseView<'a> {
    let c = &e.item;
    let urls = &site.config.urls;
    let path = paths::item("training", &c.slug);
    let summary = c.summary.as_deref().unwrap_or(&e.summary);
    let sessions: Vec<SessionView<'a>> = c
        .sessions
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let location_line = s
                .location
                .as_ref()
                .map(Place::one_line)
                .or_else(|| s.online.clone())
                .unwrap_or_default();
            SessionView {
                index: i,
                times: times(&s.period, site.now),
                location: s.location.as_ref().map(place_view),
                online: s.online.as_deref(),
                seats: s.seats,
                deadline: s.deadline.map(|d| d.to_string()),
                deadline_label: s.deadline.map(date_label),
                calendar: calendar_links(
                    site.config
                        .calendars
                        .then(|| urls.path(&session_file(&c.slug, s))),
                    &c.title,
                    &s.period,
                    &format!("{summary}\n{}", urls.permalink(&path)),
                    &location_line,
                ),
            }
        })
        .collect();
    let next_session = sessions.iter().position(|s| s.times.upcoming);
    CourseView {
        slug: &c.slug,
        title: &c.title,
        url: urls.path(&path),
        permalink: urls.permalink(&path),
        summary,
        provider: c.provider.as_ref().map(|p| match p {
            Provider::Member(m) => member_party(site, m),
            Provider::Other(Org { name, url }) => Party {
                name: name.clone(),
                url: url.clone(),
                kind: "external",
            },
        }),
        topics: term_names(&c.topics),
        level: c.level,
        format: c.format,
        format_label: c.format.map(|f| f.label()),
        language: c.language.as_deref(),
        duration: c.duration.as_deref(),
        fee: c.fee.as_deref(),
        certificate: c.certificate.as_deref(),
        upcoming: next_session.is_some(),
        next_session,
        sessions,
        image: c.image.as_deref().map(|i| urls.path(i)),
        extra: &c.extra,
    }
}

// ---------------------------------------------------------------- catalogues

#[derive(Serialize)]
pub struct CatalogueView<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub url: String,
    pub permalink: String,
    pub edition: Option<&'a str>,
    pub summary: &'a str,
    pub cover: Option<String>,
    pub count: usize,
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
}

pub fn catalogue_view<'a>(
    site: &'a Site,
    e: &'a Entry<crate::model::catalogue::Catalogue>,
) -> CatalogueView<'a> {
    let c = &e.item;
    let urls = &site.config.urls;
    let path = paths::item("catalogues", &c.slug);
    CatalogueView {
        slug: &c.slug,
        title: &c.title,
        url: urls.path(&path),
        permalink: urls.permalink(&path),
        edition: c.edition.as_deref(),
        summary: c.summary.as_deref().unwrap_or(&e.summary),
        cover: c.cover.as_deref().map(|i| urls.path(i)),
        count: c.entries.len(),
        extra: &c.extra,
    }
}

/// The entries of a catalogue: each member's full view, with the products shown.
pub fn catalogue_entries(
    site: &Site,
    e: &Entry<crate::model::catalogue::Catalogue>,
    members: &std::collections::HashMap<String, Value>,
) -> Value {
    let urls = &site.config.urls;
    let list: Vec<Value> = e
        .item
        .entries
        .iter()
        .filter_map(|entry| {
            let member = members.get(entry.member.as_str())?.clone();
            let m = &site.members.get(&entry.member)?.item;
            let products: Vec<serde_json::Value> = m
                .products
                .iter()
                .filter(|p| entry.products.as_ref().is_none_or(|wanted| wanted.contains(&p.name)))
                .map(|p| serde_json::json!({ "name": p.name, "description": p.description, "image": p.image.as_deref().map(|i| urls.path(i)) }))
                .collect();
            let mut map = tera::Map::new();
            map.insert("member".into(), member);
            map.insert("products".into(), Value::from_serializable(&products));
            Some(Value::from(map))
        })
        .collect();
    Value::from(list)
}

// ---------------------------------------------------------------- resources

#[derive(Serialize)]
pub struct ResourceView<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub url: String,
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub owner: Option<MemberRef>,
    pub summary: &'a str,
    pub location: Option<PlaceView<'a>>,
    pub capacity: Option<&'a str>,
    pub availability: Option<&'a str>,
    pub booking_contact: Option<&'a str>,
    pub booking_url: Option<&'a str>,
    pub price: Option<&'a str>,
    pub image: Option<String>,
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
}

pub fn resource_view<'a>(site: &'a Site, e: &'a Entry<Resource>) -> ResourceView<'a> {
    let r = &e.item;
    let urls = &site.config.urls;
    ResourceView {
        slug: &r.slug,
        title: &r.title,
        url: urls.path(&paths::item("resources", &r.slug)),
        kind: r.kind.key(),
        kind_label: r.kind.label(),
        owner: r.owner.as_deref().and_then(|o| member_ref(site, o)),
        summary: r.summary.as_deref().unwrap_or(&e.summary),
        location: r.location.as_ref().map(place_view),
        capacity: r.capacity.as_deref(),
        availability: r.availability.as_deref(),
        booking_contact: r.booking_contact.as_deref(),
        booking_url: r.booking_url.as_deref(),
        price: r.price.as_deref(),
        image: r.image.as_deref().map(|i| urls.path(i)),
        extra: &r.extra,
    }
}

// ---------------------------------------------------------------- procurement

#[derive(Serialize)]
pub struct ProcurementView<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub url: String,
    pub category: Option<&'a str>,
    pub status: &'static str,
    /// Open, and its deadline (if any) not passed.
    pub open: bool,
    pub summary: &'a str,
    pub deadline: Option<String>,
    pub deadline_label: Option<String>,
    pub volume: Option<&'a str>,
    pub participants: Vec<MemberRef>,
    pub coordinator: Party,
    pub contact: Option<&'a Person>,
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
}

pub fn procurement_view<'a>(site: &'a Site, e: &'a Entry<Procurement>) -> ProcurementView<'a> {
    let p = &e.item;
    ProcurementView {
        slug: &p.slug,
        title: &p.title,
        url: site.config.urls.path(&paths::item("procurement", &p.slug)),
        category: p.category.as_deref(),
        status: p.status.key(),
        open: p.status == CallStatus::Open && p.deadline.is_none_or(|d| d >= site.now),
        summary: p.summary.as_deref().unwrap_or(&e.summary),
        deadline: p.deadline.map(|d| d.to_string()),
        deadline_label: p.deadline.map(date_label),
        volume: p.volume.as_deref(),
        participants: member_refs(site, &p.participants),
        coordinator: match &p.coordinator {
            Some(m) => member_party(site, m),
            None => cluster_party(site),
        },
        contact: p.contact.as_ref(),
        extra: &p.extra,
    }
}

// ---------------------------------------------------------------- projects

#[derive(Serialize)]
pub struct ProjectView<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub url: String,
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub status: &'static str,
    pub summary: &'a str,
    pub start: Option<String>,
    pub end: Option<String>,
    pub period_label: Option<String>,
    pub partners: Vec<MemberRef>,
    pub external_partners: &'a [Org],
    pub funding: Option<Party>,
    pub funded_by: Option<&'a str>,
    pub budget: Option<&'a str>,
    pub topics: Vec<&'a str>,
    pub website: Option<&'a str>,
    pub results: Option<&'a str>,
    pub image: Option<String>,
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
}

pub fn project_view<'a>(site: &'a Site, e: &'a Entry<Project>) -> ProjectView<'a> {
    let p = &e.item;
    let urls = &site.config.urls;
    let period_label = match (p.start, p.end) {
        (Some(s), Some(e)) => Some(range_label(s, e)),
        (Some(s), None) => Some(format!("since {}", date_label(s))),
        (None, Some(e)) => Some(format!("until {}", date_label(e))),
        (None, None) => None,
    };
    ProjectView {
        slug: &p.slug,
        title: &p.title,
        url: urls.path(&paths::item("projects", &p.slug)),
        kind: p.kind.key(),
        kind_label: p.kind.label(),
        status: p.status.key(),
        summary: p.summary.as_deref().unwrap_or(&e.summary),
        start: p.start.map(|d| d.to_string()),
        end: p.end.map(|d| d.to_string()),
        period_label,
        partners: member_refs(site, &p.partners),
        external_partners: &p.external_partners,
        funding: p
            .funding
            .as_ref()
            .and_then(|f| site.funding.get(f))
            .map(|f| Party {
                name: f.item.title.clone(),
                url: Some(urls.path(&paths::item("funding", &f.item.slug))),
                kind: "funding",
            }),
        funded_by: p.funded_by.as_deref(),
        budget: p.budget.as_deref(),
        topics: term_names(&p.topics),
        website: p.website.as_deref(),
        results: p.results.as_deref(),
        image: p.image.as_deref().map(|i| urls.path(i)),
        extra: &p.extra,
    }
}

// ---------------------------------------------------------------- funding

#[derive(Serialize)]
pub struct FundingView<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub url: String,
    pub funder: Option<&'a str>,
    pub programme: Option<&'a str>,
    pub status: &'static str,
    /// Accepting applications now: open, with a deadline still ahead (or none).
    pub open: bool,
    pub summary: &'a str,
    pub deadlines: Vec<String>,
    pub deadline_labels: Vec<String>,
    /// Every deadline as `{date, label, passed}`.
    pub deadline_list: Vec<DeadlineView>,
    pub next_deadline: Option<String>,
    pub next_deadline_label: Option<String>,
    pub amount_label: Option<String>,
    pub eligibility: Option<&'a str>,
    pub website: Option<&'a str>,
    pub topics: Vec<&'a str>,
    pub projects: Vec<Party>,
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
}

#[derive(Serialize)]
pub struct DeadlineView {
    pub date: String,
    pub label: String,
    pub passed: bool,
}

fn money(n: u64) -> String {
    crate::hosting::count(n)
}

pub fn funding_view<'a>(site: &'a Site, e: &'a Entry<Funding>) -> FundingView<'a> {
    let f = &e.item;
    let urls = &site.config.urls;
    let next = f.next_deadline(site.now);
    let amount_label = f.amount.as_ref().map(|a| match (a.min, a.max) {
        (Some(min), Some(max)) => format!("{} {} – {}", a.currency, money(min), money(max)),
        (None, Some(max)) => format!("up to {} {}", a.currency, money(max)),
        (Some(min), None) => format!("from {} {}", a.currency, money(min)),
        (None, None) => a.currency.clone(),
    });
    let open = f.status == crate::model::funding::FundingStatus::Open
        && (f.deadlines.is_empty() || next.is_some());
    let projects = site
        .projects
        .values()
        .filter(|p| p.item.funding.as_deref() == Some(f.slug.as_str()))
        .map(|p| Party {
            name: p.item.title.clone(),
            url: Some(urls.path(&paths::item("projects", &p.item.slug))),
            kind: "project",
        })
        .collect();
    FundingView {
        slug: &f.slug,
        title: &f.title,
        url: urls.path(&paths::item("funding", &f.slug)),
        funder: f.funder.as_deref(),
        programme: f.programme.as_deref(),
        status: f.status.key(),
        open,
        summary: f.summary.as_deref().unwrap_or(&e.summary),
        deadlines: f.deadlines.iter().map(ToString::to_string).collect(),
        deadline_labels: f.deadlines.iter().map(|d| date_label(*d)).collect(),
        deadline_list: f
            .deadlines
            .iter()
            .map(|d| DeadlineView {
                date: d.to_string(),
                label: date_label(*d),
                passed: *d < site.now,
            })
            .collect(),
        next_deadline: next.map(|d| d.to_string()),
        next_deadline_label: next.map(date_label),
        amount_label,
        eligibility: f.eligibility.as_deref(),
        website: f.url.as_deref(),
        topics: term_names(&f.topics),
        projects,
        extra: &f.extra,
    }
}

// ---------------------------------------------------------------- news

#[derive(Serialize)]
pub struct NewsView<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub url: String,
    pub permalink: String,
    pub date: Option<String>,
    pub date_label: Option<String>,
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub summary: &'a str,
    pub authors: &'a [String],
    pub topics: Vec<&'a str>,
    pub attachment: Option<String>,
    pub image: Option<String>,
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
}

pub fn news_view<'a>(site: &'a Site, e: &'a Entry<News>) -> NewsView<'a> {
    let n = &e.item;
    let urls = &site.config.urls;
    let path = paths::item("news", &n.slug);
    NewsView {
        slug: &n.slug,
        title: &n.title,
        url: urls.path(&path),
        permalink: urls.permalink(&path),
        date: n.date.map(|d| d.to_string()),
        date_label: n.date.map(date_label),
        kind: n.kind.key(),
        kind_label: n.kind.label(),
        summary: n.summary.as_deref().unwrap_or(&e.summary),
        authors: &n.authors,
        topics: term_names(&n.topics),
        attachment: n.attachment.as_deref().map(|a| urls.path(a)),
        image: n.image.as_deref().map(|i| urls.path(i)),
        extra: &n.extra,
    }
}

/// News newest first (then by slug, so equal dates keep a stable order).
pub fn news_in_order(site: &Site) -> Vec<&Entry<News>> {
    let mut list: Vec<&Entry<News>> = site.news.values().collect();
    list.sort_by(|a, b| {
        b.item
            .date
            .cmp(&a.item.date)
            .then_with(|| a.item.slug.cmp(&b.item.slug))
    });
    list
}

// ---------------------------------------------------------------- partners

#[derive(Serialize)]
pub struct PartnerView<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub url: String,
    pub country: Option<&'a crate::model::types::Country>,
    pub website: Option<&'a str>,
    pub since: Option<i32>,
    pub topics: Vec<&'a str>,
    pub summary: &'a str,
    pub logo: Option<String>,
    pub contact: Option<&'a Person>,
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
}

pub fn partner_view<'a>(site: &'a Site, e: &'a Entry<Partner>) -> PartnerView<'a> {
    let p = &e.item;
    let urls = &site.config.urls;
    PartnerView {
        slug: &p.slug,
        name: &p.name,
        url: urls.path(&paths::item("partners", &p.slug)),
        country: p.country.as_ref(),
        website: p.website.as_deref(),
        since: p.since,
        topics: term_names(&p.topics),
        summary: p.summary.as_deref().unwrap_or(&e.summary),
        logo: p.logo.as_deref().map(|l| urls.path(l)),
        contact: p.contact.as_ref(),
        extra: &p.extra,
    }
}

/// Serialises a view into a template value.
pub fn value<T: Serialize>(v: &T) -> Value {
    Value::from_serializable(v)
}
