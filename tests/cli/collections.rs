//! Every cluster activity as content: calendars, feeds, structured data, open data,
//! back-links and matchmaking, checked with independent parsers (ical, feed-rs, csv, serde_json).

use std::collections::BTreeMap;

use scraper::{Html, Selector};

use crate::support::{SiteTest, repo, snapshot_tree};

/// The base fixture plus one item of every collection, with known dates and zones.
fn site_with_activities() -> SiteTest {
    let site = SiteTest::base();
    let config = std::fs::read_to_string(site.root().join("cluster.yaml")).unwrap();
    site.write(
        "cluster.yaml",
        &format!("{config}timezone: Europe/Berlin\n"),
    );
    site.write(
        "content/events/spring-forward.md",
        "---\ntitle: Early shift demo\nkind: workshop\nstart: 2027-03-28 01:30\nend: 2027-03-28 03:30\norganizer: acme-robotics\nparticipants: [beta-metal]\nlocation:\n  venue: Acme, Hall 2\n  city: Freiburg\n  country: DE\nregistration:\n  url: https://acme-robotics.example/register\n  deadline: 2027-03-20\n---\nThe clocks go forward during this demo.\n",
    );
    site.write(
        "content/events/chicago-mission.md",
        "---\ntitle: Trade mission to Chicago\nkind: trade-mission\nstart: 2027-03-20 09:00\nend: 2027-03-20 17:00\ntimezone: America/Chicago\nparticipants: [acme-robotics, gamma-institute]\nlocation:\n  city: Chicago\n  country: US\n---\nA delegation to the Midwest.\n",
    );
    site.write(
        "content/events/joint-booth.md",
        "---\ntitle: Joint booth at Motek\nkind: trade-show\nstart: 2026-10-06\nend: 2026-10-09\nparticipants: [beta-metal, acme-robotics]\nlocation:\n  venue: Messe Stuttgart, Hall 8\n  city: Stuttgart\n  country: DE\n---\nFour days, two members.\n",
    );
    site.write(
        "content/events/webinar.md",
        "---\ntitle: Webinar on the Machinery Regulation\nkind: webinar\nstart: 2027-01-14 10:00\nend: 2027-01-14 11:30\nonline: https://meet.test-cluster.example/mr\nstatus: cancelled\n---\nOnline; cancelled.\n",
    );
    site.write(
        "content/training/robot-basics.md",
        "---\ntitle: Robot basics\nprovider: acme-robotics\nlevel: beginner\nformat: in-person\nsessions:\n  - start: 2027-02-10 09:00\n    end: 2027-02-10 17:00\n    location: {venue: Acme academy, city: Freiburg, country: DE}\n  - start: 2027-07-07 09:00\n    end: 2027-07-07 17:00\n---\nA day with the robots.\n",
    );
    site.write("content/resources/ct-scanner.md", "---\ntitle: CT scanner\nkind: equipment\nowner: gamma-institute\n---\nParts up to 300 mm.\n");
    site.write("content/procurement/electricity.md", "---\ntitle: Joint electricity purchase\nstatus: open\ndeadline: 2027-02-15\ncoordinator: beta-metal\nparticipants: [acme-robotics]\n---\nBuying power together.\n");
    site.write("content/funding/interreg.md", "---\ntitle: Interreg VI\ndeadlines: [2027-03-31]\namount: {min: 50000, max: 2000000, currency: EUR}\n---\nCross-border projects.\n");
    site.write("content/projects/coating.md", "---\ntitle: Better coatings\nkind: r-and-d\npartners: [beta-metal, gamma-institute]\nfunding: interreg\n---\nA research project.\n");
    site.write("content/catalogues/automation.md", "---\ntitle: Automation 2027\nentries:\n  - member: acme-robotics\n    products: [Cell 7]\nselect:\n  sectors: [Precision machining]\n---\nOur automation suppliers.\n");
    site.write("content/news/energy-position.md", "---\ntitle: \"Position: energy prices\"\ndate: 2026-10-14\nkind: position-paper\nauthors: [Anna Berger]\n---\nWhat we ask of policy makers.\n");
    site.write(
        "content/news/launch.md",
        "---\ntitle: Website launched\ndate: 2026-11-02\n---\nOur new site.\n",
    );
    site.write("content/partners/piemonte.md", "---\nname: Meccatronica Piemonte\ncountry: IT\nsince: 2019\nwebsite: https://meccatronica.example\n---\nOur partner in Turin.\n");
    site
}

