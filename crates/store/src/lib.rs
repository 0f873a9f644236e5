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

mod backend;
pub mod conformance;
mod session;
mod sqlite;
mod surface;

use chrono::{DateTime, Utc};
pub use newsdesk_model::desk::{
    ArticleId, AuditEntry, Decision, FollowedSource, Given, HeatSample, PollRecord, Rule,
    RuleAction, SavedSearch, SearchFilters, SourceDayCount, StoryHeat,
};
pub use newsdesk_model::sealing::{is_sealed, sealed_document_form, SealError, TextSealer};
use newsdesk_model::Article;
pub use newsdesk_model::{EditorAction, EditorOverride};
use serde::Serialize;

pub use backend::{open, open_read_only};
pub use session::{
    NewWebSession, WebSession, WebSessionRecord, WebSessionToken, WEB_SESSION_TOKEN_BYTES,
};
pub use sqlite::{
    ApiKeyStoreRow, ArticleQuery, ArticlesPage, Cursor, CursorError, OutboxEntry, SearchDoc, Sort,
    SqliteStore, TopicCount,
};
pub use surface::{
    all_search_docs, ApiKeys, ArticleQueries, DeskStore, HeatHistory, SavedSearches, Sealing,
    SearchDocs, SearchOutbox, SourceActivity, StoreInfo, WebSessions, HEAT_SAMPLE_WINDOW_SECS,
};

/// Every store trait, for `use newsdesk_store::prelude::*` (trait methods
/// are callable on a `dyn DeskStore` only with their trait in scope).
pub mod prelude {
    pub use crate::{
        ApiKeys, ArticleQueries, DeskStore, HeatHistory, SavedSearches, Sealing, SearchOutbox,
        SourceActivity, Store, StoreInfo, WebSessions,
    };
}

/// What kind of failure a [`StoreError`] is, whatever the backend: what a
/// caller may do about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The thing asked for does not exist.
    NotFound,
    /// It clashes with what is stored (a name taken, a constraint).
    Conflict,
    /// The backend is busy or unreachable for now: the same call may succeed
    /// later.
    Retryable,
    Other,
}

/// A storage failure. Messages are lower case and say what was being done.
/// No backend type appears in it: [`StoreError::Backend`] carries the
/// backend's message and the [`ErrorKind`] it maps to.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error while {action}: {message}")]
    Backend {
        action: &'static str,
        kind: ErrorKind,
        message: String,
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
    #[error("a rule named {name:?} already exists")]
    RuleExists { name: String },
    #[error("a saved search named {name:?} (or with the same slug {slug:?}) already exists")]
    SavedSearchExists { name: String, slug: String },
    #[error("a saved search needs a name and a query (name: {name:?})")]
    EmptySavedSearch { name: String },
    #[error("there is no API key {id:?} that may sign in (unknown or revoked)")]
    NoApiKey { id: String },
    #[error("the operating system's random source failed: {message}")]
    Random { message: String },
    #[error("there is no article {id}")]
    NoArticle { id: ArticleId },
    #[error("there is no source {locator:?}")]
    NoSource { locator: String },
    #[error("corrupt value in column {column} of source {locator:?}: {message}")]
    CorruptSource {
        locator: String,
        column: &'static str,
        message: String,
    },
    #[error("corrupt value in column {column} of article {id}: {message}")]
    Corrupt {
        id: ArticleId,
        column: &'static str,
        message: String,
    },
    /// Sealing or opening an article's full text failed (a tampered or
    /// foreign value, a key missing from the keyring).
    #[error("sealed text in column {column} of article {identity}: {source}")]
    Sealing {
        identity: String,
        column: &'static str,
        #[source]
        source: SealError,
    },
    /// The store keeps its full text sealed and no keyring was given.
    #[error("the store at {path} keeps its full text sealed: a keyring is needed to write to it (DATA_DIR/keys/keyring, NEWSDESK_KEYS or --key-file)")]
    KeyringNeeded { path: String },
}

