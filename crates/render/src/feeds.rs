//! Feeds out: RSS 2.0, Atom 1.0 and JSON Feed 1.1 of a list of articles, and
//! the validators a server needs for conditional GET.
//!
//! The three writers take the same input: a [`FeedMeta`] (what the feed is)
//! and [`FeedItem`]s (one per article, built from a [`StoredArticle`] by
//! [`Site::item`]). They are pure: the same input gives the same bytes, so the
//! [`etag`] of the bytes is a strong validator.
//!
//! - An item's id (RSS `guid`, Atom `id`, JSON Feed `id`) is stable: the
//!   article's canonical URL (`webUrl`, else the URL it was found at), else a
//!   `tag:` URI minted from the site's host, the day the desk first saw the
//!   article and its id ([`Site::item_id`]).
//! - Dates are UTC at second precision: RFC 2822 in RSS, RFC 3339 in Atom and
//!   JSON Feed. An article without a publication date has none in the feed
//!   (Atom and JSON Feed still carry its modification time).
//! - Text is written as text: titles and summaries are never read as HTML.
//!   RSS `description` is HTML by convention, so the plain-text summary is
//!   HTML-escaped there. Characters XML 1.0 cannot carry (control characters,
//!   U+FFFE, U+FFFF) are dropped from the XML formats.
//! - The full text goes out only when asked for ([`ItemText::Full`]): a public
//!   feed carries the excerpt.
//!
//! URLs follow the server's layout: `/topics/{slug}/feed.rss|atom|json`, the
//! slug from [`newsdesk_topics::slug_of`].

use std::borrow::Cow;
use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, SecondsFormat, Timelike, Utc};
use newsdesk_store::{ArticleId, StoredArticle};
use serde::Serialize;

/// A feed that could not be written.
#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    /// The site base URL is not an absolute `http(s)://host[/path]` URL.
    #[error("the site base URL {url:?} is not usable: {reason}")]
    BaseUrl { url: String, reason: &'static str },
    /// The topic's name has no word to make a URL slug from.
    #[error("the topic {0:?} has no word to make a URL slug from")]
    Topic(String),
    #[error("cannot write the RSS feed: {0}")]
    Rss(#[from] rss::Error),
    #[error("cannot write the Atom feed: {0}")]
    Atom(#[from] atom_syndication::Error),
    #[error("cannot write the JSON feed: {0}")]
    Json(#[from] serde_json::Error),
}

/// The three feed formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FeedFormat {
    Rss,
    Atom,
    Json,
}

impl FeedFormat {
    pub const ALL: [FeedFormat; 3] = [FeedFormat::Rss, FeedFormat::Atom, FeedFormat::Json];

    /// The file extension in the feed's URL (`feed.rss`, `feed.atom`, `feed.json`).
    pub fn extension(self) -> &'static str {
        match self {
            FeedFormat::Rss => "rss",
            FeedFormat::Atom => "atom",
            FeedFormat::Json => "json",
        }
    }

    /// The format for a URL's file extension.
    pub fn from_extension(ext: &str) -> Option<FeedFormat> {
        FeedFormat::ALL
            .into_iter()
            .find(|f| f.extension().eq_ignore_ascii_case(ext))
    }

    /// The `Content-Type` to serve it with.
    pub fn content_type(self) -> &'static str {
        match self {
            FeedFormat::Rss => "application/rss+xml; charset=utf-8",
            FeedFormat::Atom => "application/atom+xml; charset=utf-8",
            FeedFormat::Json => "application/feed+json; charset=utf-8",
        }
    }

    /// The media type alone (for `atom:link type=...` and the like).
    pub fn media_type(self) -> &'static str {
        match self {
            FeedFormat::Rss => "application/rss+xml",
            FeedFormat::Atom => "application/atom+xml",
            FeedFormat::Json => "application/feed+json",
        }
    }
}

