//! `clusterpress cms init --backend HOST [DIR]`: `cms:` in `cluster.yaml`, after which every
//! build publishes the editing UI at `/admin/` (`crate::cms`, docs/editing.md).

use std::path::Path;
use std::process::ExitCode;

use super::usage_error;
use crate::cli::CmsInitArgs;
use crate::config::cms::Backend;

pub fn run(args: CmsInitArgs) -> ExitCode {
    let Some(backend) = Backend::from_name(&args.backend.to_ascii_lowercase()) else {
        let names: Vec<&str> = Backend::ALL.into_iter().map(Backend::name).collect();
        return usage_error(&format!(
            "unknown backend `{}`; choose {} (gitea also for Forgejo and Codeberg)",
            args.backend,
            crate::diag::one_of(&names)
        ));
    };
    let site = &args.dir;
    let config = site.join(crate::config::CONFIG_FILE);
    let Ok(text) = std::fs::read_to_string(&config) else {
        return usage_error(&format!(
            "no readable `cluster.yaml` in `{}`; run this in the site folder or name it: `clusterpress cms init --backend {} DIR`",
            site.display(),
            backend.name()
        ));
    };
    let (repo_dir, folder) = super::deploy::repository_of(site);
    let remote = origin_of(&repo_dir);
    let repo = match (&args.repo, &remote) {
        (Some(r), _) => r.trim().trim_matches('/').to_string(),
        (None, Some(r)) => r.path.clone(),
        (None, None) => {
            return usage_error(&format!(
                "cannot tell the repository: the site is not in a git repository with a remote `origin`; name it with `--repo OWNER/NAME`, e.g. `clusterpress cms init --backend {} --repo my-org/my-cluster`",
                backend.name()
            ));
        }
    };
    let branch = args
        .branch
        .clone()
        .or_else(|| checked_out_branch(&repo_dir))
        .unwrap_or_else(|| "main".into());
    // A repository on another server than the backend's own: its address is the base URL
    // (GitLab, Gitea); for GitHub the base URL is the sign-in service, never guessed.
    let base_url = args.base_url.clone().or_else(|| {
        let remote = remote.as_ref().filter(|_| args.repo.is_none())?;
        let server = format!("https://{}", remote.host);
        (backend != Backend::Github && server != backend.default_server()).then_some(server)
    });
    let block = block(backend, &repo, &branch, &folder, &base_url, &args.app_id);
    let new_text = match replace_block(&text, &block) {
        Replaced::Same => {
            eprintln!("{} already says this `cms:`.", config.display());
            return next_steps(backend, &args.app_id);
        }
        Replaced::Other(_) if !args.force => {
            return usage_error(&format!(
                "`{}` has a `cms:` section already; nothing was changed (add --force to replace it)",
                config.display()
            ));
        }
        Replaced::Other(t) | Replaced::New(t) => t,
    };
    if let Err(e) = std::fs::write(&config, &new_text) {
        return usage_error(&format!("cannot update `{}`: {e}", config.display()));
    }
    // Checked as `build` will read it; settings the site would refuse are taken back.
    let problems = problems_with_cms(site);
    if !problems.is_empty() {
        let restored = std::fs::write(&config, &text);
        return usage_error(&format!(
            "these settings would not work; {}:\n{}",
            match restored {
                Ok(()) => "cluster.yaml is as it was".to_string(),
                Err(e) => format!("and cluster.yaml could not be put back ({e})"),
            },
            problems.join("\n")
        ));
    }
    eprintln!(
        "Wrote `cms:` into {}: {} repository {repo}, branch {branch}{}.",
        config.display(),
        backend_title(backend),
        match folder.is_empty() {
            true => String::new(),
            false => format!(", site folder {folder}"),
        }
    );
    eprintln!(
        "Every build now publishes the editing UI at /admin/ (Sveltia CMS {}).",
        crate::cms::VERSION
    );
    next_steps(backend, &args.app_id)
}

