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

#[test]
fn the_replaced_output_is_deleted_in_the_background_and_nothing_else_is_left() {
    let site = SiteTest::base();
    site.build().success();
    site.write(
        "content/pages/new-page.md",
        "---\ntitle: New page\n---\nFresh.\n",
    );
    site.build().success();
    // The new site is in place at once.
    assert!(site.public().join("pages/new-page/index.html").is_file());
    // The previous one was set aside and is deleted by a background process shortly after.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let leftovers: Vec<String> = std::fs::read_dir(site.root())
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("clusterpress-"))
            .collect();
        if leftovers.is_empty() {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "still there after 20 s: {leftovers:?}"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

#[test]
fn the_hidden_removal_command_refuses_folders_it_did_not_set_aside() {
    let site = SiteTest::base();
    site.build().success();
    site.run(&["__remove-replaced-output", "site/public"])
        .failure(2);
    assert!(site.public().join("index.html").is_file());
    site.run(&["__remove-replaced-output", "site/content"])
        .failure(2);
    assert!(site.root().join("content").is_dir());
}
