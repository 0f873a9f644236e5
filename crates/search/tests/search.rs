use chrono::{DateTime, TimeZone, Utc};
use newsdesk_search::{
    Doc, Highlight, SearchError, SearchIndex, SearchQuery, Sort, MAX_LIMIT, MAX_QUERY_LEN,
};

fn day(d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, d, 12, 0, 0).unwrap()
}

const FILLER: &str = "The company said on Tuesday that results were in line with what analysts \
                      had expected, and shares moved little in early trading.";

fn docs() -> Vec<Doc> {
    vec![
        Doc {
            id: 1,
            title: "Microsoft expands Azure data centers".into(),
            excerpt: Some("New regions for AI workloads.".into()),
            body: Some(format!("{FILLER} The new regions open next year.")),
            provider: Some("Reuters".into()),
            provider_domain: Some("reuters.com".into()),
            topics: vec!["Microsoft AI".into(), "AI".into()],
            published: Some(true),
            published_at: Some(day(1)),
            quality: Some(120),
            heat: Some(40),
        },
        Doc {
            id: 2,
            title: "Cloud market update".into(),
            excerpt: Some("Who gained share this quarter.".into()),
            body: Some(format!("{FILLER} Azure gained share over the quarter.")),
            provider: Some("The Verge".into()),
            provider_domain: Some("theverge.com".into()),
            topics: vec!["AI".into()],
            published: Some(false),
            published_at: Some(day(2)),
            quality: Some(60),
            heat: Some(-1),
        },
        Doc {
            id: 3,
            title: "AWS launches new Bedrock models".into(),
            excerpt: None,
            body: Some(format!(
                "{FILLER} Prices of crude oil rose as energy use grew."
            )),
            provider: Some("GeekWire".into()),
            provider_domain: Some("geekwire.com".into()),
            topics: vec!["AWS AI".into(), "AI".into()],
            published: Some(true),
            published_at: Some(day(3)),
            quality: Some(90),
            heat: Some(10),
        },
        Doc {
            id: 4,
            title: "Refineries and energy".into(),
            excerpt: Some("Oil in its raw form is crude.".into()),
            body: Some(format!("{FILLER} Oil is crude before refining.")),
            provider: Some("Reuters".into()),
            provider_domain: Some("reuters.com".into()),
            topics: vec![],
            published: Some(true),
            published_at: Some(day(4)),
            quality: None,
            heat: None,
        },
        Doc {
            id: 5,
            title: "<script>alert(1)</script> Azure & \"friends\"".into(),
            excerpt: Some("Nothing <b>bold</b> about Azure & co's <i>plans</i>.".into()),
            body: Some("Nothing <b>bold</b> about Azure & co's <i>plans</i>.".into()),
            provider: None,
            provider_domain: None,
            topics: vec![],
            published: None,
            published_at: None,
            quality: None,
            heat: None,
        },
    ]
}

fn index() -> SearchIndex {
    let idx = SearchIndex::create_in_ram().unwrap();
    idx.add_batch(&docs()).unwrap();
    idx.commit().unwrap();
    idx
}

fn ids(idx: &SearchIndex, q: &SearchQuery) -> Vec<i64> {
    idx.search(q).unwrap().hits.iter().map(|h| h.id).collect()
}

#[test]
fn title_match_ranks_above_body_match() {
    let idx = index();
    let r = idx.search(&SearchQuery::new("azure")).unwrap();
    assert_eq!(r.total, 3);
    let pos = |id| r.hits.iter().position(|h| h.id == id).unwrap();
    assert!(pos(1) < pos(2), "{:?}", r.hits);
    assert!(r.hits[0].score > 0.0);
    assert_eq!(r.sort, Sort::Relevance);
}

#[test]
fn words_are_all_required_and_stemmed() {
    let idx = index();
    assert_eq!(ids(&idx, &SearchQuery::new("launching Bedrock")), vec![3]);
    assert_eq!(
        ids(&idx, &SearchQuery::new("azure refineries")),
        Vec::<i64>::new()
    );
    assert_eq!(
        {
            let mut v = ids(&idx, &SearchQuery::new("azure OR refineries"));
            v.sort();
            v
        },
        vec![1, 2, 4, 5]
    );
    // Provider names and topics are searchable text too.
    assert_eq!(ids(&idx, &SearchQuery::new("geekwire")), vec![3]);
    let mut v = ids(&idx, &SearchQuery::new("reuters energy"));
    v.sort();
    assert_eq!(v, vec![4]);
}

#[test]
fn phrases() {
    let idx = index();
    assert_eq!(ids(&idx, &SearchQuery::new("\"crude oil\"")), vec![3]);
    let mut both = ids(&idx, &SearchQuery::new("crude oil"));
    both.sort();
    assert_eq!(both, vec![3, 4]);
    assert_eq!(
        ids(&idx, &SearchQuery::new("\"oil crude\"")),
        Vec::<i64>::new()
    );
}

