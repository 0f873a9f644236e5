//! The newsroom's promises: deterministic output, consistent truth, text that
//! is realistic in the ways the dedup and story algorithms will be measured
//! on, and feeds the desk's own reader accepts.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use newsdesk_newsroom::{generate, write_feeds, write_jsonl, Config, Generated, Kind, WriteError};

fn all(config: &Config) -> Vec<Generated> {
    generate(config).collect()
}

fn jsonl(config: &Config) -> Vec<u8> {
    let mut out = Vec::new();
    write_jsonl(&mut out, generate(config)).unwrap();
    out
}

fn words(s: &str) -> Vec<String> {
    s.split(|c: char| !c.is_alphanumeric() && c != '.' && c != '$' && c != '%')
        .map(|w| w.trim_matches('.').to_lowercase())
        .filter(|w| !w.is_empty())
        .collect()
}

fn shingles(s: &str) -> HashSet<String> {
    let w = words(s);
    w.windows(5).map(|g| g.join(" ")).collect()
}

fn jaccard<T: std::hash::Hash + Eq>(a: &HashSet<T>, b: &HashSet<T>) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    a.intersection(b).count() as f64 / a.union(b).count() as f64
}

/// Names and figures: capitalized words not opening a sentence, and numbers.
fn entities(s: &str) -> HashSet<String> {
    let mut out = HashSet::new();
    let mut sentence_start = true;
    for raw in s.split_whitespace() {
        let w = raw.trim_matches(|c: char| !c.is_alphanumeric());
        if !w.is_empty() {
            let first = w.chars().next().unwrap();
            if first.is_ascii_digit() {
                let digits: String = w.chars().filter(|c| c.is_ascii_digit()).collect();
                out.insert(digits);
            } else if first.is_uppercase() && !sentence_start {
                out.insert(w.to_string());
            }
        }
        sentence_start = raw.ends_with('.') || raw.ends_with('\u{2014}');
    }
    out
}

fn mean(xs: &[f64]) -> f64 {
    xs.iter().sum::<f64>() / xs.len().max(1) as f64
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let config = Config {
        events: 60,
        ..Config::default()
    };
    let a = jsonl(&config);
    assert!(!a.is_empty());
    assert_eq!(a, jsonl(&config));
    assert_ne!(
        a,
        jsonl(&Config {
            seed: 2,
            ..config.clone()
        })
    );

    let one = tempfile::tempdir().unwrap();
    let two = tempfile::tempdir().unwrap();
    write_feeds(one.path(), generate(&config)).unwrap();
    write_feeds(two.path(), generate(&config)).unwrap();
    let list = |d: &std::path::Path| {
        let mut v: Vec<_> = std::fs::read_dir(d)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        v.sort();
        v
    };
    assert_eq!(list(one.path()), list(two.path()));
    for name in list(one.path()) {
        assert_eq!(
            std::fs::read(one.path().join(&name)).unwrap(),
            std::fs::read(two.path().join(&name)).unwrap(),
            "{name:?}"
        );
    }
}

#[test]
fn truth_is_consistent_and_shares_are_met() {
    let config = Config {
        events: 400,
        ..Config::default()
    };
    let items = all(&config);
    let n = items.len() as f64;
    assert!(items.len() > 2000, "{}", items.len());

    let mut seen: HashMap<&str, (u64, Kind)> = HashMap::new();
    let mut stories: BTreeMap<u64, Vec<Kind>> = BTreeMap::new();
    let mut last = None;
    for g in &items {
        let t = &g.truth;
        let a = &g.article;
        assert_eq!(a.original_url.as_deref(), Some(t.id.as_str()));
        assert!(a.published_at >= last, "stream is in publication order");
        last = a.published_at;
        assert!(
            a.body.as_ref().unwrap().split("\n\n").count() >= 2,
            "several paragraphs"
        );
        match t.kind {
            Kind::Wire | Kind::Repost => {
                let original = t
                    .duplicate_of
                    .as_deref()
                    .expect("copies name their original");
                let (story, kind) = seen.get(original).expect("the original came earlier");
                assert_eq!(*story, t.story);
                assert_eq!(
                    *kind,
                    Kind::Original,
                    "duplicateOf is the first publication"
                );
            }
            _ => assert_eq!(t.duplicate_of, None),
        }
        if t.kind == Kind::Correction {
            let (story, _) = seen
                .get(t.id.as_str())
                .expect("a correction updates an earlier article");
            assert_eq!(*story, t.story);
        } else {
            assert!(
                seen.insert(&t.id, (t.story, t.kind)).is_none(),
                "ids are unique: {}",
                t.id
            );
        }
        stories.entry(t.story).or_default().push(t.kind);
    }
    for (story, kinds) in &stories {
        assert!(
            kinds
                .iter()
                .any(|k| matches!(k, Kind::Original | Kind::Noise)),
            "story {story} has an original"
        );
        if kinds.contains(&Kind::Noise) {
            assert_eq!(kinds.len(), 1, "noise stands alone");
        }
    }
    let events: BTreeSet<u64> = stories
        .keys()
        .copied()
        .filter(|&s| s < config.events as u64)
        .collect();
    assert_eq!(events.len(), config.events, "every event is covered");

    let share = |k: Kind| items.iter().filter(|g| g.truth.kind == k).count() as f64 / n;
    for (kind, want) in [
        (Kind::Wire, config.wire_share),
        (Kind::Repost, config.repost_share),
        (Kind::Correction, config.correction_share),
        (Kind::Noise, config.noise_share),
        (Kind::LiveUpdates, config.live_share),
    ] {
        let got = share(kind);
        assert!(
            (got - want).abs() <= want * 0.35 + 0.005,
            "{kind:?}: wanted {want}, got {got:.3}"
        );
    }
    let providers: HashSet<_> = items
        .iter()
        .map(|g| g.article.provider.as_ref().unwrap().domain.clone())
        .collect();
    assert!(providers.len() > config.providers * 3 / 4);
    assert!(providers.iter().all(|d| d.ends_with(".example")));
}

