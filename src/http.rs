//! The small HTTP/1 server shared by `serve` (the preview) and by printing to PDF (pages fed
//! to Chromium), and the helpers both need to answer a request with a file of the site.
//!
//! Built on hyper's HTTP/1 server on a one-thread tokio runtime: sockets are waited on, not
//! held by threads, so clients that are slow, idle or listening for changes cost a little
//! memory each and never a worker. What it guarantees, whatever a client sends or fails to:
//! - a connection must deliver its request head within [`HEAD_TIMEOUT`] of being accepted,
//!   and take its answer within [`ANSWER_TIMEOUT`] (event streams excepted), or it is closed;
//! - at most [`MAX_CONNECTIONS`] connections are open at once; more are closed at once;
//! - request bodies are refused (413) without being read: nothing is ever allocated from a
//!   client's declared length (issue 17);
//! - only `GET` and `HEAD` are answered (405 otherwise), targets over [`MAX_URL`] bytes get
//!   414, heads over 64 KiB 431 and malformed requests 400 (hyper's parser);
//! - answers are made on a small pool of threads ([`WORKERS`]), which may read files; a
//!   request waits for one only once its head is complete;
//! - with a [`Gate`], requests wait until it opens (or [`HOLD`] has passed: then a 503 page
//!   that reloads itself), never answered from a site that is not built yet;
//! - one answer per connection (`Connection: close`: it costs nothing on loopback, and a
//!   connection's deadlines are then simply those of its one request), `Cache-Control:
//!   no-store` and `X-Content-Type-Options: nosniff` on every answer.

