//! Full-text search through the `newsdesk` command over the real corpus
//! (`../shared/corpus/everyday-ai`): the index follows the store after
//! ingest, after an editor's override and after a crash between the store
//! commit and the index commit; an index of another layout is rebuilt; a
//! running `serve` holds the index and drains the outbox for the others.
//!
//! The crash is deterministic: `NEWSDESK_FAILPOINT=after_store_commit:N`
//! aborts `newsdesk ingest` right after its Nth store commit, before the
//! index sees it.
//!
//! Skips with a message when `../shared` is missing (fails instead under
//! `NEWSDESK_REQUIRE_SHARED=1`).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::*;

fn corpus() -> Option<PathBuf> {
    newsdesk_testkit::shared("corpus/everyday-ai")
}

/// `index check`'s three counts (store, index, outbox) and whether it passed.
fn check(data: &Path) -> (u64, u64, u64, bool) {
    let o = newsdesk(data, &["index", "check"]);
    let out = stdout(&o);
    let num = |prefix: &str| -> u64 {
        out.lines()
            .find_map(|l| l.strip_prefix(prefix))
            .and_then(|r| r.split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .unwrap_or_else(|| panic!("no {prefix:?} line in\n{out}"))
    };
    let passed = o.status.success();
    assert_eq!(
        passed,
        out.contains("ok: the index is in step"),
        "exit status and message agree\n{out}"
    );
    if !passed {
        assert!(out.contains("mismatch:"), "{out}");
    }
    (num("store: "), num("index: "), num("outbox: "), passed)
}

fn search(data: &Path, args: &[&str]) -> Value {
    let mut all = vec!["search"];
    all.extend_from_slice(args);
    all.push("--json");
    serde_json::from_str(&ok(data, &all)).expect("search --json prints JSON")
}

fn hit_ids(v: &Value) -> Vec<i64> {
    v["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_i64().unwrap())
        .collect()
}

#[test]
fn search_follows_an_editors_override() {
    let Some(corpus) = corpus() else { return };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    ok(&data, &["ingest", "-q", corpus.to_str().unwrap()]);
    let (store, index, outbox, passed) = check(&data);
    assert!(passed && store == index && outbox == 0 && store > 150);

    let published = search(&data, &["cloud", "--published", "true", "--limit", "100"]);
    let ids = hit_ids(&published);
    assert!(!ids.is_empty(), "{published}");
    let id = ids[0];
    let idarg = id.to_string();
    ok(
        &data,
        &["override", &idarg, "unpublish", "--reason", "test"],
    );
    let after = search(&data, &["cloud", "--published", "true", "--limit", "100"]);
    assert!(
        !hit_ids(&after).contains(&id),
        "unpublished: gone from --published true"
    );
    assert_eq!(
        after["total"].as_u64().unwrap() + 1,
        published["total"].as_u64().unwrap()
    );
    let unpublished = search(&data, &["cloud", "--published", "false", "--limit", "100"]);
    assert!(hit_ids(&unpublished).contains(&id));
    ok(&data, &["override", &idarg, "publish", "--reason", "test"]);
    let back = search(&data, &["cloud", "--published", "true", "--limit", "100"]);
    assert!(hit_ids(&back).contains(&id));
    let (store, index, outbox, passed) = check(&data);
    assert!(passed && store == index && outbox == 0);

    // Text output, filters and bad input.
    let out = ok(&data, &["search", "\"machine learning\"", "--limit", "3"]);
    assert!(out.contains("matching articles"), "{out}");
    assert!(out.to_lowercase().contains("*machine* *learning*"), "{out}");
    let o = newsdesk(&data, &["search", "\"unclosed"]);
    assert_eq!(o.status.code(), Some(2), "{}", describe(&o));
    assert!(stderr(&o).contains("never closed"));
    let o = newsdesk(&data, &["search", "ai", "--limit", "1000"]);
    assert!(!o.status.success());
    let dated = search(
        &data,
        &[
            "ai",
            "--since",
            "2021-03-01",
            "--until",
            "2021-03-08",
            "--limit",
            "100",
        ],
    );
    for h in dated["hits"].as_array().unwrap() {
        let d = h["publishedDateTime"].as_str().unwrap();
        assert!(("2021-03-01".."2021-03-08").contains(&d), "{d}");
    }
    // Newest first: the same matches, in date order, with an exact total.
    let newest = search(&data, &["ai", "--newest", "--limit", "100"]);
    let ranked = search(&data, &["ai", "--limit", "100"]);
    assert_eq!(newest["sort"], "newest");
    assert_eq!(newest["total"], ranked["total"]);
    assert_eq!(newest["totalExact"], true);
    let dates: Vec<&str> = newest["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["publishedDateTime"].as_str().unwrap_or(""))
        .collect();
    assert!(
        dates.len() > 10 && dates.windows(2).all(|w| w[0] >= w[1]),
        "{dates:?}"
    );
}

#[test]
fn a_crash_between_store_and_index_is_caught_up() {
    let Some(corpus) = corpus() else { return };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let corpus = corpus.to_str().unwrap();
    // Killed right after the 60th input's store commit.
    let o = newsdesk_env(
        &data,
        &["ingest", "-q", corpus],
        &[("NEWSDESK_FAILPOINT", "after_store_commit:60")],
    );
    assert!(!o.status.success(), "aborted\n{}", describe(&o));
    assert!(stderr(&o).contains("failpoint after_store_commit:60"));
    let (store, index, outbox, passed) = check(&data);
    assert!(!passed, "the gap is reported");
    assert!(store >= 59, "the 60 inputs committed are stored: {store}");
    // The index lags: the last input's articles (at least) are stored,
    // not indexed, and wait in the outbox.
    assert!(index <= store, "{index} <= {store}");
    assert!(outbox > 0);
    // The next ingest catches up (and stores the rest).
    ok(&data, &["ingest", "-q", corpus]);
    let (store, index, outbox, passed) = check(&data);
    assert!(passed, "{store} {index} {outbox}");
    assert_eq!(store, index);
    assert_eq!(outbox, 0);
    assert!(store > 150);

    // Again, caught up by `index sync` this time.
    let data2 = dir.path().join("data2");
    let o = newsdesk_env(
        &data2,
        &["ingest", "-q", corpus],
        &[("NEWSDESK_FAILPOINT", "after_store_commit:150")],
    );
    assert!(!o.status.success());
    let (store, index, outbox, passed) = check(&data2);
    assert!(!passed && index <= store && outbox > 0);
    let out = ok(&data2, &["index", "sync"]);
    assert!(out.contains("index synced"), "{out}");
    let (store, index, outbox, passed) = check(&data2);
    assert!(passed && store == index && outbox == 0);
    // And a rebuild agrees.
    let out = ok(&data2, &["index", "rebuild"]);
    assert!(
        out.contains(&format!("index rebuilt: {store} articles")),
        "{out}"
    );
    assert!(check(&data2).3);
}

#[test]
fn an_index_of_another_layout_is_rebuilt() {
    let Some(corpus) = corpus() else { return };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    ok(&data, &["ingest", "-q", corpus.to_str().unwrap()]);
    let expected = check(&data).0;
    // What an older version wrote: another analyzer in the schema.
    let meta = data.join("search/meta.json");
    let old = std::fs::read_to_string(&meta).unwrap().replace(
        &format!("newsdesk_en_v{}", newsdesk_search::SCHEMA_VERSION),
        "newsdesk_en_v1",
    );
    std::fs::write(&meta, old).unwrap();
    let o = newsdesk(&data, &["index", "check"]);
    assert!(!o.status.success());
    assert!(stdout(&o).contains("another layout"), "{}", describe(&o));
    // Any writer rebuilds it; here a search.
    let o = newsdesk(&data, &["search", "cloud", "--json"]);
    assert!(o.status.success(), "{}", describe(&o));
    assert!(stderr(&o).contains("rebuilding it from the store"));
    let (store, index, outbox, passed) = check(&data);
    assert!(passed && store == expected && index == expected && outbox == 0);
}

/// A running `serve` holds the index writer: an override made meanwhile is
/// not synced by the override command (it says so) but by the server.
#[test]
fn a_running_server_drains_the_outbox() {
    let Some(corpus) = corpus() else { return };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    ok(&data, &["ingest", "-q", corpus.to_str().unwrap()]);
    let ids = hit_ids(&search(&data, &["cloud", "--published", "true"]));
    let id = ids[0].to_string();
    // The server takes the index writer (it is killed when the test ends).
    let mut server = spawn(&data, &["serve", "--addr", "127.0.0.1:0"]);
    server.wait_for(|line| line.contains("holds the index writer"));
    let o = newsdesk(&data, &["override", &id, "unpublish"]);
    assert!(o.status.success(), "{}", describe(&o));
    assert!(
        stderr(&o).contains("held by another process"),
        "{}",
        describe(&o)
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (store, index, outbox, passed) = check(&data);
        if passed {
            assert_eq!((store, index, outbox), (store, store, 0));
            break;
        }
        assert!(Instant::now() < deadline, "the server drained the outbox");
        std::thread::sleep(Duration::from_millis(300));
    }
    // Searching reads what the server committed.
    let after = search(&data, &["cloud", "--published", "true", "--limit", "100"]);
    assert!(!hit_ids(&after).contains(&id.parse().unwrap()));
    drop(server);
}
