//! The article: what the desk knows about one piece of coverage.
//!
//! Field names follow the seed record format (see `../shared/docs/product.md`);
//! everything the record may omit is an `Option` here, because older records
//! and raw inputs omit it too.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Who published an article: a display name and the registrable domain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Provider {
    pub name: String,
    pub domain: String,
    /// The provider's own logo(s), as the seed site lists them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub images: Vec<Image>,
}

/// An image attached to an article (its lead image) or a provider (its logo).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Image {
    pub url: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
    /// `true` when the desk holds a copy it serves itself.
    #[serde(rename = "isCached")]
    pub is_cached: Option<bool>,
    /// A caption, as older records carry it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
}

/// Where an article came from when it entered the desk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Origin {
    /// The file path or URL the article was read from.
    pub source: String,
    /// The input's kind (`document`, `rss`, `atom`, `json-feed`, `text`, `reuters`, ...).
    pub format: String,
    /// The feed entry's id (RSS `guid`, Atom `id`, JSON Feed `id`, Reuters `NEWID`).
    pub guid: Option<String>,
}

/// One article, normalized: the unit the store keeps and analysis reads.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Article {
    pub category: Option<String>,
    pub title: String,
    pub excerpt: Option<String>,
    #[serde(rename = "publishedDateTime")]
    pub published_at: Option<DateTime<Utc>>,
    /// The URL as found in the input.
    #[serde(rename = "originalUrl")]
    pub original_url: Option<String>,
    /// The canonical URL: the article's identity in the store when present.
    #[serde(rename = "webUrl")]
    pub web_url: Option<String>,
    #[serde(rename = "ampWebUrl")]
    pub amp_web_url: Option<String>,
    #[serde(rename = "cdnAmpWebUrl")]
    pub cdn_amp_web_url: Option<String>,
    /// The record's `type` (`article` in every seed).
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub quality: Option<i64>,
    pub heat: Option<i64>,
    pub published: Option<bool>,
    pub provider: Option<Provider>,
    pub topics: Vec<String>,
    pub images: Vec<Image>,
    /// The article's related coverage as the input listed it. On ingest each
    /// entry becomes an article of its own, linked to this one.
    pub related: Vec<Article>,
    /// The full text under the desk's encryption: `base64(ciphertext);base64(nonce)`.
    pub secured: Option<String>,
    /// Plain-text body (never HTML).
    pub body: Option<String>,
    /// The body as sanitized HTML, when the input carried HTML (feed content).
    #[serde(rename = "contentHtml")]
    pub content_html: Option<String>,
    pub author: Option<String>,
    /// BCP 47 language tag when known (`en`, `en-US`).
    pub language: Option<String>,
    pub origin: Origin,
}

impl Article {
    /// The key the store identifies this article by: the canonical URL, else the
    /// original URL, else the entry's GUID. A GUID that is a URI (`urn:`, `tag:`,
    /// `http:`) is global; any other GUID is only unique within its source.
    pub fn identity_key(&self) -> Option<String> {
        if let Some(u) = self.web_url.as_deref().filter(|u| !u.is_empty()) {
            return Some(format!("url:{u}"));
        }
        if let Some(u) = self.original_url.as_deref().filter(|u| !u.is_empty()) {
            return Some(format!("url:{u}"));
        }
        self.origin
            .guid
            .as_deref()
            .filter(|g| !g.is_empty())
            .map(|g| {
                if is_uri(g) {
                    format!("guid:{g}")
                } else {
                    format!("guid:{}#{g}", self.origin.source)
                }
            })
    }
}

impl Article {
    /// The entry this article gets in another record's `related` list: the
    /// fields the seeds' related layout has (title, excerpt, date, URLs, type,
    /// provider name and domain, quality, images) and nothing else.
    pub fn as_related(&self) -> Article {
        Article {
            title: self.title.clone(),
            excerpt: self.excerpt.clone(),
            published_at: self.published_at,
            web_url: self.web_url.clone(),
            amp_web_url: self.amp_web_url.clone(),
            cdn_amp_web_url: self.cdn_amp_web_url.clone(),
            kind: self.kind.clone(),
            provider: self.provider.as_ref().map(|p| Provider {
                name: p.name.clone(),
                domain: p.domain.clone(),
                images: Vec::new(),
            }),
            quality: self.quality,
            images: self.images.clone(),
            ..Article::default()
        }
    }
}

fn is_uri(s: &str) -> bool {
    match s.split_once(':') {
        Some((scheme, rest)) => {
            !rest.is_empty()
                && scheme.len() >= 2
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_prefers_canonical_url_then_guid() {
        let mut a = Article {
            origin: Origin {
                source: "feeds/a.xml".into(),
                format: "rss".into(),
                guid: Some("1234".into()),
            },
            ..Article::default()
        };
        assert_eq!(a.identity_key().unwrap(), "guid:feeds/a.xml#1234");
        a.origin.guid = Some("urn:reuters-21578:17".into());
        assert_eq!(a.identity_key().unwrap(), "guid:urn:reuters-21578:17");
        a.original_url = Some("http://x.test/a?utm_source=1".into());
        assert_eq!(
            a.identity_key().unwrap(),
            "url:http://x.test/a?utm_source=1"
        );
        a.web_url = Some("http://x.test/a".into());
        assert_eq!(a.identity_key().unwrap(), "url:http://x.test/a");
    }
}
