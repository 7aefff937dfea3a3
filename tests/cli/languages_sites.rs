//! A site in several languages (issue 20): `languages:` in cluster.yaml puts every
//! language's pages, feeds and calendars under its own prefix, with the theme in that
//! language, while static files, open data and the sitemap stay at the top, once.

use crate::support::SiteTest;

/// The base site in German, French and English, with `extra` added to its configuration.
fn trilingual(extra: &str) -> SiteTest {
    let site = SiteTest::base();
    let config = std::fs::read_to_string(site.root().join("cluster.yaml")).unwrap();
    site.write(
        "cluster.yaml",
        &format!(
            "{}{extra}",
            config.replace(
                "language: en",
                "languages: [de, {code: fr, fallback: [de]}, en]"
            )
        ),
    );
    site.write(
        "content/events/summit-2027.md",
        "---\ntitle: Summit\nkind: conference\nstart: 2027-05-12 09:00\nend: 2027-05-12 17:00\n---\nAll day.\n",
    );
    site.write(
        "content/news/launch.md",
        "---\ntitle: Launch\ndate: 2026-11-02\n---\nWe launched.\n",
    );
    site
}

#[test]
fn every_language_has_its_pages_under_its_prefix_in_its_words_issue_20() {
    let site = trilingual("");
    site.build().success();
    for (code, search, skip, date) in [
        (
            "de",
            "Mitglieder suchen",
            "Zum Inhalt springen",
            "12. Mai 2027",
        ),
        (
            "fr",
            "Rechercher un membre",
            "Aller au contenu",
            "12 mai 2027",
        ),
        ("en", "Search members", "Skip to content", "12 May 2027"),
    ] {
        let directory = site.output(&format!("{code}/members/index.html"));
        assert!(
            directory.contains(&format!("<html lang=\"{code}\"")),
            "{code}: {directory}"
        );
        assert!(directory.contains(skip), "{code}: {skip}");
        assert!(
            directory.contains(&format!("<label for=\"member-search\">{search}</label>")),
            "{code}: {search}"
        );
        let events = site.output(&format!("{code}/events/index.html"));
        assert!(events.contains(date), "{code}: {date} in {events}");
        // The directory's own title too.
        let heading = match code {
            "de" => "<h1>Mitglieder",
            "fr" => "<h1>Membres",
            _ => "<h1>Members",
        };
        assert!(directory.contains(heading), "{code}: {heading}");
        // Links stay within the language; shared files are linked at the top.
        assert!(directory.contains(&format!("href=\"/{code}/members/acme-robotics/\"")));
        assert!(directory.contains("href=\"/clusterpress.css"), "{code}");
        assert!(!directory.contains(&format!("/{code}/clusterpress.css")));
        assert!(
            directory.contains("href=\"/logo.svg\"") || directory.contains("src=\"/logo.svg\"")
        );
        // The menu of cluster.yaml (`url: /members/`) leads to the language's own page.
        assert!(directory.contains(&format!("<a href=\"/{code}/members/\"")));
        // Each language has its calendar and feeds.
        assert!(site.public().join(format!("{code}/events.ics")).is_file());
        assert!(
            site.public()
                .join(format!("{code}/news/atom.xml"))
                .is_file()
        );
    }
    // Shared files once, at the top, and nowhere under a language.
    for shared in [
        "clusterpress.css",
        "members.json",
        "members.csv",
        "sitemap.xml",
    ] {
        assert!(site.public().join(shared).is_file(), "{shared}");
        for code in ["de", "fr", "en"] {
            assert!(
                !site.public().join(code).join(shared).exists(),
                "{code}/{shared}"
            );
        }
    }
    // The top sends visitors on to the default language and names every language.
    let root = site.output("index.html");
    assert!(root.contains("<html lang=\"de\">"), "{root}");
    assert!(
        root.contains("http-equiv=\"refresh\" content=\"0; url=/de/\""),
        "{root}"
    );
    for (code, name) in [("de", "Deutsch"), ("fr", "Français"), ("en", "English")] {
        assert!(
            root.contains(&format!(
                "<a href=\"/{code}/\" hreflang=\"{code}\" lang=\"{code}\">{name}</a>"
            )),
            "{root}"
        );
    }
    // Hosts show the top `404.html` for any address the site lacks: the default language's.
    assert!(site.output("404.html").contains("<html lang=\"de\""));
    assert!(site.output("fr/404.html").contains("<html lang=\"fr\""));
    // The sitemap lists every language's pages.
    let sitemap = site.output("sitemap.xml");
    for code in ["de", "fr", "en"] {
        assert!(
            sitemap.contains(&format!(
                "<loc>https://test-cluster.example/{code}/members/acme-robotics/</loc>"
            )),
            "{code}"
        );
    }
    assert!(!sitemap.contains("404.html"));
    assert!(!sitemap.contains("<loc>https://test-cluster.example/members/"));
}

