//! Themes: where templates and theme static files come from.
//!
//! Three layers, first match wins: the site's own `templates/`, then the theme named in
//! `cluster.yaml` (`themes/<name>/` beside the site, or a path), then the default theme that is
//! embedded in the binary, so that an installed `clusterpress` works from any folder.
//!
//! Every layer is also registered under a prefix (`theme/…`, `default/…`), so a site template
//! can extend the template it overrides: `{% extends "theme/member.html" %}`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tera::Tera;

use crate::config::{CONFIG_FILE, Config};
use crate::content::boundary::Boundary;
use crate::content::front_matter::Seg;
use crate::content::{relative, walk_error};
use crate::diag::{Diagnostic, Diagnostics, Span};

/// The default theme's files, compiled into the binary: every file of `themes/default/`, as
/// `build.rs` lists them.
pub const DEFAULT_FILES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));

/// Templates renamed to the one scheme of `<collection>.html` for a collection's list page
/// and `<collection>-item.html` for its items' pages: (old name, new name). A site or theme
/// template under an old name is used under its new name, with a warning, until
/// clusterpress 0.3; the built-in templates answer to both names.
pub const RENAMED: &[(&str, &str)] = &[
    ("member.html", "members-item.html"),
    ("page.html", "pages-item.html"),
    ("event.html", "events-item.html"),
    ("courses.html", "training.html"),
    ("course.html", "training-item.html"),
    ("catalogue.html", "catalogues-item.html"),
    ("resource.html", "resources-item.html"),
    ("procurement-call.html", "procurement-item.html"),
    ("project.html", "projects-item.html"),
    ("partner.html", "partners-item.html"),
];

/// The current name of a template that may be written under its old name.
pub fn current_name(name: &str) -> &str {
    RENAMED
        .iter()
        .find(|(old, _)| *old == name)
        .map_or(name, |(_, new)| new)
}

/// Where a template came from, to name the right file in error messages.
#[derive(Debug, Clone)]
enum Origin {
    Site(PathBuf),
    Theme(PathBuf),
    Default(&'static str),
}

/// The compiled templates and the static files a theme contributes.
pub struct Theme {
    /// The compiled templates pages are rendered with: squeezed once when `build.minify` is
    /// on (see `minify::squeeze_template`), so that no page needs minifying afterwards.
    pub tera: Tera,
    /// The templates as written, when `tera` holds squeezed ones: a page that fails to render
    /// is rendered again with these, so that the error shows the line as the author wrote it.
    source: Option<Tera>,
    /// Site path → file on disk, or `None` for a file embedded in the binary.
    pub static_files: BTreeMap<String, Option<PathBuf>>,
    origins: BTreeMap<String, Origin>,
    /// Every template's name and text as written, for `serve` to find which templates use
    /// one that changed.
    texts: Vec<(String, String)>,
    /// Warnings about the templates (old names).
    pub warnings: Diagnostics,
    /// The images of the site being rendered, for `resize`.
    images: super::functions::ImageSlot,
}

impl std::fmt::Debug for Theme {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Theme")
            .field("templates", &self.origins.keys())
            .finish()
    }
}

/// The bytes of an embedded default-theme static file.
pub fn embedded_static(site_path: &str) -> Option<&'static [u8]> {
    DEFAULT_FILES
        .iter()
        .find(|(name, _)| name.strip_prefix("static/") == Some(site_path))
        .map(|(_, text)| text.as_bytes())
}

