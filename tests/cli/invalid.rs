//! The corpus of broken and awkward sites.
//!
//! One defect per folder in `tests/fixtures/invalid/`: each must fail `check` and `build`
//! with exit code 1 and exactly the diagnostics pinned in its `expected.txt`, and `build`
//! must write nothing. Folders in `tests/fixtures/awkward/` hold sites that look odd but are
//! valid (byte-order marks, Windows line ends, thousands of files, a huge page): they must
//! build, with exactly the warnings pinned in their `expected.txt`.
//!
//! What git cannot hold portably is made by the steps in a case's `setup.txt` (see
//! [`set_up`]): links, pipes, unreadable files, file names Windows refuses, generated files.

use std::path::Path;
use std::time::Duration;

use crate::support::{Run, SiteTest, assert_expected, copy_tree, fixtures, run_in};

/// Files of a case folder that describe the case and are not part of the site.
const CASE_FILES: [&str; 4] = ["expected.txt", "remove.txt", "setup.txt", "contains.txt"];

pub(crate) fn cases(corpus: &str) -> Vec<std::path::PathBuf> {
    let mut cases: Vec<_> = std::fs::read_dir(fixtures().join(corpus))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    cases.sort();
    cases
}

/// The base site with a case's files laid over it, its `remove.txt` paths removed and its
/// `setup.txt` steps carried out. Returns whether a step made something unreadable (the
/// case must then run as a user who cannot read it).
pub(crate) fn site_for(case: &Path) -> (SiteTest, bool) {
    let site = SiteTest::base();
    copy_tree(case, &site.root());
    for f in CASE_FILES {
        let _ = std::fs::remove_file(site.root().join(f));
    }
    if let Ok(list) = std::fs::read_to_string(case.join("remove.txt")) {
        for rel in list.lines().filter(|l| !l.trim().is_empty()) {
            site.remove(rel.trim());
        }
    }
    let steps = std::fs::read_to_string(case.join("setup.txt")).unwrap_or_default();
    let unreadable = set_up(&site, &steps);
    (site, unreadable)
}

/// Carries out setup steps, one per line:
/// - `link PATH -> TARGET`: a symbolic link;
/// - `copy FROM -> TO`: a copy of a file of the site (for names git or Windows cannot hold);
/// - `fifo PATH`: a named pipe;
/// - `unreadable PATH`: a file or folder nobody may read;
/// - `members N`: N more member files in `content/members/`;
/// - `big-page PATH MB`: a Markdown page of that many megabytes, full of every construct;
/// - `fill PATH N TEXT`: the first marker `@FILL@` in the file replaced by N copies of TEXT, with
///   `{i}` in each copy replaced by its number (a long list, a big value).
fn set_up(site: &SiteTest, steps: &str) -> bool {
    let root = site.root();
    let mut unreadable = false;
    for step in steps.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let (verb, rest) = step.split_once(' ').unwrap_or((step, ""));
        let pair = || {
            let (a, b) = rest.split_once(" -> ").expect("`A -> B`");
            (a.trim(), b.trim())
        };
        match verb {
            "link" => {
                let (path, target) = pair();
                std::os::unix::fs::symlink(target, root.join(path)).expect("symlink");
            }
            "copy" => {
                let (from, to) = pair();
                std::fs::copy(root.join(from), root.join(to)).expect("copy");
            }
            "fifo" => {
                let status = std::process::Command::new("mkfifo")
                    .arg(root.join(rest))
                    .status()
                    .expect("mkfifo");
                assert!(status.success());
            }
            "unreadable" => {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(root.join(rest), std::fs::Permissions::from_mode(0o000))
                    .expect("chmod");
                unreadable = true;
            }
            "members" => {
                let n: usize = rest.parse().expect("a number");
                for i in 1..=n {
                    site.write(
                        &format!("content/members/member-{i:05}.md"),
                        &format!(
                            "---\nname: Member {i} GmbH\ntype: company\nsectors: [Sector {}]\n---\nMember {i} makes parts.\n",
                            i % 40
                        ),
                    );
                }
            }
            "big-page" => {
                let (path, mb) = rest.split_once(' ').expect("PATH MB");
                let mb: usize = mb.parse().expect("megabytes");
                site.write(path, &big_page(mb * 1024 * 1024));
            }
            "fill" => {
                let mut parts = rest.splitn(3, ' ');
                let (path, n, text) = (
                    parts.next().expect("PATH"),
                    parts.next().expect("N").parse::<usize>().expect("a number"),
                    parts.next().unwrap_or(""),
                );
                let filled: String = (0..n)
                    .map(|i| text.replace("{i}", &i.to_string()))
                    .collect();
                let file = root.join(path);
                let old = std::fs::read_to_string(&file).expect("the file to fill");
                assert!(old.contains("@FILL@"), "{path} has no @FILL@");
                std::fs::write(&file, old.replacen("@FILL@", &filled, 1)).expect("write");
            }
            other => panic!("unknown setup step `{other}`"),
        }
    }
    unreadable
}

