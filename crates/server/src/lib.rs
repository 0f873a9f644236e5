//! The desk's HTTP server: a JSON API under `/api/v1`, web pages (`/`,
//! `/topics/{slug}`, ... see [`web`]), documents at `/articles/{id}.md`,
//! `/healthz` and Prometheus `/metrics`.
//!
//! Read-only over the store: requests run on a small pool of SQLite read
//! connections (WAL lets them run beside the pipeline's writer) on blocking
//! threads. Every failure has one shape, `{"error": {"code", "message"}}`,
//! with stable codes (see [`ApiError`] and `openapi.json`). Every request is
//! logged as one JSON line on standard error and counted in the metrics.
//!
//! Who may read what, how often and from where (API keys, roles, the
//! `fulltext` scope, rate limits, CORS) is `auth.rs`; editor actions go
//! through the [`EditorDesk`] the binary hands over (`desk.rs`).
//!
//! Query parameters are checked strictly: an unknown parameter, a value out
//! of range, a page larger than [`MAX_LIMIT`] or a cursor this server did not
//! write is a 400, never a guess.

mod api;
pub mod auth;
pub mod cache;
pub mod desk;
pub mod error;
pub mod metrics;
mod pool;
pub mod search;
pub mod sources;
pub mod web;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderValue};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use newsdesk_store::TopicCount;

pub use auth::{Access, Caller};
pub use desk::{DeskError, EditorDesk, NewRule};
pub use error::ApiError;
pub use metrics::Metrics;

/// The largest page a list returns.
pub const MAX_LIMIT: usize = 100;
/// The page size when none is asked for.
pub const DEFAULT_LIMIT: usize = 20;

/// How the server is set up.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// The data folder holding the store.
    pub data_dir: PathBuf,
    /// The public base URL (for links in feeds and documents), no trailing
    /// slash; empty: `http://` and the address the server listens on.
    pub base_url: String,
    /// Read connections (and so concurrent store queries).
    pub readers: usize,
}

