//! Full-text search: `GET /api/v1/search` and the search feeds
//! `/search/feed.rss|feed.atom|feed.json`, over the tantivy index in
//! `DATA_DIR/search`.
//!
//! The server opens the index read-only (creating an empty one when there is
//! none) and sees each commit of the process that writes it. Given a
//! [`SearchKeeper`] (`newsdesk serve` gives one), a background task tries to
//! take the index's writer lock and, once it holds it, drains the store's
//! search outbox into the index every [`DRAIN_EVERY`], so editor actions and
//! a lone `serve` stay consistent. The keeper does the writing: this crate
//! only reads the store.
//!
//! Error codes (besides the common ones): `invalid_query` (the query text
//! cannot be parsed, is too long or nests too deep; the message names the
//! position), `invalid_parameter` (unknown parameter, bad value, `limit`
//! over 100, `offset` over 10,000), `unknown_topic`, `search_unavailable`
//! (503: the index cannot be opened, e.g. it is being rebuilt).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use chrono::DateTime;
use newsdesk_model::document::format_date;
use newsdesk_search::{SearchError, SearchIndex, SearchQuery, Sort, MAX_OFFSET};
use serde_json::{json, Value};

use crate::api::{only, parse_date, parse_int, slug};
use crate::{store_error, ApiError, AppState, DEFAULT_LIMIT, MAX_LIMIT};

/// How often a server holding the writer drains the outbox (and how often
/// one that does not tries to take it).
pub const DRAIN_EVERY: Duration = Duration::from_secs(2);

/// The index folder inside a data folder.
pub fn index_dir(data_dir: &Path) -> PathBuf {
    newsdesk_search::index_dir(data_dir)
}

pub use newsdesk_search::SearchKeeper;

/// The server's view of the index.
pub struct SearchState {
    dir: PathBuf,
    index: RwLock<Option<Arc<SearchIndex>>>,
    writer: AtomicBool,
    /// Searches running at once: four per core, the rest wait their turn
    /// without holding a thread. Under 32 connections on 2 cores this
    /// answered a common word 25% faster than no limit (searches share
    /// the cores and caches) and than one per core (the cores idle while a
    /// finished search hands its turn to the next).
    slots: tokio::sync::Semaphore,
}

impl SearchState {
    /// Opens the index in `DATA_DIR/search` for reading, creating an empty
    /// one when there is none. An index that cannot be read (another
    /// layout) leaves search unavailable until a keeper rebuilds it.
    pub fn open(data_dir: &Path) -> SearchState {
        let dir = index_dir(data_dir);
        let index = match open_reader(&dir) {
            Ok(i) => Some(Arc::new(i)),
            Err(e) => {
                log_error("search index unavailable", &e);
                None
            }
        };
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        SearchState {
            dir,
            index: RwLock::new(index),
            writer: AtomicBool::new(false),
            slots: tokio::sync::Semaphore::new(4 * cores),
        }
    }

