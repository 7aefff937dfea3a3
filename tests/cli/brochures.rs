//! Print-ready brochures: the pages, and their PDFs printed by a real headless Chromium and
//! read back with poppler (`pdfinfo`, `pdftotext`, `pdftoppm`) and zbar (`zbarimg`), which
//! `tests/run` installs.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use scraper::{Html, Selector};

use crate::support::{SiteTest, repo};

fn example() -> SiteTest {
    let site = SiteTest::from_dir(&repo().join("tests/fixtures/example-en"));
    let _ = std::fs::remove_dir_all(site.public());
    site
}

/// Runs a tool that the PDF checks need; a missing tool fails the test and says what to
/// install.
fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name).args(args).output().unwrap_or_else(|e| {
        panic!("`{name}` is needed for this test ({e}); install poppler-utils and zbar-tools (tests/run does)")
    });
    assert!(
        out.status.success() || name == "zbarimg",
        "{name} {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn pages_of(pdf: &Path) -> usize {
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no page count in {info}"))
}

/// The text of each page of a PDF.
fn page_texts(pdf: &Path) -> Vec<String> {
    let text = tool("pdftotext", &["-layout", pdf.to_str().unwrap(), "-"]);
    text.split('\u{c}').map(str::to_string).collect()
}

fn member_names(site: &SiteTest) -> BTreeMap<String, String> {
    let mut names = BTreeMap::new();
    for entry in std::fs::read_dir(site.root().join("content/members")).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        // Drafts and former members are in no brochure.
        if text.contains("\ndraft: true") || text.contains("\n  status: former") {
            continue;
        }
        let name = text
            .lines()
            .find_map(|l| l.strip_prefix("name: "))
            .unwrap()
            .trim_matches('"')
            .to_string();
        let slug = path.file_stem().unwrap().to_string_lossy().into_owned();
        names.insert(slug, name);
    }
    names
}

#[test]
fn every_member_and_catalogue_has_a_print_page_with_a_qr_code_and_no_site_chrome() {
    let site = example();
    site.build().success();
    let names = member_names(&site);
    for slug in names.keys() {
        let sheet =
            Html::parse_document(&site.output(&format!("members/{slug}/factsheet/index.html")));
        let qr = Selector::parse("svg.qr").unwrap();
        let label = sheet
            .select(&qr)
            .next()
            .and_then(|q| q.value().attr("aria-label"))
            .unwrap_or_else(|| panic!("no QR code on {slug}'s fact sheet"));
        assert_eq!(
            label,
            format!("QR code: https://dreiland-precision.example/members/{slug}/")
        );
        // The member's page links to it.
        let page = site.output(&format!("members/{slug}/index.html"));
        assert!(page.contains(&format!("href=\"/members/{slug}/factsheet/\"")));
    }
    let brochure = site.output("brochure/index.html");
    let html = Html::parse_document(&brochure);
    let entries = Selector::parse("article.entry").unwrap();
    assert_eq!(html.select(&entries).count(), names.len());
    let toc = Selector::parse("nav.toc li").unwrap();
    assert_eq!(html.select(&toc).count(), names.len());
    for chrome in ["site-header", "site-nav", "site-footer", "clusterpress.js"] {
        assert!(!brochure.contains(chrome), "{chrome} on a page for print");
    }
    assert!(brochure.contains("@page{size:A4}"));
    assert!(brochure.contains("<meta name=\"robots\" content=\"noindex\">"));
    for catalogue in ["medical-technology-2027", "automation-robotics-2027"] {
        let page = site.output(&format!("catalogues/{catalogue}/brochure/index.html"));
        assert!(page.contains("class=\"qr\""));
        assert!(
            site.output(&format!("catalogues/{catalogue}/index.html"))
                .contains(&format!("href=\"/catalogues/{catalogue}/brochure/\""))
        );
    }
    // Not for search engines.
    assert!(!site.output("sitemap.xml").contains("factsheet"));
    assert!(!site.output("sitemap.xml").contains("brochure"));
}

