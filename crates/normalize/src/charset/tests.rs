use std::borrow::Cow;

use super::*;

/// Whether decoding borrowed the input instead of copying it.
macro_rules! is_borrowed {
    ($text:expr) => {
        matches!($text, Cow::Borrowed(_))
    };
}

// ---- pages (extract) ----

#[test]
fn html_bom_wins_over_everything() {
    let d = decode_html(
        b"\xef\xbb\xbf<meta charset=\"iso-8859-1\"><p>x</p>",
        Some("windows-1251"),
    );
    assert_eq!(d.text, "<meta charset=\"iso-8859-1\"><p>x</p>");
    assert_eq!((d.encoding.name(), d.source), ("UTF-8", Source::Bom));
    let d = decode_html(b"\xff\xfe<\0p\0>\0", None);
    assert_eq!((d.text.as_ref(), d.encoding.name()), ("<p>", "UTF-16LE"));
}

#[test]
fn html_valid_utf8_is_borrowed_whatever_is_declared() {
    let page = "<meta charset=\"iso-8859-1\"><p>déjà vu</p>".as_bytes();
    let d = decode_html(page, Some("windows-1251"));
    assert_eq!(d.text, "<meta charset=\"iso-8859-1\"><p>déjà vu</p>");
    assert!(is_borrowed!(d.text), "valid UTF-8 is not copied");
    assert_eq!((d.encoding.name(), d.source), ("UTF-8", Source::Utf8));
}

#[test]
fn html_meta_charset_and_http_equiv() {
    let d = decode_html(b"<meta charset=\"iso-8859-1\"><p>caf\xe9</p>", None);
    assert!(d.text.contains("café"), "{}", d.text);
    assert_eq!(
        (d.encoding.name(), d.source),
        ("windows-1252", Source::Meta)
    );
    let d = decode_html(
        b"<META http-equiv=Content-Type content='text/html; charset=windows-1251'>\xcf\xf0\xe8\xe2\xe5\xf2",
        None,
    );
    assert!(d.text.contains("Привет"), "{}", d.text);
    assert_eq!(
        (d.encoding.name(), d.source),
        ("windows-1251", Source::Meta)
    );
    // A meta tag naming no known charset is passed over for the next one.
    let d = decode_html(
        b"<meta charset=\"x-klingon\"><meta charset=\"koi8-r\"><p>\xf0\xd2\xc9\xd7\xc5\xd4</p>",
        None,
    );
    assert!(d.text.contains("Привет"), "{}", d.text);
}

#[test]
fn html_declared_label_beats_meta_and_an_unknown_one_is_ignored() {
    let page = b"<meta charset=\"windows-1251\"><p>caf\xe9</p>";
    let d = decode_html(page, Some(" ISO-8859-1 "));
    assert!(d.text.contains("café"), "{}", d.text);
    assert_eq!(d.source, Source::Header);
    let d = decode_html(page, Some("no-such-charset"));
    assert_eq!(
        (d.encoding.name(), d.source),
        ("windows-1251", Source::Meta)
    );
}

#[test]
fn html_utf16_meta_means_utf8() {
    let d = decode_html(b"<meta charset=\"utf-16\"><p>caf\xc3\xa9 \xff</p>", None);
    assert_eq!(d.encoding.name(), "UTF-8");
    assert!(d.text.contains("café \u{fffd}"), "{}", d.text);
}

#[test]
fn html_nothing_declared_is_sniffed() {
    let d = decode_html(b"<p>Le caf\xe9 est tr\xe8s bon, d\xe9j\xe0 vu.</p>", None);
    assert!(d.text.contains("café"), "{}", d.text);
    assert_eq!(d.source, Source::Sniffed);
}

// ---- response bodies (fetch) ----

#[test]
fn header_param() {
    assert_eq!(charset_param("text/html; charset=\"UTF-8\""), Some("UTF-8"));
    assert_eq!(
        charset_param("text/html;CHARSET=iso-8859-1"),
        Some("iso-8859-1")
    );
    assert_eq!(charset_param("text/html"), None);
    assert_eq!(
        charset_param("text/html; q=1; charset='koi8-r'"),
        Some("koi8-r")
    );
}

