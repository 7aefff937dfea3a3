//! Share cards (issue 23): the 1200 × 630 picture that LinkedIn, Mastodon and chat apps show
//! for a link to a page without a photo of its own. A plain card: a logo (the member's or the
//! cluster's) on white, the page's name under it, the cluster's name at the foot.
//!
//! Drawn with `resvg` (an SVG renderer in pure Rust): the card is written as SVG and rendered
//! with one bundled font (Inter Bold, SIL Open Font License, subset to Latin), which also
//! stands in for every font a logo's text names, since the build machine's fonts differ from
//! machine to machine and would make cards differ. An SVG logo is drawn inside the card, its
//! references to other files refused; a PNG or JPEG logo is resized and laid over it.

use std::sync::{Arc, OnceLock};

use base64::Engine;
use image::{DynamicImage, RgbaImage};
use resvg::{tiny_skia, usvg};

use super::{Fit, Format, Size};

pub const WIDTH: u32 = 1200;
pub const HEIGHT: u32 = 630;

/// The box the logo is fitted into, and where its top is.
const LOGO: Size = Size {
    width: 760,
    height: 300,
    fit: Fit::Contain,
};
const LOGO_TOP: u32 = 90;

/// The bundled font (see `vendor/fonts/README.md`).
const FONT: &[u8] = include_bytes!("../../vendor/fonts/Inter-Bold-subset.ttf");

/// The one font, loaded once.
fn fonts() -> Arc<usvg::fontdb::Database> {
    static DB: OnceLock<Arc<usvg::fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = usvg::fontdb::Database::new();
        db.load_font_data(FONT.to_vec());
        let family = db
            .faces()
            .next()
            .and_then(|f| f.families.first().map(|(name, _)| name.clone()))
            .unwrap_or_else(|| "Inter".into());
        db.set_sans_serif_family(family.clone());
        db.set_serif_family(family.clone());
        db.set_monospace_family(family.clone());
        db.set_cursive_family(family.clone());
        db.set_fantasy_family(family);
        Arc::new(db)
    })
    .clone()
}

/// Options that read no file and no font of the machine: images only from `data:` addresses.
fn options() -> usvg::Options<'static> {
    let mut opt = usvg::Options {
        fontdb: fonts(),
        font_family: "sans-serif".into(),
        ..usvg::Options::default()
    };
    opt.image_href_resolver.resolve_string = Box::new(|_, _| None);
    // Any font a logo names is the bundled one.
    opt.font_resolver.select_font = Box::new(|_, db| db.faces().next().map(|f| f.id));
    opt
}

/// A logo to draw on a card.
pub enum Logo<'a> {
    /// A cleaned SVG (see [`super::svg::clean`]) and the size it gives, if it gives one.
    Svg {
        text: &'a str,
        size: Option<(f64, f64)>,
    },
    /// The bytes of a PNG or JPEG file.
    Raster(&'a [u8]),
}

/// What a card shows.
pub struct Card<'a> {
    /// The logo, if there is one.
    pub logo: Option<Logo<'a>>,
    /// The page's name (a member's, an item's title).
    pub title: &'a str,
    /// The cluster's name, at the foot.
    pub site: &'a str,
    /// The theme's colour for the bar at the foot (`#0b5c8a`).
    pub accent: &'a str,
}

/// The card as a PNG file.
pub fn draw(card: &Card<'_>) -> Result<Vec<u8>, String> {
    let mut svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}"><rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/><rect y="{}" width="{WIDTH}" height="18" fill="{}"/>"##,
        HEIGHT - 18,
        color(card.accent)
    );
    let mut raster = None;
    let title_y = match &card.logo {
        Some(Logo::Svg { text, size }) => {
            let (w, h) = size.unwrap_or((LOGO.width as f64, LOGO.height as f64));
            let scale = (LOGO.width as f64 / w).min(LOGO.height as f64 / h);
            let (dw, dh) = (w * scale, h * scale);
            svg.push_str(&format!(
                r#"<image x="{:.1}" y="{LOGO_TOP}" width="{dw:.1}" height="{dh:.1}" href="data:image/svg+xml;base64,{}"/>"#,
                (WIDTH as f64 - dw) / 2.0,
                base64::engine::general_purpose::STANDARD.encode(text.as_bytes())
            ));
            LOGO_TOP as f64 + dh + 90.0
        }
        Some(Logo::Raster(bytes)) => {
            let image = super::decode(bytes)?;
            let (w, h) = super::fitted(image.width(), image.height(), LOGO);
            let resized = image.resize_exact(w, h, image::imageops::FilterType::Lanczos3);
            let top = LOGO_TOP + (LOGO.height - h) / 2;
            raster = Some((resized, (WIDTH - w) / 2, top));
            (top + h) as f64 + 90.0
        }
        None => 330.0,
    };
    svg.push_str(&format!(
        r##"<text x="600" y="{title_y:.0}" text-anchor="middle" font-family="sans-serif" font-size="{}" fill="#1e293b">{}</text>"##,
        title_size(card.title),
        crate::text::escape_html(&shorten(card.title, 44))
    ));
    if card.site != card.title {
        svg.push_str(&format!(
            r##"<text x="600" y="{}" text-anchor="middle" font-family="sans-serif" font-size="30" fill="#64748b">{}</text>"##,
            HEIGHT - 50,
            crate::text::escape_html(&shorten(card.site, 60))
        ));
    }
    svg.push_str("</svg>");
    let tree = usvg::Tree::from_str(&svg, &options())
        .map_err(|e| format!("the share card cannot be drawn ({e})"))?;
    let mut pixmap = tiny_skia::Pixmap::new(WIDTH, HEIGHT).ok_or("no memory for the card")?;
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    // The card is opaque: its premultiplied pixels are its pixels.
    let mut image =
        RgbaImage::from_raw(WIDTH, HEIGHT, pixmap.take()).ok_or("the card has the wrong size")?;
    if let Some((logo, x, y)) = raster {
        image::imageops::overlay(&mut image, &logo.to_rgba8(), x.into(), y.into());
    }
    let opaque = DynamicImage::ImageRgb8(DynamicImage::ImageRgba8(image).to_rgb8());
    super::encode(&opaque, Format::Png, super::PngCompression::Fast)
}