/// What a feed is about, as the channel / feed header says it.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedMeta {
    pub title: String,
    /// The URL this feed is served at (RSS `atom:link rel="self"`, Atom
    /// `link rel="self"` and `id`, JSON Feed `feed_url`).
    pub feed_url: String,
    /// The HTML page the feed belongs to (RSS `link`, Atom alternate link,
    /// JSON Feed `home_page_url`).
    pub site_url: String,
    pub description: String,
    /// When the feed's content last changed (see [`last_modified`]).
    pub updated: DateTime<Utc>,
    /// BCP 47 language tag (`en`, `en-US`).
    pub language: Option<String>,
}

/// An article's lead image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedImage {
    pub url: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
}

/// One article as the feeds show it.
#[derive(Debug, Clone, PartialEq)]
pub struct FeedItem {
    /// Stable id (see [`Site::item_id`]).
    pub id: String,
    /// The article's page.
    pub url: Option<String>,
    pub title: String,
    /// Plain-text summary (the excerpt).
    pub summary: Option<String>,
    /// The full text as sanitized HTML, when given out.
    pub content_html: Option<String>,
    /// The full text as plain text, when given out and there is no HTML.
    pub content_text: Option<String>,
    pub published: Option<DateTime<Utc>>,
    /// When the desk last changed the article.
    pub modified: DateTime<Utc>,
    pub image: Option<FeedImage>,
    /// Topic names.
    pub tags: Vec<String>,
    /// The byline, else the provider's name.
    pub author: Option<String>,
    pub language: Option<String>,
}

/// How much of an article's text an item carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemText {
    /// Title and excerpt only: what anyone may read.
    Excerpt,
    /// The excerpt plus the full text (HTML when the input had it, else the
    /// plain body); only for clients allowed to read it.
    Full,
}

/// The site the feeds belong to: its base URL (`https://news.example.com`,
/// or with a path prefix) and the host that `tag:` ids are minted under.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Site {
    base: String,
    host: String,
}

impl Site {
    /// Checks and keeps the base URL (a trailing `/` is dropped).
    pub fn new(base_url: &str) -> Result<Site, FeedError> {
        let bad = |reason| FeedError::BaseUrl {
            url: base_url.to_string(),
            reason,
        };
        let base = base_url.trim().trim_end_matches('/');
        let rest = base
            .strip_prefix("https://")
            .or_else(|| base.strip_prefix("http://"))
            .ok_or_else(|| bad("it must start with http:// or https://"))?;
        if rest.contains(['?', '#']) || rest.chars().any(|c| c.is_whitespace()) {
            return Err(bad("it must not hold a query, a fragment or spaces"));
        }
        let authority = rest.split('/').next().unwrap_or_default();
        let host_port = authority.rsplit('@').next().unwrap_or_default();
        let host = match host_port.rsplit_once(':') {
            Some((h, port)) if port.chars().all(|c| c.is_ascii_digit()) => h,
            _ => host_port,
        };
        if host.is_empty() {
            return Err(bad("it has no host"));
        }
        if !host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
        {
            return Err(bad(
                "its host must be a DNS name (letters, digits, '-', '.')",
            ));
        }
        Ok(Site {
            base: base.to_string(),
            host: host.to_ascii_lowercase(),
        })
    }

    /// The base URL without a trailing `/`.
    pub fn base_url(&self) -> &str {
        &self.base
    }

    /// The host `tag:` ids are minted under.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// `/topics/{slug}`.
    pub fn topic_path(topic: &str) -> Result<String, FeedError> {
        let slug = newsdesk_topics::slug_of(topic);
        if slug.is_empty() {
            return Err(FeedError::Topic(topic.to_string()));
        }
        Ok(format!("/topics/{slug}"))
    }

    /// `/topics/{slug}/feed.{rss|atom|json}`: the path the server mounts.
    pub fn topic_feed_path(topic: &str, format: FeedFormat) -> Result<String, FeedError> {
        Ok(format!(
            "{}/feed.{}",
            Site::topic_path(topic)?,
            format.extension()
        ))
    }

    /// The topic's page: `{base}/topics/{slug}`.
    pub fn topic_url(&self, topic: &str) -> Result<String, FeedError> {
        Ok(format!("{}{}", self.base, Site::topic_path(topic)?))
    }

