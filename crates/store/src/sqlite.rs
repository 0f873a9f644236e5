//! The embedded default: one SQLite file in WAL mode.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use chrono::{DateTime, SecondsFormat, Utc};
use newsdesk_model::{Article, Image, Origin, Provider};
use rusqlite::config::DbConfig;
use rusqlite::types::Value;
use rusqlite::{
    params, params_from_iter, Connection, OpenFlags, OptionalExtension, Row, Transaction,
};

use crate::{
    content_hash, is_sealed, AnalysisRecord, ArticleId, AuditEntry, Batch, BatchReport, Decision,
    EditorAction, EditorOverride, ErrorKind, FollowedSource, Given, Outcome, Placement, PollRecord,
    Rule, RuleAction, SourceInfo, Stats, Store, StoreError, StoreInfo, StoredArticle, StoryHeat,
    StoryMember, TextSealer,
};

mod keys;
mod query;
mod read;
mod search;
mod web;
mod write;

use read::*;
use write::*;

pub use keys::ApiKeyStoreRow;
pub use query::{ArticleQuery, ArticlesPage, Cursor, CursorError, Sort, TopicCount};
pub use search::{OutboxEntry, SearchDoc};

/// Versioned migrations, applied in order; each runs in its own transaction.
const MIGRATIONS: &[(i64, &str)] = &[
    (1, include_str!("../migrations/sqlite/0001_init.sql")),
    (2, include_str!("../migrations/sqlite/0002_analysis.sql")),
    (3, include_str!("../migrations/sqlite/0003_editorial.sql")),
    (4, include_str!("../migrations/sqlite/0004_sources.sql")),
    (5, include_str!("../migrations/sqlite/0005_topic_pages.sql")),
    (
        6,
        include_str!("../migrations/sqlite/0006_search_outbox.sql"),
    ),
    (7, include_str!("../migrations/sqlite/0007_api_keys.sql")),
    (8, include_str!("../migrations/sqlite/0008_web.sql")),
];

/// The database file inside a data folder.
pub const DB_FILE: &str = "newsdesk.sqlite3";

/// The article columns written from an [`Article`], in bind order.
const CONTENT_COLUMNS: &[&str] = &[
    "category",
    "title",
    "excerpt",
    "published_at",
    "original_url",
    "web_url",
    "amp_web_url",
    "cdn_amp_web_url",
    "kind",
    "quality",
    "heat",
    "published",
    "provider_name",
    "provider_domain",
    "provider_images",
    "topics",
    "images",
    "secured",
    "body",
    "content_html",
    "author",
    "language",
    "given",
];

const SELECT_COLUMNS: &str =
    "a.id, a.stub, a.first_seen, a.updated_at, a.story_id, a.duplicate_of, \
     a.guid, a.format, s.locator, a.category, a.title, a.excerpt, a.published_at, a.original_url, \
     a.web_url, a.amp_web_url, a.cdn_amp_web_url, a.kind, a.quality, a.heat, a.published, \
     a.provider_name, a.provider_domain, a.provider_images, a.topics, a.images, a.secured, a.body, \
     a.content_html, a.author, a.language, x.reason, a.given, e.detail, e.pinned, \
     o.action, o.editor, o.reason, o.at, a.identity";

/// The tables [`SELECT_COLUMNS`] reads from.
const FROM_ARTICLES: &str = "articles a LEFT JOIN sources s ON s.id = a.source_id \
     LEFT JOIN article_analysis x ON x.article_id = a.id \
     LEFT JOIN article_editorial e ON e.article_id = a.id \
     LEFT JOIN overrides o ON o.article_id = a.id";

/// The SQLite store.
pub struct SqliteStore {
    conn: Connection,
    path: PathBuf,
    /// Seals full text on write and opens it on read (see [`TextSealer`]).
    sealer: Option<std::sync::Arc<dyn TextSealer>>,
}

fn db(action: &'static str) -> impl FnOnce(rusqlite::Error) -> StoreError {
    move |source| {
        use rusqlite::ErrorCode;
        let kind = match &source {
            rusqlite::Error::QueryReturnedNoRows => ErrorKind::NotFound,
            rusqlite::Error::SqliteFailure(e, _) => match e.code {
                ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => ErrorKind::Retryable,
                ErrorCode::ConstraintViolation => ErrorKind::Conflict,
                _ => ErrorKind::Other,
            },
            _ => ErrorKind::Other,
        };
        StoreError::Backend {
            action,
            kind,
            message: source.to_string(),
        }
    }
}

fn ts(dt: &DateTime<Utc>) -> String {
    dt.to_rfc3339_opts(SecondsFormat::Secs, true)
}

impl SqliteStore {
    /// Opens (creating if needed) the store in data folder `dir`.
    pub fn open(dir: &Path) -> Result<SqliteStore, StoreError> {
        std::fs::create_dir_all(dir).map_err(|e| StoreError::Open {
            path: dir.display().to_string(),
            message: e.to_string(),
        })?;
        let path = dir.join(DB_FILE);
        let conn = Connection::open(&path).map_err(|e| StoreError::Open {
            path: path.display().to_string(),
            message: e.to_string(),
        })?;
        Self::init(conn, path)
    }

