//! The live newsroom over HTTP (feature `serve`): one RSS feed per outlet
//! at `/feeds/{domain}.xml`, the list of them as OPML at `/feeds.opml` and
//! as text at `/`, and a robots.txt that allows everything.
//!
//! Each request moves the [`Live`] view to the clock (the wall clock unless
//! [`FeedServer::with_clock`] says otherwise), so a feed shows what its
//! outlet published by then. A feed's ETag changes exactly when its
//! entries do; `If-None-Match` with the current one is answered 304, as a
//! well-behaved feed server answers a polite reader.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use chrono::{DateTime, Utc};

use crate::Live;

/// Where the clock comes from.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// Why the feeds cannot be served.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("the newsroom cannot listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("serving the newsroom's feeds: {0}")]
    Serve(#[source] std::io::Error),
}

/// One outlet's feed as served.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedLink {
    pub name: String,
    pub domain: String,
    pub url: String,
}

/// The feeds of a [`Live`] view, bound to a socket, not yet serving.
pub struct FeedServer {
    listener: std::net::TcpListener,
    addr: SocketAddr,
    live: Live,
    clock: Clock,
    feeds: Vec<FeedLink>,
}

struct Shared {
    live: Mutex<Live>,
    clock: Clock,
    feeds: Vec<FeedLink>,
    /// Part of every ETag, so that another run's validators never match.
    run: i64,
}

impl FeedServer {
    /// Binds `addr` (port 0: one the system picks) for `live`'s feeds.
    pub fn bind(addr: SocketAddr, live: Live) -> Result<FeedServer, ServeError> {
        let bind_err = |source| ServeError::Bind { addr, source };
        let listener = std::net::TcpListener::bind(addr).map_err(bind_err)?;
        listener.set_nonblocking(true).map_err(bind_err)?;
        let addr = listener.local_addr().map_err(bind_err)?;
        let feeds = live
            .outlets()
            .map(|(domain, name)| FeedLink {
                name: name.to_string(),
                domain: domain.to_string(),
                url: format!("http://{addr}/feeds/{domain}.xml"),
            })
            .collect();
        Ok(FeedServer {
            listener,
            addr,
            live,
            clock: Arc::new(Utc::now),
            feeds,
        })
    }

    /// Reads the time from `clock` instead of the wall clock.
    pub fn with_clock(mut self, clock: Clock) -> FeedServer {
        self.clock = clock;
        self
    }

    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Every outlet's feed, agencies first.
    pub fn feeds(&self) -> &[FeedLink] {
        &self.feeds
    }

    /// Serves until `shutdown` resolves, then finishes the requests in
    /// flight. Must run on a Tokio runtime.
    pub async fn serve(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), ServeError> {
        let listener =
            tokio::net::TcpListener::from_std(self.listener).map_err(ServeError::Serve)?;
        let shared = Arc::new(Shared {
            run: self.live.origin().timestamp(),
            live: Mutex::new(self.live),
            clock: self.clock,
            feeds: self.feeds,
        });
        let app = Router::new()
            .route("/", get(index))
            .route("/robots.txt", get(robots))
            .route("/feeds.opml", get(opml))
            .route("/feeds/{file}", get(feed))
            .with_state(shared);
        axum::serve(listener, app)
            .with_graceful_shutdown(shutdown)
            .await
            .map_err(ServeError::Serve)
    }
}

async fn index(State(s): State<Arc<Shared>>) -> String {
    let mut out = String::from("The synthetic newsroom, live: one RSS feed per outlet.\n\n");
    for f in &s.feeds {
        out.push_str(&format!("{}  {}\n", f.url, f.name));
    }
    out
}

async fn robots() -> &'static str {
    "User-agent: *\nAllow: /\n"
}

async fn opml(State(s): State<Arc<Shared>>) -> Response {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n<head><title>The synthetic newsroom</title></head>\n<body>\n",
    );
    for f in &s.feeds {
        out.push_str(&format!(
            "<outline type=\"rss\" text=\"{}\" xmlUrl=\"{}\"/>\n",
            attr(&f.name),
            attr(&f.url)
        ));
    }
    out.push_str("</body>\n</opml>\n");
    ([(header::CONTENT_TYPE, "text/x-opml; charset=utf-8")], out).into_response()
}

