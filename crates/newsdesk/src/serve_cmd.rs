//! `newsdesk serve`: the HTTP server over the store in the data folder.

use std::net::TcpListener;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use newsdesk_config::Settings;
use newsdesk_desk::DeskPaths;

use crate::config_cmd::ServeFlags;
use newsdesk_server::{
    serve_on, shutdown_signal, Access, Extras, Metrics, ServerConfig, ServerError,
};

pub fn run(
    paths: &DeskPaths,
    settings: &mut Settings,
    flags: ServeFlags,
) -> anyhow::Result<ExitCode> {
    flags.apply(settings);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("starting the async runtime")?;
    // The server writes the search index when no other process does.
    let keeper: Arc<dyn newsdesk_server::search::SearchKeeper> =
        Arc::new(newsdesk_desk::search_sync::Keeper::new(paths)?);
    let listener = newsdesk_server::bind(*settings.server.addr.get()).context("serving")?;
    let server = server(
        paths,
        listener,
        settings,
        Arc::new(Metrics::default()),
        Some(keeper),
        shutdown_signal(),
    )?;
    runtime.block_on(server).context("serving")?;
    Ok(ExitCode::SUCCESS)
}

/// The server over `paths` on `listener`, to run on a Tokio runtime until
/// `shutdown`. `keeper`: who writes the search index (none when the caller's
/// own pipeline does, as in `newsdesk run --serve`).
pub fn server(
    paths: &DeskPaths,
    listener: TcpListener,
    settings: &Settings,
    metrics: Arc<Metrics>,
    keeper: Option<Arc<dyn newsdesk_server::search::SearchKeeper>>,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<impl std::future::Future<Output = Result<(), ServerError>> + Send + 'static> {
    // Create the store (and its schema) first, so the readers find it; the
    // desk's writing connection takes editor actions. The keyring (if any)
    // opens sealed full text for keys with the `fulltext` scope only.
    let desk = newsdesk_desk::api::EditorService::open(paths)?;
    let keyring = paths.keyring()?.map(|k| Arc::new(k.keyring));
    // The topics file nests the pages' navigation; a desk that cannot read
    // it still serves (the names are guessed from, and `run` says why).
    let topic_parents = newsdesk_desk::Editorial::load(&paths.data_dir, &*paths.open_store()?)
        .map(|e| e.topic_parents())
        .unwrap_or_else(|e| {
            eprintln!("warning: topic navigation from names only: {e}");
            Default::default()
        });
    let s = &settings.server;
    let config = ServerConfig {
        data_dir: paths.data_dir.clone(),
        base_url: s.base_url.get().clone().unwrap_or_default(),
        readers: *s.readers.get(),
    };
    let extras = Extras {
        access: Access {
            cors_origins: s.cors_origins.get().clone(),
            anonymous_rate: *s.anonymous_rate.get(),
            key_rate: *s.key_rate.get(),
            trust_forwarded_for: *s.trust_forwarded_for.get(),
        },
        keyring,
        desk: Some(Arc::new(desk)),
        topic_parents,
    };
    Ok(serve_on(
        listener, config, extras, metrics, keeper, shutdown,
    ))
}
