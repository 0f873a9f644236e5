//! The conformance suite every backend passes: every method of [`Store`] and
//! of the traits [`DeskStore`] names. A backend's tests call [`run_all`] with
//! a function that makes a fresh, empty store.

use chrono::{DateTime, TimeZone, Utc};
use newsdesk_model::{Article, Image, Origin, Provider};

use crate::{
    all_search_docs, AnalysisRecord, ApiKeyStoreRow, ArticleQuery, AuditEntry, Batch, Decision,
    DeskStore, EditorAction, EditorOverride, ErrorKind, Given, HeatSample, NewWebSession, Outcome,
    Placement, PollRecord, Rule, RuleAction, SavedSearch, SealError, SearchFilters, Sort,
    SourceDayCount, SourceInfo, Store, StoreError, StoredText, StoryHeat, TextSealer,
    WebSessionToken,
};

type Check = fn(&mut dyn DeskStore);

/// Runs every check on fresh stores from `fresh`. Panics with the check's name
/// on the first failure.
pub fn run_all(fresh: &mut dyn FnMut() -> Box<dyn DeskStore>) {
    let checks: &[(&str, Check)] = &[
        ("round_trips_every_field", round_trips_every_field),
        (
            "same_input_twice_changes_nothing",
            same_input_twice_changes_nothing,
        ),
        ("changed_content_is_an_update", changed_content_is_an_update),
        ("guid_is_a_second_key", guid_is_a_second_key),
        (
            "related_entries_become_linked_articles",
            related_entries_become_linked_articles,
        ),
        (
            "a_bad_article_fails_the_whole_batch",
            a_bad_article_fails_the_whole_batch,
        ),
        (
            "stats_count_by_source_provider_day",
            stats_count_by_source_provider_day,
        ),
        (
            "cursor_walks_every_article_once",
            cursor_walks_every_article_once,
        ),
        ("sources_register_once", sources_register_once),
        (
            "an_article_twice_in_a_batch_is_stored_once",
            an_article_twice_in_a_batch_is_stored_once,
        ),
        (
            "analysis_places_copies_and_is_redone_after_updates",
            analysis_places_copies_and_is_redone_after_updates,
        ),
        (
            "decisions_keep_what_the_input_gave_and_are_redone_when_due",
            decisions_keep_what_the_input_gave_and_are_redone_when_due,
        ),
        (
            "overrides_and_rules_are_audited",
            overrides_and_rules_are_audited,
        ),
        (
            "followed_sources_keep_their_health",
            followed_sources_keep_their_health,
        ),
        (
            "queries_page_through_articles_and_count_topics",
            queries_page_through_articles_and_count_topics,
        ),
        (
            "search_outbox_holds_every_change_until_done",
            search_outbox_holds_every_change_until_done,
        ),
        (
            "api_keys_are_stored_listed_and_revoked",
            api_keys_are_stored_listed_and_revoked,
        ),
        (
            "sealing_writes_no_clear_text_and_opens_it_again",
            sealing_writes_no_clear_text_and_opens_it_again,
        ),
        ("store_info_names_the_store", store_info_names_the_store),
        (
            "heat_history_samples_every_heat_once_per_window",
            heat_history_samples_every_heat_once_per_window,
        ),
        (
            "saved_searches_are_unique_by_name_and_slug",
            saved_searches_are_unique_by_name_and_slug,
        ),
        (
            "web_sessions_expire_end_and_die_with_their_key",
            web_sessions_expire_end_and_die_with_their_key,
        ),
        (
            "source_daily_counts_group_by_source_and_day",
            source_daily_counts_group_by_source_and_day,
        ),
    ];
    for (name, check) in checks {
        let mut store = fresh();
        eprintln!("conformance: {name}");
        check(store.as_mut());
    }
}

fn t(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0)
        .single()
        .expect("valid test date")
}

fn source(locator: &str) -> SourceInfo {
    SourceInfo {
        locator: locator.into(),
        kind: "document".into(),
        title: None,
    }
}

/// Stores `articles` from one source as a decided desk would hold them, for
/// tests of what reads a decided store (queries, the server): each article
/// `i` (in order, with id `id`) joins story `story(i, id)` and gets the
/// decision `decide(i, id)` (its `id` field is set here); `heats` are the
/// stories' heats. Returns the ids in order.
pub fn store_decided(
    store: &mut dyn Store,
    articles: Vec<Article>,
    now: DateTime<Utc>,
    story: impl Fn(usize, i64) -> i64,
    decide: impl Fn(usize, i64) -> Decision,
    heats: &[StoryHeat],
) -> Vec<i64> {
    let batch = Batch {
        source: SourceInfo {
            locator: "in.xml".into(),
            kind: "rss".into(),
            title: None,
        },
        articles,
    };
    let ids: Vec<i64> = store
        .ingest(&batch, now)
        .expect("ingest")
        .outcomes
        .iter()
        .map(|(id, _)| *id)
        .collect();
    let records: Vec<AnalysisRecord> = ids
        .iter()
        .enumerate()
        .map(|(i, &id)| {
            let story = story(i, id);
            AnalysisRecord {
                id,
                version: 1,
                signature: None,
                terms: vec![],
                time: 0,
                credibility: 0,
                provider: 0,
                story,
                duplicate_of: None,
                reason: format!("joined story {story}"),
                similar: vec![],
            }
        })
        .collect();
    store
        .apply_analysis(&records, &[], now)
        .expect("apply_analysis");
    let decisions: Vec<Decision> = ids
        .iter()
        .enumerate()
        .map(|(i, &id)| Decision {
            id,
            ..decide(i, id)
        })
        .collect();
    store
        .apply_editorial(&decisions, heats, now)
        .expect("apply_editorial");
    ids
}

/// A fully populated article.
pub fn sample(url: &str, title: &str) -> Article {
    Article {
        category: Some("news".into()),
        title: title.into(),
        excerpt: Some(format!("Excerpt of {title}")),
        published_at: Some(t(2021, 5, 4, 5, 54)),
        original_url: Some(format!("{url}?utm_source=x")),
        web_url: Some(url.into()),
        amp_web_url: Some(format!("{url}/amp")),
        cdn_amp_web_url: Some("https://x-test.cdn.ampproject.org/c/s/x.test/amp".into()),
        kind: Some("article".into()),
        quality: Some(76),
        heat: Some(-1),
        published: Some(false),
        provider: Some(Provider {
            name: "Sify.com".into(),
            domain: "sify.com".into(),
            images: vec![Image {
                url: "/logo.png".into(),
                width: Some(50),
                height: Some(50),
                ..Image::default()
            }],
        }),
        topics: vec!["AWS AI".into(), "AI".into()],
        images: vec![Image {
            url: format!("{url}/lead.jpg"),
            width: Some(700),
            height: Some(466),
            is_cached: Some(true),
            title: None,
        }],
        related: Vec::new(),
        secured: Some("Y2lwaGVy;bm9uY2U=".into()),
        body: Some("Body text.\n\nSecond paragraph.".into()),
        content_html: Some("<p>Body text.</p>".into()),
        author: Some("A. Writer".into()),
        language: Some("en".into()),
        origin: Origin {
            source: "in/a.md".into(),
            format: "document".into(),
            guid: None,
        },
    }
}