    /// The topic's feed: `{base}/topics/{slug}/feed.{ext}`.
    pub fn topic_feed_url(&self, topic: &str, format: FeedFormat) -> Result<String, FeedError> {
        Ok(format!(
            "{}{}",
            self.base,
            Site::topic_feed_path(topic, format)?
        ))
    }

    /// The header of a topic's feed: titled with the topic, pointing at the
    /// topic's page and at itself.
    pub fn topic_feed_meta(
        &self,
        topic: &str,
        format: FeedFormat,
        description: &str,
        updated: DateTime<Utc>,
        language: Option<&str>,
    ) -> Result<FeedMeta, FeedError> {
        Ok(FeedMeta {
            title: topic.to_string(),
            feed_url: self.topic_feed_url(topic, format)?,
            site_url: self.topic_url(topic)?,
            description: description.to_string(),
            updated,
            language: language.map(str::to_string),
        })
    }

    /// An article's stable id: its canonical URL (`webUrl`), else the URL it
    /// was found at, else [`Site::tag_uri`].
    pub fn item_id(&self, s: &StoredArticle) -> String {
        article_url(s)
            .map(str::to_string)
            .unwrap_or_else(|| self.tag_uri(s.id, s.first_seen))
    }

    /// `tag:{host},{YYYY-MM-DD}:article:{id}` (RFC 4151), dated by the day
    /// the desk first saw the article, which never changes.
    pub fn tag_uri(&self, id: ArticleId, first_seen: DateTime<Utc>) -> String {
        format!(
            "tag:{},{}:article:{id}",
            self.host,
            first_seen.format("%Y-%m-%d")
        )
    }

    /// The article as a feed item.
    pub fn item(&self, s: &StoredArticle, text: ItemText) -> FeedItem {
        let a = &s.article;
        let non_empty = |v: &Option<String>| v.as_deref().and_then(non_empty).map(str::to_string);
        let (content_html, content_text) = match text {
            ItemText::Excerpt => (None, None),
            ItemText::Full => match non_empty(&a.content_html) {
                Some(html) => (Some(html), None),
                None => (None, non_empty(&a.body)),
            },
        };
        let author = non_empty(&a.author).or_else(|| {
            a.provider
                .as_ref()
                .map(|p| p.name.trim())
                .filter(|n| !n.is_empty())
                .map(str::to_string)
        });
        FeedItem {
            id: self.item_id(s),
            url: article_url(s).map(str::to_string),
            title: a.title.clone(),
            summary: non_empty(&a.excerpt),
            content_html,
            content_text,
            published: a.published_at,
            modified: s.updated_at,
            image: a
                .images
                .iter()
                .find(|i| !i.url.trim().is_empty())
                .map(|i| FeedImage {
                    url: i.url.clone(),
                    width: i.width,
                    height: i.height,
                }),
            tags: a.topics.clone(),
            author,
            language: non_empty(&a.language),
        }
    }
}

fn article_url(s: &StoredArticle) -> Option<&str> {
    let a = &s.article;
    [&a.web_url, &a.original_url]
        .into_iter()
        .filter_map(|u| u.as_deref())
        .map(str::trim)
        .find(|u| !u.is_empty())
}

/// The latest modification among the items (for [`FeedMeta::updated`] and a
/// `Last-Modified` header); `None` for an empty feed.
pub fn last_modified(items: &[FeedItem]) -> Option<DateTime<Utc>> {
    items.iter().map(|i| i.modified).max()
}

/// Writes the feed in `format`.
pub fn render(
    format: FeedFormat,
    meta: &FeedMeta,
    items: &[FeedItem],
) -> Result<Vec<u8>, FeedError> {
    match format {
        FeedFormat::Rss => rss(meta, items),
        FeedFormat::Atom => atom(meta, items),
        FeedFormat::Json => json_feed(meta, items),
    }
}

const GENERATOR: &str = "newsdesk";
const NS_ATOM: &str = "http://www.w3.org/2005/Atom";
const NS_MEDIA: &str = "http://search.yahoo.com/mrss/";

