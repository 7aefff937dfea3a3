//! clusterpress: a static site generator for business-cluster portals.
//!
//! The pipeline, one module per stage, in the order a build runs them:
//! `config` (cluster.yaml) → `content` (discover, read, split front matter) → `model` (typed,
//! checked items, references, Markdown) → `render` (templates into an in-memory site) →
//! `output` (staged, swapped in). `diag` carries every problem found on the way;
//! `commands` are the command-line verbs built from these stages. Files are read while
//! loading ([`load`]); rendering is a pure function of the loaded [`Site`] and theme.
//!
//! Imports run one way, from a layer to its own or lower ones (issue 18; the test
//! `tests/cli/layers.rs` enforces it), lowest first:
//!
//! 1. leaf utilities: `diag`, `url`, `timings`, `progress`, `http` (the server that `serve`
//!    and `pdf` share), `text` (rules for values that config and content share; numbers and
//!    sizes for people), `browser` (finding the browser that prints), `i18n` (a language's
//!    interface strings, plurals, numbers, dates, country and language names);
//! 2. `content`;
//! 3. `config`, with `config::host` (the hosts' rules and limits);
//! 4. `model`;
//! 5. `render`, with the files a host reads and the CSP;
//! 6. `output`, with the tally of what was written and the hosts' limits held against it;
//! 7. this root: [`generate`], [`load`], [`Options`], [`Loaded`], joining the stages;
//! 8. `pdf`;
//! 9. `serve`, `fuzz`, `import` (members from a spreadsheet);
//! 10. `cli`, `commands`.
//!
//! (`content` sits below `config`: the configuration is read with its YAML reader.)

// Diagnostics are large (they carry the source line) but they travel only on the error path,
// once per problem; boxing them everywhere would cost clarity for no measurable gain.
#![allow(clippy::result_large_err)]

pub(crate) mod browser;
pub mod cli;
pub(crate) mod cms;
pub mod commands;
pub(crate) mod config;
pub(crate) mod content;
pub(crate) mod diag;
#[doc(hidden)]
pub mod fuzz;
pub(crate) mod http;
pub(crate) mod i18n;
pub mod images;
pub(crate) mod import;
pub mod map;
pub mod model;
pub(crate) mod output;
pub(crate) mod pdf;
pub(crate) mod progress;
pub mod render;
pub mod schema;
pub(crate) mod serve;
pub(crate) mod terms;
pub(crate) mod text;
pub mod timings;
pub(crate) mod url;

use std::path::{Path, PathBuf};

use diag::Diagnostics;
use model::{LoadOptions, Site};
pub use render::{Discard, PageSink};
use render::{RenderOptions, Rendered};

/// What a run is asked to do with a site.
#[derive(Debug, Clone)]
pub struct Options {
    pub site: PathBuf,
    pub base_url: Option<String>,
    pub drafts: bool,
    /// The date the site is built "as of": it decides what is upcoming and the current year.
    pub now: jiff::civil::Date,
    /// Whether brochures are printed to PDF.
    pub pdf: Pdf,
    /// The browser to print with (`--chrome`), instead of the first one found.
    pub chrome: Option<PathBuf>,
}

/// Whether a run prints brochures to PDF.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Pdf {
    /// As `brochures.pdf` in `cluster.yaml` says (`build`).
    #[default]
    AsConfigured,
    /// Yes (`build --pdf`).
    Always,
    /// No (`check`, `serve`).
    Never,
}

/// A site rendered in memory, with the warnings found on the way.
#[derive(Debug)]
pub struct Generated {
    pub site: Site,
    pub rendered: Rendered,
    pub warnings: Diagnostics,
}

/// A site loaded and checked, with its theme compiled: ready to render.
pub struct Loaded {
    /// The site in its default language.
    pub site: Site,
    pub theme: render::theme::Theme,
    pub warnings: Diagnostics,
    /// In a site of several languages, the content as read, from which the site in each
    /// other language is made ([`in_language`]).
    pub docs: Option<Vec<content::Document>>,
}

