//! Followed sources with their health, as `GET /api/v1/sources` and
//! `newsdesk sources list --json` show them.

use chrono::{DateTime, Utc};
use newsdesk_model::document::format_date;
use newsdesk_model::SourceHealth;
use newsdesk_store::FollowedSource;
use serde::Serialize;

/// One followed source.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SourceView {
    pub url: String,
    pub title: Option<String>,
    pub kind: String,
    /// `new` (never polled), `ok`, `failing` or `dead`.
    pub status: &'static str,
    pub first_seen: String,
    pub last_ingested: Option<String>,
    pub last_attempt: Option<String>,
    pub last_success: Option<String>,
    pub consecutive_errors: u32,
    pub last_error: Option<String>,
    pub last_error_kind: Option<String>,
    /// `null` when due now (or dead).
    pub next_poll: Option<String>,
    pub dead: bool,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub items_per_day: Option<f64>,
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

fn date(d: &Option<DateTime<Utc>>) -> Option<String> {
    d.as_ref().map(format_date)
}

impl SourceView {
    /// The view of `s` with its (already read) health `h`.
    pub fn new(s: FollowedSource, h: SourceHealth) -> SourceView {
        SourceView {
            status: status(&h),
            first_seen: format_date(&s.first_seen),
            last_ingested: date(&s.last_ingested),
            last_attempt: date(&h.last_attempt),
            last_success: date(&h.last_success),
            consecutive_errors: h.consecutive_errors,
            last_error: h.last_error,
            last_error_kind: h.last_error_kind,
            next_poll: date(&h.next_poll),
            dead: h.dead,
            etag: h.etag,
            last_modified: h.last_modified,
            items_per_day: h.items_per_day,
            url: s.locator,
            title: s.title,
            kind: s.kind,
        }
    }
}
