//! Writing the finished site: pages and files go into a staging folder beside the output as
//! they are made, which is swapped in only when everything was written.
//!
//! Guarantees: a failed build leaves the previous output exactly as it was; nothing outside
//! the output folder is written or deleted, except this module's own staging folders beside it
//! (named `.<output>.clusterpress-*`); a folder is replaced only when it is empty or provably
//! the previous build's output, every entry of it written by that build ([`manifest`]); one
//! build at a time writes beside an output (an advisory lock on the folder that holds it).

mod manifest;
mod tally;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

use rayon::prelude::*;

use crate::render::{Output, Rendered};

pub use manifest::MARKER;
use manifest::MARKER_PARTIAL;
pub use tally::{Counts, Tally, check_limits};

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("the output folder `{0}` cannot be the site folder or contain it")]
    ContainsSite(PathBuf),
    #[error(
        "the output folder `{0}` cannot be inside `content/`, `static/`, `templates/` or `themes/`, nor contain them"
    )]
    InsideSources(PathBuf),
    #[error(
        "`{path}` exists and is not a previous clusterpress output ({why}), so it will not be replaced"
    )]
    NotOurs {
        path: PathBuf,
        why: manifest::Refusal,
    },
    #[error("`{0}` exists and is not a folder")]
    NotAFolder(PathBuf),
    #[error("the folder `{0}` that should hold the output does not exist")]
    NoParent(PathBuf),
    #[error("cannot write `{path}`: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A static file that could not be read while it was copied: a problem of that file.
    #[error("cannot read `{path}`: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl OutputError {
    pub fn help(&self) -> &'static str {
        match self {
            OutputError::ContainsSite(_) | OutputError::InsideSources(_) => {
                "choose another folder with `--output`, e.g. `public`"
            }
            OutputError::NotOurs {
                why: manifest::Refusal::Unknown(_),
                ..
            } => {
                "clusterpress replaces only a folder that holds nothing but its last build: move those entries elsewhere, or choose another folder with `--output`"
            }
            OutputError::NotOurs { .. } => {
                "choose a new or empty folder with `--output`, or move the folder away yourself"
            }
            OutputError::NotAFolder(_) => "choose another path with `--output`",
            OutputError::NoParent(_) => {
                "create the parent folder first, or choose another path with `--output`"
            }
            OutputError::Io { .. } => "check the permissions and free space of the output folder",
            OutputError::Read { .. } => {
                "check the file's permissions (it must be readable by the user who runs clusterpress)"
            }
        }
    }

    /// Whether the error is a problem of the site's own files (exit code 1) rather than of
    /// the output folder or the system (exit code 2).
    pub fn is_in_site(&self) -> bool {
        matches!(self, OutputError::Read { .. })
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Makes a path absolute and removes `.` and `..` without touching the file system.
fn absolute(path: &Path) -> PathBuf {
    let base = std::env::current_dir().unwrap_or_default();
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        base.join(path)
    };
    let mut out = PathBuf::new();
    for c in joined.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

/// The real path of `path`, which need not exist yet: its longest existing ancestor with every
/// symbolic link resolved, followed by the rest. `site/linkc/new`, where `linkc` links to
/// `site/content`, is `site/content/new`.
fn real_path(path: &Path) -> PathBuf {
    let path = absolute(path);
    let mut rest = Vec::new();
    let mut at = path.as_path();
    loop {
        if let Ok(real) = std::fs::canonicalize(at) {
            return rest.iter().rev().fold(real, |p, c| p.join(c));
        }
        match (at.parent(), at.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                at = parent;
            }
            _ => return path,
        }
    }
}

/// The folders of a site that hold its sources, as real paths.
const SOURCES: [&str; 4] = ["content", "static", "templates", "themes"];

/// Refuses output folders that would overwrite the site itself: the site folder, a folder
/// that holds it, or a folder inside (or holding) one of its source folders or `more` of
/// them (a theme kept outside the site), whatever symbolic links the paths go through.
pub fn check_output_dir(site: &Path, out: &Path, more: &[PathBuf]) -> Result<(), OutputError> {
    let site = real_path(site);
    let out_real = real_path(out);
    if site.starts_with(&out_real) {
        return Err(OutputError::ContainsSite(out.to_path_buf()));
    }
    let sources = SOURCES
        .iter()
        .map(|s| site.join(s))
        .chain(more.iter().cloned());
    for source in sources {
        // A source folder may itself be a link to a folder elsewhere.
        let source = real_path(&source);
        if out_real.starts_with(&source) || source.starts_with(&out_real) {
            return Err(OutputError::InsideSources(out.to_path_buf()));
        }
    }
    Ok(())
}