/// A server failure at start.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error("cannot open the store: {0}")]
    Store(#[from] newsdesk_store::StoreError),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("the base URL: {0}")]
    BaseUrl(#[from] newsdesk_render::feeds::FeedError),
    #[error("the server stopped: {0}")]
    Serve(#[source] std::io::Error),
}

/// What every handler shares.
pub struct AppState {
    pool: pool::Pool,
    /// The image cache `newsdesk run` fills (`DATA_DIR/images`).
    images_dir: PathBuf,
    pub metrics: Arc<Metrics>,
    base_url: String,
    /// Feed links and item ids.
    site: newsdesk_render::feeds::Site,
    /// Topic counts and the store generation they were read at.
    topics: Mutex<Option<(u64, Arc<Vec<TopicCount>>)>>,
    /// Held while counting topics (one count at a time).
    counting_topics: tokio::sync::Mutex<()>,
    /// A background recount for [`AppState::topic_names`] is running.
    recounting_topics: std::sync::atomic::AtomicBool,
    /// Answers of the public read routes, by store generation.
    pub cache: Arc<cache::ResponseCache>,
    /// CORS origins and rate limits.
    access: Access,
    /// Cached API keys and rate buckets.
    guard: auth::Guard,
    /// Opens sealed full text for keys with the `fulltext` scope.
    keyring: Option<Arc<newsdesk_secure::Keyring>>,
    /// Takes editor actions; `None`: they answer 503.
    desk: Option<Arc<dyn EditorDesk>>,
    /// The full-text index (`DATA_DIR/search`).
    pub search: search::SearchState,
    /// Each topic's parent, from the topics file (the pages' navigation);
    /// empty: guessed from the names (`AWS AI` under `AI`).
    topic_parents: HashMap<String, String>,
}

impl AppState {
    pub fn open(config: &ServerConfig, metrics: Arc<Metrics>) -> Result<AppState, ServerError> {
        let cache = Arc::new(cache::ResponseCache::default());
        cache::ResponseCache::watch(&cache, &config.data_dir)?;
        Ok(AppState {
            cache,
            pool: pool::Pool::open(&config.data_dir, config.readers)?,
            images_dir: config.data_dir.join("images"),
            metrics,
            base_url: config.base_url.trim_end_matches('/').to_string(),
            site: newsdesk_render::feeds::Site::new(&config.base_url)?,
            topics: Mutex::new(None),
            counting_topics: tokio::sync::Mutex::new(()),
            recounting_topics: std::sync::atomic::AtomicBool::new(false),
            access: Access::default(),
            guard: auth::Guard::default(),
            keyring: None,
            desk: None,
            search: search::SearchState::open(&config.data_dir),
            topic_parents: HashMap::new(),
        })
    }

    /// Sets the CORS origins and rate limits.
    pub fn with_access(mut self, access: Access) -> AppState {
        self.access = access;
        self
    }

    /// Sets the keyring that opens sealed full text for `fulltext` keys.
    pub fn with_keyring(mut self, keyring: Option<Arc<newsdesk_secure::Keyring>>) -> AppState {
        self.keyring = keyring;
        self
    }

    /// Sets each topic's parent (name → parent name), as the topics file
    /// says, for the pages' topic navigation.
    pub fn with_topic_parents(mut self, parents: HashMap<String, String>) -> AppState {
        self.topic_parents = parents;
        self
    }

    /// Sets the desk that takes editor actions.
    pub fn with_desk(mut self, desk: Arc<dyn EditorDesk>) -> AppState {
        self.desk = Some(desk);
        self
    }
}

/// What `serve` gives the server beyond its configuration.
#[derive(Default)]
pub struct Extras {
    pub access: Access,
    pub keyring: Option<Arc<newsdesk_secure::Keyring>>,
    pub desk: Option<Arc<dyn EditorDesk>>,
}

/// The routes, with logging, metrics and security headers around them.
pub fn router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/", get(web::home::page_handler))
        .route("/topics/{slug}", get(web::topic::page_handler))
        .route("/stories/{id}", get(web::story::page_handler))
        .route("/search", get(web::search::page_handler))
        .route("/sources", get(web::sources::page_handler))
        .route("/assets/{file}", get(web::assets::serve))
        .route("/healthz", get(api::healthz))
        .route("/metrics", get(api::metrics))
        .route("/api/v1/openapi.json", get(api::openapi))
        .route("/api/v1/articles", get(api::list_articles))
        .route("/api/v1/articles/{id}", get(api::get_article))
        .route("/api/v1/articles/{id}/actions", post(desk::article_action))
        .route("/api/v1/rules", get(desk::list_rules).post(desk::add_rule))
        .route(
            "/api/v1/rules/{name}",
            axum::routing::delete(desk::remove_rule),
        )
        .route("/api/v1/stories/{id}", get(api::get_story))
        .route("/api/v1/topics", get(api::list_topics))
        .route("/api/v1/sources", get(api::list_sources))
        .route("/api/v1/stats", get(api::stats))
        .route("/articles/{file}", get(web::article::dispatch))
        .route("/images/{key}", get(api::image))
        .route("/topics/{slug}/{file}", get(api::topic_feed))
        .route("/api/v1/search", get(search::search))
        .route("/search/{file}", get(search::search_feed))
        .fallback(web::layout::no_route)
        .method_not_allowed_fallback(api::no_method)
        // Innermost first: the cache sees only requests the access layer
        // (keys, rate limits, CORS) let through.
        .layer(middleware::from_fn_with_state(state.clone(), cache::layer))
        .layer(middleware::from_fn_with_state(state.clone(), auth::access))
        .layer(middleware::from_fn_with_state(state.clone(), observe))
        .with_state(state)
}

/// Logs and counts each request and sets the security headers.
async fn observe(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_string())
        .unwrap_or_else(|| "unmatched".to_string());
    let mut resp = next.run(req).await;
    let took = start.elapsed();
    let status = resp.status().as_u16();
    let h = resp.headers_mut();
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    // Pages load the desk's own stylesheet, script and images; everything
    // else (JSON, feeds, documents) loads nothing.
    let is_page = h
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"));
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(if is_page {
            web::PAGE_CSP
        } else {
            "default-src 'none'; frame-ancestors 'none'"
        }),
    );
    state.metrics.request(&route, status, took);
    eprintln!(
        "{}",
        serde_json::json!({
            "at": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            "method": method.as_str(),
            "path": path,
            "route": route,
            "status": status,
            "ms": (took.as_secs_f64() * 1000.0 * 1000.0).round() / 1000.0,
        })
    );
    resp
}

