//! Main text and metadata from article pages.
//!
//! [`extract`] takes the bytes of an HTML page (any charset) and optionally
//! its URL, and returns the article's text with the page's boilerplate
//! (navigation, teasers, share bars, comments, captions) removed, plus its
//! title, author, publication date, lead image, canonical and AMP links and
//! language. Pure: no I/O, no clock.
//!
//! How: a forgiving one-pass HTML parser into a flat arena (`dom`), charset
//! decoding (`newsdesk_normalize::charset::decode_html`), block weighting and container choice (`content`),
//! metadata from JSON-LD, meta tags, markup and the URL (`meta`).
//! [`metric`] is the article-extraction-benchmark's scorer, used by the
//! benchmark test and the `extract_pages` example.
//!
//! ```
//! let html = br#"<html lang="en"><head><title>Rain - The Daily</title>
//!   <link rel="canonical" href="/news/rain"></head>
//!   <body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
//!   <article><h1>Rain</h1><p>It rained all day in the city, and the river rose by a metre.</p>
//!   <p>Forecasters expect more of the same tomorrow, with wind from the west.</p></article>
//!   <footer>Copyright The Daily</footer></body></html>"#;
//! let page = newsdesk_extract::extract(html, Some("https://daily.example/x")).unwrap();
//! assert!(page.text.starts_with("It rained all day"));
//! assert!(!page.text.contains("Copyright"));
//! assert_eq!(page.canonical.as_deref(), Some("https://daily.example/news/rain"));
//! assert_eq!(page.language.as_deref(), Some("en"));
//! ```

mod content;
mod dates;
mod datetext;
mod dom;
mod entities;
mod meta;
pub mod metric;
mod text;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

/// Pages larger than this are refused (real articles are well under 5 MB).
pub const MAX_PAGE_BYTES: usize = 32 * 1024 * 1024;

/// What an article page says about itself.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Extracted {
    /// Headline (`og:title`, JSON-LD `headline`, `<h1>`, `<title>`).
    pub title: Option<String>,
    /// The main text: paragraphs separated by blank lines.
    pub text: String,
    /// Publication date (date in the URL, JSON-LD, meta tags, `<time>`,
    /// dates shown near the headline; see `dates.rs`), never after the
    /// fetch time when it is known.
    pub published: Option<DateTime<Utc>>,
    /// The calendar day of `published` as the page states it, in its own
    /// time zone (`2019-03-12T23:30-05:00` is the 12th here, the 13th in
    /// `published`).
    pub published_day: Option<NaiveDate>,
    /// Author name(s), comma-separated.
    pub author: Option<String>,
    /// Lead image URL, absolute.
    pub image: Option<String>,
    /// `<link rel=canonical>`, absolute.
    pub canonical: Option<String>,
    /// `<link rel=amphtml>`, absolute.
    pub amp: Option<String>,
    /// Language tag (`<html lang>`, `content-language`, `og:locale`).
    pub language: Option<String>,
}

/// Why a page could not be read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ExtractError {
    #[error("the page is empty")]
    Empty,
    #[error("the page is {size} bytes, more than the {max}-byte limit")]
    TooLarge { size: usize, max: usize },
    #[error("the page URL {url:?} is not an absolute http(s) URL")]
    InvalidUrl { url: String },
}

/// What is known about a page besides its bytes.
#[derive(Debug, Clone, Copy, Default)]
pub struct PageInfo<'a> {
    /// Where the page was fetched from: resolves relative links and dates
    /// the page when its path does (`/2019/03/12/`).
    pub url: Option<&'a str>,
    /// The charset the HTTP `Content-Type` header declared (a byte-order
    /// mark still wins over it).
    pub charset: Option<&'a str>,
    /// When the page was fetched: no publication date after it is taken.
    pub fetched: Option<DateTime<Utc>>,
}

/// Extracts the article from a page's bytes; `url` (where the page was
/// fetched from) resolves relative links and supplies a date when the page
/// has none but its URL does.
pub fn extract(html: &[u8], url: Option<&str>) -> Result<Extracted, ExtractError> {
    extract_page(
        html,
        &PageInfo {
            url,
            ..PageInfo::default()
        },
    )
}

/// As [`extract`], with the charset the HTTP `Content-Type` header declared
/// (a byte-order mark still wins over it).
pub fn extract_with_charset(
    html: &[u8],
    url: Option<&str>,
    charset: Option<&str>,
) -> Result<Extracted, ExtractError> {
    extract_page(
        html,
        &PageInfo {
            url,
            charset,
            fetched: None,
        },
    )
}

/// Extracts the article from a page's bytes, with what is known about the
/// page ([`PageInfo`]).
pub fn extract_page(html: &[u8], info: &PageInfo) -> Result<Extracted, ExtractError> {
    let (url, charset) = (info.url, info.charset);
    if html.len() > MAX_PAGE_BYTES {
        return Err(ExtractError::TooLarge {
            size: html.len(),
            max: MAX_PAGE_BYTES,
        });
    }
    if html.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(ExtractError::Empty);
    }
    if let Some(u) = url {
        if newsdesk_normalize::canonical_url(u).is_err() {
            return Err(ExtractError::InvalidUrl { url: u.to_string() });
        }
    }
    let text = newsdesk_normalize::charset::decode_html(html, charset).text;
    Ok(extract_text(&text, url, info.fetched))
}

/// Extracts from already decoded HTML.
pub fn extract_str(html: &str, url: Option<&str>) -> Result<Extracted, ExtractError> {
    if html.len() > MAX_PAGE_BYTES {
        return Err(ExtractError::TooLarge {
            size: html.len(),
            max: MAX_PAGE_BYTES,
        });
    }
    if html.trim().is_empty() {
        return Err(ExtractError::Empty);
    }
    if let Some(u) = url {
        if newsdesk_normalize::canonical_url(u).is_err() {
            return Err(ExtractError::InvalidUrl { url: u.to_string() });
        }
    }
    Ok(extract_text(html, url, None))
}

fn extract_text(html: &str, url: Option<&str>, fetched: Option<DateTime<Utc>>) -> Extracted {
    let dom = dom::Dom::parse(html);
    let main = content::main_content(&dom);
    let meta = meta::metadata(&dom, url, main.root, fetched);
    Extracted {
        title: meta.title,
        text: main.text,
        published: meta.published.map(|p| p.instant),
        published_day: meta.published.map(|p| p.day),
        author: meta.author,
        image: meta.image,
        canonical: meta.canonical,
        amp: meta.amp,
        language: meta.language,
    }
}
