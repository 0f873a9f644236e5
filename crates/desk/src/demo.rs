//! The demo: a desk following the synthetic newsroom live.
//!
//! [`Demo::start`] makes a fresh data folder, binds the live newsroom's
//! feed server ([`newsdesk_newsroom::serve::FeedServer`]) on a loopback
//! port the system picks and follows every outlet's feed; [`Demo::run`]
//! serves the feeds, runs the normal running desk ([`crate::run::run`])
//! over them with [`demo_run_options`], and runs beside them what the
//! caller gives (the binary's HTTP server, which this crate does not know),
//! until the stop future resolves; then everything it started stops.
//! The data folder's scoring file plays heat as fast as the news
//! ([`SCORING_FILE`]).
//!
//! Why the feed server lives in the newsroom crate (behind its `serve`
//! feature) and not here: it renders the newsroom's own RSS writer, and
//! the newsroom stays usable alone (and free of a web stack by default).

use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::Utc;
use newsdesk_fetch::schedule::PollPolicy;
use newsdesk_fetch::FetchConfig;
use newsdesk_newsroom::serve::{FeedLink, FeedServer, ServeError};
use newsdesk_newsroom::{Live, LiveConfig};
use tokio::sync::watch;

use crate::run::{RunObserver, RunOptions, RunSummary};
use crate::{DeskError, DeskPaths, KeySource, Log};

/// Why the demo could not start or stopped early.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(transparent)]
    Desk(#[from] DeskError),
    #[error(transparent)]
    Newsroom(#[from] ServeError),
    /// What ran beside the desk (the HTTP server) failed or stopped.
    #[error("{0}")]
    Beside(String),
}

/// How the demo's desk polls the loopback newsroom. Explicit, and only for
/// it: every feed is on one local host the demo itself serves, so the
/// politeness a real site is owed (a second between requests, polls at
/// most every 15 minutes) would only hide the news.
///
/// - Loopback addresses allowed (refused by default); private ones not.
/// - No article pages: the newsroom's links are invented (`.example`);
///   its feeds carry the full text.
/// - Polls every 2 to 5 seconds (the rate a feed's history gives is
///   measured over at least an hour, so it is the 5-second ceiling that
///   holds once a feed is known), errors retried after 5 seconds.
/// - 50 ms between two requests to the host, 4 at once (one host serves
///   all 24 feeds; most answers are 304).
pub fn demo_run_options() -> RunOptions {
    RunOptions {
        allow_loopback: true,
        allow_private: false,
        fetch_pages: false,
        concurrency: 8,
        fetch: FetchConfig {
            per_host_concurrency: 4,
            per_host_delay: Duration::from_millis(50),
            connect_timeout: Duration::from_secs(5),
            total_timeout: Duration::from_secs(30),
            retries: 1,
            ..FetchConfig::default()
        },
        poll: PollPolicy {
            min_interval: Duration::from_secs(2),
            max_interval: Duration::from_secs(5),
            initial_interval: Duration::from_secs(2),
            error_base: Duration::from_secs(5),
            error_max: Duration::from_secs(60),
            ..PollPolicy::default()
        },
        ..RunOptions::default()
    }
}

/// A fresh data folder: `dir` (created; refused when it holds anything),
/// else a new folder in the system's temporary folder, kept afterwards.
pub fn fresh_data_dir(dir: Option<&Path>) -> Result<PathBuf, DeskError> {
    let dir = match dir {
        Some(d) => d.to_path_buf(),
        None => std::env::temp_dir().join(format!(
            "newsdesk-demo-{}-{}",
            Utc::now().format("%Y%m%d-%H%M%S"),
            std::process::id()
        )),
    };
    let busy = std::fs::read_dir(&dir).is_ok_and(|mut entries| entries.next().is_some());
    if busy {
        return Err(DeskError::Config(format!(
            "{}: the folder is not empty; the demo starts from a fresh data folder \
             (give a new or empty one, or none for a temporary one)",
            dir.display()
        )));
    }
    std::fs::create_dir_all(&dir).map_err(|source| DeskError::Create {
        what: format!("the data folder {}", dir.display()),
        source,
    })?;
    Ok(dir)
}

/// Binds `addr`'s port when it is 0, so the caller can say where a server
/// will listen before it does: the port is released again at once and
/// taken by the server moments later (another program could take it in
/// between; the server then fails to listen and says so).
pub fn pick_port(addr: SocketAddr) -> std::io::Result<SocketAddr> {
    if addr.port() != 0 {
        return Ok(addr);
    }
    std::net::TcpListener::bind(addr)?.local_addr()
}

/// The scoring file of the demo's data folder: heat's time constants (its
/// half-life, the window of its velocity) shortened by the news's speed,
/// so that stories cool as fast as the news plays. Named by the folder's
/// `newsdesk.toml` (`[editorial] scoring`), as a user would.
fn write_scoring(dir: &Path, speed: u32) -> Result<(), DeskError> {
    let heat = newsdesk_score::HeatConfig::default();
    let speed = f64::from(speed.max(1));
    let files = [
        (
            SCORING_FILE,
            format!(
                "# newsdesk demo: heat plays {speed} times faster than real time.\n\
                 [heat]\nhalf_life_hours = {}\nwindow_hours = {}\n",
                heat.half_life_hours / speed,
                heat.window_hours / speed
            ),
        ),
        (
            newsdesk_config::CONFIG_FILE,
            format!("[editorial]\nscoring = \"{SCORING_FILE}\"\n"),
        ),
    ];
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(|source| DeskError::Write {
            what: path.display().to_string(),
            source,
        })?;
    }
    Ok(())
}