/// RSS 2.0: `atom:link rel="self"`, per item `guid` (`isPermaLink="false"`
/// for `tag:` ids), `pubDate`, a `category` per topic, `dc:creator`,
/// `media:content` for the lead image, the summary as HTML-escaped
/// `description` and the full text (if any) as `content:encoded`.
pub fn rss(meta: &FeedMeta, items: &[FeedItem]) -> Result<Vec<u8>, FeedError> {
    use rss::extension::dublincore::DublinCoreExtension;
    use rss::extension::Extension;

    let mut channel = rss::Channel {
        title: xml_text(&meta.title),
        link: xml_text(&meta.site_url),
        description: xml_text(&meta.description),
        language: meta.language.as_deref().map(xml_text),
        last_build_date: Some(seconds(meta.updated).to_rfc2822()),
        generator: Some(GENERATOR.to_string()),
        ..rss::Channel::default()
    };
    channel.namespaces.insert("atom".into(), NS_ATOM.into());
    let self_link = Extension {
        name: "atom:link".into(),
        attrs: BTreeMap::from([
            ("href".into(), xml_text(&meta.feed_url)),
            ("rel".into(), "self".into()),
            ("type".into(), FeedFormat::Rss.media_type().into()),
        ]),
        ..Extension::default()
    };
    channel
        .extensions
        .entry("atom".into())
        .or_default()
        .insert("link".into(), vec![self_link]);

    for it in items {
        let mut item = rss::Item {
            title: non_empty(&it.title).map(xml_text),
            link: it.url.as_deref().map(xml_text),
            description: it.summary.as_deref().map(|s| html_escape(&xml_text(s))),
            categories: it
                .tags
                .iter()
                .map(|t| rss::Category {
                    name: xml_text(t),
                    domain: None,
                })
                .collect(),
            guid: Some(rss::Guid {
                value: xml_text(&it.id),
                permalink: it.url.as_deref() == Some(it.id.as_str()),
            }),
            pub_date: it.published.map(|d| seconds(d).to_rfc2822()),
            content: full_text_html(it).map(|h| xml_text(&h)),
            ..rss::Item::default()
        };
        if let Some(author) = &it.author {
            item.dublin_core_ext = Some(DublinCoreExtension {
                creators: vec![xml_text(author)],
                ..DublinCoreExtension::default()
            });
        }
        if let Some(img) = &it.image {
            channel.namespaces.insert("media".into(), NS_MEDIA.into());
            let media = Extension {
                name: "media:content".into(),
                attrs: media_attrs(img),
                ..Extension::default()
            };
            item.extensions
                .entry("media".into())
                .or_default()
                .insert("content".into(), vec![media]);
        }
        channel.items.push(item);
    }
    let mut out = channel.pretty_write_to(Vec::new(), b' ', 2)?;
    out.push(b'\n');
    Ok(out)
}

