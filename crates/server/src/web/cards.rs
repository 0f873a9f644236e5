//! A story as a card: the headline of its best article, the provider, when,
//! the lead image when the desk holds it, the excerpt, quality and heat, and
//! the story's other coverage ("N sources", as Techmeme's "More:" line).
//! Built on a read connection (blocking), from a page of articles.

use std::collections::{BTreeSet, HashSet};
use std::path::Path;

use chrono::{DateTime, Utc};
use newsdesk_store::{ArticleQuery, DeskStore, Sort, StoreError, StoredArticle};

use super::{web_link, Time};
use crate::api::image_key;

/// Coverage of a story read for its card at most.
const COVERAGE: usize = 100;

/// One card.
pub struct Card {
    pub id: i64,
    pub story: Option<i64>,
    pub title: String,
    /// The story's page (or the article's when it has no story).
    pub href: String,
    /// The article on its publisher's site.
    pub url: Option<String>,
    pub provider: Option<String>,
    pub time: Option<Time>,
    pub image: Option<Thumb>,
    pub excerpt: Option<String>,
    pub quality: Option<i64>,
    pub heat: Option<i64>,
    pub published: bool,
    pub pinned: bool,
    /// Distinct providers covering the story.
    pub sources: usize,
    /// The story's other coverage, other providers' originals first.
    pub more: Vec<More>,
    /// Why it is not published (shown with `?show=all`).
    pub reasons: Vec<String>,
}

/// A lead image the desk serves itself.
pub struct Thumb {
    pub src: String,
    pub width: u32,
    pub height: u32,
}

/// Another article of the story.
pub struct More {
    pub id: i64,
    pub provider: Option<String>,
    pub title: String,
    /// Its page on the desk.
    pub href: String,
    /// A later copy of another article.
    pub copy: bool,
}

/// The file extensions the image cache writes (see `api::IMAGE_EXTENSIONS`).
const IMAGE_FILES: &[&str] = &[
    "jpg", "png", "gif", "webp", "avif", "heic", "heif", "bmp", "ico", "tiff", "jxl", "img",
];

/// The article's lead image, when the desk's cache holds it.
pub fn thumb(a: &StoredArticle, images_dir: &Path) -> Option<Thumb> {
    a.article.images.iter().find_map(|img| {
        let key = image_key(&img.url);
        let held = IMAGE_FILES
            .iter()
            .any(|ext| images_dir.join(format!("{key}.{ext}")).is_file());
        if !held {
            return None;
        }
        // The thumbnail box is 3:2; the image's own size keeps its ratio in
        // the reserved box (no layout shift either way).
        let (w, h) = match (img.width, img.height) {
            (Some(w), Some(h)) if w > 0 && h > 0 => (w, h),
            _ => (120, 80),
        };
        Some(Thumb {
            src: format!("/images/{key}"),
            width: w,
            height: h,
        })
    })
}

/// The provider's name (or domain) as a page shows it.
pub fn provider(a: &StoredArticle) -> Option<String> {
    a.article.provider.as_ref().map(|p| {
        if p.name.trim().is_empty() {
            p.domain.clone()
        } else {
            p.name.clone()
        }
    })
}

/// Every article of a story, newest first (at most [`COVERAGE`]).
pub fn coverage(s: &dyn DeskStore, story: i64) -> Result<Vec<StoredArticle>, StoreError> {
    Ok(s.query_articles(&ArticleQuery {
        story: Some(story),
        published: None,
        sort: Sort::Time,
        limit: COVERAGE,
        ..ArticleQuery::default()
    })?
    .articles)
}

/// The reasons the desk gave for its decision (from the decision's details).
pub fn reasons(a: &StoredArticle) -> Vec<String> {
    let mut out: Vec<String> = a
        .editorial
        .as_deref()
        .and_then(|d| serde_json::from_str::<serde_json::Value>(d).ok())
        .and_then(|v| {
            v.get("reasons").and_then(|r| r.as_array()).map(|r| {
                r.iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect()
            })
        })
        .unwrap_or_default();
    if let Some(o) = &a.editor_override {
        out.insert(
            0,
            format!(
                "{} by {}{}",
                o.action,
                o.editor,
                o.reason
                    .as_deref()
                    .map(|r| format!(": {r}"))
                    .unwrap_or_default()
            ),
        );
    }
    if out.is_empty() {
        if let Some(r) = &a.reason {
            out.push(r.clone());
        } else if a.article.published.is_none() {
            out.push("not decided yet".into());
        }
    }
    out
}