fn calendar_events(ics: &str) -> Vec<BTreeMap<String, (String, Vec<String>)>> {
    let parser = ical::IcalParser::new(ics.as_bytes());
    let mut out = Vec::new();
    for cal in parser {
        let cal = cal.unwrap_or_else(|e| panic!("invalid calendar: {e:?}\n{ics}"));
        for ev in cal.events {
            let mut map = BTreeMap::new();
            for p in ev.properties {
                let params = p
                    .params
                    .unwrap_or_default()
                    .into_iter()
                    .flat_map(|(k, v)| v.into_iter().map(move |x| format!("{k}={x}")))
                    .collect();
                map.insert(p.name, (p.value.unwrap_or_default(), params));
            }
            out.push(map);
        }
    }
    out
}

#[test]
fn every_collection_gets_a_list_and_item_pages() {
    let site = site_with_activities();
    site.build().success();
    for page in [
        "events/index.html",
        "events/spring-forward/index.html",
        "training/index.html",
        "training/robot-basics/index.html",
        "catalogues/automation/index.html",
        "resources/ct-scanner/index.html",
        "procurement/electricity/index.html",
        "projects/coating/index.html",
        "funding/interreg/index.html",
        "news/launch/index.html",
        "positions/index.html",
        "partners/piemonte/index.html",
        "supply-chain/index.html",
    ] {
        assert!(site.public().join(page).is_file(), "missing {page}");
    }
}

#[test]
fn calendars_have_the_right_instants_across_daylight_saving_and_zones() {
    let site = site_with_activities();
    site.build().success();
    let ics = site.output("events/spring-forward/spring-forward.ics");
    let events = calendar_events(&ics);
    assert_eq!(events.len(), 1);
    let e = &events[0];
    // 01:30 CET is 00:30 UTC; 03:30 CEST (after the change) is 01:30 UTC.
    assert_eq!(e["DTSTART"].0, "20270328T003000Z");
    assert_eq!(e["DTEND"].0, "20270328T013000Z");
    assert_eq!(e["UID"].0, "event-spring-forward@test-cluster.example");
    assert!(e.contains_key("DTSTAMP"));
    assert_eq!(e["STATUS"].0, "CONFIRMED");

    // Chicago is on CDT (UTC-5) on 20 March 2027.
    let chicago = calendar_events(&site.output("events/chicago-mission/chicago-mission.ics"));
    assert_eq!(chicago[0]["DTSTART"].0, "20270320T140000Z");

    // All-day: DATE values with the exclusive end the RFC asks for.
    let booth = calendar_events(&site.output("events/joint-booth/joint-booth.ics"));
    assert_eq!(booth[0]["DTSTART"].0, "20261006");
    assert!(
        booth[0]["DTSTART"].1.iter().any(|p| p == "VALUE=DATE"),
        "{:?}",
        booth[0]["DTSTART"]
    );
    assert_eq!(booth[0]["DTEND"].0, "20261010");

    let webinar = calendar_events(&site.output("events/webinar/webinar.ics"));
    assert_eq!(webinar[0]["STATUS"].0, "CANCELLED");

    // One file per course session, and everything in the subscribable calendar.
    let session =
        calendar_events(&site.output("training/robot-basics/robot-basics-2027-07-07.ics"));
    assert_eq!(session[0]["DTSTART"].0, "20270707T070000Z");
    let all = calendar_events(&site.output("events.ics"));
    assert_eq!(all.len(), 4 + 2);
}

