//! `newsdesk extract`: the main text and metadata of saved article pages,
//! one JSON object per file on standard output.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use chrono::{DateTime, Utc};
use newsdesk_extract::{extract_page, Extracted, PageInfo, MAX_PAGE_BYTES};
use newsdesk_normalize::{format_date, parse_date};
use serde::Serialize;

/// Extracts every file; a file that cannot be read or parsed is reported on
/// standard error and the others go on (exit status 1 if any failed).
/// `fetched` bounds the publication date; without it, each file's
/// modification time does.
pub fn run(
    files: &[PathBuf],
    url: Option<&str>,
    fetched: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let fetched = fetched
        .map(|f| parse_date(f).with_context(|| format!("--fetched {f:?}: expected a date")))
        .transpose()?;
    let mut failed = 0;
    for file in files {
        match extract_file(file, url, fetched) {
            Ok(page) => println!("{}", serde_json::to_string(&as_json(file, &page))?),
            Err(e) => {
                eprintln!("{}: {e:#}", file.display());
                failed += 1;
            }
        }
    }
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn extract_file(
    file: &Path,
    url: Option<&str>,
    fetched: Option<DateTime<Utc>>,
) -> anyhow::Result<Extracted> {
    let bytes = read_page(file)?;
    let fetched = fetched.or_else(|| {
        let modified = std::fs::metadata(file).and_then(|m| m.modified()).ok()?;
        Some(DateTime::<Utc>::from(modified))
    });
    let info = PageInfo {
        url,
        charset: None,
        fetched,
    };
    Ok(extract_page(&bytes, &info)?)
}

/// The page's bytes; gzip files (by magic number) are decompressed, up to
/// one byte over the extractor's limit so a bomb is refused, not inflated.
fn read_page(file: &Path) -> anyhow::Result<Vec<u8>> {
    let raw = std::fs::read(file).context("cannot read the file")?;
    if !raw.starts_with(&[0x1f, 0x8b]) {
        return Ok(raw);
    }
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(&raw[..])
        .take(MAX_PAGE_BYTES as u64 + 1)
        .read_to_end(&mut out)
        .context("cannot decompress the gzip file")?;
    Ok(out)
}

/// One output line; fields in the order the command documents.
#[derive(Serialize)]
struct Row<'a> {
    file: String,
    title: Option<&'a str>,
    text: &'a str,
    published: Option<String>,
    /// The publication day in the page's own time zone (`YYYY-MM-DD`).
    published_day: Option<String>,
    author: Option<&'a str>,
    image: Option<&'a str>,
    canonical: Option<&'a str>,
    amp: Option<&'a str>,
    language: Option<&'a str>,
}

fn as_json<'a>(file: &Path, page: &'a Extracted) -> Row<'a> {
    Row {
        file: file.display().to_string(),
        title: page.title.as_deref(),
        text: &page.text,
        published: page.published.as_ref().map(format_date),
        published_day: page.published_day.map(|d| d.to_string()),
        author: page.author.as_deref(),
        image: page.image.as_deref(),
        canonical: page.canonical.as_deref(),
        amp: page.amp.as_deref(),
        language: page.language.as_deref(),
    }
}
