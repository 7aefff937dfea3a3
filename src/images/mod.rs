//! Images the site publishes, made to fit the page (issue 23): read with bounded memory,
//! turned as their EXIF orientation says, resized with premultiplied alpha (no dark fringe
//! around a transparent logo) and written again without their metadata.
//!
//! Crates: `image` with the PNG and JPEG codecs only (what logos and photos come as; the
//! WebP, GIF and AVIF codecs are left out until they earn their build time), and
//! `fast_image_resize`, which multiplies by alpha before resizing and divides after.
//!
//! This is the first step of the pipeline: what one image becomes for one size. Templates,
//! the cache and `serve` build on [`process`].

pub mod card;
pub mod library;
pub mod svg;

use std::io::Cursor;

use fast_image_resize::{ResizeOptions, Resizer};
use image::metadata::Orientation;
use image::{DynamicImage, ImageDecoder, ImageReader, Limits};

/// Bumped whenever the same source and size would give other bytes: part of every cache key.
pub const ENCODER_VERSION: u32 = 1;

/// The largest side an image may have, in pixels. A logo or a photo of a page never needs
/// more; a "decompression bomb" (a tiny file of 20,000 × 20,000 pixels) is refused before
/// its pixels are read.
pub const MAX_SIDE: u32 = 12_000;

/// The most memory decoding one image may take.
const MAX_ALLOC: u64 = 512 * 1024 * 1024;

/// The quality of the JPEG images written (photos without transparency).
const JPEG_QUALITY: u8 = 82;

/// The kinds of image files a site may publish.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Png,
    Jpeg,
    Svg,
}

impl Format {
    pub fn extension(self) -> &'static str {
        match self {
            Format::Png => "png",
            Format::Jpeg => "jpg",
            Format::Svg => "svg",
        }
    }
}

