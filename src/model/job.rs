//! Job offers of members: positions, apprenticeships, dual-study places, internships and
//! theses, on the cluster's job board.
//!
//! `content/jobs/<slug>.md` → [`RawJob`] (exactly what the file may say) → [`Job`] (checked:
//! the employer is a published member, dates are real and in order, a way to apply is given,
//! a salary range is a range). An offer is open through its `valid_through` date and expired
//! from the next day on, counted from the build date (see [`Job::is_open`]).

use jiff::civil::Date;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::check::Checker;
use super::parts::{Person, Place, RawPerson, RawPlace, clean};
use super::types::{self, Country};
use super::{Entry, Site};
use crate::content::front_matter::Seg;
use crate::diag::Diagnostic;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawJob {
    title: String,
    #[schemars(extend("x-clusterpress" = "member"))]
    member: String,
    kind: JobKind,
    #[schemars(extend("x-clusterpress" = "date"))]
    posted: String,
    #[schemars(extend("x-clusterpress" = "date"))]
    valid_through: String,
    summary: Option<String>,
    #[schemars(extend("x-clusterpress" = "date"))]
    start: Option<String>,
    #[serde(default)]
    workplace: Workplace,
    location: Option<RawPlace>,
    #[serde(default)]
    #[schemars(extend("x-clusterpress" = "country"))]
    remote_countries: Vec<String>,
    apply: RawApply,
    contact: Option<RawPerson>,
    salary: Option<RawSalary>,
    reference: Option<String>,
    #[serde(default)]
    pub(crate) draft: bool,
    #[serde(default)]
    extra: serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawApply {
    #[schemars(extend("x-clusterpress" = "url"))]
    url: Option<String>,
    #[schemars(extend("x-clusterpress" = "email"))]
    email: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawSalary {
    min: Option<u64>,
    max: Option<u64>,
    currency: Option<String>,
    per: SalaryPeriod,
}

/// What kind of position an offer is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, JsonSchema, Serialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum JobKind {
    FullTime,
    PartTime,
    /// Vocational training in the company and a vocational school (Ausbildung, apprentissage).
    Apprenticeship,
    Internship,
    /// A degree course alternating with work in the company (duales Studium, alternance).
    DualStudy,
    /// A bachelor's or master's thesis written in the company.
    Thesis,
}

impl JobKind {
    pub const ALL: [JobKind; 6] = [
        JobKind::FullTime,
        JobKind::PartTime,
        JobKind::Apprenticeship,
        JobKind::Internship,
        JobKind::DualStudy,
        JobKind::Thesis,
    ];

    /// The value written in front matter, also the slug of its list filter.
    pub fn key(self) -> &'static str {
        match self {
            JobKind::FullTime => "full-time",
            JobKind::PartTime => "part-time",
            JobKind::Apprenticeship => "apprenticeship",
            JobKind::Internship => "internship",
            JobKind::DualStudy => "dual-study",
            JobKind::Thesis => "thesis",
        }
    }
}

/// Where the work is done.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Deserialize, JsonSchema, Serialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum Workplace {
    /// At the place of work (`location`, else the employer's address).
    #[default]
    OnSite,
    /// Partly at the place of work, partly from home.
    Hybrid,
    /// Entirely from home, from one of `remote_countries`.
    Remote,
}

impl Workplace {
    pub fn key(self) -> &'static str {
        match self {
            Workplace::OnSite => "on-site",
            Workplace::Hybrid => "hybrid",
            Workplace::Remote => "remote",
        }
    }
}

/// The time a salary is paid for.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, JsonSchema, Serialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum SalaryPeriod {
    Hour,
    Day,
    Week,
    Month,
    Year,
}

impl SalaryPeriod {
    pub fn key(self) -> &'static str {
        match self {
            SalaryPeriod::Hour => "hour",
            SalaryPeriod::Day => "day",
            SalaryPeriod::Week => "week",
            SalaryPeriod::Month => "month",
            SalaryPeriod::Year => "year",
        }
    }
}

/// A gross salary range; at least one of `min` and `max`, `min` not above `max`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Salary {
    pub min: Option<u64>,
    pub max: Option<u64>,
    /// ISO 4217, upper case.
    pub currency: String,
    pub per: SalaryPeriod,
}

