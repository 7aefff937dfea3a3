//! The site as typed data: the checked configuration, every content item by collection,
//! what is computed from them (taxonomies, catalogue entries, back-links, the supply chain),
//! and the rendered Markdown bodies.
//!
//! [`load_site`] turns documents into a [`Site`], checking every field and reporting all
//! problems, and [`render_bodies`] resolves links between items while rendering Markdown.
//! Both are pure functions of their inputs: no file system access happens here.
//!
//! Adding a collection means: a module with its raw struct, checked type and `check_*`
//! function; an arm in `load::load_document`; a map in [`Site`]; its folder in
//! [`COLLECTIONS`].

mod bodies;
pub mod catalogue;
mod check;
pub mod course;
mod derive;
pub mod event;
pub mod funding;
mod load;
pub mod member;
pub mod news;
pub mod page;
pub mod partner;
pub mod parts;
pub mod procurement;
pub mod project;
pub mod resource;
pub mod time;
pub mod types;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use rayon::prelude::*;

use crate::config::Config;
use crate::content::Document;
use crate::content::front_matter::Seg;
use crate::diag::{Diagnostic, Diagnostics, did_you_mean, one_of};
pub use bodies::render_bodies;
use check::LoadContext;
pub use check::field_name;
pub use derive::{Backlinks, Matches, SupplyLine};
use load::{Item, Loaded};

/// The collections this version understands, by folder under `content/`.
pub const COLLECTIONS: [&str; 11] = [
    "members",
    "pages",
    "events",
    "training",
    "catalogues",
    "resources",
    "procurement",
    "projects",
    "funding",
    "news",
    "partners",
];

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
    pub(crate) fn new(item: T, doc: Option<Document>) -> Self {
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
    /// The date the site is built as of: what is upcoming, what is open.
    pub now: jiff::civil::Date,
    /// Site path → file on disk (`None` for files embedded in the binary's default theme).
    pub static_files: BTreeMap<String, Option<PathBuf>>,
    pub home: Entry<page::Home>,
    pub pages: BTreeMap<String, Entry<page::Page>>,
    pub members: BTreeMap<String, Entry<member::Member>>,
    pub events: BTreeMap<String, Entry<event::Event>>,
    pub courses: BTreeMap<String, Entry<course::Course>>,
    pub catalogues: BTreeMap<String, Entry<catalogue::Catalogue>>,
    pub resources: BTreeMap<String, Entry<resource::Resource>>,
    pub procurement: BTreeMap<String, Entry<procurement::Procurement>>,
    pub projects: BTreeMap<String, Entry<project::Project>>,
    pub funding: BTreeMap<String, Entry<funding::Funding>>,
    pub news: BTreeMap<String, Entry<news::News>>,
    pub partners: BTreeMap<String, Entry<partner::Partner>>,
    /// Member slugs in A–Z order of their names.
    pub member_order: Vec<String>,
    pub taxonomies: Vec<Taxonomy>,
    /// What each member takes part in, by member slug.
    pub backlinks: BTreeMap<String, Backlinks>,
    /// For each capability, who offers it and who needs it.
    pub supply_chain: Vec<SupplyLine>,
    /// Each member's potential suppliers and customers.
    pub matches: BTreeMap<String, Matches>,
    /// Content paths (`members/x.md`) of drafts left out of this build.
    pub drafts: BTreeSet<String>,
    /// Content paths of documents that could not be loaded (their errors are reported).
    pub failed: BTreeSet<String>,
}

impl Site {
    pub fn taxonomy(&self, key: &str) -> Option<&Taxonomy> {
        self.taxonomies.iter().find(|t| t.key == key)
    }

    /// Slugs of the capabilities some member offers: those that have a page.
    pub fn offered_capabilities(&self) -> BTreeSet<&str> {
        self.taxonomy("capabilities")
            .map(|t| t.terms.iter().map(|term| term.slug.as_str()).collect())
            .unwrap_or_default()
    }
}

/// Settings of one run that change what is loaded.
#[derive(Debug, Clone, Copy)]
pub struct LoadOptions {
    pub drafts: bool,
    pub now: jiff::civil::Date,
}

