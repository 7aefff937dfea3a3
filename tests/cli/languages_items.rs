//! The event and course pages in the site's language: their words come from the string tables
//! (issue 20), and English stays as it was.

use crate::support::SiteTest;

const EVENT: &str = "---\ntitle: Cobot day\nkind: trade-show\nstart: 2027-03-10\nlocation: {venue: Hall 1, city: Basel, country: CH}\nlanguage: de\nparticipants: [acme-robotics]\nregistration: {url: https://cobot.example/register, deadline: 2027-03-01, seats: 40}\n---\nA day with cobots.\n";

const COURSE: &str = "---\ntitle: PLC basics\nlevel: beginner\nformat: in-person\nlanguage: fr\nprice: {amount: 0, currency: EUR}\nregistration: {url: https://plc.example/book}\nsessions:\n  - start: 2027-02-09 08:30\n    end: 2027-02-11 16:00\n    location: {venue: Training Centre, city: Lörrach, country: DE}\n    status: few-seats\n---\nThree days of PLCs.\n";

/// The base site with one event and one course, built in `language`; the event page, the
/// events page, the course page and the training page.
fn pages(language: &str) -> [String; 4] {
    let site = SiteTest::base();
    let config = std::fs::read_to_string(site.root().join("cluster.yaml")).unwrap();
    site.write(
        "cluster.yaml",
        &config.replace("language: en", &format!("language: {language}")),
    );
    site.write("content/events/cobot-day.md", EVENT);
    site.write("content/training/plc-basics.md", COURSE);
    site.build().success();
    [
        site.output("events/cobot-day/index.html"),
        site.output("events/index.html"),
        site.output("training/plc-basics/index.html"),
        site.output("training/index.html"),
    ]
}

fn has_all(page: &str, words: &[&str]) {
    for w in words {
        assert!(page.contains(w), "`{w}` is missing from:\n{page}");
    }
}

#[test]
fn event_and_course_pages_speak_the_sites_language_issue_20() {
    let [event, events, course, training] = pages("en");
    has_all(
        &event,
        &[
            ">Trade show<",
            "<dt>When</dt>",
            "<h2>Registration</h2>",
            "<dd>German</dd>",
            ">Register now<",
            "<h2>Add to calendar</h2>",
            "Exhibiting members",
        ],
    );
    has_all(&events, &[">Upcoming<", ">Past events<", ">Filter <span"]);
    has_all(
        &course,
        &[
            "<dt>Level</dt><dd>Beginner</dd>",
            "<dd>In person</dd>",
            "<dd>French</dd>",
            "<dd>Free</dd>",
            ">Few places left<",
            ">Add to calendar<",
        ],
    );
    has_all(&training, &["Free · Few places left", "Next:"]);

    let [event, events, course, training] = pages("de");
    has_all(
        &event,
        &[
            ">Messe<",
            "<dt>Wann</dt>",
            "<h2>Anmeldung</h2>",
            "<dd>Deutsch</dd>",
            ">Jetzt anmelden<",
            "<h2>In den Kalender</h2>",
            "Ausstellende Mitglieder",
            "<dt>Anmeldeschluss</dt>",
        ],
    );
    has_all(
        &events,
        &[">Demnächst<", ">Vergangene Veranstaltungen<", ">Demnächst<"],
    );
    has_all(
        &course,
        &[
            "<dt>Niveau</dt><dd>Einsteiger</dd>",
            "<dd>Präsenz</dd>",
            "<dd>Französisch</dd>",
            "<dd>Kostenlos</dd>",
            ">Wenige Plätze frei<",
            ">Termine<",
        ],
    );
    has_all(
        &training,
        &["Kostenlos · Wenige Plätze frei", "Nächster Termin:"],
    );
    for page in [&event, &events, &course, &training] {
        assert!(!page.contains("Register now") && !page.contains("Few places left"));
        // A key without a text would show as itself.
        for section in ["events", "training", "calendar", "items"] {
            for raw in [format!(">{section}."), format!("\"{section}.")] {
                assert!(!page.contains(&raw), "a raw key `{raw}` in:\n{page}");
            }
        }
    }

    let [event, events, course, training] = pages("fr");
    has_all(
        &event,
        &[
            ">Salon<",
            "<dt>Quand</dt>",
            "<h2>Inscription</h2>",
            "<dd>allemand</dd>",
            ">S’inscrire maintenant<",
            "<h2>Ajouter au calendrier</h2>",
            "Membres exposants",
        ],
    );
    has_all(
        &events,
        &[">À venir<", ">Événements passés<", ">Filtrer <span"],
    );
    has_all(
        &course,
        &[
            "<dt>Niveau</dt><dd>Débutant</dd>",
            "<dd>En présentiel</dd>",
            "<dd>Gratuit</dd>",
            ">Dernières places<",
            "Télécharger le .ics",
        ],
    );
    has_all(
        &training,
        &["Gratuit · Dernières places", "Prochaine session :"],
    );
}
