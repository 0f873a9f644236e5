//! The pages' charts and the sources' OPML export, over small desks filled
//! through the desk library and the store: a story's heat history as the
//! editorial step stored it, each source's articles a day as the store
//! counts them, and the OPML export read back by the desk's own import.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use newsdesk_desk::ingest::{ingest, IngestOptions};
use newsdesk_desk::{DeskPaths, Editorial, KeySource};
use newsdesk_server::{router, AppState, Metrics, ServerConfig};
use newsdesk_store::prelude::*;
use newsdesk_store::{Batch, SourceInfo, SqliteStore, Store};

use crate::common;
use crate::web::{page, parse, unescape};

fn app(dir: &std::path::Path) -> axum::Router {
    let state = AppState::open(
        &ServerConfig {
            data_dir: dir.to_path_buf(),
            base_url: "https://desk.example/".into(),
            readers: 1,
        },
        Arc::new(Metrics::default()),
    )
    .unwrap();
    router(Arc::new(state))
}

/// A seed-format document published at `at`.
fn document(title: &str, domain: &str, at: DateTime<Utc>) -> String {
    format!(
        "---\ncategory: news\ntitle: {title:?}\nexcerpt: \"Amazon Web Services launches a machine learning service for cloud AI developers\"\npublishedDateTime: {date}\nwebUrl: \"https://{domain}/news/1\"\ntype: article\n\nprovider:\n  name: {domain:?}\n  domain: {domain}\n\ntopics:\n  - AI\n---\n",
        date = at.format("%Y-%m-%dT%H:%M:%SZ"),
    )
}

/// The values of the `<td class="num">` cells of the page's heat table.
fn charted_heats(body: &str) -> Vec<i64> {
    let table = &body[body.find("Heat as numbers").expect("the chart's numbers")..];
    let table = &table[..table.find("</table>").unwrap()];
    table
        .split("<td class=\"num\">")
        .skip(1)
        .map(|c| c[..c.find('<').unwrap()].parse().unwrap())
        .collect()
}

#[tokio::test]
async fn the_story_page_charts_the_heat_the_editorial_step_stored() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = tempfile::tempdir().unwrap();
    let start = Utc::now() - Duration::hours(1);
    let file = inputs.path().join("story.txt");
    std::fs::write(
        &file,
        document(
            "AWS launches a machine learning service",
            "one.example",
            start,
        ),
    )
    .unwrap();
    let paths = DeskPaths::new(dir.path(), KeySource::default());
    let sum = ingest(&paths, &[file], &IngestOptions::default(), &mut ()).unwrap();
    assert_eq!(sum.stored, 1, "{sum:?}");
    let story = {
        let s = SqliteStore::open(dir.path()).unwrap();
        s.articles_after(0, 10).unwrap()[0]
            .story
            .expect("in a story")
    };
    let uri = format!("/stories/{story}");
    let app = app(dir.path());

    // Decided once: one sample, said in words rather than drawn.
    let body = page(&app, &uri).await;
    assert!(body.contains("Heat over time"), "{body}");
    assert!(body.contains("One heat sample so far"), "{body}");
    assert!(!body.contains("class=\"chart-dot\""));

    // The editorial step re-heats the story as the clock moves on (each
    // time in a later ten-minute window, so each keeps its own sample).
    let now = Utc::now();
    for hours in [2, 4, 7] {
        let mut s = SqliteStore::open(dir.path()).unwrap();
        let editorial = Editorial::load(dir.path(), &s).unwrap();
        let done = editorial
            .decide_pending(&mut s, now + Duration::hours(hours))
            .unwrap();
        assert!(done.stories >= 1, "re-heated at +{hours} h: {done:?}");
    }
    let stored = SqliteStore::open(dir.path())
        .unwrap()
        .story_heat_history(story, 100)
        .unwrap();
    assert_eq!(stored.len(), 4, "{stored:?}");

    let body = page(&app, &uri).await;
    assert!(!body.contains("One heat sample so far"));
    assert_eq!(body.matches("class=\"chart-dot\"").count(), 4);
    assert_eq!(
        charted_heats(&body),
        stored.iter().map(|h| h.heat).collect::<Vec<_>>()
    );
    // Viewing does not measure again: the history is as it was.
    let after = SqliteStore::open(dir.path())
        .unwrap()
        .story_heat_history(story, 100)
        .unwrap();
    assert_eq!(after, stored);
    // What a screen reader hears names the range and the times.
    let (parsed, _) = parse(&body);
    let labels = parsed.attr("svg", "aria-label");
    let first = stored[0].heat;
    let last = stored[3].heat;
    let label = unescape(labels.first().expect("an svg with a label"));
    assert!(
        label.starts_with(&format!("Heat from {first} to {last} between "))
            && label.contains("UTC"),
        "{label}"
    );
}

