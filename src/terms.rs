//! Terms: the words members are filed and matched by (sectors, capabilities, needs, topics),
//! and the site's optional controlled vocabulary of them.
//!
//! A term is known by its slug, so `CNC turning`, `cnc turning` and `CNC-Turning` are one term
//! with one page. Terms that differ by more than that but mean the same (`Surface coatings`,
//! `surface coating`) are caught by their [`loose_key`], and a [`Vocabulary`] maps synonyms to
//! one canonical label.

use std::collections::HashMap;

use serde::Serialize;

use crate::text::{MAX_NAME_BYTES, Refusal, shortened};

/// A term: how it is shown, the slug of its page, and how the file wrote it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Term {
    /// Shown on pages: the vocabulary's label, or the spelling the site uses most often.
    pub name: String,
    pub slug: String,
    /// As the file wrote it (spaces tidied): what differing spellings are found by.
    #[serde(skip)]
    pub written: String,
}

impl Term {
    /// A term shown as written, e.g. one made by the program (a country, a member type).
    pub fn new(name: impl Into<String>, slug: impl Into<String>) -> Term {
        let name = name.into();
        Term {
            written: name.clone(),
            name,
            slug: slug.into(),
        }
    }
}

/// Checks a term as a file writes it.
pub fn check_term(value: &str) -> Result<Term, Refusal> {
    let name = value.split_whitespace().collect::<Vec<_>>().join(" ");
    let slug = slug::slugify(&name);
    if slug.is_empty() {
        return Err((
            "an empty or symbol-only term".into(),
            "write a word, e.g. `Automation`".into(),
        ));
    }
    // The term's page is a folder named by its slug; a letter may become several in the slug
    // (`北京` → `bei-jing`), so the slug is what is measured.
    if slug.len() > MAX_NAME_BYTES {
        return Err((
            format!(
                "the term `{}` is too long: its address would be {} characters, at most {MAX_NAME_BYTES} are allowed",
                shortened(&name),
                slug.len()
            ),
            "shorten the term: each term gets a page whose address is made from it, and file systems limit names to 255 bytes".into(),
        ));
    }
    Ok(Term::new(name, slug))
}

/// What terms that differ only by case, accents, hyphenation, spacing or an English plural
/// have in common: the slug without hyphens, each word in the singular. `Surface coatings`,
/// `surface-coating` and `Surfacecoating` have one key; `Surface coating` and `Coating` do not.
pub fn loose_key(slug: &str) -> String {
    slug.split('-').map(singular).collect()
}

/// An English word in the singular, as far as its ending tells: `coatings` → `coating`,
/// `processes` → `process`, `assemblies` → `assembly`; `glass` and `analysis` stay.
fn singular(word: &str) -> String {
    if word.len() <= 3 {
        return word.to_string();
    }
    if let Some(stem) = word.strip_suffix("ies") {
        return format!("{stem}y");
    }
    for ending in ["sses", "shes", "ches", "xes", "zes"] {
        if word.ends_with(ending) {
            return word[..word.len() - 2].to_string();
        }
    }
    if word.ends_with('s')
        && !word.ends_with("ss")
        && !word.ends_with("is")
        && !word.ends_with("us")
    {
        return word[..word.len() - 1].to_string();
    }
    word.to_string()
}

/// One list of a controlled vocabulary: canonical labels, and the other ways each may be
/// written.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TermList {
    labels: Vec<Term>,
    /// The slug of every label and synonym → its label's position.
    by_slug: HashMap<String, usize>,
    /// Every label and synonym as written, with its label's position: what suggestions are
    /// made from.
    spellings: Vec<(String, usize)>,
}

impl TermList {
    /// Adds a label and its synonyms. `Err` names the spelling already taken and the label it
    /// belongs to.
    pub fn add(&mut self, label: Term, synonyms: &[Term]) -> Result<(), (String, String)> {
        let at = self.labels.len();
        for t in std::iter::once(&label).chain(synonyms) {
            if let Some(&other) = self.by_slug.get(&t.slug)
                && other != at
            {
                return Err((t.written.clone(), self.labels[other].name.clone()));
            }
        }
        for t in std::iter::once(&label).chain(synonyms) {
            self.by_slug.insert(t.slug.clone(), at);
            self.spellings.push((t.written.clone(), at));
        }
        self.labels.push(label);
        Ok(())
    }

