//! Query latency of the search index against SQLite FTS5 over the same texts.
//!
//! ```text
//! cargo run --release -p newsdesk-search --example search_bench -- [--docs N] [--rounds R] [--data DIR]
//! ```
//!
//! Indexes the Reuters-21578 stories (from `../shared/data/reuters-21578`, or
//! `--data`; synthetic texts when absent) into a tantivy index and an FTS5
//! table (`porter unicode61`, title weighted 2 like the index), both in a
//! temporary folder on disk, then runs a fixed list of queries `R` times
//! (after one warm-up round) and prints p50/p99 latency for:
//!
//! - `core`: the 10 best hits by BM25 and the total count, no snippets;
//! - `snippets`: the same plus highlighted title and excerpt passages (bodies are not stored)
//!   (`highlight()`/`snippet()` in FTS5).

use std::path::PathBuf;
use std::time::Instant;

use newsdesk_search::{Doc, SearchIndex, SearchQuery};
use newsdesk_testkit::latency::Latencies;

const QUERIES: &[&str] = &[
    "oil",
    "crude oil",
    "\"crude oil\"",
    "bank",
    "interest rates",
    "dollar yen",
    "wheat exports",
    "opec production",
    "trade deficit",
    "\"money supply\"",
    "coffee prices brazil",
    "gold",
    "stock market",
    "federal reserve",
    "soybean",
    "takeover bid",
    "earnings per share",
    "\"net loss\"",
    "japan",
    "ecuador",
];

struct Args {
    docs: usize,
    rounds: usize,
    data: Option<PathBuf>,
}

fn args() -> Args {
    let mut a = Args {
        docs: usize::MAX,
        rounds: 20,
        data: None,
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        let v = it.next().unwrap_or_default();
        match k.as_str() {
            "--docs" => a.docs = v.parse().expect("--docs N"),
            "--rounds" => a.rounds = v.parse().expect("--rounds R"),
            "--data" => a.data = Some(PathBuf::from(v)),
            other => {
                eprintln!("unknown argument {other}");
                std::process::exit(2);
            }
        }
    }
    a
}

fn reuters(dir: &std::path::Path, max: usize) -> Vec<Doc> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("reuters folder")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sgm"))
        .collect();
    files.sort();
    let mut docs = Vec::new();
    for f in files {
        let bytes = std::fs::read(&f).unwrap();
        let batch = newsdesk_ingest::reuters::parse_sgml(&bytes, &f.display().to_string())
            .expect("reuters file");
        for s in batch.stories {
            if docs.len() >= max {
                return docs;
            }
            let (Some(title), Some(body)) = (s.title, s.body) else {
                continue;
            };
            docs.push(Doc {
                id: i64::from(s.new_id),
                title,
                body: Some(body),
                topics: s.topics,
                published_at: s.date,
                published: Some(true),
                ..Doc::default()
            });
        }
    }
    docs
}

fn synthetic(n: usize) -> Vec<Doc> {
    const WORDS: &[&str] = &[
        "oil",
        "crude",
        "bank",
        "interest",
        "rates",
        "dollar",
        "yen",
        "wheat",
        "exports",
        "opec",
        "production",
        "trade",
        "deficit",
        "money",
        "supply",
        "coffee",
        "prices",
        "brazil",
        "gold",
        "stock",
        "market",
        "federal",
        "reserve",
        "soybean",
        "takeover",
        "bid",
        "earnings",
        "share",
        "net",
        "loss",
        "japan",
        "ecuador",
        "company",
        "said",
        "year",
        "pct",
        "billion",
        "million",
        "quarter",
        "government",
        "minister",
        "official",
        "week",
        "month",
        "new",
    ];
    let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        // Skewed towards the first words, roughly like real text.
        let r = (x % 1_000_000) as f64 / 1_000_000.0;
        WORDS[((r * r) * WORDS.len() as f64) as usize]
    };
    (0..n)
        .map(|i| {
            let title: Vec<&str> = (0..8).map(|_| next()).collect();
            let body: Vec<&str> = (0..150).map(|_| next()).collect();
            Doc {
                id: i as i64,
                title: title.join(" "),
                body: Some(body.join(" ")),
                ..Doc::default()
            }
        })
        .collect()
}

fn measure(rounds: usize, mut run: impl FnMut(&str) -> usize) -> (Latencies, usize) {
    let mut hits = 0;
    for q in QUERIES {
        hits += run(q); // warm-up
    }
    let mut times = Latencies::new();
    for _ in 0..rounds {
        for q in QUERIES {
            let t = Instant::now();
            std::hint::black_box(run(q));
            times.push(t.elapsed());
        }
    }
    (times, hits)
}

