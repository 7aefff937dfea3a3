//! The internal link check: every `href` and `src` of every page must lead to a file of the
//! finished site, under the base path.
//!
//! Links come from many hands (Markdown bodies, navigation in `cluster.yaml`, templates), so
//! the check runs on the rendered pages, where all of them meet. It catches a page that was
//! renamed, a hand-written `/members/x/` that skips the base path, and a typo in the
//! navigation, and says where the link was written.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashSet};

use rayon::prelude::*;
use rustc_hash::FxHashSet;

use crate::content::Document;
use crate::content::front_matter::Seg;
use crate::diag::{Admit, Diagnostic, Diagnostics, Limiter, Span, did_you_mean};
use crate::model::Site;
use crate::url::{Urls, output_file, paths};

/// A link that leads nowhere, found on a page.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Broken {
    target: String,
    reason: String,
}

/// The link check of one build. Made before the pages are rendered (every output path is
/// known from the plan), it checks each page as it comes out of the templates, so that no
/// page has to be kept in memory for it.
pub struct Checker<'s> {
    site: &'s Site,
    existing: FxHashSet<String>,
    /// Broken links of Markdown bodies, already blamed on their content file: (page, target).
    known: HashSet<(String, String)>,
    body_broken: Vec<(&'s Document, Broken)>,
}

/// Verdicts on links already seen by one worker: most links (navigation, term pages, member
/// cards) repeat on thousands of pages.
pub type Cache = rustc_hash::FxHashMap<String, Option<Broken>>;

impl<'s> Checker<'s> {
    /// `files`: output paths of everything the build writes (pages included).
    pub fn new(site: &'s Site, files: impl Iterator<Item = String>) -> Checker<'s> {
        let urls = &site.config.urls;
        let existing: FxHashSet<String> = files.collect();
        // Bodies first: a broken link there is the author's, with the file to fix.
        let mut bodies: Vec<(String, &Document, &str)> = Vec::new();
        if let Some(doc) = &site.home.doc {
            bodies.push((urls.output(&paths::home()), doc, &site.home.html));
        }
        struct Bodies<'s, 'a> {
            site: &'s Site,
            bodies: &'a mut Vec<(String, &'s Document, &'s str)>,
        }
        impl<'s> crate::model::collection::Visit for Bodies<'s, '_> {
            fn visit<C: crate::model::collection::Collection>(&mut self) {
                for (slug, e) in C::entries(self.site) {
                    if let Some(doc) = &e.doc {
                        let path = match C::KEY {
                            "pages" => paths::page(slug),
                            key => paths::item(key, slug),
                        };
                        let path = self.site.config.urls.output(&path);
                        self.bodies.push((path, doc, &e.html));
                    }
                }
            }
        }
        crate::model::collection::each(&mut Bodies {
            site,
            bodies: &mut bodies,
        });
        let found: Vec<(&Document, String, Broken)> = bodies
            .par_iter()
            .flat_map_iter(|(path, doc, html)| {
                link_targets(html)
                    .into_iter()
                    .filter_map(|t| check_target(&t, path, &existing, urls))
                    .map(|b| (*doc, path.clone(), b))
                    .collect::<Vec<_>>()
            })
            .collect();
        let known = found
            .iter()
            .map(|(_, page, b)| (page.clone(), b.target.clone()))
            .collect();
        Checker {
            site,
            existing,
            known,
            body_broken: found.into_iter().map(|(d, _, b)| (d, b)).collect(),
        }
    }

    /// The broken links of one rendered page that its Markdown body does not already explain.
    pub fn page(&self, path: &str, html: &str, cache: &mut Cache) -> Vec<Broken> {
        let urls = &self.site.config.urls;
        let mut out = Vec::new();
        for t in link_targets(html) {
            // A relative link means something else on every page; only absolute ones are
            // remembered.
            let verdict = if t.starts_with('/') {
                match cache.get(t.as_ref()) {
                    Some(v) => v.clone(),
                    None => {
                        // A resized image is written after the pages: it is known by being
                        // asked for (looked at first: a page of logos has many).
                        let v = match self.is_resized(t.trim()) {
                            true => None,
                            false => check_target(&t, path, &self.existing, urls),
                        };
                        cache.insert(t.to_string(), v.clone());
                        v
                    }
                }
            } else {
                check_target(&t, path, &self.existing, urls)
            };
            if let Some(b) = verdict
                && !self.known.contains(&(path.to_string(), b.target.clone()))
            {
                out.push(b);
            }
        }
        out
    }

    /// Whether `target` is a resized image a template asked for (written after the pages).
    fn is_resized(&self, target: &str) -> bool {
        let urls = &self.site.config.urls;
        (urls.site_path_of(target))
            .filter(|p| p.starts_with(crate::images::library::FOLDER))
            .is_some_and(|p| match p.contains('%') {
                true => self.site.images.is_wanted(&percent_decode(p)),
                false => self.site.images.is_wanted(p),
            })
    }

