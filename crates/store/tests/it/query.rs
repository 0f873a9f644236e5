//! Serving queries over a real SQLite store: filters, both orders, cursors
//! that walk every article exactly once, and bad cursors refused.

use chrono::{Duration, TimeZone, Utc};
use newsdesk_store::conformance::{sample, store_decided};
use newsdesk_store::prelude::*;
use newsdesk_store::{ArticleQuery, Cursor, Decision, Sort, SqliteStore, Store, StoryHeat};

fn store() -> (SqliteStore, Vec<i64>) {
    let mut s = SqliteStore::open_in_memory().unwrap();
    let now = Utc.with_ymd_and_hms(2021, 5, 10, 0, 0, 0).unwrap();
    let articles = (0..30)
        .map(|i| {
            let mut a = sample(&format!("https://example.com/{i}"), &format!("Story {i}"));
            a.related.clear();
            a.published_at = if i % 10 == 9 {
                None
            } else {
                Some(now - Duration::hours(i as i64 * 7 % 50))
            };
            a.provider.as_mut().unwrap().domain = if i % 3 == 0 { "a.com" } else { "b.com" }.into();
            a
        })
        .collect();
    let heats: Vec<StoryHeat> = (0..5)
        .map(|story| StoryHeat {
            story,
            heat: [40, 90, 10, 90, 60][story as usize],
            detail: "{}".into(),
            newest: None,
        })
        .collect();
    let ids = store_decided(
        &mut s,
        articles,
        now,
        |_, id| id % 5,
        |i, _| Decision {
            id: 0,
            config: "c".into(),
            topics: if i % 2 == 0 {
                vec!["AI".into()]
            } else {
                vec!["Cloud".into(), "AI".into()]
            },
            quality: (i as i64 * 13) % 100,
            published: i % 4 != 3,
            pinned: i == 7,
            heat: 0,
            detail: "{}".into(),
        },
        &heats,
    );
    (s, ids)
}

fn walk(s: &SqliteStore, q: &ArticleQuery) -> Vec<newsdesk_store::StoredArticle> {
    let mut out = Vec::new();
    let mut q = q.clone();
    loop {
        let page = s.query_articles(&q).unwrap();
        assert!(page.articles.len() <= q.limit);
        out.extend(page.articles);
        match page.next {
            Some(n) => q.after = Some(Cursor::decode(&n, q.sort).unwrap()),
            None => return out,
        }
    }
}

#[test]
fn heat_order_pins_first_then_hottest_and_pages_cover_everything_once() {
    let (s, ids) = store();
    let all = walk(
        &s,
        &ArticleQuery {
            limit: 4,
            ..ArticleQuery::default()
        },
    );
    assert_eq!(all.len(), ids.len());
    let mut seen: Vec<i64> = all.iter().map(|a| a.id).collect();
    seen.sort();
    assert_eq!(seen, ids);
    assert!(all[0].pinned, "the pinned article leads");
    assert!(
        all.iter()
            .all(|a| a.article.body.is_none() && a.editorial.is_none()),
        "a list carries no full text"
    );
    assert!(s.article(ids[0]).unwrap().unwrap().article.body.is_some());
    let keys: Vec<(bool, i64, i64)> = all
        .iter()
        .map(|a| (a.pinned, a.article.heat.unwrap_or(-1), a.id))
        .collect();
    let mut sorted = keys.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(keys, sorted);
}

#[test]
fn time_order_and_filters() {
    let (s, _) = store();
    let q = ArticleQuery {
        sort: Sort::Time,
        limit: 3,
        topic: Some("Cloud".into()),
        published: Some(true),
        ..ArticleQuery::default()
    };
    let got = walk(&s, &q);
    assert!(!got.is_empty());
    for a in &got {
        assert!(a.article.topics.contains(&"Cloud".to_string()));
        assert_eq!(a.article.published, Some(true));
    }
    let times: Vec<String> = got
        .iter()
        .map(|a| {
            a.article
                .published_at
                .map(|t| t.to_rfc3339())
                .unwrap_or_default()
        })
        .collect();
    let mut sorted = times.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(times, sorted, "newest first, undated last");
    let whole = s
        .query_articles(&ArticleQuery {
            topic: Some("Cloud".into()),
            published: Some(true),
            limit: 100,
            ..ArticleQuery::default()
        })
        .unwrap();
    assert_eq!(whole.articles.len(), got.len());
    assert!(whole.next.is_none());

    let from = Utc.with_ymd_and_hms(2021, 5, 9, 0, 0, 0).unwrap();
    let recent = s
        .query_articles(&ArticleQuery {
            from: Some(from),
            provider: Some("a.com".into()),
            min_quality: Some(20),
            limit: 100,
            ..ArticleQuery::default()
        })
        .unwrap();
    assert!(!recent.articles.is_empty());
    for a in &recent.articles {
        assert!(a.article.published_at.unwrap() >= from);
        assert_eq!(a.article.provider.as_ref().unwrap().domain, "a.com");
        assert!(a.article.quality.unwrap() >= 20);
    }
    let none = s
        .query_articles(&ArticleQuery {
            topic: Some("No such topic".into()),
            limit: 10,
            ..ArticleQuery::default()
        })
        .unwrap();
    assert!(none.articles.is_empty() && none.next.is_none());

    let topics = s.topic_counts().unwrap();
    assert_eq!(topics[0].name, "AI");
    assert_eq!(topics[0].articles, 30);
    assert_eq!(topics[1].name, "Cloud");
    assert_eq!(topics[1].articles, 15);
}

#[test]
fn bad_cursors_are_refused() {
    for bad in ["", "zz", "abc", "68", &"61".repeat(200), "747c787c31"] {
        assert!(Cursor::decode(bad, Sort::Heat).is_err(), "{bad}");
    }
    let heat = Cursor::Heat {
        pinned: true,
        heat: 5,
        id: 9,
    }
    .encode();
    assert_eq!(
        Cursor::decode(&heat, Sort::Heat).unwrap(),
        Cursor::Heat {
            pinned: true,
            heat: 5,
            id: 9
        }
    );
    let err = Cursor::decode(&heat, Sort::Time).unwrap_err();
    assert!(err.to_string().contains("another sort"), "{err}");
}
