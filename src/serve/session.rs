//! The site being served: loaded once, rendered into the [`Store`], then brought up to date
//! change by change, re-rendering only the pages a change can show on.
//!
//! What each kind of change re-renders:
//! - a content file whose front matter and first paragraph are unchanged: its own page
//!   (and the feed that carries its body);
//! - any other edit of an item: the derived data is worked out again, then its page, every
//!   list, term, home and free page, the pages of the items that name it (for a member) or of
//!   the members it names (for any other item), the members whose matches changed, and the
//!   calendars, open data and feeds. If the change reaches the site's shared value (a
//!   count, the navigation, a term that gains its first member), every page;
//! - a new, removed or renamed file, a draft published or withdrawn, a member's products,
//!   `cluster.yaml`, or several content files at once: the whole site, loaded again;
//! - a template: the pages rendered with it or with a template that uses it; the member card,
//!   row and footer partials, which are rendered once per build, mean every page;
//! - a static file: nothing (static files are read from disk when asked for), unless one is
//!   added or removed; the browsers swap their stylesheets if only CSS changed.
//!
//! A site of several languages is kept in memory in each of them (a [`Version`] per
//! language, sharing one theme), and a change is applied to each version as that language
//! sees it: a translation (`acme.fr.md`) changes only the languages that show it (French,
//! and any whose fallback is French), so only their pages are rendered again; a change to
//! the original (`acme.md`) reaches every language. A change to which languages a news item
//! or free page exists in, or to an item's address in one, loads the whole site again.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use super::store::{Body, Event, MemorySink, Store};
use super::watch::Change;
use crate::content::{Document, translate};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{self, Reload, Site};
use crate::render::pages::{self, Job};
use crate::render::theme::{self, Theme};
use crate::render::{self, Prepared, Source, links};
use crate::url::paths;
use crate::{Loaded, Options};

/// What one rebuild did, for the terminal and the browsers.
#[derive(Debug)]
pub struct Outcome {
    /// What was rebuilt, for people: `content/members/acme.md`, `the whole site`.
    pub what: String,
    /// Pages rendered.
    pub pages: usize,
    /// What the browsers should do.
    pub event: Option<Event>,
    pub warnings: Diagnostics,
}

/// Which prepared pages to render.
type Keep = Box<dyn Fn(&Job) -> bool>;

/// The pages to render.
enum Selection {
    Everything,
    Some {
        /// Prepared pages to render; none means no prepared page.
        jobs: Option<Keep>,
        members: BTreeSet<String>,
        /// Members whose fact sheets to render (they show fields, not the body).
        factsheets: BTreeSet<String>,
    },
}

pub struct Session {
    opts: Options,
    /// One theme for every language: its functions are switched to a language's
    /// ([`Theme::set_language`]) before that language's pages are rendered.
    theme: Theme,
    /// The site in each of its languages, the default first; one for a site of one language.
    versions: Vec<Version>,
    /// In a site of several languages, the content as read (originals, each with its
    /// translations), from which a changed item is made again in every language.
    docs: Option<Vec<Document>>,
    /// The last update failed half-way: the next change loads everything again.
    broken: bool,
}

/// The site in one of its languages, and what its pages share.
struct Version {
    site: Site,
    prepared: Prepared,
    /// Whether this is the default language's version (or the only one), which makes the
    /// files all languages share (open data, the top `404.html`).
    shared: bool,
}

/// What applying one changed item to one version of the site did.
enum Step {
    /// The change reaches beyond what can be brought up to date in place: load everything.
    Everything,
    Done {
        /// Every page of the version was rendered again.
        every_page: bool,
        pages: usize,
        event: Option<Event>,
        warnings: Diagnostics,
    },
}

/// A changed content file, as each version of the site sees it.
struct Changed {
    /// The document in each language, the default first.
    docs: Vec<Document>,
    /// Problems of its translations.
    problems: Diagnostics,
    /// A member's summary in another language changed: the open data shows it.
    summaries: bool,
}

