//! The editing UI at `/admin/` (issue 22): Sveltia CMS, a git-based CMS that runs in the
//! browser and commits to the site's repository, so that it needs no server of ours.
//!
//! Every build of a site with `cms:` in `cluster.yaml` writes `/admin/index.html`, the CMS's
//! script (copied from `vendor/sveltia-cms/`, never loaded from elsewhere) and
//! `/admin/config.yml`, made from the content model: a collection per content folder and a
//! field per front-matter field, made from the collection's JSON Schema ([`crate::schema`]),
//! so that the form offers what `check` accepts: select boxes for kinds, countries and the
//! vocabulary, relations to members by slug, dates with or without time, lists, images into
//! `static/uploads/`, the required fields, and the site's languages.

use serde_json::{Map, Value, json};

use crate::config::cms::{Backend, Cms};
use crate::model::Site;
use crate::model::collection::{self, Collection, Visit};
use crate::schema::{self, Facts, MARKER};

/// The version of Sveltia CMS in `vendor/sveltia-cms/`.
pub const VERSION: &str = "0.221.1";

/// The CMS's script, as published.
const SCRIPT: &str = include_str!("../../vendor/sveltia-cms/sveltia-cms.js");
const LICENSE: &str = include_str!("../../vendor/sveltia-cms/LICENSE.txt");

/// Where uploaded images and files go, inside `static/`, and how pages name them.
const UPLOADS: &str = "uploads";

/// The files of `/admin/`, by output path, for a site with `cms:`.
pub fn admin_files(site: &Site) -> Vec<(String, Vec<u8>)> {
    let Some(cms) = &site.config.cms else {
        return Vec::new();
    };
    let script = SCRIPT
        .trim_end()
        .strip_suffix("//# sourceMappingURL=sveltia-cms.js.map")
        .unwrap_or(SCRIPT);
    vec![
        (
            "admin/index.html".into(),
            index_html(site, cms).into_bytes(),
        ),
        (
            "admin/config.yml".into(),
            config_yml(site, cms).into_bytes(),
        ),
        ("admin/sveltia-cms.js".into(), script.as_bytes().to_vec()),
        (
            "admin/sveltia-cms.LICENSE.txt".into(),
            LICENSE.as_bytes().to_vec(),
        ),
    ]
}

/// The servers the CMS talks to for `cms`: the host's API and, for GitHub, the sign-in
/// service.
pub fn connect_sources(cms: &Cms) -> Vec<String> {
    let mut out = match cms.backend {
        // The API, and the status page the CMS warns about outages from.
        Backend::Github => vec![
            "https://api.github.com".to_string(),
            "https://www.githubstatus.com".to_string(),
        ],
        Backend::Gitlab | Backend::Gitea => vec![
            cms.base_url
                .clone()
                .unwrap_or_else(|| cms.backend.default_server().to_string()),
        ],
    };
    if cms.backend == Backend::Github
        && let Some(auth) = &cms.base_url
    {
        out.push(auth.clone());
    }
    for o in &mut out {
        *o = origin(o);
    }
    out.dedup();
    out
}

/// `https://host/path` → `https://host`.
fn origin(url: &str) -> String {
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let host = rest.split(['/', '?', '#']).next().unwrap_or(rest);
            format!("{scheme}://{host}")
        }
        None => url.to_string(),
    }
}

/// The Content-Security-Policy of `/admin/`: scripts from the site only (the CMS's own, no
/// `eval`), and the host's API. The CMS sets styles inline, shows previews of images from
/// `blob:` and `data:` addresses and avatars from the host, takes its icon font from jsDelivr
/// (without it, icons show as words), and reads its UI in the editor's language and its
/// update notice from unpkg.com (data, never scripts: `script-src` stays `'self'`).
pub fn policy(cms: &Cms) -> String {
    let connect = connect_sources(cms).join(" ");
    format!(
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data: blob: https:; media-src 'self' blob:; \
         font-src 'self' https://cdn.jsdelivr.net; \
         connect-src 'self' blob: data: {connect} https://unpkg.com; \
         worker-src 'self' blob:; frame-src 'self' blob:; object-src 'none'; \
         base-uri 'self'; form-action 'self'"
    )
}

fn index_html(site: &Site, cms: &Cms) -> String {
    let title = crate::text::escape_html(&format!("Edit {}", site.config.name));
    let csp = crate::text::escape_html(&policy(cms));
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"robots\" content=\"noindex\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">\n\
         <title>{title}</title>\n\
         <link rel=\"cms-config-url\" type=\"application/yaml\" href=\"config.yml\">\n\
         </head>\n<body>\n<script src=\"sveltia-cms.js\"></script>\n</body>\n</html>\n"
    )
}

