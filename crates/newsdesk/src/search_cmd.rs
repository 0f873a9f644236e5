//! `newsdesk search` and `newsdesk index rebuild|check|sync`.

use std::process::ExitCode;

use chrono::{DateTime, NaiveDate, Utc};
use clap::Subcommand;
use newsdesk_search::{SearchError, SearchQuery, Sort, MAX_LIMIT};
use serde_json::json;

use newsdesk_desk::search_sync::{self, index_dir};
use newsdesk_desk::DeskPaths;

#[derive(Subcommand)]
pub enum IndexCommand {
    /// Build the whole index again from the store (one commit: searches see
    /// the old index until the new one is complete).
    Rebuild,
    /// Compare the store's indexable articles with the index and show the
    /// outbox; exit 1 when they disagree or changes wait to be indexed.
    Check,
    /// Index what the outbox holds (what `ingest`, `run` and the editor
    /// commands do after each change).
    Sync,
}

/// What `newsdesk search` takes.
pub struct SearchArgs {
    pub query: String,
    pub topics: Vec<String>,
    pub providers: Vec<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    pub published: Option<bool>,
    pub limit: usize,
    pub offset: usize,
    pub newest: bool,
    pub json: bool,
}

fn parse_date(name: &str, v: &str) -> anyhow::Result<DateTime<Utc>> {
    if let Ok(d) = DateTime::parse_from_rfc3339(v) {
        return Ok(d.with_timezone(&Utc));
    }
    NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc())
        .ok_or_else(|| {
            anyhow::anyhow!(
                "--{name}: expected a date (YYYY-MM-DD) or an RFC 3339 time, found {v:?}"
            )
        })
}

/// HTML of a title or snippet as terminal text: matches between `*`.
fn plain(html: &str) -> String {
    html.replace("<mark>", "*")
        .replace("</mark>", "*")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

pub fn search(paths: &DeskPaths, args: SearchArgs) -> anyhow::Result<ExitCode> {
    if args.limit == 0 || args.limit > MAX_LIMIT {
        anyhow::bail!("--limit: from 1 to {MAX_LIMIT}, found {}", args.limit);
    }
    let mut q = SearchQuery::new(args.query.clone());
    q.strict = true;
    q.topics = args.topics;
    q.providers = args.providers;
    q.from = args
        .since
        .as_deref()
        .map(|v| parse_date("since", v))
        .transpose()?;
    q.until = args
        .until
        .as_deref()
        .map(|v| parse_date("until", v))
        .transpose()?;
    q.published = args.published;
    q.limit = args.limit;
    q.offset = args.offset;
    if args.newest {
        q.sort = Sort::Newest;
    }
    q.highlight.pre = "<mark>".into();
    q.highlight.post = "</mark>".into();
    // Catch up first when this process can write the index; else read what
    // the writer (newsdesk serve) has committed.
    let mut store = paths.open_store()?;
    let index = search_sync::for_search(paths, &mut *store)?;
    let r = match index.search(&q) {
        Ok(r) => r,
        Err(e @ (SearchError::Query { .. } | SearchError::QueryTooLong { .. })) => {
            eprintln!("error: {e}");
            return Ok(ExitCode::from(2));
        }
        Err(e) => return Err(e.into()),
    };
    if args.json {
        let out = json!({
            "total": r.total,
            "totalExact": r.total_exact,
            "offset": r.offset,
            "limit": r.limit,
            "sort": match r.sort { Sort::Relevance => "relevance", Sort::Newest => "newest" },
            "hits": r.hits.iter().map(|h| json!({
                "id": h.id,
                "title": h.title,
                "excerpt": h.excerpt,
                "provider": h.provider,
                "publishedDateTime": h.published_at.as_ref().map(newsdesk_model::document::format_date),
                "score": h.score,
                "titleHtml": h.title_html,
                "snippet": h.snippet_html,
            })).collect::<Vec<_>>(),
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        println!(
            "{}{} matching articles{}",
            r.total,
            if r.total_exact { "" } else { "+" },
            if r.total > r.hits.len() {
                format!(" ({} shown from {})", r.hits.len(), r.offset + 1)
            } else {
                String::new()
            }
        );
        for h in &r.hits {
            println!(
                "{:>7}  {}  {}  {}",
                h.id,
                h.published_at
                    .map(|d| d.format("%Y-%m-%d").to_string())
                    .unwrap_or_else(|| "----------".into()),
                h.provider.as_deref().unwrap_or("-"),
                plain(&h.title_html)
            );
            if let Some(s) = &h.snippet_html {
                println!("         {}", plain(s));
            }
        }
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
            println!(
                "index rebuilt: {n} articles in {:.1} s{}",
                started.elapsed().as_secs_f64(),
                if s.indexed + s.removed > 0 {
                    format!(", then {} changed meanwhile indexed", s.indexed + s.removed)
                } else {
                    String::new()
                }
            );
            Ok(ExitCode::SUCCESS)
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
            println!(
                "index synced: {} articles indexed, {} removed; {} in the index",
                s.indexed,
                s.removed,
                index.doc_count()
            );
            Ok(ExitCode::SUCCESS)
        }
        IndexCommand::Check => {
            let state = search_sync::state(paths, &*store)?;
            let (expected, pending) = (state.expected, state.pending);
            let indexed = match state.indexed {
                Ok(n) => n,
                Err(detail) => {
                    println!(
                        "index: of another layout ({detail}); the next `newsdesk index sync` (or ingest, or serve) rebuilds it"
                    );
                    return Ok(ExitCode::from(1));
                }
            };
            println!("store: {expected} indexable articles");
            println!("index: {indexed} documents");
            println!("outbox: {pending} changes waiting");
            if state.in_step() {
                println!("ok: the index is in step with the store");
                return Ok(ExitCode::SUCCESS);
            }
            let gap = if indexed == expected {
                String::new()
            } else if indexed < expected {
                format!("{} articles missing from the index; ", expected - indexed)
            } else {
                format!("{} documents too many in the index; ", indexed - expected)
            };
            println!(
                "mismatch: {gap}{pending} changes not indexed yet: run `newsdesk index sync` (or `newsdesk index rebuild`)"
            );
            Ok(ExitCode::from(1))
        }
    }
}
