//! The world's country outlines (Natural Earth 1:50m, public domain), bundled in the compact
//! form `vendor/natural-earth/build.py` writes (its layout is described there) and read once.

use std::sync::OnceLock;

const DATA: &[u8] = include_bytes!("../../vendor/natural-earth/countries-50m.bin");

/// A point as longitude, latitude in degrees.
pub type LonLat = (f64, f64);

/// A closed ring of points (the last is not the first again) and its bounds.
#[derive(Debug)]
pub struct Ring {
    pub points: Vec<LonLat>,
    /// West, south, east, north.
    pub bounds: [f64; 4],
}

/// One country: its rings (outer outlines and holes alike: a point is inside when an odd
/// number of them surround it).
#[derive(Debug)]
pub struct Country {
    /// ISO 3166-1 alpha-2 code (`DE`); `None` for the few shapes without one (Kosovo,
    /// Somaliland, N. Cyprus, …).
    pub code: Option<&'static str>,
    pub rings: Vec<Ring>,
    pub bounds: [f64; 4],
}

/// Every country of the world.
#[derive(Debug, Default)]
pub struct Atlas {
    pub countries: Vec<Country>,
    /// The number in `countries` of each country with a code, by its code in upper case.
    by_code: std::collections::HashMap<&'static str, usize>,
}

/// The bundled atlas, read on first use.
pub fn atlas() -> &'static Atlas {
    static ATLAS: OnceLock<Atlas> = OnceLock::new();
    // The data is part of the program and checked by its tests: it cannot be malformed, but
    // if it were, maps would be drawn without outlines rather than fail.
    ATLAS.get_or_init(|| read(DATA).unwrap_or_default())
}

impl Atlas {
    /// The country of ISO 3166-1 alpha-2 `code` (any case).
    pub fn country(&self, code: &str) -> Option<&Country> {
        let i = match code.bytes().all(|b| b.is_ascii_uppercase()) {
            true => self.by_code.get(code),
            false => self.by_code.get(code.to_ascii_uppercase().as_str()),
        };
        self.countries.get(*i?)
    }
}

impl Country {
    /// Whether the point is inside the country.
    pub fn contains(&self, (lon, lat): LonLat) -> bool {
        if !within(&self.bounds, lon, lat) {
            return false;
        }
        let mut inside = false;
        for ring in self.rings.iter().filter(|r| within(&r.bounds, lon, lat)) {
            let pts = &ring.points;
            let mut j = pts.len() - 1;
            for i in 0..pts.len() {
                let ((xi, yi), (xj, yj)) = (pts[i], pts[j]);
                if (yi > lat) != (yj > lat) && lon < (xj - xi) * (lat - yi) / (yj - yi) + xi {
                    inside = !inside;
                }
                j = i;
            }
        }
        inside
    }

    /// How far the point is from the country's nearest border or coast, in kilometres
    /// (roughly: the outlines are drawn at 1:50,000,000).
    pub fn distance_km(&self, (lon, lat): LonLat) -> f64 {
        const KM_PER_DEGREE: f64 = 111.2;
        let k = lat.to_radians().cos().max(0.01);
        let mut best = f64::INFINITY;
        for ring in &self.rings {
            let pts = &ring.points;
            let mut j = pts.len() - 1;
            for i in 0..pts.len() {
                let (ax, ay) = ((pts[j].0 - lon) * k, pts[j].1 - lat);
                let (bx, by) = ((pts[i].0 - lon) * k, pts[i].1 - lat);
                let (dx, dy) = (bx - ax, by - ay);
                let len = dx * dx + dy * dy;
                let t = match len > 0.0 {
                    true => (-(ax * dx + ay * dy) / len).clamp(0.0, 1.0),
                    false => 0.0,
                };
                let (px, py) = (ax + t * dx, ay + t * dy);
                best = best.min(px * px + py * py);
                j = i;
            }
        }
        best.sqrt() * KM_PER_DEGREE
    }
}

fn within(b: &[f64; 4], lon: f64, lat: f64) -> bool {
    lon >= b[0] && lon <= b[2] && lat >= b[1] && lat <= b[3]
}

