//! `/editor` and the editors' forms: the recent audit log, the rules (add
//! with a preview of what the rule would change, then confirm; remove), and
//! publish / unpublish / pin / clear on article pages. Every action goes
//! through the server's [`crate::EditorDesk`], as the JSON API's do, with
//! the signed-in key's name as the editor in the audit log; every POST
//! checks the session's CSRF token first (see [`super::session`]). After
//! an action the browser is sent back (303) with `?done=<what>`, which the
//! page turns into a fixed message (no text from the request is echoed).

use std::collections::HashMap;
use std::sync::Arc;

use askama::Template;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use chrono::Utc;
use newsdesk_model::desk::{Rule, RuleAction};
use newsdesk_model::{EditorAction, EditorDesk, EditorError, NewRule, RulePreview};
use newsdesk_secure::Scope;
use newsdesk_store::{AuditEntry, StoredArticle};

use super::layout::{page, Layout, WebError};
use super::session::{self, checked_post, see_other, signed_in, Editor};
use super::{Params, Time};
use crate::{store_error, AppState};

/// Audit entries shown on `/editor`.
const AUDIT_SHOWN: usize = 50;

/// The editors' routes (and sign-in, saved searches), for the router.
pub fn routes() -> Router<Arc<AppState>> {
    Router::new()
        .route("/signin", get(session::signin_form).post(session::signin))
        .route("/signout", post(session::signout))
        .route("/editor", get(editor_page))
        .route("/editor/rules/preview", post(preview_rule))
        .route("/editor/rules", post(add_rule))
        .route("/editor/rules/remove", post(remove_rule))
        .route("/editor/articles/{id}/actions", post(article_action))
        .route(
            "/searches",
            get(super::saved::list_page).post(super::saved::add),
        )
        .route("/searches/remove", post(super::saved::remove))
        .route("/searches/{file}", get(super::saved::feed))
}

/// The message of a `?done=` code.
pub fn flash(params: &HashMap<String, String>) -> Option<&'static str> {
    Some(match params.get("done")?.as_str() {
        "signed-in" => "You are signed in.",
        "publish" => "The article is published (editor's override).",
        "unpublish" => "The article is unpublished (editor's override).",
        "pin" => "The article is pinned.",
        "clear" => "The editor's override is cleared; the desk decides again.",
        "rule-added" => "The rule is added and applied.",
        "rule-removed" => "The rule is removed.",
        "saved" => "The search is saved.",
        "search-removed" => "The saved search is removed.",
        _ => return None,
    })
}

fn desk(state: &AppState) -> Result<Arc<dyn EditorDesk>, WebError> {
    state.desk.clone().ok_or_else(|| WebError {
        status: axum::http::StatusCode::SERVICE_UNAVAILABLE,
        heading: "Editor actions are off".into(),
        message: "This server does not take editor actions.".into(),
    })
}

fn desk_error(e: EditorError) -> WebError {
    use axum::http::StatusCode;
    match e {
        EditorError::NotFound(m) => WebError::not_found(m),
        EditorError::Invalid(m) => WebError::bad_request(m),
        EditorError::Conflict(m) => WebError {
            status: StatusCode::CONFLICT,
            heading: "That already exists".into(),
            message: m,
        },
        EditorError::Internal(m) => WebError::from(store_error(m)),
    }
}

async fn blocking<R: Send + 'static>(
    f: impl FnOnce() -> Result<R, EditorError> + Send + 'static,
) -> Result<R, WebError> {
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|_| WebError::from(crate::ApiError::internal()))?
        .map_err(desk_error)
}

/// The editor of a page that needs one; else a redirect to sign in.
async fn require(
    state: &Arc<AppState>,
    headers: &HeaderMap,
) -> Result<Result<Editor, Response>, WebError> {
    Ok(match signed_in(state, headers).await? {
        Some(e) => Ok(e),
        None => Err(see_other("/signin")),
    })
}

pub struct AuditRow {
    pub time: Time,
    pub editor: String,
    pub action: String,
    pub article: Option<i64>,
    pub target: String,
    pub reason: String,
}

pub struct RuleRow {
    pub name: String,
    pub query: String,
    pub action: &'static str,
    pub topic: String,
    pub editor: String,
    pub reason: String,
}

fn rule_row(r: &Rule) -> RuleRow {
    RuleRow {
        name: r.name.clone(),
        query: r.query.clone(),
        action: r.action.as_str(),
        topic: r.topic.clone().unwrap_or_default(),
        editor: r.editor.clone(),
        reason: r.reason.clone().unwrap_or_default(),
    }
}

#[derive(Template)]
#[template(path = "editor.html")]
struct EditorPage {
    layout: Layout,
    editor: Editor,
    flash: Option<&'static str>,
    rules: Vec<RuleRow>,
    audit: Vec<AuditRow>,
}

/// `GET /editor`.
async fn editor_page(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    axum::extract::Query(params): Params,
) -> Result<Response, WebError> {
    let editor = match require(&state, &headers).await? {
        Ok(e) => e,
        Err(r) => return Ok(r),
    };
    let (rules, audit) = state
        .pool
        .with(
            |s| -> Result<(Vec<Rule>, Vec<AuditEntry>), newsdesk_store::StoreError> {
                Ok((s.rules()?, s.audit_log(None, AUDIT_SHOWN)?))
            },
        )
        .await?
        .map_err(store_error)?;
    let now = Utc::now();
    let t = EditorPage {
        layout: Layout::new(&state, "Editor").await?,
        editor,
        flash: flash(&params),
        rules: rules.iter().map(rule_row).collect(),
        audit: audit
            .into_iter()
            .map(|e| AuditRow {
                time: Time::new(e.at, now),
                editor: e.editor,
                action: e.action,
                article: e.article,
                target: e.target,
                reason: e.reason.unwrap_or_default(),
            })
            .collect(),
    };
    page(&t)
}

