//! What templates see: the site, members, terms and pages as template values.
//!
//! Each view is built once per build and shared (template values are reference-counted), so a
//! term page listing 5,000 members does not copy them. The field names here are the theme API
//! documented in `docs/themes.md`; renaming one breaks every custom theme.

use serde::Serialize;
use tera::Value;

use crate::model::member::{Member, size_band};
use crate::model::{Entry, Site, Taxonomy, initial};
use crate::url::{Urls, paths};

#[derive(Serialize)]
struct SiteView<'a> {
    name: &'a str,
    tagline: Option<&'a str>,
    description: Option<&'a str>,
    /// The home page's address: the language's, in a site of several.
    base_url: String,
    base_path: String,
    language: &'a str,
    logo: Option<String>,
    favicon: Option<String>,
    primary_color: Option<&'a str>,
    contact: ContactView<'a>,
    social: Vec<LinkView<'a>>,
    navigation: Vec<LinkView<'a>>,
    member_count: usize,
    country_count: usize,
    sector_count: usize,
    taxonomies: Vec<TaxonomyRef<'a>>,
    members_url: String,
    /// The site search's page; none when `build.search` is off.
    search_url: Option<String>,
    /// Where to become a member (`join_url` in cluster.yaml), if given.
    join_url: Option<&'a str>,
    /// The collections that have items: `{key, title, url, count}`.
    collections: Vec<CollectionRef>,
    /// The Atom feeds of the site: `{title, url}`.
    feeds: Vec<FeedRef>,
    /// The subscribable calendar of all events and course sessions, if there are any.
    calendar_url: Option<String>,
    /// The same calendar to subscribe to rather than download: `{webcal, google, outlook}`.
    calendar_subscribe: Option<CalendarSubscribe>,
    /// `sitemap.xml`, unless `build.sitemap` is off.
    sitemap_url: Option<String>,
    /// The built-in stylesheet and script every page loads (`clusterpress.css`, `.js`).
    stylesheet_url: String,
    script_url: String,
    /// Open data: members as JSON and CSV.
    members_json: Option<String>,
    members_csv: Option<String>,
    members_xlsx: Option<String>,
    /// Print-ready brochures, if made.
    brochures: Option<BrochuresView<'a>>,
    /// The built-in script's words, as JSON, when they are not its own English ones.
    script_strings: Option<String>,
    year: i16,
    generator: &'static str,
    extra: &'a serde_json::Map<String, serde_json::Value>,
}

/// Links that subscribe a calendar app to the site's calendar, so that it follows changes: a
/// plain `https:` link is downloaded once (issue 19).
#[derive(Serialize)]
struct CalendarSubscribe {
    /// `webcal://…/events.ics`: opens the system's calendar app (Apple Calendar, Outlook,
    /// Thunderbird) with "subscribe" rather than "import".
    webcal: String,
    /// Google Calendar's "add by URL".
    google: String,
    /// Outlook.com's "add from web".
    outlook: String,
}

/// The subscription links of the calendar at `permalink` (an absolute `http(s):` address).
fn calendar_subscribe(permalink: &str, name: &str) -> CalendarSubscribe {
    let enc = |s: &str| url::form_urlencoded::byte_serialize(s.as_bytes()).collect::<String>();
    let rest = permalink
        .strip_prefix("https://")
        .or_else(|| permalink.strip_prefix("http://"))
        .unwrap_or(permalink);
    let webcal = format!("webcal://{rest}");
    CalendarSubscribe {
        google: format!(
            "https://calendar.google.com/calendar/render?cid={}",
            enc(&webcal)
        ),
        outlook: format!(
            "https://outlook.live.com/calendar/0/addfromweb?url={}&name={}",
            enc(permalink),
            enc(name)
        ),
        webcal,
    }
}

#[derive(Serialize)]
struct BrochuresView<'a> {
    /// The cluster brochure's page.
    url: String,
    title: &'a str,
    /// The CSS `@page` size: `A4` or `letter`.
    paper: &'static str,
    /// PDFs are printed beside the brochure pages.
    pdf: bool,
    /// Shown on covers.
    edition: String,
}

#[derive(Serialize)]
struct CollectionRef {
    key: &'static str,
    title: String,
    url: String,
    count: usize,
}

#[derive(Serialize)]
pub struct FeedRef {
    pub title: String,
    pub url: String,
}

