//! `newsdesk eval`: prints how the store's decisions score against labelled
//! truth (`newsdesk_desk::eval`).
//!
//! - `eval stories --truth FILE`: the truth of a generated newsroom
//!   (`newsdesk generate`), a shared set's `truth.jsonl` (`guid`, `url`,
//!   `story`) or a labelled table (see `newsdesk_analyze::eval::parse_truth`).
//! - `eval related`: articles that came with their own `related` list (the
//!   seed site's judgement) against the desk's own list for them.

use std::path::Path;
use std::process::ExitCode;

use clap::Subcommand;
use newsdesk_desk::DeskPaths;

#[derive(Subcommand)]
pub enum EvalCommand {
    /// Score stories and duplicates against labelled truth (a generated
    /// newsroom's truth.jsonl, a shared set's truth.jsonl, or a table).
    Stories {
        /// The truth file: JSON lines (`id` or `guid`/`url`, `story`,
        /// `duplicateOf`) or a tab-separated table with a header.
        #[arg(long)]
        truth: std::path::PathBuf,
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Compare the desk's related lists with the ones stored documents came with.
    Related {
        /// Print one JSON object instead of text.
        #[arg(long)]
        json: bool,
    },
}

pub fn run(paths: &DeskPaths, command: EvalCommand) -> anyhow::Result<ExitCode> {
    match command {
        EvalCommand::Stories { truth, json } => stories(paths, &truth, json),
        EvalCommand::Related { json } => related(paths, json),
    }
}

fn stories(paths: &DeskPaths, truth: &Path, as_json: bool) -> anyhow::Result<ExitCode> {
    let r = newsdesk_desk::eval::stories(paths, truth)?;
    if as_json {
        println!("{}", serde_json::to_value(r.view())?);
    } else {
        print!("{}", r.text());
    }
    Ok(ExitCode::from(u8::from(r.missing > 0)))
}

fn related(paths: &DeskPaths, as_json: bool) -> anyhow::Result<ExitCode> {
    let r = newsdesk_desk::eval::related(paths)?;
    if as_json {
        println!("{}", serde_json::to_value(r.view())?);
    } else {
        print!("{}", r.text());
    }
    Ok(ExitCode::SUCCESS)
}
