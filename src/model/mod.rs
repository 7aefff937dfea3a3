//! The site as typed data: the checked configuration, every content item by collection,
//! what is computed from them (taxonomies, catalogue entries, back-links, the supply chain),
//! and the rendered Markdown bodies.
//!
//! [`load_site`] turns documents into a [`Site`], checking every field and reporting all
//! problems, and renders the Markdown bodies ([`bodies`]), resolving links between items.
//! It is a pure function of its inputs: no file system access happens here.
//!
//! Adding a collection means: a module with its raw struct, its checked type and its
//! `impl Collection` (see [`collection`]), and its line in [`for_each_collection!`].

mod bodies;
mod check;
pub(crate) use check::unknown_term;
pub(crate) mod collection;
mod derive;
mod load;
pub(crate) mod parts;
mod spelling;
pub(crate) mod time;
pub(crate) mod types;

// The collections, one module each (see `collection`), and their list.
pub(crate) mod catalogue;
pub(crate) mod course;
pub(crate) mod event;
pub(crate) mod funding;
pub(crate) mod job;
pub(crate) mod member;
pub(crate) mod news;
pub(crate) mod page;
pub(crate) mod partner;
pub(crate) mod procurement;
pub(crate) mod project;
pub(crate) mod resource;

/// Lists every collection, once, in the order menus show them, by passing the list to the
/// macro `$then`: `field: Type => Variant`, where `field` is the [`Site`] field holding the
/// items and `Variant` their case in the item enum. Add a collection here, and its module above.
macro_rules! for_each_collection {
    ($then:ident) => {
        $then! {
            members: $crate::model::member::Member => Member,
            pages: $crate::model::page::Page => Page,
            events: $crate::model::event::Event => Event,
            courses: $crate::model::course::Course => Course,
            catalogues: $crate::model::catalogue::Catalogue => Catalogue,
            resources: $crate::model::resource::Resource => Resource,
            procurement: $crate::model::procurement::Procurement => Procurement,
            projects: $crate::model::project::Project => Project,
            funding: $crate::model::funding::Funding => Funding,
            jobs: $crate::model::job::Job => Job,
            news: $crate::model::news::News => News,
            partners: $crate::model::partner::Partner => Partner,
        }
    };
}
pub(crate) use for_each_collection;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::config::Config;
use crate::content::Document;
use crate::content::front_matter::Seg;
use crate::diag::{Diagnostic, Diagnostics, did_you_mean, one_of};
use crate::images::library::Library;
use check::LoadContext;
pub use check::field_name;
pub(crate) use check::image_refusal;
use collection::{Collection, Visit};
pub use derive::{Backlinks, Matches, SupplyLine};
use load::Loaded;

/// A checked item with the document it came from and, once loaded, its HTML.
#[derive(Debug, Clone)]
pub struct Entry<T> {
    pub item: T,
    pub doc: Option<Document>,
    pub html: String,
    /// Plain text of the body's first paragraph.
    pub summary: String,
}

