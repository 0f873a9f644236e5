//! Hand-written pages: each metadata source, charsets, and hostile input.

use newsdesk_extract::{extract, extract_with_charset, ExtractError};

const BODY: &str = "<p>The council approved the new budget on Monday evening, after a debate that lasted more than four hours.</p>\
<p>Spending on roads rises by a tenth, while the library keeps its Sunday opening for another year.</p>";

fn page(head: &str, body: &str) -> String {
    format!("<!doctype html><html><head>{head}</head><body>{body}</body></html>")
}

fn date(html: &str, url: Option<&str>) -> Option<String> {
    extract(html.as_bytes(), url)
        .unwrap()
        .published
        .map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string())
}

#[test]
fn publication_date_sources_in_order() {
    let ld = r#"<script type="application/ld+json">{"@context":"https://schema.org","@graph":[{"@type":"WebPage"},
        {"@type":"NewsArticle","headline":"Budget","datePublished":"2020-05-04T09:30:00+02:00"}]}</script>"#;
    let meta = r#"<meta property="article:published_time" content="2020-05-03T10:00:00Z">"#;
    let time = r#"<time datetime="2020-05-02T08:00:00Z" pubdate>2 May</time>"#;
    // A full date in the URL wins over all of them (tests/it/dates.rs); meta
    // tags over JSON-LD, as htmldate reads them.
    let url = Some("https://news.example/budget");
    assert_eq!(
        date(&page(&format!("{ld}{meta}"), &format!("{time}{BODY}")), url).as_deref(),
        Some("2020-05-03T10:00:00Z")
    );
    assert_eq!(
        date(&page(ld, &format!("{time}{BODY}")), url).as_deref(),
        Some("2020-05-04T07:30:00Z")
    );
    assert_eq!(
        date(&page("", &format!("{time}{BODY}")), url).as_deref(),
        Some("2020-05-02T08:00:00Z")
    );
    assert_eq!(
        date(
            &page(
                "",
                &format!("<article><time datetime=\"2020-05-02\">x</time>{BODY}</article>")
            ),
            None
        )
        .as_deref(),
        Some("2020-05-02T00:00:00Z")
    );
    assert_eq!(
        date(
            &page("", BODY),
            Some("https://news.example/2020/05/01/budget")
        )
        .as_deref(),
        Some("2020-05-01T00:00:00Z")
    );
    assert_eq!(
        date(&page("", BODY), Some("https://news.example/budget")),
        None
    );
    // A date that does not parse is skipped, not fatal.
    let bad = r#"<meta property="article:published_time" content="yesterday"><meta name="parsely-pub-date" content="2020-05-06T00:00:00Z">"#;
    assert_eq!(
        date(&page(bad, BODY), None).as_deref(),
        Some("2020-05-06T00:00:00Z")
    );
}

