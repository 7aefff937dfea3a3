//! `clusterpress schema [DIR]`: the JSON Schemas of the site's files, for editors
//! (`crate::schema`).

use std::path::Path;
use std::process::ExitCode;

use super::{EXIT_USAGE, plural, usage_error};
use crate::cli::SchemaArgs;

pub fn run(args: SchemaArgs) -> ExitCode {
    let site = &args.dir;
    if !site.join(crate::config::CONFIG_FILE).is_file() {
        return usage_error(&format!(
            "`{}` has no cluster.yaml: give the site folder, or create a site with `clusterpress new`",
            site.display()
        ));
    }
    let out = args.output.unwrap_or_else(|| site.join("schemas"));
    match write(site, &out) {
        Ok((written, kept)) => {
            println!(
                "{} in {} ({} unchanged)",
                plural(written + kept, "schema", "schemas"),
                out.display(),
                kept
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!(
                "error: could not write the schemas into {}: {e}",
                out.display()
            );
            ExitCode::from(EXIT_USAGE)
        }
    }
}

/// Writes the schemas of the site at `site` into `out`, leaving files whose text is the same
/// alone (editors reload what changes) and removing the ones of an earlier run that the site
/// no longer has (translations, once it has one language). Returns (written, unchanged).
pub fn write(site: &Path, out: &Path) -> std::io::Result<(usize, usize)> {
    let facts = crate::schema::facts(site);
    let schemas = crate::schema::all(&facts);
    std::fs::create_dir_all(out)?;
    let (mut written, mut kept) = (0, 0);
    let mut names = Vec::new();
    for schema in &schemas {
        let name = schema.file_name();
        let path = out.join(&name);
        let mut text =
            serde_json::to_string_pretty(&schema.value).map_err(std::io::Error::other)?;
        text.push('\n');
        if std::fs::read_to_string(&path).is_ok_and(|old| old == text) {
            kept += 1;
        } else {
            std::fs::write(&path, text)?;
            written += 1;
        }
        names.push(name);
    }
    for entry in std::fs::read_dir(out)?.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".schema.json") && !names.contains(&name) {
            std::fs::remove_file(entry.path())?;
        }
    }
    Ok((written, kept))
}