/// The main menu: the entries of `navigation` in `cluster.yaml`, where a `collection:` entry
/// is the collection's list page while it has one (see [`collections`]) and is left out
/// otherwise, so that the menu never links to a page that does not exist.
fn navigation<'a>(site: &'a Site, collections: &[CollectionRef]) -> Vec<LinkView<'a>> {
    use crate::config::NavItem;
    site.config
        .navigation
        .iter()
        .filter_map(|item| match item {
            NavItem::Link(l) => Some(LinkView {
                title: l.title.as_str().into(),
                url: l.url.as_str().into(),
            }),
            NavItem::Collection { key, title, .. } => {
                let c = collections.iter().find(|c| c.key == key)?;
                Some(LinkView {
                    title: title.clone().unwrap_or_else(|| c.title.to_string()).into(),
                    url: c.url.clone().into(),
                })
            }
        })
        .collect()
}

/// Problems of the menu that only the rendering can tell: a `collection:` entry that names
/// no collection.
pub(crate) fn check_navigation(site: &Site) -> crate::diag::Diagnostics {
    use crate::config::NavItem;
    let mut known: Vec<&'static str> = Vec::new();
    struct Keys<'a>(&'a mut Vec<&'static str>);
    impl super::items::Visit for Keys<'_> {
        fn visit<C: super::items::Shown>(&mut self) {
            if !["members", "pages"].contains(&C::KEY) {
                self.0.push(C::KEY);
            }
        }
    }
    super::items::each(&mut Keys(&mut known));
    known.extend(["positions", "supply-chain"]);
    let mut diags = crate::diag::Diagnostics::new();
    for item in &site.config.navigation {
        let NavItem::Collection { key, index, .. } = item else {
            continue;
        };
        if known.contains(&key.as_str()) {
            continue;
        }
        let help = match crate::diag::did_you_mean(key, known.iter().copied()) {
            Some(best) => format!(
                "did you mean `{best}`? Collections: {}",
                crate::diag::one_of(&known)
            ),
            None => format!(
                "collections with a list page: {}",
                crate::diag::one_of(&known)
            ),
        };
        diags.push(site.config.error_at(
            &[
                crate::content::front_matter::Seg::Key("navigation"),
                crate::content::front_matter::Seg::Index(*index),
                crate::content::front_matter::Seg::Key("collection"),
            ],
            &format!("navigation[{index}].collection"),
            (format!("there is no collection `{key}`"), help),
        ));
    }
    diags
}

/// The collections with at least one item, in the order a menu would list them (see
/// [`Shown::menu`](super::items::Shown::menu)), and the supply chain.
fn collections(site: &Site) -> Vec<CollectionRef> {
    struct Menu<'a>(&'a Site, Vec<(&'static str, &'static str, usize)>);
    impl super::items::Visit for Menu<'_> {
        fn visit<C: super::items::Shown>(&mut self) {
            self.1.extend(C::menu(self.0));
        }
    }
    let mut menu = Menu(site, Vec::new());
    super::items::each(&mut menu);
    let mut list = menu.1;
    if !site.supply_chain.is_empty() {
        list.push(("supply-chain", "Supply chain", site.supply_chain.len()));
    }
    list.into_iter()
        .map(|(key, title, count)| CollectionRef {
            key,
            title: site
                .config
                .locale
                .collection(key, "menu", title)
                .to_string(),
            url: site.config.urls.path(&paths::list(key)),
            count,
        })
        .collect()
}

/// The Atom feeds the site publishes (see `render::feeds`).
pub fn feeds(site: &Site) -> Vec<FeedRef> {
    if !site.config.feeds {
        return Vec::new();
    }
    super::items::feeds()
        .into_iter()
        .filter(|f| (f.exists)(site))
        .map(|f| FeedRef {
            title: format!("{} – {}", site.config.name, f.name),
            url: site.config.urls.path(f.path),
        })
        .collect()
}

#[derive(Serialize)]
struct ContactView<'a> {
    email: Option<&'a str>,
    phone: Option<&'a str>,
    address_lines: Vec<&'a str>,
}

#[derive(Serialize)]
struct LinkView<'a> {
    title: std::borrow::Cow<'a, str>,
    url: std::borrow::Cow<'a, str>,
}

#[derive(Serialize)]
struct TaxonomyRef<'a> {
    key: &'a str,
    title: &'a str,
    singular: &'a str,
    url: String,
    count: usize,
}

