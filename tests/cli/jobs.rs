//! The job board (issue 18): offers of members in `content/jobs/`, from the command line —
//! the list and its filters, offer pages, expiry (out of the lists, the feed, the employer's
//! profile and the sitemap, `noindex` on its page), `JobPosting` structured data as Google
//! reads it, the Atom feed, and the errors of bad offers.

use scraper::{Html, Selector};

use crate::support::SiteTest;

/// The base fixture with four offers: on site with the employer's address, remote, with its
/// own place, and one that expired before the build date (2026-11-27).
fn site_with_jobs() -> SiteTest {
    let site = SiteTest::base();
    site.write(
        "content/jobs/cnc-engineer.md",
        "---\ntitle: CNC engineer\nmember: acme-robotics\nkind: full-time\nposted: 2026-11-02\nvalid_through: 2027-01-31\nsummary: Program our machining centres.\napply: {url: https://acme-robotics.example/jobs/cnc, email: jobs@acme-robotics.example}\nsalary: {min: 52000, max: 60000, per: year}\nreference: ACME-17\n---\nYou program **five-axis** machines.\n",
    );
    site.write(
        "content/jobs/remote-developer.md",
        "---\ntitle: Remote developer\nmember: beta-metal\nkind: part-time\nposted: 2026-11-20\nvalid_through: 2027-02-28\nworkplace: remote\nremote_countries: [FR, DE]\napply: {email: rh@beta-metal.example}\n---\nFrom home.\n",
    );
    site.write(
        "content/jobs/thesis-coatings.md",
        "---\ntitle: \"Master's thesis: coatings\"\nmember: gamma-institute\nkind: thesis\nposted: 2026-10-01\nvalid_through: 2026-11-27\nlocation: {venue: Lab 3, address: Hauptstrasse 1, city: Basel, country: CH}\napply: {email: theses@gamma.example}\n---\nOpen through the build date itself.\n",
    );
    site.write(
        "content/jobs/apprentice-2026.md",
        "---\ntitle: Apprentice 2026\nmember: acme-robotics\nkind: apprenticeship\nposted: 2026-03-01\nvalid_through: 2026-11-26\napply: {url: https://acme-robotics.example/jobs/apprentice}\n---\nThe place has been filled.\n",
    );
    site
}

fn select<'a>(doc: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&Selector::parse(css).unwrap()).collect()
}

