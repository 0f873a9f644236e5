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
//! The HTML parser is html5ever through `ammonia`, so the output is what a
//! browser would build from the input, serialized again: void elements are
//! written `<br>`, not `<br />`.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashSet;
use std::sync::OnceLock;

use ammonia::{Builder, Url, UrlRelative};

const TAGS: &[&str] = &[
    "a",
    "abbr",
    "acronym",
    "address",
    "area",
    "article",
    "aside",
    "audio",
    "b",
    "bdi",
    "bdo",
    "big",
    "blockquote",
    "br",
    "canvas",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "command",
    "datagrid",
    "datalist",
    "dd",
    "del",
    "details",
    "dfn",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "em",
    "event-source",
    "fieldset",
    "figcaption",
    "figure",
    "font",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "i",
    "img",
    "ins",
    "kbd",
    "label",
    "legend",
    "li",
    "m",
    "map",
    "mark",
    "menu",
    "meter",
    "multicol",
    "nav",
    "nextid",
    "noscript",
    "ol",
    "optgroup",
    "option",
    "output",
    "p",
    "picture",
    "pre",
    "progress",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "section",
    "small",
    "sound",
    "source",
    "spacer",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "time",
    "tr",
    "track",
    "tt",
    "u",
    "ul",
    "var",
    "video",
    "wbr",
];

/// Elements removed together with everything inside them: their content is
/// code or a document of its own, never text meant for the reader.
/// Elements removed together with everything inside them: their content is
/// code, never text meant for the reader. Other disallowed elements
/// (`<iframe>`, `<object>`, `<form>`, ...) lose their tags, but their
/// fallback text stays, as text.
const CLEAN_CONTENT_TAGS: &[&str] = &["script", "style", "template", "noembed", "noframes", "xmp"];

const ATTRIBUTES: &[&str] = &[
    "abbr",
    "accept",
    "accept-charset",
    "accesskey",
    "action",
    "align",
    "alt",
    "autocomplete",
    "autofocus",
    "axis",
    "background",
    "balance",
    "bgcolor",
    "bgproperties",
    "border",
    "bordercolor",
    "bordercolordark",
    "bordercolorlight",
    "bottompadding",
    "cellpadding",
    "cellspacing",
    "ch",
    "challenge",
    "char",
    "charoff",
    "charset",
    "checked",
    "choff",
    "cite",
    "class",
    "clear",
    "color",
    "cols",
    "colspan",
    "compact",
    "contenteditable",
    "controls",
    "coords",
    "data",
    "datafld",
    "datapagesize",
    "datasrc",
    "datetime",
    "default",
    "delay",
    "dir",
    "disabled",
    "draggable",
    "dynsrc",
    "enctype",
    "end",
    "face",
    "for",
    "form",
    "frame",
    "galleryimg",
    "gutter",
    "headers",
    "height",
    "hidden",
    "hidefocus",
    "high",
    "href",
    "hreflang",
    "hspace",
    "icon",
    "id",
    "inputmode",
    "ismap",
    "keytype",
    "kind",
    "label",
    "lang",
    "leftspacing",
    "list",
    "longdesc",
    "loop",
    "loopcount",
    "loopend",
    "loopstart",
    "low",
    "lowsrc",
    "max",
    "maxlength",
    "media",
    "method",
    "min",
    "multiple",
    "muted",
    "name",
    "nohref",
    "noshade",
    "nowrap",
    "open",
    "optimum",
    "pattern",
    "ping",
    "point-size",
    "poster",
    "pqg",
    "preload",
    "prompt",
    "radiogroup",
    "readonly",
    "rel",
    "repeat-max",
    "repeat-min",
    "replace",
    "required",
    "rev",
    "rightspacing",
    "rows",
    "rowspan",
    "rules",
    "scope",
    "selected",
    "shape",
    "size",
    "sizes",
    "span",
    "src",
    "srclang",
    "srcset",
    "start",
    "step",
    "style",
    "summary",
    "suppress",
    "tabindex",
    "target",
    "template",
    "title",
    "toppadding",
    "type",
    "unselectable",
    "urn",
    "usemap",
    "valign",
    "value",
    "variable",
    "volume",
    "vrml",
    "vspace",
    "width",
    "wrap",
    "xml:lang",
];

/// Attributes holding a URL: these are resolved against the base and checked
/// for active schemes.
const URL_ATTRIBUTES: &[&str] = &[
    "href",
    "src",
    "cite",
    "longdesc",
    "poster",
    "background",
    "dynsrc",
    "lowsrc",
    "usemap",
    "data",
    "ping",
    "action",
    "icon",
];

