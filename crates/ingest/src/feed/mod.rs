//! Feed readers: RSS 0.9x / 1.0 (RDF) / 2.0, Atom 0.3 / 1.0 and JSON Feed
//! 1.0 / 1.1, from raw bytes.
//!
//! [`parse_feed`] sniffs the format, decodes the bytes (byte-order mark, XML
//! declaration, then detection), reads the document leniently the way feed
//! readers must (undeclared HTML entities, mismatched tags and similar
//! damage are recovered from and listed in [`Feed::problems`]) and returns one
//! model for all formats. Every HTML field is sanitized with
//! [`newsdesk_normalize::sanitize::sanitize_html`], relative URLs resolved
//! against `xml:base`, the feed's own URL (when `source` is an http(s) URL)
//! or the feed's link. All dates are UTC.
//!
//! Hostile input is bounded: nesting depth is capped, DTD entity expansion has
//! a budget, external entities are never fetched, and nothing here panics on
//! input.

mod dom;
mod entities;
mod json;
mod urls;
mod xml;

use chrono::{DateTime, Utc};
use serde::Serialize;

/// The syntax a feed was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum FeedFormat {
    /// RSS 0.90 (RDF-based, Netscape namespace).
    Rss090,
    Rss091,
    Rss092,
    Rss093,
    Rss094,
    Rss20,
    /// RSS without (or with an unknown) `version` attribute.
    Rss,
    /// RSS 1.0 (RDF).
    Rss10,
    Atom03,
    Atom10,
    JsonFeed10,
    JsonFeed11,
}

impl FeedFormat {
    /// The name feedparser uses for this format (`rss20`, `atom10`, `json11`).
    pub fn as_str(self) -> &'static str {
        match self {
            FeedFormat::Rss090 => "rss090",
            FeedFormat::Rss091 => "rss091",
            FeedFormat::Rss092 => "rss092",
            FeedFormat::Rss093 => "rss093",
            FeedFormat::Rss094 => "rss094",
            FeedFormat::Rss20 => "rss20",
            FeedFormat::Rss => "rss",
            FeedFormat::Rss10 => "rss10",
            FeedFormat::Atom03 => "atom03",
            FeedFormat::Atom10 => "atom10",
            FeedFormat::JsonFeed10 => "json10",
            FeedFormat::JsonFeed11 => "json11",
        }
    }

    /// The family as the desk's `Origin.format` names it: `rss`, `atom` or `json-feed`.
    pub fn family(self) -> &'static str {
        match self {
            FeedFormat::Atom03 | FeedFormat::Atom10 => "atom",
            FeedFormat::JsonFeed10 | FeedFormat::JsonFeed11 => "json-feed",
            _ => "rss",
        }
    }
}

/// Whether a [`Text`] value is plain text or HTML.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum TextKind {
    /// Plain text: `value` is the text itself, not escaped.
    Text,
    /// HTML: `value` is sanitized HTML, safe to embed.
    Html,
}

/// A human-readable value that may be plain text or HTML.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Text {
    pub value: String,
    pub kind: TextKind,
}

impl Text {
    /// The value as HTML (plain text is escaped), safe to embed in a page.
    pub fn to_html(&self) -> String {
        match self.kind {
            TextKind::Html => self.value.clone(),
            TextKind::Text => escape_html(&self.value),
        }
    }
}

fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

/// A link of a feed or entry (Atom `<link>`, RSS `<link>`, JSON Feed `url`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Link {
    pub href: String,
    /// `alternate` unless the feed said otherwise.
    pub rel: String,
    pub media_type: Option<String>,
    pub title: Option<String>,
    pub length: Option<u64>,
}

/// An author or contributor.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Person {
    pub name: Option<String>,
    pub email: Option<String>,
    pub uri: Option<String>,
}

/// An attached file (RSS `<enclosure>`, Atom `rel="enclosure"` link, JSON
/// Feed attachment).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Enclosure {
    pub url: String,
    pub media_type: Option<String>,
    pub length: Option<u64>,
}

/// Which MediaRSS element a [`Media`] came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum MediaKind {
    /// `<media:content>` (JSON Feed `image`/`banner_image` too).
    Content,
    /// `<media:thumbnail>`.
    Thumbnail,
}

/// A MediaRSS image, video or thumbnail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Media {
    pub kind: MediaKind,
    pub url: String,
    pub media_type: Option<String>,
    /// `image`, `video`, `audio`, ... (`medium` attribute).
    pub medium: Option<String>,
    pub width: Option<u32>,
    pub height: Option<u32>,
}

/// A category or tag.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Category {
    pub term: String,
    /// RSS `domain`, Atom `scheme`.
    pub scheme: Option<String>,
    pub label: Option<String>,
}

/// One item of a feed.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Entry {
    /// RSS `guid`, Atom `id`, JSON Feed `id`.
    pub id: Option<String>,
    pub title: Option<Text>,
    /// The main (alternate) link, absolute when a base was known.
    pub link: Option<String>,
    pub links: Vec<Link>,
    pub published: Option<DateTime<Utc>>,
    pub updated: Option<DateTime<Utc>>,
    /// The publication date as the feed wrote it (trimmed), parsed or not:
    /// for display and for dates [`Entry::published`] cannot represent.
    pub published_raw: Option<String>,
    /// The update date as the feed wrote it (trimmed), parsed or not.
    pub updated_raw: Option<String>,
    pub authors: Vec<Person>,
    /// RSS `description`, Atom `summary`, JSON Feed `summary`.
    pub summary: Option<Text>,
    /// RSS `content:encoded` / `xhtml:body`, Atom `content`, JSON Feed
    /// `content_html` / `content_text`.
    pub content: Option<Text>,
    pub enclosures: Vec<Enclosure>,
    pub media: Vec<Media>,
    pub categories: Vec<Category>,
    /// `xml:lang`, `dc:language` or JSON Feed `language` of the entry.
    pub language: Option<String>,
}

