//! The context each template receives (issue 18): one page per template, as JSON, pinned in
//! `tests/snapshots/context/`, and docs/themes.md checked against those snapshots, so that
//! neither the code nor the docs can change without the other.
//!
//! The contexts come from `render::contexts`, which goes through the same jobs and variables
//! as a build of the example site as of 2026-12-04. Template names are never written here:
//! they come from the contexts (and from the tables of the docs), so renaming a template
//! means renaming its snapshot and its rows in the docs, nothing else.
//!
//! `UPDATE_SNAPSHOTS=1 cargo test --test cli context` rewrites the snapshots; review the diff.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde_json::{Map, Value};

use crate::support::repo;

/// The build date of the snapshots.
const NOW: &str = "2026-12-04";
/// Longer strings (cards, footers, page text, JSON-LD) are cut to this many characters.
const MAX_STRING: usize = 200;
/// Arrays keep this many elements, then a note of how many were left out.
const MAX_ITEMS: usize = 2;
const UPDATE: &str = "UPDATE_SNAPSHOTS";

fn snapshot_dir() -> PathBuf {
    repo().join("tests/snapshots/context")
}

/// The snapshot file of `template`: `event.html` → `event.json`.
fn snapshot_file(template: &str) -> String {
    let name = template.strip_suffix(".html").unwrap_or(template);
    format!("{}.json", name.replace('/', "-"))
}

/// One page per template, as its snapshot: `{template, path, context}`, shortened and
/// normalised. Computed once for all the tests of this module.
fn current() -> &'static BTreeMap<String, Value> {
    static CURRENT: OnceLock<BTreeMap<String, Value>> = OnceLock::new();
    CURRENT.get_or_init(|| {
        let mut chosen = contexts_of(&repo().join("tests/fixtures/example-en"));
        // The pages only a long directory has come from the example with 70 members more.
        let long = crate::support::SiteTest::from_dir(&repo().join("tests/fixtures/example-en"));
        let model = std::fs::read_to_string(long.root().join("content/members/hegau-drehteile.md"))
            .expect("a member to copy");
        for i in 0..70 {
            let text = model.replace(
                "name: Hegau Drehteile GmbH",
                &format!("name: Extra Member {i:02} GmbH"),
            );
            long.write(&format!("content/members/extra-member-{i:02}.md"), &text);
        }
        for (template, snapshot) in contexts_of(&long.root()) {
            chosen.entry(template).or_insert(snapshot);
        }
        chosen
    })
}

/// The richest context of each template of the site at `site`, as a snapshot.
fn contexts_of(site: &Path) -> BTreeMap<String, Value> {
    let opts = clusterpress::Options {
        site: site.to_path_buf(),
        base_url: None,
        drafts: false,
        now: NOW.parse().expect("date"),
        pdf: clusterpress::Pdf::Never,
        chrome: None,
    };
    let watch = clusterpress::timings::Stopwatch::start("context snapshots");
    let loaded = clusterpress::load(&opts, &watch)
        .unwrap_or_else(|d| panic!("the example site does not load: {d:?}"));
    let render = clusterpress::render_options(&opts, &loaded.site);
    let (pages, diags) = clusterpress::render::contexts(&loaded.site, &loaded.theme, render);
    assert!(!diags.has_errors(), "{diags:?}");
    let replace = [
        (site.display().to_string(), "<site>".to_string()),
        (repo().display().to_string(), "<repo>".to_string()),
        (
            format!("clusterpress {}", env!("CARGO_PKG_VERSION")),
            "clusterpress <version>".to_string(),
        ),
    ];
    let mut chosen: BTreeMap<String, (usize, Value)> = BTreeMap::new();
    for page in pages {
        let context = shorten(normalise(page.context, &replace));
        let richness = set_values(&context);
        let snapshot = sorted(Value::Object(Map::from_iter([
            ("template".to_string(), Value::from(page.template.clone())),
            ("path".to_string(), Value::from(page.path)),
            ("context".to_string(), context),
        ])));
        // The page with the most values set stands for its template (ties: the first
        // path A–Z), so that optional fields show their shape where the site has them.
        let better = match chosen.get(&page.template) {
            None => true,
            Some((best, value)) => {
                richness > *best
                    || (richness == *best && snapshot["path"].as_str() < value["path"].as_str())
            }
        };
        if better {
            chosen.insert(page.template, (richness, snapshot));
        }
    }
    chosen.into_iter().map(|(t, (_, v))| (t, v)).collect()
}

