//! Writing the finished site: pages and files go into a staging folder beside the output as
//! they are made, which is swapped in only when everything was written.
//!
//! Guarantees: a failed build leaves the previous output exactly as it was; nothing outside
//! the output folder is written or deleted, except this module's own staging folders beside it
//! (named `.<output>.clusterpress-*`); a folder that clusterpress did not make is never replaced.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::hosting::{Counts, Tally};

use crate::render::{Output, Rendered};

/// The file that marks a folder as made by clusterpress, so that it may be replaced.
pub const MARKER: &str = ".clusterpress";

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("the output folder `{0}` cannot be the site folder or contain it")]
    ContainsSite(PathBuf),
    #[error(
        "the output folder `{0}` cannot be inside `content/`, `static/`, `templates/` or `themes/`"
    )]
    InsideSources(PathBuf),
    #[error(
        "`{0}` exists and was not made by clusterpress (it has no `{MARKER}` file), so it will not be replaced"
    )]
    NotOurs(PathBuf),
    #[error("`{0}` exists and is not a folder")]
    NotAFolder(PathBuf),
    #[error("the folder `{0}` that should hold the output does not exist")]
    NoParent(PathBuf),
    #[error("cannot write `{path}`: {source}")]
    Io {
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
            OutputError::NotOurs(_) => {
                "choose a new or empty folder with `--output`, or move the folder away yourself"
            }
            OutputError::NotAFolder(_) => "choose another path with `--output`",
            OutputError::NoParent(_) => {
                "create the parent folder first, or choose another path with `--output`"
            }
            OutputError::Io { .. } => "check the permissions and free space of the output folder",
        }
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> OutputError + '_ {
    move |source| OutputError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Makes an HTML template smaller once, before it is compiled, so that pages rendered from
/// it come out small without minifying each page: the spaces and tabs that indent and trail
/// its lines are dropped, except inside `<pre>` and `<textarea>`. Line breaks stay, so a
/// line break still separates what it separated, and line numbers do not change. Only the
/// template's own text changes; what its variables insert is never touched.
///
/// (An HTML minifier on the template text was tried first: it reorders attributes and cannot
/// know what `{% if %}…{% endif %}` inside a tag means, and mangled such tags.)
pub fn squeeze_template(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut keep = false; // inside <pre> or <textarea>
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let starts_kept = keep;
        let lower = line.to_ascii_lowercase();
        for (at, _) in lower.match_indices('<') {
            let tag = &lower[at..];
            if tag.starts_with("<pre") || tag.starts_with("<textarea") {
                keep = true;
            } else if tag.starts_with("</pre") || tag.starts_with("</textarea") {
                keep = false;
            }
        }
        let line = if starts_kept {
            line
        } else {
            line.trim_start_matches([' ', '\t'])
        };
        let line = if keep {
            line
        } else {
            line.trim_end_matches([' ', '\t', '\r'])
        };
        out.push_str(line);
    }
    out
}

