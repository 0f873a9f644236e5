//! Bytes of a response to text.
//!
//! Order: a byte-order mark; the `charset` of the Content-Type header, unless
//! it says UTF-8 and the bytes are not UTF-8 (a common lie); for HTML
//! `<meta charset>` / `http-equiv` (through `newsdesk_extract::decode_html`,
//! which also takes valid UTF-8 as UTF-8 first); for XML the encoding of the
//! XML declaration; valid UTF-8; then a guess by chardetng.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

/// Where the encoding used came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CharsetSource {
    Bom,
    Header,
    /// `<meta charset>` or `<meta http-equiv="Content-Type">`.
    Meta,
    XmlDeclaration,
    /// The bytes are valid UTF-8.
    Utf8,
    Sniffed,
}

/// Text decoded from a body.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded<'a> {
    pub text: Cow<'a, str>,
    pub encoding: &'static Encoding,
    pub source: CharsetSource,
}

/// The `charset` parameter of a Content-Type value.
pub fn charset_param(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|p| {
        let (k, v) = p.split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| v.trim().trim_matches(|c| c == '"' || c == '\''))
    })
}

/// Whether the media type (or the first bytes) says HTML.
fn looks_html(content_type: Option<&str>, bytes: &[u8]) -> bool {
    if let Some(ct) = content_type {
        let mt = ct
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if mt.contains("html") {
            return true;
        }
        if mt.contains("xml") || mt.contains("json") {
            return false;
        }
    }
    let head = &bytes[..bytes.len().min(512)];
    let lower = head.to_ascii_lowercase();
    contains(&lower, b"<html") || contains(&lower, b"<!doctype html") || contains(&lower, b"<meta")
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Decodes `bytes` given the response's Content-Type header (if any).
pub fn decode_body<'a>(bytes: &'a [u8], content_type: Option<&str>) -> Decoded<'a> {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return Decoded {
            text,
            encoding: enc,
            source: CharsetSource::Bom,
        };
    }
    let is_utf8 = std::str::from_utf8(bytes).is_ok();
    let header = content_type
        .and_then(charset_param)
        .and_then(|l| Encoding::for_label(l.as_bytes()))
        // A header claiming UTF-8 over bytes that are not is ignored; so is
        // a UTF-16 label without a BOM (the BOM case returned above).
        .filter(|e| *e != UTF_8 || is_utf8)
        .filter(|e| *e != encoding_rs::UTF_16LE && *e != encoding_rs::UTF_16BE);
    if let Some(enc) = header {
        if enc == UTF_8 {
            return utf8(bytes, CharsetSource::Header);
        }
        let (text, _, _) = enc.decode(bytes);
        return Decoded {
            text,
            encoding: enc,
            source: CharsetSource::Header,
        };
    }
    if looks_html(content_type, bytes) {
        let (text, enc) = newsdesk_extract::decode_html(bytes, None);
        let source = if is_utf8 && enc == UTF_8 {
            CharsetSource::Utf8
        } else if meta_declares(bytes, enc) {
            CharsetSource::Meta
        } else {
            CharsetSource::Sniffed
        };
        return Decoded {
            text,
            encoding: enc,
            source,
        };
    }
    if let Some(enc) = xml_declaration(bytes) {
        if enc != UTF_8 || is_utf8 {
            let (text, _, _) = enc.decode(bytes);
            return Decoded {
                text,
                encoding: enc,
                source: CharsetSource::XmlDeclaration,
            };
        }
    }
    if is_utf8 {
        return utf8(bytes, CharsetSource::Utf8);
    }
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    let mut enc = det.guess(None, chardetng::Utf8Detection::Deny);
    if enc == encoding_rs::REPLACEMENT {
        enc = WINDOWS_1252;
    }
    let (text, _, _) = enc.decode(bytes);
    Decoded {
        text,
        encoding: enc,
        source: CharsetSource::Sniffed,
    }
}

fn utf8(bytes: &[u8], source: CharsetSource) -> Decoded<'_> {
    let (text, _) = UTF_8.decode_without_bom_handling(bytes);
    Decoded {
        text,
        encoding: UTF_8,
        source,
    }
}