/// Checks every document and assembles the site. Problems are collected, never fatal on
/// their own: the caller looks at the diagnostics to decide.
///
/// Members, pages and funding (which name nothing else) load first, so that every other
/// collection can check its references against the published items.
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

    let ctx = LoadContext {
        static_files: static_names,
        now: opts.now,
        zone: config.zone.clone(),
        members: BTreeSet::new(),
        products: BTreeMap::new(),
        drafts: BTreeSet::new(),
        failed: BTreeSet::new(),
        funding: BTreeSet::new(),
    };
    let (first, second): (Vec<Document>, Vec<Document>) = docs
        .into_iter()
        .partition(|d| matches!(d.collection.as_str(), "" | "pages" | "members" | "funding"));

    let mut site = Site {
        now: opts.now,
        static_files,
        home: Entry::new(page::Home::default(), None),
        pages: BTreeMap::new(),
        members: BTreeMap::new(),
        events: BTreeMap::new(),
        courses: BTreeMap::new(),
        catalogues: BTreeMap::new(),
        resources: BTreeMap::new(),
        procurement: BTreeMap::new(),
        projects: BTreeMap::new(),
        funding: BTreeMap::new(),
        news: BTreeMap::new(),
        partners: BTreeMap::new(),
        member_order: Vec::new(),
        taxonomies: Vec::new(),
        backlinks: BTreeMap::new(),
        supply_chain: Vec::new(),
        matches: BTreeMap::new(),
        drafts: BTreeSet::new(),
        failed: BTreeSet::new(),
        config,
    };

    let watch = crate::timings::Stopwatch::start("load");
    let results = load_all(first, &ctx, opts.drafts);
    watch.lap("first");
    site.take(results, &mut diags);
    let ctx = LoadContext::of(&site);
    watch.lap("taken");
    let results = load_all(second, &ctx, opts.drafts);
    watch.lap("second");
    site.take(results, &mut diags);
    watch.lap("taken");
    diags.extend(derive_all(&mut site));
    watch.lap("derived");
    (site, diags)
}

/// Everything worked out from the items rather than written: the members' A–Z order,
/// catalogue entries, taxonomies, back-links, the supply chain and matchmaking. Run after
/// loading, and again by `serve` after an item changed.
pub(crate) fn derive_all(site: &mut Site) -> Diagnostics {
    let mut diags = Diagnostics::new();
    site.member_order = sort_by_name(
        site.members
            .values()
            .map(|m| (m.item.name.as_str(), m.item.slug.as_str())),
    );
    derive::catalogue_entries(site);
    let ((taxonomies, d), (backlinks, (supply_chain, matches))) = rayon::join(
        || derive::taxonomies(site),
        || {
            rayon::join(
                || derive::backlinks(site),
                || {
                    let lines = derive::supply_chain(site);
                    let matches = derive::matchmaking(site, &lines);
                    (lines, matches)
                },
            )
        },
    );
    diags.extend(d);
    site.taxonomies = taxonomies;
    site.backlinks = backlinks;
    site.supply_chain = supply_chain;
    site.matches = matches;
    diags
}

fn load_all(
    docs: Vec<Document>,
    ctx: &LoadContext,
    include_drafts: bool,
) -> Vec<(Loaded, Vec<Diagnostic>)> {
    docs.into_par_iter()
        .map(|doc| load::load_document(doc, ctx, include_drafts))
        .collect()
}

