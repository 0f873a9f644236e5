//! The SQLite backend: the conformance suite, plus what only a file can show.

use chrono::{TimeZone, Utc};
use newsdesk_store::conformance::{run_all, sample};
use newsdesk_store::prelude::*;
use newsdesk_store::{Batch, SourceInfo, SqliteStore, Store, StoreError};

#[test]
fn sqlite_passes_the_conformance_suite() {
    run_all(&mut || Box::new(SqliteStore::open_in_memory().unwrap()));
}

#[test]
fn sqlite_file_store_passes_the_conformance_suite() {
    let dirs: Vec<tempfile::TempDir> = Vec::new();
    let dirs = std::cell::RefCell::new(dirs);
    run_all(&mut || {
        let d = tempfile::tempdir().unwrap();
        let s = SqliteStore::open(d.path()).unwrap();
        dirs.borrow_mut().push(d);
        Box::new(s)
    });
}

fn batch(titles: &[&str]) -> Batch {
    Batch {
        source: SourceInfo {
            locator: "in.xml".into(),
            kind: "rss".into(),
            title: None,
        },
        articles: titles
            .iter()
            .map(|t| sample(&format!("https://x.test/{t}"), t))
            .collect(),
    }
}

#[test]
fn a_failure_inside_the_transaction_leaves_the_store_as_before() {
    let dir = tempfile::tempdir().unwrap();
    let now = Utc.with_ymd_and_hms(2021, 1, 1, 0, 0, 0).unwrap();
    {
        let mut s = SqliteStore::open(dir.path()).unwrap();
        s.ingest(&batch(&["first"]), now).unwrap();
    }
    // Make the database itself refuse the third article of the next batch,
    // after two have been written inside the transaction.
    let conn = rusqlite::Connection::open(dir.path().join("newsdesk.sqlite3")).unwrap();
    conn.execute_batch(
        "CREATE TRIGGER refuse BEFORE INSERT ON articles WHEN NEW.title = 'boom' \
         BEGIN SELECT RAISE(ABORT, 'injected failure'); END;",
    )
    .unwrap();
    drop(conn);
    let mut s = SqliteStore::open(dir.path()).unwrap();
    let err = s.ingest(&batch(&["a", "b", "boom", "c"]), now).unwrap_err();
    assert!(matches!(err, StoreError::Backend { .. }), "{err}");
    assert!(err.to_string().contains("injected failure"), "{err}");
    let st = s.stats().unwrap();
    assert_eq!(st.articles, 1, "only the earlier batch is there");
    assert_eq!(s.find("url:https://x.test/a").unwrap(), None);
}

#[test]
fn a_store_from_a_newer_version_is_refused_not_damaged() {
    let dir = tempfile::tempdir().unwrap();
    drop(SqliteStore::open(dir.path()).unwrap());
    let conn = rusqlite::Connection::open(dir.path().join("newsdesk.sqlite3")).unwrap();
    conn.execute(
        "INSERT INTO schema_migrations VALUES (99, '2030-01-01T00:00:00Z')",
        [],
    )
    .unwrap();
    drop(conn);
    let err = SqliteStore::open(dir.path()).err().expect("refused");
    assert!(
        matches!(err, StoreError::NewerSchema { found: 99, .. }),
        "{err}"
    );
}

#[test]
fn a_read_only_store_reads_and_refuses_every_write() {
    let dir = tempfile::tempdir().unwrap();
    let now = Utc.with_ymd_and_hms(2021, 1, 1, 0, 0, 0).unwrap();
    let missing = dir.path().join("nothing");
    assert!(SqliteStore::open_read_only(&missing).is_err());
    assert!(!missing.exists(), "opening read-only creates nothing");
    {
        let mut s = SqliteStore::open(dir.path()).unwrap();
        s.ingest(&batch(&["a", "b"]), now).unwrap();
    }
    let db = dir.path().join("newsdesk.sqlite3");
    let before = std::fs::read(&db).unwrap();
    let mut s = SqliteStore::open_read_only(dir.path()).unwrap();
    assert_eq!(s.stats().unwrap().articles, 2);
    let docs: Vec<_> = s.all_search_docs().collect::<Result<_, _>>().unwrap();
    assert_eq!(docs.len(), 2);
    assert!(s.search_outbox_done(i64::MAX).is_err(), "writes fail");
    assert!(s.ingest(&batch(&["c"]), now).is_err(), "writes fail");
    drop(s);
    assert_eq!(std::fs::read(&db).unwrap(), before, "the file is unchanged");

    // Another version's store is refused, as by `open`.
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.execute(
        "INSERT INTO schema_migrations VALUES (99, '2030-01-01T00:00:00Z')",
        [],
    )
    .unwrap();
    drop(conn);
    let err = SqliteStore::open_read_only(dir.path())
        .err()
        .expect("refused");
    assert!(
        matches!(err, StoreError::NewerSchema { found: 99, .. }),
        "{err}"
    );
}