fn jsonld(html: &str) -> serde_json::Value {
    let doc = Html::parse_document(html);
    let script = select(&doc, r#"script[type="application/ld+json"]"#);
    serde_json::from_str(&script[0].inner_html()).expect("valid JSON-LD")
}

#[test]
fn the_list_shows_open_offers_newest_first_with_filters() {
    let site = site_with_jobs();
    site.build().success();
    let doc = Html::parse_document(&site.output("jobs/index.html"));
    let titles: Vec<String> = select(&doc, ".job-card .card-heading a")
        .iter()
        .map(|a| a.text().collect())
        .collect();
    // Open offers by `posted`, newest first; the thesis is open through its last day, the
    // apprenticeship expired the day before the build date.
    assert_eq!(
        titles,
        [
            "Remote developer",
            "CNC engineer",
            "Master's thesis: coatings"
        ]
    );
    let filters: Vec<&str> = select(&doc, ".list-filter button")
        .iter()
        .filter_map(|b| b.value().attr("data-filter"))
        .collect();
    for f in [
        "kind:full-time",
        "kind:part-time",
        "kind:thesis",
        "sector:automation-robotics",
        "region:sudbaden",
        "region:haut-rhin",
    ] {
        assert!(filters.contains(&f), "no filter {f}: {filters:?}");
    }
    assert!(
        !filters.contains(&"kind:apprenticeship"),
        "an expired offer's kind is no filter"
    );
    let card = select(&doc, ".job-card")[1];
    assert_eq!(
        card.value().attr("data-filters"),
        Some(
            "kind:full-time sector:automation-robotics sector:precision-machining region:sudbaden"
        )
    );
    // The menu (footer) lists the board with its open offers.
    let home = site.output("index.html");
    assert!(home.contains(r#"href="/jobs/">Jobs</a>"#), "no menu entry");
}

#[test]
fn an_offer_page_says_how_to_apply_and_what_it_pays() {
    let site = site_with_jobs();
    site.build().success();
    let html = site.output("jobs/cnc-engineer/index.html");
    assert!(html.contains(r#"href="https://acme-robotics.example/jobs/cnc""#));
    assert!(html.contains("mailto:jobs@acme-robotics.example"));
    assert!(html.contains("EUR 52,000 – 60,000 a year"));
    assert!(html.contains("<strong>five-axis</strong>"));
    assert!(html.contains(r#"href="/members/acme-robotics/""#));
    // The employer's address stands in for a place the offer does not name.
    assert!(html.contains("Freiburg, Germany"));
    assert!(!html.contains("noindex"));
}

#[test]
fn an_expired_offer_keeps_its_page_but_leaves_lists_feed_profile_and_sitemap() {
    let site = site_with_jobs();
    site.build().success();
    let page = site.output("jobs/apprentice-2026/index.html");
    assert!(page.contains(r#"<meta name="robots" content="noindex">"#));
    assert!(page.contains("This offer expired on 26 November 2026."));
    assert!(
        !page.contains("https://acme-robotics.example/jobs/apprentice"),
        "no way to apply to an expired offer"
    );
    for file in [
        "jobs/index.html",
        "jobs/atom.xml",
        "members/acme-robotics/index.html",
        "sitemap.xml",
    ] {
        assert!(
            !site.output(file).contains("apprentice-2026"),
            "{file} names the expired offer"
        );
    }
    let sitemap = site.output("sitemap.xml");
    assert!(sitemap.contains("https://test-cluster.example/jobs/cnc-engineer/"));
    assert!(sitemap.contains("https://test-cluster.example/jobs/"));
}

#[test]
fn the_employer_profile_lists_its_open_offers() {
    let site = site_with_jobs();
    site.build().success();
    let doc = Html::parse_document(&site.output("members/acme-robotics/index.html"));
    let links: Vec<&str> = select(&doc, ".member-jobs a")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert_eq!(links, ["/jobs/cnc-engineer/"]);
    let other = site.output("members/beta-metal/index.html");
    assert!(other.contains("/jobs/remote-developer/"));
    assert!(!other.contains("/jobs/cnc-engineer/"));
}

#[test]
fn the_jobs_feed_parses_and_is_announced() {
    let site = site_with_jobs();
    site.build().success();
    let feed = feed_rs::parser::parse(site.output("jobs/atom.xml").as_bytes()).expect("valid Atom");
    let titles: Vec<String> = feed
        .entries
        .iter()
        .map(|e| e.title.as_ref().unwrap().content.clone())
        .collect();
    assert_eq!(
        titles,
        [
            "Remote developer",
            "CNC engineer",
            "Master's thesis: coatings"
        ]
    );
    let first = &feed.entries[0];
    assert_eq!(
        first.published.unwrap().to_rfc3339(),
        "2026-11-20T00:00:00+00:00"
    );
    assert!(
        first.summary.as_ref().unwrap().content.contains("Remote"),
        "{:?}",
        first.summary
    );
    // Every page links to it, as it does to the other feeds.
    assert!(site.output("index.html").contains(
        r#"<link rel="alternate" type="application/atom+xml" title="Test Cluster – Jobs" href="/jobs/atom.xml">"#
    ));
}

#[test]
fn job_posting_has_googles_required_and_recommended_properties() {
    let site = site_with_jobs();
    site.build().success();
    let v = jsonld(&site.output("jobs/cnc-engineer/index.html"));
    assert_eq!(v["@context"], "https://schema.org");
    assert_eq!(v["@type"], "JobPosting");
    // Required.
    assert_eq!(v["title"], "CNC engineer");
    assert!(
        v["description"]
            .as_str()
            .unwrap()
            .contains("<strong>five-axis</strong>"),
        "the description is the whole text, as HTML"
    );
    assert_eq!(v["datePosted"], "2026-11-02");
    assert_eq!(v["hiringOrganization"]["@type"], "Organization");
    assert_eq!(v["hiringOrganization"]["name"], "Acme Robotics GmbH");
    assert_eq!(
        v["hiringOrganization"]["sameAs"],
        "https://www.acme-robotics.example"
    );
    assert_eq!(v["jobLocation"]["@type"], "Place");
    let address = &v["jobLocation"]["address"];
    assert_eq!(address["@type"], "PostalAddress");
    assert_eq!(address["addressLocality"], "Freiburg");
    assert_eq!(address["addressRegion"], "Südbaden");
    assert_eq!(address["addressCountry"], "DE");
    // Recommended.
    assert_eq!(v["validThrough"], "2027-01-31T23:59:59+00:00");
    assert_eq!(v["employmentType"], "FULL_TIME");
    assert_eq!(v["identifier"]["@type"], "PropertyValue");
    assert_eq!(v["identifier"]["value"], "ACME-17");
    assert_eq!(v["directApply"], false);
    let salary = &v["baseSalary"];
    assert_eq!(salary["@type"], "MonetaryAmount");
    assert_eq!(salary["currency"], "EUR");
    assert_eq!(salary["value"]["@type"], "QuantitativeValue");
    assert_eq!(salary["value"]["minValue"], 52000);
    assert_eq!(salary["value"]["maxValue"], 60000);
    assert_eq!(salary["value"]["unitText"], "YEAR");
    assert!(v.get("jobLocationType").is_none());

    // Remote: no place, but where applicants may live.
    let v = jsonld(&site.output("jobs/remote-developer/index.html"));
    assert_eq!(v["jobLocationType"], "TELECOMMUTE");
    assert_eq!(
        v["applicantLocationRequirements"],
        serde_json::json!([{"@type": "Country", "name": "FR"}, {"@type": "Country", "name": "DE"}])
    );
    assert!(v.get("jobLocation").is_none());
    assert_eq!(v["employmentType"], "PART_TIME");
    assert_eq!(v["identifier"]["value"], "remote-developer");

    // Its own place; a thesis is done as an intern.
    let v = jsonld(&site.output("jobs/thesis-coatings/index.html"));
    assert_eq!(v["jobLocation"]["name"], "Lab 3");
    assert_eq!(
        v["jobLocation"]["address"]["streetAddress"],
        "Hauptstrasse 1"
    );
    assert_eq!(v["employmentType"], "INTERN");
}

#[test]
fn bad_offers_are_all_reported_with_a_fix() {
    let site = SiteTest::base();
    site.write(
        "content/jobs/unknown-member.md",
        "---\ntitle: Welder\nmember: acme-robotic\nkind: full-time\nposted: 2026-11-02\nvalid_through: 2027-01-31\napply: {email: jobs@acme.example}\n---\nText.\n",
    );
    site.write(
        "content/jobs/bad-kind.md",
        "---\ntitle: Welder\nmember: acme-robotics\nkind: fulltime\nposted: 2026-11-02\nvalid_through: 2027-01-31\napply: {email: jobs@acme.example}\n---\nText.\n",
    );
    site.write(
        "content/jobs/bad-date.md",
        "---\ntitle: Welder\nmember: acme-robotics\nkind: full-time\nposted: 2026-11-02\nvalid_through: 31.01.2027\napply: {email: jobs@acme.example}\n---\nText.\n",
    );
    site.write(
        "content/jobs/no-way-to-apply.md",
        "---\ntitle: Welder\nmember: acme-robotics\nkind: full-time\nposted: 2026-11-02\nvalid_through: 2027-01-31\napply: {}\n---\nText.\n",
    );
    site.write(
        "content/jobs/salary-upside-down.md",
        "---\ntitle: Welder\nmember: acme-robotics\nkind: full-time\nposted: 2026-11-02\nvalid_through: 2027-01-31\napply: {email: jobs@acme.example}\nsalary: {min: 60000, max: 52000, per: year}\n---\nText.\n",
    );
    site.write(
        "content/jobs/remote-nowhere.md",
        "---\ntitle: Welder\nmember: acme-robotics\nkind: full-time\nposted: 2026-11-02\nvalid_through: 2027-01-31\nworkplace: remote\napply: {email: jobs@acme.example}\n---\nText.\n",
    );
    let run = site.check();
    run.failure(1)
        .stderr_has("error: no member `acme-robotic`")
        .stderr_has("--> content/jobs/unknown-member.md:3:9")
        .stderr_has("help: did you mean `acme-robotics`?")
        .stderr_has("error: unknown value `fulltime`")
        .stderr_has("help: did you mean `full-time`?")
        .stderr_has("error: `31.01.2027` is not a date")
        .stderr_has("help: write dates as year-month-day, e.g. `2027-03-15`")
        .stderr_has("error: the offer does not say how to apply")
        .stderr_has("field: apply")
        .stderr_has("error: the maximum 52000 is below the minimum 60000")
        .stderr_has("field: salary.max")
        .stderr_has("error: a remote position needs the countries applicants may work from")
        .stderr_has("error: found 6 problems");
}

#[test]
fn an_offer_without_a_place_needs_an_employer_with_a_country() {
    let site = SiteTest::base();
    site.write(
        "content/members/delta.md",
        "---\nname: Delta GmbH\n---\nNo address.\n",
    );
    site.write(
        "content/jobs/welder.md",
        "---\ntitle: Welder\nmember: delta\nkind: full-time\nposted: 2026-11-02\nvalid_through: 2027-01-31\napply: {email: jobs@delta.example}\n---\nText.\n",
    );
    site.check()
        .failure(1)
        .stderr_has("error: the offer has no `location`, and its employer `delta` has no country")
        .stderr_has("content/jobs/welder.md");
}
