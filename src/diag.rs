//! Diagnostics: every problem a user can cause, with where it is and how to fix it.
//!
//! The policy of the whole tool is "report everything, then fail": stages push
//! [`Diagnostic`]s into a [`Diagnostics`] list instead of returning at the first problem, and
//! the command decides at the end whether the run failed. A diagnostic names the file (relative
//! to the site folder), the 1-based line and column, the field, the offending source line with a
//! caret under the problem, and a `help:` line.
//!
//! A report costs little whatever the input (issue 17): the quoted source line is cut to a
//! window around the column, so a 50 KB line is not printed again for each of its problems,
//! and a [`Limiter`] lets a stage locate and show only the first [`SHOWN_PER_KIND`] problems
//! of one kind in one file, summarising the rest in one line.

use std::collections::BTreeMap;
use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};

/// How many problems of one kind in one file are shown; the rest are counted in a summary.
pub const SHOWN_PER_KIND: usize = 20;

/// A source line longer than this (in characters) is shown cut around the problem.
const LINE_WIDTH: usize = 120;
/// Characters shown before the column, and after the underlined part, of a cut line.
const CONTEXT: usize = 40;
/// The longest underline shown under a cut line.
const MAX_UNDERLINE: usize = 40;

/// How bad a problem is. Errors fail the run; warnings are printed and the run goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// A place in a source file: 1-based line and column, and how many characters to underline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Span {
    pub line: usize,
    pub column: usize,
    pub len: usize,
}

/// One problem found in the user's site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    pub file: Option<PathBuf>,
    pub span: Option<Span>,
    /// The source line the span points into, kept so the report can show it: the whole line,
    /// or a window of it around the span with `…` where it was cut.
    pub source_line: Option<String>,
    /// The 1-based column in `source_line` (in characters) where the caret goes.
    pub source_column: usize,
    /// For a summary ("and 3,980 more problems…"): how many problems it stands for.
    pub omitted: usize,
    pub field: Option<String>,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: None,
            span: None,
            source_line: None,
            source_column: 1,
            omitted: 0,
            field: None,
            message: message.into(),
            help: None,
        }
    }

    pub fn warning(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(message)
        }
    }

    pub fn in_file(mut self, file: impl Into<PathBuf>) -> Self {
        self.file = Some(file.into());
        self
    }

    /// Points the diagnostic at `span` in `text`, the whole text of the file.
    ///
    /// Only the part of the line that is shown is copied: its cost is the distance from the
    /// start of the text to the end of the window, never the rest of a long line.
    pub fn at(mut self, text: &str, span: Span) -> Self {
        self.source_line = None;
        self.source_column = span.column.max(1);
        if let Some(start) = line_start(text, span.line) {
            let (shown, column) = window(&text[start..], span.column, span.len);
            self.source_line = Some(shown);
            self.source_column = column;
        }
        self.span = Some(span);
        self
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.message = message.into();
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// How many problems this diagnostic counts for: a summary counts for those it stands for.
    fn weight(&self) -> usize {
        if self.omitted > 0 { self.omitted } else { 1 }
    }

    fn sort_key(&self) -> (Option<&Path>, Option<Span>, &str) {
        (self.file.as_deref(), self.span, &self.message)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        writeln!(f, "{label}: {}", self.message)?;
        let gutter = self
            .span
            .map(|s| s.line.to_string().len())
            .unwrap_or(1)
            .max(1);
        let pad = " ".repeat(gutter);
        if let Some(file) = &self.file {
            let file = file.display().to_string().replace('\\', "/");
            match self.span {
                Some(s) => writeln!(f, "{pad}--> {file}:{}:{}", s.line, s.column)?,
                None => writeln!(f, "{pad}--> {file}")?,
            }
        }
        if let (Some(span), Some(line)) = (self.span, &self.source_line) {
            writeln!(f, "{pad} |")?;
            writeln!(f, "{} | {line}", span.line)?;
            // The caret is placed by characters, not bytes, so it lines up under non-ASCII text.
            // Under a cut line it ends where the shown part ends.
            let mut len = span.len.max(1);
            if line.ends_with('…') || line.starts_with('…') {
                let shown = line.chars().count() - usize::from(line.ends_with('…'));
                let room = (shown + 1).saturating_sub(self.source_column);
                len = len.min(room.max(1)).min(MAX_UNDERLINE);
            }
            let mut marker = " ".repeat(self.source_column.saturating_sub(1));
            marker.push_str(&"^".repeat(len));
            writeln!(f, "{pad} | {marker}")?;
        }
        if let Some(field) = &self.field {
            writeln!(f, "{pad} = field: {field}")?;
        }
        if let Some(help) = &self.help {
            writeln!(f, "{pad} = help: {help}")?;
        }
        Ok(())
    }
}

