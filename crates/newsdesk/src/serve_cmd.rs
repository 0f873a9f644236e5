//! `newsdesk serve`: the HTTP server over the store in the data folder.

use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use newsdesk_server::{serve_with, shutdown_signal, Access, Extras, Metrics, ServerConfig};

pub struct Options {
    pub base_url: Option<String>,
    pub readers: usize,
    pub cors_origins: Vec<String>,
    pub anonymous_rate: u32,
    pub key_rate: u32,
    pub trust_forwarded_for: bool,
}

pub fn run(data_dir: &Path, addr: SocketAddr, options: Options) -> anyhow::Result<ExitCode> {
    // Create the store (and its schema) first, so the readers find it; the
    // desk's writing connection takes editor actions. The keyring (if any)
    // opens sealed full text for keys with the `fulltext` scope only.
    let desk = crate::desk_api::Desk::open(data_dir)?;
    let keyring = crate::keys::load(data_dir)?.map(|(k, _)| Arc::new(k));
    let config = ServerConfig {
        data_dir: data_dir.to_path_buf(),
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
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    // The server writes the search index when no other process does.
    let keeper = Arc::new(crate::search_sync::Keeper::new(data_dir)?);
    runtime
        .block_on(serve_with(
            addr,
            config,
            extras,
            Arc::new(Metrics::default()),
            Some(keeper),
            shutdown_signal(),
        ))
        .context("serving")?;
    Ok(ExitCode::SUCCESS)
}