/// Writes `rendered` to `out`, replacing what was there only once everything is written.
#[cfg(test)]
pub fn write(rendered: &Rendered, out: &Path) -> Result<Written, OutputError> {
    Staging::begin(out)?.finish(rendered)
}

/// A build being written: pages and files go into a staging folder beside the output folder,
/// which replaces the output folder only when everything is written. Dropped unfinished (the
/// build failed), it removes the staging folder and leaves the output as it was.
#[derive(Debug)]
pub struct Staging {
    out: PathBuf,
    parent: PathBuf,
    name: String,
    dir: PathBuf,
    /// The staging folder, opened once: files are created relative to it.
    handle: Option<DirHandle>,
    /// The output this build replaces, opened once: files kept from it are linked relative
    /// to it.
    out_handle: Option<DirHandle>,
    finished: bool,
    background: bool,
    /// The files written so far, and their sizes.
    tally: Tally,
    /// The paths written so far, for the marker's list.
    paths: Mutex<Vec<String>>,
    /// The first file that could not be written, if any: then the build fails, and not
    /// because of the site's content.
    write_failure: Mutex<Option<String>>,
    /// Things the user should know that do not stop the build (leftovers that could not be
    /// removed).
    notes: Vec<String>,
    /// Whether every entry of the previous output, below its top level, was written by the
    /// build before: being found out while this one runs.
    previous: Option<std::thread::JoinHandle<Result<(), manifest::Refusal>>>,
    /// Held while this build runs: no other build writes beside the same output.
    _lock: FolderLock,
}

/// What a finished build wrote: files, bytes, the largest file.
pub type Written = Counts;

impl Staging {
    /// Checks that `out` may be replaced and creates an empty staging folder beside it.
    #[cfg(test)]
    pub fn begin(out: &Path) -> Result<Staging, OutputError> {
        Staging::open(out, false, &|_| {})
    }

    /// Like `begin`, but output this build replaces (and leftovers of killed builds) is
    /// deleted by a separate process, so that nobody waits for it: on a real disk, deleting a
    /// large old site takes longer than building the new one. `waiting` is called when
    /// another build into the same folder is running and this one waits for it. For the
    /// `build` command.
    pub fn begin_removing_in_background(
        out: &Path,
        waiting: &dyn Fn(&Path),
    ) -> Result<Staging, OutputError> {
        Staging::open(out, true, waiting)
    }

