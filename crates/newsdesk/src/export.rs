//! `newsdesk export`: documents for a static site, or JSON lines for scripts.

use std::io::BufWriter;
use std::path::Path;
use std::process::ExitCode;

use crate::ingest::open_store;

pub fn docs(data_dir: &Path, dir: &Path, include_stubs: bool) -> anyhow::Result<ExitCode> {
    let store = open_store(data_dir)?;
    let n = newsdesk_render::export_docs(&*store, dir, include_stubs)?;
    eprintln!("wrote {n} documents to {}", dir.display());
    Ok(ExitCode::SUCCESS)
}

/// Every article, stubs included: the `related` ids must resolve.
pub fn jsonl(data_dir: &Path) -> anyhow::Result<ExitCode> {
    let store = open_store(data_dir)?;
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    newsdesk_render::export_jsonl(&*store, &mut out)?;
    Ok(ExitCode::SUCCESS)
}
