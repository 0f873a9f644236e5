//! `newsdesk run`: the running desk. A scheduler polls the followed sources
//! when they are due; each poll fetches the feed (conditional GET), parses
//! it, completes its new items from their article pages (main text, date,
//! lead image, canonical and AMP links, author, language) and measures and
//! caches their lead images; then the source's items are stored as one batch
//! (one transaction), analysed and decided as `ingest` does, and the
//! source's health is recorded.
//!
//! Threads: the polls run as tokio tasks (the fetcher keeps its per-host
//! limits and delays across them); this thread owns the store and does
//! every write, one finished poll at a time. Poll tasks read the store
//! through a second connection (WAL readers do not block the writer).
//!
//! Stopping: on SIGINT (Ctrl-C) or SIGTERM no new poll starts and the polls
//! in flight are abandoned: nothing of theirs was written (a poll writes only
//! when it has finished, in one transaction), so their sources stay due with
//! the health they had. A poll whose batch is being written when the signal
//! arrives is finished first.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::Context;
use chrono::{DateTime, Utc};
use newsdesk_fetch::schedule::{
    feed_hints, FeedHints, PollPolicy, PollResult, Polling, SourceHealth,
};
use newsdesk_fetch::{
    AddressPolicy, ErrorKind, FetchConfig, FetchError, FetchOutcome, Fetcher, ImageCache, Request,
};
use newsdesk_ingest::prepare::EXCERPT_CHARS;
use newsdesk_model::{Article, Image};
use newsdesk_normalize as norm;
use newsdesk_store::{Batch, DeskStore, Outcome, SourceInfo};
use tokio::task::JoinSet;

use crate::ingest::{batch_of, open_store};
use crate::sources::{health_of, poll_record};
use newsdesk_desk::analysis::Done;
use newsdesk_desk::pipeline::{add_decided, Desk};
use newsdesk_desk::Decided;

/// How `newsdesk run` behaves.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Poll every due source once, then exit.
    pub once: bool,
    /// Poll every followed source (not dead) now, due or not, the first time.
    pub force: bool,
    pub allow_loopback: bool,
    pub allow_private: bool,
    /// Complete new items from their article pages (and lead images).
    pub fetch_pages: bool,
    /// Sources polled at once.
    pub concurrency: usize,
    /// The image cache's cap, in bytes.
    pub image_cache_bytes: u64,
}

/// One lead image larger than this is not cached (its size is still read
/// from its first bytes).
const MAX_IMAGE_BYTES: u64 = 8 << 20;

/// The scheduler looks at the store at least this often (sources added by
/// another process are picked up).
const IDLE_WAKE: Duration = Duration::from_secs(60);

const PAGE_ACCEPT: &str = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5";

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
    /// Problems that did not fail the poll (a page or image that could not
    /// be fetched, a skipped entry, a damaged feed).
    notes: Vec<String>,
}

#[derive(Default, Clone)]
struct Summary {
    polls: usize,
    fetched: usize,
    unchanged: usize,
    failed: usize,
    stored: usize,
    updated: usize,
    pages: usize,
    analysed: Done,
    decided: Decided,
    /// Batches that could not be stored or analysed (the desk's own
    /// trouble, not a source's).
    desk_errors: usize,
}

/// `newsdesk run`; with `serve`, the HTTP server runs beside the pipeline in
/// the same process (one metrics registry: `/metrics` shows the polls too).
pub fn run(
    data_dir: &Path,
    opts: &RunOptions,
    serve: Option<(std::net::SocketAddr, crate::serve_cmd::Options)>,
) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the scheduler's runtime")?;
    let metrics = Arc::new(newsdesk_server::Metrics::default());
    let Some((addr, options)) = serve else {
        return runtime.block_on(desk_loop(data_dir, opts, &metrics));
    };
    // The pipeline writes the search index after each poll: no keeper.
    let (stop_server, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = crate::serve_cmd::server(data_dir, addr, options, metrics.clone(), None, async {
        let _ = stopped.await;
    })?;
    runtime.block_on(async {
        let mut server = tokio::spawn(server);
        let desk = desk_loop(data_dir, opts, &metrics);
        tokio::pin!(desk);
        tokio::select! {
            done = &mut desk => {
                // The pipeline stopped (Ctrl-C or --once): the server
                // finishes the requests in flight and stops too.
                let _ = stop_server.send(());
                match server.await {
                    Ok(Err(e)) => eprintln!("server: {e}"),
                    Err(e) => eprintln!("server: stopped unexpectedly: {e}"),
                    Ok(Ok(())) => {}
                }
                done
            }
            ended = &mut server => match ended {
                // It cannot listen (or failed): stop rather than run unseen.
                Ok(Err(e)) => Err(anyhow::Error::new(e).context("serving")),
                Ok(Ok(())) => Err(anyhow::anyhow!("the server stopped")),
                Err(e) => Err(anyhow::anyhow!("the server stopped unexpectedly: {e}")),
            },
        }
    })
}

