//! `newsdesk sources`: the feeds the desk follows on the web (`newsdesk run`
//! polls them), and what their polls said.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::Utc;
use clap::Subcommand;
use newsdesk_desk::sources::{self, feed_url, follow, health_of, Followed};
use newsdesk_desk::DeskPaths;

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
    /// The followed feeds and their health: last success, consecutive
    /// errors, last error, next poll, dead.
    List {
        /// As JSON (an array of objects).
        #[arg(long)]
        json: bool,
    },
    /// Stop following a feed (its articles stay).
    Remove { url: String },
}

pub fn run(paths: &DeskPaths, command: SourcesCommand) -> anyhow::Result<ExitCode> {
    match command {
        SourcesCommand::Add { url, title } => add(paths, &url, title),
        SourcesCommand::Import { file } => import(paths, &file),
        SourcesCommand::List { json } => list(paths, json),
        SourcesCommand::Remove { url } => remove(paths, &url),
    }
}

fn add(paths: &DeskPaths, raw: &str, title: Option<String>) -> anyhow::Result<ExitCode> {
    let url = feed_url(raw)?;
    let mut store = paths.open_store()?;
    let title = title
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty());
    let new = follow(paths, &mut *store, &url, title, Utc::now())?;
    println!(
        "{} {url}",
        match new {
            Followed::New => "following",
            Followed::Already => "already following",
            Followed::Revived => "following again (it was dead)",
        }
    );
    Ok(ExitCode::SUCCESS)
}

fn import(paths: &DeskPaths, file: &Path) -> anyhow::Result<ExitCode> {
    let locator = file.display();
    let r = sources::import(paths, file, Utc::now())?;
    println!(
        "{locator}: {} subscriptions: {} newly followed, {} already followed, {} skipped",
        r.listed,
        r.new,
        r.already,
        r.skipped.len()
    );
    for s in &r.skipped {
        eprintln!("skipped: {locator}: {s}");
    }
    Ok(ExitCode::SUCCESS)
}

fn remove(paths: &DeskPaths, raw: &str) -> anyhow::Result<ExitCode> {
    let removed = sources::unfollow(&mut *paths.open_store()?, raw)?;
    let raw = raw.trim();
    if removed {
        println!("stopped following {raw} (its articles stay)");
        return Ok(ExitCode::SUCCESS);
    }
    eprintln!("error: {raw} is not a followed source (see `newsdesk sources list`)");
    Ok(ExitCode::from(1))
}

/// One line of `sources list --json` (the API's `/api/v1/sources` shape).
type Row = newsdesk_server::sources::SourceView;

fn list(paths: &DeskPaths, json: bool) -> anyhow::Result<ExitCode> {
    let store = paths.open_store()?;
    let rows: Vec<Row> = store
        .followed_sources()?
        .into_iter()
        .map(|s| {
            let h = health_of(paths, &s);
            Row::new(s, h)
        })
        .collect();
    if json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(ExitCode::SUCCESS);
    }
    if rows.is_empty() {
        println!("no sources followed: add one with `newsdesk sources add URL`");
        return Ok(ExitCode::SUCCESS);
    }
    for r in &rows {
        let next = match (&r.next_poll, r.dead) {
            (_, true) => "never (410 Gone; `sources add` follows it again)".to_string(),
            (None, false) => "due now".to_string(),
            (Some(t), false) => t.clone(),
        };
        let errors = match r.consecutive_errors {
            0 => String::new(),
            1 => ", 1 error".to_string(),
            n => format!(", {n} errors in a row"),
        };
        match &r.title {
            Some(t) => println!("{} ({t})", r.url),
            None => println!("{}", r.url),
        }
        println!(
            "  {}{errors}; last success {}; next poll {next}",
            r.status,
            r.last_success.as_deref().unwrap_or("never"),
        );
        if let Some(e) = &r.last_error {
            println!("  last error: {e}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
