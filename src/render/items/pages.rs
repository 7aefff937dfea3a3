//! Free pages: one page each, with the template the page names or `pages-item.html`.

use serde::Serialize;
use tera::Value;

use super::{Shown, value};
use crate::model::collection::Collection;
use crate::model::page::Page;
use crate::model::{Entry, Site};
use crate::render::pages::{Job, Shared, item_template};
use crate::url::paths;

/// A free page in a list: what a menu or an index of pages needs.
#[derive(Serialize)]
pub struct PageView<'a> {
    pub name: &'a str,
    pub title: &'a str,
    pub url: String,
    pub description: Option<&'a str>,
}

impl Shown for Page {
    fn value(site: &Site, e: &Entry<Self>) -> Value {
        value(&PageView {
            name: &e.item.name,
            title: &e.item.title,
            url: site.config.urls.path(&paths::page(&e.item.name)),
            description: e.item.description.as_deref(),
        })
    }

    fn jobs<'s>(site: &'s Site, _: &Shared, jobs: &mut Vec<Job<'s>>) {
        for (name, entry) in &site.pages {
            // A page not written in this language is linked in the one it is written in.
            if site.config.urls.elsewhere(&paths::page(name)).is_some() {
                continue;
            }
            let template = entry
                .item
                .template
                .clone()
                .unwrap_or_else(|| item_template(Self::KEY));
            let mut job = Job::new(
                paths::page(name),
                &template,
                "page",
                entry.item.title.clone(),
            )
            .var("content", Value::safe_string(&entry.html));
            job.description = entry.item.description.clone();
            job.summary = Some(entry.summary.clone()).filter(|s| !s.is_empty());
            job.extra = Value::from_serializable(&entry.item.extra);
            jobs.push(job);
        }
    }

    /// Free pages are in the menu as `navigation` in `cluster.yaml` lists them.
    fn menu(_: &Site) -> Vec<(&'static str, &'static str, usize)> {
        Vec::new()
    }
}
