//! Exports over a real store.

use chrono::{TimeZone, Utc};
use newsdesk_model::Document;
use newsdesk_store::conformance::sample;
use newsdesk_store::{Batch, SourceInfo, SqliteStore, Store};

fn store_with_related() -> SqliteStore {
    let mut s = SqliteStore::open_in_memory().unwrap();
    let mut a = sample(
        "https://www.sify.com/later",
        "AWS leads $42B global Cloud services market in Q1, Microsoft 2nd",
    );
    let mut twin = sample("https://www.sify.com/earlier", &a.title);
    twin.published_at = Some(Utc.with_ymd_and_hms(2021, 5, 2, 5, 10, 0).unwrap());
    a.related = vec![twin];
    let mut same_name = sample("https://other.test/x", &a.title);
    same_name.published_at = a.published_at;
    s.ingest(
        &Batch {
            source: SourceInfo {
                locator: "in".into(),
                kind: "document".into(),
                title: None,
            },
            articles: vec![a, same_name],
        },
        Utc.with_ymd_and_hms(2021, 5, 5, 0, 0, 0).unwrap(),
    )
    .unwrap();
    s
}

#[test]
fn docs_are_named_like_the_site_and_read_back() {
    let s = store_with_related();
    let dir = tempfile::tempdir().unwrap();
    let n = newsdesk_render::export_docs(&s, dir.path(), false).unwrap();
    assert_eq!(n, 2, "the related stub is left out");
    let slug = "aws-leads-42b-global-cloud-services-market-in-q1-microsoft-2nd";
    let first = dir.path().join(format!("2021-05-04-{slug}.md"));
    let second = dir.path().join(format!("2021-05-04-{slug}-2.md"));
    assert!(first.is_file() && second.is_file());
    let doc = Document::parse(&std::fs::read_to_string(&first).unwrap()).unwrap();
    assert_eq!(doc.article.related.len(), 1);
    let rel = &doc.article.related[0];
    assert_eq!(rel.web_url.as_deref(), Some("https://www.sify.com/earlier"));
    assert!(
        rel.secured.is_none() && rel.topics.is_empty(),
        "related entries keep the related layout only"
    );
    assert_eq!(
        newsdesk_render::export_docs(&s, dir.path(), true).unwrap(),
        3
    );
    let leftovers = std::fs::read_dir(dir.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".tmp")
        })
        .count();
    assert_eq!(leftovers, 0);
}

#[test]
fn jsonl_has_every_article_and_resolvable_related_ids() {
    let s = store_with_related();
    let mut out = Vec::new();
    assert_eq!(newsdesk_render::export_jsonl(&s, &mut out).unwrap(), 3);
    let rows: Vec<serde_json::Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let related = rows[0]["related"].as_array().unwrap();
    assert_eq!(related.len(), 1);
    let target = rows.iter().find(|r| r["id"] == related[0]).unwrap();
    assert_eq!(target["stub"], true);
    assert_eq!(target["publishedDateTime"], "2021-05-02T05:10:00Z");
    assert!(rows
        .iter()
        .all(|r| r["story"].is_null() && r["duplicateOf"].is_null()));
}