#[test]
fn reopening_keeps_everything_and_uses_wal() {
    let dir = tempfile::tempdir().unwrap();
    let now = Utc.with_ymd_and_hms(2021, 1, 1, 0, 0, 0).unwrap();
    {
        let mut s = SqliteStore::open(dir.path()).unwrap();
        s.ingest(&batch(&["a", "b"]), now).unwrap();
    }
    let s = SqliteStore::open(dir.path()).unwrap();
    assert_eq!(s.stats().unwrap().articles, 2);
    assert_eq!(s.schema_version().unwrap(), 7);
    let conn = rusqlite::Connection::open(dir.path().join("newsdesk.sqlite3")).unwrap();
    let mode: String = conn
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn a_version_2_store_is_upgraded_and_keeps_what_its_records_gave() {
    let dir = tempfile::tempdir().unwrap();
    {
        let conn = rusqlite::Connection::open(dir.path().join("newsdesk.sqlite3")).unwrap();
        conn.execute_batch(include_str!("../../migrations/sqlite/0001_init.sql"))
            .unwrap();
        conn.execute_batch(include_str!("../../migrations/sqlite/0002_analysis.sql"))
            .unwrap();
        conn.execute_batch(
            "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);
             INSERT INTO schema_migrations VALUES (1, '2026-11-01T00:00:00Z'), (2, '2026-11-02T00:00:00Z');
             INSERT INTO articles (identity, format, title, quality, heat, published, topics, images,
                 content_hash, first_seen, updated_at)
             VALUES ('url:https://x.test/a', 'document', 'A', 76, 79, 1, '[\"AWS AI\",\"AI\"]', '[]',
                 'h', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z'),
                    ('url:https://x.test/b', 'rss', 'B', NULL, NULL, NULL, '[]', '[]',
                 'h', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z');",
        )
        .unwrap();
    }
    let s = SqliteStore::open(dir.path()).unwrap();
    assert_eq!(s.schema_version().unwrap(), 7);
    let a = s.article(1).unwrap().unwrap();
    assert_eq!(a.given.quality, Some(76));
    assert_eq!(a.given.heat, Some(79));
    assert_eq!(a.given.published, Some(true));
    assert_eq!(a.given.topics, vec!["AWS AI", "AI"]);
    let b = s.article(2).unwrap().unwrap();
    assert_eq!(b.given, newsdesk_store::Given::default());
    // Topic pages are indexed from what the records carried.
    let page = s
        .query_articles(&newsdesk_store::ArticleQuery {
            topic: Some("AWS AI".into()),
            published: Some(true),
            limit: 10,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(page.articles.len(), 1);
    assert_eq!(page.articles[0].id, 1);
}

#[test]
fn a_version_3_store_is_upgraded_and_its_sources_are_not_followed_until_asked() {
    let dir = tempfile::tempdir().unwrap();
    {
        let conn = rusqlite::Connection::open(dir.path().join("newsdesk.sqlite3")).unwrap();
        for sql in [
            include_str!("../../migrations/sqlite/0001_init.sql"),
            include_str!("../../migrations/sqlite/0002_analysis.sql"),
            include_str!("../../migrations/sqlite/0003_editorial.sql"),
        ] {
            conn.execute_batch(sql).unwrap();
        }
        conn.execute_batch(
            "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);
             INSERT INTO schema_migrations VALUES (1, '2026-11-01T00:00:00Z'), (2, '2026-11-02T00:00:00Z'),
                 (3, '2026-11-03T00:00:00Z');
             INSERT INTO sources (locator, kind, title, first_seen)
             VALUES ('https://a.test/feed', 'subscription', 'A', '2026-11-01T00:00:00Z');",
        )
        .unwrap();
    }
    let mut s = SqliteStore::open(dir.path()).unwrap();
    assert_eq!(s.schema_version().unwrap(), 7);
    assert!(s.followed_sources().unwrap().is_empty());
    let source = SourceInfo {
        locator: "https://a.test/feed".into(),
        kind: "subscription".into(),
        title: None,
    };
    assert!(s.follow_source(&source, Utc::now()).unwrap());
    let list = s.followed_sources().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].title.as_deref(), Some("A"));
    assert_eq!(
        list[0].first_seen,
        Utc.with_ymd_and_hms(2026, 11, 1, 0, 0, 0).unwrap()
    );
}