#[test]
fn calendar_uids_do_not_change_between_builds() {
    let site = site_with_activities();
    site.build().success();
    let first = site.output("events.ics");
    site.run(&["build", "site", "--now", "2026-12-24"])
        .success();
    let uids = |ics: &str| {
        calendar_events(ics)
            .into_iter()
            .map(|e| e["UID"].0.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(uids(&first), uids(&site.output("events.ics")));
}

#[test]
fn long_texts_in_calendars_are_folded_and_escaped() {
    let site = site_with_activities();
    site.write(
        "content/events/long.md",
        "---\ntitle: \"A very long title, with commas; semicolons and a backslash \\\\ that goes on and on beyond seventy-five octets\"\nkind: conference\nstart: 2027-06-01\n---\nText.\n",
    );
    site.build().success();
    let ics = site.output("events/long/long.ics");
    assert!(
        ics.lines().all(|l| l.len() <= 75),
        "unfolded line in:\n{ics}"
    );
    assert!(ics.contains("\r\n"), "lines end with CRLF");
    let e = calendar_events(&ics);
    assert!(
        e[0]["SUMMARY"].0.contains("commas\\; semicolons")
            || e[0]["SUMMARY"].0.contains("commas; semicolons")
    );
}

#[test]
fn atom_feeds_parse_and_are_linked_from_page_heads() {
    let site = site_with_activities();
    site.build().success();
    let news = feed_rs::parser::parse(site.output("news/atom.xml").as_bytes()).expect("valid Atom");
    assert_eq!(news.entries.len(), 2);
    assert_eq!(
        news.entries[0].title.as_ref().unwrap().content,
        "Website launched"
    );
    assert_eq!(
        news.entries[0].id,
        "https://test-cluster.example/news/launch/"
    );
    let events =
        feed_rs::parser::parse(site.output("events/atom.xml").as_bytes()).expect("valid Atom");
    assert_eq!(events.entries.len(), 4);
    let positions =
        feed_rs::parser::parse(site.output("positions/atom.xml").as_bytes()).expect("valid Atom");
    assert_eq!(positions.entries.len(), 1);
    assert_eq!(
        positions.entries[0].title.as_ref().unwrap().content,
        "Position: energy prices"
    );
    let home = site.output("index.html");
    assert!(
        home.contains("news/atom.xml")
            && home.contains("events/atom.xml")
            && home.contains("positions/atom.xml")
    );
}

#[test]
fn json_ld_blocks_are_valid_json_with_schema_org_types() {
    let site = site_with_activities();
    site.build().success();
    let selector = Selector::parse(r#"script[type="application/ld+json"]"#).unwrap();
    let mut types = BTreeMap::new();
    for (file, bytes) in snapshot_tree(&site.public()) {
        if !file.ends_with(".html") {
            continue;
        }
        let doc = Html::parse_document(&String::from_utf8(bytes).unwrap());
        for script in doc.select(&selector) {
            let text: String = script.text().collect();
            let v: serde_json::Value =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("{file}: {e}\n{text}"));
            assert_eq!(v["@context"], "https://schema.org", "{file}");
            types.insert(
                file.clone(),
                v["@type"].as_str().unwrap_or_default().to_string(),
            );
            if file == "events/spring-forward/index.html" {
                assert_eq!(
                    v["eventAttendanceMode"],
                    "https://schema.org/OfflineEventAttendanceMode"
                );
                assert_eq!(v["eventStatus"], "https://schema.org/EventScheduled");
                assert_eq!(v["startDate"], "2027-03-28T01:30:00+01:00");
                assert_eq!(v["organizer"]["name"], "Acme Robotics GmbH");
            }
            if file == "members/acme-robotics/index.html" {
                assert_eq!(v["memberOf"]["name"], "Test Cluster");
            }
            if file == "members/index.html" {
                assert_eq!(v["member"].as_array().map(Vec::len), Some(3));
            }
        }
    }
    for (page, ty) in [
        ("index.html", "Organization"),
        ("members/acme-robotics/index.html", "Organization"),
        ("members/gamma-institute/index.html", "ResearchOrganization"),
        ("events/webinar/index.html", "Event"),
        ("training/robot-basics/index.html", "Course"),
        ("catalogues/automation/index.html", "ItemList"),
        ("news/launch/index.html", "NewsArticle"),
    ] {
        assert_eq!(types.get(page).map(String::as_str), Some(ty), "{page}");
    }
}

#[test]
fn members_csv_and_json_hold_one_record_per_member() {
    let site = site_with_activities();
    site.build().success();
    let text = site.output("members.csv");
    // A byte-order mark, so that Excel reads UTF-8 (issue 19, item 12); CSV readers skip it.
    assert!(text.starts_with("\u{feff}slug,"), "{}", &text[..20]);
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(header, clusterpress::render::exports::CSV_COLUMNS.to_vec());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(&rows[0][1], "Acme Robotics GmbH");
    assert_eq!(&rows[0][18], "Automation & robotics; Precision machining");
    let json: serde_json::Value = serde_json::from_str(&site.output("members.json")).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 3);
    assert_eq!(
        json[0]["profile_url"],
        "https://test-cluster.example/members/acme-robotics/"
    );
    let directory = site.output("members/index.html");
    assert!(directory.contains("members.csv") && directory.contains("members.json"));
}

/// `members.xlsx` opens in any spreadsheet with its letters and columns right: read back with
/// calamine, as a spreadsheet program reads it (issue 19, item 12).
#[test]
fn members_xlsx_holds_the_csv_rows_with_letters_numbers_and_formulas_intact_issue_19() {
    use calamine::{Data, Reader, Xlsx};
    let site = SiteTest::base();
    site.write(
        "content/members/beta-metal.md",
        "---\nname: \"=HYPERLINK(\\\"http://evil.example\\\")\"\ntype: company\nsummary: Oberflächen für Lörrach, Zürich et Besançon\nemployees: 12000\n---\nText.\n",
    );
    site.build().success();
    let bytes = std::fs::read(site.public().join("members.xlsx")).unwrap();
    let bytes_before = bytes.clone();
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes)).unwrap();
    let sheet = book.worksheet_range("Members").unwrap();
    let rows: Vec<&[Data]> = sheet.rows().collect();
    let header: Vec<String> = rows[0].iter().map(|c| c.to_string()).collect();
    assert_eq!(header, clusterpress::render::exports::CSV_COLUMNS.to_vec());
    assert_eq!(rows.len(), 4, "a heading and three members");
    let beta = rows
        .iter()
        .find(|r| r[0] == "beta-metal")
        .expect("beta-metal's row");
    assert_eq!(
        beta[1].to_string(),
        "=HYPERLINK(\"http://evil.example\")",
        "text, not defused"
    );
    assert_eq!(
        beta[3].to_string(),
        "Oberflächen für Lörrach, Zürich et Besançon"
    );
    assert_eq!(beta[13], Data::Float(12000.0), "employees is a number");
    // Text stays text: the workbook holds no formula at all.
    let formulas = book.worksheet_formula("Members").unwrap();
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()));
    assert!(site.output("members/index.html").contains("members.xlsx"));
    // The same site gives the same file, whenever it is built (no clock time inside).
    std::thread::sleep(std::time::Duration::from_millis(1100));
    site.build().success();
    let again = std::fs::read(site.public().join("members.xlsx")).unwrap();
    assert!(
        bytes_before == again,
        "members.xlsx changes with the time of the build"
    );
}

