//! The web pages over a desk filled from real data (the seeds, the
//! everyday-ai corpus) and the generated newsroom, analysed and decided by
//! the desk library, through the real router (in process): what a reader
//! checks on each page, escaping of hostile feed text, the security
//! headers, and that every page is well-formed HTML with its landmarks.
//!
//! Skips with a message when `../shared` is missing (fails instead under
//! `NEWSDESK_REQUIRE_SHARED=1`).

use crate::common;
use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, OnceLock};

use axum::http::StatusCode;
use chrono::{Duration, Utc};
use newsdesk_desk::ingest::{ingest, IngestOptions};
use newsdesk_desk::{DeskPaths, KeySource};
use newsdesk_server::{router, AppState, Metrics, ServerConfig};
use newsdesk_store::prelude::*;
use newsdesk_store::{ArticleQuery, Batch, Sort, SourceInfo, SqliteStore, Store, StoredArticle};

/// The hostile title an input carries.
pub const XSS_TITLE: &str = "<script>alert(1)</script> and \"quotes\" & <b>tags</b>";

/// A seed-format document whose title and excerpt are hostile, with a
/// `javascript:` link.
fn hostile_document() -> String {
    let now = Utc::now() - Duration::hours(2);
    format!(
        "---\ncategory: news\ntitle: {title:?}\nexcerpt: \"<img src=x onerror=alert(2)> Amazon Web Services machine learning cloud AI news\"\npublishedDateTime: {date}\nwebUrl: \"javascript:alert(3)\"\ntype: article\n\nprovider:\n  name: \"Evil <i>Corp</i>\"\n  domain: evil.example\n\ntopics:\n  - AI\n---\n",
        title = XSS_TITLE,
        date = now.format("%Y-%m-%dT%H:%M:%SZ"),
    )
}

/// The filled data folder, shared by every test of this module (filling
/// it analyses a few hundred articles).
pub struct Desk {
    pub dir: tempfile::TempDir,
}

static DESK: OnceLock<Option<Desk>> = OnceLock::new();

fn fill() -> Option<Desk> {
    let corpus = newsdesk_testkit::shared("corpus/everyday-ai")?;
    let seeds = newsdesk_testkit::shared("seeds")?;
    let dir = tempfile::tempdir().unwrap();
    let inputs = tempfile::tempdir().unwrap();
    // The generated newsroom, stored as its providers' feeds would be:
    // the desk analyses it when it opens below.
    let config = newsdesk_newsroom::Config {
        events: 25,
        providers: 14,
        days: 2,
        start: Utc::now() - Duration::days(2),
        ..newsdesk_newsroom::Config::default()
    };
    {
        let mut store = SqliteStore::open(dir.path()).unwrap();
        let mut by_provider: HashMap<String, Vec<newsdesk_model::Article>> = HashMap::new();
        for g in newsdesk_newsroom::generate(&config) {
            let domain = g
                .article
                .provider
                .as_ref()
                .map(|p| p.domain.clone())
                .unwrap_or_default();
            by_provider.entry(domain).or_default().push(g.article);
        }
        let mut providers: Vec<_> = by_provider.into_iter().collect();
        providers.sort_by(|a, b| a.0.cmp(&b.0));
        for (domain, articles) in providers {
            store
                .ingest(
                    &Batch {
                        source: SourceInfo {
                            locator: format!("https://{domain}/feed.xml"),
                            kind: "rss".into(),
                            title: Some(domain.clone()),
                        },
                        articles,
                    },
                    Utc::now(),
                )
                .unwrap();
        }
    }
    let hostile = inputs.path().join("hostile.txt");
    std::fs::write(&hostile, hostile_document()).unwrap();
    let paths = DeskPaths::new(dir.path(), KeySource::default());
    let sum = ingest(
        &paths,
        &[corpus, seeds, hostile],
        &IngestOptions::default(),
        &mut (),
    )
    .unwrap();
    assert!(sum.stored >= 150, "the corpus and seeds: {sum:?}");
    Some(Desk { dir })
}

pub fn desk() -> Option<&'static Desk> {
    DESK.get_or_init(fill).as_ref()
}

impl Desk {
    pub fn app(&self) -> axum::Router {
        let state = AppState::open(
            &ServerConfig {
                data_dir: self.dir.path().to_path_buf(),
                base_url: "https://desk.example/".into(),
                readers: 2,
            },
            Arc::new(Metrics::default()),
        )
        .unwrap();
        router(Arc::new(state))
    }