impl StoreError {
    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        match self {
            StoreError::Backend { kind, .. } => *kind,
            StoreError::NoArticle { .. }
            | StoreError::NoSource { .. }
            | StoreError::NoApiKey { .. } => ErrorKind::NotFound,
            StoreError::RuleExists { .. } | StoreError::SavedSearchExists { .. } => {
                ErrorKind::Conflict
            }
            _ => ErrorKind::Other,
        }
    }
}

/// An article's full-text columns as stored, for re-sealing
/// ([`Sealing::texts_after`], [`Sealing::replace_texts`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredText {
    pub id: ArticleId,
    /// The article's identity key, which sealed values are bound to.
    pub identity: String,
    /// `body` as stored (clear or sealed).
    pub body: Option<String>,
    /// `content_html` as stored (clear or sealed).
    pub content_html: Option<String>,
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
    /// Stubs inserted or completed from related lists (to analyse).
    pub related_touched: Vec<ArticleId>,
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
    /// The identity key the store knows the article by (`url:...`).
    pub identity: String,
    pub article: Article,
    /// The body in the sealed stored form, when it is kept sealed. With a
    /// sealer the store also opens it into `article.body`; without one
    /// `article.body` is `None`.
    pub sealed_body: Option<String>,
    /// The HTML content in the sealed stored form (likewise).
    pub sealed_html: Option<String>,
    /// `true` while the article is known only from a related list.
    pub stub: bool,
    pub first_seen: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub story: Option<i64>,
    pub duplicate_of: Option<ArticleId>,
    /// Ids of the articles its `related` list names, in order.
    pub related: Vec<ArticleId>,
    /// Similar recent articles of other stories, as the analysis found them.
    pub similar: Vec<ArticleId>,
    /// Why the analysis placed it as it did (`None` until analysed).
    pub reason: Option<String>,
    /// The editorial values the input record carried.
    pub given: Given,
    /// The editor's override, if any.
    pub editor_override: Option<EditorOverride>,
    /// The editorial decision's details (the desk's JSON), `None` until decided.
    pub editorial: Option<String>,
    /// Pinned by an editor (kept on top of its topics).
    pub pinned: bool,
}

/// What the analysis decided about one article, and what the desk needs to
/// rebuild its memory without reading the text again (the byte fields are
/// the analysis crate's encodings; the store keeps them opaque).
#[derive(Debug, Clone, PartialEq)]
pub struct AnalysisRecord {
    pub id: ArticleId,
    /// The analysis version that produced it (re-analysis when it changes).
    pub version: i64,
    pub signature: Option<Vec<u8>>,
    pub terms: Vec<u8>,
    /// Unix seconds the desk ordered the article by.
    pub time: i64,
    pub credibility: i32,
    pub provider: i64,
    pub story: i64,
    pub duplicate_of: Option<ArticleId>,
    /// Why it was placed as it was ("copy of 12: similarity 0.93", ...).
    pub reason: String,
    /// Similar recent articles of other stories, best first.
    pub similar: Vec<ArticleId>,
}

/// A later change to an analysed article: its story was merged, or an
/// earlier copy became its original.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placement {
    pub id: ArticleId,
    pub story: i64,
    pub duplicate_of: Option<ArticleId>,
    /// The new reason, replacing the analysis record's.
    pub reason: String,
}

