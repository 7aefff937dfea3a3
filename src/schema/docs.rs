//! The field tables of the reference docs (`docs/*.md`), read so that the JSON Schemas and the
//! CMS describe each field in the same words as the docs, written once.
//!
//! A table starts with a header row whose first cell is `Field` or `Key`; each row names a
//! field in backticks (`` `location.city` ``) and ends with its rules. A row of the first
//! table that links to a section of its own page (`See [Places](#places)`) says where the
//! fields nested under it are described.

/// One page of the reference docs, as tables of fields.
#[derive(Debug, Default)]
pub(crate) struct Page {
    tables: Vec<Table>,
}

#[derive(Debug)]
struct Table {
    /// The anchor of the section the table is in: `places`.
    anchor: String,
    rows: Vec<Row>,
}

#[derive(Debug)]
struct Row {
    field: String,
    kind: String,
    default: Option<String>,
    rules: String,
}

/// The reference page of each collection and of `cluster.yaml`, built into the program.
pub(crate) fn page_for(key: &str) -> Page {
    let text = match key {
        "members" => include_str!("../../docs/members.md"),
        "pages" | "home" => include_str!("../../docs/pages.md"),
        "events" => include_str!("../../docs/events.md"),
        "training" => include_str!("../../docs/training.md"),
        "catalogues" => include_str!("../../docs/catalogues.md"),
        "resources" => include_str!("../../docs/resources.md"),
        "procurement" => include_str!("../../docs/procurement.md"),
        "projects" => include_str!("../../docs/projects.md"),
        "funding" => include_str!("../../docs/funding.md"),
        "jobs" => include_str!("../../docs/jobs.md"),
        "news" => include_str!("../../docs/news.md"),
        "partners" => include_str!("../../docs/partners.md"),
        "cluster" | "vocabulary" => include_str!("../../docs/configuration.md"),
        _ => "",
    };
    let mut page = Page::parse(text);
    if key == "home" {
        // pages.md describes free pages first, then the home page.
        page.tables.retain(|t| t.anchor.contains("home"));
    } else if key == "pages" {
        page.tables.retain(|t| !t.anchor.contains("home"));
    }
    page
}

impl Page {
    pub(crate) fn parse(text: &str) -> Page {
        let mut tables: Vec<Table> = Vec::new();
        let mut anchor = String::new();
        let mut in_table = false;
        let mut columns = 0;
        for line in text.lines() {
            if let Some(heading) = line.strip_prefix('#') {
                anchor = slug_of_heading(heading.trim_start_matches('#'));
                in_table = false;
                continue;
            }
            let Some(cells) = cells(line) else {
                in_table = false;
                continue;
            };
            if !in_table {
                if matches!(cells.first().map(String::as_str), Some("Field" | "Key")) {
                    in_table = true;
                    columns = cells.len();
                    tables.push(Table {
                        anchor: anchor.clone(),
                        rows: Vec::new(),
                    });
                }
                continue;
            }
            let Some(field) = cells[0].strip_prefix('`').and_then(|c| c.strip_suffix('`')) else {
                continue; // the |---| row
            };
            if field.contains([' ', ':', '`']) || cells.len() != columns || columns < 3 {
                continue;
            }
            let default = (columns == 4).then(|| plain(&cells[2]));
            if let Some(table) = tables.last_mut() {
                table.rows.push(Row {
                    field: field.to_string(),
                    kind: plain(&cells[1]),
                    default,
                    rules: plain(&cells[columns - 1]),
                });
            }
        }
        Page { tables }
    }

    /// The description of the field at `path` (keys from the top, without list positions):
    /// its rules, then its type and default.
    pub(crate) fn describe(&self, path: &[&str]) -> Option<String> {
        let row = self.row(path)?;
        let mut text = without_anchors(&row.rules);
        let mut about = vec![row.kind.clone()];
        match row.default.as_deref() {
            Some("**required**" | "required") => about.push("required".into()),
            Some(d) if !d.is_empty() && d != "optional" && d != "—" => {
                about.push(format!("default: {d}"))
            }
            _ => {}
        }
        if !text.is_empty() && !text.ends_with(['.', '?', ')']) {
            text.push('.');
        }
        text.push_str(&format!(" ({})", about.join("; ")));
        Some(text.trim().to_string())
    }