    fn current(&self) -> Option<Arc<SearchIndex>> {
        self.index.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Whether this server holds the index's writer.
    pub fn is_writer(&self) -> bool {
        self.writer.load(Ordering::Relaxed)
    }
}

fn open_reader(dir: &Path) -> Result<SearchIndex, SearchError> {
    if !dir.join("meta.json").is_file() {
        match SearchIndex::open_or_create(dir) {
            // Created (or found) and released again: this reader only reads.
            Ok(created) => drop(created),
            // Someone else is creating it right now.
            Err(SearchError::Locked { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    SearchIndex::open_read_only(dir)
}

fn log_error(msg: &str, e: &dyn std::fmt::Display) {
    eprintln!(
        "{}",
        json!({"level": "error", "msg": msg, "error": e.to_string()})
    );
}

fn log_info(msg: &str) {
    eprintln!("{}", json!({"level": "info", "msg": msg}));
}

/// Starts the background task that takes the writer when it can and drains
/// the outbox every [`DRAIN_EVERY`]. Call it inside a tokio runtime.
pub fn start_keeper(state: Arc<AppState>, keeper: Arc<dyn SearchKeeper>) {
    tokio::spawn(async move {
        let mut told_locked = false;
        let mut tick = tokio::time::interval(DRAIN_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let search = &state.search;
            if search.is_writer() {
                let Some(index) = search.current() else {
                    continue;
                };
                let k = keeper.clone();
                match tokio::task::spawn_blocking(move || k.drain(&index)).await {
                    Ok(Ok(_)) => {}
                    Ok(Err(e)) => log_error("search: draining the outbox failed", &e),
                    Err(e) => log_error("search: the drain task stopped", &e),
                }
                continue;
            }
            let k = keeper.clone();
            match tokio::task::spawn_blocking(move || k.open_writer()).await {
                Ok(Ok(Some(index))) => {
                    *search.index.write().unwrap_or_else(|p| p.into_inner()) =
                        Some(Arc::new(index));
                    search.writer.store(true, Ordering::Relaxed);
                    log_info("search: this server holds the index writer and drains the outbox");
                }
                Ok(Ok(None)) => {
                    if !told_locked {
                        told_locked = true;
                        log_info(&format!(
                            "search: {} is written by another process; that process drains the outbox",
                            search.dir.display()
                        ));
                    }
                    if search.current().is_none() {
                        if let Ok(i) = SearchIndex::open_read_only(&search.dir) {
                            *search.index.write().unwrap_or_else(|p| p.into_inner()) =
                                Some(Arc::new(i));
                        }
                    }
                }
                Ok(Err(e)) => log_error("search: taking the index writer failed", &e),
                Err(e) => log_error("search: the keeper task stopped", &e),
            }
        }
    });
}

/// The parameters both the API and the feeds take.
const FILTERS: &[&str] = &["q", "topic", "provider", "from", "to", "published"];

/// The search `GET /api/v1/search?q=TEXT` runs when no other parameter is
/// given: strict parsing, `<mark>` highlights, published articles only, the
/// first [`DEFAULT_LIMIT`] hits by relevance, with snippets. (Benchmarks run
/// this same query.)
pub fn api_query(text: impl Into<String>) -> SearchQuery {
    let mut q = SearchQuery::new(text);
    q.strict = true;
    q.highlight.pre = "<mark>".into();
    q.highlight.post = "</mark>".into();
    q.published = Some(true);
    q.limit = DEFAULT_LIMIT;
    q
}

/// Parses the query text and filters into a search.
pub(crate) async fn parse_search(
    state: &Arc<AppState>,
    params: &HashMap<String, String>,
) -> Result<SearchQuery, ApiError> {
    let mut q = api_query(params.get("q").cloned().unwrap_or_default());
    if let Some(t) = params.get("topic") {
        let counts = state.topic_names().await?;
        let name = counts
            .iter()
            .find(|c| c.name == *t || slug(&c.name) == *t)
            .map(|c| c.name.clone())
            .ok_or_else(|| {
                ApiError::new(
                    StatusCode::NOT_FOUND,
                    "unknown_topic",
                    format!("no article has the topic {t:?} (see /api/v1/topics)"),
                )
            })?;
        q.topics.push(name);
    }
    if let Some(p) = params.get("provider") {
        if p.trim().is_empty() {
            return Err(ApiError::parameter("provider: expected a domain or a name"));
        }
        q.providers.push(p.clone());
    }
    q.from = params
        .get("from")
        .map(|v| parse_date("from", v))
        .transpose()?;
    q.until = params.get("to").map(|v| parse_date("to", v)).transpose()?;
    q.published = match params.get("published").map(String::as_str) {
        None | Some("true") => Some(true),
        Some("false") => Some(false),
        Some("any") => None,
        Some(other) => {
            return Err(ApiError::parameter(format!(
                "published: expected true, false or any, found {other:?}"
            )))
        }
    };
    Ok(q)
}

fn search_error(e: SearchError) -> ApiError {
    match e {
        SearchError::Query { .. } | SearchError::QueryTooLong { .. } => {
            ApiError::new(StatusCode::BAD_REQUEST, "invalid_query", e.to_string())
        }
        SearchError::OffsetTooLarge { .. } => ApiError::parameter(e.to_string()),
        other => store_error(other),
    }
}

fn unavailable() -> ApiError {
    ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "search_unavailable",
        "the search index cannot be opened now (it may be being rebuilt); try again later",
    )
}

/// Runs a search on a blocking thread.
pub(crate) async fn run(
    state: &AppState,
    q: SearchQuery,
) -> Result<newsdesk_search::Results, ApiError> {
    let index = state.search.current().ok_or_else(unavailable)?;
    let _slot = state
        .search
        .slots
        .acquire()
        .await
        .map_err(|_| ApiError::internal())?;
    tokio::task::spawn_blocking(move || index.search(&q))
        .await
        .map_err(|_| ApiError::internal())?
        .map_err(search_error)
}

/// `GET /api/v1/search`.
pub async fn search(
    State(state): State<Arc<AppState>>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    let mut known = FILTERS.to_vec();
    known.extend(["limit", "offset", "sort"]);
    only(&params, &known)?;
    let mut q = parse_search(&state, &params).await?;
    q.sort = match params.get("sort").map(String::as_str) {
        None | Some("relevance") => Sort::Relevance,
        Some("newest") => Sort::Newest,
        Some(other) => {
            return Err(ApiError::parameter(format!(
                "sort: expected relevance or newest, found {other:?}"
            )))
        }
    };
    q.limit = match params.get("limit") {
        Some(v) => parse_int("limit", v, 1, MAX_LIMIT as i64)? as usize,
        None => DEFAULT_LIMIT,
    };
    q.offset = match params.get("offset") {
        Some(v) => parse_int("offset", v, 0, MAX_OFFSET as i64)? as usize,
        None => 0,
    };
    let r = run(&state, q).await?;
    let base = state.base_url();
    Ok(Json(json!({
        "total": r.total,
        "totalExact": r.total_exact,
        "offset": r.offset,
        "limit": r.limit,
        "sort": match r.sort { Sort::Relevance => "relevance", Sort::Newest => "newest" },
        "hits": r.hits.iter().map(|h| json!({
            "id": h.id,
            "title": h.title,
            "excerpt": h.excerpt,
            "provider": h.provider,
            "publishedDateTime": h.published_at.as_ref().map(format_date),
            "url": format!("{base}/api/v1/articles/{}", h.id),
            "score": h.score,
            "titleHtml": h.title_html,
            "snippet": h.snippet_html,
        })).collect::<Vec<_>>(),
    })))
}

/// Items in a search feed.
const FEED_ITEMS: usize = 50;

/// `/search/feed.rss|feed.atom|feed.json?q=...`: the newest matches (at
/// most 50, excerpts only) as a feed, with an ETag (`If-None-Match` → 304).
pub async fn search_feed(
    State(state): State<Arc<AppState>>,
    axum::extract::Path(file): axum::extract::Path<String>,
    Query(params): Query<HashMap<String, String>>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    use newsdesk_render::feeds::{self, FeedFormat, FeedMeta, ItemText};
    let format = file
        .strip_prefix("feed.")
        .and_then(FeedFormat::from_extension)
        .ok_or_else(|| {
            ApiError::not_found("the search feeds are feed.rss, feed.atom and feed.json")
        })?;
    only(&params, FILTERS)?;
    let mut q = parse_search(&state, &params).await?;
    q.sort = Sort::Newest;
    q.snippets = false;
    q.limit = FEED_ITEMS;
    let r = run(&state, q).await?;
    let ids: Vec<i64> = r.hits.iter().map(|h| h.id).collect();
    let articles = state
        .pool
        .with(move |s| -> Result<Vec<_>, String> {
            let mut out = Vec::with_capacity(ids.len());
            for id in ids {
                if let Some(a) = s.article(id).map_err(|e| e.to_string())? {
                    out.push(a);
                }
            }
            Ok(out)
        })
        .await?
        .map_err(store_error)?;
    let items: Vec<_> = articles
        .iter()
        .map(|a| state.site.item(a, ItemText::Excerpt))
        .collect();
    let updated = feeds::last_modified(&items).unwrap_or(DateTime::UNIX_EPOCH);
    let base = state.site.base_url().trim_end_matches('/');
    let query: String = {
        let mut pairs: Vec<(&String, &String)> = params.iter().collect();
        pairs.sort();
        pairs
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&")
    };
    let text = params.get("q").map(String::as_str).unwrap_or("");
    let meta = FeedMeta {
        title: format!("Search: {text}"),
        feed_url: format!("{base}/search/feed.{}?{query}", format.extension()),
        site_url: format!("{base}/api/v1/search?{query}"),
        description: format!("The desk's newest articles matching {text:?}"),
        updated,
        language: None,
    };
    let bytes = feeds::render(format, &meta, &items).map_err(store_error)?;
    Ok(crate::api::feed_response(&headers, format, updated, bytes))
}

/// Percent-encodes a query parameter for a link.
fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn encodes_query_values() {
        assert_eq!(super::encode("a b&\"é"), "a%20b%26%22%C3%A9");
    }
}
