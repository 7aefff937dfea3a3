//! The job board: what templates see of an offer, the order of the list, its filters, the
//! offers on the employer's profile, schema.org `JobPosting` data and the Atom feed.
//!
//! An offer is open through its `valid_through` day (see [`Job::is_open`]), counted from the
//! build date. Expired offers leave the list, the feed and the employer's profile; their page
//! stays (links to it keep working) and says so, and is marked `noindex` and left out of the
//! sitemap, as search engines ask for offers that are over.

use std::collections::BTreeMap;

use atom_syndication::{Category, Entry as AtomEntry, Text};
use serde::Serialize;
use serde_json::json;
use tera::Value;

use super::{FeedSpec, MemberRef, Shown, member_ref, value, word};
use crate::i18n::Locale;
use crate::model::collection::Collection;
use crate::model::job::{Job, JobKind, Salary, Workplace, place_of_work};
use crate::model::parts::{Person, Place};
use crate::model::types::{Country, Term};
use crate::model::{Entry, Site, sort_key};
use crate::render::pages::{CollectionPages, Job as PageJob, Shared};
use crate::render::{feeds, jsonld};
use crate::url::paths;

/// The place of work, with its one-line form.
#[derive(Serialize)]
pub struct PlaceOfWork {
    #[serde(flatten)]
    pub place: Place,
    pub one_line: String,
    /// The place is the employer's address, as the offer names none.
    pub employers: bool,
}

#[derive(Serialize)]
pub struct JobView<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub url: String,
    pub permalink: String,
    pub kind: &'static str,
    pub kind_label: String,
    pub summary: &'a str,
    /// The language `summary` is shown in and a note saying so, when not the page's (a
    /// text not translated).
    pub summary_lang: Option<crate::render::views::TextLanguage>,
    /// The employer.
    pub member: Option<MemberRef>,
    /// The employer's sectors and region, `{name, slug}`, for the list's filters.
    pub sectors: &'a [Term],
    pub region: Option<&'a Term>,
    pub posted: String,
    pub posted_label: String,
    pub valid_through: String,
    pub valid_through_label: String,
    /// Applications are accepted on the build date.
    pub open: bool,
    pub start: Option<String>,
    pub start_label: Option<String>,
    pub workplace: &'static str,
    pub workplace_label: String,
    pub location: Option<PlaceOfWork>,
    pub remote_countries: &'a [Country],
    pub apply_url: Option<&'a str>,
    pub apply_email: Option<&'a str>,
    pub contact: Option<&'a Person>,
    pub salary: Option<&'a Salary>,
    /// "EUR 52,000 – 60,000 a year".
    pub salary_label: Option<String>,
    pub reference: Option<&'a str>,
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
}

/// "EUR 52,000 – 60,000 a year", "from EUR 1,100 a month", "up to CHF 45 an hour", in the
/// site's language (`jobs.salary.*`).
pub fn salary_label(s: &Salary, l: &Locale) -> String {
    let n = |v| l.grouped(v);
    let amount = match (s.min, s.max) {
        (Some(min), Some(max)) if min == max => format!("{} {}", s.currency, n(min)),
        (Some(min), Some(max)) => format!("{} {} – {}", s.currency, n(min), n(max)),
        (Some(min), None) => l.fill(
            "jobs.salary.from",
            &[("amount", &format!("{} {}", s.currency, n(min)))],
        ),
        (None, Some(max)) => l.fill(
            "jobs.salary.up_to",
            &[("amount", &format!("{} {}", s.currency, n(max)))],
        ),
        (None, None) => s.currency.clone(),
    };
    l.fill(
        &format!("jobs.salary.{}", s.per.key()),
        &[("amount", &amount)],
    )
}