fn round_trips_every_field(s: &mut dyn DeskStore) {
    let a = sample("https://www.sify.com/a", "AWS leads");
    let batch = Batch {
        source: source("in/a.md"),
        articles: vec![a.clone()],
    };
    let now = t(2021, 5, 5, 0, 0);
    let report = s.ingest(&batch, now).expect("ingest");
    assert_eq!(report.count(Outcome::Stored), 1);
    let id = report.outcomes[0].0;
    let got = s.article(id).expect("read").expect("present");
    assert_eq!(got.article, a, "every field reads back as written");
    assert_eq!(got.first_seen, now);
    assert!(!got.stub);
    assert_eq!(s.find("url:https://www.sify.com/a").unwrap(), Some(id));
    assert!(s.schema_version().unwrap() >= 1);
}

fn same_input_twice_changes_nothing(s: &mut dyn DeskStore) {
    let mut a = sample("https://x.test/1", "One");
    a.related = vec![sample("https://y.test/2", "Two")];
    let batch = Batch {
        source: source("in/a.md"),
        articles: vec![a, sample("https://x.test/3", "Three")],
    };
    let first = s.ingest(&batch, t(2021, 1, 1, 0, 0)).unwrap();
    let before = s.stats().unwrap();
    let second = s.ingest(&batch, t(2021, 1, 2, 0, 0)).unwrap();
    assert_eq!(second.count(Outcome::Unchanged), 2);
    assert_eq!(second.related_stored, 0);
    assert_eq!(
        first.outcomes.iter().map(|o| o.0).collect::<Vec<_>>(),
        second.outcomes.iter().map(|o| o.0).collect::<Vec<_>>()
    );
    assert_eq!(s.stats().unwrap(), before);
    let got = s.article(first.outcomes[0].0).unwrap().unwrap();
    assert_eq!(
        got.updated_at,
        t(2021, 1, 1, 0, 0),
        "a repeat does not touch the row"
    );
}

fn changed_content_is_an_update(s: &mut dyn DeskStore) {
    let a = sample("https://x.test/1", "Old title");
    let r1 = s
        .ingest(
            &Batch {
                source: source("f"),
                articles: vec![a.clone()],
            },
            t(2021, 1, 1, 0, 0),
        )
        .unwrap();
    let mut b = a;
    b.title = "New title".into();
    let r2 = s
        .ingest(
            &Batch {
                source: source("f"),
                articles: vec![b],
            },
            t(2021, 1, 2, 0, 0),
        )
        .unwrap();
    assert_eq!(r2.outcomes[0], (r1.outcomes[0].0, Outcome::Updated));
    let got = s.article(r1.outcomes[0].0).unwrap().unwrap();
    assert_eq!(got.article.title, "New title");
    assert_eq!(got.first_seen, t(2021, 1, 1, 0, 0));
    assert_eq!(got.updated_at, t(2021, 1, 2, 0, 0));
    assert_eq!(s.stats().unwrap().articles, 1);
}

fn guid_is_a_second_key(s: &mut dyn DeskStore) {
    let mut a = sample("https://x.test/old-slug", "Story");
    a.origin.guid = Some("item-17".into());
    let r1 = s
        .ingest(
            &Batch {
                source: source("feed.xml"),
                articles: vec![a.clone()],
            },
            t(2021, 1, 1, 0, 0),
        )
        .unwrap();
    // The publisher changed the URL; the feed kept the GUID.
    a.web_url = Some("https://x.test/new-slug".into());
    let r2 = s
        .ingest(
            &Batch {
                source: source("feed.xml"),
                articles: vec![a.clone()],
            },
            t(2021, 1, 2, 0, 0),
        )
        .unwrap();
    assert_eq!(r2.outcomes[0], (r1.outcomes[0].0, Outcome::Updated));
    assert_eq!(
        s.find("url:https://x.test/new-slug").unwrap(),
        Some(r1.outcomes[0].0)
    );
    // The same GUID in another feed is another article.
    a.web_url = Some("https://x.test/other".into());
    let r3 = s
        .ingest(
            &Batch {
                source: source("other.xml"),
                articles: vec![a],
            },
            t(2021, 1, 3, 0, 0),
        )
        .unwrap();
    assert_eq!(r3.outcomes[0].1, Outcome::Stored);
    assert_eq!(s.stats().unwrap().articles, 2);
}

fn related_entries_become_linked_articles(s: &mut dyn DeskStore) {
    let mut rel = sample("https://y.test/earlier", "Earlier copy");
    rel.secured = None;
    rel.body = None;
    rel.topics.clear();
    rel.quality = Some(56);
    let mut a = sample("https://x.test/later", "Later copy");
    a.related = vec![rel.clone(), sample("https://z.test/other", "Other")];
    let r = s
        .ingest(
            &Batch {
                source: source("a.md"),
                articles: vec![a.clone()],
            },
            t(2021, 1, 1, 0, 0),
        )
        .unwrap();
    assert_eq!(r.related_stored, 2);
    let id = r.outcomes[0].0;
    let got = s.article(id).unwrap().unwrap();
    assert_eq!(got.related.len(), 2);
    let earlier = s.article(got.related[0]).unwrap().unwrap();
    assert!(earlier.stub, "known only from a related list");
    assert_eq!(earlier.article.title, "Earlier copy");
    assert_eq!(earlier.article.quality, Some(56));
    assert_eq!(
        s.article(got.related[1]).unwrap().unwrap().article.title,
        "Other"
    );

    // The full record arrives: same article, no longer a stub.
    let mut full = rel.clone();
    full.title = "Earlier copy (full)".into();
    full.body = Some("Full text".into());
    let r2 = s
        .ingest(
            &Batch {
                source: source("b.md"),
                articles: vec![full],
            },
            t(2021, 1, 2, 0, 0),
        )
        .unwrap();
    assert_eq!(r2.outcomes[0], (got.related[0], Outcome::Stored));
    let e = s.article(got.related[0]).unwrap().unwrap();
    assert!(!e.stub);
    assert_eq!(e.article.body.as_deref(), Some("Full text"));

    // Another record listing it as related does not overwrite the full record.
    let mut c = sample("https://w.test/third", "Third");
    let mut thin = rel;
    thin.title = "Thin title".into();
    c.related = vec![thin];
    s.ingest(
        &Batch {
            source: source("c.md"),
            articles: vec![c],
        },
        t(2021, 1, 3, 0, 0),
    )
    .unwrap();
    let e = s.article(got.related[0]).unwrap().unwrap();
    assert_eq!(e.article.title, "Earlier copy (full)");
    assert_eq!(s.stats().unwrap().stubs, 1);
}

fn a_bad_article_fails_the_whole_batch(s: &mut dyn DeskStore) {
    let mut nameless = sample("https://x.test/2", "No identity");
    nameless.web_url = None;
    nameless.original_url = None;
    nameless.origin.guid = None;
    let batch = Batch {
        source: source("a.md"),
        articles: vec![sample("https://x.test/1", "Good"), nameless],
    };
    let err = s.ingest(&batch, t(2021, 1, 1, 0, 0)).unwrap_err();
    assert!(err.to_string().contains("no identity"), "{err}");
    let st = s.stats().unwrap();
    assert_eq!(
        (st.articles, st.sources),
        (0, 0),
        "nothing of the batch is stored"
    );
}

