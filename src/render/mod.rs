//! Rendering: the checked [`Site`] → an in-memory map of output path → file.
//!
//! Every page is a job (site path, template, context); jobs are rendered in parallel (from
//! templates squeezed once, see `minify::squeeze_template`). The result is checked for links that lead nowhere, then handed to `output` (which
//! writes it) or, later, to `serve` (which serves it from memory). No file is written here.

pub(crate) mod csp;
pub mod exports;
pub(crate) mod feeds;
pub(crate) mod functions;
pub(crate) mod host_files;
pub(crate) mod ics;
pub(crate) mod items;
pub(crate) mod jsonld;
pub(crate) mod links;
pub(crate) mod map;
pub(crate) mod menu;
pub(crate) mod minify;
pub(crate) mod pages;
pub(crate) mod printed;
pub(crate) mod qr;
pub(crate) mod resized;
pub(crate) mod search;
pub(crate) mod sitemap;
pub mod theme;
pub(crate) mod views;

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;

use rayon::prelude::*;
use tera::{Context, Value};

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::Site;
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

/// The files of the finished site other than the pages, which went to a [`PageSink`].
#[derive(Debug, Default)]
pub struct Rendered {
    /// Output path relative to the output folder (`members/acme/index.html`) → content.
    pub files: BTreeMap<String, Output>,
    /// Number of HTML pages rendered.
    pub pages: usize,
    /// Output paths of the generated files written to the sink (calendars, feeds, open
    /// data, the sitemap, files for the host).
    pub made: Vec<String>,
    /// The resized images written to the sink.
    pub images: resized::Counts,
}

/// The page a host shows for an address the site does not have.
pub(crate) const NOT_FOUND: &str = "404.html";

/// Which part of a site a call of [`render_site`] renders: in a site of several languages,
/// one pass per language, each writing that language's pages, feeds and calendars under its
/// prefix, and one of them (the first) the files all languages share as well.
#[derive(Debug, Clone, Copy)]
pub struct Pass<'a> {
    /// Whether this pass writes the shared files: static files, open data, the sitemap and
    /// the files a host reads.
    pub shared: bool,
    /// The prefixes of the site's languages (`de/`), or one empty one for a site of one:
    /// every language has the same pages, so that links between them can be checked.
    pub prefixes: &'a [String],
    /// The files the shared pass wrote (static and generated), for a later pass's link check.
    pub shared_files: &'a [String],
}

impl Pass<'static> {
    /// The one pass of a site in one language.
    pub fn whole() -> Pass<'static> {
        static NONE: [String; 1] = [String::new()];
        Pass {
            shared: true,
            prefixes: &NONE,
            shared_files: &[],
        }
    }
}

/// Settings of one run that change the output.
#[derive(Debug, Clone, Copy)]
pub struct RenderOptions {
    pub year: i16,
    pub minify: bool,
}

/// Where pages and generated files go as they are made, one call per file from many threads:
/// straight into the staging folder for `build`, so that no page is kept in memory, or
/// nowhere for `check`.
pub trait PageSink: Sync {
    /// Takes one file; `file` is its output path (`members/acme/index.html`).
    fn put(&self, file: &str, bytes: &[u8]) -> std::io::Result<()>;

    /// Takes `file` as the previous build wrote it, if that build left one: for resized
    /// images, whose names say what they hold (`crate::images::library`). `true` if taken.
    fn reuse(&self, _file: &str) -> bool {
        false
    }

    /// Whether the files put are kept. `check` keeps none: its images are only decoded, to
    /// find damaged ones, not resized.
    fn keeps(&self) -> bool {
        true
    }
}

/// Throws the pages away (`check` renders them only to find problems).
#[derive(Debug, Default)]
pub struct Discard;

impl PageSink for Discard {
    fn put(&self, _: &str, _: &[u8]) -> std::io::Result<()> {
        Ok(())
    }

    fn keeps(&self) -> bool {
        false
    }
}

