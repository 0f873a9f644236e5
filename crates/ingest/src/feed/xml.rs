//! RSS, RDF and Atom documents to [`Feed`].
//!
//! One element walker serves all XML formats: after namespace rewriting the
//! core vocabularies share names (`title`, `link`, `author`), and feeds mix
//! them freely (Atom links in RSS, Dublin Core everywhere). What differs is
//! how text constructs are typed, which `family` decides.

// Element arms read "this element fills that field, first value wins"; moving
// the first-wins test into match guards would hide that.
#![allow(clippy::collapsible_match)]

use newsdesk_normalize::sanitize::sanitize_html;

use super::dom::{self, Child, DomError, El};
use super::{
    urls, Category, Enclosure, Entry, Feed, FeedError, FeedFormat, Link, Media, MediaKind, Person,
    Text, TextKind,
};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Family {
    Rss,
    Atom03,
    Atom10,
}

struct Ctx<'a> {
    family: Family,
    /// The feed's own link, the base of last resort for relative URLs.
    fallback_base: Option<&'a str>,
}

pub(crate) fn parse(
    text: &str,
    source: &str,
    doc_base: Option<&str>,
    encoding: String,
) -> Result<Feed, FeedError> {
    let doc = dom::parse(text, doc_base).map_err(|e| dom_error(e, text, source))?;
    let root = doc.root();
    let root_ns = doc.root_ns.as_deref().unwrap_or("");
    let mut feed = match root.name() {
        "rss" | "channel" => {
            let format = match root.attr("version").map(str::trim) {
                Some("2.0" | "2.00" | "2.0.1" | "2") => FeedFormat::Rss20,
                Some("0.91") => FeedFormat::Rss091,
                Some("0.92") => FeedFormat::Rss092,
                Some("0.93") => FeedFormat::Rss093,
                Some("0.94") => FeedFormat::Rss094,
                _ => FeedFormat::Rss,
            };
            read_rss(root, format, encoding)
        }
        "rdf:RDF" => {
            let format = if root_ns.contains("netscape.com") {
                FeedFormat::Rss090
            } else {
                FeedFormat::Rss10
            };
            read_rss(root, format, encoding)
        }
        "feed" => {
            let atom03 = root_ns == "http://purl.org/atom/ns#"
                || root.attr("version").map(str::trim) == Some("0.3");
            read_atom(
                root,
                if atom03 {
                    FeedFormat::Atom03
                } else {
                    FeedFormat::Atom10
                },
                encoding,
            )
        }
        // An Atom Entry Document (RFC 4287 section 4.1.2): one entry, no feed.
        "entry" => {
            let mut feed = Feed::new(FeedFormat::Atom10, encoding);
            let ctx = Ctx {
                family: Family::Atom10,
                fallback_base: None,
            };
            feed.entries.push(read_entry(root, &ctx));
            feed
        }
        _ => {
            return Err(FeedError::NotAFeed {
                input: source.to_string(),
                found: format!("<{}>", root.local()),
            })
        }
    };
    feed.problems = doc.problems;
    Ok(feed)
}

fn dom_error(e: DomError, text: &str, source: &str) -> FeedError {
    let input = source.to_string();
    match e {
        DomError::Empty => FeedError::Empty { input },
        DomError::TooDeep => FeedError::TooDeep {
            input,
            max: dom::MAX_DEPTH,
        },
        DomError::EntityBomb(reason) => FeedError::EntityExpansion { input, reason },
        DomError::Truncated(reason) => FeedError::Truncated { input, reason },
        DomError::NotXml(reason) => match first_element_name(text) {
            Some(name) if !matches!(name.as_str(), "rss" | "feed" | "rdf:RDF" | "RDF") => {
                FeedError::NotAFeed {
                    input,
                    found: format!("<{name}>"),
                }
            }
            Some(_) => FeedError::Malformed { input, reason },
            None => FeedError::NotAFeed {
                input,
                found: describe_non_markup(text),
            },
        },
    }
}

/// The first element name of a document that is not well-formed, to tell an
/// HTML page from a broken feed.
fn first_element_name(text: &str) -> Option<String> {
    let mut rest = text;
    for _ in 0..64 {
        let at = rest.find('<')?;
        rest = &rest[at + 1..];
        if rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
            let end = rest
                .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
                .unwrap_or(rest.len());
            let name = &rest[..end];
            if name.eq_ignore_ascii_case("html") {
                return Some("html".to_string());
            }
            return Some(name.to_string());
        }
    }
    None
}