/// Reads bytes in the layout of `vendor/natural-earth/build.py`.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn unsigned(&mut self) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let b = *self.bytes.get(self.at)?;
            self.at += 1;
            value |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }

    fn signed(&mut self) -> Option<i64> {
        let z = self.unsigned()?;
        Some((z >> 1) as i64 ^ -((z & 1) as i64))
    }

    fn count(&mut self) -> Option<usize> {
        usize::try_from(self.unsigned()?).ok()
    }

    fn float(&mut self) -> Option<f64> {
        let raw = self.bytes.get(self.at..self.at + 8)?;
        self.at += 8;
        Some(f64::from_le_bytes(raw.try_into().ok()?))
    }
}

fn read(bytes: &[u8]) -> Option<Atlas> {
    let mut r = Reader {
        bytes: bytes.strip_prefix(b"CPATLAS1")?,
        at: 0,
    };
    let (sx, sy, tx, ty) = (r.float()?, r.float()?, r.float()?, r.float()?);
    let mut arcs: Vec<Vec<LonLat>> = Vec::new();
    for _ in 0..r.count()? {
        let n = r.count()?;
        let (mut x, mut y) = (0i64, 0i64);
        let mut arc = Vec::with_capacity(n);
        for _ in 0..n {
            x += r.signed()?;
            y += r.signed()?;
            arc.push((x as f64 * sx + tx, y as f64 * sy + ty));
        }
        arcs.push(arc);
    }
    let mut countries = Vec::new();
    for _ in 0..r.count()? {
        let numeric = r.count()?;
        let code = celes::Country::from_value(numeric).ok().map(|c| c.alpha2);
        let mut rings = Vec::new();
        for _ in 0..r.count()? {
            for _ in 0..r.count()? {
                let mut points: Vec<LonLat> = Vec::new();
                for _ in 0..r.count()? {
                    let a = r.signed()?;
                    // `!i` is arc `i` walked backwards; arcs share their end points.
                    let (arc, backwards) = match a < 0 {
                        true => (arcs.get(usize::try_from(!a).ok()?)?, true),
                        false => (arcs.get(usize::try_from(a).ok()?)?, false),
                    };
                    let skip = usize::from(!points.is_empty());
                    match backwards {
                        true => points.extend(arc.iter().rev().skip(skip)),
                        false => points.extend(arc.iter().skip(skip)),
                    }
                }
                if points.len() > 1 && points.first() == points.last() {
                    points.pop();
                }
                if points.len() >= 3 {
                    let bounds = bounds_of(points.iter().copied());
                    rings.push(Ring { points, bounds });
                }
            }
        }
        let bounds = bounds_of(rings.iter().flat_map(|r| {
            let [w, s, e, n] = r.bounds;
            [(w, s), (e, n)]
        }));
        countries.push(Country {
            code,
            rings,
            bounds,
        });
    }
    let by_code = (countries.iter().enumerate())
        .filter_map(|(i, c)| Some((c.code?, i)))
        .collect();
    Some(Atlas { countries, by_code })
}

fn bounds_of(points: impl Iterator<Item = LonLat>) -> [f64; 4] {
    points.fold(
        [
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        ],
        |[w, s, e, n], (x, y)| [w.min(x), s.min(y), e.max(x), n.max(y)],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_outlines_know_where_places_are() {
        let atlas = atlas();
        assert!(atlas.countries.len() > 200, "{}", atlas.countries.len());
        let de = atlas.country("de").expect("Germany");
        let fr = atlas.country("FR").expect("France");
        let ch = atlas.country("CH").expect("Switzerland");
        let freiburg = (7.8421, 47.9990);
        let mulhouse = (7.3390, 47.7485);
        let basel = (7.5886, 47.5596);
        assert!(de.contains(freiburg) && !fr.contains(freiburg) && !ch.contains(freiburg));
        assert!(fr.contains(mulhouse) && !de.contains(mulhouse));
        assert!(ch.contains(basel) && !de.contains(basel));
        // Small countries are there too, and a lake is not a hole in the wrong place.
        assert!(atlas.country("LI").is_some() && atlas.country("LU").is_some());
        assert!(de.contains((13.4050, 52.5200)), "Berlin");
        // Distances to a border, roughly: Freiburg is about 15–25 km from France.
        let d = fr.distance_km(freiburg);
        assert!((8.0..35.0).contains(&d), "{d}");
        assert!(de.distance_km((13.4050, 52.5200)) > 50.0);
        // Longitude and latitude swapped put Freiburg in the Indian Ocean.
        assert!(!de.contains((47.9990, 7.8421)));
    }
}