pub fn site_value(site: &Site, year: i16) -> Value {
    let c = &site.config;
    let count = |key: &str| {
        site.taxonomies
            .iter()
            .find(|t| t.key == key)
            .map_or(0, |t| t.terms.len())
    };
    let collections = collections(site);
    let has_calendar = c.calendars
        && (!site.events.is_empty() || site.courses.values().any(|c| !c.item.sessions.is_empty()));
    Value::from_serializable(&SiteView {
        name: &c.name,
        tagline: c.tagline.as_deref(),
        description: c.description.as_deref(),
        base_url: c.urls.permalink(""),
        base_path: c.urls.path(""),
        language: &c.language,
        logo: c
            .logo
            .as_deref()
            .map(|l| c.urls.asset(l.trim_start_matches('/'))),
        favicon: c
            .favicon
            .as_deref()
            .map(|l| c.urls.asset(l.trim_start_matches('/'))),
        primary_color: c.primary_color.as_deref(),
        contact: ContactView {
            email: c.contact.email.as_deref(),
            phone: c.contact.phone.as_deref(),
            address_lines: c
                .contact
                .address
                .as_deref()
                .map(|a| a.lines().map(str::trim).filter(|l| !l.is_empty()).collect())
                .unwrap_or_default(),
        },
        social: c
            .social
            .iter()
            .map(|l| LinkView {
                title: network_label(&l.title).into(),
                url: l.url.as_str().into(),
            })
            .collect(),
        navigation: navigation(site, &collections),
        member_count: site.members.len(),
        country_count: count("countries"),
        sector_count: count("sectors"),
        taxonomies: site
            .taxonomies
            .iter()
            .map(|t| TaxonomyRef {
                key: t.key,
                title: &t.title,
                singular: &t.singular,
                url: c.urls.path(&paths::taxonomy(t.key)),
                count: t.terms.len(),
            })
            .collect(),
        members_url: c.urls.path(&paths::members()),
        search_url: c.search.then(|| c.urls.path(&paths::search())),
        join_url: c.join_url.as_deref(),
        collections,
        feeds: feeds(site),
        calendar_url: has_calendar.then(|| c.urls.path("events.ics")),
        calendar_subscribe: has_calendar
            .then(|| calendar_subscribe(&c.urls.permalink("events.ics"), &c.name)),
        sitemap_url: c.sitemap.then(|| c.urls.asset("sitemap.xml")),
        stylesheet_url: c.urls.link("clusterpress.css"),
        script_url: c.urls.link("clusterpress.js"),
        members_json: c.open_data.then(|| c.urls.asset("members.json")),
        members_csv: c.open_data.then(|| c.urls.asset("members.csv")),
        members_xlsx: c.open_data.then(|| c.urls.asset("members.xlsx")),
        brochures: (c.brochures.enabled && !site.members.is_empty()).then(|| BrochuresView {
            url: c.urls.path(&paths::brochure()),
            title: c
                .brochures
                .title
                .as_deref()
                .unwrap_or(c.locale.text("print.our_members")),
            paper: c.brochures.paper.css(),
            pdf: c.brochures.pdf,
            edition: c
                .brochures
                .edition
                .clone()
                .unwrap_or_else(|| year.to_string()),
        }),
        script_strings: c.locale.script_strings(),
        year,
        generator: concat!("clusterpress ", env!("CARGO_PKG_VERSION")),
        extra: &c.extra,
    })
}

#[derive(Serialize)]
struct TermRef<'a> {
    name: &'a str,
    slug: &'a str,
    url: String,
}

