//! Hostile and broken input: each gives a clear error (naming the source and
//! what was expected), never a panic, a hang or unbounded memory.

use newsdesk_ingest::feed::{parse_feed, FeedError};

fn err(bytes: &[u8]) -> FeedError {
    match parse_feed(bytes, "in.xml") {
        Ok(f) => panic!(
            "expected an error, got a feed with {} entries",
            f.entries.len()
        ),
        Err(e) => {
            assert!(e.to_string().starts_with("in.xml: "), "{e}");
            e
        }
    }
}

#[test]
fn empty_file() {
    assert!(matches!(err(b""), FeedError::Empty { .. }));
    assert!(matches!(err(b"  \n\t "), FeedError::Empty { .. }));
    assert!(matches!(err(b"\xEF\xBB\xBF"), FeedError::Empty { .. }));
}

#[test]
fn binary_garbage() {
    let mut state = 0x2545_f491_u32;
    let garbage: Vec<u8> = (0..64 * 1024)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            (state >> 24) as u8
        })
        .collect();
    let e = err(&garbage);
    assert!(
        matches!(e, FeedError::NotAFeed { .. } | FeedError::Malformed { .. }),
        "{e}"
    );
    // Garbage after a plausible start.
    let mut v = b"<rss version=\"2.0\"><channel><title>x".to_vec();
    v.extend_from_slice(&garbage);
    let _ = parse_feed(&v, "in.xml");
}

#[test]
fn truncated_xml() {
    let e = err(b"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>T</title><item><title>One</ti");
    assert!(
        matches!(e, FeedError::Truncated { .. } | FeedError::Malformed { .. }),
        "{e}"
    );
    let e = err(b"<rss version=\"2.0\"><channel><item><title>One</title>");
    assert!(e.to_string().contains("truncated"), "{e}");
}

#[test]
fn billion_laughs() {
    let bomb = br#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title></channel></rss>"#;
    let e = err(bomb);
    assert!(matches!(e, FeedError::EntityExpansion { .. }), "{e}");
    // Many medium expansions add up to the same budget.
    let mut many = String::from(
        "<!DOCTYPE r [<!ENTITY a \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\"><!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]><rss><channel><title>",
    );
    for _ in 0..2000 {
        many.push_str("&c;");
    }
    many.push_str("</title></channel></rss>");
    assert!(matches!(
        err(many.as_bytes()),
        FeedError::EntityExpansion { .. }
    ));
}

#[test]
fn small_declared_entities_still_work() {
    let f = parse_feed(
        b"<!DOCTYPE rss [<!ENTITY co \"Example Co\">]><rss version=\"2.0\"><channel><title>&co; news</title></channel></rss>",
        "in.xml",
    )
    .unwrap();
    assert_eq!(f.title.unwrap().value, "Example Co news");
}

#[test]
fn deep_nesting() {
    let mut doc = String::from("<rss version=\"2.0\"><channel><item><description>");
    doc.push_str(&"<div>".repeat(10_000));
    doc.push_str(&"</div>".repeat(10_000));
    doc.push_str("</description></item></channel></rss>");
    assert!(matches!(err(doc.as_bytes()), FeedError::TooDeep { .. }));
    // And deep nesting of escaped HTML inside a feed reaches the sanitizer.
    let mut escaped = String::from("<rss version=\"2.0\"><channel><item><description>");
    escaped.push_str(&"&lt;div&gt;".repeat(10_000));
    escaped.push_str("</description></item></channel></rss>");
    let f = parse_feed(escaped.as_bytes(), "in.xml").unwrap();
    assert_eq!(f.entries.len(), 1);
    // JSON nesting is bounded by serde_json's recursion limit.
    let json = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    assert!(matches!(err(json.as_bytes()), FeedError::Json { .. }));
}

#[test]
fn html_page_instead_of_a_feed() {
    let page = b"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Home</title></head>\n<body><p>Welcome<br><img src=x></body></html>";
    let e = err(page);
    assert_eq!(
        e.to_string(),
        "in.xml: not a feed: expected <rss>, <feed>, <rdf:RDF> or a JSON Feed object, found <html>"
    );
    let xhtml =
        b"<?xml version=\"1.0\"?><html xmlns=\"http://www.w3.org/1999/xhtml\"><body/></html>";
    assert!(matches!(err(xhtml), FeedError::NotAFeed { .. }));
}

#[test]
fn json_that_is_not_a_feed() {
    let e = err(br#"{"hello": "world"}"#);
    assert!(e.to_string().contains("not a feed"), "{e}");
    assert!(matches!(
        err(b"{\"version\": \"https://jsonfeed.org/version/1\", \"items\": ["),
        FeedError::Json { .. }
    ));
}
