//! The real labelled sets the story engine is developed on, read as the
//! desk's ingest reads them, and run through a [`Desk`] in memory:
//!
//! - the UCI News Aggregator development half
//!   (`../shared/data/stories-dev/uci-news-aggregator`: one RSS feed per
//!   publisher, headline-only, and `truth.jsonl` naming items by guid);
//! - the everyday-ai records (`../shared/corpus/everyday-ai`: title and
//!   excerpt) with this crate's own development labels
//!   (`tests/data/everyday_ai_stories.tsv`).
//!
//! Articles get ids in the order `newsdesk ingest FOLDER` stores them
//! (every file, sorted; entries in file order, each record's related-list
//! entries right after it as stubs; one article per identity: a record
//! whose identity a stub had updates it), so the figures match `newsdesk
//! eval stories` on a store that ingested the same folder.

#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use newsdesk_analyze::desk::{Config, Desk, Input};
use newsdesk_analyze::eval::{
    parse_truth, score_clusters, score_duplicates, ClusterScores, DupItem, DuplicateScores,
};
use newsdesk_analyze::features::TermVector;

/// One article as the desk is given it (an id seen again is an update of
/// the stored article: a related-list stub whose own record came).
pub struct Item {
    pub id: i64,
    /// -1 for a stub known only from another record's related list.
    pub credibility: i32,
    pub title: String,
    pub body: Option<String>,
    pub excerpt: Option<String>,
    pub published: Option<i64>,
    pub provider: String,
}

/// A set: its articles in ingest order and their truth.
pub struct Set {
    pub name: &'static str,
    pub items: Vec<Item>,
    /// Article id → true story.
    pub story: HashMap<i64, String>,
    /// Article id → the first publication of its true copy group.
    pub root: HashMap<i64, i64>,
    /// Copies that share their original's URL (one stored article).
    pub collapsed: usize,
}

/// Scores of one run.
pub struct Scores {
    pub stories: ClusterScores,
    pub copies: DuplicateScores,
    /// Article id → (found story, found original).
    pub placed: HashMap<i64, (i64, Option<i64>)>,
}

fn canonical(url: &str) -> String {
    newsdesk_normalize::canonical_url(url).unwrap_or_else(|_| url.to_string())
}

/// Reads every file under `dir` as ingest would; errors name the file.
fn read_folder(dir: &Path) -> Result<(Vec<Item>, HashMap<String, i64>), String> {
    let mut items = Vec::new();
    // Identity key, guid and canonical URL → id.
    let mut ids: HashMap<String, i64> = HashMap::new();
    let mut keys: HashMap<String, i64> = HashMap::new();
    // Identities known only as stubs so far.
    let mut stubs: std::collections::HashSet<i64> = std::collections::HashSet::new();
    for path in newsdesk_ingest::input::expand_paths(&[dir.to_path_buf()]) {
        // As ingest: an input that cannot be read is reported and skipped.
        let Ok(parsed) = newsdesk_ingest::input::read_path(&path, u64::MAX) else {
            continue;
        };
        let mut list = Vec::new();
        for mut a in parsed.articles {
            let related = std::mem::take(&mut a.related);
            list.push((a, false));
            list.extend(related.into_iter().map(|r| (r, true)));
        }
        for (a, stub) in list {
            let Some(identity) = a.identity_key() else {
                continue;
            };
            if let Some(&id) = ids.get(&identity) {
                // A record whose stub came first: the stub is updated.
                if !stub && stubs.remove(&id) {
                    items.push(Item {
                        id,
                        credibility: 0,
                        title: a.title.clone(),
                        body: a.body.clone(),
                        excerpt: a.excerpt.clone(),
                        published: a.published_at.map(|d| d.timestamp()),
                        provider: a.provider.map(|p| p.domain).unwrap_or_default(),
                    });
                }
                continue;
            }
            let id = ids.len() as i64 + 1;
            ids.insert(identity, id);
            if stub {
                stubs.insert(id);
            }
            if let Some(g) = &a.origin.guid {
                keys.entry(format!("guid:{g}")).or_insert(id);
            }
            for u in [&a.web_url, &a.original_url].into_iter().flatten() {
                keys.entry(format!("url:{}", canonical(u))).or_insert(id);
            }
            items.push(Item {
                id,
                credibility: if stub { -1 } else { 0 },
                title: a.title.clone(),
                body: a.body.clone(),
                excerpt: a.excerpt.clone(),
                published: a.published_at.map(|d| d.timestamp()),
                provider: a.provider.map(|p| p.domain).unwrap_or_default(),
            });
        }
    }
    Ok((items, keys))
}

