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
    assert_eq!(s.schema_version().unwrap(), 8);
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
    assert_eq!(s.schema_version().unwrap(), 8);
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
    assert_eq!(s.schema_version().unwrap(), 8);
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

/// Every row of every table, as text, sorted (to compare a store before and
/// after a migration).
fn dump(conn: &rusqlite::Connection, tables: &[String]) -> Vec<(String, Vec<String>)> {
    tables
        .iter()
        .map(|t| {
            let mut stmt = conn.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
            let n = stmt.column_count();
            let mut rows: Vec<String> = stmt
                .query_map([], |r| {
                    (0..n)
                        .map(|i| {
                            r.get::<_, rusqlite::types::Value>(i)
                                .map(|v| format!("{v:?}"))
                        })
                        .collect::<rusqlite::Result<Vec<_>>>()
                        .map(|v| v.join("|"))
                })
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            rows.sort();
            (t.clone(), rows)
        })
        .collect()
}

#[test]
fn a_version_7_store_is_upgraded_without_losing_anything_and_starts_its_heat_history() {
    use newsdesk_store::{HeatSample, NewWebSession, SavedSearch, SearchFilters, SourceDayCount};
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("newsdesk.sqlite3");
    let tables: Vec<String>;
    let before;
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        for sql in [
            include_str!("../../migrations/sqlite/0001_init.sql"),
            include_str!("../../migrations/sqlite/0002_analysis.sql"),
            include_str!("../../migrations/sqlite/0003_editorial.sql"),
            include_str!("../../migrations/sqlite/0004_sources.sql"),
            include_str!("../../migrations/sqlite/0005_topic_pages.sql"),
            include_str!("../../migrations/sqlite/0006_search_outbox.sql"),
            include_str!("../../migrations/sqlite/0007_api_keys.sql"),
        ] {
            conn.execute_batch(sql).unwrap();
        }
        conn.execute_batch(
            "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);
             INSERT INTO schema_migrations VALUES (1, 'x'), (2, 'x'), (3, 'x'), (4, 'x'), (5, 'x'),
                 (6, 'x'), (7, '2026-12-01T00:00:00Z');
             INSERT INTO sources (locator, kind, title, first_seen, active, health)
             VALUES ('https://a.test/feed', 'rss', 'A', '2026-11-01T00:00:00Z', 1, '{\"consecutive_errors\":0}');
             INSERT INTO articles (identity, source_id, format, title, published_at, quality, heat,
                 published, topics, images, content_hash, first_seen, updated_at, story_id, given)
             VALUES ('url:https://a.test/1', 1, 'rss', 'One', '2026-11-30T08:00:00Z', 70, 40, 1,
                     '[\"AI\"]', '[]', 'h1', '2026-11-30T09:00:00Z', '2026-11-30T09:00:00Z', 7, '{}'),
                    ('url:https://a.test/2', 1, 'rss', 'Two', '2026-11-30T10:00:00Z', 30, -1, 0,
                     '[]', '[]', 'h2', '2026-11-30T11:00:00Z', '2026-11-30T11:00:00Z', 8, '{}');
             INSERT INTO story_heat (story_id, heat, detail, newest, computed_at)
             VALUES (7, 40, '{}', '2026-11-30T08:00:00Z', '2026-11-30T12:34:56Z'),
                    (8, 3, '{}', '2026-11-30T10:00:00Z', '2026-11-30T12:00:00Z');
             INSERT INTO article_editorial (article_id, config, pinned, detail, decided_at)
             VALUES (1, 'c', 0, '{}', '2026-11-30T12:34:56Z');
             INSERT INTO rules (name, action, query, editor, created_at)
             VALUES ('no-pr', 'mute', 'press release', 'alice', '2026-11-01T00:00:00Z');
             INSERT INTO audit (at, editor, action, target)
             VALUES ('2026-11-01T00:00:00Z', 'alice', 'rule add', 'rule no-pr');
             INSERT INTO api_keys (id, name, secret_hash, role, created)
             VALUES ('00112233aabbccdd', 'ed', 'sha256:00', 'editor', '2026-11-01T00:00:00Z');
             INSERT INTO desk_settings (name, value) VALUES ('sealed', 'false');",
        )
        .unwrap();
        tables = conn
            .prepare(
                "SELECT name FROM sqlite_master WHERE type = 'table' \
                 AND name NOT LIKE 'sqlite_%' ORDER BY name",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert!(tables.len() >= 12, "{tables:?}");
        before = dump(&conn, &tables);
    }

    let mut s = SqliteStore::open(dir.path()).unwrap();
    assert_eq!(s.schema_version().unwrap(), 8);
    {
        let conn = rusqlite::Connection::open(&db).unwrap();
        let after = dump(&conn, &tables);
        // Every old row is there as it was; only the new migration's row
        // joins `schema_migrations`.
        for ((table, old), (_, new)) in before.iter().zip(&after) {
            if table == "schema_migrations" {
                assert_eq!(new.len(), old.len() + 1);
                assert!(old.iter().all(|r| new.contains(r)));
            } else {
                assert_eq!(old, new, "table {table}");
            }
        }
    }
    // Each story's history starts with its heat as last computed.
    let at = |s: &str| chrono::DateTime::parse_from_rfc3339(s).unwrap().to_utc();
    assert_eq!(
        s.story_heat_history(7, 10).unwrap(),
        vec![HeatSample {
            story: 7,
            at: at("2026-11-30T12:34:56Z"),
            heat: 40
        }]
    );
    assert_eq!(s.story_heat_history(8, 10).unwrap().len(), 1);
    // A heat in that window replaces the sample, a later one adds to it.
    let heat = |h: i64| newsdesk_store::StoryHeat {
        story: 7,
        heat: h,
        detail: "{}".into(),
        newest: None,
    };
    s.apply_editorial(&[], &[heat(41)], at("2026-11-30T12:38:00Z"))
        .unwrap();
    s.apply_editorial(&[], &[heat(35)], at("2026-11-30T13:38:00Z"))
        .unwrap();
    assert_eq!(
        s.story_heat_history(7, 10)
            .unwrap()
            .iter()
            .map(|h| h.heat)
            .collect::<Vec<_>>(),
        vec![41, 35]
    );
    // The old data serves the new pages: its key signs in, its articles
    // are counted, searches can be saved.
    let (token, _) = s
        .create_web_session(&NewWebSession {
            api_key_id: "00112233aabbccdd".into(),
            role: "editor".into(),
            created: at("2026-12-07T20:00:00Z"),
            expires: at("2026-12-07T21:00:00Z"),
        })
        .unwrap();
    assert!(s
        .web_session(token.as_str(), at("2026-12-07T20:30:00Z"))
        .unwrap()
        .is_some());
    let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 11, d).unwrap();
    assert_eq!(
        s.source_daily_counts(day(1), day(30)).unwrap(),
        vec![SourceDayCount {
            source: "https://a.test/feed".into(),
            day: day(30),
            articles: 2
        }]
    );
    let search = SavedSearch::new("AI", "ai", SearchFilters::default(), None, Utc::now());
    s.add_saved_search(&search).unwrap();
    assert_eq!(s.rules().unwrap().len(), 1);
    assert_eq!(s.followed_sources().unwrap().len(), 1);
    // The story's published article carries its heat as last computed.
    assert_eq!(s.article(1).unwrap().unwrap().article.heat, Some(35));
}

