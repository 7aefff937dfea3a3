//! How each collection shows on the site: its items' template views, its pages, its lists
//! on member pages and its place in the menu, one file per collection (`items/events.rs`, …),
//! each an `impl` of [`Shown`]; and the parts the views share.
//!
//! Dates are given twice: machine-readable (`start`, ISO 8601, for `<time datetime>` and the
//! script that ages "upcoming" in the browser) and as labels for people ("18–20 May 2027").
//! Field names are the theme API documented in `docs/themes.md`.

mod catalogues;
mod events;
mod funding;
mod jobs;
mod members;
mod news;
mod pages;
mod partners;
mod procurement;
mod projects;
mod resources;
mod training;

use serde::Serialize;
use tera::Value;

pub use catalogues::{catalogue_entries, catalogue_view};
pub use events::{EventView, event_view, events_in_order};
pub(crate) use members::directory_data;
pub use news::{NewsView, news_in_order, news_view};
pub use training::{CourseView, session_file};

use super::pages::{Job, Shared};
use crate::config::FormerMembers;
use crate::i18n::Locale;
use crate::model::collection::Collection;
use crate::model::for_each_collection;
use crate::model::parts::Place;
use crate::model::time::{Period, When};
use crate::model::types::Term;
use crate::model::{Entry, Site};
use crate::url::paths;

/// How a collection shows on the site. Every collection of
/// [`for_each_collection!`](crate::model::collection) has one, in its own file.
pub(crate) trait Shown: Collection {
    /// The name of its list on the pages of the members its items name
    /// (`takes_part.courses`), if it has one.
    const ON_MEMBER_PAGES: Option<&'static str> = None;
    /// Its Atom feeds (see `render::feeds`).
    const FEEDS: &'static [FeedSpec] = &[];

    /// An item's template value: `item` on its page, an entry of its lists.
    fn value(site: &Site, e: &Entry<Self>) -> Value;

    /// Whether search engines are asked not to index an item's page (which also leaves it out
    /// of the sitemap): an expired job offer.
    fn noindex(_site: &Site, _e: &Entry<Self>) -> bool {
        false
    }

    /// The item's picture for link previews (a site path), if it has one.
    fn image(_item: &Self) -> Option<&str> {
        None
    }

    /// Variables it adds to the page of the member `slug`, beside `takes_part`.
    fn member_page_vars(_site: &Site, _slug: &str) -> Vec<(&'static str, Value)> {
        Vec::new()
    }

    /// Its pages, if it has items: usually a list page and one page per item (see
    /// [`CollectionPages`](super::pages::CollectionPages)).
    fn jobs<'s>(site: &'s Site, shared: &Shared, jobs: &mut Vec<Job<'s>>);

    /// Its entries in the menu (`site.collections`), each `(key, title, count)`; none when
    /// it has no items.
    fn menu(site: &Site) -> Vec<(&'static str, &'static str, usize)> {
        let count = Self::entries(site).len();
        match count {
            0 => Vec::new(),
            n => vec![(Self::KEY, Self::MENU, n)],
        }
    }
}

/// An Atom feed of a collection.
pub(crate) struct FeedSpec {
    /// Its site path: `news/atom.xml`.
    pub path: &'static str,
    /// Its name, after the site's, in `site.feeds`: `News`.
    pub name: &'static str,
    /// Its place in `site.feeds`, which lists the feeds of every collection.
    pub rank: u8,
    /// Whether the site has anything to put in it.
    pub exists: fn(&Site) -> bool,
    /// The feed, if it exists.
    pub make: fn(&Site) -> Option<Vec<u8>>,
}

/// The feeds of every collection, in the order of `site.feeds`.
pub(crate) fn feeds() -> Vec<&'static FeedSpec> {
    struct All(Vec<&'static FeedSpec>);
    impl Visit for All {
        fn visit<C: Shown>(&mut self) {
            self.0.extend(C::FEEDS);
        }
    }
    let mut all = All(Vec::new());
    each(&mut all);
    all.0.sort_by_key(|f| f.rank);
    all.0
}