fn stats_count_by_source_provider_day(s: &mut dyn DeskStore) {
    let mut b = sample("https://b.test/2", "B");
    b.provider = Some(Provider {
        name: "B".into(),
        domain: "b.test".into(),
        images: vec![],
    });
    b.published_at = Some(t(2021, 5, 5, 1, 0));
    let mut c = sample("https://c.test/3", "C");
    c.published_at = None;
    c.provider = None;
    s.ingest(
        &Batch {
            source: source("one.xml"),
            articles: vec![sample("https://a.test/1", "A"), b],
        },
        t(2021, 1, 1, 0, 0),
    )
    .unwrap();
    s.ingest(
        &Batch {
            source: source("two.xml"),
            articles: vec![c],
        },
        t(2021, 1, 1, 0, 0),
    )
    .unwrap();
    let st = s.stats().unwrap();
    assert_eq!(st.articles, 3);
    assert_eq!(st.sources, 2);
    assert_eq!(
        st.by_source,
        vec![("one.xml".to_string(), 2), ("two.xml".to_string(), 1)]
    );
    let providers: Vec<_> = st
        .by_provider
        .iter()
        .map(|(p, n)| (p.as_str(), *n))
        .collect();
    assert!(providers.contains(&("sify.com", 1)) && providers.contains(&("b.test", 1)));
    assert!(providers.contains(&("unknown", 1)));
    let days: Vec<_> = st.by_day.iter().map(|(d, n)| (d.as_str(), *n)).collect();
    assert_eq!(
        days,
        vec![("2021-05-04", 1), ("2021-05-05", 1), ("unknown", 1)]
    );
}

fn cursor_walks_every_article_once(s: &mut dyn DeskStore) {
    let articles: Vec<_> = (0..25)
        .map(|i| sample(&format!("https://x.test/{i}"), &format!("T{i}")))
        .collect();
    s.ingest(
        &Batch {
            source: source("f"),
            articles,
        },
        t(2021, 1, 1, 0, 0),
    )
    .unwrap();
    let mut seen = Vec::new();
    let mut after = 0;
    loop {
        let page = s.articles_after(after, 10).unwrap();
        if page.is_empty() {
            break;
        }
        after = page.last().unwrap().id;
        seen.extend(page.into_iter().map(|a| a.article.title));
    }
    assert_eq!(seen.len(), 25);
    assert_eq!(seen[0], "T0");
    assert_eq!(seen[24], "T24");
}

fn sources_register_once(s: &mut dyn DeskStore) {
    let subs = vec![
        SourceInfo {
            locator: "https://a.test/feed".into(),
            kind: "subscription".into(),
            title: Some("A".into()),
        },
        SourceInfo {
            locator: "https://b.test/rss".into(),
            kind: "subscription".into(),
            title: None,
        },
    ];
    assert_eq!(s.add_sources(&subs, t(2021, 1, 1, 0, 0)).unwrap(), 2);
    assert_eq!(s.add_sources(&subs, t(2021, 1, 2, 0, 0)).unwrap(), 0);
    let st = s.stats().unwrap();
    assert_eq!((st.sources, st.articles), (2, 0));
}

fn record(id: i64, story: i64, duplicate_of: Option<i64>, similar: Vec<i64>) -> AnalysisRecord {
    AnalysisRecord {
        id,
        version: 1,
        signature: Some(vec![7; 512]),
        terms: vec![1; 24],
        time: 1_620_000_000 + id,
        credibility: 2,
        provider: -5,
        story,
        duplicate_of,
        reason: format!("test {id}"),
        similar,
    }
}

fn analysis_places_copies_and_is_redone_after_updates(s: &mut dyn DeskStore) {
    let now = t(2021, 5, 4, 12, 0);
    let mut a = sample("https://example.com/a", "Original");
    a.published = Some(true);
    a.heat = Some(70);
    let b = sample("https://example.com/b", "Copy");
    let c = sample("https://example.com/c", "Other");
    let r = s
        .ingest(
            &Batch {
                source: source("batch.md"),
                articles: vec![a.clone(), b.clone(), c],
            },
            now,
        )
        .expect("ingest");
    let ids: Vec<i64> = r.outcomes.iter().map(|(id, _)| *id).collect();
    let (ia, ib, ic) = (ids[0], ids[1], ids[2]);
    let pending = s.unanalysed(1, 0, 100).expect("unanalysed");
    assert_eq!(pending.iter().map(|p| p.id).collect::<Vec<_>>(), ids);
    assert_eq!(pending[0].reason, None);

    s.apply_analysis(
        &[
            record(ia, 10, None, vec![ic]),
            record(ib, 10, Some(ia), vec![]),
            record(ic, 11, None, vec![ia, ic]),
        ],
        &[],
        now,
    )
    .expect("apply");
    assert!(s.unanalysed(1, 0, 100).expect("unanalysed").is_empty());
    // Another analysis version sees everything as pending.
    assert_eq!(s.unanalysed(2, 0, 100).expect("unanalysed").len(), 3);
    let sb = s.article(ib).expect("read").expect("exists");
    assert_eq!((sb.story, sb.duplicate_of), (Some(10), Some(ia)));
    assert_eq!(sb.article.published, Some(false), "a copy is not published");
    assert_eq!(sb.article.heat, Some(-1));
    assert_eq!(sb.reason, Some(format!("test {ib}")));
    let sa = s.article(ia).expect("read").expect("exists");
    assert_eq!(
        sa.article.published,
        Some(true),
        "an original keeps its decision"
    );
    assert_eq!(sa.similar, vec![ic]);
    let sc = s.article(ic).expect("read").expect("exists");
    assert_eq!(sc.similar, vec![ia], "no link to itself");

    let saved = s.analyses_after(1, 0, 100).expect("analyses");
    assert_eq!(saved.len(), 3);
    assert_eq!(
        saved[1],
        AnalysisRecord {
            similar: vec![],
            ..record(ib, 10, Some(ia), vec![])
        }
    );

    // A later change: b becomes the original, a its copy, stories merged.
    s.apply_analysis(
        &[],
        &[
            Placement {
                id: ib,
                story: 11,
                duplicate_of: None,
                reason: "merged".into(),
            },
            Placement {
                id: ia,
                story: 11,
                duplicate_of: Some(ib),
                reason: "copy".into(),
            },
        ],
        now,
    )
    .expect("changes");
    let sb = s.article(ib).expect("read").expect("exists");
    assert_eq!(
        (
            sb.story,
            sb.duplicate_of,
            sb.article.published,
            sb.article.heat
        ),
        (Some(11), None, None, None)
    );
    let sa = s.article(ia).expect("read").expect("exists");
    assert_eq!(
        (sa.duplicate_of, sa.article.published, sa.article.heat),
        (Some(ib), Some(false), Some(-1))
    );
    assert_eq!(
        sa.reason.as_deref(),
        Some("copy"),
        "a change explains itself"
    );
    let members = s.story_members(11, 10).expect("story");
    let story: Vec<i64> = members.iter().map(|x| x.id).collect();
    assert_eq!(story.len(), 3);
    assert_eq!(story[2], ia, "copies last");
    assert_eq!(members[2].duplicate_of, Some(ib));
    assert_eq!(members[2].published_at, a.published_at);
    assert_eq!(members[2].provider_domain.as_deref(), Some("sify.com"));

    // Changed content is analysed again; the same content is not.
    let mut a2 = a.clone();
    a2.title = "Original, corrected".into();
    s.ingest(
        &Batch {
            source: source("batch.md"),
            articles: vec![a2, b],
        },
        now,
    )
    .expect("update");
    let pending: Vec<i64> = s
        .unanalysed(1, 0, 100)
        .expect("unanalysed")
        .iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(pending, vec![ia]);

    // An update with a later date keeps the first publication time; an
    // earlier date is taken.
    let mut a3 = a.clone();
    a3.title = "Original, corrected again".into();
    a3.published_at = a.published_at.map(|t| t + chrono::Duration::days(2));
    s.ingest(
        &Batch {
            source: source("batch.md"),
            articles: vec![a3.clone()],
        },
        now,
    )
    .expect("update");
    let got = s.article(ia).expect("read").expect("exists");
    assert_eq!(got.article.title, a3.title);
    assert_eq!(
        got.article.published_at, a.published_at,
        "first publication kept"
    );
    let mut a4 = a3.clone();
    a4.title = "Original, dated right".into();
    a4.published_at = a.published_at.map(|t| t - chrono::Duration::hours(1));
    s.ingest(
        &Batch {
            source: source("batch.md"),
            articles: vec![a4.clone()],
        },
        now,
    )
    .expect("update");
    let got = s.article(ia).expect("read").expect("exists");
    assert_eq!(got.article.published_at, a4.published_at);
}

