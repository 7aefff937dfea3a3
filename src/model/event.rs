//! Events: information sessions, workshops, trade shows, trade missions and the rest of a
//! cluster's calendar.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::check::Checker;
use super::parts::{Place, RawPlace, clean};
use super::time::Period;
use super::types::Term;
use crate::content::front_matter::Seg;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawEvent {
    title: String,
    kind: EventKind,
    summary: Option<String>,
    #[schemars(extend("x-clusterpress" = "datetime"))]
    start: String,
    #[schemars(extend("x-clusterpress" = "datetime"))]
    end: Option<String>,
    #[schemars(extend("x-clusterpress" = "timezone"))]
    timezone: Option<String>,
    #[serde(default)]
    status: EventStatus,
    location: Option<RawPlace>,
    #[schemars(extend("x-clusterpress" = "url"))]
    online: Option<String>,
    #[schemars(extend("x-clusterpress" = "organizer"))]
    organizer: Option<String>,
    #[serde(default)]
    #[schemars(extend("x-clusterpress" = "member"))]
    participants: Vec<String>,
    registration: Option<RawRegistration>,
    #[schemars(extend("x-clusterpress" = "language"))]
    language: Option<String>,
    #[serde(default)]
    #[schemars(extend("x-clusterpress" = "terms:topics"))]
    topics: Vec<String>,
    #[schemars(extend("x-clusterpress" = "image"))]
    image: Option<String>,
    #[serde(default)]
    pub(crate) draft: bool,
    #[serde(default)]
    extra: serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawRegistration {
    #[schemars(extend("x-clusterpress" = "url"))]
    url: Option<String>,
    #[schemars(extend("x-clusterpress" = "date"))]
    deadline: Option<String>,
    fee: Option<String>,
    seats: Option<u32>,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, JsonSchema, Serialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum EventKind {
    InfoSession,
    Workshop,
    Networking,
    Webinar,
    Conference,
    TradeShow,
    TradeMission,
    PrEvent,
}

impl EventKind {
    pub const ALL: [EventKind; 8] = [
        EventKind::InfoSession,
        EventKind::Workshop,
        EventKind::Networking,
        EventKind::Webinar,
        EventKind::Conference,
        EventKind::TradeShow,
        EventKind::TradeMission,
        EventKind::PrEvent,
    ];

    pub fn key(self) -> &'static str {
        match self {
            EventKind::InfoSession => "info-session",
            EventKind::Workshop => "workshop",
            EventKind::Networking => "networking",
            EventKind::Webinar => "webinar",
            EventKind::Conference => "conference",
            EventKind::TradeShow => "trade-show",
            EventKind::TradeMission => "trade-mission",
            EventKind::PrEvent => "pr-event",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            EventKind::InfoSession => "Information session",
            EventKind::Workshop => "Workshop",
            EventKind::Networking => "Networking",
            EventKind::Webinar => "Webinar",
            EventKind::Conference => "Conference",
            EventKind::TradeShow => "Trade show",
            EventKind::TradeMission => "Trade mission",
            EventKind::PrEvent => "PR event",
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum EventStatus {
    #[default]
    Scheduled,
    Cancelled,
    Postponed,
}

impl EventStatus {
    pub fn key(self) -> &'static str {
        match self {
            EventStatus::Scheduled => "scheduled",
            EventStatus::Cancelled => "cancelled",
            EventStatus::Postponed => "postponed",
        }
    }
}

/// Who organises an event: the cluster itself or one of its members.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Organizer {
    Cluster,
    Member(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Registration {
    pub url: Option<String>,
    pub deadline: Option<jiff::civil::Date>,
    pub fee: Option<String>,
    pub seats: Option<u32>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub slug: String,
    pub title: String,
    pub kind: EventKind,
    pub summary: Option<String>,
    pub period: Period,
    pub status: EventStatus,
    pub location: Option<Place>,
    pub online: Option<String>,
    pub organizer: Organizer,
    pub participants: Vec<String>,
    pub registration: Option<Registration>,
    pub language: Option<String>,
    pub topics: Vec<Term>,
    pub image: Option<String>,
    pub extra: serde_json::Map<String, serde_json::Value>,
}

/// Checks an event. `None` when its dates are unusable (the errors say why).
pub(crate) fn check_event(slug: String, raw: RawEvent, check: &mut Checker<'_>) -> Option<Event> {
    let title = check.title("title", raw.title);
    let zone = check.zone(raw.timezone.as_deref());
    let period = check.period(&[], &raw.start, raw.end.as_deref(), &zone);
    let location = raw
        .location
        .map(|l| check.place(&[Seg::Key("location")], l));
    let online = check.web_url(&[Seg::Key("online")], raw.online);
    let organizer = match raw.organizer.as_deref().map(str::trim) {
        None | Some("cluster") | Some("") => Organizer::Cluster,
        Some(slug) => check
            .member(&[Seg::Key("organizer")], slug)
            .map_or(Organizer::Cluster, Organizer::Member),
    };
    let participants = check.members("participants", &raw.participants);
    let registration = raw.registration.map(|r| Registration {
        url: check.web_url(&[Seg::Key("registration"), Seg::Key("url")], r.url),
        deadline: r
            .deadline
            .and_then(|d| check.date(&[Seg::Key("registration"), Seg::Key("deadline")], &d)),
        fee: clean(r.fee),
        seats: r.seats,
    });
    let language = check.language(raw.language);
    let topics = check.terms("topics", &raw.topics);
    let image = raw
        .image
        .and_then(|i| check.image(&[Seg::Key("image")], &i));
    Some(Event {
        slug,
        title,
        kind: raw.kind,
        summary: clean(raw.summary),
        period: period?,
        status: raw.status,
        location,
        online,
        organizer,
        participants,
        registration,
        language,
        topics,
        image,
        extra: raw.extra,
    })
}

/// The events in the order the events page lists them: those not over as of the build date,
/// soonest first, then past ones, most recent first (ties by slug).
pub fn in_order(site: &super::Site) -> (Vec<&super::Entry<Event>>, Vec<&super::Entry<Event>>) {
    let zone = &site.config.zone;
    let (mut upcoming, mut past): (Vec<_>, Vec<_>) = site
        .events
        .values()
        .partition(|e| e.item.period.last_date() >= site.now);
    upcoming.sort_by_key(|e| (e.item.period.start.instant(zone), e.item.slug.clone()));
    past.sort_by_key(|e| {
        (
            std::cmp::Reverse(e.item.period.start.instant(zone)),
            e.item.slug.clone(),
        )
    });
    (upcoming, past)
}

impl super::collection::Collection for Event {
    fn is_current(&self, now: jiff::civil::Date) -> bool {
        self.period.last_date() >= now
    }

    const KEY: &'static str = "events";
    const TITLE: &'static str = "Events";
    const MENU: &'static str = "Events";
    type Raw = RawEvent;

    fn is_draft(raw: &RawEvent) -> bool {
        raw.draft
    }

    fn check(slug: String, raw: RawEvent, check: &mut Checker<'_>) -> Option<Self> {
        check_event(slug, raw, check)
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
        let organizer = match &self.organizer {
            Organizer::Member(m) => Some(m.as_str()),
            Organizer::Cluster => None,
        };
        organizer
            .into_iter()
            .chain(self.participants.iter().map(String::as_str))
            .collect()
    }

    /// Coming events soonest first, then past ones, most recent first.
    fn in_member_order(site: &super::Site) -> Vec<&super::Entry<Self>> {
        let (mut upcoming, past) = in_order(site);
        upcoming.extend(past);
        upcoming
    }
}
