//! The exported documents are a Jekyll `_news` collection: a real Jekyll
//! (Debian's `jekyll` package, no gems fetched) builds them into a site, and
//! every page shows its document's title, dates, provider, topics and excerpt
//! as the front matter says.
//!
//! Input: the project's `examples/`, plus the seeds and the corpus when
//! `../shared` is present. Without `jekyll` on PATH the test skips with a
//! message, unless `NEWSDESK_REQUIRE_PEERS=1` (CI), where it fails.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use newsdesk_model::document::format_date;
use newsdesk_model::Document;

use crate::common::*;

fn jekyll_available() -> bool {
    Command::new("jekyll")
        .arg("--version")
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false)
}

/// A minimal site: the `news` collection rendered at
/// `/news/YYYY/MM/DD/slug/`, every document in one layout that prints what
/// the test checks. `strict_front_matter` turns a front matter Jekyll cannot
/// read into a failed build instead of a logged error.
const CONFIG: &str = "\
title: newsdesk export check
timezone: Etc/UTC
strict_front_matter: true
collections:
  news:
    output: true
    permalink: /news/:year/:month/:day/:title/
defaults:
  - scope:
      path: \"\"
      type: news
    values:
      layout: default
";

const LAYOUT: &str = r#"<!DOCTYPE html>
<html>
<head><meta charset="utf-8"><title>{{ page.title | escape }}</title></head>
<body>
<p id="path">{{ page.path | escape }}</p>
<p id="url">{{ page.url | escape }}</p>
<h1 id="title">{{ page.title | escape }}</h1>
<p id="date">{{ page.date | date: "%Y-%m-%d" }}</p>
<p id="published">{{ page.publishedDateTime | date: "%Y-%m-%dT%H:%M:%SZ" }}</p>
<p id="provider">{{ page.provider.name | escape }}</p>
<ul id="topics">{% for t in page.topics %}<li>{{ t | escape }}</li>{% endfor %}</ul>
<p id="excerpt">{{ page.excerpt | escape }}</p>
<div id="content">
{{ content }}
</div>
</body>
</html>
"#;

/// What one built page shows.
#[derive(Debug)]
struct Page {
    file: PathBuf,
    url: String,
    title: String,
    date: String,
    published: String,
    provider: String,
    topics: Vec<String>,
    excerpt: String,
}

fn between<'a>(html: &'a str, open: &str, close: &str) -> Option<&'a str> {
    let start = html.find(open)? + open.len();
    let len = html[start..].find(close)?;
    Some(&html[start..start + len])
}

/// Undoes Liquid's `escape` (CGI.escapeHTML).
fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

fn read_page(file: &Path) -> Option<(String, Page)> {
    let html = std::fs::read_to_string(file).ok()?;
    let field = |id: &str| {
        between(&html, &format!("<p id=\"{id}\">"), "</p>")
            .map(unescape)
            .unwrap_or_default()
    };
    let path = field("path");
    let topics = between(&html, "<ul id=\"topics\">", "</ul>")
        .unwrap_or_default()
        .split("<li>")
        .filter_map(|li| li.strip_suffix("</li>"))
        .map(unescape)
        .collect();
    let page = Page {
        file: file.to_path_buf(),
        url: field("url"),
        title: between(&html, "<h1 id=\"title\">", "</h1>")
            .map(unescape)
            .unwrap_or_default(),
        date: field("date"),
        published: field("published"),
        provider: field("provider"),
        topics,
        excerpt: field("excerpt"),
    };
    Some((path, page))
}

/// Every built page of the collection, by its source path (`_news/NAME.md`).
fn built_pages(site: &Path) -> HashMap<String, Page> {
    let mut pages = HashMap::new();
    let mut stack = vec![site.join("news")];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "html") {
                let (path, page) = read_page(&p).expect("a page the layout wrote");
                assert!(
                    pages.insert(path.clone(), page).is_none(),
                    "two pages for {path}"
                );
            }
        }
    }
    pages
}

fn jekyll_build(site: &Path, dest: &str, unpublished: bool) -> (HashMap<String, Page>, String) {
    let mut cmd = Command::new("jekyll");
    cmd.current_dir(site)
        .args(["build", "--source", ".", "--destination", dest])
        .env("JEKYLL_ENV", "production")
        .env_remove("BUNDLE_GEMFILE");
    if unpublished {
        cmd.arg("--unpublished");
    }
    let o = cmd.output().expect("run jekyll");
    let log = both(&o);
    assert!(o.status.success(), "jekyll build failed:\n{log}");
    (built_pages(&site.join(dest)), log)
}

