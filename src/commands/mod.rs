//! The command-line verbs. Each file does the work of one command; this module holds what
//! they share: turning arguments into [`Options`] and printing diagnostics.

pub mod build;
pub mod check;
pub mod cms;
pub mod deploy;
pub mod import;
pub mod new;
pub mod schema;
pub mod serve;

use std::io::Write;
use std::process::ExitCode;

use crate::Options;
use crate::cli::{Cli, CmsCommand, Command, DeployCommand, ImportCommand, SiteArgs};
use crate::diag::Diagnostics;

/// Exit code for problems in the site's content or configuration.
pub const EXIT_CONTENT: u8 = 1;
/// Exit code for usage and internal errors.
pub const EXIT_USAGE: u8 = 2;

pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Build(args) => build::run(args),
        Command::Check(args) => check::run(args),
        Command::New(args) => new::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Deploy(DeployCommand::Init(args)) => deploy::run(args),
        Command::Schema(args) => schema::run(args),
        Command::Cms(CmsCommand::Init(args)) => cms::run(args),
        Command::Import(ImportCommand::Members(args)) => import::run(args),
        Command::Import(ImportCommand::Events(args)) => import::run_events(args),
        Command::RemoveReplaced { dir } => {
            if crate::output::remove_replaced(&dir) {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(EXIT_USAGE)
            }
        }
    }
}

/// Reads the shared site arguments; a bad `--now` is a usage error.
pub(crate) fn options(args: &SiteArgs) -> Result<Options, String> {
    let now = match (&args.now, std::env::var("SOURCE_DATE_EPOCH").ok()) {
        (Some(date), _) => date
            .parse::<jiff::civil::Date>()
            .map_err(|e| format!("--now `{date}` is not a date like 2027-03-15 ({e})"))?,
        (None, Some(epoch)) => {
            let secs: i64 = epoch
                .trim()
                .parse()
                .map_err(|_| format!("SOURCE_DATE_EPOCH `{epoch}` is not a number of seconds"))?;
            jiff::Timestamp::from_second(secs)
                .map_err(|e| format!("SOURCE_DATE_EPOCH `{epoch}` is out of range ({e})"))?
                .to_zoned_datetime(jiff::tz::TimeZone::UTC)
                .date()
        }
        (None, None) => jiff::ZonedDateTime::now().date(),
    };
    if let Some(base) = &args.base_url {
        crate::url::Urls::new(base).map_err(|e| format!("--base-url: {e}"))?;
    }
    Ok(Options {
        site: args.dir.clone(),
        base_url: args.base_url.clone(),
        drafts: args.drafts,
        now,
        // Only `build` prints.
        pdf: crate::Pdf::Never,
        chrome: None,
    })
}

/// Prints every diagnostic to stderr, then a one-line count.
pub(crate) fn report(diags: Diagnostics) -> (usize, usize) {
    let errors = diags.error_count();
    let warnings = diags.warning_count();
    let stderr = std::io::stderr();
    let mut out = stderr.lock();
    for d in diags.into_sorted() {
        let _ = writeln!(out, "{d}");
    }
    (errors, warnings)
}

pub(crate) fn usage_error(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(EXIT_USAGE)
}

/// `1 problem`, `4,000 problems`.
pub(crate) fn plural(n: usize, one: &str, many: &str) -> String {
    crate::text::counted(n, one, many)
}