/// The CMS configuration as YAML.
pub fn config_yml(site: &Site, cms: &Cms) -> String {
    let value = config(site, cms);
    let yaml = serde_yaml::to_string(&value).unwrap_or_default();
    format!(
        "# Written by clusterpress {} from the content model on every build: edit cluster.yaml\n\
         # (`cms:`) and the content, not this file. Sveltia CMS {VERSION}; docs/editing.md.\n{yaml}",
        env!("CARGO_PKG_VERSION")
    )
}

/// The CMS configuration: the backend, the languages and a collection per content folder.
pub fn config(site: &Site, cms: &Cms) -> Value {
    let facts = Facts {
        languages: site
            .config
            .languages
            .iter()
            .map(|l| l.code.clone())
            .collect(),
        sectors: labels(site.config.vocabulary.sectors.as_ref()),
        capabilities: labels(site.config.vocabulary.capabilities.as_ref()),
        members: site.members.keys().cloned().collect(),
        funding: site.funding.keys().cloned().collect(),
    };
    let several = facts.languages.len() > 1;
    let mut backend = Map::new();
    backend.insert("name".into(), json!(cms.backend.name()));
    backend.insert("repo".into(), json!(cms.repo));
    backend.insert("branch".into(), json!(cms.branch));
    // Gitea's defaults point at gitea.com: its server and API are always written.
    let server = cms.base_url.clone().or_else(|| {
        (cms.backend == Backend::Gitea).then(|| cms.backend.default_server().to_string())
    });
    if let Some(base) = &server {
        backend.insert("base_url".into(), json!(base));
        if cms.backend == Backend::Gitea {
            backend.insert(
                "api_root".into(),
                json!(format!("{}/api/v1", base.trim_end_matches('/'))),
            );
        }
    }
    if let Some(id) = &cms.app_id {
        backend.insert("app_id".into(), json!(id));
        if cms.backend != Backend::Github {
            backend.insert("auth_type".into(), json!("pkce"));
        }
    }
    let folder = &cms.folder;
    let mut config = Map::new();
    config.insert("backend".into(), Value::Object(backend));
    config.insert(
        "app_title".into(),
        json!(format!("Edit {}", site.config.name)),
    );
    config.insert("site_url".into(), json!(site.config.base_url));
    config.insert("display_url".into(), json!(site.config.base_url));
    config.insert(
        "media_folder".into(),
        json!(format!("{folder}static/{UPLOADS}")),
    );
    config.insert("public_folder".into(), json!(format!("/{UPLOADS}")));
    // File names of new items are slugs as the site wants them: lower case ASCII.
    config.insert(
        "slug".into(),
        json!({ "encoding": "ascii", "clean_accents": true }),
    );
    config.insert(
        "output".into(),
        json!({ "omit_empty_optional_fields": true }),
    );
    if several {
        config.insert(
            "i18n".into(),
            json!({
                "structure": "multiple_files",
                "locales": facts.languages,
                "default_locale": facts.languages[0],
                "omit_default_locale_from_file_path": true,
            }),
        );
    }
    let home = schema::home(&facts);
    let mut collections = vec![json!({
        "name": "home",
        "label": "Home page",
        "i18n": several,
        "files": [{
            "i18n": several,
            "name": "home",
            "label": "Home page",
            "file": match several {
                true => format!("{folder}content/_index.{{{{locale}}}}.md"),
                false => format!("{folder}content/_index.md"),
            },
            "format": "yaml-frontmatter",
            "fields": fields_of(&home, several, true),
        }],
    })];
    struct Each<'a> {
        facts: &'a Facts,
        folder: &'a str,
        several: bool,
        out: &'a mut Vec<Value>,
    }
    impl Visit for Each<'_> {
        fn visit<C: Collection>(&mut self) {
            let schema = schema::collection::<C>(self.facts);
            let identifier = match schema["properties"].get("title") {
                Some(_) => "title",
                None => "name",
            };
            let mut c = json!({
                "name": C::KEY,
                "label": C::TITLE,
                "folder": format!("{}content/{}", self.folder, C::KEY),
                "extension": "md",
                "format": "yaml-frontmatter",
                "create": true,
                "identifier_field": identifier,
                "summary": format!("{{{{{identifier}}}}}"),
                "sortable_fields": [identifier],
                "fields": fields_of(&schema, self.several, true),
            });
            if self.several
                && let Some(map) = c.as_object_mut()
            {
                map.insert("i18n".into(), json!(true));
            }
            self.out.push(c);
        }
    }
    collection::each(&mut Each {
        facts: &facts,
        folder,
        several,
        out: &mut collections,
    });
    config.insert("collections".into(), Value::Array(collections));
    Value::Object(config)
}

