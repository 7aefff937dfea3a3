//! Content on disk: finding the Markdown files of a site, reading them as text, and splitting
//! each into front matter and body.
//!
//! This stage only knows about files. It never decides what a field means; that is the job of
//! `model`. Everything it reads is returned as [`Document`]s, so that the later stages are pure
//! functions of memory (and so that a spreadsheet or a watcher can feed them documents too).

pub mod boundary;
pub mod front_matter;
pub mod markdown;
pub mod translate;

use std::ops::Range;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::diag::{Diagnostic, Diagnostics, Span};
use front_matter::{Split, YamlSource};

/// One content file, read and split.
#[derive(Debug, Clone)]
pub struct Document {
    /// Path relative to the site folder, with `/` separators, e.g. `content/members/acme.md`.
    pub path: PathBuf,
    /// The first folder under `content/` (`members`, `pages`), or empty for files at the root.
    pub collection: String,
    /// The path under the collection folder without `.md`, e.g. `acme` or `legal/imprint`.
    pub name: String,
    /// The whole text, without byte-order mark and with `\n` line ends; shared by the
    /// copies a site of several languages makes for each language.
    pub text: std::sync::Arc<str>,
    yaml: Range<usize>,
    pub yaml_line: usize,
    body: Range<usize>,
    pub body_line: usize,
    /// In a site of several languages, the translations of this document (`acme.fr.md`), by
    /// language; see [`translate`].
    pub translations: Vec<(String, Document)>,
    /// In a site of several languages, the language its body is written in.
    pub lang: Option<String>,
    /// In a site of several languages, its fields as one language sees them, when they differ
    /// from the text (maps of languages, a translation, `lang:`).
    pub resolved: Option<std::sync::Arc<translate::Resolved>>,
    /// In a site of several languages, which language its texts are shown in.
    pub text_languages: Option<std::sync::Arc<translate::TextLanguages>>,
}

impl Document {
    /// Builds a document from the text of a file, or the diagnostic that says why it cannot be.
    pub fn from_text(
        path: PathBuf,
        collection: String,
        name: String,
        raw: &str,
    ) -> Result<Document, Diagnostic> {
        let text = normalise(raw);
        front_matter::check_characters(&path, &text)?;
        let (yaml, yaml_line, body, body_line) = match front_matter::split(&text) {
            Ok(Split {
                yaml,
                yaml_line,
                body,
                body_line,
            }) => (
                offset_range(&text, yaml),
                yaml_line,
                offset_range(&text, body),
                body_line,
            ),
            Err((line, message, help)) => {
                return Err(Diagnostic::error(message)
                    .in_file(&path)
                    .at(
                        &text,
                        Span {
                            line,
                            column: 1,
                            len: 3,
                        },
                    )
                    .help(help));
            }
        };
        Ok(Document {
            path,
            collection,
            name,
            text: text.into(),
            yaml,
            yaml_line,
            body,
            body_line,
            translations: Vec::new(),
            lang: None,
            resolved: None,
            text_languages: None,
        })
    }

    pub fn yaml_source(&self) -> YamlSource<'_> {
        YamlSource {
            resolved: self.resolved.as_deref(),
            ..self.yaml_source_unresolved()
        }
    }

    /// The language the text of front-matter field `key` is shown in, when it is not the
    /// page's (a text not translated); `None` in a site of one language.
    pub fn lang_of(&self, key: &str) -> Option<&str> {
        let t = self.text_languages.as_deref()?;
        let lang = t.fields.get(key).unwrap_or(&t.written_in);
        (*lang != t.page).then_some(lang.as_str())
    }

    /// The language the body is shown in, when it is not the page's.
    pub fn body_lang_elsewhere(&self) -> Option<&str> {
        let t = self.text_languages.as_deref()?;
        let lang = self.lang.as_ref()?;
        (*lang != t.page).then_some(lang.as_str())
    }

    /// The front matter as written in this file, whatever a language makes of it.
    pub fn yaml_source_unresolved(&self) -> YamlSource<'_> {
        YamlSource {
            file: &self.path,
            file_text: &self.text,
            yaml: self.text.get(self.yaml.clone()).unwrap_or(""),
            first_line: self.yaml_line,
            resolved: None,
        }
    }

    /// Where the front matter is in the whole text.
    pub fn yaml_range(&self) -> Range<usize> {
        self.yaml.clone()
    }

    pub fn body(&self) -> &str {
        self.text.get(self.body.clone()).unwrap_or("")
    }

    /// Frees the text once the item is loaded and its body rendered: a large site's sources
    /// need not stay in memory while its pages are made. `source_text` reads it again for the
    /// rare diagnostic that needs it afterwards.
    pub fn release_text(&mut self) {
        self.text = std::sync::Arc::from("");
    }

    /// The whole text, read again from `site` if it was released.
    pub fn source_text(&self, site: &Path) -> std::borrow::Cow<'_, str> {
        if !self.text.is_empty() || self.body.end == 0 {
            return std::borrow::Cow::Borrowed(&self.text);
        }
        let raw = std::fs::read_to_string(site.join(&self.path)).unwrap_or_default();
        std::borrow::Cow::Owned(normalise(&raw))
    }
}