impl<T> Entry<T> {
    /// In a site of several languages, the language its summary is shown in when that is not
    /// the page's (a text not translated): the field's if `written`, else the body's, whose
    /// first paragraph stands in for it.
    pub fn summary_lang(&self, written: bool) -> Option<&str> {
        let doc = self.doc.as_ref()?;
        match written {
            true => doc.lang_of("summary"),
            false => doc.body_lang_elsewhere(),
        }
    }

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
    /// In the site's language: `Sectors`, `Branchen`.
    pub title: String,
    pub singular: String,
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

macro_rules! site_of_collections {
    ($($field:ident: $ty:ty => $variant:ident),* $(,)?) => {
        /// Everything the renderer needs, already checked: one map of items per collection,
        /// by slug (free pages by name), and what is derived from them.
        #[derive(Debug, Clone)]
        pub struct Site {
            pub config: Config,
            /// The date the site is built as of: what is upcoming, what is open.
            pub now: jiff::civil::Date,
            /// Site path → file on disk (`None` for files embedded in the binary's default theme).
            pub static_files: BTreeMap<String, Option<PathBuf>>,
            /// The bytes of the static files that rendering looks into (see
            /// `render::reads_static`), read by `crate::load` so that rendering reads no files.
            pub static_contents: BTreeMap<String, Vec<u8>>,
            /// The images the items show: looked at while loading, resized as the
            /// templates ask.
            pub images: Arc<Library>,
            pub home: Entry<page::Home>,
            $(pub $field: BTreeMap<String, Entry<$ty>>,)*
            /// Members that left the cluster (`membership: {status: former}`), by slug.
            ///
            /// Kept apart from `members` rather than marked there: everything that lists
            /// members (the directory, taxonomies, matchmaking, open data, brochures, counts,
            /// catalogue selections) reads `members` and must leave them out, while only the
            /// few places that resolve a reference by slug look here too. A flag would have
            /// to be remembered in every list, and forgetting it once would list a company
            /// that left.
            pub former: BTreeMap<String, Entry<member::Member>>,
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
            /// In a site of several languages, each member's `summary` in the other
            /// languages that give one (slug → language → text), for the open data, which
            /// is written once for all languages.
            pub summaries: BTreeMap<String, BTreeMap<String, String>>,
        }

        impl Site {
            /// Lets go of what only rendering needs (bodies, their HTML and summaries,
            /// matches), keeping the configuration and which items there are: a site of
            /// several languages keeps its default language's site while it makes each
            /// other language's, and should not keep it whole.
            pub fn release_texts(&mut self) {
                fn release<T>(entries: &mut BTreeMap<String, Entry<T>>) {
                    for e in entries.values_mut() {
                        e.doc = None;
                        e.html = String::new();
                        e.summary = String::new();
                    }
                }
                $(release(&mut self.$field);)*
                release(&mut self.former);
                self.matches = BTreeMap::new();
                self.backlinks = BTreeMap::new();
                self.supply_chain = Vec::new();
            }

            /// A site without items.
            fn empty(
                config: Config,
                now: jiff::civil::Date,
                static_files: BTreeMap<String, Option<PathBuf>>,
                images: Arc<Library>,
            ) -> Site {
                Site {
                    config,
                    now,
                    static_files,
                    images,
                    static_contents: BTreeMap::new(),
                    home: Entry::new(page::Home::default(), None),
                    $($field: BTreeMap::new(),)*
                    former: BTreeMap::new(),
                    member_order: Vec::new(),
                    taxonomies: Vec::new(),
                    backlinks: BTreeMap::new(),
                    supply_chain: Vec::new(),
                    matches: BTreeMap::new(),
                    drafts: BTreeSet::new(),
                    failed: BTreeSet::new(),
                    summaries: BTreeMap::new(),
                }
            }
        }

        /// The collections this version understands, by folder under `content/`.
        pub const COLLECTIONS: &[&str] = &[$(<$ty as Collection>::KEY),*];

        /// One loaded item, of any collection.
        #[derive(Debug)]
        pub(crate) enum Item {
            Home(Entry<page::Home>),
            $($variant(Entry<$ty>),)*
        }

        $(impl collection::Stored for $ty {
            fn entries(site: &Site) -> &BTreeMap<String, Entry<Self>> {
                &site.$field
            }
            fn entries_mut(site: &mut Site) -> &mut BTreeMap<String, Entry<Self>> {
                &mut site.$field
            }
            fn wrap(entry: Entry<Self>) -> Item {
                Item::$variant(entry)
            }
        })*

        impl Item {
            /// Puts the item into `site`, or in place of the item of the same slug, saying
            /// how the two differ.
            fn put(self, site: &mut Site) -> Option<Replaced> {
                match self {
                    Item::Home(e) => {
                        let replaced = Replaced::of("", String::new(), &site.home, &e);
                        site.home = e;
                        Some(replaced)
                    }
                    $(Item::$variant(e) => put(&mut site.$field, e),)*
                }
            }

            /// Whether `site` has an item of the same collection and slug.
            fn is_in(&self, site: &Site) -> bool {
                match self {
                    Item::Home(_) => true,
                    $(Item::$variant(e) => site.$field.contains_key(e.item.slug()),)*
                }
            }

            /// Renders the item's Markdown body, resolving links against `site`.
            fn render_body(&mut self, site: &Site) -> Vec<Diagnostic> {
                match self {
                    Item::Home(e) => bodies::render_body(site, e),
                    $(Item::$variant(e) => bodies::render_body(site, e),)*
                }
            }
        }

        /// Loads a document as an item of the collection of its folder.
        fn load_document(
            doc: Document,
            ctx: &LoadContext,
            include_drafts: bool,
        ) -> (Loaded, Vec<Diagnostic>) {
            let folder = doc.collection.as_str();
            if folder.is_empty() {
                return load::load_home(doc);
            }
            $(if folder == <$ty as Collection>::KEY {
                return <$ty as Collection>::load(doc, ctx, include_drafts);
            })*
            // Unknown folders are reported once by `check_folders`.
            (Loaded::Failed(None), Vec::new())
        }

        /// Reads a document's front matter as the fields of every collection, handing each
        /// problem to `report` (for the fuzzers: every field type and error path, whatever
        /// the file).
        #[doc(hidden)]
        pub fn parse_as_every_collection(doc: &Document, report: impl Fn(&Diagnostic)) {
            use crate::content::front_matter::parse;
            let src = doc.yaml_source();
            if let Err(d) = parse::<page::RawHome>(src) {
                report(&d);
            }
            $(if let Err(d) = parse::<<$ty as Collection>::Raw>(src) {
                report(&d);
            })*
        }
    };
}
for_each_collection!(site_of_collections);

impl Site {
    pub fn taxonomy(&self, key: &str) -> Option<&Taxonomy> {
        self.taxonomies.iter().find(|t| t.key == key)
    }

