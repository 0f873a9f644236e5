//! The API over a real SQLite store, through the real router (in process):
//! what a client sees for good requests, bad ones, and a few thousand
//! hostile ones.

use crate::common;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use chrono::{Duration, TimeZone, Utc};
use http_body_util::BodyExt;
use newsdesk_server::{router, AppState, Metrics, ServerConfig};
use newsdesk_store::conformance::{sample, store_decided};
use newsdesk_store::{Decision, SqliteStore, Store, StoryHeat};
use serde_json::Value;
use tower::ServiceExt;

/// 25 articles in 5 stories; topics AI (all) and Cloud (every other one);
/// every fourth unpublished; article 8 pinned.
fn fill(dir: &std::path::Path) -> Vec<i64> {
    let mut s = SqliteStore::open(dir).unwrap();
    let now = Utc.with_ymd_and_hms(2021, 5, 10, 0, 0, 0).unwrap();
    let articles = (0..25)
        .map(|i| {
            let mut a = sample(
                &format!("https://example.com/{i}"),
                &format!("Story <{i}> & co"),
            );
            a.related.clear();
            a.published_at = Some(now - Duration::hours(i as i64));
            a.body = Some(format!("secret full text {i}"));
            a.provider.as_mut().unwrap().domain = if i % 2 == 0 { "a.com" } else { "b.com" }.into();
            a
        })
        .collect();
    let heats: Vec<StoryHeat> = (100..105)
        .map(|story| StoryHeat {
            story,
            heat: (story - 100) * 20,
            detail: format!("{{\"score\":{},\"components\":[]}}", (story - 100) * 20),
            newest: Some(now),
        })
        .collect();
    store_decided(
        &mut s,
        articles,
        now,
        |_, id| 100 + id % 5,
        |i, _| Decision {
            id: 0,
            config: "c".into(),
            topics: if i % 2 == 0 {
                vec!["AWS AI".into(), "AI".into()]
            } else {
                vec!["AI".into()]
            },
            quality: 40 + i as i64,
            published: i % 4 != 3,
            pinned: i == 8,
            heat: 0,
            detail: "{\"reasons\":[\"test\"]}".into(),
        },
        &heats,
    )
}

struct Api {
    app: axum::Router,
    state: Arc<AppState>,
    _dir: tempfile::TempDir,
    ids: Vec<i64>,
}

fn api() -> Api {
    let dir = tempfile::tempdir().unwrap();
    let ids = fill(dir.path());
    let state = AppState::open(
        &ServerConfig {
            data_dir: dir.path().to_path_buf(),
            base_url: "https://desk.example/".into(),
            readers: 2,
        },
        Arc::new(Metrics::default()),
    )
    .unwrap();
    let state = Arc::new(state);
    Api {
        app: router(state.clone()),
        state,
        _dir: dir,
        ids,
    }
}

async fn call(
    app: &axum::Router,
    method: &str,
    uri: &str,
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    common::exchange(app, method, uri, &[], "").await
}

async fn get_json(app: &axum::Router, uri: &str) -> (StatusCode, Value) {
    let (status, headers, body) = call(app, "GET", uri).await;
    assert_eq!(
        headers.get("content-type").unwrap(),
        "application/json",
        "{uri}"
    );
    (status, serde_json::from_slice(&body).unwrap())
}

/// Asserts the one error shape and returns the code.
fn error_code(v: &Value) -> &str {
    let e = &v["error"];
    assert!(e["message"].as_str().is_some_and(|m| !m.is_empty()), "{v}");
    e["code"].as_str().unwrap()
}