/// Serves until `shutdown` resolves, then finishes the requests in flight.
pub async fn serve(
    addr: SocketAddr,
    config: ServerConfig,
    extras: Extras,
    metrics: Arc<Metrics>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    serve_with(addr, config, extras, metrics, None, shutdown).await
}

/// [`serve`], with a keeper that writes the search index when this server
/// can take its writer lock (see [`search`]).
pub async fn serve_with(
    addr: SocketAddr,
    config: ServerConfig,
    extras: Extras,
    metrics: Arc<Metrics>,
    keeper: Option<Arc<dyn search::SearchKeeper>>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(), ServerError> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| ServerError::Bind { addr, source })?;
    let local = listener.local_addr().unwrap_or(addr);
    let mut config = config;
    if config.base_url.is_empty() {
        config.base_url = format!("http://{local}");
    }
    let mut state = AppState::open(&config, metrics)?
        .with_access(extras.access)
        .with_keyring(extras.keyring);
    if let Some(desk) = extras.desk {
        state = state.with_desk(desk);
    }
    let state = Arc::new(state);
    if let Some(keeper) = keeper {
        search::start_keeper(state.clone(), keeper);
    }
    eprintln!(
        "{}",
        serde_json::json!({"msg": "listening", "addr": local.to_string(), "data": config.data_dir.display().to_string()})
    );
    // The client's address is the anonymous rate limit's key.
    axum::serve(
        listener,
        router(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
    .map_err(ServerError::Serve)
}

/// Resolves on Ctrl-C (SIGINT) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
    eprintln!(
        "{}",
        serde_json::json!({"msg": "shutting down: finishing requests in flight"})
    );
}

impl AppState {
    /// The topics with their counts at the store's current generation,
    /// recounted when the store has changed. One caller counts at a time (a
    /// count reads every article: 1.5–3 s at a million); the others wait
    /// for its answer.
    async fn topic_counts(&self) -> Result<Arc<Vec<TopicCount>>, ApiError> {
        let generation = self.cache.generation();
        if let Some(t) = self.topics_at(Some(generation)) {
            return Ok(t);
        }
        let _counting = self.counting_topics.lock().await;
        if let Some(t) = self.topics_at(Some(generation)) {
            return Ok(t);
        }
        let counts = self
            .pool
            .with(|s| s.topic_counts())
            .await?
            .map_err(store_error)?;
        let counts = Arc::new(counts);
        *self.topics.lock().unwrap_or_else(|p| p.into_inner()) = Some((generation, counts.clone()));
        Ok(counts)
    }

    /// The topics last counted, of `generation` or (`None`) of any.
    fn topics_at(&self, generation: Option<u64>) -> Option<Arc<Vec<TopicCount>>> {
        let topics = self.topics.lock().unwrap_or_else(|p| p.into_inner());
        let (at, t) = topics.as_ref()?;
        (generation.is_none_or(|g| g == *at)).then(|| t.clone())
    }

    /// The topics for resolving a `topic` parameter (a name or slug): the
    /// last counted, even before the latest commit, with a recount started
    /// in the background when they are older. A commit then never makes a
    /// topic page or a search wait for a count of every article; a topic
    /// whose first article was just committed is known once the recount
    /// ends.
    async fn topic_names(self: &Arc<Self>) -> Result<Arc<Vec<TopicCount>>, ApiError> {
        let Some(known) = self.topics_at(None) else {
            return self.topic_counts().await;
        };
        if self.topics_at(Some(self.cache.generation())).is_none()
            && !self.recounting_topics.swap(true, Ordering::AcqRel)
        {
            let state = self.clone();
            tokio::spawn(async move {
                let _ = state.topic_counts().await;
                state.recounting_topics.store(false, Ordering::Release);
            });
        }
        Ok(known)
    }

    fn base_url(&self) -> &str {
        &self.base_url
    }
}

/// A store failure, logged; the client gets the generic internal error.
fn store_error(e: impl std::fmt::Display) -> ApiError {
    eprintln!(
        "{}",
        serde_json::json!({"level": "error", "msg": "store error", "error": e.to_string()})
    );
    ApiError::internal()
}
