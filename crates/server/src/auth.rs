//! Who is calling, what they may do, how often, and from which web origins.
//!
//! One middleware ([`access`]) runs on every request, inside the logging
//! one:
//!
//! 1. **CORS preflight**: an `OPTIONS` request with `Origin` and
//!    `Access-Control-Request-Method` from an allowed origin is answered
//!    here (204), before any credential is asked for.
//! 2. **Authentication**: `Authorization: Bearer nd_...` or `X-Api-Key:
//!    nd_...`; neither means anonymous. A malformed, unknown, wrong or
//!    revoked key is a 401 (`invalid_api_key`, `unknown_api_key`,
//!    `revoked_api_key`). Verified records are cached for [`KEY_TTL`]: no
//!    store round trip per request, and a revoked key stops working within
//!    that time.
//! 3. **Rate limits**: a token bucket per key (its own rate, else the
//!    server's key rate) and per client address for anonymous requests;
//!    an empty bucket is a 429 (`rate_limited`) with `Retry-After`.
//! 4. The handler runs with the [`Caller`] in the request's extensions.
//!    Handlers check roles and scopes with [`Caller::require_role`] (403,
//!    `forbidden`).
//! 5. **CORS headers** on the response for allowed origins
//!    (`Access-Control-Allow-Origin`, `Vary: Origin`); none for others.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use newsdesk_secure::{ApiKeyError, ApiKeyRecord, ApiKeyRow, ApiKeyToken, Principal, Role, Scope};

use crate::error::ApiError;
use crate::AppState;

/// How long a key record read from the store is trusted.
pub const KEY_TTL: Duration = Duration::from_secs(3);
/// The cache is emptied when it holds more entries than this.
const MAX_CACHED: usize = 10_000;
/// Buckets of idle clients are dropped when there are more than this.
const MAX_BUCKETS: usize = 100_000;

/// Access settings of a server.
#[derive(Clone)]
pub struct Access {
    /// Origins allowed to call from browsers; `*` allows any.
    pub cors_origins: Vec<String>,
    /// Requests per minute per anonymous client address; 0: unlimited.
    pub anonymous_rate: u32,
    /// Requests per minute per key without its own rate; 0: unlimited.
    pub key_rate: u32,
    /// Behind a reverse proxy: take an anonymous client's address from the
    /// last `X-Forwarded-For` entry (the one the proxy added), not from the
    /// connection (which is the proxy's).
    pub trust_forwarded_for: bool,
}

/// No CORS origins and no rate limits (`newsdesk serve` sets its own
/// defaults: 600 a minute per anonymous address, 6000 per key).
impl Default for Access {
    fn default() -> Access {
        Access {
            cors_origins: Vec::new(),
            anonymous_rate: 0,
            key_rate: 0,
            trust_forwarded_for: false,
        }
    }
}

/// Who made a request.
#[derive(Debug, Clone, Default)]
pub struct Caller(pub Option<Principal>);

impl Caller {
    /// Whether the caller may read clear full text.
    pub fn has_scope(&self, scope: Scope) -> bool {
        self.0.as_ref().is_some_and(|p| p.has_scope(scope))
    }

    /// 401 for anonymous callers, 403 when the key's role is too low.
    pub fn require_role(&self, role: Role) -> Result<&Principal, ApiError> {
        let Some(p) = &self.0 else {
            return Err(ApiError::new(
                StatusCode::UNAUTHORIZED,
                "unauthenticated",
                format!("this needs an API key with role {role} (Authorization: Bearer nd_...)"),
            ));
        };
        p.require_role(role).map_err(|e| key_error(&e))?;
        Ok(p)
    }
}

/// A key record and its rate, as cached.
#[derive(Clone)]
struct CachedKey {
    record: ApiKeyRecord,
    rate_per_min: Option<i64>,
}

struct Bucket {
    tokens: f64,
    at: Instant,
}

/// The key cache and the rate buckets.
#[derive(Default)]
pub struct Guard {
    keys: Mutex<HashMap<String, (Instant, Option<CachedKey>)>>,
    buckets: Mutex<HashMap<String, Bucket>>,
}