const URL_SCHEMES: &[&str] = &[
    "http", "https", "ftp", "ftps", "mailto", "news", "nntp", "irc", "ircs", "gopher", "tel",
    "sms", "xmpp", "feed", "magnet", "urn", "tag", "data", "aim", "callto", "webcal", "git",
    "rtsp", "mms", "sip", "ssh", "sftp",
];

/// CSS properties kept in `style` attributes. Layout that can cover the page
/// (`position`, `z-index`) and anything loading resources is not here.
const CSS_PROPERTIES: &[&str] = &[
    "azimuth",
    "background-color",
    "border-bottom-color",
    "border-collapse",
    "border-color",
    "border-left-color",
    "border-right-color",
    "border-top-color",
    "clear",
    "color",
    "cursor",
    "direction",
    "display",
    "elevation",
    "float",
    "font",
    "font-family",
    "font-size",
    "font-style",
    "font-variant",
    "font-weight",
    "height",
    "letter-spacing",
    "line-height",
    "overflow",
    "pause",
    "pause-after",
    "pause-before",
    "pitch",
    "pitch-range",
    "richness",
    "speak",
    "speak-header",
    "speak-numeral",
    "speak-punctuation",
    "speech-rate",
    "stress",
    "text-align",
    "text-decoration",
    "text-indent",
    "unicode-bidi",
    "vertical-align",
    "voice-family",
    "volume",
    "white-space",
    "width",
    "max-width",
    "min-width",
    "max-height",
    "min-height",
    "list-style-type",
    "word-wrap",
    "word-break",
    "text-transform",
];

/// Shorthand families whose values are checked word by word: they are where
/// resource loading (`background: url(...)`) and page-covering sizes hide.
const CSS_SHORTHAND_FAMILIES: &[&str] = &["background", "border", "margin", "padding"];

const CSS_KEYWORDS: &[&str] = &[
    "auto",
    "aqua",
    "black",
    "block",
    "blue",
    "bold",
    "both",
    "bottom",
    "brown",
    "center",
    "collapse",
    "dashed",
    "dotted",
    "fuchsia",
    "gray",
    "green",
    "!important",
    "italic",
    "left",
    "lime",
    "maroon",
    "medium",
    "none",
    "navy",
    "normal",
    "nowrap",
    "olive",
    "pointer",
    "purple",
    "red",
    "right",
    "solid",
    "silver",
    "teal",
    "top",
    "transparent",
    "underline",
    "white",
    "yellow",
    "thin",
    "thick",
    "double",
    "groove",
    "ridge",
    "inset",
    "outset",
    "hidden",
    "inherit",
    "orange",
];

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
            .attribute_filter(filter_attribute);
        b
    })
}

/// Sanitizes an HTML fragment; relative URLs are resolved against `base_url`
/// when it is an absolute URL.
pub fn sanitize_html(html: &str, base_url: Option<&str>) -> String {
    // Plain text needs no parser: this is most titles and many summaries.
    if !html.contains(['<', '&', '>', '"']) {
        return html.to_string();
    }
    let base = base_url.and_then(|b| Url::parse(b.trim()).ok());
    BASE.with(|cell| *cell.borrow_mut() = base);
    let out = builder().clean(html).to_string();
    BASE.with(|cell| *cell.borrow_mut() = None);
    out
}

/// True when `value`, as a browser would read it, starts with a scheme that
/// runs code or embeds a document.
fn is_active_url(element: &str, value: &str) -> bool {
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

fn filter_attribute<'u>(element: &str, attribute: &str, value: &'u str) -> Option<Cow<'u, str>> {
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
    if URL_ATTRIBUTES.contains(&attribute) && !value.trim().is_empty() {
        let resolved = BASE.with(|cell| {
            cell.borrow()
                .as_ref()
                .filter(|_| !has_scheme(value.trim()))
                .and_then(|base| base.join(value.trim()).ok())
                .map(|u| u.to_string())
        });
        if let Some(u) = resolved {
            return Some(u.into());
        }
    }
    Some(value.into())
}

fn has_scheme(s: &str) -> bool {
    match s.split_once(':') {
        Some((scheme, _)) => {
            !scheme.is_empty()
                && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
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
    fn plain_text_passes_unchanged() {
        assert_eq!(sanitize_html("just text", None), "just text");
    }
}