pub fn job_view<'a>(site: &'a Site, e: &'a Entry<Job>) -> JobView<'a> {
    let j = &e.item;
    let urls = &site.config.urls;
    let path = paths::item("jobs", &j.slug);
    let employer = j.member.as_deref().and_then(|m| site.members.get(m));
    let location = place_of_work(site, j).map(|place| PlaceOfWork {
        one_line: place.one_line(),
        employers: j.location.is_none(),
        place,
    });
    JobView {
        slug: &j.slug,
        title: &j.title,
        url: urls.path(&path),
        permalink: urls.permalink(&path),
        kind: j.kind.key(),
        kind_label: word(site, &format!("jobs.kinds.{}", j.kind.key())),
        summary: j.summary.as_deref().unwrap_or(&e.summary),
        summary_lang: crate::render::views::TextLanguage::of(
            &site.config.locale,
            e.summary_lang(j.summary.is_some()),
        ),
        member: j.member.as_deref().and_then(|m| member_ref(site, m)),
        sectors: employer.map_or(&[], |m| m.item.sectors.as_slice()),
        region: employer.and_then(|m| m.item.location.region.as_ref()),
        posted: j.posted.to_string(),
        posted_label: site.config.locale.date(j.posted),
        valid_through: j.valid_through.to_string(),
        valid_through_label: site.config.locale.date(j.valid_through),
        open: j.is_open(site.now),
        start: j.start.map(|d| d.to_string()),
        start_label: j.start.map(|d| site.config.locale.date(d)),
        workplace: j.workplace.key(),
        workplace_label: word(site, &format!("jobs.workplaces.{}", j.workplace.key())),
        location,
        remote_countries: &j.remote_countries,
        apply_url: j.apply_url.as_deref(),
        apply_email: j.apply_email.as_deref(),
        contact: j.contact.as_ref(),
        salary: j.salary.as_ref(),
        salary_label: j
            .salary
            .as_ref()
            .map(|s| salary_label(s, &site.config.locale)),
        reference: j.reference.as_deref(),
        extra: &j.extra,
    }
}

/// Open offers newest first (by `posted`, then title A–Z, then slug), and expired ones, the
/// most recently expired first. Newest first because a job board is read for what is new;
/// closing dates are shown on every card.
pub fn jobs_in_order(site: &Site) -> (Vec<&Entry<Job>>, Vec<&Entry<Job>>) {
    let (mut open, mut expired): (Vec<&Entry<Job>>, Vec<&Entry<Job>>) =
        site.jobs.values().partition(|e| e.item.is_open(site.now));
    open.sort_by_cached_key(|e| {
        (
            std::cmp::Reverse(e.item.posted),
            sort_key(&e.item.title),
            e.item.slug.clone(),
        )
    });
    expired.sort_by_key(|e| (std::cmp::Reverse(e.item.valid_through), e.item.slug.clone()));
    (open, expired)
}

/// The job list's filters, each a list of `{key, label, count}` counted over the open
/// offers: `kinds` in their natural order, the employers' `sectors` and `regions` A–Z.
pub fn facets(site: &Site) -> Vec<(&'static str, Value)> {
    let (open, _) = jobs_in_order(site);
    let mut kinds: BTreeMap<JobKind, usize> = BTreeMap::new();
    // Sort key → (slug, name, count).
    let mut sectors: BTreeMap<String, (String, String, usize)> = BTreeMap::new();
    let mut regions: BTreeMap<String, (String, String, usize)> = BTreeMap::new();
    for e in &open {
        *kinds.entry(e.item.kind).or_default() += 1;
        let Some(m) = e.item.member.as_deref().and_then(|m| site.members.get(m)) else {
            continue;
        };
        let count = |map: &mut BTreeMap<String, (String, String, usize)>, t: &Term| {
            map.entry(sort_key(&t.name))
                .or_insert_with(|| (t.slug.clone(), t.name.clone(), 0))
                .2 += 1;
        };
        for t in &m.item.sectors {
            count(&mut sectors, t);
        }
        if let Some(r) = &m.item.location.region {
            count(&mut regions, r);
        }
    }
    let list = |pairs: Vec<(String, String, usize)>| {
        Value::from_serializable(
            &pairs
                .into_iter()
                .map(|(key, label, count)| json!({ "key": key, "label": label, "count": count }))
                .collect::<Vec<_>>(),
        )
    };
    let kinds = JobKind::ALL
        .into_iter()
        .filter_map(|k| {
            let label = word(site, &format!("jobs.kinds.{}", k.key()));
            Some((k.key().to_string(), label, *kinds.get(&k)?))
        })
        .collect();
    vec![
        ("kinds", list(kinds)),
        ("sectors", list(sectors.into_values().collect())),
        ("regions", list(regions.into_values().collect())),
    ]
}

/// The open offers of the member `slug`, in the list's order, as views: `jobs` on its page.
pub fn member_offers(site: &Site, slug: &str) -> Value {
    let Some(b) = site.backlinks.get(slug) else {
        return Value::from(Vec::<Value>::new());
    };
    let mut offers: Vec<&Entry<Job>> = b
        .of(Job::KEY)
        .iter()
        .filter_map(|s| site.jobs.get(s))
        .filter(|e| e.item.is_open(site.now))
        .collect();
    offers.sort_by_cached_key(|e| {
        (
            std::cmp::Reverse(e.item.posted),
            sort_key(&e.item.title),
            e.item.slug.clone(),
        )
    });
    Value::from(
        offers
            .into_iter()
            .map(|e| value(&job_view(site, e)))
            .collect::<Vec<_>>(),
    )
}