fn describe_non_markup(text: &str) -> String {
    let sample: Vec<char> = text.chars().take(64).collect();
    let binary = sample
        .iter()
        .filter(|c| (c.is_control() && !c.is_whitespace()) || **c == '\u{fffd}')
        .count();
    if binary * 8 > sample.len() {
        "binary data".to_string()
    } else {
        let s: String = sample.iter().take(24).collect();
        format!("text {s:?}")
    }
}

/// `en_US` is a common misspelling of the language tag `en-US`.
fn language_tag(s: &str) -> Option<String> {
    let s = s.trim();
    if s.is_empty() {
        None
    } else {
        Some(s.replace('_', "-"))
    }
}

fn trimmed(el: El) -> String {
    // Most fields are one text node: trim it in place, copy once.
    if let Some(t) = el.only_text() {
        return t.trim().to_string();
    }
    el.text().trim().to_string()
}

/// The text of the first child named in `names`, as written: the original
/// of a date that `date` parses (feed readers show it when parsing fails).
fn raw_date(el: El, names: &[&str]) -> Option<String> {
    el.elements()
        .find(|c| names.contains(&c.name()))
        .and_then(|c| non_empty(trimmed(c)))
}

fn non_empty(s: String) -> Option<String> {
    if s.is_empty() {
        None
    } else {
        Some(s)
    }
}

fn html(raw: &str, el: El, ctx: &Ctx<'_>) -> Text {
    let base = el.base().or(ctx.fallback_base);
    Text {
        value: sanitize_html(raw.trim(), base),
        kind: TextKind::Html,
    }
}

/// Heuristic for RSS elements whose type is not declared (titles): HTML when
/// it closes a known element or uses an entity.
fn looks_like_html(s: &str) -> bool {
    const TAGS: &[&str] = &[
        "a",
        "abbr",
        "acronym",
        "b",
        "big",
        "blockquote",
        "br",
        "cite",
        "code",
        "dd",
        "del",
        "div",
        "dl",
        "dt",
        "em",
        "font",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "img",
        "ins",
        "kbd",
        "li",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "small",
        "span",
        "strike",
        "strong",
        "sub",
        "sup",
        "table",
        "td",
        "th",
        "tr",
        "tt",
        "u",
        "ul",
        "script",
        "style",
        "iframe",
        "object",
        "embed",
        "form",
    ];
    let mut rest = s;
    while let Some(i) = rest.find("</") {
        rest = &rest[i + 2..];
        let end = rest.find('>').unwrap_or(rest.len());
        let name = rest[..end].trim().to_ascii_lowercase();
        if TAGS.contains(&name.as_str()) {
            return true;
        }
    }
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        rest = &rest[i + 1..];
        if let Some(semi) = rest.find(';') {
            let name = &rest[..semi];
            if !name.is_empty()
                && semi < 12
                && name
                    .trim_start_matches('#')
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric())
            {
                return true;
            }
        }
    }
    false
}

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr",
];

fn serialize_children(el: El, out: &mut String) {
    let prefix = ns_prefix(el);
    for n in el.children() {
        match n {
            Child::Text(t) => escape_into(t, out, false),
            Child::Element(e) => serialize(e, prefix, out),
        }
    }
}

/// The canonical namespace prefix of an element (`svg`, `xhtml`, or empty).
fn ns_prefix<'e>(el: El<'e>) -> &'e str {
    el.name().split_once(':').map_or("", |(p, _)| p)
}

/// Writes an element as HTML. Prefixes go (HTML has none), but where SVG or
/// MathML starts the namespace is declared, and XLink attributes keep their
/// prefix and declaration: HTML parsers read them the same way.
fn serialize(el: El, parent_prefix: &str, out: &mut String) {
    out.push('<');
    out.push_str(el.local());
    let mut xlink = false;
    for (k, v) in el.attrs() {
        out.push(' ');
        if k.starts_with("xlink:") {
            xlink = true;
            out.push_str(k);
        } else {
            out.push_str(k.rsplit(':').next().unwrap_or(k));
        }
        out.push_str("=\"");
        escape_into(v, out, true);
        out.push('"');
    }
    let prefix = ns_prefix(el);
    if prefix != parent_prefix {
        match prefix {
            "svg" => out.push_str(" xmlns=\"http://www.w3.org/2000/svg\""),
            "mathml" => out.push_str(" xmlns=\"http://www.w3.org/1998/Math/MathML\""),
            _ => {}
        }
    }
    if xlink {
        out.push_str(" xmlns:xlink=\"http://www.w3.org/1999/xlink\"");
    }
    if !el.has_children() && VOID.contains(&el.local()) {
        out.push_str(" />");
        return;
    }
    out.push('>');
    serialize_children(el, out);
    out.push_str("</");
    out.push_str(el.local());
    out.push('>');
}