fn attr(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
}

async fn feed(
    State(s): State<Arc<Shared>>,
    Path(file): Path<String>,
    headers: HeaderMap,
) -> Response {
    let not_found = || (StatusCode::NOT_FOUND, "no such feed\n").into_response();
    let Some(domain) = file.strip_suffix(".xml") else {
        return not_found();
    };
    let now = (s.clock)();
    let mut live = s.live.lock().unwrap_or_else(|p| p.into_inner());
    live.advance(now);
    let Some(published) = live.published(domain) else {
        return not_found();
    };
    let etag = format!("\"{}-{published}\"", s.run);
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag));
    if fresh {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
    }
    let body = live.rss(domain).unwrap_or_default();
    drop(live);
    (
        [
            (
                header::CONTENT_TYPE,
                "application/rss+xml; charset=utf-8".to_string(),
            ),
            (header::ETAG, etag),
        ],
        body,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicI64, Ordering};

    use chrono::TimeZone;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    use super::*;
    use crate::LiveConfig;

    async fn get(addr: SocketAddr, path: &str, etag: Option<&str>) -> (String, String) {
        let mut s = tokio::net::TcpStream::connect(addr).await.unwrap();
        let extra = etag.map_or(String::new(), |e| format!("If-None-Match: {e}\r\n"));
        let req = format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n{extra}\r\n");
        s.write_all(req.as_bytes()).await.unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).await.unwrap();
        let (head, body) = out.split_once("\r\n\r\n").unwrap();
        (head.to_lowercase(), body.to_string())
    }

    fn etag_of(head: &str) -> String {
        head.lines()
            .find_map(|l| l.strip_prefix("etag: "))
            .unwrap()
            .to_string()
    }

    #[tokio::test]
    async fn feeds_follow_the_clock_and_answer_304_while_unchanged() {
        let start = Utc.with_ymd_and_hms(2026, 3, 2, 12, 0, 0).single().unwrap();
        let config = LiveConfig {
            ahead: std::time::Duration::from_secs(3600),
            ..LiveConfig::default()
        };
        let clock = Arc::new(AtomicI64::new(start.timestamp()));
        let read = clock.clone();
        let server = FeedServer::bind("127.0.0.1:0".parse().unwrap(), Live::new(&config, start))
            .unwrap()
            .with_clock(Arc::new(move || {
                DateTime::from_timestamp(read.load(Ordering::SeqCst), 0).unwrap()
            }));
        let addr = server.addr();
        let feeds = server.feeds().to_vec();
        assert_eq!(feeds.len(), 24);
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(server.serve(async {
            let _ = stopped.await;
        }));
        let (head, robots) = get(addr, "/robots.txt", None).await;
        assert!(head.starts_with("http/1.1 200"), "{head}");
        assert!(robots.contains("Allow: /"));
        let (_, opml) = get(addr, "/feeds.opml", None).await;
        assert_eq!(opml.matches("<outline ").count(), 24);
        // The busiest outlet's feed, by how many entries it shows.
        let mut best = (0, String::new(), String::new());
        for f in &feeds {
            let path = format!("/feeds/{}.xml", f.domain);
            let (head, body) = get(addr, &path, None).await;
            assert!(head.starts_with("http/1.1 200"), "{head}");
            let n = body.matches("<item>").count();
            if n > best.0 {
                best = (n, path, etag_of(&head));
            }
        }
        let (n, path, etag) = best;
        assert!(n > 0);
        let (head, _) = get(addr, &path, Some(&etag)).await;
        assert!(head.starts_with("http/1.1 304"), "{head}");
        // Three hours later (the stream has ended): every article is out.
        clock.store(start.timestamp() + 3 * 3600, Ordering::SeqCst);
        let (head, body) = get(addr, &path, Some(&etag)).await;
        assert!(head.starts_with("http/1.1 200"), "{head}");
        assert_ne!(etag_of(&head), etag);
        assert!(body.matches("<item>").count() >= n);
        let (head, _) = get(addr, "/feeds/nowhere.example.xml", None).await;
        assert!(head.starts_with("http/1.1 404"), "{head}");
        stop.send(()).unwrap();
        task.await.unwrap().unwrap();
    }
}