/// What a file is, from its first bytes (its name may say otherwise). `Err` says, for a
/// person, what it is and what to do instead.
pub fn sniff(bytes: &[u8]) -> Result<Format, String> {
    let starts = |magic: &[u8]| bytes.starts_with(magic);
    if starts(b"\x89PNG\r\n\x1a\n") {
        return Ok(Format::Png);
    }
    if starts(b"\xff\xd8\xff") {
        return Ok(Format::Jpeg);
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_lowercase();
    if head
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('<')
        && head.contains("<svg")
    {
        return Ok(Format::Svg);
    }
    let other = if starts(b"%!PS") || starts(b"\xc5\xd0\xd3\xc6") {
        "an EPS (PostScript) file, which browsers cannot show; export the logo as SVG or PNG"
    } else if starts(b"%PDF") {
        "a PDF file, not an image; export the logo or picture as SVG, PNG or JPEG"
    } else if starts(b"RIFF") && bytes.get(8..12) == Some(b"WEBP".as_slice()) {
        "a WebP image, which is not supported yet; save it as PNG or JPEG"
    } else if starts(b"GIF8") {
        "a GIF image, which is not supported; save it as PNG"
    } else if starts(b"II*\0") || starts(b"MM\0*") {
        "a TIFF image, which browsers cannot show; save it as PNG or JPEG"
    } else if bytes.get(4..12).is_some_and(|b| b.starts_with(b"ftyp")) {
        "a HEIC/AVIF image (as phones take them), which is not supported; save it as JPEG"
    } else if bytes.is_empty() {
        "an empty file"
    } else {
        "not an image clusterpress can read; use SVG, PNG or JPEG"
    };
    Err(format!("the file is {other}"))
}

fn reader(bytes: &[u8]) -> ImageReader<Cursor<&[u8]>> {
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    let mut reader = ImageReader::new(Cursor::new(bytes));
    reader.limits(limits);
    reader
}

/// A person's words for what went wrong reading an image.
fn why(e: image::ImageError) -> String {
    use image::ImageError as E;
    match e {
        E::Limits(_) => format!(
            "the image is too large to read: more than {MAX_SIDE} pixels on a side or more than {} MB of pixels; make it smaller (a logo needs a few hundred pixels, a photo 2,400)",
            MAX_ALLOC / (1024 * 1024)
        ),
        E::Unsupported(u) => format!(
            "the image is in a form that cannot be read ({u}); save it again as PNG or as an RGB JPEG"
        ),
        E::Decoding(d) => {
            format!("the image is damaged or cut short ({d}); save or download it again")
        }
        E::IoError(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => {
            "the image is cut short (the file ends too early); save or download it again".into()
        }
        other => format!("the image cannot be read ({other}); save it again as PNG or JPEG"),
    }
}

/// The decoder of a PNG or JPEG, its header read and the limits checked (a decompression
/// bomb stops here), and the orientation its EXIF data gives.
fn open(bytes: &[u8]) -> Result<(impl ImageDecoder + '_, Orientation), String> {
    let mut decoder = reader(bytes)
        .with_guessed_format()
        .map_err(|e| format!("the image cannot be read ({e})"))?
        .into_decoder()
        .map_err(why)?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    Ok((decoder, orientation))
}

/// What the header of a PNG or JPEG says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    /// The size as shown (after the EXIF orientation).
    pub width: u32,
    pub height: u32,
    /// Whether it has an alpha channel (a PNG with transparency).
    pub alpha: bool,
}

/// The header of a PNG or JPEG: nothing is decoded, and the limits are checked.
pub fn header(bytes: &[u8]) -> Result<Header, String> {
    let (decoder, orientation) = open(bytes)?;
    let (w, h) = decoder.dimensions();
    let (width, height) = match swaps(orientation) {
        true => (h, w),
        false => (w, h),
    };
    Ok(Header {
        width,
        height,
        alpha: decoder.color_type().has_alpha(),
    })
}

/// Whether a PNG or JPEG file is whole, from its structure only (nothing is decoded): a file
/// cut short by a failed download or copy is found while the site loads, with the field
/// that names it, rather than when its pixels are read.
pub fn whole(bytes: &[u8], format: Format) -> Result<(), String> {
    const CUT: &str = "the image is cut short (the file ends too early); save or download it again";
    match format {
        Format::Png => {
            // Chunks: length, type, data, CRC; the last one is IEND.
            let mut at = 8usize;
            loop {
                let Some(head) = bytes.get(at..at + 8) else {
                    return Err(CUT.into());
                };
                let len = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as usize;
                let end = at.checked_add(12 + len).ok_or(CUT)?;
                if end > bytes.len() {
                    return Err(CUT.into());
                }
                if &head[4..8] == b"IEND" {
                    return Ok(());
                }
                at = end;
            }
        }
        Format::Jpeg => {
            // Ends with the end-of-image marker (a little padding after it is allowed).
            let tail = &bytes[bytes.len().saturating_sub(4096)..];
            match tail.windows(2).any(|w| w == [0xff, 0xd9]) {
                true => Ok(()),
                false => Err(CUT.into()),
            }
        }
        Format::Svg => Ok(()),
    }
}

/// The size of a PNG or JPEG as it is shown (after its EXIF orientation), from its header
/// only: nothing is decoded.
pub fn dimensions(bytes: &[u8]) -> Result<(u32, u32), String> {
    header(bytes).map(|h| (h.width, h.height))
}

/// Whether an orientation swaps width and height.
fn swaps(o: Orientation) -> bool {
    use Orientation as O;
    matches!(
        o,
        O::Rotate90 | O::Rotate270 | O::Rotate90FlipH | O::Rotate270FlipH
    )
}

/// Decodes a PNG or JPEG within the limits and turns it upright.
pub fn decode(bytes: &[u8]) -> Result<DynamicImage, String> {
    let (decoder, orientation) = open(bytes)?;
    let mut image = DynamicImage::from_decoder(decoder).map_err(why)?;
    image.apply_orientation(orientation);
    Ok(image)
}

/// How an image is made to fit a box.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fit {
    /// All of it, inside the box, its proportions kept (logos).
    Contain,
    /// The whole box, cut to its proportions around the centre (cards, thumbnails).
    Cover,
}

/// One size an image is wanted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Size {
    pub width: u32,
    pub height: u32,
    pub fit: Fit,
}

/// The size an image of `w` × `h` becomes for `size`: never larger than it is.
pub fn fitted(w: u32, h: u32, size: Size) -> (u32, u32) {
    scaled(w, h, size, false)
}