fn an_article_twice_in_a_batch_is_stored_once(s: &mut dyn DeskStore) {
    let now = t(2021, 5, 4, 12, 0);
    let first = sample("https://example.com/story", "First version");
    let mut correction = first.clone();
    correction.title = "Corrected version".into();
    correction.published_at = first.published_at.map(|d| d + chrono::Duration::hours(5));
    let batch = Batch {
        source: source("feed.xml"),
        articles: vec![first.clone(), correction.clone()],
    };
    let r = s.ingest(&batch, now).expect("ingest");
    assert_eq!(r.count(Outcome::Stored), 1);
    assert_eq!(r.outcomes.len(), 2, "one outcome per entry");
    assert_eq!(r.outcomes[0].0, r.outcomes[1].0);
    let got = s.article(r.outcomes[0].0).expect("read").expect("stored");
    assert_eq!(
        got.article.title, "Corrected version",
        "the last version wins"
    );
    assert_eq!(
        got.article.published_at, first.published_at,
        "dated by the first publication"
    );
    let again = s.ingest(&batch, now).expect("again");
    assert_eq!(
        again.count(Outcome::Unchanged),
        2,
        "a repeat of the batch changes nothing"
    );
}

fn decision(id: i64, config: &str, published: bool, heat: i64) -> Decision {
    Decision {
        id,
        config: config.into(),
        topics: vec!["AWS AI".into(), "AI".into()],
        quality: 61,
        published,
        pinned: false,
        heat,
        detail: format!("{{\"id\":{id}}}"),
    }
}

fn decisions_keep_what_the_input_gave_and_are_redone_when_due(s: &mut dyn DeskStore) {
    let now = t(2021, 5, 4, 12, 0);
    let mut a = sample("https://example.com/a", "Original");
    a.quality = Some(76);
    a.published = Some(true);
    let b = sample("https://example.com/b", "Second");
    let ids: Vec<i64> = s
        .ingest(
            &Batch {
                source: source("batch.md"),
                articles: vec![a.clone(), b.clone()],
            },
            now,
        )
        .expect("ingest")
        .outcomes
        .iter()
        .map(|(id, _)| *id)
        .collect();
    let (ia, ib) = (ids[0], ids[1]);
    // Nothing is decided before it is analysed.
    assert!(s.undecided("c1", 0, 10).expect("undecided").is_empty());
    s.apply_analysis(
        &[record(ia, 10, None, vec![]), record(ib, 10, None, vec![])],
        &[],
        now,
    )
    .expect("apply");
    let due = s.undecided("c1", 0, 10).expect("undecided");
    assert_eq!(due.iter().map(|d| d.id).collect::<Vec<_>>(), ids);
    assert_eq!(due[0].given, Given::of(&a));
    assert_eq!(due[0].given.quality, Some(76));
    assert_eq!(due[0].editorial, None);

    s.apply_editorial(
        &[decision(ia, "c1", true, 0), decision(ib, "c1", false, 0)],
        &[StoryHeat {
            story: 10,
            heat: 83,
            detail: "{}".into(),
            newest: Some(now),
        }],
        now,
    )
    .expect("decide");
    assert!(s.undecided("c1", 0, 10).expect("undecided").is_empty());
    let sa = s.article(ia).expect("read").expect("exists");
    assert_eq!(sa.article.quality, Some(61), "the decision is in effect");
    assert_eq!(sa.article.heat, Some(83), "published: the story's heat");
    assert_eq!(sa.article.topics, vec!["AWS AI", "AI"]);
    assert_eq!(sa.given.quality, Some(76), "what the input said is kept");
    assert_eq!(sa.editorial.as_deref(), Some(&*format!("{{\"id\":{ia}}}")));
    let sb = s.article(ib).expect("read").expect("exists");
    assert_eq!(
        (sb.article.published, sb.article.heat),
        (Some(false), Some(-1))
    );
    let heat = s.story_heat(10).expect("heat").expect("stored");
    assert_eq!((heat.heat, heat.newest), (83, Some(now)));
    assert_eq!(
        s.newest_published().expect("newest"),
        Some(t(2021, 5, 4, 5, 54))
    );
    assert_eq!(
        s.stale_stories(t(2021, 5, 5, 0, 0), t(2021, 5, 1, 0, 0), 10)
            .expect("stale"),
        vec![10]
    );
    assert!(s
        .stale_stories(t(2021, 5, 4, 0, 0), t(2021, 5, 1, 0, 0), 10)
        .expect("stale")
        .is_empty());
    // Another configuration: everything is due again.
    assert_eq!(s.undecided("c2", 0, 10).expect("undecided").len(), 2);
    // An update of the content: due again, with the new given values.
    let mut a2 = a.clone();
    a2.excerpt = Some("Corrected.".into());
    a2.quality = Some(80);
    s.ingest(
        &Batch {
            source: source("batch.md"),
            articles: vec![a2],
        },
        now,
    )
    .expect("update");
    s.apply_analysis(&[record(ia, 10, None, vec![])], &[], now)
        .expect("apply");
    let due = s.undecided("c1", 0, 10).expect("undecided");
    assert_eq!(due.iter().map(|d| d.id).collect::<Vec<_>>(), vec![ia]);
    assert_eq!(due[0].given.quality, Some(80));
    // A change of placement (it became a copy): due again.
    s.apply_editorial(&[decision(ia, "c1", true, 0)], &[], now)
        .expect("decide");
    s.apply_analysis(
        &[],
        &[Placement {
            id: ib,
            story: 10,
            duplicate_of: Some(ia),
            reason: "copy".into(),
        }],
        now,
    )
    .expect("re-place");
    let due = s.undecided("c1", 0, 10).expect("undecided");
    assert_eq!(due.iter().map(|d| d.id).collect::<Vec<_>>(), vec![ib]);
}

