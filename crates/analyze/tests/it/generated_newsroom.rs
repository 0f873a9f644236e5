//! The desk on generated newsrooms, in memory: the default one (the
//! issue's target, B-cubed ≥ 0.95) and the harder one
//! (`newsdesk_newsroom::Config::harder`: headline-only items, shortened
//! headlines, later developments of an ongoing story, a dense week whose
//! events share names and topic words), each with its own floor.

use std::collections::HashMap;

use newsdesk_analyze::desk::{Config as DeskConfig, Desk, Input};
use newsdesk_analyze::eval::{
    score_clusters, score_duplicates, ClusterScores, DupItem, DuplicateScores,
};
use newsdesk_newsroom::{generate, Config};

fn run(config: &Config) -> (ClusterScores, DuplicateScores) {
    let mut desk = Desk::new(DeskConfig::default());
    let mut ids: HashMap<String, i64> = HashMap::new();
    let mut story: HashMap<i64, u64> = HashMap::new();
    let mut root: HashMap<i64, i64> = HashMap::new();
    for g in generate(config) {
        let key = newsdesk_normalize::canonical_url(&g.truth.id).unwrap_or(g.truth.id.clone());
        let next = ids.len() as i64 + 1;
        let id = *ids.entry(key).or_insert(next);
        story.entry(id).or_insert(g.truth.story);
        if !root.contains_key(&id) {
            let r = g
                .truth
                .duplicate_of
                .as_ref()
                .and_then(|o| {
                    ids.get(&newsdesk_normalize::canonical_url(o).unwrap_or(o.clone()))
                        .copied()
                })
                .map(|o| root.get(&o).copied().unwrap_or(o))
                .unwrap_or(id);
            root.insert(id, r);
        }
        let a = &g.article;
        let published = a.published_at.map(|d| d.timestamp());
        desk.add(&Input {
            id,
            title: &a.title,
            body: a.body.as_deref(),
            excerpt: a.excerpt.as_deref(),
            published,
            seen: published.unwrap_or(0),
            provider: a.provider.as_ref().map_or("", |p| p.domain.as_str()),
            credibility: 0,
        });
        desk.take_changes();
    }
    let mut keys: Vec<i64> = story.keys().copied().collect();
    keys.sort_unstable();
    let clusters: Vec<(u64, i64)> = keys
        .iter()
        .map(|id| (story[id], desk.story_of(*id).unwrap_or(-id)))
        .collect();
    let dups: Vec<DupItem<i64>> = keys
        .iter()
        .map(|id| DupItem {
            id: *id,
            truth_root: root[id],
            predicted_root: desk.duplicate_of(*id).map(|o| root[&o]),
        })
        .collect();
    (score_clusters(&clusters), score_duplicates(&dups))
}

fn report(name: &str, s: &ClusterScores, d: &DuplicateScores) {
    eprintln!(
        "{name}: {} articles; stories B3 P {:.4} R {:.4} F1 {:.4}, pairwise F1 {:.4} ({} found, {} true); \
         copies P {:.4} R {:.4}",
        s.items,
        s.bcubed.precision,
        s.bcubed.recall,
        s.bcubed.f1,
        s.pairwise.f1,
        s.predicted_clusters,
        s.truth_clusters,
        d.scores.precision,
        d.scores.recall
    );
}

#[test]
fn the_default_newsroom_is_grouped_as_before() {
    let config = Config {
        events: 600,
        providers: 60,
        ..Config::default()
    };
    let (s, d) = run(&config);
    report("default", &s, &d);
    assert!(s.bcubed.f1 >= 0.95, "B3 F1 {}", s.bcubed.f1);
    assert!(d.scores.precision >= 0.99 && d.scores.recall >= 0.97);
}

#[test]
fn the_harder_newsroom_holds_its_floor() {
    let config = Config {
        events: 600,
        providers: 60,
        ..Config::harder()
    };
    let (s, d) = run(&config);
    report("harder", &s, &d);
    assert!(s.bcubed.f1 >= HARDER_B3, "B3 F1 {}", s.bcubed.f1);
    assert!(d.scores.precision >= 0.98);
}

/// A little under the figure measured with the default desk configuration.
const HARDER_B3: f64 = 0.85;
