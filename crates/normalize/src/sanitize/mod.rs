//! HTML sanitizing for feed content.
//!
//! Feed summaries and contents are HTML written by strangers and shown inside
//! the desk, so everything that can run code, load active content or restyle
//! the page goes: scripts, event handlers, `javascript:`/`vbscript:` URLs,
//! non-image `data:` URLs, `<style>`, `<iframe>`, `<object>`, `<embed>`,
//! forms, `<meta>` refresh, CSS expressions and `url()` in styles. Ordinary
//! formatting, links, images, tables and media stay. The allowlists follow the
//! ones feed readers have converged on (the Universal Feed Parser's corpus
//! tests them), minus form controls.
//!
//! Inline SVG drawings and MathML formulas stay too, limited to shapes, text
//! and presentation: no `<script>`, `<style>`, `<foreignObject>`, `<use>`,
//! `<image>` or animation elements, no event handlers, no active or `data:`
//! URLs in `href`/`xlink:href`, no `url(...)` paints. HTML that tries to hide
//! inside foreign content is removed by ammonia's namespace check.
//!
//! The HTML parser is html5ever through `ammonia`, so the output is what a
//! browser would build from the input, serialized again: void elements are
//! written `<br>`, not `<br />`.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashSet;
use std::sync::OnceLock;

use ammonia::{Builder, Url, UrlRelative};

mod allowlist;
mod fast;

use allowlist::{
    ATTRIBUTES, CLEAN_CONTENT_TAGS, CSS_KEYWORDS, CSS_PROPERTIES, CSS_SHORTHAND_FAMILIES, TAGS,
    URL_ATTRIBUTES, URL_SCHEMES,
};

/// A short length, colour or keyword: `0`, `12px`, `1.5em`, `#ccc`, `rgb(0,`.
fn css_word_ok(w: &str) -> bool {
    let lw = w.to_ascii_lowercase();
    if CSS_KEYWORDS.contains(&lw.as_str()) {
        return true;
    }
    if let Some(hex) = lw.strip_prefix('#') {
        return !hex.is_empty() && hex.len() <= 8 && hex.chars().all(|c| c.is_ascii_hexdigit());
    }
    if let Some(rest) = lw.strip_prefix("rgb(") {
        return rest
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '%' | ',' | ')'));
    }
    let digits_end = lw
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(lw.len());
    let (num, unit) = lw.split_at(digits_end);
    let (int, frac) = num.split_once('.').unwrap_or((num, ""));
    int.len() <= 2
        && frac.len() <= 2
        && !frac.contains('.')
        && matches!(
            unit,
            "" | "cm" | "em" | "ex" | "in" | "mm" | "pc" | "pt" | "px" | "%" | "," | ")"
        )
}

thread_local! {
    /// The base URL of the call in progress: ammonia's builder is built once
    /// (building it per call would dominate the cost of small fragments), so
    /// the per-call base reaches the attribute filter through here.
    static BASE: RefCell<Option<Url>> = const { RefCell::new(None) };
}

fn builder() -> &'static Builder<'static> {
    static BUILDER: OnceLock<Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut b = Builder::empty();
        b.tags(TAGS.iter().copied().collect())
            .clean_content_tags(CLEAN_CONTENT_TAGS.iter().copied().collect())
            .generic_attributes(ATTRIBUTES.iter().copied().collect())
            .url_schemes(URL_SCHEMES.iter().copied().collect())
            .url_relative(UrlRelative::PassThrough)
            .link_rel(None)
            .strip_comments(true)
            .attribute_filter(ammonia_filter);
        b
    })
}

fn ammonia_filter<'u>(element: &str, attribute: &str, value: &'u str) -> Option<Cow<'u, str>> {
    BASE.with(|cell| filter_attribute(element, attribute, value, cell.borrow().as_ref()))
}