/// Loads and compiles the templates of a site.
pub fn load_theme(config: &Config) -> Result<Theme, Diagnostics> {
    let mut diags = Diagnostics::new();
    let mut sources: Vec<(String, String, Origin)> = Vec::new();
    let mut static_files = BTreeMap::new();

    for (name, text) in DEFAULT_FILES {
        if let Some(t) = name.strip_prefix("templates/") {
            sources.push((
                format!("default/{t}"),
                text.to_string(),
                Origin::Default(name),
            ));
        } else if let Some(s) = name.strip_prefix("static/") {
            static_files.insert(s.to_string(), None);
        }
    }

    match &config.theme {
        None => {
            for (name, text) in DEFAULT_FILES {
                if let Some(t) = name.strip_prefix("templates/") {
                    sources.push((
                        format!("theme/{t}"),
                        text.to_string(),
                        Origin::Default(name),
                    ));
                }
            }
        }
        Some(theme) => {
            let dir = theme_dir(&config.root, theme);
            if !dir.join("templates").is_dir() {
                let available = list_themes(&config.root);
                let help = match crate::config::suggest(theme, &available) {
                    Some(best) => format!(
                        "did you mean `{best}`? Themes live in `themes/<name>/templates/` beside `{CONFIG_FILE}`"
                    ),
                    None => format!(
                        "create `themes/{theme}/templates/`, or remove the `theme:` line to use the built-in theme"
                    ),
                };
                diags.push(config.error_at(
                    &[Seg::Key("theme")],
                    "theme",
                    (format!("there is no theme `{theme}`"), help),
                ));
                return Err(diags);
            }
            read_dir_templates(
                &config.root,
                &dir.join("templates"),
                "theme/",
                Origin::Theme,
                &mut sources,
                &mut diags,
            );
            collect_static(
                &config.root,
                &dir.join("static"),
                &mut static_files,
                &mut diags,
            );
        }
    }
    read_dir_templates(
        &config.root,
        &config.root.join("templates"),
        "",
        Origin::Site,
        &mut sources,
        &mut diags,
    );

    let warnings = renamed(&mut sources, config.theme.is_some(), &config.root);
    let origins: BTreeMap<String, Origin> = sources
        .iter()
        .map(|(n, _, o)| (n.clone(), o.clone()))
        .collect();
    let images = super::functions::ImageSlot::default();
    let tera = match compile(
        config,
        &images,
        sources.iter().map(|(n, t, _)| (n.clone(), t.clone())),
    ) {
        Ok(tera) => tera,
        Err(e) => {
            let texts: Vec<(String, String)> = sources
                .iter()
                .map(|(n, t, _)| (n.clone(), t.clone()))
                .collect();
            diags.push(template_error(&e, &origins, &texts, None));
            return Err(diags);
        }
    };
    if diags.has_errors() {
        return Err(diags);
    }
    let (tera, source) = if config.minify {
        match compile(
            config,
            &images,
            sources.iter().map(|(n, t, _)| {
                let text = if n.ends_with(".html") {
                    super::minify::squeeze_template(t)
                } else {
                    t.clone()
                };
                (n.clone(), text)
            }),
        ) {
            Ok(squeezed) => (squeezed, Some(tera)),
            // Squeezing only drops spaces at line ends, which Tera never needs; should it
            // ever matter, pages are rendered from the templates as written.
            Err(_) => (tera, None),
        }
    } else {
        (tera, None)
    };
    Ok(Theme {
        tera,
        source,
        images,
        static_files,
        origins,
        texts: sources.into_iter().map(|(n, t, _)| (n, t)).collect(),
        warnings,
    })
}

