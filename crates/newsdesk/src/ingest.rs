//! `newsdesk init`, `ingest` and `analyze`: the desk library's ingest
//! (`newsdesk_desk::ingest`) with a progress bar.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::Utc;
use indicatif::{ProgressBar, ProgressStyle};
use newsdesk_desk::ingest::{Failpoint, IngestObserver, IngestOptions};
use newsdesk_desk::{text, DeskPaths};

pub fn init(paths: &DeskPaths) -> anyhow::Result<ExitCode> {
    let store = paths.open_store()?;
    println!(
        "newsdesk store ready at {} (schema version {})",
        store.location(),
        store.schema_version()?
    );
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args)]
pub struct IngestArgs {
    /// Files or folders (read recursively).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Refuse inputs larger than this many bytes.
    #[arg(long, default_value_t = newsdesk_ingest::input::DEFAULT_MAX_BYTES)]
    max_size: u64,
    /// No progress bar.
    #[arg(long, short)]
    quiet: bool,
    /// Store only (bulk imports): analysis, decisions and indexing wait for `analyze` or the next ingest.
    #[arg(long)]
    defer_analysis: bool,
}

pub fn run(paths: &DeskPaths, a: IngestArgs) -> anyhow::Result<ExitCode> {
    let mut bar = Bar {
        quiet: a.quiet,
        bar: ProgressBar::hidden(),
        failpoint: Failpoint::parse(std::env::var("NEWSDESK_FAILPOINT").ok().as_deref()),
    };
    let sum = newsdesk_desk::ingest::ingest(
        paths,
        &a.paths,
        &IngestOptions {
            max_bytes: a.max_size,
            analyse: !a.defer_analysis,
        },
        &mut bar,
    )?;
    bar.bar.finish_and_clear();
    print!("{}", text::ingested(&sum));
    eprint!("{}", text::ingest_problems(&sum));
    // Skipped entries (an empty story in a good file) are reported, but only a
    // failed input makes the run fail.
    Ok(ExitCode::from(u8::from(!sum.failed.is_empty())))
}

/// The progress bar (none with `--quiet` or a single input), and the failpoint after each store commit.
struct Bar {
    quiet: bool,
    bar: ProgressBar,
    failpoint: Failpoint,
}

impl IngestObserver for Bar {
    fn inputs(&mut self, count: usize) {
        if self.quiet || count < 2 {
            return;
        }
        self.bar = ProgressBar::new(count as u64);
        self.bar.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} inputs, {per_sec}, eta {eta} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
    }

    fn input_done(&mut self) {
        self.bar.inc(1);
    }

    /// `NEWSDESK_FAILPOINT=after_store_commit:N`: the crash the search tests need, at a place they can name.
    fn stored(&mut self) {
        if let Some(n) = self.failpoint.commit() {
            eprintln!("failpoint after_store_commit:{n}: aborting");
            std::process::abort();
        }
    }
}

/// `newsdesk analyze` (alias `analyse`): analyzes and decides whatever is pending.
pub fn analyze(paths: &DeskPaths) -> anyhow::Result<ExitCode> {
    let (done, decided) = newsdesk_desk::editor::analyze_pending(paths, Utc::now())?;
    print!(
        "{}{}",
        text::analysed(&done),
        text::decided("editorial", &decided)
    );
    Ok(ExitCode::SUCCESS)
}
