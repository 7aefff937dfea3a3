//! The example site, built as a user would, crawled like a visitor: every member and term has
//! a page, every link and asset resolves (also under a sub-path), the sitemap lists every page.

use std::collections::BTreeSet;
use std::path::Path;

use scraper::{Html, Selector};

use crate::support::{SiteTest, repo, snapshot_tree};

fn example() -> SiteTest {
    let site = SiteTest::from_dir(&repo().join("tests/fixtures/example-en"));
    let _ = std::fs::remove_dir_all(site.public());
    site
}

/// The slugs of the example's current members: not drafts, not former members.
fn member_slugs() -> Vec<String> {
    let mut slugs = Vec::new();
    for e in std::fs::read_dir(repo().join("tests/fixtures/example-en/content/members")).unwrap() {
        let p = e.unwrap().path();
        let text = std::fs::read_to_string(&p).unwrap();
        if !text.contains("\ndraft: true") && !text.contains("\n  status: former") {
            slugs.push(p.file_stem().unwrap().to_string_lossy().into_owned());
        }
    }
    slugs
}

/// Every `href` and `src` in every HTML page that is not external, with the page it is on.
pub(crate) fn internal_links(public: &Path, base_path: &str) -> Vec<(String, String)> {
    let selector = Selector::parse("[href], [src]").unwrap();
    let mut out = Vec::new();
    for (file, bytes) in snapshot_tree(public) {
        if !file.ends_with(".html") {
            continue;
        }
        let doc = Html::parse_document(&String::from_utf8(bytes).unwrap());
        for el in doc.select(&selector) {
            for attr in ["href", "src"] {
                let Some(v) = el.value().attr(attr) else {
                    continue;
                };
                if v.starts_with("http")
                    || v.starts_with("mailto:")
                    || v.starts_with("tel:")
                    || v.starts_with("webcal:")
                    || v.starts_with('#')
                {
                    continue;
                }
                assert!(
                    v.starts_with(base_path),
                    "{file}: `{v}` does not start with the base path {base_path}"
                );
                out.push((file.clone(), v.to_string()));
            }
        }
    }
    out
}

pub(crate) fn resolves(public: &Path, base_path: &str, link: &str) -> bool {
    let path = link.strip_prefix(base_path).unwrap_or(link);
    let path = path.split(['#', '?']).next().unwrap();
    let file = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_string()
    };
    public.join(file).is_file()
}

fn check_all_links(base_url: &str, base_path: &str) {
    let site = example();
    site.run(&[
        "build",
        "site",
        "--base-url",
        base_url,
        "--now",
        "2026-11-27",
    ])
    .success();
    let public = site.public();
    let links = internal_links(&public, base_path);
    assert!(links.len() > 500, "suspiciously few links: {}", links.len());
    let broken: Vec<_> = links
        .iter()
        .filter(|(_, l)| !resolves(&public, base_path, l))
        .collect();
    assert!(broken.is_empty(), "broken links: {broken:?}");
}

#[test]
fn every_link_and_asset_resolves_at_the_root() {
    check_all_links("https://dreiland-precision.example/", "/");
}

#[test]
fn every_link_and_asset_resolves_under_a_sub_path() {
    check_all_links(
        "https://dreiland.github.io/precision-cluster/",
        "/precision-cluster/",
    );
}

