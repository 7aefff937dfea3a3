//! Writing imported events into the site: new files, and the changed fields of known ones.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use jiff::civil::Date;
use jiff::tz::AmbiguousOffset;

use super::read::body_hash;
use super::{Imported, Request};
use crate::import::merge::{FrontMatter, quote};
use crate::import::{Change, Report, check_yaml, spelled_out};
use crate::model::event::{Event, EventStatus};
use crate::model::time::When;
use crate::model::{Entry, Site};

/// A time as the front matter writes it: local in `zone` (`2027-05-12 09:00`), or with its
/// offset where the local time is not unique (the repeated hour in autumn).
fn time_text(w: &When) -> String {
    match w {
        When::Day(d) => d.to_string(),
        When::At(z) => {
            let dt = z.datetime();
            let local = match dt.second() {
                0 => dt.strftime("%Y-%m-%d %H:%M").to_string(),
                _ => dt.strftime("%Y-%m-%d %H:%M:%S").to_string(),
            };
            match z.time_zone().to_ambiguous_zoned_datetime(dt).offset() {
                AmbiguousOffset::Unambiguous { .. } => local,
                _ => z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
            }
        }
    }
}

fn same_time(a: &When, b: &When) -> bool {
    match (a, b) {
        (When::Day(x), When::Day(y)) => x == y,
        (When::At(x), When::At(y)) => x.timestamp() == y.timestamp(),
        _ => false,
    }
}

/// The state of one import: the site's events, what will be written.
pub(super) struct Run<'a> {
    site: &'a Site,
    dir: PathBuf,
    /// Events by the UID they were imported with, and clusterpress's own UIDs' slugs.
    /// Imported UID → slug, in UID order: a series' occurrences (`<uid>#YYYYMMDD`) are
    /// neighbours.
    by_uid: BTreeMap<String, &'a str>,
    mark_cancelled: bool,
    /// Slug → the event (by number) that claimed it in this run.
    claimed: HashMap<String, usize>,
    pub(super) writes: BTreeMap<PathBuf, String>,
    pub(super) report: Report,
}

