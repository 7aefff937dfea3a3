//! Free static hosts: what each one reads from the published folder, and the limits it puts
//! on a site.
//!
//! `hosting: github` (or `gitlab`, `netlify`, `cloudflare`, `codeberg`) in `cluster.yaml`
//! makes the build write the files that host understands — `.nojekyll` and `CNAME` for GitHub
//! Pages, `.domains` for Codeberg Pages, `_headers` for Netlify and Cloudflare Pages,
//! `_redirects` where the host follows it — and check the finished site against the host's
//! limits before it replaces the previous one.

use std::collections::BTreeSet;
use std::sync::Mutex;

use crate::config::Config;
use crate::content::front_matter::Seg;
use crate::diag::{Diagnostics, Severity};

/// A static host the site is published on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Host {
    Github,
    Gitlab,
    Netlify,
    Cloudflare,
    Codeberg,
}

impl Host {
    pub const ALL: [Host; 5] = [
        Host::Github,
        Host::Gitlab,
        Host::Netlify,
        Host::Cloudflare,
        Host::Codeberg,
    ];

    /// The name written in `cluster.yaml` and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Host::Github => "github",
            Host::Gitlab => "gitlab",
            Host::Netlify => "netlify",
            Host::Cloudflare => "cloudflare",
            Host::Codeberg => "codeberg",
        }
    }

    /// The host's name for people.
    pub fn title(self) -> &'static str {
        match self {
            Host::Github => "GitHub Pages",
            Host::Gitlab => "GitLab Pages",
            Host::Netlify => "Netlify",
            Host::Cloudflare => "Cloudflare Pages",
            Host::Codeberg => "Codeberg Pages",
        }
    }

    pub fn from_name(name: &str) -> Option<Host> {
        Host::ALL.into_iter().find(|h| h.name() == name)
    }

    /// The domain the host gives every site; an address elsewhere is a custom domain.
    fn own_domain(self) -> &'static str {
        match self {
            Host::Github => "github.io",
            Host::Gitlab => "gitlab.io",
            Host::Netlify => "netlify.app",
            Host::Cloudflare => "pages.dev",
            Host::Codeberg => "codeberg.page",
        }
    }

    /// Whether the host sets response headers from a `_headers` file.
    pub fn reads_headers(self) -> bool {
        matches!(self, Host::Netlify | Host::Cloudflare)
    }

    /// Whether the host answers with redirects listed in a `_redirects` file. Elsewhere a
    /// redirect is a small page that sends the browser on.
    pub fn reads_redirects(self) -> bool {
        matches!(self, Host::Gitlab | Host::Netlify | Host::Cloudflare)
    }

    /// What the host accepts, as its documentation states it.
    pub fn limits(self) -> Limits {
        const MIB: u64 = 1024 * 1024;
        match self {
            Host::Cloudflare => Limits {
                files: Some(20_000),
                file_bytes: Some(25 * MIB),
                total_bytes: None,
                redirects: Some(2_000),
            },
            Host::Github => Limits {
                files: None,
                file_bytes: None,
                total_bytes: Some(1_000_000_000),
                redirects: None,
            },
            Host::Gitlab => Limits {
                files: Some(200_000),
                file_bytes: None,
                total_bytes: Some(1_000_000_000),
                redirects: Some(1_000),
            },
            Host::Netlify | Host::Codeberg => Limits::default(),
        }
    }
}

/// The most a host publishes; `None`: no limit it documents.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Limits {
    pub files: Option<u64>,
    pub file_bytes: Option<u64>,
    pub total_bytes: Option<u64>,
    pub redirects: Option<usize>,
}

/// A kind of output file, for the advice on what to leave out when a site is too large.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Page,
    FactSheet,
    Pdf,
    Calendar,
    VCard,
    Other,
}

impl Kind {
    const ALL: [Kind; 6] = [
        Kind::Page,
        Kind::FactSheet,
        Kind::Pdf,
        Kind::Calendar,
        Kind::VCard,
        Kind::Other,
    ];

