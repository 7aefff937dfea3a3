//! The preview's web server: the site from memory, the live-reload script and its event
//! stream. Built on tiny_http (synchronous, four small dependencies, no async runtime to
//! compile); a fixed pool of workers answers requests, and each browser listening for
//! changes gets a thread of its own, up to a limit.

use std::io::Write;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tiny_http::{Method, Request, Server, StatusCode};

use super::store::{Body, Event, Store};

/// Where the live-reload script and its event stream are served; no site file can be there.
pub const LIVE_PREFIX: &str = "/__clusterpress/";
const LIVE_SCRIPT: &str = include_str!("live.js");
/// Requests answered at once; more wait in tiny_http's queue.
const WORKERS: usize = 8;
/// Browsers listening for changes at once.
const MAX_LISTENERS: usize = 64;
/// Longer request targets are refused (414), as most servers do.
const MAX_URL: usize = 4096;

/// Binds `addr:port`; when `fallback` and the port is taken, lets the system pick a free one.
pub fn bind(addr: IpAddr, port: u16, fallback: bool) -> Result<(Server, SocketAddr), String> {
    let first = Server::http(SocketAddr::new(addr, port));
    let server = match first {
        Ok(s) => s,
        Err(e) if fallback => Server::http(SocketAddr::new(addr, 0)).map_err(|e2| {
            format!("cannot listen on {addr}:{port} ({e}) nor on a free port ({e2})")
        })?,
        Err(e) => return Err(format!("cannot listen on {addr}:{port}: {e}")),
    };
    let bound = server
        .server_addr()
        .to_ip()
        .ok_or_else(|| "the server is not on an IP address".to_string())?;
    Ok((server, bound))
}

/// Starts the workers; they run until the process ends.
pub fn spawn(server: Server, store: Arc<Store>) {
    let server = Arc::new(server);
    let listeners = Arc::new(AtomicUsize::new(0));
    for _ in 0..WORKERS {
        let server = Arc::clone(&server);
        let store = Arc::clone(&store);
        let listeners = Arc::clone(&listeners);
        std::thread::spawn(move || {
            while let Ok(request) = server.recv() {
                handle(request, &store, &listeners);
            }
        });
    }
}

/// What a request's path leads to.
#[derive(Debug, PartialEq, Eq)]
pub enum Target {
    /// The file at this output path.
    File(String),
    /// A folder asked for without its trailing slash: redirect there.
    Redirect(String),
    NotFound,
}

/// Resolves a request target (`/members/acme/?x=1`) against the site's files. Only paths of
/// files the site has can come out: `..`, `.`, encoded dots and slashes, backslashes and NUL
/// bytes lead nowhere, and nothing is ever looked up on disk by the requested path.
pub fn resolve(target: &str, has: impl Fn(&str) -> bool) -> Target {
    let path = target.split(['?', '#']).next().unwrap_or("");
    let Some(rest) = path.strip_prefix('/') else {
        return Target::NotFound;
    };
    let Ok(decoded) = percent_encoding::percent_decode_str(rest).decode_utf8() else {
        return Target::NotFound;
    };
    if decoded.contains(['\\', '\0']) || decoded.starts_with('/') {
        return Target::NotFound;
    }
    let segments: Vec<&str> = decoded.split('/').collect();
    let last = segments.len() - 1;
    for (i, s) in segments.iter().enumerate() {
        let empty_inside = s.is_empty() && i != last;
        if *s == "." || *s == ".." || empty_inside {
            return Target::NotFound;
        }
    }
    if decoded.is_empty() || decoded.ends_with('/') {
        let key = format!("{decoded}index.html");
        return match has(&key) {
            true => Target::File(key),
            false => Target::NotFound,
        };
    }
    if has(&decoded) {
        return Target::File(decoded.into_owned());
    }
    if has(&format!("{decoded}/index.html")) {
        let query = target.strip_prefix(path).unwrap_or("");
        return Target::Redirect(format!("{path}/{query}"));
    }
    Target::NotFound
}

/// The Content-Type of an output path, with the character set of text.
pub fn content_type(path: &str) -> String {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    let textual = mime.type_() == mime_guess::mime::TEXT
        || matches!(
            mime.subtype().as_str(),
            "javascript" | "json" | "xml" | "manifest+json"
        )
        || mime.suffix().is_some_and(|s| s == "xml" || s == "json");
    match textual {
        true => format!("{mime}; charset=utf-8"),
        false => mime.to_string(),
    }
}