/// The labels of a vocabulary list (its synonyms are for typing by hand, not for choosing).
fn labels(list: Option<&crate::terms::TermList>) -> Option<Vec<String>> {
    list.map(|l| l.labels().iter().map(|t| t.name.clone()).collect())
}

/// The CMS fields for the properties of an object schema, in the order the docs list them
/// (the schema's own order is A–Z), with the Markdown body last at the top level.
fn fields_of(schema: &Value, several: bool, top: bool) -> Vec<Value> {
    let Some(props) = schema.get("properties").and_then(Value::as_object) else {
        return Vec::new();
    };
    let required: Vec<&str> = (schema.get("required").and_then(Value::as_array))
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut out: Vec<Value> = props
        .iter()
        .filter(|(name, _)| *name != "extra")
        .filter_map(|(name, prop)| field(name, prop, required.contains(&name.as_str()), several))
        .collect();
    // In the order of the docs; fields they do not list after, A–Z; `draft` last.
    out.sort_by_key(|f| {
        let name = f["name"].as_str().unwrap_or_default().to_string();
        let rank = props.get(&name).map(written).and_then(|p| {
            let own = p.get("propertyOrder").and_then(Value::as_u64);
            // A group the docs list field by field (`location.city`): where its first is.
            let first = (p.get("properties").and_then(Value::as_object)).and_then(|fields| {
                (fields.values())
                    .filter_map(|f| written(f).get("propertyOrder").and_then(Value::as_u64))
                    .min()
            });
            own.or(first)
        });
        let rank = rank.unwrap_or(u64::MAX);
        (name == "draft", rank, name)
    });
    if top {
        let mut body = json!({
            "name": "body",
            "label": "Text",
            "widget": "markdown",
            "required": false,
            "hint": "The text of the page, in Markdown.",
        });
        if several && let Some(map) = body.as_object_mut() {
            map.insert("i18n".into(), json!(true));
        }
        out.push(body);
    }
    out
}

/// The schema without `null` among its types or alternatives: what a field holds when it is
/// written.
fn written(schema: &Value) -> Value {
    let mut s = schema.clone();
    if let Some(Value::Array(alternatives)) = s.get("anyOf") {
        let real: Vec<&Value> = alternatives
            .iter()
            .filter(|a| a.get("type") != Some(&json!("null")))
            .collect();
        if real.len() == 1 {
            let mut one = real[0].clone();
            if let (Some(m), Some(d)) = (one.as_object_mut(), s.get("description")) {
                m.insert("description".into(), d.clone());
            }
            s = one;
        }
    }
    if let Some(Value::Array(types)) = s.get("type") {
        let real: Vec<Value> = types.iter().filter(|t| *t != "null").cloned().collect();
        if real.len() == 1
            && let Some(m) = s.as_object_mut()
        {
            m.insert("type".into(), real[0].clone());
        }
    }
    if let Some(Value::Array(values)) = s.get("enum") {
        let real: Vec<Value> = values.iter().filter(|v| !v.is_null()).cloned().collect();
        if let Some(m) = s.as_object_mut() {
            m.insert("enum".into(), Value::Array(real));
        }
    }
    s
}

/// The values of an enumeration, written as `enum` or as `oneOf` constants and enums (as
/// `schemars` writes an enum some of whose values are documented), the default first.
fn choices(schema: &Value) -> Option<Vec<Value>> {
    let mut values: Vec<Value> = match (schema.get("enum"), schema.get("oneOf")) {
        (Some(Value::Array(values)), _) => values.clone(),
        (None, Some(Value::Array(alternatives))) => {
            let mut all = Vec::new();
            for a in alternatives {
                match (a.get("const"), a.get("enum")) {
                    (Some(c), _) => all.push(c.clone()),
                    (None, Some(Value::Array(e))) => all.extend(e.iter().cloned()),
                    _ => return None,
                }
            }
            all
        }
        _ => return None,
    };
    values.retain(|v| !v.is_null());
    if let Some(default) = schema.get("default")
        && let Some(at) = values.iter().position(|v| v == default)
    {
        let d = values.remove(at);
        values.insert(0, d);
    }
    (!values.is_empty()).then_some(values)
}