#[test]
fn paper_order_title_and_edition_come_from_cluster_yaml_and_brochures_can_be_switched_off() {
    let site = example();
    let config = std::fs::read_to_string(site.root().join("cluster.yaml")).unwrap();
    site.write(
        "cluster.yaml",
        &format!(
            "{config}\nbrochures:\n  paper: letter\n  order: sector\n  title: Suppliers' guide\n  edition: Spring 2027\n"
        ),
    );
    site.build().success();
    let brochure = site.output("brochure/index.html");
    assert!(brochure.contains("@page{size:letter}"));
    let title: String = Html::parse_document(&brochure)
        .select(&Selector::parse("h1").unwrap())
        .flat_map(|h| h.text())
        .collect();
    assert_eq!(title, "Suppliers' guide");
    assert!(brochure.contains("Edition Spring 2027"));
    // Grouped by sector, A–Z.
    let html = Html::parse_document(&brochure);
    let groups: Vec<String> = html
        .select(&Selector::parse("h2.group-title").unwrap())
        .map(|h| h.text().collect())
        .collect();
    assert!(groups.len() > 3, "{groups:?}");
    let mut sorted = groups.clone();
    sorted.sort();
    assert_eq!(groups, sorted);

    site.write(
        "cluster.yaml",
        &format!("{config}\nbrochures:\n  enabled: false\n"),
    );
    site.build().success();
    assert!(!site.public().join("brochure").exists());
    assert!(
        !site
            .public()
            .join("members/baar-formenbau/factsheet")
            .exists()
    );
    assert!(
        !site
            .output("members/baar-formenbau/index.html")
            .contains("factsheet")
    );
    site.run(&["build", "site", "--pdf"])
        .success()
        .stderr_has("--pdf prints nothing: brochures are switched off");

    site.write(
        "cluster.yaml",
        &format!("{config}\nbrochures:\n  paper: a3\n"),
    );
    site.build()
        .failure(1)
        .stderr_has("cluster.yaml")
        .stderr_has("paper");
}

#[test]
fn without_a_browser_the_build_says_so_and_succeeds_without_pdfs() {
    let site = example();
    // A PATH with no browser on it.
    let out = Command::new(env!("CARGO_BIN_EXE_clusterpress"))
        .args(["build", "site", "--pdf", "--now", "2026-11-27"])
        .current_dir(site.dir.path())
        .env_clear()
        .env("PATH", "/nonexistent")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("brochures are not printed to PDF: no Chromium or Chrome was found"),
        "{stderr}"
    );
    assert!(stderr.contains("--chrome PATH"), "{stderr}");
    assert!(!site.public().join("brochure/brochure.pdf").exists());
    // No link leads to a PDF that is not there.
    assert!(
        !site
            .output("members/baar-formenbau/index.html")
            .contains(".pdf")
    );

    site.run(&["build", "site", "--pdf", "--chrome", "/no/such/browser"])
        .failure(2)
        .stderr_has("--chrome `/no/such/browser` is not a file");
}

