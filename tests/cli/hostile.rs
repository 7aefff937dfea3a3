//! A site whose every text field and body carries an attack: markup, scripts, handlers,
//! script URLs, a `</script>` to break out of structured data, line breaks to forge
//! calendar and vCard properties, and spreadsheet formulas. Every output format is read
//! back with a real parser and must show the text as text, nothing more.

use scraper::{Html, Selector};

use crate::support::{SiteTest, snapshot_tree};

/// Markup and script in one line of text.
const MARKUP: &str = r#"<script>alert(1)</script><img src=x onerror=alert(2)><a href="javascript:alert(3)">x</a></script><!--"#;
/// What the YAML files say, in a double-quoted YAML string (`\n` is a line break).
const FORGED_LINES: &str = r#"Evil\nATTENDEE:mailto:victim@example.org\nEND:VEVENT\nBEGIN:VEVENT"#;

fn hostile_site() -> SiteTest {
    let site = SiteTest::base();
    let m = MARKUP.replace('"', "\\\"");
    site.write(
        "content/members/beta-metal.md",
        &format!(
            r#"---
name: "=HYPERLINK(\"https://evil.example\",\"Beta\") {m}"
type: company
summary: "+SUM(1,1) {m}"
sectors: ["{m}"]
capabilities: ["-2+3 {m}"]
needs: ["@evil {m}"]
location:
  city: "{m}"
  region: "{FORGED_LINES}"
  country: FR
contacts:
  - name: "{FORGED_LINES}"
    role: "{m}"
    email: sales@beta-metal.example
products:
  - name: "{m}"
    description: "{m}"
extra:
  motto: "{m}"
---
Hello <script>alert(4)</script><img src="/logo.svg" onerror="alert(5)" alt="">
<iframe src="https://evil.example"></iframe><object data="x.swf"></object>
<a href="javascript:alert(6)">js</a> <a href="data:text/html,<script>alert(7)</script>">data</a>
<a href=" JaVaScRiPt:alert(8)">spaced</a> <b style="position:fixed;top:0">styled</b>
<form action="https://evil.example"><input name=x></form><svg onload=alert(9)></svg>
<meta http-equiv="refresh" content="0;url=https://evil.example">
<style>body{{display:none}}</style><math><mi xlink:href="javascript:alert(10)">x</mi></math>

An image ![img](/logo.svg "<script>alert(12)</script>")
"#
        ),
    );
    site.write(
        "content/events/open-day.md",
        &format!(
            r#"---
title: "{FORGED_LINES} {m}"
kind: workshop
summary: "{m}"
start: 2027-03-01 10:00
end: 2027-03-01 16:00
timezone: Europe/Berlin
location:
  venue: "{FORGED_LINES}"
  city: "{m}"
  country: DE
organizer: beta-metal
topics: ["{m}"]
---
Body <script>alert(13)</script> of the event.
"#
        ),
    );
    site.write(
        "content/news/launch.md",
        &format!(
            r#"---
title: "]]></title><script>alert(14)</script> {m}"
date: 2026-11-01
summary: "{m}"
authors: ["{m}"]
---
News <script>alert(15)</script> <img src=/logo.svg onerror=alert(16)> body.
"#
        ),
    );
    site.write(
        "content/jobs/welder.md",
        &format!(
            r#"---
title: "]]></title><script>alert(17)</script> {m}"
member: beta-metal
kind: full-time
posted: 2026-11-01
valid_through: 2027-01-31
summary: "{m}"
location:
  venue: "{FORGED_LINES}"
  city: "{m}"
  country: FR
apply:
  url: https://beta-metal.example/jobs?a=1&b="2"
contact:
  name: "{m}"
salary: {{min: 1, currency: EUR, per: month}}
reference: "{m}"
extra:
  note: "{m}"
---
Job <script>alert(18)</script> <a href="javascript:alert(19)">apply</a> body.
"#
        ),
    );
    site.write(
        "content/pages/about.md",
        &format!("---\ntitle: \"{m}\"\ndescription: \"{m}\"\n---\nAbout <iframe src=//evil.example></iframe> us.\n"),
    );
    site
}

/// The text of a page's `<h1>`, as a visitor reads it (also used by `security.rs`).
pub(crate) fn heading(doc: &Html) -> String {
    doc.select(&Selector::parse("h1").unwrap())
        .next()
        .expect("the page has an h1")
        .text()
        .collect()
}