#[test]
fn filters() {
    let idx = index();
    let sorted = |q: SearchQuery| {
        let mut v = ids(&idx, &q);
        v.sort();
        v
    };
    // Topic, any case; several topics are all required.
    assert_eq!(sorted(SearchQuery::new("").topic("ai")), vec![1, 2, 3]);
    assert_eq!(sorted(SearchQuery::new("").topic("Microsoft AI")), vec![1]);
    assert_eq!(
        sorted(SearchQuery::new("").topic("AI").topic("aws ai")),
        vec![3]
    );
    assert_eq!(
        sorted(SearchQuery::new("").topic("Microsoft")),
        Vec::<i64>::new()
    );
    // Provider by name or domain; several are alternatives.
    assert_eq!(sorted(SearchQuery::new("").provider("REUTERS")), vec![1, 4]);
    assert_eq!(
        sorted(SearchQuery::new("").provider("reuters.com")),
        vec![1, 4]
    );
    assert_eq!(
        sorted(
            SearchQuery::new("")
                .provider("reuters")
                .provider("geekwire.com")
        ),
        vec![1, 3, 4]
    );
    // Date range: from inclusive, until exclusive.
    assert_eq!(
        sorted(SearchQuery::new("").between(Some(day(2)), Some(day(4)))),
        vec![2, 3]
    );
    assert_eq!(
        sorted(SearchQuery::new("").between(Some(day(3)), None)),
        vec![3, 4]
    );
    assert_eq!(
        sorted(SearchQuery::new("").between(None, Some(day(2)))),
        vec![1]
    );
    // Published.
    assert_eq!(sorted(SearchQuery::new("").published(true)), vec![1, 3, 4]);
    assert_eq!(sorted(SearchQuery::new("").published(false)), vec![2]);
    // Filters with text: filters do not change the text's ranking.
    let q = SearchQuery::new("azure").published(true);
    assert_eq!(ids(&idx, &q), vec![1]);
    let plain = idx.search(&SearchQuery::new("azure")).unwrap();
    let filtered = idx.search(&q).unwrap();
    let score1 = plain.hits.iter().find(|h| h.id == 1).unwrap().score;
    assert_eq!(filtered.hits[0].score, score1);
    assert_eq!(filtered.total, 1);
}

#[test]
fn blank_text_lists_newest_first() {
    let idx = index();
    let r = idx.search(&SearchQuery::new("  ")).unwrap();
    assert_eq!(r.sort, Sort::Newest);
    assert_eq!(r.total, 5);
    assert_eq!(
        r.hits.iter().map(|h| h.id).collect::<Vec<_>>(),
        vec![4, 3, 2, 1, 5]
    );
    assert_eq!(r.hits[0].published_at, Some(day(4)));
    assert_eq!(r.hits[0].provider.as_deref(), Some("Reuters"));
    // Newest order with text.
    let r = idx
        .search(&SearchQuery::new("azure").sort(Sort::Newest))
        .unwrap();
    assert_eq!(
        r.hits.iter().map(|h| h.id).collect::<Vec<_>>(),
        vec![2, 1, 5]
    );
}

