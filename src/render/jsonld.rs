//! schema.org structured data (JSON-LD) for the pages of typed items, so that search engines
//! and link previews understand members, events, courses, catalogues and news.
//!
//! The JSON is built with serde_json (never by string concatenation) and every `<` is written
//! as `\u003c`, so that no field can close the surrounding `<script>` element.

use serde_json::{Value, json};

use super::items::{CourseView, EventView, NewsView};
use crate::model::catalogue::Catalogue;
use crate::model::course::Course;
use crate::model::event::{Event, EventStatus};
use crate::model::member::Member;
use crate::model::news::News;
use crate::model::partner::Partner;
use crate::model::parts::Place;
use crate::model::{Entry, Site};
use crate::url::paths;

/// Serialises `value` for a `<script type="application/ld+json">` element.
pub fn script_safe(value: &Value) -> String {
    let text = serde_json::to_string(value).unwrap_or_else(|_| "{}".into());
    text.replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// Drops null fields and empty lists, which schema.org readers treat as noise.
fn compact(mut v: Value) -> Value {
    if let Value::Object(map) = &mut v {
        map.retain(|_, x| {
            !(x.is_null()
                || x.as_array().is_some_and(Vec::is_empty)
                || x.as_str().is_some_and(str::is_empty))
        });
        for x in map.values_mut() {
            *x = compact(x.take());
        }
    } else if let Value::Array(list) = &mut v {
        for x in list.iter_mut() {
            *x = compact(x.take());
        }
    }
    v
}

fn cluster_ref(site: &Site) -> Value {
    json!({ "@type": "Organization", "name": site.config.name, "url": site.config.urls.permalink("") })
}

fn member_ref(site: &Site, slug: &str) -> Option<Value> {
    let m = &site.members.get(slug)?.item;
    Some(
        json!({ "@type": "Organization", "name": m.name, "url": site.config.urls.permalink(&paths::member(slug)) }),
    )
}

fn postal(place: &Place) -> Value {
    json!({
        "@type": "PostalAddress",
        "streetAddress": place.address,
        "addressLocality": place.city,
        "addressCountry": place.country.as_ref().map(|c| c.code.clone()),
    })
}

/// The cluster as an Organization, with its members when `with_members`.
pub fn cluster(site: &Site, with_members: bool) -> String {
    let c = &site.config;
    let members: Vec<Value> = if with_members {
        site.member_order
            .iter()
            .filter_map(|s| member_ref(site, s))
            .collect()
    } else {
        Vec::new()
    };
    let v = json!({
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": c.name,
        "description": c.description,
        "url": c.urls.permalink(""),
        "logo": c.logo.as_deref().map(|l| c.urls.permalink(l)),
        "email": c.contact.email,
        "telephone": c.contact.phone,
        "sameAs": c.social.iter().map(|s| s.url.clone()).collect::<Vec<_>>(),
        "member": members,
    });
    script_safe(&compact(v))
}

/// A member as an Organization (or a school or research body), member of the cluster.
pub fn member(site: &Site, e: &Entry<Member>) -> String {
    let m = &e.item;
    let urls = &site.config.urls;
    let kind = match m.kind {
        crate::model::member::MemberKind::Education => "EducationalOrganization",
        crate::model::member::MemberKind::Research => "ResearchOrganization",
        crate::model::member::MemberKind::PublicBody => "GovernmentOrganization",
        _ => "Organization",
    };
    let v = json!({
        "@context": "https://schema.org",
        "@type": kind,
        "name": m.name,
        "url": urls.permalink(&paths::member(&m.slug)),
        "sameAs": m.website.iter().cloned().chain(m.social.iter().map(|(_, u)| u.clone())).collect::<Vec<_>>(),
        "description": m.summary.clone().unwrap_or_else(|| e.summary.clone()),
        "logo": m.logo.as_deref().map(|l| urls.permalink(l)),
        "email": m.email,
        "telephone": m.phone,
        "foundingDate": m.founded.map(|y| y.to_string()),
        "numberOfEmployees": m.employees.map(|n| json!({ "@type": "QuantitativeValue", "value": n })),
        "address": m.location.city.as_ref().map(|city| json!({
            "@type": "PostalAddress",
            "addressLocality": city,
            "addressRegion": m.location.region.as_ref().map(|r| r.name.clone()),
            "addressCountry": m.location.country.as_ref().map(|c| c.code.clone()),
        })),
        "geo": m.location.lat.zip(m.location.lon).map(|(lat, lon)| json!({ "@type": "GeoCoordinates", "latitude": lat, "longitude": lon })),
        "knowsAbout": m.capabilities.iter().map(|t| t.name.clone()).collect::<Vec<_>>(),
        "memberOf": cluster_ref(site),
        "makesOffer": m.products.iter().map(|p| json!({
            "@type": "Offer",
            "itemOffered": { "@type": "Product", "name": p.name, "description": p.description },
        })).collect::<Vec<_>>(),
    });
    script_safe(&compact(v))
}

/// An Event with its attendance mode, status, place and organiser.
pub fn event(site: &Site, e: &Entry<Event>, view: &EventView<'_>) -> String {
    let ev = &e.item;
    let mode = match view.attendance {
        "online" => "https://schema.org/OnlineEventAttendanceMode",
        "mixed" => "https://schema.org/MixedEventAttendanceMode",
        _ => "https://schema.org/OfflineEventAttendanceMode",
    };
    let status = match ev.status {
        EventStatus::Scheduled => "https://schema.org/EventScheduled",
        EventStatus::Cancelled => "https://schema.org/EventCancelled",
        EventStatus::Postponed => "https://schema.org/EventPostponed",
    };
    let mut locations = Vec::new();
    if let Some(p) = &ev.location {
        locations.push(json!({ "@type": "Place", "name": p.venue.clone().or(p.city.clone()), "address": postal(p) }));
    }
    if let Some(u) = &ev.online {
        locations.push(json!({ "@type": "VirtualLocation", "url": u }));
    }
    let organizer = match &ev.organizer {
        crate::model::event::Organizer::Member(m) => {
            member_ref(site, m).unwrap_or_else(|| cluster_ref(site))
        }
        crate::model::event::Organizer::Cluster => cluster_ref(site),
    };
    let v = json!({
        "@context": "https://schema.org",
        "@type": "Event",
        "name": ev.title,
        "description": view.summary,
        "url": view.permalink,
        "startDate": view.times.start,
        "endDate": view.times.end,
        "eventAttendanceMode": mode,
        "eventStatus": status,
        "location": if locations.len() == 1 { locations.remove(0) } else { Value::Array(locations) },
        "organizer": organizer,
        "attendee": ev.participants.iter().filter_map(|s| member_ref(site, s)).collect::<Vec<_>>(),
        "inLanguage": ev.language,
        "offers": ev.registration.as_ref().and_then(|r| r.url.as_ref()).map(|u| json!({ "@type": "Offer", "url": u, "description": ev.registration.as_ref().and_then(|r| r.fee.clone()) })),
    });
    script_safe(&compact(v))
}

/// A Course with one CourseInstance per session.
pub fn course(site: &Site, e: &Entry<Course>, view: &CourseView<'_>) -> String {
    let c = &e.item;
    let provider = match &c.provider {
        Some(crate::model::course::Provider::Member(m)) => member_ref(site, m),
        Some(crate::model::course::Provider::Other(o)) => {
            Some(json!({ "@type": "Organization", "name": o.name, "url": o.url }))
        }
        None => Some(cluster_ref(site)),
    };
    let instances: Vec<Value> = view
        .sessions
        .iter()
        .map(|s| {
            let mode = match (&s.location, &s.online) {
                (Some(_), Some(_)) => "blended",
                (None, Some(_)) => "online",
                _ => "onsite",
            };
            json!({
                "@type": "CourseInstance",
                "courseMode": mode,
                "startDate": s.times.start,
                "endDate": s.times.end,
                "location": s.location.as_ref().map(|p| json!({ "@type": "Place", "name": p.place.venue.clone().or(p.place.city.clone()), "address": postal(p.place) })),
            })
        })
        .collect();
    let v = json!({
        "@context": "https://schema.org",
        "@type": "Course",
        "name": c.title,
        "description": view.summary,
        "url": view.permalink,
        "provider": provider,
        "inLanguage": c.language,
        "educationalLevel": c.level.map(|l| l.label()),
        "about": c.topics.iter().map(|t| t.name.clone()).collect::<Vec<_>>(),
        "hasCourseInstance": instances,
    });
    script_safe(&compact(v))
}

/// A catalogue as an ItemList of its members' products (or the members themselves).
pub fn catalogue(site: &Site, e: &Entry<Catalogue>) -> String {
    let c = &e.item;
    let urls = &site.config.urls;
    let mut items = Vec::new();
    for entry in &c.entries {
        let Some(m) = site.members.get(&entry.member) else {
            continue;
        };
        let seller = member_ref(site, &entry.member);
        let products: Vec<_> = m
            .item
            .products
            .iter()
            .filter(|p| entry.products.as_ref().is_none_or(|w| w.contains(&p.name)))
            .collect();
        if products.is_empty() {
            items.push(seller.clone().unwrap_or(Value::Null));
        }
        for p in products {
            items.push(json!({
                "@type": "Product",
                "name": p.name,
                "description": p.description,
                "image": p.image.as_deref().map(|i| urls.permalink(i)),
                "brand": { "@type": "Brand", "name": m.item.name },
                "manufacturer": seller,
            }));
        }
    }
    let elements: Vec<Value> = items
        .into_iter()
        .enumerate()
        .map(|(i, item)| json!({ "@type": "ListItem", "position": i + 1, "item": item }))
        .collect();
    let v = json!({
        "@context": "https://schema.org",
        "@type": "ItemList",
        "name": c.title,
        "url": urls.permalink(&paths::item("catalogues", &c.slug)),
        "numberOfItems": elements.len(),
        "itemListElement": elements,
    });
    script_safe(&compact(v))
}

/// A NewsArticle (position papers and reports included).
pub fn news(site: &Site, e: &Entry<News>, view: &NewsView<'_>) -> String {
    let n = &e.item;
    let v = json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": n.title,
        "description": view.summary,
        "url": view.permalink,
        "datePublished": view.date,
        "author": if n.authors.is_empty() { vec![cluster_ref(site)] } else { n.authors.iter().map(|a| json!({ "@type": "Person", "name": a })).collect() },
        "publisher": cluster_ref(site),
        "articleSection": n.kind.label(),
        "keywords": n.topics.iter().map(|t| t.name.clone()).collect::<Vec<_>>().join(", "),
        "associatedMedia": view.attachment.as_ref().map(|a| json!({ "@type": "MediaObject", "contentUrl": format!("{}{}", origin(site), a) })),
    });
    script_safe(&compact(v))
}

