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
use serde_json::json;

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
    let (lines, order, missing, collapsed, c, d) = (
        r.truth_lines,
        r.articles,
        r.missing,
        r.collapsed,
        &r.stories,
        &r.duplicates,
    );
    if as_json {
        println!(
            "{}",
            json!({
                "truthLines": lines,
                "articles": order,
                "missing": missing,
                "collapsedByUrl": collapsed,
                "truthCopies": r.truth_copies,
                "stories": c,
                "duplicates": d,
            })
        );
    } else {
        println!(
            "{} truth lines: {} distinct stored articles, {} not in the store, {} copies collapsed into their original by URL",
            lines,
            order,
            missing,
            collapsed
        );
        println!(
            "stories: {} true, {} found; pairwise P {:.4} R {:.4} F1 {:.4}; B-cubed P {:.4} R {:.4} F1 {:.4}",
            c.truth_clusters,
            c.predicted_clusters,
            c.pairwise.precision,
            c.pairwise.recall,
            c.pairwise.f1,
            c.bcubed.precision,
            c.bcubed.recall,
            c.bcubed.f1
        );
        println!(
            "duplicates: {} true copies, {} marked, {} right; P {:.4} R {:.4} F1 {:.4}",
            d.truth_copies,
            d.predicted_copies,
            d.correct,
            d.scores.precision,
            d.scores.recall,
            d.scores.f1
        );
    }
    Ok(if missing > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn related(paths: &DeskPaths, as_json: bool) -> anyhow::Result<ExitCode> {
    let newsdesk_desk::eval::RelatedReport {
        records,
        given,
        found,
        same_story,
        with_any,
    } = newsdesk_desk::eval::related(paths)?;
    let share = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    if as_json {
        println!(
            "{}",
            json!({
                "records": records,
                "relatedGiven": given,
                "foundInDeskList": found,
                "inSameStory": same_story,
                "recall": share(found, given),
                "recordsWithAHit": with_any,
            })
        );
    } else {
        println!(
            "{records} records came with related lists ({given} entries): the desk's own lists hold {found} of them ({:.1}%), \
             {same_story} are in the record's story; {with_any} records share at least one entry",
            share(found, given) * 100.0
        );
    }
    Ok(ExitCode::SUCCESS)
}