/// Adds the live-reload script to an HTML page, before `</body>` or at the end.
pub fn inject(html: &[u8]) -> Vec<u8> {
    let tag = format!("<script src=\"{LIVE_PREFIX}live.js\"></script>");
    let at = memchr::memmem::rfind(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + tag.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(tag.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn respond(request: Request, status: u16, content_type: &str, body: Vec<u8>) {
    write_response(request, status, &[("Content-Type", content_type)], &body);
}

/// Writes a whole response and closes the connection. Keep-alive connections served by
/// tiny_http now and then left a browser waiting for an image forever; one response per
/// connection costs nothing on loopback.
pub fn write_response(request: Request, status: u16, headers: &[(&str, &str)], body: &[u8]) {
    let head_only = *request.method() == Method::Head;
    let reason = StatusCode(status).default_reason_phrase();
    let mut head = format!("HTTP/1.1 {status} {reason}\r\n");
    for (name, value) in headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
        body.len()
    ));
    let mut writer = request.into_writer();
    // A browser that went away is no concern of the server's.
    let _ = writer.write_all(head.as_bytes());
    if !head_only {
        let _ = writer.write_all(body);
    }
    let _ = writer.flush();
}

fn handle(request: Request, store: &Store, listeners: &Arc<AtomicUsize>) {
    let url = request.url().to_string();
    if url.len() > MAX_URL {
        return respond(
            request,
            414,
            "text/plain; charset=utf-8",
            b"URI too long\n".to_vec(),
        );
    }
    let method = request.method().clone();
    if !matches!(method, Method::Get | Method::Head) {
        return write_response(
            request,
            405,
            &[
                ("Allow", "GET, HEAD"),
                ("Content-Type", "text/plain; charset=utf-8"),
            ],
            b"only GET and HEAD\n",
        );
    }
    if let Some(live) = url.strip_prefix(LIVE_PREFIX) {
        match live.split('?').next() {
            Some("live.js") => {
                return respond(
                    request,
                    200,
                    "text/javascript; charset=utf-8",
                    LIVE_SCRIPT.as_bytes().to_vec(),
                );
            }
            Some("events") if method == Method::Get => return events(request, store, listeners),
            _ => return not_found(request, store),
        }
    }
    match resolve(&url, |key| store.contains(key)) {
        Target::File(key) => match read(store.get(&key)) {
            Some(bytes) => {
                let kind = content_type(&key);
                let bytes = match key.ends_with(".html") {
                    true => inject(&bytes),
                    false => bytes,
                };
                respond(request, 200, &kind, bytes)
            }
            None => not_found(request, store),
        },
        Target::Redirect(location) => write_response(request, 301, &[("Location", &location)], b""),
        Target::NotFound => not_found(request, store),
    }
}

fn read(body: Option<Body>) -> Option<Vec<u8>> {
    match body? {
        Body::Bytes(b) => Some(b.to_vec()),
        Body::Embedded(b) => Some(b.to_vec()),
        Body::Disk(path) => std::fs::read(path).ok(),
    }
}

/// The site's `404.html` with status 404, or a plain page when the site has none (yet).
fn not_found(request: Request, store: &Store) {
    let body = read(store.get("404.html")).unwrap_or_else(|| {
        b"<!doctype html><title>Not found</title><h1>Not found</h1></body>".to_vec()
    });
    respond(request, 404, "text/html; charset=utf-8", inject(&body))
}

/// The live-reload event stream: problems at once if there are any, then each change as it
/// is built, and a comment every 15 s so that a closed browser is noticed.
fn events(request: Request, store: &Store, listeners: &Arc<AtomicUsize>) {
    if listeners.fetch_add(1, Ordering::SeqCst) >= MAX_LISTENERS {
        listeners.fetch_sub(1, Ordering::SeqCst);
        return respond(
            request,
            503,
            "text/plain; charset=utf-8",
            b"too many listeners\n".to_vec(),
        );
    }
    let (changes, errors) = store.subscribe();
    let guard = Listening(Arc::clone(listeners));
    let mut writer = request.into_writer();
    // The stream runs on a thread of its own, so that it holds no worker.
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\nretry: 500\n\n";
    std::thread::spawn(move || {
        let _guard = guard;
        let mut send = |text: &str| -> bool {
            writer.write_all(text.as_bytes()).is_ok() && writer.flush().is_ok()
        };
        if !send(head) {
            return;
        }
        if let Some(text) = errors {
            if !send(&Event::Errors(text).to_sse()) {
                return;
            }
        }
        loop {
            let text = match changes.recv_timeout(Duration::from_secs(15)) {
                Ok(event) => event.to_sse(),
                Err(std::sync::mpsc::RecvTimeoutError::Timeout) => ": ping\n\n".to_string(),
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return,
            };
            if !send(&text) {
                return;
            }
        }
    });
}

/// Counts a listening browser while its stream lasts.
struct Listening(Arc<AtomicUsize>);

impl Drop for Listening {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(key: &str) -> bool {
        matches!(
            key,
            "index.html"
                | "members/index.html"
                | "members/acme/index.html"
                | "style.css"
                | "logos/a b.svg"
        )
    }

    #[test]
    fn requests_resolve_to_the_sites_files_and_folders_redirect_to_their_slash() {
        let r = |t: &str| resolve(t, site);
        assert_eq!(r("/"), Target::File("index.html".into()));
        assert_eq!(
            r("/members/acme/"),
            Target::File("members/acme/index.html".into())
        );
        assert_eq!(
            r("/members/acme/?q=1#x"),
            Target::File("members/acme/index.html".into())
        );
        assert_eq!(r("/style.css"), Target::File("style.css".into()));
        assert_eq!(r("/logos/a%20b.svg"), Target::File("logos/a b.svg".into()));
        assert_eq!(
            r("/members/acme"),
            Target::Redirect("/members/acme/".into())
        );
        assert_eq!(r("/members?x=1"), Target::Redirect("/members/?x=1".into()));
        assert_eq!(r("/nothing/"), Target::NotFound);
    }

    #[test]
    fn no_request_reaches_outside_the_site() {
        for target in [
            "/../cluster.yaml",
            "/members/../../cluster.yaml",
            "/%2e%2e/cluster.yaml",
            "/%2E%2E%2Fcluster.yaml",
            "/members/%2e%2e/%2e%2e/etc/passwd",
            "/..%5c..%5ccluster.yaml",
            "/members\\..\\..\\cluster.yaml",
            "//etc/passwd",
            "/%2fetc/passwd",
            "/members/./acme/",
            "/members//acme/",
            "/style.css%00.html",
            "/%ff%fe",
            "http://127.0.0.1/../cluster.yaml",
            "",
            "*",
        ] {
            assert_eq!(resolve(target, |_| true), Target::NotFound, "{target}");
        }
    }

    #[test]
    fn text_is_served_as_utf8_and_the_script_goes_before_the_body_ends() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("style.css"), "text/css; charset=utf-8");
        assert_eq!(
            content_type("members.json"),
            "application/json; charset=utf-8"
        );
        assert_eq!(content_type("events/atom.xml"), "text/xml; charset=utf-8");
        assert_eq!(content_type("logo.svg"), "image/svg+xml; charset=utf-8");
        assert_eq!(content_type("logo.png"), "image/png");
        assert_eq!(
            content_type("events/x/x.ics"),
            "text/calendar; charset=utf-8"
        );
        let page = inject(b"<html><body><p>Hi</p></body></html>");
        assert_eq!(
            String::from_utf8(page).unwrap(),
            "<html><body><p>Hi</p><script src=\"/__clusterpress/live.js\"></script></body></html>"
        );
        let bare = inject(b"<p>no body end");
        assert!(
            String::from_utf8(bare)
                .unwrap()
                .ends_with("live.js\"></script>")
        );
    }

    #[test]
    fn a_taken_port_gives_way_to_a_free_one_only_when_allowed() {
        let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = taken.local_addr().unwrap().port();
        let local: IpAddr = "127.0.0.1".parse().unwrap();
        assert!(bind(local, port, false).is_err());
        let (_server, addr) = bind(local, port, true).unwrap();
        assert_ne!(addr.port(), port);
    }
}
