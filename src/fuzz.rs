//! Entry points for the fuzzers in `fuzz/` (cargo-fuzz, libFuzzer) and for the regression
//! test that replays every input they ever crashed on (`tests/fixtures/fuzz/`).
//!
//! Each function takes arbitrary bytes and must return without panicking, whatever they are;
//! where there is something to promise about the result (sanitised HTML holds no script),
//! the function checks it and panics if the promise is broken, so the fuzzer finds that too.

use std::path::PathBuf;

use crate::content::markdown::{self, MarkdownOptions, Resolved};
use crate::content::{Document, front_matter};
use crate::diag::Diagnostic;
use crate::model::collection::{self, Collection, Visit};
use crate::model::{self, Reload, Site};

/// The collections a content file may belong to, each with the slug of its first item in
/// `site` (so that a fuzzed file replaces an existing item and everything derived is worked
/// out again), and the home page — the first input byte picks one.
fn targets(site: &Site) -> Vec<(&'static str, String)> {
    struct First<'a>(&'a Site, Vec<(&'static str, String)>);
    impl Visit for First<'_> {
        fn visit<C: Collection>(&mut self) {
            if let Some(slug) = C::entries(self.0).keys().next() {
                self.1.push((C::KEY, slug.clone()));
            }
        }
    }
    let mut first = First(site, vec![("", "_index".to_string())]);
    collection::each(&mut first);
    first.1
}

/// Splits the text into front matter and body, then reads the front matter as YAML, as a
/// generic value and as each collection's fields; every diagnostic is formatted as the user
/// would see it.
pub fn front_matter(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let doc = match Document::from_text(
        "content/members/x.md".into(),
        "members".into(),
        "x".into(),
        text,
    ) {
        Ok(doc) => doc,
        Err(d) => return show(&d),
    };
    if let Err(d) = front_matter::parse::<serde_yaml::Value>(doc.yaml_source()) {
        show(&d);
    }
    model::parse_as_every_collection(&doc, show);
}

/// A whole content file through validation: read as a file of the collection the first byte
/// picks, checked against the example site, its body rendered, and if it is valid, put in
/// place of the item of the same slug with everything derived worked out again.
pub fn content_file(site: &Site, data: &[u8]) {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let targets = targets(site);
    let (collection, slug) = &targets[usize::from(pick) % targets.len()];
    let path = if collection.is_empty() {
        PathBuf::from("content/_index.md")
    } else {
        PathBuf::from(format!("content/{collection}/{slug}.md"))
    };
    let doc = match Document::from_text(path, collection.to_string(), slug.clone(), text) {
        Ok(doc) => doc,
        Err(d) => return show(&d),
    };
    let mut site = site.clone();
    match model::reload(&mut site, doc, pick & 0x80 != 0) {
        Reload::Failed(diags) => diags.into_sorted().iter().for_each(show),
        Reload::Replaced(_, diags) => {
            diags.into_sorted().iter().for_each(show);
            model::derive_again(&mut site)
                .into_sorted()
                .iter()
                .for_each(show);
        }
        Reload::Everything => {}
    }
}

/// Markdown to HTML, sanitised unless the first byte's low bit trusts raw HTML. Sanitised
/// output must hold no script, frame, plug-in, handler or script URL.
pub fn markdown(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let Ok(body) = std::str::from_utf8(rest) else {
        return;
    };
    let allow_html = flags & 1 != 0;
    let resolve = |target: &str| -> Result<Resolved, (String, Option<String>)> {
        match target.strip_suffix(".md") {
            Some(path) if path.starts_with("members/gone") => Ok(Resolved::Text {
                message: "a former member without a page".into(),
                help: None,
            }),
            Some(path) if path.starts_with("members/") => {
                Ok(Resolved::Url(format!("/sub/{path}/")))
            }
            _ => Err(("no such file".into(), None)),
        }
    };
    let opts = MarkdownOptions {
        allow_html,
        resolve: &resolve,
        base_path: "/sub/",
        prefix: "",
        prefixes: &[],
    };
    let (rendered, problems) = markdown::render(body, 5, &opts);
    for p in &problems {
        assert!(p.line >= 5, "a problem before the body: {p:?}");
    }
    if !allow_html {
        assert_harmless(&rendered.html);
    }
}

