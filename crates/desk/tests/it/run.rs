//! The running desk in-process: a followed feed served by a tiny HTTP
//! server on the loopback interface, polled once, its items stored,
//! analysed and decided; then not polled again until due.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use chrono::Utc;
use newsdesk_desk::run::{self, PollOutcome, PollReport, RunObserver, RunOptions};
use newsdesk_desk::sources::{self, Followed};
use newsdesk_desk::{DeskPaths, KeySource};

const FEED: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Loopback News</title>
<link>http://news.test/</link><description>Test feed</description>
<item><title>The regulator fines the chip maker</title>
<link>http://news.test/2026/fine</link><guid>fine-1</guid>
<pubDate>Mon, 02 Mar 2026 10:00:00 GMT</pubDate>
<description>The regulator fined the chip maker 400 million euros on Monday after a three-year inquiry into rebates.</description></item>
<item><title>A new bridge opens over the river</title>
<link>http://news.test/2026/bridge</link><guid>bridge-1</guid>
<pubDate>Mon, 02 Mar 2026 11:00:00 GMT</pubDate>
<description>The city opened its new bridge over the river on Monday, two years late and over budget.</description></item>
</channel></rss>"#;

/// Serves `/feed.xml` (and a 404 for anything else) until the test ends;
/// counts the feed's requests.
fn serve_feed() -> (String, Arc<Mutex<usize>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let served = Arc::new(Mutex::new(0));
    let count = served.clone();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(mut conn) = conn else { continue };
            let mut reader = BufReader::new(conn.try_clone().unwrap());
            let mut request = String::new();
            if reader.read_line(&mut request).is_err() {
                continue;
            }
            // The rest of the head.
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let (status, kind, body) = if request.starts_with("GET /feed.xml ") {
                *count.lock().unwrap() += 1;
                ("200 OK", "application/rss+xml", FEED)
            } else {
                ("404 Not Found", "text/plain", "not here")
            };
            let _ = write!(
                conn,
                "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    (format!("http://{addr}/feed.xml"), served)
}

#[derive(Default)]
struct Seen {
    following: Option<(usize, usize)>,
    polls: Vec<PollReport>,
}

impl RunObserver for Seen {
    fn following(&mut self, sources: usize, due: usize) {
        self.following = Some((sources, due));
    }
    fn polled(&mut self, poll: &PollReport) {
        self.polls.push(poll.clone());
    }
}

fn run_once(paths: &DeskPaths, force: bool) -> (run::RunSummary, Seen) {
    let opts = RunOptions {
        once: true,
        force,
        allow_loopback: true,
        fetch_pages: false,
        ..RunOptions::default()
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let mut seen = Seen::default();
    let sum = rt
        .block_on(run::run(
            paths,
            &opts,
            std::future::pending::<&'static str>(),
            &mut seen,
        ))
        .unwrap();
    (sum, seen)
}

#[test]
fn a_due_feed_is_polled_stored_and_decided_then_waits_until_due() {
    let (url, served) = serve_feed();
    let dir = tempfile::tempdir().unwrap();
    let paths = DeskPaths::new(dir.path(), KeySource::default());
    let mut store = paths.open_store().unwrap();
    let followed = sources::follow(&paths, &mut *store, &url, None, Utc::now()).unwrap();
    assert_eq!(followed, Followed::New);
    drop(store);

    let (sum, seen) = run_once(&paths, false);
    assert_eq!(seen.following, Some((1, 1)));
    assert_eq!((sum.polls, sum.fetched, sum.failed), (1, 1, 0));
    assert_eq!(sum.stored, 2);
    assert_eq!(sum.analysed.analysed, 2);
    assert_eq!(sum.decided.decided, 2);
    assert_eq!(sum.desk_errors, 0);
    let poll = &seen.polls[0];
    assert_eq!(poll.locator, url);
    assert_eq!(
        poll.outcome,
        PollOutcome::Fetched {
            items: 2,
            new: 2,
            updated: 0,
            pages: 0
        }
    );
    let store = paths.open_store().unwrap();
    let titles: Vec<String> = store
        .articles_after(0, 10)
        .unwrap()
        .into_iter()
        .map(|a| a.article.title)
        .collect();
    assert_eq!(
        titles,
        [
            "The regulator fines the chip maker",
            "A new bridge opens over the river"
        ]
    );
    let source = &store.followed_sources().unwrap()[0];
    let health = newsdesk_store::source_health(source).unwrap();
    assert!(health.next_poll.is_some_and(|t| t > Utc::now()));
    drop(store);

    // Not due: nothing polled.
    let (sum, seen) = run_once(&paths, false);
    assert_eq!(seen.following, Some((1, 0)));
    assert_eq!(sum.polls, 0);
    assert_eq!(*served.lock().unwrap(), 1);

    // Forced: polled again; the same items are repeats.
    let (sum, seen) = run_once(&paths, true);
    assert_eq!(sum.polls, 1);
    assert_eq!((sum.stored, sum.updated), (0, 0));
    assert_eq!(
        seen.polls[0].outcome,
        PollOutcome::Fetched {
            items: 2,
            new: 0,
            updated: 0,
            pages: 0
        }
    );
    assert_eq!(*served.lock().unwrap(), 2);
}
