//! Every URL of the site comes from here.
//!
//! A site can live under a sub-path (`https://org.github.io/my-cluster/`), so no part of the
//! code may write `/members/` by itself: pages are named by *site paths* (`members/acme/`,
//! relative to the site root, no leading slash), and [`Urls`] turns them into the path a link
//! needs (`/my-cluster/members/acme/`) or the absolute permalink feeds and sitemaps need.
//!
//! A site in several languages has each language's pages (and its feeds and calendars)
//! under a prefix (`de/`), added here and nowhere else: [`Urls::path`] is for those, while
//! [`Urls::asset`] is for the files all languages share (static files, open data, the
//! sitemap). *Output paths* are relative to the output folder and include the prefix
//! (`de/members/acme/`); in a site of one language they equal the site paths.

/// The site's address, split into origin and base path, and the language its pages are in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Urls {
    /// `https://example.org`, without a trailing slash.
    origin: String,
    /// `/` or `/my-cluster/`: always starts and ends with a slash.
    base_path: String,
    /// `de/` in a site of several languages, empty in a site of one.
    prefix: String,
    /// Pages that exist in some of the site's languages only (news and free pages not
    /// translated into every language): site path → those languages, the original's first.
    /// A link to one from a language it is not in leads to the original.
    versions: std::sync::Arc<std::collections::BTreeMap<String, Vec<String>>>,
    /// Items whose address differs by language (`slug: {fr: …}`): language → the item's
    /// site path (`members/acme/`) → its path in that language (`members/acme-fr/`).
    slugs: Slugs,
}

/// See [`Urls::slugs`](Urls).
pub type Slugs =
    std::sync::Arc<std::collections::BTreeMap<String, std::collections::BTreeMap<String, String>>>;