#[test]
fn snippets_mark_matches_and_escape_html() {
    let idx = index();
    let r = idx.search(&SearchQuery::new("azure")).unwrap();
    let h5 = r.hits.iter().find(|h| h.id == 5).unwrap();
    assert_eq!(
        h5.title_html,
        "&lt;script&gt;alert(1)&lt;/script&gt; <b>Azure</b> &amp; &quot;friends&quot;"
    );
    let s5 = h5.snippet_html.as_deref().unwrap();
    assert!(s5.contains("&lt;b&gt;bold&lt;/b&gt;"), "{s5}");
    assert!(s5.contains("<b>Azure</b> &amp; co&#39;s &lt;i&gt;"), "{s5}");
    assert!(!s5.contains("<i>") && !s5.contains("<b>bold"), "{s5}");

    let h1 = r.hits.iter().find(|h| h.id == 1).unwrap();
    assert_eq!(h1.title_html, "Microsoft expands <b>Azure</b> data centers");
    // No match in body or excerpt: the excerpt's start.
    assert_eq!(
        h1.snippet_html.as_deref(),
        Some("New regions for AI workloads.")
    );
    // A match in the body only: the body is not stored, so the snippet is
    // the excerpt's start and never body text.
    let h2 = r.hits.iter().find(|h| h.id == 2).unwrap();
    assert_eq!(h2.title_html, "Cloud market update");
    assert_eq!(
        h2.snippet_html.as_deref(),
        Some("Who gained share this quarter.")
    );

    // Custom tags.
    let mut q = SearchQuery::new("azure");
    q.highlight = Highlight {
        pre: "<mark>".into(),
        post: "</mark>".into(),
        max_chars: 200,
    };
    let r = idx.search(&q).unwrap();
    let h5 = r.hits.iter().find(|h| h.id == 5).unwrap();
    assert!(h5.title_html.contains("<mark>Azure</mark>"));
    assert!(
        h5.snippet_html
            .as_deref()
            .unwrap()
            .contains("<mark>Azure</mark> &amp; co&#39;s"),
        "{:?}",
        h5.snippet_html
    );
    // An article with a body but no excerpt has no snippet.
    let r = idx.search(&SearchQuery::new("crude oil")).unwrap();
    let h3 = r.hits.iter().find(|h| h.id == 3).unwrap();
    assert_eq!(h3.snippet_html, None);
    for h in &r.hits {
        let snippet = h.snippet_html.as_deref().unwrap_or("");
        assert!(!snippet.contains("results were in line"), "{snippet}");
    }
    // Without snippets: escaped titles only.
    let mut q = SearchQuery::new("azure");
    q.snippets = false;
    let r = idx.search(&q).unwrap();
    let h5 = r.hits.iter().find(|h| h.id == 5).unwrap();
    assert!(h5.title_html.starts_with("&lt;script&gt;"));
    assert!(r.hits.iter().all(|h| h.snippet_html.is_none()));
    // A stemmed match is marked on the word as written.
    let r = idx.search(&SearchQuery::new("launching")).unwrap();
    assert_eq!(
        r.hits[0].title_html,
        "AWS <b>launches</b> new Bedrock models"
    );
}

#[test]
fn long_excerpts_give_a_cut_passage_around_the_match() {
    let idx = SearchIndex::create_in_ram().unwrap();
    let text = format!("{FILLER} {FILLER} Quantum chips (see “Willow”) arrived. {FILLER} {FILLER}");
    idx.add_batch(&[Doc {
        id: 7,
        title: "Chip news".into(),
        excerpt: Some(text),
        ..Doc::default()
    }])
    .unwrap();
    idx.commit().unwrap();
    let r = idx.search(&SearchQuery::new("willow")).unwrap();
    let s = r.hits[0].snippet_html.as_deref().unwrap();
    assert!(s.starts_with('…') && s.ends_with('…'), "{s}");
    assert!(s.contains("“<b>Willow</b>”)"), "{s}");
    assert!(s.chars().count() <= 200 + 16, "{s}");
    assert_eq!(r.hits[0].title_html, "Chip news");
}

#[test]
fn dates_far_from_now_are_filters_and_values_not_crashes() {
    let idx = index();
    let at = |y: i32| Utc.with_ymd_and_hms(y, 1, 1, 0, 0, 0).unwrap();
    for (from, until, want) in [
        (Some(at(476)), None, 4),
        (Some(at(1)), Some(at(9999)), 4),
        (None, Some(at(1000)), 0),
        (Some(at(9000)), None, 0),
        (Some(at(9000)), Some(at(476)), 0),
    ] {
        let r = idx
            .search(&SearchQuery::new("").between(from, until))
            .unwrap();
        assert_eq!(r.total, want, "{from:?} {until:?}");
    }
    idx.add_batch(&[Doc {
        id: 99,
        title: "Ancient".into(),
        published_at: Some(at(1200)),
        ..Doc::default()
    }])
    .unwrap();
    idx.commit().unwrap();
    let r = idx.search(&SearchQuery::new("ancient")).unwrap();
    assert_eq!(r.total, 1);
}

#[test]
fn bodies_are_searched_but_never_returned() {
    let dir = tempfile::tempdir().unwrap();
    let idx = SearchIndex::open_or_create(dir.path()).unwrap();
    let secret = "zyxwvut confidential passage";
    idx.add_batch(&[Doc {
        id: 9,
        title: "Plain title".into(),
        excerpt: Some("A short summary.".into()),
        body: Some(format!("{FILLER} The {secret} is here.")),
        ..Doc::default()
    }])
    .unwrap();
    idx.commit().unwrap();
    let r = idx.search(&SearchQuery::new("zyxwvut")).unwrap();
    assert_eq!(r.total, 1);
    assert_eq!(r.hits[0].snippet_html.as_deref(), Some("A short summary."));
    let r = idx
        .search(&SearchQuery::new("\"zyxwvut confidential passage\""))
        .unwrap();
    assert_eq!(r.total, 1, "phrases match in the body");
    drop(idx);
    // No stored field holds it: the document store files do not contain it.
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|e| e == "store") {
            let bytes = std::fs::read(&p).unwrap();
            let text = String::from_utf8_lossy(&bytes);
            assert!(!text.contains("confidential"), "{}", p.display());
        }
    }
}

