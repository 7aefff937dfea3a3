//! JSON Schemas (draft-07, the version editors' YAML language servers read) of the files a
//! site is written in: `cluster.yaml`, the vocabulary file, the home page and the front matter
//! of each collection (issue 22).
//!
//! They are derived, never written by hand: the shapes from the very structs the loader reads
//! front matter into (`schemars` reads their serde attributes: field names, defaults, unknown
//! fields refused), the descriptions from the field tables of the reference docs
//! ([`docs`]), and the values a field may take from the site itself ([`Facts`]): its
//! languages, its vocabulary, its members. A field of a raw struct says what it holds with
//! `#[schemars(extend("x-clusterpress" = "…"))]` (`member`, `date`, `terms:sectors` …); the
//! marker stays in the schema, where the CMS configuration (`crate::cms`) reads it too.

pub(crate) mod docs;

use std::path::Path;

use schemars::JsonSchema;
use schemars::generate::SchemaSettings;
use serde_json::{Map, Value, json};

use crate::model::collection::{self, Collection, Visit};
use crate::model::member::MemberKind;

/// The keyword the raw structs mark their fields with.
pub const MARKER: &str = "x-clusterpress";

/// What the schemas take from the site itself.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// The site's languages, the default first; one language: no language maps.
    pub languages: Vec<String>,
    /// The labels and synonyms of the vocabulary's sectors, if it has a list of them.
    pub sectors: Option<Vec<String>>,
    /// The same for capabilities (which `needs` use too).
    pub capabilities: Option<Vec<String>>,
    /// The slugs of the members, former ones included (past items name them).
    pub members: Vec<String>,
    /// The slugs of the funding opportunities, which projects name.
    pub funding: Vec<String>,
}

/// One schema and the file it is written to.
#[derive(Debug, Clone)]
pub struct Schema {
    /// `members`, `cluster`, `home`, `members.translation`.
    pub key: String,
    /// The files it describes, as a glob from the site folder: `content/members/*.md`.
    pub files: String,
    pub value: Value,
}

impl Schema {
    /// `members.schema.json`.
    pub fn file_name(&self) -> String {
        format!("{}.schema.json", self.key)
    }
}

/// The schema of a collection's front matter for one language, before the site's languages
/// are added: what the CMS makes its fields from.
pub(crate) fn collection<C: Collection>(facts: &Facts) -> Value {
    shaped::<C::Raw>(
        C::KEY,
        &format!("{} (content/{}/)", C::TITLE, C::KEY),
        facts,
    )
}

/// Every schema of the site: `cluster.yaml`, `vocabulary.yaml`, the home page, each
/// collection, and in a site of several languages each collection's translation files.
pub fn all(facts: &Facts) -> Vec<Schema> {
    let several = facts.languages.len() > 1;
    let mut out = vec![
        Schema {
            key: "cluster".into(),
            files: "cluster.yaml".into(),
            value: shaped::<crate::config::RawConfigShape>("cluster", "cluster.yaml", facts),
        },
        Schema {
            key: "vocabulary".into(),
            files: "vocabulary.yaml".into(),
            value: shaped::<crate::config::RawVocabularyShape>(
                "vocabulary",
                "The vocabulary file (vocabulary.yaml)",
                facts,
            ),
        },
    ];
    let home =
        shaped::<crate::model::page::RawHome>("home", "The home page (content/_index.md)", facts);
    push_with_translations(&mut out, "home", "content/_index.md", home, facts, several);
    struct Each<'a> {
        facts: &'a Facts,
        out: Vec<Schema>,
        several: bool,
    }
    impl Visit for Each<'_> {
        fn visit<C: Collection>(&mut self) {
            let value = collection::<C>(self.facts);
            let files = match C::KEY {
                "pages" => "content/pages/**/*.md".to_string(),
                key => format!("content/{key}/*.md"),
            };
            push_with_translations(
                &mut self.out,
                C::KEY,
                &files,
                value,
                self.facts,
                self.several,
            );
        }
    }
    let mut each = Each {
        facts,
        out: Vec::new(),
        several,
    };
    collection::each(&mut each);
    out.extend(each.out);
    out
}

