//! The command line, declared with clap.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// A static site generator for business-cluster portals: members, directory, events and more,
/// from a folder of Markdown + YAML.
#[derive(Debug, Parser)]
#[command(name = "clusterpress", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into DIR/public (or --output), minified and ready to publish.
    Build(BuildArgs),
    /// Check everything (fields, references, links) and report all problems, writing nothing.
    Check(CheckArgs),
    /// Create a small working starter site in DIR.
    New(NewArgs),
    /// Preview the site on a local web server; pages rebuild and reload as files change.
    Serve(ServeArgs),
    /// Publish on a free static host: `deploy init HOST` writes the host's build recipe.
    #[command(subcommand)]
    Deploy(DeployCommand),
    /// The editing UI at /admin/: `cms init --backend github|gitlab|gitea` sets it up.
    #[command(subcommand)]
    Cms(CmsCommand),
    /// Write the JSON Schemas of cluster.yaml, the vocabulary and every collection's front
    /// matter into DIR/schemas (or --output), for editors and validators.
    Schema(SchemaArgs),
    /// Bring data in from elsewhere: `import members FILE` reads members from a spreadsheet.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Internal: deletes an output folder a build has replaced, after that build has ended.
    #[command(name = "__remove-replaced-output", hide = true)]
    RemoveReplaced { dir: PathBuf },
}

#[derive(Debug, Args)]
pub struct SiteArgs {
    /// The site folder, the one with cluster.yaml.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Publish under this address instead of `base_url` from cluster.yaml, e.g.
    /// https://org.github.io/my-cluster/ (deploy recipes pass the host's address here).
    #[arg(long, value_name = "URL", env = "CLUSTERPRESS_BASE_URL")]
    pub base_url: Option<String>,
    /// Include items marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Build as of this date (YYYY-MM-DD) instead of today; defaults to SOURCE_DATE_EPOCH
    /// when that is set, for reproducible builds.
    #[arg(long, value_name = "DATE")]
    pub now: Option<String>,
}

#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Write the site here instead of DIR/public. The folder is replaced only when the whole
    /// build succeeded, and only if clusterpress made it.
    #[arg(long, short, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Also print the brochures and fact sheets to PDF (as `brochures.pdf: true` does), with
    /// a headless Chromium or Chrome found on this machine.
    #[arg(long)]
    pub pdf: bool,
    /// The Chromium or Chrome to print PDFs with, instead of the first one found.
    #[arg(long, value_name = "PATH")]
    pub chrome: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// In a site of several languages, fail on every text not translated into every
    /// language (the report of what is not translated is printed either way).
    #[arg(long)]
    pub strict_translations: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// The site folder, the one with cluster.yaml.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// The port to listen on [default: 1111, or a free one if that is taken].
    #[arg(long, short, value_name = "N")]
    pub port: Option<u16>,
    /// The address to listen on; 0.0.0.0 makes the preview reachable from other machines.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1")]
    pub bind: std::net::IpAddr,
    /// Open the site in the default web browser.
    #[arg(long)]
    pub open: bool,
    /// Include items marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Build as of this date (YYYY-MM-DD) instead of today.
    #[arg(long, value_name = "DATE")]
    pub now: Option<String>,
}

#[derive(Debug, Args)]
pub struct NewArgs {
    /// The folder to create; it must not exist or be empty.
    pub dir: PathBuf,
}

#[derive(Debug, Subcommand)]
pub enum CmsCommand {
    /// Set up the editing UI: writes `cms:` into cluster.yaml, and every build then
    /// publishes /admin/.
    ///
    /// The editing UI (Sveltia CMS, copied into the site) runs in the browser and saves
    /// into the site's git repository on GitHub, GitLab or Gitea/Forgejo (Codeberg), so that
    /// editors need no git and the site no server. The repository and branch are read from
    /// the git repository the site is in, unless given. Signing in needs a one-time set-up on
    /// the host: docs/editing.md.
    Init(CmsInitArgs),
}

