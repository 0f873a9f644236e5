//! `newsdesk ingest`: read inputs on a worker thread, store each on this one.
//!
//! Parsing and normalizing run ahead of storing through a bounded queue, so a
//! slow disk slows the reader instead of filling memory. Each input is one
//! transaction: an interrupted run leaves every input stored whole or not at
//! all.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc;

use chrono::Utc;
use indicatif::{ProgressBar, ProgressStyle};
use newsdesk_ingest::{IngestError, Parsed};
use newsdesk_model::Article;
use newsdesk_store::{Batch, DeskStore, Outcome, SourceInfo};

use crate::search_sync::Syncer;
use newsdesk_desk::analysis::{Analysis, Done};
use newsdesk_desk::pipeline::{add_decided, Desk};
use newsdesk_desk::{Decided, Editorial};

/// Opens (creating) the store in `data_dir`.
/// With a keyring, the store seals full text on write and opens it on read
/// (see `keys.rs`).
pub fn open_store(data_dir: &Path) -> anyhow::Result<Box<dyn DeskStore>> {
    crate::keys::open_store(data_dir)
}

pub fn init(data_dir: &Path) -> anyhow::Result<ExitCode> {
    let store = open_store(data_dir)?;
    println!(
        "newsdesk store ready at {} (schema version {})",
        store.location(),
        store.schema_version()?
    );
    Ok(ExitCode::SUCCESS)
}

#[derive(Default)]
struct Summary {
    inputs: usize,
    stored: usize,
    updated: usize,
    unchanged: usize,
    related: usize,
    sources: usize,
    failed: Vec<String>,
    skipped: Vec<String>,
    warnings: Vec<String>,
    analysed: usize,
    copies: usize,
    replaced: usize,
    decided: Decided,
}

/// The batch of one input's articles, or `None` when none can be stored. An
/// article with neither URL nor id cannot be stored idempotently: each is
/// reported in `skipped`.
pub fn batch_of(
    source: SourceInfo,
    articles: Vec<Article>,
    skipped: &mut Vec<String>,
) -> Option<Batch> {
    let (articles, nameless): (Vec<_>, Vec<_>) = articles
        .into_iter()
        .partition(|a| a.identity_key().is_some());
    for a in nameless {
        skipped.push(format!(
            "{}: entry {:?}: no URL and no id, so it cannot be told apart from a repeat",
            source.locator, a.title
        ));
    }
    (!articles.is_empty()).then_some(Batch { source, articles })
}