#[tokio::test]
async fn lists_are_published_hottest_first_and_cursors_walk_every_page() {
    let api = api();
    let (status, first) = get_json(&api.app, "/api/v1/articles?limit=4").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(first["articles"][0]["pinned"], true);
    let mut seen = Vec::new();
    let mut page = first;
    loop {
        for a in page["articles"].as_array().unwrap() {
            assert_eq!(a["published"], true);
            seen.push((
                a["pinned"] == true,
                a["heat"].as_i64().unwrap(),
                a["id"].as_i64().unwrap(),
            ));
        }
        match page["next"].as_str() {
            Some(n) => {
                page = get_json(&api.app, &format!("/api/v1/articles?limit=4&cursor={n}"))
                    .await
                    .1
            }
            None => break,
        }
    }
    let published = api.ids.len() - api.ids.len() / 4;
    assert_eq!(seen.len(), published);
    let mut sorted = seen.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(seen, sorted);

    // Filters: topic by name or slug, provider, dates, quality, time order.
    let (_, by_slug) = get_json(&api.app, "/api/v1/articles?topic=aws-ai&limit=100").await;
    let (_, by_name) = get_json(&api.app, "/api/v1/articles?topic=AWS%20AI&limit=100").await;
    assert_eq!(by_slug, by_name);
    for a in by_slug["articles"].as_array().unwrap() {
        assert!(a["topics"]
            .as_array()
            .unwrap()
            .contains(&Value::from("AWS AI")));
    }
    let (_, q) = get_json(
        &api.app,
        "/api/v1/articles?provider=b.com&min_quality=50&sort=time&from=2021-05-09&published=any&limit=100",
    )
    .await;
    let list = q["articles"].as_array().unwrap();
    assert!(!list.is_empty());
    let mut last = "9999".to_string();
    for a in list {
        assert_eq!(a["provider"]["domain"], "b.com");
        assert!(a["quality"].as_i64().unwrap() >= 50);
        let t = a["publishedDateTime"].as_str().unwrap().to_string();
        assert!(t.as_str() >= "2021-05-09" && t <= last);
        last = t;
    }
    let (_, unpublished) = get_json(&api.app, "/api/v1/articles?published=false&limit=100").await;
    assert_eq!(
        unpublished["articles"].as_array().unwrap().len(),
        api.ids.len() / 4
    );
}

#[tokio::test]
async fn bad_parameters_get_the_error_shape_with_stable_codes() {
    let api = api();
    for (uri, status, code) in [
        ("/api/v1/articles?limit=0", 400, "invalid_parameter"),
        ("/api/v1/articles?limit=101", 400, "invalid_parameter"),
        (
            "/api/v1/articles?limit=1000000000000000000000",
            400,
            "invalid_parameter",
        ),
        ("/api/v1/articles?limit=abc", 400, "invalid_parameter"),
        ("/api/v1/articles?sort=random", 400, "invalid_parameter"),
        ("/api/v1/articles?colour=red", 400, "invalid_parameter"),
        ("/api/v1/articles?from=yesterday", 400, "invalid_parameter"),
        ("/api/v1/articles?published=maybe", 400, "invalid_parameter"),
        ("/api/v1/articles?cursor=zzz", 400, "invalid_cursor"),
        ("/api/v1/articles?cursor=747c", 400, "invalid_cursor"),
        ("/api/v1/articles?topic=Gardening", 404, "unknown_topic"),
        ("/api/v1/articles/abc", 400, "invalid_id"),
        ("/api/v1/articles/-3", 400, "invalid_id"),
        ("/api/v1/articles/999999", 404, "not_found"),
        ("/api/v1/stories/999999", 404, "not_found"),
        ("/api/v1/nothing", 404, "not_found"),
        ("/articles/1.txt", 404, "not_found"),
        ("/api/v1/topics?x=1", 400, "invalid_parameter"),
    ] {
        let (s, v) = get_json(&api.app, uri).await;
        assert_eq!(s.as_u16(), status, "{uri}: {v}");
        assert_eq!(error_code(&v), code, "{uri}: {v}");
    }
    // A range that ends before it starts is empty, not an error.
    let (s, v) = get_json(&api.app, "/api/v1/articles?from=2021-05-10&to=2021-05-01").await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["articles"], serde_json::json!([]));
    // A cursor of one order is refused by the other.
    let (_, page) = get_json(&api.app, "/api/v1/articles?limit=2").await;
    let next = page["next"].as_str().unwrap();
    let (s, v) = get_json(
        &api.app,
        &format!("/api/v1/articles?sort=time&cursor={next}"),
    )
    .await;
    assert_eq!((s.as_u16(), error_code(&v)), (400, "invalid_cursor"));
    let (s, _, body) = call(&api.app, "POST", "/api/v1/articles").await;
    assert_eq!(s, StatusCode::METHOD_NOT_ALLOWED);
    let v: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(error_code(&v), "method_not_allowed");
}