#[test]
fn a_failed_editorial_batch_leaves_no_heat_sample() {
    let dir = tempfile::tempdir().unwrap();
    let now = Utc.with_ymd_and_hms(2021, 1, 1, 0, 0, 0).unwrap();
    let heat = |h: i64| newsdesk_store::StoryHeat {
        story: 5,
        heat: h,
        detail: "{}".into(),
        newest: None,
    };
    {
        let mut s = SqliteStore::open(dir.path()).unwrap();
        s.apply_editorial(&[], &[heat(10)], now).unwrap();
    }
    // The story's heat itself is refused after its sample was written.
    let conn = rusqlite::Connection::open(dir.path().join("newsdesk.sqlite3")).unwrap();
    conn.execute_batch(
        "CREATE TRIGGER refuse BEFORE UPDATE ON story_heat WHEN NEW.heat = 66 \
         BEGIN SELECT RAISE(ABORT, 'injected failure'); END;",
    )
    .unwrap();
    drop(conn);
    let mut s = SqliteStore::open(dir.path()).unwrap();
    let later = now + chrono::Duration::hours(1);
    assert!(s.apply_editorial(&[], &[heat(66)], later).is_err());
    let history = s.story_heat_history(5, 10).unwrap();
    assert_eq!(
        history.iter().map(|h| (h.at, h.heat)).collect::<Vec<_>>(),
        vec![(now, 10)],
        "the sample went with the heat"
    );
}
