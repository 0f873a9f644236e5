//! Secured full text, API keys, roles, rate limits, CORS and editor actions,
//! through the real router over a store whose bodies are sealed.

use crate::common::{self, issue};
use std::sync::{Arc, Mutex};

use axum::http::StatusCode;
use chrono::{Duration, TimeZone, Utc};
use newsdesk_model::desk::{Rule, RuleAction};
use newsdesk_model::{ActionOutcome, EditorAction};
use newsdesk_secure::{Keyring, Role, Scope};
use newsdesk_server::{
    router, Access, AppState, DeskError, EditorDesk, Metrics, NewRule, ServerConfig,
};
use newsdesk_store::conformance::{sample, store_decided};
use newsdesk_store::prelude::*;
use newsdesk_store::{Decision, SqliteStore, Store, StoryHeat};
use serde_json::Value;

const N: usize = 12;

/// The sentence only article `i`'s body holds.
fn sentence(i: usize) -> String {
    format!("Quarrymaster{i} whispered the lantern cipher beside the flooded gravel pit.")
}

fn body(i: usize) -> String {
    format!(
        "Opening words of piece {i}. {} Closing remark about harbour tides.",
        sentence(i)
    )
}

/// Articles with bodies sealed with `keyring`, analysed and decided (every
/// third unpublished), in the data folder `dir`.
fn fill(dir: &std::path::Path, keyring: &Arc<Keyring>) -> Vec<i64> {
    let mut s = SqliteStore::open(dir).unwrap();
    s.set_sealer(keyring.clone()).unwrap();
    let now = Utc.with_ymd_and_hms(2021, 5, 10, 0, 0, 0).unwrap();
    let articles = (0..N)
        .map(|i| {
            let mut a = sample(&format!("https://example.com/{i}"), &format!("Story {i}"));
            a.related.clear();
            a.published_at = Some(now - Duration::hours(i as i64));
            a.body = Some(body(i));
            a.content_html = Some(format!("<p>{}</p>", body(i)));
            a
        })
        .collect();
    let heats: Vec<StoryHeat> = (100..103)
        .map(|story| StoryHeat {
            story,
            heat: 10,
            detail: "{\"score\":10,\"components\":[]}".into(),
            newest: Some(now),
        })
        .collect();
    store_decided(
        &mut s,
        articles,
        now,
        |_, id| 100 + id % 3,
        |i, _| Decision {
            id: 0,
            config: "c".into(),
            topics: vec!["AWS AI".into(), "AI".into()],
            quality: 60,
            published: i % 3 != 2,
            pinned: false,
            heat: 0,
            detail: "{\"reasons\":[\"test\"]}".into(),
        },
        &heats,
    )
}

/// What the fake desk was asked to do.
#[derive(Default)]
struct FakeDesk {
    calls: Mutex<Vec<String>>,
}

impl EditorDesk for FakeDesk {
    fn act(
        &self,
        article: i64,
        action: Option<EditorAction>,
        editor: &str,
        reason: Option<&str>,
    ) -> Result<ActionOutcome, DeskError> {
        let shown = action.map_or("Clear".to_string(), |a| format!("{a:?}"));
        if article > 1000 {
            return Err(DeskError::NotFound(format!(
                "there is no article {article}"
            )));
        }
        self.calls
            .lock()
            .unwrap()
            .push(format!("{article} {shown} by {editor}: {reason:?}"));
        Ok(ActionOutcome {
            id: article,
            published: Some(action != Some(EditorAction::Unpublish)),
            pinned: action == Some(EditorAction::Pin),
            heat: None,
            editor_override: None,
            reasons: vec!["editor".into()],
        })
    }
    fn rules(&self) -> Result<Vec<Rule>, DeskError> {
        Ok(vec![rule("r", "x", RuleAction::Mute, "alice")])
    }
    fn add_rule(&self, new: &NewRule, editor: &str) -> Result<Rule, DeskError> {
        if new.name == "taken" {
            return Err(DeskError::Conflict(
                "a rule named \"taken\" already exists".into(),
            ));
        }
        self.calls.lock().unwrap().push(format!(
            "add {} {} by {editor}",
            new.name,
            new.action.as_str()
        ));
        Ok(rule(&new.name, &new.query, new.action, editor))
    }
    fn remove_rule(&self, name: &str, editor: &str, _: Option<&str>) -> Result<(), DeskError> {
        if name != "r" {
            return Err(DeskError::NotFound(format!(
                "there is no rule named {name:?}"
            )));
        }
        self.calls
            .lock()
            .unwrap()
            .push(format!("remove {name} by {editor}"));
        Ok(())
    }
}

