//! Brochures printed to PDF by a headless Chromium or Chrome found on the machine
//! ([`crate::browser`]); which pages are printed, and where their PDFs go, is
//! [`crate::render::printed`].
//!
//! The new output is served from its staging folder on a loopback port, so that the pages
//! load their stylesheet and images exactly as visitors' browsers do. One browser prints every
//! page, driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`: JSON
//! messages ended by NUL on file descriptors 3 and 4), which is ten times faster than
//! starting a browser per page. A PDF whose page is unchanged since the last build is copied
//! from the previous output instead of printed again.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

mod destinations;

use crate::model::Site;
use crate::render::printed::planned;
use crate::render::{Output, PageSink};

/// What printing did.
#[derive(Debug, Default)]
pub struct Report {
    pub printed: usize,
    /// Unchanged since the last build: copied from it.
    pub kept: usize,
    pub took: Duration,
}

/// One PDF to print: the output path of the page it is printed from, its own, and the page's
/// address.
struct Job {
    html: String,
    pdf: String,
    url: String,
}

/// Prints every planned PDF of `site` into `sink`, from the pages in `staging` (and the
/// static `files` of the build), with `chrome`. `previous` is the output being replaced.
pub fn print_all(
    site: &Site,
    chrome: &Path,
    staging: &Path,
    previous: &Path,
    files: &BTreeMap<String, Output>,
    sink: &dyn PageSink,
) -> Result<Report, String> {
    let started = Instant::now();
    let mut report = Report::default();
    let mut todo = Vec::new();
    let base = site.config.urls.base_path();
    // In a site of several languages, each language's brochures and fact sheets, from its
    // own pages, under its prefix.
    let languages: Vec<crate::url::Urls> = match site.config.multilingual() {
        false => vec![site.config.urls.clone()],
        true => (site.config.languages.iter())
            .map(|l| site.config.urls.in_language(&l.code))
            .collect(),
    };
    for urls in &languages {
        for p in planned(site) {
            let p = Job {
                html: urls.output(&crate::url::output_file(&p.page)),
                pdf: urls.output(&p.pdf),
                url: urls.path(&p.page),
            };
            let unchanged = std::fs::read(staging.join(&p.html))
                .ok()
                .is_some_and(|new| {
                    std::fs::read(previous.join(&p.html)).ok().as_ref() == Some(&new)
                        && same_resources(&new, base, staging, previous, files)
                });
            match unchanged
                .then(|| std::fs::read(previous.join(&p.pdf)).ok())
                .flatten()
            {
                Some(pdf) => {
                    sink.put(&p.pdf, &pdf)
                        .map_err(|e| format!("cannot write `{}`: {e}", p.pdf))?;
                    report.kept += 1;
                }
                None => todo.push(p),
            }
        }
    }
    if !todo.is_empty() {
        let server = local::Server::start(site, staging, files)?;
        let mut browser = cdp::Browser::launch(chrome)?;
        for p in &todo {
            let url = format!("{}{}", server.url, p.url.trim_start_matches('/'));
            let pdf = browser
                .print(&url)
                .map_err(|e| format!("printing {url}: {e}"))?;
            sink.put(&p.pdf, &pdf)
                .map_err(|e| format!("cannot write `{}`: {e}", p.pdf))?;
            report.printed += 1;
        }
        browser.close();
    }
    report.took = started.elapsed();
    Ok(report)
}

/// Whether every file a page loads (its stylesheet, logos, pictures: `src` and `href`
/// addresses of the site) is the same in the new output as in the previous one: a PDF is only
/// kept if nothing printed on it changed.
fn same_resources(
    html: &[u8],
    base: &str,
    staging: &Path,
    previous: &Path,
    files: &BTreeMap<String, Output>,
) -> bool {
    let text = String::from_utf8_lossy(html);
    let mut addresses = Vec::new();
    for attr in ["src=\"", "href=\""] {
        let mut rest = text.as_ref();
        while let Some(at) = rest.find(attr) {
            rest = &rest[at + attr.len()..];
            let value = &rest[..rest.find('"').unwrap_or(rest.len())];
            addresses.push(value.to_string());
        }
    }
    addresses.iter().all(|address| {
        let Some(key) = address.strip_prefix(base) else {
            return true; // another site, or an anchor
        };
        let key = key.split(['?', '#']).next().unwrap_or("");
        if key.is_empty() || key.ends_with('/') || key.ends_with(".pdf") {
            return true; // a page or a PDF: linked, not printed
        }
        let new = match files.get(key) {
            Some(Output::Bytes(b)) => Some(b.clone()),
            Some(Output::Embedded(b)) => Some(b.to_vec()),
            Some(Output::Copy(p)) => std::fs::read(p).ok(),
            None => std::fs::read(staging.join(key)).ok(),
        };
        new.is_some() && new == std::fs::read(previous.join(key)).ok()
    })
}

