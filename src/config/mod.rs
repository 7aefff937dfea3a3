//! `cluster.yaml` → the typed site configuration.
//!
//! Like front matter, the file is read into a raw struct that refuses unknown keys, then
//! checked field by field into [`Config`]; every problem is reported, with its line.

pub mod cms;
pub mod host;
pub mod languages;
pub mod strings;
mod vocabulary;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde::Deserialize;

use crate::content::front_matter::{self, Seg, YamlSource};
use crate::diag::{Diagnostic, Diagnostics, did_you_mean};
use crate::text::{self, Refusal};
use crate::url::Urls;
use host::{Host, Redirect};

pub const CONFIG_FILE: &str = "cluster.yaml";

/// What `cluster.yaml` and a vocabulary file may say, for their JSON Schemas (`crate::schema`).
pub(crate) use RawConfig as RawConfigShape;
pub(crate) use vocabulary::RawVocabulary as RawVocabularyShape;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawConfig {
    name: Text,
    tagline: Option<Text>,
    description: Option<Text>,
    base_url: String,
    language: Option<String>,
    #[schemars(with = "Option<Vec<languages::Shape>>")]
    languages: Option<serde_json::Value>,
    timezone: Option<String>,
    logo: Option<String>,
    favicon: Option<String>,
    branding: Option<RawBranding>,
    contact: Option<RawContact>,
    #[serde(default)]
    social: BTreeMap<String, String>,
    #[serde(default)]
    navigation: Vec<RawNavItem>,
    theme: Option<String>,
    join_url: Option<String>,
    #[serde(default)]
    former_members: FormerMembers,
    #[schemars(with = "Option<vocabulary::Shape>")]
    vocabulary: Option<vocabulary::RawSource>,
    build: Option<RawBuild>,
    brochures: Option<RawBrochures>,
    map: Option<RawMap>,
    hosting: Option<String>,
    cms: Option<cms::RawCms>,
    #[serde(default)]
    redirects: Vec<RawRedirect>,
    #[serde(default)]
    extra: serde_json::Map<String, serde_json::Value>,
}

/// Whether a former member keeps a page of its own (`former_members: page | none`): a plain
/// one, without contact data, that the past items naming it link to.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum FormerMembers {
    #[default]
    Page,
    /// No page: past items name the member as plain text.
    None,
}

#[derive(Debug, Deserialize, JsonSchema, Default)]
#[serde(deny_unknown_fields)]
struct RawBrochures {
    enabled: Option<bool>,
    paper: Option<Paper>,
    pdf: Option<bool>,
    edition: Option<String>,
    title: Option<String>,
    order: Option<BrochureOrder>,
}

/// The member map's optional tile map (`map:` in `cluster.yaml`).
#[derive(Debug, Deserialize, JsonSchema, Default)]
#[serde(deny_unknown_fields)]
struct RawMap {
    /// The address of the map tiles, with `{z}`, `{x}` and `{y}`, e.g.
    /// `https://tile.openstreetmap.org/{z}/{x}/{y}.png`.
    tiles: Option<String>,
    /// Who the tiles are from, shown on the map, e.g. `© OpenStreetMap contributors`.
    attribution: Option<String>,
}

/// An interactive map the visitor may open over the member map: loaded from another site,
/// so only after a click (`map.tiles`).
#[derive(Debug, Clone, PartialEq)]
pub struct Tiles {
    /// The address of a tile, with `{z}`, `{x}` and `{y}`.
    pub url: String,
    /// Its scheme, host and port (`https://tile.openstreetmap.org`), for the page's
    /// Content-Security-Policy.
    pub origin: String,
    pub attribution: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawBranding {
    primary: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawContact {
    email: Option<String>,
    phone: Option<String>,
    address: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawRedirect {
    from: String,
    to: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct RawNavItem {
    title: Option<Text>,
    url: Option<String>,
    collection: Option<String>,
}

#[derive(Debug, Deserialize, JsonSchema, Default)]
#[serde(deny_unknown_fields)]
struct RawBuild {
    minify: Option<bool>,
    allow_html: Option<bool>,
    feeds: Option<bool>,
    sitemap: Option<bool>,
    calendars: Option<bool>,
    open_data: Option<bool>,
    search: Option<bool>,
    broken_links: Option<BrokenLinks>,
}

/// What a link that leads nowhere (or skips the base path) does to a build.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum BrokenLinks {
    /// The build fails (the default).
    #[default]
    Error,
    /// The build goes on and says where they are.
    Warning,
}

/// The paper brochures are laid out for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Paper {
    #[default]
    A4,
    Letter,
}

impl Paper {
    /// The CSS `@page` size.
    pub fn css(self) -> &'static str {
        match self {
            Paper::A4 => "A4",
            Paper::Letter => "letter",
        }
    }
}

/// The order of the members in the cluster brochure.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BrochureOrder {
    /// A–Z by name.
    #[default]
    Name,
    /// Grouped by first sector, A–Z within.
    Sector,
}

/// Print-ready brochures (`brochures:` in `cluster.yaml`).
#[derive(Debug, Clone)]
pub struct Brochures {
    /// Brochure and fact-sheet pages are made.
    pub enabled: bool,
    pub paper: Paper,
    /// PDFs are printed beside the brochure pages (`build --pdf` too).
    pub pdf: bool,
    /// Shown on covers: `2027`, `Spring 2027`. Default: the build's year.
    pub edition: Option<String>,
    /// The cluster brochure's title.
    pub title: Option<String>,
    pub order: BrochureOrder,
    /// The browser PDFs are printed with, when they are (set by the run, not the file).
    pub chrome: Option<PathBuf>,
}

