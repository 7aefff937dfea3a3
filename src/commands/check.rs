//! `clusterpress check`: the whole pipeline in memory, every problem reported, nothing written.

use std::process::ExitCode;

use super::{EXIT_CONTENT, options, plural, report, usage_error};
use crate::cli::CheckArgs;

pub fn run(args: CheckArgs) -> ExitCode {
    let opts = match options(&args.site) {
        Ok(o) => o,
        Err(e) => return usage_error(&e),
    };
    // What a build would write is counted, not written, for the host's limits.
    let tally = crate::output::Tally::default();
    let generated = crate::generate(&opts, &tally).and_then(|mut g| {
        tally.add_files(&g.rendered.files);
        let limits = crate::output::check_limits(&g.site.config, &tally.counts());
        if limits.has_errors() {
            let mut all = g.warnings;
            all.extend(limits);
            return Err(all);
        }
        g.warnings.extend(limits);
        Ok(g)
    });
    match generated {
        Ok(generated) => {
            let pages = generated.rendered.pages;
            let members = generated.site.members.len();
            let (_, warnings) = report(generated.warnings);
            eprintln!(
                "ok: {} and {} checked, every internal link resolves, no errors{}",
                plural(members, "member", "members"),
                plural(pages, "page", "pages"),
                if warnings > 0 {
                    format!(", {}", plural(warnings, "warning", "warnings"))
                } else {
                    String::new()
                }
            );
            ExitCode::SUCCESS
        }
        Err(diags) => {
            let (errors, warnings) = report(diags);
            eprintln!(
                "error: found {}{}",
                plural(errors, "problem", "problems"),
                if warnings > 0 {
                    format!(" and {}", plural(warnings, "warning", "warnings"))
                } else {
                    String::new()
                }
            );
            ExitCode::from(EXIT_CONTENT)
        }
    }
}
