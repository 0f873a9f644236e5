//! From what a reader found to a normalized [`Article`]: canonical URLs, AMP
//! cache URLs, providers, repaired text, UTC dates. The normalize crate holds
//! the rules; this module applies them to each kind of input.

use newsdesk_model::{Article, Image, Origin, Provider};
use newsdesk_normalize as norm;

use crate::error::IngestError;
use crate::input::{Parsed, Subscription};
use crate::{feed, opml, reuters};

/// Excerpts the desk makes itself are cut near this many characters, about
/// what the seed site shows.
pub const EXCERPT_CHARS: usize = 280;

/// Fills what can be derived and is missing: the canonical URL from the
/// original, the AMP cache URL from the AMP URL, the provider from the URL.
fn derive_links(a: &mut Article, site_title: Option<&str>) {
    if a.web_url.is_none() {
        a.web_url = a
            .original_url
            .as_deref()
            .and_then(|u| norm::canonical_url(u).ok());
    }
    if a.cdn_amp_web_url.is_none() {
        a.cdn_amp_web_url = a
            .amp_web_url
            .as_deref()
            .and_then(|u| norm::cdn_amp_url(u).ok());
    }
    if a.provider.is_none() {
        let link = a.web_url.as_deref().or(a.original_url.as_deref());
        a.provider = link.and_then(|u| norm::provider_for(u, site_title));
    }
}

/// A record read from a document: the site already normalized it, so only
/// gaps are filled and broken text (mojibake) repaired; URLs stay as written.
pub fn from_document(mut a: Article, locator: &str) -> Article {
    a.origin = Origin {
        source: locator.to_string(),
        format: "document".into(),
        guid: None,
    };
    repair_text(&mut a);
    derive_links(&mut a, None);
    for r in &mut a.related {
        r.origin = Origin {
            source: locator.to_string(),
            format: "related".into(),
            guid: None,
        };
        repair_text(r);
        derive_links(r, None);
    }
    a
}

fn repair_text(a: &mut Article) {
    let title = norm::fix_mojibake(&a.title);
    if title != a.title {
        a.title = title.into_owned();
    }
    if let Some(e) = &a.excerpt {
        let fixed = norm::fix_mojibake(e);
        if fixed != *e {
            a.excerpt = Some(fixed.into_owned());
        }
    }
}

/// A raw article text: an optional first line `date YYYY-MM-DD`, then the text
/// (seed 002's form). The text may start on the date line itself.
pub fn from_text(bytes: &[u8], locator: &str) -> Result<Parsed, IngestError> {
    let decoded = norm::charset::decode_plain_text(bytes);
    let err = |message: String| IngestError::Text {
        input: locator.to_string(),
        message,
    };
    let trimmed = decoded.trim_start();
    let (published_at, rest) = match trimmed
        .strip_prefix("date ")
        .or_else(|| trimmed.strip_prefix("date:"))
    {
        Some(after) => {
            let after = after.trim_start();
            let end = after
                .find(|c: char| c.is_whitespace())
                .unwrap_or(after.len());
            let value = &after[..end];
            let dt = norm::parse_date(value).map_err(|e| {
                err(format!(
                    "line 1: the date line's value `{value}` is not a date: {e}"
                ))
            })?;
            (Some(dt), &after[end..])
        }
        None => (None, trimmed),
    };
    let body = norm::clean_whitespace(&norm::fix_mojibake(rest));
    if body.split_whitespace().next().is_none() {
        return Err(err(
            "no text: expected an article's text (after an optional `date YYYY-MM-DD` line)".into(),
        ));
    }
    let title = norm::title_from_text(&body);
    let guid = format!(
        "urn:newsdesk:text:{:016x}",
        xxhash_rust::xxh3::xxh3_64(body.as_bytes())
    );
    let article = Article {
        category: Some("news".into()),
        title,
        excerpt: Some(norm::excerpt(&body, EXCERPT_CHARS)),
        published_at,
        kind: Some("article".into()),
        body: Some(body),
        origin: Origin {
            source: locator.to_string(),
            format: "text".into(),
            guid: Some(guid),
        },
        ..Article::default()
    };
    let mut parsed = Parsed::new(locator, "text");
    parsed.articles.push(article);
    Ok(parsed)
}

/// Reuters-21578 SGML: one article per story; stories that cannot be read are
/// listed as skipped and the rest are kept.
pub fn from_reuters(bytes: &[u8], locator: &str) -> Result<Parsed, IngestError> {
    let batch = reuters::parse_sgml(bytes, locator).map_err(|e| IngestError::Reuters {
        input: locator.to_string(),
        message: without_locator(&e, locator),
    })?;
    let mut parsed = Parsed::new(locator, "reuters");
    parsed.source_title = Some("Reuters-21578".into());
    for p in batch.problems {
        parsed.skipped.push(format!(
            "line {}: story {}: {}",
            p.line,
            p.new_id
                .map(|n| n.to_string())
                .unwrap_or_else(|| "?".into()),
            p.reason
        ));
    }
    parsed.articles.reserve(batch.stories.len());
    for s in batch.stories {
        let body = s.body.filter(|b| !b.trim().is_empty());
        let title = match s.title.as_deref().map(norm::normalize_text_field) {
            Some(t) if !t.is_empty() => t,
            _ => match &body {
                Some(b) => norm::title_from_text(b),
                None => {
                    parsed
                        .skipped
                        .push(format!("story {}: no title and no text", s.new_id));
                    continue;
                }
            },
        };
        parsed.articles.push(Article {
            category: Some("news".into()),
            title,
            excerpt: body.as_deref().map(|b| norm::excerpt(b, EXCERPT_CHARS)),
            published_at: s.date,
            kind: Some("article".into()),
            provider: Some(Provider {
                name: "Reuters".into(),
                domain: "reuters.com".into(),
                images: Vec::new(),
            }),
            body,
            author: s.author,
            language: Some("en".into()),
            origin: Origin {
                source: locator.to_string(),
                format: "reuters".into(),
                guid: Some(format!("urn:reuters-21578:{}", s.new_id)),
            },
            ..Article::default()
        });
    }
    Ok(parsed)
}