#[test]
fn coverage_of_one_event_agrees_on_facts_not_on_words() {
    let items = all(&Config {
        events: 300,
        ..Config::default()
    });
    let originals: Vec<&Generated> = items
        .iter()
        .filter(|g| g.truth.kind == Kind::Original)
        .collect();
    let mut by_story: BTreeMap<u64, Vec<&Generated>> = BTreeMap::new();
    for g in &originals {
        by_story.entry(g.truth.story).or_default().push(g);
    }
    let text = |g: &Generated| {
        format!(
            "{}\n{}",
            g.article.title,
            g.article.body.as_deref().unwrap()
        )
    };

    let (mut same_ent, mut same_gram, mut same_titles, mut pairs) = (vec![], vec![], 0, 0);
    for group in by_story.values() {
        for (i, a) in group.iter().enumerate() {
            for b in &group[i + 1..] {
                pairs += 1;
                same_ent.push(jaccard(&entities(&text(a)), &entities(&text(b))));
                same_gram.push(jaccard(&shingles(&text(a)), &shingles(&text(b))));
                same_titles += usize::from(a.article.title == b.article.title);
            }
        }
    }
    // Different events in the same topic area, compared pairwise.
    let (mut other_ent, mut other_gram) = (vec![], vec![]);
    let stories: Vec<&Vec<&Generated>> = by_story.values().collect();
    for (i, a) in stories.iter().enumerate() {
        for b in stories[i + 1..].iter().take(12) {
            if a[0].truth.area == b[0].truth.area {
                other_ent.push(jaccard(&entities(&text(a[0])), &entities(&text(b[0]))));
                other_gram.push(jaccard(&shingles(&text(a[0])), &shingles(&text(b[0]))));
            }
        }
    }
    assert!(
        pairs > 500 && other_ent.len() > 50,
        "{pairs} / {}",
        other_ent.len()
    );
    let (se, sg, oe, og) = (
        mean(&same_ent),
        mean(&same_gram),
        mean(&other_ent),
        mean(&other_gram),
    );
    eprintln!("same story: entities {se:.3}, 5-grams {sg:.3}; same area other story: entities {oe:.3}, 5-grams {og:.3}");
    assert!(
        se > 0.3,
        "coverage of one event shares names and figures: {se:.3}"
    );
    assert!(
        oe < se / 2.5,
        "other events share far fewer: {oe:.3} vs {se:.3}"
    );
    assert!(og < sg, "{og:.3} vs {sg:.3}");
    // Own reports are not near-duplicates of each other.
    assert!(sg < 0.35, "{sg:.3}");
    let near = same_gram.iter().filter(|&&j| j >= 0.8).count();
    assert!(
        near * 100 <= pairs,
        "{near} of {pairs} own reports look like copies"
    );
    assert!(
        same_titles * 20 <= pairs,
        "headlines differ between providers: {same_titles} of {pairs} equal"
    );
}

