//! What the server tests share: one request through the router, in process.
#![allow(dead_code)]

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use http_body_util::BodyExt;
use tower::ServiceExt;

/// Sends `method uri` with `headers` and `body`; returns the status, the
/// headers and the whole body.
pub async fn exchange(
    app: &axum::Router,
    method: &str,
    uri: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> (StatusCode, HeaderMap, Vec<u8>) {
    let mut b = Request::builder().method(method).uri(uri);
    for (k, v) in headers {
        b = b.header(*k, *v);
    }
    let resp = app
        .clone()
        .oneshot(b.body(Body::from(body.to_string())).unwrap())
        .await
        .unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let body = resp
        .into_body()
        .collect()
        .await
        .unwrap()
        .to_bytes()
        .to_vec();
    (status, headers, body)
}

/// A key stored in `dir`'s store; returns its id and token.
pub fn issue(
    dir: &std::path::Path,
    name: &str,
    role: newsdesk_secure::Role,
    scopes: Vec<newsdesk_secure::Scope>,
    rate: Option<i64>,
) -> (String, String) {
    let k = newsdesk_secure::ApiKeyRecord::issue(name, role, scopes, chrono::Utc::now()).unwrap();
    let r = k.record.to_row();
    let mut s = newsdesk_store::SqliteStore::open(dir).unwrap();
    newsdesk_store::ApiKeys::insert_api_key(
        &mut s,
        &newsdesk_store::ApiKeyStoreRow {
            id: r.id.clone(),
            name: r.name,
            secret_hash: r.secret_hash,
            role: r.role,
            scopes: r.scopes,
            created: r.created,
            last_used: None,
            revoked: None,
            rate_per_min: rate,
        },
    )
    .unwrap();
    (r.id, k.token().to_string())
}
