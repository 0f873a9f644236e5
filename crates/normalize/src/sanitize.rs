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
    // Inline SVG: shapes, text and gradients.
    "svg",
    "g",
    "defs",
    "desc",
    "circle",
    "ellipse",
    "line",
    "path",
    "polygon",
    "polyline",
    "rect",
    "text",
    "tspan",
    "linearGradient",
    "radialGradient",
    "stop",
    // MathML presentation markup.
    "math",
    "mrow",
    "mi",
    "mn",
    "mo",
    "ms",
    "mtext",
    "mspace",
    "msub",
    "msup",
    "msubsup",
    "munder",
    "mover",
    "munderover",
    "mfrac",
    "msqrt",
    "mroot",
    "mstyle",
    "merror",
    "mpadded",
    "mphantom",
    "mfenced",
    "menclose",
    "mtable",
    "mtr",
    "mtd",
    "mmultiscripts",
    "mprescripts",
    "semantics",
    "annotation",
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
    // SVG presentation (names as the HTML parser adjusts them).
    "baseProfile",
    "version",
    "viewBox",
    "preserveAspectRatio",
    "transform",
    "x",
    "y",
    "x1",
    "x2",
    "y1",
    "y2",
    "cx",
    "cy",
    "r",
    "rx",
    "ry",
    "dx",
    "dy",
    "d",
    "points",
    "fill",
    "fill-opacity",
    "fill-rule",
    "stroke",
    "stroke-width",
    "stroke-linecap",
    "stroke-linejoin",
    "stroke-opacity",
    "stroke-dasharray",
    "opacity",
    "offset",
    "stop-color",
    "stop-opacity",
    "gradientUnits",
    "text-anchor",
    "font-family",
    "font-size",
    "font-weight",
    // Namespace declarations (`xmlns`, `xmlns:xlink`) and XLink (`xlink:show`;
    // `xlink:href` and `xlink:type` are `href` and `type`).
    "xmlns",
    "xlink",
    "show",
    // MathML.
    "mathvariant",
    "mathcolor",
    "mathbackground",
    "mathsize",
    "displaystyle",
    "scriptlevel",
    "display",
    "fence",
    "separator",
    "separators",
    "stretchy",
    "lspace",
    "rspace",
    "linethickness",
    "notation",
    "accent",
    "accentunder",
    "columnalign",
    "rowalign",
    "close",
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

/// The fast path of [`sanitize_html`]: an HTML tokenizer and tree check for
/// the subset of HTML whose parse is the token stream itself (no implied,
/// reopened or moved elements), producing byte for byte what
/// html5ever + ammonia + html5ever's serializer produce. It returns `None`
/// at the first construct outside that subset, and the caller falls back to
/// the full parser. Only elements of the allowlist are ever written, and
/// their attributes pass the same checks and filter as on the full path.
mod fast {
    use std::borrow::Cow;

    use ammonia::Url;

    use super::{allowed_attribute, filter_attribute, is_url_attr, url_allowed};

    /// Nesting deeper than this is left to the full parser.
    const MAX_STACK: usize = 256;

