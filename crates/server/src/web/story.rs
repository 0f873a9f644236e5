//! `/stories/{id}`: a story's full coverage. Originals first (published,
//! then by quality), each with its later copies folded under it; a
//! timeline of when each provider covered it; each article's links (the
//! page, AMP, canonical, original) and its quality breakdown on demand.
//! (The story's heat over time needs the stored heat history; it is not
//! drawn until the store keeps one.)

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use chrono::Utc;
use newsdesk_store::StoredArticle;

use super::cards::{coverage, provider, reasons, thumb, Thumb};
use super::layout::{page, Layout, WebError};
use super::{web_link, Params, Time};
use crate::api::parse_id;
use crate::{store_error, AppState};

/// One article of the story as the page shows it.
pub struct Entry {
    pub id: i64,
    pub title: String,
    pub provider: Option<String>,
    pub time: Option<Time>,
    pub excerpt: Option<String>,
    pub image: Option<Thumb>,
    pub quality: Option<i64>,
    pub published: bool,
    pub links: Vec<(String, &'static str)>,
    pub breakdown: Vec<Component>,
    pub reasons: Vec<String>,
    /// Why the analysis placed it as it did ("copy of 12: ...").
    pub placement: Option<String>,
    pub copies: Vec<Entry>,
}

/// One part of a quality score.
pub struct Component {
    pub name: String,
    pub points: i64,
    pub reason: String,
}

/// When a provider covered the story.
pub struct Moment {
    pub id: i64,
    pub time: Option<Time>,
    pub provider: Option<String>,
    pub title: String,
    pub copy: bool,
}

#[derive(Template)]
#[template(path = "story.html")]
struct StoryPage {
    layout: Layout,
    id: i64,
    headline: String,
    heat: Option<i64>,
    heat_parts: Vec<Component>,
    providers: usize,
    articles: usize,
    originals: Vec<Entry>,
    timeline: Vec<Moment>,
    topics: Vec<(String, String)>,
}

/// The quality breakdown in a decision's details.
pub fn breakdown(a: &StoredArticle) -> Vec<Component> {
    let detail: Option<serde_json::Value> = a
        .editorial
        .as_deref()
        .and_then(|d| serde_json::from_str(d).ok());
    components(detail.as_ref().and_then(|d| d.get("quality_breakdown")))
}

/// `{"components": [{"name", "points", "reason"}]}` as rows.
pub fn components(v: Option<&serde_json::Value>) -> Vec<Component> {
    v.and_then(|b| b.get("components"))
        .and_then(|c| c.as_array())
        .map(|c| {
            c.iter()
                .map(|x| Component {
                    name: x
                        .get("name")
                        .and_then(|n| n.as_str())
                        .unwrap_or("")
                        .to_string(),
                    points: x.get("points").and_then(|p| p.as_i64()).unwrap_or(0),
                    reason: x
                        .get("reason")
                        .and_then(|r| r.as_str())
                        .unwrap_or("")
                        .to_string(),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// An article's outside links: canonical, AMP, original.
pub fn links(a: &StoredArticle) -> Vec<(String, &'static str)> {
    let art = &a.article;
    let mut out = Vec::new();
    if let Some(u) = web_link(art.web_url.as_deref()) {
        out.push((u, "canonical"));
    }
    if let Some(u) = web_link(art.amp_web_url.as_deref()) {
        out.push((u, "AMP"));
    }
    if let Some(u) = web_link(art.original_url.as_deref()) {
        if !out.iter().any(|(x, _)| *x == u) {
            out.push((u, "original"));
        }
    }
    out
}

fn entry(a: &StoredArticle, images: &std::path::Path, now: chrono::DateTime<Utc>) -> Entry {
    let art = &a.article;
    Entry {
        id: a.id,
        title: art.title.clone(),
        provider: provider(a),
        time: Time::of(art.published_at, now),
        excerpt: art
            .excerpt
            .as_deref()
            .filter(|e| !e.trim().is_empty())
            .map(|e| super::shorten(e, super::EXCERPT_CHARS)),
        image: thumb(a, images),
        quality: art.quality,
        published: art.published == Some(true),
        links: links(a),
        breakdown: breakdown(a),
        reasons: if art.published == Some(true) {
            Vec::new()
        } else {
            reasons(a)
        },
        placement: a.reason.clone(),
        copies: Vec::new(),
    }
}

pub async fn page_handler(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    _params: Params,
) -> Result<Response, WebError> {
    let id = parse_id("story", &id)?;
    let images = state.images_dir.clone();
    let now = Utc::now();
    let read = state
        .pool
        .with(move |s| -> Result<_, newsdesk_store::StoreError> {
            let listed = coverage(s, id)?;
            // Lists leave the decision's details out: read each article.
            let mut full = Vec::with_capacity(listed.len());
            for a in &listed {
                full.push(s.article(a.id)?.unwrap_or_else(|| a.clone()));
            }
            let heat = s.story_heat(id)?;
            Ok((full, heat))
        })
        .await?
        .map_err(store_error)?;
    let (articles, heat) = read;
    if articles.is_empty() {
        return Err(WebError::not_found(format!("The desk has no story {id}.")));
    }
    let ids: BTreeSet<i64> = articles.iter().map(|a| a.id).collect();
    // Originals: not a copy of another article of the story.
    let is_copy = |a: &StoredArticle| a.duplicate_of.is_some_and(|d| ids.contains(&d));
    let mut originals: Vec<&StoredArticle> = articles.iter().filter(|a| !is_copy(a)).collect();
    originals.sort_by_key(|a| {
        (
            a.article.published != Some(true),
            -a.article.quality.unwrap_or(i64::MIN / 2),
            a.article.published_at,
            a.id,
        )
    });
    let mut copies: HashMap<i64, Vec<&StoredArticle>> = HashMap::new();
    for a in articles.iter().filter(|a| is_copy(a)) {
        // A copy of a copy goes under the first original up the chain.
        let mut root = a.duplicate_of.unwrap_or(a.id);
        let mut steps = 0;
        while let Some(up) = articles
            .iter()
            .find(|x| x.id == root)
            .and_then(|x| x.duplicate_of)
            .filter(|d| ids.contains(d))
        {
            root = up;
            steps += 1;
            if steps > articles.len() {
                break;
            }
        }
        copies.entry(root).or_default().push(a);
    }
    let originals: Vec<Entry> = originals
        .iter()
        .map(|o| {
            let mut e = entry(o, &images, now);
            let mut cs = copies.remove(&o.id).unwrap_or_default();
            cs.sort_by_key(|c| (c.article.published_at, c.id));
            e.copies = cs.iter().map(|c| entry(c, &images, now)).collect();
            e
        })
        .collect();
    let mut timeline: Vec<&StoredArticle> = articles.iter().collect();
    timeline.sort_by_key(|a| {
        (
            a.article.published_at.is_none(),
            a.article.published_at,
            a.id,
        )
    });
    let timeline = timeline
        .iter()
        .map(|a| Moment {
            id: a.id,
            time: Time::of(a.article.published_at, now),
            provider: provider(a),
            title: a.article.title.clone(),
            copy: is_copy(a),
        })
        .collect();
    let providers: BTreeSet<&str> = articles
        .iter()
        .filter_map(|a| a.article.provider.as_ref().map(|p| p.domain.as_str()))
        .collect();
    let mut topics: Vec<(String, String)> = Vec::new();
    for a in &articles {
        for t in &a.article.topics {
            if !topics.iter().any(|(n, _)| n == t) {
                topics.push((t.clone(), crate::api::slug(t)));
            }
        }
    }
    let headline = originals
        .first()
        .map(|o| o.title.clone())
        .unwrap_or_default();
    let heat_parts = heat
        .as_ref()
        .and_then(|h| serde_json::from_str::<serde_json::Value>(&h.detail).ok())
        .map(|v| components(Some(&v)))
        .unwrap_or_default();
    let t = StoryPage {
        layout: Layout::new(&state, headline.clone()).await?,
        id,
        headline,
        heat: heat.map(|h| h.heat),
        heat_parts,
        providers: providers.len(),
        articles: articles.len(),
        originals,
        timeline,
        topics,
    };
    page(&t)
}
