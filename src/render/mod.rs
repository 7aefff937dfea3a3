//! Rendering: the checked [`Site`] → an in-memory map of output path → file.
//!
//! Every page is a job (site path, template, context); jobs are rendered and minified in
//! parallel. The result is checked for links that lead nowhere, then handed to `output` (which
//! writes it) or, later, to `serve` (which serves it from memory). No file is written here.

pub mod exports;
pub mod feeds;
pub mod functions;
pub mod ics;
pub mod items;
pub mod jsonld;
pub mod links;
mod pages;
pub mod sitemap;
pub mod theme;
pub mod views;

use std::collections::BTreeMap;
use std::path::PathBuf;

use rayon::prelude::*;
use tera::Context;

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::Site;
use crate::url::output_file;
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
    let shared = pages::Shared::new(site);
    watch.lap("views");
    let jobs = pages::jobs(site, &shared);
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
                jsonld: job.jsonld.as_deref(),
                ..meta
            };
            let mut ctx = Context::new();
            ctx.insert_value("site", site_value.clone());
            ctx.insert("page", &meta);
            for (k, v) in &job.vars {
                ctx.insert_value(*k, v.clone());
            }
            let result = theme
                .render(
                    &job.template,
                    &ctx,
                    &site.config.root,
                    &urls.path(&job.path),
                )
                .map(String::into_bytes);
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
                // The built-in stylesheet is written readable; visitors get it minified.
                Some(bytes) if opts.minify && path.ends_with(".css") => {
                    Output::Bytes(crate::output::minify_css(bytes))
                }
                Some(bytes) => Output::Embedded(bytes),
                None => continue,
            },
        };
        rendered.files.insert(path.clone(), out);
    }

    // Calendars, feeds and open data: generated files that pages link to.
    let mut generated = ics::calendars(site);
    generated.extend(exports::exports(site));
    if site.config.feeds {
        if let Some(f) = feeds::news_feed(site) {
            generated.push(("news/atom.xml".into(), f));
        }
        if let Some(f) = feeds::positions_feed(site) {
            generated.push(("positions/atom.xml".into(), f));
        }
        if let Some(f) = feeds::events_feed(site) {
            generated.push(("events/atom.xml".into(), f));
        }
    }
    for (path, bytes) in generated {
        if rendered.files.contains_key(&path) {
            diags.push(
                Diagnostic::warning(format!(
                    "`static/{path}` is replaced by the generated file `{}`",
                    urls.path(&path)
                ))
                .in_file(format!("static/{path}"))
                .help("rename or remove the static file"),
            );
        }
        rendered.files.insert(path, Output::Bytes(bytes));
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
    if site.config.sitemap {
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
    }
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
    for (path, bytes) in html_pages {
        rendered
            .files
            .insert(output_file(&path), Output::Bytes(bytes));
    }
    (rendered, diags)
}
