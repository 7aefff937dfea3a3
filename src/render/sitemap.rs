//! `sitemap.xml` and `robots.txt`.

use crate::config::Config;
use crate::url::Urls;

/// A sitemap of the pages at `site_paths` except the 404 page, in path order, in every
/// language of `config` (with `xhtml:link` alternates naming each language's version of a
/// page in a site of several).
pub fn sitemap<'a>(config: &Config, site_paths: impl Iterator<Item = &'a str>) -> Vec<u8> {
    let urls = &config.urls;
    let mut paths: Vec<&str> = site_paths.filter(|p| *p != "404.html").collect();
    paths.sort_unstable();
    if !config.multilingual() {
        let mut out = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for p in paths {
            out.push_str("  <url><loc>");
            out.push_str(&escape_xml(&urls.asset_permalink(p)));
            out.push_str("</loc></url>\n");
        }
        out.push_str("</urlset>\n");
        return out.into_bytes();
    }
    let languages: Vec<(&str, Urls)> = (config.languages.iter())
        .map(|l| (l.code.as_str(), urls.in_language(&l.code)))
        .collect();
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
    );
    for (code, in_language) in &languages {
        for p in &paths {
            // A page some languages do not have (a news item not translated) is listed in
            // those that have it, with those as its alternates.
            let exists = |c: &str| {
                urls.languages_of(p)
                    .is_none_or(|l| l.iter().any(|x| x == c))
            };
            if !exists(code) {
                continue;
            }
            out.push_str("  <url><loc>");
            out.push_str(&escape_xml(&in_language.permalink(p)));
            out.push_str("</loc>");
            for (other_code, other) in languages.iter().filter(|(c, _)| exists(c)) {
                alternate(&mut out, other_code, &other.permalink(p));
            }
            let default = languages
                .iter()
                .find(|(c, _)| exists(c))
                .map_or(in_language, |(_, u)| u);
            alternate(&mut out, "x-default", &default.permalink(p));
            out.push_str("</url>\n");
        }
    }
    out.push_str("</urlset>\n");
    out.into_bytes()
}

fn alternate(out: &mut String, code: &str, href: &str) {
    out.push_str("<xhtml:link rel=\"alternate\" hreflang=\"");
    out.push_str(&escape_xml(code));
    out.push_str("\" href=\"");
    out.push_str(&escape_xml(href));
    out.push_str("\"/>");
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

    fn config(yaml: &str) -> Config {
        let text = format!("name: X\nbase_url: https://x.example/sub/\n{yaml}");
        crate::config::parse(std::path::Path::new("/nowhere"), text, &Default::default())
            .unwrap()
            .0
    }

    #[test]
    fn sitemap_lists_pages_under_the_base_url_but_not_404() {
        let xml = String::from_utf8(sitemap(
            &config(""),
            ["members/", "", "404.html", "a&b/"].into_iter(),
        ))
        .unwrap();
        assert!(xml.contains("<loc>https://x.example/sub/</loc>"));
        assert!(xml.contains("<loc>https://x.example/sub/members/</loc>"));
        assert!(xml.contains("<loc>https://x.example/sub/a&amp;b/</loc>"));
        assert!(!xml.contains("404"));
        assert!(!xml.contains("xhtml"));
    }

    #[test]
    fn every_language_is_listed_with_its_alternates() {
        let xml = String::from_utf8(sitemap(
            &config("languages: [fr, de]\n"),
            ["members/"].into_iter(),
        ))
        .unwrap();
        let alternates = "<xhtml:link rel=\"alternate\" hreflang=\"fr\" href=\"https://x.example/sub/fr/members/\"/><xhtml:link rel=\"alternate\" hreflang=\"de\" href=\"https://x.example/sub/de/members/\"/><xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"https://x.example/sub/fr/members/\"/>";
        for code in ["fr", "de"] {
            assert!(
                xml.contains(&format!(
                    "<url><loc>https://x.example/sub/{code}/members/</loc>{alternates}</url>"
                )),
                "{xml}"
            );
        }
        assert!(xml.contains("xmlns:xhtml=\"http://www.w3.org/1999/xhtml\""));
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
