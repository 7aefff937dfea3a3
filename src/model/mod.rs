//! The site as typed data: the checked configuration, every content item by collection,
//! taxonomies, and the rendered Markdown bodies.
//!
//! [`load_site`] turns documents into a [`Site`] (checking every field and reporting all
//! problems), and [`render_bodies`] resolves links between items while rendering Markdown.
//! Both are pure functions of their inputs: no file system access happens here.
//!
//! Adding a collection means: a module with its raw struct, checked type and `check_*`
//! function, a map in [`Site`], and one arm in [`load_site`].

pub mod member;
pub mod page;
pub mod types;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use rayon::prelude::*;

use crate::config::Config;
use crate::content::Document;
use crate::content::front_matter::{self, Seg};
use crate::content::markdown::{self, MarkdownOptions};
use crate::diag::{Diagnostic, Diagnostics, Span, did_you_mean, one_of};
use crate::url::paths;
use member::Member;
use page::{Home, Page};
use types::{Refusal, Term};

/// The collections this version understands, by folder under `content/`.
pub const COLLECTIONS: [&str; 2] = ["members", "pages"];

/// A checked item with the document it came from and, after [`render_bodies`], its HTML.
#[derive(Debug, Clone)]
pub struct Entry<T> {
    pub item: T,
    pub doc: Option<Document>,
    pub html: String,
    /// Plain text of the body's first paragraph.
    pub summary: String,
}

impl<T> Entry<T> {
    fn new(item: T, doc: Option<Document>) -> Self {
        Entry {
            item,
            doc,
            html: String::new(),
            summary: String::new(),
        }
    }

    /// The content file, for messages.
    pub fn source(&self) -> Option<&std::path::Path> {
        self.doc.as_ref().map(|d| d.path.as_path())
    }
}

/// A taxonomy of members: sectors, capabilities, regions, countries, member types.
#[derive(Debug, Clone)]
pub struct Taxonomy {
    /// The URL segment and the key templates use: `sectors`.
    pub key: &'static str,
    pub title: &'static str,
    pub singular: &'static str,
    /// Sorted by name.
    pub terms: Vec<TermEntry>,
}

#[derive(Debug, Clone)]
pub struct TermEntry {
    pub name: String,
    pub slug: String,
    /// Member slugs, in directory (A–Z) order.
    pub members: Vec<String>,
}

/// Everything the renderer needs, already checked.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: Config,
    /// Site path → file on disk (`None` for files embedded in the binary's default theme).
    pub static_files: BTreeMap<String, Option<PathBuf>>,
    pub home: Entry<Home>,
    pub pages: BTreeMap<String, Entry<Page>>,
    pub members: BTreeMap<String, Entry<Member>>,
    /// Member slugs in A–Z order of their names.
    pub member_order: Vec<String>,
    pub taxonomies: Vec<Taxonomy>,
    /// Content paths (`members/x.md`) of drafts left out of this build.
    pub drafts: BTreeSet<String>,
    /// Content paths of documents that could not be loaded (their errors are reported).
    pub failed: BTreeSet<String>,
}

/// Settings of one run that change what is loaded.
#[derive(Debug, Clone, Copy)]
pub struct LoadOptions {
    pub drafts: bool,
    pub now: jiff::civil::Date,
}

/// Collects the problems of one document, pointing each at its field.
pub(crate) struct Checker<'a> {
    doc: &'a Document,
    static_files: &'a BTreeSet<String>,
    now: jiff::civil::Date,
    diags: Vec<Diagnostic>,
}

impl<'a> Checker<'a> {
    fn new(doc: &'a Document, static_files: &'a BTreeSet<String>, now: jiff::civil::Date) -> Self {
        Checker {
            doc,
            static_files,
            now,
            diags: Vec::new(),
        }
    }