    fn open(out: &Path, background: bool, waiting: &dyn Fn(&Path)) -> Result<Staging, OutputError> {
        let out = absolute(out);
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let parent = out
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("/"));
        if !parent.is_dir() {
            return Err(OutputError::NoParent(parent));
        }
        let watch = crate::timings::Stopwatch::start("output");
        let mut deep_check = None;
        let lock = FolderLock::take(&parent, &|| waiting(&out)).map_err(io(&parent))?;
        if let Ok(meta) = std::fs::symlink_metadata(&out) {
            if !meta.is_dir() {
                return Err(OutputError::NotAFolder(out));
            }
            match manifest::previous(&out) {
                Err(why) => return Err(OutputError::NotOurs { path: out, why }),
                // The folders below the top are looked at while the site is made: the
                // answer is needed only before the swap.
                Ok(Some(previous)) => {
                    deep_check = Some(std::thread::spawn(move || {
                        let watch = crate::timings::Stopwatch::start("previous output");
                        let verdict = previous.check_all();
                        watch.lap("every folder examined");
                        verdict
                    }));
                }
                Ok(None) => {}
            }
        }
        watch.lap("previous output examined (top level)");
        let deep_check_started = deep_check.is_some();
        let dir = parent.join(format!(
            ".{name}.clusterpress-staging-{}",
            std::process::id()
        ));
        let mut staging = Staging {
            out,
            parent,
            name,
            dir,
            handle: None,
            out_handle: None,
            finished: false,
            background,
            tally: Tally::default(),
            paths: Mutex::new(Vec::new()),
            write_failure: Mutex::new(None),
            notes: Vec::new(),
            previous: deep_check,
            _lock: lock,
        };
        staging.remove_stale();
        std::fs::create_dir(&staging.dir).map_err(io(&staging.dir))?;
        let marker = staging.dir.join(MARKER);
        std::fs::write(&marker, manifest::staging_marker()).map_err(io(&marker))?;
        staging.handle = DirHandle::open(&staging.dir).ok();
        if deep_check_started {
            staging.out_handle = DirHandle::open(&staging.out).ok();
        }
        Ok(staging)
    }

    /// The staging folder, where the new output is being written.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The output folder the staging folder will replace.
    pub fn out(&self) -> &Path {
        &self.out
    }

    /// What the user should know about this build's folders (warnings, one line each).
    pub fn notes(&self) -> &[String] {
        &self.notes
    }

    /// The first page or file that could not be written, if one could not: the build has
    /// failed because of the output folder (or the disk), not because of the site.
    pub fn write_failure(&self) -> Option<String> {
        lock(&self.write_failure).clone()
    }

    /// Writes the files of `rendered` and the marker, then swaps the staging folder in.
    /// Returns how many files and bytes the site has.
    #[cfg(test)]
    pub fn finish(self, rendered: &Rendered) -> Result<Written, OutputError> {
        let written = self.write_files(rendered)?;
        self.commit()?;
        Ok(written)
    }

    /// Writes the files of `rendered` (the pages are written already) and the marker.
    /// Returns what the staging folder now holds; nothing replaces the output yet.
    pub fn write_files(&self, rendered: &Rendered) -> Result<Written, OutputError> {
        rendered.files.par_iter().try_for_each(|(file, output)| {
            let path = self.dir.join(file);
            let n = match output {
                Output::Bytes(b) => {
                    write_file(&path, b).map_err(io(&path))?;
                    b.len() as u64
                }
                Output::Embedded(b) => {
                    write_file(&path, b).map_err(io(&path))?;
                    b.len() as u64
                }
                Output::Copy(src) => self.copy_or_keep(src, file, &path)?,
            };
            self.tally.add(file, n);
            Ok::<(), OutputError>(())
        })?;
        let watch = crate::timings::Stopwatch::start("output");
        let mut paths = std::mem::take(&mut *lock(&self.paths));
        paths.extend(rendered.files.keys().cloned());
        // Written beside and renamed over the staging marker, so that a build killed at any
        // moment leaves a marker whole (the staging one or the finished one): a staging folder
        // with a marker cut short could not be told from someone else's folder, and would stay.
        let marker = self.dir.join(MARKER);
        let partial = self.dir.join(MARKER_PARTIAL);
        std::fs::write(&partial, manifest::output_marker(&mut paths)).map_err(io(&partial))?;
        std::fs::rename(&partial, &marker).map_err(io(&marker))?;
        watch.lap("marker written");
        Ok(self.tally.counts())
    }

    /// Copies the static file `src` to `file` of the site, or, when the previous output has
    /// it unchanged (the same size and modification time: copies are given their source's
    /// time, as `rsync` judges), links that one: a site's thousands of logos and documents
    /// are not copied again on every build. Returns its size.
    fn copy_or_keep(&self, src: &Path, file: &str, path: &Path) -> Result<u64, OutputError> {
        let read = |source| OutputError::Read {
            path: src.to_path_buf(),
            source,
        };
        let meta = std::fs::metadata(src).map_err(read)?;
        let modified = meta.modified().ok();
        if let (Some(from), Some(to), Some(modified)) = (&self.out_handle, &self.handle, modified)
            && let Ok(len) = to.link_same(from, file, meta.len(), modified)
        {
            return Ok(len);
        }
        copy_file(src, path, modified)
    }

    /// Puts the staging folder in the output folder's place, once the previous output is
    /// known to hold nothing but what the build before wrote.
    pub fn commit(mut self) -> Result<(), OutputError> {
        if let Some(check) = self.previous.take() {
            let verdict = check
                .join()
                .unwrap_or_else(|_| Err(manifest::Refusal::Unreadable("the check failed".into())));
            if let Err(why) = verdict {
                return Err(OutputError::NotOurs {
                    path: self.out.clone(),
                    why,
                });
            }
        }
        self.swap()?;
        self.finished = true;
        Ok(())
    }

    fn swap(&self) -> Result<(), OutputError> {
        if std::fs::symlink_metadata(&self.out).is_err() {
            return std::fs::rename(&self.dir, &self.out).map_err(io(&self.out));
        }
        // Linux swaps the two folders in one step: whenever the build is killed, the output
        // folder holds either the previous site or the new one, whole.
        #[cfg(target_os = "linux")]
        {
            use rustix::fs::{CWD, RenameFlags, renameat_with};
            if renameat_with(CWD, &self.dir, CWD, &self.out, RenameFlags::EXCHANGE).is_ok() {
                // The staging folder now holds the previous site.
                self.remove(&self.dir);
                return Ok(());
            }
        }
        // Elsewhere (or on a file system that cannot swap), two renames; a build killed
        // between them leaves the previous site set aside, and the next run puts it back
        // (see `remove_stale`).
        let old = self.parent.join(format!(
            ".{}.clusterpress-old-{}",
            self.name,
            std::process::id()
        ));
        std::fs::rename(&self.out, &old).map_err(io(&self.out))?;
        if let Err(e) = std::fs::rename(&self.dir, &self.out) {
            // Put the previous site back before reporting.
            let _ = std::fs::rename(&old, &self.out);
            return Err(OutputError::Io {
                path: self.out.clone(),
                source: e,
            });
        }
        self.remove(&old);
        Ok(())
    }

    /// Removes staging and replaced folders left behind by a build that was killed. A
    /// previous site set aside by a build killed before it put the new one in place goes
    /// back to the output folder instead. Only folders that carry this module's marker are
    /// touched; one that cannot be removed is noted, so that leftovers never pile up unseen.
    fn remove_stale(&mut self) {
        let prefixes = [
            format!(".{}.clusterpress-staging-", self.name),
            format!(".{}.clusterpress-old-", self.name),
        ];
        let Ok(entries) = std::fs::read_dir(&self.parent) else {
            return;
        };
        let mut found: Vec<PathBuf> = entries
            .flatten()
            .filter(|e| {
                let n = e.file_name();
                let n = n.to_string_lossy();
                prefixes.iter().any(|p| n.starts_with(p.as_str()))
            })
            .map(|e| e.path())
            .collect();
        found.sort();
        for path in found {
            let is_old = path
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(prefixes[1].as_str()));
            if is_old
                && std::fs::symlink_metadata(&self.out).is_err()
                && manifest::is_ours(&path)
                && std::fs::rename(&path, &self.out).is_ok()
            {
                continue;
            }
            if let Err(why) = remove_leftover(&path) {
                self.notes.push(format!(
                    "`{}` was left by an earlier build and cannot be removed ({why}); remove it yourself",
                    path.display()
                ));
            }
        }
    }

    fn remove(&self, dir: &Path) {
        if self.background && remove_later(dir) {
            return;
        }
        let _ = remove_tree(dir);
    }
}

