//! Writing a stream out: RSS feeds plus truth, or JSON lines.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use chrono::SecondsFormat;
use serde::Serialize;

use crate::Generated;

/// Why a stream could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{path}: cannot create the output directory: {source}")]
    CreateDir { path: PathBuf, source: io::Error },
    #[error("{path}: cannot write: {source}")]
    File { path: PathBuf, source: io::Error },
    #[error("cannot write the JSON lines output: {source}")]
    Stream { source: io::Error },
    #[error("article {id:?}: {reason}")]
    Article { id: String, reason: String },
}

/// What [`write_feeds`] wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeedsWritten {
    pub articles: usize,
    pub feeds: usize,
}

#[derive(Serialize)]
struct TruthLine<'a> {
    id: &'a str,
    story: u64,
    #[serde(rename = "duplicateOf")]
    duplicate_of: Option<&'a str>,
    kind: &'static str,
    area: &'a str,
    url: &'a str,
    guid: Option<&'a str>,
    provider: &'a str,
    published: Option<String>,
}

#[derive(Serialize)]
struct JsonLine<'a> {
    id: &'a str,
    title: &'a str,
    body: &'a str,
    excerpt: &'a str,
    url: &'a str,
    provider: &'a str,
    published: Option<String>,
    story: u64,
    #[serde(rename = "duplicateOf")]
    duplicate_of: Option<&'a str>,
    kind: &'static str,
}

struct FeedBuf {
    name: String,
    items: Vec<(i64, usize, String)>,
}

fn rfc3339(g: &Generated) -> Option<String> {
    g.article
        .published_at
        .map(|d| d.to_rfc3339_opts(SecondsFormat::Secs, true))
}

/// A provider's domain, checked to be usable as a file name.
fn domain_of(g: &Generated) -> Result<&str, WriteError> {
    let bad = |reason: &str| WriteError::Article {
        id: g.truth.id.clone(),
        reason: reason.to_string(),
    };
    let p = g
        .article
        .provider
        .as_ref()
        .ok_or_else(|| bad("no provider: expected a provider with a domain"))?;
    let d = p.domain.as_str();
    if d.is_empty()
        || d.starts_with('.')
        || !d
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
    {
        return Err(bad(&format!(
            "provider domain {d:?} is not a plain host name"
        )));
    }
    Ok(d)
}

/// Writes one RSS 2.0 file per provider (`{domain}.xml`, entries in
/// publication order) and `truth.jsonl` (one line per article, in stream
/// order) into `dir`, creating it if needed. A correction appears in its
/// provider's feed as a second entry with the same link and guid, as a feed
/// that re-issues an updated item does.
pub fn write_feeds(
    dir: &Path,
    items: impl IntoIterator<Item = Generated>,
) -> Result<FeedsWritten, WriteError> {
    std::fs::create_dir_all(dir).map_err(|source| WriteError::CreateDir {
        path: dir.to_path_buf(),
        source,
    })?;
    let truth_path = dir.join("truth.jsonl");
    let file_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| WriteError::File { path, source }
    };
    let mut truth = BufWriter::new(File::create(&truth_path).map_err(file_err(&truth_path))?);
    let mut feeds: BTreeMap<String, FeedBuf> = BTreeMap::new();
    let mut articles = 0;
    for g in items {
        let domain = domain_of(&g)?.to_string();
        let a = &g.article;
        let url = link_of(&g);
        let line = TruthLine {
            id: &g.truth.id,
            story: g.truth.story,
            duplicate_of: g.truth.duplicate_of.as_deref(),
            kind: g.truth.kind.as_str(),
            area: g.truth.area,
            url,
            guid: a.origin.guid.as_deref(),
            provider: &domain,
            published: rfc3339(&g),
        };
        serde_json::to_writer(&mut truth, &line)
            .map_err(io::Error::from)
            .and_then(|_| truth.write_all(b"\n"))
            .map_err(file_err(&truth_path))?;
        let feed = feeds.entry(domain).or_insert_with(|| FeedBuf {
            name: a
                .provider
                .as_ref()
                .map(|p| p.name.clone())
                .unwrap_or_default(),
            items: Vec::new(),
        });
        let time = a.published_at.map_or(i64::MIN, |d| d.timestamp());
        feed.items.push((time, articles, rss_item(&g, url)));
        articles += 1;
    }
    truth.flush().map_err(file_err(&truth_path))?;
    let count = feeds.len();
    for (domain, mut feed) in feeds {
        feed.items.sort_by_key(|(t, n, _)| (*t, *n));
        let path = dir.join(format!("{domain}.xml"));
        let mut out = BufWriter::new(File::create(&path).map_err(file_err(&path))?);
        write_channel(&mut out, &domain, &feed)
            .and_then(|_| out.flush())
            .map_err(file_err(&path))?;
    }
    Ok(FeedsWritten {
        articles,
        feeds: count,
    })
}

/// The link [`write_feeds`] gives an article's entry.
fn link_of(g: &Generated) -> &str {
    let a = &g.article;
    a.web_url
        .as_deref()
        .or(a.original_url.as_deref())
        .unwrap_or(&g.truth.id)
}