impl Guard {
    /// Takes a token from `who`'s bucket (`per_min` tokens a minute, as many
    /// at most); `Err(seconds)` until the next one when empty.
    fn take(&self, who: &str, per_min: u32) -> Result<(), u64> {
        if per_min == 0 {
            return Ok(());
        }
        let capacity = per_min as f64;
        let per_sec = capacity / 60.0;
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if buckets.len() > MAX_BUCKETS {
            // A bucket idle for a minute is full again: it holds no state.
            buckets.retain(|_, b| now.duration_since(b.at) < Duration::from_secs(60));
        }
        let b = buckets.entry(who.to_string()).or_insert(Bucket {
            tokens: capacity,
            at: now,
        });
        b.tokens = (b.tokens + now.duration_since(b.at).as_secs_f64() * per_sec).min(capacity);
        b.at = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - b.tokens) / per_sec).ceil().max(1.0) as u64)
        }
    }
}

fn key_error(e: &ApiKeyError) -> ApiError {
    let (status, code) = match e {
        ApiKeyError::Malformed { .. } => (StatusCode::UNAUTHORIZED, "invalid_api_key"),
        ApiKeyError::UnknownKey { .. } | ApiKeyError::WrongSecret { .. } => {
            (StatusCode::UNAUTHORIZED, "unknown_api_key")
        }
        ApiKeyError::Revoked { .. } => (StatusCode::UNAUTHORIZED, "revoked_api_key"),
        ApiKeyError::Forbidden { .. } => (StatusCode::FORBIDDEN, "forbidden"),
        _ => (StatusCode::UNAUTHORIZED, "invalid_api_key"),
    };
    // A wrong secret reads as an unknown key: no hint that the id exists.
    let message = match e {
        ApiKeyError::WrongSecret { id } => format!("API key `{id}` does not exist"),
        other => other.to_string(),
    };
    ApiError::new(status, code, message)
}

/// The token a request presents, if any.
fn presented(headers: &HeaderMap) -> Result<Option<String>, ApiError> {
    let bad = |m: &str| ApiError::new(StatusCode::UNAUTHORIZED, "invalid_api_key", m.to_string());
    if let Some(v) = headers.get(header::AUTHORIZATION) {
        let v = v
            .to_str()
            .map_err(|_| bad("Authorization: expected `Bearer nd_...`"))?;
        let token = v
            .strip_prefix("Bearer ")
            .or_else(|| v.strip_prefix("bearer "))
            .ok_or_else(|| bad("Authorization: expected `Bearer nd_...`"))?;
        return Ok(Some(token.trim().to_string()));
    }
    if let Some(v) = headers.get("x-api-key") {
        let v = v
            .to_str()
            .map_err(|_| bad("X-Api-Key: expected `nd_...`"))?;
        return Ok(Some(v.trim().to_string()));
    }
    Ok(None)
}

impl AppState {
    /// The key record for `id`, from the cache or the store.
    async fn key_record(&self, id: &str) -> Result<Option<CachedKey>, ApiError> {
        if let Some((at, k)) = self
            .guard
            .keys
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(id)
        {
            if at.elapsed() < KEY_TTL {
                return Ok(k.clone());
            }
        }
        let owned = id.to_string();
        let row = self
            .pool
            .with(move |s| s.api_key(&owned))
            .await?
            .map_err(crate::store_error)?;
        let cached = match row {
            None => None,
            Some(r) => {
                let record = ApiKeyRecord::from_row(&ApiKeyRow {
                    id: r.id,
                    name: r.name,
                    role: r.role,
                    scopes: r.scopes,
                    created: r.created,
                    last_used: r.last_used,
                    revoked: r.revoked,
                    secret_hash: r.secret_hash,
                })
                .map_err(crate::store_error)?;
                Some(CachedKey {
                    record,
                    rate_per_min: r.rate_per_min,
                })
            }
        };
        let mut keys = self.guard.keys.lock().unwrap_or_else(|p| p.into_inner());
        if keys.len() > MAX_CACHED {
            keys.clear();
        }
        keys.insert(id.to_string(), (Instant::now(), cached.clone()));
        Ok(cached)
    }

    /// Who the request's credentials name, and the rate that applies.
    async fn authenticate(&self, headers: &HeaderMap) -> Result<(Caller, Option<u32>), ApiError> {
        let Some(token) = presented(headers)? else {
            return Ok((Caller(None), None));
        };
        let token = ApiKeyToken::parse(&token).map_err(|e| key_error(&e))?;
        let cached = self.key_record(token.id()).await?;
        let principal = ApiKeyToken::verify(&token, cached.as_ref().map(|c| &c.record))
            .map_err(|e| key_error(&e))?;
        let rate = cached
            .and_then(|c| c.rate_per_min)
            .map(|r| r.clamp(0, u32::MAX as i64) as u32);
        Ok((Caller(Some(principal)), rate))
    }

