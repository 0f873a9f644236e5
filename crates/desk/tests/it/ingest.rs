//! Ingesting files in-process: each input stored as one batch, analysed,
//! decided and indexed; a bad input fails alone; a deferred ingest leaves
//! the analysis to `analyze_pending`.

use chrono::Utc;
use newsdesk_desk::editor::analyze_pending;
use newsdesk_desk::ingest::{ingest, IngestObserver, IngestOptions};
use newsdesk_desk::{DeskPaths, KeySource};

const FEED: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>File News</title><link>https://news.test/</link>
<description>d</description>
<item><title>The regulator fines the chip maker</title><link>https://news.test/fine</link>
<description>The regulator fined the chip maker 400 million euros on Monday after an inquiry.</description></item>
<item><title>A new bridge opens over the river</title><link>https://news.test/bridge</link>
<description>The city opened its new bridge over the river on Monday, two years late.</description></item>
</channel></rss>"#;

#[derive(Default)]
struct Counted {
    inputs: usize,
    done: usize,
    stored: usize,
}

impl IngestObserver for Counted {
    fn inputs(&mut self, count: usize) {
        self.inputs = count;
    }
    fn input_done(&mut self) {
        self.done += 1;
    }
    fn stored(&mut self) {
        self.stored += 1;
    }
}

#[test]
fn each_input_is_stored_and_decided_and_a_bad_one_fails_alone() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = dir.path().join("in");
    std::fs::create_dir_all(&inputs).unwrap();
    std::fs::write(inputs.join("feed.xml"), FEED).unwrap();
    std::fs::write(inputs.join("broken.xml"), "<rss><channel><item>").unwrap();
    let paths = DeskPaths::new(dir.path().join("data"), KeySource::default());
    let mut seen = Counted::default();
    let sum = ingest(
        &paths,
        std::slice::from_ref(&inputs),
        &IngestOptions::default(),
        &mut seen,
    )
    .unwrap();
    assert_eq!((seen.inputs, seen.done, seen.stored), (2, 2, 1));
    assert_eq!((sum.inputs, sum.stored, sum.updated), (2, 2, 0));
    assert_eq!(sum.failed.len(), 1, "{:?}", sum.failed);
    assert!(sum.failed[0].contains("broken.xml"), "{}", sum.failed[0]);
    assert_eq!(sum.analysed.map(|d| d.analysed), Some(2));
    assert_eq!(sum.decided.decided, 2);

    // Again: unchanged repeats, nothing analysed.
    let again = ingest(&paths, &[inputs], &IngestOptions::default(), &mut ()).unwrap();
    assert_eq!((again.stored, again.unchanged), (0, 2));
    assert_eq!(again.analysed.map(|d| d.analysed), Some(0));
}

#[test]
fn a_deferred_ingest_is_analysed_later() {
    let dir = tempfile::tempdir().unwrap();
    let feed = dir.path().join("feed.xml");
    std::fs::write(&feed, FEED).unwrap();
    let paths = DeskPaths::new(dir.path().join("data"), KeySource::default());
    let opts = IngestOptions {
        analyse: false,
        ..IngestOptions::default()
    };
    let sum = ingest(&paths, &[feed], &opts, &mut ()).unwrap();
    assert_eq!(sum.stored, 2);
    assert!(sum.analysed.is_none());
    assert_eq!(sum.decided.decided, 0);
    let (done, decided) = analyze_pending(&paths, Utc::now()).unwrap();
    assert_eq!((done.analysed, decided.decided), (2, 2));
    let (done, decided) = analyze_pending(&paths, Utc::now()).unwrap();
    assert_eq!((done.analysed, decided.decided), (0, 0));
}
