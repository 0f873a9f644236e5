//! What a page says about itself: title, author, lead image, canonical and
//! AMP links, language, and (through [`crate::dates`]) the publication date.
//! Sources in order of trust: JSON-LD and Open Graph / article meta tags,
//! then other meta conventions (Dublin Core, Parse.ly, Sailthru), then the
//! markup (`rel=author`, `<h1>`, `<title>`, the first large image in the
//! article).

use chrono::{DateTime, Utc};
use newsdesk_normalize::{canonical_url, resolve_url};
use serde_json::Value;

use crate::dom::{Dom, NodeId, Tag, NONE};
use crate::text::inline_text;

#[derive(Default)]
pub struct Meta {
    pub title: Option<String>,
    pub published: Option<crate::dates::Published>,
    pub author: Option<String>,
    pub image: Option<String>,
    pub canonical: Option<String>,
    pub amp: Option<String>,
    pub language: Option<String>,
}

/// What JSON-LD article objects say.
#[derive(Default)]
struct LinkedData {
    headline: Option<String>,
    authors: Vec<String>,
    image: Option<String>,
}

/// Meta tags as (lower-case key, content), in document order.
pub fn meta_tags(dom: &Dom) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (id, tag) in dom.elements() {
        if tag != Tag::Meta {
            continue;
        }
        let Some(content) = dom.attr(id, "content") else {
            continue;
        };
        if content.is_empty() {
            continue;
        }
        for key in ["property", "name", "itemprop", "http-equiv"] {
            if let Some(k) = dom.attr_raw(id, key) {
                // `property="og:title article:tag"`: RDFa allows several.
                for k in k.split_ascii_whitespace() {
                    out.push((k.to_ascii_lowercase(), content.clone()));
                }
            }
        }
    }
    out
}

fn first<'m>(metas: &'m [(String, String)], keys: &[&str]) -> Option<&'m str> {
    keys.iter().find_map(|k| {
        metas
            .iter()
            .find(|(mk, _)| mk == k)
            .map(|(_, v)| v.as_str())
    })
}

/// Resolves a link against the page URL; without one, only absolute links.
fn absolute(base: Option<&str>, href: &str) -> Option<String> {
    let href = href.trim();
    if href.is_empty() || href.starts_with("data:") {
        return None;
    }
    match base {
        Some(b) => resolve_url(b, href),
        None => {
            let h = if let Some(rest) = href.strip_prefix("//") {
                format!("https://{rest}")
            } else {
                href.to_string()
            };
            canonical_url(&h).ok()
        }
    }
}

