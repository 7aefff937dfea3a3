//! Members as open data: `members.json`, `members.csv` and one vCard (RFC 6350) per member.
//!
//! Every public profile field is exported. CSV cells that a spreadsheet would run as a formula
//! (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) are prefixed with `'`, as
//! OWASP advises, because member texts are not trusted.

use rayon::prelude::*;
use serde::Serialize;

use crate::model::member::{Member, size_band};
use crate::model::{Entry, Site};
use crate::url::paths;

#[derive(Serialize)]
struct MemberRecord<'a> {
    slug: &'a str,
    name: &'a str,
    #[serde(rename = "type")]
    kind: &'static str,
    summary: &'a str,
    profile_url: String,
    website: Option<&'a str>,
    email: Option<&'a str>,
    phone: Option<&'a str>,
    city: Option<&'a str>,
    region: Option<&'a str>,
    country: Option<&'a str>,
    lat: Option<f64>,
    lon: Option<f64>,
    employees: Option<u32>,
    size: Option<&'static str>,
    founded: Option<i32>,
    membership_tier: Option<&'a str>,
    member_since: Option<i32>,
    sectors: Vec<&'a str>,
    capabilities: Vec<&'a str>,
    needs: Vec<&'a str>,
    certifications: &'a [String],
    contacts: &'a [crate::model::member::Contact],
    products: Vec<ProductRecord<'a>>,
    social: std::collections::BTreeMap<&'a str, &'a str>,
    logo: Option<String>,
    /// In a site of several languages, `summary_fr`, `profile_url_fr` … for each language
    /// but the default: the open data is written once, for all of them.
    #[serde(flatten)]
    languages: std::collections::BTreeMap<String, String>,
}

#[derive(Serialize)]
struct ProductRecord<'a> {
    name: &'a str,
    description: Option<&'a str>,
    image: Option<String>,
}

fn record<'a>(site: &'a Site, e: &'a Entry<Member>) -> MemberRecord<'a> {
    let m = &e.item;
    let urls = &site.config.urls;
    let names =
        |terms: &'a [crate::model::types::Term]| terms.iter().map(|t| t.name.as_str()).collect();
    MemberRecord {
        slug: &m.slug,
        name: &m.name,
        kind: m.kind.key(),
        summary: m.summary.as_deref().unwrap_or(&e.summary),
        profile_url: urls.permalink(&paths::member(&m.slug)),
        website: m.website.as_deref(),
        email: m.email.as_deref(),
        phone: m.phone.as_deref(),
        city: m.location.city.as_deref(),
        region: m.location.region.as_ref().map(|r| r.name.as_str()),
        country: m.location.country.as_ref().map(|c| c.code.as_str()),
        lat: m.location.lat,
        lon: m.location.lon,
        employees: m.employees,
        size: m.employees.map(|n| size_band(n).0),
        founded: m.founded,
        membership_tier: m.membership_tier.as_deref(),
        member_since: m.member_since,
        sectors: names(&m.sectors),
        capabilities: names(&m.capabilities),
        needs: names(&m.needs),
        certifications: &m.certifications,
        contacts: &m.contacts,
        products: m
            .products
            .iter()
            .map(|p| ProductRecord {
                name: &p.name,
                description: p.description.as_deref(),
                image: p.image.as_deref().map(|i| urls.asset_permalink(i)),
            })
            .collect(),
        social: m
            .social
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect(),
        logo: m.logo.as_deref().map(|l| urls.asset_permalink(l)),
        languages: other_languages(site, &m.slug),
    }
}

/// The columns a site of several languages adds, in order: for each language but the
/// default, the member's summary in it (empty if it has none of its own) and its page.
fn language_columns(site: &Site) -> Vec<String> {
    (site.config.languages.iter().skip(1))
        .flat_map(|l| {
            [
                format!("summary_{}", l.code),
                format!("profile_url_{}", l.code),
            ]
        })
        .collect()
}