    /// Where the docs list the field at `path` among its neighbours: the position of its row.
    pub(crate) fn rank(&self, path: &[&str]) -> Option<usize> {
        let row = self.row(path)?;
        self.tables
            .iter()
            .find_map(|t| t.rows.iter().position(|r| std::ptr::eq(r, row)))
    }

    fn row(&self, path: &[&str]) -> Option<&Row> {
        let main = self.tables.first()?;
        let dotted = path.join(".");
        if let Some(row) = main.rows.iter().find(|r| r.field == dotted) {
            return Some(row);
        }
        // Nested fields: in the section the parent's row links to.
        for split in (1..path.len()).rev() {
            let parent = path[..split].join(".");
            let Some(row) = main.rows.iter().find(|r| r.field == parent) else {
                continue;
            };
            let rest = path[split..].join(".");
            for anchor in local_anchors(&row.rules) {
                let found = (self.tables.iter().skip(1))
                    .filter(|t| t.anchor == anchor)
                    .flat_map(|t| &t.rows)
                    .find(|r| r.field == rest);
                if found.is_some() {
                    return found;
                }
            }
        }
        None
    }
}

/// The cells of a table row, trimmed; `None` for a line that is not one.
fn cells(line: &str) -> Option<Vec<String>> {
    let inner = line.trim().strip_prefix('|')?.strip_suffix('|')?;
    Some(inner.split('|').map(|c| c.trim().to_string()).collect())
}

/// GitHub's anchor of a heading: lower case, spaces to hyphens, most punctuation dropped.
fn slug_of_heading(heading: &str) -> String {
    (heading.trim().to_lowercase().chars())
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// The anchors of the links to sections of the same page in `text`: `[Places](#places)`.
/// Links are kept in [`plain`] text as `Places (#places)`.
fn local_anchors(text: &str) -> Vec<String> {
    text.split("(#")
        .skip(1)
        .filter_map(|rest| rest.split_once(')').map(|(a, _)| a.to_string()))
        .collect()
}

/// Markdown of a table cell as plain text: `**x**` → `x`, `[text](url)` → `text` (a link
/// to a section of the same page is kept as `text (#anchor)` until [`Page::describe`]).
fn plain(cell: &str) -> String {
    let mut out = String::with_capacity(cell.len());
    let mut rest = cell;
    while let Some(open) = rest.find('[') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let link = after
            .split_once("](")
            .and_then(|(text, tail)| tail.split_once(')').map(|(url, tail)| (text, url, tail)));
        match link {
            Some((text, url, tail)) if !text.contains('[') => {
                out.push_str(text);
                if let Some(anchor) = url.strip_prefix('#') {
                    out.push_str(&format!(" (#{anchor})"));
                }
                rest = tail;
            }
            _ => {
                out.push('[');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out.replace("**", "")
}

/// `text (#anchor)` → `text`: the anchors [`plain`] kept, gone for the reader.
fn without_anchors(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(" (#") {
        out.push_str(&rest[..at]);
        match rest[at..].find(')') {
            Some(end) => rest = &rest[at + end + 1..],
            None => {
                rest = &rest[at..];
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "\
# Events

## All fields

| Field | Type | Required / default | Rules |
|---|---|---|---|
| `title` | text | **required** | Must not be empty. |
| `location` | place | optional | Where. See [Places](#places). |
| `registration.url` | web address | optional | Where people [register](https://x.example). |

## Kinds

| `kind:` | Shown as |
|---|---|
| `workshop` | Workshop |

## Places

| Field | Type | Rules |
|---|---|---|
| `city` | text | e.g. `Basel` |
";

    #[test]
    fn fields_are_described_by_their_rows_and_nested_ones_by_the_section_linked() {
        let page = Page::parse(PAGE);
        assert_eq!(
            page.describe(&["title"]).as_deref(),
            Some("Must not be empty. (text; required)")
        );
        assert_eq!(
            page.describe(&["registration", "url"]).as_deref(),
            Some("Where people register. (web address)")
        );
        assert_eq!(
            page.describe(&["location", "city"]).as_deref(),
            Some("e.g. `Basel`. (text)")
        );
        assert_eq!(page.describe(&["kind:"]), None);
        assert_eq!(page.describe(&["location", "venue"]), None);
    }

    #[test]
    fn links_within_the_page_leave_no_trace_in_the_text_shown() {
        assert_eq!(
            without_anchors("Where. See Places (#places). And more"),
            "Where. See Places. And more"
        );
    }
}
