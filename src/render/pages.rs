//! The HTML pages of the site, as jobs: which template renders which site path with which
//! variables. `render` runs them in parallel; this module only decides what they are.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use rayon::prelude::*;
use tera::Value;

use super::{items, jsonld, views};
use crate::model::{Entry, Site, initial};
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
        }
    }

    pub fn var(mut self, name: &'static str, value: Value) -> Self {
        self.vars.push((name, value));
        self
    }
}

/// A page's summary for its meta description: the item's own, else its body's first
/// paragraph; none if both are empty.
fn summary(own: Option<&str>, first_paragraph: &str) -> Option<String> {
    Some(own.unwrap_or(first_paragraph))
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// The page of one member. Made by the worker that renders it, just before, and dropped
/// just after: a site may have tens of thousands of members, and their pages' values need
/// not all be in memory at once.
pub(crate) fn member_job(site: &Site, shared: &Shared, slug: &str) -> Option<Job<'static>> {
    let urls = &site.config.urls;
    let entry = site.members.get(slug)?;
    let value = shared.members.get(slug)?;
    let mut job = Job::new(
        paths::member(slug),
        "member.html",
        "member",
        entry.item.name.clone(),
    )
    .var("member", value.clone())
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
            true => Value::from(urls.path(&format!("{}{slug}.vcf", paths::member(slug)))),
            false => Value::none(),
        },
    );
    job.jsonld = Some(jsonld::member(site, entry));
    job.summary = summary(entry.item.summary.as_deref(), &entry.summary);
    Some(job)
}

/// Template values built once per build and shared by every page that lists members.
pub(crate) struct Shared {
    pub members: HashMap<String, Value>,
    /// Each member as a short reference (`slug`, `name`, `url`, `logo`, `initial`), for lists such as
    /// the supply chain's, made once.
    pub refs: HashMap<String, Value>,
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
        let member = |slug: &String, e: &Entry<crate::model::member::Member>| {
            with_card(site, theme, site_value, &offered, &terms, slug, e)
        };
        let made: Vec<_> = site
            .members
            .par_iter()
            .map(|(slug, e)| {
                let member_ref =
                    items::member_ref(site, slug).map(|r| Value::from_serializable(&r));
                let (value, failure) = member(slug, e);
                (slug, value, member_ref.unwrap_or(Value::none()), failure)
            })
            .collect();
        let mut members = HashMap::with_capacity(made.len());
        let mut refs = HashMap::with_capacity(made.len());
        let mut first_failure = None;
        for (slug, value, member_ref, failure) in made {
            members.insert(slug.clone(), value);
            refs.insert(slug.clone(), member_ref);
            if first_failure.is_none() {
                first_failure = failure;
            }
        }
        (Shared { members, refs }, first_failure)
    }

    /// One pre-rendered `field` (`card` or `row`) of each member of `slugs`, joined in that
    /// order: a list of thousands of members costs the page no template work per entry.
    pub fn joined(&self, slugs: &[String], field: &'static str) -> Value {
        let mut html = String::new();
        for slug in slugs {
            if let Some(part) = self
                .members
                .get(slug.as_str())
                .and_then(|m| m.as_map())
                .and_then(|m| m.get(&tera::value::Key::from(field)))
                .and_then(Value::as_str)
            {
                html.push_str(part);
            }
        }
        html.shrink_to_fit();
        Value::safe_string(&html)
    }

    /// Member values for `slugs`, in that order.
    pub fn in_order(&self, slugs: &[String]) -> Value {
        Value::from(
            slugs
                .iter()
                .filter_map(|s| self.members.get(s.as_str()).cloned())
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
        let Some(e) = site.members.get(slug) else {
            self.members.remove(slug);
            self.refs.remove(slug);
            return None;
        };
        let offered = site.offered_capabilities();
        let (value, failure) =
            with_card(site, theme, site_value, &offered, &HashMap::new(), slug, e);
        let member_ref = items::member_ref(site, slug).map(|r| Value::from_serializable(&r));
        self.members.insert(slug.to_string(), value);
        self.refs
            .insert(slug.to_string(), member_ref.unwrap_or(Value::none()));
        failure
    }
}

