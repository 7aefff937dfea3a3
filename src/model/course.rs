//! Training courses and their sessions.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::check::Checker;
use super::parts::{Org, Place, RawOrg, RawPlace, clean};
use super::time::Period;
use super::types::Term;
use crate::content::front_matter::Seg;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCourse {
    title: String,
    summary: Option<String>,
    provider: Option<RawProvider>,
    #[serde(default)]
    #[schemars(extend("x-clusterpress" = "terms:topics"))]
    topics: Vec<String>,
    level: Option<Level>,
    format: Option<Format>,
    #[schemars(extend("x-clusterpress" = "language"))]
    language: Option<String>,
    duration: Option<String>,
    fee: Option<String>,
    price: Option<RawPrice>,
    registration: Option<RawCourseRegistration>,
    status: Option<SeatStatus>,
    certificate: Option<String>,
    #[schemars(extend("x-clusterpress" = "timezone"))]
    timezone: Option<String>,
    #[serde(default)]
    sessions: Vec<RawSession>,
    #[schemars(extend("x-clusterpress" = "image"))]
    image: Option<String>,
    #[serde(default)]
    pub(crate) draft: bool,
    #[serde(default)]
    extra: serde_json::Map<String, serde_json::Value>,
}

/// `provider: acme` (a member) or `provider: {name: ..., url: ...}` (anyone else).
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(untagged)]
enum RawProvider {
    #[schemars(extend("x-clusterpress" = "member"))]
    Member(String),
    Other(RawOrg),
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawSession {
    #[schemars(extend("x-clusterpress" = "datetime"))]
    start: String,
    #[schemars(extend("x-clusterpress" = "datetime"))]
    end: Option<String>,
    #[schemars(extend("x-clusterpress" = "timezone"))]
    timezone: Option<String>,
    location: Option<RawPlace>,
    #[schemars(extend("x-clusterpress" = "url"))]
    online: Option<String>,
    seats: Option<u32>,
    #[schemars(extend("x-clusterpress" = "date"))]
    deadline: Option<String>,
    registration: Option<RawCourseRegistration>,
    status: Option<SeatStatus>,
}

/// `price: {amount: 480, currency: EUR}`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawPrice {
    amount: f64,
    currency: Option<String>,
}

/// Where to book: `registration: {url: ...}` or `registration: {email: ...}`.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawCourseRegistration {
    #[schemars(extend("x-clusterpress" = "url"))]
    url: Option<String>,
    #[schemars(extend("x-clusterpress" = "email"))]
    email: Option<String>,
}

/// How full a session is, as the provider says: `open`, `few-seats`, `waiting-list` or `full`.
/// Nothing is shown when it says nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SeatStatus {
    Open,
    FewSeats,
    WaitingList,
    Full,
}

impl SeatStatus {
    pub fn key(self) -> &'static str {
        match self {
            SeatStatus::Open => "open",
            SeatStatus::FewSeats => "few-seats",
            SeatStatus::WaitingList => "waiting-list",
            SeatStatus::Full => "full",
        }
    }

    /// The schema.org `ItemAvailability` that says the same.
    pub fn availability(self) -> &'static str {
        match self {
            SeatStatus::Open => "https://schema.org/InStock",
            SeatStatus::FewSeats => "https://schema.org/LimitedAvailability",
            SeatStatus::WaitingList => "https://schema.org/BackOrder",
            SeatStatus::Full => "https://schema.org/SoldOut",
        }
    }
}

/// What a place on a course costs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Price {
    pub amount: f64,
    /// ISO 4217, upper case.
    pub currency: String,
}

/// Where to book a course or a session: a form, or an address to write to (or both).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Registration {
    pub url: Option<String>,
    pub email: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    Beginner,
    Intermediate,
    Advanced,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    InPerson,
    Online,
    Blended,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::Beginner, Level::Intermediate, Level::Advanced];

    pub fn key(self) -> &'static str {
        match self {
            Level::Beginner => "beginner",
            Level::Intermediate => "intermediate",
            Level::Advanced => "advanced",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Level::Beginner => "Beginner",
            Level::Intermediate => "Intermediate",
            Level::Advanced => "Advanced",
        }
    }
}

impl Format {
    pub const ALL: [Format; 3] = [Format::InPerson, Format::Online, Format::Blended];

