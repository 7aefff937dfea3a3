//! Front matter: splitting a content file into its YAML block and Markdown body, parsing the
//! YAML into typed structs, and finding where a field sits in the file.
//!
//! This is one of the two places that know about the YAML crate (with `config.rs`), so that it
//! can be swapped. Every position it reports is a line of the *whole file*, not of the YAML
//! block, because that is what a user sees in their editor.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diag::{Diagnostic, Span, did_you_mean, one_of};

/// A YAML text inside a file, with the line of the file its first line is on.
#[derive(Debug, Clone, Copy)]
pub struct YamlSource<'a> {
    pub file: &'a Path,
    /// The whole file, for showing source lines in diagnostics.
    pub file_text: &'a str,
    pub yaml: &'a str,
    /// 1-based line of the file on which `yaml` starts.
    pub first_line: usize,
    /// In a site of several languages, the fields as one language sees them, read instead of
    /// `yaml` (see `super::translate`).
    pub resolved: Option<&'a super::translate::Resolved>,
}

/// The parts of a content file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    pub yaml: &'a str,
    /// 1-based line of the file where the YAML starts (the line after the opening `---`).
    pub yaml_line: usize,
    pub body: &'a str,
    /// 1-based line of the file where the body starts.
    pub body_line: usize,
}

/// Splits `text` (already without BOM and with `\n` line ends) at its `---` fences.
pub fn split(text: &str) -> Result<Split<'_>, (usize, &'static str, &'static str)> {
    let Some(first) = text.lines().next() else {
        return Err((
            1,
            "the file is empty",
            "start the file with a `---` line, the front matter fields, and another `---` line",
        ));
    };
    if first.trim_end() != "---" {
        return Err((
            1,
            "the file does not start with front matter",
            "start the file with a line `---`, then the fields (e.g. `name: Acme Robotics`), then another line `---`",
        ));
    }
    let yaml_start = first.len() + 1;
    let mut offset = yaml_start.min(text.len());
    for (line_no, line) in (2..).zip(text[offset..].split_inclusive('\n')) {
        let bare = line.trim_end();
        if bare == "---" || bare == "..." {
            let yaml = &text[yaml_start..offset];
            let body_start = offset + line.len();
            return Ok(Split {
                yaml,
                yaml_line: 2,
                body: &text[body_start.min(text.len())..],
                body_line: line_no + 1,
            });
        }
        offset += line.len();
    }
    Err((
        1,
        "the front matter is never closed",
        "add a line with only `---` after the last field, before the Markdown text",
    ))
}

/// Parses YAML into `T`, turning the YAML crate's error into a diagnostic with the line of
/// the file, the field path and, for unknown fields and values, the closest valid spelling.
pub fn parse<T: DeserializeOwned>(src: YamlSource<'_>) -> Result<T, Diagnostic> {
    if let Some(resolved) = src.resolved {
        return super::translate::parse_resolved(resolved);
    }
    // An empty block is an empty mapping, so that "missing field" names the field.
    let yaml = if src.yaml.trim().is_empty() {
        "{}"
    } else {
        src.yaml
    };
    // Only aliases (`*name`) can make the values larger than the text, and only escapes
    // (`"\a"`) can put a character into a value that the text does not hold: without either,
    // the second reading is not needed.
    if yaml.contains(['*', '\\']) {
        scan_values(src, yaml)?;
    }
    serde_yaml::from_str(yaml).map_err(|e| yaml_error(src, &e))
}

/// At most this many problems are found in one block by [`parse_all`].
const MAX_PROBLEMS: usize = 20;

/// Like [`parse`], but on failure finds the problem of every top-level field, not only the
/// first, as problems in different files are all reported in one run: after each problem the
/// field it is in is blanked out (its lines emptied, so that lines keep their numbers) and the
/// block read again, up to [`MAX_PROBLEMS`] times. A syntax error, a problem outside any field
/// or a missing field ends the search (serde reports missing fields only after every value
/// has been read); a missing field that was blanked out here is no problem of the author's.
pub fn parse_all<T: DeserializeOwned>(src: YamlSource<'_>) -> Result<T, Vec<Diagnostic>> {
    if src.resolved.is_some() {
        return parse::<T>(src).map_err(|d| vec![d]);
    }
    let first = match parse::<T>(src) {
        Ok(value) => return Ok(value),
        Err(d) => d,
    };
    // After a syntax error nothing below it can be trusted to mean what it says.
    if serde_yaml::from_str::<serde::de::IgnoredAny>(src.yaml).is_err() {
        return Err(vec![first]);
    }
    let mut found = vec![first];
    let mut yaml = src.yaml.to_string();
    let mut blanked: Vec<String> = Vec::new();
    while found.len() < MAX_PROBLEMS {
        let Some(last) = found.last() else { break };
        if last.message.starts_with("missing required field") {
            break;
        }
        let Some(line) = last.span.map(|s| s.line) else {
            break;
        };
        let Some(key) = blank_field(&mut yaml, line + 1 - src.first_line) else {
            break;
        };
        blanked.push(key);
        let again = YamlSource { yaml: &yaml, ..src };
        match parse::<T>(again) {
            Ok(_) => break,
            Err(d) => {
                let is_blanked = |field: &Option<String>| {
                    field
                        .as_ref()
                        .is_some_and(|f| blanked.iter().any(|b| b == f))
                };
                let repeated = found
                    .iter()
                    .any(|f| f.span == d.span && f.message == d.message);
                if repeated
                    || (d.message.starts_with("missing required field") && is_blanked(&d.field))
                {
                    break;
                }
                found.push(d);
            }
        }
    }
    Err(found)
}