fn rule(name: &str, query: &str, action: RuleAction, editor: &str) -> Rule {
    Rule {
        name: name.into(),
        query: query.into(),
        action,
        topic: None,
        editor: editor.into(),
        reason: None,
        created_at: chrono::Utc::now(),
    }
}

struct Api {
    app: axum::Router,
    dir: tempfile::TempDir,
    ids: Vec<i64>,
    keyring: Arc<Keyring>,
    desk: Arc<FakeDesk>,
}

fn api_with(access: Access) -> Api {
    let dir = tempfile::tempdir().unwrap();
    let keyring = Arc::new(Keyring::generate().unwrap());
    let ids = fill(dir.path(), &keyring);
    let desk = Arc::new(FakeDesk::default());
    let state = AppState::open(
        &ServerConfig {
            data_dir: dir.path().to_path_buf(),
            base_url: "https://desk.example".into(),
            readers: 2,
        },
        Arc::new(Metrics::default()),
    )
    .unwrap()
    .with_access(access)
    .with_keyring(Some(keyring.clone()))
    .with_desk(desk.clone());
    Api {
        app: router(Arc::new(state)),
        dir,
        ids,
        keyring,
        desk,
    }
}

fn api() -> Api {
    api_with(Access::default())
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
    fn code(&self) -> String {
        let v = self.json();
        assert!(v["error"]["message"].as_str().is_some(), "{}", self.text());
        v["error"]["code"].as_str().unwrap().to_string()
    }
}

async fn send(
    app: &axum::Router,
    method: &str,
    uri: &str,
    headers: &[(&str, &str)],
    body: &str,
) -> Reply {
    let (status, headers, body) = common::exchange(app, method, uri, headers, body).await;
    Reply {
        status,
        headers,
        body,
    }
}

async fn get(app: &axum::Router, uri: &str, token: Option<&str>) -> Reply {
    let auth = token.map(|t| format!("Bearer {t}"));
    let headers: Vec<(&str, &str)> = auth
        .as_deref()
        .map(|a| vec![("authorization", a)])
        .unwrap_or_default();
    send(app, "GET", uri, &headers, "").await
}

/// Every endpoint that shows article content.
fn every_read(ids: &[i64]) -> Vec<String> {
    let mut uris = vec![
        "/api/v1/articles".to_string(),
        "/api/v1/articles?published=any&limit=100".into(),
        "/api/v1/articles?published=false".into(),
        "/api/v1/articles?topic=aws-ai&sort=time".into(),
        "/api/v1/topics".into(),
        "/api/v1/stats".into(),
        "/topics/aws-ai/feed.rss".into(),
        "/topics/aws-ai/feed.atom".into(),
        "/topics/aws-ai/feed.json".into(),
        "/topics/ai/feed.json".into(),
    ];
    for story in 100..103 {
        uris.push(format!("/api/v1/stories/{story}"));
    }
    for id in ids {
        uris.push(format!("/api/v1/articles/{id}"));
        uris.push(format!("/articles/{id}.md"));
    }
    uris
}

#[tokio::test]
async fn anonymous_and_reader_keys_never_see_clear_text() {
    let api = api();
    let (_, reader) = issue(api.dir.path(), "reader", Role::Reader, vec![], None);
    let (_, exporter) = issue(
        api.dir.path(),
        "editor",
        Role::Editor,
        vec![Scope::Export],
        None,
    );
    for token in [None, Some(reader.as_str()), Some(exporter.as_str())] {
        for uri in every_read(&api.ids) {
            let r = get(&api.app, &uri, token).await;
            assert!(r.status.is_success(), "{uri}: {} {}", r.status, r.text());
            let text = r.text();
            for i in 0..N {
                assert!(
                    !text.contains(&sentence(i)) && !text.contains("lantern cipher"),
                    "{uri} with {token:?} shows clear text"
                );
            }
        }
        // One article: the secured document form, no body.
        let v = get(&api.app, &format!("/api/v1/articles/{}", api.ids[0]), token)
            .await
            .json();
        assert!(v.get("body").is_none(), "{v}");
        let secured = v["secured"].as_str().unwrap();
        assert!(secured.contains(';') && !secured.contains(':'), "{secured}");
    }
}