fn escape_into(s: &str, out: &mut String, attr: bool) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attr => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
}

/// The markup inside an element, for XHTML content and RSS elements holding
/// unescaped HTML. Atom's wrapping `<div>` is not part of the content.
fn inner_markup(el: El, strip_div: bool) -> String {
    let mut out = String::new();
    if strip_div {
        let elems: Vec<El> = el.elements().collect();
        let only_ws_text = el.children().all(|n| match n {
            Child::Text(t) => t.trim().is_empty(),
            Child::Element(_) => true,
        });
        if elems.len() == 1 && elems[0].local() == "div" && only_ws_text {
            serialize_children(elems[0], &mut out);
            return out;
        }
    }
    serialize_children(el, &mut out);
    out
}

/// A text construct, typed the way its vocabulary says.
fn construct(el: El, ctx: &Ctx<'_>, rss_html: bool) -> Option<Text> {
    let declared = el.attr("type").map(|t| t.trim().to_ascii_lowercase());
    let atomish = ctx.family != Family::Rss || declared.is_some();
    let text = if atomish {
        let mode = el.attr("mode").map(|m| m.trim().to_ascii_lowercase());
        let ty = declared.as_deref().unwrap_or(match (ctx.family, rss_html) {
            (Family::Rss, true) => "html",
            _ => "text",
        });
        match ty {
            // Atom 1.0 wraps XHTML in a <div> that is not content; Atom 0.3
            // has no such rule.
            "xhtml" | "application/xhtml+xml" => {
                html(&inner_markup(el, ctx.family == Family::Atom10), el, ctx)
            }
            _ if mode.as_deref() == Some("base64")
                || (ctx.family == Family::Atom10 && is_binary_type(ty)) =>
            {
                let decoded = base64_decode(&el.text()).unwrap_or_default();
                let decoded = String::from_utf8_lossy(&decoded);
                if ty.contains("html") {
                    html(&decoded, el, ctx)
                } else {
                    Text {
                        value: decoded.trim().to_string(),
                        kind: TextKind::Text,
                    }
                }
            }
            "html" | "text/html" => {
                if mode.as_deref() == Some("xml") || el.has_element_children() {
                    html(&inner_markup(el, false), el, ctx)
                } else {
                    html(&el.text(), el, ctx)
                }
            }
            _ if el.has_element_children()
                && (mode.as_deref() == Some("xml") || declared.is_none()) =>
            {
                html(&inner_markup(el, false), el, ctx)
            }
            _ => Text {
                value: el.text().trim().to_string(),
                kind: TextKind::Text,
            },
        }
    } else if rss_html {
        if el.has_element_children() {
            html(&inner_markup(el, false), el, ctx)
        } else {
            html(&el.text(), el, ctx)
        }
    } else {
        let raw = el.text();
        if looks_like_html(&raw) {
            html(&raw, el, ctx)
        } else {
            Text {
                value: raw.trim().to_string(),
                kind: TextKind::Text,
            }
        }
    };
    if text.value.is_empty() {
        None
    } else {
        Some(text)
    }
}

/// RFC 4287: content of a non-text, non-XML media type is base64.
fn is_binary_type(ty: &str) -> bool {
    ty.contains('/') && !ty.starts_with("text/") && !ty.ends_with("+xml") && !ty.ends_with("/xml")
}

fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut acc = 0u32;
    let mut bits = 0u32;
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => break,
            c if c.is_ascii_whitespace() => continue,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Some(out)
}

fn resolve_url(el: El, raw: &str, ctx: &Ctx<'_>) -> String {
    urls::resolve(el.base().or(ctx.fallback_base), raw)
}

