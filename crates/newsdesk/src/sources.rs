//! `newsdesk sources`: the feeds the desk follows on the web (`newsdesk run`
//! polls them), and what their polls said.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::Utc;
use clap::Subcommand;
use newsdesk_desk::sources::{self, feed_url, follow, health_of, Followed};
use newsdesk_desk::DeskPaths;
use newsdesk_render::sources::SourceView;

#[derive(Subcommand)]
pub enum SourcesCommand {
    /// Follow a feed (RSS, Atom, JSON Feed) by its http or https URL.
    Add {
        url: String,
        /// A title to show instead of the feed's own.
        #[arg(long)]
        title: Option<String>,
    },
    /// Follow every feed of an OPML subscription list.
    Import { file: PathBuf },
    /// The followed feeds and their health: last success, errors, next poll, dead.
    List {
        /// As JSON (an array of objects).
        #[arg(long)]
        json: bool,
    },
    /// Stop following a feed (its articles stay).
    Remove { url: String },
}

pub fn run(paths: &DeskPaths, command: SourcesCommand) -> anyhow::Result<ExitCode> {
    let now = Utc::now();
    match command {
        SourcesCommand::Add { url: raw, title } => {
            let url = feed_url(&raw)?;
            let title = title
                .map(|t| t.trim().to_string())
                .filter(|t| !t.is_empty());
            let said = match follow(paths, &mut *paths.open_store()?, &url, title, now)? {
                Followed::New => "following",
                Followed::Already => "already following",
                Followed::Revived => "following again (it was dead)",
            };
            println!("{said} {url}");
        }
        SourcesCommand::Import { file } => {
            let r = sources::import(paths, &file, now)?;
            let (locator, skipped) = (file.display(), r.skipped.len());
            println!(
                "{locator}: {} subscriptions: {} newly followed, {} already followed, {skipped} skipped",
                r.listed, r.new, r.already
            );
            for s in &r.skipped {
                eprintln!("skipped: {locator}: {s}");
            }
        }
        SourcesCommand::List { json } => return list(paths, json),
        SourcesCommand::Remove { url } => {
            let removed = sources::unfollow(&mut *paths.open_store()?, &url)?;
            let url = url.trim();
            if !removed {
                eprintln!("error: {url} is not a followed source (see `newsdesk sources list`)");
                return Ok(ExitCode::from(1));
            }
            println!("stopped following {url} (its articles stay)");
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn list(paths: &DeskPaths, json: bool) -> anyhow::Result<ExitCode> {
    let views: Vec<SourceView> = (paths.open_store()?.followed_sources()?.into_iter())
        .map(|s| {
            let h = health_of(paths, &s);
            SourceView::new(s, h)
        })
        .collect();
    if json {
        println!("{}", serde_json::to_string_pretty(&views)?);
    } else {
        print!("{}", newsdesk_render::sources::text(&views));
    }
    Ok(ExitCode::SUCCESS)
}