/// Does something for each collection: [`each`] calls `visit` once per collection, in menu
/// order.
pub(crate) trait Visit {
    fn visit<C: Shown>(&mut self);
}

macro_rules! visit_all {
    ($($field:ident: $ty:ty => $variant:ident),* $(,)?) => {
        /// Calls `v.visit::<C>()` for every collection `C`.
        pub(crate) fn each(v: &mut impl Visit) {
            $(v.visit::<$ty>();)*
        }
    };
}
for_each_collection!(visit_all);

/// Whether the page of the item `slug` of collection `key` is `noindex` (see
/// [`Shown::noindex`]); `None` if there is no such item.
pub(crate) fn noindex(site: &Site, key: &str, slug: &str) -> Option<bool> {
    struct Find<'a>(&'a Site, &'a str, &'a str, Option<bool>);
    impl Visit for Find<'_> {
        fn visit<C: Shown>(&mut self) {
            if C::KEY == self.1 {
                self.3 = C::entries(self.0)
                    .get(self.2)
                    .map(|e| C::noindex(self.0, e));
            }
        }
    }
    let mut find = Find(site, key, slug, None);
    each(&mut find);
    find.3
}

/// Whether feeds carry the text of the items of collection `key`.
pub(crate) fn in_feeds(key: &str) -> bool {
    struct Find<'a>(&'a str, bool);
    impl Visit for Find<'_> {
        fn visit<C: Shown>(&mut self) {
            self.1 |= C::KEY == self.0 && !C::FEEDS.is_empty();
        }
    }
    let mut find = Find(key, false);
    each(&mut find);
    find.1
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

/// "09:30–17:00 CEST" (the end's zone abbreviation), "from 09:00 on 3 May to 12:00 on 4 May
/// CEST", "09:30 CEST", in the locale's words; none for all-day periods.
fn time_label(p: &Period, l: &Locale) -> Option<String> {
    match (&p.start, &p.end) {
        (When::At(s), Some(When::At(e))) if s.date() == e.date() => Some(l.fill(
            "time.same_day",
            &[
                ("start", &s.strftime("%H:%M").to_string()),
                ("end", &e.strftime("%H:%M").to_string()),
                ("zone", &e.strftime("%Z").to_string()),
            ],
        )),
        (When::At(s), Some(When::At(e))) => Some(l.fill(
            "time.days",
            &[
                ("start", &s.strftime("%H:%M").to_string()),
                ("start_day", &l.day_month(s.date())),
                ("end", &e.strftime("%H:%M").to_string()),
                ("end_day", &l.day_month(e.date())),
                ("zone", &e.strftime("%Z").to_string()),
            ],
        )),
        (When::At(s), _) => Some(l.fill(
            "time.at",
            &[
                ("time", &s.strftime("%H:%M").to_string()),
                ("zone", &s.strftime("%Z").to_string()),
            ],
        )),
        _ => None,
    }
}

/// The time label of `p` as seen in `zone` ("16:00–17:30 CET"), when `p` has times and they
/// are kept in another zone; none otherwise.
pub fn time_label_in(p: &Period, zone: &jiff::tz::TimeZone, l: &Locale) -> Option<String> {
    let When::At(start) = &p.start else {
        return None;
    };
    if start.time_zone() == zone {
        return None;
    }
    let moved = |w: &When| match w {
        When::At(z) => When::At(z.with_time_zone(zone.clone())),
        other => other.clone(),
    };
    let there = Period {
        start: moved(&p.start),
        end: p.end.as_ref().map(moved),
    };
    let label = time_label(&there, l)?;
    // A different day there is said, as the date label speaks of the event's own days.
    match there.start.date() == start.date() {
        true => Some(label),
        false => Some(l.fill(
            "time.other_day",
            &[("time", &label), ("day", &l.day_month(there.start.date()))],
        )),
    }
}