/// The validated configuration of a site.
#[derive(Debug, Clone)]
pub struct Config {
    /// The site folder.
    pub root: PathBuf,
    pub text: String,
    pub name: String,
    pub tagline: Option<String>,
    pub description: Option<String>,
    pub base_url: String,
    pub urls: Urls,
    pub language: String,
    /// The words and ways of `language`: the theme's strings (with the site's own, from
    /// `i18n/<language>.yaml`), plurals, numbers, dates, country names.
    pub locale: std::sync::Arc<crate::i18n::Locale>,
    /// Every language of the site, the default (`language`) first; one, unless
    /// `languages:` lists more.
    pub languages: Vec<languages::Language>,
    /// The texts above as written, in every language, for [`Config::in_language`].
    texts: std::sync::Arc<Texts>,
    /// The zone of times written without one; `UTC` unless `timezone:` says otherwise.
    pub zone: jiff::tz::TimeZone,
    pub zone_name: String,
    /// Whether `timezone:` was set (`zone` is UTC when it was not).
    pub zone_chosen: bool,
    /// Site paths of files in `static/`, checked once the static files are known.
    pub logo: Option<String>,
    pub favicon: Option<String>,
    pub primary_color: Option<String>,
    pub contact: Contact,
    pub social: Vec<Link>,
    pub navigation: Vec<NavItem>,
    pub theme: Option<String>,
    /// Where to become a member: a page of the site or another address, for "Join" buttons.
    pub join_url: Option<String>,
    /// The site path `join_url` was made from, if it is one.
    join_path: Option<String>,
    /// What is left of a member that left the cluster (`former_members:`).
    pub former_members: FormerMembers,
    /// The controlled vocabulary of capabilities and sectors (empty: every term is free).
    pub vocabulary: crate::terms::Vocabulary,
    pub minify: bool,
    pub allow_html: bool,
    /// Publish the Atom feeds (news, position papers, events).
    pub feeds: bool,
    /// Publish `sitemap.xml` and `robots.txt`.
    pub sitemap: bool,
    /// Publish iCalendar files: `events.ics` and one per event and course session.
    pub calendars: bool,
    /// Publish the site search: its page and index, and the box in every page's header.
    pub search: bool,
    /// Publish the member directory as open data: `members.json`, `members.csv` and a vCard
    /// per member.
    pub open_data: bool,
    pub brochures: Brochures,
    /// The interactive tile map offered over the member map (`map.tiles`), if any.
    pub tiles: Option<Tiles>,
    /// What a broken internal link does to a build (`build.broken_links`).
    pub broken_links: BrokenLinks,
    /// The static host the site is published on (`hosting:`), for the files it reads and
    /// its limits.
    pub hosting: Option<Host>,
    /// The editing UI at `/admin/` (`cms:`), if the site has one.
    pub cms: Option<cms::Cms>,
    /// Old addresses that lead to pages of this site (`redirects:`).
    pub redirects: Vec<Redirect>,
    pub extra: serde_json::Map<String, serde_json::Value>,
}

#[derive(Debug, Clone, Default)]
pub struct Contact {
    pub email: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
}

/// An entry of the main menu, in the order of `cluster.yaml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NavItem {
    /// `title` and `url`.
    Link(Link),
    /// `collection: events`: the collection's list page, shown only while it exists (while
    /// the collection has published items), titled as the collection unless `title` says
    /// otherwise. The key is checked when the site is rendered, which knows the collections.
    Collection {
        key: String,
        title: Option<String>,
        /// The entry's position in `navigation`, for messages.
        index: usize,
    },
}

/// A titled link: a navigation entry or a social profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub title: String,
    /// An absolute URL, or a link path already prefixed with the base path.
    pub url: String,
    /// The site path `url` was made from, for a link within the site (`pages/about/`): each
    /// language of a site of several links to its own.
    pub site_path: Option<String>,
    /// Its position in `navigation` (or `social`).
    pub index: usize,
}

/// Settings given on the command line that win over `cluster.yaml`.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub base_url: Option<String>,
}

/// Reads and checks `site/cluster.yaml`. `Err` means no configuration could be made at all;
/// `Ok` may still carry errors (a bad colour), so that the rest of the site is checked too.
pub fn load(site: &Path, overrides: &Overrides) -> Result<(Config, Diagnostics), Diagnostics> {
    let path = site.join(CONFIG_FILE);
    let mut diags = Diagnostics::new();
    let text = match std::fs::read(&path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(t) => tidy(t),
            Err(_) => {
                diags.push(
                    Diagnostic::error("the file is not valid UTF-8 text")
                        .in_file(CONFIG_FILE)
                        .help("save it with UTF-8 encoding"),
                );
                return Err(diags);
            }
        },
        Err(e) => {
            let help = if site.join("cluster.yml").is_file() {
                "rename `cluster.yml` to `cluster.yaml`".to_string()
            } else if !site.is_dir() {
                format!(
                    "`{}` is not a folder; run `clusterpress new {}` to start a site there",
                    site.display(),
                    site.display()
                )
            } else {
                format!(
                    "is `{}` the site folder? Run `clusterpress new DIR` to start a new site",
                    site.display()
                )
            };
            let message = if e.kind() == std::io::ErrorKind::NotFound {
                format!("no `{CONFIG_FILE}` in `{}`", site.display())
            } else {
                format!("cannot read `{CONFIG_FILE}`: {e}")
            };
            diags.push(Diagnostic::error(message).in_file(CONFIG_FILE).help(help));
            return Err(diags);
        }
    };
    parse(site, text, overrides)
}

