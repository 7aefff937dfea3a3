//! The member map (issue 23): an SVG drawn at build time on the directory and on each region's
//! and country's page, with a marker per member linking to its page (grouped where they would
//! overlap, the group's members listed under the map), a legend by member type, no request to
//! any other site; members without coordinates are listed, coordinates outside the member's
//! country are a warning.

use std::collections::BTreeSet;

use crate::support::{SiteTest, repo};

fn example() -> SiteTest {
    SiteTest::from_dir(&repo().join("example-site"))
}

/// The map of a page: the SVG, and the rest of the page from the figure on (legend, lists).
fn map_of(html: &str) -> (&str, &str) {
    let figure = html
        .find("<figure class=member-map")
        .or_else(|| html.find("<figure class=\"member-map\""))
        .expect("the page has a member map");
    let rest = &html[figure..];
    let svg_start = rest.find("<svg").unwrap();
    let svg_end = rest.find("</svg>").unwrap() + "</svg>".len();
    (&rest[svg_start..svg_end], rest)
}

/// The values of attribute `name` in `html` (quoted or not, as the minifier leaves them).
fn attrs<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let needle = format!(" {name}=");
    html.match_indices(&needle)
        .map(|(i, _)| {
            let v = &html[i + needle.len()..];
            match v.strip_prefix('"') {
                Some(q) => &q[..q.find('"').unwrap()],
                None => &v[..v.find([' ', '>']).unwrap()],
            }
        })
        .collect()
}

/// The member pages a map leads to: its single markers, and the names listed for its groups.
fn members_reached(svg: &str, rest: &str) -> BTreeSet<String> {
    let places_end = rest.find("</section>").unwrap_or(rest.len());
    attrs(svg, "href")
        .into_iter()
        .chain(attrs(&rest[..places_end], "href"))
        .filter(|h| h.contains("/members/"))
        .map(str::to_string)
        .collect()
}

#[test]
fn the_three_country_example_has_a_member_map_on_the_directory_region_and_country_pages() {
    let site = example();
    site.build().success();
    let html = site.output("en/members/index.html");
    let (svg, rest) = map_of(&html);
    assert!(svg.len() <= 80 * 1024, "the map is {} bytes", svg.len());
    // Drawn here: country outlines, no script, no picture or font from anywhere.
    assert!(
        svg.matches("<path").count() >= 3,
        "Germany, France, Switzerland"
    );
    for banned in [
        "<script",
        "<image",
        "<foreignObject",
        "url(",
        "@import",
        "https:",
    ] {
        assert!(!svg.contains(banned), "the map has {banned}");
    }
    assert!(
        !html.contains("src=\"http") && !html.contains("src=http"),
        "nothing is loaded from another site"
    );
    // Every member is on it, and every marker leads somewhere on the site.
    let reached = members_reached(svg, rest);
    assert_eq!(reached.len(), 33, "{reached:?}");
    for href in &reached {
        let file = site
            .public()
            .join(href.trim_start_matches('/'))
            .join("index.html");
        assert!(file.exists(), "{href} has no page");
    }
    for anchor in attrs(svg, "href")
        .into_iter()
        .filter(|h| h.starts_with('#'))
    {
        let id = &anchor[1..];
        assert!(
            html.contains(&format!("id={id}>")) || html.contains(&format!("id=\"{id}\"")),
            "the group {anchor} lists its members on the page"
        );
    }
    // Basel and its neighbours are close enough to be one marker with a number on it.
    assert!(rest.contains("Basel ("), "{rest:.2000}");
    // The legend names each member type with its number, 33 in all.
    let legend = &rest[rest.find("map-legend").unwrap()..rest.find("</figcaption>").unwrap()];
    for kind in [
        "Company (",
        "Research institute (",
        "Education and training (",
        "Public body (",
        "Association (",
    ] {
        assert!(legend.contains(kind), "{kind} in {legend}");
    }
    let total: usize = legend
        .split(") (")
        .flat_map(|s| s.split('('))
        .filter_map(|s| s.split(')').next()?.parse::<usize>().ok())
        .sum();
    assert_eq!(total, 33, "{legend}");

    // A region's page maps its own members; a country's too, in its language.
    let ortenau = site.output("de/regions/ortenau/index.html");
    let (svg, rest) = map_of(&ortenau);
    let reached = members_reached(svg, rest);
    assert_eq!(reached.len(), 4, "{reached:?}");
    assert!(reached.iter().all(|h| h.starts_with("/de/members/")));
    assert!(ortenau.contains("Unternehmen (3)"));
    let france = site.output("fr/countries/fr/index.html");
    let (svg, rest) = map_of(&france);
    assert!(svg.contains("aria-label=\"Carte des membres\""));
    let lead = &france[france.find("class=\"lead\">").expect("the lead") + 13..];
    let term_count: usize = lead
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .expect("the count of members");
    assert!(term_count > 1, "{lead:.40}");
    assert_eq!(members_reached(svg, rest).len(), term_count);
}

