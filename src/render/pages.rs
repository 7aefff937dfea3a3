//! The HTML pages of the site, as jobs: which template renders which site path with which
//! variables. `render` runs them in parallel; this module only decides what they are.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;
use tera::Value;

use super::items::{self, Shown};
use super::{jsonld, views};
use crate::model::{Entry, Site};
use crate::url::paths;

/// One page to render.
pub(crate) struct Job<'s> {
    pub path: String,
    pub template: String,
    pub kind: &'static str,
    pub title: String,
    /// Written by the author; shown on the page by themes that want it.
    pub description: Option<String>,
    /// Made from the text, for meta tags when there is no description.
    pub summary: Option<String>,
    /// The item's `extra:` map, as `page.extra`.
    pub extra: Value,
    /// Structured data (schema.org JSON-LD), already safe to put in a `<script>`.
    pub jsonld: Option<String>,
    pub vars: Vec<(&'static str, Value)>,
    /// Variables made by the worker that renders the page, just before, and dropped just
    /// after: long lists joined into HTML need not all be in memory at once.
    pub later: Option<Later<'s>>,
    /// Structured data made by the worker that renders the page, for pages of many items.
    pub jsonld_later: Option<JsonLd<'s>>,
    /// Asks search engines not to index the page, and leaves it out of the sitemap.
    pub noindex: bool,
    /// The page's picture for link previews (`og:image`), a site path: the item's image or
    /// the member's logo. The cluster's logo stands in when there is none.
    pub image: Option<String>,
    /// Whether `image` is a logo (a member's, a partner's): shown on a share card with the
    /// page's name, rather than cut to the card's shape as a photo is.
    pub image_is_logo: bool,
    /// A collection item's value, which its page shows as `item`; the search index reads
    /// its words from it rather than make it again.
    pub item: Option<Value>,
}

/// Makes a page's structured data when the page is rendered.
pub(crate) type JsonLd<'s> = Box<dyn Fn() -> String + Send + Sync + 's>;

/// Makes a page's variables from the shared member values, when the page is rendered.
pub(crate) type Later<'s> = Box<dyn Fn(&Shared) -> Vec<(&'static str, Value)> + Send + Sync + 's>;

impl Job<'_> {
    pub fn new(path: String, template: &str, kind: &'static str, title: impl Into<String>) -> Self {
        Job {
            path,
            template: template.to_string(),
            kind,
            title: title.into(),
            description: None,
            summary: None,
            extra: Value::none(),
            jsonld: None,
            vars: Vec::new(),
            later: None,
            jsonld_later: None,
            noindex: false,
            image: None,
            image_is_logo: false,
            item: None,
        }
    }

    pub fn var(mut self, name: &'static str, value: Value) -> Self {
        self.vars.push((name, value));
        self
    }
}

/// A page's summary for its meta description: the item's own, else its body's first
/// paragraph; none if both are empty.
pub(crate) fn summary(own: Option<&str>, first_paragraph: &str) -> Option<String> {
    Some(own.unwrap_or(first_paragraph))
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// The lead of an item's page: the summary only when the front matter says it. Without one,
/// the summary is the body's first paragraph, which the page shows anyway (issue 19: it
/// was printed twice, as lead and as the body's start). Lists and cards keep `summary`.
/// A language code for a template (`lang="de"` on a text not translated), or none.
pub(crate) fn lang_value(code: Option<&str>) -> Value {
    code.map_or_else(Value::none, |c| Value::from(c.to_string()))
}

pub(crate) fn lead(written: Option<&str>) -> Value {
    match written {
        Some(s) if !s.is_empty() => Value::from(s.to_string()),
        _ => Value::none(),
    }
}

/// The page of one member. Made by the worker that renders it, just before, and dropped
/// just after: a site may have tens of thousands of members, and their pages' values need
/// not all be in memory at once.
pub(crate) fn member_job(site: &Site, shared: &Shared, slug: &str) -> Option<Job<'static>> {
    let urls = &site.config.urls;
    let entry = site.members.get(slug)?;
    let value = shared.member(slug)?;
    let mut job = Job::new(
        paths::member(slug),
        &item_template("members"),
        "member",
        entry.item.name.clone(),
    )
    .var("member", value.clone())
    .var("lead", lead(entry.item.summary.as_deref()))
    .var("lead_lang", lang_value(entry.summary_lang(true)))
    .var("content", Value::safe_string(&entry.html))
    .var("takes_part", takes_part(site, slug))
    .var(
        "suppliers",
        shared.in_order(&derive_matches(site, slug, true)),
    )
    .var(
        "customers",
        shared.in_order(&derive_matches(site, slug, false)),
    )
    .var(
        "vcard",
        match site.config.open_data {
            true => Value::from(urls.asset(&format!("{}{slug}.vcf", paths::member(slug)))),
            false => Value::none(),
        },
    );
    job.vars.extend(member_page_vars(site, slug));
    job.jsonld = Some(jsonld::member(site, entry));
    job.image = entry.item.logo.clone();
    job.image_is_logo = true;
    job.summary = summary(entry.item.summary.as_deref(), &entry.summary);
    Some(job)
}

