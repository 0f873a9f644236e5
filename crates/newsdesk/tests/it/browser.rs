//! The web UI in a real browser (headless Chromium, see
//! `newsdesk_testkit::browser`): a desk filled from the generated newsroom
//! and the everyday-ai corpus, served by `newsdesk serve`, walked as a reader
//! walks it; and a feed whose titles and bodies carry the HTML-sanitizing
//! payloads of the Universal Feed Parser's tests, whose pages must run none
//! of them.
//!
//! Every page visited is saved as a full-page screenshot under
//! `target/browser-artifacts/<test>/`.
//!
//! Skips with a message when Chromium or `../shared` is missing (fails
//! instead under `NEWSDESK_REQUIRE_BROWSER=1` / `NEWSDESK_REQUIRE_SHARED=1`).

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use newsdesk_testkit::browser::{self, Browser, Page};
use serde_json::Value;

use crate::common::*;

/// The desk the walk tests share: filled once per run of this binary, in
/// `target/browser-desk` (refilled from scratch at the first use).
fn desk() -> Option<&'static Path> {
    static DESK: OnceLock<Option<PathBuf>> = OnceLock::new();
    DESK.get_or_init(|| {
        let corpus = newsdesk_testkit::shared("corpus/everyday-ai")?;
        let root = newsdesk_testkit::workspace_root()
            .join("target")
            .join("browser-desk");
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).expect("make the desk's folder");
        let data = newsroom(&root);
        ok(&data, &["ingest", "--quiet", corpus.to_str().unwrap()]);
        Some(data)
    })
    .as_deref()
}

/// The browser and the served desk a walk test needs, or `None` (after the
/// message saying why) when one is missing.
fn walk(test: &str) -> Option<(Arc<Browser>, Served, Page)> {
    let data = desk()?;
    let b = browser::browser()?;
    let served = serve(data, &[]);
    let page = b.page(test);
    Some((b, served, page))
}

/// `GET path` of the JSON API, parsed.
fn api(served: &Served, path: &str) -> Value {
    let (status, body) = served.get(path);
    assert_eq!(status, 200, "GET {path}: {body}");
    serde_json::from_str(&body).unwrap_or_else(|e| panic!("GET {path} is JSON ({e}): {body}"))
}

/// The payloads of the feed parser's sanitizing tests: the HTML each test
/// feed carries in its one escaped (or CDATA, or inline XHTML) element,
/// each once. Base64-encoded cases are left out: each has an escaped twin.
fn sanitize_payloads(dir: &Path) -> Vec<(String, String)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("read the sanitize folder")
        .map(|e| e.expect("a folder entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "xml"))
        .collect();
    files.sort();
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).expect("read a sanitize case");
        let Some(payload) = payload_of(&text) else {
            continue;
        };
        if payload.trim().is_empty() || !seen.insert(payload.clone()) {
            continue;
        }
        let name = f.file_stem().unwrap().to_string_lossy().into_owned();
        out.push((name, payload));
    }
    out
}

/// The HTML one sanitize case carries (see [`sanitize_payloads`]).
fn payload_of(text: &str) -> Option<String> {
    // The header comment says what the case is about; the feed follows.
    let body = &text[text.find("-->").map(|i| i + 3).unwrap_or(0)..];
    if body.contains("mode=\"base64\"") {
        return None;
    }
    if let Some(start) = body.find("<![CDATA[") {
        let rest = &body[start + 9..];
        return Some(rest[..rest.find("]]>")?].to_string());
    }
    if let Some(at) = body.find("&lt;") {
        // The element the escaped markup is the text of.
        let open_end = body[..at].rfind('>')?;
        let open_start = body[..open_end].rfind('<')?;
        let name: String = body[open_start + 1..open_end]
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '>' && *c != '/')
            .collect();
        let content = &body[open_end + 1..];
        let end = content.find(&format!("</{name}>"))?;
        return Some(unescape(content[..end].trim()));
    }
    // Inline XHTML: the inner markup of the body or div that holds it.
    for tag in ["body", "div"] {
        let Some(start) = body.find(&format!("<{tag}")) else {
            continue;
        };
        let inner_start = start + body[start..].find('>')? + 1;
        let inner_end = body.rfind(&format!("</{tag}>"))?;
        if inner_end > inner_start {
            return Some(body[inner_start..inner_end].trim().to_string());
        }
    }
    None
}

