//! A feed document's bytes as text, the way a feed reader must: the
//! byte-order mark wins, then the XML declaration (checked against the
//! bytes), then UTF-8 if the bytes are valid UTF-8, then a guess; with the
//! problems met on the way.

use std::borrow::Cow;

use encoding_rs::{Encoding, GBK, KOI8_U, UTF_16BE, UTF_16LE, WINDOWS_1252, WINDOWS_874};

use super::{c1_as_windows_1252, is_utf16, sniff, xml_declaration};

/// A feed's text, the label of the encoding used and what went wrong on the
/// way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedText<'a> {
    /// Borrows the input bytes when they already were the UTF-8 (or ASCII)
    /// it decodes to, as most feeds are.
    pub text: Cow<'a, str>,
    /// Lower case: `utf-8`, `iso-8859-1` (a declared label as written),
    /// `utf-32le`, `gb2312` (the narrowest classic encoding that reads the
    /// bytes as the guess did).
    pub label: String,
    /// Damage recovered from, in words (a declaration that contradicts the
    /// bytes, replaced bytes, no declaration on bytes that are not UTF-8).
    pub problems: Vec<String>,
}

#[derive(Clone, Copy)]
enum Utf32 {
    Le,
    Be,
}

/// Decodes a feed's `bytes`: UTF-32 (which encoding_rs lacks, but feeds
/// use) and byte-order marks, UTF-16 without a mark, the XML declaration,
/// valid UTF-8, a guess. C1 controls in the result are mapped to the
/// windows-1252 punctuation they stand for ([`c1_as_windows_1252`]).
pub fn decode_feed(bytes: &[u8]) -> FeedText<'_> {
    let mut d = decode_raw(bytes);
    demoronize(&mut d.text);
    d
}

/// Maps C1 controls (`don\u{92}t`) back to windows-1252 punctuation.
fn demoronize(text: &mut Cow<'_, str>) {
    // U+0080..U+009F encode as C2 80..C2 9F: a byte scan finds them fast.
    let bytes = text.as_bytes();
    if bytes.is_ascii() {
        return;
    }
    let mut found = false;
    let mut i = 0;
    while i + 1 < bytes.len() {
        // Sixteen bytes at a time while none is C2 (compiles to vector compares).
        if let Some(chunk) = bytes
            .get(i..i + 16)
            .and_then(|c| <&[u8; 16]>::try_from(c).ok())
        {
            if !chunk.iter().fold(false, |acc, &b| acc | (b == 0xC2)) {
                i += 16;
                continue;
            }
        }
        if bytes[i] == 0xC2 && (0x80..=0x9F).contains(&bytes[i + 1]) {
            found = true;
            break;
        }
        i += 1;
    }
    if found {
        *text = text
            .chars()
            .map(c1_as_windows_1252)
            .collect::<String>()
            .into();
    }
}

fn decode_raw(bytes: &[u8]) -> FeedText<'_> {
    let mut problems = Vec::new();
    let done = |text, label: &str, problems| FeedText {
        text,
        label: label.to_string(),
        problems,
    };

    if let Some((kind, skip, label)) = sniff_utf32(bytes) {
        let text = decode_utf32(&bytes[skip..], kind, &mut problems);
        return done(Cow::Owned(text), label, problems);
    }
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let name = enc.name().to_ascii_lowercase();
        let (mut text, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        if had_errors {
            problems.push(format!(
                "bytes invalid in {name} (the byte-order mark's encoding) were replaced"
            ));
        }
        // A declaration that contradicts the BOM is wrong; the BOM is what the
        // producer actually wrote.
        if let Some(declared) = xml_declaration(text.as_bytes()) {
            let declared = declared.to_ascii_lowercase();
            if !declared.starts_with("utf") && !declared.starts_with("ucs") {
                problems.push(format!(
                    "declared encoding {declared} contradicts the byte-order mark ({name})"
                ));
            }
        }
        strip_leading_bom(&mut text);
        return done(text, &name, problems);
    }
    // UTF-16 without a BOM: `<` followed or preceded by a zero byte.
    if let Some(head) = bytes.get(..4) {
        let utf16 = match head {
            [0, b'<', 0, _] => Some(UTF_16BE),
            [b'<', 0, _, 0] => Some(UTF_16LE),
            _ => None,
        };
        if let Some(enc) = utf16 {
            let name = enc.name().to_ascii_lowercase();
            let (text, had_errors) = enc.decode_without_bom_handling(bytes);
            if had_errors {
                problems.push(format!("bytes invalid in {name} were replaced"));
            }
            return done(text, &name, problems);
        }
    }

    if let Some(declared) = xml_declaration(bytes) {
        let label = declared.trim().to_ascii_lowercase();
        match Encoding::for_label(label.as_bytes()) {
            // A declaration of UTF-16 on bytes that are plainly 8-bit (we got
            // here without a BOM or zero bytes) cannot be right.
            Some(enc) if is_utf16(enc) => problems.push(format!(
                "declared encoding {label} does not match the 8-bit bytes of the document"
            )),
            Some(enc) => {
                let (text, had_errors) = enc.decode_without_bom_handling(bytes);
                if !had_errors {
                    return done(text, &label, problems);
                }
                problems.push(format!(
                    "the document is not valid {label} as its XML declaration says"
                ));
                // A wrong declaration is nearly always UTF-8 claimed for
                // windows-1252 text (or the reverse).
                if let Ok(text) = std::str::from_utf8(bytes) {
                    return done(Cow::Borrowed(text), "utf-8", problems);
                }
                let (text, _) = WINDOWS_1252.decode_without_bom_handling(bytes);
                return done(text, "windows-1252", problems);
            }
            None => problems.push(format!("unknown encoding {label} in the XML declaration")),
        }
    }

    if let Ok(text) = std::str::from_utf8(bytes) {
        return done(Cow::Borrowed(text), "utf-8", problems);
    }
    let enc = sniff(bytes);
    let (text, _) = enc.decode_without_bom_handling(bytes);
    let label = narrowest_label(enc, bytes);
    if problems.is_empty() {
        problems.push(format!(
            "the document is not valid utf-8 and declares no encoding; decoded as {label}"
        ));
    }
    FeedText {
        text,
        label,
        problems,
    }
}

