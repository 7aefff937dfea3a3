//! What a secretariat and its visitors ran into (issue 19, items 3, 4 and 10), from the
//! command line: courses that can be booked (price, registration per course and per session,
//! how full a session is), members' street addresses and directions to them and to venues,
//! and a calendar that calendar apps subscribe to rather than download once.

use scraper::{Html, Selector};

use crate::support::{SiteTest, repo};

fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&Selector::parse(css).unwrap()).collect()
}

fn text(e: &scraper::ElementRef<'_>) -> String {
    e.text().collect::<String>().trim().to_string()
}

fn jsonld(html: &str) -> serde_json::Value {
    let doc = Html::parse_document(html);
    let script = select(&doc, r#"script[type="application/ld+json"]"#);
    serde_json::from_str(&script[0].inner_html()).expect("valid JSON-LD")
}

/// The base fixture (built on 2026-11-27) with a course that can be booked: a price, a booking
/// form for the course, a session of its own booked by e-mail, a full one and a past one.
fn site_with_course() -> SiteTest {
    let site = SiteTest::base();
    site.write(
        "content/training/robot-basics.md",
        "---\ntitle: Robot basics\nprovider: acme-robotics\nprice: {amount: 1290, currency: eur}\nregistration: {url: https://acme-robotics.example/book}\nstatus: open\nsessions:\n  - start: 2026-10-01\n  - start: 2027-02-10\n    status: few-seats\n    deadline: 2027-01-27\n    registration: {email: training@acme-robotics.example}\n  - start: 2027-03-10\n    location: {venue: Training centre, address: Hauptstraße 5, postcode: \"79100\", city: Freiburg, country: DE}\n  - start: 2027-04-14\n    status: full\n    location: {venue: Hall 2, city: Basel, country: CH, lat: 47.56, lon: 7.6}\n---\nA day with the robots.\n",
    );
    site.write(
        "content/training/free-webinar.md",
        "---\ntitle: Free webinar\nprice: {amount: 0, currency: CHF}\nregistration: {email: events@test-cluster.example}\n---\nOn request.\n",
    );
    site
}

#[test]
fn a_course_page_has_its_price_and_a_register_button_per_open_session() {
    let site = site_with_course();
    site.build().success();
    let doc = Html::parse_document(&site.output("training/robot-basics/index.html"));
    let facts = text(&select(&doc, ".facts dl")[0]);
    assert!(facts.contains("PriceEUR 1,290"), "{facts}");
    assert!(facts.contains("PlacesPlaces available"), "{facts}");
    let course_button = select(&doc, ".facts a.button");
    assert_eq!(course_button.len(), 1);
    assert_eq!(
        course_button[0].value().attr("href"),
        Some("https://acme-robotics.example/book")
    );
    let rows = select(&doc, ".sessions-table tbody tr");
    assert_eq!(rows.len(), 4);
    let register = |row: &scraper::ElementRef<'_>| -> Option<String> {
        row.select(&Selector::parse("a.button").unwrap())
            .next()
            .and_then(|a| a.value().attr("href").map(str::to_string))
    };
    assert_eq!(register(&rows[0]), None, "a past session cannot be booked");
    assert_eq!(
        register(&rows[1]).as_deref(),
        Some("mailto:training@acme-robotics.example"),
        "a session's own registration wins over the course's"
    );
    assert!(text(&rows[1]).contains("Few places left"));
    assert_eq!(
        register(&rows[2]).as_deref(),
        Some("https://acme-robotics.example/book"),
        "a session without its own registration takes the course's"
    );
    assert_eq!(register(&rows[3]), None, "a full session cannot be booked");
    assert!(text(&rows[3]).contains("Fully booked"));
}