/// The schema of the home page's front matter for one language.
pub(crate) fn home(facts: &Facts) -> Value {
    shaped::<crate::model::page::RawHome>("home", "The home page (content/_index.md)", facts)
}

fn push_with_translations(
    out: &mut Vec<Schema>,
    key: &str,
    files: &str,
    value: Value,
    facts: &Facts,
    several: bool,
) {
    if !several {
        out.push(Schema {
            key: key.into(),
            files: files.into(),
            value,
        });
        return;
    }
    out.push(Schema {
        key: key.into(),
        files: files.into(),
        value: in_languages(&value, &facts.languages, false),
    });
    out.push(Schema {
        key: format!("{key}.translation"),
        files: files.replace("*.md", "*.LANG.md"),
        value: in_languages(&value, &facts.languages, true),
    });
}

/// The draft-07 schema of `T`, with the docs' descriptions and the site's values.
fn shaped<T: JsonSchema>(key: &str, title: &str, facts: &Facts) -> Value {
    let mut settings = SchemaSettings::draft07();
    settings.inline_subschemas = true;
    let mut value = settings
        .into_generator()
        .into_root_schema_for::<T>()
        .to_value();
    let page = docs::page_for(key);
    forget_descriptions(&mut value);
    // A vocabulary file holds what `vocabulary:` in cluster.yaml may.
    let mut path = match key {
        "vocabulary" => vec!["vocabulary".to_string()],
        _ => Vec::new(),
    };
    refine(&mut value, &mut path, &page, facts);
    if let Some(top) = value.as_object_mut() {
        top.insert("title".into(), json!(title));
        top.insert(
            "description".into(),
            json!(format!(
                "Generated by `clusterpress schema` from the content model and the docs ({}); \
                 regenerate it after changing the vocabulary, the languages or the members.",
                doc_file(key)
            )),
        );
    }
    value
}

fn doc_file(key: &str) -> String {
    match key {
        "cluster" | "vocabulary" => "docs/configuration.md".into(),
        "home" => "docs/pages.md".into(),
        key => format!("docs/{key}.md"),
    }
}