#[test]
fn copies_keep_the_text_and_corrections_change_it() {
    let items = all(&Config {
        events: 300,
        ..Config::default()
    });
    let by_id: HashMap<&str, &Generated> = items
        .iter()
        .filter(|g| g.truth.kind != Kind::Correction)
        .map(|g| (g.truth.id.as_str(), g))
        .collect();
    let body = |g: &Generated| g.article.body.clone().unwrap();
    let (mut wires, mut reposts, mut corrections) = (0, 0, 0);
    let mut lowest = 1.0f64;
    for g in &items {
        match g.truth.kind {
            Kind::Wire | Kind::Repost => {
                let original = by_id[g.truth.duplicate_of.as_deref().unwrap()];
                let j = jaccard(&shingles(&body(g)), &shingles(&body(original)));
                lowest = lowest.min(j);
                assert!(
                    j >= 0.8,
                    "{:?} {} shares {j:.3} of its 5-grams with {}",
                    g.truth.kind,
                    g.truth.id,
                    original.truth.id
                );
                if g.truth.kind == Kind::Wire {
                    wires += 1;
                    assert_ne!(g.article.provider, original.article.provider);
                    assert_ne!(g.truth.id, original.truth.id);
                } else {
                    reposts += 1;
                    assert!(
                        g.article.published_at.unwrap() - original.article.published_at.unwrap()
                            >= chrono::TimeDelta::hours(24)
                    );
                }
            }
            Kind::Correction => {
                corrections += 1;
                let before = by_id[g.truth.id.as_str()];
                assert_eq!(
                    before.article.origin.guid, g.article.origin.guid,
                    "same item, updated"
                );
                assert_ne!(body(before), body(g), "changed content");
                assert!(body(g).contains("Correction:"));
            }
            _ => {}
        }
    }
    eprintln!("lowest 5-gram overlap of a copy with its original: {lowest:.3}");
    assert!(
        wires > 50 && reposts > 20 && corrections > 10,
        "{wires} {reposts} {corrections}"
    );
    // Some re-posts keep the URL apart from tracking parameters.
    assert!(items
        .iter()
        .any(|g| g.truth.kind == Kind::Repost && g.truth.id.contains("?utm_source=")));
}

#[test]
fn generic_titles_recur_across_stories() {
    let items = all(&Config {
        events: 300,
        ..Config::default()
    });
    let mut stories_by_title: HashMap<&str, BTreeSet<u64>> = HashMap::new();
    for g in items.iter().filter(|g| g.truth.kind == Kind::LiveUpdates) {
        stories_by_title
            .entry(g.article.title.as_str())
            .or_default()
            .insert(g.truth.story);
    }
    assert!(
        stories_by_title.values().any(|s| s.len() >= 3),
        "{stories_by_title:?}"
    );
}

#[test]
fn feeds_parse_and_match_the_truth() {
    let dir = tempfile::tempdir().unwrap();
    let config = Config {
        events: 80,
        providers: 15,
        ..Config::default()
    };
    let written = write_feeds(dir.path(), generate(&config)).unwrap();
    let truth = std::fs::read_to_string(dir.path().join("truth.jsonl")).unwrap();
    let lines: Vec<serde_json::Value> = truth
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), written.articles);
    let mut expected: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    for l in &lines {
        assert_eq!(l["id"], l["url"]);
        expected
            .entry(l["provider"].as_str().unwrap().to_string())
            .or_default()
            .push((
                l["url"].as_str().unwrap().to_string(),
                l["guid"].as_str().unwrap().to_string(),
            ));
    }
    assert_eq!(expected.len(), written.feeds);
    for (domain, mut want) in expected {
        let path = dir.path().join(format!("{domain}.xml"));
        let bytes = std::fs::read(&path).unwrap();
        let feed = newsdesk_ingest::feed::parse_feed(&bytes, &path.display().to_string()).unwrap();
        assert!(feed.problems.is_empty(), "{domain}: {:?}", feed.problems);
        assert_eq!(feed.entries.len(), want.len(), "{domain}");
        let mut got: Vec<(String, String)> = feed
            .entries
            .iter()
            .map(|e| (e.link.clone().unwrap(), e.id.clone().unwrap()))
            .collect();
        let dates: Vec<_> = feed.entries.iter().map(|e| e.published.unwrap()).collect();
        assert!(
            dates.windows(2).all(|w| w[0] <= w[1]),
            "{domain}: entries in date order"
        );
        assert!(feed
            .entries
            .iter()
            .all(|e| e.title.is_some() && e.content.is_some()));
        got.sort();
        want.sort();
        assert_eq!(got, want, "{domain}");
    }
}