/// What the collections add to a member's page of their own (see
/// [`Shown::member_page_vars`]).
fn member_page_vars(site: &Site, slug: &str) -> Vec<(&'static str, Value)> {
    struct Vars<'a>(&'a Site, &'a str, Vec<(&'static str, Value)>);
    impl items::Visit for Vars<'_> {
        fn visit<C: Shown>(&mut self) {
            let vars = C::member_page_vars(self.0, self.1);
            self.2.extend(vars);
        }
    }
    let mut vars = Vars(site, slug, Vec::new());
    items::each(&mut vars);
    vars.2
}

/// Template values built once per build and shared by every page that lists members.
pub(crate) struct Shared {
    /// What is made of each member, by slug.
    members: rustc_hash::FxHashMap<String, Made>,
    /// The map of every member, made for the first page that shows it (the directory and
    /// the brochure).
    everyone_map: std::sync::OnceLock<Value>,
}

impl Shared {
    /// Every member's value, with its card and its one-line row rendered once (from
    /// `partials/member-card.html` and `partials/member-row.html`) and added as `card` and
    /// `row`: the directory, term pages and the home page list thousands of members, and each
    /// entry is the same wherever it appears. Returns the first failure.
    pub fn new(
        site: &Site,
        theme: &super::theme::Theme,
        site_value: &Value,
    ) -> (Shared, Option<crate::diag::Diagnostic>) {
        let urls = &site.config.urls;
        let offered = site.offered_capabilities();
        // Every member lists its sectors and capabilities as `{name, slug, url}`; the same
        // term's value is shared by all members that have it rather than made for each.
        let mut terms: std::collections::HashMap<(&str, &str), Value> = Default::default();
        for t in site
            .taxonomies
            .iter()
            .filter(|t| matches!(t.key, "sectors" | "capabilities"))
        {
            for term in &t.terms {
                terms.insert(
                    (t.key, term.slug.as_str()),
                    Value::from(term_map(urls, t.key, term)),
                );
            }
        }
        let made: Vec<(&String, (Made, Option<crate::diag::Diagnostic>))> = site
            .members
            .par_iter()
            .map(|(slug, e)| {
                (
                    slug,
                    with_card(site, theme, site_value, &offered, &terms, slug, e),
                )
            })
            .collect();
        let mut members = rustc_hash::FxHashMap::default();
        members.reserve(made.len());
        let mut first_failure = None;
        for (slug, (made, failure)) in made {
            if first_failure.is_none() {
                first_failure = failure;
            }
            members.insert(slug.clone(), made);
        }
        let everyone_map = Default::default();
        (
            Shared {
                members,
                everyone_map,
            },
            first_failure,
        )
    }

    /// The map of every member (see [`super::map::member_map`]).
    pub fn everyone_map(&self, site: &Site) -> Value {
        (self.everyone_map)
            .get_or_init(|| super::map::member_map(site, &site.member_order, None))
            .clone()
    }

    /// The value of the member `slug`, with its card and row.
    pub fn member(&self, slug: &str) -> Option<&Value> {
        self.members.get(slug).map(|m| &m.value)
    }

    /// The member `slug` as a short reference (`slug`, `name`, `url`, `logo`, `initial`), for
    /// lists such as the supply chain's.
    pub fn reference(&self, slug: &str) -> Option<&Value> {
        self.members.get(slug).map(|m| &m.reference)
    }

    /// The pre-rendered cards of the members `slugs`, joined in that order: a list of
    /// thousands of members costs the page no template work per entry.
    pub fn cards(&self, slugs: &[String]) -> Value {
        self.joined(slugs, 0)
    }

    /// The pre-rendered one-line rows of the members `slugs`, joined in that order.
    pub fn rows(&self, slugs: &[String]) -> Value {
        self.joined(slugs, 1)
    }

    /// Part `index` of each member's [`Made::html`], for the members `slugs`, joined.
    fn joined(&self, slugs: &[String], index: usize) -> Value {
        let parts: Vec<&str> = slugs
            .iter()
            .filter_map(|slug| self.members.get(slug.as_str())?.html[index].as_str())
            .collect();
        // Made at its final size: a term of thousands of members joins megabytes.
        let mut html = String::with_capacity(parts.iter().map(|p| p.len()).sum());
        for part in parts {
            html.push_str(part);
        }
        Value::safe_string(&html)
    }

    /// Member values for `slugs`, in that order.
    pub fn in_order(&self, slugs: &[String]) -> Value {
        Value::from(
            slugs
                .iter()
                .filter_map(|s| self.member(s).cloned())
                .collect::<Vec<_>>(),
        )
    }
}

impl Shared {
    /// Makes one member's value, card, row and reference again (`serve`, after the member
    /// changed).
    pub fn update_member(
        &mut self,
        site: &Site,
        theme: &super::theme::Theme,
        site_value: &Value,
        slug: &str,
    ) -> Option<crate::diag::Diagnostic> {
        // The map of every member shows this one too.
        self.everyone_map = Default::default();
        let Some(e) = site.members.get(slug) else {
            self.members.remove(slug);
            return None;
        };
        let offered = site.offered_capabilities();
        let (made, failure) =
            with_card(site, theme, site_value, &offered, &HashMap::new(), slug, e);
        self.members.insert(slug.to_string(), made);
        failure
    }
}

