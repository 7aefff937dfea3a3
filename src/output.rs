//! Writing the finished site: pages and files go into a staging folder beside the output as
//! they are made, which is swapped in only when everything was written.
//!
//! Guarantees: a failed build leaves the previous output exactly as it was; nothing outside
//! the output folder is written or deleted, except this module's own staging folders beside it
//! (named `.<output>.clusterpress-*`); a folder that clusterpress did not make is never replaced.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

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

/// Minifies an HTML template once, before it is compiled, so that the pages rendered from it
/// come out small without minifying each page: Tera's `{{ }}`, `{% %}` and `{# #}` are kept as
/// written, and so are closing tags (a partial cannot know what follows it) and inline styles
/// and scripts (they may hold template code).
pub fn minify_template(text: &str) -> String {
    let mut cfg = minify_html::Cfg::new();
    cfg.preserve_brace_template_syntax = true;
    cfg.keep_closing_tags = true;
    cfg.keep_html_and_head_opening_tags = true;
    cfg.minify_doctype = false;
    cfg.minify_css = false;
    cfg.minify_js = false;
    String::from_utf8(minify_html::minify(text.as_bytes(), &cfg))
        .unwrap_or_else(|_| text.to_string())
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
pub fn write(rendered: &Rendered, out: &Path) -> Result<u64, OutputError> {
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
    finished: bool,
    background: bool,
    /// Bytes written so far.
    written: std::sync::atomic::AtomicU64,
}

impl Staging {
    /// Checks that `out` may be replaced and creates an empty staging folder beside it.
    pub fn begin(out: &Path) -> Result<Staging, OutputError> {
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
        let staging = Staging {
            out,
            parent,
            name,
            dir,
            finished: false,
            background: false,
            written: Default::default(),
        };
        staging.remove_stale();
        std::fs::create_dir(&staging.dir).map_err(io(&staging.dir))?;
        Ok(staging)
    }

    /// Deletes replaced output in a separate process, so that nobody waits for it: on a real
    /// disk, deleting a large old site takes longer than building the new one. For the
    /// `build` command; without it, deletion happens before `finish` returns.
    pub fn remove_in_background(mut self) -> Staging {
        self.background = true;
        self
    }

    /// Writes the files of `rendered` and the marker, then swaps the staging folder in.
    /// Returns the size of the whole site in bytes.
    pub fn finish(mut self, rendered: &Rendered) -> Result<u64, OutputError> {
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
            self.written
                .fetch_add(n, std::sync::atomic::Ordering::Relaxed);
            Ok::<(), OutputError>(())
        })?;
        let marker = self.dir.join(MARKER);
        std::fs::write(
            &marker,
            "This folder is written by clusterpress and replaced on every build.\n",
        )
        .map_err(io(&marker))?;
        self.swap()?;
        self.finished = true;
        Ok(self.written.load(std::sync::atomic::Ordering::Relaxed))
    }

    fn swap(&self) -> Result<(), OutputError> {
        if !self.out.exists() {
            return std::fs::rename(&self.dir, &self.out).map_err(io(&self.out));
        }
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

    /// Removes staging and replaced folders left behind by a build that was killed.
    fn remove_stale(&self) {
        let prefixes = [
            format!(".{}.clusterpress-staging-", self.name),
            format!(".{}.clusterpress-old-", self.name),
        ];
        if let Ok(entries) = std::fs::read_dir(&self.parent) {
            for e in entries.flatten() {
                let file_name = e.file_name().to_string_lossy().into_owned();
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
    fn page(&self, file: &str, html: &[u8]) -> std::io::Result<()> {
        write_file(&self.dir.join(file), html)?;
        self.written
            .fetch_add(html.len() as u64, std::sync::atomic::Ordering::Relaxed);
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
    fn template_minification_keeps_template_code_scripts_and_closing_tags() {
        let out = minify_template(
            "<!DOCTYPE html>\n<ul>\n  {% for m in members %}\n    <li class=\"{{ m.class }}\">{{ m.name }}</li>\n  {% endfor %}\n</ul>\n<script>var  a = 1;</script>",
        );
        assert!(
            out.to_ascii_lowercase().starts_with("<!doctype html>"),
            "{out}"
        );
        assert!(out.contains("{% for m in members %}"), "{out}");
        assert!(out.contains("{{ m.name }}</li>"), "{out}");
        assert!(out.contains("var  a = 1;"), "{out}");
        assert!(!out.contains("\n  "), "{out}");
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