/// Beyond this many changed pages, browsers are told to reload whatever they show.
const MANY: usize = 200;

impl Session {
    /// Loads and renders the whole site into `store`, replacing what it held.
    pub fn start(opts: &Options, store: &Store) -> Result<(Session, Outcome), Diagnostics> {
        let watch = crate::timings::Stopwatch::start("serve");
        let Loaded {
            mut site,
            mut theme,
            warnings: mut diags,
            docs,
        } = crate::load(opts, &watch)?;
        let sink = MemorySink::default();
        let (rendered, d, kept) =
            crate::render_all(&mut site, &mut theme, docs.as_deref(), opts, &sink, true);
        diags.extend_new(d);
        if diags.has_errors() {
            return Err(diags);
        }
        let Some(kept) = kept else {
            return Err(diags);
        };
        let pages = rendered.pages;
        let mut files: HashMap<String, Body> = sink.into_files().into_iter().collect();
        files.extend(rendered.files.into_iter().map(|(k, v)| (k, Body::from(v))));
        store.replace_all(files);
        store.add_resized(&site.images);
        store.confine(crate::render::theme::static_boundary(&site.config));
        let mut versions = vec![Version {
            site,
            prepared: kept.prepared,
            shared: true,
        }];
        versions.extend(kept.others.into_iter().map(|(site, prepared)| Version {
            site,
            prepared,
            shared: false,
        }));
        let session = Session {
            opts: opts.clone(),
            theme,
            versions,
            docs,
            broken: false,
        };
        let outcome = Outcome {
            what: "the whole site".into(),
            pages,
            event: Some(Event::Reload(Vec::new())),
            warnings: diags,
        };
        Ok((session, outcome))
    }

    /// Brings the site up to date with `changes` (one debounced batch).
    pub fn update(&mut self, changes: &[Change], store: &Store) -> Result<Outcome, Diagnostics> {
        let result = self.apply(changes, store);
        self.broken = result.is_err();
        result
    }

    fn apply(&mut self, changes: &[Change], store: &Store) -> Result<Outcome, Diagnostics> {
        if self.broken {
            return self.reload_everything(store, "the whole site (after an error)");
        }
        // Editors and tools save through temporary files (`sed -i` writes `sedX4f2a1` and
        // renames it): a file that is gone and was never part of the site changed nothing.
        let changes: Vec<Change> = changes
            .iter()
            .filter(|c| self.matters(c))
            .cloned()
            .collect();
        let changes = changes.as_slice();
        if changes.is_empty() {
            return Ok(Outcome {
                what: "nothing to rebuild".into(),
                pages: 0,
                event: None,
                warnings: Diagnostics::new(),
            });
        }
        let all = |f: fn(&Change) -> bool| changes.iter().all(f);
        if all(|c| matches!(c, Change::Static(_))) {
            return self.statics(changes, store);
        }
        if all(|c| matches!(c, Change::Template(_))) {
            return self.templates(changes, store);
        }
        if let [Change::Content(path)] = changes {
            return self.content(path, store);
        }
        let what = match changes {
            [Change::Config] => "cluster.yaml: the whole site",
            _ => "the whole site",
        };
        self.reload_everything(store, what)
    }

    /// Whether a changed path is, or was, part of the site.
    fn matters(&self, change: &Change) -> bool {
        let (Change::Content(p) | Change::Template(p) | Change::Static(p)) = change else {
            return true;
        };
        if self.opts.site.join(p).exists() {
            return true;
        }
        match change {
            Change::Content(p) => {
                p.extension().is_some_and(|e| e == "md") || self.site().item_from(p).is_some()
            }
            Change::Template(p) => p.extension().is_some_and(|e| e == "html"),
            _ => {
                let key = p.strip_prefix("static").unwrap_or(p);
                let key = key.to_string_lossy().replace('\\', "/");
                self.site().static_files.contains_key(&key) || p.starts_with("themes")
            }
        }
    }