/// schema.org's `employmentType` for a kind. Apprenticeships and dual-study places are
/// full-time employment with training (schema.org has no type of their own); a thesis in a
/// company is done as an intern.
pub fn employment_type(kind: JobKind) -> &'static str {
    match kind {
        JobKind::FullTime | JobKind::Apprenticeship | JobKind::DualStudy => "FULL_TIME",
        JobKind::PartTime => "PART_TIME",
        JobKind::Internship | JobKind::Thesis => "INTERN",
    }
}

/// A `JobPosting` with the properties Google requires (title, description, datePosted,
/// hiringOrganization, jobLocation or, for remote positions, applicantLocationRequirements
/// with jobLocationType `TELECOMMUTE`) and recommends (validThrough, employmentType,
/// baseSalary, identifier, directApply). `directApply` is false: the page links to where
/// one applies, it is not an application form. `validThrough` is the end of the last day in
/// the site's time zone.
pub fn jsonld(site: &Site, e: &Entry<Job>) -> String {
    let j = &e.item;
    let urls = &site.config.urls;
    let view = job_view(site, e);
    let employer = j.member.as_deref().and_then(|m| site.members.get(m));
    let hiring = match employer {
        Some(m) => json!({
            "@type": "Organization",
            "name": m.item.name,
            "url": urls.permalink(&paths::member(&m.item.slug)),
            "sameAs": m.item.website,
            "logo": m.item.logo.as_deref().map(|l| urls.asset_permalink(l)),
        }),
        None => {
            json!({ "@type": "Organization", "name": site.config.name, "url": urls.permalink("") })
        }
    };
    let job_location = view.location.as_ref().map(|p| {
        let mut address = jsonld::postal(&p.place);
        if let (Some(map), Some(region)) = (address.as_object_mut(), view.region)
            && p.employers
        {
            map.insert("addressRegion".into(), json!(region.name));
        }
        json!({ "@type": "Place", "name": p.place.venue, "address": address })
    });
    let remote = j.workplace == Workplace::Remote;
    let valid_through = j
        .valid_through
        .at(23, 59, 59, 0)
        .to_zoned_datetime(site.config.zone.clone())
        .map(|z| z.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string())
        .unwrap_or_else(|_| j.valid_through.to_string());
    let salary = j.salary.as_ref().map(|s| {
        json!({
            "@type": "MonetaryAmount",
            "currency": s.currency,
            "value": {
                "@type": "QuantitativeValue",
                "minValue": s.min,
                "maxValue": s.max,
                "unitText": s.per.key().to_ascii_uppercase(),
            },
        })
    });
    let description = if e.html.is_empty() {
        view.summary.to_string()
    } else {
        e.html.clone()
    };
    let v = json!({
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": j.title,
        "description": description,
        "url": view.permalink,
        "identifier": {
            "@type": "PropertyValue",
            "name": employer.map_or(site.config.name.as_str(), |m| m.item.name.as_str()),
            "value": j.reference.as_deref().unwrap_or(&j.slug),
        },
        "datePosted": view.posted,
        "validThrough": valid_through,
        "employmentType": employment_type(j.kind),
        "hiringOrganization": hiring,
        "jobLocation": job_location,
        "jobLocationType": remote.then_some("TELECOMMUTE"),
        "applicantLocationRequirements": j.remote_countries.iter().map(|c| json!({ "@type": "Country", "name": c.code })).collect::<Vec<_>>(),
        "baseSalary": salary,
        "jobStartDate": view.start,
        "directApply": false,
    });
    jsonld::script_safe(&jsonld::compact(v))
}

