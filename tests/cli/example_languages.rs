//! The example site in German, French and English (issue 20), built as a user would and read
//! like a search engine and a visitor: every page in its language, self-canonical, naming the
//! same translations as the sitemap; every link leads somewhere; untranslated texts marked.

use std::collections::{BTreeMap, BTreeSet};

use scraper::{Html, Selector};

use crate::example_site::{internal_links, resolves};
use crate::support::{SiteTest, repo, snapshot_tree};

const ORIGIN: &str = "https://dreiland-precision.example";

fn built() -> SiteTest {
    let site = SiteTest::from_dir(&repo().join("example-site"));
    let _ = std::fs::remove_dir_all(site.public());
    site.run(&["build", "site", "--now", "2026-11-27"])
        .success();
    site
}

/// `hreflang` → `href` of the alternates in `element`'s children matching `selector`.
fn alternates(doc: &Html, selector: &str) -> BTreeSet<(String, String)> {
    let s = Selector::parse(selector).unwrap();
    doc.select(&s)
        .filter_map(|e| {
            Some((
                e.value().attr("hreflang")?.to_string(),
                e.value().attr("href")?.to_string(),
            ))
        })
        .collect()
}

#[test]
fn every_page_is_in_its_language_self_canonical_and_names_its_sitemap_translations_issue_20() {
    let site = built();
    // The sitemap: each address with its alternates.
    let sitemap = site.output("sitemap.xml");
    let mut listed: BTreeMap<String, BTreeSet<(String, String)>> = BTreeMap::new();
    for entry in sitemap.split("<url>").skip(1) {
        let loc = entry
            .split("<loc>")
            .nth(1)
            .unwrap()
            .split("</loc>")
            .next()
            .unwrap();
        let mut set = BTreeSet::new();
        for link in entry.split("<xhtml:link ").skip(1) {
            let attr = |name: &str| {
                link.split(&format!("{name}=\""))
                    .nth(1)
                    .unwrap()
                    .split('"')
                    .next()
                    .unwrap()
                    .to_string()
            };
            set.insert((attr("hreflang"), attr("href")));
        }
        listed.insert(loc.to_string(), set);
    }
    assert!(listed.len() > 400, "{} addresses", listed.len());
    let canonical = Selector::parse("link[rel=canonical]").unwrap();
    let html_el = Selector::parse("html").unwrap();
    let mut pages = 0;
    for (file, bytes) in snapshot_tree(&site.public()) {
        let Some(lang) = ["de/", "fr/", "en/"].iter().find(|p| file.starts_with(**p)) else {
            continue;
        };
        if !file.ends_with("index.html") {
            continue;
        }
        let doc = Html::parse_document(&String::from_utf8(bytes).unwrap());
        let code = lang.trim_end_matches('/');
        let html = doc.select(&html_el).next().unwrap();
        assert_eq!(html.value().attr("lang"), Some(code), "{file}");
        let own = format!("{ORIGIN}/{}", file.trim_end_matches("index.html"));
        let Some(c) = doc.select(&canonical).next() else {
            continue; // printed pages (brochures, fact sheets) are not for search engines
        };
        assert_eq!(c.value().attr("href"), Some(own.as_str()), "{file}");
        let head = alternates(&doc, "head link[rel=alternate][hreflang]");
        if let Some(in_sitemap) = listed.get(&own) {
            assert_eq!(&head, in_sitemap, "{file}");
            // Every language it names has the page, and names it back.
            for (_, href) in &head {
                let path = href.strip_prefix(ORIGIN).unwrap().trim_start_matches('/');
                assert!(
                    site.public().join(path).join("index.html").is_file(),
                    "{file}: {href}"
                );
            }
            pages += 1;
        }
    }
    assert!(pages > 400, "{pages} pages compared");
}

#[test]
fn every_link_of_every_language_leads_to_a_page_or_file_issue_20() {
    let site = built();
    let public = site.public();
    let links = internal_links(&public, "/");
    assert!(links.len() > 5000, "{} links", links.len());
    let broken: Vec<_> = links
        .iter()
        .filter(|(_, l)| !resolves(&public, "/", l))
        .collect();
    assert!(
        broken.is_empty(),
        "broken links: {:?}",
        &broken[..broken.len().min(20)]
    );
    // The top sends visitors to the default language.
    assert!(site.output("index.html").contains("url=/de/"));
}

#[test]
fn a_member_described_only_in_german_shows_on_the_french_site_marked_issue_20() {
    let site = built();
    // Achertal Digital is written in German, without translations.
    assert!(
        !repo()
            .join("example-site/content/members/achertal-digital.fr.md")
            .exists()
    );
    let fr = site.output("fr/members/achertal-digital/index.html");
    assert!(fr.contains("<html lang=\"fr\""));
    assert!(fr.contains("Salariés"), "French labels");
    assert!(
        fr.contains("<div lang=\"de\" class=\"in-other-language\"><p class=\"language-note\" lang=\"fr\">En allemand</p>"),
        "the German text, marked"
    );
    assert!(
        fr.contains("<p class=\"lead\" lang=\"de\">"),
        "the German lead, marked"
    );
    let de = site.output("de/members/achertal-digital/index.html");
    assert!(de.contains("Beschäftigte") && !de.contains("in-other-language"));
    // Its card in the French directory: the German summary, marked and with a note.
    let directory = site.output("fr/members/index.html");
    let card = directory
        .split("<li class=\"card member-card\"")
        .skip(1)
        .find(|c| c.contains("/fr/members/achertal-digital/"))
        .unwrap();
    assert!(
        card.contains("<p class=\"card-summary\" lang=\"de\"><span class=\"badge badge-language\" lang=\"fr\">En allemand</span>"),
        "{card}"
    );
    // A member written in French is not marked on the French directory.
    let kleber = directory
        .split("<li class=\"card member-card\"")
        .skip(1)
        .find(|c| c.contains("/fr/members/kleber-robotique/"))
        .unwrap();
    assert!(!kleber.contains("badge-language"), "{kleber}");
}