#[derive(Serialize)]
struct MemberView<'a> {
    slug: &'a str,
    name: &'a str,
    url: String,
    permalink: String,
    initial: String,
    #[serde(rename = "type")]
    kind: &'static str,
    type_label: &'a str,
    type_url: String,
    summary: &'a str,
    /// The language `summary` is shown in and a note saying so, when not the page's (a text
    /// not translated).
    summary_lang: Option<TextLanguage>,
    logo: Option<String>,
    website: Option<&'a str>,
    email: Option<&'a str>,
    phone: Option<&'a str>,
    sectors: Vec<TermRef<'a>>,
    capabilities: Vec<TermRef<'a>>,
    needs: Vec<NeedRef<'a>>,
    /// Street and number, and postcode, for the address on the profile.
    street: Option<&'a str>,
    postcode: Option<&'a str>,
    city: Option<&'a str>,
    /// City and country code (`Stuttgart, DE`), whichever are known: for one-line lists.
    place: Option<String>,
    region: Option<TermRef<'a>>,
    country: Option<CountryView<'a>>,
    lat: Option<f64>,
    lon: Option<f64>,
    /// A map of the member's site on OpenStreetMap, from its coordinates or its street.
    directions: Option<String>,
    employees: Option<u32>,
    size: Option<&'static str>,
    size_label: Option<&'a str>,
    founded: Option<i32>,
    membership_tier: Option<&'a str>,
    member_since: Option<i32>,
    certifications: &'a [String],
    contacts: &'a [crate::model::member::Contact],
    products: Vec<ProductView<'a>>,
    social: Vec<LinkView<'a>>,
    extra: &'a serde_json::Map<String, serde_json::Value>,
    draft: bool,
}

#[derive(Serialize)]
struct NeedRef<'a> {
    name: &'a str,
    slug: &'a str,
    /// The capability's page, if some member offers it.
    url: Option<String>,
}

#[derive(Serialize)]
struct CountryView<'a> {
    code: &'a str,
    name: String,
    url: String,
}

#[derive(Serialize)]
struct ProductView<'a> {
    name: &'a str,
    description: Option<&'a str>,
    image: Option<String>,
}

/// A member as templates see it. `content` (the rendered body) is added separately, only on
/// the member's own page, to keep lists small.
pub fn member_value(
    urls: &Urls,
    locale: &crate::i18n::Locale,
    entry: &Entry<Member>,
    offered: &std::collections::BTreeSet<&str>,
) -> Value {
    let m = &entry.item;
    fn term_refs<'t>(
        urls: &Urls,
        key: &str,
        list: &'t [crate::model::types::Term],
    ) -> Vec<TermRef<'t>> {
        list.iter()
            .map(|t| TermRef {
                name: &t.name,
                slug: &t.slug,
                url: urls.path(&paths::term(key, &t.slug)),
            })
            .collect()
    }
    // A need links to the capability's page only when some member offers it.
    let needs = m
        .needs
        .iter()
        .map(|t| NeedRef {
            name: &t.name,
            slug: &t.slug,
            url: offered
                .contains(t.slug.as_str())
                .then(|| urls.path(&paths::term("capabilities", &t.slug))),
        })
        .collect();
    let summary = m.summary.as_deref().unwrap_or(&entry.summary);
    let summary_lang = TextLanguage::of(locale, entry.summary_lang(m.summary.is_some()));
    let band = m.employees.map(size_band);
    Value::from_serializable(&MemberView {
        slug: &m.slug,
        name: &m.name,
        url: urls.path(&paths::member(&m.slug)),
        permalink: urls.permalink(&paths::member(&m.slug)),
        initial: initial(&m.name),
        kind: m.kind.key(),
        type_label: locale.member_kind(m.kind.key()),
        type_url: urls.path(&paths::term("types", m.kind.key())),
        summary,
        summary_lang,
        logo: m.logo.as_deref().map(|l| urls.asset(l)),
        website: m.website.as_deref(),
        email: m.email.as_deref(),
        phone: m.phone.as_deref(),
        sectors: term_refs(urls, "sectors", &m.sectors),
        capabilities: term_refs(urls, "capabilities", &m.capabilities),
        needs,
        street: m.location.street.as_deref(),
        postcode: m.location.postcode.as_deref(),
        city: m.location.city.as_deref(),
        place: match (m.location.city.as_deref(), m.location.country.as_ref()) {
            (Some(city), Some(c)) => Some(format!("{city}, {}", c.code)),
            (Some(city), None) => Some(city.to_string()),
            (None, Some(c)) => Some(c.code.clone()),
            (None, None) => None,
        },
        region: m.location.region.as_ref().map(|t| TermRef {
            name: &t.name,
            slug: &t.slug,
            url: urls.path(&paths::term("regions", &t.slug)),
        }),
        country: m.location.country.as_ref().map(|c| CountryView {
            code: &c.code,
            name: locale.country(&c.code),
            url: urls.path(&paths::term("countries", &c.code.to_ascii_lowercase())),
        }),
        lat: m.location.lat,
        lon: m.location.lon,
        directions: crate::render::items::directions(
            m.location.lat.zip(m.location.lon),
            m.location.street.as_deref(),
            &[
                &[m.location.postcode.as_deref(), m.location.city.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" "),
                m.location.country.as_ref().map_or("", |c| c.name.as_str()),
            ],
        ),
        employees: m.employees,
        size: band.map(|b| b.0),
        size_label: band.map(|b| locale.size_band(b.0)),
        founded: m.founded,
        membership_tier: m.membership_tier.as_deref(),
        member_since: m.member_since,
        certifications: &m.certifications,
        contacts: &m.contacts,
        products: m
            .products
            .iter()
            .map(|p| ProductView {
                name: &p.name,
                description: p.description.as_deref(),
                image: p.image.as_deref().map(|i| urls.asset(i)),
            })
            .collect(),
        social: m
            .social
            .iter()
            .map(|(t, u)| LinkView {
                title: network_label(t).into(),
                url: u.as_str().into(),
            })
            .collect(),
        extra: &m.extra,
        draft: m.draft,
    })
}

