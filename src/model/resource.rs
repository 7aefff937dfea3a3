//! Shared resources: labs, equipment, workshops, offices and staff that members lend.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::check::Checker;
use super::parts::{Place, RawPlace, clean};
use crate::content::front_matter::Seg;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawResource {
    title: String,
    kind: ResourceKind,
    #[schemars(extend("x-clusterpress" = "member"))]
    owner: String,
    summary: Option<String>,
    location: Option<RawPlace>,
    capacity: Option<String>,
    #[schemars(extend("x-clusterpress" = "text"))]
    availability: Option<String>,
    booking: Option<RawBooking>,
    price: Option<String>,
    #[schemars(extend("x-clusterpress" = "image"))]
    image: Option<String>,
    #[serde(default)]
    pub(crate) draft: bool,
    #[serde(default)]
    extra: serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawBooking {
    contact: Option<String>,
    #[schemars(extend("x-clusterpress" = "url"))]
    url: Option<String>,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, JsonSchema, Serialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum ResourceKind {
    Lab,
    Equipment,
    Workshop,
    Office,
    StaffLoan,
}

impl ResourceKind {
    pub fn key(self) -> &'static str {
        match self {
            ResourceKind::Lab => "lab",
            ResourceKind::Equipment => "equipment",
            ResourceKind::Workshop => "workshop",
            ResourceKind::Office => "office",
            ResourceKind::StaffLoan => "staff-loan",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    pub slug: String,
    pub title: String,
    pub kind: ResourceKind,
    /// `None` only when the owner reference failed (the error is reported).
    pub owner: Option<String>,
    pub summary: Option<String>,
    pub location: Option<Place>,
    pub capacity: Option<String>,
    pub availability: Option<String>,
    pub booking_contact: Option<String>,
    pub booking_url: Option<String>,
    pub price: Option<String>,
    pub image: Option<String>,
    pub extra: serde_json::Map<String, serde_json::Value>,
}

pub(crate) fn check_resource(slug: String, raw: RawResource, check: &mut Checker<'_>) -> Resource {
    let title = check.title("title", raw.title);
    let owner = check.member(&[Seg::Key("owner")], &raw.owner);
    let (booking_contact, booking_url) = match raw.booking {
        Some(b) => (
            check.email(&[Seg::Key("booking"), Seg::Key("contact")], b.contact),
            check.web_url(&[Seg::Key("booking"), Seg::Key("url")], b.url),
        ),
        None => (None, None),
    };
    Resource {
        slug,
        title,
        kind: raw.kind,
        owner,
        summary: clean(raw.summary),
        location: raw
            .location
            .map(|l| check.place(&[Seg::Key("location")], l)),
        capacity: clean(raw.capacity),
        availability: clean(raw.availability),
        booking_contact,
        booking_url,
        price: clean(raw.price),
        image: raw
            .image
            .and_then(|i| check.image(&[Seg::Key("image")], &i)),
        extra: raw.extra,
    }
}

impl super::collection::Collection for Resource {
    fn is_current(&self, _now: jiff::civil::Date) -> bool {
        true
    }

    const KEY: &'static str = "resources";
    const TITLE: &'static str = "Shared resources";
    const MENU: &'static str = "Shared resources";
    type Raw = RawResource;

    fn is_draft(raw: &RawResource) -> bool {
        raw.draft
    }

    fn check(slug: String, raw: RawResource, check: &mut Checker<'_>) -> Option<Self> {
        Some(check_resource(slug, raw, check))
    }

    fn slug(&self) -> &str {
        &self.slug
    }

    fn title(&self) -> &str {
        &self.title
    }

    fn summary(&self) -> Option<&str> {
        self.summary.as_deref()
    }

    fn members(&self) -> Vec<&str> {
        self.owner.iter().map(String::as_str).collect()
    }
}
