//! Images that fit the page (issue 23): logos and photos as members send them (a huge PNG, a
//! JPEG turned by its EXIF data, a transparent PNG, an SVG with a script, a CMYK JPEG) come
//! out resized, with their true sizes on the page; bad files are refused by name.

use std::path::Path;

use crate::support::{SiteTest, fixtures};

/// A large, noisy logo with transparency: the kind of 4 MB PNG a member's designer sends.
fn huge_png(path: &Path) {
    let (w, h) = (2400u32, 1200u32);
    let mut seed = 7u32;
    let image = image::RgbaImage::from_fn(w, h, |x, y| {
        seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        let inside = (x as i64 - 1200).pow(2) / 4 + (y as i64 - 600).pow(2) < 500 * 500;
        let n = (seed >> 24) as u8;
        image::Rgba([
            n,
            40u8.wrapping_add(n / 2),
            200,
            if inside { 255 } else { 0 },
        ])
    });
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    image.save(path).unwrap();
}

fn member(site: &SiteTest, slug: &str, logo: &str) {
    site.write(
        &format!("content/members/{slug}.md"),
        &format!("---\nname: {slug}\ntype: company\nlogo: {logo}\n---\nText.\n"),
    );
}

fn copy_fixture(site: &SiteTest, name: &str, to: &str) {
    let to = site.root().join(to);
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    std::fs::copy(fixtures().join("images").join(name), to).unwrap();
}

/// The `<img>` tags of a page whose `alt` names `name`'s logo.
fn logo_tag(html: &str, name: &str) -> String {
    html.split("<img")
        .skip(1)
        .map(|t| t[..t.find('>').unwrap()].to_string())
        .find(|t| t.contains(&format!("{name}\"")) || t.contains(&format!("{name} ")))
        .unwrap_or_else(|| panic!("no logo of {name}"))
}

fn attr(tag: &str, name: &str) -> String {
    let start = tag
        .find(&format!(" {name}=\""))
        .unwrap_or_else(|| panic!("no {name} in {tag}"))
        + name.len()
        + 3;
    tag[start..start + tag[start..].find('"').unwrap()].to_string()
}

fn awkward_site() -> SiteTest {
    let site = SiteTest::base();
    huge_png(&site.root().join("static/logos/huge.png"));
    copy_fixture(&site, "rotated.jpg", "static/logos/rotated.jpg");
    copy_fixture(&site, "transparent.png", "static/logos/transparent.png");
    copy_fixture(&site, "script.svg", "static/logos/script.svg");
    copy_fixture(&site, "cmyk.jpg", "static/logos/cmyk.jpg");
    member(&site, "huge", "logos/huge.png");
    member(&site, "rotated", "logos/rotated.jpg");
    member(&site, "transparent", "logos/transparent.png");
    member(&site, "scripted", "logos/script.svg");
    member(&site, "cmyk", "logos/cmyk.jpg");
    site
}

