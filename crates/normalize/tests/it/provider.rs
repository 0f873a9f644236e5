//! Registrable domains and providers, checked against the shared records.

use newsdesk_normalize::{provider_for, registrable_domain};

#[test]
fn registrable_domains() {
    let cases = [
        ("www.sify.com", Some("sify.com")),
        ("news.bbc.co.uk", Some("bbc.co.uk")),
        (
            "https://health.economictimes.indiatimes.com/news/x",
            Some("indiatimes.com"),
        ),
        ("https://abcnews.go.com/Business/x", Some("go.com")),
        ("WWW.CRN.COM.AU", Some("crn.com.au")),
        ("www.example.com:8080/path", Some("example.com")),
        ("https://user@www.example.com.:443/", Some("example.com")),
        ("bücher.de", Some("xn--bcher-kva.de")),
        ("foo.github.io", Some("foo.github.io")),
        ("co.uk", None),
        ("localhost", None),
        ("127.0.0.1", None),
        ("https://[::1]/", None),
        ("", None),
        ("not a host", None),
    ];
    for (input, expected) in cases {
        assert_eq!(registrable_domain(input).as_deref(), expected, "{input:?}");
    }
}

#[test]
fn known_unknown_and_titled_providers() {
    let p = provider_for("https://www.sify.com/finance/x.html", None).unwrap();
    assert_eq!(
        (p.name.as_str(), p.domain.as_str()),
        ("Sify.com", "sify.com")
    );
    assert!(p.images.is_empty());

    // The table wins over the site title.
    let p = provider_for(
        "https://www.zdnet.com/article/x/",
        Some("ZDNET | Tech News"),
    )
    .unwrap();
    assert_eq!(p.name, "ZDNet");

    // Well-known outlets beyond the corpus.
    for (url, name, domain) in [
        (
            "https://www.reuters.com/technology/x",
            "Reuters",
            "reuters.com",
        ),
        (
            "https://apnews.com/article/x",
            "Associated Press",
            "apnews.com",
        ),
        (
            "https://www.bbc.co.uk/news/technology-1",
            "BBC",
            "bbc.co.uk",
        ),
        (
            "https://www.theverge.com/2021/5/4/x",
            "The Verge",
            "theverge.com",
        ),
        (
            "https://techcrunch.com/2021/05/04/x/",
            "TechCrunch",
            "techcrunch.com",
        ),
        ("https://www.wired.com/story/x/", "Wired", "wired.com"),
        ("https://www.cnbc.com/2021/05/04/x.html", "CNBC", "cnbc.com"),
        (
            "https://www.bloomberg.com/news/x",
            "Bloomberg",
            "bloomberg.com",
        ),
        ("https://abcnews.go.com/Business/x", "ABC News", "go.com"),
        (
            "https://economictimes.indiatimes.com/x",
            "The Economic Times",
            "indiatimes.com",
        ),
        (
            "https://timesofindia.indiatimes.com/x",
            "The Times of India",
            "indiatimes.com",
        ),
    ] {
        let p = provider_for(url, None).unwrap();
        assert_eq!(
            (p.name.as_str(), p.domain.as_str()),
            (name, domain),
            "{url}"
        );
    }

    // Unknown site: its cleaned title, else a name from the domain.
    let p = provider_for(
        "https://www.example-news.com/a",
        Some("Example Daily - Home"),
    )
    .unwrap();
    assert_eq!(
        (p.name.as_str(), p.domain.as_str()),
        ("Example Daily", "example-news.com")
    );
    let p = provider_for("https://www.example-news.com/a", Some("Home | Latest news")).unwrap();
    assert_eq!(p.name, "Example News");
    let p = provider_for("https://blog.example-news.co.uk/a", None).unwrap();
    assert_eq!(
        (p.name.as_str(), p.domain.as_str()),
        ("Example News", "example-news.co.uk")
    );

    assert_eq!(provider_for("http://localhost:8080/x", None), None);
    assert_eq!(provider_for("", Some("Title")), None);
}

/// Records whose provider name the table corrects on purpose: the corpus name
/// is a product, a section word or a rarer variant, not the outlet.
const DELIBERATE: &[(&str, &str)] = &[
    ("findbiometrics.com", "SecuriMetrics HIIDE"),
    ("mit.edu", "news"),
    ("research-live.com", "research"),
    ("securityinfowatch.com", "Security"),
    ("apnews.com", "Associated Press News"),
    ("bloomberg.com", "Bloomberg L.P."),
];

/// For every record (and related entry) whose provider domain is the
/// registrable domain of its URL, `provider_for` gives that provider.
#[test]
fn shared_records_agree() {
    let mut eligible = 0;
    let mut agree = 0;
    let mut unexpected = Vec::new();
    for rel in ["seeds", "corpus/everyday-ai"] {
        let Some(entries) = crate::common::shared_entries(rel) else {
            return;
        };
        for e in entries {
            let (Some(name), Some(domain)) = (&e.provider_name, &e.provider_domain) else {
                continue;
            };
            let Some(url) = e.web_url.as_ref().or(e.original_url.as_ref()) else {
                continue;
            };
            if registrable_domain(url).as_deref() != Some(domain.as_str()) {
                continue;
            }
            eligible += 1;
            let ours = provider_for(url, None);
            let got = ours.as_ref().map(|p| (p.name.as_str(), p.domain.as_str()));
            if got == Some((name.as_str(), domain.as_str())) {
                agree += 1;
            } else if !DELIBERATE.contains(&(domain.as_str(), name.as_str())) {
                unexpected.push(format!(
                    "{}: {url}: {got:?}, record has {name:?} / {domain}",
                    e.file
                ));
            } else {
                println!("  deliberate: {domain}: record {name:?}, ours {got:?}");
            }
        }
    }
    println!("providers: {agree} of {eligible} eligible records agree");
    for u in &unexpected {
        println!("  disagreement: {u}");
    }
    assert!(eligible >= 150, "only {eligible} eligible records");
    assert!(
        unexpected.is_empty(),
        "{} unexpected disagreements",
        unexpected.len()
    );
}