#[test]
fn an_index_of_another_version_is_recreated_empty() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut b = tantivy::schema::Schema::builder();
        b.add_text_field("title", tantivy::schema::TEXT);
        let index = tantivy::Index::create_in_dir(dir.path(), b.build()).unwrap();
        let mut w: tantivy::IndexWriter = index.writer(15_000_000).unwrap();
        w.add_document(tantivy::doc!(index.schema().get_field("title").unwrap() => "old"))
            .unwrap();
        w.commit().unwrap();
    }
    let (idx, how) = SearchIndex::open_or_recreate(dir.path()).unwrap();
    assert!(
        matches!(how, newsdesk_search::Opened::Recreated(_)),
        "{how:?}"
    );
    assert!(how.is_new());
    assert_eq!(idx.doc_count(), 0);
    idx.add_batch(&docs()).unwrap();
    idx.commit().unwrap();
    drop(idx);
    let (idx, how) = SearchIndex::open_or_recreate(dir.path()).unwrap();
    assert_eq!(how, newsdesk_search::Opened::Existing);
    assert_eq!(idx.doc_count(), 5);
    // Held by a writer: refused, never removed.
    let err = SearchIndex::open_or_recreate(dir.path()).unwrap_err();
    assert!(matches!(err, SearchError::Locked { .. }), "{err}");
    drop(idx);
    let fresh = dir.path().join("fresh");
    let (_, how) = SearchIndex::open_or_recreate(&fresh).unwrap();
    assert_eq!(how, newsdesk_search::Opened::Created);
    assert_eq!(newsdesk_search::SCHEMA_VERSION, 3);
}

#[test]
fn paging_is_capped_and_consistent() {
    let idx = SearchIndex::create_in_ram().unwrap();
    let many: Vec<Doc> = (0..250)
        .map(|i| Doc {
            id: i,
            title: format!("market note {i}"),
            body: Some("market ".repeat((i % 7 + 1) as usize)),
            ..Doc::default()
        })
        .collect();
    idx.add_batch(&many).unwrap();
    idx.commit().unwrap();
    let all = idx
        .search(&SearchQuery::new("market").page(1000, 0))
        .unwrap();
    assert_eq!(all.limit, MAX_LIMIT);
    assert_eq!(all.hits.len(), MAX_LIMIT);
    assert_eq!(all.total, 250);
    let zero = idx.search(&SearchQuery::new("market").page(0, 0)).unwrap();
    assert_eq!(zero.hits.len(), 1);
    let p1 = ids(&idx, &SearchQuery::new("market").page(10, 0));
    let p2 = ids(&idx, &SearchQuery::new("market").page(10, 10));
    let both = ids(&idx, &SearchQuery::new("market").page(20, 0));
    assert_eq!([p1, p2].concat(), both);
    let past = idx
        .search(&SearchQuery::new("market").page(10, 245))
        .unwrap();
    assert_eq!(past.hits.len(), 5);
    let err = idx
        .search(&SearchQuery::new("market").page(10, 10_001))
        .unwrap_err();
    assert!(matches!(err, SearchError::OffsetTooLarge { .. }), "{err}");
}

#[test]
fn upsert_replaces_and_delete_removes() {
    let idx = index();
    assert_eq!(idx.doc_count(), 5);
    let mut changed = docs()[0].clone();
    changed.title = "Microsoft opens Azure regions in Norway".into();
    idx.add_batch(&[changed]).unwrap();
    // Not visible before the commit.
    assert_eq!(ids(&idx, &SearchQuery::new("norway")), Vec::<i64>::new());
    idx.commit().unwrap();
    assert_eq!(idx.doc_count(), 5);
    assert_eq!(ids(&idx, &SearchQuery::new("norway")), vec![1]);
    assert_eq!(ids(&idx, &SearchQuery::new("expands")), Vec::<i64>::new());

    // The same id twice in one batch: the later one wins.
    let mut a = docs()[1].clone();
    a.title = "first version".into();
    let mut b = docs()[1].clone();
    b.title = "second version".into();
    idx.add_batch(&[a, b]).unwrap();
    idx.commit().unwrap();
    assert_eq!(idx.doc_count(), 5);
    assert_eq!(ids(&idx, &SearchQuery::new("version")), vec![2]);
    assert_eq!(ids(&idx, &SearchQuery::new("first")), Vec::<i64>::new());

    idx.delete(3).unwrap();
    idx.delete(999).unwrap();
    idx.commit().unwrap();
    assert_eq!(idx.doc_count(), 4);
    assert_eq!(ids(&idx, &SearchQuery::new("bedrock")), Vec::<i64>::new());
    assert_eq!(idx.ids().unwrap(), vec![1, 2, 4, 5]);
    assert!(idx.check(4).is_consistent());
    let c = idx.check(5);
    assert!(!c.is_consistent());
    assert_eq!((c.indexed, c.expected), (4, 5));

    // Rollback drops queued changes.
    idx.delete(1).unwrap();
    idx.rollback().unwrap();
    idx.commit().unwrap();
    assert_eq!(idx.doc_count(), 4);
}