/// Atom 1.0 (RFC 4287): feed `id` is the feed's URL; per entry `id`,
/// `updated` (the article's modification), `published`, the alternate
/// link, `author`, a `category` per topic, `summary` (text) and `content`
/// (the full text when given out; else, for an entry without a link, its
/// summary or title, as RFC 4287 wants content where there is no alternate
/// link). The feed's `author` is the feed itself, so every entry has one.
pub fn atom(meta: &FeedMeta, items: &[FeedItem]) -> Result<Vec<u8>, FeedError> {
    use atom_syndication::extension::Extension;
    use atom_syndication::{
        Category, Content, Entry, Feed, Generator, Link, Person, Text, WriteConfig,
    };

    let text = |s: &str| Text::plain(xml_text(s));
    let person = |name: &str| Person {
        name: xml_text(name),
        ..Person::default()
    };
    let mut feed = Feed {
        title: text(&meta.title),
        id: xml_text(&meta.feed_url),
        updated: fixed(meta.updated),
        authors: vec![person(&meta.title)],
        generator: Some(Generator {
            value: GENERATOR.into(),
            ..Generator::default()
        }),
        links: vec![
            Link {
                href: xml_text(&meta.feed_url),
                rel: "self".into(),
                mime_type: Some(FeedFormat::Atom.media_type().into()),
                ..Link::default()
            },
            Link {
                href: xml_text(&meta.site_url),
                rel: "alternate".into(),
                mime_type: Some("text/html".into()),
                ..Link::default()
            },
        ],
        subtitle: non_empty(&meta.description).map(text),
        lang: meta.language.as_deref().map(xml_text),
        ..Feed::default()
    };
    for it in items {
        // RFC 4287 wants content in an entry without an alternate link.
        let text_content = match (&it.content_text, &it.url) {
            (Some(t), _) => Some(t.as_str()),
            (None, None) => Some(it.summary.as_deref().unwrap_or(it.title.as_str())),
            (None, Some(_)) => None,
        };
        let content = match (&it.content_html, text_content) {
            (Some(html), _) => Some((html.as_str(), "html")),
            (None, Some(t)) => Some((t, "text")),
            (None, None) => None,
        }
        .map(|(value, kind)| Content {
            value: Some(xml_text(value)),
            content_type: Some(kind.into()),
            ..Content::default()
        });
        let mut entry = Entry {
            title: text(&it.title),
            id: xml_text(&it.id),
            updated: fixed(it.modified),
            published: it.published.map(fixed),
            authors: it.author.iter().map(|a| person(a)).collect(),
            categories: it
                .tags
                .iter()
                .map(|t| Category {
                    term: xml_text(t),
                    ..Category::default()
                })
                .collect(),
            links: it
                .url
                .iter()
                .map(|u| Link {
                    href: xml_text(u),
                    rel: "alternate".into(),
                    mime_type: Some("text/html".into()),
                    ..Link::default()
                })
                .collect(),
            summary: it.summary.as_deref().map(text),
            content,
            ..Entry::default()
        };
        if let Some(img) = &it.image {
            feed.namespaces.insert("media".into(), NS_MEDIA.into());
            entry.extensions.entry("media".into()).or_default().insert(
                "content".into(),
                vec![Extension {
                    name: "media:content".into(),
                    // atom_syndication 0.12 writes extension attribute
                    // values verbatim: escape them here.
                    attrs: media_attrs(img)
                        .into_iter()
                        .map(|(k, v)| (k, xml_attr_escape(&v)))
                        .collect(),
                    ..Extension::default()
                }],
            );
        }
        feed.entries.push(entry);
    }
    let config = WriteConfig {
        write_document_declaration: true,
        indent_size: Some(2),
    };
    let mut out = feed.write_with_config(Vec::new(), config)?;
    out.push(b'\n');
    Ok(out)
}

const JSON_FEED_VERSION: &str = "https://jsonfeed.org/version/1.1";

#[derive(Serialize)]
struct JsonFeed<'a> {
    version: &'static str,
    title: &'a str,
    home_page_url: &'a str,
    feed_url: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    description: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'a str>,
    items: Vec<JsonItem<'a>>,
}

#[derive(Serialize)]
struct JsonItem<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "str::is_empty")]
    title: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_html: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_text: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_published: Option<String>,
    date_modified: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    authors: Vec<JsonAuthor<'a>>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    tags: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonAuthor<'a> {
    name: &'a str,
}

/// JSON Feed 1.1: per item `id`, `url`, `title`, `summary`, `content_html`
/// or `content_text` (one is required: without the full text it is the
/// summary, else the title), `image`, `date_published`, `date_modified`,
/// `authors`, `tags`, `language`.
pub fn json_feed(meta: &FeedMeta, items: &[FeedItem]) -> Result<Vec<u8>, FeedError> {
    let feed = JsonFeed {
        version: JSON_FEED_VERSION,
        title: &meta.title,
        home_page_url: &meta.site_url,
        feed_url: &meta.feed_url,
        description: &meta.description,
        language: meta.language.as_deref(),
        items: items
            .iter()
            .map(|it| {
                let content_text = match (&it.content_html, &it.content_text) {
                    (Some(_), _) => None,
                    (None, Some(t)) => Some(t.as_str()),
                    (None, None) => Some(it.summary.as_deref().unwrap_or(it.title.as_str())),
                };
                JsonItem {
                    id: &it.id,
                    url: it.url.as_deref(),
                    title: &it.title,
                    summary: it.summary.as_deref(),
                    content_html: it.content_html.as_deref(),
                    content_text,
                    image: it.image.as_ref().map(|i| i.url.as_str()),
                    date_published: it.published.map(rfc3339),
                    date_modified: rfc3339(it.modified),
                    authors: it.author.iter().map(|a| JsonAuthor { name: a }).collect(),
                    tags: &it.tags,
                    language: it.language.as_deref(),
                }
            })
            .collect(),
    };
    let mut out = serde_json::to_vec_pretty(&feed)?;
    out.push(b'\n');
    Ok(out)
}

