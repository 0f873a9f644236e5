//! `GET /api/v1/search` and the search feeds over the real corpus
//! (`../shared/corpus/everyday-ai`), through the real router: phrases,
//! every filter checked against the store, snippets that mark matches and
//! never carry body text, the documented error codes, hostile queries, and
//! feeds read back by Python's feedparser.
//!
//! Skips with a message when `../shared` is missing (fails instead under
//! `NEWSDESK_REQUIRE_SHARED=1`).

use crate::common;
use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use newsdesk_desk::search_sync::index_doc;
use newsdesk_search::SearchIndex;
use newsdesk_server::search::index_dir;
use newsdesk_server::{router, AppState, Metrics, ServerConfig};
use newsdesk_store::prelude::*;
use newsdesk_store::{Batch, SearchDoc, SourceInfo, SqliteStore, Store};
use serde_json::Value;

/// A word only the bodies hold.
const BODY_WORD: &str = "quokkabodyonly";

/// The corpus in a store (every article given a body holding [`BODY_WORD`]
/// and a sentence no title or excerpt has), indexed as the keeper would.
fn fill(dir: &Path) -> Option<()> {
    let corpus = newsdesk_testkit::shared("corpus/everyday-ai")?;
    let mut s = SqliteStore::open(dir).unwrap();
    let now = Utc::now();
    for file in newsdesk_ingest::expand_paths(&[corpus]) {
        let Ok(p) = newsdesk_ingest::read_path(&file, 10 << 20) else {
            continue;
        };
        let mut articles: Vec<_> = p
            .articles
            .into_iter()
            .filter(|a| a.identity_key().is_some())
            .collect();
        if articles.is_empty() {
            continue;
        }
        for a in &mut articles {
            a.body = Some(format!(
                "The secret full text says {BODY_WORD} in the middle of a long paragraph that is never shown."
            ));
        }
        s.ingest(
            &Batch {
                source: SourceInfo {
                    locator: p.locator,
                    kind: p.source_kind,
                    title: None,
                },
                articles,
            },
            now,
        )
        .unwrap();
    }
    let index = SearchIndex::open_or_create(&index_dir(dir)).unwrap();
    let docs: Vec<_> = s.all_search_docs().map(|d| index_doc(d.unwrap())).collect();
    assert!(docs.len() >= 150, "the corpus has about 200 records");
    index.add_batch(&docs).unwrap();
    index.commit().unwrap();
    Some(())
}

struct Api {
    app: axum::Router,
    dir: tempfile::TempDir,
}

fn api() -> Option<Api> {
    let dir = tempfile::tempdir().unwrap();
    fill(dir.path())?;
    let state = AppState::open(
        &ServerConfig {
            data_dir: dir.path().to_path_buf(),
            base_url: "https://desk.example/".into(),
            readers: 2,
        },
        Arc::new(Metrics::default()),
    )
    .unwrap();
    Some(Api {
        app: router(Arc::new(state)),
        dir,
    })
}

impl Api {
    fn docs(&self, ids: &[i64]) -> Vec<SearchDoc> {
        SqliteStore::open(self.dir.path())
            .unwrap()
            .search_docs(ids)
            .unwrap()
    }
}

async fn call(
    app: &axum::Router,
    uri: &str,
    etag: Option<&str>,
) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let headers: Vec<(&str, &str)> = etag.map(|e| ("if-none-match", e)).into_iter().collect();
    common::exchange(app, "GET", uri, &headers, "").await
}

async fn get_json(app: &axum::Router, uri: &str) -> (StatusCode, Value) {
    let (status, _, body) = call(app, uri, None).await;
    let v = serde_json::from_slice(&body)
        .unwrap_or_else(|e| panic!("{uri}: not JSON ({e}): {}", String::from_utf8_lossy(&body)));
    (status, v)
}

fn encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Every hit of a search, walking its pages.
async fn all_hits(app: &axum::Router, params: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut offset = 0;
    loop {
        let uri = format!("/api/v1/search?{params}&limit=100&offset={offset}");
        let (status, v) = get_json(app, &uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}: {v}");
        let hits = v["hits"].as_array().unwrap().clone();
        let total = v["total"].as_u64().unwrap() as usize;
        assert_eq!(v["totalExact"], true, "{uri}: more than 10,000 matches");
        let n = hits.len();
        out.extend(hits);
        offset += n;
        if n == 0 || offset >= total {
            assert_eq!(out.len(), total, "{params}");
            return out;
        }
    }
}

