//! The running desk against a real local web: an axum server on
//! 127.0.0.1:0, started by each test, serves feeds whose items link to
//! article pages on the same server (with `og:image`, canonical and AMP
//! links), images, a feed that answers 304 to its ETag, a 404, a 500 and a
//! redirect to a private address. The real `newsdesk` binary follows them;
//! the tests read back what it stored and what it reported.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use axum::Router;
use serde_json::Value;

use crate::common::*;

// ---------------------------------------------------------------- the web

#[derive(Default)]
struct Web {
    base: Mutex<String>,
    hits: Mutex<HashMap<String, usize>>,
    /// `If-None-Match` of each request for /etag.xml, in order.
    etag_requests: Mutex<Vec<Option<String>>>,
    /// The `User-Agent` of every request, in order.
    user_agents: Mutex<Vec<String>>,
}

impl Web {
    fn hits(&self, path: &str) -> usize {
        self.hits.lock().unwrap().get(path).copied().unwrap_or(0)
    }
}

const ETAG: &str = "\"etag-v1\"";

fn resp(status: u16) -> axum::http::response::Builder {
    Response::builder().status(StatusCode::from_u16(status).unwrap())
}

/// A real PNG (signature, IHDR, one IDAT of black rows, IEND).
fn png(width: u32, height: u32) -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend_from_slice(&(data.len() as u32).to_be_bytes());
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        let mut crc = flate2::Crc::new();
        crc.update(kind);
        crc.update(data);
        out.extend_from_slice(&crc.sum().to_be_bytes());
    }
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
    let row = vec![0u8; 1 + 3 * width as usize];
    for _ in 0..height {
        z.write_all(&row).unwrap();
    }
    let idat = z.finish().unwrap();
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &idat);
    chunk(&mut out, b"IEND", &[]);
    out
}

/// An article page as publishers write them: navigation, a byline, the
/// story, a "most read" box and a footer around it.
fn page(base: &str, title: &str, head: &str, paragraphs: &[&str]) -> String {
    let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>\n")).collect();
    format!(
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{title} - Example Desk Weekly</title>
<meta name="viewport" content="width=device-width">
{head}
</head><body>
<header><a class="logo" href="{base}/">Example Desk Weekly</a>
<nav><ul><li><a href="/cloud">Cloud</a></li><li><a href="/ai">AI</a></li><li><a href="/chips">Chips</a></li><li><a href="/subscribe">Subscribe</a></li></ul></nav></header>
<main><article><h1>{title}</h1>
<div class="byline">By the newsroom</div>
{body}</article>
<aside class="most-read"><h2>Most read</h2><ul>
<li><a href="/other/1">Ten things about servers you did not know</a></li>
<li><a href="/other/2">Opinion: the quarter in review</a></li></ul></aside></main>
<footer><p>Copyright 2026 Example Desk Weekly. All rights reserved.</p><a href="/privacy">Privacy</a></footer>
</body></html>"#
    )
}

const CLOUD_PARAGRAPHS: &[&str] = &[
    "Companies spent more on cloud infrastructure in the first quarter than in any quarter before, according to figures published on Monday by the research firm Canalys.",
    "Spending rose to 40 billion dollars, up a third on the same quarter a year earlier, as businesses moved more of their computing to rented data centres.",
    "The three largest providers took almost two thirds of the market between them, and the gap to smaller rivals widened again.",
    "Analysts said demand for machine learning workloads explained much of the growth, with several customers signing multi-year commitments worth hundreds of millions.",
    "The firm expects growth to slow slightly in the second half of the year, when comparisons with last year become harder.",
];

const ROBOT_PARAGRAPHS: &[&str] = &[
    "Robots at a recycling plant in Ohio now sort plastic and paper faster than the people who used to do the job, the plant's operator said on Tuesday.",
    "The machines use cameras and suction grippers to pick items from a moving belt, and can tell apart dozens of kinds of packaging.",
    "The operator said no jobs were lost: workers who sorted by hand now maintain the machines and check the bales before they leave the site.",
    "Similar systems are being tested at plants in three other states, and the company behind them plans to double its production next year.",
];