/// A job offer, checked and ready to render.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub slug: String,
    pub title: String,
    /// The employer; `None` only when the reference failed (the error is reported).
    pub member: Option<String>,
    pub kind: JobKind,
    pub summary: Option<String>,
    pub posted: Date,
    /// The last day applications are accepted.
    pub valid_through: Date,
    pub start: Option<Date>,
    pub workplace: Workplace,
    /// Where the work is, as written; the employer's city and country stand in when `None`.
    pub location: Option<Place>,
    /// For remote positions: the countries applicants may work from.
    pub remote_countries: Vec<Country>,
    pub apply_url: Option<String>,
    pub apply_email: Option<String>,
    pub contact: Option<Person>,
    pub salary: Option<Salary>,
    /// The employer's own reference number.
    pub reference: Option<String>,
    pub extra: serde_json::Map<String, serde_json::Value>,
}

impl Job {
    /// Open on `now`: applications are accepted through the whole `valid_through` day, and
    /// the offer is expired from the next day on.
    pub fn is_open(&self, now: Date) -> bool {
        self.valid_through >= now
    }
}

/// Checks an offer. `None` (with the problems reported) when `posted` or `valid_through` is
/// not a date: an offer without them cannot be listed or expire.
pub(crate) fn check_job(slug: String, raw: RawJob, check: &mut Checker<'_>) -> Option<Job> {
    let title = check.title("title", raw.title);
    let member = check.member(&[Seg::Key("member")], &raw.member);
    let posted = check.date(&[Seg::Key("posted")], &raw.posted);
    let valid_through = check.date(&[Seg::Key("valid_through")], &raw.valid_through);
    if let (Some(p), Some(v)) = (posted, valid_through)
        && v < p
    {
        check.refuse(
            &[Seg::Key("valid_through")],
            (
                format!("the offer ends on {v}, before it is posted on {p}"),
                "write the last day applications are accepted, on or after `posted`".into(),
            ),
        );
    }
    let start = raw.start.and_then(|d| check.date(&[Seg::Key("start")], &d));
    let location = raw.location.map(|l| {
        let place = check.place(&[Seg::Key("location")], l);
        if place.country.is_none() {
            check.refuse(
                &[Seg::Key("location")],
                (
                    "the place of work has no `country`".into(),
                    "add the country's two-letter code, e.g. `location: {city: Offenburg, country: DE}`: search engines need it to list the offer".into(),
                ),
            );
        }
        place
    });
    let mut remote_countries: Vec<Country> = Vec::new();
    for (i, c) in raw.remote_countries.iter().enumerate() {
        let at = [Seg::Key("remote_countries"), Seg::Index(i)];
        if let Some(c) = check.check(&at, types::check_country(c))
            && !remote_countries.contains(&c)
        {
            remote_countries.push(c);
        }
    }
    match raw.workplace {
        Workplace::Remote if raw.remote_countries.is_empty() => check.refuse(
            &[Seg::Key("workplace")],
            (
                "a remote position needs the countries applicants may work from".into(),
                "add `remote_countries: [DE, FR, CH]` with the countries where you can employ people".into(),
            ),
        ),
        Workplace::OnSite | Workplace::Hybrid if !raw.remote_countries.is_empty() => check.refuse(
            &[Seg::Key("remote_countries")],
            (
                format!(
                    "`remote_countries` is only for remote positions, and this one is `{}`",
                    raw.workplace.key()
                ),
                "add `workplace: remote`, or remove `remote_countries`".into(),
            ),
        ),
        _ => {}
    }
    let apply_given = raw.apply.url.is_some() || raw.apply.email.is_some();
    let apply_url = check.web_url(&[Seg::Key("apply"), Seg::Key("url")], raw.apply.url);
    let apply_email = check.email(&[Seg::Key("apply"), Seg::Key("email")], raw.apply.email);
    if !apply_given {
        check.refuse(
            &[Seg::Key("apply")],
            (
                "the offer does not say how to apply".into(),
                "give a web address or an e-mail address: `apply: {url: https://…}` or `apply: {email: jobs@…}`".into(),
            ),
        );
    }
    let salary = raw.salary.map(|s| check_salary(s, check));
    let job = Job {
        slug,
        title,
        member,
        kind: raw.kind,
        summary: clean(raw.summary),
        posted: posted?,
        valid_through: valid_through?,
        start,
        workplace: raw.workplace,
        location,
        remote_countries,
        apply_url,
        apply_email,
        contact: raw.contact.map(|c| check.person(&[Seg::Key("contact")], c)),
        salary,
        reference: clean(raw.reference),
        extra: raw.extra,
    };
    Some(job)
}

