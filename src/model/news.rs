//! News, press releases, market reports and position papers.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::check::Checker;
use super::parts::clean;
use super::types::Term;
use crate::content::front_matter::Seg;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawNews {
    title: String,
    #[schemars(extend("x-clusterpress" = "date"))]
    date: String,
    #[serde(default)]
    kind: NewsKind,
    summary: Option<String>,
    #[serde(default)]
    authors: Vec<String>,
    #[serde(default)]
    #[schemars(extend("x-clusterpress" = "terms:topics"))]
    topics: Vec<String>,
    #[schemars(extend("x-clusterpress" = "file"))]
    attachment: Option<String>,
    #[schemars(extend("x-clusterpress" = "image"))]
    image: Option<String>,
    #[serde(default)]
    pub(crate) draft: bool,
    #[serde(default)]
    extra: serde_json::Map<String, serde_json::Value>,
}

#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Deserialize, JsonSchema, Serialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum NewsKind {
    #[default]
    News,
    PositionPaper,
    PressRelease,
    MarketReport,
}

impl NewsKind {
    pub fn key(self) -> &'static str {
        match self {
            NewsKind::News => "news",
            NewsKind::PositionPaper => "position-paper",
            NewsKind::PressRelease => "press-release",
            NewsKind::MarketReport => "market-report",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            NewsKind::News => "News",
            NewsKind::PositionPaper => "Position paper",
            NewsKind::PressRelease => "Press release",
            NewsKind::MarketReport => "Market report",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct News {
    pub slug: String,
    pub title: String,
    /// `None` only when the date could not be read (the error is reported).
    pub date: Option<jiff::civil::Date>,
    pub kind: NewsKind,
    pub summary: Option<String>,
    pub authors: Vec<String>,
    pub topics: Vec<Term>,
    pub attachment: Option<String>,
    pub image: Option<String>,
    pub extra: serde_json::Map<String, serde_json::Value>,
}

pub(crate) fn check_news(slug: String, raw: RawNews, check: &mut Checker<'_>) -> News {
    let title = check.title("title", raw.title);
    News {
        slug,
        title,
        date: check.date(&[Seg::Key("date")], &raw.date),
        kind: raw.kind,
        summary: clean(raw.summary),
        authors: raw
            .authors
            .into_iter()
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty())
            .collect(),
        topics: check.terms("topics", &raw.topics),
        attachment: raw
            .attachment
            .and_then(|a| check.asset(&[Seg::Key("attachment")], &a)),
        image: raw
            .image
            .and_then(|i| check.image(&[Seg::Key("image")], &i)),
        extra: raw.extra,
    }
}

impl super::collection::Collection for News {
    const KEY: &'static str = "news";
    const TITLE: &'static str = "News";
    const MENU: &'static str = "News";
    type Raw = RawNews;

    fn is_draft(raw: &RawNews) -> bool {
        raw.draft
    }

    fn check(slug: String, raw: RawNews, check: &mut Checker<'_>) -> Option<Self> {
        Some(check_news(slug, raw, check))
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
