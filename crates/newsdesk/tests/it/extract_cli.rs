//! `newsdesk extract` as a user runs it: page files in (plain and gzip), one
//! JSON object per file out.

use std::io::Write;

use serde_json::Value;

use crate::common::*;

const PAGE: &str = r#"<!doctype html>
<html lang="en-gb"><head><meta charset="utf-8">
<title>Harbour reopens - Coast Gazette</title>
<meta property="og:title" content="Harbour reopens after storm">
<meta property="og:image" content="/img/harbour.jpg">
<meta name="author" content="Ann Lee">
<link rel="canonical" href="https://coast.example/news/harbour-reopens">
<link rel="amphtml" href="/amp/news/harbour-reopens">
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article><h1>Harbour reopens after storm</h1>
<p>The harbour reopened on Tuesday morning, three days after the storm tore two pontoons from their moorings.</p>
<p>Fishing boats were the first to leave, and the ferry is expected to run a full timetable from Thursday.</p>
<div class="share-bar"><a href="/share">Share on social media</a></div>
</article>
<footer><p>© Coast Gazette. All rights reserved. Contact us at the office on the quay.</p></footer>
</body></html>"#;

#[test]
fn extract_prints_one_object_per_file_plain_and_gzip() {
    let dir = tempfile::tempdir().unwrap();
    let plain = dir.path().join("page.html");
    std::fs::write(&plain, PAGE).unwrap();
    let gz = dir.path().join("page.html.gz");
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(PAGE.as_bytes()).unwrap();
    std::fs::write(&gz, enc.finish().unwrap()).unwrap();

    let o = bare(&[
        "extract",
        plain.to_str().unwrap(),
        gz.to_str().unwrap(),
        "--url",
        "https://coast.example/2021/03/09/harbour",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let lines = json_lines(&stdout(&o));
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["file"], plain.to_str().unwrap());
    assert_eq!(lines[1]["file"], gz.to_str().unwrap());
    for v in &lines {
        assert_eq!(v["title"], "Harbour reopens after storm");
        let text = v["text"].as_str().unwrap();
        assert!(
            text.starts_with("The harbour reopened on Tuesday"),
            "{text}"
        );
        assert!(text.contains("full timetable from Thursday."), "{text}");
        assert!(
            !text.contains("Share on social") && !text.contains("rights reserved"),
            "{text}"
        );
        assert_eq!(v["published"], "2021-03-09T00:00:00Z", "from the URL");
        assert_eq!(v["author"], "Ann Lee");
        assert_eq!(v["image"], "https://coast.example/img/harbour.jpg");
        assert_eq!(v["canonical"], "https://coast.example/news/harbour-reopens");
        assert_eq!(v["amp"], "https://coast.example/amp/news/harbour-reopens");
        assert_eq!(v["language"], "en-GB");
    }
}

#[test]
fn extract_reports_bad_files_and_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.html");
    std::fs::write(&good, PAGE).unwrap();
    let empty = dir.path().join("empty.html");
    std::fs::write(&empty, "  \n").unwrap();
    let missing = dir.path().join("missing.html");
    let o = bare(&[
        "extract",
        missing.to_str().unwrap(),
        empty.to_str().unwrap(),
        good.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains("missing.html") && err.contains("cannot read"),
        "{err}"
    );
    assert!(err.contains("empty.html") && err.contains("empty"), "{err}");
    let out = String::from_utf8(o.stdout).unwrap();
    assert_eq!(out.lines().count(), 1);
    let v: Value = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(v["published"], Value::Null);
    assert_eq!(
        v["amp"],
        Value::Null,
        "a relative link without a page URL is not resolved"
    );
    assert_eq!(v["canonical"], "https://coast.example/news/harbour-reopens");
    assert_eq!(
        v["image"], "https://coast.example/img/harbour.jpg",
        "resolved against the canonical URL"
    );
}