fn atom_link(el: El, ctx: &Ctx<'_>) -> Option<Link> {
    // Some Atom feeds write the URL as the element's text instead of `href`.
    let text;
    let href = match el.attr("href").or_else(|| el.attr("url")) {
        Some(h) => h.trim(),
        None => {
            text = trimmed(el);
            if text.is_empty() {
                return None;
            }
            &text
        }
    };
    Some(Link {
        href: resolve_url(el, href, ctx),
        rel: el
            .attr("rel")
            .map(|r| r.trim().to_string())
            .filter(|r| !r.is_empty())
            .unwrap_or_else(|| "alternate".to_string()),
        media_type: el.attr("type").map(|t| t.trim().to_string()),
        title: el.attr("title").map(str::to_string),
        length: el.attr("length").and_then(|l| l.trim().parse().ok()),
    })
}

fn person_from_text(s: &str) -> Option<Person> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    // `jo@example.com (Jo Doe)`
    if let Some(open) = s.find('(') {
        if s.ends_with(')') {
            let outside = s[..open].trim();
            let inside = s[open + 1..s.len() - 1].trim();
            if inside.contains('@') && !outside.contains('@') {
                return Some(Person {
                    name: non_empty(outside.to_string()),
                    email: Some(inside.trim_start_matches("mailto:").to_string()),
                    uri: None,
                });
            }
            if outside.contains('@') {
                return Some(Person {
                    name: non_empty(inside.to_string()),
                    email: Some(outside.trim_start_matches("mailto:").to_string()),
                    uri: None,
                });
            }
        }
    }
    // `Jo Doe <jo@example.com>`
    if let (Some(open), true) = (s.find('<'), s.ends_with('>')) {
        let inside = s[open + 1..s.len() - 1].trim();
        if inside.contains('@') {
            return Some(Person {
                name: non_empty(s[..open].trim().to_string()),
                email: Some(inside.trim_start_matches("mailto:").to_string()),
                uri: None,
            });
        }
    }
    if !s.contains(' ') && s.contains('@') {
        return Some(Person {
            name: None,
            email: Some(s.trim_start_matches("mailto:").to_string()),
            uri: None,
        });
    }
    Some(Person {
        name: Some(s.to_string()),
        email: None,
        uri: None,
    })
}

fn person(el: El, ctx: &Ctx<'_>) -> Option<Person> {
    if !el.has_element_children() {
        return person_from_text(&el.text());
    }
    let mut p = Person::default();
    for c in el.elements() {
        let v = non_empty(trimmed(c));
        match c.name() {
            "name" => p.name = v,
            "email" => p.email = v,
            "uri" | "url" | "homepage" => p.uri = v.map(|u| resolve_url(c, &u, ctx)),
            _ => {}
        }
    }
    if p == Person::default() {
        None
    } else {
        Some(p)
    }
}

fn media(el: El, kind: MediaKind, ctx: &Ctx<'_>) -> Option<Media> {
    let url = el.attr("url")?.trim();
    if url.is_empty() {
        return None;
    }
    Some(Media {
        kind,
        url: resolve_url(el, url, ctx),
        media_type: el.attr("type").map(|t| t.trim().to_string()),
        medium: el.attr("medium").map(|t| t.trim().to_string()),
        width: el.attr("width").and_then(|w| w.trim().parse().ok()),
        height: el.attr("height").and_then(|h| h.trim().parse().ok()),
    })
}

fn collect_media(el: El, entry: &mut Entry, ctx: &Ctx<'_>, depth: usize) {
    match el.name() {
        "media:content" => {
            entry.media.extend(media(el, MediaKind::Content, ctx));
            for c in el.elements() {
                if depth < 4 {
                    collect_media(c, entry, ctx, depth + 1);
                }
            }
        }
        "media:thumbnail" => entry.media.extend(media(el, MediaKind::Thumbnail, ctx)),
        "media:group" => {
            for c in el.elements() {
                if depth < 4 {
                    collect_media(c, entry, ctx, depth + 1);
                }
            }
        }
        _ => {}
    }
}

fn category(el: El) -> Option<Category> {
    let term = el
        .attr("term")
        .map(str::to_string)
        .unwrap_or_else(|| el.text())
        .trim()
        .to_string();
    if term.is_empty() {
        return None;
    }
    Some(Category {
        term,
        scheme: el
            .attr("scheme")
            .or_else(|| el.attr("domain"))
            .map(str::to_string),
        label: el.attr("label").map(str::to_string),
    })
}