pub fn run(
    data_dir: &Path,
    paths: &[PathBuf],
    max_size: u64,
    quiet: bool,
    analyse: bool,
) -> anyhow::Result<ExitCode> {
    let mut store = open_store(data_dir)?;
    let (mut desk, caught_up, decided) = if analyse {
        let (desk, done, decided) = Desk::open(&mut *store, data_dir, Utc::now())?;
        (Some(desk), done, decided)
    } else {
        (None, Done::default(), Decided::default())
    };
    // A deferred (bulk) ingest leaves the index to `newsdesk analyze` too:
    // the outbox keeps every change until then.
    let mut syncer = analyse.then(|| Syncer::open(data_dir, &mut *store));
    let files = newsdesk_ingest::expand_paths(paths);
    let bar = if quiet || files.len() < 2 {
        ProgressBar::hidden()
    } else {
        let b = ProgressBar::new(files.len() as u64);
        b.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} inputs, {per_sec}, eta {eta} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        b
    };
    let (tx, rx) = mpsc::sync_channel::<Result<Parsed, IngestError>>(16);
    let reader = std::thread::spawn(move || {
        for f in files {
            let r = newsdesk_ingest::read_path(&f, max_size);
            if tx.send(r).is_err() {
                break;
            }
        }
    });
    let mut sum = Summary {
        analysed: caught_up.analysed,
        copies: caught_up.copies,
        replaced: caught_up.changed,
        decided,
        ..Summary::default()
    };
    for parsed in rx {
        sum.inputs += 1;
        bar.inc(1);
        match parsed {
            Err(e) => sum.failed.push(e.to_string()),
            Ok(p) => {
                store_one(&mut *store, desk.as_mut(), p, &mut sum);
                if let Some(s) = syncer.as_mut() {
                    s.after_batch(&mut *store);
                }
            }
        }
    }
    if let Some(mut s) = syncer {
        s.finish(&mut *store);
    }
    reader
        .join()
        .map_err(|_| anyhow::anyhow!("the reader thread stopped unexpectedly"))?;
    bar.finish_and_clear();

    println!(
        "{} inputs: {} stored, {} updated, {} unchanged, {} related articles added, {} sources registered, {} failed, {} entries skipped",
        sum.inputs,
        sum.stored,
        sum.updated,
        sum.unchanged,
        sum.related,
        sum.sources,
        sum.failed.len(),
        sum.skipped.len()
    );
    if desk.is_some() {
        print_analysis(&Done {
            analysed: sum.analysed,
            copies: sum.copies,
            changed: sum.replaced,
        });
        print_decided(&sum.decided);
    } else {
        println!("analysis: deferred (run `newsdesk analyze`)");
    }
    for f in &sum.failed {
        eprintln!("failed: {f}");
    }
    for s in &sum.skipped {
        eprintln!("skipped: {s}");
    }
    for w in &sum.warnings {
        eprintln!("warning: {w}");
    }
    // Skipped entries (an empty story in a good file) are reported, but only a
    // failed input makes the run fail.
    Ok(if sum.failed.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn store_one(store: &mut dyn DeskStore, desk: Option<&mut Desk>, mut p: Parsed, sum: &mut Summary) {
    let now = Utc::now();
    for s in p.skipped.drain(..) {
        sum.skipped.push(format!("{}: {s}", p.locator));
    }
    for w in p.warnings.drain(..) {
        sum.warnings.push(format!("{}: {w}", p.locator));
    }
    if !p.subscriptions.is_empty() {
        let subs: Vec<SourceInfo> = p
            .subscriptions
            .iter()
            .map(|s| SourceInfo {
                locator: s.url.clone(),
                kind: "subscription".into(),
                title: s.title.clone(),
            })
            .collect();
        match store.add_sources(&subs, now) {
            Ok(n) => sum.sources += n,
            Err(e) => sum.failed.push(format!("{}: {e}", p.locator)),
        }
    }
    let source = SourceInfo {
        locator: p.locator.clone(),
        kind: p.source_kind,
        title: p.source_title,
    };
    let Some(batch) = batch_of(source, p.articles, &mut sum.skipped) else {
        return;
    };
    match store.ingest(&batch, now) {
        Ok(r) => {
            failpoint_after_store_commit();
            sum.stored += r.count(Outcome::Stored);
            sum.updated += r.count(Outcome::Updated);
            sum.unchanged += r.count(Outcome::Unchanged);
            sum.related += r.related_stored;
            // The articles are stored; should analysing them fail (or be
            // deferred), they stay pending and the next run analyses them.
            let Some(desk) = desk else { return };
            let d = desk.digest(store, &r, now);
            sum.analysed += d.done.analysed;
            sum.copies += d.done.copies;
            sum.replaced += d.done.changed;
            add_decided(&mut sum.decided, &d.decided);
            if let Some(e) = d.error {
                sum.failed.push(format!("{}: {e}", p.locator));
            }
        }
        Err(e) => sum.failed.push(format!("{}: {e}", p.locator)),
    }
}

/// `NEWSDESK_FAILPOINT=after_store_commit:N` aborts the process right after
/// the Nth input's store commit of this run, before its analysis and before
/// the search index sees it: the crash the search tests need, at a place
/// they can name. Unset (the normal case), it does nothing.
fn failpoint_after_store_commit() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::OnceLock;
    static AT: OnceLock<Option<usize>> = OnceLock::new();
    static COMMITS: AtomicUsize = AtomicUsize::new(0);
    let at = AT.get_or_init(|| {
        std::env::var("NEWSDESK_FAILPOINT")
            .ok()?
            .strip_prefix("after_store_commit:")?
            .parse()
            .ok()
    });
    if let Some(n) = *at {
        if COMMITS.fetch_add(1, Ordering::SeqCst) + 1 == n {
            eprintln!("failpoint after_store_commit:{n}: aborting");
            std::process::abort();
        }
    }
}

pub fn print_analysis(d: &Done) {
    println!(
        "analysis: {} articles analysed, {} marked as copies of earlier articles, {} earlier decisions revised",
        d.analysed, d.copies, d.changed
    );
}

pub fn print_decided(d: &Decided) {
    println!(
        "editorial: {} articles decided ({} published, {} changed), {} story heats updated",
        d.decided, d.published, d.changed, d.stories
    );
}

/// `newsdesk analyze` (alias `analyse`): analyzes and decides whatever is
/// pending.
pub fn analyze(data_dir: &Path) -> anyhow::Result<ExitCode> {
    let mut store = open_store(data_dir)?;
    let now = Utc::now();
    let (_, done) = Analysis::open(&mut *store, now)?;
    print_analysis(&done);
    let editorial = Editorial::load(data_dir, &*store)?;
    print_decided(&editorial.decide_pending(&mut *store, now)?);
    crate::search_sync::sync_now(data_dir, &mut *store);
    Ok(ExitCode::SUCCESS)
}
