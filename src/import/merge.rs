//! Updating a member file's front matter in place, as text.
//!
//! A YAML library would read the front matter and write it back without its comments, its
//! quoting and its order, so this edits lines instead: the lines of one field (a top-level
//! key, or a key under `location:`, `membership:`, `summary:` or `extra:`) are replaced, or
//! new lines inserted where the field belongs in the conventional order; every other byte of
//! the file, the body included, stays as it was. A comment at the end of a replaced line is
//! kept. Values are written in a form YAML reads back exactly: a name like `Müller & Söhne:
//! Präzision`, `yes` or `079` is quoted.

/// The order fields are written in, as in the example members; for keys under a map, the
/// order of its keys.
const TOP: &[&str] = &[
    "lang",
    "name",
    "slug",
    "type",
    "summary",
    "logo",
    "website",
    "email",
    "phone",
    "sectors",
    "capabilities",
    "needs",
    "location",
    "employees",
    "founded",
    "membership",
    "certifications",
    "contacts",
    "products",
    "social",
    "extra",
    "draft",
];
const LOCATION: &[&str] = &[
    "street", "postcode", "city", "region", "country", "lat", "lon",
];
const MEMBERSHIP: &[&str] = &["tier", "since", "status", "left"];

/// A content file split for editing: everything before the front matter's lines, the lines,
/// and everything after them (the closing fence and the body).
#[derive(Debug, Clone)]
pub struct FrontMatter {
    before: String,
    lines: Vec<String>,
    after: String,
    eol: &'static str,
}

impl FrontMatter {
    /// A new file's front matter, empty, with an empty body.
    pub fn empty() -> FrontMatter {
        FrontMatter {
            before: "---\n".into(),
            lines: Vec::new(),
            after: "---\n".into(),
            eol: "\n",
        }
    }

    /// Splits a file's text; `None` if it does not start with a front matter block.
    pub fn parse(text: &str) -> Option<FrontMatter> {
        let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
        let mut parts = text.split_inclusive('\n');
        let first = parts.next()?;
        if first.trim_start_matches('\u{feff}').trim_end() != "---" {
            return None;
        }
        let mut offset = first.len();
        let mut lines = Vec::new();
        for line in parts {
            if line.trim_end() == "---" {
                return Some(FrontMatter {
                    before: first.to_string(),
                    lines,
                    after: text[offset..].to_string(),
                    eol,
                });
            }
            offset += line.len();
            lines.push(line.trim_end_matches(['\n', '\r']).to_string());
        }
        None
    }

    pub fn to_text(&self) -> String {
        let mut out = self.before.clone();
        for line in &self.lines {
            out.push_str(line);
            out.push_str(self.eol);
        }
        out.push_str(&self.after);
        out
    }

    /// The YAML of the front matter.
    pub fn yaml(&self) -> String {
        self.lines.join("\n")
    }

    /// A top-level value written on its key's line, unquoted: `lang: fr` → `fr`.
    pub fn top_scalar(&self, key: &str) -> Option<String> {
        let (i, _) = find_key(&self.lines, 0, self.lines.len(), 0, key)?;
        let value = value_part(&self.lines[i], 0, key);
        let (value, _) = split_comment(value);
        let value = value.trim().trim_matches(['"', '\'']);
        (!value.is_empty()).then(|| value.to_string())
    }

    /// Whether the top-level `key` holds a map (`summary: {de: …}` or a block of keys).
    pub fn is_map(&self, key: &str) -> bool {
        let Some((i, end)) = find_key(&self.lines, 0, self.lines.len(), 0, key) else {
            return false;
        };
        let (value, _) = split_comment(value_part(&self.lines[i], 0, key));
        let value = value.trim();
        value.starts_with('{')
            || (value.is_empty()
                && self.lines[i + 1..end]
                    .iter()
                    .find(|l| !is_blank_or_comment(l))
                    .is_some_and(|l| !l.trim_start().starts_with('-')))
    }

    /// Sets the field at `path` (one key, or a map's key and one of its keys) to `value`, a
    /// YAML value written on one line.
    pub fn set(&mut self, path: &[&str], value: &str) -> Result<(), String> {
        match path {
            [key] => {
                let end = self.lines.len();
                set_in(&mut self.lines, 0, end, 0, key, value, TOP);
                Ok(())
            }
            [parent, key] => self.set_nested(parent, key, value),
            _ => Err("a field nested too deep to update".into()),
        }
    }

