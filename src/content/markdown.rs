//! Markdown bodies to HTML: CommonMark plus tables, footnotes, strikethrough, task lists and
//! heading anchors, with links resolved and untrusted HTML made harmless.
//!
//! Member profiles are written by member companies, so the output of this module is safe to
//! put in a page: raw HTML is sanitised with ammonia (unless the site opts in), and links with
//! a script-carrying scheme never get through. Links between items use `@/` paths
//! (`[Acme](@/members/acme.md)`), which the caller resolves so that a renamed member is an
//! error, not a broken link.

use std::collections::HashSet;
use std::sync::LazyLock;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

use crate::text::dangerous_scheme;

/// What the caller needs to know about a link it could not accept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkProblem {
    /// 1-based line and column in the file (not in the body).
    pub line: usize,
    pub column: usize,
    /// Characters to underline: the whole `[text](target)` when it is on one line.
    pub len: usize,
    pub target: String,
    pub message: String,
    pub help: Option<String>,
    /// Only a warning: the link was turned into plain text (see [`Resolved::Text`]).
    pub warning: bool,
}

/// A rendered body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    /// Plain text of the first paragraph, for cards and meta descriptions.
    pub summary: String,
}

/// Turns an `@/members/acme.md` target into a URL path, or says why it cannot (message, help).
pub type Resolver<'a> = dyn Fn(&str) -> Result<Resolved, (String, Option<String>)> + Sync + 'a;

/// What an `@/` link target stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// The URL path to link to.
    Url(String),
    /// An item that exists but has no page (a former member without one): the link's text
    /// stays, as plain text, and the problem is a warning.
    Text {
        message: String,
        help: Option<String>,
    },
}

/// Settings that do not change from one body to the next.
pub struct MarkdownOptions<'a> {
    /// Trust raw HTML in bodies (the site's `build.allow_html`).
    pub allow_html: bool,
    pub resolve: &'a Resolver<'a>,
    /// Prefixes a root-relative link (`/members/`) with the site's base path.
    pub base_path: &'a str,
    /// In a site of several languages, the prefix of the page's language (`de/`), which a
    /// root-relative link to a page gets too (`/members/` → `/de/members/`), unless it names
    /// a language already (`/fr/members/`) or a file all languages share; empty otherwise.
    pub prefix: &'a str,
    /// The prefixes of all the site's languages, in a site of several.
    pub prefixes: &'a [String],
}