/// What `serve` keeps of a rendered site to bring it up to date change by change: what the
/// default language's pages share, and each other language's site with what its pages share.
pub struct Kept {
    pub prepared: render::Prepared,
    pub others: Vec<(Site, render::Prepared)>,
}

/// Runs every stage; pages go to `sink` as they are rendered, the other files are returned.
/// All problems of all stages are returned together; a stage that cannot run (no
/// configuration) stops the ones that need it.
pub fn generate(opts: &Options, sink: &dyn render::PageSink) -> Result<Generated, Diagnostics> {
    let watch = crate::timings::Stopwatch::start("generate");
    let Loaded {
        mut site,
        mut theme,
        warnings: mut diags,
        docs,
    } = load(opts, &watch)?;
    let (mut rendered, d, _) =
        render_all(&mut site, &mut theme, docs.as_deref(), opts, sink, false);
    // The compiled templates and the texts as read are not needed any more.
    render::drop_in_background((theme, docs));
    watch.lap("render");
    diags.extend_new(d);
    let (images, d) = render::resized::write_images(&site.images, sink);
    watch.lap(&format!(
        "images: {} resized, {} taken from the last build, {} sources decoded",
        images.files, images.reused, images.decoded
    ));
    rendered.images = images;
    diags.extend(d);
    if diags.has_errors() {
        return Err(diags);
    }
    Ok(Generated {
        site,
        rendered,
        warnings: diags,
    })
}

/// Renders a loaded site into `sink`: the default language (with the files all languages
/// share), then, in a site of several, each other language made from `docs`, one at a time,
/// so that only one other language's site is in memory at a time. Returns the shared files,
/// the problems (each once), and, if asked to `keep` them (`serve` does), every language's
/// site and what its pages share (then all of them stay in memory).
pub fn render_all(
    site: &mut Site,
    theme: &mut render::theme::Theme,
    docs: Option<&[content::Document]>,
    opts: &Options,
    sink: &dyn render::PageSink,
    keep: bool,
) -> (Rendered, Diagnostics, Option<Kept>) {
    let watch = crate::timings::Stopwatch::start("render");
    let mut diags = Diagnostics::new();
    let prefixes = site.config.prefixes();
    let first = render::Pass {
        shared: true,
        prefixes: &prefixes,
        shared_files: &[],
    };
    let (mut rendered, d, prepared) =
        render::render_site(site, theme, render_options(opts, site), first, sink);
    diags.extend(d);
    let prepared = match (keep, site.config.multilingual()) {
        (true, _) => Some(prepared),
        // Before the next language is made, so that the two are never in memory together.
        (false, true) => {
            drop(prepared);
            site.release_texts();
            None
        }
        (false, false) => {
            render::drop_in_background(prepared);
            None
        }
    };
    let shared_files: Vec<String> = (rendered.files.keys().chain(&rendered.made))
        .filter(|p| {
            !prefixes
                .iter()
                .any(|l| !l.is_empty() && p.starts_with(l.as_str()))
        })
        .cloned()
        .collect();
    let pass = render::Pass {
        shared: false,
        prefixes: &prefixes,
        shared_files: &shared_files,
    };
    let mut others = Vec::new();
    for code in site.config.languages.iter().skip(1).map(|l| &l.code) {
        let Some(docs) = docs else { break };
        let (other, d) = in_language(site, docs, code, opts);
        // The same content says the same things in every language: only what is new in
        // this one is worth saying.
        diags.extend_new(d);
        theme.set_language(&other.config);
        let (r, d, other_prepared) =
            render::render_site(&other, theme, render_options(opts, &other), pass, sink);
        match keep {
            true => others.push((other, other_prepared)),
            // Dropped before the next language is made: one at a time in memory.
            false => drop((other_prepared, other)),
        }
        rendered.pages += r.pages;
        diags.extend_new(d);
        watch.lap(&format!("render {code}"));
    }
    if site.config.multilingual() {
        theme.set_language(&site.config);
    }
    let kept = prepared.map(|prepared| Kept { prepared, others });
    (rendered, diags, kept)
}