    pub fn of(path: &str) -> Kind {
        if path.ends_with("/factsheet/index.html") {
            Kind::FactSheet
        } else if path.ends_with(".html") {
            Kind::Page
        } else if path.ends_with(".pdf") {
            Kind::Pdf
        } else if path.ends_with(".ics") {
            Kind::Calendar
        } else if path.ends_with(".vcf") {
            Kind::VCard
        } else {
            Kind::Other
        }
    }

    fn index(self) -> usize {
        self as usize
    }

    /// What these files are, and how to leave them out.
    fn advice(self, n: usize) -> String {
        let (one, many, how) = match self {
            Kind::Page => (
                "page",
                "pages",
                "one for each member, item and list: the site itself",
            ),
            Kind::FactSheet => (
                "member fact sheet",
                "member fact sheets",
                "`brochures: {enabled: false}` leaves them out",
            ),
            Kind::Pdf => ("PDF", "PDFs", "`brochures: {pdf: false}` leaves them out"),
            Kind::Calendar => (
                "calendar file",
                "calendar files",
                "`build: {calendars: false}` leaves them out",
            ),
            Kind::VCard => (
                "vCard",
                "vCards",
                "`build: {open_data: false}` leaves them and members.json/.csv out",
            ),
            Kind::Other => (
                "other file",
                "other files",
                "mostly from `static/`: remove or shrink what is not needed",
            ),
        };
        format!("{} ({how})", counted(n, one, many))
    }
}

/// What a build wrote, counted as it was written (from many threads).
#[derive(Debug, Default)]
pub struct Tally {
    inner: Mutex<Counts>,
}

/// The counts of a finished build.
#[derive(Debug, Default, Clone)]
pub struct Counts {
    pub files: u64,
    pub bytes: u64,
    /// The largest file: output path and size.
    pub largest: Option<(String, u64)>,
    /// Files and bytes per [`Kind`].
    by_kind: [(u64, u64); Kind::ALL.len()],
    /// Files of 10 MB or more, for the per-file limits.
    pub big: Vec<(String, u64)>,
}

impl Tally {
    pub fn add(&self, path: &str, bytes: u64) {
        let kind = Kind::of(path).index();
        let mut c = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        c.files += 1;
        c.bytes += bytes;
        c.by_kind[kind].0 += 1;
        c.by_kind[kind].1 += bytes;
        if c.largest
            .as_ref()
            .is_none_or(|(p, b)| bytes > *b || (bytes == *b && path < p.as_str()))
        {
            c.largest = Some((path.to_string(), bytes));
        }
        if bytes >= 10_000_000 {
            c.big.push((path.to_string(), bytes));
        }
    }

    pub fn counts(&self) -> Counts {
        let mut c = self.inner.lock().unwrap_or_else(|e| e.into_inner()).clone();
        c.big.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        c
    }

    /// Counts the files a build copies or writes after the pages, without writing them.
    pub fn add_files(&self, files: &std::collections::BTreeMap<String, crate::render::Output>) {
        use crate::render::Output;
        for (path, output) in files {
            let bytes = match output {
                Output::Bytes(b) => b.len() as u64,
                Output::Embedded(b) => b.len() as u64,
                Output::Copy(source) => std::fs::metadata(source).map_or(0, |m| m.len()),
            };
            self.add(path, bytes);
        }
    }
}

/// `check` counts what a build would write without writing it.
impl crate::render::PageSink for Tally {
    fn put(&self, file: &str, bytes: &[u8]) -> std::io::Result<()> {
        self.add(file, bytes.len() as u64);
        Ok(())
    }
}