/// Writes generated files into `sink` in parallel; returns their paths and, if any write
/// failed, the first failure.
fn write_all(
    sink: &dyn PageSink,
    files: &[(String, Vec<u8>)],
) -> (Vec<String>, Option<Diagnostic>) {
    let errors: Vec<Diagnostic> = files
        .par_iter()
        .filter_map(|(path, bytes)| {
            let e = sink.put(path, bytes).err()?;
            Some(Diagnostic::error(format!("cannot write `{path}`: {e}")))
        })
        .collect();
    (
        files.iter().map(|(p, _)| p.clone()).collect(),
        errors.into_iter().next(),
    )
}

/// The files made from the items that are not pages: calendars, open data and feeds, as
/// switched on in `cluster.yaml`, by output path. Calendars and feeds are each language's,
/// under its prefix; open data is shared, and made only when `shared`.
pub(crate) fn generated_files(site: &Site, shared: bool) -> Vec<(String, Vec<u8>)> {
    let urls = &site.config.urls;
    let (mut generated, exports) = rayon::join(
        || match site.config.calendars {
            true => ics::calendars(site),
            false => Vec::new(),
        },
        || match site.config.open_data && shared {
            true => exports::exports(site),
            false => Vec::new(),
        },
    );
    generated.extend(feed_files(site));
    generated.extend(items::directory_data(site).map(|data| (paths::members_data(), data)));
    if !urls.prefix().is_empty() {
        for (path, _) in &mut generated {
            *path = urls.output(path);
        }
    }
    generated.extend(exports);
    if shared {
        generated.extend(crate::cms::admin_files(site));
    }
    generated
}

/// The Atom feeds, if switched on.
pub(crate) fn feed_files(site: &Site) -> Vec<(String, Vec<u8>)> {
    if !site.config.feeds {
        return Vec::new();
    }
    items::feeds()
        .into_iter()
        .filter_map(|f| Some((f.path.to_string(), (f.make)(site)?)))
        .collect()
}

/// Adds `footer` to the site's value: `partials/footer.html`, rendered once with `site` only,
/// as it is the same on every page.
fn with_footer(site_value: Value, site: &Site, theme: &Theme, diags: &mut Diagnostics) -> Value {
    let mut ctx = Context::new();
    ctx.insert_value("site", site_value);
    let page = site.config.urls.path(&paths::home());
    let footer = theme.render("partials/footer.html", &ctx, &page);
    let site_value = ctx.remove("site").unwrap_or(Value::none());
    drop(ctx);
    let html = match footer {
        Ok(html) => html,
        Err(d) => {
            diags.push(d);
            return site_value;
        }
    };
    // The site's value is a map, always; `into_map` takes it without a copy.
    match site_value.into_map() {
        Some(mut map) => {
            map.insert("footer".into(), Value::safe_string(&html));
            Value::from(map)
        }
        None => Value::none(),
    }
}

/// What one page turned into.
enum PageResult {
    /// Nothing to render (a member that disappeared).
    Skipped,
    Done(Vec<links::Broken>),
    Failed(Diagnostic),
    NotWritten(Diagnostic),
}