    /// The members A–Z (in [`Site::member_order`]), each with its slug, looked up on every
    /// core: ten thousand lookups by name take a core 10 ms.
    pub fn members_a_z(&self) -> Vec<(&String, &Entry<member::Member>)> {
        (self.member_order.par_iter())
            .filter_map(|slug| self.members.get_key_value(slug))
            .collect()
    }

    /// Slugs of the capabilities some member offers: those that have a page.
    pub fn offered_capabilities(&self) -> BTreeSet<&str> {
        self.taxonomy("capabilities")
            .map(|t| t.terms.iter().map(|term| term.slug.as_str()).collect())
            .unwrap_or_default()
    }
}

/// Settings of one run that change what is loaded.
#[derive(Debug, Clone)]
pub struct LoadOptions {
    pub drafts: bool,
    pub now: jiff::civil::Date,
    /// The site's images, looked at once for all of its languages (a new one when `None`).
    pub images: Option<Arc<Library>>,
}

/// Checks every document and assembles the site, with its Markdown bodies rendered.
/// Problems are collected, never fatal on
/// their own: the caller looks at the diagnostics to decide.
///
/// The collections that other collections name (members, pages, funding: see
/// [`Collection::FIRST`]) load first, so that every other collection can check its
/// references against the published items.
pub fn load_site(
    config: Config,
    docs: Vec<Document>,
    static_files: BTreeMap<String, Option<PathBuf>>,
    opts: LoadOptions,
) -> (Site, Diagnostics) {
    let mut diags = Diagnostics::new();
    let static_names: BTreeSet<String> = static_files.keys().cloned().collect();

    let images =
        (opts.images.clone()).unwrap_or_else(|| Arc::new(Library::new(&static_files, |_| None)));
    // Configuration assets can only be checked once the static files are known.
    for (key, value) in [("logo", &config.logo), ("favicon", &config.favicon)] {
        let Some(v) = value else { continue };
        let checked = types::check_asset(v, &static_names).and_then(|asset| match key {
            "logo" => (images.inspect(&asset))
                .map(|_| ())
                .map_err(|why| check::image_refusal(&asset, &why)),
            _ => Ok(()),
        });
        if let Err(r) = checked {
            diags.push(config.error_at(&[Seg::Key(key)], key, r));
        }
    }
    let ctx = LoadContext {
        images: images.clone(),
        static_files: static_names,
        now: opts.now,
        zone: time::Zone {
            tz: config.zone.clone(),
            chosen: config.zone_chosen,
        },
        members: BTreeSet::new(),
        former: BTreeSet::new(),
        products: BTreeMap::new(),
        drafts: BTreeSet::new(),
        failed: BTreeSet::new(),
        funding: BTreeSet::new(),
        vocabulary: config.vocabulary.clone(),
    };
    let (first, second): (Vec<Document>, Vec<Document>) = docs
        .into_iter()
        .partition(|d| d.collection.is_empty() || FIRST.contains(&d.collection.as_str()));
    let mut site = Site::empty(config, opts.now, static_files, images);

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
    diags.extend(derive_first(&mut site));
    watch.lap("derived first");
    // The Markdown bodies are rendered beside the rest of what is derived: both only read.
    let ((derived, d), bodies) = rayon::join(|| derive_rest(&site), || bodies::bodies(&site));
    derived.put(&mut site);
    diags.extend(d);
    watch.lap("derived, bodies rendered");
    diags.extend(bodies::put_bodies(&mut site, bodies));
    (site, diags)
}

/// Everything worked out from the items rather than written: the members' A–Z order,
/// catalogue entries, taxonomies, back-links, the supply chain and matchmaking. Run after
/// loading, and again by `serve` after an item changed.
pub(crate) fn derive_all(site: &mut Site) -> Diagnostics {
    let mut diags = derive_first(site);
    let (derived, d) = derive_rest(site);
    derived.put(site);
    diags.extend(d);
    diags
}

/// What is derived by changing the items: the members' A–Z order, catalogue entries and
/// the one name of each term.
fn derive_first(site: &mut Site) -> Diagnostics {
    let mut diags = Diagnostics::new();
    site.member_order = sort_by_name(
        site.members
            .values()
            .map(|m| (m.item.name.as_str(), m.item.slug.as_str())),
    );
    derive::catalogue_entries(site);
    diags.extend(spelling::spell_terms(site));
    diags
}

/// What is derived from the items without changing them, with the checks that need the
/// whole site.
struct Derived {
    taxonomies: Vec<Taxonomy>,
    backlinks: BTreeMap<String, Backlinks>,
    supply_chain: Vec<SupplyLine>,
    matches: BTreeMap<String, Matches>,
}

impl Derived {
    fn put(self, site: &mut Site) {
        site.taxonomies = self.taxonomies;
        site.backlinks = self.backlinks;
        site.supply_chain = self.supply_chain;
        site.matches = self.matches;
    }
}

/// Taxonomies, back-links, the supply chain and matchmaking, side by side, and the problems
/// of [`check_in_site`].
fn derive_rest(site: &Site) -> (Derived, Vec<Diagnostic>) {
    let (taxonomies, (backlinks, (supply_chain, matches))) = rayon::join(
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
    let derived = Derived {
        taxonomies,
        backlinks,
        supply_chain,
        matches,
    };
    (derived, check_in_site(site))
}

/// Every collection's checks that need the whole site (see [`Collection::check_in_site`]).
fn check_in_site(site: &Site) -> Vec<Diagnostic> {
    struct Checks<'a>(&'a Site, Vec<Diagnostic>);
    impl Visit for Checks<'_> {
        fn visit<C: Collection>(&mut self) {
            let found = C::check_in_site(self.0);
            self.1.extend(found);
        }
    }
    let mut checks = Checks(site, Vec::new());
    collection::each(&mut checks);
    checks.1
}

