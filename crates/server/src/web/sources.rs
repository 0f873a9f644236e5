//! `/sources`: every followed source with its health — status, last
//! success, errors in a row, the last error and the next poll — failing
//! ones first, as `GET /api/v1/sources` orders them — with each source's
//! articles a day over the last [`ACTIVITY_DAYS`] days as a sparkline (one
//! store query for all sources); and `/sources.opml`, every followed
//! source as an OPML 2.0 subscription list that `newsdesk sources import`
//! reads back.

use std::sync::Arc;

use askama::Template;
use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use newsdesk_model::SourceHealth;
use newsdesk_store::{FollowedSource, SourceDayCount};
use std::collections::HashMap;

use super::chart::{escape, fill_days, sparkline};
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
    /// Articles a day over the last [`ACTIVITY_DAYS`] days, as bars.
    pub spark: String,
    /// Their sum.
    pub recent: u64,
}

/// How many days (today included) the sparklines cover.
pub const ACTIVITY_DAYS: i64 = 30;

#[derive(Template)]
#[template(path = "sources.html")]
struct SourcesPage {
    layout: Layout,
    rows: Vec<Row>,
    failing: usize,
    days: i64,
}

fn time(t: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Option<Time> {
    Time::of(t, now)
}

pub async fn page_handler(
    State(state): State<Arc<AppState>>,
    _params: Params,
) -> Result<Response, WebError> {
    let now = Utc::now();
    let until = now.date_naive();
    let since = until - Duration::days(ACTIVITY_DAYS - 1);
    let (sources, counts) = state
        .pool
        .with(
            move |s| -> Result<
                (Vec<FollowedSource>, Vec<SourceDayCount>),
                newsdesk_store::StoreError,
            > { Ok((s.followed_sources()?, s.source_daily_counts(since, until)?)) },
        )
        .await?
        .map_err(store_error)?;
    let mut by_source: HashMap<String, Vec<(NaiveDate, u64)>> = HashMap::new();
    for c in counts {
        by_source
            .entry(c.source)
            .or_default()
            .push((c.day, c.articles));
    }
    let mut rows: Vec<Row> = sources
        .into_iter()
        .map(|s| {
            let h = newsdesk_store::source_health(&s).unwrap_or_else(|e| {
                store_error(format!("{}: damaged health record: {e}", s.locator));
                SourceHealth::default()
            });
            let status = newsdesk_render::sources::status(&h);
            // A source's own "next poll" (the store's) wins over the record's.
            let next = s.next_poll.or(h.next_poll);
            let days = fill_days(
                since,
                until,
                by_source.get(&s.locator).map_or(&[][..], |v| v.as_slice()),
            );
            Row {
                spark: sparkline("articles", &days),
                recent: days.iter().map(|(_, n)| n).sum(),
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
        days: ACTIVITY_DAYS,
    };
    page(&t)
}

/// `GET /sources.opml`: every followed source whose locator is a web
/// feed, as an OPML 2.0 subscription list (title and `xmlUrl`; the store
/// keeps no site link, so no `htmlUrl`).
pub async fn opml_handler(State(state): State<Arc<AppState>>) -> Result<Response, WebError> {
    let sources = state
        .pool
        .with(|s| s.followed_sources())
        .await?
        .map_err(store_error)?;
    let mut r = opml(&sources, Utc::now()).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/x-opml; charset=utf-8"),
    );
    r.headers_mut().insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("inline; filename=\"newsdesk-sources.opml\""),
    );
    Ok(r)
}

/// The OPML document of `sources` (web feeds only), every value escaped.
pub fn opml(sources: &[FollowedSource], now: DateTime<Utc>) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n<head>\n<title>newsdesk sources</title>\n<dateCreated>{}</dateCreated>\n</head>\n<body>\n",
        now.to_rfc2822()
    );
    for s in sources {
        let Some(url) = web_link(Some(&s.locator)) else {
            continue;
        };
        let title = s
            .title
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .unwrap_or(&url);
        let title = escape(title);
        out.push_str(&format!(
            "<outline type=\"rss\" text=\"{title}\" title=\"{title}\" xmlUrl=\"{}\"/>\n",
            escape(&url)
        ));
    }
    out.push_str("</body>\n</opml>\n");
    out
}
