//! A cell's value for its field: checked with the rules the loader applies to the same field
//! (the same functions, so that the same words are refused with the same messages), and
//! compared with what the site has.

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;

use super::columns::Field;
use super::sheet::{Cell, date_of_serial};
use crate::model::member::MemberKind;
use crate::terms::{Term, Vocabulary};

/// A value as it will be written.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Int(i64),
    Float(f64),
    /// Terms: compared by slug, written by name.
    Terms(Vec<Term>),
    List(Vec<String>),
}

impl Value {
    /// Whether the site's value and this one are the same for a reader of the site.
    pub fn same_as(&self, other: &Value) -> bool {
        match (self, other) {
            (Value::Text(a), Value::Text(b)) => words(a) == words(b),
            (Value::Terms(a), Value::Terms(b)) => {
                a.iter().map(|t| &t.slug).eq(b.iter().map(|t| &t.slug))
            }
            (a, b) => a == b,
        }
    }

    /// The value as YAML on one line.
    pub fn yaml(&self, field: &Field) -> String {
        match self {
            Value::Text(t) => super::merge::quote(t),
            Value::Int(n) => n.to_string(),
            Value::Float(f) => f.to_string(),
            Value::Terms(terms) if *field == Field::Region => {
                super::merge::quote(terms.first().map_or("", |t| t.name.as_str()))
            }
            Value::Terms(terms) => {
                let names: Vec<String> = terms.iter().map(|t| t.name.clone()).collect();
                super::merge::flow_list(&names)
            }
            Value::List(items) => super::merge::flow_list(items),
        }
    }
}

fn words(s: &str) -> Vec<&str> {
    s.split_whitespace().collect()
}

/// What checking values needs to know about the site.
pub struct Context<'a> {
    pub vocabulary: &'a Vocabulary,
    pub this_year: i32,
    countries: HashMap<String, &'static str>,
    kinds: Vec<(String, MemberKind)>,
}

impl<'a> Context<'a> {
    pub fn new(vocabulary: &'a Vocabulary, this_year: i32, languages: &[String]) -> Context<'a> {
        // Country names in English (celes), and in each language the site or clusterpress
        // speaks (CLDR): `Deutschland`, `Suisse`, `Svizzera`, `Germany`.
        let mut countries = HashMap::new();
        let mut codes: Vec<String> = ["en", "de", "fr", "it"].map(String::from).to_vec();
        codes.extend(languages.iter().cloned());
        let locales: Vec<crate::i18n::Locale> =
            codes.iter().map(|c| crate::i18n::Locale::new(c)).collect();
        use celes::LookupTable as _;
        for c in celes::Country::get_countries() {
            countries.insert(key(c.long_name), c.alpha2);
            countries.insert(key(c.alpha3), c.alpha2);
            for alias in c.aliases.iter() {
                countries.insert(key(alias), c.alpha2);
            }
            for l in &locales {
                countries.insert(key(&l.country(c.alpha2)), c.alpha2);
            }
        }
        let mut kinds = Vec::new();
        for kind in MemberKind::ALL {
            kinds.push((key(kind.key()), kind));
            for l in &locales {
                kinds.push((key(l.member_kind(kind.key())), kind));
            }
        }
        for (word, kind) in [
            ("firma", MemberKind::Company),
            ("entreprise", MemberKind::Company),
            ("azienda", MemberKind::Company),
            ("forschung", MemberKind::Research),
            ("institut", MemberKind::Research),
            ("recherche", MemberKind::Research),
            ("ricerca", MemberKind::Research),
            ("hochschule", MemberKind::Education),
            ("universitat", MemberKind::Education),
            ("university", MemberKind::Education),
            ("universite", MemberKind::Education),
            ("schule", MemberKind::Education),
            ("behorde", MemberKind::PublicBody),
            ("public", MemberKind::PublicBody),
            ("verein", MemberKind::Association),
            ("verband", MemberKind::Association),
        ] {
            kinds.push((word.to_string(), kind));
        }
        Context {
            vocabulary,
            this_year,
            countries,
            kinds,
        }
    }

    /// A cell's value for `field`; `Err` says why it cannot be one, and how to write it.
    pub fn value(&self, field: &Field, cell: &Cell) -> Result<Value, String> {
        let text = clean_text(&cell.text());
        match field {
            Field::Slug => crate::model::types::check_slug(&text)
                .map(Value::Text)
                .map_err(refusal),
            Field::Id | Field::Name | Field::Summary(_) | Field::Phone | Field::Street => {
                Ok(Value::Text(one_line(&text)))
            }
            Field::City | Field::Tier | Field::Postcode => Ok(Value::Text(one_line(&text))),
            Field::Kind => self.kind(&text),
            Field::Website => {
                let text = one_line(&text);
                // `www.acme.example` in a sheet means the web site at that address.
                let text = match text.contains("://") || text.contains(':') {
                    true => text,
                    false => format!("https://{text}"),
                };
                crate::text::check_web_url(&text)
                    .map(Value::Text)
                    .map_err(refusal)
            }
            Field::Email => crate::text::check_email(&one_line(&text))
                .map(Value::Text)
                .map_err(refusal),
            Field::Region => crate::terms::check_term(&text)
                .map(|t| Value::Terms(vec![t]))
                .map_err(refusal),
            Field::Country => self.country(&text),
            Field::Lat => self.degrees(cell, &text, "latitude", 90.0),
            Field::Lon => self.degrees(cell, &text, "longitude", 180.0),
            Field::Employees => {
                let n = whole(cell, &text).ok_or_else(|| {
                    format!(
                        "`{text}` is not a number of employees: write a whole number, e.g. `45`"
                    )
                })?;
                match u32::try_from(n) {
                    Ok(_) => Ok(Value::Int(n)),
                    Err(_) => Err(format!(
                        "`{text}` is not a number of employees: write a whole number, e.g. `45`"
                    )),
                }
            }
            Field::Founded => self.year(cell, &text, "founded"),
            Field::Since => self.year(cell, &text, "membership since"),
            Field::Sectors | Field::Capabilities | Field::Needs => self.terms(field, &text),
            Field::Certifications => {
                let mut seen = std::collections::BTreeSet::new();
                Ok(Value::List(
                    split(&text)
                        .into_iter()
                        .filter(|c| seen.insert(c.clone()))
                        .collect(),
                ))
            }
        }
    }

    fn kind(&self, text: &str) -> Result<Value, String> {
        let k = key(text);
        if let Some((_, kind)) = self.kinds.iter().find(|(w, _)| *w == k) {
            return Ok(Value::Text(kind.key().to_string()));
        }
        let keys: Vec<&str> = MemberKind::ALL.iter().map(|k| k.key()).collect();
        let help = match crate::diag::did_you_mean(text, keys.iter().copied()) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!("write one of {}", crate::diag::one_of(&keys)),
        };
        Err(format!("`{text}` is not a type of member; {help}"))
    }

