//! `newsdesk serve`: the HTTP server over the store in the data folder.

use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use newsdesk_server::{serve_with, shutdown_signal, Metrics, ServerConfig};

pub fn run(
    data_dir: &Path,
    addr: SocketAddr,
    base_url: Option<String>,
    readers: usize,
) -> anyhow::Result<ExitCode> {
    // Create the store (and its schema) first, so the readers find it.
    crate::ingest::open_store(data_dir)?;
    let config = ServerConfig {
        data_dir: data_dir.to_path_buf(),
        base_url: base_url.unwrap_or_default(),
        readers,
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
            Arc::new(Metrics::default()),
            Some(keeper),
            shutdown_signal(),
        ))
        .context("serving")?;
    Ok(ExitCode::SUCCESS)
}