/// Renders every page and generated file of `site` into `sink`, checking links on the way,
/// and returns the static files, which are copied, not made.
pub fn render_site(
    site: &Site,
    theme: &Theme,
    opts: RenderOptions,
    pass: Pass,
    sink: &dyn PageSink,
) -> (Rendered, Diagnostics, Prepared) {
    let watch = crate::timings::Stopwatch::start("render");
    let urls = &site.config.urls;
    theme.use_images(&site.images);
    let mut diags = views::check_navigation(site);
    let site_value = with_footer(views::site_value(site, opts.year), site, theme, &mut diags);

    // Two independent halves at once, so that neither core waits on the other's sequential
    // steps: the values and jobs of the pages, and the generated files (calendars, open data,
    // feeds), which pages link to but do not need.
    let ((shared, jobs, card_failure), (mut made, write_errors)) = rayon::join(
        || {
            let (shared, failure) = pages::Shared::new(site, theme, &site_value);
            watch.lap("member values and cards");
            let jobs = pages::jobs(site, &shared);
            watch.lap("jobs");
            (shared, jobs, failure)
        },
        || {
            let generated = generated_files(site, pass.shared);
            watch.lap("ics, exports and feeds");
            // Written at once, and only their paths kept: large sites' open data and calendars
            // need not wait in memory for the pages.
            write_all(sink, &generated)
        },
    );
    diags.extend(card_failure);
    diags.extend(write_errors);
    watch.lap("views and generated files");

    let mut rendered = Rendered::default();
    // Static files: theme first, then the site's own, which win.
    for (path, source) in &site.static_files {
        let out = match source {
            // An SVG the site shows as an image is published cleaned (`crate::images::svg`).
            Some(_) if let Some(svg) = site.images.cleaned_svg(path) => {
                Output::Bytes(svg.into_bytes())
            }
            Some(p) => Output::Copy(p.clone()),
            None => match theme::embedded_static(path) {
                // The built-in stylesheet and script are written readable; visitors get
                // them minified.
                Some(bytes) if opts.minify && path.ends_with(".css") => {
                    Output::Bytes(minify::minify_css(bytes))
                }
                Some(bytes) if opts.minify && path.ends_with(".js") => {
                    Output::Bytes(minify::minify_js(bytes))
                }
                Some(bytes) => Output::Embedded(bytes),
                None => continue,
            },
        };
        rendered.files.insert(path.clone(), out);
    }
    // Every page's site path: the prepared jobs, the members' own pages and their fact sheets.
    let factsheets = factsheets(site);
    let page_paths: Vec<String> = jobs
        .iter()
        .map(|j| j.path.clone())
        .chain(site.members.keys().map(|slug| paths::member(slug)))
        .chain(factsheets.iter().map(|slug| paths::factsheet(slug)))
        .collect();
    // Their output paths in every language.
    // In a site of several languages, each language's own addresses (an item may have a
    // slug of its own in one).
    let in_each: Vec<crate::url::Urls> = (pass.prefixes.iter())
        .map(|prefix| match prefix.is_empty() {
            true => urls.clone(),
            false => urls.in_language(prefix.trim_end_matches('/')),
        })
        .collect();
    let every_language = |site_paths: &[String]| -> Vec<String> {
        in_each
            .iter()
            .flat_map(|u| site_paths.iter().map(move |p| u.output(p)))
            .collect()
    };
    // Pages that some languages have and others do not (news not translated): where they are.
    let versions: Vec<String> = site
        .config
        .urls
        .versions()
        .flat_map(|(path, langs)| langs.iter().map(move |l| urls.in_language(l).output(path)))
        .collect();
    let mut all_page_paths = every_language(&page_paths);
    all_page_paths.extend(versions);
    // A sitemap.xml or robots.txt of the site's own (in static/) wins over the generated one.
    let mut generated = Vec::new();
    if site.config.sitemap && pass.shared {
        if !rendered.files.contains_key("sitemap.xml") {
            // Printed pages repeat what the pages say, and are not for search engines.
            let mut listed: Vec<String> = jobs
                .iter()
                .filter(|j| j.kind != "brochure" && !j.noindex)
                .map(|j| j.path.clone())
                .chain(site.members.keys().map(|slug| paths::member(slug)))
                .chain(urls.versions().map(|(path, _)| path.clone()))
                .collect();
            listed.sort_unstable();
            listed.dedup();
            generated.push((
                "sitemap.xml".into(),
                sitemap::sitemap(&site.config, listed.iter().map(String::as_str)),
            ));
        }
        if !rendered.files.contains_key("robots.txt") {
            generated.push(("robots.txt".into(), sitemap::robots(urls)));
        }
    }
    if pass.shared {
        generated.extend(host_files::host_files(
            site,
            &all_page_paths,
            &rendered.files,
            &mut diags,
        ));
    }
    let (late, late_errors) = write_all(sink, &generated);
    made.extend(late);
    diags.extend(late_errors);
    for path in &made {
        if rendered.files.remove(path).is_some() && pass.shared {
            diags.push(
                Diagnostic::warning(format!(
                    "`static/{path}` is replaced by the generated file `{}`",
                    urls.path(path)
                ))
                .in_file(format!("static/{path}"))
                .help("rename or remove the static file"),
            );
        }
    }

    let sources = sources(site, &jobs, &factsheets);
    // A static file where a page goes would be silently lost: say so, and let the page win.
    for path in &all_page_paths {
        let file = output_file(path);
        if rendered.files.remove(&file).is_some() && pass.shared {
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
    watch.lap("files");

    let checker = links::Checker::new(
        site,
        rendered
            .files
            .keys()
            .cloned()
            .chain(made.iter().cloned())
            .chain(pass.shared_files.iter().cloned())
            .chain(all_page_paths.iter().map(|p| output_file(p)))
            // Printed after the pages, by `build`, and linked from them.
            .chain(every_language(
                &printed::planned(site)
                    .into_iter()
                    .map(|p| p.pdf)
                    .collect::<Vec<_>>(),
            )),
    );
    if pass.shared {
        diags.extend(checker.redirects());
        diags.extend(checker.stylesheets(&rendered.files));
    }
    crate::progress::rendering(sources.len());
    let prepared = Prepared {
        menus: menu::Menus::new(&site_value),
        site_value,
        shared,
        cluster_card: cluster_card(site),
    };
    // For hosts that read `_headers`, the pages are scanned on their way out for what the
    // Content-Security-Policy must allow; the site's own `_headers` wins.
    let headers = site
        .config
        .hosting
        .is_some_and(crate::config::host::Host::reads_headers)
        && !rendered.files.contains_key("_headers")
        && pass.shared;
    let inline = csp::InlineSources::default();
    // The member map's tiles, once a visitor asks for them (`map.tiles`).
    if let Some(tiles) = &site.config.tiles {
        inline.allow_images(&tiles.origin);
    }
    let scanning = csp::Scanning {
        sink,
        inline: &inline,
    };
    let page_sink: &dyn PageSink = if headers { &scanning } else { sink };
    // The search index is made while the pages are: its steps that run on one core leave
    // the other to the pages. (`serve` makes it with the whole site only, not on each save.)
    let ((pages, d), index) = rayon::join(
        || {
            render_pages(
                site,
                theme,
                &prepared,
                &sources,
                checker,
                pass.shared,
                page_sink,
            )
        },
        || match site.config.search {
            true => search::files(site, &jobs),
            false => Vec::new(),
        },
    );
    let index: Vec<(String, Vec<u8>)> = index
        .into_iter()
        .map(|(path, bytes)| (urls.output(&path), bytes))
        .collect();
    let (written, error) = write_all(sink, &index);
    made.extend(written);
    diags.extend(error);
    if headers {
        let admin_path = format!("{}admin/", urls.base_path());
        let (_, error) = write_all(
            sink,
            &[csp::headers_file(
                &inline,
                &rendered.files,
                &site.static_contents,
                site.config.cms.as_ref().map(|cms| {
                    (
                        admin_path.as_str(),
                        crate::cms::policy(cms),
                        site.config.hosting == Some(crate::config::host::Host::Cloudflare),
                    )
                }),
            )],
        );
        diags.extend(error);
    }
    crate::progress::writing();
    watch.lap("pages");
    rendered.pages = pages;
    rendered.made = made;
    diags.extend(d);
    if !pass.shared {
        // The shared pass writes them.
        rendered.files.clear();
    }
    // The values go to a thread of their own (`drop_in_background`).
    // (Jobs borrow the site, so only their values go. Their items' values go first: then
    // the lists that the jobs' closures hold are left with references to give up, not
    // values to take apart.)
    drop(sources);
    let values: Vec<Vec<(&'static str, tera::Value)>> = jobs
        .into_iter()
        .map(|job| {
            let mut vars = job.vars;
            vars.extend(job.item.map(|item| ("item", item)));
            vars
        })
        .collect();
    drop_in_background(values);
    (rendered, diags, prepared)
}

/// Drops `value` on a thread of its own: handing a large site's values back to the
/// allocator takes a while, and nobody needs to wait for it.
pub(crate) fn drop_in_background<T: Send + 'static>(value: T) {
    std::thread::spawn(move || drop(value));
}

/// Whether rendering looks into the static file at `path` of a site configured as `config`:
/// stylesheets (their `url(…)`s are link-checked), pages on hosts that read `_headers` (the
/// Content-Security-Policy must allow what they hold inline) and files the build also writes
/// for the host (the site's own wins, with a warning if it differs). Their bytes are read while
/// loading ([`theme::read_static_contents`]), so that rendering reads no files.
pub(crate) fn reads_static(config: &crate::config::Config) -> impl Fn(&str) -> bool {
    let host_files: HashSet<String> = host_files::files_for(config)
        .into_iter()
        .map(|(path, _)| path)
        .collect();
    let pages = config
        .hosting
        .is_some_and(crate::config::host::Host::reads_headers);
    move |path| {
        path.ends_with(".css") || (pages && path.ends_with(".html")) || host_files.contains(path)
    }
}

/// What every page of one version of the site shares: the site's own value (with its
/// footer) and each member's value, card and row. `serve` keeps it between rebuilds.
pub struct Prepared {
    pub(crate) site_value: Value,
    /// The main menu, as each page shows it (`partials/menu.html`).
    pub(crate) menus: menu::Menus,
    pub(crate) shared: pages::Shared,
    /// The cluster's share card: what a page without a picture of its own shows when shared.
    pub(crate) cluster_card: (String, u32, u32),
}

impl Prepared {
    /// The site's value (with its footer) and the members' values and cards of `site`.
    pub fn new(site: &Site, theme: &Theme, opts: RenderOptions) -> (Prepared, Diagnostics) {
        let mut diags = Diagnostics::new();
        let site_value = with_footer(views::site_value(site, opts.year), site, theme, &mut diags);
        let (shared, failure) = pages::Shared::new(site, theme, &site_value);
        diags.extend(failure);
        let cluster_card = cluster_card(site);
        let prepared = Prepared {
            menus: menu::Menus::new(&site_value),
            site_value,
            shared,
            cluster_card,
        };
        (prepared, diags)
    }
}

/// The site's own value, with its footer (see [`Prepared`]).
pub(crate) fn site_value(site: &Site, theme: &Theme, opts: RenderOptions) -> (Value, Diagnostics) {
    let mut diags = Diagnostics::new();
    let value = with_footer(views::site_value(site, opts.year), site, theme, &mut diags);
    (value, diags)
}

/// One page to render: prepared, or a member's page or fact sheet, whose values are made
/// only when it is.
pub(crate) enum Source<'j> {
    Ready(&'j pages::Job<'j>),
    Member(&'j str),
    Factsheet(&'j str),
}

impl<'j> Source<'j> {
    /// The page's job: the prepared one, or one made now into `owned`. `Err` with the page's
    /// path if there is nothing to render (a member that disappeared).
    fn job<'a>(
        &self,
        site: &Site,
        shared: &pages::Shared,
        owned: &'a mut Option<pages::Job<'static>>,
    ) -> Result<&'a pages::Job<'a>, String>
    where
        'j: 'a,
    {
        let made = match *self {
            Source::Ready(job) => return Ok(job),
            Source::Member(slug) => {
                pages::member_job(site, shared, slug).ok_or(paths::member(slug))
            }
            Source::Factsheet(slug) => {
                pages::factsheet_job(site, shared, slug).ok_or(paths::factsheet(slug))
            }
        };
        Ok(owned.insert(made?))
    }
}

/// Every page of a build: the prepared `jobs`, the members' pages and their `factsheets`.
fn sources<'j>(
    site: &'j Site,
    jobs: &'j [pages::Job<'j>],
    factsheets: &'j [&str],
) -> Vec<Source<'j>> {
    jobs.iter()
        .map(Source::Ready)
        .chain(site.members.keys().map(|s| Source::Member(s)))
        .chain(factsheets.iter().map(|s| Source::Factsheet(s)))
        .collect()
}