impl Urls {
    /// Parses a `base_url` such as `https://org.github.io/my-cluster`.
    pub fn new(base_url: &str) -> Result<Urls, String> {
        let parsed = url::Url::parse(base_url.trim())
            .map_err(|e| format!("`{base_url}` is not a valid URL ({e})"))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(format!(
                "`{base_url}` must start with https:// (or http://)"
            ));
        }
        let Some(host) = parsed.host_str() else {
            return Err(format!("`{base_url}` has no host name"));
        };
        if parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(format!(
                "`{base_url}` must not have a `?query` or `#fragment`"
            ));
        }
        let origin = match parsed.port() {
            Some(port) => format!("{}://{host}:{port}", parsed.scheme()),
            None => format!("{}://{host}", parsed.scheme()),
        };
        let mut base_path = parsed.path().to_string();
        if !base_path.ends_with('/') {
            base_path.push('/');
        }
        Ok(Urls {
            origin,
            base_path,
            prefix: String::new(),
            versions: Default::default(),
            slugs: Default::default(),
        })
    }

    /// The same address for the pages of one language of a site of several: under `de/`.
    pub fn in_language(&self, code: &str) -> Urls {
        Urls {
            prefix: format!("{code}/"),
            ..self.clone()
        }
    }

    /// The same address, knowing which pages exist in some languages only (see `versions`).
    pub fn with_versions(
        &self,
        versions: std::sync::Arc<std::collections::BTreeMap<String, Vec<String>>>,
    ) -> Urls {
        Urls {
            versions,
            ..self.clone()
        }
    }

    /// The same address, knowing the items whose address differs by language.
    pub fn with_slugs(&self, slugs: Slugs) -> Urls {
        Urls {
            slugs,
            ..self.clone()
        }
    }

    /// `site_path` in language `lang`: an item's own address there, if it has one
    /// (`members/acme/factsheet/` → `members/acme-fr/factsheet/`).
    fn localized<'p>(&self, lang: &str, site_path: &'p str) -> std::borrow::Cow<'p, str> {
        let Some(moved) = self.slugs.get(lang) else {
            return site_path.into();
        };
        // The item's own path: its first two segments (`members/acme/`), or, for a free
        // page, every folder of it (`pages/legal/imprint/`).
        let mut ends = site_path.match_indices('/').map(|(i, _)| i + 1);
        let two = ends.nth(1);
        let mut candidates: Vec<usize> = two.into_iter().collect();
        if site_path.starts_with("pages/") {
            candidates.extend(ends);
        }
        for end in candidates.into_iter().rev() {
            if let Some(to) = moved.get(&site_path[..end]) {
                return format!("{to}{}", &site_path[end..]).into();
            }
        }
        site_path.into()
    }

    /// Every page that exists in some languages only, with those languages.
    pub fn versions(&self) -> impl Iterator<Item = (&String, &Vec<String>)> {
        self.versions.iter()
    }

    /// The languages the page at `site_path` exists in, if not every language of the site.
    pub fn languages_of(&self, site_path: &str) -> Option<&[String]> {
        if self.versions.is_empty() {
            return None;
        }
        let bare = site_path.trim_start_matches('/');
        let bare = bare.split(['#', '?']).next().unwrap_or("");
        self.versions.get(bare).map(Vec::as_slice)
    }

    /// The language a link to `site_path` leads to, when it is not this page's own: the
    /// page exists in other languages only.
    pub fn elsewhere(&self, site_path: &str) -> Option<&str> {
        let langs = self.languages_of(site_path)?;
        let own = self.prefix.trim_end_matches('/');
        match langs.iter().any(|l| l == own) {
            true => None,
            false => langs.first().map(String::as_str),
        }
    }

    /// The language prefix (`de/`), empty in a site of one language.
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The output path of a site path of this language's: `members/` → `de/members/`.
    pub fn output(&self, site_path: &str) -> String {
        let site_path = site_path.trim_start_matches('/');
        match self.prefix.is_empty() {
            true => site_path.to_string(),
            false => {
                let lang = self.prefix.trim_end_matches('/');
                format!("{}{}", self.prefix, self.localized(lang, site_path))
            }
        }
    }

    /// The base path, `/` or `/sub/path/`.
    pub fn base_path(&self) -> &str {
        &self.base_path
    }

    /// The link for a site path: `members/acme/` → `/my-cluster/members/acme/`. Characters
    /// a URL path cannot hold (spaces, quotes, letters beyond ASCII in a static file's name)
    /// are percent-encoded: `logos/bäckerei logo.svg` → `/logos/b%C3%A4ckerei%20logo.svg`.
    /// In a site of several languages, the page in this language: `/de/members/acme/`.
    pub fn path(&self, site_path: &str) -> String {
        let site_path = site_path.trim_start_matches('/');
        let lang = match self.elsewhere(site_path) {
            Some(lang) => lang,
            None => self.prefix.trim_end_matches('/'),
        };
        if lang.is_empty() {
            return self.join("", site_path);
        }
        self.join(&format!("{lang}/"), &self.localized(lang, site_path))
    }

    /// The link for a file all languages share (a static file, open data, the sitemap):
    /// `logos/acme.svg` → `/my-cluster/logos/acme.svg`, without a language prefix.
    pub fn asset(&self, site_path: &str) -> String {
        self.join("", site_path)
    }

    /// A link whose kind is told by its form, for themes (`url(path=…)`) and root links in
    /// Markdown: a file (a last segment with an extension) is shared by all languages,
    /// except feeds and calendars, which each language has; anything else is a page.
    pub fn link(&self, site_path: &str) -> String {
        match is_shared_file(site_path) {
            true => self.asset(site_path),
            false => self.path(site_path),
        }
    }

    fn join(&self, prefix: &str, site_path: &str) -> String {
        let site_path = site_path.trim_start_matches('/');
        let mut s = String::with_capacity(self.base_path.len() + prefix.len() + site_path.len());
        s.push_str(&self.base_path);
        s.push_str(prefix);
        s.extend(percent_encoding::utf8_percent_encode(
            site_path,
            NOT_IN_PATH,
        ));
        s
    }

    /// The absolute URL for a site path, for sitemaps, feeds, canonical and OpenGraph tags.
    pub fn permalink(&self, site_path: &str) -> String {
        format!("{}{}", self.origin, self.path(site_path))
    }

    /// The absolute URL of a file all languages share (see [`Urls::asset`]).
    pub fn asset_permalink(&self, site_path: &str) -> String {
        format!("{}{}", self.origin, self.asset(site_path))
    }

    /// The output path of a URL path this site produced (`/my-cluster/de/members/` →
    /// `de/members/`), or `None` if it lies outside the site.
    pub fn site_path_of<'a>(&self, url_path: &'a str) -> Option<&'a str> {
        url_path.strip_prefix(self.base_path.as_str()).or_else(|| {
            (url_path.len() + 1 == self.base_path.len() && self.base_path.starts_with(url_path))
                .then_some("")
        })
    }
}