impl Config {
    /// The prefix of each language's pages, the default first (`de/`, `fr/`); one empty
    /// one for a site of one language.
    pub fn prefixes(&self) -> Vec<String> {
        match self.multilingual() {
            true => self
                .languages
                .iter()
                .map(|l| format!("{}/", l.code))
                .collect(),
            false => vec![String::new()],
        }
    }

    /// Whether the site has more than one language, each under its own prefix.
    pub fn multilingual(&self) -> bool {
        self.languages.len() > 1
    }

    /// The configuration as the pages of language `code` see it: its words, and its prefix
    /// on every page's URL. A site of one language has no prefix.
    pub fn in_language(&self, code: &str) -> Config {
        let Some(language) = self.languages.iter().find(|l| l.code == code) else {
            return self.clone();
        };
        let urls = match self.multilingual() {
            true => self.urls.in_language(code),
            false => self.urls.clone(),
        };
        let codes: Vec<String> = self.languages.iter().map(|l| l.code.clone()).collect();
        let order = language.order(&codes);
        let texts = &self.texts;
        let navigation = (self.navigation.iter())
            .map(|item| match item {
                NavItem::Link(l) => NavItem::Link(Link {
                    url: l.site_path.as_ref().map_or(l.url.clone(), |p| urls.link(p)),
                    title: nav_title(texts, item).map_or(l.title.clone(), |t| t.pick(&order)),
                    ..l.clone()
                }),
                NavItem::Collection { key, title, index } => NavItem::Collection {
                    key: key.clone(),
                    title: nav_title(texts, item)
                        .map(|t| t.pick(&order))
                        .filter(|t| !t.trim().is_empty())
                        .or_else(|| title.clone()),
                    index: *index,
                },
            })
            .collect();
        Config {
            name: texts.name.pick(&order).trim().to_string(),
            tagline: texts.tagline.as_ref().map(|t| t.pick(&order)),
            description: texts.description.as_ref().map(|t| t.pick(&order)),
            language: language.code.clone(),
            locale: language.locale.clone(),
            join_url: match &self.join_path {
                Some(p) => Some(urls.link(p)),
                None => self.join_url.clone(),
            },
            urls,
            navigation,
            ..self.clone()
        }
    }
}

/// A text of `cluster.yaml`: one for every language, or one per language (`{de: …, fr: …}`).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(untagged)]
enum Text {
    One(String),
    Each(BTreeMap<String, String>),
}

impl Text {
    /// The text in the first language of `order` it has.
    fn pick(&self, order: &[&str]) -> String {
        match self {
            Text::One(s) => s.clone(),
            Text::Each(map) => order
                .iter()
                .find_map(|code| map.get(*code))
                .or_else(|| map.values().next())
                .cloned()
                .unwrap_or_default(),
        }
    }
}

/// The texts of `cluster.yaml` that may differ by language, as written.
#[derive(Debug)]
struct Texts {
    name: Text,
    tagline: Option<Text>,
    description: Option<Text>,
    /// Each `navigation` entry's `title`, in the order written.
    navigation: Vec<Option<Text>>,
}

/// The title of a navigation entry as written, by its position.
fn nav_title<'t>(texts: &'t Texts, item: &NavItem) -> Option<&'t Text> {
    let index = match item {
        NavItem::Collection { index, .. } => *index,
        NavItem::Link(l) => l.index,
    };
    texts.navigation.get(index)?.as_ref()
}

/// A YAML file's text without a byte order mark, with `\n` line ends (old Mac line ends, a
/// lone CR, too, as in content files).
fn tidy(text: String) -> String {
    text.strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text)
        .replace("\r\n", "\n")
        .replace('\r', "\n")
}

