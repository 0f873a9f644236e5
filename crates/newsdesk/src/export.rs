//! `newsdesk export`: documents for a static site, or JSON lines for scripts.

use newsdesk_desk::DeskPaths;
use std::io::BufWriter;
use std::path::Path;
use std::process::ExitCode;

pub fn docs(paths: &DeskPaths, dir: &Path, include_stubs: bool) -> anyhow::Result<ExitCode> {
    let store = paths.open_store()?;
    let n = newsdesk_render::export_docs(&*store, dir, include_stubs)?;
    eprintln!("wrote {n} documents to {}", dir.display());
    Ok(ExitCode::SUCCESS)
}

/// Every article, stubs included: the `related` ids must resolve.
pub fn jsonl(paths: &DeskPaths) -> anyhow::Result<ExitCode> {
    let store = paths.open_store()?;
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    newsdesk_render::export_jsonl(&*store, &mut out)?;
    Ok(ExitCode::SUCCESS)
}
