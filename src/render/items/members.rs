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

/// The most member cards a page of the directory lists: a directory of more members lists
/// them one letter at a time, on pages of at most this many, and its instant search and
/// facets read a data file ([`directory_data`]) instead of the cards, so that every page
/// stays small (issue 21: at most 150 KB) however large the cluster.
pub(crate) const PAGE: usize = 100;

/// Whether the directory of `site` is too long for one page.
pub(crate) fn paged(site: &Site) -> bool {
    site.members.len() > PAGE
}

/// The members in directory order, grouped by the letter their name sorts under.
fn by_letter(site: &Site) -> Vec<(String, Vec<String>)> {
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
    letters
}

/// A letter in an address: `a`; names that start with no letter go under `0-9`.
fn letter_slug(letter: &str) -> String {
    match letter {
        "#" => "0-9".to_string(),
        l => l.to_ascii_lowercase(),
    }
}

/// The letters of a long directory, each with its first page and how many members it has.
fn az(site: &Site, letters: &[(String, Vec<String>)]) -> Value {
    let urls = &site.config.urls;
    per_letter(letters, |letter, slugs| {
        let url = urls.path(&paths::members_letter(&letter_slug(letter), 1));
        [
            ("url", Value::from(url)),
            ("count", Value::from(slugs.len())),
        ]
    })
}