/// Minifies a stylesheet with minify-html's CSS minifier (the one it uses for `<style>`).
/// Returns the input unchanged if the result would not be a plain stylesheet again.
pub fn minify_css(css: &[u8]) -> Vec<u8> {
    let mut page = Vec::with_capacity(css.len() + 16);
    page.extend_from_slice(b"<style>");
    page.extend_from_slice(css);
    page.extend_from_slice(b"</style>");
    let mut cfg = minify_html::Cfg::new();
    cfg.minify_css = true;
    let out = minify_html::minify(&page, &cfg);
    match out
        .strip_prefix(b"<style>")
        .and_then(|o| o.strip_suffix(b"</style>"))
    {
        Some(inner) if !inner.is_empty() => inner.to_vec(),
        _ => css.to_vec(),
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

/// Refuses output folders that would overwrite the site itself.
pub fn check_output_dir(site: &Path, out: &Path) -> Result<(), OutputError> {
    let site = std::fs::canonicalize(site).unwrap_or_else(|_| absolute(site));
    let out_abs = absolute(out);
    // Resolve the existing part of the output path, so that symlinks cannot hide the site.
    let out_real = std::fs::canonicalize(&out_abs).unwrap_or(out_abs.clone());
    for o in [&out_abs, &out_real] {
        if site.starts_with(o) {
            return Err(OutputError::ContainsSite(out.to_path_buf()));
        }
        for source in ["content", "static", "templates", "themes"] {
            if o.starts_with(site.join(source)) {
                return Err(OutputError::InsideSources(out.to_path_buf()));
            }
        }
    }
    Ok(())
}

/// Writes `rendered` to `out`, replacing what was there only once everything is written.
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
    finished: bool,
    background: bool,
    /// The files written so far, and their sizes.
    tally: Tally,
}

/// What a finished build wrote: files, bytes, the largest file.
pub type Written = Counts;

impl Staging {
    /// Checks that `out` may be replaced and creates an empty staging folder beside it.
    pub fn begin(out: &Path) -> Result<Staging, OutputError> {
        Staging::open(out, false)
    }

    /// Like `begin`, but output this build replaces (and leftovers of killed builds) is
    /// deleted by a separate process, so that nobody waits for it: on a real disk, deleting a
    /// large old site takes longer than building the new one. For the `build` command.
    pub fn begin_removing_in_background(out: &Path) -> Result<Staging, OutputError> {
        Staging::open(out, true)
    }

    fn open(out: &Path, background: bool) -> Result<Staging, OutputError> {
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
        if out.exists() {
            if !out.is_dir() {
                return Err(OutputError::NotAFolder(out));
            }
            let empty = std::fs::read_dir(&out).map_err(io(&out))?.next().is_none();
            if !empty && !out.join(MARKER).is_file() {
                return Err(OutputError::NotOurs(out));
            }
        }
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
            finished: false,
            background,
            tally: Tally::default(),
        };
        staging.remove_stale();
        std::fs::create_dir(&staging.dir).map_err(io(&staging.dir))?;
        staging.handle = DirHandle::open(&staging.dir).ok();
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

    /// Writes the files of `rendered` and the marker, then swaps the staging folder in.
    /// Returns how many files and bytes the site has.
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
            let result = match output {
                Output::Bytes(b) => write_file(&path, b).map(|()| b.len() as u64),
                Output::Embedded(b) => write_file(&path, b).map(|()| b.len() as u64),
                Output::Copy(src) => {
                    create_parent(&path).map_err(io(&path))?;
                    Ok(std::fs::copy(src, &path).map_err(io(src))?)
                }
            };
            let n = result.map_err(io(&path))?;
            self.tally.add(file, n);
            Ok::<(), OutputError>(())
        })?;
        let marker = self.dir.join(MARKER);
        std::fs::write(
            &marker,
            "This folder is written by clusterpress and replaced on every build.\n",
        )
        .map_err(io(&marker))?;
        Ok(self.tally.counts())
    }

    /// Puts the staging folder in the output folder's place.
    pub fn commit(mut self) -> Result<(), OutputError> {
        self.swap()?;
        self.finished = true;
        Ok(())
    }

    fn swap(&self) -> Result<(), OutputError> {
        if !self.out.exists() {
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
    /// back to the output folder instead.
    fn remove_stale(&self) {
        let prefixes = [
            format!(".{}.clusterpress-staging-", self.name),
            format!(".{}.clusterpress-old-", self.name),
        ];
        if let Ok(entries) = std::fs::read_dir(&self.parent) {
            for e in entries.flatten() {
                let file_name = e.file_name().to_string_lossy().into_owned();
                if file_name.starts_with(prefixes[1].as_str())
                    && !self.out.exists()
                    && std::fs::rename(e.path(), &self.out).is_ok()
                {
                    continue;
                }
                if prefixes.iter().any(|p| file_name.starts_with(p.as_str())) {
                    self.remove(&e.path());
                }
            }
        }
    }

    fn remove(&self, dir: &Path) {
        if self.background && remove_later(dir) {
            return;
        }
        let _ = std::fs::remove_dir_all(dir);
    }
}

impl crate::render::PageSink for Staging {
    fn put(&self, file: &str, html: &[u8]) -> std::io::Result<()> {
        match &self.handle {
            Some(handle) => handle.write(file, html)?,
            None => write_file(&self.dir.join(file), html)?,
        }
        self.tally.add(file, html.len() as u64);
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.finished {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

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
/// replaced output folder): the hidden command must never become a general `rm -rf`.
pub fn remove_replaced(dir: &Path) -> bool {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ours = name.starts_with('.')
        && (name.contains(".clusterpress-old-") || name.contains(".clusterpress-staging-"));
    ours && std::fs::remove_dir_all(dir).is_ok()
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
            check_output_dir(s, s),
            Err(OutputError::ContainsSite(_))
        ));
        assert!(matches!(
            check_output_dir(s, s.parent().unwrap()),
            Err(OutputError::ContainsSite(_))
        ));
        assert!(matches!(
            check_output_dir(s, &s.join("content")),
            Err(OutputError::InsideSources(_))
        ));
        assert!(matches!(
            check_output_dir(s, &s.join("static/x")),
            Err(OutputError::InsideSources(_))
        ));
        assert!(check_output_dir(s, &s.join("public")).is_ok());
    }

    #[test]
    fn a_folder_not_made_by_clusterpress_is_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("docs");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("thesis.txt"), "precious").unwrap();
        let err = write(&Rendered::default(), &out).unwrap_err();
        assert!(matches!(err, OutputError::NotOurs(_)));
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
    fn squeezed_templates_lose_indentation_but_not_lines_tags_or_preformatted_text() {
        let template = "<ul>\n  {% for m in members %}\n    <li {% if m.on %}aria-current=\"page\"{% endif %}>{{ m.name }}</li>  \n  {% endfor %}\n</ul>\n<pre>\n  keep\n    this\n</pre>\n  <p>x</p>";
        let out = squeeze_template(template);
        assert_eq!(
            out,
            "<ul>\n{% for m in members %}\n<li {% if m.on %}aria-current=\"page\"{% endif %}>{{ m.name }}</li>\n{% endfor %}\n</ul>\n<pre>\n  keep\n    this\n</pre>\n<p>x</p>"
        );
        assert_eq!(out.lines().count(), template.lines().count());
    }

    #[test]
    fn only_set_aside_folders_are_removed_by_the_hidden_command() {
        let dir = tempfile::tempdir().unwrap();
        let keep = dir.path().join("public");
        std::fs::create_dir(&keep).unwrap();
        assert!(!remove_replaced(&keep));
        assert!(keep.exists());
        let old = dir.path().join(".public.clusterpress-old-42");
        std::fs::create_dir_all(old.join("a/b")).unwrap();
        assert!(remove_replaced(&old));
        assert!(!old.exists());
    }
}