fn collect_itunes_categories(el: El, out: &mut Vec<Category>) {
    if let Some(t) = el.attr("text").map(str::trim).filter(|t| !t.is_empty()) {
        let c = Category {
            term: t.to_string(),
            scheme: Some("http://www.itunes.com/".to_string()),
            label: None,
        };
        if !out.contains(&c) {
            out.push(c);
        }
    }
    for c in el.elements().filter(|c| c.name() == "itunes:category") {
        collect_itunes_categories(c, out);
    }
}

fn collect_keywords(el: El, out: &mut Vec<Category>) {
    for k in el.text().split(',') {
        let k = k.trim();
        if !k.is_empty() && !out.iter().any(|c| c.term == k) {
            out.push(Category {
                term: k.to_string(),
                scheme: Some("http://www.itunes.com/".to_string()),
                label: None,
            });
        }
    }
}

fn read_entry(item: El, ctx: &Ctx<'_>) -> Entry {
    let mut e = Entry::default();
    let mut guid: Option<(String, bool)> = None;
    let mut text_link: Option<String> = None;
    // Where the text link goes in `links`: links keep document order.
    let mut text_link_at = 0;
    let mut alt_links: Vec<usize> = Vec::new();
    let mut title_from_fallback = false;
    for c in item.elements() {
        match c.name() {
            "title" | "dc:title" | "media:title" => {
                if e.title.is_none() || (c.name() == "title" && title_from_fallback) {
                    e.title = construct(c, ctx, false);
                    title_from_fallback = c.name() == "media:title";
                }
            }
            "itunes:summary" => {
                if e.summary.is_none() {
                    e.summary = construct(c, ctx, false);
                }
            }
            "itunes:category" => collect_itunes_categories(c, &mut e.categories),
            "itunes:keywords" => collect_keywords(c, &mut e.categories),
            "link" => {
                if c.attr("href").is_some() || ctx.family != Family::Rss {
                    if let Some(l) = atom_link(c, ctx) {
                        if l.rel == "enclosure" {
                            e.enclosures.push(Enclosure {
                                url: l.href.clone(),
                                media_type: l.media_type.clone(),
                                length: l.length,
                            });
                        }
                        if l.rel == "alternate" {
                            alt_links.push(e.links.len());
                        }
                        e.links.push(l);
                    }
                } else if text_link.is_none() {
                    let raw = trimmed(c);
                    if !raw.is_empty() {
                        text_link = Some(resolve_url(c, &raw, ctx));
                        text_link_at = e.links.len();
                    }
                }
            }
            "guid" => {
                let v = trimmed(c);
                if !v.is_empty() {
                    let permalink = c
                        .attr("isPermaLink")
                        .is_none_or(|p| !p.trim().eq_ignore_ascii_case("false"));
                    guid = Some((v, permalink));
                }
            }
            "id" => {
                if e.id.is_none() {
                    e.id = non_empty(trimmed(c));
                }
            }
            "description" | "summary" | "dc:description" | "abstract" => {
                if e.summary.is_none() {
                    e.summary = construct(c, ctx, true);
                } else if ctx.family == Family::Rss && e.content.is_none() {
                    // RSS items with both a description and a summary: the
                    // second is the fuller text.
                    e.content = construct(c, ctx, true);
                }
            }
            "media:category" => {
                if let Some(mut cat) = category(c) {
                    cat.scheme.get_or_insert_with(|| {
                        "http://search.yahoo.com/mrss/category_schema".to_string()
                    });
                    e.categories.push(cat);
                }
            }
            "content:encoded" | "xhtml:body" | "body" | "fullitem" | "content" => {
                if e.content.is_none() {
                    e.content = if c.name() == "xhtml:body" || c.name() == "body" {
                        Some(html(&inner_markup(c, false), c, ctx)).filter(|t| !t.value.is_empty())
                    } else {
                        construct(c, ctx, true)
                    };
                }
            }
            "pubDate" | "published" | "issued" | "dcterms:issued" | "dcterms:created"
            | "created" => {
                if e.published.is_none() {
                    e.published = newsdesk_normalize::parse_date(&c.text()).ok();
                }
            }
            "updated" | "modified" | "dc:date" | "dcterms:modified" => {
                if e.updated.is_none() {
                    e.updated = newsdesk_normalize::parse_date(&c.text()).ok();
                }
            }
            "author" | "dc:creator" | "dc:author" | "itunes:author" => {
                let p = person(c, ctx);
                if let Some(p) = p {
                    if !e.authors.contains(&p) {
                        e.authors.push(p);
                    }
                }
            }
            "enclosure" => {
                if let Some(url) = c.attr("url").map(str::trim).filter(|u| !u.is_empty()) {
                    e.enclosures.push(Enclosure {
                        url: resolve_url(c, url, ctx),
                        media_type: c.attr("type").map(|t| t.trim().to_string()),
                        length: c.attr("length").and_then(|l| l.trim().parse().ok()),
                    });
                    e.links.push(Link {
                        href: resolve_url(c, url, ctx),
                        rel: "enclosure".to_string(),
                        media_type: c.attr("type").map(|t| t.trim().to_string()),
                        title: None,
                        length: c.attr("length").and_then(|l| l.trim().parse().ok()),
                    });
                }
            }
            "media:content" | "media:thumbnail" | "media:group" => collect_media(c, &mut e, ctx, 0),
            "category" | "dc:subject" => e.categories.extend(category(c)),
            "dc:language" | "language" => {
                if e.language.is_none() {
                    e.language = non_empty(trimmed(c));
                }
            }
            _ => {}
        }
    }
    // When there is no content but the summary is long HTML, feed readers
    // still show the summary: keep them separate and let callers choose.
    let atom_alt = alt_links
        .iter()
        .map(|&i| &e.links[i])
        .find(|l| l.media_type.as_deref().is_none_or(|t| t.contains("html")))
        .or_else(|| alt_links.first().map(|&i| &e.links[i]))
        .map(|l| l.href.clone());
    if let Some(l) = &text_link {
        e.links.insert(
            text_link_at,
            Link {
                href: l.clone(),
                rel: "alternate".to_string(),
                media_type: Some("text/html".to_string()),
                title: None,
                length: None,
            },
        );
    }
    e.link = text_link.or(atom_alt);
    if let Some((g, permalink)) = guid {
        if e.link.is_none() && permalink && newsdesk_normalize::has_scheme(&g) {
            e.link = Some(g.clone());
        }
        if e.id.is_none() {
            e.id = Some(g);
        }
    }
    if e.id.is_none() {
        e.id = item
            .attr("rdf:about")
            .map(|a| a.trim().to_string())
            .filter(|a| !a.is_empty());
    }
    if e.language.is_none() {
        e.language = item
            .attr("xml:lang")
            .map(|l| l.trim().to_string())
            .filter(|l| !l.is_empty());
    }
    e.published_raw = raw_date(item, ENTRY_PUBLISHED);
    e.updated_raw = raw_date(item, ENTRY_UPDATED);
    e
}

