//! Editors signed in from a browser: `GET/POST /signin`, `POST /signout`,
//! the session cookie and the CSRF tokens every editor form carries.
//!
//! **Sign-in** checks an API key exactly as the API does (parse, the key's
//! record from the store, its secret, not revoked) and takes only the role
//! editor or admin; a reader key gets a refusal page. The store then keeps
//! a session (`WebSessions::create_web_session`: only the token's hash is
//! stored) and the browser gets the token in the cookie `newsdesk_session`:
//! `HttpOnly`, `SameSite=Strict`, `Path=/`, `Max-Age` = [`SESSION_HOURS`],
//! and `Secure` unless the server's base URL is plain `http` on a loopback
//! host (`newsdesk demo`, a desk on one's own machine: browsers would drop
//! a `Secure` cookie there).
//!
//! **Writes** (sessions, saved searches) go through [`Writer`], one writing
//! connection the server opens on first use, beside its read pool (which
//! stays read-only) — the session tables are the web's own state, not a
//! desk decision, so they do not go through the [`crate::EditorDesk`].
//!
//! **CSRF**: every form of a signed-in page carries `csrf`, the SHA-256 of
//! the session's secret under a fixed label (the secret itself never
//! reaches a page); every POST is checked in constant time before anything
//! else, and a missing or wrong token is a 403 page. Sign-in itself is
//! guarded against login CSRF by a double-submit token: `GET /signin` sets
//! a random value in the cookie `newsdesk_signin` (`Path=/signin`, ten
//! minutes) and in the form; `POST /signin` needs both, equal.
//!
//! The session cookie never authenticates the JSON API (a form on another
//! site could post to it); it is read only by the pages.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use askama::Template;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use newsdesk_secure::{ApiKeyRecord, ApiKeyRow, ApiKeyToken, Principal, Role};
use newsdesk_store::{DeskStore, NewWebSession, StoreError, WebSessionToken};

use super::layout::{page, Layout, WebError};
use crate::{store_error, AppState};

/// The session cookie.
pub const SESSION_COOKIE: &str = "newsdesk_session";
/// The sign-in form's double-submit cookie.
pub const SIGNIN_COOKIE: &str = "newsdesk_signin";
/// How long a session lasts.
pub const SESSION_HOURS: i64 = 12;

/// The server's one writing connection for the web's own state, opened on
/// first use.
pub struct Writer {
    data_dir: PathBuf,
    conn: Mutex<Option<Box<dyn DeskStore>>>,
}

impl Writer {
    pub fn new(data_dir: PathBuf) -> Writer {
        Writer {
            data_dir,
            conn: Mutex::new(None),
        }
    }

    /// Runs `f` with the writing connection on a blocking thread.
    pub async fn with<R: Send + 'static>(
        state: &Arc<AppState>,
        f: impl FnOnce(&mut dyn DeskStore) -> Result<R, StoreError> + Send + 'static,
    ) -> Result<R, WebError> {
        let st = state.clone();
        let r = tokio::task::spawn_blocking(move || -> Result<R, StoreError> {
            let w = &st.web_writer;
            let mut conn = w.conn.lock().unwrap_or_else(|p| p.into_inner());
            if conn.is_none() {
                *conn = Some(newsdesk_store::open(&w.data_dir)?);
            }
            match conn.as_mut() {
                Some(c) => f(&mut **c),
                None => Err(StoreError::Random {
                    message: "no writing connection".into(),
                }),
            }
        })
        .await
        .map_err(|_| WebError::from(crate::ApiError::internal()))?;
        r.map_err(|e| WebError::from(store_error(e)))
    }
}

/// A signed-in editor, as a page sees it.
#[derive(Debug, Clone)]
pub struct Editor {
    /// The key the session was opened with, as it stands now.
    pub principal: Principal,
    /// The token every form of the session carries.
    pub csrf: String,
}

/// The value of cookie `name` in the request, if any.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().to_string())
}