/// Sanitizes an HTML fragment; relative URLs are resolved against `base_url`
/// when it is an absolute URL.
///
/// Most feed HTML is plain text or simple, well-nested markup (paragraphs,
/// links, images, lists, emphasis). That is cleaned by a small single-pass
/// reader in [`fast`] that gives exactly what html5ever and ammonia would;
/// anything it is not sure about (tables, misnested or unclosed tags a
/// browser would repair, unknown elements, odd tokenizer corners) goes
/// through ammonia.
pub fn sanitize_html(html: &str, base_url: Option<&str>) -> String {
    // Plain text needs no parser: this is most titles and many summaries.
    if !html.contains(['<', '&', '>', '"']) {
        return html.to_string();
    }
    let mut base = fast::Base::new(base_url);
    if let Some(out) = fast::clean(html, &mut base) {
        // Every debug build (so every test run) checks the fast path against
        // the full parser. A difference is counted for the tests to see, and
        // the full parser's answer is used: input never panics the sanitizer.
        #[cfg(debug_assertions)]
        {
            let reference = sanitize_with_ammonia(html, base_url);
            if out != reference {
                FAST_PATH_MISMATCHES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                eprintln!("fast sanitizer differs from ammonia for {html:?}:\n  fast: {out:?}\n  full: {reference:?}");
                return reference;
            }
        }
        return out;
    }
    sanitize_with_ammonia(html, base_url)
}

#[cfg(debug_assertions)]
static FAST_PATH_MISMATCHES: std::sync::atomic::AtomicUsize =
    std::sync::atomic::AtomicUsize::new(0);

/// How many times, in this process, the fast path disagreed with the full
/// parser (debug builds check every call; release builds report 0). Tests
/// assert it stays 0.
#[doc(hidden)]
pub fn fast_path_mismatches() -> usize {
    #[cfg(debug_assertions)]
    {
        FAST_PATH_MISMATCHES.load(std::sync::atomic::Ordering::Relaxed)
    }
    #[cfg(not(debug_assertions))]
    {
        0
    }
}

/// The full path: html5ever builds the tree a browser would, ammonia cleans it.
fn sanitize_with_ammonia(html: &str, base_url: Option<&str>) -> String {
    let base = base_url.and_then(|b| Url::parse(b.trim()).ok());
    BASE.with(|cell| *cell.borrow_mut() = base);
    let out = match table_part_wrapper(html) {
        Some(wrapper) => clean_table_part(html, wrapper),
        None => builder().clean(html).to_string(),
    };
    BASE.with(|cell| *cell.borrow_mut() = None);
    out
}

/// The table a fragment that starts with a table part (`<td>`, `<tr>`,
/// `<thead>`, `<col>`, ...) belongs in, as (opening, closing) markup. Parsed
/// on its own such a fragment loses its tags (outside a table the parser
/// ignores them), so it is parsed inside the table it implies instead.
fn table_part_wrapper(html: &str) -> Option<(&'static str, &'static str)> {
    let rest = html.trim_start().strip_prefix('<')?;
    let name_len = rest
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(rest.len());
    if !rest[name_len..].starts_with(['>', '/', ' ', '\t', '\n', '\r', '\x0c']) {
        return None;
    }
    let name = rest[..name_len].to_ascii_lowercase();
    Some(match name.as_str() {
        "caption" | "colgroup" | "thead" | "tbody" | "tfoot" => ("<table>", "</table>"),
        "col" => ("<table><colgroup>", "</colgroup></table>"),
        "tr" => ("<table><tbody>", "</tbody></table>"),
        "td" | "th" => ("<table><tbody><tr>", "</tr></tbody></table>"),
        _ => return None,
    })
}

/// Cleans `html` inside `wrapper` and takes the wrapper off again. When the
/// fragment does not stay inside the wrapper (it closes the table, or text
/// was moved out of it), the fragment is cleaned as it is.
fn clean_table_part(html: &str, (open, close): (&str, &str)) -> String {
    let wrapped = builder().clean(&format!("{open}{html}{close}")).to_string();
    match wrapped
        .strip_prefix(open)
        .and_then(|w| w.strip_suffix(close))
    {
        Some(inner) if stays_inside(inner) => inner.to_string(),
        _ => builder().clean(html).to_string(),
    }
}

/// Whether serialized HTML closes no element it did not open. In html5ever's
/// output `<` only starts a tag (text escapes it) and attribute values are
/// double-quoted with `"` escaped, so tags can be read off directly.
fn stays_inside(html: &str) -> bool {
    const VOID: &[&str] = &[
        "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "input",
        "keygen", "link", "meta", "param", "source", "track", "wbr",
    ];
    let b = html.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        let closing = b.get(i + 1) == Some(&b'/');
        let start = i + 1 + usize::from(closing);
        let mut j = start;
        while j < b.len() && !matches!(b[j], b' ' | b'>') {
            j += 1;
        }
        let name = &html[start..j];
        // Skip to the end of the tag, over quoted attribute values.
        let mut quoted = false;
        while j < b.len() && (quoted || b[j] != b'>') {
            quoted ^= b[j] == b'"';
            j += 1;
        }
        if closing {
            match depth.checked_sub(1) {
                Some(d) => depth = d,
                None => return false,
            }
        } else if !VOID.contains(&name) {
            depth += 1;
        }
        i = j + 1;
    }
    depth == 0
}

