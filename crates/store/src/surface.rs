//! The store's surface beyond [`Store`](crate::Store), by concern: what the
//! desk, the search sync, the server and the keyring commands need. A backend
//! implements every trait; [`DeskStore`] names them all, and
//! [`crate::open`] chooses the backend. The conformance suite
//! ([`crate::conformance`]) checks each method.

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};

use crate::{
    ApiKeyStoreRow, ArticleId, ArticleQuery, ArticlesPage, HeatSample, NewWebSession, OutboxEntry,
    SavedSearch, SearchDoc, SourceDayCount, Store, StoreError, StoredText, TextSealer, TopicCount,
    WebSession, WebSessionToken,
};

/// Paged article lists and topic counts (the API's pages).
pub trait ArticleQueries {
    /// One page of articles (stubs never listed).
    fn query_articles(&self, q: &ArticleQuery) -> Result<ArticlesPage, StoreError>;
    /// Every topic articles carry, with counts, most published first.
    fn topic_counts(&self) -> Result<Vec<TopicCount>, StoreError>;
}

/// What the full-text index needs: the outbox of changed articles and the
/// articles' search documents.
///
/// The outbox invariant: every committed change to an indexed field is in
/// the outbox in the same transaction; the sync deletes outbox rows only
/// after the index commit that holds the change. A reader takes a chunk of
/// rows ([`SearchOutbox::search_outbox_pending`]), reads the documents as
/// they are now ([`SearchOutbox::search_docs`]), indexes and commits them,
/// then calls [`SearchOutbox::search_outbox_done`] with the last `seq` it
/// read. A change committed meanwhile has a higher `seq` and stays queued.
pub trait SearchOutbox {
    /// The oldest `limit` outbox rows, in `seq` order.
    fn search_outbox_pending(&self, limit: usize) -> Result<Vec<OutboxEntry>, StoreError>;
    /// Deletes the rows up to `up_to_seq`; returns how many.
    fn search_outbox_done(&mut self, up_to_seq: i64) -> Result<usize, StoreError>;
    /// How many rows wait.
    fn search_outbox_len(&self) -> Result<u64, StoreError>;
    /// The highest `seq` ever written (0 for none).
    fn search_outbox_last_seq(&self) -> Result<i64, StoreError>;
    /// The search documents of these articles as they are now (stubs and
    /// unknown ids left out), in id order.
    fn search_docs(&self, ids: &[ArticleId]) -> Result<Vec<SearchDoc>, StoreError>;
    /// Up to `limit` search documents after `after`, in id order.
    fn search_docs_after(
        &self,
        after: ArticleId,
        limit: usize,
    ) -> Result<Vec<SearchDoc>, StoreError>;
    /// How many articles have a search document (what a complete index holds).
    fn indexable_count(&self) -> Result<u64, StoreError>;
}

/// Every search document of `store`, in id order, read in chunks of 1,000.
pub fn all_search_docs(store: &dyn SearchOutbox) -> SearchDocs<'_> {
    SearchDocs {
        store,
        after: 0,
        chunk: Vec::new().into_iter(),
        done: false,
    }
}

/// The iterator of [`all_search_docs`].
pub struct SearchDocs<'a> {
    store: &'a dyn SearchOutbox,
    after: ArticleId,
    chunk: std::vec::IntoIter<SearchDoc>,
    done: bool,
}

impl Iterator for SearchDocs<'_> {
    type Item = Result<SearchDoc, StoreError>;

    fn next(&mut self) -> Option<Self::Item> {
        const CHUNK: usize = 1000;
        loop {
            if let Some(d) = self.chunk.next() {
                self.after = d.id;
                return Some(Ok(d));
            }
            if self.done {
                return None;
            }
            match self.store.search_docs_after(self.after, CHUNK) {
                Ok(docs) => {
                    self.done = docs.len() < CHUNK;
                    self.chunk = docs.into_iter();
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            }
        }
    }
}

/// API keys for the HTTP API, as stored.
pub trait ApiKeys {
    /// Stores a new API key.
    fn insert_api_key(&mut self, key: &ApiKeyStoreRow) -> Result<(), StoreError>;
    /// One API key by id.
    fn api_key(&self, id: &str) -> Result<Option<ApiKeyStoreRow>, StoreError>;
    /// Every API key, oldest first.
    fn api_keys(&self) -> Result<Vec<ApiKeyStoreRow>, StoreError>;
    /// Revokes a key (the first revocation time is kept). `false`: no such key.
    fn revoke_api_key(&mut self, id: &str, at: &str) -> Result<bool, StoreError>;
}

/// Full text at rest: the sealer, re-sealing, the `sealed` mark.
pub trait Sealing {
    /// From now on, every full text this store writes is sealed with
    /// `sealer` and every sealed one it reads is opened.
    fn set_sealer(&mut self, sealer: Arc<dyn TextSealer>) -> Result<(), StoreError>;
    /// Whether a sealer is set.
    fn has_sealer(&self) -> bool;
    /// Up to `limit` articles after `after` (by id) that hold full text, with
    /// their columns as stored (clear or sealed), for re-sealing.
    fn texts_after(&self, after: ArticleId, limit: usize) -> Result<Vec<StoredText>, StoreError>;
    /// Writes full-text columns back as given (already sealed by the
    /// caller), in one transaction. Nothing else changes.
    fn replace_texts(&mut self, texts: &[StoredText]) -> Result<(), StoreError>;
    /// Whether the store is marked as keeping its full text sealed.
    fn is_marked_sealed(&self) -> Result<bool, StoreError>;
    /// Marks the store as keeping its full text sealed: from then on the
    /// desk refuses to write to it without a keyring.
    fn mark_sealed(&mut self) -> Result<(), StoreError>;
    /// Leaves no replaced data behind (run after re-sealing).
    fn compact(&mut self) -> Result<(), StoreError>;
    /// A full-text value as stored, made safe to use: a sealed value is
    /// opened when the store has a sealer and is `None` when it has none
    /// (never ciphertext as text); a clear value is returned as it is.
    fn open_text(
        &self,
        identity: &str,
        column: &'static str,
        value: Option<String>,
    ) -> Result<Option<String>, StoreError>;
}

