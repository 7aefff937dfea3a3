//! Joint projects: their view, the projects page (running, planned, completed) and one page per project.

use serde::Serialize;
use tera::Value;

use super::{MemberRef, Party, Shown, member_refs, term_names, value, word};
use crate::model::parts::Org;
use crate::model::project::Project;
use crate::model::{Entry, Site};
use crate::render::pages::{CollectionPages, Job, Shared};
use crate::url::paths;

#[derive(Serialize)]
pub struct ProjectView<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub url: String,
    pub kind: &'static str,
    pub kind_label: String,
    pub status: &'static str,
    pub summary: &'a str,
    /// The language `summary` is shown in and a note saying so, when not the page's (a
    /// text not translated).
    pub summary_lang: Option<crate::render::views::TextLanguage>,
    pub start: Option<String>,
    pub end: Option<String>,
    pub period_label: Option<String>,
    pub partners: Vec<MemberRef>,
    pub external_partners: &'a [Org],
    pub funding: Option<Party>,
    pub funded_by: Option<&'a str>,
    pub budget: Option<&'a str>,
    pub topics: Vec<&'a str>,
    pub website: Option<&'a str>,
    pub results: Option<&'a str>,
    pub image: Option<String>,
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
}

pub fn project_view<'a>(site: &'a Site, e: &'a Entry<Project>) -> ProjectView<'a> {
    let p = &e.item;
    let urls = &site.config.urls;
    let period_label = match (p.start, p.end) {
        (Some(s), Some(e)) => Some(site.config.locale.range(s, e)),
        (Some(s), None) => Some(
            site.config
                .locale
                .fill("date.since", &[("date", &site.config.locale.date(s))]),
        ),
        (None, Some(e)) => Some(
            site.config
                .locale
                .fill("date.until", &[("date", &site.config.locale.date(e))]),
        ),
        (None, None) => None,
    };
    ProjectView {
        slug: &p.slug,
        title: &p.title,
        url: urls.path(&paths::item("projects", &p.slug)),
        kind: p.kind.key(),
        kind_label: word(site, &format!("projects.kinds.{}", p.kind.key())),
        status: p.status.key(),
        summary: p.summary.as_deref().unwrap_or(&e.summary),
        summary_lang: crate::render::views::TextLanguage::of(
            &site.config.locale,
            e.summary_lang(p.summary.is_some()),
        ),
        start: p.start.map(|d| d.to_string()),
        end: p.end.map(|d| d.to_string()),
        period_label,
        partners: member_refs(site, &p.partners),
        external_partners: &p.external_partners,
        funding: p
            .funding
            .as_ref()
            .and_then(|f| site.funding.get(f))
            .map(|f| Party {
                name: f.item.title.clone(),
                url: Some(urls.path(&paths::item("funding", &f.item.slug))),
                kind: "funding",
            }),
        funded_by: p.funded_by.as_deref(),
        budget: p.budget.as_deref(),
        topics: term_names(&p.topics),
        website: p.website.as_deref(),
        results: p.results.as_deref(),
        image: p.image.as_deref().map(|i| urls.asset(i)),
        extra: &p.extra,
    }
}

impl Shown for Project {
    const ON_MEMBER_PAGES: Option<&'static str> = Some("projects");

    fn image(item: &Self) -> Option<&str> {
        item.image.as_deref()
    }

    fn value(site: &Site, e: &Entry<Self>) -> Value {
        value(&project_view(site, e))
    }

    fn jobs<'s>(site: &'s Site, _shared: &Shared, jobs: &mut Vec<Job<'s>>) {
        CollectionPages::<Project>::new()
            .list("projects", in_order(site))
            .push(site, jobs);
    }
}

/// The projects as the projects page lists them: running, planned, completed; newest start
/// first within each, then by title.
fn in_order(site: &Site) -> Vec<&Entry<Project>> {
    use crate::model::project::ProjectStatus;
    let rank = |s: ProjectStatus| match s {
        ProjectStatus::Running => 0,
        ProjectStatus::Planned => 1,
        ProjectStatus::Completed => 2,
    };
    let mut projects: Vec<_> = site.projects.values().collect();
    projects.sort_by_key(|e| {
        (
            rank(e.item.status),
            std::cmp::Reverse(e.item.start),
            e.item.title.clone(),
        )
    });
    projects
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_site;

    fn project(status: &str, start: &str) -> String {
        format!("---\ntitle: P\nkind: r-and-d\nstatus: {status}\nstart: {start}\n---\n")
    }

    #[test]
    fn running_projects_come_first_then_planned_then_completed_newest_first() {
        let site = test_site(
            "name: Test\nbase_url: https://test.example/\n",
            &[
                ("projects/done.md", &project("completed", "2020-01-01")),
                ("projects/old-running.md", &project("running", "2024-01-01")),
                ("projects/new-running.md", &project("running", "2026-01-01")),
                ("projects/next.md", &project("planned", "2027-06-01")),
            ],
            "2026-12-04",
        );
        let order: Vec<&str> = in_order(&site)
            .iter()
            .map(|e| e.item.slug.as_str())
            .collect();
        assert_eq!(order, ["new-running", "old-running", "next", "done"]);
    }
}
