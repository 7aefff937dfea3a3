//! Members: their directory. Their own pages and fact sheets are made one at a time by the
//! worker that renders them (see `pages::member_job`), from values shared by every list.

use tera::Value;

use super::Shown;
use crate::model::member::Member;
use crate::model::{Entry, Site, initial};
use crate::render::jsonld;
use crate::render::pages::{Job, Shared};
use crate::render::views;
use crate::url::paths;

impl Shown for Member {
    /// A member without its card and row (see `Shared`, which lists pages use).
    fn value(site: &Site, e: &Entry<Self>) -> Value {
        views::member_value(
            &site.config.urls,
            &site.config.locale,
            e,
            &site.offered_capabilities(),
        )
    }

    /// The directory; the menu links it on its own, not among the collections.
    fn jobs<'s>(site: &'s Site, _: &Shared, jobs: &mut Vec<Job<'s>>) {
        let urls = &site.config.urls;
        // Member directory, A–Z with facet links.
        let mut letters: Vec<(String, Vec<String>)> = Vec::new();
        for slug in &site.member_order {
            let Some(member) = site.members.get(slug) else {
                continue;
            };
            let letter = initial(&member.item.name);
            if letters.last().is_none_or(|(l, _)| *l != letter) {
                letters.push((letter, Vec::new()));
            }
            if let Some((_, list)) = letters.last_mut() {
                list.push(slug.clone());
            }
        }
        // Each letter's cards are joined when the page is rendered.
        let letters = move |shared: &Shared| {
            Value::from(
                letters
                    .iter()
                    .map(|(letter, slugs)| {
                        let mut map = tera::Map::new();
                        map.insert("letter".into(), Value::from(letter.as_str()));
                        map.insert("members".into(), shared.in_order(slugs));
                        map.insert("cards".into(), shared.joined(slugs, "card"));
                        Value::from(map)
                    })
                    .collect::<Vec<_>>(),
            )
        };
        let mut facets: Vec<Value> = site
            .taxonomies
            .iter()
            .map(|t| views::taxonomy_value(urls, t))
            .collect();
        facets.push(views::size_facet(site));
        let facets = Value::from(facets);
        let mut directory = Job::new(
            paths::members(),
            "members.html",
            "members",
            site.config.locale.collection("members", "title", "Members"),
        )
        .var("facets", facets);
        let everyone = &site.member_order;
        directory.later = Some(Box::new(move |shared: &Shared| {
            vec![
                ("members", shared.in_order(everyone)),
                ("letters", letters(shared)),
            ]
        }));
        // The cluster with all its members goes on the page that lists them, not on the home
        // page, which must stay small however many members there are.
        directory.jsonld_later = Some(Box::new(move || jsonld::cluster(site, true)));
        jobs.push(directory);
    }

    fn menu(_: &Site) -> Vec<(&'static str, &'static str, usize)> {
        Vec::new()
    }
}
