//! What every collection of content items has in common, and the one list of collections.
//!
//! A collection is a folder under `content/` whose files are items of one type: members,
//! pages, events, courses (`training/`), … Each collection's module defines its raw
//! front-matter struct, its checked type and an `impl Collection` that says everything the
//! rest of the program needs to know about it: its folder (which is also its URL), its titles,
//! how an item is checked, which members an item names. [`for_each_collection!`] lists the
//! collections once (in `model/mod.rs`); the [`Site`] struct, the item enum, loading, body rendering, link
//! checking, `serve`'s dependency rules, the fuzzers and the page jobs are all made from that
//! list, each layer passing it a macro or a [`Visit`]or of its own.

use std::collections::BTreeMap;

use serde::de::DeserializeOwned;

use super::check::{Checker, LoadContext};
use super::load::{self, Loaded};
use super::{Entry, Item, Site, for_each_collection};
use crate::content::Document;
use crate::diag::Diagnostic;

/// A collection of content items: one folder under `content/`, one type.
pub(crate) trait Collection:
    Stored + Clone + PartialEq + Send + Sync + std::fmt::Debug + 'static
{
    /// The folder under `content/`, which is also the first segment of the items' URLs and
    /// the `collection` templates see: `training`.
    const KEY: &'static str;
    /// The title of the collection's list page: `Joint catalogues`.
    const TITLE: &'static str;
    /// The shorter name menus use: `Catalogues`.
    const MENU: &'static str;
    /// Whether other collections name its items, so that it loads in the first round and
    /// they are checked against it (members, funding, free pages).
    const FIRST: bool = false;
    /// The front matter as written; its JSON Schema is what editors and the CMS are given
    /// (`crate::schema`).
    type Raw: DeserializeOwned + schemars::JsonSchema;

    /// Whether the front matter says `draft: true`.
    fn is_draft(raw: &Self::Raw) -> bool;

    /// Checks an item's fields, each problem reported to `check`. `None` when the item is
    /// unusable as a whole (the problems say why).
    fn check(slug: String, raw: Self::Raw, check: &mut Checker<'_>) -> Option<Self>;

    /// The item's identity in the collection: the file name without `.md`.
    fn slug(&self) -> &str;

    /// What the item is called on its page and in lists.
    fn title(&self) -> &str;

    /// The summary the author wrote, if any.
    fn summary(&self) -> Option<&str>;

    /// The members the item names (organiser, participants, partners…), for the "takes part
    /// in" lists of their pages. Each at most once is not required.
    fn members(&self) -> Vec<&str> {
        Vec::new()
    }

    /// Whether the item is still current as of `now` (an event not over, an open call, a
    /// running project): naming a former member is then a warning. Past items name former
    /// members freely.
    fn is_current(&self, _now: jiff::civil::Date) -> bool {
        false
    }

    /// The items in the order a member's page lists them: by file name unless the collection
    /// has an order of its own (events: coming first).
    fn in_member_order(site: &Site) -> Vec<&Entry<Self>> {
        Self::entries(site).values().collect()
    }

    /// Checks that need the whole site (the members' profiles), once everything is loaded.
    fn check_in_site(_site: &Site) -> Vec<Diagnostic> {
        Vec::new()
    }

    /// Loads one document of the collection's folder. Collections whose files may sit in
    /// sub-folders (free pages) load differently.
    fn load(doc: Document, ctx: &LoadContext, include_drafts: bool) -> (Loaded, Vec<Diagnostic>) {
        load::flat::<Self>(doc, ctx, include_drafts)
    }
}

/// Where a collection's items are kept in the [`Site`]: made for every collection of
/// [`for_each_collection!`] in `model/mod.rs`.
pub(crate) trait Stored: Sized {
    /// The collection's items in the site, by slug.
    fn entries(site: &Site) -> &BTreeMap<String, Entry<Self>>;
    fn entries_mut(site: &mut Site) -> &mut BTreeMap<String, Entry<Self>>;
    /// The item as one of any collection.
    fn wrap(entry: Entry<Self>) -> Item;
}

/// Does something for each collection: [`each`] calls `visit` once per collection, in the
/// order of [`for_each_collection!`].
pub(crate) trait Visit {
    fn visit<C: Collection>(&mut self);
}

macro_rules! visit_all {
    ($($field:ident: $ty:ty => $variant:ident),* $(,)?) => {
        /// Calls `v.visit::<C>()` for every collection `C`.
        pub(crate) fn each(v: &mut impl Visit) {
            $(v.visit::<$ty>();)*
        }
    };
}
for_each_collection!(visit_all);
