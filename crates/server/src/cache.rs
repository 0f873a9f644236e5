//! A response cache for the public read routes.
//!
//! The topic page a thousand readers ask for is the same bytes until the
//! store changes, so answers are kept by request URI and tagged with the
//! store's *generation*. A watcher thread polls SQLite's `PRAGMA
//! data_version` on its own connection (it changes whenever another
//! connection commits: the pipeline, an editor, `newsdesk keys rotate`) and
//! bumps the generation; a cached answer from an older generation is never
//! served. Parts of the server that write themselves call
//! [`ResponseCache::invalidate`] before they answer, so a client that
//! changed something and reads it back sees its change at once.
//!
//! Only `GET`s of the routes in [`cacheable`] with a 200 answer are kept,
//! and only the public view: a caller whose key has the `fulltext` scope
//! (the one thing a key changes in these answers), a conditional request or
//! `Cache-Control: no-cache` goes to the handler, so what a key may see
//! never leaks into what everyone sees (a signed-in editor's session
//! cookie too: its pages carry the editor's forms and maybe clear text), and ETag handling stays in the
//! handlers. The access layer (keys, rate limits) runs before the cache.
//! The cache holds at most [`MAX_ENTRIES`] answers of at most
//! [`MAX_BODY`] bytes each; when full, it starts over (a burst of distinct
//! hostile URLs costs memory that is bounded, and never correctness).

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;

use axum::body::{Body, Bytes, HttpBody};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use newsdesk_store::StoreError;

use crate::AppState;

/// Answers kept at most.
pub const MAX_ENTRIES: usize = 8192;
/// The largest answer kept, in bytes.
pub const MAX_BODY: usize = 512 * 1024;
/// How often the watcher looks for commits by others.
const POLL: Duration = Duration::from_millis(200);

struct Entry {
    generation: u64,
    content_type: Option<HeaderValue>,
    etag: Option<HeaderValue>,
    cache_control: Option<HeaderValue>,
    body: Bytes,
}

/// Cached answers and the store generation they belong to.
#[derive(Default)]
pub struct ResponseCache {
    generation: AtomicU64,
    entries: Mutex<HashMap<String, Entry>>,
    hits: AtomicU64,
    misses: AtomicU64,
}

impl ResponseCache {
    /// The current store generation.
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Forgets every cached answer (the store changed).
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }

    /// (hits, misses) since start.
    pub fn counts(&self) -> (u64, u64) {
        (
            self.hits.load(Ordering::Relaxed),
            self.misses.load(Ordering::Relaxed),
        )
    }

    fn get(&self, key: &str) -> Option<Response> {
        let generation = self.generation();
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        let e = entries.get(key).filter(|e| e.generation == generation)?;
        let mut resp = Response::new(Body::from(e.body.clone()));
        let h = resp.headers_mut();
        for (name, value) in [
            (header::CONTENT_TYPE, &e.content_type),
            (header::ETAG, &e.etag),
            (header::CACHE_CONTROL, &e.cache_control),
        ] {
            if let Some(v) = value {
                h.insert(name, v.clone());
            }
        }
        Some(resp)
    }

    fn put(&self, key: String, generation: u64, headers: &HeaderMap, body: Bytes) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= MAX_ENTRIES && !entries.contains_key(&key) {
            entries.clear();
        }
        entries.insert(
            key,
            Entry {
                generation,
                content_type: headers.get(header::CONTENT_TYPE).cloned(),
                etag: headers.get(header::ETAG).cloned(),
                cache_control: headers.get(header::CACHE_CONTROL).cloned(),
                body,
            },
        );
    }

    /// Starts the thread that watches the store in `data_dir` for commits
    /// by other connections. It ends when `cache` is dropped.
    pub fn watch(cache: &Arc<ResponseCache>, data_dir: &Path) -> Result<(), StoreError> {
        let store = newsdesk_store::open(data_dir)?;
        let weak: Weak<ResponseCache> = Arc::downgrade(cache);
        let mut last = store.data_version().ok();
        std::thread::Builder::new()
            .name("newsdesk-cache-watch".into())
            .spawn(move || loop {
                std::thread::sleep(POLL);
                let Some(cache) = weak.upgrade() else { return };
                match store.data_version() {
                    Ok(v) if Some(v) == last => {}
                    Ok(v) => {
                        last = Some(v);
                        cache.invalidate();
                    }
                    // Unsure what the store holds: serve nothing old.
                    Err(_) => cache.invalidate(),
                }
            })
            .map_err(|e| StoreError::Open {
                path: data_dir.display().to_string(),
                message: format!("cannot start the cache watcher: {e}"),
            })?;
        Ok(())
    }
}

/// Whether answers for `path` may be cached: the public read routes whose
/// answer depends only on the URI and the store.
pub fn cacheable(path: &str) -> bool {
    path == "/api/v1/articles"
        || path == "/api/v1/topics"
        || path.starts_with("/api/v1/articles/")
        || path.starts_with("/api/v1/stories/")
        || path.starts_with("/articles/")
        || path.starts_with("/topics/")
}

/// The middleware: serves from the cache or fills it.
pub async fn layer(State(state): State<Arc<AppState>>, req: Request, next: Next) -> Response {
    let h = req.headers();
    // The access layer has checked the key, if any: a caller who may read
    // clear text gets its own answers; everyone else sees the public ones.
    let private = match req.extensions().get::<crate::Caller>() {
        Some(caller) => caller.has_scope(newsdesk_secure::Scope::Fulltext),
        None => h.contains_key(header::AUTHORIZATION) || h.contains_key("x-api-key"),
    };
    // A signed-in editor's pages carry forms with the session's token (and
    // maybe clear text): never cached here, nor by anyone on the way.
    if crate::web::session::cookie(h, crate::web::session::SESSION_COOKIE).is_some() {
        let mut resp = next.run(req).await;
        resp.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
        return resp;
    }
    if req.method() != Method::GET
        || private
        || !cacheable(req.uri().path())
        || h.contains_key(header::IF_NONE_MATCH)
        || h.contains_key(header::IF_MODIFIED_SINCE)
        || h.get(header::CACHE_CONTROL)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains("no-cache") || v.contains("no-store"))
    {
        return next.run(req).await;
    }
    let cache = &state.cache;
    let key = req.uri().to_string();
    if let Some(resp) = cache.get(&key) {
        cache.hits.fetch_add(1, Ordering::Relaxed);
        return resp;
    }
    cache.misses.fetch_add(1, Ordering::Relaxed);
    // Read the generation before the handler runs: a commit while it runs
    // makes this answer old at once rather than kept as new.
    let generation = cache.generation();
    let resp = next.run(req).await;
    if resp.status() != StatusCode::OK {
        return resp;
    }
    // Keep only answers whose whole size is known and small (the JSON and
    // document handlers answer with one buffer); others pass through.
    let small = HttpBody::size_hint(resp.body())
        .exact()
        .is_some_and(|n| n as usize <= MAX_BODY);
    if !small {
        return resp;
    }
    let (parts, body) = resp.into_parts();
    match axum::body::to_bytes(body, MAX_BODY).await {
        Ok(bytes) => {
            cache.put(key, generation, &parts.headers, bytes.clone());
            Response::from_parts(parts, Body::from(bytes))
        }
        Err(_) => crate::ApiError::internal().into_response(),
    }
}
