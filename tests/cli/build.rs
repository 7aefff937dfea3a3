//! `build` on valid sites: pages, URLs, sitemap, drafts, determinism, failed builds.

use crate::support::{SiteTest, snapshot_tree};

#[test]
fn base_site_builds_every_page() {
    let site = SiteTest::base();
    site.build().success().stderr_has("Built ");
    for page in [
        "index.html",
        "404.html",
        "members/index.html",
        "members/acme-robotics/index.html",
        "members/beta-metal/index.html",
        "members/gamma-institute/index.html",
        "sectors/index.html",
        "sectors/automation-robotics/index.html",
        "sectors/precision-machining/index.html",
        "capabilities/anodising/index.html",
        "regions/sudbaden/index.html",
        "countries/de/index.html",
        "countries/ch/index.html",
        "types/research/index.html",
        "pages/about/index.html",
        "sitemap.xml",
        "robots.txt",
        "clusterpress.css",
        "clusterpress.js",
        "logos/acme.svg",
    ] {
        assert!(site.public().join(page).is_file(), "missing {page}");
    }
}

#[test]
fn term_pages_list_exactly_their_members() {
    let site = SiteTest::base();
    site.build().success();
    let html = site.output("sectors/precision-machining/index.html");
    assert!(html.contains("Acme Robotics GmbH"));
    assert!(html.contains("Gamma Institute"));
    assert!(!html.contains("Beta Metal SAS"));
    let html = site.output("countries/fr/index.html");
    assert!(html.contains("Beta Metal SAS") && !html.contains("Acme Robotics GmbH"));
}