    /// The canonical term for a term as written, if the list has it (as a label or a
    /// synonym, in any case or hyphenation).
    pub fn resolve(&self, term: &Term) -> Option<Term> {
        let label = &self.labels[*self.by_slug.get(&term.slug)?];
        Some(Term::new(label.name.clone(), label.slug.clone()))
    }

    /// The label a term not in the list was probably meant to be: one differing only by a
    /// plural or the like, else the closest spelling.
    pub fn suggest(&self, term: &Term) -> Option<&str> {
        let key = loose_key(&term.slug);
        if let Some((_, at)) = self
            .spellings
            .iter()
            .find(|(s, _)| loose_key(&slug::slugify(s)) == key)
        {
            return Some(&self.labels[*at].name);
        }
        let best = crate::diag::did_you_mean(
            &term.written,
            self.spellings.iter().map(|(s, _)| s.as_str()),
        )?;
        let (_, at) = self.spellings.iter().find(|(s, _)| s == best)?;
        Some(&self.labels[*at].name)
    }

    /// The canonical labels, as listed.
    /// Every label and synonym, as written in the vocabulary.
    pub fn spellings(&self) -> impl Iterator<Item = &str> {
        self.spellings.iter().map(|(s, _)| s.as_str())
    }

    pub fn labels(&self) -> &[Term] {
        &self.labels
    }
}

/// The site's controlled vocabulary (`vocabulary:` in `cluster.yaml`, or a file it names):
/// the lists it has govern their fields, the others stay free.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Vocabulary {
    /// Members' `capabilities` and `needs`, catalogues' `select.capabilities`.
    pub capabilities: Option<TermList>,
    /// Members' `sectors`, catalogues' `select.sectors`.
    pub sectors: Option<TermList>,
    /// Where the vocabulary is written, for help texts: `cluster.yaml` or the file's name.
    pub file: String,
}

impl Vocabulary {
    /// The list that governs a field of that name, if the vocabulary has one.
    pub fn for_field(&self, field: &str) -> Option<&TermList> {
        match field {
            "capabilities" | "needs" => self.capabilities.as_ref(),
            "sectors" => self.sectors.as_ref(),
            _ => None,
        }
    }

    /// The list's key in the vocabulary, for messages: `capabilities` also governs `needs`.
    pub fn list_name(field: &str) -> &'static str {
        match field {
            "sectors" => "sectors",
            _ => "capabilities",
        }
    }

    /// Whether the site has a vocabulary at all.
    pub fn is_empty(&self) -> bool {
        self.capabilities.is_none() && self.sectors.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn term(s: &str) -> Term {
        check_term(s).unwrap()
    }

    #[test]
    fn plurals_hyphens_and_case_share_a_loose_key_other_words_do_not() {
        let key = |s: &str| loose_key(&term(s).slug);
        assert_eq!(key("Surface coatings"), key("surface coating"));
        assert_eq!(key("E-Mobility"), key("emobility"));
        assert_eq!(key("Assemblies"), key("assembly"));
        assert_eq!(key("Processes"), key("process"));
        assert_eq!(key("Précision"), key("precision"));
        assert_ne!(key("Glass"), key("Gla"));
        assert_ne!(key("Surface coating"), key("Coating"));
        assert_eq!(key("Analysis"), "analysis");
    }

    fn list() -> TermList {
        let mut l = TermList::default();
        l.add(term("CNC turning"), &[term("Drehen"), term("turning")])
            .unwrap();
        l.add(term("Surface coating"), &[]).unwrap();
        l
    }

    #[test]
    fn labels_and_synonyms_resolve_to_the_label_in_any_case_or_hyphenation() {
        let l = list();
        for written in ["cnc-turning", "CNC Turning", "drehen", "Turning"] {
            assert_eq!(l.resolve(&term(written)).unwrap().name, "CNC turning");
        }
        assert_eq!(l.resolve(&term("Surface coatings")), None);
    }

    #[test]
    fn unknown_terms_get_the_label_they_were_probably_meant_to_be() {
        let l = list();
        assert_eq!(
            l.suggest(&term("Surface coatings")),
            Some("Surface coating")
        );
        assert_eq!(l.suggest(&term("Drehn")), Some("CNC turning"));
        assert_eq!(l.suggest(&term("Welding")), None);
    }

    #[test]
    fn a_spelling_cannot_belong_to_two_labels() {
        let mut l = list();
        assert_eq!(
            l.add(term("Lathe work"), &[term("Turning")]),
            Err(("Turning".into(), "CNC turning".into()))
        );
    }
}
