//! `/articles/{id}`: one article as the desk holds it — its metadata, the
//! decision with its reasons, its topics and the related coverage. The
//! route also serves the document `/articles/{id}.md` (the suffix decides).
//! The clear text is not shown here: it needs a signed-in key.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use newsdesk_store::StoredArticle;

use super::cards::{provider, reasons, thumb, Thumb};
use super::layout::{page, Layout, WebError};
use super::story::{breakdown, links, Component};
use super::{Params, Time};
use crate::api::{parse_id, slug};
use crate::{store_error, AppState};

/// Related articles shown at most.
const RELATED: usize = 30;

/// An article the page links to.
pub struct Link {
    pub id: i64,
    pub title: String,
    pub provider: Option<String>,
    pub time: Option<Time>,
}

#[derive(Template)]
#[template(path = "article.html")]
struct ArticlePage {
    layout: Layout,
    id: i64,
    title: String,
    provider: Option<String>,
    domain: Option<String>,
    time: Option<Time>,
    first_seen: Time,
    updated: Time,
    excerpt: Option<String>,
    image: Option<Thumb>,
    category: Option<String>,
    kind: Option<String>,
    author: Option<String>,
    language: Option<String>,
    links: Vec<(String, &'static str)>,
    quality: Option<i64>,
    heat: Option<i64>,
    decision: &'static str,
    pinned: bool,
    reasons: Vec<String>,
    rules: Vec<String>,
    bar: Option<i64>,
    breakdown: Vec<Component>,
    /// (name, slug, how the desk found it)
    topics: Vec<(String, String, String)>,
    story: Option<i64>,
    duplicate_of: Option<Link>,
    placement: Option<String>,
    related: Vec<Link>,
    similar: Vec<Link>,
    sealed: bool,
    stub: bool,
}

/// `/articles/{file}`: the document when the name ends in `.md`; the page
/// for a browser (`Accept: text/html`). Other clients get what the route
/// answered before the pages existed (the document, or its JSON errors, as
/// `openapi.json` describes).
pub async fn dispatch(
    state: State<Arc<AppState>>,
    Path(file): Path<String>,
    params: Params,
    headers: axum::http::HeaderMap,
) -> Response {
    let browser = headers
        .get(axum::http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    if file.ends_with(".md") || !browser {
        return crate::api::document(state, Path(file), params)
            .await
            .into_response();
    }
    match page_handler(state, file, params).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

fn link(a: &StoredArticle, now: chrono::DateTime<Utc>) -> Link {
    Link {
        id: a.id,
        title: a.article.title.clone(),
        provider: provider(a),
        time: Time::of(a.article.published_at, now),
    }
}

async fn page_handler(
    State(state): State<Arc<AppState>>,
    id: String,
    _params: Params,
) -> Result<Response, WebError> {
    let id = parse_id("article", &id)?;
    let now = Utc::now();
    let read = state
        .pool
        .with(move |s| -> Result<_, newsdesk_store::StoreError> {
            let Some(a) = s.article(id)? else {
                return Ok(None);
            };
            let fetch = |ids: &[i64]| -> Result<Vec<Link>, newsdesk_store::StoreError> {
                let mut out = Vec::new();
                for r in ids.iter().take(RELATED) {
                    if let Some(x) = s.article(*r)? {
                        out.push(link(&x, now));
                    }
                }
                Ok(out)
            };
            let related = fetch(&a.related)?;
            let similar = fetch(&a.similar)?;
            let original = match a.duplicate_of {
                Some(d) => fetch(&[d])?.pop(),
                None => None,
            };
            Ok(Some((a, related, similar, original)))
        })
        .await?
        .map_err(store_error)?;
    let Some((a, related, similar, duplicate_of)) = read else {
        return Err(WebError::not_found(format!(
            "The desk has no article {id}."
        )));
    };
    let detail: Option<serde_json::Value> = a
        .editorial
        .as_deref()
        .and_then(|d| serde_json::from_str(d).ok());
    let strings = |key: &str| -> Vec<String> {
        detail
            .as_ref()
            .and_then(|d| d.get(key))
            .and_then(|v| v.as_array())
            .map(|v| {
                v.iter()
                    .filter_map(|x| x.as_str().map(str::to_string))
                    .collect()
            })
            .unwrap_or_default()
    };
    let how: Vec<(String, String)> = detail
        .as_ref()
        .and_then(|d| d.get("topics"))
        .and_then(|t| t.as_array())
        .map(|t| {
            t.iter()
                .filter_map(|x| {
                    Some((
                        x.get("name")?.as_str()?.to_string(),
                        x.get("by")?.as_str()?.to_string(),
                    ))
                })
                .collect()
        })
        .unwrap_or_default();
    let art = &a.article;
    let topics = art
        .topics
        .iter()
        .map(|t| {
            let by = how
                .iter()
                .find(|(n, _)| n == t)
                .map(|(_, b)| b.clone())
                .unwrap_or_default();
            (t.clone(), slug(t), by)
        })
        .collect();
    let decision = match art.published {
        Some(true) => "published",
        Some(false) => "not published",
        None => "not decided yet",
    };
    let t = ArticlePage {
        layout: Layout::new(&state, art.title.clone()).await?,
        id: a.id,
        title: art.title.clone(),
        provider: provider(&a),
        domain: art.provider.as_ref().map(|p| p.domain.clone()),
        time: Time::of(art.published_at, now),
        first_seen: Time::new(a.first_seen, now),
        updated: Time::new(a.updated_at, now),
        excerpt: art.excerpt.clone().filter(|e| !e.trim().is_empty()),
        image: thumb(&a, &state.images_dir),
        category: art.category.clone(),
        kind: art.kind.clone(),
        author: art.author.clone(),
        language: art.language.clone(),
        links: links(&a),
        quality: art.quality,
        heat: art.heat.filter(|h| *h >= 0),
        decision,
        pinned: a.pinned,
        reasons: reasons(&a),
        rules: strings("rules"),
        bar: detail
            .as_ref()
            .and_then(|d| d.get("bar"))
            .and_then(|b| b.as_i64()),
        breakdown: breakdown(&a),
        topics,
        story: a.story,
        duplicate_of,
        placement: a.reason.clone(),
        related,
        similar,
        sealed: a.sealed_body.is_some() || art.secured.is_some() || art.body.is_some(),
        stub: a.stub,
    };
    page(&t)
}
