//! One name for every term, and a word about terms that drift apart (issue 19).
//!
//! A term is known by its slug, so `CNC turning` and `cnc-turning` are one term; it is shown
//! the way most members write it (a capability as members offer it, before how they need it).
//! Terms whose slugs differ only by a plural or a hyphen (`Surface coatings`, `Surface
//! coating`) are two terms that never match: without a vocabulary for them, `check` says so.
//! With a vocabulary every term is already its label, and an unknown one is an error of its
//! own file ([`crate::model::check`]).

use std::cmp::Reverse;

use rayon::prelude::*;
use std::collections::HashMap;

use super::Site;
use super::member::Member;
use super::types::Term;
use crate::content::front_matter::{self, Seg, YamlSource};
use crate::diag::{Diagnostic, Diagnostics, Span, did_you_mean};
use crate::terms::loose_key;

/// A member's field of terms, by its name in the file.
type Field = (&'static str, fn(&Member) -> &[Term]);

/// The member lists that hold one kind of term, and the name of the kind for messages.
struct Group {
    /// The vocabulary's list and the taxonomy key (`capabilities` also holds `needs`).
    key: &'static str,
    plural: &'static str,
    /// Each field of a member that holds terms of this kind, with its name.
    fields: &'static [Field],
}

const GROUPS: &[Group] = &[
    Group {
        key: "sectors",
        plural: "sectors",
        fields: &[("sectors", |m| &m.sectors)],
    },
    Group {
        key: "capabilities",
        plural: "capabilities",
        fields: &[
            ("capabilities", |m| &m.capabilities),
            ("needs", |m| &m.needs),
        ],
    },
    Group {
        key: "regions",
        plural: "regions",
        fields: &[("location.region", |m| m.location.region.as_slice())],
    },
];

/// One way a term is written, and how often, by whom first.
struct Spelling {
    written: String,
    slug: String,
    /// Uses in the group's first field (capabilities offered), then in the others (needs).
    offered: usize,
    other: usize,
    /// The first member (A–Z) writing it, and in which field.
    first: usize,
    field: &'static str,
}

impl Spelling {
    fn uses(&self) -> usize {
        self.offered + self.other
    }
}

/// Names every member's sectors, capabilities, needs and region, and the terms catalogues
/// select by, by each term's one name; returns warnings about drifting spellings.
pub(crate) fn spell_terms(site: &mut Site) -> Diagnostics {
    // The groups read the site only: they are counted side by side.
    let members: Vec<&Member> = site
        .members_a_z()
        .into_iter()
        .map(|(_, e)| &e.item)
        .collect();
    let per_group: Vec<(&'static str, HashMap<String, String>, Vec<Diagnostic>)> = GROUPS
        .par_iter()
        .map(|group| {
            let site: &Site = site;
            let spellings = count(&members, group);
            // A slug's name: its most used spelling where offered, then where needed; the
            // first A–Z on a tie.
            let mut by_slug: HashMap<&str, &Spelling> = HashMap::new();
            for s in &spellings {
                let best = by_slug.entry(&s.slug).or_insert(s);
                if (s.offered, s.other, Reverse(s.first))
                    > (best.offered, best.other, Reverse(best.first))
                {
                    *best = s;
                }
            }
            let diags = match site.config.vocabulary.for_field(group.key) {
                None => drift(site, group, &spellings, &by_slug),
                Some(_) => Vec::new(),
            };
            let named = by_slug
                .into_iter()
                .map(|(slug, s)| (slug.to_string(), s.written.clone()))
                .collect();
            (group.key, named, diags)
        })
        .collect();
    let mut diags = Diagnostics::new();
    let mut names: HashMap<&'static str, HashMap<String, String>> = HashMap::new();
    for (key, named, d) in per_group {
        diags.extend(d);
        names.insert(key, named);
    }
    rename(site, &names);
    diags
}

/// Every spelling of the group's terms, in A–Z member order of first use.
fn count(members: &[&Member], group: &Group) -> Vec<Spelling> {
    let mut at: HashMap<&str, usize> = HashMap::new();
    let mut out: Vec<Spelling> = Vec::new();
    for (i, m) in members.iter().enumerate() {
        for (f, (field, terms)) in group.fields.iter().enumerate() {
            for t in terms(m) {
                let n = *at.entry(t.written.as_str()).or_insert_with(|| {
                    out.push(Spelling {
                        written: t.written.clone(),
                        slug: t.slug.clone(),
                        offered: 0,
                        other: 0,
                        first: i,
                        field,
                    });
                    out.len() - 1
                });
                if f == 0 {
                    out[n].offered += 1;
                } else {
                    out[n].other += 1;
                }
            }
        }
    }
    out
}

/// Warnings about spellings that differ only by case, hyphens or a plural, and about needs no
/// member offers though a capability of nearly the same name is offered.
fn drift(
    site: &Site,
    group: &Group,
    spellings: &[Spelling],
    by_slug: &HashMap<&str, &Spelling>,
) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    // At the line of the field in the first file that writes the spelling.
    let at = |s: &Spelling, message: String, help: String| {
        let member = &site.members[&site.member_order[s.first]];
        let mut d = Diagnostic::warning(message).field(s.field).help(help);
        if let Some(doc) = &member.doc {
            let text = doc.source_text(&site.config.root);
            let path: Vec<Seg<'_>> = s.field.split('.').map(Seg::Key).collect();
            let mut src = doc.yaml_source();
            src.file_text = &text;
            src.yaml = text.get(doc.yaml_range()).unwrap_or_default();
            d = d
                .in_file(&doc.path)
                .at(&text, item_span(src, &path, &s.written));
        }
        d
    };
    let mut loose: HashMap<String, Vec<&Spelling>> = HashMap::new();
    for s in spellings {
        loose.entry(loose_key(&s.slug)).or_default().push(s);
    }
    let mut groups: Vec<&Vec<&Spelling>> = loose.values().filter(|g| g.len() > 1).collect();
    groups.sort_by_key(|g| g.iter().map(|s| s.first).min());
    for spelt in groups {
        let main = spelt
            .iter()
            .max_by_key(|s| (s.offered, s.uses(), Reverse(s.first)))
            .expect("a group has spellings");
        for s in spelt.iter().filter(|s| s.written != main.written) {
            let others = main.uses();
            let by = if others == 1 {
                "1 member does".to_string()
            } else {
                format!("{others} members do")
            };
            diags.push(if s.slug == main.slug {
                at(
                    s,
                    format!("`{}` is written `{}` elsewhere", s.written, main.written),
                    format!(
                        "write it the same way everywhere, e.g. `{}` as {by}; it is shown that way",
                        main.written
                    ),
                )
            } else {
                at(
                    s,
                    format!(
                        "`{}` and `{}` differ only by a plural, a hyphen or case, but are two {} that never match",
                        s.written, main.written, group.plural
                    ),
                    format!(
                        "write `{}` as {by}, or give the site a `vocabulary` with one label for both",
                        main.written
                    ),
                )
            });
        }
    }
    // A need nobody offers, while a capability of nearly its name is offered.
    if group.fields.len() > 1 {
        let offered: Vec<&str> = by_slug
            .values()
            .filter(|s| s.offered > 0)
            .map(|s| s.written.as_str())
            .collect();
        for s in spellings.iter().filter(|s| s.offered == 0) {
            let best = by_slug.get(s.slug.as_str());
            if best.is_some_and(|b| b.offered > 0) {
                continue; // the same term, offered under another spelling
            }
            let near = loose
                .get(&loose_key(&s.slug))
                .is_some_and(|g| g.iter().any(|o| o.offered > 0));
            if near {
                continue; // warned about above
            }
            if let Some(like) = did_you_mean(&s.written, offered.iter().copied()) {
                diags.push(at(
                    s,
                    format!("no member offers `{}`, but `{like}` is offered", s.written),
                    format!("write `{like}` if that is what is needed, so that the two match"),
                ));
            }
        }
    }
    diags
}

/// Where a list writes `written`: the item itself when it can be found, else the list.
fn item_span(src: YamlSource<'_>, path: &[Seg<'_>], written: &str) -> Span {
    let list = front_matter::locate(src, path);
    let shown = |span: Span| -> String {
        let line = src
            .file_text
            .lines()
            .nth(span.line.saturating_sub(1))
            .unwrap_or("");
        let value: String = line
            .chars()
            .skip(span.column.saturating_sub(1))
            .take(span.len)
            .collect();
        value
            .trim()
            .trim_matches(|c| c == '"' || c == '\'')
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut last = list;
    for i in 0..1000 {
        let mut at: Vec<Seg<'_>> = path.to_vec();
        at.push(Seg::Index(i));
        let span = front_matter::locate(src, &at);
        if span == last || span == list {
            break;
        }
        if shown(span) == written {
            return span;
        }
        last = span;
    }
    list
}

/// Gives every term of members and catalogue selections its one name.
fn rename(site: &mut Site, names: &HashMap<&'static str, HashMap<String, String>>) {
    let name = |key: &str, terms: &mut [Term]| {
        if let Some(map) = names.get(key) {
            for t in terms {
                if let Some(n) = map.get(&t.slug) {
                    n.clone_into(&mut t.name);
                }
            }
        }
    };
    site.members.par_iter_mut().for_each(|(_, m)| {
        let m = &mut m.item;
        name("sectors", &mut m.sectors);
        name("capabilities", &mut m.capabilities);
        name("capabilities", &mut m.needs);
        name("regions", m.location.region.as_mut_slice());
    });
    for c in site.catalogues.values_mut() {
        if let Some(s) = c.item.selection.as_mut() {
            name("sectors", &mut s.sectors);
            name("capabilities", &mut s.capabilities);
            name("regions", &mut s.regions);
        }
    }
}
