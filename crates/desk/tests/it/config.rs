//! The editorial settings come from the configuration files: `desk.toml`
//! (or the file `newsdesk.toml` includes) beneath `newsdesk.toml`'s own
//! `[editorial]` values; decisions are redone when, and only when, they change.

use chrono::{DateTime, TimeZone, Utc};
use newsdesk_desk::{Detail, Editorial};
use newsdesk_store::conformance::sample;
use newsdesk_store::{AnalysisRecord, Batch, SourceInfo, SqliteStore, Store};

fn at(d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, d, 12, 0, 0).unwrap()
}

/// A store with one analysed article that carries its own decision
/// (`sample` gives quality, topics and `published`).
fn store_with_a_given_decision() -> (SqliteStore, i64) {
    let mut store = SqliteStore::open_in_memory().unwrap();
    let batch = Batch {
        source: SourceInfo {
            locator: "in.xml".into(),
            kind: "rss".into(),
            title: None,
        },
        articles: vec![sample("https://e.test/given", "Given")],
    };
    let id = store.ingest(&batch, at(1)).unwrap().outcomes[0].0;
    let record = AnalysisRecord {
        id,
        version: 1,
        signature: None,
        terms: vec![],
        time: 0,
        credibility: 0,
        provider: 0,
        story: id,
        duplicate_of: None,
        reason: String::new(),
        similar: vec![],
    };
    store.apply_analysis(&[record], &[], at(1)).unwrap();
    (store, id)
}

fn quality_from(store: &SqliteStore, id: i64) -> String {
    let a = store.article(id).unwrap().unwrap();
    let d: Detail = serde_json::from_str(a.editorial.as_deref().expect("decided")).unwrap();
    d.quality_from
}

fn decide(dir: &std::path::Path, store: &mut SqliteStore) -> usize {
    Editorial::with_rules(dir, vec![])
        .unwrap()
        .decide_pending(store, at(2))
        .unwrap()
        .decided
}

#[test]
fn newsdesk_toml_editorial_values_sit_on_desk_toml_and_redo_decisions() {
    let dir = tempfile::tempdir().unwrap();
    let (mut store, id) = store_with_a_given_decision();
    std::fs::write(dir.path().join("desk.toml"), "keep_given = true\n").unwrap();
    assert_eq!(decide(dir.path(), &mut store), 1);
    assert_eq!(quality_from(&store, id), "given");

    // Settings that are not editorial leave the decisions as they are.
    std::fs::write(dir.path().join("newsdesk.toml"), "[server]\nreaders = 2\n").unwrap();
    assert_eq!(decide(dir.path(), &mut store), 0, "nothing is due");

    // newsdesk.toml's own [editorial] value beats desk.toml's.
    std::fs::write(
        dir.path().join("newsdesk.toml"),
        "[server]\nreaders = 2\n\n[editorial]\nkeep_given = false\n",
    )
    .unwrap();
    let editorial = Editorial::with_rules(dir.path(), vec![]).unwrap();
    assert!(
        editorial
            .sources()
            .iter()
            .any(|s| s.contains("newsdesk.toml")),
        "{:?}",
        editorial.sources()
    );
    assert_eq!(decide(dir.path(), &mut store), 1, "decided again");
    assert_eq!(quality_from(&store, id), "desk");
}

#[test]
fn a_bad_editorial_value_in_newsdesk_toml_names_file_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("newsdesk.toml"),
        "[editorial]\nquality_bar = 50\nkeep_given = \"yes\"\n",
    )
    .unwrap();
    let msg = Editorial::with_rules(dir.path(), vec![])
        .err()
        .expect("refused")
        .to_string();
    assert!(msg.contains("newsdesk.toml:3"), "{msg}");
    assert!(
        msg.contains("`editorial.keep_given`") && msg.contains("true or false"),
        "{msg}"
    );
}

/// Settings with nothing configured.
fn default_settings() -> newsdesk_config::Settings {
    let dir = tempfile::tempdir().unwrap();
    newsdesk_config::Loader::new()
        .data_dir_flag(Some(dir.path().join("data")))
        .load()
        .unwrap()
}

#[test]
fn a_run_with_nothing_configured_is_the_run_of_the_defaults() {
    let from = newsdesk_desk::run::RunOptions::from_settings(&default_settings());
    assert_eq!(
        format!("{from:?}"),
        format!("{:?}", newsdesk_desk::run::RunOptions::default())
    );
}

#[test]
fn each_run_setting_reaches_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(
        data.join("newsdesk.toml"),
        "[run]\nallow_loopback = true\nfetch_pages = false\nconcurrency = 3\n\
         min_poll_interval_secs = 120\n\n[fetch]\nuser_agent = \"configured/1\"\n\
         per_host_delay_ms = 2500\n\n[images]\ncache_mb = 64\nmax_image_mb = 2\n",
    )
    .unwrap();
    let settings = newsdesk_config::Loader::new()
        .data_dir_flag(Some(data))
        .load()
        .unwrap();
    let run = newsdesk_desk::run::RunOptions::from_settings(&settings);
    assert!(run.allow_loopback && !run.allow_private && !run.fetch_pages);
    assert_eq!(run.concurrency, 3);
    assert_eq!(run.image_cache_bytes, 64 << 20);
    assert_eq!(run.max_image_bytes, 2 << 20);
    assert_eq!(run.fetch.user_agent, "configured/1");
    assert_eq!(
        run.fetch.per_host_delay,
        std::time::Duration::from_millis(2500)
    );
    assert_eq!(run.poll.min_interval, std::time::Duration::from_secs(120));
}