/// The demo's scoring file, in its data folder.
pub const SCORING_FILE: &str = "demo-scoring.toml";

/// A started demo: its data folder, the newsroom bound, its feeds followed.
pub struct Demo {
    paths: DeskPaths,
    feeds: FeedServer,
    options: RunOptions,
    stop: watch::Sender<bool>,
}

impl Demo {
    /// A fresh data folder (see [`fresh_data_dir`]) with its store, the live
    /// newsroom of `live` bound on `127.0.0.1` (a port the system picks),
    /// and every outlet's feed followed. The desk's log goes to `log`.
    pub fn start(data_dir: Option<&Path>, live: &LiveConfig, log: Log) -> Result<Demo, DemoError> {
        let dir = fresh_data_dir(data_dir)?;
        write_scoring(&dir, live.speed)?;
        let paths = DeskPaths::new(dir, KeySource::default()).with_log(log);
        let now = Utc::now();
        let feeds = FeedServer::bind(SocketAddr::from(([127, 0, 0, 1], 0)), Live::new(live, now))?;
        let mut store = paths.open_store()?;
        for f in feeds.feeds() {
            crate::sources::follow(&paths, &mut *store, &f.url, Some(f.name.clone()), now)?;
        }
        // The search index exists before anything serves it: a server
        // that finds none creates it, and would race the desk for its
        // writer.
        drop(crate::search_sync::Syncer::open(&paths, &mut *store));
        drop(store);
        let (stop, _) = watch::channel(false);
        Ok(Demo {
            paths,
            feeds,
            options: demo_run_options(),
            stop,
        })
    }

    pub fn paths(&self) -> &DeskPaths {
        &self.paths
    }

    pub fn data_dir(&self) -> &Path {
        &self.paths.data_dir
    }

    /// The newsroom's address (`/` lists its feeds).
    pub fn newsroom_addr(&self) -> SocketAddr {
        self.feeds.addr()
    }

    /// The feeds followed.
    pub fn feeds(&self) -> &[FeedLink] {
        self.feeds.feeds()
    }

    /// How the desk polls (see [`demo_run_options`]).
    pub fn run_options(&self) -> &RunOptions {
        &self.options
    }