pub fn times(p: &Period, site: &Site) -> Times {
    let l = &site.config.locale;
    let end_date = p.last_date();
    let time_label = time_label(p, l);
    let zone = match &p.start {
        When::At(z) => z.time_zone().iana_name().map(str::to_string),
        When::Day(_) => None,
    };
    Times {
        start: iso(&p.start),
        end: p.end.as_ref().map(iso),
        all_day: p.start.is_all_day(),
        date_label: l.range(p.start.date(), end_date),
        time_label,
        zone,
        last_date: end_date.to_string(),
        upcoming: end_date >= site.now,
        month: p.start.date().strftime("%Y-%m").to_string(),
        month_label: l.month_year(p.start.date()),
    }
}

/// A member named by another item: enough to link to it.
#[derive(Serialize, Clone)]
pub struct MemberRef {
    pub slug: String,
    pub name: String,
    /// Its page; none for a former member when `former_members: none`.
    pub url: Option<String>,
    pub logo: Option<String>,
    /// The letter shown when there is no logo.
    pub initial: String,
    /// A member that has left the cluster, named by an item from its time.
    pub former: bool,
}

/// The page of a former member, if the site gives them one (`former_members:`).
pub fn former_page(site: &Site, slug: &str) -> Option<String> {
    (site.config.former_members == FormerMembers::Page)
        .then(|| site.config.urls.path(&paths::member(slug)))
}

pub fn member_ref(site: &Site, slug: &str) -> Option<MemberRef> {
    let urls = &site.config.urls;
    if let Some(e) = site.members.get(slug) {
        let m = &e.item;
        return Some(MemberRef {
            slug: m.slug.clone(),
            name: m.name.clone(),
            url: Some(urls.path(&paths::member(&m.slug))),
            logo: m.logo.as_deref().map(|l| urls.asset(l)),
            initial: crate::model::initial(&m.name),
            former: false,
        });
    }
    // A former member is named plainly: no logo, as on its own page.
    let m = &site.former.get(slug)?.item;
    Some(MemberRef {
        slug: m.slug.clone(),
        name: m.name.clone(),
        url: former_page(site, slug),
        logo: None,
        initial: crate::model::initial(&m.name),
        former: true,
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
            url: m.url,
            kind: if m.former { "former-member" } else { "member" },
        },
        None => cluster_party(site),
    }
}

#[derive(Serialize)]
pub struct PlaceView<'a> {
    #[serde(flatten)]
    pub place: &'a Place,
    pub one_line: String,
    /// A map of the place on OpenStreetMap, when it has coordinates or an address.
    pub directions: Option<String>,
}

fn place_view(p: &Place) -> PlaceView<'_> {
    let postcode_city = [p.postcode.as_deref(), p.city.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    PlaceView {
        place: p,
        one_line: p.one_line(),
        directions: directions(
            p.lat.zip(p.lon),
            p.address.as_deref(),
            &[
                postcode_city.as_str(),
                p.country.as_ref().map_or("", |c| c.name.as_str()),
            ],
        ),
    }
}

/// A link to a place on OpenStreetMap: a pin at `coordinates`, else a search for the street
/// and the rest of the address. `None` without coordinates or a street, since a search for a
/// city alone finds the city, not the door. A plain link, never an embedded map: the site
/// makes no third-party requests (docs/members.md, "Address and directions").
pub(crate) fn directions(
    coordinates: Option<(f64, f64)>,
    street: Option<&str>,
    rest: &[&str],
) -> Option<String> {
    if let Some((lat, lon)) = coordinates {
        return Some(format!(
            "https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"
        ));
    }
    let street = street?;
    let query: Vec<&str> = std::iter::once(street)
        .chain(rest.iter().copied())
        .filter(|p| !p.is_empty())
        .collect();
    let query =
        url::form_urlencoded::byte_serialize(query.join(", ").as_bytes()).collect::<String>();
    Some(format!(
        "https://www.openstreetmap.org/search?query={query}"
    ))
}