/// The whole way to paper: Chromium prints every brochure; the PDFs have the expected pages,
/// every member's name, no entry split between two pages, and QR codes that lead to the right
/// pages.
#[test]
fn brochures_print_to_pdfs_with_every_member_whole_and_working_qr_codes() {
    let site = example();
    let run = site.run(&["build", "site", "--pdf", "--now", "2026-11-27"]);
    run.success().stderr_has("Printed 36 PDFs with");
    let public = site.public();
    let names = member_names(&site);

    // Fact sheets: one page each, with the member's name.
    for (slug, name) in &names {
        let pdf = public.join(format!("members/{slug}/factsheet/{slug}.pdf"));
        assert_eq!(pages_of(&pdf), 1, "{slug}'s fact sheet");
        let text = page_texts(&pdf).concat();
        assert!(
            text.contains(name.split_whitespace().next().unwrap()),
            "{slug}: {text}"
        );
    }
    let page = site.output("members/baar-formenbau/index.html");
    assert!(page.contains("href=\"/members/baar-formenbau/factsheet/baar-formenbau.pdf\""));

    // The cluster brochure: a cover, the contents, then the entries.
    let brochure = public.join("brochure/brochure.pdf");
    let pages = page_texts(&brochure);
    let count = pages_of(&brochure);
    assert!(count >= 3 + names.len() / 4, "{count} pages");
    assert!(pages[0].contains("Our members") && pages[0].contains("Edition 2026"));
    assert!(pages[1].contains("Contents"));
    // The contents name the page each entry starts on: the pages of the PDF's named
    // destinations, as poppler reads them (Chromium lacks target-counter(), so they are
    // filled in from a first print).
    let dests = tool("pdfinfo", &["-dests", brochure.to_str().unwrap()]);
    let starts: std::collections::BTreeSet<usize> = dests
        .lines()
        .filter(|l| l.contains("\"m-"))
        .filter_map(|l| l.split_whitespace().next()?.parse().ok())
        .collect();
    assert!(starts.len() >= 3, "{dests}");
    let contents: Vec<usize> = pages[1]
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .filter(|n: &usize| *n > 2)
        .collect();
    for page in &starts {
        assert!(
            contents.contains(page),
            "page {page} is not in the contents: {}",
            pages[1]
        );
    }
    assert!(
        contents.iter().all(|n| starts.contains(n)),
        "{contents:?} against {starts:?}"
    );
    // The page itself leaves the numbers to the print.
    let html = site.output("brochure/index.html");
    assert!(html.contains(r#"<span class="toc-page" data-page-of="m-baar-formenbau"></span>"#));
    // Every member's full name is in the entries (in reading order, lines joined: long names
    // wrap).
    let text = tool("pdftotext", &[brochure.to_str().unwrap(), "-"]);
    let entries = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for name in names.values() {
        assert!(
            entries.contains(name.as_str()),
            "{name} is not in the brochure's text"
        );
    }
    for (slug, name) in &names {
        // The entry's heading and its last line (the website) are on the same page, which is
        // not the contents.
        let first_word = name.split_whitespace().next().unwrap();
        let on: Vec<usize> = (2..pages.len())
            .filter(|&i| pages[i].contains(first_word))
            .collect();
        assert!(!on.is_empty(), "{name} is not in the brochure");
        let text = std::fs::read_to_string(site.root().join(format!("content/members/{slug}.md")))
            .unwrap();
        if let Some(website) = text.lines().find_map(|l| l.strip_prefix("website: ")) {
            let shown = website
                .trim_start_matches("https://")
                .trim_start_matches("http://")
                .trim_end_matches('/');
            assert!(
                on.iter().any(|&i| pages[i].contains(shown)),
                "{name}'s entry is split: its website {shown} is not on its page"
            );
        }
    }
    for (i, text) in pages.iter().enumerate().skip(2) {
        let entries = text.matches("Profile online").count();
        let headings = names
            .values()
            .filter(|n| text.contains(n.as_str()) || text.contains(&n[..n.len().min(24)]))
            .count();
        assert!(
            headings >= entries,
            "page {} has {entries} QR captions but {headings} entry headings: an entry is split\n{text}",
            i + 1
        );
    }
    // The running header and page numbers are printed; not on the cover.
    assert!(pages[2].contains("Dreiland Precision Cluster"));
    assert!(pages[2].contains(&format!("3 / {count}")));
    assert!(!pages[0].contains(&format!("1 / {count}")));

    // Every QR code leads to its member's page.
    let images = site.dir.path().join("pages");
    std::fs::create_dir_all(&images).unwrap();
    tool(
        "pdftoppm",
        &[
            "-r",
            "150",
            "-png",
            brochure.to_str().unwrap(),
            images.join("p").to_str().unwrap(),
        ],
    );
    let mut decoded = Vec::new();
    for entry in std::fs::read_dir(&images).unwrap() {
        let png = entry.unwrap().path();
        decoded.extend(
            tool("zbarimg", &["-q", "--raw", png.to_str().unwrap()])
                .lines()
                .map(str::to_string),
        );
    }
    for slug in names.keys() {
        let url = format!("https://dreiland-precision.example/members/{slug}/");
        assert!(
            decoded.contains(&url),
            "no QR code decodes to {url}: {decoded:?}"
        );
    }

    // Catalogue brochures.
    for catalogue in ["medical-technology-2027", "automation-robotics-2027"] {
        let pdf = public.join(format!("catalogues/{catalogue}/brochure/{catalogue}.pdf"));
        assert!(pages_of(&pdf) >= 3, "{catalogue}");
    }

    // Building again prints nothing that has not changed.
    site.run(&["build", "site", "--pdf", "--now", "2026-11-27"])
        .success()
        .stderr_has("Printed 0 PDFs")
        .stderr_has("36 unchanged, kept from the last build");
    assert_eq!(pages_of(&brochure), count);

    // A new logo is printed again, on every PDF that shows it, and only those.
    let logo = site.root().join("static/logos/baar-formenbau.svg");
    let svg = std::fs::read_to_string(&logo).unwrap();
    std::fs::write(&logo, svg.replace("</svg>", "<circle r=\"2\"/></svg>")).unwrap();
    let run = site.run(&["build", "site", "--pdf", "--now", "2026-11-27"]);
    run.success();
    let printed: usize = run
        .stderr
        .split("Printed ")
        .nth(1)
        .and_then(|r| r.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{}", run.stderr));
    assert!((2..=4).contains(&printed), "{}", run.stderr);
    assert!(
        run.stderr.contains(&format!("{} unchanged", 36 - printed)),
        "{}",
        run.stderr
    );
}

#[test]
fn a_site_in_several_languages_prints_its_brochures_and_fact_sheets_in_each_issue_20() {
    let site = SiteTest::base();
    let config = std::fs::read_to_string(site.root().join("cluster.yaml")).unwrap();
    site.write(
        "cluster.yaml",
        &config.replace("language: en", "languages: [de, fr, en]"),
    );
    site.run(&["build", "site", "--pdf", "--now", "2026-11-27"])
        .success();
    let public = site.public();
    for (code, words) in [
        ("de", "Unsere Mitglieder"),
        ("fr", "Nos membres"),
        ("en", "Our members"),
    ] {
        let brochure = public.join(format!("{code}/brochure/brochure.pdf"));
        let text = tool("pdftotext", &[brochure.to_str().unwrap(), "-"]);
        assert!(text.contains(words), "{code}: {words} not in\n{text}");
        let sheet = public.join(format!(
            "{code}/members/acme-robotics/factsheet/acme-robotics.pdf"
        ));
        assert!(pages_of(&sheet) >= 1, "{code}");
        // The directory links its own language's PDF.
        let page = site.output(&format!("{code}/members/index.html"));
        assert!(
            page.contains(&format!("href=\"/{code}/brochure/brochure.pdf\"")),
            "{code}"
        );
    }
    assert!(!public.join("brochure").exists());
}
