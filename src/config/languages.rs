//! The languages of a site (`languages:` in cluster.yaml): the first is the default, each
//! may have a name (for the language switcher), a date format and a fallback chain.
//!
//! ```yaml
//! languages:
//!   - de
//!   - code: fr
//!     name: Français
//!     date_format: "{day} {month} {year}"
//!     fallback: [de]
//!   - en
//! ```
//!
//! A site without `languages:` has the one language of `language:` (default English) and
//! keeps its URLs without a prefix.

use std::sync::Arc;

use serde_json::Value;

use crate::i18n::Locale;

use crate::content::front_matter::Seg;
use crate::diag::did_you_mean;
use crate::text::{Refusal, check_language};

/// One language of a site.
#[derive(Debug, Clone)]
pub struct Language {
    /// `de`, `fr`, `de-CH`: the prefix of its pages (`/de/`) and its `<html lang>`.
    pub code: String,
    /// How the language calls itself, for the switcher: `Deutsch`, `Français`.
    pub name: String,
    /// A date as the site wants it in this language (`{day}. {month} {year}`), instead of the
    /// theme's.
    pub date_format: Option<String>,
    /// The languages a text missing in this one is taken from, in order.
    pub fallback: Vec<String>,
    /// Its words and ways (set once the site's string tables are read).
    pub locale: Arc<Locale>,
}

impl Language {
    /// The order in which languages are looked for in a text of several: this one, its
    /// fallbacks, then the rest of `codes`.
    pub fn order<'a>(&'a self, codes: &'a [String]) -> Vec<&'a str> {
        let mut order: Vec<&str> = vec![self.code.as_str()];
        for c in self.fallback.iter().chain(codes) {
            if !order.contains(&c.as_str()) {
                order.push(c);
            }
        }
        order
    }
}

/// What `languages:` may say, for the JSON Schema (`parse` reads it by hand, for its
/// messages): a code, or a code with the rest.
#[derive(schemars::JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
pub(super) enum Shape {
    Code(String),
    Full {
        code: String,
        name: Option<String>,
        date_format: Option<String>,
        #[serde(default)]
        fallback: Vec<String>,
    },
}

/// The keys a language may have.
const KEYS: [&str; 4] = ["code", "name", "date_format", "fallback"];

/// The places a date format may have.
const DATE_PLACES: [&str; 3] = ["day", "month", "year"];