fn offset_range(whole: &str, part: &str) -> Range<usize> {
    let start = part.as_ptr() as usize - whole.as_ptr() as usize;
    start..start + part.len()
}

/// Drops a byte-order mark and turns CRLF and lone CR line ends into LF, so that files saved
/// by any editor on any system read the same.
fn normalise(raw: &str) -> String {
    let raw = raw.strip_prefix('\u{feff}').unwrap_or(raw);
    if !raw.contains('\r') {
        return raw.to_string();
    }
    raw.replace("\r\n", "\n").replace('\r', "\n")
}

/// Finds every Markdown file under `site/content`, in a stable order.
///
/// Unreadable folders, symlink loops and files that are not Markdown are reported, never
/// skipped silently.
pub fn discover(site: &Path) -> (Vec<PathBuf>, Diagnostics) {
    let mut diags = Diagnostics::new();
    let mut files = Vec::new();
    let root = site.join("content");
    if !root.is_dir() {
        diags.push(
            Diagnostic::warning(
                "the site has no `content` folder; only the home page will be built",
            )
            .in_file("content")
            .help("create `content/members/` and `content/pages/` for your members and pages"),
        );
        return (files, diags);
    }
    // Hidden files and folders (.git, .DS_Store, editor swap files) are not content; links
    // are followed only inside the site.
    let hidden =
        |e: &walkdir::DirEntry| e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.');
    let (entries, outside) = boundary::Boundary::of_site(site).walk(&root, |e| !hidden(e));
    diags.extend(outside);
    for entry in entries {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                diags.push(walk_error(site, &root, &e));
                continue;
            }
        };
        let name = entry.file_name().to_string_lossy();
        if name.starts_with('.') && entry.depth() > 0 {
            continue; // editor swap files, .DS_Store, .git
        }
        if entry.file_type().is_dir() {
            continue;
        }
        if !entry.file_type().is_file() {
            // A named pipe, socket or device: reading it could block forever.
            diags.push(
                Diagnostic::error("not a regular file (a pipe, socket or device)")
                    .in_file(relative(site, entry.path()))
                    .help("remove it from `content/`"),
            );
            continue;
        }
        if entry.path().extension().is_some_and(|e| e == "md") {
            files.push(entry.into_path());
        } else if !name.ends_with('~') {
            diags.push(
                Diagnostic::warning("ignored: not a Markdown (`.md`) file")
                    .in_file(relative(site, entry.path()))
                    .help("images and downloads belong in the `static/` folder"),
            );
        }
    }
    same_but_for_case(site, &mut files, &mut diags);
    (files, diags)
}

/// The error for a file or folder that a walk of a site folder could not read: a link loop,
/// a broken link, missing permissions.
pub fn walk_error(site: &Path, walked: &Path, e: &walkdir::Error) -> Diagnostic {
    let at = relative(site, e.path().unwrap_or(walked));
    let (message, help) = if e.loop_ancestor().is_some() {
        (
            "symbolic link loop: this folder links back to one of its parents".to_string(),
            "remove the link",
        )
    } else {
        match e.io_error() {
            Some(io) if io.kind() == std::io::ErrorKind::NotFound => (
                "broken link: it points to a file or folder that does not exist".to_string(),
                "remove the link, or make it point to an existing file",
            ),
            Some(io) => (
                format!("cannot read this folder: {io}"),
                "check the folder's permissions (it must be readable by the user who runs clusterpress)",
            ),
            None => (
                format!("cannot read: {e}"),
                "check the folder's permissions",
            ),
        }
    };
    Diagnostic::error(message).in_file(at).help(help)
}