/// The new output, served on a loopback port while it is printed.
mod local {
    use std::collections::BTreeMap;
    use std::path::{Path, PathBuf};
    use std::sync::Arc;

    use crate::http::{self, Reply, Request, Running, Target, content_type, resolve};
    use crate::model::Site;
    use crate::render::Output;

    pub struct Server {
        /// `http://127.0.0.1:PORT/` and the site's base path.
        pub url: String,
        /// Stops serving when the printing is done.
        _running: Running,
    }

    impl Server {
        pub fn start(
            site: &Site,
            staging: &Path,
            files: &BTreeMap<String, Output>,
        ) -> Result<Server, String> {
            let cannot = |e: String| format!("cannot serve the pages to the browser: {e}");
            let (listener, addr) = http::bind([127, 0, 0, 1].into(), 0, false).map_err(cannot)?;
            let base = site
                .config
                .urls
                .base_path()
                .trim_end_matches('/')
                .to_string();
            let staging = staging.to_path_buf();
            let statics = files.clone();
            let answer = move |request: &Request| {
                let found = request
                    .target
                    .strip_prefix(&base)
                    .and_then(|rest| lookup(rest, &staging, &statics));
                match found {
                    Some((key, bytes)) => Reply::new(200, &content_type(&key), bytes),
                    None => Reply::new(404, "text/plain; charset=utf-8", ""),
                }
            };
            let running = http::spawn(listener, Arc::new(answer), None).map_err(cannot)?;
            Ok(Server {
                url: format!("http://127.0.0.1:{}/", addr.port()),
                _running: running,
            })
        }
    }

    fn lookup(
        target: &str,
        staging: &Path,
        statics: &BTreeMap<String, Output>,
    ) -> Option<(String, Vec<u8>)> {
        let has = |key: &str| staging.join(key).is_file() || statics.contains_key(key);
        let Target::File(key) = resolve(target, has) else {
            return None;
        };
        let bytes = match statics.get(&key) {
            Some(Output::Bytes(b)) => b.clone(),
            Some(Output::Embedded(b)) => b.to_vec(),
            Some(Output::Copy(p)) => std::fs::read(p).ok()?,
            None => std::fs::read(PathBuf::from(staging).join(&key)).ok()?,
        };
        Some((key, bytes))
    }
}

/// Chromium driven over the DevTools protocol on a pipe.
#[cfg(unix)]
mod cdp {
    use std::fs::File;
    use std::io::{BufRead, BufReader, Write};
    use std::path::Path;
    use std::process::{Child, Command, Stdio};
    use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
    use std::time::{Duration, Instant};

    use base64::Engine;
    use command_fds::{CommandFdExt, FdMapping};
    use serde_json::{Value, json};

    /// How long one page may take to load and print.
    const PAGE_TIMEOUT: Duration = Duration::from_secs(60);

    pub struct Browser {
        child: Child,
        to: File,
        from: Receiver<Value>,
        next: u64,
        session: String,
        /// Events that came while an answer was awaited.
        events: Vec<Value>,
        _profile: tempfile_dir::TempDir,
    }