/// The picture link previews (LinkedIn, Mastodon, chat apps) show for a page, 1200 × 630:
/// the item's photo cut to that shape, else a share card with the page's logo (a member's, a
/// partner's) and name, else the cluster's card with its logo. Its site path and size.
fn share_image(site: &Site, prepared: &Prepared, job: &pages::Job) -> (String, u32, u32) {
    use crate::images::{Fit, Format, Size, card};
    let images = &site.images;
    let Some(source) = job.image.as_deref().and_then(|p| images.inspect(p).ok()) else {
        return prepared.cluster_card.clone();
    };
    if !job.image_is_logo && source.format != Format::Svg {
        let size = Size {
            width: card::WIDTH,
            height: card::HEIGHT,
            fit: Fit::Cover,
        };
        return images.variant(&source, size);
    }
    let name = site.config.name.as_str();
    let file = images.card(Some(&source), &job.title, name, accent(site));
    (file, card::WIDTH, card::HEIGHT)
}

/// The colour of the bar at the foot of share cards.
fn accent(site: &Site) -> &str {
    site.config.primary_color.as_deref().unwrap_or("#0b5c8a")
}

/// The cluster's own share card: its logo and name.
fn cluster_card(site: &Site) -> (String, u32, u32) {
    let images = &site.images;
    let name = site.config.name.as_str();
    let logo = (site.config.logo.as_deref()).and_then(|l| images.inspect(l).ok());
    let file = images.card(logo.as_ref(), name, name, accent(site));
    (
        file,
        crate::images::card::WIDTH,
        crate::images::card::HEIGHT,
    )
}