#[test]
fn csv_cells_cannot_run_as_formulas() {
    let site = SiteTest::base();
    site.write("content/members/beta-metal.md", "---\nname: \"=HYPERLINK(\\\"http://evil.example\\\")\"\ntype: company\nsummary: \"@SUM(1+1)\"\n---\nText.\n");
    site.build().success();
    let csv = site.output("members.csv");
    assert!(
        csv.contains("'=HYPERLINK") && csv.contains("'@SUM"),
        "{csv}"
    );
}

#[test]
fn every_member_has_a_vcard_that_parses() {
    let site = site_with_activities();
    site.build().success();
    let text = site.output("members/acme-robotics/acme-robotics.vcf");
    let card = ical::VcardParser::new(text.as_bytes())
        .next()
        .expect("a vCard")
        .expect("valid vCard");
    let get = |name: &str| {
        card.properties
            .iter()
            .find(|p| p.name == name)
            .and_then(|p| p.value.clone())
    };
    assert_eq!(get("VERSION").as_deref(), Some("4.0"));
    assert_eq!(get("FN").as_deref(), Some("Acme Robotics GmbH"));
    assert_eq!(get("EMAIL").as_deref(), Some("info@acme-robotics.example"));
    assert!(
        site.output("members/acme-robotics/index.html")
            .contains("acme-robotics.vcf")
    );
}