    fn set_nested(&mut self, parent: &str, key: &str, value: &str) -> Result<(), String> {
        let order = match parent {
            "location" => LOCATION,
            "membership" => MEMBERSHIP,
            _ => &[],
        };
        let Some((i, end)) = find_key(&self.lines, 0, self.lines.len(), 0, parent) else {
            let block = [format!("{parent}:"), format!("  {key}: {value}")];
            let at = insert_at(&self.lines, 0, self.lines.len(), 0, parent, TOP);
            self.lines.splice(at..at, block);
            return Ok(());
        };
        let (inline, comment) = split_comment(value_part(&self.lines[i], 0, parent));
        let inline = inline.trim();
        if inline.starts_with('{') {
            // `location: {city: Lörrach, country: DE}`: written out as a block, then set.
            let block = self.lines[i..end].join("\n");
            let lines = block_of_flow_map(parent, &block, comment)?;
            self.lines.splice(i..end, lines);
            return self.set_nested(parent, key, value);
        }
        if !inline.is_empty() && inline != "~" && inline != "null" {
            return Err(format!("`{parent}` is not a map of fields in the file"));
        }
        if inline == "~" || inline == "null" {
            self.lines[i] = format!("{parent}:");
        }
        let indent = self.lines[i + 1..end]
            .iter()
            .find(|l| !is_blank_or_comment(l))
            .map_or(2, |l| indent_of(l));
        set_in(&mut self.lines, i + 1, end, indent, key, value, order);
        Ok(())
    }
}

/// Replaces the lines of `key` at `indent` within `lines[start..end]`, or inserts it where
/// `order` puts it.
fn set_in(
    lines: &mut Vec<String>,
    start: usize,
    end: usize,
    indent: usize,
    key: &str,
    value: &str,
    order: &[&str],
) {
    let pad = " ".repeat(indent);
    match find_key(lines, start, end, indent, key) {
        Some((i, block_end)) => {
            let (_, comment) = split_comment(value_part(&lines[i], indent, key));
            let line = match comment {
                Some(c) => format!("{pad}{key}: {value}  {c}"),
                None => format!("{pad}{key}: {value}"),
            };
            lines.splice(i..block_end, [line]);
        }
        None => {
            let at = insert_at(lines, start, end, indent, key, order);
            lines.insert(at, format!("{pad}{key}: {value}"));
        }
    }
}

/// Where a new `key` goes among the keys at `indent` in `lines[start..end]`: after the block
/// of the last key that comes before it in `order`, else before the first key (and the
/// comments just above it), else at the end.
fn insert_at(
    lines: &[String],
    start: usize,
    end: usize,
    indent: usize,
    key: &str,
    order: &[&str],
) -> usize {
    let rank = |k: &str| order.iter().position(|o| *o == k);
    let mine = rank(key);
    let keys = keys_in(lines, start, end, indent);
    if let Some(mine) = mine
        && let Some((_, _, block_end)) = keys
            .iter()
            .rev()
            .find(|(k, _, _)| rank(k).is_some_and(|r| r < mine))
    {
        return *block_end;
    }
    match (mine, keys.first()) {
        (Some(_), Some((_, first, _))) => {
            let mut at = *first;
            while at > start && is_comment(&lines[at - 1]) {
                at -= 1;
            }
            at
        }
        _ => keys.last().map_or(end, |(_, _, e)| *e),
    }
}

/// The keys at exactly `indent` in `lines[start..end]`: key, line, end of its block.
fn keys_in(
    lines: &[String],
    start: usize,
    end: usize,
    indent: usize,
) -> Vec<(String, usize, usize)> {
    let mut out = Vec::new();
    let mut i = start;
    while i < end {
        match key_of(&lines[i], indent) {
            Some(k) => {
                let e = block_end(lines, i, end, indent);
                out.push((k.to_string(), i, e));
                i = e.max(i + 1);
            }
            None => i += 1,
        }
    }
    out
}

/// The line of `key` at `indent` in `lines[start..end]`, and the end of its block.
fn find_key(
    lines: &[String],
    start: usize,
    end: usize,
    indent: usize,
    key: &str,
) -> Option<(usize, usize)> {
    keys_in(lines, start, end, indent)
        .into_iter()
        .find(|(k, _, _)| k == key)
        .map(|(_, i, e)| (i, e))
}

