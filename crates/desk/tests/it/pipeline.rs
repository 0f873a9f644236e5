//! The pipeline in-process: a desk opened over a store catches up on what
//! is pending, then digests each stored batch (analysis, then decisions).

use chrono::{DateTime, TimeZone, Utc};
use newsdesk_desk::pipeline::Desk;
use newsdesk_model::Article;
use newsdesk_store::conformance::sample;
use newsdesk_store::{Batch, SourceInfo, SqliteStore, Store};

fn at(d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, d, 12, 0, 0).unwrap()
}

fn batch(locator: &str, articles: Vec<Article>) -> Batch {
    Batch {
        source: SourceInfo {
            locator: locator.into(),
            kind: "rss".into(),
            title: None,
        },
        articles,
    }
}

fn story(title: &str, url: &str) -> Article {
    Article {
        published: None,
        quality: None,
        topics: vec![],
        title: title.into(),
        body: Some(format!(
            "{title}. The regulator fined the chip maker 400 million euros on Monday \
             after a three-year inquiry into rebates paid to computer makers."
        )),
        ..sample(url, title)
    }
}

#[test]
fn open_catches_up_then_each_batch_is_analysed_and_decided() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open_in_memory().unwrap();
    // Stored earlier without analysis (a deferred ingest, or a crash).
    store
        .ingest(
            &batch("a.xml", vec![story("Chip maker fined", "https://a.test/1")]),
            at(1),
        )
        .unwrap();
    let (mut desk, done, decided) = Desk::open(&mut store, dir.path(), at(2)).unwrap();
    assert_eq!(done.analysed, 1);
    assert_eq!(decided.decided, 1);

    // A wire copy on another site, then the same batch again.
    let copy = batch(
        "b.xml",
        vec![story("Chip maker fined", "https://b.test/copy")],
    );
    let report = store.ingest(&copy, at(3)).unwrap();
    let digest = desk.digest(&mut store, &report, at(3));
    assert!(digest.error.is_none(), "{:?}", digest.error);
    assert_eq!(digest.done.analysed, 1);
    assert_eq!(digest.done.copies, 1, "the second is a copy of the first");
    assert!(digest.decided.decided >= 1);
    let id = report.outcomes[0].0;
    let a = store.article(id).unwrap().unwrap();
    assert!(a.duplicate_of.is_some());
    assert_eq!(a.article.published, Some(false), "copies are not published");

    let again = store.ingest(&copy, at(4)).unwrap();
    let digest = desk.digest(&mut store, &again, at(4));
    assert_eq!(
        digest.done.analysed, 0,
        "an unchanged repeat is not analysed again"
    );
}