/// The elements `read_entry` takes an entry's dates from.
const ENTRY_PUBLISHED: &[&str] = &[
    "pubDate",
    "published",
    "issued",
    "dcterms:issued",
    "dcterms:created",
    "created",
];
const ENTRY_UPDATED: &[&str] = &["updated", "modified", "dc:date", "dcterms:modified"];

fn read_rss(root: El, format: FeedFormat, encoding: String) -> Feed {
    let mut feed = Feed::new(format, encoding);
    let channel = if root.name() == "channel" {
        root
    } else {
        root.child("channel").unwrap_or(root)
    };
    let ctx0 = Ctx {
        family: Family::Rss,
        fallback_base: None,
    };
    for c in channel.elements() {
        match c.name() {
            "link" => {
                if c.attr("href").is_some() {
                    feed.links.extend(atom_link(c, &ctx0));
                } else if feed.link.is_none() {
                    feed.link = non_empty(trimmed(c)).map(|l| resolve_url(c, &l, &ctx0));
                }
            }
            "language" | "dc:language" => {
                if feed.language.is_none() {
                    feed.language = non_empty(trimmed(c));
                }
            }
            _ => {}
        }
    }
    if let Some(l) = &feed.link {
        feed.links.insert(
            0,
            Link {
                href: l.clone(),
                rel: "alternate".to_string(),
                media_type: Some("text/html".to_string()),
                title: None,
                length: None,
            },
        );
    } else {
        feed.link = feed
            .links
            .iter()
            .find(|l| l.rel == "alternate")
            .map(|l| l.href.clone());
    }
    let fallback = feed.link.clone().filter(|l| l.starts_with("http"));
    let ctx = Ctx {
        family: Family::Rss,
        fallback_base: fallback.as_deref(),
    };
    for c in channel.elements() {
        match c.name() {
            "title" | "dc:title" => {
                if feed.title.is_none() {
                    feed.title = construct(c, &ctx, false);
                }
            }
            "description" | "dc:description" | "subtitle" | "tagline" => {
                if feed.subtitle.is_none() {
                    feed.subtitle = construct(c, &ctx, true);
                }
            }
            "itunes:subtitle" | "itunes:summary" => {
                if feed.subtitle.is_none() {
                    feed.subtitle = construct(c, &ctx, false);
                }
            }
            "category" | "dc:subject" => feed.categories.extend(category(c)),
            "itunes:category" => collect_itunes_categories(c, &mut feed.categories),
            "itunes:keywords" => collect_keywords(c, &mut feed.categories),
            "lastBuildDate" | "dc:date" | "dcterms:modified" | "updated" => {
                if feed.updated.is_none() {
                    feed.updated = newsdesk_normalize::parse_date(&c.text()).ok();
                }
            }
            "pubDate" | "dcterms:issued" => {
                if feed.published.is_none() {
                    feed.published = newsdesk_normalize::parse_date(&c.text()).ok();
                }
            }
            "managingEditor" | "dc:creator" | "dc:author" | "author" | "itunes:author" => {
                if let Some(p) = person(c, &ctx) {
                    if !feed.authors.contains(&p) {
                        feed.authors.push(p);
                    }
                }
            }
            "id" => feed.id = non_empty(trimmed(c)),
            _ => {}
        }
    }
    if feed.language.is_none() {
        feed.language = channel.lang().or(root.lang()).and_then(language_tag);
    }
    let mut items: Vec<El> = channel.elements().filter(|e| e.name() == "item").collect();
    if !channel.same(root) {
        items.extend(root.elements().filter(|e| e.name() == "item"));
    }
    feed.entries = items.into_iter().map(|i| read_entry(i, &ctx)).collect();
    feed.updated_raw = raw_date(
        channel,
        &["lastBuildDate", "dc:date", "dcterms:modified", "updated"],
    );
    feed.published_raw = raw_date(channel, &["pubDate", "dcterms:issued"]);
    feed
}