/// What [`Shared`] keeps of one member.
struct Made {
    /// Its value, with its card and row.
    value: Value,
    /// Its card and row, at hand for [`Shared::cards`] and [`Shared::rows`]: term pages join
    /// tens of thousands of them, and looking each up in its member's value cost more than
    /// the joining.
    html: [Value; 2],
    /// Its short reference (see [`Shared::reference`]).
    reference: Value,
}

/// A member's value with its `card` and `row` rendered from it, and its short reference;
/// `terms` holds shared values for sectors and capabilities (`{name, slug, url}`), used
/// instead of the member's own equal ones. Returns the first failure to render the card or
/// row too.
fn with_card(
    site: &Site,
    theme: &super::theme::Theme,
    site_value: &Value,
    offered: &std::collections::BTreeSet<&str>,
    terms: &HashMap<(&str, &str), Value>,
    slug: &str,
    e: &Entry<crate::model::member::Member>,
) -> (Made, Option<crate::diag::Diagnostic>) {
    let urls = &site.config.urls;
    let reference = items::member_ref(site, slug)
        .map(|r| Value::from_serializable(&r))
        .unwrap_or(Value::none());
    let value = views::member_value(urls, &site.config.locale, e, offered);
    // The card and row are rendered from the value as made; the final value differs
    // only in sharing equal term values, and in having the card and row.
    let mut ctx = tera::Context::new();
    ctx.insert_value("site", site_value.clone());
    ctx.insert_value("member", value);
    let page = urls.path(&paths::member(slug));
    let card = theme.render("partials/member-card.html", &ctx, &page);
    let row = theme.render("partials/member-row.html", &ctx, &page);
    let value = ctx.remove("member").unwrap_or(Value::none());
    drop(ctx);
    let Some(mut map) = value.into_map() else {
        let made = Made {
            value: Value::none(),
            html: [Value::none(), Value::none()],
            reference,
        };
        return (made, card.err().or(row.err()));
    };
    for (key, list) in [
        ("sectors", &e.item.sectors),
        ("capabilities", &e.item.capabilities),
    ] {
        let shared: Option<Vec<Value>> = list
            .iter()
            .map(|t| terms.get(&(key, t.slug.as_str())).cloned())
            .collect();
        if let Some(shared) = shared {
            map.insert(key.into(), Value::from(shared));
        }
    }
    let mut failure = None;
    let mut html = [Value::none(), Value::none()];
    for ((key, made), kept) in [("card", card), ("row", row)].into_iter().zip(&mut html) {
        match made {
            Ok(made) => {
                *kept = Value::safe_string(&made);
                map.insert(key.into(), kept.clone());
            }
            Err(d) => {
                failure.get_or_insert(d);
            }
        }
    }
    let made = Made {
        value: Value::from(map),
        html,
        reference,
    };
    (made, failure)
}

fn derive_matches(site: &Site, member: &str, suppliers: bool) -> Vec<String> {
    site.matches
        .get(member)
        .map(|m| {
            if suppliers {
                m.suppliers.clone()
            } else {
                m.customers.clone()
            }
        })
        .unwrap_or_default()
}

/// Everything a member takes part in, as lists of item values, one for each collection
/// whose items name members (see [`Shown::ON_MEMBER_PAGES`]), and `any`.
fn takes_part(site: &Site, slug: &str) -> Value {
    let Some(b) = site.backlinks.get(slug) else {
        return Value::none();
    };
    struct Lists<'a> {
        site: &'a Site,
        backlinks: &'a crate::model::Backlinks,
        map: tera::Map,
        any: bool,
    }
    impl items::Visit for Lists<'_> {
        fn visit<C: Shown>(&mut self) {
            let Some(name) = C::ON_MEMBER_PAGES else {
                return;
            };
            let entries = C::entries(self.site);
            let values: Vec<Value> = self
                .backlinks
                .of(C::KEY)
                .iter()
                .filter_map(|s| entries.get(s))
                .map(|e| C::value(self.site, e))
                .collect();
            self.any |= !values.is_empty();
            self.map.insert(name.into(), Value::from(values));
        }
    }
    let mut lists = Lists {
        site,
        backlinks: b,
        map: tera::Map::new(),
        any: false,
    };
    items::each(&mut lists);
    lists.map.insert("any".into(), Value::from(lists.any));
    Value::from(lists.map)
}

/// Every page of the site except the members' own (see `member_job`). The groups are
/// independent, and made at the same time.
pub(crate) fn jobs<'s>(site: &'s Site, shared: &Shared) -> Vec<Job<'s>> {
    let ((mut jobs, terms), (collections, supply)) = rayon::join(
        || rayon::join(|| home_jobs(site, shared), || taxonomy_jobs(site)),
        || {
            rayon::join(
                || collection_jobs(site, shared),
                || (supply_chain_jobs(site, shared), brochure_jobs(site, shared)),
            )
        },
    );
    let (supply, brochures) = supply;
    jobs.extend(brochures);
    jobs.extend(terms);
    jobs.extend(collections);
    jobs.extend(supply);
    jobs.extend(former_member_jobs(site));
    jobs
}

/// A former member as its plain page shows it: who it was, never how to reach it (its
/// contacts, e-mail and phone are left out; the website stays, as the organisation's public
/// address).
#[derive(Serialize)]
struct FormerMemberView<'a> {
    slug: &'a str,
    name: &'a str,
    url: String,
    type_label: &'a str,
    city: Option<&'a str>,
    country: Option<String>,
    website: Option<&'a str>,
    summary: &'a str,
    member_since: Option<i32>,
    left: Option<i32>,
    former: bool,
}

