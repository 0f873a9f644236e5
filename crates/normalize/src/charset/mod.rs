//! Bytes to text: which character encoding a document is in, and decoding it.
//! The one place the desk decides an encoding; each reader calls the entry
//! point for its kind of input:
//!
//! - [`decode_html`] (an article page, `newsdesk_extract`): byte-order mark;
//!   valid UTF-8; the charset the caller was told (the HTTP header);
//!   `<meta charset>` / `<meta http-equiv=Content-Type>` in the first 4 KiB;
//!   a guess by chardetng.
//! - [`decode_http`] (a response body, `newsdesk_fetch`): byte-order mark; the
//!   Content-Type header's `charset` (unless it says UTF-8 over bytes that are
//!   not); for HTML, [`decode_html`]; for XML, the XML declaration; valid
//!   UTF-8; a guess.
//! - [`decode_feed`] (a feed document, `newsdesk_ingest`): UTF-32 and
//!   byte-order marks; UTF-16 without a mark; the XML declaration (checked
//!   against the bytes); valid UTF-8; a guess; with what went wrong on the way.
//! - [`decode_plain_text`] (a raw text file): UTF-8, else windows-1252.
//!
//! Common to all: a byte-order mark wins over any declaration; bytes that are
//! valid UTF-8 are borrowed, never copied; a UTF-16 label without a
//! byte-order mark is never believed (the label was readable as ASCII).

mod feed;

use std::borrow::Cow;

pub use encoding_rs::Encoding;
use encoding_rs::{REPLACEMENT, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};
pub use feed::{decode_feed, FeedText};

/// How far into a page a `<meta>` charset is looked for (the HTML
/// standard's prescan reads 1024 bytes; real pages put it later).
const PRESCAN: usize = 4096;

/// Where the encoding used came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A byte-order mark.
    Bom,
    /// The charset the transport gave (HTTP `Content-Type`).
    Header,
    /// `<meta charset>` or `<meta http-equiv="Content-Type">`.
    Meta,
    /// The `encoding` of an XML declaration.
    XmlDeclaration,
    /// The bytes are valid UTF-8.
    Utf8,
    /// Nothing usable was declared: chardetng's guess.
    Sniffed,
}

/// Text decoded from bytes, the encoding used and where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded<'a> {
    /// Borrows the input when the bytes were UTF-8 already.
    pub text: Cow<'a, str>,
    pub encoding: &'static Encoding,
    pub source: Source,
}

/// An HTML page's bytes as text. `declared` is a charset label the page came
/// with (an HTTP header's); valid UTF-8 is taken as UTF-8 before it or any
/// `<meta>`: non-ASCII text that happens to be valid UTF-8 almost never is
/// anything else, and pages that declare a legacy charset but are served as
/// UTF-8 are common. An unknown label is ignored.
pub fn decode_html<'a>(bytes: &'a [u8], declared: Option<&str>) -> Decoded<'a> {
    if let Some(d) = bom(bytes) {
        return d;
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return borrowed_utf8(s, Source::Utf8);
    }
    let declared = declared
        .and_then(|l| Encoding::for_label(l.trim().as_bytes()))
        .map(|e| (e, Source::Header))
        .or_else(|| meta_charset(&bytes[..bytes.len().min(PRESCAN)]).map(|e| (e, Source::Meta)));
    let (encoding, source) = match declared {
        // A UTF-16 label in a meta tag is wrong by construction (the tag was
        // readable as ASCII); the HTML standard says to use UTF-8.
        Some((e, source)) if is_utf16(e) => (UTF_8, source),
        Some(d) => d,
        None => (sniff(bytes), Source::Sniffed),
    };
    let encoding = if encoding == REPLACEMENT {
        WINDOWS_1252
    } else {
        encoding
    };
    let (text, _, _) = encoding.decode(bytes);
    Decoded {
        text,
        encoding,
        source,
    }
}

/// A response body's bytes as text, given its `Content-Type` header (if
/// any). A header claiming UTF-8 over bytes that are not UTF-8 (a common lie)
/// is ignored, as is a UTF-16 label without a byte-order mark.
pub fn decode_http<'a>(bytes: &'a [u8], content_type: Option<&str>) -> Decoded<'a> {
    if let Some(d) = bom(bytes) {
        return d;
    }
    let utf8 = std::str::from_utf8(bytes).ok();
    let header = content_type
        .and_then(charset_param)
        .and_then(|l| Encoding::for_label(l.as_bytes()))
        .filter(|e| *e != UTF_8 || utf8.is_some())
        .filter(|e| !is_utf16(e));
    if let Some(encoding) = header {
        if let Some(s) = utf8.filter(|_| encoding == UTF_8) {
            return borrowed_utf8(s, Source::Header);
        }
        let (text, _, _) = encoding.decode(bytes);
        return Decoded {
            text,
            encoding,
            source: Source::Header,
        };
    }
    if looks_html(content_type, bytes) {
        return decode_html(bytes, None);
    }
    // Whitespace before the declaration is tolerated here (the feed reader
    // reports it, a response body is only read for its text).
    if let Some(encoding) = xml_declared_encoding(bytes.trim_ascii_start()) {
        if encoding != UTF_8 || utf8.is_some() {
            let (text, _, _) = encoding.decode(bytes);
            return Decoded {
                text,
                encoding,
                source: Source::XmlDeclaration,
            };
        }
    }
    if let Some(s) = utf8 {
        return borrowed_utf8(s, Source::Utf8);
    }
    let encoding = sniff(bytes);
    let (text, _, _) = encoding.decode(bytes);
    Decoded {
        text,
        encoding,
        source: Source::Sniffed,
    }
}