    /// Opens the existing store in data folder `dir` for reading only: no
    /// migration runs, nothing is created, and every write through it fails
    /// (SQLite refuses it). For tools that read a store another process may
    /// own, such as benchmarks over a prepared data folder. The store must
    /// be at this program's schema version (an older one is migrated by
    /// opening it once with [`SqliteStore::open`]).
    pub fn open_read_only(dir: &Path) -> Result<SqliteStore, StoreError> {
        let path = dir.join(DB_FILE);
        let open_error = |message: String| StoreError::Open {
            path: path.display().to_string(),
            message,
        };
        if !path.is_file() {
            return Err(open_error("no store here".into()));
        }
        let conn = Connection::open_with_flags(
            &path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|e| open_error(e.to_string()))?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(db("setting the busy timeout"))?;
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)
            .map_err(db("fixing query plans"))?;
        let found: i64 = conn
            .query_row(
                "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                [],
                |r| r.get(0),
            )
            .map_err(|e| open_error(format!("not a newsdesk store ({e})")))?;
        let known = MIGRATIONS.last().map(|m| m.0).unwrap_or(0);
        if found > known {
            return Err(StoreError::NewerSchema {
                path: path.display().to_string(),
                found,
                known,
            });
        }
        if found < known {
            return Err(open_error(format!(
                "schema version {found} is older than this program's {known}: \
                 open it once for writing to migrate it"
            )));
        }
        Ok(SqliteStore {
            conn,
            path,
            sealer: None,
        })
    }

    /// A store that lives in memory, for tests.
    pub fn open_in_memory() -> Result<SqliteStore, StoreError> {
        let conn = Connection::open_in_memory().map_err(db("opening an in-memory database"))?;
        Self::init(conn, PathBuf::from(":memory:"))
    }

    fn init(mut conn: Connection, path: PathBuf) -> Result<SqliteStore, StoreError> {
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(db("enabling WAL"))?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(db("setting synchronous"))?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(db("enabling foreign keys"))?;
        conn.busy_timeout(std::time::Duration::from_secs(10))
            .map_err(db("setting the busy timeout"))?;
        // Plans never depend on bound values. Without this, SQLite (built
        // with STAT4) re-prepares a cached statement on every new binding
        // of a parameter that might sway the plan (a bound LIMIT, a value
        // compared with a constant): measured at 15% of a topic page.
        conn.set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)
            .map_err(db("fixing query plans"))?;
        migrate(&mut conn, &path)?;
        Ok(SqliteStore {
            conn,
            path,
            sealer: None,
        })
    }

    /// From now on, every full text this store writes is sealed with
    /// `sealer` and every sealed one it reads is opened. Deleted content is
    /// overwritten (`secure_delete`), so replaced clear text does not linger
    /// in free pages.
    fn set_sealer_inner(
        &mut self,
        sealer: std::sync::Arc<dyn TextSealer>,
    ) -> Result<(), StoreError> {
        self.conn
            .pragma_update(None, "secure_delete", "ON")
            .map_err(db("enabling secure_delete"))?;
        self.sealer = Some(sealer);
        Ok(())
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl StoreInfo for SqliteStore {
    fn location(&self) -> String {
        self.path.display().to_string()
    }

    /// SQLite's `data_version` for this connection: it changes whenever
    /// another connection has committed since the last call.
    fn data_version(&self) -> Result<i64, StoreError> {
        self.conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))
            .map_err(db("reading the data version"))
    }
}

fn migrate(conn: &mut Connection, path: &Path) -> Result<(), StoreError> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)",
    )
    .map_err(db("creating the migrations table"))?;
    let current: i64 = conn
        .query_row(
            "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
            [],
            |r| r.get(0),
        )
        .map_err(db("reading the schema version"))?;
    let known = MIGRATIONS.last().map(|m| m.0).unwrap_or(0);
    if current > known {
        return Err(StoreError::NewerSchema {
            path: path.display().to_string(),
            found: current,
            known,
        });
    }
    // Every known migration not yet recorded, in order (not only those above
    // the highest: migrations numbered apart may land in either order).
    let applied: std::collections::HashSet<i64> = conn
        .prepare("SELECT version FROM schema_migrations")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .map_err(db("reading the applied migrations"))?;
    for (version, sql) in MIGRATIONS.iter().filter(|m| !applied.contains(&m.0)) {
        let tx = conn.transaction().map_err(db("starting a migration"))?;
        tx.execute_batch(sql).map_err(db("applying a migration"))?;
        tx.execute(
            "INSERT INTO schema_migrations (version, applied_at) VALUES (?1, ?2)",
            params![version, ts(&Utc::now())],
        )
        .map_err(db("recording a migration"))?;
        tx.commit().map_err(db("committing a migration"))?;
    }
    Ok(())
}