fn overrides_and_rules_are_audited(s: &mut dyn DeskStore) {
    let now = t(2021, 5, 4, 12, 0);
    let ids: Vec<i64> = s
        .ingest(
            &Batch {
                source: source("batch.md"),
                articles: vec![sample("https://example.com/a", "One")],
            },
            now,
        )
        .expect("ingest")
        .outcomes
        .iter()
        .map(|(id, _)| *id)
        .collect();
    let ia = ids[0];
    s.apply_analysis(&[record(ia, 10, None, vec![])], &[], now)
        .expect("apply");
    s.apply_editorial(&[decision(ia, "c1", false, 0)], &[], now)
        .expect("decide");
    let entry = |action: &str, target: &str, article: Option<i64>| AuditEntry {
        at: now,
        editor: "alice".into(),
        action: action.into(),
        article,
        target: target.into(),
        reason: Some("checked by phone".into()),
    };
    let o = EditorOverride {
        action: EditorAction::Pin,
        editor: "alice".into(),
        reason: Some("checked by phone".into()),
        at: now,
    };
    s.set_override(ia, Some(&o), &entry("pin", "article", Some(ia)))
        .expect("override");
    let sa = s.article(ia).expect("read").expect("exists");
    assert_eq!(sa.editor_override, Some(o.clone()));
    // The decision is due again, the override with it.
    let due = s.undecided("c1", 0, 10).expect("undecided");
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].editor_override, Some(o));
    match s.set_override(ia + 1000, None, &entry("clear", "article", Some(ia + 1000))) {
        Err(StoreError::NoArticle { id }) => assert_eq!(id, ia + 1000),
        other => panic!("expected NoArticle, got {other:?}"),
    }
    s.set_override(ia, None, &entry("clear", "article", Some(ia)))
        .expect("clear");
    assert_eq!(
        s.article(ia)
            .expect("read")
            .expect("exists")
            .editor_override,
        None
    );

    let rule = Rule {
        name: "no-market-research".into(),
        action: RuleAction::Mute,
        topic: None,
        query: "\"market research\" OR CAGR".into(),
        editor: "alice".into(),
        reason: None,
        created_at: now,
    };
    s.add_rule(&rule, &entry("rule add", "rule no-market-research", None))
        .expect("rule");
    match s.add_rule(&rule, &entry("rule add", "rule no-market-research", None)) {
        Err(StoreError::RuleExists { name }) => assert_eq!(name, "no-market-research"),
        other => panic!("expected RuleExists, got {other:?}"),
    }
    assert_eq!(s.rules().expect("rules"), vec![rule]);
    assert!(s
        .remove_rule(
            "no-market-research",
            &entry("rule remove", "rule no-market-research", None)
        )
        .expect("remove"));
    assert!(!s
        .remove_rule(
            "no-market-research",
            &entry("rule remove", "rule no-market-research", None)
        )
        .expect("remove"));
    assert!(s.rules().expect("rules").is_empty());
    let log = s.audit_log(None, 10).expect("audit");
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, vec!["rule remove", "rule add", "clear", "pin"]);
    assert_eq!(s.audit_log(Some(ia), 10).expect("audit").len(), 2);
    assert_eq!(log[3].reason.as_deref(), Some("checked by phone"));
}

fn followed_sources_keep_their_health(s: &mut dyn DeskStore) {
    let feed = |locator: &str, title: Option<&str>| SourceInfo {
        locator: locator.into(),
        kind: "subscription".into(),
        title: title.map(str::to_string),
    };
    let (a, b) = ("https://a.test/feed", "https://b.test/rss");
    // A source registered by ingesting a file is not followed.
    s.ingest(
        &Batch {
            source: SourceInfo {
                locator: "local.xml".into(),
                kind: "rss".into(),
                title: None,
            },
            articles: vec![sample("https://x.test/1", "One")],
        },
        t(2021, 1, 1, 0, 0),
    )
    .unwrap();
    // An OPML subscription registered by ingest is not followed either,
    // until it is followed (and then it keeps its first-seen time).
    assert_eq!(
        s.add_sources(&[feed(b, None)], t(2021, 1, 1, 0, 0))
            .unwrap(),
        1
    );
    assert!(s.followed_sources().unwrap().is_empty());
    assert!(s
        .follow_source(&feed(a, Some("A")), t(2021, 1, 2, 0, 0))
        .unwrap());
    assert!(!s
        .follow_source(&feed(a, None), t(2021, 1, 3, 0, 0))
        .unwrap());
    assert!(s
        .follow_source(&feed(b, Some("B")), t(2021, 1, 2, 0, 0))
        .unwrap());
    let list = s.followed_sources().unwrap();
    assert_eq!(
        list.iter().map(|f| f.locator.as_str()).collect::<Vec<_>>(),
        [a, b]
    );
    assert_eq!(
        list[0].title.as_deref(),
        Some("A"),
        "a missing title keeps the old one"
    );
    assert_eq!(list[0].first_seen, t(2021, 1, 2, 0, 0));
    assert_eq!(list[1].first_seen, t(2021, 1, 1, 0, 0));
    assert_eq!((list[0].health.as_deref(), list[0].next_poll), (None, None));
    assert_eq!(s.stats().unwrap().sources, 3);

    // A poll's record comes back as it was written.
    let poll = PollRecord {
        health: r#"{"consecutive_errors":0,"etag":"\"v1\""}"#.into(),
        next_poll: Some(t(2021, 1, 2, 1, 0)),
        etag: Some("\"v1\"".into()),
        last_modified: Some("Sat, 02 Jan 2021 00:00:00 GMT".into()),
        last_status: Some(200),
        last_error: None,
    };
    s.record_poll(a, &poll).unwrap();
    let got = &s.followed_sources().unwrap()[0];
    assert_eq!(got.health.as_deref(), Some(poll.health.as_str()));
    assert_eq!(got.next_poll, poll.next_poll);
    assert!(matches!(
        s.record_poll("https://nowhere.test/feed", &poll),
        Err(StoreError::NoSource { .. })
    ));

    // Articles of a followed source are found as its entries: by identity,
    // or by GUID within the source.
    let mut entry = sample("https://a.test/story", "Story");
    entry.origin.guid = Some("g-1".into());
    entry.origin.source = a.into();
    let report = s
        .ingest(
            &Batch {
                source: SourceInfo {
                    locator: a.into(),
                    kind: "rss".into(),
                    title: None,
                },
                articles: vec![entry],
            },
            t(2021, 1, 2, 1, 0),
        )
        .unwrap();
    let id = report.outcomes[0].0;
    assert_eq!(
        s.find_entry(a, "url:https://a.test/story", None).unwrap(),
        Some(id)
    );
    assert_eq!(
        s.find_entry(a, "url:https://a.test/moved", Some("g-1"))
            .unwrap(),
        Some(id)
    );
    assert_eq!(
        s.find_entry(b, "url:https://a.test/moved", Some("g-1"))
            .unwrap(),
        None,
        "a GUID is only a key within its source"
    );
    let list = s.followed_sources().unwrap();
    assert_eq!(list[0].kind, "rss");
    assert_eq!(list[0].title.as_deref(), Some("A"));
    assert_eq!(list[0].last_ingested, Some(t(2021, 1, 2, 1, 0)));

    // A permanent redirect moves the source and its articles.
    let moved = "https://a.test/feed.xml";
    s.move_source(a, moved).unwrap();
    let list = s.followed_sources().unwrap();
    assert_eq!(list[0].locator, moved);
    assert_eq!(list[0].health.as_deref(), Some(poll.health.as_str()));
    assert_eq!(s.article(id).unwrap().unwrap().article.origin.source, moved);
    assert_eq!(
        s.find_entry(moved, "url:https://a.test/elsewhere", Some("g-1"))
            .unwrap(),
        Some(id)
    );
    // Onto a source that exists: that one is followed, this one no longer.
    s.move_source(moved, b).unwrap();
    let list = s.followed_sources().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].locator, b);
    assert_eq!(list[0].health.as_deref(), Some(poll.health.as_str()));
    assert!(matches!(
        s.move_source("https://nowhere.test/feed", moved),
        Err(StoreError::NoSource { .. })
    ));

    // Unfollowing keeps the source and its articles.
    assert!(s.unfollow_source(b).unwrap());
    assert!(!s.unfollow_source(b).unwrap());
    assert!(!s.unfollow_source("https://nowhere.test/feed").unwrap());
    assert!(s.followed_sources().unwrap().is_empty());
    assert_eq!(s.stats().unwrap().articles, 2);
}

fn decided_three(s: &mut dyn DeskStore) -> Vec<i64> {
    let articles = vec![
        sample("https://q.test/1", "One"),
        Article {
            topics: vec!["AI".into()],
            ..sample("https://q.test/2", "Two")
        },
        sample("https://q.test/3", "Three"),
    ];
    store_decided(
        s,
        articles,
        t(2021, 5, 5, 0, 0),
        |i, _| i as i64 + 1,
        |i, _| Decision {
            id: 0,
            config: "c".into(),
            topics: if i == 1 {
                vec!["AI".into()]
            } else {
                vec!["AWS AI".into(), "AI".into()]
            },
            quality: 60 + i as i64,
            published: i != 2,
            pinned: false,
            heat: 10,
            detail: "{}".into(),
        },
        &[],
    )
}

