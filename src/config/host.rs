//! Free static hosts, as `hosting:` in `cluster.yaml` names them: what each one is called,
//! which files it reads from the published folder, and the limits it puts on a site.
//!
//! Data only: the files a host reads are rendered by `render::host_files` and
//! `render::csp`, and the finished site is held against the limits by `output`.

use crate::config::Config;

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
}
