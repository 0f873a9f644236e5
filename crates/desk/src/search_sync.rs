//! Keeps the full-text index (`DATA_DIR/search`) in step with the store.
//!
//! The store's triggers put the id of every article whose search document
//! changed into the search outbox, in the transaction of the change. The
//! sync drains it in chunks: read the ids, read those articles' documents
//! as they are now, replace them in the index (an id without a document —
//! a stub, a removed article — is deleted from it), commit the index, and
//! only then delete the outbox rows read. A crash between the two commits
//! only indexes the same articles again.
//!
//! One process at a time holds tantivy's writer lock. A command that finds
//! it held (by `newsdesk serve`, or a long `ingest`) skips its sync with one
//! log line: the holder drains the outbox.
//!
//! An index that is new, or of another layout (an older version of this
//! program), is rebuilt from the store when opened.

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use newsdesk_search::{Opened, SearchError, SearchIndex, SearchKeeper};
use newsdesk_store::{DeskStore, SearchDoc};

use crate::pipeline::chain;
use crate::{DeskError, DeskPaths};

/// Outbox rows read per index commit.
pub const CHUNK: usize = 2_000;

/// The least time between two index commits during a long ingest or run
/// (every batch is synced, but commits are spaced; the end always syncs).
pub const SPACING: Duration = Duration::from_secs(5);

/// The index folder of a desk.
pub fn index_dir(paths: &DeskPaths) -> PathBuf {
    newsdesk_search::index_dir(&paths.data_dir)
}

/// A store document as the index takes it.
pub fn index_doc(d: SearchDoc) -> newsdesk_search::Doc {
    newsdesk_search::Doc {
        id: d.id,
        title: d.title,
        excerpt: d.excerpt,
        body: d.body,
        provider: d.provider_name,
        provider_domain: d.provider_domain,
        topics: d.topics,
        published: d.published,
        published_at: d.published_at,
        quality: d.quality,
        heat: d.heat,
    }
}

fn index_err(doing: impl Into<String>) -> impl FnOnce(SearchError) -> DeskError {
    let doing = doing.into();
    move |source| DeskError::Index { doing, source }
}

/// What a sync did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Synced {
    /// Documents (re)indexed.
    pub indexed: usize,
    /// Ids removed from the index (no document any more).
    pub removed: usize,
    /// Outbox rows cleared.
    pub cleared: usize,
}

/// Moves the whole outbox into the index, one chunk per index commit.
pub fn drain(store: &mut dyn DeskStore, index: &SearchIndex) -> Result<Synced, DeskError> {
    let mut done = Synced::default();
    loop {
        let pending = store.search_outbox_pending(CHUNK)?;
        let Some(last) = pending.iter().map(|e| e.seq).max() else {
            return Ok(done);
        };
        let mut ids: Vec<i64> = pending.iter().map(|e| e.article_id).collect();
        ids.sort_unstable();
        ids.dedup();
        let docs = store.search_docs(&ids)?;
        for id in &ids {
            if docs.binary_search_by_key(id, |d| d.id).is_err() {
                index.delete(*id)?;
                done.removed += 1;
            }
        }
        done.indexed += docs.len();
        let docs: Vec<_> = docs.into_iter().map(index_doc).collect();
        index.add_batch(&docs)?;
        index
            .commit()
            .map_err(index_err("committing the search index"))?;
        // Only now: the index holds every change up to `last`.
        done.cleared += store.search_outbox_done(last)?;
        if pending.len() < CHUNK {
            return Ok(done);
        }
    }
}

/// Replaces the whole index with the store's documents, then clears the
/// outbox rows that were there before (later ones stay for the next sync).
/// Returns the documents indexed.
pub fn rebuild(store: &mut dyn DeskStore, index: &SearchIndex) -> Result<u64, DeskError> {
    let last = store.search_outbox_last_seq()?;
    let fill = || -> Result<u64, DeskError> {
        // Everything goes at the commit, so searches see the old index
        // until the new one is whole, and a failure leaves the old one.
        index.clear()?;
        let mut n = 0u64;
        let mut after = 0;
        loop {
            let docs = store.search_docs_after(after, CHUNK)?;
            let Some(end) = docs.last().map(|d| d.id) else {
                break;
            };
            after = end;
            n += docs.len() as u64;
            let docs: Vec<_> = docs.into_iter().map(index_doc).collect();
            index.add_batch(&docs)?;
        }
        index.commit()?;
        Ok(n)
    };
    let n = match fill() {
        Ok(n) => n,
        Err(e) => {
            let _ = index.rollback();
            return Err(DeskError::Rebuild(Box::new(e)));
        }
    };
    store.search_outbox_done(last)?;
    Ok(n)
}