fn ids(hits: &[Value]) -> Vec<i64> {
    hits.iter().map(|h| h["id"].as_i64().unwrap()).collect()
}

/// Lower case, every run of other characters one space.
fn words(s: &str) -> String {
    let mut out = String::from(" ");
    for c in s.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    out.push(' ');
    out
}

fn unescape(html: &str) -> String {
    html.replace("<mark>", "")
        .replace("</mark>", "")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[tokio::test]
async fn a_phrase_finds_every_article_that_has_it() {
    let Some(api) = api() else { return };
    let all = api.docs(&(1..100_000).collect::<Vec<_>>());
    for phrase in ["machine learning", "artificial intelligence", "data center"] {
        let want: BTreeSet<i64> = all
            .iter()
            .filter(|d| {
                let text = words(&format!(
                    "{} {} {}",
                    d.title,
                    d.excerpt.as_deref().unwrap_or(""),
                    d.topics.join(" ")
                ));
                text.contains(&format!(" {phrase} "))
            })
            .map(|d| d.id)
            .collect();
        assert!(!want.is_empty(), "the corpus has {phrase:?}");
        let hits = all_hits(
            &api.app,
            &format!("q={}&published=any", encode(&format!("\"{phrase}\""))),
        )
        .await;
        let got: BTreeSet<i64> = ids(&hits).into_iter().collect();
        let missed: Vec<_> = want.difference(&got).collect();
        assert!(missed.is_empty(), "{phrase:?}: missed {missed:?}");
        // The words apart (not as a phrase) match at least as many.
        let loose = all_hits(&api.app, &format!("q={}&published=any", encode(phrase))).await;
        assert!(loose.len() >= hits.len(), "{phrase:?}");
        // A match in the title or excerpt is marked (one in the topics or
        // a cut-off excerpt has nothing to mark).
        for h in &hits {
            let id = h["id"].as_i64().unwrap();
            let d = all.iter().find(|d| d.id == id).unwrap();
            let shown = words(&format!(
                "{} {}",
                d.title,
                d.excerpt.as_deref().unwrap_or("")
            ));
            if !shown.contains(&format!(" {phrase} ")) {
                continue;
            }
            let title = h["titleHtml"].as_str().unwrap();
            let snippet = h["snippet"].as_str().unwrap_or("");
            if words(&d.title).contains(&format!(" {phrase} ")) {
                assert!(title.contains("<mark>"), "{phrase:?}: not marked in {h}");
            } else if snippet.len() >= d.excerpt.as_deref().unwrap_or("").len() {
                assert!(snippet.contains("<mark>"), "{phrase:?}: not marked in {h}");
            }
        }
    }
}

/// What every hit of a filtered search must satisfy.
type Filter = Box<dyn Fn(&SearchDoc) -> bool>;

#[tokio::test]
async fn filters_hold_for_every_hit() {
    let Some(api) = api() else { return };
    let all = api.docs(&(1..100_000).collect::<Vec<_>>());
    // The most common topic and provider of the corpus.
    let mut topics = std::collections::HashMap::<String, usize>::new();
    let mut providers = std::collections::HashMap::<String, usize>::new();
    for d in &all {
        for t in &d.topics {
            *topics.entry(t.clone()).or_default() += 1;
        }
        if let Some(p) = &d.provider_domain {
            *providers.entry(p.clone()).or_default() += 1;
        }
    }
    let topic = topics.iter().max_by_key(|(_, n)| **n).unwrap().0.clone();
    let provider = providers.iter().max_by_key(|(_, n)| **n).unwrap().0.clone();
    let mut dates: Vec<DateTime<Utc>> = all.iter().filter_map(|d| d.published_at).collect();
    dates.sort();
    let mid = dates[dates.len() / 2];
    let from = mid.format("%Y-%m-%d").to_string();
    let to = (mid + chrono::Duration::days(3))
        .format("%Y-%m-%d")
        .to_string();

    let cases: Vec<(String, Filter)> = vec![
        (
            format!("topic={}", encode(&topic)),
            Box::new({
                let t = topic.clone();
                move |d: &SearchDoc| d.topics.contains(&t) && d.published == Some(true)
            }),
        ),
        (
            format!("provider={}&published=any", encode(&provider)),
            Box::new({
                let p = provider.clone();
                move |d: &SearchDoc| d.provider_domain.as_deref() == Some(p.as_str())
            }),
        ),
        (
            format!("from={from}&to={to}&published=any"),
            Box::new({
                let (f, t) = (
                    DateTime::parse_from_rfc3339(&format!("{from}T00:00:00Z")).unwrap(),
                    DateTime::parse_from_rfc3339(&format!("{to}T00:00:00Z")).unwrap(),
                );
                move |d: &SearchDoc| d.published_at.is_some_and(|p| p >= f && p < t)
            }),
        ),
        (
            "published=true".into(),
            Box::new(|d: &SearchDoc| d.published == Some(true)),
        ),
        (
            "published=false".into(),
            Box::new(|d: &SearchDoc| d.published == Some(false)),
        ),
    ];
    for (params, holds) in cases {
        // Blank text: everything that passes the filter, so the count is checked too.
        let hits = all_hits(&api.app, &params).await;
        let want = all.iter().filter(|d| holds(d)).count();
        assert_eq!(hits.len(), want, "{params}");
        assert!(want > 0, "{params}: the corpus has some");
        let docs = api.docs(&ids(&hits));
        assert!(docs.iter().all(&holds), "{params}");
        // With text: a subset, every hit still passing.
        let hits = all_hits(&api.app, &format!("q=ai&{params}")).await;
        let docs = api.docs(&ids(&hits));
        assert!(docs.iter().all(&holds), "q=ai&{params}");
    }
    // A topic by its slug is the topic.
    let slug = newsdesk_server_slug(&topic);
    let a = all_hits(&api.app, &format!("topic={}", encode(&topic))).await;
    let b = all_hits(&api.app, &format!("topic={slug}")).await;
    assert_eq!(ids(&a), ids(&b));
}

fn newsdesk_server_slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

#[tokio::test]
async fn snippets_mark_matches_and_never_carry_body_text() {
    let Some(api) = api() else { return };
    // The body-only word finds every article, but shows none of its body.
    let hits = all_hits(&api.app, &format!("q={BODY_WORD}&published=any")).await;
    let n = api.docs(&(1..100_000).collect::<Vec<_>>()).len();
    assert_eq!(hits.len(), n, "bodies are searched");
    for h in &hits {
        let text = h.to_string();
        assert!(!text.contains(BODY_WORD), "{text}");
        assert!(!text.contains("secret full text"), "{text}");
    }
    for q in [
        "cloud",
        "azure",
        "\"machine learning\"",
        "aws OR google",
        "ai -microsoft",
    ] {
        let hits = all_hits(&api.app, &format!("q={}&published=any", encode(q))).await;
        assert!(!hits.is_empty(), "{q}");
        let docs = api.docs(&ids(&hits));
        for h in &hits {
            let id = h["id"].as_i64().unwrap();
            let d = docs.iter().find(|d| d.id == id).unwrap();
            let text = h.to_string();
            assert!(!text.contains("secret full text"), "{text}");
            assert_eq!(unescape(h["titleHtml"].as_str().unwrap()), d.title);
            assert_eq!(h["title"].as_str().unwrap(), d.title);
            if let Some(s) = h["snippet"].as_str() {
                // Escaped: the only tags are the marks.
                let without = s.replace("<mark>", "").replace("</mark>", "");
                assert!(!without.contains('<') && !without.contains('>'), "{s}");
                // Every piece of it is text of the excerpt.
                let excerpt = d.excerpt.as_deref().unwrap_or("");
                for piece in unescape(s).split('…') {
                    let piece = piece.trim();
                    assert!(
                        piece.is_empty() || excerpt.contains(piece),
                        "{q}: snippet piece {piece:?} is not from the excerpt {excerpt:?}"
                    );
                }
            }
            assert!(
                h["url"]
                    .as_str()
                    .unwrap()
                    .starts_with("https://desk.example/api/v1/articles/"),
                "{h}"
            );
        }
        let marked = hits.iter().filter(|h| {
            h["titleHtml"].as_str().unwrap().contains("<mark>")
                || h["snippet"].as_str().unwrap_or("").contains("<mark>")
        });
        assert!(marked.count() > 0, "{q}: some match is marked");
    }
}

#[tokio::test]
async fn newest_first_orders_by_date_and_keeps_the_matches() {
    let Some(api) = api() else { return };
    for (q, at_least) in [("ai", 50), ("cloud", 5), ("%22machine%20learning%22", 2)] {
        let by_rank = all_hits(&api.app, &format!("q={q}&published=any")).await;
        let by_date = all_hits(&api.app, &format!("q={q}&published=any&sort=newest")).await;
        assert!(by_rank.len() >= at_least, "{q}: {}", by_rank.len());
        let (mut a, mut b) = (ids(&by_rank), ids(&by_date));
        a.sort();
        b.sort();
        assert_eq!(a, b, "{q}");
        // RFC 3339 in UTC, one format: text order is time order; no date last.
        let dates: Vec<&str> = by_date
            .iter()
            .map(|h| h["publishedDateTime"].as_str().unwrap_or(""))
            .collect();
        assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{q}: {dates:?}");
        let (_, page) = get_json(&api.app, &format!("/api/v1/search?q={q}&sort=newest")).await;
        assert_eq!(page["sort"], "newest");
    }
}

#[tokio::test]
async fn bad_parameters_get_the_documented_codes() {
    let Some(api) = api() else { return };
    let cases = [
        ("/api/v1/search?q=ai&page=2", 400, "invalid_parameter"),
        ("/api/v1/search?q=ai&limit=101", 400, "invalid_parameter"),
        ("/api/v1/search?q=ai&limit=0", 400, "invalid_parameter"),
        ("/api/v1/search?q=ai&limit=ten", 400, "invalid_parameter"),
        ("/api/v1/search?q=ai&offset=10001", 400, "invalid_parameter"),
        ("/api/v1/search?q=ai&offset=-1", 400, "invalid_parameter"),
        (
            "/api/v1/search?q=ai&published=maybe",
            400,
            "invalid_parameter",
        ),
        (
            "/api/v1/search?q=ai&from=yesterday",
            400,
            "invalid_parameter",
        ),
        (
            "/api/v1/search?q=ai&to=2021-13-01",
            400,
            "invalid_parameter",
        ),
        ("/api/v1/search?q=ai&provider=", 400, "invalid_parameter"),
        ("/api/v1/search?q=ai&sort=oldest", 400, "invalid_parameter"),
        ("/api/v1/search?q=%22open", 400, "invalid_query"),
        ("/api/v1/search?q=(a", 400, "invalid_query"),
        ("/api/v1/search?q=a%20AND", 400, "invalid_query"),
        ("/api/v1/search?q=title%3A", 400, "invalid_query"),
        (
            "/api/v1/search?q=ai&topic=no-such-topic",
            404,
            "unknown_topic",
        ),
        ("/search/feed.rss?q=ai&limit=5", 400, "invalid_parameter"),
        ("/search/feed.atom?q=%22open", 400, "invalid_query"),
        ("/search/feed.xml?q=ai", 404, "not_found"),
    ];
    for (uri, status, code) in cases {
        let (s, v) = get_json(&api.app, uri).await;
        assert_eq!(s.as_u16(), status, "{uri}: {v}");
        assert_eq!(v["error"]["code"], code, "{uri}: {v}");
        assert!(v["error"]["message"]
            .as_str()
            .is_some_and(|m| !m.is_empty()));
    }
    // Dates far from now are dates, not errors.
    for uri in [
        "/api/v1/search?from=0476-09-12",
        "/api/v1/search?q=ai&from=0001-01-01&to=9999-12-31",
        "/search/feed.atom?q=ai&from=0906-06-26&to=0326-03-14",
    ] {
        let (s, _, body) = call(&api.app, uri, None).await;
        assert_eq!(
            s,
            StatusCode::OK,
            "{uri}: {}",
            String::from_utf8_lossy(&body)
        );
    }
    let long = "a".repeat(newsdesk_search::MAX_QUERY_LEN + 1);
    let (s, v) = get_json(&api.app, &format!("/api/v1/search?q={long}")).await;
    assert_eq!(
        (s.as_u16(), v["error"]["code"].as_str()),
        (400, Some("invalid_query"))
    );
    let deep = format!("{}a{}", "(".repeat(40), ")".repeat(40));
    let (s, v) = get_json(&api.app, &format!("/api/v1/search?q={}", encode(&deep))).await;
    assert_eq!(
        (s.as_u16(), v["error"]["code"].as_str()),
        (400, Some("invalid_query"))
    );
}

#[tokio::test]
async fn hostile_queries_never_fail_the_server() {
    let Some(api) = api() else { return };
    let pieces = [
        "\"",
        "(",
        ")",
        ":",
        "*",
        "AND",
        "OR",
        "NOT",
        "-",
        "+",
        "^",
        "~",
        "[",
        "]",
        "{",
        "}",
        "\\",
        "/",
        "title:",
        "body:x",
        "id:1",
        "published:true",
        "heat:>3",
        "quality:[1 TO 9]",
        "é",
        "\u{0}",
        "\u{202e}",
        "🦀",
        "<script>",
        "&amp;",
        "%",
        "'",
        "ai",
        "cloud",
        "TO",
        "IN",
        "*:*",
        "__all__",
        "\t",
        "\n",
        "1e999",
        "-9223372036854775808",
        "\"\"",
        "()",
        "a*",
        "?",
    ];
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut bad = 0;
    for i in 0..400 {
        let n = 1 + (next() % 8) as usize;
        let q: String = (0..n)
            .map(|_| pieces[(next() % pieces.len() as u64) as usize])
            .collect::<Vec<_>>()
            .join(if i % 2 == 0 { " " } else { "" });
        let uri = format!("/api/v1/search?q={}&published=any", encode(&q));
        let (s, v) = get_json(&api.app, &uri).await;
        assert!(s.as_u16() < 500, "{q:?}: {s} {v}");
        if s != StatusCode::OK {
            bad += 1;
            assert_eq!(s, StatusCode::BAD_REQUEST, "{q:?}: {v}");
            assert_eq!(v["error"]["code"], "invalid_query", "{q:?}: {v}");
        } else {
            assert!(v["total"].as_u64().is_some(), "{v}");
        }
        let feed = format!("/search/feed.json?q={}", encode(&q));
        let (s, _, _) = call(&api.app, &feed, None).await;
        assert!(s.as_u16() < 500, "feed {q:?}: {s}");
    }
    assert!(bad > 0 && bad < 400, "{bad} of 400 refused");
}

fn feedparser_available() -> bool {
    Command::new("python3")
        .args(["-c", "import feedparser"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

#[tokio::test]
async fn search_feeds_have_etags_and_feedparser_reads_them() {
    let Some(api) = api() else { return };
    let query = "q=azure&published=any";
    let hits = all_hits(&api.app, query).await;
    assert!(!hits.is_empty());
    let files = tempfile::tempdir().unwrap();
    let mut paths = Vec::new();
    for ext in ["rss", "atom", "json"] {
        let uri = format!("/search/feed.{ext}?{query}");
        let (s, h, body) = call(&api.app, &uri, None).await;
        assert_eq!(s, StatusCode::OK, "{uri}");
        let tag = h.get("etag").unwrap().to_str().unwrap().to_string();
        let (s, _, again) = call(&api.app, &uri, Some(&tag)).await;
        assert_eq!(s, StatusCode::NOT_MODIFIED, "{uri}");
        assert!(again.is_empty());
        // A different query is a different feed.
        let (_, h2, _) = call(
            &api.app,
            &format!("/search/feed.{ext}?q=aws&published=any"),
            None,
        )
        .await;
        assert_ne!(h2.get("etag").unwrap().to_str().unwrap(), tag);
        assert!(!String::from_utf8_lossy(&body).contains(BODY_WORD));
        let p = files.path().join(format!("search.{ext}"));
        std::fs::write(&p, &body).unwrap();
        paths.push(p);
    }
    // JSON Feed: read with serde; newest first, every item a hit.
    let json: Value = serde_json::from_slice(&std::fs::read(&paths[2]).unwrap()).unwrap();
    let items = json["items"].as_array().unwrap();
    assert_eq!(items.len(), hits.len().min(50));
    if !feedparser_available() {
        if std::env::var("NEWSDESK_REQUIRE_PEERS").as_deref() == Ok("1") {
            panic!("python3 with feedparser is required (NEWSDESK_REQUIRE_PEERS=1): pip install -r bench/requirements.txt");
        }
        eprintln!("skipped: python3 cannot import feedparser (pip install feedparser==6.0.14 to run this part)");
        return;
    }
    let script = newsdesk_testkit::workspace_root().join("crates/render/tests/feedparser_dump.py");
    let out = Command::new("python3")
        .arg(script)
        .args(&paths[..2])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let titles: BTreeSet<String> = hits
        .iter()
        .map(|h| h["title"].as_str().unwrap().to_string())
        .collect();
    for line in String::from_utf8(out.stdout).unwrap().lines() {
        let d: Value = serde_json::from_str(line).unwrap();
        assert_eq!(d["bozo"], 0, "{d}");
        let entries = d["entries"].as_array().unwrap();
        assert_eq!(entries.len(), hits.len().min(50), "{}", d["file"]);
        for e in entries {
            let t = e["title"].as_str().unwrap();
            assert!(titles.contains(t), "{t:?} is a hit");
        }
        assert!(
            d["feed"]["title"].as_str().unwrap().contains("azure"),
            "{d}"
        );
    }
}