    pub fn store(&self) -> SqliteStore {
        SqliteStore::open(self.dir.path()).unwrap()
    }

    /// Every article (stubs left out), by id.
    pub fn articles(&self) -> Vec<StoredArticle> {
        let s = self.store();
        let mut out = Vec::new();
        let mut after = None;
        loop {
            let page = s
                .query_articles(&ArticleQuery {
                    published: None,
                    sort: Sort::Time,
                    after,
                    limit: 100,
                    ..ArticleQuery::default()
                })
                .unwrap();
            out.extend(page.articles);
            match page.next {
                Some(n) => after = Some(newsdesk_store::Cursor::decode(&n, Sort::Time).unwrap()),
                None => break,
            }
        }
        out
    }
}

/// A GET as a browser sends it.
pub async fn get(app: &axum::Router, uri: &str) -> (StatusCode, axum::http::HeaderMap, String) {
    let (status, headers, body) = common::exchange(
        app,
        "GET",
        uri,
        &[("accept", "text/html,application/xhtml+xml")],
        "",
    )
    .await;
    (status, headers, String::from_utf8(body).unwrap())
}

/// A page that must answer 200 with HTML.
pub async fn page(app: &axum::Router, uri: &str) -> String {
    let (status, headers, body) = get(app, uri).await;
    assert_eq!(status, StatusCode::OK, "{uri}: {body}");
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html"),
        "{uri}"
    );
    check_page(uri, &headers, &body);
    body
}

/// Text with the HTML escapes undone (for comparing with stored text).
pub fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&#60;", "<")
        .replace("&#62;", ">")
        .replace("&amp;", "&")
        .replace("&#38;", "&")
}

// ---- well-formedness, landmarks and script rules, by html5ever's tokenizer

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use std::cell::RefCell;

#[derive(Default)]
pub struct Seen {
    pub errors: Vec<String>,
    /// Open elements (void ones never pushed).
    pub stack: Vec<String>,
    /// Mismatched or unclosed tags.
    pub unbalanced: Vec<String>,
    tags: Vec<(String, Vec<(String, String)>)>,
    /// Text directly inside a `<script>`.
    script_text: String,
    in_script: bool,
    doctype: bool,
}

struct Sink(RefCell<Seen>);

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

impl TokenSink for Sink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut s = self.0.borrow_mut();
        match token {
            Token::DoctypeToken(_) => s.doctype = true,
            Token::ParseError(e) => s.errors.push(e.to_string()),
            Token::TagToken(t) => {
                let name = t.name.to_string();
                match t.kind {
                    TagKind::StartTag => {
                        let attrs = t
                            .attrs
                            .iter()
                            .map(|a| (a.name.local.to_string(), a.value.to_string()))
                            .collect();
                        s.tags.push((name.clone(), attrs));
                        if name == "script" {
                            s.in_script = true;
                        }
                        if !VOID.contains(&name.as_str()) && !t.self_closing {
                            s.stack.push(name.clone());
                        }
                    }
                    TagKind::EndTag => {
                        if name == "script" {
                            s.in_script = false;
                        }
                        match s.stack.pop() {
                            Some(open) if open == name => {}
                            other => {
                                let msg = format!("</{name}> closes {other:?}");
                                s.unbalanced.push(msg)
                            }
                        }
                    }
                }
                if name == "script" && t.kind == TagKind::StartTag {
                    return TokenSinkResult::RawData(
                        html5ever::tokenizer::states::RawKind::ScriptData,
                    );
                }
                if (name == "title" || name == "textarea") && t.kind == TagKind::StartTag {
                    return TokenSinkResult::RawData(html5ever::tokenizer::states::RawKind::Rcdata);
                }
            }
            Token::CharacterTokens(text) if s.in_script => s.script_text.push_str(&text),
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

/// What a page is made of, as a browser's tokenizer reads it.
pub struct Parsed {
    pub tags: Vec<(String, Vec<(String, String)>)>,
}

impl Parsed {
    pub fn attr<'a>(&'a self, tag: &str, name: &str) -> Vec<&'a str> {
        self.tags
            .iter()
            .filter(|(t, _)| t == tag)
            .filter_map(|(_, a)| a.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str()))
            .collect()
    }
}

