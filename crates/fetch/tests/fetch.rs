//! The fetcher against a real local web: an axum server on 127.0.0.1:0,
//! started by each test, serving feeds, pages, redirects, slow and broken
//! responses, bombs, images and robots.txt, and counting what it was asked.

use std::collections::HashMap;
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::Duration;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Router;

use newsdesk_fetch::schedule::{feed_hints, PollPolicy, PollResult, Polling, SourceHealth};
use newsdesk_fetch::{
    AddressPolicy, CharsetSource, ErrorKind, FetchConfig, FetchError, FetchOutcome, Fetcher,
    ImageCache, Refusal, Request, TimeoutPhase,
};

// ---------------------------------------------------------------- fixture

#[derive(Default)]
struct Fixture {
    hits: Mutex<HashMap<String, usize>>,
    /// Request headers by path, last request wins.
    seen: Mutex<HashMap<String, HeaderMap>>,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
    /// robots.txt: 0 normal, 1 → 404, 2 → 503, 3 → a group for us with a
    /// Crawl-delay.
    robots_mode: AtomicUsize,
}

impl Fixture {
    fn hits(&self, path: &str) -> usize {
        self.hits.lock().unwrap().get(path).copied().unwrap_or(0)
    }
    fn header(&self, path: &str, name: &str) -> Option<String> {
        let seen = self.seen.lock().unwrap();
        seen.get(path)?.get(name)?.to_str().ok().map(str::to_string)
    }
}

const FEED: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Fixture</title><ttl>60</ttl>
<item><title>One</title><link>http://example.com/1</link></item>
</channel></rss>"#;
const FEED_ETAG: &str = "\"feed-v1\"";
const FEED_LM: &str = "Wed, 21 Oct 2015 07:28:00 GMT";
const ROBOTS: &str = "User-agent: *\nDisallow: /private/\n\nUser-agent: otherbot\nDisallow: /\n";

fn resp(status: u16) -> axum::http::response::Builder {
    Response::builder().status(StatusCode::from_u16(status).unwrap())
}

fn gzip(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// A gzip bomb: 64 members of 1 MiB of zeros each (64 MiB decoded from
/// about 64 KiB), cheap to build in a debug test.
fn bomb() -> &'static [u8] {
    static BOMB: OnceLock<Vec<u8>> = OnceLock::new();
    BOMB.get_or_init(|| gzip(&vec![0u8; 1 << 20]).repeat(64))
}

/// A valid brotli stream holding `data` in one uncompressed meta-block
/// (hand-built: we have no brotli encoder, and this exercises the decoder).
fn brotli_stored(data: &[u8]) -> Vec<u8> {
    assert!(!data.is_empty() && data.len() <= 65536);
    // WBITS=16 (bit 0 = 0), ISLAST=0, MNIBBLES=4 (00), MLEN-1 in 16 bits,
    // ISUNCOMPRESSED=1, then padding to the byte.
    let v: u32 = (((data.len() - 1) as u32) << 4) | (1 << 20);
    let mut out = vec![v as u8, (v >> 8) as u8, (v >> 16) as u8];
    out.extend_from_slice(data);
    // Last, empty meta-block.
    out.push(0b11);
    out
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let mut b = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13];
    b.extend_from_slice(b"IHDR");
    b.extend_from_slice(&width.to_be_bytes());
    b.extend_from_slice(&height.to_be_bytes());
    b.extend_from_slice(&[8, 6, 0, 0, 0, 0, 0, 0, 0]);
    b.extend(std::iter::repeat_n(0u8, 3000));
    b
}