    fn country(&self, text: &str) -> Result<Value, String> {
        let text = one_line(text);
        let code = match text.len() {
            2 => text.to_ascii_uppercase(),
            _ => match self.countries.get(&key(&text)) {
                Some(code) => code.to_string(),
                None => text.clone(),
            },
        };
        crate::model::types::check_country(&code)
            .map(|c| Value::Text(c.code))
            .map_err(|(message, _)| {
                format!("{message}; write the country's ISO code (`DE`, `FR`, `CH`) or its name")
            })
    }

    fn degrees(&self, cell: &Cell, text: &str, what: &str, limit: f64) -> Result<Value, String> {
        let n = match cell {
            Cell::Number(n) => Some(*n),
            _ => text.trim().replace(',', ".").parse::<f64>().ok(),
        };
        match n {
            Some(n) if n.is_finite() && (-limit..=limit).contains(&n) => Ok(Value::Float(n)),
            _ => Err(format!(
                "`{text}` is not a {what} between -{limit} and {limit}: write decimal degrees, e.g. `47.61`"
            )),
        }
    }

    fn year(&self, cell: &Cell, text: &str, what: &str) -> Result<Value, String> {
        let year = match cell {
            // A year typed into a cell formatted as a date is the date of that day number.
            Cell::Date(d) if (1000.0..3000.0).contains(d) => Some(*d as i64),
            Cell::Date(d) => date_of_serial(*d).map(|d| i64::from(d.year())),
            _ => whole(cell, text).or_else(|| year_of_date(text)),
        };
        let bad = || {
            format!(
                "{what} `{text}` is not a year between 1000 and {}: write a four-digit year, e.g. `1987`",
                self.this_year
            )
        };
        match year {
            Some(y) if (1000..=i64::from(self.this_year)).contains(&y) => Ok(Value::Int(y)),
            _ => Err(bad()),
        }
    }

