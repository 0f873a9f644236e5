//! `newsdesk demo`: a desk following the synthetic newsroom live, served;
//! what a user who opens the printed URL sees, and a clean stop on Ctrl-C.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::{cli, http, listening_addr, newsdesk, Finished};

/// A guard against a hang, not a limit on how fast anything must be.
const PATIENCE: Duration = Duration::from_secs(600);

fn get(addr: &str, path: &str) -> Value {
    let (status, body) = http(addr, "GET", path, &[], "");
    assert_eq!(status, 200, "{path}: {body}");
    serde_json::from_str(&body).expect("JSON")
}

/// Asks `check` until it answers, every quarter second.
fn wait_until<T>(what: &str, mut check: impl FnMut() -> Option<T>) -> T {
    let began = Instant::now();
    loop {
        if let Some(found) = check() {
            return found;
        }
        assert!(began.elapsed() < PATIENCE, "gave up waiting for {what}");
        std::thread::sleep(Duration::from_millis(250));
    }
}

/// A story of the newest articles that has more than one article.
fn story_with_several(addr: &str) -> Option<i64> {
    let page = get(addr, "/api/v1/articles?published=any&sort=time&limit=100");
    let stories: BTreeSet<i64> = page["articles"]
        .as_array()?
        .iter()
        .filter_map(|a| a["story"].as_i64())
        .collect();
    stories.into_iter().find(|id| {
        let story = get(addr, &format!("/api/v1/stories/{id}"));
        story["articles"].as_array().is_some_and(|a| a.len() > 1)
    })
}

#[test]
fn demo_serves_a_living_desk_and_stops_cleanly_on_sigint() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("demo-data");
    let mut demo = cli().spawn(&data, &["demo", "--addr", "127.0.0.1:0"]);
    let open = demo.wait_for(|l| l.starts_with("open http://"));
    let url = open["open ".len()..].split_whitespace().next().unwrap();
    let addr = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    assert!(!addr.ends_with(":0"), "the actual port: {open}");
    let listening = demo.wait_for(|l| l.contains("\"listening\""));
    assert_eq!(listening_addr(&listening), addr);

    // The desk follows one feed per outlet, and fills from the newsroom's
    // history: articles, and stories of several articles.
    wait_until("every feed polled", || {
        let sources = get(&addr, "/api/v1/sources");
        let sources = sources["sources"].as_array()?.clone();
        assert_eq!(sources.len(), 24);
        sources.iter().all(|s| s["status"] == "ok").then_some(())
    });
    let stored = |addr: &str| get(addr, "/api/v1/stats")["articles"].as_u64().unwrap_or(0);
    let first = stored(&addr);
    assert!(first > 24, "{first}");
    let story = wait_until("a story of several articles", || story_with_several(&addr));
    assert!(story > 0);
    // The news goes on: articles published since arrive.
    let later = wait_until("new articles", || {
        Some(stored(&addr)).filter(|&n| n > first)
    });
    assert!(later > first);

    let Finished {
        status,
        stdout,
        log,
    } = demo.interrupt();
    let log = log.join("\n");
    assert!(status.success(), "{status:?}\n{stdout}\n{log}");
    assert!(log.contains("stopping"), "{log}");
    assert!(stdout.contains("articles stored"), "{stdout}");
    assert!(
        log.contains(&format!("data folder: {}", data.display())),
        "{log}"
    );
    assert!(data.join("newsdesk.sqlite3").is_file());
}

#[test]
fn demo_wants_a_fresh_data_folder() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
    let out = newsdesk(dir.path(), &["demo", "--addr", "127.0.0.1:0"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not empty"), "{err}");
    assert!(dir.path().join("notes.txt").is_file());
}
