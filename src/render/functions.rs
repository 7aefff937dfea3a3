//! Functions and filters the templates can call, beyond Tera's own.

use std::sync::{Arc, Mutex, RwLock};

use tera::{Kwargs, State, Tera, TeraResult, Value};

use crate::config::Config;
use crate::images::library::{self, Library};
use crate::images::{Format, MAX_SIDE};
use crate::url::Urls;

/// The images `resize` reads: set by the renderer for the site it renders (see
/// [`super::theme::Theme::use_images`]).
pub type ImageSlot = Arc<RwLock<Arc<Images>>>;

/// The site's images as `resize` sees them, with the answers it gave: a member's logo is
/// asked for in the same size on thousands of pages.
#[derive(Default)]
pub struct Images {
    pub library: Arc<Library>,
    answers: Mutex<rustc_hash::FxHashMap<String, Value>>,
}

impl Images {
    pub fn new(library: Arc<Library>) -> Images {
        Images {
            library,
            answers: Mutex::default(),
        }
    }
}

/// Registers `url(path=...)`, which turns a site path into a link that honours the base path:
/// `{{ url(path="clusterpress.css") }}` → `/my-cluster/clusterpress.css`; the `slug` filter
/// (`"Lean & Six Sigma" | slug` → `lean-six-sigma`); `thousands` (`1200` → `1,200`, grouped as
/// the site's `language` writes numbers: `1.200` in German); `counted` (`{{ n | counted(one="member",
/// many="members") }}` → `1 member`, `1,200 members`: the plural rule in one place); and
/// `css_string`, which makes text a quoted CSS string, safe inside `<style>` (for running
/// headers of printed pages: `content: {{ site.name | css_string | safe }}`); `fill`, which
/// fills the `{name}` places of a string (`{{ t.jobs.apply_by | fill(date=j.label) }}`); and
/// the global `t`, the theme's strings in the site's language (`crate::i18n`).
pub fn register(tera: &mut Tera, config: &Config, images: &ImageSlot) {
    let slot = images.clone();
    let urls = config.urls.clone();
    tera.register_function(
        "resize",
        move |kwargs: Kwargs, _: &State| -> TeraResult<Value> {
            let images = slot.read().unwrap_or_else(|e| e.into_inner()).clone();
            let key = call_key(&kwargs);
            let answers = || images.answers.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(answer) = answers().get(&key) {
                return Ok(answer.clone());
            }
            let answer = resize(&images.library, &urls, &kwargs)
                .map_err(|e| tera::Error::message(format!("resize: {e}")))?;
            answers().insert(key, answer.clone());
            Ok(answer)
        },
    );
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

/// The arguments of a call, written out as the key of its answer: each name and value,
/// typed (`s` text, `n` number), without the formatting machinery (a page of logos makes
/// hundreds of calls, nearly all of them answered from the cache).
fn call_key(kwargs: &Kwargs) -> String {
    fn push(key: &mut String, v: &Value) {
        use std::fmt::Write;
        if let Some(s) = v.as_str() {
            key.push('s');
            key.push_str(s);
        } else if let Some(n) = v.as_i64() {
            let _ = write!(key, "n{n}");
        } else if let Some(items) = v.as_array() {
            key.push('[');
            for item in items {
                push(key, item);
                key.push(',');
            }
            key.push(']');
        } else {
            let _ = write!(key, "v{v}");
        }
    }
    let mut key = String::with_capacity(64);
    for (k, v) in kwargs.iter() {
        key.push_str(k.as_str().unwrap_or_default());
        key.push('=');
        push(&mut key, v);
        key.push('\0');
    }
    key
}

/// `resize(path=…, width=…, height=…, fit="contain"|"cover", widths=[…])`: an image of
/// `static/` made to fit a box, as Zola's `resize_image` and Hugo's `.Resize` do. `path` is
/// the file's path in `static/` or the address the site gives it (`member.logo`). The result
/// has the `url`, `width` and `height` of the image for the box (never enlarged), a `srcset`
/// (the same at twice the size for screens of high density, or one per width of `widths`,
/// for photos), and the source's `orig_width` and `orig_height`. Without `height`, only the
/// width counts. An SVG is drawn at any size: it is its own (cleaned) file, sized to the box.
fn resize(library: &Library, urls: &Urls, kwargs: &Kwargs) -> Result<Value, String> {
    let path: String = kwargs.must_get("path").map_err(|e| e.to_string())?;
    let width: u32 = kwargs.must_get("width").map_err(|e| e.to_string())?;
    let height: Option<u32> = kwargs.get("height").map_err(|e| e.to_string())?;
    let fit: Option<String> = kwargs.get("fit").map_err(|e| e.to_string())?;
    let widths: Option<Vec<u32>> = kwargs.get("widths").map_err(|e| e.to_string())?;
    let site_path = static_path(urls, &path);
    let source = library.inspect(&site_path)?;
    let height = height.unwrap_or(MAX_SIDE);
    let size = library::size_of(width, height, fit.as_deref().unwrap_or_default())?;
    let (file, w, h) = library.variant(&source, size);
    let mut srcset = String::new();
    let (w, h) = match source.format {
        // An SVG is drawn at any size: scaled up or down to the box.
        Format::Svg if source.width > 0 && source.height > 0 => {
            crate::images::scaled(source.width, source.height, size, true)
        }
        Format::Svg => (w, h),
        _ => {
            let sizes: Vec<(String, u32, u32)> = match &widths {
                Some(widths) => (widths.iter())
                    .filter(|&&wi| wi > 0 && wi <= MAX_SIDE)
                    .map(|&wi| {
                        let hi = (u64::from(height) * u64::from(wi) / u64::from(width)).max(1);
                        let size = library::Size {
                            width: wi,
                            height: (hi as u32).min(MAX_SIDE),
                            fit: size.fit,
                        };
                        library.variant(&source, size)
                    })
                    .collect(),
                None => {
                    let double = library::Size {
                        width: (width * 2).min(MAX_SIDE),
                        height: (height.saturating_mul(2)).min(MAX_SIDE),
                        fit: size.fit,
                    };
                    vec![(file.clone(), w, h), library.variant(&source, double)]
                }
            };
            let mut seen: Vec<u32> = Vec::new();
            let mut parts: Vec<String> = Vec::new();
            for (f, wi, _) in &sizes {
                if seen.contains(wi) {
                    continue;
                }
                seen.push(*wi);
                let descriptor = match &widths {
                    Some(_) => format!("{wi}w"),
                    None => format!("{}x", parts.len() + 1),
                };
                parts.push(format!("{} {descriptor}", urls.asset(f)));
            }
            if parts.len() > 1 {
                srcset = parts.join(", ");
            }
            (w, h)
        }
    };
    Ok(Value::from_serializable(&serde_json::json!({
        "url": urls.asset(&file),
        "width": w,
        "height": h,
        "srcset": srcset,
        "orig_width": source.width,
        "orig_height": source.height,
    })))
}

/// The path in `static/` of `path`, which may be the address the site gives the file.
fn static_path(urls: &Urls, path: &str) -> String {
    let rest = match path.starts_with('/') {
        true => urls.site_path_of(path).unwrap_or(path),
        false => path,
    };
    percent_encoding::percent_decode_str(rest.trim_start_matches('/'))
        .decode_utf8_lossy()
        .into_owned()
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
