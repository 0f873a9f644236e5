//! `newsdesk docs check`: prints what `newsdesk_desk::docs::check` finds in
//! seed-format documents, as an editor of a Jekyll site would see it.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::Utc;

pub fn check(paths: &[PathBuf], roundtrip: bool) -> anyhow::Result<ExitCode> {
    let r = newsdesk_desk::docs::check(paths, roundtrip, Utc::now());
    for f in &r.findings {
        println!("{f}");
    }
    eprintln!("{}", r.summary(roundtrip));
    Ok(ExitCode::from(u8::from(!r.ok())))
}
