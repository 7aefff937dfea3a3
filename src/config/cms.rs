//! `cms:` in `cluster.yaml`: the editing UI published at `/admin/` (`crate::cms`,
//! docs/editing.md). `clusterpress cms init` writes it.
//!
//! ```yaml
//! cms:
//!   backend: gitlab
//!   repo: my-cluster/website
//!   app_id: 0123456789abcdef
//! ```

use schemars::JsonSchema;
use serde::Deserialize;

use super::At;
use crate::content::front_matter::Seg;
use crate::diag::Diagnostics;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCms {
    backend: Backend,
    repo: String,
    branch: Option<String>,
    folder: Option<String>,
    base_url: Option<String>,
    app_id: Option<String>,
}

/// Where the site's files are kept, which the editing UI reads and commits to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    Github,
    Gitlab,
    /// Gitea and Forgejo, Codeberg's software.
    Gitea,
}

impl Backend {
    pub const ALL: [Backend; 3] = [Backend::Github, Backend::Gitlab, Backend::Gitea];

    pub fn name(self) -> &'static str {
        match self {
            Backend::Github => "github",
            Backend::Gitlab => "gitlab",
            Backend::Gitea => "gitea",
        }
    }

    pub fn from_name(name: &str) -> Option<Backend> {
        Backend::ALL.into_iter().find(|b| b.name() == name)
    }

    /// The server a repository is on when `base_url` does not say.
    pub fn default_server(self) -> &'static str {
        match self {
            Backend::Github => "https://github.com",
            Backend::Gitlab => "https://gitlab.com",
            Backend::Gitea => "https://codeberg.org",
        }
    }
}

/// The editing UI's settings, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cms {
    pub backend: Backend,
    /// `owner/name` (GitLab: `group/subgroup/name`).
    pub repo: String,
    pub branch: String,
    /// The site folder inside the repository, with a trailing `/`; empty at its root.
    pub folder: String,
    /// GitHub: the address of the sign-in service; GitLab and Gitea: the server, when not
    /// gitlab.com or codeberg.org.
    pub base_url: Option<String>,
    /// GitLab and Gitea: the ID of the OAuth application that lets editors sign in.
    pub app_id: Option<String>,
}

pub(super) fn parse(raw: RawCms, at: &At<'_>, diags: &mut Diagnostics) -> Option<Cms> {
    let key = |k: &'static str| [Seg::Key("cms"), Seg::Key(k)];
    let repo = raw.repo.trim().trim_matches('/').to_string();
    let parts: Vec<&str> = repo.split('/').collect();
    let plain = |p: &&str| {
        !p.is_empty()
            && p.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
    };
    let mut ok = true;
    if parts.len() < 2
        || !parts.iter().all(plain)
        || (raw.backend != Backend::Gitlab && parts.len() != 2)
    {
        diags.push(at(
            &key("repo"),
            "cms.repo",
            (
                format!("`{repo}` is not a repository name like `my-org/my-cluster`"),
                "write the owner and the repository's name, as in its address: `https://github.com/my-org/my-cluster` → `my-org/my-cluster`".into(),
            ),
        ));
        ok = false;
    }
    let branch = raw
        .branch
        .map(|b| b.trim().to_string())
        .filter(|b| !b.is_empty())
        .unwrap_or_else(|| "main".into());
    if branch.contains(char::is_whitespace) || branch.contains("..") {
        diags.push(at(
            &key("branch"),
            "cms.branch",
            (
                format!("`{branch}` is not a branch name"),
                "write the branch the site is built from, e.g. `main`".into(),
            ),
        ));
        ok = false;
    }
    let folder = raw.folder.unwrap_or_default();
    let folder = folder.trim().trim_matches('/').to_string();
    if folder.split('/').any(|p| p == ".." || p == ".") || folder.contains('\\') {
        diags.push(at(
            &key("folder"),
            "cms.folder",
            (
                format!("`{folder}` is not a folder inside the repository"),
                "write the path of the site folder (the one with cluster.yaml) from the repository's top, e.g. `website`, or leave `folder` out if it is the top".into(),
            ),
        ));
        ok = false;
    }
    let base_url = match raw.base_url {
        Some(u) => match crate::text::check_web_url(&u) {
            Ok(u) if u.starts_with("https://") || u.starts_with("http://localhost") => Some(u),
            Ok(u) => {
                diags.push(at(
                    &key("base_url"),
                    "cms.base_url",
                    (
                        format!("`{u}` is not an https:// address"),
                        "sign-in only works over https: write the address with `https://`".into(),
                    ),
                ));
                ok = false;
                None
            }
            Err(refusal) => {
                diags.push(at(&key("base_url"), "cms.base_url", refusal));
                ok = false;
                None
            }
        },
        None => None,
    };
    let app_id = raw
        .app_id
        .map(|a| a.trim().to_string())
        .filter(|a| !a.is_empty());
    if let Some(id) = &app_id
        && !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_".contains(c))
    {
        diags.push(at(
            &key("app_id"),
            "cms.app_id",
            (
                format!("`{id}` is not an application ID"),
                "copy the Application ID from the OAuth application's page on the host".into(),
            ),
        ));
        ok = false;
    }
    ok.then(|| Cms {
        backend: raw.backend,
        repo,
        branch,
        folder: match folder.is_empty() {
            true => String::new(),
            false => format!("{folder}/"),
        },
        base_url,
        app_id,
    })
}
