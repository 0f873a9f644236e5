//! Full text at rest (re-sealing, the `sealed` mark) and API keys.

use rusqlite::{params, OptionalExtension};

use super::{db, SqliteStore};
use crate::{ApiKeys, ArticleId, Sealing, StoreError, StoredText, TextSealer};

/// An API key as stored: strings, as `newsdesk_secure::ApiKeyRow` has them,
/// plus the key's own rate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKeyStoreRow {
    pub id: String,
    pub name: String,
    /// `sha256:<64 hex digits>`.
    pub secret_hash: String,
    pub role: String,
    /// Scope names separated by commas (may be empty).
    pub scopes: String,
    /// RFC 3339.
    pub created: String,
    pub last_used: Option<String>,
    pub revoked: Option<String>,
    /// Requests per minute; `None`: the server's default.
    pub rate_per_min: Option<i64>,
}

const KEY_COLUMNS: &str =
    "id, name, secret_hash, role, scopes, created, last_used, revoked, rate_per_min";

fn key_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ApiKeyStoreRow> {
    Ok(ApiKeyStoreRow {
        id: r.get(0)?,
        name: r.get(1)?,
        secret_hash: r.get(2)?,
        role: r.get(3)?,
        scopes: r.get(4)?,
        created: r.get(5)?,
        last_used: r.get(6)?,
        revoked: r.get(7)?,
        rate_per_min: r.get(8)?,
    })
}

impl Sealing for SqliteStore {
    fn set_sealer(&mut self, sealer: std::sync::Arc<dyn TextSealer>) -> Result<(), StoreError> {
        self.set_sealer_inner(sealer)
    }

    fn has_sealer(&self) -> bool {
        self.sealer.is_some()
    }

    fn open_text(
        &self,
        identity: &str,
        column: &'static str,
        value: Option<String>,
    ) -> Result<Option<String>, StoreError> {
        self.open_text_inner(identity, column, value)
    }

    /// Up to `limit` articles after `after` (by id) that hold full text, with
    /// their columns as stored (clear or sealed), for re-sealing.
    fn texts_after(&self, after: ArticleId, limit: usize) -> Result<Vec<StoredText>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, identity, body, content_html FROM articles \
                 WHERE id > ?1 AND (body IS NOT NULL OR content_html IS NOT NULL) \
                 ORDER BY id LIMIT ?2",
            )
            .map_err(db("reading full texts"))?;
        let rows = stmt
            .query_map(params![after, limit as i64], |r| {
                Ok(StoredText {
                    id: r.get(0)?,
                    identity: r.get(1)?,
                    body: r.get(2)?,
                    content_html: r.get(3)?,
                })
            })
            .map_err(db("reading full texts"))?;
        rows.collect::<Result<_, _>>()
            .map_err(db("reading full texts"))
    }

    /// Writes full-text columns back as given (already sealed by the
    /// caller), in one transaction. Nothing else changes: not the content
    /// hash, not the analysis.
    fn replace_texts(&mut self, texts: &[StoredText]) -> Result<(), StoreError> {
        let tx = self.conn.transaction().map_err(db("starting to re-seal"))?;
        {
            let mut stmt = tx
                .prepare_cached("UPDATE articles SET body = ?2, content_html = ?3 WHERE id = ?1")
                .map_err(db("re-sealing full text"))?;
            for t in texts {
                stmt.execute(params![t.id, t.body, t.content_html])
                    .map_err(db("re-sealing full text"))?;
            }
        }
        tx.commit().map_err(db("committing re-sealed text"))
    }

    /// Whether the store is marked as keeping its full text sealed.
    fn is_marked_sealed(&self) -> Result<bool, StoreError> {
        Ok(self.setting("sealed")?.as_deref() == Some("true"))
    }

    /// Marks the store as keeping its full text sealed: from then on the
    /// desk refuses to write to it without a keyring.
    fn mark_sealed(&mut self) -> Result<(), StoreError> {
        self.conn
            .execute(
                "INSERT INTO desk_settings (name, value) VALUES ('sealed', 'true') \
                 ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                [],
            )
            .map_err(db("marking the store sealed"))?;
        Ok(())
    }

    /// Leaves no replaced page behind: rebuilds the file (`VACUUM`) and
    /// empties the write-ahead log into it. Run after re-sealing.
    fn compact(&mut self) -> Result<(), StoreError> {
        self.conn
            .execute_batch("VACUUM")
            .map_err(db("compacting the store"))?;
        self.conn
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .map_err(db("checkpointing the write-ahead log"))
    }
}

impl SqliteStore {
    fn setting(&self, name: &str) -> Result<Option<String>, StoreError> {
        self.conn
            .query_row(
                "SELECT value FROM desk_settings WHERE name = ?1",
                [name],
                |r| r.get(0),
            )
            .optional()
            .map_err(db("reading a setting"))
    }
}

impl ApiKeys for SqliteStore {
    /// Stores a new API key.
    fn insert_api_key(&mut self, k: &ApiKeyStoreRow) -> Result<(), StoreError> {
        self.conn
            .execute(
                &format!("INSERT INTO api_keys ({KEY_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"),
                params![
                    k.id,
                    k.name,
                    k.secret_hash,
                    k.role,
                    k.scopes,
                    k.created,
                    k.last_used,
                    k.revoked,
                    k.rate_per_min
                ],
            )
            .map_err(db("storing an API key"))?;
        Ok(())
    }

    /// One API key by id.
    fn api_key(&self, id: &str) -> Result<Option<ApiKeyStoreRow>, StoreError> {
        self.conn
            .prepare_cached(&format!("SELECT {KEY_COLUMNS} FROM api_keys WHERE id = ?1"))
            .and_then(|mut s| s.query_row([id], key_row).optional())
            .map_err(db("reading an API key"))
    }

    /// Every API key, oldest first.
    fn api_keys(&self) -> Result<Vec<ApiKeyStoreRow>, StoreError> {
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT {KEY_COLUMNS} FROM api_keys ORDER BY created, id"
            ))
            .map_err(db("listing API keys"))?;
        let rows = stmt
            .query_map([], key_row)
            .map_err(db("listing API keys"))?;
        rows.collect::<Result<_, _>>()
            .map_err(db("listing API keys"))
    }

    /// Revokes a key (the first revocation time is kept). `false`: no such key.
    fn revoke_api_key(&mut self, id: &str, at: &str) -> Result<bool, StoreError> {
        let n = self
            .conn
            .execute(
                "UPDATE api_keys SET revoked = COALESCE(revoked, ?2) WHERE id = ?1",
                params![id, at],
            )
            .map_err(db("revoking an API key"))?;
        Ok(n > 0)
    }
}