/// A member's value with its `card` and `row` rendered from it; `terms` holds shared values
/// for sectors and capabilities (`{name, slug, url}`), used instead of the member's own
/// equal ones. Returns the first failure.
fn with_card(
    site: &Site,
    theme: &super::theme::Theme,
    site_value: &Value,
    offered: &std::collections::BTreeSet<&str>,
    terms: &HashMap<(&str, &str), Value>,
    slug: &str,
    e: &Entry<crate::model::member::Member>,
) -> (Value, Option<crate::diag::Diagnostic>) {
    let urls = &site.config.urls;
    let value = views::member_value(urls, e, offered);
    // The card and row are rendered from the value as made; the final value differs
    // only in sharing equal term values, and in having the card and row.
    let mut ctx = tera::Context::new();
    ctx.insert_value("site", site_value.clone());
    ctx.insert_value("member", value);
    let page = urls.path(&paths::member(slug));
    let card = theme.render("partials/member-card.html", &ctx, &site.config.root, &page);
    let row = theme.render("partials/member-row.html", &ctx, &site.config.root, &page);
    let value = ctx.remove("member").unwrap_or(Value::none());
    drop(ctx);
    let Some(mut map) = value.into_map() else {
        return (Value::none(), card.err().or(row.err()));
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
    for (key, html) in [("card", card), ("row", row)] {
        match html {
            Ok(html) => {
                map.insert(key.into(), Value::safe_string(&html));
            }
            Err(d) => {
                failure.get_or_insert(d);
            }
        }
    }
    (Value::from(map), failure)
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

/// Everything a member takes part in, as lists of small item views.
fn takes_part(site: &Site, slug: &str) -> Value {
    let Some(b) = site.backlinks.get(slug) else {
        return Value::none();
    };
    /// The views of the items named by `slugs`, in that order.
    fn views<'s, T, V: serde::Serialize>(
        slugs: &[String],
        entries: &'s BTreeMap<String, Entry<T>>,
        view: impl Fn(&'s Entry<T>) -> V,
    ) -> Value {
        let values: Vec<Value> = slugs
            .iter()
            .filter_map(|s| entries.get(s))
            .map(|e| items::value(&view(e)))
            .collect();
        Value::from(values)
    }
    let groups = [
        (
            "events",
            views(&b.events, &site.events, |e| items::event_view(site, e)),
        ),
        (
            "courses",
            views(&b.courses, &site.courses, |e| items::course_view(site, e)),
        ),
        (
            "resources",
            views(&b.resources, &site.resources, |e| {
                items::resource_view(site, e)
            }),
        ),
        (
            "projects",
            views(&b.projects, &site.projects, |e| {
                items::project_view(site, e)
            }),
        ),
        (
            "procurement",
            views(&b.procurement, &site.procurement, |e| {
                items::procurement_view(site, e)
            }),
        ),
        (
            "catalogues",
            views(&b.catalogues, &site.catalogues, |e| {
                items::catalogue_view(site, e)
            }),
        ),
    ];
    let mut map = tera::Map::new();
    let mut any = false;
    for (name, list) in groups {
        any |= list.len().is_some_and(|n| n > 0);
        map.insert(name.into(), list);
    }
    map.insert("any".into(), Value::from(any));
    Value::from(map)
}

/// Every page of the site except the members' own (see `member_job`). The groups are
/// independent, and made at the same time.
pub(crate) fn jobs<'s>(site: &'s Site, shared: &Shared) -> Vec<Job<'s>> {
    let ((mut jobs, terms), ((pages, collections), supply)) = rayon::join(
        || rayon::join(|| home_jobs(site, shared), || taxonomy_jobs(site)),
        || {
            rayon::join(
                || {
                    rayon::join(
                        || page_jobs(site),
                        || {
                            let mut jobs = Vec::new();
                            collection_jobs(site, shared, &mut jobs);
                            jobs
                        },
                    )
                },
                || (supply_chain_job(site, shared), brochure_jobs(site, shared)),
            )
        },
    );
    let (supply, brochures) = supply;
    jobs.extend(brochures);
    jobs.extend(terms);
    jobs.extend(pages);
    jobs.extend(collections);
    jobs.extend(supply);
    jobs
}

/// The home page and the member directory.
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
        .filter_map(|(_, s)| shared.members.get(s.as_str()).cloned())
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
    let mut directory =
        Job::new(paths::members(), "members.html", "members", "Members").var("facets", facets);
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

