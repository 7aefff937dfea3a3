//! `cms init` and the editing UI every build then publishes at `/admin/`: its configuration
//! is valid by Sveltia CMS's own schema of it, lists every collection and every field the
//! content model has, and the files the CMS saves load without warnings. (Loading `/admin/`
//! in Chromium under its policy: tests/browser/cms.test.mjs.)

use std::collections::BTreeSet;

use serde_json::Value;

use crate::support::{SiteTest, repo, run_in};

fn yaml_file(path: &std::path::Path) -> Value {
    serde_yaml::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The site's JSON Schemas, by key.
fn schemas(site: &std::path::Path) -> serde_json::Map<String, Value> {
    let out = tempfile::tempdir().unwrap();
    run_in(
        &repo(),
        &[
            "schema",
            site.to_str().unwrap(),
            "-o",
            out.path().to_str().unwrap(),
        ],
    )
    .success();
    std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            let key = p
                .file_name()
                .unwrap()
                .to_string_lossy()
                .replace(".schema.json", "");
            (
                key,
                serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap(),
            )
        })
        .collect()
}

/// Field names of a schema's object, `extra` left out (free fields for themes).
fn schema_fields(schema: &Value) -> BTreeSet<String> {
    schema["properties"]
        .as_object()
        .unwrap()
        .keys()
        .filter(|k| *k != "extra")
        .cloned()
        .collect()
}

