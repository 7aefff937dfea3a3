//! Issue 21: every list page stays small however large the site, and every item stays
//! reachable through plain links: the benchmark's site of 10,000 members (2,000 events, 1,000
//! courses), built with its search index.

use std::collections::BTreeSet;
use std::path::Path;

use crate::support::{bench_gen, run_in};

const LIMIT: u64 = 150 * 1024;

/// The site paths (`/events/x/`) that `page` links to.
fn links(page: &Path) -> BTreeSet<String> {
    let html = std::fs::read_to_string(page).unwrap();
    let doc = scraper::Html::parse_document(&html);
    let a = scraper::Selector::parse("a[href]").unwrap();
    doc.select(&a)
        .filter_map(|e| e.value().attr("href"))
        .map(|h| h.split('#').next().unwrap_or("").to_string())
        .collect()
}

/// The `index.html` files under `dir`, as site paths (`/events/past/2025/`).
fn pages_under(public: &Path, dir: &str) -> Vec<String> {
    walkdir::WalkDir::new(public.join(dir))
        .into_iter()
        .flatten()
        .filter(|e| e.file_name() == "index.html")
        .map(|e| {
            let rel = e.path().parent().unwrap().strip_prefix(public).unwrap();
            format!("/{}/", rel.display())
        })
        .collect()
}

/// The number a term page's lead begins with: "7,123 members · Type".
fn lead_count(page: &Path) -> usize {
    let html = std::fs::read_to_string(page).unwrap();
    let lead: String = scraper::Html::parse_document(&html)
        .select(&scraper::Selector::parse(".lead").unwrap())
        .next()
        .unwrap()
        .text()
        .collect();
    lead.split_whitespace()
        .next()
        .unwrap()
        .replace(',', "")
        .parse()
        .unwrap()
}

#[test]
fn every_list_page_of_a_10000_member_site_is_small_and_every_item_is_linked_issue_21() {
    let dir = tempfile::tempdir().unwrap();
    bench_gen(10000, dir.path());
    let config = dir.path().join("clusterpress/cluster.yaml");
    let yaml = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, yaml.replace("  search: false\n", "")).unwrap();
    run_in(dir.path(), &["build", "clusterpress", "--output", "public"]).success();
    let public = dir.path().join("public");

    // Every page, lists and items alike, is at most 150 KB of HTML.
    let mut pages = 0;
    for e in walkdir::WalkDir::new(&public).into_iter().flatten() {
        if e.path().extension().is_some_and(|x| x == "html") {
            pages += 1;
            let size = e.metadata().unwrap().len();
            assert!(size <= LIMIT, "{}: {size} bytes", e.path().display());
        }
    }
    assert!(pages > 13_000, "{pages} pages");

    // Events: the list shows the upcoming ones and links each year of past ones, whose
    // pages (and their further pages) link every past event.
    let page = |path: &str| public.join(path.trim_start_matches('/')).join("index.html");
    let events = links(&page("/events/"));
    let years: Vec<String> = pages_under(&public, "events/past")
        .into_iter()
        .filter(|p| p.matches('/').count() == 4)
        .collect();
    assert!(years.len() >= 2, "{years:?}");
    let mut listed: BTreeSet<String> = events.clone();
    for year in &years {
        assert!(events.contains(year), "/events/ does not link {year}");
        let first = links(&page(year));
        let more: Vec<String> = first
            .iter()
            .filter(|l| l.starts_with(&format!("{year}page/")))
            .cloned()
            .collect();
        listed.extend(first);
        for p in more {
            listed.extend(links(&page(&p)));
        }
    }
    let lists = |p: &String| p.starts_with("/events/past/") || p.starts_with("/events/page/");
    let event_pages: Vec<String> = pages_under(&public, "events")
        .into_iter()
        .filter(|p| p != "/events/" && !lists(p))
        .collect();
    assert_eq!(event_pages.len(), 2000);
    for e in &event_pages {
        assert!(listed.contains(e), "no list page links {e}");
    }

    // Training: pages of at most 100 courses, the first linking the others.
    let training = links(&page("/training/"));
    let mut listed = training.clone();
    for p in training.iter().filter(|l| l.starts_with("/training/page/")) {
        listed.extend(links(&page(p)));
    }
    let courses: Vec<String> = pages_under(&public, "training")
        .into_iter()
        .filter(|p| p != "/training/" && !p.starts_with("/training/page/"))
        .collect();
    assert_eq!(courses.len(), 1000);
    for c in &courses {
        assert!(listed.contains(c), "no list page links {c}");
    }

    // The supply chain: an index of capabilities, each with its own pages naming every
    // member that offers it.
    let index = links(&page("/supply-chain/"));
    let capabilities: Vec<String> = pages_under(&public, "supply-chain")
        .into_iter()
        .filter(|p| p.matches('/').count() == 3)
        .collect();
    assert!(capabilities.len() > 20, "{capabilities:?}");
    for c in &capabilities {
        assert!(index.contains(c), "/supply-chain/ does not link {c}");
    }
    let cnc = "/supply-chain/cnc-machining/";
    let mut offering = BTreeSet::new();
    let first = links(&page(cnc));
    let more: Vec<&String> = first
        .iter()
        .filter(|l| l.starts_with(&format!("{cnc}page/")))
        .collect();
    assert!(!more.is_empty(), "{cnc} is one page");
    for p in std::iter::once(&cnc.to_string()).chain(more) {
        let html = std::fs::read_to_string(page(p)).unwrap();
        let doc = scraper::Html::parse_document(&html);
        let offered = scraper::Selector::parse(".supply-sides > div:first-child a").unwrap();
        offering.extend(
            doc.select(&offered)
                .filter_map(|a| a.value().attr("href"))
                .map(str::to_string),
        );
    }
    assert_eq!(
        offering.len(),
        lead_count(&page("/capabilities/cnc-machining/")),
        "members offering CNC machining"
    );

    // A term of thousands of members lists them on pages of rows, linked from its first.
    let company = links(&page("/types/company/"));
    let mut members = BTreeSet::new();
    let term_pages: Vec<String> = std::iter::once("/types/company/".to_string())
        .chain(
            company
                .iter()
                .filter(|l| l.starts_with("/types/company/page/"))
                .cloned(),
        )
        .collect();
    assert!(term_pages.len() > 10, "{term_pages:?}");
    for p in &term_pages {
        members.extend(
            links(&page(p))
                .into_iter()
                .filter(|l| l.starts_with("/members/") && l.matches('/').count() == 3),
        );
    }
    assert_eq!(members.len(), lead_count(&page("/types/company/")));
    assert!(members.len() > 5000, "{} companies listed", members.len());
}