#[tokio::test]
async fn a_fulltext_key_sees_the_body_and_the_secured_form_opens() {
    let api = api();
    let (_, full) = issue(
        api.dir.path(),
        "analyst",
        Role::Reader,
        vec![Scope::Fulltext],
        None,
    );
    let (_, admin) = issue(api.dir.path(), "root", Role::Admin, vec![], None);
    for (i, id) in api.ids.iter().enumerate() {
        for token in [&full, &admin] {
            let v = get(&api.app, &format!("/api/v1/articles/{id}"), Some(token))
                .await
                .json();
            assert_eq!(v["body"].as_str(), Some(body(i).as_str()), "{v}");
        }
        // The document's `secured` opens with the keyring, for this article only.
        let doc = get(&api.app, &format!("/articles/{id}.md"), None)
            .await
            .text();
        let parsed = newsdesk_model::Document::parse(&doc).unwrap();
        let secured = parsed.article.secured.clone().unwrap();
        let identity = parsed.article.identity_key().unwrap();
        assert_eq!(api.keyring.open(&identity, &secured).unwrap().text, body(i));
        let other = format!("url:https://example.com/{}", (i + 1) % N);
        assert!(api.keyring.open(&other, &secured).is_err());
        // One changed byte in the ciphertext or the nonce: refused.
        let (ct, nonce) = secured.split_once(';').unwrap();
        for tampered in [
            format!("{}{};{nonce}", flip(&ct[..4]), &ct[4..]),
            format!("{ct};{}{}", flip(&nonce[..4]), &nonce[4..]),
        ] {
            assert!(api.keyring.open(&identity, &tampered).is_err());
        }
    }
}

/// The same base64 with its first character changed.
fn flip(s: &str) -> String {
    let mut c: Vec<char> = s.chars().collect();
    c[0] = if c[0] == 'A' { 'B' } else { 'A' };
    c.into_iter().collect()
}

#[tokio::test]
async fn a_tampered_store_value_is_refused_not_shown() {
    let api = api();
    let (_, full) = issue(
        api.dir.path(),
        "analyst",
        Role::Reader,
        vec![Scope::Fulltext],
        None,
    );
    // Swap two articles' sealed bodies in the store.
    let mut s = SqliteStore::open(api.dir.path()).unwrap();
    let mut texts = s.texts_after(0, 2).unwrap();
    let (a, b) = (texts[0].body.clone(), texts[1].body.clone());
    texts[0].body = b;
    texts[1].body = a;
    s.replace_texts(&texts).unwrap();
    let r = get(
        &api.app,
        &format!("/api/v1/articles/{}", texts[0].id),
        Some(&full),
    )
    .await;
    assert_eq!(r.status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(r.code(), "internal");
    assert!(!r.text().contains("lantern"));
    // The store itself refuses it when it opens text.
    s.set_sealer(api.keyring.clone()).unwrap();
    let e = s.article(texts[0].id).unwrap_err().to_string();
    assert!(
        e.contains("body") && e.contains("authentication failed"),
        "{e}"
    );
}

#[tokio::test]
async fn bad_unknown_and_revoked_keys_get_401_with_specific_codes() {
    let api = api();
    let (id, token) = issue(api.dir.path(), "ci", Role::Reader, vec![], None);
    let uri = "/api/v1/topics";
    assert_eq!(
        get(&api.app, uri, Some(&token)).await.status,
        StatusCode::OK
    );
    let x = send(&api.app, "GET", uri, &[("x-api-key", &token)], "").await;
    assert_eq!(x.status, StatusCode::OK);

    let cases: Vec<(String, &str)> = vec![
        ("nd_nothex_abc".into(), "invalid_api_key"),
        ("sk-123".into(), "invalid_api_key"),
        (
            format!("nd_{}_{}", "0".repeat(16), "a".repeat(64)),
            "unknown_api_key",
        ),
        (format!("nd_{id}_{}", "b".repeat(64)), "unknown_api_key"),
    ];
    for (t, code) in &cases {
        let r = get(&api.app, uri, Some(t)).await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED, "{t}");
        assert_eq!(r.code(), *code, "{t}");
        assert!(!r.text().contains(&"b".repeat(64)));
    }
    let r = send(&api.app, "GET", uri, &[("authorization", "Basic abc")], "").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.code(), "invalid_api_key");

    // Revoked: refused within the cache's lifetime.
    let mut s = SqliteStore::open(api.dir.path()).unwrap();
    assert!(s.revoke_api_key(&id, "2024-01-01T00:00:00Z").unwrap());
    tokio::time::sleep(newsdesk_server::auth::KEY_TTL + std::time::Duration::from_millis(200))
        .await;
    let r = get(&api.app, uri, Some(&token)).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.code(), "revoked_api_key");
}