/// A JPEG whose size marker comes after a 20 KB EXIF block.
fn jpeg_with_big_exif(width: u16, height: u16) -> Vec<u8> {
    let mut b = vec![0xff, 0xd8, 0xff, 0xe1];
    let payload = 20_000u16;
    b.extend_from_slice(&(payload + 2).to_be_bytes());
    b.extend_from_slice(b"Exif\0\0");
    b.extend(std::iter::repeat_n(0u8, payload as usize - 6));
    b.extend_from_slice(&[0xff, 0xc0, 0x00, 0x11, 0x08]);
    b.extend_from_slice(&height.to_be_bytes());
    b.extend_from_slice(&width.to_be_bytes());
    b.extend_from_slice(&[3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
    b.extend(std::iter::repeat_n(0u8, 5000));
    b.extend_from_slice(&[0xff, 0xd9]);
    b
}

/// Serves `data` honouring a `Range: bytes=a-b` header.
fn ranged(headers: &HeaderMap, data: Vec<u8>, content_type: &str) -> Response {
    let range = headers
        .get("range")
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.strip_prefix("bytes="))
        .and_then(|r| r.split_once('-'))
        .and_then(|(a, b)| Some((a.parse::<usize>().ok()?, b.parse::<usize>().ok()?)));
    match range {
        Some((a, b)) if a < data.len() => {
            let end = b.min(data.len() - 1);
            resp(206)
                .header("content-type", content_type)
                .header("content-range", format!("bytes {a}-{end}/{}", data.len()))
                .body(Body::from(data[a..=end].to_vec()))
                .unwrap()
        }
        _ => resp(200)
            .header("content-type", content_type)
            .body(Body::from(data))
            .unwrap(),
    }
}

async fn handle(State(fx): State<Arc<Fixture>>, req: axum::extract::Request) -> Response {
    let path = req.uri().path().to_string();
    let headers = req.headers().clone();
    let n = {
        let mut hits = fx.hits.lock().unwrap();
        let n = hits.entry(path.clone()).or_insert(0);
        *n += 1;
        *n
    };
    fx.seen
        .lock()
        .unwrap()
        .insert(path.clone(), headers.clone());
    let h = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };

    if let Some(rest) = path.strip_prefix("/redirect/chain/") {
        let left: u32 = rest.parse().unwrap_or(0);
        return if left == 0 {
            resp(200).body(Body::from("end of the chain")).unwrap()
        } else {
            resp(302)
                .header("location", format!("/redirect/chain/{}", left - 1))
                .body(Body::empty())
                .unwrap()
        };
    }
    if let Some(status) = path.strip_prefix("/status/") {
        let status: u16 = status.parse().unwrap_or(500);
        let mut r = resp(status);
        if status == 429 || status == 503 {
            r = r.header("retry-after", "120");
        }
        return r.body(Body::from(format!("status {status}"))).unwrap();
    }
    match path.as_str() {
        "/robots.txt" => match fx.robots_mode.load(Ordering::SeqCst) {
            1 => resp(404).body(Body::from("no robots here")).unwrap(),
            2 => resp(503).body(Body::from("down")).unwrap(),
            3 => resp(200)
                .header("content-type", "text/plain")
                .body(Body::from("User-agent: *\nDisallow: /\n\nUser-agent: NewsDesk\nCrawl-delay: 0.15\nDisallow: /private/\n"))
                .unwrap(),
            _ => resp(200).header("content-type", "text/plain").body(Body::from(ROBOTS)).unwrap(),
        },
        "/feed.xml" => {
            if h("if-none-match").as_deref() == Some(FEED_ETAG) {
                return resp(304).header("etag", FEED_ETAG).body(Body::empty()).unwrap();
            }
            resp(200)
                .header("content-type", "application/rss+xml; charset=utf-8")
                .header("etag", FEED_ETAG)
                .header("last-modified", FEED_LM)
                .header("cache-control", "public, max-age=600")
                .body(Body::from(FEED))
                .unwrap()
        }
        "/page-lm" => {
            if h("if-modified-since").as_deref() == Some(FEED_LM) {
                return resp(304).body(Body::empty()).unwrap();
            }
            resp(200)
                .header("content-type", "text/html")
                .header("last-modified", FEED_LM)
                .body(Body::from("<p>dated page</p>"))
                .unwrap()
        }
        "/moved" => resp(301).header("location", "/feed.xml").body(Body::empty()).unwrap(),
        "/redirect/loop-a" => resp(302).header("location", "/redirect/loop-b").body(Body::empty()).unwrap(),
        "/redirect/loop-b" => resp(307).header("location", "/redirect/loop-a").body(Body::empty()).unwrap(),
        "/redirect/private" => resp(302)
            .header("location", "http://10.0.0.1/internal/admin")
            .body(Body::empty())
            .unwrap(),
        "/redirect/metadata" => resp(302)
            .header("location", "http://169.254.169.254/latest/meta-data/iam/")
            .body(Body::empty())
            .unwrap(),
        "/redirect/metadata-name" => resp(301)
            .header("location", "http://metadata.google.internal/computeMetadata/v1/")
            .body(Body::empty())
            .unwrap(),
        "/redirect/robots" => resp(302).header("location", "/private/page").body(Body::empty()).unwrap(),
        "/private/page" => resp(200).body(Body::from("secret")).unwrap(),
        "/slow" => {
            tokio::time::sleep(Duration::from_secs(5)).await;
            resp(200).body(Body::from("too late")).unwrap()
        }
        "/stall" => {
            // The first bytes at once, then silence.
            let stream = futures_util::stream::unfold(0u8, |step| async move {
                match step {
                    0 => Some((Ok::<_, std::io::Error>(b"<p>start".to_vec()), 1)),
                    1 => {
                        tokio::time::sleep(Duration::from_secs(5)).await;
                        Some((Ok(b"end</p>".to_vec()), 2))
                    }
                    _ => None,
                }
            });
            resp(200).header("content-type", "text/html").body(Body::from_stream(stream)).unwrap()
        }
        "/truncated" => {
            // 100 bytes, a pause (the server flushes them while the body is
            // pending), then the end, 900 bytes short.
            let stream = futures_util::stream::unfold(0u8, |step| async move {
                match step {
                    0 => Some((Ok::<_, std::io::Error>(vec![b'x'; 100]), 1)),
                    1 => {
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        None
                    }
                    _ => None,
                }
            });
            resp(200)
                .header("content-type", "text/plain")
                .header("content-length", "1000")
                .body(Body::from_stream(stream))
                .unwrap()
        }
        "/charset/lying-utf8" => {
            let html = b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\">\
                <title>Caf\xe9</title></head><body><p>Cr\xe8me br\xfbl\xe9e \x96 \x93quoted\x94</p></body></html>";
            resp(200)
                .header("content-type", "text/html; charset=utf-8")
                .body(Body::from(html.to_vec()))
                .unwrap()
        }
        "/charset/sjis" => {
            let text = "<html><head><meta charset=\"Shift_JIS\"><title>ニュース</title></head>\
                <body><p>東京で雨が降りました。</p></body></html>";
            let (bytes, _, bad) = encoding_rs::SHIFT_JIS.encode(text);
            assert!(!bad);
            resp(200)
                .header("content-type", "text/html")
                .body(Body::from(bytes.into_owned()))
                .unwrap()
        }
        "/charset/latin1" => resp(200)
            .header("content-type", "text/html; charset=ISO-8859-1")
            .body(Body::from(b"<p>Gar\xe7on, une bi\xe8re!</p>".to_vec()))
            .unwrap(),
        "/charset/xml-latin1" => resp(200)
            .header("content-type", "application/rss+xml")
            .body(Body::from(
                b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss><channel><title>D\xe9j\xe0 vu</title></channel></rss>"
                    .to_vec(),
            ))
            .unwrap(),
        "/huge-declared" => resp(200)
            .header("content-type", "text/plain")
            .body(Body::from(vec![b'a'; 2 << 20]))
            .unwrap(),
        "/huge-chunked" => {
            let chunks = (0..64).map(|_| Ok::<_, std::io::Error>(vec![b'a'; 64 * 1024]));
            resp(200)
                .header("content-type", "text/plain")
                .body(Body::from_stream(futures_util::stream::iter(chunks)))
                .unwrap()
        }
        "/bomb" => resp(200)
            .header("content-type", "text/html")
            .header("content-encoding", "gzip")
            .body(Body::from(bomb().to_vec()))
            .unwrap(),
        "/gzip-page" => resp(200)
            .header("content-type", "text/html; charset=utf-8")
            .header("content-encoding", "gzip")
            .body(Body::from(gzip("<p>gzipped déjà vu</p>".repeat(50).as_bytes())))
            .unwrap(),
        "/br-page" => resp(200)
            .header("content-type", "text/html; charset=utf-8")
            .header("content-encoding", "br")
            .body(Body::from(brotli_stored("<p>brotli body</p>".as_bytes())))
            .unwrap(),
        "/deflate-page" => {
            let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
            z.write_all(b"<p>deflated</p>").unwrap();
            resp(200)
                .header("content-type", "text/html")
                .header("content-encoding", "deflate")
                .body(Body::from(z.finish().unwrap()))
                .unwrap()
        }
        "/flaky" => {
            if n <= 2 {
                resp(503).body(Body::from("busy")).unwrap()
            } else {
                resp(200).body(Body::from("finally")).unwrap()
            }
        }
        "/flaky-429" => {
            if n == 1 {
                resp(429).header("retry-after", "0").body(Body::empty()).unwrap()
            } else {
                resp(200).body(Body::from("ok now")).unwrap()
            }
        }
        "/flaky-date" => {
            if n == 1 {
                // An HTTP date (in the past: retry at once).
                let past = std::time::SystemTime::now() - Duration::from_secs(30);
                resp(503)
                    .header("retry-after", httpdate::fmt_http_date(past))
                    .body(Body::empty())
                    .unwrap()
            } else {
                resp(200).body(Body::from("ok after date")).unwrap()
            }
        }
        "/count" => {
            let now = fx.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
            fx.max_in_flight.fetch_max(now, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(40)).await;
            fx.in_flight.fetch_sub(1, Ordering::SeqCst);
            resp(200).body(Body::from("counted")).unwrap()
        }
        "/image.png" => ranged(&headers, png(640, 480), "image/png"),
        "/image.jpg" => ranged(&headers, jpeg_with_big_exif(1200, 800), "image/jpeg"),
        "/image-norange.jpg" => resp(200)
            .header("content-type", "image/jpeg")
            .body(Body::from(jpeg_with_big_exif(300, 200)))
            .unwrap(),
        "/image-a.png" => ranged(&headers, png(10, 10), "image/png"),
        "/image-b.png" => ranged(&headers, png(20, 20), "image/png"),
        "/image-c.png" => ranged(&headers, png(30, 30), "image/png"),
        "/not-image" => ranged(&headers, b"<html>this is not an image at all</html>".repeat(10), "text/html"),
        _ => resp(404).body(Body::from("not found")).unwrap(),
    }
}