/// Whether cookies may go without `Secure`: plain `http` on loopback only.
fn insecure_ok(base_url: &str) -> bool {
    let Some(rest) = base_url.strip_prefix("http://") else {
        return false;
    };
    let host = rest.split('/').next().unwrap_or("");
    let host = if let Some(h) = host.strip_prefix('[') {
        h.split(']').next().unwrap_or("")
    } else {
        host.rsplit_once(':').map_or(host, |(h, _)| h)
    };
    host == "localhost"
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// A `Set-Cookie` value with the desk's attributes.
fn set_cookie(state: &AppState, name: &str, value: &str, path: &str, max_age: i64) -> HeaderValue {
    let secure = if insecure_ok(state.base_url()) {
        ""
    } else {
        "; Secure"
    };
    let v = format!(
        "{name}={value}; Path={path}; Max-Age={max_age}; HttpOnly; SameSite=Strict{secure}"
    );
    HeaderValue::from_str(&v).unwrap_or_else(|_| HeaderValue::from_static("invalid=1"))
}

/// The CSRF token of a session secret.
fn csrf_of(secret: &str) -> String {
    WebSessionToken::hash_of(&format!("newsdesk-csrf:{secret}"))
}

/// Equal, in time that does not depend on where they differ.
pub fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The key record for `id`, as the store holds it.
fn key_record(s: &dyn DeskStore, id: &str) -> Result<Option<ApiKeyRecord>, StoreError> {
    let Some(r) = s.api_key(id)? else {
        return Ok(None);
    };
    Ok(ApiKeyRecord::from_row(&ApiKeyRow {
        id: r.id,
        name: r.name,
        role: r.role,
        scopes: r.scopes,
        created: r.created,
        last_used: r.last_used,
        revoked: r.revoked,
        secret_hash: r.secret_hash,
    })
    .ok())
}

/// The signed-in editor of a request: a live session whose key still
/// exists, unrevoked, with the role editor or admin.
pub async fn signed_in(
    state: &Arc<AppState>,
    headers: &HeaderMap,
) -> Result<Option<Editor>, WebError> {
    let Some(token) = cookie(headers, SESSION_COOKIE) else {
        return Ok(None);
    };
    if token.is_empty() || token.len() > 128 {
        return Ok(None);
    }
    let now = Utc::now();
    let found = state
        .pool
        .with(move |s| -> Result<_, StoreError> {
            let Some(session) = s.web_session(&token, now)? else {
                return Ok(None);
            };
            let record = key_record(s, &session.api_key_id)?;
            Ok(record.map(|r| (session, r)))
        })
        .await?
        .map_err(store_error)?;
    let Some((session, record)) = found else {
        return Ok(None);
    };
    if record.revoked.is_some() || !record.role.allows(Role::Editor) {
        return Ok(None);
    }
    Ok(Some(Editor {
        principal: Principal {
            key_id: record.id,
            name: record.name,
            role: record.role,
            scopes: record.scopes,
        },
        csrf: csrf_of(&session.csrf_secret),
    }))
}

/// The fields of a form body (`application/x-www-form-urlencoded`).
pub fn form(body: &Bytes) -> HashMap<String, String> {
    fn decode(s: &str) -> String {
        let b = s.as_bytes();
        let mut out = Vec::with_capacity(b.len());
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                b'+' => out.push(b' '),
                b'%' if i + 2 < b.len()
                    && b[i + 1].is_ascii_hexdigit()
                    && b[i + 2].is_ascii_hexdigit() =>
                {
                    let hi = (b[i + 1] as char).to_digit(16).unwrap_or(0) as u8;
                    let lo = (b[i + 2] as char).to_digit(16).unwrap_or(0) as u8;
                    out.push(hi * 16 + lo);
                    i += 2;
                }
                c => out.push(c),
            }
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    }
    let text = String::from_utf8_lossy(body);
    text.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => (decode(p), String::new()),
        })
        .collect()
}

/// The 403 page of a form without a valid token.
pub fn forbidden(message: &str) -> WebError {
    WebError {
        status: StatusCode::FORBIDDEN,
        heading: "Refused".into(),
        message: message.into(),
    }
}

/// The signed-in editor of a POST whose form carries the session's CSRF
/// token; a 403 page otherwise (no session, or a missing or wrong token).
pub async fn checked_post(
    state: &Arc<AppState>,
    headers: &HeaderMap,
    fields: &HashMap<String, String>,
) -> Result<Editor, WebError> {
    let editor = signed_in(state, headers).await?;
    let token = fields.get("csrf").map(String::as_str).unwrap_or("");
    match editor {
        Some(e) if same(token, &e.csrf) => Ok(e),
        Some(_) => Err(forbidden(
            "The form's security token is missing or out of date. Go back, reload the page and try again.",
        )),
        None => Err(forbidden(
            "You are not signed in (or your session ended). Sign in at /signin and try again.",
        )),
    }
}

/// A redirect (303) after a form.
pub fn see_other(to: &str) -> Response {
    let mut r = StatusCode::SEE_OTHER.into_response();
    if let Ok(v) = HeaderValue::from_str(to) {
        r.headers_mut().insert(header::LOCATION, v);
    }
    r
}

#[derive(Template)]
#[template(path = "signin.html")]
struct SignInPage {
    layout: Layout,
    token: String,
    message: String,
    signed_in_as: Option<String>,
}

