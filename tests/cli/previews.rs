//! Link previews: every page names a picture for `og:image` when the site has one that
//! previews can show (issue 19, item 13).

use crate::support::SiteTest;

#[test]
fn every_page_has_a_share_picture_the_items_photo_else_a_card_with_its_logo_issues_19_23() {
    let site = SiteTest::base();
    let config = std::fs::read_to_string(site.root().join("cluster.yaml")).unwrap();
    site.write(
        "cluster.yaml",
        &config.replace("logo: logo.svg", "logo: logo.png"),
    );
    let images = crate::support::fixtures().join("images");
    site.write("static/photos/.keep", "");
    std::fs::copy(
        images.join("transparent.png"),
        site.root().join("static/logo.png"),
    )
    .unwrap();
    std::fs::copy(
        images.join("rotated.jpg"),
        site.root().join("static/photos/fair.jpg"),
    )
    .unwrap();
    site.write(
        "content/events/fair.md",
        "---\ntitle: Fair\nkind: trade-show\nstart: 2027-03-01\nimage: photos/fair.jpg\n---\nText.\n",
    );
    site.write(
        "content/events/talk.md",
        "---\ntitle: Talk\nkind: workshop\nstart: 2027-03-02\n---\nText.\n",
    );
    site.build().success();
    let og = |page: &str| {
        let html = site.output(page);
        let start = html.find("<meta property=\"og:image\" content=\"")?;
        let rest = &html[start + 35..];
        let url = &rest[..rest.find('"')?];
        assert!(html.contains("<meta name=\"twitter:card\" content=\"summary_large_image\">"));
        Some(
            url.strip_prefix("https://test-cluster.example/")?
                .to_string(),
        )
    };
    let picture = |file: &str| image::open(site.public().join(file)).unwrap();
    // The event's photo, cut to the shape previews show (it is 200 × 300: never enlarged).
    let fair = og("events/fair/index.html").unwrap();
    assert!(
        fair.starts_with("resized/fair.") && fair.ends_with(".jpg"),
        "{fair}"
    );
    let photo = picture(&fair);
    assert_eq!((photo.width(), photo.height()), (200, 105));
    // Without a photo: the cluster's card, the same file for every such page.
    let talk = og("events/talk/index.html").unwrap();
    assert!(talk.starts_with("resized/card."), "{talk}");
    assert_eq!(og("index.html").unwrap(), talk);
    let card = picture(&talk);
    assert_eq!((card.width(), card.height()), (1200, 630));
    // A member's (SVG) logo on a card of its own, with its name.
    let acme = og("members/acme-robotics/index.html").unwrap();
    assert!(acme.starts_with("resized/card.") && acme != talk, "{acme}");
    assert_eq!(picture(&acme).width(), 1200);

    // With only SVG pictures, every page still has a card.
    site.write("cluster.yaml", &config);
    site.build().success();
    let card = og("index.html").unwrap();
    assert_eq!(picture(&card).height(), 630);
}

/// Fact sheets and brochures lead back to the site and offer a "Print" button (shown by a
/// script, so that it is never a button that does nothing); neither is printed.
#[test]
fn print_pages_lead_back_to_the_site_and_offer_to_print_issue_19() {
    let site = SiteTest::base();
    site.build().success();
    let sheet = site.output("members/acme-robotics/factsheet/index.html");
    assert!(
        sheet.contains("<a href=\"/members/acme-robotics/\">← Acme Robotics GmbH</a>"),
        "{sheet}"
    );
    assert!(sheet.contains("<button type=\"button\" data-print hidden>Print</button>"));
    assert!(sheet.contains("<script src=\"/print.js\" defer></script>"));
    let brochure = site.output("brochure/index.html");
    assert!(brochure.contains("<a href=\"/members/\">← All members of Test Cluster</a>"));
    let script = site.output("print.js");
    assert!(script.contains("window.print()"));
    let css = site.output("brochure.css");
    assert!(
        css.replace(' ', "").contains(".print-bar{display:none"),
        "not printed"
    );
}

