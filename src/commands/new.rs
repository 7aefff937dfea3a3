//! `clusterpress new DIR`: a small working site that explains itself in comments.

use std::path::Path;
use std::process::ExitCode;

use super::usage_error;
use crate::cli::NewArgs;
use crate::config::host::Host;

macro_rules! starter {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("starter/", $name)))),*]
    };
}

/// The starter site's files. `tests/new.rs` builds the result, so it cannot rot.
const FILES: &[(&str, &str)] = starter!(
    "cluster.yaml",
    ".vscode/settings.json",
    ".vscode/extensions.json",
    "content/_index.md",
    "content/pages/about.md",
    "content/members/alpha-machining.md",
    "content/members/beta-coatings.md",
    "content/members/city-university.md",
    "content/events/example-open-day.md",
    "content/training/example-course.md",
    "content/catalogues/example-catalogue.md",
    "content/resources/example-resource.md",
    "content/procurement/example-call.md",
    "content/projects/example-project.md",
    "content/funding/example-funding.md",
    "content/news/example-news.md",
    "content/partners/example-partner.md",
    "content/jobs/example-job.md",
    "static/logo.svg",
    "static/logos/alpha-machining.svg",
);

pub fn run(args: NewArgs) -> ExitCode {
    match create(&args.dir) {
        Ok(()) => {
            let d = args.dir.display();
            eprintln!("Created a new site in {d}.");
            eprintln!(
                "Next: edit {d}/cluster.yaml and the files in {d}/content/, then run `clusterpress build {d}`."
            );
            eprintln!(
                "Editors: {d}/schemas/ describes every file for editors and validators; VS Code with the YAML extension checks cluster.yaml as you type. Run `clusterpress schema {d}` after adding members or terms."
            );
            eprintln!(
                "To publish: push {d} as a git repository to GitHub, GitLab, Codeberg or Netlify; the build recipes are in it (docs/deploy.md)."
            );
            ExitCode::SUCCESS
        }
        Err(message) => usage_error(&message),
    }
}

fn create(dir: &Path) -> Result<(), String> {
    if dir.exists() {
        let empty = std::fs::read_dir(dir)
            .map_err(|e| format!("cannot read `{}`: {e}", dir.display()))?
            .next()
            .is_none();
        if !empty {
            return Err(format!(
                "`{}` already exists and is not empty; choose a new folder name",
                dir.display()
            ));
        }
    }
    for (name, text) in FILES {
        let path = dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create `{}`: {e}", parent.display()))?;
        }
        std::fs::write(&path, text)
            .map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
    }
    // The build recipes of the hosts that ignore each other's files (Cloudflare's is a
    // second GitHub workflow, so it comes only with `deploy init cloudflare`).
    let project = dir
        .file_name()
        .map(|n| slug::slugify(n.to_string_lossy()))
        .unwrap_or_default();
    for host in [Host::Github, Host::Gitlab, Host::Netlify, Host::Codeberg] {
        for recipe in super::deploy::recipes(host) {
            let path = dir.join(recipe.path);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| format!("cannot create `{}`: {e}", parent.display()))?;
            }
            std::fs::write(&path, recipe.text("", &project))
                .map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
        }
    }
    let ignore = dir.join(".gitignore");
    std::fs::write(
        &ignore,
        "# The built site: made by `clusterpress build`, not kept in git.\n/public/\n",
    )
    .map_err(|e| format!("cannot write `{}`: {e}", ignore.display()))?;
    let templates = dir.join("templates");
    std::fs::create_dir_all(&templates)
        .map_err(|e| format!("cannot create `{}`: {e}", templates.display()))?;
    // The schemas editors check `cluster.yaml` with (`.vscode/settings.json` and the
    // `yaml-language-server` line at its top name them).
    let schemas = dir.join("schemas");
    super::schema::write(dir, &schemas)
        .map_err(|e| format!("cannot write `{}`: {e}", schemas.display()))?;
    Ok(())
}
