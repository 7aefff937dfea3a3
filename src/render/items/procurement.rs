//! Joint procurement: calls, the procurement page (open calls first) and one page per call.

use serde::Serialize;
use tera::Value;

use super::{MemberRef, Party, Shown, cluster_party, member_party, member_refs, value};
use crate::model::parts::Person;
use crate::model::procurement::{CallStatus, Procurement};
use crate::model::{Entry, Site};
use crate::render::pages::{CollectionPages, Job, Shared};
use crate::url::paths;

#[derive(Serialize)]
pub struct ProcurementView<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub url: String,
    pub category: Option<&'a str>,
    pub status: &'static str,
    /// Open, and its deadline (if any) not passed.
    pub open: bool,
    pub summary: &'a str,
    /// The language `summary` is shown in and a note saying so, when not the page's (a
    /// text not translated).
    pub summary_lang: Option<crate::render::views::TextLanguage>,
    pub deadline: Option<String>,
    pub deadline_label: Option<String>,
    pub volume: Option<&'a str>,
    pub participants: Vec<MemberRef>,
    pub coordinator: Party,
    pub contact: Option<&'a Person>,
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
}

pub fn procurement_view<'a>(site: &'a Site, e: &'a Entry<Procurement>) -> ProcurementView<'a> {
    let p = &e.item;
    ProcurementView {
        slug: &p.slug,
        title: &p.title,
        url: site.config.urls.path(&paths::item("procurement", &p.slug)),
        category: p.category.as_deref(),
        status: p.status.key(),
        open: p.status == CallStatus::Open && p.deadline.is_none_or(|d| d >= site.now),
        summary: p.summary.as_deref().unwrap_or(&e.summary),
        summary_lang: crate::render::views::TextLanguage::of(
            &site.config.locale,
            e.summary_lang(p.summary.is_some()),
        ),
        deadline: p.deadline.map(|d| d.to_string()),
        deadline_label: p.deadline.map(|d| site.config.locale.date(d)),
        volume: p.volume.as_deref(),
        participants: member_refs(site, &p.participants),
        coordinator: match &p.coordinator {
            Some(m) => member_party(site, m),
            None => cluster_party(site),
        },
        contact: p.contact.as_ref(),
        extra: &p.extra,
    }
}

impl Shown for Procurement {
    const ON_MEMBER_PAGES: Option<&'static str> = Some("procurement");

    fn value(site: &Site, e: &Entry<Self>) -> Value {
        value(&procurement_view(site, e))
    }

    fn jobs<'s>(site: &'s Site, _shared: &Shared, jobs: &mut Vec<Job<'s>>) {
        CollectionPages::<Procurement>::new()
            .list("calls", in_order(site))
            .push(site, jobs);
    }
}

/// The calls as the procurement page lists them: open calls first by deadline, then closed,
/// then awarded.
fn in_order(site: &Site) -> Vec<&Entry<Procurement>> {
    let mut calls: Vec<_> = site
        .procurement
        .values()
        .map(|e| {
            let open = procurement_view(site, e).open;
            ((!open, e.item.status, e.item.deadline, &e.item.title), e)
        })
        .collect();
    calls.sort_by_key(|(a, _)| *a);
    calls.into_iter().map(|(_, e)| e).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_site;

    fn call(status: &str, deadline: &str) -> String {
        format!("---\ntitle: C\nstatus: {status}\ndeadline: {deadline}\n---\n")
    }

    #[test]
    fn open_calls_come_first_by_deadline_then_closed_then_awarded() {
        let site = test_site(
            "name: Test\nbase_url: https://test.example/\n",
            &[
                ("procurement/awarded.md", &call("awarded", "2026-01-01")),
                ("procurement/later.md", &call("open", "2027-05-01")),
                ("procurement/sooner.md", &call("open", "2027-01-10")),
                ("procurement/closed.md", &call("closed", "2026-06-01")),
                // Open, but its deadline has passed: shown as closed.
                ("procurement/missed.md", &call("open", "2026-11-01")),
            ],
            "2026-12-04",
        );
        let order: Vec<&str> = in_order(&site)
            .iter()
            .map(|e| e.item.slug.as_str())
            .collect();
        assert_eq!(order[..2], ["sooner", "later"]);
        assert_eq!(order.last(), Some(&"awarded"));
        assert!(!procurement_view(&site, &site.procurement["missed"]).open);
    }
}
