//! `newsdesk eval`: scores what the store decided against labelled truth.
//!
//! - `eval stories --truth FILE`: the truth of a generated newsroom
//!   (`newsdesk generate`), a shared set's `truth.jsonl` (`guid`, `url`,
//!   `story`) or a labelled table (see `newsdesk_analyze::eval::parse_truth`).
//!   An article is found in the store by its feed guid, else by its
//!   canonical URL, as ingest keyed it.
//!   Stories are scored pairwise and by B-cubed, copies by precision and
//!   recall (a copy is found when the desk links it to any article of its
//!   true copy group). A re-post under the same URL plus tracking
//!   parameters is the same stored article as its original: it is counted
//!   as found ("collapsed by URL"), which is what a reader sees.
//! - `eval related`: articles that came with their own `related` list (the
//!   seed site's judgement) against the desk's own list for them.

use std::collections::HashMap;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;
use newsdesk_analyze::eval::{parse_truth, score_clusters, score_duplicates, DupItem};
use newsdesk_desk::DeskPaths;
use newsdesk_store::ArticleId;
use serde_json::json;

#[derive(Subcommand)]
pub enum EvalCommand {
    /// Score stories and duplicates against labelled truth (a generated
    /// newsroom's truth.jsonl, a shared set's truth.jsonl, or a table).
    Stories {
        /// The truth file: JSON lines (`id` or `guid`/`url`, `story`,
        /// `duplicateOf`) or a tab-separated table with a header.
        #[arg(long)]
        truth: std::path::PathBuf,
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Compare the desk's related lists with the ones stored documents came with.
    Related {
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
    },
}

pub fn run(paths: &DeskPaths, command: EvalCommand) -> anyhow::Result<ExitCode> {
    match command {
        EvalCommand::Stories { truth, json } => stories(paths, &truth, json),
        EvalCommand::Related { json } => related(paths, json),
    }
}

fn identity(url: &str) -> String {
    let canon = newsdesk_normalize::canonical_url(url).unwrap_or_else(|_| url.to_string());
    format!("url:{canon}")
}

fn stories(paths: &DeskPaths, truth_path: &Path, as_json: bool) -> anyhow::Result<ExitCode> {
    let store = paths.open_store()?;
    let text = std::fs::read_to_string(truth_path)
        .with_context(|| format!("cannot read {}", truth_path.display()))?;
    let lines = parse_truth(&text, &truth_path.display().to_string())?;
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
    let mut find = |url: &str| -> anyhow::Result<Option<ArticleId>> {
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
        let s = store
            .article(*id)?
            .with_context(|| format!("article {id} vanished during the evaluation"))?;
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
    if as_json {
        println!(
            "{}",
            json!({
                "truthLines": lines.len(),
                "articles": order.len(),
                "missing": missing,
                "collapsedByUrl": collapsed,
                "truthCopies": truth_copies_total,
                "stories": c,
                "duplicates": d,
            })
        );
    } else {
        println!(
            "{} truth lines: {} distinct stored articles, {} not in the store, {} copies collapsed into their original by URL",
            lines.len(),
            order.len(),
            missing,
            collapsed
        );
        println!(
            "stories: {} true, {} found; pairwise P {:.4} R {:.4} F1 {:.4}; B-cubed P {:.4} R {:.4} F1 {:.4}",
            c.truth_clusters,
            c.predicted_clusters,
            c.pairwise.precision,
            c.pairwise.recall,
            c.pairwise.f1,
            c.bcubed.precision,
            c.bcubed.recall,
            c.bcubed.f1
        );
        println!(
            "duplicates: {} true copies, {} marked, {} right; P {:.4} R {:.4} F1 {:.4}",
            d.truth_copies,
            d.predicted_copies,
            d.correct,
            d.scores.precision,
            d.scores.recall,
            d.scores.f1
        );
    }
    Ok(if missing > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn related(paths: &DeskPaths, as_json: bool) -> anyhow::Result<ExitCode> {
    let store = paths.open_store()?;
    let (mut records, mut given, mut found, mut same_story, mut with_any) = (0, 0, 0, 0, 0);
    let mut after = 0;
    loop {
        let page = store.articles_after(after, 1000)?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for s in page.iter().filter(|s| !s.related.is_empty()) {
            records += 1;
            let ours = newsdesk_render::desk_related(&*store, s)?;
            let mut hit = false;
            for r in &s.related {
                given += 1;
                if ours.contains(r) {
                    found += 1;
                    hit = true;
                }
                if s.story.is_some() && store.article(*r)?.and_then(|x| x.story) == s.story {
                    same_story += 1;
                }
            }
            if hit {
                with_any += 1;
            }
        }
    }
    let share = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    if as_json {
        println!(
            "{}",
            json!({
                "records": records,
                "relatedGiven": given,
                "foundInDeskList": found,
                "inSameStory": same_story,
                "recall": share(found, given),
                "recordsWithAHit": with_any,
            })
        );
    } else {
        println!(
            "{records} records came with related lists ({given} entries): the desk's own lists hold {found} of them ({:.1}%), \
             {same_story} are in the record's story; {with_any} records share at least one entry",
            share(found, given) * 100.0
        );
    }
    Ok(ExitCode::SUCCESS)
}