/// The site of `base` (loaded in the default language) in language `code`, made again from
/// the content as read.
pub fn in_language(
    base: &Site,
    docs: &[content::Document],
    code: &str,
    opts: &Options,
) -> (Site, Diagnostics) {
    let load = LoadOptions {
        drafts: opts.drafts,
        now: opts.now,
        images: Some(base.images.clone()),
    };
    let config = base.config.in_language(code);
    let (docs, mut diags) = for_language(&config, docs, code);
    let (mut site, d) = model::load_site(config, docs, base.static_files.clone(), load);
    diags.extend(d);
    site.static_contents = base.static_contents.clone();
    (site, diags)
}

/// The pages that exist in some of the site's languages only: news items and free pages
/// are built only in the languages they are written or translated in (records, such as
/// members and events, are built in every language, untranslated texts marked as such).
fn versions(
    config: &config::Config,
    originals: &[content::Document],
) -> std::sync::Arc<std::collections::BTreeMap<String, Vec<String>>> {
    let codes = codes(config);
    let map = originals
        .iter()
        .filter_map(|doc| {
            let path = match doc.collection.as_str() {
                "news" => url::paths::item("news", &doc.name),
                "pages" => url::paths::page(&doc.name),
                _ => return None,
            };
            let langs = content::translate::languages_of(doc, &codes);
            (langs.len() < codes.len()).then_some((path, langs))
        })
        .collect();
    std::sync::Arc::new(map)
}

/// What is not translated of a site of several languages, per language (for `check`);
/// `None` for a site of one language, or one whose configuration cannot be read.
pub fn translation_report(opts: &Options) -> Option<Vec<content::translate::LanguageReport>> {
    let overrides = config::Overrides {
        base_url: opts.base_url.clone(),
    };
    let (config, _) = config::load(&opts.site, &overrides).ok()?;
    if !config.multilingual() {
        return None;
    }
    let (files, _) = content::discover(&opts.site);
    let (docs, _) = content::read_documents(&opts.site, &files);
    let codes = codes(&config);
    let (originals, _) = content::translate::attach(docs, &codes);
    Some(content::translate::report(&originals, &codes))
}

/// Each member's `summary` in every language but the default that gives one of its own (a
/// map of languages, or a translation file), for the open data.
fn member_summaries(
    config: &config::Config,
    originals: &[content::Document],
) -> std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>> {
    use rayon::prelude::*;
    originals
        .par_iter()
        .filter(|d| d.collection == "members")
        .filter_map(|doc| {
            let texts = summaries_of(config, doc);
            (!texts.is_empty()).then(|| (doc.name.clone(), texts))
        })
        .collect()
}

/// A member's own `summary` in each language but the default, by language.
pub(crate) fn summaries_of(
    config: &config::Config,
    doc: &content::Document,
) -> std::collections::BTreeMap<String, String> {
    (config.languages.iter())
        .skip(1)
        .filter_map(|l| {
            content::translate::own_text(doc, "summary", &l.code).map(|text| (l.code.clone(), text))
        })
        .collect()
}

