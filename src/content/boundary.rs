//! Where symbolic links may lead: the one rule for every folder clusterpress reads
//! (`content/`, `static/`, `templates/`, themes).
//!
//! A link is followed only when its target, with every link on the way resolved, is inside
//! the site folder (or inside the theme folder being read, for a theme kept elsewhere).
//! Anything else is an error naming the link and where it leads, and the target is never
//! opened: a member's profile linked to `/etc/passwd` cannot publish it, nor can `serve`
//! serve it, and no error message quotes it (issue 17).

use std::cell::RefCell;
use std::path::{Path, PathBuf};

use walkdir::DirEntry;

use crate::diag::Diagnostic;

/// The folders links may lead into, as real paths.
#[derive(Debug, Clone)]
pub struct Boundary {
    site: PathBuf,
    roots: Vec<PathBuf>,
}

impl Boundary {
    /// Links may lead anywhere inside `site`.
    pub fn of_site(site: &Path) -> Boundary {
        let real = real(site);
        Boundary {
            site: site.to_path_buf(),
            roots: vec![real],
        }
    }

    /// Links may also lead anywhere inside `dir` (a theme kept outside the site).
    pub fn and(mut self, dir: &Path) -> Boundary {
        self.roots.push(real(dir));
        self
    }

    /// Whether `path` is inside the boundary once its links are resolved. A path that cannot
    /// be resolved (a broken link) is not judged here: reading it fails and says so.
    pub fn contains(&self, path: &Path) -> bool {
        match std::fs::canonicalize(path) {
            Ok(target) => self.roots.iter().any(|r| target.starts_with(r)),
            Err(_) => true,
        }
    }

    /// The error for a link in a walk that leads outside, if `entry` is one.
    pub fn check(&self, entry: &DirEntry) -> Option<Diagnostic> {
        if !entry.path_is_symlink() || self.contains(entry.path()) {
            return None;
        }
        let target = std::fs::canonicalize(entry.path()).unwrap_or_default();
        Some(
            Diagnostic::error(format!(
                "symbolic link to `{}`, outside the site folder: it is not followed",
                target.display()
            ))
            .in_file(super::relative(&self.site, entry.path()))
            .help("copy what it links to into the site folder, or remove the link"),
        )
    }

    /// A filter for `WalkDir::filter_entry` that leaves out links leading outside (and
    /// whatever is under them), collecting their errors in `found`.
    fn filter<'a>(
        &'a self,
        found: &'a RefCell<Vec<Diagnostic>>,
    ) -> impl FnMut(&DirEntry) -> bool + 'a {
        move |entry| match self.check(entry) {
            Some(d) => {
                found.borrow_mut().push(d);
                false
            }
            None => true,
        }
    }
}

impl Boundary {
    /// The entries under `dir` in file-name order (errors too), following links that stay
    /// inside, and the errors for links that lead outside. What `keep` leaves out is not
    /// entered.
    pub fn walk(
        &self,
        dir: &Path,
        mut keep: impl FnMut(&DirEntry) -> bool,
    ) -> (Vec<walkdir::Result<DirEntry>>, Vec<Diagnostic>) {
        let found = RefCell::new(Vec::new());
        let entries = {
            let mut inside = self.filter(&found);
            walkdir::WalkDir::new(dir)
                .follow_links(true)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|e| keep(e) && inside(e))
                .collect()
        };
        (entries, found.into_inner())
    }
}

fn real(dir: &Path) -> PathBuf {
    std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn links_inside_the_site_are_followed_and_links_outside_are_not() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret"), "s").unwrap();
        let site = tempfile::tempdir().unwrap();
        let s = site.path();
        std::fs::create_dir_all(s.join("static/img")).unwrap();
        std::fs::write(s.join("static/img/logo.svg"), "<svg/>").unwrap();
        std::os::unix::fs::symlink(s.join("static/img/logo.svg"), s.join("static/logo.svg"))
            .unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret"), s.join("static/secret")).unwrap();
        std::os::unix::fs::symlink(outside.path(), s.join("static/elsewhere")).unwrap();
        let b = Boundary::of_site(s);
        assert!(b.contains(&s.join("static/logo.svg")));
        assert!(!b.contains(&s.join("static/secret")));
        assert!(!b.contains(&s.join("static/elsewhere")));
        assert!(
            b.clone()
                .and(outside.path())
                .contains(&s.join("static/secret"))
        );

        let found = RefCell::new(Vec::new());
        let mut seen: Vec<String> = walkdir::WalkDir::new(s.join("static"))
            .follow_links(true)
            .into_iter()
            .filter_entry(b.filter(&found))
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| super::super::relative(s, e.path()).display().to_string())
            .collect();
        seen.sort();
        assert_eq!(seen, ["static/img/logo.svg", "static/logo.svg"]);
        let mut errors: Vec<String> = found
            .into_inner()
            .into_iter()
            .map(|d| d.file.unwrap().display().to_string())
            .collect();
        errors.sort();
        assert_eq!(errors, ["static/elsewhere", "static/secret"]);
    }
}