impl Store for SqliteStore {
    fn ingest(&mut self, batch: &Batch, now: DateTime<Utc>) -> Result<BatchReport, StoreError> {
        // Identities are checked before the transaction opens, so a bad
        // article fails the batch without touching the database.
        for a in &batch.articles {
            if a.identity_key().is_none() {
                return Err(StoreError::NoIdentity {
                    title: a.title.clone(),
                });
            }
        }
        let now_s = ts(&now);
        let sealer = self.sealer.clone();
        let sealer = sealer.as_deref();
        let tx = self.conn.transaction().map_err(db("starting a batch"))?;
        let source_id = upsert_source(&tx, batch, &now_s)?;
        let mut report = BatchReport::default();
        // An article named twice in one batch (a feed listing a story and
        // its correction under one GUID) is stored once: the last version,
        // dated by the first publication.
        let mut last: HashMap<String, usize> = HashMap::new();
        let mut first_date: HashMap<String, DateTime<Utc>> = HashMap::new();
        for (i, a) in batch.articles.iter().enumerate() {
            let key = a.identity_key().unwrap_or_default();
            if let Some(d) = a.published_at {
                let e = first_date.entry(key.clone()).or_insert(d);
                *e = (*e).min(d);
            }
            last.insert(key, i);
        }
        let mut repeats = Vec::new();
        let mut merged;
        for (i, a) in batch.articles.iter().enumerate() {
            let identity = a.identity_key().unwrap_or_default();
            if last.get(&identity) != Some(&i) {
                repeats.push(identity);
                continue;
            }
            let a = match first_date.get(&identity) {
                Some(d) if a.published_at != Some(*d) => {
                    merged = a.clone();
                    merged.published_at = Some(*d);
                    &merged
                }
                _ => a,
            };
            let hash = content_hash(a);
            let existing = find_existing(&tx, &identity, source_id, a.origin.guid.as_deref())?;
            let (id, outcome) = match existing {
                None => (
                    insert(&tx, sealer, a, &identity, source_id, false, &hash, &now_s)?,
                    Outcome::Stored,
                ),
                Some(e) if e.stub => {
                    update(&tx, sealer, e.id, a, &identity, source_id, &hash, &now_s)?;
                    (e.id, Outcome::Stored)
                }
                Some(e) if e.hash == hash => (e.id, Outcome::Unchanged),
                Some(e) => {
                    update(&tx, sealer, e.id, a, &identity, source_id, &hash, &now_s)?;
                    (e.id, Outcome::Updated)
                }
            };
            if outcome != Outcome::Unchanged {
                let mut related = Vec::with_capacity(a.related.len());
                for r in &a.related {
                    let Some(rid) = r.identity_key() else {
                        continue;
                    };
                    let rhash = content_hash(r);
                    let rid = match find_existing(&tx, &rid, source_id, None)? {
                        None => {
                            report.related_stored += 1;
                            let id = insert(&tx, sealer, r, &rid, source_id, true, &rhash, &now_s)?;
                            report.related_touched.push(id);
                            id
                        }
                        Some(e) if e.stub => {
                            fill_stub(&tx, sealer, e.id, &rid, r)?;
                            report.related_touched.push(e.id);
                            e.id
                        }
                        Some(e) => e.id,
                    };
                    related.push(rid);
                }
                link_related(&tx, id, &related)?;
            }
            report.outcomes.push((id, outcome));
        }
        for identity in repeats {
            if let Some(e) = find_existing(&tx, &identity, source_id, None)? {
                report.outcomes.push((e.id, Outcome::Unchanged));
            }
        }
        tx.commit().map_err(db("committing a batch"))?;
        Ok(report)
    }

    fn add_sources(
        &mut self,
        sources: &[SourceInfo],
        now: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        let now = ts(&now);
        let tx = self
            .conn
            .transaction()
            .map_err(db("starting to add sources"))?;
        let mut added = 0;
        {
            let mut ins = tx
                .prepare_cached(
                    "INSERT INTO sources (locator, kind, title, first_seen) VALUES (?1, ?2, ?3, ?4) \
                     ON CONFLICT (locator) DO NOTHING",
                )
                .map_err(db("adding a source"))?;
            for s in sources {
                added += ins
                    .execute(params![s.locator, s.kind, s.title, now])
                    .map_err(db("adding a source"))?;
            }
        }
        tx.commit().map_err(db("committing sources"))?;
        Ok(added)
    }

    fn follow_source(
        &mut self,
        source: &SourceInfo,
        now: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let tx = self
            .conn
            .transaction()
            .map_err(db("starting to follow a source"))?;
        let was: Option<i64> = tx
            .query_row(
                "SELECT active FROM sources WHERE locator = ?1",
                [&source.locator],
                |r| r.get(0),
            )
            .optional()
            .map_err(db("reading a source"))?;
        tx.execute(
            "INSERT INTO sources (locator, kind, title, first_seen, active) VALUES (?1, ?2, ?3, ?4, 1) \
             ON CONFLICT (locator) DO UPDATE SET active = 1, title = COALESCE(excluded.title, sources.title)",
            params![source.locator, source.kind, source.title, ts(&now)],
        )
        .map_err(db("following a source"))?;
        tx.commit().map_err(db("committing a followed source"))?;
        Ok(was != Some(1))
    }