/// The variables a page's template receives, in the order they are set (a later one of the
/// same name wins): `site`, `page`, the job's own, then those made as the page is rendered.
/// Both the renderer and [`contexts`] take them from here, so that the context pinned by
/// the snapshot tests and documented in docs/themes.md is the one templates get.
fn page_vars(
    site: &Site,
    theme: &Theme,
    prepared: &Prepared,
    job: &pages::Job,
) -> Result<Vec<(&'static str, Value)>, Diagnostic> {
    let meta = PageMeta::new(
        &site.config.urls,
        job.kind,
        &job.path,
        &job.title,
        job.description.as_deref(),
    );
    let jsonld_later = job.jsonld_later.as_ref().map(|make| make());
    let (image, image_width, image_height) = share_image(site, prepared, job);
    // The page a host shows for any missing address has no translations of its own.
    let translations = match job.kind {
        "404" => Vec::new(),
        _ => views::translations(&site.config, &job.path),
    };
    let meta = PageMeta {
        image: Some(site.config.urls.asset_permalink(&image)),
        image_width,
        image_height,
        translations,
        noindex: job.noindex,
        summary: job.summary.as_deref(),
        extra: &job.extra,
        jsonld: job.jsonld.as_deref().or(jsonld_later.as_deref()),
        ..meta
    };
    let menu = (prepared.menus).of(theme, &prepared.site_value, &meta.url, meta.section)?;
    let mut vars = vec![
        ("site", prepared.site_value.clone()),
        ("page", Value::from_serializable(&meta)),
        ("menu", menu),
    ];
    vars.extend(job.vars.iter().map(|(k, v)| (*k, v.clone())));
    if let Some(later) = &job.later {
        vars.extend(later(&prepared.shared));
    }
    Ok(vars)
}

