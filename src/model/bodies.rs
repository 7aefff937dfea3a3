//! Markdown bodies of every item, rendered once, with `@/` links resolved against the site.

use std::collections::BTreeMap;

use rayon::prelude::*;

use super::collection::{self, Collection, Visit};
use super::{Entry, Site};
use crate::content::Document;
use crate::content::markdown::{self, MarkdownOptions, Resolved};
use crate::diag::{Admit, Diagnostic, Diagnostics, Limiter, Span, did_you_mean, message_kind};
use crate::url::paths;

/// Every Markdown body of a site, rendered ([`bodies`]) but not yet in its items
/// ([`put_bodies`]): the home page's, each collection's in the order [`collection::each`]
/// visits them, then former members'.
pub(crate) struct Bodies(Vec<Vec<Rendered>>);

/// Renders every Markdown body, resolving `@/` links against the loaded items. It reads the
/// site only, so that it can run beside other work that does.
pub(crate) fn bodies(site: &Site) -> Bodies {
    let render_entry = body_renderer(site);
    let mut all = vec![vec![render_entry(&site.home.doc)]];
    struct Every<'a, R> {
        site: &'a Site,
        render_entry: &'a R,
        all: &'a mut Vec<Vec<Rendered>>,
    }
    impl<R: Fn(&Option<Document>) -> Rendered + Sync> Visit for Every<'_, R> {
        fn visit<C: Collection>(&mut self) {
            let entries = C::entries(self.site);
            let rendered = entries.par_iter().map(|(_, e)| (self.render_entry)(&e.doc));
            self.all.push(rendered.collect());
        }
    }
    collection::each(&mut Every {
        site,
        render_entry: &render_entry,
        all: &mut all,
    });
    // Former members' texts are shown on their plain pages.
    let former = site.former.par_iter().map(|(_, e)| render_entry(&e.doc));
    all.push(former.collect());
    Bodies(all)
}

/// Puts the rendered bodies into their items, lets go of the texts they were made from, and
/// returns their problems.
pub(crate) fn put_bodies(site: &mut Site, bodies: Bodies) -> Diagnostics {
    let mut lists = bodies.0.into_iter();
    let mut diags = Diagnostics::new();
    let mut next = || lists.next().unwrap_or_default();
    if let Some((html, summary, d)) = next().pop() {
        site.home.html = html;
        site.home.summary = summary;
        if let Some(doc) = &mut site.home.doc {
            doc.release_text();
        }
        diags.extend(d);
    }
    struct Every<'a, N> {
        site: &'a mut Site,
        next: &'a mut N,
        diags: &'a mut Diagnostics,
    }
    impl<N: FnMut() -> Vec<Rendered>> Visit for Every<'_, N> {
        fn visit<C: Collection>(&mut self) {
            let d = put(C::entries_mut(self.site), (self.next)());
            self.diags.extend(d);
        }
    }
    collection::each(&mut Every {
        site,
        next: &mut next,
        diags: &mut diags,
    });
    diags.extend(put(&mut site.former, next()));
    diags
}

/// Renders the body of one reloaded item (`serve`), like [`render_bodies`] does every item's.
pub(crate) fn render_body<T>(site: &Site, entry: &mut Entry<T>) -> Vec<Diagnostic> {
    let (html, summary, diags) = body_renderer(site)(&entry.doc);
    entry.html = html;
    entry.summary = summary;
    if let Some(doc) = &mut entry.doc {
        doc.release_text();
    }
    diags
}

