//! Which member field each column of a sheet fills: by a mapping file, or by the column's
//! header in any language.
//!
//! Headers are compared normalised (case, accents, spaces, underscores, hyphens and anything
//! in brackets ignored), against the columns of the site's own `members.csv`, the labels the
//! site shows for the fields in each language it ships, and common names in German, French,
//! Italian and English that other member lists use.

use std::collections::BTreeMap;
use std::path::Path;

use unicode_normalization::UnicodeNormalization;

use crate::content::front_matter::{self, Seg, YamlSource};
use crate::diag::Diagnostic;

/// A member field a column can fill.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Field {
    Slug,
    /// The organisation's number in the cluster's own records, kept as `extra.member_id`
    /// so that a member keeps its file across imports when its name changes.
    Id,
    Name,
    Kind,
    /// The summary in a language of the site (the default one for the `summary` column).
    Summary(String),
    Website,
    Email,
    Phone,
    Street,
    Postcode,
    City,
    Region,
    Country,
    Lat,
    Lon,
    Employees,
    Founded,
    Tier,
    Since,
    Sectors,
    Capabilities,
    Needs,
    Certifications,
}

/// What to do with a column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Use {
    Field(Field),
    /// Not imported, and not worth a word: the export's derived columns, `ignore` in a map.
    Skip,
    /// Not imported: the user is told once.
    Unknown,
}

impl Field {
    /// How a mapping file names the field, and how the report names it.
    pub fn path(&self) -> String {
        match self {
            Field::Summary(lang) => format!("summary.{lang}"),
            other => other.key().to_string(),
        }
    }

    fn key(&self) -> &'static str {
        match self {
            Field::Slug => "slug",
            Field::Id => "extra.member_id",
            Field::Name => "name",
            Field::Kind => "type",
            Field::Summary(_) => "summary",
            Field::Website => "website",
            Field::Email => "email",
            Field::Phone => "phone",
            Field::Street => "location.street",
            Field::Postcode => "location.postcode",
            Field::City => "location.city",
            Field::Region => "location.region",
            Field::Country => "location.country",
            Field::Lat => "location.lat",
            Field::Lon => "location.lon",
            Field::Employees => "employees",
            Field::Founded => "founded",
            Field::Tier => "membership.tier",
            Field::Since => "membership.since",
            Field::Sectors => "sectors",
            Field::Capabilities => "capabilities",
            Field::Needs => "needs",
            Field::Certifications => "certifications",
        }
    }

    /// Every field but the summaries in other languages, for a mapping file's help.
    const ALL: [Field; 23] = [
        Field::Slug,
        Field::Id,
        Field::Name,
        Field::Kind,
        Field::Summary(String::new()),
        Field::Website,
        Field::Email,
        Field::Phone,
        Field::Street,
        Field::Postcode,
        Field::City,
        Field::Region,
        Field::Country,
        Field::Lat,
        Field::Lon,
        Field::Employees,
        Field::Founded,
        Field::Tier,
        Field::Since,
        Field::Sectors,
        Field::Capabilities,
        Field::Needs,
        Field::Certifications,
    ];
}

