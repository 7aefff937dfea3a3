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
    let translations = crate::translation_report(&opts);
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
    if let Some(reports) = &translations {
        print_translations(reports);
    }
    // With --strict-translations, each text not translated is an error.
    let generated = match (&translations, args.strict_translations) {
        (Some(reports), true) if reports.iter().any(|r| r.untranslated_texts > 0) => {
            let mut all = match generated {
                Ok(g) => g.warnings,
                Err(d) => d,
            };
            for r in reports {
                for (file, texts) in &r.missing {
                    all.push(
                        crate::diag::Diagnostic::error(format!(
                            "not translated into `{}`: {}",
                            r.code,
                            texts.join(", ")
                        ))
                        .in_file(file)
                        .help(format!(
                            "translate them in a file `{}` beside it, or as `{{{}: …}}` in the field (docs/languages.md)",
                            translation_name(file, &r.code),
                            r.code
                        )),
                    );
                }
            }
            Err(all)
        }
        _ => generated,
    };
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

/// The table of what is not translated, one row per language.
fn print_translations(reports: &[crate::content::translate::LanguageReport]) {
    eprintln!("translations:");
    eprintln!(
        "  {:<14} {:>8} {:>20} {:>20}",
        "language", "items", "untranslated items", "untranslated texts"
    );
    for (i, r) in reports.iter().enumerate() {
        let name = match i {
            0 => format!("{} (default)", r.code),
            _ => r.code.clone(),
        };
        eprintln!(
            "  {:<14} {:>8} {:>20} {:>20}",
            name, r.items, r.untranslated_items, r.untranslated_texts
        );
    }
}

/// `content/members/acme.md` → `acme.fr.md`.
fn translation_name(file: &std::path::Path, code: &str) -> String {
    let stem = file
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    format!("{stem}.{code}.md")
}