/// The end (exclusive) of the block of the key on line `i` at `indent`: the lines indented
/// deeper, and list items at the key's own indent, without blank lines and comments at its
/// end (they belong to what follows).
fn block_end(lines: &[String], i: usize, end: usize, indent: usize) -> usize {
    let mut last = i + 1;
    let mut j = i + 1;
    while j < end {
        let line = &lines[j];
        if line.trim().is_empty() || is_comment(line) {
            j += 1;
            continue;
        }
        let deeper = indent_of(line) > indent;
        let item = indent_of(line) == indent && {
            let rest = line[indent..].trim_end();
            rest == "-" || rest.starts_with("- ")
        };
        if !(deeper || item) {
            break;
        }
        j += 1;
        last = j;
    }
    last
}

/// The key a line declares at exactly `indent`: `  city: X` → `city` at indent 2.
fn key_of(line: &str, indent: usize) -> Option<&str> {
    if indent_of(line) != indent || is_blank_or_comment(line) {
        return None;
    }
    let rest = &line[indent..];
    let colon = rest.find(':')?;
    let key = &rest[..colon];
    let after = &rest[colon + 1..];
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-');
    (plain && (after.is_empty() || after.starts_with([' ', '\t']))).then_some(key)
}

/// What follows `key:` on its line.
fn value_part<'a>(line: &'a str, indent: usize, key: &str) -> &'a str {
    line.get(indent + key.len() + 1..).unwrap_or("")
}

/// A value and the comment after it (`# …`), outside quotes.
fn split_comment(value: &str) -> (&str, Option<&str>) {
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    for (i, c) in value.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if (c == '"' || c == '\'') && prev.is_whitespace() => quote = Some(c),
            None if c == '#' && prev.is_whitespace() => return (&value[..i], Some(&value[i..])),
            None => {}
        }
        prev = c;
    }
    (value, None)
}

fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

fn is_comment(line: &str) -> bool {
    line.trim_start().starts_with('#')
}

fn is_blank_or_comment(line: &str) -> bool {
    line.trim().is_empty() || is_comment(line)
}

/// `parent: {a: 1, b: x}` as block lines.
fn block_of_flow_map(
    parent: &str,
    block: &str,
    comment: Option<&str>,
) -> Result<Vec<String>, String> {
    let cannot = || format!("cannot read `{parent}` in the file to update it");
    let value: serde_yaml::Value = serde_yaml::from_str(block).map_err(|_| cannot())?;
    let map = value
        .get(parent)
        .and_then(serde_yaml::Value::as_mapping)
        .ok_or_else(cannot)?;
    let mut lines = vec![match comment {
        Some(c) => format!("{parent}:  {c}"),
        None => format!("{parent}:"),
    }];
    for (k, v) in map {
        let k = k.as_str().ok_or_else(cannot)?;
        let v = match v {
            serde_yaml::Value::Sequence(items) => {
                let items: Option<Vec<String>> = items.iter().map(scalar_text).collect();
                flow_list(&items.ok_or_else(cannot)?)
            }
            other => match (other, scalar_text(other)) {
                (serde_yaml::Value::String(s), _) => quote(s),
                (_, Some(text)) => text,
                (_, None) => return Err(cannot()),
            },
        };
        lines.push(format!("  {k}: {v}"));
    }
    Ok(lines)
}

