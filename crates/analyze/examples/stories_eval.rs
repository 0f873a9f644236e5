//! The desk's duplicate and story decisions on a synthetic newsroom stream,
//! scored against its truth, in memory (no store): for tuning and for the
//! scale benchmark.
//!
//! `cargo run --release -p newsdesk-analyze --example stories_eval -- [--articles N] [--events N] [--providers N] [--days N] [--seed N] [--join X] [--merge X] [--checkpoints 10000,100000,1000000] [--batch N]`
//!
//! Prints one JSON line per checkpoint (µs per article over the last
//! stretch: wall time around each `Desk::add`, and the thread's CPU time
//! around batches of them, which a shared machine disturbs less; memory per
//! article) and a final line with the scores and fingerprints of the results
//! (equal fingerprints: the same decisions and the same stored snapshots).
//! `--worst N` also prints (to stderr) the N found stories that mix the
//! most true stories, with a title from each, to see what the desk confuses.

use std::collections::HashMap;
use std::time::Instant;

use newsdesk_analyze::desk::{signature_bytes, terms_bytes, Config as DeskConfig, Desk, Input};
use newsdesk_analyze::eval::{score_clusters, score_duplicates, DupItem};
use newsdesk_newsroom::{generate, Config};
use xxhash_rust::xxh3::xxh3_64;

fn arg<T: std::str::FromStr>(args: &[String], name: &str) -> Option<T> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
}

/// Articles generated at a time (see the main loop), unless `--batch`.
const BATCH: usize = 1_000;