pub fn parse(html: &str) -> (Parsed, Seen) {
    let sink = Sink(RefCell::new(Seen::default()));
    let tok = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    let _ = tok.feed(&input);
    tok.end();
    let seen = tok.sink.0.into_inner();
    (
        Parsed {
            tags: seen.tags.clone(),
        },
        seen,
    )
}

/// What every page must be: well-formed, with its landmarks, no inline
/// script or event handler, no inline style, the CSP and other headers.
pub fn check_page(uri: &str, headers: &axum::http::HeaderMap, body: &str) {
    let (parsed, seen) = parse(body);
    assert!(seen.doctype, "{uri}: no doctype");
    assert!(
        seen.errors.is_empty(),
        "{uri}: parse errors {:?}",
        seen.errors
    );
    assert!(
        seen.unbalanced.is_empty() && seen.stack.is_empty(),
        "{uri}: unbalanced tags {:?}, left open {:?}",
        seen.unbalanced,
        seen.stack
    );
    for landmark in ["header", "nav", "main", "footer"] {
        assert_eq!(
            parsed.tags.iter().filter(|(t, _)| t == landmark).count(),
            if landmark == "nav" {
                parsed
                    .tags
                    .iter()
                    .filter(|(t, _)| t == "nav")
                    .count()
                    .max(1)
            } else {
                1
            },
            "{uri}: the {landmark} landmark"
        );
    }
    assert_eq!(parsed.attr("html", "lang"), ["en"], "{uri}");
    for (tag, attrs) in &parsed.tags {
        for (name, value) in attrs {
            assert!(
                !name.starts_with("on"),
                "{uri}: <{tag} {name}={value:?}> is an inline event handler"
            );
            assert_ne!(name, "style", "{uri}: <{tag}> has an inline style");
            if name == "href" || name == "src" || name == "action" {
                let v = value.trim().to_ascii_lowercase();
                assert!(
                    !v.starts_with("javascript:") && !v.starts_with("data:text"),
                    "{uri}: <{tag} {name}={value:?}>"
                );
            }
        }
        if tag == "script" {
            assert!(
                attrs.iter().any(|(n, _)| n == "src"),
                "{uri}: a <script> without src"
            );
        }
        if tag == "img" {
            for a in ["width", "height", "alt"] {
                assert!(
                    attrs.iter().any(|(n, _)| n == a),
                    "{uri}: an <img> without {a}"
                );
            }
        }
    }
    assert!(
        seen.script_text.trim().is_empty(),
        "{uri}: inline script {:?}",
        seen.script_text
    );
    let csp = headers["content-security-policy"].to_str().unwrap();
    for part in [
        "default-src 'self'",
        "img-src 'self' data:",
        "frame-ancestors 'none'",
    ] {
        assert!(csp.contains(part), "{uri}: CSP {csp:?} lacks {part:?}");
    }
    assert!(!csp.contains("unsafe-inline"), "{uri}: {csp}");
    assert_eq!(headers["x-content-type-options"], "nosniff", "{uri}");
    assert!(headers.contains_key("referrer-policy"), "{uri}");
}

/// The hrefs of the page's `<link rel="alternate">` elements.
pub fn alternates(body: &str) -> Vec<(String, String)> {
    let (parsed, _) = parse(body);
    parsed
        .tags
        .iter()
        .filter(|(t, a)| t == "link" && a.iter().any(|(n, v)| n == "rel" && v == "alternate"))
        .map(|(_, a)| {
            let get = |k: &str| {
                a.iter()
                    .find(|(n, _)| n == k)
                    .map(|(_, v)| v.clone())
                    .unwrap_or_default()
            };
            (get("type"), get("href"))
        })
        .collect()
}

/// The texts of the elements with class `class`'s first link, in order
/// (e.g. the cards' headlines).
pub fn headlines(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = body;
    while let Some(i) = rest.find("class=\"headline\"") {
        rest = &rest[i..];
        let start = rest.find('>').unwrap() + 1;
        let end = rest[start..].find("</a>").unwrap() + start;
        out.push(unescape(&rest[start..end]));
        rest = &rest[end..];
    }
    out
}

// ---- the pages

