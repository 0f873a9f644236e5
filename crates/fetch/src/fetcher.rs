//! The fetcher: politeness per host, robots.txt, checked redirects, retries,
//! timeouts and capped bodies around one HTTP client.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use reqwest::header::{self, HeaderMap, HeaderValue};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;
use url::Url;

use crate::body::{BodyLimits, BodyReader, ACCEPT_ENCODING};
use crate::error::{FetchError, TimeoutPhase};
use crate::headers::{backoff_delay, parse_max_age, parse_retry_after};
use crate::robots::{Robots, MAX_ROBOTS_BYTES};
use crate::safety::{AddressPolicy, CheckedResolver, RefusedByResolver};
use crate::{decode_body, Decoded};

/// How the fetcher behaves. `Default` is the production setting.
#[derive(Debug, Clone)]
pub struct FetchConfig {
    /// Sent as `User-Agent`.
    pub user_agent: String,
    /// The product token robots.txt groups are matched against.
    pub robots_token: String,
    /// Honour robots.txt (on by default).
    pub respect_robots: bool,
    /// How long a fetched robots.txt (or a 4xx for it) is trusted.
    pub robots_ttl: Duration,
    /// How long a robots.txt that could not be read (5xx, unreachable)
    /// keeps its host disallowed before it is asked for again.
    pub robots_error_ttl: Duration,
    /// Requests in flight at once to one host (`host:port`).
    pub per_host_concurrency: usize,
    /// Least time between the starts of two requests to one host. A larger
    /// robots.txt `Crawl-delay` wins, up to `max_crawl_delay`.
    pub per_host_delay: Duration,
    /// Crawl-delays above this are cut to it.
    pub max_crawl_delay: Duration,
    /// Opening a connection (TCP and TLS).
    pub connect_timeout: Duration,
    /// One attempt, from sending the request to the last body byte.
    pub total_timeout: Duration,
    /// Longest silence while waiting for headers or body bytes.
    pub idle_timeout: Duration,
    /// Redirect hops followed (each one checked) before giving up.
    pub max_redirects: usize,
    /// Bytes received for one body (compressed, as sent).
    pub max_body_bytes: u64,
    /// Bytes after decompression.
    pub max_decoded_bytes: u64,
    /// Decoded bytes per received byte allowed past the first MiB.
    pub max_compression_ratio: u64,
    /// Extra attempts after a connect error, timeout, truncated body, 408,
    /// 429 or 5xx (never after 404, 410 or other 4xx).
    pub retries: u32,
    /// First backoff step; doubles per retry, full jitter.
    pub backoff_base: Duration,
    /// Backoff ceiling.
    pub backoff_max: Duration,
    /// A `Retry-After` up to this is waited out inside `fetch`; a longer one
    /// ends the fetch with the error carrying it (for the scheduler).
    pub max_retry_after: Duration,
    /// Which non-public addresses may be reached.
    pub address_policy: AddressPolicy,
}

impl Default for FetchConfig {
    fn default() -> Self {
        Self {
            user_agent: concat!(
                "newsdesk/",
                env!("CARGO_PKG_VERSION"),
                " (self-hosted news desk; polite feed reader)"
            )
            .to_string(),
            robots_token: "newsdesk".to_string(),
            respect_robots: true,
            robots_ttl: Duration::from_secs(24 * 3600),
            robots_error_ttl: Duration::from_secs(10 * 60),
            per_host_concurrency: 2,
            per_host_delay: Duration::from_secs(1),
            max_crawl_delay: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            total_timeout: Duration::from_secs(60),
            idle_timeout: Duration::from_secs(20),
            max_redirects: 10,
            max_body_bytes: 16 << 20,
            max_decoded_bytes: 32 << 20,
            max_compression_ratio: 200,
            retries: 2,
            backoff_base: Duration::from_millis(500),
            backoff_max: Duration::from_secs(30),
            max_retry_after: Duration::from_secs(60),
            address_policy: AddressPolicy::default(),
        }
    }
}

