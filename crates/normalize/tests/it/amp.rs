//! AMP cache URLs: the published rules, the seed values, and the corpus.

use newsdesk_normalize::{amp_cache_label, cdn_amp_url, NormalizeError};

#[test]
fn labels_follow_the_published_rules() {
    let cases = [
        ("something.com", "something-com"),
        ("www.sify.com", "www-sify-com"),
        ("hello-world.com", "hello--world-com"),
        ("hello--world.com", "hello----world-com"),
        ("amp-cloud.de", "amp--cloud-de"),
        ("health.economictimes.indiatimes.com", "health-economictimes-indiatimes-com"),
        // IDN: Unicode, then back to punycode as a single label.
        ("xn--bcher-kva.ch", "xn--bcher-ch-65a"),
        // A wholly right-to-left domain stays readable.
        (
            "xn--4gbrim.xn----rmckbbajlc6dj7bxne2c.xn--wgbh1c",
            "xn-------i5fvcbaopc6fkc0de0d9jybegt6cd",
        ),
        // `--` at positions 3-4 of a non-IDN label is wrapped.
        ("en-us.example.com", "0-en--us-example-com-0"),
        // Hash fallbacks: no dot, too long, mixed directions.
        ("toplevelnohyphens", "qsgpfjzulvuaxb66z77vlhb5gu2irvcnyp6t67cz6tqo5ae6fysa"),
        ("no-dot-domain", "4lxc7wqq7b25walg4rdiil62veijrmqui5z3ept2lyfqqwpowryq"),
        (
            "itwasadarkandstormynight.therainfellintorrents.exceptatoccasionalintervalswhenitwascheckedby.aviolentgustofwindwhichsweptupthestreets.com",
            "dgz4cnrxufaulnwku4ow5biptyqnenjievjht56hd7wqinbdbteq",
        ),
        (
            "hello.xn--4gbrim.xn----rmckbbajlc6dj7bxne2c.xn--wgbh1c",
            "a6h5moukddengbsjm77rvbosevwuduec2blkjva4223o4bgafgla",
        ),
    ];
    for (host, expected) in cases {
        assert_eq!(amp_cache_label(host), expected, "{host}");
    }
}

#[test]
fn over_long_labels_use_the_52_character_hash() {
    // 60 characters of host become 62 with the doubled hyphens: still fine.
    let fits = format!("{}-b.com", "a".repeat(54));
    let label = amp_cache_label(&fits);
    assert!(label.starts_with("aaaa") && label.len() <= 63, "{label}");
    // A host whose label would pass 63 characters falls back.
    let host = format!("{}.example-news.com", "a".repeat(50));
    let label = amp_cache_label(&host);
    assert_eq!(label.len(), 52, "{label}");
    assert!(label
        .bytes()
        .all(|b| b.is_ascii_lowercase() || (b'2'..=b'7').contains(&b)));
    assert_ne!(label, amp_cache_label("b.example-news.com"));
}

#[test]
fn http_pages_have_no_s_segment() {
    assert_eq!(
        cdn_amp_url("http://www.example.com/index.html").unwrap(),
        "https://www-example-com.cdn.ampproject.org/c/www.example.com/index.html"
    );
    assert_eq!(
        cdn_amp_url("https://www.example.com/index.html").unwrap(),
        "https://www-example-com.cdn.ampproject.org/c/s/www.example.com/index.html"
    );
    assert_eq!(
        cdn_amp_url("https://example.com/g?value=Hello%20World").unwrap(),
        "https://example-com.cdn.ampproject.org/c/s/example.com/g?value=Hello%20World"
    );
    assert_eq!(
        cdn_amp_url("https://點看.com").unwrap(),
        "https://xn---com-k47jg78q.cdn.ampproject.org/c/s/點看.com"
    );
    assert_eq!(
        cdn_amp_url("  https://amp-cloud.de/x  ").unwrap(),
        "https://amp--cloud-de.cdn.ampproject.org/c/s/amp-cloud.de/x"
    );
}

#[test]
fn non_http_amp_urls_are_errors() {
    let err = cdn_amp_url("ftp://example.com/a").unwrap_err();
    assert!(
        matches!(err, NormalizeError::UnsupportedScheme { .. }),
        "{err:?}"
    );
    assert!(cdn_amp_url("").is_err());
    assert!(cdn_amp_url("example.com/amp").is_err());
}

#[test]
fn seed_values() {
    let cases = [
        (
            "https://www.sify.com/finance/aws-leads-42b-global-cloud-services-market-in-q1-microsoft-2nd-news-topnews-vfefSNjjjicci.html",
            "https://www-sify-com.cdn.ampproject.org/c/s/www.sify.com/finance/aws-leads-42b-global-cloud-services-market-in-q1-microsoft-2nd-news-topnews-vfefSNjjjicci.html",
        ),
        (
            "https://venturebeat.com/2021/05/04/microsoft-windows-and-azure-can-be-a-business-lifeline-this-training-shows-you-how/amp/",
            "https://venturebeat-com.cdn.ampproject.org/c/s/venturebeat.com/2021/05/04/microsoft-windows-and-azure-can-be-a-business-lifeline-this-training-shows-you-how/amp/",
        ),
        (
            "https://www.zdnet.com/google-amp/article/microsoft-new-open-source-tool-could-stop-your-ai-from-getting-hacked/",
            "https://www-zdnet-com.cdn.ampproject.org/c/s/www.zdnet.com/google-amp/article/microsoft-new-open-source-tool-could-stop-your-ai-from-getting-hacked/",
        ),
        (
            "https://www.telecomtv.com/content/cloud-native/mycom-osi-s-assurance-cloud-service-launches-on-microsoft-azure-41394/amp/",
            "https://www-telecomtv-com.cdn.ampproject.org/c/s/www.telecomtv.com/content/cloud-native/mycom-osi-s-assurance-cloud-service-launches-on-microsoft-azure-41394/amp/",
        ),
    ];
    for (amp, cdn) in cases {
        assert_eq!(cdn_amp_url(amp).as_deref(), Ok(cdn), "{amp}");
    }
}

/// Every `cdnAmpWebUrl` in the shared records equals `cdn_amp_url(ampWebUrl)`.
#[test]
fn shared_records_agree() {
    let mut checked = 0;
    let mut mismatches = Vec::new();
    for rel in ["seeds", "corpus/everyday-ai"] {
        let Some(entries) = crate::common::shared_entries(rel) else {
            return;
        };
        for e in entries {
            let (Some(amp), Some(cdn)) = (&e.amp_web_url, &e.cdn_amp_web_url) else {
                continue;
            };
            checked += 1;
            match cdn_amp_url(amp) {
                Ok(ours) if ours == *cdn => {}
                other => {
                    mismatches.push(format!("{}: {amp} -> {other:?}, record has {cdn}", e.file))
                }
            }
        }
    }
    println!(
        "amp cache urls: {} of {checked} agree",
        checked - mismatches.len()
    );
    for m in &mismatches {
        println!("  mismatch: {m}");
    }
    assert!(
        checked >= 80,
        "only {checked} ampWebUrl/cdnAmpWebUrl pairs found"
    );
    assert!(mismatches.is_empty(), "{} mismatches", mismatches.len());
}
