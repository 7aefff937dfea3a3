//! A content file in one language of a site of several (issue 20).
//!
//! Any field may be written once, in the item's own language (`lang:`, default the site's),
//! or as a map of languages (`summary: {de: …, fr: …}`); a sibling file (`acme.fr.md`) holds
//! the fields and the body in one more language. For each language the site is built in,
//! [`in_language`] makes the document that language sees: maps resolved along the
//! language's fallback chain, the sibling's fields laid over the original's, and the
//! sibling's body if it has one. A document without any of these is left as it is, so that
//! its problems are found, with their lines, exactly as in a site of one language.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_yaml::{Mapping, Value};

use super::Document;
use super::front_matter::{self, Seg};
use crate::diag::{Diagnostic, Diagnostics};

/// The front matter of a document in one language, and where each top-level field came
/// from (for problems to be shown in the right file, at the right line).
#[derive(Debug, Clone)]
pub struct Resolved {
    pub value: Value,
    /// Top-level field → the translation it was taken from; absent: the original.
    origin: BTreeMap<String, Document>,
    /// The original document, for problems in its fields.
    original: Document,
}

impl Resolved {
    /// The document (original or translation) that top-level field `key` came from.
    pub fn source_of(&self, key: &str) -> &Document {
        self.origin.get(key).unwrap_or(&self.original)
    }
}

/// The languages a document's texts are shown in, on the pages of one language.
#[derive(Debug, Clone)]
pub struct TextLanguages {
    /// The language of the pages.
    pub page: String,
    /// The language the original is written in (`lang:`, or the site's default).
    pub written_in: String,
    /// Top-level fields shown in another language than `written_in`: taken from a map of
    /// languages or from a translation.
    pub fields: BTreeMap<String, String>,
}

/// The languages of a site and the one being built.
#[derive(Debug, Clone, Copy)]
pub struct Languages<'a> {
    /// Every language of the site, the default first.
    pub codes: &'a [String],
    /// The language being built.
    pub code: &'a str,
    /// Where a text missing in `code` comes from, in order.
    pub fallback: &'a [String],
}

/// Attaches each translation (`acme.fr.md`, for a language of the site) to the document it
/// translates (`acme.md`); a translation without one is an error.
pub fn attach(docs: Vec<Document>, codes: &[String]) -> (Vec<Document>, Diagnostics) {
    let mut diags = Diagnostics::new();
    let mut originals: Vec<Document> = Vec::with_capacity(docs.len());
    let mut translations: Vec<(String, Document)> = Vec::new();
    for doc in docs {
        match translation_of(&doc.name, codes) {
            Some((_, code)) => translations.push((code.to_string(), doc)),
            None => originals.push(doc),
        }
    }
    let index: BTreeMap<(String, String), usize> = originals
        .iter()
        .enumerate()
        .map(|(i, d)| ((d.collection.clone(), d.name.clone()), i))
        .collect();
    for (code, doc) in translations {
        let (base, _) = translation_of(&doc.name, codes).unwrap_or((&doc.name, ""));
        match index.get(&(doc.collection.clone(), base.to_string())) {
            Some(&i) => originals[i].translations.push((code, doc)),
            None => diags.push(
                Diagnostic::error(format!(
                    "a translation into `{code}` of `content/{}/{base}.md`, which does not exist",
                    doc.collection
                ))
                .in_file(&doc.path)
                .help(format!(
                    "name it after the file it translates (`{base}.{code}.md` beside `{base}.md`), or remove `.{code}` from its name to make it an item of its own"
                )),
            ),
        }
    }
    (originals, diags)
}

/// Puts `doc`, read again, in the place of its previous version among `originals`: an
/// original keeps the translations attached to it, a translation takes the place of the one
/// in its language. Returns the index of the original it is or translates, and the original
/// as it was; `None` (and nothing changed) when there was no previous version: a new file,
/// which only a whole build places.
pub fn replace(
    originals: &mut [Document],
    mut doc: Document,
    codes: &[String],
) -> Option<(usize, Document)> {
    let translation = translation_of(&doc.name, codes).map(|(b, c)| (b.to_string(), c.to_string()));
    let i = match &translation {
        Some((base, _)) => {
            (originals.iter()).position(|o| o.collection == doc.collection && &o.name == base)?
        }
        None => originals.iter().position(|o| o.path == doc.path)?,
    };
    let before = originals[i].clone();
    let original = &mut originals[i];
    match translation {
        Some((_, code)) => {
            let (_, slot) = original.translations.iter_mut().find(|(c, _)| *c == code)?;
            *slot = doc;
        }
        None => {
            doc.translations = std::mem::take(&mut original.translations);
            *original = doc;
        }
    }
    Some((i, before))
}