/// XML text with its entities turned back into characters.
fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(semi) = rest.find(';').filter(|&j| j < 12) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..semi];
        let ch = match entity {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            e if e.starts_with("#x") || e.starts_with("#X") => u32::from_str_radix(&e[2..], 16)
                .ok()
                .and_then(char::from_u32),
            e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match ch {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Text as XML character data.
fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Words that make each payload's item a story of its own (the desk would
/// fold items of the same text into one story, as copies).
const WORDS: &[&str] = &[
    "harbor", "glacier", "violin", "orchard", "compass", "lantern", "meadow", "quarry", "saffron",
    "tundra", "bramble", "cobalt", "falcon", "juniper", "marble", "nectar", "pylon", "quartz",
    "riddle", "summit", "thistle", "umber", "velvet", "walnut", "yarrow", "zephyr", "anvil",
    "beacon", "cinder", "dune", "ember", "fjord", "granite", "heron", "ivory", "jasper", "kelp",
    "lagoon", "mosaic", "nomad",
];

/// `n` words for case `i`, the same on every run.
fn case_words(i: usize, n: usize) -> String {
    let mut x = (i as u64).wrapping_mul(2_654_435_761).wrapping_add(12_345);
    (0..n)
        .map(|_| {
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            WORDS[((x >> 33) % WORDS.len() as u64) as usize]
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// An RSS 2.0 feed with one item per payload: the title is the case's
/// marker, words of its own and the payload as text; the description the
/// payload as HTML between sentences of its own.
fn payload_feed(payloads: &[(String, String)]) -> String {
    let now = chrono::Utc::now();
    let mut items = String::new();
    for (i, (name, payload)) in payloads.iter().enumerate() {
        let when = (now - chrono::Duration::minutes(i as i64 + 1)).to_rfc2822();
        let title = format!("Sanitizer case {i} {} {payload}", case_words(i, 4));
        let description = format!(
            "<p>Payload of {name}, for artificial intelligence readers: {}.</p> {payload} \
             <p>{}, end of sanitizer case {i}.</p>",
            case_words(i + 100_000, 12),
            case_words(i + 200_000, 12)
        );
        items.push_str(&format!(
            "<item><title>{}</title><link>https://payloads.example/cases/{i}</link>\
             <guid>https://payloads.example/cases/{i}</guid><pubDate>{when}</pubDate>\
             <description>{}</description></item>\n",
            xml_escape(&title),
            xml_escape(&description)
        ));
    }
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel>\
         <title>Payload Gazette</title><link>https://payloads.example/</link>\
         <description>Feed items carrying HTML-sanitizing test payloads</description>\n\
         {items}</channel></rss>\n"
    )
}

/// The topic with the most published articles: its slug and name.
fn busiest_topic(served: &Served) -> (String, String) {
    let topics = api(served, "/api/v1/topics");
    let t = topics["topics"]
        .as_array()
        .expect("a topics list")
        .iter()
        .max_by_key(|t| t["published"].as_u64().unwrap_or(0))
        .expect("the desk has topics")
        .clone();
    (
        t["slug"].as_str().unwrap().to_string(),
        t["name"].as_str().unwrap().to_string(),
    )
}

/// A topic name as a query parameter.
fn query_value(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Whitespace collapsed, for comparing text a page shows with stored text.
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The console errors of the page (a missing icon would be one: pages link
/// the desk's own).
fn page_errors(page: &Page) -> Vec<browser::Message> {
    page.console_errors()
}

/// What every page must not have done: a dialog, a console error.
fn assert_quiet(page: &Page, what: &str) {
    let dialogs = page.dialogs();
    assert!(dialogs.is_empty(), "{what}: dialogs opened: {dialogs:?}");
    let errors = page_errors(page);
    assert!(
        errors.is_empty(),
        "{what}: console errors:\n{}",
        errors
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
}

#[test]
fn topic_page_leads_with_the_hottest_story_and_counts_its_sources() {
    let Some((_b, served, page)) = walk("topic_page") else {
        return;
    };
    let base = format!("http://{}", served.addr);
    let (slug, name) = busiest_topic(&served);
    page.open(&format!("{base}/topics/{slug}"));
    page.screenshot("topic");
    assert_eq!(page.text("main h1"), name);

    // The hottest published article of the topic, by the API, names the
    // story the first card is about.
    let hottest = api(
        &served,
        &format!(
            "/api/v1/articles?topic={}&published=true&sort=heat&limit=1",
            query_value(&name)
        ),
    );
    let top = &hottest["articles"][0];
    let story = top["story"]
        .as_i64()
        .expect("the hottest article has a story");
    assert_eq!(
        page.attr(".card a.headline", "href").as_deref(),
        Some(format!("/stories/{story}").as_str())
    );
    // Its headline is the story's best published article of the topic: an
    // original of the highest quality.
    let s = api(&served, &format!("/api/v1/stories/{story}"));
    let candidates: Vec<&Value> = s["articles"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| {
            a["published"] == true
                && a["topics"]
                    .as_array()
                    .unwrap()
                    .contains(&Value::from(name.as_str()))
        })
        .collect();
    let originals: Vec<&&Value> = candidates
        .iter()
        .filter(|a| a["duplicateOf"].is_null())
        .collect();
    let pool: Vec<&Value> = if originals.is_empty() {
        candidates.clone()
    } else {
        originals.into_iter().copied().collect()
    };
    let best = pool.iter().filter_map(|a| a["quality"].as_i64()).max();
    let titles: Vec<String> = pool
        .iter()
        .filter(|a| a["quality"].as_i64() == best)
        .map(|a| squash(a["title"].as_str().unwrap()))
        .collect();
    let headline = squash(&page.text(".card a.headline"));
    assert!(
        titles.contains(&headline),
        "first card {headline:?}, expected one of {titles:?}"
    );
    // "N sources": the story's distinct providers.
    let providers = s["providers"].as_array().unwrap().len();
    if providers > 1 {
        let summary = page.text(".card details.more summary");
        assert!(
            summary.starts_with(&format!("{providers} sources")),
            "{summary:?}, the API counts {providers} providers"
        );
    }
    // Every card with coverage counts it the same way as the API.
    let cards = page.eval(
        "[...document.querySelectorAll('.card')].map(c => ({ \
           href: c.querySelector('a.headline')?.getAttribute('href'), \
           sources: c.querySelector('details.more summary')?.innerText }))",
    );
    let mut checked = 0;
    for c in cards.as_array().unwrap() {
        let (Some(href), Some(summary)) = (c["href"].as_str(), c["sources"].as_str()) else {
            continue;
        };
        let Some(id) = href.strip_prefix("/stories/") else {
            continue;
        };
        let s = api(&served, &format!("/api/v1/stories/{id}"));
        let n = s["providers"].as_array().unwrap().len();
        assert!(
            summary.starts_with(&format!("{n} sources")),
            "story {id}: {summary:?}, the API counts {n} providers"
        );
        checked += 1;
    }
    assert!(checked > 0, "no card on the topic page shows its sources");
    // The page announces its feeds.
    assert_eq!(page.count("link[rel=alternate]"), 3);
    assert_quiet(&page, "topic page");
}

#[test]
fn a_story_page_shows_its_coverage_with_copies_under_their_originals() {
    let Some((_b, served, page)) = walk("story_page") else {
        return;
    };
    let base = format!("http://{}", served.addr);
    let (slug, _) = busiest_topic(&served);
    // From the topic page, a click on the first card opens its story.
    page.open(&format!("{base}/topics/{slug}"));
    let headline = page.text(".card a.headline");
    page.click(".card a.headline").wait_loaded();
    assert!(page.url().contains("/stories/"), "{}", page.url());
    page.screenshot("story_from_topic");
    assert_eq!(squash(&page.text("#story-title")), squash(&headline));
    let id = page.url().rsplit('/').next().unwrap().to_string();
    let s = api(&served, &format!("/api/v1/stories/{id}"));
    let articles = s["articles"].as_array().unwrap();
    let providers = s["providers"].as_array().unwrap().len();
    assert!(
        page.text("main .meta").contains(&format!(
            "{} articles from {providers} sources",
            articles.len()
        )),
        "{}",
        page.text("main .meta")
    );
    assert_eq!(page.count(".timeline li"), articles.len());
    assert_quiet(&page, "story page");

    // A story with copies: each copy is listed inside its original's entry.
    let all = jsonl(desk().unwrap());
    let copy = all
        .iter()
        .find(|a| {
            let (Some(o), Some(st)) = (a["duplicateOf"].as_i64(), a["story"].as_i64()) else {
                return false;
            };
            all.iter().any(|b| {
                b["id"].as_i64() == Some(o)
                    && b["story"].as_i64() == Some(st)
                    && b["duplicateOf"].is_null()
            })
        })
        .expect("the desk holds a copy in its original's story");
    let (copy_id, original, story) = (
        copy["id"].as_i64().unwrap(),
        copy["duplicateOf"].as_i64().unwrap(),
        copy["story"].as_i64().unwrap(),
    );
    page.open(&format!("{base}/stories/{story}"));
    page.screenshot("story_with_copies");
    let placed = page.eval(&format!(
        "(() => {{ const c = document.getElementById('article-{copy_id}'); \
           const o = document.getElementById('article-{original}'); \
           return {{ copy: !!c, original: !!o, under: !!(c && o && o.contains(c) && c.closest('ol.copies')) }}; }})()"
    ));
    assert_eq!(
        placed,
        serde_json::json!({ "copy": true, "original": true, "under": true }),
        "copy {copy_id} of {original} in story {story}"
    );
    // Opening the folded copies shows the copy's headline.
    page.click(&format!("#article-{original} > details > summary"));
    let shown = page.eval(&format!(
        "document.querySelector('#article-{copy_id} a.headline').getClientRects().length > 0"
    ));
    assert_eq!(shown, true, "the copy's headline is visible once unfolded");
    page.screenshot("story_copies_unfolded");
    assert_quiet(&page, "story page with copies");
}

#[test]
fn keys_move_through_the_cards_focus_search_and_open_the_help() {
    let Some((_b, served, page)) = walk("keyboard") else {
        return;
    };
    let base = format!("http://{}", served.addr);
    let (slug, _) = busiest_topic(&served);
    page.open(&format!("{base}/topics/{slug}"));
    let headlines = page.texts(".card a.headline");
    assert!(headlines.len() >= 2, "{headlines:?}");
    page.press("j").press("j");
    let f = page.focused();
    assert_eq!(f["tag"], "a", "{f}");
    assert_eq!(
        f["text"].as_str().map(squash),
        Some(squash(&headlines[1])),
        "{f}"
    );
    assert_eq!(
        page.eval("[...document.querySelectorAll('.card')].findIndex(c => c.classList.contains('current'))"),
        1
    );
    page.screenshot("second_card_selected");
    page.press("k");
    assert_eq!(
        page.focused()["text"].as_str().map(squash),
        Some(squash(&headlines[0]))
    );
    page.press("/");
    assert_eq!(page.focused()["id"], "q");
    // Typing in the search box is typing, not shortcuts.
    page.type_into("#q", "jk");
    assert_eq!(page.eval("document.getElementById('q').value"), "jk");
    assert_eq!(page.focused()["id"], "q");
    page.eval("document.activeElement.blur()");
    assert_eq!(page.eval("document.getElementById('help').open"), false);
    page.press("?");
    assert_eq!(page.eval("document.getElementById('help').open"), true);
    assert!(page.text("#help").contains("Next / previous story"));
    page.screenshot("help");
    page.press("Escape");
    assert_eq!(page.eval("document.getElementById('help').open"), false);
    assert_quiet(&page, "keyboard walk");
}

/// Relative luminance (0 black .. 1 white) of an sRGB colour.
fn luminance(c: [u8; 3]) -> f64 {
    let lin = |v: u8| {
        let v = v as f64 / 255.0;
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(c[0]) + 0.7152 * lin(c[1]) + 0.0722 * lin(c[2])
}

#[test]
fn the_dark_scheme_darkens_every_page_and_the_toggle_overrides_it() {
    let Some((_b, served, page)) = walk("dark_theme") else {
        return;
    };
    let base = format!("http://{}", served.addr);
    let (slug, _) = busiest_topic(&served);
    let story = page_story(&served, &slug);
    for (name, path) in [
        ("home", "/".to_string()),
        ("topic", format!("/topics/{slug}")),
        ("story", format!("/stories/{story}")),
    ] {
        page.color_scheme("light");
        page.open(&format!("{base}{path}"));
        let light = page.background();
        assert!(
            luminance(light) > 0.5,
            "{name} in light: background {light:?}"
        );
        page.color_scheme("dark");
        let dark = page.background();
        assert!(luminance(dark) < 0.1, "{name} in dark: background {dark:?}");
        let text = page.eval("getComputedStyle(document.body).color");
        page.screenshot(&format!("{name}_dark"));
        assert!(text.as_str().is_some(), "{text}");
        assert_quiet(&page, name);
    }
    // The toggle picks the other theme than the system's, and keeps it.
    page.color_scheme("dark");
    page.open(&format!("{base}/"));
    page.click("#theme-toggle");
    assert!(
        luminance(page.background()) > 0.5,
        "the toggle turns the dark page light"
    );
    page.open(&format!("{base}/topics/{slug}"));
    assert!(
        luminance(page.background()) > 0.5,
        "the choice holds on the next page"
    );
    page.click("#theme-toggle");
    assert!(luminance(page.background()) < 0.1);
    page.eval("localStorage.removeItem('newsdesk-theme')");
    assert_quiet(&page, "theme toggle");
}

/// The story of the first card of a topic page (by the API's order).
fn page_story(served: &Served, slug: &str) -> i64 {
    let topics = api(served, "/api/v1/topics");
    let name = topics["topics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["slug"] == slug)
        .and_then(|t| t["name"].as_str())
        .unwrap()
        .to_string();
    let hottest = api(
        served,
        &format!(
            "/api/v1/articles?topic={}&published=true&sort=heat&limit=1",
            query_value(&name)
        ),
    );
    hottest["articles"][0]["story"].as_i64().unwrap()
}

#[test]
fn pages_fit_a_phone_without_sideways_scrolling() {
    let Some((_b, served, page)) = walk("phone") else {
        return;
    };
    let base = format!("http://{}", served.addr);
    let (slug, _) = busiest_topic(&served);
    let story = page_story(&served, &slug);
    page.phone();
    for (name, path) in [
        ("home", "/".to_string()),
        ("topic", format!("/topics/{slug}")),
        ("story", format!("/stories/{story}")),
    ] {
        page.open(&format!("{base}{path}"));
        assert_eq!(page.eval("innerWidth"), 390);
        let shot = page.screenshot(&format!("{name}_phone"));
        let over = page.horizontal_overflow();
        assert_eq!(
            over,
            0,
            "{name} ({path}) is {over} px wider than a phone; see {}",
            shot.display()
        );
        assert_quiet(&page, name);
    }
}

/// Markup on the page that only an injected payload could have put there:
/// inline script, event-handler attributes, script URLs, frames and
/// plugins, a `<base>`, a refresh, styles, and images or media loaded from
/// another host. Each as a short description.
const INJECTED: &str = r#"(() => {
  const bad = [];
  const urlAttrs = ['href', 'src', 'action', 'formaction', 'data', 'xlink:href', 'background', 'dynsrc', 'lowsrc', 'poster', 'srcset'];
  for (const e of document.querySelectorAll('*')) {
    const tag = e.tagName.toLowerCase();
    const where = () => tag + (e.id ? '#' + e.id : '') + ' in ' + (e.closest('[id]')?.id || tag);
    for (const a of e.attributes) {
      const n = a.name.toLowerCase();
      const v = a.value.replace(/[\s\u0000-\u001f]/g, '').toLowerCase();
      if (n.startsWith('on')) bad.push(where() + ' has ' + n);
      if (urlAttrs.includes(n) && /^(javascript|vbscript|livescript|data:text\/html)/.test(v)) bad.push(where() + ' ' + n + '=' + a.value);
      if (n === 'style') bad.push(where() + ' has an inline style');
    }
    if (tag === 'script' && !e.src) bad.push('inline script: ' + e.textContent.slice(0, 80));
    if (['iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'base', 'style', 'xml', 'bgsound', 'portal'].includes(tag)) bad.push('element ' + tag);
    if (tag === 'meta' && e.closest('body')) bad.push('meta in the body');
    if (tag === 'link' && e.closest('body')) bad.push('link in the body');
    if (['img', 'video', 'audio', 'source', 'input', 'image'].includes(tag)) {
      const src = e.getAttribute('src') || e.getAttribute('href') || '';
      if (src && new URL(src, location.href).origin !== location.origin) bad.push(tag + ' from ' + src);
    }
  }
  return bad;
})()"#;

#[test]
fn feed_payloads_show_as_text_and_run_nothing() {
    let Some(dir) = newsdesk_testkit::shared("data/feeds/feedparser-tests/wellformed/sanitize")
    else {
        return;
    };
    let Some(b) = browser::browser() else { return };
    let payloads = sanitize_payloads(&dir);
    assert!(payloads.len() > 300, "{} payloads", payloads.len());
    let tmp = tempfile::tempdir().unwrap();
    let feed = tmp.path().join("payloads.xml");
    std::fs::write(&feed, payload_feed(&payloads)).unwrap();
    let data = tmp.path().join("data");
    ok(&data, &["ingest", "--quiet", feed.to_str().unwrap()]);
    // Published, so that they stand on the topic pages too.
    ok(&data, &["rules", "add", "payloads", "Sanitizer", "--keep"]);
    let all = jsonl(&data);
    assert_eq!(all.len(), payloads.len());
    let served = serve(&data, &[]);
    let base = format!("http://{}", served.addr);
    let page = b.page("xss");

    // Every page the items stand on: the front page, each topic's pages
    // (published and everything, to the last page) and every story.
    let mut urls = vec![format!("{base}/")];
    let topics = api(&served, "/api/v1/topics");
    for t in topics["topics"].as_array().unwrap() {
        let slug = t["slug"].as_str().unwrap();
        urls.push(format!("{base}/topics/{slug}"));
        urls.push(format!("{base}/topics/{slug}?show=all"));
    }
    // The stories whose titles kept markup as text: their pages show it in
    // the headline, the coverage and the timeline. (Every payload's excerpt
    // and title also stand on the topic pages' "everything" view.)
    let stories: std::collections::BTreeSet<i64> = all
        .iter()
        .filter(|a| a["title"].as_str().is_some_and(|t| t.contains('<')))
        .filter_map(|a| a["story"].as_i64())
        .collect();
    urls.extend(stories.iter().map(|s| format!("{base}/stories/{s}")));
    // The search results, where titles and snippets carry highlights.
    urls.push(format!("{base}/search?q=sanitizer&published=any"));
    // The article pages of the items whose title kept a script, a handler
    // or a script URL.
    urls.extend(
        all.iter()
            .filter(|a| {
                a["title"].as_str().is_some_and(|t| {
                    let t = t.to_lowercase();
                    t.contains('<') && (t.contains("script") || t.contains(" on"))
                })
            })
            .map(|a| format!("{base}/articles/{}", a["id"])),
    );

    let mut shown = std::collections::BTreeSet::new();
    let mut visited = 0;
    let (mut dialogs_before, mut console_before) = (0, 0);
    let mut queue: std::collections::VecDeque<String> = urls.into();
    while let Some(url) = queue.pop_front() {
        page.open(&url);
        visited += 1;
        let name = url
            .trim_start_matches(&base)
            .trim_matches('/')
            .replace(['/', '?', '='], "_");
        page.screenshot(if name.is_empty() { "home" } else { &name });
        // One round trip for what the page holds.
        let found = page.eval(&format!(
            "({{ url: location.href, injected: {INJECTED}, \
               texts: [...document.querySelectorAll('a.headline, .timeline a, .more a, #story-title, .excerpt')].map(e => e.innerText), \
               next: document.querySelector('a[rel=next]')?.getAttribute('href') }})"
        ));
        assert_eq!(
            found["url"],
            url.as_str(),
            "the page went elsewhere: a payload ran"
        );
        assert_eq!(
            found["injected"],
            Value::Array(vec![]),
            "{url}: markup from a payload is live in the page"
        );
        let (dialogs, console) = page.seen();
        let new_dialogs = &dialogs[dialogs_before..];
        assert!(
            new_dialogs.is_empty(),
            "{url}: a payload opened a dialog: {new_dialogs:?}"
        );
        let errors: Vec<String> = console[console_before..]
            .iter()
            .filter(|m| m.is_error())
            .map(ToString::to_string)
            .collect();
        assert!(
            errors.is_empty(),
            "{url}: console errors:\n{}",
            errors.join("\n")
        );
        (dialogs_before, console_before) = (dialogs.len(), console.len());
        for t in found["texts"].as_array().unwrap() {
            shown.insert(squash(t.as_str().unwrap_or_default()));
        }
        if let Some(next) = found["next"].as_str() {
            queue.push_back(format!("{base}{next}"));
        }
    }
    // The payloads stand on the pages as text: every title that kept
    // markup is shown, character for character.
    let mut with_markup = 0;
    for a in &all {
        let title = a["title"].as_str().unwrap();
        if !title.contains('<') {
            continue;
        }
        with_markup += 1;
        assert!(
            shown.contains(&squash(title)),
            "article {} titled {title:?} is not shown as text on any page",
            a["id"]
        );
    }
    assert!(with_markup > 0, "no stored title kept its markup as text");
    println!("{visited} pages visited, {with_markup} titles with markup shown as text");
}

#[test]
fn a_reader_walks_from_a_story_to_an_article_a_search_and_the_sources() {
    let Some((_b, served, page)) = walk("walk") else {
        return;
    };
    let base = format!("http://{}", served.addr);
    let (slug, _) = busiest_topic(&served);
    let story = page_story(&served, &slug);

    // Story → article: the first entry's headline opens its article page.
    page.open(&format!("{base}/stories/{story}"));
    page.screenshot("story");
    let href = page
        .attr(".coverage a.headline", "href")
        .expect("the story lists its articles");
    page.click(".coverage a.headline").wait_loaded();
    assert_eq!(page.url(), format!("{base}{href}"));
    page.screenshot("article");
    let id = href.rsplit('/').next().unwrap();
    let a = api(&served, &format!("/api/v1/articles/{id}"));
    let title = a["title"].as_str().expect("the article has a title");
    assert_eq!(squash(&page.text("#article-title")), squash(title));
    assert_quiet(&page, "article page");

    // Article → search: a word of its title, typed into the search box.
    let word = title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 5)
        .max_by_key(|w| w.chars().count())
        .expect("a long word in the title")
        .to_string();
    page.press("/");
    assert_eq!(page.focused()["id"], "q");
    page.type_into("#q", &word);
    page.press("Enter").wait_loaded();
    assert!(page.url().contains("/search?"), "{}", page.url());
    page.screenshot("search");
    let hits = page.texts(".card a.headline");
    assert!(!hits.is_empty(), "searching {word:?} finds nothing");
    // The query is highlighted: every mark holds the word.
    let marks = page.texts("mark");
    assert!(!marks.is_empty(), "no highlight for {word:?}");
    for m in &marks {
        assert!(
            m.to_lowercase().contains(&word.to_lowercase()[..4]),
            "a highlight {m:?} for the query {word:?}"
        );
    }
    // The article we came from is among the hits.
    assert!(
        page.count(&format!(".card a.headline[href='/articles/{id}']")) == 1
            || page.exists("a[rel=next]"),
        "article {id} is not on the first page of hits for {word:?}: {hits:?}"
    );
    assert_quiet(&page, "search page");

    // Search → sources, from the footer.
    page.click("footer a[href='/sources']").wait_loaded();
    assert_eq!(page.url(), format!("{base}/sources"));
    page.screenshot("sources");
    let sources = api(&served, "/api/v1/sources");
    let n = sources["sources"].as_array().map_or(0, Vec::len);
    assert!(
        page.text("main .toolbar")
            .starts_with(&format!("{n} followed")),
        "{:?}, the API lists {n} sources",
        page.text("main .toolbar")
    );
    assert_quiet(&page, "sources page");
}
