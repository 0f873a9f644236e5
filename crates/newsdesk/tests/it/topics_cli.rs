//! `newsdesk topics train` and `newsdesk topics predict` as a user runs them:
//! a small labelled file written here, a model folder, predictions read back.

use std::path::Path;

use serde_json::json;

use crate::common::*;

fn path(p: &Path) -> &str {
    p.to_str().expect("temporary paths are UTF-8")
}

/// Twelve articles each of three desks, with words of their own plus shared filler.
fn write_fixture(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
    let desks = [
        ("oil", "crude oil barrels opec refinery prices output"),
        ("grain", "wheat corn harvest tonnes grain exports farmers"),
        ("ai", "neural network model training machine learning chips"),
    ];
    let mut train = String::new();
    for i in 0..12 {
        for (k, (topic, words)) in desks.iter().enumerate() {
            let w: Vec<&str> = words.split(' ').collect();
            let body = format!(
                "the report said on monday that {} and {} rose, {} {}",
                w[i % w.len()],
                w[(i + 1) % w.len()],
                w[(i + 3) % w.len()],
                w[(i + 5) % w.len()]
            );
            let mut topics = vec![*topic];
            if k == 2 && i % 3 == 0 {
                topics.push("chips");
            }
            train.push_str(
                &json!({"id": format!("{topic}-{i}"), "title": w[i % w.len()], "body": body, "topics": topics})
                    .to_string(),
            );
            train.push('\n');
        }
    }
    let test = [
        json!({"id": 1, "title": "OPEC output", "body": "crude oil prices rose as the refinery cut barrels"}),
        json!({"id": "two", "title": "Harvest", "body": "wheat and corn exports, tonnes of grain"}),
        json!({"id": 3, "title": "", "body": ""}),
    ]
    .iter()
    .map(|v| v.to_string() + "\n")
    .collect::<String>();
    let (tp, sp) = (dir.join("train.jsonl"), dir.join("test.jsonl"));
    std::fs::write(&tp, train).unwrap();
    std::fs::write(&sp, test).unwrap();
    (tp, sp)
}

#[test]
fn train_then_predict_writes_one_line_per_article() {
    let dir = tempfile::tempdir().unwrap();
    let (train, test) = write_fixture(dir.path());
    let model = dir.path().join("model");
    let o = bare(&[
        "topics",
        "train",
        "--input",
        path(&train),
        "--model",
        path(&model),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("trained 4 topics on 36 articles"),
        "{}",
        stderr(&o)
    );
    assert!(model.join("manifest.json").is_file());

    let o = bare(&[
        "topics",
        "predict",
        "--model",
        path(&model),
        "--input",
        path(&test),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let lines = json_lines(&stdout(&o));
    assert_eq!(
        lines,
        vec![
            json!({"id": 1, "topics": ["oil"]}),
            json!({"id": "two", "topics": ["grain"]}),
            // No words: no topic.
            json!({"id": 3, "topics": []}),
        ]
    );
}

#[test]
fn a_bad_line_is_named_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.jsonl");
    std::fs::write(
        &bad,
        "{\"id\": 1, \"title\": \"a\", \"body\": \"b\", \"topics\": [\"x\"]}\n{\"id\": 2, \"title\": \"a\"\n",
    )
    .unwrap();
    let model = dir.path().join("model");
    let o = bare(&[
        "topics",
        "train",
        "--input",
        path(&bad),
        "--model",
        path(&model),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("bad.jsonl: line 2: not a JSON article"),
        "{err}"
    );
    assert!(!model.exists(), "no model folder after a failed training");

    // Predicting with a folder that holds no model says so.
    let o = bare(&[
        "topics",
        "predict",
        "--model",
        path(&model),
        "--input",
        path(&bad),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("not a topic model folder"),
        "{}",
        stderr(&o)
    );

    // Training data without topics.
    let none = dir.path().join("none.jsonl");
    std::fs::write(&none, "{\"id\": 1, \"title\": \"a\", \"body\": \"b\"}\n").unwrap();
    let o = bare(&[
        "topics",
        "train",
        "--input",
        path(&none),
        "--model",
        path(&model),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("no training article carries a topic"),
        "{}",
        stderr(&o)
    );
}