    fn terms(&self, field: &Field, text: &str) -> Result<Value, String> {
        let key = match field {
            Field::Sectors => "sectors",
            Field::Capabilities => "capabilities",
            _ => "needs",
        };
        let mut out: Vec<Term> = Vec::new();
        let mut problems = Vec::new();
        let resolve = |written: &str| {
            crate::terms::check_term(written).and_then(|t| match self.vocabulary.for_field(key) {
                None => Ok(t),
                Some(list) => list
                    .resolve(&t)
                    .ok_or_else(|| crate::model::unknown_term(self.vocabulary, key, list, &t)),
            })
        };
        for written in split(text) {
            let found = match resolve(&written) {
                Ok(t) => Ok(vec![t]),
                // `Automation, Medtech`: terms of the vocabulary separated by commas, as
                // many sheets write them. Only where every part is a term of the vocabulary:
                // a free term may hold a comma.
                Err(r) => {
                    let parts: Option<Vec<Term>> = match self.vocabulary.for_field(key) {
                        Some(_) if written.contains(',') => written
                            .split(',')
                            .map(str::trim)
                            .filter(|p| !p.is_empty())
                            .map(|p| resolve(p).ok())
                            .collect(),
                        _ => None,
                    };
                    parts.ok_or(r)
                }
            };
            match found {
                Ok(terms) => {
                    for t in terms {
                        if !out.iter().any(|o| o.slug == t.slug) {
                            out.push(t);
                        }
                    }
                }
                Err(r) => problems.push(refusal(r)),
            }
        }
        match problems.is_empty() {
            true => Ok(Value::Terms(out)),
            false => Err(problems.join("; ")),
        }
    }
}

/// A message and its help as one line of the report: "`x` is not … (did you mean …?)".
fn refusal((message, help): (String, String)) -> String {
    let mut help = help;
    if let Some(first) = help.get(..1) {
        let lower = first.to_ascii_lowercase();
        help.replace_range(..1, &lower);
    }
    format!("{message} ({help})")
}

/// The export defuses cells that a spreadsheet would run as formulas with a leading `'`;
/// here it comes off again. Line ends are `\n`.
fn clean_text(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\n']) => rest.to_string(),
        _ => text,
    }
}

/// One line, spaces tidied.
fn one_line(text: &str) -> String {
    words(text).join(" ")
}

/// The items of a cell of several values, separated by `;` or line breaks.
pub fn split(text: &str) -> Vec<String> {
    text.split([';', '\n'])
        .map(one_line)
        .filter(|s| !s.is_empty())
        .collect()
}

/// A whole number as a cell or a person writes it: `12`, `12.0`, `1.200`, `1'200`, `1 200`.
fn whole(cell: &Cell, text: &str) -> Option<i64> {
    if let Cell::Number(n) = cell {
        return (n.fract() == 0.0 && n.abs() < 1e15).then_some(*n as i64);
    }
    let t: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\'' | '’'))
        .collect();
    if let Ok(n) = t.parse::<i64>() {
        return Some(n);
    }
    // `12.0` or `12,00`: a whole number a spreadsheet wrote with decimals.
    for sep in ['.', ','] {
        if let Some((int, frac)) = t.split_once(sep)
            && !frac.is_empty()
            && frac.chars().all(|c| c == '0')
            && let Ok(n) = int.parse::<i64>()
        {
            return Some(n);
        }
    }
    // `1.200` or `1,200`: thousands grouped.
    for sep in ['.', ','] {
        let groups: Vec<&str> = t.split(sep).collect();
        if groups.len() > 1
            && (1..=3).contains(&groups[0].len())
            && groups[1..].iter().all(|g| g.len() == 3)
            && groups.iter().all(|g| g.chars().all(|c| c.is_ascii_digit()))
        {
            return groups.concat().parse().ok();
        }
    }
    None
}

/// The year of a date written `2019-03-01`, `01.03.2019` or `3/1/2019`.
fn year_of_date(text: &str) -> Option<i64> {
    let t = text.trim();
    let parts: Vec<&str> = t.split(['-', '.', '/']).collect();
    if parts.len() != 3 || !parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit())) {
        return None;
    }
    [parts[0], parts[2]]
        .into_iter()
        .find(|p| p.len() == 4)
        .and_then(|p| p.parse().ok())
}

