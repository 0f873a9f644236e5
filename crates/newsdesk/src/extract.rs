//! `newsdesk extract`: the main text and metadata of saved article pages,
//! one JSON object per file on standard output.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use newsdesk_desk::pages::{extract_file, PageView};
use newsdesk_normalize::parse_date;

#[derive(clap::Args)]
pub struct ExtractArgs {
    /// Page files.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// The URL the pages came from (resolves relative links; a date in it dates the page).
    #[arg(long)]
    url: Option<String>,
    /// When the pages were fetched (RFC 3339 or a date; default: the file's time): no later date is taken.
    #[arg(long)]
    fetched: Option<String>,
}

/// Extracts every file; failures are reported and the others go on (exit status 1).
pub fn run(a: ExtractArgs) -> anyhow::Result<ExitCode> {
    let fetched = a
        .fetched
        .as_deref()
        .map(|f| parse_date(f).with_context(|| format!("--fetched {f:?}: expected a date")))
        .transpose()?;
    let mut failed = false;
    for file in &a.files {
        match extract_file(file, a.url.as_deref(), fetched) {
            Ok(page) => println!("{}", serde_json::to_string(&PageView::new(file, &page))?),
            Err(e) => {
                eprintln!("{}: {:#}", file.display(), anyhow::Error::from(e));
                failed = true;
            }
        }
    }
    Ok(ExitCode::from(u8::from(failed)))
}