    /// The value for `Access-Control-Allow-Origin`, when `origin` is allowed.
    fn allowed_origin(&self, origin: Option<&HeaderValue>) -> Option<HeaderValue> {
        let origin = origin?;
        let o = origin.to_str().ok()?;
        let list = &self.access.cors_origins;
        if list.iter().any(|a| a == "*") {
            Some(HeaderValue::from_static("*"))
        } else if list.iter().any(|a| a.trim_end_matches('/') == o) {
            Some(origin.clone())
        } else {
            None
        }
    }
}

/// The anonymous client's address: the connection's, or the proxy's last
/// `X-Forwarded-For` entry when trusted.
fn client_address(access: &Access, req: &Request) -> String {
    if access.trust_forwarded_for {
        let last = req
            .headers()
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .rfind(|v| !v.is_empty())
            .and_then(|v| v.parse::<std::net::IpAddr>().ok());
        if let Some(ip) = last {
            return ip.to_string();
        }
    }
    req.extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
        .unwrap_or_else(|| "local".into())
}

/// The access middleware: CORS, authentication, rate limits (see the module
/// documentation).
pub async fn access(State(state): State<Arc<AppState>>, mut req: Request, next: Next) -> Response {
    let cors = !state.access.cors_origins.is_empty();
    let allow = state.allowed_origin(req.headers().get(header::ORIGIN));
    let preflight = req.method() == Method::OPTIONS
        && req
            .headers()
            .contains_key(header::ACCESS_CONTROL_REQUEST_METHOD);
    let mut resp = if preflight && allow.is_some() {
        let mut r = StatusCode::NO_CONTENT.into_response();
        let h = r.headers_mut();
        h.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("GET, POST, DELETE, OPTIONS"),
        );
        h.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("Authorization, X-Api-Key, Content-Type, If-None-Match"),
        );
        h.insert(
            header::ACCESS_CONTROL_MAX_AGE,
            HeaderValue::from_static("600"),
        );
        r
    } else {
        match state.authenticate(req.headers()).await {
            Err(e) => e.into_response(),
            Ok((caller, key_rate)) => {
                let (who, rate) = match &caller.0 {
                    Some(p) => (
                        format!("key:{}", p.key_id),
                        key_rate.unwrap_or(state.access.key_rate),
                    ),
                    None => (
                        format!("ip:{}", client_address(&state.access, &req)),
                        state.access.anonymous_rate,
                    ),
                };
                match state.guard.take(&who, rate) {
                    Err(wait) => {
                        let mut r = ApiError::new(
                            StatusCode::TOO_MANY_REQUESTS,
                            "rate_limited",
                            format!("too many requests: {rate} a minute; retry in {wait} s"),
                        )
                        .into_response();
                        r.headers_mut()
                            .insert(header::RETRY_AFTER, HeaderValue::from(wait));
                        r
                    }
                    Ok(()) => {
                        req.extensions_mut().insert(caller);
                        next.run(req).await
                    }
                }
            }
        }
    };
    if cors {
        let h = resp.headers_mut();
        h.append(header::VARY, HeaderValue::from_static("Origin"));
        if let Some(origin) = allow {
            h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
            h.insert(
                header::ACCESS_CONTROL_EXPOSE_HEADERS,
                HeaderValue::from_static("Retry-After, ETag"),
            );
        }
    }
    resp
}

/// The article's secured text in the document form: its sealed body, else
/// the `secured` value its input record carried.
pub(crate) fn secured_form(a: &newsdesk_store::StoredArticle) -> Option<String> {
    a.sealed_body
        .as_deref()
        .and_then(newsdesk_store::sealed_document_form)
        .or_else(|| a.article.secured.clone())
}

/// The clear body, for callers with the `fulltext` scope only: opened with
/// the server's keyring when sealed (no keyring: `None`), as stored when the
/// store keeps it in clear.
pub(crate) fn fulltext(
    state: &AppState,
    a: &newsdesk_store::StoredArticle,
) -> Result<Option<String>, ApiError> {
    match (&a.sealed_body, &state.keyring) {
        (Some(sealed), Some(k)) => {
            newsdesk_store::TextSealer::open(k.as_ref(), &a.identity, sealed)
                .map(Some)
                .map_err(|e| crate::store_error(format!("article {}: {e}", a.id)))
        }
        (Some(_), None) => Ok(None),
        (None, _) => Ok(a.article.body.clone()),
    }
}