/// The context one page's template receives, as JSON.
#[doc(hidden)]
#[derive(Debug, Clone)]
pub struct PageContext {
    pub template: String,
    /// The site path (`members/acme/`).
    pub path: String,
    /// Variable name → value.
    pub context: serde_json::Value,
}

/// The context of every page `render_site` would render, without rendering: the same jobs
/// and the same variables (see [`page_vars`]). For the snapshot tests of the template
/// context (tests/cli/context.rs), which tie it to docs/themes.md.
#[doc(hidden)]
pub fn contexts(
    site: &Site,
    theme: &Theme,
    opts: RenderOptions,
) -> (Vec<PageContext>, Diagnostics) {
    let (prepared, diags) = Prepared::new(site, theme, opts);
    let jobs = pages::jobs(site, &prepared.shared);
    let factsheets = factsheets(site);
    let contexts = sources(site, &jobs, &factsheets)
        .iter()
        .filter_map(|source| {
            let mut owned = None;
            let job = source.job(site, &prepared.shared, &mut owned).ok()?;
            let context = (page_vars(site, theme, &prepared, job).ok()?)
                .into_iter()
                .map(|(k, v)| {
                    let json = serde_json::to_value(&v)
                        .unwrap_or_else(|e| serde_json::Value::String(format!("(not JSON: {e})")));
                    (k.to_string(), json)
                })
                .collect();
            Some(PageContext {
                template: job.template.clone(),
                path: job.path.clone(),
                context: serde_json::Value::Object(context),
            })
        })
        .collect();
    (contexts, diags)
}

