//! `clusterpress serve`: build into memory, serve on a local port, rebuild on every change.

use std::net::IpAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::mpsc::channel;
use std::time::Instant;

use super::{options, plural, report, usage_error};
use crate::cli::{ServeArgs, SiteArgs};
use crate::diag::Diagnostics;
use crate::serve::http;
use crate::serve::session::{Outcome, Session};
use crate::serve::store::{Event, Store};
use crate::serve::watch::{self, Signal};

/// The port tried first; Zola's and Hugo's are 1111 and 1313.
pub const DEFAULT_PORT: u16 = 1111;

pub fn run(args: ServeArgs) -> ExitCode {
    if !args.dir.is_dir() {
        return usage_error(&format!("there is no folder `{}`", args.dir.display()));
    }
    let (listener, addr) = match http::bind(
        args.bind,
        args.port.unwrap_or(DEFAULT_PORT),
        args.port.is_none(),
    ) {
        Ok(x) => x,
        Err(e) => return usage_error(&e),
    };
    // Pages link to the address they are served from; a server listening on every address
    // is reached from this machine on the loopback one.
    let host = match addr.ip() {
        ip if ip.is_unspecified() => "127.0.0.1".to_string(),
        IpAddr::V6(v6) => format!("[{v6}]"),
        ip => ip.to_string(),
    };
    let url = format!("http://{host}:{}/", addr.port());
    let site_args = SiteArgs {
        dir: args.dir.clone(),
        base_url: Some(url.clone()),
        drafts: args.drafts,
        now: args.now.clone(),
    };
    let opts = match options(&site_args) {
        Ok(o) => o,
        Err(e) => return usage_error(&e),
    };
    let store = Arc::new(Store::default());
    // Requests are held until the first build is done (issue 17): a page that is about to
    // exist must not get a 404, nor a browser opened early an empty site.
    let (_server, first_build) = match http::spawn(listener, Arc::clone(&store)) {
        Ok(s) => s,
        Err(e) => return usage_error(&e),
    };
    eprintln!("Building {} for {url} …", opts.site.display());

    let (signals, received) = channel();
    let stop = signals.clone();
    if let Err(e) = ctrlc::set_handler(move || {
        let _ = stop.send(Signal::Stop);
    }) {
        eprintln!("warning: Ctrl-C will not stop the server cleanly: {e}");
    }
    // Watching starts before the first build, so that no edit made during it is missed.
    if let Err(e) = watch::watch(&opts.site, signals) {
        eprintln!(
            "warning: cannot watch `{}` for changes ({e}); restart to see edits",
            opts.site.display()
        );
    }

    let started = Instant::now();
    let mut session = match Session::start(&opts, &store) {
        Ok((session, outcome)) => {
            let (_, warnings) = report(outcome.warnings);
            eprintln!(
                "Built {} in memory in {} ms{}.",
                plural(outcome.pages, "page", "pages"),
                started.elapsed().as_millis(),
                with_warnings(warnings)
            );
            Some(session)
        }
        Err(diags) => {
            failed(diags, &store);
            None
        }
    };
    first_build.open();
    eprintln!("Serving {} at {url}  (Ctrl-C to stop)", opts.site.display());
    if args.open {
        open_browser(&url);
    }

    while let Ok(signal) = received.recv() {
        let changes = match signal {
            Signal::Stop => break,
            Signal::Changes(c) => c,
        };
        let started = Instant::now();
        let result = match &mut session {
            Some(s) => s.update(&changes, &store),
            None => Session::start(&opts, &store).map(|(s, outcome)| {
                session = Some(s);
                outcome
            }),
        };
        match result {
            Ok(outcome) => done(outcome, started, &store),
            Err(diags) => failed(diags, &store),
        }
    }
    eprintln!("Stopped.");
    ExitCode::SUCCESS
}

fn with_warnings(n: usize) -> String {
    match n {
        0 => String::new(),
        n => format!(", with {}", plural(n, "warning", "warnings")),
    }
}

/// Reports a rebuild and tells the browsers.
fn done(outcome: Outcome, started: Instant, store: &Store) {
    let Outcome {
        what,
        pages,
        event,
        warnings,
    } = outcome;
    let (_, warnings) = report(warnings);
    if store.has_errors() {
        store.broadcast(Event::Clear);
    }
    if let Some(event) = event {
        store.broadcast(event);
    }
    eprintln!(
        "{what}: {} in {} ms{}",
        plural(pages, "page", "pages"),
        started.elapsed().as_millis(),
        with_warnings(warnings)
    );
}

/// Reports problems in the terminal and over the pages in the browsers; the last good
/// version of the site stays served.
fn failed(diags: Diagnostics, store: &Store) {
    let text: Vec<String> = diags
        .clone()
        .into_sorted()
        .iter()
        .map(|d| d.to_string())
        .collect();
    let (errors, _) = report(diags);
    store.broadcast(Event::Errors(text.join("\n")));
    eprintln!(
        "error: the site has {}; still serving {}",
        plural(errors, "problem", "problems"),
        match store.is_empty() {
            true => "nothing until they are fixed",
            false => "the last version that built",
        }
    );
}

/// Opens `url` in the desktop's browser, if there is one.
fn open_browser(url: &str) {
    let command = if cfg!(target_os = "macos") {
        vec!["open", url]
    } else if cfg!(windows) {
        vec!["cmd", "/C", "start", "", url]
    } else {
        vec!["xdg-open", url]
    };
    let spawned = std::process::Command::new(command[0])
        .args(&command[1..])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    if spawned.is_err() {
        eprintln!("warning: could not open a browser; open {url} yourself");
    }
}
