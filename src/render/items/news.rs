//! News and position papers: their view, the news page, the position papers page and one page per item.

use serde::Serialize;
use tera::Value;

use super::FeedSpec;
use super::{Shown, term_names, value, word};
use crate::model::collection::Collection;
use crate::model::news::{News, NewsKind};
use crate::model::{Entry, Site};
use crate::render::feeds;
use crate::render::jsonld;
use crate::render::pages::{CollectionPages, Job, Make, Shared, list_template, lists_later};
use crate::url::paths;

#[derive(Serialize)]
pub struct NewsView<'a> {
    pub slug: &'a str,
    pub title: &'a str,
    pub url: String,
    pub permalink: String,
    pub date: Option<String>,
    pub date_label: Option<String>,
    pub kind: &'static str,
    pub kind_label: String,
    pub summary: &'a str,
    /// The language `summary` is shown in and a note saying so, when not the page's (a
    /// text not translated).
    pub summary_lang: Option<crate::render::views::TextLanguage>,
    pub authors: &'a [String],
    pub topics: Vec<&'a str>,
    pub attachment: Option<String>,
    pub image: Option<String>,
    pub extra: &'a serde_json::Map<String, serde_json::Value>,
    /// In a site of several languages, set on the pages of a language the item is not
    /// written in: its language and a note ("In French"); its `url` leads to the original.
    pub elsewhere: Option<crate::render::views::Elsewhere>,
}

pub fn news_view<'a>(site: &'a Site, e: &'a Entry<News>) -> NewsView<'a> {
    let n = &e.item;
    let urls = &site.config.urls;
    let path = paths::item("news", &n.slug);
    NewsView {
        slug: &n.slug,
        title: &n.title,
        url: urls.path(&path),
        permalink: urls.permalink(&path),
        elsewhere: crate::render::views::Elsewhere::of(&site.config, &path),
        date: n.date.map(|d| d.to_string()),
        date_label: n.date.map(|d| site.config.locale.date(d)),
        kind: n.kind.key(),
        kind_label: word(site, &format!("news.kinds.{}", n.kind.key())),
        summary: n.summary.as_deref().unwrap_or(&e.summary),
        summary_lang: crate::render::views::TextLanguage::of(
            &site.config.locale,
            e.summary_lang(n.summary.is_some()),
        ),
        authors: &n.authors,
        topics: term_names(&n.topics),
        attachment: n.attachment.as_deref().map(|a| urls.asset(a)),
        image: n.image.as_deref().map(|i| urls.asset(i)),
        extra: &n.extra,
    }
}

/// News newest first (then by slug, so equal dates keep a stable order).
pub fn news_in_order(site: &Site) -> Vec<&Entry<News>> {
    let mut list: Vec<&Entry<News>> = site.news.values().collect();
    list.sort_by(|a, b| {
        b.item
            .date
            .cmp(&a.item.date)
            .then_with(|| a.item.slug.cmp(&b.item.slug))
    });
    list
}

/// The list page of position papers, a kind of news.
const POSITIONS: &str = "positions";
const POSITIONS_TITLE: &str = "Position papers";

impl Shown for News {
    const FEEDS: &'static [FeedSpec] = &[
        FeedSpec {
            path: "news/atom.xml",
            name: "News",
            rank: 0,
            exists: |site| !site.news.is_empty(),
            make: feeds::news_feed,
        },
        FeedSpec {
            path: "positions/atom.xml",
            name: POSITIONS_TITLE,
            rank: 1,
            exists: |site| {
                site.news
                    .values()
                    .any(|n| n.item.kind == NewsKind::PositionPaper)
            },
            make: feeds::positions_feed,
        },
    ];

    fn image(item: &Self) -> Option<&str> {
        item.image.as_deref()
    }

    fn value(site: &Site, e: &Entry<Self>) -> Value {
        value(&news_view(site, e))
    }

    /// News, and position papers on their own.
    fn menu(site: &Site) -> Vec<(&'static str, &'static str, usize)> {
        let positions = site
            .news
            .values()
            .filter(|n| n.item.kind == NewsKind::PositionPaper)
            .count();
        [
            (Self::KEY, Self::MENU, site.news.len()),
            (POSITIONS, POSITIONS_TITLE, positions),
        ]
        .into_iter()
        .filter(|(_, _, n)| *n > 0)
        .collect()
    }

    fn jobs<'s>(site: &'s Site, _: &Shared, jobs: &mut Vec<Job<'s>>) {
        // News, newest first; position papers also on their own page.
        let news = news_in_order(site);
        let positions: Vec<_> = news
            .iter()
            .copied()
            .filter(|e| e.item.kind == NewsKind::PositionPaper)
            .collect();
        let news_value: Make<crate::model::news::News, Value> = |s, e| value(&news_view(s, e));
        CollectionPages::<News>::new()
            .list("news", news)
            .jsonld(|s, e| jsonld::news(s, e, &news_view(s, e)))
            .push(site, jobs);
        if !positions.is_empty() {
            let mut job = Job::new(
                paths::list(POSITIONS),
                &list_template(POSITIONS),
                "list",
                POSITIONS_TITLE,
            )
            .var("collection", Value::from(POSITIONS));
            job.summary = Some(
                site.config
                    .locale
                    .fill("news.positions_summary", &[("site", &site.config.name)]),
            );
            job.later = Some(lists_later(site, vec![("news", positions)], news_value));
            jobs.push(job);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_site;

    #[test]
    fn position_papers_get_a_menu_entry_and_a_feed_only_when_there_are_some() {
        let news = "---\ntitle: N\ndate: 2026-11-01\n---\n";
        let paper = "---\ntitle: P\ndate: 2026-10-01\nkind: position-paper\n---\n";
        let config = "name: Test\nbase_url: https://test.example/\n";
        let site = test_site(config, &[("news/n.md", news)], "2026-12-04");
        assert_eq!(News::menu(&site), [("news", "News", 1)]);
        assert!(!(News::FEEDS[1].exists)(&site));
        let site = test_site(
            config,
            &[("news/n.md", news), ("news/p.md", paper)],
            "2026-12-04",
        );
        assert_eq!(
            News::menu(&site),
            [("news", "News", 2), ("positions", "Position papers", 1)]
        );
        assert!((News::FEEDS[1].exists)(&site));
        let order: Vec<&str> = news_in_order(&site)
            .iter()
            .map(|e| e.item.slug.as_str())
            .collect();
        assert_eq!(order, ["n", "p"], "newest first");
    }
}