/// The members that get a fact sheet: all, when brochures are on.
pub(crate) fn factsheets(site: &Site) -> Vec<&str> {
    match site.config.brochures.enabled {
        true => site.members.keys().map(String::as_str).collect(),
        false => Vec::new(),
    }
}

/// Renders `sources` in parallel into `sink`, checking their links; returns how many pages
/// were rendered and the problems found, each template failure said once with a count.
pub(crate) fn render_pages(
    site: &Site,
    theme: &Theme,
    prepared: &Prepared,
    sources: &[Source],
    checker: links::Checker,
    shared_pass: bool,
    sink: &dyn PageSink,
) -> (usize, Diagnostics) {
    let urls = &site.config.urls;
    let shared = &prepared.shared;
    let results: Vec<(String, PageResult)> = sources
        .par_iter()
        // Each worker keeps its link verdicts and one output buffer, reused for every page.
        .map_init(
            || (links::Cache::default(), Vec::new()),
            |(cache, buffer), source| {
                let started = std::time::Instant::now();
                let mut owned = None;
                let job = match source.job(site, shared, &mut owned) {
                    Ok(job) => job,
                    Err(path) => return (path, PageResult::Skipped),
                };
                let mut ctx = Context::new();
                let vars = page_vars(site, theme, prepared, job);
                let page = urls.path(&job.path);
                let rendered = vars.and_then(|vars| {
                    for (k, v) in vars {
                        ctx.insert_value(k, v);
                    }
                    theme.render_into(buffer, &job.template, &ctx, &page)
                });
                drop(ctx);
                let result = match rendered {
                    Err(d) => PageResult::Failed(d),
                    Ok(html) => {
                        let broken = checker.page(&urls.output(&job.path), html, cache);
                        // Hosts answer a missing address anywhere with the `404.html` at the
                        // top: the default language's.
                        let file = match job.path == NOT_FOUND && shared_pass {
                            true => NOT_FOUND.to_string(),
                            false => urls.output(&output_file(&job.path)),
                        };
                        match sink.put(&file, html.as_bytes()) {
                            Ok(()) => PageResult::Done(broken),
                            Err(e) => PageResult::NotWritten(Diagnostic::error(format!(
                                "cannot write `{file}`: {e}"
                            ))),
                        }
                    }
                };
                resized::keep_some(&site.images, sink);
                crate::progress::page_done();
                crate::timings::slow(&job.path, started);
                (job.path.clone(), result)
            },
        )
        .collect();

    let mut diags = Diagnostics::new();
    let mut pages = 0;
    let mut failures: BTreeMap<String, (Diagnostic, usize)> = BTreeMap::new();
    let mut page_broken = Vec::new();
    let mut write_error = None;
    for (path, result) in results {
        match result {
            PageResult::Skipped => {}
            PageResult::Done(broken) => {
                pages += 1;
                page_broken.extend(broken.into_iter().map(|b| (path.clone(), b)));
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
    (pages, diags)
}