/// Fails on anything Jekyll logged as a problem.
fn assert_clean(log: &str) {
    for bad in [
        "Error",
        "error:",
        "Warning",
        "YAML Exception",
        "Invalid date",
    ] {
        assert!(!log.contains(bad), "jekyll reported a problem:\n{log}");
    }
}

fn skip_without_jekyll() -> bool {
    if jekyll_available() {
        return false;
    }
    if std::env::var("NEWSDESK_REQUIRE_PEERS").as_deref() == Ok("1") {
        panic!(
            "jekyll is required (NEWSDESK_REQUIRE_PEERS=1): apt-get install -y --no-install-recommends jekyll"
        );
    }
    eprintln!("skipped: jekyll is not on PATH (Debian: apt-get install jekyll)");
    true
}

/// Ingests `inputs` with the real binary, exports the documents into
/// `DIR/site/_news` and writes the site around them. Returns the site folder
/// and the exported documents by file name.
fn export_site(dir: &Path, inputs: &[PathBuf], config: &str) -> (PathBuf, Vec<(String, Document)>) {
    let data = dir.join("data");
    let mut args = vec!["ingest"];
    args.extend(inputs.iter().map(|p| p.to_str().unwrap()));
    let o = newsdesk(&data, &args);
    assert!(o.status.success(), "{}", both(&o));

    let site = dir.join("site");
    let news = site.join("_news");
    let o = newsdesk(
        &data,
        &["export", "--format", "docs", news.to_str().unwrap()],
    );
    assert!(o.status.success(), "{}", both(&o));
    std::fs::write(site.join("_config.yml"), config).unwrap();
    std::fs::create_dir_all(site.join("_layouts")).unwrap();
    std::fs::write(site.join("_layouts/default.html"), LAYOUT).unwrap();

    let mut docs: Vec<(String, Document)> = std::fs::read_dir(&news)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .map(|p| {
            let name = p.file_name().unwrap().to_str().unwrap().to_string();
            let text = std::fs::read_to_string(&p).unwrap();
            let doc = Document::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
            (name, doc)
        })
        .collect();
    docs.sort_by(|a, b| a.0.cmp(&b.0));
    (site, docs)
}

/// Where a built page disagrees with its document (one line each).
fn disagreements(docs: &[(String, Document)], pages: &HashMap<String, Page>) -> Vec<String> {
    let mut wrong = Vec::new();
    for (name, doc) in docs {
        let Some(page) = pages.get(&format!("_news/{name}")) else {
            wrong.push(format!("{name}: no page"));
            continue;
        };
        let a = &doc.article;
        let mut check = |what: &str, got: &str, want: &str| {
            if got != want {
                wrong.push(format!(
                    "{name} ({}): {what}: the page shows {got:?}, the document says {want:?}",
                    page.file.display()
                ));
            }
        };
        // The file name's date is the page's date and is in its URL.
        let day = &name[..10];
        check("date", &page.date, day);
        let prefix = format!("/news/{}/", day.replace('-', "/"));
        if !page.url.starts_with(&prefix) {
            check("url", &page.url, &format!("{prefix}..."));
        }
        if !a.title.is_empty() {
            check("title", &page.title, &a.title);
        }
        let published = a.published_at.as_ref().map(format_date).unwrap_or_default();
        check("publishedDateTime", &page.published, &published);
        let provider = a.provider.as_ref().map(|p| p.name.as_str()).unwrap_or("");
        check("provider.name", &page.provider, provider);
        check("topics", &page.topics.join(" | "), &a.topics.join(" | "));
        if let Some(x) = &a.excerpt {
            check("excerpt", &page.excerpt, x);
        }
    }
    wrong
}