#[test]
fn the_training_list_shows_price_and_how_full_the_next_session_is() {
    let site = site_with_course();
    site.build().success();
    let doc = Html::parse_document(&site.output("training/index.html"));
    let cards: Vec<String> = select(&doc, ".course-card").iter().map(text).collect();
    let robot = cards.iter().find(|c| c.contains("Robot basics")).unwrap();
    assert!(robot.contains("EUR 1,290 · Few places left"), "{robot}");
    let webinar = cards.iter().find(|c| c.contains("Free webinar")).unwrap();
    assert!(webinar.contains("Free"), "{webinar}");
    // A course without dates is booked on request: its page still has the button.
    let doc = Html::parse_document(&site.output("training/free-webinar/index.html"));
    let button = select(&doc, ".facts a.button");
    assert_eq!(
        button[0].value().attr("href"),
        Some("mailto:events@test-cluster.example")
    );
}

#[test]
fn course_json_ld_has_offers_with_price_currency_url_and_availability() {
    let site = site_with_course();
    site.build().success();
    let ld = jsonld(&site.output("training/robot-basics/index.html"));
    let offer = &ld["offers"];
    assert_eq!(offer["@type"], "Offer");
    assert_eq!(offer["price"], 1290);
    assert_eq!(offer["priceCurrency"], "EUR");
    assert_eq!(offer["category"], "Paid");
    assert_eq!(offer["url"], "https://acme-robotics.example/book");
    assert_eq!(offer["availability"], "https://schema.org/InStock");
    let second = &ld["hasCourseInstance"][1]["offers"];
    assert_eq!(
        second["availability"],
        "https://schema.org/LimitedAvailability"
    );
    assert_eq!(second["validThrough"], "2027-01-27");
    assert_eq!(second["price"], 1290);
    let last = &ld["hasCourseInstance"][3]["offers"];
    assert_eq!(last["availability"], "https://schema.org/SoldOut");
    let address = &ld["hasCourseInstance"][2]["location"]["address"];
    assert_eq!(address["postalCode"], "79100");
    assert_eq!(address["streetAddress"], "Hauptstraße 5");
}