fn allowed_attribute(name: &str) -> bool {
    // The attributes feed HTML nearly always has, all in `ATTRIBUTES`,
    // without hashing.
    if matches!(
        name,
        "href" | "src" | "alt" | "title" | "width" | "height" | "class" | "style"
    ) {
        return true;
    }
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| ATTRIBUTES.iter().copied().collect())
        .contains(name)
}

/// ammonia's own URL check, before the attribute filter: absolute URLs need
/// an allowed scheme, relative ones pass, unparsable ones go.
fn url_allowed(value: &str) -> bool {
    // Without a `:` there is no scheme, and the parser, having no base,
    // answers `RelativeUrlWithoutBase` whatever else the value holds.
    if plain_http_url(value) || !value.contains(':') {
        return true;
    }
    match Url::parse(value) {
        Ok(u) => URL_SCHEMES.contains(&u.scheme()),
        Err(ammonia::url::ParseError::RelativeUrlWithoutBase) => true,
        Err(_) => false,
    }
}

/// Whether `value` is an `http://` or `https://` URL the URL parser is sure
/// to accept: an ASCII host of letters, digits, `-` and non-empty `.`-separated
/// labels (no punycode, no IPv4-looking last label, no port or user info),
/// then nothing or a path, query or fragment, which parse whatever they hold.
fn plain_http_url(value: &str) -> bool {
    let Some(rest) = value
        .strip_prefix("http://")
        .or_else(|| value.strip_prefix("https://"))
    else {
        return false;
    };
    // One pass over the host, label by label.
    let b = rest.as_bytes();
    let mut label_start = 0;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'/' | b'?' | b'#' => break,
            b'.' => {
                if i == label_start {
                    return false;
                }
                label_start = i + 1;
            }
            c if c.is_ascii_alphanumeric() || c == b'-' => {
                if i == label_start + 3 && b[label_start..=i].eq_ignore_ascii_case(b"xn--") {
                    return false;
                }
            }
            _ => return false,
        }
        i += 1;
    }
    // A last label starting with a letter is not a number, so the host is
    // not read as an IPv4 address.
    i > label_start && b[label_start].is_ascii_alphabetic()
}

/// ammonia's list of attributes holding URLs (for HTML elements).
fn is_url_attr(element: &str, attr: &str) -> bool {
    attr == "href"
        || attr == "xlink:href"
        || attr == "src"
        || (element == "form" && attr == "action")
        || (element == "object" && attr == "data")
        || ((element == "button" || element == "input") && attr == "formaction")
        || (element == "a" && attr == "ping")
        || (element == "video" && attr == "poster")
}

/// True when `value`, as a browser would read it, starts with a scheme that
/// runs code or embeds a document.
fn is_active_url(element: &str, value: &str) -> bool {
    // Every active scheme ends in `:`, which only `:` or a reference
    // (`&#58;`) can spell; `http(s)://` is never active.
    if !value.contains([':', '&']) || value.starts_with("http://") || value.starts_with("https://")
    {
        return false;
    }
    // Browsers ignore whitespace and control characters inside the scheme,
    // so `java\tscript:` is `javascript:`.
    let compact: String = value
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(32)
        .flat_map(char::to_lowercase)
        .collect();
    let compact = decode_char_refs(&compact);
    if [
        "javascript:",
        "vbscript:",
        "livescript:",
        "mocha:",
        "jscript:",
    ]
    .iter()
    .any(|s| compact.starts_with(s))
    {
        return true;
    }
    if let Some(rest) = compact.strip_prefix("data:") {
        let raster = rest.starts_with("image/") && !rest.starts_with("image/svg");
        return !(raster && matches!(element, "img" | "source" | "picture"));
    }
    false
}