fn cms_fields(fields: &Value) -> BTreeSet<String> {
    fields
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn cms_init_then_build_publishes_an_admin_whose_configuration_covers_the_content_model() {
    let site = SiteTest::base();
    run_in(
        &site.root(),
        &[
            "cms",
            "init",
            "--backend",
            "gitlab",
            "--repo",
            "cluster/website",
            "--app-id",
            "abc123",
        ],
    )
    .success()
    .stderr_has("Wrote `cms:`");
    let config = std::fs::read_to_string(site.root().join("cluster.yaml")).unwrap();
    assert!(config.contains("cms:\n  backend: gitlab\n  repo: \"cluster/website\"\n  branch: \"main\"\n  app_id: \"abc123\"\n"), "{config}");
    let build = site.build();
    build.success();
    assert!(!build.stderr.contains("warning"), "{}", build.stderr);
    let admin = site.public().join("admin");
    let index = std::fs::read_to_string(admin.join("index.html")).unwrap();
    assert!(
        index.contains("<script src=\"sveltia-cms.js\"></script>"),
        "{index}"
    );
    assert!(index.contains("Content-Security-Policy"));
    assert!(!index.contains("unsafe-eval") && index.contains("script-src 'self';"));
    let script = std::fs::metadata(admin.join("sveltia-cms.js"))
        .unwrap()
        .len();
    assert!(script > 1_000_000, "the CMS script is {script} bytes");
    assert!(admin.join("sveltia-cms.LICENSE.txt").is_file());

    // Valid by the CMS's own schema of its configuration.
    let cms = yaml_file(&admin.join("config.yml"));
    let sveltia: Value = serde_json::from_str(
        &std::fs::read_to_string(repo().join("vendor/sveltia-cms/config.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::draft7::new(&sveltia).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&cms)
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "config.yml is not valid: {errors:#?}");
    assert_eq!(cms["backend"]["name"], "gitlab");
    assert_eq!(cms["backend"]["auth_type"], "pkce");
    assert_eq!(cms["backend"]["app_id"], "abc123");

    // A collection per content folder, a field per front-matter field (and the body).
    let schemas = schemas(&site.root());
    let collections = cms["collections"].as_array().unwrap();
    let names: BTreeSet<&str> = collections
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    for key in clusterpress::model::COLLECTIONS {
        let folder = *key;
        assert!(names.contains(folder), "no collection {folder}: {names:?}");
        let c = collections.iter().find(|c| c["name"] == folder).unwrap();
        assert_eq!(c["folder"], format!("content/{folder}"));
        assert_eq!(c["format"], "yaml-frontmatter");
        let mut expected = schema_fields(&schemas[folder]);
        expected.insert("body".into());
        assert_eq!(cms_fields(&c["fields"]), expected, "fields of {folder}");
    }
    // Nested fields too: a member's location, a course's sessions.
    let members = collections.iter().find(|c| c["name"] == "members").unwrap();
    let location = members["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["name"] == "location")
        .unwrap();
    assert_eq!(location["widget"], "object");
    assert_eq!(
        cms_fields(&location["fields"]),
        schema_fields(&schemas["members"]["properties"]["location"])
    );
    let widget = |collection: &str, name: &str| -> Value {
        let c = collections
            .iter()
            .find(|c| c["name"] == collection)
            .unwrap();
        c["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["name"] == name)
            .unwrap_or_else(|| panic!("{collection}.{name}"))
            .clone()
    };
    // Widgets that fit the fields: required name, kinds as select boxes, relations to
    // members by slug, dates with and without time, images into static/.
    let name = widget("members", "name");
    assert_eq!(name["widget"], "string");
    assert!(
        name.get("required").is_none(),
        "the name is required: {name}"
    );
    let kind = widget("members", "type");
    assert_eq!(kind["widget"], "select");
    assert!(kind["options"].to_string().contains("public-body"));
    let participants = widget("events", "participants");
    assert_eq!(participants["widget"], "relation");
    assert_eq!(participants["collection"], "members");
    assert_eq!(participants["value_field"], "{{slug}}");
    assert_eq!(participants["multiple"], true);
    let start = widget("events", "start");
    assert_eq!(start["widget"], "datetime");
    assert_eq!(start["format"], "YYYY-MM-DD HH:mm");
    let posted = widget("jobs", "posted");
    assert_eq!(
        (posted["type"].as_str(), posted["format"].as_str()),
        (Some("date"), Some("YYYY-MM-DD"))
    );
    assert_eq!(widget("members", "logo")["widget"], "image");
    assert_eq!(cms["media_folder"], "static/uploads");
    assert_eq!(widget("members", "employees")["value_type"], "int");
}

/// A member and an event as Sveltia CMS writes them (taken from what it saved in the browser
/// test): single-quoted texts with colons, empty lists as nothing, `social: {}` written even
/// into a translation, a date and time without quotes, `draft: false`.
const SAVED_MEMBER: &str = "---\nname: 'Müller & Söhne: Präzision'\ntype: research\nsummary: \"Yes: a summary with a colon, and 'quotes'.\"\nwebsite: https://mueller.example\nsectors:\n  - Medical technology\ncapabilities:\nneeds: []\nemployees: 42\nfounded: 1999\nlocation:\n  city: Lörrach\n  country: DE\nsocial: {}\ndraft: false\n---\n\nSome *Markdown* text.\n";
const SAVED_MEMBER_FR: &str = "---\nsummary: Oui : un résumé.\nsocial: {}\n---\n\nUn texte.\n";
const SAVED_EVENT: &str = "---\ntitle: 'Open day: robots'\nkind: workshop\nstart: 2027-05-12 14:00\nend: 2027-05-12 17:30\norganizer: achertal-digital\nparticipants:\n  - achertal-digital\n  - baar-formenbau\ntopics:\nregistration:\n  deadline: 2027-05-01\ndraft: false\n---\n\nCome and see.\n";

#[test]
fn files_in_the_shapes_the_cms_writes_load_without_warnings() {
    let site = SiteTest::from_dir(&repo().join("example-site"));
    site.write("content/members/mueller-soehne.md", SAVED_MEMBER);
    site.write("content/members/mueller-soehne.fr.md", SAVED_MEMBER_FR);
    site.write("content/events/open-day-robots.md", SAVED_EVENT);
    // A translation the CMS saved for a member with social links: `social: {}` does not
    // take them away from the French page.
    site.write(
        "content/members/birseck-praezision.fr.md",
        "---\nsocial: {}\nsummary:\n---\n",
    );
    let build = site.build();
    build.success();
    assert!(!build.stderr.contains("warning"), "{}", build.stderr);
    let page = site.output("fr/members/birseck-praezision/index.html");
    assert!(
        page.contains("linkedin.com/company/birseck-praezision-example"),
        "social links lost in French"
    );
    let member = site.output("fr/members/mueller-soehne/index.html");
    assert!(member.contains("Müller &amp; Söhne: Präzision"), "{member}");
    assert!(member.contains("Un texte."), "{member}");
    let event = site.output("de/events/open-day-robots/index.html");
    assert!(event.contains("14:00") && event.contains("Achertal Digital"));
}
