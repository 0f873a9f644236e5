//! `newsdesk demo`: the desk following the synthetic newsroom live from
//! loopback (`newsdesk_desk::demo`), with the HTTP server beside it as
//! `run --serve` starts it. Stops on SIGINT (Ctrl-C) or SIGTERM.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;
use newsdesk_desk::demo::Demo;
use newsdesk_desk::run::{PollOutcome, PollReport, RunObserver};

#[derive(clap::Args)]
pub struct DemoArgs {
    /// Where the desk's HTTP server listens (port 0: one the system picks).
    #[arg(long, default_value = "127.0.0.1:8080")]
    addr: SocketAddr,
}

pub fn run(
    args: DemoArgs,
    data_dir: Option<std::path::PathBuf>,
    settings: &newsdesk_config::Settings,
) -> anyhow::Result<ExitCode> {
    // Bound first: the address printed is the one served (port 0 resolved).
    let listener = newsdesk_server::bind(args.addr)?;
    let addr = listener.local_addr().context("the address listened on")?;
    let live = newsdesk_newsroom::LiveConfig::default();
    let demo = Demo::start(data_dir.as_deref(), &live, Arc::new(|l| eprintln!("{l}")))?;
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
    let metrics = Arc::default();
    let server = crate::serve_cmd::server(
        demo.paths(),
        listener,
        settings,
        metrics,
        None,
        demo.stopped(),
    )?;
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