/// The label of the smallest classic encoding that decodes `bytes` exactly
/// as `enc` does: the detector answers with supersets (GBK for GB2312,
/// windows-874 for TIS-620, KOI8-U for KOI8-R), but a document that uses
/// none of the superset's additions is in the older, more widely known
/// encoding.
fn narrowest_label(enc: &'static Encoding, bytes: &[u8]) -> String {
    let narrower = if enc == GBK {
        // EUC-CN: every non-ASCII byte is in a pair of A1..=F7, A1..=FE.
        let mut i = 0;
        let mut euc_cn = true;
        while i < bytes.len() {
            let b = bytes[i];
            if b < 0x80 {
                i += 1;
            } else if (0xa1..=0xf7).contains(&b)
                && bytes.get(i + 1).is_some_and(|t| (0xa1..=0xfe).contains(t))
            {
                i += 2;
            } else {
                euc_cn = false;
                break;
            }
        }
        euc_cn.then_some("gb2312")
    } else if enc == WINDOWS_874 {
        // windows-874 adds only the 0x80..=0x9F range to TIS-620.
        (!bytes.iter().any(|b| (0x80..=0x9f).contains(b))).then_some("tis-620")
    } else if enc == KOI8_U {
        // KOI8-U differs from KOI8-R in these eight positions only.
        (!bytes
            .iter()
            .any(|b| matches!(b, 0xa4 | 0xa6 | 0xa7 | 0xad | 0xb4 | 0xb6 | 0xb7 | 0xbd)))
        .then_some("koi8-r")
    } else {
        None
    };
    narrower.map_or_else(|| enc.name().to_ascii_lowercase(), str::to_string)
}

fn strip_leading_bom(text: &mut Cow<'_, str>) {
    if text.starts_with('\u{feff}') {
        *text = match std::mem::take(text) {
            Cow::Borrowed(t) => Cow::Borrowed(&t['\u{feff}'.len_utf8()..]),
            Cow::Owned(mut t) => {
                t.drain(..'\u{feff}'.len_utf8());
                Cow::Owned(t)
            }
        };
    }
}

fn sniff_utf32(bytes: &[u8]) -> Option<(Utf32, usize, &'static str)> {
    match bytes.get(..4)? {
        [0xFF, 0xFE, 0, 0] => Some((Utf32::Le, 4, "utf-32le")),
        [0, 0, 0xFE, 0xFF] => Some((Utf32::Be, 4, "utf-32be")),
        [b'<', 0, 0, 0] => Some((Utf32::Le, 0, "utf-32le")),
        [0, 0, 0, b'<'] => Some((Utf32::Be, 0, "utf-32be")),
        _ => None,
    }
}

fn decode_utf32(bytes: &[u8], kind: Utf32, problems: &mut Vec<String>) -> String {
    let mut out = String::with_capacity(bytes.len() / 4);
    let mut bad = false;
    for chunk in bytes.chunks(4) {
        let Ok(quad) = <[u8; 4]>::try_from(chunk) else {
            bad = true;
            break;
        };
        let cp = match kind {
            Utf32::Le => u32::from_le_bytes(quad),
            Utf32::Be => u32::from_be_bytes(quad),
        };
        match char::from_u32(cp) {
            Some(c) => out.push(c),
            None => {
                bad = true;
                out.push('\u{fffd}');
            }
        }
    }
    if bad {
        problems.push("bytes invalid in utf-32 were replaced".to_string());
    }
    out
}
