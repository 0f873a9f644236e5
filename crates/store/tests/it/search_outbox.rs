//! The search outbox (migration 6): every committed change to an indexed
//! field leaves the article's id in the outbox, in the same transaction;
//! rows go only when the sync says the index holds them.

use chrono::{TimeZone, Utc};
use newsdesk_store::conformance::sample;
use newsdesk_store::prelude::*;
use newsdesk_store::{
    AuditEntry, Batch, EditorAction, EditorOverride, SourceInfo, SqliteStore, Store,
};

fn batch(names: &[&str]) -> Batch {
    Batch {
        source: SourceInfo {
            locator: "in.xml".into(),
            kind: "rss".into(),
            title: None,
        },
        articles: names
            .iter()
            .map(|n| sample(&format!("https://x.test/{n}"), &format!("Story {n}")))
            .collect(),
    }
}

fn pending_ids(s: &SqliteStore) -> Vec<i64> {
    let mut ids: Vec<i64> = s
        .search_outbox_pending(10_000)
        .unwrap()
        .iter()
        .map(|e| e.article_id)
        .collect();
    ids.sort_unstable();
    ids
}

fn drain(s: &mut SqliteStore) {
    let last = s.search_outbox_last_seq().unwrap();
    s.search_outbox_done(last).unwrap();
    assert_eq!(s.search_outbox_len().unwrap(), 0);
}

fn sql(dir: &std::path::Path, q: &str) {
    let conn = rusqlite::Connection::open(dir.join("newsdesk.sqlite3")).unwrap();
    conn.execute_batch(q).unwrap();
}

#[test]
fn ingest_fills_the_outbox_and_docs_leave_stubs_out() {
    let mut s = SqliteStore::open_in_memory().unwrap();
    let now = Utc.with_ymd_and_hms(2021, 5, 10, 0, 0, 0).unwrap();
    let r = s.ingest(&batch(&["a", "b"]), now).unwrap();
    let full: Vec<i64> = r.outcomes.iter().map(|(id, _)| *id).collect();
    let queued = pending_ids(&s);
    for id in &full {
        assert!(queued.contains(id), "{id} queued");
    }
    let docs = s.search_docs(&queued).unwrap();
    let mut doc_ids: Vec<i64> = docs.iter().map(|d| d.id).collect();
    doc_ids.sort_unstable();
    let mut want = full.clone();
    want.sort_unstable();
    assert_eq!(doc_ids, want);
    assert_eq!(s.indexable_count().unwrap(), 2);
    let d = &docs[0];
    assert_eq!(d.title, "Story a");
    assert_eq!(d.excerpt.as_deref(), Some("Excerpt of Story a"));
    assert_eq!(d.provider_name.as_deref(), Some("Sify.com"));
    assert_eq!(d.provider_domain.as_deref(), Some("sify.com"));
    assert_eq!(d.topics, vec!["AWS AI", "AI"]);
    assert_eq!(d.published, Some(false));
    assert!(d.published_at.is_some());
    assert_eq!(d.quality, Some(76));
    // The same batch again changes nothing, so queues nothing.
    drain(&mut s);
    s.ingest(&batch(&["a", "b"]), now).unwrap();
    assert_eq!(s.search_outbox_len().unwrap(), 0);
    // Rebuild walks every document.
    let all: Vec<i64> = s.all_search_docs().map(|d| d.unwrap().id).collect();
    assert_eq!(all, want);
}