const CHIP_CONTENT: &str = "<p>Two chip makers said on Wednesday they would expand their factories in Arizona, adding thousands of jobs over the next five years.</p><p>The plans follow new federal subsidies for semiconductor manufacturing and come as demand for advanced chips keeps rising.</p><p>Local officials welcomed the news, though some warned that water supplies in the desert state would need careful management.</p><p>Construction is due to start in the autumn.</p>";

fn feed(base: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Example Desk Weekly</title><link>{base}/</link><description>News</description>
<item>
  <title>Cloud spending hits a record</title>
  <link>{base}/articles/cloud?utm_source=rss</link>
  <guid isPermaLink="false">cloud-1</guid>
  <description>Cloud infrastructure spending reached a record in the first quarter.</description>
</item>
<item>
  <link>{base}/articles/robots</link>
  <guid isPermaLink="false">robots-1</guid>
  <pubDate>Tue, 03 Mar 2026 08:00:00 GMT</pubDate>
  <description>Robots at a plant in Ohio sort recycling faster than people.</description>
  <enclosure url="{base}/img/robot.png" type="image/png" length="1000"/>
</item>
<item>
  <title>Chip makers expand in Arizona</title>
  <link>{base}/articles/chips</link>
  <guid isPermaLink="false">chips-1</guid>
  <pubDate>Wed, 04 Mar 2026 10:00:00 GMT</pubDate>
  <description>Two chip makers will expand in Arizona.</description>
  <content:encoded><![CDATA[{CHIP_CONTENT}]]></content:encoded>
</item>
</channel></rss>"#
    )
}

fn etag_feed(base: &str) -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Second Desk</title><link>{base}/</link><description>More news</description>
<item>
  <title>Data centre opens in Dublin</title>
  <link>{base}/articles/dublin</link>
  <guid isPermaLink="false">dublin-1</guid>
  <pubDate>Thu, 05 Mar 2026 07:00:00 GMT</pubDate>
  <description>A new data centre opened in Dublin.</description>
</item>
</channel></rss>"#
    )
}

