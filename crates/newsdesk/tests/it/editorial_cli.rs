//! The editorial desk as an editor uses it: topics, quality, heat and the
//! publish decision with reasons; overrides, rules, re-analysis and the audit
//! log, through the `newsdesk` command on a real store.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use crate::common::*;

fn by_id(all: &[Value]) -> HashMap<i64, Value> {
    all.iter()
        .map(|a| (a["id"].as_i64().unwrap(), a.clone()))
        .collect()
}

fn full(all: &[Value]) -> Vec<&Value> {
    all.iter().filter(|a| a["stub"] == false).collect()
}

#[test]
fn every_article_is_decided_with_its_reasons_and_breakdowns() {
    let dir = tempfile::tempdir().unwrap();
    let data = newsroom(dir.path());
    let all = jsonl(&data);
    let articles = full(&all);
    assert!(articles.len() > 100, "{}", articles.len());
    let mut published = 0;
    for a in &articles {
        let d = &a["decision"];
        assert!(d.is_object(), "article {} has no decision: {a}", a["id"]);
        // The quality breakdown adds up to the desk's score.
        let b = &d["quality_breakdown"];
        let sum: i64 = b["components"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["points"].as_i64().unwrap())
            .sum();
        assert_eq!(sum, b["score"].as_i64().unwrap(), "{b}");
        assert_eq!(a["quality"], d["quality"]);
        assert_eq!(a["published"], d["published"]);
        assert!(!d["reasons"].as_array().unwrap().is_empty());
        if a["published"] == true {
            published += 1;
            assert!(a["heat"].as_i64().unwrap() >= 0, "{a}");
            assert!(!a["topics"].as_array().unwrap().is_empty(), "{a}");
            let h = &a["heatBreakdown"];
            let hsum: i64 = h["components"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["points"].as_i64().unwrap())
                .sum();
            assert_eq!(hsum, h["score"].as_i64().unwrap(), "{h}");
            assert_eq!(h["score"], a["heat"]);
        } else {
            assert_eq!(a["heat"], -1, "{a}");
        }
        if !a["duplicateOf"].is_null() {
            assert_eq!(a["published"], false);
            assert!(d["reasons"][0]
                .as_str()
                .unwrap()
                .contains("a copy of article"));
        }
    }
    // The newsroom covers more than the desk follows: an original is
    // published exactly when one of the desk's topics matched and its
    // quality reaches the bar.
    let mut no_topic = 0;
    for a in articles.iter().filter(|a| a["duplicateOf"].is_null()) {
        let d = &a["decision"];
        let matched = !a["topics"].as_array().unwrap().is_empty();
        let clears = d["bar"]
            .as_i64()
            .is_some_and(|bar| d["quality"].as_i64().unwrap() >= bar);
        assert_eq!(a["published"] == true, matched && clears, "{d}");
        if !matched {
            no_topic += 1;
            assert_eq!(d["reasons"][0], "no topic of the desk matched");
        }
    }
    assert!(
        published > 20 && no_topic > 0,
        "{published} published, {no_topic} off-topic"
    );
    // Bigger stories run hotter: the hottest story has more providers than
    // the coolest published one.
    let mut providers: HashMap<i64, HashSet<String>> = HashMap::new();
    let mut heat: HashMap<i64, i64> = HashMap::new();
    for a in articles.iter().filter(|a| a["published"] == true) {
        let s = a["story"].as_i64().unwrap();
        providers
            .entry(s)
            .or_default()
            .insert(a["provider"]["domain"].as_str().unwrap_or("").to_string());
        heat.insert(s, a["heat"].as_i64().unwrap());
    }
    let hottest = heat.iter().max_by_key(|(_, h)| **h).unwrap();
    let coolest = heat.iter().min_by_key(|(_, h)| **h).unwrap();
    assert!(hottest.1 > coolest.1);
    assert!(
        providers[hottest.0].len() > providers[coolest.0].len(),
        "hottest story {} ({} providers, heat {}) vs coolest {} ({} providers, heat {})",
        hottest.0,
        providers[hottest.0].len(),
        hottest.1,
        coolest.0,
        providers[coolest.0].len(),
        coolest.1
    );

    // `explain` says the same in words.
    let a = articles.iter().find(|a| a["published"] == true).unwrap();
    let id = a["id"].to_string();
    let text = ok(&data, &["explain", &id]);
    assert!(text.contains("published: yes"), "{text}");
    assert!(text.contains("quality: "), "{text}");
    assert!(text.contains("heat: "), "{text}");
    let j: Value = serde_json::from_str(&ok(&data, &["explain", &id, "--json"])).unwrap();
    assert_eq!(j["quality"], a["quality"]);
    assert_eq!(j["decision"]["published"], true);
    let o = newsdesk(&data, &["explain", "999999"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("there is no article 999999"));
}

#[test]
fn overrides_win_survive_reanalysis_and_are_audited() {
    let dir = tempfile::tempdir().unwrap();
    let data = newsroom(dir.path());
    let all = jsonl(&data);
    let copy = full(&all)
        .into_iter()
        .find(|a| !a["duplicateOf"].is_null())
        .expect("the newsroom has copies")
        .clone();
    let original = full(&all)
        .into_iter()
        .find(|a| a["published"] == true)
        .unwrap()
        .clone();
    let copy_id = copy["id"].to_string();
    let orig_id = original["id"].to_string();

    let s = ok(
        &data,
        &[
            "override",
            &copy_id,
            "pin",
            "--by",
            "alice",
            "--reason",
            "the better headline",
        ],
    );
    assert!(s.contains("published, pinned"), "{s}");
    ok(
        &data,
        &["override", &orig_id, "unpublish", "--reason", "retracted"],
    );
    // Re-analysis keeps both.
    let s = ok(&data, &["reanalyze"]);
    assert!(s.contains("reanalyze: "), "{s}");
    let after = by_id(&jsonl(&data));
    let c = &after[&copy["id"].as_i64().unwrap()];
    assert_eq!(c["published"], true);
    assert_eq!(c["pinned"], true);
    assert_eq!(c["override"]["editor"], "alice");
    assert!(c["heat"].as_i64().unwrap() >= 0);
    let reasons = c["decision"]["reasons"].as_array().unwrap();
    assert!(
        reasons[0]
            .as_str()
            .unwrap()
            .starts_with("editor override: pin by alice"),
        "{reasons:?}"
    );
    assert!(reasons
        .iter()
        .any(|r| r.as_str().unwrap().contains("a copy of article")));
    let o = &after[&original["id"].as_i64().unwrap()];
    assert_eq!(o["published"], false);
    assert_eq!(o["heat"], -1);
    assert_eq!(o["override"]["editor"], "test-editor");

    // Cleared: the desk decides again.
    ok(&data, &["override", &copy_id, "clear", "--by", "bob"]);
    let c = &by_id(&jsonl(&data))[&copy["id"].as_i64().unwrap()];
    assert_eq!(c["published"], false);
    assert_eq!(c["pinned"], false);
    assert!(c["override"].is_null());

    let log = ok(&data, &["audit"]);
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 3, "{log}");
    assert!(lines[0].contains("bob clear"), "{log}");
    assert!(
        lines[2].contains("alice pin") && lines[2].contains("the better headline"),
        "{log}"
    );
    let mine = ok(&data, &["audit", "--article", &orig_id]);
    assert_eq!(mine.lines().count(), 1, "{mine}");
    assert!(
        mine.contains("unpublish") && mine.contains("retracted"),
        "{mine}"
    );

    let o = newsdesk(&data, &["override", "999999", "publish"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("there is no article 999999"));
}

#[test]
fn rules_are_tested_before_they_apply_and_apply_to_existing_articles() {
    let dir = tempfile::tempdir().unwrap();
    let data = newsroom(dir.path());
    let before = jsonl(&data);
    let published: Vec<&Value> = full(&before)
        .into_iter()
        .filter(|a| a["published"] == true)
        .collect();
    // Mute one provider's articles.
    let domain = published[0]["provider"]["domain"]
        .as_str()
        .unwrap()
        .to_string();
    let theirs: HashSet<i64> = published
        .iter()
        .filter(|a| a["provider"]["domain"] == domain.as_str())
        .map(|a| a["id"].as_i64().unwrap())
        .collect();
    let query = format!("provider:\"{domain}\"");

    let report = ok(&data, &["rules", "test", &query, "--limit", "1000"]);
    assert!(
        report.contains(&format!("would change {} decisions", theirs.len())),
        "{report}\nexpected {} changes",
        theirs.len()
    );
    for id in &theirs {
        assert!(
            report.contains(&format!("  {id}: would be unpublished")),
            "{report}"
        );
    }
    // A rule for one topic touches only that topic's articles.
    let in_topic = published
        .iter()
        .filter(|a| {
            a["topics"]
                .as_array()
                .unwrap()
                .contains(&Value::from("Cloud"))
        })
        .count();
    assert!(in_topic > 0);
    let report = ok(
        &data,
        &[
            "rules",
            "test",
            "NOT zzzzunseen",
            "--topic",
            "Cloud",
            "--limit",
            "0",
        ],
    );
    assert!(
        report.contains(&format!(
            "would change {in_topic} decisions (0 published, {in_topic} unpublished)"
        )),
        "{report}\nexpected {in_topic}"
    );
    // Testing changed nothing.
    assert_eq!(jsonl(&data), before);
    assert!(ok(&data, &["rules", "list"]).contains("no rules"));

    let s = ok(
        &data,
        &[
            "rules",
            "add",
            "mute-one",
            &query,
            "--mute",
            "--reason",
            "paywalled",
        ],
    );
    assert!(s.contains("rule mute-one added"), "{s}");
    let after = by_id(&jsonl(&data));
    for id in &theirs {
        let a = &after[id];
        assert_eq!(a["published"], false);
        assert_eq!(a["heat"], -1);
        assert_eq!(a["decision"]["reasons"][0], "muted by rule \"mute-one\"");
    }
    let list = ok(&data, &["rules", "list"]);
    assert!(
        list.contains("mute mute-one") && list.contains("paywalled"),
        "{list}"
    );
    // New articles meet the rule too: a re-run changes nothing more.
    let s = ok(&data, &["reanalyze"]);
    assert!(s.contains("0 changed"), "{s}");

    // A keep rule for one topic publishes what the bar would hold back
    // (copies stay unpublished).
    let o = newsdesk(&data, &["rules", "add", "bad", "AI AND (", "--keep"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(
        err.contains("rule \"bad\"") && err.contains("column"),
        "{err}"
    );
    let o = newsdesk(
        &data,
        &[
            "rules",
            "add",
            "nowhere",
            "AI",
            "--keep",
            "--topic",
            "No Such Topic",
        ],
    );
    assert!(!o.status.success());
    assert!(stderr(&o).contains("No Such Topic"), "{}", stderr(&o));
    let list = ok(&data, &["rules", "list"]);
    assert_eq!(
        list.lines().count(),
        1,
        "failed rules are not stored: {list}"
    );

    ok(&data, &["rules", "remove", "mute-one"]);
    let restored = by_id(&jsonl(&data));
    for id in &theirs {
        assert_eq!(restored[id]["published"], true);
    }
    let o = newsdesk(&data, &["rules", "remove", "mute-one"]);
    assert!(!o.status.success());
    let log = ok(&data, &["audit"]);
    assert!(
        log.contains("rule remove") && log.contains("rule add (mute)"),
        "{log}"
    );
}

#[test]
fn a_changed_topics_file_takes_effect_on_reanalyze_and_a_bad_one_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = newsroom(dir.path());
    let before = jsonl(&data);
    // A cycle in the parents: a clear error naming the file; nothing changes.
    std::fs::write(
        data.join("topics.toml"),
        "[[topic]]\nname = \"A\"\nparent = \"B\"\nquery = \"x\"\n\n[[topic]]\nname = \"B\"\nparent = \"A\"\nquery = \"y\"\n",
    )
    .unwrap();
    let o = newsdesk(&data, &["reanalyze"]);
    assert!(!o.status.success());
    let err = stderr(&o);
    assert!(err.contains("topics.toml"), "{err}");
    std::fs::remove_file(data.join("topics.toml")).unwrap();
    assert_eq!(jsonl(&data), before);

    // One narrow topic with a high bar.
    std::fs::write(
        data.join("topics.toml"),
        "[[topic]]\nname = \"Studies\"\nquery = 'study OR studies OR researchers'\nquality_bar = 0\n",
    )
    .unwrap();
    ok(&data, &["reanalyze"]);
    let after = jsonl(&data);
    for a in full(&after) {
        let topics = a["topics"].as_array().unwrap();
        assert!(
            topics.is_empty() || topics == &vec![Value::from("Studies")],
            "{topics:?}"
        );
        if a["duplicateOf"].is_null() && a["override"].is_null() {
            assert_eq!(
                a["published"] == true,
                !topics.is_empty(),
                "published exactly when the topic matched: {a}"
            );
        }
    }
    assert!(full(&after).iter().any(|a| a["published"] == true));
    assert!(full(&after)
        .iter()
        .any(|a| a["decision"]["reasons"][0] == "no topic of the desk matched"));
}

/// The site's own corpus: the desk keeps the decisions its records carry by
/// default, and, deciding for itself, holds back the market-research press
/// releases the site dropped.
#[test]
fn the_corpus_keeps_given_decisions_and_the_desk_drops_market_research() {
    let Some(shared) = newsdesk_testkit::shared_dir() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let corpus = shared.join("corpus/everyday-ai");
    ok(&data, &["ingest", "--quiet", corpus.to_str().unwrap()]);
    let all = jsonl(&data);
    for a in full(&all) {
        if let Some(q) = a["given"]["quality"].as_i64() {
            assert_eq!(
                a["quality"].as_i64(),
                Some(q),
                "the record's quality stands: {a}"
            );
            assert_eq!(a["decision"]["quality_from"], "given");
        }
    }

    std::fs::write(data.join("desk.toml"), "keep_given = false\n").unwrap();
    ok(&data, &["reanalyze"]);
    let all = jsonl(&data);
    let market: Vec<&Value> = full(&all)
        .into_iter()
        .filter(|a| {
            let t = a["title"].as_str().unwrap().to_lowercase();
            t.contains("market")
                && (t.contains("forecast") || t.contains("share") || t.contains("size"))
        })
        .collect();
    assert!(market.len() >= 5, "{}", market.len());
    for a in &market {
        assert_eq!(a["published"], false, "{} {}", a["title"], a["decision"]);
        assert_eq!(a["decision"]["quality_from"], "desk");
    }
    // The desk's topics come from its queries now.
    assert!(full(&all).iter().any(|a| a["decision"]["topics"]
        .as_array()
        .is_some_and(|t| t.iter().any(|t| t["by"] == "query"))));
}

/// Topics by example: a model trained with `topics train` into the data
/// folder is applied to every article, next to the topics file's queries.
#[test]
fn a_trained_topic_model_in_the_data_folder_is_applied() {
    let dir = tempfile::tempdir().unwrap();
    let data = newsroom(dir.path());
    let all = jsonl(&data);
    let mentions = |a: &Value| {
        let text = format!("{} {}", a["title"], a["excerpt"]).to_lowercase();
        text.contains("ransomware")
    };
    let mut train = String::new();
    for a in full(&all) {
        let topic = if mentions(a) {
            "Ransomware"
        } else {
            "Elsewhere"
        };
        train.push_str(
            &serde_json::json!({"id": a["id"], "title": a["title"], "body": a["excerpt"], "topics": [topic]})
                .to_string(),
        );
        train.push('\n');
    }
    let positives = full(&all).into_iter().filter(|a| mentions(a)).count();
    assert!(positives >= 3, "{positives}");
    let train_path = dir.path().join("train.jsonl");
    std::fs::write(&train_path, train).unwrap();
    let model = data.join("topic-model");
    ok(
        &data,
        &[
            "topics",
            "train",
            "--input",
            train_path.to_str().unwrap(),
            "--model",
            model.to_str().unwrap(),
        ],
    );
    ok(&data, &["reanalyze"]);
    let after = jsonl(&data);
    let mut hits = 0;
    for a in full(&after) {
        let by_model: Vec<&str> = a["decision"]["topics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["by"] == "model")
            .map(|t| t["name"].as_str().unwrap())
            .collect();
        if mentions(a) && by_model.contains(&"Ransomware") {
            hits += 1;
        }
        if by_model.contains(&"Ransomware") {
            assert!(a["topics"]
                .as_array()
                .unwrap()
                .contains(&Value::from("Ransomware")));
        }
    }
    assert!(
        hits * 10 >= positives * 8,
        "{hits} of {positives} found by the model"
    );
    // A damaged model is a clear error, and nothing is decided half-way.
    for entry in std::fs::read_dir(&model).unwrap() {
        let p = entry.unwrap().path();
        if p.is_file() {
            std::fs::write(&p, b"garbage").unwrap();
        }
    }
    let o = newsdesk(&data, &["reanalyze"]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("topic-model"), "{}", stderr(&o));
    assert_eq!(jsonl(&data), after);
}