impl Counts {
    /// The kinds with the most files (or bytes), largest first, as advice.
    fn biggest_kinds(&self, by_bytes: bool) -> String {
        let mut kinds: Vec<(Kind, u64, u64)> = Kind::ALL
            .into_iter()
            .map(|k| (k, self.by_kind[k.index()].0, self.by_kind[k.index()].1))
            .filter(|(_, n, _)| *n > 0)
            .collect();
        kinds.sort_by_key(|(_, n, b)| std::cmp::Reverse(if by_bytes { *b } else { *n }));
        kinds
            .iter()
            .take(3)
            .map(|(k, n, b)| {
                let advice = k.advice(*n as usize);
                if by_bytes {
                    format!("{}: {advice}", size(*b))
                } else {
                    advice
                }
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// A size for people: `840 KB`, `58.2 MB`, `1.20 GB`.
pub fn size(bytes: u64) -> String {
    if bytes < 1_000_000 {
        format!("{} KB", bytes.div_ceil(1000))
    } else if bytes < 1_000_000_000 {
        format!("{:.1} MB", bytes as f64 / 1e6)
    } else {
        format!("{:.2} GB", bytes as f64 / 1e9)
    }
}

/// `1 vCard`, `12,000 vCards`.
pub fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", count(n as u64), if n == 1 { one } else { many })
}

/// A count for people: `20,000`.
pub fn count(n: u64) -> String {
    crate::diag::thousands(n as usize)
}

/// Reads one of the limits.
type Pick = fn(Limits) -> Option<u64>;

/// The share of a limit from which a build warns that the site is getting close.
const NEAR: f64 = 0.9;

/// Errors for every limit of `config.hosting` the finished site breaks, warnings for those it
/// comes close to (90 %).
pub fn check_limits(config: &Config, counts: &Counts) -> Diagnostics {
    let mut diags = Diagnostics::new();
    let Some(host) = config.hosting else {
        return diags;
    };
    let limits = host.limits();
    let title = host.title();
    let mut say = |over: bool, message: String, help: String| {
        let mut d = config.error_at(&[Seg::Key("hosting")], "hosting", (message, help));
        if !over {
            d.severity = Severity::Warning;
        }
        diags.push(d);
    };
    // The other hosts documented to take more of what this one has too little room for.
    let other_hosts = |pick: Pick| {
        let mine = pick(limits);
        let roomier: Vec<&str> = Host::ALL
            .into_iter()
            .filter(|h| *h != host)
            .filter(|h| matches!((pick(h.limits()), mine), (Some(x), Some(y)) if x > y))
            .map(Host::title)
            .collect();
        match roomier.as_slice() {
            [] => String::new(),
            hosts => format!("; or publish on {}", hosts.join(" or ")),
        }
    };
    // The number of files, then the whole size.
    let measures: [(Pick, u64, bool); 2] = [
        (|l| l.files, counts.files, false),
        (|l| l.total_bytes, counts.bytes, true),
    ];
    for (pick, n, in_bytes) in measures {
        let Some(max) = pick(limits) else { continue };
        if (n as f64) < max as f64 * NEAR {
            continue;
        }
        let over = n > max;
        let close = if over { "" } else { " (it is close)" };
        let (message, help) = if in_bytes {
            (
                format!(
                    "the site is {}; {title} publishes at most {}{close}",
                    size(n),
                    size(max)
                ),
                format!("the most space goes to {}", counts.biggest_kinds(true)),
            )
        } else {
            (
                format!(
                    "the site has {} files; {title} publishes at most {}{close}",
                    count(n),
                    count(max)
                ),
                format!("the most files are {}", counts.biggest_kinds(false)),
            )
        };
        say(over, message, format!("{help}{}", other_hosts(pick)));
    }
    if let (Some(max), true) = (limits.redirects, host.reads_redirects()) {
        let n = config.redirects.len();
        if n > max {
            say(
                true,
                format!(
                    "`redirects:` has {} entries; {title} follows at most {}",
                    count(n as u64),
                    count(max as u64)
                ),
                "keep the addresses that are still linked from elsewhere (search engines, partners' sites) and drop the rest".into(),
            );
        }
    }
    if let Some(max) = limits.file_bytes {
        let too_big: Vec<&(String, u64)> = counts.big.iter().filter(|(_, b)| *b > max).collect();
        if let Some((first, bytes)) = too_big.first() {
            let more = match too_big.len() {
                1 => String::new(),
                n => format!(
                    " and {} more {}",
                    count(n as u64 - 1),
                    if n == 2 { "file" } else { "files" }
                ),
            };
            say(
                true,
                format!(
                    "`{first}` is {}{more}; {title} publishes no file larger than {} MiB",
                    size(*bytes),
                    max / (1024 * 1024)
                ),
                format!(
                    "shrink it (compress images, split long PDFs) or publish it elsewhere and link to it{}",
                    other_hosts(|l| l.file_bytes)
                ),
            );
        }
    }
    diags
}

/// The host whose own domain `base_url` is on (`https://acme.github.io/x/` → GitHub Pages).
pub fn host_of_address(base_url: &str) -> Option<Host> {
    let url = url::Url::parse(base_url).ok()?;
    let domain = url.domain()?;
    Host::ALL.into_iter().find(|h| {
        let own = h.own_domain();
        domain == own || domain.ends_with(&format!(".{own}"))
    })
}

/// The custom domain of the site on `host`: the host name of its address, unless that is the
/// host's own domain, a local address or an IP address (a preview build).
pub fn custom_domain(config: &Config, host: Host) -> Option<String> {
    let url = url::Url::parse(&config.base_url).ok()?;
    let domain = url.domain()?;
    let own = host.own_domain();
    if domain == own
        || domain.ends_with(&format!(".{own}"))
        || domain == "localhost"
        || domain.ends_with(".localhost")
        || !domain.contains('.')
    {
        return None;
    }
    Some(domain.to_string())
}

/// What a page needs the Content-Security-Policy to allow, gathered from the finished pages:
/// the theme's inline `<style>` elements (allowed by their hashes) and, on sites that publish
/// raw HTML, anything else inline.
#[derive(Debug, Default)]
pub struct InlineSources {
    inner: Mutex<Inline>,
}

#[derive(Debug, Default)]
struct Inline {
    styles: BTreeSet<String>,
    scripts: BTreeSet<String>,
    style_attributes: bool,
}

impl InlineSources {
    /// Notes what `html`, a finished page, holds inline.
    pub fn scan(&self, html: &[u8]) {
        use memchr::memmem::Finder;
        use std::sync::LazyLock;
        static STYLE: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("<style"));
        static SCRIPT: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("<script"));
        static ATTRIBUTE: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new("style="));
        // Only the few places that matter are looked at (a page has thousands of tags): the
        // elements by their opening, the attribute where it stands inside a tag.
        let mut styles: Vec<&[u8]> = Vec::new();
        let mut scripts: Vec<&[u8]> = Vec::new();
        for (finder, is_style) in [(&*STYLE, true), (&*SCRIPT, false)] {
            let mut at = 0;
            while let Some(found) = finder.find(&html[at..]) {
                let start = at + found + finder.needle().len();
                at = start;
                if !matches!(
                    html.get(start),
                    Some(b'>' | b' ' | b'\t' | b'\n' | b'\r' | b'/')
                ) {
                    continue;
                }
                let Some(end) = memchr::memchr(b'>', &html[start..]).map(|e| start + e) else {
                    break;
                };
                let tag = &html[start..end];
                if !is_style && (has_attribute(tag, b"src") || is_data_block(tag)) {
                    continue;
                }
                let closing: &[u8] = if is_style { b"</style" } else { b"</script" };
                let body_start = end + 1;
                let Some(len) = memchr::memmem::find(&html[body_start..], closing) else {
                    break;
                };
                let body = &html[body_start..body_start + len];
                if is_style {
                    styles.push(body)
                } else {
                    scripts.push(body)
                }
                at = body_start + len;
            }
        }
        let style_attributes = ATTRIBUTE.find_iter(html).any(|i| {
            let before = i.checked_sub(1).map(|b| html[b]);
            if !before.is_some_and(|b| b.is_ascii_whitespace()) {
                return false;
            }
            // Inside a tag, and not inside a quoted value of another attribute.
            match memchr::memrchr2(b'<', b'>', &html[..i]) {
                Some(open) if html[open] == b'<' => {
                    html[open..i].iter().filter(|b| **b == b'"').count() % 2 == 0
                }
                _ => false,
            }
        });
        if styles.is_empty() && scripts.is_empty() && !style_attributes {
            return;
        }
        fn keep(set: &mut BTreeSet<String>, found: Vec<&[u8]>) {
            for body in found {
                let text = String::from_utf8_lossy(body);
                if !set.contains(text.as_ref()) {
                    set.insert(text.into_owned());
                }
            }
        }
        let mut guard = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let inline = &mut *guard;
        keep(&mut inline.styles, styles);
        keep(&mut inline.scripts, scripts);
        inline.style_attributes |= style_attributes;
    }