    /// Resolves when the demo stops: the shutdown signal for what runs
    /// beside it.
    pub fn stopped(&self) -> impl Future<Output = ()> + Send + 'static {
        let mut rx = self.stop.subscribe();
        async move {
            let _ = rx.wait_for(|stopped| *stopped).await;
        }
    }

    /// Serves the newsroom's feeds and runs the desk over them, and
    /// `beside` (which should end after [`Demo::stopped`] resolves), until
    /// `stop` resolves or `beside` ends; then the newsroom and `beside`
    /// are stopped and waited for. Must run on a Tokio runtime.
    pub async fn run<B, E, S>(
        self,
        beside: B,
        stop: S,
        observer: &mut dyn RunObserver,
    ) -> Result<RunSummary, DemoError>
    where
        B: Future<Output = Result<(), E>> + Send + 'static,
        E: std::fmt::Display + Send + 'static,
        S: Future<Output = &'static str>,
    {
        let Demo {
            paths,
            feeds,
            options,
            stop: stopping,
        } = self;
        let newsroom_stopped = {
            let mut rx = stopping.subscribe();
            async move {
                let _ = rx.wait_for(|stopped| *stopped).await;
            }
        };
        let newsroom = tokio::spawn(feeds.serve(newsroom_stopped));
        let mut beside = tokio::spawn(beside);
        let desk = crate::run::run(&paths, &options, stop, observer);
        tokio::pin!(desk);
        let result = tokio::select! {
            done = &mut desk => {
                let _ = stopping.send(true);
                match beside.await {
                    Ok(Ok(())) => done.map_err(DemoError::from),
                    Ok(Err(e)) => Err(DemoError::Beside(e.to_string())),
                    Err(e) => Err(DemoError::Beside(format!("stopped unexpectedly: {e}"))),
                }
            }
            ended = &mut beside => {
                let _ = stopping.send(true);
                Err(DemoError::Beside(match ended {
                    Ok(Err(e)) => e.to_string(),
                    Ok(Ok(())) => "it stopped before the desk".to_string(),
                    Err(e) => format!("stopped unexpectedly: {e}"),
                }))
            }
        };
        match newsroom.await {
            Ok(Ok(())) => result,
            Ok(Err(e)) => result.and(Err(e.into())),
            Err(e) => result.and(Err(DemoError::Beside(format!(
                "the newsroom stopped unexpectedly: {e}"
            )))),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    #[test]
    fn a_demo_starts_in_a_fresh_folder_and_follows_every_outlet() {
        let tmp = tempfile::tempdir().unwrap();
        let busy = tmp.path().join("busy");
        std::fs::create_dir_all(&busy).unwrap();
        std::fs::write(busy.join("mine.txt"), "keep").unwrap();
        let refused = Demo::start(Some(&busy), &LiveConfig::default(), Arc::new(|_| {}));
        assert!(refused.is_err_and(|e| e.to_string().contains("not empty")));
        assert!(busy.join("mine.txt").is_file());

        let dir = tmp.path().join("new").join("demo");
        let demo = Demo::start(Some(&dir), &LiveConfig::default(), Arc::new(|_| {})).unwrap();
        assert_eq!(demo.data_dir(), dir);
        assert!(demo.newsroom_addr().ip().is_loopback());
        let store = demo.paths().open_store().unwrap();
        let followed: Vec<String> = store
            .followed_sources()
            .unwrap()
            .into_iter()
            .map(|s| s.locator)
            .collect();
        let mut feeds: Vec<String> = demo.feeds().iter().map(|f| f.url.clone()).collect();
        feeds.sort();
        assert_eq!(followed, feeds);
        assert_eq!(followed.len(), 24);
        // Heat plays as fast as the news: a 24-hour half-life becomes 24 minutes.
        let scoring = std::fs::read_to_string(dir.join(SCORING_FILE)).unwrap();
        let config = newsdesk_score::ScoreConfig::from_toml_str(&scoring, "s").unwrap();
        assert!(
            (config.heat.half_life_hours - 0.4).abs() < 1e-9,
            "{scoring}"
        );
        let opts = demo.run_options();
        assert!(opts.allow_loopback && !opts.allow_private && !opts.fetch_pages);
    }

    #[test]
    fn port_zero_is_resolved_and_others_kept() {
        let any = pick_port("127.0.0.1:0".parse().unwrap()).unwrap();
        assert_ne!(any.port(), 0);
        let fixed: SocketAddr = "127.0.0.1:8080".parse().unwrap();
        assert_eq!(pick_port(fixed).unwrap(), fixed);
    }
}