/// Empties the lines of the top-level field whose block holds `line` (1-based, in `yaml`),
/// keeping the line breaks; returns the field's key, or `None` if the line is in none (or the
/// field could not be told).
fn blank_field(yaml: &mut String, line: usize) -> Option<String> {
    let lines: Vec<&str> = yaml.split('\n').collect();
    let top = |l: &str| !l.is_empty() && !l.starts_with([' ', '\t', '#', '-']) && l.contains(':');
    let start = (0..line.min(lines.len())).rev().find(|&i| top(lines[i]))?;
    let end = (start + 1..lines.len())
        .find(|&i| top(lines[i]) || lines[i].starts_with("- "))
        .unwrap_or(lines.len());
    let key = lines[start]
        .split(':')
        .next()?
        .trim()
        .trim_matches(['"', '\''])
        .to_string();
    let blanked: Vec<&str> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| if (start..end).contains(&i) { "" } else { *l })
        .collect();
    *yaml = blanked.join("\n");
    Some(key)
}

/// How much larger than written the values of a YAML text may become when its aliases are
/// expanded: [`GROWTH_FACTOR`] times the written size, or [`MIN_EXPANDED`] if that is more.
/// Without aliases no text comes near it (each value counts its characters plus
/// [`NODE_COST`]); with them, a 1 MB value repeated by 2,000 aliases needed 4 GB (issue 17).
pub const GROWTH_FACTOR: usize = 20;
pub const MIN_EXPANDED: usize = 1 << 20;
const NODE_COST: usize = 8;

/// The marker of the scan's own errors, to tell them from the YAML crate's.
const SCAN_MARK: &str = "\u{0}clusterpress-scan:";

/// Reads every value of the YAML text once, as it will be read into fields, without keeping
/// any: refuses characters that escapes put into a value (`"\a"`, `"\x00"`, `"\r"`: see
/// [`crate::diag::is_refused_char`]), and stops as soon as aliases have made the values larger
/// than the limit, before anything that large is built. Syntax errors are left to the real
/// reading, which words them for the user.
fn scan_values(src: YamlSource<'_>, yaml: &str) -> Result<(), Diagnostic> {
    let budget = (yaml.len() * GROWTH_FACTOR).max(MIN_EXPANDED);
    let mut left = budget;
    let err = match serde::de::DeserializeSeed::deserialize(
        Scan { left: &mut left },
        serde_yaml::Deserializer::from_str(yaml),
    ) {
        Ok(()) => return Ok(()),
        Err(e) => e,
    };
    let text = err.to_string();
    let Some(at) = text.find(SCAN_MARK) else {
        return Ok(());
    };
    let what = &text[at + SCAN_MARK.len()..];
    let what = what.split(" at line ").next().unwrap_or(what);
    let (line, column) = match err.location() {
        Some(loc) => (loc.line(), loc.column()),
        None => (1, 1),
    };
    if let Some(code) = what.strip_prefix("char:") {
        let c = u32::from_str_radix(code, 16)
            .ok()
            .and_then(char::from_u32)
            .unwrap_or('\u{fffd}');
        // The error is at the start of the value; the escape that made the character is
        // found in the value's text.
        let start = offset_of(yaml, line, column);
        let (line, column, len) = start
            .and_then(|s| escape_in(yaml, s, c))
            .map(|(off, len)| {
                let (l, c) = line_column(yaml, off);
                (l, c, len)
            })
            .unwrap_or((line, column, 1));
        return Err(refused_char(src.file, c)
            .at(
                src.file_text,
                Span {
                    line: src.first_line + line - 1,
                    column,
                    len,
                },
            )
            .help(refused_char_help(c, true)));
    }
    Err(Diagnostic::error(format!(
        "aliases (`*name`) repeat too much: expanded, this text would be more than {} MB",
        budget.div_ceil(1 << 20)
    ))
    .in_file(src.file)
    .at(
        src.file_text,
        Span {
            line: src.first_line + line - 1,
            column,
            len: 1,
        },
    )
    .help(format!(
        "write the values out instead of repeating them with aliases: expanded, a file may be at most {GROWTH_FACTOR} times as large as written (or 1 MB); the value shown is the one repeated"
    )))
}

/// A diagnostic for a character no text may hold, named so that it can be found.
fn refused_char(file: &Path, c: char) -> Diagnostic {
    Diagnostic::error(format!(
        "{} is not allowed in a text",
        crate::diag::describe_char(c)
    ))
    .in_file(file)
}

fn refused_char_help(c: char, escaped: bool) -> String {
    match u32::from(c) {
        0x0d => "write a line break as `\\n` (a carriage return alone breaks calendars)".into(),
        0x80..=0x9f => "this is usually a quote or dash from a Windows-1252 text read the wrong way: type the character again".into(),
        _ if escaped => "remove the escape; write line breaks as `\\n` and tabs as `\\t`".into(),
        _ => "remove it: the character is invisible in most editors (search for it with a regular expression such as `[\\x00-\\x08]`)".into(),
    }
}