/// Where the store is and whether it changed.
pub trait StoreInfo {
    /// Where the store lives, for messages (a file path, a URL without its
    /// password).
    fn location(&self) -> String;
    /// A number that changes whenever another connection has committed
    /// since the last call (caches key on it).
    fn data_version(&self) -> Result<i64, StoreError>;
}

/// The length of a heat-history window, in seconds (10 minutes). Windows
/// are aligned to the Unix epoch (they start at :00, :10, :20, ... UTC).
pub const HEAT_SAMPLE_WINDOW_SECS: i64 = 600;

/// A story's heat over time (the story page's chart).
///
/// Written by [`Store::apply_editorial`]: every story heat it stores also
/// becomes a sample `(story, now, heat)`, in the same transaction. The
/// history is bounded by coalescing: a story has at most one sample per
/// [`HEAT_SAMPLE_WINDOW_SECS`] window of the clock; a later heat in a
/// window replaces the window's sample (heat and time), an earlier one is
/// ignored. A story heated every five minutes thus keeps one sample per
/// ten minutes, the last of each window, and never drifts.
pub trait HeatHistory {
    /// The story's newest `limit` samples, oldest first. Empty for an
    /// unknown story.
    fn story_heat_history(&self, story: i64, limit: usize) -> Result<Vec<HeatSample>, StoreError>;
}

/// Searches users keep by name (each with its own feed).
pub trait SavedSearches {
    /// Saves a search. Its name and its slug must both be new
    /// ([`StoreError::SavedSearchExists`], a conflict); an empty name, slug
    /// or query is refused ([`StoreError::EmptySavedSearch`]). Make it with
    /// [`SavedSearch::new`], which derives the slug from the name.
    fn add_saved_search(&mut self, search: &SavedSearch) -> Result<(), StoreError>;
    /// Every saved search, in slug order.
    fn saved_searches(&self) -> Result<Vec<SavedSearch>, StoreError>;
    /// One saved search by its name or its slug (an exact name first).
    fn saved_search(&self, name_or_slug: &str) -> Result<Option<SavedSearch>, StoreError>;
    /// Removes a saved search by name or slug; `false` when there was none.
    fn remove_saved_search(&mut self, name_or_slug: &str) -> Result<bool, StoreError>;
}

/// Editors signed in from a browser. The store keeps a session's token
/// only as its hash ([`WebSessionToken::hash_of`]).
pub trait WebSessions {
    /// Starts a session for an existing, unrevoked API key
    /// ([`StoreError::NoApiKey`] otherwise): a new random token (returned,
    /// for the cookie, and never stored) and CSRF secret.
    fn create_web_session(
        &mut self,
        new: &NewWebSession,
    ) -> Result<(WebSessionToken, WebSession), StoreError>;
    /// The session a token (as the browser sent it) opens at `now`: `None`
    /// when unknown, expired (`now >= expires`) or its API key was revoked
    /// since.
    fn web_session(
        &self,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<WebSession>, StoreError>;
    /// Ends a session (signing out); `false` when there was none.
    fn delete_web_session(&mut self, token: &str) -> Result<bool, StoreError>;
    /// Deletes every session expired at `now` or whose API key was
    /// revoked; returns how many.
    fn purge_web_sessions(&mut self, now: DateTime<Utc>) -> Result<usize, StoreError>;
}

/// What the sources page charts.
pub trait SourceActivity {
    /// How many articles each source gave per day, for the publication days
    /// from `since_day` to `until_day` (both included, UTC), in source
    /// (locator) then day order. A source is named by its locator, as
    /// [`Store::followed_sources`] names it (an article belongs to the
    /// source whose batch stored it; a moved source keeps its articles).
    /// Every source with articles in the range is listed, followed or not;
    /// days without articles are left out; undated articles and articles
    /// known only from related lists are not counted.
    fn source_daily_counts(
        &self,
        since_day: NaiveDate,
        until_day: NaiveDate,
    ) -> Result<Vec<SourceDayCount>, StoreError>;
}

/// Everything the desk and the server use: the store a backend provides.
pub trait DeskStore:
    Store
    + ArticleQueries
    + SearchOutbox
    + ApiKeys
    + Sealing
    + StoreInfo
    + HeatHistory
    + SavedSearches
    + WebSessions
    + SourceActivity
    + Send
{
}

impl<T> DeskStore for T where
    T: Store
        + ArticleQueries
        + SearchOutbox
        + ApiKeys
        + Sealing
        + StoreInfo
        + HeatHistory
        + SavedSearches
        + WebSessions
        + SourceActivity
        + Send
{
}
