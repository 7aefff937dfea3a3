//! Member maps (issue 23): an SVG drawn at build time, with no script and no request to any
//! other site, of where members are. The country outlines are Natural Earth's (see
//! [`atlas`]), in the Web Mercator projection that tile maps use; the view is fitted to the
//! markers. Markers that would overlap are drawn as one, with the number of members it
//! stands for; the page lists who is in each (see `themes/default/templates/partials/map.html`).

pub mod atlas;

use std::collections::HashMap;
use std::f64::consts::PI;
use std::fmt::Write;

use crate::text::escape_html;

/// The map's width in SVG units (it is scaled to the page's width).
pub const WIDTH: f64 = 640.0;

/// A member on the map.
#[derive(Debug, Clone)]
pub struct Marker<'a> {
    pub lon: f64,
    pub lat: f64,
    pub name: &'a str,
    /// Its colour (`#0072b2`).
    pub color: &'a str,
}

/// What a map looks like beyond its markers.
#[derive(Clone, Copy)]
pub struct Style<'a> {
    /// ISO codes of the countries drawn lighter: the cluster's own.
    pub home: &'a [String],
    /// What the map is, for screen readers (`Map of the members`).
    pub label: &'a str,
    /// The start of the ids of the list entries grouped markers link to (`map-place`).
    pub anchor: &'a str,
    /// Words for a group's tooltip: `{n} members` is filled in by the caller.
    pub group_title: &'a dyn Fn(usize) -> String,
    /// The address of the page of marker `i`'s member (asked only for those drawn alone).
    pub link: &'a dyn Fn(usize) -> String,
}

/// A drawn map.
#[derive(Debug, Clone)]
pub struct Drawn<'a> {
    pub svg: String,
    /// Every marker as drawn: those that stand for one member, then those that stand for
    /// several in the order of their anchors (`{anchor}-1`, `{anchor}-2`, …).
    pub spots: Vec<Spot<'a>>,
}

/// A marker as drawn.
#[derive(Debug, Clone)]
pub struct Spot<'a> {
    /// Whom it stands for, as indices into the markers given.
    pub members: Vec<usize>,
    /// The middle of its members, latitude and longitude.
    pub lat: f64,
    pub lon: f64,
    /// Where it links to: its member's page, or the list entry of its group (`#map-place-1`).
    pub href: String,
    /// Its tooltip: its member's name, or how many it stands for.
    pub title: String,
    pub color: &'a str,
    /// Where it is drawn and how large, in SVG units.
    x: f64,
    y: f64,
    r: f64,
}

/// Above this many markers, markers are grouped more coarsely, so that a map of thousands of
/// members stays a small file.
const MAX_MARKERS: usize = 300;
const MARKER_RADIUS: f64 = 7.0;
/// Markers closer than this (in SVG units) are drawn as one.
const GROUP_DISTANCE: f64 = 16.0;
/// The colour of a group of members of different types.
const MIXED: &str = "#334155";