struct Server {
    base: String,
    port: u16,
    fx: Arc<Fixture>,
}

async fn serve() -> Server {
    let fx = Arc::new(Fixture::default());
    let app = Router::new().fallback(handle).with_state(fx.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    Server {
        base: format!("http://127.0.0.1:{port}"),
        port,
        fx,
    }
}

impl Server {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

/// Loopback allowed (the fixture lives there), no delays, short timeouts,
/// quick retries.
fn config() -> FetchConfig {
    FetchConfig {
        address_policy: AddressPolicy {
            allow_loopback: true,
            allow_private: false,
        },
        per_host_delay: Duration::ZERO,
        connect_timeout: Duration::from_secs(5),
        total_timeout: Duration::from_secs(10),
        idle_timeout: Duration::from_secs(10),
        retries: 2,
        backoff_base: Duration::from_millis(5),
        backoff_max: Duration::from_millis(20),
        max_retry_after: Duration::from_secs(5),
        max_body_bytes: 1 << 20,
        max_decoded_bytes: 4 << 20,
        max_compression_ratio: 100,
        ..FetchConfig::default()
    }
}

fn fetcher() -> Fetcher {
    Fetcher::new(config()).unwrap()
}

fn page(outcome: FetchOutcome) -> newsdesk_fetch::Page {
    match outcome {
        FetchOutcome::Fetched(p) => p,
        FetchOutcome::Unchanged(u) => panic!("expected a body, got 304 for {}", u.final_url),
    }
}

// ---------------------------------------------------------------- tests

#[tokio::test]
async fn conditional_get_gives_unchanged_on_304() {
    let s = serve().await;
    let f = fetcher();
    let first = page(f.get(&s.url("/feed.xml")).await.unwrap());
    assert_eq!(first.status, 200);
    assert_eq!(first.etag.as_deref(), Some(FEED_ETAG));
    assert_eq!(first.last_modified.as_deref(), Some(FEED_LM));
    assert_eq!(first.cache_max_age, Some(Duration::from_secs(600)));
    assert_eq!(first.text().text, FEED);
    assert!(s.fx.header("/feed.xml", "if-none-match").is_none());
    assert!(s
        .fx
        .header("/feed.xml", "user-agent")
        .unwrap()
        .starts_with("newsdesk/"));

    let again = Request::conditional(
        s.url("/feed.xml"),
        first.etag.clone(),
        first.last_modified.clone(),
    );
    match f.fetch(&again).await.unwrap() {
        FetchOutcome::Unchanged(u) => {
            assert_eq!(u.etag.as_deref(), Some(FEED_ETAG));
            assert_eq!(
                u.last_modified.as_deref(),
                Some(FEED_LM),
                "kept from the request"
            );
        }
        FetchOutcome::Fetched(_) => panic!("expected 304"),
    }
    assert_eq!(
        s.fx.header("/feed.xml", "if-none-match").as_deref(),
        Some(FEED_ETAG)
    );
    assert_eq!(
        s.fx.header("/feed.xml", "if-modified-since").as_deref(),
        Some(FEED_LM)
    );

    // Last-Modified alone.
    let p = page(f.get(&s.url("/page-lm")).await.unwrap());
    let again = Request::conditional(s.url("/page-lm"), None, p.last_modified.clone());
    assert!(matches!(
        f.fetch(&again).await.unwrap(),
        FetchOutcome::Unchanged(_)
    ));
}

#[tokio::test]
async fn redirect_chain_is_followed_and_reported() {
    let s = serve().await;
    let f = fetcher();
    let p = page(f.get(&s.url("/redirect/chain/4")).await.unwrap());
    assert_eq!(p.final_url, s.url("/redirect/chain/0"));
    assert_eq!(p.redirects.len(), 4);
    assert_eq!(p.redirects[0].from, s.url("/redirect/chain/4"));
    assert_eq!(p.redirects[0].status, 302);
    assert_eq!(p.body, b"end of the chain");
    assert_eq!(p.moved_permanently, None, "302 is not a move");

    let p = page(f.get(&s.url("/moved")).await.unwrap());
    assert_eq!(
        p.moved_permanently.as_deref(),
        Some(s.url("/feed.xml").as_str())
    );
    // A 304 at the end of a permanent redirect reports the move too.
    let again = Request::conditional(s.url("/moved"), p.etag.clone(), None);
    match f.fetch(&again).await.unwrap() {
        FetchOutcome::Unchanged(u) => assert_eq!(
            u.moved_permanently.as_deref(),
            Some(s.url("/feed.xml").as_str())
        ),
        FetchOutcome::Fetched(_) => panic!("expected 304"),
    }
}

#[tokio::test]
async fn redirect_limit_and_loop_are_errors_naming_the_url() {
    let s = serve().await;
    let f = fetcher();
    let e = f.get(&s.url("/redirect/chain/11")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::TooManyRedirects);
    assert!(e.to_string().contains("/redirect/chain/11"), "{e}");
    assert!(e.to_string().contains("more than 10 redirects"), "{e}");
    // Exactly ten hops were followed.
    assert_eq!(s.fx.hits("/redirect/chain/1"), 1);
    assert_eq!(s.fx.hits("/redirect/chain/0"), 0);

    let e = f.get(&s.url("/redirect/loop-a")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::RedirectLoop);
    assert!(e.to_string().contains("/redirect/loop-b"), "{e}");
    assert_eq!(s.fx.hits("/redirect/loop-a"), 1);
}

#[tokio::test]
async fn redirects_to_private_and_metadata_addresses_are_refused() {
    let s = serve().await;
    // Loopback is allowed here, and even private addresses: metadata stays
    // refused.
    let f = fetcher();
    let e = f.get(&s.url("/redirect/private")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Refused);
    assert_eq!(e.url(), "http://10.0.0.1/internal/admin");
    assert_eq!(
        e.to_string(),
        "http://10.0.0.1/internal/admin: refused: address 10.0.0.1 is private (RFC 1918)"
    );

    let open = Fetcher::new(FetchConfig {
        address_policy: AddressPolicy {
            allow_loopback: true,
            allow_private: true,
        },
        ..config()
    })
    .unwrap();
    for f in [&f, &open] {
        let e = f.get(&s.url("/redirect/metadata")).await.unwrap_err();
        assert!(
            matches!(&e, FetchError::Refused { reason: Refusal::Address { class, .. }, .. } if class.contains("metadata")),
            "{e}"
        );
        assert!(
            e.to_string()
                .starts_with("http://169.254.169.254/latest/meta-data/iam/: refused"),
            "{e}"
        );
        let e = f.get(&s.url("/redirect/metadata-name")).await.unwrap_err();
        assert!(
            matches!(
                &e,
                FetchError::Refused {
                    reason: Refusal::MetadataHost(_),
                    ..
                }
            ),
            "{e}"
        );
        assert!(e.to_string().contains("metadata.google.internal"), "{e}");
    }
}

#[tokio::test]
async fn loopback_is_refused_by_default_even_behind_a_name() {
    let s = serve().await;
    let strict = Fetcher::new(FetchConfig {
        address_policy: AddressPolicy::default(),
        ..config()
    })
    .unwrap();
    // A host name that resolves to loopback: refused after resolution.
    let url = format!("http://localhost:{}/feed.xml", s.port);
    let e = strict.get(&url).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Refused, "{e}");
    assert!(e.to_string().starts_with(&url), "{e}");
    assert!(e.to_string().contains("loopback"), "{e}");
    // The literal.
    let e = strict.get(&s.url("/feed.xml")).await.unwrap_err();
    assert!(
        e.to_string().contains("address 127.0.0.1 is loopback"),
        "{e}"
    );
    assert_eq!(
        s.fx.hits("/feed.xml") + s.fx.hits("/robots.txt"),
        0,
        "nothing was sent"
    );

    // Allowed explicitly, the same name works (resolution goes through our
    // checking resolver).
    let p = page(fetcher().get(&url).await.unwrap());
    assert_eq!(p.etag.as_deref(), Some(FEED_ETAG));
}

#[tokio::test]
async fn slow_responses_time_out() {
    let s = serve().await;
    let f = Fetcher::new(FetchConfig {
        total_timeout: Duration::from_millis(300),
        retries: 0,
        // Only the slow response may take time, not a robots.txt fetch.
        respect_robots: false,
        ..config()
    })
    .unwrap();
    let e = f.get(&s.url("/slow")).await.unwrap_err();
    assert!(
        matches!(
            e,
            FetchError::Timeout {
                phase: TimeoutPhase::Total,
                ..
            }
        ),
        "{e}"
    );
    assert!(e.to_string().contains("/slow: timed out"), "{e}");

    // Bytes, then silence: the idle limit.
    let f = Fetcher::new(FetchConfig {
        idle_timeout: Duration::from_millis(300),
        retries: 0,
        respect_robots: false,
        ..config()
    })
    .unwrap();
    let e = f.get(&s.url("/stall")).await.unwrap_err();
    assert!(
        matches!(
            e,
            FetchError::Timeout {
                phase: TimeoutPhase::Idle,
                ..
            }
        ),
        "{e}"
    );
    assert!(e.is_transient());
}

#[tokio::test]
async fn truncated_body_is_reported() {
    let s = serve().await;
    let f = Fetcher::new(FetchConfig {
        retries: 1,
        ..config()
    })
    .unwrap();
    let e = f.get(&s.url("/truncated")).await.unwrap_err();
    assert!(
        matches!(
            e,
            FetchError::Truncated {
                expected: 1000,
                received: 100,
                ..
            }
        ),
        "{e}"
    );
    assert!(e.to_string().contains("/truncated: body truncated"), "{e}");
    assert_eq!(s.fx.hits("/truncated"), 2, "retried once");
}

#[tokio::test]
async fn charsets_are_detected() {
    let s = serve().await;
    let f = fetcher();
    // Header says UTF-8, body is windows-1252 with a meta tag.
    let p = page(f.get(&s.url("/charset/lying-utf8")).await.unwrap());
    let t = p.text();
    assert!(t.text.contains("<title>Café</title>"), "{}", t.text);
    assert!(t.text.contains("Crème brûlée – “quoted”"), "{}", t.text);
    assert_eq!(
        (t.encoding.name(), t.source),
        ("windows-1252", CharsetSource::Meta)
    );

    let p = page(f.get(&s.url("/charset/sjis")).await.unwrap());
    let t = p.text();
    assert!(t.text.contains("東京で雨が降りました。"), "{}", t.text);
    assert_eq!(t.encoding.name(), "Shift_JIS");

    let p = page(f.get(&s.url("/charset/latin1")).await.unwrap());
    let t = p.text();
    assert!(t.text.contains("Garçon, une bière!"), "{}", t.text);
    assert_eq!(t.source, CharsetSource::Header);

    let p = page(f.get(&s.url("/charset/xml-latin1")).await.unwrap());
    let t = p.text();
    assert!(t.text.contains("Déjà vu"), "{}", t.text);
    assert_eq!(t.source, CharsetSource::XmlDeclaration);
}

#[tokio::test]
async fn bodies_over_the_cap_are_refused() {
    let s = serve().await;
    let f = fetcher();
    let e = f.get(&s.url("/huge-declared")).await.unwrap_err();
    assert!(
        matches!(e, FetchError::TooLarge { limit, .. } if limit == 1 << 20),
        "{e}"
    );
    assert!(
        e.to_string().contains("/huge-declared: body larger than"),
        "{e}"
    );
    // No Content-Length: the stream is cut at the cap.
    let e = f.get(&s.url("/huge-chunked")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::TooLarge, "{e}");
}

#[tokio::test]
async fn compressed_bodies_are_decoded_and_bombs_refused() {
    let s = serve().await;
    let f = fetcher();
    let p = page(f.get(&s.url("/gzip-page")).await.unwrap());
    assert_eq!(p.text().text, "<p>gzipped déjà vu</p>".repeat(50));
    assert!(p.wire_bytes < p.body.len() as u64);
    assert_eq!(
        s.fx.header("/gzip-page", "accept-encoding").as_deref(),
        Some("gzip, deflate, br")
    );
    let p = page(f.get(&s.url("/br-page")).await.unwrap());
    assert_eq!(p.body, b"<p>brotli body</p>");
    let p = page(f.get(&s.url("/deflate-page")).await.unwrap());
    assert_eq!(p.body, b"<p>deflated</p>");

    // Ratio guard: ~64 KiB that would expand to 64 MiB.
    let e = f.get(&s.url("/bomb")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::DecompressionBomb, "{e}");
    assert!(
        e.to_string().contains("/bomb: decompression bomb refused"),
        "{e}"
    );
    // Absolute guard, with the ratio check off.
    let f = Fetcher::new(FetchConfig {
        max_compression_ratio: u64::MAX,
        ..config()
    })
    .unwrap();
    let e = f.get(&s.url("/bomb")).await.unwrap_err();
    assert!(
        e.to_string()
            .contains("more than 4194304 bytes after decompression"),
        "{e}"
    );
}

#[tokio::test]
async fn statuses_retries_and_retry_after() {
    let s = serve().await;
    let f = fetcher();
    // 404 and 410: no retry.
    let e = f.get(&s.url("/status/404")).await.unwrap_err();
    assert_eq!((e.kind(), e.status()), (ErrorKind::NotFound, Some(404)));
    assert_eq!(e.to_string(), format!("{}: HTTP 404", s.url("/status/404")));
    assert_eq!(s.fx.hits("/status/404"), 1);
    let e = f.get(&s.url("/status/410")).await.unwrap_err();
    assert!(e.is_gone() && !e.is_transient());
    assert_eq!(s.fx.hits("/status/410"), 1);

    // 429 with a Retry-After longer than we wait in a fetch: returned with it.
    let e = f.get(&s.url("/status/429")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::TooManyRequests);
    assert_eq!(e.retry_after(), Some(Duration::from_secs(120)));
    assert!(
        e.to_string().ends_with("HTTP 429 (retry after 120s)"),
        "{e}"
    );
    assert_eq!(s.fx.hits("/status/429"), 1);

    // 5xx until the retries run out.
    let e = f.get(&s.url("/status/500")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ServerError);
    assert_eq!(s.fx.hits("/status/500"), 3);

    // 503, 503, 200.
    let p = page(f.get(&s.url("/flaky")).await.unwrap());
    assert_eq!((p.body.as_slice(), p.attempts), (&b"finally"[..], 3));
    // 429 with Retry-After: 0, then 200.
    let p = page(f.get(&s.url("/flaky-429")).await.unwrap());
    assert_eq!(p.attempts, 2);
    // 503 with Retry-After as an HTTP date, then 200.
    let p = page(f.get(&s.url("/flaky-date")).await.unwrap());
    assert_eq!((p.body.as_slice(), p.attempts), (&b"ok after date"[..], 2));
}

#[tokio::test]
async fn robots_txt_is_honoured_and_fetched_once() {
    let s = serve().await;
    let f = fetcher();
    let e = f.get(&s.url("/private/page")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::RobotsDisallowed);
    assert_eq!(
        e.to_string(),
        format!("{}: disallowed by robots.txt", s.url("/private/page"))
    );
    // A redirect into a disallowed path is checked too.
    let e = f.get(&s.url("/redirect/robots")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::RobotsDisallowed);
    assert_eq!(s.fx.hits("/private/page"), 0);
    page(f.get(&s.url("/feed.xml")).await.unwrap());
    assert_eq!(s.fx.hits("/robots.txt"), 1, "cached per origin");

    // A fetcher that ignores robots.txt gets there.
    let rude = Fetcher::new(FetchConfig {
        respect_robots: false,
        ..config()
    })
    .unwrap();
    assert_eq!(
        page(rude.get(&s.url("/private/page")).await.unwrap()).body,
        b"secret"
    );
}

#[tokio::test]
async fn robots_txt_4xx_allows_and_5xx_disallows() {
    let s = serve().await;
    s.fx.robots_mode.store(1, Ordering::SeqCst);
    let p = page(fetcher().get(&s.url("/private/page")).await.unwrap());
    assert_eq!(p.body, b"secret");

    let s = serve().await;
    s.fx.robots_mode.store(2, Ordering::SeqCst);
    let f = fetcher();
    let e = f.get(&s.url("/feed.xml")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::RobotsUnavailable, "{e}");
    assert!(e.to_string().contains("HTTP 503"), "{e}");
    assert!(e.is_transient());
    let _ = f.get(&s.url("/feed.xml")).await.unwrap_err();
    assert_eq!(s.fx.hits("/feed.xml"), 0);
    assert_eq!(
        s.fx.hits("/robots.txt"),
        1,
        "the failure is cached for a while"
    );
}

#[tokio::test]
async fn per_host_concurrency_is_limited() {
    let s = serve().await;
    let f = Fetcher::new(FetchConfig {
        per_host_concurrency: 2,
        ..config()
    })
    .unwrap();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..10 {
        let (f, url) = (f.clone(), s.url("/count"));
        tasks.spawn(async move { f.get(&url).await.map(|_| ()) });
    }
    while let Some(r) = tasks.join_next().await {
        r.unwrap().unwrap();
    }
    assert_eq!(s.fx.hits("/count"), 10);
    let max = s.fx.max_in_flight.load(Ordering::SeqCst);
    assert!((1..=2).contains(&max), "max in flight {max}");
}

#[tokio::test]
async fn per_host_delay_spaces_requests() {
    let s = serve().await;
    let f = Fetcher::new(FetchConfig {
        per_host_delay: Duration::from_millis(100),
        respect_robots: false,
        ..config()
    })
    .unwrap();
    let start = std::time::Instant::now();
    for _ in 0..4 {
        page(f.get(&s.url("/feed.xml")).await.unwrap());
    }
    // Four starts, three gaps of at least the delay (a lower bound only).
    assert!(
        start.elapsed() >= Duration::from_millis(300),
        "{:?}",
        start.elapsed()
    );
}

#[tokio::test]
async fn lead_image_sizes_from_the_first_bytes() {
    let s = serve().await;
    let f = fetcher();
    let info = f.image_size(&s.url("/image.png")).await.unwrap();
    assert_eq!((info.width, info.height, info.format), (640, 480, "png"));
    assert_eq!(s.fx.hits("/image.png"), 1);
    assert_eq!(
        s.fx.header("/image.png", "range").as_deref(),
        Some("bytes=0-4095")
    );

    // The size marker is past 20 KB of EXIF: a second, larger range.
    let info = f.image_size(&s.url("/image.jpg")).await.unwrap();
    assert_eq!((info.width, info.height, info.format), (1200, 800, "jpg"));
    assert_eq!(s.fx.hits("/image.jpg"), 2);
    assert_eq!(
        s.fx.header("/image.jpg", "range").as_deref(),
        Some("bytes=4096-65535")
    );

    // A server that ignores Range.
    let info = f.image_size(&s.url("/image-norange.jpg")).await.unwrap();
    assert_eq!((info.width, info.height), (300, 200));

    let e = f.image_size(&s.url("/not-image")).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Image);
    assert!(
        e.to_string().contains("/not-image: image: not an image"),
        "{e}"
    );
}

