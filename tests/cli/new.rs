//! `new`: the starter site must build cleanly, with no warnings.

use crate::support::{SiteTest, run_in};

#[test]
fn new_site_builds_without_errors_or_warnings() {
    let t = SiteTest::empty();
    run_in(t.dir.path(), &["new", "my-cluster"])
        .success()
        .stderr_has("Created a new site");
    let build = run_in(
        t.dir.path(),
        &["build", "my-cluster", "--now", "2026-11-27"],
    );
    build.success();
    assert!(!build.stderr.contains("warning"), "{}", build.stderr);
    let home = std::fs::read_to_string(t.dir.path().join("my-cluster/public/index.html")).unwrap();
    assert!(home.contains("My Cluster"));
    assert!(
        t.dir
            .path()
            .join("my-cluster/public/members/alpha-machining/index.html")
            .is_file()
    );
}

#[test]
fn new_refuses_a_folder_that_is_not_empty() {
    let t = SiteTest::base();
    let run = run_in(t.dir.path(), &["new", "site"]);
    run.failure(2).stderr_has("not empty");
    assert!(t.root().join("content/members/acme-robotics.md").is_file());
}