/// One seed-format input document (YAML double-quoted escapes allowed in
/// `title`, `excerpt` and the provider name).
fn awkward_doc(dir: &Path, n: u32, title: &str, excerpt: &str, provider: &str, topics: &[&str]) {
    let topics: String = topics.iter().map(|t| format!("  - \"{t}\"\n")).collect();
    let doc = format!(
        "---\ncategory: news\ntitle: \"{title}\"\nexcerpt: \"{excerpt}\"\n\
         publishedDateTime: 2021-06-0{n}T0{n}:30:00Z\n\
         webUrl: \"https://awkward.example.com/{n}\"\ntype: article\nquality: 50\nheat: 10\npublished: true\n\n\
         provider:\n  name: \"{provider}\"\n  domain: awkward.example.com\n\ntopics:\n{topics}---\n"
    );
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join(format!("2021-06-0{n}-awkward-{n}.md")), doc).unwrap();
}

#[test]
fn jekyll_builds_the_exported_documents() {
    if skip_without_jekyll() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // Text that YAML reads as something else unless the writer quotes it.
    let awkward = dir.path().join("awkward");
    awkward_doc(
        &awkward,
        1,
        "Breaking: AI \\\"wins\\\" #1 at 50% & more {{ page.title }} {% raw %}",
        "yes",
        "& Co: Ltd #1",
        &[
            "yes",
            "- dash",
            "#tag",
            "AI: Policy",
            "null",
            "*star",
            "[list]",
            "{map}",
        ],
    );
    awkward_doc(
        &awkward,
        2,
        "no",
        "C:\\\\path\\\\to 'single' \\\"double\\\" — ümlaut 日本語 🚀 \\t tab",
        "@handle",
        &["on", "~", "!tag", "%pct", "`tick", "|pipe", ">gt", "'quote"],
    );
    let mut inputs = vec![newsdesk_testkit::workspace_root().join("examples"), awkward];
    if let Some(shared) = newsdesk_testkit::shared_dir() {
        inputs.push(shared.join("seeds"));
        inputs.push(shared.join("corpus/everyday-ai"));
    }
    let (site, docs) = export_site(dir.path(), &inputs, CONFIG);
    assert!(docs.len() >= 6, "{} documents exported", docs.len());

    // All documents, unpublished ones included.
    let (pages, log) = jekyll_build(&site, "_site", true);
    assert_clean(&log);
    assert_eq!(pages.len(), docs.len(), "one page per exported document");
    let wrong = disagreements(&docs, &pages);
    assert!(
        wrong.is_empty(),
        "{} of {} pages disagree with their documents:\n{}",
        wrong.len(),
        docs.len(),
        wrong.join("\n")
    );

    // A plain build leaves out what the desk did not publish: the seed
    // format's `published` is Jekyll's own front matter switch.
    let (pages, log) = jekyll_build(&site, "_site_published", false);
    assert_clean(&log);
    let want: Vec<&String> = docs
        .iter()
        .filter(|(_, d)| d.article.published != Some(false))
        .map(|(n, _)| n)
        .collect();
    assert_eq!(pages.len(), want.len());
    for name in want {
        assert!(pages.contains_key(&format!("_news/{name}")), "{name}");
    }
}

/// Values YAML readers misread unless the document writer quotes or escapes
/// them (crates/model/src/yaml.rs): `U+FFFE` / `U+FFFF` (not allowed in
/// YAML at all), `U+2028` / `U+2029` (line breaks to YAML 1.1) and plain
/// scalars that YAML 1.1 reads as numbers (`3.10`, `1,000`, `12:30`,
/// `0x1F`, `010`, `+1` would become 3.1, 1000, 45000, 31, 8, 1).
#[test]
fn jekyll_reads_awkward_front_matter_values() {
    if skip_without_jekyll() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let awkward = dir.path().join("awkward");
    awkward_doc(
        &awkward,
        1,
        "Nonchar \\uFFFE in a title",
        "and \\uFFFF in an excerpt",
        "Fine",
        &["AI"],
    );
    awkward_doc(
        &awkward,
        2,
        "Separator in a provider name",
        "x",
        "Line\\u2028Sep",
        &["Para\\u2029Sep"],
    );
    awkward_doc(
        &awkward,
        3,
        "Numbers in plain scalars",
        "x",
        "3.10",
        &["1,000", "12:30", "0x1F", "010", "+1"],
    );
    // Not strict: a front matter Jekyll cannot read shows up as a page
    // without it, and every field is compared.
    let config = CONFIG.replace("strict_front_matter: true\n", "");
    let (site, docs) = export_site(dir.path(), &[awkward], &config);
    let (pages, _) = jekyll_build(&site, "_site", true);
    let wrong = disagreements(&docs, &pages);
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