/// Makes the renamed templates (see [`RENAMED`]) answer to both names: the built-in ones
/// also under their old names, so that `{% extends "default/event.html" %}` still works; a
/// site's or theme's template under an old name also under the new one (unless the layer
/// has that too), with a warning.
fn renamed(
    sources: &mut Vec<(String, String, Origin)>,
    has_theme: bool,
    root: &Path,
) -> Diagnostics {
    let mut warnings = Diagnostics::new();
    let mut added = Vec::new();
    let find = |sources: &[(String, String, Origin)], name: &str| {
        sources.iter().position(|(n, _, _)| n == name)
    };
    for (old, new) in RENAMED {
        let built_in = ["default/"]
            .into_iter()
            .chain((!has_theme).then_some("theme/"));
        for prefix in built_in {
            if let Some(i) = find(sources, &format!("{prefix}{new}")) {
                let (_, text, origin) = &sources[i];
                added.push((format!("{prefix}{old}"), text.clone(), origin.clone()));
            }
        }
        let own = [""].into_iter().chain(has_theme.then_some("theme/"));
        for prefix in own {
            let Some(i) = find(sources, &format!("{prefix}{old}")) else {
                continue;
            };
            let (_, text, origin) = &sources[i];
            let file = match origin {
                Origin::Site(p) | Origin::Theme(p) => relative(root, p),
                Origin::Default(name) => PathBuf::from(name),
            };
            let new_file = file.with_file_name(new);
            let warning = Diagnostic::warning(format!(
                "`{}` has the old name of the template `{new}`",
                file.display()
            ))
            .in_file(&file);
            if find(sources, &format!("{prefix}{new}")).is_some() {
                warnings.push(warning.help(format!(
                    "`{}` is used instead; remove the old file",
                    new_file.display()
                )));
                continue;
            }
            added.push((format!("{prefix}{new}"), text.clone(), origin.clone()));
            warnings.push(warning.help(format!(
                "rename it to `{}`: old names are read until clusterpress 0.3",
                new_file.display()
            )));
        }
    }
    sources.extend(added);
    warnings
}

/// A template's name without its layer's prefix: `theme/member.html` → `member.html`.
pub fn base_name(name: &str) -> &str {
    name.strip_prefix("default/")
        .or_else(|| name.strip_prefix("theme/"))
        .unwrap_or(name)
}

impl Theme {
    /// The templates (by base name) whose output can change when `changed` change: those,
    /// and every template that extends, includes or imports one of them, at any depth. A
    /// template counts as using another when its text names it in quotes, which may count a
    /// few too many, never too few.
    pub fn dependents(
        &self,
        changed: &std::collections::BTreeSet<String>,
    ) -> std::collections::BTreeSet<String> {
        let mut found = changed.clone();
        let mut queue: Vec<String> = changed.iter().cloned().collect();
        while let Some(name) = queue.pop() {
            let quoted = [
                format!("\"{name}\""),
                format!("'{name}'"),
                format!("/{name}\""),
                format!("/{name}'"),
            ];
            for (user, text) in &self.texts {
                let user = base_name(user);
                if !found.contains(user) && quoted.iter().any(|q| text.contains(q.as_str())) {
                    found.insert(user.to_string());
                    queue.push(user.to_string());
                }
            }
        }
        found
    }

    /// Renders one template; on failure, the diagnostic names the template file and line as
    /// written (not as squeezed) and the page being rendered.
    pub fn render(
        &self,
        template: &str,
        ctx: &tera::Context,
        page: &str,
    ) -> Result<String, Diagnostic> {
        self.tera
            .render(template, ctx)
            .map_err(|e| self.failure(e, template, ctx, page))
    }

    /// A failed render as a diagnostic naming the template file and line as written (the
    /// pages' templates are squeezed, so the template is rendered once more as written).
    fn failure(
        &self,
        e: tera::Error,
        template: &str,
        ctx: &tera::Context,
        page: &str,
    ) -> Diagnostic {
        let e = match &self.source {
            Some(source) => source.render(template, ctx).err().unwrap_or(e),
            None => e,
        };
        template_error(&e, &self.origins, &self.texts, Some(page))
    }
}

impl Theme {
    /// Like `render`, but into `buffer` (cleared first), which keeps its capacity for the
    /// next page: a worker rendering thousands of pages allocates its output once.
    pub fn render_into<'b>(
        &self,
        buffer: &'b mut Vec<u8>,
        template: &str,
        ctx: &tera::Context,
        page: &str,
    ) -> Result<&'b str, Diagnostic> {
        buffer.clear();
        if let Err(e) = self.tera.render_to(template, ctx, &mut *buffer) {
            return Err(self.failure(e, template, ctx, page));
        }
        std::str::from_utf8(buffer).map_err(|e| {
            Diagnostic::error(format!("`{template}` made text that is not UTF-8: {e}"))
        })
    }
}