/// Drops the descriptions `schemars` took from the code's doc comments, which are written for
/// programmers; the docs' words replace them.
fn forget_descriptions(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            map.remove("description");
            for (key, sub) in map.iter_mut() {
                match (key.as_str(), sub) {
                    // A map of fields by name: a field may be called `description`.
                    ("properties" | "definitions", Value::Object(fields)) => {
                        fields.values_mut().for_each(forget_descriptions)
                    }
                    (_, sub) => forget_descriptions(sub),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(forget_descriptions),
        _ => {}
    }
}

/// Describes each field at `path` from the docs and gives marked fields their values.
fn refine(value: &mut Value, path: &mut Vec<String>, page: &docs::Page, facts: &Facts) {
    let Some(map) = value.as_object_mut() else {
        return;
    };
    // The file itself is described by `shaped`.
    let root = map.contains_key("$schema");
    if !path.is_empty() && !root {
        let keys: Vec<&str> = path.iter().map(String::as_str).collect();
        if let Some(text) = describe(page, &keys, map) {
            map.insert("description".into(), json!(text));
        }
        // The order of the docs, for forms (the fields themselves are kept A–Z).
        if let Some(rank) = page.rank(&keys) {
            map.insert("propertyOrder".into(), json!(rank));
        }
    }
    if let Some(values) = map
        .get(MARKER)
        .and_then(Value::as_str)
        .and_then(|marker| values_of(marker, facts))
    {
        give_values(map, values);
    }
    if let Some(Value::Object(props)) = map.get_mut("properties") {
        for (key, sub) in props.iter_mut() {
            path.push(key.clone());
            refine(sub, path, page, facts);
            path.pop();
        }
    }
    for alternatives in ["anyOf", "oneOf"] {
        if let Some(Value::Array(subs)) = map.get_mut(alternatives) {
            for sub in subs {
                refine_inner(sub, path, page, facts);
            }
        }
    }
    if let Some(items) = map.get_mut("items") {
        refine_inner(items, path, page, facts);
    }
    if let Some(Value::Object(_)) = map.get("additionalProperties")
        && let Some(sub) = map.get_mut("additionalProperties")
    {
        refine_inner(sub, path, page, facts);
    }
}

/// The docs' words for the field at `path`. A group of fields the docs describe one by one
/// (`location.city`, …) is described by naming them; the lists of a vocabulary file by the
/// row of `vocabulary`.
fn describe(page: &docs::Page, path: &[&str], schema: &Map<String, Value>) -> Option<String> {
    if let Some(text) = page.describe(path) {
        return Some(text);
    }
    if let Some(Value::Object(fields)) = schema.get("properties") {
        let names: Vec<String> = fields.keys().map(|k| format!("`{k}`")).collect();
        return Some(format!("A group of fields: {}.", names.join(", ")));
    }
    match path {
        ["vocabulary", _] => page.describe(&path[..1]),
        _ => None,
    }
}

/// [`refine`] for a schema at the same path as its parent (a list's items, one of several
/// shapes): its own fields are described, not itself.
fn refine_inner(value: &mut Value, path: &mut Vec<String>, page: &docs::Page, facts: &Facts) {
    let Some(map) = value.as_object_mut() else {
        return;
    };
    let mut own = Value::Object(std::mem::take(map));
    let had = own.get("description").cloned();
    refine(&mut own, path, page, facts);
    if let Value::Object(mut refined) = own {
        match had {
            Some(d) => refined.insert("description".into(), d),
            None => refined.remove("description"),
        };
        *map = refined;
    }
}

/// The values a marked field may take on this site; `None` for any text.
fn values_of(marker: &str, facts: &Facts) -> Option<Vec<String>> {
    let nonempty = |v: &Vec<String>| (!v.is_empty()).then(|| v.clone());
    match marker {
        "member" => nonempty(&facts.members),
        "organizer" => nonempty(&facts.members).map(|mut v| {
            v.insert(0, "cluster".into());
            v
        }),
        "funding" => nonempty(&facts.funding),
        "terms:sectors" => facts.sectors.as_ref().and_then(nonempty),
        "terms:capabilities" => facts.capabilities.as_ref().and_then(nonempty),
        "country" => Some(countries()),
        "member-type" => Some(
            MemberKind::ALL
                .iter()
                .map(|k| k.key().to_string())
                .collect(),
        ),
        _ => None,
    }
}

/// Every ISO 3166-1 alpha-2 code, A–Z.
pub fn countries() -> Vec<String> {
    let mut codes: Vec<String> = (celes::Country::get_countries().iter())
        .map(|c| c.alpha2.to_string())
        .collect();
    codes.sort();
    codes.dedup();
    codes
}

/// Puts `values` as the `enum` of a text field, or of a list's items.
fn give_values(map: &mut Map<String, Value>, values: Vec<String>) {
    let is = |m: &Map<String, Value>, t: &str| match m.get("type") {
        Some(Value::String(s)) => s == t,
        Some(Value::Array(a)) => a.iter().any(|x| x == t),
        _ => false,
    };
    let target = if is(map, "array") {
        match map.get_mut("items").and_then(Value::as_object_mut) {
            Some(items) => items,
            None => return,
        }
    } else {
        map
    };
    let mut list: Vec<Value> = values.into_iter().map(Value::String).collect();
    if is(target, "null") {
        list.push(Value::Null);
    }
    target.insert("enum".into(), Value::Array(list));
}

/// The schema of a file in a site of several languages: any field may be a map of languages
/// (`summary: {de: …, fr: …}`); the original may say its language (`lang:`) and any file its
/// address in each language (`slug:`). A translation (`acme.fr.md`) requires nothing.
fn in_languages(value: &Value, codes: &[String], translation: bool) -> Value {
    let mut out = value.clone();
    let Some(top) = out.as_object_mut() else {
        return out;
    };
    let code_names = json!({ "enum": codes });
    let mut defs = Map::new();
    if let Some(Value::Object(props)) = top.get_mut("properties") {
        for (key, field) in props.iter_mut() {
            if key != "draft" && key != "extra" {
                any_in_languages(field, key, &code_names, &mut defs);
            }
        }
        let slug = json!({
            "description": "The item's address in this language, instead of the one made from the file name (docs/languages.md).",
            "anyOf": [
                { "type": "string" },
                { "type": "object", "propertyNames": code_names.clone(), "additionalProperties": { "type": "string" } }
            ]
        });
        props.insert("slug".into(), slug);
        if !translation {
            props.insert(
                "lang".into(),
                json!({
                    "description": "The language the file is written in (default: the site's first language).",
                    "enum": codes,
                }),
            );
        }
    }
    top.insert("definitions".into(), Value::Object(defs));
    if translation {
        top.remove("required");
        if let Some(Value::String(title)) = top.get_mut("title") {
            title.push_str(", a translation");
        }
    }
    out
}

/// Lets the field `schema` describes (at `path`), and every value inside it, be a map of
/// languages, which the loader resolves at any depth (`products[0].description: {de: …}`).
/// The field's own shape goes into `definitions`, named by its path, so that the schema
/// grows with the number of fields, not with their depth.
fn any_in_languages(
    schema: &mut Value,
    path: &str,
    code_names: &Value,
    defs: &mut Map<String, Value>,
) {
    inside_in_languages(schema, path, code_names, defs);
    let Some(map) = schema.as_object_mut() else {
        return;
    };
    let description = map.remove("description");
    let mut name = path.to_string();
    while defs.contains_key(&name) {
        name.push('_');
    }
    defs.insert(name.clone(), Value::Object(std::mem::take(map)));
    let one = json!({ "$ref": format!("#/definitions/{name}") });
    map.insert(
        "anyOf".into(),
        json!([
            one.clone(),
            {
                "type": "object",
                "propertyNames": code_names,
                "additionalProperties": one,
                "minProperties": 1,
            }
        ]),
    );
    if let Some(d) = description {
        map.insert("description".into(), d);
    }
}

/// [`any_in_languages`] for the fields, items and shapes of `schema`, not for itself.
fn inside_in_languages(
    schema: &mut Value,
    path: &str,
    code_names: &Value,
    defs: &mut Map<String, Value>,
) {
    let Some(map) = schema.as_object_mut() else {
        return;
    };
    if let Some(Value::Object(props)) = map.get_mut("properties") {
        for (key, field) in props.iter_mut() {
            let at = match path {
                "" => key.clone(),
                _ => format!("{path}.{key}"),
            };
            any_in_languages(field, &at, code_names, defs);
        }
    }
    // Names that need no escaping in a `$ref`'s URI fragment.
    for (key, suffix) in [("items", ".items"), ("additionalProperties", ".values")] {
        if let Some(sub @ Value::Object(_)) = map.get_mut(key) {
            any_in_languages(sub, &format!("{path}{suffix}"), code_names, defs);
        }
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(Value::Array(shapes)) = map.get_mut(key) {
            for (i, shape) in shapes.iter_mut().enumerate() {
                inside_in_languages(shape, &format!("{path}.{key}{i}"), code_names, defs);
            }
        }
    }
}

/// Reads what the schemas need from the site at `dir`: its configuration (languages,
/// vocabulary) and the file names of its members and funding opportunities. Problems with
/// the configuration leave those parts out; `check` reports them.
pub fn facts(dir: &Path) -> Facts {
    let mut facts = Facts::default();
    if let Ok((config, _)) = crate::config::load(dir, &crate::config::Overrides::default()) {
        facts.languages = config.languages.iter().map(|l| l.code.clone()).collect();
        let spellings = |list: &Option<crate::terms::TermList>| {
            list.as_ref()
                .map(|l| l.spellings().map(str::to_string).collect())
        };
        facts.sectors = spellings(&config.vocabulary.sectors);
        facts.capabilities = spellings(&config.vocabulary.capabilities);
    }
    facts.members = slugs_in(dir, "members", &facts.languages);
    facts.funding = slugs_in(dir, "funding", &facts.languages);
    facts
}

/// The slugs of the items of `content/<folder>/`, translations left out, A–Z.
fn slugs_in(dir: &Path, folder: &str, languages: &[String]) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir.join("content").join(folder)) else {
        return Vec::new();
    };
    let mut slugs: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let stem = name.strip_suffix(".md")?.to_string();
            let translation = stem
                .rsplit_once('.')
                .is_some_and(|(_, code)| languages.iter().any(|l| l == code));
            (!stem.starts_with(['_', '.']) && !translation).then_some(stem)
        })
        .collect();
    slugs.sort();
    slugs
}
