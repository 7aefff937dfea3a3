//! What `serve` serves: the site's files, kept in memory, and the browsers that listen for
//! changes. The rebuild loop writes here; the HTTP workers only read.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock, RwLock};

use tokio::sync::mpsc::{UnboundedReceiver, UnboundedSender, unbounded_channel};

use crate::content::boundary::Boundary;
use crate::images::library::{Library, Wanted};
use crate::render::{Output, PageSink};

/// One file of the served site.
#[derive(Debug, Clone)]
pub enum Body {
    /// Rendered in memory.
    Bytes(Arc<[u8]>),
    /// A static file, read from disk when asked for, so that editing it needs no rebuild.
    Disk(PathBuf),
    /// A static file of the built-in theme.
    Embedded(&'static [u8]),
    /// A resized image, made on its first request (see `crate::images::library`).
    Resized(Arc<Resized>),
}

/// A resized image of the served site: made when first asked for, then kept.
#[derive(Debug)]
pub struct Resized {
    library: Arc<Library>,
    wanted: Wanted,
    made: OnceLock<Option<Arc<[u8]>>>,
}

impl Resized {
    pub fn new(library: Arc<Library>, wanted: Wanted) -> Resized {
        Resized {
            library,
            wanted,
            made: OnceLock::new(),
        }
    }

    fn bytes(&self) -> Option<Arc<[u8]>> {
        self.made
            .get_or_init(|| self.library.make(&self.wanted).ok().map(Into::into))
            .clone()
    }
}

impl From<Output> for Body {
    fn from(o: Output) -> Body {
        match o {
            Output::Bytes(b) => Body::Bytes(b.into()),
            Output::Copy(p) => Body::Disk(p),
            Output::Embedded(b) => Body::Embedded(b),
        }
    }
}

/// What the browsers are told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// These pages changed (site paths such as `/members/acme/`); none means every page.
    Reload(Vec<String>),
    /// Only stylesheets changed: swap them without reloading.
    Css,
    /// The last rebuild failed: show these problems over the page.
    Errors(String),
    /// The problems are fixed.
    Clear,
}

impl Event {
    /// The event as Server-Sent Events text.
    pub fn to_sse(&self) -> String {
        let (name, data) = match self {
            Event::Reload(paths) => ("reload", serde_json::to_string(paths).unwrap_or_default()),
            Event::Css => ("css", "{}".to_string()),
            Event::Errors(text) => ("errors", serde_json::to_string(text).unwrap_or_default()),
            Event::Clear => ("clear", "{}".to_string()),
        };
        // JSON has no raw line breaks, so one `data:` line carries it whole.
        format!("event: {name}\ndata: {data}\n\n")
    }
}

#[derive(Default)]
struct Live {
    /// Each listening browser's stream, as Server-Sent Events text.
    clients: Vec<UnboundedSender<String>>,
    /// The problems of the last rebuild, shown to browsers that connect while they last.
    errors: Option<String>,
}

/// The served site and its listeners.
#[derive(Default)]
pub struct Store {
    files: RwLock<HashMap<String, Body>>,
    live: Mutex<Live>,
    /// Where static files read from disk may really be (issue 17: a link in `static/`
    /// changed to point at `/etc/shadow` after the build must not be served).
    boundary: RwLock<Option<Boundary>>,
}

impl Store {
    /// Static files are read only from inside `boundary`.
    pub fn confine(&self, boundary: Boundary) {
        if let Ok(mut b) = self.boundary.write() {
            *b = Some(boundary);
        }
    }

    /// The bytes of a file of the served site: a static file is read from disk, if it is
    /// still where it may be.
    pub fn read(&self, body: Body) -> Option<Vec<u8>> {
        match body {
            Body::Bytes(b) => Some(b.to_vec()),
            Body::Embedded(b) => Some(b.to_vec()),
            Body::Resized(r) => r.bytes().map(|b| b.to_vec()),
            Body::Disk(path) => {
                let inside = self
                    .boundary
                    .read()
                    .ok()?
                    .as_ref()
                    .is_some_and(|b| b.contains(&path));
                if !inside {
                    return None;
                }
                std::fs::read(path).ok()
            }
        }
    }

    /// The file at output path `key` (`members/acme/index.html`).
    pub fn get(&self, key: &str) -> Option<Body> {
        self.files.read().ok()?.get(key).cloned()
    }

    pub fn contains(&self, key: &str) -> bool {
        self.files.read().is_ok_and(|f| f.contains_key(key))
    }

    /// Every output path, for the link checker.
    pub fn keys(&self) -> Vec<String> {
        self.files
            .read()
            .map(|f| f.keys().cloned().collect())
            .unwrap_or_default()
    }

    pub fn len(&self) -> usize {
        self.files.read().map(|f| f.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Replaces the whole site at once: no request sees half of one build and half of another.
    pub fn replace_all(&self, files: HashMap<String, Body>) {
        if let Ok(mut f) = self.files.write() {
            *f = files;
        }
    }

    /// Puts in the resized images the pages rendered since the last call asked for; each
    /// is made when first requested. One already there (same name, same file) is kept.
    pub fn add_resized(&self, library: &Arc<Library>) {
        let wanted = library.take_wanted();
        if let Ok(mut f) = self.files.write() {
            for (file, w) in wanted {
                f.entry(file)
                    .or_insert_with(|| Body::Resized(Arc::new(Resized::new(library.clone(), w))));
            }
        }
    }

    /// Puts changed files in, all at once.
    pub fn update(&self, files: impl IntoIterator<Item = (String, Body)>) {
        if let Ok(mut f) = self.files.write() {
            f.extend(files);
        }
    }

    /// A new listener, unless `limit` browsers listen already: the events to come, as
    /// Server-Sent Events text, and the problems it should be shown at once, if any.
    pub fn subscribe(&self, limit: usize) -> Option<(UnboundedReceiver<String>, Option<String>)> {
        let mut live = self.live.lock().unwrap_or_else(|e| e.into_inner());
        // A browser that went away dropped its end of the channel.
        live.clients.retain(|c| !c.is_closed());
        if live.clients.len() >= limit {
            return None;
        }
        let (tx, rx) = unbounded_channel();
        live.clients.push(tx);
        Some((rx, live.errors.clone()))
    }

    /// Tells every listener; remembers problems for those that connect later.
    pub fn broadcast(&self, event: Event) {
        let mut live = self.live.lock().unwrap_or_else(|e| e.into_inner());
        match &event {
            Event::Errors(text) => live.errors = Some(text.clone()),
            Event::Clear => live.errors = None,
            _ => {}
        }
        let text = event.to_sse();
        live.clients.retain(|c| c.send(text.clone()).is_ok());
    }

    /// Whether browsers are being shown problems.
    pub fn has_errors(&self) -> bool {
        self.live.lock().is_ok_and(|l| l.errors.is_some())
    }
}

/// Collects rendered pages in memory, from many threads.
#[derive(Default)]
pub struct MemorySink {
    files: Mutex<Vec<(String, Body)>>,
}

impl MemorySink {
    pub fn into_files(self) -> Vec<(String, Body)> {
        self.files.into_inner().unwrap_or_else(|e| e.into_inner())
    }
}

impl PageSink for MemorySink {
    fn put(&self, file: &str, bytes: &[u8]) -> std::io::Result<()> {
        let body = Body::Bytes(bytes.into());
        self.files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((file.to_string(), body));
        Ok(())
    }
}