/// One GET: the URL and the validators stored from the last fetch.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Request {
    pub url: String,
    /// Sent as `If-None-Match`.
    pub etag: Option<String>,
    /// Sent as `If-Modified-Since`.
    pub last_modified: Option<String>,
    /// `Accept` header; a sensible default for feeds and pages when `None`.
    pub accept: Option<String>,
}

impl Request {
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            ..Self::default()
        }
    }

    /// A conditional GET with the validators of the last response.
    pub fn conditional(
        url: impl Into<String>,
        etag: Option<String>,
        last_modified: Option<String>,
    ) -> Self {
        Self {
            url: url.into(),
            etag,
            last_modified,
            accept: None,
        }
    }
}

const DEFAULT_ACCEPT: &str = "application/rss+xml, application/atom+xml, application/feed+json, \
     application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.8, application/xhtml+xml;q=0.8, */*;q=0.5";

/// One redirect that was followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Redirect {
    pub from: String,
    pub to: String,
    pub status: u16,
}

/// A fetched body and what the response said about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Page {
    /// The URL asked for.
    pub requested_url: String,
    /// The URL the body came from, after redirects.
    pub final_url: String,
    /// The redirects followed, in order.
    pub redirects: Vec<Redirect>,
    /// Set when every hop was permanent (301/308): the source moved and its
    /// stored URL should be updated to this.
    pub moved_permanently: Option<String>,
    pub status: u16,
    pub content_type: Option<String>,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// `Cache-Control: max-age`.
    pub cache_max_age: Option<Duration>,
    /// The body, decompressed (still in its charset; see [`Page::text`]).
    pub body: Vec<u8>,
    /// Bytes received on the wire.
    pub wire_bytes: u64,
    /// HTTP attempts made (robots.txt not counted; retries and hops are).
    pub attempts: u32,
}

impl Page {
    /// The body as text (see [`crate::decode_body`] for the charset order).
    pub fn text(&self) -> Decoded<'_> {
        decode_body(&self.body, self.content_type.as_deref())
    }
}

/// A 304: what was stored is still current.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unchanged {
    pub requested_url: String,
    pub final_url: String,
    /// As [`Page::moved_permanently`].
    pub moved_permanently: Option<String>,
    /// The validators to keep (the new ones when the 304 sent any).
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub cache_max_age: Option<Duration>,
    pub attempts: u32,
}

/// The result of a successful fetch.
#[derive(Debug, Clone, PartialEq)]
pub enum FetchOutcome {
    Fetched(Page),
    Unchanged(Unchanged),
}

impl FetchOutcome {
    /// The validators to store for the next conditional GET.
    pub fn validators(&self) -> (Option<&str>, Option<&str>) {
        match self {
            FetchOutcome::Fetched(p) => (p.etag.as_deref(), p.last_modified.as_deref()),
            FetchOutcome::Unchanged(u) => (u.etag.as_deref(), u.last_modified.as_deref()),
        }
    }

    pub fn cache_max_age(&self) -> Option<Duration> {
        match self {
            FetchOutcome::Fetched(p) => p.cache_max_age,
            FetchOutcome::Unchanged(u) => u.cache_max_age,
        }
    }
}

/// Politeness state of one host.
struct HostState {
    permits: Arc<Semaphore>,
    next_start: Mutex<Instant>,
    crawl_delay: Mutex<Option<Duration>>,
}

struct RobotsEntry {
    robots: Robots,
    /// Why robots.txt could not be read; the host is disallowed until
    /// `expires`.
    unavailable: Option<String>,
    expires: Instant,
}

type RobotsCell = Arc<tokio::sync::Mutex<Option<RobotsEntry>>>;

struct Inner {
    client: reqwest::Client,
    config: FetchConfig,
    hosts: Mutex<HashMap<String, Arc<HostState>>>,
    robots: Mutex<HashMap<String, RobotsCell>>,
}

