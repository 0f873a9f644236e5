//! How fast the default topics classify articles: tokenizing (`Doc::new`) plus
//! evaluating every topic's query, on one thread.
//!
//! ```sh
//! cargo run --release -p newsdesk-topics --example topics_speed -- [--rounds 5] [--corpus 100000] [--synthetic 20000]
//! ```
//!
//! Two inputs: the 195 records of `../shared/corpus/everyday-ai` (title,
//! excerpt, provider: short texts), repeated to 100,000 articles; and a
//! synthetic newsroom stream (`newsdesk-newsroom`, seed 7; titles and full
//! bodies, a few hundred words each). Each round times the whole input; the
//! best round is reported.

use std::hint::black_box;
use std::time::Instant;

use newsdesk_model::Document;
use newsdesk_newsroom::{generate, Config};
use newsdesk_topics::{Doc, TopicSet};

struct Input {
    title: String,
    body: String,
    provider: String,
}

fn corpus() -> Vec<Input> {
    let Some(dir) = newsdesk_testkit::shared("corpus/everyday-ai") else {
        return Vec::new();
    };
    let mut paths = Vec::new();
    for sub in ["_archive/_news", "_news"] {
        for entry in std::fs::read_dir(dir.join(sub)).expect("corpus folder") {
            paths.push(entry.expect("entry").path());
        }
    }
    paths.sort();
    paths
        .iter()
        .map(|path| {
            let text = std::fs::read_to_string(path).expect("readable");
            let article = Document::parse(&text).expect("valid record").article;
            Input {
                body: article.excerpt.clone().unwrap_or_default(),
                provider: article
                    .provider
                    .as_ref()
                    .map(|p| format!("{} {}", p.name, p.domain))
                    .unwrap_or_default(),
                title: article.title,
            }
        })
        .collect()
}

fn synthetic(n: usize) -> Vec<Input> {
    let config = Config {
        seed: 7,
        events: n / 5 + 1,
        ..Config::default()
    };
    generate(&config)
        .take(n)
        .map(|g| {
            let a = g.article;
            Input {
                body: a.body.clone().or(a.excerpt.clone()).unwrap_or_default(),
                provider: a
                    .provider
                    .as_ref()
                    .map(|p| format!("{} {}", p.name, p.domain))
                    .unwrap_or_default(),
                title: a.title,
            }
        })
        .collect()
}

fn run(name: &str, inputs: &[Input], topics: &TopicSet, rounds: usize) {
    if inputs.is_empty() {
        println!("{name}: no input");
        return;
    }
    let words: usize = inputs
        .iter()
        .map(|i| i.title.split_whitespace().count() + i.body.split_whitespace().count())
        .sum();
    let mut best_all = f64::MAX;
    let mut best_tokenize = f64::MAX;
    let mut assigned = 0;
    for _ in 0..rounds {
        let start = Instant::now();
        for i in inputs {
            black_box(Doc::new(&i.title, &i.body, &i.provider));
        }
        best_tokenize = best_tokenize.min(start.elapsed().as_secs_f64());

        let start = Instant::now();
        assigned = 0;
        for i in inputs {
            let doc = Doc::new(&i.title, &i.body, &i.provider);
            assigned += black_box(topics.classify(&doc)).len();
        }
        best_all = best_all.min(start.elapsed().as_secs_f64());
    }
    let n = inputs.len() as f64;
    println!(
        "{name}: {} articles, {:.0} words each on average, {} topics",
        inputs.len(),
        words as f64 / n,
        topics.topics().len()
    );
    println!(
        "  tokenize + classify: {:.0} articles/s ({:.2} µs each); tokenize alone {:.0} articles/s; {:.2} topics per article",
        n / best_all,
        best_all / n * 1e6,
        n / best_tokenize,
        assigned as f64 / n
    );
}

fn main() {
    let mut rounds = 5;
    let mut synthetic_n = 20_000;
    let mut corpus_n = 100_000;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().and_then(|v| v.parse().ok());
        match (arg.as_str(), value) {
            ("--rounds", Some(v)) => rounds = v,
            ("--synthetic", Some(v)) => synthetic_n = v,
            ("--corpus", Some(v)) => corpus_n = v,
            _ => {
                eprintln!("usage: topics_speed [--rounds N] [--corpus N] [--synthetic N]");
                std::process::exit(2);
            }
        }
    }
    let topics = TopicSet::default_desk();
    let records = corpus();
    let repeated: Vec<Input> = records
        .iter()
        .cycle()
        .take(if records.is_empty() { 0 } else { corpus_n })
        .map(|i| Input {
            title: i.title.clone(),
            body: i.body.clone(),
            provider: i.provider.clone(),
        })
        .collect();
    run(
        "corpus everyday-ai (195 records, repeated)",
        &repeated,
        &topics,
        rounds,
    );
    run(
        "synthetic newsroom",
        &synthetic(synthetic_n),
        &topics,
        rounds,
    );
}
