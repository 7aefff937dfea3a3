//! From a document to a checked item of its collection.
//!
//! Every collection goes through the same steps: parse the front matter into its raw struct,
//! check the file name as a slug, check the fields (collecting every problem), and leave
//! drafts out unless asked for. Only the home page and free pages (which may sit in
//! sub-folders) differ.

use super::check::{Checker, LoadContext};
use super::collection::{Collection, Stored};
use super::page::{self, Page};
use super::{Entry, Item, types};
use crate::content::Document;
use crate::content::front_matter;
use crate::diag::Diagnostic;

pub(crate) enum Loaded {
    Item(Box<Item>),
    /// A draft left out of this build, by content path (`members/x.md`).
    Draft(String),
    /// A document with errors, by content path: references to it are not reported again.
    Failed(Option<String>),
}

fn content_path(doc: &Document) -> String {
    format!("{}/{}.md", doc.collection, doc.name)
}

/// An item of a collection whose files sit directly in its folder and are named by their
/// slug.
pub(crate) fn flat<C: Collection>(
    doc: Document,
    ctx: &LoadContext,
    include_drafts: bool,
) -> (Loaded, Vec<Diagnostic>) {
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
    let raw: C::Raw = match front_matter::parse_all(doc.yaml_source()) {
        Ok(raw) => raw,
        Err(found) => return (Loaded::Failed(Some(path)), found),
    };
    // Drafts are checked like everything else, so that problems show before publishing.
    let left_out = C::is_draft(&raw) && !include_drafts;
    let mut problems = Vec::new();
    let slug = match types::check_slug(&doc.name) {
        Ok(s) => s,
        Err((message, help)) => {
            problems.push(Diagnostic::error(message).in_file(&doc.path).help(help));
            doc.name.clone()
        }
    };
    let mut check = Checker::new(&doc, ctx);
    let item = C::check(slug, raw, &mut check);
    if item.as_ref().is_some_and(|i| i.is_current(ctx.now)) {
        check.warn_former();
    }
    problems.extend(check.finish());
    match item {
        _ if left_out => (Loaded::Draft(path), problems),
        Some(item) => (
            Loaded::Item(Box::new(C::wrap(Entry::new(item, Some(doc))))),
            problems,
        ),
        None => (Loaded::Failed(Some(path)), problems),
    }
}

pub(crate) fn load_home(doc: Document) -> (Loaded, Vec<Diagnostic>) {
    if doc.name != "_index" {
        let d =
            Diagnostic::error("files at the top of `content/` other than `_index.md` are not used")
                .in_file(&doc.path)
                .help("move the file into `content/pages/` to make it a page");
        return (Loaded::Failed(None), vec![d]);
    }
    match front_matter::parse_all::<page::RawHome>(doc.yaml_source()) {
        Ok(raw) => (
            Loaded::Item(Box::new(Item::Home(Entry::new(
                page::check_home(raw),
                Some(doc),
            )))),
            Vec::new(),
        ),
        Err(found) => (Loaded::Failed(Some(content_path(&doc))), found),
    }
}

pub(crate) fn load_page(
    doc: Document,
    ctx: &LoadContext,
    include_drafts: bool,
) -> (Loaded, Vec<Diagnostic>) {
    let path = content_path(&doc);
    let raw: page::RawPage = match front_matter::parse_all(doc.yaml_source()) {
        Ok(raw) => raw,
        Err(found) => return (Loaded::Failed(Some(path)), found),
    };
    let left_out = raw.draft && !include_drafts;
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
        Loaded::Item(Box::new(Page::wrap(Entry::new(page, Some(doc))))),
        problems,
    )
}