use std::convert::Infallible;
use std::future::Future;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use hyper::body::{Body, Bytes, Frame, SizeHint};
use hyper::header::{self, HeaderName, HeaderValue};
use hyper::{Method, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::sync::{mpsc, oneshot, watch};
use tokio::time::{Instant, Sleep};

/// A connection must have sent its whole request head this long after it was accepted.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// An answer (but an event stream) must have been taken this long after the head came,
/// waiting at the [`Gate`] included.
pub const ANSWER_TIMEOUT: Duration = Duration::from_secs(60);
/// Connections open at once; more are closed as soon as they are accepted.
pub const MAX_CONNECTIONS: usize = 512;
/// Longer request targets are refused (414), as most servers do.
pub const MAX_URL: usize = 4096;
/// Threads making answers at once.
pub const WORKERS: usize = 8;
/// Requests held at a closed [`Gate`] wait this long before they are told to come back.
pub const HOLD: Duration = Duration::from_secs(30);
/// An event stream sends a comment this often, so that a browser that went away is noticed.
const PING: Duration = Duration::from_secs(15);
/// The largest request head read (hyper answers 431 beyond it).
const MAX_HEAD: usize = 64 * 1024;

/// A request that passed the checks above.
#[derive(Debug)]
pub struct Request {
    /// The request target as sent: `/members/acme/?q=1`.
    pub target: String,
    /// `HEAD`: the answer's headers are sent, not its body.
    pub head_only: bool,
}

/// An answer: its status, headers and content.
pub struct Reply {
    status: u16,
    headers: Vec<(HeaderName, String)>,
    content: Content,
}

enum Content {
    Bytes(Bytes),
    /// Server-Sent Events: `first`, then each text received, with a comment every
    /// [`PING`]; the stream ends when the sender goes.
    Events {
        first: String,
        texts: mpsc::UnboundedReceiver<String>,
    },
}

impl Reply {
    pub fn new(status: u16, content_type: &str, body: impl Into<Bytes>) -> Reply {
        Reply {
            status,
            headers: vec![(header::CONTENT_TYPE, content_type.to_string())],
            content: Content::Bytes(body.into()),
        }
    }

    /// A plain-text answer, for errors.
    pub fn text(status: u16, text: &'static str) -> Reply {
        Reply::new(status, "text/plain; charset=utf-8", text)
    }

    /// An event stream (`text/event-stream`) that starts with `first`.
    pub fn events(first: String, texts: mpsc::UnboundedReceiver<String>) -> Reply {
        Reply {
            status: 200,
            headers: vec![(header::CONTENT_TYPE, "text/event-stream".to_string())],
            content: Content::Events { first, texts },
        }
    }

    /// A redirect to `location` (a path of the site).
    pub fn redirect(status: u16, location: &str) -> Reply {
        Reply {
            status,
            headers: vec![(header::LOCATION, location.to_string())],
            content: Content::Bytes(Bytes::new()),
        }
    }

    fn with_header(mut self, name: HeaderName, value: &str) -> Reply {
        self.headers.push((name, value.to_string()));
        self
    }
}

/// Binds `addr:port`; when `fallback` and the port is taken, lets the system pick a free one.
pub fn bind(addr: IpAddr, port: u16, fallback: bool) -> Result<(TcpListener, SocketAddr), String> {
    let listener = match TcpListener::bind(SocketAddr::new(addr, port)) {
        Ok(l) => l,
        Err(e) if fallback => TcpListener::bind(SocketAddr::new(addr, 0)).map_err(|e2| {
            format!("cannot listen on {addr}:{port} ({e}) nor on a free port ({e2})")
        })?,
        Err(e) => return Err(format!("cannot listen on {addr}:{port}: {e}")),
    };
    let bound = listener
        .local_addr()
        .map_err(|e| format!("cannot listen on {addr}:{port}: {e}"))?;
    Ok((listener, bound))
}

/// Requests wait here until it is opened ([`GateOpener::open`]): `serve` opens it when the
/// first build is done, so that no request gets a 404 for a page not built yet.
#[derive(Clone)]
pub struct Gate(watch::Receiver<bool>);

pub struct GateOpener(watch::Sender<bool>);

/// A closed gate and what opens it.
pub fn gate() -> (GateOpener, Gate) {
    let (tx, rx) = watch::channel(false);
    (GateOpener(tx), Gate(rx))
}

impl GateOpener {
    pub fn open(&self) {
        self.0.send_replace(true);
    }
}

/// A running server; dropping it stops accepting connections.
pub struct Running {
    _stop: oneshot::Sender<()>,
}

/// What answers requests: called on one of [`WORKERS`] threads.
pub type Answer = dyn Fn(&Request) -> Reply + Send + Sync;

/// Serves `listener` on a thread of its own, answering each request with `answer` once `gate`
/// (if any) is open.
pub fn spawn(
    listener: TcpListener,
    answer: Arc<Answer>,
    gate: Option<Gate>,
) -> Result<Running, String> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .enable_time()
        .max_blocking_threads(WORKERS)
        .thread_name("clusterpress-http")
        .build()
        .map_err(|e| format!("cannot start the web server: {e}"))?;
    listener
        .set_nonblocking(true)
        .map_err(|e| format!("cannot start the web server: {e}"))?;
    let (stop, stopped) = oneshot::channel();
    std::thread::Builder::new()
        .name("clusterpress-http".into())
        .spawn(move || {
            runtime.block_on(async move {
                match tokio::net::TcpListener::from_std(listener) {
                    Ok(listener) => accept(listener, answer, gate, stopped).await,
                    Err(e) => eprintln!("error: the web server stopped: {e}"),
                }
            })
        })
        .map_err(|e| format!("cannot start the web server: {e}"))?;
    Ok(Running { _stop: stop })
}

