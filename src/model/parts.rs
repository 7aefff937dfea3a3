//! Pieces that several collections share: places, contact persons, outside organisations,
//! and the fields every item has. Each has a raw form (what a file may say) and a checked one.

use serde::{Deserialize, Serialize};

use super::check::Checker;
use super::types::{self, Country};
use crate::content::front_matter::Seg;

/// Where something happens or stands.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPlace {
    venue: Option<String>,
    address: Option<String>,
    city: Option<String>,
    country: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Place {
    pub venue: Option<String>,
    pub address: Option<String>,
    pub city: Option<String>,
    pub country: Option<Country>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

impl Place {
    /// "Venue, address, city, country" for one-line display and calendars.
    pub fn one_line(&self) -> String {
        let mut parts: Vec<&str> = Vec::new();
        for p in [&self.venue, &self.address, &self.city]
            .into_iter()
            .flatten()
        {
            parts.push(p);
        }
        if let Some(c) = &self.country {
            parts.push(&c.name);
        }
        parts.join(", ")
    }
}

/// A person to contact.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPerson {
    name: Option<String>,
    role: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    url: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Person {
    pub name: Option<String>,
    pub role: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub url: Option<String>,
}

/// An organisation outside the cluster: a training firm, a research institute.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawOrg {
    name: String,
    url: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Org {
    pub name: String,
    pub url: Option<String>,
}

impl Checker<'_> {
    pub(crate) fn place(&mut self, at: &[Seg<'_>], raw: RawPlace) -> Place {
        let sub = |key: &'static str| -> Vec<Seg<'static>> { vec![Seg::Key(key)] };
        let path = |extra: Vec<Seg<'static>>| -> Vec<Seg<'_>> {
            at.iter().copied().chain(extra).collect()
        };
        let country = raw.country.and_then(|c| {
            let p = path(sub("country"));
            self.check(&p, types::check_country(&c))
        });
        let lat = raw.lat.filter(|lat| {
            let ok = (-90.0..=90.0).contains(lat);
            if !ok {
                let p = path(sub("lat"));
                self.refuse(
                    &p,
                    (
                        format!("latitude {lat} is outside -90 … 90"),
                        "write the latitude in decimal degrees, e.g. `47.61`".into(),
                    ),
                );
            }
            ok
        });
        let lon = raw.lon.filter(|lon| {
            let ok = (-180.0..=180.0).contains(lon);
            if !ok {
                let p = path(sub("lon"));
                self.refuse(
                    &p,
                    (
                        format!("longitude {lon} is outside -180 … 180"),
                        "write the longitude in decimal degrees, e.g. `7.66`".into(),
                    ),
                );
            }
            ok
        });
        Place {
            venue: clean(raw.venue),
            address: clean(raw.address),
            city: clean(raw.city),
            country,
            lat,
            lon,
        }
    }

    pub(crate) fn person(&mut self, at: &[Seg<'_>], raw: RawPerson) -> Person {
        let email = raw.email.and_then(|e| {
            let p: Vec<Seg<'_>> = at.iter().copied().chain([Seg::Key("email")]).collect();
            self.check(&p, types::check_email(&e))
        });
        let url = raw.url.and_then(|u| {
            let p: Vec<Seg<'_>> = at.iter().copied().chain([Seg::Key("url")]).collect();
            self.check(&p, types::check_web_url(&u))
        });
        Person {
            name: clean(raw.name),
            role: clean(raw.role),
            email,
            phone: clean(raw.phone),
            url,
        }
    }

    pub(crate) fn org(&mut self, at: &[Seg<'_>], raw: RawOrg) -> Org {
        if raw.name.trim().is_empty() {
            let p: Vec<Seg<'_>> = at.iter().copied().chain([Seg::Key("name")]).collect();
            self.refuse(
                &p,
                (
                    "the name is empty".into(),
                    "write the organisation's name".into(),
                ),
            );
        }
        let url = raw.url.and_then(|u| {
            let p: Vec<Seg<'_>> = at.iter().copied().chain([Seg::Key("url")]).collect();
            self.check(&p, types::check_web_url(&u))
        });
        Org {
            name: raw.name.trim().to_string(),
            url,
        }
    }

    /// A required title: trimmed, and an error when empty.
    pub(crate) fn title(&mut self, key: &'static str, value: String) -> String {
        let value = value.trim().to_string();
        if value.is_empty() {
            self.refuse(
                &[Seg::Key(key)],
                (
                    format!("the {key} is empty"),
                    format!("write a {key} after `{key}:`"),
                ),
            );
        }
        value
    }
}

/// Trims a text and drops it when empty.
pub fn clean(value: Option<String>) -> Option<String> {
    value
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}