/// How a social network spells its own name; unknown keys are shown as written.
fn network_label(key: &str) -> &str {
    match key.to_ascii_lowercase().as_str() {
        "linkedin" => "LinkedIn",
        "xing" => "XING",
        "mastodon" => "Mastodon",
        "bluesky" => "Bluesky",
        "x" | "twitter" => "X",
        "youtube" => "YouTube",
        "facebook" => "Facebook",
        "instagram" => "Instagram",
        "github" => "GitHub",
        "gitlab" => "GitLab",
        "vimeo" => "Vimeo",
        "threads" => "Threads",
        _ => key,
    }
}

#[derive(Serialize)]
struct TermCount<'a> {
    name: &'a str,
    slug: &'a str,
    url: String,
    count: usize,
}

#[derive(Serialize)]
struct TaxonomyView<'a> {
    key: &'a str,
    title: &'a str,
    singular: &'a str,
    url: String,
    terms: Vec<TermCount<'a>>,
}

/// Company size bands as a directory facet. Sizes have no pages of their own, so the terms
/// have no `url`: themes offer this facet only where a script can filter.
pub fn size_facet(site: &Site) -> Value {
    let mut counts: std::collections::BTreeMap<&'static str, (&str, usize)> =
        std::collections::BTreeMap::new();
    for m in site.members.values() {
        if let Some(n) = m.item.employees {
            let (key, _) = size_band(n);
            let label = site.config.locale.size_band(key);
            counts.entry(key).or_insert((label, 0)).1 += 1;
        }
    }
    let order = ["micro", "small", "medium", "large"];
    let terms: Vec<serde_json::Value> = order
        .iter()
        .filter_map(|k| counts.get(k).map(|(label, n)| serde_json::json!({ "name": label, "slug": k, "url": null, "count": n })))
        .collect();
    Value::from_serializable(&serde_json::json!({
        "key": "size",
        "title": site.config.locale.text("members.size"),
        "singular": site.config.locale.text("members.size"),
        "url": null,
        "terms": terms,
    }))
}

/// A taxonomy with every term and its member count.
pub fn taxonomy_value(urls: &Urls, t: &Taxonomy) -> Value {
    Value::from_serializable(&TaxonomyView {
        key: t.key,
        title: &t.title,
        singular: &t.singular,
        url: urls.path(&paths::taxonomy(t.key)),
        terms: t
            .terms
            .iter()
            .map(|term| TermCount {
                name: &term.name,
                slug: &term.slug,
                url: urls.path(&paths::term(t.key, &term.slug)),
                count: term.members.len(),
            })
            .collect(),
    })
}

static NONE: std::sync::LazyLock<Value> = std::sync::LazyLock::new(Value::none);

#[derive(Serialize)]
pub struct PageMeta<'a> {
    pub title: &'a str,
    /// The description the author wrote, if any.
    pub description: Option<&'a str>,
    /// A description made from the text, for meta tags when `description` is empty.
    pub summary: Option<&'a str>,
    /// The `extra:` map of the page's front matter (empty for generated pages).
    pub extra: &'a Value,
    /// schema.org JSON-LD for the page's item, ready for a `<script>` element.
    pub jsonld: Option<&'a str>,
    /// The site path, e.g. `members/acme/`.
    pub path: &'a str,
    pub url: String,
    pub permalink: String,
    /// The first segment of the path, for highlighting the current navigation entry.
    pub section: &'a str,
    /// `home`, `members`, `member`, `taxonomy`, `term`, `page` or `404`.
    pub kind: &'static str,
    /// Search engines are asked not to index the page (an expired job offer).
    pub noindex: bool,
    /// The absolute address of the page's picture for link previews (`og:image`): the
    /// item's photo cut to 1200 × 630, or a share card with the member's (or the cluster's)
    /// logo (`crate::images::card`).
    pub image: Option<String>,
    /// Its size in pixels.
    pub image_width: u32,
    pub image_height: u32,
    /// In a site of several languages, the page in each language, the default first (for
    /// `hreflang` links and the language switcher); empty in a site of one.
    pub translations: Vec<Translation>,
}

