//! The benchmark's site generator stays in step with the content format: the clusterpress site
//! it writes builds without a problem, and the Hugo site holds the same items.

use crate::support::{bench_gen, run_in};

#[test]
fn the_generated_benchmark_sites_build_and_match() {
    let dir = tempfile::tempdir().unwrap();
    bench_gen(50, dir.path());
    let run = run_in(dir.path(), &["build", "clusterpress", "--output", "public"]);
    run.success();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);

    let names = |sub: &str| -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(dir.path().join(sub))
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n != "_index.md")
            .collect();
        v.sort();
        v
    };
    let members = names("clusterpress/content/members");
    assert_eq!(members.len(), 50);
    assert_eq!(members, names("hugo/content/members"));
    assert_eq!(
        names("clusterpress/content/events"),
        names("hugo/content/events")
    );
    assert_eq!(
        names("clusterpress/content/training"),
        names("hugo/content/courses")
    );
    for m in &members {
        let slug = m.trim_end_matches(".md");
        assert!(
            dir.path()
                .join(format!("public/members/{slug}/index.html"))
                .is_file()
        );
    }
    // Same input, same output: the generator is deterministic.
    let again = tempfile::tempdir().unwrap();
    bench_gen(50, again.path());
    let a = std::fs::read(
        dir.path()
            .join("clusterpress/content/members/member-000007.md"),
    )
    .unwrap();
    let b = std::fs::read(
        again
            .path()
            .join("clusterpress/content/members/member-000007.md"),
    )
    .unwrap();
    assert_eq!(a, b);
}