/// A partner cluster as an Organization.
pub fn partner(site: &Site, e: &Entry<Partner>) -> String {
    let p = &e.item;
    let urls = &site.config.urls;
    let v = json!({
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": p.name,
        "url": urls.permalink(&paths::item("partners", &p.slug)),
        "sameAs": p.website,
        "description": p.summary.clone().unwrap_or_else(|| e.summary.clone()),
        "logo": p.logo.as_deref().map(|l| urls.permalink(l)),
        "address": p.country.as_ref().map(|c| json!({ "@type": "PostalAddress", "addressCountry": c.code })),
        "knowsAbout": p.topics.iter().map(|t| t.name.clone()).collect::<Vec<_>>(),
    });
    script_safe(&compact(v))
}

/// `https://host` of the site, for turning link paths into absolute URLs.
fn origin(site: &Site) -> String {
    let home = site.config.urls.permalink("");
    let base = site.config.urls.base_path();
    home.strip_suffix(base).unwrap_or(&home).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_safe_json_cannot_close_the_script_element() {
        let v = json!({ "name": "</script><script>alert(1)</script> & <!--" });
        let s = script_safe(&v);
        assert!(!s.contains('<') && !s.contains('>'));
        let back: Value = serde_json::from_str(&s).unwrap();
        assert_eq!(back["name"], "</script><script>alert(1)</script> & <!--");
    }

    #[test]
    fn compact_drops_empty_fields() {
        let v = compact(json!({ "a": null, "b": [], "c": "", "d": { "e": null, "f": 1 } }));
        assert_eq!(v, json!({ "d": { "f": 1 } }));
    }
}