/// All the problems of one run, in a stable order whatever order the threads found them in.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(other);
    }

    /// Adds the problems of `other` that are not already here (the same message about the
    /// same place): the site in another language repeats its content's problems.
    pub fn extend_new(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        let key = |d: &Diagnostic| {
            (
                d.is_error(),
                d.file.clone(),
                d.span.map(|s| (s.line, s.len)),
                d.message.clone(),
            )
        };
        let seen: std::collections::HashSet<_> = self.items.iter().map(key).collect();
        self.items
            .extend(other.into_iter().filter(|d| !seen.contains(&key(d))));
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// The number of errors, counting those a summary stands for.
    pub fn error_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| d.is_error())
            .map(Diagnostic::weight)
            .sum()
    }

    pub fn warning_count(&self) -> usize {
        self.items
            .iter()
            .filter(|d| !d.is_error())
            .map(Diagnostic::weight)
            .sum()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Sorted by file, then position, then message; exact duplicates are dropped.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        self.items.dedup();
        self.items
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<I: IntoIterator<Item = Diagnostic>>(iter: I) -> Self {
        Diagnostics {
            items: iter.into_iter().collect(),
        }
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

/// The byte offset where 1-based line `line` of `text` starts, if the text has that line.
fn line_start(text: &str, line: usize) -> Option<usize> {
    if line <= 1 {
        return Some(0);
    }
    let newline = memchr::memchr_iter(b'\n', text.as_bytes()).nth(line - 2)?;
    Some(newline + 1)
}

/// The part of the line at the start of `rest` to show for a span at 1-based character
/// `column` of `len` characters, and the column of the span in what is shown.
///
/// A line of up to [`LINE_WIDTH`] characters is shown whole; a longer one from [`CONTEXT`]
/// characters before the span to [`CONTEXT`] after it, with `…` where it was cut. Control
/// characters are shown as their pictures (`␇` for BEL), one character each, so that the
/// report does not ring the terminal and the caret stays in place.
fn window(rest: &str, column: usize, len: usize) -> (String, usize) {
    let column = column.max(1);
    let from = column.saturating_sub(1 + CONTEXT);
    let to = column - 1 + len.clamp(1, MAX_UNDERLINE) + CONTEXT;
    // Walk the line once, up to the end of the window (or a little past the width limit, to
    // learn whether the line must be cut at all); never to the end of a long line.
    let mut chars = Vec::new();
    let mut longer = false;
    for (i, c) in rest.chars().enumerate() {
        if c == '\n' {
            break;
        }
        if i >= to.max(LINE_WIDTH) {
            longer = true;
            break;
        }
        chars.push(c);
    }
    while chars.last() == Some(&'\r') {
        chars.pop();
    }
    let visible = |c: char| match c {
        '\t' => c,
        c if u32::from(c) < 0x20 => char::from_u32(0x2400 + u32::from(c)).unwrap_or('\u{fffd}'),
        '\u{7f}' => '\u{2421}',
        c if is_refused_char(c) => '\u{fffd}',
        c => c,
    };
    if !longer && chars.len() <= LINE_WIDTH {
        return (chars.into_iter().map(visible).collect(), column);
    }
    let end = to.min(chars.len());
    let mut shown = String::new();
    let mut caret = column;
    if from > 0 {
        shown.push('…');
        caret = column - from + 1;
    }
    shown.extend(chars[from.min(end)..end].iter().copied().map(visible));
    if longer || end < chars.len() {
        shown.push('…');
    }
    (shown, caret)
}

/// Characters refused in every text of a site: control characters other than tab and line
/// feed (C0, DEL and C1), and Unicode's noncharacters (U+FFFE, U+FFFF, U+FDD0–U+FDEF and the
/// last two of every plane). XML 1.0 forbids most of them, so one of them in a title would
/// make the feeds unreadable; iCalendar forbids the C0 ones; none of them is ever meant in a
/// text (a C1 character is usually a Windows-1252 quote decoded the wrong way).
pub fn is_refused_char(c: char) -> bool {
    let n = u32::from(c);
    (n < 0x20 && c != '\t' && c != '\n')
        || (0x7f..=0x9f).contains(&n)
        || (0xfdd0..=0xfdef).contains(&n)
        || (n & 0xfffe) == 0xfffe
}

/// Bytes that may start a refused character: C0 controls but tab and line feed, DEL, and the
/// first bytes of the UTF-8 forms of C1 controls (`C2`), of U+FDD0–U+FDEF and U+FFFE/U+FFFF
/// (`EF`) and of the other planes' last two code points (`F0`–`F4`). Every other byte starts
/// (or continues) an allowed character, so a scan of the bytes looks closer only at these.
const MAY_BE_REFUSED: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        t[b] = b != 0x09 && b != 0x0a;
        b += 1;
    }
    t[0x7f] = true;
    t[0xc2] = true;
    t[0xef] = true;
    let mut b = 0xf0;
    while b <= 0xf4 {
        t[b] = true;
        b += 1;
    }
    t
};

