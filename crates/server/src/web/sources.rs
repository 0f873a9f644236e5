//! `/sources`: every followed source with its health — status, last
//! success, errors in a row, the last error and the next poll — failing
//! ones first, as `GET /api/v1/sources` orders them.

use std::sync::Arc;

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use chrono::{DateTime, Utc};
use newsdesk_model::SourceHealth;

use super::layout::{page, Layout, WebError};
use super::{web_link, Params, Time};
use crate::{store_error, AppState};

pub struct Row {
    pub title: String,
    /// The feed's URL as a link, when it is a web URL.
    pub link: Option<String>,
    pub url: String,
    pub kind: String,
    pub status: &'static str,
    pub last_success: Option<Time>,
    pub last_attempt: Option<Time>,
    pub errors: u32,
    pub last_error: Option<String>,
    pub next_poll: Option<Time>,
    pub due: bool,
    pub per_day: Option<String>,
}

#[derive(Template)]
#[template(path = "sources.html")]
struct SourcesPage {
    layout: Layout,
    rows: Vec<Row>,
    failing: usize,
}

fn status(h: &SourceHealth) -> &'static str {
    if h.dead {
        "dead"
    } else if h.consecutive_errors > 0 {
        "failing"
    } else if h.last_attempt.is_none() {
        "new"
    } else {
        "ok"
    }
}

fn time(t: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Option<Time> {
    Time::of(t, now)
}

pub async fn page_handler(
    State(state): State<Arc<AppState>>,
    _params: Params,
) -> Result<Response, WebError> {
    let sources = state
        .pool
        .with(|s| s.followed_sources())
        .await?
        .map_err(store_error)?;
    let now = Utc::now();
    let mut rows: Vec<Row> = sources
        .into_iter()
        .map(|s| {
            let h = crate::sources::health(&s).unwrap_or_else(|e| {
                store_error(format!("{}: damaged health record: {e}", s.locator));
                SourceHealth::default()
            });
            let status = status(&h);
            // A source's own "next poll" (the store's) wins over the record's.
            let next = s.next_poll.or(h.next_poll);
            Row {
                title: s
                    .title
                    .clone()
                    .filter(|t| !t.trim().is_empty())
                    .unwrap_or_else(|| s.locator.clone()),
                link: web_link(Some(&s.locator)),
                kind: s.kind.clone(),
                status,
                last_success: time(h.last_success, now),
                last_attempt: time(h.last_attempt, now),
                errors: h.consecutive_errors,
                last_error: h.last_error.clone().map(|e| match h.last_error_kind {
                    Some(k) => format!("{k}: {e}"),
                    None => e,
                }),
                due: next.is_none_or(|n| n <= now) && !h.dead,
                next_poll: if h.dead { None } else { time(next, now) },
                per_day: h.items_per_day.map(|d| format!("{d:.1}")),
                url: s.locator,
            }
        })
        .collect();
    let rank = |r: &Row| match r.status {
        "dead" => 0,
        "failing" => 1,
        "new" => 2,
        _ => 3,
    };
    rows.sort_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| a.url.cmp(&b.url)));
    let t = SourcesPage {
        layout: Layout::new(&state, "Sources").await?,
        failing: rows.iter().filter(|r| rank(r) < 2).count(),
        rows,
    };
    page(&t)
}