    impl Browser {
        pub fn launch(chrome: &Path) -> Result<Browser, String> {
            let profile = tempfile_dir::TempDir::new()
                .map_err(|e| format!("cannot make a browser profile folder: {e}"))?;
            let (child_in, to) = rustix::pipe::pipe().map_err(|e| e.to_string())?;
            let (from, child_out) = rustix::pipe::pipe().map_err(|e| e.to_string())?;
            let mut command = Command::new(chrome);
            command
                .args([
                    "--headless",
                    "--remote-debugging-pipe",
                    "--disable-gpu",
                    "--no-first-run",
                    "--no-default-browser-check",
                    "--disable-extensions",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--hide-scrollbars",
                    "--mute-audio",
                ])
                .arg(format!("--user-data-dir={}", profile.path().display()))
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null());
            // Chromium's sandbox cannot run as root (containers, CI).
            if rustix::process::geteuid().is_root() {
                command.arg("--no-sandbox");
            }
            command
                .fd_mappings(vec![
                    FdMapping {
                        parent_fd: child_in,
                        child_fd: 3,
                    },
                    FdMapping {
                        parent_fd: child_out,
                        child_fd: 4,
                    },
                ])
                .map_err(|e| e.to_string())?;
            let child = command
                .spawn()
                .map_err(|e| format!("cannot start `{}`: {e}", chrome.display()))?;
            // The child's ends are closed here, so that reading ends when the browser does.
            drop(command);
            let (tx, rx) = channel();
            let reader = BufReader::new(File::from(from));
            std::thread::spawn(move || {
                for message in reader.split(0) {
                    let Ok(bytes) = message else { return };
                    if let Ok(value) = serde_json::from_slice::<Value>(&bytes)
                        && tx.send(value).is_err()
                    {
                        return;
                    }
                }
            });
            let mut browser = Browser {
                child,
                to: File::from(to),
                from: rx,
                next: 0,
                session: String::new(),
                events: Vec::new(),
                _profile: profile,
            };
            let target =
                browser.call(None, "Target.createTarget", json!({ "url": "about:blank" }))?;
            let target = target["targetId"].as_str().unwrap_or_default().to_string();
            let attached = browser.call(
                None,
                "Target.attachToTarget",
                json!({ "targetId": target, "flatten": true }),
            )?;
            browser.session = attached["sessionId"]
                .as_str()
                .unwrap_or_default()
                .to_string();
            let session = browser.session.clone();
            browser.call(Some(&session), "Page.enable", json!({}))?;
            Ok(browser)
        }

        /// Loads `url` and prints it, with its own page size (`@page`) and backgrounds.
        ///
        /// A page that numbers its parts' pages (`data-page-of="id"` on the spans of the
        /// brochures' contents) is printed twice: the first print tells on which page each
        /// part begins (see [`super::destinations`]), the numbers are filled in, and the
        /// page is printed again. The contents keep room for the numbers, so that filling
        /// them in moves nothing.
        pub fn print(&mut self, url: &str) -> Result<Vec<u8>, String> {
            let session = self.session.clone();
            self.events.clear();
            let navigated = self.call(Some(&session), "Page.navigate", json!({ "url": url }))?;
            if let Some(error) = navigated["errorText"].as_str() {
                return Err(error.to_string());
            }
            self.wait_for(&session, "Page.loadEventFired", PAGE_TIMEOUT)?;
            let first = self.print_loaded(&session)?;
            let wanted = self.evaluate(
                &session,
                "document.querySelectorAll('[data-page-of]').length",
            )?;
            if wanted.as_u64().unwrap_or(0) == 0 {
                return Ok(first);
            }
            let pages = super::destinations::pages(&first);
            if pages.is_empty() {
                return Ok(first);
            }
            let numbers = serde_json::to_string(&pages).map_err(|e| e.to_string())?;
            self.evaluate(
                &session,
                &format!(
                    "(() => {{ const pages = {numbers}; for (const e of document.querySelectorAll('[data-page-of]')) {{ const n = pages[e.dataset.pageOf]; if (n) e.textContent = String(n); }} }})()"
                ),
            )?;
            self.print_loaded(&session)
        }

        /// Prints the page that is loaded.
        fn print_loaded(&mut self, session: &str) -> Result<Vec<u8>, String> {
            let printed = self.call(
                Some(session),
                "Page.printToPDF",
                json!({
                    "printBackground": true,
                    "preferCSSPageSize": true,
                    "displayHeaderFooter": false,
                    "generateDocumentOutline": true,
                    "generateTaggedPDF": true,
                }),
            )?;
            let data = printed["data"].as_str().ok_or("the browser sent no PDF")?;
            base64::engine::general_purpose::STANDARD
                .decode(data)
                .map_err(|e| format!("the browser sent a damaged PDF: {e}"))
        }