/// Renders `body`, whose first line is line `body_line` of its file.
pub fn render(
    body: &str,
    body_line: usize,
    opts: &MarkdownOptions<'_>,
) -> (Rendered, Vec<LinkProblem>) {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_FOOTNOTES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    options.insert(Options::ENABLE_TASKLISTS);
    options.insert(Options::ENABLE_HEADING_ATTRIBUTES);
    options.insert(Options::ENABLE_SMART_PUNCTUATION);

    let mut events: Vec<(Event<'_>, std::ops::Range<usize>)> =
        Parser::new_ext(body, options).into_offset_iter().collect();
    let mut problems = Vec::new();
    let mut has_raw_html = false;
    let mut used_ids = HashSet::new();
    let mut summary = String::new();
    let mut in_first_paragraph = None::<bool>;

    // Where each line starts, made on the first problem: a long body with many problems
    // must not be scanned from its start for each of them.
    // Nor a long line from its start for each problem on it: the column counts on from the
    // previous problem when it is further along the same line.
    let mut line_starts = None::<Vec<usize>>;
    let mut last = (usize::MAX, 0usize, 1usize); // (line index, offset, column)
    let mut position = |offset: usize| {
        let offset = offset.min(body.len());
        let starts = line_starts.get_or_insert_with(|| {
            std::iter::once(0)
                .chain(memchr::memchr_iter(b'\n', body.as_bytes()).map(|i| i + 1))
                .collect()
        });
        let index = starts.partition_point(|&s| s <= offset) - 1;
        let (from, counted) = if last.0 == index && last.1 <= offset {
            (last.1, last.2)
        } else {
            (starts[index], 1)
        };
        let column = counted + body.get(from..offset).map_or(0, |s| s.chars().count());
        last = (index, offset, column);
        (body_line + index, column)
    };
    let mut open_elements = 0usize;
    let mut nesting_reported = false;
    // Links turned into their text (`Resolved::Text`), by the index of their start.
    let mut unlinked: Vec<usize> = Vec::new();

    let mut i = 0;
    while i < events.len() {
        let range = events[i].1.clone();
        if matches!(events[i].0, Event::Start(Tag::Heading { .. })) {
            let text = heading_text(&events[i + 1..]);
            if let Event::Start(Tag::Heading { id, .. }) = &mut events[i].0 {
                let wanted = match id.take() {
                    Some(given) => given.to_string(),
                    None => anchor_for(&text),
                };
                *id = Some(unique_id(&wanted, &mut used_ids).into());
            }
            i += 1;
            continue;
        }
        // A character no text may hold (`crate::diag::is_refused_char`), written as a
        // reference: `&#7;` would put a BEL into the page and make the feeds unreadable XML.
        // (Written as itself, the whole file was refused when it was read.)
        if let Event::Text(t) | Event::Html(t) | Event::InlineHtml(t) = &events[i].0 {
            let is_html = !matches!(events[i].0, Event::Text(_));
            let source = &body[range.clone()];
            let found = if is_html || crate::diag::refused_chars(t).next().is_some() {
                refused_reference(source, is_html)
            } else {
                None
            };
            if let Some((at, written, c)) = found {
                let (line, column) = position(range.start + at);
                problems.push(LinkProblem {
                    line,
                    column,
                    len: written.chars().count(),
                    target: String::new(),
                    message: format!(
                        "`{written}` stands for {}, which is not allowed in a text",
                        crate::diag::describe_char(c)
                    ),
                    help: Some("remove it".to_string()),
                    warning: false,
                });
            }
        }
        let is_image = matches!(events[i].0, Event::Start(Tag::Image { .. }));
        match &mut events[i].0 {
            Event::Start(Tag::Link { dest_url, .. })
            | Event::Start(Tag::Image { dest_url, .. }) => {
                let result = if is_image && is_remote(dest_url) {
                    Err((
                        "images must be files of the site, not addresses on other servers".to_string(),
                        Some("download the image into the `static/` folder and write its path, e.g. `/images/plant.jpg`".to_string()),
                    ))
                } else {
                    rewrite_url(dest_url, opts)
                };
                // An image has no text to fall back on.
                let result = match result {
                    Ok(Rewrite::Unlink(message, help)) if is_image => Err((message, help)),
                    r => r,
                };
                let target = dest_url.to_string();
                match result {
                    Ok(Rewrite::To(new)) => *dest_url = new.into(),
                    Ok(Rewrite::Keep) => {}
                    Ok(Rewrite::Unlink(message, help)) => {
                        let (line, column) = position(range.start);
                        let len = body[range.clone()].chars().count();
                        let len = if body[range.clone()].contains('\n') {
                            1
                        } else {
                            len
                        };
                        problems.push(LinkProblem {
                            line,
                            column,
                            len,
                            target,
                            message,
                            help,
                            warning: true,
                        });
                        unlinked.push(i);
                    }
                    Err((message, help)) => {
                        let (line, column) = position(range.start);
                        let source = &body[range.clone()];
                        let len = if source.contains('\n') {
                            1
                        } else {
                            source.chars().count()
                        };
                        problems.push(LinkProblem {
                            line,
                            column,
                            len,
                            target,
                            message,
                            help,
                            warning: false,
                        });
                        *dest_url = CowStr::Borrowed("#");
                    }
                }
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                has_raw_html = true;
                open_elements = still_open(html, open_elements);
                if open_elements > MAX_OPEN_ELEMENTS && !opts.allow_html && !nesting_reported {
                    nesting_reported = true;
                    let (line, column) = position(range.start);
                    problems.push(LinkProblem {
                        line,
                        column,
                        len: 1,
                        target: String::new(),
                        message: format!(
                            "the HTML in this text leaves more than {MAX_OPEN_ELEMENTS} elements open"
                        ),
                        help: Some(
                            "close every HTML element you open (`<div>` … `</div>`), or write the text in Markdown"
                                .to_string(),
                        ),
                        warning: false,
                    });
                }
            }
            Event::Start(Tag::Paragraph) if in_first_paragraph.is_none() => {
                in_first_paragraph = Some(true)
            }
            Event::End(TagEnd::Paragraph) if in_first_paragraph == Some(true) => {
                in_first_paragraph = Some(false)
            }
            Event::Text(t) | Event::Code(t) if in_first_paragraph == Some(true) => {
                summary.push_str(t)
            }
            Event::SoftBreak | Event::HardBreak if in_first_paragraph == Some(true) => {
                summary.push(' ')
            }
            _ => {}
        }
        i += 1;
    }

    if !unlinked.is_empty() {
        // Links do not nest: each unlinked start's end is the next link end after it.
        let mut dropped = HashSet::new();
        for start in unlinked {
            dropped.insert(start);
            if let Some(end) = events[start..]
                .iter()
                .position(|(e, _)| matches!(e, Event::End(TagEnd::Link)))
            {
                dropped.insert(start + end);
            }
        }
        let mut index = 0;
        events.retain(|_| {
            index += 1;
            !dropped.contains(&(index - 1))
        });
    }
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter().map(|(e, _)| e));
    if nesting_reported {
        // An error: the page will not be made, and sanitising this would take minutes.
        html.clear();
    } else if has_raw_html && !opts.allow_html {
        html = sanitise(&html);
    }
    // Bodies stay in memory until their pages are rendered: no spare capacity.
    html.shrink_to_fit();
    (
        Rendered {
            html,
            summary: truncate_words(summary.trim(), 240),
        },
        problems,
    )
}