/// The taxonomy and term pages.
fn taxonomy_jobs<'s>(site: &'s Site) -> Vec<Job<'s>> {
    let urls = &site.config.urls;
    let mut jobs = Vec::new();
    for t in &site.taxonomies {
        let tv = views::taxonomy_value(urls, t);
        jobs.push(
            Job::new(paths::taxonomy(t.key), "taxonomy.html", "taxonomy", t.title)
                .var("taxonomy", tv.clone()),
        );
        for term in &t.terms {
            let mut term_map = term_map(urls, t.key, term);
            term_map.insert("count".into(), Value::from(term.members.len()));
            let mut job = Job::new(
                paths::term(t.key, &term.slug),
                "term.html",
                "term",
                format!("{}: {}", t.singular, term.name),
            )
            .var("taxonomy", tv.clone())
            .var("term", Value::from(term_map));
            let members = &term.members;
            job.later = Some(Box::new(move |shared: &Shared| {
                vec![
                    ("members", shared.in_order(members)),
                    ("rows", shared.joined(members, "row")),
                ]
            }));
            job.summary = Some(format!(
                "{} members of {} in {} {}.",
                term.members.len(),
                site.config.name,
                t.singular.to_lowercase(),
                term.name
            ));
            jobs.push(job);
        }
    }
    jobs
}

/// Free pages and the 404 page.
fn page_jobs(site: &Site) -> Vec<Job<'static>> {
    let mut jobs = Vec::new();
    for (name, entry) in &site.pages {
        let template = entry
            .item
            .template
            .clone()
            .unwrap_or_else(|| "page.html".to_string());
        let mut job = Job::new(
            paths::page(name),
            &template,
            "page",
            entry.item.title.clone(),
        )
        .var("content", Value::safe_string(&entry.html));
        job.description = entry.item.description.clone();
        job.summary = Some(entry.summary.clone()).filter(|s| !s.is_empty());
        job.extra = Value::from_serializable(&entry.item.extra);
        jobs.push(job);
    }
    jobs.push(Job::new(
        "404.html".to_string(),
        "404.html",
        "404",
        "Page not found",
    ));
    jobs
}

/// What a collection's pages need to know of its items, before any page is rendered.
trait Listed: Sync {
    fn slug(&self) -> &str;
    fn title(&self) -> &str;
    /// The item's own summary, if written.
    fn summary(&self) -> Option<&str>;
}

macro_rules! listed {
    ($($ty:ty => $title:ident),* $(,)?) => {$(
        impl Listed for $ty {
            fn slug(&self) -> &str {
                &self.slug
            }
            fn title(&self) -> &str {
                &self.$title
            }
            fn summary(&self) -> Option<&str> {
                self.summary.as_deref()
            }
        }
    )*};
}

listed! {
    crate::model::event::Event => title,
    crate::model::course::Course => title,
    crate::model::catalogue::Catalogue => title,
    crate::model::resource::Resource => title,
    crate::model::procurement::Procurement => title,
    crate::model::project::Project => title,
    crate::model::funding::Funding => title,
    crate::model::news::News => title,
    crate::model::partner::Partner => name,
}

/// Makes an item's template value, or its structured data.
type Make<T, R> = fn(&Site, &Entry<T>) -> R;

/// A collection's list page and one page per item. No item's value is made before its
/// page is rendered: with thousands of events, the values of a list page and of every
/// item page would otherwise all be in memory at once.
struct Collection<'s, T> {
    key: &'static str,
    title: &'static str,
    list_template: &'static str,
    item_template: &'static str,
    /// The lists of the list page, each in its order; together they hold every item.
    lists: Vec<(&'static str, Vec<&'s Entry<T>>)>,
    /// The list page's other variables (filters and their counts).
    list_vars: Vec<(&'static str, Value)>,
    value: Make<T, Value>,
    jsonld: Option<Make<T, String>>,
}

impl<'s, T: Listed> Collection<'s, T> {
    fn new(
        key: &'static str,
        title: &'static str,
        templates: (&'static str, &'static str),
        value: Make<T, Value>,
    ) -> Self {
        Collection {
            key,
            title,
            list_template: templates.0,
            item_template: templates.1,
            lists: Vec::new(),
            list_vars: Vec::new(),
            value,
            jsonld: None,
        }
    }

