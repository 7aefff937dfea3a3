//! Reading a calendar's VEVENTs: times and zones, places, texts.

use icalendar::parser::{Component, Property};
use jiff::ToSpan;
use jiff::civil::{Date, DateTime};
use jiff::tz::TimeZone;

use super::zones::{Zones, named};
use super::{Imported, Where};
use crate::model::Site;
use crate::model::event::{EventKind, EventStatus};
use crate::model::time::When;

/// A TEXT property, unescaped, without the control characters a site refuses (a calendar
/// may hold them; a content file may not).
pub(super) fn text_prop(c: &Component, name: &str) -> Option<String> {
    let p = c.find_prop(name)?;
    let text: String = (p.val.clone().unescape_text().as_str().chars())
        .map(|ch| if ch == '\t' { ' ' } else { ch })
        .filter(|ch| !crate::diag::is_refused_char(*ch))
        .collect();
    let text = text.trim().to_string();
    (!text.is_empty()).then_some(text)
}

pub(super) fn param<'a>(p: &'a Property, key: &str) -> Option<&'a str> {
    (p.params.iter())
        .find(|x| x.key.as_str().eq_ignore_ascii_case(key))
        .and_then(|x| x.val.as_ref().map(|v| v.as_str()))
}

/// A DTSTART or DTEND: a day, or an instant with the zone it was written in (`None` for
/// UTC and floating times that had no zone).
pub(super) fn read_time(
    p: &Property,
    zones: &Zones,
    floating: Option<&TimeZone>,
) -> Result<(When, Option<TimeZone>), String> {
    let value = p.val.as_str().trim();
    let name = p.name.as_str();
    if param(p, "VALUE").is_some_and(|v| v.eq_ignore_ascii_case("DATE")) || value.len() == 8 {
        return Date::strptime("%Y%m%d", value)
            .map(When::Day)
            .map(|d| (d, None))
            .map_err(|_| format!("{name} `{value}` is not a date"));
    }
    let (local, utc) = match value.strip_suffix(['Z', 'z']) {
        Some(v) => (v, true),
        None => (value, false),
    };
    let dt = DateTime::strptime("%Y%m%dT%H%M%S", local)
        .map_err(|_| format!("{name} `{value}` is not a date and time"))?;
    if utc {
        let instant = dt
            .to_zoned_datetime(TimeZone::UTC)
            .map_err(|e| format!("{name} `{value}`: {e}"))?;
        return Ok((When::At(instant), None));
    }
    let zone = match param(p, "TZID") {
        Some(tzid) => Some(zones.tzid(tzid).map_err(|why| format!("{name}: {why}"))?),
        None => zones.calendar.clone(),
    };
    let tz = (zone.clone())
        .or_else(|| floating.cloned())
        .unwrap_or_else(|| zones.site.clone());
    // A repeated hour (clocks going back) is taken at its first pass, as RFC 5545 says.
    let instant = tz
        .to_ambiguous_zoned_datetime(dt)
        .compatible()
        .map_err(|e| format!("{name} `{value}`: {e}"))?;
    // A TZID that names UTC is read as `Z` is: no place's zone.
    let zone = zone.filter(|tz| !is_utc(tz));
    Ok((When::At(instant), zone))
}

/// Whether a zone is UTC by name (`UTC`, `Etc/UTC`, `GMT`, …), rather than a place's.
fn is_utc(tz: &TimeZone) -> bool {
    let name = tz
        .iana_name()
        .unwrap_or_default()
        .trim_start_matches("Etc/");
    ["UTC", "UCT", "GMT", "Universal", "Zulu", "Greenwich"].contains(&name)
}

