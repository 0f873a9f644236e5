//! The desk's stories and copies on the real labelled sets (the UCI News
//! Aggregator development half, the everyday-ai records with this crate's
//! development labels), in memory, scored: one JSON line per set.
//!
//! `cargo run --release -p newsdesk-analyze --example stories_real -- [--shared DIR] [--join X] [--join-excerpt X] [--join-short X] [--member X] [--member-short X] [--member-strong X] [--merge X] [--merge-stories X] [--converge X] [--window SECONDS] [--decay SECONDS] [--similar X] [--pairs]`
//!
//! `--shared` defaults to `../shared` beside the workspace. The options
//! override the default configuration (for exploring; the figures in
//! BENCHMARKS.md are the defaults').

#[path = "../tests/it/real_sets.rs"]
mod real_sets;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use newsdesk_analyze::desk::Config;

fn arg<T: std::str::FromStr>(args: &[String], name: &str) -> Option<T> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let shared: PathBuf = arg(&args, "--shared")
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"));
    let mut config = Config::default();
    if let Some(v) = arg(&args, "--join") {
        config.join = v;
    }
    if let Some(v) = arg(&args, "--member") {
        config.member = v;
    }
    if let Some(v) = arg(&args, "--merge-stories") {
        config.merge_stories = v;
    }
    if let Some(v) = arg(&args, "--join-excerpt") {
        config.join_excerpt = v;
    }
    if let Some(v) = arg(&args, "--join-short") {
        config.join_short = v;
    }
    if let Some(v) = arg(&args, "--member-short") {
        config.member_short = v;
    }
    if let Some(v) = arg(&args, "--member-strong") {
        config.member_strong = v;
    }
    if let Some(v) = arg(&args, "--merge") {
        config.merge = v;
    }
    if let Some(v) = arg(&args, "--converge") {
        config.converge = v;
    }
    if let Some(v) = arg(&args, "--window") {
        config.window = v;
    }
    if let Some(v) = arg(&args, "--decay") {
        config.decay = v;
    }
    if let Some(v) = arg(&args, "--similar") {
        config.similar = v;
    }
    for load in [real_sets::uci, real_sets::everyday_ai] {
        let set = match load(&shared) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::FAILURE;
            }
        };
        let start = Instant::now();
        let (s, terms) = real_sets::run_with_terms(&set, config.clone());
        if args.iter().any(|a| a == "--pairs") {
            pairs(&set, &terms);
        }
        if let Some(list) = arg::<String>(&args, "--cosines") {
            // `--cosines 33,44,86`: the articles' pairwise cosines.
            let ids: Vec<i64> = list.split(',').filter_map(|x| x.parse().ok()).collect();
            for (x, a) in ids.iter().enumerate() {
                for b in &ids[x + 1..] {
                    if let (Some(ta), Some(tb)) = (terms.get(a), terms.get(b)) {
                        eprintln!("{} {a} {b}: {:.3}", set.name, ta.dot(tb));
                    }
                }
            }
        }
        if args.iter().any(|a| a == "--show") && set.name == "everyday-ai" {
            show(&set, &s);
        }
        let secs = start.elapsed().as_secs_f64();
        println!(
            "{}",
            serde_json::json!({
                "set": set.name,
                "articles": set.items.len(),
                "labelled": s.stories.items,
                "stories": s.stories,
                "copies": s.copies,
                "seconds": secs,
            })
        );
    }
    ExitCode::SUCCESS
}

/// Prints (to stderr) how article-to-article cosines spread for pairs of one
/// story and pairs of two, by the shorter vector's number of terms.
fn pairs(
    set: &real_sets::Set,
    terms: &std::collections::HashMap<i64, newsdesk_analyze::features::TermVector>,
) {
    let ids: Vec<i64> = {
        let mut v: Vec<i64> = set.story.keys().copied().collect();
        v.sort_unstable();
        v
    };
    // [short | long][same | other][cosine decile]
    let mut hist = [[[0u64; 10]; 2]; 2];
    for (x, a) in ids.iter().enumerate() {
        for b in &ids[x + 1..] {
            let (ta, tb) = (&terms[a], &terms[b]);
            let c = ta.dot(tb).clamp(0.0, 0.999);
            let short = (ta.0.len().min(tb.0.len()) >= 16) as usize;
            let same = (set.story[a] != set.story[b]) as usize;
            hist[short][same][(c * 10.0) as usize] += 1;
        }
    }
    for (l, name) in ["<16 terms", ">=16 terms"].iter().enumerate() {
        for (s, kind) in ["same", "other"].iter().enumerate() {
            let total: u64 = hist[l][s].iter().sum();
            let share: Vec<String> = hist[l][s]
                .iter()
                .map(|n| format!("{:.4}", *n as f64 / total.max(1) as f64))
                .collect();
            eprintln!("{} {name} {kind} ({total}): {}", set.name, share.join(" "));
        }
    }
}

/// Prints (to stderr) each true story of more than one article with the
/// stories and originals found for its articles, and each found story
/// that mixes true ones.
fn show(set: &real_sets::Set, s: &real_sets::Scores) {
    use std::collections::BTreeMap;
    let title: std::collections::HashMap<i64, &str> =
        set.items.iter().map(|i| (i.id, i.title.as_str())).collect();
    let mut truth: BTreeMap<&str, Vec<i64>> = BTreeMap::new();
    let mut found: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for (id, st) in &set.story {
        truth.entry(st.as_str()).or_default().push(*id);
        found.entry(s.placed[id].0).or_default().push(*id);
    }
    for (st, ids) in &truth {
        if ids.len() < 2 {
            continue;
        }
        eprintln!("true {st}:");
        for id in ids {
            let (story, copy) = s.placed[id];
            eprintln!(
                "   {id:>4} story {story:>4} copy {:>5} (truth root {:>4}) {}",
                copy.map_or("-".to_string(), |c| c.to_string()),
                set.root[id],
                title[id]
            );
        }
    }
    for (story, ids) in &found {
        let kinds: std::collections::HashSet<&str> =
            ids.iter().map(|i| set.story[i].as_str()).collect();
        if kinds.len() > 1 {
            eprintln!("found {story} mixes:");
            for id in ids {
                eprintln!("   {id:>4} {:<34} {}", set.story[id], title[id]);
            }
        }
    }
}