#[tokio::test]
async fn rate_limits_answer_429_with_retry_after() {
    let api = api_with(Access {
        anonymous_rate: 3,
        key_rate: 1000,
        ..Access::default()
    });
    let (_, slow) = issue(api.dir.path(), "slow", Role::Reader, vec![], Some(2));
    let (_, other) = issue(api.dir.path(), "other", Role::Reader, vec![], None);
    for _ in 0..3 {
        assert_eq!(get(&api.app, "/healthz", None).await.status, StatusCode::OK);
    }
    let r = get(&api.app, "/healthz", None).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.code(), "rate_limited");
    let wait: u64 = r.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    // A key has its own bucket and its own rate.
    for _ in 0..2 {
        assert_eq!(
            get(&api.app, "/healthz", Some(&slow)).await.status,
            StatusCode::OK
        );
    }
    let r = get(&api.app, "/healthz", Some(&slow)).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.headers["retry-after"], "30");
    assert_eq!(
        get(&api.app, "/healthz", Some(&other)).await.status,
        StatusCode::OK
    );

    // Behind a trusted proxy, each forwarded client has its own bucket.
    let api = api_with(Access {
        anonymous_rate: 1,
        trust_forwarded_for: true,
        ..Access::default()
    });
    let from = |ip: &'static str| {
        let app = api.app.clone();
        async move {
            send(&app, "GET", "/healthz", &[("x-forwarded-for", ip)], "")
                .await
                .status
        }
    };
    assert_eq!(from("203.0.113.9, 198.51.100.1").await, StatusCode::OK);
    assert_eq!(from("198.51.100.1").await, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(from("198.51.100.2").await, StatusCode::OK);
}

#[tokio::test]
async fn cors_answers_preflights_for_allowed_origins_only() {
    let api = api_with(Access {
        cors_origins: vec!["https://app.example".into()],
        ..Access::default()
    });
    let preflight = |origin: &'static str| {
        let app = api.app.clone();
        async move {
            send(
                &app,
                "OPTIONS",
                "/api/v1/articles",
                &[
                    ("origin", origin),
                    ("access-control-request-method", "GET"),
                    ("access-control-request-headers", "authorization"),
                ],
                "",
            )
            .await
        }
    };
    let r = preflight("https://app.example").await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(
        r.headers["access-control-allow-origin"],
        "https://app.example"
    );
    let allowed = r.headers["access-control-allow-headers"].to_str().unwrap();
    assert!(allowed.contains("Authorization"), "{allowed}");
    assert!(r.headers["access-control-allow-methods"]
        .to_str()
        .unwrap()
        .contains("POST"));
    let r = preflight("https://evil.example").await;
    assert!(r.headers.get("access-control-allow-origin").is_none());

    let r = send(
        &api.app,
        "GET",
        "/api/v1/topics",
        &[("origin", "https://app.example")],
        "",
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.headers["access-control-allow-origin"],
        "https://app.example"
    );
    assert_eq!(r.headers["vary"], "Origin");
    let r = send(
        &api.app,
        "GET",
        "/api/v1/topics",
        &[("origin", "https://evil.example")],
        "",
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.headers.get("access-control-allow-origin").is_none());
    // Errors carry the header too, so a browser can read them.
    let r = send(
        &api.app,
        "GET",
        "/api/v1/topics",
        &[
            ("origin", "https://app.example"),
            ("authorization", "Bearer x"),
        ],
        "",
    )
    .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        r.headers["access-control-allow-origin"],
        "https://app.example"
    );

    // `*` allows any origin.
    let any = api_with(Access {
        cors_origins: vec!["*".into()],
        ..Access::default()
    });
    let r = send(
        &any.app,
        "GET",
        "/healthz",
        &[("origin", "https://x.example")],
        "",
    )
    .await;
    assert_eq!(r.headers["access-control-allow-origin"], "*");
}