/// Names each field goes by, besides the export's column and the site's labels: German,
/// French, Italian and English, as member lists and CRM exports head them. A bare `Nr.` is
/// not a member number: lists number their rows so, and a row number matched on re-import
/// would update the wrong member once the list is sorted differently.
const SYNONYMS: &[(&str, &[&str])] = &[
    ("slug", &["slug", "kurzname", "url slug", "dateiname"]),
    (
        "id",
        &[
            "id",
            "member id",
            "member number",
            "membership number",
            "mitgliedsnummer",
            "mitglieds-nr",
            "mitgliedsnr",
            "mitgliedernummer",
            "mitglied nr",
            "numero de membre",
            "numero d'adherent",
            "n° adherent",
            "no adherent",
            "numero socio",
            "codice socio",
            "id membre",
        ],
    ),
    (
        "name",
        &[
            "name",
            "firma",
            "firmenname",
            "firmierung",
            "unternehmen",
            "unternehmensname",
            "organisation",
            "organisationsname",
            "organization",
            "organisation name",
            "company",
            "company name",
            "member",
            "member name",
            "mitglied",
            "mitgliedsname",
            "nom",
            "raison sociale",
            "entreprise",
            "societe",
            "nom de l'entreprise",
            "organisme",
            "ragione sociale",
            "azienda",
            "denominazione",
            "nome",
            "nome azienda",
        ],
    ),
    (
        "type",
        &[
            "type",
            "typ",
            "art",
            "mitgliedsart",
            "organisationsart",
            "organisationstyp",
            "kind",
            "member type",
            "organisation type",
            "organization type",
            "type de membre",
            "type d'organisation",
            "tipo",
            "tipologia",
        ],
    ),
    (
        "summary",
        &[
            "summary",
            "kurzbeschreibung",
            "beschreibung",
            "kurzprofil",
            "profil",
            "description",
            "short description",
            "resume",
            "description courte",
            "presentation",
            "descrizione",
            "sintesi",
            "profilo",
        ],
    ),
    (
        "website",
        &[
            "website",
            "webseite",
            "homepage",
            "internet",
            "internetseite",
            "internetadresse",
            "url",
            "web",
            "www",
            "site web",
            "site internet",
            "sito web",
            "sito",
            "sito internet",
        ],
    ),
    (
        "email",
        &[
            "email",
            "e-mail",
            "mail",
            "e-mail-adresse",
            "email address",
            "courriel",
            "adresse e-mail",
            "adresse email",
            "posta elettronica",
            "indirizzo email",
        ],
    ),
    (
        "phone",
        &[
            "phone",
            "telephone",
            "tel",
            "telefon",
            "telefonnummer",
            "fon",
            "phone number",
            "numero de telephone",
            "telefono",
            "numero di telefono",
        ],
    ),
    (
        "location.street",
        &[
            "street",
            "street address",
            "address",
            "strasse",
            "straße",
            "strasse und hausnummer",
            "straße und hausnummer",
            "strasse hausnr",
            "strasse nr",
            "adresse",
            "anschrift",
            "rue",
            "adresse postale",
            "indirizzo",
            "via",
        ],
    ),
    (
        "location.postcode",
        &[
            "postcode",
            "post code",
            "postal code",
            "zip",
            "zip code",
            "plz",
            "postleitzahl",
            "code postal",
            "cp",
            "cap",
            "codice postale",
            "npa",
        ],
    ),
    (
        "location.city",
        &[
            "city", "town", "ort", "stadt", "gemeinde", "sitz", "ville", "localite", "commune",
            "citta", "comune", "localita",
        ],
    ),
    (
        "location.region",
        &[
            "region",
            "bundesland",
            "kanton",
            "landkreis",
            "kreis",
            "departement",
            "regione",
            "provincia",
            "cantone",
            "canton",
            "state",
        ],
    ),
    (
        "location.country",
        &[
            "country", "land", "staat", "pays", "paese", "nazione", "stato",
        ],
    ),
    (
        "location.lat",
        &["lat", "latitude", "breitengrad", "breite", "latitudine"],
    ),
    (
        "location.lon",
        &[
            "lon",
            "lng",
            "long",
            "longitude",
            "laengengrad",
            "längengrad",
            "laenge",
            "länge",
            "longitudine",
        ],
    ),
    (
        "employees",
        &[
            "employees",
            "number of employees",
            "headcount",
            "staff",
            "mitarbeiter",
            "mitarbeitende",
            "mitarbeiterzahl",
            "anzahl mitarbeiter",
            "anzahl mitarbeitende",
            "anzahl der mitarbeiter",
            "mitarbeiteranzahl",
            "nombre d'employes",
            "nombre d'employés",
            "beschaeftigte",
            "beschäftigte",
            "anzahl beschäftigte",
            "effectif",
            "effectifs",
            "salaries",
            "salariés",
            "nombre de salaries",
            "nombre de salariés",
            "dipendenti",
            "numero dipendenti",
            "numero di dipendenti",
            "addetti",
        ],
    ),
    (
        "founded",
        &[
            "founded",
            "year founded",
            "founding year",
            "foundation year",
            "established",
            "gegründet",
            "gegruendet",
            "gründungsjahr",
            "gruendungsjahr",
            "gründung",
            "annee de creation",
            "année de création",
            "creation",
            "création",
            "date de creation",
            "fondee en",
            "fondée en",
            "anno di fondazione",
            "fondazione",
            "fondata nel",
        ],
    ),
    (
        "membership.tier",
        &[
            "membership tier",
            "membership_tier",
            "tier",
            "membership level",
            "membership",
            "mitgliedschaft",
            "beitragsklasse",
            "beitragsstufe",
            "mitgliedskategorie",
            "niveau d'adhesion",
            "adhesion",
            "categorie de membre",
            "categoria socio",
            "tipo di adesione",
        ],
    ),
    (
        "membership.since",
        &[
            "member since",
            "member_since",
            "membership since",
            "joined",
            "year joined",
            "mitglied seit",
            "mitgliedschaft seit",
            "beitritt",
            "beitrittsjahr",
            "eintritt",
            "eintrittsjahr",
            "membre depuis",
            "adherent depuis",
            "année d'adhésion",
            "annee d'adhesion",
            "socio dal",
            "membro dal",
            "anno di adesione",
        ],
    ),
    (
        "sectors",
        &[
            "sectors",
            "sector",
            "industry",
            "industries",
            "branche",
            "branchen",
            "sektor",
            "sektoren",
            "wirtschaftszweig",
            "secteur",
            "secteurs",
            "secteur d'activite",
            "secteurs d'activite",
            "settore",
            "settori",
        ],
    ),
    (
        "capabilities",
        &[
            "capabilities",
            "capability",
            "competences",
            "skills",
            "services",
            "offers",
            "kompetenzen",
            "kompetenz",
            "fähigkeiten",
            "faehigkeiten",
            "leistungen",
            "leistungsspektrum",
            "angebot",
            "compétences",
            "savoir-faire",
            "competenze",
            "servizi",
        ],
    ),
    (
        "needs",
        &[
            "needs",
            "looking for",
            "wanted",
            "bedarf",
            "sucht",
            "gesucht",
            "besoins",
            "recherche",
            "fabbisogni",
            "cerca",
        ],
    ),
    (
        "certifications",
        &[
            "certifications",
            "certification",
            "certificates",
            "zertifizierungen",
            "zertifizierung",
            "zertifikate",
            "certificats",
            "certifications qualite",
            "certificazioni",
        ],
    ),
];