/// The polite fetcher. Cheap to clone (shared state); all clones share the
/// per-host limits and the robots.txt cache.
#[derive(Clone)]
pub struct Fetcher {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Fetcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fetcher")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}

/// What one request needs beyond its URL.
pub(crate) struct Spec<'a> {
    pub accept: &'a str,
    pub etag: Option<&'a str>,
    pub last_modified: Option<&'a str>,
    /// `Range: bytes=start-end` (inclusive); also asks for no content coding.
    pub range: Option<(u64, u64)>,
    pub limits: BodyLimits,
    pub retries: u32,
}

/// One HTTP exchange.
pub(crate) struct Exchange {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
    pub wire: u64,
}

fn header_str<'h>(headers: &'h HeaderMap, name: &header::HeaderName) -> Option<&'h str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn parse_url(url: &str) -> Result<Url, FetchError> {
    let mut u = Url::parse(url.trim()).map_err(|e| FetchError::InvalidUrl {
        url: url.to_string(),
        reason: e.to_string(),
    })?;
    u.set_fragment(None);
    Ok(u)
}

/// `host:port`, the key of per-host politeness.
fn host_key(url: &Url) -> String {
    format!(
        "{}:{}",
        url.host_str().unwrap_or(""),
        url.port_or_known_default().unwrap_or(0)
    )
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut parts = Vec::new();
    let mut src = e.source();
    while let Some(s) = src {
        let t = s.to_string();
        if !parts.contains(&t) {
            parts.push(t);
        }
        src = s.source();
    }
    if parts.is_empty() {
        e.to_string()
    } else {
        parts.join(": ")
    }
}

impl Fetcher {
    /// Builds the HTTP client (rustls with the ring provider and the
    /// platform's certificate verifier; our checking resolver; no proxies,
    /// no automatic redirects or decompression).
    pub fn new(config: FetchConfig) -> Result<Self, FetchError> {
        use rustls_platform_verifier::BuilderVerifierExt;
        let client_err = FetchError::Setup;
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let builder = || {
            rustls::ClientConfig::builder_with_provider(provider.clone())
                .with_safe_default_protocol_versions()
                .map_err(|e| client_err(e.to_string()))
        };
        let mut tls = match builder()?.with_platform_verifier() {
            Ok(b) => b.with_no_client_auth(),
            // No CA certificates on the system (a bare container): Mozilla's.
            Err(_) => builder()?
                .with_root_certificates(rustls::RootCertStore {
                    roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
                })
                .with_no_client_auth(),
        };
        tls.alpn_protocols = vec![b"http/1.1".to_vec()];
        let client = reqwest::Client::builder()
            .user_agent(config.user_agent.clone())
            .redirect(reqwest::redirect::Policy::none())
            // A proxy would resolve names itself, past our address check.
            .no_proxy()
            .connect_timeout(config.connect_timeout)
            .dns_resolver(Arc::new(CheckedResolver {
                policy: config.address_policy,
            }))
            .tls_backend_preconfigured(tls)
            .build()
            .map_err(|e| client_err(error_chain(&e)))?;
        Ok(Self {
            inner: Arc::new(Inner {
                client,
                config,
                hosts: Mutex::new(HashMap::new()),
                robots: Mutex::new(HashMap::new()),
            }),
        })
    }

    pub fn config(&self) -> &FetchConfig {
        &self.inner.config
    }

    /// GETs `request.url`: robots.txt and the address policy are checked for
    /// every hop, redirects are followed up to the limit, 304 gives
    /// [`FetchOutcome::Unchanged`], other non-2xx an error.
    pub async fn fetch(&self, request: &Request) -> Result<FetchOutcome, FetchError> {
        let c = &self.inner.config;
        let spec = Spec {
            accept: request.accept.as_deref().unwrap_or(DEFAULT_ACCEPT),
            etag: request.etag.as_deref(),
            last_modified: request.last_modified.as_deref(),
            range: None,
            limits: BodyLimits {
                wire: c.max_body_bytes,
                decoded: c.max_decoded_bytes,
                ratio: c.max_compression_ratio.max(1),
                stop_at_limit: false,
            },
            retries: c.retries,
        };
        self.fetch_spec(&request.url, &spec).await
    }

    /// `fetch` of a plain URL.
    pub async fn get(&self, url: &str) -> Result<FetchOutcome, FetchError> {
        self.fetch(&Request::new(url)).await
    }