/// A parsed feed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Feed {
    pub format: FeedFormat,
    pub title: Option<Text>,
    /// The site's home page (the feed's alternate link).
    pub link: Option<String>,
    pub links: Vec<Link>,
    /// RSS `description`, Atom `subtitle`/`tagline`, JSON Feed `description`.
    pub subtitle: Option<Text>,
    pub language: Option<String>,
    pub updated: Option<DateTime<Utc>>,
    pub published: Option<DateTime<Utc>>,
    /// The update date as the feed wrote it (trimmed), parsed or not.
    pub updated_raw: Option<String>,
    /// The publication date as the feed wrote it (trimmed), parsed or not.
    pub published_raw: Option<String>,
    pub id: Option<String>,
    pub authors: Vec<Person>,
    pub categories: Vec<Category>,
    /// The character encoding the bytes were decoded with, as a lower-case
    /// label (`utf-8`, `iso-8859-1`, `windows-1252`, `utf-16le`).
    pub encoding: String,
    pub entries: Vec<Entry>,
    /// Well-formedness problems that were recovered from (feedparser's
    /// "bozo"): an empty list means the document was clean.
    pub problems: Vec<String>,
}

impl Feed {
    fn new(format: FeedFormat, encoding: String) -> Feed {
        Feed {
            format,
            title: None,
            link: None,
            links: Vec::new(),
            subtitle: None,
            language: None,
            updated: None,
            published: None,
            updated_raw: None,
            published_raw: None,
            id: None,
            authors: Vec::new(),
            categories: Vec::new(),
            encoding,
            entries: Vec::new(),
            problems: Vec::new(),
        }
    }
}

/// Why a document could not be read as a feed. `input` is the `source` given
/// to [`parse_feed`].
#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    #[error("{input}: empty document: expected an rss, atom or json feed")]
    Empty { input: String },
    #[error("{input}: not a feed: expected <rss>, <feed>, <rdf:RDF> or a JSON Feed object, found {found}")]
    NotAFeed { input: String, found: String },
    #[error("{input}: not well-formed xml: {reason}")]
    Malformed { input: String, reason: String },
    #[error("{input}: truncated feed: {reason}; expected the document to close its elements")]
    Truncated { input: String, reason: String },
    #[error("{input}: elements nested more than {max} deep: expected a feed of ordinary depth")]
    TooDeep { input: String, max: usize },
    #[error("{input}: refused entity expansion: {reason}")]
    EntityExpansion { input: String, reason: String },
    #[error("{input}: invalid json feed: {reason}")]
    Json { input: String, reason: String },
}

/// Parses a feed from its raw bytes. `source` names the input in errors; when
/// it is an `http(s)` URL it is also the base for relative links.
pub fn parse_feed(bytes: &[u8], source: &str) -> Result<Feed, FeedError> {
    let decoded = newsdesk_normalize::charset::decode_feed(bytes);
    let text = decoded
        .text
        .trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    if text.is_empty() {
        return Err(FeedError::Empty {
            input: source.to_string(),
        });
    }
    let doc_base =
        (source.starts_with("http://") || source.starts_with("https://")).then_some(source);
    let mut feed = if text.starts_with('{') || text.starts_with('[') {
        json::parse(text, source, decoded.label)?
    } else {
        xml::parse(text, source, doc_base, decoded.label)?
    };
    let mut problems = decoded.problems;
    problems.append(&mut feed.problems);
    problems.dedup();
    feed.problems = problems;
    Ok(feed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rss_basics() {
        let xml = br#"<?xml version="1.0"?>
<rss version="2.0"><channel><title>T &amp; co</title><link>http://e.test/</link>
<item><title>One</title><link>/a</link><guid isPermaLink="false">1</guid>
<pubDate>Thu, 01 Jan 2004 19:48:21 GMT</pubDate>
<description>&lt;p onclick="x"&gt;Hi&lt;/p&gt;</description>
<enclosure url="http://e.test/a.mp3" length="12" type="audio/mpeg"/></item></channel></rss>"#;
        let f = parse_feed(xml, "t.xml").unwrap();
        assert_eq!(f.format, FeedFormat::Rss20);
        assert_eq!(f.title.as_ref().unwrap().value, "T & co");
        assert_eq!(f.entries.len(), 1);
        let e = &f.entries[0];
        assert_eq!(e.link.as_deref(), Some("http://e.test/a"));
        assert_eq!(e.id.as_deref(), Some("1"));
        assert_eq!(e.summary.as_ref().unwrap().value, "<p>Hi</p>");
        assert_eq!(e.enclosures[0].length, Some(12));
        assert_eq!(
            e.published.unwrap().to_rfc3339(),
            "2004-01-01T19:48:21+00:00"
        );
        assert!(f.problems.is_empty(), "{:?}", f.problems);
    }

    #[test]
    fn html_page_is_not_a_feed() {
        let err = parse_feed(
            b"<!DOCTYPE html><html><head><title>x</title></head><body><p>hi<br></body></html>",
            "page.html",
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "page.html: not a feed: expected <rss>, <feed>, <rdf:RDF> or a JSON Feed object, found <html>"
        );
    }
}
