//! Per-segment document sets for the common filters (published, topics),
//! built once from the filter term's postings and kept while the segment
//! exists.
//!
//! Segments never change once written (a changed article is a new document
//! in a new segment; a deletion only marks the old one), so a set stays
//! right for as long as its segment exists. Sets of segments a merge
//! removed are dropped the next time a search sees the segment list.
//!
//! Reading the `published` column for each candidate was half the time of
//! a common word's search over a million articles; a topic's multi-valued
//! column was slower still. A bit test is one load.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use tantivy::index::SegmentId;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Searcher, SegmentReader, Term, COLLECT_BLOCK_BUFFER_LEN};

use crate::SearchError;

/// Most sets kept: topics are few and published has two values, so this
/// only bounds a caller that filters by a great many topics (the cache is
/// emptied when full). 1M documents take 128 KB per set.
const MAX_SETS: usize = 512;

/// One bit per document of a segment.
pub(crate) struct DocBits(Vec<u64>);

impl DocBits {
    /// 1 when `doc` is in the set, else 0.
    #[inline(always)]
    pub(crate) fn bit(&self, doc: DocId) -> u64 {
        self.0
            .get(doc as usize >> 6)
            .map_or(0, |w| w >> (doc & 63) & 1)
    }

    #[inline(always)]
    pub(crate) fn contains(&self, doc: DocId) -> bool {
        self.bit(doc) == 1
    }
}

/// What a set holds: the documents with this term (published true or
/// false, a topic key).
type Key = (SegmentId, Term);

/// The cache, one per open index.
#[derive(Default)]
pub(crate) struct DocSets {
    sets: Mutex<HashMap<Key, Arc<DocBits>>>,
}

impl DocSets {
    /// The documents of `seg` that have `term` (an indexed field).
    pub(crate) fn get(
        &self,
        seg: &SegmentReader,
        term: &Term,
    ) -> Result<Arc<DocBits>, SearchError> {
        let key = (seg.segment_id(), term.clone());
        if let Some(bits) = self.lock().get(&key) {
            return Ok(bits.clone());
        }
        let mut words = vec![0u64; (seg.max_doc() as usize).div_ceil(64)];
        let postings = seg
            .inverted_index(term.field())?
            .read_postings(term, IndexRecordOption::Basic)
            .map_err(tantivy::TantivyError::from)?;
        if let Some(mut postings) = postings {
            let mut buf = [0; COLLECT_BLOCK_BUFFER_LEN];
            loop {
                let got = postings.fill_buffer(&mut buf);
                for &doc in &buf[..got] {
                    words[doc as usize >> 6] |= 1 << (doc & 63);
                }
                if got < COLLECT_BLOCK_BUFFER_LEN {
                    break;
                }
            }
        }
        let bits = Arc::new(DocBits(words));
        let mut sets = self.lock();
        if sets.len() >= MAX_SETS {
            sets.clear();
        }
        sets.insert(key, bits.clone());
        Ok(bits)
    }

    /// Drops the sets of segments `searcher` no longer has.
    pub(crate) fn keep_only(&self, searcher: &Searcher) {
        let live: Vec<SegmentId> = searcher
            .segment_readers()
            .iter()
            .map(|s| s.segment_id())
            .collect();
        self.lock().retain(|(id, _), _| live.contains(id));
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<Key, Arc<DocBits>>> {
        // Entries are whole values: a panic elsewhere cannot leave one half-made.
        self.sets.lock().unwrap_or_else(|p| p.into_inner())
    }
}
