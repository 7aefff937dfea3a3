//! Counts as people read them: one plural rule for every "N members", and numbers grouped as
//! the site's language writes them (issue 19, item 13).

use crate::support::SiteTest;

#[test]
fn one_member_is_one_member_everywhere_a_count_is_shown_issue_19() {
    let site = SiteTest::base();
    site.build().success();
    // "Surface technology" has one member (beta-metal), "Precision machining" two.
    let term = site.output("sectors/surface-technology/index.html");
    assert!(term.contains("1 member ·"), "{term}");
    assert!(!term.contains("1 members"), "{term}");
    let taxonomy = site.output("sectors/index.html");
    assert!(taxonomy.contains(">1 member<"), "{taxonomy}");
    assert!(taxonomy.contains(">2 members<"), "{taxonomy}");
    let home = site.output("index.html");
    assert!(home.contains(">1 member<"), "{home}");
    for page in ["index.html", "sectors/index.html", "members/index.html"] {
        assert!(!site.output(page).contains("1 members"), "{page}");
    }
}

#[test]
fn numbers_are_grouped_as_the_sites_language_writes_them_issue_19() {
    let site = SiteTest::base();
    let config = std::fs::read_to_string(site.root().join("cluster.yaml")).unwrap();
    let member = std::fs::read_to_string(site.root().join("content/members/acme-robotics.md"))
        .unwrap()
        .replace("employees: 120", "employees: 12000");
    site.write("content/members/acme-robotics.md", &member);
    site.build().success();
    assert!(
        site.output("members/acme-robotics/index.html")
            .contains("<dd>12,000</dd>")
    );
    site.write(
        "cluster.yaml",
        &config.replace("language: en", "language: de"),
    );
    site.build().success();
    assert!(
        site.output("members/acme-robotics/index.html")
            .contains("<dd>12.000</dd>")
    );
    site.write(
        "cluster.yaml",
        &config.replace("language: en", "language: fr"),
    );
    site.build().success();
    assert!(
        site.output("members/acme-robotics/index.html")
            .contains("<dd>12\u{202f}000</dd>")
    );
}