/// The items whose address differs by language (`slug: {fr: …}`, or `slug:` in a
/// translation): language → the item's site path → its path in that language. Two items
/// with the same address in one language are an error, at the slug that makes it.
fn slugs(config: &config::Config, originals: &[content::Document]) -> (url::Slugs, Diagnostics) {
    let codes = codes(config);
    let mut diags = Diagnostics::new();
    let mut map: std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>> =
        Default::default();
    // Every item's own address, which no translated one may take.
    let path_of = |doc: &content::Document, slug: &str| match doc.collection.as_str() {
        "" => None,
        "pages" => {
            let folder = doc.name.rsplit_once('/').map(|(f, _)| format!("{f}/"));
            Some(url::paths::page(&format!(
                "{}{slug}",
                folder.unwrap_or_default()
            )))
        }
        key => Some(url::paths::item(key, slug)),
    };
    let mut taken: std::collections::BTreeMap<(String, String), std::path::PathBuf> = originals
        .iter()
        .filter_map(|d| path_of(d, &d.name))
        .flat_map(|p| codes.iter().map(move |c| (c.clone(), p.clone())))
        .zip(std::iter::repeat(std::path::PathBuf::new()))
        .collect();
    for doc in originals {
        let (own, problems) = content::translate::slugs_of(doc, &codes, &|s| {
            model::types::check_slug(s).map_err(|(message, _)| {
                let help = format!(
                    "an address takes lowercase letters, digits and hyphens: `{}`",
                    slug::slugify(s)
                );
                (message, help)
            })
        });
        diags.extend(problems);
        let (Some(from), true) = (path_of(doc, &doc.name), !own.is_empty()) else {
            continue;
        };
        for (code, slug) in own {
            let Some(to) = path_of(doc, &slug) else {
                continue;
            };
            if to == from {
                continue;
            }
            if let Some(other) = taken.get(&(code.clone(), to.clone())) {
                let whose = match other.as_os_str().is_empty() {
                    true => "another item's".to_string(),
                    false => format!("`{}`'s", other.display()),
                };
                diags.push(
                    diag::Diagnostic::error(format!(
                        "`{slug}` is already {whose} address in `{code}`: `/{code}/{to}`"
                    ))
                    .in_file(&doc.path)
                    .field("slug")
                    .help("give each item its own slug in every language"),
                );
                continue;
            }
            taken.insert((code.clone(), to.clone()), doc.path.clone());
            map.entry(code).or_default().insert(from.clone(), to);
        }
    }
    (std::sync::Arc::new(map), diags)
}

/// The language codes of a site, the default first.
fn codes(config: &config::Config) -> Vec<String> {
    config.languages.iter().map(|l| l.code.clone()).collect()
}

/// The content as language `code` sees it (see `content::translate`).
fn for_language(
    config: &config::Config,
    docs: &[content::Document],
    code: &str,
) -> (Vec<content::Document>, Diagnostics) {
    use rayon::prelude::*;
    let made: Vec<(content::Document, Vec<diag::Diagnostic>)> = docs
        .par_iter()
        .map(|d| doc_in_language(config, d, code))
        .collect();
    let mut diags = Diagnostics::new();
    let docs = made
        .into_iter()
        .map(|(d, problems)| {
            diags.extend(problems);
            d
        })
        .collect();
    (docs, diags)
}

/// One document (an original, with its translations attached) as language `code` of the
/// site configured as `config` sees it, with the problems of its translations.
pub(crate) fn doc_in_language(
    config: &config::Config,
    doc: &content::Document,
    code: &str,
) -> (content::Document, Vec<diag::Diagnostic>) {
    let codes = codes(config);
    let fallback: &[String] = (config.languages.iter())
        .find(|l| l.code == code)
        .map(|l| l.fallback.as_slice())
        .unwrap_or_default();
    let languages = content::translate::Languages {
        codes: &codes,
        code,
        fallback,
    };
    content::translate::in_language(doc, languages)
}

/// How a loaded site is rendered in this run.
pub fn render_options(opts: &Options, site: &Site) -> RenderOptions {
    RenderOptions {
        year: opts.now.year(),
        minify: site.config.minify,
    }
}

