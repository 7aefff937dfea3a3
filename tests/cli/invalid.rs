//! One defect per folder in `tests/fixtures/invalid/`: each must fail `check` and `build`
//! with exit code 1 and exactly the diagnostics pinned in its `expected.txt`, and `build`
//! must write nothing.

use crate::support::{SiteTest, assert_expected, copy_tree, fixtures};

#[test]
fn every_invalid_fixture_fails_with_its_pinned_diagnostics() {
    let root = fixtures().join("invalid");
    let mut cases: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 20,
        "expected at least 20 invalid cases, found {}",
        cases.len()
    );
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let site = SiteTest::base();
        copy_tree(case, &site.root());
        for f in ["expected.txt", "remove.txt"] {
            let _ = std::fs::remove_file(site.root().join(f));
        }
        if let Ok(list) = std::fs::read_to_string(case.join("remove.txt")) {
            for rel in list.lines().filter(|l| !l.trim().is_empty()) {
                site.remove(rel.trim());
            }
        }
        let check = site.check();
        if check.code != 1 {
            failures.push(format!(
                "{name}: check exited {} instead of 1\n{}",
                check.code, check.stderr
            ));
            continue;
        }
        let result =
            std::panic::catch_unwind(|| assert_expected(&case.join("expected.txt"), &check.stderr));
        if result.is_err() {
            failures.push(format!(
                "{name}: diagnostics differ from expected.txt:\n{}",
                check.stderr
            ));
        }
        let build = site.build();
        if build.code != 1 || site.public().exists() {
            failures.push(format!(
                "{name}: build exited {} (want 1) or wrote public/",
                build.code
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn a_diagnostic_names_file_line_column_field_and_help() {
    let site = SiteTest::base();
    site.write(
        "content/members/beta-metal.md",
        "---\nname: Beta Metal SAS\ntype: company\nsecotrs: [Surface technology]\n---\nText.\n",
    );
    site.check()
        .failure(1)
        .stderr_has("error: unknown field `secotrs`")
        .stderr_has("--> content/members/beta-metal.md:4:1")
        .stderr_has("4 | secotrs: [Surface technology]")
        .stderr_has("  | ^^^^^^^")
        .stderr_has("= help: did you mean `sectors`?");
}

#[test]
fn problems_in_several_files_are_all_reported_in_one_run() {
    let site = SiteTest::base();
    site.write(
        "content/members/beta-metal.md",
        "---\nname: Beta\ntype: company\nwebsite: nope\n---\n",
    );
    site.write(
        "content/members/gamma-institute.md",
        "---\nname: Gamma\ntype: research\nlocation:\n  country: XX\n---\n",
    );
    site.write(
        "content/pages/about.md",
        "---\ntitle: About\n---\n[x](@/members/nobody.md)\n",
    );
    let run = site.check();
    run.failure(1)
        .stderr_has("content/members/beta-metal.md:4:10")
        .stderr_has("content/members/gamma-institute.md:5:12")
        .stderr_has("content/pages/about.md:4:1")
        .stderr_has("error: found 3 problems");
}
