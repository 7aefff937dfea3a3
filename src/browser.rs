//! Finding the Chromium or Chrome that prints brochures to PDF.
//!
//! A leaf of its own: whether a run prints PDFs is decided while the site loads (no browser
//! means a warning, and pages without links to PDFs), long before `pdf` drives the browser.

use std::path::{Path, PathBuf};

/// The browsers looked for on `PATH`, in this order.
const NAMES: &[&str] = &[
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
    "microsoft-edge",
];

/// Where macOS and Windows keep Chrome when it is not on `PATH`.
const PLACES: &[&str] = &[
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    "C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe",
    "C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe",
];

/// The browser to print with: `explicit` (`--chrome PATH`), else the first one found.
pub fn find_chrome(explicit: Option<&Path>) -> Result<PathBuf, String> {
    if let Some(path) = explicit {
        return match path.is_file() {
            true => Ok(path.to_path_buf()),
            false => Err(format!("--chrome `{}` is not a file", path.display())),
        };
    }
    let on_path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .unwrap_or_default();
    for name in NAMES {
        for dir in &on_path {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return Ok(candidate);
            }
        }
    }
    PLACES
        .iter()
        .map(PathBuf::from)
        .find(|p| p.is_file())
        .ok_or_else(|| {
            "no Chromium or Chrome was found (looked for chromium, google-chrome and chrome on PATH)"
                .to_string()
        })
}
