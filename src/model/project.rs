//! Joint projects: R&D, joint production and supply-chain projects.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::check::Checker;
use super::parts::{Org, RawOrg, clean};
use super::types::Term;
use crate::content::front_matter::Seg;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawProject {
    title: String,
    kind: ProjectKind,
    #[serde(default)]
    status: ProjectStatus,
    summary: Option<String>,
    #[schemars(extend("x-clusterpress" = "date"))]
    start: Option<String>,
    #[schemars(extend("x-clusterpress" = "date"))]
    end: Option<String>,
    #[serde(default)]
    #[schemars(extend("x-clusterpress" = "member"))]
    partners: Vec<String>,
    #[serde(default)]
    external_partners: Vec<RawOrg>,
    #[schemars(extend("x-clusterpress" = "funding"))]
    funding: Option<String>,
    funded_by: Option<String>,
    budget: Option<String>,
    #[serde(default)]
    #[schemars(extend("x-clusterpress" = "terms:topics"))]
    topics: Vec<String>,
    #[schemars(extend("x-clusterpress" = "url"))]
    website: Option<String>,
    #[schemars(extend("x-clusterpress" = "text"))]
    results: Option<String>,
    #[schemars(extend("x-clusterpress" = "image"))]
    image: Option<String>,
    #[serde(default)]
    pub(crate) draft: bool,
    #[serde(default)]
    extra: serde_json::Map<String, serde_json::Value>,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, JsonSchema, Serialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum ProjectKind {
    RAndD,
    JointProduction,
    SupplyChain,
}

impl ProjectKind {
    pub fn key(self) -> &'static str {
        match self {
            ProjectKind::RAndD => "r-and-d",
            ProjectKind::JointProduction => "joint-production",
            ProjectKind::SupplyChain => "supply-chain",
        }
    }
}

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Deserialize, JsonSchema, Serialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum ProjectStatus {
    Planned,
    #[default]
    Running,
    Completed,
}

impl ProjectStatus {
    pub fn key(self) -> &'static str {
        match self {
            ProjectStatus::Planned => "planned",
            ProjectStatus::Running => "running",
            ProjectStatus::Completed => "completed",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Project {
    pub slug: String,
    pub title: String,
    pub kind: ProjectKind,
    pub status: ProjectStatus,
    pub summary: Option<String>,
    pub start: Option<jiff::civil::Date>,
    pub end: Option<jiff::civil::Date>,
    pub partners: Vec<String>,
    pub external_partners: Vec<Org>,
    /// A funding opportunity of the site, by slug.
    pub funding: Option<String>,
    pub funded_by: Option<String>,
    pub budget: Option<String>,
    pub topics: Vec<Term>,
    pub website: Option<String>,
    pub results: Option<String>,
    pub image: Option<String>,
    pub extra: serde_json::Map<String, serde_json::Value>,
}

pub(crate) fn check_project(slug: String, raw: RawProject, check: &mut Checker<'_>) -> Project {
    let title = check.title("title", raw.title);
    let start = raw.start.and_then(|d| check.date(&[Seg::Key("start")], &d));
    let end = raw.end.and_then(|d| check.date(&[Seg::Key("end")], &d));
    if let (Some(s), Some(e)) = (start, end)
        && e < s
    {
        check.refuse(
            &[Seg::Key("end")],
            (
                format!("the end {e} is before the start {s}"),
                "check the dates".into(),
            ),
        );
    }
    let external_partners = raw
        .external_partners
        .into_iter()
        .enumerate()
        .map(|(i, o)| check.org(&[Seg::Key("external_partners"), Seg::Index(i)], o))
        .collect();
    Project {
        slug,
        title,
        kind: raw.kind,
        status: raw.status,
        summary: clean(raw.summary),
        start,
        end,
        partners: check.members("partners", &raw.partners),
        external_partners,
        funding: raw
            .funding
            .and_then(|f| check.funding(&[Seg::Key("funding")], &f)),
        funded_by: clean(raw.funded_by),
        budget: clean(raw.budget),
        topics: check.terms("topics", &raw.topics),
        website: check.web_url(&[Seg::Key("website")], raw.website),
        results: clean(raw.results),
        image: raw
            .image
            .and_then(|i| check.image(&[Seg::Key("image")], &i)),
        extra: raw.extra,
    }
}

impl super::collection::Collection for Project {
    fn is_current(&self, _now: jiff::civil::Date) -> bool {
        self.status != ProjectStatus::Completed
    }

    const KEY: &'static str = "projects";
    const TITLE: &'static str = "Joint projects";
    const MENU: &'static str = "Projects";
    type Raw = RawProject;

    fn is_draft(raw: &RawProject) -> bool {
        raw.draft
    }

    fn check(slug: String, raw: RawProject, check: &mut Checker<'_>) -> Option<Self> {
        Some(check_project(slug, raw, check))
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
        self.partners.iter().map(String::as_str).collect()
    }
}