/// An article of a story, as a related list is ordered by.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryMember {
    pub id: ArticleId,
    pub provider_domain: Option<String>,
    pub duplicate_of: Option<ArticleId>,
    pub quality: Option<i64>,
    pub published_at: Option<DateTime<Utc>>,
    /// Published as decided (`None`: undecided).
    pub published: Option<bool>,
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
    /// Follows a web source: registers it, or marks a registered one as
    /// followed (a given title replaces the stored one). `false` when it was
    /// already followed.
    fn follow_source(
        &mut self,
        source: &SourceInfo,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError>;
    /// Stops following a source; its articles and health stay. `false` when
    /// it was not followed.
    fn unfollow_source(&mut self, locator: &str) -> Result<bool, StoreError>;
    /// The followed sources, in locator order.
    fn followed_sources(&self) -> Result<Vec<FollowedSource>, StoreError>;
    /// Saves what a poll of a source said ([`StoreError::NoSource`] when
    /// there is no such source).
    fn record_poll(&mut self, locator: &str, poll: &PollRecord) -> Result<(), StoreError>;
    /// Moves a source to a new URL (it redirected permanently); its articles
    /// stay its own. When the new URL is already a source, that one is
    /// followed instead and this one no longer.
    fn move_source(&mut self, from: &str, to: &str) -> Result<(), StoreError>;
    /// The article that an entry of `source` with this identity key (and
    /// GUID) would update if ingested: by identity, then by GUID within the
    /// source, as [`Store::ingest`] matches them.
    fn find_entry(
        &self,
        source: &str,
        identity: &str,
        guid: Option<&str>,
    ) -> Result<Option<ArticleId>, StoreError>;
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

    /// Up to `limit` articles with ids above `after` that have no analysis of
    /// `version` (never analysed, updated since, or analysed by another
    /// version), in id order.
    fn unanalysed(
        &self,
        version: i64,
        after: ArticleId,
        limit: usize,
    ) -> Result<Vec<StoredArticle>, StoreError>;
    /// Up to `limit` analysis records of `version` with ids above `after`, in
    /// id order (to rebuild the desk's memory).
    fn analyses_after(
        &self,
        version: i64,
        after: ArticleId,
        limit: usize,
    ) -> Result<Vec<AnalysisRecord>, StoreError>;
    /// Writes analysis results in one transaction: the records (story,
    /// duplicate, similar links, the record itself) and changes to earlier
    /// articles. A copy is unpublished with heat -1; an article that stops
    /// being a copy goes back to undecided.
    fn apply_analysis(
        &mut self,
        records: &[AnalysisRecord],
        changes: &[Placement],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    /// Up to `limit` articles of a story, originals first, then the
    /// best-quality ones: only what ordering a related list needs.
    fn story_members(&self, story: i64, limit: usize) -> Result<Vec<StoryMember>, StoreError>;

    /// Up to `limit` analysed full articles (not stubs) with ids above
    /// `after` that have no editorial decision made under `config`, in id order.
    fn undecided(
        &self,
        config: &str,
        after: ArticleId,
        limit: usize,
    ) -> Result<Vec<StoredArticle>, StoreError>;
    /// Writes decisions and story heats in one transaction. An article takes
    /// its story's heat when published, -1 otherwise. Each heat is also a
    /// sample of its story's history at `now` (see [`HeatHistory`]).
    fn apply_editorial(
        &mut self,
        decisions: &[Decision],
        heats: &[StoryHeat],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError>;
    /// A story's heat as last computed.
    fn story_heat(&self, story: i64) -> Result<Option<StoryHeat>, StoreError>;
    /// Stories whose heat was computed before `before` and whose newest
    /// member is newer than `active_since` (their heat is decaying).
    fn stale_stories(
        &self,
        before: DateTime<Utc>,
        active_since: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<i64>, StoreError>;
    /// The newest publication time of any article.
    fn newest_published(&self) -> Result<Option<DateTime<Utc>>, StoreError>;
    /// Sets (`Some`) or clears (`None`) an editor's override, with its audit
    /// line, in one transaction; the article's decision is then due again.
    fn set_override(
        &mut self,
        id: ArticleId,
        value: Option<&EditorOverride>,
        audit: &AuditEntry,
    ) -> Result<(), StoreError>;
    /// The mute and keep rules, oldest first.
    fn rules(&self) -> Result<Vec<Rule>, StoreError>;
    /// Adds a rule (its name must be new), with its audit line.
    fn add_rule(&mut self, rule: &Rule, audit: &AuditEntry) -> Result<(), StoreError>;
    /// Removes a rule by name, with its audit line; `false` when there was none.
    fn remove_rule(&mut self, name: &str, audit: &AuditEntry) -> Result<bool, StoreError>;
    /// The audit log, newest first, for one article or all.
    fn audit_log(
        &self,
        article: Option<ArticleId>,
        limit: usize,
    ) -> Result<Vec<AuditEntry>, StoreError>;
}

/// The hash of everything an article says, to tell an update from a repeat.
/// xxh3 is stable across runs and platforms, so it may be persisted. Where the
/// article came from (`origin`) is not part of it.
pub fn content_hash(a: &Article) -> String {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    hash_article(&mut h, a);
    format!("{:016x}", h.digest())
}

/// Feeds one field: a presence tag and a length prefix keep `None`, `""` and
/// shifted boundaries apart.
fn put(h: &mut xxhash_rust::xxh3::Xxh3, v: Option<&str>) {
    match v {
        None => h.update(&[0]),
        Some(s) => {
            h.update(&[1]);
            h.update(&(s.len() as u64).to_le_bytes());
            h.update(s.as_bytes());
        }
    }
}

fn put_num(h: &mut xxhash_rust::xxh3::Xxh3, v: Option<i64>) {
    match v {
        None => h.update(&[0]),
        Some(n) => {
            h.update(&[1]);
            h.update(&n.to_le_bytes());
        }
    }
}

fn hash_images(h: &mut xxhash_rust::xxh3::Xxh3, images: &[newsdesk_model::Image]) {
    put_num(h, Some(images.len() as i64));
    for i in images {
        put(h, Some(&i.url));
        put_num(h, i.width.map(i64::from));
        put_num(h, i.height.map(i64::from));
        put_num(h, i.is_cached.map(i64::from));
        put(h, i.title.as_deref());
    }
}

fn hash_article(h: &mut xxhash_rust::xxh3::Xxh3, a: &Article) {
    put(h, a.category.as_deref());
    put(h, Some(&a.title));
    put(h, a.excerpt.as_deref());
    put_num(h, a.published_at.map(|d| d.timestamp()));
    put(h, a.original_url.as_deref());
    put(h, a.web_url.as_deref());
    put(h, a.amp_web_url.as_deref());
    put(h, a.cdn_amp_web_url.as_deref());
    put(h, a.kind.as_deref());
    put_num(h, a.quality);
    put_num(h, a.heat);
    put_num(h, a.published.map(i64::from));
    match &a.provider {
        None => h.update(&[0]),
        Some(p) => {
            h.update(&[1]);
            put(h, Some(&p.name));
            put(h, Some(&p.domain));
            hash_images(h, &p.images);
        }
    }
    put_num(h, Some(a.topics.len() as i64));
    for t in &a.topics {
        put(h, Some(t));
    }
    hash_images(h, &a.images);
    put(h, a.secured.as_deref());
    put(h, a.body.as_deref());
    put(h, a.content_html.as_deref());
    put(h, a.author.as_deref());
    put(h, a.language.as_deref());
    put_num(h, Some(a.related.len() as i64));
    for r in &a.related {
        hash_article(h, r);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_hash_sees_every_field_but_not_the_origin() {
        let a = conformance::sample("https://x.test/a", "T");
        let base = content_hash(&a);
        let mut b = a.clone();
        b.origin.source = "elsewhere".into();
        assert_eq!(content_hash(&b), base);
        let changes: [fn(&mut Article); 9] = [
            |a| a.title.push('!'),
            |a| a.excerpt = None,
            |a| a.excerpt = Some(String::new()),
            |a| a.quality = Some(77),
            |a| a.images[0].width = Some(701),
            |a| a.provider.as_mut().unwrap().name.push('x'),
            |a| a.topics.push("AI".into()),
            |a| a.related.push(Article::default()),
            |a| a.body = Some("other".into()),
        ];
        for change in changes {
            let mut c = a.clone();
            change(&mut c);
            assert_ne!(content_hash(&c), base);
        }
    }
}