fn check_salary(raw: RawSalary, check: &mut Checker<'_>) -> Salary {
    match (raw.min, raw.max) {
        (None, None) => check.refuse(
            &[Seg::Key("salary")],
            (
                "the salary has neither `min` nor `max`".into(),
                "write the range, e.g. `salary: {min: 52000, max: 60000, per: year}`, or remove `salary`".into(),
            ),
        ),
        (Some(min), Some(max)) if max < min => check.refuse(
            &[Seg::Key("salary"), Seg::Key("max")],
            (
                format!("the maximum {max} is below the minimum {min}"),
                "swap the two amounts".into(),
            ),
        ),
        _ => {}
    }
    let currency = raw.currency.unwrap_or_else(|| "EUR".into());
    let currency = check
        .check(
            &[Seg::Key("salary"), Seg::Key("currency")],
            crate::text::check_currency(&currency),
        )
        .unwrap_or_default();
    Salary {
        min: raw.min,
        max: raw.max,
        currency,
        per: raw.per,
    }
}

/// The place of work of `job`: its own `location`, else the employer's city, country and
/// coordinates. `None` for a remote position without a `location`.
pub fn place_of_work(site: &Site, job: &Job) -> Option<Place> {
    if let Some(place) = &job.location {
        return Some(place.clone());
    }
    if job.workplace == Workplace::Remote {
        return None;
    }
    let m = &site.members.get(job.member.as_deref()?)?.item;
    Some(Place {
        venue: None,
        address: None,
        postcode: None,
        city: m.location.city.clone(),
        country: m.location.country.clone(),
        lat: m.location.lat,
        lon: m.location.lon,
    })
}

/// Offers that are worked in a place but name none, whose employer's profile has no country
/// either: search engines do not list an offer without the country it is in. Checked once
/// the members are known.
pub(crate) fn check_places(site: &Site) -> Vec<Diagnostic> {
    site.jobs
        .values()
        .filter(|e| e.item.location.is_none() && e.item.workplace != Workplace::Remote)
        .filter_map(|e: &Entry<Job>| {
            let member = e.item.member.as_deref()?;
            let m = site.members.get(member)?;
            if m.item.location.country.is_some() {
                return None;
            }
            Some(
                Diagnostic::error(format!(
                    "the offer has no `location`, and its employer `{member}` has no country"
                ))
                .in_file(e.source().map(std::path::Path::to_path_buf).unwrap_or_default())
                .field("location")
                .help("add `location: {city: …, country: DE}` to the offer, or a `location.country` to the member's profile"),
            )
        })
        .collect()
}

impl super::collection::Collection for Job {
    fn is_current(&self, now: jiff::civil::Date) -> bool {
        self.is_open(now)
    }

    const KEY: &'static str = "jobs";
    const TITLE: &'static str = "Jobs";
    const MENU: &'static str = "Jobs";
    type Raw = RawJob;

    fn is_draft(raw: &RawJob) -> bool {
        raw.draft
    }

    fn check(slug: String, raw: RawJob, check: &mut Checker<'_>) -> Option<Self> {
        check_job(slug, raw, check)
    }

    fn slug(&self) -> &str {
        &self.slug
    }

    fn title(&self) -> &str {
        &self.title
    }

    fn summary(&self) -> Option<&str> {
        self.summary.as_deref()
    }

    /// The employer.
    fn members(&self) -> Vec<&str> {
        self.member.iter().map(String::as_str).collect()
    }

