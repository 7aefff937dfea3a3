//! Diagnostics: every problem a user can cause, with where it is and how to fix it.
//!
//! The policy of the whole tool is "report everything, then fail": stages push
//! [`Diagnostic`]s into a [`Diagnostics`] list instead of returning at the first problem, and
//! the command decides at the end whether the run failed. A diagnostic names the file (relative
//! to the site folder), the 1-based line and column, the field, the offending source line with a
//! caret under the problem, and a `help:` line.

use std::fmt::{self, Write as _};
use std::path::{Path, PathBuf};

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
    /// The source line the span points into, kept so the report can show it.
    pub source_line: Option<String>,
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
    pub fn at(mut self, text: &str, span: Span) -> Self {
        self.source_line = text
            .lines()
            .nth(span.line.saturating_sub(1))
            .map(|l| l.trim_end_matches('\r').to_string());
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
            let mut marker = String::new();
            for _ in 1..span.column {
                marker.push(' ');
            }
            for _ in 0..span.len.max(1) {
                marker.push('^');
            }
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

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.items.len() - self.error_count()
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
