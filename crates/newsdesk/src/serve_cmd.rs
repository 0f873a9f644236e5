//! `newsdesk serve`: the HTTP server over the store in the data folder.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use newsdesk_desk::DeskPaths;
use newsdesk_server::{
    serve_with, shutdown_signal, Access, Extras, Metrics, ServerConfig, ServerError,
};

pub struct Options {
    pub base_url: Option<String>,
    pub readers: usize,
    pub cors_origins: Vec<String>,
    pub anonymous_rate: u32,
    pub key_rate: u32,
    pub trust_forwarded_for: bool,
}

impl Default for Options {
    /// `newsdesk serve`'s defaults.
    fn default() -> Options {
        Options {
            base_url: None,
            readers: 4,
            cors_origins: Vec::new(),
            anonymous_rate: 600,
            key_rate: 6000,
            trust_forwarded_for: false,
        }
    }
}

pub fn run(paths: &DeskPaths, addr: SocketAddr, options: Options) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    // The server writes the search index when no other process does.
    let keeper: Arc<dyn newsdesk_server::search::SearchKeeper> =
        Arc::new(newsdesk_desk::search_sync::Keeper::new(paths)?);
    let server = server(
        paths,
        addr,
        options,
        Arc::new(Metrics::default()),
        Some(keeper),
        shutdown_signal(),
    )?;
    runtime.block_on(server).context("serving")?;
    Ok(ExitCode::SUCCESS)
}

/// The server over `paths`, to run on a Tokio runtime until `shutdown`
/// resolves. `keeper`: who writes the search index (none when the caller's
/// own pipeline does, as in `newsdesk run --serve`).
pub fn server(
    paths: &DeskPaths,
    addr: SocketAddr,
    options: Options,
    metrics: Arc<Metrics>,
    keeper: Option<Arc<dyn newsdesk_server::search::SearchKeeper>>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<impl std::future::Future<Output = Result<(), ServerError>> + Send + 'static> {
    // Create the store (and its schema) first, so the readers find it; the
    // desk's writing connection takes editor actions. The keyring (if any)
    // opens sealed full text for keys with the `fulltext` scope only.
    let desk = newsdesk_desk::api::EditorService::open(paths)?;
    let keyring = paths.keyring()?.map(|k| Arc::new(k.keyring));
    let config = ServerConfig {
        data_dir: paths.data_dir.clone(),
        base_url: options.base_url.unwrap_or_default(),
        readers: options.readers,
    };
    let extras = Extras {
        access: Access {
            cors_origins: options.cors_origins,
            anonymous_rate: options.anonymous_rate,
            key_rate: options.key_rate,
            trust_forwarded_for: options.trust_forwarded_for,
        },
        keyring,
        desk: Some(Arc::new(desk)),
    };
    Ok(serve_with(addr, config, extras, metrics, keeper, shutdown))
}
