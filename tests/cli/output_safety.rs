//! The output folder: never the site itself, never a folder clusterpress did not make.

use crate::support::{SiteTest, snapshot_tree};

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
        .stderr_has("is not a previous clusterpress output (it has no `.clusterpress` file, and it holds `thesis.txt`)");
    assert_eq!(
        std::fs::read_to_string(site.root().join("docs/thesis.txt")).unwrap(),
        "precious"
    );
}

/// A home folder with stray marker files, and what must survive a build aimed at it.
fn home_folder(site: &SiteTest) -> std::path::PathBuf {
    let home = site.dir.path().join("home");
    for (file, text) in [
        (".ssh/id_ed25519", "PRIVATE KEY"),
        ("Documents/offer.odt", "offer"),
        ("notes.txt", "notes"),
    ] {
        let p = home.join(file);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    home
}

#[test]
fn a_stray_marker_does_not_make_a_folder_replaceable_issue_17() {
    let site = SiteTest::base();
    let home = home_folder(&site);
    let before = snapshot_tree(&home);
    // A marker with any content, and then one copied from a real build.
    site.run(&["build", "site", "--output", "real"]).success();
    let real_marker = std::fs::read(site.dir.path().join("real/.clusterpress")).unwrap();
    for marker in [&b"anything"[..], b"", &real_marker] {
        std::fs::write(home.join(".clusterpress"), marker).unwrap();
        let run = site.run(&["build", "site", "--output", "home", "--now", "2026-11-27"]);
        run.failure(2)
            .stderr_has("/home` exists and is not a previous clusterpress output")
            .stderr_has("`.ssh/`, `Documents/`, `notes.txt`");
        let mut after = snapshot_tree(&home);
        after.remove(".clusterpress");
        assert_eq!(after, before, "a file of the folder was changed");
        assert!(leftovers(site.dir.path()).is_empty());
    }
}

#[test]
fn a_file_added_to_the_output_by_hand_stops_the_next_build_issue_17() {
    let site = SiteTest::base();
    site.build().success();
    site.write("public/members/acme-robotics/price-list.pdf", "mine");
    site.build()
        .failure(2)
        .stderr_has("it holds an entry that the last build did not write: `members/acme-robotics/price-list.pdf`");
    assert_eq!(site.output("members/acme-robotics/price-list.pdf"), "mine");
    // Taken out again, the folder is the last build's once more.
    site.remove("public/members/acme-robotics/price-list.pdf");
    site.build().success();
}

#[test]
fn output_through_a_linked_folder_is_checked_where_it_really_is_issue_17() {
    let site = SiteTest::base();
    let top = site.dir.path();
    std::os::unix::fs::symlink(site.root().join("content"), top.join("linkc")).unwrap();
    std::os::unix::fs::symlink(site.root().join("static"), top.join("links")).unwrap();
    std::os::unix::fs::symlink(site.root(), top.join("linksite")).unwrap();
    for out in [
        "linkc/new",
        "links/x/y",
        "linksite/static/new",
        "linksite/content",
    ] {
        site.run(&["build", "site", "--output", out])
            .failure(2)
            .stderr_has("cannot be inside `content/`, `static/`");
    }
    // Through a link that leads somewhere harmless, the build goes ahead.
    std::fs::create_dir(top.join("www")).unwrap();
    std::os::unix::fs::symlink(top.join("www"), top.join("linkw")).unwrap();
    site.run(&["build", "site", "--output", "linkw/public"])
        .success();
    assert!(top.join("www/public/index.html").is_file());
    // A source folder that is itself a link: the output may not go where it leads either.
    let shared = top.join("shared-static");
    std::fs::rename(site.root().join("static"), &shared).unwrap();
    std::os::unix::fs::symlink(&shared, site.root().join("static")).unwrap();
    for out in ["shared-static/new", "."] {
        let run = site.run(&["build", "site", "--output", out]);
        run.failure(2);
    }
    assert!(!site.root().join("content/new").exists());
    assert!(!shared.join("new").exists());
    // A theme kept outside the site is a source folder too.
    std::fs::create_dir_all(top.join("shared-theme/templates")).unwrap();
    let config = std::fs::read_to_string(site.root().join("cluster.yaml")).unwrap();
    site.write("cluster.yaml", &format!("{config}theme: ../shared-theme\n"));
    site.run(&["build", "site", "--output", "shared-theme/public"])
        .failure(2)
        .stderr_has("cannot be inside");
    assert!(!top.join("shared-theme/public").exists());
}

#[test]
fn builds_into_one_output_at_the_same_time_take_turns_issue_17() {
    use std::process::{Command, Stdio};
    let site = SiteTest::base();
    let builds: Vec<_> = (0..4)
        .map(|_| {
            Command::new(env!("CARGO_BIN_EXE_clusterpress"))
                .args(["build", "site", "--now", "2026-11-27"])
                .current_dir(site.dir.path())
                .env_clear()
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut waited = 0;
    for b in builds {
        let out = b.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "a build failed:\n{stderr}");
        waited += usize::from(stderr.contains("Another build is writing"));
    }
    assert!(waited > 0, "no build waited for another");
    assert!(site.public().join("index.html").is_file());
    // What the last one left is a proper output: the next build replaces it.
    site.build().success();
}

#[test]
fn a_leftover_that_is_not_ours_is_reported_and_left_alone_issue_17() {
    let site = SiteTest::base();
    site.write(".public.clusterpress-staging-1/mine.txt", "mine");
    site.build()
        .success()
        .stderr_has("warning: `")
        .stderr_has(".public.clusterpress-staging-1` was left by an earlier build and cannot be removed (it is not one clusterpress made)");
    assert_eq!(
        std::fs::read_to_string(site.root().join(".public.clusterpress-staging-1/mine.txt"))
            .unwrap(),
        "mine"
    );
}

#[test]
fn a_read_only_folder_in_the_output_does_not_leave_copies_behind_issue_17() {
    use std::os::unix::fs::PermissionsExt;
    let site = SiteTest::base();
    site.build().success();
    let members = site.public().join("members");
    std::fs::set_permissions(&members, std::fs::Permissions::from_mode(0o555)).unwrap();
    for _ in 0..3 {
        site.build().success();
    }
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while !leftovers(&site.root()).is_empty() {
        assert!(
            std::time::Instant::now() < deadline,
            "left behind: {:?}",
            leftovers(&site.root())
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
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

    // A site large enough that a build takes a while: 1,500 members and their pages.
    let dir = tempfile::tempdir().unwrap();
    crate::support::bench_gen(1500, dir.path());
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

#[test]
fn a_file_that_cannot_be_written_fails_with_exit_code_2_and_leaves_the_output_issue_17() {
    let site = SiteTest::base();
    site.build().success();
    let before = snapshot_tree(&site.public());
    // Files may grow to 8 KB at most (the shell ignores the signal that would otherwise
    // kill the process): writing the larger pages fails as a full disk would.
    let bin = env!("CARGO_BIN_EXE_clusterpress");
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg(format!(
            "trap '' XFSZ; ulimit -f 8; exec '{bin}' build site --now 2026-11-27"
        ))
        .current_dir(site.dir.path())
        .env_clear()
        .output()
        .unwrap();
    let run = crate::support::Run::from(out);
    run.failure(2)
        .stderr_has("cannot write `")
        .stderr_has("File too large")
        .stderr_has("could not be written beside");
    assert!(snapshot_tree(&site.public()) == before);
    assert!(leftovers(&site.root()).is_empty());
}