/// Takes out what depends on the machine or the version: absolute paths, the version.
fn normalise(value: Value, replace: &[(String, String)]) -> Value {
    match value {
        Value::String(mut s) => {
            for (from, to) in replace {
                if s.contains(from.as_str()) {
                    s = s.replace(from.as_str(), to);
                }
            }
            Value::String(s)
        }
        Value::Array(items) => {
            Value::Array(items.into_iter().map(|v| normalise(v, replace)).collect())
        }
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (k, normalise(v, replace)))
                .collect(),
        ),
        other => other,
    }
}

/// Keeps snapshots reviewable: the first elements of every list, then `"… N more"`; long
/// strings cut, with their length.
fn shorten(value: Value) -> Value {
    match value {
        Value::Array(items) => {
            let n = items.len();
            let mut kept: Vec<Value> = items.into_iter().take(MAX_ITEMS).map(shorten).collect();
            if n > MAX_ITEMS {
                kept.push(Value::from(format!("… {} more", n - MAX_ITEMS)));
            }
            Value::Array(kept)
        }
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (k, shorten(v))).collect())
        }
        Value::String(s) if s.chars().count() > MAX_STRING => {
            let cut: String = s.chars().take(MAX_STRING).collect();
            Value::from(format!("{cut}… ({} characters)", s.chars().count()))
        }
        other => other,
    }
}

/// The keys of every object in A–Z order, whatever order serde_json's map keeps.
fn sorted(value: Value) -> Value {
    match value {
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(entries.into_iter().map(|(k, v)| (k, sorted(v))).collect())
        }
        other => other,
    }
}

/// How many values are set (not none, not an empty list) in `value`.
fn set_values(value: &Value) -> usize {
    match value {
        Value::Null => 0,
        Value::Array(items) => items.iter().map(set_values).sum(),
        Value::Object(map) => map.values().map(set_values).sum(),
        _ => 1,
    }
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).expect("JSON") + "\n"
}

/// Shows a value in a message, cut to one short line.
fn show(value: Option<&Value>) -> String {
    let Some(value) = value else {
        return "nothing".into();
    };
    let text = value.to_string();
    match text.chars().count() > 80 {
        true => format!("{}…", text.chars().take(80).collect::<String>()),
        false => text,
    }
}

/// The first place where `want` and `got` differ, as a JSON path with both values.
fn first_difference(want: &Value, got: &Value, path: &str) -> Option<String> {
    match (want, got) {
        (Value::Object(a), Value::Object(b)) => {
            let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            keys.into_iter()
                .find_map(|k| difference_in(a.get(k), b.get(k), &dotted(path, k)))
        }
        (Value::Array(a), Value::Array(b)) => (0..a.len().max(b.len()))
            .find_map(|i| difference_in(a.get(i), b.get(i), &format!("{path}[{i}]"))),
        (a, b) if a != b => Some(describe(path, Some(a), Some(b))),
        _ => None,
    }
}

/// The first difference at `path`, where either side may have nothing.
fn difference_in(want: Option<&Value>, got: Option<&Value>, path: &str) -> Option<String> {
    match (want, got) {
        (Some(a), Some(b)) => first_difference(a, b, path),
        (a, b) => Some(describe(path, a, b)),
    }
}

fn describe(path: &str, want: Option<&Value>, got: Option<&Value>) -> String {
    format!(
        "`{path}`: the snapshot has {}, the context now {}",
        show(want),
        show(got)
    )
}

/// The snapshot files there are, by file name.
fn snapshot_files() -> BTreeMap<String, PathBuf> {
    let Ok(dir) = std::fs::read_dir(snapshot_dir()) else {
        return BTreeMap::new();
    };
    dir.map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), p))
        .collect()
}