/// A number, boolean or string as its text.
fn scalar_text(v: &serde_yaml::Value) -> Option<String> {
    match v {
        serde_yaml::Value::String(s) => Some(s.clone()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        serde_yaml::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// A string as a YAML scalar that reads back as exactly this string: plain where that is
/// safe, else double-quoted.
pub fn quote(s: &str) -> String {
    if is_plain_safe(s, false) {
        s.to_string()
    } else {
        double_quoted(s)
    }
}

/// A list of strings as a YAML flow list: `[CNC turning, "Anodising, hard"]`.
pub fn flow_list(items: &[String]) -> String {
    let items: Vec<String> = items
        .iter()
        .map(|s| match is_plain_safe(s, true) {
            true => s.clone(),
            false => double_quoted(s),
        })
        .collect();
    format!("[{}]", items.join(", "))
}

fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Whether `s` can be written unquoted: it starts with a letter or digit, holds nothing YAML
/// reads as syntax, is not a word YAML 1.1 reads as a boolean or null, and reads back (in the
/// YAML we use) as this very string, not as a number or date.
fn is_plain_safe(s: &str, in_flow: bool) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if !first.is_alphanumeric() || s.ends_with([' ', ':']) || s.trim() != s {
        return false;
    }
    if s.contains(": ") || s.contains(" #") || s.chars().any(|c| c.is_control()) {
        return false;
    }
    if in_flow && s.contains([',', '[', ']', '{', '}']) {
        return false;
    }
    const WORDS: [&str; 11] = [
        "yes", "no", "on", "off", "y", "n", "true", "false", "null", "~", "nan",
    ];
    if WORDS.contains(&s.to_ascii_lowercase().as_str()) {
        return false;
    }
    matches!(
        serde_yaml::from_str::<serde_yaml::Value>(s),
        Ok(serde_yaml::Value::String(back)) if back == s
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "---\n# Kept comment\nname: Old GmbH  # legal name\ntype: company\nsectors:\n  - Robotics\n  - Automation\n\n# Where\nlocation:\n  city: Lörrach\n  country: DE # code\nemployees: 12\n---\nBody **stays**.\n";

    fn edited(edits: &[(&[&str], &str)]) -> String {
        let mut fm = FrontMatter::parse(FILE).unwrap();
        for (path, value) in edits {
            fm.set(path, value).unwrap();
        }
        fm.to_text()
    }

    #[test]
    fn replacing_a_field_keeps_every_other_byte_and_its_comment() {
        let out = edited(&[(&["name"], "New AG"), (&["sectors"], "[Medtech]")]);
        assert_eq!(
            out,
            FILE.replace("Old GmbH", "New AG").replace(
                "sectors:\n  - Robotics\n  - Automation\n",
                "sectors: [Medtech]\n"
            )
        );
    }

    #[test]
    fn nested_fields_are_replaced_or_inserted_in_order() {
        let out = edited(&[
            (&["location", "country"], "CH"),
            (&["location", "postcode"], "\"4410\""),
            (&["membership", "since"], "2019"),
            (&["website"], "https://x.example"),
        ]);
        assert!(out.contains("location:\n  postcode: \"4410\"\n  city: Lörrach\n  country: CH  # code\nemployees: 12\nmembership:\n  since: 2019\n---\n"), "{out}");
        assert!(
            out.contains("type: company\nwebsite: https://x.example\nsectors:"),
            "{out}"
        );
    }

    #[test]
    fn a_flow_map_becomes_a_block_to_take_a_key() {
        let mut fm =
            FrontMatter::parse("---\nname: X\nlocation: {city: Basel, country: CH}\n---\n")
                .unwrap();
        fm.set(&["location", "street"], "Hauptstrasse 1").unwrap();
        assert_eq!(
            fm.to_text(),
            "---\nname: X\nlocation:\n  street: Hauptstrasse 1\n  city: Basel\n  country: CH\n---\n"
        );
    }

    #[test]
    fn a_flow_map_with_a_list_keeps_the_list() {
        let mut fm = FrontMatter::parse(
            "---\nname: X\nextra: {languages: [German, English], crm: 17}\n---\n",
        )
        .unwrap();
        fm.set(&["extra", "member_id"], "\"1002\"").unwrap();
        assert_eq!(
            fm.to_text(),
            "---\nname: X\nextra:\n  languages: [German, English]\n  crm: 17\n  member_id: \"1002\"\n---\n"
        );
    }

    #[test]
    fn windows_line_ends_stay_windows_line_ends() {
        let mut fm = FrontMatter::parse("---\r\nname: X\r\n---\r\nBody\r\n").unwrap();
        fm.set(&["employees"], "5").unwrap();
        assert_eq!(
            fm.to_text(),
            "---\r\nname: X\r\nemployees: 5\r\n---\r\nBody\r\n"
        );
    }

    #[test]
    fn strings_that_yaml_would_misread_are_quoted() {
        for s in [
            "Müller & Söhne: Präzision",
            "yes",
            "123",
            "079",
            "2020-01-01",
            "#1 Firma",
            "- dash",
            "'quoted'",
            "a \"b\"",
            "tab\there",
            "line\nbreak",
            "",
        ] {
            let q = quote(s);
            let back: String = serde_yaml::from_str(&format!("k: {q}"))
                .map(|m: std::collections::BTreeMap<String, String>| m["k"].clone())
                .unwrap_or_else(|e| panic!("{s:?} as {q}: {e}"));
            assert_eq!(back, s, "{q}");
        }
        assert_eq!(quote("Acme Robotics GmbH"), "Acme Robotics GmbH");
        assert_eq!(
            flow_list(&["CNC turning".into(), "A, B".into()]),
            "[CNC turning, \"A, B\"]"
        );
    }
}