/// Checks the whole text of a file for characters no text may hold (see
/// [`crate::diag::is_refused_char`]): control characters other than tab and line feed, and
/// noncharacters. Line ends are already `\n` (`\r\n` and a lone `\r` are read as line ends).
/// The error points at the first such character and says how many more there are.
pub fn check_characters(file: &Path, text: &str) -> Result<(), Diagnostic> {
    let mut bad = crate::diag::refused_chars(text);
    let Some((offset, c)) = bad.next() else {
        return Ok(());
    };
    let more = bad.count();
    let (line, column) = line_column(text, offset);
    let mut help = refused_char_help(c, false);
    if more > 0 {
        help.push_str(&format!(
            "; the file has {} more such character{}",
            crate::diag::thousands(more),
            if more == 1 { "" } else { "s" }
        ));
    }
    Err(refused_char(file, c)
        .at(
            text,
            Span {
                line,
                column,
                len: 1,
            },
        )
        .help(help))
}

/// The 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

/// The byte offset of 1-based `line` and `column` (in characters).
fn offset_of(text: &str, line: usize, column: usize) -> Option<usize> {
    let start = if line <= 1 {
        0
    } else {
        memchr::memchr_iter(b'\n', text.as_bytes()).nth(line - 2)? + 1
    };
    let rest = &text[start..];
    let skip = rest
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(rest.len(), |(i, _)| i);
    Some(start + skip)
}

/// In the double-quoted value starting at byte `start`, the escape that stands for `target`:
/// its byte offset and length in characters.
fn escape_in(yaml: &str, start: usize, target: char) -> Option<(usize, usize)> {
    let rest = yaml.get(start..)?.strip_prefix('"')?;
    let mut chars = rest.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return None,
            '\\' => {
                let (_, e) = chars.next()?;
                let hex = |n: usize, chars: &mut std::iter::Peekable<std::str::CharIndices>| {
                    let digits: String = (0..n)
                        .filter_map(|_| chars.next().map(|(_, c)| c))
                        .collect();
                    u32::from_str_radix(&digits, 16)
                        .ok()
                        .and_then(char::from_u32)
                };
                let (decoded, len) = match e {
                    '0' => (Some('\0'), 2),
                    'a' => (Some('\u{7}'), 2),
                    'b' => (Some('\u{8}'), 2),
                    'v' => (Some('\u{b}'), 2),
                    'f' => (Some('\u{c}'), 2),
                    'r' => (Some('\r'), 2),
                    'e' => (Some('\u{1b}'), 2),
                    'N' => (Some('\u{85}'), 2),
                    'x' => (hex(2, &mut chars), 4),
                    'u' => (hex(4, &mut chars), 6),
                    'U' => (hex(8, &mut chars), 10),
                    _ => (None, 2),
                };
                if decoded == Some(target) {
                    return Some((start + 1 + i, len));
                }
            }
            _ => {}
        }
    }
    None
}

/// The scan of [`scan_values`]: visits every value, keeps none, counts their size.
struct Scan<'a> {
    left: &'a mut usize,
}

impl Scan<'_> {
    fn spend<E: serde::de::Error>(&mut self, size: usize) -> Result<(), E> {
        match self.left.checked_sub(size + NODE_COST) {
            Some(left) => {
                *self.left = left;
                Ok(())
            }
            None => Err(E::custom(format!("{SCAN_MARK}size"))),
        }
    }

    fn text<E: serde::de::Error>(&mut self, v: &str) -> Result<(), E> {
        if let Some((_, c)) = crate::diag::refused_chars(v).next() {
            return Err(E::custom(format!("{SCAN_MARK}char:{:x}", u32::from(c))));
        }
        self.spend(v.len())
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for Scan<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Scan<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any YAML value")
    }
    fn visit_bool<E: serde::de::Error>(mut self, _: bool) -> Result<(), E> {
        self.spend(0)
    }
    fn visit_i64<E: serde::de::Error>(mut self, _: i64) -> Result<(), E> {
        self.spend(0)
    }
    fn visit_u64<E: serde::de::Error>(mut self, _: u64) -> Result<(), E> {
        self.spend(0)
    }
    fn visit_f64<E: serde::de::Error>(mut self, _: f64) -> Result<(), E> {
        self.spend(0)
    }
    fn visit_str<E: serde::de::Error>(mut self, v: &str) -> Result<(), E> {
        self.text(v)
    }
    fn visit_bytes<E: serde::de::Error>(mut self, v: &[u8]) -> Result<(), E> {
        self.spend(v.len())
    }
    fn visit_unit<E: serde::de::Error>(mut self) -> Result<(), E> {
        self.spend(0)
    }
    fn visit_none<E: serde::de::Error>(mut self) -> Result<(), E> {
        self.spend(0)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        self.spend(0)?;
        while seq
            .next_element_seed(Scan {
                left: &mut *self.left,
            })?
            .is_some()
        {}
        Ok(())
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        self.spend(0)?;
        while map
            .next_key_seed(Scan {
                left: &mut *self.left,
            })?
            .is_some()
        {
            map.next_value_seed(Scan {
                left: &mut *self.left,
            })?;
        }
        Ok(())
    }
    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        // A tagged value (`!tag value`): the tag, then the value.
        use serde::de::VariantAccess;
        let (_, variant) = data.variant_seed(Scan {
            left: &mut *self.left,
        })?;
        variant.newtype_variant_seed(Scan { left: self.left })
    }
}

