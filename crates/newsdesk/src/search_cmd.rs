//! `newsdesk search` and `newsdesk index rebuild|check|sync`.

use std::process::ExitCode;

use anyhow::Context;
use clap::Subcommand;
use newsdesk_desk::search_sync::{self, index_dir, page_limit, time_bound};
use newsdesk_desk::{text, DeskPaths};
use newsdesk_search::{SearchError, SearchQuery, Sort};

#[derive(Subcommand)]
pub enum IndexCommand {
    /// Build the whole index again from the store (searches see the old one until it is done).
    Rebuild,
    /// Compare the store with the index and show the outbox; exit 1 unless in step.
    Check,
    /// Index what the outbox holds (as `ingest`, `run` and the editor commands do).
    Sync,
}

#[derive(clap::Args)]
pub struct SearchArgs {
    /// What to look for (blank: the newest articles that pass the filters).
    query: String,
    /// Only articles with this topic (repeat for all of several).
    #[arg(long)]
    topic: Vec<String>,
    /// Only articles of this provider, name or domain (repeat for any of several).
    #[arg(long)]
    provider: Vec<String>,
    /// Published at or after (YYYY-MM-DD or RFC 3339).
    #[arg(long)]
    since: Option<String>,
    /// Published before (YYYY-MM-DD or RFC 3339).
    #[arg(long)]
    until: Option<String>,
    /// Only published (true) or unpublished (false) articles.
    #[arg(long)]
    published: Option<bool>,
    #[arg(long, default_value_t = 10)]
    limit: usize,
    #[arg(long, default_value_t = 0)]
    offset: usize,
    /// Newest first instead of by relevance.
    #[arg(long)]
    newest: bool,
    /// As JSON.
    #[arg(long)]
    json: bool,
}

pub fn search(paths: &DeskPaths, a: SearchArgs) -> anyhow::Result<ExitCode> {
    let mut q = SearchQuery::new(a.query);
    q.limit = page_limit(a.limit).context("--limit")?;
    (q.strict, q.topics, q.providers, q.published, q.offset) =
        (true, a.topic, a.provider, a.published, a.offset);
    let bound = |v: Option<String>, flag| v.as_deref().map(time_bound).transpose().context(flag);
    (q.from, q.until) = (bound(a.since, "--since")?, bound(a.until, "--until")?);
    if a.newest {
        q.sort = Sort::Newest;
    }
    (q.highlight.pre, q.highlight.post) = ("<mark>".into(), "</mark>".into());
    // Catch up first when this process can write the index; else read what
    // the writer (newsdesk serve) has committed.
    let mut store = paths.open_store()?;
    let r = match search_sync::for_search(paths, &mut *store)?.search(&q) {
        Ok(r) => r,
        Err(e @ (SearchError::Query { .. } | SearchError::QueryTooLong { .. })) => {
            eprintln!("error: {e}");
            return Ok(ExitCode::from(2));
        }
        Err(e) => return Err(e.into()),
    };
    if a.json {
        println!("{}", text::json(&text::search_view(&r))?);
    } else {
        print!("{}", text::search_results(&r));
    }
    Ok(ExitCode::SUCCESS)
}

pub fn index(paths: &DeskPaths, command: IndexCommand) -> anyhow::Result<ExitCode> {
    let mut store = paths.open_store()?;
    let dir = index_dir(paths);
    match command {
        IndexCommand::Rebuild => {
            let started = std::time::Instant::now();
            let Some((n, s)) = search_sync::rebuild_now(paths, &mut *store)? else {
                anyhow::bail!(
                    "the index in {} is held by another process (newsdesk serve?); stop it to rebuild",
                    dir.display()
                )
            };
            print!("{}", text::rebuilt(n, &s, started.elapsed().as_secs_f64()));
        }
        IndexCommand::Sync => {
            let Some(index) = search_sync::open_writer(paths, &mut *store)? else {
                eprintln!(
                    "the index in {} is held by another process (newsdesk serve?); it drains the outbox itself",
                    dir.display()
                );
                return Ok(ExitCode::from(1));
            };
            let s = search_sync::drain(&mut *store, &index)?;
            print!("{}", text::synced(&s, index.doc_count()));
        }
        IndexCommand::Check => {
            let state = search_sync::state(paths, &*store)?;
            print!("{}", state.text());
            if !state.in_step() {
                return Ok(ExitCode::from(1));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
