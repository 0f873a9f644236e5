//! `newsdesk docs check`: prints what `newsdesk_desk::docs::check` finds in
//! seed-format documents, as an editor of a Jekyll site would see it.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::Utc;
use newsdesk_desk::docs::Finding;

pub fn check(paths: &[PathBuf], roundtrip: bool) -> anyhow::Result<ExitCode> {
    let r = newsdesk_desk::docs::check(paths, roundtrip, Utc::now());
    for f in &r.findings {
        match f {
            Finding::Unreadable { file, error } => {
                println!("{}: cannot read: {error}", file.display())
            }
            Finding::NotUtf8 { file, offset } => println!(
                "{}: not UTF-8 (invalid byte at offset {offset}): documents must be UTF-8",
                file.display()
            ),
            Finding::Syntax {
                file,
                line,
                field,
                message,
            } => {
                let field = field
                    .as_deref()
                    .map(|f| format!("{f}: "))
                    .unwrap_or_default();
                println!("{}:{line}: {field}{message}", file.display());
            }
            Finding::Invalid {
                file,
                line: Some(l),
                field,
                message,
            } => println!("{}:{l}: {field}: {message}", file.display()),
            Finding::Invalid {
                file,
                line: None,
                field,
                message,
            } => println!("{}: {field}: {message}", file.display()),
            Finding::WouldChange { file, line } => {
                println!("{}:{line}: would change when re-written", file.display())
            }
        }
    }
    let mut summary = format!(
        "{} documents checked: {} valid, {} with problems",
        r.documents,
        r.documents - r.bad,
        r.bad
    );
    if r.static_files > 0 {
        summary.push_str(&format!(
            ", {} Markdown files without front matter skipped",
            r.static_files
        ));
    }
    if roundtrip {
        summary.push_str(&format!(", {} would change when re-written", r.changed));
    }
    eprintln!("{summary}");
    Ok(if r.bad == 0 && r.changed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
