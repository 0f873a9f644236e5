//! Saved article pages (`.html`, `.html.gz`) read for their main text and
//! metadata (`newsdesk_extract`), and the JSON line each gives.

use std::io::Read;
use std::path::Path;

use chrono::{DateTime, Utc};
use newsdesk_extract::{extract_page, Extracted, PageInfo, MAX_PAGE_BYTES};
use newsdesk_normalize::format_date;
use serde::Serialize;

use crate::DeskError;

/// A page file's bytes; gzip files (by magic number) are decompressed, up
/// to one byte over the extractor's limit so a bomb is refused, not inflated.
pub fn read_page(file: &Path) -> Result<Vec<u8>, DeskError> {
    let unreadable = |source| DeskError::Unreadable {
        what: "the file".into(),
        source,
    };
    let raw = std::fs::read(file).map_err(unreadable)?;
    if !raw.starts_with(&[0x1f, 0x8b]) {
        return Ok(raw);
    }
    let mut out = Vec::new();
    flate2::read::MultiGzDecoder::new(&raw[..])
        .take(MAX_PAGE_BYTES as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|source| DeskError::Gzip { source })?;
    Ok(out)
}

/// Extracts the page in `file`, fetched from `url`; `fetched` bounds its
/// publication date (default: the file's modification time).
pub fn extract_file(
    file: &Path,
    url: Option<&str>,
    fetched: Option<DateTime<Utc>>,
) -> Result<Extracted, DeskError> {
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

/// One page as a JSON line; fields in the order `newsdesk extract` documents.
#[derive(Debug, Serialize)]
pub struct PageView<'a> {
    pub file: String,
    pub title: Option<&'a str>,
    pub text: &'a str,
    pub published: Option<String>,
    /// The publication day in the page's own time zone (`YYYY-MM-DD`).
    pub published_day: Option<String>,
    pub author: Option<&'a str>,
    pub image: Option<&'a str>,
    pub canonical: Option<&'a str>,
    pub amp: Option<&'a str>,
    pub language: Option<&'a str>,
}

impl<'a> PageView<'a> {
    pub fn new(file: &Path, page: &'a Extracted) -> PageView<'a> {
        PageView {
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
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    const PAGE: &str = "<html><head><title>Cloud spend grows</title></head><body><article><h1>Cloud spend grows</h1><p>Spending on cloud infrastructure grew by a third in the first quarter, the analysts said on Monday, with the three largest providers taking most of it.</p><p>Smaller providers grew too, but more slowly than the market as a whole, the report found.</p></article></body></html>";

    #[test]
    fn plain_and_gzip_pages_give_the_same_text() {
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join("a.html");
        std::fs::write(&plain, PAGE).unwrap();
        let gz = dir.path().join("a.html.gz");
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(PAGE.as_bytes()).unwrap();
        std::fs::write(&gz, enc.finish().unwrap()).unwrap();
        assert_eq!(read_page(&gz).unwrap(), PAGE.as_bytes());
        let a = extract_file(&plain, None, None).unwrap();
        let b = extract_file(&gz, None, None).unwrap();
        assert_eq!(a.text, b.text);
        assert!(a.text.contains("cloud infrastructure"), "{}", a.text);
        let view = PageView::new(&plain, &a);
        let line = serde_json::to_string(&view).unwrap();
        assert!(line.starts_with("{\"file\":"), "{line}");
    }

    #[test]
    fn a_missing_file_says_it_cannot_be_read() {
        let e = read_page(Path::new("/nonexistent/page.html")).unwrap_err();
        assert_eq!(e.to_string(), "cannot read the file");
    }
}