    /// The document's base URL, parsed only when a relative URL needs it.
    pub(super) struct Base<'a> {
        raw: Option<&'a str>,
        parsed: Option<Option<Url>>,
    }

    impl<'a> Base<'a> {
        pub(super) fn new(raw: Option<&'a str>) -> Self {
            Base { raw, parsed: None }
        }

        fn get(&mut self) -> Option<&Url> {
            let raw = self.raw;
            self.parsed
                .get_or_insert_with(|| raw.and_then(|b| Url::parse(b.trim()).ok()))
                .as_ref()
        }
    }

    #[derive(Clone, Copy, PartialEq, Eq)]
    enum Kind {
        /// Handled by "any other start tag" (or as a formatting element,
        /// which without misnesting comes to the same).
        Phrase,
        /// `br`, `img`, `wbr`: inserted and popped at once.
        Void,
        /// `hr`: like a void element, but closes an open `p` first.
        Hr,
        /// Elements whose start tag closes an open `p`.
        Block,
        Heading,
        /// `pre`: a block that also drops one newline right after its tag.
        Pre,
        /// `li`, only directly inside `ul`/`ol`.
        ListItem,
        /// `dd`/`dt`, only directly inside `dl`.
        DefItem,
    }

    fn tag(name: &str) -> Option<(&'static str, Kind)> {
        use Kind::*;
        Some(match name {
            "a" => ("a", Phrase),
            "abbr" => ("abbr", Phrase),
            "acronym" => ("acronym", Phrase),
            "b" => ("b", Phrase),
            "bdi" => ("bdi", Phrase),
            "bdo" => ("bdo", Phrase),
            "big" => ("big", Phrase),
            "cite" => ("cite", Phrase),
            "code" => ("code", Phrase),
            "del" => ("del", Phrase),
            "dfn" => ("dfn", Phrase),
            "em" => ("em", Phrase),
            "font" => ("font", Phrase),
            "i" => ("i", Phrase),
            "ins" => ("ins", Phrase),
            "kbd" => ("kbd", Phrase),
            "mark" => ("mark", Phrase),
            "q" => ("q", Phrase),
            "s" => ("s", Phrase),
            "samp" => ("samp", Phrase),
            "small" => ("small", Phrase),
            "span" => ("span", Phrase),
            "strike" => ("strike", Phrase),
            "strong" => ("strong", Phrase),
            "sub" => ("sub", Phrase),
            "sup" => ("sup", Phrase),
            "time" => ("time", Phrase),
            "tt" => ("tt", Phrase),
            "u" => ("u", Phrase),
            "var" => ("var", Phrase),
            "br" => ("br", Void),
            "img" => ("img", Void),
            "wbr" => ("wbr", Void),
            "hr" => ("hr", Hr),
            "address" => ("address", Block),
            "article" => ("article", Block),
            "aside" => ("aside", Block),
            "blockquote" => ("blockquote", Block),
            "center" => ("center", Block),
            "div" => ("div", Block),
            "dl" => ("dl", Block),
            "figcaption" => ("figcaption", Block),
            "figure" => ("figure", Block),
            "footer" => ("footer", Block),
            "header" => ("header", Block),
            "nav" => ("nav", Block),
            "ol" => ("ol", Block),
            "p" => ("p", Block),
            "section" => ("section", Block),
            "ul" => ("ul", Block),
            "h1" => ("h1", Heading),
            "h2" => ("h2", Heading),
            "h3" => ("h3", Heading),
            "h4" => ("h4", Heading),
            "h5" => ("h5", Heading),
            "h6" => ("h6", Heading),
            "pre" => ("pre", Pre),
            "li" => ("li", ListItem),
            "dd" => ("dd", DefItem),
            "dt" => ("dt", DefItem),
            _ => return None,
        })
    }

    #[cfg(test)]
    pub(super) fn all_tags() -> Vec<&'static str> {
        super::TAGS
            .iter()
            .chain(["script", "table", "svg", "math", "nobr", "o:p"].iter())
            .filter_map(|t| tag(t).map(|(n, _)| n))
            .collect()
    }

    /// The index of the first byte of `h` for which `hit` holds, or
    /// `h.len()`; sixteen bytes at a time, in a shape that compiles to vector
    /// compares.
    #[inline]
    fn scan(h: &[u8], hit: impl Fn(u8) -> bool) -> usize {
        let mut i = 0;
        while let Some(chunk) = h.get(i..i + 16) {
            let chunk: &[u8; 16] = chunk.try_into().expect("16 bytes");
            if chunk.iter().fold(false, |acc, &b| acc | hit(b)) {
                break;
            }
            i += 16;
        }
        while i < h.len() && !hit(h[i]) {
            i += 1;
        }
        i
    }

    fn is_ws(b: u8) -> bool {
        matches!(b, b'\t' | b'\n' | b'\x0C' | b' ')
    }

    /// Writes text as html5ever's serializer does.
    fn escape(s: &str, attr: bool, out: &mut String) {
        let bytes = s.as_bytes();
        let quote = if attr { b'"' } else { b'&' };
        let mut start = 0;
        let mut i = 0;
        while i < bytes.len() {
            i += scan(&bytes[i..], |c| {
                (c == b'&') | (c == b'<') | (c == b'>') | (c == quote) | (c == 0xC2)
            });
            let Some(&c) = bytes.get(i) else { break };
            let rep = match c {
                b'&' => "&amp;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'"' if attr => "&quot;",
                0xC2 if bytes.get(i + 1) == Some(&0xA0) => "&nbsp;",
                _ => {
                    i += 1;
                    continue;
                }
            };
            out.push_str(&s[start..i]);
            out.push_str(rep);
            i += if bytes[i] == 0xC2 { 2 } else { 1 };
            start = i;
        }
        out.push_str(&s[start..]);
    }

    enum CharRef {
        /// Not a reference: the `&` is literal text.
        Literal,
        /// Decoded to this text; the reference was `len` bytes long.
        Decoded(char, Option<char>, usize),
    }

    /// A character reference at `html[at]` (an `&`), the way html5ever's
    /// tokenizer reads it; `None` where its rules get subtle (legacy
    /// references without a semicolon).
    fn char_ref(html: &str, at: usize) -> Option<CharRef> {
        let b = html.as_bytes();
        let rest = &b[at + 1..];
        match rest.first() {
            Some(b'#') => {
                let (hex, digits_at) = match rest.get(1) {
                    Some(b'x' | b'X') => (true, 2),
                    _ => (false, 1),
                };
                let radix = if hex { 16 } else { 10 };
                let mut n: u32 = 0;
                let mut too_big = false;
                let mut j = digits_at;
                while let Some(d) = rest.get(j).and_then(|c| (*c as char).to_digit(radix)) {
                    n = n.wrapping_mul(radix);
                    if n > 0x10FFFF {
                        too_big = true;
                    }
                    n = n.wrapping_add(d);
                    j += 1;
                }
                if j == digits_at {
                    return None;
                }
                if rest.get(j) == Some(&b';') {
                    j += 1;
                }
                let c = match n {
                    _ if too_big || n > 0x10FFFF => '\u{fffd}',
                    0 | 0xD800..=0xDFFF => '\u{fffd}',
                    0x80..=0x9F => html5ever::data::C1_REPLACEMENTS[(n - 0x80) as usize]
                        .or_else(|| char::from_u32(n))?,
                    n => char::from_u32(n)?,
                };
                Some(CharRef::Decoded(c, None, j + 1))
            }
            Some(c) if c.is_ascii_alphanumeric() => {
                let run = rest
                    .iter()
                    .take_while(|c| c.is_ascii_alphanumeric())
                    .count();
                if rest.get(run) == Some(&b';') {
                    let key = &html[at + 1..at + 2 + run];
                    if let Some(&(c1, c2)) = html5ever::data::NAMED_ENTITIES.get(key) {
                        if c1 != 0 {
                            let c1 = char::from_u32(c1)?;
                            let c2 = if c2 == 0 {
                                None
                            } else {
                                Some(char::from_u32(c2)?)
                            };
                            return Some(CharRef::Decoded(c1, c2, run + 2));
                        }
                    }
                }
                // Legacy references (`&amp`, `&copy`) need no semicolon and
                // decode differently in text and attributes: leave those to
                // the full parser. Anything else is literal text.
                let name = &html[at + 1..at + 1 + run];
                let legacy = (1..=name.len().min(8)).any(|l| {
                    html5ever::data::NAMED_ENTITIES
                        .get(&name[..l])
                        .is_some_and(|m| m.0 != 0)
                });
                if legacy {
                    None
                } else {
                    Some(CharRef::Literal)
                }
            }
            _ => Some(CharRef::Literal),
        }
    }

    /// Cleans `html`, or `None` when it is outside the subset handled here.
    pub(super) fn clean(html: &str, base: &mut Base<'_>) -> Option<String> {
        let b = html.as_bytes();
        // The parser drops NULs and a leading byte-order mark and turns CRs
        // into LFs.
        if scan(b, |c| (c == 0) | (c == b'\r')) < b.len() || html.starts_with('\u{feff}') {
            return None;
        }
        let mut out = String::with_capacity(html.len() + html.len() / 8);
        let mut stack: Vec<&'static str> = Vec::new();
        let mut attrs: Attrs<'_> = Vec::new();
        let mut text_start = 0;
        let mut i = 0;
        while i < b.len() {
            i += scan(&b[i..], |c| (c == b'<') | (c == b'&'));
            match b.get(i) {
                None => break,
                Some(b'<') => {
                    escape(&html[text_start..i], false, &mut out);
                    match b.get(i + 1) {
                        Some(c) if c.is_ascii_alphabetic() => {
                            i = start_tag(html, i + 1, &mut out, &mut stack, base, &mut attrs)?;
                        }
                        Some(b'/') if b.get(i + 2).is_some_and(u8::is_ascii_alphabetic) => {
                            i = end_tag(html, i + 2, &mut out, &mut stack)?;
                        }
                        Some(b'/' | b'?') => return None,
                        Some(b'!') => i = comment(html, i)?,
                        _ => {
                            out.push_str("&lt;");
                            i += 1;
                        }
                    }
                    text_start = i;
                }
                Some(_) => {
                    escape(&html[text_start..i], false, &mut out);
                    match char_ref(html, i)? {
                        CharRef::Literal => {
                            out.push_str("&amp;");
                            i += 1;
                        }
                        CharRef::Decoded(c1, c2, len) => {
                            let mut buf = [0u8; 8];
                            let n1 = c1.encode_utf8(&mut buf).len();
                            let n2 = c2.map_or(0, |c| c.encode_utf8(&mut buf[n1..]).len());
                            let s = std::str::from_utf8(&buf[..n1 + n2]).ok()?;
                            escape(s, false, &mut out);
                            i += len;
                        }
                    }
                    text_start = i;
                }
            }
        }
        escape(&html[text_start..], false, &mut out);
        while let Some(open) = stack.pop() {
            out.push_str("</");
            out.push_str(open);
            out.push('>');
        }
        Some(out)
    }

    /// Skips a comment (ammonia strips them all) starting at `html[at]`.
    fn comment(html: &str, at: usize) -> Option<usize> {
        let body = html[at..].strip_prefix("<!--")?;
        if body.starts_with('>') || body.starts_with("->") {
            return None;
        }
        let end = body.find("-->")?;
        if body[..end].contains("--!") {
            return None;
        }
        Some(at + 4 + end + 3)
    }

    fn end_tag(
        html: &str,
        at: usize,
        out: &mut String,
        stack: &mut Vec<&'static str>,
    ) -> Option<usize> {
        let b = html.as_bytes();
        let len = b[at..]
            .iter()
            .take_while(|c| !is_ws(**c) && **c != b'/' && **c != b'>')
            .count();
        let mut j = at + len;
        while j < b.len() && is_ws(b[j]) {
            j += 1;
        }
        if b.get(j) != Some(&b'>') {
            return None;
        }
        let name = &html[at..at + len];
        let top = stack.last()?;
        if !top.eq_ignore_ascii_case(name) {
            return None;
        }
        out.push_str("</");
        out.push_str(top);
        out.push('>');
        stack.pop();
        Some(j + 1)
    }

    fn lower(s: &str) -> Cow<'_, str> {
        if s.bytes().any(|c| c.is_ascii_uppercase()) {
            Cow::Owned(s.to_ascii_lowercase())
        } else {
            Cow::Borrowed(s)
        }
    }

    /// A tag's attributes; reused from tag to tag so that tags with
    /// attributes do not each allocate a list.
    type Attrs<'h> = Vec<(Cow<'h, str>, Cow<'h, str>)>;

    fn start_tag<'h>(
        html: &'h str,
        at: usize,
        out: &mut String,
        stack: &mut Vec<&'static str>,
        base: &mut Base<'_>,
        attrs: &mut Attrs<'h>,
    ) -> Option<usize> {
        let b = html.as_bytes();
        let len = b[at..]
            .iter()
            .take_while(|c| !is_ws(**c) && **c != b'/' && **c != b'>')
            .count();
        let (name, kind) = tag(&lower(&html[at..at + len]))?;
        attrs.clear();
        let mut j = at + len;
        // Attributes, per the tokenizer's attribute states.
        loop {
            while j < b.len() && is_ws(b[j]) {
                j += 1;
            }
            match *b.get(j)? {
                b'>' => {
                    j += 1;
                    break;
                }
                b'/' => {
                    if b.get(j + 1) == Some(&b'>') {
                        j += 2;
                        break;
                    }
                    return None;
                }
                b'=' => return None,
                _ => {}
            }
            let n_len = b[j..]
                .iter()
                .take_while(|c| !is_ws(**c) && !matches!(**c, b'/' | b'>' | b'='))
                .count();
            let raw_name = &html[j..j + n_len];
            if raw_name.contains(['"', '\'', '<']) {
                return None;
            }
            j += n_len;
            while j < b.len() && is_ws(b[j]) {
                j += 1;
            }
            let mut value = Cow::Borrowed("");
            if b.get(j) == Some(&b'=') {
                j += 1;
                while j < b.len() && is_ws(b[j]) {
                    j += 1;
                }
                match *b.get(j)? {
                    q @ (b'"' | b'\'') => {
                        let close = j + 1 + b[j + 1..].iter().position(|c| *c == q)?;
                        value = attr_value(html, j + 1, close)?;
                        j = close + 1;
                        // `a="1"b="2"` is an error the tokenizer recovers
                        // from by starting the next attribute at once.
                    }
                    b'>' => {}
                    _ => {
                        let v_len = b[j..]
                            .iter()
                            .take_while(|c| !is_ws(**c) && **c != b'>')
                            .count();
                        let end = j + v_len;
                        if b[j..end]
                            .iter()
                            .any(|c| matches!(c, b'"' | b'\'' | b'<' | b'=' | b'`'))
                        {
                            return None;
                        }
                        value = attr_value(html, j, end)?;
                        j = end;
                    }
                }
            }
            let attr_name = lower(raw_name);
            if !attrs.iter().any(|(n, _)| *n == attr_name) {
                attrs.push((attr_name, value));
            }
        }

        // Tree construction: only where the token is inserted as is.
        let p_open = || stack.contains(&"p");
        let top = stack.last().copied();
        let ok = match kind {
            Kind::Phrase => !(name == "a" && stack.contains(&"a")),
            Kind::Void => true,
            Kind::Hr | Kind::Block | Kind::Pre => !p_open(),
            Kind::Heading => {
                !p_open() && !matches!(top, Some("h1" | "h2" | "h3" | "h4" | "h5" | "h6"))
            }
            Kind::ListItem => !p_open() && matches!(top, Some("ul" | "ol")),
            Kind::DefItem => !p_open() && top == Some("dl"),
        };
        if !ok || stack.len() >= MAX_STACK {
            return None;
        }

        // ammonia: allowlist and URL check, then the attribute filter (whose
        // removals are `swap_remove`s, last first: the order is kept exactly).
        attrs.retain(|(n, v)| allowed_attribute(n) && (!is_url_attr(name, n) || url_allowed(v)));
        let mut dropped = Vec::new();
        for (idx, (n, v)) in attrs.iter_mut().enumerate() {
            let base_url = if is_url_value(n) { base.get() } else { None };
            match filter_attribute(name, n, v, base_url) {
                None => dropped.push(idx),
                // Unchanged values come back as the very same slice.
                Some(Cow::Borrowed(new))
                    if std::ptr::eq(new.as_ptr(), v.as_ptr()) && new.len() == v.len() => {}
                Some(Cow::Borrowed(new)) if new == v.as_ref() => {}
                Some(new) => *v = Cow::Owned(new.into_owned()),
            }
        }
        for idx in dropped.into_iter().rev() {
            attrs.swap_remove(idx);
        }

        out.push('<');
        out.push_str(name);
        for (n, v) in attrs.iter() {
            out.push(' ');
            out.push_str(n);
            out.push_str("=\"");
            escape(v, true, out);
            out.push('"');
        }
        out.push('>');
        match kind {
            Kind::Void | Kind::Hr => {}
            Kind::Pre => {
                stack.push(name);
                // The parser drops a newline right after `<pre>`.
                match b.get(j) {
                    Some(b'\n') => j += 1,
                    Some(b'&') => return None,
                    _ => {}
                }
            }
            _ => stack.push(name),
        }
        Some(j)
    }

    /// Whether the attribute filter may resolve this attribute against the
    /// base (so the base is parsed only when it might be needed).
    fn is_url_value(name: &str) -> bool {
        super::URL_ATTRIBUTES.contains(&name)
    }

    /// An attribute value between `from` and `to`, character references
    /// decoded.
    fn attr_value(html: &str, from: usize, to: usize) -> Option<Cow<'_, str>> {
        let raw = &html[from..to];
        if !raw.contains('&') {
            return Some(Cow::Borrowed(raw));
        }
        let mut v = String::with_capacity(raw.len());
        let mut k = from;
        let mut seg = from;
        while k < to {
            if html.as_bytes()[k] != b'&' {
                k += 1;
                continue;
            }
            v.push_str(&html[seg..k]);
            // A reference must not run past the value's end.
            match char_ref(&html[..to], k)? {
                CharRef::Literal => {
                    v.push('&');
                    k += 1;
                }
                CharRef::Decoded(c1, c2, len) => {
                    v.push(c1);
                    v.extend(c2);
                    k += len;
                }
            }
            seg = k;
        }
        v.push_str(&html[seg..to]);
        Some(Cow::Owned(v))
    }
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
