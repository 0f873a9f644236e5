//! Cost growth of near-duplicate lookup: time per article while the index
//! grows to 10k, 100k and 1M articles of a synthetic newsroom stream
//! (`newsdesk-newsroom`, seeded). Each article is signed (title + body),
//! queried against everything before it, then inserted; single thread.
//!
//! `cargo run --release -p newsdesk-analyze --example dedup_scale -- [--articles 1000000] [--threshold 0.8]`
//! prints one JSON line per checkpoint: articles indexed, µs per article over
//! the last stretch, bytes per indexed article, duplicate pairs found so far,
//! and how many of the stream's true copies (wire copies, re-posts) were found.

use std::time::Instant;

use newsdesk_analyze::{LshIndex, Signer};
use newsdesk_newsroom::{generate, Config, Kind};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let total: usize = args
        .iter()
        .position(|a| a == "--articles")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let threshold: f64 = args
        .iter()
        .position(|a| a == "--threshold")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.8);
    // About 5 articles per event at the default coverage and 40 providers.
    let config = Config {
        events: (total / 5).max(1),
        providers: 200,
        days: ((total / 20_000).max(7)) as u32,
        ..Config::default()
    };
    let mut signer = Signer::new();
    let mut index = LshIndex::for_threshold(threshold);
    let mut ids: Vec<String> = Vec::new();
    let mut checkpoints = vec![10_000usize, 100_000, 1_000_000];
    checkpoints.retain(|c| *c <= total);
    if checkpoints.last() != Some(&total) {
        checkpoints.push(total);
    }
    let (mut pairs, mut copies, mut copies_found) = (0usize, 0usize, 0usize);
    let mut text = String::new();
    let mut busy = 0f64;
    let mut last = (0usize, 0f64);
    for (n, g) in generate(&config).take(total).enumerate() {
        text.clear();
        text.push_str(&g.article.title);
        text.push('\n');
        text.push_str(g.article.body.as_deref().unwrap_or(""));
        let start = Instant::now();
        let hits = match signer.sign(&text) {
            Some(sig) => {
                let hits = index.query(&sig);
                index.insert(&sig);
                hits
            }
            None => Vec::new(),
        };
        busy += start.elapsed().as_secs_f64();
        pairs += hits.len();
        if matches!(g.truth.kind, Kind::Wire | Kind::Repost) {
            copies += 1;
            if let Some(orig) = &g.truth.duplicate_of {
                if hits
                    .iter()
                    .any(|(doc, _)| ids.get(*doc as usize) == Some(orig))
                {
                    copies_found += 1;
                }
            }
        }
        ids.push(g.truth.id);
        if checkpoints.first() == Some(&(n + 1)) {
            checkpoints.remove(0);
            let stretch = (n + 1 - last.0) as f64;
            println!(
                "{}",
                serde_json::json!({
                    "indexed": n + 1,
                    "us_per_article": (busy - last.1) / stretch * 1e6,
                    "articles_per_s": stretch / (busy - last.1),
                    "bytes_per_article": index.bytes_per_document(),
                    "pairs": pairs,
                    "true_copies": copies,
                    "copies_found": copies_found,
                })
            );
            last = (n + 1, busy);
        }
    }
}