/// The same page in one language of a site of several.
#[derive(Serialize)]
pub struct Translation {
    /// `de`, `fr`.
    pub code: String,
    /// How the language calls itself: `Deutsch`, `Français`.
    pub name: String,
    pub url: String,
    pub permalink: String,
    /// Whether this is the language of the page it is on.
    pub current: bool,
}

/// An item listed on a page of another language than its own (a news item not translated):
/// its language, and a note saying which, in the page's language ("In French").
#[derive(Serialize)]
pub struct Elsewhere {
    pub code: String,
    pub note: String,
}

impl Elsewhere {
    /// Whether the item at `path` is in another language than the page's, and which.
    pub fn of(config: &crate::config::Config, path: &str) -> Option<Elsewhere> {
        let code = config.urls.elsewhere(path)?;
        Some(Elsewhere {
            code: code.to_string(),
            note: language_note(&config.locale, code),
        })
    }
}

/// The note on a text shown in language `code` on a page of another: "In German".
pub fn language_note(locale: &crate::i18n::Locale, code: &str) -> String {
    let name = locale
        .language_in_text(code)
        .unwrap_or_else(|| code.to_uppercase());
    locale.fill("other_language.written_in", &[("language", &name)])
}

/// The language and note of a text not translated into the page's language, for a card.
#[derive(Serialize)]
pub struct TextLanguage {
    pub code: String,
    pub note: String,
}

impl TextLanguage {
    pub fn of(locale: &crate::i18n::Locale, code: Option<&str>) -> Option<TextLanguage> {
        let code = code?;
        Some(TextLanguage {
            code: code.to_string(),
            note: language_note(locale, code),
        })
    }
}

/// The page at `path` in every language of a site of several (none in a site of one).
pub fn translations(config: &crate::config::Config, path: &str) -> Vec<Translation> {
    if !config.multilingual() {
        return Vec::new();
    }
    let exists = config.urls.languages_of(path);
    config
        .languages
        .iter()
        .filter(|l| exists.is_none_or(|langs| langs.contains(&l.code)))
        .map(|l| {
            let urls = config.urls.in_language(&l.code);
            Translation {
                code: l.code.clone(),
                name: l.name.clone(),
                url: urls.path(path),
                permalink: urls.permalink(path),
                current: l.code == config.language,
            }
        })
        .collect()
}

impl<'a> PageMeta<'a> {
    pub fn new(
        urls: &Urls,
        kind: &'static str,
        path: &'a str,
        title: &'a str,
        description: Option<&'a str>,
    ) -> Self {
        PageMeta {
            title,
            description,
            summary: None,
            extra: &NONE,
            jsonld: None,
            path,
            url: urls.path(path),
            permalink: urls.permalink(path),
            section: path.split('/').next().unwrap_or(""),
            kind,
            noindex: false,
            image: None,
            image_width: 0,
            image_height: 0,
            translations: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_subscription_links_are_absolute_and_encoded() {
        let s = calendar_subscribe("https://example.org/my-cluster/events.ics", "Ain & Co");
        assert_eq!(s.webcal, "webcal://example.org/my-cluster/events.ics");
        assert_eq!(
            s.google,
            "https://calendar.google.com/calendar/render?cid=webcal%3A%2F%2Fexample.org%2Fmy-cluster%2Fevents.ics"
        );
        assert_eq!(
            s.outlook,
            "https://outlook.live.com/calendar/0/addfromweb?url=https%3A%2F%2Fexample.org%2Fmy-cluster%2Fevents.ics&name=Ain+%26+Co"
        );
        let plain = calendar_subscribe("http://localhost:8000/events.ics", "X");
        assert_eq!(plain.webcal, "webcal://localhost:8000/events.ics");
    }
}