/// Every stage before rendering: configuration, theme, content, Markdown. Errors of all of
/// them come back together.
pub fn load(opts: &Options, watch: &timings::Stopwatch) -> Result<Loaded, Diagnostics> {
    let overrides = config::Overrides {
        base_url: opts.base_url.clone(),
    };
    let (mut config, mut diags) = config::load(&opts.site, &overrides)?;
    if config.multilingual() {
        config = config.in_language(&config.language);
    }
    choose_printer(&mut config, opts, &mut diags);

    // The theme's templates compile and the site's static files are listed while the
    // content is read (a site with a logo per member has thousands of static files).
    let ((theme, (site_static, static_diags)), (docs, read_diags)) = rayon::join(
        || {
            rayon::join(
                || render::theme::load_theme(&config),
                || {
                    let mut files = std::collections::BTreeMap::new();
                    let mut d = Diagnostics::new();
                    let dir = opts.site.join("static");
                    render::theme::collect_static(&opts.site, &dir, &mut files, &mut d);
                    (files, d)
                },
            )
        },
        || {
            let (files, mut d) = content::discover(&opts.site);
            let (docs, d2) = content::read_documents(&opts.site, &files);
            d.extend(d2);
            (docs, d)
        },
    );
    let theme = match theme {
        Ok(mut t) => {
            diags.extend(std::mem::take(&mut t.warnings));
            Some(t)
        }
        Err(d) => {
            diags.extend(d);
            None
        }
    };
    let mut static_files = theme
        .as_ref()
        .map(|t| t.static_files.clone())
        .unwrap_or_default();
    // The site's files win over the theme's of the same name.
    static_files.extend(site_static);
    diags.extend(static_diags);
    let static_contents = render::theme::read_static_contents(&config, &static_files);
    diags.extend(read_diags);
    watch.lap("read");
    progress::loading(docs.len());
    diags.extend(model::check_folders(&docs));

    let load = LoadOptions {
        drafts: opts.drafts,
        now: opts.now,
        images: Some(std::sync::Arc::new(images::library::Library::new(
            &static_files,
            render::theme::embedded_static,
        ))),
    };
    // In a site of several languages, translations (`acme.fr.md`) join their originals, and
    // the default language's site is made from the content as it sees it.
    let (docs, kept) = match config.multilingual() {
        false => (docs, None),
        true => {
            let (originals, d) = content::translate::attach(docs, &codes(&config));
            diags.extend(d);
            config.urls = config.urls.with_versions(versions(&config, &originals));
            let (slugs, d) = slugs(&config, &originals);
            diags.extend(d);
            config.urls = config.urls.with_slugs(slugs);
            let (mine, d) = for_language(&config, &originals, &config.language);
            diags.extend(d);
            (mine, Some(originals))
        }
    };
    let summaries = match &kept {
        Some(originals) => member_summaries(&config, originals),
        None => Default::default(),
    };
    let (mut site, d) = model::load_site(config, docs, static_files, load);
    site.static_contents = static_contents;
    site.summaries = summaries;
    diags.extend(d);
    watch.lap("load and markdown");

    let failed = diags.has_errors() || theme.is_none();
    if let (true, Some(originals)) = (failed, &kept) {
        // The build stops here, before the other languages are made: their own problems
        // (in translations) are found now, so that one run names them all.
        for l in site.config.languages.iter().skip(1) {
            let (_, d) = in_language(&site, originals, &l.code, opts);
            diags.extend_new(d);
        }
    }
    let Some(theme) = theme else {
        return Err(diags);
    };
    if diags.has_errors() {
        return Err(diags);
    }
    theme.use_images(&site.images);
    Ok(Loaded {
        site,
        theme,
        warnings: diags,
        docs: kept,
    })
}

/// Decides whether this run prints PDFs, and with which browser: none found means a warning
/// and no PDFs (nor links to them), never a failed build.
fn choose_printer(config: &mut config::Config, opts: &Options, diags: &mut Diagnostics) {
    if opts.pdf == Pdf::Always && !config.brochures.enabled {
        diags.push(
            diag::Diagnostic::warning("--pdf prints nothing: brochures are switched off")
                .in_file(config::CONFIG_FILE)
                .help("remove `enabled: false` under `brochures:` to make the brochures and fact sheets"),
        );
    }
    let b = &mut config.brochures;
    b.pdf = match opts.pdf {
        Pdf::AsConfigured => b.pdf,
        Pdf::Always => true,
        Pdf::Never => false,
    } && b.enabled;
    if !b.pdf {
        return;
    }
    match browser::find_chrome(opts.chrome.as_deref()) {
        Ok(chrome) => b.chrome = Some(chrome),
        Err(why) => {
            b.pdf = false;
            diags.push(
                diag::Diagnostic::warning(format!("brochures are not printed to PDF: {why}"))
                    .in_file(config::CONFIG_FILE)
                    .help("install Chromium (Debian, Ubuntu: `apt install chromium`) or Chrome, or name one with --chrome PATH; the site is built without PDFs"),
            );
        }
    }
}

/// The default output folder of a site.
pub fn default_output(site: &Path) -> PathBuf {
    site.join("public")
}