impl Site {
    fn take(&mut self, results: Vec<(Loaded, Vec<Diagnostic>)>, diags: &mut Diagnostics) {
        for (loaded, problems) in results {
            diags.extend(problems);
            match loaded {
                Loaded::Item(item) => match *item {
                    Item::Home(h) => self.home = h,
                    Item::Page(p) => {
                        self.pages.insert(p.item.name.clone(), p);
                    }
                    Item::Member(m) => {
                        self.members.insert(m.item.slug.clone(), m);
                    }
                    Item::Event(e) => {
                        self.events.insert(e.item.slug.clone(), e);
                    }
                    Item::Course(e) => {
                        self.courses.insert(e.item.slug.clone(), e);
                    }
                    Item::Catalogue(e) => {
                        self.catalogues.insert(e.item.slug.clone(), e);
                    }
                    Item::Resource(e) => {
                        self.resources.insert(e.item.slug.clone(), e);
                    }
                    Item::Procurement(e) => {
                        self.procurement.insert(e.item.slug.clone(), e);
                    }
                    Item::Project(e) => {
                        self.projects.insert(e.item.slug.clone(), e);
                    }
                    Item::Funding(e) => {
                        self.funding.insert(e.item.slug.clone(), e);
                    }
                    Item::News(e) => {
                        self.news.insert(e.item.slug.clone(), e);
                    }
                    Item::Partner(e) => {
                        self.partners.insert(e.item.slug.clone(), e);
                    }
                },
                Loaded::Draft(path) => {
                    self.drafts.insert(path);
                }
                Loaded::Failed(Some(path)) => {
                    self.failed.insert(path);
                }
                Loaded::Failed(None) => {}
            }
        }
    }
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

impl LoadContext {
    /// What documents are checked against: the published members (and their products),
    /// funding opportunities, drafts and failed documents of `site`.
    pub(crate) fn of(site: &Site) -> LoadContext {
        LoadContext {
            static_files: site.static_files.keys().cloned().collect(),
            now: site.now,
            zone: site.config.zone.clone(),
            members: site.members.keys().cloned().collect(),
            funding: site.funding.keys().cloned().collect(),
            products: site
                .members
                .iter()
                .map(|(s, m)| {
                    let names = m.item.products.iter().map(|p| p.name.clone()).collect();
                    (s.clone(), names)
                })
                .collect(),
            drafts: site.drafts.clone(),
            failed: site.failed.clone(),
        }
    }
}

/// How an item differs from the version it replaced (see [`Site::replace`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Replaced {
    /// The collection (`members`, `events`, `pages`, or empty for the home page).
    pub collection: &'static str,
    /// The slug, or the page's name.
    pub slug: String,
    /// Any front-matter field differs.
    pub fields: bool,
    /// The summary (first paragraph of the body) differs.
    pub summary: bool,
    /// The body differs.
    pub body: bool,
}

impl Replaced {
    /// Only the body changed, and not its first paragraph: nothing but the item's own page
    /// (and feeds, which carry bodies) can show the difference.
    pub fn body_only(&self) -> bool {
        !self.fields && !self.summary
    }
}

impl Site {
    /// Puts a reloaded item in place of the loaded item of the same collection and slug.
    /// `None` (and nothing changed) if there is no such item: a new file, or a changed slug.
    pub(crate) fn replace(&mut self, item: load::Item) -> Option<Replaced> {
        fn swap<T: PartialEq>(
            map: &mut BTreeMap<String, Entry<T>>,
            key: String,
            new: Entry<T>,
            collection: &'static str,
        ) -> Option<Replaced> {
            let old = map.get_mut(&key)?;
            let replaced = Replaced {
                collection,
                slug: key,
                fields: old.item != new.item,
                summary: old.summary != new.summary,
                body: old.html != new.html,
            };
            *old = new;
            Some(replaced)
        }
        use load::Item;
        match item {
            Item::Home(e) => {
                let replaced = Replaced {
                    collection: "",
                    slug: String::new(),
                    fields: self.home.item != e.item,
                    summary: self.home.summary != e.summary,
                    body: self.home.html != e.html,
                };
                self.home = e;
                Some(replaced)
            }
            Item::Page(e) => swap(&mut self.pages, e.item.name.clone(), e, "pages"),
            Item::Member(e) => swap(&mut self.members, e.item.slug.clone(), e, "members"),
            Item::Event(e) => swap(&mut self.events, e.item.slug.clone(), e, "events"),
            Item::Course(e) => swap(&mut self.courses, e.item.slug.clone(), e, "training"),
            Item::Catalogue(e) => swap(&mut self.catalogues, e.item.slug.clone(), e, "catalogues"),
            Item::Resource(e) => swap(&mut self.resources, e.item.slug.clone(), e, "resources"),
            Item::Procurement(e) => {
                swap(&mut self.procurement, e.item.slug.clone(), e, "procurement")
            }
            Item::Project(e) => swap(&mut self.projects, e.item.slug.clone(), e, "projects"),
            Item::Funding(e) => swap(&mut self.funding, e.item.slug.clone(), e, "funding"),
            Item::News(e) => swap(&mut self.news, e.item.slug.clone(), e, "news"),
            Item::Partner(e) => swap(&mut self.partners, e.item.slug.clone(), e, "partners"),
        }
    }

