//! Matchmaking vocabulary (issue 19, item 2): terms that drift apart are reported, a
//! controlled vocabulary makes unknown terms errors with the label meant, and every term is
//! shown by one name.

use scraper::{Html, Selector};

use crate::support::SiteTest;

fn texts(html: &str, css: &str) -> Vec<String> {
    let doc = Html::parse_document(html);
    doc.select(&Selector::parse(css).unwrap())
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

/// Acme needs `Surface coatings` and `cnc-turning`; Beta offers `Surface coating` and `CNC
/// turning`, and Gamma `CNC turning` and `Laser cutting`, which Delta needs misspelt.
fn drifting() -> SiteTest {
    let site = SiteTest::base();
    site.write(
        "content/members/acme-robotics.md",
        "---\nname: Acme Robotics GmbH\ntype: company\nsectors: [Automation & robotics]\ncapabilities: [Robot integration]\nneeds:\n  - Surface coatings\n  - cnc-turning\n---\nAcme.\n",
    );
    site.write(
        "content/members/beta-metal.md",
        "---\nname: Beta Metal SAS\ntype: company\nsectors: [Surface technology]\ncapabilities: [Surface coating, CNC turning]\n---\nBeta.\n",
    );
    site.write(
        "content/members/gamma-institute.md",
        "---\nname: Gamma Institute\ntype: research\nsectors: [surface-technology]\ncapabilities: [CNC turning, Laser cutting]\n---\nGamma.\n",
    );
    site.write(
        "content/members/delta-parts.md",
        "---\nname: Delta Parts AG\ntype: company\nneeds: [Laser cuting]\n---\nDelta.\n",
    );
    site
}

#[test]
fn without_a_vocabulary_check_warns_about_terms_that_drift_apart_at_their_line() {
    let site = drifting();
    let run = site.check();
    run.success();
    // A plural: two terms that never match.
    run.stderr_has("warning: `Surface coatings` and `Surface coating` differ only by a plural, a hyphen or case, but are two capabilities that never match\n --> content/members/acme-robotics.md:7:5");
    // Hyphenation and case: one term, written two ways.
    run.stderr_has(
        "warning: `cnc-turning` is written `CNC turning` elsewhere\n --> content/members/acme-robotics.md:8:5",
    );
    run.stderr_has("write it the same way everywhere, e.g. `CNC turning` as 2 members do");
    run.stderr_has(
        "warning: `surface-technology` is written `Surface technology` elsewhere\n --> content/members/gamma-institute.md:4:11",
    );
    // A need nobody offers, with a capability of nearly its name.
    run.stderr_has("warning: no member offers `Laser cuting`, but `Laser cutting` is offered\n --> content/members/delta-parts.md:4:9");
    assert_eq!(run.stderr.matches("warning:").count(), 4, "{}", run.stderr);
}

#[test]
fn without_a_vocabulary_a_term_is_shown_as_most_members_write_it() {
    let site = drifting();
    site.build().success();
    let acme = site.output("members/acme-robotics/index.html");
    let needs = texts(&acme, ".tag-need");
    assert_eq!(needs, ["Surface coatings", "CNC turning"]);
    let all = texts(&acme, "main");
    assert!(!all[0].contains("cnc-turning"), "{}", all[0]);
    // Acme's need meets Beta's and Gamma's capability: both are its possible suppliers.
    for supplier in ["Beta Metal SAS", "Gamma Institute"] {
        assert!(all[0].contains(supplier), "{supplier} missing: {}", all[0]);
    }
    let chain = site.output("supply-chain/index.html");
    assert!(
        !chain.contains("cnc-turning<"),
        "the supply chain shows the need as written"
    );
    let sectors = site.output("sectors/surface-technology/index.html");
    assert!(texts(&sectors, "h1")[0].contains("Surface technology"));
}

const VOCABULARY: &str = "vocabulary:\n  capabilities:\n    - label: CNC turning\n      synonyms: [Drehen, Tournage]\n    - Surface coating\n    - Robot integration\n    - Anodising\n  sectors:\n    - label: Automation & robotics\n      synonyms: [Automatisierung]\n    - Precision machining\n    - Surface technology\n";

fn with_vocabulary(site: &SiteTest, vocabulary: &str) {
    let config = std::fs::read_to_string(site.root().join("cluster.yaml")).unwrap();
    site.write("cluster.yaml", &format!("{config}{vocabulary}"));
}

#[test]
fn with_a_vocabulary_an_unknown_term_is_an_error_naming_the_label_meant() {
    let site = SiteTest::base();
    with_vocabulary(&site, VOCABULARY);
    site.write(
        "content/members/beta-metal.md",
        "---\nname: Beta Metal SAS\ntype: company\nsectors: [Surface technologies, Medical technology]\ncapabilities: [Surface coatings, drehen]\n---\nBeta.\n",
    );
    let run = site.check();
    run.failure(1);
    run.stderr_has("error: `Surface coatings` is not a capability of the site's vocabulary\n --> content/members/beta-metal.md:5:16");
    run.stderr_has("= help: did you mean `Surface coating`? Or add it to `capabilities` in the vocabulary (cluster.yaml) if it is a new one");
    run.stderr_has("error: `Surface technologies` is not a sector of the site's vocabulary");
    run.stderr_has("did you mean `Surface technology`?");
    run.stderr_has("error: `Medical technology` is not a sector of the site's vocabulary");
    run.stderr_has(
        "= help: Add it to `sectors` in the vocabulary (cluster.yaml) if it is a new one",
    );
    assert_eq!(run.stderr.matches("error: `").count(), 3, "{}", run.stderr);
    // Nothing was written.
    site.build().failure(1);
    assert!(!site.public().exists());
}

#[test]
fn with_a_vocabulary_synonyms_match_and_every_term_shows_its_label() {
    let site = SiteTest::base();
    with_vocabulary(&site, VOCABULARY);
    site.write(
        "content/members/acme-robotics.md",
        "---\nname: Acme Robotics GmbH\ntype: company\nsectors: [automatisierung]\ncapabilities: [Robot integration]\nneeds: [Tournage]\n---\nAcme.\n",
    );
    site.write(
        "content/members/beta-metal.md",
        "---\nname: Beta Metal SAS\ntype: company\nsectors: [Surface technology]\ncapabilities: [Drehen, anodising]\n---\nBeta.\n",
    );
    let run = site.build();
    run.success();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let acme = site.output("members/acme-robotics/index.html");
    assert_eq!(
        texts(&acme, ".tag-need"),
        ["CNC turning"],
        "the need is shown by its label"
    );
    let main = texts(&acme, "main").remove(0);
    assert!(!main.contains("Tournage"), "{main}");
    assert!(main.contains("Automation & robotics"), "{main}");
    assert!(
        main.contains("Beta Metal SAS"),
        "Drehen and Tournage meet: {main}"
    );
    // One page per label, none per synonym.
    assert!(
        site.public()
            .join("capabilities/cnc-turning/index.html")
            .is_file()
    );
    assert!(!site.public().join("capabilities/drehen").exists());
    assert!(
        site.public()
            .join("sectors/automation-robotics/index.html")
            .is_file()
    );
    let beta = site.output("members/beta-metal/index.html");
    assert!(texts(&beta, "main")[0].contains("Anodising"));
}

#[test]
fn a_vocabulary_in_a_file_of_its_own_is_checked_at_its_own_lines() {
    let site = SiteTest::base();
    with_vocabulary(&site, "vocabulary: vocabulary.yaml\n");
    site.write(
        "vocabulary.yaml",
        "capabilities:\n  - label: CNC turning\n    synonyms: [Drehen]\n  - label: Lathe work\n    synonyms: [drehen]\n  - Robot integration\n  - Anodising\n",
    );
    site.check().failure(1).stderr_has("error: `drehen` is in the capabilities of the vocabulary twice: it already stands for `CNC turning`\n --> vocabulary.yaml:4:12");
    site.write(
        "vocabulary.yaml",
        "capabilities:\n  - label: 42\n    synonyms: {a: b}\nsectors:\n  - label: Surface technology\n    synonym: [Oberflächentechnik]\n",
    );
    // The mistakes of the file's lists in one run, each at its line.
    site.check()
        .failure(1)
        .stderr_has("error: expected a list, found a map\n --> vocabulary.yaml:3:15")
        .stderr_has("error: unknown field `synonym`\n --> vocabulary.yaml:6:5")
        .stderr_has("did you mean `synonyms`?");

    // Fixed, the file governs the members' terms.
    site.write(
        "vocabulary.yaml",
        "capabilities: [CNC turning, Robot integration, Anodising]\nsectors: [Automation & robotics, Precision machining, Surface technology]\n",
    );
    site.check().success();
    site.write(
        "content/members/gamma-institute.md",
        "---\nname: Gamma Institute\ntype: research\ncapabilities: [Welding]\n---\nGamma.\n",
    );
    site.check()
        .failure(1)
        .stderr_has("error: `Welding` is not a capability of the site's vocabulary")
        .stderr_has("Add it to `capabilities` in the vocabulary (vocabulary.yaml)");
}

#[test]
fn the_vocabulary_file_must_be_a_yaml_file_beside_cluster_yaml() {
    let site = SiteTest::base();
    for (name, says) in [
        (
            "missing.yaml",
            "there is no file `missing.yaml` in the site folder",
        ),
        (
            "../outside.yaml",
            "`../outside.yaml` is not a YAML file beside `cluster.yaml`",
        ),
        (
            "/etc/passwd",
            "`/etc/passwd` is not a YAML file beside `cluster.yaml`",
        ),
        (
            "cluster.txt",
            "`cluster.txt` is not a YAML file beside `cluster.yaml`",
        ),
        (
            "content/v.yaml",
            "`content/v.yaml` is not a YAML file beside `cluster.yaml`",
        ),
    ] {
        with_vocabulary(&site, &format!("vocabulary: {name}\n"));
        site.check()
            .failure(1)
            .stderr_has(says)
            .stderr_has("= field: vocabulary");
        // Back to the fixture's configuration.
        let config = std::fs::read_to_string(site.root().join("cluster.yaml")).unwrap();
        site.write("cluster.yaml", config.rsplit_once("vocabulary:").unwrap().0);
    }
}

#[test]
fn the_starters_commented_vocabulary_fits_its_members_once_uncommented() {
    let dir = tempfile::tempdir().unwrap();
    crate::support::run_in(dir.path(), &["new", "site"]).success();
    let config_path = dir.path().join("site/cluster.yaml");
    let config = std::fs::read_to_string(&config_path).unwrap();
    let (before, rest) = config
        .split_once("# vocabulary:\n")
        .expect("a commented vocabulary");
    let (block, after) = rest.split_once("build:\n").unwrap();
    let block: String = block
        .lines()
        .map(|l| format!("{}\n", l.strip_prefix("# ").expect("a commented line")))
        .collect();
    std::fs::write(
        &config_path,
        format!("{before}vocabulary:\n{block}build:\n{after}"),
    )
    .unwrap();
    let run = crate::support::run_in(dir.path(), &["check", "site", "--drafts"]);
    run.success();
    assert!(!run.stderr.contains("vocabulary"), "{}", run.stderr);
    // A term outside it is now an error naming the label meant.
    let member = dir.path().join("site/content/members");
    let first = std::fs::read_dir(&member)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            std::fs::read_to_string(p)
                .unwrap()
                .contains("capabilities: [Surface coating]")
        })
        .expect("a member offering surface coating");
    let text = std::fs::read_to_string(&first).unwrap();
    std::fs::write(
        &first,
        text.replace(
            "capabilities: [Surface coating]",
            "capabilities: [Surface coatings]",
        ),
    )
    .unwrap();
    crate::support::run_in(dir.path(), &["check", "site"])
        .failure(1)
        .stderr_has("did you mean `Surface coating`?");
}