#[tokio::test]
async fn one_article_one_story_topics_documents_health_and_metrics() {
    let api = api();
    let id = api.ids[8];
    let (s, a) = get_json(&api.app, &format!("/api/v1/articles/{id}")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(a["id"], id);
    assert_eq!(a["pinned"], true);
    assert_eq!(a["decision"]["reasons"][0], "test");
    assert!(a.get("body").is_none(), "no full text without a key");
    assert!(!a.to_string().contains("secret full text"));

    let story = a["story"].as_i64().unwrap();
    let (s, st) = get_json(&api.app, &format!("/api/v1/stories/{story}")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(st["heat"], (story - 100) * 20);
    assert!(st["articles"]
        .as_array()
        .unwrap()
        .iter()
        .any(|x| x["id"] == id));
    assert_eq!(st["heatBreakdown"]["score"], st["heat"]);

    let (_, t) = get_json(&api.app, "/api/v1/topics").await;
    let topics = t["topics"].as_array().unwrap();
    assert_eq!(topics[0]["name"], "AI");
    let aws = topics.iter().find(|x| x["name"] == "AWS AI").unwrap();
    assert_eq!(aws["slug"], "aws-ai");
    assert_eq!(
        aws["feeds"]["rss"],
        "https://desk.example/topics/aws-ai/feed.rss"
    );

    let (s, headers, body) = call(&api.app, "GET", &format!("/articles/{id}.md")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(headers["content-type"], "text/markdown; charset=utf-8");
    let text = String::from_utf8(body).unwrap();
    assert!(text.starts_with("---\n"), "{text}");
    assert!(text.contains("title: \"Story <8> & co\""), "{text}");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["x-frame-options"], "DENY");

    let (s, h) = get_json(&api.app, "/healthz").await;
    assert_eq!((s, h["status"].as_str()), (StatusCode::OK, Some("ok")));
    let (_, stats) = get_json(&api.app, "/api/v1/stats").await;
    assert_eq!(stats["articles"], 25);

    let (s, headers, body) = call(&api.app, "GET", "/metrics").await;
    assert_eq!(s, StatusCode::OK);
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/plain"));
    let text = String::from_utf8(body).unwrap();
    assert!(
        text.contains(
            "newsdesk_http_requests_total{route=\"/api/v1/articles/{id}\",status=\"200\"} 1"
        ),
        "{text}"
    );
    assert!(text.contains("newsdesk_articles 25"), "{text}");

    // The OpenAPI document names every route the router has.
    let (_, doc) = get_json(&api.app, "/api/v1/openapi.json").await;
    for path in [
        "/healthz",
        "/metrics",
        "/api/v1/articles",
        "/api/v1/articles/{id}",
        "/api/v1/stories/{id}",
        "/api/v1/topics",
        "/api/v1/stats",
        "/articles/{file}",
        "/topics/{slug}/{file}",
        "/images/{key}",
    ] {
        assert!(
            doc["paths"][path].is_object(),
            "{path} missing from openapi.json"
        );
    }
}

/// A few thousand hostile requests: odd paths, encodings, huge and broken
/// parameters. Every answer is a 2xx/4xx (never a 5xx), errors keep the
/// shape, and the server still answers afterwards.
#[tokio::test]
async fn hostile_requests_never_break_the_server() {
    let api = api();
    let pieces = [
        "limit=-1",
        "limit=%00",
        "cursor=%FF%FE",
        "cursor=",
        "topic=%22%27%3B--",
        "topic=",
        "from=0000-00-00",
        "to=9999-99-99T99:99:99Z",
        "sort=",
        "published=",
        "min_quality=9e99",
        "provider=%E2%80%AE",
        "a=b",
        "limit=1&limit=2",
        "topic=AI&topic=Cloud",
        &"x".repeat(4000),
        "cursor=6",
        "%",
    ];
    let paths = [
        "/api/v1/articles",
        "/api/v1/articles/1",
        "/api/v1/articles/0",
        "/api/v1/articles/99999999999999999999",
        "/api/v1/stories/",
        "/api/v1/stories/%2e%2e",
        "/articles/..%2f..%2fetc%2fpasswd.md",
        "/articles/.md",
        "/api/v1/topics",
        "/api//v1",
        "/%00",
        "/api/v1/articles/1/../../x",
    ];
    let mut n = 0;
    let mut seed: u64 = 7;
    let mut rnd = |m: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % m as u64) as usize
    };
    while n < 3000 {
        let path = paths[rnd(paths.len())];
        let q: Vec<&str> = (0..rnd(4)).map(|_| pieces[rnd(pieces.len())]).collect();
        let uri = if q.is_empty() {
            path.to_string()
        } else {
            format!("{path}?{}", q.join("&"))
        };
        let Ok(req) = Request::builder().uri(&uri).body(Body::empty()) else {
            continue;
        };
        let resp = api.app.clone().oneshot(req).await.unwrap();
        let status = resp.status();
        let ctype = resp
            .headers()
            .get("content-type")
            .map(|v| v.to_str().unwrap_or("").to_string())
            .unwrap_or_default();
        let body = resp.into_body().collect().await.unwrap().to_bytes();
        assert!(status.as_u16() < 500, "{uri}: {status}");
        if status.is_client_error() {
            assert_eq!(ctype, "application/json", "{uri}");
            let v: Value = serde_json::from_slice(&body).unwrap();
            error_code(&v);
        }
        n += 1;
    }
    let (s, _) = get_json(&api.app, "/healthz").await;
    assert_eq!(s, StatusCode::OK);
}

