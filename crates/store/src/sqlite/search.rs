//! What the full-text index needs from the store: the search outbox
//! (migration 6) and the articles' search documents.
//!
//! The outbox invariant: every committed change to an indexed field is in
//! the outbox in the same transaction (SQLite triggers write it); the sync
//! deletes an outbox row only after the index commit that holds the change.
//! A reader takes a chunk of rows ([`SearchOutbox::search_outbox_pending`]),
//! reads the documents as they are now ([`SearchOutbox::search_docs`]),
//! indexes and commits them, then calls [`SearchOutbox::search_outbox_done`]
//! with the last `seq` it read. A change committed meanwhile has a higher
//! `seq` and stays queued.

use chrono::{DateTime, Utc};
use rusqlite::params;
use rusqlite::types::Value;

use super::{db, SqliteStore};
use crate::{ArticleId, SearchOutbox, StoreError};

/// One outbox row: an article whose search document changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutboxEntry {
    /// Position in the outbox (increasing with each change).
    pub seq: i64,
    /// The article.
    pub article_id: ArticleId,
}

/// An article as the search index sees it. Only full records are indexed:
/// an article known only from a related list (a stub) has no document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchDoc {
    pub id: ArticleId,
    pub title: String,
    pub excerpt: Option<String>,
    /// The full text, plain (a sealed body opened with the store's sealer).
    pub body: Option<String>,
    pub provider_name: Option<String>,
    pub provider_domain: Option<String>,
    pub topics: Vec<String>,
    pub published: Option<bool>,
    pub published_at: Option<DateTime<Utc>>,
    pub quality: Option<i64>,
    pub heat: Option<i64>,
}

const DOC_COLUMNS: &str = "id, title, excerpt, body, provider_name, provider_domain, topics, \
     published, published_at, quality, heat, identity";

/// A search document as read, before its body is opened.
struct RawDoc {
    doc: SearchDoc,
    identity: String,
}

impl SqliteStore {
    /// The body as the index reads it: the one place the stored full text
    /// becomes plain text for search. A sealed body is opened with the
    /// store's sealer (the desk's keyring); without one it is left out of
    /// the index, never indexed as ciphertext.
    fn open_body(&self, raw: RawDoc) -> Result<SearchDoc, StoreError> {
        let RawDoc { mut doc, identity } = raw;
        doc.body = self.open_text_inner(&identity, "body", doc.body.take())?;
        Ok(doc)
    }
}

fn read_doc(r: &rusqlite::Row<'_>) -> rusqlite::Result<Result<RawDoc, StoreError>> {
    let id: ArticleId = r.get(0)?;
    let topics: String = r.get(6)?;
    let published_at: Option<String> = r.get(8)?;
    let topics = match super::parse_json::<Vec<String>>(id, "topics", &topics) {
        Ok(t) => t,
        Err(e) => return Ok(Err(e)),
    };
    let published_at = match published_at
        .as_deref()
        .map(|p| super::parse_ts(id, "published_at", p))
        .transpose()
    {
        Ok(p) => p,
        Err(e) => return Ok(Err(e)),
    };
    Ok(Ok(RawDoc {
        identity: r.get(11)?,
        doc: SearchDoc {
            id,
            title: r.get(1)?,
            excerpt: r.get(2)?,
            body: r.get(3)?,
            provider_name: r.get(4)?,
            provider_domain: r.get(5)?,
            topics,
            published: r.get::<_, Option<i64>>(7)?.map(|v| v != 0),
            published_at,
            quality: r.get(9)?,
            heat: r.get(10)?,
        },
    }))
}

impl SearchOutbox for SqliteStore {
    /// The oldest `limit` outbox rows, in `seq` order.
    fn search_outbox_pending(&self, limit: usize) -> Result<Vec<OutboxEntry>, StoreError> {
        const ACTION: &str = "reading the search outbox";
        let mut stmt = self
            .conn
            .prepare_cached("SELECT seq, article_id FROM search_outbox ORDER BY seq LIMIT ?1")
            .map_err(db(ACTION))?;
        let rows = stmt
            .query_map([limit.min(i64::MAX as usize) as i64], |r| {
                Ok(OutboxEntry {
                    seq: r.get(0)?,
                    article_id: r.get(1)?,
                })
            })
            .map_err(db(ACTION))?;
        rows.collect::<Result<_, _>>().map_err(db(ACTION))
    }

