//! Making pages and stylesheets small without a pass over every page: templates are
//! squeezed once before they are compiled, and the embedded stylesheet is minified once.
//! Both happen while rendering, never on the written output.

/// Makes an HTML template smaller once, before it is compiled, so that pages rendered from
/// it come out small without minifying each page: the spaces and tabs that indent and trail
/// its lines are dropped, except inside `<pre>` and `<textarea>`. Line breaks stay, so a
/// line break still separates what it separated, and line numbers do not change. Only the
/// template's own text changes; what its variables insert is never touched.
///
/// (An HTML minifier on the template text was tried first: it reorders attributes and cannot
/// know what `{% if %}…{% endif %}` inside a tag means, and mangled such tags.)
pub fn squeeze_template(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut keep = false; // inside <pre> or <textarea>
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let starts_kept = keep;
        let lower = line.to_ascii_lowercase();
        for (at, _) in lower.match_indices('<') {
            let tag = &lower[at..];
            if tag.starts_with("<pre") || tag.starts_with("<textarea") {
                keep = true;
            } else if tag.starts_with("</pre") || tag.starts_with("</textarea") {
                keep = false;
            }
        }
        let line = if starts_kept {
            line
        } else {
            line.trim_start_matches([' ', '\t'])
        };
        let line = if keep {
            line
        } else {
            line.trim_end_matches([' ', '\t', '\r'])
        };
        out.push_str(line);
    }
    out
}

/// Minifies a stylesheet with minify-html's CSS minifier (the one it uses for `<style>`).
/// Returns the input unchanged if the result would not be a plain stylesheet again.
pub fn minify_css(css: &[u8]) -> Vec<u8> {
    let mut page = Vec::with_capacity(css.len() + 16);
    page.extend_from_slice(b"<style>");
    page.extend_from_slice(css);
    page.extend_from_slice(b"</style>");
    let mut cfg = minify_html::Cfg::new();
    cfg.minify_css = true;
    let out = minify_html::minify(&page, &cfg);
    match out
        .strip_prefix(b"<style>")
        .and_then(|o| o.strip_suffix(b"</style>"))
    {
        Some(inner) if !inner.is_empty() => inner.to_vec(),
        _ => css.to_vec(),
    }
}

/// Minifies a script with minify-html's JavaScript minifier (the one it uses for `<script>`),
/// as a classic script: names at the top level are kept. Returns the input unchanged if the
/// script could end the `<script>` element it is minified in, or if the result would not be a
/// plain script again.
pub fn minify_js(js: &[u8]) -> Vec<u8> {
    if js.windows(8).any(|w| w.eq_ignore_ascii_case(b"</script")) {
        return js.to_vec();
    }
    let mut page = Vec::with_capacity(js.len() + 32);
    page.extend_from_slice(b"<script>");
    page.extend_from_slice(js);
    page.extend_from_slice(b"</script>");
    let mut cfg = minify_html::Cfg::new();
    cfg.minify_js = true;
    let out = minify_html::minify(&page, &cfg);
    match out
        .strip_prefix(b"<script>")
        .and_then(|o| o.strip_suffix(b"</script>"))
    {
        Some(inner) if !inner.is_empty() => inner.to_vec(),
        _ => js.to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn squeezed_templates_lose_indentation_but_not_lines_tags_or_preformatted_text() {
        let template = "<ul>\n  {% for m in members %}\n    <li {% if m.on %}aria-current=\"page\"{% endif %}>{{ m.name }}</li>  \n  {% endfor %}\n</ul>\n<pre>\n  keep\n    this\n</pre>\n  <p>x</p>";
        let out = squeeze_template(template);
        assert_eq!(
            out,
            "<ul>\n{% for m in members %}\n<li {% if m.on %}aria-current=\"page\"{% endif %}>{{ m.name }}</li>\n{% endfor %}\n</ul>\n<pre>\n  keep\n    this\n</pre>\n<p>x</p>"
        );
        assert_eq!(out.lines().count(), template.lines().count());
    }

    #[test]
    fn the_built_in_script_is_minified_without_its_comments_and_keeps_its_strings() {
        for (file, kept) in [
            ("clusterpress.js", ["Your time: ", "Show all "]),
            ("directory.js", ["member-search", "card-title"]),
            ("search.js", ["search-q", "Nothing found. "]),
        ] {
            let source = crate::render::theme::embedded_static(file).expect("embedded");
            let out = String::from_utf8(minify_js(source)).expect("UTF-8");
            assert!(
                out.len() * 4 < source.len() * 3,
                "{file}: {} of {} bytes",
                out.len(),
                source.len()
            );
            if file == "clusterpress.js" {
                assert!(
                    !out.contains("progressive enhancement"),
                    "the opening comment is dropped"
                );
            }
            for text in kept {
                assert!(out.contains(text), "{file} keeps {text:?}");
            }
        }
        // A script that could close the element it is minified in is left alone.
        let odd = b"var s = \"</script>\"; // keep";
        assert_eq!(minify_js(odd), odd.to_vec());
    }
}
