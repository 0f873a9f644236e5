//! `newsdesk export`: documents for a static site, or JSON lines for scripts.

use std::io::BufWriter;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::ValueEnum;
use newsdesk_desk::DeskPaths;

#[derive(clap::Args)]
pub struct ExportArgs {
    #[arg(long, value_enum)]
    format: ExportFormat,
    /// The folder for `docs` (created if missing); `jsonl` writes to standard output.
    dir: Option<PathBuf>,
    /// With `docs`: also articles known only from related lists (`jsonl` has them as `"stub": true`).
    #[arg(long)]
    include_stubs: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportFormat {
    /// One seed-format document per article, named YYYY-MM-DD-slug.md (a Jekyll `_news` folder).
    Docs,
    /// One JSON object per article on standard output.
    Jsonl,
}

pub fn run(paths: &DeskPaths, a: ExportArgs) -> anyhow::Result<ExitCode> {
    match (a.format, a.dir) {
        (ExportFormat::Docs, Some(dir)) => {
            let n = newsdesk_render::export_docs(&*paths.open_store()?, &dir, a.include_stubs)?;
            eprintln!("wrote {n} documents to {}", dir.display());
        }
        (ExportFormat::Docs, None) => {
            anyhow::bail!("export --format docs needs a folder: newsdesk export --format docs DIR")
        }
        // Every article, stubs included: the `related` ids must resolve.
        (ExportFormat::Jsonl, _) => {
            let store = paths.open_store()?;
            let mut out = BufWriter::new(std::io::stdout().lock());
            newsdesk_render::export_jsonl(&*store, &mut out)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
