//! Member texts are untrusted: scripts, handlers, frames and script URLs never reach a page.
//! Assertions are made on the parsed DOM, as a browser would see the page.

use scraper::Html;

use crate::hostile::{assert_harmless, heading};
use crate::support::SiteTest;

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
    assert_eq!(
        heading(&doc),
        "Beta </title><script>alert(1)</script> & Co",
        "the name is shown as text"
    );
}