#[tokio::test]
async fn editor_actions_need_the_editor_role_and_a_good_body() {
    let api = api();
    let (_, reader) = issue(api.dir.path(), "reader", Role::Reader, vec![], None);
    let (_, editor) = issue(api.dir.path(), "alice", Role::Editor, vec![], None);
    let id = api.ids[0];
    let uri = format!("/api/v1/articles/{id}/actions");
    let post = |token: Option<String>, uri: String, body: &'static str| {
        let app = api.app.clone();
        async move {
            let auth = token.map(|t| format!("Bearer {t}"));
            let mut h = vec![("content-type", "application/json")];
            if let Some(a) = auth.as_deref() {
                h.push(("authorization", a));
            }
            send(&app, "POST", &uri, &h, body).await
        }
    };
    let good = r#"{"action": "pin", "reason": "exclusive"}"#;
    let r = post(None, uri.clone(), good).await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(r.code(), "unauthenticated");
    let r = post(Some(reader.clone()), uri.clone(), good).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.code(), "forbidden");
    assert!(api.desk.calls.lock().unwrap().is_empty());

    let r = post(Some(editor.clone()), uri.clone(), good).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    assert_eq!(r.json()["pinned"], true);
    assert_eq!(
        api.desk.calls.lock().unwrap().as_slice(),
        [format!("{id} Pin by alice: Some(\"exclusive\")")]
    );

    for (body, code) in [
        ("{not json", "invalid_body"),
        ("[1]", "invalid_body"),
        (r#"{"action": "burn"}"#, "unknown_action"),
        (r#"{"action": 3}"#, "invalid_body"),
        (r#"{"reason": "x"}"#, "invalid_body"),
        (r#"{"action": "pin", "extra": 1}"#, "invalid_body"),
    ] {
        let r = post(Some(editor.clone()), uri.clone(), body).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(r.code(), code, "{body}");
    }
    let r = post(
        Some(editor.clone()),
        "/api/v1/articles/999999/actions".into(),
        good,
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.code(), "not_found");
    let r = post(
        Some(editor.clone()),
        "/api/v1/articles/x/actions".into(),
        good,
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);

    // Rules.
    let r = get(&api.app, "/api/v1/rules", Some(&reader)).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    let r = get(&api.app, "/api/v1/rules", Some(&editor)).await;
    assert_eq!(r.json()["rules"][0]["name"], "r");
    let r = post(
        Some(editor.clone()),
        "/api/v1/rules".into(),
        r#"{"name": "pr", "query": "\"press release\"", "action": "mute"}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text());
    let r = post(
        Some(editor.clone()),
        "/api/v1/rules".into(),
        r#"{"name": "taken", "query": "x", "action": "keep"}"#,
    )
    .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.code(), "rule_exists");
    let r = post(
        Some(editor.clone()),
        "/api/v1/rules".into(),
        r#"{"name": "n", "query": "x", "action": "drop"}"#,
    )
    .await;
    assert_eq!(r.code(), "unknown_action");
    let auth = format!("Bearer {editor}");
    let r = send(
        &api.app,
        "DELETE",
        "/api/v1/rules/r",
        &[("authorization", &auth)],
        "",
    )
    .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = send(
        &api.app,
        "DELETE",
        "/api/v1/rules/nope",
        &[("authorization", &auth)],
        "",
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    let calls = api.desk.calls.lock().unwrap().clone();
    assert!(
        calls.contains(&"add pr mute by alice".to_string()),
        "{calls:?}"
    );
    assert!(
        calls.contains(&"remove r by alice".to_string()),
        "{calls:?}"
    );
}
