//! How well the desk did against labelled truth: its stories and copies
//! against a truth file, its related lists against the ones stored records
//! came with.
//!
//! An article of the truth is found in the store by its feed guid, else by
//! its canonical URL, as ingest keyed it. Stories are scored pairwise and
//! by B-cubed, copies by precision and recall (a copy is found when the
//! desk links it to any article of its true copy group). A re-post under
//! the same URL plus tracking parameters is the same stored article as its
//! original: it is counted as found ("collapsed by URL"), which is what a
//! reader sees.

use std::collections::HashMap;
use std::path::Path;

use newsdesk_analyze::eval::{
    parse_truth, score_clusters, score_duplicates, ClusterScores, DupItem, DuplicateScores,
};
use newsdesk_store::ArticleId;

use crate::pipeline::chain;
use crate::{DeskError, DeskPaths};

/// The desk's stories and copies against a truth file.
#[derive(Debug, Clone)]
pub struct StoriesReport {
    pub truth_lines: usize,
    /// Distinct stored articles the truth names.
    pub articles: usize,
    /// Truth lines whose article is not in the store.
    pub missing: usize,
    /// Copies that are the same stored article as their original.
    pub collapsed: usize,
    pub truth_copies: usize,
    pub stories: ClusterScores,
    pub duplicates: DuplicateScores,
}

/// The desk's related lists against the ones stored records came with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RelatedReport {
    /// Records that came with a related list.
    pub records: usize,
    /// Entries of those lists.
    pub given: usize,
    /// Entries the desk's own list holds too.
    pub found: usize,
    /// Entries in the record's story.
    pub same_story: usize,
    /// Records sharing at least one entry with the desk's list.
    pub with_any: usize,
}

fn identity(url: &str) -> String {
    let canon = newsdesk_normalize::canonical_url(url).unwrap_or_else(|_| url.to_string());
    format!("url:{canon}")
}

/// Scores the stored stories and copies against the truth file at `truth_path`.
pub fn stories(paths: &DeskPaths, truth_path: &Path) -> Result<StoriesReport, DeskError> {
    let store = paths.open_store()?;
    let text = std::fs::read_to_string(truth_path).map_err(|source| DeskError::Unreadable {
        what: truth_path.display().to_string(),
        source,
    })?;
    let lines = parse_truth(&text, &truth_path.display().to_string())
        .map_err(|e| DeskError::Config(chain(&e)))?;
    // Feed entries' guids, for truth that names articles by guid.
    let mut by_guid: HashMap<String, ArticleId> = HashMap::new();
    if lines.iter().any(|t| t.guid.is_some()) {
        let mut after = 0;
        loop {
            let page = store.articles_after(after, 1000)?;
            let Some(last) = page.last() else { break };
            after = last.id;
            for s in &page {
                if let Some(g) = &s.article.origin.guid {
                    by_guid.entry(g.clone()).or_insert(s.id);
                }
            }
        }
    }
    // Truth per stored article: the first line naming it (a correction
    // names the same article again).
    let mut stored: HashMap<String, Option<ArticleId>> = HashMap::new();
    let mut find = |url: &str| -> Result<Option<ArticleId>, DeskError> {
        if let Some(id) = stored.get(url) {
            return Ok(*id);
        }
        let id = store.find(&identity(url))?;
        stored.insert(url.to_string(), id);
        Ok(id)
    };
    let mut story_of: HashMap<ArticleId, &str> = HashMap::new();
    let mut root_of: HashMap<ArticleId, ArticleId> = HashMap::new();
    let mut order: Vec<ArticleId> = Vec::new();
    let (mut missing, mut collapsed, mut truth_copies_total) = (0usize, 0usize, 0usize);
    for t in &lines {
        // By guid first, then by URL.
        let mut id = t.guid.as_ref().and_then(|g| by_guid.get(g).copied());
        if id.is_none() {
            if let Some(url) = &t.url {
                id = find(url)?;
            }
        }
        let Some(id) = id else {
            missing += 1;
            continue;
        };
        let original = match &t.duplicate_of {
            Some(o) => {
                truth_copies_total += 1;
                find(o)?
            }
            None => None,
        };
        if original == Some(id) {
            collapsed += 1;
            continue;
        }
        if story_of.contains_key(&id) {
            continue;
        }
        story_of.insert(id, &t.story);
        order.push(id);
        let root = original
            .map(|o| root_of.get(&o).copied().unwrap_or(o))
            .unwrap_or(id);
        root_of.insert(id, root);
    }
    let mut clusters = Vec::with_capacity(order.len());
    let mut dups = Vec::with_capacity(order.len());
    for id in &order {
        let s = store.article(*id)?.ok_or_else(|| {
            DeskError::NotFound(format!("article {id} vanished during the evaluation"))
        })?;
        // An unanalysed article is a story of its own.
        clusters.push((story_of[id], s.story.unwrap_or(-id)));
        dups.push(DupItem {
            id: *id,
            truth_root: root_of[id],
            predicted_root: s
                .duplicate_of
                .map(|o| root_of.get(&o).copied().unwrap_or(o)),
        });
    }
    let c = score_clusters(&clusters);
    let mut d = score_duplicates(&dups);
    // Copies collapsed into their original by URL are found copies.
    d.truth_copies += collapsed;
    d.correct += collapsed;
    d.predicted_copies += collapsed;
    d.scores = newsdesk_analyze::eval::Prf::new(
        if d.predicted_copies == 0 {
            1.0
        } else {
            d.correct as f64 / d.predicted_copies as f64
        },
        if d.truth_copies == 0 {
            1.0
        } else {
            d.correct as f64 / d.truth_copies as f64
        },
    );
    Ok(StoriesReport {
        truth_lines: lines.len(),
        articles: order.len(),
        missing,
        collapsed,
        truth_copies: truth_copies_total,
        stories: c,
        duplicates: d,
    })
}

/// Compares the desk's related lists with the ones stored records came with.
pub fn related(paths: &DeskPaths) -> Result<RelatedReport, DeskError> {
    let store = paths.open_store()?;
    let mut r = RelatedReport {
        records: 0,
        given: 0,
        found: 0,
        same_story: 0,
        with_any: 0,
    };
    let mut after = 0;
    loop {
        let page = store.articles_after(after, 1000)?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for s in page.iter().filter(|s| !s.related.is_empty()) {
            r.records += 1;
            let ours = newsdesk_render::desk_related(&*store, s)
                .map_err(|e| DeskError::Config(chain(&e)))?;
            let mut hit = false;
            for id in &s.related {
                r.given += 1;
                if ours.contains(id) {
                    r.found += 1;
                    hit = true;
                }
                if s.story.is_some() && store.article(*id)?.and_then(|x| x.story) == s.story {
                    r.same_story += 1;
                }
            }
            if hit {
                r.with_any += 1;
            }
        }
    }
    Ok(r)
}