#[test]
fn odd_configs_give_empty_or_small_streams_without_panicking() {
    let base = Config::default();
    assert_eq!(
        generate(&Config {
            events: 0,
            ..base.clone()
        })
        .count(),
        0
    );
    assert_eq!(
        generate(&Config {
            providers: 0,
            ..base.clone()
        })
        .count(),
        0
    );
    for providers in 1..4 {
        let items = all(&Config {
            events: 30,
            providers,
            ..base.clone()
        });
        assert!(!items.is_empty());
        assert!(items
            .iter()
            .all(|g| g.truth.kind != Kind::Wire || providers >= 3));
    }
    let odd = Config {
        days: 0,
        coverage: f64::NAN,
        wire_share: 5.0,
        repost_share: -1.0,
        correction_share: f64::INFINITY,
        noise_share: 0.9,
        live_share: 0.5,
        ..base.clone()
    };
    assert!(generate(&odd).count() > 0);
    let far = Config {
        start: chrono::DateTime::<chrono::Utc>::MAX_UTC,
        events: 5,
        ..base
    };
    assert!(generate(&far).count() > 0);
    let dir = tempfile::tempdir().unwrap();
    write_feeds(dir.path(), generate(&far)).unwrap();
    let empty = write_feeds(dir.path(), std::iter::empty()).unwrap();
    assert_eq!((empty.articles, empty.feeds), (0, 0));
}

#[test]
fn writers_report_bad_targets_and_items() {
    let file = tempfile::NamedTempFile::new().unwrap();
    let err = write_feeds(
        file.path(),
        generate(&Config {
            events: 2,
            ..Config::default()
        }),
    )
    .unwrap_err();
    assert!(matches!(err, WriteError::CreateDir { .. }), "{err}");

    let mut g = generate(&Config::default()).next().unwrap();
    g.article.provider = None;
    let dir = tempfile::tempdir().unwrap();
    let err = write_feeds(dir.path(), [g.clone()]).unwrap_err();
    assert!(matches!(err, WriteError::Article { .. }), "{err}");
    g.article.provider = Some(newsdesk_model::Provider {
        name: "x".into(),
        domain: "../etc".into(),
        images: vec![],
    });
    assert!(matches!(
        write_feeds(dir.path(), [g]).unwrap_err(),
        WriteError::Article { .. }
    ));

    struct Broken;
    impl std::io::Write for Broken {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::Error::other("disk full"))
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let err = write_jsonl(
        Broken,
        generate(&Config {
            events: 5,
            ..Config::default()
        }),
    )
    .unwrap_err();
    assert!(matches!(err, WriteError::Stream { .. }), "{err}");
}

#[test]
fn jsonl_has_the_benchmark_fields() {
    let out = jsonl(&Config {
        events: 10,
        ..Config::default()
    });
    let text = String::from_utf8(out).unwrap();
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        for field in [
            "id",
            "title",
            "body",
            "excerpt",
            "url",
            "provider",
            "published",
            "story",
            "duplicateOf",
            "kind",
        ] {
            assert!(v.get(field).is_some(), "{field} missing in {line}");
        }
    }
}

#[test]
fn the_harder_newsroom_has_headline_only_items_short_titles_and_developments() {
    let config = Config {
        events: 300,
        ..Config::harder()
    };
    let items = all(&config);
    let own: Vec<&Generated> = items
        .iter()
        .filter(|g| g.truth.kind == Kind::Original)
        .collect();
    let bare = own.iter().filter(|g| g.article.body.is_none()).count();
    let share = bare as f64 / own.len() as f64;
    assert!((0.15..0.35).contains(&share), "headline-only share {share}");
    for g in &items {
        if g.article.body.is_none() {
            assert!(g.article.excerpt.is_none() && !g.article.title.is_empty());
        }
    }
    // Copies keep their text (a copy of a headline alone could not be told).
    assert!(items
        .iter()
        .filter(|g| g.truth.duplicate_of.is_some())
        .all(|g| g.article.body.is_some()));
    // Developments: stories whose own reports span more than 12 hours.
    let mut spans: std::collections::HashMap<u64, (i64, i64)> = std::collections::HashMap::new();
    for g in &own {
        let t = g.article.published_at.unwrap().timestamp();
        let e = spans.entry(g.truth.story).or_insert((t, t));
        e.0 = e.0.min(t);
        e.1 = e.1.max(t);
    }
    let long = spans.values().filter(|(a, b)| b - a > 12 * 3600).count();
    assert!(
        long * 5 > spans.len(),
        "{long} of {} stories run past 12 hours",
        spans.len()
    );
    // The default stream is unchanged by the new shares: every article has a body.
    assert!(all(&Config {
        events: 50,
        ..Config::default()
    })
    .iter()
    .all(|g| g.article.body.is_some()));
}
