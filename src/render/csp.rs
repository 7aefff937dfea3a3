//! The Content-Security-Policy of the `_headers` file, for hosts that read one: made from
//! what the finished pages hold inline, so that it allows exactly that.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;

use super::{Output, PageSink};

/// What a page needs the Content-Security-Policy to allow, gathered from the finished pages:
/// the theme's inline `<style>` elements (allowed by their hashes) and, on sites that publish
/// raw HTML, anything else inline.
#[derive(Debug, Default)]
pub struct InlineSources {
    inner: Mutex<Inline>,
}

#[derive(Debug, Default)]
struct Inline {
    /// Other sites images may come from (`https://tile.openstreetmap.org`).
    image_origins: BTreeSet<String>,
    styles: BTreeSet<String>,
    scripts: BTreeSet<String>,
    style_attributes: bool,
}

impl InlineSources {
    /// Lets the pages show images from `origin` (a scheme, host and port).
    pub fn allow_images(&self, origin: &str) {
        let mut inline = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        inline.image_origins.insert(origin.to_string());
    }

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
        let images: String = (inline.image_origins.iter())
            .map(|o| format!(" {o}"))
            .collect();
        let make = |styles: &str, scripts: &str| {
            format!(
                "default-src 'self'; script-src 'self'{scripts}; style-src 'self'{styles}; img-src 'self' data:{images}; font-src 'self'; connect-src 'self'; media-src 'self'; object-src 'none'; frame-ancestors 'self'; base-uri 'self'; form-action 'self'"
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

/// `_headers`: security headers for every path, with the Content-Security-Policy that the
/// scanned pages and the site's own static pages need; `/admin/`, the editing UI, has a
/// policy of its own (`crate::cms::policy`; `admin`: its path, policy and whether to detach), which replaces the site's where the host can
/// detach a header (Cloudflare Pages: `! Content-Security-Policy`).
pub(crate) fn headers_file(
    inline: &InlineSources,
    files: &BTreeMap<String, Output>,
    contents: &BTreeMap<String, Vec<u8>>,
    admin: Option<(&str, String, bool)>,
) -> (String, Vec<u8>) {
    for (path, output) in files {
        if let (true, Output::Copy(_)) = (path.ends_with(".html"), output)
            && let Some(html) = contents.get(path)
        {
            inline.scan(html);
        }
    }
    let policy = inline.policy(POLICY_MAX);
    let mut file = format!(
        "# Written by clusterpress for the host's `_headers` rules.\n/*\n  Content-Security-Policy: {policy}\n  X-Content-Type-Options: nosniff\n  Referrer-Policy: strict-origin-when-cross-origin\n  X-Frame-Options: SAMEORIGIN\n  Permissions-Policy: camera=(), microphone=(), geolocation=()\n"
    );
    if let Some((path, admin, detach)) = admin {
        file.push_str(&format!("# The editing UI (docs/editing.md).\n{path}*\n"));
        if detach {
            file.push_str("  ! Content-Security-Policy\n");
        }
        file.push_str(&format!("  Content-Security-Policy: {admin}\n"));
    }
    ("_headers".to_string(), file.into_bytes())
}

/// A sink that notes what each page holds inline before passing it on.
pub(crate) struct Scanning<'a> {
    pub(crate) sink: &'a dyn PageSink,
    pub(crate) inline: &'a InlineSources,
}

impl PageSink for Scanning<'_> {
    fn put(&self, file: &str, bytes: &[u8]) -> std::io::Result<()> {
        if file.ends_with(".html") {
            self.inline.scan(bytes);
        }
        self.sink.put(file, bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