impl crate::render::PageSink for Staging {
    fn put(&self, file: &str, html: &[u8]) -> std::io::Result<()> {
        let written = match &self.handle {
            Some(handle) => handle.write(file, html),
            None => write_file(&self.dir.join(file), html),
        };
        if let Err(e) = written {
            lock(&self.write_failure).get_or_insert_with(|| format!("cannot write `{file}`: {e}"));
            return Err(e);
        }
        self.tally.add(file, html.len() as u64);
        lock(&self.paths).push(file.to_string());
        Ok(())
    }

    /// A hard link to the previous output's file of that name (the file's name says what it
    /// holds, see `crate::images::library`): nothing is copied, and the previous output,
    /// which is only read, stays as it was until the swap.
    fn reuse(&self, file: &str) -> bool {
        if let (Some(from), Some(to)) = (&self.out_handle, &self.handle) {
            let Ok(len) = to.link_from(from, file) else {
                return false;
            };
            self.tally.add(file, len);
            lock(&self.paths).push(file.to_string());
            return true;
        }
        let from = self.out.join(file);
        let Ok(meta) = std::fs::symlink_metadata(&from) else {
            return false;
        };
        let to = self.dir.join(file);
        if !meta.is_file() || create_parent(&to).is_err() || std::fs::hard_link(&from, &to).is_err()
        {
            return false;
        }
        self.tally.add(file, meta.len());
        lock(&self.paths).push(file.to_string());
        true
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.finished
            && let Err(e) = remove_tree(&self.dir)
        {
            // The next build tries again and says so if it cannot either.
            eprintln!(
                "warning: the staging folder `{}` could not be removed: {e}",
                self.dir.display()
            );
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Copies a static file into the output, giving the copy the modification time `modified`
/// if known. A file that cannot be read is the site's problem, one that cannot be written
/// the output folder's.
fn copy_file(src: &Path, to: &Path, modified: Option<SystemTime>) -> Result<u64, OutputError> {
    let mut from = std::fs::File::open(src).map_err(|source| OutputError::Read {
        path: src.to_path_buf(),
        source,
    })?;
    let mut into = match std::fs::File::create(to) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            create_parent(to).map_err(io(to))?;
            std::fs::File::create(to)
        }
        other => other,
    }
    .map_err(io(to))?;
    let len = std::io::copy(&mut from, &mut into).map_err(io(to))?;
    if let Some(modified) = modified {
        into.set_modified(modified).map_err(io(to))?;
    }
    Ok(len)
}

/// An exclusive advisory lock on a folder. On the folder that holds the output (and its
/// staging folders) it makes two builds into one output take turns instead of removing each
/// other's staging folders; on a folder being deleted it tells others to leave it alone.
/// The kernel releases it when the process ends, however it ends, and nothing is written
/// for it.
#[derive(Debug)]
struct FolderLock {
    /// Open for as long as the lock is held.
    #[cfg(unix)]
    _fd: rustix::fd::OwnedFd,
}

impl FolderLock {
    /// Takes the lock; `None` if another process holds it.
    fn try_take(dir: &Path) -> std::io::Result<Option<FolderLock>> {
        FolderLock::lock(dir, None)
    }

