//! `newsdesk generate`: a synthetic newsroom's output and its truth.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

use newsdesk_newsroom::{generate, write_feeds, Config};

#[derive(clap::Args)]
pub struct GenerateArgs {
    /// The folder to write (created if missing).
    out: PathBuf,
    #[arg(long, default_value_t = 200)]
    events: usize,
    #[arg(long, default_value_t = 40)]
    providers: usize,
    #[arg(long, default_value_t = 7)]
    days: u32,
    /// Same seed, same bytes.
    #[arg(long, default_value_t = 1)]
    seed: u64,
}

pub fn run(a: GenerateArgs) -> anyhow::Result<ExitCode> {
    let config = Config {
        seed: a.seed,
        events: a.events,
        providers: a.providers,
        days: a.days,
        ..Config::default()
    };
    // Feeds in their own folder (`newsdesk ingest OUT/feeds`), the truth beside it.
    let feeds = a.out.join("feeds");
    let written = write_feeds(&feeds, generate(&config))?;
    let truth = a.out.join("truth.jsonl");
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