/// The export's columns a sheet may carry that are made from other fields.
const DERIVED: &[&str] = &[
    "profile_url",
    "size",
    "unternehmensgröße",
    "taille",
    "dimensione",
];

/// A header, normalised for comparison: lower case, no accents, `ß` as `ss`, only letters
/// and digits, without anything in brackets.
pub fn normalise(header: &str) -> String {
    let mut depth = 0usize;
    let mut out = String::new();
    for c in header.nfd() {
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            'ß' => out.push_str("ss"),
            c if c.is_alphanumeric() => out.extend(c.to_lowercase()),
            _ => {}
        }
    }
    out.chars()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .collect()
}

/// How each normalised header a sheet may have is used, for a site of `languages` (the
/// default first).
pub struct Headers {
    known: BTreeMap<String, Field>,
    languages: Vec<String>,
}

impl Headers {
    pub fn new(languages: &[String]) -> Headers {
        let mut known = BTreeMap::new();
        let default = languages.first().cloned().unwrap_or_else(|| "en".into());
        // The site's labels first: a synonym never takes a label's place.
        for code in ["en", "de", "fr", "it"] {
            let locale = crate::i18n::Locale::new(code);
            for (key, field) in [
                ("member.website", "website"),
                ("member.email", "email"),
                ("member.phone", "phone"),
                ("member.employees", "employees"),
                ("member.founded", "founded"),
                ("member.sectors", "sectors"),
                ("member.certifications", "certifications"),
                ("member.supplies", "capabilities"),
                ("member.looking_for", "needs"),
                ("taxonomies.sectors.title", "sectors"),
                ("taxonomies.sectors.singular", "sectors"),
                ("taxonomies.capabilities.title", "capabilities"),
                ("taxonomies.capabilities.singular", "capabilities"),
                ("taxonomies.regions.singular", "location.region"),
                ("taxonomies.countries.singular", "location.country"),
                ("taxonomies.types.singular", "type"),
            ] {
                if let (Some(label), Some(field)) = (locale.get(key), parse_path(field, &default)) {
                    known.entry(normalise(label)).or_insert(field);
                }
            }
        }
        for (path, names) in SYNONYMS {
            let Some(field) = parse_path(path, &default) else {
                continue;
            };
            for name in *names {
                known
                    .entry(normalise(name))
                    .or_insert_with(|| field.clone());
            }
        }
        for column in crate::render::exports::CSV_COLUMNS {
            if let Some(field) = parse_path(column, &default) {
                known.insert(normalise(column), field);
            }
        }
        Headers {
            known,
            languages: languages.to_vec(),
        }
    }

    /// How a column headed `header` is used.
    pub fn use_of(&self, header: &str) -> Use {
        let key = normalise(header);
        if key.is_empty() {
            return Use::Skip;
        }
        if DERIVED.iter().any(|d| normalise(d) == key)
            || self
                .languages
                .iter()
                .any(|l| key == normalise(&format!("profile_url_{l}")))
        {
            return Use::Skip;
        }
        // A summary in one language: `summary_fr`, `Beschreibung (FR)`, `Résumé fr`.
        if let Some((base, code)) = language_suffix(header, &self.languages)
            && let Some(Field::Summary(_)) = self.known.get(&normalise(base))
        {
            return Use::Field(Field::Summary(code));
        }
        if let Some(field) = self.known.get(&key) {
            return Use::Field(field.clone());
        }
        Use::Unknown
    }
}