#[tokio::test]
async fn the_sources_page_charts_each_sources_articles_a_day() {
    let dir = tempfile::tempdir().unwrap();
    let now = Utc::now();
    let today = now.date_naive();
    // Articles per source per days-ago; one outside the 30 days.
    let plan: [(&str, &[(i64, usize)]); 3] = [
        (
            "https://busy.example/feed.xml",
            &[(0, 3), (1, 1), (5, 4), (29, 2), (31, 6)],
        ),
        ("https://quiet.example/rss", &[(2, 1)]),
        ("https://silent.example/atom", &[]),
    ];
    {
        let mut s = SqliteStore::open(dir.path()).unwrap();
        for (url, days) in plan {
            let source = SourceInfo {
                locator: url.into(),
                kind: "rss".into(),
                title: Some(url.split('/').nth(2).unwrap().to_string()),
            };
            s.follow_source(&source, now).unwrap();
            let mut articles = Vec::new();
            for (ago, n) in days {
                for i in 0..*n {
                    // Noon of that day, so that "days ago" is one UTC day.
                    let day = today - Duration::days(*ago);
                    let at =
                        day.and_hms_opt(12, 0, 0).unwrap().and_utc() - Duration::minutes(i as i64);
                    articles.push(newsdesk_model::Article {
                        title: format!("{url} {ago} {i}"),
                        published_at: Some(at),
                        web_url: Some(format!("{url}/{ago}/{i}")),
                        ..Default::default()
                    });
                }
            }
            if !articles.is_empty() {
                s.ingest(&Batch { source, articles }, now).unwrap();
            }
        }
    }
    let since = today - Duration::days(29);
    let counts = SqliteStore::open(dir.path())
        .unwrap()
        .source_daily_counts(since, today)
        .unwrap();
    let body = page(&app(dir.path()), "/sources").await;
    assert!(
        body.contains("href=\"/sources.opml\""),
        "the export is linked"
    );
    for (url, days) in plan {
        let row = &body[body.find(&format!("href=\"{url}\"")).expect(url)..];
        let row = &row[..row.find("</tr>").unwrap()];
        // Every day of the 30 is drawn, zeros included, with its count.
        let (parsed, _) = parse(row);
        let drawn: Vec<(NaiveDate, u64)> = parsed
            .attr("rect", "data-day")
            .iter()
            .zip(parsed.attr("rect", "data-count"))
            .map(|(d, n)| (d.parse().unwrap(), n.parse().unwrap()))
            .collect();
        assert_eq!(drawn.len(), 30, "{url}");
        assert_eq!(drawn[0].0, since);
        assert_eq!(drawn[29].0, today);
        let from_store: BTreeMap<NaiveDate, u64> = counts
            .iter()
            .filter(|c| c.source == url)
            .map(|c| (c.day, c.articles))
            .collect();
        let nonzero: BTreeMap<NaiveDate, u64> =
            drawn.iter().copied().filter(|(_, n)| *n > 0).collect();
        assert_eq!(nonzero, from_store, "{url}");
        let planned: BTreeMap<NaiveDate, u64> = days
            .iter()
            .filter(|(ago, _)| *ago < 30)
            .map(|(ago, n)| (today - Duration::days(*ago), *n as u64))
            .collect();
        assert_eq!(nonzero, planned, "{url}");
        let total: u64 = planned.values().sum();
        assert!(
            row.contains(&format!(">{total} in 30 days<")),
            "{url}: {row}"
        );
    }
}

#[tokio::test]
async fn the_opml_export_is_read_back_by_the_desks_import() {
    let dir = tempfile::tempdir().unwrap();
    let now = Utc::now();
    let followed = [
        (
            "https://a.example/feed.xml",
            Some("Alpha & \"Beta\" <news>"),
        ),
        ("https://b.example/rss?x=1&y=2", Some("Bravo's feed")),
        ("https://c.example/atom", None),
    ];
    {
        let mut s = SqliteStore::open(dir.path()).unwrap();
        for (url, title) in followed {
            s.follow_source(
                &SourceInfo {
                    locator: url.into(),
                    kind: "subscription".into(),
                    title: title.map(str::to_string),
                },
                now,
            )
            .unwrap();
        }
    }
    let exported = SqliteStore::open(dir.path())
        .unwrap()
        .followed_sources()
        .unwrap();
    let (status, headers, body) =
        common::exchange(&app(dir.path()), "GET", "/sources.opml", &[], "").await;
    assert_eq!(status, axum::http::StatusCode::OK);
    assert!(headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/x-opml"));
    let text = String::from_utf8(body).unwrap();
    assert!(text.starts_with("<?xml") && text.contains("<opml version=\"2.0\">"));
    assert!(!text.contains("<news>"), "titles escaped: {text}");
    assert_eq!(text.matches("<outline ").count(), 3);

    // A fresh desk imports the file and follows the same sources.
    let other = tempfile::tempdir().unwrap();
    let file = other.path().join("sources.opml");
    std::fs::write(&file, &text).unwrap();
    let data = other.path().join("desk");
    let paths = DeskPaths::new(&data, KeySource::default());
    let imported = newsdesk_desk::sources::import(&paths, &file, now).unwrap();
    assert_eq!(imported.new, 3, "{imported:?}");
    assert!(imported.skipped.is_empty(), "{imported:?}");
    let back = SqliteStore::open(&data)
        .unwrap()
        .followed_sources()
        .unwrap();
    let pairs = |v: &[newsdesk_store::FollowedSource]| -> Vec<(String, String)> {
        v.iter()
            .map(|s| {
                (
                    s.locator.clone(),
                    s.title.clone().unwrap_or_else(|| s.locator.clone()),
                )
            })
            .collect()
    };
    assert_eq!(pairs(&back), pairs(&exported));
}