    /// Takes the lock, waiting for it if another process holds it (after calling `waiting`).
    fn take(dir: &Path, waiting: &dyn Fn()) -> std::io::Result<FolderLock> {
        FolderLock::lock(dir, Some(waiting))?
            .ok_or_else(|| std::io::Error::other("the lock was not taken"))
    }

    #[cfg(unix)]
    fn lock(dir: &Path, waiting: Option<&dyn Fn()>) -> std::io::Result<Option<FolderLock>> {
        use rustix::fs::{FlockOperation, Mode, OFlags, flock};
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
        let fd = rustix::fs::open(dir, flags, Mode::empty())?;
        if flock(&fd, FlockOperation::NonBlockingLockExclusive).is_err() {
            let Some(waiting) = waiting else {
                return Ok(None);
            };
            waiting();
            flock(&fd, FlockOperation::LockExclusive)?;
        }
        Ok(Some(FolderLock { _fd: fd }))
    }

    #[cfg(not(unix))]
    fn lock(_dir: &Path, _waiting: Option<&dyn Fn()>) -> std::io::Result<Option<FolderLock>> {
        Ok(Some(FolderLock {}))
    }
}

/// Removes a folder left by an earlier build, if it is one: it carries a marker, and no
/// other process (a background remover) holds it. Returns why it could not be removed.
fn remove_leftover(dir: &Path) -> Result<(), String> {
    if !manifest::is_ours(dir) && !manifest::is_bare(dir) {
        return Err("it is not one clusterpress made".into());
    }
    match FolderLock::try_take(dir) {
        Ok(None) => Ok(()), // being removed by another process right now
        _ => remove_tree(dir).map_err(|e| e.to_string()),
    }
}

/// Removes a folder of clusterpress's own making. Folders made read-only inside it (by hand,
/// or by a static folder copied with its permissions) are made writable first, since a
/// read-only folder cannot be emptied.
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    match remove_marker_last(dir) {
        Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => {
            make_writable(dir);
            remove_marker_last(dir)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        other => other,
    }
}

/// Removes everything in `dir` but its marker, then the marker and the folder: a removal
/// killed halfway leaves a folder that still says whose it is (or an empty one), so that the
/// next build can finish it.
fn remove_marker_last(dir: &Path) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_name() == MARKER {
            continue;
        }
        let path = entry.path();
        match entry.file_type()?.is_dir() {
            true => std::fs::remove_dir_all(&path)?,
            false => std::fs::remove_file(&path)?,
        }
    }
    std::fs::remove_dir_all(dir)
}

#[cfg(unix)]
fn make_writable(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
        if entry.file_type().is_dir() {
            let mode = entry.metadata().map_or(0o700, |m| m.permissions().mode());
            let _ = std::fs::set_permissions(
                entry.path(),
                std::fs::Permissions::from_mode(mode | 0o700),
            );
        }
    }
}

#[cfg(not(unix))]
fn make_writable(_dir: &Path) {}

/// An open folder in which files are created by paths relative to it, so that writing tens
/// of thousands of pages does not make the kernel walk the full path of each (`openat`).
#[cfg(unix)]
#[derive(Debug)]
struct DirHandle(rustix::fd::OwnedFd);

