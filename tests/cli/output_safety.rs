//! The output folder: never the site itself, never a folder clusterpress did not make.

use crate::support::SiteTest;

#[test]
fn output_cannot_be_the_site_or_a_source_folder() {
    let site = SiteTest::base();
    for out in ["site", ".", "site/content", "site/static/x"] {
        site.run(&["build", "site", "--output", out])
            .failure(2)
            .stderr_has("cannot be");
    }
    assert!(
        site.root()
            .join("content/members/acme-robotics.md")
            .is_file()
    );
}

#[test]
fn a_folder_not_made_by_clusterpress_is_never_replaced() {
    let site = SiteTest::base();
    site.write("docs/thesis.txt", "precious");
    site.run(&["build", "site", "--output", "site/docs"])
        .failure(2)
        .stderr_has("was not made by clusterpress");
    assert_eq!(
        std::fs::read_to_string(site.root().join("docs/thesis.txt")).unwrap(),
        "precious"
    );
}

#[test]
fn output_elsewhere_is_created_and_replaced() {
    let site = SiteTest::base();
    site.run(&["build", "site", "--output", "out"]).success();
    assert!(site.dir.path().join("out/index.html").is_file());
    site.run(&["build", "site", "--output", "out"]).success();
    assert!(site.dir.path().join("out/.clusterpress").is_file());
}