pub fn metadata(
    dom: &Dom,
    url: Option<&str>,
    main: NodeId,
    fetched: Option<DateTime<Utc>>,
) -> Meta {
    let metas = meta_tags(dom);
    let ld = linked_data(dom);
    let mut links_canonical = None;
    let mut links_amp = None;
    let mut link_image = None;
    let mut html_lang = None;
    let mut title_tag = None;
    let mut first_h1 = None;
    let mut rel_author = None;
    let mut itemprop_author = None;
    for (id, tag) in dom.elements() {
        match tag {
            Tag::Link | Tag::A => {
                let Some(rel) = dom.attr_raw(id, "rel") else {
                    continue;
                };
                let rel = rel.to_ascii_lowercase();
                let words: Vec<&str> = rel.split_ascii_whitespace().collect();
                if tag == Tag::Link {
                    if words.contains(&"canonical") && links_canonical.is_none() {
                        links_canonical = dom.attr(id, "href");
                    } else if words.contains(&"amphtml") && links_amp.is_none() {
                        links_amp = dom.attr(id, "href");
                    } else if words.contains(&"image_src") && link_image.is_none() {
                        link_image = dom.attr(id, "href");
                    }
                } else if words.contains(&"author") && rel_author.is_none() {
                    let t = inline_text(dom, id);
                    if !t.is_empty() && t.len() < 100 {
                        rel_author = Some(t);
                    }
                }
            }
            Tag::Html => {
                if html_lang.is_none() {
                    html_lang = dom.attr(id, "lang").or_else(|| dom.attr(id, "xml:lang"));
                }
            }
            Tag::Title => {
                if title_tag.is_none() {
                    let t = crate::entities::decode(dom.raw_text(id)).trim().to_string();
                    if !t.is_empty() {
                        title_tag = Some(t);
                    }
                }
            }
            Tag::H1 => {
                if first_h1.is_none() {
                    let t = inline_text(dom, id);
                    if !t.is_empty() {
                        first_h1 = Some(t);
                    }
                }
            }
            _ => {
                if itemprop_author.is_none()
                    && dom
                        .attr_raw(id, "itemprop")
                        .is_some_and(|v| v.eq_ignore_ascii_case("author"))
                    && tag != Tag::Meta
                {
                    // `<span itemprop=author><span itemprop=name>X</span></span>`.
                    let t = inline_text(dom, id);
                    if !t.is_empty() && t.len() < 100 {
                        itemprop_author = Some(t);
                    }
                }
            }
        }
    }

    let base = url.map(str::to_string).or_else(|| {
        links_canonical
            .as_deref()
            .and_then(|c| canonical_url(c).ok())
    });
    let base = base.as_deref();

    let title = first(&metas, &["og:title", "twitter:title"])
        .map(str::to_string)
        .or(ld.headline.clone())
        .or(first_h1)
        .or(title_tag)
        .map(|t| collapse(&t))
        .filter(|t| !t.is_empty());

    let author = if !ld.authors.is_empty() {
        Some(ld.authors.join(", "))
    } else {
        first(
            &metas,
            &[
                "author",
                "article:author",
                "parsely-author",
                "sailthru.author",
                "dc.creator",
                "dcterms.creator",
                "byl",
                "twitter:creator",
            ],
        )
        .filter(|a| !a.starts_with("http"))
        .map(str::to_string)
        .or(itemprop_author)
        .or(rel_author)
    }
    .map(|a| clean_author(&a))
    .filter(|a| !a.is_empty());

    let image = first(
        &metas,
        &[
            "og:image",
            "og:image:url",
            "og:image:secure_url",
            "twitter:image",
            "twitter:image:src",
        ],
    )
    .map(str::to_string)
    .or(ld.image.clone())
    .or(link_image)
    .and_then(|i| absolute(base, &i))
    .or_else(|| article_image(dom, main, base));

    let canonical = links_canonical.and_then(|c| absolute(url, &c));
    let amp = links_amp.and_then(|c| absolute(url, &c));
    let language = html_lang
        .or_else(|| {
            first(&metas, &["content-language", "language", "dc.language"]).map(str::to_string)
        })
        .or_else(|| first(&metas, &["og:locale"]).map(str::to_string))
        .and_then(|l| clean_language(&l));
    // Without the fetched URL, the page's own address (canonical link,
    // `og:url`) may still carry its date.
    let own_url = url
        .map(str::to_string)
        .or_else(|| canonical.clone())
        .or_else(|| first(&metas, &["og:url"]).and_then(|u| canonical_url(u).ok()));
    let published = crate::dates::publication_date(
        dom,
        &metas,
        own_url.as_deref(),
        main,
        fetched,
        language.as_deref(),
    );

    Meta {
        title,
        published,
        author,
        image,
        canonical,
        amp,
        language,
    }
}

fn collapse(s: &str) -> String {
    let mut out = String::new();
    crate::text::push_collapsed(&mut out, s);
    out.trim().to_string()
}

fn clean_author(a: &str) -> String {
    // "Jane Doe | November 18, 2019": the name only.
    let a = collapse(a.split(" | ").next().unwrap_or(a));
    let lower = a.to_ascii_lowercase();
    let a = if lower.starts_with("by ") {
        a[3..].trim().to_string()
    } else {
        a
    };
    a.trim_start_matches('@').to_string()
}

/// `en_US`, `EN-us` → `en-US`; the first of a list; junk refused.
fn clean_language(l: &str) -> Option<String> {
    let l = l.split([',', ';']).next()?.trim().replace('_', "-");
    if l.is_empty() || l.len() > 35 || !l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
        return None;
    }
    let mut parts = l.split('-');
    let primary = parts.next()?.to_ascii_lowercase();
    if !(2..=3).contains(&primary.len()) {
        return None;
    }
    let mut out = primary;
    for p in parts {
        out.push('-');
        if p.len() == 2 {
            out.push_str(&p.to_ascii_uppercase());
        } else {
            out.push_str(p);
        }
    }
    Some(out)
}