#[cfg(unix)]
impl DirHandle {
    fn open(dir: &Path) -> std::io::Result<DirHandle> {
        use rustix::fs::{Mode, OFlags};
        let flags = OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC;
        Ok(DirHandle(rustix::fs::open(dir, flags, Mode::empty())?))
    }

    /// Writes `file` (a relative path with `/`), creating its folders as needed.
    fn write(&self, file: &str, bytes: &[u8]) -> std::io::Result<()> {
        use std::io::Write;
        let parent = file.rsplit_once('/').map(|(p, _)| p);
        // A page is `<path>/index.html` in a folder of its own that does not exist yet.
        if let (Some(parent), true) = (parent, file.ends_with("/index.html")) {
            self.make_dir(parent)?;
        }
        let mut f = match self.create(file) {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && parent.is_some() => {
                self.make_dir(parent.unwrap_or_default())?;
                self.create(file)?
            }
            other => other?,
        };
        f.write_all(bytes)
    }

    /// Links `file` of the folder `from` under the same name here (creating its folders as
    /// needed), if it is a regular file there; returns its size.
    fn link_from(&self, from: &DirHandle, file: &str) -> std::io::Result<u64> {
        self.link_if(from, file, |_| true)
    }

    /// Links `file` of the folder `from` here, like [`Self::link_from`], only if it has
    /// `len` bytes and was last modified at `modified`; returns its size.
    fn link_same(
        &self,
        from: &DirHandle,
        file: &str,
        len: u64,
        modified: SystemTime,
    ) -> std::io::Result<u64> {
        let since = modified
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_err(|_| std::io::ErrorKind::InvalidInput)?;
        self.link_if(from, file, |stat| {
            stat.st_size as u64 == len
                && stat.st_mtime as u64 == since.as_secs()
                && stat.st_mtime_nsec as u32 == since.subsec_nanos()
        })
    }

    /// Links `file` of the folder `from` under the same name here, creating its folders, if
    /// it is a regular file there that `accept` takes; returns its size.
    fn link_if(
        &self,
        from: &DirHandle,
        file: &str,
        accept: impl FnOnce(&rustix::fs::Stat) -> bool,
    ) -> std::io::Result<u64> {
        use rustix::fs::{AtFlags, FileType};
        let stat = rustix::fs::statat(&from.0, file, AtFlags::SYMLINK_NOFOLLOW)?;
        if FileType::from_raw_mode(stat.st_mode) != FileType::RegularFile || !accept(&stat) {
            return Err(std::io::ErrorKind::InvalidInput.into());
        }
        let link = || rustix::fs::linkat(&from.0, file, &self.0, file, AtFlags::empty());
        match link() {
            Err(rustix::io::Errno::NOENT) if file.contains('/') => {
                self.make_dir(file.rsplit_once('/').map_or("", |(p, _)| p))?;
                link()?;
            }
            other => other?,
        }
        Ok(stat.st_size as u64)
    }

    /// Permissions as the standard library gives them (0o666, 0o777), less the umask.
    fn create(&self, file: &str) -> std::io::Result<std::fs::File> {
        use rustix::fs::{Mode, OFlags};
        let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::TRUNC | OFlags::CLOEXEC;
        let fd = rustix::fs::openat(&self.0, file, flags, Mode::from_raw_mode(0o666))?;
        Ok(std::fs::File::from(fd))
    }

    /// Creates the folder `dir` and any missing folders above it; one that exists is fine.
    fn make_dir(&self, dir: &str) -> std::io::Result<()> {
        let mode = rustix::fs::Mode::from_raw_mode(0o777);
        match rustix::fs::mkdirat(&self.0, dir, mode) {
            Ok(()) => Ok(()),
            Err(rustix::io::Errno::EXIST) => Ok(()),
            Err(rustix::io::Errno::NOENT) => {
                if let Some((above, _)) = dir.rsplit_once('/') {
                    self.make_dir(above)?;
                }
                match rustix::fs::mkdirat(&self.0, dir, mode) {
                    Ok(()) | Err(rustix::io::Errno::EXIST) => Ok(()),
                    Err(e) => Err(e.into()),
                }
            }
            Err(e) => Err(e.into()),
        }
    }
}

/// Elsewhere, files are written by full path.
#[cfg(not(unix))]
#[derive(Debug)]
struct DirHandle;

#[cfg(not(unix))]
impl DirHandle {
    fn open(_dir: &Path) -> std::io::Result<DirHandle> {
        Err(std::io::ErrorKind::Unsupported.into())
    }