/// A strong entity tag for a feed's bytes: `"` + the 128-bit xxh3 of the
/// bytes in hex + `"`. Equal bytes, equal tag.
pub fn etag(bytes: &[u8]) -> String {
    format!("\"{:032x}\"", xxhash_rust::xxh3::xxh3_128(bytes))
}

/// What to answer a GET or HEAD that may carry `If-None-Match`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conditional {
    /// 304 Not Modified: send the `ETag` header and no body.
    NotModified,
    /// 200 OK with the body and its `ETag`.
    Send,
}

impl Conditional {
    /// The HTTP status code.
    pub fn status(self) -> u16 {
        match self {
            Conditional::NotModified => 304,
            Conditional::Send => 200,
        }
    }
}

/// Answers `If-None-Match` (RFC 9110, 13.1.2) for a resource whose current
/// tag is `etag` (as [`etag`] made it): `*` or any listed tag that matches
/// by weak comparison (`W/"x"` matches `"x"`) gives
/// [`Conditional::NotModified`]; no header, or a malformed one, gives
/// [`Conditional::Send`].
pub fn conditional(if_none_match: Option<&str>, etag: &str) -> Conditional {
    let Some(header) = if_none_match else {
        return Conditional::Send;
    };
    let ours = etag.trim().trim_start_matches("W/");
    if header.trim() == "*" {
        return Conditional::NotModified;
    }
    match entity_tags(header) {
        Some(tags) if tags.contains(&ours) => Conditional::NotModified,
        _ => Conditional::Send,
    }
}

/// The opaque tags (quotes included, `W/` dropped) of an `If-None-Match`
/// list, or `None` when it is not a well-formed list.
fn entity_tags(header: &str) -> Option<Vec<&str>> {
    let mut tags = Vec::new();
    let mut rest = header;
    loop {
        rest = rest.trim_start_matches([' ', '\t', ',']);
        if rest.is_empty() {
            return Some(tags);
        }
        rest = rest.strip_prefix("W/").unwrap_or(rest);
        if !rest.starts_with('"') {
            return None;
        }
        let close = rest[1..].find('"')? + 1;
        tags.push(&rest[..=close]);
        rest = &rest[close + 1..];
        if !(rest.is_empty() || rest.starts_with([' ', '\t', ','])) {
            return None;
        }
    }
}

fn non_empty(s: &str) -> Option<&str> {
    Some(s).filter(|s| !s.trim().is_empty())
}

fn seconds(d: DateTime<Utc>) -> DateTime<Utc> {
    d.with_nanosecond(0).unwrap_or(d)
}

fn fixed(d: DateTime<Utc>) -> DateTime<FixedOffset> {
    seconds(d).fixed_offset()
}