    pub fn key(self) -> &'static str {
        match self {
            Format::InPerson => "in-person",
            Format::Online => "online",
            Format::Blended => "blended",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Provider {
    Member(String),
    Other(Org),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    pub period: Period,
    pub location: Option<Place>,
    pub online: Option<String>,
    pub seats: Option<u32>,
    pub deadline: Option<jiff::civil::Date>,
    /// The session's own registration; the course's applies when it has none.
    pub registration: Option<Registration>,
    pub status: Option<SeatStatus>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Course {
    pub slug: String,
    pub title: String,
    pub summary: Option<String>,
    pub provider: Option<Provider>,
    pub topics: Vec<Term>,
    pub level: Option<Level>,
    pub format: Option<Format>,
    pub language: Option<String>,
    pub duration: Option<String>,
    pub fee: Option<String>,
    pub price: Option<Price>,
    pub registration: Option<Registration>,
    /// For every session that says nothing itself.
    pub status: Option<SeatStatus>,
    pub certificate: Option<String>,
    /// Sorted by start.
    pub sessions: Vec<Session>,
    pub image: Option<String>,
    pub extra: serde_json::Map<String, serde_json::Value>,
}

pub(crate) fn check_course(slug: String, raw: RawCourse, check: &mut Checker<'_>) -> Course {
    let title = check.title("title", raw.title);
    let provider = match raw.provider {
        None => None,
        Some(RawProvider::Member(s)) => check
            .member(&[Seg::Key("provider")], &s)
            .map(Provider::Member),
        Some(RawProvider::Other(org)) => {
            Some(Provider::Other(check.org(&[Seg::Key("provider")], org)))
        }
    };
    let course_zone = check.zone(raw.timezone.as_deref());
    let mut sessions = Vec::new();
    for (i, s) in raw.sessions.into_iter().enumerate() {
        let at = [Seg::Key("sessions"), Seg::Index(i)];
        let zone = check.zone_at(
            &[at[0], at[1], Seg::Key("timezone")],
            s.timezone.as_deref(),
            &course_zone,
        );
        let period = check.period(&at, &s.start, s.end.as_deref(), &zone);
        let location = s
            .location
            .map(|l| check.place(&[at[0], at[1], Seg::Key("location")], l));
        let online = check.web_url(&[at[0], at[1], Seg::Key("online")], s.online);
        let deadline = s
            .deadline
            .and_then(|d| check.date(&[at[0], at[1], Seg::Key("deadline")], &d));
        let registration = s
            .registration
            .and_then(|r| check_registration(&[at[0], at[1]], r, check));
        if let Some(period) = period {
            // A session is named (file, calendar id) by its start date, so two cannot share one.
            if sessions
                .iter()
                .any(|x: &Session| x.period.start.date() == period.start.date())
            {
                check.refuse(
                    &[at[0], at[1], Seg::Key("start")],
                    (
                        format!("another session starts on {} too", period.start.date()),
                        "make it one session from the first to the last day, or move one of them"
                            .into(),
                    ),
                );
                continue;
            }
            sessions.push(Session {
                period,
                location,
                online,
                seats: s.seats,
                deadline,
                registration,
                status: s.status,
            });
        }
    }
    sessions.sort_by_key(|s| s.period.start.instant(&course_zone.tz));
    Course {
        slug,
        title,
        summary: clean(raw.summary),
        provider,
        topics: check.terms("topics", &raw.topics),
        level: raw.level,
        format: raw.format,
        language: check.language(raw.language),
        duration: clean(raw.duration),
        fee: clean(raw.fee),
        price: raw.price.and_then(|p| check_price(p, check)),
        registration: raw
            .registration
            .and_then(|r| check_registration(&[], r, check)),
        status: raw.status,
        certificate: clean(raw.certificate),
        sessions,
        image: raw
            .image
            .and_then(|i| check.image(&[Seg::Key("image")], &i)),
        extra: raw.extra,
    }
}

/// A price needs its currency: "480" alone could be euros or francs.
fn check_price(raw: RawPrice, check: &mut Checker<'_>) -> Option<Price> {
    let mut ok = true;
    if !raw.amount.is_finite() || raw.amount < 0.0 {
        ok = false;
        check.refuse(
            &[Seg::Key("price"), Seg::Key("amount")],
            (
                format!("the price {} is not an amount", raw.amount),
                "write the price as a number of at least 0, e.g. `amount: 480` or `amount: 49.50`"
                    .into(),
            ),
        );
    }
    let currency = match raw.currency {
        Some(c) => check.check(
            &[Seg::Key("price"), Seg::Key("currency")],
            crate::text::check_currency(&c),
        ),
        None => {
            check.refuse(
                &[Seg::Key("price")],
                (
                    "the price has no `currency`".into(),
                    "add the currency code, e.g. `price: {amount: 480, currency: EUR}`".into(),
                ),
            );
            None
        }
    };
    Some(Price {
        amount: raw.amount,
        currency: currency.filter(|_| ok)?,
    })
}

/// A registration at `at` (the course, or one session) with a web address or an e-mail address.
fn check_registration(
    at: &[Seg<'_>],
    raw: RawCourseRegistration,
    check: &mut Checker<'_>,
) -> Option<Registration> {
    let path = |key: &'static str| -> Vec<Seg<'_>> {
        at.iter()
            .copied()
            .chain([Seg::Key("registration"), Seg::Key(key)])
            .collect()
    };
    if raw.url.is_none() && raw.email.is_none() {
        let here: Vec<Seg<'_>> = at
            .iter()
            .copied()
            .chain([Seg::Key("registration")])
            .collect();
        check.refuse(
            &here,
            (
                "the registration has neither `url` nor `email`".into(),
                "say where to register, e.g. `registration: {url: https://provider.example/book}` or `registration: {email: training@provider.example}`".into(),
            ),
        );
        return None;
    }
    let url = check.web_url(&path("url"), raw.url);
    let email = check.email(&path("email"), raw.email);
    (url.is_some() || email.is_some()).then_some(Registration { url, email })
}

impl super::collection::Collection for Course {
    fn is_current(&self, now: jiff::civil::Date) -> bool {
        self.sessions.iter().any(|s| s.period.last_date() >= now)
    }

    const KEY: &'static str = "training";
    const TITLE: &'static str = "Training";
    const MENU: &'static str = "Training";
    type Raw = RawCourse;

    fn is_draft(raw: &RawCourse) -> bool {
        raw.draft
    }

    fn check(slug: String, raw: RawCourse, check: &mut Checker<'_>) -> Option<Self> {
        Some(check_course(slug, raw, check))
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

    fn members(&self) -> Vec<&str> {
        match &self.provider {
            Some(Provider::Member(m)) => vec![m.as_str()],
            _ => Vec::new(),
        }
    }
}