/// Fails if the page holds anything that runs or loads that did not come from the theme
/// (also used by `security.rs`).
pub(crate) fn assert_harmless(page: &str, html: &str) {
    let doc = Html::parse_document(html);
    let all = Selector::parse("*").unwrap();
    for el in doc.select(&all) {
        let name = el.value().name();
        match name {
            "script" if el.value().attr("type") == Some("application/ld+json") => {
                // Data, not code: it must be one JSON value, read back whole.
                let text: String = el.text().collect();
                assert!(
                    serde_json::from_str::<serde_json::Value>(&text).is_ok(),
                    "{page}: JSON-LD broken out of: {text}"
                );
            }
            "script" => {
                let src = el.value().attr("src").unwrap_or("");
                assert!(
                    [
                        "/clusterpress.js",
                        "/print.js",
                        "/directory.js",
                        "/search.js"
                    ]
                    .iter()
                    .any(|theirs| src.ends_with(theirs))
                        && el.text().next().is_none(),
                    "{page}: foreign script {}",
                    el.html()
                );
            }
            "style" => {
                // The theme's rules: the brand colour, and on print pages the paper size and
                // running headers (texts as CSS strings). Nothing that loads or escapes.
                let text: String = el.text().collect::<String>().to_ascii_lowercase();
                assert!(text.contains(":root{--brand:#224466}"), "{page}: {text}");
                for bad in ["<", "url(", "@import", "expression", "javascript:"] {
                    assert!(!text.contains(bad), "{page}: {bad} in <style>: {text}");
                }
            }
            // The theme's search forms, which lead to its own search page and nowhere else.
            "form" => {
                let class = el.value().attr("class").unwrap_or("");
                let action = el.value().attr("action");
                assert!(
                    ["site-search", "search-form"].contains(&class)
                        && action.is_none_or(|a| a.ends_with("/search/"))
                        && el.value().attr("method") == Some("get"),
                    "{page}: <form> element: {}",
                    el.html()
                );
            }
            "iframe" | "object" | "embed" | "frame" | "base" => {
                panic!("{page}: <{name}> element: {}", el.html())
            }
            "meta" => assert!(
                el.value().attr("http-equiv").is_none(),
                "{page}: {}",
                el.html()
            ),
            _ => {}
        }
        for (attr, value) in el.value().attrs() {
            assert!(
                !attr.starts_with("on"),
                "{page}: handler {attr} on <{name}>"
            );
            assert!(attr != "style", "{page}: inline style on <{name}>");
            let v: String = value
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect::<String>()
                .to_ascii_lowercase();
            for scheme in ["javascript:", "vbscript:", "data:"] {
                assert!(!v.starts_with(scheme), "{page}: {attr}={value} on <{name}>");
            }
        }
    }
}