/// Whether `site_path` names a file all languages share (see [`Urls::link`]).
pub fn is_shared_file(site_path: &str) -> bool {
    let bare = site_path.split(['?', '#']).next().unwrap_or("");
    let last = bare.rsplit('/').next().unwrap_or("");
    last.contains('.')
        && !last.ends_with(".ics")
        && !(last.ends_with(".xml") && last != "sitemap.xml")
}

/// What a URL path cannot hold as it is (besides bytes beyond ASCII, which are always
/// encoded). `%`, `?` and `#` are left alone: a theme's `url(path="members/?sector=x")` or an
/// already encoded path keeps its meaning.
const NOT_IN_PATH: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'<')
    .add(b'>')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'|')
    .add(b'\\')
    .add(b'^');

/// The file a site path is written to: `members/acme/` → `members/acme/index.html`.
pub fn output_file(site_path: &str) -> String {
    if site_path.is_empty() || site_path.ends_with('/') {
        format!("{site_path}index.html")
    } else {
        site_path.to_string()
    }
}

/// Site paths of the pages every site has. Kept together so that they cannot drift apart.
pub mod paths {
    pub fn home() -> String {
        String::new()
    }
    pub fn members() -> String {
        "members/".into()
    }
    pub fn member(slug: &str) -> String {
        format!("members/{slug}/")
    }
    /// A page of a long directory: the members under one letter (`a`, or `0-9`), page `n`
    /// of them, from 1.
    pub fn members_letter(letter: &str, n: usize) -> String {
        match n {
            1 => format!("members/a-z/{letter}/"),
            n => format!("members/a-z/{letter}/{n}/"),
        }
    }
    /// Page `n` (from 1) of a long list at `path`: `events/`, `events/page/2/`.
    pub fn nth(path: &str, n: usize) -> String {
        match n {
            1 => path.to_string(),
            n => format!("{path}page/{n}/"),
        }
    }
    /// A capability's page of a long supply chain: who offers it, who needs it.
    pub fn supply_line(capability: &str) -> String {
        format!("supply-chain/{capability}/")
    }
    /// The past events of a year, when there are too many to list on one page.
    pub fn past_events(year: &str) -> String {
        format!("events/past/{year}/")
    }
    /// The site search's page, beside its index (`search/index.json`…).
    pub fn search() -> String {
        "search/".into()
    }
    /// The data a long directory's instant search and facets read.
    pub fn members_data() -> String {
        "members/directory.json".into()
    }
    /// The page of an item of a collection: `events/hannover-2027/`.
    pub fn item(collection: &str, slug: &str) -> String {
        format!("{collection}/{slug}/")
    }
    /// The list page of a collection: `events/`.
    pub fn list(collection: &str) -> String {
        format!("{collection}/")
    }
    pub fn page(name: &str) -> String {
        format!("pages/{name}/")
    }
    pub fn taxonomy(key: &str) -> String {
        format!("{key}/")
    }
    pub fn term(key: &str, term_slug: &str) -> String {
        format!("{key}/{term_slug}/")
    }
    /// The cluster brochure: every member, for print.
    pub fn brochure() -> String {
        "brochure/".into()
    }
    /// A member's one-page fact sheet, for print.
    pub fn factsheet(slug: &str) -> String {
        format!("members/{slug}/factsheet/")
    }
    /// A joint catalogue as a brochure, for print.
    pub fn catalogue_brochure(slug: &str) -> String {
        format!("catalogues/{slug}/brochure/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_site_paths() {
        let u = Urls::new("https://cluster.example").unwrap();
        assert_eq!(u.path("members/acme/"), "/members/acme/");
        assert_eq!(u.path(""), "/");
        assert_eq!(u.permalink("members/"), "https://cluster.example/members/");
    }

    #[test]
    fn sub_path_is_kept_in_every_url() {
        for base in [
            "https://org.github.io/my-cluster",
            "https://org.github.io/my-cluster/",
        ] {
            let u = Urls::new(base).unwrap();
            assert_eq!(u.base_path(), "/my-cluster/");
            assert_eq!(u.path("members/acme/"), "/my-cluster/members/acme/");
            assert_eq!(u.path("/style.css"), "/my-cluster/style.css");
            assert_eq!(u.path(""), "/my-cluster/");
            assert_eq!(
                u.permalink("sitemap.xml"),
                "https://org.github.io/my-cluster/sitemap.xml"
            );
            assert_eq!(u.site_path_of("/my-cluster/members/"), Some("members/"));
            assert_eq!(
                u.path("logos/bäckerei logo (2).svg"),
                "/my-cluster/logos/b%C3%A4ckerei%20logo%20(2).svg"
            );
            assert_eq!(u.site_path_of("/my-cluster"), Some(""));
            assert_eq!(u.site_path_of("/members/"), None);
        }
    }

    #[test]
    fn pages_feeds_and_calendars_get_the_language_prefix_shared_files_do_not() {
        let u = Urls::new("https://org.github.io/my-cluster/")
            .unwrap()
            .in_language("fr");
        assert_eq!(u.path("members/acme/"), "/my-cluster/fr/members/acme/");
        assert_eq!(u.path(""), "/my-cluster/fr/");
        assert_eq!(u.asset("logos/a.svg"), "/my-cluster/logos/a.svg");
        assert_eq!(
            u.link("members/?sector=x"),
            "/my-cluster/fr/members/?sector=x"
        );
        assert_eq!(u.link("news/atom.xml"), "/my-cluster/fr/news/atom.xml");
        assert_eq!(u.link("events.ics"), "/my-cluster/fr/events.ics");
        assert_eq!(u.link("clusterpress.css"), "/my-cluster/clusterpress.css");
        assert_eq!(u.link("sitemap.xml"), "/my-cluster/sitemap.xml");
        assert_eq!(
            u.asset_permalink("members.json"),
            "https://org.github.io/my-cluster/members.json"
        );
        assert_eq!(u.output("members/"), "fr/members/");
        assert_eq!(
            u.site_path_of("/my-cluster/fr/members/"),
            Some("fr/members/")
        );
        // One language: no prefix anywhere.
        let one = Urls::new("https://x.example/").unwrap();
        assert_eq!(one.link("members/"), one.asset("members/"));
        assert_eq!(one.output("members/"), "members/");
    }

    #[test]
    fn ports_are_kept_and_bad_bases_rejected() {
        assert_eq!(
            Urls::new("http://127.0.0.1:1111/").unwrap().permalink(""),
            "http://127.0.0.1:1111/"
        );
        assert!(Urls::new("ftp://x.example/").is_err());
        assert!(Urls::new("not a url").is_err());
        assert!(Urls::new("https://x.example/?a=1").is_err());
    }

    #[test]
    fn output_files_use_index_html() {
        assert_eq!(output_file(""), "index.html");
        assert_eq!(output_file("members/acme/"), "members/acme/index.html");
        assert_eq!(output_file("404.html"), "404.html");
    }
}