/// The map of `markers`, or `None` without any.
pub fn draw<'a>(markers: &[Marker<'a>], style: &Style<'_>) -> Option<Drawn<'a>> {
    let view = View::around(markers)?;
    let mut svg = String::with_capacity(32 * 1024);
    let (w, h) = (view.width, view.height);
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" class="member-map" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="group" aria-label="{}"><rect width="{w}" height="{h}" fill="#e4eef6"/>"##,
        escape_html(style.label)
    );
    outlines(&view, style.home, &mut svg);
    // Single markers first, groups above them.
    let (singles, groups): (Vec<Place>, Vec<Place>) =
        (places(markers, &view).into_iter()).partition(|p| p.members.len() == 1);
    let spots: Vec<Spot<'a>> = (singles.into_iter().chain(groups))
        .scan(0, |numbered, place| {
            let members = &place.members;
            let first = &markers[members[0]];
            let (href, title, color) = match members.len() {
                1 => (
                    (style.link)(members[0]),
                    first.name.to_string(),
                    first.color,
                ),
                n => {
                    *numbered += 1;
                    let same = members.iter().all(|&i| markers[i].color == first.color);
                    (
                        format!("#{}-{numbered}", style.anchor),
                        (style.group_title)(n),
                        if same { first.color } else { MIXED },
                    )
                }
            };
            Some(Spot::new(place, markers, href, title, color))
        })
        .collect();
    for spot in &spots {
        let _ = write!(
            svg,
            r##"<a href="{}"><title>{}</title><circle cx="{}" cy="{}" r="{}" fill="{}" stroke="#fff" stroke-width="{}"/>"##,
            escape_html(&spot.href),
            escape_html(&spot.title),
            num(spot.x),
            num(spot.y),
            num(spot.r),
            escape_html(spot.color),
            if spot.members.len() == 1 { "1.5" } else { "2" },
        );
        if spot.members.len() > 1 {
            let _ = write!(
                svg,
                r##"<text x="{}" y="{}" text-anchor="middle" font-family="sans-serif" font-size="12" font-weight="700" fill="#fff">{}</text>"##,
                num(spot.x),
                num(spot.y + 4.0),
                spot.members.len(),
            );
        }
        svg.push_str("</a>");
    }
    svg.push_str("</svg>");
    Some(Drawn { svg, spots })
}

/// How far outside its country's outline a place may be before it is questioned: the
/// outlines are drawn at 1:50,000,000, so towns on a border or a coast can fall just outside.
const BORDER_KM: f64 = 10.0;

/// Why a member's coordinates are not in its country (`code`, named `name`), with what to
/// do; `None` when they are, or when the country is not in the atlas.
pub fn misplaced(code: &str, name: &str, lon: f64, lat: f64) -> Option<(String, String)> {
    let atlas = atlas::atlas();
    let country = atlas.country(code)?;
    if country.contains((lon, lat)) {
        return None;
    }
    let km = country.distance_km((lon, lat));
    if km <= BORDER_KM {
        return None;
    }
    if country.contains((lat, lon)) {
        return Some((
            format!(
                "the coordinates lat {lat}, lon {lon} are not in {name}: latitude and longitude look swapped"
            ),
            format!("write `lat: {lon}` and `lon: {lat}`"),
        ));
    }
    let km = km.round();
    let found = (atlas.countries.iter())
        .find(|c| c.contains((lon, lat)))
        .and_then(|c| c.code)
        .and_then(|k| celes::Country::from_alpha2(k).ok())
        .map(|c| format!("in {} ({}), ", c.long_name, c.alpha2))
        .unwrap_or_default();
    Some((
        format!("the coordinates lat {lat}, lon {lon} are {found}about {km} km outside {name} ({code}), the member's country"),
        "check the coordinates (decimal degrees, north and east positive: copy them from a map) and `location.country`".into(),
    ))
}

/// A number as short as it can be written to a tenth.
fn num(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    match r.fract() == 0.0 {
        true => format!("{}", r as i64),
        false => format!("{r:.1}"),
    }
}

/// Web Mercator: longitude and latitude to x (east) and y (down), in radians.
fn mercator(lon: f64, lat: f64) -> (f64, f64) {
    let lat = lat.clamp(-85.0, 85.0).to_radians();
    (lon.to_radians(), -((PI / 4.0 + lat / 2.0).tan().ln()))
}

/// The part of the world a map shows, and its scale.
struct View {
    /// The top left corner, in projected units.
    x0: f64,
    y0: f64,
    /// SVG units per projected unit.
    scale: f64,
    width: f64,
    height: f64,
    /// West, south, east, north, in degrees: what is drawn.
    bounds: [f64; 4],
}