    pub(crate) async fn fetch_spec(
        &self,
        requested: &str,
        spec: &Spec<'_>,
    ) -> Result<FetchOutcome, FetchError> {
        let config = &self.inner.config;
        let first = parse_url(requested)?;
        let mut url = first.clone();
        let mut seen: HashSet<String> = HashSet::from([url.as_str().to_string()]);
        let mut redirects = Vec::new();
        let mut attempts = 0u32;
        loop {
            self.check_address(&url)?;
            if config.respect_robots {
                self.check_robots(&url).await?;
            }
            let ex = self.hop(&url, spec, &mut attempts).await?;
            match ex.status {
                301 | 302 | 303 | 307 | 308 => {
                    let location = header_str(&ex.headers, &header::LOCATION).ok_or_else(|| {
                        FetchError::BadRedirect {
                            url: url.to_string(),
                            reason: format!("{} without a Location header", ex.status),
                        }
                    })?;
                    let mut next = url.join(location).map_err(|e| FetchError::BadRedirect {
                        url: url.to_string(),
                        reason: format!("Location `{location}`: {e}"),
                    })?;
                    next.set_fragment(None);
                    if redirects.len() >= config.max_redirects {
                        return Err(FetchError::TooManyRedirects {
                            url: first.to_string(),
                            limit: config.max_redirects,
                        });
                    }
                    if !seen.insert(next.as_str().to_string()) {
                        return Err(FetchError::RedirectLoop {
                            url: url.to_string(),
                            target: next.to_string(),
                        });
                    }
                    redirects.push(Redirect {
                        from: url.to_string(),
                        to: next.to_string(),
                        status: ex.status,
                    });
                    url = next;
                }
                304 => {
                    return Ok(FetchOutcome::Unchanged(Unchanged {
                        requested_url: first.to_string(),
                        final_url: url.to_string(),
                        moved_permanently: moved_permanently(&redirects, &url),
                        etag: header_str(&ex.headers, &header::ETAG)
                            .map(str::to_string)
                            .or_else(|| spec.etag.map(str::to_string)),
                        last_modified: header_str(&ex.headers, &header::LAST_MODIFIED)
                            .map(str::to_string)
                            .or_else(|| spec.last_modified.map(str::to_string)),
                        cache_max_age: header_str(&ex.headers, &header::CACHE_CONTROL)
                            .and_then(parse_max_age),
                        attempts,
                    }))
                }
                200..=299 => {
                    let h = &ex.headers;
                    return Ok(FetchOutcome::Fetched(Page {
                        requested_url: first.to_string(),
                        final_url: url.to_string(),
                        moved_permanently: moved_permanently(&redirects, &url),
                        redirects,
                        status: ex.status,
                        content_type: header_str(h, &header::CONTENT_TYPE).map(str::to_string),
                        etag: header_str(h, &header::ETAG).map(str::to_string),
                        last_modified: header_str(h, &header::LAST_MODIFIED).map(str::to_string),
                        cache_max_age: header_str(h, &header::CACHE_CONTROL)
                            .and_then(parse_max_age),
                        body: ex.body,
                        wire_bytes: ex.wire,
                        attempts,
                    }));
                }
                status => return Err(status_error(&url, status, &ex.headers)),
            }
        }
    }

    fn check_address(&self, url: &Url) -> Result<(), FetchError> {
        self.inner
            .config
            .address_policy
            .check_url(url)
            .map_err(|reason| FetchError::Refused {
                url: url.to_string(),
                reason,
            })
    }

    /// One URL, with retries.
    async fn hop(
        &self,
        url: &Url,
        spec: &Spec<'_>,
        attempts: &mut u32,
    ) -> Result<Exchange, FetchError> {
        let config = &self.inner.config;
        let mut retry = 0u32;
        loop {
            *attempts += 1;
            let err = match self.attempt(url, spec).await {
                Ok(ex) if !retryable_status(ex.status) => return Ok(ex),
                Ok(ex) => status_error(url, ex.status, &ex.headers),
                Err(e) => e,
            };
            if !retryable(&err) || retry >= spec.retries {
                return Err(err);
            }
            let wait = match err.retry_after() {
                Some(d) if d > config.max_retry_after => return Err(err),
                Some(d) => d,
                None => backoff_delay(retry, config.backoff_base, config.backoff_max),
            };
            retry += 1;
            tokio::time::sleep(wait).await;
        }
    }