    /// The `url(...)` references of the site's own stylesheets (in `static/`): one that skips
    /// the base path or leads to no file breaks the look of every page.
    pub fn stylesheets(&self, files: &BTreeMap<String, crate::render::Output>) -> Diagnostics {
        let config = &self.site.config;
        let mut diags = Diagnostics::new();
        for (path, output) in files {
            let crate::render::Output::Copy(source) = output else {
                continue;
            };
            if !path.ends_with(".css") {
                continue;
            }
            let Some(css) = (self.site.static_contents.get(path))
                .and_then(|bytes| std::str::from_utf8(bytes).ok())
            else {
                continue;
            };
            for (offset, target) in stylesheet_targets(css) {
                if target.starts_with("data:") || target.starts_with('#') {
                    continue;
                }
                let Some(b) = check_target(target, path, &self.existing, &config.urls) else {
                    continue;
                };
                let before = &css[..offset];
                let span = Span {
                    line: before.matches('\n').count() + 1,
                    column: before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1,
                    len: target.chars().count(),
                };
                let file = source
                    .strip_prefix(&config.root)
                    .map(std::path::Path::to_path_buf)
                    .unwrap_or_else(|_| source.clone());
                let d = Diagnostic::error(format!("`url({target})` {}", b.reason))
                    .in_file(file)
                    .at(css, span)
                    .help("write addresses in a stylesheet relative to the stylesheet (`../fonts/a.woff2`): they then work under any base path");
                diags.push(as_configured(config, d));
            }
        }
        diags
    }

    /// Redirects (`redirects:` in `cluster.yaml`) to a path of the site where nothing is.
    pub fn redirects(&self) -> Diagnostics {
        let config = &self.site.config;
        let mut diags = Diagnostics::new();
        for r in &config.redirects {
            if let Some(b) = check_target(&r.to, "", &self.existing, &config.urls) {
                let d = config.error_at(
                    &[Seg::Key("redirects"), Seg::Index(r.index), Seg::Key("to")],
                    &format!("redirects[{}].to", r.index),
                    (
                        format!("redirect to `{}` {}", b.target, b.reason),
                        "redirect to a page of the site, e.g. `/members/`".into(),
                    ),
                );
                diags.push(as_configured(config, d));
            }
        }
        diags
    }

    /// Every broken link as a diagnostic: body links in their content file, the same broken
    /// link of a template or the navigation once, with the pages it is on.
    pub fn report(self, page_broken: Vec<(String, Broken)>) -> Diagnostics {
        let site = self.site;
        let urls = &site.config.urls;
        // The pages to suggest, listed on the first broken link (most builds have none).
        let page_paths = std::cell::OnceCell::<Vec<String>>::new();
        let suggest = |d: Diagnostic, target: &str| {
            let bare = target.split(['#', '?']).next().unwrap_or("");
            let pages = page_paths.get_or_init(|| {
                let mut pages: Vec<String> = self
                    .existing
                    .iter()
                    .filter(|f| f.ends_with("index.html"))
                    .map(|f| urls.asset(f.trim_end_matches("index.html")))
                    .collect();
                pages.sort();
                pages
            });
            match did_you_mean(bare, pages.iter().map(String::as_str)) {
                Some(best) if best != bare => d.help(format!("did you mean `{best}`?")),
                _ => d.help(format!("link to a page of the site; links that start with `/` must start with the base path `{}`", urls.base_path())),
            }
        };

        let mut diags = Diagnostics::new();
        // One text at a time, read once; only the first few broken links of a text are
        // located and get a suggestion, the rest are counted (issue 17: 4,000 broken links in
        // one text took seconds, each re-reading the text and comparing against every page).
        let mut by_doc: BTreeMap<&std::path::Path, (&Document, Vec<Broken>)> = BTreeMap::new();
        for (doc, b) in self.body_broken {
            by_doc
                .entry(&doc.path)
                .or_insert((doc, Vec::new()))
                .1
                .push(b);
        }
        for (doc, broken) in by_doc.into_values() {
            let text = doc.source_text(&site.config.root);
            let mut limiter = Limiter::default();
            for b in broken {
                let admit = limiter.admit("broken links");
                if admit == Admit::Count {
                    continue;
                }
                let mut d = Diagnostic::error(format!("link to `{}` {}", b.target, b.reason))
                    .in_file(&doc.path);
                if let Some(span) = find_in_source(&text, &b.target, urls.base_path()) {
                    d = d.at(&text, span);
                }
                let d = as_configured(&site.config, suggest(d, &b.target));
                match admit {
                    Admit::Summarise => limiter.summarise("broken links", d),
                    _ => diags.push(d),
                }
            }
            diags.extend(limiter.finish());
        }
        let mut grouped: BTreeMap<Broken, Vec<String>> = BTreeMap::new();
        for (page, b) in page_broken {
            grouped.entry(b).or_default().push(urls.path(&page));
        }
        for (b, mut on_pages) in grouped {
            on_pages.sort();
            let count = on_pages.len();
            let where_ = if count > 1 {
                format!(" (on `{}` and {} other pages)", on_pages[0], count - 1)
            } else {
                format!(" (on `{}`)", on_pages[0])
            };
            let message = format!("link to `{}` {}{where_}", b.target, b.reason);
            let nav =
                site.config.navigation.iter().position(
                    |l| matches!(l, crate::config::NavItem::Link(l) if l.url == b.target),
                );
            let d = match nav {
                Some(i) => site.config.error_at(
                    &[Seg::Key("navigation"), Seg::Index(i), Seg::Key("url")],
                    &format!("navigation[{i}].url"),
                    (message, String::new()),
                ),
                None => Diagnostic::error(message).in_file("templates"),
            };
            diags.push(as_configured(&site.config, suggest(d, &b.target)));
        }
        diags
    }
}

