//! Training: courses and their sessions, the training page (coming sessions first; filters by topic, level and format) and one page per course.

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;
use tera::Value;

use super::{
    CalendarLinks, Party, PlaceView, Shown, Times, member_party, place_view, term_names, times,
    value,
};
use crate::model::course::{Course, Price, Provider, Registration, SeatStatus, Session};
use crate::model::parts::{Org, Place};
use crate::model::{Entry, Site};
use crate::render::jsonld;
use crate::render::pages::{CollectionPages, Job, Shared, facet};
use crate::url::paths;

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
    /// Where to book this session: its own registration, else the course's.
    pub registration: Option<RegistrationView<'a>>,
    /// `open`, `few-seats`, `waiting-list` or `full`: the session's own, else the course's.
    pub status: Option<SeatStatus>,
    pub status_label: Option<String>,
    /// There is a registration, the session is to come, its deadline has not passed and it
    /// is not full: a "Register" button makes sense.
    pub bookable: bool,
    pub calendar: CalendarLinks<'a>,
}

#[derive(Serialize)]
pub struct RegistrationView<'a> {
    pub url: Option<&'a str>,
    pub email: Option<&'a str>,
    /// What a "Register" button links to: the URL, else a `mailto:` link.
    pub href: String,
}

#[derive(Serialize)]
pub struct PriceView<'a> {
    pub amount: f64,
    pub currency: &'a str,
    /// `EUR 1,200`, `CHF 49.50`, or `Free` for 0.
    pub label: String,
}

fn registration_view(r: &Registration) -> RegistrationView<'_> {
    RegistrationView {
        url: r.url.as_deref(),
        email: r.email.as_deref(),
        href: match (&r.url, &r.email) {
            (Some(url), _) => url.clone(),
            (None, Some(email)) => format!("mailto:{email}"),
            (None, None) => String::new(),
        },
    }
}

/// "Places available", "Fully booked": a seat status in the site's language.
fn seat_label(site: &Site, s: SeatStatus) -> String {
    super::word(site, &format!("training.seats.{}", s.key()))
}

fn price_label(p: &Price, locale: &crate::i18n::Locale) -> String {
    if p.amount == 0.0 {
        locale.text("training.free").to_string()
    } else if p.amount.fract() == 0.0 && p.amount < u64::MAX as f64 {
        format!("{} {}", p.currency, locale.grouped(p.amount as u64))
    } else {
        format!("{} {:.2}", p.currency, p.amount)
    }
}

#[derive(Serialize)]
pub struct CourseView<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub url: String,
    pub permalink: String,
    pub summary: &'a str,
    /// The language `summary` is shown in and a note saying so, when not the page's (a
    /// text not translated).
    pub summary_lang: Option<crate::render::views::TextLanguage>,
    pub provider: Option<Party>,
    pub topics: Vec<&'a str>,
    pub level: Option<crate::model::course::Level>,
    pub format: Option<crate::model::course::Format>,
    pub format_label: Option<String>,
    pub language: Option<&'a str>,
    pub duration: Option<&'a str>,
    pub fee: Option<&'a str>,
    pub price: Option<PriceView<'a>>,
    /// The course's own registration (each session's is in `sessions`).
    pub registration: Option<RegistrationView<'a>>,
    pub status: Option<SeatStatus>,
    pub status_label: Option<String>,
    /// The course has a registration, is not full, and has a session still open for booking
    /// or no dates at all (booked on request).
    pub bookable: bool,
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
            let status = s.status.or(c.status);
            let registration = s
                .registration
                .as_ref()
                .or(c.registration.as_ref())
                .map(registration_view);
            let upcoming = times(&s.period, site).upcoming;
            let open = upcoming && s.deadline.is_none_or(|d| d >= site.now);
            SessionView {
                bookable: registration.is_some() && open && status != Some(SeatStatus::Full),
                index: i,
                times: times(&s.period, site),
                location: s.location.as_ref().map(place_view),
                online: s.online.as_deref(),
                seats: s.seats,
                deadline: s.deadline.map(|d| d.to_string()),
                deadline_label: s.deadline.map(|d| site.config.locale.date(d)),
                registration,
                status,
                status_label: status.map(|s| seat_label(site, s)),
                calendar: CalendarLinks::new(
                    site.config
                        .calendars
                        .then(|| urls.path(&session_file(&c.slug, s))),
                    &c.title,
                    &s.period,
                    summary,
                    urls.permalink(&path),
                    location_line,
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
        summary_lang: crate::render::views::TextLanguage::of(
            &site.config.locale,
            e.summary_lang(c.summary.is_some()),
        ),
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
        format_label: c
            .format
            .map(|f| super::word(site, &format!("training.formats.{}", f.key()))),
        language: c.language.as_deref(),
        duration: c.duration.as_deref(),
        fee: c.fee.as_deref(),
        price: c.price.as_ref().map(|p| PriceView {
            amount: p.amount,
            currency: &p.currency,
            label: price_label(p, &site.config.locale),
        }),
        registration: c.registration.as_ref().map(registration_view),
        status: c.status,
        status_label: c.status.map(|s| seat_label(site, s)),
        bookable: c.registration.is_some()
            && c.status != Some(SeatStatus::Full)
            && (c.sessions.is_empty()
                || c.sessions.iter().any(|s| {
                    times(&s.period, site).upcoming && s.deadline.is_none_or(|d| d >= site.now)
                })),
        certificate: c.certificate.as_deref(),
        upcoming: next_session.is_some(),
        next_session,
        sessions,
        image: c.image.as_deref().map(|i| urls.asset(i)),
        extra: &c.extra,
    }
}

