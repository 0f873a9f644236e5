//! Who writes the index: one process at a time holds tantivy's writer lock.
//! A server that does not write its own store hands the writing to a
//! [`SearchKeeper`] (the desk gives one), so this crate needs no store.

use std::path::{Path, PathBuf};

use crate::SearchIndex;

/// The index folder inside a data folder.
pub fn index_dir(data_dir: &Path) -> PathBuf {
    data_dir.join("search")
}

/// Takes the writer lock (rebuilding the index from the store when it is
/// new or of another layout) and moves the store's search outbox into the
/// index. Errors are messages for the log.
pub trait SearchKeeper: Send + Sync + 'static {
    /// The index with its writer, or `Ok(None)` when another process holds
    /// the writer lock.
    fn open_writer(&self) -> Result<Option<SearchIndex>, String>;
    /// Indexes what the outbox holds; returns the articles re-indexed.
    fn drain(&self, index: &SearchIndex) -> Result<usize, String>;
}