#[test]
fn rebuild_replaces_everything_in_one_commit() {
    let idx = index();
    let n = idx
        .rebuild((100..3100).map(|i| Doc {
            id: i,
            title: format!("rebuilt {i}"),
            ..Doc::default()
        }))
        .unwrap();
    assert_eq!(n, 3000);
    assert_eq!(idx.doc_count(), 3000);
    assert_eq!(ids(&idx, &SearchQuery::new("azure")), Vec::<i64>::new());
    assert_eq!(
        idx.search(&SearchQuery::new("rebuilt")).unwrap().total,
        3000
    );
    assert_eq!(idx.rebuild(Vec::new()).unwrap(), 0);
    assert_eq!(idx.doc_count(), 0);
}

#[test]
fn malformed_queries_never_panic() {
    let idx = index();
    let long_ok = "azure ".repeat(MAX_QUERY_LEN / 6);
    let many_ops = "a AND ".repeat(300);
    let parens = "(".repeat(500);
    let closing = ")".repeat(500);
    let quotes = "\"".repeat(501);
    let cases: Vec<&str> = vec![
        "\"crude oil",
        "crude oil\"",
        "(azure OR cloud",
        "azure)",
        "azure AND AND cloud",
        "AND",
        "OR OR OR",
        "NOT",
        "-",
        "+",
        "+-azure",
        "title:",
        ":",
        "::",
        "title:\"",
        "nosuchfield:azure",
        "nosuchfield:*",
        "é : * / a*",
        "title:*",
        "body:*",
        "published_at:*",
        "quality:abc",
        "published_at:yesterday",
        "published:maybe",
        "id:1.5",
        "quality:[1 TO",
        "quality:{ TO }",
        "[",
        "{",
        "*",
        "azure*",
        "*azure",
        "\\",
        "azure\\",
        "~",
        "azure~",
        "\"azure cloud\"~",
        "\"azure cloud\"~999999999999",
        "azure^",
        "azure^abc",
        "azure^-1e309",
        "/regex/",
        "IN [a b",
        "日本語 ñandú 🚀",
        "\u{0}\u{7}\u{1b}[31m",
        "é\u{301}",
        "\u{202e}azure",
        "\"\"",
        "()",
        "( )",
        "!",
        "&&",
        "||",
        "azure && cloud || !market",
        &long_ok,
        &many_ops,
        &parens,
        &closing,
        &quotes,
    ];
    for text in cases {
        let lenient = idx.search(&SearchQuery::new(text));
        match &lenient {
            Ok(r) => assert!(r.hits.len() <= r.total),
            Err(e) => assert!(
                matches!(e, SearchError::QueryTooLong { .. }),
                "{text:?}: {e}"
            ),
        }
        match idx.search(&SearchQuery::new(text).strict(true)) {
            Ok(_) => {}
            Err(SearchError::Query { message, .. }) => assert!(!message.is_empty()),
            Err(SearchError::QueryTooLong { .. }) => {}
            Err(e) => panic!("{text:?}: {e}"),
        }
    }
    // Unclosed phrase: the words are searched, with a warning naming the place.
    let r = idx.search(&SearchQuery::new("\"crude oil")).unwrap();
    let mut found: Vec<i64> = r.hits.iter().map(|h| h.id).collect();
    found.sort();
    assert_eq!(found, vec![3, 4]);
    assert_eq!(r.warnings.len(), 1);
    assert!(r.warnings[0].contains("at character 1"), "{:?}", r.warnings);
    // Strict mode: a typed error with the position.
    match idx.search(&SearchQuery::new("azure AND AND cloud").strict(true)) {
        Err(SearchError::Query { position, message }) => {
            assert_eq!(position, Some(10), "{message}");
        }
        other => panic!("{other:?}"),
    }
    match idx.search(&SearchQuery::new("(azure OR cloud").strict(true)) {
        Err(e @ SearchError::Query { .. }) => {
            assert!(e.to_string().contains("at character 1"), "{e}")
        }
        other => panic!("{other:?}"),
    }
    // Deep nesting is refused before the (recursive) parser sees it.
    let deep = format!("{}azure{}", "(".repeat(40), ")".repeat(40));
    let r = idx.search(&SearchQuery::new(deep.clone())).unwrap();
    assert_eq!(r.warnings.len(), 1, "{:?}", r.warnings);
    assert!(r.warnings[0].contains("nested"), "{:?}", r.warnings);
    assert_eq!(r.total, 3, "the words are still searched");
    match idx.search(&SearchQuery::new(deep).strict(true)) {
        Err(SearchError::Query { position, .. }) => {
            assert_eq!(position, Some(newsdesk_search::MAX_NESTING))
        }
        other => panic!("{other:?}"),
    }
    let shallow = format!("{}azure{}", "(".repeat(8), ")".repeat(8));
    let r = idx.search(&SearchQuery::new(shallow)).unwrap();
    assert!(r.warnings.is_empty());
    assert_eq!(r.total, 3);
    // Too long.
    let huge = "x".repeat(MAX_QUERY_LEN + 1);
    assert!(matches!(
        idx.search(&SearchQuery::new(huge)).unwrap_err(),
        SearchError::QueryTooLong { .. }
    ));
    let huge = "azure ".repeat(100_000);
    assert!(idx.search(&SearchQuery::new(huge)).is_err());
}