/// A broken-link error as `build.broken_links` wants it: an error or a warning.
fn as_configured(config: &crate::config::Config, mut d: Diagnostic) -> Diagnostic {
    if config.broken_links == crate::config::BrokenLinks::Warning {
        d.severity = crate::diag::Severity::Warning;
    }
    d
}

/// Where a link target was written in a content file: as a Markdown destination `(target`
/// or an attribute `"target"`, with or without the base path the renderer added.
fn find_in_source(text: &str, target: &str, base_path: &str) -> Option<Span> {
    let mut candidates = vec![target.to_string()];
    if base_path != "/"
        && let Some(rest) = target.strip_prefix(base_path.trim_end_matches('/'))
    {
        candidates.push(rest.to_string());
    }
    for candidate in &candidates {
        for pattern in [
            format!("({candidate}"),
            format!("\"{candidate}"),
            format!("<{candidate}"),
        ] {
            if let Some(at) = text.find(&pattern) {
                let start = at + 1;
                let before = &text[..start];
                let line = before.matches('\n').count() + 1;
                let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                return Some(Span {
                    line,
                    column,
                    len: candidate.chars().count(),
                });
            }
        }
    }
    None
}

/// The addresses in `href`, `src` and `srcset` attributes, with HTML entities for `&` undone.
///
/// Only real tags are read: text (including code that shows HTML) has its `<` escaped, so
/// `href="` inside text is never taken for a link. Attribute values are escaped too, so the
/// nearest `<` or `>` before an attribute tells whether it stands in a tag.
fn link_targets(html: &str) -> Vec<Cow<'_, str>> {
    // One pass over the page for each `=`, the attribute's name read back from there: one
    // byte is looked for much faster than three patterns, and the pages are 150 MB at
    // 10,000 members.
    let bytes = html.as_bytes();
    let mut out = Vec::new();
    for at in memchr::memchr_iter(b'=', bytes) {
        if bytes.get(at + 1) != Some(&b'"') {
            continue;
        }
        let before = &bytes[..at];
        let (name, is_srcset) = if before.ends_with(b"href") {
            (4, false)
        } else if before.ends_with(b"srcset") {
            (6, true)
        } else if before.ends_with(b"src") {
            (3, false)
        } else {
            continue;
        };
        let name_at = at - name;
        let attribute_starts = name_at > 0 && bytes[name_at - 1].is_ascii_whitespace();
        let in_tag = match memchr::memrchr2(b'<', b'>', &bytes[..name_at]) {
            Some(open) => {
                bytes[open] == b'<' && !matches!(bytes.get(open + 1), Some(b'!' | b'/' | b'?'))
            }
            None => false,
        };
        if !(attribute_starts && in_tag) {
            continue;
        }
        let start = at + 2;
        let Some(len) = memchr::memchr(b'"', &bytes[start..]) else {
            continue;
        };
        let value = &html[start..start + len];
        if is_srcset {
            // `a.jpg 1x, /b.jpg 2x`: each candidate's address, before its width or density.
            for candidate in value.split(',') {
                if let Some(address) = candidate.split_whitespace().next() {
                    out.push(unescape(address));
                }
            }
        } else {
            out.push(unescape(value));
        }
    }
    out
}

/// An attribute value with the entities the templates write for `&` and `/` undone.
fn unescape(v: &str) -> Cow<'_, str> {
    if v.contains('&') {
        Cow::Owned(v.replace("&amp;", "&").replace("&#x2F;", "/"))
    } else {
        Cow::Borrowed(v)
    }
}

