//! The running desk. A scheduler polls the followed sources when they are
//! due; each poll fetches the feed (conditional GET), parses it, completes
//! its new items from their article pages (`page.rs`) and measures and
//! caches their lead images; then the source's items are stored as one
//! batch (one transaction), analysed and decided as an ingest is, the
//! search index follows, and the source's health is recorded.
//!
//! Threads: the polls run as tokio tasks (the fetcher keeps its per-host
//! limits and delays across them); the task running [`run`] owns the store
//! and does every write, one finished poll at a time. Poll tasks read the
//! store through a second connection (WAL readers do not block the writer).
//!
//! Stopping: when the `stop` future given to [`run`] resolves, no new poll
//! starts and the polls in flight are abandoned: nothing of theirs was
//! written (a poll writes only when it has finished, in one transaction),
//! so their sources stay due with the health they had. A poll whose batch
//! is being written when it resolves is finished first.
//!
//! What happens is told to a [`RunObserver`] as it happens (the binary
//! prints it and counts it in its metrics); [`run`] returns the totals.

mod page;

use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use newsdesk_fetch::schedule::{
    feed_hints, FeedHints, PollPolicy, PollResult, Polling, SourceHealth,
};
use newsdesk_fetch::{AddressPolicy, ErrorKind, FetchConfig, FetchOutcome, Fetcher, ImageCache};
use newsdesk_store::{Batch, DeskStore, Outcome, SourceInfo};
use tokio::task::JoinSet;

use crate::analysis::Done;
use crate::pipeline::{add_decided, batch_of, Desk};
use crate::search_sync::Syncer;
use crate::sources::{health_of, poll_record};
use crate::{Decided, DeskError, DeskPaths};
use newsdesk_config::Settings;

/// How a run behaves. Plain data: the binary fills it from its flags.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Poll every due source once, then return.
    pub once: bool,
    /// Poll every followed source (not dead) now, due or not, the first time.
    pub force: bool,
    /// Allow loopback addresses (refused by default).
    pub allow_loopback: bool,
    /// Allow private, link-local and shared addresses (refused by default).
    pub allow_private: bool,
    /// Complete new items from their article pages (and lead images).
    pub fetch_pages: bool,
    /// Sources polled at once.
    pub concurrency: usize,
    /// The image cache's cap, in bytes.
    pub image_cache_bytes: u64,
    /// One lead image larger than this is not cached.
    pub max_image_bytes: u64,
    /// The fetcher's politeness and limits (its address policy is set from
    /// `allow_loopback` and `allow_private`).
    pub fetch: FetchConfig,
    /// How often sources are polled.
    pub poll: PollPolicy,
}

impl Default for RunOptions {
    /// `newsdesk run`'s defaults.
    fn default() -> RunOptions {
        RunOptions {
            once: false,
            force: false,
            allow_loopback: false,
            allow_private: false,
            fetch_pages: true,
            concurrency: 8,
            image_cache_bytes: 512 << 20,
            max_image_bytes: MAX_IMAGE_BYTES,
            fetch: FetchConfig::default(),
            poll: PollPolicy::default(),
        }
    }
}

impl RunOptions {
    /// A run as the configuration describes it (`[run]`, `[fetch]`,
    /// `[images]`); `once` and `force` are the caller's. What the settings do
    /// not name keeps the fetcher's and the scheduler's own defaults.
    pub fn from_settings(s: &Settings) -> RunOptions {
        let mib = |n: &u64| n.saturating_mul(1 << 20);
        let f = &s.fetch;
        RunOptions {
            once: false,
            force: false,
            allow_loopback: *s.run.allow_loopback.get(),
            allow_private: *s.run.allow_private.get(),
            fetch_pages: *s.run.fetch_pages.get(),
            concurrency: *s.run.concurrency.get(),
            image_cache_bytes: mib(s.images.cache_mb.get()),
            max_image_bytes: mib(s.images.max_image_mb.get()),
            fetch: FetchConfig {
                user_agent: f.user_agent.get().clone(),
                per_host_concurrency: *f.per_host_concurrency.get(),
                per_host_delay: Duration::from_millis(*f.per_host_delay_ms.get()),
                max_crawl_delay: Duration::from_secs(*f.max_crawl_delay_secs.get()),
                connect_timeout: Duration::from_secs(*f.connect_timeout_secs.get()),
                total_timeout: Duration::from_secs(*f.total_timeout_secs.get()),
                idle_timeout: Duration::from_secs(*f.idle_timeout_secs.get()),
                max_redirects: *f.max_redirects.get(),
                max_body_bytes: mib(f.max_body_mb.get()),
                max_decoded_bytes: mib(f.max_decoded_mb.get()),
                retries: *f.retries.get(),
                ..FetchConfig::default()
            },
            poll: PollPolicy {
                min_interval: Duration::from_secs(*s.run.min_poll_interval_secs.get()),
                max_interval: Duration::from_secs(*s.run.max_poll_interval_secs.get()),
                ..PollPolicy::default()
            },
        }
    }
}

