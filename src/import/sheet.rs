//! Reading a spreadsheet into rows of cells: Excel (`.xlsx`, `.xlsm`, `.xls`), LibreOffice
//! (`.ods`) and CSV.
//!
//! CSV files are whatever the program that saved them chose: German and French Excel write
//! semicolons and the Windows code page (Windows-1252), with or without a byte-order mark;
//! "Unicode text" is UTF-16 with tabs. The encoding is told by the byte-order mark, else by
//! whether the bytes are valid UTF-8 (Windows-1252 text with umlauts almost never is), and
//! the delimiter by which of `,` `;` tab `|` splits the first rows into the same number of
//! fields. Row numbers are the ones a spreadsheet program shows: the header is row 1.

use std::path::Path;

/// One cell as the file holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    /// An Excel date cell: days since 1899-12-30.
    Date(f64),
}

impl Cell {
    pub fn is_empty(&self) -> bool {
        matches!(self, Cell::Text(t) if t.trim().is_empty())
    }

    /// The cell as text: whole numbers without `.0`, dates as `YYYY-MM-DD`.
    pub fn text(&self) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            Cell::Number(n) => number_text(*n),
            Cell::Date(d) => date_of_serial(*d)
                .map(|d| d.to_string())
                .unwrap_or_else(|| number_text(*d)),
        }
    }
}

/// `12.0` → `12`, `47.61` → `47.61`.
pub fn number_text(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        n.to_string()
    }
}

/// The date of an Excel serial day number (the 1900 date system).
pub fn date_of_serial(serial: f64) -> Option<jiff::civil::Date> {
    if !(1.0..3_000_000.0).contains(&serial) {
        return None;
    }
    let epoch = jiff::civil::date(1899, 12, 30);
    epoch
        .checked_add(jiff::Span::new().days(serial.floor() as i64))
        .ok()
}

/// A sheet: its header and its data rows, each with the row number a spreadsheet shows.
#[derive(Debug, Default)]
pub struct Sheet {
    pub header: Vec<String>,
    pub rows: Vec<(usize, Vec<Cell>)>,
}

impl Sheet {
    /// The header is the row among the first ten with the most headers that `known` knows
    /// (the first of equals): sheets often have a title and a blank line or two above it
    /// ("Mitgliederliste Stand 1.10.2026"). The rows above the header are dropped.
    pub fn find_header(self, known: impl Fn(&str) -> bool) -> Sheet {
        const LOOK: usize = 10;
        let count = |cells: &[Cell]| cells.iter().filter(|c| known(c.text().trim())).count();
        let in_header = self.header.iter().filter(|h| known(h)).count();
        let best = (self.rows.iter().take(LOOK - 1).enumerate())
            .map(|(i, (_, cells))| (count(cells), i))
            .filter(|(n, _)| *n > in_header)
            .max_by_key(|(n, i)| (*n, std::cmp::Reverse(*i)));
        let Some((_, at)) = best else {
            return self;
        };
        let mut rows = self.rows;
        let rest = rows.split_off(at + 1);
        let header = rows.pop().map(|(_, cells)| cells).unwrap_or_default();
        Sheet {
            header: header.iter().map(|c| c.text().trim().to_string()).collect(),
            rows: rest,
        }
    }
}

/// Reads the sheet of a file by its extension; `sheet` names the worksheet of a workbook
/// (the first one by default). `Err` says why in words for the user.
pub fn read_sheet(path: &Path, sheet: Option<&str>) -> Result<Sheet, String> {
    let bytes =
        std::fs::read(path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "xlsx" | "xlsm" | "xlsb" | "xls" | "ods" => read_workbook(path, bytes, sheet),
        "csv" | "txt" | "tsv" => {
            if sheet.is_some() {
                return Err(format!(
                    "`{}` is a CSV file, which has no sheets: leave out --sheet",
                    path.display()
                ));
            }
            read_csv(&bytes)
        }
        _ => Err(format!(
            "`{}` is not a spreadsheet clusterpress reads: save it as .xlsx, .ods or .csv",
            path.display()
        )),
    }
}

