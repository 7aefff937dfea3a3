//! Training courses and their sessions.

use serde::{Deserialize, Serialize};

use super::check::Checker;
use super::parts::{Org, Place, RawOrg, RawPlace, clean};
use super::time::Period;
use super::types::Term;
use crate::content::front_matter::Seg;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCourse {
    title: String,
    summary: Option<String>,
    provider: Option<RawProvider>,
    #[serde(default)]
    topics: Vec<String>,
    level: Option<Level>,
    format: Option<Format>,
    language: Option<String>,
    duration: Option<String>,
    fee: Option<String>,
    certificate: Option<String>,
    timezone: Option<String>,
    #[serde(default)]
    sessions: Vec<RawSession>,
    image: Option<String>,
    #[serde(default)]
    pub(crate) draft: bool,
    #[serde(default)]
    extra: serde_json::Map<String, serde_json::Value>,
}

/// `provider: acme` (a member) or `provider: {name: ..., url: ...}` (anyone else).
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum RawProvider {
    Member(String),
    Other(RawOrg),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSession {
    start: String,
    end: Option<String>,
    timezone: Option<String>,
    location: Option<RawPlace>,
    online: Option<String>,
    seats: Option<u32>,
    deadline: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Level {
    Beginner,
    Intermediate,
    Advanced,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
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

    pub fn label(self) -> &'static str {
        match self {
            Format::InPerson => "In person",
            Format::Online => "Online",
            Format::Blended => "Blended",
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
            });
        }
    }
    sessions.sort_by_key(|s| s.period.start.instant(&course_zone));
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
        certificate: clean(raw.certificate),
        sessions,
        image: raw
            .image
            .and_then(|i| check.asset(&[Seg::Key("image")], &i)),
        extra: raw.extra,
    }
}
