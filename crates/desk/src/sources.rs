//! The sources the desk follows on the web: their health records as the
//! store keeps them, and following one.

use chrono::{DateTime, Utc};
use newsdesk_model::source::SourceHealth;
use newsdesk_store::{DeskStore, FollowedSource, PollRecord, SourceInfo};

use crate::error::store as store_err;
use crate::{DeskError, DeskPaths};

/// A source's health record, read from the store's JSON; `Err` names what
/// is wrong with a damaged record.
pub fn stored_health(source: &FollowedSource) -> Result<SourceHealth, String> {
    match source.health.as_deref() {
        None => Ok(SourceHealth::default()),
        Some(json) => serde_json::from_str(json).map_err(|e| e.to_string()),
    }
}

/// The health a source's record holds; a damaged record counts as a new
/// source (polled now), with a warning in the log.
pub fn health_of(paths: &DeskPaths, source: &FollowedSource) -> SourceHealth {
    stored_health(source).unwrap_or_else(|e| {
        paths.log(&format!(
            "warning: {}: the stored health record is damaged ({e}); treating it as new",
            source.locator
        ));
        SourceHealth::default()
    })
}

/// What to store after `health` changed.
pub fn poll_record(health: &SourceHealth, last_status: Option<u16>) -> PollRecord {
    PollRecord {
        health: serde_json::to_string(health).unwrap_or_else(|_| "{}".into()),
        next_poll: health.next_poll,
        etag: health.etag.clone(),
        last_modified: health.last_modified.clone(),
        last_status,
        last_error: health.last_error.clone(),
    }
}

/// What following a source did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Followed {
    New,
    Already,
    /// It was dead (410 Gone) and is polled again.
    Revived,
}

/// Follows the feed at `url` (in canonical form). A source that was dead
/// is polled again.
pub fn follow(
    paths: &DeskPaths,
    store: &mut dyn DeskStore,
    url: &str,
    title: Option<String>,
    now: DateTime<Utc>,
) -> Result<Followed, DeskError> {
    let new = store
        .follow_source(
            &SourceInfo {
                locator: url.to_string(),
                kind: "subscription".into(),
                title,
            },
            now,
        )
        .map_err(store_err(format!("following {url}")))?;
    let Some(source) = store
        .followed_sources()?
        .into_iter()
        .find(|s| s.locator == url)
    else {
        return Ok(Followed::New);
    };
    let mut health = health_of(paths, &source);
    if !health.dead {
        return Ok(if new {
            Followed::New
        } else {
            Followed::Already
        });
    }
    health.dead = false;
    health.next_poll = None;
    health.consecutive_errors = 0;
    store.record_poll(url, &poll_record(&health, None))?;
    Ok(Followed::Revived)
}