#[test]
fn every_member_and_term_has_a_page_and_the_sitemap_lists_every_page() {
    let site = example();
    site.build().success();
    let public = site.public();
    let slugs = member_slugs();
    assert!(slugs.len() >= 30);
    for slug in &slugs {
        assert!(
            public.join(format!("members/{slug}/index.html")).is_file(),
            "no page for {slug}"
        );
    }
    assert!(
        !public
            .join("members/saint-louis-fabrication-additive")
            .exists(),
        "the draft was published"
    );

    // Every term linked from a taxonomy index has its page, and every taxonomy has terms.
    let tile = Selector::parse(".term-tile").unwrap();
    for tax in ["sectors", "capabilities", "regions", "countries", "types"] {
        let html = Html::parse_document(&site.output(&format!("{tax}/index.html")));
        let terms: Vec<_> = html
            .select(&tile)
            .filter_map(|a| a.value().attr("href").map(str::to_string))
            .collect();
        assert!(!terms.is_empty(), "{tax} has no terms");
        for t in terms {
            assert!(resolves(&public, "/", &t), "{tax}: {t}");
        }
    }
    assert!(
        public
            .join("sectors/medical-technology/index.html")
            .is_file()
    );
    assert!(public.join("countries/ch/index.html").is_file());

    let sitemap = site.output("sitemap.xml");
    let listed: BTreeSet<String> = sitemap
        .lines()
        .filter_map(|l| l.trim().strip_prefix("<url><loc>"))
        .map(|l| l.trim_end_matches("</loc></url>").to_string())
        .collect();
    // Pages for print (brochures, fact sheets) repeat the others and are not listed; nor are
    // the pages at old addresses that only send the browser on (`redirects:`), nor those of
    // expired job offers and former members' plain pages, which ask search engines not to
    // index them.
    let tree = snapshot_tree(&public);
    let redirect = |f: &str| String::from_utf8_lossy(&tree[f]).contains("http-equiv=\"refresh\"");
    let print =
        |f: &str| f.ends_with("/factsheet/index.html") || f.ends_with("brochure/index.html");
    let noindex = |f: &str| {
        String::from_utf8_lossy(&tree[f]).contains(r#"<meta name="robots" content="noindex">"#)
    };
    let unlisted: Vec<&String> = tree
        .keys()
        .filter(|f| f.ends_with("index.html") && !print(f) && !redirect(f) && noindex(f))
        .collect();
    assert_eq!(
        unlisted,
        [
            "jobs/quality-inspector-part-time-lindenhof/index.html",
            "jobs/werkstudent-messtechnik-schwarzwald/index.html",
            "members/plasturgie-rhin-vosges/index.html",
            // The search page: results are for visitors, not for search engines.
            "search/index.html"
        ]
    );
    let pages: BTreeSet<String> = tree
        .keys()
        .filter(|f| f.ends_with("index.html"))
        .filter(|f| !print(f) && !redirect(f) && !noindex(f))
        .map(|f| {
            format!(
                "https://dreiland-precision.example/{}",
                f.trim_end_matches("index.html")
            )
        })
        .collect();
    assert_eq!(listed, pages);
    let redirects: Vec<&String> = tree.keys().filter(|f| redirect(f)).collect();
    assert_eq!(
        redirects,
        [
            "kontakt/index.html",
            "mitglieder/index.html",
            "veranstaltungen/index.html"
        ]
    );
}

#[test]
fn directory_lists_members_a_to_z_with_facets() {
    let site = example();
    site.build().success();
    // Plasturgie Rhin-Vosges left in 2026: its past workshop still names it, the directory
    // does not.
    let event = site.output("events/pvd-coatings-for-mould-makers/index.html");
    assert!(
        event.contains("Plasturgie Rhin-Vosges SAS</span> <span class=\"former\">(former member)")
    );
    assert!(
        !site
            .output("members/index.html")
            .contains("Plasturgie Rhin-Vosges")
    );
    assert!(
        site.output("members/plasturgie-rhin-vosges/index.html")
            .contains("Former member (until 2026)")
    );
    let html = Html::parse_document(&site.output("members/index.html"));
    let names: Vec<String> = html
        .select(&Selector::parse(".member-card .card-title").unwrap())
        .map(|e| e.text().collect())
        .collect();
    assert_eq!(names.len(), member_slugs().len());
    // A–Z ignores case and accents: "École" is filed under E.
    let fold = |n: &String| {
        n.to_lowercase()
            .replace(['é', 'è', 'ê'], "e")
            .replace('ä', "a")
            .replace('ö', "o")
            .replace('ü', "u")
    };
    let mut sorted = names.clone();
    sorted.sort_by_key(fold);
    assert_eq!(names, sorted);
    let facets: Vec<String> = html
        .select(&Selector::parse(".facet summary").unwrap())
        .map(|e| e.text().collect::<String>())
        .collect();
    assert!(
        facets.iter().any(|f| f.starts_with("Sectors")),
        "{facets:?}"
    );
    assert!(
        facets.iter().any(|f| f.starts_with("Countries")),
        "{facets:?}"
    );
}