/// `acme.fr` → (`acme`, `fr`) if `fr` is one of `codes`.
fn translation_of<'n>(name: &'n str, codes: &'n [String]) -> Option<(&'n str, &'n str)> {
    let (base, code) = name.rsplit_once('.')?;
    let code = codes.iter().find(|c| c.as_str() == code)?;
    (!base.is_empty()).then_some((base, code.as_str()))
}

/// `doc` as language `lang.code` shows it (see the module's comment); problems of its
/// `lang:` field or translations are returned with it.
pub fn in_language(doc: &Document, lang: Languages<'_>) -> (Document, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let own = doc.translations.iter().find(|(c, _)| c == lang.code);
    let plain = || {
        let mut plain = doc.clone();
        plain.lang = Some(lang.codes[0].clone());
        plain.text_languages = Some(Arc::new(TextLanguages {
            page: lang.code.to_string(),
            written_in: lang.codes[0].clone(),
            fields: BTreeMap::new(),
        }));
        plain
    };
    if own.is_none() && !may_have_languages(doc.yaml_source().yaml, lang.codes) {
        return (plain(), problems);
    }
    let original = parse_value(doc, &mut problems);
    let Some(Value::Mapping(mut fields)) = original else {
        // Not a map of fields: reported as in a site of one language.
        return (plain(), problems);
    };
    // The language the original is written in.
    let written_in = match fields.remove("lang") {
        None => lang.codes[0].clone(),
        Some(Value::String(code)) if lang.codes.contains(&code) => code,
        Some(other) => {
            let shown = match &other {
                Value::String(s) => format!("`{s}`"),
                _ => "this".into(),
            };
            let src = doc.yaml_source();
            problems.push(
                Diagnostic::error(format!("{shown} is not one of the site's languages"))
                    .in_file(&doc.path)
                    .at(
                        doc.text.as_ref(),
                        front_matter::locate(src, &[Seg::Key("lang")]),
                    )
                    .field("lang")
                    .help(format!(
                        "write the language the file is written in: one of {}",
                        lang.codes.join(", ")
                    )),
            );
            lang.codes[0].clone()
        }
    };
    // The order in which languages are looked for: this one, its fallbacks, the original's.
    let mut order: Vec<&str> = vec![lang.code];
    order.extend(lang.fallback.iter().map(String::as_str));
    order.push(&written_in);
    order.extend(lang.codes.iter().map(String::as_str));
    let mut origin = BTreeMap::new();
    if let Some((_, translation)) = own {
        match parse_value(translation, &mut problems) {
            Some(Value::Mapping(over)) => {
                // A field a translation leaves empty (`social: {}`, as an editing UI writes
                // fields it does not translate) is not translated: the original's stays.
                let over = over
                    .into_iter()
                    .filter(|(_, v)| !v.is_null() && v.as_mapping().is_none_or(|m| !m.is_empty()));
                for (k, v) in over {
                    if let Some(key) = k.as_str() {
                        origin.insert(key.to_string(), translation.clone());
                    }
                    fields.insert(k, v);
                }
            }
            Some(Value::Null) | None => {}
            Some(_) => problems.push(
                Diagnostic::error("the front matter must be a set of `field: value` lines")
                    .in_file(&translation.path)
                    .help("write the translated fields one per line, e.g. `summary: …`"),
            ),
        }
    }
    // Which language each top-level text is shown in.
    let mut shown_in = BTreeMap::new();
    for (k, v) in &fields {
        let Some(key) = k.as_str() else { continue };
        let in_lang = match origin.contains_key(key) {
            true => Some(lang.code.to_string()),
            false => languages_map(v, lang.codes)
                .and_then(|map| {
                    order
                        .iter()
                        .find(|c| map.get(**c).is_some_and(|v| !v.is_null()))
                })
                .map(|c| c.to_string()),
        };
        if let Some(l) = in_lang {
            shown_in.insert(key.to_string(), l);
        }
    }
    // The address in each language is the site's business (see `slugs`), not the item's.
    fields.remove("slug");
    let mut value = Value::Mapping(fields);
    choose(&mut value, lang.codes, &order);
    // The body: the translation's if it has one, else the original's, in its language.
    let (mut shown, body_lang) = match own {
        Some((code, t)) if !t.body().trim().is_empty() => (t.clone(), code.clone()),
        _ => (doc.clone(), written_in.clone()),
    };
    shown.collection = doc.collection.clone();
    shown.name = doc.name.clone();
    shown.translations = Vec::new();
    shown.lang = Some(body_lang);
    shown.text_languages = Some(Arc::new(TextLanguages {
        page: lang.code.to_string(),
        written_in: written_in.clone(),
        fields: shown_in,
    }));
    let mut original = doc.clone();
    original.translations = Vec::new();
    shown.resolved = Some(Arc::new(Resolved {
        value,
        origin,
        original,
    }));
    (shown, problems)
}