/// An online event whose times are kept in another zone also shows them in the site's zone,
/// and leaves a place for the visitor's own, which the script fills in (issue 19, item 11).
#[test]
fn online_events_in_another_zone_show_the_sites_time_too_issue_19() {
    let site = SiteTest::base();
    let config = std::fs::read_to_string(site.root().join("cluster.yaml")).unwrap();
    site.write(
        "cluster.yaml",
        &format!("{config}timezone: Europe/Berlin\n"),
    );
    site.write(
        "content/events/medtech-webinar.md",
        "---\ntitle: Webinar with Medical Alley\nkind: webinar\nstart: 2027-05-12 10:00\nend: 2027-05-12 11:30\ntimezone: America/Chicago\nonline: https://meet.example/medtech\n---\nText.\n",
    );
    site.write(
        "content/events/night-call.md",
        "---\ntitle: Call with Japan\nkind: webinar\nstart: 2027-05-12 09:00\nend: 2027-05-12 10:00\ntimezone: Asia/Tokyo\nonline: https://meet.example/japan\n---\nText.\n",
    );
    site.write(
        "content/events/local-fair.md",
        "---\ntitle: Local fair\nkind: trade-show\nstart: 2027-05-12 10:00\nend: 2027-05-12 16:00\ntimezone: America/Chicago\nlocation: {city: Chicago, country: US}\n---\nText.\n",
    );
    site.build().success();
    let page = site.output("events/medtech-webinar/index.html");
    assert!(
        page.contains("<span class=\"event-time\">10:00–11:30 CDT</span>"),
        "{page}"
    );
    assert!(
        page.contains("<span class=\"event-time event-time-site\">17:00–18:30 CEST</span>"),
        "{page}"
    );
    assert!(
        page.contains(
            "class=\"event-time event-time-local\" data-start=\"2027-05-12T10:00:00-05:00"
        ),
        "{page}"
    );
    // 09:00 in Tokyo is 02:00 the same day in Berlin.
    let page = site.output("events/night-call/index.html");
    assert!(
        page.contains("event-time-site\">02:00–03:00 CEST</span>"),
        "{page}"
    );
    // Not online: its own place's time is what counts.
    assert!(
        !site
            .output("events/local-fair/index.html")
            .contains("event-time-site")
    );
    let list = site.output("events/index.html");
    assert!(list.contains("17:00–18:30 CEST"), "the card shows it too");
    assert!(site.output("clusterpress.js").contains("Your time: "));
}

/// A `collection:` menu entry links a collection's list page while it has one, and is left
/// out while it has none; a wrong key is an error with a suggestion (issue 19, item 14).
#[test]
fn menu_entries_for_collections_appear_once_the_collection_has_items_issue_19() {
    let site = SiteTest::base();
    let config = std::fs::read_to_string(site.root().join("cluster.yaml")).unwrap();
    let config = config.replace(
        "navigation:\n",
        "navigation:\n  - collection: events\n  - collection: news\n    title: What's new\n",
    );
    site.write("cluster.yaml", &config);
    site.build().success();
    let home = site.output("index.html");
    let nav = &home[home.find("class=\"site-nav\"").unwrap()..];
    let nav = &nav[..nav.find("</nav>").unwrap()];
    assert!(!nav.contains("/events/") && !nav.contains("What"), "{nav}");
    site.write(
        "content/events/fair.md",
        "---\ntitle: Fair\nkind: trade-show\nstart: 2027-03-01\n---\nText.\n",
    );
    site.build().success();
    let home = site.output("index.html");
    let nav = &home[home.find("class=\"site-nav\"").unwrap()..];
    let nav = &nav[..nav.find("</nav>").unwrap()];
    assert!(nav.contains("<a href=\"/events/\">Events</a>"), "{nav}");
    assert!(!nav.contains("What"), "no news yet: {nav}");

    site.write(
        "cluster.yaml",
        &config.replace("collection: news", "collection: newss"),
    );
    site.check()
        .failure(1)
        .stderr_has("there is no collection `newss`")
        .stderr_has("did you mean `news`?")
        .stderr_has("cluster.yaml:");
}