/// Checks the text of a `cluster.yaml`.
pub fn parse(
    site: &Path,
    text: String,
    overrides: &Overrides,
) -> Result<(Config, Diagnostics), Diagnostics> {
    let mut diags = Diagnostics::new();
    let file = Path::new(CONFIG_FILE);
    let src = YamlSource {
        file,
        file_text: &text,
        yaml: &text,
        first_line: 1,
        resolved: None,
    };
    if let Err(d) = front_matter::check_characters(file, &text) {
        diags.push(d);
        return Err(diags);
    }
    let raw: RawConfig = match front_matter::parse_all(src) {
        Ok(r) => r,
        Err(found) => {
            diags.extend(found);
            return Err(diags);
        }
    };
    let at = |path: &[Seg<'_>], field: &str, (message, help): Refusal| {
        Diagnostic::error(message)
            .in_file(file)
            .at(&text, front_matter::locate(src, path))
            .field(field)
            .help(help)
    };

    let languages = languages::parse(
        raw.language.as_deref(),
        raw.languages.as_ref(),
        &mut |path, field, r| diags.push(at(path, field, r)),
    );
    // Texts written once for every language, or per language (`{de: …, fr: …}`).
    let codes: Vec<String> = languages.iter().map(|l| l.code.clone()).collect();
    let mut check_text = |text: &Text, path: &[Seg<'_>], field: &str| {
        if let Text::Each(map) = text {
            for key in map.keys().filter(|k| !codes.contains(k)) {
                diags.push(at(
                    path,
                    field,
                    (
                        format!("`{key}` is not one of the site's languages"),
                        format!(
                            "write the text once, or once for each of the site's languages ({})",
                            codes.join(", ")
                        ),
                    ),
                ));
            }
        }
    };
    check_text(&raw.name, &[Seg::Key("name")], "name");
    if let Some(t) = &raw.tagline {
        check_text(t, &[Seg::Key("tagline")], "tagline");
    }
    if let Some(t) = &raw.description {
        check_text(t, &[Seg::Key("description")], "description");
    }
    for (i, item) in raw.navigation.iter().enumerate() {
        if let Some(t) = &item.title {
            let path = [Seg::Key("navigation"), Seg::Index(i), Seg::Key("title")];
            check_text(t, &path, &format!("navigation[{i}].title"));
        }
    }
    let order: Vec<String> = (languages[0].order(&codes).into_iter())
        .map(String::from)
        .collect();
    let order: Vec<&str> = order.iter().map(String::as_str).collect();
    let texts = Texts {
        name: raw.name.clone(),
        tagline: raw.tagline.clone(),
        description: raw.description.clone(),
        navigation: raw.navigation.iter().map(|n| n.title.clone()).collect(),
    };
    let name = raw.name.pick(&order);
    if name.trim().is_empty() {
        diags.push(at(
            &[Seg::Key("name")],
            "name",
            (
                "the site name is empty".into(),
                "write the cluster's name, e.g. `name: Automotive Cluster Bavaria`".into(),
            ),
        ));
    }
    let base_url = overrides.base_url.clone().unwrap_or(raw.base_url);
    let urls = match Urls::new(&base_url) {
        Ok(u) => Some(u),
        Err(message) => {
            let help = "write the address the site will be published at, e.g. `https://my-cluster.example/` or `https://org.github.io/my-cluster/`".to_string();
            if overrides.base_url.is_some() {
                diags.push(Diagnostic::error(format!("--base-url: {message}")).help(help));
            } else {
                diags.push(at(&[Seg::Key("base_url")], "base_url", (message, help)));
            }
            None
        }
    };
    let language = languages[0].code.clone();
    let (zone, zone_name) = match raw.timezone.as_deref() {
        None => (jiff::tz::TimeZone::UTC, "UTC".to_string()),
        Some(name) => match text::parse_zone(name) {
            Ok(z) => (z, name.trim().to_string()),
            Err(r) => {
                diags.push(at(&[Seg::Key("timezone")], "timezone", r));
                (jiff::tz::TimeZone::UTC, "UTC".to_string())
            }
        },
    };
    let primary_color = raw
        .branding
        .and_then(|b| b.primary)
        .and_then(|c| match text::check_color(&c) {
            Ok(c) => Some(c),
            Err(r) => {
                diags.push(at(
                    &[Seg::Key("branding"), Seg::Key("primary")],
                    "branding.primary",
                    r,
                ));
                None
            }
        });
    let contact = raw.contact.map_or_else(Contact::default, |c| Contact {
        email: c.email.and_then(|e| match text::check_email(&e) {
            Ok(e) => Some(e),
            Err(r) => {
                diags.push(at(
                    &[Seg::Key("contact"), Seg::Key("email")],
                    "contact.email",
                    r,
                ));
                None
            }
        }),
        phone: c.phone,
        address: c.address,
    });
    let mut social = Vec::new();
    for (network, url) in raw.social {
        match text::check_web_url(&url) {
            Ok(url) => social.push(Link {
                site_path: None,
                index: social.len(),
                title: network,
                url,
            }),
            Err(r) => diags.push(at(
                &[Seg::Key("social"), Seg::Key(&network)],
                &format!("social.{network}"),
                r,
            )),
        }
    }
    let mut navigation = Vec::new();
    for (i, item) in raw.navigation.into_iter().enumerate() {
        let nav_path = [Seg::Key("navigation"), Seg::Index(i), Seg::Key("url")];
        let title = item.title.map(|t| t.pick(&order));
        let (title, item_url) = match (title, item.url, item.collection) {
            (title, None, Some(key)) => {
                navigation.push(NavItem::Collection {
                    key: key.trim().to_string(),
                    title: title.filter(|t| !t.trim().is_empty()),
                    index: i,
                });
                continue;
            }
            (Some(title), Some(url), None) => (title, url),
            (title, url, collection) => {
                let (message, help) = match (title.is_some(), url.is_some(), collection.is_some()) {
                    (_, true, true) => (
                        "a menu entry has both `url` and `collection`",
                        "keep `url` (with `title`) for a page or address, or `collection` for a collection's list page",
                    ),
                    (false, true, false) => (
                        "a menu entry has a `url` but no `title`",
                        "add `title: …`, the text of the link",
                    ),
                    _ => (
                        "a menu entry needs `title` and `url`, or `collection`",
                        "write `- title: About` and `  url: /pages/about/`, or `- collection: events` for the events page while there are events",
                    ),
                };
                diags.push(at(
                    &[Seg::Key("navigation"), Seg::Index(i)],
                    &format!("navigation[{i}]"),
                    (message.to_string(), help.to_string()),
                ));
                continue;
            }
        };
        let mut site_path = None;
        let url = if let Some(address) = item_url.strip_prefix("mailto:") {
            match text::check_email(address) {
                Ok(e) => format!("mailto:{e}"),
                Err(r) => {
                    diags.push(at(&nav_path, &format!("navigation[{i}].url"), r));
                    continue;
                }
            }
        } else if item_url.starts_with("tel:") {
            item_url.split_whitespace().collect()
        } else if item_url.contains("://") || text::dangerous_scheme(&item_url).is_some() {
            match text::check_web_url(&item_url) {
                Ok(u) => u,
                Err(r) => {
                    diags.push(at(
                        &[Seg::Key("navigation"), Seg::Index(i), Seg::Key("url")],
                        &format!("navigation[{i}].url"),
                        r,
                    ));
                    continue;
                }
            }
        } else {
            // A site path; whether a page exists there is checked after rendering.
            site_path = Some(item_url.trim_start_matches('/').to_string());
            match &urls {
                Some(u) => u.link(&item_url),
                None => item_url.clone(),
            }
        };
        navigation.push(NavItem::Link(Link {
            title,
            url,
            site_path,
            index: i,
        }));
    }
    let theme = raw.theme.filter(|t| t != "default");
    let tiles = raw.map.and_then(|m| {
        let url = m.tiles?;
        let checked = check_tiles(&url, m.attribution.as_deref());
        checked
            .map_err(|(field, r)| diags.push(at(&[Seg::Key("map"), Seg::Key(field)], field, r)))
            .ok()
    });
    let raw_join = raw.join_url.clone();
    let join_url = match raw.join_url {
        None => None,
        Some(u) if u.contains("://") || text::dangerous_scheme(&u).is_some() => {
            match text::check_web_url(&u) {
                Ok(u) => Some(u),
                Err(r) => {
                    diags.push(at(&[Seg::Key("join_url")], "join_url", r));
                    None
                }
            }
        }
        Some(u) => Some(urls.as_ref().map_or(u.clone(), |x| x.link(&u))),
    };
    let join_path = join_url
        .as_ref()
        .filter(|u| !u.contains("://"))
        .and(raw_join);
    let build = raw.build.unwrap_or_default();
    let brochures = raw.brochures.unwrap_or_default();
    let hosting = raw
        .hosting
        .and_then(|name| parse_hosting(&name, &at, &mut diags));
    // A site address on one host's domain with another host named is a copy-and-paste slip.
    if let (Some(host), Some(u)) = (hosting, urls.as_ref()) {
        let address = u.permalink("");
        match host::host_of_address(&address) {
            Some(other) if other != host => {
                let mut d = at(
                    &[Seg::Key("hosting")],
                    "hosting",
                    (
                        format!(
                            "`hosting: {}`, but the site's address {address} is on {}",
                            host.name(),
                            other.title()
                        ),
                        format!(
                            "write `hosting: {}`, or the {} address as `base_url`",
                            other.name(),
                            host.title()
                        ),
                    ),
                );
                d.severity = crate::diag::Severity::Warning;
                diags.push(d);
            }
            _ => {}
        }
    }
    // A redirect to a page of a site of several languages leads to the default language's,
    // unless it names a language itself.
    let prefixes: Vec<String> = match languages.len() > 1 {
        true => languages.iter().map(|l| format!("{}/", l.code)).collect(),
        false => Vec::new(),
    };
    let target_urls = urls.as_ref().map(|u| match languages.len() > 1 {
        true => u.in_language(&languages[0].code),
        false => u.clone(),
    });
    let redirects = parse_redirects(
        raw.redirects,
        target_urls.as_ref(),
        &prefixes,
        &at,
        &mut diags,
    );
    let vocabulary = vocabulary::build(site, raw.vocabulary, &at, &mut diags);
    let cms = raw.cms.and_then(|c| cms::parse(c, &at, &mut diags));
    let mut languages = languages;
    for l in &mut languages {
        let mut locale = strings::locale(site, &l.code, &mut diags);
        if let Some(format) = &l.date_format
            && let Some(locale) = std::sync::Arc::get_mut(&mut locale)
        {
            locale.set_text("date.day", format);
        }
        l.locale = locale;
    }
    let locale = languages[0].locale.clone();

    // Without an address no URL can be made; other problems are reported with the rest.
    let Some(urls) = urls else { return Err(diags) };
    let config = Config {
        root: site.to_path_buf(),
        text: text.clone(),
        name: name.trim().to_string(),
        tagline: raw.tagline.map(|t| t.pick(&order)),
        description: raw.description.map(|t| t.pick(&order)),
        texts: std::sync::Arc::new(texts),
        base_url: urls.permalink(""),
        urls,
        language,
        locale,
        languages,
        zone,
        zone_name,
        zone_chosen: raw.timezone.is_some(),
        logo: raw.logo,
        favicon: raw.favicon,
        primary_color,
        contact,
        social,
        navigation,
        theme,
        join_url,
        join_path,
        former_members: raw.former_members,
        vocabulary,
        minify: build.minify.unwrap_or(true),
        allow_html: build.allow_html.unwrap_or(false),
        feeds: build.feeds.unwrap_or(true),
        sitemap: build.sitemap.unwrap_or(true),
        calendars: build.calendars.unwrap_or(true),
        search: build.search.unwrap_or(true),
        open_data: build.open_data.unwrap_or(true),
        tiles,
        brochures: Brochures {
            enabled: brochures.enabled.unwrap_or(true),
            paper: brochures.paper.unwrap_or_default(),
            pdf: brochures.pdf.unwrap_or(false),
            edition: brochures.edition.filter(|e| !e.trim().is_empty()),
            title: brochures.title.filter(|t| !t.trim().is_empty()),
            order: brochures.order.unwrap_or_default(),
            chrome: None,
        },
        broken_links: build.broken_links.unwrap_or_default(),
        hosting,
        cms,
        redirects,
        extra: raw.extra,
    };
    Ok((config, diags))
}

