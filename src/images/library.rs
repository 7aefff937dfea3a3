//! The site's images as its pages use them: each source file looked at once (what it is, its
//! size, a hash of its bytes: nothing decoded), the sizes the templates ask for, and the
//! files those become.
//!
//! A resized file's name holds a hash of its source's bytes, the size and fit asked for and
//! [`ENCODER_VERSION`](super::ENCODER_VERSION): the name is known from the source's header
//! while the pages are rendered, and a file of that name made by an earlier build is the same
//! file. `build` takes such files from its previous output (see `crate::render::PageSink::reuse`)
//! and decodes only sources it has not seen; `serve` makes each on its first request.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use sha2::{Digest, Sha256};

pub use super::Size;
use super::{Fit, Format};

/// The folder of the output that holds resized images.
pub const FOLDER: &str = "resized";

/// One image file of `static/`, as its header and bytes describe it.
#[derive(Debug)]
pub struct Source {
    /// Its site path (`logos/acme.png`).
    pub path: String,
    /// Where it is on disk (`None` for a file of the built-in theme).
    pub disk: Option<PathBuf>,
    pub format: Format,
    /// Its size as shown (after its EXIF orientation); an SVG's from its `width`/`height` or
    /// `viewBox` (rounded), or 0 × 0 when it gives neither.
    pub width: u32,
    pub height: u32,
    /// Whether it may have transparent pixels: then its resized files are PNG, else JPEG.
    pub alpha: bool,
    /// SHA-256 of its bytes, the first 8 bytes as hex.
    hash: String,
    /// An SVG cleaned of scripts and outside references (what the site publishes instead).
    pub cleaned_svg: Option<String>,
    /// An SVG's size as it gives it (not rounded), if it gives one.
    pub svg_size: Option<(f64, f64)>,
    /// What cleaning took out of an SVG, for a warning.
    pub removed: Vec<String>,
    /// Whether that warning was given.
    warned: std::sync::atomic::AtomicBool,
}

impl Source {
    /// What cleaning took out of an SVG, as one line, the first time it is asked for: a logo
    /// that many items show is warned about once.
    pub fn first_warning(&self) -> Option<String> {
        use std::sync::atomic::Ordering;
        if self.removed.is_empty() || self.warned.swap(true, Ordering::Relaxed) {
            return None;
        }
        let mut parts: Vec<&str> = Vec::new();
        for r in &self.removed {
            if !parts.contains(&r.as_str()) {
                parts.push(r);
            }
        }
        Some(parts.join(", "))
    }
}

/// A file made from a source for one size.
#[derive(Debug, Clone)]
pub struct Variant {
    pub source: Arc<Source>,
    pub size: Size,
    pub width: u32,
    pub height: u32,
}

/// A share card (see [`super::card`]) to make: a logo, if there is one, and the words on it.
#[derive(Debug, Clone)]
pub struct CardJob {
    pub logo: Option<Arc<Source>>,
    pub title: String,
    pub site: String,
    pub accent: String,
}

/// A file a page asked for.
#[derive(Debug, Clone)]
pub enum Wanted {
    Resize(Variant),
    Card(CardJob),
}

type Seen = Result<Arc<Source>, String>;

/// The images of one site: see the module's documentation.
#[derive(Debug, Default)]
pub struct Library {
    /// Site path → file on disk, for every static file (`None`: a file of the built-in theme).
    files: BTreeMap<String, Option<PathBuf>>,
    /// The bytes of the built-in theme's files.
    embedded: Option<Embedded>,
    seen: Mutex<HashMap<String, Seen>>,
    /// Output path (`resized/acme.0f3c….112x56.png`) → what it is made from.
    wanted: Mutex<HashMap<String, Wanted>>,
    /// Output paths first asked for since [`Library::take_fresh`] took them.
    fresh: Mutex<Vec<String>>,
    /// Output paths already in the output: taken from the previous build while the pages
    /// were rendered (see [`Library::take_fresh`]).
    placed: Mutex<HashSet<String>>,
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Where the built-in theme's files are: site path → bytes.
pub type Embedded = fn(&str) -> Option<&'static [u8]>;

impl Library {
    pub fn new(files: &BTreeMap<String, Option<PathBuf>>, embedded: Embedded) -> Library {
        Library {
            files: files.clone(),
            embedded: Some(embedded),
            ..Library::default()
        }
    }