/// A rule from the add form's fields.
fn new_rule(f: &HashMap<String, String>) -> Result<NewRule, WebError> {
    let text = |k: &str| f.get(k).map(|v| v.trim().to_string()).unwrap_or_default();
    let name = text("name");
    if name.is_empty() || name.len() > 200 || name.chars().any(char::is_control) {
        return Err(WebError::bad_request(
            "A rule needs a name: 1 to 200 characters, no control characters.",
        ));
    }
    let query = text("query");
    if query.is_empty() || query.chars().count() > 2000 {
        return Err(WebError::bad_request(
            "A rule needs a query (at most 2000 characters).",
        ));
    }
    let Some(action) = RuleAction::parse(&text("action")) else {
        return Err(WebError::bad_request("The action is mute or keep."));
    };
    let opt = |k: &str| Some(text(k)).filter(|v| !v.is_empty());
    Ok(NewRule {
        name,
        query,
        action,
        topic: opt("topic"),
        reason: opt("reason"),
    })
}

#[derive(Template)]
#[template(path = "rule_preview.html")]
struct PreviewPage {
    layout: Layout,
    editor: Editor,
    rule: RuleRow,
    preview: RulePreview,
}

/// `POST /editor/rules/preview`: what the rule would change, and the form
/// that applies it.
async fn preview_rule(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, WebError> {
    let f = session::form(&body);
    let editor = checked_post(&state, &headers, &f).await?;
    let rule = new_rule(&f)?;
    let d = desk(&state)?;
    let (r, name) = (rule.clone(), editor.principal.name.clone());
    let preview = blocking(move || d.preview_rule(&r, &name)).await?;
    let row = RuleRow {
        name: rule.name,
        query: rule.query,
        action: rule.action.as_str(),
        topic: rule.topic.unwrap_or_default(),
        editor: editor.principal.name.clone(),
        reason: rule.reason.unwrap_or_default(),
    };
    let t = PreviewPage {
        layout: Layout::new(&state, "Rule preview").await?,
        editor,
        rule: row,
        preview,
    };
    page(&t)
}

/// `POST /editor/rules`: adds (and applies) the previewed rule.
async fn add_rule(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, WebError> {
    let f = session::form(&body);
    let editor = checked_post(&state, &headers, &f).await?;
    let rule = new_rule(&f)?;
    let d = desk(&state)?;
    let name = editor.principal.name;
    let done = blocking(move || d.add_rule(&rule, &name)).await;
    state.cache.invalidate();
    done?;
    Ok(see_other("/editor?done=rule-added"))
}

/// `POST /editor/rules/remove`.
async fn remove_rule(
    State(state): State<Arc<AppState>>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, WebError> {
    let f = session::form(&body);
    let editor = checked_post(&state, &headers, &f).await?;
    let name = f.get("name").cloned().unwrap_or_default();
    let d = desk(&state)?;
    let who = editor.principal.name;
    let done = blocking(move || d.remove_rule(&name, &who, None)).await;
    state.cache.invalidate();
    done?;
    Ok(see_other("/editor?done=rule-removed"))
}

/// `POST /editor/articles/{id}/actions`: publish, unpublish, pin or clear.
async fn article_action(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, WebError> {
    let f = session::form(&body);
    let editor = checked_post(&state, &headers, &f).await?;
    let id = crate::api::parse_id("article", &id)?;
    let code = f.get("action").cloned().unwrap_or_default();
    let Some(action) = EditorAction::parse_request(&code) else {
        return Err(WebError::bad_request(
            "The action is publish, unpublish, pin or clear.",
        ));
    };
    let reason = f
        .get("reason")
        .map(|r| r.trim().to_string())
        .filter(|r| !r.is_empty());
    let d = desk(&state)?;
    let name = editor.principal.name;
    let done = blocking(move || d.act(id, action, &name, reason.as_deref())).await;
    state.cache.invalidate();
    done?;
    let code = action.map_or("clear", |a| a.as_str());
    Ok(see_other(&format!("/articles/{id}?done={code}")))
}

/// What an article page adds for a signed-in editor: the action buttons,
/// the message of the last action, and the clear text when the key has
/// the `fulltext` scope and the server can read it. Empty for everyone
/// else.
#[derive(Default)]
pub struct ArticleTools {
    pub editor: Option<Editor>,
    pub flash: Option<&'static str>,
    /// The clear text's paragraphs.
    pub clear_text: Option<Vec<String>>,
}

impl ArticleTools {
    pub async fn load(
        state: &Arc<AppState>,
        headers: &HeaderMap,
        params: &HashMap<String, String>,
        a: &StoredArticle,
    ) -> Result<ArticleTools, WebError> {
        let Some(editor) = signed_in(state, headers).await? else {
            return Ok(ArticleTools::default());
        };
        let clear_text = if editor.principal.has_scope(Scope::Fulltext) {
            crate::auth::fulltext(state, a)?
                .map(|t| {
                    t.split('\n')
                        .map(str::trim)
                        .filter(|p| !p.is_empty())
                        .map(str::to_string)
                        .collect::<Vec<_>>()
                })
                .filter(|p| !p.is_empty())
        } else {
            None
        };
        Ok(ArticleTools {
            editor: Some(editor),
            flash: flash(params),
            clear_text,
        })
    }
}
