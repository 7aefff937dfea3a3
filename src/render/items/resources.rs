//! Shared resources: their view, the resources page (by kind) and one page per resource.

use serde::Serialize;
use tera::Value;

use super::{MemberRef, PlaceView, Shown, member_ref, place_view, value, word};
use crate::model::resource::Resource;
use crate::model::{Entry, Site};
use crate::render::pages::{CollectionPages, Job, Shared};
use crate::url::paths;

#[derive(Serialize)]
pub struct ResourceView<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub url: String,
    pub kind: &'static str,
    pub kind_label: String,
    pub owner: Option<MemberRef>,
    pub summary: &'a str,
    /// The language `summary` is shown in and a note saying so, when not the page's (a
    /// text not translated).
    pub summary_lang: Option<crate::render::views::TextLanguage>,
    pub location: Option<PlaceView<'a>>,
    pub capacity: Option<&'a str>,
    pub availability: Option<&'a str>,
    pub booking_contact: Option<&'a str>,
    pub booking_url: Option<&'a str>,
    pub price: Option<&'a str>,
    pub image: Option<String>,
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
}

pub fn resource_view<'a>(site: &'a Site, e: &'a Entry<Resource>) -> ResourceView<'a> {
    let r = &e.item;
    let urls = &site.config.urls;
    ResourceView {
        slug: &r.slug,
        title: &r.title,
        url: urls.path(&paths::item("resources", &r.slug)),
        kind: r.kind.key(),
        kind_label: word(site, &format!("resources.kinds.{}", r.kind.key())),
        owner: r.owner.as_deref().and_then(|o| member_ref(site, o)),
        summary: r.summary.as_deref().unwrap_or(&e.summary),
        summary_lang: crate::render::views::TextLanguage::of(
            &site.config.locale,
            e.summary_lang(r.summary.is_some()),
        ),
        location: r.location.as_ref().map(place_view),
        capacity: r.capacity.as_deref(),
        availability: r.availability.as_deref(),
        booking_contact: r.booking_contact.as_deref(),
        booking_url: r.booking_url.as_deref(),
        price: r.price.as_deref(),
        image: r.image.as_deref().map(|i| urls.asset(i)),
        extra: &r.extra,
    }
}

impl Shown for Resource {
    const ON_MEMBER_PAGES: Option<&'static str> = Some("resources");

    fn image(item: &Self) -> Option<&str> {
        item.image.as_deref()
    }

    fn value(site: &Site, e: &Entry<Self>) -> Value {
        value(&resource_view(site, e))
    }

    fn jobs<'s>(site: &'s Site, _shared: &Shared, jobs: &mut Vec<Job<'s>>) {
        CollectionPages::<Resource>::new()
            .list("resources", in_order(site))
            .push(site, jobs);
    }
}

/// The resources as the resources page lists them, to be grouped by kind: by kind (labs,
/// equipment, workshops, offices, staff), then by title.
fn in_order(site: &Site) -> Vec<&Entry<Resource>> {
    let mut resources: Vec<_> = site.resources.values().collect();
    resources.sort_by_key(|e| (e.item.kind, e.item.title.clone()));
    resources
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_site;

    #[test]
    fn resources_are_listed_by_kind_then_title_with_their_owner() {
        let member = "---\nname: Acme\ntype: company\n---\n";
        let resource = |title: &str, kind: &str| {
            format!("---\ntitle: {title}\nkind: {kind}\nowner: acme\n---\n")
        };
        let site = test_site(
            "name: Test\nbase_url: https://test.example/\n",
            &[
                ("members/acme.md", member),
                ("resources/a.md", &resource("Zeta press", "equipment")),
                ("resources/b.md", &resource("Clean room", "lab")),
                ("resources/c.md", &resource("Alpha press", "equipment")),
            ],
            "2026-12-04",
        );
        let order: Vec<&str> = in_order(&site)
            .iter()
            .map(|e| e.item.slug.as_str())
            .collect();
        assert_eq!(order, ["b", "c", "a"]);
        let view = resource_view(&site, &site.resources["a"]);
        assert_eq!(view.owner.map(|o| o.name).as_deref(), Some("Acme"));
    }
}