#[tokio::test]
async fn image_cache_hits_and_evicts_the_oldest() {
    let s = serve().await;
    let f = fetcher();
    let dir = tempfile::tempdir().unwrap();
    // Each fixture PNG is 3033 bytes: room for two.
    let cache = ImageCache::new(dir.path().join("img"), 4000, 7000).unwrap();
    let a = f.cache_image(&cache, &s.url("/image-a.png")).await.unwrap();
    assert!(!a.hit && a.path.exists() && a.path.extension().unwrap() == "png");
    assert_eq!((a.info.width, a.info.height), (10, 10));
    let again = f.cache_image(&cache, &s.url("/image-a.png")).await.unwrap();
    assert!(again.hit);
    assert_eq!(again.path, a.path);
    assert_eq!(s.fx.hits("/image-a.png"), 1);

    // Make sure the next files are newer than a's on coarse clocks.
    tokio::time::sleep(Duration::from_millis(20)).await;
    let b = f.cache_image(&cache, &s.url("/image-b.png")).await.unwrap();
    tokio::time::sleep(Duration::from_millis(20)).await;
    let c = f.cache_image(&cache, &s.url("/image-c.png")).await.unwrap();
    assert!(!a.path.exists(), "the oldest was evicted");
    assert!(b.path.exists() && c.path.exists());
    assert!(cache.total_bytes() <= 7000);
    assert_eq!(cache.get(&s.url("/image-c.png")), Some(c.path.clone()));

    // Over the per-file cap.
    let small = ImageCache::new(dir.path().join("small"), 1000, 7000).unwrap();
    let e = f
        .cache_image(&small, &s.url("/image-a.png"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::TooLarge, "{e}");
    let e = f
        .cache_image(&cache, &s.url("/not-image"))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Image, "{e}");
}

