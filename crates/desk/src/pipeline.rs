//! The desk's pipeline after the store: each stored batch analysed
//! (duplicates, stories) and decided, with the desk caught up on whatever
//! is pending when it opens. `newsdesk ingest` and `newsdesk run` hand it
//! their batches.

use std::path::Path;

use chrono::{DateTime, Utc};
use newsdesk_model::Article;
use newsdesk_store::{Batch, BatchReport, DeskStore, Outcome, SourceInfo};

use crate::analysis::{Analysis, Done};
use crate::{Decided, DeskError, Editorial};

/// An error and its causes on one line, `a: b: c` (as reports show them).
pub fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut next = e.source();
    while let Some(s) = next {
        out.push_str(": ");
        out.push_str(&s.to_string());
        next = s.source();
    }
    out
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

/// Adds `d` to `sum`.
pub fn add_decided(sum: &mut Decided, d: &Decided) {
    sum.decided += d.decided;
    sum.published += d.published;
    sum.changed += d.changed;
    sum.stories += d.stories;
}

/// The desk's analysis and editorial step, loaded and caught up. `ingest`
/// and `run` hand it each stored batch.
pub struct Desk {
    analysis: Analysis,
    editorial: Editorial,
}

/// What analysing and deciding one batch did. `error` names the step that
/// failed (its articles stay pending and the next run does them).
#[derive(Default)]
pub struct Digest {
    pub done: Done,
    pub decided: Decided,
    pub error: Option<String>,
}

impl Desk {
    /// Rebuilds the analysis from the store and loads the editorial
    /// configuration, then analyses and decides whatever is pending.
    pub fn open(
        store: &mut dyn DeskStore,
        data_dir: &Path,
        now: DateTime<Utc>,
    ) -> Result<(Desk, Done, Decided), DeskError> {
        let (mut analysis, done) = Analysis::open(store, now)?;
        analysis.take_changed();
        let editorial = Editorial::load(data_dir, store)?;
        let decided = editorial.decide_pending(store, now)?;
        Ok((
            Desk {
                analysis,
                editorial,
            },
            done,
            decided,
        ))
    }

    /// Analyses the articles a batch stored or changed (related stubs
    /// included), then decides them and the earlier articles whose placement
    /// the analysis changed.
    pub fn digest(
        &mut self,
        store: &mut dyn DeskStore,
        report: &BatchReport,
        now: DateTime<Utc>,
    ) -> Digest {
        let mut ids: Vec<_> = report
            .outcomes
            .iter()
            .filter(|(_, o)| *o != Outcome::Unchanged)
            .map(|(id, _)| *id)
            .chain(report.related_touched.iter().copied())
            .collect();
        let mut digest = Digest::default();
        match self.analysis.run_ids(store, &mut ids, now) {
            Ok(d) => digest.done = d,
            Err(e) => {
                digest.error = Some(format!("analysis: {}", chain(&e)));
                return digest;
            }
        }
        ids.extend(self.analysis.take_changed());
        match self.editorial.decide_ids(store, &ids, now) {
            Ok(d) => digest.decided = d,
            Err(e) => digest.error = Some(format!("editorial: {}", chain(&e))),
        }
        digest
    }
}