/// Resolves on SIGINT or SIGTERM (Ctrl-C elsewhere); the handlers are
/// installed before this returns.
fn stop_signal() -> anyhow::Result<impl std::future::Future<Output = &'static str>> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut int = signal(SignalKind::interrupt()).context("listening for SIGINT")?;
        let mut term = signal(SignalKind::terminate()).context("listening for SIGTERM")?;
        Ok(async move {
            tokio::select! {
                _ = int.recv() => "SIGINT",
                _ = term.recv() => "SIGTERM",
            }
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            let _ = tokio::signal::ctrl_c().await;
            "Ctrl-C"
        })
    }
}

async fn desk_loop(
    data_dir: &Path,
    opts: &RunOptions,
    metrics: &newsdesk_server::Metrics,
) -> anyhow::Result<ExitCode> {
    let stop = stop_signal()?;
    tokio::pin!(stop);
    let mut store = open_store(data_dir)?;
    let (mut desk, caught_up, decided) = Desk::open(&mut *store, data_dir, Utc::now())?;
    // The search index follows each poll (the outbox keeps what it misses).
    let mut syncer = crate::search_sync::Syncer::open(data_dir, &mut *store);
    syncer.finish(&mut *store);
    if caught_up.analysed > 0 || decided.decided > 0 {
        eprintln!(
            "caught up: {} articles analysed, {} decided",
            caught_up.analysed, decided.decided
        );
    }
    let config = FetchConfig {
        address_policy: AddressPolicy {
            allow_loopback: opts.allow_loopback,
            allow_private: opts.allow_private,
        },
        ..FetchConfig::default()
    };
    let images_dir = data_dir.join("images");
    let shared = Arc::new(Shared {
        fetcher: Fetcher::new(config)?,
        images: ImageCache::new(&images_dir, MAX_IMAGE_BYTES, opts.image_cache_bytes)
            .with_context(|| format!("creating the image cache {}", images_dir.display()))?,
        reader: Mutex::new(open_store(data_dir)?),
        fetch_pages: opts.fetch_pages,
    });
    let policy = PollPolicy::default();
    let mut tasks: JoinSet<Polled> = JoinSet::new();
    let mut in_flight: HashMap<tokio::task::Id, String> = HashMap::new();
    let mut started: HashSet<String> = HashSet::new();
    let mut sum = Summary::default();
    let followed = store.followed_sources()?;
    let now = Utc::now();
    let due = followed
        .iter()
        .map(health_of)
        .filter(|h| !h.dead && (opts.force || h.is_due(now)))
        .count();
    eprintln!(
        "following {}, {} due now{}",
        count(followed.len(), "source"),
        due,
        if opts.once { "" } else { " (Ctrl-C stops)" }
    );
    let mut said_idle = false;
    let mut stopped_by = None;
    loop {
        // Start the polls that are due.
        let now = Utc::now();
        let sources = store.followed_sources()?;
        if sources.is_empty() && !said_idle {
            eprintln!("no sources followed: add one with `newsdesk sources add URL`");
            said_idle = true;
        }
        let mut wake = now + IDLE_WAKE;
        for source in sources {
            let busy = in_flight.values().any(|l| *l == source.locator);
            if busy || (opts.once && started.contains(&source.locator)) {
                continue;
            }
            let health = health_of(&source);
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
                        let before = sum.clone();
                        let started = std::time::Instant::now();
                        finish(&mut *store, &mut desk, &policy, polled, &mut sum);
                        syncer.finish(&mut *store);
                        count_poll(metrics, &before, &sum, started.elapsed());
                    }
                    Err(e) => {
                        let locator = in_flight.remove(&e.id()).unwrap_or_default();
                        eprintln!("poll {locator}: stopped unexpectedly: {e}");
                        sum.polls += 1;
                        sum.failed += 1;
                        metrics.add("fetch_polls_total", 1);
                        metrics.add("fetch_failures_total", 1);
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
        eprintln!(
            "stopping ({signal}): {} in flight abandoned, nothing of theirs written; their sources stay due",
            count(abandoned, "poll")
        );
    }
    print_summary(&sum);
    Ok(if sum.desk_errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// What one finished poll adds to the metrics (`/metrics` of
/// `newsdesk run --serve`).
fn count_poll(
    metrics: &newsdesk_server::Metrics,
    before: &Summary,
    after: &Summary,
    took: Duration,
) {
    let delta = |f: fn(&Summary) -> usize| f(after).saturating_sub(f(before)) as u64;
    metrics.add("fetch_polls_total", delta(|s| s.polls));
    metrics.add("fetch_feeds_fetched_total", delta(|s| s.fetched));
    metrics.add("fetch_feeds_unchanged_total", delta(|s| s.unchanged));
    metrics.add("fetch_failures_total", delta(|s| s.failed));
    metrics.add("fetch_pages_total", delta(|s| s.pages));
    metrics.add("ingest_articles_stored_total", delta(|s| s.stored));
    metrics.add("ingest_articles_updated_total", delta(|s| s.updated));
    metrics.add("desk_errors_total", delta(|s| s.desk_errors));
    metrics.add(
        "analysis_articles_total",
        after
            .analysed
            .analysed
            .saturating_sub(before.analysed.analysed) as u64,
    );
    metrics.add(
        "editorial_decisions_total",
        after.decided.decided.saturating_sub(before.decided.decided) as u64,
    );
    metrics.time("poll_store_analyse_decide_seconds", took);
}

fn print_summary(sum: &Summary) {
    println!(
        "{}: {} fetched, {} unchanged, {} failed; {} stored, {} updated, {} fetched",
        count(sum.polls, "poll"),
        sum.fetched,
        sum.unchanged,
        sum.failed,
        count(sum.stored, "article"),
        sum.updated,
        count(sum.pages, "page")
    );
    crate::ingest::print_analysis(&sum.analysed);
    crate::ingest::print_decided(&sum.decided);
}

/// Stores a finished poll's batch (one transaction), analyses and decides
/// it, follows a permanent move, records the source's health, and logs one
/// line.
fn finish(
    store: &mut dyn DeskStore,
    desk: &mut Desk,
    policy: &PollPolicy,
    mut p: Polled,
    sum: &mut Summary,
) {
    let now = Utc::now();
    sum.polls += 1;
    sum.pages += p.pages;
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
                sum.analysed.analysed += d.done.analysed;
                sum.analysed.copies += d.done.copies;
                sum.analysed.changed += d.done.changed;
                add_decided(&mut sum.decided, &d.decided);
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
        (_, true) => "dead: no more polls (`newsdesk sources add` follows it again)".to_string(),
        (Some(t), false) => format!("next poll {}", norm::format_date(t)),
        (None, false) => "next poll now".to_string(),
    };
    let what = match &p.result {
        PollResult::Fetched { .. } => {
            sum.fetched += 1;
            let (new, updated) = counts.unwrap_or((0, 0));
            format!(
                "fetched, {}, {new} new, {updated} updated, {} fetched",
                count(p.items, "item"),
                count(p.pages, "page")
            )
        }
        PollResult::Unchanged { .. } => {
            sum.unchanged += 1;
            "unchanged (304)".to_string()
        }
        PollResult::Failed { message, .. } => {
            sum.failed += 1;
            format!(
                "error: {message} ({} in a row)",
                count(p.health.consecutive_errors as usize, "error")
            )
        }
    };
    eprintln!("poll {}: {what}; {next}", p.locator);
    for note in &p.notes {
        eprintln!("  {}: {note}", p.locator);
    }
}

/// `1 item`, `2 items`.
fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
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
        complete(shared, &p.locator, a, &mut p.pages, &mut p.notes).await;
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

/// The stored version of a feed entry, when it is known (same link) and
/// not just a related-list stub.
fn stored_entry(shared: &Shared, locator: &str, a: &Article) -> Result<Option<Article>, String> {
    let Some(identity) = a.identity_key() else {
        return Ok(None);
    };
    let reader = shared
        .reader
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let Some(id) = reader
        .find_entry(locator, &identity, a.origin.guid.as_deref())
        .map_err(|e| e.to_string())?
    else {
        return Ok(None);
    };
    let stored = reader.article(id).map_err(|e| e.to_string())?;
    Ok(stored
        .filter(|s| !s.stub && s.article.original_url == a.original_url)
        .map(|s| s.article))
}

/// Fills what the feed left out of an entry. A known entry takes what its
/// stored version learned from its page (so a repeat is a repeat, not an
/// update back to the feed's summary); a new one is completed from its page
/// and its lead image measured and cached.
async fn complete(
    shared: &Shared,
    locator: &str,
    a: &mut Article,
    pages: &mut usize,
    notes: &mut Vec<String>,
) {
    match stored_entry(shared, locator, a) {
        Ok(Some(stored)) => {
            apply(a, &Found::from_stored(&stored));
            return;
        }
        Ok(None) => {}
        Err(e) => notes.push(format!("looking up {:?}: {e}", a.title)),
    }
    if !shared.fetch_pages {
        return;
    }
    if let Some(link) = a.original_url.clone().or_else(|| a.web_url.clone()) {
        *pages += 1;
        match fetch_page(&shared.fetcher, &link).await {
            Ok(found) => apply(a, &found),
            Err(e) => notes.push(format!("page: {e}")),
        }
    }
    if let Some(image) = a.images.first_mut() {
        measure_image(shared, image, notes).await;
    }
}

/// What a page (or an entry's stored version) says beyond its feed entry.
#[derive(Debug, Default)]
struct Found {
    title: Option<String>,
    text: Option<String>,
    published: Option<DateTime<Utc>>,
    author: Option<String>,
    language: Option<String>,
    image: Option<Image>,
    /// Already checked to be on the page's own site.
    canonical: Option<String>,
    amp: Option<String>,
}

impl Found {
    fn from_stored(s: &Article) -> Found {
        Found {
            title: Some(s.title.clone()),
            text: s.body.clone(),
            published: s.published_at,
            author: s.author.clone(),
            language: s.language.clone(),
            image: s.images.first().cloned(),
            canonical: s.web_url.clone(),
            amp: s.amp_web_url.clone(),
        }
    }

    fn from_page(e: newsdesk_extract::Extracted, page_url: &str) -> Found {
        let nonempty = |s: Option<String>| {
            s.map(|s| norm::normalize_text_field(&s))
                .filter(|s| !s.is_empty())
        };
        Found {
            title: nonempty(e.title),
            text: Some(e.text).filter(|t| !t.trim().is_empty()),
            published: e.published,
            author: nonempty(e.author),
            language: nonempty(e.language),
            image: e.image.map(|url| Image {
                url,
                ..Image::default()
            }),
            canonical: e
                .canonical
                .and_then(|c| norm::canonical_url(&c).ok())
                .filter(|c| same_site(c, page_url)),
            amp: e.amp.and_then(|u| norm::canonical_url(&u).ok()),
        }
    }
}

/// Whether two URLs are on one site (same host, or same registrable
/// domain). A canonical link to another site (a syndicated copy naming its
/// original) is not taken as this article's identity.
fn same_site(a: &str, b: &str) -> bool {
    let host = |u: &str| url::Url::parse(u).ok()?.host_str().map(str::to_string);
    match (host(a), host(b)) {
        (Some(x), Some(y)) if x == y => true,
        _ => match (norm::registrable_domain(a), norm::registrable_domain(b)) {
            (Some(x), Some(y)) => x == y,
            _ => false,
        },
    }
}

fn words(s: &str) -> usize {
    s.split_whitespace().count()
}

/// A title the feed did not really give: empty, the link, or made from the
/// entry's text by the feed reader.
fn weak_title(a: &Article) -> bool {
    let t = a.title.trim();
    t.is_empty()
        || a.original_url.as_deref() == Some(t)
        || a.body
            .as_deref()
            .or(a.excerpt.as_deref())
            .is_some_and(|b| norm::title_from_text(b) == t)
}

/// Whether `text` should replace the entry's body: there is none, or it is
/// a summary (the page has half as many words again).
fn thin_body(body: Option<&str>, text: &str) -> bool {
    let page = words(text);
    page > 0
        && match body {
            None => true,
            Some(b) => page * 2 > words(b) * 3,
        }
}

/// Fills the entry from what was found; never overwrites a title the feed
/// gave, nor a full body.
fn apply(a: &mut Article, f: &Found) {
    if let Some(t) = f.title.as_deref().filter(|t| !t.is_empty()) {
        if weak_title(a) {
            a.title = t.to_string();
        }
    }
    if let Some(text) = f.text.as_deref() {
        if thin_body(a.body.as_deref(), text) {
            a.body = Some(text.to_string());
            // The feed's HTML was the summary, not this body.
            a.content_html = None;
        }
    }
    if a.excerpt.is_none() {
        a.excerpt = a
            .body
            .as_deref()
            .map(|b| norm::excerpt(b, EXCERPT_CHARS))
            .filter(|e| !e.is_empty());
    }
    if a.published_at.is_none() {
        a.published_at = f.published;
    }
    if a.author.is_none() {
        a.author = f.author.clone();
    }
    if a.language.is_none() {
        a.language = f.language.clone();
    }
    if let Some(c) = &f.canonical {
        a.web_url = Some(c.clone());
    }
    if a.amp_web_url.is_none() {
        if let Some(amp) = &f.amp {
            a.amp_web_url = Some(amp.clone());
            a.cdn_amp_web_url = norm::cdn_amp_url(amp).ok();
        }
    }
    match (a.images.first_mut(), &f.image) {
        (None, Some(img)) => a.images.push(img.clone()),
        (Some(first), Some(img)) if first.url == img.url => {
            first.width = first.width.or(img.width);
            first.height = first.height.or(img.height);
            first.is_cached = first.is_cached.or(img.is_cached);
        }
        _ => {}
    }
}

/// Fetches and extracts an article page. The error names the URL.
async fn fetch_page(fetcher: &Fetcher, url: &str) -> Result<Found, String> {
    let request = Request {
        accept: Some(PAGE_ACCEPT.to_string()),
        ..Request::new(url)
    };
    let page = match fetcher.fetch(&request).await.map_err(|e| e.to_string())? {
        FetchOutcome::Fetched(page) => page,
        FetchOutcome::Unchanged(_) => return Err(format!("{url}: unexpected 304")),
    };
    let html = page
        .content_type
        .as_deref()
        .is_none_or(|t| t.to_ascii_lowercase().contains("html"));
    if !html {
        return Err(format!(
            "{}: not an HTML page ({})",
            page.final_url,
            page.content_type.as_deref().unwrap_or("")
        ));
    }
    let text = page.text().text.into_owned();
    // The text is decoded already (header, then the page's own declaration);
    // the fetch time bounds the publication date: none after it is taken.
    let info = newsdesk_extract::PageInfo {
        url: Some(&page.final_url),
        charset: Some("utf-8"),
        fetched: Some(Utc::now()),
    };
    let extracted = newsdesk_extract::extract_page(text.as_bytes(), &info)
        .map_err(|e| format!("{}: {e}", page.final_url))?;
    Ok(Found::from_page(extracted, &page.final_url))
}

/// Caches the lead image (which also measures it); one too large to cache is
/// measured from its first bytes.
async fn measure_image(shared: &Shared, image: &mut Image, notes: &mut Vec<String>) {
    if image.is_cached == Some(true) && image.width.is_some() {
        return;
    }
    let cached = shared.fetcher.cache_image(&shared.images, &image.url).await;
    let info = match cached {
        Ok(c) => {
            image.is_cached = Some(true);
            c.info
        }
        Err(e) => {
            let too_large = matches!(e, FetchError::TooLarge { .. });
            notes.push(format!("lead image not cached: {e}"));
            if !too_large {
                return;
            }
            match shared.fetcher.image_size(&image.url).await {
                Ok(info) => info,
                Err(e) => {
                    notes.push(format!("lead image: {e}"));
                    return;
                }
            }
        }
    };
    image.width = Some(info.width);
    image.height = Some(info.height);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(title: &str, body: Option<&str>) -> Article {
        Article {
            title: title.into(),
            body: body.map(str::to_string),
            excerpt: body.map(|b| norm::excerpt(b, EXCERPT_CHARS)),
            content_html: body.map(|b| format!("<p>{b}</p>")),
            original_url: Some("https://news.example/a?utm_source=rss".into()),
            web_url: Some("https://news.example/a".into()),
            ..Article::default()
        }
    }

    fn page() -> Found {
        let page = br#"<html lang="en"><head><title>The page's headline - News</title>
            <meta property="og:title" content="The page's headline">
            <meta property="og:image" content="/lead.jpg">
            <link rel="canonical" href="https://www.news.example/2026/a">
            <link rel="amphtml" href="https://news.example/amp/a"></head><body>
            <article><h1>The page's headline</h1>
            <p>The first paragraph of the story says what happened, where and when it happened.</p>
            <p>The second paragraph adds who said what about it, and what comes next for them.</p>
            <p>The third paragraph gives the background that readers need to follow the story.</p>
            </article></body></html>"#;
        let e =
            newsdesk_extract::extract(page, Some("https://news.example/a?utm_source=rss")).unwrap();
        Found::from_page(e, "https://news.example/a?utm_source=rss")
    }

    #[test]
    fn a_page_fills_what_the_feed_lacks_and_keeps_what_it_gave() {
        // A summary under a real title: the body comes from the page, the
        // title stays.
        let mut a = entry("The feed's title", Some("A one-line summary."));
        apply(&mut a, &page());
        assert_eq!(a.title, "The feed's title");
        assert!(a
            .body
            .as_deref()
            .unwrap()
            .starts_with("The first paragraph"));
        assert_eq!(a.content_html, None);
        assert_eq!(a.excerpt.as_deref(), Some("A one-line summary."));
        assert_eq!(
            a.web_url.as_deref(),
            Some("https://www.news.example/2026/a")
        );
        assert_eq!(a.amp_web_url.as_deref(), Some("https://news.example/amp/a"));
        assert_eq!(a.images[0].url, "https://news.example/lead.jpg");
        assert_eq!(a.language.as_deref(), Some("en"));

        // No title in the feed (the reader made one from the text): the page's.
        let mut b = entry(
            &norm::title_from_text("A one-line summary."),
            Some("A one-line summary."),
        );
        apply(&mut b, &page());
        assert_eq!(b.title, "The page's headline");

        // A full body stays, with its HTML.
        let full = "The first paragraph of the story says what happened, where and when it happened. \
                    The second paragraph adds who said what about it, and what comes next for them.";
        let mut c = entry("The feed's title", Some(full));
        apply(&mut c, &page());
        assert_eq!(c.body.as_deref(), Some(full));
        assert!(c.content_html.is_some());
    }

    #[test]
    fn a_known_entry_completed_from_its_stored_version_is_a_repeat() {
        let feeds = [
            entry("The feed's title", Some("A one-line summary.")),
            entry(&norm::title_from_text("A summary."), Some("A summary.")),
            entry("Only a title", None),
        ];
        for feed in feeds {
            let mut first = feed.clone();
            apply(&mut first, &page());
            first.images[0].width = Some(800);
            first.images[0].is_cached = Some(true);
            let mut again = feed.clone();
            apply(&mut again, &Found::from_stored(&first));
            assert_eq!(again, first);
        }
    }

    #[test]
    fn a_canonical_link_to_another_site_is_not_an_identity() {
        assert!(same_site(
            "https://www.news.example/a",
            "https://news.example/b"
        ));
        assert!(same_site(
            "http://127.0.0.1:8080/a",
            "http://127.0.0.1:8080/b"
        ));
        assert!(!same_site(
            "https://wire.example/a",
            "https://news.example/a"
        ));
        assert!(!same_site("http://127.0.0.1/a", "http://127.0.0.2/a"));
    }
}