fn read_workbook(path: &Path, bytes: Vec<u8>, sheet: Option<&str>) -> Result<Sheet, String> {
    use calamine::{Data, Reader};
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e| format!("cannot read `{}` as a workbook: {e}", path.display()))?;
    let names = book.sheet_names();
    let name = match sheet {
        Some(wanted) => names
            .iter()
            .find(|n| n.as_str() == wanted)
            .or_else(|| names.iter().find(|n| n.eq_ignore_ascii_case(wanted)))
            .cloned()
            .ok_or_else(|| {
                format!(
                    "`{}` has no sheet `{wanted}`; its sheets are {}",
                    path.display(),
                    crate::diag::one_of(&names)
                )
            })?,
        None => names
            .first()
            .cloned()
            .ok_or_else(|| format!("`{}` has no sheets", path.display()))?,
    };
    let range = book
        .worksheet_range(&name)
        .map_err(|e| format!("cannot read sheet `{name}` of `{}`: {e}", path.display()))?;
    let first_row = range.start().map_or(0, |(r, _)| r as usize);
    let first_col = range.start().map_or(0, |(_, c)| c as usize);
    let mut rows = Vec::new();
    for (i, row) in range.rows().enumerate() {
        // Cells before the used range are empty; keep columns where the sheet has them.
        let mut cells = vec![Cell::Text(String::new()); first_col];
        cells.extend(row.iter().map(|d| match d {
            Data::Int(i) => Cell::Number(*i as f64),
            Data::Float(f) => Cell::Number(*f),
            Data::String(s) => Cell::Text(s.clone()),
            Data::Bool(b) => Cell::Text(b.to_string()),
            Data::DateTime(d) => Cell::Date(d.as_f64()),
            Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
            Data::Error(_) | Data::Empty => Cell::Text(String::new()),
        }));
        rows.push((first_row + i + 1, cells));
    }
    Ok(with_header(rows))
}

/// The first row that is not empty is the header; rows that are all empty are dropped.
fn with_header(rows: Vec<(usize, Vec<Cell>)>) -> Sheet {
    let mut rows = rows
        .into_iter()
        .filter(|(_, cells)| cells.iter().any(|c| !c.is_empty()));
    let Some((_, header)) = rows.next() else {
        return Sheet::default();
    };
    Sheet {
        header: header.iter().map(|c| c.text().trim().to_string()).collect(),
        rows: rows.collect(),
    }
}

/// Reads a CSV file in any of the encodings and with any of the delimiters spreadsheets
/// write.
pub fn read_csv(bytes: &[u8]) -> Result<Sheet, String> {
    // Line ends as `\n` only: the CSV reader counts lines wrongly after `\r\n`, and row
    // numbers are told from its lines.
    let text = decode(bytes).replace("\r\n", "\n").replace('\r', "\n");
    // Excel understands a first line `sep=;` and does not show it; neither do we.
    let (forced, text) = match text.split_once('\n') {
        Some((first, rest)) if first.trim_end().len() == 5 && first.starts_with("sep=") => {
            (first.as_bytes().get(4).copied(), rest)
        }
        _ => (None, text.as_str()),
    };
    let delimiter = forced.unwrap_or_else(|| detect_delimiter(text));
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    // A row's number is its line, less the line breaks inside quoted cells above it: blank
    // lines count, as a spreadsheet shows them.
    let mut inside = 0;
    for (i, record) in reader.records().enumerate() {
        let record = record.map_err(|e| format!("the file is not CSV that can be read: {e}"))?;
        let line = record.position().map_or(i + 1, |p| p.line() as usize);
        rows.push((
            line.saturating_sub(inside).max(1),
            record.iter().map(|c| Cell::Text(c.to_string())).collect(),
        ));
        inside += record
            .iter()
            .map(|c| c.matches('\n').count())
            .sum::<usize>();
    }
    Ok(with_header(rows))
}

