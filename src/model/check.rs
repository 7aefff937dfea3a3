//! Checking one document's fields: the [`Checker`] collects every problem of a document,
//! each pointing at its field, and resolves references to other items of the site.

use std::collections::{BTreeMap, BTreeSet};

use super::time;
use super::types::{self, Term};
use crate::content::Document;
use crate::content::front_matter::{self, Seg};
use crate::diag::{Admit, Diagnostic, Limiter, did_you_mean};
use crate::text::{self, Refusal};

/// What checking one document needs to know about the rest of the site.
pub(crate) struct LoadContext {
    /// The site's images, for fields that show one.
    pub(crate) images: std::sync::Arc<crate::images::library::Library>,
    /// Product names of each published member, for catalogue entries.
    pub(crate) products: BTreeMap<String, Vec<String>>,
    pub(crate) static_files: BTreeSet<String>,
    pub(crate) now: jiff::civil::Date,
    /// The site's time zone, for times written without one.
    pub(crate) zone: time::Zone,
    /// Slugs of the members that are published in this build.
    pub(crate) members: BTreeSet<String>,
    /// Slugs of former members: items may still name them (see [`Checker::former_named`]).
    pub(crate) former: BTreeSet<String>,
    /// Content paths (`members/x.md`) of drafts and of documents that failed to load.
    pub(crate) drafts: BTreeSet<String>,
    pub(crate) failed: BTreeSet<String>,
    /// Slugs of funding opportunities, for projects.
    pub(crate) funding: BTreeSet<String>,
    /// The site's controlled vocabulary of capabilities and sectors.
    pub(crate) vocabulary: crate::terms::Vocabulary,
}

/// Collects the problems of one document, pointing each at its field.
///
/// Only the first few problems of each field are located and kept (see [`Limiter`]): finding
/// a field's line reads the front matter, so locating every one of 100,000 wrong references
/// in a list would take quadratic time.
pub(crate) struct Checker<'a> {
    doc: &'a Document,
    ctx: &'a LoadContext,
    diags: Vec<Diagnostic>,
    limiter: Limiter,
    /// Fields that name a former member, with the member: a warning if the item turns out
    /// to be current (see [`Checker::warn_former`]).
    former: Vec<(String, crate::diag::Span, String)>,
}

impl<'a> Checker<'a> {
    pub(crate) fn new(doc: &'a Document, ctx: &'a LoadContext) -> Self {
        Checker {
            doc,
            ctx,
            diags: Vec::new(),
            limiter: Limiter::default(),
            former: Vec::new(),
        }
    }

    /// The problems found, with a summary for each field that had too many to show.
    pub(crate) fn finish(self) -> Vec<Diagnostic> {
        let mut diags = self.diags;
        diags.extend(self.limiter.finish());
        diags
    }

