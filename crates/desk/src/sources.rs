//! The sources the desk follows on the web: their health records as the
//! store keeps them, and following one.

use std::path::Path;

use chrono::{DateTime, Utc};
use newsdesk_model::source::SourceHealth;
use newsdesk_store::{DeskStore, FollowedSource, PollRecord, SourceInfo};

use crate::error::store as store_err;
use crate::{DeskError, DeskPaths};

/// The health a source's record holds; a damaged record counts as a new
/// source (polled now), with a warning in the log.
pub fn health_of(paths: &DeskPaths, source: &FollowedSource) -> SourceHealth {
    newsdesk_store::source_health(source).unwrap_or_else(|e| {
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

/// Stops following `raw`: as given first (a locator stored before
/// canonical forms), then in canonical form. `false`: it is not followed.
pub fn unfollow(store: &mut dyn DeskStore, raw: &str) -> Result<bool, DeskError> {
    if store.unfollow_source(raw.trim())? {
        return Ok(true);
    }
    match feed_url(raw) {
        Ok(url) => Ok(store.unfollow_source(&url)?),
        Err(_) => Ok(false),
    }
}

/// OPML lists larger than this are refused.
pub const MAX_OPML_BYTES: u64 = 16 << 20;

/// A feed URL as the desk keys it: http or https with a host, in canonical
/// form (tracking parameters and fragment dropped). The error names the URL.
pub fn feed_url(raw: &str) -> Result<String, DeskError> {
    let parsed = url::Url::parse(raw.trim()).map_err(|e| {
        DeskError::Config(format!(
            "{raw:?} is not a URL ({e}): expected http://… or https://…"
        ))
    })?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(DeskError::Config(format!(
            "{raw:?} is not an http or https URL (scheme `{}`): the desk follows web feeds only",
            parsed.scheme()
        )));
    }
    newsdesk_normalize::canonical_url(raw).map_err(|e| DeskError::Config(format!("{raw:?}: {e}")))
}

/// What importing an OPML list did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Imported {
    /// Subscriptions in the list (followed or skipped).
    pub listed: usize,
    /// Newly followed (or followed again after being dead).
    pub new: usize,
    pub already: usize,
    /// Entries that are not subscriptions the desk can follow, and why.
    pub skipped: Vec<String>,
}

/// Follows every feed of the OPML subscription list `file`.
pub fn import(paths: &DeskPaths, file: &Path, now: DateTime<Utc>) -> Result<Imported, DeskError> {
    let locator = file.display().to_string();
    let read = |source| DeskError::Read {
        what: locator.clone(),
        source,
    };
    let meta = std::fs::metadata(file).map_err(read)?;
    if meta.len() > MAX_OPML_BYTES {
        return Err(DeskError::Config(format!(
            "{locator}: {} bytes, more than the {MAX_OPML_BYTES}-byte limit for an OPML list",
            meta.len()
        )));
    }
    let bytes = std::fs::read(file).map_err(read)?;
    let parsed = newsdesk_ingest::prepare::from_opml(&bytes, &locator)?;
    let mut store = paths.open_store()?;
    let mut out = Imported {
        listed: parsed.subscriptions.len() + parsed.skipped.len(),
        skipped: parsed.skipped.iter().map(|s| s.to_string()).collect(),
        ..Imported::default()
    };
    for s in &parsed.subscriptions {
        match follow(paths, &mut *store, &s.url, s.title.clone(), now)? {
            Followed::New | Followed::Revived => out.new += 1,
            Followed::Already => out.already += 1,
        }
    }
    Ok(out)
}
