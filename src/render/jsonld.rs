//! schema.org structured data (JSON-LD) for the pages of typed items, so that search engines
//! and link previews understand members, events, courses, catalogues and news.
//!
//! The JSON is built with serde_json (never by string concatenation) and every `<` is written
//! as `\u003c`, so that no field can close the surrounding `<script>` element.

use serde::Serialize;
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
pub fn script_safe(value: &impl Serialize) -> String {
    let text = serde_json::to_string(value).unwrap_or_else(|_| "{}".into());
    if !text.contains(['<', '>', '&']) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 32);
    for c in text.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            c => out.push(c),
        }
    }
    out
}

/// Drops null fields and empty lists, which schema.org readers treat as noise.
pub(crate) fn compact(mut v: Value) -> Value {
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
    if let Some(e) = site.members.get(slug) {
        let url = site.config.urls.permalink(&paths::member(slug));
        return Some(json!({ "@type": "Organization", "name": e.item.name, "url": url }));
    }
    // A former member named by a past item: still who organised or attended it, linked to
    // its plain page when the site keeps one.
    let m = &site.former.get(slug)?.item;
    Some(match site.config.former_members {
        crate::config::FormerMembers::Page => {
            let url = site.config.urls.permalink(&paths::member(slug));
            json!({ "@type": "Organization", "name": m.name, "url": url })
        }
        crate::config::FormerMembers::None => json!({ "@type": "Organization", "name": m.name }),
    })
}

pub(crate) fn postal(place: &Place) -> Value {
    json!({
        "@type": "PostalAddress",
        "streetAddress": place.address,
        "postalCode": place.postcode,
        "addressLocality": place.city,
        "addressCountry": place.country.as_ref().map(|c| c.code.clone()),
    })
}

/// The cluster as an Organization, with its members when `with_members`.
pub fn cluster(site: &Site, with_members: bool) -> String {
    let c = &site.config;
    let member: Vec<OrganizationRefLd> = if with_members {
        site.member_order
            .iter()
            .filter_map(|s| {
                let m = &site.members.get(s)?.item;
                Some(OrganizationRefLd {
                    kind: "Organization",
                    name: &m.name,
                    url: c.urls.permalink(&paths::member(s)),
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    script_safe(&ClusterLd {
        context: "https://schema.org",
        kind: "Organization",
        description: nonempty(c.description.as_deref()),
        email: nonempty(c.contact.email.as_deref()),
        logo: c.logo.as_deref().map(|l| c.urls.asset_permalink(l)),
        member,
        name: &c.name,
        same_as: c.social.iter().map(|s| s.url.as_str()).collect(),
        telephone: nonempty(c.contact.phone.as_deref()),
        url: c.urls.permalink(""),
    })
}

/// The cluster; with its members on the directory page, which can list tens of thousands,
/// so it is written from typed structs.
#[derive(Serialize)]
struct ClusterLd<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    logo: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    member: Vec<OrganizationRefLd<'a>>,
    name: &'a str,
    #[serde(rename = "sameAs", skip_serializing_if = "Vec::is_empty")]
    same_as: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    telephone: Option<&'a str>,
    url: String,
}

/// A member as an Organization (or a school or research body), member of the cluster.
///
/// Written from typed structs rather than a `json!` value: it is made for every member page.
/// Fields are in the same (alphabetical) order as the other blocks, and empty ones are left
/// out as `compact` does.
pub fn member(site: &Site, e: &Entry<Member>) -> String {
    let m = &e.item;
    let urls = &site.config.urls;
    let kind = match m.kind {
        crate::model::member::MemberKind::Education => "EducationalOrganization",
        crate::model::member::MemberKind::Research => "ResearchOrganization",
        crate::model::member::MemberKind::PublicBody => "GovernmentOrganization",
        _ => "Organization",
    };
    let org = OrganizationLd {
        context: "https://schema.org",
        kind,
        address: (m.location.city.is_some()
            || m.location.street.is_some()
            || m.location.postcode.is_some())
        .then(|| AddressLd {
            kind: "PostalAddress",
            country: m.location.country.as_ref().map(|c| c.code.as_str()),
            locality: m.location.city.as_deref(),
            region: m.location.region.as_ref().map(|r| r.name.as_str()),
            postal_code: m.location.postcode.as_deref(),
            street: m.location.street.as_deref(),
        }),
        description: nonempty(Some(m.summary.as_deref().unwrap_or(&e.summary))),
        email: nonempty(m.email.as_deref()),
        founding_date: m.founded.map(|y| y.to_string()),
        geo: m
            .location
            .lat
            .zip(m.location.lon)
            .map(|(latitude, longitude)| GeoLd {
                kind: "GeoCoordinates",
                latitude,
                longitude,
            }),
        knows_about: m.capabilities.iter().map(|t| t.name.as_str()).collect(),
        logo: m.logo.as_deref().map(|l| urls.asset_permalink(l)),
        makes_offer: m
            .products
            .iter()
            .map(|p| OfferLd {
                kind: "Offer",
                item_offered: ProductLd {
                    kind: "Product",
                    description: nonempty(p.description.as_deref()),
                    name: &p.name,
                },
            })
            .collect(),
        member_of: OrganizationRefLd {
            kind: "Organization",
            name: &site.config.name,
            url: urls.permalink(""),
        },
        name: &m.name,
        number_of_employees: m.employees.map(|value| QuantityLd {
            kind: "QuantitativeValue",
            value,
        }),
        same_as: m
            .website
            .iter()
            .map(String::as_str)
            .chain(m.social.iter().map(|(_, u)| u.as_str()))
            .collect(),
        telephone: nonempty(m.phone.as_deref()),
        url: urls.permalink(&paths::member(&m.slug)),
    };
    script_safe(&org)
}

/// `None` for a missing or empty text, which structured-data readers treat as noise.
fn nonempty(s: Option<&str>) -> Option<&str> {
    s.filter(|s| !s.is_empty())
}

#[derive(Serialize)]
struct OrganizationLd<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    address: Option<AddressLd<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<&'a str>,
    #[serde(rename = "foundingDate", skip_serializing_if = "Option::is_none")]
    founding_date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    geo: Option<GeoLd>,
    #[serde(rename = "knowsAbout", skip_serializing_if = "Vec::is_empty")]
    knows_about: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    logo: Option<String>,
    #[serde(rename = "makesOffer", skip_serializing_if = "Vec::is_empty")]
    makes_offer: Vec<OfferLd<'a>>,
    #[serde(rename = "memberOf")]
    member_of: OrganizationRefLd<'a>,
    name: &'a str,
    #[serde(rename = "numberOfEmployees", skip_serializing_if = "Option::is_none")]
    number_of_employees: Option<QuantityLd>,
    #[serde(rename = "sameAs", skip_serializing_if = "Vec::is_empty")]
    same_as: Vec<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    telephone: Option<&'a str>,
    url: String,
}

#[derive(Serialize)]
struct AddressLd<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "addressCountry", skip_serializing_if = "Option::is_none")]
    country: Option<&'a str>,
    #[serde(rename = "addressLocality", skip_serializing_if = "Option::is_none")]
    locality: Option<&'a str>,
    #[serde(rename = "addressRegion", skip_serializing_if = "Option::is_none")]
    region: Option<&'a str>,
    #[serde(rename = "postalCode", skip_serializing_if = "Option::is_none")]
    postal_code: Option<&'a str>,
    #[serde(rename = "streetAddress", skip_serializing_if = "Option::is_none")]
    street: Option<&'a str>,
}