#[test]
fn reopen_keeps_committed_docs_and_drops_uncommitted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("index");
    {
        let idx = SearchIndex::open_or_create(&path).unwrap();
        idx.add_batch(&docs()).unwrap();
        idx.commit().unwrap();
        // Queued but never committed: a crash (here a drop) loses them.
        idx.add_batch(&[Doc {
            id: 99,
            title: "never committed".into(),
            ..Doc::default()
        }])
        .unwrap();
        idx.delete(1).unwrap();
    }
    let idx = SearchIndex::open_or_create(&path).unwrap();
    assert_eq!(idx.doc_count(), 5);
    assert_eq!(ids(&idx, &SearchQuery::new("committed")), Vec::<i64>::new());
    assert_eq!(ids(&idx, &SearchQuery::new("expands")), vec![1]);
    assert!(idx.check(5).is_consistent());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o700);
    }
}

#[test]
fn one_writer_per_folder_and_read_only_readers() {
    let dir = tempfile::tempdir().unwrap();
    let writer = SearchIndex::open_or_create(dir.path()).unwrap();
    let err = SearchIndex::open_or_create(dir.path()).unwrap_err();
    assert!(matches!(err, SearchError::Locked { .. }), "{err}");
    writer.add_batch(&docs()).unwrap();
    writer.commit().unwrap();

    let reader = SearchIndex::open_read_only(dir.path()).unwrap();
    assert_eq!(reader.doc_count(), 5);
    assert_eq!(ids(&reader, &SearchQuery::new("bedrock")), vec![3]);
    assert!(matches!(
        reader.add_batch(&docs()).unwrap_err(),
        SearchError::ReadOnly
    ));
    assert!(matches!(
        reader.commit().unwrap_err(),
        SearchError::ReadOnly
    ));
    writer.delete(3).unwrap();
    writer.commit().unwrap();
    reader.reload().unwrap();
    assert_eq!(reader.doc_count(), 4);

    drop(writer);
    let again = SearchIndex::open_or_create(dir.path()).unwrap();
    assert_eq!(again.doc_count(), 4);
}

#[test]
fn another_layout_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut b = tantivy::schema::Schema::builder();
        b.add_text_field("title", tantivy::schema::TEXT);
        let index = tantivy::Index::create_in_dir(dir.path(), b.build()).unwrap();
        drop(index);
    }
    let err = SearchIndex::open_or_create(dir.path()).unwrap_err();
    assert!(matches!(err, SearchError::SchemaMismatch { .. }), "{err}");
    let err = SearchIndex::open_read_only(dir.path()).unwrap_err();
    assert!(matches!(err, SearchError::SchemaMismatch { .. }), "{err}");
    let missing = dir.path().join("missing");
    assert!(SearchIndex::open_read_only(&missing).is_err());
}

#[test]
fn the_index_can_be_shared_between_threads() {
    fn shareable<T: Send + Sync>() {}
    shareable::<SearchIndex>();
    let idx = std::sync::Arc::new(index());
    let handles: Vec<_> = (0..4)
        .map(|i| {
            let idx = idx.clone();
            std::thread::spawn(move || {
                if i == 0 {
                    idx.add_batch(&[Doc {
                        id: 50,
                        title: "azure threads".into(),
                        ..Doc::default()
                    }])
                    .unwrap();
                    idx.commit().unwrap();
                }
                idx.search(&SearchQuery::new("azure")).unwrap().total
            })
        })
        .collect();
    for h in handles {
        let total = h.join().unwrap();
        assert!(total == 3 || total == 4, "{total}");
    }
    assert_eq!(idx.search(&SearchQuery::new("azure")).unwrap().total, 4);
}

