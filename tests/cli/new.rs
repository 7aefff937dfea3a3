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

/// The starter site has a commented example of every collection to copy, as a draft: left out
/// of the site until the author publishes it, but checked, so that it cannot rot (issue 19).
#[test]
fn the_starter_has_a_checked_draft_example_of_every_collection_issue_19() {
    let t = SiteTest::empty();
    run_in(t.dir.path(), &["new", "my-cluster"]).success();
    let content = t.dir.path().join("my-cluster/content");
    for collection in clusterpress::model::COLLECTIONS {
        let dir = content.join(collection);
        let files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("no content/{collection}/ in the starter: {e}"))
            .map(|e| e.unwrap().path())
            .collect();
        assert!(!files.is_empty(), "content/{collection}/ is empty");
        if ["members", "pages"].contains(collection) {
            continue;
        }
        for file in &files {
            let text = std::fs::read_to_string(file).unwrap();
            assert!(text.contains("\ndraft: true\n"), "{}", file.display());
            assert!(text.contains("\n# "), "{} explains itself", file.display());
        }
    }
    // Published with --drafts, every example is a valid item whose pages build and link.
    let check = run_in(
        t.dir.path(),
        &["check", "my-cluster", "--drafts", "--now", "2027-01-20"],
    );
    check.success();
    assert!(!check.stderr.contains("warning"), "{}", check.stderr);
    let build = run_in(
        t.dir.path(),
        &["build", "my-cluster", "--drafts", "--now", "2027-01-20"],
    );
    build.success();
    for page in [
        "events/example-open-day",
        "jobs/example-job",
        "training/example-course",
    ] {
        let path = t
            .dir
            .path()
            .join(format!("my-cluster/public/{page}/index.html"));
        assert!(path.is_file(), "{page}");
    }
}
