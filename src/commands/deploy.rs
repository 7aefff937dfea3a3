//! `clusterpress deploy init HOST [DIR]`: the files that make a host build and publish the
//! site on every push, and `hosting: HOST` in `cluster.yaml`.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use super::usage_error;
use crate::cli::DeployInitArgs;
use crate::config::host::Host;

/// A host's recipe: where it goes (relative to the repository) and its text.
pub struct Recipe {
    host: Host,
    pub path: &'static str,
    text: &'static str,
}

static RECIPES: [Recipe; 5] = [
    Recipe {
        host: Host::Github,
        path: ".github/workflows/pages.yml",
        text: include_str!("deploy/github.yml"),
    },
    Recipe {
        host: Host::Gitlab,
        path: ".gitlab-ci.yml",
        text: include_str!("deploy/gitlab-ci.yml"),
    },
    Recipe {
        host: Host::Netlify,
        path: "netlify.toml",
        text: include_str!("deploy/netlify.toml"),
    },
    Recipe {
        host: Host::Cloudflare,
        path: ".github/workflows/cloudflare-pages.yml",
        text: include_str!("deploy/cloudflare.yml"),
    },
    Recipe {
        host: Host::Codeberg,
        path: ".woodpecker/pages.yml",
        text: include_str!("deploy/woodpecker.yml"),
    },
];

/// The recipes of `host`.
pub fn recipes(host: Host) -> impl Iterator<Item = &'static Recipe> {
    RECIPES.iter().filter(move |r| r.host == host)
}

impl Recipe {
    /// The recipe for a site at `site` (relative to the repository, `""` at its root), in a
    /// repository named `project`.
    pub fn text(&self, site: &str, project: &str) -> String {
        // Quoted for the shell when needed, with single quotes, which YAML and TOML strings
        // hold as they are (`run` refuses folder names with a quote or a `$`).
        let plain = |c: char| c.is_ascii_alphanumeric() || "._/-".contains(c);
        let site = match site {
            "" | "." => String::new(),
            s if s.chars().all(plain) => format!(" {s}"),
            s => format!(" '{s}'"),
        };
        self.text
            .replace("@VERSION@", env!("CARGO_PKG_VERSION"))
            .replace("@SITE@", &site)
            .replace("@PROJECT@", project)
    }
}

pub fn run(args: DeployInitArgs) -> ExitCode {
    let Some(host) = Host::from_name(&args.host.to_ascii_lowercase()) else {
        let names: Vec<&str> = Host::ALL.into_iter().map(Host::name).collect();
        return usage_error(&format!(
            "unknown host `{}`; choose {}",
            args.host,
            crate::diag::one_of(&names)
        ));
    };
    let site = &args.dir;
    if !site.join(crate::config::CONFIG_FILE).is_file() {
        return usage_error(&format!(
            "no `cluster.yaml` in `{}`; run this in the site folder or name it: `clusterpress deploy init {} DIR`",
            site.display(),
            host.name()
        ));
    }
    let (repo, site_in_repo) = repository_of(site);
    if site_in_repo.contains(['\'', '"', '$', '`', '\\']) || site_in_repo.contains(char::is_control)
    {
        return usage_error(&format!(
            "the site folder `{site_in_repo}` has a quote, `$`, backslash or control character in its path inside the repository, which a host's build command cannot be trusted to pass on; rename the folder"
        ));
    }
    let project = project_name(&repo);
    let mut written = Vec::new();
    for recipe in recipes(host) {
        let path = repo.join(recipe.path);
        let text = recipe.text(&site_in_repo, &project);
        if std::fs::read_to_string(&path).is_ok_and(|t| t == text) {
            eprintln!("{} is there already.", path.display());
            continue;
        }
        if path.exists() && !args.force {
            return usage_error(&format!(
                "`{}` already exists; nothing was changed (add --force to replace it)",
                path.display()
            ));
        }
        if let Some(parent) = path.parent()
            && let Err(e) = std::fs::create_dir_all(parent)
        {
            return usage_error(&format!("cannot create `{}`: {e}", parent.display()));
        }
        if let Err(e) = std::fs::write(&path, text) {
            return usage_error(&format!("cannot write `{}`: {e}", path.display()));
        }
        written.push(path);
    }
    let config = site.join(crate::config::CONFIG_FILE);
    let hosting = match set_hosting(&config, host) {
        Ok(true) => format!(
            "Set `hosting: {}` in {}: builds now write the files {} reads and check its limits.",
            host.name(),
            config.display(),
            host.title()
        ),
        Ok(false) => format!(
            "{} already says `hosting: {}`.",
            config.display(),
            host.name()
        ),
        Err(e) => return usage_error(&format!("cannot update `{}`: {e}", config.display())),
    };
    for path in &written {
        eprintln!("Wrote {}.", path.display());
    }
    eprintln!("{hosting}");
    // The other hosts' recipes (those `new` writes) do no harm, except a second GitHub
    // workflow, which would publish the site twice.
    let github = repo.join(".github/workflows/pages.yml");
    if host == Host::Cloudflare && github.is_file() {
        eprintln!(
            "Note: {} publishes on GitHub Pages on the same pushes; delete it unless you want both.",
            github.display()
        );
    }
    eprintln!("Next: {}", next_steps(host));
    eprintln!(
        "Step by step, custom domains included: docs/deploy.md, or `clusterpress deploy init --help`."
    );
    ExitCode::SUCCESS
}

