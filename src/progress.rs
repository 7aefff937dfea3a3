//! What a long build is doing, for the progress line `build` shows on a terminal: the stage,
//! and pages rendered out of how many. Updated with relaxed atomics from any thread; reading
//! it never slows a build down.

use std::sync::atomic::{AtomicUsize, Ordering};

static STAGE: AtomicUsize = AtomicUsize::new(0);
static ITEMS: AtomicUsize = AtomicUsize::new(0);
static DONE: AtomicUsize = AtomicUsize::new(0);
static TOTAL: AtomicUsize = AtomicUsize::new(0);

const STAGES: [&str; 5] = [
    "reading content",
    "checking items",
    "rendering",
    "writing",
    "resizing images",
];

/// The build has read `items` content files and is checking them.
pub fn loading(items: usize) {
    ITEMS.store(items, Ordering::Relaxed);
    STAGE.store(1, Ordering::Relaxed);
}

/// Rendering starts: `total` pages to go.
pub fn rendering(total: usize) {
    TOTAL.store(total, Ordering::Relaxed);
    DONE.store(0, Ordering::Relaxed);
    STAGE.store(2, Ordering::Relaxed);
}

/// One more page rendered.
pub fn page_done() {
    DONE.fetch_add(1, Ordering::Relaxed);
}

/// The pages are done; the remaining files are being written.
pub fn writing() {
    STAGE.store(3, Ordering::Relaxed);
}

/// Images are being resized: `total` to go ([`page_done`] counts them).
pub fn resizing(total: usize) {
    TOTAL.store(total, Ordering::Relaxed);
    DONE.store(0, Ordering::Relaxed);
    STAGE.store(4, Ordering::Relaxed);
}

/// One line describing where the build is.
pub fn line() -> String {
    let stage = STAGE.load(Ordering::Relaxed).min(STAGES.len() - 1);
    let items = ITEMS.load(Ordering::Relaxed);
    match stage {
        0 => STAGES[0].to_string(),
        1 => format!("{} ({items} files)", STAGES[1]),
        2 => format!(
            "{} items loaded; rendering pages {} / {}",
            items,
            DONE.load(Ordering::Relaxed),
            TOTAL.load(Ordering::Relaxed)
        ),
        3 => format!("{} items loaded; writing files", items),
        _ => format!(
            "{} {} / {}",
            STAGES[4],
            DONE.load(Ordering::Relaxed),
            TOTAL.load(Ordering::Relaxed)
        ),
    }
}
