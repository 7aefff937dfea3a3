//! Free pages (`content/pages/**.md`) and the home page text (`content/_index.md`).

use schemars::JsonSchema;
use serde::Deserialize;

use super::check::Checker;
use crate::content::front_matter::Seg;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawPage {
    title: String,
    description: Option<String>,
    template: Option<String>,
    #[serde(default)]
    pub(crate) draft: bool,
    #[serde(default)]
    extra: serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawHome {
    title: Option<String>,
    description: Option<String>,
    #[serde(default)]
    extra: serde_json::Map<String, serde_json::Value>,
}

/// A free page such as "About" or "Membership".
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// Path under `content/pages/` without `.md`: `about`, `legal/imprint`.
    pub name: String,
    pub title: String,
    pub description: Option<String>,
    /// A template of the theme to use instead of `page.html`.
    pub template: Option<String>,
    pub draft: bool,
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// The text of the home page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Home {
    pub title: Option<String>,
    pub description: Option<String>,
    pub extra: serde_json::Map<String, serde_json::Value>,
}

pub(crate) fn check_page(name: String, raw: RawPage, check: &mut Checker<'_>) -> Page {
    if raw.title.trim().is_empty() {
        check.refuse(
            &[Seg::Key("title")],
            (
                "the title is empty".into(),
                "write the page's title, e.g. `title: About us`".into(),
            ),
        );
    }
    let template = raw.template.filter(|t| {
        let ok = t.ends_with(".html") && !t.contains("..") && !t.starts_with('/');
        if !ok {
            check.refuse(
                &[Seg::Key("template")],
                (
                    format!("`{t}` is not a template name"),
                    "write the file name of a template, e.g. `template: wide-page.html`".into(),
                ),
            );
        }
        ok
    });
    Page {
        name,
        title: raw.title.trim().to_string(),
        description: raw.description,
        template,
        draft: raw.draft,
        extra: raw.extra,
    }
}

pub(crate) fn check_home(raw: RawHome) -> Home {
    Home {
        title: raw.title,
        description: raw.description,
        extra: raw.extra,
    }
}

impl super::collection::Collection for Page {
    const KEY: &'static str = "pages";
    const TITLE: &'static str = "Pages";
    const MENU: &'static str = "Pages";
    const FIRST: bool = true;
    type Raw = RawPage;

    fn is_draft(raw: &RawPage) -> bool {
        raw.draft
    }

    fn check(slug: String, raw: RawPage, check: &mut Checker<'_>) -> Option<Self> {
        Some(check_page(slug, raw, check))
    }

    fn slug(&self) -> &str {
        &self.name
    }

    /// Free pages may sit in sub-folders (`legal/imprint.md`).
    fn load(
        doc: crate::content::Document,
        ctx: &super::check::LoadContext,
        include_drafts: bool,
    ) -> (super::load::Loaded, Vec<crate::diag::Diagnostic>) {
        super::load::load_page(doc, ctx, include_drafts)
    }

    fn title(&self) -> &str {
        &self.title
    }

    fn summary(&self) -> Option<&str> {
        None
    }
}