/// One outlet's RSS document over `items` (oldest first), in the form
/// [`write_feeds`] writes its files.
pub(crate) fn channel<'a>(
    domain: &str,
    name: &str,
    items: impl IntoIterator<Item = &'a Generated>,
) -> String {
    let feed = FeedBuf {
        name: name.to_string(),
        items: items
            .into_iter()
            .enumerate()
            .map(|(n, g)| {
                let time = g.article.published_at.map_or(i64::MIN, |d| d.timestamp());
                (time, n, rss_item(g, link_of(g)))
            })
            .collect(),
    };
    let mut out = Vec::new();
    // Writing into memory cannot fail.
    let _ = write_channel(&mut out, domain, &feed);
    String::from_utf8(out).unwrap_or_default()
}

fn write_channel(out: &mut impl Write, domain: &str, feed: &FeedBuf) -> io::Result<()> {
    out.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")?;
    out.write_all(
        b"<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n<channel>\n",
    )?;
    let mut head = String::new();
    tag(&mut head, "title", &feed.name);
    tag(&mut head, "link", &format!("https://www.{domain}/"));
    tag(
        &mut head,
        "description",
        &format!("Latest news from {}", feed.name),
    );
    tag(&mut head, "language", "en");
    // The newest entry's date, not the clock: output must be reproducible.
    if let Some((t, _, _)) = feed.items.last() {
        if let Some(d) = chrono::DateTime::from_timestamp(*t, 0) {
            tag(&mut head, "lastBuildDate", &rfc2822(d));
        }
    }
    out.write_all(head.as_bytes())?;
    for (_, _, item) in &feed.items {
        out.write_all(item.as_bytes())?;
    }
    out.write_all(b"</channel>\n</rss>\n")
}

fn rss_item(g: &Generated, url: &str) -> String {
    let a = &g.article;
    let mut s = String::with_capacity(a.body.as_ref().map_or(0, |b| b.len() * 5 / 4) + 512);
    s.push_str("<item>\n");
    tag(&mut s, "title", &a.title);
    tag(&mut s, "link", url);
    if let Some(guid) = &a.origin.guid {
        s.push_str(if guid == url {
            "<guid isPermaLink=\"true\">"
        } else {
            "<guid isPermaLink=\"false\">"
        });
        escape(&mut s, guid);
        s.push_str("</guid>\n");
    }
    if let Some(d) = a.published_at {
        tag(&mut s, "pubDate", &rfc2822(d));
    }
    if let Some(author) = &a.author {
        tag(&mut s, "dc:creator", author);
    }
    tag(&mut s, "category", g.truth.area);
    if let Some(e) = &a.excerpt {
        tag(&mut s, "description", e);
    }
    if let Some(body) = &a.body {
        let mut html = String::with_capacity(body.len() + 64);
        for p in body.split("\n\n") {
            html.push_str("<p>");
            escape(&mut html, p);
            html.push_str("</p>");
        }
        tag(&mut s, "content:encoded", &html);
    }
    if let Some(img) = a.images.first() {
        s.push_str("<enclosure url=\"");
        escape(&mut s, &img.url);
        s.push_str("\" type=\"image/jpeg\" length=\"0\"/>\n");
    }
    s.push_str("</item>\n");
    s
}

/// RFC 2822 by hand: chrono's `to_rfc2822` panics on years past 9999.
fn rfc2822(d: chrono::DateTime<chrono::Utc>) -> String {
    d.format("%a, %d %b %Y %H:%M:%S +0000").to_string()
}

fn tag(out: &mut String, name: &str, text: &str) {
    out.push('<');
    out.push_str(name);
    out.push('>');
    escape(out, text);
    out.push_str("</");
    out.push_str(name);
    out.push_str(">\n");
}

/// XML text escaping; characters XML 1.0 forbids are dropped.
fn escape(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
}

/// Writes one JSON object per article (`id, title, body, excerpt, url,
/// provider` (its domain), `published, story, duplicateOf, kind`) for
/// benchmarks. Returns how many were written.
pub fn write_jsonl(
    out: impl Write,
    items: impl IntoIterator<Item = Generated>,
) -> Result<usize, WriteError> {
    let mut out = BufWriter::new(out);
    let mut n = 0;
    for g in items {
        let a = &g.article;
        let line = JsonLine {
            id: &g.truth.id,
            title: &a.title,
            body: a.body.as_deref().unwrap_or(""),
            excerpt: a.excerpt.as_deref().unwrap_or(""),
            url: a
                .web_url
                .as_deref()
                .or(a.original_url.as_deref())
                .unwrap_or(&g.truth.id),
            provider: a.provider.as_ref().map_or("", |p| p.domain.as_str()),
            published: rfc3339(&g),
            story: g.truth.story,
            duplicate_of: g.truth.duplicate_of.as_deref(),
            kind: g.truth.kind.as_str(),
        };
        serde_json::to_writer(&mut out, &line)
            .map_err(io::Error::from)
            .and_then(|_| out.write_all(b"\n"))
            .map_err(|source| WriteError::Stream { source })?;
        n += 1;
    }
    out.flush()
        .map_err(|source| WriteError::Stream { source })?;
    Ok(n)
}