/// Smaller type for longer names, so that most fit on one line.
fn title_size(title: &str) -> u32 {
    match title.chars().count() {
        0..=24 => 64,
        25..=34 => 52,
        _ => 42,
    }
}

/// `text` cut to `max` characters, with an ellipsis where it was cut.
fn shorten(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max - 1).collect();
    format!("{}…", cut.trim_end())
}

/// A CSS colour that is safe inside the SVG: `#` and hex digits, else the theme's blue.
fn color(value: &str) -> &str {
    let hex = value.strip_prefix('#').unwrap_or("");
    match (3..=8).contains(&hex.len()) && hex.chars().all(|c| c.is_ascii_hexdigit()) {
        true => value,
        false => "#0b5c8a",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/images/");
        std::fs::read(format!("{path}{name}")).unwrap()
    }

    fn pixels(png: &[u8]) -> image::RgbImage {
        let image = image::load_from_memory(png).unwrap();
        assert_eq!((image.width(), image.height()), (WIDTH, HEIGHT));
        image.to_rgb8()
    }

    /// Pixels of the card that are neither white nor the bar: what was drawn.
    fn inked(image: &image::RgbImage, rows: std::ops::Range<u32>) -> usize {
        rows.flat_map(|y| (0..WIDTH).map(move |x| (x, y)))
            .filter(|&(x, y)| image.get_pixel(x, y).0.iter().any(|&c| c < 200))
            .count()
    }

    #[test]
    fn an_svg_logo_and_its_text_are_drawn_with_the_bundled_font() {
        let logo = br##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 100"><rect width="200" height="100" fill="#c00"/><text x="100" y="60" font-family="Helvetica" font-size="40" fill="#fff" text-anchor="middle">AB</text></svg>"##;
        let cleaned = super::super::svg::clean(logo).unwrap();
        let png = draw(&Card {
            logo: Some(Logo::Svg {
                text: &cleaned.svg,
                size: cleaned.size,
            }),
            title: "Acme Robotics GmbH",
            site: "Dreiland Cluster",
            accent: "#0b5c8a",
        })
        .unwrap();
        let image = pixels(&png);
        // The red logo fills its box in the middle, with white letters on it.
        let red = image.get_pixel(600, 100).0;
        assert!(red[0] > 180 && red[1] < 40, "{red:?}");
        let letters = (LOGO_TOP..LOGO_TOP + 300)
            .flat_map(|y| (220..980).map(move |x| (x, y)))
            .filter(|&(x, y)| image.get_pixel(x, y).0.iter().all(|&c| c > 230))
            .count();
        assert!(
            letters > 500,
            "the logo's text is drawn: {letters} white pixels"
        );
        // The title under it.
        assert!(inked(&image, 400..560) > 2000, "the title is drawn");
    }

    #[test]
    fn a_raster_logo_is_laid_on_the_card_and_a_card_without_logo_has_its_title() {
        let png = draw(&Card {
            logo: Some(Logo::Raster(&fixture("transparent.png"))),
            title: "Transparent",
            site: "Cluster",
            accent: "red\"/><script",
        })
        .unwrap();
        let image = pixels(&png);
        let middle = image.get_pixel(600, LOGO_TOP + 150).0;
        assert!(
            middle[0] > 200 && middle[1] < 60,
            "the red disc: {middle:?}"
        );
        let bare = pixels(
            &draw(&Card {
                logo: None,
                title: "Dreiland Precision Cluster",
                site: "Dreiland Precision Cluster",
                accent: "#123",
            })
            .unwrap(),
        );
        assert!(inked(&bare, 250..350) > 2000, "the title is drawn");
    }

    #[test]
    fn an_svg_logo_cannot_read_files_through_the_card() {
        // Not cleaned: the card's own options refuse what cleaning would have taken out.
        let logo = r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><image href="/etc/passwd" width="10" height="10"/></svg>"#;
        assert!(
            draw(&Card {
                logo: Some(Logo::Svg {
                    text: logo,
                    size: Some((10.0, 10.0)),
                }),
                title: "x",
                site: "y",
                accent: "#000",
            })
            .is_ok()
        );
        assert_eq!(shorten("abcdef", 4), "abc…");
    }
}
