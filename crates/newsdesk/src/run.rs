//! `newsdesk run`: the running desk (`newsdesk_desk::run`), its output and
//! metrics, and the server beside it (`--serve`); stops on SIGINT or SIGTERM.

use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use newsdesk_config::Settings;
use newsdesk_desk::analysis::Done;
use newsdesk_desk::run::{run_beside, BesideError, PollReport, RunObserver, RunOptions};
use newsdesk_desk::text;
use newsdesk_desk::{Decided, DeskPaths};
use newsdesk_server::{stop_signal, Metrics};

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
    /// Also serve the API on this address (as `newsdesk serve`), with the polls in its /metrics.
    #[arg(long, value_name = "HOST:PORT", conflicts_with = "once")]
    serve: Option<std::net::SocketAddr>,
    /// With --serve: the public base URL for links.
    #[arg(long, requires = "serve")]
    base_url: Option<String>,
}

/// `newsdesk run`; with `--serve`, the server beside it shares its metrics.
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
    let mut printer = Printer {
        once: opts.once,
        metrics: &metrics,
    };
    // With --serve, the server runs beside the pipeline until it stops.
    let (stop_server, stopped) = tokio::sync::oneshot::channel::<()>();
    let stopped = async move {
        let _ = stopped.await;
    };
    let beside: Beside = match a.serve {
        None => Box::pin(async move {
            stopped.await;
            Ok(())
        }),
        Some(addr) => {
            let listener = newsdesk_server::bind(addr).context("serving")?;
            // The pipeline writes the search index after each poll (no
            // keeper); it exists before the server opens it.
            newsdesk_desk::search_sync::ensure_index(paths);
            let server = crate::serve_cmd::server;
            Box::pin(server(
                paths,
                listener,
                settings,
                metrics.clone(),
                None,
                stopped,
            )?)
        }
    };
    let sum = runtime.block_on(async {
        let stop = stop_signal().context("listening for SIGINT and SIGTERM")?;
        let desk_stopped = move || {
            let _ = stop_server.send(());
        };
        run_beside(paths, opts, beside, desk_stopped, stop, &mut printer)
            .await
            .map_err(|e| match e {
                BesideError::Desk(e) => anyhow::Error::new(e),
                e => anyhow::Error::new(e).context("serving"),
            })
    })?;
    print!("{}", text::run_summary(&sum));
    Ok(ExitCode::from(u8::from(sum.desk_errors > 0)))
}

/// What runs beside the pipeline: the server, or nothing until it stops.
type Beside = std::pin::Pin<
    Box<dyn std::future::Future<Output = Result<(), newsdesk_server::ServerError>> + Send>,
>;

/// Prints what the run tells and counts it in the metrics (`/metrics` of `newsdesk run --serve`).
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
