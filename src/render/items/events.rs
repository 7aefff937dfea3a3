//! Events: their template view, the events page (coming, then past; filters by kind and month) and one page per event.

use std::collections::BTreeMap;

use serde::Serialize;
use tera::Value;

use super::FeedSpec;
use super::{
    CalendarLinks, MemberRef, Party, PlaceView, Shown, Times, cluster_party, member_party,
    member_refs, place_view, term_names, times, value,
};
use crate::model::event::{Event, EventStatus, Organizer};
use crate::model::parts::Place;
use crate::model::{Entry, Site};
use crate::render::pages::{CollectionPages, Job, LIST_PAGE, Shared};
use crate::render::{feeds, jsonld};
use crate::url::paths;

#[derive(Serialize)]
pub struct EventView<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub url: String,
    pub permalink: String,
    pub kind: &'static str,
    pub kind_label: String,
    pub summary: &'a str,
    /// The language `summary` is shown in and a note saying so, when not the page's (a
    /// text not translated).
    pub summary_lang: Option<crate::render::views::TextLanguage>,
    pub status: &'static str,
    #[serde(flatten)]
    pub times: Times,
    pub location: Option<PlaceView<'a>>,
    pub online: Option<&'a str>,
    /// For an event joined online whose times are in another zone than the site's: its
    /// times in the site's zone ("16:00–17:30 CET"), which online participants are more
    /// likely to live in.
    pub site_time_label: Option<String>,
    /// `offline`, `online` or `mixed`, as schema.org's attendance modes.
    pub attendance: &'static str,
    pub organizer: Party,
    pub participants: Vec<MemberRef>,
    pub registration: Option<RegistrationView<'a>>,
    pub language: Option<&'a str>,
    pub topics: Vec<&'a str>,
    pub image: Option<String>,
    pub calendar: CalendarLinks<'a>,
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
    let times = times(&ev.period, site);
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
    let calendar = CalendarLinks::new(
        site.config
            .calendars
            .then(|| urls.path(&format!("{path}{}.ics", ev.slug))),
        &ev.title,
        &ev.period,
        summary,
        urls.permalink(&path),
        location_line,
    );
    let registration = ev.registration.as_ref().map(|r| RegistrationView {
        url: r.url.as_deref(),
        deadline: r.deadline.map(|d| d.to_string()),
        deadline_label: r.deadline.map(|d| site.config.locale.date(d)),
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
        kind_label: super::word(site, &format!("events.kinds.{}", ev.kind.key())),
        summary,
        summary_lang: crate::render::views::TextLanguage::of(
            &site.config.locale,
            e.summary_lang(ev.summary.is_some()),
        ),
        status: ev.status.key(),
        times,
        location: ev.location.as_ref().map(place_view),
        online: ev.online.as_deref(),
        site_time_label: ev
            .online
            .as_ref()
            .and_then(|_| super::time_label_in(&ev.period, &site.config.zone, &site.config.locale)),
        attendance,
        organizer: match &ev.organizer {
            Organizer::Cluster => cluster_party(site),
            Organizer::Member(m) => member_party(site, m),
        },
        participants: member_refs(site, &ev.participants),
        registration,
        language: ev.language.as_deref(),
        topics: term_names(&ev.topics),
        image: ev.image.as_deref().map(|i| urls.asset(i)),
        calendar,
        extra: &ev.extra,
    }
}

/// Events: upcoming soonest first, then past most recent first.
pub fn events_in_order(site: &Site) -> (Vec<&Entry<Event>>, Vec<&Entry<Event>>) {
    crate::model::event::in_order(site)
}