/// The plain pages of former members (none with `former_members: none`): the past items
/// that name them link here. Kept out of the sitemap and search engines.
fn former_member_jobs(site: &Site) -> Vec<Job<'static>> {
    if site.config.former_members != crate::config::FormerMembers::Page {
        return Vec::new();
    }
    let urls = &site.config.urls;
    site.former
        .values()
        .map(|entry| {
            let m = &entry.item;
            let view = FormerMemberView {
                slug: &m.slug,
                name: &m.name,
                url: urls.path(&paths::member(&m.slug)),
                type_label: site.config.locale.member_kind(m.kind.key()),
                city: m.location.city.as_deref(),
                country: m
                    .location
                    .country
                    .as_ref()
                    .map(|c| site.config.locale.country(&c.code)),
                website: m.website.as_deref(),
                summary: m.summary.as_deref().unwrap_or(&entry.summary),
                member_since: m.member_since,
                left: m.left,
                former: true,
            };
            let mut job = Job::new(
                paths::member(&m.slug),
                "members-former.html",
                "member",
                m.name.clone(),
            )
            .var("member", Value::from_serializable(&view))
            .var("lead", lead(m.summary.as_deref()))
            .var("lead_lang", lang_value(entry.summary_lang(true)))
            .var("content", Value::safe_string(&entry.html));
            job.summary = summary(m.summary.as_deref(), &entry.summary);
            job.noindex = true;
            job
        })
        .collect()
}

/// The home page and the 404 page.
fn home_jobs<'s>(site: &'s Site, shared: &Shared) -> Vec<Job<'s>> {
    let urls = &site.config.urls;
    let mut jobs: Vec<Job<'s>> = Vec::new();

    // Home.
    let home_title = site
        .home
        .item
        .title
        .clone()
        .unwrap_or_else(|| site.config.name.clone());
    // The six who joined last; A–Z among those of the same year (the sort is stable).
    let mut newest: Vec<(i32, &String)> = site
        .member_order
        .iter()
        .filter_map(|s| Some((site.members.get(s)?.item.member_since.unwrap_or(0), s)))
        .collect();
    newest.sort_by_key(|(since, _)| std::cmp::Reverse(*since));
    let newest: Vec<Value> = newest
        .into_iter()
        .take(6)
        .filter_map(|(_, s)| shared.member(s).cloned())
        .collect();
    let sectors = site
        .taxonomies
        .iter()
        .find(|t| t.key == "sectors")
        .map(|t| views::taxonomy_value(urls, t))
        .unwrap_or(Value::none());
    let (upcoming, _) = items::events_in_order(site);
    let upcoming_events: Vec<Value> = upcoming
        .iter()
        .take(3)
        .map(|e| items::value(&items::event_view(site, e)))
        .collect();
    let latest_news: Vec<Value> = items::news_in_order(site)
        .iter()
        .take(3)
        .map(|n| items::value(&items::news_view(site, n)))
        .collect();
    let mut home = Job::new(paths::home(), "index.html", "home", home_title)
        .var("content", Value::safe_string(&site.home.html))
        .var("sectors", sectors)
        .var("newest_members", Value::from(newest))
        .var("upcoming_events", Value::from(upcoming_events))
        .var("latest_news", Value::from(latest_news));
    home.description = site.home.item.description.clone();
    home.summary = site.config.description.clone();
    home.extra = Value::from_serializable(&site.home.item.extra);
    home.jsonld = Some(jsonld::cluster(site, false));
    jobs.push(home);
    // The search page; the index it reads is made with the calendars and feeds.
    let mut search = Job::new(
        paths::search(),
        "search.html",
        "search",
        site.config.locale.text("search.title"),
    );
    search.noindex = true;
    if site.config.search {
        jobs.push(search);
    }
    jobs.push(Job::new(
        "404.html".to_string(),
        "404.html",
        "404",
        "Page not found",
    ));

    jobs
}

/// A term as `{name, slug, url}`, `url` being its page.
fn term_map(urls: &crate::url::Urls, key: &str, term: &crate::model::TermEntry) -> tera::Map {
    let mut map = tera::Map::new();
    map.insert("name".into(), Value::from(term.name.as_str()));
    map.insert("slug".into(), Value::from(term.slug.as_str()));
    map.insert(
        "url".into(),
        Value::from(urls.path(&paths::term(key, &term.slug))),
    );
    map
}

/// The most entries a page of a long list shows (a collection's items): a longer list is
/// split into pages that link to each other, so that every page stays small (issue 21: at
/// most 150 KB) however large the site.
pub(crate) const LIST_PAGE: usize = 100;

/// The most members a term's page lists (as one-line rows; see `term.html`).
pub(crate) const TERM_PAGE: usize = 200;

