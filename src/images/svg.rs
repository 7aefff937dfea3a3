//! SVG logos made safe to publish (issue 23). An SVG is a program as much as a picture: it
//! may hold scripts, event handlers, links to `javascript:`, HTML in `foreignObject`, and
//! references to other files, on the web (tracking) or on the build machine (`file:///etc/…`,
//! which a renderer would read). The SVG is read as XML and written again with only the
//! drawing: an allow-list of SVG elements, their attributes without `on…` handlers, and
//! references only within the file (`#id`) or to images embedded in it (`data:image/…`).
//! Text and fonts stay as the designer wrote them (re-drawing them through a renderer would
//! swap the logo's font).

use quick_xml::Reader;
use quick_xml::Writer;
use quick_xml::events::{BytesStart, Event};

/// SVG elements that draw, group or describe; anything else goes with its content.
const ELEMENTS: &[&str] = &[
    "svg",
    "g",
    "defs",
    "symbol",
    "use",
    "title",
    "desc",
    "path",
    "rect",
    "circle",
    "ellipse",
    "line",
    "polyline",
    "polygon",
    "text",
    "tspan",
    "textPath",
    "linearGradient",
    "radialGradient",
    "stop",
    "clipPath",
    "mask",
    "pattern",
    "filter",
    "marker",
    "image",
    "style",
    "switch",
];

/// Elements dropped but whose content is kept: a link around a drawing keeps the drawing.
const UNWRAPPED: &[&str] = &["a"];

/// The result of cleaning: the SVG text and what was taken out, for a warning.
#[derive(Debug)]
pub struct Cleaned {
    pub svg: String,
    pub removed: Vec<String>,
    /// References to files of the machine that builds the site (`file:///etc/passwd`,
    /// `../secret.png`, an entity declared `SYSTEM`): removed too, but a sign of a file made
    /// to read the build machine's files, which the build refuses.
    pub local: Vec<String>,
    /// The drawing's size, from the `width` and `height` of its `<svg>` (in pixels), or else
    /// its `viewBox`.
    pub size: Option<(f64, f64)>,
}

/// Whether a reference that leads outside the file names a file of the machine rather than
/// an address on the web.
fn local_file(value: &str) -> bool {
    let v = value.trim().to_ascii_lowercase();
    !["http:", "https:", "//", "javascript:", "data:"]
        .iter()
        .any(|scheme| v.starts_with(scheme))
}

/// The size of the root `<svg>`: `width`/`height` in pixels (no unit or `px`), else the
/// width and height of its `viewBox`.
fn root_size(e: &BytesStart<'_>) -> Option<(f64, f64)> {
    let mut width = None;
    let mut height = None;
    let mut view_box = None;
    for attr in e.attributes().with_checks(false).flatten() {
        let value = attr.value.trim().to_string();
        let px = |v: &str| -> Option<f64> {
            v.strip_suffix("px")
                .unwrap_or(v)
                .trim()
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite() && *n > 0.0)
        };
        match attr.key.as_ref() {
            "width" => width = px(&value),
            "height" => height = px(&value),
            "viewBox" => {
                let n: Vec<f64> = value
                    .split([' ', ','])
                    .filter(|s| !s.is_empty())
                    .filter_map(|s| s.parse().ok())
                    .collect();
                if let [_, _, w, h] = n[..]
                    && w > 0.0
                    && h > 0.0
                    && f64::is_finite(w)
                    && f64::is_finite(h)
                {
                    view_box = Some((w, h));
                }
            }
            _ => {}
        }
    }
    match (width, height) {
        (Some(w), Some(h)) => Some((w, h)),
        (Some(w), None) => view_box.map(|(vw, vh)| (w, w * vh / vw)),
        (None, Some(h)) => view_box.map(|(vw, vh)| (h * vw / vh, h)),
        (None, None) => view_box,
    }
}

fn allowed(name: &str) -> bool {
    ELEMENTS.contains(&name) || (name.starts_with("fe") && name.len() > 2)
}

/// Whether a reference leads outside the file: anything but `#id` and embedded raster
/// images.
fn outside(value: &str) -> bool {
    let v: String = value
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    !(v.starts_with('#')
        || v.starts_with("data:image/png")
        || v.starts_with("data:image/jpeg")
        || v.starts_with("data:image/gif")
        || v.starts_with("data:image/webp"))
}

/// Whether CSS (a `style` attribute or element) reaches out: `@import`, `url(…)` to
/// anything but `#id`, `expression(…)`, `javascript:`.
fn css_reaches_out(css: &str) -> bool {
    let c = css.to_ascii_lowercase();
    if c.contains("@import") || c.contains("expression(") || c.contains("javascript:") {
        return true;
    }
    c.split("url(").skip(1).any(|rest| {
        let target = rest.trim_start().trim_start_matches(['"', '\'']);
        !target.starts_with('#')
    })
}