/// Clients that hang up mid-request (the handler's future is dropped while
/// its query runs) must not cost the server its connections.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_dropped_half_way_do_not_leak_connections() {
    let api = api();
    for _ in 0..40 {
        let req = Request::builder()
            .uri("/api/v1/articles?topic=AI&limit=100")
            .body(Body::empty())
            .unwrap();
        let _ = tokio::time::timeout(
            std::time::Duration::from_micros(50),
            api.app.clone().oneshot(req),
        )
        .await;
    }
    for _ in 0..20 {
        let (s, v) = get_json(&api.app, "/api/v1/articles?limit=5").await;
        assert_eq!(s, StatusCode::OK, "{v}");
    }
}

#[tokio::test]
async fn topic_feeds_are_served_with_etags_and_answer_304() {
    let api = api();
    for (ext, ctype) in [
        ("rss", "application/rss+xml"),
        ("atom", "application/atom+xml"),
        ("json", "application/feed+json"),
    ] {
        let uri = format!("/topics/aws-ai/feed.{ext}");
        let (s, headers, body) = call(&api.app, "GET", &uri).await;
        assert_eq!(s, StatusCode::OK, "{uri}");
        assert!(
            headers["content-type"].to_str().unwrap().starts_with(ctype),
            "{uri}: {:?}",
            headers["content-type"]
        );
        let text = String::from_utf8(body).unwrap();
        assert!(
            text.contains("Story &lt;0&gt; &amp; co") || text.contains("Story <0> & co"),
            "{text}"
        );
        assert!(
            !text.contains("secret full text"),
            "feeds carry excerpts only"
        );
        let etag = headers["etag"].to_str().unwrap().to_string();
        let resp = api
            .app
            .clone()
            .oneshot(
                Request::builder()
                    .uri(&uri)
                    .header("if-none-match", &etag)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::NOT_MODIFIED, "{uri}");
        assert_eq!(resp.headers()["etag"], etag.as_str());
    }
    let (s, v) = get_json(&api.app, "/topics/gardening/feed.rss").await;
    assert_eq!((s.as_u16(), error_code(&v)), (404, "unknown_topic"));
    let (s, v) = get_json(&api.app, "/topics/aws-ai/feed.xml").await;
    assert_eq!((s.as_u16(), error_code(&v)), (404, "not_found"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cached_pages_follow_the_store_and_keys_bypass_the_cache() {
    let api = api();
    let page = "/api/v1/articles?topic=ai&limit=5";
    let (_, _, first) = call(&api.app, "GET", page).await;
    let (hits0, _) = api.state.cache.counts();
    let (_, _, again) = call(&api.app, "GET", page).await;
    assert_eq!(first, again);
    assert_eq!(
        api.state.cache.counts().0,
        hits0 + 1,
        "the second read is a hit"
    );
    // `Cache-Control: no-cache` and credentials go to the handler.
    for (name, value) in [("cache-control", "no-cache"), ("x-api-key", "nd_x_y")] {
        let before = api.state.cache.counts();
        let _ = api
            .app
            .clone()
            .oneshot(
                Request::builder()
                    .uri(page)
                    .header(name, value)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(
            api.state.cache.counts(),
            before,
            "{name} bypasses the cache"
        );
    }
    // Another connection unpublishes the top article; the page must stop
    // showing it (the watcher polls every 200 ms).
    let top: Value = serde_json::from_slice(&first).unwrap();
    let top_id = top["articles"][0]["id"].as_i64().unwrap();
    let mut store = SqliteStore::open(api._dir.path()).unwrap();
    let now = Utc.with_ymd_and_hms(2021, 5, 10, 0, 0, 0).unwrap();
    store
        .apply_editorial(
            &[Decision {
                id: top_id,
                config: "c".into(),
                topics: vec!["AI".into()],
                quality: 1,
                published: false,
                pinned: false,
                heat: -1,
                detail: "{\"reasons\":[\"test\"]}".into(),
            }],
            &[],
            now,
        )
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let (_, v) = get_json(&api.app, page).await;
        let ids: Vec<i64> = v["articles"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["id"].as_i64().unwrap())
            .collect();
        if !ids.contains(&top_id) {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "an unpublished article still served from the cache after 5 s"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(api.ids.contains(&top_id));
}

#[tokio::test]
async fn sources_are_listed_with_their_health_failing_first() {
    let api = api();
    let mut store = SqliteStore::open(api._dir.path()).unwrap();
    let now = Utc.with_ymd_and_hms(2021, 5, 10, 0, 0, 0).unwrap();
    for url in ["https://a.example/feed.xml", "https://b.example/feed.xml"] {
        store
            .follow_source(
                &newsdesk_store::SourceInfo {
                    locator: url.into(),
                    kind: "subscription".into(),
                    title: Some(format!("Feed of {url}")),
                },
                now,
            )
            .unwrap();
    }
    let failing = newsdesk_model::SourceHealth {
        last_attempt: Some(now),
        consecutive_errors: 3,
        last_error: Some("HTTP 503".into()),
        ..Default::default()
    };
    store
        .record_poll(
            "https://b.example/feed.xml",
            &newsdesk_store::PollRecord {
                health: serde_json::to_string(&failing).unwrap(),
                last_error: Some("HTTP 503".into()),
                last_status: Some(503),
                ..Default::default()
            },
        )
        .unwrap();
    let (status, v) = get_json(&api.app, "/api/v1/sources").await;
    assert_eq!(status, StatusCode::OK, "{v}");
    let list = v["sources"].as_array().unwrap();
    assert_eq!(list.len(), 2, "{v}");
    assert_eq!(list[0]["url"], "https://b.example/feed.xml");
    assert_eq!(list[0]["status"], "failing");
    assert_eq!(list[0]["consecutiveErrors"], 3);
    assert_eq!(list[0]["lastError"], "HTTP 503");
    assert_eq!(list[1]["status"], "new");
    assert_eq!(list[1]["title"], "Feed of https://a.example/feed.xml");
    let (status, v) = get_json(&api.app, "/api/v1/sources?x=1").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&v), "invalid_parameter");
}
