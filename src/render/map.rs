//! The member map of a page (see [`crate::map`]): the directory's, of every member, and a
//! region's or country's, of its members. Templates get it as `map` (docs/themes.md):
//! the SVG, a legend by member type, who is behind each marker that stands for several, and
//! who is not on the map: without coordinates, or with coordinates outside their country
//! (which `check` warns about).

use std::collections::HashMap;

use tera::Value;

use crate::map::{self, Marker, Style};
use crate::model::Site;
use crate::model::member::MemberKind;
use crate::url::paths;

/// The colour of each member type (Okabe and Ito's palette, told apart with colour-blindness).
fn color(kind: MemberKind) -> &'static str {
    match kind {
        MemberKind::Company => "#0072b2",
        MemberKind::Research => "#d55e00",
        MemberKind::Education => "#009e73",
        MemberKind::PublicBody => "#cc79a7",
        MemberKind::Association => "#e69f00",
    }
}

/// How many members a page names in its list of grouped markers, at most: a directory of
/// thousands keeps a page of bounded size; the rest are found through their region.
const LISTED: usize = 200;
/// How many members of one marker the list names, at most.
const LISTED_PER_PLACE: usize = 10;
/// How many members without coordinates are named, at most.
const MISSING: usize = 50;

/// The map of the members `slugs` (site order), or none when none of them has coordinates.
/// `here` is the term page it is drawn for (`("regions", "ortenau")`), which its list does
/// not link to again.
pub fn member_map(site: &Site, slugs: &[String], here: Option<(&str, &str)>) -> Value {
    let urls = &site.config.urls;
    let locale = &site.config.locale;
    let mut on_map = Vec::new();
    let mut missing = Vec::new();
    for slug in slugs {
        let Some(e) = site.members.get(slug) else {
            continue;
        };
        let m = &e.item;
        match (m.location.lon, m.location.lat) {
            (Some(lon), Some(lat)) if !m.location.misplaced => on_map.push((slug, m, lon, lat)),
            _ => missing.push((slug, m)),
        }
    }
    if on_map.is_empty() {
        return Value::none();
    }
    let url = |i: usize| urls.path(&paths::member(on_map[i].0));
    let markers: Vec<Marker> = (on_map.iter())
        .map(|(_, m, lon, lat)| Marker {
            lon: *lon,
            lat: *lat,
            name: &m.name,
            color: color(m.kind),
        })
        .collect();
    let mut home: Vec<String> = (on_map.iter())
        .filter_map(|(_, m, ..)| m.location.country.as_ref().map(|c| c.code.clone()))
        .collect();
    home.sort();
    home.dedup();
    let group_title = |n: usize| locale.counted(n as u64, locale.table_at("map.group"));
    let style = Style {
        home: &home,
        label: locale.text("map.label"),
        anchor: "map-place",
        group_title: &group_title,
        link: &url,
    };
    let Some(drawn) = map::draw(&markers, &style) else {
        return Value::none();
    };
    let mut legend: Vec<(MemberKind, usize)> = Vec::new();
    for kind in MemberKind::ALL {
        let n = on_map.iter().filter(|(_, m, ..)| m.kind == kind).count();
        if n > 0 {
            legend.push((kind, n));
        }
    }
    let legend: Vec<serde_json::Value> = (legend.iter())
        .map(|&(kind, n)| {
            serde_json::json!({
                "label": locale.member_kind(kind.key()),
                "color": color(kind),
                "count": n,
            })
        })
        .collect();
    let mut budget = LISTED;
    let groups = drawn.spots.iter().filter(|s| s.members.len() > 1);
    let places: Vec<serde_json::Value> = (groups.enumerate())
        .map(|(k, spot)| {
            let group = &spot.members;
            let members: Vec<_> = group.iter().map(|&i| on_map[i].1).collect();
            let shown = members.len().min(LISTED_PER_PLACE).min(budget);
            budget -= shown;
            let named: Vec<serde_json::Value> = (group.iter().take(shown))
                .map(|&i| serde_json::json!({ "name": on_map[i].1.name, "url": url(i) }))
                .collect();
            let place = most_common(members.iter().filter_map(|m| m.location.city.as_deref()));
            let region = most_common(
                (members.iter())
                    .filter_map(|m| m.location.region.as_ref().map(|r| r.slug.as_str())),
            );
            // The rest of a large group is on its region's page, unless this is that page.
            let more_url = region
                .filter(|&r| here != Some(("regions", r)))
                .map(|r| urls.path(&paths::term("regions", r)));
            serde_json::json!({
                "id": format!("map-place-{}", k + 1),
                "name": place.unwrap_or_default(),
                "count": members.len(),
                "members": named,
                "more": members.len() - shown,
                "more_url": if members.len() > shown { more_url } else { None },
            })
        })
        .collect();
    let missing_named: Vec<serde_json::Value> = (missing.iter().take(MISSING))
        .map(|(slug, m)| {
            serde_json::json!({ "name": m.name, "url": urls.path(&paths::member(slug)) })
        })
        .collect();
    // For the tile map a visitor may open (`map.tiles`): each marker as
    // [latitude, longitude, members, colour, link, name].
    // For the tile map a visitor may open (`map.tiles`): each marker as
    // [latitude, longitude, members, colour, link, title].
    let spots: Option<String> = site.config.tiles.as_ref().map(|_| {
        let round = |v: f64| (v * 1e5).round() / 1e5;
        let spots: Vec<serde_json::Value> = (drawn.spots.iter())
            .map(|s| {
                let (lat, lon, n) = (round(s.lat), round(s.lon), s.members.len());
                serde_json::json!([lat, lon, n, s.color, s.href, s.title])
            })
            .collect();
        serde_json::Value::from(spots).to_string()
    });
    let tiles = site.config.tiles.as_ref().map(|t| {
        let host = t.origin.split("://").nth(1).unwrap_or(&t.origin);
        serde_json::json!({ "url": t.url, "host": host, "attribution": t.attribution, "spots": spots })
    });
    Value::from_serializable(&serde_json::json!({
        "tiles": tiles,
        "svg": drawn.svg,
        "legend": legend,
        "places": places,
        "missing": missing_named,
        "missing_more": missing.len().saturating_sub(MISSING),
        "count": on_map.len(),
    }))
}

/// The value that occurs most often (the first of those that tie).
fn most_common<'a>(values: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let mut counts: HashMap<&str, (usize, usize)> = HashMap::new();
    for (i, v) in values.enumerate() {
        counts.entry(v).or_insert((0, i)).0 += 1;
    }
    (counts.into_iter())
        .max_by_key(|&(_, (n, first))| (n, std::cmp::Reverse(first)))
        .map(|(v, _)| v)
}