fn queries_page_through_articles_and_count_topics(s: &mut dyn DeskStore) {
    let ids = decided_three(s);
    let mut seen = Vec::new();
    let mut q = ArticleQuery {
        sort: Sort::default(),
        limit: 2,
        ..ArticleQuery::default()
    };
    loop {
        let page = s.query_articles(&q).expect("query_articles");
        assert!(page.articles.len() <= 2);
        seen.extend(page.articles.iter().map(|a| a.id));
        let Some(next) = page.next else { break };
        q.after = Some(crate::Cursor::decode(&next, q.sort).expect("a cursor the store gave"));
    }
    seen.sort_unstable();
    let mut published: Vec<i64> = vec![ids[0], ids[1]];
    published.sort_unstable();
    let mut all = ids.clone();
    all.sort_unstable();
    assert!(
        seen == published || seen == all,
        "every listed article once: {seen:?} of {ids:?}"
    );
    let only = s
        .query_articles(&ArticleQuery {
            topic: Some("AWS AI".into()),
            published: Some(true),
            limit: 10,
            ..ArticleQuery::default()
        })
        .expect("query_articles by topic");
    assert_eq!(
        only.articles.iter().map(|a| a.id).collect::<Vec<_>>(),
        vec![ids[0]]
    );
    let counts = s.topic_counts().expect("topic_counts");
    let ai = counts.iter().find(|c| c.name == "AI").expect("AI counted");
    assert_eq!((ai.articles, ai.published), (3, 2));
    let aws = counts
        .iter()
        .find(|c| c.name == "AWS AI")
        .expect("AWS AI counted");
    assert_eq!((aws.articles, aws.published), (2, 1));
    assert_eq!(counts[0].name, "AI", "most published first");
}

fn search_outbox_holds_every_change_until_done(s: &mut dyn DeskStore) {
    assert_eq!(s.search_outbox_len().expect("len"), 0);
    let ids = decided_three(s);
    let pending = s.search_outbox_pending(1_000).expect("pending");
    let mut changed: Vec<i64> = pending.iter().map(|e| e.article_id).collect();
    changed.sort_unstable();
    changed.dedup();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(changed, sorted, "every stored article is queued");
    assert!(pending.windows(2).all(|w| w[0].seq < w[1].seq));
    let last = s.search_outbox_last_seq().expect("last_seq");
    assert_eq!(Some(last), pending.last().map(|e| e.seq));
    assert_eq!(s.search_outbox_len().expect("len"), pending.len() as u64);

    let docs = s
        .search_docs(&[ids[2], ids[0], 999_999])
        .expect("search_docs");
    assert_eq!(
        docs.iter().map(|d| d.id).collect::<Vec<_>>(),
        vec![ids[0], ids[2]]
    );
    assert_eq!(docs[0].title, "One");
    assert_eq!(
        docs[0].body.as_deref(),
        Some("Body text.\n\nSecond paragraph.")
    );
    assert_eq!(s.indexable_count().expect("indexable"), 3);
    let after = s.search_docs_after(ids[0], 10).expect("search_docs_after");
    assert_eq!(after.len(), 2);
    let all: Vec<_> = all_search_docs(&*s)
        .collect::<Result<_, _>>()
        .expect("all_search_docs");
    assert_eq!(all.len(), 3);

    // Done up to the first row: the rest stays; a change after it is queued.
    let first = pending[0].seq;
    assert_eq!(s.search_outbox_done(first).expect("done"), 1);
    assert_eq!(
        s.search_outbox_len().expect("len"),
        pending.len() as u64 - 1
    );
    s.search_outbox_done(last).expect("done");
    assert_eq!(s.search_outbox_len().expect("len"), 0);
    decided_three(s);
    assert!(s.search_outbox_last_seq().expect("last_seq") > last);
}

fn key(id: &str, created: &str) -> ApiKeyStoreRow {
    ApiKeyStoreRow {
        id: id.into(),
        name: format!("key {id}"),
        secret_hash: format!("sha256:{}", "0".repeat(64)),
        role: "reader".into(),
        scopes: "articles".into(),
        created: created.into(),
        last_used: None,
        revoked: None,
        rate_per_min: Some(60),
    }
}

fn api_keys_are_stored_listed_and_revoked(s: &mut dyn DeskStore) {
    assert!(s.api_keys().expect("api_keys").is_empty());
    let (b, a) = (
        key("kb", "2026-01-02T00:00:00Z"),
        key("ka", "2026-01-01T00:00:00Z"),
    );
    s.insert_api_key(&b).expect("insert");
    s.insert_api_key(&a).expect("insert");
    assert!(s.insert_api_key(&a).is_err(), "ids are unique");
    assert_eq!(s.api_key("kb").expect("api_key"), Some(b.clone()));
    assert_eq!(s.api_key("nope").expect("api_key"), None);
    assert_eq!(s.api_keys().expect("api_keys"), vec![a, b], "oldest first");
    assert!(s
        .revoke_api_key("ka", "2026-02-01T00:00:00Z")
        .expect("revoke"));
    assert!(s
        .revoke_api_key("ka", "2026-03-01T00:00:00Z")
        .expect("revoke"));
    assert!(!s
        .revoke_api_key("nope", "2026-03-01T00:00:00Z")
        .expect("revoke"));
    assert_eq!(
        s.api_key("ka").expect("api_key").and_then(|k| k.revoked),
        Some("2026-02-01T00:00:00Z".into()),
        "the first revocation time is kept"
    );
}

/// A stand-in sealer: the stored form is the right shape, the "cipher" is
/// the text's bytes in hex under key `t`, bound to the identity.
struct HexSealer;

impl TextSealer for HexSealer {
    fn seal(&self, identity: &str, text: &str) -> Result<String, SealError> {
        let hex: String = format!("{identity}|{text}")
            .bytes()
            .map(|b| format!("{b:02x}"))
            .collect();
        Ok(format!("v1:t:AAAA:{hex}"))
    }

    fn open(&self, identity: &str, stored: &str) -> Result<String, SealError> {
        let hex = stored
            .strip_prefix("v1:t:AAAA:")
            .ok_or_else(|| SealError("not sealed with key t".into()))?;
        let bytes: Vec<u8> = (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(hex.get(i..i + 2).unwrap_or("zz"), 16))
            .collect::<Result<_, _>>()
            .map_err(|_| SealError("not hex".into()))?;
        let text = String::from_utf8(bytes).map_err(|_| SealError("not UTF-8".into()))?;
        text.strip_prefix(&format!("{identity}|"))
            .map(str::to_string)
            .ok_or_else(|| SealError("sealed for another article".into()))
    }
}