#[test]
fn calendars_and_open_data_can_be_switched_off() {
    let site = site_with_activities();
    let config = std::fs::read_to_string(site.root().join("cluster.yaml")).unwrap();
    site.write(
        "cluster.yaml",
        &format!("{config}build:\n  calendars: false\n  open_data: false\n"),
    );
    // The build's own link check fails if any page still links a file that is not made.
    site.build().success();
    let made = snapshot_tree(&site.public());
    let unwanted: Vec<&String> = made
        .keys()
        .filter(|p| p.ends_with(".ics") || p.ends_with(".vcf") || p.starts_with("members."))
        .collect();
    assert!(unwanted.is_empty(), "still made: {unwanted:?}");
    let event = site.output("events/chicago-mission/index.html");
    assert!(!event.contains(".ics"), "event links a calendar file");
    assert!(
        event.contains("calendar.google.com"),
        "web calendar links stay"
    );
    assert!(
        !site
            .output("events/index.html")
            .contains("Subscribe to the calendar")
    );
    assert!(
        !site
            .output("training/robot-basics/index.html")
            .contains(".ics")
    );
    assert!(
        !site
            .output("members/acme-robotics/index.html")
            .contains(".vcf")
    );
    let directory = site.output("members/index.html");
    assert!(!directory.contains("members.csv") && !directory.contains("members.json"));
    let feed = site.output("events/atom.xml");
    assert!(
        !feed.contains("text/calendar"),
        "feed still has calendar enclosures"
    );
    assert!(!site.output("index.html").contains("Event calendar (iCal)"));
}

#[test]
fn a_member_page_links_to_everything_it_takes_part_in() {
    let site = site_with_activities();
    site.build().success();
    let acme = site.output("members/acme-robotics/index.html");
    for link in [
        "/events/spring-forward/",
        "/events/chicago-mission/",
        "/events/joint-booth/",
        "/training/robot-basics/",
        "/procurement/electricity/",
        "/catalogues/automation/",
    ] {
        assert!(acme.contains(link), "acme lacks {link}");
    }
    let gamma = site.output("members/gamma-institute/index.html");
    for link in [
        "/resources/ct-scanner/",
        "/projects/coating/",
        "/catalogues/automation/",
    ] {
        assert!(gamma.contains(link), "gamma lacks {link}");
    }
    let beta = site.output("members/beta-metal/index.html");
    assert!(beta.contains("/procurement/electricity/") && beta.contains("/projects/coating/"));
}

#[test]
fn supply_chain_matches_suppliers_and_customers() {
    let site = site_with_activities();
    site.build().success();
    // Acme needs anodising; Beta offers it.
    let acme = Html::parse_document(&site.output("members/acme-robotics/index.html"));
    let sections: Vec<String> = acme
        .select(&Selector::parse("section").unwrap())
        .map(|s| s.text().collect::<String>())
        .collect();
    assert!(
        sections
            .iter()
            .any(|s| s.contains("suppliers") && s.contains("Beta Metal SAS")),
        "{sections:?}"
    );
    let beta = site.output("members/beta-metal/index.html");
    assert!(beta.contains("Acme Robotics GmbH"));
    let chain = site.output("supply-chain/index.html");
    assert!(chain.contains("Anodising") && chain.contains("Robot integration"));
}

#[test]
fn upcoming_and_past_follow_the_build_date() {
    let site = site_with_activities();
    site.build().success();
    let html = Html::parse_document(&site.output("events/index.html"));
    let upcoming: Vec<String> = html
        .select(&Selector::parse(".upcoming").unwrap())
        .map(|e| e.text().collect())
        .collect();
    assert!(upcoming.iter().any(|t| t.contains("Early shift demo")));
    assert!(
        !upcoming.iter().any(|t| t.contains("Joint booth at Motek")),
        "a past event listed as upcoming"
    );
    site.run(&["build", "site", "--now", "2027-12-01"])
        .success();
    let html = Html::parse_document(&site.output("events/index.html"));
    assert!(
        html.select(&Selector::parse(".upcoming").unwrap())
            .next()
            .is_none()
    );
}