#[test]
fn session_venues_link_to_directions_on_openstreetmap() {
    let site = site_with_course();
    site.build().success();
    let doc = Html::parse_document(&site.output("training/robot-basics/index.html"));
    let rows = select(&doc, ".sessions-table tbody tr");
    let directions = |row: &scraper::ElementRef<'_>| -> Option<String> {
        row.select(&Selector::parse(r#"a[href*="openstreetmap"]"#).unwrap())
            .next()
            .and_then(|a| a.value().attr("href").map(str::to_string))
    };
    assert!(text(&rows[2]).contains("Hauptstraße 5, 79100 Freiburg, Germany"));
    assert_eq!(
        directions(&rows[2]).as_deref(),
        Some(
            "https://www.openstreetmap.org/search?query=Hauptstra%C3%9Fe+5%2C+79100+Freiburg%2C+Germany"
        ),
        "without coordinates, a search for the address"
    );
    assert_eq!(
        directions(&rows[3]).as_deref(),
        Some("https://www.openstreetmap.org/?mlat=47.56&mlon=7.6#map=17/47.56/7.6"),
        "with coordinates, a pin"
    );
    assert_eq!(directions(&rows[0]), None, "no place, no directions");
}

/// The base fixture's Acme Robotics with a street and postcode (it has coordinates), and Beta
/// Metal with a street but none.
fn site_with_addresses() -> SiteTest {
    let site = SiteTest::base();
    let acme = std::fs::read_to_string(site.root().join("content/members/acme-robotics.md"))
        .unwrap()
        .replace(
            "  city: Freiburg\n",
            "  street: Hauptstraße 5\n  postcode: \"79100\"\n  city: Freiburg\n",
        );
    site.write("content/members/acme-robotics.md", &acme);
    let beta = std::fs::read_to_string(site.root().join("content/members/beta-metal.md")).unwrap();
    assert!(
        !beta.contains("lat:"),
        "the fixture's Beta Metal has no coordinates"
    );
    let beta = beta.replace("location:\n", "location:\n  street: 3 rue des Forges\n");
    site.write("content/members/beta-metal.md", &beta);
    site
}

#[test]
fn a_member_profile_shows_the_address_and_a_map_link() {
    let site = site_with_addresses();
    site.build().success();
    let doc = Html::parse_document(&site.output("members/acme-robotics/index.html"));
    let address = text(&select(&doc, ".facts address")[0]);
    assert_eq!(address, "Hauptstraße 579100 FreiburgGermany");
    let map: Vec<&str> = select(&doc, r#".facts a[href*="openstreetmap"]"#)
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(
        map,
        ["https://www.openstreetmap.org/?mlat=47.99&mlon=7.84#map=17/47.99/7.84"]
    );
    let doc = Html::parse_document(&site.output("members/beta-metal/index.html"));
    let map = select(&doc, r#".facts a[href*="openstreetmap"]"#);
    let href = map[0].value().attr("href").unwrap();
    assert!(
        href.starts_with("https://www.openstreetmap.org/search?query=3+rue+des+Forges"),
        "{href}"
    );
    assert!(
        !site
            .output("members/beta-metal/index.html")
            .contains("<iframe"),
        "a link, never an embedded map"
    );
}

#[test]
fn the_vcard_and_json_ld_carry_street_and_postcode() {
    let site = site_with_addresses();
    site.build().success();
    let vcard = site.output("members/acme-robotics/acme-robotics.vcf");
    assert!(
        vcard.contains("ADR:;;Hauptstraße 5;Freiburg;Südbaden;79100;Germany\r\n"),
        "{vcard}"
    );
    let ld = jsonld(&site.output("members/acme-robotics/index.html"));
    let address = &ld["address"];
    assert_eq!(address["@type"], "PostalAddress");
    assert_eq!(address["streetAddress"], "Hauptstraße 5");
    assert_eq!(address["postalCode"], "79100");
    assert_eq!(address["addressLocality"], "Freiburg");
}

#[test]
fn event_venues_link_to_directions() {
    let site = SiteTest::base();
    site.write(
        "content/events/open-day.md",
        "---\ntitle: Open day\nkind: networking\nstart: 2027-03-02\nlocation: {venue: Acme hall, address: Hauptstraße 5, postcode: \"79100\", city: Freiburg, country: DE}\n---\nCome and see.\n",
    );
    site.build().success();
    let doc = Html::parse_document(&site.output("events/open-day/index.html"));
    let place = text(&select(&doc, "address.place")[0]);
    assert!(place.contains("79100 Freiburg"), "{place}");
    let link = select(&doc, ".directions a");
    assert_eq!(
        link[0].value().attr("href"),
        Some(
            "https://www.openstreetmap.org/search?query=Hauptstra%C3%9Fe+5%2C+79100+Freiburg%2C+Germany"
        )
    );
}

/// The subscription links on the events page, by their text.
fn subscribe_links(html: &str) -> Vec<(String, String)> {
    let doc = Html::parse_document(html);
    select(&doc, "p.actions a")
        .iter()
        .map(|a| (text(a), a.value().attr("href").unwrap_or("").to_string()))
        .collect()
}

#[test]
fn the_events_page_subscribes_by_webcal_google_and_outlook_under_a_sub_path() {
    let site = SiteTest::base();
    let config = std::fs::read_to_string(site.root().join("cluster.yaml"))
        .unwrap()
        .replace(
            "base_url: https://test-cluster.example/",
            "base_url: https://example.org/my-cluster/",
        );
    site.write("cluster.yaml", &config);
    site.write(
        "content/events/open-day.md",
        "---\ntitle: Open day\nkind: networking\nstart: 2027-03-02\n---\nCome and see.\n",
    );
    site.build().success();
    let links = subscribe_links(&site.output("events/index.html"));
    let href = |label: &str| {
        links
            .iter()
            .find(|(t, _)| t == label)
            .map(|(_, h)| h.as_str())
            .unwrap_or_else(|| panic!("no link `{label}` in {links:?}"))
            .to_string()
    };
    assert_eq!(
        href("Subscribe to the calendar"),
        "webcal://example.org/my-cluster/events.ics"
    );
    assert_eq!(
        href("Add to Google Calendar"),
        "https://calendar.google.com/calendar/render?cid=webcal%3A%2F%2Fexample.org%2Fmy-cluster%2Fevents.ics"
    );
    assert_eq!(
        href("Add to Outlook.com"),
        "https://outlook.live.com/calendar/0/addfromweb?url=https%3A%2F%2Fexample.org%2Fmy-cluster%2Fevents.ics&name=Test+Cluster"
    );
    assert_eq!(href("Calendar file (iCal)"), "/my-cluster/events.ics");
    // The webcal: link is not taken for a broken internal link.
    site.check().success();
}

#[test]
fn the_example_sites_events_page_subscribes_with_the_absolute_calendar_url() {
    let site = SiteTest::from_dir(&repo().join("tests/fixtures/example-en"));
    site.run(&["build", "site", "--now", "2026-12-04"])
        .success();
    let links = subscribe_links(&site.output("events/index.html"));
    let hrefs: Vec<&str> = links.iter().map(|(_, h)| h.as_str()).collect();
    assert_eq!(
        hrefs,
        [
            "webcal://dreiland-precision.example/events.ics",
            "https://calendar.google.com/calendar/render?cid=webcal%3A%2F%2Fdreiland-precision.example%2Fevents.ics",
            "https://outlook.live.com/calendar/0/addfromweb?url=https%3A%2F%2Fdreiland-precision.example%2Fevents.ics&name=Dreiland+Precision+Cluster",
            "/events.ics",
        ]
    );
}

#[test]
fn bad_prices_registrations_and_postcodes_are_all_reported_with_their_fields() {
    let site = SiteTest::base();
    site.write(
        "content/training/a.md",
        "---\ntitle: A\nprice: {amount: 480}\n---\n",
    );
    site.write(
        "content/training/b.md",
        "---\ntitle: B\nprice: {amount: -5, currency: EUR}\nregistration: {url: www.b.example}\n---\n",
    );
    site.write(
        "content/training/c.md",
        "---\ntitle: C\nstatus: booked-out\n---\n",
    );
    // A file stops at its first field of the wrong shape, so this one has a file of its own.
    site.write(
        "content/training/e.md",
        "---\ntitle: E\nsessions:\n  - start: 2027-02-10\n    registration: {}\n---\n",
    );
    site.write(
        "content/events/d.md",
        "---\ntitle: D\nkind: workshop\nstart: 2027-02-10\nlocation: {city: Basel, postcode: 4051}\n---\n",
    );
    site.check()
        .failure(1)
        .stderr_has("error: the price has no `currency`")
        .stderr_has("--> content/training/a.md:3:8")
        .stderr_has("help: add the currency code, e.g. `price: {amount: 480, currency: EUR}`")
        .stderr_has("error: the price -5 is not an amount")
        .stderr_has("field: price.amount")
        .stderr_has("field: registration.url")
        .stderr_has("help: add the scheme: `https://www.b.example`")
        .stderr_has("error: unknown value `booked-out`")
        .stderr_has("help: allowed values: `open`, `few-seats`, `waiting-list` or `full`")
        .stderr_has("content/training/c.md:3:9")
        .stderr_has("error: the registration has neither `url` nor `email`")
        .stderr_has("--> content/training/e.md:5:19")
        .stderr_has("field: sessions[0].registration")
        .stderr_has("error: the postcode 4051 is written as a number")
        .stderr_has("--> content/events/d.md:5:")
        .stderr_has("field: location.postcode")
        .stderr_has("help: put it in quotes, e.g. `postcode: \"4051\"`")
        .stderr_has("error: found 6 problems");
}

#[test]
fn a_webcal_link_in_markdown_survives_the_sanitiser() {
    let site = SiteTest::base();
    site.write(
        "content/pages/calendar.md",
        "---\ntitle: Calendar\n---\n[Subscribe to our events](webcal://test-cluster.example/events.ics)\n",
    );
    site.build().success();
    let doc = Html::parse_document(&site.output("pages/calendar/index.html"));
    let hrefs: Vec<&str> = select(&doc, "main a")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(
        hrefs.contains(&"webcal://test-cluster.example/events.ics"),
        "{hrefs:?}"
    );
}