/// The languages `doc` (an original, with its translations attached) is written in: its
/// own first, then each language a translation gives a body in, in the site's order.
pub fn languages_of(doc: &Document, codes: &[String]) -> Vec<String> {
    let own = written_in(doc, codes).unwrap_or_else(|| codes[0].clone());
    let mut langs = vec![own];
    for code in codes {
        let translated = doc
            .translations
            .iter()
            .any(|(c, t)| c == code && !t.body().trim().is_empty());
        if translated && !langs.contains(code) {
            langs.push(code.clone());
        }
    }
    langs
}

/// The text of top-level field `key` that `doc` (an original, with its translations) gives in
/// language `code` itself: from its translation file, or from a map of languages; not one
/// another language falls back on.
pub fn own_text(doc: &Document, key: &str, code: &str) -> Option<String> {
    let field = |d: &Document| -> Option<Value> {
        if !d.yaml_source().yaml.contains(key) {
            return None;
        }
        let value: Value = serde_yaml::from_str(d.yaml_source().yaml).ok()?;
        value.get(key).cloned()
    };
    let translated = doc
        .translations
        .iter()
        .find(|(c, _)| c == code)
        .and_then(|(_, t)| field(t));
    let in_code = |v: Value, plain_is_in_code: bool| match v {
        Value::String(s) if plain_is_in_code => Some(s),
        Value::Mapping(map) => map.get(code)?.as_str().map(str::to_string),
        _ => None,
    };
    match translated {
        Some(v) => in_code(v, true),
        None => in_code(
            field(doc)?,
            written_in(doc, std::slice::from_ref(&code.to_string())).is_some(),
        ),
    }
}

/// Checks a slug: the slug, or (message, help).
pub type SlugCheck = dyn Fn(&str) -> Result<String, (String, String)>;

/// The slug `doc` (an original, with its translations) gives itself in each language that
/// has one of its own (`slug: {fr: …}`, or `slug:` in its translation file, or a plain
/// `slug:` in the language it is written in), with a problem for each one that is not a
/// slug.
pub fn slugs_of(
    doc: &Document,
    codes: &[String],
    check: &SlugCheck,
) -> (BTreeMap<String, String>, Vec<Diagnostic>) {
    let mut out = BTreeMap::new();
    let mut problems = Vec::new();
    let field = |d: &Document| -> Option<Value> {
        if !d.yaml_source().yaml.contains("slug:") {
            return None;
        }
        let value: Value = serde_yaml::from_str(d.yaml_source().yaml).ok()?;
        value.get("slug").cloned()
    };
    let mut found: Vec<(String, String, &Document)> = Vec::new();
    if let Some(v) = field(doc) {
        match v {
            Value::String(s) => {
                let own = written_in(doc, codes).unwrap_or_else(|| codes[0].clone());
                found.push((own, s, doc));
            }
            Value::Mapping(map) => {
                for (k, v) in map {
                    if let (Some(k), Some(v)) = (k.as_str(), v.as_str())
                        && codes.iter().any(|c| c == k)
                    {
                        found.push((k.to_string(), v.to_string(), doc));
                    }
                }
            }
            _ => {}
        }
    }
    for (code, t) in &doc.translations {
        if let Some(Value::String(s)) = field(t) {
            found.push((code.clone(), s, t));
        }
    }
    for (code, slug, source) in found {
        match check(slug.trim()) {
            Ok(slug) => {
                out.insert(code, slug);
            }
            Err((message, help)) => problems.push(
                Diagnostic::error(message)
                    .in_file(&source.path)
                    .at(
                        source.text.as_ref(),
                        front_matter::locate(source.yaml_source_unresolved(), &[Seg::Key("slug")]),
                    )
                    .field("slug")
                    .help(help),
            ),
        }
    }
    (out, problems)
}

