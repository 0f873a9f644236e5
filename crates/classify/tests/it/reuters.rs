//! Reuters-21578, ModApte split, the 90 topics with at least one train and one
//! test story: the benchmark the topic-classification literature uses.
//! Trains on the 7,770 train stories with the default options and scores the
//! 3,019 test stories. Needs `../shared` (skips with a message without it,
//! fails when `NEWSDESK_REQUIRE_SHARED=1`).

use newsdesk_classify::{eval, TopicModel, TrainOptions};

use crate::modapte;

#[test]
fn modapte_90_topics_micro_and_macro_f1() {
    let Some(dir) = newsdesk_testkit::shared("data/reuters-21578") else {
        return;
    };
    let split = modapte::modapte90(&dir).expect("read the Reuters SGML files");
    assert_eq!(split.topics.len(), 90);
    assert_eq!(split.train.len(), 7770);
    assert_eq!(split.test.len(), 3019);

    let model = TopicModel::train(&split.train, &TrainOptions::default()).unwrap();
    let predicted: Vec<Vec<&str>> = model
        .predict_all(&split.test)
        .into_iter()
        .map(|p| p.topics)
        .collect();
    let truth: Vec<&[String]> = split.test.iter().map(|r| r.topics.as_slice()).collect();
    let truth: Vec<Vec<&str>> = truth
        .iter()
        .map(|t| t.iter().map(String::as_str).collect())
        .collect();
    let r = eval::f1_report(&split.topics, &truth, &predicted);
    eprintln!(
        "ModApte-90: micro-F1 {:.4}, macro-F1 {:.4}",
        r.micro_f1, r.macro_f1
    );
    assert!(r.micro_f1 >= 0.88, "micro-F1 {:.4}", r.micro_f1);
    assert!(r.macro_f1 >= 0.50, "macro-F1 {:.4}", r.macro_f1);
}
