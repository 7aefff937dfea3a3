//! The words and ways of a language: interface strings, plurals, numbers, dates, and the
//! names of countries and languages.
//!
//! Interface strings come from tables shipped for German, English, French and Italian
//! (`src/i18n/<code>.yaml`), which a site overrides key by key in `i18n/<code>.yaml`; a
//! language without a shipped table starts from the English one. Plural categories are
//! CLDR's (`icu_plurals`), and so are country and language names (`icu_locale`): no hand-kept
//! lists. A [`Locale`] is made once per language and shared by every page of it.

use icu_locale::names::{
    LanguageIdentifierDisplayName, LanguageIdentifierDisplayNameOptions, RegionDisplayName,
};
use icu_locale::{LanguageIdentifier, Locale as IcuLocale};
use icu_plurals::{PluralCategory, PluralRules};
use jiff::civil::Date;
use serde_json::Value;

/// The languages with a shipped table.
#[cfg(test)]
pub const SHIPPED: [&str; 4] = ["de", "en", "fr", "it"];

/// The shipped table of `code`'s language (`de-CH` → `de`), if there is one.
pub fn shipped(code: &str) -> Option<&'static str> {
    Some(match base(code) {
        "de" => include_str!("i18n/de.yaml"),
        "en" => include_str!("i18n/en.yaml"),
        "fr" => include_str!("i18n/fr.yaml"),
        "it" => include_str!("i18n/it.yaml"),
        _ => return None,
    })
}

/// The language of a code without its region: `de-CH` → `de`.
pub fn base(code: &str) -> &str {
    code.split(['-', '_']).next().unwrap_or(code)
}

/// A problem with a site's table: the dotted key it is at, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableProblem {
    pub key: String,
    pub message: String,
    pub help: String,
    /// The site's table leaves the key out (it shows in English); else the key is unknown or
    /// its value has the wrong shape.
    pub missing: bool,
}

/// One language's words and ways.
pub struct Locale {
    /// The code as configured: `de`, `de-CH`.
    pub code: String,
    /// The merged table: shipped (or English), then the site's overrides.
    strings: Value,
    plurals: Option<PluralRules>,
    icu: Option<IcuLocale>,
    /// Countries' names as [`Locale::country`] found them: every member names its country,
    /// and looking a name up in CLDR's data takes a microsecond or two.
    countries: std::sync::RwLock<rustc_hash::FxHashMap<String, String>>,
}

impl std::fmt::Debug for Locale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Locale").field("code", &self.code).finish()
    }
}

/// The English table, read once: every locale is checked against it, and a language without
/// a table of its own starts from it.
static ENGLISH: std::sync::LazyLock<Value> =
    std::sync::LazyLock::new(|| parse_table(include_str!("i18n/en.yaml")));

fn parse_table(text: &str) -> Value {
    serde_yaml::from_str(text).expect("a shipped string table is valid YAML")
}

impl Locale {
    /// The locale of `code` with the shipped table only.
    pub fn new(code: &str) -> Locale {
        Locale::with_overrides(code, None).0
    }

    /// The locale of `code`, with a site's table laid over the shipped one (or the English
    /// one, for a language without a shipped table). Keys the shipped tables do not know and
    /// values of the wrong shape are reported and left out; so, for a language without a
    /// shipped table, are the keys the site's table leaves to English.
    pub fn with_overrides(code: &str, site: Option<&Value>) -> (Locale, Vec<TableProblem>) {
        let english: &Value = &ENGLISH;
        let mut strings = match shipped(code) {
            Some(text) => parse_table(text),
            None => english.clone(),
        };
        // Swiss and Liechtenstein German and Swiss Italian group digits with an apostrophe
        // (CLDR): `78’000`, where Germany writes `78.000`.
        let code_lower = code.to_ascii_lowercase();
        if ["de-ch", "de-li", "it-ch"].contains(&code_lower.as_str())
            && let Some(number) = strings.get_mut("number").and_then(Value::as_object_mut)
        {
            number.insert("group".into(), Value::from("\u{2019}"));
        }
        let mut problems = Vec::new();
        if let Some(site) = site {
            lay_over(&mut strings, english, site, "", &mut problems);
            if shipped(code).is_none() {
                missing(english, site, "", &mut problems);
            }
        }
        let icu: Option<IcuLocale> = IcuLocale::try_from_str(code).ok();
        let plurals = icu
            .as_ref()
            .and_then(|l| PluralRules::try_new_cardinal(l.into()).ok());
        let locale = Locale {
            code: code.to_string(),
            strings,
            plurals,
            icu,
            countries: Default::default(),
        };
        (locale, problems)
    }

