//! Members: the companies, institutes and bodies that make up the cluster.
//!
//! `content/members/<slug>.md` → [`RawMember`] (exactly what the file may say) → [`Member`]
//! (checked values: terms with slugs, countries with names, URLs that are safe to link).

use std::collections::BTreeSet;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::check::Checker;
use super::types::{self, Country, Term};
use crate::content::front_matter::Seg;
use crate::text;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawMember {
    name: String,
    #[serde(rename = "type", default)]
    kind: MemberKind,
    summary: Option<String>,
    #[schemars(extend("x-clusterpress" = "image"))]
    logo: Option<String>,
    #[schemars(extend("x-clusterpress" = "url"))]
    website: Option<String>,
    #[schemars(extend("x-clusterpress" = "email"))]
    email: Option<String>,
    phone: Option<String>,
    #[serde(default)]
    #[schemars(extend("x-clusterpress" = "terms:sectors"))]
    sectors: Vec<String>,
    #[serde(default)]
    #[schemars(extend("x-clusterpress" = "terms:capabilities"))]
    capabilities: Vec<String>,
    #[serde(default)]
    #[schemars(extend("x-clusterpress" = "terms:capabilities"))]
    needs: Vec<String>,
    location: Option<RawLocation>,
    employees: Option<u32>,
    founded: Option<i32>,
    membership: Option<RawMembership>,
    #[serde(default)]
    certifications: Vec<String>,
    #[serde(default)]
    contacts: Vec<RawContact>,
    #[serde(default)]
    products: Vec<RawProduct>,
    #[serde(default)]
    social: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    extra: serde_json::Map<String, serde_json::Value>,
    #[serde(default)]
    pub(crate) draft: bool,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawLocation {
    street: Option<String>,
    #[schemars(with = "Option<String>")]
    postcode: Option<super::parts::RawPostcode>,
    city: Option<String>,
    #[schemars(extend("x-clusterpress" = "terms:regions"))]
    region: Option<String>,
    #[schemars(extend("x-clusterpress" = "country"))]
    country: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawMembership {
    tier: Option<String>,
    since: Option<i32>,
    #[serde(default)]
    status: MembershipStatus,
    left: Option<i32>,
}

/// Whether a member still belongs to the cluster. It sits under `membership:`, beside `since`,
/// because it says something about the membership, not about the organisation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
enum MembershipStatus {
    #[default]
    Current,
    /// A member that left: past events still name it, nothing current lists it.
    Former,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawContact {
    name: String,
    role: Option<String>,
    #[schemars(extend("x-clusterpress" = "email"))]
    email: Option<String>,
    phone: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawProduct {
    name: String,
    #[schemars(extend("x-clusterpress" = "text"))]
    description: Option<String>,
    #[schemars(extend("x-clusterpress" = "image"))]
    image: Option<String>,
}

/// What kind of organisation a member is.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Deserialize, JsonSchema, Serialize,
)]
#[serde(rename_all = "kebab-case")]
pub enum MemberKind {
    /// Most members are companies, so a profile without `type:` is one.
    #[default]
    Company,
    Research,
    Education,
    PublicBody,
    Association,
}

impl MemberKind {
    pub const ALL: [MemberKind; 5] = [
        MemberKind::Company,
        MemberKind::Research,
        MemberKind::Education,
        MemberKind::PublicBody,
        MemberKind::Association,
    ];

    /// The value written in front matter, also the slug of its directory filter.
    pub fn key(self) -> &'static str {
        match self {
            MemberKind::Company => "company",
            MemberKind::Research => "research",
            MemberKind::Education => "education",
            MemberKind::PublicBody => "public-body",
            MemberKind::Association => "association",
        }
    }
}

/// A member, checked and ready to render.
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    pub slug: String,
    pub name: String,
    pub kind: MemberKind,
    /// From front matter, or else the first paragraph of the body once rendered.
    pub summary: Option<String>,
    pub logo: Option<String>,
    pub website: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub sectors: Vec<Term>,
    pub capabilities: Vec<Term>,
    pub needs: Vec<Term>,
    pub location: Location,
    pub employees: Option<u32>,
    pub founded: Option<i32>,
    pub membership_tier: Option<String>,
    pub member_since: Option<i32>,
    /// The member left the cluster (`membership: {status: former}`): it is kept for the
    /// items that name it, not listed anywhere (see `Site::former`).
    pub former: bool,
    /// The year it left, if written.
    pub left: Option<i32>,
    pub certifications: Vec<String>,
    pub contacts: Vec<Contact>,
    pub products: Vec<Product>,
    pub social: Vec<(String, String)>,
    pub extra: serde_json::Map<String, serde_json::Value>,
    pub draft: bool,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Location {
    /// Street and number, for visitors and the vCard.
    pub street: Option<String>,
    pub postcode: Option<String>,
    pub city: Option<String>,
    pub region: Option<Term>,
    pub country: Option<Country>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    /// Whether the coordinates are outside the member's country (a warning): the member is
    /// then left off maps, not drawn far from where it is.
    pub misplaced: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contact {
    pub name: String,
    pub role: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Product {
    pub name: String,
    pub description: Option<String>,
    pub image: Option<String>,
}

/// Company size band, as the EU defines SMEs, for the directory's size filter.
pub fn size_band(employees: u32) -> (&'static str, &'static str) {
    match employees {
        0..=9 => ("micro", "1–9 employees"),
        10..=49 => ("small", "10–49 employees"),
        50..=249 => ("medium", "50–249 employees"),
        _ => ("large", "250+ employees"),
    }
}

/// Checks a raw member; problems go to `check`, and the member is returned with the bad
/// values left out so that later stages can still look for further problems.
pub(crate) fn check_member(slug: String, raw: RawMember, check: &mut Checker<'_>) -> Member {
    if raw.name.trim().is_empty() {
        check.refuse(
            &[Seg::Key("name")],
            (
                "the name is empty".into(),
                "write the organisation's name, e.g. `name: Acme Robotics GmbH`".into(),
            ),
        );
    }
    let logo = raw.logo.and_then(|l| check.image(&[Seg::Key("logo")], &l));
    let website = raw
        .website
        .and_then(|u| check.check(&[Seg::Key("website")], text::check_web_url(&u)));
    let email = raw
        .email
        .and_then(|e| check.check(&[Seg::Key("email")], text::check_email(&e)));
    let sectors = check.terms("sectors", &raw.sectors);
    let capabilities = check.terms("capabilities", &raw.capabilities);
    let needs = check.terms("needs", &raw.needs);

    let mut location = Location::default();
    if let Some(l) = raw.location {
        location.street = super::parts::clean(l.street);
        location.postcode = check.postcode(&[Seg::Key("location")], l.postcode);
        location.city = l
            .city
            .map(|c| c.trim().to_string())
            .filter(|c| !c.is_empty());
        location.region = l.region.and_then(|r| {
            check.check(
                &[Seg::Key("location"), Seg::Key("region")],
                types::check_term(&r),
            )
        });
        location.country = l.country.and_then(|c| {
            check.check(
                &[Seg::Key("location"), Seg::Key("country")],
                types::check_country(&c),
            )
        });
        location.lat = l.lat.filter(|lat| {
            let ok = (-90.0..=90.0).contains(lat);
            if !ok {
                check.refuse(
                    &[Seg::Key("location"), Seg::Key("lat")],
                    (
                        format!("latitude {lat} is outside -90 … 90"),
                        "write the latitude in decimal degrees, e.g. `47.61`".into(),
                    ),
                );
            }
            ok
        });
        location.lon = l.lon.filter(|lon| {
            let ok = (-180.0..=180.0).contains(lon);
            if !ok {
                check.refuse(
                    &[Seg::Key("location"), Seg::Key("lon")],
                    (
                        format!("longitude {lon} is outside -180 … 180"),
                        "write the longitude in decimal degrees, e.g. `7.66`".into(),
                    ),
                );
            }
            ok
        });
        // Coordinates in another country than the member's: a slip (swapped, a sign lost,
        // copied from the wrong place) that puts its marker far from where it is.
        if let (Some(lat), Some(lon), Some(country)) =
            (location.lat, location.lon, &location.country)
            && let Some(doubt) = crate::map::misplaced(&country.code, &country.name, lon, lat)
        {
            check.warn(&[Seg::Key("location"), Seg::Key("lat")], doubt);
            location.misplaced = true;
        }
    }

    let this_year = check.now_year();
    let mut year = |field: &'static str, path: &[Seg<'_>], value: Option<i32>| {
        value.filter(|y| {
            let ok = (1000..=this_year).contains(y);
            if !ok {
                check.refuse(
                    path,
                    (
                        format!("{field} {y} is not a year between 1000 and {this_year}"),
                        "write a four-digit year, e.g. `1987`".into(),
                    ),
                );
            }
            ok
        })
    };
    let founded = year("founded", &[Seg::Key("founded")], raw.founded);
    let (membership_tier, member_since, former, left) = match raw.membership {
        Some(m) => {
            let former = m.status == MembershipStatus::Former;
            let since = year(
                "membership since",
                &[Seg::Key("membership"), Seg::Key("since")],
                m.since,
            );
            let mut left = year(
                "membership left",
                &[Seg::Key("membership"), Seg::Key("left")],
                m.left,
            );
            let left_path = [Seg::Key("membership"), Seg::Key("left")];
            if left.is_some() && !former {
                left = None;
                check.refuse(
                    &left_path,
                    (
                        "`left` is written but the member is not a former member".into(),
                        "add `status: former` under `membership:`, or remove `left`".into(),
                    ),
                );
            }
            if let (Some(s), Some(l)) = (since, left)
                && l < s
            {
                left = None;
                check.refuse(
                    &left_path,
                    (
                        format!("the member left in {l}, before it joined in {s}"),
                        "write the year the membership ended, not before `since`".into(),
                    ),
                );
            }
            let tier = m
                .tier
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty());
            (tier, since, former, left)
        }
        None => (None, None, false, None),
    };

    let mut contacts = Vec::new();
    for (i, c) in raw.contacts.into_iter().enumerate() {
        if c.name.trim().is_empty() {
            check.refuse(
                &[Seg::Key("contacts"), Seg::Index(i), Seg::Key("name")],
                (
                    "the contact's name is empty".into(),
                    "write the person's name".into(),
                ),
            );
        }
        let email = c.email.and_then(|e| {
            check.check(
                &[Seg::Key("contacts"), Seg::Index(i), Seg::Key("email")],
                text::check_email(&e),
            )
        });
        contacts.push(Contact {
            name: c.name,
            role: c.role,
            email,
            phone: c.phone,
        });
    }
    let mut products = Vec::new();
    for (i, p) in raw.products.into_iter().enumerate() {
        if p.name.trim().is_empty() {
            check.refuse(
                &[Seg::Key("products"), Seg::Index(i), Seg::Key("name")],
                (
                    "the product's name is empty".into(),
                    "write the product's name".into(),
                ),
            );
        }
        let image = p.image.and_then(|img| {
            check.image(
                &[Seg::Key("products"), Seg::Index(i), Seg::Key("image")],
                &img,
            )
        });
        products.push(Product {
            name: p.name,
            description: p.description,
            image,
        });
    }
    let mut social = Vec::new();
    for (network, url) in raw.social {
        if let Some(url) = check.check(
            &[Seg::Key("social"), Seg::Key(&network)],
            text::check_web_url(&url),
        ) {
            social.push((network, url));
        }
    }
    let mut seen = BTreeSet::new();
    let certifications = raw
        .certifications
        .into_iter()
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty() && seen.insert(c.clone()))
        .collect();

    Member {
        slug,
        name: raw.name.trim().to_string(),
        kind: raw.kind,
        summary: raw
            .summary
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty()),
        logo,
        website,
        email,
        phone: raw.phone,
        sectors,
        capabilities,
        needs,
        location,
        employees: raw.employees,
        founded,
        membership_tier,
        member_since,
        former,
        left,
        certifications,
        contacts,
        products,
        social,
        extra: raw.extra,
        draft: raw.draft,
    }
}