fn build(name: &'static str, dir: &Path, truth: &Path) -> Result<Set, String> {
    let (items, keys) = read_folder(dir)?;
    let text = std::fs::read_to_string(truth).map_err(|e| format!("{}: {e}", truth.display()))?;
    let lines = parse_truth(&text, &truth.display().to_string()).map_err(|e| e.to_string())?;
    let find = |guid: &Option<String>, url: &Option<String>| {
        guid.as_ref()
            .and_then(|g| keys.get(&format!("guid:{g}")))
            .or_else(|| {
                url.as_ref()
                    .and_then(|u| keys.get(&format!("url:{}", canonical(u))))
            })
            .copied()
    };
    let mut story = HashMap::new();
    let mut root: HashMap<i64, i64> = HashMap::new();
    let mut collapsed = 0;
    for t in &lines {
        let id = find(&t.guid, &t.url).ok_or_else(|| {
            format!(
                "{}: no article for {:?} {:?}",
                truth.display(),
                t.guid,
                t.url
            )
        })?;
        let original = t
            .duplicate_of
            .as_ref()
            .and_then(|o| find(&None, &Some(o.clone())));
        if original == Some(id) {
            collapsed += 1;
            continue;
        }
        if story.contains_key(&id) {
            continue;
        }
        story.insert(id, t.story.clone());
        let r = original
            .map(|o| root.get(&o).copied().unwrap_or(o))
            .unwrap_or(id);
        root.insert(id, r);
    }
    Ok(Set {
        name,
        items,
        story,
        root,
        collapsed,
    })
}

/// The UCI development half under `shared` (the `../shared` folder).
pub fn uci(shared: &Path) -> Result<Set, String> {
    let dir = shared.join("data/stories-dev/uci-news-aggregator");
    build("uci-dev", &dir.join("feeds"), &dir.join("truth.jsonl"))
}

/// The development labels of the everyday-ai records.
pub fn labels_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/everyday_ai_stories.tsv")
}

/// The everyday-ai records under `shared` with [`labels_path`].
pub fn everyday_ai(shared: &Path) -> Result<Set, String> {
    build(
        "everyday-ai",
        &shared.join("corpus/everyday-ai"),
        &labels_path(),
    )
}

/// Feeds the set's articles to a new desk in ingest order and scores the
/// result.
pub fn run(set: &Set, config: Config) -> Scores {
    run_with_terms(set, config).0
}

/// [`run`], also giving each article's term vector.
pub fn run_with_terms(set: &Set, config: Config) -> (Scores, HashMap<i64, TermVector>) {
    let mut terms = HashMap::new();
    let mut desk = Desk::new(config);
    // As a store's first-seen time: after every publication.
    let seen = 2_000_000_000;
    for it in &set.items {
        let d = desk.add(&Input {
            id: it.id,
            title: &it.title,
            body: it.body.as_deref(),
            excerpt: it.excerpt.as_deref(),
            published: it.published,
            seen,
            provider: &it.provider,
            credibility: it.credibility,
        });
        desk.take_changes();
        terms.insert(it.id, d.snapshot.terms);
    }
    let mut ids: Vec<i64> = set.story.keys().copied().collect();
    ids.sort_unstable();
    let mut clusters = Vec::new();
    let mut dups = Vec::new();
    let mut placed = HashMap::new();
    for id in ids {
        placed.insert(
            id,
            (desk.story_of(id).unwrap_or(-id), desk.duplicate_of(id)),
        );
        clusters.push((set.story[&id].as_str(), desk.story_of(id).unwrap_or(-id)));
        dups.push(DupItem {
            id,
            truth_root: set.root[&id],
            predicted_root: desk
                .duplicate_of(id)
                .map(|o| set.root.get(&o).copied().unwrap_or(o)),
        });
    }
    let stories = score_clusters(&clusters);
    let mut copies = score_duplicates(&dups);
    // Copies under their original's URL are one stored article: found.
    copies.truth_copies += set.collapsed;
    copies.correct += set.collapsed;
    copies.predicted_copies += set.collapsed;
    let ratio = |a: usize, b: usize| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    copies.scores = newsdesk_analyze::eval::Prf::new(
        ratio(copies.correct, copies.predicted_copies),
        ratio(copies.correct, copies.truth_copies),
    );
    (
        Scores {
            stories,
            copies,
            placed,
        },
        terms,
    )
}
