//! The preview's answers: the site from memory, the live-reload script and its event
//! stream, served by [`crate::http`] (which keeps slow, idle and hostile clients from
//! holding anything up). Requests wait until the first build is done: no page that is about
//! to exist is ever answered with a 404.

use std::net::{IpAddr, SocketAddr, TcpListener};
use std::sync::Arc;

use super::store::{Event, Store};
use crate::http::{self, GateOpener, Reply, Request, Running, Target, content_type, resolve};

/// Where the live-reload script and its event stream are served; no site file can be there.
pub const LIVE_PREFIX: &str = "/__clusterpress/";
const LIVE_SCRIPT: &str = include_str!("live.js");
/// Browsers listening for changes at once.
const MAX_LISTENERS: usize = 64;

/// Binds `addr:port`; when `fallback` and the port is taken, lets the system pick a free one.
pub fn bind(addr: IpAddr, port: u16, fallback: bool) -> Result<(TcpListener, SocketAddr), String> {
    http::bind(addr, port, fallback)
}

/// Serves `store` on `listener` until the returned server is dropped. Requests wait until
/// the returned gate is opened, when the first build is done.
pub fn spawn(listener: TcpListener, store: Arc<Store>) -> Result<(Running, GateOpener), String> {
    let (opener, gate) = http::gate();
    let answer = Arc::new(move |r: &Request| answer(r, &store));
    let running = http::spawn(listener, answer, Some(gate))?;
    Ok((running, opener))
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

fn answer(request: &Request, store: &Store) -> Reply {
    let url = request.target.as_str();
    if let Some(live) = url.strip_prefix(LIVE_PREFIX) {
        return match live.split('?').next() {
            Some("live.js") => Reply::new(200, "text/javascript; charset=utf-8", LIVE_SCRIPT),
            Some("events") if !request.head_only => events(store),
            _ => not_found(store),
        };
    }
    match resolve(url, |key| store.contains(key)) {
        Target::File(key) => match store.get(&key).and_then(|b| store.read(b)) {
            Some(bytes) => {
                // Not the editing UI: a reload while an editor types would lose their work,
                // and it saves into the folder `serve` watches.
                let bytes = match key.ends_with(".html") && !key.starts_with("admin/") {
                    true => inject(&bytes),
                    false => bytes,
                };
                Reply::new(200, &content_type(&key), bytes)
            }
            None => not_found(store),
        },
        Target::Redirect(location) => Reply::redirect(301, &location),
        Target::NotFound => not_found(store),
    }
}

/// The site's `404.html` with status 404, or a plain page when the site has none (yet).
fn not_found(store: &Store) -> Reply {
    let body = store
        .get("404.html")
        .and_then(|b| store.read(b))
        .unwrap_or_else(|| {
            b"<!doctype html><title>Not found</title><h1>Not found</h1></body>".to_vec()
        });
    Reply::new(404, "text/html; charset=utf-8", inject(&body))
}

/// The live-reload event stream: problems at once if there are any, then each change as it
/// is built (and a comment now and then, so that a closed browser is noticed).
fn events(store: &Store) -> Reply {
    let Some((changes, errors)) = store.subscribe(MAX_LISTENERS) else {
        return Reply::text(503, "too many listeners\n");
    };
    let mut first = "retry: 500\n\n".to_string();
    if let Some(text) = errors {
        first.push_str(&Event::Errors(text).to_sse());
    }
    Reply::events(first, changes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_script_goes_before_the_body_ends() {
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
}