/// The values of [`language_columns`] for the member `slug`, by column.
fn other_languages(site: &Site, slug: &str) -> std::collections::BTreeMap<String, String> {
    let mut out = std::collections::BTreeMap::new();
    for l in site.config.languages.iter().skip(1) {
        let summary = site
            .summaries
            .get(slug)
            .and_then(|s| s.get(&l.code))
            .cloned()
            .unwrap_or_default();
        out.insert(format!("summary_{}", l.code), summary);
        let urls = site.config.urls.in_language(&l.code);
        out.insert(
            format!("profile_url_{}", l.code),
            urls.permalink(&paths::member(slug)),
        );
    }
    out
}

/// `members.json`: every published member, A–Z.
pub fn members_json(site: &Site) -> Vec<u8> {
    let records: Vec<MemberRecord<'_>> = site
        .member_order
        .iter()
        .filter_map(|s| site.members.get(s))
        .map(|e| record(site, e))
        .collect();
    let mut out = serde_json::to_vec_pretty(&records).unwrap_or_default();
    out.push(b'\n');
    out
}

/// The CSV columns, in order. Lists are joined with "; ".
pub const CSV_COLUMNS: [&str; 22] = [
    "slug",
    "name",
    "type",
    "summary",
    "profile_url",
    "website",
    "email",
    "phone",
    "city",
    "region",
    "country",
    "lat",
    "lon",
    "employees",
    "size",
    "founded",
    "membership_tier",
    "member_since",
    "sectors",
    "capabilities",
    "needs",
    "certifications",
];

