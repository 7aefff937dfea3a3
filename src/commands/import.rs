//! `clusterpress import members FILE [DIR]`: members from a spreadsheet (see
//! `crate::import` and docs/import.md).
//!
//! The report goes to stdout: the counts, each created and updated member with its fields,
//! each problem of each rejected row as `FILE:row N: …`, and the members the sheet lacks.
//! Exit codes: 0 when every row was imported, 1 (`EXIT_CONTENT`) when rows were rejected
//! (the others are imported all the same) or the site has problems to fix first, 2
//! (`EXIT_USAGE`) when the sheet or the mapping file cannot be used (nothing is written).

use std::io::Write;
use std::process::ExitCode;

use super::{EXIT_CONTENT, plural, report, usage_error};
use crate::cli::{ImportEventsArgs, ImportMembersArgs};
use crate::import::{Failure, Report, Request, events, import_members};

/// `--now`, or today.
fn now_of(now: &Option<String>) -> Result<jiff::civil::Date, ExitCode> {
    match now {
        Some(date) => date.parse::<jiff::civil::Date>().map_err(|e| {
            usage_error(&format!(
                "--now `{date}` is not a date like 2027-03-15 ({e})"
            ))
        }),
        None => Ok(jiff::ZonedDateTime::now().date()),
    }
}

/// Whether an import ended with problems of the site, or not at all (with its exit code).
fn failed(failure: Failure) -> ExitCode {
    match failure {
        Failure::Usage(message) => usage_error(&format!("{message}; nothing was imported")),
        Failure::Problems(diags) => {
            let (errors, _) = report(diags);
            eprintln!(
                "error: found {}; nothing was imported",
                plural(errors, "problem", "problems")
            );
            ExitCode::from(EXIT_CONTENT)
        }
    }
}

/// `clusterpress import events FILE.ics [DIR]`: the report as for members, events numbered
/// in the order of the calendar.
pub fn run_events(args: ImportEventsArgs) -> ExitCode {
    let now = match now_of(&args.now) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let kind = crate::model::event::EventKind::ALL
        .into_iter()
        .find(|k| k.key() == args.kind.trim());
    let Some(kind) = kind else {
        let keys: Vec<&str> = crate::model::event::EventKind::ALL
            .iter()
            .map(|k| k.key())
            .collect();
        return usage_error(&format!(
            "--kind `{}` is not a kind of event; one of {}",
            args.kind,
            keys.join(", ")
        ));
    };
    let req = events::Request {
        file: args.file.clone(),
        site: args.dir.clone(),
        dry_run: args.dry_run,
        kind,
        occurrences: args.occurrences,
        mark_cancelled: args.mark_cancelled,
        now,
    };
    match events::import_events(&req) {
        Ok(outcome) => print_report(&args.file, &outcome, &EVENTS, args.dry_run),
        Err(f) => failed(f),
    }
}

/// How a report names what was imported and what the import no longer found.
struct Words {
    one: &'static str,
    many: &'static str,
    /// What the missing ones are no longer in.
    missing: &'static str,
    missing_one: &'static str,
    missing_many: &'static str,
    /// What marking does to them, and the option that does it.
    marked: &'static str,
    option: &'static str,
}

const MEMBERS: Words = Words {
    one: "row",
    many: "rows",
    missing: "not in the sheet",
    missing_one: "member",
    missing_many: "members",
    marked: "marked former",
    option: "--mark-former",
};

const EVENTS: Words = Words {
    one: "event",
    many: "events",
    missing: "no longer in their series",
    missing_one: "occurrence",
    missing_many: "occurrences",
    marked: "marked cancelled",
    option: "--mark-cancelled",
};

/// The report of an import on stdout, its warnings on stderr; the exit code.
fn print_report(
    file: &std::path::Path,
    outcome: &Report,
    words: &Words,
    dry_run: bool,
) -> ExitCode {
    let Words { one, many, .. } = words;
    for w in &outcome.warnings {
        eprintln!("warning: {w}");
    }
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| file.display().to_string());
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let _ = writeln!(
        out,
        "{name}: {}: {} created, {} updated, {} unchanged, {} rejected",
        plural(outcome.rows, one, many),
        outcome.created.len(),
        outcome.updated.len(),
        outcome.unchanged,
        outcome.rejected_rows
    );
    for (what, changes) in [("created", &outcome.created), ("updated", &outcome.updated)] {
        for c in changes {
            let _ = writeln!(
                out,
                "{what} {}: {one} {}: {}",
                c.slug,
                c.row,
                c.fields.join(", ")
            );
        }
    }
    for (n, reason) in &outcome.rejected {
        let _ = writeln!(out, "{name}:{one} {n}: {reason}");
    }
    if !outcome.missing.is_empty() {
        let marked = words.marked;
        let what = match (outcome.marked, dry_run) {
            (true, false) => marked.to_string(),
            (true, true) => format!("would be {marked}"),
            (false, _) => format!(
                "left as they are; {} marks them {}",
                words.option,
                marked.trim_start_matches("marked ")
            ),
        };
        let _ = writeln!(
            out,
            "{}: {} ({what}):",
            words.missing,
            plural(outcome.missing.len(), words.missing_one, words.missing_many)
        );
        for (slug, name) in &outcome.missing {
            let _ = writeln!(out, "  {slug} ({name})");
        }
    }
    if dry_run {
        let _ = writeln!(out, "dry run: nothing was written");
    }
    match outcome.rejected_rows {
        0 => ExitCode::SUCCESS,
        _ => ExitCode::from(EXIT_CONTENT),
    }
}

pub fn run(args: ImportMembersArgs) -> ExitCode {
    let now = match now_of(&args.now) {
        Ok(d) => d,
        Err(code) => return code,
    };
    let req = Request {
        file: args.file.clone(),
        site: args.dir.clone(),
        map: args.map.clone(),
        sheet: args.sheet.clone(),
        dry_run: args.dry_run,
        mark_former: args.mark_former,
        now,
    };
    match import_members(&req) {
        Ok(outcome) => print_report(&args.file, &outcome, &MEMBERS, args.dry_run),
        Err(f) => failed(f),
    }
}
