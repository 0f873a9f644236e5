//! `/search?q=...`: the search form and its results, with the API's query
//! syntax and filters (topic, provider, published), highlighted titles and
//! snippets, paging by offset, and links to the same search as feeds.

use std::collections::HashMap;
use std::sync::Arc;

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use chrono::Utc;
use newsdesk_search::Sort;

use super::layout::{feeds, page, FeedLink, Layout, WebError};
use super::{query_string, Params, Time};
use crate::api::{parse_int, slug};
use crate::AppState;

/// Hits per page.
const PER_PAGE: usize = 20;

/// HTML the search library made: the stored text escaped first, then the
/// matches wrapped in `<mark>` (see `newsdesk_search::Hit::title_html`).
pub struct Marked(pub String);

impl std::fmt::Display for Marked {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

pub struct Hit {
    pub id: i64,
    pub title: Marked,
    pub snippet: Option<Marked>,
    pub provider: Option<String>,
    pub time: Option<Time>,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    layout: Layout,
    q: String,
    topic: String,
    provider: String,
    published: String,
    newest: bool,
    topics: Vec<(String, String)>,
    searched: bool,
    total: usize,
    total_exact: bool,
    hits: Vec<Hit>,
    error: Option<String>,
    prev: Option<String>,
    next: Option<String>,
    relevance_href: String,
    newest_href: String,
    feed_links: Vec<FeedLink>,
}

pub async fn page_handler(
    State(state): State<Arc<AppState>>,
    axum::extract::Query(params): Params,
) -> Result<Response, WebError> {
    const KNOWN: &[&str] = &["q", "topic", "provider", "published", "sort", "offset"];
    // The form sends every field; an empty one is no filter. Parameters
    // the page does not know (a link's tracking tags) are left out.
    let given: HashMap<String, String> = params
        .into_iter()
        .filter(|(k, v)| KNOWN.contains(&k.as_str()) && !v.trim().is_empty())
        .collect();
    let get = |k: &str| given.get(k).cloned().unwrap_or_default();
    let q = get("q");
    let newest = match given.get("sort").map(String::as_str) {
        None | Some("relevance") => false,
        Some("newest") => true,
        Some(other) => {
            return Err(WebError::bad_request(format!(
                "sort is relevance or newest, not {other:?}."
            )))
        }
    };
    let offset = match given.get("offset") {
        Some(v) => parse_int("offset", v, 0, newsdesk_search::MAX_OFFSET as i64)? as usize,
        None => 0,
    };
    let counts = state.topic_names().await?;
    let topics: Vec<(String, String)> = counts
        .iter()
        .filter(|c| c.published > 0)
        .map(|c| (c.name.clone(), slug(&c.name)))
        .collect();
    let filters: Vec<(&str, String)> = ["q", "topic", "provider", "published"]
        .iter()
        .map(|k| (*k, get(k)))
        .collect();
    let link = |newest: bool, offset: usize| -> String {
        let off = if offset > 0 {
            offset.to_string()
        } else {
            String::new()
        };
        let mut pairs: Vec<(&str, &str)> = filters.iter().map(|(k, v)| (*k, v.as_str())).collect();
        pairs.push(("sort", if newest { "newest" } else { "" }));
        pairs.push(("offset", &off));
        format!("/search{}", query_string(&pairs))
    };
    let mut t = SearchPage {
        layout: Layout::new(
            &state,
            if q.is_empty() {
                "Search".to_string()
            } else {
                format!("Search: {q}")
            },
        )
        .await?,
        topic: get("topic"),
        provider: get("provider"),
        published: get("published"),
        newest,
        topics,
        searched: false,
        total: 0,
        total_exact: true,
        hits: Vec::new(),
        error: None,
        prev: None,
        next: None,
        relevance_href: link(false, 0),
        newest_href: link(true, 0),
        feed_links: Vec::new(),
        q: q.clone(),
    };
    t.layout.q = q.clone();
    if q.is_empty() {
        return page(&t);
    }
    let feed_query = {
        let pairs: Vec<(&str, &str)> = filters.iter().map(|(k, v)| (*k, v.as_str())).collect();
        query_string(&pairs)
    };
    t.feed_links = feeds(&format!("Search: {q}"), "/search", &feed_query);
    t.layout.feeds = feeds(&format!("Search: {q}"), "/search", &feed_query);
    let mut sq = match crate::search::parse_search(&state, &given).await {
        Ok(sq) => sq,
        Err(e) => {
            t.error = Some(e.message);
            let mut r = page(&t)?;
            *r.status_mut() = e.status;
            return Ok(r);
        }
    };
    sq.sort = if newest {
        Sort::Newest
    } else {
        Sort::Relevance
    };
    sq.limit = PER_PAGE;
    sq.offset = offset;
    let r = match crate::search::run(&state, sq).await {
        Ok(r) => r,
        Err(e) => {
            t.error = Some(e.message);
            let mut r = page(&t)?;
            *r.status_mut() = e.status;
            return Ok(r);
        }
    };
    let now = Utc::now();
    t.searched = true;
    t.total = r.total;
    t.total_exact = r.total_exact;
    t.hits = r
        .hits
        .into_iter()
        .map(|h| Hit {
            id: h.id,
            title: Marked(h.title_html),
            snippet: h.snippet_html.map(Marked),
            provider: h.provider,
            time: Time::of(h.published_at, now),
        })
        .collect();
    if offset > 0 {
        t.prev = Some(link(newest, offset.saturating_sub(PER_PAGE)));
    }
    if offset + t.hits.len() < r.total && t.hits.len() == PER_PAGE {
        t.next = Some(link(newest, offset + PER_PAGE));
    }
    page(&t)
}