/// The size an image of `w` × `h` is shown at in the box of `size`; larger than it is only
/// when `enlarge` (an SVG, which is drawn at any size).
pub fn scaled(w: u32, h: u32, size: Size, enlarge: bool) -> (u32, u32) {
    let (bw, bh) = (size.width.max(1), size.height.max(1));
    let (w, h) = (w.max(1), h.max(1));
    let at = |w: u32, h: u32, scale: f64| {
        (
            ((w as f64 * scale).round() as u32).max(1),
            ((h as f64 * scale).round() as u32).max(1),
        )
    };
    match size.fit {
        Fit::Contain => {
            let scale = (bw as f64 / w as f64).min(bh as f64 / h as f64);
            at(w, h, if enlarge { scale } else { scale.min(1.0) })
        }
        Fit::Cover if enlarge || (w >= bw && h >= bh) => (bw, bh),
        // Too small to fill the box: the largest box of its proportions it fills.
        Fit::Cover => at(bw, bh, (w as f64 / bw as f64).min(h as f64 / bh as f64)),
    }
}

/// An image made for one size: its bytes, format and dimensions.
#[derive(Debug, Clone)]
pub struct Made {
    pub bytes: Vec<u8>,
    pub format: Format,
    pub width: u32,
    pub height: u32,
}

/// `image` resized for `size` (premultiplied alpha) and written without metadata: as PNG if
/// it has transparency, else as JPEG.
pub fn resize(image: &DynamicImage, size: Size) -> Result<Made, String> {
    let (w, h) = fitted(image.width(), image.height(), size);
    // 16-bit and other layouts become 8-bit RGB(A): what browsers get anyway.
    let alpha = image.color().has_alpha();
    let source = match alpha {
        true => DynamicImage::ImageRgba8(image.to_rgba8()),
        false => DynamicImage::ImageRgb8(image.to_rgb8()),
    };
    let resized = if (w, h) == (source.width(), source.height()) {
        source
    } else {
        let mut target = match alpha {
            true => DynamicImage::new_rgba8(w, h),
            false => DynamicImage::new_rgb8(w, h),
        };
        let mut options = ResizeOptions::new().use_alpha(true);
        if size.fit == Fit::Cover {
            options = options.fit_into_destination(None);
        }
        Resizer::new()
            .resize(&source, &mut target, &options)
            .map_err(|e| format!("the image cannot be resized ({e})"))?;
        target
    };
    let format = if alpha { Format::Png } else { Format::Jpeg };
    encode(&resized, format, PngCompression::Best).map(|bytes| Made {
        bytes,
        format,
        width: w,
        height: h,
    })
}

/// How hard PNG output is compressed: resized logos are made once and kept, so `Best`; share
/// cards are flat colours and text, where `Fast` is nearly as small.
pub use image::codecs::png::CompressionType as PngCompression;

/// `image` written without metadata: as PNG (with `compression`) when `format` is PNG, else
/// as JPEG.
pub fn encode(
    image: &DynamicImage,
    format: Format,
    compression: PngCompression,
) -> Result<Vec<u8>, String> {
    use image::ImageEncoder;
    use image::codecs::{jpeg::JpegEncoder, png};
    let mut out = Vec::new();
    let (w, h, color) = (image.width(), image.height(), image.color().into());
    let written = match format {
        Format::Png => {
            png::PngEncoder::new_with_quality(&mut out, compression, png::FilterType::Adaptive)
                .write_image(image.as_bytes(), w, h, color)
        }
        _ => JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY).write_image(
            image.as_bytes(),
            w,
            h,
            color,
        ),
    };
    written
        .map(|()| out)
        .map_err(|e| format!("the image cannot be written ({e})"))
}