fn load_all(
    docs: Vec<Document>,
    ctx: &LoadContext,
    include_drafts: bool,
) -> Vec<(Loaded, Vec<Diagnostic>)> {
    docs.into_par_iter()
        .map(|doc| load_document(doc, ctx, include_drafts))
        .collect()
}

impl Site {
    fn take(&mut self, results: Vec<(Loaded, Vec<Diagnostic>)>, diags: &mut Diagnostics) {
        for (loaded, problems) in results {
            diags.extend(problems);
            match loaded {
                Loaded::Item(item) => match *item {
                    Item::Member(e) if e.item.former => {
                        self.former.insert(e.item.slug.clone(), e);
                    }
                    item => {
                        item.put(self);
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

/// The folders of the collections that load in the first round.
const FIRST: &[&str] = {
    macro_rules! first {
        ($($field:ident: $ty:ty => $variant:ident),* $(,)?) => {
            &[$(if <$ty as Collection>::FIRST { <$ty as Collection>::KEY } else { "" }),*]
        };
    }
    for_each_collection!(first)
};

/// Reports content folders that are not collections (a typo such as `memebrs/`).
pub fn check_folders(docs: &[Document]) -> Diagnostics {
    let mut diags = Diagnostics::new();
    let mut reported = BTreeSet::new();
    for doc in docs {
        if doc.collection.is_empty() || COLLECTIONS.contains(&doc.collection.as_str()) {
            continue;
        }
        if reported.insert(doc.collection.clone()) {
            let help = match did_you_mean(&doc.collection, COLLECTIONS.iter().copied()) {
                Some(best) => format!("did you mean `content/{best}/`?"),
                None => format!(
                    "content folders are {}",
                    one_of(
                        &COLLECTIONS
                            .iter()
                            .map(|c| format!("{c}/"))
                            .collect::<Vec<_>>()
                    )
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
            images: site.images.clone(),
            static_files: site.static_files.keys().cloned().collect(),
            now: site.now,
            zone: time::Zone {
                tz: site.config.zone.clone(),
                chosen: site.config.zone_chosen,
            },
            members: site.members.keys().cloned().collect(),
            former: site.former.keys().cloned().collect(),
            funding: site.funding.keys().cloned().collect(),
            vocabulary: site.config.vocabulary.clone(),
            // Former members' too: a past catalogue may name their products.
            products: site
                .members
                .iter()
                .chain(&site.former)
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

impl Replaced {
    fn of<T: PartialEq>(
        collection: &'static str,
        slug: String,
        old: &Entry<T>,
        new: &Entry<T>,
    ) -> Replaced {
        Replaced {
            collection,
            slug,
            fields: old.item != new.item,
            summary: old.summary != new.summary,
            body: old.html != new.html,
        }
    }
}

/// Puts an item into its collection's map; if it replaces one, how the two differ.
fn put<C: Collection>(map: &mut BTreeMap<String, Entry<C>>, new: Entry<C>) -> Option<Replaced> {
    let slug = new.item.slug().to_string();
    match map.get_mut(&slug) {
        Some(old) => {
            let replaced = Replaced::of(C::KEY, slug, old, &new);
            *old = new;
            Some(replaced)
        }
        None => {
            map.insert(slug, new);
            None
        }
    }
}

impl Site {
    /// Puts a reloaded item in place of the loaded item of the same collection and slug.
    /// `None` (and nothing changed) if there is no such item: a new file, or a changed slug.
    pub(crate) fn replace(&mut self, item: Item) -> Option<Replaced> {
        if !item.is_in(self) {
            return None;
        }
        item.put(self)
    }

    /// The collection and slug of the item loaded from `path` (`content/members/acme.md`).
    pub fn item_from(&self, path: &std::path::Path) -> Option<(&'static str, String)> {
        struct Find<'a> {
            site: &'a Site,
            path: &'a std::path::Path,
            found: Option<(&'static str, String)>,
        }
        impl Visit for Find<'_> {
            fn visit<C: Collection>(&mut self) {
                if self.found.is_none() {
                    self.found = C::entries(self.site)
                        .iter()
                        .find(|(_, e)| e.source() == Some(self.path))
                        .map(|(k, _)| (C::KEY, k.clone()));
                }
            }
        }
        if self.home.source() == Some(path) {
            return Some(("", String::new()));
        }
        let mut find = Find {
            site: self,
            path,
            found: None,
        };
        collection::each(&mut find);
        find.found
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
    let (loaded, problems) = load_document(doc, &ctx, drafts);
    let mut diags = Diagnostics::new();
    diags.extend(problems);
    if diags.has_errors() {
        return Reload::Failed(diags);
    }
    let Loaded::Item(mut item) = loaded else {
        return Reload::Everything;
    };
    if let Item::Member(e) = item.as_ref() {
        // A member that leaves or comes back leaves or joins every list of members.
        if e.item.former || site.former.contains_key(&e.item.slug) {
            return Reload::Everything;
        }
        // Catalogues name members' products: a change there reaches them.
        let products: Vec<String> = e.item.products.iter().map(|p| p.name.clone()).collect();
        if ctx.products.get(&e.item.slug) != Some(&products) {
            return Reload::Everything;
        }
    }
    let body = item.render_body(site);
    diags.extend(body);
    if diags.has_errors() {
        return Reload::Failed(diags);
    }
    match site.replace(*item) {
        Some(replaced) => Reload::Replaced(replaced, diags),
        None => Reload::Everything,
    }
}

/// Works out again what is derived from the items (after [`reload`] changed one's fields).
pub fn derive_again(site: &mut Site) -> Diagnostics {
    derive_all(site)
}

/// A site made from texts, for unit tests: `cluster.yaml` and content files by their path
/// under `content/` (`events/open-day.md`), loaded and checked as of `now`, bodies rendered.
/// Panics on any error, naming it.
#[cfg(test)]
pub(crate) fn test_site(config: &str, files: &[(&str, &str)], now: &str) -> Site {
    let root = PathBuf::from("/site");
    let (config, d) = crate::config::parse(&root, config.to_string(), &Default::default())
        .unwrap_or_else(|d| panic!("{d:?}"));
    assert!(!d.has_errors(), "{d:?}");
    let docs = files
        .iter()
        .map(|(path, text)| {
            let (collection, name) = path.split_once('/').unwrap_or(("", path));
            let name = name.trim_end_matches(".md");
            let file = PathBuf::from(format!("content/{path}"));
            Document::from_text(file, collection.into(), name.into(), text)
                .unwrap_or_else(|d| panic!("{d:?}"))
        })
        .collect();
    let opts = LoadOptions {
        drafts: false,
        now: now.parse().expect("a date"),
        images: None,
    };
    let (site, d) = load_site(config, docs, BTreeMap::new(), opts);
    assert!(!d.has_errors(), "{d:?}");
    site
}
