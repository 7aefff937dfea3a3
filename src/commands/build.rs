//! `clusterpress build`: generate the site in memory, then write it out in one swap.

use std::process::ExitCode;
use std::time::Instant;

use super::{EXIT_CONTENT, EXIT_USAGE, options, plural, report, usage_error};
use crate::cli::BuildArgs;
use crate::output;

pub fn run(args: BuildArgs) -> ExitCode {
    let started = Instant::now();
    let opts = match options(&args.site) {
        Ok(o) => o,
        Err(e) => return usage_error(&e),
    };
    let out = args
        .output
        .clone()
        .unwrap_or_else(|| crate::default_output(&opts.site));
    if let Err(e) = output::check_output_dir(&opts.site, &out) {
        eprintln!("error: {e}\n  = help: {}", e.help());
        return ExitCode::from(EXIT_USAGE);
    }
    let generated = match crate::generate(&opts) {
        Ok(g) => g,
        Err(diags) => {
            let (errors, _) = report(diags);
            eprintln!(
                "error: build failed with {}; nothing was written{}",
                plural(errors, "problem", "problems"),
                if out.exists() {
                    format!(" and `{}` was left as it was", out.display())
                } else {
                    String::new()
                }
            );
            return ExitCode::from(EXIT_CONTENT);
        }
    };
    let (_, warnings) = report(generated.warnings);
    if let Err(e) = output::write(&generated.rendered, &out) {
        eprintln!("error: {e}\n  = help: {}", e.help());
        return ExitCode::from(EXIT_USAGE);
    }
    let files = generated.rendered.files.len() + 1;
    eprintln!(
        "Built {} ({}) into {} in {:.2} s{}.",
        plural(generated.rendered.pages, "page", "pages"),
        plural(files, "file", "files"),
        out.display(),
        started.elapsed().as_secs_f64(),
        if warnings > 0 {
            format!(", with {}", plural(warnings, "warning", "warnings"))
        } else {
            String::new()
        }
    );
    let base = generated.site.config.urls.base_path().to_string();
    if base == "/" {
        eprintln!(
            "View it: python3 -m http.server --directory {} 8000   then open http://127.0.0.1:8000/",
            out.display()
        );
    } else {
        eprintln!(
            "The site is made for {}; to view it locally, build with --base-url http://127.0.0.1:8000/ and run: python3 -m http.server --directory {} 8000",
            generated.site.config.base_url,
            out.display()
        );
    }
    ExitCode::SUCCESS
}
