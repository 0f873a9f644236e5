//! Saved searches: `/searches` lists them (anyone may read them and follow
//! their feeds); a signed-in editor saves one (the search page links here
//! with its query filled in) or removes one, with the session's CSRF token.
//!
//! Each saved search has feeds of its own, `/searches/{slug}.rss`,
//! `.atom` and `.json`: the same answer as the search feeds
//! `/search/feed.{rss,atom,json}?q=<its query>&topic=..&provider=..` (they
//! run that handler with the saved query and filters),
//! under a URL that stays the same when the query is edited later.

use std::sync::Arc;

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use newsdesk_model::desk::{SavedSearch, SearchFilters};
use newsdesk_store::StoreError;

use super::editor::flash;
use super::layout::{page, Layout, WebError};
use super::session::{self, checked_post, see_other, signed_in, Editor};
use super::Params;
use crate::{store_error, AppState};

pub struct Row {
    pub name: String,
    pub slug: String,
    pub query: String,
    /// "topic AI, provider example.com", or "".
    pub filters: String,
    pub search_href: String,
}

/// The search parameters of a saved search (query, topic, provider).
fn params_of(s: &SavedSearch) -> Vec<(&'static str, String)> {
    let mut out = vec![("q", s.query.clone())];
    if let Some(t) = &s.filters.topic {
        out.push(("topic", t.clone()));
    }
    if let Some(p) = &s.filters.provider {
        out.push(("provider", p.clone()));
    }
    out
}

#[derive(Template)]
#[template(path = "saved.html")]
struct SavedPage {
    layout: Layout,
    editor: Option<Editor>,
    flash: Option<&'static str>,
    searches: Vec<Row>,
    /// The search to save (from the search page's button).
    q: String,
    topic: String,
    provider: String,
}

/// `GET /searches`.
pub async fn list_page(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    axum::extract::Query(params): Params,
) -> Result<Response, WebError> {
    let editor = signed_in(&state, &headers).await?;
    let list = state
        .pool
        .with(|s| s.saved_searches())
        .await?
        .map_err(store_error)?;
    let t = SavedPage {
        layout: Layout::new(&state, "Saved searches").await?,
        editor,
        flash: flash(&params),
        searches: list
            .into_iter()
            .map(|s| {
                let p = params_of(&s);
                let pairs: Vec<(&str, &str)> = p.iter().map(|(k, v)| (*k, v.as_str())).collect();
                let filters: Vec<String> = p[1..].iter().map(|(k, v)| format!("{k} {v}")).collect();
                Row {
                    search_href: format!("/search{}", super::query_string(&pairs)),
                    filters: filters.join(", "),
                    name: s.name,
                    slug: s.slug,
                    query: s.query,
                }
            })
            .collect(),
        q: params.get("q").cloned().unwrap_or_default(),
        topic: params.get("topic").cloned().unwrap_or_default(),
        provider: params.get("provider").cloned().unwrap_or_default(),
    };
    page(&t)
}

/// `POST /searches`: saves a search (name, query).
pub async fn add(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, WebError> {
    let f = session::form(&body);
    let editor = checked_post(&state, &headers, &f).await?;
    let name = f
        .get("name")
        .map(|v| v.trim().to_string())
        .unwrap_or_default();
    let query = f.get("q").map(|v| v.trim().to_string()).unwrap_or_default();
    if name.is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
        return Err(WebError::bad_request(
            "A saved search needs a name: 1 to 200 characters, no control characters.",
        ));
    }
    if query.is_empty() || query.chars().count() > 2000 {
        return Err(WebError::bad_request(
            "A saved search needs a query (at most 2000 characters).",
        ));
    }
    let opt = |k: &str| {
        f.get(k)
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty() && v.chars().count() <= 200)
    };
    let filters = SearchFilters {
        topic: opt("topic"),
        provider: opt("provider"),
        ..SearchFilters::default()
    };
    let search = SavedSearch::new(
        &name,
        &query,
        filters,
        Some(&editor.principal.key_id),
        Utc::now(),
    );
    if search.slug.is_empty() {
        return Err(WebError::bad_request(
            "The name needs at least one letter or digit (it makes the feed's URL).",
        ));
    }
    let added = session::Writer::with(&state, move |s| match s.add_saved_search(&search) {
        Ok(()) => Ok(Ok(())),
        Err(e @ StoreError::SavedSearchExists { .. }) => Ok(Err(e.to_string())),
        Err(e @ StoreError::EmptySavedSearch { .. }) => Ok(Err(e.to_string())),
        Err(e) => Err(e),
    })
    .await?;
    if let Err(m) = added {
        return Err(WebError {
            status: axum::http::StatusCode::CONFLICT,
            heading: "That search cannot be saved".into(),
            message: m,
        });
    }
    Ok(see_other("/searches?done=saved"))
}

/// `POST /searches/remove` (field `slug`).
pub async fn remove(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, WebError> {
    let f = session::form(&body);
    checked_post(&state, &headers, &f).await?;
    let slug = f.get("slug").cloned().unwrap_or_default();
    let removed = session::Writer::with(&state, move |s| s.remove_saved_search(&slug)).await?;
    if !removed {
        return Err(WebError::not_found("There is no such saved search."));
    }
    Ok(see_other("/searches?done=search-removed"))
}

/// `GET /searches/{slug}.{rss,atom,json}`: the saved search's feed.
pub async fn feed(
    State(state): State<Arc<AppState>>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let Some((slug, ext)) = file.rsplit_once('.') else {
        return WebError::not_found("A saved search's feeds end in .rss, .atom or .json.")
            .into_response();
    };
    if !["rss", "atom", "json"].contains(&ext) {
        return WebError::not_found("A saved search's feeds end in .rss, .atom or .json.")
            .into_response();
    }
    let owned = slug.to_string();
    let found = match state.pool.with(move |s| s.saved_search(&owned)).await {
        Ok(Ok(f)) => f,
        Ok(Err(e)) => return store_error(e).into_response(),
        Err(e) => return e.into_response(),
    };
    let Some(saved) = found.filter(|s| s.slug == slug) else {
        return WebError::not_found("There is no saved search by that name.").into_response();
    };
    let params = params_of(&saved)
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    crate::search::search_feed(
        State(state),
        Path(format!("feed.{ext}")),
        axum::extract::Query(params),
        headers,
    )
    .await
    .into_response()
}
