//! Joint catalogues: their view, their entries (written or selected members), the catalogues page and one page per catalogue.

use serde::Serialize;
use tera::Value;

use super::{Shown, value};
use crate::model::catalogue::Catalogue;
use crate::model::{Entry, Site};
use crate::render::jsonld;
use crate::render::pages::{CollectionPages, Job, Shared};
use crate::url::paths;

#[derive(Serialize)]
pub struct CatalogueView<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub url: String,
    pub permalink: String,
    pub edition: Option<&'a str>,
    pub summary: &'a str,
    /// The language `summary` is shown in and a note saying so, when not the page's (a
    /// text not translated).
    pub summary_lang: Option<crate::render::views::TextLanguage>,
    pub cover: Option<String>,
    pub count: usize,
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
}

pub fn catalogue_view<'a>(
    site: &'a Site,
    e: &'a Entry<crate::model::catalogue::Catalogue>,
) -> CatalogueView<'a> {
    let c = &e.item;
    let urls = &site.config.urls;
    let path = paths::item("catalogues", &c.slug);
    CatalogueView {
        slug: &c.slug,
        title: &c.title,
        url: urls.path(&path),
        permalink: urls.permalink(&path),
        edition: c.edition.as_deref(),
        summary: c.summary.as_deref().unwrap_or(&e.summary),
        summary_lang: crate::render::views::TextLanguage::of(
            &site.config.locale,
            e.summary_lang(c.summary.is_some()),
        ),
        cover: c.cover.as_deref().map(|i| urls.asset(i)),
        count: c.entries.len(),
        extra: &c.extra,
    }
}

/// The entries of a catalogue: each member's full view, with the products shown.
pub fn catalogue_entries<'v>(
    site: &Site,
    e: &Entry<crate::model::catalogue::Catalogue>,
    member: impl Fn(&str) -> Option<&'v Value>,
) -> Value {
    let urls = &site.config.urls;
    let list: Vec<Value> = e
        .item
        .entries
        .iter()
        .filter_map(|entry| {
            let member = member(entry.member.as_str())?.clone();
            let m = &site.members.get(&entry.member)?.item;
            let products: Vec<serde_json::Value> = m
                .products
                .iter()
                .filter(|p| entry.products.as_ref().is_none_or(|wanted| wanted.contains(&p.name)))
                .map(|p| serde_json::json!({ "name": p.name, "description": p.description, "image": p.image.as_deref().map(|i| urls.asset(i)) }))
                .collect();
            let mut map = tera::Map::new();
            map.insert("member".into(), member);
            map.insert("products".into(), Value::from_serializable(&products));
            Some(Value::from(map))
        })
        .collect();
    Value::from(list)
}

impl Shown for Catalogue {
    const ON_MEMBER_PAGES: Option<&'static str> = Some("catalogues");

    fn image(item: &Self) -> Option<&str> {
        item.cover.as_deref()
    }

    fn value(site: &Site, e: &Entry<Self>) -> Value {
        value(&catalogue_view(site, e))
    }

    fn jobs<'s>(site: &'s Site, shared: &Shared, jobs: &mut Vec<Job<'s>>) {
        // Catalogues, with their entries on their own pages.
        let mut catalogue_jobs = Vec::new();
        CollectionPages::<Catalogue>::new()
            .list("catalogues", site.catalogues.values().collect())
            .jsonld(jsonld::catalogue)
            .push(site, &mut catalogue_jobs);
        for job in &mut catalogue_jobs {
            if job.kind == "item"
                && let Some(entry) = job
                    .path
                    .strip_prefix("catalogues/")
                    .and_then(|s| site.catalogues.get(s.trim_end_matches('/')))
            {
                job.vars.push((
                    "entries",
                    catalogue_entries(site, entry, |s| shared.member(s)),
                ));
            }
        }
        jobs.extend(catalogue_jobs);
    }
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::model::test_site;

    #[test]
    fn a_catalogue_lists_its_written_entries_then_the_selected_members_a_to_z() {
        let member = |name: &str, sector: &str| {
            format!(
                "---\nname: {name}\ntype: company\nsectors: [{sector}]\nproducts:\n  - name: {name} One\n  - name: {name} Two\n---\n"
            )
        };
        let catalogue = "---\ntitle: Automation\nentries:\n  - member: zeta\n    products: [Zeta Two]\nselect:\n  sectors: [Automation]\n---\n";
        let site = test_site(
            "name: Test\nbase_url: https://test.example/\n",
            &[
                ("members/zeta.md", &member("Zeta", "Automation")),
                ("members/beta.md", &member("Beta", "Automation")),
                ("members/alpha.md", &member("Alpha", "Automation")),
                ("members/other.md", &member("Other", "Plastics")),
                ("catalogues/automation.md", catalogue),
            ],
            "2026-12-04",
        );
        let entry = &site.catalogues["automation"];
        let members: std::collections::HashMap<String, Value> = site
            .members
            .keys()
            .map(|s| (s.clone(), Value::from(s.as_str())))
            .collect();
        let entries = catalogue_entries(&site, entry, |s| members.get(s));
        let entries = entries.as_array().expect("a list");
        let names: Vec<&str> = entries
            .iter()
            .map(|e| {
                e.get_from_path("member")
                    .and_then(Value::as_str)
                    .unwrap_or("")
            })
            .collect();
        assert_eq!(names, ["zeta", "alpha", "beta"], "written first, then A–Z");
        let products = entries[0]
            .get_from_path("products")
            .and_then(Value::as_array);
        assert_eq!(
            products.map(|p| p.len()),
            Some(1),
            "only the products the entry names"
        );
        assert_eq!(catalogue_view(&site, entry).title, "Automation");
    }
}
