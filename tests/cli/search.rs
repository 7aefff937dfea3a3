//! Issue 21: the site search's index, made from the content at build time.

use serde_json::Value;

use crate::support::{SiteTest, repo};

fn json(site: &SiteTest, rel: &str) -> Value {
    let path = site.public().join(rel);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Numbers written as the first and then each one's difference from the one before.
fn undelta(list: &Value) -> Vec<usize> {
    let mut at = 0;
    list.as_array()
        .expect("a list")
        .iter()
        .map(|d| {
            at += d.as_u64().unwrap() as usize;
            at
        })
        .collect()
}

/// The titles of the items a folded word finds, as the search page's script finds them: the
/// words it begins and those whose stem it begins with, each standing for its stem's items.
fn find(site: &SiteTest, prefix: &str, word: &str) -> Vec<String> {
    let index = json(site, &format!("{prefix}search/index.json"));
    let parts: Vec<&str> = index["parts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    let key: String = word.chars().take(2).collect();
    let n = parts.iter().rposition(|p| *p <= key.as_str()).unwrap_or(0);
    let part = json(site, &format!("{prefix}search/w-{n}.json"));
    let mut items = std::collections::BTreeSet::new();
    for (w, stem) in part["w"].as_object().unwrap() {
        let stem = stem.as_str().unwrap();
        let inflected = stem.len() >= 3 && word.starts_with(stem) && word.len() - stem.len() <= 4;
        if w.starts_with(word) || inflected {
            items.extend(undelta(&part["p"][stem]));
        }
    }
    let per = index["per_file"].as_u64().unwrap() as usize;
    items
        .into_iter()
        .map(|d| {
            let file = json(site, &format!("{prefix}search/i-{}.json", d / per));
            file[d % per][1].as_str().unwrap().to_string()
        })
        .collect()
}

#[test]
fn the_index_finds_members_events_courses_and_news_by_their_words_issue_21() {
    let site = SiteTest::from_dir(&repo().join("tests/fixtures/example-en"));
    site.build().success();
    let index = json(&site, "search/index.json");
    // Every published member and item, once: 34 members, and the items of each collection.
    let kinds = index["kinds"].as_array().unwrap();
    assert_eq!(kinds[0], serde_json::json!(["members", "Members", 0]));
    assert_eq!(kinds[1][2], 33, "the items after the members: {kinds:?}");
    assert!(index["items"].as_u64().unwrap() > 90);
    let facets: Vec<&str> = index["facets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f[0].as_str().unwrap())
        .collect();
    assert_eq!(facets, ["sectors", "regions", "countries"]);

    // A member by capability, a course by topic, an event by city, a news item by a headline
    // word; accents folded, stems met.
    assert!(find(&site, "", "grinding").contains(&"Ergolz Werkzeugbau AG".to_string()));
    assert_eq!(find(&site, "", "grinds"), find(&site, "", "grinding"));
    let lean = find(&site, "", "lean");
    assert!(
        lean.iter()
            .any(|t| t.starts_with("Lean basics for shop-floor")),
        "{lean:?}"
    );
    let brno = find(&site, "", "brno");
    assert!(brno.iter().any(|t| t.contains("Moravian")), "{brno:?}");
    let climate = find(&site, "", "climate");
    assert!(
        climate
            .iter()
            .any(|t| t.starts_with("Business climate survey")),
        "{climate:?}"
    );
    let lorrach = find(&site, "", "lorrach");
    assert!(
        lorrach.iter().any(|t| t.contains("DHBW Lörrach")),
        "{lorrach:?}"
    );
    // Drafts and expired job offers are not found.
    assert!(
        !find(&site, "", "saint")
            .iter()
            .any(|t| t.starts_with("Saint-Louis"))
    );

    // The search page is not for search engines; every other page has the box.
    let search = std::fs::read_to_string(site.public().join("search/index.html")).unwrap();
    assert!(search.contains(r#"<meta name="robots" content="noindex">"#));
    assert!(!search.contains(r#"class="site-search""#));
    let home = std::fs::read_to_string(site.public().join("index.html")).unwrap();
    assert!(
        home.contains(r#"<form class="site-search" action="/search/" method="get" role="search">"#)
    );
    let sitemap = std::fs::read_to_string(site.public().join("sitemap.xml")).unwrap();
    assert!(!sitemap.contains("/search/"));
}

#[test]
fn each_language_has_its_own_index_in_its_words_issue_21() {
    let site = SiteTest::from_dir(&repo().join("example-site"));
    site.build().success();
    let fr = json(&site, "fr/search/index.json");
    assert_eq!(fr["kinds"][0][1], "Membres");
    let de = json(&site, "de/search/index.json");
    assert_eq!(de["kinds"][0][1], "Mitglieder");
    // French stems: "revêtements" meets "revêtement"; German: "Beschichtungen" meets
    // "Beschichtung".
    assert!(!find(&site, "fr/", "revetements").is_empty());
    assert_eq!(
        find(&site, "fr/", "revetements"),
        find(&site, "fr/", "revetement")
    );
    assert!(!find(&site, "de/", "beschichtungen").is_empty());
    assert!(site.public().join("en/search/index.html").is_file());
    assert!(!site.public().join("search").exists());
}

#[test]
fn build_search_false_leaves_out_the_page_the_index_and_the_box_issue_21() {
    let site = SiteTest::from_dir(&repo().join("tests/fixtures/example-en"));
    let config = std::fs::read_to_string(site.root().join("cluster.yaml")).unwrap();
    site.write(
        "cluster.yaml",
        &format!("{config}\nbuild:\n  search: false\n"),
    );
    site.build().success();
    assert!(!site.public().join("search").exists());
    let home = std::fs::read_to_string(site.public().join("index.html")).unwrap();
    assert!(!home.contains("site-search"));
}