/// The language a document says it is written in (`lang:`), if it says one of `codes`.
fn written_in(doc: &Document, codes: &[String]) -> Option<String> {
    if !doc.yaml_source().yaml.contains("lang:") {
        return None;
    }
    let value: Value = serde_yaml::from_str(doc.yaml_source().yaml).ok()?;
    let code = value.get("lang")?.as_str()?;
    codes.iter().find(|c| c.as_str() == code).cloned()
}

/// Whether front matter may hold a `lang:` field or a map of languages: a cheap look at its
/// lines, so that most files need no second reading.
fn may_have_languages(yaml: &str, codes: &[String]) -> bool {
    yaml.lines().any(|line| {
        let t = line.trim_start().trim_start_matches("- ");
        t.starts_with("lang:")
            || t.starts_with("slug:")
            || codes.iter().any(|c| {
                t.strip_prefix(c.as_str())
                    .is_some_and(|rest| rest.trim_start().starts_with(':'))
            })
            || codes
                .iter()
                .any(|c| line.contains(&format!("{{{c}:")) || line.contains(&format!("{{ {c}:")))
    })
}

/// The front matter of `doc` as a YAML value; a problem (reported again, with its line, when
/// the fields are read) leaves `None`.
fn parse_value(doc: &Document, _problems: &mut [Diagnostic]) -> Option<Value> {
    let yaml = doc.yaml_source().yaml;
    if yaml.trim().is_empty() {
        return Some(Value::Mapping(Mapping::new()));
    }
    serde_yaml::from_str(yaml).ok()
}

/// `value` as a map of languages, if it is one (a map whose keys are all the site's languages).
fn languages_map<'v>(value: &'v Value, codes: &[String]) -> Option<&'v Mapping> {
    let map = value.as_mapping()?;
    languages_map_of(map, codes).then_some(map)
}

/// Whether `map` is a map of languages: not empty, and every key one of `codes`.
fn languages_map_of(map: &Mapping, codes: &[String]) -> bool {
    !map.is_empty()
        && map
            .keys()
            .all(|k| k.as_str().is_some_and(|k| codes.iter().any(|c| c == k)))
}

/// Replaces every map of languages in `value` (a map whose keys are all languages of the
/// site) by its text in the first language of `order` it has.
fn choose(value: &mut Value, codes: &[String], order: &[&str]) {
    match value {
        Value::Mapping(map) => {
            if languages_map_of(map, codes) {
                let picked = order
                    .iter()
                    .find_map(|code| map.get(*code).filter(|v| !v.is_null()))
                    .cloned()
                    .unwrap_or(Value::Null);
                *value = picked;
                return;
            }
            for (_, v) in map.iter_mut() {
                choose(v, codes, order);
            }
        }
        Value::Sequence(items) => {
            for v in items {
                choose(v, codes, order);
            }
        }
        _ => {}
    }
}

/// Reads the fields of a document in one language into `T`; a problem is shown in the file
/// (original or translation) the field came from, at its line.
pub fn parse_resolved<T: serde::de::DeserializeOwned>(r: &Resolved) -> Result<T, Diagnostic> {
    serde_path_to_error::deserialize(&r.value).map_err(|e| {
        let segments: Vec<String> = e
            .path()
            .iter()
            .map(|s| match s {
                serde_path_to_error::Segment::Seq { index } => format!("[{index}]"),
                serde_path_to_error::Segment::Map { key } => key.clone(),
                serde_path_to_error::Segment::Enum { variant } => variant.clone(),
                serde_path_to_error::Segment::Unknown => String::new(),
            })
            .filter(|s| !s.is_empty())
            .collect();
        let path: Vec<Seg<'_>> = segments
            .iter()
            .map(
                |s| match s.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
                    Some(i) => Seg::Index(i.parse().unwrap_or(0)),
                    None => Seg::Key(s),
                },
            )
            .collect();
        let top = segments.first().map(String::as_str).unwrap_or("");
        let source = r.source_of(top);
        let src = source.yaml_source_unresolved();
        let message = front_matter::friendly_types(&e.inner().to_string());
        let field = segments.join(".").replace(".[", "[");
        let mut d = Diagnostic::error(message)
            .in_file(&source.path)
            .at(source.text.as_ref(), front_matter::locate(src, &path));
        if !field.is_empty() {
            d = d.field(field);
        }
        d
    })
}