    fn reload_everything(&mut self, store: &Store, what: &str) -> Result<Outcome, Diagnostics> {
        let (session, mut outcome) = Session::start(&self.opts, store)?;
        *self = session;
        outcome.what = what.to_string();
        Ok(outcome)
    }

    /// The site in its default language (its only one, in a site of one).
    fn site(&self) -> &Site {
        &self.versions[0].site
    }

    /// Whether the site has several languages.
    fn multilingual(&self) -> bool {
        self.versions.len() > 1
    }

    /// One content file changed.
    fn content(&mut self, rel: &Path, store: &Store) -> Result<Outcome, Diagnostics> {
        let what = rel.display().to_string();
        let whole = format!("{what}: the whole site");
        let abs = self.opts.site.join(rel);
        // A file that became a link out of the site is found (and refused) by a full reload.
        let outside = !crate::content::boundary::Boundary::of_site(&self.opts.site).contains(&abs);
        if outside || !abs.is_file() {
            return self.reload_everything(store, &whole);
        }
        let doc = crate::content::read_document(&self.opts.site, &abs).map_err(one)?;
        let Some(changed) = self.in_each_language(doc)? else {
            return self.reload_everything(store, &whole);
        };
        let mut warnings = changed.problems;
        let (mut pages, mut event, mut every_page) = (0, None, false);
        let mut everything = false;
        let mut failed = None;
        let multilingual = self.multilingual();
        for (version, doc) in self.versions.iter_mut().zip(changed.docs) {
            if multilingual {
                self.theme.set_language(&version.site.config);
            }
            match version.content(doc, &self.theme, &self.opts, store) {
                Ok(Step::Everything) => everything = true,
                Ok(Step::Done {
                    every_page: e,
                    pages: p,
                    event: ev,
                    warnings: w,
                }) => {
                    every_page |= e;
                    pages += p;
                    event = join(event, ev);
                    // The same content says the same things in every language.
                    warnings.extend_new(w);
                }
                Err(d) => failed = Some(d),
            }
            if everything || failed.is_some() {
                break;
            }
        }
        if multilingual {
            self.theme.set_language(&self.versions[0].site.config);
        }
        if let Some(d) = failed {
            return Err(d);
        }
        if everything {
            return self.reload_everything(store, &whole);
        }
        if changed.summaries {
            // The open data, which the default language's version makes, has a column of
            // summaries per language.
            self.versions[0].generated(store);
        }
        let what = match (&event, every_page) {
            (None, _) => format!("{what}: unchanged"),
            (Some(_), true) => format!("{what}: every page"),
            (Some(_), false) => what,
        };
        Ok(Outcome {
            what,
            pages,
            event,
            warnings,
        })
    }

    /// The changed document `doc` as each version of the site sees it; `None` if the change
    /// reaches beyond its item: a new file, a file that is no item, a news item or free page
    /// that is now in other languages, or an item whose address in a language changed.
    fn in_each_language(&mut self, doc: Document) -> Result<Option<Changed>, Diagnostics> {
        let Some(docs) = &mut self.docs else {
            let known = self.versions[0].site.item_from(&doc.path).is_some();
            return Ok(known.then(|| Changed {
                docs: vec![doc],
                problems: Diagnostics::new(),
                summaries: false,
            }));
        };
        let config = &self.versions[0].site.config;
        let codes: Vec<String> = config.languages.iter().map(|l| l.code.clone()).collect();
        let Some((i, before)) = translate::replace(docs, doc, &codes) else {
            return Ok(None);
        };
        let now = &docs[i];
        if self.versions[0].site.item_from(&now.path).is_none() {
            return Ok(None);
        }
        let exists_in = |d: &Document| match d.collection.as_str() {
            "news" | "pages" => translate::languages_of(d, &codes),
            _ => Vec::new(),
        };
        let addresses = |d: &Document| translate::slugs_of(d, &codes, &|s| Ok(s.to_string())).0;
        if exists_in(&before) != exists_in(now) || addresses(&before) != addresses(now) {
            return Ok(None);
        }
        let mut problems = Diagnostics::new();
        let mut in_each = Vec::with_capacity(codes.len());
        for code in &codes {
            let (doc, found) = crate::doc_in_language(config, now, code);
            problems.extend_new(Diagnostics::from_iter(found));
            in_each.push(doc);
        }
        if problems.has_errors() {
            return Err(problems);
        }
        let summaries = match now.collection == "members" {
            true => crate::summaries_of(config, now),
            false => Default::default(),
        };
        let name = now.name.clone();
        let site = &mut self.versions[0].site;
        let changed = site.summaries.get(&name).cloned().unwrap_or_default() != summaries;
        if changed {
            match summaries.is_empty() {
                true => site.summaries.remove(&name),
                false => site.summaries.insert(name, summaries),
            };
        }
        Ok(Some(Changed {
            docs: in_each,
            problems,
            summaries: changed,
        }))
    }