async fn handle(State(web): State<Arc<Web>>, uri: Uri, headers: HeaderMap) -> Response<Body> {
    let path = uri.path().to_string();
    *web.hits.lock().unwrap().entry(path.clone()).or_default() += 1;
    web.user_agents.lock().unwrap().push(
        headers
            .get("user-agent")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string(),
    );
    let base = web.base.lock().unwrap().clone();
    let html = |s: String| {
        resp(200)
            .header("content-type", "text/html; charset=utf-8")
            .body(Body::from(s))
            .unwrap()
    };
    let xml = |s: String| {
        resp(200)
            .header("content-type", "application/rss+xml")
            .body(Body::from(s))
            .unwrap()
    };
    match path.as_str() {
        "/feed.xml" => xml(feed(&base)),
        "/etag.xml" => {
            let inm = headers
                .get("if-none-match")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            web.etag_requests.lock().unwrap().push(inm.clone());
            if inm.as_deref() == Some(ETAG) {
                return resp(304).header("etag", ETAG).body(Body::empty()).unwrap();
            }
            resp(200)
                .header("content-type", "application/rss+xml")
                .header("etag", ETAG)
                .body(Body::from(etag_feed(&base)))
                .unwrap()
        }
        "/missing.xml" => resp(404).body(Body::from("no such feed")).unwrap(),
        "/broken.xml" => resp(500).body(Body::from("internal error")).unwrap(),
        "/private.xml" => resp(302)
            .header("location", "http://10.0.0.1/feed.xml")
            .body(Body::empty())
            .unwrap(),
        // Never answers while the test runs (the SIGINT test abandons it).
        "/slow.xml" => {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            xml(feed(&base))
        }
        "/articles/cloud" => html(page(
            &base,
            "Cloud spending hits a record",
            &format!(
                r#"<meta property="og:title" content="Cloud spending hits a record">
<meta property="og:image" content="/img/lead.png">
<meta name="author" content="Dana Reyes">
<meta property="article:published_time" content="2026-03-02T09:30:00Z">
<link rel="canonical" href="{base}/news/cloud-spending-record">
<link rel="amphtml" href="{base}/amp/cloud-spending-record">"#
            ),
            CLOUD_PARAGRAPHS,
        )),
        "/articles/robots" => html(page(
            &base,
            "Robots learn to sort recycling",
            r#"<meta property="og:title" content="Robots learn to sort recycling">"#,
            ROBOT_PARAGRAPHS,
        )),
        "/articles/chips" => html(page(
            &base,
            "Arizona gets two new chip plants, creating thousands of jobs",
            r#"<meta property="og:title" content="Arizona gets two new chip plants, creating thousands of jobs">"#,
            &[
                "Two chip makers said on Wednesday they would expand their factories in Arizona, adding thousands of jobs over the next five years.",
                "The plans follow new federal subsidies for semiconductor manufacturing and come as demand for advanced chips keeps rising.",
                "Local officials welcomed the news, though some warned that water supplies in the desert state would need careful management.",
                "Construction is due to start in the autumn.",
            ],
        )),
        "/articles/dublin" => html(page(
            &base,
            "Data centre opens in Dublin",
            r#"<meta property="og:image" content="/img/lead.png">"#,
            &[
                "A new data centre opened on the outskirts of Dublin on Thursday, the latest of dozens built around the Irish capital in the past decade.",
                "The building will draw as much electricity as a small town, and the grid operator has asked new sites to bring their own generation.",
                "The owner said it would buy renewable power for all of its needs within three years.",
            ],
        )),
        "/img/lead.png" => resp(200)
            .header("content-type", "image/png")
            .body(Body::from(png(640, 360)))
            .unwrap(),
        "/img/robot.png" => resp(200)
            .header("content-type", "image/png")
            .body(Body::from(png(320, 200)))
            .unwrap(),
        _ => resp(404).body(Body::from("not found")).unwrap(),
    }
}

struct Server {
    base: String,
    web: Arc<Web>,
    _runtime: tokio::runtime::Runtime,
}

impl Server {
    fn start() -> Server {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let web = Arc::new(Web::default());
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let base = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
        *web.base.lock().unwrap() = base.clone();
        let app = Router::new().fallback(handle).with_state(web.clone());
        runtime.spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Server {
            base,
            web,
            _runtime: runtime,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

// ---------------------------------------------------------------- the desk

fn sources(data: &Path) -> Vec<Value> {
    let out = ok(data, &["sources", "list", "--json"]);
    match serde_json::from_str(&out).expect("sources list --json is JSON") {
        Value::Array(rows) => rows,
        other => panic!("expected an array, got {other}"),
    }
}

fn source<'a>(list: &'a [Value], url: &str) -> &'a Value {
    list.iter()
        .find(|s| s["url"] == url)
        .unwrap_or_else(|| panic!("{url} not in {list:#?}"))
}

/// A failing source whose last error is of `kind` and says `needle`.
fn failing<'a>(list: &'a [Value], url: &str, kind: &str, needle: &str) -> &'a Value {
    let s = source(list, url);
    assert_eq!(s["status"], "failing", "{s}");
    assert_eq!(s["lastErrorKind"], kind, "{s}");
    let e = s["lastError"].as_str().unwrap_or_default();
    assert!(e.contains(needle), "{e}");
    s
}

fn article<'a>(all: &'a [Value], guid: &str) -> &'a Value {
    all.iter()
        .find(|a| a["guid"] == guid)
        .unwrap_or_else(|| panic!("no article with guid {guid}"))
}