#[test]
fn logos_as_members_send_them_are_resized_with_their_true_sizes_on_the_page() {
    let site = awkward_site();
    assert!(
        std::fs::metadata(site.root().join("static/logos/huge.png"))
            .unwrap()
            .len()
            > 4_000_000
    );
    let run = site.build();
    run.success()
        .stderr_has("`static/logos/script.svg`: taken out of the SVG")
        .stderr_has("(4 sources decoded, 7 cards drawn), 0 kept from the last build");
    let resized = resized_count(&run.stderr);
    let directory = site.output("members/index.html");
    let public = site.public();
    let mut largest = 0;
    for name in ["huge", "rotated", "transparent", "cmyk"] {
        let tag = logo_tag(&directory, name);
        let src = attr(&tag, "src");
        assert!(src.starts_with("/resized/"), "{tag}");
        let file = public.join(src.trim_start_matches('/'));
        let bytes = std::fs::read(&file).unwrap();
        largest = largest.max(bytes.len());
        let made = image::load_from_memory(&bytes).unwrap();
        // The page says the size the file has, so that nothing shifts as it loads.
        assert_eq!(attr(&tag, "width"), made.width().to_string(), "{tag}");
        assert_eq!(attr(&tag, "height"), made.height().to_string(), "{tag}");
        // One size for every logo of the theme (shown at 40 to 96 pixels), and its double.
        assert!(made.width() <= 96 && made.height() <= 96, "{tag}");
        // Twice the size for sharp screens, also a real file; none for the CMYK logo, which
        // is only 64 pixels wide (never enlarged).
        if name == "cmyk" {
            assert!(!tag.contains("srcset"), "{tag}");
            assert_eq!(attr(&tag, "loading"), "lazy");
            continue;
        }
        let srcset = attr(&tag, "srcset");
        let double = srcset.split(", ").nth(1).expect("a 2x file");
        let double = double.strip_suffix(" 2x").expect("2x");
        assert!(
            public.join(double.trim_start_matches('/')).is_file(),
            "{srcset}"
        );
        assert_eq!(attr(&tag, "loading"), "lazy");
        assert_eq!(attr(&tag, "decoding"), "async");
    }
    // Every image the directory shows, the resized logos and the SVGs, is small.
    for src in directory
        .split(" src=\"")
        .skip(1)
        .map(|s| &s[..s.find('"').unwrap()])
    {
        if let Ok(meta) = std::fs::metadata(public.join(src.trim_start_matches('/'))) {
            largest = largest.max(meta.len() as usize);
        }
    }
    assert!(
        largest <= 30 * 1024,
        "largest image on the directory: {largest} bytes"
    );

    // The huge logo keeps its proportions (2:1) and its transparency.
    let huge = attr(&logo_tag(&directory, "huge"), "src");
    assert!(huge.ends_with(".96x48.png"), "{huge}");
    // Turned as its EXIF data says: stored 300 × 200, shown upright 200 × 300.
    let rotated = logo_tag(&directory, "rotated");
    assert_eq!(
        (attr(&rotated, "width"), attr(&rotated, "height")),
        ("64".into(), "96".into())
    );
    // No dark fringe around the transparent logo (a red disc): edge pixels stay red.
    let transparent = attr(&logo_tag(&directory, "transparent"), "src");
    let pixels = image::open(public.join(transparent.trim_start_matches('/')))
        .unwrap()
        .to_rgba8();
    let edge: Vec<_> = pixels
        .pixels()
        .filter(|p| p.0[3] > 20 && p.0[3] < 235)
        .collect();
    assert!(edge.len() > 10, "an anti-aliased edge");
    assert!(
        edge.iter().all(|p| p.0[0] > 200 && p.0[1] < 60),
        "dark fringe"
    );
    // The SVG is published clean, at its own address.
    let svg = site.output("logos/script.svg");
    for bad in [
        "<script",
        "onload",
        "onclick",
        "javascript:",
        "evil.example",
        "foreignObject",
    ] {
        assert!(!svg.contains(bad), "{bad} in {svg}");
    }
    assert!(svg.contains("ACME") && svg.contains("<circle"), "{svg}");
    // Metadata is gone from the JPEG.
    let jpeg = attr(&rotated, "src");
    let jpeg = std::fs::read(public.join(jpeg.trim_start_matches('/'))).unwrap();
    assert!(!jpeg.windows(4).any(|w| w == b"Exif"));

    // A second build decodes nothing: every resized file is the last build's.
    site.build().success().stderr_has(&format!(
        "{resized} resized images and share cards: 0 new (0 sources decoded, 0 cards drawn), {resized} kept from the last build"
    ));
    // A logo replaced by another file is made again; the others are kept.
    copy_fixture(&site, "transparent.png", "static/logos/rotated.jpg");
    site.build()
        .success()
        .stderr_has("(1 source decoded, 1 card drawn)");
}

/// How many images the build summary says it resized.
fn resized_count(stderr: &str) -> usize {
    let before = &stderr[..stderr.find(" resized images").expect("resized images")];
    let digits: String = before
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.chars().rev().collect::<String>().parse().unwrap()
}

#[test]
fn bad_images_are_refused_by_name_and_the_previous_site_stays() {
    let site = SiteTest::base();
    site.build().success();
    let before = site.output("index.html");
    for (file, slug) in [
        ("truncated.png", "cut"),
        ("bomb.png", "bomb"),
        ("logo.eps", "eps"),
        ("local-file.svg", "local"),
    ] {
        copy_fixture(&site, file, &format!("static/logos/{file}"));
        member(&site, slug, &format!("logos/{file}"));
    }
    let run = site.build();
    run.failure(1)
        .stderr_has("`static/logos/truncated.png`: the image is")
        .stderr_has("`static/logos/bomb.png`: the image is too large to read")
        .stderr_has("`static/logos/logo.eps`: the file is an EPS (PostScript) file")
        .stderr_has("`static/logos/local-file.svg`: the SVG refers to files of the computer")
        .stderr_has("content/members/bomb.md");
    assert_eq!(site.output("index.html"), before);
    // `check` finds the same, the damaged PNG included (it is decoded, not only looked at).
    site.check()
        .failure(1)
        .stderr_has("`static/logos/truncated.png`")
        .stderr_has("`static/logos/bomb.png`");
}
