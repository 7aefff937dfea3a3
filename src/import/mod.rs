//! `import members`: members from a spreadsheet into `content/members/`.
//!
//! The steps: read the sheet ([`sheet`]), decide which field each column fills
//! ([`columns`]), check each row's values with the loader's own rules ([`values`]), find the
//! member each row is (by slug, member number or name), compare its values with what the
//! site's `members.csv` would say of that member, and write only what differs into the
//! member's file, editing the front matter as text ([`merge`]).
//!
//! Guarantees: a bad row never stops the good ones, and each is reported with its row
//! number; an empty cell leaves the file's value alone, so a sheet of a few columns is safe;
//! the body, the fields the sheet does not have and the comments of a file are kept byte for
//! byte; files are replaced atomically (written beside, then renamed); with `dry_run`
//! nothing is written; a member missing from the sheet is never deleted. Importing the
//! site's own `members.csv` or `members.xlsx` changes nothing.

mod columns;
pub mod events;
mod merge;
mod sheet;
mod values;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use columns::{Field, Use};
use merge::FrontMatter;
use sheet::Cell;
use values::{Context, Value};

use crate::diag::Diagnostics;
use crate::model::Entry;
use crate::model::member::Member;

/// What to import, from where, into which site.
#[derive(Debug, Clone)]
pub struct Request {
    pub file: PathBuf,
    pub site: PathBuf,
    pub map: Option<PathBuf>,
    pub sheet: Option<String>,
    pub dry_run: bool,
    pub mark_former: bool,
    /// Today, for the latest year a member can have been founded or joined.
    pub now: jiff::civil::Date,
}

/// What an import did (or, with `dry_run`, would do).
#[derive(Debug, Default)]
pub struct Report {
    /// Data rows read (rows that are all empty are not counted).
    pub rows: usize,
    pub created: Vec<Change>,
    pub updated: Vec<Change>,
    pub unchanged: usize,
    /// Each problem of each rejected row, in row order.
    pub rejected: Vec<(usize, String)>,
    /// How many rows were rejected.
    pub rejected_rows: usize,
    /// Current members (not drafts) that no row of the sheet names, or occurrences of a
    /// series that the calendar no longer has: slug, name.
    pub missing: Vec<(String, String)>,
    /// Whether the missing ones were marked (members former, occurrences cancelled).
    pub marked: bool,
    /// Columns not imported, and other things the user should know.
    pub warnings: Vec<String>,
}

/// A member created or updated, and which fields.
#[derive(Debug)]
pub struct Change {
    pub row: usize,
    pub slug: String,
    pub fields: Vec<String>,
}

/// Why nothing was imported.
#[derive(Debug)]
pub enum Failure {
    /// The sheet or the mapping file cannot be used.
    Usage(String),
    /// The site (or the mapping file) has problems to fix first.
    Problems(Diagnostics),
}

/// Imports the members of `req.file` into the site `req.site`.
pub fn import_members(req: &Request) -> Result<Report, Failure> {
    let sheet = sheet::read_sheet(&req.file, req.sheet.as_deref()).map_err(Failure::Usage)?;
    let loaded = load_site(&req.site, req.now)?;
    let site = &loaded.site;
    let languages: Vec<String> = site
        .config
        .languages
        .iter()
        .map(|l| l.code.clone())
        .collect();

    let map = match &req.map {
        None => columns::Map::new(),
        Some(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| {
                Failure::Usage(format!(
                    "cannot read the mapping file `{}`: {e}",
                    path.display()
                ))
            })?;
            columns::read_map(path, &text, &languages).map_err(|problems| {
                let mut diags = Diagnostics::new();
                diags.extend(problems);
                Failure::Problems(diags)
            })?
        }
    };
    let headers = columns::Headers::new(&languages);
    let sheet = sheet.find_header(|h| {
        map.contains_key(&columns::normalise(h)) || matches!(headers.use_of(h), Use::Field(_))
    });
    let (uses, warnings) = columns::columns(&sheet.header, &headers, &map);
    if !uses.contains(&Use::Field(Field::Name)) {
        return Err(Failure::Usage(format!(
            "no column of `{}` holds the members' names: head one `name` (or `Firma`, `Nom`, `Organisation` …), or map one with --map (docs/import.md); the columns are {}",
            req.file.display(),
            crate::diag::one_of(&sheet.header)
        )));
    }

    let ctx = Context::new(
        &site.config.vocabulary,
        i32::from(req.now.year()),
        &languages,
    );
    let mut run = Run::new(site, req, &languages);
    run.report.warnings = warnings;
    for (row, cells) in &sheet.rows {
        run.row(*row, cells, &uses, &sheet.header, &ctx);
    }
    run.missing();
    if !req.dry_run {
        write_all(&run.writes).map_err(Failure::Usage)?;
    }
    Ok(run.report)
}

