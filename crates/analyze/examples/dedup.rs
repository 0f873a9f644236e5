//! Near-duplicate detection throughput: for each text in order, sign it, ask
//! the LSH index for earlier texts with estimated similarity ≥ the threshold,
//! then add it. Single thread.
//!
//! `cargo run --release -p newsdesk-analyze --example dedup -- --reuters DIR --texts-out T.jsonl --pairs-out P.tsv`
//! reads the Reuters-21578 bodies (the non-empty ones), writes them as JSON
//! lines (so a peer can run on exactly the same texts), and writes each
//! duplicate pair found (`later<TAB>earlier`). Prints one JSON line of numbers.
//! `--texts FILE.jsonl` reads texts (`{"text": ...}` per line) instead;
//! `--newsroom N` takes the bodies of a generated stream's first N articles.

use std::io::{BufRead, Write};
use std::time::Instant;

use newsdesk_analyze::{LshIndex, Signer};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1).cloned())
    };
    let threshold: f64 = arg("--threshold")
        .and_then(|t| t.parse().ok())
        .unwrap_or(0.8);
    let mut texts: Vec<String> = Vec::new();
    if let Some(dir) = arg("--reuters") {
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .expect("read the Reuters folder")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "sgm"))
            .collect();
        files.sort();
        for f in files {
            let bytes = std::fs::read(&f).expect("read a Reuters file");
            let batch = newsdesk_ingest::reuters::parse_sgml(&bytes, &f.display().to_string())
                .expect("a Reuters file");
            texts.extend(batch.stories.into_iter().filter_map(|s| s.body));
        }
    } else if let Some(n) = arg("--newsroom").and_then(|n| n.parse::<usize>().ok()) {
        // A generated stream's article bodies, in publication order.
        let config = newsdesk_newsroom::Config {
            events: (n / 5).max(1),
            providers: 200,
            days: ((n / 20_000).max(7)) as u32,
            ..newsdesk_newsroom::Config::default()
        };
        texts.extend(
            newsdesk_newsroom::generate(&config)
                .take(n)
                .filter_map(|g| g.article.body),
        );
    } else if let Some(path) = arg("--texts") {
        let file = std::io::BufReader::new(std::fs::File::open(path).expect("open the texts"));
        for line in file.lines() {
            let v: serde_json::Value = serde_json::from_str(&line.expect("a line")).expect("JSON");
            texts.push(v["text"].as_str().unwrap_or_default().to_string());
        }
    } else {
        eprintln!("usage: dedup (--reuters DIR | --newsroom N | --texts FILE.jsonl) [--threshold 0.8] [--texts-out F] [--pairs-out F]");
        std::process::exit(2);
    }
    if let Some(path) = arg("--texts-out") {
        let mut out =
            std::io::BufWriter::new(std::fs::File::create(path).expect("create texts-out"));
        for t in &texts {
            writeln!(out, "{}", serde_json::json!({ "text": t })).expect("write");
        }
    }

    let mut signer = Signer::new();
    let mut index = LshIndex::for_threshold(threshold);
    let mut pairs: Vec<(usize, u32)> = Vec::new();
    let mut ids: Vec<usize> = Vec::with_capacity(texts.len());
    let start = Instant::now();
    for (i, t) in texts.iter().enumerate() {
        let Some(sig) = signer.sign(t) else { continue };
        for (doc, _) in index.query(&sig) {
            pairs.push((i, doc));
        }
        let doc = index.insert(&sig);
        debug_assert_eq!(doc as usize, ids.len());
        ids.push(i);
    }
    let seconds = start.elapsed().as_secs_f64();
    if let Some(path) = arg("--pairs-out") {
        let mut out =
            std::io::BufWriter::new(std::fs::File::create(path).expect("create pairs-out"));
        for (later, doc) in &pairs {
            writeln!(out, "{later}\t{}", ids[*doc as usize]).expect("write");
        }
    }
    let (bands, rows) = index.layout();
    println!(
        "{}",
        serde_json::json!({
            "texts": texts.len(),
            "indexed": index.len(),
            "pairs": pairs.len(),
            "seconds": seconds,
            "docs_per_s": texts.len() as f64 / seconds,
            "bands": bands,
            "rows": rows,
            "bytes_per_doc": index.bytes_per_document(),
        })
    );
}