async fn accept(
    listener: tokio::net::TcpListener,
    answer: Arc<Answer>,
    gate: Option<Gate>,
    mut stopped: oneshot::Receiver<()>,
) {
    let open = Arc::new(AtomicUsize::new(0));
    loop {
        // The first of: the server is dropped, a connection comes.
        let next = std::future::poll_fn(|cx| {
            if Pin::new(&mut stopped).poll(cx).is_ready() {
                return Poll::Ready(None);
            }
            listener.poll_accept(cx).map(Some)
        });
        let stream = match next.await {
            None => return,
            Some(Ok((stream, _))) => stream,
            // Out of file descriptors, most likely: let connections close, then go on.
            Some(Err(_)) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        if open.load(Ordering::SeqCst) >= MAX_CONNECTIONS {
            continue; // dropped: closed
        }
        let counted = Counted::new(&open);
        let (answer, gate) = (Arc::clone(&answer), gate.clone());
        tokio::spawn(async move {
            let _counted = counted;
            connection(stream, answer, gate).await;
        });
    }
}

/// Counts an open connection while it lasts.
struct Counted(Arc<AtomicUsize>);

impl Counted {
    fn new(open: &Arc<AtomicUsize>) -> Counted {
        open.fetch_add(1, Ordering::SeqCst);
        Counted(Arc::clone(open))
    }
}

impl Drop for Counted {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// When the connection is closed unless it is done; none for an event stream.
type Deadline = Arc<Mutex<Option<Instant>>>;

fn set(deadline: &Deadline, at: Option<Instant>) {
    *deadline.lock().unwrap_or_else(|e| e.into_inner()) = at;
}

fn get(deadline: &Deadline) -> Option<Instant> {
    *deadline.lock().unwrap_or_else(|e| e.into_inner())
}

async fn connection(stream: tokio::net::TcpStream, answer: Arc<Answer>, gate: Option<Gate>) {
    let deadline: Deadline = Arc::new(Mutex::new(Some(Instant::now() + HEAD_TIMEOUT)));
    let service = {
        let deadline = Arc::clone(&deadline);
        hyper::service::service_fn(move |request| {
            // The head has come: from now on the answer's own deadline counts.
            set(&deadline, Some(Instant::now() + ANSWER_TIMEOUT));
            respond(
                request,
                Arc::clone(&answer),
                gate.clone(),
                Arc::clone(&deadline),
            )
        })
    };
    let served = hyper::server::conn::http1::Builder::new()
        .keep_alive(false)
        // A client may shut its side once the request is sent (`exchange` in the tests,
        // some command-line tools): it still wants the answer.
        .half_close(true)
        .title_case_headers(true)
        .max_buf_size(MAX_HEAD)
        .serve_connection(TokioIo::new(stream), service);
    let mut served = std::pin::pin!(served);
    loop {
        let Some(at) = get(&deadline) else {
            let _ = served.as_mut().await;
            return;
        };
        match tokio::time::timeout_at(at, served.as_mut()).await {
            Ok(_) => return,
            // Past its deadline, and the deadline did not move meanwhile: dropping the
            // connection closes it.
            Err(_) if get(&deadline) == Some(at) => return,
            Err(_) => continue,
        }
    }
}

async fn respond(
    request: hyper::Request<hyper::body::Incoming>,
    answer: Arc<Answer>,
    gate: Option<Gate>,
    deadline: Deadline,
) -> Result<hyper::Response<Payload>, Infallible> {
    let head_only = request.method() == Method::HEAD;
    let target = request.uri().to_string();
    let refused = if target.len() > MAX_URL {
        Some(Reply::text(414, "URI too long\n"))
    } else if !matches!(*request.method(), Method::GET | Method::HEAD) {
        Some(Reply::text(405, "only GET and HEAD\n").with_header(header::ALLOW, "GET, HEAD"))
    } else if !request.body().is_end_stream() {
        // Never read, never allocated for: a preview has no use for a body.
        Some(Reply::text(413, "request bodies are not accepted\n"))
    } else {
        None
    };
    if let Some(reply) = refused {
        return Ok(response(reply));
    }
    drop(request);
    if let Some(Gate(mut open)) = gate {
        let opened = tokio::time::timeout(HOLD, open.wait_for(|o| *o)).await;
        if !matches!(opened, Ok(Ok(_))) {
            return Ok(response(building()));
        }
    }
    let request = Request { target, head_only };
    let made = tokio::task::spawn_blocking(move || answer(&request)).await;
    let reply = made.unwrap_or_else(|_| Reply::text(500, "internal error\n"));
    if matches!(reply.content, Content::Events { .. }) {
        set(&deadline, None);
    }
    Ok(response(reply))
}

/// The page for requests held too long at the gate: it reloads itself.
fn building() -> Reply {
    let page = "<!doctype html><meta charset=utf-8><meta http-equiv=refresh content=1>\
                <title>Building…</title><p>Building the site…</p>";
    Reply::new(503, "text/html; charset=utf-8", page).with_header(header::RETRY_AFTER, "1")
}

fn response(reply: Reply) -> hyper::Response<Payload> {
    let status = StatusCode::from_u16(reply.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let payload = match reply.content {
        Content::Bytes(b) => Payload::Bytes(Some(b)),
        Content::Events { first, texts } => Payload::Events {
            first: Some(Bytes::from(first)),
            texts,
            ping: Box::pin(tokio::time::sleep(PING)),
        },
    };
    let mut response = hyper::Response::new(payload);
    *response.status_mut() = status;
    let headers = response.headers_mut();
    for (name, value) in reply.headers {
        // Values come from the site's paths (a redirect's Location): one that is not a valid
        // header value is left out rather than sent broken.
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.append(name, value);
        }
    }
    let fixed = [
        (header::CACHE_CONTROL, "no-store"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::CONNECTION, "close"),
    ];
    for (name, value) in fixed {
        headers.insert(name, HeaderValue::from_static(value));
    }
    response
}

/// An answer's body as hyper sends it.
enum Payload {
    Bytes(Option<Bytes>),
    Events {
        first: Option<Bytes>,
        texts: mpsc::UnboundedReceiver<String>,
        ping: Pin<Box<Sleep>>,
    },
}

impl Body for Payload {
    type Data = Bytes;
    type Error = Infallible;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
        let data = |b: Bytes| Poll::Ready(Some(Ok(Frame::data(b))));
        match self.get_mut() {
            Payload::Bytes(bytes) => Poll::Ready(bytes.take().map(|b| Ok(Frame::data(b)))),
            Payload::Events { first, texts, ping } => {
                if let Some(first) = first.take() {
                    return data(first);
                }
                if let Poll::Ready(text) = texts.poll_recv(cx) {
                    return match text {
                        Some(text) => data(Bytes::from(text)),
                        None => Poll::Ready(None),
                    };
                }
                if ping.as_mut().poll(cx).is_ready() {
                    ping.as_mut().reset(Instant::now() + PING);
                    return data(Bytes::from_static(b": ping\n\n"));
                }
                Poll::Pending
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        matches!(self, Payload::Bytes(None))
    }

    fn size_hint(&self) -> SizeHint {
        match self {
            Payload::Bytes(b) => SizeHint::with_exact(b.as_ref().map_or(0, |b| b.len() as u64)),
            Payload::Events { .. } => SizeHint::default(),
        }
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
    fn text_is_served_as_utf8() {
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
    }

    /// Sends `request` on a new connection and returns the whole answer.
    fn exchange(addr: SocketAddr, request: &str) -> String {
        use std::io::{Read, Write};
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        s.write_all(request.as_bytes()).unwrap();
        let mut out = String::new();
        let _ = s.read_to_string(&mut out);
        out
    }

    fn hello() -> Arc<Answer> {
        Arc::new(|r: &Request| Reply::new(200, "text/plain", format!("hello {}", r.target)))
    }

    #[test]
    fn a_request_waits_at_the_gate_until_it_opens() {
        let (listener, addr) = bind([127, 0, 0, 1].into(), 0, false).unwrap();
        let (opener, gate) = gate();
        let _running = spawn(listener, hello(), Some(gate)).unwrap();
        let asked = std::thread::spawn(move || exchange(addr, "GET /x HTTP/1.1\r\n\r\n"));
        std::thread::sleep(Duration::from_millis(300));
        assert!(!asked.is_finished(), "answered before the gate opened");
        opener.open();
        let reply = asked.join().unwrap();
        assert!(reply.starts_with("HTTP/1.1 200 OK\r\n"), "{reply}");
        assert!(reply.ends_with("hello /x"), "{reply}");
    }

    #[test]
    fn bodies_other_methods_and_long_targets_are_refused_and_head_gets_no_body() {
        let (listener, addr) = bind([127, 0, 0, 1].into(), 0, false).unwrap();
        let _running = spawn(listener, hello(), None).unwrap();
        let status = |request: &str| exchange(addr, request)[9..12].to_string();
        assert_eq!(
            status("GET / HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n"),
            "413"
        );
        assert_eq!(
            status("GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"),
            "413"
        );
        assert_eq!(status("GET / HTTP/1.1\r\nContent-Length: 0\r\n\r\n"), "200");
        assert_eq!(status("DELETE / HTTP/1.1\r\n\r\n"), "405");
        let long = format!("GET /{} HTTP/1.1\r\n\r\n", "a".repeat(MAX_URL));
        assert_eq!(status(&long), "414");
        let head = exchange(addr, "HEAD /x HTTP/1.1\r\n\r\n");
        assert!(head.contains("Content-Length: 8\r\n"), "{head}");
        assert!(head.ends_with("\r\n\r\n"), "{head}");
        assert!(head.contains("Connection: close\r\n"), "{head}");
        assert!(
            head.contains("X-Content-Type-Options: nosniff\r\n"),
            "{head}"
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
