//! QR codes for print: each brochure entry carries one that leads back to its page online.

use std::fmt::Write;

use qrcode::{Color, EcLevel, QrCode};

/// Modules of light margin around the code, as the QR standard asks.
const QUIET: usize = 4;

/// An inline SVG QR code of `url`, with its quiet zone, one unit per module, sized by CSS
/// (`.qr`). Dark modules are drawn as one path of horizontal runs, a third of the size of a
/// square per module. Empty if the address is too long for a QR code (over 2 KB), which no
/// page address is.
pub fn svg(url: &str) -> String {
    let Ok(code) = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M) else {
        return String::new();
    };
    let width = code.width();
    let colors = code.to_colors();
    let size = width + 2 * QUIET;
    let label = url
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;");
    let mut out = format!(
        "<svg class=\"qr\" role=\"img\" aria-label=\"QR code: {label}\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" shape-rendering=\"crispEdges\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path fill=\"#000\" d=\""
    );
    for (y, row) in colors.chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            if row[x] == Color::Dark {
                let run = row[x..].iter().take_while(|c| **c == Color::Dark).count();
                let _ = write!(out, "M{} {}h{run}v1h-{run}z", x + QUIET, y + QUIET);
                x += run;
            } else {
                x += 1;
            }
        }
    }
    out.push_str("\"/></svg>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_qr_code_is_an_inline_svg_sized_by_css() {
        let svg = svg("https://cluster.example/members/acme/");
        assert!(svg.starts_with("<svg class=\"qr\" role=\"img\" aria-label=\"QR code: https://cluster.example/members/acme/\""));
        let tag = &svg[..svg.find('>').unwrap()];
        assert!(!tag.contains(" width="), "{tag}");
        assert!(tag.contains("viewBox=\"0 0 37 37\""), "{tag}");
        assert!(svg.ends_with("</svg>"));
        assert!(svg.len() < 5000, "{}", svg.len());
    }
}