/// A list with a map per letter: its `letter`, then what `more` says of its members.
fn per_letter<const N: usize>(
    letters: &[(String, Vec<String>)],
    more: impl Fn(&str, &[String]) -> [(&'static str, Value); N],
) -> Value {
    Value::from(
        letters
            .iter()
            .map(|(letter, slugs)| {
                let mut map = tera::Map::new();
                map.insert("letter".into(), Value::from(letter.as_str()));
                for (key, value) in more(letter, slugs) {
                    map.insert(key.into(), value);
                }
                Value::from(map)
            })
            .collect::<Vec<_>>(),
    )
}

/// The data a long directory's search and facets read, compact for thousands of members:
/// the facets' terms once (`[key, [[slug, name], …]]`), then one row per member in directory
/// order: `[name, address under the directory, kind, place, [term numbers], words]`, a term
/// number counting through all facets' terms in order, and `words` what a search may also
/// match (needs, certifications). `None` when the directory is one page.
pub(crate) fn directory_data(site: &Site) -> Option<Vec<u8>> {
    if !paged(site) {
        return None;
    }
    let urls = &site.config.urls;
    let locale = &site.config.locale;
    let mut facets: Vec<serde_json::Value> = Vec::new();
    let mut numbers: std::collections::HashMap<&str, Vec<usize>> = Default::default();
    let mut next = 0;
    for t in &site.taxonomies {
        let mut terms = Vec::new();
        for term in &t.terms {
            terms.push(serde_json::json!([term.slug, term.name]));
            for m in &term.members {
                numbers.entry(m.as_str()).or_default().push(next);
            }
            next += 1;
        }
        facets.push(serde_json::json!([t.key, terms]));
    }
    let sizes = ["micro", "small", "medium", "large"];
    facets.push(serde_json::json!([
        "size",
        sizes
            .iter()
            .map(|k| serde_json::json!([k, locale.size_band(k)]))
            .collect::<Vec<_>>()
    ]));
    let base = urls.path(&paths::members());
    let rows: Vec<serde_json::Value> = (site.member_order.iter())
        .filter_map(|slug| {
            let e = site.members.get(slug)?;
            let m = &e.item;
            let mut terms = numbers.get(slug.as_str()).cloned().unwrap_or_default();
            if let Some(n) = m.employees {
                let (band, _) = crate::model::member::size_band(n);
                terms.extend(sizes.iter().position(|k| *k == band).map(|i| next + i));
            }
            let url = urls.path(&paths::member(slug));
            let address = url.strip_prefix(base.as_str()).unwrap_or(&url).to_string();
            let place = match (m.location.city.as_deref(), m.location.country.as_ref()) {
                (Some(city), Some(c)) => format!("{city}, {}", c.code),
                (Some(city), None) => city.to_string(),
                (None, Some(c)) => c.code.clone(),
                (None, None) => String::new(),
            };
            let mut words: Vec<&str> = m.needs.iter().map(|n| n.slug.as_str()).collect();
            words.extend(m.certifications.iter().map(String::as_str));
            Some(serde_json::json!([
                m.name,
                address,
                locale.member_kind(m.kind.key()),
                place,
                terms,
                words.join(" ")
            ]))
        })
        .collect();
    let data = serde_json::json!({ "facets": facets, "members": rows });
    serde_json::to_vec(&data).ok()
}

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

    /// The directory; the menu links it on its own, not among the collections. A long one
    /// lists its members one letter at a time, on pages of at most [`PAGE`] cards.
    fn jobs<'s>(site: &'s Site, _: &Shared, jobs: &mut Vec<Job<'s>>) {
        let urls = &site.config.urls;
        let locale = &site.config.locale;
        let letters = by_letter(site);
        let paged = paged(site);
        let mut facets: Vec<Value> = site
            .taxonomies
            .iter()
            .map(|t| views::taxonomy_value(urls, t))
            .collect();
        facets.push(views::size_facet(site));
        let facets = Value::from(facets);
        let title = locale.collection("members", "title", "Members");
        let mut directory = Job::new(paths::members(), "members.html", "members", title)
            .var("facets", facets)
            .var("az", Value::from(Vec::<Value>::new()))
            .var("data_url", Value::none());
        if paged {
            let az = az(site, &letters);
            directory
                .vars
                .retain(|(name, _)| !matches!(*name, "az" | "data_url"));
            directory = directory
                .var("az", az.clone())
                .var("data_url", Value::from(urls.path(&paths::members_data())));
            for (letter, slugs) in letters {
                let pages: Vec<Vec<String>> = slugs.chunks(PAGE).map(<[String]>::to_vec).collect();
                let total = pages.len();
                for (i, page) in pages.into_iter().enumerate() {
                    let n = i + 1;
                    let mut title = locale.fill("members.letter_title", &[("letter", &letter)]);
                    if total > 1 {
                        let of = locale.fill(
                            "common.page_of",
                            &[("n", &n.to_string()), ("total", &total.to_string())],
                        );
                        title = format!("{title} ({of})");
                    }
                    let letter_slug = letter_slug(&letter);
                    let numbers: Vec<Value> = (1..=total)
                        .map(|k| {
                            let mut map = tera::Map::new();
                            map.insert("number".into(), Value::from(k));
                            let url = urls.path(&paths::members_letter(&letter_slug, k));
                            map.insert("url".into(), Value::from(url));
                            map.insert("current".into(), Value::from(k == n));
                            Value::from(map)
                        })
                        .collect();
                    let mut job = Job::new(
                        paths::members_letter(&letter_slug, n),
                        "members-letter.html",
                        "members",
                        title,
                    )
                    .var("letter", Value::from(letter.as_str()))
                    .var("az", az.clone())
                    .var("pages", Value::from(numbers));
                    job.later = Some(Box::new(move |shared: &Shared| {
                        vec![
                            ("members", shared.in_order(&page)),
                            ("cards", shared.cards(&page)),
                        ]
                    }));
                    jobs.push(job);
                }
            }
            let everyone = &site.member_order;
            directory.later = Some(Box::new(move |shared: &Shared| {
                vec![
                    ("members", shared.in_order(everyone)),
                    ("map", shared.everyone_map(site)),
                ]
            }));
            // A page of a long directory names the cluster, not every member.
            directory.jsonld_later = Some(Box::new(move || jsonld::cluster(site, false)));
            jobs.push(directory);
            return;
        }
        // Each letter's cards are joined when the page is rendered.
        let letters = move |shared: &Shared| {
            per_letter(&letters, |_, slugs| {
                [
                    ("members", shared.in_order(slugs)),
                    ("cards", shared.cards(slugs)),
                ]
            })
        };
        let everyone = &site.member_order;
        directory.later = Some(Box::new(move |shared: &Shared| {
            vec![
                ("members", shared.in_order(everyone)),
                ("letters", letters(shared)),
                ("map", shared.everyone_map(site)),
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
