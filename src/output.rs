//! Writing the finished site: minify, write into a staging folder beside the output, and swap
//! it in only when everything was written.
//!
//! Guarantees: a failed build leaves the previous output exactly as it was; nothing outside
//! the output folder is written or deleted, except this module's own staging folders beside it
//! (named `.<output>.clusterpress-*`); a folder that clusterpress did not make is never replaced.

use std::collections::BTreeSet;
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

/// Minifies a page. Scripts are left as written (minifying JS is not worth its risks here).
pub fn minify(html: &[u8]) -> Vec<u8> {
    let mut cfg = minify_html::Cfg::new();
    cfg.minify_js = false;
    cfg.minify_css = true;
    cfg.minify_doctype = false;
    cfg.keep_html_and_head_opening_tags = true;
    cfg.keep_closing_tags = true;
    minify_html::minify(html, &cfg)
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
pub fn write(rendered: &Rendered, out: &Path) -> Result<(), OutputError> {
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
    remove_stale(&parent, &name);

    let staging = parent.join(format!(
        ".{name}.clusterpress-staging-{}",
        std::process::id()
    ));
    let result = write_tree(rendered, &staging).and_then(|()| swap(&staging, &out, &parent, &name));
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&staging);
    }
    result
}

/// Removes staging folders left behind by a build that was killed.
fn remove_stale(parent: &Path, name: &str) {
    let prefixes = [
        format!(".{name}.clusterpress-staging-"),
        format!(".{name}.clusterpress-old-"),
    ];
    if let Ok(entries) = std::fs::read_dir(parent) {
        for e in entries.flatten() {
            let file_name = e.file_name().to_string_lossy().into_owned();
            if prefixes.iter().any(|p| file_name.starts_with(p.as_str())) {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
}

fn write_tree(rendered: &Rendered, dir: &Path) -> Result<(), OutputError> {
    std::fs::create_dir(dir).map_err(io(dir))?;
    let folders: BTreeSet<PathBuf> = rendered
        .files
        .keys()
        .filter_map(|f| Path::new(f).parent().map(Path::to_path_buf))
        .filter(|p| !p.as_os_str().is_empty())
        .collect();
    for f in &folders {
        let p = dir.join(f);
        std::fs::create_dir_all(&p).map_err(io(&p))?;
    }
    rendered.files.par_iter().try_for_each(|(file, output)| {
        let path = dir.join(file);
        match output {
            Output::Bytes(b) => std::fs::write(&path, b).map_err(io(&path)),
            Output::Embedded(b) => std::fs::write(&path, b).map_err(io(&path)),
            Output::Copy(src) => std::fs::copy(src, &path).map(|_| ()).map_err(io(src)),
        }
    })?;
    let marker = dir.join(MARKER);
    std::fs::write(
        &marker,
        "This folder is written by clusterpress and replaced on every build.\n",
    )
    .map_err(io(&marker))
}

fn swap(staging: &Path, out: &Path, parent: &Path, name: &str) -> Result<(), OutputError> {
    if !out.exists() {
        return std::fs::rename(staging, out).map_err(io(out));
    }
    let old = parent.join(format!(".{name}.clusterpress-old-{}", std::process::id()));
    std::fs::rename(out, &old).map_err(io(out))?;
    if let Err(e) = std::fs::rename(staging, out) {
        // Put the previous site back before reporting.
        let _ = std::fs::rename(&old, out);
        return Err(OutputError::Io {
            path: out.to_path_buf(),
            source: e,
        });
    }
    let _ = std::fs::remove_dir_all(&old);
    Ok(())
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
    fn minify_keeps_scripts_as_written() {
        let out = minify(b"<!DOCTYPE html><html><head><script>var  a = 1;</script></head><body>  <p> x </p></body></html>");
        let out = String::from_utf8(out).unwrap();
        assert!(out.contains("var  a = 1;"), "{out}");
        assert!(
            out.to_ascii_lowercase().starts_with("<!doctype html>"),
            "{out}"
        );
    }
}