    /// The Content-Security-Policy the scanned pages satisfy, at most `max` characters long
    /// (Cloudflare Pages reads `_headers` lines of up to 2,000): past that, inline styles and
    /// then inline scripts are allowed as a whole instead of by their hashes.
    pub fn policy(&self, max: usize) -> String {
        let inline = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let hashes = |set: &BTreeSet<String>| -> String {
            set.iter()
                .map(|s| format!(" 'sha256-{}'", sha256_base64(s.as_bytes())))
                .collect()
        };
        let make = |styles: &str, scripts: &str| {
            format!(
                "default-src 'self'; script-src 'self'{scripts}; style-src 'self'{styles}; img-src 'self' data:; font-src 'self'; connect-src 'self'; media-src 'self'; object-src 'none'; frame-ancestors 'self'; base-uri 'self'; form-action 'self'"
            )
        };
        const WHOLE: &str = " 'unsafe-inline'";
        // Hashes make browsers ignore 'unsafe-inline'; style attributes need it alone.
        let styles = match inline.style_attributes {
            true => WHOLE.to_string(),
            false => hashes(&inline.styles),
        };
        let scripts = hashes(&inline.scripts);
        [
            make(&styles, &scripts),
            make(WHOLE, &scripts),
            make(WHOLE, if scripts.is_empty() { "" } else { WHOLE }),
        ]
        .into_iter()
        .find(|p| p.len() <= max)
        .unwrap_or_else(|| make(WHOLE, WHOLE))
    }
}