/// The element with only its safe attributes; what was dropped goes to `removed`.
fn safe_start(
    e: &BytesStart<'_>,
    name: &str,
    removed: &mut Vec<String>,
    local_refs: &mut Vec<String>,
) -> BytesStart<'static> {
    let mut out = BytesStart::new(name.to_string());
    for attr in e.attributes().with_checks(false).flatten() {
        let key = attr.key.as_ref().to_string();
        let local = key.rsplit(':').next().unwrap_or(&key).to_ascii_lowercase();
        let value = match attr.normalized_value(quick_xml::XmlVersion::Implicit1_0) {
            Ok(v) => v.into_owned(),
            Err(_) => {
                removed.push(format!("`{key}` on <{name}> (unreadable value)"));
                continue;
            }
        };
        let drop = if local.starts_with("on") {
            Some("an event handler")
        } else if local == "href" && outside(&value) {
            if local_file(&value) {
                local_refs.push(value.clone());
            }
            Some("a reference outside the file")
        } else if local == "style" && css_reaches_out(&value) {
            Some("a style that loads from outside")
        } else if value.to_ascii_lowercase().contains("javascript:")
            || (value.contains("url(") && css_reaches_out(&value))
        {
            Some("a reference outside the file")
        } else {
            None
        };
        match drop {
            Some(why) => removed.push(format!("`{key}` on <{name}> ({why})")),
            None => out.push_attribute((key.as_str(), value.as_str())),
        }
    }
    out
}

