//! `newsdesk demo`: the desk following the synthetic newsroom live from
//! loopback (`newsdesk_desk::demo`), with the HTTP server beside it as
//! `run --serve` starts it. Stops on SIGINT (Ctrl-C) or SIGTERM.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use newsdesk_desk::demo::{pick_port, Demo};
use newsdesk_desk::run::{PollOutcome, PollReport, RunObserver};

#[derive(clap::Args)]
pub struct DemoArgs {
    /// Where the desk's HTTP server listens (port 0: one the system picks).
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
}

pub fn run(args: DemoArgs, data_dir: Option<std::path::PathBuf>) -> anyhow::Result<ExitCode> {
    let live = newsdesk_newsroom::LiveConfig::default();
    let demo = Demo::start(data_dir.as_deref(), &live, Arc::new(|l| eprintln!("{l}")))?;
    let addr = pick_port(args.addr).with_context(|| format!("listening on {}", args.addr))?;
    eprintln!("data folder: {} (kept)", demo.data_dir().display());
    let (feeds, at) = (demo.feeds().len(), demo.newsroom_addr());
    eprintln!(
        "newsroom: {feeds} feeds at http://{at}/, played {}x real time",
        live.speed
    );
    eprintln!("open http://{addr}/ (Ctrl-C stops)");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("starting the runtime")?;
    let (options, metrics) = (crate::serve_cmd::Options::default(), Arc::default());
    let server =
        crate::serve_cmd::server(demo.paths(), addr, options, metrics, None, demo.stopped())?;
    let stop = async {
        newsdesk_server::shutdown_signal().await;
        "a signal"
    };
    let sum = runtime.block_on(demo.run(server, stop, &mut Arrivals))?;
    println!("{} polls; {} articles stored", sum.polls, sum.stored);
    Ok(ExitCode::from(u8::from(sum.desk_errors > 0)))
}

/// One line per poll that brought articles.
struct Arrivals;

impl RunObserver for Arrivals {
    fn polled(&mut self, p: &PollReport) {
        if let PollOutcome::Fetched { new: new @ 1.., .. } = p.outcome {
            eprintln!("{new} new: {}", p.locator);
        }
    }
    fn stopping(&mut self, signal: &str, _abandoned: usize) {
        eprintln!("stopping ({signal})");
    }
}
