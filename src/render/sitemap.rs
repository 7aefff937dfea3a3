//! `sitemap.xml` and `robots.txt`.

use crate::url::Urls;

/// A sitemap of every HTML page except the 404 page, in path order.
/// A sitemap of the pages at `output_paths` (with their language prefixes, if any).
pub fn sitemap<'a>(urls: &Urls, output_paths: impl Iterator<Item = &'a str>) -> Vec<u8> {
    let mut paths: Vec<&str> = output_paths
        .filter(|p| *p != "404.html" && !p.ends_with("/404.html"))
        .collect();
    paths.sort_unstable();
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for p in paths {
        out.push_str("  <url><loc>");
        out.push_str(&escape_xml(&urls.asset_permalink(p)));
        out.push_str("</loc></url>\n");
    }
    out.push_str("</urlset>\n");
    out.into_bytes()
}

/// A robots.txt that allows everything and names the sitemap.
pub fn robots(urls: &Urls) -> Vec<u8> {
    format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        urls.asset_permalink("sitemap.xml")
    )
    .into_bytes()
}

pub fn escape_xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sitemap_lists_pages_under_the_base_url_but_not_404() {
        let urls = Urls::new("https://x.example/sub/").unwrap();
        let xml = String::from_utf8(sitemap(
            &urls,
            ["members/", "", "404.html", "a&b/"].into_iter(),
        ))
        .unwrap();
        assert!(xml.contains("<loc>https://x.example/sub/</loc>"));
        assert!(xml.contains("<loc>https://x.example/sub/members/</loc>"));
        assert!(xml.contains("<loc>https://x.example/sub/a&amp;b/</loc>"));
        assert!(!xml.contains("404"));
    }

    #[test]
    fn robots_points_at_the_sitemap() {
        let urls = Urls::new("https://x.example/sub/").unwrap();
        assert!(
            String::from_utf8(robots(&urls))
                .unwrap()
                .contains("Sitemap: https://x.example/sub/sitemap.xml")
        );
    }
}