    pub fn refuse(&mut self, path: &[Seg<'_>], (message, help): Refusal) {
        let span = front_matter::locate(self.doc.yaml_source(), path);
        self.diags.push(
            Diagnostic::error(message)
                .in_file(&self.doc.path)
                .at(&self.doc.text, span)
                .field(field_name(path))
                .help(help),
        );
    }

    pub fn check<T>(&mut self, path: &[Seg<'_>], result: Result<T, Refusal>) -> Option<T> {
        result.map_err(|r| self.refuse(path, r)).ok()
    }

    pub fn asset(&mut self, path: &[Seg<'_>], value: &str) -> Option<String> {
        let result = types::check_asset(value, self.static_files);
        self.check(path, result)
    }

    /// Checks a list of terms, dropping empty ones and repeats.
    pub fn terms(&mut self, key: &str, values: &[String]) -> Vec<Term> {
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for (i, v) in values.iter().enumerate() {
            if let Some(term) = self.check(&[Seg::Key(key), Seg::Index(i)], types::check_term(v)) {
                if seen.insert(term.slug.clone()) {
                    out.push(term);
                }
            }
        }
        out
    }

    pub fn now_year(&self) -> i32 {
        i32::from(self.now.year())
    }
}

/// `contacts[1].email` for a path.
pub fn field_name(path: &[Seg<'_>]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Seg::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

// Entries are moved once per document; boxing them would not pay for the indirection.
#[allow(clippy::large_enum_variant)]
enum Loaded {
    Home(Entry<Home>),
    Page(Entry<Page>),
    Member(Entry<Member>),
    Draft(String),
    /// A document with errors, by content path: links to it are not reported again.
    Failed(Option<String>),
}

/// Checks every document and assembles the site. Problems are collected, never fatal on
/// their own: the caller looks at the diagnostics to decide.
pub fn load_site(
    config: Config,
    docs: Vec<Document>,
    static_files: BTreeMap<String, Option<PathBuf>>,
    opts: LoadOptions,
) -> (Site, Diagnostics) {
    let mut diags = Diagnostics::new();
    let static_names: BTreeSet<String> = static_files.keys().cloned().collect();

    // Configuration assets can only be checked once the static files are known.
    for (key, value) in [("logo", &config.logo), ("favicon", &config.favicon)] {
        if let Some(v) = value {
            if let Err(r) = types::check_asset(v, &static_names) {
                diags.push(config.error_at(&[Seg::Key(key)], key, r));
            }
        }
    }

    // Folders under content/ that are not collections are reported by `check_folders`.
    let results: Vec<(Loaded, Vec<Diagnostic>)> = docs
        .into_par_iter()
        .map(|doc| {
            if !doc.collection.is_empty() && !COLLECTIONS.contains(&doc.collection.as_str()) {
                return (Loaded::Failed(None), Vec::new());
            }
            load_document(doc, &static_names, opts)
        })
        .collect();

    let mut site = Site {
        static_files,
        home: Entry::new(Home::default(), None),
        pages: BTreeMap::new(),
        members: BTreeMap::new(),
        member_order: Vec::new(),
        taxonomies: Vec::new(),
        drafts: BTreeSet::new(),
        failed: BTreeSet::new(),
        config,
    };
    for (loaded, problems) in results {
        diags.extend(problems);
        match loaded {
            Loaded::Home(h) => site.home = h,
            Loaded::Page(p) => {
                site.pages.insert(p.item.name.clone(), p);
            }
            Loaded::Member(m) => {
                site.members.insert(m.item.slug.clone(), m);
            }
            Loaded::Draft(path) => {
                site.drafts.insert(path);
            }
            Loaded::Failed(Some(path)) => {
                site.failed.insert(path);
            }
            Loaded::Failed(None) => {}
        }
    }
    site.member_order = sort_by_name(
        site.members
            .values()
            .map(|m| (m.item.name.as_str(), m.item.slug.as_str())),
    );
    site.taxonomies = build_taxonomies(&site, &mut diags);
    (site, diags)
}

/// Reports content folders that are not collections (a typo such as `memebrs/`).
pub fn check_folders(docs: &[Document]) -> Diagnostics {
    let mut diags = Diagnostics::new();
    let mut reported = BTreeSet::new();
    for doc in docs {
        if doc.collection.is_empty() || COLLECTIONS.contains(&doc.collection.as_str()) {
            continue;
        }
        if reported.insert(doc.collection.clone()) {
            let help = match did_you_mean(&doc.collection, COLLECTIONS) {
                Some(best) => format!("did you mean `content/{best}/`?"),
                None => format!(
                    "content folders are {}",
                    one_of(&COLLECTIONS.map(|c| format!("{c}/")))
                ),
            };
            diags.push(
                Diagnostic::error(format!(
                    "unknown content folder `content/{}/`",
                    doc.collection
                ))
                .in_file(&doc.path)
                .help(help),
            );
        }
    }
    diags
}

fn load_document(
    doc: Document,
    static_names: &BTreeSet<String>,
    opts: LoadOptions,
) -> (Loaded, Vec<Diagnostic>) {
    let content_path = format!("{}/{}.md", doc.collection, doc.name);
    match doc.collection.as_str() {
        "" => {
            if doc.name != "_index" {
                let d = Diagnostic::error(
                    "files at the top of `content/` other than `_index.md` are not used",
                )
                .in_file(&doc.path)
                .help("move the file into `content/pages/` to make it a page");
                return (Loaded::Failed(None), vec![d]);
            }
            match front_matter::parse::<page::RawHome>(doc.yaml_source()) {
                Ok(raw) => (
                    Loaded::Home(Entry::new(page::check_home(raw), Some(doc))),
                    Vec::new(),
                ),
                Err(d) => (Loaded::Failed(Some(content_path)), vec![d]),
            }
        }
        "pages" => {
            let raw = match front_matter::parse::<page::RawPage>(doc.yaml_source()) {
                Ok(raw) => raw,
                Err(d) => return (Loaded::Failed(Some(content_path)), vec![d]),
            };
            // Drafts are checked like everything else, so problems show before publishing.
            let left_out = page::page_is_draft(&raw) && !opts.drafts;
            let mut problems = Vec::new();
            for part in doc.name.split('/') {
                if let Err((message, help)) = types::check_slug(part) {
                    problems.push(Diagnostic::error(message).in_file(&doc.path).help(help));
                }
            }
            let mut check = Checker::new(&doc, static_names, opts.now);
            let page = page::check_page(doc.name.clone(), raw, &mut check);
            problems.append(&mut check.diags);
            if left_out {
                return (Loaded::Draft(content_path), problems);
            }
            (Loaded::Page(Entry::new(page, Some(doc))), problems)
        }
        "members" => {
            if doc.name.contains('/') {
                let d = Diagnostic::error(
                    "members must be directly in `content/members/`, not in a sub-folder",
                )
                .in_file(&doc.path)
                .help("move the file up into `content/members/`");
                return (Loaded::Failed(None), vec![d]);
            }
            let raw = match front_matter::parse::<member::RawMember>(doc.yaml_source()) {
                Ok(raw) => raw,
                Err(d) => return (Loaded::Failed(Some(content_path)), vec![d]),
            };
            let left_out = member::is_draft(&raw) && !opts.drafts;
            let mut problems = Vec::new();
            let slug = match types::check_slug(&doc.name) {
                Ok(s) => s,
                Err((message, help)) => {
                    problems.push(Diagnostic::error(message).in_file(&doc.path).help(help));
                    doc.name.clone()
                }
            };
            let mut check = Checker::new(&doc, static_names, opts.now);
            let m = member::check_member(slug, raw, &mut check);
            problems.append(&mut check.diags);
            if left_out {
                return (Loaded::Draft(content_path), problems);
            }
            (Loaded::Member(Entry::new(m, Some(doc))), problems)
        }
        _ => (Loaded::Failed(None), Vec::new()),
    }
}

/// Slugs in A–Z order of their names, ignoring case and accents, then by slug.
pub fn sort_by_name<'a>(items: impl Iterator<Item = (&'a str, &'a str)>) -> Vec<String> {
    let mut keyed: Vec<(String, &str)> = items.map(|(name, slug)| (sort_key(name), slug)).collect();
    keyed.sort();
    keyed.into_iter().map(|(_, s)| s.to_string()).collect()
}

/// The key that orders names A–Z: accents folded, case ignored.
pub fn sort_key(name: &str) -> String {
    slug::slugify(name)
}

/// The letter a name is filed under in an A–Z index.
pub fn initial(name: &str) -> String {
    match sort_key(name).chars().next() {
        Some(c) if c.is_ascii_alphabetic() => c.to_ascii_uppercase().to_string(),
        _ => "#".to_string(),
    }
}

fn build_taxonomies(site: &Site, diags: &mut Diagnostics) -> Vec<Taxonomy> {
    type Pick = fn(&Member) -> Vec<Term>;
    let specs: [(&'static str, &'static str, &'static str, Pick); 5] = [
        ("sectors", "Sectors", "Sector", |m| m.sectors.clone()),
        ("capabilities", "Capabilities", "Capability", |m| {
            m.capabilities.clone()
        }),
        ("regions", "Regions", "Region", |m| {
            m.location.region.iter().cloned().collect()
        }),
        ("countries", "Countries", "Country", |m| {
            m.location
                .country
                .iter()
                .map(|c| Term {
                    name: c.name.clone(),
                    slug: c.code.to_ascii_lowercase(),
                })
                .collect()
        }),
        ("types", "Member types", "Member type", |m| {
            vec![Term {
                name: m.kind.label().into(),
                slug: m.kind.key().into(),
            }]
        }),
    ];
    let mut out = Vec::new();
    for (key, title, singular, pick) in specs {
        let mut terms: BTreeMap<String, TermEntry> = BTreeMap::new();
        for slug in &site.member_order {
            let entry = &site.members[slug];
            for term in pick(&entry.item) {
                let t = terms.entry(term.slug.clone()).or_insert_with(|| TermEntry {
                    name: term.name.clone(),
                    slug: term.slug.clone(),
                    members: Vec::new(),
                });
                if t.name != term.name && key != "countries" {
                    diags.push(
                        Diagnostic::warning(format!(
                            "`{}` is written `{}` elsewhere",
                            term.name, t.name
                        ))
                        .in_file(entry.source().map(PathBuf::from).unwrap_or_default())
                        .field(key)
                        .help(format!(
                            "write it the same way everywhere, e.g. `{}`",
                            t.name
                        )),
                    );
                }
                t.members.push(slug.clone());
            }
        }
        let order = sort_by_name(terms.values().map(|t| (t.name.as_str(), t.slug.as_str())));
        let mut sorted = Vec::with_capacity(order.len());
        for s in order {
            if let Some(t) = terms.remove(&s) {
                sorted.push(t);
            }
        }
        out.push(Taxonomy {
            key,
            title,
            singular,
            terms: sorted,
        });
    }
    out
}

/// Renders every Markdown body, resolving `@/` links against the loaded items.
pub fn render_bodies(site: &mut Site) -> Diagnostics {
    let urls = site.config.urls.clone();
    let mut targets: BTreeMap<String, String> = BTreeMap::new();
    targets.insert("_index.md".into(), urls.path(&paths::home()));
    for name in site.pages.keys() {
        targets.insert(format!("pages/{name}.md"), urls.path(&paths::page(name)));
    }
    for slug in site.members.keys() {
        targets.insert(
            format!("members/{slug}.md"),
            urls.path(&paths::member(slug)),
        );
    }
    let drafts = site.drafts.clone();
    let failed = site.failed.clone();
    let resolve = |target: &str| -> Result<String, (String, Option<String>)> {
        let target = target.trim_start_matches('/');
        if let Some(url) = targets.get(target) {
            return Ok(url.clone());
        }
        if failed.contains(target) {
            return Ok("#".into()); // its own errors are reported; do not repeat them here
        }
        if drafts.contains(target) {
            return Err((
                format!("`@/{target}` is a draft and is not published"),
                Some("remove the link, or publish the target by removing `draft: true`".into()),
            ));
        }
        let help = did_you_mean(target, targets.keys().map(String::as_str))
            .map(|b| format!("did you mean `@/{b}`?"));
        let help = help.or_else(|| {
            Some(
                "write the path of a file under `content/`, e.g. `@/members/acme-robotics.md`"
                    .into(),
            )
        });
        Err((
            format!("no content file `content/{target}` for the link `@/{target}`"),
            help,
        ))
    };
    let opts = MarkdownOptions {
        allow_html: site.config.allow_html,
        resolve: &resolve,
        base_path: urls.base_path(),
    };

    let render_entry = |doc: &Option<Document>| -> (String, String, Vec<Diagnostic>) {
        let Some(doc) = doc else {
            return Default::default();
        };
        let (rendered, problems) = markdown::render(doc.body(), doc.body_line, &opts);
        let diags = problems
            .into_iter()
            .map(|p| {
                let len = p.len;
                let mut d = Diagnostic::error(p.message).in_file(&doc.path).at(
                    &doc.text,
                    Span {
                        line: p.line,
                        column: p.column,
                        len: len.max(1),
                    },
                );
                if let Some(h) = p.help {
                    d = d.help(h);
                }
                d
            })
            .collect();
        (rendered.html, rendered.summary, diags)
    };

    let mut diags = Diagnostics::new();
    let (html, summary, d) = render_entry(&site.home.doc);
    site.home.html = html;
    site.home.summary = summary;
    diags.extend(d);
    let page_results: Vec<_> = site
        .pages
        .par_iter()
        .map(|(_, e)| render_entry(&e.doc))
        .collect();
    for (entry, (html, summary, d)) in site.pages.values_mut().zip(page_results) {
        entry.html = html;
        entry.summary = summary;
        diags.extend(d);
    }
    let member_results: Vec<_> = site
        .members
        .par_iter()
        .map(|(_, e)| render_entry(&e.doc))
        .collect();
    for (entry, (html, summary, d)) in site.members.values_mut().zip(member_results) {
        entry.html = html;
        entry.summary = summary;
        diags.extend(d);
    }
    diags
}
