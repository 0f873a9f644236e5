//! Reading one input: find what kind of thing it is, read it, and turn it into
//! normalized articles (or subscriptions, for OPML).

use std::path::{Path, PathBuf};

use newsdesk_model::{Article, Document};

use crate::error::IngestError;
use crate::prepare;

/// Inputs larger than this are refused before they are read.
pub const DEFAULT_MAX_BYTES: u64 = 64 * 1024 * 1024;

/// What kind of input a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    /// A seed-format record (YAML front matter).
    Document,
    /// An RSS, Atom or JSON feed.
    Feed,
    /// An OPML subscription list.
    Opml,
    /// Reuters-21578 SGML.
    Reuters,
    /// Plain text, optionally opening with a `date YYYY-MM-DD` line.
    Text,
}

impl InputKind {
    pub fn name(self) -> &'static str {
        match self {
            InputKind::Document => "document",
            InputKind::Feed => "feed",
            InputKind::Opml => "opml",
            InputKind::Reuters => "reuters",
            InputKind::Text => "text",
        }
    }
}

/// A subscription found in an OPML list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    pub url: String,
    pub title: Option<String>,
}

/// What reading one input gave.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub locator: String,
    /// The input's kind as stored with its source (`rss`, `atom`, `document`, ...).
    pub source_kind: String,
    /// The source's own title (a feed's title), when it has one.
    pub source_title: Option<String>,
    pub articles: Vec<Article>,
    pub subscriptions: Vec<Subscription>,
    /// Parts of the input that were skipped, each with its reason; the rest
    /// of the input was read.
    pub skipped: Vec<String>,
    /// Damage the reader recovered from (a feed's undeclared entity, a
    /// mismatched tag): everything was read, but the publisher should know.
    pub warnings: Vec<String>,
}

impl Parsed {
    pub(crate) fn new(locator: &str, kind: &str) -> Parsed {
        Parsed {
            locator: locator.to_string(),
            source_kind: kind.to_string(),
            source_title: None,
            articles: Vec::new(),
            subscriptions: Vec::new(),
            skipped: Vec::new(),
            warnings: Vec::new(),
        }
    }
}

/// Expands paths: files as given, folders recursively (sorted, hidden entries
/// skipped). A path that does not exist is returned as is, to fail on read.
pub fn expand_paths(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, &mut out);
        } else {
            out.push(p.clone());
        }
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        // Unreadable folder: keep it so reading it reports the error.
        out.push(dir.to_path_buf());
        return;
    };
    let mut entries: Vec<PathBuf> = rd.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        let hidden = p
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

/// Reads and parses one file.
pub fn read_path(path: &Path, max_bytes: u64) -> Result<Parsed, IngestError> {
    let locator = path.display().to_string();
    if locator.starts_with("http://") || locator.starts_with("https://") {
        return Err(IngestError::Unsupported {
            input: locator,
            message: "this build reads files and folders only; download the feed or page and ingest the file".into(),
        });
    }
    let io = |e: std::io::Error| IngestError::Io {
        input: locator.clone(),
        message: e.to_string(),
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.is_dir() {
        return Err(IngestError::Io {
            input: locator,
            message: "is a folder that could not be read".into(),
        });
    }
    if meta.len() > max_bytes {
        return Err(IngestError::TooLarge {
            input: locator,
            size: meta.len(),
            limit: max_bytes,
        });
    }
    let bytes = std::fs::read(path).map_err(io)?;
    parse_bytes(&bytes, &locator)
}

/// Decides what `bytes` are, by content first and the name's extension second.
pub fn detect(bytes: &[u8], locator: &str) -> Result<InputKind, IngestError> {
    let head = skip_bom_and_space(&bytes[..bytes.len().min(4096)]);
    if head.is_empty() {
        return Err(IngestError::Empty {
            input: locator.to_string(),
        });
    }
    let lower_name = locator.to_ascii_lowercase();
    if head.starts_with(b"---\n") || head.starts_with(b"---\r\n") {
        return Ok(InputKind::Document);
    }
    if head.starts_with(b"<") {
        let text = String::from_utf8_lossy(head).to_ascii_lowercase();
        if text.contains("<reuters") {
            return Ok(InputKind::Reuters);
        }
        if text.contains("<opml") {
            return Ok(InputKind::Opml);
        }
        return Ok(InputKind::Feed);
    }
    if head.starts_with(b"{") {
        return Ok(InputKind::Feed);
    }
    if looks_binary(&bytes[..bytes.len().min(8192)]) {
        return Err(IngestError::Unsupported {
            input: locator.to_string(),
            message: "binary data: expected a document (--- front matter), a feed (RSS, Atom, JSON Feed), OPML, Reuters SGML or UTF-8 text".into(),
        });
    }
    if lower_name.ends_with(".sgm") {
        return Ok(InputKind::Reuters);
    }
    Ok(InputKind::Text)
}

fn skip_bom_and_space(b: &[u8]) -> &[u8] {
    let b = b.strip_prefix(b"\xef\xbb\xbf").unwrap_or(b);
    let start = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    &b[start..]
}

/// NUL bytes, or many control bytes, mean this is not text.
fn looks_binary(b: &[u8]) -> bool {
    if b.contains(&0) {
        return true;
    }
    let control = b
        .iter()
        .filter(|&&c| c < 0x20 && !matches!(c, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    control * 20 > b.len() || (std::str::from_utf8(b).is_err() && invalid_ratio(b) > 0.1)
}

fn invalid_ratio(b: &[u8]) -> f64 {
    let text = String::from_utf8_lossy(b);
    let bad = text.chars().filter(|&c| c == '\u{fffd}').count();
    bad as f64 / text.chars().count().max(1) as f64
}

/// Parses bytes read from `locator`.
pub fn parse_bytes(bytes: &[u8], locator: &str) -> Result<Parsed, IngestError> {
    match detect(bytes, locator)? {
        InputKind::Document => read_document(bytes, locator),
        InputKind::Text => prepare::from_text(bytes, locator),
        InputKind::Feed => prepare::from_feed(bytes, locator),
        InputKind::Opml => prepare::from_opml(bytes, locator),
        InputKind::Reuters => prepare::from_reuters(bytes, locator),
    }
}

fn read_document(bytes: &[u8], locator: &str) -> Result<Parsed, IngestError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        IngestError::Encoding {
            input: locator.to_string(),
            message: format!(
                "line {line}: byte 0x{:02X} at offset {at} is not UTF-8; documents must be UTF-8 (re-save the file as UTF-8)",
                bytes[at]
            ),
        }
    })?;
    let doc = Document::parse(text).map_err(|e| IngestError::Document {
        input: locator.to_string(),
        error: e,
    })?;
    let mut parsed = Parsed::new(locator, "document");
    parsed
        .articles
        .push(prepare::from_document(doc.article, locator));
    Ok(parsed)
}