/// The `hreflang` → address pairs of `<link rel="alternate">` (pages) or `<xhtml:link>`
/// (sitemap) elements in `text`.
fn alternates(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for piece in text.split("rel=\"alternate\" hreflang=\"").skip(1) {
        let (code, rest) = piece.split_once('"').unwrap();
        let href = rest
            .split("href=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        out.push((code.to_string(), href.to_string()));
    }
    out.sort();
    out
}

#[test]
fn each_page_names_its_translations_as_the_sitemap_does_and_offers_a_switcher_issue_20() {
    let site = trilingual("");
    site.build().success();
    let sitemap = site.output("sitemap.xml");
    for code in ["de", "fr", "en"] {
        let page = site.output(&format!("{code}/members/acme-robotics/index.html"));
        let own = format!("https://test-cluster.example/{code}/members/acme-robotics/");
        assert!(
            page.contains(&format!("<link rel=\"canonical\" href=\"{own}\">")),
            "{page}"
        );
        // The sitemap's entry for this page names the same translations.
        let entry = sitemap
            .split("<url>")
            .find(|u| u.starts_with(&format!("<loc>{own}</loc>")))
            .expect("the page is in the sitemap");
        let head = page.split("</head>").next().unwrap();
        assert_eq!(alternates(head), alternates(entry), "{code}");
        assert_eq!(alternates(head).len(), 4, "three languages and x-default");
        assert!(head.contains(
            "hreflang=\"x-default\" href=\"https://test-cluster.example/de/members/acme-robotics/\""
        ));
        // The switcher: plain links, each language named in itself, the current one marked.
        let switcher = page
            .split("<nav class=\"wrap languages\"")
            .nth(1)
            .and_then(|s| s.split("</nav>").next())
            .expect("a language switcher");
        for (other, name) in [("de", "Deutsch"), ("fr", "Français"), ("en", "English")] {
            let current = if other == code {
                " aria-current=\"true\""
            } else {
                ""
            };
            assert!(
                switcher.contains(&format!(
                    "<a href=\"/{other}/members/acme-robotics/\" hreflang=\"{other}\" lang=\"{other}\"{current}>{name}</a>"
                )),
                "{code}: {switcher}"
            );
        }
    }
    let words = [("de", "Sprachen"), ("fr", "Langues"), ("en", "Languages")];
    for (code, label) in words {
        let home = site.output(&format!("{code}/index.html"));
        assert!(home.contains(&format!("aria-label=\"{label}\"")), "{code}");
    }
    // A site of one language has neither.
    let one = SiteTest::base();
    one.build().success();
    let page = one.output("members/acme-robotics/index.html");
    assert!(!page.contains("hreflang"));
    assert!(!page.contains("class=\"wrap languages\""));
}

#[test]
fn hosts_that_read_redirects_send_the_top_to_the_default_language_issue_20() {
    let site = trilingual(
        "hosting: netlify\nredirects:\n  - from: /alt/\n    to: /members/\n  - from: /old-fr/\n    to: /fr/members/\n",
    );
    site.build().success();
    let redirects = site.output("_redirects");
    assert!(redirects.contains("\n/ /de/ 302\n"), "{redirects}");
    // A redirect to a page leads to the default language's, unless it names a language.
    assert!(redirects.contains("/alt/ /de/members/ 301"), "{redirects}");
    assert!(
        redirects.contains("/old-fr/ /fr/members/ 301"),
        "{redirects}"
    );
}

#[test]
fn a_site_of_one_language_keeps_its_addresses_issue_20() {
    let site = SiteTest::base();
    let config = std::fs::read_to_string(site.root().join("cluster.yaml")).unwrap();
    site.write(
        "cluster.yaml",
        &config.replace("language: en", "languages: [en]"),
    );
    site.build().success();
    assert!(
        site.output("members/index.html")
            .contains("<html lang=\"en\"")
    );
    assert!(!site.public().join("en").exists());
}

#[test]
fn mistakes_in_languages_are_named_at_their_line_issue_20() {
    let site = SiteTest::base();
    let config = std::fs::read_to_string(site.root().join("cluster.yaml")).unwrap();
    site.write(
        "cluster.yaml",
        &config.replace(
            "language: en",
            "language: en\nlanguages:\n  - de\n  - code: fr\n    fallback: [xx]\n    date_fromat: \"{day}\"\n  - de\n",
        ),
    );
    site.build()
        .failure(1)
        .stderr_has("`language: en` is not the first of `languages`")
        .stderr_has("`xx` is not one of the site's languages")
        .stderr_has("unknown key `date_fromat`")
        .stderr_has("did you mean `date_format`?")
        .stderr_has("`de` is listed twice")
        .stderr_has("cluster.yaml:");
}

#[test]
fn fields_and_bodies_come_in_each_language_with_a_marked_fallback_issue_20() {
    let site = trilingual("");
    let member = std::fs::read_to_string(site.root().join("content/members/acme-robotics.md"))
        .unwrap()
        .replacen(
            "name: Acme Robotics GmbH\n",
            "name: Acme Robotics GmbH\nlang: de\nsummary:\n  de: Roboterzellen für die Maschinenbeschickung.\n  fr: Cellules robotisées pour le chargement des machines.\n",
            1,
        );
    site.write("content/members/acme-robotics.md", &member);
    site.write(
        "content/members/acme-robotics.en.md",
        "---\nsummary: Robot cells for machine tending.\n---\nAcme builds robot cells, told in English.\n",
    );
    site.build().success();
    let page = |code: &str| site.output(&format!("{code}/members/acme-robotics/index.html"));
    // A map of languages: each language its own text.
    assert!(page("de").contains("Roboterzellen für die Maschinenbeschickung."));
    assert!(page("fr").contains("Cellules robotisées pour le chargement des machines."));
    // A translation file: its fields and its body, not marked as another language's.
    let en = page("en");
    assert!(en.contains("Robot cells for machine tending."), "{en}");
    assert!(en.contains("Acme builds robot cells, told in English."));
    assert!(!en.contains("in-other-language"));
    // The German body on the French page: shown as written, marked as German, in French.
    let fr = page("fr");
    assert!(
        fr.contains(
            "<div lang=\"de\" class=\"in-other-language\"><p class=\"language-note\" lang=\"fr\">En allemand</p>"
        ),
        "{fr}"
    );
    assert!(!page("de").contains("in-other-language"));
    // Every language's directory lists the member under the same address.
    assert!(
        site.output("fr/members/index.html")
            .contains("href=\"/fr/members/acme-robotics/\"")
    );
}

#[test]
fn mistakes_in_translations_are_shown_in_their_own_file_issue_20() {
    let site = trilingual("");
    site.write(
        "content/members/acme-robotics.fr.md",
        "---\nsummary: Cellules robotisées.\nemployees: beaucoup\n---\nEn français.\n",
    );
    site.write(
        "content/members/nobody.en.md",
        "---\nsummary: Nobody.\n---\n",
    );
    let beta = std::fs::read_to_string(site.root().join("content/members/beta-metal.md"))
        .unwrap()
        .replacen("---\n", "---\nlang: xx\n", 1);
    site.write("content/members/beta-metal.md", &beta);
    site.build()
        .failure(1)
        .stderr_has("content/members/acme-robotics.fr.md:3")
        .stderr_has("field: employees")
        .stderr_has("content/members/nobody.en.md")
        .stderr_has("a translation into `en` of `content/members/nobody.md`, which does not exist")
        .stderr_has("content/members/beta-metal.md:2")
        .stderr_has("`xx` is not one of the site's languages");
    // Nothing was written.
    assert!(!site.public().exists());
}

#[test]
fn the_site_name_tagline_and_menu_may_be_written_per_language_issue_20() {
    let site = trilingual("");
    let config = std::fs::read_to_string(site.root().join("cluster.yaml"))
        .unwrap()
        .replacen(
            "name: Test Cluster",
            "name:\n  de: Testverbund\n  fr: Grappe de test\n  en: Test Cluster",
            1,
        )
        .replacen(
            "tagline: A cluster for tests",
            "tagline: {de: Ein Verbund für Tests, en: A cluster for tests}",
            1,
        )
        .replacen(
            "  - title: Members\n",
            "  - title: {de: Mitglieder, fr: Membres, en: Members}\n",
            1,
        );
    site.write("cluster.yaml", &config);
    site.build().success();
    for (code, title, member_link) in [
        (
            "de",
            "<title>Testverbund – Ein Verbund für Tests</title>",
            "Mitglieder",
        ),
        // No French tagline: the default language's, along the fallback chain.
        (
            "fr",
            "<title>Grappe de test – Ein Verbund für Tests</title>",
            "Membres",
        ),
        (
            "en",
            "<title>Test Cluster – A cluster for tests</title>",
            "Members",
        ),
    ] {
        let home = site.output(&format!("{code}/index.html"));
        assert!(home.contains(title), "{code}: {home}");
        assert!(
            home.contains(&format!(
                "<li><a href=\"/{code}/members/\">{member_link}</a></li>"
            )),
            "{code}"
        );
    }
    // A language the site does not have, or a list, is refused at its line.
    let wrong = config.replacen("  en: Test Cluster", "  es: Test Cluster", 1);
    site.write("cluster.yaml", &wrong);
    site.build()
        .failure(1)
        .stderr_has("`es` is not one of the site's languages")
        .stderr_has("field: name");
}

#[test]
fn news_exist_only_in_their_languages_and_are_listed_in_the_others_with_a_badge_issue_20() {
    let site = trilingual("");
    site.write(
        "content/news/salon-colmar.md",
        "---\ntitle: Salon à Colmar\nlang: fr\ndate: 2026-10-02\nsummary: Nos membres à Colmar.\n---\nUn salon en français.\n",
    );
    site.write(
        "content/news/jahresbericht.md",
        "---\ntitle: Jahresbericht\ndate: 2026-09-01\n---\nAuf Deutsch.\n",
    );
    site.write(
        "content/news/jahresbericht.en.md",
        "---\ntitle: Annual report\n---\nIn English.\n",
    );
    site.build().success();
    let exists = |p: &str| site.public().join(p).join("index.html").is_file();
    // Only where it is written.
    assert!(exists("fr/news/salon-colmar"));
    assert!(!exists("de/news/salon-colmar") && !exists("en/news/salon-colmar"));
    assert!(exists("de/news/jahresbericht") && exists("en/news/jahresbericht"));
    assert!(!exists("fr/news/jahresbericht"));
    // Listed everywhere, in the other languages with a badge and a link to the original.
    let de = site.output("de/news/index.html");
    assert!(
        de.contains(
            "<a href=\"/fr/news/salon-colmar/\" hreflang=\"fr\" lang=\"fr\">Salon à Colmar</a>"
        ),
        "{de}"
    );
    assert!(
        de.contains("<span class=\"badge badge-language\">Auf Französisch</span>"),
        "{de}"
    );
    let fr = site.output("fr/news/index.html");
    assert!(
        fr.contains(
            "<a href=\"/de/news/jahresbericht/\" hreflang=\"de\" lang=\"de\">Jahresbericht</a>"
        ),
        "{fr}"
    );
    assert!(fr.contains("<a href=\"/fr/news/salon-colmar/\">Salon à Colmar</a>"));
    // Its translations are the languages it has, in its head and in the sitemap.
    let page = site.output("fr/news/salon-colmar/index.html");
    let head = page.split("</head>").next().unwrap();
    assert_eq!(alternates(head).len(), 2, "fr and x-default: {head}");
    let sitemap = site.output("sitemap.xml");
    assert!(sitemap.contains("<loc>https://test-cluster.example/fr/news/salon-colmar/</loc>"));
    assert!(!sitemap.contains("/de/news/salon-colmar/"));
    let report = sitemap
        .split("<url>")
        .find(|u| u.starts_with("<loc>https://test-cluster.example/en/news/jahresbericht/</loc>"))
        .expect("the English report is in the sitemap");
    let en_head = site.output("en/news/jahresbericht/index.html");
    assert_eq!(
        alternates(en_head.split("</head>").next().unwrap()),
        alternates(report)
    );
    assert!(!report.contains("/fr/news/jahresbericht/"));
    // The switcher offers the languages the page is in.
    assert!(!en_head.contains("href=\"/fr/news/jahresbericht/\""));
}

#[test]
fn check_reports_what_is_not_translated_and_strict_translations_fails_on_it_issue_20() {
    let site = trilingual("");
    // Acme: German original with an English translation and a French summary.
    let member = std::fs::read_to_string(site.root().join("content/members/acme-robotics.md"))
        .unwrap()
        .replacen(
            "name: Acme Robotics GmbH\n",
            "name: Acme Robotics GmbH\nsummary: {de: Roboterzellen., fr: Cellules robotisées.}\n",
            1,
        );
    site.write("content/members/acme-robotics.md", &member);
    site.write(
        "content/members/acme-robotics.en.md",
        "---\nsummary: Robot cells.\n---\nIn English.\n",
    );
    let run = site.check();
    run.success();
    let table = run
        .stderr
        .split("translations:")
        .nth(1)
        .expect("a translation table");
    let row = |code: &str| {
        table
            .lines()
            .find(|l| l.trim_start().starts_with(code))
            .unwrap_or_else(|| panic!("no row for {code}: {table}"))
            .split_whitespace()
            .filter_map(|w| w.parse::<usize>().ok())
            .collect::<Vec<_>>()
    };
    let files = row("de (default)")[0];
    assert!(files >= 4, "{table}");
    // In German everything is written; French lacks Acme's body and the other files' texts;
    // English lacks the other files' texts only.
    assert_eq!(row("de (default)")[1..], [0, 0], "{table}");
    let (fr, en) = (row("fr"), row("en"));
    assert_eq!(fr[0], files);
    assert_eq!(
        fr[1],
        en[1] + 1,
        "Acme is untranslated in French only: {table}"
    );
    assert!(fr[2] > en[2]);

    site.run(&["check", "site", "--strict-translations"])
        .failure(1)
        .stderr_has("not translated into `fr`: body")
        .stderr_has("content/members/acme-robotics.md")
        .stderr_has("acme-robotics.fr.md");
}

#[test]
fn an_item_may_have_its_own_address_in_each_language_issue_20() {
    let site = trilingual("");
    let member = std::fs::read_to_string(site.root().join("content/members/acme-robotics.md"))
        .unwrap()
        .replacen(
            "name: Acme Robotics GmbH\n",
            "name: Acme Robotics GmbH\nslug: {fr: acme-robotique}\n",
            1,
        );
    site.write("content/members/acme-robotics.md", &member);
    site.write(
        "content/members/acme-robotics.en.md",
        "---\nslug: acme-robotics-uk\n---\n",
    );
    site.build().success();
    let exists = |p: &str| site.public().join(p).join("index.html").is_file();
    assert!(exists("de/members/acme-robotics"));
    assert!(exists("fr/members/acme-robotique") && !exists("fr/members/acme-robotics"));
    assert!(exists("en/members/acme-robotics-uk") && !exists("en/members/acme-robotics"));
    assert!(exists("fr/members/acme-robotique/factsheet"));
    // Every link in a language leads to the item's address in it.
    let directory = site.output("fr/members/index.html");
    assert!(
        directory.contains("href=\"/fr/members/acme-robotique/\""),
        "{directory}"
    );
    let de = site.output("de/members/acme-robotics/index.html");
    assert!(de.contains(
        "<link rel=\"alternate\" hreflang=\"fr\" href=\"https://test-cluster.example/fr/members/acme-robotique/\">"
    ));
    assert!(de.contains("<a href=\"/en/members/acme-robotics-uk/\" hreflang=\"en\""));
    let sitemap = site.output("sitemap.xml");
    assert!(sitemap.contains("<loc>https://test-cluster.example/fr/members/acme-robotique/</loc>"));
    assert!(!sitemap.contains("https://test-cluster.example/fr/members/acme-robotics/"));

    // Two items at one address, or a slug that is not one, are refused.
    let beta = std::fs::read_to_string(site.root().join("content/members/beta-metal.md"))
        .unwrap()
        .replacen(
            "---\n",
            "---\nslug: {fr: acme-robotique, en: Not A Slug}\n",
            1,
        );
    site.write("content/members/beta-metal.md", &beta);
    site.build()
        .failure(1)
        .stderr_has("`acme-robotique` is already")
        .stderr_has("content/members/beta-metal.md:2")
        .stderr_has("`Not A Slug` cannot be used as a URL slug")
        .stderr_has("`not-a-slug`");
}