/// The links between the pages of a list split into `total` pages, page `n` (from 1) being
/// shown, page `k` at `path(k)`: `[{number, url, current}]`, empty for a list of one page.
pub(crate) fn page_links(
    urls: &crate::url::Urls,
    total: usize,
    n: usize,
    path: impl Fn(usize) -> String,
) -> Value {
    if total < 2 {
        return Value::from(Vec::<Value>::new());
    }
    Value::from(
        (1..=total)
            .map(|k| {
                let mut map = tera::Map::new();
                map.insert("number".into(), Value::from(k));
                map.insert("url".into(), Value::from(urls.path(&path(k))));
                map.insert("current".into(), Value::from(k == n));
                Value::from(map)
            })
            .collect::<Vec<_>>(),
    )
}

/// A page's title with its place among `total` pages, when there are several: "Sector:
/// Automotive (page 2 of 7)".
pub(crate) fn nth_title(site: &Site, title: &str, n: usize, total: usize) -> String {
    match total {
        0 | 1 => title.to_string(),
        _ => {
            let of = site.config.locale.fill(
                "common.page_of",
                &[("n", &n.to_string()), ("total", &total.to_string())],
            );
            format!("{title} ({of})")
        }
    }
}

/// The taxonomy and term pages; a term of many members lists them on several pages.
fn taxonomy_jobs<'s>(site: &'s Site) -> Vec<Job<'s>> {
    let urls = &site.config.urls;
    let mut jobs = Vec::new();
    for t in &site.taxonomies {
        let tv = views::taxonomy_value(urls, t);
        jobs.push(
            Job::new(
                paths::taxonomy(t.key),
                "taxonomy.html",
                "taxonomy",
                t.title.as_str(),
            )
            .var("taxonomy", tv.clone()),
        );
        for term in &t.terms {
            let mut term_map = term_map(urls, t.key, term);
            term_map.insert("count".into(), Value::from(term.members.len()));
            let term_value = Value::from(term_map);
            let l = &site.config.locale;
            let counted = l.counted(term.members.len() as u64, l.table_at("members.count"));
            let summary = l.fill(
                "taxonomy.term_summary",
                &[
                    ("members", &counted),
                    ("site", &site.config.name),
                    ("singular", &t.singular),
                    ("singular_lower", &t.singular.to_lowercase()),
                    ("term", &term.name),
                ],
            );
            let path = paths::term(t.key, &term.slug);
            let title = format!("{}: {}", t.singular, term.name);
            let pages: Vec<&[String]> = match term.members.is_empty() {
                true => vec![&[]],
                false => term.members.chunks(TERM_PAGE).collect(),
            };
            let total = pages.len();
            for (i, members) in pages.into_iter().enumerate() {
                let n = i + 1;
                let mut job = Job::new(
                    paths::nth(&path, n),
                    "term.html",
                    "term",
                    nth_title(site, &title, n, total),
                )
                .var("taxonomy", tv.clone())
                .var("term", term_value.clone())
                .var(
                    "pages",
                    page_links(urls, total, n, |k| paths::nth(&path, k)),
                );
                // A region's or country's first page has the map of its members.
                let everyone = &term.members;
                let map = (n == 1 && matches!(t.key, "regions" | "countries"))
                    .then_some((t.key, term.slug.as_str()));
                job.later = Some(Box::new(move |shared: &Shared| {
                    let map = match map {
                        Some(here) => super::map::member_map(site, everyone, Some(here)),
                        None => Value::none(),
                    };
                    vec![
                        ("members", shared.in_order(members)),
                        ("rows", shared.rows(members)),
                        ("map", map),
                    ]
                }));
                job.summary = Some(summary.clone());
                jobs.push(job);
            }
        }
    }
    jobs
}

/// The pages of every collection (see [`Shown::jobs`]).
fn collection_jobs<'s>(site: &'s Site, shared: &Shared) -> Vec<Job<'s>> {
    struct Jobs<'s, 'a> {
        site: &'s Site,
        shared: &'a Shared,
        jobs: Vec<Job<'s>>,
    }
    impl items::Visit for Jobs<'_, '_> {
        fn visit<C: Shown>(&mut self) {
            C::jobs(self.site, self.shared, &mut self.jobs);
        }
    }
    let mut jobs = Jobs {
        site,
        shared,
        jobs: Vec::new(),
    };
    items::each(&mut jobs);
    jobs.jobs
}

/// Makes an item's template value, or its structured data.
pub(crate) type Make<T, R> = fn(&Site, &Entry<T>) -> R;

/// A collection's list page and one page per item, rendered with `<key>.html` and
/// `<key>-item.html`. No item's value is made before its page is rendered: with thousands of
/// events, the values of a list page and of every item page would otherwise all be in memory
/// at once.
pub(crate) struct CollectionPages<'s, C> {
    /// The lists of the list page, each in its order; with the archives' lists, they hold
    /// every item.
    lists: Vec<(&'static str, Vec<&'s Entry<C>>)>,
    /// The list page's other variables (filters and their counts).
    list_vars: Vec<(&'static str, Value)>,
    archives: Vec<Archive<'s, C>>,
    jsonld: Option<Make<C, String>>,
}

/// List pages of a collection beside its list page, rendered with the same template: the
/// past events of one year.
struct Archive<'s, C> {
    /// Its site path: `events/past/2025/`.
    path: String,
    /// How the list page names it: `2025`.
    label: String,
    title: String,
    lists: Vec<(&'static str, Vec<&'s Entry<C>>)>,
}

