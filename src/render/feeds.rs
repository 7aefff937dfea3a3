//! Atom feeds (RFC 4287) for news and events, written with the `atom_syndication` crate.
//!
//! Entry ids are the items' permalinks, which never change while the slug does not. Dates are
//! taken from the content (a news item's date, an event's start) or the build date, never
//! from the clock, so that the same input gives the same feed.

use atom_syndication::{Content, Entry, Feed, FixedDateTime, Generator, Link, Person, Text};

use super::items;
use crate::model::Site;
use crate::url::paths;

pub(crate) fn at_midnight(d: jiff::civil::Date) -> FixedDateTime {
    let utc =
        chrono::NaiveDate::from_ymd_opt(i32::from(d.year()), d.month() as u32, d.day() as u32)
            .and_then(|n| n.and_hms_opt(0, 0, 0))
            .map(|n| n.and_utc())
            .unwrap_or_default();
    utc.fixed_offset()
}

pub(crate) fn link(href: String, rel: &str, mime: Option<&str>) -> Link {
    let mut l = Link::default();
    l.set_href(href);
    l.set_rel(rel);
    l.set_mime_type(mime.map(str::to_string));
    l
}

pub(crate) fn feed(
    site: &Site,
    title: String,
    page: &str,
    feed_path: &str,
    updated: FixedDateTime,
    entries: Vec<Entry>,
) -> Vec<u8> {
    let urls = &site.config.urls;
    let mut f = Feed::default();
    f.set_title(Text::plain(title));
    f.set_id(urls.permalink(feed_path));
    f.set_updated(updated);
    f.set_links(vec![
        link(urls.permalink(page), "alternate", Some("text/html")),
        link(
            urls.permalink(feed_path),
            "self",
            Some("application/atom+xml"),
        ),
    ]);
    let mut author = Person::default();
    author.set_name(site.config.name.clone());
    author.set_uri(Some(urls.permalink("")));
    f.set_authors(vec![author]);
    let mut generator = Generator::default();
    generator.set_value("clusterpress");
    generator.set_version(Some(env!("CARGO_PKG_VERSION").to_string()));
    f.set_generator(Some(generator));
    f.set_lang(Some(site.config.language.clone()));
    f.set_entries(entries);
    let mut out = Vec::new();
    match f.write_to(&mut out) {
        Ok(_) => out,
        Err(_) => Vec::new(),
    }
}

pub(crate) fn html_content(html: &str) -> Content {
    let mut c = Content::default();
    c.set_value(Some(html.to_string()));
    c.set_content_type(Some("html".to_string()));
    c
}

/// `news/atom.xml`: the 50 newest news items, position papers included.
pub fn news_feed(site: &Site) -> Option<Vec<u8>> {
    news_like_feed(site, false)
}

/// `positions/atom.xml`: position papers only, for those who follow the cluster's lobbying.
pub fn positions_feed(site: &Site) -> Option<Vec<u8>> {
    news_like_feed(site, true)
}

fn news_like_feed(site: &Site, positions_only: bool) -> Option<Vec<u8>> {
    let urls = &site.config.urls;
    let list: Vec<_> = items::news_in_order(site)
        .into_iter()
        .filter(|n| !positions_only || n.item.kind == crate::model::news::NewsKind::PositionPaper)
        .collect();
    if list.is_empty() {
        return None;
    }
    let entries: Vec<Entry> = list
        .iter()
        .take(50)
        .map(|n| {
            let v = items::news_view(site, n);
            let date = n
                .item
                .date
                .map(at_midnight)
                .unwrap_or_else(|| at_midnight(site.now));
            let mut e = Entry::default();
            e.set_title(Text::plain(n.item.title.clone()));
            e.set_id(v.permalink.clone());
            e.set_updated(date);
            e.set_published(Some(date));
            e.set_links(vec![link(
                v.permalink.clone(),
                "alternate",
                Some("text/html"),
            )]);
            if !v.summary.is_empty() {
                e.set_summary(Some(Text::plain(v.summary.to_string())));
            }
            e.set_content(Some(html_content(&n.html)));
            let mut category = atom_syndication::Category::default();
            category.set_term(n.item.kind.key());
            category.set_label(Some(v.kind_label.clone()));
            e.set_categories(vec![category]);
            e.set_authors(
                n.item
                    .authors
                    .iter()
                    .map(|a| {
                        let mut p = Person::default();
                        p.set_name(a.clone());
                        p
                    })
                    .collect::<Vec<_>>(),
            );
            e
        })
        .collect();
    let updated = list
        .first()
        .and_then(|n| n.item.date)
        .map(at_midnight)
        .unwrap_or_else(|| at_midnight(site.now));
    let _ = urls;
    let (title, key) = if positions_only {
        ("Position papers", "positions")
    } else {
        ("News", "news")
    };
    Some(feed(
        site,
        format!("{} – {title}", site.config.name),
        &paths::list(key),
        &format!("{key}/atom.xml"),
        updated,
        entries,
    ))
}

/// `events/atom.xml`: upcoming events soonest first, then the 20 most recent past ones.
pub fn events_feed(site: &Site) -> Option<Vec<u8>> {
    if site.events.is_empty() {
        return None;
    }
    let (upcoming, past) = items::events_in_order(site);
    let entries: Vec<Entry> = upcoming
        .iter()
        .chain(past.iter().take(20))
        .map(|ev| {
            let v = items::event_view(site, ev);
            let mut e = Entry::default();
            let status = match ev.item.status {
                crate::model::event::EventStatus::Cancelled => " (cancelled)",
                crate::model::event::EventStatus::Postponed => " (postponed)",
                crate::model::event::EventStatus::Scheduled => "",
            };
            e.set_title(Text::plain(format!("{}{status}", ev.item.title)));
            e.set_id(v.permalink.clone());
            e.set_updated(at_midnight(site.now));
            let mut links = vec![link(v.permalink.clone(), "alternate", Some("text/html"))];
            if let Some(ics) = &v.calendar.ics {
                links.push(link(
                    site.config
                        .urls
                        .asset_permalink(ics.trim_start_matches(site.config.urls.base_path())),
                    "enclosure",
                    Some("text/calendar"),
                ));
            }
            e.set_links(links);
            let when = match &v.times.time_label {
                Some(t) => format!("{}, {t}", v.times.date_label),
                None => v.times.date_label.clone(),
            };
            let place = v
                .location
                .as_ref()
                .map(|p| p.one_line.clone())
                .or_else(|| v.online.map(|_| "Online".to_string()))
                .unwrap_or_default();
            let summary = [when, place, v.summary.to_string()]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" · ");
            e.set_summary(Some(Text::plain(summary)));
            e.set_content(Some(html_content(&ev.html)));
            let mut category = atom_syndication::Category::default();
            category.set_term(ev.item.kind.key());
            category.set_label(Some(v.kind_label.clone()));
            e.set_categories(vec![category]);
            e
        })
        .collect();
    Some(feed(
        site,
        format!("{} – Events", site.config.name),
        &paths::list("events"),
        "events/atom.xml",
        at_midnight(site.now),
        entries,
    ))
}
