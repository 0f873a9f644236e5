//! A followed source's health, as persisted between polls: plain data the
//! fetcher updates (`newsdesk_fetch::schedule::Polling`), the store keeps and
//! the server shows.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The health of one source, as persisted between runs.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SourceHealth {
    pub last_attempt: Option<DateTime<Utc>>,
    /// Last poll that fetched or got 304.
    pub last_success: Option<DateTime<Utc>>,
    pub consecutive_errors: u32,
    pub last_error: Option<String>,
    /// The kind of the last error (`newsdesk_fetch::ErrorKind::as_str`).
    pub last_error_kind: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// When to poll next; `None` for a new source (due now) or a dead one.
    pub next_poll: Option<DateTime<Utc>>,
    /// Smoothed new items per day (`None` until the second success).
    pub items_per_day: Option<f64>,
    /// Set by 410 Gone: never polled again unless reset.
    pub dead: bool,
}

impl SourceHealth {
    /// Whether the source should be polled at `now`.
    pub fn is_due(&self, now: DateTime<Utc>) -> bool {
        !self.dead && self.next_poll.is_none_or(|t| t <= now)
    }
}
