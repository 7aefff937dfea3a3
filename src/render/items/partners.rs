//! Partner clusters: their view, the partners page (A–Z) and one page per partner.

use serde::Serialize;
use tera::Value;

use super::{Shown, term_names, value};
use crate::model::partner::Partner;
use crate::model::parts::Person;
use crate::model::{Entry, Site};
use crate::render::jsonld;
use crate::render::pages::{CollectionPages, Job, Shared};
use crate::url::paths;

#[derive(Serialize)]
pub struct PartnerView<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub url: String,
    /// `{code, name}`, the name in the site's language.
    pub country: Option<crate::model::types::Country>,
    pub website: Option<&'a str>,
    pub since: Option<i32>,
    pub topics: Vec<&'a str>,
    pub summary: &'a str,
    /// The language `summary` is shown in and a note saying so, when not the page's (a
    /// text not translated).
    pub summary_lang: Option<crate::render::views::TextLanguage>,
    pub logo: Option<String>,
    pub contact: Option<&'a Person>,
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
}

pub fn partner_view<'a>(site: &'a Site, e: &'a Entry<Partner>) -> PartnerView<'a> {
    let p = &e.item;
    let urls = &site.config.urls;
    PartnerView {
        slug: &p.slug,
        name: &p.name,
        url: urls.path(&paths::item("partners", &p.slug)),
        country: p.country.as_ref().map(|c| crate::model::types::Country {
            code: c.code.clone(),
            name: site.config.locale.country(&c.code),
        }),
        website: p.website.as_deref(),
        since: p.since,
        topics: term_names(&p.topics),
        summary: p.summary.as_deref().unwrap_or(&e.summary),
        summary_lang: crate::render::views::TextLanguage::of(
            &site.config.locale,
            e.summary_lang(p.summary.is_some()),
        ),
        logo: p.logo.as_deref().map(|l| urls.asset(l)),
        contact: p.contact.as_ref(),
        extra: &p.extra,
    }
}

impl Shown for Partner {
    fn image(item: &Self) -> Option<&str> {
        item.logo.as_deref()
    }

    fn value(site: &Site, e: &Entry<Self>) -> Value {
        value(&partner_view(site, e))
    }

    fn jobs<'s>(site: &'s Site, _shared: &Shared, jobs: &mut Vec<Job<'s>>) {
        CollectionPages::<Partner>::new()
            .list("partners", in_order(site))
            .jsonld(jsonld::partner)
            .push(site, jobs);
    }
}

/// The partners as the partners page lists them: A–Z by name.
fn in_order(site: &Site) -> Vec<&Entry<Partner>> {
    let order = crate::model::sort_by_name(
        site.partners
            .values()
            .map(|p| (p.item.name.as_str(), p.item.slug.as_str())),
    );
    order.iter().filter_map(|s| site.partners.get(s)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_site;

    #[test]
    fn partners_are_listed_a_to_z_by_name_ignoring_accents_and_case() {
        let partner = |name: &str| format!("---\nname: {name}\ncountry: FR\n---\n");
        let site = test_site(
            "name: Test\nbase_url: https://test.example/\n",
            &[
                ("partners/a.md", &partner("zenith cluster")),
                ("partners/b.md", &partner("Élan Mécanique")),
                ("partners/c.md", &partner("Alsace Tech")),
            ],
            "2026-12-04",
        );
        let order: Vec<&str> = in_order(&site)
            .iter()
            .map(|e| e.item.name.as_str())
            .collect();
        assert_eq!(order, ["Alsace Tech", "Élan Mécanique", "zenith cluster"]);
        let view = partner_view(&site, &site.partners["b"]);
        assert_eq!(view.url, "/partners/b/");
    }
}