/// Numeric character references left in a URL by double escaping.
fn decode_char_refs(s: &str) -> Cow<'_, str> {
    if !s.contains("&#") {
        return Cow::Borrowed(s);
    }
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find("&#") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let (digits, radix) = match after.strip_prefix('x') {
            Some(h) => (h, 16),
            None => (after, 10),
        };
        let end = digits
            .find(|c: char| !c.is_digit(radix))
            .unwrap_or(digits.len());
        match u32::from_str_radix(&digits[..end], radix)
            .ok()
            .and_then(char::from_u32)
        {
            Some(c) => {
                out.push(c);
                rest = digits[end..].strip_prefix(';').unwrap_or(&digits[end..]);
            }
            None => {
                out.push_str("&#");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

fn filter_attribute<'u>(
    element: &str,
    attribute: &str,
    value: &'u str,
    base: Option<&Url>,
) -> Option<Cow<'u, str>> {
    if attribute.starts_with("on") {
        return None;
    }
    if attribute == "style" {
        let css = filter_style(value);
        return if css.is_empty() {
            None
        } else {
            Some(css.into())
        };
    }
    if is_active_url(element, value) {
        return None;
    }
    // SVG paints are CSS values: `url(...)` would load a resource, and CSS
    // escapes could spell it; colours and keywords need neither.
    if matches!(attribute, "fill" | "stroke")
        && (value.to_ascii_lowercase().contains("url")
            || !value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || " #,.%()-".contains(c)))
    {
        return None;
    }
    if URL_ATTRIBUTES.contains(&attribute) && !value.trim().is_empty() {
        let resolved = base
            .filter(|_| !crate::url::has_scheme(value.trim()))
            .and_then(|base| base.join(value.trim()).ok())
            .map(|u| u.to_string());
        if let Some(u) = resolved {
            return Some(u.into());
        }
    }
    Some(value.into())
}