    fn host_state(&self, url: &Url) -> Arc<HostState> {
        let key = host_key(url);
        let mut hosts = self
            .inner
            .hosts
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        hosts
            .entry(key)
            .or_insert_with(|| {
                Arc::new(HostState {
                    permits: Arc::new(Semaphore::new(
                        self.inner.config.per_host_concurrency.max(1),
                    )),
                    next_start: Mutex::new(Instant::now()),
                    crawl_delay: Mutex::new(None),
                })
            })
            .clone()
    }

    /// Waits for a free slot on the host and for its turn (the per-host
    /// delay); the permit is held for the whole exchange.
    async fn acquire(&self, url: &Url) -> Option<OwnedSemaphorePermit> {
        let host = self.host_state(url);
        // The semaphore is never closed, so this only fails in theory; then
        // the request goes ahead unlimited rather than failing.
        let permit = host.permits.clone().acquire_owned().await.ok();
        let crawl = *host
            .crawl_delay
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let delay = crawl
            .map(|d| d.min(self.inner.config.max_crawl_delay))
            .unwrap_or_default()
            .max(self.inner.config.per_host_delay);
        let start = {
            let mut next = host
                .next_start
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            let start = (*next).max(Instant::now());
            *next = start + delay;
            start
        };
        tokio::time::sleep_until(start).await;
        permit
    }

    /// One attempt at one URL: request, headers, and for 2xx the body.
    pub(crate) async fn attempt(&self, url: &Url, spec: &Spec<'_>) -> Result<Exchange, FetchError> {
        let config = &self.inner.config;
        let _permit = self.acquire(url).await;
        let deadline = Instant::now() + config.total_timeout;
        let mut headers = HeaderMap::new();
        let mut put = |name: header::HeaderName, value: &str| {
            if let Ok(v) = HeaderValue::from_str(value) {
                headers.insert(name, v);
            }
        };
        put(header::ACCEPT, spec.accept);
        if let Some((start, end)) = spec.range {
            put(header::RANGE, &format!("bytes={start}-{end}"));
            put(header::ACCEPT_ENCODING, "identity");
        } else {
            put(header::ACCEPT_ENCODING, ACCEPT_ENCODING);
        }
        if let Some(etag) = spec.etag {
            put(header::IF_NONE_MATCH, etag);
        }
        if let Some(lm) = spec.last_modified {
            put(header::IF_MODIFIED_SINCE, lm);
        }
        let request = self
            .inner
            .client
            .get(url.clone())
            .headers(headers)
            .build()
            .map_err(|e| FetchError::Client {
                url: url.to_string(),
                reason: error_chain(&e),
            })?;
        let mut response = self
            .timed(url, deadline, self.inner.client.execute(request))
            .await?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        if !(200..300).contains(&status) {
            return Ok(Exchange {
                status,
                headers,
                body: Vec::new(),
                wire: 0,
            });
        }
        let url_s = url.as_str();
        let expected =
            header_str(&headers, &header::CONTENT_LENGTH).and_then(|v| v.parse::<u64>().ok());
        if let Some(len) = expected {
            if len > spec.limits.wire && !spec.limits.stop_at_limit {
                return Err(FetchError::TooLarge {
                    url: url_s.to_string(),
                    limit: spec.limits.wire,
                });
            }
        }
        let encoding = if spec.range.is_some() {
            // Asked for identity; a server that compresses anyway gives us
            // bytes we cannot use for a prefix.
            None
        } else {
            header_str(&headers, &header::CONTENT_ENCODING)
        };
        let mut reader = BodyReader::new(url_s, encoding, spec.limits)?;
        let truncated = |received: u64| {
            expected
                .filter(|&e| received < e)
                .map(|e| FetchError::Truncated {
                    url: url_s.to_string(),
                    expected: e,
                    received,
                })
        };
        loop {
            match self.timed(url, deadline, response.chunk()).await {
                Ok(Some(chunk)) => {
                    if !reader.push(&chunk)? {
                        break;
                    }
                }
                Ok(None) => {
                    if let Some(e) = truncated(reader.wire_bytes()) {
                        return Err(e);
                    }
                    break;
                }
                Err(FetchError::Connect { reason, .. } | FetchError::Body { reason, .. }) => {
                    return Err(truncated(reader.wire_bytes()).unwrap_or(FetchError::Body {
                        url: url_s.to_string(),
                        reason,
                    }));
                }
                Err(e) => return Err(e),
            }
        }
        let wire = reader.wire_bytes();
        let body = reader.finish()?;
        Ok(Exchange {
            status,
            headers,
            body,
            wire,
        })
    }