/// Makes a text cell safe to open in a spreadsheet.
pub fn defuse(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// A member's row of the spreadsheets, in the order of [`CSV_COLUMNS`], numbers as text;
/// `cell` prepares each text cell (defused for CSV, as it is for Excel).
fn row(site: &Site, e: &Entry<Member>, cell: fn(&str) -> String) -> Vec<String> {
    let r = record(site, e);
    let extra: Vec<String> = language_columns(site)
        .iter()
        .map(|c| cell(r.languages.get(c).map_or("", String::as_str)))
        .collect();
    let text = |s: Option<&str>| cell(s.unwrap_or(""));
    let num = |n: Option<String>| n.unwrap_or_default();
    [
        cell(r.slug),
        cell(r.name),
        r.kind.to_string(),
        cell(r.summary),
        r.profile_url.clone(),
        text(r.website),
        text(r.email),
        text(r.phone),
        text(r.city),
        text(r.region),
        text(r.country),
        num(r.lat.map(|v| v.to_string())),
        num(r.lon.map(|v| v.to_string())),
        num(r.employees.map(|v| v.to_string())),
        text(r.size),
        num(r.founded.map(|v| v.to_string())),
        text(r.membership_tier),
        num(r.member_since.map(|v| v.to_string())),
        cell(&r.sectors.join("; ")),
        cell(&r.capabilities.join("; ")),
        cell(&r.needs.join("; ")),
        cell(&r.certifications.join("; ")),
    ]
    .into_iter()
    .chain(extra)
    .collect()
}

/// A member's cells as the exports write them (not defused), by column: what `import
/// members` compares a sheet's row with, so that importing an export changes nothing.
pub(crate) fn member_cells(site: &Site, e: &Entry<Member>) -> Vec<(String, String)> {
    (CSV_COLUMNS.iter().map(|c| c.to_string()))
        .chain(language_columns(site))
        .zip(row(site, e, str::to_string))
        .collect()
}

/// The columns of [`CSV_COLUMNS`] that hold numbers (lat, lon, employees, founded,
/// member_since): numbers in the Excel file, so that they sort and sum.
const NUMBER_COLUMNS: [usize; 5] = [11, 12, 13, 15, 17];

/// `members.csv`: one row per published member, A–Z (UTF-8, commas). It starts with a
/// byte-order mark, without which Excel reads UTF-8 as the old Windows code page and breaks
/// every umlaut and accent; CSV readers skip it. People with a spreadsheet get
/// `members.xlsx` too, which needs no guessing of separators.
pub fn members_csv(site: &Site) -> Vec<u8> {
    let mut w = csv::Writer::from_writer("\u{feff}".as_bytes().to_vec());
    let _ = w.write_record(
        CSV_COLUMNS
            .iter()
            .map(|c| c.to_string())
            .chain(language_columns(site)),
    );
    for e in site.member_order.iter().filter_map(|s| site.members.get(s)) {
        let _ = w.write_record(row(site, e, defuse));
    }
    w.into_inner().unwrap_or_default()
}

/// `members.xlsx`: the rows of `members.csv` as an Excel workbook, which every spreadsheet
/// program opens with its letters and columns right whatever its language (a CSV file opens
/// as one column with broken umlauts in German and French Excel). Headings bold, the first
/// row frozen, a filter on every column, numbers as numbers. Text is written as text, never
/// as a formula, so nothing needs defusing.
///
/// Written with `rust_xlsxwriter` (maintained, no C dependencies, only `zip` besides what we
/// have); an empty workbook if the library fails, which only a cell over Excel's limits
/// could make it do, and cells are cut to those limits first.
pub fn members_xlsx(site: &Site) -> Vec<u8> {
    use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};
    const MAX_CELL: usize = 32_767;
    let mut book = Workbook::new();
    // The file says when it was made: the build date, not the clock, so that the same site
    // gives the same file.
    let (y, m, d) = (site.now.year(), site.now.month(), site.now.day());
    if let Ok(made) = ExcelDateTime::from_ymd(y as u16, m as u8, d as u8) {
        book.set_properties(&DocProperties::new().set_creation_datetime(&made));
    }
    let sheet = book.add_worksheet();
    let _ = sheet.set_name("Members");
    let bold = Format::new().set_bold();
    let columns: Vec<String> = (CSV_COLUMNS.iter().map(|c| c.to_string()))
        .chain(language_columns(site))
        .collect();
    for (c, name) in columns.iter().enumerate() {
        let _ = sheet.write_string_with_format(0, c as u16, name, &bold);
    }
    let mut rows = 0u32;
    for e in site.member_order.iter().filter_map(|s| site.members.get(s)) {
        rows += 1;
        for (c, value) in row(site, e, str::to_string).iter().enumerate() {
            if value.is_empty() {
                continue;
            }
            let number = NUMBER_COLUMNS
                .contains(&c)
                .then(|| value.parse::<f64>().ok())
                .flatten();
            let _ = match number {
                Some(n) => sheet.write_number(rows, c as u16, n),
                None => {
                    let cut: String = value.chars().take(MAX_CELL).collect();
                    sheet.write_string(rows, c as u16, cut)
                }
            };
        }
    }
    let _ = sheet.set_freeze_panes(1, 0);
    let _ = sheet.autofilter(0, 0, rows, (columns.len() - 1) as u16);
    sheet.autofit();
    book.save_to_buffer().unwrap_or_default()
}