#[test]
fn hostile_content_is_text_in_every_page_and_file() {
    let site = hostile_site();
    site.build().success();
    let files = snapshot_tree(&site.public());

    // Every page, parsed as a browser would.
    let mut pages = 0;
    for (path, bytes) in &files {
        if path.ends_with(".html") {
            assert_harmless(path, &String::from_utf8_lossy(bytes));
            pages += 1;
        }
    }
    assert!(pages > 20, "only {pages} pages");

    // The member's name is shown as text, exactly as written.
    let name = format!("=HYPERLINK(\"https://evil.example\",\"Beta\") {MARKUP}");
    let doc = Html::parse_document(&site.output("members/beta-metal/index.html"));
    assert_eq!(heading(&doc), name);
    // …and in the JSON-LD, read back as data.
    let ld: String = doc
        .select(&Selector::parse(r#"script[type="application/ld+json"]"#).unwrap())
        .flat_map(|s| s.text())
        .collect();
    assert!(
        ld.contains(r"\u003c/script"),
        "the `<` of `</script>` is escaped"
    );
    let ld: serde_json::Value = serde_json::from_str(&ld).unwrap();
    assert_eq!(ld["name"], name);

    // CSV: spreadsheets run cells that start with = + - @; those are defused with a quote.
    let mut csv = csv::Reader::from_reader(&files["members.csv"][..]);
    let headers = csv.headers().unwrap().clone();
    let beta = csv
        .records()
        .map(|r| r.unwrap())
        .find(|r| r.iter().any(|c| c.contains("HYPERLINK")))
        .expect("Beta Metal's row");
    for (header, cell) in headers.iter().zip(beta.iter()) {
        assert!(
            !cell.starts_with(['=', '+', '-', '@']),
            "members.csv column {header} would run as a formula: {cell}"
        );
    }
    assert_eq!(
        &beta[headers.iter().position(|h| h == "name").unwrap()],
        format!("'{name}")
    );

    // members.json is data: the name comes back exactly.
    let json: serde_json::Value = serde_json::from_slice(&files["members.json"]).unwrap();
    let names: Vec<&str> = json
        .as_array()
        .or_else(|| json["members"].as_array())
        .expect("a list of members")
        .iter()
        .filter_map(|m| m["name"].as_str())
        .collect();
    assert!(names.contains(&name.as_str()), "{names:?}");

    // Calendars: line breaks in texts must not forge properties or events.
    let mut calendars = 0;
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".ics")) {
        calendars += 1;
        let text = String::from_utf8(bytes.clone()).unwrap();
        let unfolded = text.replace("\r\n ", "");
        for line in unfolded.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(
                !line.starts_with("ATTENDEE") && !line.starts_with("END:VEVENT\\"),
                "{path}: forged line {line:?}"
            );
        }
        let begins = unfolded
            .split("\r\n")
            .filter(|l| *l == "BEGIN:VEVENT")
            .count();
        let ends = unfolded
            .split("\r\n")
            .filter(|l| *l == "END:VEVENT")
            .count();
        assert_eq!(begins, ends, "{path}");
        for cal in ical::IcalParser::new(&bytes[..]) {
            let cal = cal.unwrap_or_else(|e| panic!("{path}: {e}\n{text}"));
            for event in cal.events {
                for p in event.properties {
                    assert!(p.name != "ATTENDEE", "{path}: forged ATTENDEE");
                }
            }
        }
    }
    assert!(calendars >= 2, "only {calendars} calendars");
    let ics = String::from_utf8(files["events/open-day/open-day.ics"].clone()).unwrap();
    let events = ics
        .replace("\r\n ", "")
        .split("\r\n")
        .filter(|l| *l == "BEGIN:VEVENT")
        .count();
    assert_eq!(events, 1, "{ics}");
    let summary = first_summary(&ics);
    assert!(
        summary.starts_with(r"Evil\nATTENDEE:mailto:victim@example.org"),
        "{summary}"
    );

    // vCards: one card per file, and no property forged by a line break.
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".vcf")) {
        let text = String::from_utf8(bytes.clone()).unwrap();
        let unfolded = text.replace("\r\n ", "");
        assert_eq!(unfolded.matches("BEGIN:VCARD").count(), 1, "{path}");
        for line in unfolded.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(
                !line.starts_with("ATTENDEE"),
                "{path}: forged line {line:?}"
            );
        }
    }

    // Feeds: titles come back as text; contents hold nothing that runs.
    for (path, bytes) in files
        .iter()
        .filter(|(p, _)| p.ends_with(".xml") && p.contains("atom"))
    {
        let feed = feed_rs::parser::parse(&bytes[..]).unwrap_or_else(|e| panic!("{path}: {e}"));
        for entry in feed.entries {
            // Text is shown as text by feed readers; HTML must be harmless.
            if let Some(content) = entry.content
                && content.content_type.to_string().starts_with("text/html")
            {
                assert_harmless(path, &content.body.unwrap_or_default());
            }
            if let Some(summary) = entry.summary
                && summary.content_type.to_string().starts_with("text/html")
            {
                assert_harmless(path, &summary.content);
            }
        }
    }
    let news_feed = files
        .iter()
        .find(|(p, _)| p.starts_with("news/") && p.ends_with(".xml"))
        .map(|(_, b)| b)
        .expect("the news feed");
    let feed = feed_rs::parser::parse(&news_feed[..]).unwrap();
    assert_eq!(
        feed.entries[0].title.as_ref().unwrap().content,
        format!("]]></title><script>alert(14)</script> {MARKUP}")
    );
}

#[test]
fn a_brand_colour_cannot_carry_css_or_markup() {
    let site = SiteTest::base();
    let config = std::fs::read_to_string(site.root().join("cluster.yaml")).unwrap();
    site.write(
        "cluster.yaml",
        &config.replace(
            "primary: \"#224466\"",
            "primary: \"red;}</style><script>alert(1)</script>\"",
        ),
    );
    site.build().failure(1).stderr_has("cluster.yaml:");
    assert!(!site.public().exists());
}