#[tokio::test]
async fn every_page_has_the_frame_and_its_assets_are_small_and_cached() {
    let Some(desk) = desk() else { return };
    let app = desk.app();
    let home = page(&app, "/").await;
    let (parsed, _) = parse(&home);
    let css = parsed
        .attr("link", "href")
        .into_iter()
        .find(|h| h.starts_with("/assets/") && h.ends_with(".css"))
        .expect("a stylesheet")
        .to_string();
    let js = parsed.attr("script", "src")[0].to_string();
    let icon = parsed
        .attr("link", "href")
        .into_iter()
        .find(|h| h.starts_with("/assets/icon.") && h.ends_with(".svg"))
        .expect("an icon, so browsers do not ask for /favicon.ico")
        .to_string();
    let (status, headers, _) = common::exchange(&app, "GET", &icon, &[], "").await;
    assert_eq!(status, StatusCode::OK, "{icon}");
    assert_eq!(headers["content-type"], "image/svg+xml");
    let mut total = 0;
    for asset in [&css, &js] {
        let (status, headers, body) = common::exchange(&app, "GET", asset, &[], "").await;
        assert_eq!(status, StatusCode::OK, "{asset}");
        assert!(headers["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable"));
        total += body.len();
    }
    assert!(total < 100_000, "script and style weigh {total} bytes");
    // A stale version is not served as if it were current.
    let (status, _, _) = common::exchange(&app, "GET", "/assets/app.00000000.css", &[], "").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // The topics navigation nests subtopics under their parent.
    let nav_start = home.find("<nav id=\"topics\"").unwrap();
    let nav = &home[nav_start..home[nav_start..].find("</nav>").unwrap() + nav_start];
    let ai = nav.find(">AI</a>").expect("the AI topic in the navigation");
    let aws = nav.find(">AWS AI</a>").expect("AWS AI in the navigation");
    assert!(aws > ai && nav[ai..aws].contains("<ul>"), "{nav}");
    // The theme toggle and the help are there for the script to enable.
    assert!(home.contains("id=\"theme-toggle\""));
    assert!(home.contains("<dialog id=\"help\""));
}

#[tokio::test]
async fn unknown_pages_are_html_for_browsers_and_json_for_the_api() {
    let Some(desk) = desk() else { return };
    let app = desk.app();
    let (status, headers, body) = get(&app, "/no/such/page").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    check_page("/no/such/page", &headers, &body);
    assert!(body.contains("Not found"));
    let (status, headers, _) = get(&app, "/api/v1/nothing").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    let (status, headers, _) = common::exchange(
        &app,
        "GET",
        "/no/such/page",
        &[("accept", "application/json")],
        "",
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    let (status, headers, body) = get(&app, "/topics/no-such-topic").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    check_page("/topics/no-such-topic", &headers, &body);
    let (status, _, body) = get(&app, "/topics/ai?cursor=zz").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, _, body) = get(&app, "/topics/ai?sort=coldest").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    // A shared link's tracking tags do not break a page.
    page(&app, "/topics/ai?utm_source=newsletter").await;
    page(&app, "/search?q=cloud&utm_medium=mail").await;
}