    /// The image at site path `path` (a file of `static/`), looked at once: a library lives
    /// for one load of the site (`serve` loads the site again when an image changes). `Err`
    /// says, for a person, why it cannot be published as an image.
    pub fn inspect(&self, path: &str) -> Result<Arc<Source>, String> {
        if let Some(result) = lock(&self.seen).get(path) {
            return result.clone();
        }
        let disk = match self.files.get(path) {
            Some(d) => d.clone(),
            None => return Err(format!("there is no file `static/{path}`")),
        };
        let result = self.look_at(path, disk).map(Arc::new);
        lock(&self.seen).insert(path.to_string(), result.clone());
        result
    }

    fn look_at(&self, path: &str, disk: Option<PathBuf>) -> Result<Source, String> {
        let bytes = self.bytes(path, disk.as_deref())?;
        let format = super::sniff(&bytes)?;
        let hash = hex(&Sha256::digest(&bytes)[..8]);
        let mut source = Source {
            path: path.to_string(),
            disk,
            format,
            width: 0,
            height: 0,
            alpha: false,
            hash,
            cleaned_svg: None,
            svg_size: None,
            removed: Vec::new(),
            warned: Default::default(),
        };
        match format {
            Format::Svg => {
                let cleaned = super::svg::clean(&bytes)?;
                if !cleaned.local.is_empty() {
                    return Err(format!(
                        "the SVG refers to files of the computer it is built on ({}); remove those references, or put the pictures inside the SVG",
                        cleaned
                            .local
                            .iter()
                            .map(|l| format!("`{l}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ));
                }
                if let Some((w, h)) = cleaned.size {
                    source.width = w.round().clamp(1.0, 100_000.0) as u32;
                    source.height = h.round().clamp(1.0, 100_000.0) as u32;
                }
                source.svg_size = cleaned.size;
                source.removed = cleaned.removed;
                source.cleaned_svg = Some(cleaned.svg);
            }
            Format::Png | Format::Jpeg => {
                let header = super::header(&bytes)?;
                super::whole(&bytes, format)?;
                (source.width, source.height, source.alpha) =
                    (header.width, header.height, header.alpha);
            }
        }
        Ok(source)
    }

    /// The file `source` becomes for `size`, with its output path and size; it is made when
    /// the site is written (or, in `serve`, asked for). An SVG is drawn at any size: it
    /// stays itself, cleaned, at its own path.
    pub fn variant(&self, source: &Arc<Source>, size: Size) -> (String, u32, u32) {
        let (w, h) = match (source.width, source.height) {
            (0, _) | (_, 0) => (size.width, size.height),
            (w, h) => super::fitted(w, h, size),
        };
        if source.format == Format::Svg {
            return (source.path.clone(), w, h);
        }
        let mut key = Sha256::new();
        key.update(source.hash.as_bytes());
        // What is made depends on the size it comes out at, not on the box asked for: two
        // boxes that give the same size share one file.
        key.update(format!(
            "{w}x{h} {:?} v{}",
            size.fit,
            super::ENCODER_VERSION
        ));
        let stem = Path::new(&source.path)
            .file_stem()
            .map(|s| slug::slugify(s.to_string_lossy()))
            .unwrap_or_default();
        let stem: String = stem.chars().take(40).collect();
        let ext = match source.alpha {
            true => "png",
            false => "jpg",
        };
        let file = format!(
            "{FOLDER}/{stem}.{}.{w}x{h}.{ext}",
            hex(&key.finalize()[..6])
        );
        self.want(&file, || {
            Wanted::Resize(Variant {
                source: source.clone(),
                size,
                width: w,
                height: h,
            })
        });
        (file, w, h)
    }

    /// The share card of a page (1200 × 630, see [`super::card`]): its output path. Pages
    /// with the same logo and words share one.
    pub fn card(
        &self,
        logo: Option<&Arc<Source>>,
        title: &str,
        site: &str,
        accent: &str,
    ) -> String {
        let mut key = Sha256::new();
        for part in [
            logo.map_or("", |l| l.hash.as_str()),
            title,
            site,
            accent,
            &format!("card v{}", super::ENCODER_VERSION),
        ] {
            key.update(part.as_bytes());
            key.update([0]);
        }
        let file = format!("{FOLDER}/card.{}.png", hex(&key.finalize()[..8]));
        self.want(&file, || {
            Wanted::Card(CardJob {
                logo: logo.cloned(),
                title: title.to_string(),
                site: site.to_string(),
                accent: accent.to_string(),
            })
        });
        file
    }

    /// Notes that the output needs `file`, made as `what` says, unless it was asked for.
    fn want(&self, file: &str, what: impl FnOnce() -> Wanted) {
        let mut wanted = lock(&self.wanted);
        if !wanted.contains_key(file) {
            wanted.insert(file.to_string(), what());
            lock(&self.fresh).push(file.to_string());
        }
    }

    /// Up to `most` of the output paths first asked for since the last call: the renderer
    /// takes them from the previous build as it goes, between pages, so that a site of
    /// thousands of logos does not link them all after the last page.
    pub fn take_fresh(&self, most: usize) -> Vec<String> {
        let mut fresh = lock(&self.fresh);
        let keep = fresh.len().saturating_sub(most);
        fresh.split_off(keep)
    }

    /// Notes that `files` are in the output already.
    pub fn placed(&self, files: impl IntoIterator<Item = String>) {
        lock(&self.placed).extend(files);
    }

    /// The files noted as in the output already, leaving none behind.
    pub fn take_placed(&self) -> HashSet<String> {
        std::mem::take(&mut *lock(&self.placed))
    }

    /// Makes one file that was asked for: its bytes.
    pub fn make(&self, wanted: &Wanted) -> Result<Vec<u8>, String> {
        match wanted {
            Wanted::Resize(v) => Ok(self.make_sizes(&v.source, &[v.size])?.remove(0)),
            Wanted::Card(c) => {
                let raster;
                let logo = match &c.logo {
                    Some(source) if source.format == Format::Svg => Some(super::card::Logo::Svg {
                        text: source.cleaned_svg.as_deref().unwrap_or_default(),
                        size: source.svg_size,
                    }),
                    Some(source) => {
                        raster = self.read(source)?;
                        Some(super::card::Logo::Raster(&raster))
                    }
                    None => None,
                };
                super::card::draw(&super::card::Card {
                    logo,
                    title: &c.title,
                    site: &c.site,
                    accent: &c.accent,
                })
            }
        }
    }

    /// The files a raster `source` becomes for each of `sizes`, decoded once (with no sizes,
    /// only decoded: whether it can be).
    pub fn make_sizes(&self, source: &Source, sizes: &[Size]) -> Result<Vec<Vec<u8>>, String> {
        let image = super::decode(&self.read(source)?)?;
        (sizes.iter())
            .map(|&size| super::resize(&image, size).map(|made| made.bytes))
            .collect()
    }

    /// Whether the static file at site path `path` has been looked at as an image.
    pub fn has_seen(&self, path: &str) -> bool {
        lock(&self.seen).contains_key(path)
    }

    /// Whether the file at output path `file` has been asked for.
    pub fn is_wanted(&self, file: &str) -> bool {
        lock(&self.wanted).contains_key(file)
    }

    /// The files asked for so far, by output path, leaving none behind.
    pub fn take_wanted(&self) -> BTreeMap<String, Wanted> {
        lock(&self.fresh).clear();
        std::mem::take(&mut *lock(&self.wanted))
            .into_iter()
            .collect()
    }

    /// The cleaned text of an SVG that has been looked at, by site path.
    pub fn cleaned_svg(&self, path: &str) -> Option<String> {
        match lock(&self.seen).get(path) {
            Some(Ok(s)) => s.cleaned_svg.clone(),
            _ => None,
        }
    }

    /// The bytes of a source.
    pub fn read(&self, source: &Source) -> Result<Vec<u8>, String> {
        self.bytes(&source.path, source.disk.as_deref())
    }

    /// The bytes of the file at site path `path`: on disk, or of the built-in theme.
    fn bytes(&self, path: &str, disk: Option<&Path>) -> Result<Vec<u8>, String> {
        match disk {
            Some(d) => std::fs::read(d).map_err(|e| format!("cannot read the file ({e})")),
            None => (self.embedded.and_then(|e| e(path)))
                .map(<[u8]>::to_vec)
                .ok_or_else(|| format!("there is no file `{path}`")),
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The box a template asks for: `fit` is `contain` (default) or `cover`.
pub fn size_of(width: u32, height: u32, fit: &str) -> Result<Size, String> {
    let fit = match fit {
        "contain" | "" => Fit::Contain,
        "cover" => Fit::Cover,
        other => {
            return Err(format!("`fit` is `contain` or `cover`, not `{other}`"));
        }
    };
    if width == 0 || height == 0 || width > super::MAX_SIDE || height > super::MAX_SIDE {
        return Err(format!(
            "a size of {width} × {height} pixels cannot be made (1 to {} on a side)",
            super::MAX_SIDE
        ));
    }
    Ok(Size { width, height, fit })
}