    /// A reference to a member by slug, checked with "did you mean" help.
    pub fn member(&mut self, path: &[Seg<'_>], slug: &str) -> Option<String> {
        let slug = slug.trim();
        if self.ctx.members.contains(slug) {
            return Some(slug.to_string());
        }
        if self.ctx.former.contains(slug) {
            // Past items keep naming members that left; only current ones are warned about,
            // which is known once the whole item is checked.
            if self.former.len() < crate::diag::SHOWN_PER_KIND {
                let span = front_matter::locate(self.doc.yaml_source(), path);
                self.former.push((field_name(path), span, slug.to_string()));
            }
            return Some(slug.to_string());
        }
        let content = format!("members/{slug}.md");
        if self.ctx.failed.contains(&content) {
            return None; // that file's own errors are reported
        }
        if self.ctx.drafts.contains(&content) {
            self.refuse(
                path,
                (
                    format!("member `{slug}` is a draft and is not published"),
                    "publish the member first (remove `draft: true`), or remove this reference"
                        .into(),
                ),
            );
            return None;
        }
        // "Did you mean" compares with every member: only worth it for a problem that is shown.
        let members = &self.ctx.members;
        self.refuse_with(path, || {
            let as_slug = slug::slugify(slug);
            let help = match did_you_mean(&as_slug, members.iter().map(String::as_str)) {
                Some(best) => format!("did you mean `{best}`?"),
                None => "write the member's file name without `.md`, e.g. `acme-robotics` for `content/members/acme-robotics.md`".into(),
            };
            (format!("no member `{slug}`"), help)
        });
        None
    }

    /// Whether `slug` is a member that left the cluster.
    pub fn is_former(&self, slug: &str) -> bool {
        self.ctx.former.contains(slug)
    }

    /// Warns about every field that names a former member: for items that are still
    /// current (an event not over, an open call…), which should not name a company that
    /// left the cluster. Not an error, so that a member leaving never breaks a build.
    pub(crate) fn warn_former(&mut self) {
        for (field, span, slug) in std::mem::take(&mut self.former) {
            let d = Diagnostic::warning(format!(
                "`{slug}` is a former member, but this item is still current"
            ))
            .in_file(&self.doc.path)
            .at(&self.doc.text, span)
            .field(field)
            .help("remove the reference, or name a current member; past items may keep naming former members");
            self.diags.push(d);
        }
    }

    /// A list of member references, without repeats.
    pub fn members(&mut self, key: &'static str, slugs: &[String]) -> Vec<String> {
        let mut seen = BTreeSet::new();
        let mut out: Vec<String> = Vec::new();
        for (i, s) in slugs.iter().enumerate() {
            if let Some(slug) = self.member(&[Seg::Key(key), Seg::Index(i)], s)
                && seen.insert(slug.clone())
            {
                out.push(slug);
            }
        }
        out
    }

    /// The time zone an item's times are in: its own `timezone`, else the site's.
    pub fn zone(&mut self, value: Option<&str>) -> time::Zone {
        let site = self.ctx.zone.clone();
        self.zone_at(&[Seg::Key("timezone")], value, &site)
    }

    /// A `timezone` field at `path`, or `fallback` when it is absent or wrong.
    pub fn zone_at(
        &mut self,
        path: &[Seg<'_>],
        value: Option<&str>,
        fallback: &time::Zone,
    ) -> time::Zone {
        match value {
            Some(name) => self
                .check(path, text::parse_zone(name))
                .map(time::Zone::chosen)
                .unwrap_or_else(|| fallback.clone()),
            None => fallback.clone(),
        }
    }

    /// A date or date-time in `zone`; an offset that disagrees with the zone, or an instant
    /// with no zone to show it in, is a warning at the field.
    pub fn when(&mut self, path: &[Seg<'_>], value: &str, zone: &time::Zone) -> Option<time::When> {
        let read = self.check(path, time::read_when(value, zone))?;
        if let Some(doubt) = read.doubt {
            self.warn(path, doubt);
        }
        Some(read.value)
    }

    /// A date (a day): `2027-03-15`, or an instant with an offset, taken as its day in the
    /// site's zone.
    pub fn date(&mut self, path: &[Seg<'_>], value: &str) -> Option<jiff::civil::Date> {
        let zone = self.ctx.zone.clone();
        self.check(path, time::read_date(value, &zone))
    }

    /// A start and optional end, checked against each other.
    pub fn period(
        &mut self,
        at: &[Seg<'_>],
        start: &str,
        end: Option<&str>,
        zone: &time::Zone,
    ) -> Option<time::Period> {
        let key =
            |k: &'static str| -> Vec<Seg<'_>> { at.iter().copied().chain([Seg::Key(k)]).collect() };
        let start = self.when(&key("start"), start, zone);
        let end = end.and_then(|e| self.when(&key("end"), e, zone));
        let start = start?;
        if let Some(e) = &end
            && let Err(r) = time::check_period(&start, e)
        {
            self.refuse(&key("end"), r);
            return None;
        }
        Some(time::Period { start, end })
    }

    pub fn web_url(&mut self, path: &[Seg<'_>], value: Option<String>) -> Option<String> {
        value.and_then(|v| self.check(path, text::check_web_url(&v)))
    }

    pub fn email(&mut self, path: &[Seg<'_>], value: Option<String>) -> Option<String> {
        value.and_then(|v| self.check(path, text::check_email(&v)))
    }

    pub fn language(&mut self, value: Option<String>) -> Option<String> {
        value.and_then(|v| self.check(&[Seg::Key("language")], text::check_language(&v)))
    }

    /// A funding opportunity by slug (projects point to them).
    pub fn funding(&mut self, path: &[Seg<'_>], slug: &str) -> Option<String> {
        let slug = slug.trim();
        if self.ctx.funding.contains(slug) {
            return Some(slug.to_string());
        }
        if self.ctx.failed.contains(&format!("funding/{slug}.md")) {
            return None;
        }
        if self.ctx.drafts.contains(&format!("funding/{slug}.md")) {
            self.refuse(path, (format!("funding opportunity `{slug}` is a draft and is not published"), "publish it first (remove `draft: true`), or use `funded_by:` to describe the funding".into()));
            return None;
        }
        let funding = &self.ctx.funding;
        self.refuse_with(path, || {
            let help = match did_you_mean(slug, funding.iter().map(String::as_str)) {
                Some(best) => format!("did you mean `{best}`?"),
                None => "write the file name of a funding item without `.md`, or use `funded_by:` for a free description".into(),
            };
            (format!("no funding opportunity `{slug}`"), help)
        });
        None
    }

    pub fn refuse(&mut self, path: &[Seg<'_>], refusal: Refusal) {
        self.refuse_with(path, || refusal);
    }

    /// Reports a problem at the field at `path`; `refusal` is only worked out if the problem
    /// is shown (the first [`crate::diag::SHOWN_PER_KIND`] of a field).
    pub fn refuse_with(&mut self, path: &[Seg<'_>], refusal: impl FnOnce() -> Refusal) {
        let kind = kind_name(path);
        let admit = self.limiter.admit(&kind);
        if admit == Admit::Count {
            return;
        }
        let (message, help) = refusal();
        let span = front_matter::locate(self.doc.yaml_source(), path);
        let d = Diagnostic::error(message)
            .in_file(&self.doc.path)
            .at(&self.doc.text, span)
            .field(field_name(path))
            .help(help);
        match admit {
            Admit::Summarise => self.limiter.summarise(&kind, d),
            _ => self.diags.push(d),
        }
    }

    /// Reports a doubt at the field at `path`: a warning, which does not stop the build.
    /// In a translation that takes the field from the original, the warning points at the
    /// original (once, whatever the number of languages).
    pub fn warn(&mut self, path: &[Seg<'_>], (message, help): Refusal) {
        let (doc, src) = match (&self.doc.resolved, path.first()) {
            (Some(r), Some(Seg::Key(top))) => {
                let doc = r.source_of(top);
                (doc, doc.yaml_source_unresolved())
            }
            _ => (self.doc, self.doc.yaml_source()),
        };
        let span = front_matter::locate(src, path);
        self.diags.push(
            Diagnostic::warning(message)
                .in_file(&doc.path)
                .at(&doc.text, span)
                .field(field_name(path))
                .help(help),
        );
    }

    pub fn check<T>(&mut self, path: &[Seg<'_>], result: Result<T, Refusal>) -> Option<T> {
        result.map_err(|r| self.refuse(path, r)).ok()
    }

    pub fn asset(&mut self, path: &[Seg<'_>], value: &str) -> Option<String> {
        let result = types::check_asset(value, &self.ctx.static_files);
        self.check(path, result)
    }

    /// A file of `static/` shown as an image (a logo, a photo, a cover): it must be an SVG,
    /// PNG or JPEG that can be published (see `crate::images`). An SVG that had scripts or
    /// outside references taken out is a warning, once per file.
    pub fn image(&mut self, path: &[Seg<'_>], value: &str) -> Option<String> {
        let asset = self.asset(path, value)?;
        match self.ctx.images.inspect(&asset) {
            Ok(source) => {
                if let Some(removed) = source.first_warning() {
                    let span = front_matter::locate(self.doc.yaml_source(), path);
                    self.diags.push(
                        Diagnostic::warning(format!(
                            "`static/{asset}`: taken out of the SVG: {removed}"
                        ))
                        .in_file(&self.doc.path)
                        .at(&self.doc.text, span)
                        .field(field_name(path))
                        .help("the site publishes the SVG without them; save the logo again without scripts, links or outside pictures to be rid of this warning"),
                    );
                }
                Some(asset)
            }
            Err(why) => {
                self.refuse(path, image_refusal(&asset, &why));
                None
            }
        }
    }

    /// Checks a list of terms, dropping empty ones and repeats.
    pub fn terms(&mut self, key: &'static str, values: &[String]) -> Vec<Term> {
        self.nested_terms(&[key], values)
    }

    pub fn now_year(&self) -> i32 {
        i32::from(self.ctx.now.year())
    }
}

impl Checker<'_> {
    /// The products a member lists, by name.
    pub fn products_of(&self, member: &str) -> Vec<String> {
        self.ctx.products.get(member).cloned().unwrap_or_default()
    }

    /// Terms in a list such as `capabilities` or `select.sectors`, dropping empty ones and
    /// repeats. Where the site's vocabulary governs the list, each term is its canonical
    /// label, and one the vocabulary lacks is an error.
    pub fn nested_terms(&mut self, keys: &[&'static str], values: &[String]) -> Vec<Term> {
        let field = keys.last().copied().unwrap_or_default();
        let vocabulary = &self.ctx.vocabulary;
        let mut seen = BTreeSet::new();
        let mut out: Vec<Term> = Vec::new();
        for (i, v) in values.iter().enumerate() {
            let path: Vec<Seg<'_>> = keys
                .iter()
                .map(|k| Seg::Key(k))
                .chain([Seg::Index(i)])
                .collect();
            let checked = types::check_term(v).and_then(|t| match vocabulary.for_field(field) {
                None => Ok(t),
                Some(list) => list
                    .resolve(&t)
                    .ok_or_else(|| unknown_term(vocabulary, field, list, &t)),
            });
            if let Some(t) = self.check(&path, checked)
                && seen.insert(t.slug.clone())
            {
                out.push(t);
            }
        }
        out
    }
}

/// Why a term the vocabulary lacks is refused, with the label it was probably meant to be
/// (also for terms in an imported spreadsheet).
pub(crate) fn unknown_term(
    vocabulary: &crate::terms::Vocabulary,
    field: &str,
    list: &crate::terms::TermList,
    term: &Term,
) -> Refusal {
    let name = crate::terms::Vocabulary::list_name(field);
    let singular = name.strip_suffix("ies").map_or_else(
        || name.trim_end_matches('s').to_string(),
        |stem| format!("{stem}y"),
    );
    let add = format!(
        "add it to `{name}` in the vocabulary ({}) if it is a new one",
        vocabulary.file
    );
    let help = match list.suggest(term) {
        Some(label) => format!("did you mean `{label}`? Or {add}"),
        None => {
            let mut help = add;
            help[..1].make_ascii_uppercase();
            help
        }
    };
    (
        format!(
            "`{}` is not a {singular} of the site's vocabulary",
            term.written
        ),
        help,
    )
}

/// The field a path is in, without list positions (`contacts.email`): problems of one field
/// are counted together.
/// An image's problem as a message and help: `why` is a reason, then what to do after `; `.
pub(crate) fn image_refusal(asset: &str, why: &str) -> Refusal {
    let (reason, help) = why.split_once("; ").unwrap_or((why, ""));
    let help = match help {
        "" => "replace the file with an SVG, PNG or JPEG".to_string(),
        h => h.to_string(),
    };
    (format!("`static/{asset}`: {reason}"), help)
}

fn kind_name(path: &[Seg<'_>]) -> String {
    let keys: Vec<&str> = path
        .iter()
        .filter_map(|s| match s {
            Seg::Key(k) => Some(*k),
            Seg::Index(_) => None,
        })
        .collect();
    keys.join(".")
}

/// `contacts[1].email` for a path.
pub fn field_name(path: &[Seg<'_>]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Seg::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}
