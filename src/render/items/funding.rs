//! Funding opportunities: their view with deadlines and amounts, the funding page (open first) and one page per opportunity.

use serde::Serialize;
use tera::Value;

use super::{Party, Shown, term_names, value};
use crate::model::funding::Funding;
use crate::model::{Entry, Site};
use crate::render::pages::{CollectionPages, Job, Shared};
use crate::url::paths;

#[derive(Serialize)]
pub struct FundingView<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub url: String,
    pub funder: Option<&'a str>,
    pub programme: Option<&'a str>,
    pub status: &'static str,
    /// Accepting applications now: open, with a deadline still ahead (or none).
    pub open: bool,
    pub summary: &'a str,
    /// The language `summary` is shown in and a note saying so, when not the page's (a
    /// text not translated).
    pub summary_lang: Option<crate::render::views::TextLanguage>,
    pub deadlines: Vec<String>,
    pub deadline_labels: Vec<String>,
    /// Every deadline as `{date, label, passed}`.
    pub deadline_list: Vec<DeadlineView>,
    pub next_deadline: Option<String>,
    pub next_deadline_label: Option<String>,
    pub amount_label: Option<String>,
    pub eligibility: Option<&'a str>,
    pub website: Option<&'a str>,
    pub topics: Vec<&'a str>,
    pub projects: Vec<Party>,
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
}

#[derive(Serialize)]
pub struct DeadlineView {
    pub date: String,
    pub label: String,
    pub passed: bool,
}

pub fn funding_view<'a>(site: &'a Site, e: &'a Entry<Funding>) -> FundingView<'a> {
    let f = &e.item;
    let urls = &site.config.urls;
    let next = f.next_deadline(site.now);
    let l = &site.config.locale;
    let money = |n: u64| l.grouped(n);
    let amount_label = f.amount.as_ref().map(|a| match (a.min, a.max) {
        (Some(min), Some(max)) => format!("{} {} – {}", a.currency, money(min), money(max)),
        (None, Some(max)) => l.fill(
            "funding.up_to",
            &[("amount", &format!("{} {}", a.currency, money(max)))],
        ),
        (Some(min), None) => l.fill(
            "funding.from",
            &[("amount", &format!("{} {}", a.currency, money(min)))],
        ),
        (None, None) => a.currency.clone(),
    });
    let open = f.status == crate::model::funding::FundingStatus::Open
        && (f.deadlines.is_empty() || next.is_some());
    let projects = site
        .projects
        .values()
        .filter(|p| p.item.funding.as_deref() == Some(f.slug.as_str()))
        .map(|p| Party {
            name: p.item.title.clone(),
            url: Some(urls.path(&paths::item("projects", &p.item.slug))),
            kind: "project",
        })
        .collect();
    FundingView {
        slug: &f.slug,
        title: &f.title,
        url: urls.path(&paths::item("funding", &f.slug)),
        funder: f.funder.as_deref(),
        programme: f.programme.as_deref(),
        status: f.status.key(),
        open,
        summary: f.summary.as_deref().unwrap_or(&e.summary),
        summary_lang: crate::render::views::TextLanguage::of(
            &site.config.locale,
            e.summary_lang(f.summary.is_some()),
        ),
        deadlines: f.deadlines.iter().map(ToString::to_string).collect(),
        deadline_labels: f
            .deadlines
            .iter()
            .map(|d| site.config.locale.date(*d))
            .collect(),
        deadline_list: f
            .deadlines
            .iter()
            .map(|d| DeadlineView {
                date: d.to_string(),
                label: site.config.locale.date(*d),
                passed: *d < site.now,
            })
            .collect(),
        next_deadline: next.map(|d| d.to_string()),
        next_deadline_label: next.map(|d| site.config.locale.date(d)),
        amount_label,
        eligibility: f.eligibility.as_deref(),
        website: f.url.as_deref(),
        topics: term_names(&f.topics),
        projects,
        extra: &f.extra,
    }
}

impl Shown for Funding {
    fn value(site: &Site, e: &Entry<Self>) -> Value {
        value(&funding_view(site, e))
    }

    fn jobs<'s>(site: &'s Site, _shared: &Shared, jobs: &mut Vec<Job<'s>>) {
        CollectionPages::<Funding>::new()
            .list("opportunities", in_order(site))
            .push(site, jobs);
    }
}

/// The opportunities as the funding page lists them: open ones by next deadline, then
/// upcoming, then closed; by title within.
fn in_order(site: &Site) -> Vec<&Entry<Funding>> {
    let mut funding: Vec<_> = site
        .funding
        .values()
        .map(|e| {
            let v = funding_view(site, e);
            let next = v.next_deadline.clone().unwrap_or_else(|| "9999".into());
            ((!v.open, e.item.status, next, &e.item.title), e)
        })
        .collect();
    funding.sort_by(|(a, _), (b, _)| a.cmp(b));
    funding.into_iter().map(|(_, e)| e).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_site;

    #[test]
    fn open_opportunities_come_first_by_their_next_deadline_then_upcoming_then_closed() {
        let item = |status: &str, deadlines: &str| {
            format!("---\ntitle: F\nstatus: {status}\ndeadlines: [{deadlines}]\n---\n")
        };
        let site = test_site(
            "name: Test\nbase_url: https://test.example/\n",
            &[
                ("funding/closed.md", &item("closed", "2026-01-31")),
                ("funding/later.md", &item("open", "2026-10-01, 2027-09-30")),
                ("funding/sooner.md", &item("open", "2027-02-28")),
                ("funding/soon-to-open.md", &item("upcoming", "2027-12-31")),
            ],
            "2026-12-04",
        );
        let order: Vec<&str> = in_order(&site)
            .iter()
            .map(|e| e.item.slug.as_str())
            .collect();
        assert_eq!(order, ["sooner", "later", "soon-to-open", "closed"]);
        let later = funding_view(&site, &site.funding["later"]);
        assert_eq!(
            later.next_deadline.as_deref(),
            Some("2027-09-30"),
            "the passed deadline is skipped"
        );
    }
}
