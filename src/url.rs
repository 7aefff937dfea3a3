//! Every URL of the site comes from here.
//!
//! A site can live under a sub-path (`https://org.github.io/my-cluster/`), so no part of the
//! code may write `/members/` by itself: pages are named by *site paths* (`members/acme/`,
//! relative to the site root, no leading slash), and [`Urls`] turns them into the path a link
//! needs (`/my-cluster/members/acme/`) or the absolute permalink feeds and sitemaps need.
//! When languages arrive, the language prefix is added here and nowhere else.

/// The site's address, split into origin and base path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Urls {
    /// `https://example.org`, without a trailing slash.
    origin: String,
    /// `/` or `/my-cluster/`: always starts and ends with a slash.
    base_path: String,
}

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
        Ok(Urls { origin, base_path })
    }

    /// The base path, `/` or `/sub/path/`.
    pub fn base_path(&self) -> &str {
        &self.base_path
    }

    /// The link for a site path: `members/acme/` → `/my-cluster/members/acme/`. Characters
    /// a URL path cannot hold (spaces, quotes, letters beyond ASCII in a static file's name)
    /// are percent-encoded: `logos/bäckerei logo.svg` → `/logos/b%C3%A4ckerei%20logo.svg`.
    pub fn path(&self, site_path: &str) -> String {
        let site_path = site_path.trim_start_matches('/');
        let mut s = String::with_capacity(self.base_path.len() + site_path.len());
        s.push_str(&self.base_path);
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

    /// The site path of a URL path this site produced, or `None` if it lies outside the site.
    pub fn site_path_of<'a>(&self, url_path: &'a str) -> Option<&'a str> {
        url_path.strip_prefix(self.base_path.as_str()).or_else(|| {
            (url_path.len() + 1 == self.base_path.len() && self.base_path.starts_with(url_path))
                .then_some("")
        })
    }
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
