//! Joint catalogues: a selection of members and their products, for buyers and brochures.

use schemars::JsonSchema;
use serde::Deserialize;

use super::check::Checker;
use super::parts::clean;
use super::types::{self, Term};
use crate::content::front_matter::Seg;
use crate::diag::did_you_mean;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCatalogue {
    title: String,
    edition: Option<String>,
    summary: Option<String>,
    #[schemars(extend("x-clusterpress" = "image"))]
    cover: Option<String>,
    #[serde(default)]
    entries: Vec<RawEntry>,
    select: Option<RawSelect>,
    #[serde(default)]
    order: Order,
    #[serde(default)]
    pub(crate) draft: bool,
    #[serde(default)]
    extra: serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    #[schemars(extend("x-clusterpress" = "member"))]
    member: String,
    products: Option<Vec<String>>,
}

#[derive(Debug, Deserialize, JsonSchema, Default)]
#[serde(deny_unknown_fields)]
struct RawSelect {
    #[serde(default)]
    #[schemars(extend("x-clusterpress" = "terms:sectors"))]
    sectors: Vec<String>,
    #[serde(default)]
    #[schemars(extend("x-clusterpress" = "terms:capabilities"))]
    capabilities: Vec<String>,
    #[serde(default)]
    #[schemars(extend("x-clusterpress" = "terms:regions"))]
    regions: Vec<String>,
    #[serde(default)]
    #[schemars(extend("x-clusterpress" = "country"))]
    countries: Vec<String>,
    #[serde(default)]
    #[schemars(extend("x-clusterpress" = "member-type"))]
    types: Vec<String>,
}

/// The order of a catalogue's entries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Order {
    /// Explicit entries as listed, then selected members A–Z.
    #[default]
    Listed,
    /// Everything A–Z by member name.
    Name,
}

/// One member in a catalogue, with the products shown (`None`: all of them).
#[derive(Debug, Clone, PartialEq)]
pub struct CatalogueEntry {
    pub member: String,
    pub products: Option<Vec<String>>,
}

/// "All members that match": every non-empty list must match (a member matches a list when
/// it has at least one of its terms).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Selection {
    pub sectors: Vec<Term>,
    pub capabilities: Vec<Term>,
    pub regions: Vec<Term>,
    pub countries: Vec<String>,
    pub types: Vec<String>,
}

impl Selection {
    pub fn is_empty(&self) -> bool {
        self.sectors.is_empty()
            && self.capabilities.is_empty()
            && self.regions.is_empty()
            && self.countries.is_empty()
            && self.types.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Catalogue {
    pub slug: String,
    pub title: String,
    pub edition: Option<String>,
    pub summary: Option<String>,
    pub cover: Option<String>,
    pub explicit: Vec<CatalogueEntry>,
    pub selection: Option<Selection>,
    pub order: Order,
    /// The final list, filled in when the whole site is known.
    pub entries: Vec<CatalogueEntry>,
    pub extra: serde_json::Map<String, serde_json::Value>,
}

pub(crate) fn check_catalogue(
    slug: String,
    raw: RawCatalogue,
    check: &mut Checker<'_>,
) -> Catalogue {
    let title = check.title("title", raw.title);
    let mut explicit = Vec::new();
    for (i, e) in raw.entries.into_iter().enumerate() {
        let Some(member) = check.member(
            &[Seg::Key("entries"), Seg::Index(i), Seg::Key("member")],
            &e.member,
        ) else {
            continue;
        };
        // A catalogue shows the cluster as it is: a member that left is warned about (the
        // catalogue is current) and left out, whatever products the entry lists.
        if check.is_former(&member) {
            continue;
        }
        if explicit.iter().any(|x: &CatalogueEntry| x.member == member) {
            check.refuse(
                &[Seg::Key("entries"), Seg::Index(i), Seg::Key("member")],
                (
                    format!("`{member}` is listed twice"),
                    "list each member once, with all its products".into(),
                ),
            );
            continue;
        }
        let known = check.products_of(&member);
        let products = e.products.map(|list| {
            let mut kept = Vec::new();
            for (j, p) in list.iter().enumerate() {
                if known.iter().any(|k| k == p.trim()) {
                    kept.push(p.trim().to_string());
                } else {
                    let help = match did_you_mean(p, known.iter().map(String::as_str)) {
                        Some(best) => format!("did you mean `{best}`?"),
                        None if known.is_empty() => {
                            format!("`{member}` lists no products; add them to its profile first")
                        }
                        None => format!("products of `{member}`: {}", crate::diag::one_of(&known)),
                    };
                    check.refuse(
                        &[
                            Seg::Key("entries"),
                            Seg::Index(i),
                            Seg::Key("products"),
                            Seg::Index(j),
                        ],
                        (format!("`{member}` has no product `{}`", p.trim()), help),
                    );
                }
            }
            kept
        });
        explicit.push(CatalogueEntry { member, products });
    }
    let selection = raw.select.map(|s| {
        let mut countries = Vec::new();
        for (i, c) in s.countries.iter().enumerate() {
            if let Some(c) = check.check(
                &[Seg::Key("select"), Seg::Key("countries"), Seg::Index(i)],
                types::check_country(c),
            ) {
                countries.push(c.code);
            }
        }
        let mut kinds = Vec::new();
        for (i, t) in s.types.iter().enumerate() {
            let keys = super::member::MemberKind::ALL.map(|k| k.key());
            if keys.contains(&t.as_str()) {
                kinds.push(t.clone());
            } else {
                let help = match did_you_mean(t, keys) {
                    Some(best) => format!("did you mean `{best}`?"),
                    None => format!("member types are {}", crate::diag::one_of(&keys)),
                };
                check.refuse(
                    &[Seg::Key("select"), Seg::Key("types"), Seg::Index(i)],
                    (format!("no member type `{t}`"), help),
                );
            }
        }
        Selection {
            sectors: check.nested_terms(&["select", "sectors"], &s.sectors),
            capabilities: check.nested_terms(&["select", "capabilities"], &s.capabilities),
            regions: check.nested_terms(&["select", "regions"], &s.regions),
            countries,
            types: kinds,
        }
    });
    if explicit.is_empty() && selection.as_ref().is_none_or(Selection::is_empty) {
        check.refuse(&[Seg::Key("title")], ("the catalogue selects no members".into(), "add `entries:` with members, or a `select:` rule such as `select: {sectors: [Automation]}`".into()));
    }
    Catalogue {
        slug,
        title,
        edition: clean(raw.edition),
        summary: clean(raw.summary),
        cover: raw
            .cover
            .and_then(|c| check.image(&[Seg::Key("cover")], &c)),
        explicit,
        selection,
        order: raw.order,
        entries: Vec::new(),
        extra: raw.extra,
    }
}

impl super::collection::Collection for Catalogue {
    const KEY: &'static str = "catalogues";
    const TITLE: &'static str = "Joint catalogues";
    const MENU: &'static str = "Catalogues";
    type Raw = RawCatalogue;

    fn is_draft(raw: &RawCatalogue) -> bool {
        raw.draft
    }

    fn check(slug: String, raw: RawCatalogue, check: &mut Checker<'_>) -> Option<Self> {
        Some(check_catalogue(slug, raw, check))
    }

    /// A catalogue presents the members as they are now: naming one that left is a warning.
    fn is_current(&self, _now: jiff::civil::Date) -> bool {
        true
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

    /// The members of its entries, written or selected.
    fn members(&self) -> Vec<&str> {
        self.entries.iter().map(|e| e.member.as_str()).collect()
    }
}