/// The languages of a site from `language:` and `languages:` (as YAML values); problems go
/// to `report` as (path, field, refusal).
pub(super) fn parse(
    language: Option<&str>,
    languages: Option<&Value>,
    report: &mut dyn FnMut(&[Seg<'_>], &str, Refusal),
) -> Vec<Language> {
    let one = |code: String| Language {
        name: self_name(&code),
        code,
        date_format: None,
        fallback: Vec::new(),
        locale: english(),
    };
    let single = match language.map(check_language) {
        None => None,
        Some(Ok(l)) => Some(l),
        Some(Err(r)) => {
            report(&[Seg::Key("language")], "language", r);
            None
        }
    };
    let Some(list) = languages else {
        return vec![one(single.unwrap_or_else(|| "en".into()))];
    };
    let entries = match list.as_array() {
        Some(a) if !a.is_empty() => a,
        _ => {
            report(
                &[Seg::Key("languages")],
                "languages",
                (
                    "`languages` must be a list of language codes".into(),
                    "write e.g. `languages: [de, fr, en]`; the first is the default".into(),
                ),
            );
            return vec![one(single.unwrap_or_else(|| "en".into()))];
        }
    };
    let mut out: Vec<Language> = Vec::new();
    let mut fallbacks: Vec<Option<(usize, Vec<String>)>> = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let at = [Seg::Key("languages"), Seg::Index(i)];
        let parsed = match entry {
            Value::String(code) => Some((code.trim().to_string(), None, None, None)),
            Value::Object(map) => {
                for key in map.keys().filter(|k| !KEYS.contains(&k.as_str())) {
                    let help = match did_you_mean(key, KEYS.iter().copied()) {
                        Some(best) => format!("did you mean `{best}`?"),
                        None => format!("a language may have {}", KEYS.join(", ")),
                    };
                    report(
                        &[Seg::Key("languages"), Seg::Index(i), Seg::Key(key)],
                        key,
                        (format!("unknown key `{key}`"), help),
                    );
                }
                match map.get("code").and_then(Value::as_str) {
                    Some(code) => Some((
                        code.trim().to_string(),
                        map.get("name"),
                        map.get("date_format"),
                        map.get("fallback"),
                    )),
                    None => {
                        report(
                            &at,
                            "code",
                            (
                                "this language has no `code`".into(),
                                "write e.g. `code: fr`".into(),
                            ),
                        );
                        None
                    }
                }
            }
            _ => {
                report(
                    &at,
                    "languages",
                    (
                        "a language is a code (`fr`) or a set of `code:`, `name:`, `date_format:` and `fallback:`".into(),
                        "write e.g. `- fr`".into(),
                    ),
                );
                None
            }
        };
        let Some((code, name, date_format, fallback)) = parsed else {
            continue;
        };
        let code = match check_language(&code) {
            Ok(c) => c,
            Err(r) => {
                report(&at, "languages", r);
                continue;
            }
        };
        if out.iter().any(|l| l.code == code) {
            report(
                &at,
                "languages",
                (
                    format!("`{code}` is listed twice"),
                    "list each language once".into(),
                ),
            );
            continue;
        }
        let text =
            |v: Option<&Value>, key: &str, report: &mut dyn FnMut(&[Seg<'_>], &str, Refusal)| {
                match v {
                    None => None,
                    Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
                    Some(_) => {
                        report(
                            &[Seg::Key("languages"), Seg::Index(i), Seg::Key(key)],
                            key,
                            (
                                format!("`{key}` must be a text"),
                                "write it on one line".into(),
                            ),
                        );
                        None
                    }
                }
            };
        let name = text(name, "name", report).unwrap_or_else(|| self_name(&code));
        let date_format = text(date_format, "date_format", report);
        if let Some(f) = &date_format
            && let Err(r) = check_date_format(f)
        {
            report(
                &[
                    Seg::Key("languages"),
                    Seg::Index(i),
                    Seg::Key("date_format"),
                ],
                "date_format",
                r,
            );
        }
        let chain = fallback.map(|v| match v {
            Value::String(s) => vec![s.trim().to_string()],
            Value::Array(a) => a
                .iter()
                .map(|c| c.as_str().unwrap_or("").trim().to_string())
                .collect(),
            _ => vec![String::new()],
        });
        fallbacks.push(chain.map(|c| (i, c)));
        out.push(Language {
            code,
            name,
            date_format,
            fallback: Vec::new(),
            locale: english(),
        });
    }
    if out.is_empty() {
        return vec![one(single.unwrap_or_else(|| "en".into()))];
    }
    if let Some(single) = &single
        && *single != out[0].code
    {
        report(
            &[Seg::Key("language")],
            "language",
            (
                format!(
                    "`language: {single}` is not the first of `languages`, which is the default"
                ),
                "leave out `language:`, or list its language first under `languages:`".into(),
            ),
        );
    }
    let codes: Vec<String> = out.iter().map(|l| l.code.clone()).collect();
    for (n, chain) in fallbacks.into_iter().enumerate() {
        let code = codes[n].clone();
        out[n].fallback = match chain {
            // By default a text missing in a language comes from the default language; one
            // missing in the default from the others, in order.
            None if n == 0 => codes[1..].to_vec(),
            None => vec![codes[0].clone()],
            Some((i, chain)) => {
                let mut kept = Vec::new();
                for c in chain {
                    let at = [Seg::Key("languages"), Seg::Index(i), Seg::Key("fallback")];
                    if c == code {
                        report(
                            &at,
                            "fallback",
                            (
                                format!("`{code}` cannot fall back on itself"),
                                "list the other languages its missing texts come from".into(),
                            ),
                        );
                    } else if !codes.contains(&c) {
                        let help = match did_you_mean(&c, codes.iter().map(String::as_str)) {
                            Some(best) => format!("did you mean `{best}`?"),
                            None => format!("the site's languages are {}", codes.join(", ")),
                        };
                        report(
                            &at,
                            "fallback",
                            (format!("`{c}` is not one of the site's languages"), help),
                        );
                    } else if !kept.contains(&c) {
                        kept.push(c);
                    }
                }
                kept
            }
        };
    }
    out
}

/// A placeholder until the language's own locale is read.
fn english() -> Arc<Locale> {
    static EN: std::sync::LazyLock<Arc<Locale>> =
        std::sync::LazyLock::new(|| Arc::new(Locale::new("en")));
    EN.clone()
}

/// How a language calls itself, from CLDR (`de` → `Deutsch`); the code if CLDR has no name.
fn self_name(code: &str) -> String {
    let name = crate::i18n::Locale::new(code).language_name(code);
    // A language's name starts with a capital in a list of languages to choose from.
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => code.to_string(),
    }
}

/// Checks that a date format names only `{day}`, `{month}` and `{year}`.
fn check_date_format(format: &str) -> Result<(), Refusal> {
    let mut rest = format;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            break;
        };
        let place = &after[..close];
        if !DATE_PLACES.contains(&place) {
            return Err((
                format!("`{{{place}}}` is not a part of a date"),
                "a date format may use {day}, {month} and {year}, e.g. `{day}. {month} {year}`"
                    .into(),
            ));
        }
        rest = &after[close + 1..];
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(language: Option<&str>, yaml: &str) -> (Vec<Language>, Vec<String>) {
        let value: Option<Value> = match yaml {
            "" => None,
            y => Some(serde_yaml::from_str(y).unwrap()),
        };
        let mut problems = Vec::new();
        let langs = parse(language, value.as_ref(), &mut |_, field, (m, h)| {
            problems.push(format!("{field}: {m} ({h})"))
        });
        (langs, problems)
    }

    #[test]
    fn one_language_by_default_and_from_language() {
        let (l, p) = parsed(None, "");
        assert_eq!((l.len(), l[0].code.as_str(), p.len()), (1, "en", 0));
        let (l, _) = parsed(Some("de"), "");
        assert_eq!(l[0].code, "de");
        assert_eq!(l[0].name, "Deutsch");
    }

    #[test]
    fn codes_names_formats_and_fallback_chains() {
        let (l, p) = parsed(
            None,
            "[de, {code: fr, name: Français (CH), date_format: '{day} {month} {year}', fallback: [en, de]}, en]",
        );
        assert!(p.is_empty(), "{p:?}");
        let codes: Vec<&str> = l.iter().map(|l| l.code.as_str()).collect();
        assert_eq!(codes, ["de", "fr", "en"]);
        assert_eq!(l[0].fallback, ["fr", "en"]);
        assert_eq!(l[1].fallback, ["en", "de"]);
        assert_eq!(l[2].fallback, ["de"]);
        assert_eq!(l[1].name, "Français (CH)");
        assert_eq!(l[2].name, "English");
        assert_eq!(l[1].date_format.as_deref(), Some("{day} {month} {year}"));
    }

    #[test]
    fn every_mistake_is_named() {
        let (_, p) = parsed(
            Some("en"),
            "[de, de, {code: fr, fallback: [xx, fr], date_fromat: x, date_format: '{dd}'}, 'Deutsch']",
        );
        let all = p.join("\n");
        for expected in [
            "`de` is listed twice",
            "`xx` is not one of the site's languages",
            "`fr` cannot fall back on itself",
            "unknown key `date_fromat` (did you mean `date_format`?)",
            "`{dd}` is not a part of a date",
            "`Deutsch` is not a language code",
            "`language: en` is not the first of `languages`",
        ] {
            assert!(all.contains(expected), "{expected} not in:\n{all}");
        }
    }
}
