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

/// Files under `dir` whose names mark them as set aside by clusterpress.
fn leftovers(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".clusterpress-"))
        .collect()
}

#[test]
fn a_build_killed_at_any_moment_leaves_the_previous_output_whole() {
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    use crate::support::{repo, snapshot_tree};

    // A site large enough that a build takes a while: 1,500 members and their pages.
    let dir = tempfile::tempdir().unwrap();
    let status = Command::new("python3")
        .arg(repo().join("bench/gen"))
        .args(["1500", &dir.path().display().to_string()])
        .stdout(Stdio::null())
        .status()
        .expect("python3 runs bench/gen");
    assert!(status.success());
    let build_into = |out: &str| {
        Command::new(env!("CARGO_BIN_EXE_clusterpress"))
            .args([
                "build",
                "clusterpress",
                "--output",
                out,
                "--now",
                "2026-11-27",
            ])
            .current_dir(dir.path())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    let build = || build_into("public");
    let started = Instant::now();
    assert!(build().wait().unwrap().success());
    let full = started.elapsed();
    let public = dir.path().join("public");
    let before = snapshot_tree(&public);
    assert!(before.len() > 2000, "{} files", before.len());

    // A change, so that a finished build would differ.
    let members = dir.path().join("clusterpress/content/members");
    std::fs::write(
        members.join("zz-new-member.md"),
        "---\nname: Zz New Member\ntype: company\n---\nNew.\n",
    )
    .unwrap();
    assert!(build_into("public-new").wait().unwrap().success());
    let after = snapshot_tree(&dir.path().join("public-new"));
    assert!(after.contains_key("members/zz-new-member/index.html"));

    // Kill builds at moments spread over a whole build: while loading, rendering, writing
    // and swapping. After each, the output is the previous site, byte for byte.
    for step in 0..12u32 {
        let at = full * step / 11;
        let mut child = build();
        std::thread::sleep(at);
        let _ = child.kill(); // SIGKILL
        let _ = child.wait();
        let now = snapshot_tree(&public);
        assert!(
            now == before || now == after,
            "after a kill at {at:?} of {full:?} the output is neither the previous site nor the new one"
        );
    }

    // The next build cleans up what the killed ones left and puts the new site in place.
    assert!(build().wait().unwrap().success());
    assert!(snapshot_tree(&public) == after);
    let deadline = Instant::now() + Duration::from_secs(30);
    while !leftovers(dir.path()).is_empty() {
        assert!(
            Instant::now() < deadline,
            "still there after 30 s: {:?}",
            leftovers(dir.path())
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}