#[tokio::test]
async fn the_topic_page_lists_the_hottest_story_first_with_its_coverage() {
    let Some(desk) = desk() else { return };
    let app = desk.app();
    let body = page(&app, "/topics/ai").await;
    // The hottest published article of the topic, as the store ranks them.
    let s = desk.store();
    let top = s
        .query_articles(&ArticleQuery {
            topic: Some("AI".into()),
            published: Some(true),
            sort: Sort::Heat,
            limit: 1,
            ..ArticleQuery::default()
        })
        .unwrap()
        .articles
        .remove(0);
    let story = top.story.expect("published articles belong to a story");
    let members: Vec<StoredArticle> = desk
        .articles()
        .into_iter()
        .filter(|a| a.story == Some(story))
        .collect();
    let first_card = &body[body.find("class=\"card\"").unwrap()..];
    let first_card = &first_card[..first_card
        .find("</li>\n<li class=\"card\"")
        .unwrap_or(first_card.len())];
    // Its headline is one of the story's articles, linking the story page.
    let headline = headlines(first_card).remove(0);
    let lead = members
        .iter()
        .find(|a| a.article.title == headline)
        .unwrap_or_else(|| panic!("{headline:?} is not an article of story {story}"));
    assert!(first_card.contains(&format!("href=\"/stories/{story}\"")));
    if let Some(p) = &lead.article.provider {
        assert!(
            first_card.contains(&askama_escape(&p.name)),
            "the provider {} in {first_card}",
            p.name
        );
    }
    let providers: BTreeSet<&str> = members
        .iter()
        .filter_map(|a| a.article.provider.as_ref().map(|p| p.domain.as_str()))
        .collect();
    if providers.len() > 1 {
        assert!(
            first_card.contains(&format!("{} sources", providers.len())),
            "{} sources in {first_card}",
            providers.len()
        );
    }
    // Relative time with the exact time on hover.
    if lead.article.published_at.is_some() {
        assert!(first_card.contains("<time class=\"ago\" datetime="));
        assert!(first_card.contains(" UTC\">"));
    }
    // One card per story.
    let cards = card_links(&body);
    let distinct: BTreeSet<&String> = cards.iter().collect();
    assert_eq!(distinct.len(), cards.len(), "{cards:?}");
    // The feeds are announced and resolve.
    let alt = alternates(&body);
    assert_eq!(alt.len(), 3, "{alt:?}");
    for (mime, href) in alt {
        let (status, headers, _) = common::exchange(&app, "GET", &href, &[], "").await;
        assert_eq!(status, StatusCode::OK, "{href}");
        assert!(
            headers["content-type"].to_str().unwrap().starts_with(&mime),
            "{href}: {:?} announced as {mime}",
            headers["content-type"]
        );
        assert!(
            body.contains(&format!("href=\"{href}\" type=")),
            "a visible link to {href}"
        );
    }
}

/// Where each card's headline links (its story), in order.
pub fn card_links(body: &str) -> Vec<String> {
    let (parsed, _) = parse(body);
    parsed
        .tags
        .iter()
        .filter(|(t, a)| t == "a" && a.iter().any(|(n, v)| n == "class" && v == "headline"))
        .filter_map(|(_, a)| a.iter().find(|(n, _)| n == "href").map(|(_, v)| v.clone()))
        .collect()
}

fn askama_escape(s: &str) -> String {
    s.replace('&', "&#38;")
        .replace('<', "&#60;")
        .replace('>', "&#62;")
        .replace('"', "&#34;")
        .replace('\'', "&#39;")
}

#[tokio::test]
async fn the_newest_order_and_the_next_page_follow_the_cursor() {
    let Some(desk) = desk() else { return };
    let app = desk.app();
    let body = page(&app, "/topics/ai?sort=newest").await;
    let times: Vec<&str> = body
        .match_indices("<time class=\"ago\" datetime=\"")
        .map(|(i, m)| &body[i + m.len()..i + m.len() + 20])
        .collect();
    assert!(times.len() > 3);
    let next = body.find("rel=\"next\"").map(|_| ()).and_then(|_| {
        let i = body.find("class=\"pager\"")?;
        let h = body[i..].find("href=\"")? + i + 6;
        Some(unescape(&body[h..h + body[h..].find('"')?]))
    });
    if let Some(next) = next {
        assert!(
            next.contains("sort=newest") && next.contains("cursor="),
            "{next}"
        );
        let second = page(&app, &next).await;
        let first: BTreeSet<String> = card_links(&body).into_iter().collect();
        let second = card_links(&second);
        assert!(!second.is_empty());
        for s in &second {
            assert!(!first.contains(s), "{s} is on both pages");
        }
    }
}

#[tokio::test]
async fn show_all_lists_what_was_not_published_and_why() {
    let Some(desk) = desk() else { return };
    let app = desk.app();
    let body = page(&app, "/topics/ai?show=all&sort=newest").await;
    assert!(
        body.contains("not published"),
        "unpublished articles are shown"
    );
    assert!(body.contains("class=\"reasons\""), "with their reasons");
}

#[tokio::test]
async fn the_front_page_shows_the_hottest_stories_across_topics() {
    let Some(desk) = desk() else { return };
    let app = desk.app();
    let body = page(&app, "/").await;
    let s = desk.store();
    let top = s
        .query_articles(&ArticleQuery {
            published: Some(true),
            sort: Sort::Heat,
            limit: 1,
            ..ArticleQuery::default()
        })
        .unwrap()
        .articles
        .remove(0);
    let story = top.story.unwrap();
    let first = body.find("class=\"card\"").unwrap();
    let card_end = body[first..].find("</li>").unwrap() + first;
    assert!(
        body[first..card_end].contains(&format!("/stories/{story}\"")),
        "the hottest story {story} leads the front page"
    );
}