    /// Templates changed.
    fn templates(&mut self, changes: &[Change], store: &Store) -> Result<Outcome, Diagnostics> {
        let mut theme = theme::load_theme(&self.site().config)?;
        theme.use_images(&self.site().images);
        let warnings = std::mem::take(&mut theme.warnings);
        let changed: BTreeSet<String> = changes
            .iter()
            .filter_map(|c| match c {
                Change::Template(p) => template_name(p),
                _ => None,
            })
            .collect();
        let what = match changed.is_empty() {
            true => "templates".to_string(),
            false => changed.iter().cloned().collect::<Vec<_>>().join(", "),
        };
        // A template under its old name is used under its new one, too.
        let renamed = changed.iter().map(|n| theme::current_name(n).to_string());
        let affected = theme.dependents(&renamed.chain(changed.iter().cloned()).collect());
        self.theme = theme;
        // A folder of templates appeared or went: any template may have.
        let folder = changes
            .iter()
            .any(|c| matches!(c, Change::Template(p) if self.opts.site.join(p).is_dir()));
        let rendered_once = [
            "partials/member-card.html",
            "partials/member-row.html",
            "partials/footer.html",
        ];
        let everything = folder || rendered_once.iter().any(|t| affected.contains(*t));
        let (mut pages, mut event) = (0, None);
        let multilingual = self.multilingual();
        let mut result = Ok(());
        for version in &mut self.versions {
            if multilingual {
                self.theme.set_language(&version.site.config);
            }
            match version.templates(&self.theme, &self.opts, &affected, everything, store) {
                Ok((p, e)) => {
                    pages += p;
                    event = join(event, Some(e));
                }
                Err(d) => {
                    result = Err(d);
                    break;
                }
            }
        }
        if multilingual {
            self.theme.set_language(&self.versions[0].site.config);
        }
        result?;
        Ok(Outcome {
            what,
            pages,
            event,
            warnings,
        })
    }

    /// Static files changed: they are read from disk when asked for, so only a new or
    /// removed one needs a rebuild (links to it are checked).
    fn statics(&mut self, changes: &[Change], store: &Store) -> Result<Outcome, Diagnostics> {
        let root = &self.opts.site;
        let mut diags = Diagnostics::new();
        let mut files = match changes
            .iter()
            .any(|c| matches!(c, Change::Static(p) if p.starts_with("themes")))
        {
            true => theme::load_theme(&self.site().config)?.static_files,
            false => self.theme.static_files.clone(),
        };
        theme::collect_static(root, &root.join("static"), &mut files, &mut diags);
        let same = files.keys().eq(self.site().static_files.keys());
        if !same || diags.has_errors() {
            return self.reload_everything(store, "static files: the whole site");
        }
        // An image the pages show: its sizes, its resized files' names (and an SVG's cleaned
        // text) come from its bytes.
        let image_changed = changes.iter().any(|c| match c {
            Change::Static(p) => (p.strip_prefix("static").ok())
                .is_some_and(|rel| self.site().images.has_seen(&rel.to_string_lossy())),
            _ => false,
        });
        if image_changed {
            return self.reload_everything(store, "an image: the whole site");
        }
        let css = changes
            .iter()
            .all(|c| matches!(c, Change::Static(p) if p.extension().is_some_and(|e| e == "css")));
        Ok(Outcome {
            what: "static files".into(),
            pages: 0,
            event: Some(match css {
                true => Event::Css,
                false => Event::Reload(Vec::new()),
            }),
            warnings: diags,
        })
    }
}

