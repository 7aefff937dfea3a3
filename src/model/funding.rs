//! Funding opportunities: calls and programmes that members can apply to.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::check::Checker;
use super::parts::clean;
use super::types::Term;
use crate::content::front_matter::Seg;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawFunding {
    title: String,
    funder: Option<String>,
    programme: Option<String>,
    #[serde(default)]
    status: FundingStatus,
    summary: Option<String>,
    #[schemars(extend("x-clusterpress" = "date"))]
    deadline: Option<String>,
    #[serde(default)]
    #[schemars(extend("x-clusterpress" = "date"))]
    deadlines: Vec<String>,
    amount: Option<RawAmount>,
    #[schemars(extend("x-clusterpress" = "text"))]
    eligibility: Option<String>,
    #[schemars(extend("x-clusterpress" = "url"))]
    url: Option<String>,
    #[serde(default)]
    #[schemars(extend("x-clusterpress" = "terms:topics"))]
    topics: Vec<String>,
    #[serde(default)]
    pub(crate) draft: bool,
    #[serde(default)]
    extra: serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawAmount {
    min: Option<u64>,
    max: Option<u64>,
    currency: Option<String>,
}

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Deserialize, JsonSchema, Serialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum FundingStatus {
    #[default]
    Open,
    Upcoming,
    Closed,
}

impl FundingStatus {
    pub fn key(self) -> &'static str {
        match self {
            FundingStatus::Open => "open",
            FundingStatus::Upcoming => "upcoming",
            FundingStatus::Closed => "closed",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Amount {
    pub min: Option<u64>,
    pub max: Option<u64>,
    pub currency: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Funding {
    pub slug: String,
    pub title: String,
    pub funder: Option<String>,
    pub programme: Option<String>,
    pub status: FundingStatus,
    pub summary: Option<String>,
    /// Sorted.
    pub deadlines: Vec<jiff::civil::Date>,
    pub amount: Option<Amount>,
    pub eligibility: Option<String>,
    pub url: Option<String>,
    pub topics: Vec<Term>,
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl Funding {
    /// The first deadline on or after `now`.
    pub fn next_deadline(&self, now: jiff::civil::Date) -> Option<jiff::civil::Date> {
        self.deadlines.iter().copied().find(|d| *d >= now)
    }
}

pub(crate) fn check_funding(slug: String, raw: RawFunding, check: &mut Checker<'_>) -> Funding {
    let title = check.title("title", raw.title);
    let mut deadlines = Vec::new();
    if let Some(d) = raw.deadline {
        if !raw.deadlines.is_empty() {
            check.refuse(
                &[Seg::Key("deadline")],
                (
                    "both `deadline` and `deadlines` are given".into(),
                    "put all dates in `deadlines: [2027-03-31, 2027-09-30]`".into(),
                ),
            );
        }
        deadlines.extend(check.date(&[Seg::Key("deadline")], &d));
    }
    for (i, d) in raw.deadlines.iter().enumerate() {
        deadlines.extend(check.date(&[Seg::Key("deadlines"), Seg::Index(i)], d));
    }
    deadlines.sort();
    deadlines.dedup();
    let amount = raw.amount.map(|a| {
        if let (Some(min), Some(max)) = (a.min, a.max)
            && max < min
        {
            check.refuse(
                &[Seg::Key("amount"), Seg::Key("max")],
                (
                    format!("the maximum {max} is below the minimum {min}"),
                    "swap the two amounts".into(),
                ),
            );
        }
        let currency = a.currency.unwrap_or_else(|| "EUR".into());
        let currency = check
            .check(
                &[Seg::Key("amount"), Seg::Key("currency")],
                crate::text::check_currency(&currency),
            )
            .unwrap_or_default();
        Amount {
            min: a.min,
            max: a.max,
            currency,
        }
    });
    Funding {
        slug,
        title,
        funder: clean(raw.funder),
        programme: clean(raw.programme),
        status: raw.status,
        summary: clean(raw.summary),
        deadlines,
        amount,
        eligibility: clean(raw.eligibility),
        url: check.web_url(&[Seg::Key("url")], raw.url),
        topics: check.terms("topics", &raw.topics),
        extra: raw.extra,
    }
}

impl super::collection::Collection for Funding {
    const KEY: &'static str = "funding";
    const TITLE: &'static str = "Funding opportunities";
    const MENU: &'static str = "Funding";
    const FIRST: bool = true;
    type Raw = RawFunding;

    fn is_draft(raw: &RawFunding) -> bool {
        raw.draft
    }

    fn check(slug: String, raw: RawFunding, check: &mut Checker<'_>) -> Option<Self> {
        Some(check_funding(slug, raw, check))
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
}
