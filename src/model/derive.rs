//! What is computed from the loaded items rather than written: member taxonomies, the
//! members of each catalogue, what each member takes part in, and the supply chain.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::i18n::Locale;
use rayon::prelude::*;

use super::catalogue::{CatalogueEntry, Order, Selection};
use super::collection::{Collection, Visit};
use super::member::Member;
use super::types::Term;
use super::{Site, Taxonomy, TermEntry, sort_by_name};

/// What a member takes part in: the slugs of the items that name it, by collection key
/// (`events`, `training`, …), each list in the collection's order for member pages (see
/// [`Collection::in_member_order`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Backlinks(BTreeMap<&'static str, Vec<String>>);

impl Backlinks {
    /// The slugs of the items of collection `key` that name the member.
    pub fn of(&self, key: &str) -> &[String] {
        self.0.get(key).map_or(&[], Vec::as_slice)
    }

    /// Every item that names the member, as (collection key, slug).
    pub fn items(&self) -> impl Iterator<Item = (&'static str, &str)> {
        self.0
            .iter()
            .flat_map(|(key, slugs)| slugs.iter().map(|s| (*key, s.as_str())))
    }
}

/// One capability of the supply chain: who offers it and who needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct SupplyLine {
    pub name: String,
    pub slug: String,
    /// Member slugs, A–Z.
    pub offered_by: Vec<String>,
    pub needed_by: Vec<String>,
}

pub(crate) fn taxonomies(site: &Site) -> Vec<Taxonomy> {
    type Pick = fn(&Member, &Locale) -> Vec<Term>;
    let locale: &Locale = &site.config.locale;
    let specs: [(&'static str, Pick); 5] = [
        ("sectors", |m, _| m.sectors.clone()),
        ("capabilities", |m, _| m.capabilities.clone()),
        ("regions", |m, _| {
            m.location.region.iter().cloned().collect()
        }),
        // Countries and member types by their names in the site's language.
        ("countries", |m, l| {
            m.location
                .country
                .iter()
                .map(|c| Term::new(l.country(&c.code), c.code.to_ascii_lowercase()))
                .collect()
        }),
        ("types", |m, l| {
            vec![Term::new(l.member_kind(m.kind.key()), m.kind.key())]
        }),
    ];
    // Members A–Z, looked up once for all five taxonomies.
    let members = site.members_a_z();
    specs
        .into_par_iter()
        .map(|(key, pick)| {
            let mut terms: HashMap<String, TermEntry> = HashMap::new();
            for (slug, entry) in &members {
                for term in pick(&entry.item, locale) {
                    let t = terms.entry(term.slug).or_insert_with_key(|slug| TermEntry {
                        name: term.name.clone(),
                        slug: slug.clone(),
                        members: Vec::new(),
                    });
                    t.members.push((*slug).clone());
                }
            }
            let order = sort_by_name(terms.values().map(|t| (t.name.as_str(), t.slug.as_str())));
            let sorted = order.iter().filter_map(|s| terms.remove(s)).collect();
            Taxonomy {
                key,
                title: locale.text(&format!("taxonomies.{key}.title")).to_string(),
                singular: locale
                    .text(&format!("taxonomies.{key}.singular"))
                    .to_string(),
                terms: sorted,
            }
        })
        .collect()
}

/// Fills in each catalogue's final list of entries: explicit entries, then members selected
/// by its rule, in the order it asks for.
pub(crate) fn catalogue_entries(site: &mut Site) {
    let mut all = BTreeMap::new();
    for (slug, entry) in &site.catalogues {
        let c = &entry.item;
        let mut entries: Vec<CatalogueEntry> = c.explicit.clone();
        if let Some(selection) = &c.selection {
            for member in &site.member_order {
                if entries.iter().any(|e| &e.member == member) {
                    continue;
                }
                if selects(selection, &site.members[member].item) {
                    entries.push(CatalogueEntry {
                        member: member.clone(),
                        products: None,
                    });
                }
            }
        }
        if c.order == Order::Name {
            let position: BTreeMap<&String, usize> = site
                .member_order
                .iter()
                .enumerate()
                .map(|(i, s)| (s, i))
                .collect();
            entries.sort_by_key(|e| position.get(&e.member).copied().unwrap_or(usize::MAX));
        }
        all.insert(slug.clone(), entries);
    }
    for (slug, entries) in all {
        if let Some(c) = site.catalogues.get_mut(&slug) {
            c.item.entries = entries;
        }
    }
}

fn selects(s: &Selection, m: &Member) -> bool {
    let any = |wanted: &[Term], have: &[Term]| {
        wanted.is_empty() || wanted.iter().any(|w| have.iter().any(|h| h.slug == w.slug))
    };
    let region: Vec<Term> = m.location.region.iter().cloned().collect();
    let country_ok = s.countries.is_empty()
        || m.location
            .country
            .as_ref()
            .is_some_and(|c| s.countries.contains(&c.code));
    let type_ok = s.types.is_empty() || s.types.iter().any(|t| t == m.kind.key());
    !s.is_empty()
        && any(&s.sectors, &m.sectors)
        && any(&s.capabilities, &m.capabilities)
        && any(&s.regions, &region)
        && country_ok
        && type_ok
}

/// For each member, the items that name it: events as the events page orders them, the
/// others by file name.
pub(crate) fn backlinks(site: &Site) -> BTreeMap<String, Backlinks> {
    struct Collect<'s> {
        site: &'s Site,
        out: BTreeMap<String, Backlinks>,
    }
    impl Visit for Collect<'_> {
        fn visit<C: Collection>(&mut self) {
            for e in C::in_member_order(self.site) {
                for member in e.item.members() {
                    if let Some(Backlinks(b)) = self.out.get_mut(member) {
                        let list = b.entry(C::KEY).or_default();
                        if !list.iter().any(|i| i == e.item.slug()) {
                            list.push(e.item.slug().to_string());
                        }
                    }
                }
            }
        }
    }
    let mut collect = Collect {
        site,
        out: site
            .members
            .keys()
            .map(|s| (s.clone(), Backlinks::default()))
            .collect(),
    };
    super::collection::each(&mut collect);
    collect.out
}