/// Whether the tag (its text between `<` and `>`) has the attribute `name`.
fn has_attribute(tag: &[u8], name: &[u8]) -> bool {
    let mut rest = tag;
    while let Some(i) = memchr::memmem::find(rest, name) {
        let before = if i == 0 { b'<' } else { rest[i - 1] };
        let after = rest.get(i + name.len()).copied().unwrap_or(b'>');
        if before.is_ascii_whitespace() && matches!(after, b'=' | b' ' | b'>' | b'/') {
            // Inside a quoted value it is text, not an attribute.
            let quotes = rest[..i].iter().filter(|b| **b == b'"').count();
            if quotes % 2 == 0 {
                return true;
            }
        }
        rest = &rest[i + name.len()..];
    }
    false
}

/// A `<script>` that holds data (JSON-LD), which browsers do not run and CSP does not govern.
fn is_data_block(tag: &[u8]) -> bool {
    let t = String::from_utf8_lossy(tag).to_ascii_lowercase();
    t.contains("type=\"application/ld+json\"")
        || t.contains("type=application/ld+json")
        || t.contains("type=\"application/json\"")
        || t.contains("type=application/json")
}

fn sha256_base64(bytes: &[u8]) -> String {
    use base64::Engine;
    use sha2::Digest;
    base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(bytes))
}

/// The longest Content-Security-Policy a `_headers` line holds on every host (Cloudflare
/// Pages: 2,000 characters a line, with the header's name).
pub const POLICY_MAX: usize = 2_000 - "  Content-Security-Policy: ".len();

/// The `_headers` file: security headers for every path.
pub fn headers_file(policy: &str) -> Vec<u8> {
    format!(
        "# Written by clusterpress for the host's `_headers` rules.\n/*\n  Content-Security-Policy: {policy}\n  X-Content-Type-Options: nosniff\n  Referrer-Policy: strict-origin-when-cross-origin\n  X-Frame-Options: SAMEORIGIN\n  Permissions-Policy: camera=(), microphone=(), geolocation=()\n"
    )
    .into_bytes()
}