/// The site imported into, drafts included (a row for a draft updates it rather than
/// making a second).
fn load_site(site: &Path, now: jiff::civil::Date) -> Result<crate::Loaded, Failure> {
    let opts = crate::Options {
        site: site.to_path_buf(),
        base_url: None,
        drafts: true,
        now,
        pdf: crate::Pdf::Never,
        chrome: None,
    };
    let watch = crate::timings::Stopwatch::start("import");
    crate::load(&opts, &watch).map_err(Failure::Problems)
}

/// The state of one import: what was found, what will be written.
struct Run<'a> {
    site: &'a crate::model::Site,
    req: &'a Request,
    languages: &'a [String],
    members_dir: PathBuf,
    /// Every member of the site (current, former, drafts) by slug.
    existing: BTreeMap<&'a str, &'a Entry<Member>>,
    by_name: HashMap<String, &'a str>,
    by_id: HashMap<String, &'a str>,
    /// Slug → the row that names it.
    claimed: HashMap<String, usize>,
    /// Member number → the row that has it.
    ids: HashMap<String, usize>,
    writes: BTreeMap<PathBuf, String>,
    report: Report,
}

impl<'a> Run<'a> {
    fn new(site: &'a crate::model::Site, req: &'a Request, languages: &'a [String]) -> Run<'a> {
        let existing: BTreeMap<&str, &Entry<Member>> = site
            .members
            .iter()
            .chain(site.former.iter())
            .map(|(s, e)| (s.as_str(), e))
            .collect();
        let mut by_name = HashMap::new();
        let mut by_id = HashMap::new();
        for (slug, e) in &existing {
            by_name.entry(values::key(&e.item.name)).or_insert(*slug);
            if let Some(id) = e.item.extra.get("member_id").and_then(json_text) {
                by_id.entry(id).or_insert(*slug);
            }
        }
        Run {
            site,
            req,
            languages,
            members_dir: req.site.join("content").join("members"),
            existing,
            by_name,
            by_id,
            claimed: HashMap::new(),
            ids: HashMap::new(),
            writes: BTreeMap::new(),
            report: Report::default(),
        }
    }

    fn row(&mut self, row: usize, cells: &[Cell], uses: &[Use], header: &[String], ctx: &Context) {
        self.report.rows += 1;
        let mut values: Vec<(Field, Value)> = Vec::new();
        let mut problems: Vec<String> = Vec::new();
        for (i, u) in uses.iter().enumerate() {
            let (Use::Field(field), Some(cell)) = (u, cells.get(i)) else {
                continue;
            };
            if cell.is_empty() {
                continue;
            }
            match ctx.value(field, cell) {
                Ok(v) => values.push((field.clone(), v)),
                Err(why) => problems.push(format!("column `{}`: {why}", header[i])),
            }
        }
        let text_of = |f: &Field| {
            values
                .iter()
                .find(|(g, _)| g == f)
                .and_then(|(_, v)| match v {
                    Value::Text(t) if !t.is_empty() => Some(t.clone()),
                    _ => None,
                })
        };
        let name = text_of(&Field::Name);
        let id = text_of(&Field::Id);
        if name.is_none() {
            problems.insert(0, "the name is empty; every member needs its name".into());
        }

        // Which member the row is.
        let slug = text_of(&Field::Slug)
            .or_else(|| {
                id.as_ref()
                    .and_then(|i| self.by_id.get(i))
                    .map(|s| s.to_string())
            })
            .or_else(|| {
                let n = name.as_ref()?;
                self.by_name.get(&values::key(n)).map(|s| s.to_string())
            })
            .or_else(|| name.as_ref().and_then(|n| self.new_slug(n, &mut problems)));
        if let Some(id) = &id {
            match self.ids.get(id) {
                Some(first) => problems.push(format!(
                    "member number `{id}` is also in row {first}; each member once, please"
                )),
                None => {
                    self.ids.insert(id.clone(), row);
                }
            }
        }
        if let Some(slug) = &slug {
            match self.claimed.get(slug) {
                Some(first) => problems.push(format!(
                    "the same member (`{slug}`) as row {first}; each member once, please"
                )),
                None => {
                    self.claimed.insert(slug.clone(), row);
                }
            }
        }
        let Some(slug) = slug.filter(|_| problems.is_empty()) else {
            self.reject(row, problems);
            return;
        };
        let result = match self.existing.get(slug.as_str()).copied() {
            Some(entry) => self.update(&slug, entry, values, ctx),
            None => self.create(&slug, values),
        };
        match result {
            Ok(None) => self.report.unchanged += 1,
            Ok(Some((fields, created))) => {
                let change = Change { row, slug, fields };
                match created {
                    true => self.report.created.push(change),
                    false => self.report.updated.push(change),
                }
            }
            Err(why) => self.reject(row, vec![why]),
        }
    }

    fn reject(&mut self, row: usize, problems: Vec<String>) {
        self.report.rejected_rows += 1;
        self.report
            .rejected
            .extend(problems.into_iter().map(|p| (row, p)));
    }

    /// A slug for a new member named `name`: its name in URL form, made unique among the
    /// site's members and files.
    fn new_slug(&self, name: &str, problems: &mut Vec<String>) -> Option<String> {
        let base: String = slug::slugify(spelled_out(name)).chars().take(80).collect();
        let base = base.trim_end_matches('-').to_string();
        if base.is_empty() {
            problems.push(format!(
                "cannot make a file name from the name `{name}`; add a `slug` column with one, e.g. `acme-robotics`"
            ));
            return None;
        }
        // Two rows with one name are one member named twice, found by `claimed`.
        if self.claimed.contains_key(&base) {
            return Some(base);
        }
        let taken = |s: &str| {
            self.existing.contains_key(s)
                || self.claimed.contains_key(s)
                || self.members_dir.join(format!("{s}.md")).exists()
        };
        let mut slug = base.clone();
        let mut n = 2;
        while taken(&slug) {
            slug = format!("{base}-{n}");
            n += 1;
        }
        Some(slug)
    }

    /// The changed fields of an existing member, written into its files; `None` if the row
    /// says what the site says.
    fn update(
        &mut self,
        slug: &str,
        entry: &Entry<Member>,
        values: Vec<(Field, Value)>,
        ctx: &Context,
    ) -> Result<Option<(Vec<String>, bool)>, String> {
        let cells: HashMap<String, String> = crate::render::exports::member_cells(self.site, entry)
            .into_iter()
            .collect();
        let default = self.default_language();
        let changed: Vec<(Field, Value)> = values
            .into_iter()
            .filter(|(field, value)| {
                *field != Field::Slug
                    && !current(field, entry, &cells, &default)
                        .is_some_and(|c| same(ctx, field, &c, value))
            })
            .collect();
        if changed.is_empty() {
            return Ok(None);
        }
        self.apply(slug, &changed, false).map(|f| Some((f, false)))
    }

    fn create(
        &mut self,
        slug: &str,
        values: Vec<(Field, Value)>,
    ) -> Result<Option<(Vec<String>, bool)>, String> {
        let values: Vec<(Field, Value)> = values
            .into_iter()
            .filter(|(f, _)| *f != Field::Slug)
            .collect();
        self.apply(slug, &values, true).map(|f| Some((f, true)))
    }

    /// Writes `values` into the member's file (and its translations); returns the fields.
    fn apply(
        &mut self,
        slug: &str,
        values: &[(Field, Value)],
        new: bool,
    ) -> Result<Vec<String>, String> {
        let path = self.members_dir.join(format!("{slug}.md"));
        let mut main = match new {
            true => FrontMatter::empty(),
            false => self.front_matter(&path)?,
        };
        let own_language = main
            .top_scalar("lang")
            .unwrap_or_else(|| self.default_language());
        let mut translations: BTreeMap<String, String> = BTreeMap::new();
        let mut fields = Vec::new();
        for (field, value) in values {
            let yaml = value.yaml(field);
            match field {
                Field::Summary(lang) if main.is_map("summary") => {
                    main.set(&["summary", lang], &yaml)?
                }
                Field::Summary(lang) if *lang == own_language => main.set(&["summary"], &yaml)?,
                Field::Summary(lang) => {
                    translations.insert(lang.clone(), yaml);
                }
                Field::Id => main.set(&["extra", "member_id"], &yaml)?,
                other => {
                    let path = other.path();
                    let parts: Vec<&str> = path.split('.').collect();
                    main.set(&parts, &yaml)?;
                }
            }
            fields.push(field.path());
        }
        check_yaml(&main, &path)?;
        let mut writes = vec![(path, main.to_text())];
        for (lang, yaml) in translations {
            let path = self.members_dir.join(format!("{slug}.{lang}.md"));
            let mut fm = match path.exists() {
                true => self.front_matter(&path)?,
                false => FrontMatter::empty(),
            };
            fm.set(&["summary"], &yaml)?;
            check_yaml(&fm, &path)?;
            writes.push((path, fm.to_text()));
        }
        self.writes.extend(writes);
        Ok(fields)
    }

    /// The site's default language (a site has at least one).
    fn default_language(&self) -> String {
        self.languages
            .first()
            .cloned()
            .unwrap_or_else(|| "en".into())
    }

    fn front_matter(&self, path: &Path) -> Result<FrontMatter, String> {
        // A file already changed in this run (a member marked former) is edited further.
        let text = match self.writes.get(path) {
            Some(t) => t.clone(),
            None => std::fs::read_to_string(path)
                .map_err(|e| format!("cannot read `{}`: {e}", self.shown(path)))?,
        };
        FrontMatter::parse(&text)
            .ok_or_else(|| format!("`{}` has no front matter to update", self.shown(path)))
    }

    fn shown(&self, path: &Path) -> String {
        path.strip_prefix(&self.req.site)
            .unwrap_or(path)
            .display()
            .to_string()
    }

    /// Lists the current members no row named, and marks them former if asked to.
    fn missing(&mut self) {
        let missing: Vec<(String, String)> = (self.site.members.iter())
            .filter(|(slug, e)| !e.item.draft && !self.claimed.contains_key(slug.as_str()))
            .map(|(slug, e)| (slug.clone(), e.item.name.clone()))
            .collect();
        if self.req.mark_former {
            for (slug, _) in &missing {
                let path = self.members_dir.join(format!("{slug}.md"));
                let marked = self.front_matter(&path).and_then(|mut fm| {
                    fm.set(&["membership", "status"], "former")?;
                    check_yaml(&fm, &path)?;
                    Ok(fm)
                });
                match marked {
                    Ok(fm) => {
                        self.writes.insert(path, fm.to_text());
                    }
                    Err(why) => self
                        .report
                        .warnings
                        .push(format!("`{slug}` is not marked former: {why}")),
                }
            }
            self.report.marked = true;
        }
        self.report.missing = missing;
    }
}

/// The site's value of `field` for a member, as the export writes it.
fn current(
    field: &Field,
    entry: &Entry<Member>,
    cells: &HashMap<String, String>,
    default: &str,
) -> Option<Value> {
    let text = |s: Option<&str>| {
        s.map(|s| Value::Text(s.to_string()))
            .filter(|v| *v != Value::Text(String::new()))
    };
    let column = match field {
        Field::Street => return text(entry.item.location.street.as_deref()),
        Field::Postcode => return text(entry.item.location.postcode.as_deref()),
        Field::Id => {
            return entry
                .item
                .extra
                .get("member_id")
                .and_then(json_text)
                .map(Value::Text);
        }
        Field::Summary(lang) if lang == default => "summary".to_string(),
        Field::Summary(lang) => format!("summary_{lang}"),
        Field::Kind => "type".into(),
        Field::Tier => "membership_tier".into(),
        Field::Since => "member_since".into(),
        other => other
            .path()
            .rsplit('.')
            .next()
            .unwrap_or_default()
            .to_string(),
    };
    cells
        .get(&column)
        .filter(|c| !c.is_empty())
        .map(|c| Value::Text(c.clone()))
}

/// Whether the site's value (as exported text) is the row's value.
fn same(ctx: &Context, field: &Field, current: &Value, row: &Value) -> bool {
    let Value::Text(text) = current else {
        return current.same_as(row);
    };
    // The export's text, read as the sheet's cell would be: `12` as a number, terms
    // resolved to the vocabulary's labels, as the row's are.
    match ctx.value(field, &Cell::Text(text.clone())) {
        Ok(v) => v.same_as(row),
        Err(_) => false,
    }
}

/// A value of `extra` as text: `1042` and `"1042"` alike.
fn json_text(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Refuses an edit that would leave front matter YAML cannot read (which would be a bug
/// here, not the user's doing).
fn check_yaml(fm: &FrontMatter, path: &Path) -> Result<(), String> {
    serde_yaml::from_str::<serde_yaml::Value>(&fm.yaml())
        .map(|_| ())
        .map_err(|e| {
            format!(
                "updating `{}` would break its front matter ({e}); please report this",
                path.display()
            )
        })
}

/// Writes every file: each to a temporary file beside it, then renamed over the old one, so
/// that no file is ever half-written.
fn write_all(writes: &BTreeMap<PathBuf, String>) -> Result<(), String> {
    for (path, text) in writes {
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create `{}`: {e}", dir.display()))?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temp = dir.join(format!(".{name}.import-tmp"));
        std::fs::write(&temp, text)
            .and_then(|()| std::fs::rename(&temp, path))
            .map_err(|e| {
                let _ = std::fs::remove_file(&temp);
                format!("cannot write `{}`: {e}", path.display())
            })?;
    }
    Ok(())
}

/// German letters as German spells them without them (`Müller` → `Mueller`, `Straße` →
/// `Strasse`), as members' file names are written (`birseck-praezision`); other accents are
/// dropped by the slug.
fn spelled_out(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for c in name.chars() {
        match c {
            'ä' => out.push_str("ae"),
            'ö' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'Ä' => out.push_str("Ae"),
            'Ö' => out.push_str("Oe"),
            'Ü' => out.push_str("Ue"),
            'ß' => out.push_str("ss"),
            c => out.push(c),
        }
    }
    out
}