fn yaml_error(src: YamlSource<'_>, err: &serde_yaml::Error) -> Diagnostic {
    let full = err.to_string();
    let (line, column) = match err.location() {
        Some(loc) => (src.first_line + loc.line() - 1, loc.column()),
        None => (src.first_line, 1),
    };
    // Syntax errors read "PROBLEM at line L column C, while CONTEXT at line L2 column C2",
    // with lines of the YAML block; they are rewritten in the user's terms and lines.
    let is_syntax = [
        "mapping values",
        "found ",
        "did not find",
        "could not find",
        "block sequence",
        "while ",
    ]
    .iter()
    .any(|p| full.starts_with(p) || full.contains(&format!(", {p}")));
    if err.location().is_some() && is_syntax {
        return syntax_error(src, &full, line, column);
    }
    // Other messages end in " at line L column C"; the position is shown separately.
    let (text, _) = strip_position(&full);
    // They start with the field path ("location.country: ...") when the crate knows it.
    let (path, message) = match text.split_once(": ") {
        Some((p, m)) if !p.contains(' ') && !p.is_empty() => (Some(p.to_string()), m.to_string()),
        _ => (None, text.to_string()),
    };
    let mut diag = Diagnostic::error("").in_file(src.file).at(
        src.file_text,
        Span {
            line,
            column,
            len: 1,
        },
    );
    // The whole block is not a map of fields: a list, a single value or `~`. The raw
    // struct's name (`RawMember`) means nothing to the user.
    if path.is_none()
        && message.contains("expected struct Raw")
        && let Some(found) = message
            .strip_prefix("invalid type: ")
            .and_then(|m| m.split(", expected").next())
    {
        let found = match found {
            "sequence" => "a list".to_string(),
            "unit value" => "an empty value (`~` or `null`)".to_string(),
            "map" => "a map".to_string(),
            other => other
                .replace("string", "the text")
                .replace("integer", "the number"),
        };
        let (whole, help) = if src.first_line == 1 && src.file.ends_with("cluster.yaml") {
            (
                "`cluster.yaml`",
                "write one `field: value` line per setting, starting with `name: …` and `base_url: …`",
            )
        } else {
            (
                "the front matter",
                "write one `field: value` line per field between the `---` lines, e.g. `name: Acme Robotics`",
            )
        };
        return Diagnostic::error(format!(
            "{whole} must be a set of `field: value` lines, found {found}"
        ))
        .in_file(src.file)
        .at(
            src.file_text,
            Span {
                line,
                column,
                len: 1,
            },
        )
        .help(help);
    }
    let mut message = friendly_types(&message);
    if message.starts_with("`provider` must be") {
        // Untagged enums lose the position; the key is easy to find again.
        if let Some(line) = nth_key_line(src, "provider", 0) {
            diag = diag.at(
                src.file_text,
                Span {
                    line,
                    column: 1,
                    len: "provider".len(),
                },
            );
        }
        let shapes = "write `provider: acme-robotics` for a member, or `provider: {name: Training Ltd, url: https://training.example}`";
        // A map with a misspelt key: name the key, as for any other unknown field.
        let value: Option<serde_yaml::Value> = serde_yaml::from_str(src.yaml).ok();
        let keys: Vec<String> = value
            .as_ref()
            .and_then(|v| v.get("provider"))
            .and_then(serde_yaml::Value::as_mapping)
            .map(|m| {
                m.keys()
                    .filter_map(|k| k.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default();
        if let Some(unknown) = keys.iter().find(|k| !["name", "url"].contains(&k.as_str())) {
            let help = match did_you_mean(unknown, ["name", "url"]) {
                Some(best) => format!("did you mean `{best}`? {shapes}"),
                None => format!("an organisation has only `name` and `url`; {shapes}"),
            };
            let span = locate(src, &[Seg::Key("provider"), Seg::Key(unknown)]);
            return diag
                .at(src.file_text, span)
                .field(format!("provider.{unknown}"))
                .help(help)
                .with_message(format!("unknown field `{unknown}` in `provider`"));
        }
        return diag.field("provider").help(shapes).with_message(message);
    }

    if let Some(rest) = message.strip_prefix("unknown field `") {
        let (name, expected) = split_expected(rest);
        let field = qualify(path.as_deref(), &name);
        diag.span = Some(Span {
            line,
            column,
            len: name.chars().count(),
        });
        diag = diag.field(field.clone());
        diag = match did_you_mean(&name, expected.iter().map(String::as_str)) {
            Some(best) => diag.help(format!("did you mean `{best}`?")),
            None => diag.help(format!("allowed fields here: {}", one_of(&expected))),
        };
        message = format!("unknown field `{name}`");
    } else if let Some(rest) = message.strip_prefix("unknown variant `") {
        let (name, expected) = split_expected(rest);
        diag.span = Some(Span {
            line,
            column,
            len: name.chars().count(),
        });
        diag = match did_you_mean(&name, expected.iter().map(String::as_str)) {
            Some(best) => diag.help(format!(
                "did you mean `{best}`? Allowed values: {}",
                one_of(&expected)
            )),
            None => diag.help(format!("allowed values: {}", one_of(&expected))),
        };
        if let Some(p) = &path {
            diag = diag.field(p.clone());
        }
        message = format!("unknown value `{name}`");
    } else if let Some(rest) = message.strip_prefix("missing field `") {
        let name = rest.trim_end_matches('`');
        diag = diag
            .field(qualify(path.as_deref(), name))
            .help(format!("add a line `{name}: ...` to the front matter"));
        message = format!("missing required field `{name}`");
    } else if let Some(rest) = message.strip_prefix("duplicate field `") {
        let name = rest.trim_end_matches('`');
        if let Some(second) = nth_key_line(src, name, 1) {
            diag = diag.at(
                src.file_text,
                Span {
                    line: second,
                    column: 1,
                    len: name.chars().count(),
                },
            );
        }
        diag = diag
            .field(qualify(path.as_deref(), name))
            .help("each field may appear only once; remove or merge the repeated line");
        message = format!("field `{name}` appears twice");
    } else if let Some(p) = &path {
        diag = diag.field(p.clone());
        if message.contains("expected a list") {
            diag = diag.help(format!(
                "write a list, e.g. `{}: [First, Second]`",
                last_key(p)
            ));
        } else if message.contains("expected a whole number") {
            diag = diag.help("write a number without quotes or units, e.g. `120`");
        } else if message.contains("expected a map") {
            diag = diag.help("write the fields of this entry on indented lines below it");
        }
    }
    diag.message = message;
    diag
}

/// Splits " at line L column C" off the end of a message.
fn strip_position(s: &str) -> (&str, Option<(usize, usize)>) {
    let Some(i) = s.rfind(" at line ") else {
        return (s, None);
    };
    let mut nums = s[i + 9..]
        .split(" column ")
        .map(|n| n.trim().parse::<usize>().ok());
    match (nums.next().flatten(), nums.next().flatten()) {
        (Some(l), Some(c)) => (&s[..i], Some((l, c))),
        _ => (s, None),
    }
}

fn syntax_error(src: YamlSource<'_>, full: &str, line: usize, column: usize) -> Diagnostic {
    let (problem, context) = match full.split_once(", while ") {
        Some((p, c)) => (strip_position(p).0, Some(strip_position(c))),
        None => (strip_position(full).0, None),
    };
    let context_line = context
        .and_then(|(_, pos)| pos)
        .map(|(l, c)| (src.first_line + l - 1, c));
    let context_text = context.map(|(t, _)| t).unwrap_or("");
    let at = |l: usize, c: usize| Span {
        line: l,
        column: c,
        len: 1,
    };
    let this_line = src
        .file_text
        .lines()
        .nth(line.saturating_sub(1))
        .unwrap_or("");

    let (message, help, span) = if context_text.contains("flow sequence")
        || problem.contains("',' or ']'")
    {
        let (l, c) = context_line.unwrap_or((line, column));
        (
            "this list is never closed with `]`".to_string(),
            "end the list on the same line, e.g. `sectors: [Automation, Robotics]`".to_string(),
            at(l, c),
        )
    } else if context_text.contains("flow mapping") {
        let (l, c) = context_line.unwrap_or((line, column));
        (
            "this map is never closed with `}`".to_string(),
            "close the braces on the same line, or write the fields on indented lines".to_string(),
            at(l, c),
        )
    } else if context_text.contains("quoted scalar") {
        let (l, c) = context_line.unwrap_or((line, column));
        (
            "this quoted text is never closed".to_string(),
            "add the closing quote at the end of the value".to_string(),
            at(l, c),
        )
    } else if this_line.starts_with('\t') || this_line.trim_start_matches(' ').starts_with('\t') {
        (
            "a tab is used for indentation".to_string(),
            "indent with spaces only (most editors can convert tabs to spaces)".to_string(),
            at(line, 1),
        )
    } else if problem.contains("mapping values are not allowed") {
        (
            "unexpected `:` here".to_string(),
            "check that this line is indented like the fields around it, and put values that contain `: ` in quotes".to_string(),
            at(line, column),
        )
    } else {
        let mut m = problem.to_string();
        if !context_text.is_empty() {
            m.push_str(&format!(", while {context_text}"));
        }
        (
            m,
            "check the indentation (spaces only, no tabs) and quote values that contain `: ` or start with `@`, `*`, `&`, `!`, `|`, `>`, `%`, `[` or `{`".to_string(),
            at(line, column),
        )
    };
    Diagnostic::error(message)
        .in_file(src.file)
        .at(src.file_text, span)
        .help(help)
}

/// Splits "name`, expected one of `a`, `b`" into the name and the expected list.
fn split_expected(rest: &str) -> (String, Vec<String>) {
    let (name, tail) = rest.split_once('`').unwrap_or((rest, ""));
    let expected = tail
        .split('`')
        .enumerate()
        .filter(|(i, _)| i % 2 == 1)
        .map(|(_, s)| s.to_string())
        .collect();
    (name.to_string(), expected)
}

/// The file line of occurrence `n` (0-based) of `key:` at the start of a line.
fn nth_key_line(src: YamlSource<'_>, key: &str, n: usize) -> Option<usize> {
    src.yaml
        .lines()
        .enumerate()
        .filter(|(_, l)| {
            l.strip_prefix(key)
                .is_some_and(|rest| rest.trim_start().starts_with(':'))
        })
        .nth(n)
        .map(|(i, _)| src.first_line + i)
}

fn qualify(path: Option<&str>, name: &str) -> String {
    match path {
        Some(p) if p != "." => format!("{p}.{name}"),
        _ => name.to_string(),
    }
}

fn last_key(path: &str) -> &str {
    let last = path.rsplit('.').next().unwrap_or(path);
    last.split('[').next().unwrap_or(last)
}

/// Replaces Rust type names in serde's messages with words a non-programmer knows.
pub(crate) fn friendly_types(message: &str) -> String {
    let mut m = message.to_string();
    for (from, to) in [
        ("expected u8", "expected a whole number"),
        ("expected u16", "expected a whole number"),
        ("expected u32", "expected a whole number"),
        ("expected u64", "expected a whole number"),
        ("expected i16", "expected a whole number"),
        ("expected i32", "expected a whole number"),
        ("expected i64", "expected a whole number"),
        ("expected f64", "expected a number"),
        ("expected f32", "expected a number"),
        ("expected a sequence", "expected a list"),
        ("expected a string", "expected text"),
        ("invalid type: sequence", "found a list"),
        ("invalid type: map", "found a map"),
        ("invalid type: string", "found text"),
        ("invalid type: integer", "found the number"),
        ("invalid type: floating point", "found the number"),
        ("invalid type: boolean", "found"),
        ("invalid type: unit value", "found an empty value"),
        ("invalid value: integer", "found the number"),
        // A text of cluster.yaml that may be given per language.
        (
            "data did not match any variant of untagged enum Text",
            "expected a text, or one text for each language (`{de: …, fr: …}`)",
        ),
        // The raw structs' names mean nothing to an author; say what they are.
        (
            "expected struct RawOrg",
            "expected an organisation with `name` and `url`",
        ),
        (
            "expected struct RawPlace",
            "expected a place with `venue`, `address`, `postcode`, `city` and `country`",
        ),
        (
            "expected struct RawPerson",
            "expected a contact with `name`, `email` and `phone`",
        ),
        (
            "expected struct RawRegistration",
            "expected registration details (`url`, `deadline`, `fee`, `seats`)",
        ),
        (
            "expected struct RawCourseRegistration",
            "expected registration details (`url`, `email`)",
        ),
        (
            "expected struct RawPrice",
            "expected a price with `amount` and `currency`",
        ),
        (
            "expected struct RawSession",
            "expected a session with `start` and `end`",
        ),
        (
            "expected struct RawEntry",
            "expected an entry with `member` and `products`",
        ),
        (
            "expected struct RawSelect",
            "expected a rule such as `sectors: [Automation]`",
        ),
        (
            "expected struct RawAmount",
            "expected an amount with `min`, `max` and `currency`",
        ),
        (
            "expected struct RawBooking",
            "expected booking details (`contact`, `url`)",
        ),
        (
            "expected struct RawLocation",
            "expected a location with `street`, `postcode`, `city`, `region` and `country`",
        ),
        (
            "expected struct RawContact",
            "expected a contact with `name`, `role` and `email`",
        ),
        (
            "expected struct RawProduct",
            "expected a product with `name`, `description` and `image`",
        ),
        (
            "expected struct RawMembership",
            "expected membership details (`tier`, `since`)",
        ),
        (
            "expected struct RawBranding",
            "expected branding (`primary`)",
        ),
        (
            "expected struct RawBuild",
            "expected build options (`minify`, `allow_html`)",
        ),
        (
            "expected struct RawNavItem",
            "expected a menu entry with `title` and `url`",
        ),
        ("expected struct", "expected a map of fields for"),
    ] {
        m = m.replace(from, to);
    }
    if m.contains("did not match any variant of untagged enum RawProvider") {
        return "`provider` must be a member's slug or an organisation with `name` and `url`"
            .to_string();
    }
    // serde says "found X, expected Y"; users want the expectation first.
    if let Some((found, expected)) = m.split_once(", expected ")
        && found.starts_with("found")
    {
        return format!("expected {expected}, {found}");
    }
    m
}

/// One step of a path to a field: a mapping key or a list index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// Finds the span of the field at `path` in `src`, as far down the path as it can follow.
///
/// This is a small reader of block-style YAML indentation (with flow lists on one line), not a
/// YAML parser: it only has to point a human at the right line after the real parser has
/// already accepted the text. It falls back to the first line of the block.
pub fn locate(src: YamlSource<'_>, path: &[Seg<'_>]) -> Span {
    let lines: Vec<&str> = src.yaml.lines().collect();
    let fallback = Span {
        line: src.first_line,
        column: 1,
        len: 1,
    };
    let mut found = None;
    // The current search range: [start, end) over `lines`, and an inline value if the previous
    // key had its value on the same line.
    let (mut start, mut end) = (0, lines.len());
    let mut inline: Option<(usize, usize)> = None; // (line index, byte column where value starts)
    for seg in path {
        match *seg {
            Seg::Key(key) => {
                if inline.is_some() {
                    break;
                }
                let Some((i, col, indent)) = find_key(&lines[start..end], key) else {
                    break;
                };
                let i = start + i;
                found = Some((i, col, key.chars().count()));
                let value_col = col + key.len() + 1;
                let rest = lines[i].get(value_col..).unwrap_or("").trim();
                if !rest.is_empty() && !rest.starts_with('#') {
                    let lead =
                        lines[i][value_col..].len() - lines[i][value_col..].trim_start().len();
                    inline = Some((i, value_col + lead));
                } else {
                    start = i + 1;
                    end = block_end(&lines, start, end, indent);
                }
            }
            Seg::Index(n) => {
                if let Some((li, vc)) = inline {
                    if let Some((col, len)) = flow_item(lines[li], vc, n) {
                        found = Some((li, col, len));
                    }
                    break;
                }
                let Some((i, indent)) = find_item(&lines[start..end], n) else {
                    break;
                };
                let i = start + i;
                let item_col = indent + 2;
                let len = lines[i].len().saturating_sub(item_col).max(1);
                found = Some((i, item_col, len));
                end = block_end(&lines, i + 1, end, indent);
                start = i;
            }
        }
    }
    // A path that ends at a key with its value on the same line points at the value: the
    // value is what the user has to fix.
    if let (Some((li, vc)), Some(Seg::Key(_))) = (inline, path.last())
        && found.is_some_and(|(i, _, _)| i == li)
    {
        let value = lines[li][vc..].split(" #").next().unwrap_or("").trim_end();
        found = Some((li, vc, value.chars().count().max(1)));
    }
    match found {
        Some((i, col, len)) => Span {
            line: src.first_line + i,
            column: lines[i].get(..col).map_or(col, |p| p.chars().count()) + 1,
            len,
        },
        None => fallback,
    }
}

/// Splits a line into (effective indent in bytes, content), treating "- " like indentation.
fn effective(line: &str) -> (usize, &str) {
    let mut indent = line.len() - line.trim_start_matches(' ').len();
    let mut rest = &line[indent..];
    while let Some(after) = rest.strip_prefix('-') {
        if !(after.starts_with(' ') || after.is_empty()) {
            break;
        }
        let trimmed = after.trim_start_matches(' ');
        indent += 1 + after.len() - trimmed.len();
        rest = trimmed;
    }
    (indent, rest)
}

fn is_blank(line: &str) -> bool {
    let t = line.trim();
    t.is_empty() || t.starts_with('#')
}

fn find_key(lines: &[&str], key: &str) -> Option<(usize, usize, usize)> {
    let mut block_indent = None;
    for (i, line) in lines.iter().enumerate() {
        if is_blank(line) {
            continue;
        }
        let (indent, rest) = effective(line);
        let level = *block_indent.get_or_insert(indent);
        if indent != level {
            continue;
        }
        let bare = rest.trim_start_matches(['"', '\'']);
        if let Some(after) = bare.strip_prefix(key) {
            let after = after.trim_start_matches(['"', '\'']);
            if after.starts_with(':') {
                let col = line.len() - rest.len() + (rest.len() - bare.len());
                return Some((i, col, indent));
            }
        }
    }
    None
}

fn find_item(lines: &[&str], n: usize) -> Option<(usize, usize)> {
    let mut seq_indent = None;
    let mut count = 0;
    for (i, line) in lines.iter().enumerate() {
        if is_blank(line) {
            continue;
        }
        let indent = line.len() - line.trim_start_matches(' ').len();
        let level = *seq_indent.get_or_insert(indent);
        if indent == level && line[indent..].starts_with('-') {
            if count == n {
                return Some((i, indent));
            }
            count += 1;
        }
    }
    None
}

/// The end of the block that belongs to a key or item at `indent`, starting at `start`.
fn block_end(lines: &[&str], start: usize, end: usize, indent: usize) -> usize {
    for (i, line) in lines.iter().enumerate().take(end).skip(start) {
        if is_blank(line) {
            continue;
        }
        let raw = line.len() - line.trim_start_matches(' ').len();
        let is_item = line[raw..].starts_with("- ") || line[raw..] == *"-";
        if raw < indent || (raw == indent && !is_item) {
            return i;
        }
    }
    end
}

/// The byte column and length of item `n` of a flow list `[a, b, c]` starting at `col`.
fn flow_item(line: &str, col: usize, n: usize) -> Option<(usize, usize)> {
    let value = line.get(col..)?;
    let inner_start = col + value.find('[')? + 1;
    let mut depth = 0;
    let mut quote = None;
    let mut item_start = inner_start;
    let mut index = 0;
    for (off, c) in line[inner_start..].char_indices() {
        let at = inner_start + off;
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '{') => depth += 1,
            (None, ',' | ']' | '}') if depth == 0 => {
                if index == n {
                    let raw = &line[item_start..at];
                    let lead = raw.len() - raw.trim_start().len();
                    return Some((item_start + lead, raw.trim().chars().count().max(1)));
                }
                if c != ',' {
                    return None;
                }
                index += 1;
                item_start = at + 1;
            }
            (None, ']' | '}') => depth -= 1,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_byte_scan_finds_exactly_the_refused_characters() {
        let every: String = (0u32..0x11_0000)
            .filter_map(char::from_u32)
            .filter(|c| (*c as u32) < 0x3000 || (*c as u32) > 0xf000)
            .collect();
        let want: Vec<(usize, char)> = every
            .char_indices()
            .filter(|&(_, c)| crate::diag::is_refused_char(c))
            .collect();
        assert_eq!(crate::diag::refused_chars(&every).collect::<Vec<_>>(), want);
        assert!(want.len() > 100, "the sample holds refused characters");
        let text = "Grüße, « déjà » \u{a0}– ok\r\u{85}\u{fdd0}\u{10ffff}\u{7f}";
        let want: Vec<(usize, char)> = text
            .char_indices()
            .filter(|&(_, c)| crate::diag::is_refused_char(c))
            .collect();
        assert_eq!(crate::diag::refused_chars(text).collect::<Vec<_>>(), want);
        assert_eq!(want.len(), 5);
    }

    fn src<'a>(text: &'a str) -> YamlSource<'a> {
        let s = split(text).unwrap();
        YamlSource {
            file: Path::new("content/members/x.md"),
            file_text: text,
            yaml: s.yaml,
            first_line: s.yaml_line,
            resolved: None,
        }
    }

    #[test]
    fn split_finds_yaml_and_body_with_their_lines() {
        let s = split("---\nname: A\n---\nHello\n").unwrap();
        assert_eq!(s.yaml, "name: A\n");
        assert_eq!(s.yaml_line, 2);
        assert_eq!(s.body, "Hello\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn split_accepts_empty_front_matter_and_no_body() {
        let s = split("---\n---\n").unwrap();
        assert_eq!(s.yaml, "");
        assert_eq!(s.body, "");
        let s = split("---\nname: A\n---").unwrap();
        assert_eq!(s.body, "");
    }

    #[test]
    fn split_rejects_missing_and_unclosed_front_matter() {
        assert_eq!(
            split("Hello").unwrap_err().1,
            "the file does not start with front matter"
        );
        assert_eq!(
            split("---\nname: A\n").unwrap_err().1,
            "the front matter is never closed"
        );
        assert_eq!(split("").unwrap_err().1, "the file is empty");
    }

    #[test]
    fn split_does_not_take_a_longer_rule_as_a_fence() {
        let s = split("---\na: 1\n---\ntext\n----\nmore\n").unwrap();
        assert_eq!(s.body, "text\n----\nmore\n");
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Sample {
        name: String,
        #[serde(default)]
        sectors: Vec<String>,
        employees: Option<u32>,
    }

    #[test]
    fn unknown_field_is_reported_on_the_file_line_with_a_suggestion() {
        let text = "---\nname: Acme\nsecotrs: [A]\n---\n";
        let d = parse::<Sample>(src(text)).unwrap_err();
        assert_eq!(d.message, "unknown field `secotrs`");
        assert_eq!(
            d.span,
            Some(Span {
                line: 3,
                column: 1,
                len: 7
            })
        );
        assert_eq!(d.help.as_deref(), Some("did you mean `sectors`?"));
        assert_eq!(d.source_line.as_deref(), Some("secotrs: [A]"));
    }

    #[test]
    fn type_error_names_the_field_and_expectation() {
        let text = "---\nname: Acme\nemployees: many\n---\n";
        let d = parse::<Sample>(src(text)).unwrap_err();
        assert_eq!(d.field.as_deref(), Some("employees"));
        assert_eq!(d.span.unwrap().line, 3);
        assert!(
            d.message.starts_with("expected a whole number"),
            "{}",
            d.message
        );
    }

    #[test]
    fn every_field_with_a_problem_is_reported_at_its_own_line() {
        let text = "---\nname: Acme\nemployees: many\nsectors: Automation\nsurprise: 1\n---\n";
        let found = parse_all::<Sample>(src(text)).unwrap_err();
        let lines: Vec<usize> = found.iter().map(|d| d.span.unwrap().line).collect();
        assert_eq!(lines, [3, 4, 5], "{found:?}");
        // A field blanked out to read on is not reported missing; one really missing is.
        let found = parse_all::<Sample>(src("---\nemployees: many\n---\n")).unwrap_err();
        let messages: Vec<&str> = found.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert_eq!(messages[1], "missing required field `name`");
        // After a syntax error, nothing else is guessed at.
        let found = parse_all::<Sample>(src("---\nname: [A\nemployees: many\n---\n")).unwrap_err();
        assert_eq!(found.len(), 1, "{found:?}");
    }

    #[test]
    fn missing_field_names_it() {
        let d = parse::<Sample>(src("---\nsectors: []\n---\n")).unwrap_err();
        assert_eq!(d.message, "missing required field `name`");
    }

    #[test]
    fn syntax_error_points_at_the_file_line() {
        let text = "---\nname: Acme\nsectors: [A, B\nemployees: 3\n---\n";
        let d = parse::<Sample>(src(text)).unwrap_err();
        assert!(d.span.unwrap().line >= 3, "{d}");
    }

    #[test]
    fn locate_follows_keys_items_and_flow_lists() {
        let text = "---\nname: Acme\nsectors: [Alpha, \"Beta\", Gamma]\nlocation:\n  city: Basel\n  country: XX\ncontacts:\n  - name: A\n    email: a@x\n  - name: B\n    email: bad\nneeds:\n- One\n- Two\n---\n";
        let s = src(text);
        let at = |path: &[Seg]| {
            let sp = locate(s, path);
            (sp.line, sp.column, sp.len)
        };
        assert_eq!(at(&[Seg::Key("name")]), (2, 7, 4), "the value, not the key");
        assert_eq!(at(&[Seg::Key("sectors"), Seg::Index(2)]), (3, 26, 5));
        assert_eq!(at(&[Seg::Key("sectors"), Seg::Index(1)]), (3, 18, 6));
        assert_eq!(at(&[Seg::Key("location"), Seg::Key("country")]), (6, 12, 2));
        assert_eq!(
            at(&[Seg::Key("contacts"), Seg::Index(1), Seg::Key("email")]),
            (11, 12, 3)
        );
        assert_eq!(at(&[Seg::Key("needs"), Seg::Index(1)]), (14, 3, 3));
        // Unknown paths fall back to the deepest part found.
        assert_eq!(at(&[Seg::Key("location"), Seg::Key("lat")]), (4, 1, 8));
        assert_eq!(at(&[Seg::Key("nothing")]), (2, 1, 1));
    }
}
