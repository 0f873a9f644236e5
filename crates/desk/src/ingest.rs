//! Ingesting files and folders: inputs read on a worker thread, each stored
//! on the caller's thread as one transaction, then analysed, decided and
//! indexed.
//!
//! Parsing and normalizing run ahead of storing through a bounded queue, so
//! a slow disk slows the reader instead of filling memory. An interrupted
//! ingest leaves every input stored whole or not at all.

use std::path::PathBuf;
use std::sync::mpsc;

use chrono::Utc;
use newsdesk_ingest::{IngestError, Parsed};
use newsdesk_store::{DeskStore, Outcome, SourceInfo};

use crate::analysis::Done;
use crate::pipeline::{add_decided, batch_of, Desk};
use crate::search_sync::Syncer;
use crate::{Decided, DeskError, DeskPaths};

/// How to ingest. Plain data: the binary fills it from its flags.
#[derive(Debug, Clone)]
pub struct IngestOptions {
    /// Inputs larger than this many bytes are refused.
    pub max_bytes: u64,
    /// Analyse, decide and index each input after storing it; `false`
    /// leaves all that to `analyze` (bulk imports).
    pub analyse: bool,
}

impl Default for IngestOptions {
    fn default() -> IngestOptions {
        IngestOptions {
            max_bytes: newsdesk_ingest::input::DEFAULT_MAX_BYTES,
            analyse: true,
        }
    }
}

/// What an ingest did.
#[derive(Debug, Default, Clone)]
pub struct IngestSummary {
    pub inputs: usize,
    pub stored: usize,
    pub updated: usize,
    pub unchanged: usize,
    /// Related-list stubs added.
    pub related: usize,
    /// Subscriptions registered (from OPML).
    pub sources: usize,
    /// Inputs that failed, each naming the input.
    pub failed: Vec<String>,
    /// Entries skipped in good inputs.
    pub skipped: Vec<String>,
    pub warnings: Vec<String>,
    /// Analysis done (catching up first included); `None` when deferred.
    pub analysed: Option<Done>,
    pub decided: Decided,
}

/// What an ingest tells as it goes. Every method does nothing by default.
pub trait IngestObserver {
    /// The inputs found, before the first is read.
    fn inputs(&mut self, _count: usize) {}
    /// One input read (stored or failed).
    fn input_done(&mut self) {}
    /// An input's batch has just been committed, before its analysis.
    fn stored(&mut self) {}
}

impl IngestObserver for () {}

/// Reads `inputs` (files and folders, read recursively) into the store.
pub fn ingest(
    paths: &DeskPaths,
    inputs: &[PathBuf],
    opts: &IngestOptions,
    observer: &mut dyn IngestObserver,
) -> Result<IngestSummary, DeskError> {
    let mut store = paths.open_store()?;
    let mut sum = IngestSummary::default();
    let mut desk = if opts.analyse {
        let (desk, done, decided) = Desk::open(&mut *store, &paths.data_dir, Utc::now())?;
        sum.analysed = Some(done);
        sum.decided = decided;
        Some(desk)
    } else {
        None
    };
    // A deferred (bulk) ingest leaves the index to `analyze` too: the
    // outbox keeps every change until then.
    let mut syncer = opts.analyse.then(|| Syncer::open(paths, &mut *store));
    let files = newsdesk_ingest::expand_paths(inputs);
    observer.inputs(files.len());
    let (tx, rx) = mpsc::sync_channel::<Result<Parsed, IngestError>>(16);
    let max = opts.max_bytes;
    let reader = std::thread::spawn(move || {
        for f in files {
            let r = newsdesk_ingest::read_path(&f, max);
            if tx.send(r).is_err() {
                break;
            }
        }
    });
    for parsed in rx {
        sum.inputs += 1;
        observer.input_done();
        match parsed {
            Err(e) => sum.failed.push(e.to_string()),
            Ok(p) => {
                store_one(&mut *store, desk.as_mut(), p, &mut sum, observer);
                if let Some(s) = syncer.as_mut() {
                    s.after_batch(&mut *store);
                }
            }
        }
    }
    if let Some(mut s) = syncer {
        s.finish(&mut *store);
    }
    reader.join().map_err(|_| DeskError::ReaderStopped)?;
    Ok(sum)
}

fn store_one(
    store: &mut dyn DeskStore,
    desk: Option<&mut Desk>,
    mut p: Parsed,
    sum: &mut IngestSummary,
    observer: &mut dyn IngestObserver,
) {
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
            observer.stored();
            sum.stored += r.count(Outcome::Stored);
            sum.updated += r.count(Outcome::Updated);
            sum.unchanged += r.count(Outcome::Unchanged);
            sum.related += r.related_stored;
            // The articles are stored; should analysing them fail (or be
            // deferred), they stay pending and the next run analyses them.
            let Some(desk) = desk else { return };
            let d = desk.digest(store, &r, now);
            if let Some(a) = sum.analysed.as_mut() {
                a.analysed += d.done.analysed;
                a.copies += d.done.copies;
                a.changed += d.done.changed;
            }
            add_decided(&mut sum.decided, &d.decided);
            if let Some(e) = d.error {
                sum.failed.push(format!("{}: {e}", p.locator));
            }
        }
        Err(e) => sum.failed.push(format!("{}: {e}", p.locator)),
    }
}

/// A crash point for tests, named by `NEWSDESK_FAILPOINT`'s value
/// `after_store_commit:N`: the Nth store commit of an ingest, after which
/// the caller aborts (before analysis and the search index see the batch).
#[derive(Debug, Default)]
pub struct Failpoint {
    at: Option<usize>,
    commits: usize,
}

impl Failpoint {
    /// From the variable's value; anything else (or none) never fires.
    pub fn parse(value: Option<&str>) -> Failpoint {
        let at = value
            .and_then(|v| v.strip_prefix("after_store_commit:"))
            .and_then(|n| n.parse().ok());
        Failpoint { at, commits: 0 }
    }

    /// Counts a store commit; `Some(N)` when it is the named one.
    pub fn commit(&mut self) -> Option<usize> {
        self.commits += 1;
        self.at.filter(|n| *n == self.commits)
    }
}

#[cfg(test)]
mod tests {
    use super::Failpoint;

    #[test]
    fn a_failpoint_fires_once_at_its_commit() {
        let mut f = Failpoint::parse(Some("after_store_commit:2"));
        assert_eq!((f.commit(), f.commit(), f.commit()), (None, Some(2), None));
        for other in [
            None,
            Some(""),
            Some("after_store_commit:x"),
            Some("before:1"),
        ] {
            let mut f = Failpoint::parse(other);
            assert_eq!((f.commit(), f.commit()), (None, None), "{other:?}");
        }
    }
}