    /// Deletes the outbox rows up to and including `seq` (call it only once
    /// the index commit that holds their changes is done). Returns how many.
    fn search_outbox_done(&mut self, up_to_seq: i64) -> Result<usize, StoreError> {
        self.conn
            .execute("DELETE FROM search_outbox WHERE seq <= ?1", [up_to_seq])
            .map_err(db("clearing the search outbox"))
    }

    /// Rows waiting in the outbox.
    fn search_outbox_len(&self) -> Result<u64, StoreError> {
        self.conn
            .query_row("SELECT COUNT(*) FROM search_outbox", [], |r| {
                r.get::<_, i64>(0)
            })
            .map(|n| n as u64)
            .map_err(db("counting the search outbox"))
    }

    /// The highest `seq` in the outbox (0 when empty): a rebuild that reads
    /// every document after noting it may then clear the rows up to it.
    fn search_outbox_last_seq(&self) -> Result<i64, StoreError> {
        self.conn
            .query_row("SELECT COALESCE(MAX(seq), 0) FROM search_outbox", [], |r| {
                r.get(0)
            })
            .map_err(db("reading the search outbox"))
    }

    /// The search documents of `ids` that have one (missing articles and
    /// stubs have none: the index must drop them), in id order.
    fn search_docs(&self, ids: &[ArticleId]) -> Result<Vec<SearchDoc>, StoreError> {
        const ACTION: &str = "reading search documents";
        let mut out = Vec::with_capacity(ids.len());
        for chunk in ids.chunks(500) {
            let marks = vec!["?"; chunk.len()].join(",");
            let sql = format!(
                "SELECT {DOC_COLUMNS} FROM articles WHERE stub = 0 AND id IN ({marks}) ORDER BY id"
            );
            let mut stmt = self.conn.prepare(&sql).map_err(db(ACTION))?;
            let rows = stmt
                .query_map(
                    rusqlite::params_from_iter(chunk.iter().map(|&i| Value::Integer(i))),
                    read_doc,
                )
                .map_err(db(ACTION))?;
            for r in rows {
                out.push(self.open_body(r.map_err(db(ACTION))??)?);
            }
        }
        Ok(out)
    }

    /// Up to `limit` search documents with ids above `after`, in id order
    /// (a rebuild walks them all, one chunk at a time).
    fn search_docs_after(
        &self,
        after: ArticleId,
        limit: usize,
    ) -> Result<Vec<SearchDoc>, StoreError> {
        const ACTION: &str = "reading search documents";
        let sql = format!(
            "SELECT {DOC_COLUMNS} FROM articles WHERE stub = 0 AND id > ?1 ORDER BY id LIMIT ?2"
        );
        let mut stmt = self.conn.prepare_cached(&sql).map_err(db(ACTION))?;
        let rows = stmt
            .query_map(
                params![after, limit.min(i64::MAX as usize) as i64],
                read_doc,
            )
            .map_err(db(ACTION))?;
        let mut out = Vec::new();
        for r in rows {
            out.push(self.open_body(r.map_err(db(ACTION))??)?);
        }
        Ok(out)
    }

    /// How many articles have a search document (what a complete index holds).
    fn indexable_count(&self) -> Result<u64, StoreError> {
        self.conn
            .query_row("SELECT COUNT(*) FROM articles WHERE stub = 0", [], |r| {
                r.get::<_, i64>(0)
            })
            .map(|n| n as u64)
            .map_err(db("counting indexable articles"))
    }
}

impl SqliteStore {
    /// Every search document, in id order (see [`crate::all_search_docs`]).
    pub fn all_search_docs(&self) -> crate::SearchDocs<'_> {
        crate::all_search_docs(self)
    }
}
