//! The editors' pages through the real router (in process) over a desk
//! filled from the seeds and the generated newsroom, with the desk
//! library taking the actions: sign-in and its cookie, the CSRF checks,
//! publish / pin through the forms, rules with their preview, sign-out,
//! the clear text for `fulltext` keys, and saved searches with their feeds.
//!
//! Each test fills its own data folder (they change it). Skips with a
//! message when `../shared` is missing (fails instead under
//! `NEWSDESK_REQUIRE_SHARED=1`).

use crate::common::exchange;
use std::collections::HashMap;
use std::sync::Arc;

use axum::http::{header, HeaderMap, StatusCode};
use chrono::{Duration, Utc};
use newsdesk_desk::api::EditorService;
use newsdesk_desk::ingest::{ingest, IngestOptions};
use newsdesk_desk::{DeskPaths, KeySource};
use newsdesk_secure::{Role, Scope};
use newsdesk_server::{router, AppState, Metrics, ServerConfig};
use newsdesk_store::prelude::*;
use newsdesk_store::{Batch, SourceInfo, SqliteStore, Store, StoredArticle};

struct Fixture {
    dir: tempfile::TempDir,
    app: axum::Router,
    /// name → token
    keys: HashMap<&'static str, String>,
}

/// A key stored in `dir`'s store; returns its token.
fn issue(dir: &std::path::Path, name: &str, role: Role, scopes: Vec<Scope>) -> String {
    crate::common::issue(dir, name, role, scopes, None).1
}