/// Whether a `<meta>` in the first 4 KiB names `enc` (to report the source).
fn meta_declares(bytes: &[u8], enc: &'static Encoding) -> bool {
    let head = bytes[..bytes.len().min(4096)].to_ascii_lowercase();
    let mut i = 0;
    while let Some(at) = find(&head[i..], b"charset") {
        let mut j = i + at + 7;
        while j < head.len() && matches!(head[j], b' ' | b'=' | b'"' | b'\'') {
            j += 1;
        }
        let start = j;
        while j < head.len() && !matches!(head[j], b'"' | b'\'' | b';' | b' ' | b'/' | b'>') {
            j += 1;
        }
        if Encoding::for_label(&head[start..j]) == Some(enc) {
            return true;
        }
        i = j.max(i + at + 7);
    }
    false
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The `encoding` of an XML declaration (`<?xml version="1.0"
/// encoding="ISO-8859-1"?>`) at the start of the document.
pub fn xml_declaration(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(256)];
    let start = find(head, b"<?xml")?;
    if !head[..start].iter().all(u8::is_ascii_whitespace) {
        return None;
    }
    let end = find(&head[start..], b"?>").map_or(head.len(), |e| start + e);
    let decl = &head[start..end];
    let at = find(decl, b"encoding")?;
    let rest = &decl[at + 8..];
    let rest = rest.strip_prefix(b" ").unwrap_or(rest);
    let rest = rest
        .iter()
        .position(|&b| b == b'=')
        .map(|p| &rest[p + 1..])?;
    let rest: &[u8] = {
        let skip = rest.iter().take_while(|b| b.is_ascii_whitespace()).count();
        &rest[skip..]
    };
    let quote = *rest.first()?;
    if quote != b'"' && quote != b'\'' {
        return None;
    }
    let label = &rest[1..];
    let close = label.iter().position(|&b| b == quote)?;
    let enc = Encoding::for_label(&label[..close])?;
    // An XML declaration readable as ASCII cannot be UTF-16 without a BOM.
    if enc == encoding_rs::UTF_16LE || enc == encoding_rs::UTF_16BE {
        return Some(UTF_8);
    }
    Some(enc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_param() {
        assert_eq!(charset_param("text/html; charset=\"UTF-8\""), Some("UTF-8"));
        assert_eq!(
            charset_param("text/html;CHARSET=iso-8859-1"),
            Some("iso-8859-1")
        );
        assert_eq!(charset_param("text/html"), None);
    }

    #[test]
    fn order() {
        // Header wins for a legacy charset.
        let d = decode_body(b"caf\xe9", Some("text/plain; charset=iso-8859-1"));
        assert_eq!((d.text.as_ref(), d.source), ("café", CharsetSource::Header));
        // Header says UTF-8, the bytes are windows-1252 with a meta tag.
        let page = b"<html><head><meta charset=\"windows-1252\"></head><p>na\xefve caf\xe9</p>";
        let d = decode_body(page, Some("text/html; charset=utf-8"));
        assert!(d.text.contains("naïve café"), "{}", d.text);
        assert_eq!(d.source, CharsetSource::Meta);
        // BOM beats the header.
        let d = decode_body(b"\xef\xbb\xbfok", Some("text/plain; charset=iso-8859-1"));
        assert_eq!((d.text.as_ref(), d.source), ("ok", CharsetSource::Bom));
        // XML declaration.
        let x =
            b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss><title>D\xe9j\xe0</title></rss>";
        let d = decode_body(x, Some("application/rss+xml"));
        assert!(d.text.contains("Déjà"));
        assert_eq!(d.source, CharsetSource::XmlDeclaration);
        // Nothing declared, not UTF-8: sniffed.
        let d = decode_body(
            b"Le caf\xe9 est tr\xe8s bon et la cr\xe8me br\xfbl\xe9e aussi, d\xe9j\xe0 vu.",
            None,
        );
        assert_eq!(d.source, CharsetSource::Sniffed);
        assert!(d.text.contains("crème brûlée"), "{}", d.text);
    }

    #[test]
    fn xml_decl_forms() {
        assert_eq!(
            xml_declaration(b"<?xml version='1.0' encoding = 'windows-1251'?>"),
            Some(encoding_rs::WINDOWS_1251)
        );
        assert_eq!(xml_declaration(b"<rss/>"), None);
        assert_eq!(xml_declaration(b"<?xml version=\"1.0\"?>"), None);
        assert_eq!(
            xml_declaration(b"<?xml version=\"1.0\" encoding=\"utf-16\"?>"),
            Some(UTF_8)
        );
    }
}