fn card_of(a: &StoredArticle, images_dir: &Path, now: DateTime<Utc>) -> Card {
    let art = &a.article;
    Card {
        id: a.id,
        story: a.story,
        title: art.title.clone(),
        href: match a.story {
            Some(s) => format!("/stories/{s}"),
            None => format!("/articles/{}", a.id),
        },
        url: web_link(art.web_url.as_deref().or(art.original_url.as_deref())),
        provider: provider(a),
        time: Time::of(art.published_at, now),
        image: thumb(a, images_dir),
        excerpt: art
            .excerpt
            .as_deref()
            .filter(|e| !e.trim().is_empty())
            .map(|e| super::shorten(e, super::EXCERPT_CHARS)),
        quality: art.quality,
        heat: art.heat.filter(|h| *h >= 0),
        published: art.published == Some(true),
        pinned: a.pinned,
        sources: art.provider.is_some() as usize,
        more: Vec::new(),
        reasons: Vec::new(),
    }
}

/// The story's best article to lead its card among those the list shows
/// (published, of the topic): originals first, then the highest quality,
/// then the earliest, then the lowest id.
fn lead<'a>(story: &'a [StoredArticle], topic: Option<&str>) -> Option<&'a StoredArticle> {
    story
        .iter()
        .filter(|a| a.article.published == Some(true))
        .filter(|a| topic.is_none_or(|t| a.article.topics.iter().any(|x| x == t)))
        .min_by_key(|a| {
            (
                a.duplicate_of.is_some(),
                -a.article.quality.unwrap_or(i64::MIN / 2),
                a.article.published_at,
                a.id,
            )
        })
}

/// Fills in the story's coverage: the number of distinct providers and the
/// other articles, other providers' originals first, copies last.
fn add_coverage(card: &mut Card, head: &StoredArticle, story: &[StoredArticle]) {
    let domains: BTreeSet<&str> = story
        .iter()
        .filter_map(|a| a.article.provider.as_ref().map(|p| p.domain.as_str()))
        .collect();
    card.sources = domains.len().max(card.sources);
    let head_domain = head.article.provider.as_ref().map(|p| p.domain.as_str());
    let mut others: Vec<&StoredArticle> = story.iter().filter(|a| a.id != head.id).collect();
    others.sort_by_key(|a| {
        (
            a.duplicate_of.is_some(),
            a.article.provider.as_ref().map(|p| p.domain.as_str()) == head_domain,
            a.article.published_at,
            a.id,
        )
    });
    card.more = others
        .into_iter()
        .map(|a| More {
            id: a.id,
            provider: provider(a),
            title: a.article.title.clone(),
            href: format!("/articles/{}", a.id),
            copy: a.duplicate_of.is_some(),
        })
        .collect();
}

/// Cards of the stories of a page of published articles (of `topic`): a
/// story's card stands where its lead article is listed, so each story has
/// one card across all the pages of a list.
pub fn story_cards(
    s: &dyn DeskStore,
    listed: &[StoredArticle],
    topic: Option<&str>,
    images_dir: &Path,
    now: DateTime<Utc>,
) -> Result<Vec<Card>, StoreError> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for a in listed {
        let Some(story) = a.story else {
            out.push(card_of(a, images_dir, now));
            continue;
        };
        if seen.contains(&story) {
            continue;
        }
        let members = coverage(s, story)?;
        let head = lead(&members, topic).unwrap_or(a);
        if head.id != a.id {
            // The lead has its own place in the list (on this page or
            // another); a story with more coverage than is read falls back
            // to its first listed article.
            if members.iter().any(|m| m.id == a.id) {
                continue;
            }
        }
        seen.insert(story);
        let mut card = card_of(head, images_dir, now);
        // The listed article carries the story's heat and the pin.
        card.heat = card.heat.or(a.article.heat.filter(|h| *h >= 0));
        card.pinned |= a.pinned;
        add_coverage(&mut card, head, &members);
        out.push(card);
    }
    Ok(out)
}

/// Cards of each article as listed, with the desk's reasons for the
/// unpublished ones: the "everything" view.
pub fn article_cards(
    s: &dyn DeskStore,
    listed: &[StoredArticle],
    images_dir: &Path,
    now: DateTime<Utc>,
) -> Result<Vec<Card>, StoreError> {
    let mut out = Vec::new();
    for a in listed {
        let mut card = card_of(a, images_dir, now);
        if let Some(story) = a.story {
            let members = coverage(s, story)?;
            add_coverage(&mut card, a, &members);
        }
        if a.article.published != Some(true) {
            // Lists leave the decision's details out; read the article.
            if let Some(full) = s.article(a.id)? {
                card.reasons = reasons(&full);
            }
        }
        out.push(card);
    }
    Ok(out)
}