impl super::collection::Collection for Member {
    const KEY: &'static str = "members";
    const TITLE: &'static str = "Members";
    const MENU: &'static str = "Members";
    const FIRST: bool = true;
    type Raw = RawMember;

    fn is_draft(raw: &RawMember) -> bool {
        raw.draft
    }

    fn check(slug: String, raw: RawMember, check: &mut Checker<'_>) -> Option<Self> {
        Some(check_member(slug, raw, check))
    }

    fn slug(&self) -> &str {
        &self.slug
    }

    fn title(&self) -> &str {
        &self.name
    }

    fn summary(&self) -> Option<&str> {
        self.summary.as_deref()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;
    use std::path::PathBuf;

    use crate::content::Document;
    use crate::diag::{Diagnostic, Severity};
    use crate::model::{LoadOptions, Site, load_site};

    const CONFIG: &str = "name: T\nbase_url: https://t.example/\n";
    const GONE: &str = "---\nname: Gone GmbH\nsectors: [Robotics]\nmembership:\n  since: 2010\n  status: former\n  left: 2024\n---\nGone.\n";
    const STAYS: &str = "---\nname: Stays AG\nsectors: [Robotics]\n---\nStays.\n";

    /// The site and every problem of `files`, as of 2026-12-04.
    fn load(files: &[(&str, &str)]) -> (Site, Vec<Diagnostic>) {
        let (config, _) =
            crate::config::parse(&PathBuf::from("/site"), CONFIG.into(), &Default::default())
                .expect("config");
        let docs = files
            .iter()
            .map(|(path, text)| {
                let (collection, name) = path.split_once('/').expect("a folder");
                let file = PathBuf::from(format!("content/{path}"));
                Document::from_text(
                    file,
                    collection.into(),
                    name.trim_end_matches(".md").into(),
                    text,
                )
                .expect("a document")
            })
            .collect();
        let opts = LoadOptions {
            drafts: false,
            now: jiff::civil::date(2026, 12, 4),
            images: None,
        };
        let (site, diags) = load_site(config, docs, BTreeMap::new(), opts);
        (site, diags.into_iter().collect())
    }

    #[test]
    fn a_former_member_is_kept_apart_from_the_members() {
        let (site, diags) = load(&[("members/gone.md", GONE), ("members/stays.md", STAYS)]);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(site.member_order, ["stays"]);
        assert!(!site.members.contains_key("gone"));
        let gone = &site.former["gone"].item;
        assert!(gone.former);
        assert_eq!((gone.member_since, gone.left), (Some(2010), Some(2024)));
        let robotics = &site.taxonomy("sectors").expect("sectors").terms[0];
        assert_eq!(robotics.members, ["stays"]);
    }

    #[test]
    fn a_past_event_names_a_former_member_freely_and_a_coming_one_with_a_warning() {
        let past = "---\ntitle: Then\nkind: workshop\nstart: 2025-03-01\norganizer: gone\n---\n";
        let coming = "---\ntitle: Soon\nkind: workshop\nstart: 2027-03-01\nparticipants: [stays, gone]\n---\n";
        let (site, diags) = load(&[
            ("members/gone.md", GONE),
            ("members/stays.md", STAYS),
            ("events/then.md", past),
            ("events/soon.md", coming),
        ]);
        assert_eq!(site.events.len(), 2);
        assert_eq!(diags.len(), 1, "{diags:?}");
        let d = &diags[0];
        assert_eq!(d.severity, Severity::Warning);
        assert_eq!(
            d.file.as_deref(),
            Some(std::path::Path::new("content/events/soon.md"))
        );
        assert_eq!(d.field.as_deref(), Some("participants[1]"));
        assert_eq!(d.span.map(|s| s.line), Some(5));
    }

    #[test]
    fn left_needs_status_former_and_comes_after_since() {
        let not_former = "---\nname: X\nmembership:\n  left: 2024\n---\n";
        let too_early =
            "---\nname: Y\nmembership:\n  since: 2020\n  status: former\n  left: 2019\n---\n";
        let (_, diags) = load(&[("members/x.md", not_former), ("members/y.md", too_early)]);
        let mut said: Vec<(String, String)> = diags
            .iter()
            .map(|d| (d.field.clone().unwrap_or_default(), d.message.clone()))
            .collect();
        said.sort();
        assert_eq!(
            said,
            [
                (
                    "membership.left".to_string(),
                    "`left` is written but the member is not a former member".to_string()
                ),
                (
                    "membership.left".to_string(),
                    "the member left in 2019, before it joined in 2020".to_string()
                ),
            ]
        );
    }
}