#[derive(Debug, Args)]
pub struct CmsInitArgs {
    /// Where the site's files are kept: github, gitlab or gitea (also Forgejo and Codeberg).
    #[arg(long, value_name = "HOST")]
    pub backend: String,
    /// The site folder, the one with cluster.yaml.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// The repository, as `owner/name` [default: from the git remote `origin`].
    #[arg(long, value_name = "OWNER/NAME")]
    pub repo: Option<String>,
    /// The branch the site is built from [default: the checked-out one, else main].
    #[arg(long)]
    pub branch: Option<String>,
    /// GitHub: the address of the sign-in service; GitLab, Gitea: the server, when not
    /// gitlab.com or codeberg.org [default: from the git remote].
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// GitLab, Gitea: the Application ID of the OAuth application editors sign in with.
    #[arg(long, value_name = "ID")]
    pub app_id: Option<String>,
    /// Replace a `cms:` section cluster.yaml has already.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// The site folder, the one with cluster.yaml.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Write the schemas here instead of DIR/schemas.
    #[arg(long, short, value_name = "DIR")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum DeployCommand {
    /// Write HOST's build recipe and set `hosting: HOST` in cluster.yaml.
    ///
    /// Writes the files that make HOST build and publish the site on every push, and sets
    /// `hosting: HOST` in cluster.yaml. HOST: github (GitHub Pages, an Actions workflow),
    /// gitlab (GitLab Pages, .gitlab-ci.yml), netlify (netlify.toml), cloudflare (Cloudflare
    /// Pages, an Actions workflow with Wrangler) or codeberg (Codeberg Pages, a Woodpecker
    /// pipeline). Step by step, custom domains included: docs/deploy.md.
    Init(DeployInitArgs),
}

#[derive(Debug, Args)]
pub struct DeployInitArgs {
    /// github, gitlab, netlify, cloudflare or codeberg.
    #[arg(value_name = "HOST")]
    pub host: String,
    /// The site folder, the one with cluster.yaml. The recipe goes to the root of the git
    /// repository it is in (or into the site folder, outside a repository).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Replace recipe files that exist already.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Create and update members from a spreadsheet (.xlsx, .ods, .csv).
    ///
    /// Columns are matched to member fields by their headers, in English, German, French or
    /// Italian (or by --map). Each row creates a member file or updates the fields of one
    /// that exists; an empty cell leaves the file's value, and bodies, comments and fields
    /// the sheet lacks are kept. Rows with problems are reported with their row number and
    /// skipped; the others are imported. Guide: docs/import.md.
    Members(ImportMembersArgs),
    /// Create and update events from an iCalendar file (.ics).
    ///
    /// Exported from Outlook, Google Calendar, Thunderbird or an event platform, or a
    /// clusterpress site's own events.ics. Each event creates an event file or updates the
    /// one imported from it before (found by its UID): times in the event's zone (Windows zone
    /// names too), all-day events as dates, location, description as the text, URL as the
    /// registration link, a category naming a kind as the kind, cancelled events marked.
    /// Texts edited on the site are kept. Guide: docs/import.md.
    Events(ImportEventsArgs),
}

#[derive(Debug, Args)]
pub struct ImportEventsArgs {
    /// The calendar: an iCalendar file (.ics).
    pub file: PathBuf,
    /// The site folder, the one with cluster.yaml.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Report what would change, writing nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// The kind of events whose categories name none: info-session, workshop, networking,
    /// webinar, conference, trade-show, trade-mission or pr-event.
    #[arg(long, value_name = "KIND", default_value = "networking")]
    pub kind: String,
    /// How many occurrences of a recurring event to import, from today on: each becomes an
    /// event of its own.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub occurrences: usize,
    /// Mark the site's occurrences of a recurring event that the calendar no longer has
    /// (an occurrence deleted, a series shortened) as cancelled; without it they are listed.
    #[arg(long)]
    pub mark_cancelled: bool,
    /// Load the site as of this date (YYYY-MM-DD) instead of today.
    #[arg(long, value_name = "DATE")]
    pub now: Option<String>,
}

#[derive(Debug, Args)]
pub struct ImportMembersArgs {
    /// The spreadsheet: .xlsx, .xls, .ods or .csv (any delimiter, UTF-8 or Windows-1252).
    pub file: PathBuf,
    /// The site folder, the one with cluster.yaml.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// A YAML file mapping column headers to fields (`Firmenname: name`,
    /// `Ort: location.city`, `Notizen: ignore`); it takes precedence over the headers' names.
    #[arg(long, value_name = "MAP.yaml")]
    pub map: Option<PathBuf>,
    /// Report what would change, writing nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Set `membership: {status: former}` for current members the sheet does not list.
    #[arg(long)]
    pub mark_former: bool,
    /// The worksheet to read in a workbook [default: the first].
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// Check years as of this date (YYYY-MM-DD) instead of today.
    #[arg(long, value_name = "DATE")]
    pub now: Option<String>,
}
