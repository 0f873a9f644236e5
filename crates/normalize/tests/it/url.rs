//! Canonical URLs and link resolution.

use newsdesk_normalize::{canonical_url, resolve_url, NormalizeError};

#[test]
fn canonical_forms() {
    let cases = [
        // Case, default ports, trimming.
        ("  HTTPS://WWW.Example.COM:443/Path  ", "https://www.example.com/Path"),
        ("http://example.com:80/", "http://example.com/"),
        ("http://example.com:8080/a", "http://example.com:8080/a"),
        ("https://example.com", "https://example.com/"),
        // IDN hosts to punycode.
        ("https://bücher.de/katalog", "https://xn--bcher-kva.de/katalog"),
        ("https://點看.com/", "https://xn--c1yn36f.com/"),
        // Fragments dropped, hashbang routes kept.
        ("https://example.com/a#section-2", "https://example.com/a"),
        ("https://example.com/#!/story/42", "https://example.com/#!/story/42"),
        // Tracking parameters, order of the rest kept, case-insensitive keys.
        (
            "https://example.com/a?utm_source=tw&id=7&UTM_Medium=x&b=2&fbclid=abc",
            "https://example.com/a?id=7&b=2",
        ),
        (
            "https://example.com/?z=1&gclid=1&a=2&mc_cid=3&mc_eid=4&_hsenc=5&_hsmi=6",
            "https://example.com/?z=1&a=2",
        ),
        ("https://example.com/a?utm_campaign=x", "https://example.com/a"),
        ("https://example.com/a?", "https://example.com/a"),
        ("https://example.com/a?&&id=1&", "https://example.com/a?id=1"),
        ("https://example.com/a?ref=home", "https://example.com/a?ref=home"),
        ("https://example.com/a?%75tm_source=x&q=1", "https://example.com/a?q=1"),
        // Dot segments.
        ("https://example.com/a/./b/../c", "https://example.com/a/c"),
        ("https://example.com/../../x", "https://example.com/x"),
        // Percent-encoding: upper-case hex, unreserved decoded, reserved kept.
        ("https://example.com/%7euser/a%2fb", "https://example.com/~user/a%2Fb"),
        ("https://example.com/%41%42c?q=%e2%82%ac", "https://example.com/ABc?q=%E2%82%AC"),
        ("https://example.com/caf%C3%A9", "https://example.com/caf%C3%A9"),
        ("https://example.com/café", "https://example.com/caf%C3%A9"),
        // The seed URLs are already canonical.
        (
            "https://www.sify.com/finance/aws-leads-42b-global-cloud-services-market-in-q1-microsoft-2nd-news-topnews-vfefSNjjjicci.html",
            "https://www.sify.com/finance/aws-leads-42b-global-cloud-services-market-in-q1-microsoft-2nd-news-topnews-vfefSNjjjicci.html",
        ),
        (
            "https://venturebeat.com/wp-content/uploads/2021/04/sale_232555_article_image.jpg?w=1200&strip=all",
            "https://venturebeat.com/wp-content/uploads/2021/04/sale_232555_article_image.jpg?w=1200&strip=all",
        ),
    ];
    for (raw, expected) in cases {
        assert_eq!(canonical_url(raw).as_deref(), Ok(expected), "{raw:?}");
    }
}

#[test]
fn canonical_url_is_idempotent() {
    for raw in [
        "https://Example.com/a/../b?utm_x=1&k=%7e#f",
        "http://bücher.de:80/%41?x=1&&y=2",
        "https://example.com/#!/r",
    ] {
        let once = canonical_url(raw).unwrap();
        assert_eq!(canonical_url(&once).unwrap(), once, "{raw:?}");
    }
}

#[test]
fn bad_urls_are_typed_errors_naming_the_problem() {
    let err = canonical_url("ftp://example.com/file").unwrap_err();
    assert!(matches!(err, NormalizeError::UnsupportedScheme { ref scheme, .. } if scheme == "ftp"));
    assert!(err.to_string().contains("\"ftp\""), "{err}");
    assert!(err.to_string().contains("expected http or https"), "{err}");

    for raw in ["mailto:a@b.c", "javascript:alert(1)", "file:///etc/passwd"] {
        assert!(
            matches!(
                canonical_url(raw),
                Err(NormalizeError::UnsupportedScheme { .. })
            ),
            "{raw}"
        );
    }
    assert!(matches!(
        canonical_url("   "),
        Err(NormalizeError::Empty { .. })
    ));
    let err = canonical_url("not a url").unwrap_err();
    assert!(matches!(err, NormalizeError::InvalidUrl { .. }), "{err:?}");
    assert!(
        err.to_string().starts_with("invalid url \"not a url\""),
        "{err}"
    );
    assert!(canonical_url("https://exa mple.com/").is_err());
    assert!(canonical_url("http://[::1/").is_err());
}

#[test]
fn odd_inputs_do_not_panic() {
    for raw in [
        "https://",
        "http:",
        "https://%",
        "https://a.com/%",
        "https://a.com/?%zz=1",
        "https://a.com/?=",
        "https://a.com/?utm_",
        "https://a.com/#",
        "https://a.com/?#!",
        "\u{0}",
        "https://a.com/\u{202e}",
        "https://xn--.com/",
        "https://a.com/?a=%ff%fe",
    ] {
        let _ = canonical_url(raw);
    }
}

#[test]
fn links_resolve_against_the_page() {
    let base = "https://www.example.com/news/2021/story.html?utm_source=x";
    let cases = [
        (
            "../img/a.jpg",
            Some("https://www.example.com/news/img/a.jpg"),
        ),
        ("/about", Some("https://www.example.com/about")),
        (
            "//cdn.example.net/x.png",
            Some("https://cdn.example.net/x.png"),
        ),
        (
            "other.html?utm_medium=rss&p=2#c",
            Some("https://www.example.com/news/2021/other.html?p=2"),
        ),
        ("https://Other.org/a", Some("https://other.org/a")),
        ("  ", None),
        ("mailto:x@example.com", None),
        ("javascript:void(0)", None),
        ("data:image/png;base64,AAAA", None),
    ];
    for (href, expected) in cases {
        assert_eq!(resolve_url(base, href).as_deref(), expected, "{href:?}");
    }
    assert_eq!(resolve_url("not a base", "/a"), None);
    assert_eq!(resolve_url("ftp://example.com/", "/a"), None);
}