impl Version {
    /// Applies one changed document, as this version's language sees it, and renders the
    /// pages that can show the change.
    fn content(
        &mut self,
        doc: Document,
        theme: &Theme,
        opts: &Options,
        store: &Store,
    ) -> Result<Step, Diagnostics> {
        let rel = doc.path.clone();
        let noindex = |site: &Site| {
            let (key, slug) = site.item_from(&rel)?;
            render::items::noindex(site, key, &slug)
        };
        let was_noindex = noindex(&self.site);
        let (replaced, mut warnings) = match model::reload(&mut self.site, doc, opts.drafts) {
            Reload::Replaced(r, warnings) => (r, warnings),
            Reload::Failed(diags) => return Err(diags),
            Reload::Everything => return Ok(Step::Everything),
        };
        // A page that comes or goes from the sitemap (a job offer that opened or expired):
        // only a whole build writes the sitemap.
        if noindex(&self.site) != was_noindex {
            return Ok(Step::Everything);
        }
        let own = own_page(replaced.collection, &replaced.slug);
        if replaced.body_only() {
            if !replaced.body {
                return Ok(Step::Done {
                    every_page: false,
                    pages: 0,
                    event: None,
                    warnings,
                });
            }
            let selection = match replaced.collection {
                "members" => Selection::Some {
                    jobs: None,
                    members: BTreeSet::from([replaced.slug.clone()]),
                    factsheets: BTreeSet::new(),
                },
                _ => Selection::Some {
                    jobs: Some(Box::new(move |j: &Job| j.path == own)),
                    members: BTreeSet::new(),
                    factsheets: BTreeSet::new(),
                },
            };
            let (pages, event) = self.render(theme, selection, store)?;
            // Feeds carry the text of some collections' items.
            if render::items::in_feeds(replaced.collection) {
                let urls = &self.site.config.urls;
                let feeds = render::feed_files(&self.site);
                put(store, feeds.into_iter().map(|(p, b)| (urls.output(&p), b)));
            }
            return Ok(Step::Done {
                every_page: false,
                pages,
                event: Some(event),
                warnings,
            });
        }

        // Fields changed: what is derived from them may have, too.
        let old_backlinks = self.site.backlinks.clone();
        let old_matches = self.site.matches.clone();
        let old_offered: BTreeSet<String> = offered(&self.site);
        warnings.extend(model::derive_again(&mut self.site));
        let render_opts = crate::render_options(opts, &self.site);
        let (site_value, d) = render::site_value(&self.site, theme, render_opts);
        warnings.extend(d);
        if site_value != self.prepared.site_value || offered(&self.site) != old_offered {
            // Something every page shows changed.
            let (prepared, d) = Prepared::new(&self.site, theme, render_opts);
            fail_on_errors(d, &mut warnings)?;
            self.prepared = prepared;
            let (pages, event) = self.render(theme, Selection::Everything, store)?;
            self.generated(store);
            return Ok(Step::Done {
                every_page: true,
                pages,
                event: Some(event),
                warnings,
            });
        }

        let mut members = BTreeSet::new();
        let mut items = BTreeSet::new();
        let slug = replaced.slug.clone();
        match replaced.collection {
            "members" => {
                let failure = self.prepared.shared.update_member(
                    &self.site,
                    theme,
                    &self.prepared.site_value,
                    &slug,
                );
                fail_on_errors(failure.into_iter().collect(), &mut warnings)?;
                members.insert(slug.clone());
                // Members whose suppliers or customers changed, or include this one.
                let slugs = old_matches.keys().chain(self.site.matches.keys());
                for m in slugs {
                    let (old, new) = (old_matches.get(m), self.site.matches.get(m));
                    let names = |x: Option<&model::Matches>| {
                        x.is_some_and(|x| {
                            x.suppliers.contains(&slug) || x.customers.contains(&slug)
                        })
                    };
                    if old != new || names(new) {
                        members.insert(m.clone());
                    }
                }
                // The items that name this member, before or after.
                for b in [old_backlinks.get(&slug), self.site.backlinks.get(&slug)]
                    .into_iter()
                    .flatten()
                {
                    items.extend(item_pages(b));
                }
            }
            collection => {
                // Members whose list of what they take part in changed, or includes this item.
                let slugs = old_backlinks.keys().chain(self.site.backlinks.keys());
                for m in slugs {
                    let (old, new) = (old_backlinks.get(m), self.site.backlinks.get(m));
                    let own = own_page(collection, &slug);
                    if old != new || new.is_some_and(|b| item_pages(b).contains(&own)) {
                        members.insert(m.clone());
                    }
                }
            }
        }
        let collection = replaced.collection;
        let jobs: Keep = match collection {
            // Every page but the items', and the items' that name the member.
            "members" => Box::new(move |j: &Job| j.kind != "item" || items.contains(&j.path)),
            // Items show each other (a project its funding, a catalogue its entries): every
            // page but the members'.
            _ => Box::new(|_: &Job| true),
        };
        let (pages, event) = self.render(
            theme,
            Selection::Some {
                jobs: Some(jobs),
                factsheets: members.clone(),
                members,
            },
            store,
        )?;
        self.generated(store);
        Ok(Step::Done {
            every_page: false,
            pages,
            event: Some(event),
            warnings,
        })
    }