    /// The collection and slug of the item loaded from `path` (`content/members/acme.md`).
    pub fn item_from(&self, path: &std::path::Path) -> Option<(&'static str, String)> {
        fn find<T>(
            map: &BTreeMap<String, Entry<T>>,
            path: &std::path::Path,
            collection: &'static str,
        ) -> Option<(&'static str, String)> {
            map.iter()
                .find(|(_, e)| e.source() == Some(path))
                .map(|(k, _)| (collection, k.clone()))
        }
        if self.home.source() == Some(path) {
            return Some(("", String::new()));
        }
        find(&self.pages, path, "pages")
            .or_else(|| find(&self.members, path, "members"))
            .or_else(|| find(&self.events, path, "events"))
            .or_else(|| find(&self.courses, path, "training"))
            .or_else(|| find(&self.catalogues, path, "catalogues"))
            .or_else(|| find(&self.resources, path, "resources"))
            .or_else(|| find(&self.procurement, path, "procurement"))
            .or_else(|| find(&self.projects, path, "projects"))
            .or_else(|| find(&self.funding, path, "funding"))
            .or_else(|| find(&self.news, path, "news"))
            .or_else(|| find(&self.partners, path, "partners"))
    }
}

/// What reloading one changed document did (see [`reload`]).
#[derive(Debug)]
pub enum Reload {
    /// The item took its previous version's place; its warnings.
    Replaced(Replaced, Diagnostics),
    /// The document has errors; the site is as it was.
    Failed(Diagnostics),
    /// The change reaches beyond the item (a new or changed slug, a draft published or
    /// withdrawn, a member's products, which catalogues name): load the whole site again.
    Everything,
}

/// Loads one changed document into `site` in place of its previous version, with its body
/// rendered, without deriving anything again (see [`derive_again`]): `serve` edits one file
/// at a time, and most edits change one item.
pub fn reload(site: &mut Site, doc: Document, drafts: bool) -> Reload {
    let ctx = LoadContext::of(site);
    let (loaded, problems) = load::load_document(doc, &ctx, drafts);
    let mut diags = Diagnostics::new();
    diags.extend(problems);
    if diags.has_errors() {
        return Reload::Failed(diags);
    }
    let Loaded::Item(mut item) = loaded else {
        return Reload::Everything;
    };
    let body = match item.as_mut() {
        Item::Home(e) => bodies::render_body(site, e),
        Item::Page(e) => bodies::render_body(site, e),
        Item::Member(e) => {
            let products = |m: &member::Member| -> Vec<String> {
                m.products.iter().map(|p| p.name.clone()).collect()
            };
            if ctx.products.get(&e.item.slug) != Some(&products(&e.item)) {
                return Reload::Everything;
            }
            bodies::render_body(site, e)
        }
        Item::Event(e) => bodies::render_body(site, e),
        Item::Course(e) => bodies::render_body(site, e),
        Item::Catalogue(e) => bodies::render_body(site, e),
        Item::Resource(e) => bodies::render_body(site, e),
        Item::Procurement(e) => bodies::render_body(site, e),
        Item::Project(e) => bodies::render_body(site, e),
        Item::Funding(e) => bodies::render_body(site, e),
        Item::News(e) => bodies::render_body(site, e),
        Item::Partner(e) => bodies::render_body(site, e),
    };
    diags.extend(body);
    if diags.has_errors() {
        return Reload::Failed(diags);
    }
    match site.replace(*item) {
        Some(replaced) => Reload::Replaced(replaced, diags),
        None => Reload::Everything,
    }
}

/// Reads a document's front matter as the fields of every collection, handing each problem
/// to `report` (for the fuzzers: every field type and error path, whatever the file).
#[doc(hidden)]
pub fn parse_as_every_collection(doc: &Document, report: impl Fn(&Diagnostic)) {
    use crate::content::front_matter::parse;
    let src = doc.yaml_source();
    let results = [
        parse::<member::RawMember>(src).err(),
        parse::<page::RawPage>(src).err(),
        parse::<page::RawHome>(src).err(),
        parse::<event::RawEvent>(src).err(),
        parse::<course::RawCourse>(src).err(),
        parse::<catalogue::RawCatalogue>(src).err(),
        parse::<resource::RawResource>(src).err(),
        parse::<procurement::RawProcurement>(src).err(),
        parse::<project::RawProject>(src).err(),
        parse::<funding::RawFunding>(src).err(),
        parse::<news::RawNews>(src).err(),
        parse::<partner::RawPartner>(src).err(),
    ];
    results.iter().flatten().for_each(report);
}

/// Works out again what is derived from the items (after [`reload`] changed one's fields).
pub fn derive_again(site: &mut Site) -> Diagnostics {
    derive_all(site)
}
