//! The search index follows the store through the outbox: a desk that
//! was away (or a crash between the store's commit and the index's) catches
//! up on the next sync; only one process writes the index.

use std::sync::{Arc, Mutex};

use chrono::{TimeZone, Utc};
use newsdesk_desk::search_sync::{self, Syncer};
use newsdesk_desk::{DeskPaths, KeySource};
use newsdesk_model::Article;
use newsdesk_search::{SearchIndex, SearchQuery};
use newsdesk_store::conformance::sample;
use newsdesk_store::{Batch, DeskStore, SourceInfo};

fn story(url: &str, title: &str, word: &str) -> Article {
    Article {
        body: Some(format!("{title}. A story about {word} and nothing else.")),
        ..sample(url, title)
    }
}

fn store_batch(store: &mut dyn DeskStore, articles: Vec<Article>) -> Vec<i64> {
    let report = store
        .ingest(
            &Batch {
                source: SourceInfo {
                    locator: "feed.xml".into(),
                    kind: "rss".into(),
                    title: None,
                },
                articles,
            },
            Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap(),
        )
        .unwrap();
    report.outcomes.iter().map(|(id, _)| *id).collect()
}

fn hits(index: &SearchIndex, word: &str) -> Vec<i64> {
    let mut ids: Vec<i64> = index
        .search(&SearchQuery::new(word))
        .unwrap()
        .hits
        .iter()
        .map(|h| h.id)
        .collect();
    ids.sort_unstable();
    ids
}

#[test]
fn a_sync_after_a_gap_indexes_what_the_outbox_kept() {
    let dir = tempfile::tempdir().unwrap();
    let paths = DeskPaths::new(dir.path(), KeySource::default());
    let mut store = paths.open_store().unwrap();
    let first = store_batch(
        &mut *store,
        vec![story("https://a.test/1", "Glaciers", "glaciers")],
    );

    // A new index is built from the store as it opens.
    let index = search_sync::open_writer(&paths, &mut *store)
        .unwrap()
        .expect("no other writer");
    assert_eq!(index.doc_count(), 1);
    assert_eq!(store.search_outbox_len().unwrap(), 0);
    assert_eq!(hits(&index, "glaciers"), first);

    // Stored while nobody synced: the outbox keeps them.
    let later = store_batch(
        &mut *store,
        vec![
            story("https://a.test/2", "Volcanoes", "volcanoes"),
            story("https://a.test/3", "More volcanoes", "volcanoes"),
        ],
    );
    assert_eq!(store.search_outbox_len().unwrap(), 2);
    assert!(hits(&index, "volcanoes").is_empty());

    let synced = search_sync::drain(&mut *store, &index).unwrap();
    assert_eq!((synced.indexed, synced.removed), (2, 0));
    assert_eq!(store.search_outbox_len().unwrap(), 0);
    assert_eq!(index.doc_count(), 3);
    let mut want = later.clone();
    want.sort_unstable();
    assert_eq!(hits(&index, "volcanoes"), want);

    // Nothing waits: a second sync does nothing.
    let again = search_sync::drain(&mut *store, &index).unwrap();
    assert_eq!((again.indexed, again.removed, again.cleared), (0, 0, 0));
}

#[test]
fn only_one_writer_and_the_other_says_so_once() {
    let dir = tempfile::tempdir().unwrap();
    let lines = Arc::new(Mutex::new(Vec::<String>::new()));
    let sink = lines.clone();
    let paths = DeskPaths::new(dir.path(), KeySource::default())
        .with_log(Arc::new(move |l: &str| sink.lock().unwrap().push(l.into())));
    let mut store = paths.open_store().unwrap();
    store_batch(
        &mut *store,
        vec![story("https://a.test/1", "Glaciers", "glaciers")],
    );
    let holder = Syncer::open(&paths, &mut *store);
    assert!(holder.is_writer());
    let mut other = Syncer::open(&paths, &mut *store);
    assert!(!other.is_writer());
    other.finish(&mut *store);
    let lines = lines.lock().unwrap().clone();
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0].contains("held by another process"), "{}", lines[0]);
    drop(holder);
    assert!(Syncer::open(&paths, &mut *store).is_writer());
}