/// A DURATION (`PT1H30M`, `P1D`, `P1W`): the end it gives from `start`.
pub(super) fn add_duration(start: &When, value: &str) -> Option<When> {
    let v = value.trim().strip_prefix('+').unwrap_or(value.trim());
    let v = v.strip_prefix('P')?;
    let (days_part, time_part) = v.split_once('T').unwrap_or((v, ""));
    let number = |s: &str, unit: char| -> Option<i64> {
        let i = s.find(unit)?;
        let digits = &s[..i];
        let start = digits
            .rfind(|c: char| !c.is_ascii_digit())
            .map_or(0, |k| k + 1);
        digits[start..].parse().ok()
    };
    let days = number(days_part, 'W').unwrap_or(0) * 7 + number(days_part, 'D').unwrap_or(0);
    let seconds = number(time_part, 'H').unwrap_or(0) * 3600
        + number(time_part, 'M').unwrap_or(0) * 60
        + number(time_part, 'S').unwrap_or(0);
    match start {
        When::Day(d) => d.checked_add((days - 1).max(0).days()).ok().map(When::Day),
        When::At(z) => z
            .checked_add(days.days())
            .and_then(|z| z.checked_add(seconds.seconds()))
            .ok()
            .map(When::At),
    }
}

/// The kind a category names: its key (`trade-show`), its English label, or the site's word.
fn kind_of(category: &str, site: &Site) -> Option<EventKind> {
    let key = crate::import::values::key(category);
    EventKind::ALL.into_iter().find(|k| {
        let word = crate::render::items::word(site, &format!("events.kinds.{}", k.key()));
        [k.key(), k.label(), word.as_str()]
            .iter()
            .any(|name| crate::import::values::key(name) == key)
    })
}

