//! Feeds out, read by a client no one here wrote: Python's feedparser parses
//! the RSS and Atom we write (JSON Feed, which feedparser 6.0 does not read,
//! goes through Python's json module and the JSON Feed 1.1 rules in
//! `feedparser_dump.py`), and titles, links, dates, ids, summaries, topics,
//! authors and images must come back exactly. Golden files pin the bytes of
//! a small fixed feed in all three formats.
//!
//! Without python3 + feedparser the client test skips with a message, unless
//! `NEWSDESK_REQUIRE_PEERS=1` (CI), where it fails. `UPDATE_GOLDEN=1`
//! rewrites the golden files.

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{DateTime, SecondsFormat, TimeZone, Utc};
use newsdesk_model::{Article, Image, Origin, Provider};
use newsdesk_render::feeds::{
    atom, conditional, etag, json_feed, last_modified, render, rss, Conditional, FeedFormat,
    FeedItem, FeedMeta, ItemText, Site,
};
use newsdesk_store::{Given, StoredArticle};
use serde_json::Value;

const BASE: &str = "https://desk.example.org";

fn t(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap()
}

fn rfc3339(d: DateTime<Utc>) -> String {
    d.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn stored(id: i64, article: Article, first_seen: DateTime<Utc>) -> StoredArticle {
    StoredArticle {
        id,
        identity: article.identity_key().unwrap_or_default(),
        sealed_body: None,
        sealed_html: None,
        given: Given::of(&article),
        article,
        stub: false,
        first_seen,
        updated_at: first_seen + chrono::Duration::minutes(5),
        story: None,
        duplicate_of: None,
        related: Vec::new(),
        similar: Vec::new(),
        reason: None,
        editor_override: None,
        editorial: None,
        pinned: false,
    }
}

fn provider(name: &str, domain: &str) -> Option<Provider> {
    Some(Provider {
        name: name.into(),
        domain: domain.into(),
        images: Vec::new(),
    })
}

fn image(url: &str, w: u32, h: u32) -> Vec<Image> {
    vec![Image {
        url: url.into(),
        width: Some(w),
        height: Some(h),
        is_cached: Some(false),
        title: None,
    }]
}

/// A handful of articles with what breaks careless feed writers.
fn tricky() -> Vec<StoredArticle> {
    let seen = t(2021, 5, 4, 8, 0, 0);
    vec![
        stored(
            1,
            Article {
                title: "AT&T and T-Mobile: 5G <deal> worth $9.6B & more".into(),
                excerpt: Some(
                    "Carriers & vendors said \"yes\" to 'shared' <spectrum> at 5 < 6 > 4.".into(),
                ),
                published_at: Some(t(2021, 5, 3, 14, 30, 0)),
                web_url: Some("https://news.example.com/2021/05/att-tmobile?id=7&ref=a".into()),
                original_url: Some(
                    "https://news.example.com/2021/05/att-tmobile?id=7&ref=a&utm_source=x".into(),
                ),
                provider: provider("Example News & Co", "example.com"),
                topics: vec!["Cloud & Telecom".into(), "AI".into()],
                images: image("https://img.example.com/a.jpg?w=1200&h=630", 1200, 630),
                author: Some("Jane O'Neil & Bob".into()),
                ..Article::default()
            },
            seen,
        ),
        stored(
            2,
            Article {
                title: "<script>alert(\"pwned\")</script> Cloud outage report".into(),
                excerpt: Some("<script>document.write('x')</script> and <b>bold</b> claims".into()),
                published_at: Some(t(2021, 5, 4, 6, 30, 15)),
                web_url: Some("https://cloud.example.net/outage".into()),
                provider: provider("Cloud Weekly", "example.net"),
                topics: vec!["AWS AI".into()],
                content_html: Some(
                    "<p>Full text with a ]]> CDATA end and &amp; entity.</p>".into(),
                ),
                ..Article::default()
            },
            seen,
        ),
        stored(
            3,
            Article {
                title: "Ångström café — naïve résumé: 日本語のニュース “quoted” ‘single’".into(),
                excerpt: Some("Zürich, São Paulo, Kraków, Москва, 北京.".into()),
                published_at: Some(t(2020, 12, 31, 23, 59, 59)),
                web_url: Some("https://international.example.org/ångström?q=é".into()),
                provider: provider("Ünïcödé Times", "example.org"),
                topics: vec!["Microsoft AI".into(), "AI".into()],
                language: Some("de".into()),
                ..Article::default()
            },
            seen,
        ),
        stored(
            4,
            Article {
                title: "🚀 Launch day: 👩‍💻 engineers ship 🇪🇺 model".into(),
                excerpt: Some("Emoji 😀 in the excerpt 👍🏽.".into()),
                published_at: Some(t(2021, 5, 5, 0, 0, 0)),
                web_url: Some("https://emoji.example.com/launch".into()),
                topics: vec!["AI".into()],
                ..Article::default()
            },
            seen,
        ),
        stored(
            5,
            Article {
                title: "A title ending in ]]> and ]]]]><![CDATA[ tricks".into(),
                excerpt: Some("Excerpt with ]]> inside and a trailing ]]".into()),
                published_at: None,
                web_url: Some("https://news.example.com/cdata".into()),
                provider: provider("Example News & Co", "example.com"),
                ..Article::default()
            },
            seen,
        ),
        stored(
            6,
            Article {
                title: "No URL, no date: only a guid".into(),
                excerpt: None,
                published_at: None,
                origin: Origin {
                    source: "feeds/local.xml".into(),
                    format: "rss".into(),
                    guid: Some("local-1".into()),
                },
                ..Article::default()
            },
            t(2021, 5, 6, 9, 0, 0),
        ),
        stored(
            7,
            Article {
                title: "Only the original URL is known".into(),
                excerpt: Some("Plain excerpt.".into()),
                published_at: Some(t(2021, 5, 6, 10, 0, 0)),
                original_url: Some("http://plain.example.com/only-original".into()),
                body: Some("First paragraph.\n\nSecond <paragraph> & end.".into()),
                ..Article::default()
            },
            t(2021, 5, 6, 11, 0, 0),
        ),
    ]
}

fn meta(site: &Site, format: FeedFormat, items: &[FeedItem]) -> FeedMeta {
    site.topic_feed_meta(
        "AI",
        format,
        "Everything the desk published on AI & the cloud <weekly>.",
        last_modified(items).unwrap_or(t(2021, 1, 1, 0, 0, 0)),
        Some("en"),
    )
    .unwrap()
}

fn require_peers() -> bool {
    std::env::var("NEWSDESK_REQUIRE_PEERS").as_deref() == Ok("1")
}

fn feedparser_available() -> bool {
    Command::new("python3")
        .args(["-c", "import feedparser"])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

fn dump_script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/feedparser_dump.py")
}

/// What feedparser read from each file, in order.
fn feedparser_dump(files: &[PathBuf]) -> Vec<Value> {
    let out = Command::new("python3")
        .arg(dump_script())
        .args(files)
        .output()
        .expect("run python3");
    assert!(
        out.status.success(),
        "feedparser_dump.py failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).expect("UTF-8 from the dump script");
    let dumps: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    assert_eq!(dumps.len(), files.len(), "{text}");
    dumps
}

fn s(v: &Value) -> Option<&str> {
    v.as_str()
}

#[test]
fn feedparser_reads_back_what_we_wrote() {
    if !feedparser_available() {
        if require_peers() {
            panic!("python3 with feedparser is required (NEWSDESK_REQUIRE_PEERS=1): pip install -r bench/requirements.txt");
        }
        eprintln!("skipped: python3 cannot import feedparser (pip install feedparser==6.0.14 to run this test)");
        return;
    }
    let site = Site::new(BASE).unwrap();
    let dir = tempfile::tempdir().unwrap();
    for text in [ItemText::Excerpt, ItemText::Full] {
        let articles = tricky();
        let items: Vec<FeedItem> = articles.iter().map(|a| site.item(a, text)).collect();
        let mut files = Vec::new();
        for format in FeedFormat::ALL {
            let bytes = render(format, &meta(&site, format, &items), &items).unwrap();
            let path = dir
                .path()
                .join(format!("{text:?}-feed.{}", format.extension()));
            std::fs::write(&path, &bytes).unwrap();
            files.push(path);
        }
        let dumps = feedparser_dump(&files);
        for (format, dump) in FeedFormat::ALL.into_iter().zip(&dumps) {
            let what = format!("{text:?} {format:?}");
            check_feed(&site, format, text, &what, dump, &articles, &items);
        }
    }
}

fn check_feed(
    site: &Site,
    format: FeedFormat,
    text: ItemText,
    what: &str,
    dump: &Value,
    articles: &[StoredArticle],
    items: &[FeedItem],
) {
    assert_eq!(
        dump["bozo"], 0,
        "{what}: the client calls the feed malformed: {}",
        dump["bozo_exception"]
    );
    let version = match format {
        FeedFormat::Rss => "rss20",
        FeedFormat::Atom => "atom10",
        FeedFormat::Json => "json11",
    };
    assert_eq!(s(&dump["version"]), Some(version), "{what}");
    let m = meta(site, format, items);
    let feed = &dump["feed"];
    assert_eq!(s(&feed["title"]), Some("AI"), "{what}");
    assert_eq!(
        s(&feed["link"]),
        Some("https://desk.example.org/topics/ai"),
        "{what}"
    );
    assert_eq!(s(&feed["language"]), Some("en"), "{what}");
    if format != FeedFormat::Json {
        let self_link = feed["links"]
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["rel"] == "self")
            .unwrap_or_else(|| panic!("{what}: no self link in {feed}"));
        assert_eq!(s(&self_link["href"]), Some(m.feed_url.as_str()), "{what}");
        assert_eq!(
            s(&feed["updated"]),
            Some(rfc3339(m.updated).as_str()),
            "{what}"
        );
    } else {
        assert_eq!(s(&feed["id"]), Some(m.feed_url.as_str()), "{what}");
    }
    if format == FeedFormat::Atom {
        assert_eq!(s(&feed["id"]), Some(m.feed_url.as_str()), "{what}");
    }

    let entries = dump["entries"].as_array().unwrap();
    assert_eq!(entries.len(), items.len(), "{what}");
    for ((e, item), a) in entries.iter().zip(items).zip(articles) {
        let what = format!("{what}, article {}", a.id);
        // Ids are stable: the canonical URL, else the URL found, else a tag: URI.
        let want_id = match (&a.article.web_url, &a.article.original_url) {
            (Some(u), _) | (None, Some(u)) => u.clone(),
            (None, None) => format!(
                "tag:desk.example.org,{}:article:{}",
                a.first_seen.format("%Y-%m-%d"),
                a.id
            ),
        };
        assert_eq!(item.id, want_id, "{what}");
        assert_eq!(s(&e["id"]), Some(want_id.as_str()), "{what}: id");
        assert_eq!(
            s(&e["title"]),
            Some(a.article.title.as_str()),
            "{what}: title"
        );
        if format == FeedFormat::Rss {
            // RSS titles have no type; feedparser must not have guessed HTML.
            assert_eq!(s(&e["title_type"]), Some("text/plain"), "{what}");
        }
        let url = a
            .article
            .web_url
            .as_deref()
            .or(a.article.original_url.as_deref());
        match (format, url) {
            // feedparser takes an Atom id for the link when an entry has
            // none (its guid rule applied to Atom); the id is still right.
            (FeedFormat::Atom, None) => assert_eq!(s(&e["link"]), Some(want_id.as_str())),
            _ => assert_eq!(s(&e["link"]), url, "{what}: link"),
        }
        if format == FeedFormat::Rss && url.is_none() {
            // isPermaLink="false": a tag: id is not taken for a link.
            assert_eq!(e["guidislink"], false, "{what}");
        }
        let published = a.article.published_at.map(rfc3339);
        assert_eq!(
            s(&e["published"]),
            published.as_deref(),
            "{what}: published"
        );
        if format != FeedFormat::Rss {
            assert_eq!(
                s(&e["updated"]),
                Some(rfc3339(a.updated_at).as_str()),
                "{what}: updated"
            );
        }
        // Summaries are text: in RSS an HTML-escaped description, which the
        // client hands back as HTML (entities kept), elsewhere plain text.
        let summary = e["summary"].as_str();
        match (format, &a.article.excerpt) {
            (FeedFormat::Rss, Some(x)) => {
                assert_eq!(
                    summary.map(html_unescape),
                    Some(x.clone()),
                    "{what}: summary"
                )
            }
            (_, Some(x)) => assert_eq!(summary, Some(x.as_str()), "{what}: summary"),
            (FeedFormat::Json, None) => assert_eq!(summary, None, "{what}: summary"),
            // feedparser fills an Atom summary from content when there is none.
            (FeedFormat::Atom, None) if a.article.web_url.is_none() => {}
            (_, None) => assert_eq!(summary, None, "{what}: summary"),
        }
        if format == FeedFormat::Atom && a.article.excerpt.is_some() {
            assert_eq!(s(&e["summary_type"]), Some("text/plain"), "{what}");
        }
        let tags: Vec<&str> = e["tags"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|t| t.as_str())
            .collect();
        assert_eq!(tags, a.article.topics, "{what}: tags");
        let author = a.article.author.as_deref().or(a
            .article
            .provider
            .as_ref()
            .map(|p| p.name.as_str()));
        // (An Atom entry without one falls under the feed's author.)
        assert_eq!(s(&e["author"]), author, "{what}: author");
        let media = e["media"].as_array().unwrap();
        match a.article.images.first() {
            Some(img) => {
                assert_eq!(media.len(), 1, "{what}");
                assert_eq!(s(&media[0]["url"]), Some(img.url.as_str()), "{what}: image");
                if format != FeedFormat::Json {
                    assert_eq!(s(&media[0]["medium"]), Some("image"), "{what}");
                    assert_eq!(
                        s(&media[0]["width"]),
                        Some(img.width.unwrap().to_string().as_str()),
                        "{what}"
                    );
                }
            }
            None => assert!(media.is_empty(), "{what}: {media:?}"),
        }
        check_content(format, text, &what, e, a);
    }
}

/// The full text goes out only when asked for, and comes back intact.
fn check_content(format: FeedFormat, text: ItemText, what: &str, e: &Value, a: &StoredArticle) {
    let contents = e["content"].as_array().unwrap();
    let full = match text {
        ItemText::Excerpt => None,
        ItemText::Full => a
            .article
            .content_html
            .as_deref()
            .map(|h| ("text/html", h.to_string()))
            .or(a
                .article
                .body
                .as_deref()
                .map(|b| ("text/plain", b.to_string()))),
    };
    let Some((kind, value)) = full else {
        match format {
            FeedFormat::Rss => assert!(contents.is_empty(), "{what}: {contents:?}"),
            // JSON Feed requires content: the summary, else the title.
            FeedFormat::Json => {
                let want = a.article.excerpt.as_deref().unwrap_or(&a.article.title);
                assert_eq!(contents.len(), 1, "{what}");
                assert_eq!(s(&contents[0]["value"]), Some(want), "{what}");
            }
            // Atom wants content where there is no alternate link.
            FeedFormat::Atom => {
                let has_link = a.article.web_url.is_some() || a.article.original_url.is_some();
                assert_eq!(contents.len(), usize::from(!has_link), "{what}");
            }
        }
        return;
    };
    assert_eq!(contents.len(), 1, "{what}: {contents:?}");
    let got = s(&contents[0]["value"]).unwrap();
    match (format, kind) {
        // RSS content:encoded is HTML: the plain body went in as paragraphs.
        (FeedFormat::Rss, "text/plain") => {
            let paragraphs: Vec<String> = value
                .split("\n\n")
                .map(|p| format!("<p>{}</p>", html_escape(p)))
                .collect();
            assert_eq!(got, paragraphs.concat(), "{what}: content")
        }
        _ => assert_eq!(got, value, "{what}: content"),
    }
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The entities our HTML escaping and feedparser's sanitizer use.
fn html_unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

/// The fixed small feed of the golden files.
fn golden_feed(format: FeedFormat) -> (FeedMeta, Vec<FeedItem>) {
    let site = Site::new(BASE).unwrap();
    let articles = tricky();
    let items: Vec<FeedItem> = [&articles[0], &articles[1], &articles[5]]
        .into_iter()
        .map(|a| site.item(a, ItemText::Full))
        .collect();
    let meta = site
        .topic_feed_meta(
            "AWS AI",
            format,
            "AWS AI coverage & more",
            t(2021, 5, 6, 12, 0, 0),
            Some("en"),
        )
        .unwrap();
    (meta, items)
}

#[test]
fn golden_files() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let update = std::env::var("UPDATE_GOLDEN").as_deref() == Ok("1");
    let mut stale = Vec::new();
    for format in FeedFormat::ALL {
        let (meta, items) = golden_feed(format);
        let bytes = render(format, &meta, &items).unwrap();
        let path = dir.join(format!("feed.{}", format.extension()));
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &bytes).unwrap();
            continue;
        }
        let want = std::fs::read(&path).unwrap_or_else(|e| {
            panic!(
                "{}: {e} (UPDATE_GOLDEN=1 writes the golden files)",
                path.display()
            )
        });
        if want != bytes {
            stale.push(format!(
                "{} differs; got:\n{}",
                path.display(),
                String::from_utf8_lossy(&bytes)
            ));
        }
    }
    assert!(
        stale.is_empty(),
        "{}\n(UPDATE_GOLDEN=1 rewrites them after a deliberate change)",
        stale.join("\n")
    );
}