/// A vCard 4.0 (RFC 6350) for a member organisation.
///
/// Written here rather than with a vCard crate: the format is a dozen lines of escaped text,
/// and the crate we used compiled a string-search automaton for every value it escaped, which
/// made vCards the slowest part of building a large directory.
pub fn member_vcard(site: &Site, e: &Entry<Member>) -> Vec<u8> {
    let m = &e.item;
    let urls = &site.config.urls;
    let profile = urls.permalink(&paths::member(&m.slug));
    let mut card = VCard::default();
    card.line("BEGIN", "VCARD");
    card.line("VERSION", "4.0");
    card.line("FN", &text(&m.name));
    card.line("KIND", "org");
    card.line("ORG", &text(&m.name));
    card.line("SOURCE", &profile);
    if let Some(website) = m.website.as_deref().filter(|u| is_uri(u)) {
        card.line("URL", website);
    }
    if let Some(email) = &m.email {
        card.line("EMAIL", &text(email));
    }
    if let Some(phone) = &m.phone {
        card.line("TEL", &text(phone));
    }
    let l = &m.location;
    if l.street.is_some() || l.postcode.is_some() || l.city.is_some() || l.country.is_some() {
        // ADR: post office box; extended address; street; locality; region; postal code;
        // country.
        let parts = [
            "",
            "",
            l.street.as_deref().unwrap_or(""),
            l.city.as_deref().unwrap_or(""),
            l.region.as_ref().map_or("", |r| r.name.as_str()),
            l.postcode.as_deref().unwrap_or(""),
            l.country.as_ref().map_or("", |c| c.name.as_str()),
        ];
        let adr: Vec<String> = parts.iter().map(|p| text(p)).collect();
        card.line("ADR", &adr.join(";"));
    }
    if let (Some(lat), Some(lon)) = (m.location.lat, m.location.lon) {
        card.line("GEO", &format!("geo:{lat},{lon}"));
    }
    if let Some(logo) = &m.logo {
        card.line("LOGO", &urls.asset_permalink(logo));
    }
    let summary = m.summary.as_deref().unwrap_or(&e.summary);
    if !summary.is_empty() {
        card.line("NOTE", &text(summary));
    }
    if !m.sectors.is_empty() {
        let categories: Vec<String> = m.sectors.iter().map(|t| text(&t.name)).collect();
        card.line("CATEGORIES", &categories.join(","));
    }
    card.line("UID", &profile);
    card.line("END", "VCARD");
    card.0.into_bytes()
}

/// The lines of a vCard, folded at 75 octets as RFC 6350 section 3.2 asks.
#[derive(Default)]
struct VCard(String);

impl VCard {
    fn line(&mut self, name: &str, value: &str) {
        let line = format!("{name}:{value}");
        let mut width = 0;
        for c in line.chars() {
            // Never split a character; a continuation line starts with one space.
            if width + c.len_utf8() > 75 {
                self.0.push_str("\r\n ");
                width = 1;
            }
            self.0.push(c);
            width += c.len_utf8();
        }
        self.0.push_str("\r\n");
    }
}

/// A text value with `\`, `,`, `;` and line breaks escaped (RFC 6350 section 3.4).
fn text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ',' => out.push_str("\\,"),
            ';' => out.push_str("\\;"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A web address fit to stand unescaped in a vCard line.
fn is_uri(value: &str) -> bool {
    (value.starts_with("https://") || value.starts_with("http://"))
        && !value.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Every open-data file: output path → bytes.
pub fn exports(site: &Site) -> Vec<(String, Vec<u8>)> {
    let mut out = vec![
        ("members.json".to_string(), members_json(site)),
        ("members.csv".to_string(), members_csv(site)),
        ("members.xlsx".to_string(), members_xlsx(site)),
    ];
    let members: Vec<_> = site.members.iter().collect();
    out.par_extend(members.par_iter().map(|(slug, e)| {
        (
            format!("{}{slug}.vcf", paths::member(slug)),
            member_vcard(site, e),
        )
    }));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vcard_text_is_escaped_and_long_lines_fold_between_characters() {
        assert_eq!(text("A; B, C\\D\nE"), "A\\; B\\, C\\\\D\\nE");
        let mut card = VCard::default();
        card.line("NOTE", &"é".repeat(60));
        let lines: Vec<&str> = card.0.split("\r\n").collect();
        assert!(lines.len() >= 3, "{lines:?}");
        for line in &lines {
            assert!(line.len() <= 75, "{line}");
        }
        let unfolded = card.0.replace("\r\n ", "");
        assert_eq!(unfolded, format!("NOTE:{}\r\n", "é".repeat(60)));
    }

    #[test]
    fn formula_cells_are_defused() {
        assert_eq!(
            defuse("=HYPERLINK(\"http://evil\")"),
            "'=HYPERLINK(\"http://evil\")"
        );
        assert_eq!(defuse("+49 30 1"), "'+49 30 1");
        assert_eq!(defuse("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(defuse("-1+1"), "'-1+1");
        assert_eq!(defuse("Acme"), "Acme");
    }
}