/// Keeps the allowed declarations of a `style` attribute, written
/// `property: value;` and separated by spaces.
fn filter_style(css: &str) -> String {
    let lower = css.to_ascii_lowercase();
    // Escapes and comments can disguise anything from the checks below, and
    // expressions run script: any of them rejects the whole attribute.
    if [
        "expression",
        "javascript",
        "vbscript",
        "behavior",
        "binding",
        "@import",
        "\\",
        "/*",
        "<",
        "&",
    ]
    .iter()
    .any(|bad| lower.contains(bad))
    {
        return String::new();
    }
    let allowed: &HashSet<&str> = {
        static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
        SET.get_or_init(|| CSS_PROPERTIES.iter().copied().collect())
    };
    let mut out = String::new();
    for decl in css.split(';') {
        let Some((prop, value)) = decl.split_once(':') else {
            continue;
        };
        let prop = prop.trim();
        let value = value.trim_start().trim_end_matches(['\n', '\t']);
        if value.trim().is_empty() || value.to_ascii_lowercase().contains("url(") {
            continue;
        }
        let lprop = prop.to_ascii_lowercase();
        let family = lprop.split('-').next().unwrap_or("");
        let ok = if allowed.contains(lprop.as_str()) {
            value
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || " #,.%!'\"-()".contains(c))
        } else if CSS_SHORTHAND_FAMILIES.contains(&family) {
            value.split_whitespace().all(css_word_ok)
        } else {
            false
        };
        if !ok {
            continue;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(prop);
        out.push_str(": ");
        out.push_str(value);
        out.push(';');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shortcuts in `url_allowed` answer what the URL parser would.
    #[test]
    fn url_shortcuts_agree_with_the_parser() {
        let by_parser = |v: &str| match Url::parse(v) {
            Ok(u) => URL_SCHEMES.contains(&u.scheme()),
            Err(ammonia::url::ParseError::RelativeUrlWithoutBase) => true,
            Err(_) => false,
        };
        for v in [
            "",
            "/a/b?c=d#e",
            "img.png",
            " \t",
            "http://example.com",
            "https://example.com/",
            "http://a.b-c.example/x?y#z",
            "http://example.com./",
            "http://ex..ample.com/",
            "http://.example.com/",
            "http:///x",
            "http://",
            "https://1.2.3.4/",
            "https://1.2.3.999/",
            "http://0x7f.1/",
            "http://a.0x7f/",
            "http://xn--nxasmq6b.com/",
            "http://xn--a.com/",
            "http://XN--a.com/",
            "http://a.xn--/",
            "http://-a-.com/",
            "http://a_b.com/",
            "http://exa mple.com/",
            "http://example.com:80/",
            "http://example.com:99999/",
            "http://user@example.com/",
            "http://example.com/\u{7f}\u{0}%zz<>\"`{}|\\^ ",
            "http://example.com?q=1",
            "http://example.com#f",
            "http://ex\tample.com/",
            "HTTP://example.com/",
            "javascript:alert(1)",
            "mailto:a@b",
            "weird:thing",
            "a:b",
            "1http://x",
        ] {
            assert_eq!(url_allowed(v), by_parser(v), "{v:?}");
        }
    }

    #[test]
    fn removes_scripts_and_handlers() {
        let out = sanitize_html(
            r#"<p onclick="x()">hi<script>alert(1)</script><a href="javascript:alert(1)">x</a></p>"#,
            None,
        );
        assert_eq!(out, "<p>hi<a>x</a></p>");
    }

    #[test]
    fn removes_active_embeds_and_styles() {
        let out = sanitize_html(
            r#"<iframe src="http://e.test"></iframe><object data="x"></object><embed src="x"><style>p{}</style><meta http-equiv="refresh" content="0;url=http://e.test"><form action="/x"><input name="q"></form>ok"#,
            None,
        );
        assert_eq!(out, "ok");
    }

    #[test]
    fn obfuscated_schemes_are_caught() {
        let out = sanitize_html(
            "<a href=\"java\tscript:alert(1)\">x</a><a href=\"&#106;avascript:alert(1)\">y</a>",
            None,
        );
        assert!(!out.contains("href"), "{out}");
    }

    #[test]
    fn data_urls_only_for_raster_images() {
        let out = sanitize_html(
            r#"<img src="data:image/png;base64,AAAA"><a href="data:text/html;base64,PHNjcmlwdD4=">x</a><img src="data:image/svg+xml;base64,AAAA">"#,
            None,
        );
        assert_eq!(
            out,
            r#"<img src="data:image/png;base64,AAAA"><a>x</a><img>"#
        );
    }

    #[test]
    fn css_expressions_are_dropped_and_safe_css_kept() {
        let out = sanitize_html(
            r#"<span style="width: expression(alert(1))">a</span><span style="color: red; position: absolute">b</span>"#,
            None,
        );
        assert_eq!(out, r#"<span>a</span><span style="color: red;">b</span>"#);
    }

    #[test]
    fn relative_urls_resolve_against_the_base() {
        let out = sanitize_html(
            r#"<a href="/a">x</a><img src="b.png">"#,
            Some("http://example.com/dir/feed.xml"),
        );
        assert_eq!(
            out,
            r#"<a href="http://example.com/a">x</a><img src="http://example.com/dir/b.png">"#
        );
    }

    #[test]
    fn svg_and_mathml_stay_without_active_parts() {
        let out = sanitize_html(
            r##"<svg width="10" xmlns="http://www.w3.org/2000/svg" onload="x()"><script>alert(1)</script><circle r="5" fill="#f00" stroke="url(http://e.test/p)"/><a xlink:href="javascript:alert(1)"><text>t</text></a><a xlink:href="data:text/html,x"></a><foreignObject><p>smuggled</p><iframe src="x"></iframe></foreignObject><use href="#a"/><animate attributeName="href" values="javascript:alert(1)"/></svg><math><mi>a</mi><mo>+</mo></math>"##,
            None,
        );
        assert_eq!(
            out,
            r##"<svg width="10" xmlns="http://www.w3.org/2000/svg"><circle r="5" fill="#f00"></circle><a><text>t</text></a><a></a></svg><math><mi>a</mi><mo>+</mo></math>"##
        );
        let out = sanitize_html(
            r#"<svg><a xlink:href="http://e.test/" xmlns:xlink="http://www.w3.org/1999/xlink">x</a><desc><b onclick="x">d</b></desc></svg>"#,
            None,
        );
        assert_eq!(
            out,
            r#"<svg><a xlink:href="http://e.test/" xmlns:xlink="http://www.w3.org/1999/xlink">x</a><desc></desc></svg>"#
        );
    }

    #[test]
    fn table_parts_keep_their_tags() {
        assert_eq!(sanitize_html("<td>a</td>", None), "<td>a</td>");
        assert_eq!(
            sanitize_html(" <TR><th>h</th></TR>", None),
            " <tr><th>h</th></tr>"
        );
        assert_eq!(sanitize_html("<col span=\"2\">", None), "<col span=\"2\">");
        assert_eq!(
            sanitize_html("<thead><tr><td onclick=\"x\">a</td></tr></thead>", None),
            "<thead><tr><td>a</td></tr></thead>"
        );
        // Fragments that leave the implied table are cleaned as they are.
        assert_eq!(
            sanitize_html("<td>a</td></table><p>b</p>", None),
            "a<p>b</p>"
        );
        assert_eq!(sanitize_html("<tr>text</tr>", None), "text");
        assert_eq!(
            sanitize_html(
                "<td title=\"</td>\">a</td></tr></tbody></table><b>x</b><table><tbody><tr><td>",
                None
            ),
            "a<b>x</b><table><tbody><tr><td></td></tr></tbody></table>"
        );
        assert!(!stays_inside("<b>x</b></tr><tr><b>y</b>"));
        assert!(stays_inside(
            "<td title=\"</td>\"><br><svg><circle></circle></svg></td>"
        ));
    }

    #[test]
    fn plain_text_passes_unchanged() {
        assert_eq!(sanitize_html("just text", None), "just text");
    }
    /// Inputs the fast path must handle itself (and get right).
    const FAST: &[&str] = &[
        "a &gt; b &amp; c > d \u{a0} \"q\"",
        "<p>Hi <b>there</b></p>",
        "<P CLASS=\"x\" onclick=\"evil()\">Up<BR/>case</P>",
        "<p><a href=\"/rel?a=1&b=2\" title='t &quot;q&quot;'>x</a></p>",
        "<a href=\"javascript:alert(1)\">x</a><a href=\"java\tscript:y\">y</a>",
        "<a href=\"http://\">bad url</a><a href=\"ftp://e.test/\">ok</a>",
        "<img src=\"a.png\" alt data-x=1 width=10 height=\"20\"/>",
        "<img src=\"data:image/png;base64,AAAA\"><img src=\"data:image/svg+xml;base64,AAAA\">",
        "<span style=\"color: red; position: absolute\">s</span><span style=\"x: expression(1)\">t</span>",
        "<!-- c --><div class=md><p>x</p> <ul> <li>a</li><li>b</li></ul></div><!-- end -->",
        "<ol><li><ul><li>nested</li></ul></li></ol><dl><dt>t</dt><dd>d</dd></dl>",
        "<h1>T</h1><h2>U</h2><hr><blockquote>q</blockquote><figure><img src=x><figcaption>c</figcaption></figure>",
        "<pre>\ncode\n</pre><pre>x</pre>",
        "&#32;&#39;&#x27;&#8217;&#150;&#0;&#xD800;&#1114112;&#65535;&hellip;&NotEqualTilde;&foo;&rsquo x",
        "a < b, c <3, d <",
        "<p>unclosed <b>bold <i>italic",
        "<b><b><b><b><b>deep</b></b></b></b></b>",
        "<a href=x title=\"a\" title=\"b\" id=1 href=y>dup</a>",
        "<a href=\"&#106;avascript:alert(1)\">enc</a><a href=\"&#x6A;avascript:1\">enc2</a>",
        "<font color=red face=\"Arial\">f</font><q cite=\"/c\">q</q>",
        "<a href=\"x\"b=\"2\"c>glued</a>",
        "<img src=\"http://e.test/a b.png\" alt=\"&lt;&gt;&amp;\u{a0}\">",
    ];

    /// Inputs the fast path must leave to ammonia.
    const SLOW: &[&str] = &[
        "<script>alert(1)</script>",
        "<table><tr><td>x</td></tr></table>",
        "<p>a<p>b",
        "<p><div>x</div></p>",
        "<b><i>x</b></i>",
        "<li>a<li>b",
        "<a href=x><a href=y>z</a></a>",
        "&copy 2020",
        "<a href=\"?x=1&copy=2\">q</a>",
        "<svg><circle/></svg>",
        "</p>",
        "<br />\r\n",
        "<!DOCTYPE html><p>x</p>",
        "<h1><h2>x</h2></h1>",
        "<iframe src=x></iframe>",
        "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
    ];

    #[test]
    fn fast_path_matches_ammonia() {
        for base in [None, Some("http://example.com/dir/feed.xml")] {
            for html in FAST {
                let fast = fast::clean(html, &mut fast::Base::new(base))
                    .unwrap_or_else(|| panic!("not handled by the fast path: {html:?}"));
                assert_eq!(fast, sanitize_with_ammonia(html, base), "{html:?}");
            }
            for html in SLOW {
                assert!(
                    fast::clean(html, &mut fast::Base::new(base)).is_none(),
                    "{html:?}"
                );
                let out = sanitize_html(html, base);
                assert!(
                    !out.contains("<script") && !out.contains("onerror"),
                    "{out}"
                );
            }
        }
    }

    #[test]
    fn fast_path_writes_only_allowed_elements() {
        for t in fast::all_tags() {
            assert!(TAGS.contains(&t), "{t}");
            assert!(!CLEAN_CONTENT_TAGS.contains(&t), "{t}");
        }
    }
}
