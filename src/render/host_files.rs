//! The files a host reads beside the site (`hosting:` in `cluster.yaml`): `.nojekyll` and
//! `CNAME` for GitHub Pages, `.domains` for Codeberg Pages, `_redirects` where the host
//! follows it, and otherwise a small page for each redirect. (`_headers` is made once the
//! pages are known: see [`super::csp`].)

use std::collections::{BTreeMap, HashSet};

use super::Output;
use crate::config::Config;
use crate::config::host::{Host, custom_domain};
use crate::content::front_matter::Seg;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::Site;
use crate::url::output_file;

/// The files the host reads beside the site (`.nojekyll`, `CNAME`, `_redirects`, redirect
/// pages), except those the site has in static/. A redirect from the address of a page or
/// file of the site is an error: it would hide it.
pub(crate) fn host_files(
    site: &Site,
    page_paths: &[String],
    files: &BTreeMap<String, Output>,
    diags: &mut Diagnostics,
) -> Vec<(String, Vec<u8>)> {
    let config = &site.config;
    let pages: HashSet<String> = page_paths.iter().map(|p| output_file(p)).collect();
    // Whether the host answers it with a rule (`_redirects`) or a page, a redirect from where
    // a page or file is would never be followed.
    for r in &config.redirects {
        let file = output_file(&r.from);
        if pages.contains(&file) || files.contains_key(&file) {
            diags.push(config.error_at(
                &[Seg::Key("redirects"), Seg::Index(r.index), Seg::Key("from")],
                &format!("redirects[{}].from", r.index),
                (
                    format!(
                        "`{}` is a page or file of the site; a redirect from there would hide it",
                        config.urls.asset(&r.from)
                    ),
                    "redirect only addresses that no longer exist, such as the old site's".into(),
                ),
            ));
        }
    }
    let mut made = files_for(config);
    // The site's own file wins; one that says something else is worth a word (a `CNAME` for
    // another domain would move the site).
    for (path, bytes) in &made {
        let same = match files.get(path) {
            None => continue,
            Some(Output::Copy(_)) => (site.static_contents.get(path))
                .is_some_and(|theirs| theirs.trim_ascii() == bytes.trim_ascii()),
            Some(Output::Bytes(theirs)) => theirs.trim_ascii() == bytes.trim_ascii(),
            Some(Output::Embedded(theirs)) => theirs.trim_ascii() == bytes.trim_ascii(),
        };
        if !same {
            diags.push(
                Diagnostic::warning(format!(
                    "`static/{path}` is published instead of the `{path}` that the build writes for the host"
                ))
                .in_file(format!("static/{path}"))
                .help(format!(
                    "remove `static/{path}` to publish the generated one (it says: `{}`)",
                    String::from_utf8_lossy(bytes.trim_ascii()).lines().next().unwrap_or("")
                )),
            );
        }
    }
    made.retain(|(path, _)| !pages.contains(path) && !files.contains_key(path));
    made
}

/// The `_redirects` file: one permanent redirect a line, paths with the base path (GitLab
/// Pages wants the project's path in them); in a site of several languages, first the
/// temporary one from the top to the default language.
fn redirects_file(config: &Config) -> Vec<u8> {
    let mut out = String::from("# Written by clusterpress from `redirects:` in cluster.yaml.\n");
    if config.multilingual() {
        out.push_str(&format!(
            "{} {} 302\n",
            config.urls.asset(""),
            config.urls.path("")
        ));
    }
    for r in &config.redirects {
        out.push_str(&format!("{} {} 301\n", config.urls.asset(&r.from), r.to));
    }
    out.into_bytes()
}

/// A page that sends the browser on to `to`, for hosts without `_redirects`: search engines
/// read the canonical address, browsers follow the refresh at once, and a person without
/// either gets a link.
fn redirect_page(config: &Config, to: &str) -> Vec<u8> {
    let canonical = match to
        .starts_with('/')
        .then(|| config.urls.site_path_of(to))
        .flatten()
    {
        Some(output_path) => config.urls.asset_permalink(output_path),
        None => to.to_string(),
    };
    let esc = super::sitemap::escape_xml;
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>Moved</title><meta name=\"robots\" content=\"noindex\"><link rel=\"canonical\" href=\"{canonical}\"><meta http-equiv=\"refresh\" content=\"0; url={to}\"></head><body><p>This page has moved to <a href=\"{to}\">{to}</a>.</p></body></html>\n",
        lang = config.language,
        canonical = esc(&canonical),
        to = esc(to),
    )
    .into_bytes()
}

/// The top page of a site of several languages: it sends browsers on to the default
/// language's home page at once, tells search engines where each language is, and offers a
/// person without either a link to each, in its own language.
fn language_root(config: &Config) -> Vec<u8> {
    let esc = super::sitemap::escape_xml;
    let home = |code: &str| config.urls.in_language(code).path("");
    let default = home(&config.language);
    let mut alternates = String::new();
    let mut links = String::new();
    for l in &config.languages {
        let url = config.urls.in_language(&l.code).permalink("");
        alternates.push_str(&format!(
            "<link rel=\"alternate\" hreflang=\"{code}\" href=\"{url}\">",
            code = esc(&l.code),
            url = esc(&url)
        ));
        links.push_str(&format!(
            "<li><a href=\"{href}\" hreflang=\"{code}\" lang=\"{code}\">{name}</a></li>",
            href = esc(&home(&l.code)),
            code = esc(&l.code),
            name = esc(&l.name)
        ));
    }
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{name}</title>{alternates}<link rel=\"alternate\" hreflang=\"x-default\" href=\"{root}\"><meta http-equiv=\"refresh\" content=\"0; url={default}\"></head><body><h1>{name}</h1><ul>{links}</ul></body></html>\n",
        lang = esc(&config.language),
        name = esc(&config.name),
        root = esc(&config.urls.asset_permalink("")),
        default = esc(&default),
    )
    .into_bytes()
}

/// The files `config.hosting` reads beside the site, except `_headers` (made once the pages
/// are known): `(output path, bytes)`.
pub(crate) fn files_for(config: &Config) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    let host = config.hosting;
    match host {
        Some(Host::Github) => {
            // Without it GitHub Pages would run the folder through Jekyll, which hides files
            // and folders whose names start with `_`.
            files.push((".nojekyll".to_string(), Vec::new()));
            if let Some(domain) = custom_domain(config, Host::Github) {
                files.push(("CNAME".to_string(), format!("{domain}\n").into_bytes()));
            }
        }
        Some(Host::Codeberg) => {
            if let Some(domain) = custom_domain(config, Host::Codeberg) {
                files.push((".domains".to_string(), format!("{domain}\n").into_bytes()));
            }
        }
        _ => {}
    }
    if config.multilingual() {
        files.push(("index.html".to_string(), language_root(config)));
    }
    if !config.redirects.is_empty()
        || (config.multilingual() && host.is_some_and(Host::reads_redirects))
    {
        if host.is_some_and(Host::reads_redirects) {
            files.push(("_redirects".to_string(), redirects_file(config)));
        } else {
            for r in &config.redirects {
                files.push((output_file(&r.from), redirect_page(config, &r.to)));
            }
        }
    }
    files
}
