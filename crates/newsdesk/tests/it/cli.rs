//! The `newsdesk` command as a user runs it: real files in, a real SQLite
//! store, output read back.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::common::*;

fn examples() -> PathBuf {
    newsdesk_testkit::workspace_root().join("examples")
}

#[test]
fn examples_ingest_once_and_repeat_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let ex = examples();
    let o = newsdesk(&data, &["ingest", ex.to_str().unwrap()]);
    assert!(o.status.success(), "{}\n{}", stdout(&o), stderr(&o));
    assert!(
        stdout(&o).starts_with("5 inputs: 5 stored, 0 updated, 0 unchanged, 1 related articles added, 2 sources registered, 0 failed"),
        "{}",
        stdout(&o)
    );
    let first = jsonl(&data);
    let o = newsdesk(&data, &["ingest", ex.to_str().unwrap()]);
    assert!(o.status.success());
    assert!(
        stdout(&o).starts_with("5 inputs: 0 stored, 0 updated, 5 unchanged, 0 related articles added, 0 sources registered"),
        "{}",
        stdout(&o)
    );
    assert_eq!(jsonl(&data), first, "a repeat changes nothing");

    // What a user checks in the export.
    let rss = first
        .iter()
        .find(|a| a["guid"] == "cw-1001")
        .expect("the RSS item");
    assert_eq!(
        rss["webUrl"], "https://cloud-weekly.example.com/2021/04/cloud-spending-40-billion",
        "tracking parameters dropped"
    );
    assert_eq!(rss["publishedDateTime"], "2021-04-30T13:59:00Z");
    assert_eq!(rss["provider"]["name"], "Example Cloud Weekly");
    assert_eq!(rss["images"][0]["width"], 1200);
    let doc = first
        .iter()
        .find(|a| a["format"] == "document")
        .expect("the document");
    assert_eq!(
        doc["related"].as_array().unwrap(),
        &[rss["id"].clone()],
        "the related entry is the RSS item"
    );
    let atom = first.iter().find(|a| a["format"] == "atom").unwrap();
    assert_eq!(atom["title"], "Accelerator cards move into mass production");
    assert_eq!(
        atom["publishedDateTime"], "2021-05-04T06:30:00Z",
        "converted to UTC"
    );
    let text = first.iter().find(|a| a["format"] == "text").unwrap();
    assert_eq!(text["publishedDateTime"], "2021-05-05T00:00:00Z");
    assert!(text["title"]
        .as_str()
        .unwrap()
        .starts_with("Two managed model-training services launched"));
    for a in &first {
        for key in [
            "id",
            "source",
            "title",
            "excerpt",
            "webUrl",
            "ampWebUrl",
            "cdnAmpWebUrl",
            "provider",
            "publishedDateTime",
            "topics",
            "quality",
            "heat",
            "published",
            "story",
            "duplicateOf",
            "related",
        ] {
            assert!(a.get(key).is_some(), "jsonl record lacks `{key}`: {a}");
        }
    }
}

