//! Member texts are untrusted: scripts, handlers, frames and script URLs never reach a page.
//! Assertions are made on the parsed DOM, as a browser would see the page.

use scraper::{Html, Selector};

use crate::support::SiteTest;

/// Fails if the page has a script other than the theme's, an event handler, a frame, an
/// inline style other than the theme's colour, or a script URL.
fn assert_harmless(page: &str, html: &str) {
    let doc = Html::parse_document(html);
    for script in doc.select(&Selector::parse("script").unwrap()) {
        if script.value().attr("type") == Some("application/ld+json") {
            // Structured data is data, not code: it must parse as JSON in one piece.
            let text: String = script.text().collect();
            assert!(
                serde_json::from_str::<serde_json::Value>(&text).is_ok(),
                "{page}: JSON-LD is not JSON: {text}"
            );
            continue;
        }
        let src = script.value().attr("src").unwrap_or("");
        assert!(
            src.ends_with("clusterpress.js") && script.text().next().is_none(),
            "{page}: foreign script {:?}",
            script.html()
        );
    }
    for el in doc.select(&Selector::parse("*").unwrap()) {
        for (name, value) in el.value().attrs() {
            assert!(
                !name.starts_with("on"),
                "{page}: event handler {name} on {}",
                el.value().name()
            );
            assert!(
                name != "style",
                "{page}: inline style on {}",
                el.value().name()
            );
            let v = value.trim().to_ascii_lowercase();
            assert!(
                !v.starts_with("javascript:") && !v.starts_with("data:"),
                "{page}: {name}={value}"
            );
        }
        assert!(
            !matches!(el.value().name(), "iframe" | "object" | "embed" | "form"),
            "{page}: <{}>",
            el.value().name()
        );
    }
}

#[test]
fn raw_html_in_bodies_is_sanitised_by_default() {
    let site = SiteTest::base();
    site.write(
        "content/members/beta-metal.md",
        "---\nname: Beta Metal SAS\ntype: company\n---\nHello <script>alert(1)</script><img src=\"/logo.svg\" onerror=alert(2) alt=\"\">\n\n<iframe src=\"https://evil.example\"></iframe><b style=\"position:fixed\">bold</b> <a href=\"javascript:alert(3)\">x</a>\n",
    );
    site.build().success();
    let html = site.output("members/beta-metal/index.html");
    assert_harmless("members/beta-metal", &html);
    assert!(html.contains("<b>bold</b>"), "harmless markup is kept");
}

#[test]
fn raw_html_is_kept_when_the_site_opts_in() {
    let site = SiteTest::base();
    let config = std::fs::read_to_string(site.root().join("cluster.yaml")).unwrap();
    site.write(
        "cluster.yaml",
        &format!("{config}build:\n  allow_html: true\n"),
    );
    site.write(
        "content/pages/about.md",
        "---\ntitle: About\n---\n<div class=\"callout\">Trusted</div>\n",
    );
    site.build().success();
    assert!(site.output("pages/about/index.html").contains("callout"));
}

#[test]
fn every_field_is_escaped() {
    let site = SiteTest::base();
    site.write(
        "content/members/beta-metal.md",
        "---\nname: \"Beta </title><script>alert(1)</script> & Co\"\ntype: company\nsummary: \"\\\"><img src=x onerror=alert(1)>\"\nsectors: [\"<b onclick=alert(1)>Bold</b>\"]\ncontacts:\n  - name: \"<svg onload=alert(1)>\"\n    role: \"'><script>alert(2)</script>\"\n---\nText.\n",
    );
    site.build().success();
    for page in [
        "members/beta-metal/index.html",
        "members/index.html",
        "sectors/b-onclick-alert-1-bold-b/index.html",
        "index.html",
    ] {
        let html = site.output(page);
        assert_harmless(page, &html);
    }
    let doc = Html::parse_document(&site.output("members/beta-metal/index.html"));
    let h1: String = doc
        .select(&Selector::parse("h1").unwrap())
        .next()
        .unwrap()
        .text()
        .collect();
    assert_eq!(
        h1, "Beta </title><script>alert(1)</script> & Co",
        "the name is shown as text"
    );
}