/// The first numeric character reference in `source` (`&#7;`, `&#x1B;`) that stands for a
/// character no text may hold: its byte offset, its text and the character. In HTML, the
/// references 128–159 stand for Windows-1252 characters (`&#150;` is a dash), and 0 and
/// surrogates for U+FFFD, so they are harmless there.
fn refused_reference(source: &str, html: bool) -> Option<(usize, &str, char)> {
    let mut from = 0;
    while let Some(found) = source[from..].find("&#") {
        let at = from + found;
        from = at + 2;
        let rest = &source[from..];
        let (digits, radix) = match rest.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16),
            None => (rest, 10),
        };
        let len = digits
            .bytes()
            .take_while(|b| b.is_ascii_hexdigit() && (radix == 16 || b.is_ascii_digit()))
            .count();
        if len == 0 || len > 8 || !digits[len..].starts_with(';') {
            continue;
        }
        let Some(c) = u32::from_str_radix(&digits[..len], radix)
            .ok()
            .and_then(char::from_u32)
        else {
            continue;
        };
        if html && (c == '\0' || ('\u{80}'..='\u{9f}').contains(&c)) {
            continue;
        }
        if crate::diag::is_refused_char(c) {
            let end = from + (rest.len() - digits.len()) + len + 1;
            return Some((at, &source[at..end], c));
        }
    }
    None
}