#[test]
fn indexed_columns_queue_and_others_do_not() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = SqliteStore::open(dir.path()).unwrap();
    let now = Utc.with_ymd_and_hms(2021, 5, 10, 0, 0, 0).unwrap();
    let r = s.ingest(&batch(&["a", "b"]), now).unwrap();
    let a = r.outcomes[0].0;
    drain(&mut s);
    for (column, value) in [
        ("title", "'New'"),
        ("excerpt", "'New'"),
        ("body", "'New body'"),
        ("provider_name", "'P'"),
        ("provider_domain", "'p.test'"),
        ("topics", "'[\"AI\"]'"),
        ("published", "1"),
        ("published_at", "'2021-05-01T00:00:00Z'"),
        ("quality", "3"),
        ("heat", "7"),
    ] {
        sql(
            dir.path(),
            &format!("UPDATE articles SET {column} = {value} WHERE id = {a}"),
        );
        assert_eq!(pending_ids(&s), vec![a], "{column}");
        drain(&mut s);
        // Writing the same value again is not a change.
        sql(
            dir.path(),
            &format!("UPDATE articles SET {column} = {value} WHERE id = {a}"),
        );
        assert_eq!(pending_ids(&s), Vec::<i64>::new(), "{column} unchanged");
    }
    sql(
        dir.path(),
        &format!("UPDATE articles SET author = 'X', language = 'de' WHERE id = {a}"),
    );
    assert_eq!(s.search_outbox_len().unwrap(), 0, "not indexed: not queued");
    // A stub (known only from a related list) has no document.
    sql(
        dir.path(),
        &format!("UPDATE articles SET stub = 1 WHERE id = {a}"),
    );
    assert_eq!(pending_ids(&s), vec![a]);
    assert!(s.search_docs(&[a]).unwrap().is_empty());
    assert_eq!(s.indexable_count().unwrap(), 1);
    sql(
        dir.path(),
        &format!("UPDATE articles SET stub = 0 WHERE id = {a}"),
    );
    drain(&mut s);
    assert_eq!(s.search_outbox_len().unwrap(), 0, "not indexed: not queued");
    // An override (a decision row) queues the article.
    s.set_override(
        a,
        Some(&EditorOverride {
            action: EditorAction::Pin,
            editor: "ed".into(),
            reason: None,
            at: now,
        }),
        &AuditEntry {
            at: now,
            editor: "ed".into(),
            action: "pin".into(),
            article: Some(a),
            target: format!("article {a}"),
            reason: None,
        },
    )
    .unwrap();
    assert_eq!(pending_ids(&s), vec![a]);
    drain(&mut s);
    // Deleting the article queues it (the index must drop it).
    sql(
        dir.path(),
        &format!(
            "PRAGMA foreign_keys = OFF; DELETE FROM overrides WHERE article_id = {a}; DELETE FROM articles WHERE id = {a}"
        ),
    );
    assert_eq!(pending_ids(&s), vec![a]);
    assert!(s.search_docs(&[a]).unwrap().is_empty());
}

#[test]
fn a_change_made_while_the_sync_runs_stays_queued() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = SqliteStore::open(dir.path()).unwrap();
    let now = Utc.with_ymd_and_hms(2021, 5, 10, 0, 0, 0).unwrap();
    let r = s.ingest(&batch(&["a"]), now).unwrap();
    let a = r.outcomes[0].0;
    let read = s.search_outbox_pending(100).unwrap();
    let last = read.iter().map(|e| e.seq).max().unwrap();
    // The sync has read the rows and is indexing; the article changes again.
    sql(
        dir.path(),
        &format!("UPDATE articles SET title = 'Later' WHERE id = {a}"),
    );
    // The index commit is done: the rows read go, the later change stays.
    s.search_outbox_done(last).unwrap();
    assert_eq!(pending_ids(&s), vec![a]);
    assert_eq!(s.search_docs(&[a]).unwrap()[0].title, "Later");
}

#[test]
fn articles_stored_before_migration_6_are_queued_by_it() {
    let dir = tempfile::tempdir().unwrap();
    {
        let conn = rusqlite::Connection::open(dir.path().join("newsdesk.sqlite3")).unwrap();
        for sql in [
            include_str!("../../migrations/sqlite/0001_init.sql"),
            include_str!("../../migrations/sqlite/0002_analysis.sql"),
            include_str!("../../migrations/sqlite/0003_editorial.sql"),
            include_str!("../../migrations/sqlite/0004_sources.sql"),
            include_str!("../../migrations/sqlite/0005_topic_pages.sql"),
        ] {
            conn.execute_batch(sql).unwrap();
        }
        conn.execute_batch(
            "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL);
             INSERT INTO schema_migrations VALUES (1, 'x'), (2, 'x'), (3, 'x'), (4, 'x'), (5, 'x');
             INSERT INTO articles (identity, format, title, topics, images, content_hash, first_seen, updated_at)
             VALUES ('url:https://x.test/a', 'rss', 'A', '[]', '[]', 'h', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z'),
                    ('url:https://x.test/b', 'rss', 'B', '[]', '[]', 'h', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00Z');",
        )
        .unwrap();
    }
    let s = SqliteStore::open(dir.path()).unwrap();
    assert_eq!(pending_ids(&s), vec![1, 2]);
}
