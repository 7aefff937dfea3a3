//! `clusterpress schema`: the JSON Schemas editors are given agree with what `check` accepts.
//! Every file of the example sites validates against its schema (checked with the
//! `jsonschema` crate, a draft-07 validator), and every field `check` refuses for its name,
//! type or value list in the invalid fixtures, the schema refuses too, at the same place.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::invalid::{cases, site_for};
use crate::support::{SiteTest, fixtures, repo, run_in};

/// The schemas `clusterpress schema` wrote for the site at `site`, by key.
struct Schemas {
    validators: BTreeMap<String, jsonschema::Validator>,
    languages: Vec<String>,
    raw: BTreeMap<String, Value>,
}

impl Schemas {
    fn of(site: &Path) -> Schemas {
        let out = tempfile::tempdir().unwrap();
        let dir = out.path().join("schemas");
        let run = run_in(
            &repo(),
            &[
                "schema",
                site.to_str().unwrap(),
                "-o",
                dir.to_str().unwrap(),
            ],
        );
        run.success();
        let mut validators = BTreeMap::new();
        let mut raw = BTreeMap::new();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let key = name.strip_suffix(".schema.json").unwrap().to_string();
            let value: Value =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            assert_eq!(
                value["$schema"], "http://json-schema.org/draft-07/schema#",
                "{name} is not draft-07"
            );
            let validator = jsonschema::draft7::new(&value)
                .unwrap_or_else(|e| panic!("{name} is not a valid schema: {e}"));
            validators.insert(key.clone(), validator);
            raw.insert(key, value);
        }
        let config: Value = yaml(&std::fs::read_to_string(site.join("cluster.yaml")).unwrap());
        let languages = match &config["languages"] {
            Value::Array(list) => list
                .iter()
                .map(|l| match l {
                    Value::String(code) => code.clone(),
                    other => other["code"].as_str().unwrap().to_string(),
                })
                .collect(),
            _ => Vec::new(),
        };
        Schemas {
            validators,
            languages,
            raw,
        }
    }

    /// The schema of a file of the site, by its path from the site folder.
    fn key_for(&self, rel: &str) -> String {
        if rel == "cluster.yaml" {
            return "cluster".into();
        }
        if rel.ends_with(".yaml") {
            return "vocabulary".into();
        }
        let mut parts = rel.split('/');
        assert_eq!(parts.next(), Some("content"));
        let first = parts.next().unwrap();
        let stem = rel.rsplit('/').next().unwrap().strip_suffix(".md").unwrap();
        let collection = if first.ends_with(".md") {
            "home"
        } else {
            first
        };
        let translation = stem
            .rsplit_once('.')
            .is_some_and(|(_, code)| self.languages.iter().any(|l| l == code));
        match translation {
            true => format!("{collection}.translation"),
            false => collection.to_string(),
        }
    }

    /// The places (JSON pointers) the schema of `rel` refuses in its front matter or YAML,
    /// with the reasons.
    fn errors(&self, site: &Path, rel: &str) -> Vec<(String, String)> {
        let text = std::fs::read_to_string(site.join(rel)).unwrap();
        let value = if rel.ends_with(".md") {
            yaml(front_matter(&text))
        } else {
            yaml(&text)
        };
        let key = self.key_for(rel);
        let validator = self
            .validators
            .get(&key)
            .unwrap_or_else(|| panic!("no schema `{key}` for {rel}"));
        validator
            .iter_errors(&value)
            .map(|e| (e.instance_path().as_str().to_string(), e.to_string()))
            .collect()
    }
}

fn yaml(text: &str) -> Value {
    serde_yaml::from_str::<Option<Value>>(text)
        .unwrap()
        .unwrap_or(Value::Null)
}

fn front_matter(text: &str) -> &str {
    let rest = text.strip_prefix("---\n").expect("front matter");
    let end = rest.find("\n---").expect("closed front matter");
    &rest[..end + 1]
}