/// CPU time this thread has run, in seconds (Linux; `None` elsewhere).
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(ns as f64 * 1e-9)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let total: usize = arg(&args, "--articles").unwrap_or(20_000);
    // About 5,000 articles a day (1,000 events): a busy desk. Denser
    // streams (`--days`) run out of the generator's names and topics, so
    // that distinct events read alike.
    let mut config = Config {
        events: (total / 5).max(1),
        providers: 200,
        days: ((total / 5_000).max(7)) as u32,
        ..Config::default()
    };
    if let Some(e) = arg(&args, "--events") {
        config.events = e;
    }
    if let Some(p) = arg(&args, "--providers") {
        config.providers = p;
    }
    if let Some(d) = arg(&args, "--days") {
        config.days = d;
    }
    if let Some(s) = arg(&args, "--seed") {
        config.seed = s;
    }
    let mut desk_config = DeskConfig::default();
    if let Some(j) = arg(&args, "--join") {
        desk_config.join = j;
    }
    if let Some(m) = arg(&args, "--merge") {
        desk_config.merge = m;
    }
    let mut checkpoints: Vec<usize> = arg::<String>(&args, "--checkpoints")
        .map(|s| s.split(',').filter_map(|x| x.parse().ok()).collect())
        .unwrap_or_else(|| vec![10_000, 100_000, 1_000_000]);
    checkpoints.retain(|c| *c < total);
    checkpoints.push(total);

    let mut desk = Desk::new(desk_config);
    // Article identity as the store keys it: the canonical URL.
    let mut ids: HashMap<String, i64> = HashMap::new();
    let mut truth_story: HashMap<i64, u64> = HashMap::new();
    let mut truth_root: HashMap<i64, i64> = HashMap::new();
    let worst: usize = arg(&args, "--worst").unwrap_or(0);
    let mut titles: HashMap<i64, String> = HashMap::new();
    let mut busy = 0f64;
    let mut cpu = 0f64;
    let mut last = (0usize, 0f64, 0f64);
    let mut n = 0usize;
    // Fingerprints, to tell whether a change to the engine changed results:
    // of every snapshot, and of the final story and original of each article.
    let mut snapshots = 0u64;
    // `--batch 1` generates each article right before the desk reads it, as
    // a feed reader would: the generator's work then evicts some of the
    // desk's data from the caches between articles. CPU time is only
    // measured for batches of 100 or more (reading it costs microseconds).
    let batch_size: usize = arg(&args, "--batch").unwrap_or(BATCH).max(1);
    let mut stream = generate(&config).take(total);
    loop {
        // Articles are generated a batch at a time, so that the desk's CPU
        // time can be read around a batch (the machine may be shared: wall
        // time then says little).
        let size = batch_size.min(checkpoints.first().map_or(batch_size, |c| c - n));
        let batch: Vec<_> = stream.by_ref().take(size).collect();
        if batch.is_empty() {
            break;
        }
        let mut ids_of = Vec::with_capacity(batch.len());
        for g in &batch {
            let url = g.truth.id.clone();
            let key = newsdesk_normalize::canonical_url(&url).unwrap_or(url);
            let next = ids.len() as i64 + 1;
            let id = *ids.entry(key).or_insert(next);
            ids_of.push(id);
            truth_story.entry(id).or_insert(g.truth.story);
            if worst > 0 {
                titles.entry(id).or_insert_with(|| g.article.title.clone());
            }
            if !truth_root.contains_key(&id) {
                let root = g
                    .truth
                    .duplicate_of
                    .as_ref()
                    .and_then(|o| {
                        let k = newsdesk_normalize::canonical_url(o).unwrap_or(o.clone());
                        ids.get(&k).copied()
                    })
                    .map(|o| truth_root.get(&o).copied().unwrap_or(o))
                    .unwrap_or(id);
                truth_root.insert(id, root);
            }
        }
        let mut decisions = Vec::with_capacity(batch.len());
        let cpu_start = cpu_seconds().filter(|_| batch_size >= 100);
        for (g, &id) in batch.iter().zip(&ids_of) {
            let a = &g.article;
            let published = a.published_at.map(|d| d.timestamp());
            let provider = a.provider.as_ref().map_or("", |p| p.domain.as_str());
            let input = Input {
                id,
                title: &a.title,
                body: a.body.as_deref(),
                excerpt: a.excerpt.as_deref(),
                published,
                seen: published.unwrap_or(0),
                provider,
                credibility: 0,
            };
            let start = Instant::now();
            let decision = desk.add(&input);
            desk.take_changes();
            busy += start.elapsed().as_secs_f64();
            decisions.push(decision);
        }
        if let (Some(start), Some(end)) = (cpu_start, cpu_seconds()) {
            cpu += end - start;
        }
        for decision in &decisions {
            // What would be persisted for this text: signature and terms.
            if let Some(sig) = &decision.snapshot.signature {
                snapshots = snapshots.rotate_left(7) ^ xxh3_64(&signature_bytes(sig));
            }
            snapshots = snapshots.rotate_left(7) ^ xxh3_64(&terms_bytes(&decision.snapshot.terms));
        }
        n += batch.len();
        if checkpoints.first() == Some(&n) {
            checkpoints.remove(0);
            let stretch = (n - last.0) as f64;
            println!(
                "{}",
                serde_json::json!({
                    "indexed": n,
                    "us_per_article": (busy - last.1) / stretch * 1e6,
                    "articles_per_s": stretch / (busy - last.1),
                    "cpu_us_per_article": (cpu > 0.0).then(|| (cpu - last.2) / stretch * 1e6),
                    "bytes_per_article": desk.bytes_per_article(),
                })
            );
            last = (n, busy, cpu);
        }
    }
    let mut clusters = Vec::new();
    let mut dups = Vec::new();
    let mut keys: Vec<i64> = truth_story.keys().copied().collect();
    keys.sort_unstable();
    let mut placements = 0u64;
    for id in keys {
        let story = desk.story_of(id).unwrap_or(-id);
        let original = desk.duplicate_of(id).unwrap_or(0);
        placements = placements.rotate_left(7)
            ^ xxh3_64(
                &[
                    id.to_le_bytes(),
                    story.to_le_bytes(),
                    original.to_le_bytes(),
                ]
                .concat(),
            );
        clusters.push((truth_story[&id], story));
        dups.push(DupItem {
            id,
            truth_root: truth_root[&id],
            predicted_root: desk.duplicate_of(id).map(|o| truth_root[&o]),
        });
    }
    if worst > 0 {
        // Found story → (true story → members).
        let mut found: HashMap<i64, HashMap<u64, Vec<i64>>> = HashMap::new();
        let mut ids: Vec<i64> = truth_story.keys().copied().collect();
        ids.sort_unstable();
        for id in ids {
            if let Some(st) = desk.story_of(id) {
                found
                    .entry(st)
                    .or_default()
                    .entry(truth_story[&id])
                    .or_default()
                    .push(id);
            }
        }
        let mut mixed: Vec<(i64, HashMap<u64, Vec<i64>>)> =
            found.into_iter().filter(|(_, m)| m.len() > 1).collect();
        mixed.sort_by_key(|(st, m)| (std::cmp::Reverse(m.len()), *st));
        for (st, m) in mixed.iter().take(worst) {
            eprintln!("story {st}: {} true stories", m.len());
            let mut parts: Vec<(&u64, &Vec<i64>)> = m.iter().collect();
            parts.sort_by_key(|(t, v)| (std::cmp::Reverse(v.len()), **t));
            for (t, v) in parts.iter().take(6) {
                eprintln!("  true {t} ({} articles): {}", v.len(), titles[&v[0]]);
            }
        }
    }
    let s = score_clusters(&clusters);
    let d = score_duplicates(&dups);
    println!(
        "{}",
        serde_json::json!({
            "articles": n,
            "distinct": s.items,
            "stories": s,
            "duplicates": d,
            "articles_per_s": n as f64 / busy,
            "cpu_articles_per_s": (cpu > 0.0).then(|| n as f64 / cpu),
            "fingerprint": {
                "snapshots": format!("{snapshots:016x}"),
                "placements": format!("{placements:016x}"),
            },
        })
    );
}