/// A plain text file (an article's raw text): UTF-8 after an optional
/// byte-order mark, else windows-1252, the usual culprit from an old editor
/// (a UTF-16 byte-order mark is still honoured).
pub fn decode_plain_text(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes)) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => WINDOWS_1252.decode(bytes).0,
    }
}

/// The character windows-1252 puts where a C1 control (U+0080..U+009F)
/// stands: such a control in text is nearly always windows-1252 punctuation
/// that went through a wrong conversion (`don\u{92}t`, `&#146;`). Any other
/// character is returned as it is.
pub fn c1_as_windows_1252(c: char) -> char {
    if !('\u{80}'..='\u{9f}').contains(&c) {
        return c;
    }
    let byte = [c as u32 as u8];
    let (s, _, _) = WINDOWS_1252.decode(&byte);
    s.chars().next().unwrap_or(c)
}

/// The `charset` parameter of a Content-Type value, unquoted.
pub fn charset_param(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches(|c| c == '"' || c == '\''))
    })
}

/// The `encoding` pseudo-attribute of an XML declaration at the very start
/// of an ASCII-compatible document (within its first 512 bytes), as written.
pub fn xml_declaration(bytes: &[u8]) -> Option<&str> {
    let head = &bytes[..bytes.len().min(512)];
    let head = head.strip_prefix(b"<?xml")?;
    let end = head.windows(2).position(|w| w == b"?>")?;
    let decl = std::str::from_utf8(&head[..end]).ok()?;
    let at = decl.find("encoding")?;
    let rest = decl[at + "encoding".len()..].trim_start();
    let rest = rest.strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let rest = &rest[1..];
    let close = rest.find(quote)?;
    Some(&rest[..close]).filter(|s| !s.is_empty())
}

/// The encoding an XML declaration at the start of `bytes` names, if known;
/// UTF-16 counts as UTF-8 (a declaration readable as ASCII cannot be UTF-16
/// without a byte-order mark).
pub fn xml_declared_encoding(bytes: &[u8]) -> Option<&'static Encoding> {
    let enc = Encoding::for_label(xml_declaration(bytes)?.as_bytes())?;
    Some(if is_utf16(enc) { UTF_8 } else { enc })
}

/// The charset the first `<meta>` (or `<META>`) tag in `head` that names a
/// known one declares, through `charset=` or `content="...; charset=..."`.
pub fn meta_charset(head: &[u8]) -> Option<&'static Encoding> {
    for open in [&b"<meta"[..], b"<META"] {
        let mut pos = 0;
        while let Some(i) = memchr::memmem::find(&head[pos..], open) {
            let start = pos + i + open.len();
            let end = memchr::memchr(b'>', &head[start..]).map_or(head.len(), |e| start + e);
            if let Some(enc) = charset_in(&head[start..end]).and_then(Encoding::for_label) {
                return Some(enc);
            }
            pos = end;
        }
    }
    None
}

/// The value after `charset=` in a meta tag's text (covers both
/// `charset="x"` and `content="text/html; charset=x"`).
fn charset_in(tag: &[u8]) -> Option<&[u8]> {
    let lower: Vec<u8> = tag.to_ascii_lowercase();
    let at = memchr::memmem::find(&lower, b"charset")?;
    let mut i = at + 7;
    while i < tag.len() && tag[i].is_ascii_whitespace() {
        i += 1;
    }
    if tag.get(i) != Some(&b'=') {
        return None;
    }
    i += 1;
    while i < tag.len() && (tag[i].is_ascii_whitespace() || tag[i] == b'"' || tag[i] == b'\'') {
        i += 1;
    }
    let start = i;
    while i < tag.len() && !matches!(tag[i], b'"' | b'\'' | b';' | b' ' | b'/' | b'>') {
        i += 1;
    }
    (i > start).then(|| &tag[start..i])
}

/// Whether the media type (or, without one that says, the first bytes)
/// says HTML.
fn looks_html(content_type: Option<&str>, bytes: &[u8]) -> bool {
    if let Some(ct) = content_type {
        let media = ct
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if media.contains("html") {
            return true;
        }
        if media.contains("xml") || media.contains("json") {
            return false;
        }
    }
    let head = bytes[..bytes.len().min(512)].to_ascii_lowercase();
    [&b"<html"[..], b"<!doctype html", b"<meta"]
        .iter()
        .any(|needle| memchr::memmem::find(&head, needle).is_some())
}

/// The text after a byte-order mark, decoded in the mark's encoding
/// (invalid bytes replaced).
fn bom(bytes: &[u8]) -> Option<Decoded<'_>> {
    let (encoding, len) = Encoding::for_bom(bytes)?;
    let (text, _) = encoding.decode_without_bom_handling(&bytes[len..]);
    Some(Decoded {
        text,
        encoding,
        source: Source::Bom,
    })
}

/// chardetng's guess for bytes that are not UTF-8 and declare nothing
/// usable (windows-1252 where it could only say "replacement").
fn sniff(bytes: &[u8]) -> &'static Encoding {
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guess = detector.guess(None, chardetng::Utf8Detection::Deny);
    if guess == REPLACEMENT {
        WINDOWS_1252
    } else {
        guess
    }
}

fn is_utf16(enc: &'static Encoding) -> bool {
    enc == UTF_16LE || enc == UTF_16BE
}

fn borrowed_utf8(s: &str, source: Source) -> Decoded<'_> {
    Decoded {
        text: Cow::Borrowed(s),
        encoding: UTF_8,
        source,
    }
}

#[cfg(test)]
mod tests;
