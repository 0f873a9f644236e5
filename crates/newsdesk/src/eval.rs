//! `newsdesk eval`: stories, duplicates and related lists scored against
//! labelled truth (`newsdesk_desk::eval`).

use std::process::ExitCode;

use clap::Subcommand;
use newsdesk_desk::DeskPaths;

#[derive(Subcommand)]
pub enum EvalCommand {
    /// Score stories and duplicates against labelled truth (truth.jsonl or a table).
    Stories {
        /// JSON lines (`id` or `guid`/`url`, `story`, `duplicateOf`) or a tab-separated table with a header.
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
    let (json, view, text, failed) = match command {
        EvalCommand::Stories { truth, json } => {
            let r = newsdesk_desk::eval::stories(paths, &truth)?;
            // Truth the store does not hold fails the run.
            (
                json,
                serde_json::to_value(r.view())?,
                r.text(),
                r.missing > 0,
            )
        }
        EvalCommand::Related { json } => {
            let r = newsdesk_desk::eval::related(paths)?;
            (json, serde_json::to_value(r.view())?, r.text(), false)
        }
    };
    if json {
        println!("{view}");
    } else {
        print!("{text}");
    }
    Ok(ExitCode::from(u8::from(failed)))
}