/// The addresses in the `url(...)` of a stylesheet, with their byte offsets.
fn stylesheet_targets(css: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    for (at, _) in css.match_indices("url(") {
        let rest = &css[at + 4..];
        let Some(end) = rest.find(')') else { break };
        let raw = &rest[..end];
        let value = raw.trim().trim_matches(['"', '\'']).trim();
        let offset = at + 4 + raw.find(value).unwrap_or(0);
        out.push((offset, value));
    }
    out
}

fn check_target(
    target: &str,
    page: &str,
    existing: &FxHashSet<String>,
    urls: &Urls,
) -> Option<Broken> {
    let t = target.trim();
    if t.is_empty()
        || t.starts_with('#')
        || t.starts_with("//")
        || t.contains("://")
        || t.starts_with("mailto:")
        || t.starts_with("tel:")
    {
        return None;
    }
    let bare = t.split(['#', '?']).next().unwrap_or("");
    let site_path = if bare.starts_with('/') {
        match urls.site_path_of(bare) {
            Some(p) => p.to_string(),
            None => {
                return Some(Broken {
                    target: t.to_string(),
                    reason: format!("skips the base path `{}`", urls.base_path()),
                });
            }
        }
    } else {
        resolve_relative(page, bare)?
    };
    let decoded = if site_path.contains('%') {
        percent_decode(&site_path)
    } else {
        site_path
    };
    let file = output_file(&decoded);
    if existing.contains(&file) || existing.contains(&format!("{decoded}/index.html")) {
        return None;
    }
    Some(Broken {
        target: t.to_string(),
        reason: "leads to no page or file of the site".into(),
    })
}

/// Resolves a relative link against the site path of the page it is on.
fn resolve_relative(page: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop(); // the page's own file name (empty for `dir/`)
    for seg in link.split('/') {
        match seg {
            "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(b) = u8::from_str_radix(s.get(i + 1..i + 3).unwrap_or(""), 16)
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> (FxHashSet<String>, Urls) {
        let existing = [
            "index.html",
            "members/index.html",
            "members/acme/index.html",
            "clusterpress.css",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        (existing, Urls::new("https://x.example/sub/").unwrap())
    }

    #[test]
    fn links_under_the_base_path_to_real_pages_pass() {
        let (e, u) = site();
        for ok in [
            "/sub/",
            "/sub/members/",
            "/sub/members/acme/#products",
            "/sub/members/acme",
            "/sub/clusterpress.css",
            "https://else.example/",
            "#top",
            "mailto:a@b.example",
            "webcal://x.example/sub/events.ics",
        ] {
            assert_eq!(check_target(ok, "members/", &e, &u), None, "{ok}");
        }
    }

    #[test]
    fn links_that_skip_the_base_path_or_lead_nowhere_fail() {
        let (e, u) = site();
        assert!(
            check_target("/members/acme/", "", &e, &u)
                .unwrap()
                .reason
                .contains("base path")
        );
        assert!(
            check_target("/sub/members/acme-robotic/", "", &e, &u)
                .unwrap()
                .reason
                .contains("no page")
        );
    }

    #[test]
    fn relative_links_resolve_from_the_page() {
        let (e, u) = site();
        assert_eq!(check_target("../acme/", "members/beta/", &e, &u), None);
        assert_eq!(check_target("acme/", "members/", &e, &u), None);
        assert!(check_target("../nope/", "members/beta/", &e, &u).is_some());
    }

    #[test]
    fn targets_are_read_from_quoted_attributes() {
        let html =
            r#"<a href="/a/">x</a><img src="/b.png" alt=""><a class="c" href="/c/?x=1&amp;y=2">"#;
        assert_eq!(link_targets(html), vec!["/a/", "/b.png", "/c/?x=1&y=2"]);
        let code = r#"<code>&lt;a href="/nope/"&gt;</code><p>see href="/nope/"</p>"#;
        assert!(link_targets(code).is_empty());
        let responsive = r#"<img src="a.jpg" srcset="a.jpg 1x, /sub/b%20c.jpg 2x,c.jpg" alt="">"#;
        assert_eq!(
            link_targets(responsive),
            vec!["a.jpg", "a.jpg", "/sub/b%20c.jpg", "c.jpg"]
        );
    }

    #[test]
    fn stylesheet_addresses_are_found_with_their_place() {
        let css = "a{background:url( '/img/a.png' )}\n@font-face{src:url(../fonts/b.woff2)}";
        let found = stylesheet_targets(css);
        assert_eq!(
            found.iter().map(|f| f.1).collect::<Vec<_>>(),
            ["/img/a.png", "../fonts/b.woff2"]
        );
        assert_eq!(&css[found[0].0..found[0].0 + 10], "/img/a.png");
    }
}
