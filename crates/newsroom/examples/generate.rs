//! Generates a synthetic news stream and reports how many articles and how
//! fast.
//!
//! ```text
//! cargo run --release -p newsdesk-newsroom --example generate -- \
//!     --events 200 --providers 40 --days 7 --seed 1 [--out DIR] [--jsonl FILE]
//! ```
//!
//! With `--out` it writes per-provider RSS feeds and `truth.jsonl` into DIR;
//! with `--jsonl` one JSON object per article (`-` for stdout); with neither
//! it only generates, to measure speed.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use newsdesk_newsroom::{generate, write_feeds, write_jsonl, Config};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("generate: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let mut config = Config::default();
    let mut out: Option<PathBuf> = None;
    let mut jsonl: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{flag} needs a value"));
        let number = |v: String| {
            v.parse::<u64>()
                .map_err(|_| format!("{flag}: expected a whole number, found {v:?}"))
        };
        match flag.as_str() {
            "--events" => config.events = number(value()?)? as usize,
            "--providers" => config.providers = number(value()?)? as usize,
            "--days" => {
                config.days =
                    u32::try_from(number(value()?)?).map_err(|_| "--days: too large".to_string())?
            }
            "--seed" => config.seed = number(value()?)?,
            "--out" => out = Some(PathBuf::from(value()?)),
            "--jsonl" => jsonl = Some(value()?),
            "-h" | "--help" => {
                println!("usage: generate [--events N] [--providers N] [--days N] [--seed N] [--out DIR] [--jsonl FILE|-]");
                return Ok(());
            }
            other => return Err(format!("unknown argument {other:?}; try --help")),
        }
    }
    let started = Instant::now();
    let count = match (&out, &jsonl) {
        (Some(dir), _) => {
            let written = write_feeds(dir, generate(&config)).map_err(|e| e.to_string())?;
            eprintln!(
                "wrote {} feeds and truth.jsonl to {}",
                written.feeds,
                dir.display()
            );
            written.articles
        }
        (None, Some(path)) if path == "-" => {
            write_jsonl(std::io::stdout().lock(), generate(&config)).map_err(|e| e.to_string())?
        }
        (None, Some(path)) => {
            let file = std::fs::File::create(path).map_err(|e| format!("{path}: {e}"))?;
            write_jsonl(file, generate(&config)).map_err(|e| e.to_string())?
        }
        (None, None) => {
            let mut n = 0usize;
            let mut bytes = 0usize;
            for g in generate(&config) {
                n += 1;
                bytes += g.article.body.as_ref().map_or(0, String::len);
            }
            eprintln!("body text: {:.1} MB", bytes as f64 / 1e6);
            n
        }
    };
    // Writing to JSON lines after feeds: generation is deterministic, so a
    // second pass gives the same articles.
    if let (Some(_), Some(path)) = (&out, &jsonl) {
        let file = std::fs::File::create(path).map_err(|e| format!("{path}: {e}"))?;
        write_jsonl(file, generate(&config)).map_err(|e| e.to_string())?;
    }
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "{count} articles ({} events, {} providers, {} days, seed {}) in {secs:.2} s: {:.0} articles/s",
        config.events,
        config.providers,
        config.days,
        config.seed,
        count as f64 / secs.max(1e-9)
    );
    Ok(())
}