/// One lead image larger than this is not cached (its size is still read
/// from its first bytes).
pub const MAX_IMAGE_BYTES: u64 = 8 << 20;

/// The scheduler looks at the store at least this often (sources added by
/// another process are picked up).
pub const IDLE_WAKE: Duration = Duration::from_secs(60);

/// Counts of a run, or of one poll.
#[derive(Debug, Default, Clone)]
pub struct RunSummary {
    pub polls: usize,
    /// Feeds fetched (200).
    pub fetched: usize,
    /// Feeds unchanged (304).
    pub unchanged: usize,
    /// Polls that failed.
    pub failed: usize,
    /// Articles stored new.
    pub stored: usize,
    pub updated: usize,
    /// Article pages fetched.
    pub pages: usize,
    pub analysed: Done,
    pub decided: Decided,
    /// Batches that could not be stored or analysed, or health that could
    /// not be recorded (the desk's own trouble, not a source's).
    pub desk_errors: usize,
}

impl RunSummary {
    fn add(&mut self, o: &RunSummary) {
        self.polls += o.polls;
        self.fetched += o.fetched;
        self.unchanged += o.unchanged;
        self.failed += o.failed;
        self.stored += o.stored;
        self.updated += o.updated;
        self.pages += o.pages;
        self.analysed.analysed += o.analysed.analysed;
        self.analysed.copies += o.analysed.copies;
        self.analysed.changed += o.analysed.changed;
        add_decided(&mut self.decided, &o.decided);
        self.desk_errors += o.desk_errors;
    }

    /// The counts as the metrics' counters: name (`..._total`) and value.
    pub fn counters(&self) -> [(&'static str, u64); 10] {
        [
            ("fetch_polls_total", self.polls),
            ("fetch_feeds_fetched_total", self.fetched),
            ("fetch_feeds_unchanged_total", self.unchanged),
            ("fetch_failures_total", self.failed),
            ("fetch_pages_total", self.pages),
            ("ingest_articles_stored_total", self.stored),
            ("ingest_articles_updated_total", self.updated),
            ("desk_errors_total", self.desk_errors),
            ("analysis_articles_total", self.analysed.analysed),
            ("editorial_decisions_total", self.decided.decided),
        ]
        .map(|(name, n)| (name, n as u64))
    }
}

#[cfg(test)]
mod counter_tests {
    use super::*;

    #[test]
    fn every_count_is_one_named_counter() {
        let c = RunSummary {
            polls: 1,
            fetched: 2,
            unchanged: 3,
            failed: 4,
            pages: 5,
            stored: 6,
            updated: 7,
            desk_errors: 8,
            analysed: Done {
                analysed: 9,
                ..Done::default()
            },
            decided: Decided {
                decided: 10,
                ..Decided::default()
            },
        }
        .counters();
        let mut names: Vec<&str> = c.iter().map(|(n, _)| *n).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), 10);
        assert!(names.iter().all(|n| n.ends_with("_total")));
        let mut values: Vec<u64> = c.iter().map(|(_, v)| *v).collect();
        values.sort();
        assert_eq!(values, (1..=10).collect::<Vec<u64>>());
        assert!(c.contains(&("fetch_polls_total", 1)));
        assert!(c.contains(&("editorial_decisions_total", 10)));
    }
}

/// How a poll went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PollOutcome {
    /// The feed was fetched: its items, those stored new or updated, and
    /// the article pages fetched.
    Fetched {
        items: usize,
        new: usize,
        updated: usize,
        pages: usize,
    },
    /// 304 Not Modified.
    Unchanged,
    /// The poll failed (`message` names the URL), the `consecutive_errors`th
    /// time in a row.
    Failed {
        message: String,
        consecutive_errors: u32,
    },
}

/// When a source is polled next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NextPoll {
    /// Never: the source is dead (410 Gone) until followed again.
    Dead,
    At(DateTime<Utc>),
    Now,
}