/// A header that ends with a language code of the site (`summary_fr`, `Beschreibung (FR)`):
/// the header without it, and the code.
fn language_suffix<'h>(header: &'h str, languages: &[String]) -> Option<(&'h str, String)> {
    let trimmed = header.trim().trim_end_matches([')', ']']);
    languages.iter().find_map(|code| {
        let at = trimmed.len().checked_sub(code.len())?;
        let (base, tail) = (trimmed.get(..at)?, trimmed.get(at..)?);
        let separated = base.ends_with([' ', '_', '-', '(', '[']);
        let base = base.trim_end_matches([' ', '_', '-', '(', '[']);
        (separated && tail.eq_ignore_ascii_case(code)).then(|| (base, code.clone()))
    })
}

/// A field as a mapping file writes it: `location.city`, `membership.since`, `summary.fr`,
/// or a column of the export (`city`, `member_since`, `summary_fr`).
fn parse_path(path: &str, default: &str) -> Option<Field> {
    let path = path.trim();
    if let Some(code) = path
        .strip_prefix("summary.")
        .or_else(|| path.strip_prefix("summary_"))
    {
        let ok = !code.is_empty() && code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
        return ok.then(|| Field::Summary(code.to_string()));
    }
    let field = match path {
        "slug" => Field::Slug,
        "id" | "member_id" | "extra.member_id" => Field::Id,
        "name" => Field::Name,
        "type" => Field::Kind,
        "summary" => Field::Summary(default.to_string()),
        "website" => Field::Website,
        "email" => Field::Email,
        "phone" => Field::Phone,
        "street" | "location.street" => Field::Street,
        "postcode" | "location.postcode" => Field::Postcode,
        "city" | "location.city" => Field::City,
        "region" | "location.region" => Field::Region,
        "country" | "location.country" => Field::Country,
        "lat" | "location.lat" => Field::Lat,
        "lon" | "location.lon" => Field::Lon,
        "employees" => Field::Employees,
        "founded" => Field::Founded,
        "membership_tier" | "tier" | "membership.tier" => Field::Tier,
        "member_since" | "since" | "membership.since" => Field::Since,
        "sectors" => Field::Sectors,
        "capabilities" => Field::Capabilities,
        "needs" => Field::Needs,
        "certifications" => Field::Certifications,
        _ => return None,
    };
    Some(field)
}

/// A mapping file: header as the sheet writes it → how its column is used.
pub type Map = BTreeMap<String, Use>;

/// Reads a mapping file (`Firmenname: name`, `Ort: location.city`, `Notizen: ignore`). A
/// problem is a diagnostic at its line of the file.
pub fn read_map(path: &Path, text: &str, languages: &[String]) -> Result<Map, Vec<Diagnostic>> {
    let text = text
        .strip_prefix('\u{feff}')
        .unwrap_or(text)
        .replace("\r\n", "\n");
    let src = YamlSource {
        file: path,
        file_text: &text,
        yaml: &text,
        first_line: 1,
        resolved: None,
    };
    let raw: BTreeMap<String, String> = if text.trim().is_empty() {
        BTreeMap::new()
    } else {
        front_matter::parse(src).map_err(|d| vec![d])?
    };
    let default = languages.first().map_or("en", String::as_str);
    let mut map = Map::new();
    let mut problems = Vec::new();
    for (header, target) in raw {
        let target = target.trim();
        if target == "ignore" {
            map.insert(normalise(&header), Use::Skip);
            continue;
        }
        match parse_path(target, default) {
            Some(Field::Summary(code)) if !languages.contains(&code) => problems.push(
                Diagnostic::error(format!(
                    "`{target}`: `{code}` is not a language of the site"
                ))
                .in_file(path)
                .at(&text, front_matter::locate(src, &[Seg::Key(&header)]))
                .field(header.clone())
                .help(format!(
                    "the site's languages are {}",
                    crate::diag::one_of(languages)
                )),
            ),
            Some(field) => {
                map.insert(normalise(&header), Use::Field(field));
            }
            None => {
                let paths: Vec<String> = Field::ALL.iter().map(Field::path).collect();
                let help = match crate::diag::did_you_mean(target, paths.iter().map(String::as_str))
                {
                    Some(best) => format!("did you mean `{best}`? Or `ignore`"),
                    None => format!(
                        "map the column to one of {}, or `ignore`",
                        crate::diag::one_of(&paths)
                    ),
                };
                problems.push(
                    Diagnostic::error(format!("`{target}` is not a member field"))
                        .in_file(path)
                        .at(&text, front_matter::locate(src, &[Seg::Key(&header)]))
                        .field(header.clone())
                        .help(help),
                );
            }
        }
    }
    match problems.is_empty() {
        true => Ok(map),
        false => Err(problems),
    }
}

