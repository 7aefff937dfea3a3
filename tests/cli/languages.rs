//! The theme in the site's language (issue 20): its words from the tables shipped for de,
//! en, fr and it, or from the site's own `i18n/<language>.yaml`; plurals, numbers and dates
//! as the language writes them.

use crate::support::SiteTest;

fn site_in(language: &str) -> SiteTest {
    let site = SiteTest::base();
    let config = std::fs::read_to_string(site.root().join("cluster.yaml")).unwrap();
    site.write(
        "cluster.yaml",
        &config.replace("language: en", &format!("language: {language}")),
    );
    site
}

#[test]
fn a_german_site_speaks_german_in_its_menus_labels_counts_and_script_issue_20() {
    let site = site_in("de");
    site.build().success();
    let home = site.output("index.html");
    assert!(home.contains(">Zum Inhalt springen</a>"), "{home}");
    assert!(home.contains("<h2 id=\"footer-explore\">Entdecken</h2>"));
    assert!(home.contains(">1 Mitglied<"), "plural one: {home}");
    assert!(home.contains(">2 Mitglieder<"), "plural other: {home}");
    assert!(!home.contains("Skip to content"));
    let directory = site.output("members/index.html");
    assert!(directory.contains("<label for=\"member-search\">Mitglieder suchen</label>"));
    assert!(directory.contains("Alle Filter aufheben"));
    // The script's words come with the page, as it has only English ones of its own.
    assert!(
        directory.contains("data-strings=\"{&quot;")
            && directory
                .contains("&quot;members_shown&quot;:&quot;{shown} von {n} Mitgliedern&quot;"),
        "{directory}"
    );
    let member = site.output("members/acme-robotics/index.html");
    assert!(member.contains("<dt>Beschäftigte</dt>"), "{member}");
    assert!(member.contains("aria-label=\"Brotkrumen\""));
    // Taxonomies, member kinds and countries (CLDR) by their German names.
    let sectors = site.output("sectors/index.html");
    assert!(sectors.contains("<h1>Branchen</h1>"), "{sectors}");
    assert!(member.contains(">Unternehmen</a>"), "{member}");
    assert!(member.contains(">Deutschland</a>"), "{member}");
    let countries = site.output("countries/index.html");
    assert!(countries.contains("<h1>Länder</h1>"), "{countries}");
}

#[test]
fn french_and_italian_sites_get_their_own_words_and_an_english_one_stays_english_issue_20() {
    for (language, words) in [
        ("fr", ["Aller au contenu", "Rechercher un membre"]),
        ("it", ["Vai al contenuto", "Cerca membri"]),
        ("en", ["Skip to content", "Search members"]),
    ] {
        let site = site_in(language);
        site.build().success();
        let directory = site.output("members/index.html");
        for w in words {
            assert!(directory.contains(w), "{language}: {w} missing");
        }
        // English pages carry no strings for the script: it has them.
        assert_eq!(directory.contains("data-strings="), language != "en");
    }
}

#[test]
fn a_site_overrides_the_themes_words_and_hears_about_unknown_keys_issue_20() {
    let site = site_in("de");
    site.write(
        "i18n/de.yaml",
        "nav:\n  skip: Direkt zum Inhalt\nmembers:\n  count: {one: \"{n} Firma\", other: \"{n} Firmen\"}\n",
    );
    site.build().success();
    let home = site.output("index.html");
    assert!(home.contains(">Direkt zum Inhalt</a>"), "{home}");
    assert!(home.contains(">2 Firmen<"), "{home}");
    // A misspelt key is an error at its line, with the key meant; the site is not built.
    site.write("i18n/de.yaml", "nav:\n  skip: Direkt\n  mnu: Menü\n");
    site.build()
        .failure(1)
        .stderr_has("i18n/de.yaml:3")
        .stderr_has("`nav.mnu` is not a string the theme uses")
        .stderr_has("did you mean `nav.menu`?");
    site.write("i18n/de.yaml", "date:\n  months: [Jan, Feb]\n");
    site.build()
        .failure(1)
        .stderr_has("`date.months` must be a list of the 12 months' names");
}

#[test]
fn a_language_without_shipped_words_warns_and_names_what_is_missing_issue_20() {
    let site = site_in("nl");
    site.check()
        .success()
        .stderr_has("the theme has no strings in `nl`");
    site.write("i18n/nl.yaml", "nav:\n  skip: Naar de inhoud\n");
    site.build()
        .success()
        .stderr_has("`nav.menu` is not translated: it shows in English");
    assert!(site.output("index.html").contains(">Naar de inhoud</a>"));
}