/// One finished poll, after its batch was stored, analysed and decided.
#[derive(Debug, Clone)]
pub struct PollReport {
    /// The source (its new URL after a permanent move).
    pub locator: String,
    pub outcome: PollOutcome,
    pub next: NextPoll,
    /// Problems that did not fail the poll (a page or image that could not
    /// be fetched, a skipped entry, a damaged feed, a permanent move).
    pub notes: Vec<String>,
    /// What this poll adds to the run's counts.
    pub counts: RunSummary,
    /// Storing, analysing and deciding it.
    pub took: Duration,
}

/// What a run tells as it goes. Every method does nothing by default.
pub trait RunObserver {
    /// The desk opened and caught up on what was pending.
    fn caught_up(&mut self, _analysed: &Done, _decided: &Decided) {}
    /// The sources followed, and how many are due now.
    fn following(&mut self, _sources: usize, _due: usize) {}
    /// No source is followed (told once).
    fn no_sources(&mut self) {}
    /// A poll finished and was written.
    fn polled(&mut self, _poll: &PollReport) {}
    /// A poll task stopped unexpectedly (counted as a failed poll).
    fn poll_lost(&mut self, _locator: &str, _error: &str) {}
    /// The stop future resolved with `signal`; `abandoned` polls in flight
    /// were dropped, nothing of theirs written.
    fn stopping(&mut self, _signal: &str, _abandoned: usize) {}
}

/// An observer that tells nothing.
impl RunObserver for () {}

/// What the poll tasks share.
struct Shared {
    fetcher: Fetcher,
    images: ImageCache,
    /// A second connection, for the tasks' look-ups.
    reader: Mutex<Box<dyn DeskStore>>,
    fetch_pages: bool,
}

/// What a finished poll hands to the writer.
struct Polled {
    locator: String,
    health: SourceHealth,
    /// `new_items` is filled in once the batch is stored.
    result: PollResult,
    /// Shown instead of the fetcher's class when the body could not be read
    /// as a feed.
    error_kind: Option<&'static str>,
    status: Option<u16>,
    /// The source's new URL after a permanent redirect.
    moved_to: Option<String>,
    batch: Option<Batch>,
    items: usize,
    pages: usize,
    notes: Vec<String>,
}