impl View {
    /// A view of every marker, with room round them; never narrower than a region (about
    /// 60 km), and between twice and four thirds as wide as high.
    fn around(markers: &[Marker<'_>]) -> Option<View> {
        let points: Vec<(f64, f64)> = (markers.iter())
            .filter(|m| m.lon.is_finite() && m.lat.is_finite())
            .map(|m| mercator(m.lon, m.lat))
            .collect();
        let first = points.first()?;
        let (mut x0, mut y0, mut x1, mut y1) = (first.0, first.1, first.0, first.1);
        for &(x, y) in &points {
            (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
        }
        const MIN_SPAN: f64 = 0.015;
        let grow = |lo: &mut f64, hi: &mut f64, to: f64| {
            if *hi - *lo < to {
                let mid = (*lo + *hi) / 2.0;
                (*lo, *hi) = (mid - to / 2.0, mid + to / 2.0);
            }
        };
        grow(&mut x0, &mut x1, MIN_SPAN);
        grow(&mut y0, &mut y1, MIN_SPAN);
        let (pad_x, pad_y) = ((x1 - x0) * 0.12, (y1 - y0) * 0.12);
        (x0, x1, y0, y1) = (x0 - pad_x, x1 + pad_x, y0 - pad_y, y1 + pad_y);
        let (span_x, span_y) = (x1 - x0, y1 - y0);
        grow(&mut y0, &mut y1, span_x * 0.5);
        grow(&mut x0, &mut x1, span_y / 0.75);
        let scale = WIDTH / (x1 - x0);
        let height = ((y1 - y0) * scale).round();
        let lon = |x: f64| x.to_degrees();
        let lat = |y: f64| (2.0 * (-y).exp().atan() - PI / 2.0).to_degrees();
        Some(View {
            x0,
            y0,
            scale,
            width: WIDTH,
            height,
            bounds: [lon(x0), lat(y1), lon(x1), lat(y0)],
        })
    }

    /// Where a place is on the map.
    fn point(&self, lon: f64, lat: f64) -> (f64, f64) {
        let (x, y) = mercator(lon, lat);
        ((x - self.x0) * self.scale, (y - self.y0) * self.scale)
    }

    fn overlaps(&self, b: &[f64; 4]) -> bool {
        let v = &self.bounds;
        b[0] <= v[2] && b[2] >= v[0] && b[1] <= v[3] && b[3] >= v[1]
    }
}

/// The countries in view, each one path: clipped to the view, simplified to what can be
/// seen at the map's scale.
fn outlines(view: &View, home: &[String], svg: &mut String) {
    let atlas = atlas::atlas();
    // Clipped a little outside the view, so that the edges clipping makes are not seen.
    let frame = [-4.0, -4.0, view.width + 4.0, view.height + 4.0];
    // Home countries last, so that their borders are drawn over their neighbours'.
    let mut countries: Vec<&atlas::Country> = (atlas.countries.iter())
        .filter(|c| view.overlaps(&c.bounds))
        .collect();
    let is_home = |c: &atlas::Country| {
        c.code
            .is_some_and(|k| home.iter().any(|h| h.eq_ignore_ascii_case(k)))
    };
    countries.sort_by_key(|c| is_home(c));
    for country in countries {
        let mut d = String::new();
        for ring in country.rings.iter().filter(|r| view.overlaps(&r.bounds)) {
            let projected: Vec<(f64, f64)> = (ring.points.iter())
                .map(|&(lon, lat)| view.point(lon, lat))
                .collect();
            let clipped = clip(projected, frame);
            let simple = simplify(&clipped, 0.7);
            if simple.len() < 3 || area(&simple) < 2.0 {
                continue;
            }
            for (i, (x, y)) in simple.iter().enumerate() {
                d.push(if i == 0 { 'M' } else { ' ' });
                d.push_str(&num(*x));
                d.push(' ');
                d.push_str(&num(*y));
            }
            d.push('Z');
        }
        if d.is_empty() {
            continue;
        }
        let fill = match is_home(country) {
            true => "#ffffff",
            false => "#eef0ec",
        };
        let _ = write!(
            svg,
            r##"<path d="{d}" fill="{fill}" stroke="#98a4b0" stroke-width="0.8" stroke-linejoin="round"/>"##
        );
    }
}

/// The part of a closed ring inside `frame` (west, north, east, south), by Sutherland and
/// Hodgman: a ring that leaves the frame comes back along its edge.
fn clip(mut ring: Vec<(f64, f64)>, frame: [f64; 4]) -> Vec<(f64, f64)> {
    type Inside = fn((f64, f64), f64) -> bool;
    type Cross = fn((f64, f64), (f64, f64), f64) -> (f64, f64);
    let at_x: Cross = |a, b, x| (x, a.1 + (b.1 - a.1) * (x - a.0) / (b.0 - a.0));
    let at_y: Cross = |a, b, y| (a.0 + (b.0 - a.0) * (y - a.1) / (b.1 - a.1), y);
    let edges: [(f64, Inside, Cross); 4] = [
        (frame[0], |p, v| p.0 >= v, at_x),
        (frame[2], |p, v| p.0 <= v, at_x),
        (frame[1], |p, v| p.1 >= v, at_y),
        (frame[3], |p, v| p.1 <= v, at_y),
    ];
    for (value, inside, cross) in edges {
        if ring.is_empty() {
            break;
        }
        let mut out = Vec::with_capacity(ring.len());
        let mut prev = ring[ring.len() - 1];
        for &p in &ring {
            match (inside(p, value), inside(prev, value)) {
                (true, true) => out.push(p),
                (true, false) => {
                    out.push(cross(prev, p, value));
                    out.push(p);
                }
                (false, true) => out.push(cross(prev, p, value)),
                (false, false) => {}
            }
            prev = p;
        }
        ring = out;
    }
    ring
}

/// A ring with the points that change it by less than `tolerance` left out (Douglas and
/// Peucker, after dropping points closer than that to the one before).
fn simplify(ring: &[(f64, f64)], tolerance: f64) -> Vec<(f64, f64)> {
    let mut near: Vec<(f64, f64)> = Vec::with_capacity(ring.len());
    for &p in ring {
        match near.last() {
            Some(&q) if (p.0 - q.0).hypot(p.1 - q.1) < tolerance => {}
            _ => near.push(p),
        }
    }
    if near.len() < 4 {
        return near;
    }
    let mut keep = vec![false; near.len()];
    let last = near.len() - 1;
    (keep[0], keep[last]) = (true, true);
    let mut stack = vec![(0, last)];
    while let Some((a, b)) = stack.pop() {
        let (pa, pb) = (near[a], near[b]);
        let (dx, dy) = (pb.0 - pa.0, pb.1 - pa.1);
        let len = dx.hypot(dy);
        let mut far = (0.0, a);
        for (i, &p) in near.iter().enumerate().take(b).skip(a + 1) {
            let d = match len > 0.0 {
                true => ((p.0 - pa.0) * dy - (p.1 - pa.1) * dx).abs() / len,
                false => (p.0 - pa.0).hypot(p.1 - pa.1),
            };
            if d > far.0 {
                far = (d, i);
            }
        }
        if far.0 > tolerance {
            keep[far.1] = true;
            stack.push((a, far.1));
            stack.push((far.1, b));
        }
    }
    (near.into_iter().zip(keep))
        .filter_map(|(p, k)| k.then_some(p))
        .collect()
}

/// The area a ring encloses.
fn area(ring: &[(f64, f64)]) -> f64 {
    let mut sum = 0.0;
    let mut prev = ring[ring.len() - 1];
    for &p in ring {
        sum += prev.0 * p.1 - p.0 * prev.1;
        prev = p;
    }
    (sum / 2.0).abs()
}

/// Where markers stand for one member or several while they are grouped: the members
/// (indices into the markers), the middle of their points and the radius drawn.
struct Place {
    members: Vec<usize>,
    x: f64,
    y: f64,
    r: f64,
}

impl Place {
    fn new(members: Vec<usize>, points: &[(f64, f64)]) -> Place {
        let n = members.len() as f64;
        let (sx, sy) = (members.iter()).fold((0.0, 0.0), |(sx, sy), &i| {
            (sx + points[i].0, sy + points[i].1)
        });
        Place {
            r: radius(members.len()),
            members,
            x: sx / n,
            y: sy / n,
        }
    }
}

/// The radius of a marker for `n` members.
fn radius(n: usize) -> f64 {
    match n {
        1 => MARKER_RADIUS,
        _ => (10.0 + 2.5 * (n as f64).log2()).min(24.0),
    }
}

impl<'a> Spot<'a> {
    fn new(
        place: Place,
        markers: &[Marker<'_>],
        href: String,
        title: String,
        color: &'a str,
    ) -> Spot<'a> {
        let n = place.members.len() as f64;
        let (lat, lon) = (place.members.iter()).fold((0.0, 0.0), |(a, o), &i| {
            (a + markers[i].lat, o + markers[i].lon)
        });
        Spot {
            members: place.members,
            lat: lat / n,
            lon: lon / n,
            href,
            title,
            color,
            x: place.x,
            y: place.y,
            r: place.r,
        }
    }
}

/// Markers grouped where they would overlap, in the order of their first member: coarser
/// when there would be too many, and groups that come to overlap each other merged.
fn places(markers: &[Marker<'_>], view: &View) -> Vec<Place> {
    let points: Vec<(f64, f64)> = (markers.iter()).map(|m| view.point(m.lon, m.lat)).collect();
    let mut distance = GROUP_DISTANCE;
    let groups = loop {
        let groups = group_within(&points, distance);
        if groups.len() <= MAX_MARKERS || distance > view.width {
            break groups;
        }
        distance *= 1.6;
    };
    let mut places: Vec<Place> = (groups.into_iter())
        .map(|g| Place::new(g, &points))
        .collect();
    // A group is drawn at the middle of its members and grows with them: it may come to
    // cover another. Merge such pairs until none overlap (a few hundred places at most).
    'merging: loop {
        for i in 0..places.len() {
            for j in i + 1..places.len() {
                let (a, b) = (&places[i], &places[j]);
                if (a.x - b.x).hypot(a.y - b.y) < (a.r + b.r) * 0.8 {
                    let b = places.remove(j);
                    let mut members = std::mem::take(&mut places[i].members);
                    members.extend(b.members);
                    members.sort_unstable();
                    places[i] = Place::new(members, &points);
                    continue 'merging;
                }
            }
        }
        break places;
    }
}

fn group_within(points: &[(f64, f64)], distance: f64) -> Vec<Vec<usize>> {
    // Each group is anchored at its first marker; a marker joins the nearest anchor within
    // `distance`, found through a grid of cells of that size.
    let cell = |(x, y): (f64, f64)| ((x / distance).floor() as i64, (y / distance).floor() as i64);
    let mut grid: HashMap<(i64, i64), Vec<usize>> = HashMap::new();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut anchors: Vec<(f64, f64)> = Vec::new();
    for (i, &p) in points.iter().enumerate() {
        if !(p.0.is_finite() && p.1.is_finite()) {
            continue;
        }
        let (cx, cy) = cell(p);
        let mut best: Option<(f64, usize)> = None;
        for gx in cx - 1..=cx + 1 {
            for gy in cy - 1..=cy + 1 {
                for &g in grid.get(&(gx, gy)).map_or(&[][..], Vec::as_slice) {
                    let a = anchors[g];
                    let d = (a.0 - p.0).hypot(a.1 - p.1);
                    if d < distance && best.is_none_or(|(bd, _)| d < bd) {
                        best = Some((d, g));
                    }
                }
            }
        }
        match best {
            Some((_, g)) => groups[g].push(i),
            None => {
                grid.entry((cx, cy)).or_default().push(groups.len());
                anchors.push(p);
                groups.push(vec![i]);
            }
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marker(lon: f64, lat: f64) -> Marker<'static> {
        Marker {
            lon,
            lat,
            name: "A & B",
            color: "#0072b2",
        }
    }

    fn style() -> Style<'static> {
        static HOME: [String; 0] = [];
        Style {
            home: &HOME,
            label: "Map",
            anchor: "map-place",
            group_title: &|n| format!("{n} members"),
            link: &|_| "/members/a/".into(),
        }
    }

    #[test]
    fn markers_close_together_are_one_and_far_apart_are_each_their_own() {
        // Freiburg twice, Basel, Strasbourg.
        let markers = [
            marker(7.8421, 47.999),
            marker(7.8425, 47.9992),
            marker(7.5886, 47.5596),
            marker(7.7521, 48.5734),
        ];
        let drawn = draw(&markers, &style()).unwrap();
        let members: Vec<&[usize]> = drawn.spots.iter().map(|s| &s.members[..]).collect();
        assert_eq!(
            members,
            [&[2][..], &[3], &[0, 1]],
            "singles first, then groups"
        );
        assert_eq!(drawn.spots[2].href, "#map-place-1");
        assert!((drawn.spots[2].lat - 47.9991).abs() < 1e-9);
        assert_eq!(drawn.svg.matches("<a href=\"/members/a/\">").count(), 2);
        assert!(
            drawn
                .svg
                .contains("<a href=\"#map-place-1\"><title>2 members</title>")
        );
        assert!(drawn.svg.contains("<title>A &amp; B</title>"));
        // Germany and France are drawn, as paths, and nothing is fetched from elsewhere.
        assert!(drawn.svg.matches("<path d=\"M").count() >= 2);
        assert!(!drawn.svg.contains("href=\"http") && !drawn.svg.contains("url("));
        assert!(draw(&[], &style()).is_none());
    }

    #[test]
    fn thousands_of_markers_stay_a_small_map() {
        let markers: Vec<Marker> = (0..5000)
            .map(|i| {
                marker(
                    6.0 + (i % 100) as f64 * 0.05,
                    46.0 + (i / 100) as f64 * 0.06,
                )
            })
            .collect();
        let drawn = draw(&markers, &style()).unwrap();
        let shown = drawn.svg.matches("<a ").count();
        assert!(shown <= MAX_MARKERS, "{shown} markers");
        assert_eq!(shown, drawn.spots.len());
        let members: usize = drawn.spots.iter().map(|s| s.members.len()).sum();
        assert_eq!(members, 5000, "every member is in a marker");
        assert!(drawn.svg.len() < 150_000, "{} bytes", drawn.svg.len());
    }

    #[test]
    fn coordinates_outside_their_country_are_questioned() {
        // Freiburg in Germany; Mulhouse written down as German; Freiburg swapped.
        assert_eq!(misplaced("DE", "Germany", 7.8421, 47.999), None);
        // A town on the Rhine, right at the border, is not questioned.
        assert_eq!(
            misplaced("DE", "Germany", 7.5717, 47.5937),
            None,
            "Weil am Rhein"
        );
        let (why, help) = misplaced("DE", "Germany", 7.3390, 47.7485).unwrap_or_default();
        assert!(
            why.contains("outside Germany (DE)") && why.contains("France"),
            "{why}"
        );
        assert!(help.contains("location.country"), "{help}");
        let (why, help) = misplaced("DE", "Germany", 47.999, 7.8421).unwrap_or_default();
        assert!(why.contains("swapped"), "{why}");
        assert_eq!(help, "write `lat: 47.999` and `lon: 7.8421`");
        assert_eq!(misplaced("XX", "Nowhere", 0.0, 0.0), None);
    }

    #[test]
    fn clipping_keeps_what_is_inside_and_simplifying_keeps_the_shape() {
        let square = vec![(-10.0, -10.0), (10.0, -10.0), (10.0, 10.0), (-10.0, 10.0)];
        let clipped = clip(square, [0.0, 0.0, 100.0, 100.0]);
        assert!((area(&clipped) - 100.0).abs() < 1e-9, "{clipped:?}");
        let wiggly: Vec<(f64, f64)> = (0..100)
            .map(|i| (i as f64, if i % 2 == 0 { 0.0 } else { 0.1 }))
            .chain([(99.0, 50.0), (0.0, 50.0)])
            .collect();
        let simple = simplify(&wiggly, 0.7);
        assert!(simple.len() <= 5, "{simple:?}");
        assert!((area(&simple) - area(&wiggly)).abs() < 20.0);
    }
}