    /// Sets the text at a dotted key that the table has (`date.day`, from a site's
    /// `date_format`); false if it has none there.
    pub fn set_text(&mut self, key: &str, text: &str) -> bool {
        let mut at = &mut self.strings;
        for part in key.split('.') {
            match at.get_mut(part) {
                Some(v) => at = v,
                None => return false,
            }
        }
        *at = Value::from(text);
        true
    }

    /// The whole table, as templates get it (`t`).
    pub fn table(&self) -> &Value {
        &self.strings
    }

    /// The text at a dotted key (`date.day`); the key itself if there is none, which the
    /// tests of the shipped tables rule out for the keys the program uses.
    pub fn text<'a>(&'a self, key: &'a str) -> &'a str {
        self.at(key).and_then(Value::as_str).unwrap_or(key)
    }

    /// The value at a dotted key (plural forms, lists), or null.
    pub fn table_at(&self, key: &str) -> &Value {
        self.at(key).unwrap_or(&Value::Null)
    }

    /// The text at a dotted key, if the table has one there.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.at(key).and_then(Value::as_str)
    }

    /// A member kind's name: `company` → `Company`, `Unternehmen`.
    pub fn member_kind(&self, key: &str) -> &str {
        self.get(&format!("members.kinds.{key}")).unwrap_or("")
    }

    /// A company size band's name: `small` → `10–49 employees`.
    pub fn size_band(&self, key: &str) -> &str {
        self.get(&format!("members.sizes.{key}")).unwrap_or("")
    }

    /// The name of a collection's list page (`what` = `title`) or its menu entry (`menu`),
    /// `fallback` for a collection the tables do not know.
    pub fn collection<'a>(&'a self, key: &str, what: &str, fallback: &'a str) -> &'a str {
        self.get(&format!("collections.{key}.{what}"))
            .unwrap_or(fallback)
    }

    /// The built-in script's words as JSON, when they differ from the English ones it has
    /// itself (then the page carries them).
    pub fn script_strings(&self) -> Option<String> {
        let english: &Value = &ENGLISH;
        let own = self.at("script")?;
        (english.get("script") != Some(own)).then(|| own.to_string())
    }

    fn at(&self, key: &str) -> Option<&Value> {
        key.split('.')
            .try_fold(&self.strings, |v, part| v.as_object()?.get(part))
    }

    /// The text at `key` with its `{name}` places filled.
    pub fn fill(&self, key: &str, values: &[(&str, &str)]) -> String {
        fill(self.text(key), values)
    }

    /// CLDR's plural category of `n`: `one`, `other`, and in some languages `many`, `few`…
    pub fn plural(&self, n: u64) -> &'static str {
        let Some(rules) = &self.plurals else {
            return if n == 1 { "one" } else { "other" };
        };
        match rules.category_for(n) {
            PluralCategory::Zero => "zero",
            PluralCategory::One => "one",
            PluralCategory::Two => "two",
            PluralCategory::Few => "few",
            PluralCategory::Many => "many",
            PluralCategory::Other => "other",
        }
    }

    /// The form of `forms` (a map of plural categories to texts with `{n}`) for `n`, the
    /// number grouped: `{one: "{n} member", other: "{n} members"}` → `12,000 members`. A
    /// category the map lacks takes `other`.
    pub fn counted(&self, n: u64, forms: &Value) -> String {
        let form = forms
            .get(self.plural(n))
            .or_else(|| forms.get("other"))
            .and_then(Value::as_str)
            .unwrap_or("{n}");
        fill(form, &[("n", &self.grouped(n))])
    }

    /// A whole number with its digits grouped as the language writes them: `12,000`,
    /// `12.000`, `12 000`.
    pub fn grouped(&self, n: u64) -> String {
        let group = self.at("number.group").and_then(Value::as_str);
        let min = self.at("number.min_digits").and_then(Value::as_u64);
        match (group, min) {
            (Some(group), Some(min)) => group_digits(n, group, min as usize),
            _ => crate::text::grouped(n, &self.code),
        }
    }

    /// The month's name, 1 to 12.
    pub fn month(&self, month: i8) -> &str {
        self.at("date.months")
            .and_then(|m| m.get(usize::try_from(month - 1).ok()?))
            .and_then(Value::as_str)
            .unwrap_or("")
    }

    /// `18 May 2027`, `18. Mai 2027`.
    pub fn date(&self, d: Date) -> String {
        self.fill(
            "date.day",
            &[
                ("day", &d.day().to_string()),
                ("month", self.month(d.month())),
                ("year", &d.year().to_string()),
            ],
        )
    }

    /// `18 May`, `18. Mai`.
    pub fn day_month(&self, d: Date) -> String {
        self.fill(
            "date.day_month",
            &[
                ("day", &d.day().to_string()),
                ("month", self.month(d.month())),
            ],
        )
    }

    /// `May 2027`.
    pub fn month_year(&self, d: Date) -> String {
        self.fill(
            "date.month_year",
            &[
                ("month", self.month(d.month())),
                ("year", &d.year().to_string()),
            ],
        )
    }

    /// `18–20 May 2027`, `30 May – 2 June 2027`, `18 May 2027`.
    pub fn range(&self, start: Date, end: Date) -> String {
        if start == end {
            self.date(start)
        } else if start.year() == end.year() && start.month() == end.month() {
            self.fill(
                "date.range_in_month",
                &[
                    ("start_day", &start.day().to_string()),
                    ("end_day", &end.day().to_string()),
                    ("month", self.month(end.month())),
                    ("year", &end.year().to_string()),
                ],
            )
        } else if start.year() == end.year() {
            self.fill(
                "date.range_in_year",
                &[
                    ("start_day", &start.day().to_string()),
                    ("start_month", self.month(start.month())),
                    ("end_day", &end.day().to_string()),
                    ("end_month", self.month(end.month())),
                    ("year", &end.year().to_string()),
                ],
            )
        } else {
            self.fill(
                "date.range",
                &[("start", &self.date(start)), ("end", &self.date(end))],
            )
        }
    }

    /// The country's name in this language, from CLDR: `CH` → `Schweiz`, `Suisse`; the code
    /// itself when CLDR has none.
    pub fn country(&self, code: &str) -> String {
        let known = self.countries.read().unwrap_or_else(|e| e.into_inner());
        if let Some(name) = known.get(code) {
            return name.clone();
        }
        drop(known);
        let name = self.icu.as_ref().and_then(|l| {
            let region = icu_locale::subtags::Region::try_from_str(code).ok()?;
            RegionDisplayName::try_new_light(l.into(), region).ok()
        });
        let name = match name {
            Some(n) => n.to_string(),
            None => code.to_string(),
        };
        (self.countries.write().unwrap_or_else(|e| e.into_inner()))
            .insert(code.to_string(), name.clone());
        name
    }

    /// The name of the language `code` in this language, from CLDR, as written in a sentence:
    /// `de` → `German`, `Deutsch`, `allemand`, `tedesco`. `None` when CLDR has none.
    pub fn language_in_text(&self, code: &str) -> Option<String> {
        let l = self.icu.as_ref()?;
        let id = LanguageIdentifier::try_from_str(code).ok()?;
        let name = LanguageIdentifierDisplayName::try_new_light(
            l.into(),
            id,
            LanguageIdentifierDisplayNameOptions::default(),
        )
        .ok()?;
        Some(name.as_borrowed().to_string())
    }

    /// The name of the language `code` in this language, its first letter capitalised for a
    /// menu or a heading: `Français`, `Allemand`; with the locale's own code, the language's
    /// name for itself (`Deutsch`). The code itself when CLDR has no name.
    pub fn language_name(&self, code: &str) -> String {
        match self.language_in_text(code) {
            Some(n) => capitalised(&n),
            None => code.to_string(),
        }
    }
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Fills `{name}` places of `text`; a place without a value stays as written.
pub fn fill(text: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) => {
                let name = &after[..close];
                match values.iter().find(|(n, _)| *n == name) {
                    Some((_, v)) => out.push_str(v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = &after[close + 1..];
            }
            None => {
                out.push_str(&rest[open..]);
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

fn group_digits(n: u64, group: &str, min_digits: usize) -> String {
    let digits = n.to_string();
    if digits.len() < min_digits {
        return digits;
    }
    let mut out = String::with_capacity(digits.len() + 8);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(group);
        }
        out.push(d);
    }
    out
}

/// The shape a value at a place of the English table must have.
fn same_shape(english: &Value, site: &Value) -> bool {
    match (english, site) {
        (Value::String(_), Value::String(_)) => true,
        (Value::Number(_), Value::Number(_)) => true,
        (Value::Array(e), Value::Array(s)) => e.len() == s.len() && s.iter().all(Value::is_string),
        (Value::Object(_), Value::Object(_)) => true,
        _ => false,
    }
}

/// Lays `site` over `into`, key by key, checking each against the English table.
fn lay_over(
    into: &mut Value,
    english: &Value,
    site: &Value,
    prefix: &str,
    problems: &mut Vec<TableProblem>,
) {
    let (Some(site), Some(english)) = (site.as_object(), english.as_object()) else {
        return;
    };
    for (key, value) in site {
        let dotted = join(prefix, key);
        let Some(known) = english.get(key) else {
            let near = crate::diag::did_you_mean(key, english.keys().map(String::as_str));
            problems.push(TableProblem {
                key: dotted.clone(),
                message: format!("`{dotted}` is not a string the theme uses"),
                help: match near {
                    Some(n) => format!("did you mean `{}`?", join(prefix, n)),
                    None => "see the English table in docs/languages.md for the keys".into(),
                },
                missing: false,
            });
            continue;
        };
        if !same_shape(known, value) {
            problems.push(TableProblem {
                key: dotted.clone(),
                message: format!("`{dotted}` must be {}", shape_name(known)),
                help: format!("the English table has `{dotted}: {}`", short(known)),
                missing: false,
            });
            continue;
        }
        if known.is_object() && !is_plural(known) {
            let slot = into
                .as_object_mut()
                .expect("tables are maps")
                .entry(key.clone())
                .or_insert_with(|| Value::Object(Default::default()));
            lay_over(slot, known, value, &dotted, problems);
        } else {
            into.as_object_mut()
                .expect("tables are maps")
                .insert(key.clone(), value.clone());
        }
    }
}

/// The keys of the English table that `site` leaves out (for a language with no shipped
/// table, they would show in English).
fn missing(english: &Value, site: &Value, prefix: &str, problems: &mut Vec<TableProblem>) {
    let Some(english) = english.as_object() else {
        return;
    };
    for (key, known) in english {
        let dotted = join(prefix, key);
        match site.get(key) {
            None => problems.push(TableProblem {
                key: dotted.clone(),
                message: format!("`{dotted}` is not translated: it shows in English"),
                help: format!("add `{dotted}` (in English: {})", short(known)),
                missing: true,
            }),
            Some(v) if known.is_object() && !is_plural(known) => {
                missing(known, v, &dotted, problems)
            }
            Some(_) => {}
        }
    }
}

fn is_plural(v: &Value) -> bool {
    v.as_object().is_some_and(|m| m.contains_key("other"))
}

fn shape_name(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "a text",
        Value::Number(_) => "a number",
        Value::Array(a) if a.len() == 12 => "a list of the 12 months' names",
        Value::Array(_) => "a list of texts",
        Value::Object(_) if is_plural(v) => "a set of plural forms (`one:`, `other:`…)",
        _ => "a set of `key: text` lines",
    }
}

