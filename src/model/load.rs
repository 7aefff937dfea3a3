//! From a document to a checked item of its collection.
//!
//! Every collection goes through the same steps: parse the front matter into its raw struct,
//! check the file name as a slug, check the fields (collecting every problem), and leave
//! drafts out unless asked for. Only the home page and free pages (which may sit in
//! sub-folders) differ.

use serde::de::DeserializeOwned;

use super::catalogue::{self, Catalogue};
use super::check::{Checker, LoadContext};
use super::course::{self, Course};
use super::event::{self, Event};
use super::funding::{self, Funding};
use super::member::{self, Member};
use super::news::{self, News};
use super::page::{self, Home, Page};
use super::partner::{self, Partner};
use super::procurement::{self, Procurement};
use super::project::{self, Project};
use super::resource::{self, Resource};
use super::{Entry, types};
use crate::content::Document;
use crate::content::front_matter;
use crate::diag::Diagnostic;

/// One loaded item, of any collection.
pub(crate) enum Item {
    Home(Entry<Home>),
    Page(Entry<Page>),
    Member(Entry<Member>),
    Event(Entry<Event>),
    Course(Entry<Course>),
    Catalogue(Entry<Catalogue>),
    Resource(Entry<Resource>),
    Procurement(Entry<Procurement>),
    Project(Entry<Project>),
    Funding(Entry<Funding>),
    News(Entry<News>),
    Partner(Entry<Partner>),
}

pub(crate) enum Loaded {
    Item(Box<Item>),
    /// A draft left out of this build, by content path (`members/x.md`).
    Draft(String),
    /// A document with errors, by content path: references to it are not reported again.
    Failed(Option<String>),
}

/// Front matter that can mark its item as a draft.
pub(crate) trait Draft {
    fn is_draft(&self) -> bool;
}

macro_rules! drafts {
    ($($raw:ty),*) => {
        $(impl Draft for $raw {
            fn is_draft(&self) -> bool {
                self.draft
            }
        })*
    };
}

drafts!(
    member::RawMember,
    page::RawPage,
    event::RawEvent,
    course::RawCourse,
    catalogue::RawCatalogue,
    resource::RawResource,
    procurement::RawProcurement,
    project::RawProject,
    funding::RawFunding,
    news::RawNews,
    partner::RawPartner
);

/// Loads one document. `include_drafts` is the `--drafts` flag.
pub(crate) fn load_document(
    doc: Document,
    ctx: &LoadContext,
    include_drafts: bool,
) -> (Loaded, Vec<Diagnostic>) {
    match doc.collection.as_str() {
        "" => load_home(doc),
        "pages" => load_page(doc, ctx, include_drafts),
        "members" => flat(
            doc,
            ctx,
            include_drafts,
            |s, r, c| Some(member::check_member(s, r, c)),
            Item::Member,
        ),
        "events" => flat(doc, ctx, include_drafts, event::check_event, Item::Event),
        "training" => flat(
            doc,
            ctx,
            include_drafts,
            |s, r, c| Some(course::check_course(s, r, c)),
            Item::Course,
        ),
        "catalogues" => flat(
            doc,
            ctx,
            include_drafts,
            |s, r, c| Some(catalogue::check_catalogue(s, r, c)),
            Item::Catalogue,
        ),
        "resources" => flat(
            doc,
            ctx,
            include_drafts,
            |s, r, c| Some(resource::check_resource(s, r, c)),
            Item::Resource,
        ),
        "procurement" => flat(
            doc,
            ctx,
            include_drafts,
            |s, r, c| Some(procurement::check_procurement(s, r, c)),
            Item::Procurement,
        ),
        "projects" => flat(
            doc,
            ctx,
            include_drafts,
            |s, r, c| Some(project::check_project(s, r, c)),
            Item::Project,
        ),
        "funding" => flat(
            doc,
            ctx,
            include_drafts,
            |s, r, c| Some(funding::check_funding(s, r, c)),
            Item::Funding,
        ),
        "news" => flat(
            doc,
            ctx,
            include_drafts,
            |s, r, c| Some(news::check_news(s, r, c)),
            Item::News,
        ),
        "partners" => flat(
            doc,
            ctx,
            include_drafts,
            |s, r, c| Some(partner::check_partner(s, r, c)),
            Item::Partner,
        ),
        // Unknown folders are reported once by `check_folders`.
        _ => (Loaded::Failed(None), Vec::new()),
    }
}