#[tokio::test]
async fn hostile_feed_text_is_escaped_everywhere() {
    let Some(desk) = desk() else { return };
    let app = desk.app();
    let hostile = desk
        .articles()
        .into_iter()
        .find(|a| a.article.title == XSS_TITLE)
        .expect("the hostile article is stored");
    let mut pages = vec![
        "/topics/ai?show=all&sort=newest".to_string(),
        format!("/topics/ai?sort=newest"),
    ];
    if let Some(story) = hostile.story {
        pages.push(format!("/stories/{story}"));
    }
    pages.push(format!("/articles/{}", hostile.id));
    let mut shown = 0;
    for uri in pages {
        let (status, headers, body) = get(&app, &uri).await;
        if status == StatusCode::NOT_FOUND {
            continue;
        }
        assert_eq!(status, StatusCode::OK, "{uri}");
        check_page(&uri, &headers, &body);
        assert!(!body.contains("<script>alert"), "{uri}");
        assert!(!body.contains("<img src=x"), "{uri}");
        assert!(!body.contains("javascript:"), "{uri}");
        assert!(!body.contains("<i>Corp</i>"), "{uri}");
        if body.contains("&#60;script&#62;alert(1)&#60;/script&#62;") {
            shown += 1;
        }
    }
    assert!(shown >= 1, "the hostile title is shown, escaped");
}

#[tokio::test]
async fn the_story_page_folds_copies_under_their_original_and_orders_the_timeline() {
    let Some(desk) = desk() else { return };
    let app = desk.app();
    let all = desk.articles();
    let by_id: HashMap<i64, &StoredArticle> = all.iter().map(|a| (a.id, a)).collect();
    // A copy whose original is an original of the same story.
    let copy = all
        .iter()
        .find(|a| {
            a.duplicate_of
                .and_then(|d| by_id.get(&d))
                .is_some_and(|o| o.story == a.story && o.duplicate_of.is_none())
        })
        .expect("the newsroom republishes agency copy");
    let original = a_original(copy, &by_id);
    let story = copy.story.unwrap();
    let uri = format!("/stories/{story}");
    let body = page(&app, &uri).await;
    let orig_at = body
        .find(&format!(
            "<li class=\"card\" id=\"article-{}\"",
            original.id
        ))
        .expect("the original is a top-level entry");
    let copy_at = body
        .find(&format!("<li id=\"article-{}\"", copy.id))
        .expect("the copy is listed");
    assert!(copy_at > orig_at);
    let next_original = body[orig_at + 1..]
        .find("<li class=\"card\"")
        .map(|i| i + orig_at + 1)
        .unwrap_or(body.len());
    assert!(
        copy_at < next_original,
        "the copy {} is folded under its original {}",
        copy.id,
        original.id
    );
    let folded = &body[orig_at..copy_at];
    assert!(folded.contains("<details>") && folded.contains("<ol class=\"copies\">"));
    // Every member is on the page, originals before copies.
    let members: Vec<&StoredArticle> = all.iter().filter(|a| a.story == Some(story)).collect();
    for m in &members {
        assert!(
            body.contains(&format!("id=\"article-{}\"", m.id)),
            "{}",
            m.id
        );
    }
    // The timeline lists each article once, oldest first.
    let tl = &body[body.find("<ol class=\"timeline\">").unwrap()..];
    let tl = &tl[..tl.find("</ol>").unwrap()];
    let times: Vec<&str> = tl
        .match_indices("datetime=\"")
        .map(|(i, m)| &tl[i + m.len()..i + m.len() + 20])
        .collect();
    let mut sorted = times.clone();
    sorted.sort();
    assert_eq!(times, sorted);
    assert_eq!(tl.matches("<li>").count(), members.len());
    // Links out are web links only; the quality breakdown is on demand.
    assert!(body.contains("Quality breakdown"));
    if let Some(u) = &copy.article.web_url {
        assert!(body.contains(&askama_escape(u)), "{u}");
    }
    let (status, _, _) = get(&app, "/stories/999999999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = get(&app, "/stories/x").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

fn a_original<'a>(a: &StoredArticle, by_id: &HashMap<i64, &'a StoredArticle>) -> &'a StoredArticle {
    let mut at = by_id[&a.duplicate_of.unwrap()];
    while let Some(up) = at.duplicate_of.and_then(|d| by_id.get(&d)) {
        at = up;
    }
    at
}