/// Fields of each kind of file that hold free text, as YAML lines with `@` where the text
/// goes (in double quotes), for the control-character tests.
const TEXT_FIELDS: [(&str, &str, &[&str]); 4] = [
    (
        "content/members/m-{n}.md",
        "name: \"@\"\ntype: company\n",
        &[
            "summary: \"@\"",
            "sectors: [\"@\"]",
            "capabilities: [\"@\"]",
            "needs: [\"@\"]",
            "certifications: [\"@\"]",
            "location:\n  city: \"@\"\n  region: \"@\"\n  country: FR",
            "phone: \"@\"",
            "membership:\n  tier: \"@\"",
            "contacts:\n  - name: \"@\"\n    role: \"@\"",
            "products:\n  - name: \"@\"\n    description: \"@\"",
            "extra:\n  motto: \"@\"\n  \"@\": key",
        ],
    ),
    (
        "content/events/e-{n}.md",
        "title: \"@\"\nkind: workshop\nstart: 2027-03-01 10:00\nend: 2027-03-01 12:00\n",
        &[
            "summary: \"@\"",
            "topics: [\"@\"]",
            "location:\n  venue: \"@\"\n  city: \"@\"\n  country: DE",
            "registration:\n  fee: \"@\"",
        ],
    ),
    (
        "content/news/n-{n}.md",
        "title: \"@\"\ndate: 2026-11-01\n",
        &["summary: \"@\"", "authors: [\"@\"]", "topics: [\"@\"]"],
    ),
    (
        "content/pages/p-{n}.md",
        "title: \"@\"\n",
        &["description: \"@\""],
    ),
];

/// The files of a site with `text` in every text field and body, as (path, content).
fn files_with_text(text: &str) -> Vec<(String, String)> {
    let mut files = Vec::new();
    for (path, head, fields) in TEXT_FIELDS {
        let fill = |s: &str| s.replace('@', text);
        files.push((
            path.replace("{n}", "all"),
            format!(
                "---\n{}{}\n---\nBody {text} text.\n\n- item {text}\n\n| a | {text} |\n|---|---|\n",
                fill(head),
                fields
                    .iter()
                    .map(|f| fill(f))
                    .collect::<Vec<_>>()
                    .join("\n")
            ),
        ));
    }
    files
}

/// Every control character in every field: each file fails, at the line and column of the
/// character (or of the escape that stands for it), and the build writes nothing.
#[test]
fn control_characters_are_refused_where_they_are_in_every_field() {
    // (as written in the YAML file, as it is in the Markdown body, a readable name)
    let characters = [
        ("\u{7}", "\u{7}", "U+0007 (BEL)"),
        ("\\0", "\u{0}", "U+0000 (NUL)"),
        ("\\r", "&#13;", "U+000D (CR)"),
        ("\\e", "\u{1b}", "U+001B (ESC)"),
        ("\u{7f}", "\u{7f}", "U+007F (DEL)"),
        ("\\N", "\u{85}", "U+0085"),
        ("\\uFFFE", "\u{fffe}", "U+FFFE"),
        ("\u{ffff}", "&#xFFFF;", "U+FFFF"),
    ];
    let site = SiteTest::base();
    let mut expected = Vec::new();
    let mut n = 0;
    for (in_yaml, in_body, name) in characters {
        for (path, head, fields) in TEXT_FIELDS {
            // One file per field, so that each must be found on its own; and one with the
            // character only in the body.
            let lines: Vec<String> = head
                .lines()
                .chain(fields.iter().copied())
                .map(str::to_string)
                .collect();
            for (i, line) in lines.iter().enumerate() {
                if !line.contains('@') {
                    continue;
                }
                n += 1;
                let mut text = String::from("---\n");
                let mut at = None;
                for (j, other) in lines.iter().enumerate() {
                    let other = if i == j {
                        other.clone()
                    } else {
                        other.replace('@', "ok")
                    };
                    let other = match other.split_once('@') {
                        Some((before, after)) => {
                            let row = text.lines().count() + 1 + before.matches('\n').count();
                            let column = before.rsplit('\n').next().unwrap().chars().count() + 1;
                            at = Some((row, column));
                            format!("{before}{in_yaml}{}", after.replace('@', "ok"))
                        }
                        None => other,
                    };
                    // The title or name must be there even when it is not the field tested.
                    text.push_str(&other.replace('@', "ok"));
                    text.push('\n');
                }
                text.push_str("---\nA body.\n");
                let file = path.replace("{n}", &format!("{n:03}"));
                let (row, column) = at.unwrap();
                expected.push((format!("{file}:{row}:{column}"), name));
                site.write(&file, &text);
            }
            n += 1;
            let file = path.replace("{n}", &format!("{n:03}"));
            let head = head.replace('@', "ok");
            let rows = head.lines().count() + 5;
            site.write(
                &file,
                &format!("---\n{head}---\nA body.\n\nThe text {in_body} goes on.\n"),
            );
            expected.push((format!("{file}:{rows}:10"), name));
        }
    }
    let run = site.check();
    run.failure(1);
    for (place, name) in &expected {
        let found = run
            .stderr
            .split("\n\n")
            .any(|d| d.contains(&format!("--> {place}\n")) && d.contains(name));
        assert!(found, "no error for {name} at {place}:\n{}", run.stderr);
    }
    assert!(
        run.stderr
            .contains(&format!("error: found {} problems", expected.len())),
        "one problem per file: {}",
        run.stderr.lines().last().unwrap_or("")
    );
    site.build().failure(1);
    assert!(!site.public().exists());
}

