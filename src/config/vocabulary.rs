//! `vocabulary:` in `cluster.yaml`: the site's controlled vocabulary of capabilities and
//! sectors, written in place or in a YAML file of its own in the site folder.
//!
//! ```yaml
//! vocabulary:
//!   capabilities:
//!     - CNC turning
//!     - label: Surface coating
//!       synonyms: [Coating, Beschichtung]
//!   sectors: [Automotive, Medical technology]
//! ```

use std::path::{Component, Path};

use schemars::JsonSchema;
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};

use crate::content::front_matter::{self, Seg, YamlSource};
use crate::diag::{Diagnostic, Diagnostics};
use crate::terms::{Term, TermList, Vocabulary, check_term};
use crate::text::Refusal;

/// `vocabulary:` as written: the name of a file, or the lists themselves.
#[derive(Debug)]
pub(super) enum RawSource {
    File(String),
    Lists(RawVocabulary),
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawVocabulary {
    #[schemars(with = "Option<Vec<EntryShape>>")]
    capabilities: Option<Vec<RawEntry>>,
    #[schemars(with = "Option<Vec<EntryShape>>")]
    sectors: Option<Vec<RawEntry>>,
}

/// What `vocabulary:` may say, for the JSON Schema (read by [`RawSource`]'s own
/// `Deserialize`, for its messages).
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
pub(super) enum Shape {
    File(String),
    Lists(RawVocabulary),
}

/// What a label of the vocabulary may be, for the JSON Schema (see [`RawEntry`]).
#[derive(JsonSchema)]
#[serde(untagged)]
#[allow(dead_code)]
enum EntryShape {
    Label(String),
    Full(RawFull),
}

/// One label of a list: `- CNC turning`, or `- {label: CNC turning, synonyms: [Drehen]}`.
#[derive(Debug)]
enum RawEntry {
    Label(String),
    Full(RawFull),
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawFull {
    label: String,
    #[serde(default)]
    synonyms: Vec<String>,
}

impl<'de> Deserialize<'de> for RawSource {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawSource;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("the name of a file such as `vocabulary.yaml`, or lists of `capabilities` and `sectors`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawSource, E> {
                Ok(RawSource::File(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawSource, A::Error> {
                RawVocabulary::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(RawSource::Lists)
            }
        }
        d.deserialize_any(V)
    }
}

impl<'de> Deserialize<'de> for RawEntry {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawEntry;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a label, or a `label` with `synonyms`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawEntry, E> {
                Ok(RawEntry::Label(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<RawEntry, E> {
                Ok(RawEntry::Label(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<RawEntry, E> {
                Ok(RawEntry::Label(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawEntry, A::Error> {
                RawFull::deserialize(de::value::MapAccessDeserializer::new(map)).map(RawEntry::Full)
            }
        }
        d.deserialize_any(V)
    }
}

/// Makes a diagnostic for a field of the file the vocabulary is written in.
type At<'a> = dyn Fn(&[Seg<'_>], &str, Refusal) -> Diagnostic + 'a;

/// The vocabulary `vocabulary:` describes (an empty one without it). Problems go to `diags`,
/// each at its line in `cluster.yaml` or in the vocabulary's own file.
pub(super) fn build(
    site: &Path,
    raw: Option<RawSource>,
    at: &At<'_>,
    diags: &mut Diagnostics,
) -> Vocabulary {
    match raw {
        None => Vocabulary::default(),
        Some(RawSource::Lists(lists)) => from_lists(
            lists,
            &[Seg::Key("vocabulary")],
            super::CONFIG_FILE,
            at,
            diags,
        ),
        Some(RawSource::File(name)) => match read_file(site, &name) {
            Err(refusal) => {
                diags.push(at(&[Seg::Key("vocabulary")], "vocabulary", refusal));
                Vocabulary::default()
            }
            Ok(text) => from_file(&name, &text, diags),
        },
    }
}

/// The text of the vocabulary's own file, which must be a YAML file beside `cluster.yaml`
/// (where `serve` watches for changes to it).
fn read_file(site: &Path, name: &str) -> Result<String, Refusal> {
    let path = Path::new(name.trim());
    let mut parts = path.components();
    let inside = matches!(parts.next(), Some(Component::Normal(_))) && parts.next().is_none();
    let yaml = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
    if !inside || !yaml || name.trim().is_empty() {
        return Err((
            format!("`{name}` is not a YAML file beside `cluster.yaml`"),
            "name a file beside `cluster.yaml`, e.g. `vocabulary: vocabulary.yaml`, or write the lists here".into(),
        ));
    }
    let bytes = std::fs::read(site.join(path)).map_err(|e| {
        let why = if e.kind() == std::io::ErrorKind::NotFound {
            format!("there is no file `{name}` in the site folder")
        } else {
            format!("cannot read `{name}`: {e}")
        };
        (
            why,
            "create it with lists of `capabilities` and `sectors`, or write the lists here".into(),
        )
    })?;
    String::from_utf8(bytes).map(super::tidy).map_err(|_| {
        (
            format!("`{name}` is not valid UTF-8 text"),
            "save it with UTF-8 encoding".into(),
        )
    })
}

fn from_file(name: &str, text: &str, diags: &mut Diagnostics) -> Vocabulary {
    let file = Path::new(name);
    let src = YamlSource {
        file,
        file_text: text,
        yaml: text,
        first_line: 1,
        resolved: None,
    };
    if let Err(d) = front_matter::check_characters(file, text) {
        diags.push(d);
        return Vocabulary::default();
    }
    // An empty file is an empty vocabulary, not an error.
    let raw: RawVocabulary = if text.trim().is_empty() {
        RawVocabulary::default()
    } else {
        match front_matter::parse_all(src) {
            Ok(r) => r,
            Err(found) => {
                diags.extend(found);
                return Vocabulary::default();
            }
        }
    };
    let at = |path: &[Seg<'_>], field: &str, (message, help): Refusal| {
        Diagnostic::error(message)
            .in_file(file)
            .at(text, front_matter::locate(src, path))
            .field(field)
            .help(help)
    };
    from_lists(raw, &[], name, &at, diags)
}

fn from_lists(
    raw: RawVocabulary,
    prefix: &[Seg<'_>],
    file: &str,
    at: &At<'_>,
    diags: &mut Diagnostics,
) -> Vocabulary {
    let mut list = |key: &'static str, entries: Option<Vec<RawEntry>>| {
        let entries = entries?;
        let mut out = TermList::default();
        for (i, entry) in entries.into_iter().enumerate() {
            let (label, synonyms, in_map) = match entry {
                RawEntry::Label(l) => (l, Vec::new(), false),
                RawEntry::Full(f) => (f.label, f.synonyms, true),
            };
            let mut path: Vec<Seg<'_>> = prefix.to_vec();
            path.extend([Seg::Key(key), Seg::Index(i)]);
            let field = format!("{key}[{i}]");
            let label_path: Vec<Seg<'_>> = if in_map {
                path.iter().copied().chain([Seg::Key("label")]).collect()
            } else {
                path.clone()
            };
            let label = match check_term(&label) {
                Ok(t) => t,
                Err(r) => {
                    diags.push(at(&label_path, &field, r));
                    continue;
                }
            };
            let mut terms: Vec<Term> = Vec::new();
            for (j, s) in synonyms.iter().enumerate() {
                let spot: Vec<Seg<'_>> = path
                    .iter()
                    .copied()
                    .chain([Seg::Key("synonyms"), Seg::Index(j)])
                    .collect();
                match check_term(s) {
                    Ok(t) => terms.push(t),
                    Err(r) => diags.push(at(&spot, &format!("{field}.synonyms[{j}]"), r)),
                }
            }
            if let Err((spelling, other)) = out.add(label, &terms) {
                diags.push(at(
                    &label_path,
                    &field,
                    (
                        format!("`{spelling}` is in the {key} of the vocabulary twice: it already stands for `{other}`"),
                        "a spelling may stand for one label only; remove it from one of them".into(),
                    ),
                ));
            }
        }
        Some(out)
    };
    Vocabulary {
        capabilities: list("capabilities", raw.capabilities),
        sectors: list("sectors", raw.sectors),
        file: file.to_string(),
    }
}