/// `(body, content_html)` of the article with this GUID, read from the
/// store itself (the JSON export leaves bodies out).
fn body(data: &Path, guid: &str) -> (Option<String>, Option<String>) {
    let conn = rusqlite::Connection::open(data.join("newsdesk.sqlite3")).unwrap();
    conn.query_row(
        "SELECT body, content_html FROM articles WHERE guid = ?1",
        [guid],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .unwrap()
}

#[test]
fn run_once_follows_the_web_and_a_second_run_changes_nothing() {
    let web = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let feeds = [
        "/feed.xml",
        "/etag.xml",
        "/missing.xml",
        "/broken.xml",
        "/private.xml",
    ];
    for f in feeds {
        let out = ok(&data, &["sources", "add", &web.url(f)]);
        assert!(out.starts_with("following "), "{out}");
    }
    let out = ok(
        &data,
        &[
            "sources",
            "add",
            &web.url("/feed.xml"),
            "--title",
            "Desk Weekly",
        ],
    );
    assert!(out.starts_with("already following"), "{out}");
    let before = sources(&data);
    assert_eq!(before.len(), 5);
    assert!(before.iter().all(|s| s["status"] == "new"), "{before:#?}");
    assert_eq!(
        source(&before, &web.url("/feed.xml"))["title"],
        "Desk Weekly"
    );

    // --- first run: everything due.
    let o = newsdesk(&data, &["run", "--once", "--allow-loopback"]);
    let stdout = succeeded(&o);
    let log = stderr(&o);
    eprintln!("--- newsdesk run:\n{stdout}{log}");
    assert!(
        stdout.starts_with("5 polls: 2 fetched, 0 unchanged, 3 failed; 4 articles stored"),
        "{stdout}\n{log}"
    );
    // One line per poll, errors naming the URL.
    for f in feeds {
        assert!(
            log.contains(&format!("poll {}: ", web.url(f))),
            "no poll line for {f}:\n{log}"
        );
    }
    assert!(
        log.contains(&format!("{}: HTTP 404", web.url("/missing.xml"))),
        "{log}"
    );
    assert!(
        log.contains(&format!("{}: HTTP 500", web.url("/broken.xml"))),
        "{log}"
    );
    assert!(log.contains("10.0.0.1"), "{log}");
    assert!(
        log.contains("fetched, 3 items, 3 new, 0 updated, 3 pages fetched"),
        "{log}"
    );

    let all = jsonl(&data);
    assert_eq!(all.len(), 4, "{all:#?}");

    // The item whose feed gave only a summary: body, date, author, canonical
    // and AMP links and the lead image come from its page.
    let cloud = article(&all, "cloud-1");
    assert_eq!(cloud["title"], "Cloud spending hits a record");
    assert_eq!(cloud["webUrl"], web.url("/news/cloud-spending-record"));
    assert_eq!(cloud["ampWebUrl"], web.url("/amp/cloud-spending-record"));
    assert_eq!(
        cloud["originalUrl"],
        web.url("/articles/cloud?utm_source=rss")
    );
    assert_eq!(cloud["publishedDateTime"], "2026-03-02T09:30:00Z");
    assert_eq!(cloud["author"], "Dana Reyes");
    assert_eq!(cloud["language"], "en");
    assert_eq!(
        cloud["excerpt"],
        "Cloud infrastructure spending reached a record in the first quarter."
    );
    assert_eq!(cloud["source"], web.url("/feed.xml"));
    let img = &cloud["images"][0];
    assert_eq!(img["url"], web.url("/img/lead.png"));
    assert_eq!(
        (img["width"].as_u64(), img["height"].as_u64()),
        (Some(640), Some(360))
    );
    assert_eq!(img["isCached"], true);
    assert!(cloud["story"].is_i64(), "analysed: {cloud}");
    let (b, html) = body(&data, "cloud-1");
    let b = b.expect("a body");
    assert!(
        b.starts_with("Companies spent more on cloud infrastructure"),
        "{b}"
    );
    assert!(b.contains("multi-year commitments"), "{b}");
    for boilerplate in ["Most read", "Copyright", "Subscribe", "By the newsroom"] {
        assert!(!b.contains(boilerplate), "{boilerplate} in {b}");
    }
    assert_eq!(html, None, "the feed's HTML was only the summary");

    // No title in the feed: the page's; the feed's enclosure is measured.
    let robots = article(&all, "robots-1");
    assert_eq!(robots["title"], "Robots learn to sort recycling");
    assert_eq!(robots["publishedDateTime"], "2026-03-03T08:00:00Z");
    let img = &robots["images"][0];
    assert_eq!(img["url"], web.url("/img/robot.png"));
    assert_eq!(
        (img["width"].as_u64(), img["height"].as_u64()),
        (Some(320), Some(200))
    );
    assert_eq!(img["isCached"], true);
    let (b, _) = body(&data, "robots-1");
    assert!(b.unwrap().contains("suction grippers"));

    // A full feed body and a real title are kept, whatever the page says.
    let chips = article(&all, "chips-1");
    assert_eq!(chips["title"], "Chip makers expand in Arizona");
    let (b, html) = body(&data, "chips-1");
    assert!(b.unwrap().starts_with("Two chip makers said on Wednesday"));
    assert!(
        html.unwrap().contains("<p>"),
        "the feed's HTML stays with its body"
    );

    // The ETag feed's item; its source keeps the validator.
    let dublin = article(&all, "dublin-1");
    assert_eq!(dublin["source"], web.url("/etag.xml"));
    assert_eq!(dublin["images"][0]["width"], 640);

    // The images are in the cache under the data folder.
    let cached: Vec<_> = std::fs::read_dir(data.join("images"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        cached.iter().filter(|n| n.ends_with(".png")).count(),
        2,
        "{cached:?}"
    );

    // The desk serves its cached copy at the image's cachedUrl.
    {
        let mut server = serve(&data, &[]);
        let addr = server.addr.clone();
        let (status, body) = server.get("/api/v1/articles?published=any&limit=100");
        assert_eq!(status, 200);
        let page: Value = serde_json::from_str(&body).unwrap();
        let listed = page["articles"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == cloud["id"])
            .expect("the article is listed");
        let cached_url = listed["images"][0]["cachedUrl"]
            .as_str()
            .unwrap()
            .to_string();
        let path = cached_url
            .strip_prefix(&format!("http://{addr}"))
            .expect("served by this desk");
        let (status, bytes) = http_bytes(&addr, "GET", path, &[], "");
        assert_eq!(status, 200, "{cached_url}");
        assert_eq!(bytes, png(640, 360), "the cached bytes are the image's");
        let (status, _) = server.get("/images/0000000000000000");
        assert_eq!(status, 404);
        assert!(server.process.interrupt().status.success());
    }

    // Health: the good sources polled, the bad ones failing, each error
    // naming its URL.
    let list = sources(&data);
    let good = source(&list, &web.url("/feed.xml"));
    assert_eq!(good["status"], "ok");
    assert_eq!(good["consecutiveErrors"], 0);
    assert!(good["lastSuccess"].is_string() && good["nextPoll"].is_string());
    assert_eq!(
        good["title"], "Desk Weekly",
        "the title given wins over the feed's"
    );
    assert_eq!(good["kind"], "rss");
    assert_eq!(source(&list, &web.url("/etag.xml"))["etag"], ETAG);
    // Each error names the URL (for the redirect, the hop refused).
    let missing = web.url("/missing.xml");
    let missing = failing(
        &list,
        &missing,
        "not-found",
        &format!("{missing}: HTTP 404"),
    );
    assert_eq!(missing["consecutiveErrors"], 1);
    assert!(missing["lastSuccess"].is_null());
    let broken = web.url("/broken.xml");
    failing(
        &list,
        &broken,
        "server-error",
        &format!("{broken}: HTTP 500"),
    );
    let private = failing(
        &list,
        &web.url("/private.xml"),
        "refused",
        "http://10.0.0.1/feed.xml: refused: address 10.0.0.1 is private",
    );
    assert!(private["nextPoll"].is_string());

    // The search index followed each poll: in step with the store, and the
    // page text the desk fetched is searchable.
    let o = newsdesk(&data, &["index", "check"]);
    assert!(
        succeeded(&o).contains("ok: the index is in step"),
        "{}",
        describe(&o)
    );

    // --- a second run right away: nothing is due.
    let o = newsdesk(&data, &["run", "--once", "--allow-loopback"]);
    assert!(succeeded(&o).starts_with("0 polls"), "{}", stderr(&o));

    // --- forced: every source polled again; the feed is read again but
    // nothing is new or changed, no page is fetched again, and the ETag feed
    // answers 304 to the validator it gave.
    let pages_before = web.web.hits("/articles/cloud");
    let o = newsdesk(&data, &["run", "--once", "--force", "--allow-loopback"]);
    let stdout = succeeded(&o);
    let log = stderr(&o);
    eprintln!("--- newsdesk run:\n{stdout}{log}");
    assert!(
        stdout.starts_with(
            "5 polls: 1 fetched, 1 unchanged, 3 failed; 0 articles stored, 0 updated, 0 pages"
        ),
        "{stdout}\n{log}"
    );
    assert!(
        log.contains(&format!("poll {}: unchanged (304)", web.url("/etag.xml"))),
        "{log}"
    );
    assert_eq!(web.web.hits("/articles/cloud"), pages_before);
    assert_eq!(
        *web.web.etag_requests.lock().unwrap(),
        vec![None, Some(ETAG.to_string())]
    );
    assert_eq!(jsonl(&data), all, "a repeat changes nothing");
    let list = sources(&data);
    assert_eq!(
        source(&list, &web.url("/missing.xml"))["consecutiveErrors"],
        2
    );
    assert_eq!(source(&list, &web.url("/etag.xml"))["status"], "ok");
    assert_eq!(web.web.hits("/feed.xml"), 2);

    // Removing a source stops following it; its articles stay.
    ok(&data, &["sources", "remove", &web.url("/etag.xml")]);
    assert_eq!(sources(&data).len(), 4);
    assert_eq!(jsonl(&data).len(), 4);
    let o = newsdesk(&data, &["sources", "remove", &web.url("/etag.xml")]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("is not a followed source"));
}

/// With a keyring, `run` seals what it stores (the page text too), and a
/// forced repeat still changes nothing: the known item's stored body is
/// opened and compared, not re-fetched.
#[test]
fn run_with_a_keyring_stores_bodies_sealed_and_a_repeat_changes_nothing() {
    let web = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    ok(&data, &["keys", "new"]);
    ok(&data, &["sources", "add", &web.url("/feed.xml")]);
    let o = newsdesk(&data, &["run", "--once", "--allow-loopback"]);
    let stdout = succeeded(&o);
    assert!(stdout.contains("articles stored"), "{stdout}{}", stderr(&o));
    let (b, html) = body(&data, "cloud-1");
    let b = b.expect("a body");
    assert!(b.starts_with("v1:"), "{b}");
    assert!(html.is_none_or(|h| h.starts_with("v1:")));
    let mut file = std::fs::read(data.join("newsdesk.sqlite3")).unwrap();
    file.extend(std::fs::read(data.join("newsdesk.sqlite3-wal")).unwrap_or_default());
    let clear = b"Companies spent more on cloud infrastructure";
    assert!(!file.windows(clear.len()).any(|w| w == clear));
    let all = jsonl(&data);
    let pages_before = web.web.hits("/articles/cloud");
    let o = newsdesk(&data, &["run", "--once", "--force", "--allow-loopback"]);
    let stdout = succeeded(&o);
    assert!(stdout.contains("0 articles stored, 0 updated"), "{stdout}");
    assert_eq!(web.web.hits("/articles/cloud"), pages_before);
    assert_eq!(jsonl(&data), all, "a repeat changes nothing");
}

#[test]
fn run_takes_its_address_policy_pages_and_user_agent_from_newsdesk_toml() {
    let web = Server::start();
    let dir = tempfile::tempdir().unwrap();
    // Without the file (and without --allow-loopback) the loopback web is refused.
    let refused = dir.path().join("refused");
    ok(&refused, &["sources", "add", &web.url("/feed.xml")]);
    let _ = newsdesk(&refused, &["run", "--once"]);
    assert_eq!(
        web.web.hits("/feed.xml"),
        0,
        "loopback is refused by default"
    );

    let data = dir.path().join("data");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(
        data.join("newsdesk.toml"),
        "[run]\nallow_loopback = true\nfetch_pages = false\n\n[fetch]\nuser_agent = \"configured-agent/1\"\n",
    )
    .unwrap();
    ok(&data, &["sources", "add", &web.url("/feed.xml")]);
    let o = newsdesk(&data, &["run", "--once"]);
    let stdout = succeeded(&o);
    assert!(stdout.contains("articles stored"), "{stdout}{}", stderr(&o));
    assert_eq!(web.web.hits("/feed.xml"), 1);
    assert_eq!(web.web.hits("/articles/cloud"), 0, "fetch_pages = false");
    let agents = web.web.user_agents.lock().unwrap().clone();
    assert!(
        agents.iter().all(|a| a == "configured-agent/1"),
        "{agents:?}"
    );
}

#[test]
fn sources_add_refuses_what_is_not_a_web_url_and_import_reads_opml() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    for bad in [
        "ftp://example.com/feed.xml",
        "file:///etc/passwd",
        "not a url",
    ] {
        let o = newsdesk(&data, &["sources", "add", bad]);
        assert!(!o.status.success(), "{bad} accepted");
        let err = stderr(&o);
        assert!(err.contains(bad), "the error names {bad:?}: {err}");
    }
    let opml = dir.path().join("subs.opml");
    std::fs::write(
        &opml,
        r#"<?xml version="1.0"?><opml version="2.0"><head><title>Subs</title></head><body>
<outline text="Tech"><outline type="rss" text="One" xmlUrl="https://one.example/feed.xml"/>
<outline type="rss" text="Two" xmlUrl="https://two.example/rss?utm_source=x"/></outline>
<outline type="rss" text="Bad" xmlUrl="gopher://old.example/"/>
</body></opml>"#,
    )
    .unwrap();
    let out = ok(&data, &["sources", "import", opml.to_str().unwrap()]);
    assert!(
        out.contains("2 newly followed, 0 already followed, 1 skipped"),
        "{out}"
    );
    let out = ok(&data, &["sources", "import", opml.to_str().unwrap()]);
    assert!(
        out.contains("0 newly followed, 2 already followed"),
        "{out}"
    );
    let list = sources(&data);
    let urls: Vec<_> = list.iter().map(|s| s["url"].as_str().unwrap()).collect();
    assert_eq!(
        urls,
        ["https://one.example/feed.xml", "https://two.example/rss"]
    );
    assert_eq!(list[0]["title"], "One");
    let plain = ok(&data, &["sources", "list"]);
    assert!(
        plain.contains("https://one.example/feed.xml (One)"),
        "{plain}"
    );
    assert!(
        plain.contains("new; last success never; next poll due now"),
        "{plain}"
    );
}

#[test]
fn run_stops_cleanly_on_sigint() {
    let web = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    ok(&data, &["sources", "add", &web.url("/feed.xml")]);
    ok(&data, &["sources", "add", &web.url("/slow.xml")]);
    let mut run = spawn(&data, &["run", "--allow-loopback"]);
    // Wait for the good feed's poll.
    let feed_line = format!("poll {}: ", web.url("/feed.xml"));
    run.wait_for(|line| line.starts_with(&feed_line));
    let Finished {
        status,
        stdout,
        log,
    } = run.interrupt();
    let log = log.join("\n");
    eprintln!("--- newsdesk run:\n{stdout}{log}");
    assert!(status.success(), "{status:?}\n{log}");
    assert!(log.contains("stopping (SIGINT)"), "{log}");
    assert!(stdout.contains(" fetched, "), "a summary: {stdout}");

    // What was written is whole: the good feed's batch, analysed, and its
    // health; the abandoned poll wrote nothing.
    let all = jsonl(&data);
    assert_eq!(all.len(), 3, "{all:#?}");
    assert!(
        all.iter().all(|a| a["story"].is_i64()),
        "every article analysed"
    );
    let list = sources(&data);
    assert_eq!(source(&list, &web.url("/feed.xml"))["status"], "ok");
    let slow = source(&list, &web.url("/slow.xml"));
    if !log.contains(&format!("poll {}: ", web.url("/slow.xml"))) {
        assert_eq!(slow["status"], "new", "an abandoned poll records nothing");
        assert!(log.contains("1 poll in flight abandoned"), "{log}");
    }
    let conn = rusqlite::Connection::open(data.join("newsdesk.sqlite3")).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
}

#[test]
fn run_with_serve_answers_while_it_polls_and_counts_polls_in_metrics() {
    let web = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    ok(&data, &["sources", "add", &web.url("/feed.xml")]);
    let mut run = spawn(
        &data,
        &["run", "--allow-loopback", "--serve", "127.0.0.1:0"],
    );
    // The server says where it listens; the pipeline logs the feed's poll.
    let feed_line = format!("poll {}: ", web.url("/feed.xml"));
    let (mut addr, mut polled) = (None, false);
    run.wait_for(|line| {
        if line.contains("\"listening\"") {
            addr = Some(listening_addr(line));
        }
        polled |= line.starts_with(&feed_line);
        addr.is_some() && polled
    });
    let addr = addr.expect("the server listens");
    // The articles are served, and the poll is in the server's metrics
    // (counted right after the poll's line: wait for it, with a guard).
    let (status, body) = http(&addr, "GET", "/api/v1/stats", &[], "");
    assert_eq!(status, 200);
    let stats: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(stats["articles"], 3, "{stats}");
    let mut metrics = String::new();
    for _ in 0..600 {
        let (status, body) = http(&addr, "GET", "/metrics", &[], "");
        assert_eq!(status, 200);
        metrics = body;
        if metrics.contains("newsdesk_fetch_polls_total 1") {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(
        metrics.contains("newsdesk_fetch_polls_total 1"),
        "{metrics}"
    );
    assert!(
        metrics.contains("newsdesk_ingest_articles_stored_total 3"),
        "{metrics}"
    );
    assert!(
        metrics.contains("newsdesk_poll_store_analyse_decide_seconds_count 1"),
        "{metrics}"
    );
    // SIGINT stops both.
    let Finished { status, log, .. } = run.interrupt();
    assert!(status.success(), "{status:?}\n{}", log.join("\n"));
}

#[test]
fn run_with_serve_on_a_fresh_folder_indexes_what_it_polls() {
    // The server finds the search index made before it starts, so the
    // pipeline keeps its writer and indexes each poll itself.
    let web = Server::start();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    ok(&data, &["sources", "add", &web.url("/feed.xml")]);
    assert!(!data.join("search").exists(), "a fresh folder has no index");
    let mut run = spawn(
        &data,
        &["run", "--allow-loopback", "--serve", "127.0.0.1:0"],
    );
    let feed_line = format!("poll {}: ", web.url("/feed.xml"));
    run.wait_for(|line| line.starts_with(&feed_line));
    let Finished { status, log, .. } = run.interrupt();
    let log = log.join("\n");
    assert!(status.success(), "{status:?}\n{log}");
    assert!(!log.contains("held by another process"), "{log}");
    // Nothing waits in the outbox: the index holds the three articles.
    let check = newsdesk(&data, &["index", "check"]);
    assert!(check.status.success(), "{}", stdout(&check));
    let found = ok(&data, &["search", "chip", "--json"]);
    assert!(found.contains("Chip makers expand in Arizona"), "{found}");
}