#[test]
fn the_corpus_ingests_and_seed_000_keeps_its_earlier_twin() {
    let Some(shared) = newsdesk_testkit::shared_dir() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let corpus = shared.join("corpus/everyday-ai");
    let seeds = shared.join("seeds");
    let o = newsdesk(
        &data,
        &["ingest", corpus.to_str().unwrap(), seeds.to_str().unwrap()],
    );
    // The corpus README is Markdown without front matter: read as text.
    assert!(o.status.success(), "{}\n{}", stdout(&o), stderr(&o));
    let all = jsonl(&data);
    let seed = all
        .iter()
        .find(|a| {
            a["source"]
                .as_str()
                .unwrap()
                .ends_with("000_93f67b1c04ce6a33.txt")
        })
        .expect("seed 000");
    assert_eq!(seed["quality"], 76);
    assert_eq!(seed["heat"], -1);
    assert_eq!(seed["published"], false);
    let related: Vec<&Value> = seed["related"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| {
            all.iter()
                .find(|a| a["id"] == *id)
                .expect("related ids resolve")
        })
        .collect();
    assert_eq!(related.len(), 4);
    let twin = related
        .iter()
        .find(|r| r["title"] == seed["title"])
        .expect("seed 000's related list holds its own earlier copy");
    assert_eq!(twin["provider"]["domain"], "sify.com");
    assert_eq!(twin["publishedDateTime"], "2021-05-02T05:10:00Z");
    assert_eq!(twin["quality"], 56);
    assert_ne!(twin["webUrl"], seed["webUrl"]);
    // The desk agrees with the site: seed 000 is a re-post of its twin.
    assert_eq!(seed["duplicateOf"], twin["id"], "{}", seed["analysis"]);
    assert_eq!(twin["duplicateOf"], Value::Null);
    assert_eq!(seed["story"], twin["story"]);
    assert!(
        seed["analysis"]
            .as_str()
            .unwrap()
            .starts_with("copy of article"),
        "{}",
        seed["analysis"]
    );
    // Every article is analysed and has a story.
    assert!(all.iter().all(|a| a["story"].is_i64()));

    // Seed 001's related excerpt is repaired: `Canalysâ€™` becomes `Canalys’`.
    let crn = all
        .iter()
        .find(|a| {
            a["webUrl"]
                .as_str()
                .is_some_and(|u| u.contains("crn.com.au"))
        })
        .unwrap();
    let excerpt = crn["excerpt"].as_str().unwrap();
    assert!(excerpt.starts_with("Canalys’ latest cloud"), "{excerpt}");

    // Seed 002, the raw text: dated by its first line, titled from its text.
    let raw = all
        .iter()
        .find(|a| a["format"] == "text" && a["source"].as_str().unwrap().contains("002_"))
        .unwrap();
    assert_eq!(raw["publishedDateTime"], "2020-11-08T00:00:00Z");
    assert!(raw["title"]
        .as_str()
        .unwrap()
        .starts_with("In the third quarter of 2020, Alibaba Cloud"));

    let o = newsdesk(&data, &["stats", "--json"]);
    let stats: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(stats["articles"].as_u64().unwrap() >= 198);
    assert!(stats["by_provider"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p[0] == "sify.com"));
}

#[test]
fn exported_documents_check_clean_and_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = dir.path().join("_news");
    let ex = examples();
    assert!(newsdesk(&data, &["ingest", ex.to_str().unwrap()])
        .status
        .success());
    let o = newsdesk(
        &data,
        &["export", "--format", "docs", out.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(
        names.contains(&"2021-05-04-cloud-spending-passes-40-billion-in-a-quarter.md".to_string()),
        "{names:?}"
    );
    assert!(
        names.contains(&"2021-04-30-cloud-spending-passes-40-billion-in-a-quarter.md".to_string()),
        "{names:?}"
    );
    let o = newsdesk(
        &data,
        &["docs", "check", "--roundtrip", out.to_str().unwrap()],
    );
    let report = stdout(&o);
    assert!(!report.contains("would change"), "{report}");
    // The raw note has no URL or provider, and `docs check` says so.
    assert!(report.contains("webUrl: required"), "{report}");
    let doc = std::fs::read_to_string(
        out.join("2021-05-04-cloud-spending-passes-40-billion-in-a-quarter.md"),
    )
    .unwrap();
    assert!(doc.starts_with(
        "---\ncategory: news\ntitle: \"Cloud spending passes $40 billion in a quarter\"\n"
    ));
    assert!(
        doc.contains("\nrelated:\n  - title: \"Cloud spending passes $40 billion in a quarter\"\n")
    );
    assert!(doc.ends_with("\n---\n\n"));
}

#[test]
fn docs_check_reports_line_and_field_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.md");
    std::fs::write(
        &bad,
        "---\ntitle: \"T\"\npublishedDateTime: 0000-00-00\nwebUrl: \"https://x.test/a\"\n---\n",
    )
    .unwrap();
    let relative = dir.path().join("relative.md");
    std::fs::write(
        &relative,
        "---\ntitle: \"T\"\npublishedDateTime: 2021-01-01T00:00:00Z\nwebUrl: \"/a/b\"\n\nprovider:\n  name: X\n  domain: x.test\n---\n",
    )
    .unwrap();
    // Valid, but written with two spaces after a colon: re-writing changes line 2.
    let spaced = dir.path().join("spaced.md");
    std::fs::write(
        &spaced,
        "---\ntitle:  \"T\"\npublishedDateTime: 2021-01-01T00:00:00Z\nwebUrl: https://x.test/b\n\nprovider:\n  name: X\n  domain: x.test\n---\n\n",
    )
    .unwrap();
    let good = dir.path().join("good.md");
    std::fs::write(
        &good,
        "---\ntitle: T\npublishedDateTime: 2021-01-01T00:00:00Z\nwebUrl: https://x.test/a\n\nprovider:\n  name: X\n  domain: x.test\n---\n\n",
    )
    .unwrap();
    let o = newsdesk(
        dir.path(),
        &[
            "docs",
            "check",
            "--roundtrip",
            bad.to_str().unwrap(),
            relative.to_str().unwrap(),
            spaced.to_str().unwrap(),
            good.to_str().unwrap(),
        ],
    );
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.contains("bad.md:3: publishedDateTime: expected an RFC 3339 date-time"),
        "{out}"
    );
    assert!(
        out.contains("relative.md:4: webUrl: expected an absolute http(s) URL, found `/a/b`"),
        "{out}"
    );
    assert!(
        out.contains("spaced.md:2: would change when re-written"),
        "{out}"
    );
    assert!(
        !out.contains("good.md"),
        "plain-style document is valid and round-trips: {out}"
    );
    let o = newsdesk(dir.path(), &["docs", "check", good.to_str().unwrap()]);
    assert!(o.status.success());
}