/// The refused characters of `text` (see [`is_refused_char`]) with their byte offsets:
/// a table lookup per byte, decoding only where a refused character could start.
pub fn refused_chars(text: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    // Eight bytes at a time: a run of printable ASCII (most of any text) is passed over
    // without looking at its bytes one by one.
    const ONES: u64 = u64::from_ne_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    let printable = |chunk: &[u8]| {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_ne_bytes(word);
        let below_space = x.wrapping_sub(ONES * 0x20) & !x & HIGH;
        let del = (x ^ (ONES * 0x7f)).wrapping_sub(ONES) & !(x ^ (ONES * 0x7f)) & HIGH;
        x & HIGH == 0 && below_space == 0 && del == 0
    };
    let bytes = text.as_bytes();
    (0..bytes.len().div_ceil(8))
        .filter(move |&k| bytes.get(k * 8..k * 8 + 8).is_none_or(|c| !printable(c)))
        .flat_map(move |k| (k * 8..bytes.len().min(k * 8 + 8)).map(move |i| (i, bytes[i])))
        .filter(|&(_, b)| MAY_BE_REFUSED[b as usize])
        .filter_map(move |(i, _)| {
            // Only ASCII and lead bytes are in the table: `i` starts a character.
            let c = text[i..].chars().next()?;
            is_refused_char(c).then_some((i, c))
        })
}

/// The kind of a problem for [`Limiter`], from its message: the message with the quoted
/// parts left out, so that "no member `a`" and "no member `b`" are of one kind.
pub fn message_kind(message: &str) -> String {
    message
        .split('`')
        .step_by(2)
        .collect::<Vec<_>>()
        .join("`…`")
}

/// A refused character named so that it can be found: `the control character U+0007 (BEL)`,
/// `the control character U+0085`, `the noncharacter U+FFFE`.
pub fn describe_char(c: char) -> String {
    const C0: [&str; 32] = [
        "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "TAB", "LF", "VT", "FF",
        "CR", "SO", "SI", "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM",
        "SUB", "ESC", "FS", "GS", "RS", "US",
    ];
    let n = u32::from(c);
    match n {
        0..=0x1f => format!("the control character U+{n:04X} ({})", C0[n as usize]),
        0x7f => "the control character U+007F (DEL)".into(),
        0x80..=0x9f => format!("the control character U+{n:04X}"),
        _ => format!("the noncharacter U+{n:04X}"),
    }
}

/// Writes `n` with commas between thousands: `3,980`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// Decides which problems of one file are shown: the first [`SHOWN_PER_KIND`] of each kind.
/// The rest are only counted, and one summary stands for them, placed where the first of them
/// is; so a list of 100,000 wrong references costs 20 located problems and a count, not
/// 100,000 reports that each quote the line.
#[derive(Debug, Default)]
pub struct Limiter {
    counts: BTreeMap<String, (usize, Option<Diagnostic>)>,
}

/// What to do with the next problem of a kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admit {
    /// Locate it and report it.
    Show,
    /// The first one over the limit: locate it, and give it to [`Limiter::summarise`].
    Summarise,
    /// Only counted.
    Count,
}

