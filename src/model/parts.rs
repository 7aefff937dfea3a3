//! Pieces that several collections share: places, contact persons, outside organisations,
//! and the fields every item has. Each has a raw form (what a file may say) and a checked one.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::check::Checker;
use super::types::{self, Country};
use crate::content::front_matter::Seg;
use crate::text;

/// Where something happens or stands.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPlace {
    venue: Option<String>,
    address: Option<String>,
    #[schemars(with = "Option<String>")]
    postcode: Option<RawPostcode>,
    city: Option<String>,
    #[schemars(extend("x-clusterpress" = "country"))]
    country: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
}

/// A postcode as written: text, or whatever else YAML made of it (an unquoted `79100` is a
/// number), which [`Checker::postcode`] refuses with a way out.
pub(crate) type RawPostcode = serde_json::Value;

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Place {
    pub venue: Option<String>,
    pub address: Option<String>,
    pub postcode: Option<String>,
    pub city: Option<String>,
    pub country: Option<Country>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
}

impl Place {
    /// "Venue, address, postcode city, country" for one-line display and calendars.
    pub fn one_line(&self) -> String {
        let mut parts: Vec<String> = Vec::new();
        for p in [&self.venue, &self.address].into_iter().flatten() {
            parts.push(p.clone());
        }
        match (&self.postcode, &self.city) {
            (Some(code), Some(city)) => parts.push(format!("{code} {city}")),
            (Some(one), None) | (None, Some(one)) => parts.push(one.clone()),
            (None, None) => {}
        }
        if let Some(c) = &self.country {
            parts.push(c.name.clone());
        }
        parts.join(", ")
    }
}

/// A person to contact.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPerson {
    name: Option<String>,
    role: Option<String>,
    #[schemars(extend("x-clusterpress" = "email"))]
    email: Option<String>,
    phone: Option<String>,
    #[schemars(extend("x-clusterpress" = "url"))]
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
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawOrg {
    name: String,
    #[schemars(extend("x-clusterpress" = "url"))]
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
        let postcode = self.postcode(at, raw.postcode);
        Place {
            venue: clean(raw.venue),
            address: clean(raw.address),
            postcode,
            city: clean(raw.city),
            country,
            lat,
            lon,
        }
    }

    /// The `postcode` of the place or location at `at`: text only. A number is refused rather
    /// than turned into text, since a number may have lost what was written (`1067.0`, or the
    /// leading zero of `01067` under some YAML rules) and the message says how to keep it.
    pub(crate) fn postcode(&mut self, at: &[Seg<'_>], raw: Option<RawPostcode>) -> Option<String> {
        let path: Vec<Seg<'_>> = at.iter().copied().chain([Seg::Key("postcode")]).collect();
        match raw? {
            serde_json::Value::String(s) => clean(Some(s)),
            serde_json::Value::Null => None,
            serde_json::Value::Number(n) => {
                self.refuse(
                    &path,
                    (
                        format!("the postcode {n} is written as a number"),
                        format!("put it in quotes, e.g. `postcode: \"{n}\"`: a postcode is text, and quotes keep it as written"),
                    ),
                );
                None
            }
            _ => {
                self.refuse(
                    &path,
                    (
                        "the postcode is not text".into(),
                        "write the postcode in quotes, e.g. `postcode: \"70174\"`".into(),
                    ),
                );
                None
            }
        }
    }

    pub(crate) fn person(&mut self, at: &[Seg<'_>], raw: RawPerson) -> Person {
        let email = raw.email.and_then(|e| {
            let p: Vec<Seg<'_>> = at.iter().copied().chain([Seg::Key("email")]).collect();
            self.check(&p, text::check_email(&e))
        });
        let url = raw.url.and_then(|u| {
            let p: Vec<Seg<'_>> = at.iter().copied().chain([Seg::Key("url")]).collect();
            self.check(&p, text::check_web_url(&u))
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
            self.check(&p, text::check_web_url(&u))
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_puts_the_postcode_before_the_city() {
        let mut place = Place {
            venue: Some("Training centre".into()),
            address: Some("Hauptstraße 5".into()),
            postcode: Some("79100".into()),
            city: Some("Freiburg".into()),
            ..Place::default()
        };
        assert_eq!(
            place.one_line(),
            "Training centre, Hauptstraße 5, 79100 Freiburg"
        );
        place.city = None;
        assert_eq!(place.one_line(), "Training centre, Hauptstraße 5, 79100");
        place.postcode = None;
        place.city = Some("Freiburg".into());
        assert_eq!(place.one_line(), "Training centre, Hauptstraße 5, Freiburg");
    }
}