    fn unfollow_source(&mut self, locator: &str) -> Result<bool, StoreError> {
        let n = self
            .conn
            .execute(
                "UPDATE sources SET active = 0 WHERE locator = ?1 AND active = 1",
                [locator],
            )
            .map_err(db("unfollowing a source"))?;
        Ok(n > 0)
    }

    fn followed_sources(&self) -> Result<Vec<FollowedSource>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT locator, kind, title, first_seen, last_ingested, health, next_poll \
                 FROM sources WHERE active = 1 ORDER BY locator",
            )
            .map_err(db("listing followed sources"))?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, Option<String>>(6)?,
                ))
            })
            .map_err(db("listing followed sources"))?;
        let mut out = Vec::new();
        for row in rows {
            let (locator, kind, title, first_seen, last_ingested, health, next_poll) =
                row.map_err(db("listing followed sources"))?;
            let time = |column: &'static str, v: &str| {
                DateTime::parse_from_rfc3339(v)
                    .map(|d| d.with_timezone(&Utc))
                    .map_err(|e| StoreError::CorruptSource {
                        locator: locator.clone(),
                        column,
                        message: format!("expected an RFC 3339 time, found `{v}`: {e}"),
                    })
            };
            out.push(FollowedSource {
                first_seen: time("first_seen", &first_seen)?,
                last_ingested: last_ingested
                    .as_deref()
                    .map(|v| time("last_ingested", v))
                    .transpose()?,
                next_poll: next_poll
                    .as_deref()
                    .map(|v| time("next_poll", v))
                    .transpose()?,
                locator,
                kind,
                title,
                health,
            });
        }
        Ok(out)
    }

    fn record_poll(&mut self, locator: &str, poll: &PollRecord) -> Result<(), StoreError> {
        let n = self
            .conn
            .execute(
                "UPDATE sources SET health = ?2, next_poll = ?3, etag = ?4, last_modified = ?5, \
                 last_status = ?6, last_error = ?7 WHERE locator = ?1",
                params![
                    locator,
                    poll.health,
                    poll.next_poll.as_ref().map(ts),
                    poll.etag,
                    poll.last_modified,
                    poll.last_status,
                    poll.last_error
                ],
            )
            .map_err(db("recording a poll"))?;
        if n == 0 {
            return Err(StoreError::NoSource {
                locator: locator.to_string(),
            });
        }
        Ok(())
    }

    fn move_source(&mut self, from: &str, to: &str) -> Result<(), StoreError> {
        if from == to {
            return Ok(());
        }
        let tx = self
            .conn
            .transaction()
            .map_err(db("starting to move a source"))?;
        let taken: Option<i64> = tx
            .query_row("SELECT id FROM sources WHERE locator = ?1", [to], |r| {
                r.get(0)
            })
            .optional()
            .map_err(db("reading a source"))?;
        let n = match taken {
            None => tx.execute(
                "UPDATE sources SET locator = ?2 WHERE locator = ?1",
                params![from, to],
            ),
            Some(_) => tx
                .execute(
                    "UPDATE sources SET active = 1, \
                     health = COALESCE(health, (SELECT health FROM sources WHERE locator = ?1)) \
                     WHERE locator = ?2",
                    params![from, to],
                )
                .and_then(|_| {
                    tx.execute("UPDATE sources SET active = 0 WHERE locator = ?1", [from])
                }),
        }
        .map_err(db("moving a source"))?;
        if n == 0 {
            return Err(StoreError::NoSource {
                locator: from.to_string(),
            });
        }
        tx.commit().map_err(db("committing a moved source"))
    }

    fn find_entry(
        &self,
        source: &str,
        identity: &str,
        guid: Option<&str>,
    ) -> Result<Option<ArticleId>, StoreError> {
        if let Some(id) = self.find(identity)? {
            return Ok(Some(id));
        }
        let Some(guid) = guid else { return Ok(None) };
        self.conn
            .prepare_cached(
                "SELECT a.id FROM articles a JOIN sources s ON s.id = a.source_id \
                 WHERE s.locator = ?1 AND a.guid = ?2 LIMIT 1",
            )
            .and_then(|mut s| s.query_row([source, guid], |r| r.get(0)).optional())
            .map_err(db("finding a feed entry"))
    }

    fn article(&self, id: ArticleId) -> Result<Option<StoredArticle>, StoreError> {
        let sql = format!("SELECT {SELECT_COLUMNS} FROM {FROM_ARTICLES} WHERE a.id = ?1");
        let mut stmt = self
            .conn
            .prepare_cached(&sql)
            .map_err(db("reading an article"))?;
        let row = stmt
            .query_row([id], read_row)
            .optional()
            .map_err(db("reading an article"))?;
        match row {
            None => Ok(None),
            Some(r) => Ok(Some(self.finish(r?)?)),
        }
    }

    fn articles_after(
        &self,
        after: ArticleId,
        limit: usize,
    ) -> Result<Vec<StoredArticle>, StoreError> {
        let sql = format!(
            "SELECT {SELECT_COLUMNS} FROM {FROM_ARTICLES} WHERE a.id > ?1 ORDER BY a.id LIMIT ?2"
        );
        self.list(&sql, params![after, limit as i64], "listing articles")
    }

    fn find(&self, identity: &str) -> Result<Option<ArticleId>, StoreError> {
        self.conn
            .prepare_cached("SELECT id FROM articles WHERE identity = ?1")
            .and_then(|mut s| s.query_row([identity], |r| r.get(0)).optional())
            .map_err(db("finding an article"))
    }

    fn stats(&self) -> Result<Stats, StoreError> {
        let count = |sql: &str| -> Result<u64, StoreError> {
            self.conn
                .query_row(sql, [], |r| r.get::<_, i64>(0))
                .map(|n| n as u64)
                .map_err(db("counting"))
        };
        let groups = |sql: &str| -> Result<Vec<(String, u64)>, StoreError> {
            let mut stmt = self.conn.prepare(sql).map_err(db("grouping"))?;
            let rows = stmt
                .query_map([], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)? as u64))
                })
                .map_err(db("grouping"))?;
            rows.collect::<Result<Vec<_>, _>>().map_err(db("grouping"))
        };
        Ok(Stats {
            articles: count("SELECT COUNT(*) FROM articles")?,
            stubs: count("SELECT COUNT(*) FROM articles WHERE stub = 1")?,
            sources: count("SELECT COUNT(*) FROM sources")?,
            by_source: groups(
                "SELECT s.locator, COUNT(*) FROM articles a JOIN sources s ON s.id = a.source_id \
                 WHERE a.stub = 0 GROUP BY s.locator ORDER BY COUNT(*) DESC, s.locator",
            )?,
            by_provider: groups(
                "SELECT COALESCE(provider_domain, 'unknown'), COUNT(*) FROM articles \
                 GROUP BY 1 ORDER BY 2 DESC, 1",
            )?,
            by_day: groups(
                "SELECT COALESCE(substr(published_at, 1, 10), 'unknown'), COUNT(*) FROM articles \
                 GROUP BY 1 ORDER BY 1",
            )?,
        })
    }

    fn schema_version(&self) -> Result<i64, StoreError> {
        self.conn
            .query_row(
                "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
                [],
                |r| r.get(0),
            )
            .map_err(db("reading the schema version"))
    }

    fn unanalysed(
        &self,
        version: i64,
        after: ArticleId,
        limit: usize,
    ) -> Result<Vec<StoredArticle>, StoreError> {
        let sql = format!(
            "SELECT {SELECT_COLUMNS} FROM {FROM_ARTICLES} \
             WHERE a.id > ?1 AND (x.article_id IS NULL OR x.version <> ?2) ORDER BY a.id LIMIT ?3"
        );
        self.list(
            &sql,
            params![after, version, limit as i64],
            "listing unanalysed articles",
        )
    }

    fn analyses_after(
        &self,
        version: i64,
        after: ArticleId,
        limit: usize,
    ) -> Result<Vec<AnalysisRecord>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT x.article_id, x.version, x.signature, x.terms, x.time, x.credibility, x.provider, \
                 a.story_id, a.duplicate_of, x.reason FROM article_analysis x JOIN articles a ON a.id = x.article_id \
                 WHERE x.article_id > ?1 AND x.version = ?2 ORDER BY x.article_id LIMIT ?3",
            )
            .map_err(db("reading analyses"))?;
        let rows = stmt
            .query_map(params![after, version, limit as i64], |r| {
                Ok(AnalysisRecord {
                    id: r.get(0)?,
                    version: r.get(1)?,
                    signature: r.get(2)?,
                    terms: r.get(3)?,
                    time: r.get(4)?,
                    credibility: r.get(5)?,
                    provider: r.get(6)?,
                    story: r.get::<_, Option<i64>>(7)?.unwrap_or(0),
                    duplicate_of: r.get(8)?,
                    reason: r.get(9)?,
                    similar: Vec::new(),
                })
            })
            .map_err(db("reading analyses"))?;
        rows.collect::<Result<Vec<_>, _>>()
            .map_err(db("reading analyses"))
    }

    fn apply_analysis(
        &mut self,
        records: &[AnalysisRecord],
        changes: &[Placement],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let now_s = ts(&now);
        let tx = self
            .conn
            .transaction()
            .map_err(db("starting an analysis batch"))?;
        {
            let mut place = tx
                .prepare_cached(PLACE_SQL)
                .map_err(db("placing an article"))?;
            let mut save = tx
                .prepare_cached(
                    "INSERT INTO article_analysis (article_id, version, signature, terms, time, credibility, \
                     provider, reason, analysed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) \
                     ON CONFLICT (article_id) DO UPDATE SET version = excluded.version, \
                     signature = excluded.signature, terms = excluded.terms, time = excluded.time, \
                     credibility = excluded.credibility, provider = excluded.provider, \
                     reason = excluded.reason, analysed_at = excluded.analysed_at",
                )
                .map_err(db("saving an analysis"))?;
            let mut unlink = tx
                .prepare_cached("DELETE FROM article_links WHERE from_id = ?1 AND kind = 'similar'")
                .map_err(db("replacing similar links"))?;
            let mut link = tx
                .prepare_cached(
                    "INSERT INTO article_links (from_id, to_id, kind, position) VALUES (?1, ?2, 'similar', ?3) \
                     ON CONFLICT DO NOTHING",
                )
                .map_err(db("linking similar articles"))?;
            for r in records {
                place
                    .execute(params![r.id, r.story, r.duplicate_of])
                    .map_err(db("placing an article"))?;
                forget_decision(&tx, r.id)?;
                save.execute(params![
                    r.id,
                    r.version,
                    r.signature,
                    r.terms,
                    r.time,
                    r.credibility,
                    r.provider,
                    r.reason,
                    now_s
                ])
                .map_err(db("saving an analysis"))?;
                unlink
                    .execute([r.id])
                    .map_err(db("replacing similar links"))?;
                for (pos, to) in r.similar.iter().enumerate() {
                    if *to != r.id {
                        link.execute(params![r.id, to, pos as i64])
                            .map_err(db("linking similar articles"))?;
                    }
                }
            }
            let mut explain = tx
                .prepare_cached("UPDATE article_analysis SET reason = ?2, analysed_at = ?3 WHERE article_id = ?1")
                .map_err(db("re-placing an article"))?;
            for c in changes {
                place
                    .execute(params![c.id, c.story, c.duplicate_of])
                    .map_err(db("re-placing an article"))?;
                forget_decision(&tx, c.id)?;
                explain
                    .execute(params![c.id, c.reason, now_s])
                    .map_err(db("re-placing an article"))?;
            }
        }
        tx.commit().map_err(db("committing an analysis batch"))
    }

    fn story_members(&self, story: i64, limit: usize) -> Result<Vec<StoryMember>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, provider_domain, duplicate_of, quality, published_at, published FROM articles \
                 WHERE story_id = ?1 \
                 ORDER BY duplicate_of IS NOT NULL, COALESCE(quality, -1) DESC, id LIMIT ?2",
            )
            .map_err(db("listing a story"))?;
        let rows = stmt
            .query_map(params![story, limit as i64], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, Option<i64>>(5)?,
                ))
            })
            .map_err(db("listing a story"))?;
        let mut out = Vec::new();
        for row in rows {
            let (id, provider_domain, duplicate_of, quality, published_at, published) =
                row.map_err(db("listing a story"))?;
            out.push(StoryMember {
                id,
                provider_domain,
                duplicate_of,
                quality,
                published_at: published_at
                    .as_deref()
                    .map(|p| parse_ts(id, "published_at", p))
                    .transpose()?,
                published: published.map(|p| p != 0),
            });
        }
        Ok(out)
    }

    fn undecided(
        &self,
        config: &str,
        after: ArticleId,
        limit: usize,
    ) -> Result<Vec<StoredArticle>, StoreError> {
        let sql = format!(
            "SELECT {SELECT_COLUMNS} FROM {FROM_ARTICLES} \
             WHERE a.id > ?1 AND a.stub = 0 AND x.article_id IS NOT NULL \
             AND (e.article_id IS NULL OR e.config <> ?2) ORDER BY a.id LIMIT ?3"
        );
        self.list(
            &sql,
            params![after, config, limit as i64],
            "listing undecided articles",
        )
    }

    fn apply_editorial(
        &mut self,
        decisions: &[Decision],
        heats: &[StoryHeat],
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let now_s = ts(&now);
        let tx = self
            .conn
            .transaction()
            .map_err(db("starting an editorial batch"))?;
        {
            let mut set = tx
                .prepare_cached(
                    "UPDATE articles SET topics = ?2, quality = ?3, published = ?4, heat = ?5, pinned = ?6 \
                     WHERE id = ?1",
                )
                .map_err(db("deciding an article"))?;
            let mut untopic = tx
                .prepare_cached("DELETE FROM article_topics WHERE article_id = ?1")
                .map_err(db("indexing an article's topics"))?;
            let mut topic = tx
                .prepare_cached(
                    "INSERT INTO article_topics (topic, article_id, published, pinned, heat, published_at) \
                     SELECT ?2, id, ?3, ?4, ?5, COALESCE(published_at, '') FROM articles WHERE id = ?1 \
                     ON CONFLICT DO NOTHING",
                )
                .map_err(db("indexing an article's topics"))?;
            let mut save = tx
                .prepare_cached(
                    "INSERT INTO article_editorial (article_id, config, pinned, detail, decided_at) \
                     VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (article_id) DO UPDATE SET \
                     config = excluded.config, pinned = excluded.pinned, detail = excluded.detail, \
                     decided_at = excluded.decided_at",
                )
                .map_err(db("saving a decision"))?;
            for d in decisions {
                let heat = if d.published { d.heat } else { -1 };
                set.execute(params![
                    d.id,
                    json(&d.topics),
                    d.quality,
                    d.published as i64,
                    heat,
                    d.pinned as i64
                ])
                .map_err(db("deciding an article"))?;
                untopic
                    .execute([d.id])
                    .map_err(db("indexing an article's topics"))?;
                for t in &d.topics {
                    topic
                        .execute(params![d.id, t, d.published as i64, d.pinned as i64, heat])
                        .map_err(db("indexing an article's topics"))?;
                }
                save.execute(params![d.id, d.config, d.pinned as i64, d.detail, now_s])
                    .map_err(db("saving a decision"))?;
            }
            let mut heat = tx
                .prepare_cached(
                    "INSERT INTO story_heat (story_id, heat, detail, newest, computed_at) \
                     VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (story_id) DO UPDATE SET \
                     heat = excluded.heat, detail = excluded.detail, newest = excluded.newest, \
                     computed_at = excluded.computed_at",
                )
                .map_err(db("saving a story's heat"))?;
            let mut spread = tx
                .prepare_cached(
                    "UPDATE articles SET heat = CASE WHEN published = 1 THEN ?2 ELSE -1 END \
                     WHERE story_id = ?1 AND stub = 0",
                )
                .map_err(db("spreading a story's heat"))?;
            let mut spread_topics = tx
                .prepare_cached(
                    "UPDATE article_topics SET heat = CASE WHEN published = 1 THEN ?2 ELSE -1 END \
                     WHERE article_id IN (SELECT id FROM articles WHERE story_id = ?1 AND stub = 0)",
                )
                .map_err(db("spreading a story's heat"))?;
            let mut sample = tx
                .prepare_cached(
                    "INSERT INTO story_heat_history (story_id, slot, at, heat) VALUES (?1, ?2, ?3, ?4) \
                     ON CONFLICT (story_id, slot) DO UPDATE SET at = excluded.at, heat = excluded.heat \
                     WHERE excluded.at >= story_heat_history.at",
                )
                .map_err(db("sampling a story's heat"))?;
            let slot = now.timestamp().div_euclid(crate::HEAT_SAMPLE_WINDOW_SECS);
            for h in heats {
                sample
                    .execute(params![h.story, slot, now_s, h.heat])
                    .map_err(db("sampling a story's heat"))?;
                spread_topics
                    .execute(params![h.story, h.heat])
                    .map_err(db("spreading a story's heat"))?;
                heat.execute(params![
                    h.story,
                    h.heat,
                    h.detail,
                    h.newest.as_ref().map(ts),
                    now_s
                ])
                .map_err(db("saving a story's heat"))?;
                spread
                    .execute(params![h.story, h.heat])
                    .map_err(db("spreading a story's heat"))?;
            }
        }
        tx.commit().map_err(db("committing an editorial batch"))
    }

    fn story_heat(&self, story: i64) -> Result<Option<StoryHeat>, StoreError> {
        let row = self
            .conn
            .prepare_cached("SELECT heat, detail, newest FROM story_heat WHERE story_id = ?1")
            .and_then(|mut s| {
                s.query_row([story], |r| {
                    Ok((
                        r.get::<_, i64>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, Option<String>>(2)?,
                    ))
                })
                .optional()
            })
            .map_err(db("reading a story's heat"))?;
        let Some((heat, detail, newest)) = row else {
            return Ok(None);
        };
        Ok(Some(StoryHeat {
            story,
            heat,
            detail,
            newest: newest
                .as_deref()
                .map(|n| parse_ts(story, "story_heat.newest", n))
                .transpose()?,
        }))
    }

    fn stale_stories(
        &self,
        before: DateTime<Utc>,
        active_since: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<i64>, StoreError> {
        self.conn
            .prepare_cached(
                "SELECT story_id FROM story_heat WHERE computed_at < ?1 AND newest > ?2 \
                 ORDER BY story_id LIMIT ?3",
            )
            .and_then(|mut s| {
                s.query_map(params![ts(&before), ts(&active_since), limit as i64], |r| {
                    r.get(0)
                })?
                .collect()
            })
            .map_err(db("listing stories to re-heat"))
    }

    fn newest_published(&self) -> Result<Option<DateTime<Utc>>, StoreError> {
        let v: Option<String> = self
            .conn
            .query_row(
                "SELECT MAX(published_at) FROM articles WHERE stub = 0",
                [],
                |r| r.get(0),
            )
            .map_err(db("reading the newest publication time"))?;
        v.as_deref()
            .map(|n| parse_ts(0, "published_at", n))
            .transpose()
    }

    fn set_override(
        &mut self,
        id: ArticleId,
        value: Option<&EditorOverride>,
        entry: &AuditEntry,
    ) -> Result<(), StoreError> {
        let tx = self
            .conn
            .transaction()
            .map_err(db("starting an override"))?;
        let exists: Option<i64> = tx
            .query_row("SELECT id FROM articles WHERE id = ?1", [id], |r| r.get(0))
            .optional()
            .map_err(db("finding the article to override"))?;
        if exists.is_none() {
            return Err(StoreError::NoArticle { id });
        }
        match value {
            Some(o) => tx.execute(
                "INSERT INTO overrides (article_id, action, editor, reason, at) VALUES (?1, ?2, ?3, ?4, ?5) \
                 ON CONFLICT (article_id) DO UPDATE SET action = excluded.action, editor = excluded.editor, \
                 reason = excluded.reason, at = excluded.at",
                params![id, o.action.as_str(), o.editor, o.reason, ts(&o.at)],
            ),
            None => tx.execute("DELETE FROM overrides WHERE article_id = ?1", [id]),
        }
        .map_err(db("saving an override"))?;
        forget_decision(&tx, id)?;
        audit(&tx, entry)?;
        tx.commit().map_err(db("committing an override"))
    }

    fn rules(&self) -> Result<Vec<Rule>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, name, action, topic, query, editor, reason, created_at FROM rules ORDER BY id",
            )
            .map_err(db("reading rules"))?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get::<_, String>(7)?,
                ))
            })
            .map_err(db("reading rules"))?;
        let mut out = Vec::new();
        for row in rows {
            let (id, name, action, topic, query, editor, reason, created) =
                row.map_err(db("reading rules"))?;
            out.push(Rule {
                action: RuleAction::parse(&action).ok_or_else(|| StoreError::Corrupt {
                    id,
                    column: "rules.action",
                    message: format!("expected mute or keep, found `{action}`"),
                })?,
                name,
                topic,
                query,
                editor,
                reason,
                created_at: parse_ts(id, "rules.created_at", &created)?,
            });
        }
        Ok(out)
    }

    fn add_rule(&mut self, rule: &Rule, entry: &AuditEntry) -> Result<(), StoreError> {
        let tx = self.conn.transaction().map_err(db("starting a rule"))?;
        let taken: Option<i64> = tx
            .query_row("SELECT id FROM rules WHERE name = ?1", [&rule.name], |r| {
                r.get(0)
            })
            .optional()
            .map_err(db("checking a rule's name"))?;
        if taken.is_some() {
            return Err(StoreError::RuleExists {
                name: rule.name.clone(),
            });
        }
        tx.execute(
            "INSERT INTO rules (name, action, topic, query, editor, reason, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                rule.name,
                rule.action.as_str(),
                rule.topic,
                rule.query,
                rule.editor,
                rule.reason,
                ts(&rule.created_at)
            ],
        )
        .map_err(db("saving a rule"))?;
        audit(&tx, entry)?;
        tx.commit().map_err(db("committing a rule"))
    }

    fn remove_rule(&mut self, name: &str, entry: &AuditEntry) -> Result<bool, StoreError> {
        let tx = self
            .conn
            .transaction()
            .map_err(db("starting to remove a rule"))?;
        let n = tx
            .execute("DELETE FROM rules WHERE name = ?1", [name])
            .map_err(db("removing a rule"))?;
        if n > 0 {
            audit(&tx, entry)?;
        }
        tx.commit().map_err(db("committing a rule's removal"))?;
        Ok(n > 0)
    }

    fn audit_log(
        &self,
        article: Option<ArticleId>,
        limit: usize,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT id, at, editor, action, article_id, target, reason FROM audit \
                 WHERE ?1 IS NULL OR article_id = ?1 ORDER BY id DESC LIMIT ?2",
            )
            .map_err(db("reading the audit log"))?;
        let rows = stmt
            .query_map(params![article, limit as i64], |r| {
                Ok((
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ))
            })
            .map_err(db("reading the audit log"))?;
        let mut out = Vec::new();
        for row in rows {
            let (id, at, editor, action, article, target, reason) =
                row.map_err(db("reading the audit log"))?;
            out.push(AuditEntry {
                at: parse_ts(id, "audit.at", &at)?,
                editor,
                action,
                article,
                target,
                reason,
            });
        }
        Ok(out)
    }
}

/// Sets an article's story and original. A copy is not published and has
/// heat -1; an article that stops being a copy goes back to undecided (the
/// right-hand sides read the row's values before the update).
const PLACE_SQL: &str = "UPDATE articles SET story_id = ?2, duplicate_of = ?3, \
     published = CASE WHEN ?3 IS NOT NULL THEN 0 WHEN duplicate_of IS NOT NULL THEN NULL ELSE published END, \
     heat = CASE WHEN ?3 IS NOT NULL THEN -1 WHEN duplicate_of IS NOT NULL THEN NULL ELSE heat END \
     WHERE id = ?1";
