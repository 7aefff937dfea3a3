//! The main menu's entries as every page shows them: `partials/menu.html`, rendered once for
//! each way the menu can look (which entries are the current page's) rather than once per
//! page. A site of 10,000 members has 14,000 pages and a handful of menus; the loop over the
//! entries was a twentieth of a build's work when each page ran it.

use std::collections::HashMap;
use std::sync::RwLock;

use tera::{Context, Value};

use super::theme::Theme;
use crate::diag::Diagnostic;

/// The menus made so far, by the entries they mark as current.
pub(crate) struct Menus {
    /// The entries' addresses and titles, as `site.navigation` lists them.
    entries: Vec<(String, Value)>,
    /// The site's base path (`/`, `/my-cluster/`).
    base_path: String,
    made: RwLock<HashMap<Vec<bool>, Value>>,
}

impl Menus {
    /// The menus of the site whose value is `site_value` (its `navigation` and `base_path`).
    pub fn new(site_value: &Value) -> Menus {
        let entries = (site_value.get_from_path("navigation"))
            .and_then(Value::as_array)
            .unwrap_or_default()
            .iter()
            .filter_map(|item| {
                let url = item.get_from_path("url")?.as_str()?.to_string();
                let title = item.get_from_path("title")?.clone();
                Some((url, title))
            })
            .collect();
        let base_path = (site_value.get_from_path("base_path"))
            .and_then(Value::as_str)
            .unwrap_or("/")
            .to_string();
        Menus {
            entries,
            base_path,
            made: RwLock::new(HashMap::new()),
        }
    }

    /// The menu of the page at `url` in the section `section` (the first segment of its
    /// path): an entry is the page's when it links to the page or to its section's first
    /// page. An error names the page by its `url`.
    pub fn of(
        &self,
        theme: &Theme,
        site_value: &Value,
        url: &str,
        section: &str,
    ) -> Result<Value, Diagnostic> {
        let section_url = format!("{}{section}/", self.base_path);
        let current: Vec<bool> = (self.entries.iter())
            .map(|(u, _)| u == url || (!section.is_empty() && *u == section_url))
            .collect();
        let made = self.made.read().unwrap_or_else(|e| e.into_inner());
        if let Some(menu) = made.get(&current) {
            return Ok(menu.clone());
        }
        drop(made);
        let entries: Vec<Value> = (self.entries.iter().zip(&current))
            .map(|((url, title), current)| {
                let mut entry = tera::Map::new();
                entry.insert("url".into(), Value::from(url.as_str()));
                entry.insert("title".into(), title.clone());
                entry.insert("current".into(), Value::from(*current));
                Value::from(entry)
            })
            .collect();
        let mut ctx = Context::new();
        ctx.insert_value("site", site_value.clone());
        ctx.insert_value("entries", Value::from(entries));
        let menu = Value::safe_string(&theme.render("partials/menu.html", &ctx, url)?);
        let mut made = self.made.write().unwrap_or_else(|e| e.into_inner());
        made.insert(current, menu.clone());
        Ok(menu)
    }
}