impl Limiter {
    /// Counts one more problem of `kind` and says what to do with it.
    pub fn admit(&mut self, kind: &str) -> Admit {
        let entry = match self.counts.get_mut(kind) {
            Some(e) => e,
            None => self.counts.entry(kind.to_string()).or_default(),
        };
        entry.0 += 1;
        match entry.0 {
            n if n <= SHOWN_PER_KIND => Admit::Show,
            n if n == SHOWN_PER_KIND + 1 => Admit::Summarise,
            _ => Admit::Count,
        }
    }

    /// Keeps the first problem over the limit: the summary is shown where it is.
    pub fn summarise(&mut self, kind: &str, first: Diagnostic) {
        if let Some(entry) = self.counts.get_mut(kind) {
            entry.1 = Some(first);
        }
    }

    /// One summary per kind that went over the limit, "and 3,980 more problems in `…`".
    pub fn finish(self) -> Vec<Diagnostic> {
        self.counts
            .into_iter()
            .filter_map(|(kind, (count, first))| {
                let mut d = first?;
                let more = count - SHOWN_PER_KIND;
                let what = match d.field {
                    Some(_) => format!("problems in `{kind}`"),
                    None => "problems like the ones above".to_string(),
                };
                d.message = format!("and {} more {what}, from here on", thousands(more));
                d.help = Some(format!(
                    "only the first {SHOWN_PER_KIND} problems of a kind in a file are shown; fix them and run the check again to see the rest"
                ));
                d.omitted = more;
                Some(d)
            })
            .collect()
    }
}

