//! `newsdesk generate`: a synthetic newsroom's output, with its truth, for
//! trying the desk and for the benchmarks.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

use newsdesk_newsroom::{generate, write_feeds, Config};

pub fn run(
    out: &Path,
    events: usize,
    providers: usize,
    days: u32,
    seed: u64,
) -> anyhow::Result<ExitCode> {
    let config = Config {
        seed,
        events,
        providers,
        days,
        ..Config::default()
    };
    // Feeds in their own folder, so that `newsdesk ingest OUT/feeds` reads
    // just them; the truth beside it.
    let feeds = out.join("feeds");
    let written = write_feeds(&feeds, generate(&config))?;
    let truth = out.join("truth.jsonl");
    std::fs::rename(feeds.join("truth.jsonl"), &truth)
        .with_context(|| format!("moving the truth to {}", truth.display()))?;
    println!(
        "wrote {} articles in {} RSS feeds to {} and their truth to {}",
        written.articles,
        written.feeds,
        feeds.display(),
        truth.display()
    );
    Ok(ExitCode::SUCCESS)
}