#[test]
fn the_example_site_has_every_activity() {
    let site = SiteTest::from_dir(&repo().join("tests/fixtures/example-en"));
    let _ = std::fs::remove_dir_all(site.public());
    site.build().success();
    let count = |dir: &str| {
        std::fs::read_dir(repo().join("tests/fixtures/example-en/content").join(dir))
            .map(|d| d.count())
            .unwrap_or(0)
    };
    assert!(
        count("events") >= 12
            && count("training") >= 6
            && count("catalogues") >= 2
            && count("resources") >= 5
    );
    assert!(
        count("procurement") >= 3
            && count("projects") >= 4
            && count("funding") >= 4
            && count("news") >= 10
            && count("partners") >= 3
            && count("jobs") >= 8
    );
    for (file, _) in snapshot_tree(&site.public())
        .into_iter()
        .filter(|(f, _)| f.ends_with(".ics"))
    {
        let text = site.output(&file);
        assert!(!calendar_events(&text).is_empty(), "{file}");
    }
}

/// Issue 19: without a written `summary`, an item's page showed the body's first paragraph
/// twice, as the lead and again as the body's start. Lists keep showing it as the summary.
#[test]
fn an_unwritten_summary_is_not_repeated_as_the_lead_of_an_item_page() {
    let site = site_with_activities();
    site.write("content/jobs/welder.md", "---\ntitle: Welder\nmember: beta-metal\nkind: full-time\nposted: 2026-11-01\nvalid_through: 2027-03-31\napply:\n  email: jobs@beta-metal.example\n---\nWelding aluminium frames.\n");
    site.build().success();
    let lead = Selector::parse("main .lead").unwrap();
    let paragraphs = Selector::parse("main p").unwrap();
    for (page, first) in [
        (
            "events/spring-forward/index.html",
            "The clocks go forward during this demo.",
        ),
        ("training/robot-basics/index.html", "A day with the robots."),
        (
            "catalogues/automation/index.html",
            "Our automation suppliers.",
        ),
        ("resources/ct-scanner/index.html", "Parts up to 300 mm."),
        (
            "procurement/electricity/index.html",
            "Buying power together.",
        ),
        ("projects/coating/index.html", "A research project."),
        ("funding/interreg/index.html", "Cross-border projects."),
        ("news/launch/index.html", "Our new site."),
        ("partners/piemonte/index.html", "Our partner in Turin."),
        ("jobs/welder/index.html", "Welding aluminium frames."),
        (
            "members/beta-metal/index.html",
            "Beta Metal anodises aluminium parts.",
        ),
    ] {
        let html = Html::parse_document(&site.output(page));
        assert_eq!(html.select(&lead).count(), 0, "{page} has a lead");
        let shown = html
            .select(&paragraphs)
            .filter(|p| p.text().collect::<String>().trim() == first)
            .count();
        assert_eq!(shown, 1, "{page} shows its first paragraph {shown} times");
    }
    // The list cards still show it.
    assert!(site.output("news/index.html").contains("Our new site."));
    assert!(
        site.output("events/index.html")
            .contains("The clocks go forward")
    );
}

#[test]
fn a_written_summary_is_the_lead_of_an_item_page() {
    let site = site_with_activities();
    site.write("content/news/launch.md", "---\ntitle: Website launched\ndate: 2026-11-02\nsummary: The cluster is online.\n---\nOur new site.\n");
    site.build().success();
    let html = Html::parse_document(&site.output("news/launch/index.html"));
    let lead = Selector::parse("main .lead").unwrap();
    let leads: Vec<String> = html.select(&lead).map(|p| p.text().collect()).collect();
    assert_eq!(leads, ["The cluster is online."]);
    assert!(
        site.output("news/launch/index.html")
            .contains("Our new site.")
    );
}