    /// Runs `fut` under the attempt's deadline and the idle limit, whichever
    /// ends first, and maps client errors.
    async fn timed<T>(
        &self,
        url: &Url,
        deadline: Instant,
        fut: impl std::future::Future<Output = Result<T, reqwest::Error>>,
    ) -> Result<T, FetchError> {
        let config = &self.inner.config;
        let idle_end = Instant::now() + config.idle_timeout;
        let (end, phase, limit) = if idle_end < deadline {
            (idle_end, TimeoutPhase::Idle, config.idle_timeout)
        } else {
            (deadline, TimeoutPhase::Total, config.total_timeout)
        };
        match tokio::time::timeout_at(end, fut).await {
            Err(_) => Err(FetchError::Timeout {
                url: url.to_string(),
                phase,
                limit,
            }),
            Ok(Err(e)) => Err(self.client_error(url, &e)),
            Ok(Ok(v)) => Ok(v),
        }
    }

    fn client_error(&self, url: &Url, e: &reqwest::Error) -> FetchError {
        let mut src: Option<&(dyn std::error::Error + 'static)> = Some(e);
        while let Some(s) = src {
            if let Some(r) = s.downcast_ref::<RefusedByResolver>() {
                return FetchError::Refused {
                    url: url.to_string(),
                    reason: r.0.clone(),
                };
            }
            src = s.source();
        }
        let reason = error_chain(e);
        if e.is_timeout() {
            let connect = e.is_connect();
            FetchError::Timeout {
                url: url.to_string(),
                phase: if connect {
                    TimeoutPhase::Connect
                } else {
                    TimeoutPhase::Total
                },
                limit: if connect {
                    self.inner.config.connect_timeout
                } else {
                    self.inner.config.total_timeout
                },
            }
        } else if e.is_body() || e.is_decode() {
            FetchError::Body {
                url: url.to_string(),
                reason,
            }
        } else if e.is_connect() || e.is_request() {
            FetchError::Connect {
                url: url.to_string(),
                reason,
            }
        } else {
            FetchError::Client {
                url: url.to_string(),
                reason,
            }
        }
    }

    /// Checks robots.txt of `url`'s origin, fetching it when not cached or
    /// expired. Concurrent first requests to one origin wait for one fetch.
    async fn check_robots(&self, url: &Url) -> Result<(), FetchError> {
        let origin = url.origin().ascii_serialization();
        let cell = {
            let mut map = self
                .inner
                .robots
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            map.entry(origin).or_default().clone()
        };
        let mut entry = cell.lock().await;
        if entry.as_ref().is_none_or(|e| e.expires <= Instant::now()) {
            *entry = Some(self.load_robots(url).await?);
        }
        let Some(entry) = entry.as_ref() else {
            return Ok(());
        };
        if let Some(reason) = &entry.unavailable {
            return Err(FetchError::RobotsUnavailable {
                url: url.to_string(),
                reason: reason.clone(),
            });
        }
        let mut path = url.path().to_string();
        if let Some(q) = url.query() {
            path.push('?');
            path.push_str(q);
        }
        if entry.robots.allowed(&path) {
            Ok(())
        } else {
            Err(FetchError::RobotsDisallowed {
                url: url.to_string(),
            })
        }
    }

    /// Fetches and parses robots.txt for `url`'s origin. A 4xx allows all;
    /// 5xx, network errors and timeouts give an entry that disallows for
    /// `robots_error_ttl`. Refused addresses are returned as errors (not
    /// cached: the request itself would be refused).
    async fn load_robots(&self, url: &Url) -> Result<RobotsEntry, FetchError> {
        let config = &self.inner.config;
        let now = Instant::now();
        let ok = |robots: Robots| RobotsEntry {
            robots,
            unavailable: None,
            expires: now + config.robots_ttl,
        };
        let unavailable = |reason: String| RobotsEntry {
            robots: Robots::disallow_all(),
            unavailable: Some(reason),
            expires: now + config.robots_error_ttl,
        };
        let mut robots_url = url
            .join("/robots.txt")
            .map_err(|e| FetchError::InvalidUrl {
                url: url.to_string(),
                reason: e.to_string(),
            })?;
        let spec = Spec {
            accept: "text/plain, */*;q=0.5",
            etag: None,
            last_modified: None,
            range: None,
            limits: BodyLimits {
                wire: MAX_ROBOTS_BYTES as u64,
                decoded: MAX_ROBOTS_BYTES as u64,
                ratio: config.max_compression_ratio.max(1),
                stop_at_limit: true,
            },
            retries: 0,
        };
        // RFC 9309: follow at least five redirects.
        for _ in 0..=5 {
            if let Err(FetchError::Refused { reason, .. }) = self.check_address(&robots_url) {
                return Err(FetchError::Refused {
                    url: url.to_string(),
                    reason,
                });
            }
            let ex = match self.attempt(&robots_url, &spec).await {
                Ok(ex) => ex,
                // Named by the page asked for: the refusal is about its host.
                Err(FetchError::Refused { reason, .. }) => {
                    return Err(FetchError::Refused {
                        url: url.to_string(),
                        reason,
                    })
                }
                Err(e) => return Ok(unavailable(e.to_string())),
            };
            match ex.status {
                200..=299 => {
                    let robots =
                        Robots::parse(&String::from_utf8_lossy(&ex.body), &config.robots_token);
                    let host = self.host_state(url);
                    *host
                        .crawl_delay
                        .lock()
                        .unwrap_or_else(|poisoned| poisoned.into_inner()) = robots.crawl_delay();
                    return Ok(ok(robots));
                }
                301 | 302 | 303 | 307 | 308 => {
                    let next = header_str(&ex.headers, &header::LOCATION)
                        .and_then(|l| robots_url.join(l).ok());
                    match next {
                        Some(n) => robots_url = n,
                        // A redirect we cannot follow: as if there were none.
                        None => return Ok(ok(Robots::allow_all())),
                    }
                }
                400..=499 => return Ok(ok(Robots::allow_all())),
                s => return Ok(unavailable(format!("HTTP {s} for {robots_url}"))),
            }
        }
        Ok(ok(Robots::allow_all()))
    }
}

/// The final URL when every hop was permanent (301/308).
fn moved_permanently(redirects: &[Redirect], last: &Url) -> Option<String> {
    let permanent =
        !redirects.is_empty() && redirects.iter().all(|r| matches!(r.status, 301 | 308));
    permanent.then(|| last.to_string())
}

fn retryable_status(status: u16) -> bool {
    matches!(status, 408 | 425 | 429) || (500..=599).contains(&status)
}

fn retryable(e: &FetchError) -> bool {
    match e {
        FetchError::Status { status, .. } => retryable_status(*status),
        FetchError::Timeout { .. }
        | FetchError::Connect { .. }
        | FetchError::Truncated { .. }
        | FetchError::Body { .. } => true,
        _ => false,
    }
}

fn status_error(url: &Url, status: u16, headers: &HeaderMap) -> FetchError {
    FetchError::Status {
        url: url.to_string(),
        status,
        retry_after: header_str(headers, &header::RETRY_AFTER)
            .and_then(|v| parse_retry_after(v, SystemTime::now())),
    }
}
