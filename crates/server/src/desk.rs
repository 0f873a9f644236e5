//! Editor actions over the API: overrides and mute/keep rules.
//!
//! The decision engine lives in the desk library (`crates/desk`); the binary
//! hands the server an [`EditorDesk`] (a typed trait in `newsdesk_model`;
//! the answers are made JSON here), which does every write (the server's own pool
//! stays read-only). Calls run on blocking threads. Every handler here needs
//! the role editor (or admin); the key's name is the editor in the audit log.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use newsdesk_model::EditorAction;
use newsdesk_secure::Role;
use serde_json::{json, Value};

use crate::auth::Caller;
use crate::error::ApiError;
use crate::AppState;

use newsdesk_model::desk::{Rule, RuleAction};
pub use newsdesk_model::{ActionOutcome, EditorDesk, EditorError as DeskError, NewRule};

/// The HTTP answer to a refusal or failure.
fn desk_error(e: DeskError) -> ApiError {
    match e {
        DeskError::NotFound(m) => ApiError::not_found(m),
        DeskError::Invalid(m) => ApiError::new(StatusCode::BAD_REQUEST, "invalid_body", m),
        DeskError::Conflict(m) => ApiError::new(StatusCode::CONFLICT, "rule_exists", m),
        DeskError::Internal(m) => crate::store_error(m),
    }
}

/// An action's outcome as the API shows it.
fn outcome_json(o: &ActionOutcome) -> Value {
    json!({
        "id": o.id,
        "published": o.published,
        "pinned": o.pinned,
        "heat": o.heat,
        "override": o.editor_override,
        "reasons": o.reasons,
    })
}

/// A rule as the API shows it.
fn rule_json(r: &Rule) -> Value {
    json!({
        "name": r.name,
        "query": r.query,
        "action": r.action.as_str(),
        "topic": r.topic,
        "editor": r.editor,
        "reason": r.reason,
        "createdAt": r.created_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    })
}

fn bad_body(m: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::BAD_REQUEST, "invalid_body", m)
}

/// The JSON object of a request body; every field must be known.
fn object(body: &Bytes, known: &[&str]) -> Result<serde_json::Map<String, Value>, ApiError> {
    let v: Value =
        serde_json::from_slice(body).map_err(|e| bad_body(format!("the body is not JSON: {e}")))?;
    let Value::Object(o) = v else {
        return Err(bad_body("the body must be a JSON object"));
    };
    if let Some(k) = o.keys().find(|k| !known.contains(&k.as_str())) {
        return Err(bad_body(format!(
            "unknown field {k:?} (expected {})",
            known.join(", ")
        )));
    }
    Ok(o)
}

fn text_field(
    o: &serde_json::Map<String, Value>,
    name: &str,
    required: bool,
) -> Result<Option<String>, ApiError> {
    match o.get(name) {
        None if !required => Ok(None),
        None => Err(bad_body(format!("the field {name:?} is required"))),
        Some(Value::String(s)) if s.chars().count() <= 2_000 => Ok(Some(s.clone())),
        Some(Value::String(_)) => Err(bad_body(format!("{name}: at most 2000 characters"))),
        Some(_) => Err(bad_body(format!("{name}: expected a string"))),
    }
}

impl AppState {
    fn desk(&self) -> Result<Arc<dyn EditorDesk>, ApiError> {
        self.desk.clone().ok_or_else(|| {
            ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "desk_unavailable",
                "this server does not take editor actions",
            )
        })
    }
}

async fn blocking<R: Send + 'static>(
    f: impl FnOnce() -> Result<R, DeskError> + Send + 'static,
) -> Result<R, ApiError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|_| ApiError::internal())?
        .map_err(desk_error)
}

type Params = Query<std::collections::HashMap<String, String>>;

/// `POST /api/v1/articles/{id}/actions`.
pub async fn article_action(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    Query(params): Params,
    body: Bytes,
) -> Result<Json<Value>, ApiError> {
    crate::api::only(&params, &[])?;
    let editor = caller.require_role(Role::Editor)?.name.clone();
    let id = crate::api::parse_id("article", &id)?;
    let o = object(&body, &["action", "reason"])?;
    let action = text_field(&o, "action", true)?.unwrap_or_default();
    let action = EditorAction::parse_request(&action).ok_or_else(|| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "unknown_action",
            format!("action: expected publish, unpublish, pin or clear, found {action:?}"),
        )
    })?;
    let reason = text_field(&o, "reason", false)?;
    let desk = state.desk()?;
    let v = blocking(move || desk.act(id, action, &editor, reason.as_deref())).await;
    // Whatever happened, cached pages may be old now (the change may have
    // committed before a later step failed).
    state.cache.invalidate();
    Ok(Json(outcome_json(&v?)))
}

/// `GET /api/v1/rules`.
pub async fn list_rules(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    Query(params): Params,
) -> Result<Json<Value>, ApiError> {
    crate::api::only(&params, &[])?;
    caller.require_role(Role::Editor)?;
    let desk = state.desk()?;
    let rules = blocking(move || desk.rules()).await?;
    let rules: Vec<Value> = rules.iter().map(rule_json).collect();
    Ok(Json(json!({ "rules": rules })))
}

/// `POST /api/v1/rules`.
pub async fn add_rule(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    Query(params): Params,
    body: Bytes,
) -> Result<Response, ApiError> {
    crate::api::only(&params, &[])?;
    let editor = caller.require_role(Role::Editor)?.name.clone();
    let o = object(&body, &["name", "query", "action", "topic", "reason"])?;
    let name = text_field(&o, "name", true)?.unwrap_or_default();
    if name.trim().is_empty() || name.len() > 200 || name.chars().any(char::is_control) {
        return Err(bad_body("name: 1 to 200 characters, no control characters"));
    }
    let action = text_field(&o, "action", true)?.unwrap_or_default();
    let Some(action) = RuleAction::parse(&action) else {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "unknown_action",
            format!("action: expected mute or keep, found {action:?}"),
        ));
    };
    let rule = NewRule {
        name,
        query: text_field(&o, "query", true)?.unwrap_or_default(),
        action,
        topic: text_field(&o, "topic", false)?,
        reason: text_field(&o, "reason", false)?,
    };
    let desk = state.desk()?;
    let v = blocking(move || desk.add_rule(&rule, &editor)).await;
    state.cache.invalidate();
    Ok((StatusCode::CREATED, Json(rule_json(&v?))).into_response())
}

/// `DELETE /api/v1/rules/{name}`.
pub async fn remove_rule(
    State(state): State<Arc<AppState>>,
    Extension(caller): Extension<Caller>,
    Path(name): Path<String>,
    Query(params): Params,
) -> Result<Response, ApiError> {
    crate::api::only(&params, &["reason"])?;
    let editor = caller.require_role(Role::Editor)?.name.clone();
    let reason = params.get("reason").cloned();
    let desk = state.desk()?;
    let done = blocking(move || desk.remove_rule(&name, &editor, reason.as_deref())).await;
    state.cache.invalidate();
    done?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