fn read_atom(root: El, format: FeedFormat, encoding: String) -> Feed {
    let family = if format == FeedFormat::Atom03 {
        Family::Atom03
    } else {
        Family::Atom10
    };
    let mut feed = Feed::new(format, encoding);
    let ctx0 = Ctx {
        family,
        fallback_base: None,
    };
    for c in root.elements().filter(|c| c.name() == "link") {
        feed.links.extend(atom_link(c, &ctx0));
    }
    feed.link = feed
        .links
        .iter()
        .find(|l| l.rel == "alternate")
        .map(|l| l.href.clone());
    let fallback = feed.link.clone().filter(|l| l.starts_with("http"));
    let ctx = Ctx {
        family,
        fallback_base: fallback.as_deref(),
    };
    for c in root.elements() {
        match c.name() {
            "title" => {
                if feed.title.is_none() {
                    feed.title = construct(c, &ctx, false);
                }
            }
            "subtitle" | "tagline" => {
                if feed.subtitle.is_none() {
                    feed.subtitle = construct(c, &ctx, false);
                }
            }
            "updated" | "modified" => {
                if feed.updated.is_none() {
                    feed.updated = newsdesk_normalize::parse_date(&c.text()).ok();
                }
            }
            "published" | "issued" => {
                if feed.published.is_none() {
                    feed.published = newsdesk_normalize::parse_date(&c.text()).ok();
                }
            }
            "author" => {
                if let Some(p) = person(c, &ctx) {
                    feed.authors.push(p);
                }
            }
            "id" => feed.id = non_empty(trimmed(c)),
            "category" => feed.categories.extend(category(c)),
            "dc:language" => {
                if feed.language.is_none() {
                    feed.language = non_empty(trimmed(c));
                }
            }
            _ => {}
        }
    }
    if feed.language.is_none() {
        feed.language = root.lang().and_then(language_tag);
    }
    feed.entries = root
        .elements()
        .filter(|e| e.name() == "entry")
        .map(|e| read_entry(e, &ctx))
        .collect();
    feed.updated_raw = raw_date(root, &["updated", "modified"]);
    feed.published_raw = raw_date(root, &["published", "issued"]);
    feed
}