pub(super) fn read_event(
    c: &Component,
    site: &Site,
    ours: bool,
    zones: &Zones,
    default_kind: EventKind,
) -> Result<Imported, String> {
    let title = text_prop(c, "SUMMARY").ok_or("it has no title (SUMMARY)")?;
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    let uid = text_prop(c, "UID").ok_or_else(|| format!("`{title}` has no UID"))?;
    let site_zone = &site.config.zone;
    let start_prop = c
        .find_prop("DTSTART")
        .ok_or_else(|| format!("`{title}` has no start (DTSTART)"))?;
    let (start, zone) = read_time(start_prop, zones, None)?;
    // clusterpress writes times in UTC and names the event's own zone beside them.
    // Google shows UTC times in the calendar's zone.
    let zone = zone
        .or_else(|| text_prop(c, "X-CLUSTERPRESS-TZID").and_then(|z| named(&z)))
        .or_else(|| zones.calendar.clone().filter(|_| !start.is_all_day()));
    let end = match (c.find_prop("DTEND"), c.find_prop("DURATION")) {
        (Some(p), _) => Some(read_time(p, zones, None)?.0),
        (None, Some(d)) => Some(
            add_duration(&start, d.val.as_str())
                .ok_or_else(|| format!("DURATION `{}` is not a duration", d.val.as_str()))?,
        ),
        (None, None) => None,
    };
    // Outlook may write an all-day event as midnight to midnight, with a flag that says so.
    let all_day_flag = [
        "X-MICROSOFT-CDO-ALLDAYEVENT",
        "X-MICROSOFT-MSNCALENDAR-ALLDAYEVENT",
    ]
    .iter()
    .any(|name| text_prop(c, name).is_some_and(|v| v.eq_ignore_ascii_case("TRUE")));
    let midnight =
        |w: &When| matches!(w, When::At(z) if z.datetime().time() == jiff::civil::Time::midnight());
    let (start, end, zone) = match (&start, &end) {
        (When::At(s), Some(e @ When::At(_))) if all_day_flag && midnight(&start) && midnight(e) => {
            (When::Day(s.date()), Some(When::Day(e.date())), None)
        }
        _ => (start, end, zone),
    };
    // All-day ends are exclusive in iCalendar and inclusive in clusterpress.
    let end = match (&start, end) {
        (When::Day(s), Some(When::Day(e))) => {
            let last = e.yesterday().unwrap_or(e);
            (last > *s).then_some(When::Day(last))
        }
        (When::At(s), Some(When::At(e))) => (e.timestamp() > s.timestamp()).then_some(When::At(e)),
        (_, Some(_)) => {
            return Err(format!(
                "`{title}` starts on a day but ends at a time (or the other way round)"
            ));
        }
        (_, None) => None,
    };
    // Times are written in their own zone when it is not the site's; UTC times, and times in
    // a zone only a calendar's rules define, in the site's.
    let zone = zone.filter(|z| {
        z.iana_name().is_some()
            && (z.iana_name() != site_zone.iana_name() || !site.config.zone_chosen)
    });
    let zone_name = zone
        .as_ref()
        .and_then(|z| z.iana_name().map(str::to_string));
    let in_zone = |w: When| match (w, &zone) {
        (When::At(z), Some(tz)) => When::At(z.with_time_zone(tz.clone())),
        (When::At(z), None) => When::At(z.with_time_zone(site_zone.clone())),
        (day, _) => day,
    };
    let (start, end) = (in_zone(start), end.map(in_zone));

    let status = match text_prop(c, "STATUS")
        .as_deref()
        .map(str::to_ascii_uppercase)
    {
        Some(s) if s == "CANCELLED" => EventStatus::Cancelled,
        // clusterpress writes a postponed event as tentative.
        Some(s) if s == "TENTATIVE" && ours => EventStatus::Postponed,
        _ => EventStatus::Scheduled,
    };
    let kind = (c.properties.iter())
        .filter(|p| p.name == "CATEGORIES")
        .flat_map(|p| {
            let text = p.val.clone().unescape_text().as_str().to_string();
            split_list(&text)
        })
        .find_map(|category| kind_of(&category, site));
    // For a new event without one: a kind the title names (`Webinar on …`), else the default.
    // Neither changes the kind of an event already on the site.
    let new_kind = kind
        .or_else(|| {
            title
                .split_whitespace()
                .find_map(|word| kind_of(word, site))
        })
        .unwrap_or(default_kind);

    let url = text_prop(c, "URL").filter(|u| u.starts_with("https://") || u.starts_with("http://"));
    let mut body = text_prop(c, "DESCRIPTION").unwrap_or_default();
    // clusterpress (and others) end the description with the event's address on a line of
    // its own; one inside a sentence stays.
    if let Some(u) = &url
        && let Some(rest) = body.strip_suffix(u.as_str())
        && (rest.is_empty() || rest.ends_with('\n'))
    {
        body = rest.trim_end().to_string();
    }
    let mut imported = Imported {
        uid,
        occurrence: false,
        title,
        start,
        end,
        zone: zone_name,
        status,
        kind,
        new_kind,
        place: Where::default(),
        online: None,
        url: url.filter(|_| !ours),
        body: markdown_of(&body),
    };
    if let Some(location) = text_prop(c, "LOCATION") {
        match location.starts_with("https://") || location.starts_with("http://") {
            true => imported.online = Some(location),
            false => place(&location, &mut imported.place),
        }
    }
    if let Some(geo) = text_prop(c, "GEO")
        && let Some((lat, lon)) = geo.split_once([';', ','])
        && let (Ok(lat), Ok(lon)) = (lat.trim().parse::<f64>(), lon.trim().parse::<f64>())
    {
        imported.place.lat = Some(lat);
        imported.place.lon = Some(lon);
    }
    Ok(imported)
}

/// `20270105` for 5 January 2027, as UIDs of occurrences end.
pub(super) fn compact_date(d: Date) -> String {
    d.strftime("%Y%m%d").to_string()
}

