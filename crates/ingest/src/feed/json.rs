//! JSON Feed 1.0 / 1.1 (<https://www.jsonfeed.org/version/1.1/>).

use newsdesk_normalize::sanitize::sanitize_html;
use serde_json::Value;

use super::{
    urls, Category, Enclosure, Entry, Feed, FeedError, FeedFormat, Link, Media, MediaKind, Person,
    Text, TextKind,
};

fn string(v: &Value, key: &str) -> Option<String> {
    match v.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        // Ids are often numbers even though the spec says string.
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn authors(v: &Value) -> Vec<Person> {
    let mut out = Vec::new();
    let mut push = |a: &Value| {
        let p = Person {
            name: string(a, "name"),
            email: None,
            uri: string(a, "url"),
        };
        if p.name.is_some() || p.uri.is_some() {
            out.push(p);
        }
    };
    if let Some(Value::Array(list)) = v.get("authors") {
        list.iter().for_each(&mut push);
    } else if let Some(a @ Value::Object(_)) = v.get("author") {
        push(a);
    }
    out
}

pub(crate) fn parse(text: &str, source: &str, encoding: String) -> Result<Feed, FeedError> {
    let root: Value = serde_json::from_str(text).map_err(|e| FeedError::Json {
        input: source.to_string(),
        reason: e.to_string(),
    })?;
    let version = root.get("version").and_then(Value::as_str).unwrap_or("");
    let format = if version.contains("jsonfeed.org/version/1.1") {
        FeedFormat::JsonFeed11
    } else if version.contains("jsonfeed.org/version/1") {
        FeedFormat::JsonFeed10
    } else {
        let found = match &root {
            Value::Object(_) => "a JSON object without a jsonfeed.org version".to_string(),
            Value::Array(_) => "a JSON array".to_string(),
            _ => "a JSON value".to_string(),
        };
        return Err(FeedError::NotAFeed {
            input: source.to_string(),
            found,
        });
    };
    let mut feed = Feed::new(format, encoding);
    feed.title = string(&root, "title").map(|value| Text {
        value,
        kind: TextKind::Text,
    });
    feed.link = string(&root, "home_page_url");
    let base = feed.link.clone();
    if let Some(l) = &feed.link {
        feed.links.push(Link {
            href: l.clone(),
            rel: "alternate".to_string(),
            media_type: Some("text/html".to_string()),
            ..Link::default()
        });
    }
    if let Some(l) = string(&root, "feed_url") {
        feed.links.push(Link {
            href: l,
            rel: "self".to_string(),
            media_type: Some("application/feed+json".to_string()),
            ..Link::default()
        });
    }
    feed.subtitle = string(&root, "description").map(|value| Text {
        value,
        kind: TextKind::Text,
    });
    feed.language = string(&root, "language");
    feed.authors = authors(&root);
    let items = match root.get("items") {
        Some(Value::Array(items)) => items.as_slice(),
        Some(_) => {
            return Err(FeedError::Json {
                input: source.to_string(),
                reason: "\"items\" is not an array".to_string(),
            })
        }
        None => {
            feed.problems
                .push("json feed without \"items\"".to_string());
            &[]
        }
    };
    for item in items {
        if !item.is_object() {
            feed.problems
                .push("json feed item that is not an object".to_string());
            continue;
        }
        feed.entries.push(entry(item, base.as_deref()));
    }
    Ok(feed)
}

fn entry(item: &Value, base: Option<&str>) -> Entry {
    let mut e = Entry {
        id: string(item, "id"),
        title: string(item, "title").map(|value| Text {
            value,
            kind: TextKind::Text,
        }),
        link: string(item, "url").map(|u| urls::resolve(base, &u)),
        published: string(item, "date_published")
            .and_then(|d| newsdesk_normalize::parse_date(&d).ok()),
        updated: string(item, "date_modified")
            .and_then(|d| newsdesk_normalize::parse_date(&d).ok()),
        authors: authors(item),
        summary: string(item, "summary").map(|value| Text {
            value,
            kind: TextKind::Text,
        }),
        language: string(item, "language"),
        ..Entry::default()
    };
    let html_base = e.link.as_deref().or(base);
    e.content = match (string(item, "content_html"), string(item, "content_text")) {
        (Some(h), _) => Some(Text {
            value: sanitize_html(&h, html_base),
            kind: TextKind::Html,
        }),
        (None, Some(t)) => Some(Text {
            value: t,
            kind: TextKind::Text,
        }),
        (None, None) => None,
    };
    if let Some(l) = &e.link {
        e.links.push(Link {
            href: l.clone(),
            rel: "alternate".to_string(),
            media_type: Some("text/html".to_string()),
            ..Link::default()
        });
    }
    if let Some(l) = string(item, "external_url") {
        e.links.push(Link {
            href: urls::resolve(base, &l),
            rel: "related".to_string(),
            ..Link::default()
        });
    }
    for key in ["image", "banner_image"] {
        if let Some(u) = string(item, key) {
            e.media.push(Media {
                kind: MediaKind::Content,
                url: urls::resolve(base, &u),
                media_type: None,
                medium: Some("image".to_string()),
                width: None,
                height: None,
            });
        }
    }
    if let Some(Value::Array(tags)) = item.get("tags") {
        e.categories = tags
            .iter()
            .filter_map(Value::as_str)
            .filter(|t| !t.trim().is_empty())
            .map(|t| Category {
                term: t.trim().to_string(),
                ..Category::default()
            })
            .collect();
    }
    if let Some(Value::Array(atts)) = item.get("attachments") {
        for a in atts {
            if let Some(u) = string(a, "url") {
                e.enclosures.push(Enclosure {
                    url: urls::resolve(base, &u),
                    media_type: string(a, "mime_type"),
                    length: a.get("size_in_bytes").and_then(Value::as_u64),
                });
            }
        }
    }
    e
}