#[tokio::test]
async fn the_article_page_shows_the_decision_topics_and_related_coverage() {
    let Some(desk) = desk() else { return };
    let app = desk.app();
    let s = desk.store();
    let all = desk.articles();
    // An unpublished article: its page says so and why.
    let off = all
        .iter()
        .find(|a| a.article.published == Some(false))
        .expect("the desk leaves some articles unpublished");
    let full = s.article(off.id).unwrap().unwrap();
    let body = page(&app, &format!("/articles/{}", off.id)).await;
    assert!(body.contains("not published"));
    let detail: serde_json::Value =
        serde_json::from_str(full.editorial.as_deref().expect("decided")).unwrap();
    let first_reason = detail["reasons"][0].as_str().expect("a reason");
    assert!(
        body.contains(&askama_escape(first_reason)),
        "the reason {first_reason:?}"
    );
    for t in &off.article.topics {
        assert!(body.contains(&askama_escape(t)), "topic {t}");
    }
    // An article with related coverage lists it, by title.
    if let Some(with_related) = all.iter().find_map(|a| {
        let f = s.article(a.id).unwrap().unwrap();
        (!f.related.is_empty()).then_some(f)
    }) {
        let body = page(&app, &format!("/articles/{}", with_related.id)).await;
        let r = s.article(with_related.related[0]).unwrap().unwrap();
        assert!(
            body.contains(&format!("href=\"/articles/{}\"", r.id)),
            "related {} on {}",
            r.id,
            with_related.id
        );
        assert!(body.contains("Related coverage"));
    }
    // The document route still answers by its suffix.
    let (status, headers, doc) =
        common::exchange(&app, "GET", &format!("/articles/{}.md", off.id), &[], "").await;
    assert_eq!(status, StatusCode::OK);
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/markdown"));
    assert!(String::from_utf8(doc).unwrap().starts_with("---\n"));
    // Clear text is never on the page.
    assert!(!body.contains("secret"));
    let (status, _, _) = get(&app, "/articles/999999999").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn search_marks_matches_in_escaped_text_and_links_its_feeds() {
    let Some(desk) = desk() else { return };
    let app = desk.app();
    // The form alone.
    let body = page(&app, "/search").await;
    assert!(body.contains("name=\"q\""));
    // A word of a published title finds it, marked.
    let s = desk.store();
    let top = s
        .query_articles(&ArticleQuery {
            published: Some(true),
            sort: Sort::Heat,
            limit: 1,
            ..ArticleQuery::default()
        })
        .unwrap()
        .articles
        .remove(0);
    let word = top
        .article
        .title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.len() > 5)
        .max_by_key(|w| w.len())
        .expect("a long word in the headline")
        .to_string();
    let body = page(&app, &format!("/search?q={word}")).await;
    assert!(body.contains("<mark>"), "{word} marked");
    assert!(
        body.contains(&format!("href=\"/articles/{}\"", top.id)),
        "{word} finds {}",
        top.id
    );
    // The feeds of the search are announced, linked and answer.
    let alt = alternates(&body);
    assert_eq!(alt.len(), 3);
    for (_, href) in &alt {
        let href = unescape(href);
        assert!(href.contains(&format!("q={word}")), "{href}");
        let (status, _, _) = common::exchange(&app, "GET", &href, &[], "").await;
        assert_eq!(status, StatusCode::OK, "{href}");
    }
    // Hostile text in a hit is escaped before it is marked.
    let body = page(&app, "/search?q=alert+quotes&published=any").await;
    assert!(
        body.contains("&lt;script&gt;") || body.contains("&#60;script&#62;"),
        "the hostile title is found and shown escaped"
    );
    assert!(!body.contains("<script>alert"));
    assert!(!body.contains("<b>tags</b>"));
    // A filter by topic keeps to the topic; a broken query is explained.
    let body = page(
        &app,
        &format!("/search?q={word}&topic=ai&provider=&published="),
    )
    .await;
    assert!(body.contains("selected>AI</option>"));
    let (status, headers, body) = get(&app, "/search?q=%22unclosed").await;
    check_page("/search?q=\"unclosed", &headers, &body);
    assert!(
        status == StatusCode::BAD_REQUEST || status == StatusCode::OK,
        "{status}"
    );
}