#[test]
fn an_interrupted_rebuild_leaves_the_old_index() {
    let dir = tempfile::tempdir().unwrap();
    {
        let idx = SearchIndex::open_or_create(dir.path()).unwrap();
        idx.add_batch(&docs()).unwrap();
        idx.commit().unwrap();
        // A rebuild that never reaches its commit (the process dies).
        idx.clear().unwrap();
        let replacement: Vec<Doc> = (0..2000)
            .map(|i| Doc {
                id: 1000 + i,
                title: format!("replacement {i}"),
                ..Doc::default()
            })
            .collect();
        idx.add_batch(&replacement).unwrap();
        // Searches still see the committed index meanwhile.
        assert_eq!(ids(&idx, &SearchQuery::new("bedrock")), vec![3]);
        assert_eq!(idx.doc_count(), 5);
    }
    let idx = SearchIndex::open_or_create(dir.path()).unwrap();
    assert_eq!(idx.doc_count(), 5);
    assert_eq!(idx.ids().unwrap(), vec![1, 2, 3, 4, 5]);
    assert_eq!(
        ids(&idx, &SearchQuery::new("replacement")),
        Vec::<i64>::new()
    );
}

#[test]
fn totals_are_exact_up_to_the_cap_then_a_lower_bound() {
    let idx = SearchIndex::create_in_ram().unwrap();
    let n = newsdesk_search::COUNT_CAP as i64 + 50;
    let many: Vec<Doc> = (0..n)
        .map(|i| Doc {
            id: i,
            title: format!("harbour note {i}"),
            published: Some(i % 2 == 0),
            published_at: Some(day(1 + (i % 20) as u32)),
            ..Doc::default()
        })
        .collect();
    idx.add_batch(&many).unwrap();
    idx.commit().unwrap();
    // More matches than the cap: the count stops there and says so.
    let r = idx.search(&SearchQuery::new("harbour note")).unwrap();
    assert_eq!(
        (r.total, r.total_exact),
        (newsdesk_search::COUNT_CAP, false)
    );
    // Under the cap: exact, filters included.
    let r = idx
        .search(&SearchQuery::new("harbour").published(true))
        .unwrap();
    assert_eq!((r.total, r.total_exact), (n as usize / 2, true));
    let r = idx.search(&SearchQuery::new("harbour 7")).unwrap();
    assert!(r.total_exact);
    assert_eq!(r.total, 1);
    // One word, no filter: its document frequency, exact past the cap.
    let r = idx.search(&SearchQuery::new("harbour")).unwrap();
    assert_eq!((r.total, r.total_exact), (n as usize, true));
    // ... and counted when a deletion makes frequencies stale.
    idx.delete(3).unwrap();
    idx.commit().unwrap();
    let r = idx.search(&SearchQuery::new("harbour")).unwrap();
    assert_eq!(r.total, newsdesk_search::COUNT_CAP);
    assert!(!r.total_exact);
    // Newest first counts the same way.
    let mut q = SearchQuery::new("harbour");
    q.sort = Sort::Newest;
    let r = idx.search(&q).unwrap();
    assert_eq!(
        (r.total, r.total_exact),
        (newsdesk_search::COUNT_CAP, false)
    );
    assert_eq!(r.hits[0].published_at, Some(day(20)));
    q.published = Some(false);
    let r = idx.search(&q).unwrap();
    assert_eq!((r.total, r.total_exact), (n as usize / 2 - 1, true));
    assert!(r.hits.iter().all(|h| h.published_at == Some(day(20))));
}