    /// Renders the pages of this version that use the `affected` templates, or, if
    /// `everything`, all of them (what the pages share made again first).
    fn templates(
        &mut self,
        theme: &Theme,
        opts: &Options,
        affected: &BTreeSet<String>,
        everything: bool,
        store: &Store,
    ) -> Result<(usize, Event), Diagnostics> {
        let selection = if everything {
            let render_opts = crate::render_options(opts, &self.site);
            let (prepared, d) = Prepared::new(&self.site, theme, render_opts);
            if d.has_errors() {
                return Err(d);
            }
            self.prepared = prepared;
            Selection::Everything
        } else {
            let all = || self.site.members.keys().cloned().collect();
            let members = match affected.contains(&render::pages::item_template("members")) {
                true => all(),
                false => BTreeSet::new(),
            };
            let factsheets = match affected.contains("factsheet.html") {
                true => all(),
                false => BTreeSet::new(),
            };
            let affected = affected.clone();
            Selection::Some {
                jobs: Some(Box::new(move |j: &Job| affected.contains(&j.template))),
                members,
                factsheets,
            }
        };
        self.render(theme, selection, store)
    }

    /// Renders the selected pages into `store`, checking their links against every file.
    fn render(
        &self,
        theme: &Theme,
        selection: Selection,
        store: &Store,
    ) -> Result<(usize, Event), Diagnostics> {
        let (filter, members, factsheets): (Option<Keep>, Vec<String>, Vec<String>) =
            match selection {
                Selection::Everything => (
                    Some(Box::new(|_: &Job| true)),
                    self.site.members.keys().cloned().collect(),
                    self.site.members.keys().cloned().collect(),
                ),
                Selection::Some {
                    jobs,
                    members,
                    factsheets,
                } => (
                    jobs,
                    members.into_iter().collect(),
                    factsheets.into_iter().collect(),
                ),
            };
        let factsheets = match self.site.config.brochures.enabled {
            true => factsheets,
            false => Vec::new(),
        };
        let jobs = match &filter {
            Some(keep) => {
                let mut jobs = pages::jobs(&self.site, &self.prepared.shared);
                jobs.retain(|j| keep(j));
                jobs
            }
            None => Vec::new(),
        };
        let sources: Vec<Source> = jobs
            .iter()
            .map(Source::Ready)
            .chain(members.iter().map(|s| Source::Member(s)))
            .chain(factsheets.iter().map(|s| Source::Factsheet(s)))
            .collect();
        let checker = links::Checker::new(&self.site, store.keys().into_iter());
        let sink = MemorySink::default();
        let (pages, diags) = render::render_pages(
            &self.site,
            theme,
            &self.prepared,
            &sources,
            checker,
            self.shared,
            &sink,
        );
        if diags.has_errors() {
            return Err(diags);
        }
        store.update(sink.into_files());
        store.add_resized(&self.site.images);
        let urls = &self.site.config.urls;
        let paths: Vec<String> = jobs
            .iter()
            .map(|j| match j.path == render::NOT_FOUND && self.shared {
                // Where hosts show it: at the top, whatever the language.
                true => urls.asset(&j.path),
                false => urls.path(&j.path),
            })
            .chain(members.iter().map(|s| urls.path(&paths::member(s))))
            .chain(factsheets.iter().map(|s| urls.path(&paths::factsheet(s))))
            .collect();
        let event = match paths.len() > MANY {
            true => Event::Reload(Vec::new()),
            false => Event::Reload(paths),
        };
        Ok((pages, event))
    }

