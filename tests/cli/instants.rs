//! Times as other systems write them (issue 24): RFC 3339 instants with `Z` or an offset in
//! front matter build, land on the right instant in the calendars and on the pages, and an
//! offset the zone does not have then is a warning at its line.

use scraper::{Html, Selector};

use crate::support::{SiteTest, vevent};

fn with_zone(zone: Option<&str>) -> SiteTest {
    let site = SiteTest::base();
    if let Some(zone) = zone {
        let config = std::fs::read_to_string(site.root().join("cluster.yaml")).unwrap();
        site.write("cluster.yaml", &format!("{config}timezone: {zone}\n"));
    }
    site
}

fn text_of(html: &str, selector: &str) -> String {
    let doc = Html::parse_document(html);
    let sel = Selector::parse(selector).unwrap();
    doc.select(&sel)
        .next()
        .map(|e| e.text().collect::<String>())
        .unwrap_or_else(|| panic!("no {selector}"))
}

#[test]
fn instants_with_offsets_build_on_the_right_instant() {
    let site = with_zone(Some("Europe/Berlin"));
    // As Outlook (offset), Google (Z) and an event platform (fractions of a second) export.
    site.write(
        "content/events/summer-forum.md",
        "---\ntitle: Summer forum\nkind: conference\nstart: 2027-07-01T09:00:00+02:00\nend: 2027-07-01T15:00:00.000Z\nregistration:\n  url: https://example.org/register\n  deadline: 2027-06-20T21:59:59Z\n---\nText.\n",
    );
    // Across the switch to summer time (2027-03-28 in Berlin), offsets as the clocks say.
    site.write(
        "content/events/night-shift.md",
        "---\ntitle: Night shift hackathon\nkind: workshop\nstart: 2027-03-27T20:00:00+01:00\nend: 2027-03-28T12:00:00+02:00\n---\nText.\n",
    );
    site.write(
        "content/training/welding.md",
        "---\ntitle: Welding course\nprovider: acme-robotics\nlevel: beginner\nformat: in-person\nsessions:\n  - start: 2027-02-10T08:00:00Z\n    end: 2027-02-10T16:00:00Z\n---\nA day.\n",
    );
    site.write(
        "content/news/launch.md",
        "---\ntitle: Website launched\ndate: 2026-11-01T23:30:00Z\n---\nOur new site.\n",
    );
    let check = site.check();
    check.success();
    assert!(
        !check.stderr.contains("warning"),
        "offsets that agree with the zone are not questioned:\n{}",
        check.stderr
    );
    site.build().success();

    let ics = site.output("events.ics");
    let forum = vevent(&ics, "Summer forum");
    assert!(
        forum.contains(&"DTSTART:20270701T070000Z".to_string()),
        "{forum:?}"
    );
    assert!(
        forum.contains(&"DTEND:20270701T150000Z".to_string()),
        "{forum:?}"
    );
    let night = vevent(&ics, "Night shift hackathon");
    assert!(
        night.contains(&"DTSTART:20270327T190000Z".to_string()),
        "{night:?}"
    );
    assert!(
        night.contains(&"DTEND:20270328T100000Z".to_string()),
        "{night:?}"
    );
    let welding = vevent(&ics, "Welding course");
    assert!(
        welding.contains(&"DTSTART:20270210T080000Z".to_string()),
        "{welding:?}"
    );

    // The page shows Berlin's local time: 09:00 to 17:00, in summer.
    let page = site.output("events/summer-forum/index.html");
    let when = text_of(&page, ".event-when-large .event-time");
    assert!(when.contains("09:00") && when.contains("17:00"), "{when}");
    let start = Html::parse_document(&page);
    let time = start
        .select(&Selector::parse(".event-when-large time").unwrap())
        .next()
        .and_then(|t| t.value().attr("datetime").map(str::to_string))
        .unwrap_or_default();
    assert!(time.starts_with("2027-07-01T09:00:00+02:00"), "{time}");
    // The deadline is its day in Berlin: 23:59:59 on the 20th.
    assert!(page.contains("datetime=\"2027-06-20\""), "deadline day");
    // The news item of 23:30 UTC on the 1st is dated the 2nd in Berlin.
    let news = site.output("news/launch/index.html");
    assert!(news.contains("2026-11-02"), "news date in the site's zone");
    let night = site.output("events/night-shift/index.html");
    let when = text_of(&night, ".event-when-large .event-time");
    assert!(when.contains("20:00") && when.contains("12:00"), "{when}");
}