/// The text of a CSV file: UTF-8 or UTF-16 by their byte-order mark, else UTF-8 if the bytes
/// are valid UTF-8, else Windows-1252 (what Excel writes on Windows in Western Europe).
pub fn decode(bytes: &[u8]) -> String {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom..]);
        return text.into_owned();
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            text.into_owned()
        }
    }
}

/// The delimiter that splits the first rows most consistently: the most rows with the same
/// number of fields (at least two), more fields breaking ties. Quotes are respected, so a
/// comma inside a quoted cell of a semicolon file does not count, and a title line above the
/// header does not decide.
pub fn detect_delimiter(text: &str) -> u8 {
    const CANDIDATES: [u8; 4] = [b',', b';', b'\t', b'|'];
    const SAMPLE_ROWS: usize = 50;
    let mut best = ((0usize, 0usize), b',');
    for d in CANDIDATES {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(d)
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut widths: std::collections::BTreeMap<usize, usize> = Default::default();
        for record in reader.records().take(SAMPLE_ROWS) {
            let Ok(record) = record else { break };
            if record.len() >= 2 {
                *widths.entry(record.len()).or_default() += 1;
            }
        }
        let score = widths
            .into_iter()
            .map(|(width, rows)| (rows, width))
            .max()
            .unwrap_or_default();
        if score > best.0 {
            best = (score, d);
        }
    }
    best.1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn semicolons_win_over_commas_inside_cells() {
        let text = "Firma;Ort;Branchen\n\"Müller, Söhne\";Lörrach;\"A; B\"\nX;Y;Z\n";
        assert_eq!(detect_delimiter(text), b';');
        assert_eq!(detect_delimiter("a,b,c\n1,2,3\n"), b',');
        assert_eq!(detect_delimiter("a\tb\n1\t2,5\n"), b'\t');
        assert_eq!(detect_delimiter("name\nAcme\n"), b',');
        assert_eq!(
            detect_delimiter("Mitglieder 2026\n\nFirma;Ort\nA;B\nC;D\n"),
            b';'
        );
    }

    #[test]
    fn encodings_are_told_by_bom_or_by_validity() {
        assert_eq!(decode(b"\xEF\xBB\xBFStra\xC3\x9Fe"), "Straße");
        assert_eq!(decode(b"Stra\xDFe"), "Straße");
        assert_eq!(decode(b"\xFF\xFEa\0\xFC\0"), "aü");
        assert_eq!(decode("Müller".as_bytes()), "Müller");
    }

    #[test]
    fn rows_are_numbered_as_a_spreadsheet_shows_them() {
        let sheet = read_csv(b"sep=;\r\nname;city\r\n\"A\r\nB\";X\r\n;\r\nC;Y\r\n").unwrap();
        assert_eq!(sheet.header, ["name", "city"]);
        let numbers: Vec<usize> = sheet.rows.iter().map(|(n, _)| *n).collect();
        assert_eq!(numbers, [2, 4]);
        assert_eq!(sheet.rows[0].1[0], Cell::Text("A\nB".into()));
    }

    #[test]
    fn a_title_above_the_header_is_passed_over() {
        let sheet = read_csv("Mitgliederliste, Stand Oktober\n\nFirma,Ort\nA,B\n".as_bytes())
            .unwrap()
            .find_header(|h| matches!(h, "Firma" | "Ort"));
        assert_eq!(sheet.header, ["Firma", "Ort"]);
        assert_eq!(
            sheet.rows,
            [(4, vec![Cell::Text("A".into()), Cell::Text("B".into())])]
        );
    }

    #[test]
    fn numbers_lose_their_point_zero_and_dates_read_as_dates() {
        assert_eq!(Cell::Number(12.0).text(), "12");
        assert_eq!(Cell::Number(47.61).text(), "47.61");
        assert_eq!(Cell::Date(45658.0).text(), "2025-01-01");
    }
}
