//! Rendering: the checked [`Site`] → an in-memory map of output path → file.
//!
//! Every page is a job (site path, template, context); jobs are rendered and minified in
//! parallel. The result is checked for links that lead nowhere, then handed to `output` (which
//! writes it) or, later, to `serve` (which serves it from memory). No file is written here.

pub mod functions;
pub mod links;
pub mod sitemap;
pub mod theme;
pub mod views;

use std::collections::BTreeMap;
use std::path::PathBuf;

use rayon::prelude::*;
use tera::{Context, Value};

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{Site, initial};
use crate::url::{output_file, paths};
use theme::Theme;
use views::PageMeta;

/// One file of the finished site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// Rendered bytes (HTML pages, sitemap, robots.txt).
    Bytes(Vec<u8>),
    /// A static file, copied from disk.
    Copy(PathBuf),
    /// A static file of the embedded default theme.
    Embedded(&'static [u8]),
}

/// The finished site in memory.
#[derive(Debug, Default)]
pub struct Rendered {
    /// Output path relative to the output folder (`members/acme/index.html`) → content.
    pub files: BTreeMap<String, Output>,
    /// Number of HTML pages.
    pub pages: usize,
}

struct Job {
    path: String,
    template: String,
    kind: &'static str,
    title: String,
    /// Written by the author; shown on the page by themes that want it.
    description: Option<String>,
    /// Made from the text, for meta tags when there is no description.
    summary: Option<String>,
    /// The item's `extra:` map, as `page.extra`.
    extra: Value,
    vars: Vec<(&'static str, Value)>,
}

impl Job {
    fn new(path: String, template: &str, kind: &'static str, title: impl Into<String>) -> Self {
        Job {
            path,
            template: template.to_string(),
            kind,
            title: title.into(),
            description: None,
            summary: None,
            extra: Value::none(),
            vars: Vec::new(),
        }
    }