/// A CATEGORIES value's entries (commas separate them; `\,` was one).
fn split_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// A LOCATION line as a place: `Venue, Street 1, 79100 Freiburg, Germany` → venue, address,
/// postcode, city and country, as far as the parts say.
fn place(line: &str, into: &mut Where) {
    let mut parts: Vec<&str> = line
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() > 1
        && let Some(last) = parts.last()
        && let Some(code) = country_code(last)
    {
        into.country = Some(code);
        parts.pop();
    }
    // `79100 Freiburg`, `F-68100 Mulhouse`, `CH-4051 Basel`: a postcode and a city.
    if parts.len() > 1
        && let Some(last) = parts.last()
        && let Some((code, city)) = last.split_once(' ')
        && code.chars().any(|c| c.is_ascii_digit())
        && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        into.postcode = Some(code.to_string());
        into.city = Some(city.trim().to_string());
        parts.pop();
    }
    // Without a postcode, a last part without digits after a venue is the city.
    if into.city.is_none()
        && parts.len() > 1
        && let Some(last) = parts.last()
        && !last.chars().any(|c| c.is_ascii_digit())
    {
        into.city = Some(last.to_string());
        parts.pop();
    }
    match parts.as_slice() {
        [] => {}
        // `Suwa, Japan`: a place in a country is its city.
        [city] if into.country.is_some() && into.city.is_none() => {
            into.city = Some(city.to_string())
        }
        [venue] => into.venue = Some(venue.to_string()),
        [venue, rest @ ..] => {
            into.venue = Some(venue.to_string());
            into.address = Some(rest.join(", "));
        }
    }
}

/// The ISO code of a country named in English, or given by its code.
fn country_code(name: &str) -> Option<String> {
    let by_code = (name.len() == 2)
        .then(|| celes::Country::from_alpha2(name).ok())
        .flatten();
    by_code
        .or_else(|| celes::Country::from_name(name).ok())
        .map(|c| c.alpha2.to_string())
}

/// Plain text as Markdown that shows it as written: paragraphs kept, single line breaks
/// kept as breaks, characters Markdown would read as markup escaped.
pub(super) fn markdown_of(text: &str) -> String {
    let escaped: String = text
        .chars()
        .flat_map(|c| match c {
            '\\' | '`' | '*' | '_' | '<' | '>' | '#' | '[' | ']' => vec!['\\', c],
            c => vec![c],
        })
        .collect();
    (escaped.split("\n\n"))
        .map(|para| {
            para.trim()
                .lines()
                .map(str::trim_end)
                .collect::<Vec<_>>()
                .join("\\\n")
        })
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// A short hash of a body, to tell whether it was edited since it was imported.
pub(super) fn body_hash(body: &str) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(body.trim().as_bytes());
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_places() {
        let start = When::Day(jiff::civil::date(2027, 6, 15));
        assert_eq!(
            add_duration(&start, "P3D"),
            Some(When::Day(jiff::civil::date(2027, 6, 17)))
        );
        let at = TimeZone::UTC
            .to_ambiguous_zoned_datetime(jiff::civil::datetime(2027, 6, 15, 9, 0, 0, 0));
        let at = When::At(at.compatible().unwrap());
        let When::At(end) = add_duration(&at, "PT1H30M").unwrap() else {
            panic!()
        };
        assert_eq!(end.datetime().to_string(), "2027-06-15T10:30:00");
        let mut e = Where::default();
        place(
            "Messe Stuttgart, Messepiazza 1, 70629 Stuttgart, Germany",
            &mut e,
        );
        assert_eq!(e.venue.as_deref(), Some("Messe Stuttgart"));
        assert_eq!(e.address.as_deref(), Some("Messepiazza 1"));
        assert_eq!(
            (e.postcode.as_deref(), e.city.as_deref()),
            (Some("70629"), Some("Stuttgart"))
        );
        assert_eq!(e.country.as_deref(), Some("DE"));
    }

    #[test]
    fn plain_text_reads_the_same_as_markdown() {
        assert_eq!(
            markdown_of("Agenda:\n* 9:00 coffee\n\n<b>Bring</b> your_badge"),
            "Agenda:\\\n\\* 9:00 coffee\n\n\\<b\\>Bring\\</b\\> your\\_badge"
        );
    }
}