fn sealing_writes_no_clear_text_and_opens_it_again(s: &mut dyn DeskStore) {
    assert!(!s.has_sealer());
    assert!(!s.is_marked_sealed().expect("is_marked_sealed"));
    let clear = decided_three(s);
    let texts = s.texts_after(0, 10).expect("texts_after");
    assert_eq!(texts.len(), 3);
    assert!(texts
        .iter()
        .all(|t| t.body.as_deref().is_some_and(|b| !crate::is_sealed(b))));

    // Re-seal what is there, as `keys seal` does.
    let sealed: Vec<StoredText> = texts
        .iter()
        .map(|t| StoredText {
            body: t
                .body
                .as_deref()
                .map(|b| HexSealer.seal(&t.identity, b).expect("seal")),
            content_html: None,
            ..t.clone()
        })
        .collect();
    s.replace_texts(&sealed).expect("replace_texts");
    s.mark_sealed().expect("mark_sealed");
    assert!(s.is_marked_sealed().expect("is_marked_sealed"));
    let stored = s.texts_after(0, 10).expect("texts_after");
    assert!(stored
        .iter()
        .all(|t| t.body.as_deref().is_some_and(crate::is_sealed)));
    // Without a sealer a sealed value never reads as text.
    let one = &stored[0];
    assert_eq!(
        s.open_text(&one.identity, "body", one.body.clone())
            .expect("open_text"),
        None
    );
    assert_eq!(
        s.open_text(&one.identity, "body", Some("plain".into()))
            .expect("open_text"),
        Some("plain".into())
    );

    s.set_sealer(std::sync::Arc::new(HexSealer))
        .expect("set_sealer");
    assert!(s.has_sealer());
    assert_eq!(
        s.open_text(&one.identity, "body", one.body.clone())
            .expect("open_text"),
        Some("Body text.\n\nSecond paragraph.".into())
    );
    let a = s.article(clear[0]).expect("article").expect("stored");
    assert_eq!(
        a.article.body.as_deref(),
        Some("Body text.\n\nSecond paragraph.")
    );
    // New writes are sealed.
    let more = Batch {
        source: source("in/b.md"),
        articles: vec![sample("https://q.test/4", "Four")],
    };
    s.ingest(&more, t(2021, 5, 6, 0, 0)).expect("ingest");
    let stored = s.texts_after(0, 10).expect("texts_after");
    assert_eq!(stored.len(), 4);
    assert!(stored
        .iter()
        .all(|t| t.body.as_deref().is_some_and(crate::is_sealed)
            && t.content_html.as_deref().is_none_or(crate::is_sealed)));
    s.compact().expect("compact");
}

fn store_info_names_the_store(s: &mut dyn DeskStore) {
    assert!(!s.location().is_empty());
    let before = s.data_version().expect("data_version");
    // This connection's own commits need not change it; reading it again
    // must work and, with no other writer, give the same number.
    assert_eq!(s.data_version().expect("data_version"), before);
}

fn ts_at(y: i32, mo: u32, d: u32, h: u32, mi: u32, sec: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, sec)
        .single()
        .expect("valid test date")
}

fn heat(story: i64, heat: i64) -> StoryHeat {
    StoryHeat {
        story,
        heat,
        detail: "{}".into(),
        newest: Some(t(2021, 5, 4, 5, 54)),
    }
}

fn heat_history_samples_every_heat_once_per_window(s: &mut dyn DeskStore) {
    let ids = decided_three(s);
    assert!(
        s.story_heat_history(99, 10).expect("history").is_empty(),
        "an unknown story has no history"
    );
    let history = |s: &dyn DeskStore, story: i64| -> Vec<(DateTime<Utc>, i64)> {
        s.story_heat_history(story, 100)
            .expect("history")
            .iter()
            .map(|h| {
                assert_eq!(h.story, story);
                (h.at, h.heat)
            })
            .collect()
    };
    // A decision with its story's heat: the first sample.
    let t0 = t(2021, 5, 6, 12, 0);
    s.apply_editorial(&[decision(ids[0], "c", true, 0)], &[heat(1, 50)], t0)
        .expect("decide");
    assert_eq!(history(s, 1), vec![(t0, 50)]);
    // A re-heat four minutes later, in the same ten-minute window: replaced.
    let t1 = t(2021, 5, 6, 12, 4);
    s.apply_editorial(&[], &[heat(1, 60), heat(2, 5)], t1)
        .expect("reheat");
    assert_eq!(history(s, 1), vec![(t1, 60)]);
    assert_eq!(history(s, 2), vec![(t1, 5)], "each story its own history");
    // An older heat of the same window does not replace a newer one.
    s.apply_editorial(&[], &[heat(1, 99)], t(2021, 5, 6, 12, 3))
        .expect("late");
    assert_eq!(history(s, 1), vec![(t1, 60)]);
    // The next window starts at 12:10, whatever the last sample's time.
    let t2 = ts_at(2021, 5, 6, 12, 9, 59);
    s.apply_editorial(&[], &[heat(1, 61)], t2).expect("reheat");
    assert_eq!(history(s, 1), vec![(t2, 61)]);
    let t3 = t(2021, 5, 6, 12, 10);
    s.apply_editorial(&[], &[heat(1, 70)], t3).expect("reheat");
    let t4 = t(2021, 5, 6, 12, 19);
    s.apply_editorial(&[], &[heat(1, 65)], t4).expect("reheat");
    assert_eq!(history(s, 1), vec![(t2, 61), (t4, 65)]);
    // A heat every five minutes for an hour keeps one sample per window.
    for i in 0..12 {
        let at = t(2021, 5, 6, 13, 0) + chrono::Duration::minutes(5 * i);
        s.apply_editorial(&[], &[heat(1, 40 - i)], at)
            .expect("reheat");
    }
    let h = history(s, 1);
    assert_eq!(h.len(), 2 + 6, "six windows from 13:00 to 13:55");
    assert!(h.windows(2).all(|w| w[0].0 < w[1].0), "ordered by time");
    assert_eq!(h.last(), Some(&(t(2021, 5, 6, 13, 55), 29)));
    // The sample and the story's heat are written together.
    assert_eq!(s.story_heat(1).expect("heat").map(|h| h.heat), Some(29));
    // A limit keeps the newest samples, still oldest first.
    let newest: Vec<HeatSample> = s.story_heat_history(1, 2).expect("history");
    assert_eq!(
        newest.iter().map(|h| (h.at, h.heat)).collect::<Vec<_>>(),
        vec![(t(2021, 5, 6, 13, 45), 31), (t(2021, 5, 6, 13, 55), 29)]
    );
    assert!(s.story_heat_history(1, 0).expect("history").is_empty());
}

fn saved_searches_are_unique_by_name_and_slug(s: &mut dyn DeskStore) {
    assert!(s.saved_searches().expect("list").is_empty());
    let now = t(2026, 12, 7, 20, 0);
    let chips = SavedSearch::new(
        "AI chips",
        "title:chips AND (nvidia OR amd)",
        SearchFilters {
            topic: Some("AI".into()),
            provider: Some("sify.com".into()),
            since: chrono::NaiveDate::from_ymd_opt(2026, 11, 1),
            until: None,
            published: Some(true),
        },
        Some("ka"),
        now,
    );
    assert_eq!(chips.slug, "ai-chips");
    let cloud = SavedSearch::new(
        "Cloud deals",
        "\"cloud contract\"",
        SearchFilters::default(),
        None,
        t(2026, 12, 7, 19, 0),
    );
    s.add_saved_search(&cloud).expect("add");
    s.add_saved_search(&chips).expect("add");
    let conflict = |r: Result<(), StoreError>| match r {
        Err(e @ StoreError::SavedSearchExists { .. }) => assert_eq!(e.kind(), ErrorKind::Conflict),
        other => panic!("expected SavedSearchExists, got {other:?}"),
    };
    conflict(s.add_saved_search(&chips));
    conflict(s.add_saved_search(&SavedSearch::new(
        "ai  CHIPS",
        "other",
        SearchFilters::default(),
        None,
        now,
    )));
    assert!(matches!(
        s.add_saved_search(&SavedSearch::new(
            " ",
            "x",
            SearchFilters::default(),
            None,
            now
        )),
        Err(StoreError::EmptySavedSearch { .. })
    ));
    assert!(matches!(
        s.add_saved_search(&SavedSearch::new(
            "q",
            "",
            SearchFilters::default(),
            None,
            now
        )),
        Err(StoreError::EmptySavedSearch { .. })
    ));
    assert_eq!(
        s.saved_searches().expect("list"),
        vec![chips.clone(), cloud.clone()],
        "in slug order, every field as saved"
    );
    assert_eq!(
        s.saved_search("AI chips").expect("get"),
        Some(chips.clone())
    );
    assert_eq!(
        s.saved_search("ai-chips").expect("get"),
        Some(chips.clone())
    );
    assert_eq!(s.saved_search("cloud-deals").expect("get"), Some(cloud));
    assert_eq!(s.saved_search("ai chips").expect("get"), None);
    assert!(s.remove_saved_search("ai-chips").expect("remove"));
    assert!(!s.remove_saved_search("AI chips").expect("remove"));
    assert_eq!(s.saved_search("AI chips").expect("get"), None);
    assert_eq!(s.saved_searches().expect("list").len(), 1);
    // The name is free again.
    s.add_saved_search(&chips).expect("add again");
    assert!(s
        .remove_saved_search("Cloud deals")
        .expect("remove by name"));
    assert_eq!(s.saved_searches().expect("list"), vec![chips]);
}