impl Theme {
    /// Makes the templates speak the language of `config` (a site of several languages is
    /// rendered one language at a time): its words (`t`), numbers, plurals and links.
    pub fn set_language(&mut self, config: &Config) {
        super::functions::register(&mut self.tera, config, &self.images);
        if let Some(source) = &mut self.source {
            super::functions::register(source, config, &self.images);
        }
    }

    /// Makes `resize` read (and ask for sizes of) the images of the site about to be rendered.
    pub fn use_images(&self, images: &std::sync::Arc<crate::images::library::Library>) {
        let mut slot = self.images.write().unwrap_or_else(|e| e.into_inner());
        if !std::sync::Arc::ptr_eq(&slot.library, images) {
            *slot = std::sync::Arc::new(super::functions::Images::new(images.clone()));
        }
    }
}

/// Compiles templates (name, text) with clusterpress's settings and functions.
fn compile(
    config: &Config,
    images: &super::functions::ImageSlot,
    sources: impl Iterator<Item = (String, String)>,
) -> Result<Tera, tera::Error> {
    let mut tera = Tera::new();
    tera.set_fallback_prefixes(["theme/", "default/"])?;
    tera.autoescape_on([".html", ".htm", ".xml"]);
    super::functions::register(&mut tera, config, images);
    let sources: Vec<(String, String)> = sources.collect();
    tera.add_raw_templates(sources.iter().map(|(n, t)| (n.as_str(), t.as_str())))?;
    Ok(tera)
}

/// Where the site's static files may come from: the site folder, and the theme's folder
/// when the theme is kept elsewhere. `serve` reads static files when they are asked for and
/// checks each against this, in case a link was changed since the build.
pub fn static_boundary(config: &Config) -> Boundary {
    let site = Boundary::of_site(&config.root);
    match &config.theme {
        Some(theme) => site.and(&theme_dir(&config.root, theme)),
        None => site,
    }
}

/// The folder of theme `theme` of the site at `root`: a name under `themes/`, or a path.
pub fn theme_dir(root: &Path, theme: &str) -> PathBuf {
    let as_path = Path::new(theme);
    if theme.contains('/') || theme.contains('\\') {
        if as_path.is_absolute() {
            as_path.to_path_buf()
        } else {
            root.join(as_path)
        }
    } else {
        root.join("themes").join(theme)
    }
}

fn list_themes(root: &Path) -> Vec<String> {
    std::fs::read_dir(root.join("themes"))
        .map(|rd| {
            rd.filter_map(Result::ok)
                .filter(|e| e.path().is_dir())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

fn read_dir_templates(
    root: &Path,
    dir: &Path,
    prefix: &str,
    origin: fn(PathBuf) -> Origin,
    sources: &mut Vec<(String, String, Origin)>,
    diags: &mut Diagnostics,
) {
    if !dir.is_dir() {
        return;
    }
    let (entries, outside) = Boundary::of_site(root)
        .and(theme_root(dir))
        .walk(dir, |_| true);
    diags.extend(outside);
    for entry in entries {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                diags.push(walk_error(root, dir, &e));
                continue;
            }
        };
        if !entry.file_type().is_file() || entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let rel = relative(dir, entry.path()).to_string_lossy().into_owned();
        match std::fs::read_to_string(entry.path()) {
            Ok(text) => sources.push((
                format!("{prefix}{rel}"),
                text,
                origin(relative(root, entry.path())),
            )),
            Err(e) => diags.push(
                Diagnostic::error(format!("cannot read the template: {e}"))
                    .in_file(relative(root, entry.path()))
                    .help("templates must be UTF-8 text files"),
            ),
        }
    }
}

/// Adds the files under `dir` to `files` as site paths, later ones replacing earlier ones.
pub fn collect_static(
    root: &Path,
    dir: &Path,
    files: &mut BTreeMap<String, Option<PathBuf>>,
    diags: &mut Diagnostics,
) {
    if !dir.is_dir() {
        return;
    }
    let (entries, outside) = Boundary::of_site(root)
        .and(theme_root(dir))
        .walk(dir, |_| true);
    diags.extend(outside);
    for entry in entries {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                // Opened once here, so that a file nobody may read is reported as the site's
                // problem now, not as a failure to write the output later.
                if let Err(err) = std::fs::File::open(e.path()) {
                    diags.push(
                        Diagnostic::error(format!("cannot read this file: {err}"))
                            .in_file(relative(root, e.path()))
                            .help("check the file's permissions (it must be readable by the user who runs clusterpress)"),
                    );
                    continue;
                }
                let rel = relative(dir, e.path()).to_string_lossy().into_owned();
                files.insert(rel, Some(e.into_path()));
            }
            Ok(e) if !e.file_type().is_dir() => {
                // A named pipe, socket or device: copying it could block forever.
                diags.push(
                    Diagnostic::error("not a regular file (a pipe, socket or device)")
                        .in_file(relative(root, e.path()))
                        .help("remove it from the folder: only files and folders are published"),
                );
            }
            Ok(_) => {}
            Err(e) => diags.push(walk_error(root, dir, &e)),
        }
    }
}

