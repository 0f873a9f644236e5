//! Bytes of a page to text: byte-order mark, then valid UTF-8, then a declared charset
//! (`<meta charset>`, `<meta http-equiv=Content-Type>`, or the HTTP header the
//! caller passes), then a guess by chardetng. Bytes that are valid UTF-8 are
//! taken as UTF-8 before any declaration.

use std::borrow::Cow;

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

/// How far into the page a declared charset is looked for (the HTML
/// standard's prescan reads 1024 bytes; real pages put it later).
const PRESCAN: usize = 4096;

/// The page as text and the encoding used.
pub fn decode<'a>(bytes: &'a [u8], declared: Option<&str>) -> (Cow<'a, str>, &'static Encoding) {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let (text, _) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return (text, enc);
    }
    let declared = declared
        .and_then(|l| Encoding::for_label(l.trim().as_bytes()))
        .or_else(|| meta_charset(&bytes[..bytes.len().min(PRESCAN)]));
    // Valid UTF-8 is borrowed as is, whatever the page declares: non-ASCII
    // text that happens to be valid UTF-8 almost never is anything else, and
    // pages that declare a legacy charset but are served as UTF-8 are common.
    if let Ok(s) = std::str::from_utf8(bytes) {
        return (Cow::Borrowed(s), UTF_8);
    }
    let enc = match declared {
        // UTF-16 labels in a meta tag are wrong by construction (the tag was
        // readable as ASCII); the standard says to use UTF-8.
        Some(e) if e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE => UTF_8,
        Some(e) => e,
        None => {
            let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
            det.feed(bytes, true);
            det.guess(None, chardetng::Utf8Detection::Deny)
        }
    };
    let enc = if enc == encoding_rs::REPLACEMENT {
        WINDOWS_1252
    } else {
        enc
    };
    let (text, _, _) = enc.decode(bytes);
    (text, enc)
}

/// The charset a `<meta>` tag in `head` declares, if any.
fn meta_charset(head: &[u8]) -> Option<&'static Encoding> {
    let mut pos = 0;
    while let Some(i) = memchr::memmem::find(&head[pos..], b"<meta") {
        let start = pos + i + 5;
        let end = memchr::memchr(b'>', &head[start..]).map_or(head.len(), |e| start + e);
        let tag = &head[start..end];
        if let Some(label) = charset_in(tag) {
            if let Some(enc) = Encoding::for_label(label) {
                return Some(enc);
            }
        }
        pos = end;
    }
    // Upper-case `<META`.
    let mut pos = 0;
    while let Some(i) = memchr::memmem::find(&head[pos..], b"<META") {
        let start = pos + i + 5;
        let end = memchr::memchr(b'>', &head[start..]).map_or(head.len(), |e| start + e);
        if let Some(label) = charset_in(&head[start..end]) {
            if let Some(enc) = Encoding::for_label(label) {
                return Some(enc);
            }
        }
        pos = end;
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

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn charsets() {
        let (t, e) = decode(b"<meta charset=\"iso-8859-1\"><p>caf\xe9</p>", None);
        assert!(t.contains("café"), "{t}");
        assert_eq!(e.name(), "windows-1252");
        let (t, _) = decode(
            b"<META http-equiv=Content-Type content='text/html; charset=windows-1251'>\xcf\xf0\xe8\xe2\xe5\xf2",
            None,
        );
        assert!(t.contains("Привет"), "{t}");
        let (t, e) = decode(b"\xef\xbb\xbf<p>x</p>", None);
        assert_eq!((t.as_ref(), e.name()), ("<p>x</p>", "UTF-8"));
        let (t, _) = decode("<p>déjà</p>".as_bytes(), None);
        assert_eq!(t, "<p>déjà</p>");
        // No declaration, not UTF-8: sniffed.
        let (t, _) = decode(b"<p>Le caf\xe9 est tr\xe8s bon, d\xe9j\xe0 vu.</p>", None);
        assert!(t.contains("café"), "{t}");
    }
}