fn backend_title(backend: Backend) -> &'static str {
    match backend {
        Backend::Github => "GitHub",
        Backend::Gitlab => "GitLab",
        Backend::Gitea => "Gitea/Forgejo",
    }
}

fn next_steps(backend: Backend, app_id: &Option<String>) -> ExitCode {
    let step = match (backend, app_id) {
        (Backend::Github, _) => {
            "editors sign in with a GitHub access token, or, once you have set up a sign-in service (docs/editing.md#github), with their GitHub account: add its address with `--base-url`."
        }
        (_, Some(_)) => {
            "publish the site, then open /admin/ and sign in; docs/editing.md explains how editors get access."
        }
        (Backend::Gitlab, None) => {
            "create an OAuth application on GitLab (User settings -> Applications; callback URL: the site's /admin/ address; scope api), then run this again with `--app-id ID --force` (docs/editing.md#gitlab)."
        }
        (Backend::Gitea, None) => {
            "create an OAuth2 application on Codeberg, Forgejo or Gitea (Settings -> Applications; redirect URI: the site's /admin/ address), then run this again with `--app-id ID --force` (docs/editing.md#gitea-forgejo-codeberg)."
        }
    };
    eprintln!("Next: {step}");
    ExitCode::SUCCESS
}

/// The `cms:` section, as it is written into `cluster.yaml`.
fn block(
    backend: Backend,
    repo: &str,
    branch: &str,
    folder: &str,
    base_url: &Option<String>,
    app_id: &Option<String>,
) -> String {
    let quoted = |v: &str| serde_json::to_string(v).unwrap_or_default();
    let mut out = String::from(
        "# The editing UI at /admin/ (docs/editing.md), set up by `clusterpress cms init`.\ncms:\n",
    );
    out.push_str(&format!("  backend: {}\n", backend.name()));
    out.push_str(&format!("  repo: {}\n", quoted(repo)));
    out.push_str(&format!("  branch: {}\n", quoted(branch)));
    if !folder.is_empty() {
        out.push_str(&format!("  folder: {}\n", quoted(folder)));
    }
    if let Some(u) = base_url {
        out.push_str(&format!("  base_url: {}\n", quoted(u)));
    }
    if let Some(id) = app_id {
        out.push_str(&format!("  app_id: {}\n", quoted(id)));
    }
    out
}

enum Replaced {
    /// The file says this already.
    Same,
    /// The file had another `cms:` section: the text with it replaced.
    Other(String),
    /// The file had none: the text with it added at the end.
    New(String),
}

/// `text` with its top-level `cms:` section (the line and the indented or blank lines
/// after it) replaced by `block`, or `block` added at the end.
fn replace_block(text: &str, block: &str) -> Replaced {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let Some(start) = lines
        .iter()
        .position(|l| l.starts_with("cms:") || l.starts_with("cms :"))
    else {
        let mut out = text.to_string();
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
        if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(block);
        return Replaced::New(out);
    };
    let mut end = start + 1;
    while end < lines.len() {
        let l = lines[end];
        if l.starts_with([' ', '\t']) || l.trim().is_empty() {
            end += 1;
        } else {
            break;
        }
    }
    // Blank lines at the end of the section stay where they are.
    while end > start + 1 && lines[end - 1].trim().is_empty() {
        end -= 1;
    }
    // A comment written by an earlier run goes with its section.
    let begin = match start.checked_sub(1) {
        Some(i) if lines[i].starts_with("# The editing UI at /admin/") => i,
        _ => start,
    };
    let old: String = lines[begin..end].concat();
    if old == block {
        return Replaced::Same;
    }
    let mut out: String = lines[..begin].concat();
    out.push_str(block);
    out.push_str(&lines[end..].concat());
    Replaced::Other(out)
}