fn short(v: &Value) -> String {
    let s = serde_json::to_string(v).unwrap_or_default();
    match s.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s,
    }
}

fn join(prefix: &str, key: &str) -> String {
    match prefix {
        "" => key.to_string(),
        p => format!("{p}.{key}"),
    }
}

/// Every dotted key of a table that holds a text, a list or plural forms.
#[cfg(test)]
pub fn keys(table: &Value) -> Vec<String> {
    fn walk(v: &Value, prefix: &str, out: &mut Vec<String>) {
        match v.as_object() {
            Some(map) if !is_plural(v) => {
                for (k, v) in map {
                    walk(v, &join(prefix, k), out);
                }
            }
            _ => out.push(prefix.to_string()),
        }
    }
    let mut out = Vec::new();
    walk(table, "", &mut out);
    out.sort();
    out
}

/// The shipped tables by language.
#[cfg(test)]
pub fn shipped_tables() -> std::collections::BTreeMap<&'static str, Value> {
    SHIPPED
        .iter()
        .map(|c| (*c, parse_table(shipped(c).unwrap_or_default())))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shipped_table_has_every_english_key_in_the_same_shape() {
        let tables = shipped_tables();
        let english = &tables["en"];
        let want = keys(english);
        for (code, table) in &tables {
            assert_eq!(
                keys(table),
                want,
                "{code}: keys differ from the English table"
            );
            let (_, problems) = Locale::with_overrides(code, Some(table));
            assert_eq!(problems, vec![], "{code}");
        }
    }

    #[test]
    fn dates_read_naturally_in_each_language() {
        let d = Date::new(2027, 5, 12).unwrap();
        assert_eq!(Locale::new("en").date(d), "12 May 2027");
        assert_eq!(Locale::new("de").date(d), "12. Mai 2027");
        assert_eq!(Locale::new("fr").date(d), "12 mai 2027");
        assert_eq!(Locale::new("it").date(d), "12 maggio 2027");
        let (a, b) = (
            Date::new(2027, 5, 18).unwrap(),
            Date::new(2027, 5, 20).unwrap(),
        );
        assert_eq!(Locale::new("en").range(a, b), "18–20 May 2027");
        assert_eq!(Locale::new("de").range(a, b), "18.–20. Mai 2027");
        let c = Date::new(2027, 6, 2).unwrap();
        assert_eq!(Locale::new("en").range(a, c), "18 May – 2 June 2027");
        let e = Date::new(2028, 1, 2).unwrap();
        assert_eq!(
            Locale::new("fr").range(a, e),
            "18 mai 2027 – 2 janvier 2028"
        );
        assert_eq!(Locale::new("de").month_year(a), "Mai 2027");
    }

    #[test]
    fn plurals_follow_cldr() {
        let forms = serde_json::json!({"one": "{n} member", "other": "{n} members"});
        let en = Locale::new("en");
        assert_eq!(en.counted(1, &forms), "1 member");
        assert_eq!(en.counted(0, &forms), "0 members");
        assert_eq!(en.counted(12_000, &forms), "12,000 members");
        let fr = Locale::new("fr");
        assert_eq!(fr.plural(0), "one");
        assert_eq!(fr.plural(1), "one");
        assert_eq!(fr.plural(2), "other");
        assert_eq!(fr.plural(1_000_000), "many");
        // A category the forms lack takes `other`.
        let fr_forms = serde_json::json!({"one": "{n} membre", "other": "{n} membres"});
        assert_eq!(
            fr.counted(1_000_000, &fr_forms),
            "1\u{202f}000\u{202f}000 membres"
        );
        assert_eq!(Locale::new("de").counted(1200, &forms), "1.200 members");
        assert_eq!(Locale::new("de-CH").grouped(78_000), "78\u{2019}000");
    }

    #[test]
    fn countries_and_languages_are_named_from_cldr() {
        assert_eq!(Locale::new("de").country("CH"), "Schweiz");
        assert_eq!(Locale::new("fr").country("CH"), "Suisse");
        assert_eq!(Locale::new("it").country("CH"), "Svizzera");
        assert_eq!(Locale::new("en").country("GB"), "United Kingdom");
        assert_eq!(Locale::new("fr").language_name("de"), "Allemand");
        assert_eq!(Locale::new("de").language_name("de"), "Deutsch");
        assert_eq!(Locale::new("fr").language_name("fr"), "Français");
        assert_eq!(
            Locale::new("fr").language_in_text("de").as_deref(),
            Some("allemand")
        );
    }

    #[test]
    fn a_site_table_overrides_checks_and_reports_what_it_misses() {
        let site: Value =
            serde_yaml::from_str("date:\n  day: \"{month} {day}, {year}\"\n  dai: x\nnumber: 3\n")
                .unwrap();
        let (l, problems) = Locale::with_overrides("en", Some(&site));
        assert_eq!(l.date(Date::new(2027, 5, 12).unwrap()), "May 12, 2027");
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!(problems[0].key, "date.dai");
        assert_eq!(problems[0].help, "did you mean `date.day`?");
        assert_eq!(problems[1].key, "number");
        // A language without a shipped table: what the site leaves out is reported.
        let nl: Value = serde_yaml::from_str("number:\n  group: \".\"\n").unwrap();
        let (l, problems) = Locale::with_overrides("nl", Some(&nl));
        assert_eq!(l.grouped(12_000), "12.000");
        assert!(problems.iter().any(|p| p.key == "date"), "{problems:?}");
        assert!(problems.iter().any(|p| p.key == "number.min_digits"));
        assert!(!problems.iter().any(|p| p.key == "number.group"));
    }

    #[test]
    fn fill_leaves_unknown_places_and_lone_braces() {
        assert_eq!(fill("{a} and {b} {", &[("a", "1")]), "1 and {b} {");
    }
}