#[tokio::test]
async fn health_follows_fetch_results() {
    let s = serve().await;
    let f = fetcher();
    let policy = PollPolicy::default();
    let now = chrono::DateTime::parse_from_rfc3339("2026-03-02T08:00:00Z")
        .unwrap()
        .with_timezone(&chrono::Utc);
    let mut health = SourceHealth::default();
    let url = s.url("/feed.xml");

    let result = f.fetch(&health.request(&url)).await;
    let hints = match &result {
        Ok(FetchOutcome::Fetched(p)) => feed_hints(&p.text().text),
        _ => panic!("expected a feed"),
    };
    assert_eq!(hints.ttl, Some(Duration::from_secs(3600)));
    health.record(&PollResult::from_fetch(&result, 1, hints), now, &policy);
    assert_eq!(health.etag.as_deref(), Some(FEED_ETAG));
    assert_eq!(health.next_poll, Some(now + chrono::Duration::hours(1)));

    // The stored validators make the next poll conditional.
    let later = now + chrono::Duration::hours(1);
    let result = f.fetch(&health.request(&url)).await;
    assert!(matches!(result, Ok(FetchOutcome::Unchanged(_))));
    health.record(
        &PollResult::from_fetch(&result, 0, Default::default()),
        later,
        &policy,
    );
    assert_eq!(health.last_success, Some(later));

    // 410: dead.
    let result = f.fetch(&health.request(&s.url("/status/410"))).await;
    health.record(
        &PollResult::from_fetch(&result, 0, Default::default()),
        later,
        &policy,
    );
    assert!(health.dead && !health.is_due(later + chrono::Duration::days(30)));
    assert_eq!(health.last_error_kind.as_deref(), Some("gone"));
    assert!(health
        .last_error
        .as_deref()
        .unwrap()
        .contains("/status/410: HTTP 410"));
}