/// Filters keep exactly the matches that pass them, in the order the
/// unfiltered ranking gives them, whichever way they are applied.
#[test]
fn filtered_results_are_the_unfiltered_ranking_filtered() {
    const WORDS: &[&str] = &[
        "oil", "market", "cloud", "bank", "rates", "azure", "model", "chip", "energy", "trade",
    ];
    const TOPICS: &[&str] = &["AI", "Cloud", "Energy", "Markets"];
    const PROVIDERS: &[&str] = &["Reuters", "GeekWire", "The Verge", "AP"];
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move |m: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % m
    };
    let mut docs = Vec::new();
    for id in 0..1500i64 {
        let words = |n: u64, next: &mut dyn FnMut(u64) -> u64| {
            (0..n)
                .map(|_| WORDS[next(WORDS.len() as u64) as usize])
                .collect::<Vec<_>>()
                .join(" ")
        };
        let title = words(1 + next(5), &mut next);
        let body = words(5 + next(40), &mut next);
        let mut topics: Vec<String> = TOPICS
            .iter()
            .filter(|_| next(3) == 0)
            .map(|t| t.to_string())
            .collect();
        // A rare topic: filtering by it joins the text query as a clause.
        if next(50) == 0 {
            topics.push("Rare".into());
        }
        docs.push(Doc {
            id,
            title,
            body: Some(body),
            provider: Some(PROVIDERS[next(4) as usize].into()),
            topics,
            published: match next(5) {
                0 => None,
                1 => Some(false),
                _ => Some(true),
            },
            published_at: (next(10) > 0).then(|| day(1 + next(28) as u32)),
            ..Doc::default()
        });
    }
    let idx = SearchIndex::create_in_ram().unwrap();
    // Several commits: several segments, so the page's threshold carries
    // from one segment to the next.
    for chunk in docs.chunks(400) {
        idx.add_batch(chunk).unwrap();
        idx.commit().unwrap();
    }
    let by_id: std::collections::HashMap<i64, &Doc> = docs.iter().map(|d| (d.id, d)).collect();
    let everything = |text: &str, sort: Sort| -> Vec<i64> {
        let mut out = Vec::new();
        loop {
            let mut q = SearchQuery::new(text).page(MAX_LIMIT, out.len());
            q.sort = sort;
            q.snippets = false;
            let r = idx.search(&q).unwrap();
            if r.hits.is_empty() {
                break;
            }
            out.extend(r.hits.iter().map(|h| h.id));
        }
        out
    };
    let mut checked = 0;
    for text in [
        "oil",
        "market cloud",
        "\"bank rates\"",
        "chip OR energy",
        "trade -oil",
        "",
    ] {
        for sort in [Sort::Relevance, Sort::Newest] {
            let all = everything(text, sort);
            for case in 0..12 {
                let mut q = SearchQuery::new(text).page(15, 0);
                q.sort = sort;
                q.snippets = false;
                if case % 3 == 0 {
                    q.published = Some(case % 2 == 0);
                }
                if case % 4 == 1 {
                    q.topics.push(["ai", "cloud", "rare"][case / 4 % 3].into());
                }
                if case % 5 == 2 {
                    q.providers.push(PROVIDERS[case % 4].into());
                    q.providers.push("geekwire".into());
                }
                if case % 6 == 3 {
                    q.from = Some(day(8));
                    q.until = Some(day(20));
                }
                let keep = |d: &Doc| {
                    q.published.is_none_or(|p| d.published == Some(p))
                        && q.topics
                            .iter()
                            .all(|t| d.topics.iter().any(|x| x.to_lowercase() == *t))
                        && (q.providers.is_empty()
                            || q.providers.iter().any(|p| {
                                d.provider.as_deref().map(str::to_lowercase)
                                    == Some(p.to_lowercase())
                            }))
                        && q.from
                            .is_none_or(|f| d.published_at.is_some_and(|a| a >= f))
                        && q.until
                            .is_none_or(|u| d.published_at.is_some_and(|a| a < u))
                };
                let expected: Vec<i64> = all.iter().copied().filter(|id| keep(by_id[id])).collect();
                let r = idx.search(&q).unwrap();
                let got: Vec<i64> = r.hits.iter().map(|h| h.id).collect();
                let want: Vec<i64> = expected.iter().copied().take(15).collect();
                if sort == Sort::Relevance {
                    assert_eq!(got, want, "{text:?} {q:?}");
                } else {
                    // Equal dates may come in either order: compare dates.
                    let date = |id: &i64| by_id[id].published_at;
                    assert_eq!(
                        got.iter().map(date).collect::<Vec<_>>(),
                        want.iter().map(date).collect::<Vec<_>>(),
                        "{text:?} {q:?}"
                    );
                }
                assert_eq!(r.total, expected.len(), "{text:?} {q:?}");
                assert!(r.total_exact);
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 144);
}

/// The published filter follows changes within one open index (its
/// per-segment sets are rebuilt for new segments, dropped for merged ones).
#[test]
fn the_published_filter_follows_changes_in_a_long_lived_index() {
    let idx = index();
    let published = |idx: &SearchIndex, p: bool| {
        let mut v = ids(idx, &SearchQuery::new("").published(p));
        v.sort();
        v
    };
    assert_eq!(published(&idx, true), vec![1, 3, 4]);
    let mut flipped = docs()[0].clone();
    flipped.published = Some(false);
    idx.add_batch(&[flipped]).unwrap();
    idx.commit().unwrap();
    assert_eq!(published(&idx, true), vec![3, 4]);
    assert_eq!(published(&idx, false), vec![1, 2]);
    for round in 0..5 {
        let mut d = docs()[2].clone();
        d.published = Some(round % 2 == 0);
        idx.add_batch(&[d]).unwrap();
        idx.commit().unwrap();
    }
    assert_eq!(published(&idx, true), vec![3, 4]);
    assert_eq!(
        ids(&idx, &SearchQuery::new("bedrock").published(true)),
        vec![3]
    );
}