/// A page of about `size` bytes that uses every kind of Markdown and raw HTML, including
/// things a hostile author would try: deep quotes and lists, unbalanced brackets, long runs
/// of emphasis markers, scripts and handlers.
fn big_page(size: usize) -> String {
    let blocks = [
        "Paragraph with *emphasis*, **strong**, `code` and [a link](https://example.com/).\n\n",
        &format!("{}deep quote\n\n", "> ".repeat(50)),
        &format!("{}nested item\n\n", "- ".repeat(40)),
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n",
        &format!(
            "{}x{}\n\n",
            "<div onclick=x>".repeat(20),
            "</div>".repeat(20)
        ),
        "[[[[[[[[[[((((((((((\n\n",
        &format!("{}\n\n", "*_".repeat(250)),
        "<script>alert(1)</script> and <b>bold</b> text\n\n",
    ];
    let mut page = String::from("---\ntitle: A very long page\n---\n");
    let mut i = 0;
    while page.len() < size {
        page.push_str(blocks[i % blocks.len()]);
        i += 1;
    }
    page
}

/// Runs `check` on the case's site, as a user who cannot read what `unreadable` steps
/// locked when the tests run as root (root reads everything).
fn check_case(dir: &Path, unreadable: bool) -> Run {
    if !unreadable || !is_root() {
        return run_in(dir, &["check", "site", "--now", "2026-11-27"]);
    }
    // The unprivileged user needs a copy of the binary it can run and a folder it can enter.
    use std::os::unix::fs::PermissionsExt;
    let bin = dir.join("clusterpress");
    std::fs::copy(env!("CARGO_BIN_EXE_clusterpress"), &bin).expect("copy binary");
    for p in [dir, &bin] {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    std::process::Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(&bin)
        .args(["check", "site", "--now", "2026-11-27"])
        .current_dir(dir)
        .env_clear()
        .output()
        .expect("setpriv (util-linux) runs the check as user nobody")
        .into()
}

fn is_root() -> bool {
    rustix::process::geteuid().is_root()
}

/// Runs a command, failing (instead of waiting forever) if it takes longer than `limit`.
fn within<T: Send + 'static>(
    name: &str,
    limit: Duration,
    f: impl FnOnce() -> T + Send + 'static,
) -> T {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(f());
    });
    rx.recv_timeout(limit)
        .unwrap_or_else(|_| panic!("{name}: no answer after {limit:?} (a hang)"))
}

#[test]
fn every_invalid_fixture_fails_with_its_pinned_diagnostics() {
    let cases = cases("invalid");
    assert!(
        cases.len() >= 50,
        "expected at least 50 invalid cases, found {}",
        cases.len()
    );
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let (site, unreadable) = site_for(case);
        let dir = site.dir.path().to_path_buf();
        let check = within(&name, Duration::from_secs(120), move || {
            check_case(&dir, unreadable)
        });
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
        if unreadable && is_root() {
            continue; // root could read what is locked: `build` would succeed
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
fn awkward_but_valid_sites_build_with_their_pinned_warnings() {
    let cases = cases("awkward");
    assert!(cases.len() >= 4, "found {} awkward cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let (site, _) = site_for(case);
        let dir = site.dir.path().to_path_buf();
        let build = within(&name, Duration::from_secs(600), move || {
            run_in(&dir, &["build", "site", "--now", "2026-11-27"])
        });
        if build.code != 0 || !site.public().join("index.html").is_file() {
            failures.push(format!(
                "{name}: build exited {}\n{}",
                build.code, build.stderr
            ));
            continue;
        }
        // `contains.txt`: lines `FILE: TEXT`, a text the built file must contain.
        let wanted = std::fs::read_to_string(case.join("contains.txt")).unwrap_or_default();
        for line in wanted.lines().filter(|l| !l.trim().is_empty()) {
            let (file, text) = line.split_once(": ").expect("`FILE: TEXT`");
            let got = std::fs::read_to_string(site.public().join(file)).unwrap_or_default();
            if !got.contains(text) {
                failures.push(format!("{name}: {file} lacks {text:?}"));
            }
        }
        let stderr = without_duration(&build.stderr);
        let result =
            std::panic::catch_unwind(|| assert_expected(&case.join("expected.txt"), &stderr));
        if result.is_err() {
            failures.push(format!(
                "{name}: output differs from expected.txt:\n{stderr}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The build's report with its duration (`in 0.12 s.`) taken out.
fn without_duration(stderr: &str) -> String {
    stderr
        .lines()
        .map(
            |line| match (line.starts_with("Built "), line.rfind(" in ")) {
                (true, Some(at)) if line.ends_with(" s.") => format!("{} in … s.", &line[..at]),
                _ => line.to_string(),
            },
        )
        .collect::<Vec<_>>()
        .join("\n")
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