/// Reports files whose paths differ only in upper and lower case (`Acme.md`, `acme.md`): on
/// Windows and macOS they are one file, so such a site cannot be checked out there. The
/// all-lowercase one is kept, the others are left out; the error fails the build.
fn same_but_for_case(site: &Path, files: &mut Vec<PathBuf>, diags: &mut Diagnostics) {
    let key = |file: &Path| relative(site, file).to_string_lossy().to_lowercase();
    let mut kept = std::collections::HashMap::<String, PathBuf>::new();
    for file in files.iter() {
        let k = key(file);
        let lowercase = relative(site, file).to_string_lossy() == k;
        if lowercase || !kept.contains_key(&k) {
            kept.insert(k, file.clone());
        }
    }
    files.retain(|file| {
        let keeper = &kept[&key(file)];
        if keeper == file {
            return true;
        }
        let (rel, other) = (relative(site, file), relative(site, keeper));
        diags.push(
            Diagnostic::error(format!(
                "`{}` and `{}` differ only in upper and lower case",
                rel.display(),
                other.display()
            ))
            .in_file(&rel)
            .help("on Windows and macOS these are the same file: merge them, or give one another name"),
        );
        false
    });
}

/// Reads and splits the files found by [`discover`], in parallel, keeping their order.
pub fn read_documents(site: &Path, files: &[PathBuf]) -> (Vec<Document>, Diagnostics) {
    let results: Vec<Result<Document, Diagnostic>> = files
        .par_iter()
        .map(|file| read_document(site, file))
        .collect();
    let mut docs = Vec::with_capacity(results.len());
    let mut diags = Diagnostics::new();
    for r in results {
        match r {
            Ok(d) => docs.push(d),
            Err(d) => diags.push(d),
        }
    }
    (docs, diags)
}

pub fn read_document(site: &Path, file: &Path) -> Result<Document, Diagnostic> {
    let rel = relative(site, file);
    let bytes = std::fs::read(file).map_err(|e| {
        Diagnostic::error(format!("cannot read the file: {e}"))
            .in_file(&rel)
            .help("check the file's permissions")
    })?;
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
            let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
            let column = valid.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
            let shown = String::from_utf8_lossy(e.as_bytes()).into_owned();
            return Err(Diagnostic::error("the file is not valid UTF-8 text")
                .in_file(&rel)
                .at(&shown, Span { line, column, len: 1 })
                .help("save the file with UTF-8 encoding (in VS Code: \"Save with Encoding\" → UTF-8)"));
        }
    };
    let under_content = file.strip_prefix(site.join("content")).unwrap_or(file);
    let mut parts: Vec<String> = under_content
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    let file_name = parts.pop().unwrap_or_default();
    let stem = file_name
        .strip_suffix(".md")
        .unwrap_or(&file_name)
        .to_string();
    let (collection, name) = if parts.is_empty() {
        (String::new(), stem)
    } else {
        let collection = parts.remove(0);
        parts.push(stem);
        (collection, parts.join("/"))
    };
    Document::from_text(rel, collection, name, &text)
}

/// `path` relative to `site`, with `/` separators on every system, for messages.
pub fn relative(site: &Path, path: &Path) -> PathBuf {
    let rel = path.strip_prefix(site).unwrap_or(path);
    PathBuf::from(rel.to_string_lossy().replace('\\', "/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_and_crlf_files_read_like_plain_ones() {
        let doc = Document::from_text(
            "content/members/a.md".into(),
            "members".into(),
            "a".into(),
            "\u{feff}---\r\nname: A\r\n---\r\nBody\r\n",
        )
        .unwrap();
        assert_eq!(doc.yaml_source().yaml, "name: A\n");
        assert_eq!(doc.body(), "Body\n");
        assert_eq!(doc.body_line, 4);
    }

    #[test]
    fn a_file_without_front_matter_is_an_error_on_line_one() {
        let err = Document::from_text(
            "content/pages/a.md".into(),
            "pages".into(),
            "a".into(),
            "# Hi\n",
        )
        .unwrap_err();
        assert_eq!(err.span.unwrap().line, 1);
        assert!(err.message.contains("front matter"));
    }
}