    fn var(mut self, name: &'static str, value: Value) -> Self {
        self.vars.push((name, value));
        self
    }
}

/// Settings of one run that change the output.
#[derive(Debug, Clone, Copy)]
pub struct RenderOptions {
    pub year: i16,
    pub minify: bool,
}

/// Renders every page of `site` and collects the static files.
pub fn render_site(site: &Site, theme: &Theme, opts: RenderOptions) -> (Rendered, Diagnostics) {
    let watch = crate::timings::Stopwatch::start("render");
    let urls = &site.config.urls;
    let site_value = views::site_value(site, opts.year);
    let offered: std::collections::BTreeSet<&str> = site
        .taxonomies
        .iter()
        .filter(|t| t.key == "capabilities")
        .flat_map(|t| t.terms.iter().map(|term| term.slug.as_str()))
        .collect();
    let members: BTreeMap<&str, Value> = site
        .members
        .iter()
        .map(|(slug, e)| (slug.as_str(), views::member_value(urls, e, &offered)))
        .collect();
    let in_order = |slugs: &[String]| -> Value {
        Value::from(
            slugs
                .iter()
                .filter_map(|s| members.get(s.as_str()).cloned())
                .collect::<Vec<_>>(),
        )
    };
    let all_members = in_order(&site.member_order);

    watch.lap("views");
    let mut jobs: Vec<Job> = Vec::new();

    // Home.
    let home_title = site
        .home
        .item
        .title
        .clone()
        .unwrap_or_else(|| site.config.name.clone());
    let mut newest: Vec<&String> = site.member_order.iter().collect();
    newest.sort_by_key(|s| std::cmp::Reverse(site.members[*s].item.member_since.unwrap_or(0)));
    let newest: Vec<Value> = newest
        .into_iter()
        .take(6)
        .filter_map(|s| members.get(s.as_str()).cloned())
        .collect();
    let sectors = site
        .taxonomies
        .iter()
        .find(|t| t.key == "sectors")
        .map(|t| views::taxonomy_value(urls, t))
        .unwrap_or(Value::none());
    let mut home = Job::new(paths::home(), "index.html", "home", home_title)
        .var("content", Value::safe_string(&site.home.html))
        .var("sectors", sectors)
        .var("newest_members", Value::from(newest));
    home.description = site.home.item.description.clone();
    home.summary = site.config.description.clone();
    home.extra = Value::from_serializable(&site.home.item.extra);
    jobs.push(home);

    // Member directory, A–Z with facet links.
    let mut letters: Vec<(String, Vec<Value>)> = Vec::new();
    for slug in &site.member_order {
        let letter = initial(&site.members[slug].item.name);
        if letters.last().is_none_or(|(l, _)| *l != letter) {
            letters.push((letter, Vec::new()));
        }
        if let (Some((_, list)), Some(v)) = (letters.last_mut(), members.get(slug.as_str())) {
            list.push(v.clone());
        }
    }
    let letters = Value::from(
        letters
            .into_iter()
            .map(|(letter, list)| {
                let mut map = tera::Map::new();
                map.insert("letter".into(), Value::from(letter));
                map.insert("members".into(), Value::from(list));
                Value::from(map)
            })
            .collect::<Vec<_>>(),
    );
    let facets = Value::from(
        site.taxonomies
            .iter()
            .map(|t| views::taxonomy_value(urls, t))
            .collect::<Vec<_>>(),
    );
    jobs.push(
        Job::new(paths::members(), "members.html", "members", "Members")
            .var("members", all_members.clone())
            .var("letters", letters)
            .var("facets", facets),
    );

    // Member profiles.
    for (slug, entry) in &site.members {
        let Some(value) = members.get(slug.as_str()) else {
            continue;
        };
        let mut job = Job::new(
            paths::member(slug),
            "member.html",
            "member",
            entry.item.name.clone(),
        )
        .var("member", value.clone())
        .var("content", Value::safe_string(&entry.html));
        job.summary = Some(
            entry
                .item
                .summary
                .clone()
                .unwrap_or_else(|| entry.summary.clone()),
        )
        .filter(|s| !s.is_empty());
        jobs.push(job);
    }

    // Taxonomies and their terms.
    for t in &site.taxonomies {
        let tv = views::taxonomy_value(urls, t);
        jobs.push(
            Job::new(paths::taxonomy(t.key), "taxonomy.html", "taxonomy", t.title)
                .var("taxonomy", tv.clone()),
        );
        for term in &t.terms {
            let mut term_map = tera::Map::new();
            term_map.insert("name".into(), Value::from(term.name.as_str()));
            term_map.insert("slug".into(), Value::from(term.slug.as_str()));
            term_map.insert(
                "url".into(),
                Value::from(urls.path(&paths::term(t.key, &term.slug))),
            );
            term_map.insert("count".into(), Value::from(term.members.len()));
            let mut job = Job::new(
                paths::term(t.key, &term.slug),
                "term.html",
                "term",
                format!("{}: {}", t.singular, term.name),
            )
            .var("taxonomy", tv.clone())
            .var("term", Value::from(term_map))
            .var("members", in_order(&term.members));
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

    // Free pages.
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

    let results: Vec<(String, Result<Vec<u8>, Diagnostic>)> = jobs
        .par_iter()
        .map(|job| {
            let meta = PageMeta::new(
                urls,
                job.kind,
                &job.path,
                &job.title,
                job.description.as_deref(),
            );
            let meta = PageMeta {
                summary: job.summary.as_deref(),
                extra: &job.extra,
                ..meta
            };
            let mut ctx = Context::new();
            ctx.insert_value("site", site_value.clone());
            ctx.insert("page", &meta);
            for (k, v) in &job.vars {
                ctx.insert_value(*k, v.clone());
            }
            let result = match theme.tera.render(&job.template, &ctx) {
                Ok(html) => Ok(html.into_bytes()),
                Err(e) => Err(theme.error(&e, &site.config.root, &urls.path(&job.path))),
            };
            (job.path.clone(), result)
        })
        .collect();

    watch.lap("templates");
    let mut diags = Diagnostics::new();
    let mut rendered = Rendered::default();
    let mut failures: BTreeMap<String, (Diagnostic, usize)> = BTreeMap::new();
    let mut failed_paths = Vec::new();
    let mut html_pages: Vec<(String, Vec<u8>)> = Vec::with_capacity(results.len());
    for (path, result) in results {
        match result {
            Ok(bytes) => html_pages.push((path, bytes)),
            Err(d) => {
                failed_paths.push(path);
                // One broken template breaks many pages; say it once, with a count.
                let key = format!(
                    "{:?}{:?}{}",
                    d.file,
                    d.span,
                    d.message.split(" (while rendering").next().unwrap_or("")
                );
                failures.entry(key).or_insert((d, 0)).1 += 1;
            }
        }
    }
    for (_, (mut d, count)) in failures {
        if count > 1 {
            d.message
                .push_str(&format!(" and {} other pages", count - 1));
        }
        diags.push(d);
    }

    // Static files: theme first, then the site's own, which win.
    for (path, source) in &site.static_files {
        let out = match source {
            Some(p) => Output::Copy(p.clone()),
            None => match theme::embedded_static(path) {
                Some(bytes) => Output::Embedded(bytes),
                None => continue,
            },
        };
        rendered.files.insert(path.clone(), out);
    }

    // Links are checked on the pages before minification, where attributes are still quoted.
    diags.extend(links::check(
        site,
        &html_pages,
        &failed_paths,
        &rendered.files,
    ));

    watch.lap("links");
    rendered.pages = html_pages.len();
    // A sitemap.xml or robots.txt of the site's own (in static/) wins over the generated one.
    rendered
        .files
        .entry("sitemap.xml".into())
        .or_insert_with(|| {
            Output::Bytes(sitemap::sitemap(
                urls,
                html_pages.iter().map(|(p, _)| p.as_str()),
            ))
        });
    rendered
        .files
        .entry("robots.txt".into())
        .or_insert_with(|| Output::Bytes(sitemap::robots(urls)));
    // A static file where a page goes would be silently lost: say so.
    for (path, _) in &html_pages {
        let file = output_file(path);
        if rendered.files.contains_key(&file) {
            diags.push(
                Diagnostic::warning(format!(
                    "`static/{file}` is replaced by the generated page `{}`",
                    urls.path(path)
                ))
                .in_file(format!("static/{file}"))
                .help("rename or remove the static file"),
            );
        }
    }
    let minified: Vec<(String, Vec<u8>)> = html_pages
        .into_par_iter()
        .map(|(path, bytes)| {
            let bytes = if opts.minify {
                crate::output::minify(&bytes)
            } else {
                bytes
            };
            (output_file(&path), bytes)
        })
        .collect();
    watch.lap("minify");
    for (file, bytes) in minified {
        rendered.files.insert(file, Output::Bytes(bytes));
    }
    (rendered, diags)
}