/// The problems `build` would find with `cms:` in the site's `cluster.yaml`.
fn problems_with_cms(site: &Path) -> Vec<String> {
    let diags = match crate::config::load(site, &crate::config::Overrides::default()) {
        Ok((_, diags)) | Err(diags) => diags,
    };
    diags
        .into_sorted()
        .into_iter()
        .filter(|d| d.is_error() && d.field.as_deref().is_some_and(|f| f.starts_with("cms")))
        .map(|d| d.to_string())
        .collect()
}

/// A remote's server and repository path: `git@github.com:acme/site.git` → (`github.com`,
/// `acme/site`).
#[derive(Debug, PartialEq, Eq)]
struct Remote {
    host: String,
    path: String,
}

/// The remote `origin` of the repository at `repo`, from `.git/config`.
fn origin_of(repo: &Path) -> Option<Remote> {
    let config = std::fs::read_to_string(repo.join(".git").join("config")).ok()?;
    let mut in_origin = false;
    for line in config.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_origin = line == "[remote \"origin\"]";
        } else if in_origin
            && let Some(url) = line.strip_prefix("url").map(str::trim_start)
            && let Some(url) = url.strip_prefix('=')
        {
            return parse_remote(url.trim());
        }
    }
    None
}

fn parse_remote(url: &str) -> Option<Remote> {
    let (host, path) = if let Some(rest) = url.split_once("://").map(|(_, r)| r) {
        let (authority, path) = rest.split_once('/')?;
        let host = authority.rsplit('@').next()?.split(':').next()?;
        (host.to_string(), path)
    } else {
        // scp-like: user@host:path
        let (authority, path) = url.split_once(':')?;
        (authority.rsplit('@').next()?.to_string(), path)
    };
    let path = path.trim_matches('/').trim_end_matches(".git").to_string();
    (!host.is_empty() && path.contains('/')).then_some(Remote { host, path })
}

/// The branch checked out in the repository at `repo`, from `.git/HEAD`.
fn checked_out_branch(repo: &Path) -> Option<String> {
    let head = std::fs::read_to_string(repo.join(".git").join("HEAD")).ok()?;
    head.trim()
        .strip_prefix("ref: refs/heads/")
        .map(str::to_string)
        .filter(|b| !b.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remotes_are_read_in_every_form_git_writes_them() {
        let r = |host: &str, path: &str| {
            Some(Remote {
                host: host.into(),
                path: path.into(),
            })
        };
        assert_eq!(
            parse_remote("git@github.com:acme/site.git"),
            r("github.com", "acme/site")
        );
        assert_eq!(
            parse_remote("https://gitlab.com/group/sub/site.git"),
            r("gitlab.com", "group/sub/site")
        );
        assert_eq!(
            parse_remote("ssh://git@codeberg.org:22/acme/site"),
            r("codeberg.org", "acme/site")
        );
        assert_eq!(
            parse_remote("https://user@git.example.org/acme/site/"),
            r("git.example.org", "acme/site")
        );
        assert_eq!(parse_remote("/srv/git/site.git"), None);
    }

    #[test]
    fn an_earlier_section_is_replaced_and_the_rest_kept_as_it_was() {
        let block = "cms:\n  backend: gitlab\n";
        let text = "name: X\n\ncms:\n  backend: github\n  repo: a/b\n\n# after\nhosting: github\n";
        match replace_block(text, block) {
            Replaced::Other(t) => {
                assert_eq!(
                    t,
                    "name: X\n\ncms:\n  backend: gitlab\n\n# after\nhosting: github\n"
                )
            }
            _ => panic!("not replaced"),
        }
        match replace_block("name: X", block) {
            Replaced::New(t) => assert_eq!(t, "name: X\n\ncms:\n  backend: gitlab\n"),
            _ => panic!("not added"),
        }
        assert!(matches!(
            replace_block("name: X\ncms:\n  backend: gitlab\n", block),
            Replaced::Same
        ));
    }
}
