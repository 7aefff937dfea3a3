//! Joint procurement: calls in which members buy together.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::check::Checker;
use super::parts::{Person, RawPerson, clean};
use crate::content::front_matter::Seg;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawProcurement {
    title: String,
    category: Option<String>,
    status: CallStatus,
    summary: Option<String>,
    #[schemars(extend("x-clusterpress" = "date"))]
    deadline: Option<String>,
    volume: Option<String>,
    #[serde(default)]
    #[schemars(extend("x-clusterpress" = "member"))]
    participants: Vec<String>,
    #[schemars(extend("x-clusterpress" = "member"))]
    coordinator: Option<String>,
    contact: Option<RawPerson>,
    #[serde(default)]
    pub(crate) draft: bool,
    #[serde(default)]
    extra: serde_json::Map<String, serde_json::Value>,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, JsonSchema, Serialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum CallStatus {
    Open,
    Closed,
    Awarded,
}

impl CallStatus {
    pub fn key(self) -> &'static str {
        match self {
            CallStatus::Open => "open",
            CallStatus::Closed => "closed",
            CallStatus::Awarded => "awarded",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Procurement {
    pub slug: String,
    pub title: String,
    pub category: Option<String>,
    pub status: CallStatus,
    pub summary: Option<String>,
    pub deadline: Option<jiff::civil::Date>,
    pub volume: Option<String>,
    pub participants: Vec<String>,
    /// A member that coordinates the call; `None` means the cluster's secretariat.
    pub coordinator: Option<String>,
    pub contact: Option<Person>,
    pub extra: serde_json::Map<String, serde_json::Value>,
}

pub(crate) fn check_procurement(
    slug: String,
    raw: RawProcurement,
    check: &mut Checker<'_>,
) -> Procurement {
    let title = check.title("title", raw.title);
    let coordinator = match raw.coordinator.as_deref().map(str::trim) {
        None | Some("cluster") | Some("") => None,
        Some(s) => check.member(&[Seg::Key("coordinator")], s),
    };
    Procurement {
        slug,
        title,
        category: clean(raw.category),
        status: raw.status,
        summary: clean(raw.summary),
        deadline: raw
            .deadline
            .and_then(|d| check.date(&[Seg::Key("deadline")], &d)),
        volume: clean(raw.volume),
        participants: check.members("participants", &raw.participants),
        coordinator,
        contact: raw.contact.map(|c| check.person(&[Seg::Key("contact")], c)),
        extra: raw.extra,
    }
}

impl super::collection::Collection for Procurement {
    fn is_current(&self, now: jiff::civil::Date) -> bool {
        self.status == CallStatus::Open && self.deadline.is_none_or(|d| d >= now)
    }

    const KEY: &'static str = "procurement";
    const TITLE: &'static str = "Joint procurement";
    const MENU: &'static str = "Joint procurement";
    type Raw = RawProcurement;

    fn is_draft(raw: &RawProcurement) -> bool {
        raw.draft
    }

    fn check(slug: String, raw: RawProcurement, check: &mut Checker<'_>) -> Option<Self> {
        Some(check_procurement(slug, raw, check))
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
        self.coordinator
            .iter()
            .chain(&self.participants)
            .map(String::as_str)
            .collect()
    }
}
