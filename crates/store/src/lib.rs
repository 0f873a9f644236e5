//! Storage: the [`Store`] trait every backend implements, and the embedded
//! default backend, [`SqliteStore`].
//!
//! Invariants every backend keeps (the [`conformance`] suite checks them):
//! - a batch is one transaction: after an error or a crash the store holds what
//!   it held before the batch, or everything the batch wrote, never part of it;
//! - ingest is idempotent: the same article twice changes nothing (keyed by its
//!   canonical URL, with the feed GUID within its source as a second key);
//! - an article known only from another record's `related` list (a stub) never
//!   overwrites what a full record said, and is completed when the full record
//!   arrives.

pub mod conformance;
mod sqlite;

use chrono::{DateTime, Utc};
use newsdesk_model::Article;
use serde::Serialize;

pub use sqlite::SqliteStore;

/// The store's id of an article.
pub type ArticleId = i64;

/// A storage failure. Messages are lower case and say what was being done.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error while {action}: {source}")]
    Database {
        action: &'static str,
        #[source]
        source: rusqlite::Error,
    },
    #[error("the store at {path} was written by a newer newsdesk (schema version {found}, this build knows up to {known})")]
    NewerSchema {
        path: String,
        found: i64,
        known: i64,
    },
    #[error("cannot open the store at {path}: {message}")]
    Open { path: String, message: String },
    #[error("article has no identity: it needs a URL or a feed GUID (title: {title:?})")]
    NoIdentity { title: String },
    #[error("corrupt value in column {column} of article {id}: {message}")]
    Corrupt {
        id: ArticleId,
        column: &'static str,
        message: String,
    },
}

/// Where a batch of articles came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceInfo {
    /// File path or URL.
    pub locator: String,
    /// `document`, `rss`, `atom`, `json-feed`, `text`, `reuters`, ...
    pub kind: String,
    pub title: Option<String>,
}

/// One article to ingest, with the articles its `related` list names (taken
/// from `article.related`).
#[derive(Debug, Clone)]
pub struct Batch {
    pub source: SourceInfo,
    pub articles: Vec<Article>,
}

/// What ingesting one article did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Outcome {
    Stored,
    Updated,
    Unchanged,
}

/// What a batch did, article by article (related entries not included).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BatchReport {
    pub outcomes: Vec<(ArticleId, Outcome)>,
    /// Articles first stored from related lists.
    pub related_stored: usize,
}

impl BatchReport {
    pub fn count(&self, outcome: Outcome) -> usize {
        self.outcomes.iter().filter(|(_, o)| *o == outcome).count()
    }
}

/// An article as the store holds it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredArticle {
    pub id: ArticleId,
    pub article: Article,
    /// `true` while the article is known only from a related list.
    pub stub: bool,
    pub first_seen: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub story: Option<i64>,
    pub duplicate_of: Option<ArticleId>,
    /// Ids of the articles its `related` list names, in order.
    pub related: Vec<ArticleId>,
}

/// Counts for `newsdesk stats`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Stats {
    pub articles: u64,
    /// Articles known only from related lists.
    pub stubs: u64,
    pub sources: u64,
    pub by_source: Vec<(String, u64)>,
    pub by_provider: Vec<(String, u64)>,
    /// By publication day (`YYYY-MM-DD`, UTC); `unknown` for undated articles.
    pub by_day: Vec<(String, u64)>,
}

/// The storage every backend implements. Methods take `&mut self` where they
/// write; one process owns a store's writer.
pub trait Store {
    /// Stores a batch in one transaction, at time `now`.
    fn ingest(&mut self, batch: &Batch, now: DateTime<Utc>) -> Result<BatchReport, StoreError>;
    /// Registers sources (an OPML list's subscriptions) without articles.
    /// Returns how many were new.
    fn add_sources(
        &mut self,
        sources: &[SourceInfo],
        now: DateTime<Utc>,
    ) -> Result<usize, StoreError>;
    /// One article by id.
    fn article(&self, id: ArticleId) -> Result<Option<StoredArticle>, StoreError>;
    /// Up to `limit` articles with ids above `after`, in id order (a cursor).
    fn articles_after(
        &self,
        after: ArticleId,
        limit: usize,
    ) -> Result<Vec<StoredArticle>, StoreError>;
    /// The id of the article with this identity key (see [`Article::identity_key`]).
    fn find(&self, identity: &str) -> Result<Option<ArticleId>, StoreError>;
    fn stats(&self) -> Result<Stats, StoreError>;
    /// The schema version the store is at.
    fn schema_version(&self) -> Result<i64, StoreError>;
}

/// The hash of everything an article says, to tell an update from a repeat.
/// xxh3 is stable across runs and platforms, so it may be persisted.
pub fn content_hash(a: &Article) -> String {
    let mut a = a.clone();
    a.origin = Default::default();
    for r in &mut a.related {
        r.origin = Default::default();
    }
    let json = serde_json::to_vec(&a).unwrap_or_default();
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(&json))
}