/// The first image in the article that is not an icon: a declared width of
/// 300 pixels or more, or no declared size.
fn article_image(dom: &Dom, main: NodeId, base: Option<&str>) -> Option<String> {
    if main == NONE {
        return None;
    }
    for (id, tag) in dom.elements() {
        if !(tag == Tag::Img || dom.name(id).eq_ignore_ascii_case("amp-img"))
            || !dom.contains(main, id)
        {
            continue;
        }
        let size = |k: &str| {
            dom.attr(id, k)
                .and_then(|v| v.trim_end_matches("px").parse::<u32>().ok())
        };
        match (size("width"), size("height")) {
            (Some(w), _) if w < 300 => continue,
            (_, Some(h)) if h < 150 => continue,
            _ => {}
        }
        let src = ["data-src", "data-original", "data-lazy-src", "src"]
            .iter()
            .find_map(|k| {
                dom.attr(id, k)
                    .filter(|s| !s.is_empty() && !s.starts_with("data:"))
            });
        let Some(src) = src else { continue };
        let lower = src.to_ascii_lowercase();
        if ["logo", "icon", "pixel", "spacer", "blank.", "avatar"]
            .iter()
            .any(|w| lower.contains(w))
        {
            continue;
        }
        if let Some(u) = absolute(base, &src) {
            return Some(u);
        }
    }
    None
}

fn linked_data(dom: &Dom) -> LinkedData {
    let mut ld = LinkedData::default();
    for (id, tag) in dom.elements() {
        if tag != Tag::Script {
            continue;
        }
        if !dom
            .attr_raw(id, "type")
            .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"))
        {
            continue;
        }
        let raw = dom.raw_text(id).trim();
        let raw = raw
            .trim_start_matches("<!--")
            .trim_start_matches("//<![CDATA[")
            .trim_end_matches("-->")
            .trim_end_matches("//]]>");
        let Ok(value) = serde_json::from_str::<Value>(raw) else {
            continue;
        };
        visit(&value, &mut ld, 0);
    }
    ld
}

fn is_article_type(v: &Value) -> bool {
    let is = |s: &str| {
        s.ends_with("Article")
            || matches!(
                s,
                "BlogPosting" | "Report" | "LiveBlogPosting" | "SocialMediaPosting"
            )
    };
    match v.get("@type") {
        Some(Value::String(s)) => is(s),
        Some(Value::Array(a)) => a.iter().any(|t| t.as_str().is_some_and(is)),
        _ => false,
    }
}

fn visit(v: &Value, ld: &mut LinkedData, depth: usize) {
    if depth > 8 {
        return;
    }
    match v {
        Value::Array(items) => {
            for item in items {
                visit(item, ld, depth + 1);
            }
        }
        Value::Object(map) => {
            if is_article_type(v) {
                if ld.headline.is_none() {
                    ld.headline = map
                        .get("headline")
                        .or_else(|| map.get("name"))
                        .and_then(Value::as_str)
                        .map(|s| crate::entities::decode(s).trim().to_string());
                }
                if ld.authors.is_empty() {
                    if let Some(a) = map.get("author").or_else(|| map.get("creator")) {
                        names(a, &mut ld.authors, 0);
                    }
                }
                if ld.image.is_none() {
                    ld.image = map
                        .get("image")
                        .or_else(|| map.get("thumbnailUrl"))
                        .and_then(image_url);
                }
            }
            if let Some(g) = map.get("@graph") {
                visit(g, ld, depth + 1);
            }
            if let Some(m) = map.get("mainEntity") {
                visit(m, ld, depth + 1);
            }
        }
        _ => {}
    }
}

fn names(v: &Value, out: &mut Vec<String>, depth: usize) {
    if depth > 4 || out.len() >= 8 {
        return;
    }
    match v {
        Value::String(s) => {
            let s = collapse(s);
            if !s.is_empty() && !s.starts_with("http") && !out.contains(&s) {
                out.push(s);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| names(x, out, depth + 1)),
        Value::Object(m) => {
            if let Some(n) = m.get("name") {
                names(n, out, depth + 1);
            }
        }
        _ => {}
    }
}

fn image_url(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Array(a) => a.iter().find_map(image_url),
        Value::Object(m) => m
            .get("url")
            .or_else(|| m.get("contentUrl"))
            .or_else(|| m.get("@id"))
            .and_then(image_url),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages() {
        assert_eq!(clean_language("en_us").as_deref(), Some("en-US"));
        assert_eq!(clean_language("de, en").as_deref(), Some("de"));
        assert_eq!(clean_language("english"), None);
    }
}
