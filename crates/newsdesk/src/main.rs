//! The `newsdesk` command: arguments in, the desk library's answers printed.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Parser, Subcommand};
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
    /// The data folder: the store, caches and newsdesk.toml (default: $NEWSDESK_DATA_DIR, then newsdesk-data).
    #[arg(long, global = true)]
    data_dir: Option<PathBuf>,
    /// The keyring file (default: $NEWSDESK_KEYS, newsdesk.toml's `key_file`, DATA_DIR/keys/keyring).
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
    Ingest(ingest::IngestArgs),
    /// The feeds the desk follows on the web: add, import (OPML), list with health, remove.
    Sources {
        #[command(subcommand)]
        command: sources::SourcesCommand,
    },
    /// Poll the followed feeds when due; complete, store, analyse and decide new items. Until Ctrl-C.
    Run(run::RunArgs),
    /// Analyze (duplicates, stories) and decide (topics, quality, heat, publication) what is new.
    #[command(alias = "analyse")]
    Analyze,
    /// Decide every stored article again from the current topics, scoring and rules.
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
    Override(editor::OverrideArgs),
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
    Export(export::ExportArgs),
    /// Serve the JSON API, documents, /healthz and /metrics over HTTP until Ctrl-C. Unset flags
    /// come from newsdesk.toml, NEWSDESK_* variables, then the defaults (see `newsdesk config`).
    Serve {
        #[command(flatten)]
        flags: config_cmd::ServeFlags,
    },
    /// The effective configuration: each value and where it came from (default, newsdesk.toml:LINE,
    /// env VAR, flag --x), secrets redacted. Takes `serve`'s flags, to show their effect.
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
    /// Full-text search of the stored articles (title, excerpt, body, provider, topics): words,
    /// "phrases", OR, -word, field:word.
    Search(search_cmd::SearchArgs),
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
    /// A desk following a synthetic newsroom live, served on --addr, until Ctrl-C. Uses a fresh
    /// data folder (--data-dir, else a new temporary one).
    Demo(demo::DemoArgs),
    /// Write a synthetic newsroom's RSS feeds, and truth.jsonl (each article's story and original).
    Generate(generate::GenerateArgs),
    /// Main text and metadata of saved article pages (.html, .html.gz): one JSON object per file.
    Extract(extract::ExtractArgs),
    /// Score the store's stories, duplicates and related lists against labelled truth.
    Eval {
        #[command(subcommand)]
        command: eval::EvalCommand,
    },
    /// Work on seed-format documents.
    Docs {
        #[command(subcommand)]
        command: docs::DocsCommand,
    },
    /// Topics learned from labelled articles: train a model, predict with it.
    Topics {
        #[command(subcommand)]
        command: topics::TopicsCommand,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Commands that never open a data folder do not read its configuration.
    let loader = newsdesk_config::Loader::new()
        .with_process_env()
        .data_dir_flag(cli.data_dir.clone());
    let mut settings = match &cli.command {
        Command::Generate(_)
        | Command::Demo(_)
        | Command::Extract(_)
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
    let editor = settings.editor.get().clone();
    let result = match cli.command {
        Command::Init => ingest::init(&paths),
        Command::Ingest(args) => ingest::run(&paths, args),
        Command::Analyze => ingest::analyze(&paths),
        Command::Sources { command } => sources::run(&paths, command),
        Command::Run(args) => run::run(&paths, &mut settings, args),
        Command::Reanalyze => editor::reanalyze(&paths),
        Command::Explain { id, json } => editor::explain(&paths, id, json),
        Command::Override(args) => editor::set_override(&paths, args, editor.as_deref()),
        Command::Rules { command } => editor::rules(&paths, command, editor.as_deref()),
        Command::Audit { article, limit } => editor::audit(&paths, article, limit),
        Command::Export(args) => export::run(&paths, args),
        Command::Serve { flags } => serve_cmd::run(&paths, &mut settings, flags),
        Command::Config { json, serve } => config_cmd::run(&mut settings, serve, json),
        Command::Keys { command } => keys::run(&paths, command),
        Command::Unseal { file } => keys::open_document(&paths, &file),
        Command::Apikeys { command } => apikeys::run(&paths, command),
        Command::Search(args) => search_cmd::search(&paths, args),
        Command::Index { command } => search_cmd::index(&paths, command),
        Command::Stats { json } => stats::run(&paths, json),
        Command::Eval { command } => eval::run(&paths, command),
        Command::Generate(args) => generate::run(args),
        Command::Demo(args) => demo::run(args, cli.data_dir, &settings),
        Command::Extract(args) => extract::run(args),
        Command::Docs { command } => docs::run(command),
        Command::Topics { command } => topics::run(command),
    };
    result.unwrap_or_else(|e| {
        eprintln!("error: {e:#}");
        ExitCode::from(2)
    })
}