/// The text at a dotted key of the site's table, for a view: `word(site, "events.kinds.workshop")`.
pub(crate) fn word(site: &Site, key: &str) -> String {
    site.config.locale.text(key).to_string()
}

fn term_names(terms: &[Term]) -> Vec<&str> {
    terms.iter().map(|t| t.name.as_str()).collect()
}

/// Links that add an event to Google Calendar or Outlook on the web, and to its own `.ics`
/// file. The web links are written only when a page's value is made (serialised as
/// `{ics, google, outlook}`): the feeds and structured data that look at the same view need
/// none of them.
pub struct CalendarLinks<'a> {
    /// The item's own `.ics` file; none when the site publishes no calendars.
    pub ics: Option<String>,
    title: &'a str,
    period: &'a Period,
    /// The summary above the item's address, as the calendar entry's text.
    summary: &'a str,
    permalink: String,
    location: String,
}

impl<'a> CalendarLinks<'a> {
    fn new(
        ics: Option<String>,
        title: &'a str,
        period: &'a Period,
        summary: &'a str,
        permalink: String,
        location: String,
    ) -> Self {
        CalendarLinks {
            ics,
            title,
            period,
            summary,
            permalink,
            location,
        }
    }

    /// The Google Calendar and Outlook on the web links.
    fn web(&self) -> (String, String) {
        let enc = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
        let utc = |w: &When| match w {
            When::At(z) => z.timestamp().strftime("%Y%m%dT%H%M%SZ").to_string(),
            When::Day(d) => d.strftime("%Y%m%d").to_string(),
        };
        let p = self.period;
        let end = match (&p.start, &p.end) {
            (When::Day(_), end) => {
                let last = end.as_ref().unwrap_or(&p.start).date();
                When::Day(last.tomorrow().unwrap_or(last))
            }
            (_, Some(e)) => e.clone(),
            (s, None) => s.clone(),
        };
        let (title, location) = (enc(self.title), enc(&self.location));
        let details = enc(&format!("{}\n{}", self.summary, self.permalink));
        let google = format!(
            "https://calendar.google.com/calendar/render?action=TEMPLATE&text={title}&dates={}/{}&details={details}&location={location}",
            utc(&p.start),
            utc(&end),
        );
        let iso_utc = |w: &When| match w {
            When::At(z) => z.timestamp().strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
            When::Day(d) => d.to_string(),
        };
        let outlook = format!(
            "https://outlook.office.com/calendar/deeplink/compose?subject={title}&startdt={}&enddt={}&body={details}&location={location}{}",
            enc(&iso_utc(&p.start)),
            enc(&iso_utc(&end)),
            if p.start.is_all_day() {
                "&allday=true"
            } else {
                ""
            }
        );
        (google, outlook)
    }
}

impl Serialize for CalendarLinks<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let (google, outlook) = self.web();
        let mut s = serializer.serialize_struct("CalendarLinks", 3)?;
        s.serialize_field("ics", &self.ics)?;
        s.serialize_field("google", &google)?;
        s.serialize_field("outlook", &outlook)?;
        s.end()
    }
}

/// Serialises a view into a template value.
pub fn value<T: Serialize>(v: &T) -> Value {
    Value::from_serializable(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directions_pin_coordinates_else_search_the_street_else_none() {
        assert_eq!(
            directions(Some((47.56, 7.6)), Some("Hauptstraße 5"), &["4051 Basel"]).as_deref(),
            Some("https://www.openstreetmap.org/?mlat=47.56&mlon=7.6#map=17/47.56/7.6")
        );
        assert_eq!(
            directions(
                None,
                Some("Hauptstraße 5"),
                &["79100 Freiburg", "", "Germany"]
            )
            .as_deref(),
            Some(
                "https://www.openstreetmap.org/search?query=Hauptstra%C3%9Fe+5%2C+79100+Freiburg%2C+Germany"
            )
        );
        assert_eq!(directions(None, None, &["Freiburg", "Germany"]), None);
    }
}