        /// Runs `script` in the loaded page (as the DevTools console does, whatever the
        /// page's Content-Security-Policy) and returns its value.
        fn evaluate(&mut self, session: &str, script: &str) -> Result<Value, String> {
            let result = self.call(
                Some(session),
                "Runtime.evaluate",
                json!({ "expression": script, "returnByValue": true }),
            )?;
            if let Some(e) = result.get("exceptionDetails") {
                return Err(format!("a script in the page failed: {e}"));
            }
            Ok(result["result"]["value"].clone())
        }

        pub fn close(mut self) {
            let _ = self.send(None, "Browser.close", json!({}));
            let deadline = Instant::now() + Duration::from_secs(5);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = self.child.try_wait() {
                    return;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = self.child.kill();
            let _ = self.child.wait();
        }

        fn send(
            &mut self,
            session: Option<&str>,
            method: &str,
            params: Value,
        ) -> Result<u64, String> {
            self.next += 1;
            let mut message = json!({ "id": self.next, "method": method, "params": params });
            if let Some(s) = session {
                message["sessionId"] = json!(s);
            }
            let mut bytes = serde_json::to_vec(&message).map_err(|e| e.to_string())?;
            bytes.push(0);
            self.to
                .write_all(&bytes)
                .map_err(|e| format!("the browser stopped listening: {e}"))?;
            Ok(self.next)
        }

        fn call(
            &mut self,
            session: Option<&str>,
            method: &str,
            params: Value,
        ) -> Result<Value, String> {
            let id = self.send(session, method, params)?;
            let deadline = Instant::now() + PAGE_TIMEOUT;
            loop {
                let message = self.receive(deadline)?;
                if message["id"].as_u64() == Some(id) {
                    if let Some(error) = message.get("error") {
                        return Err(format!(
                            "{method}: {}",
                            error["message"].as_str().unwrap_or("failed")
                        ));
                    }
                    return Ok(message["result"].clone());
                }
                if message.get("method").is_some() {
                    self.events.push(message);
                }
            }
        }

        fn wait_for(&mut self, session: &str, event: &str, within: Duration) -> Result<(), String> {
            let is = |m: &Value| {
                m["method"].as_str() == Some(event) && m["sessionId"].as_str() == Some(session)
            };
            if self.events.iter().any(is) {
                return Ok(());
            }
            let deadline = Instant::now() + within;
            loop {
                if is(&self.receive(deadline)?) {
                    return Ok(());
                }
            }
        }

        fn receive(&mut self, deadline: Instant) -> Result<Value, String> {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.from.recv_timeout(left) {
                Ok(v) => Ok(v),
                Err(RecvTimeoutError::Timeout) => {
                    Err("the browser did not answer within a minute".into())
                }
                Err(RecvTimeoutError::Disconnected) => Err("the browser closed".into()),
            }
        }
    }

    impl Drop for Browser {
        fn drop(&mut self) {
            if let Ok(None) = self.child.try_wait() {
                let _ = self.child.kill();
                let _ = self.child.wait();
            }
        }
    }

    /// A temporary folder for the browser's profile, removed afterwards.
    mod tempfile_dir {
        use std::path::{Path, PathBuf};

        pub struct TempDir(PathBuf);

        impl TempDir {
            pub fn new() -> std::io::Result<TempDir> {
                let dir = std::env::temp_dir().join(format!(
                    "clusterpress-chrome-{}-{}",
                    std::process::id(),
                    std::time::SystemTime::now()
                        .duration_since(std::time::UNIX_EPOCH)
                        .map(|d| d.as_nanos())
                        .unwrap_or(0)
                ));
                std::fs::create_dir_all(&dir)?;
                Ok(TempDir(dir))
            }

            pub fn path(&self) -> &Path {
                &self.0
            }
        }

        impl Drop for TempDir {
            fn drop(&mut self) {
                let _ = std::fs::remove_dir_all(&self.0);
            }
        }
    }
}

/// Elsewhere, no pipe to the browser: PDFs are not made.
#[cfg(not(unix))]
mod cdp {
    use std::path::Path;

    pub struct Browser;

    impl Browser {
        pub fn launch(_: &Path) -> Result<Browser, String> {
            Err("printing PDFs needs Linux or macOS for now".into())
        }
        pub fn print(&mut self, _: &str) -> Result<Vec<u8>, String> {
            Err("printing PDFs needs Linux or macOS for now".into())
        }
        pub fn close(self) {}
    }
}