    /// Makes the calendars and feeds again, and the open data if this version makes it.
    fn generated(&self, store: &Store) {
        put(store, render::generated_files(&self.site, self.shared));
    }
}

/// What the browsers are told after two versions changed: both versions' pages reloaded.
fn join(a: Option<Event>, b: Option<Event>) -> Option<Event> {
    match (a, b) {
        (None, x) | (x, None) => x,
        (Some(Event::Reload(mut a)), Some(Event::Reload(b))) => {
            // None named means every page.
            if a.is_empty() || b.is_empty() || a.len() + b.len() > MANY {
                return Some(Event::Reload(Vec::new()));
            }
            a.extend(b);
            Some(Event::Reload(a))
        }
        (Some(a), Some(_)) => Some(a),
    }
}

fn put(store: &Store, files: impl IntoIterator<Item = (String, Vec<u8>)>) {
    store.update(
        files
            .into_iter()
            .map(|(path, bytes)| (path, Body::Bytes(bytes.into()))),
    );
}

fn one(d: Diagnostic) -> Diagnostics {
    Diagnostics::from_iter([d])
}

/// Moves `found` into `warnings`, or fails with it if it holds an error.
fn fail_on_errors(found: Diagnostics, warnings: &mut Diagnostics) -> Result<(), Diagnostics> {
    if found.has_errors() {
        return Err(found);
    }
    warnings.extend(found);
    Ok(())
}

/// The site path of an item's own page.
fn own_page(collection: &str, slug: &str) -> String {
    match collection {
        "" => paths::home(),
        "pages" => paths::page(slug),
        "members" => paths::member(slug),
        c => paths::item(c, slug),
    }
}

/// The pages of the items a member takes part in.
fn item_pages(b: &model::Backlinks) -> BTreeSet<String> {
    b.items().map(|(c, s)| paths::item(c, s)).collect()
}

fn offered(site: &Site) -> BTreeSet<String> {
    site.offered_capabilities()
        .into_iter()
        .map(str::to_string)
        .collect()
}

/// A changed template file's name as pages use it: `templates/member.html` and
/// `themes/blue/templates/member.html` → `member.html`.
fn template_name(path: &Path) -> Option<String> {
    let text = path.to_string_lossy().replace('\\', "/");
    let name = match text.strip_prefix("templates/") {
        Some(n) => n.to_string(),
        None => {
            let rest = text.strip_prefix("themes/")?;
            let (_, name) = rest.split_once("/templates/")?;
            name.to_string()
        }
    };
    Some(name)
}
