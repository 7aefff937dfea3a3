//! Issue 21: a directory of many members stays a set of small pages, reachable by plain links,
//! with a compact data file for its instant search.

use std::collections::BTreeSet;
use std::io::Write;
use std::process::{Command, Stdio};

use crate::support::{SiteTest, repo};

/// The English example with `extra` members more, all under the letter E.
fn long_directory(extra: usize) -> SiteTest {
    let site = SiteTest::from_dir(&repo().join("tests/fixtures/example-en"));
    let model = std::fs::read_to_string(site.root().join("content/members/hegau-drehteile.md"))
        .expect("a member to copy");
    for i in 0..extra {
        let text = model.replace(
            "name: Hegau Drehteile GmbH",
            &format!("name: Extra Member {i:03} GmbH"),
        );
        site.write(&format!("content/members/extra-member-{i:03}.md"), &text);
    }
    site
}

fn page(site: &SiteTest, rel: &str) -> String {
    let path = site.public().join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The `href`s of a page that lead to members' own pages.
fn member_links(html: &str) -> BTreeSet<String> {
    let doc = scraper::Html::parse_document(html);
    let a = scraper::Selector::parse(".cards a.card-link").unwrap();
    doc.select(&a)
        .filter_map(|e| e.value().attr("href"))
        .map(str::to_string)
        .collect()
}

fn gzipped_size(bytes: &[u8]) -> usize {
    let mut gzip = Command::new("gzip")
        .args(["-9", "-c"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("gzip");
    gzip.stdin.take().unwrap().write_all(bytes).unwrap();
    gzip.wait_with_output().unwrap().stdout.len()
}

#[test]
fn a_long_directory_lists_its_members_a_letter_at_a_time_on_small_pages_issue_21() {
    let site = long_directory(270);
    site.run(&["build", "site", "--now", "2026-11-27"])
        .success();
    // (One member of the example has left the cluster, one is a draft.)
    let members: Vec<String> = std::fs::read_dir(site.root().join("content/members"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let text = std::fs::read_to_string(p).unwrap();
            !text.contains("status: former") && !text.contains("\ndraft: true")
        })
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(members.len(), 303);

    // The directory itself: the letters with their counts, no cards, a data file to search.
    let directory = page(&site, "members/index.html");
    assert!(directory.len() < 150_000, "{} bytes", directory.len());
    assert!(member_links(&directory).is_empty());
    assert!(directory.contains(r#"data-source="/members/directory.json""#));
    // (Four members of the example sort under E, too.)
    assert!(
        directory.contains(r#"<a href="/members/a-z/e/">E <span class="count">274</span></a>"#)
    );
    assert!(directory.contains(r#"<a href="/members/a-z/h/">H"#));
    // It names the cluster in its structured data, not 303 members.
    let doc = scraper::Html::parse_document(&directory);
    let jsonld = scraper::Selector::parse(r#"script[type="application/ld+json"]"#).unwrap();
    let structured: String = doc.select(&jsonld).map(|e| e.inner_html()).collect();
    assert!(structured.contains("Organization"), "{structured:.200}");
    assert!(!structured.contains("extra-member-000"));

    // E has 274 members: three pages of at most 100, linked to each other.
    let mut linked = BTreeSet::new();
    let mut pages = 0;
    for entry in walk(&site.public().join("members/a-z")) {
        let html = std::fs::read_to_string(&entry).unwrap();
        assert!(
            html.len() < 150_000,
            "{}: {} bytes",
            entry.display(),
            html.len()
        );
        let cards = member_links(&html);
        assert!(
            !cards.is_empty() && cards.len() <= 100,
            "{}",
            entry.display()
        );
        linked.extend(cards);
        pages += 1;
    }
    let e3 = page(&site, "members/a-z/e/3/index.html");
    assert!(e3.contains("<h1>Members: E (page 3 of 3)</h1>"));
    assert!(e3.contains(r#"<a href="/members/a-z/e/3/" aria-current="page">3</a>"#));
    assert!(e3.contains(r#"<a href="/members/a-z/e/2/">2</a>"#));
    assert!(e3.contains(r#"<a href="/members/a-z/e/" aria-current="true">E"#));
    // Every member is reachable by plain links, once.
    let expected: BTreeSet<String> = members.iter().map(|m| format!("/members/{m}/")).collect();
    assert_eq!(linked, expected);
    assert!(pages >= 3 + 5, "{pages} pages");
    let sitemap = page(&site, "sitemap.xml");
    assert!(sitemap.contains("/members/a-z/e/2/"));

    // The data file: every member once, in directory order, with its terms.
    let bytes = std::fs::read(site.public().join("members/directory.json")).unwrap();
    let data: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    let rows = data["members"].as_array().unwrap();
    assert_eq!(rows.len(), 303);
    let terms: Vec<String> = data["facets"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|f| {
            let key = f[0].as_str().unwrap().to_string();
            f[1].as_array()
                .unwrap()
                .iter()
                .map(move |t| format!("{key}:{}", t[0].as_str().unwrap()))
        })
        .collect();
    let hegau = rows
        .iter()
        .find(|r| r[0] == "Hegau Drehteile GmbH")
        .expect("Hegau in the data");
    assert_eq!(hegau[1], "hegau-drehteile/");
    let hegau_terms: BTreeSet<&str> = hegau[4]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| terms[n.as_u64().unwrap() as usize].as_str())
        .collect();
    assert!(hegau_terms.contains("countries:de"), "{hegau_terms:?}");
    assert!(hegau_terms.contains("types:company"), "{hegau_terms:?}");
    assert!(hegau_terms.iter().any(|t| t.starts_with("sectors:")));
    for row in rows {
        let address = row[1].as_str().unwrap();
        assert!(
            site.public()
                .join("members")
                .join(address)
                .join("index.html")
                .is_file(),
            "{address}"
        );
    }
    let per_member = gzipped_size(&bytes) as f64 / 303.0;
    assert!(
        per_member <= 60.0,
        "{per_member:.1} bytes per member, gzipped"
    );
}

#[test]
fn a_directory_of_a_hundred_members_stays_one_page_issue_21() {
    let site = long_directory(67);
    site.run(&["build", "site", "--now", "2026-11-27"])
        .success();
    let directory = page(&site, "members/index.html");
    assert_eq!(member_links(&directory).len(), 100);
    assert!(!directory.contains("data-source"));
    assert!(!site.public().join("members/a-z").exists());
    assert!(!site.public().join("members/directory.json").exists());
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(walk(&path));
        } else if path.extension().is_some_and(|e| e == "html") {
            found.push(path);
        }
    }
    found
}