impl Shown for Course {
    const ON_MEMBER_PAGES: Option<&'static str> = Some("courses");

    fn image(item: &Self) -> Option<&str> {
        item.image.as_deref()
    }

    fn value(site: &Site, e: &Entry<Self>) -> Value {
        value(&course_view(site, e))
    }

    fn jobs<'s>(site: &'s Site, _shared: &Shared, jobs: &mut Vec<Job<'s>>) {
        let courses = in_order(site);
        // The course list's filters: topics A–Z, levels and formats in their natural order.
        let topic_keys: Vec<(String, String)> = {
            let mut m = BTreeMap::new();
            for e in &courses {
                for t in &e.item.topics {
                    m.entry(crate::model::sort_key(&t.name))
                        .or_insert((t.slug.clone(), t.name.clone()));
                }
            }
            m.into_values().collect()
        };
        let level_keys: Vec<(String, String)> = crate::model::course::Level::ALL
            .into_iter()
            .filter(|l| courses.iter().any(|e| e.item.level == Some(*l)))
            .map(|l| {
                let key = l.key();
                (
                    key.to_string(),
                    super::word(site, &format!("training.levels.{key}")),
                )
            })
            .collect();
        let format_keys: Vec<(String, String)> = crate::model::course::Format::ALL
            .into_iter()
            .filter(|f| courses.iter().any(|e| e.item.format == Some(*f)))
            .map(|f| {
                let key = f.key();
                (
                    key.to_string(),
                    super::word(site, &format!("training.formats.{key}")),
                )
            })
            .collect();
        CollectionPages::<Course>::new()
            .list("courses", courses)
            .var("topics", facet(topic_keys))
            .var("levels", facet(level_keys))
            .var("formats", facet(format_keys))
            .jsonld(|s, e| jsonld::course(s, e, &course_view(s, e)))
            .push(site, jobs);
    }
}

/// The courses as the training page lists them: those with a coming session first, by that
/// session; then the others; by title within.
fn in_order(site: &Site) -> Vec<&Entry<Course>> {
    let mut courses: Vec<_> = site
        .courses
        .par_iter()
        .map(|(_, e)| {
            let c = course_view(site, e);
            let key = (
                c.next_session.is_none(),
                c.next_session.map(|i| c.sessions[i].times.start.clone()),
                c.title.to_string(),
            );
            (key, e)
        })
        .collect();
    courses.sort_by(|(a, _), (b, _)| a.cmp(b));
    courses.into_iter().map(|(_, e)| e).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_site;

    fn course(title: &str, sessions: &[&str]) -> String {
        let sessions: Vec<String> = sessions
            .iter()
            .map(|s| format!("  - start: {s}\n"))
            .collect();
        format!("---\ntitle: {title}\nsessions:\n{}---\n", sessions.concat())
    }

    #[test]
    fn courses_with_a_coming_session_come_first_by_that_session() {
        let site = test_site(
            "name: Test\nbase_url: https://test.example/\n",
            &[
                ("training/over.md", &course("Zeta", &["2026-01-10"])),
                (
                    "training/later.md",
                    &course("Alpha", &["2026-02-01", "2027-05-01"]),
                ),
                ("training/sooner.md", &course("Beta", &["2027-01-15"])),
                ("training/never.md", "---\ntitle: Gamma\n---\n"),
            ],
            "2026-12-04",
        );
        let order: Vec<&str> = in_order(&site)
            .iter()
            .map(|e| e.item.slug.as_str())
            .collect();
        assert_eq!(order, ["sooner", "later", "never", "over"]);
        let later = course_view(&site, &site.courses["later"]);
        assert_eq!(later.next_session, Some(1), "the past session is skipped");
    }

    #[test]
    fn prices_read_as_people_write_them() {
        let p = |amount: f64, currency: &str| {
            price_label(
                &Price {
                    amount,
                    currency: currency.into(),
                },
                &crate::i18n::Locale::new("en"),
            )
        };
        assert_eq!(p(1290.0, "EUR"), "EUR 1,290");
        assert_eq!(p(49.5, "CHF"), "CHF 49.50");
        assert_eq!(p(0.0, "EUR"), "Free");
    }

    #[test]
    fn a_session_is_bookable_until_its_deadline_with_its_own_or_the_courses_registration() {
        let site = test_site(
            "name: Test\nbase_url: https://test.example/\n",
            &[(
                "training/c.md",
                "---\ntitle: C\nregistration: {url: https://c.example/book}\nsessions:\n  - start: 2027-01-10\n    deadline: 2026-12-01\n  - start: 2027-02-10\n    registration: {email: b@c.example}\n  - start: 2027-03-10\n    status: full\n  - start: 2027-04-10\n---\n",
            )],
            "2026-12-04",
        );
        let c = course_view(&site, &site.courses["c"]);
        let bookable: Vec<bool> = c.sessions.iter().map(|s| s.bookable).collect();
        assert_eq!(
            bookable,
            [false, true, false, true],
            "deadline passed, ok, full, ok"
        );
        let href = |i: usize| c.sessions[i].registration.as_ref().map(|r| r.href.as_str());
        assert_eq!(href(1), Some("mailto:b@c.example"));
        assert_eq!(href(3), Some("https://c.example/book"));
        assert!(c.bookable);
    }
}