/// Every capability that someone offers or needs, A–Z, with both sides A–Z.
pub(crate) fn supply_chain(site: &Site) -> Vec<SupplyLine> {
    let mut lines: BTreeMap<String, SupplyLine> = BTreeMap::new();
    for slug in &site.member_order {
        let m = &site.members[slug].item;
        for (terms, offered) in [(&m.capabilities, true), (&m.needs, false)] {
            for t in terms {
                let line = lines.entry(t.slug.clone()).or_insert_with(|| SupplyLine {
                    name: t.name.clone(),
                    slug: t.slug.clone(),
                    offered_by: Vec::new(),
                    needed_by: Vec::new(),
                });
                let list = if offered {
                    &mut line.offered_by
                } else {
                    &mut line.needed_by
                };
                list.push(slug.clone());
            }
        }
    }
    let order = sort_by_name(lines.values().map(|l| (l.name.as_str(), l.slug.as_str())));
    order.into_iter().filter_map(|s| lines.remove(&s)).collect()
}

/// For each member, the members whose capabilities meet its needs (potential suppliers) and
/// whose needs its capabilities meet (potential customers), each A–Z, without itself.
///
/// Computed once from the supply chain, so that a site of thousands of members does not
/// compare every member with every other.
pub(crate) fn matchmaking(site: &Site, supply_chain: &[SupplyLine]) -> BTreeMap<String, Matches> {
    let lines: HashMap<&str, &SupplyLine> =
        supply_chain.iter().map(|l| (l.slug.as_str(), l)).collect();
    let position: HashMap<&str, usize> = site
        .member_order
        .iter()
        .enumerate()
        .map(|(i, s)| (s.as_str(), i))
        .collect();
    let collect =
        |slug: &str, terms: &[Term], side: fn(&SupplyLine) -> &Vec<String>| -> Vec<String> {
            let mut found: BTreeSet<usize> = BTreeSet::new();
            for t in terms {
                if let Some(line) = lines.get(t.slug.as_str()) {
                    found.extend(
                        side(line)
                            .iter()
                            .filter(|m| m.as_str() != slug)
                            .filter_map(|m| position.get(m.as_str()).copied()),
                    );
                }
            }
            found
                .into_iter()
                .map(|i| site.member_order[i].clone())
                .collect()
        };
    site.members
        .par_iter()
        .map(|(slug, m)| {
            let suppliers = collect(slug, &m.item.needs, |l| &l.offered_by);
            let customers = collect(slug, &m.item.capabilities, |l| &l.needed_by);
            (
                slug.clone(),
                Matches {
                    suppliers,
                    customers,
                },
            )
        })
        .collect()
}

/// A member's potential suppliers and customers, by slug.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Matches {
    pub suppliers: Vec<String>,
    pub customers: Vec<String>,
}