#[tokio::test]
async fn crawl_delay_of_our_group_spaces_requests() {
    let s = serve().await;
    s.fx.robots_mode.store(3, Ordering::SeqCst);
    let f = fetcher();
    let start = std::time::Instant::now();
    for _ in 0..3 {
        // Allowed: our group disallows only /private/, though `*` may not
        // fetch anything.
        page(f.get(&s.url("/feed.xml")).await.unwrap());
    }
    assert!(
        start.elapsed() >= Duration::from_millis(300),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(
        f.get(&s.url("/private/page")).await.unwrap_err().kind(),
        ErrorKind::RobotsDisallowed
    );
}

#[tokio::test]
async fn connection_refused_is_a_transient_connect_error() {
    // A port that was just free: nothing listens there.
    let port = {
        let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        l.local_addr().unwrap().port()
    };
    let url = format!("http://127.0.0.1:{port}/feed.xml");
    let f = Fetcher::new(FetchConfig {
        respect_robots: false,
        ..config()
    })
    .unwrap();
    let e = f.get(&url).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Connect, "{e}");
    assert!(e.is_transient());
    assert!(
        e.to_string()
            .starts_with(&format!("{url}: connection failed")),
        "{e}"
    );
    // With robots.txt on, the unreachable robots.txt disallows for now.
    let e = fetcher().get(&url).await.unwrap_err();
    assert_eq!(e.kind(), ErrorKind::RobotsUnavailable, "{e}");
}