/// Cleans an SVG file. `Err` for a file that is not an SVG drawing (not XML, no `<svg>` at
/// its top), with the reason.
pub fn clean(bytes: &[u8]) -> Result<Cleaned, String> {
    let text = std::str::from_utf8(bytes).map_err(|_| {
        "the SVG is not UTF-8 text; save it again from the drawing program".to_string()
    })?;
    let mut reader = Reader::from_str(text.trim_start_matches('\u{feff}'));
    reader.config_mut().check_end_names = true;
    let mut writer = Writer::new(Vec::new());
    let mut removed = Vec::new();
    let mut local = Vec::new();
    let mut size = None;
    // Depth inside an element being dropped with its content (0: not dropping).
    let mut skipping = 0usize;
    // Open elements, and whether each was written (unwrapped ones are not).
    let mut open: Vec<bool> = Vec::new();
    let mut root_seen = false;
    let mut style_depth: Option<usize> = None;
    let write = |w: &mut Writer<Vec<u8>>, e: Event<'_>| {
        w.write_event(e)
            .map_err(|e| format!("the SVG cannot be written again ({e})"))
    };
    loop {
        let event = reader.read_event().map_err(|e| {
            format!(
                "the SVG is not well-formed XML at byte {} ({e}); open and save it again in a drawing program",
                reader.error_position()
            )
        })?;
        match event {
            Event::Eof => break,
            Event::Start(e) => {
                let name = e.local_name().as_ref().to_string();
                if !root_seen {
                    if name != "svg" {
                        return Err(format!(
                            "the file's top element is <{name}>, not <svg>: it is not an SVG drawing"
                        ));
                    }
                    root_seen = true;
                    size = root_size(&e);
                }
                if skipping > 0 {
                    skipping += 1;
                } else if UNWRAPPED.contains(&name.as_str()) {
                    removed.push(format!("<{name}> (a link; its drawing is kept)"));
                    open.push(false);
                } else if allowed(&name) {
                    if name == "style" {
                        style_depth = Some(open.len());
                    }
                    write(
                        &mut writer,
                        Event::Start(safe_start(&e, &name, &mut removed, &mut local)),
                    )?;
                    open.push(true);
                } else {
                    removed.push(format!("<{name}>"));
                    skipping = 1;
                }
            }
            Event::Empty(e) => {
                let name = e.local_name().as_ref().to_string();
                if !root_seen {
                    return Err("the SVG is empty".into());
                }
                if skipping > 0 || UNWRAPPED.contains(&name.as_str()) {
                    continue;
                }
                if allowed(&name) {
                    write(
                        &mut writer,
                        Event::Empty(safe_start(&e, &name, &mut removed, &mut local)),
                    )?;
                } else {
                    removed.push(format!("<{name}>"));
                }
            }
            Event::End(e) => {
                if skipping > 0 {
                    skipping -= 1;
                    continue;
                }
                if open.pop() == Some(true) {
                    if style_depth == Some(open.len()) {
                        style_depth = None;
                    }
                    write(&mut writer, Event::End(e))?;
                }
            }
            Event::Text(t) if skipping == 0 && root_seen => {
                if style_depth.is_some() {
                    let css = t
                        .xml_content(quick_xml::XmlVersion::Implicit1_0)
                        .into_owned();
                    if css_reaches_out(&css) {
                        removed.push("a stylesheet rule that loads from outside".into());
                        continue;
                    }
                }
                write(&mut writer, Event::Text(t))?;
            }
            Event::CData(c) if skipping == 0 && root_seen => {
                let css = c.to_string();
                if style_depth.is_some() && css_reaches_out(&css) {
                    removed.push("a stylesheet rule that loads from outside".into());
                    continue;
                }
                write(&mut writer, Event::CData(c))?;
            }
            // `&amp;`, `&#233;`: kept; an entity of the dropped DOCTYPE (which might name a
            // file) has nothing to stand for and goes.
            Event::GeneralRef(r) if skipping == 0 && root_seen => {
                let name = r.to_string();
                if name.starts_with('#')
                    || ["lt", "gt", "amp", "apos", "quot"].contains(&name.as_str())
                {
                    write(&mut writer, Event::GeneralRef(r))?;
                } else {
                    removed.push(format!("the entity `&{name};`"));
                }
            }
            // Declarations, comments, processing instructions and the DOCTYPE (where
            // entities that include files are declared) are left out.
            Event::DocType(d) => {
                let text = d.to_string();
                if text.contains("SYSTEM") || text.contains("PUBLIC") {
                    local.push("an entity read from a file (DOCTYPE)".into());
                }
                removed.push("the DOCTYPE (entity declarations)".into());
            }
            _ => {}
        }
    }
    if !root_seen {
        return Err("the file has no <svg> element: it is not an SVG drawing".into());
    }
    let svg = String::from_utf8(writer.into_inner())
        .map_err(|_| "the SVG cannot be written again".to_string())?;
    Ok(Cleaned {
        svg,
        removed,
        local,
        size,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/images/");
        std::fs::read(format!("{path}{name}")).unwrap()
    }

    #[test]
    fn scripts_handlers_html_and_outside_references_are_gone_and_the_drawing_stays() {
        let c = clean(&fixture("script.svg")).unwrap();
        for gone in [
            "<script",
            "alert",
            "onload",
            "onclick",
            "javascript",
            "evil.example",
            "foreignObject",
            "<div",
            "<a ",
        ] {
            assert!(!c.svg.contains(gone), "{gone} left in:\n{}", c.svg);
        }
        for kept in [
            "<circle",
            "fill=\"#0b5c8a\"",
            ">ACME</text>",
            "viewBox=\"0 0 120 120\"",
        ] {
            assert!(c.svg.contains(kept), "{kept} lost:\n{}", c.svg);
        }
        assert!(c.removed.len() >= 5, "{:?}", c.removed);
    }

    #[test]
    fn references_to_files_of_the_machine_are_gone() {
        let c = clean(&fixture("local-file.svg")).unwrap();
        assert_eq!(c.local, ["file:///etc/passwd", "../../../../etc/hostname"]);
        assert_eq!(c.size, Some((100.0, 100.0)));
        assert!(clean(&fixture("script.svg")).unwrap().local.is_empty());
        assert!(
            !c.svg.contains("file:") && !c.svg.contains("etc/"),
            "{}",
            c.svg
        );
        let entity = br#"<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>"#;
        let c = clean(entity).unwrap();
        assert_eq!(c.local.len(), 1);
        assert!(
            !c.svg.contains("passwd") && !c.svg.contains("ENTITY"),
            "{}",
            c.svg
        );
    }

    #[test]
    fn escaped_javascript_and_css_imports_are_caught() {
        let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><style>@import url(https://evil.example/x.css);</style><use xlink:href="&#106;avascript:alert(1)"/><rect style="fill:url(https://evil.example/p.svg#a)" width="1" height="1"/><rect fill="url(#grad)" width="2" height="2"/></svg>"#;
        let c = clean(svg).unwrap();
        assert!(
            !c.svg.contains("evil") && !c.svg.contains("avascript"),
            "{}",
            c.svg
        );
        assert!(c.svg.contains("fill=\"url(#grad)\""), "{}", c.svg);
    }

    #[test]
    fn the_example_sites_logos_come_through_unchanged_in_what_they_draw() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/example-site/static");
        let mut seen = 0;
        for entry in walkdir::WalkDir::new(dir) {
            let path = entry.unwrap().into_path();
            if path.extension().is_none_or(|e| e != "svg") {
                continue;
            }
            let bytes = std::fs::read(&path).unwrap();
            let c = clean(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert!(c.removed.is_empty(), "{}: {:?}", path.display(), c.removed);
            let count = |text: &str, what: &str| text.matches(what).count();
            let before = String::from_utf8(bytes).unwrap();
            for what in ["<path", "<rect", "<circle", "<text", "<g"] {
                assert_eq!(
                    count(&before, what),
                    count(&c.svg, what),
                    "{} {what}",
                    path.display()
                );
            }
            seen += 1;
        }
        assert!(seen >= 20, "{seen} logos");
    }

    #[test]
    fn what_is_not_an_svg_drawing_is_refused() {
        assert!(
            clean(b"<html><body>hi</body></html>")
                .unwrap_err()
                .contains("<html>")
        );
        assert!(
            clean(b"<svg><g></svg>")
                .unwrap_err()
                .contains("well-formed")
        );
        assert!(clean(b"\xff\xfe").unwrap_err().contains("UTF-8"));
    }
}
