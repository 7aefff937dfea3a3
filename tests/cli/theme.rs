//! Theme lookup: site templates override the theme one file at a time and can extend it.

use crate::support::{SiteTest, repo};

#[test]
fn embedded_theme_list_matches_the_files_on_disk() {
    let root = repo().join("themes/default");
    let mut on_disk = Vec::new();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                on_disk.push(
                    p.strip_prefix(&root)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                );
            }
        }
    }
    on_disk.sort();
    let mut embedded: Vec<String> = clusterpress::render::theme::DEFAULT_FILES
        .iter()
        .map(|(n, _)| n.to_string())
        .collect();
    embedded.sort();
    assert_eq!(
        on_disk, embedded,
        "update DEFAULT_FILES in src/render/theme.rs"
    );
}

#[test]
fn a_site_template_overrides_and_extends_the_theme() {
    let site = SiteTest::base();
    site.write(
        "templates/members-item.html",
        "{% extends \"theme/members-item.html\" %}{% block title %}Profile of {{ member.name }}{% endblock title %}",
    );
    site.build().success();
    let html = site.output("members/acme-robotics/index.html");
    assert!(
        html.contains("<title>Profile of Acme Robotics GmbH</title>"),
        "{html}"
    );
    assert!(
        html.contains("Robot integration"),
        "the theme's body is kept"
    );
}

/// Templates renamed to `<collection>.html` and `<collection>-item.html` keep working under
/// their old names for one release, with a warning that names the new one (issue 18).
#[test]
fn old_template_names_still_work_with_a_warning_issue_18() {
    let site = SiteTest::base();
    // A site template under its old name, extending the built-in one by its old name.
    site.write(
        "templates/member.html",
        "{% extends \"theme/member.html\" %}{% block title %}Old profile of {{ member.name }}{% endblock title %}",
    );
    site.build()
        .success()
        .stderr_has(
            "warning: `templates/member.html` has the old name of the template `members-item.html`",
        )
        .stderr_has("rename it to `templates/members-item.html`");
    let html = site.output("members/acme-robotics/index.html");
    assert!(
        html.contains("<title>Old profile of Acme Robotics GmbH</title>"),
        "{html}"
    );
    assert!(
        html.contains("Robot integration"),
        "the built-in body is kept"
    );

    // A theme's template under its old name (the site's now extends the built-in one: the
    // theme has no member template).
    site.write(
        "templates/member.html",
        "{% extends \"default/member.html\" %}{% block title %}Old profile of {{ member.name }}{% endblock title %}",
    );
    let config = std::fs::read_to_string(site.root().join("cluster.yaml")).unwrap();
    site.write("cluster.yaml", &format!("{config}theme: plain\n"));
    site.write(
        "themes/plain/templates/page.html",
        "{% extends \"default/page.html\" %}{% block title %}Old page {{ page.title }}{% endblock title %}",
    );
    site.build().success().stderr_has(
        "`themes/plain/templates/page.html` has the old name of the template `pages-item.html`",
    );
    let html = site.output("pages/about/index.html");
    assert!(html.contains("<title>Old page About"), "{html}");

    // With both names, the new one is used and the old file is pointed out.
    site.write(
        "templates/members-item.html",
        "{% extends \"default/members-item.html\" %}{% block title %}New profile{% endblock title %}",
    );
    site.build()
        .success()
        .stderr_has("`templates/members-item.html` is used instead; remove the old file");
    let html = site.output("members/acme-robotics/index.html");
    assert!(html.contains("<title>New profile</title>"), "{html}");
}

#[test]
fn the_footer_partial_is_rendered_once_and_shown_on_every_page() {
    let site = SiteTest::base();
    site.write(
        "templates/partials/footer.html",
        "<footer class=\"site-footer\"><p>Our own footer for {{ site.name }}</p></footer>",
    );
    site.build().success();
    for page in [
        "index.html",
        "members/index.html",
        "members/acme-robotics/index.html",
    ] {
        let html = site.output(page);
        assert!(
            html.contains("<p>Our own footer for Test Cluster</p>"),
            "{page}: {html}"
        );
        assert!(
            !html.contains("footer-explore"),
            "{page}: the theme's footer is replaced"
        );
    }
}

#[test]
fn a_named_theme_beside_the_site_is_used_with_the_default_as_fallback() {
    let site = SiteTest::base();
    let config = std::fs::read_to_string(site.root().join("cluster.yaml")).unwrap();
    site.write("cluster.yaml", &format!("{config}theme: plain\n"));
    site.write("themes/plain/templates/pages-item.html", "{% extends \"base.html\" %}{% block main %}<p class=\"plain-theme\">{{ page.title }}</p>{% endblock main %}");
    site.write("themes/plain/static/extra.css", "body{}");
    site.build().success();
    assert!(
        site.output("pages/about/index.html")
            .contains("plain-theme")
    );
    assert!(site.public().join("extra.css").is_file());
    assert!(
        site.output("members/acme-robotics/index.html")
            .contains("Robot integration")
    );
}

#[test]
fn site_static_files_win_over_the_theme() {
    let site = SiteTest::base();
    site.write("static/clusterpress.css", "/* mine */");
    site.build().success();
    assert_eq!(site.output("clusterpress.css"), "/* mine */");
}