impl<'a> Run<'a> {
    pub(super) fn new(site: &'a Site, req: &Request) -> Run<'a> {
        let mut by_uid = BTreeMap::new();
        for (slug, e) in &site.events {
            if let Some(uid) = e.item.extra.get("ical_uid").and_then(|v| v.as_str()) {
                by_uid.insert(uid.to_string(), slug.as_str());
            }
        }
        Run {
            site,
            dir: req.site.join("content").join("events"),
            by_uid,
            mark_cancelled: req.mark_cancelled,
            claimed: HashMap::new(),
            writes: BTreeMap::new(),
            report: Report::default(),
        }
    }

    pub(super) fn reject(&mut self, number: usize, why: String) {
        self.report.rejected_rows += 1;
        self.report.rejected.push((number, why));
    }

    /// The slug of the event a UID names: imported before with it, or clusterpress's own.
    fn known(&self, uid: &str) -> Option<String> {
        if let Some(slug) = self.by_uid.get(uid) {
            return Some(slug.to_string());
        }
        let slug = uid.strip_prefix("event-")?.split('@').next()?;
        self.site
            .events
            .contains_key(slug)
            .then(|| slug.to_string())
    }

    pub(super) fn event(&mut self, number: usize, event: Imported) {
        let existing = self.known(&event.uid);
        let slug = existing
            .clone()
            .or_else(|| own_slug(&event.uid).filter(|s| !self.dir.join(format!("{s}.md")).exists()))
            .unwrap_or_else(|| self.new_slug(&event));
        if let Some(first) = self.claimed.get(&slug) {
            let why =
                format!("the same event (`{slug}`) as event {first}; a calendar lists each once");
            self.reject(number, why);
            return;
        }
        self.claimed.insert(slug.clone(), number);
        let result = match existing.as_deref().and_then(|s| self.site.events.get(s)) {
            Some(entry) => self.update(&slug, entry, &event),
            None => self.create(&slug, &event).map(Some),
        };
        match result {
            Ok(None) => self.report.unchanged += 1,
            Ok(Some((fields, created))) => {
                let change = Change {
                    row: number,
                    slug,
                    fields,
                };
                match created {
                    true => self.report.created.push(change),
                    false => self.report.updated.push(change),
                }
            }
            Err(why) => self.reject(number, why),
        }
    }

    /// The occurrences of the series `uid` the site has from `now` on (by the UID each was
    /// imported with, `<uid>#YYYYMMDD`), with their slugs; cancelled ones left out.
    pub(super) fn occurrences_on_site(&self, uid: &str, now: Date) -> Vec<(Date, String)> {
        let prefix = format!("{uid}#");
        let mut found: Vec<(Date, String)> = (self.by_uid.range(prefix.clone()..))
            .take_while(|(id, _)| id.starts_with(&prefix))
            .filter_map(|(id, slug)| {
                let day = Date::strptime("%Y%m%d", id.strip_prefix(&prefix)?).ok()?;
                let entry = self.site.events.get(*slug)?;
                (day >= now && entry.item.status != EventStatus::Cancelled)
                    .then(|| (day, slug.to_string()))
            })
            .collect();
        found.sort();
        found
    }

    /// An occurrence on the site that its series no longer has: listed, and marked
    /// cancelled if asked to.
    pub(super) fn dropped(&mut self, slug: &str) {
        let Some(entry) = self.site.events.get(slug) else {
            return;
        };
        if self.claimed.contains_key(slug) {
            return;
        }
        let title = format!("{}, {}", entry.item.title, entry.item.period.start.date());
        self.report.missing.push((slug.to_string(), title));
        if !self.mark_cancelled {
            return;
        }
        self.report.marked = true;
        let marked = self.file_of(entry).and_then(|(path, file)| {
            let mut fm = FrontMatter::parse(&file)
                .ok_or_else(|| format!("`{}` has no front matter", path.display()))?;
            fm.set(&["status"], "cancelled")?;
            check_yaml(&fm, &path)?;
            Ok((path, fm.to_text()))
        });
        match marked {
            Ok((path, text)) => {
                self.writes.insert(path, text);
            }
            Err(why) => {
                (self.report.warnings).push(format!("`{slug}` is not marked cancelled: {why}"))
            }
        }
    }

    /// A new event's slug: its title, made unique with its date and then a number.
    fn new_slug(&self, event: &Imported) -> String {
        let base: String = slug::slugify(spelled_out(&event.title))
            .chars()
            .take(70)
            .collect();
        let base = match base.trim_end_matches('-') {
            "" => "event".to_string(),
            b => b.to_string(),
        };
        let taken = |s: &str| {
            self.site.events.contains_key(s)
                || self.claimed.contains_key(s)
                || self.dir.join(format!("{s}.md")).exists()
        };
        let dated = format!("{base}-{}", event.start.date());
        let mut slug = base.clone();
        if taken(&slug) || event.occurrence {
            slug = dated.clone();
        }
        let mut n = 2;
        while taken(&slug) {
            slug = format!("{dated}-{n}");
            n += 1;
        }
        slug
    }

    /// The fields of `event` as `(path, YAML value)`, in the order a file lists them.
    fn fields(&self, slug: &str, event: &Imported) -> Vec<(Vec<&'static str>, String)> {
        let mut fields: Vec<(Vec<&'static str>, String)> = vec![
            (vec!["title"], quote(&event.title)),
            (
                vec!["kind"],
                event.kind.unwrap_or(event.new_kind).key().to_string(),
            ),
            (vec!["start"], quote(&time_text(&event.start))),
        ];
        if let Some(end) = &event.end {
            fields.push((vec!["end"], quote(&time_text(end))));
        }
        if let Some(zone) = &event.zone {
            fields.push((vec!["timezone"], quote(zone)));
        }
        if event.status != EventStatus::Scheduled {
            fields.push((vec!["status"], event.status.key().to_string()));
        }
        for (key, value) in [
            ("venue", &event.place.venue),
            ("address", &event.place.address),
            ("postcode", &event.place.postcode),
            ("city", &event.place.city),
            ("country", &event.place.country),
        ] {
            if let Some(v) = value {
                fields.push((vec!["location", key], quote(v)));
            }
        }
        if let (Some(lat), Some(lon)) = (event.place.lat, event.place.lon) {
            fields.push((vec!["location", "lat"], lat.to_string()));
            fields.push((vec!["location", "lon"], lon.to_string()));
        }
        if let Some(online) = &event.online {
            fields.push((vec!["online"], quote(online)));
        }
        if let Some(url) = &event.url {
            fields.push((vec!["registration", "url"], quote(url)));
        }
        // A clusterpress site's own UID names the file already.
        if own_slug(&event.uid).as_deref() != Some(slug) {
            fields.push((vec!["extra", "ical_uid"], quote(&event.uid)));
        }
        fields
    }

    fn create(&mut self, slug: &str, event: &Imported) -> Result<(Vec<String>, bool), String> {
        let path = self.dir.join(format!("{slug}.md"));
        let mut fields = self.fields(slug, event);
        fields.push((vec!["extra", "ical_body"], quote(&body_hash(&event.body))));
        // Written in the order of the fields, each map's keys under it.
        let mut yaml = String::from("---\n");
        let mut open = "";
        let mut names = Vec::new();
        for (key, value) in &fields {
            match key.as_slice() {
                [one] => {
                    yaml.push_str(&format!("{one}: {value}\n"));
                    open = "";
                }
                [parent, child] => {
                    if *parent != open {
                        yaml.push_str(&format!("{parent}:\n"));
                        open = parent;
                    }
                    yaml.push_str(&format!("  {child}: {value}\n"));
                }
                _ => {}
            }
            if key.as_slice() != ["extra", "ical_body"] {
                names.push(key.join("."));
            }
        }
        yaml.push_str("---\n");
        let fm = FrontMatter::parse(&yaml).ok_or("a new event's front matter could not be made")?;
        check_yaml(&fm, &path)?;
        if !event.body.is_empty() {
            yaml.push_str(&event.body);
            yaml.push('\n');
        }
        self.writes.insert(path, yaml);
        Ok((names, true))
    }

    /// The fields that differ from what the site says, written into the event's file; `None`
    /// when nothing does.
    fn update(
        &mut self,
        slug: &str,
        entry: &Entry<Event>,
        event: &Imported,
    ) -> Result<Option<(Vec<String>, bool)>, String> {
        let have = &entry.item;
        let place = have.location.clone().unwrap_or_default();
        let text = |v: &Option<String>| v.clone();
        let changed = |key: &[&str]| -> bool {
            match key {
                ["title"] => have.title != event.title,
                ["kind"] => event.kind.is_some_and(|k| k != have.kind),
                ["start"] => !same_time(&have.period.start, &event.start),
                ["end"] => match (&have.period.end, &event.end) {
                    (Some(a), Some(b)) => !same_time(a, b),
                    (a, b) => a.is_some() != b.is_some(),
                },
                ["timezone"] => match &have.period.start {
                    When::At(z) => {
                        let own = z.time_zone().iana_name();
                        let site = self.site.config.zone.iana_name();
                        own.filter(|n| Some(*n) != site || !self.site.config.zone_chosen)
                            != event.zone.as_deref()
                    }
                    When::Day(_) => false,
                },
                ["status"] => have.status != event.status,
                ["location", "venue"] => text(&place.venue) != event.place.venue,
                ["location", "address"] => text(&place.address) != event.place.address,
                ["location", "postcode"] => text(&place.postcode) != event.place.postcode,
                ["location", "city"] => text(&place.city) != event.place.city,
                ["location", "country"] => {
                    place.country.as_ref().map(|c| c.code.clone()) != event.place.country
                }
                ["location", "lat"] => place.lat != event.place.lat,
                ["location", "lon"] => place.lon != event.place.lon,
                ["online"] => have.online != event.online,
                ["registration", "url"] => {
                    have.registration.as_ref().and_then(|r| r.url.clone()) != event.url
                }
                ["extra", "ical_uid"] => {
                    have.extra.get("ical_uid").and_then(|v| v.as_str()) != Some(event.uid.as_str())
                }
                _ => true,
            }
        };
        let (path, file) = self.file_of(entry)?;
        let mut fm = FrontMatter::parse(&file)
            .ok_or_else(|| format!("`{}` has no front matter to update", path.display()))?;
        let mut names = Vec::new();
        // A status the calendar no longer has goes back to scheduled.
        let mut fields = self.fields(slug, event);
        if event.status == EventStatus::Scheduled && have.status != EventStatus::Scheduled {
            fields.push((vec!["status"], "scheduled".into()));
        }
        for (key, value) in fields {
            if changed(&key) {
                fm.set(&key, &value)?;
                names.push(key.join("."));
            }
        }
        // The body: replaced if it is as the last import wrote it (nobody edited it).
        let body = body_of(&file);
        let imported_as = have.extra.get("ical_body").and_then(|v| v.as_str());
        let untouched = imported_as.is_some_and(|h| h == body_hash(body));
        let mut new_body = None;
        if body.trim() != event.body.trim() {
            match untouched {
                true => {
                    new_body = Some(event.body.clone());
                    fm.set(&["extra", "ical_body"], &quote(&body_hash(&event.body)))?;
                    names.push("body".into());
                }
                false => self.report.warnings.push(format!(
                    "{slug}: its text was edited here and differs from the calendar's description: kept"
                )),
            }
        }
        if names.is_empty() {
            return Ok(None);
        }
        check_yaml(&fm, &path)?;
        let mut text = fm.to_text();
        if let Some(body) = new_body {
            let head_len = text.len() - body_of(&text).len();
            text.truncate(head_len);
            if !body.is_empty() {
                text.push_str(&body);
                text.push('\n');
            }
        }
        self.writes.insert(path, text);
        Ok(Some((names, false)))
    }

    /// An event's file and its text (the loader lets go of the texts it has read).
    fn file_of(&self, entry: &Entry<Event>) -> Result<(PathBuf, String), String> {
        let doc = entry.doc.as_ref().ok_or("the event has no file")?;
        let path = match doc.path.is_absolute() {
            true => doc.path.clone(),
            false => self.site_root().join(&doc.path),
        };
        let file = std::fs::read_to_string(&path)
            .map_err(|e| format!("cannot read `{}`: {e}", doc.path.display()))?;
        Ok((path, file.replace("\r\n", "\n")))
    }

    fn site_root(&self) -> &Path {
        self.dir
            .parent()
            .and_then(Path::parent)
            .unwrap_or(Path::new("."))
    }
}

/// The slug in a clusterpress site's own UID of an event (`event-<slug>@host`).
fn own_slug(uid: &str) -> Option<String> {
    let (slug, _) = uid.strip_prefix("event-")?.split_once('@')?;
    (slug::slugify(slug) == slug).then(|| slug.to_string())
}

/// The body of a content file: what follows its front matter's closing line.
fn body_of(text: &str) -> &str {
    let mut offset = 0;
    let mut fences = 0;
    for line in text.split_inclusive('\n') {
        offset += line.len();
        if line.trim_end() == "---" {
            fences += 1;
            if fences == 2 {
                return &text[offset..];
            }
        }
    }
    ""
}
