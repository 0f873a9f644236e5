//! The store's surface beyond [`Store`](crate::Store), by concern: what the
//! desk, the search sync, the server and the keyring commands need. A backend
//! implements every trait; [`DeskStore`] names them all, and
//! [`crate::open`] chooses the backend. The conformance suite
//! ([`crate::conformance`]) checks each method.

use std::sync::Arc;

use crate::{
    ApiKeyStoreRow, ArticleId, ArticleQuery, ArticlesPage, OutboxEntry, SearchDoc, Store,
    StoreError, StoredText, TextSealer, TopicCount,
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

/// Everything the desk and the server use: the store a backend provides.
pub trait DeskStore:
    Store + ArticleQueries + SearchOutbox + ApiKeys + Sealing + StoreInfo + Send
{
}

impl<T> DeskStore for T where
    T: Store + ArticleQueries + SearchOutbox + ApiKeys + Sealing + StoreInfo + Send
{
}