/// How each column of `header` is used: the mapping file first, then the header's name.
/// Returns the uses and the warnings for columns left out.
pub fn columns(header: &[String], headers: &Headers, map: &Map) -> (Vec<Use>, Vec<String>) {
    let mut uses = Vec::with_capacity(header.len());
    let mut warnings = Vec::new();
    let mut taken: BTreeMap<Field, &str> = BTreeMap::new();
    for h in header {
        let mut u = map
            .get(&normalise(h))
            .cloned()
            .unwrap_or_else(|| headers.use_of(h));
        if let Use::Field(f) = &u {
            if let Some(first) = taken.get(f) {
                warnings.push(format!(
                    "column `{h}` is `{}` too, like column `{first}` before it: only `{first}` is imported; map one of them with --map",
                    f.path()
                ));
                u = Use::Skip;
            } else {
                taken.insert(f.clone(), h);
            }
        }
        if u == Use::Unknown {
            warnings.push(format!(
                "column `{h}` is not imported; map it to a field with --map (docs/import.md)"
            ));
        }
        uses.push(u);
    }
    (uses, warnings)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers() -> Headers {
        Headers::new(&["de".into(), "fr".into(), "en".into()])
    }

    #[test]
    fn headers_in_any_language_find_their_field() {
        let h = headers();
        let field = |s: &str| match h.use_of(s) {
            Use::Field(f) => Some(f),
            _ => None,
        };
        for (header, want) in [
            ("Firmenname", Field::Name),
            ("PLZ", Field::Postcode),
            ("Code postal", Field::Postcode),
            ("Ort", Field::City),
            ("Ville", Field::City),
            ("Land", Field::Country),
            ("Branche(n)", Field::Sectors),
            ("Branchen", Field::Sectors),
            ("Kompetenzen", Field::Capabilities),
            ("Mitarbeiter", Field::Employees),
            ("Beschäftigte", Field::Employees),
            ("Gründungsjahr", Field::Founded),
            ("E-Mail", Field::Email),
            ("Telefon", Field::Phone),
            ("Webseite", Field::Website),
            ("Straße", Field::Street),
            ("Mitglied seit", Field::Since),
            ("Mitgliedsnummer", Field::Id),
            ("member_since", Field::Since),
            ("SLUG", Field::Slug),
            ("summary", Field::Summary("de".into())),
            ("summary_fr", Field::Summary("fr".into())),
            ("Beschreibung (EN)", Field::Summary("en".into())),
            ("Effectif", Field::Employees),
            ("Secteurs d’activité", Field::Sectors),
            ("Straße/Hausnr.", Field::Street),
            ("Anzahl der Mitarbeiter", Field::Employees),
            ("Nombre d'employés", Field::Employees),
            ("Résumé", Field::Summary("de".into())),
            ("Résumé (fr)", Field::Summary("fr".into())),
        ] {
            assert_eq!(field(header), Some(want), "{header}");
        }
        assert_eq!(h.use_of("profile_url"), Use::Skip);
        assert_eq!(h.use_of("profile_url_fr"), Use::Skip);
        assert_eq!(h.use_of("size"), Use::Skip);
        assert_eq!(h.use_of("Bemerkungen"), Use::Unknown);
    }

    #[test]
    fn a_second_column_for_one_field_is_left_out_with_a_word() {
        let header = vec!["Firma".to_string(), "Name".to_string(), "Notiz".to_string()];
        let (uses, warnings) = columns(&header, &headers(), &Map::new());
        assert_eq!(uses[0], Use::Field(Field::Name));
        assert_eq!(uses[1], Use::Skip);
        assert_eq!(uses[2], Use::Unknown);
        assert_eq!(warnings.len(), 2, "{warnings:?}");
    }

    #[test]
    fn a_bad_map_names_its_line_and_the_field_meant() {
        let text = "Firmenname: name\nOrt: location.cty\n";
        let problems = read_map(Path::new("map.yaml"), text, &["de".into()]).unwrap_err();
        let shown = problems[0].to_string();
        assert!(shown.contains("map.yaml:2"), "{shown}");
        assert!(shown.contains("did you mean `location.city`"), "{shown}");
    }
}
