//! `newsdesk docs check`: validate seed-format documents, as an editor of a
//! Jekyll site would before publishing.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::Utc;
use newsdesk_model::document::first_difference;
use newsdesk_model::validate::validate;
use newsdesk_model::Document;

fn is_doc(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e, "md" | "markdown"))
}

fn has_front_matter(p: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 8];
    let n = std::fs::File::open(p)
        .and_then(|mut f| f.read(&mut head))
        .unwrap_or(0);
    let head = &head[..n];
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    head.starts_with(b"---\n") || head.starts_with(b"---\r\n")
}

pub fn check(paths: &[PathBuf], roundtrip: bool) -> anyhow::Result<ExitCode> {
    let mut files = Vec::new();
    let mut static_files = 0usize;
    for p in paths {
        if p.is_dir() {
            // In a folder, Markdown files without front matter are what Jekyll
            // copies as static files (a README): not documents.
            for f in newsdesk_ingest::expand_paths(std::slice::from_ref(p)) {
                if !is_doc(&f) {
                    continue;
                }
                if has_front_matter(&f) {
                    files.push(f);
                } else {
                    static_files += 1;
                }
            }
        } else {
            files.push(p.clone());
        }
    }
    let now = Utc::now();
    let (mut bad, mut changed) = (0usize, 0usize);
    for f in &files {
        let shown = f.display();
        let text = match std::fs::read(f) {
            Err(e) => {
                println!("{shown}: cannot read: {e}");
                bad += 1;
                continue;
            }
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(t) => t,
                Err(e) => {
                    println!(
                        "{shown}: not UTF-8 (invalid byte at offset {}): documents must be UTF-8",
                        e.utf8_error().valid_up_to()
                    );
                    bad += 1;
                    continue;
                }
            },
        };
        let doc = match Document::parse(&text) {
            Ok(d) => d,
            Err(e) => {
                let field = e
                    .field
                    .as_deref()
                    .map(|f| format!("{f}: "))
                    .unwrap_or_default();
                println!("{shown}:{}: {field}{}", e.line, e.message);
                bad += 1;
                continue;
            }
        };
        let problems = validate(&doc, now);
        for p in &problems {
            match p.line {
                Some(l) => println!("{shown}:{l}: {}: {}", p.field, p.message),
                None => println!("{shown}: {}: {}", p.field, p.message),
            }
        }
        if !problems.is_empty() {
            bad += 1;
        }
        if roundtrip {
            if let Some(line) = first_difference(&text, &doc.to_string_lossless()) {
                println!("{shown}:{line}: would change when re-written");
                changed += 1;
            }
        }
    }
    let mut summary = format!(
        "{} documents checked: {} valid, {} with problems",
        files.len(),
        files.len() - bad,
        bad
    );
    if static_files > 0 {
        summary.push_str(&format!(
            ", {static_files} Markdown files without front matter skipped"
        ));
    }
    if roundtrip {
        summary.push_str(&format!(", {changed} would change when re-written"));
    }
    eprintln!("{summary}");
    Ok(if bad == 0 && changed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