/// `jobs/atom.xml`: the open offers, newest first, each dated by `posted`. Empty (but there,
/// for those who subscribed) when every offer has expired.
pub fn feed(site: &Site) -> Option<Vec<u8>> {
    if site.jobs.is_empty() {
        return None;
    }
    let (open, _) = jobs_in_order(site);
    let entries: Vec<AtomEntry> = open
        .iter()
        .map(|e| {
            let v = job_view(site, e);
            let posted = feeds::at_midnight(e.item.posted);
            let mut entry = AtomEntry::default();
            entry.set_title(Text::plain(e.item.title.clone()));
            entry.set_id(v.permalink.clone());
            entry.set_updated(posted);
            entry.set_published(Some(posted));
            entry.set_links(vec![feeds::link(
                v.permalink.clone(),
                "alternate",
                Some("text/html"),
            )]);
            let facts = [
                Some(v.kind_label.to_string()),
                v.member.as_ref().map(|m| m.name.clone()),
                match (&v.location, e.item.workplace) {
                    (_, Workplace::Remote) => Some(word(site, "jobs.workplaces.remote")),
                    (Some(p), _) => Some(p.one_line.clone()),
                    (None, _) => None,
                },
                Some(
                    site.config
                        .locale
                        .fill("jobs.feed_apply_by", &[("date", &v.valid_through_label)]),
                ),
                Some(v.summary.to_string()),
            ];
            let summary: Vec<String> = facts
                .into_iter()
                .flatten()
                .filter(|s| !s.is_empty())
                .collect();
            entry.set_summary(Some(Text::plain(summary.join(" · "))));
            entry.set_content(Some(feeds::html_content(&e.html)));
            let mut category = Category::default();
            category.set_term(e.item.kind.key());
            category.set_label(Some(v.kind_label.clone()));
            entry.set_categories(vec![category]);
            entry
        })
        .collect();
    let updated = open.iter().map(|e| e.item.posted).max().unwrap_or(site.now);
    Some(feeds::feed(
        site,
        format!("{} – Jobs", site.config.name),
        &paths::list("jobs"),
        "jobs/atom.xml",
        feeds::at_midnight(updated),
        entries,
    ))
}

impl Shown for Job {
    /// `jobs/atom.xml` is published whenever the job list is (some offer exists).
    const FEEDS: &'static [FeedSpec] = &[FeedSpec {
        path: "jobs/atom.xml",
        name: "Jobs",
        rank: 3,
        exists: |site| !site.jobs.is_empty(),
        make: feed,
    }];

    fn value(site: &Site, e: &Entry<Self>) -> Value {
        value(&job_view(site, e))
    }

    /// An expired offer keeps its page, for search engines to drop.
    fn noindex(site: &Site, e: &Entry<Self>) -> bool {
        !e.item.is_open(site.now)
    }

    /// `jobs`: the member's open offers.
    fn member_page_vars(site: &Site, slug: &str) -> Vec<(&'static str, Value)> {
        vec![("jobs", member_offers(site, slug))]
    }

    /// Open offers, then the expired ones, which keep only their own (noindex) pages.
    fn jobs<'s>(site: &'s Site, _: &Shared, jobs: &mut Vec<PageJob<'s>>) {
        let (open, expired) = jobs_in_order(site);
        let mut board = CollectionPages::<Job>::new()
            .list("jobs", open)
            .list("expired", expired)
            .jsonld(jsonld);
        for (name, value) in facets(site) {
            board = board.var(name, value);
        }
        board.push(site, jobs);
    }

    /// The board is in the menu while it exists (some offer does, even expired: its page
    /// links back to the board); `count` is the open offers.
    fn menu(site: &Site) -> Vec<(&'static str, &'static str, usize)> {
        if site.jobs.is_empty() {
            return Vec::new();
        }
        let open = site
            .jobs
            .values()
            .filter(|j| j.item.is_open(site.now))
            .count();
        vec![(Self::KEY, Self::MENU, open)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::job::SalaryPeriod;

    #[test]
    fn salary_labels_read_as_sentences() {
        let en = Locale::new("en");
        let salary_label = |l: &Locale, s: &Salary| super::salary_label(s, l);
        let s = |min, max, per| Salary {
            min,
            max,
            currency: "EUR".into(),
            per,
        };
        assert_eq!(
            salary_label(&en, &s(Some(52000), Some(60000), SalaryPeriod::Year)),
            "EUR 52,000 – 60,000 a year"
        );
        assert_eq!(
            salary_label(&en, &s(Some(1100), None, SalaryPeriod::Month)),
            "from EUR 1,100 a month"
        );
        assert_eq!(
            salary_label(&en, &s(None, Some(45), SalaryPeriod::Hour)),
            "up to EUR 45 an hour"
        );
        assert_eq!(
            salary_label(&en, &s(Some(1200), Some(1200), SalaryPeriod::Month)),
            "EUR 1,200 a month"
        );
    }

    #[test]
    fn every_kind_has_a_google_employment_type() {
        let allowed = ["FULL_TIME", "PART_TIME", "INTERN"];
        for k in JobKind::ALL {
            assert!(allowed.contains(&employment_type(k)), "{k:?}");
        }
        assert_eq!(employment_type(JobKind::Thesis), "INTERN");
    }
}