/// Opens the index with its writer, rebuilding it from the store when it is
/// new or of another layout. `Ok(None)`: another process holds the writer.
pub fn open_writer(
    paths: &DeskPaths,
    store: &mut dyn DeskStore,
) -> Result<Option<SearchIndex>, DeskError> {
    let dir = index_dir(paths);
    let (index, how) = match SearchIndex::open_or_recreate(&dir) {
        Ok(x) => x,
        Err(SearchError::Locked { .. }) => return Ok(None),
        Err(e) => {
            return Err(index_err(format!(
                "opening the search index {}",
                dir.display()
            ))(e))
        }
    };
    if let Opened::Recreated(why) = &how {
        paths.log(&format!(
            "search: the index in {} was of another layout ({why}); rebuilding it from the store",
            dir.display()
        ));
    }
    // An empty index over a store that has articles (a folder someone
    // removed, or created empty by a reader) is rebuilt as well.
    if how.is_new() || (index.doc_count() == 0 && store.indexable_count()? > 0) {
        rebuild(store, &index)?;
    }
    Ok(Some(index))
}

/// Makes sure the search index exists (created, and filled from the store,
/// when missing) before a server in this process opens it: a server that
/// finds none creates it, holding its writer meanwhile, and would race the
/// desk's own writer. An index another process writes exists already. A
/// failure is logged, as [`Syncer::open`] logs it (the outbox keeps the
/// changes).
pub fn ensure_index(paths: &DeskPaths) {
    let made = paths
        .open_store()
        .and_then(|mut store| open_writer(paths, &mut *store));
    if let Err(e) = made {
        paths.log(&format!(
            "search: {}; the outbox keeps the changes for `newsdesk index sync`",
            chain(&e)
        ));
    }
}

/// The index to search: brought up to date first when this process can
/// write it (a failed sync is logged), else as its writer last committed it.
pub fn for_search(paths: &DeskPaths, store: &mut dyn DeskStore) -> Result<SearchIndex, DeskError> {
    if let Some(index) = open_writer(paths, store)? {
        if let Err(e) = drain(store, &index) {
            let _ = index.rollback();
            paths.log(&format!("search: syncing the index failed: {}", chain(&e)));
        }
        return Ok(index);
    }
    let dir = index_dir(paths);
    SearchIndex::open_read_only(&dir).map_err(index_err(format!(
        "opening the search index {}",
        dir.display()
    )))
}

/// Rebuilds the whole index from the store now, then indexes what changed
/// meanwhile. `Ok(None)`: another process holds the writer.
pub fn rebuild_now(
    paths: &DeskPaths,
    store: &mut dyn DeskStore,
) -> Result<Option<(u64, Synced)>, DeskError> {
    let (index, _) = match SearchIndex::open_or_recreate(&index_dir(paths)) {
        Ok(x) => x,
        Err(SearchError::Locked { .. }) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let n = rebuild(store, &index)?;
    // Changes made during the rebuild.
    let s = drain(store, &index)?;
    Ok(Some((n, s)))
}

/// The store's indexable articles, the index's documents and the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexState {
    /// Articles that should be in the index (not stubs).
    pub expected: u64,
    /// Changes waiting in the outbox.
    pub pending: u64,
    /// Documents in the index (0 when there is none); `Err`: the index is
    /// of another layout (what differs).
    pub indexed: Result<u64, String>,
}

impl IndexState {
    /// Whether the index is in step with the store.
    pub fn in_step(&self) -> bool {
        self.indexed == Ok(self.expected) && self.pending == 0
    }
}

/// Compares the store with the index, without writing either.
pub fn state(paths: &DeskPaths, store: &dyn DeskStore) -> Result<IndexState, DeskError> {
    let expected = store.indexable_count()?;
    let pending = store.search_outbox_len()?;
    let dir = index_dir(paths);
    let indexed = if dir.join("meta.json").is_file() {
        match SearchIndex::open_read_only(&dir) {
            Ok(i) => Ok(i.doc_count()),
            Err(SearchError::SchemaMismatch { detail, .. }) => Err(detail),
            Err(e) => return Err(e.into()),
        }
    } else {
        Ok(0)
    };
    Ok(IndexState {
        expected,
        pending,
        indexed,
    })
}

/// The index for the length of a command that writes many batches
/// (`ingest`, `run`): each batch is synced after its store commit, with
/// index commits at most every [`SPACING`], and [`Syncer::finish`] syncs
/// the rest. Problems go to the log once; the outbox keeps what a failed
/// sync missed.
pub struct Syncer {
    paths: DeskPaths,
    index: Option<SearchIndex>,
    last: Option<Instant>,
    failed: bool,
}