#[test]
fn the_same_input_gives_the_same_bytes_and_etag() {
    for format in FeedFormat::ALL {
        let (meta, items) = golden_feed(format);
        let a = render(format, &meta, &items).unwrap();
        let b = render(format, &meta, &items).unwrap();
        assert_eq!(a, b);
        let tag = etag(&a);
        assert_eq!(conditional(Some(&tag), &etag(&b)), Conditional::NotModified);
        assert_eq!(conditional(None, &tag), Conditional::Send);

        // A changed item changes the tag, so a client holding the old one
        // gets the new feed.
        let mut changed = items.clone();
        changed[0].title.push('!');
        let c = render(format, &meta, &changed).unwrap();
        assert_ne!(etag(&c), tag);
        assert_eq!(conditional(Some(&tag), &etag(&c)), Conditional::Send);
    }
    let (meta, items) = golden_feed(FeedFormat::Rss);
    assert_eq!(
        rss(&meta, &items).unwrap(),
        render(FeedFormat::Rss, &meta, &items).unwrap()
    );
    let (meta, items) = golden_feed(FeedFormat::Atom);
    assert_eq!(
        atom(&meta, &items).unwrap(),
        render(FeedFormat::Atom, &meta, &items).unwrap()
    );
    let (meta, items) = golden_feed(FeedFormat::Json);
    assert_eq!(
        json_feed(&meta, &items).unwrap(),
        render(FeedFormat::Json, &meta, &items).unwrap()
    );
}