/// Every `.md` file under `content/` and the YAML files beside `cluster.yaml`, as paths from
/// the site folder.
fn site_files(site: &Path) -> Vec<String> {
    let mut files: Vec<String> = walkdir::WalkDir::new(site.join("content"))
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| {
            e.path()
                .strip_prefix(site)
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    for yaml in ["cluster.yaml", "vocabulary.yaml"] {
        if site.join(yaml).is_file() {
            files.push(yaml.into());
        }
    }
    files.sort();
    files
}

fn every_file_validates(site: &Path) -> usize {
    let schemas = Schemas::of(site);
    let files = site_files(site);
    let refused: Vec<String> = files
        .iter()
        .flat_map(|rel| {
            (schemas.errors(site, rel).into_iter())
                .map(move |(at, why)| format!("{rel} {at}: {why}"))
        })
        .collect();
    assert!(
        refused.is_empty(),
        "the schemas refuse files that `check` accepts:\n{}",
        refused.join("\n")
    );
    files.len()
}

#[test]
fn every_file_of_the_trilingual_example_validates_against_its_schema() {
    let site = repo().join("example-site");
    let n = every_file_validates(&site);
    assert!(n > 100, "only {n} files");
    // The site's own values are in the schemas: its members, vocabulary and languages.
    let schemas = Schemas::of(&site);
    let members = schemas.raw["members"].to_string();
    assert!(members.contains("\"Medical technology\"") && members.contains("\"Medizintechnik\""));
    let lang = &schemas.raw["members"]["properties"]["lang"]["enum"];
    assert_eq!(lang, &serde_json::json!(["de", "fr", "en"]));
    let events = schemas.raw["events"].to_string();
    assert!(events.contains("\"achertal-digital\"") && events.contains("\"cluster\""));
    // A translation requires nothing: it may translate one field.
    assert!(
        schemas.raw["members"]["required"]
            .to_string()
            .contains("name")
    );
    assert!(schemas.raw["members.translation"].get("required").is_none());
}

#[test]
fn every_file_of_the_english_example_validates_against_its_schema() {
    let n = every_file_validates(&fixtures().join("example-en"));
    assert!(n > 50, "only {n} files");
}

#[test]
fn fields_are_described_in_the_words_of_the_docs() {
    let schemas = Schemas::of(&fixtures().join("example-en"));
    let members = &schemas.raw["members"];
    let employees = members["properties"]["employees"]["description"]
        .as_str()
        .unwrap();
    assert!(
        employees.contains("without quotes, dots or units"),
        "{employees}"
    );
    let city = members["properties"]["location"]["properties"]["city"]["description"]
        .as_str()
        .unwrap();
    assert!(city.contains("Freiburg"), "{city}");
    // Every field at the top of every collection has a description.
    let mut missing = Vec::new();
    for (key, schema) in &schemas.raw {
        for (field, value) in schema["properties"].as_object().unwrap() {
            if value.get("description").is_none() {
                missing.push(format!("{key}.{field}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "fields without a description: {missing:?}"
    );
}

/// What a diagnostic of `check` says, where.
struct Refusal {
    file: String,
    field: String,
    message: String,
}

/// The errors in an `expected.txt` that the schema must also make: a field's name, type,
/// or a value outside a fixed list (kinds, countries, members, funding).
fn schema_kind_of_errors(expected: &str) -> Vec<Refusal> {
    let mut out = Vec::new();
    let mut current: Option<(String, Option<String>)> = None;
    for line in expected.lines() {
        if let Some(message) = line.strip_prefix("error: ") {
            current = Some((message.to_string(), None));
        } else if let Some(at) = line.trim_start().strip_prefix("--> ") {
            if let Some((_, file)) = current.as_mut() {
                *file = Some(at.split(':').next().unwrap().to_string());
            }
        } else if let Some(field) = line.trim_start().strip_prefix("= field: ")
            && let Some((message, Some(file))) = current.take()
        {
            let schema_kind = ["unknown field", "expected ", "unknown value", "no member"]
                .iter()
                .any(|p| message.starts_with(p))
                || message.contains("is not an ISO 3166-1 country code")
                || message.contains("must be written in capitals")
                || message.contains("is written as a number")
                || message.starts_with("no funding opportunity");
            if schema_kind && !message.starts_with("and ") {
                out.push(Refusal {
                    file,
                    field: field.to_string(),
                    message,
                });
            }
        }
    }
    out
}

/// `location.countri` → `/location/countri`; `participants[3]` → `/participants/3`.
fn pointer(field: &str) -> String {
    let mut out = String::new();
    for part in field.split('.') {
        let (key, index) = match part.split_once('[') {
            Some((k, i)) => (k, Some(i.trim_end_matches(']'))),
            None => (part, None),
        };
        out.push('/');
        out.push_str(key);
        if let Some(i) = index {
            out.push('/');
            out.push_str(i);
        }
    }
    out
}

#[test]
fn the_schema_refuses_what_check_refuses_for_a_fields_name_type_or_value() {
    let mut compared = 0;
    let mut disagreements = Vec::new();
    for case in cases("invalid") {
        let Ok(expected) = std::fs::read_to_string(case.join("expected.txt")) else {
            continue;
        };
        let refusals = schema_kind_of_errors(&expected);
        if refusals.is_empty() {
            continue;
        }
        let (site, _) = site_for(&case);
        let schemas = Schemas::of(&site.root());
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        for r in refusals {
            let errors = schemas.errors(&site.root(), &r.file);
            // An unknown field is refused on the map that holds it.
            let at = match r.message.starts_with("unknown field") {
                true => pointer(&r.field)
                    .rsplit_once('/')
                    .map(|(parent, _)| parent.to_string())
                    .unwrap(),
                false => pointer(&r.field),
            };
            compared += 1;
            if !errors.iter().any(|(path, _)| *path == at) {
                disagreements.push(format!(
                    "{name}: check says `{}` at {} ({}), the schema says {:?}",
                    r.message, r.field, r.file, errors
                ));
            }
        }
    }
    assert!(compared >= 30, "only {compared} refusals compared");
    assert!(
        disagreements.is_empty(),
        "the schema does not refuse what check refuses:\n{}",
        disagreements.join("\n")
    );
}

#[test]
fn schema_writes_only_what_changed_and_removes_what_the_site_no_longer_has() {
    let site = SiteTest::base();
    let first = site.run(&["schema", "site"]);
    first.success();
    assert!(first.stdout.contains("0 unchanged"), "{}", first.stdout);
    let dir = site.root().join("schemas");
    assert!(dir.join("members.schema.json").is_file());
    assert!(dir.join("cluster.schema.json").is_file());
    std::fs::write(dir.join("members.translation.schema.json"), "{}").unwrap();
    let again = site.run(&["schema", "site"]);
    again.success();
    assert!(!dir.join("members.translation.schema.json").exists());
    let total = std::fs::read_dir(&dir).unwrap().count();
    assert!(
        again.stdout.contains(&format!("({total} unchanged)")),
        "{}",
        again.stdout
    );
    let nowhere = site.run(&["schema", "site/content"]);
    nowhere.failure(2).stderr_has("has no cluster.yaml");
}

#[test]
fn a_new_site_comes_with_its_schemas_named_where_editors_look_for_them() {
    let t = SiteTest::empty();
    run_in(t.dir.path(), &["new", "my-cluster"]).success();
    let site = t.dir.path().join("my-cluster");
    // VS Code's YAML extension: each schema named in the settings exists.
    let settings: Value =
        serde_json::from_str(&std::fs::read_to_string(site.join(".vscode/settings.json")).unwrap())
            .unwrap();
    let named = settings["yaml.schemas"].as_object().unwrap();
    assert!(
        named
            .values()
            .any(|files| files.to_string().contains("cluster.yaml"))
    );
    for schema in named.keys() {
        assert!(site.join(schema).is_file(), "{schema} is named but missing");
    }
    // Other editors with yaml-language-server read the line at the top of cluster.yaml.
    let config = std::fs::read_to_string(site.join("cluster.yaml")).unwrap();
    let first = config.lines().next().unwrap();
    let named = first
        .strip_prefix("# yaml-language-server: $schema=")
        .unwrap_or_else(|| panic!("first line: {first}"));
    assert!(site.join(named).is_file(), "{named}");
    // And the starter's own files are valid by them, the examples included.
    assert!(every_file_validates(&site) > 15);
}