fn content_path(doc: &Document) -> String {
    format!("{}/{}.md", doc.collection, doc.name)
}

/// A collection whose files sit directly in its folder and are named by their slug.
fn flat<R, T>(
    doc: Document,
    ctx: &LoadContext,
    include_drafts: bool,
    check_item: impl FnOnce(String, R, &mut Checker<'_>) -> Option<T>,
    wrap: fn(Entry<T>) -> Item,
) -> (Loaded, Vec<Diagnostic>)
where
    R: DeserializeOwned + Draft,
{
    let path = content_path(&doc);
    if doc.name.contains('/') {
        let d = Diagnostic::error(format!(
            "files of `content/{}/` must be directly in that folder, not in a sub-folder",
            doc.collection
        ))
        .in_file(&doc.path)
        .help(format!(
            "move the file up into `content/{}/`",
            doc.collection
        ));
        return (Loaded::Failed(None), vec![d]);
    }
    let raw: R = match front_matter::parse(doc.yaml_source()) {
        Ok(raw) => raw,
        Err(d) => return (Loaded::Failed(Some(path)), vec![d]),
    };
    // Drafts are checked like everything else, so that problems show before publishing.
    let left_out = raw.is_draft() && !include_drafts;
    let mut problems = Vec::new();
    let slug = match types::check_slug(&doc.name) {
        Ok(s) => s,
        Err((message, help)) => {
            problems.push(Diagnostic::error(message).in_file(&doc.path).help(help));
            doc.name.clone()
        }
    };
    let mut check = Checker::new(&doc, ctx);
    let item = check_item(slug, raw, &mut check);
    problems.extend(check.finish());
    match item {
        _ if left_out => (Loaded::Draft(path), problems),
        Some(item) => (
            Loaded::Item(Box::new(wrap(Entry::new(item, Some(doc))))),
            problems,
        ),
        None => (Loaded::Failed(Some(path)), problems),
    }
}

fn load_home(doc: Document) -> (Loaded, Vec<Diagnostic>) {
    if doc.name != "_index" {
        let d =
            Diagnostic::error("files at the top of `content/` other than `_index.md` are not used")
                .in_file(&doc.path)
                .help("move the file into `content/pages/` to make it a page");
        return (Loaded::Failed(None), vec![d]);
    }
    match front_matter::parse::<page::RawHome>(doc.yaml_source()) {
        Ok(raw) => (
            Loaded::Item(Box::new(Item::Home(Entry::new(
                page::check_home(raw),
                Some(doc),
            )))),
            Vec::new(),
        ),
        Err(d) => (Loaded::Failed(Some(content_path(&doc))), vec![d]),
    }
}

fn load_page(doc: Document, ctx: &LoadContext, include_drafts: bool) -> (Loaded, Vec<Diagnostic>) {
    let path = content_path(&doc);
    let raw: page::RawPage = match front_matter::parse(doc.yaml_source()) {
        Ok(raw) => raw,
        Err(d) => return (Loaded::Failed(Some(path)), vec![d]),
    };
    let left_out = raw.is_draft() && !include_drafts;
    let mut problems = Vec::new();
    for part in doc.name.split('/') {
        if let Err((message, help)) = types::check_slug(part) {
            problems.push(Diagnostic::error(message).in_file(&doc.path).help(help));
        }
    }
    let mut check = Checker::new(&doc, ctx);
    let page = page::check_page(doc.name.clone(), raw, &mut check);
    problems.extend(check.finish());
    if left_out {
        return (Loaded::Draft(path), problems);
    }
    (
        Loaded::Item(Box::new(Item::Page(Entry::new(page, Some(doc))))),
        problems,
    )
}