/// `GET /signin`: the form, with a fresh double-submit token.
pub async fn signin_form(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
) -> Result<Response, WebError> {
    signin_page(&state, &headers, StatusCode::OK, String::new()).await
}

async fn signin_page(
    state: &Arc<AppState>,
    headers: &HeaderMap,
    status: StatusCode,
    message: String,
) -> Result<Response, WebError> {
    let token = WebSessionToken::generate().map_err(store_error)?;
    let signed_in_as = signed_in(state, headers).await?.map(|e| e.principal.name);
    let t = SignInPage {
        layout: Layout::new(state, "Sign in").await?,
        token: token.as_str().to_string(),
        message,
        signed_in_as,
    };
    let mut r = page(&t)?;
    *r.status_mut() = status;
    r.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(state, SIGNIN_COOKIE, token.as_str(), "/signin", 600),
    );
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(r)
}

/// `POST /signin`: checks the double-submit token and the key, then opens
/// a session.
pub async fn signin(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, WebError> {
    let fields = form(&body);
    let sent = fields.get("signin").map(String::as_str).unwrap_or("");
    let held = cookie(&headers, SIGNIN_COOKIE).unwrap_or_default();
    if held.is_empty() || !same(sent, &held) {
        return Err(forbidden(
            "The sign-in form is out of date or did not come from this desk. Open /signin again.",
        ));
    }
    let key = fields
        .get("key")
        .map(|k| k.trim().to_string())
        .unwrap_or_default();
    let refuse = |m: &str| m.to_string();
    let Ok(token) = ApiKeyToken::parse(&key) else {
        let m = refuse("That is not an API key (they start with nd_).");
        return signin_page(&state, &headers, StatusCode::UNAUTHORIZED, m).await;
    };
    let id = token.id().to_string();
    let record = state
        .pool
        .with(move |s| key_record(s, &id))
        .await?
        .map_err(store_error)?;
    let principal = match ApiKeyToken::verify(&token, record.as_ref()) {
        Ok(p) => p,
        Err(_) => {
            let m = refuse("That key is unknown or revoked.");
            return signin_page(&state, &headers, StatusCode::UNAUTHORIZED, m).await;
        }
    };
    if !principal.role.allows(Role::Editor) {
        let m = format!(
            "The key “{}” has the role {}; signing in needs the role editor or admin.",
            principal.name, principal.role
        );
        return signin_page(&state, &headers, StatusCode::FORBIDDEN, m).await;
    }
    let now = Utc::now();
    let new = NewWebSession {
        api_key_id: principal.key_id.clone(),
        role: principal.role.to_string(),
        created: now,
        expires: now + chrono::Duration::hours(SESSION_HOURS),
    };
    // Sessions that ended are cleared as new ones start.
    let (token, _) = Writer::with(&state, move |s| {
        s.purge_web_sessions(now)?;
        s.create_web_session(&new)
    })
    .await?;
    let mut r = see_other("/editor?done=signed-in");
    let h = r.headers_mut();
    h.append(
        header::SET_COOKIE,
        set_cookie(
            &state,
            SESSION_COOKIE,
            token.as_str(),
            "/",
            SESSION_HOURS * 3600,
        ),
    );
    h.append(
        header::SET_COOKIE,
        set_cookie(&state, SIGNIN_COOKIE, "", "/signin", 0),
    );
    Ok(r)
}

/// `POST /signout`: ends the session (its token stops working at once).
pub async fn signout(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, WebError> {
    let fields = form(&body);
    checked_post(&state, &headers, &fields).await?;
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        Writer::with(&state, move |s| s.delete_web_session(&token)).await?;
    }
    let mut r = see_other("/");
    r.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(&state, SESSION_COOKIE, "", "/", 0),
    );
    Ok(r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_http_on_loopback_goes_without_secure() {
        assert!(insecure_ok("http://127.0.0.1:8080"));
        assert!(insecure_ok("http://localhost:8080/desk"));
        assert!(insecure_ok("http://[::1]:80"));
        assert!(!insecure_ok("http://news.example.org"));
        assert!(!insecure_ok("http://10.0.0.2:8080"));
        assert!(!insecure_ok("https://127.0.0.1"));
    }

    #[test]
    fn forms_decode_and_tokens_compare() {
        let f = form(&Bytes::from_static(b"a=x+y%26z&b=%E2%80%9C&c&d=%zz"));
        assert_eq!(f["a"], "x y&z");
        assert_eq!(f["b"], "“");
        assert_eq!(f["c"], "");
        assert_eq!(f["d"], "%zz");
        assert!(same("abc", "abc"));
        assert!(!same("abc", "abd"));
        assert!(!same("abc", "ab"));
    }
}