/// A PNG or JPEG file made to fit `size`: read, turned upright, resized, written again.
pub fn process(bytes: &[u8], size: Size) -> Result<Made, String> {
    match sniff(bytes)? {
        Format::Svg => Err("an SVG image is drawn at any size and is not resized".into()),
        Format::Png | Format::Jpeg => resize(&decode(bytes)?, size),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/images/");
        std::fs::read(format!("{path}{name}")).unwrap()
    }

    const LOGO: Size = Size {
        width: 112,
        height: 112,
        fit: Fit::Contain,
    };

    #[test]
    fn a_transparent_logo_shrinks_without_a_dark_fringe() {
        let made = process(&fixture("transparent.png"), LOGO).unwrap();
        assert_eq!(
            (made.format, made.width, made.height),
            (Format::Png, 112, 112)
        );
        let image = image::load_from_memory(&made.bytes).unwrap().to_rgba8();
        let edge: Vec<_> = image
            .pixels()
            .filter(|p| p.0[3] > 10 && p.0[3] < 245)
            .collect();
        assert!(
            edge.len() > 50,
            "an anti-aliased edge: {} pixels",
            edge.len()
        );
        // Red all the way to the edge, as the disc is: a resize that ignored alpha would
        // mix in the black of the transparent pixels.
        for p in edge {
            assert!(p.0[0] > 200 && p.0[1] < 60, "dark fringe: {:?}", p.0);
        }
    }

    #[test]
    fn a_jpeg_is_turned_as_its_exif_says_and_loses_its_metadata() {
        let bytes = fixture("rotated.jpg");
        assert_eq!(dimensions(&bytes).unwrap(), (200, 300));
        let made = process(
            &bytes,
            Size {
                width: 100,
                height: 100,
                fit: Fit::Contain,
            },
        )
        .unwrap();
        assert_eq!(
            (made.format, made.width, made.height),
            (Format::Jpeg, 67, 100)
        );
        let image = image::load_from_memory(&made.bytes).unwrap().to_rgb8();
        // Stored left blue, right green; turned 90° clockwise: top blue, bottom green.
        let top = image.get_pixel(33, 5).0;
        let bottom = image.get_pixel(33, 95).0;
        assert!(top[2] > 180 && top[1] < 80, "top {top:?}");
        assert!(bottom[1] > 150 && bottom[2] < 80, "bottom {bottom:?}");
        assert!(!made.bytes.windows(4).any(|w| w == b"Exif"), "EXIF kept");
    }

    #[test]
    fn a_picture_covers_a_card_cut_around_its_centre_and_is_never_enlarged() {
        let size = Size {
            width: 1200,
            height: 630,
            fit: Fit::Cover,
        };
        assert_eq!(fitted(2400, 1600, size), (1200, 630));
        assert_eq!(fitted(600, 600, size), (600, 315));
        assert_eq!(fitted(40, 20, LOGO), (40, 20));
        assert_eq!(fitted(400, 100, LOGO), (112, 28));
    }

    #[test]
    fn bad_files_are_refused_with_a_reason_and_bounded_memory() {
        let err = |name: &str| process(&fixture(name), LOGO).unwrap_err();
        assert!(err("bomb.png").contains("too large"), "{}", err("bomb.png"));
        assert!(
            dimensions(&fixture("bomb.png"))
                .unwrap_err()
                .contains("too large")
        );
        assert!(
            err("truncated.png").contains("cut short") || err("truncated.png").contains("damaged"),
            "{}",
            err("truncated.png")
        );
        assert!(err("logo.eps").contains("EPS"), "{}", err("logo.eps"));
        assert!(sniff(b"").unwrap_err().contains("empty"));
        assert_eq!(sniff(&fixture("script.svg")), Ok(Format::Svg));
    }

    #[test]
    fn a_file_cut_short_is_told_from_its_structure() {
        let png = fixture("transparent.png");
        let jpeg = fixture("rotated.jpg");
        assert_eq!(whole(&png, Format::Png), Ok(()));
        assert_eq!(whole(&jpeg, Format::Jpeg), Ok(()));
        assert!(whole(&fixture("truncated.png"), Format::Png).is_err());
        assert!(whole(&png[..png.len() - 20], Format::Png).is_err());
        assert!(whole(&jpeg[..jpeg.len() / 2], Format::Jpeg).is_err());
    }

    #[test]
    fn a_cmyk_jpeg_is_read_as_rgb() {
        // Print shops send CMYK JPEGs, which some browsers show with wrong colours. They are
        // written again as RGB: full magenta and yellow, no cyan or black, is red.
        let made = process(&fixture("cmyk.jpg"), LOGO).unwrap();
        assert_eq!(
            (made.format, made.width, made.height),
            (Format::Jpeg, 64, 64)
        );
        let image = image::load_from_memory(&made.bytes).unwrap().to_rgb8();
        let p = image.get_pixel(32, 32).0;
        assert!(p[0] > 230 && p[1] < 30 && p[2] < 30, "{p:?}");
    }
}