/// Why [`run_beside`] stopped with an error.
#[derive(Debug, thiserror::Error)]
pub enum BesideError {
    #[error(transparent)]
    Desk(#[from] DeskError),
    /// What ran beside the desk (the binary's HTTP server) failed, stopped
    /// before the desk, or panicked.
    #[error("{0}")]
    Beside(String),
}

/// Runs the desk ([`run`]) and, spawned beside it, `beside` (the binary's
/// HTTP server, which this crate does not know) until `stop` resolves or
/// `beside` ends. When the desk stops, `desk_stopped` is called (it should
/// make `beside` finish, as a server finishes the requests in flight) and
/// `beside` is waited for. Must run on a Tokio runtime.
pub async fn run_beside<B, E, S>(
    paths: &DeskPaths,
    opts: &RunOptions,
    beside: B,
    desk_stopped: impl FnOnce(),
    stop: S,
    observer: &mut dyn RunObserver,
) -> Result<RunSummary, BesideError>
where
    B: Future<Output = Result<(), E>> + Send + 'static,
    E: std::fmt::Display + Send + 'static,
    S: Future<Output = &'static str>,
{
    let mut beside = tokio::spawn(beside);
    let desk = run(paths, opts, stop, observer);
    tokio::pin!(desk);
    let ended = tokio::select! {
        done = &mut desk => {
            desk_stopped();
            match beside.await {
                Ok(Ok(())) => return done.map_err(BesideError::from),
                ended => ended,
            }
        }
        ended = &mut beside => ended,
    };
    Err(BesideError::Beside(match ended {
        Ok(Err(e)) => e.to_string(),
        Ok(Ok(())) => "it stopped before the desk".to_string(),
        Err(e) => format!("stopped unexpectedly: {e}"),
    }))
}

/// Runs the desk: opens it over the store (catching up on what is
/// pending), then polls the followed sources when due until `stop`
/// resolves (or, with [`RunOptions::once`], until every due source was
/// polled once). Returns the run's counts.
pub async fn run<S>(
    paths: &DeskPaths,
    opts: &RunOptions,
    stop: S,
    observer: &mut dyn RunObserver,
) -> Result<RunSummary, DeskError>
where
    S: Future<Output = &'static str>,
{
    tokio::pin!(stop);
    let mut store = paths.open_store()?;
    let (mut desk, caught_up, decided) = Desk::open(&mut *store, &paths.data_dir, Utc::now())?;
    // The search index follows each poll (the outbox keeps what it misses).
    let mut syncer = Syncer::open(paths, &mut *store);
    syncer.finish(&mut *store);
    observer.caught_up(&caught_up, &decided);
    let config = FetchConfig {
        address_policy: AddressPolicy {
            allow_loopback: opts.allow_loopback,
            allow_private: opts.allow_private,
        },
        ..opts.fetch.clone()
    };
    let images_dir = paths.data_dir.join("images");
    let shared = Arc::new(Shared {
        fetcher: Fetcher::new(config)?,
        images: ImageCache::new(&images_dir, opts.max_image_bytes, opts.image_cache_bytes)
            .map_err(|source| DeskError::Create {
                what: format!("the image cache {}", images_dir.display()),
                source,
            })?,
        reader: Mutex::new(paths.open_store()?),
        fetch_pages: opts.fetch_pages,
    });
    let policy = opts.poll;
    let mut tasks: JoinSet<Polled> = JoinSet::new();
    let mut in_flight: HashMap<tokio::task::Id, String> = HashMap::new();
    let mut started: HashSet<String> = HashSet::new();
    let mut sum = RunSummary::default();
    let followed = store.followed_sources()?;
    let now = Utc::now();
    let due = followed
        .iter()
        .map(|s| health_of(paths, s))
        .filter(|h| !h.dead && (opts.force || h.is_due(now)))
        .count();
    observer.following(followed.len(), due);
    let mut said_idle = false;
    let mut stopped_by = None;
    loop {
        // Start the polls that are due.
        let now = Utc::now();
        let sources = store.followed_sources()?;
        if sources.is_empty() && !said_idle {
            observer.no_sources();
            said_idle = true;
        }
        let mut wake = now + IDLE_WAKE;
        for source in sources {
            let busy = in_flight.values().any(|l| *l == source.locator);
            if busy || (opts.once && started.contains(&source.locator)) {
                continue;
            }
            let health = health_of(paths, &source);
            if health.dead {
                continue;
            }
            let forced = opts.force && !started.contains(&source.locator);
            if !forced && !health.is_due(now) {
                if let Some(t) = health.next_poll {
                    wake = wake.min(t);
                }
                continue;
            }
            if tasks.len() >= opts.concurrency.max(1) {
                // Started when a slot frees up.
                continue;
            }
            started.insert(source.locator.clone());
            let shared = shared.clone();
            let locator = source.locator.clone();
            let title = source.title.clone();
            let handle = tasks.spawn(async move { poll(&shared, locator, title, health).await });
            in_flight.insert(handle.id(), source.locator);
        }
        if opts.once && tasks.is_empty() {
            break;
        }
        let sleep = (wake - Utc::now()).to_std().unwrap_or(Duration::ZERO);
        tokio::select! {
            signal = &mut stop => {
                stopped_by = Some(signal);
                break;
            }
            Some(joined) = tasks.join_next_with_id(), if !tasks.is_empty() => {
                match joined {
                    Ok((id, polled)) => {
                        in_flight.remove(&id);
                        let began = Instant::now();
                        let mut report = finish(&mut *store, &mut desk, &policy, polled);
                        report.took = began.elapsed();
                        sum.add(&report.counts);
                        observer.polled(&report);
                        syncer.finish(&mut *store);
                    }
                    Err(e) => {
                        let locator = in_flight.remove(&e.id()).unwrap_or_default();
                        sum.polls += 1;
                        sum.failed += 1;
                        observer.poll_lost(&locator, &e.to_string());
                    }
                }
            }
            _ = tokio::time::sleep(sleep), if !opts.once => {}
        }
    }
    if let Some(signal) = stopped_by {
        let abandoned = tasks.len();
        tasks.abort_all();
        while tasks.join_next().await.is_some() {}
        observer.stopping(signal, abandoned);
    }
    Ok(sum)
}

/// Stores a finished poll's batch (one transaction), analyses and decides
/// it, follows a permanent move and records the source's health.
fn finish(
    store: &mut dyn DeskStore,
    desk: &mut Desk,
    policy: &PollPolicy,
    mut p: Polled,
) -> PollReport {
    let now = Utc::now();
    let mut sum = RunSummary {
        polls: 1,
        pages: p.pages,
        ..RunSummary::default()
    };
    let mut counts = None;
    if let Some(batch) = p.batch.take() {
        match store.ingest(&batch, now) {
            Ok(report) => {
                let (new, updated) = (
                    report.count(Outcome::Stored),
                    report.count(Outcome::Updated),
                );
                sum.stored += new;
                sum.updated += updated;
                counts = Some((new, updated));
                if let PollResult::Fetched { new_items, .. } = &mut p.result {
                    *new_items = new;
                }
                let d = desk.digest(store, &report, now);
                sum.analysed = d.done;
                sum.decided = d.decided;
                if let Some(e) = d.error {
                    // Stored; the analysis is redone by the next run.
                    sum.desk_errors += 1;
                    p.notes.push(e);
                }
            }
            Err(e) => {
                // Nothing was written. Not a success: the validators are not
                // kept, so the next poll fetches the feed again.
                sum.desk_errors += 1;
                p.result = PollResult::Failed {
                    kind: ErrorKind::Io,
                    message: format!("{}: storing its items failed: {e}", p.locator),
                    retry_after: None,
                    gone: false,
                };
                p.error_kind = Some("store");
            }
        }
    }
    if let Some(to) = &p.moved_to {
        match store.move_source(&p.locator, to) {
            Ok(()) => {
                p.notes
                    .push(format!("moved permanently to {to}; following it there"));
                p.locator = to.clone();
            }
            Err(e) => p.notes.push(format!("moved permanently to {to}, but: {e}")),
        }
    }
    p.health.record(&p.result, now, policy);
    if let (Some(kind), PollResult::Failed { .. }) = (p.error_kind, &p.result) {
        p.health.last_error_kind = Some(kind.to_string());
    }
    if let Err(e) = store.record_poll(&p.locator, &poll_record(&p.health, p.status)) {
        sum.desk_errors += 1;
        p.notes
            .push(format!("its health could not be recorded: {e}"));
    }
    let next = match (&p.health.next_poll, p.health.dead) {
        (_, true) => NextPoll::Dead,
        (Some(t), false) => NextPoll::At(*t),
        (None, false) => NextPoll::Now,
    };
    let outcome = match &p.result {
        PollResult::Fetched { .. } => {
            sum.fetched += 1;
            let (new, updated) = counts.unwrap_or((0, 0));
            PollOutcome::Fetched {
                items: p.items,
                new,
                updated,
                pages: p.pages,
            }
        }
        PollResult::Unchanged { .. } => {
            sum.unchanged += 1;
            PollOutcome::Unchanged
        }
        PollResult::Failed { message, .. } => {
            sum.failed += 1;
            PollOutcome::Failed {
                message: message.clone(),
                consecutive_errors: p.health.consecutive_errors,
            }
        }
    };
    PollReport {
        locator: p.locator,
        outcome,
        next,
        notes: p.notes,
        counts: sum,
        took: Duration::ZERO,
    }
}

/// One poll of one source: the feed, then its items completed. Writes
/// nothing.
async fn poll(
    shared: &Shared,
    locator: String,
    title: Option<String>,
    health: SourceHealth,
) -> Polled {
    let result = shared.fetcher.fetch(&health.request(&locator)).await;
    let mut p = Polled {
        result: PollResult::from_fetch(&result, 0, FeedHints::default()),
        locator,
        health,
        error_kind: None,
        status: None,
        moved_to: None,
        batch: None,
        items: 0,
        pages: 0,
        notes: Vec::new(),
    };
    let page = match result {
        Err(e) => {
            p.status = e.status();
            return p;
        }
        Ok(FetchOutcome::Unchanged(u)) => {
            p.status = Some(304);
            p.moved_to = u.moved_permanently;
            return p;
        }
        Ok(FetchOutcome::Fetched(page)) => page,
    };
    p.status = Some(page.status);
    p.moved_to = page.moved_permanently.clone();
    if let PollResult::Fetched { hints, .. } = &mut p.result {
        *hints = feed_hints(&page.text().text);
    }
    let parsed = match newsdesk_ingest::prepare::from_feed(&page.body, &p.locator) {
        Ok(parsed) => parsed,
        Err(e) => {
            p.result = PollResult::Failed {
                kind: ErrorKind::Body,
                message: format!("not a feed: {e}"),
                retry_after: None,
                gone: false,
            };
            p.error_kind = Some("not-a-feed");
            p.moved_to = None;
            return p;
        }
    };
    drop(page);
    p.notes
        .extend(parsed.warnings.iter().map(|w| format!("feed: {w}")));
    p.notes
        .extend(parsed.skipped.iter().map(|s| format!("skipped {s}")));
    p.items = parsed.articles.len();
    let mut articles = parsed.articles;
    for a in &mut articles {
        page::complete(shared, &p.locator, a, &mut p.pages, &mut p.notes).await;
    }
    let source = SourceInfo {
        locator: p.locator.clone(),
        kind: parsed.source_kind,
        // A title given with `sources add` wins over the feed's.
        title: title.or(parsed.source_title),
    };
    p.batch = batch_of(source, articles, &mut p.notes);
    p
}