/// Renders a document's body into (HTML, summary, problems), resolving `@/` links against
/// the items of `site`.
fn body_renderer(site: &Site) -> impl Fn(&Option<Document>) -> Rendered + Sync + use<> {
    let urls = site.config.urls.clone();
    let mut targets: BTreeMap<String, String> = BTreeMap::new();
    targets.insert("_index.md".into(), urls.path(&paths::home()));
    struct Targets<'a> {
        site: &'a Site,
        targets: &'a mut BTreeMap<String, String>,
    }
    impl Visit for Targets<'_> {
        fn visit<C: Collection>(&mut self) {
            let urls = &self.site.config.urls;
            for (slug, e) in C::entries(self.site) {
                let url = match C::KEY {
                    "pages" => paths::page(slug),
                    key => paths::item(key, e.item.slug()),
                };
                self.targets
                    .insert(format!("{}/{slug}.md", C::KEY), urls.path(&url));
            }
        }
    }
    collection::each(&mut Targets {
        site,
        targets: &mut targets,
    });
    // A former member's page, where the site keeps one (`former_members: page`).
    if site.config.former_members == crate::config::FormerMembers::Page {
        for slug in site.former.keys() {
            targets.insert(
                format!("members/{slug}.md"),
                urls.path(&paths::member(slug)),
            );
        }
    }
    // Without pages, links to former members become plain text (`Resolved::Text`).
    let former: std::collections::BTreeSet<String> = site
        .former
        .keys()
        .map(|slug| format!("members/{slug}.md"))
        .collect();
    let drafts = site.drafts.clone();
    let failed = site.failed.clone();
    let resolve = move |target: &str| -> Result<Resolved, (String, Option<String>)> {
        let target = target.trim_start_matches('/');
        if let Some(url) = targets.get(target) {
            return Ok(Resolved::Url(url.clone()));
        }
        if failed.contains(target) {
            // Its own errors are reported; do not repeat them here.
            return Ok(Resolved::Url("#".into()));
        }
        if former.contains(target) {
            return Ok(Resolved::Text {
                message: format!(
                    "`@/{target}` is a former member without a page (`former_members: none`); the link is shown as plain text"
                ),
                help: Some("remove the link, or set `former_members: page` in cluster.yaml".into()),
            });
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
    let allow_html = site.config.allow_html;
    let language = site.config.language.clone();
    let locale = site.config.locale.clone();
    let base_path = urls.base_path().to_string();
    let prefix = urls.prefix().to_string();
    let prefixes = site.config.prefixes();
    move |doc: &Option<Document>| -> Rendered {
        let Some(doc) = doc else {
            return Default::default();
        };
        let opts = MarkdownOptions {
            allow_html,
            resolve: &resolve,
            base_path: &base_path,
            prefix: &prefix,
            prefixes: &prefixes,
        };
        let (rendered, problems) = markdown::render(doc.body(), doc.body_line, &opts);
        // Each shown problem quotes its line, found from the start of the text: only the
        // first few of a kind are shown, so that a body with thousands of bad links is not
        // read thousands of times.
        let mut limiter = Limiter::default();
        let mut diags = Vec::new();
        for p in problems {
            let kind = message_kind(&p.message);
            let admit = limiter.admit(&kind);
            if admit == Admit::Count {
                continue;
            }
            let made = match p.warning {
                true => Diagnostic::warning(p.message),
                false => Diagnostic::error(p.message),
            };
            let mut d = made.in_file(&doc.path).at(
                &doc.text,
                Span {
                    line: p.line,
                    column: p.column,
                    len: p.len.max(1),
                },
            );
            if let Some(h) = p.help {
                d = d.help(h);
            }
            match admit {
                Admit::Summarise => limiter.summarise(&kind, d),
                _ => diags.push(d),
            }
        }
        diags.extend(limiter.finish());
        let html = match doc.lang.as_deref() {
            // A text not translated into this page's language is shown as written, marked
            // with its language (for screen readers, hyphenation and translation tools)
            // and a note saying which: never passed off as a translation.
            Some(lang) if lang != language && !rendered.html.is_empty() => {
                in_other_language(&rendered.html, lang, &locale)
            }
            _ => rendered.html,
        };
        (html, rendered.summary, diags)
    }
}

/// `html` in language `lang`, on a page in the language of `locale`.
fn in_other_language(html: &str, lang: &str, locale: &crate::i18n::Locale) -> String {
    let name = locale
        .language_in_text(lang)
        .unwrap_or_else(|| lang.to_uppercase());
    let note = locale.fill("other_language.written_in", &[("language", &name)]);
    let note = crate::text::escape_html(&note);
    format!(
        "<div lang=\"{lang}\" class=\"in-other-language\"><p class=\"language-note\" lang=\"{page}\">{note}</p>\n{html}</div>",
        page = locale.code
    )
}

type Rendered = (String, String, Vec<Diagnostic>);

/// Puts `rendered` into the entries of `map`, in order.
fn put<T>(map: &mut BTreeMap<String, Entry<T>>, rendered: Vec<Rendered>) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    for (entry, (html, summary, d)) in map.values_mut().zip(rendered) {
        entry.html = html;
        entry.summary = summary;
        if let Some(doc) = &mut entry.doc {
            doc.release_text();
        }
        diags.extend(d);
    }
    diags
}