#[test]
fn each_template_context_matches_its_snapshot() {
    let update = std::env::var_os(UPDATE).is_some();
    let how = format!(
        "if the change is meant, run `{UPDATE}=1 cargo test --test cli context` and review the diff of tests/snapshots/context/"
    );
    let current = current();
    let mut problems = Vec::new();
    let mut expected_files = BTreeSet::new();
    for (template, snapshot) in current {
        let file = snapshot_file(template);
        let path = snapshot_dir().join(&file);
        expected_files.insert(file.clone());
        let text = pretty(snapshot);
        let old = std::fs::read_to_string(&path).ok();
        if old.as_deref() == Some(text.as_str()) {
            continue;
        }
        if update {
            std::fs::create_dir_all(snapshot_dir()).expect("mkdir");
            std::fs::write(&path, &text).expect("write snapshot");
            eprintln!("updated tests/snapshots/context/{file}");
            continue;
        }
        let Some(old) = old else {
            problems.push(format!(
                "`{template}` has no snapshot (tests/snapshots/context/{file}): every template that renders pages needs one"
            ));
            continue;
        };
        let at = match serde_json::from_str::<Value>(&old) {
            Ok(want) => first_difference(&want, snapshot, "")
                .unwrap_or_else(|| "only in layout (keys not A–Z or not pretty-printed)".into()),
            Err(e) => format!("the file is not JSON: {e}"),
        };
        problems.push(format!(
            "the context of `{template}` (page `{}`) differs from tests/snapshots/context/{file}: {at}",
            snapshot["path"].as_str().unwrap_or("?")
        ));
    }
    for (file, path) in snapshot_files() {
        if expected_files.contains(&file) {
            continue;
        }
        if update {
            std::fs::remove_file(&path).expect("remove snapshot");
            eprintln!("removed tests/snapshots/context/{file}");
        } else {
            problems.push(format!(
                "tests/snapshots/context/{file} is the snapshot of a template that renders no page of the example site any more"
            ));
        }
    }
    assert!(problems.is_empty(), "{}\n{how}", problems.join("\n"));
}

