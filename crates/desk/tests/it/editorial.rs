//! The editorial step over an in-memory store: the facts it finds and the
//! publish policy's verdict, without spawning the command.

use chrono::{DateTime, TimeZone, Utc};
use newsdesk_desk::{Detail, Editorial};
use newsdesk_model::{Article, EditorAction, EditorOverride};
use newsdesk_store::conformance::sample;
use newsdesk_store::{
    AnalysisRecord, AuditEntry, Batch, Rule, RuleAction, SourceInfo, SqliteStore, Store,
};

fn at(d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, d, 12, 0, 0).unwrap()
}

/// Stores `articles`, each its own story except copies (`dup[i]`: index of
/// its original), analysed; returns the ids.
fn analysed(store: &mut SqliteStore, articles: Vec<Article>, dup: &[Option<usize>]) -> Vec<i64> {
    let batch = Batch {
        source: SourceInfo {
            locator: "in.xml".into(),
            kind: "rss".into(),
            title: None,
        },
        articles,
    };
    let ids: Vec<i64> = store
        .ingest(&batch, at(1))
        .unwrap()
        .outcomes
        .iter()
        .map(|(id, _)| *id)
        .collect();
    let records: Vec<AnalysisRecord> = ids
        .iter()
        .enumerate()
        .map(|(i, &id)| {
            let original = dup.get(i).copied().flatten().map(|o| ids[o]);
            AnalysisRecord {
                id,
                version: 1,
                signature: None,
                terms: vec![],
                time: 0,
                credibility: 0,
                provider: 0,
                story: original.unwrap_or(id),
                duplicate_of: original,
                reason: String::new(),
                similar: vec![],
            }
        })
        .collect();
    store.apply_analysis(&records, &[], at(1)).unwrap();
    ids
}

fn fresh(title: &str, url: &str) -> Article {
    // An article with no decision of its own, about the desk's topics.
    Article {
        published: None,
        quality: None,
        topics: vec![],
        title: title.into(),
        body: Some(format!(
            "{title}: Amazon Web Services adds artificial intelligence models to Bedrock \
             for machine learning teams. The new models answer questions, write code and \
             summarise documents, the company said on Tuesday."
        )),
        ..sample(url, title)
    }
}

fn detail(store: &SqliteStore, id: i64) -> Detail {
    let a = store.article(id).unwrap().unwrap();
    serde_json::from_str(a.editorial.as_deref().expect("decided")).unwrap()
}

#[test]
fn decisions_follow_the_policy_and_name_their_reasons() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open_in_memory().unwrap();
    let given = sample("https://e.test/given", "Given");
    let ids = analysed(
        &mut store,
        vec![
            fresh("Bedrock news", "https://e.test/a"),
            fresh("Bedrock news again", "https://e.test/b"),
            given,
        ],
        &[None, Some(0), None],
    );
    let editorial = Editorial::with_rules(dir.path(), vec![]).unwrap();
    let done = editorial.decide_pending(&mut store, at(2)).unwrap();
    assert_eq!(done.decided, 3);

    let copy = detail(&store, ids[1]);
    assert!(!copy.published);
    assert_eq!(
        copy.reasons,
        [format!(
            "a copy of article {}: copies are kept but not published",
            ids[0]
        )]
    );
    let kept = detail(&store, ids[2]);
    assert!(!kept.published, "the record said false");
    assert_eq!(kept.quality_from, "given");
    assert!(kept.reasons[0].starts_with("not published as the input record says"));
    let own = detail(&store, ids[0]);
    assert_eq!(own.quality_from, "desk");
    assert!(!own.topics.is_empty(), "{own:?}");
    assert!(
        own.reasons[0].starts_with("in ") || own.reasons[0].starts_with("quality "),
        "{own:?}"
    );

    // A mute rule wins over the quality bar; an override over the rule.
    let mute = Rule {
        name: "no bedrock".into(),
        action: RuleAction::Mute,
        topic: None,
        query: "bedrock".into(),
        editor: "ed".into(),
        reason: None,
        created_at: at(2),
    };
    let muted = Editorial::with_rules(dir.path(), vec![mute]).unwrap();
    muted.decide_all(&mut store, at(3)).unwrap();
    let own = detail(&store, ids[0]);
    assert!(!own.published);
    assert_eq!(own.reasons, [r#"muted by rule "no bedrock""#]);
    assert_eq!(own.rules, ["no bedrock"]);

    let o = EditorOverride {
        action: EditorAction::Pin,
        editor: "alice".into(),
        reason: Some("exclusive".into()),
        at: at(3),
    };
    let audit = AuditEntry {
        at: at(3),
        editor: "alice".into(),
        action: "pin".into(),
        article: Some(ids[0]),
        target: "article".into(),
        reason: None,
    };
    store.set_override(ids[0], Some(&o), &audit).unwrap();
    muted.decide_ids(&mut store, &[ids[0]], at(3)).unwrap();
    let own = detail(&store, ids[0]);
    assert!(own.published && own.pinned);
    assert_eq!(
        own.reasons,
        [
            "editor override: pin by alice on 2026-03-03 12:00 UTC: exclusive",
            r#"(rule "no bedrock" would mute it)"#
        ]
    );
}

#[test]
fn a_rule_for_an_unknown_topic_is_refused_with_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let rule = Rule {
        name: "r1".into(),
        action: RuleAction::Keep,
        topic: Some("Gardening".into()),
        query: "roses".into(),
        editor: String::new(),
        reason: None,
        created_at: at(1),
    };
    let err = Editorial::with_rules(dir.path(), vec![rule])
        .err()
        .expect("refused");
    let msg = err.to_string();
    assert!(msg.contains("\"r1\"") && msg.contains("Gardening"), "{msg}");
}

#[test]
fn a_bad_desk_file_names_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("desk.toml"),
        "keep_given = true\nquality_bar = \"high\"\n",
    )
    .unwrap();
    let err = Editorial::with_rules(dir.path(), vec![])
        .err()
        .expect("refused");
    let msg = err.to_string();
    assert!(msg.contains("desk.toml:2"), "{msg}");
}

#[test]
fn a_story_is_reheated_after_a_24th_of_the_half_life() {
    // After two minutes a story's heat is still fresh at the default 24-hour
    // half-life (re-heated after an hour), but stale at the demo's 0.4 hours
    // (re-heated after a minute).
    let two_minutes = chrono::Duration::minutes(2);
    for (scoring, reheated) in [(None, 0), (Some("[heat]\nhalf_life_hours = 0.4\n"), 1)] {
        let dir = tempfile::tempdir().unwrap();
        if let Some(text) = scoring {
            std::fs::write(dir.path().join("fast.toml"), text).unwrap();
            std::fs::write(dir.path().join("desk.toml"), "scoring = \"fast.toml\"\n").unwrap();
        }
        let mut store = SqliteStore::open_in_memory().unwrap();
        analysed(
            &mut store,
            vec![fresh("Bedrock news", "https://e.test/a")],
            &[None],
        );
        let editorial = Editorial::with_rules(dir.path(), vec![]).unwrap();
        let first = editorial.decide_pending(&mut store, at(2)).unwrap();
        assert_eq!((first.decided, first.stories), (1, 1));
        let later = editorial
            .decide_pending(&mut store, at(2) + two_minutes)
            .unwrap();
        assert_eq!(later.decided, 0);
        assert_eq!(later.stories, reheated, "scoring {scoring:?}");
        let hours = editorial
            .decide_pending(&mut store, at(2) + chrono::Duration::hours(2))
            .unwrap();
        assert_eq!(hours.stories, 1, "every story is re-heated after two hours");
    }
}
