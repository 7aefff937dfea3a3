//! `import events` (issue 24): events from calendars exported by Outlook and Google, and a
//! site's own events.ics, into event files that build on the right instants and re-import
//! without duplicates.

use std::path::{Path, PathBuf};

use crate::support::{Run, SiteTest, fixtures, has, repo, snapshot_tree, vevent, vevents};

const NOW: &str = "2026-11-27";

fn calendar(name: &str) -> PathBuf {
    fixtures().join("import").join("calendars").join(name)
}

/// The base fixture in Berlin time, without events.
fn berlin_site() -> SiteTest {
    let site = SiteTest::base();
    let config = std::fs::read_to_string(site.root().join("cluster.yaml")).unwrap();
    site.write(
        "cluster.yaml",
        &format!("{config}timezone: Europe/Berlin\n"),
    );
    site
}

fn import(site: &SiteTest, file: &Path, extra: &[&str]) -> Run {
    let file = file.display().to_string();
    let mut args = vec!["import", "events", file.as_str(), "site", "--now", NOW];
    args.extend(extra);
    site.run(&args)
}

fn read(site: &SiteTest, rel: &str) -> String {
    std::fs::read_to_string(site.root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

#[test]
fn an_outlook_export_imports_with_windows_zones_all_day_and_cancelled_events() {
    let site = berlin_site();
    let run = import(&site, &calendar("outlook.ics"), &["--occurrences", "14"]);
    run.success();
    // Four single events, and the weekly one as its 14 next occurrences (one left out by
    // EXDATE; one moved to the afternoon by a RECURRENCE-ID).
    assert!(
        run.stdout
            .starts_with("outlook.ics: 5 events: 17 created, 0 updated, 0 unchanged, 0 rejected\n"),
        "{}",
        run.stdout
    );
    let meeting = read(&site, "content/events/spring-members-meeting.md");
    for line in [
        "title: Spring members' meeting",
        "kind: networking",
        "start: 2027-03-25 09:30",
        "end: 2027-03-25 17:00",
        "  venue: Messe Freiburg",
        "  address: Europaplatz 1",
        "  postcode: \"79108\"",
        "  city: Freiburg",
        "  country: DE",
        "  ical_uid: 040000008200E00074C5B7101A82E00800000000A0B1C2D3E4F5A6B7C8D9E0F1A2B3C4D5",
    ] {
        assert!(meeting.lines().any(|l| l == line), "{line} in\n{meeting}");
    }
    assert!(
        !meeting.contains("timezone:"),
        "Berlin is the site's zone:\n{meeting}"
    );
    assert!(
        meeting
            .ends_with("Agenda:\\\n09:30 Welcome\\\n10:00 Talks, demos and a tour of the hall\n"),
        "the description as the text, its lines kept:\n{meeting}"
    );
    let booth = read(&site, "content/events/joint-booth-at-automatica.md");
    assert!(
        booth.contains("start: 2027-06-09\nend: 2027-06-11\n"),
        "inclusive end:\n{booth}"
    );
    assert!(booth.contains("kind: trade-show"), "{booth}");
    let webinar = read(
        &site,
        "content/events/webinar-on-the-machinery-regulation.md",
    );
    assert!(
        webinar.contains("status: cancelled") && webinar.contains("kind: webinar"),
        "{webinar}"
    );
    assert!(
        webinar.contains("online: https://teams.microsoft.com/"),
        "{webinar}"
    );

    // The site builds, with the calendar's instants.
    site.check().success();
    site.build().success();
    let ics = site.output("events.ics");
    let meeting = vevent(&ics, "Spring members' meeting");
    assert!(has(&meeting, "DTSTART:20270325T083000Z"), "{meeting:?}");
    let night = vevent(&ics, "Night shift hackathon");
    assert!(
        has(&night, "DTSTART:20270327T190000Z") && has(&night, "DTEND:20270328T100000Z"),
        "{night:?}"
    );
    let booth = vevent(&ics, "Joint booth at automatica");
    assert!(
        has(&booth, "DTSTART;VALUE=DATE:20270609") && has(&booth, "DTEND;VALUE=DATE:20270612"),
        "{booth:?}"
    );
    assert!(has(
        &vevent(&ics, "Webinar on the Machinery Regulation"),
        "STATUS:CANCELLED"
    ));

    // The weekly stand-up: Tuesdays at 09:00 local time, before and after the switch to
    // summer time (28 March), without 2 February, and 16 February in the afternoon.
    let standups: Vec<String> = vevents(&ics)
        .into_iter()
        .filter(|e| e.iter().any(|l| l.starts_with("SUMMARY:Weekly stand-up")))
        .filter_map(|e| {
            e.iter()
                .find_map(|l| l.strip_prefix("DTSTART:").map(str::to_string))
        })
        .collect();
    assert_eq!(standups.len(), 13, "{standups:?}");
    for start in [
        "20270105T080000Z",
        "20270323T080000Z",
        "20270330T070000Z",
        "20270406T070000Z",
        "20270216T130000Z",
    ] {
        assert!(
            standups.iter().any(|s| s == start),
            "{start} in {standups:?}"
        );
    }
    assert!(
        !standups.iter().any(|s| s.starts_with("20270202")),
        "{standups:?}"
    );
    let moved = read(
        &site,
        "content/events/weekly-stand-up-afternoon-2027-02-16.md",
    );
    assert!(moved.contains("ical_uid: 040000008200E00074C5B7101A82E00800000000E4F5A6B7C8D9E0F1A2B3C4D5E6F7A8B9#20270216"), "{moved}");

    // Imported again: the same files, nothing changed.
    let files = std::fs::read_dir(site.root().join("content/events"))
        .unwrap()
        .count();
    let again = import(&site, &calendar("outlook.ics"), &["--occurrences", "14"]);
    assert!(
        again
            .stdout
            .starts_with("outlook.ics: 5 events: 0 created, 0 updated, 17 unchanged, 0 rejected"),
        "{}",
        again.stdout
    );
    assert_eq!(
        std::fs::read_dir(site.root().join("content/events"))
            .unwrap()
            .count(),
        files
    );
}

#[test]
fn a_google_export_in_utc_is_shown_in_the_calendars_zone() {
    let site = berlin_site();
    import(&site, &calendar("google.ics"), &[]).success();
    let forum = read(&site, "content/events/summer-forum.md");
    assert!(
        forum.contains("start: 2027-07-01 09:00\nend: 2027-07-01 17:00\n"),
        "{forum}"
    );
    // A monthly all-day reminder until April: four days, each its own event.
    for month in ["01", "02", "03", "04"] {
        let day = read(
            &site,
            &format!("content/events/newsletter-deadline-2027-{month}-01.md"),
        );
        assert!(
            day.contains(&format!("start: 2027-{month}-01\n")) && !day.contains("end:"),
            "{day}"
        );
    }
    assert!(
        !site
            .root()
            .join("content/events/newsletter-deadline-2027-05-01.md")
            .exists()
    );
    let japan = read(&site, "content/events/trade-mission-to-japan.md");
    assert!(
        japan.ends_with("Five days in Nagano and Tokyo.\n"),
        "control characters left out:\n{japan}"
    );
    assert!(japan.contains("  city: Suwa\n  country: JP\n"), "{japan}");
    assert!(
        japan.contains("registration:\n  url: https://example.org/register/japan\n"),
        "{japan}"
    );
    site.build().success();
    let forum = vevent(&site.output("events.ics"), "Summer forum");
    assert!(
        has(&forum, "DTSTART:20270701T070000Z") && has(&forum, "DTEND:20270701T150000Z"),
        "{forum:?}"
    );
}

#[test]
fn importing_again_updates_in_place_and_keeps_texts_edited_by_hand() {
    let site = berlin_site();
    import(&site, &calendar("google.ics"), &[]).success();
    let files = || {
        std::fs::read_dir(site.root().join("content/events"))
            .unwrap()
            .count()
    };
    let before = files();
    let again = import(&site, &calendar("google.ics"), &[]);
    again.success();
    assert!(
        again
            .stdout
            .starts_with("google.ics: 3 events: 0 created, 0 updated, 6 unchanged, 0 rejected"),
        "{}",
        again.stdout
    );
    assert_eq!(files(), before, "no duplicates");

    // The text edited on the site is kept; a new time in the calendar is taken.
    let path = "content/events/summer-forum.md";
    // The text and the kind changed on the site: a calendar without categories keeps both.
    let edited = read(&site, path)
        .replace("Our summer forum.", "Our summer forum, with the programme.")
        .replace("kind: networking", "kind: conference");
    site.write(path, &edited);
    let moved = std::fs::read_to_string(calendar("google.ics"))
        .unwrap()
        .replace("DTSTART:20270701T070000Z", "DTSTART:20270701T080000Z");
    let moved_file = site.root().join("moved.ics");
    std::fs::write(&moved_file, moved).unwrap();
    let run = import(&site, &moved_file, &[]);
    run.success();
    assert!(
        run.stdout
            .contains("updated summer-forum: event 1: start\n"),
        "{}",
        run.stdout
    );
    run.stderr_has(
        "summer-forum: its text was edited here and differs from the calendar's description: kept",
    );
    let forum = read(&site, path);
    assert!(forum.contains("start: 2027-07-01 10:00\n"), "{forum}");
    assert!(
        forum.contains("Our summer forum, with the programme."),
        "{forum}"
    );
    assert!(forum.contains("kind: conference"), "{forum}");
    assert_eq!(files(), before);
}

#[test]
fn a_dry_run_reports_and_writes_nothing() {
    let site = berlin_site();
    let before = snapshot_tree(&site.root());
    let run = import(&site, &calendar("google.ics"), &["--dry-run"]);
    run.success();
    assert!(
        run.stdout.contains("6 created") && run.stdout.ends_with("dry run: nothing was written\n"),
        "{}",
        run.stdout
    );
    assert_eq!(snapshot_tree(&site.root()), before);
    // Not a calendar: a usage error, nothing written.
    site.write("notes.ics", "Meeting on Tuesday\n");
    let notes = site.root().join("notes.ics");
    import(&site, &notes, &[])
        .failure(2)
        .stderr_has("is not an iCalendar file");
    site.remove("notes.ics");
    assert_eq!(snapshot_tree(&site.root()), before);
}

/// The example site's own events.ics, imported into a new site, gives the same events: the
/// same instants (zones included), places, kinds and statuses in the new site's calendar.
#[test]
fn a_sites_own_calendar_imports_into_an_empty_site_as_the_same_events() {
    let example = SiteTest::from_dir(&repo().join("tests/fixtures/example-en"));
    example.build().success();
    let original = example.output("events.ics");

    let site = SiteTest::empty();
    site.run(&["new", "site"]).success();
    for sample in std::fs::read_dir(site.root().join("content/events")).unwrap() {
        std::fs::remove_file(sample.unwrap().path()).unwrap();
    }
    let file = example.public().join("events.ics");
    let run = import(&site, &file, &[]);
    run.success();
    run.stderr_has("course sessions left out");
    site.build().success();
    let copy = site.output("events.ics");

    let slug_of = |lines: &[String]| {
        lines
            .iter()
            .find_map(|l| l.strip_prefix("UID:event-"))
            .and_then(|u| u.split('@').next())
            .map(str::to_string)
    };
    let compared = [
        "DTSTART",
        "DTEND",
        "SUMMARY",
        "STATUS",
        "LOCATION",
        "GEO",
        "CATEGORIES",
        "X-CLUSTERPRESS-TZID",
    ];
    let keep = |lines: &[String]| -> Vec<String> {
        let mut kept: Vec<String> = lines
            .iter()
            .filter(|l| {
                compared
                    .iter()
                    .any(|p| l.starts_with(&format!("{p}:")) || l.starts_with(&format!("{p};")))
            })
            .cloned()
            .collect();
        kept.sort();
        kept
    };
    let events = |ics: &str| -> std::collections::BTreeMap<String, Vec<String>> {
        vevents(ics)
            .iter()
            .filter_map(|e| Some((slug_of(e)?, keep(e))))
            .collect()
    };
    let (a, b) = (events(&original), events(&copy));
    assert!(a.len() >= 10, "{} events", a.len());
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (slug, lines) in &a {
        assert_eq!(lines, &b[slug], "{slug}");
    }
    // And once more: nothing changes.
    let again = import(&site, &file, &[]);
    assert!(
        again.stdout.contains(" 0 created, 0 updated,"),
        "{}",
        again.stdout
    );
}

#[test]
fn thunderbird_and_event_platform_exports_land_on_their_instants() {
    let site = berlin_site();
    import(&site, &calendar("thunderbird.ics"), &[]).success();
    // A Swiss event over the switch back to winter time, kept in its own zone.
    let day = read(&site, "content/events/dreiland-precision-day.md");
    for line in [
        "kind: conference",
        "start: 2026-10-24 09:00",
        "end: 2026-10-25 17:00",
        "timezone: Europe/Zurich",
        "  venue: Congress Center Basel",
        "  postcode: \"4058\"",
        "  city: Basel",
        "  country: CH",
    ] {
        assert!(day.lines().any(|l| l == line), "{line} in\n{day}");
    }
    let chicago = read(&site, "content/events/metrology-workshop.md");
    assert!(
        chicago.contains("timezone: America/Chicago") && chicago.contains("kind: workshop"),
        "{chicago}"
    );
    import(&site, &calendar("eventbrite.ics"), &[]).success();
    let fair = read(&site, "content/events/precision-fair-2027.md");
    assert!(
        fair.contains("start: 2027-09-15 09:00\nend: 2027-09-17 17:00\n"),
        "UTC shown in the site's zone:\n{fair}"
    );
    assert!(
        fair.contains("url: https://www.eventbrite.com/e/precision-fair-2027-tickets-123456789"),
        "{fair}"
    );
    assert!(
        fair.contains("For details, click here: https://www.eventbrite.com/"),
        "a link inside the text stays:\n{fair}"
    );

    site.build().success();
    let ics = site.output("events.ics");
    let day = vevent(&ics, "Dreiland precision day");
    assert!(
        has(&day, "DTSTART:20261024T070000Z") && has(&day, "DTEND:20261025T160000Z"),
        "{day:?}"
    );
    assert!(has(&day, "X-CLUSTERPRESS-TZID:Europe/Zurich"), "{day:?}");
    assert!(has(
        &vevent(&ics, "Metrology workshop"),
        "DTSTART:20270310T150000Z"
    ));
    let fair = vevent(&ics, "Precision Fair 2027");
    assert!(
        has(&fair, "DTSTART:20270915T070000Z") && has(&fair, "DTEND:20270917T150000Z"),
        "{fair:?}"
    );
    // The page of the Swiss event says its times are Zurich's.
    let page = site.output("events/dreiland-precision-day/index.html");
    assert!(
        page.contains("Europe/Zurich"),
        "the zone is named on the page"
    );
}

/// The DTSTART lines of the events titled `title`, in the calendar's order.
fn starts(ics: &str, title: &str) -> Vec<String> {
    let mut found: Vec<String> = vevents(ics)
        .into_iter()
        .filter(|lines| has(lines, &format!("SUMMARY:{title}")))
        .filter_map(|lines| lines.into_iter().find(|l| l.starts_with("DTSTART")))
        .collect();
    found.sort();
    found
}

#[test]
fn outlook_customized_time_zones_and_extra_dates_land_on_their_instants() {
    let site = berlin_site();
    let run = import(&site, &calendar("outlook-custom-zones.ics"), &[]);
    // The zone defined by a list of dates is refused for its one event; the others import.
    assert_eq!(run.code, 1, "{run:?}");
    assert!(
        run.stdout.starts_with(
            "outlook-custom-zones.ics: 7 events: 11 created, 0 updated, 0 unchanged, 1 rejected\n"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(
            "outlook-custom-zones.ics:event 5: DTSTART: the time zone `Customized Time Zone 2` is defined by rules other than a yearly day"
        ),
        "{}",
        run.stdout
    );
    // Outlook's "Customized Time Zone" keeps Berlin's clocks: read as the site's zone.
    assert!(
        run.stderr.contains("the time zone `Customized Time Zone` (UTC+01:00, summer time UTC+02:00 from the last Sunday of March) is read as Europe/Berlin"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("the time zone `Customized Time Zone 1` (UTC+03:30, summer time UTC+04:30 from the last Sunday of March) is no IANA zone"),
        "{}",
        run.stderr
    );
    let day = read(&site, "content/events/supplier-day.md");
    assert!(
        day.contains("start: 2027-07-01 09:00\nend: 2027-07-01 17:00\n")
            && !day.contains("timezone:"),
        "{day}"
    );
    // A zone no IANA zone follows: the same instant, in the site's zone (10:00 at +04:30).
    let call = read(
        &site,
        "content/events/partner-call-with-the-caspian-cluster.md",
    );
    assert!(
        call.contains("start: 2027-07-01 07:30\nend: 2027-07-01 09:00\n"),
        "{call}"
    );
    // Outlook's all-day flag on midnight-to-midnight times: days, the last one inclusive.
    let tour = read(&site, "content/events/plant-tour-week.md");
    assert!(
        tour.contains("start: 2027-06-14\nend: 2027-06-16\n"),
        "{tour}"
    );
    // Exchange's name for UTC, shown in the site's zone.
    let board = read(&site, "content/events/board-call.md");
    assert!(board.contains("start: 2027-02-01 16:00\n"), "{board}");
    site.build().success();
    let ics = site.output("events.ics");
    assert_eq!(starts(&ics, "Supplier day"), ["DTSTART:20270701T070000Z"]);
    assert_eq!(
        starts(&ics, "Plant tour week"),
        ["DTSTART;VALUE=DATE:20270614"]
    );
    assert_eq!(
        starts(&ics, "Partner call with the Caspian cluster"),
        ["DTSTART:20270701T053000Z"]
    );
    // Three monthly sessions by the rule and one more by RDATE, at 16:00 in winter and summer.
    assert_eq!(
        starts(&ics, "Quality circle"),
        [
            "DTSTART:20270112T150000Z",
            "DTSTART:20270209T150000Z",
            "DTSTART:20270309T150000Z",
            "DTSTART:20270420T140000Z"
        ]
    );
    // Dates alone (RDATE without a rule): the start and the dates.
    assert_eq!(
        starts(&ics, "Open lab day"),
        [
            "DTSTART:20270505T080000Z",
            "DTSTART:20270602T080000Z",
            "DTSTART:20270707T080000Z"
        ]
    );
    assert!(!ics.contains("SUMMARY:Partner visit"));
}

#[test]
fn occurrences_a_series_no_longer_has_are_listed_and_cancelled_on_request() {
    let site = berlin_site();
    import(&site, &calendar("outlook.ics"), &["--occurrences", "14"]).success();
    // In Outlook, the 9 March stand-up is deleted and the series ends two weeks earlier.
    let outlook = std::fs::read_to_string(calendar("outlook.ics")).unwrap();
    let changed = outlook
        .replace(
            "EXDATE;TZID=\"W. Europe Standard Time\":20270202T090000",
            "EXDATE;TZID=\"W. Europe Standard Time\":20270202T090000,20270309T090000",
        )
        .replace("COUNT=14", "COUNT=12");
    assert_ne!(changed, outlook);
    let file = site.root().join("outlook-changed.ics");
    std::fs::write(&file, changed).unwrap();
    let before = snapshot_tree(&site.root().join("content"));
    // Fewer occurrences asked for this time: those later are still in the series, not listed.
    let run = import(&site, &file, &["--occurrences", "3"]);
    run.success();
    let listed = "no longer in their series: 3 occurrences (left as they are; --mark-cancelled marks them cancelled):\n  weekly-stand-up-2027-03-09 (Weekly stand-up, 2027-03-09)\n  weekly-stand-up-2027-03-30 (Weekly stand-up, 2027-03-30)\n  weekly-stand-up-2027-04-06 (Weekly stand-up, 2027-04-06)\n";
    assert!(run.stdout.contains(listed), "{}", run.stdout);
    assert_eq!(before, snapshot_tree(&site.root().join("content")));

    let run = import(&site, &file, &["--occurrences", "3", "--mark-cancelled"]);
    run.success();
    assert!(
        run.stdout
            .contains("no longer in their series: 3 occurrences (marked cancelled):"),
        "{}",
        run.stdout
    );
    for day in ["2027-03-09", "2027-03-30", "2027-04-06"] {
        let text = read(&site, &format!("content/events/weekly-stand-up-{day}.md"));
        assert!(text.contains("\nstatus: cancelled\n"), "{text}");
    }
    assert!(!read(&site, "content/events/weekly-stand-up-2027-03-16.md").contains("status:"));
    // Cancelled, they are not listed again.
    let run = import(&site, &file, &["--occurrences", "3"]);
    assert!(!run.stdout.contains("no longer"), "{}", run.stdout);
    site.build().success();
    let ics = site.output("events.ics");
    let march = vevents(&ics)
        .into_iter()
        .find(|lines| has(lines, "DTSTART:20270309T080000Z"))
        .expect("the cancelled stand-up is still in the calendar");
    assert!(has(&march, "STATUS:CANCELLED"), "{march:?}");

    // Put back in Outlook, it is scheduled again.
    let run = import(&site, &calendar("outlook.ics"), &["--occurrences", "14"]);
    run.success();
    assert!(
        run.stdout
            .contains("updated weekly-stand-up-2027-03-09: event 5: status"),
        "{}",
        run.stdout
    );
}