    fn list(mut self, name: &'static str, entries: Vec<&'s Entry<T>>) -> Self {
        self.lists.push((name, entries));
        self
    }

    fn var(mut self, name: &'static str, value: Value) -> Self {
        self.list_vars.push((name, value));
        self
    }

    fn jsonld(mut self, make: Make<T, String>) -> Self {
        self.jsonld = Some(make);
        self
    }

    /// The pages, if the collection has items.
    fn push(self, site: &'s Site, jobs: &mut Vec<Job<'s>>) {
        let Collection { key, jsonld, .. } = self;
        let entries: Vec<&Entry<T>> = self.lists.iter().flat_map(|(_, l)| l.clone()).collect();
        if entries.is_empty() {
            return;
        }
        // Each item's value is made once, here, in parallel; the item's page and the list
        // page copy it when they are rendered.
        let values: Arc<Vec<Value>> =
            Arc::new(entries.par_iter().map(|e| (self.value)(site, e)).collect());
        for (i, entry) in entries.into_iter().enumerate() {
            let item = &entry.item;
            let mut job = Job::new(
                paths::item(key, item.slug()),
                self.item_template,
                "item",
                item.title(),
            )
            .var("collection", Value::from(key));
            job.summary = summary(item.summary(), &entry.summary);
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
        let mut job = Job::new(paths::list(key), self.list_template, "list", self.title)
            .var("collection", Value::from(key));
        job.vars.extend(self.list_vars);
        let lists: Vec<(&'static str, usize)> = self
            .lists
            .iter()
            .map(|(name, l)| (*name, l.len()))
            .collect();
        job.later = Some(Box::new(move |_: &Shared| {
            let mut start = 0;
            lists
                .iter()
                .map(|(name, len)| {
                    let list = values[start..start + len].to_vec();
                    start += len;
                    (*name, Value::from(list))
                })
                .collect()
        }));
        jobs.push(job);
    }
}

/// Makes the values of a list page's lists, in parallel, when the page is rendered.
fn lists_later<'s, T: Listed>(
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

/// The months with events, in calendar order, with how many start in each: `{key, label, count}`.
fn event_months(site: &Site) -> Vec<serde_json::Value> {
    let mut months: BTreeMap<String, (String, usize)> = BTreeMap::new();
    for e in site.events.values() {
        let t = items::times(&e.item.period, site.now);
        months.entry(t.month).or_insert((t.month_label, 0)).1 += 1;
    }
    months.into_iter().map(|(key, (label, count))| serde_json::json!({ "key": key, "label": label, "count": count })).collect()
}

/// Filter values of a list page, `{key, label}`.
fn facet(pairs: Vec<(String, String)>) -> Value {
    Value::from_serializable(
        &pairs
            .into_iter()
            .map(|(key, label)| serde_json::json!({ "key": key, "label": label }))
            .collect::<Vec<_>>(),
    )
}

fn collection_jobs<'s>(site: &'s Site, shared: &Shared, jobs: &mut Vec<Job<'s>>) {
    // Events: upcoming soonest first, then past.
    let (upcoming, past) = items::events_in_order(site);
    let mut kinds: BTreeMap<&str, (&str, usize)> = BTreeMap::new();
    for e in site.events.values() {
        kinds
            .entry(e.item.kind.key())
            .or_insert((e.item.kind.label(), 0))
            .1 += 1;
    }
    let kinds: Vec<serde_json::Value> = kinds
        .into_iter()
        .map(|(k, (l, n))| serde_json::json!({"key": k, "label": l, "count": n}))
        .collect();
    Collection::new("events", "Events", ("events.html", "event.html"), |s, e| {
        items::value(&items::event_view(s, e))
    })
    .list("upcoming", upcoming)
    .list("past", past)
    .var("kinds", Value::from_serializable(&kinds))
    .var("months", Value::from_serializable(&event_months(site)))
    .jsonld(|s, e| jsonld::event(s, e, &items::event_view(s, e)))
    .push(site, jobs);

    // Training: courses with a coming session first, by that session; then the others.
    let mut courses: Vec<_> = site
        .courses
        .par_iter()
        .map(|(_, e)| {
            let c = items::course_view(site, e);
            let key = (
                c.next_session.is_none(),
                c.next_session.map(|i| c.sessions[i].times.start.clone()),
                c.title.to_string(),
            );
            (key, e)
        })
        .collect();
    courses.sort_by(|(a, _), (b, _)| a.cmp(b));
    let courses: Vec<_> = courses.into_iter().map(|(_, e)| e).collect();
    // The course list's filters: topics A–Z, levels and formats in their natural order.
    let topic_keys: Vec<(String, String)> = {
        let mut m = BTreeMap::new();
        for e in &courses {
            for t in &e.item.topics {
                m.entry(crate::model::sort_key(&t.name))
                    .or_insert((t.slug.clone(), t.name.clone()));
            }
        }
        m.into_values().collect()
    };
    let level_keys: Vec<(String, String)> = crate::model::course::Level::ALL
        .into_iter()
        .filter(|l| courses.iter().any(|e| e.item.level == Some(*l)))
        .map(|l| (l.key().to_string(), l.label().to_string()))
        .collect();
    let format_keys: Vec<(String, String)> = crate::model::course::Format::ALL
        .into_iter()
        .filter(|f| courses.iter().any(|e| e.item.format == Some(*f)))
        .map(|f| (f.key().to_string(), f.label().to_string()))
        .collect();
    Collection::new(
        "training",
        "Training",
        ("courses.html", "course.html"),
        |s, e| items::value(&items::course_view(s, e)),
    )
    .list("courses", courses)
    .var("topics", facet(topic_keys))
    .var("levels", facet(level_keys))
    .var("formats", facet(format_keys))
    .jsonld(|s, e| jsonld::course(s, e, &items::course_view(s, e)))
    .push(site, jobs);

    // Catalogues, with their entries on their own pages.
    let mut catalogue_jobs = Vec::new();
    Collection::new(
        "catalogues",
        "Joint catalogues",
        ("catalogues.html", "catalogue.html"),
        |s, e| items::value(&items::catalogue_view(s, e)),
    )
    .list("catalogues", site.catalogues.values().collect())
    .jsonld(jsonld::catalogue)
    .push(site, &mut catalogue_jobs);
    for job in &mut catalogue_jobs {
        if job.kind == "item" {
            if let Some(entry) = job
                .path
                .strip_prefix("catalogues/")
                .and_then(|s| site.catalogues.get(s.trim_end_matches('/')))
            {
                job.vars.push((
                    "entries",
                    items::catalogue_entries(site, entry, &shared.members),
                ));
            }
        }
    }
    jobs.extend(catalogue_jobs);

    // Resources, grouped by kind in the template.
    let mut resources: Vec<_> = site.resources.values().collect();
    resources.sort_by_key(|e| (e.item.kind, e.item.title.clone()));
    Collection::new(
        "resources",
        "Shared resources",
        ("resources.html", "resource.html"),
        |s, e| items::value(&items::resource_view(s, e)),
    )
    .list("resources", resources)
    .push(site, jobs);

    // Procurement: open calls first by deadline, then closed, then awarded.
    let mut calls: Vec<_> = site
        .procurement
        .values()
        .map(|e| {
            let open = items::procurement_view(site, e).open;
            ((!open, e.item.status, e.item.deadline, &e.item.title), e)
        })
        .collect();
    calls.sort_by_key(|(a, _)| *a);
    Collection::new(
        "procurement",
        "Joint procurement",
        ("procurement.html", "procurement-call.html"),
        |s, e| items::value(&items::procurement_view(s, e)),
    )
    .list("calls", calls.into_iter().map(|(_, e)| e).collect())
    .push(site, jobs);

    // Projects: running, planned, completed.
    let mut projects: Vec<_> = site.projects.values().collect();
    let rank = |s: crate::model::project::ProjectStatus| match s {
        crate::model::project::ProjectStatus::Running => 0,
        crate::model::project::ProjectStatus::Planned => 1,
        crate::model::project::ProjectStatus::Completed => 2,
    };
    projects.sort_by_key(|e| {
        (
            rank(e.item.status),
            std::cmp::Reverse(e.item.start),
            e.item.title.clone(),
        )
    });
    Collection::new(
        "projects",
        "Joint projects",
        ("projects.html", "project.html"),
        |s, e| items::value(&items::project_view(s, e)),
    )
    .list("projects", projects)
    .push(site, jobs);

    // Funding: open by next deadline, then upcoming, then closed.
    let mut funding: Vec<_> = site
        .funding
        .values()
        .map(|e| {
            let v = items::funding_view(site, e);
            let next = v.next_deadline.clone().unwrap_or_else(|| "9999".into());
            ((!v.open, e.item.status, next, &e.item.title), e)
        })
        .collect();
    funding.sort_by(|(a, _), (b, _)| a.cmp(b));
    Collection::new(
        "funding",
        "Funding opportunities",
        ("funding.html", "funding-item.html"),
        |s, e| items::value(&items::funding_view(s, e)),
    )
    .list(
        "opportunities",
        funding.into_iter().map(|(_, e)| e).collect(),
    )
    .push(site, jobs);

    // News, newest first; position papers also on their own page.
    let news = items::news_in_order(site);
    let positions: Vec<_> = news
        .iter()
        .copied()
        .filter(|e| e.item.kind == crate::model::news::NewsKind::PositionPaper)
        .collect();
    let news_value: Make<crate::model::news::News, Value> =
        |s, e| items::value(&items::news_view(s, e));
    Collection::new("news", "News", ("news.html", "news-item.html"), news_value)
        .list("news", news)
        .jsonld(|s, e| jsonld::news(s, e, &items::news_view(s, e)))
        .push(site, jobs);
    if !positions.is_empty() {
        let mut job = Job::new(
            paths::list("positions"),
            "positions.html",
            "list",
            "Position papers",
        )
        .var("collection", Value::from("positions"));
        job.summary = Some(format!(
            "The positions of {} on laws, regulation and policy.",
            site.config.name
        ));
        job.later = Some(lists_later(site, vec![("news", positions)], news_value));
        jobs.push(job);
    }

    // Partners, A–Z.
    let order = crate::model::sort_by_name(
        site.partners
            .values()
            .map(|p| (p.item.name.as_str(), p.item.slug.as_str())),
    );
    Collection::new(
        "partners",
        "Partner clusters",
        ("partners.html", "partner.html"),
        |s, e| items::value(&items::partner_view(s, e)),
    )
    .list(
        "partners",
        order.iter().filter_map(|s| site.partners.get(s)).collect(),
    )
    .jsonld(jsonld::partner)
    .push(site, jobs);
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
    let date = Value::from(items::date_label(site.now));
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
        let member = |slug: &String| shared.members.get(slug.as_str()).map(with_qr);
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
        let entries = items::catalogue_entries(site, entry, &shared.members);
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
    let value = shared.members.get(slug)?;
    let mut job = Job::new(
        paths::factsheet(slug),
        "factsheet.html",
        "factsheet",
        entry.item.name.clone(),
    )
    .var("member", with_qr(value))
    .var("date_label", Value::from(items::date_label(site.now)));
    job.summary = summary(entry.item.summary.as_deref(), &entry.summary);
    Some(job)
}

/// The supply-chain matchmaking page, if any member offers or needs something.
fn supply_chain_job(site: &Site, shared: &Shared) -> Option<Job<'static>> {
    let urls = &site.config.urls;
    if site.supply_chain.is_empty() {
        return None;
    }
    {
        let offered = site.offered_capabilities();
        let lines: Vec<Value> = site
            .supply_chain
            .iter()
            .map(|l| {
                let mut map = tera::Map::new();
                map.insert("name".into(), Value::from(l.name.as_str()));
                map.insert("slug".into(), Value::from(l.slug.as_str()));
                let url = offered
                    .contains(l.slug.as_str())
                    .then(|| urls.path(&paths::term("capabilities", &l.slug)));
                map.insert("url".into(), Value::from(url));
                let refs = |slugs: &[String]| {
                    Value::from(
                        slugs
                            .iter()
                            .filter_map(|s| shared.refs.get(s.as_str()).cloned())
                            .collect::<Vec<_>>(),
                    )
                };
                map.insert("offered_by".into(), refs(&l.offered_by));
                map.insert("needed_by".into(), refs(&l.needed_by));
                Value::from(map)
            })
            .collect();
        let mut job = Job::new(
            paths::list("supply-chain"),
            "supply-chain.html",
            "list",
            "Supply chain",
        )
        .var("lines", Value::from(lines))
        .var("collection", Value::from("supply-chain"));
        job.summary = Some(format!(
            "Who in {} supplies what, and who is looking for it.",
            site.config.name
        ));
        Some(job)
    }
}
