//! Watching the site's files with notify, and turning bursts of file events into one batch of
//! changes: editors save in several steps (a temporary file, a rename, a metadata change), and
//! one save must make one rebuild.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::time::{Duration, Instant};

use notify::{EventKind, RecommendedWatcher, RecursiveMode, Watcher};

use crate::config::CONFIG_FILE;

/// One changed file, by what it is to the site. Paths are relative to the site folder.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    Config,
    Content(PathBuf),
    Template(PathBuf),
    Static(PathBuf),
}

/// What the serving loop waits for.
#[derive(Debug)]
pub enum Signal {
    /// A burst of changes, sorted, without repeats.
    Changes(Vec<Change>),
    /// Ctrl-C.
    Stop,
}

/// Quiet time that ends a burst of events.
const QUIET: Duration = Duration::from_millis(30);
/// A burst longer than this (a `git checkout`) is handled in parts.
const LONGEST: Duration = Duration::from_millis(500);

/// The folders of a site that are watched, with everything in them.
const WATCHED: [&str; 5] = ["content", "templates", "static", "themes", "i18n"];

/// Watches `site` (its configuration, content, templates, static files and themes) and sends
/// each burst of changes as one sorted batch, for as long as the process runs.
pub fn watch(site: &Path, batches: Sender<Signal>) -> notify::Result<()> {
    let root = site.canonicalize().unwrap_or_else(|_| site.to_path_buf());
    let (tx, rx) = channel::<notify::Result<notify::Event>>();
    let mut watcher = notify::recommended_watcher(tx)?;
    // The folder itself without recursion (for cluster.yaml, which editors often replace by
    // renaming, and for watched folders made later), and the folders that matter with it;
    // not the output, which holds thousands of folders and is none of the preview's concern.
    watcher.watch(&root, RecursiveMode::NonRecursive)?;
    for dir in WATCHED {
        let dir = root.join(dir);
        if dir.is_dir() {
            watcher.watch(&dir, RecursiveMode::Recursive)?;
        }
    }
    std::thread::spawn(move || debounce(&root, watcher, rx, batches));
    Ok(())
}

fn debounce(
    root: &Path,
    mut watcher: RecommendedWatcher,
    rx: Receiver<notify::Result<notify::Event>>,
    out: Sender<Signal>,
) {
    loop {
        let Ok(first) = rx.recv() else { return };
        let started = Instant::now();
        let mut changes = BTreeSet::new();
        let mut collect = |event: notify::Result<notify::Event>, changes: &mut BTreeSet<Change>| {
            // A watched folder made after the start (the first template of a site) is
            // watched from now on.
            if let Ok(
                e @ notify::Event {
                    kind: EventKind::Create(_),
                    ..
                },
            ) = &event
            {
                for path in &e.paths {
                    let top = path.parent() == Some(root)
                        && WATCHED
                            .iter()
                            .any(|w| path.file_name().is_some_and(|n| n == *w));
                    if top && path.is_dir() {
                        let _ = watcher.watch(path, RecursiveMode::Recursive);
                    }
                }
            }
            collect(root, event, changes);
        };
        collect(first, &mut changes);
        loop {
            match rx.recv_timeout(QUIET) {
                Ok(event) => collect(event, &mut changes),
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
            if started.elapsed() > LONGEST {
                break;
            }
        }
        let batch = Signal::Changes(changes.into_iter().collect());
        if !matches!(&batch, Signal::Changes(c) if c.is_empty()) && out.send(batch).is_err() {
            return;
        }
    }
}

fn collect(root: &Path, event: notify::Result<notify::Event>, changes: &mut BTreeSet<Change>) {
    let Ok(event) = event else { return };
    if matches!(event.kind, EventKind::Access(_)) {
        return;
    }
    for path in &event.paths {
        if let Some(change) = classify(root, path) {
            changes.insert(change);
        }
    }
}

/// What a changed file is to the site, or `None` for files that do not matter: editors'
/// temporary and backup files, hidden files, anything outside the watched parts.
pub fn classify(root: &Path, path: &Path) -> Option<Change> {
    let rel = path.strip_prefix(root).ok()?;
    let name = rel.file_name()?.to_string_lossy();
    let hidden = rel
        .components()
        .any(|c| c.as_os_str().to_string_lossy().starts_with('.'));
    let scratch = name.ends_with('~')
        || [".swp", ".swx", ".tmp", ".bak", ".crswap"]
            .iter()
            .any(|s| name.ends_with(s))
        || name == "4913"; // vim's test of whether it may write the folder
    if hidden || scratch {
        return None;
    }
    let mut parts = rel.components().map(|c| c.as_os_str().to_string_lossy());
    let first = parts.next()?;
    let rel = rel.to_path_buf();
    match first.as_ref() {
        CONFIG_FILE if rel.components().count() == 1 => Some(Change::Config),
        // A YAML file beside it: the vocabulary `cluster.yaml` may name.
        _ if rel.components().count() == 1
            && (name.ends_with(".yaml") || name.ends_with(".yml")) =>
        {
            Some(Change::Config)
        }
        // The site's own words for the theme (`i18n/de.yaml`), read with the configuration.
        "i18n" if name.ends_with(".yaml") => Some(Change::Config),
        "content" => Some(Change::Content(rel)),
        "templates" => Some(Change::Template(rel)),
        "static" => Some(Change::Static(rel)),
        "themes" => {
            let _theme = parts.next()?;
            match parts.next()?.as_ref() {
                "templates" => Some(Change::Template(rel)),
                "static" => Some(Change::Static(rel)),
                _ => None,
            }
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_classified_by_where_they_are_and_scratch_files_ignored() {
        let root = Path::new("/site");
        let c = |p: &str| classify(root, Path::new(p));
        assert_eq!(c("/site/cluster.yaml"), Some(Change::Config));
        assert_eq!(c("/site/vocabulary.yaml"), Some(Change::Config));
        assert_eq!(c("/site/i18n/de.yaml"), Some(Change::Config));
        assert_eq!(c("/site/i18n/notes.txt"), None);
        assert_eq!(
            c("/site/content/members/acme.md"),
            Some(Change::Content("content/members/acme.md".into()))
        );
        assert_eq!(
            c("/site/templates/member.html"),
            Some(Change::Template("templates/member.html".into()))
        );
        assert_eq!(
            c("/site/themes/blue/static/style.css"),
            Some(Change::Static("themes/blue/static/style.css".into()))
        );
        assert_eq!(
            c("/site/themes/blue/templates/base.html"),
            Some(Change::Template("themes/blue/templates/base.html".into()))
        );
        for ignored in [
            "/site/content/members/.acme.md.swp",
            "/site/content/members/acme.md~",
            "/site/content/.git/index",
            "/site/content/members/4913",
            "/site/public/index.html",
            "/site/notes.txt",
            "/site/themes/blue/README.md",
            "/elsewhere/cluster.yaml",
        ] {
            assert_eq!(c(ignored), None, "{ignored}");
        }
    }
}