    fn check_in_site(site: &Site) -> Vec<Diagnostic> {
        check_places(site)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;
    use crate::content::{Document, front_matter};
    use crate::model::check::LoadContext;

    fn context() -> LoadContext {
        LoadContext {
            images: Default::default(),
            products: BTreeMap::new(),
            static_files: BTreeSet::new(),
            now: jiff::civil::date(2026, 11, 27),
            zone: crate::model::time::Zone::chosen(jiff::tz::TimeZone::UTC),
            members: ["acme-robotics".to_string()].into(),
            drafts: BTreeSet::new(),
            former: BTreeSet::new(),
            failed: BTreeSet::new(),
            funding: BTreeSet::new(),
            vocabulary: Default::default(),
        }
    }

    /// Checks `fields` (front-matter lines) as `content/jobs/x.md`: the offer and the
    /// problems found, each as its message and help.
    fn check(fields: &str) -> (Option<Job>, Vec<(String, String)>) {
        let text = format!("---\n{fields}\n---\nThe text.\n");
        let doc = Document::from_text("content/jobs/x.md".into(), "jobs".into(), "x".into(), &text)
            .unwrap();
        let raw: RawJob = match front_matter::parse(doc.yaml_source()) {
            Ok(raw) => raw,
            Err(d) => return (None, vec![(d.message, d.help.unwrap_or_default())]),
        };
        let ctx = context();
        let mut checker = Checker::new(&doc, &ctx);
        let job = check_job("x".into(), raw, &mut checker);
        let problems = checker
            .finish()
            .into_iter()
            .map(|d| (d.message, d.help.unwrap_or_default()))
            .collect();
        (job, problems)
    }

    const GOOD: &str = "title: CNC engineer\nmember: acme-robotics\nkind: full-time\nposted: 2026-11-02\nvalid_through: 2027-01-31\napply: {email: jobs@acme.example}";

    #[test]
    fn a_complete_offer_is_checked_into_its_typed_form() {
        let (job, problems) = check(&format!(
            "{GOOD}\nworkplace: hybrid\nlocation: {{city: Freiburg, country: DE}}\nsalary: {{min: 52000, max: 60000, currency: eur, per: year}}\nreference: \" CNC-7 \""
        ));
        assert_eq!(problems, []);
        let job = job.unwrap();
        assert_eq!(job.member.as_deref(), Some("acme-robotics"));
        assert_eq!(job.kind, JobKind::FullTime);
        assert_eq!(job.valid_through, jiff::civil::date(2027, 1, 31));
        assert_eq!(job.workplace, Workplace::Hybrid);
        assert_eq!(job.salary.as_ref().unwrap().currency, "EUR");
        assert_eq!(job.reference.as_deref(), Some("CNC-7"));
    }

    #[test]
    fn an_offer_is_open_through_its_last_day() {
        let (job, _) = check(GOOD);
        let job = job.unwrap();
        assert!(job.is_open(jiff::civil::date(2027, 1, 31)));
        assert!(!job.is_open(jiff::civil::date(2027, 2, 1)));
    }

    #[test]
    fn offer_with_unknown_field_is_rejected() {
        let (job, problems) = check(&format!("{GOOD}\nsalery: 3"));
        assert!(job.is_none());
        assert_eq!(problems[0].0, "unknown field `salery`");
        assert_eq!(problems[0].1, "did you mean `salary`?");
    }

    #[test]
    fn bad_offers_say_what_is_wrong() {
        let cases = [
            ("member: acme-robotic", "no member `acme-robotic`"),
            (
                "valid_through: 2026-10-01",
                "the offer ends on 2026-10-01, before it is posted on 2026-11-02",
            ),
            ("posted: 02.11.2026", "`02.11.2026` is not a date"),
            ("apply: {}", "the offer does not say how to apply"),
            (
                "apply: {url: www.acme.example}",
                "`www.acme.example` is not a complete web address",
            ),
            (
                "salary: {min: 60000, max: 52000, per: year}",
                "the maximum 52000 is below the minimum 60000",
            ),
            (
                "salary: {per: month}",
                "the salary has neither `min` nor `max`",
            ),
            (
                "salary: {min: 1, currency: euro, per: month}",
                "`EURO` is not a currency code",
            ),
            (
                "workplace: remote",
                "a remote position needs the countries applicants may work from",
            ),
            (
                "remote_countries: [DE]",
                "`remote_countries` is only for remote positions, and this one is `on-site`",
            ),
            (
                "location: {city: Basel}",
                "the place of work has no `country`",
            ),
        ];
        for (line, want) in cases {
            let key = line.split(':').next().unwrap();
            // The good offer with `line` in place of its own line for that field.
            let fields: Vec<&str> = GOOD
                .lines()
                .filter(|l| !l.starts_with(&format!("{key}:")))
                .chain([line])
                .collect();
            let (_, problems) = check(&fields.join("\n"));
            let messages: Vec<&str> = problems.iter().map(|(m, _)| m.as_str()).collect();
            assert_eq!(messages, [want], "{line}");
        }
    }

    #[test]
    fn a_wrong_kind_gets_a_suggestion() {
        let (_, problems) = check(&GOOD.replace("kind: full-time", "kind: dual study"));
        assert_eq!(problems[0].0, "unknown value `dual study`");
        assert!(
            problems[0].1.starts_with("did you mean `dual-study`?"),
            "{}",
            problems[0].1
        );
    }
}
