//! Functions and filters the templates can call, beyond Tera's own.

use tera::{Kwargs, State, Tera, TeraResult};

use crate::config::Config;

/// Registers `url(path=...)`, which turns a site path into a link that honours the base path:
/// `{{ url(path="clusterpress.css") }}` → `/my-cluster/clusterpress.css`; the `slug` filter
/// (`"Lean & Six Sigma" | slug` → `lean-six-sigma`); `thousands` (`1200` → `1,200`, grouped as
/// the site's `language` writes numbers: `1.200` in German); `counted` (`{{ n | counted(one="member",
/// many="members") }}` → `1 member`, `1,200 members`: the plural rule in one place); and
/// `css_string`, which makes text a quoted CSS string, safe inside `<style>` (for running
/// headers of printed pages: `content: {{ site.name | css_string | safe }}`); `fill`, which
/// fills the `{name}` places of a string (`{{ t.jobs.apply_by | fill(date=j.label) }}`); and
/// the global `t`, the theme's strings in the site's language (`crate::i18n`).
pub fn register(tera: &mut Tera, config: &Config) {
    let urls = config.urls.clone();
    tera.register_function(
        "url",
        move |kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let path: String = kwargs.must_get("path")?;
            Ok(urls.link(&path))
        },
    );
    tera.register_filter("slug", |s: &str, _: Kwargs, _: &State| slug::slugify(s));
    tera.register_filter("css_string", |s: &str, _: Kwargs, _: &State| css_string(s));
    let locale = config.locale.clone();
    tera.register_filter("thousands", move |n: i64, _: Kwargs, _: &State| {
        let grouped = locale.grouped(n.unsigned_abs());
        if n < 0 {
            format!("-{grouped}")
        } else {
            grouped
        }
    });
    let locale = config.locale.clone();
    tera.register_filter(
        "counted",
        move |n: i64, kwargs: Kwargs, _: &State| -> TeraResult<String> {
            let forms: Option<tera::Value> = kwargs.get("forms")?;
            let forms = match forms {
                Some(f) => serde_json::to_value(f).unwrap_or_default(),
                None => {
                    let one: String = kwargs.must_get("one")?;
                    let many: String = kwargs.must_get("many")?;
                    serde_json::json!({ "one": format!("{{n}} {one}"), "other": format!("{{n}} {many}") })
                }
            };
            let counted = locale.counted(n.unsigned_abs(), &forms);
            Ok(if n < 0 {
                format!("-{counted}")
            } else {
                counted
            })
        },
    );
    // `{{ t.jobs.apply_by | fill(date=label) }}`: the `{name}` places of a string filled.
    tera.register_filter("fill", |s: &str, kwargs: Kwargs, _: &State| {
        let values: Vec<(String, String)> = kwargs
            .iter()
            .map(|(k, v)| {
                let v = match v.as_str() {
                    Some(s) => s.to_string(),
                    None => v.to_string(),
                };
                (k.to_string(), v)
            })
            .collect();
        let pairs: Vec<(&str, &str)> = values
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        crate::i18n::fill(s, &pairs)
    });
    // `{{ t.funding.lead | words }}`: a string of the tables escaped for HTML like any text,
    // except that apostrophes stay as typed (`Europe's`, not `Europe&#39;s`).
    tera.register_filter("words", |s: &str, _: Kwargs, _: &State| {
        tera::Value::safe_string(&crate::text::escape_html(s))
    });
    // `{{ item.language | language_name }}`: a language code's name in the site's language,
    // from CLDR, as written in a sentence (`de` → `German`, `Deutsch`, `allemand`); the code
    // in capitals if CLDR has none.
    let locale = config.locale.clone();
    tera.register_filter("language_name", move |code: &str, _: Kwargs, _: &State| {
        locale
            .language_in_text(code)
            .unwrap_or_else(|| code.to_uppercase())
    });
    // The theme's words in the site's language: `{{ t.nav.menu }}`.
    tera.global_context().insert("t", config.locale.table());
}

/// `text` as a double-quoted CSS string: quotes, backslashes and line breaks escaped, and `<`
/// written as an escape, so that the string can never close the `<style>` element it is in.
pub fn css_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            '<' | '>' | '&' | '\n' | '\r' | '\u{c}' => {
                out.push_str(&format!("\\{:x} ", c as u32));
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_strings_cannot_break_out_of_their_quotes_or_the_style_element() {
        // An escape ends at the space after it: two spaces are one escape and one space.
        assert_eq!(css_string("Acme & Söhne"), "\"Acme \\26  Söhne\"");
        assert_eq!(css_string("say \"hi\" \\o/"), "\"say \\\"hi\\\" \\\\o/\"");
        assert_eq!(
            css_string("</style><script>"),
            "\"\\3c /style\\3e \\3c script\\3e \""
        );
        assert_eq!(css_string("two\nlines"), "\"two\\a lines\"");
    }
}