fn is(schema: &Value, t: &str) -> bool {
    schema.get("type") == Some(&json!(t))
}

/// `valid_through` → `Valid through`.
fn label(name: &str) -> String {
    let spaced = name.replace('_', " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => spaced,
    }
}

/// The CMS field for the property `name`.
fn field(name: &str, prop: &Value, required: bool, several: bool) -> Option<Value> {
    let s = written(prop);
    let marker = s
        .get(MARKER)
        .or_else(|| s.get("items").and_then(|i| i.get(MARKER)))
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let list = is(&s, "array");
    let items = s.get("items").map(written).unwrap_or(Value::Null);
    let mut f = Map::new();
    f.insert("name".into(), json!(name));
    f.insert("label".into(), json!(label(name)));
    if !required {
        f.insert("required".into(), json!(false));
    }
    if let Some(hint) = s.get("description").and_then(Value::as_str) {
        f.insert("hint".into(), json!(hint));
    }
    let mut text = false;
    let options = |values: Vec<Value>| -> Value { Value::Array(values) };
    match marker.as_str() {
        "member" | "organizer" => {
            f.insert("widget".into(), json!("relation"));
            f.insert("collection".into(), json!("members"));
            f.insert("value_field".into(), json!("{{slug}}"));
            f.insert("search_fields".into(), json!(["name"]));
            f.insert("display_fields".into(), json!(["name"]));
            if list {
                f.insert("multiple".into(), json!(true));
            }
        }
        "funding" => {
            f.insert("widget".into(), json!("relation"));
            f.insert("collection".into(), json!("funding"));
            f.insert("value_field".into(), json!("{{slug}}"));
            f.insert("search_fields".into(), json!(["title"]));
            f.insert("display_fields".into(), json!(["title"]));
        }
        "date" | "datetime" => {
            let date = json!({
                "widget": "datetime",
                "type": if marker == "date" { "date" } else { "datetime-local" },
                "format": if marker == "date" { "YYYY-MM-DD" } else { "YYYY-MM-DD HH:mm" },
            });
            if list {
                f.insert("widget".into(), json!("list"));
                let mut one = date;
                if let Some(m) = one.as_object_mut() {
                    m.insert("name".into(), json!(name));
                    m.insert("label".into(), json!(label(name)));
                }
                f.insert("field".into(), one);
            } else if let Some(m) = date.as_object() {
                f.extend(m.clone());
            }
        }
        "image" | "file" => {
            f.insert("widget".into(), json!(marker));
        }
        _ => {
            let values = choices(if list { &items } else { &s });
            match values {
                Some(values) => {
                    f.insert("widget".into(), json!("select"));
                    f.insert("options".into(), options(values));
                    if list {
                        f.insert("multiple".into(), json!(true));
                    }
                }
                None if list && is(&items, "object") => {
                    f.insert("widget".into(), json!("list"));
                    f.insert("fields".into(), json!(fields_of(&items, several, false)));
                }
                None if list => {
                    f.insert("widget".into(), json!("list"));
                }
                None if is(&s, "object") && s.get("properties").is_some() => {
                    f.insert("widget".into(), json!("object"));
                    f.insert("fields".into(), json!(fields_of(&s, several, false)));
                }
                None if is(&s, "object") => {
                    f.insert("widget".into(), json!("keyvalue"));
                }
                None if is(&s, "boolean") => {
                    f.insert("widget".into(), json!("boolean"));
                }
                None if is(&s, "integer") || is(&s, "number") => {
                    f.insert("widget".into(), json!("number"));
                    let int = is(&s, "integer");
                    f.insert(
                        "value_type".into(),
                        json!(if int { "int" } else { "float" }),
                    );
                }
                None => {
                    let long = marker == "text" || name == "summary" || name == "description";
                    f.insert("widget".into(), json!(if long { "text" } else { "string" }));
                    // A text another language may say differently (an organisation's name
                    // and a phone number it does not).
                    text = !matches!(
                        marker.as_str(),
                        "url" | "email" | "timezone" | "language" | "country"
                    ) && !matches!(name, "name" | "phone" | "postcode" | "reference");
                }
            }
        }
    }
    if several {
        f.insert("i18n".into(), json!(text));
    }
    Some(Value::Object(f))
}