impl Shown for Event {
    const ON_MEMBER_PAGES: Option<&'static str> = Some("events");
    const FEEDS: &'static [FeedSpec] = &[FeedSpec {
        path: "events/atom.xml",
        name: "Events",
        rank: 2,
        exists: |site| !site.events.is_empty(),
        make: feeds::events_feed,
    }];

    fn image(item: &Self) -> Option<&str> {
        item.image.as_deref()
    }

    fn value(site: &Site, e: &Entry<Self>) -> Value {
        value(&event_view(site, e))
    }

    fn jobs<'s>(site: &'s Site, _shared: &Shared, jobs: &mut Vec<Job<'s>>) {
        // Events: upcoming soonest first, then past.
        let (upcoming, past) = events_in_order(site);
        let mut kinds: BTreeMap<&str, (String, usize)> = BTreeMap::new();
        for e in site.events.values() {
            let key = e.item.kind.key();
            kinds
                .entry(key)
                .or_insert_with(|| (super::word(site, &format!("events.kinds.{key}")), 0))
                .1 += 1;
        }
        let kinds: Vec<serde_json::Value> = kinds
            .into_iter()
            .map(|(k, (l, n))| serde_json::json!({"key": k, "label": l, "count": n}))
            .collect();
        let mut pages = CollectionPages::<Event>::new()
            .list("upcoming", upcoming)
            .var("kinds", Value::from_serializable(&kinds))
            .var("months", Value::from_serializable(&event_months(site)))
            .jsonld(|s, e| jsonld::event(s, e, &event_view(s, e)));
        // A long list shows the upcoming events; the past ones are listed a year a page.
        pages = match site.events.len() > LIST_PAGE {
            false => pages.list("past", past),
            true => past_by_year(past).into_iter().fold(
                pages.list("past", Vec::new()),
                |pages, (year, events)| {
                    let year = year.to_string();
                    let title = site
                        .config
                        .locale
                        .fill("events.past_year", &[("year", &year)]);
                    pages.archive(
                        paths::past_events(&year),
                        year,
                        title,
                        vec![("upcoming", Vec::new()), ("past", events)],
                    )
                },
            ),
        };
        pages.push(site, jobs);
    }
}

/// Past events in runs of the same year, in the order given.
fn past_by_year(past: Vec<&Entry<Event>>) -> Vec<(i16, Vec<&Entry<Event>>)> {
    let mut years: Vec<(i16, Vec<&Entry<Event>>)> = Vec::new();
    for e in past {
        let year = e.item.period.start.date().year();
        match years.last_mut() {
            Some((y, list)) if *y == year => list.push(e),
            _ => years.push((year, vec![e])),
        }
    }
    years
}

/// The months with events, in calendar order, with how many start in each: `{key, label, count}`.
fn event_months(site: &Site) -> Vec<serde_json::Value> {
    let mut months: BTreeMap<String, (String, usize)> = BTreeMap::new();
    for e in site.events.values() {
        let t = times(&e.item.period, site);
        months.entry(t.month).or_insert((t.month_label, 0)).1 += 1;
    }
    months.into_iter().map(|(key, (label, count))| serde_json::json!({ "key": key, "label": label, "count": count })).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_site;

    fn event(start: &str) -> String {
        format!("---\ntitle: E\nkind: workshop\nstart: {start}\n---\n")
    }

    #[test]
    fn coming_events_soonest_first_then_past_ones_most_recent_first_with_their_months() {
        let site = test_site(
            "name: Test\nbase_url: https://test.example/\n",
            &[
                ("events/long-ago.md", &event("2025-03-01")),
                ("events/last-week.md", &event("2026-11-27")),
                ("events/next-year.md", &event("2027-03-01")),
                ("events/next-week.md", &event("2026-12-11")),
                ("events/today.md", &event("2026-12-04")),
            ],
            "2026-12-04",
        );
        let (upcoming, past) = events_in_order(&site);
        let slugs = |l: &[&Entry<Event>]| -> Vec<String> {
            l.iter().map(|e| e.item.slug.clone()).collect()
        };
        assert_eq!(slugs(&upcoming), ["today", "next-week", "next-year"]);
        assert_eq!(slugs(&past), ["last-week", "long-ago"]);
        let months = event_months(&site);
        assert_eq!(months.len(), 4, "{months:?}");
        assert_eq!(months[0]["label"], "March 2025");
        assert_eq!(
            months[2]["count"], 2,
            "two events in December 2026: {months:?}"
        );
    }
}