/// A list page, or one of its archives, to be split into pages of at most [`LIST_PAGE`]
/// items.
struct ListPages {
    path: String,
    title: String,
    /// `{label, url}` on an archive's pages, none on the list page's.
    archive: Value,
    /// Each list's name and length, its items being next in the collection's values.
    lists: Vec<(&'static str, usize)>,
}

impl<'s, C: Shown> CollectionPages<'s, C> {
    pub fn new() -> Self {
        CollectionPages {
            lists: Vec::new(),
            list_vars: Vec::new(),
            archives: Vec::new(),
            jsonld: None,
        }
    }

    pub fn list(mut self, name: &'static str, entries: Vec<&'s Entry<C>>) -> Self {
        self.lists.push((name, entries));
        self
    }

    pub fn var(mut self, name: &'static str, value: Value) -> Self {
        self.list_vars.push((name, value));
        self
    }

    pub fn jsonld(mut self, make: Make<C, String>) -> Self {
        self.jsonld = Some(make);
        self
    }

    /// Adds list pages at `path`, beside the list page, named `label` in the list of
    /// archives every list page of the collection gets (`archives`: `[{label, url, count}]`).
    pub fn archive(
        mut self,
        path: String,
        label: String,
        title: String,
        lists: Vec<(&'static str, Vec<&'s Entry<C>>)>,
    ) -> Self {
        self.archives.push(Archive {
            path,
            label,
            title,
            lists,
        });
        self
    }

    /// The pages, if the collection has items.
    pub fn push(self, site: &'s Site, jobs: &mut Vec<Job<'s>>) {
        let CollectionPages {
            lists,
            list_vars,
            archives,
            jsonld,
        } = self;
        let key = C::KEY;
        let urls = &site.config.urls;
        let title = site.config.locale.collection(key, "title", C::TITLE);
        let lengths = |lists: &[(&'static str, Vec<&Entry<C>>)]| -> Vec<(&'static str, usize)> {
            lists.iter().map(|(name, l)| (*name, l.len())).collect()
        };
        let mut groups = vec![ListPages {
            path: paths::list(key),
            title: title.to_string(),
            archive: Value::none(),
            lists: lengths(&lists),
        }];
        let mut archive_links = Vec::new();
        let mut entries: Vec<&Entry<C>> = lists.into_iter().flat_map(|(_, l)| l).collect();
        for a in archives {
            let mut link = tera::Map::new();
            link.insert("label".into(), Value::from(a.label.as_str()));
            link.insert("url".into(), Value::from(urls.path(&a.path)));
            let archive = Value::from(link.clone());
            let count: usize = a.lists.iter().map(|(_, l)| l.len()).sum();
            link.insert("count".into(), Value::from(count));
            archive_links.push(Value::from(link));
            groups.push(ListPages {
                path: a.path,
                title: a.title,
                archive,
                lists: lengths(&a.lists),
            });
            entries.extend(a.lists.into_iter().flat_map(|(_, l)| l));
        }
        let archive_links = Value::from(archive_links);
        if entries.is_empty() {
            return;
        }
        let item_template = item_template(key);
        // Each item's value is made once, here, in parallel; the item's page and the list
        // page copy it when they are rendered.
        let values: Arc<Vec<Value>> =
            Arc::new(entries.par_iter().map(|e| C::value(site, e)).collect());
        for (i, entry) in entries.into_iter().enumerate() {
            let item = &entry.item;
            // An item not written in this language (a news item) is listed here but linked
            // in the language it is written in.
            if site
                .config
                .urls
                .elsewhere(&paths::item(key, item.slug()))
                .is_some()
            {
                continue;
            }
            let mut job = Job::new(
                paths::item(key, item.slug()),
                &item_template,
                "item",
                item.title(),
            )
            .var("collection", Value::from(key))
            .var("lead", lead(item.summary()))
            .var("lead_lang", lang_value(entry.summary_lang(true)));
            job.summary = summary(item.summary(), &entry.summary);
            job.noindex = C::noindex(site, entry);
            job.image = C::image(&entry.item).map(str::to_string);
            job.image_is_logo = key == "partners";
            job.item = Some(values[i].clone());
            let values = Arc::clone(&values);
            job.later = Some(Box::new(move |_: &Shared| {
                vec![
                    ("item", values[i].clone()),
                    ("content", Value::safe_string(&entry.html)),
                ]
            }));
            job.jsonld_later = jsonld.map(|make| Box::new(move || make(site, entry)) as JsonLd);
            jobs.push(job);
        }
        // The list page and each archive, each on as many pages as its items need.
        let mut first = 0;
        for group in groups {
            let len: usize = group.lists.iter().map(|(_, n)| n).sum();
            let total = len.div_ceil(LIST_PAGE).max(1);
            for n in 1..=total {
                // The items of this page: a window over the group's lists, one after another.
                let from = first + (n - 1) * LIST_PAGE;
                let to = (from + LIST_PAGE).min(first + len);
                let mut windows = Vec::new();
                let mut start = first;
                for (name, len) in &group.lists {
                    let (a, b) = (start.max(from), (start + len).min(to));
                    windows.push((*name, a, b.max(a)));
                    start += len;
                }
                let mut job = Job::new(
                    paths::nth(&group.path, n),
                    &list_template(key),
                    "list",
                    nth_title(site, &group.title, n, total),
                )
                .var("collection", Value::from(key));
                job.vars.extend(list_vars.iter().cloned());
                job.vars.extend([
                    ("archives", archive_links.clone()),
                    ("archive", group.archive.clone()),
                    (
                        "pages",
                        page_links(urls, total, n, |k| paths::nth(&group.path, k)),
                    ),
                ]);
                let values = Arc::clone(&values);
                job.later = Some(Box::new(move |_: &Shared| {
                    windows
                        .iter()
                        .map(|(name, a, b)| (*name, Value::from(values[*a..*b].to_vec())))
                        .collect()
                }));
                jobs.push(job);
            }
            first += len;
        }
    }
}

/// The template of a collection's list page: `events.html`.
pub fn list_template(key: &str) -> String {
    format!("{key}.html")
}

/// The template of a collection item's page: `events-item.html`.
pub fn item_template(key: &str) -> String {
    format!("{key}-item.html")
}

/// Makes the values of a list page's lists, in parallel, when the page is rendered.
pub(crate) fn lists_later<'s, T: Sync>(
    site: &'s Site,
    lists: Vec<(&'static str, Vec<&'s Entry<T>>)>,
    value: Make<T, Value>,
) -> Later<'s> {
    Box::new(move |_: &Shared| {
        lists
            .iter()
            .map(|(name, list)| {
                let values: Vec<Value> = list.par_iter().map(|e| value(site, e)).collect();
                (*name, Value::from(values))
            })
            .collect()
    })
}