fn main() {
    let a = args();
    let data = a
        .data
        .clone()
        .or_else(|| newsdesk_testkit::shared("data/reuters-21578"))
        .filter(|d| d.is_dir());
    let docs = match &data {
        Some(d) => {
            let docs = reuters(d, a.docs);
            println!(
                "corpus: {} Reuters-21578 stories with title and body ({})",
                docs.len(),
                d.display()
            );
            docs
        }
        None => {
            let n = if a.docs == usize::MAX { 20_000 } else { a.docs };
            println!("corpus: {n} synthetic documents (Reuters data not found)");
            synthetic(n)
        }
    };
    let tmp = tempfile::tempdir().unwrap();

    // tantivy
    let t = Instant::now();
    let idx = SearchIndex::open_or_create(&tmp.path().join("index")).unwrap();
    for chunk in docs.chunks(1_000) {
        idx.add_batch(chunk).unwrap();
    }
    idx.commit().unwrap();
    let tantivy_build = t.elapsed();

    // FTS5
    let t = Instant::now();
    let mut db = rusqlite::Connection::open(tmp.path().join("fts.sqlite")).unwrap();
    db.execute_batch(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;
         CREATE VIRTUAL TABLE docs USING fts5(title, body, topics, tokenize='porter unicode61');",
    )
    .unwrap();
    {
        let tx = db.transaction().unwrap();
        {
            let mut ins = tx
                .prepare("INSERT INTO docs(rowid, title, body, topics) VALUES (?1, ?2, ?3, ?4)")
                .unwrap();
            for d in &docs {
                ins.execute(rusqlite::params![
                    d.id,
                    d.title,
                    d.body.as_deref().unwrap_or(""),
                    d.topics.join(" ")
                ])
                .unwrap();
            }
        }
        tx.commit().unwrap();
    }
    let fts_build = t.elapsed();
    println!(
        "build: tantivy {:.2} s, FTS5 {:.2} s ({} docs)",
        tantivy_build.as_secs_f64(),
        fts_build.as_secs_f64(),
        idx.doc_count()
    );

    let mut count = db
        .prepare("SELECT count(*) FROM docs WHERE docs MATCH ?1")
        .unwrap();
    let mut top = db
        .prepare("SELECT rowid FROM docs WHERE docs MATCH ?1 ORDER BY bm25(docs, 2.0, 1.0, 1.0) LIMIT 10")
        .unwrap();
    let mut top_snip = db
        .prepare(
            "SELECT rowid, highlight(docs, 0, '<b>', '</b>'), snippet(docs, 1, '<b>', '</b>', '…', 32)
             FROM docs WHERE docs MATCH ?1 ORDER BY bm25(docs, 2.0, 1.0, 1.0) LIMIT 10",
        )
        .unwrap();

    println!(
        "{} queries × {} rounds (after one warm-up round); latency per query",
        QUERIES.len(),
        a.rounds
    );
    println!(
        "{:<10} {:<8} {:>9} {:>9} {:>9}",
        "scenario", "engine", "p50 ms", "p99 ms", "max ms"
    );
    for snippets in [false, true] {
        let (mut tv, tv_hits) = measure(a.rounds, |q| {
            let mut sq = SearchQuery::new(q);
            sq.snippets = snippets;
            let r = idx.search(&sq).unwrap();
            r.total
        });
        let (mut fts, fts_hits) = measure(a.rounds, |q| {
            let n: i64 = count.query_row([q], |r| r.get(0)).unwrap();
            if snippets {
                let rows = top_snip
                    .query_map([q], |r| {
                        Ok((
                            r.get::<_, i64>(0)?,
                            r.get::<_, String>(1)?,
                            r.get::<_, String>(2)?,
                        ))
                    })
                    .unwrap()
                    .count();
                std::hint::black_box(rows);
            } else {
                let rows = top.query_map([q], |r| r.get::<_, i64>(0)).unwrap().count();
                std::hint::black_box(rows);
            }
            n as usize
        });
        let name = if snippets { "snippets" } else { "core" };
        for (engine, t) in [("tantivy", &mut tv), ("fts5", &mut fts)] {
            println!(
                "{:<10} {:<8} {:>9.3} {:>9.3} {:>9.3}",
                name,
                engine,
                t.ms(0.5),
                t.ms(0.99),
                t.ms(1.0)
            );
        }
        println!(
            "{:<10} fts5/tantivy p50 ratio {:.1}×, p99 ratio {:.1}×  (matches per round: tantivy {}, fts5 {})",
            name,
            fts.ms(0.5) / tv.ms(0.5),
            fts.ms(0.99) / tv.ms(0.99),
            tv_hits,
            fts_hits
        );
    }
}
