//! Training, prediction and the model folder on a small invented corpus; bad
//! input gives typed errors, never a panic.

use newsdesk_classify::{ClassifyError, Record, TopicModel, TrainOptions};

fn record(id: usize, title: &str, body: &str, topics: &[&str]) -> Record {
    Record {
        id: id.into(),
        title: title.to_owned(),
        body: body.to_owned(),
        topics: topics.iter().map(|t| t.to_string()).collect(),
    }
}

fn corpus() -> Vec<Record> {
    let desks = [
        ("oil", "crude oil barrels opec refinery prices output"),
        ("grain", "wheat corn harvest tonnes grain exports farmers"),
        ("ai", "neural network model training machine learning chips"),
    ];
    let mut out = Vec::new();
    for i in 0..15 {
        for (topic, words) in desks {
            let w: Vec<&str> = words.split(' ').collect();
            let body = format!(
                "officials said {} and {} were up, with {} and {}",
                w[i % 7],
                w[(i + 2) % 7],
                w[(i + 4) % 7],
                w[(i + 6) % 7]
            );
            out.push(record(out.len(), w[(i + 1) % 7], &body, &[topic]));
        }
    }
    out
}

#[test]
fn learns_separable_topics_and_round_trips_through_a_folder() {
    let model = TopicModel::train(&corpus(), &TrainOptions::default()).unwrap();
    assert_eq!(model.topics(), ["ai", "grain", "oil"]);
    assert_eq!(
        model
            .predict("OPEC", "crude prices and refinery output")
            .topics,
        ["oil"]
    );
    assert_eq!(
        model.predict("", "wheat harvest, corn exports").topics,
        ["grain"]
    );
    // No known word: no topic, even though every training article had one.
    assert!(model.predict("", "").topics.is_empty());
    assert!(model.predict("zzz", "qqq").topics.is_empty());

    let dir = tempfile::tempdir().unwrap();
    model.save(dir.path()).unwrap();
    let back = TopicModel::load(dir.path()).unwrap();
    for r in corpus() {
        assert_eq!(
            back.scores(&r.title, &r.body),
            model.scores(&r.title, &r.body)
        );
    }
    assert_eq!(back.thresholds(), model.thresholds());
    assert_eq!(back.training_info(), model.training_info());
}

#[test]
fn huge_and_odd_text_does_not_panic() {
    let model = TopicModel::train(&corpus(), &TrainOptions::default()).unwrap();
    let huge = "crude oil é ".repeat(400_000); // 4.8 MB, read up to the cap
    assert_eq!(model.predict(&huge, &huge).topics, ["oil"]);
    let odd = "\u{0}\u{FFFD}\u{202E}👍🏽 ｆｕｌｌｗｉｄｔｈ \t\r\n";
    let _ = model.predict(odd, odd);
}

#[test]
fn bad_training_input_is_a_typed_error() {
    let opts = TrainOptions::default();
    assert!(matches!(
        TopicModel::train(&[], &opts),
        Err(ClassifyError::EmptyTrainingData)
    ));
    let unlabelled = vec![record(1, "a", "b", &[]), record(2, "c", "d", &[])];
    assert!(matches!(
        TopicModel::train(&unlabelled, &opts),
        Err(ClassifyError::NoTopics)
    ));
    let only = TrainOptions {
        topics: Some(vec!["oil".into(), "weather".into()]),
        ..TrainOptions::default()
    };
    let e = TopicModel::train(&corpus(), &only).unwrap_err();
    assert_eq!(
        e.to_string(),
        "topic \"weather\" occurs on no training article"
    );
    let bad_c = TrainOptions {
        c: f64::NAN,
        ..TrainOptions::default()
    };
    assert!(matches!(
        TopicModel::train(&corpus(), &bad_c),
        Err(ClassifyError::BadSetting(_))
    ));
    // Restricting to a subset learns just those.
    let oil = TrainOptions {
        topics: Some(vec!["oil".into()]),
        ..TrainOptions::default()
    };
    let m = TopicModel::train(&corpus(), &oil).unwrap();
    assert_eq!(m.topics(), ["oil"]);
    // Some training articles have no topic now, so none is forced.
    assert!(m
        .predict("", "wheat harvest, corn exports")
        .topics
        .is_empty());
}

#[test]
fn a_newer_or_damaged_model_is_refused_by_name() {
    let model = TopicModel::train(&corpus(), &TrainOptions::default()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    model.save(dir.path()).unwrap();
    let manifest = dir.path().join("manifest.json");
    let text = std::fs::read_to_string(&manifest).unwrap();

    // A newer format version: refused before anything else is read.
    std::fs::write(
        &manifest,
        text.replace("\"version\": 1,", "\"version\": 2,"),
    )
    .unwrap();
    let e = TopicModel::load(dir.path()).unwrap_err();
    assert!(
        matches!(
            e,
            ClassifyError::NewerModelVersion {
                found: 2,
                supported: 1,
                ..
            }
        ),
        "{e}"
    );
    assert!(
        e.to_string().contains("newer than this program reads"),
        "{e}"
    );

    // A damaged weights file: named, with the reason.
    std::fs::write(&manifest, &text).unwrap();
    let weights = dir.path().join("weights.bin");
    let mut bytes = std::fs::read(&weights).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x40;
    std::fs::write(&weights, &bytes).unwrap();
    match TopicModel::load(dir.path()) {
        Err(ClassifyError::CorruptModel { path, reason }) => {
            assert_eq!(path, weights);
            assert!(reason.contains("checksum"), "{reason}");
        }
        other => panic!("expected a corrupt-model error, got {other:?}"),
    }
    bytes.truncate(mid);
    std::fs::write(&weights, &bytes).unwrap();
    let e = TopicModel::load(dir.path()).unwrap_err();
    assert!(
        e.to_string().contains("weights.bin: corrupt model file"),
        "{e}"
    );

    // A manifest that is not JSON.
    std::fs::write(&manifest, "{ not json").unwrap();
    let e = TopicModel::load(dir.path()).unwrap_err();
    assert!(
        matches!(&e, ClassifyError::CorruptModel { path, .. } if path == &manifest),
        "{e}"
    );

    // No manifest at all.
    let empty = tempfile::tempdir().unwrap();
    assert!(matches!(
        TopicModel::load(empty.path()),
        Err(ClassifyError::NotAModel { .. })
    ));
}