    fn write(&self, _file: &str, _bytes: &[u8]) -> std::io::Result<()> {
        Err(std::io::ErrorKind::Unsupported.into())
    }

    fn link_from(&self, _from: &DirHandle, _file: &str) -> std::io::Result<u64> {
        Err(std::io::ErrorKind::Unsupported.into())
    }

    fn link_same(
        &self,
        _from: &DirHandle,
        _file: &str,
        _len: u64,
        _modified: SystemTime,
    ) -> std::io::Result<u64> {
        Err(std::io::ErrorKind::Unsupported.into())
    }
}

/// Writes a file, creating its folder when it does not exist yet.
fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    match std::fs::write(path, bytes) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            create_parent(path)?;
            std::fs::write(path, bytes)
        }
        other => other,
    }
}

fn create_parent(path: &Path) -> std::io::Result<()> {
    match path.parent() {
        Some(p) => std::fs::create_dir_all(p),
        None => Ok(()),
    }
}

/// The hidden command that deletes a replaced output folder after the build has ended.
pub const REMOVE_COMMAND: &str = "__remove-replaced-output";

/// Starts a detached `clusterpress __remove-replaced-output DIR`; false if it cannot start.
fn remove_later(dir: &Path) -> bool {
    let Ok(exe) = std::env::current_exe() else {
        return false;
    };
    std::process::Command::new(exe)
        .arg(REMOVE_COMMAND)
        .arg(dir)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .is_ok()
}