/// A redirect from `redirects:` in `cluster.yaml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    /// The site path it redirects from: `mitglieder/` (no leading slash).
    pub from: String,
    /// Where to: an address, or a link path already prefixed with the base path.
    pub to: String,
    /// Its index in the list, to point at it.
    pub index: usize,
}

/// The `_redirects` file: one permanent redirect a line, paths with the base path (GitLab
/// Pages wants the project's path in them).
pub fn redirects_file(config: &Config) -> Vec<u8> {
    let mut out = String::from("# Written by clusterpress from `redirects:` in cluster.yaml.\n");
    for r in &config.redirects {
        out.push_str(&format!("{} {} 301\n", config.urls.path(&r.from), r.to));
    }
    out.into_bytes()
}

/// A page that sends the browser on to `to`, for hosts without `_redirects`: search engines
/// read the canonical address, browsers follow the refresh at once, and a person without
/// either gets a link.
pub fn redirect_page(config: &Config, to: &str) -> Vec<u8> {
    let canonical = match to
        .starts_with('/')
        .then(|| config.urls.site_path_of(to))
        .flatten()
    {
        Some(site_path) => config.urls.permalink(site_path),
        None => to.to_string(),
    };
    let esc = crate::render::sitemap::escape_xml;
    format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>Moved</title><meta name=\"robots\" content=\"noindex\"><link rel=\"canonical\" href=\"{canonical}\"><meta http-equiv=\"refresh\" content=\"0; url={to}\"></head><body><p>This page has moved to <a href=\"{to}\">{to}</a>.</p></body></html>\n",
        lang = config.language,
        canonical = esc(&canonical),
        to = esc(to),
    )
    .into_bytes()
}