/// The bytes of the static `files` that rendering looks into (see `render::reads_static`).
/// A file that cannot be read is left out, as if it were not there to compare or check.
pub fn read_static_contents(
    config: &Config,
    files: &BTreeMap<String, Option<PathBuf>>,
) -> BTreeMap<String, Vec<u8>> {
    let wanted = super::reads_static(config);
    files
        .iter()
        .filter(|(path, _)| wanted(path))
        .filter_map(|(path, source)| Some((path.clone(), std::fs::read(source.as_ref()?).ok()?)))
        .collect()
}

/// The theme (or site) folder that holds `dir` (`…/templates` or `…/static`): links inside
/// it may lead anywhere in it.
fn theme_root(dir: &Path) -> &Path {
    dir.parent().unwrap_or(dir)
}

fn template_error(
    e: &tera::Error,
    origins: &BTreeMap<String, Origin>,
    texts: &[(String, String)],
    page: Option<&str>,
) -> Diagnostic {
    let file_of = |name: &str| -> (PathBuf, Option<String>) {
        match origins.get(name) {
            // The text as it was read (the last of a name, as in `origins`).
            Some(Origin::Site(p)) | Some(Origin::Theme(p)) => (
                p.clone(),
                texts
                    .iter()
                    .rev()
                    .find(|(n, _)| n == name)
                    .map(|(_, t)| t.clone()),
            ),
            Some(Origin::Default(n)) => (
                PathBuf::from(format!("(built-in theme) themes/default/{n}")),
                DEFAULT_FILES
                    .iter()
                    .find(|(f, _)| f == n)
                    .map(|(_, t)| t.to_string()),
            ),
            None => (PathBuf::from(name), None),
        }
    };
    let on_page = page
        .map(|p| format!(" (while rendering `{p}`)"))
        .unwrap_or_default();
    let mut d = match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => {
            let (file, text) = file_of(r.filename());
            let span = r.span();
            let mut d =
                Diagnostic::error(format!("template: {}{on_page}", r.message())).in_file(file);
            if let Some(text) = text {
                let len = if span.end_line == span.start_line {
                    span.end_col.saturating_sub(span.start_col).max(1)
                } else {
                    1
                };
                d = d.at(
                    &text,
                    Span {
                        line: span.start_line,
                        column: span.start_col + 1,
                        len,
                    },
                );
            }
            d
        }
        tera::ErrorKind::MissingParent { current, parent } => {
            let (file, _) = file_of(current);
            Diagnostic::error(format!("template `{current}` extends `{parent}`, which does not exist")).in_file(file).help(
                "to extend the template you are overriding, write `{% extends \"theme/NAME.html\" %}` or `{% extends \"default/NAME.html\" %}`",
            )
        }
        other => Diagnostic::error(format!("template: {other}{on_page}")),
    };
    if d.help.is_none() {
        let text = e.to_string();
        if text.contains("not found in context") || text.contains("undefined") {
            d = d.help("check the variable's spelling; `docs/themes.md` lists the variables of each template");
        }
    }
    d
}
