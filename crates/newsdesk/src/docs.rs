//! `newsdesk docs check`: prints what `newsdesk_desk::docs::check` finds in
//! seed-format documents, as an editor of a Jekyll site would see it.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::Utc;

#[derive(clap::Subcommand)]
pub enum DocsCommand {
    /// Validate documents: required fields, types, dates, URLs.
    Check {
        /// Files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Also list every file whose bytes would change when re-written.
        #[arg(long)]
        roundtrip: bool,
    },
}

pub fn run(command: DocsCommand) -> anyhow::Result<ExitCode> {
    let DocsCommand::Check { paths, roundtrip } = command;
    let r = newsdesk_desk::docs::check(&paths, roundtrip, Utc::now());
    for f in &r.findings {
        println!("{f}");
    }
    eprintln!("{}", r.summary(roundtrip));
    Ok(ExitCode::from(u8::from(!r.ok())))
}