/// One Markdown table of the docs: the heading it is under (as its anchor), its header
/// cells and its rows.
struct Table {
    anchor: String,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

/// GitHub's anchor of a heading: `` `takes_part` (`members-item.html`) `` → `takes_part-members-itemhtml`.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ' '))
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// Every table of a Markdown text. Cells are split on `|`, except escaped ones (`\|`).
fn tables(markdown: &str) -> Vec<Table> {
    let mut tables: Vec<Table> = Vec::new();
    let mut heading = String::new();
    let mut in_table = false;
    for line in markdown.lines() {
        let line = line.trim();
        if let Some(text) = line.strip_prefix('#') {
            heading = anchor(text.trim_start_matches('#'));
        }
        if !line.starts_with('|') {
            in_table = false;
            continue;
        }
        let cells: Vec<String> = line
            .replace("\\|", "\u{0}")
            .trim_matches('|')
            .split('|')
            .map(|c| c.replace('\u{0}', "|").trim().to_string())
            .collect();
        if !in_table {
            in_table = true;
            tables.push(Table {
                anchor: heading.clone(),
                header: cells,
                rows: Vec::new(),
            });
        } else if !cells
            .iter()
            .all(|c| c.chars().all(|c| c == '-' || c == ':'))
        {
            tables.last_mut().expect("table").rows.push(cells);
        }
    }
    tables
}

/// The backticked names in a cell, except those in parentheses (`` `collection`
/// (`positions`) `` names `collection`; the value in parentheses is an example).
fn names(cell: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut depth = 0usize;
    let mut code: Option<String> = None;
    for c in cell.chars() {
        match (&mut code, c) {
            (Some(name), '`') => {
                if depth == 0 {
                    names.push(std::mem::take(name));
                }
                code = None;
            }
            (Some(name), c) => name.push(c),
            (None, '`') => code = Some(String::new()),
            (None, '(') => depth += 1,
            (None, ')') => depth = depth.saturating_sub(1),
            (None, _) => {}
        }
    }
    names
}

/// The keys of an object written like `{name, slug, url}` in a cell, if there is one.
fn braced(cell: &str) -> Option<BTreeSet<String>> {
    names(cell).into_iter().find_map(|n| {
        let inner = n.strip_prefix('{')?.strip_suffix('}')?;
        (!inner.starts_with(['{', '%']))
            .then(|| inner.split(',').map(|k| k.trim().to_string()).collect())
    })
}

/// `contact` and `email` → `contact.email`; a field at the top stays as it is.
fn dotted(parent: &str, key: &str) -> String {
    match parent {
        "" => key.to_string(),
        _ => format!("{parent}.{key}"),
    }
}

fn is_template(name: &str) -> bool {
    name.ends_with(".html") && name != ".html"
}

/// The object keys of `value`, or of the first object in it if it is a list.
fn keys_of(value: &Value) -> Option<BTreeSet<String>> {
    match value {
        Value::Object(map) => Some(map.keys().cloned().collect()),
        Value::Array(items) => items.iter().find_map(keys_of),
        _ => None,
    }
}

/// Objects of the contexts, each with where it was found (`` `site` of `404.html` ``).
type Found = Vec<(String, Map<String, Value>)>;

/// Checks the objects `found` (where they were found, and the object) against the field
/// table of the section `anchor`: every field of every object is documented, and every
/// documented field is in at least one of them (some fields are only on some pages, such
/// as a member's `qr` on print pages). `contact.email` documents `email` in `contact`; a
/// type written like `` list of `{title, url}` `` documents the fields of that object.
fn check_fields(tables: &[Table], anchor: &str, found: &Found, problems: &mut Vec<String>) {
    let Some(table) = tables
        .iter()
        .find(|t| t.anchor == anchor && t.header.first().is_some_and(|h| h == "Field"))
    else {
        problems.push(format!(
            "docs/themes.md has no field table under the heading `#{anchor}`"
        ));
        return;
    };
    if found.is_empty() {
        problems.push(format!(
            "no context of the example site has the object that `#{anchor}` documents"
        ));
        return;
    }
    // Parent field ("" at the top) → documented fields.
    let mut documented: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for row in &table.rows {
        let fields = names(&row[0]);
        for field in &fields {
            let (parent, key) = field.rsplit_once('.').unwrap_or(("", field));
            if !parent.is_empty() {
                documented
                    .entry(String::new())
                    .or_default()
                    .insert(parent.to_string());
            }
            documented
                .entry(parent.to_string())
                .or_default()
                .insert(key.to_string());
        }
        if let ([field], Some(keys)) = (fields.as_slice(), row.get(1).and_then(|c| braced(c))) {
            documented.insert(field.clone(), keys);
        }
    }
    // Undocumented field → where it was found (`site` is on every page: said once).
    let mut undocumented: BTreeMap<String, Vec<&str>> = BTreeMap::new();
    for (parent, keys) in &documented {
        let mut seen_anywhere = BTreeSet::new();
        let mut checked = false;
        for (where_, object) in found {
            let actual = match parent.as_str() {
                "" => Some(object.keys().cloned().collect()),
                p => object.get(p).and_then(keys_of),
            };
            // A value that is none or an empty list shows no fields.
            let Some(actual) = actual else { continue };
            checked = true;
            for key in actual.difference(keys) {
                undocumented
                    .entry(dotted(parent, key))
                    .or_default()
                    .push(where_);
            }
            seen_anywhere.extend(actual);
        }
        if !checked {
            continue;
        }
        for key in keys.difference(&seen_anywhere) {
            let field = dotted(parent, key);
            problems.push(format!(
                "docs/themes.md documents `{field}` under `#{anchor}`, but no template receives it there"
            ));
        }
    }
    for (field, places) in undocumented {
        let others = match places.len() {
            1 => String::new(),
            n => format!(" and {} more", n - 1),
        };
        problems.push(format!(
            "`{field}` ({}{others}) is missing from the table under `#{anchor}` in docs/themes.md",
            places[0]
        ));
    }
}

#[test]
fn themes_doc_matches_the_context_snapshots() {
    let doc = std::fs::read_to_string(repo().join("docs/themes.md")).expect("docs/themes.md");
    let tables = tables(&doc);
    let snapshots: Vec<Value> = snapshot_files().values().map(|p| read_json(p)).collect();
    assert!(
        !snapshots.is_empty(),
        "no snapshots in tests/snapshots/context/"
    );
    let context = |s: &Value| s["context"].as_object().cloned().unwrap_or_default();
    let template = |s: &Value| s["template"].as_str().unwrap_or("").to_string();
    let mut problems = Vec::new();

    // (a) Each template's top-level variables. Tables whose header starts with
    // `Template | Renders` name a template and its variables in the third column; the table
    // of collections names a list template (which also gets `collection`) and an item
    // template (which also gets `item`, `content`, `lead`, `collection`, and any variable
    // named after it, such as `entries`).
    let mut documented: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    // Collection key → (item template, anchor of its field table).
    let mut collections: Vec<(String, String, String)> = Vec::new();
    for table in &tables {
        let header: Vec<&str> = table.header.iter().map(String::as_str).collect();
        match header.as_slice() {
            ["Template", "Renders", ..] => {
                for row in &table.rows {
                    // The row of templates named by free pages' `template:` names no
                    // template: they get what `page.html` gets.
                    for t in names(&row[0]).into_iter().filter(|t| is_template(t)) {
                        documented.entry(t).or_default().extend(names(&row[2]));
                    }
                }
            }
            ["`collection`", ..] => {
                assert_receives(
                    &doc,
                    "- Every **item page** receives",
                    &["item", "content", "lead", "lead_lang", "collection"],
                );
                let list_vars = ["collection", "pages", "archives", "archive"];
                assert_receives(&doc, "- Every **list page** receives", &list_vars);
                for row in &table.rows {
                    let list: Vec<String> = names(&row[2]);
                    for t in list.iter().filter(|t| is_template(t)) {
                        let vars = documented.entry(t.clone()).or_default();
                        vars.extend(list_vars.map(String::from));
                        vars.extend(names(&row[3]));
                    }
                    let item = names(&row[5]);
                    let Some(item_template) = item.iter().find(|t| is_template(t)) else {
                        problems.push(format!("no item template in the row `{}`", row[0]));
                        continue;
                    };
                    let vars = documented.entry(item_template.clone()).or_default();
                    vars.extend(
                        ["item", "content", "lead", "lead_lang", "collection"].map(String::from),
                    );
                    vars.extend(item.iter().filter(|t| !is_template(t)).cloned());
                    let target = row[6]
                        .split_once("](#")
                        .and_then(|(_, rest)| rest.split_once(')'))
                        .map(|(a, _)| a.to_string())
                        .unwrap_or_default();
                    let key = names(&row[0]).into_iter().next().unwrap_or_default();
                    collections.push((key, item_template.clone(), target));
                }
            }
            _ => {}
        }
    }
    let rendered: BTreeMap<String, BTreeSet<String>> = snapshots
        .iter()
        .map(|s| {
            let vars = context(s)
                .keys()
                .filter(|k| !matches!(k.as_str(), "site" | "page" | "menu"))
                .cloned()
                .collect();
            (template(s), vars)
        })
        .collect();
    for (t, vars) in &rendered {
        let Some(doc_vars) = documented.get(t) else {
            problems.push(format!(
                "`{t}` renders pages but is in no table of templates in docs/themes.md"
            ));
            continue;
        };
        for v in vars.difference(doc_vars) {
            problems.push(format!(
                "`{t}` receives `{v}`, which docs/themes.md does not list for it"
            ));
        }
        for v in doc_vars.difference(vars) {
            problems.push(format!(
                "docs/themes.md lists `{v}` for `{t}`, which does not receive it"
            ));
        }
    }
    for t in documented.keys().filter(|t| !rendered.contains_key(*t)) {
        problems.push(format!(
            "docs/themes.md names the template `{t}`, which renders no page of the example site"
        ));
    }

    // (b) The fields of the objects with a field table.
    let all = |var: &str| -> Found {
        snapshots
            .iter()
            .filter_map(|s| {
                let object = context(s).get(var)?.as_object()?.clone();
                Some((format!("`{var}` of `{}`", template(s)), object))
            })
            .collect()
    };
    let mut checks: Vec<(String, Found)> = ["page", "site", "member"]
        .into_iter()
        .map(|var| (var.to_string(), all(var)))
        .collect();
    checks.push(("takes_part-members-itemhtml".into(), all("takes_part")));
    let mut taxonomies = all("taxonomy");
    taxonomies.extend(all("sectors"));
    checks.push(("taxonomy-facets-sectors".into(), taxonomies));
    for (key, item_template, target) in &collections {
        let items: Vec<_> = snapshots
            .iter()
            .filter(|s| &template(s) == item_template)
            .filter_map(|s| {
                let object = context(s).get("item")?.as_object()?.clone();
                Some((format!("`item` of `{item_template}` ({key})"), object))
            })
            .collect();
        checks.push((target.clone(), items));
    }
    for (anchor, found) in &checks {
        check_fields(&tables, anchor, found, &mut problems);
    }
    assert!(
        problems.is_empty(),
        "docs/themes.md and the template contexts (tests/snapshots/context/) disagree:\n{}\n\
         Fix the docs, or, if the context is wrong, the code and then the snapshots.",
        problems.join("\n")
    );
}

/// A snapshot file, which must be `{template, path, context}`.
fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).expect("read snapshot");
    let value: Value =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(
        value["template"].is_string() && value["context"].is_object(),
        "{} is not a context snapshot (no `template` or `context`)",
        path.display()
    );
    value
}

/// The sentence of the docs that starts with `start` names each of `vars` (the test adds
/// them to every template of that kind).
fn assert_receives(doc: &str, start: &str, vars: &[&str]) {
    let line = doc
        .lines()
        .find(|l| l.starts_with(start))
        .unwrap_or_else(|| panic!("docs/themes.md has no line starting `{start}`"));
    let paragraph: String = doc[doc.find(line).expect("line")..]
        .lines()
        .enumerate()
        .take_while(|(i, l)| !l.trim().is_empty() && (*i == 0 || !l.starts_with("- ")))
        .map(|(_, l)| l)
        .collect::<Vec<_>>()
        .join(" ");
    let said = names(&paragraph);
    for v in vars {
        assert!(
            said.iter().any(|s| s == v),
            "docs/themes.md: `{start}…` no longer names `{v}`; update tests/cli/context.rs"
        );
    }
}