/// The files `config.hosting` reads beside the site, except `_headers` (made once the pages
/// are known): `(output path, bytes)`.
pub fn host_files(config: &Config) -> Vec<(String, Vec<u8>)> {
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
    if !config.redirects.is_empty() {
        if host.is_some_and(Host::reads_redirects) {
            files.push(("_redirects".to_string(), redirects_file(config)));
        } else {
            for r in &config.redirects {
                files.push((
                    crate::url::output_file(&r.from),
                    redirect_page(config, &r.to),
                ));
            }
        }
    }
    files
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_on_a_host_domain_names_the_host() {
        assert_eq!(
            host_of_address("https://acme.github.io/cluster/"),
            Some(Host::Github)
        );
        assert_eq!(
            host_of_address("https://x.pages.dev/"),
            Some(Host::Cloudflare)
        );
        assert_eq!(host_of_address("https://www.my-cluster.org/"), None);
        assert_eq!(host_of_address("http://127.0.0.1:8000/"), None);
        // Not fooled by a look-alike.
        assert_eq!(host_of_address("https://notgithub.io/"), None);
    }

    #[test]
    fn counts_read_for_people() {
        assert_eq!(count(20_000), "20,000");
        assert_eq!(count(999), "999");
        assert_eq!(count(1_234_567), "1,234,567");
        assert_eq!(size(25 * 1024 * 1024), "26.2 MB");
    }

    fn config(extra: &str) -> Config {
        let text = format!("name: T\nbase_url: https://t.example/\n{extra}");
        let (c, d) = crate::config::parse(
            std::path::Path::new("site"),
            text,
            &crate::config::Overrides::default(),
        )
        .unwrap();
        assert!(!d.has_errors());
        c
    }

    #[test]
    fn the_whole_size_is_checked_for_github_with_a_warning_when_close() {
        let github = config("hosting: github\n");
        let tally = Tally::default();
        tally.add("index.html", 20_000);
        tally.add("downloads/fair.mp4", 950_000_000);
        let diags = check_limits(&github, &tally.counts()).into_sorted();
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert!(!diags[0].is_error());
        assert_eq!(
            diags[0].message,
            "the site is 950.0 MB; GitHub Pages publishes at most 1.00 GB (it is close)"
        );
        let help = diags[0].help.as_deref().unwrap();
        assert!(
            help.starts_with("the most space goes to 950.0 MB: 1 other file"),
            "{help}"
        );
        tally.add("downloads/fair-2.mp4", 100_000_000);
        let diags = check_limits(&github, &tally.counts()).into_sorted();
        assert!(diags[0].is_error(), "{diags:?}");
        // Without `hosting:` nothing is checked.
        assert!(check_limits(&config(""), &tally.counts()).is_empty());
        // Cloudflare Pages counts no bytes but refuses the big files, naming the largest.
        let diags = check_limits(&config("hosting: cloudflare\n"), &tally.counts()).into_sorted();
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert!(
            diags[0]
                .message
                .starts_with("`downloads/fair.mp4` is 950.0 MB and 1 more file;"),
            "{}",
            diags[0].message
        );
    }

    #[test]
    fn advice_names_what_makes_the_most_files_and_how_to_leave_it_out() {
        let tally = Tally::default();
        for i in 0..7_000 {
            tally.add(&format!("members/m{i}/index.html"), 9_000);
            tally.add(&format!("members/m{i}/factsheet/index.html"), 7_000);
            tally.add(&format!("members/m{i}/m{i}.vcf"), 400);
        }
        tally.add("events.ics", 3_000);
        let diags = check_limits(&config("hosting: cloudflare\n"), &tally.counts()).into_sorted();
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(
            diags[0].message,
            "the site has 21,001 files; Cloudflare Pages publishes at most 20,000"
        );
        assert_eq!(
            diags[0].help.as_deref(),
            Some(
                "the most files are 7,000 pages (one for each member, item and list: the site itself); 7,000 member fact sheets (`brochures: {enabled: false}` leaves them out); 7,000 vCards (`build: {open_data: false}` leaves them and members.json/.csv out); or publish on GitLab Pages"
            )
        );
    }

    #[test]
    fn inline_styles_are_allowed_by_hash_and_data_blocks_are_not_scripts() {
        let sources = InlineSources::default();
        sources.scan(br#"<html><head><script type="application/ld+json">{"a":1}</script><style>:root{--brand:#0b5c8a}</style><script src="/x.js" defer></script></head></html>"#);
        let policy = sources.policy(POLICY_MAX);
        // echo -n ':root{--brand:#0b5c8a}' | openssl dgst -sha256 -binary | base64
        assert!(
            policy.contains(&format!(
                "style-src 'self' 'sha256-{}'",
                sha256_base64(b":root{--brand:#0b5c8a}")
            )),
            "{policy}"
        );
        assert!(policy.contains("script-src 'self';"), "{policy}");
        assert!(!policy.contains("unsafe-inline"));
    }

    #[test]
    fn a_style_attribute_needs_unsafe_inline_and_an_inline_script_its_hash() {
        let sources = InlineSources::default();
        sources
            .scan(br#"<p style="color:red">x</p><script>alert(1)</script><p title="a style=b">"#);
        let policy = sources.policy(POLICY_MAX);
        assert!(
            policy.contains("style-src 'self' 'unsafe-inline';"),
            "{policy}"
        );
        assert!(policy.contains(&format!("'sha256-{}'", sha256_base64(b"alert(1)"))));
        let quoted = InlineSources::default();
        quoted.scan(br#"<p title="a style=b">"#);
        assert!(!quoted.policy(POLICY_MAX).contains("unsafe-inline"));
    }

    #[test]
    fn a_policy_too_long_for_a_headers_line_allows_inline_styles_as_a_whole() {
        let sources = InlineSources::default();
        for i in 0..100 {
            sources.scan(format!("<style>.c{i}{{color:red}}</style>").as_bytes());
        }
        assert!(sources.policy(usize::MAX).len() > POLICY_MAX);
        let policy = sources.policy(POLICY_MAX);
        assert!(policy.len() <= POLICY_MAX);
        assert!(
            policy.contains("style-src 'self' 'unsafe-inline';"),
            "{policy}"
        );
        assert!(policy.contains("script-src 'self';"), "{policy}");
    }
}