/// What texts may hold (tabs, line breaks, characters from every plane, Windows line ends)
/// reaches every output format well-formed: each is read back with a strict reading.
#[test]
fn texts_with_tabs_and_odd_characters_give_well_formed_files_of_every_format() {
    let site = SiteTest::base();
    // In double-quoted YAML: a tab, an escaped tab, a line break, no-break and zero-width
    // spaces, a right-to-left mark, an emoji. (Not U+2028: YAML takes it for a line break,
    // which a key may not hold.)
    let text = "a\tb \\t c\\nd \u{a0}e\u{200b}f \u{200f}h 😀 <&>";
    for (path, content) in files_with_text(text) {
        site.write(&path, &content.replace('\n', "\r\n"));
    }
    site.build().success();
    let files = snapshot_tree(&site.public());

    for (path, bytes) in &files {
        let text = String::from_utf8_lossy(bytes);
        // XML 1.0 allows tab, line feed, carriage return and U+0020 on, but not U+FFFE/FFFF.
        if path.ends_with(".xml") {
            for c in text.chars() {
                let ok = matches!(c, '\t' | '\n' | '\r' | ' '..='\u{d7ff}' | '\u{e000}'..='\u{fffd}')
                    || c >= '\u{10000}';
                assert!(ok, "{path}: {c:?} is not an XML character");
            }
        }
        if path.contains("atom") && path.ends_with(".xml") {
            feed_rs::parser::parse(&bytes[..]).unwrap_or_else(|e| panic!("{path}: {e}"));
        }
        if path.ends_with(".ics") || path.ends_with(".vcf") {
            // RFC 5545 and 6350: no control character but tab, and CRLF line ends only.
            for line in text.split("\r\n") {
                assert!(
                    !line.chars().any(|c| c.is_control() && c != '\t'),
                    "{path}: control character in {line:?}"
                );
            }
        }
        if path.ends_with(".ics") {
            for cal in ical::IcalParser::new(&bytes[..]) {
                cal.unwrap_or_else(|e| panic!("{path}: {e}"));
            }
        }
        if path.ends_with(".json") {
            serde_json::from_slice::<serde_json::Value>(bytes)
                .unwrap_or_else(|e| panic!("{path}: {e}"));
        }
        if path.ends_with(".csv") {
            for record in csv::Reader::from_reader(&bytes[..]).records() {
                record.unwrap_or_else(|e| panic!("{path}: {e}"));
            }
        }
    }
    // The texts are there, with their tab, as text.
    let ics = String::from_utf8(files["events/e-all/e-all.ics"].clone()).unwrap();
    let summary = first_summary(&ics);
    assert!(summary.starts_with("a\tb \t c\\nd"), "{summary:?}");
    let news = files
        .iter()
        .find(|(p, _)| p.starts_with("news/") && p.ends_with(".xml"))
        .map(|(_, b)| b)
        .expect("the news feed");
    let feed = feed_rs::parser::parse(&news[..]).unwrap();
    assert!(
        feed.entries[0]
            .title
            .as_ref()
            .unwrap()
            .content
            .starts_with("a\tb \t c"),
        "{:?}",
        feed.entries[0].title
    );
}

/// The `SUMMARY` of the first event of a calendar, read with a real iCalendar parser.
fn first_summary(ics: &str) -> String {
    let cal = ical::IcalParser::new(ics.as_bytes())
        .next()
        .unwrap()
        .unwrap();
    cal.events[0]
        .properties
        .iter()
        .find(|p| p.name == "SUMMARY")
        .and_then(|p| p.value.clone())
        .unwrap()
}
