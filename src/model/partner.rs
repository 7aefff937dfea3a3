//! Partner clusters abroad.

use schemars::JsonSchema;
use serde::Deserialize;

use super::check::Checker;
use super::parts::{Person, RawPerson, clean};
use super::types::{self, Country, Term};
use crate::content::front_matter::Seg;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPartner {
    name: String,
    #[schemars(extend("x-clusterpress" = "country"))]
    country: String,
    #[schemars(extend("x-clusterpress" = "url"))]
    website: Option<String>,
    since: Option<i32>,
    #[serde(default)]
    #[schemars(extend("x-clusterpress" = "terms:topics"))]
    topics: Vec<String>,
    summary: Option<String>,
    #[schemars(extend("x-clusterpress" = "image"))]
    logo: Option<String>,
    contact: Option<RawPerson>,
    #[serde(default)]
    pub(crate) draft: bool,
    #[serde(default)]
    extra: serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Partner {
    pub slug: String,
    pub name: String,
    pub country: Option<Country>,
    pub website: Option<String>,
    pub since: Option<i32>,
    pub topics: Vec<Term>,
    pub summary: Option<String>,
    pub logo: Option<String>,
    pub contact: Option<Person>,
    pub extra: serde_json::Map<String, serde_json::Value>,
}

pub(crate) fn check_partner(slug: String, raw: RawPartner, check: &mut Checker<'_>) -> Partner {
    let name = check.title("name", raw.name);
    let this_year = check.now_year();
    let since = raw.since.filter(|y| {
        let ok = (1900..=this_year).contains(y);
        if !ok {
            check.refuse(
                &[Seg::Key("since")],
                (
                    format!("{y} is not a year between 1900 and {this_year}"),
                    "write the year the partnership began, e.g. `2019`".into(),
                ),
            );
        }
        ok
    });
    Partner {
        slug,
        name,
        country: check.check(&[Seg::Key("country")], types::check_country(&raw.country)),
        website: check.web_url(&[Seg::Key("website")], raw.website),
        since,
        topics: check.terms("topics", &raw.topics),
        summary: clean(raw.summary),
        logo: raw.logo.and_then(|l| check.image(&[Seg::Key("logo")], &l)),
        contact: raw.contact.map(|c| check.person(&[Seg::Key("contact")], c)),
        extra: raw.extra,
    }
}

impl super::collection::Collection for Partner {
    const KEY: &'static str = "partners";
    const TITLE: &'static str = "Partner clusters";
    const MENU: &'static str = "Partner clusters";
    type Raw = RawPartner;

    fn is_draft(raw: &RawPartner) -> bool {
        raw.draft
    }

    fn check(slug: String, raw: RawPartner, check: &mut Checker<'_>) -> Option<Self> {
        Some(check_partner(slug, raw, check))
    }

    fn slug(&self) -> &str {
        &self.slug
    }

    fn title(&self) -> &str {
        &self.name
    }

    fn summary(&self) -> Option<&str> {
        self.summary.as_deref()
    }
}
