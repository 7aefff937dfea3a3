//! `clusterpress build`: generate the site in memory, then write it out in one swap.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use super::{EXIT_CONTENT, EXIT_USAGE, options, plural, report, usage_error};
use crate::cli::BuildArgs;
use crate::output;
use crate::text::{counted, size};

pub fn run(args: BuildArgs) -> ExitCode {
    let started = Instant::now();
    let mut opts = match options(&args.site) {
        Ok(o) => o,
        Err(e) => return usage_error(&e),
    };
    opts.pdf = match args.pdf {
        true => crate::Pdf::Always,
        false => crate::Pdf::AsConfigured,
    };
    opts.chrome = args.chrome.clone();
    if let Some(chrome) = &opts.chrome
        && !chrome.is_file()
    {
        return usage_error(&format!("--chrome `{}` is not a file", chrome.display()));
    }
    let out = args
        .output
        .clone()
        .unwrap_or_else(|| crate::default_output(&opts.site));
    // A theme kept outside the site is a source folder too. (A configuration that cannot
    // be read is reported by the build itself.)
    let theme = crate::config::load(&opts.site, &crate::config::Overrides::default())
        .ok()
        .and_then(|(config, _)| {
            let name = config.theme.as_deref()?;
            Some(crate::render::theme::theme_dir(&config.root, name))
        });
    if let Err(e) = output::check_output_dir(&opts.site, &out, theme.as_slice()) {
        eprintln!("error: {e}\n  = help: {}", e.help());
        return ExitCode::from(EXIT_USAGE);
    }
    let waiting = |out: &std::path::Path| {
        eprintln!(
            "Another build is writing `{}`; waiting for it to finish…",
            out.display()
        )
    };
    let staging = match output::Staging::begin_removing_in_background(&out, &waiting) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}\n  = help: {}", e.help());
            return ExitCode::from(EXIT_USAGE);
        }
    };
    for note in staging.notes() {
        eprintln!("warning: {note}");
    }
    let progress = Progress::start();
    let generated = crate::generate(&opts, &staging);
    progress.stop();
    let generated = match generated {
        Ok(g) => g,
        Err(diags) => {
            let (errors, _) = report(diags);
            if staging.write_failure().is_some() {
                // Not the site's fault: the output folder or the disk (exit code 2).
                eprintln!(
                    "error: the new site could not be written beside `{}`, which was left as it was\n  = help: check the permissions and free space of the folder that holds it",
                    out.display()
                );
                return ExitCode::from(EXIT_USAGE);
            }
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
    if let Some(chrome) = &generated.site.config.brochures.chrome {
        let printed = crate::pdf::print_all(
            &generated.site,
            chrome,
            staging.dir(),
            staging.out(),
            &generated.rendered.files,
            &staging,
        );
        match printed {
            Ok(r) => eprintln!(
                "Printed {} with {} in {:.1} s{}.",
                plural(r.printed, "PDF", "PDFs"),
                chrome.display(),
                r.took.as_secs_f64(),
                match r.kept {
                    0 => String::new(),
                    n => format!(" ({n} unchanged, kept from the last build)"),
                }
            ),
            Err(e) => {
                eprintln!(
                    "error: the brochures could not be printed to PDF: {e}\n  = help: build without --pdf (or with `brochures: {{pdf: false}}`) to publish the site without PDFs; nothing was written{}",
                    if out.exists() {
                        format!(" and `{}` was left as it was", out.display())
                    } else {
                        String::new()
                    }
                );
                return ExitCode::from(EXIT_CONTENT);
            }
        }
    }
    let written = match staging.write_files(&generated.rendered) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("error: {e}\n  = help: {}", e.help());
            return ExitCode::from(match e.is_in_site() {
                true => EXIT_CONTENT,
                false => EXIT_USAGE,
            });
        }
    };
    // The host's limits, checked on what was written: a site the host would refuse does
    // not replace the previous one.
    let limits = crate::output::check_limits(&generated.site.config, &written);
    let (limit_errors, limit_warnings) = report(limits);
    if limit_errors > 0 {
        eprintln!(
            "error: the site breaks the limits of {}; nothing was written{}",
            generated
                .site
                .config
                .hosting
                .map_or("its host", crate::config::host::Host::title),
            if out.exists() {
                format!(" and `{}` was left as it was", out.display())
            } else {
                String::new()
            }
        );
        return ExitCode::from(EXIT_CONTENT);
    }
    if let Err(e) = staging.commit() {
        eprintln!("error: {e}\n  = help: {}", e.help());
        return ExitCode::from(EXIT_USAGE);
    }
    let warnings = warnings + limit_warnings;
    let images = generated.rendered.images;
    eprintln!(
        "Built {} ({}, {}{}{}) into {} in {:.2} s{}.",
        counted(generated.rendered.pages, "page", "pages"),
        counted(written.files as usize, "file", "files"),
        size(written.bytes),
        match &written.largest {
            Some((path, bytes)) => format!("; largest {path}, {}", size(*bytes)),
            None => String::new(),
        },
        match images.files {
            0 => String::new(),
            n => format!(
                "; {n} resized images and share cards: {} new ({}, {}), {} kept from the last build",
                n - images.reused,
                counted(images.decoded, "source decoded", "sources decoded"),
                counted(images.cards, "card drawn", "cards drawn"),
                images.reused
            ),
        },
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
    // The process ends now: handing the whole site model back to the allocator piece by piece
    // would only make the user wait (a tenth of a second for 10,000 members).
    std::mem::forget(generated.site);
    std::mem::forget(generated.rendered);
    ExitCode::SUCCESS
}

/// The progress line on a terminal: shown only once a build has taken a second, redrawn ten
/// times a second, and wiped before anything else is printed. Silent when stderr is not a
/// terminal (CI logs, pipes).
struct Progress {
    stop: Option<std::sync::mpsc::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Progress {
    fn start() -> Progress {
        use std::io::IsTerminal;
        if !std::io::stderr().is_terminal() {
            return Progress {
                stop: None,
                thread: None,
            };
        }
        let (tx, rx) = std::sync::mpsc::channel::<()>();
        let thread = std::thread::spawn(move || {
            use std::sync::mpsc::RecvTimeoutError;
            if rx.recv_timeout(Duration::from_secs(1)) != Err(RecvTimeoutError::Timeout) {
                return;
            }
            loop {
                eprint!("\r\x1b[2K{}…", crate::progress::line());
                if rx.recv_timeout(Duration::from_millis(100)) != Err(RecvTimeoutError::Timeout) {
                    eprint!("\r\x1b[2K");
                    return;
                }
            }
        });
        Progress {
            stop: Some(tx),
            thread: Some(thread),
        }
    }

    fn stop(mut self) {
        drop(self.stop.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