fn web_sessions_expire_end_and_die_with_their_key(s: &mut dyn DeskStore) {
    s.insert_api_key(&ApiKeyStoreRow {
        role: "editor".into(),
        ..key("ke", "2026-01-01T00:00:00Z")
    })
    .expect("key");
    s.insert_api_key(&key("kr", "2026-01-01T00:00:00Z"))
        .expect("key");
    let t0 = t(2026, 12, 7, 20, 0);
    let new = |id: &str, minutes: i64| NewWebSession {
        api_key_id: id.into(),
        role: "editor".into(),
        created: t0,
        expires: t0 + chrono::Duration::minutes(minutes),
    };
    match s.create_web_session(&new("nope", 60)) {
        Err(e @ StoreError::NoApiKey { .. }) => assert_eq!(e.kind(), ErrorKind::NotFound),
        other => panic!("expected NoApiKey, got {other:?}"),
    }
    let (token, session) = s.create_web_session(&new("ke", 60)).expect("create");
    assert_eq!(
        (session.api_key_id.as_str(), session.role.as_str()),
        ("ke", "editor")
    );
    assert_eq!(
        (session.created, session.expires),
        (t0, t(2026, 12, 7, 21, 0))
    );
    assert_eq!(token.as_str().len(), 64);
    assert_eq!(session.csrf_secret.len(), 64);
    assert_ne!(session.csrf_secret, token.as_str());
    let at = |m: i64| t0 + chrono::Duration::minutes(m);
    assert_eq!(
        s.web_session(token.as_str(), at(30)).expect("lookup"),
        Some(session.clone())
    );
    // Only the token itself opens it, not its hash nor another token.
    let hash = WebSessionToken::hash_of(token.as_str());
    assert_eq!(s.web_session(&hash, at(30)).expect("lookup"), None);
    assert_eq!(
        s.web_session(&token.as_str().to_uppercase(), at(30))
            .expect("lookup"),
        None
    );
    assert_eq!(s.web_session("", at(30)).expect("lookup"), None);
    // Expiry: the last second before it opens, the instant itself does not.
    assert!(s
        .web_session(token.as_str(), at(60) - chrono::Duration::seconds(1))
        .expect("lookup")
        .is_some());
    assert_eq!(s.web_session(token.as_str(), at(60)).expect("lookup"), None);

    let (long, _) = s.create_web_session(&new("ke", 120)).expect("create");
    let (short, _) = s.create_web_session(&new("ke", 10)).expect("create");
    assert_ne!(long, short);
    assert_eq!(s.purge_web_sessions(at(60)).expect("purge"), 2);
    assert_eq!(s.purge_web_sessions(at(60)).expect("purge"), 0);
    assert!(s
        .web_session(long.as_str(), at(60))
        .expect("lookup")
        .is_some());
    assert_eq!(s.web_session(short.as_str(), at(5)).expect("lookup"), None);
    // Signing out.
    assert!(s.delete_web_session(long.as_str()).expect("delete"));
    assert!(!s.delete_web_session(long.as_str()).expect("delete"));
    assert_eq!(s.web_session(long.as_str(), at(61)).expect("lookup"), None);

    // A revoked key's sessions are gone, and it cannot sign in again.
    let (of_revoked, _) = s.create_web_session(&new("kr", 60)).expect("create");
    assert!(s
        .web_session(of_revoked.as_str(), at(1))
        .expect("lookup")
        .is_some());
    assert!(s
        .revoke_api_key("kr", "2026-12-07T20:01:00Z")
        .expect("revoke"));
    assert_eq!(
        s.web_session(of_revoked.as_str(), at(2)).expect("lookup"),
        None
    );
    assert!(matches!(
        s.create_web_session(&new("kr", 60)),
        Err(StoreError::NoApiKey { .. })
    ));
    assert_eq!(s.purge_web_sessions(at(2)).expect("purge"), 1);
}

fn source_daily_counts_group_by_source_and_day(s: &mut dyn DeskStore) {
    let day = |d: u32| chrono::NaiveDate::from_ymd_opt(2021, 5, d).expect("valid day");
    let dated = |url: &str, at: Option<DateTime<Utc>>| Article {
        published_at: at,
        ..sample(url, url)
    };
    let mut with_stub = dated("https://a.test/1", Some(t(2021, 5, 4, 5, 0)));
    // Known only from a related list: not an article the source gave.
    with_stub.related = vec![dated("https://z.test/r", Some(t(2021, 5, 4, 6, 0)))];
    let a = "https://a.test/feed";
    s.ingest(
        &Batch {
            source: source(a),
            articles: vec![
                with_stub,
                dated("https://a.test/2", Some(t(2021, 5, 4, 23, 59))),
                dated("https://a.test/3", Some(t(2021, 5, 5, 0, 0))),
                dated("https://a.test/4", Some(t(2021, 5, 7, 12, 0))),
                dated("https://a.test/5", None),
                dated("https://a.test/6", Some(t(2021, 5, 3, 23, 59))),
            ],
        },
        t(2021, 5, 8, 0, 0),
    )
    .expect("ingest");
    let b = "https://b.test/rss";
    s.ingest(
        &Batch {
            source: source(b),
            articles: vec![
                dated("https://b.test/1", Some(t(2021, 5, 4, 10, 0))),
                dated("https://b.test/2", Some(t(2021, 5, 8, 0, 0))),
            ],
        },
        t(2021, 5, 8, 0, 0),
    )
    .expect("ingest");
    let count = |source: &str, d: u32, articles: u64| SourceDayCount {
        source: source.into(),
        day: day(d),
        articles,
    };
    assert_eq!(
        s.source_daily_counts(day(4), day(7)).expect("counts"),
        vec![
            count(a, 4, 2),
            count(a, 5, 1),
            count(a, 7, 1),
            count(b, 4, 1)
        ]
    );
    assert_eq!(
        s.source_daily_counts(day(8), day(8)).expect("counts"),
        vec![count(b, 8, 1)],
        "one day"
    );
    assert!(s
        .source_daily_counts(day(7), day(4))
        .expect("counts")
        .is_empty());
    // A moved source keeps its articles under its new locator.
    let moved = "https://a.test/feed.xml";
    s.move_source(a, moved).expect("move");
    assert_eq!(
        s.source_daily_counts(day(3), day(4)).expect("counts"),
        vec![count(moved, 3, 1), count(moved, 4, 2), count(b, 4, 1)]
    );
}