/// Builds a diagnostic at a field of `cluster.yaml`.
pub(super) type At<'a> = dyn Fn(&[Seg<'_>], &str, Refusal) -> Diagnostic + 'a;

/// `hosting:`: one of the hosts (any case), or `none`.
fn parse_hosting(name: &str, at: &At<'_>, diags: &mut Diagnostics) -> Option<Host> {
    let name = name.trim().to_ascii_lowercase();
    if name.is_empty() || name == "none" {
        return None;
    }
    let host = Host::from_name(&name);
    if host.is_none() {
        let names: Vec<&str> = Host::ALL.into_iter().map(Host::name).collect();
        let help = match did_you_mean(&name, names.iter().copied()) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!(
                "write one of {}, or leave `hosting:` out",
                crate::diag::one_of(&names)
            ),
        };
        diags.push(at(
            &[Seg::Key("hosting")],
            "hosting",
            (format!("unknown host `{name}`"), help),
        ));
    }
    host
}

/// `redirects:`: each `from` a path of the site, each `to` a path of the site or a web
/// address; whether `to` leads to a page is checked once the pages are known.
fn parse_redirects(
    raw: Vec<RawRedirect>,
    urls: Option<&Urls>,
    prefixes: &[String],
    at: &At<'_>,
    diags: &mut Diagnostics,
) -> Vec<Redirect> {
    let mut redirects = Vec::new();
    for (i, r) in raw.into_iter().enumerate() {
        let field = |key: &'static str| {
            (
                format!("redirects[{i}].{key}"),
                [Seg::Key("redirects"), Seg::Index(i), Seg::Key(key)],
            )
        };
        let from = r.from.trim();
        let from_ok = from.starts_with('/')
            && !from.starts_with("//")
            && unbroken(from)
            && !from.contains(['?', '#', '*', '\\'])
            && !from.split('/').any(|s| s == ".." || s == ".");
        // Each part of the path may become a folder or a file of the output (a redirect
        // page on hosts without a redirect file).
        if let Some(long) = from
            .split('/')
            .find(|part| part.len() > text::MAX_NAME_BYTES)
        {
            let (name, path) = field("from");
            diags.push(at(
                &path,
                &name,
                (
                    format!(
                        "`{}` in this path is too long: {} bytes, at most {} are allowed",
                        text::shortened(long),
                        long.len(),
                        text::MAX_NAME_BYTES
                    ),
                    "shorten it: each part of the path may become a folder of the site, and file systems limit names to 255 bytes".into(),
                ),
            ));
            continue;
        }
        if !from_ok {
            let (name, path) = field("from");
            diags.push(at(
                &path,
                &name,
                (
                    format!("`{}` is not a path of the site", from.escape_debug()),
                    "write the old address's path, starting with `/`, e.g. `/mitglieder/` (no `?`, `#`, `*`, spaces or line breaks)".into(),
                ),
            ));
            continue;
        }
        let to = r.to.trim();
        // `_redirects` is one rule a line, its parts separated by spaces: a line break or a
        // space in `to` would add a rule of its own (issue 17).
        if !unbroken(to) {
            let (name, path) = field("to");
            diags.push(at(
                &path,
                &name,
                (
                    "an address cannot contain spaces, tabs or line breaks".into(),
                    "write one address; encode a space in it as `%20`".into(),
                ),
            ));
            continue;
        }
        let to = if to.contains("://") || text::dangerous_scheme(to).is_some() {
            match text::check_web_url(to) {
                Ok(u) => u,
                Err(refusal) => {
                    let (name, path) = field("to");
                    diags.push(at(&path, &name, refusal));
                    continue;
                }
            }
        } else if to.starts_with('/') && !to.starts_with("//") {
            let rest = &to[1..];
            urls.map_or(to.to_string(), |u| {
                match prefixes.iter().any(|p| rest.starts_with(p.as_str())) {
                    true => u.asset(rest),
                    false => u.link(rest),
                }
            })
        } else {
            let (name, path) = field("to");
            diags.push(at(
                &path,
                &name,
                (
                    format!("`{to}` is neither a path of the site nor a web address"),
                    "write a path starting with `/`, e.g. `/members/`, or an address starting with https://".into(),
                ),
            ));
            continue;
        };
        let mut from = from.trim_start_matches('/').to_string();
        // `/old` and `/old/` are the same page on every host: the folder's index.
        if !from.is_empty()
            && !from.ends_with('/')
            && !from.rsplit('/').next().is_some_and(|l| l.contains('.'))
        {
            from.push('/');
        }
        let leads_back = urls.is_some_and(|u| {
            let target = to.split(['#', '?']).next().unwrap_or("");
            let source = u.path(&from);
            source == target || source.strip_suffix('/') == Some(target)
        });
        if leads_back {
            let (name, path) = field("to");
            diags.push(at(
                &path,
                &name,
                (
                    format!("`{to}` is where the redirect comes from"),
                    "a redirect must lead to another address; remove it or change `to`".into(),
                ),
            ));
            continue;
        }
        redirects.push(Redirect { from, to, index: i });
    }
    if let Some(urls) = urls {
        report_circles(&redirects, urls, at, diags);
    }
    redirects
}