#[test]
fn members_without_coordinates_are_listed_and_coordinates_in_another_country_are_a_warning() {
    let site = example();
    let path = site.root().join("content/members/baar-formenbau.md");
    let text = std::fs::read_to_string(&path).unwrap();
    // Latitude and longitude swapped, as happens when they are copied by hand.
    let swapped = text
        .replace("  lat: 47.9531", "  lat: 8.5033")
        .replace("  lon: 8.5033", "  lon: 47.9531");
    assert_ne!(swapped, text);
    std::fs::write(&path, swapped).unwrap();
    // Strasbourg's coordinates for a member in Switzerland.
    let path = site.root().join("content/members/lindenhof-medtech.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let lat = text.lines().find(|l| l.starts_with("  lat:")).unwrap();
    let lon = text.lines().find(|l| l.starts_with("  lon:")).unwrap();
    let elsewhere = text
        .replace(lat, "  lat: 48.5734")
        .replace(lon, "  lon: 7.7521");
    std::fs::write(&path, elsewhere).unwrap();
    // No coordinates at all.
    let path = site.root().join("content/members/achertal-digital.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let without: String = text
        .lines()
        .filter(|l| !l.starts_with("  lat:") && !l.starts_with("  lon:"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&path, without).unwrap();

    let run = site.check();
    run.success()
        .stderr_has("warning: the coordinates lat 8.5033, lon 47.9531 are not in Germany: latitude and longitude look swapped")
        .stderr_has("content/members/baar-formenbau.md:17:8")
        .stderr_has("= help: write `lat: 47.9531` and `lon: 8.5033`")
        .stderr_has("the coordinates lat 48.5734, lon 7.7521 are in France (FR), about ")
        .stderr_has(" km outside Switzerland (CH), the member's country")
        .stderr_has("content/members/lindenhof-medtech.md:")
        .stderr_has("= field: location.lat");
    // Once each, not once per language.
    assert_eq!(
        run.stderr.matches("look swapped").count(),
        1,
        "{}",
        run.stderr
    );

    site.build().success();
    let html = site.output("en/members/index.html");
    let (svg, rest) = map_of(&html);
    assert_eq!(members_reached(svg, rest).len(), 30);
    let missing = &rest[rest
        .find("map-missing")
        .expect("a list of who is not on the map")..];
    let missing = &missing[..missing.find("</p>").unwrap()];
    assert!(
        missing.contains("Not on the map (no coordinates, or coordinates outside their country):")
    );
    for slug in ["achertal-digital", "baar-formenbau", "lindenhof-medtech"] {
        assert!(
            missing.contains(&format!("/en/members/{slug}/")),
            "{slug} in {missing}"
        );
    }
}

#[test]
fn a_tile_map_is_offered_only_with_its_attribution_and_allowed_by_the_policy() {
    let site = example();
    let config = site.root().join("cluster.yaml");
    let text = std::fs::read_to_string(&config).unwrap();
    let cloudflare = text.replace("\nhosting: github\n", "\nhosting: cloudflare\n");
    assert_ne!(cloudflare, text, "the example is hosted on GitHub Pages");
    // Without attribution, over plain http, without {x}: each refused at its line.
    for (map, error) in [
        (
            "map:\n  tiles: https://tile.openstreetmap.org/{z}/{x}/{y}.png\n",
            "`map.tiles` needs `map.attribution`",
        ),
        (
            "map:\n  tiles: http://tiles.example/{z}/{x}/{y}.png\n  attribution: x\n",
            "is not an https:// address",
        ),
        (
            "map:\n  tiles: https://tiles.example/{z}/{y}.png\n  attribution: x\n",
            "has no `{x}`",
        ),
    ] {
        std::fs::write(&config, format!("{cloudflare}{map}")).unwrap();
        site.build()
            .failure(1)
            .stderr_has(error)
            .stderr_has("cluster.yaml:");
    }
    std::fs::write(
        &config,
        format!(
            "{cloudflare}map:\n  tiles: https://tile.openstreetmap.org/{{z}}/{{x}}/{{y}}.png\n  attribution: \"© OpenStreetMap contributors\"\n"
        ),
    )
    .unwrap();
    site.build().success();
    let html = site.output("en/members/index.html");
    let (svg, rest) = map_of(&html);
    // The drawn map stays; the tile map is only offered, its script and data on the page.
    assert!(svg.len() <= 80 * 1024);
    assert!(
        rest.contains("loads map tiles from tile.openstreetmap.org"),
        "{rest:.3000}"
    );
    assert!(html.contains("/map.js"));
    assert!(html.contains("data-tiles=\"https://tile.openstreetmap.org/{z}/{x}/{y}.png\""));
    assert!(!html.contains("src=\"https://tile") && !html.contains("src=https://tile"));
    let headers = site.output("_headers");
    assert!(
        headers.contains("img-src 'self' data: https://tile.openstreetmap.org;"),
        "{headers}"
    );
    // A page without a map does not load the script.
    assert!(!site.output("en/events/index.html").contains("map.js"));
}