#[test]
fn lead_image_sources_in_order() {
    let image = |head: &str, body: &str| {
        extract(
            page(head, body).as_bytes(),
            Some("https://news.example/a/b"),
        )
        .unwrap()
        .image
    };
    assert_eq!(
        image(r#"<meta property="og:image" content="/og.jpg"><meta name="twitter:image" content="/tw.jpg">"#, BODY).as_deref(),
        Some("https://news.example/og.jpg")
    );
    assert_eq!(
        image(r#"<meta name="twitter:image" content="tw.jpg">"#, BODY).as_deref(),
        Some("https://news.example/a/tw.jpg")
    );
    assert_eq!(
        image(r#"<script type="application/ld+json">{"@type":"Article","image":{"@type":"ImageObject","url":"https://cdn.example/ld.jpg"}}</script>"#, BODY).as_deref(),
        Some("https://cdn.example/ld.jpg")
    );
    let body = format!(
        r#"<article><img src="/logo.png"><img src="/small.jpg" width="40" height="40">{BODY}<img data-src="/big.jpg" src="data:image/gif;base64,R0l" width="800"></article>"#
    );
    assert_eq!(
        image("", &body).as_deref(),
        Some("https://news.example/big.jpg")
    );
    assert_eq!(image("", BODY), None);
}

#[test]
fn canonical_and_amp_resolved_against_the_url() {
    let head = r#"<link rel="canonical" href="../story?utm_source=x&amp;id=7"><link rel="amphtml" href="//amp.news.example/story">"#;
    let e = extract(
        page(head, BODY).as_bytes(),
        Some("https://news.example/a/b/page"),
    )
    .unwrap();
    assert_eq!(
        e.canonical.as_deref(),
        Some("https://news.example/a/story?id=7")
    );
    assert_eq!(e.amp.as_deref(), Some("https://amp.news.example/story"));
    // Without a URL only absolute links are kept.
    let e = extract(page(head, BODY).as_bytes(), None).unwrap();
    assert_eq!(
        (e.canonical, e.amp.as_deref()),
        (None, Some("https://amp.news.example/story"))
    );
}

#[test]
fn author_sources() {
    let author =
        |head: &str, body: &str| extract(page(head, body).as_bytes(), None).unwrap().author;
    assert_eq!(
        author(r#"<script type="application/ld+json">{"@type":"NewsArticle","author":[{"@type":"Person","name":"Ann Lee"},{"name":"Bo Chen"}]}</script><meta name="author" content="Desk">"#, BODY).as_deref(),
        Some("Ann Lee, Bo Chen")
    );
    assert_eq!(
        author(r#"<meta name="author" content="By  Ann Lee">"#, BODY).as_deref(),
        Some("Ann Lee")
    );
    assert_eq!(
        author(
            r#"<meta name="author" content="Ann Lee | May 2, 2020">"#,
            BODY
        )
        .as_deref(),
        Some("Ann Lee")
    );
    assert_eq!(
        author(
            r#"<meta property="article:author" content="https://facebook.com/x">"#,
            &format!(
                r#"<span itemprop="author"><span itemprop="name">Bo Chen</span></span>{BODY}"#
            )
        )
        .as_deref(),
        Some("Bo Chen")
    );
    assert_eq!(
        author(
            "",
            &format!(r#"<a rel="author" href="/staff/cy">Cy Dee</a>{BODY}"#)
        )
        .as_deref(),
        Some("Cy Dee")
    );
    assert_eq!(author("", BODY), None);
}

#[test]
fn language_and_title() {
    let e = extract(
        page("<title>Budget passes | Town Times</title>", BODY)
            .replace("<html>", "<html lang=\"de_at\">")
            .as_bytes(),
        None,
    )
    .unwrap();
    assert_eq!(e.language.as_deref(), Some("de-AT"));
    assert_eq!(e.title.as_deref(), Some("Budget passes | Town Times"));
    let e = extract(
        page(
            r#"<meta http-equiv="Content-Language" content="fr">"#,
            &format!("<h1>Le budget</h1>{BODY}"),
        )
        .as_bytes(),
        None,
    )
    .unwrap();
    assert_eq!(e.language.as_deref(), Some("fr"));
    assert_eq!(e.title.as_deref(), Some("Le budget"));
    let e = extract(
        page(r#"<meta property="og:locale" content="pt_BR">"#, BODY).as_bytes(),
        None,
    )
    .unwrap();
    assert_eq!(e.language.as_deref(), Some("pt-BR"));
}

#[test]
fn boilerplate_is_left_out() {
    let body = format!(
        r#"<header><a href="/">Town Times</a></header><nav><ul><li><a href="/a">News</a></li><li><a href="/b">Sport</a></li></ul></nav>
        <main><article><h1>Budget passes</h1><div class="byline">By Ann Lee</div>{BODY}
        <figure><img src="/x.jpg"><figcaption>The council chamber on Monday.</figcaption></figure>
        <p>Advertisement</p><p>The next meeting is on the first Monday of June, when the council will discuss parking fees.</p>
        <div class="related-stories"><h3><a href="/c">Another story about the council and its many meetings</a></h3></div></article></main>
        <aside><p>Most read: a long teaser paragraph about something else entirely, with several words in it.</p></aside>
        <footer>© Town Times 2020</footer>"#
    );
    let e = extract(page("", &body).as_bytes(), None).unwrap();
    assert_eq!(
        e.text,
        "The council approved the new budget on Monday evening, after a debate that lasted more than four hours.\n\n\
         Spending on roads rises by a tenth, while the library keeps its Sunday opening for another year.\n\n\
         The next meeting is on the first Monday of June, when the council will discuss parking fees."
    );
}

#[test]
fn credit_and_date_lines_are_left_out() {
    let body = format!(
        "<article><p>By Ann Lee</p><p>Updated: 19 November 2019, 09:01 AM</p>{BODY}\
         <p>(Reporting by Ann Lee; Editing by Bo Chen)</p><p>Copyright 2019 Town Times</p>\
         <p>Bo Chen contributed to this report.</p></article>"
    );
    let e = extract(page("", &body).as_bytes(), None).unwrap();
    assert_eq!(
        e.text,
        "The council approved the new budget on Monday evening, after a debate that lasted more than four hours.\n\n\
         Spending on roads rises by a tenth, while the library keeps its Sunday opening for another year."
    );
}

#[test]
fn charsets_are_decoded() {
    let html = b"<html><head><meta charset=\"windows-1252\"></head><body><p>Caf\xe9 owners say the new rules \x93will hurt\x94 trade, and the mayor disagrees strongly.</p></body></html>";
    let e = extract(html, None).unwrap();
    assert!(
        e.text
            .contains("Café owners say the new rules “will hurt” trade"),
        "{}",
        e.text
    );
    let koi8 = b"<p>\xf0\xd2\xc9\xd7\xc5\xd4, \xcd\xc9\xd2! \xf0\xd2\xc9\xd7\xc5\xd4, \xcd\xc9\xd2! \xf0\xd2\xc9\xd7\xc5\xd4, \xcd\xc9\xd2!</p>";
    let e = extract_with_charset(koi8, None, Some("koi8-r")).unwrap();
    assert!(e.text.starts_with("Привет, мир!"), "{}", e.text);
}

#[test]
fn hostile_input_never_panics() {
    assert_eq!(extract(b"", None), Err(ExtractError::Empty));
    assert!(matches!(
        extract(b"<p>x</p>", Some("not a url")),
        Err(ExtractError::InvalidUrl { .. })
    ));
    let mut cases: Vec<Vec<u8>> = vec![
        b"<".to_vec(),
        b"</".to_vec(),
        b"<!--".to_vec(),
        b"<![CDATA[".to_vec(),
        b"<a href='".to_vec(),
        b"<script>".to_vec(),
        b"<p>&#".to_vec(),
        b"&#x110000;&#0;&#xD800;&".to_vec(),
        b"<html><body><p>unterminated <b>bold <i>italic".to_vec(),
        b"\xff\xfe<\x00p\x00>\x00".to_vec(),
        b"\xfe\xff\x00<".to_vec(),
        b"<meta charset=\"utf-16\"><p>\xe9\xe9</p>".to_vec(),
        b"<script type=\"application/ld+json\">{\"@type\":\"Article\",\"datePublished\":[[[[[[[[[[1]]]]]]]]]]}</script>".to_vec(),
        b"<time datetime=\"99999-99-99\"></time><meta property=\"og:image\" content=\"http://[::1\">".to_vec(),
    ];
    // Deep nesting of several kinds, unclosed and closed.
    cases.push("<div>".repeat(5_000).into_bytes());
    cases.push(("<table><tr><td>".repeat(2_000) + "x").into_bytes());
    cases.push(("<a><b><i><p><li>".repeat(2_000) + &"</p></i></b></a>".repeat(2_000)).into_bytes());
    cases.push(("<div><p>text, text. ".repeat(5_000)).into_bytes());
    // Truncated real-looking pages and random bytes.
    let real = page(
        "<title>t</title><meta property=\"og:title\" content=\"x\">",
        BODY,
    )
    .into_bytes();
    for cut in (0..real.len()).step_by(7) {
        cases.push(real[..cut].to_vec());
    }
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for len in [1usize, 10, 100, 1000, 10_000] {
        let mut v = Vec::with_capacity(len);
        for _ in 0..len {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let alphabet = b"<>/=\"' a!-&#;p\xc3\xa9\xff";
            v.push(alphabet[(x % alphabet.len() as u64) as usize]);
        }
        cases.push(v);
    }
    for case in &cases {
        let _ = extract(case, Some("https://news.example/2020/01/01/x"));
        let _ = extract(case, None);
    }
}