impl Syncer {
    /// Takes the writer if it can; otherwise logs one line and syncs nothing.
    pub fn open(paths: &DeskPaths, store: &mut dyn DeskStore) -> Syncer {
        let index = match open_writer(paths, store) {
            Ok(Some(i)) => Some(i),
            Ok(None) => {
                paths.log(&format!(
                    "search: the index in {} is held by another process (newsdesk serve?); it will index these changes from the outbox",
                    index_dir(paths).display()
                ));
                None
            }
            Err(e) => {
                paths.log(&format!(
                    "search: {}; the outbox keeps the changes for `newsdesk index sync`",
                    chain(&e)
                ));
                None
            }
        };
        Syncer {
            paths: paths.clone(),
            index,
            last: None,
            failed: false,
        }
    }

    /// Whether this process holds the index's writer.
    pub fn is_writer(&self) -> bool {
        self.index.is_some()
    }

    /// After a committed batch.
    pub fn after_batch(&mut self, store: &mut dyn DeskStore) {
        if self.last.is_some_and(|t| t.elapsed() < SPACING) {
            return;
        }
        self.sync(store);
    }

    /// Syncs whatever is left.
    pub fn finish(&mut self, store: &mut dyn DeskStore) {
        self.sync(store);
    }

    fn sync(&mut self, store: &mut dyn DeskStore) {
        let Some(index) = &self.index else { return };
        self.last = Some(Instant::now());
        if let Err(e) = drain(store, index) {
            let _ = index.rollback();
            if !self.failed {
                self.failed = true;
                self.paths.log(&format!(
                    "search: syncing the index failed: {}; the outbox keeps the changes",
                    chain(&e)
                ));
            }
        }
    }
}

/// One sync now (after an editor's action): drains the outbox if this
/// process can take the writer, else logs who will.
pub fn sync_now(paths: &DeskPaths, store: &mut dyn DeskStore) {
    let mut s = Syncer::open(paths, store);
    s.finish(store);
}

/// The keeper a server is given: its own store connection for the outbox.
pub struct Keeper {
    paths: DeskPaths,
    store: Mutex<Box<dyn DeskStore>>,
}

impl Keeper {
    /// Opens the keeper's store connection (with the keyring).
    pub fn new(paths: &DeskPaths) -> Result<Keeper, DeskError> {
        Ok(Keeper {
            paths: paths.clone(),
            store: Mutex::new(paths.open_store()?),
        })
    }
}

impl SearchKeeper for Keeper {
    fn open_writer(&self) -> Result<Option<SearchIndex>, String> {
        let mut guard = self.store.lock().unwrap_or_else(|p| p.into_inner());
        let store: &mut dyn DeskStore = &mut **guard;
        open_writer(&self.paths, store).map_err(|e| chain(&e))
    }

    fn drain(&self, index: &SearchIndex) -> Result<usize, String> {
        let mut guard = self.store.lock().unwrap_or_else(|p| p.into_inner());
        let store: &mut dyn DeskStore = &mut **guard;
        match drain(store, index) {
            Ok(s) => Ok(s.indexed + s.removed),
            Err(e) => {
                let _ = index.rollback();
                Err(chain(&e))
            }
        }
    }
}

/// A time bound of a search as typed: a day (`YYYY-MM-DD`, midnight UTC)
/// or an RFC 3339 time.
pub fn time_bound(v: &str) -> Result<chrono::DateTime<chrono::Utc>, DeskError> {
    if let Ok(d) = chrono::DateTime::parse_from_rfc3339(v) {
        return Ok(d.with_timezone(&chrono::Utc));
    }
    chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc())
        .ok_or_else(|| {
            DeskError::Config(format!(
                "expected a date (YYYY-MM-DD) or an RFC 3339 time, found {v:?}"
            ))
        })
}

/// A page size as asked: from 1 to [`newsdesk_search::MAX_LIMIT`].
pub fn page_limit(limit: usize) -> Result<usize, DeskError> {
    let max = newsdesk_search::MAX_LIMIT;
    if limit == 0 || limit > max {
        return Err(DeskError::Config(format!("from 1 to {max}, found {limit}")));
    }
    Ok(limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_bounds_are_days_or_rfc3339_times() {
        let day = time_bound("2026-03-04").unwrap();
        assert_eq!(day.to_rfc3339(), "2026-03-04T00:00:00+00:00");
        let t = time_bound("2026-03-04T10:00:00+02:00").unwrap();
        assert_eq!(t.to_rfc3339(), "2026-03-04T08:00:00+00:00");
        let e = time_bound("yesterday").unwrap_err().to_string();
        assert!(e.contains("\"yesterday\""), "{e}");
    }

    #[test]
    fn page_limits_run_from_one_to_the_maximum() {
        assert_eq!(page_limit(1).unwrap(), 1);
        let max = newsdesk_search::MAX_LIMIT;
        assert_eq!(page_limit(max).unwrap(), max);
        assert!(page_limit(0).is_err());
        assert!(page_limit(max + 1).is_err());
    }
}