#[test]
fn internal_links_are_resolved_and_body_anchors_exist() {
    let site = SiteTest::base();
    site.build().success();
    let about = site.output("pages/about/index.html");
    assert!(
        about.contains("/members/acme-robotics/#products"),
        "{about}"
    );
    assert!(about.contains(r#"id=history"#) || about.contains(r#"id="history""#));
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let site = SiteTest::base();
    site.write(
        "content/members/delta-tools.md",
        "---\nname: Delta Tools\ntype: company\ndraft: true\n---\nDelta.\n",
    );
    site.build().success();
    assert!(!site.public().join("members/delta-tools").exists());
    assert!(!site.output("members/index.html").contains("Delta Tools"));
    site.run(&["build", "site", "--drafts", "--now", "2026-11-27"])
        .success();
    assert!(site.output("members/index.html").contains("Delta Tools"));
}

#[test]
fn two_builds_of_the_same_site_are_byte_identical() {
    let a = SiteTest::base();
    let b = SiteTest::base();
    // Different creation order of the same files must not matter.
    b.remove("content/members/acme-robotics.md");
    std::fs::copy(
        a.root().join("content/members/acme-robotics.md"),
        b.root().join("content/members/acme-robotics.md"),
    )
    .unwrap();
    a.build().success();
    b.build().success();
    let (ta, tb) = (snapshot_tree(&a.public()), snapshot_tree(&b.public()));
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    for (k, v) in &ta {
        assert!(v == &tb[k], "{k} differs between two builds");
    }
}

#[test]
fn a_failing_build_leaves_the_previous_output_byte_identical() {
    let site = SiteTest::base();
    site.build().success();
    let before = snapshot_tree(&site.public());
    site.write(
        "content/members/beta-metal.md",
        "---\nname: Beta\ntype: company\nsecotrs: []\n---\n",
    );
    site.write(
        "content/members/new-member.md",
        "---\nname: New\ntype: company\n---\n",
    );
    site.build().failure(1).stderr_has("was left as it was");
    assert_eq!(before, snapshot_tree(&site.public()));
    let leftovers: Vec<_> = std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("clusterpress-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_successful_rebuild_removes_pages_of_deleted_members() {
    let site = SiteTest::base();
    site.build().success();
    assert!(site.public().join("members/beta-metal/index.html").exists());
    site.remove("content/members/beta-metal.md");
    site.build().success();
    assert!(!site.public().join("members/beta-metal").exists());
}

#[test]
fn bom_and_crlf_files_build_like_any_other() {
    let site = SiteTest::base();
    site.write("content/members/beta-metal.md", "\u{feff}---\r\nname: Beta Metal SAS\r\ntype: company\r\nsectors: [Surface technology]\r\n---\r\nBeta *anodises*.\r\n");
    site.build().success();
    assert!(
        site.output("members/beta-metal/index.html")
            .contains("<em>anodises</em>")
    );
}

#[test]
fn sitemap_and_robots_use_the_base_url() {
    let site = SiteTest::base();
    site.run(&[
        "build",
        "site",
        "--base-url",
        "https://org.github.io/tc/",
        "--now",
        "2026-11-27",
    ])
    .success();
    let sitemap = site.output("sitemap.xml");
    assert!(sitemap.contains("<loc>https://org.github.io/tc/members/acme-robotics/</loc>"));
    assert!(!sitemap.contains("404"));
    assert!(
        site.output("robots.txt")
            .contains("Sitemap: https://org.github.io/tc/sitemap.xml")
    );
}

#[test]
fn help_documents_every_flag() {
    let site = SiteTest::empty();
    let run = site.run(&["build", "--help"]);
    run.success();
    for flag in ["--output", "--base-url", "--drafts", "--now"] {
        assert!(run.stdout.contains(flag), "build --help lacks {flag}");
    }
    let run = site.run(&["--help"]);
    for cmd in ["build", "check", "new"] {
        assert!(run.stdout.contains(cmd));
    }
}

#[test]
fn usage_errors_exit_with_two() {
    let site = SiteTest::base();
    site.run(&["build", "site", "--now", "yesterday"])
        .failure(2)
        .stderr_has("--now `yesterday`");
    site.run(&["frobnicate"]).failure(2);
    site.run(&["build", "site", "--base-url", "ftp://x.example/"])
        .failure(2)
        .stderr_has("--base-url");
}

#[test]
fn check_writes_nothing() {
    let site = SiteTest::base();
    site.check().success().stderr_has("ok: 3 members");
    assert!(!site.public().exists());
}

#[test]
fn html_shown_as_code_is_not_taken_for_links() {
    let site = SiteTest::base();
    site.write("content/pages/about.md", "---\ntitle: About\n---\nWrite `<a href=\"/nope/\">` like this:\n\n```html\n<a href=\"/nope/\">x</a>\n```\n");
    site.build().success();
}

#[test]
fn a_robots_txt_of_the_site_wins_over_the_generated_one() {
    let site = SiteTest::base();
    site.write("static/robots.txt", "User-agent: *\nDisallow: /\n");
    site.build().success();
    assert_eq!(site.output("robots.txt"), "User-agent: *\nDisallow: /\n");
}

#[test]
fn a_need_links_to_the_members_who_supply_it() {
    let site = SiteTest::base();
    site.build().success();
    // Acme needs anodising, which Beta supplies.
    let html = site.output("members/acme-robotics/index.html");
    assert!(html.contains("/capabilities/anodising/"), "{html}");
}

#[test]
fn a_member_without_a_type_is_a_company() {
    let site = SiteTest::base();
    site.write(
        "content/members/delta-tools.md",
        "---\nname: Delta Tools\n---\nTools.\n",
    );
    site.build().success();
    assert!(
        site.output("types/company/index.html")
            .contains("Delta Tools")
    );
}

#[test]
fn page_extra_and_description_reach_the_templates() {
    let site = SiteTest::base();
    site.write("content/pages/about.md", "---\ntitle: About\ndescription: Who we are.\nextra:\n  banner: yes\n---\nFirst paragraph.\n");
    site.write("templates/pages-item.html", "{% extends \"theme/pages-item.html\" %}{% block head %}<meta name=\"banner\" content=\"{{ page.extra.banner }}\">{% endblock head %}");
    site.build().success();
    let html = site.output("pages/about/index.html");
    assert!(html.contains("Who we are."));
    assert!(html.contains("banner"), "{html}");
}

#[test]
fn feeds_and_sitemap_can_be_switched_off() {
    let site = SiteTest::base();
    site.write(
        "content/news/hello.md",
        "---\ntitle: Hello\ndate: 2026-11-01\n---\nNews.\n",
    );
    site.build().success();
    assert!(site.public().join("sitemap.xml").is_file());
    assert!(site.public().join("news/atom.xml").is_file());
    assert!(site.output("index.html").contains("application/atom+xml"));

    let config = std::fs::read_to_string(site.root().join("cluster.yaml")).unwrap();
    site.write(
        "cluster.yaml",
        &format!("{config}\nbuild:\n  feeds: false\n  sitemap: false\n"),
    );
    site.build().success();
    assert!(!site.public().join("sitemap.xml").exists());
    assert!(!site.public().join("robots.txt").exists());
    assert!(!site.public().join("news/atom.xml").exists());
    let home = site.output("index.html");
    assert!(!home.contains("application/atom+xml"), "feed still linked");
    assert!(!home.contains("sitemap.xml"), "sitemap still linked");
}

#[test]
fn a_term_with_many_members_lists_names_and_links_the_filtered_directory() {
    let site = SiteTest::base();
    for i in 0..70 {
        site.write(
            &format!("content/members/many-{i:02}.md"),
            &format!(
                "---\nname: Many {i:02} GmbH\nsectors: [Surface technology]\nlocation:\n  city: Lörrach\n  country: DE\n---\nMember {i}.\n"
            ),
        );
    }
    site.build().success();
    let html = site.output("sectors/surface-technology/index.html");
    let doc = scraper::Html::parse_document(&html);
    let rows = scraper::Selector::parse("ul.member-list li a").unwrap();
    let names: Vec<String> = doc.select(&rows).map(|a| a.text().collect()).collect();
    assert!(names.len() >= 70, "{} rows", names.len());
    assert!(names.contains(&"Many 00 GmbH".to_string()));
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted, "rows are A–Z");
    assert!(html.contains("?sectors=surface-technology"));
    let cards = scraper::Selector::parse(".member-card").unwrap();
    assert_eq!(doc.select(&cards).count(), 0);
    // A small term keeps its cards.
    let small = site.output("sectors/precision-machining/index.html");
    assert!(small.contains("member-card"));
}

/// Copies a folder's files in reverse order of their names, with a modification time of
/// their own, so that the copy differs from the original in everything but content.
fn copy_reversed(src: &std::path::Path, dst: &std::path::Path, mtime: std::time::SystemTime) {
    let mut files: Vec<_> = walk(src);
    files.reverse();
    for file in files {
        let target = dst.join(file.strip_prefix(src).unwrap());
        std::fs::create_dir_all(target.parent().unwrap()).unwrap();
        std::fs::copy(&file, &target).unwrap();
        std::fs::File::options()
            .write(true)
            .open(&target)
            .unwrap()
            .set_modified(mtime)
            .unwrap();
    }
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            if p.file_name().is_some_and(|n| n != "public") {
                out.extend(walk(&p));
            }
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

#[test]
fn the_example_site_builds_byte_identical_anywhere_anytime() {
    use crate::support::repo;
    use std::process::Command;
    use std::time::{Duration, SystemTime};

    let tmp = tempfile::tempdir().unwrap();
    let a = tmp.path().join("a/site");
    let b = tmp.path().join("b/a deeper/folder with ümlauts/other-name");
    copy_reversed(
        &repo().join("tests/fixtures/example-en"),
        &a,
        SystemTime::now(),
    );
    copy_reversed(
        &repo().join("tests/fixtures/example-en"),
        &b,
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000),
    );
    // Same SOURCE_DATE_EPOCH, different clock time, folders, file order, thread count.
    let build = |site: &std::path::Path, threads: &str| {
        let out = Command::new(env!("CARGO_BIN_EXE_clusterpress"))
            .arg("build")
            .arg(site)
            .current_dir(site.parent().unwrap())
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("SOURCE_DATE_EPOCH", "1795000000")
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    build(&a, "2");
    std::thread::sleep(Duration::from_millis(1100));
    build(&b, "1");
    let (ta, tb) = (
        snapshot_tree(&a.join("public")),
        snapshot_tree(&b.join("public")),
    );
    assert!(ta.len() > 200, "{} files", ta.len());
    assert_eq!(ta.keys().collect::<Vec<_>>(), tb.keys().collect::<Vec<_>>());
    for (k, v) in &ta {
        assert!(v == &tb[k], "{k} differs between the two builds");
    }
}

#[test]
fn unchanged_static_files_are_kept_from_the_last_build_and_changed_ones_copied_again() {
    use std::os::unix::fs::MetadataExt;
    let site = SiteTest::base();
    site.write(
        "static/docs/statutes.pdf",
        "%PDF-1.4 statutes, first version",
    );
    site.write("static/docs/fees.txt", "fees 2026");
    site.build().success();
    let meta = |rel: &str| std::fs::metadata(site.public().join(rel)).unwrap();
    let source = |rel: &str| std::fs::metadata(site.root().join("static").join(rel)).unwrap();
    // A copy carries its source's modification time (what `rsync -a` deploys compare).
    let first = meta("docs/statutes.pdf");
    assert_eq!(
        first.modified().unwrap(),
        source("docs/statutes.pdf").modified().unwrap()
    );

    // Edited to text of the same length: the size alone would not tell.
    std::thread::sleep(std::time::Duration::from_millis(20));
    site.write(
        "static/docs/statutes.pdf",
        "%PDF-1.4 statutes, later version",
    );
    site.build().success();
    assert_eq!(
        site.output("docs/statutes.pdf"),
        "%PDF-1.4 statutes, later version"
    );
    // The file nobody touched is the last build's (the same file, not a copy); the edited
    // one is new.
    let kept = meta("docs/fees.txt");
    assert_eq!(site.output("docs/fees.txt"), "fees 2026");
    site.write("static/docs/fees.txt", "fees 2027");
    site.build().success();
    assert_eq!(site.output("docs/fees.txt"), "fees 2027");
    assert_ne!(meta("docs/fees.txt").ino(), kept.ino());
    let again = meta("docs/statutes.pdf");
    site.build().success();
    assert_eq!(meta("docs/statutes.pdf").ino(), again.ino());
    assert_ne!(again.ino(), first.ino());
}
