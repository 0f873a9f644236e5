//! The polite web fetcher: how the desk reads feeds, pages and images from
//! the web without hurting the sites it follows or being turned against the
//! machine it runs on.
//!
//! - [`Fetcher`] (async, tokio) GETs a URL: per-host concurrency limit and
//!   minimum delay between request starts (`Crawl-delay` raises it);
//!   robots.txt fetched once per origin and cached (a 4xx allows all, a 5xx
//!   or an unreachable robots.txt disallows the origin for a while);
//!   conditional GET (304 gives [`FetchOutcome::Unchanged`]); redirects
//!   followed here, hop by hop, so every hop is checked (addresses, robots)
//!   and loops and long chains end with an error; gzip / deflate / br
//!   decoded here under a cap on decoded bytes and on the compression ratio;
//!   a cap on received bytes, read as a stream; connect, whole-request and
//!   idle-read timeouts; retries with exponential backoff and full jitter
//!   after connect errors, timeouts, truncated bodies, 408, 429 and 5xx,
//!   waiting out a short `Retry-After`.
//! - Outbound safety ([`AddressPolicy`]): private, loopback, link-local,
//!   CGNAT, unspecified, broadcast and cloud-metadata addresses are refused
//!   by default — checked after our own DNS resolution on every address, and
//!   the connection goes to a checked address, so DNS rebinding cannot
//!   switch it; address literals are checked before each hop.
//! - [`Page::text`] / [`decode_body`]: charset from BOM, header (a UTF-8
//!   claim over bytes that are not UTF-8 is ignored), `<meta>`, XML
//!   declaration, then chardetng (`newsdesk_normalize::charset::decode_http`).
//! - [`schedule`]: per-source health and the polling schedule as plain data
//!   and pure functions (adaptive intervals, RSS `ttl`/`skipHours`/
//!   `skipDays`, `Retry-After`, `Cache-Control: max-age`, error backoff, 410
//!   marks a source dead).
//! - Lead images: [`Fetcher::image_size`] reads dimensions from the first
//!   bytes (4 KiB, then up to 64 KiB), [`Fetcher::cache_image`] keeps images
//!   in an [`ImageCache`] folder under a per-file and a total cap.
//!
//! Every error is a [`FetchError`] that names the URL (the hop that failed)
//! and says why; [`FetchError::kind`] gives a stable class.
//!
//! # Driving it from `newsdesk run`
//!
//! One [`Fetcher`] per process (clone it into tasks: clones share the
//! per-host limits and the robots.txt cache). For each source, keep a
//! [`schedule::SourceHealth`] in the store. One round:
//!
//! ```no_run
//! use chrono::Utc;
//! use newsdesk_fetch::schedule::{feed_hints, PollPolicy, PollResult, Polling, SourceHealth};
//! use newsdesk_fetch::{FetchConfig, FetchOutcome, Fetcher};
//!
//! # async fn round(sources: Vec<(String, SourceHealth)>) -> Result<(), newsdesk_fetch::FetchError> {
//! let fetcher = Fetcher::new(FetchConfig::default())?;
//! let policy = PollPolicy::default();
//! let now = Utc::now();
//! let mut tasks = tokio::task::JoinSet::new();
//! for (url, health) in sources.into_iter().filter(|(_, h)| h.is_due(now)) {
//!     let fetcher = fetcher.clone();
//!     tasks.spawn(async move {
//!         let result = fetcher.fetch(&health.request(&url)).await;
//!         (url, health, result)
//!     });
//! }
//! while let Some(Ok((url, mut health, result))) = tasks.join_next().await {
//!     let (new_items, hints) = match &result {
//!         Ok(FetchOutcome::Fetched(page)) => {
//!             // Parse page.body (raw bytes; the feed reader finds the
//!             // charset), store the items, count the new ones.
//!             # let new_items = 0;
//!             (new_items, feed_hints(&page.text().text))
//!             // page.moved_permanently: update the source's URL.
//!         }
//!         _ => (0, Default::default()),
//!     };
//!     health.record(&PollResult::from_fetch(&result, new_items, hints), Utc::now(), &policy);
//!     // Store `health` for `url`; the next round polls it at health.next_poll.
//! #   let _ = url;
//! }
//! # Ok(()) }
//! ```
//!
//! Article pages found in feeds go through the same [`Fetcher::fetch`]
//! (then `newsdesk_extract::extract`), their lead images through
//! [`Fetcher::image_size`] or [`Fetcher::cache_image`].

mod body;
mod error;
mod fetcher;
mod headers;
mod image;
mod robots;
mod safety;
pub mod schedule;

pub use error::{ErrorKind, FetchError, Refusal, TimeoutPhase};
pub use fetcher::{FetchConfig, FetchOutcome, Fetcher, Page, Redirect, Request, Unchanged};
pub use headers::{backoff_delay, parse_max_age, parse_retry_after};
pub use image::{CachedImage, ImageCache, ImageInfo};
pub use newsdesk_normalize::charset::{
    charset_param, decode_http as decode_body, Decoded, Source as CharsetSource,
};
pub use robots::Robots;
pub use safety::AddressPolicy;
