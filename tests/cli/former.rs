//! Former members (issue 19): a member that leaves stays nameable by the past, and is gone
//! from everything that lists members.

use crate::support::SiteTest;

const ACME_FORMER: &str = "---\nname: Acme Robotics GmbH\ntype: company\nwebsite: https://www.acme-robotics.example\nemail: info@acme-robotics.example\nphone: \"+49 761 1234\"\nsectors: [Automation & robotics, Precision machining]\ncapabilities: [Robot integration]\nneeds: [Anodising]\nlocation:\n  city: Freiburg\n  country: DE\nmembership:\n  tier: full\n  since: 2015\n  status: former\n  left: 2025\ncontacts:\n  - name: Anna Berger\n    email: a.berger@acme-robotics.example\n---\nAcme builds robot cells for machine tending.\n";

const PAST_EVENT: &str = "---\ntitle: Robot day 2025\nkind: workshop\nstart: 2025-05-06\norganizer: acme-robotics\nparticipants: [acme-robotics, beta-metal]\n---\nA day at Acme.\n";

/// The base fixture with Acme Robotics gone, named by a past event.
fn site_with_a_former_member() -> SiteTest {
    let site = SiteTest::base();
    site.write("content/members/acme-robotics.md", ACME_FORMER);
    site.write("content/events/robot-day.md", PAST_EVENT);
    site
}