#[test]
fn items_carry_the_full_text_only_when_asked() {
    let site = Site::new(BASE).unwrap();
    let articles = tricky();
    for a in &articles {
        let item = site.item(a, ItemText::Excerpt);
        assert_eq!(item.content_html, None);
        assert_eq!(item.content_text, None);
        for format in FeedFormat::ALL {
            let bytes = render(
                format,
                &meta(&site, format, &[]),
                std::slice::from_ref(&item),
            )
            .unwrap();
            let text = String::from_utf8(bytes).unwrap();
            assert!(!text.contains("Full text with"), "{format:?}: {text}");
            assert!(!text.contains("Second"), "{format:?}: {text}");
        }
    }
    let full = site.item(&articles[1], ItemText::Full);
    assert!(full.content_html.unwrap().contains("Full text with"));
    let full = site.item(&articles[6], ItemText::Full);
    assert!(full.content_text.unwrap().starts_with("First paragraph."));
}

#[test]
fn an_empty_feed_is_still_a_feed() {
    let site = Site::new(BASE).unwrap();
    for format in FeedFormat::ALL {
        let m = meta(&site, format, &[]);
        assert_eq!(m.updated, t(2021, 1, 1, 0, 0, 0));
        let bytes = render(format, &m, &[]).unwrap();
        assert!(!bytes.is_empty());
    }
    let json: Value = serde_json::from_slice(
        &render(FeedFormat::Json, &meta(&site, FeedFormat::Json, &[]), &[]).unwrap(),
    )
    .unwrap();
    assert_eq!(json["version"], "https://jsonfeed.org/version/1.1");
    assert_eq!(json["items"], Value::Array(Vec::new()));
}

#[test]
fn xml_control_characters_are_dropped_not_written() {
    let site = Site::new(BASE).unwrap();
    let mut a = tricky().remove(0);
    a.article.title = "Bell\u{7} and\u{0} escape\u{1b} \u{FFFE}end".into();
    let item = site.item(&a, ItemText::Excerpt);
    for format in [FeedFormat::Rss, FeedFormat::Atom] {
        let bytes = render(
            format,
            &meta(&site, format, &[]),
            std::slice::from_ref(&item),
        )
        .unwrap();
        let text = String::from_utf8(bytes).unwrap();
        assert!(text.contains("Bell and escape end"), "{text}");
        assert!(!text.contains(['\u{7}', '\u{0}', '\u{1b}', '\u{FFFE}']));
    }
}