fn rfc3339(d: DateTime<Utc>) -> String {
    d.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The item's full text as HTML: the HTML itself, or the plain text escaped
/// with a paragraph per blank-line-separated block.
fn full_text_html(it: &FeedItem) -> Option<String> {
    if let Some(h) = &it.content_html {
        return Some(h.clone());
    }
    let text = it.content_text.as_deref()?;
    let mut html = String::new();
    for para in text.split("\n\n").map(str::trim).filter(|p| !p.is_empty()) {
        html.push_str("<p>");
        html.push_str(&html_escape(para));
        html.push_str("</p>");
    }
    Some(html)
}

fn media_attrs(img: &FeedImage) -> BTreeMap<String, String> {
    let mut attrs = BTreeMap::from([
        ("url".to_string(), xml_text(&img.url)),
        ("medium".to_string(), "image".to_string()),
    ]);
    if let Some(w) = img.width {
        attrs.insert("width".into(), w.to_string());
    }
    if let Some(h) = img.height {
        attrs.insert("height".into(), h.to_string());
    }
    attrs
}

/// Escapes text for use as HTML.
fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes text for an XML attribute value (for writers that do not).
fn xml_attr_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c => out.push(c),
        }
    }
    out
}

/// The text without the characters XML 1.0 cannot carry.
fn xml_text(s: &str) -> String {
    match xml_clean(s) {
        Cow::Borrowed(s) => s.to_string(),
        Cow::Owned(s) => s,
    }
}

fn xml_clean(s: &str) -> Cow<'_, str> {
    let allowed = |c: char| {
        matches!(c, '\t' | '\n' | '\r')
            || ('\u{20}'..='\u{D7FF}').contains(&c)
            || ('\u{E000}'..='\u{FFFD}').contains(&c)
            || c >= '\u{10000}'
    };
    if s.chars().all(allowed) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.chars().filter(|&c| allowed(c)).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_checks_the_base_url() {
        let s = Site::new("https://News.Example.com:8443/desk/").unwrap();
        assert_eq!(s.base_url(), "https://News.Example.com:8443/desk");
        assert_eq!(s.host(), "news.example.com");
        assert_eq!(
            s.topic_feed_url("AWS AI", FeedFormat::Atom).unwrap(),
            "https://News.Example.com:8443/desk/topics/aws-ai/feed.atom"
        );
        for bad in [
            "",
            "news.example.com",
            "ftp://x.test",
            "https://",
            "https://x.test/?q=1",
            "https://[::1]/",
        ] {
            assert!(Site::new(bad).is_err(), "{bad:?}");
        }
        assert!(matches!(
            Site::topic_feed_path("!!", FeedFormat::Rss),
            Err(FeedError::Topic(_))
        ));
    }

    #[test]
    fn formats_by_extension() {
        for f in FeedFormat::ALL {
            assert_eq!(FeedFormat::from_extension(f.extension()), Some(f));
        }
        assert_eq!(FeedFormat::from_extension("xml"), None);
    }

    #[test]
    fn if_none_match() {
        let tag = etag(b"feed");
        assert_eq!(tag.len(), 34);
        assert_eq!(tag, etag(b"feed"));
        assert_ne!(tag, etag(b"feed "));
        assert_eq!(conditional(None, &tag), Conditional::Send);
        assert_eq!(conditional(Some(&tag), &tag), Conditional::NotModified);
        assert_eq!(conditional(Some("*"), &tag), Conditional::NotModified);
        let weak = format!("W/{tag}");
        assert_eq!(conditional(Some(&weak), &tag), Conditional::NotModified);
        let list = format!("\"a,b\", W/\"x\" ,{tag}");
        assert_eq!(conditional(Some(&list), &tag), Conditional::NotModified);
        assert_eq!(conditional(Some("\"other\""), &tag), Conditional::Send);
        let unquoted = tag.trim_matches('"').to_string();
        assert_eq!(conditional(Some(&unquoted), &tag), Conditional::Send);
        assert_eq!(conditional(Some("\"open"), &tag), Conditional::Send);
        assert_eq!(conditional(Some(""), &tag), Conditional::Send);
        assert_eq!(conditional(Some("W/"), &tag), Conditional::Send);
        assert_eq!(
            Conditional::NotModified.status(),
            304,
            "and Send is {}",
            Conditional::Send.status()
        );
    }

    #[test]
    fn xml_drops_what_xml_cannot_carry() {
        assert_eq!(xml_text("a\u{0}b\u{1b}c\u{FFFE}d\te🚀"), "abcd\te🚀");
        assert!(matches!(xml_clean("plain"), Cow::Borrowed(_)));
        assert_eq!(
            html_escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