#[test]
fn an_offset_the_zone_does_not_have_then_is_a_warning_at_its_line() {
    let site = with_zone(Some("Europe/Berlin"));
    // Winter's +01:00 for a July event: copied from last year's invitation.
    site.write(
        "content/events/summer-forum.md",
        "---\ntitle: Summer forum\nkind: conference\nstart: 2027-07-01T09:00:00+01:00\nend: 2027-07-01T17:00:00+02:00\n---\nText.\n",
    );
    let check = site.check();
    check.success();
    check
        .stderr_has("content/events/summer-forum.md:4")
        .stderr_has("has the offset +01:00, but Europe/Berlin is at +02:00 then: it is shown as 2027-07-01 10:00 Europe/Berlin")
        .stderr_has("write `2027-07-01 09:00` (without an offset: local time in Europe/Berlin); if the instant is right, write `2027-07-01 10:00`");
    assert_eq!(
        check.stderr.matches("has the offset").count(),
        1,
        "the end agrees with the zone:\n{}",
        check.stderr
    );
    site.build().success();
    let ics = site.output("events.ics");
    let forum = vevent(&ics, "Summer forum");
    assert!(
        forum.contains(&"DTSTART:20270701T080000Z".to_string()),
        "the instant as written: {forum:?}"
    );
}

#[test]
fn without_a_zone_times_keep_their_offset_and_a_zone_is_suggested() {
    let site = with_zone(None);
    site.write(
        "content/events/summer-forum.md",
        "---\ntitle: Summer forum\nkind: conference\nstart: 2027-07-01T09:00:00+02:00\nend: 2027-07-01T17:00:00+02:00\n---\nText.\n",
    );
    let check = site.check();
    check.success();
    check
        .stderr_has("content/events/summer-forum.md:4")
        .stderr_has("is shown at the offset +02:00, as no time zone is set")
        .stderr_has("set `timezone:` in cluster.yaml")
        .stderr_has("e.g. Europe/Berlin");
    site.build().success();
    let page = site.output("events/summer-forum/index.html");
    let when = text_of(&page, ".event-when-large .event-time");
    assert!(when.contains("09:00") && when.contains("17:00"), "{when}");
    let forum = vevent(&site.output("events.ics"), "Summer forum");
    assert!(
        forum.contains(&"DTSTART:20270701T070000Z".to_string()),
        "{forum:?}"
    );

    // An item's own zone is a zone set: no suggestion, and the offset agrees.
    site.write(
        "content/events/summer-forum.md",
        "---\ntitle: Summer forum\nkind: conference\nstart: 2027-07-01T09:00:00+02:00\ntimezone: Europe/Paris\n---\nText.\n",
    );
    let check = site.check();
    check.success();
    assert!(!check.stderr.contains("warning"), "{}", check.stderr);
}

#[test]
fn malformed_instants_are_errors_naming_the_field() {
    let site = with_zone(Some("Europe/Berlin"));
    site.write(
        "content/events/bad.md",
        "---\ntitle: Bad\nkind: workshop\nstart: 2027-07-01T09:00:00+2\nend: 2027-02-30T10:00:00Z\n---\nText.\n",
    );
    site.check()
        .failure(1)
        .stderr_has("content/events/bad.md:4")
        .stderr_has("is not a date and time with a UTC offset")
        .stderr_has("content/events/bad.md:5")
        .stderr_has("February 2027 has 28 days");
}