/// A reader's error message without the input's name in front, which
/// [`IngestError`] adds itself.
fn without_locator(e: &dyn std::fmt::Display, locator: &str) -> String {
    let m = e.to_string();
    match m.strip_prefix(locator).and_then(|r| r.strip_prefix(": ")) {
        Some(rest) => rest.to_string(),
        None => m,
    }
}

/// A feed: one article per entry.
pub fn from_feed(bytes: &[u8], locator: &str) -> Result<Parsed, IngestError> {
    let feed = feed::parse_feed(bytes, locator).map_err(|e| IngestError::Feed {
        input: locator.to_string(),
        message: without_locator(&e, locator),
    })?;
    let mut parsed = Parsed::new(locator, feed.format.family());
    parsed.warnings = feed.problems.clone();
    let site_title = feed.title.as_ref().map(plain).filter(|t| !t.is_empty());
    parsed.source_title = site_title.clone();
    let cx = FeedContext {
        language: &feed.language,
        site_title: &site_title,
        format: feed.format.family(),
        locator,
    };
    for (i, e) in feed.entries.iter().enumerate() {
        match entry_article(e, &cx) {
            Some(a) => parsed.articles.push(a),
            None => parsed
                .skipped
                .push(format!("entry {}: no title, text or link", i + 1)),
        }
    }
    Ok(parsed)
}

struct FeedContext<'a> {
    language: &'a Option<String>,
    site_title: &'a Option<String>,
    format: &'static str,
    locator: &'a str,
}

/// A feed text as plain, repaired, single-spaced text.
fn plain(t: &feed::Text) -> String {
    match t.kind {
        feed::TextKind::Html => norm::normalize_text_field(&norm::html_to_text(&t.value)),
        feed::TextKind::Text => norm::normalize_text_field(&t.value),
    }
}

fn entry_article(e: &feed::Entry, cx: &FeedContext<'_>) -> Option<Article> {
    let body_source = e.content.as_ref().or(e.summary.as_ref());
    let body = body_source.map(|t| match t.kind {
        feed::TextKind::Html => {
            norm::clean_whitespace(&norm::fix_mojibake(&norm::html_to_text(&t.value)))
        }
        feed::TextKind::Text => norm::clean_whitespace(&norm::fix_mojibake(&t.value)),
    });
    let body = body.filter(|b| !b.is_empty());
    let summary = e.summary.as_ref().map(plain).filter(|s| !s.is_empty());
    let title = match e.title.as_ref().map(plain).filter(|t| !t.is_empty()) {
        Some(t) => t,
        None => match body.as_deref().or(summary.as_deref()) {
            Some(b) => norm::title_from_text(b),
            None => e.link.clone()?,
        },
    };
    let excerpt = summary
        .as_deref()
        .or(body.as_deref())
        .map(|t| norm::excerpt(t, EXCERPT_CHARS));
    let image = e
        .media
        .iter()
        .find(|m| {
            m.medium.as_deref() == Some("image")
                || m.media_type
                    .as_deref()
                    .is_some_and(|t| t.starts_with("image/"))
                || (m.kind == feed::MediaKind::Thumbnail)
        })
        .map(|m| Image {
            url: m.url.clone(),
            width: m.width,
            height: m.height,
            ..Image::default()
        })
        .or_else(|| {
            e.enclosures
                .iter()
                .find(|x| {
                    x.media_type
                        .as_deref()
                        .is_some_and(|t| t.starts_with("image/"))
                })
                .map(|x| Image {
                    url: x.url.clone(),
                    ..Image::default()
                })
        });
    let author = e
        .authors
        .iter()
        .find_map(|p| p.name.clone().or_else(|| p.email.clone()));
    let mut a = Article {
        category: Some("news".into()),
        title,
        excerpt,
        published_at: e.published.or(e.updated),
        original_url: e.link.clone(),
        kind: Some("article".into()),
        images: image.into_iter().collect(),
        content_html: body_source.map(|t| t.to_html()).filter(|h| !h.is_empty()),
        body,
        author,
        language: e.language.clone().or_else(|| cx.language.clone()),
        origin: Origin {
            source: cx.locator.to_string(),
            format: cx.format.to_string(),
            guid: e.id.clone().filter(|g| !g.trim().is_empty()),
        },
        ..Article::default()
    };
    derive_links(&mut a, cx.site_title.as_deref());
    Some(a)
}

/// An OPML list: its subscriptions, to be registered as sources.
pub fn from_opml(bytes: &[u8], locator: &str) -> Result<Parsed, IngestError> {
    let subs = opml::parse_opml(bytes, locator).map_err(|e| IngestError::Opml {
        input: locator.to_string(),
        message: without_locator(&e, locator),
    })?;
    let mut parsed = Parsed::new(locator, "opml");
    for s in subs {
        let url = match norm::canonical_url(&s.xml_url) {
            Ok(u) => u,
            Err(e) => {
                parsed
                    .skipped
                    .push(format!("subscription {:?}: {e}", s.xml_url));
                continue;
            }
        };
        parsed.subscriptions.push(Subscription {
            url,
            title: Some(s.title).filter(|t| !t.trim().is_empty() && *t != s.xml_url),
        });
    }
    Ok(parsed)
}