/// Panics if sanitised HTML could run anything: a script, frame, plug-in or style element,
/// an event handler or a script URL in any tag.
fn assert_harmless(html: &str) {
    let lower = html.to_ascii_lowercase();
    for tag in [
        "<script", "<iframe", "<object", "<embed", "<style", "<form", "<svg", "<math",
    ] {
        assert!(!lower.contains(tag), "{tag} got through: {html}");
    }
    // Text between tags is escaped; only what is inside `<…>` can act.
    for tag in lower.split('<').skip(1) {
        for (name, value) in attributes(tag) {
            assert!(
                !name.starts_with("on"),
                "handler `{name}` got through: {html}"
            );
            if !URL_ATTRIBUTES.contains(&name) {
                continue; // an `id` or `title` may say anything
            }
            let value = value.trim_start();
            for scheme in ["javascript:", "vbscript:", "data:"] {
                assert!(
                    !value.starts_with(scheme),
                    "{scheme} URL got through: {html}"
                );
            }
        }
    }
}

/// Attributes whose value a browser follows or loads as an address.
const URL_ATTRIBUTES: [&str; 12] = [
    "href",
    "src",
    "srcset",
    "action",
    "formaction",
    "xlink:href",
    "data",
    "poster",
    "background",
    "cite",
    "longdesc",
    "ping",
];

/// The attributes of a tag, given the text after its `<`: names and values, quoted or not.
fn attributes(tag: &str) -> Vec<(&str, &str)> {
    let mut out = Vec::new();
    // Skip the element's name.
    let mut rest = tag.trim_start_matches(|c: char| !c.is_whitespace() && c != '>' && c != '/');
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_whitespace() || c == '/');
        if rest.is_empty() || rest.starts_with('>') {
            return out;
        }
        let name_end = rest
            .find(|c: char| c.is_whitespace() || c == '=' || c == '>' || c == '/')
            .unwrap_or(rest.len())
            .max(1);
        let name = &rest[..name_end];
        rest = rest[name_end..].trim_start();
        let mut value = "";
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            match after.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let end = after[1..].find(q).map_or(after.len(), |e| e + 1);
                    value = &after[1..end];
                    rest = after.get(end + 1..).unwrap_or("");
                }
                _ => {
                    let end = after
                        .find(|c: char| c.is_whitespace() || c == '>')
                        .unwrap_or(after.len());
                    value = &after[..end];
                    rest = &after[end..];
                }
            }
        }
        out.push((name, value));
    }
}

/// Formats a diagnostic, as `check` would print it.
fn show(d: &Diagnostic) {
    let text = d.to_string();
    assert!(!text.is_empty());
}

/// The example site, loaded once per fuzzing process.
pub fn example_site() -> Site {
    let opts = crate::Options {
        site: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("example-site"),
        base_url: None,
        drafts: false,
        now: jiff::civil::date(2026, 11, 27),
        pdf: crate::Pdf::Never,
        chrome: None,
    };
    let watch = crate::timings::Stopwatch::start("fuzz");
    match crate::load(&opts, &watch) {
        Ok(loaded) => loaded.site,
        Err(diags) => panic!("the example site does not load: {:?}", diags.into_sorted()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every input a fuzzer ever crashed on, and a few hand-written ones, replayed.
    #[test]
    fn inputs_that_once_crashed_run_clean() {
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fuzz");
        let site = example_site();
        let mut count = 0;
        for (target, run) in [
            (
                "front_matter",
                &(|d: &[u8]| front_matter(d)) as &dyn Fn(&[u8]),
            ),
            ("content_file", &|d: &[u8]| content_file(&site, d)),
            ("markdown", &|d: &[u8]| markdown(d)),
        ] {
            let Ok(dir) = std::fs::read_dir(root.join(target)) else {
                continue;
            };
            for entry in dir {
                let path = entry.unwrap().path();
                run(&std::fs::read(&path).unwrap());
                count += 1;
            }
        }
        assert!(count >= 3, "only {count} saved inputs");
    }

    #[test]
    fn the_sanitiser_check_catches_what_it_should() {
        for bad in [
            "<p><script>x</script></p>",
            "<a href=\"javascript:x\">",
            "<img src=x onerror=alert(1)>",
            "<b\nonclick = \"x\">",
            "<a title='x' href = ' javascript:x'>",
        ] {
            assert!(
                std::panic::catch_unwind(|| assert_harmless(bad)).is_err(),
                "{bad}"
            );
        }
        assert_harmless(
            "<p>Say onion=tasty and javascript: is text</p><a href=\"https://x\">x</a>",
        );
        // The fuzzer's finds: an `=` inside a quoted value is not a new attribute; an `id`
        // (a footnote's name) is not an address.
        assert_harmless("<div class=\"footnote-definition\" id=\"vbscript:2\">");
        assert_harmless("<a href=\"@=vbscript:/x.md\" title=\"a=data:x onclick=y\">x</a>");
    }
}