#[test]
fn a_past_event_naming_a_former_member_builds_and_says_former_member() {
    let site = site_with_a_former_member();
    let run = site.build();
    run.success();
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let event = site.output("events/robot-day/index.html");
    assert!(event.contains("Acme Robotics GmbH"), "{event}");
    assert!(event.contains("(former member)"), "{event}");
    assert!(event.contains("/members/acme-robotics/"), "{event}");
    // Its structured data still says who organised it.
    assert!(
        event.contains(r#""organizer":{"@type":"Organization","name":"Acme Robotics GmbH""#),
        "{event}"
    );
}

#[test]
fn a_former_member_has_a_plain_page_without_contact_data() {
    let site = site_with_a_former_member();
    site.build().success();
    let page = site.output("members/acme-robotics/index.html");
    assert!(page.contains("Former member (until 2025)"), "{page}");
    assert!(page.contains("Acme builds robot cells"), "{page}");
    for private in [
        "info@acme-robotics.example",
        "a.berger@",
        "Anna Berger",
        "+49 761 1234",
    ] {
        assert!(!page.contains(private), "the plain page shows {private}");
    }
    assert!(
        page.contains("noindex"),
        "the plain page is not for search engines"
    );
    assert!(
        !site
            .public()
            .join("members/acme-robotics/acme-robotics.vcf")
            .exists()
    );
    assert!(
        !site
            .output("sitemap.xml")
            .contains("members/acme-robotics/")
    );
}

#[test]
fn a_former_member_is_in_no_list_of_members() {
    let site = site_with_a_former_member();
    site.build().success();
    for file in [
        "members/index.html",
        "index.html",
        "members.json",
        "members.csv",
        "sectors/automation-robotics/index.html",
        "sectors/precision-machining/index.html",
        "types/company/index.html",
        "countries/de/index.html",
        "supply-chain/index.html",
        "members/beta-metal/index.html",
    ] {
        let Ok(text) = std::fs::read_to_string(site.public().join(file)) else {
            continue; // a taxonomy page that is gone with it is fine
        };
        assert!(
            !text.contains("Acme Robotics"),
            "{file} lists the former member"
        );
    }
    // The sector only Acme had has no page any more.
    assert!(
        !site
            .public()
            .join("sectors/automation-robotics/index.html")
            .exists()
    );
    assert!(
        !site
            .public()
            .join("capabilities/robot-integration/index.html")
            .exists()
    );
    let brochure = site.public().join("brochure/index.html");
    if brochure.exists() {
        assert!(!site.output("brochure/index.html").contains("Acme Robotics"));
    }
    assert!(
        !site
            .public()
            .join("members/acme-robotics/factsheet/index.html")
            .exists()
    );
}

#[test]
fn without_pages_for_former_members_they_are_named_as_plain_text() {
    let site = site_with_a_former_member();
    let config = std::fs::read_to_string(site.root().join("cluster.yaml")).unwrap();
    site.write("cluster.yaml", &format!("{config}former_members: none\n"));
    site.build()
        .success()
        .stderr_has("warning: `@/members/acme-robotics.md` is a former member without a page")
        .stderr_has("content/pages/about.md:");
    assert!(
        !site
            .output("pages/about/index.html")
            .contains("/members/acme-robotics/")
    );
    assert!(
        !site
            .public()
            .join("members/acme-robotics/index.html")
            .exists()
    );
    let event = site.output("events/robot-day/index.html");
    assert!(event.contains("Acme Robotics GmbH"), "{event}");
    assert!(event.contains("(former member)"), "{event}");
    assert!(!event.contains("/members/acme-robotics/"), "{event}");
}

#[test]
fn a_coming_event_naming_a_former_member_is_a_warning_with_file_and_field() {
    let site = site_with_a_former_member();
    site.write("content/events/robot-day-2027.md", "---\ntitle: Robot day 2027\nkind: workshop\nstart: 2027-05-06\nparticipants: [beta-metal, acme-robotics]\n---\nAgain.\n");
    site.build()
        .success()
        .stderr_has("warning: `acme-robotics` is a former member, but this item is still current")
        .stderr_has("content/events/robot-day-2027.md:5:")
        .stderr_has("field: participants[1]");
}

#[test]
fn left_without_status_former_is_an_error() {
    let site = SiteTest::base();
    let acme =
        std::fs::read_to_string(site.root().join("content/members/acme-robotics.md")).unwrap();
    site.write(
        "content/members/acme-robotics.md",
        &acme.replace("  since: 2015\n", "  since: 2015\n  left: 2024\n"),
    );
    site.check()
        .failure(1)
        .stderr_has("`left` is written but the member is not a former member")
        .stderr_has("field: membership.left");
}

#[test]
fn a_resource_and_a_job_of_a_former_member_without_a_page_build_with_warnings() {
    let site = site_with_a_former_member();
    let config = std::fs::read_to_string(site.root().join("cluster.yaml")).unwrap();
    site.write("cluster.yaml", &format!("{config}former_members: none\n"));
    site.write(
        "content/resources/cell.md",
        "---\ntitle: Test cell\nkind: equipment\nowner: acme-robotics\n---\nA cell.\n",
    );
    site.write("content/jobs/welder.md", "---\ntitle: Welder\nmember: acme-robotics\nkind: full-time\nposted: 2026-11-01\nvalid_through: 2027-03-31\napply:\n  email: jobs@acme.example\n---\nWelding.\n");
    site.build()
        .success()
        .stderr_has("content/resources/cell.md:4:")
        .stderr_has("field: owner")
        .stderr_has("content/jobs/welder.md:3:")
        .stderr_has("field: member");
    for page in ["resources/cell/index.html", "jobs/welder/index.html"] {
        let html = site.output(page);
        assert!(
            html.contains("Acme Robotics GmbH</span> (former member)"),
            "{page}: {html}"
        );
        assert!(!html.contains("/members/acme-robotics/"), "{page}");
    }
}

#[test]
fn a_catalogue_entry_of_a_former_member_is_left_out_with_a_warning() {
    let site = site_with_a_former_member();
    site.write(
        "content/catalogues/suppliers.md",
        "---\ntitle: Suppliers 2027\nentries:\n  - member: beta-metal\n  - member: acme-robotics\n    products: [Cell 3000]\n---\nWho supplies what.\n",
    );
    let run = site.build();
    run.success();
    run.stderr_has("warning: `acme-robotics` is a former member, but this item is still current\n --> content/catalogues/suppliers.md:5:13");
    assert_eq!(
        run.stderr.matches("warning: `").count(),
        1,
        "{}",
        run.stderr
    );
    let page = site.output("catalogues/suppliers/index.html");
    assert!(page.contains("Beta Metal SAS"), "{page}");
    assert!(!page.contains("Acme Robotics"), "{page}");
    assert!(page.contains("1 company"), "{page}");
}