/// The closest candidate to `input`, if one is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let input_lower = input.to_lowercase();
    let mut best: Option<(f64, &str)> = None;
    for candidate in candidates {
        let lower = candidate.to_lowercase();
        if lower == input_lower {
            return Some(candidate);
        }
        let distance = strsim::levenshtein(&input_lower, &lower);
        let limit = (input.chars().count().max(3) / 3).max(1);
        if distance > limit && !lower.starts_with(&input_lower) {
            continue;
        }
        let score = strsim::jaro_winkler(&input_lower, &lower);
        if best.is_none_or(|(s, _)| score > s) {
            best = Some((score, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// Renders a list like "`a`, `b` or `c`" for help lines.
pub fn one_of<S: AsRef<str>>(items: &[S]) -> String {
    let mut out = String::new();
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(if i + 1 == items.len() { " or " } else { ", " });
        }
        let _ = write!(out, "`{}`", item.as_ref());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_shows_file_line_caret_field_and_help() {
        let text = "---\nname: Acme\nsecotrs: [A]\n---\n";
        let d = Diagnostic::error("unknown field `secotrs`")
            .in_file("content/members/acme.md")
            .at(
                text,
                Span {
                    line: 3,
                    column: 1,
                    len: 7,
                },
            )
            .field("secotrs")
            .help("did you mean `sectors`?");
        assert_eq!(
            d.to_string(),
            "error: unknown field `secotrs`\n --> content/members/acme.md:3:1\n  |\n3 | secotrs: [A]\n  | ^^^^^^^\n  = field: secotrs\n  = help: did you mean `sectors`?\n"
        );
    }

    #[test]
    fn a_long_line_is_cut_around_the_column_with_the_caret_under_the_problem() {
        let line = format!("participants: [{}]", "nobody-00, ".repeat(5_000));
        let text = format!("---\n{line}\n---\n");
        let column = 15 + 11 * 2_000 + 1;
        let d = Diagnostic::error("no member `nobody-00`").at(
            &text,
            Span {
                line: 2,
                column,
                len: 9,
            },
        );
        let shown = d.source_line.clone().unwrap();
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
        assert!(shown.chars().count() < 130, "{shown}");
        let out = d.to_string();
        let lines: Vec<&str> = out.lines().collect();
        // The caret sits under the `n` of the item the span points at.
        let caret_at = lines[3].chars().position(|c| c == '^').unwrap();
        let above: String = lines[2].chars().skip(caret_at).take(9).collect();
        assert_eq!(above, "nobody-00");
        assert_eq!(lines[3].matches('^').count(), 9);
    }

    #[test]
    fn cutting_respects_multibyte_characters_and_shows_controls_as_pictures() {
        let line = "ä".repeat(300) + "\u{7}" + &"é".repeat(300);
        let d = Diagnostic::error("x").at(
            &line,
            Span {
                line: 1,
                column: 301,
                len: 1,
            },
        );
        let shown = d.source_line.clone().unwrap();
        assert!(
            shown.contains('\u{2407}') && !shown.contains('\u{7}'),
            "{shown}"
        );
        assert_eq!(shown.chars().nth(d.source_column - 1), Some('\u{2407}'));
    }

    #[test]
    fn a_short_line_is_shown_whole() {
        let d = Diagnostic::error("x").at(
            "a: 1\nbb: 2\n",
            Span {
                line: 2,
                column: 5,
                len: 1,
            },
        );
        assert_eq!(d.source_line.as_deref(), Some("bb: 2"));
        assert_eq!(d.source_column, 5);
    }

    #[test]
    fn the_limiter_shows_twenty_of_a_kind_and_counts_the_rest_in_one_summary() {
        let mut limiter = Limiter::default();
        let mut shown = 0;
        for i in 0..4_000 {
            match limiter.admit("participants") {
                Admit::Show => shown += 1,
                Admit::Summarise => limiter.summarise(
                    "participants",
                    Diagnostic::error(format!("{i}")).field("participants[20]"),
                ),
                Admit::Count => {}
            }
        }
        assert_eq!(limiter.admit("topics"), Admit::Show);
        assert_eq!(shown, SHOWN_PER_KIND);
        let summaries = limiter.finish();
        assert_eq!(summaries.len(), 1);
        assert_eq!(
            summaries[0].message,
            "and 3,980 more problems in `participants`, from here on"
        );
        let all: Diagnostics = summaries.into_iter().collect();
        assert_eq!(all.error_count(), 3_980);
    }

    #[test]
    fn refused_characters_are_controls_and_noncharacters() {
        for c in [
            '\0',
            '\u{7}',
            '\r',
            '\u{1b}',
            '\u{7f}',
            '\u{85}',
            '\u{9f}',
            '\u{fdd0}',
            '\u{fffe}',
            '\u{ffff}',
            '\u{10ffff}',
        ] {
            assert!(is_refused_char(c), "{:?}", c);
        }
        for c in [
            '\t', '\n', ' ', 'a', 'é', '\u{a0}', '\u{fffd}', '\u{2028}', '😀',
        ] {
            assert!(!is_refused_char(c), "{:?}", c);
        }
    }

    #[test]
    fn refused_characters_are_found_wherever_they_stand() {
        // Each refused character (and a few allowed ones) at every position of a text longer
        // than the eight bytes looked at together, found at its offset and only there.
        let around = "Acme GmbH\tforms\nsteel – Größe 😀 ~";
        for c in [
            '\0',
            '\u{7}',
            '\r',
            '\u{7f}',
            '\u{85}',
            '\u{fdd0}',
            '\u{ffff}',
            '\u{10ffff}',
        ] {
            for at in around.char_indices().map(|(i, _)| i).chain([around.len()]) {
                let text = format!("{}{c}{}", &around[..at], &around[at..]);
                let found: Vec<(usize, char)> = refused_chars(&text).collect();
                assert_eq!(found, [(at, c)], "{text:?}");
            }
        }
        assert_eq!(refused_chars(around).count(), 0);
        assert_eq!(refused_chars("").count(), 0);
        let many = "\u{1}".repeat(20) + "abc";
        assert_eq!(refused_chars(&many).count(), 20);
    }

    #[test]
    fn thousands_are_separated_by_commas() {
        assert_eq!(thousands(7), "7");
        assert_eq!(thousands(3_980), "3,980");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn did_you_mean_finds_typos_and_ignores_unrelated_words() {
        let fields = ["name", "sectors", "capabilities", "needs"];
        assert_eq!(did_you_mean("secotrs", fields), Some("sectors"));
        assert_eq!(did_you_mean("capabilites", fields), Some("capabilities"));
        assert_eq!(did_you_mean("Name", fields), Some("name"));
        assert_eq!(did_you_mean("website", fields), None);
    }

    #[test]
    fn diagnostics_are_sorted_and_deduplicated() {
        let mut all = Diagnostics::new();
        all.push(Diagnostic::error("b").in_file("b.md"));
        all.push(Diagnostic::error("a").in_file("a.md"));
        all.push(Diagnostic::error("b").in_file("b.md"));
        let sorted = all.into_sorted();
        assert_eq!(sorted.len(), 2);
        assert_eq!(sorted[0].message, "a");
    }

    #[test]
    fn one_of_joins_with_commas_and_or() {
        assert_eq!(one_of(&["a", "b", "c"]), "`a`, `b` or `c`");
        assert_eq!(one_of(&["a"]), "`a`");
    }
}