#[derive(Serialize)]
struct GeoLd {
    #[serde(rename = "@type")]
    kind: &'static str,
    latitude: f64,
    longitude: f64,
}

#[derive(Serialize)]
struct QuantityLd {
    #[serde(rename = "@type")]
    kind: &'static str,
    value: u32,
}

#[derive(Serialize)]
struct OfferLd<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(rename = "itemOffered")]
    item_offered: ProductLd<'a>,
}

#[derive(Serialize)]
struct ProductLd<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<&'a str>,
    name: &'a str,
}

#[derive(Serialize)]
struct OrganizationRefLd<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
    url: String,
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
            let url = s.registration.as_ref().and_then(|r| r.url);
            let offers = (c.price.is_some() || url.is_some() || s.status.is_some()).then(|| {
                json!({
                    "@type": "Offer",
                    "price": c.price.as_ref().map(|p| price(p.amount)),
                    "priceCurrency": c.price.as_ref().map(|p| p.currency.as_str()),
                    "url": url,
                    "availability": s.status.map(|st| st.availability()),
                    "validThrough": s.deadline,
                })
            });
            json!({
                "@type": "CourseInstance",
                "courseMode": mode,
                "startDate": s.times.start,
                "endDate": s.times.end,
                "location": s.location.as_ref().map(|p| json!({ "@type": "Place", "name": p.place.venue.clone().or(p.place.city.clone()), "address": postal(p.place) })),
                "offers": offers,
            })
        })
        .collect();
    // The course's own offer: what search engines show as its price.
    let offers = c.price.as_ref().map(|p| {
        json!({
            "@type": "Offer",
            "category": if p.amount == 0.0 { "Free" } else { "Paid" },
            "price": price(p.amount),
            "priceCurrency": p.currency,
            "url": c.registration.as_ref().and_then(|r| r.url.clone()).unwrap_or_else(|| view.permalink.clone()),
            "availability": c.status.map(|st| st.availability()),
        })
    });
    let v = json!({
        "@context": "https://schema.org",
        "@type": "Course",
        "name": c.title,
        "description": view.summary,
        "url": view.permalink,
        "provider": provider,
        "inLanguage": c.language,
        "educationalLevel": c.level.map(|l| super::items::word(site, &format!("training.levels.{}", l.key()))),
        "about": c.topics.iter().map(|t| t.name.clone()).collect::<Vec<_>>(),
        "hasCourseInstance": instances,
        "offers": offers,
    });
    script_safe(&compact(v))
}

/// A price as a JSON number: `1850` rather than `1850.0`.
fn price(amount: f64) -> Value {
    if amount.fract() == 0.0 && (0.0..9.0e15).contains(&amount) {
        json!(amount as u64)
    } else {
        json!(amount)
    }
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
                "image": p.image.as_deref().map(|i| urls.asset_permalink(i)),
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
        "articleSection": view.kind_label,
        // A site of several languages says which one the article is in.
        "inLanguage": site.config.multilingual().then_some(&site.config.language),
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
        "logo": p.logo.as_deref().map(|l| urls.asset_permalink(l)),
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