/// Filter values of a list page, `{key, label}`.
pub(crate) fn facet(pairs: Vec<(String, String)>) -> Value {
    Value::from_serializable(
        &pairs
            .into_iter()
            .map(|(key, label)| serde_json::json!({ "key": key, "label": label }))
            .collect::<Vec<_>>(),
    )
}

/// A member's value with `qr`, the QR code of its page online, for print.
fn with_qr(member: &Value) -> Value {
    let permalink = member
        .get_from_path("permalink")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    match member.as_map() {
        Some(map) => {
            let mut map = map.clone();
            map.insert("qr".into(), Value::safe_string(&super::qr::svg(&permalink)));
            Value::from(map)
        }
        None => member.clone(),
    }
}

/// The print-ready pages other than the members' fact sheets (see `factsheet_job`): the
/// cluster brochure, with every member, and each joint catalogue as a brochure.
fn brochure_jobs<'s>(site: &'s Site, shared: &Shared) -> Vec<Job<'s>> {
    let config = &site.config.brochures;
    if !config.enabled || site.members.is_empty() {
        return Vec::new();
    }
    let date = Value::from(site.config.locale.date(site.now));
    let title = config.title.clone().unwrap_or_else(|| "Our members".into());
    let mut brochure = Job::new(paths::brochure(), "brochure.html", "brochure", title)
        .var("date_label", date.clone());
    brochure.summary = Some(format!(
        "The members of {}, for print: a cover, the contents and one entry per member.",
        site.config.name
    ));
    let order = config.order;
    // Made when the page is rendered: thousands of members with their QR codes need not wait
    // in memory.
    brochure.later = Some(Box::new(move |shared: &Shared| {
        let member = |slug: &String| shared.member(slug).map(with_qr);
        let members: Vec<Value> = site.member_order.par_iter().filter_map(member).collect();
        let group = |title: Option<&str>, members: Vec<Value>| {
            let mut map = tera::Map::new();
            map.insert("title".into(), Value::from(title));
            map.insert("members".into(), Value::from(members));
            Value::from(map)
        };
        let groups = match order {
            crate::config::BrochureOrder::Name => vec![group(None, members.clone())],
            crate::config::BrochureOrder::Sector => {
                // By first sector, sectors A–Z, members A–Z within; those without a sector last.
                let mut by: BTreeMap<String, (String, Vec<Value>)> = BTreeMap::new();
                let mut other = Vec::new();
                for (slug, value) in site.member_order.iter().zip(&members) {
                    match site.members.get(slug).and_then(|m| m.item.sectors.first()) {
                        Some(t) => by
                            .entry(crate::model::sort_key(&t.name))
                            .or_insert_with(|| (t.name.clone(), Vec::new()))
                            .1
                            .push(value.clone()),
                        None => other.push(value.clone()),
                    }
                }
                let mut groups: Vec<Value> = by
                    .into_values()
                    .map(|(name, list)| group(Some(&name), list))
                    .collect();
                if !other.is_empty() {
                    groups.push(group(Some("Other members"), other));
                }
                groups
            }
        };
        vec![
            ("members", Value::from(members)),
            ("groups", Value::from(groups)),
            ("map", shared.everyone_map(site)),
        ]
    }));
    let mut jobs = vec![brochure];
    for (slug, entry) in &site.catalogues {
        let view = items::catalogue_view(site, entry);
        let mut job = Job::new(
            paths::catalogue_brochure(slug),
            "catalogue-brochure.html",
            "brochure",
            entry.item.title.clone(),
        )
        .var("item", items::value(&view))
        .var("date_label", date.clone());
        job.summary = Some(view.summary.to_string()).filter(|s| !s.is_empty());
        let entries = items::catalogue_entries(site, entry, |s| shared.member(s));
        let entries: Vec<Value> = entries
            .as_array()
            .map(|list| {
                list.iter()
                    .map(|e| match e.as_map() {
                        Some(map) => {
                            let mut map = map.clone();
                            if let Some(m) = map.get(&tera::value::Key::from("member")) {
                                let m = with_qr(m);
                                map.insert("member".into(), m);
                            }
                            Value::from(map)
                        }
                        None => e.clone(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        job.vars.push(("entries", Value::from(entries)));
        jobs.push(job);
    }
    jobs
}

/// A member's one-page fact sheet, made by the worker that renders it, like its page.
pub(crate) fn factsheet_job(site: &Site, shared: &Shared, slug: &str) -> Option<Job<'static>> {
    let entry = site.members.get(slug)?;
    let value = shared.member(slug)?;
    let mut job = Job::new(
        paths::factsheet(slug),
        "factsheet.html",
        "factsheet",
        entry.item.name.clone(),
    )
    .var("member", with_qr(value))
    .var("date_label", Value::from(site.config.locale.date(site.now)));
    job.summary = summary(entry.item.summary.as_deref(), &entry.summary);
    Some(job)
}

/// The supply-chain matchmaking page, if any member offers or needs something. When it
/// would name more than [`SUPPLY_REFS`] members, it lists each capability with how many
/// members offer and need it, and each capability gets pages of its own.
fn supply_chain_jobs(site: &Site, shared: &Shared) -> Vec<Job<'static>> {
    let urls = &site.config.urls;
    if site.supply_chain.is_empty() {
        return Vec::new();
    }
    let long = site
        .supply_chain
        .iter()
        .map(|l| l.offered_by.len() + l.needed_by.len())
        .sum::<usize>()
        > SUPPLY_REFS;
    let offered = site.offered_capabilities();
    let refs = |slugs: &[String]| {
        Value::from(
            slugs
                .iter()
                .filter_map(|s| shared.reference(s).cloned())
                .collect::<Vec<_>>(),
        )
    };
    let line = |l: &crate::model::SupplyLine| {
        let mut map = tera::Map::new();
        map.insert("name".into(), Value::from(l.name.as_str()));
        map.insert("slug".into(), Value::from(l.slug.as_str()));
        let url = offered
            .contains(l.slug.as_str())
            .then(|| urls.path(&paths::term("capabilities", &l.slug)));
        map.insert("url".into(), Value::from(url));
        map
    };
    let mut jobs = Vec::new();
    let lines: Vec<Value> = site
        .supply_chain
        .iter()
        .map(|l| {
            let mut map = line(l);
            match long {
                false => {
                    map.insert("offered_by".into(), refs(&l.offered_by));
                    map.insert("needed_by".into(), refs(&l.needed_by));
                }
                true => {
                    map.insert("offered_by".into(), Value::from(Vec::<Value>::new()));
                    map.insert("needed_by".into(), Value::from(Vec::<Value>::new()));
                    let path = paths::supply_line(&l.slug);
                    map.insert("page_url".into(), Value::from(urls.path(&path)));
                    map.insert("offered_count".into(), Value::from(l.offered_by.len()));
                    map.insert("needed_count".into(), Value::from(l.needed_by.len()));
                    jobs.extend(supply_line_jobs(site, l, map.clone(), &path, &refs));
                }
            }
            Value::from(map)
        })
        .collect();
    let mut job = Job::new(
        paths::list("supply-chain"),
        "supply-chain.html",
        "list",
        site.config
            .locale
            .collection("supply-chain", "title", "Supply chain"),
    )
    .var("lines", Value::from(lines))
    .var("collection", Value::from("supply-chain"));
    job.summary = Some(
        site.config
            .locale
            .fill("supply.lead", &[("site", &site.config.name)]),
    );
    jobs.push(job);
    jobs
}

/// A long supply chain names at most this many members on its page (about 250 bytes each).
const SUPPLY_REFS: usize = 400;

/// The pages of one capability of a long supply chain: who offers it and who needs it, at
/// most [`LIST_PAGE`] of each a page. `line` is its value without the members.
fn supply_line_jobs(
    site: &Site,
    l: &crate::model::SupplyLine,
    line: tera::Map,
    path: &str,
    refs: &dyn Fn(&[String]) -> Value,
) -> Vec<Job<'static>> {
    let urls = &site.config.urls;
    let total = l
        .offered_by
        .len()
        .max(l.needed_by.len())
        .div_ceil(LIST_PAGE)
        .max(1);
    let window = |list: &[String], n: usize| -> Vec<String> {
        list.iter()
            .skip((n - 1) * LIST_PAGE)
            .take(LIST_PAGE)
            .cloned()
            .collect()
    };
    (1..=total)
        .map(|n| {
            let mut map = line.clone();
            map.insert("offered_by".into(), refs(&window(&l.offered_by, n)));
            map.insert("needed_by".into(), refs(&window(&l.needed_by, n)));
            let mut job = Job::new(
                paths::nth(path, n),
                "supply-line.html",
                "list",
                nth_title(site, &l.name, n, total),
            )
            .var("line", Value::from(map))
            .var("collection", Value::from("supply-chain"))
            .var("pages", page_links(urls, total, n, |k| paths::nth(path, k)));
            job.summary = Some(site.config.locale.fill(
                "supply.line_summary",
                &[("site", &site.config.name), ("capability", &l.name)],
            ));
            job
        })
        .collect()
}
