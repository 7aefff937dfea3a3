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
use crate::cli::ImportMembersArgs;
use crate::import::{Failure, Request, import_members};

pub fn run(args: ImportMembersArgs) -> ExitCode {
    let now = match &args.now {
        Some(date) => match date.parse::<jiff::civil::Date>() {
            Ok(d) => d,
            Err(e) => {
                return usage_error(&format!(
                    "--now `{date}` is not a date like 2027-03-15 ({e})"
                ));
            }
        },
        None => jiff::ZonedDateTime::now().date(),
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
    let outcome = match import_members(&req) {
        Ok(o) => o,
        Err(Failure::Usage(message)) => {
            return usage_error(&format!("{message}; nothing was imported"));
        }
        Err(Failure::Problems(diags)) => {
            let (errors, _) = report(diags);
            eprintln!(
                "error: found {}; nothing was imported",
                plural(errors, "problem", "problems")
            );
            return ExitCode::from(EXIT_CONTENT);
        }
    };
    for w in &outcome.warnings {
        eprintln!("warning: {w}");
    }
    let file = args
        .file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| args.file.display().to_string());
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let _ = writeln!(
        out,
        "{file}: {}: {} created, {} updated, {} unchanged, {} rejected",
        plural(outcome.rows, "row", "rows"),
        outcome.created.len(),
        outcome.updated.len(),
        outcome.unchanged,
        outcome.rejected_rows
    );
    for (what, changes) in [("created", &outcome.created), ("updated", &outcome.updated)] {
        for c in changes {
            let _ = writeln!(
                out,
                "{what} {}: row {}: {}",
                c.slug,
                c.row,
                c.fields.join(", ")
            );
        }
    }
    for (row, reason) in &outcome.rejected {
        let _ = writeln!(out, "{file}:row {row}: {reason}");
    }
    if !outcome.missing.is_empty() {
        let what = match (outcome.marked_former, args.dry_run) {
            (true, false) => "marked former",
            (true, true) => "would be marked former",
            (false, _) => "left as they are; --mark-former marks them former",
        };
        let _ = writeln!(
            out,
            "not in the sheet: {} ({what}):",
            plural(outcome.missing.len(), "member", "members")
        );
        for (slug, name) in &outcome.missing {
            let _ = writeln!(out, "  {slug} ({name})");
        }
    }
    if args.dry_run {
        let _ = writeln!(out, "dry run: nothing was written");
    }
    if outcome.rejected_rows > 0 {
        ExitCode::from(EXIT_CONTENT)
    } else {
        ExitCode::SUCCESS
    }
}
