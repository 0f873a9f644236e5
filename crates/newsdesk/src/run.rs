//! `newsdesk run`: the running desk (`newsdesk_desk::run`), its output and
//! metrics, and the server beside it (`--serve`); stops on SIGINT or SIGTERM.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use newsdesk_config::Settings;
use newsdesk_desk::analysis::Done;
use newsdesk_desk::run::{PollReport, RunObserver, RunOptions};
use newsdesk_desk::text;
use newsdesk_desk::{Decided, DeskPaths};
use newsdesk_server::Metrics;

#[derive(clap::Args)]
pub struct RunArgs {
    /// Poll every due source once, then exit (for cron and tests).
    #[arg(long)]
    once: bool,
    /// Poll every followed source now, due or not (dead ones excepted).
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    flags: crate::config_cmd::RunFlags,
    /// Also serve the API, feeds and documents on this address (as
    /// `newsdesk serve` with the `[server]` settings), with the poll
    /// counters in its /metrics.
    #[arg(long, value_name = "HOST:PORT", conflicts_with = "once")]
    serve: Option<std::net::SocketAddr>,
    /// With --serve: the public base URL for links.
    #[arg(long, requires = "serve")]
    base_url: Option<String>,
}

/// `newsdesk run`; with `--serve`, the HTTP server runs beside the pipeline
/// in the same process (one metrics registry: `/metrics` shows the polls too).
pub fn run(paths: &DeskPaths, settings: &mut Settings, a: RunArgs) -> anyhow::Result<ExitCode> {
    a.flags.apply(settings);
    let opts = &RunOptions {
        once: a.once,
        force: a.force,
        ..RunOptions::from_settings(settings)
    };
    settings
        .server
        .base_url
        .flag(a.base_url.map(Some), "--base-url");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the scheduler's runtime")?;
    let metrics = Arc::new(Metrics::default());
    let Some(addr) = a.serve else {
        return runtime.block_on(desk_loop(paths, opts, &metrics));
    };
    // The pipeline writes the search index after each poll: no keeper.
    let (stop_server, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = crate::serve_cmd::server(paths, addr, settings, metrics.clone(), None, async {
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
    Ok(ExitCode::from(u8::from(sum.desk_errors > 0)))
}

/// Prints what the run tells and counts it in the metrics (`/metrics` of
/// `newsdesk run --serve`).
struct Printer<'a> {
    once: bool,
    metrics: &'a Metrics,
}

impl RunObserver for Printer<'_> {
    fn caught_up(&mut self, analysed: &Done, decided: &Decided) {
        eprint!("{}", text::caught_up(analysed, decided).unwrap_or_default());
    }

    fn following(&mut self, sources: usize, due: usize) {
        eprint!("{}", text::following(sources, due, self.once));
    }

    fn no_sources(&mut self) {
        eprintln!("no sources followed: add one with `newsdesk sources add URL`");
    }

    fn polled(&mut self, p: &PollReport) {
        eprint!("{}", text::poll(p));
        for (name, n) in p.counts.counters() {
            self.metrics.add(name, n);
        }
        self.metrics
            .time("poll_store_analyse_decide_seconds", p.took);
    }

    fn poll_lost(&mut self, locator: &str, error: &str) {
        eprintln!("poll {locator}: stopped unexpectedly: {error}");
        self.metrics.add("fetch_polls_total", 1);
        self.metrics.add("fetch_failures_total", 1);
    }

    fn stopping(&mut self, signal: &str, abandoned: usize) {
        eprint!("{}", text::stopping(signal, abandoned));
    }
}
