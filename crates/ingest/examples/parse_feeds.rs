//! Feed parsing throughput: parses every feed file given (files or folders,
//! recursively) `--repeat N` times and prints one JSON line:
//! `{"files":..,"bytes":..,"seconds":..,"feeds_per_s":..,"mb_per_s":..}`.
//!
//! `--threads N` splits the file list across N threads (default 1; the
//! JSON line then also has `"threads"`), to measure all-cores throughput.
//! `--dump` prints each parsed feed as JSON instead (for inspecting results).
//! Files are read once up front so the numbers measure parsing, not I/O.
//! feed-rs's expected-output files (`*.serde.json`) and licences are skipped.
//!
//! `cargo run --release -p newsdesk-ingest --example parse_feeds -- --repeat 20 ../shared/data/feeds/feed-rs-fixtures`

use std::path::{Path, PathBuf};
use std::time::Instant;

use newsdesk_ingest::feed::parse_feed;

fn is_feed_file(p: &Path) -> bool {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
    !name.ends_with(".serde.json")
        && (name.ends_with(".xml")
            || name.ends_with(".json")
            || name.ends_with(".rss")
            || name.ends_with(".atom")
            || name.ends_with(".rdf"))
}

fn collect(p: &Path, out: &mut Vec<PathBuf>) {
    if p.is_dir() {
        let Ok(rd) = std::fs::read_dir(p) else { return };
        let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for e in entries {
            collect(&e, out);
        }
    } else if is_feed_file(p) {
        out.push(p.to_path_buf());
    }
}

fn main() {
    let mut repeat = 1usize;
    let mut dump = false;
    let mut threads = 1usize;
    let mut paths = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--repeat" => {
                repeat = args.next().and_then(|n| n.parse().ok()).unwrap_or_else(|| {
                    eprintln!("--repeat needs a number");
                    std::process::exit(2)
                })
            }
            "--threads" => {
                threads = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|n| *n > 0)
                    .unwrap_or_else(|| {
                        eprintln!("--threads needs a positive number");
                        std::process::exit(2)
                    })
            }
            "--dump" => dump = true,
            _ => paths.push(PathBuf::from(a)),
        }
    }
    if paths.is_empty() {
        eprintln!("usage: parse_feeds [--repeat N] [--threads N] [--dump] FILE_OR_DIR...");
        std::process::exit(2);
    }
    let mut files = Vec::new();
    for p in &paths {
        if p.is_file() {
            files.push(p.clone());
        } else {
            collect(p, &mut files);
        }
    }
    let inputs: Vec<(String, Vec<u8>)> = files
        .iter()
        .filter_map(|f| Some((f.display().to_string(), std::fs::read(f).ok()?)))
        .collect();

    if dump {
        for (name, bytes) in &inputs {
            match parse_feed(bytes, name) {
                Ok(feed) => println!(
                    "{}",
                    serde_json::to_string_pretty(&feed).unwrap_or_else(|e| e.to_string())
                ),
                Err(e) => println!("error: {e}"),
            }
        }
        return;
    }

    let bytes: usize = inputs.iter().map(|(_, b)| b.len()).sum();
    let start = Instant::now();
    let ok: usize = if threads == 1 {
        parse_all(inputs.iter(), repeat)
    } else {
        // Files dealt out in turn, so that each thread gets a similar mix of
        // small and large feeds.
        let inputs = &inputs;
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads)
                .map(|t| s.spawn(move || parse_all(inputs.iter().skip(t).step_by(threads), repeat)))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("parser thread panicked"))
                .sum()
        })
    };
    let seconds = start.elapsed().as_secs_f64();
    let parsed = inputs.len() * repeat;
    println!(
        "{{\"files\":{},\"bytes\":{},\"repeat\":{},\"threads\":{},\"ok\":{},\"seconds\":{:.6},\"feeds_per_s\":{:.1},\"mb_per_s\":{:.2}}}",
        inputs.len(),
        bytes,
        repeat,
        threads,
        ok / repeat.max(1),
        seconds,
        parsed as f64 / seconds,
        (bytes * repeat) as f64 / seconds / 1e6
    );
}

/// Parses every input `repeat` times; returns how many parses succeeded.
fn parse_all<'a, I>(inputs: I, repeat: usize) -> usize
where
    I: Iterator<Item = &'a (String, Vec<u8>)> + Clone,
{
    let mut ok = 0usize;
    for _ in 0..repeat {
        for (name, b) in inputs.clone() {
            if parse_feed(b, name).is_ok() {
                ok += 1;
            }
        }
    }
    ok
}