#[test]
fn http_order() {
    // The header wins for a legacy charset.
    let d = decode_http(b"caf\xe9", Some("text/plain; charset=iso-8859-1"));
    assert_eq!((d.text.as_ref(), d.source), ("café", Source::Header));
    // The header says UTF-8, the bytes are windows-1252 with a meta tag.
    let page = b"<html><head><meta charset=\"windows-1252\"></head><p>na\xefve caf\xe9</p>";
    let d = decode_http(page, Some("text/html; charset=utf-8"));
    assert!(d.text.contains("naïve café"), "{}", d.text);
    assert_eq!(d.source, Source::Meta);
    // A true UTF-8 header: borrowed.
    let d = decode_http("déjà".as_bytes(), Some("text/plain; charset=utf-8"));
    assert_eq!((d.text.as_ref(), d.source), ("déjà", Source::Header));
    assert!(is_borrowed!(d.text));
    // The BOM beats the header.
    let d = decode_http(b"\xef\xbb\xbfok", Some("text/plain; charset=iso-8859-1"));
    assert_eq!((d.text.as_ref(), d.source), ("ok", Source::Bom));
    // XML declaration (whitespace before it tolerated).
    let x =
        b"\n <?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss><title>D\xe9j\xe0</title></rss>";
    let d = decode_http(x, Some("application/rss+xml"));
    assert!(d.text.contains("Déjà"), "{}", d.text);
    assert_eq!(d.source, Source::XmlDeclaration);
    // Nothing declared, not UTF-8: sniffed.
    let d = decode_http(
        b"Le caf\xe9 est tr\xe8s bon et la cr\xe8me br\xfbl\xe9e aussi, d\xe9j\xe0 vu.",
        None,
    );
    assert_eq!(d.source, Source::Sniffed);
    assert!(d.text.contains("crème brûlée"), "{}", d.text);
}

#[test]
fn http_bad_labels_are_passed_over() {
    // An unknown header label: the page's own meta decides.
    let page = b"<meta charset=\"windows-1252\"><p>caf\xe9</p>";
    let d = decode_http(page, Some("text/html; charset=x-unknown"));
    assert_eq!(
        (d.encoding.name(), d.source),
        ("windows-1252", Source::Meta)
    );
    // UTF-16 in a header without a BOM is not believed.
    let d = decode_http(b"plain ascii", Some("text/plain; charset=utf-16"));
    assert_eq!((d.text.as_ref(), d.source), ("plain ascii", Source::Utf8));
    // An unknown label in an XML declaration: valid UTF-8 is UTF-8.
    let x = "<?xml version=\"1.0\" encoding=\"x-unknown\"?><rss>é</rss>".as_bytes();
    let d = decode_http(x, Some("application/xml"));
    assert_eq!((d.encoding.name(), d.source), ("UTF-8", Source::Utf8));
    // An XML declaration claiming UTF-8 over bytes that are not: sniffed.
    let x = b"<?xml version=\"1.0\" encoding=\"utf-8\"?><rss>Le caf\xe9 est tr\xe8s bon</rss>";
    let d = decode_http(x, Some("application/xml"));
    assert_eq!(d.source, Source::Sniffed);
    assert!(d.text.contains("café"), "{}", d.text);
}

