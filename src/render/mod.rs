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

/// The files of the finished site other than the pages, which went to a [`PageSink`].
#[derive(Debug, Default)]
pub struct Rendered {
    /// Output path relative to the output folder (`members/acme/index.html`) → content.
    pub files: BTreeMap<String, Output>,
    /// Number of HTML pages rendered.
    pub pages: usize,
}

/// Settings of one run that change the output.
#[derive(Debug, Clone, Copy)]
pub struct RenderOptions {
    pub year: i16,
    pub minify: bool,
}

/// Where pages go as they come out of the templates, one call per page from many threads:
/// straight into the staging folder for `build`, so that no page is kept in memory, or into
/// memory for callers that want the whole site.
pub trait PageSink: Sync {
    /// Takes one page; `file` is its output path (`members/acme/index.html`).
    fn page(&self, file: &str, html: &[u8]) -> std::io::Result<()>;
}

/// Keeps the pages in memory.
#[derive(Debug, Default)]
pub struct InMemory(std::sync::Mutex<Vec<(String, Vec<u8>)>>);

impl InMemory {
    /// The pages received, as files.
    pub fn into_files(self) -> impl Iterator<Item = (String, Output)> {
        self.0
            .into_inner()
            .unwrap_or_else(|e| e.into_inner())
            .into_iter()
            .map(|(f, b)| (f, Output::Bytes(b)))
    }
}

impl PageSink for InMemory {
    fn page(&self, file: &str, html: &[u8]) -> std::io::Result<()> {
        self.0
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((file.to_string(), html.to_vec()));
        Ok(())
    }
}

/// Throws the pages away (`check` renders them only to find problems).
#[derive(Debug, Default)]
pub struct Discard;

impl PageSink for Discard {
    fn page(&self, _: &str, _: &[u8]) -> std::io::Result<()> {
        Ok(())
    }
}

/// What one page turned into.
enum PageResult {
    Done(Vec<links::Broken>),
    Failed(Diagnostic),
    NotWritten(Diagnostic),
}

/// Renders every page of `site` into `sink`, checking its links on the way, and returns the
/// other files of the site (static files, calendars, open data, feeds, sitemap).
pub fn render_site(
    site: &Site,
    theme: &Theme,
    opts: RenderOptions,
    sink: &dyn PageSink,
) -> (Rendered, Diagnostics) {
    let watch = crate::timings::Stopwatch::start("render");
    let urls = &site.config.urls;
    let site_value = views::site_value(site, opts.year);
    watch.lap("site value");
    let mut shared = pages::Shared::new(site);
    watch.lap("member values");
    let mut diags = Diagnostics::new();
    if let Some(d) = shared.add_cards(theme, &site_value, site) {
        diags.push(d);
    }
    watch.lap("cards");
    let jobs = pages::jobs(site, &shared);
    watch.lap("views");

    let mut rendered = Rendered::default();
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
    // A sitemap.xml or robots.txt of the site's own (in static/) wins over the generated one.
    if site.config.sitemap {
        rendered
            .files
            .entry("sitemap.xml".into())
            .or_insert_with(|| {
                Output::Bytes(sitemap::sitemap(urls, jobs.iter().map(|j| j.path.as_str())))
            });
        rendered
            .files
            .entry("robots.txt".into())
            .or_insert_with(|| Output::Bytes(sitemap::robots(urls)));
    }
    // A static file where a page goes would be silently lost: say so, and let the page win.
    for job in &jobs {
        let file = output_file(&job.path);
        if rendered.files.remove(&file).is_some() {
            diags.push(
                Diagnostic::warning(format!(
                    "`static/{file}` is replaced by the generated page `{}`",
                    urls.path(&job.path)
                ))
                .in_file(format!("static/{file}"))
                .help("rename or remove the static file"),
            );
        }
    }
    watch.lap("files");

    let checker = links::Checker::new(
        site,
        rendered
            .files
            .keys()
            .cloned()
            .chain(jobs.iter().map(|j| output_file(&j.path))),
    );
    crate::progress::rendering(jobs.len());
    let results: Vec<(&str, PageResult)> = jobs
        .par_iter()
        .map_init(links::Cache::new, |cache, job| {
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
            let page = urls.path(&job.path);
            let result = match theme.render(&job.template, &ctx, &site.config.root, &page) {
                Err(d) => PageResult::Failed(d),
                Ok(html) => {
                    let broken = checker.page(&job.path, &html, cache);
                    let file = output_file(&job.path);
                    match sink.page(&file, html.as_bytes()) {
                        Ok(()) => PageResult::Done(broken),
                        Err(e) => PageResult::NotWritten(Diagnostic::error(format!(
                            "cannot write `{file}`: {e}"
                        ))),
                    }
                }
            };
            crate::progress::page_done();
            (job.path.as_str(), result)
        })
        .collect();
    crate::progress::writing();
    watch.lap("pages");

    let mut failures: BTreeMap<String, (Diagnostic, usize)> = BTreeMap::new();
    let mut page_broken = Vec::new();
    let mut write_error = None;
    for (path, result) in results {
        match result {
            PageResult::Done(broken) => {
                rendered.pages += 1;
                page_broken.extend(broken.into_iter().map(|b| (path.to_string(), b)));
            }
            PageResult::NotWritten(d) => {
                write_error.get_or_insert(d);
            }
            PageResult::Failed(d) => {
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
    diags.extend(write_error);
    diags.extend(checker.report(page_broken));
    drop(jobs);
    watch.lap("dropped");
    (rendered, diags)
}
