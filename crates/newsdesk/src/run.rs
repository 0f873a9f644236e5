//! `newsdesk run`: the running desk (`newsdesk_desk::run`), its output and
//! metrics, and the HTTP server beside it with `--serve`. Stops on SIGINT
//! (Ctrl-C) or SIGTERM.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use newsdesk_desk::analysis::Done;
use newsdesk_desk::run::{PollReport, RunObserver, RunOptions};
use newsdesk_desk::text::{self, count};
use newsdesk_desk::{Decided, DeskPaths};
use newsdesk_server::Metrics;

/// `newsdesk run`; with `serve`, the HTTP server runs beside the pipeline in
/// the same process (one metrics registry: `/metrics` shows the polls too).
pub fn run(
    paths: &DeskPaths,
    opts: &RunOptions,
    serve: Option<(std::net::SocketAddr, crate::serve_cmd::Options)>,
) -> anyhow::Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the scheduler's runtime")?;
    let metrics = Arc::new(Metrics::default());
    let Some((addr, options)) = serve else {
        return runtime.block_on(desk_loop(paths, opts, &metrics));
    };
    // The pipeline writes the search index after each poll: no keeper.
    let (stop_server, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = crate::serve_cmd::server(paths, addr, options, metrics.clone(), None, async {
        let _ = stopped.await;
    })?;
    runtime.block_on(async {
        let mut server = tokio::spawn(server);
        let desk = desk_loop(paths, opts, &metrics);
        tokio::pin!(desk);
        tokio::select! {
            done = &mut desk => {
                // The pipeline stopped (Ctrl-C or --once): the server
                // finishes the requests in flight and stops too.
                let _ = stop_server.send(());
                match server.await {
                    Ok(Err(e)) => eprintln!("server: {e}"),
                    Err(e) => eprintln!("server: stopped unexpectedly: {e}"),
                    Ok(Ok(())) => {}
                }
                done
            }
            ended = &mut server => match ended {
                // It cannot listen (or failed): stop rather than run unseen.
                Ok(Err(e)) => Err(anyhow::Error::new(e).context("serving")),
                Ok(Ok(())) => Err(anyhow::anyhow!("the server stopped")),
                Err(e) => Err(anyhow::anyhow!("the server stopped unexpectedly: {e}")),
            },
        }
    })
}

/// Resolves on SIGINT or SIGTERM (Ctrl-C elsewhere); the handlers are
/// installed before this returns.
fn stop_signal() -> anyhow::Result<impl std::future::Future<Output = &'static str>> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let mut int = signal(SignalKind::interrupt()).context("listening for SIGINT")?;
        let mut term = signal(SignalKind::terminate()).context("listening for SIGTERM")?;
        Ok(async move {
            tokio::select! {
                _ = int.recv() => "SIGINT",
                _ = term.recv() => "SIGTERM",
            }
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            let _ = tokio::signal::ctrl_c().await;
            "Ctrl-C"
        })
    }
}

async fn desk_loop(
    paths: &DeskPaths,
    opts: &RunOptions,
    metrics: &Metrics,
) -> anyhow::Result<ExitCode> {
    let stop = stop_signal()?;
    let mut printer = Printer {
        once: opts.once,
        metrics,
    };
    let sum = newsdesk_desk::run::run(paths, opts, stop, &mut printer).await?;
    print!("{}", text::run_summary(&sum));
    Ok(if sum.desk_errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Prints what the run tells and counts it in the metrics (`/metrics` of
/// `newsdesk run --serve`).
struct Printer<'a> {
    once: bool,
    metrics: &'a Metrics,
}

impl RunObserver for Printer<'_> {
    fn caught_up(&mut self, analysed: &Done, decided: &Decided) {
        if analysed.analysed > 0 || decided.decided > 0 {
            eprintln!(
                "caught up: {} articles analysed, {} decided",
                analysed.analysed, decided.decided
            );
        }
    }

    fn following(&mut self, sources: usize, due: usize) {
        eprintln!(
            "following {}, {} due now{}",
            count(sources, "source"),
            due,
            if self.once { "" } else { " (Ctrl-C stops)" }
        );
    }

    fn no_sources(&mut self) {
        eprintln!("no sources followed: add one with `newsdesk sources add URL`");
    }

    fn polled(&mut self, p: &PollReport) {
        eprint!("{}", text::poll(p));
        let (m, c) = (self.metrics, &p.counts);
        m.add("fetch_polls_total", c.polls as u64);
        m.add("fetch_feeds_fetched_total", c.fetched as u64);
        m.add("fetch_feeds_unchanged_total", c.unchanged as u64);
        m.add("fetch_failures_total", c.failed as u64);
        m.add("fetch_pages_total", c.pages as u64);
        m.add("ingest_articles_stored_total", c.stored as u64);
        m.add("ingest_articles_updated_total", c.updated as u64);
        m.add("desk_errors_total", c.desk_errors as u64);
        m.add("analysis_articles_total", c.analysed.analysed as u64);
        m.add("editorial_decisions_total", c.decided.decided as u64);
        m.time("poll_store_analyse_decide_seconds", p.took);
    }

    fn poll_lost(&mut self, locator: &str, error: &str) {
        eprintln!("poll {locator}: stopped unexpectedly: {error}");
        self.metrics.add("fetch_polls_total", 1);
        self.metrics.add("fetch_failures_total", 1);
    }

    fn stopping(&mut self, signal: &str, abandoned: usize) {
        eprintln!(
            "stopping ({signal}): {} in flight abandoned, nothing of theirs written; their sources stay due",
            count(abandoned, "poll")
        );
    }
}