#[test]
fn a_news_item_in_french_only_is_listed_but_not_copied_in_german_issue_20() {
    let site = built();
    let slug = "market-report-autumn-2026";
    assert!(
        site.public()
            .join(format!("fr/news/{slug}/index.html"))
            .is_file()
    );
    assert!(!site.public().join(format!("de/news/{slug}")).exists());
    assert!(!site.public().join(format!("en/news/{slug}")).exists());
    let de = site.output("de/news/index.html");
    assert!(
        de.contains(&format!(
            "href=\"/fr/news/{slug}/\" hreflang=\"fr\" lang=\"fr\""
        )),
        "{de}"
    );
    assert!(de.contains("Auf Französisch"));
    // Its structured data says what language it is in, in that language's words.
    let fr = site.output(&format!("fr/news/{slug}/index.html"));
    assert!(fr.contains("\"inLanguage\":\"fr\""), "{fr}");
    assert!(fr.contains("\"articleSection\":\"Étude de marché\""));
}

#[test]
fn dates_read_naturally_in_each_language_issue_20() {
    let site = built();
    for (code, date) in [
        ("de", "14. Januar 2027"),
        ("fr", "14 janvier 2027"),
        ("en", "14 January 2027"),
    ] {
        let events = site.output(&format!("{code}/events/index.html"));
        assert!(events.contains(date), "{code}: {date}");
    }
}

#[test]
fn open_data_is_written_once_with_a_column_per_language_issue_20() {
    let site = built();
    for code in ["de", "fr", "en"] {
        assert!(!site.public().join(code).join("members.csv").exists());
    }
    let csv = site.output("members.csv");
    let header = csv.lines().next().unwrap().trim_start_matches('\u{feff}');
    assert!(
        header.ends_with(",summary_fr,profile_url_fr,summary_en,profile_url_en"),
        "{header}"
    );
    let json: serde_json::Value = serde_json::from_str(&site.output("members.json")).unwrap();
    let baar = json
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["slug"] == "baar-formenbau")
        .unwrap();
    // The German original, its English translation, no French one of its own.
    assert!(
        baar["summary"]
            .as_str()
            .unwrap()
            .starts_with("Konstruiert und baut")
    );
    assert!(
        baar["summary_en"]
            .as_str()
            .unwrap()
            .starts_with("Designs and builds")
    );
    assert_eq!(baar["summary_fr"], "");
    assert_eq!(
        baar["profile_url_fr"],
        "https://dreiland-precision.example/fr/members/baar-formenbau/"
    );
}

#[test]
fn each_language_has_feeds_and_calendars_that_parse_in_its_words_issue_20() {
    let site = built();
    for (code, kind) in [("de", "Messe"), ("fr", "Salon"), ("en", "Trade show")] {
        // Atom feeds: valid, in the language, every entry linking a page of the site.
        for feed in ["news/atom.xml", "events/atom.xml"] {
            let text = site.output(&format!("{code}/{feed}"));
            let parsed = feed_rs::parser::parse(text.as_bytes())
                .unwrap_or_else(|e| panic!("{code}/{feed} is not valid Atom: {e}"));
            assert!(!parsed.entries.is_empty(), "{code}/{feed}");
            assert!(
                text.contains(&format!("xml:lang=\"{code}\"")),
                "{code}/{feed}"
            );
            for entry in &parsed.entries {
                for link in &entry.links {
                    let path = link
                        .href
                        .strip_prefix(ORIGIN)
                        .unwrap_or_else(|| panic!("{}", link.href));
                    let file = match path.ends_with('/') {
                        true => format!("{}index.html", path.trim_start_matches('/')),
                        false => path.trim_start_matches('/').to_string(),
                    };
                    assert!(
                        site.public().join(&file).is_file(),
                        "{code}/{feed}: {}",
                        link.href
                    );
                }
            }
        }
        // The calendar: valid iCalendar, event kinds in the language.
        let ics = site.output(&format!("{code}/events.ics"));
        let calendars: Vec<_> = ical::IcalParser::new(ics.as_bytes())
            .map(|c| c.unwrap_or_else(|e| panic!("{code}/events.ics: {e:?}")))
            .collect();
        assert_eq!(calendars.len(), 1);
        assert!(calendars[0].events.len() >= 10, "{code}");
        assert!(ics.contains(kind), "{code}: {kind}");
    }
}

#[test]
fn cards_of_every_collection_mark_a_summary_in_another_language_issue_20() {
    let site = built();
    // The example's catalogues, resources, projects and the other collections are written in
    // English: on the German lists their summaries are marked as English.
    for list in [
        "catalogues",
        "resources",
        "projects",
        "procurement",
        "funding",
        "partners",
        "jobs",
    ] {
        let page = site.output(&format!("de/{list}/index.html"));
        assert!(
            page.contains("<p class=\"card-summary\" lang=\"en\"><span class=\"badge badge-language\" lang=\"de\">Auf Englisch</span>"),
            "{list}"
        );
        let english = site.output(&format!("en/{list}/index.html"));
        assert!(!english.contains("badge-language"), "{list} in English");
    }
}