#[test]
fn xml_declaration_forms() {
    assert_eq!(
        xml_declared_encoding(b"<?xml version='1.0' encoding = 'windows-1251'?>"),
        Some(encoding_rs::WINDOWS_1251)
    );
    assert_eq!(
        xml_declaration(b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss/>"),
        Some("ISO-8859-1")
    );
    assert_eq!(xml_declaration(b"<rss/>"), None);
    assert_eq!(xml_declaration(b"<?xml version=\"1.0\"?>"), None);
    assert_eq!(
        xml_declaration(b"<?xml version=\"1.0\" encoding=\"\"?>"),
        None
    );
    // Unclosed declaration, or not at the very start.
    assert_eq!(
        xml_declaration(b"<?xml version=\"1.0\" encoding=\"utf-8\""),
        None
    );
    assert_eq!(xml_declaration(b" <?xml encoding=\"utf-8\"?>"), None);
    assert_eq!(
        xml_declared_encoding(b"<?xml version=\"1.0\" encoding=\"utf-16\"?>"),
        Some(encoding_rs::UTF_8)
    );
    assert_eq!(
        xml_declared_encoding(b"<?xml encoding=\"x-unknown\"?>"),
        None
    );
}

// ---- feeds (ingest) ----

#[test]
fn feed_utf8_is_borrowed() {
    let x = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss>déjà</rss>".as_bytes();
    let d = decode_feed(x);
    assert!(is_borrowed!(d.text), "valid UTF-8 is not copied");
    assert_eq!((d.label.as_str(), d.problems.len()), ("utf-8", 0));
    let d = decode_feed("<rss>déjà</rss>".as_bytes());
    assert!(is_borrowed!(d.text));
    assert_eq!((d.label.as_str(), d.problems.len()), ("utf-8", 0));
}

#[test]
fn feed_declared_label_is_kept_as_written() {
    let x = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss>D\xe9j\xe0</rss>";
    let d = decode_feed(x);
    assert!(d.text.contains("Déjà"), "{}", d.text);
    assert_eq!(d.label, "iso-8859-1");
    assert!(d.problems.is_empty(), "{:?}", d.problems);
}

#[test]
fn feed_wrong_declaration_falls_back_and_says_so() {
    // windows-1252 bytes declared UTF-8.
    let x = b"<?xml version=\"1.0\" encoding=\"utf-8\"?><rss>caf\xe9</rss>";
    let d = decode_feed(x);
    assert!(d.text.contains("café"), "{}", d.text);
    assert_eq!(d.label, "windows-1252");
    assert_eq!(
        d.problems,
        ["the document is not valid utf-8 as its XML declaration says"]
    );
    // ISO-2022-JP declared (7-bit), UTF-8 bytes.
    let x = "<?xml version=\"1.0\" encoding=\"ISO-2022-JP\"?><rss>déjà</rss>".as_bytes();
    let d = decode_feed(x);
    assert_eq!(d.label, "utf-8");
    assert!(
        is_borrowed!(d.text) && d.text.contains("déjà"),
        "{}",
        d.text
    );
    assert_eq!(
        d.problems,
        ["the document is not valid iso-2022-jp as its XML declaration says"]
    );
}

#[test]
fn feed_unknown_or_impossible_declarations() {
    let x = "<?xml version=\"1.0\" encoding=\"x-klingon\"?><rss>é</rss>".as_bytes();
    let d = decode_feed(x);
    assert_eq!(d.label, "utf-8");
    assert_eq!(
        d.problems,
        ["unknown encoding x-klingon in the XML declaration"]
    );
    let x = b"<?xml version=\"1.0\" encoding=\"UTF-16\"?><rss>ok</rss>";
    let d = decode_feed(x);
    assert_eq!(d.label, "utf-8");
    assert_eq!(
        d.problems,
        ["declared encoding utf-16 does not match the 8-bit bytes of the document"]
    );
}

#[test]
fn feed_byte_order_marks_and_wide_encodings() {
    // UTF-8 BOM, a declaration contradicting it.
    let x = b"\xef\xbb\xbf<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><rss>\xc3\xa9</rss>";
    let d = decode_feed(x);
    assert_eq!(d.label, "utf-8");
    assert!(
        d.text.starts_with("<?xml") && d.text.contains('é'),
        "{}",
        d.text
    );
    assert_eq!(
        d.problems,
        ["declared encoding iso-8859-1 contradicts the byte-order mark (utf-8)"]
    );
    // UTF-16 without a BOM.
    let utf16: Vec<u8> = "<rss>é</rss>"
        .encode_utf16()
        .flat_map(u16::to_be_bytes)
        .collect();
    let d = decode_feed(&utf16);
    assert_eq!(
        (d.text.as_ref(), d.label.as_str()),
        ("<rss>é</rss>", "utf-16be")
    );
    // UTF-32, with and without a BOM; a truncated tail is reported.
    let mut utf32: Vec<u8> = vec![0xFF, 0xFE, 0, 0];
    utf32.extend(
        "<rss>é</rss>"
            .chars()
            .flat_map(|c| u32::from(c).to_le_bytes()),
    );
    let d = decode_feed(&utf32);
    assert_eq!(
        (d.text.as_ref(), d.label.as_str()),
        ("<rss>é</rss>", "utf-32le")
    );
    let mut utf32: Vec<u8> = "<r>"
        .chars()
        .flat_map(|c| u32::from(c).to_be_bytes())
        .collect();
    utf32.push(0);
    let d = decode_feed(&utf32);
    assert_eq!((d.text.as_ref(), d.label.as_str()), ("<r>", "utf-32be"));
    assert_eq!(d.problems, ["bytes invalid in utf-32 were replaced"]);
}

#[test]
fn feed_undeclared_legacy_bytes_are_sniffed_with_the_narrowest_label() {
    // GB2312 (EUC-CN) text: chardetng says GBK, the narrower label is kept.
    let (gb, _, _) =
        encoding_rs::GBK.encode("<rss><title>中文新闻标题，今天的天气很好。</title></rss>");
    let d = decode_feed(&gb);
    assert_eq!(d.label, "gb2312");
    assert!(d.text.contains("中文新闻"), "{}", d.text);
    assert_eq!(
        d.problems,
        ["the document is not valid utf-8 and declares no encoding; decoded as gb2312"]
    );
}

#[test]
fn feed_c1_controls_become_windows_1252_punctuation() {
    let d = decode_feed("<rss>don\u{92}t \u{93}quote\u{94}</rss>".as_bytes());
    assert_eq!(d.text, "<rss>don\u{2019}t \u{201c}quote\u{201d}</rss>");
    assert_eq!(c1_as_windows_1252('\u{96}'), '\u{2013}');
    assert_eq!(c1_as_windows_1252('é'), 'é');
    // Positions windows-1252 leaves undefined stay as they are.
    assert_eq!(c1_as_windows_1252('\u{81}'), '\u{81}');
}

// ---- plain text (ingest) ----

#[test]
fn plain_text_is_utf8_else_windows_1252() {
    let t = decode_plain_text("\u{feff}déjà".as_bytes());
    assert_eq!(t, "déjà");
    assert!(is_borrowed!(t));
    assert_eq!(
        decode_plain_text(b"caf\xe9 \x93ok\x94"),
        "café \u{201c}ok\u{201d}"
    );
}
