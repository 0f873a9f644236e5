//! The `newsdesk` command.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand, ValueEnum};
use newsdesk_desk::{DeskPaths, KeySource, KeysVar};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod apikeys;
mod config_cmd;
mod demo;
mod docs;
mod editor;
mod eval;
mod export;
mod extract;
mod generate;
mod ingest;
mod keys;
mod run;
mod search_cmd;
mod serve_cmd;
mod sources;
mod stats;
mod topics;

#[derive(Parser)]
#[command(
    name = "newsdesk",
    version,
    about = "A self-hosted news desk: ingest, normalize, store and export news."
)]
struct Cli {
    /// The data folder: the store, caches and newsdesk.toml (default:
    /// $NEWSDESK_DATA_DIR, then newsdesk-data).
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    /// The keyring file (default: $NEWSDESK_KEYS, then `key_file` in
    /// newsdesk.toml, then DATA_DIR/keys/keyring).
    #[arg(long, global = true)]
    key_file: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create the data folder and its store (ingest does this too).
    Init,
    /// Read files and folders (documents, feeds, OPML, raw text, Reuters SGML) into the store.
    Ingest {
        /// Files or folders (read recursively).
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Refuse inputs larger than this many bytes.
        #[arg(long, default_value_t = newsdesk_ingest::input::DEFAULT_MAX_BYTES)]
        max_size: u64,
        /// No progress bar.
        #[arg(long, short)]
        quiet: bool,
        /// Store only; leave duplicate and story analysis, decisions and the
        /// search index for `newsdesk analyze` or the next ingest (for bulk
        /// imports).
        #[arg(long)]
        defer_analysis: bool,
    },
    /// The feeds the desk follows on the web: add, import (OPML), list with health, remove.
    Sources {
        #[command(subcommand)]
        command: sources::SourcesCommand,
    },
    /// The running desk: poll the followed feeds when due, complete new items
    /// from their pages, store, analyse and decide them. Runs until Ctrl-C.
    Run {
        /// Poll every due source once, then exit (for cron and tests).
        #[arg(long)]
        once: bool,
        /// Poll every followed source now, due or not (dead ones excepted).
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        flags: config_cmd::RunFlags,
        /// Also serve the API, feeds and documents on this address (as
        /// `newsdesk serve` with the `[server]` settings), with the poll
        /// counters in its /metrics.
        #[arg(long, value_name = "HOST:PORT", conflicts_with = "once")]
        serve: Option<std::net::SocketAddr>,
        /// With --serve: the public base URL for links.
        #[arg(long, requires = "serve")]
        base_url: Option<String>,
    },
    /// Analyze stored articles that are not analyzed yet (duplicates, stories),
    /// then decide their topics, quality, heat and publication.
    #[command(alias = "analyse")]
    Analyze,
    /// Decide every stored article again (topics, quality, heat, publication)
    /// from the current topics file, scoring and rules, without re-reading any source.
    #[command(alias = "reanalyse")]
    Reanalyze,
    /// Why an article is (not) published: topics, quality and heat breakdowns, rules, overrides.
    Explain {
        id: i64,
        /// As JSON.
        #[arg(long)]
        json: bool,
    },
    /// An editor's decision on one article; it outlives re-analysis and is audited.
    Override {
        id: i64,
        /// publish, unpublish, pin (publish and keep on top of its topics)
        /// or clear (the desk decides again).
        #[arg(value_parser = editor::override_request_parser())]
        action: editor::OverrideRequest,
        /// Who decides (default: $NEWSDESK_EDITOR, then $USER).
        #[arg(long)]
        by: Option<String>,
        /// Why.
        #[arg(long)]
        reason: Option<String>,
    },
    /// Mute and keep rules (the topics query language), global or per topic.
    Rules {
        #[command(subcommand)]
        command: editor::RulesCommand,
    },
    /// The editors' audit log, newest first.
    Audit {
        /// Only this article.
        #[arg(long)]
        article: Option<i64>,
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// Write the stored articles out.
    Export {
        #[arg(long, value_enum)]
        format: ExportFormat,
        /// The folder for `docs` (created if missing); `jsonl` writes to standard output.
        dir: Option<PathBuf>,
        /// With `docs`: also export articles known only from related lists
        /// (`jsonl` always includes them, marked `"stub": true`).
        #[arg(long)]
        include_stubs: bool,
    },
    /// Serve the JSON API, documents, /healthz and /metrics over HTTP
    /// (Ctrl-C stops it after the requests in flight).
    /// Unset flags take their values from newsdesk.toml, NEWSDESK_*
    /// variables, then the defaults (see `newsdesk config`).
    Serve {
        #[command(flatten)]
        flags: config_cmd::ServeFlags,
    },
    /// The effective configuration: every setting, its value and where it
    /// came from (default, newsdesk.toml:LINE, env VAR, flag --x), secrets
    /// redacted. Takes `serve`'s flags, to show their effect.
    Config {
        /// As JSON.
        #[arg(long)]
        json: bool,
        #[command(flatten)]
        serve: config_cmd::ServeFlags,
    },
    /// The keyring that seals full text at rest: new, list, rotate, retire, seal, open.
    Keys {
        #[command(subcommand)]
        command: keys::KeysCommand,
    },
    /// Print the clear text of a document's `secured` field (needs the keyring).
    Unseal {
        /// A seed-format document (`.md`).
        file: PathBuf,
    },
    /// API keys for the HTTP API: issue, list, revoke.
    Apikeys {
        #[command(subcommand)]
        command: apikeys::ApiKeysCommand,
    },
    /// Full-text search over the stored articles (title, excerpt, body,
    /// provider, topics): words, "phrases", OR, -word, field:word.
    Search {
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
    },
    /// The full-text index (DATA_DIR/search): rebuild, check against the store, sync.
    Index {
        #[command(subcommand)]
        command: search_cmd::IndexCommand,
    },
    /// Counts by source, provider and day.
    Stats {
        /// As JSON.
        #[arg(long)]
        json: bool,
    },
    /// A desk following a synthetic newsroom live: new articles every few
    /// seconds, stories growing, served on --addr. Uses a fresh data folder
    /// (--data-dir, else a new temporary one). Runs until Ctrl-C.
    Demo(demo::DemoArgs),
    /// Write a synthetic newsroom: RSS feeds from invented outlets covering
    /// invented events, plus truth.jsonl (each article's story and original).
    Generate {
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
    },
    /// Main text and metadata of saved article pages (.html, .html.gz): one JSON object per file.
    Extract {
        /// Page files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The URL the pages came from (resolves relative links; a date in it dates the page).
        #[arg(long)]
        url: Option<String>,
        /// When the pages were fetched (RFC 3339 or a date): no publication date after it
        /// is taken. Default: each file's modification time.
        #[arg(long)]
        fetched: Option<String>,
    },
    /// Score the store's stories, duplicates and related lists against labelled truth.
    Eval {
        #[command(subcommand)]
        command: eval::EvalCommand,
    },
    /// Work on seed-format documents.
    Docs {
        #[command(subcommand)]
        command: DocsCommand,
    },
    /// Topics learned from labelled articles: train a model, predict with it.
    Topics {
        #[command(subcommand)]
        command: topics::TopicsCommand,
    },
}

#[derive(Subcommand)]
enum DocsCommand {
    /// Validate documents: required fields, types, dates, URLs.
    Check {
        /// Files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Also list every file whose bytes would change when re-written.
        #[arg(long)]
        roundtrip: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportFormat {
    /// One seed-format document per article, named YYYY-MM-DD-slug.md (a Jekyll `_news` folder).
    Docs,
    /// One JSON object per article on standard output.
    Jsonl,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Commands that never open a data folder do not read its configuration.
    let loader = newsdesk_config::Loader::new()
        .with_process_env()
        .data_dir_flag(cli.data_dir.clone());
    let mut settings = match &cli.command {
        Command::Generate { .. }
        | Command::Demo(_)
        | Command::Extract { .. }
        | Command::Docs { .. }
        | Command::Topics { .. } => loader.defaults(),
        _ => match loader.load() {
            Ok(s) => s,
            Err(e) => {
                eprintln!("error: {:#}", anyhow::Error::from(e));
                return ExitCode::from(2);
            }
        },
    };
    settings
        .key_file
        .flag(cli.key_file.clone().map(Some), "--key-file");
    let paths = DeskPaths::new(
        settings.data_dir.get().clone(),
        KeySource {
            file: settings.key_file_in_effect().map(PathBuf::from),
            var: KeysVar::from_process(),
        },
    )
    .with_log(Arc::new(|line: &str| eprintln!("{line}")));
    let result = match cli.command {
        Command::Init => ingest::init(&paths),
        Command::Ingest {
            paths: inputs,
            max_size,
            quiet,
            defer_analysis,
        } => ingest::run(&paths, &inputs, max_size, quiet, !defer_analysis),
        Command::Analyze => ingest::analyze(&paths),
        Command::Sources { command } => sources::run(&paths, command),
        Command::Run {
            once,
            force,
            flags,
            serve,
            base_url,
        } => run::run(
            &paths,
            &{
                flags.apply(&mut settings);
                newsdesk_desk::run::RunOptions {
                    once,
                    force,
                    ..newsdesk_desk::run::RunOptions::from_settings(&settings)
                }
            },
            serve.map(|addr| {
                let mut options = config_cmd::serve_options(&settings);
                if base_url.is_some() {
                    options.base_url = base_url;
                }
                (addr, options)
            }),
        ),
        Command::Reanalyze => editor::reanalyze(&paths),
        Command::Explain { id, json } => editor::explain(&paths, id, json),
        Command::Override {
            id,
            action,
            by,
            reason,
        } => editor::set_override(
            &paths,
            id,
            action,
            by,
            settings.editor.get().as_deref(),
            reason,
        ),
        Command::Rules { command } => {
            editor::rules(&paths, command, settings.editor.get().as_deref())
        }
        Command::Audit { article, limit } => editor::audit(&paths, article, limit),
        Command::Export {
            format,
            dir,
            include_stubs,
        } => match format {
            ExportFormat::Docs => match dir {
                Some(dir) => export::docs(&paths, &dir, include_stubs),
                None => Err(anyhow::anyhow!(
                    "export --format docs needs a folder: newsdesk export --format docs DIR"
                )),
            },
            ExportFormat::Jsonl => export::jsonl(&paths),
        },
        Command::Serve { flags } => {
            flags.apply(&mut settings);
            serve_cmd::run(
                &paths,
                *settings.server.addr.get(),
                config_cmd::serve_options(&settings),
            )
        }
        Command::Config { json, serve } => {
            serve.apply(&mut settings);
            config_cmd::run(&settings, json)
        }
        Command::Keys { command } => keys::run(&paths, command),
        Command::Unseal { file } => keys::open_document(&paths, &file),
        Command::Apikeys { command } => apikeys::run(&paths, command),
        Command::Search {
            query,
            topic,
            provider,
            since,
            until,
            published,
            limit,
            offset,
            newest,
            json,
        } => search_cmd::search(
            &paths,
            search_cmd::SearchArgs {
                query,
                topics: topic,
                providers: provider,
                since,
                until,
                published,
                limit,
                offset,
                newest,
                json,
            },
        ),
        Command::Index { command } => search_cmd::index(&paths, command),
        Command::Stats { json } => stats::run(&paths, json),
        Command::Eval { command } => eval::run(&paths, command),
        Command::Generate {
            out,
            events,
            providers,
            days,
            seed,
        } => generate::run(&out, events, providers, days, seed),
        Command::Demo(args) => demo::run(args, cli.data_dir),
        Command::Extract {
            files,
            url,
            fetched,
        } => extract::run(&files, url.as_deref(), fetched.as_deref()),
        Command::Docs {
            command:
                DocsCommand::Check {
                    paths: files,
                    roundtrip,
                },
        } => docs::check(&files, roundtrip),
        Command::Topics { command } => topics::run(command),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