/// What the user does once on the host's side.
fn next_steps(host: Host) -> &'static str {
    match host {
        Host::Github => {
            "push the repository to GitHub, then in its Settings -> Pages set Source to \"GitHub Actions\"; every push to main publishes the site."
        }
        Host::Gitlab => {
            "push the repository to GitLab; every push to the default branch publishes the site (Deploy -> Pages shows its address)."
        }
        Host::Netlify => {
            "push the repository, then in Netlify: Add new site -> Import an existing project, and pick it; netlify.toml holds the build settings."
        }
        Host::Cloudflare => {
            "create a Pages project named as PROJECT in the workflow (Workers & Pages -> Create -> Pages -> Upload assets), and add the repository secrets CLOUDFLARE_API_TOKEN and CLOUDFLARE_ACCOUNT_ID on GitHub."
        }
        Host::Codeberg => {
            "push the repository to Codeberg, enable it at ci.codeberg.org and add the secret `codeberg_token` there (an access token with write access to repositories)."
        }
    }
}

/// The repository the site is in (the nearest folder upwards with `.git`), and the site's
/// path inside it; a site outside any repository is its own.
pub(crate) fn repository_of(site: &Path) -> (PathBuf, String) {
    let site_abs = std::path::absolute(site).unwrap_or_else(|_| site.to_path_buf());
    let mut dir = Some(site_abs.as_path());
    while let Some(d) = dir {
        if d.join(".git").exists() {
            let inside = site_abs
                .strip_prefix(d)
                .map(|p| p.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            return (d.to_path_buf(), inside);
        }
        dir = d.parent();
    }
    (site.to_path_buf(), String::new())
}

/// A name for the project on the host: the repository folder's name as a slug.
fn project_name(repo: &Path) -> String {
    let name = std::path::absolute(repo)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default();
    match slug::slugify(&name) {
        s if s.is_empty() => "my-cluster".to_string(),
        s => s,
    }
}

/// Writes `hosting: HOST` into `cluster.yaml`: replaces a top-level `hosting:` line, or adds
/// one at the end. `Ok(false)`: it said so already.
fn set_hosting(config: &Path, host: Host) -> std::io::Result<bool> {
    let text = std::fs::read_to_string(config)?;
    let line = format!("hosting: {}", host.name());
    let mut found = false;
    let mut changed = false;
    let mut lines: Vec<String> = Vec::new();
    for l in text.lines() {
        if l.starts_with("hosting:") && !found {
            found = true;
            let value = l["hosting:".len()..].split('#').next().unwrap_or("").trim();
            if value == host.name() {
                lines.push(l.to_string());
            } else {
                lines.push(line.clone());
                changed = true;
            }
        } else if l.trim_start() == "# hosting: github" && !found {
            // The starter site's commented-out example.
            found = true;
            changed = true;
            lines.push(line.clone());
        } else {
            lines.push(l.to_string());
        }
    }
    if !found {
        lines.push(format!(
            "{line}   # the files this host reads, and its limits (docs/deploy.md)"
        ));
        changed = true;
    }
    if changed {
        let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
        std::fs::write(config, lines.join(eol) + eol)?;
    }
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_recipe_names_the_version_and_the_site_folder() {
        for host in Host::ALL {
            for r in recipes(host) {
                let text = r.text("sites/my cluster", "my-cluster");
                assert!(
                    r.text("web", "p")
                        .contains("clusterpress build web --output")
                );
                for placeholder in ["@VERSION@", "@SITE@", "@PROJECT@"] {
                    assert!(
                        !text.contains(placeholder),
                        "{}: {placeholder} is left",
                        r.path
                    );
                }
                assert!(text.contains(env!("CARGO_PKG_VERSION")), "{}", r.path);
                assert!(
                    text.contains("clusterpress build 'sites/my cluster' --output public"),
                    "{}",
                    r.path
                );
            }
        }
    }

    #[test]
    fn hosting_is_set_replaced_or_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("cluster.yaml");
        std::fs::write(&config, "name: T\nbase_url: https://t.example/\n").unwrap();
        assert!(set_hosting(&config, Host::Github).unwrap());
        let text = std::fs::read_to_string(&config).unwrap();
        assert!(
            text.ends_with(
                "hosting: github   # the files this host reads, and its limits (docs/deploy.md)\n"
            ),
            "{text}"
        );
        assert!(!set_hosting(&config, Host::Github).unwrap());
        assert!(set_hosting(&config, Host::Netlify).unwrap());
        let text = std::fs::read_to_string(&config).unwrap();
        assert_eq!(text.matches("hosting:").count(), 1, "{text}");
        assert!(text.contains("\nhosting: netlify\n"), "{text}");
    }
}