/// A file of `n` bytes without writing them (sparse where supported).
fn big_file(path: &Path, n: u64) {
    let f = std::fs::File::create(path).unwrap();
    f.set_len(n).unwrap();
}

#[test]
fn bad_inputs_fail_with_reasons_and_the_rest_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let inp = dir.path().join("in");
    std::fs::create_dir(&inp).unwrap();
    let w = |name: &str, bytes: &[u8]| std::fs::write(inp.join(name), bytes).unwrap();
    w("good.md", b"---\ntitle: \"Good\"\npublishedDateTime: 2021-01-01T00:00:00Z\nwebUrl: \"https://x.test/good\"\n---\n\n");
    w("good.xml", br#"<rss version="2.0"><channel><title>F</title><item><title>Item</title><link>https://x.test/item</link></item></channel></rss>"#);
    w("nbsp.xml", br#"<rss version="2.0"><channel><title>F</title><item><title>Caf&eacute;&nbsp;news</title><link>https://x.test/nbsp</link></item></channel></rss>"#);
    w("empty.xml", b"");
    w(
        "binary.bin",
        &[0u8, 159, 146, 150, 0, 1, 2, 3, 255, 254, 0, 0],
    );
    w(
        "truncated.xml",
        br#"<?xml version="1.0"?><rss version="2.0"><channel><title>Cut</title><item><title>Half"#,
    );
    w("latin1.md", b"---\ntitle: \"Caf\xe9\"\npublishedDateTime: 2021-01-01T00:00:00Z\nwebUrl: \"https://x.test/cafe\"\n---\n");
    w(
        "bad-yaml.md",
        b"---\ntitle: \"unterminated\npublishedDateTime: 2021-01-01T00:00:00Z\n---\n",
    );
    w(
        "zero-date.md",
        b"---\ntitle: \"Z\"\npublishedDateTime: 0000-00-00\nwebUrl: \"https://x.test/z\"\n---\n",
    );
    w("zero-date.txt", b"date 0000-00-00\nSome text.");
    let laughs = {
        let mut s =
            String::from("<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n<!ENTITY lol \"lol\">\n");
        s.push_str("<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n");
        for i in 2..10 {
            let prev = format!("&lol{};", i - 1);
            s.push_str(&format!("<!ENTITY lol{i} \"{}\">\n", prev.repeat(10)));
        }
        s.push_str("]>\n<rss version=\"2.0\"><channel><title>&lol9;</title></channel></rss>");
        s
    };
    w("laughs.xml", laughs.as_bytes());
    let deep = format!(
        "<rss version=\"2.0\"><channel>{}</channel></rss>",
        "<x>".repeat(100_000)
    );
    w("deep.xml", deep.as_bytes());
    big_file(&inp.join("huge.xml"), 100 * 1024 * 1024);

    let data = dir.path().join("data");
    let o = newsdesk(&data, &["ingest", inp.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let err = stderr(&o);
    let failed: Vec<&str> = err.lines().filter(|l| l.starts_with("failed: ")).collect();
    let expect = [
        ("binary.bin", "binary"),
        ("empty.xml", "empty"),
        ("huge.xml", "too large"),
        ("latin1.md", "UTF-8"),
        ("bad-yaml.md", "line 2"),
        ("zero-date.md", "publishedDateTime"),
        ("zero-date.txt", "0000-00-00"),
    ];
    for (file, reason) in expect {
        let line = failed
            .iter()
            .find(|l| l.contains(file))
            .unwrap_or_else(|| panic!("no failure line for {file}:\n{err}"));
        assert!(
            line.to_lowercase().contains(&reason.to_lowercase()),
            "{file}: {line}"
        );
    }
    // The XML attacks and the cut feed end in an error or a bounded result,
    // never a hang or a panic; whatever they give, the good inputs are stored.
    assert!(!err.contains("panicked"), "{err}");
    let all = jsonl(&data);
    let titles: Vec<&str> = all.iter().map(|a| a["title"].as_str().unwrap()).collect();
    assert!(
        titles.contains(&"Good") && titles.contains(&"Item"),
        "{titles:?}"
    );
    for a in &all {
        assert!(
            a["title"].as_str().unwrap().len() < 10_000,
            "entity expansion is bounded"
        );
    }
}

#[test]
fn an_interrupted_ingest_leaves_every_input_whole_or_absent() {
    let Some(reuters) = newsdesk_testkit::shared("data/reuters-21578") else {
        return;
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&reuters)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "sgm"))
        .collect();
    files.sort();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    // Killed twice mid-ingest: each time once one more file than before is
    // committed (watched in the store, not guessed from a delay, so a slow
    // machine does not kill it before it starts).
    let committed = || -> i64 {
        rusqlite::Connection::open_with_flags(
            data.join("newsdesk.sqlite3"),
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .and_then(|c| c.query_row("SELECT COUNT(*) FROM sources", [], |r| r.get(0)))
        .unwrap_or(0)
    };
    for _ in 0..2 {
        let want = committed() + 1;
        let mut child = cli()
            .command(Some(&data))
            .arg("ingest")
            .arg("--quiet")
            .args(&files)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
        while committed() < want
            && std::time::Instant::now() < deadline
            && child.try_wait().unwrap().is_none()
        {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        let _ = child.kill();
        let _ = child.wait();
    }
    let stored = committed();
    assert!(
        stored >= 2 && stored < files.len() as i64,
        "killed mid-ingest: {stored} of {} files stored",
        files.len()
    );
    // Every Reuters file is stored with all its stories or not at all.
    let conn = rusqlite::Connection::open(data.join("newsdesk.sqlite3")).unwrap();
    let mut stmt = conn
        .prepare("SELECT s.locator, COUNT(a.id) FROM sources s LEFT JOIN articles a ON a.source_id = s.id GROUP BY s.locator")
        .unwrap();
    let rows: Vec<(String, i64)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(|r| r.unwrap())
        .collect();
    for (locator, n) in &rows {
        let bytes = std::fs::read(locator).unwrap();
        let mut stories = bytes.windows(9).filter(|w| w == b"<REUTERS ").count() as i64;
        if locator.ends_with("reut2-012.sgm") {
            stories -= 1; // story 12793 has no text
        }
        assert_eq!(*n, stories, "{locator}: {n} of {stories} stories stored");
    }
    // And a full run afterwards completes the rest without duplicating.
    let mut args = vec!["ingest", "--quiet"];
    args.extend(files.iter().map(|f| f.to_str().unwrap()));
    let o = newsdesk(&data, &args);
    assert!(o.status.success(), "{}", stdout(&o));
    assert!(stdout(&o).contains("0 failed"), "{}", stdout(&o));
    let total: i64 = conn
        .query_row("SELECT COUNT(*) FROM articles", [], |r| r.get(0))
        .unwrap();
    // Story 12793 is empty (an UNPROC story with no text): reported, not stored.
    assert!(
        stderr(&o).contains("story 12793: no title and no text"),
        "{}",
        stderr(&o)
    );
    assert_eq!(total, 21_577);
}

#[test]
fn a_generated_newsroom_ingests_with_every_article_found() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("newsroom");
    let data = dir.path().join("data");
    generate(
        &data,
        &out,
        &["--events", "30", "--providers", "12", "--seed", "7"],
    );
    let truth = json_lines(&std::fs::read_to_string(out.join("truth.jsonl")).unwrap());
    assert!(truth.len() > 30);
    let o = newsdesk(&data, &["ingest", out.join("feeds").to_str().unwrap()]);
    assert!(o.status.success(), "{}\n{}", stdout(&o), stderr(&o));
    let stored = jsonl(&data);
    let urls: std::collections::HashSet<&str> =
        stored.iter().filter_map(|a| a["webUrl"].as_str()).collect();
    for t in &truth {
        // Re-posts may carry tracking parameters; the desk drops them.
        let url = t["url"].as_str().unwrap();
        let clean = url.split("?utm_").next().unwrap();
        assert!(urls.contains(clean), "{url} was not stored");
    }
    // Corrections and same-URL re-posts update an article instead of adding
    // one; everything else is an article of its own.
    let same_url = truth
        .iter()
        .filter(|t| t["kind"] == "correction" || t["url"].as_str().unwrap().contains("?utm_"))
        .count();
    assert!(stored.len() <= truth.len());
    assert_eq!(
        stored.len(),
        truth.len() - same_url,
        "one article per distinct URL"
    );
}

/// Writes a generated newsroom into `out` (feeds/ and truth.jsonl).
fn generate(data: &Path, out: &Path, args: &[&str]) {
    let mut all = vec!["generate", out.to_str().unwrap()];
    all.extend_from_slice(args);
    let o = newsdesk(data, &all);
    assert!(o.status.success(), "{}", stderr(&o));
}

fn eval_stories(data: &Path, truth: &Path) -> Value {
    let o = newsdesk(
        data,
        &[
            "eval",
            "stories",
            "--truth",
            truth.to_str().unwrap(),
            "--json",
        ],
    );
    assert!(o.status.success(), "{}\n{}", stdout(&o), stderr(&o));
    serde_json::from_str(&stdout(&o)).expect("one JSON object")
}

#[test]
fn a_generated_newsroom_is_grouped_into_stories_with_copies_found() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("newsroom");
    let data = dir.path().join("data");
    generate(
        &data,
        &out,
        &[
            "--events",
            "120",
            "--providers",
            "30",
            "--days",
            "4",
            "--seed",
            "11",
        ],
    );
    // Two runs, so the second rebuilds the desk's memory from the store.
    let mut feeds: Vec<PathBuf> = std::fs::read_dir(out.join("feeds"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    feeds.sort();
    let (first, second) = feeds.split_at(feeds.len() / 2);
    for part in [first, second] {
        let mut args = vec!["ingest", "--quiet"];
        args.extend(part.iter().map(|p| p.to_str().unwrap()));
        let o = newsdesk(&data, &args);
        assert!(o.status.success(), "{}\n{}", stdout(&o), stderr(&o));
        assert!(stdout(&o).contains("analysis: "), "{}", stdout(&o));
    }
    let score = eval_stories(&data, &out.join("truth.jsonl"));
    let bcubed = score["stories"]["bcubed"]["f1"].as_f64().unwrap();
    let dup_p = score["duplicates"]["scores"]["precision"].as_f64().unwrap();
    let dup_r = score["duplicates"]["scores"]["recall"].as_f64().unwrap();
    assert!(bcubed >= 0.95, "B-cubed F1 {bcubed}: {score}");
    assert!(dup_p >= 0.99, "duplicate precision {dup_p}: {score}");
    assert!(dup_r >= 0.95, "duplicate recall {dup_r}: {score}");
    assert_eq!(score["missing"], 0);

    // Copies are kept but not published, heat -1, and say why.
    let all = jsonl(&data);
    let copies: Vec<&Value> = all.iter().filter(|a| !a["duplicateOf"].is_null()).collect();
    assert!(!copies.is_empty());
    for c in &copies {
        assert_eq!(c["published"], false);
        assert_eq!(c["heat"], -1);
        assert!(c["analysis"]
            .as_str()
            .unwrap()
            .starts_with("copy of article"));
    }
    // Related coverage: the story's other articles, other providers first.
    let by_id: std::collections::HashMap<i64, &Value> =
        all.iter().map(|a| (a["id"].as_i64().unwrap(), a)).collect();
    let mut checked = 0;
    for a in all.iter().filter(|a| a["duplicateOf"].is_null()) {
        let related = a["related"].as_array().unwrap();
        let members = all.iter().filter(|b| b["story"] == a["story"]).count();
        if members < 3 {
            continue;
        }
        assert!(!related.is_empty(), "{a}");
        assert!(related.len() <= 8);
        let first = by_id[&related[0].as_i64().unwrap()];
        assert_eq!(first["story"], a["story"], "its own story comes first");
        let other = all.iter().any(|b| {
            b["story"] == a["story"] && b["provider"]["domain"] != a["provider"]["domain"]
        });
        if other {
            assert_ne!(first["provider"]["domain"], a["provider"]["domain"]);
        }
        checked += 1;
    }
    assert!(checked > 50, "{checked}");

    // Documents carry the related list in the seeds' layout.
    let docs = dir.path().join("docs");
    let o = newsdesk(
        &data,
        &["export", "--format", "docs", docs.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let with_related = std::fs::read_dir(&docs)
        .unwrap()
        .filter(|e| {
            std::fs::read_to_string(e.as_ref().unwrap().path())
                .unwrap()
                .contains("\nrelated:\n  - title: ")
        })
        .count();
    assert!(with_related > 50, "{with_related}");
}

#[test]
fn articles_stored_but_not_analysed_are_analysed_on_the_next_run() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("newsroom");
    let data = dir.path().join("data");
    generate(
        &data,
        &out,
        &["--events", "40", "--providers", "10", "--seed", "3"],
    );
    let feeds = out.join("feeds");
    let o = newsdesk(&data, &["ingest", "--quiet", feeds.to_str().unwrap()]);
    assert!(o.status.success());
    let before = jsonl(&data);
    // As after a crash between storing a batch and analysing it.
    let conn = rusqlite::Connection::open(data.join("newsdesk.sqlite3")).unwrap();
    let lost = conn
        .execute(
            "DELETE FROM article_analysis WHERE article_id IN (SELECT article_id FROM article_analysis ORDER BY article_id DESC LIMIT 25)",
            [],
        )
        .unwrap();
    assert_eq!(lost, 25);
    let o = newsdesk(&data, &["ingest", "--quiet", feeds.to_str().unwrap()]);
    assert!(o.status.success());
    assert!(
        stdout(&o).contains("analysis: 25 articles analysed"),
        "{}",
        stdout(&o)
    );
    let pending: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM articles a LEFT JOIN article_analysis x ON x.article_id = a.id WHERE x.article_id IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(pending, 0);
    let after = jsonl(&data);
    let placed = |v: &[Value]| -> Vec<(Value, Value)> {
        v.iter()
            .map(|a| (a["story"].clone(), a["duplicateOf"].clone()))
            .collect()
    };
    // The re-analysed articles land where they were (same copies; stories
    // may be renumbered only if they started a story of their own).
    let same = placed(&before)
        .iter()
        .zip(placed(&after).iter())
        .filter(|(a, b)| a == b)
        .count();
    assert!(
        same + 25 >= before.len(),
        "{same} of {} unchanged",
        before.len()
    );
    let copies = |v: &[Value]| v.iter().filter(|a| !a["duplicateOf"].is_null()).count();
    assert_eq!(copies(&before), copies(&after));
}

#[test]
fn deferred_analysis_waits_for_newsdesk_analyse() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let ex = examples();
    let o = newsdesk(
        &data,
        &[
            "ingest",
            "--quiet",
            "--defer-analysis",
            ex.to_str().unwrap(),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("analysis: deferred"), "{}", stdout(&o));
    assert!(jsonl(&data).iter().all(|a| a["story"].is_null()));
    // Indexing waits too: the changes sit in the outbox.
    let o = newsdesk(&data, &["index", "check"]);
    assert!(!o.status.success(), "{}", stdout(&o));
    let o = newsdesk(&data, &["analyse"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with("analysis: 5 articles analysed"),
        "{}",
        stdout(&o)
    );
    let all = jsonl(&data);
    assert!(all.iter().all(|a| a["story"].is_i64()));
    // The example document re-posts the RSS item published days before it.
    let doc = all.iter().find(|a| a["format"] == "document").unwrap();
    let rss = all.iter().find(|a| a["guid"] == "cw-1001").unwrap();
    assert_eq!(doc["duplicateOf"], rss["id"], "{}", doc["analysis"]);
    assert_eq!(doc["published"], false);
    let o = newsdesk(&data, &["index", "check"]);
    assert!(o.status.success(), "{}{}", stdout(&o), stderr(&o));
    // Nothing is left to do.
    let o = newsdesk(&data, &["analyse"]);
    assert!(
        stdout(&o).starts_with("analysis: 0 articles analysed"),
        "{}",
        stdout(&o)
    );
}