/// Whether an address has no whitespace or control character in it, which no address needs
/// and which would end a line or a field of `_redirects`.
fn unbroken(address: &str) -> bool {
    !address.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Redirects that lead round in a circle (`/a/` → `/b/` → `/a/`): a browser would go round
/// until it gives up. Reported once per circle, at its first redirect.
fn report_circles(redirects: &[Redirect], urls: &Urls, at: &At<'_>, diags: &mut Diagnostics) {
    // `/a` and `/a/` are one page.
    let key = |path: &str| path.trim_end_matches('/').to_string();
    let next: std::collections::HashMap<String, (String, &str)> = redirects
        .iter()
        .map(|r| {
            let to = r.to.split(['#', '?']).next().unwrap_or("");
            (key(&urls.asset(&r.from)), (key(to), to))
        })
        .collect();
    let index_of: std::collections::HashMap<String, usize> = redirects
        .iter()
        .map(|r| (key(&urls.asset(&r.from)), r.index))
        .collect();
    for r in redirects {
        let first = urls.asset(&r.from);
        let start = key(&first);
        let mut shown = vec![format!("`{first}`")];
        let mut seen = vec![start.clone()];
        let mut here = start.clone();
        while let Some((to, to_shown)) = next.get(&here) {
            shown.push(format!("`{to_shown}`"));
            if *to == start {
                // Reported once, by the circle's first redirect in `cluster.yaml`.
                let first_in_file = seen.iter().filter_map(|p| index_of.get(p)).min();
                if first_in_file == Some(&r.index) {
                    diags.push(at(
                        &[Seg::Key("redirects"), Seg::Index(r.index), Seg::Key("to")],
                        &format!("redirects[{}].to", r.index),
                        (
                            format!(
                                "these redirects go round in a circle: {}",
                                shown.join(" → ")
                            ),
                            "make one of them lead to a page of the site".into(),
                        ),
                    ));
                }
                break;
            }
            if seen.contains(to) {
                break; // a circle that `r` leads into but is not part of
            }
            seen.push(to.clone());
            here = to.clone();
        }
    }
}

impl Config {
    /// A diagnostic pointing at a field of `cluster.yaml`.
    pub fn error_at(&self, path: &[Seg<'_>], field: &str, (message, help): Refusal) -> Diagnostic {
        let src = YamlSource {
            file: Path::new(CONFIG_FILE),
            file_text: &self.text,
            yaml: &self.text,
            first_line: 1,
            resolved: None,
        };
        Diagnostic::error(message)
            .in_file(CONFIG_FILE)
            .at(&self.text, front_matter::locate(src, path))
            .field(field)
            .help(help)
    }
}

/// Suggests the closest of `names`, for "no such theme" style errors.
pub fn suggest(input: &str, names: &[String]) -> Option<String> {
    did_you_mean(input, names.iter().map(String::as_str)).map(str::to_string)
}

/// `map.tiles` and `map.attribution`: a web address of tiles with `{z}`, `{x}` and `{y}`
/// (https, or http on this machine for testing), and the words that credit them.
fn check_tiles(url: &str, attribution: Option<&str>) -> Result<Tiles, (&'static str, Refusal)> {
    let refuse = |why: String| {
        (
            "tiles",
            (
                why,
                "write the address of the tiles with {z}, {x} and {y}, e.g. `https://tile.openstreetmap.org/{z}/{x}/{y}.png`".to_string(),
            ),
        )
    };
    let url = url.trim();
    let parsed = url::Url::parse(&url.replace(['{', '}'], ""))
        .map_err(|e| refuse(format!("`{url}` is not a web address ({e})")))?;
    let local = matches!(parsed.host_str(), Some("localhost" | "127.0.0.1"));
    if parsed.scheme() != "https" && !(parsed.scheme() == "http" && local) {
        return Err(refuse(format!("`{url}` is not an https:// address")));
    }
    for place in ["{z}", "{x}", "{y}"] {
        if !url.contains(place) {
            return Err(refuse(format!("`{url}` has no `{place}`")));
        }
    }
    let attribution = attribution.map(str::trim).filter(|a| !a.is_empty());
    let Some(attribution) = attribution else {
        return Err((
            "attribution",
            (
                "`map.tiles` needs `map.attribution`: tile maps must credit their source".into(),
                "add e.g. `attribution: \"© OpenStreetMap contributors\"` under `map:`".into(),
            ),
        ));
    };
    Ok(Tiles {
        url: url.to_string(),
        origin: parsed.origin().ascii_serialization(),
        attribution: attribution.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<Config, Vec<Diagnostic>> {
        match parse(Path::new("site"), text.to_string(), &Overrides::default()) {
            Ok((c, d)) if !d.has_errors() => Ok(c),
            Ok((_, d)) | Err(d) => Err(d.into_sorted()),
        }
    }

    #[test]
    fn minimal_config_gets_defaults() {
        let c = parse_str("name: Test Cluster\nbase_url: https://t.example/sub\n").unwrap();
        assert_eq!(c.language, "en");
        assert_eq!(c.urls.base_path(), "/sub/");
        assert!(c.minify);
        assert!(!c.allow_html);
    }

    #[test]
    fn every_bad_field_is_reported_with_its_line() {
        let errors = parse_str(
            "name: T\nbase_url: https://t.example/\nlanguage: English\nbranding:\n  primary: red\nsocial:\n  linkedin: javascript:alert(1)\n",
        )
        .unwrap_err();
        let lines: Vec<usize> = errors.iter().map(|d| d.span.unwrap().line).collect();
        assert_eq!(lines, vec![3, 5, 7], "{errors:?}");
        assert_eq!(errors[1].field.as_deref(), Some("branding.primary"));
    }

    #[test]
    fn unknown_key_suggests_the_right_one() {
        let errors =
            parse_str("name: T\nbase_url: https://t.example/\nnavigaton: []\n").unwrap_err();
        assert_eq!(
            errors[0].help.as_deref(),
            Some("did you mean `navigation`?")
        );
    }

    fn url(item: &NavItem) -> &str {
        match item {
            NavItem::Link(l) => &l.url,
            NavItem::Collection { .. } => panic!("a collection entry: {item:?}"),
        }
    }

    #[test]
    fn a_menu_entry_is_a_link_or_a_collection_and_never_both() {
        let c = parse_str("name: T\nbase_url: https://t.example/\nnavigation:\n  - collection: events\n  - collection: news\n    title: What's new\n").unwrap();
        assert_eq!(
            c.navigation,
            [
                NavItem::Collection {
                    key: "events".into(),
                    title: None,
                    index: 0
                },
                NavItem::Collection {
                    key: "news".into(),
                    title: Some("What's new".into()),
                    index: 1
                },
            ]
        );
        let err = parse_str(
            "name: T\nbase_url: https://t.example/\nnavigation:\n  - title: X\n    url: /x/\n    collection: events\n  - url: /y/\n  - title: Z\n",
        );
        let diags = err.unwrap_err();
        let messages: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "a menu entry has both `url` and `collection`",
                "a menu entry has a `url` but no `title`",
                "a menu entry needs `title` and `url`, or `collection`",
            ]
        );
    }

    #[test]
    fn navigation_paths_get_the_base_path() {
        let c = parse_str("name: T\nbase_url: https://t.example/sub/\nnavigation:\n  - title: Members\n    url: /members/\n").unwrap();
        assert_eq!(url(&c.navigation[0]), "/sub/members/");
    }

    #[test]
    fn join_url_gets_the_base_path_or_must_be_a_web_address() {
        let c = parse_str("name: T\nbase_url: https://t.example/sub/\njoin_url: /pages/join/\n")
            .unwrap();
        assert_eq!(c.join_url.as_deref(), Some("/sub/pages/join/"));
        let errors =
            parse_str("name: T\nbase_url: https://t.example/\njoin_url: javascript:alert(1)\n")
                .unwrap_err();
        assert_eq!(errors[0].field.as_deref(), Some("join_url"));
    }

    #[test]
    fn navigation_may_link_to_mail_and_phone() {
        let c = parse_str("name: T\nbase_url: https://t.example/\nnavigation:\n  - title: Write\n    url: mailto:office@t.example\n  - title: Call\n    url: tel:+49 30 1\n").unwrap();
        assert_eq!(url(&c.navigation[0]), "mailto:office@t.example");
        assert_eq!(url(&c.navigation[1]), "tel:+49301");
    }

    #[test]
    fn redirects_are_normalised_and_checked() {
        let c = parse_str("name: T\nbase_url: https://t.example/sub/\nredirects:\n  - from: /alt\n    to: /members/\n  - from: /x/old.html\n    to: https://else.example/\n").unwrap();
        assert_eq!(c.redirects[0].from, "alt/");
        assert_eq!(c.redirects[0].to, "/sub/members/");
        assert_eq!(c.redirects[1].from, "x/old.html");
        assert_eq!(c.redirects[1].to, "https://else.example/");
        let errors = parse_str("name: T\nbase_url: https://t.example/\nredirects:\n  - from: /a/\n    to: /a\n  - from: /../etc/\n    to: /\n  - from: /b/\n    to: members/\n").unwrap_err();
        let fields: Vec<_> = errors.iter().map(|d| d.field.clone().unwrap()).collect();
        assert_eq!(
            fields,
            ["redirects[0].to", "redirects[1].from", "redirects[2].to"],
            "{errors:?}"
        );
        assert!(errors[0].message.contains("where the redirect comes from"));
    }

    #[test]
    fn a_redirect_cannot_smuggle_a_rule_or_go_round_in_a_circle_issue_17() {
        let errors = parse_str(concat!(
            "name: T\nbase_url: https://t.example/\nredirects:\n",
            "  - from: /a/\n    to: \"https://x.example/a\\n/* https://evil.example/ 200!\"\n",
            "  - from: \"/b\\t/c\"\n    to: /\n",
            "  - from: /d/\n    to: \"/members/ x\"\n",
            "  - from: /one/\n    to: /two/\n",
            "  - from: /two\n    to: /three/#top\n",
            "  - from: /three/\n    to: /one/\n",
            "  - from: /four/\n    to: /two/\n",
        ))
        .unwrap_err();
        let fields: Vec<_> = errors.iter().map(|d| d.field.clone().unwrap()).collect();
        assert_eq!(
            fields,
            [
                "redirects[0].to",
                "redirects[1].from",
                "redirects[2].to",
                "redirects[3].to"
            ],
            "{errors:?}"
        );
        assert_eq!(
            errors[3].message,
            "these redirects go round in a circle: `/one/` → `/two/` → `/three/` → `/one/`"
        );
    }

    #[test]
    fn hosting_is_one_of_the_hosts() {
        let c = parse_str("name: T\nbase_url: https://t.example/\nhosting: GitLab\n").unwrap();
        assert_eq!(c.hosting, Some(Host::Gitlab));
        let c = parse_str("name: T\nbase_url: https://t.example/\nhosting: none\n").unwrap();
        assert_eq!(c.hosting, None);
        let errors =
            parse_str("name: T\nbase_url: https://t.example/\nhosting: netlfy\n").unwrap_err();
        assert_eq!(errors[0].help.as_deref(), Some("did you mean `netlify`?"));
        let (_, diags) = parse(
            Path::new("s"),
            "name: T\nbase_url: https://acme.gitlab.io/c/\nhosting: github\n".into(),
            &Overrides::default(),
        )
        .unwrap();
        let d = diags.into_sorted();
        assert_eq!(d.len(), 1);
        assert!(!d[0].is_error());
        assert_eq!(
            d[0].message,
            "`hosting: github`, but the site's address https://acme.gitlab.io/c/ is on GitLab Pages"
        );
    }

    #[test]
    fn base_url_override_wins() {
        let (c, _) = parse(
            Path::new("s"),
            "name: T\nbase_url: https://t.example/\n".into(),
            &Overrides {
                base_url: Some("https://o.example/x/".into()),
            },
        )
        .unwrap();
        assert_eq!(c.base_url, "https://o.example/x/");
    }
}