fn heading_text(events: &[(Event<'_>, std::ops::Range<usize>)]) -> String {
    let mut text = String::new();
    for (e, _) in events {
        match e {
            Event::End(TagEnd::Heading(_)) => break,
            Event::Text(t) | Event::Code(t) => text.push_str(t),
            _ => {}
        }
    }
    text
}

/// The anchor of a heading: its text as a slug, like Zola and GitHub make them.
pub fn anchor_for(text: &str) -> String {
    let slug = slug::slugify(text);
    if slug.is_empty() {
        "section".to_string()
    } else {
        slug
    }
}

fn unique_id(wanted: &str, used: &mut HashSet<String>) -> String {
    let mut id = wanted.to_string();
    let mut n = 1;
    while !used.insert(id.clone()) {
        id = format!("{wanted}-{n}");
        n += 1;
    }
    id
}

/// What a link target becomes.
enum Rewrite {
    Keep,
    To(String),
    /// No link, its text only; the warning's message and help.
    Unlink(String, Option<String>),
}

/// Decides what a link target becomes.
fn rewrite_url(url: &str, opts: &MarkdownOptions<'_>) -> Result<Rewrite, (String, Option<String>)> {
    if let Some(target) = url.strip_prefix("@/") {
        let (path, anchor) = match target.split_once('#') {
            Some((p, a)) => (p, Some(a)),
            None => (target, None),
        };
        let resolved = match (opts.resolve)(path)? {
            Resolved::Url(url) => url,
            Resolved::Text { message, help } => return Ok(Rewrite::Unlink(message, help)),
        };
        return Ok(Rewrite::To(match anchor {
            Some(a) => format!("{resolved}#{a}"),
            None => resolved,
        }));
    }
    if let Some(scheme) = dangerous_scheme(url) {
        return Err((
            format!("link with a `{scheme}:` URL is not allowed"),
            Some(
                "links may use http, https, mailto and tel, or point to a page of the site".into(),
            ),
        ));
    }
    if url.starts_with('/') && !url.starts_with("//") {
        let rest = &url[1..];
        let localized = !opts.prefix.is_empty()
            && !crate::url::is_shared_file(rest)
            && !opts.prefixes.iter().any(|p| rest.starts_with(p.as_str()));
        if localized {
            return Ok(Rewrite::To(format!(
                "{}{}{rest}",
                opts.base_path, opts.prefix
            )));
        }
        if opts.base_path != "/" {
            return Ok(Rewrite::To(format!(
                "{}{}",
                opts.base_path.trim_end_matches('/'),
                url
            )));
        }
    }
    Ok(Rewrite::Keep)
}

/// Whether `url` points to another server (which a visitor's browser would then contact).
pub fn is_remote(url: &str) -> bool {
    let u = url.trim().to_ascii_lowercase();
    u.starts_with("http://") || u.starts_with("https://") || u.starts_with("//")
}

/// How many raw HTML elements a text may leave open. The HTML parser behind the sanitiser
/// slows down with every element left open (a text of 20 MB opening `<div>` after `<div>` took
/// minutes); real texts stay far below this.
const MAX_OPEN_ELEMENTS: usize = 100;

/// Elements that never take an end tag.
const VOID_ELEMENTS: [&str; 14] = [
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

/// Counts the elements still open after a piece of raw HTML, given those open before it:
/// start tags open one, end tags close one, void and self-closing elements and comments count
/// nothing. An estimate from above of what the HTML parser keeps open.
fn still_open(html: &str, mut open: usize) -> usize {
    let bytes = html.as_bytes();
    let mut at = 0;
    while let Some(found) = memchr::memchr(b'<', &bytes[at..]) {
        let start = at + found + 1;
        at = start;
        if bytes[start..].starts_with(b"!--") {
            match memchr::memmem::find(&bytes[start..], b"-->") {
                Some(end) => at = start + end + 3,
                None => break,
            }
            continue;
        }
        let closing = bytes.get(start) == Some(&b'/');
        let name_start = start + usize::from(closing);
        let name_len = bytes[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
            .count();
        if name_len == 0 || !bytes[name_start].is_ascii_alphabetic() {
            continue;
        }
        let name = html[name_start..name_start + name_len].to_ascii_lowercase();
        let end = memchr::memchr(b'>', &bytes[name_start..]).map(|e| name_start + e);
        let self_closing = end.is_some_and(|e| bytes[e - 1] == b'/');
        if closing {
            open = open.saturating_sub(1);
        } else if !self_closing && !VOID_ELEMENTS.contains(&name.as_str()) {
            open += 1;
        }
        if let Some(e) = end {
            at = e + 1;
        }
    }
    open
}

static SANITISER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
    let mut b = ammonia::Builder::default();
    b.add_tags(["input"])
        .add_tag_attributes("input", ["type", "checked", "disabled"])
        .add_generic_attributes(["id", "class"])
        .url_schemes(
            ["http", "https", "mailto", "tel", "webcal"]
                .into_iter()
                .collect(),
        )
        // Remote images would make every visitor's browser contact a third party.
        .attribute_filter(|element, attribute, value| {
            if element == "img" && (attribute == "src" || attribute == "srcset") && is_remote(value)
            {
                None
            } else {
                Some(value.into())
            }
        })
        .link_rel(Some("noopener noreferrer"));
    b
});

/// Removes scripts, event handlers, frames, styles and unsafe URLs from `html`.
pub fn sanitise(html: &str) -> String {
    SANITISER.clean(html).to_string()
}

/// Cuts `text` after at most `max` characters, at a word boundary, with an ellipsis.
pub fn truncate_words(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let at = cut.rfind(' ').unwrap_or(cut.len());
    format!("{}…", cut[..at].trim_end_matches([',', ';', ':', '.']))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_links(_: &str) -> Result<Resolved, (String, Option<String>)> {
        Err(("no".into(), None))
    }

    fn md(body: &str, allow_html: bool) -> (Rendered, Vec<LinkProblem>) {
        let resolve = |p: &str| -> Result<Resolved, (String, Option<String>)> {
            match p {
                "members/acme.md" => Ok(Resolved::Url("/sub/members/acme/".into())),
                "members/gone.md" => Ok(Resolved::Text {
                    message: "gone".into(),
                    help: None,
                }),
                _ => no_links(p),
            }
        };
        render(
            body,
            10,
            &MarkdownOptions {
                allow_html,
                resolve: &resolve,
                base_path: "/sub/",
                prefix: "",
                prefixes: &[],
            },
        )
    }

    #[test]
    fn extensions_are_on() {
        let (r, _) = md(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~\n\n- [x] done\n\nNote[^1]\n\n[^1]: The note.\n",
            false,
        );
        assert!(r.html.contains("<table>"), "{}", r.html);
        assert!(r.html.contains("<del>old</del>"));
        assert!(r.html.contains("checkbox"));
        assert!(r.html.contains("footnote-definition"));
    }

    #[test]
    fn headings_get_unique_anchors() {
        let (r, _) = md(
            "## Our Products\n\n## Our Products\n\n## Custom {#mine}\n",
            false,
        );
        assert!(r.html.contains(r#"<h2 id="our-products">"#), "{}", r.html);
        assert!(r.html.contains(r#"<h2 id="our-products-1">"#));
        assert!(r.html.contains(r#"<h2 id="mine">"#));
    }

    #[test]
    fn html_left_open_too_deep_is_reported_once_with_its_line() {
        let fine =
            "<details><summary>More</summary>\n\nText<br> <img src=\"/a.png\"/>\n\n</details>\n"
                .repeat(500);
        assert!(md(&fine, false).1.is_empty());
        let nested = format!("Intro\n\n{}", "<div class=x>\n\nText\n\n".repeat(150));
        let (_, problems) = md(&nested, false);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].line, 12 + 4 * 100, "the 101st `<div>`");
        assert!(problems[0].message.contains("more than 100 elements open"));
        assert!(md(&nested, true).1.is_empty(), "trusted HTML is not parsed");
        assert_eq!(still_open("<!-- <div> --><p><b>x</b></P><hr><x-y/>", 0), 0);
        assert_eq!(still_open("<div><span></div", 3), 4);
    }

    #[test]
    fn raw_html_is_sanitised_unless_allowed() {
        let body = "Hi <script>alert(1)</script> <b onclick=\"x()\">bold</b>\n\n<iframe src=\"https://evil.example\"></iframe>\n";
        let (r, _) = md(body, false);
        assert!(!r.html.contains("<script"), "{}", r.html);
        assert!(!r.html.contains("onclick"));
        assert!(!r.html.contains("iframe"));
        assert!(r.html.contains("<b>bold</b>"));
        let (r, _) = md(body, true);
        assert!(r.html.contains("<script>"));
    }

    #[test]
    fn script_links_are_reported_with_their_file_line_and_removed() {
        let (r, problems) = md(
            "First line\n\nSee [x](javascript:alert(1)) and ![i](data:image/svg+xml,abc)\n",
            false,
        );
        assert!(!r.html.contains("javascript"), "{}", r.html);
        assert!(!r.html.contains("data:"));
        assert_eq!(problems.len(), 2);
        assert_eq!((problems[0].line, problems[0].column), (12, 5));
        assert!(problems[0].message.contains("`javascript:`"));
    }

    #[test]
    fn internal_links_resolve_and_root_links_get_the_base_path() {
        let (r, problems) = md(
            "[A](@/members/acme.md#products) [B](/members/) [C](@/members/nope.md)\n",
            false,
        );
        assert!(
            r.html.contains(r#"href="/sub/members/acme/#products""#),
            "{}",
            r.html
        );
        assert!(r.html.contains(r#"href="/sub/members/""#));
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].target, "@/members/nope.md");
    }

    #[test]
    fn a_link_to_an_item_without_a_page_becomes_its_text_with_a_warning() {
        let (r, problems) = md("Made with [Gone Ltd](@/members/gone.md) in 2024.\n", false);
        assert_eq!(r.html, "<p>Made with Gone Ltd in 2024.</p>\n");
        assert_eq!(problems.len(), 1);
        assert!(problems[0].warning);
        assert_eq!(problems[0].message, "gone");
    }

    #[test]
    fn remote_images_are_refused_and_stripped() {
        let (r, problems) = md(
            "![plant](https://cdn.example/plant.jpg)\n\n<img src=\"https://t.example/px.gif\" alt=\"\">\n",
            false,
        );
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.contains("images must be files"));
        assert!(
            !r.html.contains("cdn.example") && !r.html.contains("t.example"),
            "{}",
            r.html
        );
    }

    #[test]
    fn summary_is_the_first_paragraph_as_text() {
        let (r, _) = md(
            "# Title\n\nWe *make* `gears`\nfor cars.\n\nSecond.\n",
            false,
        );
        assert_eq!(r.summary, "We make gears for cars.");
    }

    #[test]
    fn truncate_cuts_at_words() {
        assert_eq!(truncate_words("one two three", 9), "one two…");
        assert_eq!(truncate_words("short", 9), "short");
    }
}