/// What is not translated of one language's content (`check`).
#[derive(Debug, Clone, Default)]
pub struct LanguageReport {
    pub code: String,
    /// Content files (originals).
    pub items: usize,
    /// Files with at least one text not translated into this language.
    pub untranslated_items: usize,
    /// Texts not translated into this language, over all files.
    pub untranslated_texts: usize,
    /// Each file with texts not translated, and those texts (`summary`, `body`).
    pub missing: Vec<(std::path::PathBuf, Vec<String>)>,
}

/// The fields whose plain text a translation is expected to give (besides the body and any
/// field written as a map of languages); names, addresses and the like are not translated.
const TEXT_FIELDS: [&str; 4] = ["title", "summary", "description", "lead"];

/// What is not translated of the content `originals` (with their translations attached),
/// for each of the site's languages `codes`.
pub fn report(originals: &[Document], codes: &[String]) -> Vec<LanguageReport> {
    let mut reports: Vec<LanguageReport> = codes
        .iter()
        .map(|c| LanguageReport {
            code: c.clone(),
            items: originals.len(),
            ..Default::default()
        })
        .collect();
    for doc in originals {
        let fields = serde_yaml::from_str::<Value>(doc.yaml_source().yaml)
            .ok()
            .and_then(|v| match v {
                Value::Mapping(m) => Some(m),
                _ => None,
            })
            .unwrap_or_default();
        let own = match fields.get("lang").and_then(Value::as_str) {
            Some(code) if codes.iter().any(|c| c == code) => code.to_string(),
            _ => codes[0].clone(),
        };
        for r in &mut reports {
            let code = r.code.as_str();
            let translation = doc
                .translations
                .iter()
                .find(|(c, _)| c == code)
                .map(|(_, t)| t);
            let overridden: Vec<String> = translation
                .and_then(|t| serde_yaml::from_str::<Value>(t.yaml_source().yaml).ok())
                .and_then(|v| v.as_mapping().cloned())
                .map(|m| {
                    m.keys()
                        .filter_map(|k| k.as_str().map(String::from))
                        .collect()
                })
                .unwrap_or_default();
            let mut missing = Vec::new();
            for (key, value) in &fields {
                let Some(key) = key.as_str() else { continue };
                if key == "lang" || overridden.iter().any(|o| o == key) {
                    continue;
                }
                let plain_text = TEXT_FIELDS.contains(&key) && value.is_string();
                if plain_text && own != code {
                    missing.push(key.to_string());
                }
                maps_lacking(value, key, codes, code, &mut missing);
            }
            let body_translated =
                own == code || translation.is_some_and(|t| !t.body().trim().is_empty());
            if !doc.body().trim().is_empty() && !body_translated {
                missing.push("body".into());
            }
            if !missing.is_empty() {
                r.untranslated_items += 1;
                r.untranslated_texts += missing.len();
                r.missing.push((doc.path.clone(), missing));
            }
        }
    }
    reports
}

/// The maps of languages in `value` (at `path`) that lack `code`.
fn maps_lacking(value: &Value, path: &str, codes: &[String], code: &str, out: &mut Vec<String>) {
    match value {
        Value::Mapping(map) => {
            if languages_map_of(map, codes) {
                if map.get(code).is_none_or(|v| v.is_null()) {
                    out.push(path.to_string());
                }
                return;
            }
            for (k, v) in map {
                if let Some(k) = k.as_str() {
                    maps_lacking(v, &format!("{path}.{k}"), codes, code, out);
                }
            }
        }
        Value::Sequence(items) => {
            for (i, v) in items.iter().enumerate() {
                maps_lacking(v, &format!("{path}[{i}]"), codes, code, out);
            }
        }
        _ => {}
    }
}