fn fixture() -> Option<Fixture> {
    let seeds = newsdesk_testkit::shared("seeds")?;
    let dir = tempfile::tempdir().unwrap();
    let config = newsdesk_newsroom::Config {
        events: 8,
        providers: 6,
        days: 1,
        start: Utc::now() - Duration::days(1),
        ..newsdesk_newsroom::Config::default()
    };
    {
        let mut store = SqliteStore::open(dir.path()).unwrap();
        let articles: Vec<_> = newsdesk_newsroom::generate(&config)
            .map(|g| g.article)
            .collect();
        store
            .ingest(
                &Batch {
                    source: SourceInfo {
                        locator: "https://newsroom.example/feed.xml".into(),
                        kind: "rss".into(),
                        title: Some("Newsroom".into()),
                    },
                    articles,
                },
                Utc::now(),
            )
            .unwrap();
    }
    let paths = DeskPaths::new(dir.path(), KeySource::default());
    ingest(&paths, &[seeds], &IngestOptions::default(), &mut ()).unwrap();
    let mut keys = HashMap::new();
    keys.insert("alice", issue(dir.path(), "alice", Role::Editor, vec![]));
    keys.insert("bob", issue(dir.path(), "bob", Role::Reader, vec![]));
    keys.insert(
        "carol",
        issue(dir.path(), "carol", Role::Editor, vec![Scope::Fulltext]),
    );
    let desk = EditorService::open(&paths).unwrap();
    let state = AppState::open(
        &ServerConfig {
            data_dir: dir.path().to_path_buf(),
            base_url: "https://desk.example".into(),
            readers: 2,
        },
        Arc::new(Metrics::default()),
    )
    .unwrap()
    .with_desk(Arc::new(desk));
    Some(Fixture {
        dir,
        app: router(Arc::new(state)),
        keys,
    })
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// The `Set-Cookie` header for `name`, whole.
fn set_cookie(h: &HeaderMap, name: &str) -> Option<String> {
    h.get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(str::to_string)
}

/// The value of cookie `name` a `Set-Cookie` sets.
fn cookie_value(h: &HeaderMap, name: &str) -> Option<String> {
    let c = set_cookie(h, name)?;
    let v = c.split(';').next()?.split_once('=')?.1.to_string();
    Some(v)
}

/// The value of the hidden field `name` in a page.
fn hidden(body: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let at = body.find(&marker)? + marker.len();
    Some(body[at..].split('"').next()?.to_string())
}

fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

fn form(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", enc(v)))
        .collect::<Vec<_>>()
        .join("&")
}

const FORM: (&str, &str) = ("content-type", "application/x-www-form-urlencoded");
const HTML: (&str, &str) = ("accept", "text/html");

/// Signs in with `key`: the sign-in answer's headers and body.
async fn try_signin(app: &axum::Router, key: &str) -> (StatusCode, HeaderMap, String) {
    let (s, h, b) = exchange(app, "GET", "/signin", &[HTML], "").await;
    assert_eq!(s, StatusCode::OK);
    let pre = cookie_value(&h, "newsdesk_signin").expect("the double-submit cookie");
    let field = hidden(&text(&b), "signin").expect("the form's token");
    assert_eq!(pre, field);
    let cookie = format!("newsdesk_signin={pre}");
    let (s, h, b) = exchange(
        app,
        "POST",
        "/signin",
        &[FORM, HTML, ("cookie", &cookie)],
        &form(&[("signin", &field), ("key", key)]),
    )
    .await;
    (s, h, text(&b))
}

/// A signed-in editor: the cookie header to send and the CSRF token.
async fn signin(app: &axum::Router, key: &str) -> (String, String) {
    let (s, h, _) = try_signin(app, key).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let token = cookie_value(&h, "newsdesk_session").expect("the session cookie");
    let cookie = format!("newsdesk_session={token}");
    let (s, _, b) = exchange(app, "GET", "/editor", &[HTML, ("cookie", &cookie)], "").await;
    assert_eq!(s, StatusCode::OK);
    let csrf = hidden(&text(&b), "csrf").expect("the editor page's forms carry a token");
    (cookie, csrf)
}

fn articles(dir: &std::path::Path) -> Vec<StoredArticle> {
    let s = SqliteStore::open(dir).unwrap();
    let mut out = Vec::new();
    let mut after = 0;
    loop {
        let page = s.articles_after(after, 500).unwrap();
        let Some(last) = page.last() else { break };
        after = last.id;
        out.extend(page.into_iter().filter(|a| !a.stub && a.story.is_some()));
    }
    out
}

async fn api_article(app: &axum::Router, id: i64) -> serde_json::Value {
    let (s, _, b) = exchange(app, "GET", &format!("/api/v1/articles/{id}"), &[], "").await;
    assert_eq!(s, StatusCode::OK);
    serde_json::from_slice(&b).unwrap()
}

#[tokio::test]
async fn signing_in_sets_a_strict_http_only_cookie_and_readers_are_refused() {
    let Some(f) = fixture() else { return };
    let (s, h, _) = try_signin(&f.app, &f.keys["alice"]).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let c = set_cookie(&h, "newsdesk_session").unwrap();
    for attr in [
        "HttpOnly",
        "SameSite=Strict",
        "Path=/",
        "Secure",
        "Max-Age=43200",
    ] {
        assert!(c.contains(attr), "{attr} in {c}");
    }
    let (cookie, _) = signin(&f.app, &f.keys["alice"]).await;
    let (_, _, b) = exchange(&f.app, "GET", "/editor", &[HTML, ("cookie", &cookie)], "").await;
    assert!(text(&b).contains("Signed in as <strong>alice</strong>"));

    // A reader's key: a refusal page, no session.
    let (s, h, b) = try_signin(&f.app, &f.keys["bob"]).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert!(set_cookie(&h, "newsdesk_session").is_none());
    assert!(b.contains("role reader"), "{b}");
    // A wrong key.
    let (s, h, _) = try_signin(&f.app, "nd_0000000000000000_notasecret").await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert!(set_cookie(&h, "newsdesk_session").is_none());
    // Login CSRF: a post without the form's own cookie is refused.
    let (s, h, _) = exchange(
        &f.app,
        "POST",
        "/signin",
        &[FORM, HTML],
        &form(&[("signin", "x"), ("key", &f.keys["alice"])]),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert!(set_cookie(&h, "newsdesk_session").is_none());
    // Without a session, /editor sends to the sign-in form.
    let (s, h, _) = exchange(&f.app, "GET", "/editor", &[HTML], "").await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(h[header::LOCATION], "/signin");
}

#[tokio::test]
async fn forms_need_the_token_and_a_pin_is_audited_with_the_key_name() {
    let Some(f) = fixture() else { return };
    let (cookie, csrf) = signin(&f.app, &f.keys["alice"]).await;
    let a = articles(f.dir.path())
        .into_iter()
        .find(|a| !a.pinned)
        .expect("an article");
    let url = format!("/editor/articles/{}/actions", a.id);
    for body in [
        form(&[("action", "pin")]),
        form(&[("action", "pin"), ("csrf", "0000")]),
    ] {
        let (s, _, _) = exchange(
            &f.app,
            "POST",
            &url,
            &[FORM, HTML, ("cookie", &cookie)],
            &body,
        )
        .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
    }
    // The right token without the session is refused too.
    let (s, _, _) = exchange(
        &f.app,
        "POST",
        &url,
        &[FORM, HTML],
        &form(&[("action", "pin"), ("csrf", &csrf)]),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert_eq!(api_article(&f.app, a.id).await["pinned"], false);

    // The article page shows the buttons to the editor only.
    let page = format!("/articles/{}", a.id);
    let (_, _, b) = exchange(&f.app, "GET", &page, &[HTML], "").await;
    assert!(!text(&b).contains(&url));
    let (_, _, b) = exchange(&f.app, "GET", &page, &[HTML, ("cookie", &cookie)], "").await;
    assert!(text(&b).contains(&format!("action=\"{url}\"")));

    let (s, h, _) = exchange(
        &f.app,
        "POST",
        &url,
        &[FORM, HTML, ("cookie", &cookie)],
        &form(&[("action", "pin"), ("csrf", &csrf), ("reason", "lead story")]),
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let back = h[header::LOCATION].to_str().unwrap().to_string();
    assert_eq!(back, format!("/articles/{}?done=pin", a.id));
    assert_eq!(api_article(&f.app, a.id).await["pinned"], true);
    let (_, _, b) = exchange(&f.app, "GET", &back, &[HTML, ("cookie", &cookie)], "").await;
    assert!(text(&b).contains("The article is pinned."));
    let log = SqliteStore::open(f.dir.path())
        .unwrap()
        .audit_log(Some(a.id), 10)
        .unwrap();
    assert!(
        log.iter().any(|e| e.editor == "alice"
            && e.action == "pin"
            && e.reason.as_deref() == Some("lead story")),
        "{log:?}"
    );
    let (_, _, b) = exchange(&f.app, "GET", "/editor", &[HTML, ("cookie", &cookie)], "").await;
    assert!(text(&b).contains(&format!("<a href=\"/articles/{}\">", a.id)));
}

#[tokio::test]
async fn a_rule_is_previewed_then_applied_and_unpublishes_what_it_listed() {
    let Some(f) = fixture() else { return };
    let (cookie, csrf) = signin(&f.app, &f.keys["alice"]).await;
    // A word from a published article's title.
    let all = articles(f.dir.path());
    let target = all
        .iter()
        .find(|a| a.article.published == Some(true) && !a.pinned)
        .expect("a published article");
    let word = target
        .article
        .title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() >= 5)
        .max_by_key(|w| w.len())
        .expect("a word")
        .to_lowercase();
    let rule = [
        ("csrf", csrf.as_str()),
        ("name", "no-test-word"),
        ("query", word.as_str()),
        ("action", "mute"),
        ("topic", ""),
        ("reason", "a test"),
    ];
    let (s, _, b) = exchange(
        &f.app,
        "POST",
        "/editor/rules/preview",
        &[FORM, HTML, ("cookie", &cookie)],
        &form(&rule),
    )
    .await;
    let preview = text(&b);
    assert_eq!(s, StatusCode::OK, "{preview}");
    assert!(preview.contains(&format!("<a href=\"/articles/{}\">", target.id)));
    assert!(preview.contains("would be unpublished"));
    let listed: Vec<i64> = preview
        .split("<li><a href=\"/articles/")
        .skip(1)
        .filter_map(|p| p.split('"').next()?.parse().ok())
        .collect();
    assert!(!listed.is_empty());
    // Nothing applied yet.
    assert!(SqliteStore::open(f.dir.path())
        .unwrap()
        .rules()
        .unwrap()
        .is_empty());
    assert_eq!(api_article(&f.app, target.id).await["published"], true);

    let (s, h, _) = exchange(
        &f.app,
        "POST",
        "/editor/rules",
        &[FORM, HTML, ("cookie", &cookie)],
        &form(&rule),
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(h[header::LOCATION], "/editor?done=rule-added");
    for id in &listed {
        assert_eq!(api_article(&f.app, *id).await["published"], false, "{id}");
    }
    let (_, _, b) = exchange(
        &f.app,
        "GET",
        "/editor?done=rule-added",
        &[HTML, ("cookie", &cookie)],
        "",
    )
    .await;
    let editor = text(&b);
    assert!(editor.contains("no-test-word") && editor.contains("The rule is added"));
    // Removed again.
    let (s, _, _) = exchange(
        &f.app,
        "POST",
        "/editor/rules/remove",
        &[FORM, HTML, ("cookie", &cookie)],
        &form(&[("csrf", &csrf), ("name", "no-test-word")]),
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert!(SqliteStore::open(f.dir.path())
        .unwrap()
        .rules()
        .unwrap()
        .is_empty());
    assert_eq!(api_article(&f.app, target.id).await["published"], true);
}

#[tokio::test]
async fn signing_out_ends_the_session() {
    let Some(f) = fixture() else { return };
    let (cookie, csrf) = signin(&f.app, &f.keys["alice"]).await;
    let (s, h, _) = exchange(
        &f.app,
        "POST",
        "/signout",
        &[FORM, HTML, ("cookie", &cookie)],
        &form(&[("csrf", &csrf)]),
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert!(set_cookie(&h, "newsdesk_session")
        .unwrap()
        .contains("Max-Age=0"));
    let (s, _, _) = exchange(&f.app, "GET", "/editor", &[HTML, ("cookie", &cookie)], "").await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let a = &articles(f.dir.path())[0];
    let (s, _, _) = exchange(
        &f.app,
        "POST",
        &format!("/editor/articles/{}/actions", a.id),
        &[FORM, HTML, ("cookie", &cookie)],
        &form(&[("action", "pin"), ("csrf", &csrf)]),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_clear_text_shows_only_for_a_fulltext_key() {
    let Some(f) = fixture() else { return };
    let a = articles(f.dir.path())
        .into_iter()
        .find(|a| {
            a.article
                .body
                .as_deref()
                .is_some_and(|b| b.trim().len() > 80)
        })
        .expect("an article with a body");
    let body = a.article.body.clone().unwrap();
    // A stretch of the text without characters the page escapes.
    let probe: String = body
        .split(['<', '>', '&', '"', '\'', '\n'])
        .max_by_key(|p| p.trim().len())
        .unwrap()
        .trim()
        .chars()
        .take(60)
        .collect();
    assert!(probe.len() > 20, "{probe:?}");
    let page = format!("/articles/{}", a.id);
    let (_, _, anon) = exchange(&f.app, "GET", &page, &[HTML], "").await;
    assert!(!text(&anon).contains(&probe));
    let (alice, _) = signin(&f.app, &f.keys["alice"]).await;
    let (_, _, b) = exchange(&f.app, "GET", &page, &[HTML, ("cookie", &alice)], "").await;
    assert!(!text(&b).contains(&probe));
    assert!(!text(&b).contains("class=\"fulltext\""));
    let (carol, _) = signin(&f.app, &f.keys["carol"]).await;
    let (_, _, b) = exchange(&f.app, "GET", &page, &[HTML, ("cookie", &carol)], "").await;
    assert!(text(&b).contains(&probe), "carol sees the text");
    assert!(text(&b).contains("class=\"fulltext\""));
    let (_, h, _) = exchange(&f.app, "GET", &page, &[HTML, ("cookie", &carol)], "").await;
    assert_eq!(h[header::CACHE_CONTROL], "private, no-store");
    // The public page, asked again, still has no text (no cache leak).
    let (_, _, anon) = exchange(&f.app, "GET", &page, &[HTML], "").await;
    assert!(!text(&anon).contains(&probe));
}

#[tokio::test]
async fn a_saved_search_lists_with_feeds_that_answer_its_matches() {
    let Some(f) = fixture() else { return };
    let (cookie, csrf) = signin(&f.app, &f.keys["alice"]).await;
    // The search page links to the form, the query filled in.
    let (_, _, b) = exchange(&f.app, "GET", "/search?q=cloud", &[HTML], "").await;
    assert!(text(&b).contains("action=\"/searches\""));
    let (_, _, b) = exchange(
        &f.app,
        "GET",
        "/searches?q=cloud",
        &[HTML, ("cookie", &cookie)],
        "",
    )
    .await;
    assert!(text(&b).contains("name=\"q\" required maxlength=\"2000\" value=\"cloud\""));
    // Without the token: refused.
    let (s, _, _) = exchange(
        &f.app,
        "POST",
        "/searches",
        &[FORM, HTML, ("cookie", &cookie)],
        &form(&[("name", "Cloud <news>"), ("q", "cloud")]),
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, h, _) = exchange(
        &f.app,
        "POST",
        "/searches",
        &[FORM, HTML, ("cookie", &cookie)],
        &form(&[("csrf", &csrf), ("name", "Cloud <news>"), ("q", "cloud")]),
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let saved = SqliteStore::open(f.dir.path())
        .unwrap()
        .saved_searches()
        .unwrap();
    assert_eq!(saved.len(), 1);
    let slug = saved[0].slug.clone();
    assert_eq!(h[header::LOCATION], "/searches?done=saved");
    let (_, _, b) = exchange(&f.app, "GET", "/searches", &[HTML], "").await;
    let list = text(&b);
    assert!(list.contains("Cloud &#60;news&#62;"), "escaped: {list}");
    assert!(!list.contains("Cloud <news>"));
    assert!(list.contains(&format!("/searches/{slug}.rss")));

    let (s, _, own) = exchange(&f.app, "GET", &format!("/searches/{slug}.json"), &[], "").await;
    assert_eq!(s, StatusCode::OK);
    let (_, _, plain) = exchange(&f.app, "GET", "/search/feed.json?q=cloud", &[], "").await;
    let own: serde_json::Value = serde_json::from_slice(&own).unwrap();
    let plain: serde_json::Value = serde_json::from_slice(&plain).unwrap();
    let ids = |v: &serde_json::Value| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_str().unwrap_or_default().to_string())
            .collect()
    };
    assert!(!ids(&own).is_empty(), "the feed has the matches");
    assert_eq!(ids(&own), ids(&plain));
    // With a topic: its feed answers as the search feed with that filter.
    let (s, _, _) = exchange(
        &f.app,
        "POST",
        "/searches",
        &[FORM, HTML, ("cookie", &cookie)],
        &form(&[
            ("csrf", &csrf),
            ("name", "Cloud in AI"),
            ("q", "cloud"),
            ("topic", "AI"),
        ]),
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, _, b) = exchange(&f.app, "GET", "/searches", &[HTML], "").await;
    assert!(text(&b).contains("(topic AI)"));
    let (s, _, own) = exchange(&f.app, "GET", "/searches/cloud-in-ai.json", &[], "").await;
    assert_eq!(s, StatusCode::OK);
    let (_, _, plain) =
        exchange(&f.app, "GET", "/search/feed.json?q=cloud&topic=AI", &[], "").await;
    let own: serde_json::Value = serde_json::from_slice(&own).unwrap();
    let plain: serde_json::Value = serde_json::from_slice(&plain).unwrap();
    assert!(!ids(&own).is_empty());
    assert_eq!(ids(&own), ids(&plain));
    let (s, _, _) = exchange(
        &f.app,
        "POST",
        "/searches/remove",
        &[FORM, HTML, ("cookie", &cookie)],
        &form(&[("csrf", &csrf), ("slug", "cloud-in-ai")]),
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (s, _, _) = exchange(&f.app, "GET", &format!("/searches/{slug}.rss"), &[], "").await;
    assert_eq!(s, StatusCode::OK);
    let (s, _, _) = exchange(&f.app, "GET", "/searches/nothing-here.rss", &[], "").await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    let (s, _, _) = exchange(
        &f.app,
        "POST",
        "/searches/remove",
        &[FORM, HTML, ("cookie", &cookie)],
        &form(&[("csrf", &csrf), ("slug", &slug)]),
    )
    .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert!(SqliteStore::open(f.dir.path())
        .unwrap()
        .saved_searches()
        .unwrap()
        .is_empty());
}

#[tokio::test]
async fn the_editor_pages_are_well_formed_without_inline_script() {
    let Some(f) = fixture() else { return };
    let (s, h, b) = exchange(&f.app, "GET", "/signin", &[HTML], "").await;
    assert_eq!(s, StatusCode::OK);
    crate::web::check_page("/signin", &h, &text(&b));
    let (cookie, csrf) = signin(&f.app, &f.keys["carol"]).await;
    let a = articles(f.dir.path())[0].id;
    for uri in [
        "/editor?done=pin".to_string(),
        "/searches?q=cloud".to_string(),
        format!("/articles/{a}?done=pin"),
    ] {
        let (s, h, b) = exchange(&f.app, "GET", &uri, &[HTML, ("cookie", &cookie)], "").await;
        assert_eq!(s, StatusCode::OK, "{uri}");
        crate::web::check_page(&uri, &h, &text(&b));
    }
    let (s, h, b) = exchange(
        &f.app,
        "POST",
        "/editor/rules/preview",
        &[FORM, HTML, ("cookie", &cookie)],
        &form(&[
            ("csrf", &csrf),
            ("name", "<b>x</b>"),
            ("query", "cloud"),
            ("action", "keep"),
        ]),
    )
    .await;
    assert_eq!(s, StatusCode::OK);
    let body = text(&b);
    crate::web::check_page("/editor/rules/preview", &h, &body);
    assert!(body.contains("&#60;b&#62;x&#60;/b&#62;") && !body.contains("<b>x</b>"));
    // A refusal is a page too.
    let (s, h, b) = exchange(
        &f.app,
        "POST",
        "/editor/rules/preview",
        &[FORM, HTML, ("cookie", &cookie)],
        "name=x",
    )
    .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    crate::web::check_page("/editor/rules/preview (403)", &h, &text(&b));
}
