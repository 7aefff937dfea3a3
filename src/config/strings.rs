//! A site's own interface strings: `i18n/<language>.yaml` beside `cluster.yaml`, laid over
//! the table shipped for the language (see `crate::i18n`). A key the theme does not use, or
//! a value of the wrong shape, is an error at its line; for a language without a shipped
//! table, a string the file leaves out shows in English, with a warning.

use std::path::Path;
use std::sync::Arc;

use serde_json::Value;

use crate::content::front_matter::{self, Seg, YamlSource};
use crate::diag::{Diagnostic, Diagnostics};
use crate::i18n::{self, Locale};

/// The folder of a site's string tables.
pub const FOLDER: &str = "i18n";

/// The locale of `language`, with the site's `i18n/<language>.yaml` if it has one.
pub(super) fn locale(site: &Path, language: &str, diags: &mut Diagnostics) -> Arc<Locale> {
    let name = format!("{FOLDER}/{language}.yaml");
    let path = site.join(&name);
    let text = match std::fs::read(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if i18n::shipped(language).is_none() {
                diags.push(
                    Diagnostic::warning(format!(
                        "the theme has no strings in `{language}`: the site's menus, labels and dates show in English"
                    ))
                    .in_file(super::CONFIG_FILE)
                    .field("language")
                    .help(format!(
                        "write them in `{name}` (the theme ships de, en, fr and it; docs/languages.md lists the strings)"
                    )),
                );
            }
            return Arc::new(Locale::new(language));
        }
        Err(e) => {
            diags.push(Diagnostic::error(format!("cannot read `{name}`: {e}")).in_file(&name));
            return Arc::new(Locale::new(language));
        }
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(t) => super::tidy(t),
            Err(_) => {
                diags.push(
                    Diagnostic::error(format!("`{name}` is not valid UTF-8 text"))
                        .in_file(&name)
                        .help("save it with UTF-8 encoding"),
                );
                return Arc::new(Locale::new(language));
            }
        },
    };
    let file = Path::new(&name);
    if let Err(d) = front_matter::check_characters(file, &text) {
        diags.push(d);
        return Arc::new(Locale::new(language));
    }
    let src = YamlSource {
        file,
        file_text: &text,
        yaml: &text,
        first_line: 1,
        resolved: None,
    };
    let table: Value = if text.trim().is_empty() {
        Value::Object(Default::default())
    } else {
        match front_matter::parse_all(src) {
            Ok(v) => v,
            Err(found) => {
                diags.extend(found);
                return Arc::new(Locale::new(language));
            }
        }
    };
    if !table.is_object() {
        diags.push(
            Diagnostic::error(format!("`{name}` must be a set of `key: text` lines"))
                .in_file(file)
                .help("start from the English table in docs/languages.md"),
        );
        return Arc::new(Locale::new(language));
    }
    let (locale, problems) = Locale::with_overrides(language, Some(&table));
    for p in problems {
        let path: Vec<Seg<'_>> = p.key.split('.').map(Seg::Key).collect();
        // What the file leaves out has no line of its own: the warning names the file.
        let d = match p.missing {
            true => Diagnostic::warning(p.message).in_file(file),
            false => Diagnostic::error(p.message)
                .in_file(file)
                .at(&text, front_matter::locate(src, &path)),
        };
        diags.push(d.field(&p.key).help(p.help));
    }
    Arc::new(locale)
}