#[tokio::test]
async fn the_sources_page_shows_each_followed_source_with_its_health() {
    let dir = tempfile::tempdir().unwrap();
    let now = Utc::now();
    {
        let mut s = SqliteStore::open(dir.path()).unwrap();
        for (url, title) in [
            ("https://good.example/feed.xml", "Good <News>"),
            ("https://bad.example/rss", "Bad feed"),
            ("https://new.example/atom", ""),
        ] {
            s.follow_source(
                &SourceInfo {
                    locator: url.into(),
                    kind: "subscription".into(),
                    title: (!title.is_empty()).then(|| title.to_string()),
                },
                now,
            )
            .unwrap();
        }
        let ok = newsdesk_model::SourceHealth {
            last_attempt: Some(now - Duration::minutes(10)),
            last_success: Some(now - Duration::minutes(10)),
            next_poll: Some(now + Duration::minutes(20)),
            items_per_day: Some(12.5),
            ..Default::default()
        };
        let bad = newsdesk_model::SourceHealth {
            last_attempt: Some(now - Duration::minutes(5)),
            last_success: Some(now - Duration::hours(30)),
            consecutive_errors: 3,
            last_error: Some("HTTP 503 <script>alert(1)</script>".into()),
            last_error_kind: Some("http".into()),
            next_poll: Some(now + Duration::hours(1)),
            ..Default::default()
        };
        for (url, h) in [
            ("https://good.example/feed.xml", ok),
            ("https://bad.example/rss", bad),
        ] {
            s.record_poll(
                url,
                &newsdesk_store::PollRecord {
                    health: serde_json::to_string(&h).unwrap(),
                    next_poll: h.next_poll,
                    ..Default::default()
                },
            )
            .unwrap();
        }
    }
    let state = AppState::open(
        &ServerConfig {
            data_dir: dir.path().to_path_buf(),
            base_url: "https://desk.example".into(),
            readers: 1,
        },
        Arc::new(Metrics::default()),
    )
    .unwrap();
    let app = router(Arc::new(state));
    let body = page(&app, "/sources").await;
    let bad = body.find("Bad feed").expect("the failing source");
    let good = body.find("Good &#60;News&#62;").expect("titles escaped");
    let new = body
        .find("https://new.example/atom")
        .expect("a source without title by URL");
    assert!(bad < new && new < good, "failing first, then new, then ok");
    let bad_row = &body[bad..new];
    assert!(bad_row.contains("failing"));
    assert!(bad_row.contains(">3<"), "three errors in a row: {bad_row}");
    assert!(bad_row.contains("http: HTTP 503 &#60;script&#62;"));
    assert!(bad_row.contains("30 h ago") || bad_row.contains("1 day ago"));
    let new_row = &body[new..good];
    assert!(new_row.contains("never") && new_row.contains("due now"));
    let good_row = &body[good..];
    assert!(good_row.contains("10 min ago") && good_row.contains("12.5"));
    assert!(!body.contains("<script>alert"));
}

#[tokio::test]
async fn every_page_is_well_formed_with_landmarks_and_the_shortcut_hooks() {
    let Some(desk) = desk() else { return };
    let app = desk.app();
    let home = page(&app, "/").await;
    let story = card_links(&home)[0].clone();
    let story_page = page(&app, &story).await;
    let article = card_links(&story_page)[0].clone();
    let mut sizes = Vec::new();
    for uri in [
        "/".to_string(),
        "/?sort=newest".to_string(),
        "/topics/ai".to_string(),
        "/topics/aws-ai?sort=newest".to_string(),
        "/topics/ai?show=all".to_string(),
        story,
        article,
        "/search".to_string(),
        "/search?q=cloud".to_string(),
        "/sources".to_string(),
    ] {
        let body = page(&app, &uri).await;
        // Cards carry the headline link the j/k/o shortcuts use.
        if uri != "/search" && uri != "/sources" && !uri.starts_with("/articles/") {
            assert!(body.contains("class=\"headline\""), "{uri}");
        }
        assert!(body.contains("id=\"q\""), "{uri}: the search box for /");
        assert!(body.contains("id=\"topics\""), "{uri}: the topics for g t");
        sizes.push((uri, body.len()));
    }
    eprintln!("page sizes (bytes of HTML): {sizes:?}");
}