/// Deletes `dir` if, and only if, it is a folder this module set aside (a staging or a
/// replaced output folder, by its name and its marker): the hidden command must never become
/// a general `rm -rf`. It holds the folder's lock while it works, so that a build starting
/// meanwhile leaves the folder to it.
pub fn remove_replaced(dir: &Path) -> bool {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let named = name.starts_with('.')
        && (name.contains(".clusterpress-old-") || name.contains(".clusterpress-staging-"));
    if !named {
        return false;
    }
    let Ok(_held) = FolderLock::take(dir, &|| {}) else {
        return false;
    };
    manifest::is_ours(dir) && remove_tree(dir).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_and_files_are_written_into_new_and_existing_folders() {
        use crate::render::PageSink;
        let parent = tempfile::tempdir().unwrap();
        let out = parent.path().join("public");
        let staging = Staging::begin(&out).unwrap();
        staging.put("index.html", b"home").unwrap();
        staging.put("members/acme/index.html", b"acme").unwrap();
        staging.put("members/acme/acme.vcf", b"card").unwrap();
        staging.put("a/b/c/data.json", b"{}").unwrap();
        staging.put("a/b/index.html", b"b").unwrap();
        staging.put("a/b/index.html", b"b again").unwrap();
        let written = staging.finish(&Rendered::default()).unwrap();
        assert_eq!(written.files, 6);
        let read = |p: &str| std::fs::read_to_string(out.join(p)).unwrap();
        assert_eq!(read("members/acme/index.html"), "acme");
        assert_eq!(read("members/acme/acme.vcf"), "card");
        assert_eq!(read("a/b/c/data.json"), "{}");
        assert_eq!(read("a/b/index.html"), "b again");
    }

    #[test]
    fn output_may_not_hold_or_sit_inside_the_site() {
        let site = tempfile::tempdir().unwrap();
        let s = site.path();
        assert!(matches!(
            check_output_dir(s, s, &[]),
            Err(OutputError::ContainsSite(_))
        ));
        assert!(matches!(
            check_output_dir(s, s.parent().unwrap(), &[]),
            Err(OutputError::ContainsSite(_))
        ));
        assert!(matches!(
            check_output_dir(s, &s.join("content"), &[]),
            Err(OutputError::InsideSources(_))
        ));
        assert!(matches!(
            check_output_dir(s, &s.join("static/x"), &[]),
            Err(OutputError::InsideSources(_))
        ));
        assert!(check_output_dir(s, &s.join("public"), &[]).is_ok());
        let theme = tempfile::tempdir().unwrap();
        assert!(matches!(
            check_output_dir(
                s,
                &theme.path().join("public"),
                &[theme.path().to_path_buf()]
            ),
            Err(OutputError::InsideSources(_))
        ));
    }

    #[test]
    fn a_folder_not_made_by_clusterpress_is_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("docs");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("thesis.txt"), "precious").unwrap();
        let err = write(&Rendered::default(), &out).unwrap_err();
        assert!(matches!(err, OutputError::NotOurs { .. }));
        assert_eq!(
            std::fs::read_to_string(out.join("thesis.txt")).unwrap(),
            "precious"
        );
    }

    #[test]
    fn write_replaces_previous_output_and_leaves_no_staging_behind() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let mut r = Rendered::default();
        r.files
            .insert("a/index.html".into(), Output::Bytes(b"one".to_vec()));
        write(&r, &out).unwrap();
        let mut r2 = Rendered::default();
        r2.files
            .insert("b.txt".into(), Output::Bytes(b"two".to_vec()));
        write(&r2, &out).unwrap();
        assert!(!out.join("a").exists());
        assert_eq!(std::fs::read_to_string(out.join("b.txt")).unwrap(), "two");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("public")]);
    }

    #[test]
    fn only_set_aside_folders_are_removed_by_the_hidden_command() {
        let dir = tempfile::tempdir().unwrap();
        let keep = dir.path().join("public");
        std::fs::create_dir(&keep).unwrap();
        assert!(!remove_replaced(&keep));
        assert!(keep.exists());
        // The right name is not enough: the folder must carry a marker.
        let old = dir.path().join(".public.clusterpress-old-42");
        std::fs::create_dir_all(old.join("a/b")).unwrap();
        std::fs::write(old.join("a/b/mine.txt"), "mine").unwrap();
        assert!(!remove_replaced(&old));
        assert!(old.join("a/b/mine.txt").exists());
        let mut listed = vec!["a/b/mine.txt".to_string()];
        std::fs::write(old.join(MARKER), manifest::output_marker(&mut listed)).unwrap();
        assert!(remove_replaced(&old));
        assert!(!old.exists());
    }

    #[test]
    fn a_staging_folder_killed_before_its_marker_was_whole_is_removed_but_not_one_with_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let empty = dir.path().join(".public.clusterpress-staging-41");
        std::fs::create_dir(&empty).unwrap();
        let cut = dir.path().join(".public.clusterpress-staging-42");
        std::fs::create_dir(&cut).unwrap();
        let marker = manifest::staging_marker();
        std::fs::write(cut.join(MARKER), &marker[..20]).unwrap();
        let foreign = dir.path().join(".public.clusterpress-staging-43");
        std::fs::create_dir(&foreign).unwrap();
        std::fs::write(foreign.join("thesis.txt"), "precious").unwrap();
        let staging = Staging::begin(&out).unwrap();
        assert!(!empty.exists());
        assert!(!cut.exists());
        assert!(foreign.join("thesis.txt").exists());
        assert_eq!(staging.notes().len(), 1, "{:?}", staging.notes());
    }

    #[test]
    fn a_staging_folder_killed_while_its_finished_marker_was_written_is_removed() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let mut listed = vec!["a/index.html".to_string(), "b.txt".to_string()];
        let finished = manifest::output_marker(&mut listed);
        // The moments of `write_files`: pages beside the staging marker; then the finished
        // marker partly written beside it; then renamed over it.
        let moments: [&[(&str, &str)]; 3] = [
            &[(MARKER, &manifest::staging_marker())],
            &[
                (MARKER, &manifest::staging_marker()),
                (MARKER_PARTIAL, &finished[..finished.len() / 2]),
            ],
            &[(MARKER, &finished)],
        ];
        let mut left = Vec::new();
        for (n, files) in moments.iter().enumerate() {
            let killed = dir.path().join(format!(".public.clusterpress-staging-{n}"));
            std::fs::create_dir_all(killed.join("a")).unwrap();
            std::fs::write(killed.join("a/index.html"), "page").unwrap();
            std::fs::write(killed.join("b.txt"), "file").unwrap();
            for (name, text) in *files {
                std::fs::write(killed.join(name), text).unwrap();
            }
            left.push(killed);
        }
        let staging = Staging::begin(&out).unwrap();
        for killed in &left {
            assert!(!killed.exists(), "{} stayed", killed.display());
        }
        assert!(staging.notes().is_empty(), "{:?}", staging.notes());

        // And a finished build leaves its marker whole, with nothing beside it.
        let mut rendered = Rendered::default();
        rendered
            .files
            .insert("b.txt".into(), Output::Bytes(b"two".to_vec()));
        staging.finish(&rendered).unwrap();
        assert!(!out.join(MARKER_PARTIAL).exists());
        assert!(manifest::is_ours(&out));
    }
}