/// A word or name compared loosely: lower case, no accents, letters and digits only.
pub fn key(s: &str) -> String {
    s.nfd()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(vocabulary: &Vocabulary) -> Context<'_> {
        Context::new(vocabulary, 2026, &["de".into(), "fr".into()])
    }

    fn text(s: &str) -> Cell {
        Cell::Text(s.into())
    }

    #[test]
    fn whole_numbers_in_the_ways_spreadsheets_write_them() {
        let v = Vocabulary::default();
        let c = ctx(&v);
        for (cell, want) in [
            (Cell::Number(12.0), 12),
            (text("12"), 12),
            (text("12.0"), 12),
            (text("1.200"), 1200),
            (text("1'200"), 1200),
            (text(" 45 "), 45),
        ] {
            assert_eq!(c.value(&Field::Employees, &cell), Ok(Value::Int(want)));
        }
        let err = c.value(&Field::Employees, &text("ca. 50")).unwrap_err();
        assert!(
            err.contains("`ca. 50` is not a number of employees"),
            "{err}"
        );
        assert!(c.value(&Field::Employees, &Cell::Number(12.5)).is_err());
    }

    #[test]
    fn years_from_numbers_dates_and_date_cells() {
        let v = Vocabulary::default();
        let c = ctx(&v);
        assert_eq!(
            c.value(&Field::Founded, &Cell::Number(1987.0)),
            Ok(Value::Int(1987))
        );
        assert_eq!(
            c.value(&Field::Founded, &Cell::Date(1987.0)),
            Ok(Value::Int(1987))
        );
        assert_eq!(
            c.value(&Field::Founded, &Cell::Date(32143.0)),
            Ok(Value::Int(1988))
        );
        assert_eq!(
            c.value(&Field::Founded, &text("01.03.2019")),
            Ok(Value::Int(2019))
        );
        assert!(c.value(&Field::Founded, &text("2030")).is_err());
    }

    #[test]
    fn countries_by_code_or_name_in_any_language() {
        let v = Vocabulary::default();
        let c = ctx(&v);
        for written in [
            "DE",
            "de",
            "Deutschland",
            "Germany",
            "Allemagne",
            "Germania",
        ] {
            assert_eq!(
                c.value(&Field::Country, &text(written)),
                Ok(Value::Text("DE".into())),
                "{written}"
            );
        }
        assert_eq!(
            c.value(&Field::Country, &text("Schweiz")),
            Ok(Value::Text("CH".into()))
        );
        assert!(c.value(&Field::Country, &text("Atlantis")).is_err());
    }

    #[test]
    fn types_by_key_or_label() {
        let v = Vocabulary::default();
        let c = ctx(&v);
        assert_eq!(
            c.value(&Field::Kind, &text("Forschungseinrichtung")),
            Ok(Value::Text("research".into()))
        );
        assert_eq!(
            c.value(&Field::Kind, &text("public-body")),
            Ok(Value::Text("public-body".into()))
        );
        assert!(
            c.value(&Field::Kind, &text("compnay"))
                .unwrap_err()
                .contains("did you mean `company`")
        );
    }

    #[test]
    fn vocabulary_terms_resolve_to_labels_also_when_separated_by_commas() {
        let mut list = crate::terms::TermList::default();
        let term = |s: &str| crate::terms::check_term(s).unwrap();
        list.add(term("Automation & robotics"), &[term("Automatisierung")])
            .unwrap();
        list.add(term("Medical technology"), &[term("Medizintechnik")])
            .unwrap();
        let v = Vocabulary {
            sectors: Some(list),
            ..Vocabulary::default()
        };
        let c = ctx(&v);
        let names = |cell: &str| match c.value(&Field::Sectors, &text(cell)) {
            Ok(Value::Terms(t)) => t.into_iter().map(|t| t.name).collect::<Vec<_>>(),
            other => panic!("{other:?}"),
        };
        let both = ["Automation & robotics", "Medical technology"];
        assert_eq!(names("automatisierung; Medizintechnik"), both);
        assert_eq!(names("Automatisierung, Medizintechnik"), both);
        assert_eq!(names("Automatisierung\nAutomation & Robotics"), both[..1]);
        let err = c
            .value(&Field::Sectors, &text("Robotik, Medtech"))
            .unwrap_err();
        assert!(err.contains("`Robotik, Medtech` is not a sector"), "{err}");
    }

    #[test]
    fn formula_guards_of_the_export_come_off_and_lists_split() {
        let v = Vocabulary::default();
        let c = ctx(&v);
        assert_eq!(
            c.value(&Field::Phone, &text("'+49 761 1")),
            Ok(Value::Text("+49 761 1".into()))
        );
        assert_eq!(split("A; B\nC;;\r\n"), ["A", "B", "C"]);
        assert_eq!(
            c.value(&Field::Website, &text("www.acme.example")),
            Ok(Value::Text("https://www.acme.example".into()))
        );
    }
}
